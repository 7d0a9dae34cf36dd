//! Reads progenitor's generated httpmock helpers to learn each response's Rust type.
//!
//! progenitor keeps its operation-to-type mapping private; the mock helpers spell it out
//! (`fn not_found(self, value: &types::Error)`), so they are the exact source to read it from.

use quote::ToTokens;

/// One typed response: operation, documented status key and the Rust type of its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypedResponse {
    pub operation_id: String,
    /// `200`, `4XX` or `default`, as in the spec's `responses`.
    pub status: String,
    /// Type path as seen from outside the SDK crate, e.g. `vast_api::types::Error`.
    pub rust_type: String,
    /// The helper's `Then` method that answers with this response (`ok`, `client_error`).
    pub method: String,
    /// Whether that method takes the status code first (a range or `default`).
    pub takes_status: bool,
}

/// Each typed response of the mock helpers progenitor generated (`file`, before formatting).
pub fn typed_responses(file: &syn::File, sdk_crate: &str) -> Vec<TypedResponse> {
    let then_structs = operations_by_then_struct(file);
    let mut out = Vec::new();
    for item in &file.items {
        let syn::Item::Mod(module) = item else {
            continue;
        };
        let Some((_, items)) = &module.content else {
            continue;
        };
        for item in items {
            let syn::Item::Impl(imp) = item else { continue };
            let self_name = imp.self_ty.to_token_stream().to_string();
            let Some(operation_id) = then_structs
                .iter()
                .find(|(then, _)| *then == self_name)
                .map(|(_, op)| op)
            else {
                continue;
            };
            for impl_item in &imp.items {
                let syn::ImplItem::Fn(f) = impl_item else {
                    continue;
                };
                if let Some((status, rust_type)) = response_method(f, sdk_crate) {
                    let takes_status = f.sig.inputs.iter().any(|arg| {
                        matches!(arg, syn::FnArg::Typed(pat)
                            if pat.pat.to_token_stream().to_string() == "status")
                    });
                    out.push(TypedResponse {
                        operation_id: operation_id.clone(),
                        status,
                        rust_type,
                        method: f.sig.ident.to_string(),
                        takes_status,
                    });
                }
            }
        }
    }
    out
}

/// `(ThenStructName, operation_id)` from `impl MockServerExt for MockServer`.
fn operations_by_then_struct(file: &syn::File) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for item in &file.items {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_none() {
            continue;
        }
        for impl_item in &imp.items {
            let syn::ImplItem::Fn(f) = impl_item else {
                continue;
            };
            let Some(where_clause) = &f.sig.generics.where_clause else {
                continue;
            };
            // `F: FnOnce(operations::XWhen, operations::XThen)`: the last argument names the struct.
            let bound = where_clause.predicates.to_token_stream().to_string();
            let Some(args) = bound
                .split_once('(')
                .and_then(|(_, rest)| rest.rsplit_once(')'))
                .map(|(a, _)| a)
            else {
                continue;
            };
            let Some(then) = args
                .split(',')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .nth(1)
            else {
                continue;
            };
            let then = then.rsplit("::").next().unwrap_or(then).trim();
            out.push((then.to_owned(), f.sig.ident.to_string()));
        }
    }
    out
}

/// `(status key, type)` for a `Then` method that takes a typed body.
fn response_method(f: &syn::ImplItemFn, sdk_crate: &str) -> Option<(String, String)> {
    let value_type = f.sig.inputs.iter().find_map(|arg| match arg {
        syn::FnArg::Typed(pat) if pat.pat.to_token_stream().to_string() == "value" => Some(&pat.ty),
        _ => None,
    })?;
    let syn::Type::Reference(reference) = value_type.as_ref() else {
        // Untyped (raw) bodies take `serde_json::Value` by value: no generated type to check.
        return None;
    };
    let rust_type = reference
        .elem
        .to_token_stream()
        .to_string()
        .replace(' ', "");
    let rust_type = owned(&qualify(&rust_type, sdk_crate));
    let status = match f.sig.ident.to_string().as_str() {
        "informational" => "1XX".to_owned(),
        "success" => "2XX".to_owned(),
        "redirect" => "3XX".to_owned(),
        "client_error" => "4XX".to_owned(),
        "server_error" => "5XX".to_owned(),
        "default_response" => "default".to_owned(),
        _ => literal_status(&f.block)?,
    };
    Some((status, rust_type))
}

