//! Syntax-tree fixes that make progenitor's output print as code and docs that pass rustdoc
//! and edition 2024.

/// typify 0.8 writes `fn json_schema(gen: &mut ::schemars::gen::SchemaGenerator)` for enums of
/// non-string values (`enum: [0, 1]`, `const: true`); `gen` is reserved in edition 2024, so that
/// code does not parse in the SDK. Raw identifiers (`r#gen`) mean the same in every edition.
pub(super) struct RawReservedIdents;

impl syn::visit_mut::VisitMut for RawReservedIdents {
    fn visit_ident_mut(&mut self, ident: &mut proc_macro2::Ident) {
        if ident == "gen" {
            *ident = proc_macro2::Ident::new_raw("gen", ident.span());
        }
    }
}

/// prettyplease prints a multi-line `#[doc]` as a `/** */` block, whose lines rustfmt then
/// indents: rustdoc reads the indented prose as code blocks and breaks links. One attribute per
/// line prints as `///` comments instead.
pub(super) struct OneDocLinePerAttribute;

impl syn::visit_mut::VisitMut for OneDocLinePerAttribute {
    fn visit_attributes_mut(&mut self, attrs: &mut Vec<syn::Attribute>) {
        let mut out = Vec::with_capacity(attrs.len());
        let mut in_code_block = false;
        for attr in attrs.drain(..) {
            let Some(text) = doc_text(&attr) else {
                out.push(attr);
                continue;
            };
            for line in text.lines() {
                if line.trim_start().starts_with("```") {
                    in_code_block = !in_code_block;
                }
                let line = if in_code_block {
                    line.to_owned()
                } else {
                    autolink(line)
                };
                let mut split = attr.clone();
                split.meta = syn::parse_quote!(doc = #line);
                out.push(split);
            }
        }
        *attrs = out;
    }
}

/// Vendor prose has bare URLs, which rustdoc warns about; `<url>` makes them links.
fn autolink(line: &str) -> String {
    line.split(' ')
        .map(|word| {
            if word.starts_with("https://") || word.starts_with("http://") {
                format!("<{word}>")
            } else {
                word.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn doc_text(attr: &syn::Attribute) -> Option<String> {
    let syn::Meta::NameValue(nv) = &attr.meta else {
        return None;
    };
    if !nv.path.is_ident("doc") {
        return None;
    }
    match &nv.value {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s.value()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::super::format::format_rust;

    #[test]
    fn edition_2024_reserved_gen_becomes_a_raw_identifier() {
        let tokens = quote! {
            fn json_schema(gen: &mut ::schemars::gen::SchemaGenerator) -> u8 { f(gen) }
        };
        assert_eq!(
            format_rust(tokens).unwrap(),
            "fn json_schema(r#gen: &mut ::schemars::r#gen::SchemaGenerator) -> u8 {\n    f(r#gen)\n}\n"
        );
    }

    #[test]
    fn multi_line_docs_become_line_comments_with_links() {
        let tokens = quote! {
            #[doc = "Title\n\n    indented prose: https://example.com/x\n```ignore\nlet u = \"https://a\";\n```"]
            pub struct S;
        };
        let formatted = format_rust(tokens).unwrap();
        assert_eq!(
            formatted,
            "///Title\n///\n///    indented prose: <https://example.com/x>\n///```ignore\n///let u = \"https://a\";\n///```\npub struct S;\n"
        );
    }
}
