//! What the generated client offers per operation: its builder's parameters and their types,
//! read from progenitor's syntax tree before it is formatted (progenitor keeps this private).

use std::collections::BTreeSet;

use quote::ToTokens;

/// One operation's builder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// The method name on `Client` (the normalised operationId).
    pub id: String,
    pub params: Vec<Param>,
    /// Whether its success body is raw bytes (`ByteStream`) rather than a typed value.
    pub raw_success: bool,
}

/// One builder setter: `name(value: impl TryInto<rust_type>)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    pub name: String,
    /// The value's type as seen from outside the SDK crate (`vast_api::types::ShowBody`).
    pub rust_type: String,
}

/// Every operation's builder in `file` (progenitor's client), in file order.
pub fn operations(file: &syn::File, sdk_crate: &str) -> Vec<Operation> {
    let Some(items) = crate::generate::builder_items_ref(file) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        let syn::Item::Impl(imp) = item else { continue };
        let Some(send) = crate::generate::send_of(imp) else {
            continue;
        };
        let Some(id) = crate::generate::operation_id_of(&send.block) else {
            continue;
        };
        let self_name = match imp.self_ty.as_ref() {
            syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.clone()),
            _ => None,
        };
        let Some(builder) = items.iter().find_map(|i| match i {
            syn::Item::Struct(s) if Some(&s.ident) == self_name.as_ref() => Some(s),
            _ => None,
        }) else {
            continue;
        };
        let params = builder
            .fields
            .iter()
            .filter_map(|field| {
                let name = field.ident.as_ref()?.to_string();
                let value = value_type(&field.ty)?;
                Some(Param {
                    name,
                    rust_type: crate::mock_index::qualify(&value, sdk_crate),
                })
            })
            .collect();
        let output = send
            .sig
            .output
            .to_token_stream()
            .to_string()
            .replace(' ', "");
        let raw_success = output.contains("ResponseValue<ByteStream>");
        out.push(Operation {
            id,
            params,
            raw_success,
        });
    }
    out
}

/// `T` of a field `Result<T, String>` (`Result<Option<T>, String>` for optional ones), with a
/// body's `types::builder::X` read as `types::X`, the type its setter takes.
fn value_type(ty: &syn::Type) -> Option<String> {
    let text = ty.to_token_stream().to_string().replace(' ', "");
    let inner = text
        .strip_prefix("Result<")?
        .strip_suffix(",String>")?
        .to_owned();
    let inner = inner
        .strip_prefix("Option<")
        .and_then(|t| t.strip_suffix('>'))
        .or_else(|| {
            inner
                .strip_prefix("::std::option::Option<")
                .and_then(|t| t.strip_suffix('>'))
        })
        .map_or(inner.clone(), str::to_owned);
    Some(inner.replace("types::builder::", "types::"))
}

/// The names of the public structs and enums `file` (progenitor's client) defines, in any of
/// its modules.
pub fn type_names(file: &syn::File) -> BTreeSet<String> {
    fn collect(items: &[syn::Item], names: &mut BTreeSet<String>) {
        for item in items {
            match item {
                syn::Item::Struct(s) if matches!(s.vis, syn::Visibility::Public(_)) => {
                    names.insert(s.ident.to_string());
                }
                syn::Item::Enum(e) if matches!(e.vis, syn::Visibility::Public(_)) => {
                    names.insert(e.ident.to_string());
                }
                syn::Item::Mod(m) => {
                    if let Some((_, items)) = &m.content {
                        collect(items, names);
                    }
                }
                _ => {}
            }
        }
    }
    let mut names = BTreeSet::new();
    collect(&file.items, &mut names);
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_builder_setter_and_its_value_type() {
        let file: syn::File = syn::parse_quote! {
            pub mod builder {
                pub struct ShowThing<'a> {
                    client: &'a super::Client,
                    id: Result<i64, String>,
                    q: Result<Option<::serde_json::Map<String, ::serde_json::Value>>, String>,
                    body: Result<types::builder::ShowThingBody, String>,
                }
                impl<'a> ShowThing<'a> {
                    pub async fn send(self) { let info = OperationInfo { operation_id: "show_thing" }; }
                }
            }
        };
        let ops = operations(&file, "vast_api");
        let params: Vec<_> = ops[0]
            .params
            .iter()
            .map(|p| (p.name.as_str(), p.rust_type.as_str()))
            .collect();
        assert_eq!(ops[0].id, "show_thing");
        assert_eq!(
            params,
            [
                ("id", "i64"),
                ("q", "::serde_json::Map<String,::serde_json::Value>"),
                ("body", "vast_api::types::ShowThingBody"),
            ]
        );
    }

    #[test]
    fn type_names_are_the_public_structs_and_enums_of_every_module() {
        let file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct ErrorBody {}
                pub enum Kind {}
                pub(crate) struct Hidden;
                pub type Alias = Kind;
            }
            pub struct Client;
        };
        let names: Vec<String> = type_names(&file).into_iter().collect();
        assert_eq!(names, ["Client", "ErrorBody", "Kind"]);
    }
}
