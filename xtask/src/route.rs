//! Sends each operation documented on another server (marked by the normaliser with
//! [`SERVER_EXTENSION`]) to that server: its `send()` builds its URL on
//! `client.inner.server_url("<documented URL>")` instead of `client.baseurl`, so the
//! hand-written layer can point the server elsewhere (`ClientBuilder::server_url`).

use std::collections::HashMap;

use quote::ToTokens;
use serde_json::Value;

use crate::normalize::servers::SERVER_EXTENSION;

/// Operation id -> documented server URL, from the normalised spec.
pub fn servers_by_operation(spec: &Value) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for op in crate::normalize::operations(spec) {
        if let (Some(id), Some(url)) = (
            op.operation.get("operationId").and_then(Value::as_str),
            op.operation.get(SERVER_EXTENSION).and_then(Value::as_str),
        ) {
            out.insert(id.to_owned(), url.to_owned());
        }
    }
    out
}

/// Rewrites the URL of each `send()` whose operation has a server of its own.
pub fn to_documented_servers(builder_items: &mut [syn::Item], servers: &HashMap<String, String>) {
    if servers.is_empty() {
        return;
    }
    for item in builder_items {
        let syn::Item::Impl(imp) = item else { continue };
        let Some(send) = crate::generate::send_of_mut(imp) else {
            continue;
        };
        let Some(url) =
            crate::generate::operation_id_of(&send.block).and_then(|id| servers.get(&id))
        else {
            continue;
        };
        syn::visit_mut::VisitMut::visit_block_mut(&mut ServerUrl(url), &mut send.block);
    }
}

struct ServerUrl<'a>(&'a str);

impl syn::visit_mut::VisitMut for ServerUrl<'_> {
    /// The URL is built by `format!("{}/route/", client.baseurl,)`, whose arguments syn
    /// keeps as plain tokens.
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        let url = self.0;
        crate::generate::edit_format_args(mac, |arg| {
            if arg.to_token_stream().to_string().replace(' ', "") == "client.baseurl" {
                *arg = syn::parse_quote!(client.inner.server_url(#url));
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_marked_operations_change_server() {
        let mut file: syn::File = syn::parse_quote! {
            impl<'a> Route<'a> {
                pub async fn send(self) -> u8 {
                    let url = format!("{}/route/", client.baseurl,);
                    let info = OperationInfo { operation_id: "route" };
                    0
                }
            }
            impl<'a> Other<'a> {
                pub async fn send(self) -> u8 {
                    let url = format!("{}/other/", client.baseurl,);
                    let info = OperationInfo { operation_id: "other" };
                    0
                }
            }
        };
        let servers = HashMap::from([("route".to_owned(), "https://run.vast.ai".to_owned())]);
        to_documented_servers(&mut file.items, &servers);
        let out = prettyplease::unparse(&file);
        assert!(
            out.contains(r#"format!("{}/route/", client.inner.server_url("https://run.vast.ai"),"#),
            "{out}"
        );
        assert!(
            out.contains(r#"format!("{}/other/", client.baseurl,"#),
            "{out}"
        );
    }

    #[test]
    fn servers_are_read_from_the_extension() {
        let spec = serde_json::json!({"paths": {"/route/": {"post": {
            "operationId": "route", SERVER_EXTENSION: "https://run.vast.ai"}}, "/a/": {"get": {"operationId": "a"}}}});
        let servers = servers_by_operation(&spec);
        assert_eq!(servers.len(), 1);
        assert_eq!(servers["route"], "https://run.vast.ai");
    }
}
