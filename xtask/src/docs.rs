//! Gives every public item of the generated client a doc comment, so the crate can deny
//! `missing_docs`: progenitor and typify document what the spec describes (operations, most
//! types and fields) and leave the rest bare (setters, builder types, undescribed fields and
//! enum values). Operation setters get their parameter's description from the spec.

use std::collections::HashMap;

use serde_json::Value;

use crate::normalize::operations;

/// Operation id -> (setter name -> its doc), from the normalised spec.
type SetterDocs = HashMap<String, Vec<(String, String)>>;

pub fn fill_missing(file: &mut syn::File, spec: &Value) {
    let setters = setter_docs(spec);
    for item in &mut file.items {
        let syn::Item::Mod(module) = item else {
            continue;
        };
        let name = module.ident.to_string();
        let Some(items) = module_items(module) else {
            continue;
        };
        match name.as_str() {
            "types" => types_module(items),
            "builder" => operation_builders(items, &setters),
            _ => {}
        }
    }
}

fn types_module(items: &mut [syn::Item]) {
    for item in items {
        match item {
            syn::Item::Struct(s) if is_pub(&s.vis) => {
                let name = s.ident.to_string();
                add_doc(&mut s.attrs, &format!("`{name}`, a schema of the spec."));
                for field in &mut s.fields {
                    if is_pub(&field.vis) {
                        let json = serde_name(&field.attrs)
                            .or_else(|| field.ident.as_ref().map(|i| unraw(&i.to_string())));
                        if let Some(json) = json {
                            add_doc(
                                &mut field.attrs,
                                &format!("`{json}` (not described in the spec)."),
                            );
                        } else {
                            add_doc(&mut field.attrs, "The wrapped value.");
                        }
                    }
                }
            }
            syn::Item::Enum(e) if is_pub(&e.vis) => {
                let name = e.ident.to_string();
                add_doc(&mut e.attrs, &format!("`{name}`, a schema of the spec."));
                for variant in &mut e.variants {
                    let json =
                        serde_name(&variant.attrs).unwrap_or_else(|| variant.ident.to_string());
                    add_doc(&mut variant.attrs, &format!("`{json}`"));
                }
            }
            syn::Item::Impl(imp) if imp.trait_.is_none() => {
                let self_name = type_name(&imp.self_ty);
                document_pub_fns(imp, |name| match name {
                    "builder" => format!("A builder for [`{self_name}`], field by field."),
                    name => format!("`{name}` of [`{self_name}`]."),
                });
            }
            syn::Item::Mod(m) => {
                let is_builder = m.ident == "builder";
                if let Some(inner) = module_items(m) {
                    if is_builder {
                        type_builders(inner);
                    } else {
                        types_module(inner);
                    }
                }
            }
            _ => {}
        }
    }
}

/// typify's `types::builder` module: one builder per struct, one setter per field.
fn type_builders(items: &mut [syn::Item]) {
    for item in items {
        match item {
            syn::Item::Struct(s) if is_pub(&s.vis) => {
                let name = s.ident.to_string();
                add_doc(
                    &mut s.attrs,
                    &format!(
                        "Builder for [`super::{name}`]: set its fields, then convert it with `try_into()`."
                    ),
                );
            }
            syn::Item::Impl(imp) if imp.trait_.is_none() => {
                let self_name = type_name(&imp.self_ty);
                document_pub_fns(imp, |name| {
                    let field = unraw(name);
                    format!("Sets the `{field}` field of [`super::{self_name}`].")
                });
            }
            _ => {}
        }
    }
}

/// progenitor's `builder` module: one builder per operation, one setter per parameter.
fn operation_builders(items: &mut [syn::Item], setters: &SetterDocs) {
    for item in items {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() {
            continue;
        }
        let operation = crate::generate::send_of(imp)
            .and_then(|send| crate::generate::operation_id_of(&send.block));
        let Some(operation) = operation else { continue };
        let docs = setters.get(&operation);
        document_pub_fns(imp, |name| {
            let name = unraw(name);
            match name.as_str() {
                "new" => format!(
                    "Starts a `{operation}` request on `client` ([`Client::{operation}`](super::Client::{operation}) does this)."
                ),
                "body_map" => "Changes the request body with a function of its builder.".to_owned(),
                _ => docs
                    .and_then(|d| {
                        d.iter().find(|(setter, _)| {
                            crate::operation_tests::setter_matches(&name, setter)
                        })
                    })
                    .map_or_else(|| format!("Sets `{name}`."), |(_, doc)| doc.clone()),
            }
        });
    }
}

