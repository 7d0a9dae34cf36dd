//! Reading progenitor's `builder` module: each operation's builder, its `send()`, the operation
//! id in it, and the types and `format!` arguments it is written with.

use quote::ToTokens;

/// The items of progenitor's `builder` module, where each operation's `send()` is.
pub(super) fn builder_items(file: &mut syn::File) -> Option<&mut Vec<syn::Item>> {
    file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "builder" => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// [`builder_items`], to read.
pub(crate) fn builder_items_ref(file: &syn::File) -> Option<&[syn::Item]> {
    file.items.iter().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "builder" => {
            m.content.as_ref().map(|(_, items)| &items[..])
        }
        _ => None,
    })
}

/// An operation builder's `send()`, the method progenitor writes the request into.
pub(crate) fn send_of(imp: &syn::ItemImpl) -> Option<&syn::ImplItemFn> {
    imp.items.iter().find_map(|i| match i {
        syn::ImplItem::Fn(f) if f.sig.ident == "send" => Some(f),
        _ => None,
    })
}

/// [`send_of`], to edit.
pub(crate) fn send_of_mut(imp: &mut syn::ItemImpl) -> Option<&mut syn::ImplItemFn> {
    imp.items.iter_mut().find_map(|i| match i {
        syn::ImplItem::Fn(f) if f.sig.ident == "send" => Some(f),
        _ => None,
    })
}

/// The `operation_id: "..."` progenitor passes to its hooks.
pub(crate) fn operation_id_of(block: &syn::Block) -> Option<String> {
    let text = block.to_token_stream().to_string();
    let start = text.find("operation_id :")? + "operation_id :".len();
    let literal = text[start..].trim_start().strip_prefix('"')?;
    Some(literal.split('"').next()?.to_owned())
}

/// Calls `edit` on each argument of a `format!` (the generated URLs are built by one), which
/// syn keeps as plain tokens; other macros are left alone.
pub(crate) fn edit_format_args(mac: &mut syn::Macro, mut edit: impl FnMut(&mut syn::Expr)) {
    if !mac.path.is_ident("format") {
        return;
    }
    let parser = syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated;
    let Ok(mut args) = syn::parse::Parser::parse2(parser, mac.tokens.clone()) else {
        return;
    };
    args.iter_mut().for_each(&mut edit);
    mac.tokens = args.to_token_stream();
}

pub(super) fn is_named(ty: &syn::Type, name: &str) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == name))
}

pub(super) fn first_generic(ty: &syn::Type) -> Option<syn::Type> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let syn::PathArguments::AngleBracketed(args) = &path.path.segments.last()?.arguments else {
        return None;
    };
    args.args.iter().find_map(|arg| match arg {
        syn::GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    })
}
