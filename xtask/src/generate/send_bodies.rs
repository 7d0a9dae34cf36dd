//! Lighter `send()` bodies: no `api-version` header, no percent-encoding of integer path
//! parameters.

use proc_macro2::TokenStream;
use quote::ToTokens;

use super::builder::{builder_items, edit_format_args, first_generic, is_named, send_of_mut};

/// Takes out of each operation's `send()` work progenitor does on every call that Vast.ai's API
/// does not need (see [`NoApiVersionHeader`] and [`UnencodedIntegers`]).
pub(super) fn lighter_send_bodies(file: &mut syn::File) {
    let Some(items) = builder_items(file) else {
        return;
    };
    // Builder struct name -> its integer fields (`id: Result<i64, String>`).
    let mut integers = std::collections::HashMap::new();
    for item in items.iter() {
        let syn::Item::Struct(builder) = item else {
            continue;
        };
        let fields = builder.fields.iter().filter(|field| {
            let ty = first_generic(&field.ty);
            ty.is_some_and(|ty| {
                [
                    "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "usize", "isize",
                ]
                .iter()
                .any(|int| is_named(&ty, int))
            })
        });
        let names: Vec<syn::Ident> = fields.filter_map(|f| f.ident.clone()).collect();
        integers.insert(builder.ident.clone(), names);
    }
    for item in items.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        let syn::Type::Path(self_ty) = imp.self_ty.as_ref() else {
            continue;
        };
        let names = self_ty
            .path
            .segments
            .last()
            .and_then(|s| integers.get(&s.ident))
            .map_or(&[][..], Vec::as_slice);
        if let Some(send) = send_of_mut(imp) {
            syn::visit_mut::VisitMut::visit_block_mut(&mut NoApiVersionHeader, &mut send.block);
            syn::visit_mut::VisitMut::visit_block_mut(
                &mut UnencodedIntegers(names),
                &mut send.block,
            );
        }
    }
}

/// progenitor sends `api-version: <info.version>` with every request, a convention of Oxide's
/// APIs that Vast.ai's does not have. Building that header map was a quarter of what an SDK
/// call cost over the same call written by hand with reqwest (BENCHMARKS.md), so the header
/// goes, and so does the map where it then carries nothing (no header parameters).
struct NoApiVersionHeader;

const HEADER_MAP: &str = "header_map";

impl syn::visit_mut::VisitMut for NoApiVersionHeader {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        syn::visit_mut::visit_block_mut(self, block);
        let before = block.stmts.len();
        block.stmts.retain(|stmt| !is_api_version_append(stmt));
        if block.stmts.len() == before {
            return;
        }
        // Left with only `let mut header_map = …;` and `.headers(header_map)`: drop both.
        let uses: usize = block
            .stmts
            .iter()
            .map(|s| ident_count(s.to_token_stream()))
            .sum();
        let declared = |stmt: &syn::Stmt| {
            matches!(stmt, syn::Stmt::Local(local)
                if matches!(&local.pat, syn::Pat::Ident(p) if p.ident == HEADER_MAP))
        };
        if uses == 2 && block.stmts.iter().any(declared) {
            block.stmts.retain(|stmt| !declared(stmt));
            for stmt in &mut block.stmts {
                syn::visit_mut::VisitMut::visit_stmt_mut(&mut NoHeadersCall, stmt);
            }
        }
    }
}

/// `header_map.append(HeaderName::from_static("api-version"), …);`
fn is_api_version_append(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Expr(syn::Expr::MethodCall(call), Some(_)) = stmt else {
        return false;
    };
    call.method == "append"
        && matches!(call.receiver.as_ref(), syn::Expr::Path(p) if p.path.is_ident(HEADER_MAP))
        && call.args.first().is_some_and(|name| {
            matches!(name, syn::Expr::Call(c) if c.args.first().is_some_and(|a| {
                matches!(a, syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. })
                    if s.value() == "api-version")
            }))
        })
}

/// `….headers(header_map)` becomes `…`.
struct NoHeadersCall;

impl syn::visit_mut::VisitMut for NoHeadersCall {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        if let syn::Expr::MethodCall(call) = expr
            && call.method == "headers"
            && call.args.len() == 1
            && matches!(&call.args[0], syn::Expr::Path(p) if p.path.is_ident(HEADER_MAP))
        {
            *expr = (*call.receiver).clone();
        }
    }
}

/// How often the identifier `header_map` occurs in `tokens`.
fn ident_count(tokens: TokenStream) -> usize {
    tokens
        .into_iter()
        .map(|tree| match tree {
            proc_macro2::TokenTree::Ident(ident) => usize::from(ident == HEADER_MAP),
            proc_macro2::TokenTree::Group(group) => ident_count(group.stream()),
            _ => 0,
        })
        .sum()
}

/// progenitor writes each path parameter into the URL as `encode_path(&id.to_string())`: two
/// strings per parameter per call. An integer's digits need no percent-encoding, so
/// `encode_path(&id.to_string())` becomes `id` for the integer parameters named.
struct UnencodedIntegers<'a>(&'a [syn::Ident]);

impl syn::visit_mut::VisitMut for UnencodedIntegers<'_> {
    /// The URL is built by `format!`, whose arguments syn keeps as plain tokens.
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        edit_format_args(mac, |arg| self.visit_expr_mut(arg));
    }

    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        let syn::Expr::Call(call) = expr else { return };
        let is_encode_path = matches!(call.func.as_ref(), syn::Expr::Path(p)
            if p.path.segments.last().is_some_and(|s| s.ident == "encode_path"));
        let Some(syn::Expr::Reference(reference)) = call.args.first() else {
            return;
        };
        let syn::Expr::MethodCall(to_string) = reference.expr.as_ref() else {
            return;
        };
        let syn::Expr::Path(param) = to_string.receiver.as_ref() else {
            return;
        };
        if is_encode_path
            && call.args.len() == 1
            && to_string.method == "to_string"
            && self.0.iter().any(|name| param.path.is_ident(name))
        {
            *expr = syn::Expr::Path(param.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::client_for;

    #[test]
    fn no_api_version_header_and_no_empty_header_map() {
        let source = client_for(serde_json::json!({
            "/plain": {"get": {"operationId": "plain", "responses": {"204": {"description": ""}}}},
            "/traced": {"get": {"operationId": "traced",
                "parameters": [{"name": "X-Trace", "in": "header", "required": true, "schema": {"type": "string"}}],
                "responses": {"204": {"description": ""}}}}
        }));
        assert!(!source.contains("api-version"), "{source}");
        // The operation with a header parameter keeps its map; the other has none.
        assert_eq!(source.matches("let mut header_map").count(), 1, "{source}");
        assert_eq!(
            source.matches(".headers(header_map)").count(),
            1,
            "{source}"
        );
        assert!(source.contains("header_map.append(\"X-Trace\""), "{source}");
    }

    #[test]
    fn integer_path_parameters_are_not_percent_encoded() {
        let source = client_for(serde_json::json!({
            "/a/{id}/b/{name}/": {"get": {"operationId": "both",
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}},
                    {"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"204": {"description": ""}}}}
        }));
        let url = source
            .split("let url = format!(")
            .nth(1)
            .and_then(|rest| rest.split(");").next())
            .expect("the URL");
        assert!(url.contains("encode_path(&name.to_string())"), "{url}");
        assert!(!url.contains("encode_path(&id"), "{url}");
        assert!(url.contains("id,"), "{url}");
    }
}
