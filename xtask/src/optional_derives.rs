//! Puts the `schemars::JsonSchema` derive of the generated types behind the SDK's `schemars`
//! feature: it is the largest share of the code the compiler expands for each type, and only
//! callers who want the types' JSON schemas (the SDK's own tests) use it.

use quote::ToTokens;
use syn::visit_mut::VisitMut;

/// The derive and trait moved behind the feature.
const DERIVE: &str = "schemars::JsonSchema";
/// The cargo feature that turns them on.
const FEATURE: &str = "schemars";

pub fn json_schema_behind_feature(file: &mut syn::File) {
    OptionalJsonSchema.visit_file_mut(file);
}

struct OptionalJsonSchema;

impl VisitMut for OptionalJsonSchema {
    fn visit_attributes_mut(&mut self, attrs: &mut Vec<syn::Attribute>) {
        let mut out = Vec::with_capacity(attrs.len() + 1);
        for attr in attrs.drain(..) {
            if attr.path().is_ident("schemars") {
                // Its helper attributes exist only with the derive.
                let meta = attr.meta;
                out.push(syn::parse_quote!(#[cfg_attr(feature = #FEATURE, #meta)]));
                continue;
            }
            let derived = attr.path().is_ident("derive").then(|| {
                attr.parse_args_with(
                    syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
                )
            });
            let Some(Ok(paths)) = derived else {
                out.push(attr);
                continue;
            };
            let kept: Vec<&syn::Path> = paths.iter().filter(|p| !is_json_schema(p)).collect();
            if kept.len() == paths.len() {
                out.push(attr);
                continue;
            }
            if !kept.is_empty() {
                out.push(syn::parse_quote!(#[derive(#(#kept),*)]));
            }
            // In the derive's place: its helper attributes must come after it.
            out.push(
                syn::parse_quote!(#[cfg_attr(feature = #FEATURE, derive(schemars::JsonSchema))]),
            );
        }
        *attrs = out;
    }

    fn visit_item_impl_mut(&mut self, imp: &mut syn::ItemImpl) {
        syn::visit_mut::visit_item_impl_mut(self, imp);
        if imp
            .trait_
            .as_ref()
            .is_some_and(|(_, path, _)| is_json_schema(path))
        {
            imp.attrs
                .push(syn::parse_quote!(#[cfg(feature = #FEATURE)]));
        }
    }
}

fn is_json_schema(path: &syn::Path) -> bool {
    let text = path.to_token_stream().to_string().replace(' ', "");
    text.trim_start_matches("::") == DERIVE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_and_impls_move_behind_the_feature() {
        let mut file: syn::File = syn::parse_quote! {
            #[derive(Clone, Debug, schemars::JsonSchema, PartialEq)]
            #[schemars(rename = "x")]
            pub struct A { #[schemars(skip)] pub b: u8 }
            #[derive(::schemars::JsonSchema)]
            pub struct C;
            impl ::schemars::JsonSchema for D { fn schema_name() -> String { todo!() } }
        };
        json_schema_behind_feature(&mut file);
        let out = prettyplease::unparse(&file);
        assert!(out.contains("#[derive(Clone, Debug, PartialEq)]"), "{out}");
        assert_eq!(
            out.matches(r#"#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]"#)
                .count(),
            2,
            "{out}"
        );
        assert!(
            out.contains(r#"#[cfg_attr(feature = "schemars", schemars(rename = "x"))]"#),
            "{out}"
        );
        assert!(
            out.contains(r#"#[cfg_attr(feature = "schemars", schemars(skip))]"#),
            "{out}"
        );
        assert!(
            out.contains("#[cfg(feature = \"schemars\")]\nimpl ::schemars::JsonSchema for D"),
            "{out}"
        );
        assert!(!out.contains("#[derive()]"), "{out}");
    }
}