/// Each operation's parameters (and body) with what the spec says of them.
fn setter_docs(spec: &Value) -> SetterDocs {
    let mut out = SetterDocs::new();
    for op in operations(spec) {
        if op.operation.get("operationId").is_none() {
            continue;
        }
        let mut docs = Vec::new();
        for parameter in op.parameters() {
            let parameter = crate::pointer::follow(spec, parameter);
            let name = parameter
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let location = parameter
                .get("in")
                .and_then(Value::as_str)
                .unwrap_or("query");
            let required = if parameter.get("required") == Some(&Value::Bool(true)) {
                "required"
            } else {
                "optional"
            };
            let description = description(parameter)
                .or_else(|| parameter.get("schema").and_then(description))
                .unwrap_or_else(|| "Not described in the spec.".to_owned());
            docs.push((
                name.to_owned(),
                format!("`{name}` ({required} {location} parameter): {description}"),
            ));
        }
        let body = op
            .operation
            .get("requestBody")
            .map(|b| crate::pointer::follow(spec, b));
        if let Some(body) = body {
            let doc = match description(body) {
                Some(description) => format!("The request body: {description}"),
                None => "The request body.".to_owned(),
            };
            docs.push(("body".to_owned(), doc));
        }
        out.insert(op.id().to_owned(), docs);
    }
    out
}

fn description(value: &Value) -> Option<String> {
    value
        .get("description")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::to_owned)
}

/// The items of an inline module (`None` for `mod name;`).
fn module_items(module: &mut syn::ItemMod) -> Option<&mut Vec<syn::Item>> {
    module.content.as_mut().map(|(_, items)| items)
}

/// Gives each public method of `imp` without a doc `doc(its name)`.
fn document_pub_fns(imp: &mut syn::ItemImpl, doc: impl Fn(&str) -> String) {
    for inner in &mut imp.items {
        let syn::ImplItem::Fn(f) = inner else {
            continue;
        };
        if is_pub(&f.vis) {
            add_doc(&mut f.attrs, &doc(&f.sig.ident.to_string()));
        }
    }
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

fn unraw(name: &str) -> String {
    name.trim_start_matches("r#").to_owned()
}

fn type_name(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(p) => p
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// `x` of `#[serde(rename = "x")]`.
fn serde_name(attrs: &[syn::Attribute]) -> Option<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .find_map(|a| {
            let mut found = None;
            let _ = a.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    let value: syn::LitStr = meta.value()?.parse()?;
                    found = Some(value.value());
                } else if meta.input.peek(syn::Token![=]) {
                    let _: syn::Expr = meta.value()?.parse()?;
                }
                Ok(())
            });
            found
        })
}

fn has_doc(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("doc"))
}

fn add_doc(attrs: &mut Vec<syn::Attribute>, doc: &str) {
    if !has_doc(attrs) {
        attrs.insert(0, syn::parse_quote!(#[doc = #doc]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_items_get_docs_and_setters_their_parameter_description() {
        let spec = serde_json::json!({"paths": {"/i/{id}/": {"get": {"operationId": "show_it",
            "parameters": [{"name": "id", "in": "path", "required": true, "description": "The instance."}]}}}});
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Thing { #[serde(rename = "x-y")] pub x_y: i64, ///Said.
                    pub said: i64 }
                pub enum Kind { #[serde(rename = "on-demand")] OnDemand }
                pub mod builder {
                    pub struct Thing { x_y: i64 }
                    impl Thing { pub fn x_y(self) -> Self { self } }
                }
            }
            pub mod builder {
                impl<'a> ShowIt<'a> {
                    pub fn new(client: &'a super::Client) -> Self { todo!() }
                    pub fn id<V>(self, value: V) -> Self { self }
                    pub async fn send(self) { let info = OperationInfo { operation_id: "show_it" }; }
                }
            }
        };
        fill_missing(&mut file, &spec);
        let out = prettyplease::unparse(&file);
        for expected in [
            "`x-y` (not described in the spec).",
            "///Said.",
            "`on-demand`",
            "Sets the `x_y` field of [`super::Thing`].",
            "`id` (required path parameter): The instance.",
            "Starts a `show_it` request",
        ] {
            assert!(out.contains(expected), "{expected:?} missing:\n{out}");
        }
        assert_eq!(out.matches("///Said.").count(), 1, "{out}");
    }
}
