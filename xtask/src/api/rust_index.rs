//! Reading the generated client's source for the names and shapes the record needs.

use std::collections::BTreeMap;

use quote::ToTokens;

/// What the generated client names: methods and their builders, builders' fields and `send()`
/// types, and every type's shape.
pub(super) struct RustIndex {
    /// Method on `Client` -> its builder.
    pub(super) methods: BTreeMap<String, String>,
    /// Builder -> field -> Rust type of the value.
    pub(super) builder_fields: BTreeMap<String, BTreeMap<String, String>>,
    /// Builder -> (success type, error type) of `send()`.
    pub(super) send_types: BTreeMap<String, (String, String)>,
    pub(super) types: BTreeMap<String, String>,
}

impl RustIndex {
    pub(super) fn new(file: &syn::File) -> Self {
        let mut index = RustIndex {
            methods: BTreeMap::new(),
            builder_fields: BTreeMap::new(),
            send_types: BTreeMap::new(),
            types: BTreeMap::new(),
        };
        for item in &file.items {
            match item {
                syn::Item::Impl(imp) if type_name(&imp.self_ty).as_deref() == Some("Client") => {
                    for item in &imp.items {
                        let syn::ImplItem::Fn(f) = item else { continue };
                        let output = tokens(&f.sig.output);
                        if let Some(builder) = output
                            .strip_prefix("->builder::")
                            .and_then(|b| b.strip_suffix("<'_>"))
                        {
                            index
                                .methods
                                .insert(f.sig.ident.to_string(), builder.to_owned());
                        }
                    }
                }
                syn::Item::Mod(m) if m.ident == "builder" => index.builders(m),
                syn::Item::Mod(m) if m.ident == "types" => index.types(m),
                _ => {}
            }
        }
        index
    }

    fn builders(&mut self, module: &syn::ItemMod) {
        for item in module.content.iter().flat_map(|(_, items)| items) {
            match item {
                syn::Item::Struct(s) => {
                    let fields = s
                        .fields
                        .iter()
                        .filter_map(|f| {
                            let ty = tokens(&f.ty);
                            let inner = ty.strip_prefix("Result<")?.strip_suffix(",String>")?;
                            Some((f.ident.as_ref()?.to_string(), compact(inner)))
                        })
                        .collect();
                    self.builder_fields.insert(s.ident.to_string(), fields);
                }
                syn::Item::Impl(imp) => {
                    let Some(name) = type_name(&imp.self_ty) else {
                        continue;
                    };
                    let Some(send) = crate::generate::send_of(imp) else {
                        continue;
                    };
                    let output = tokens(&send.sig.output).replace(",>", ">");
                    let ok = between(&output, "ResponseValue<", ">,Error<");
                    let err = output
                        .rsplit_once("Error<")
                        .and_then(|(_, e)| e.strip_suffix(">>"));
                    if let (Some(ok), Some(err)) = (ok, err) {
                        self.send_types.insert(name, (compact(ok), compact(err)));
                    }
                }
                _ => {}
            }
        }
    }

    fn types(&mut self, module: &syn::ItemMod) {
        for item in module.content.iter().flat_map(|(_, items)| items) {
            let (name, shape) = match item {
                syn::Item::Struct(s) => (s.ident.to_string(), struct_shape(&s.fields)),
                syn::Item::Enum(e) => {
                    let variants: Vec<String> = e
                        .variants
                        .iter()
                        .map(|v| {
                            let name =
                                serde_rename(&v.attrs).unwrap_or_else(|| v.ident.to_string());
                            match &v.fields {
                                syn::Fields::Unit => name,
                                fields => format!("{name}{}", struct_shape(fields)),
                            }
                        })
                        .collect();
                    (
                        e.ident.to_string(),
                        format!("enum{{{}}}", variants.join(",")),
                    )
                }
                syn::Item::Type(t) => (
                    t.ident.to_string(),
                    format!("= {}", compact(&tokens(&t.ty))),
                ),
                _ => continue,
            };
            self.types.insert(name, shape);
        }
    }
}

fn struct_shape(fields: &syn::Fields) -> String {
    match fields {
        syn::Fields::Named(named) => {
            let fields: Vec<String> = named
                .named
                .iter()
                .map(|f| {
                    let name = serde_rename(&f.attrs).unwrap_or_else(|| {
                        f.ident
                            .as_ref()
                            .map(|i| i.to_string().trim_start_matches("r#").to_owned())
                            .unwrap_or_default()
                    });
                    format!("{name}:{}", compact(&tokens(&f.ty)))
                })
                .collect();
            format!("{{{}}}", fields.join(","))
        }
        syn::Fields::Unnamed(unnamed) => {
            let fields: Vec<String> = unnamed
                .unnamed
                .iter()
                .map(|f| compact(&tokens(&f.ty)))
                .collect();
            format!("({})", fields.join(","))
        }
        syn::Fields::Unit => String::new(),
    }
}

/// `#[serde(rename = "x")]`'s `x`.
fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().find_map(|attr| {
        if !attr.path().is_ident("serde") {
            return None;
        }
        let text = tokens(&attr.meta);
        let rest = text.split_once("rename=\"")?.1;
        Some(rest.split_once('"')?.0.to_owned())
    })
}

fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn tokens(node: &impl ToTokens) -> String {
    node.to_token_stream().to_string().replace(' ', "")
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let to = text[from..].find(end)? + from;
    Some(&text[from..to])
}

/// A Rust type as a user writes it: `Option<String>` for `::std::option::Option<::std::string::String>`.
pub fn compact(ty: &str) -> String {
    let mut text = ty.replace(' ', "");
    for prefix in [
        "::std::option::",
        "::std::string::",
        "::std::vec::",
        "::std::collections::",
        "::std::boxed::",
        "::std::",
        "::serde_json::",
        "serde_json::",
        concat!("::", crate::sdk::rust_path!(), "::"),
        "crate::",
        "super::",
        "types::builder::",
        "types::",
    ] {
        text = text.replace(prefix, "");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compacts_rust_paths() {
        assert_eq!(
            compact(":: std :: option :: Option < :: std :: vec :: Vec < super :: Offer > >"),
            "Option<Vec<Offer>>"
        );
    }
}