/// The `NNNu16` literal passed to `.status(...)` in a specific-code method.
fn literal_status(block: &syn::Block) -> Option<String> {
    let body = block.to_token_stream().to_string().replace(' ', "");
    let start = body.find("status(")? + "status(".len();
    let digits: String = body[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (!digits.is_empty()).then_some(digits)
}

/// The owned type a body deserialises into: the helpers borrow (`&str`, `&[T]`).
fn owned(rust_type: &str) -> String {
    if rust_type == "str" || rust_type == "::std::primitive::str" {
        return "::std::string::String".to_owned();
    }
    match rust_type
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
    {
        Some(item) if !item.contains(';') => format!("::std::vec::Vec<{item}>"),
        _ => rust_type.to_owned(),
    }
}

/// `types::X` inside the mock is relative to the SDK crate.
pub(crate) fn qualify(rust_type: &str, sdk_crate: &str) -> String {
    let mut out = String::new();
    let mut rest = rust_type;
    while let Some(i) = rest.find("types::") {
        let preceded_by_path = rest[..i].ends_with("::");
        out.push_str(&rest[..i]);
        if !preceded_by_path {
            out.push_str(sdk_crate);
            out.push_str("::");
        }
        out.push_str("types::");
        rest = &rest[i + "types::".len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const MOCK: &str = r#"
        pub mod operations {
            use vast_api::*;
            pub struct RotateWhen(::httpmock::When);
            pub struct RotateThen(::httpmock::Then);
            impl RotateThen {
                pub fn new(inner: ::httpmock::Then) -> Self { Self(inner) }
                pub fn ok(self, value: &types::RotateResponse) -> Self { Self(self.0.status(200u16).json_body_obj(value)) }
                pub fn not_found(self, value: &::std::vec::Vec<types::Error>) -> Self { Self(self.0.status(404u16)) }
                pub fn created(self, value: &str) -> Self { Self(self.0.status(201u16)) }
                pub fn accepted(self, value: &[types::Error]) -> Self { Self(self.0.status(202u16)) }
                pub fn client_error(self, status: u16, value: &types::Error) -> Self { Self(self.0.status(status)) }
                pub fn no_content(self) -> Self { Self(self.0.status(204u16)) }
                pub fn server_error(self, status: u16, value: ::serde_json::Value) -> Self { Self(self.0.status(status)) }
            }
        }
        pub trait MockServerExt {}
        impl MockServerExt for ::httpmock::MockServer {
            fn rotate<F>(&self, config_fn: F) -> ::httpmock::Mock<'_>
            where F: FnOnce(operations::RotateWhen, operations::RotateThen,) { todo!() }
        }
    "#;

    #[test]
    fn reads_status_and_type_of_each_typed_response() {
        let found = typed_responses(&syn::parse_file(MOCK).unwrap(), "vast_api");
        let found: Vec<_> = found
            .iter()
            .map(|r| {
                (
                    r.operation_id.as_str(),
                    r.status.as_str(),
                    r.rust_type.as_str(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("rotate", "200", "vast_api::types::RotateResponse"),
                ("rotate", "404", "::std::vec::Vec<vast_api::types::Error>"),
                ("rotate", "201", "::std::string::String"),
                ("rotate", "202", "::std::vec::Vec<vast_api::types::Error>"),
                ("rotate", "4XX", "vast_api::types::Error"),
            ]
        );
    }
}
