//! Removes private helpers the generated code never calls, so that what compiles warning-free
//! does not depend on which constructs a spec happens to use.
//!
//! typify writes its serde default helpers as a set (`default_i64`, `default_u64`,
//! `default_nzu64`) whenever any schema has an integer default, whether or not each one is
//! called; a spec with only unsigned defaults then fails `-D warnings` with `dead_code`.

use std::collections::HashMap;

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;

/// Modules (at any depth) whose non-`pub` functions are helpers of the generated code.
const HELPER_MODULES: &[&str] = &["defaults"];

/// Drops each uncalled function of a helper module, and the module if nothing is left.
pub fn unused_helpers(file: &mut syn::File) {
    let mut counts = HashMap::new();
    count_idents(file.to_token_stream(), &mut counts);
    prune_items(&mut file.items, &counts);
}

fn prune_items(items: &mut Vec<syn::Item>, counts: &HashMap<String, usize>) {
    for item in items.iter_mut() {
        let syn::Item::Mod(module) = item else {
            continue;
        };
        let Some((_, inner)) = module.content.as_mut() else {
            continue;
        };
        if HELPER_MODULES.iter().any(|name| module.ident == name) {
            // Used means named again somewhere besides its own definition.
            inner.retain(|item| match item {
                syn::Item::Fn(f) if !matches!(f.vis, syn::Visibility::Public(_)) => {
                    counts.get(&f.sig.ident.to_string()).copied().unwrap_or(0) > 1
                }
                _ => true,
            });
        } else {
            prune_items(inner, counts);
        }
    }
    items.retain(|item| {
        !matches!(item, syn::Item::Mod(m)
            if HELPER_MODULES.iter().any(|name| m.ident == name)
                && m.content.as_ref().is_some_and(|(_, inner)| inner.is_empty()))
    });
}

fn count_idents(tokens: TokenStream, counts: &mut HashMap<String, usize>) {
    for tree in tokens {
        match tree {
            TokenTree::Ident(ident) => *counts.entry(ident.to_string()).or_default() += 1,
            TokenTree::Group(group) => count_idents(group.stream(), counts),
            // serde names its default functions in strings: `default = "defaults::f"`.
            TokenTree::Literal(literal) => {
                let text = literal.to_string();
                for word in text.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
                    if !word.is_empty() {
                        *counts.entry(word.to_owned()).or_default() += 1;
                    }
                }
            }
            TokenTree::Punct(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pruned(file: TokenStream) -> String {
        let mut file: syn::File = syn::parse2(file).unwrap();
        unused_helpers(&mut file);
        prettyplease::unparse(&file)
    }

    #[test]
    fn uncalled_default_helpers_go_and_called_ones_stay() {
        let out = pruned(quote::quote! {
            pub mod types {
                pub struct S { #[serde(default = "defaults::default_u64::<u64, 5>")] pub n: u64 }
                pub mod defaults {
                    pub(super) fn default_i64<T, const V: i64>() -> T { todo!() }
                    pub(super) fn default_u64<T, const V: u64>() -> T { todo!() }
                }
            }
        });
        assert!(!out.contains("default_i64"), "{out}");
        assert!(out.contains("fn default_u64"), "{out}");
    }

    #[test]
    fn a_helper_module_left_empty_goes_too() {
        let out = pruned(quote::quote! {
            pub mod types {
                pub struct S;
                pub mod defaults { pub(super) fn default_i64() -> i64 { 1 } }
            }
        });
        assert!(!out.contains("defaults"), "{out}");
        assert!(out.contains("pub struct S"), "{out}");
    }
}
