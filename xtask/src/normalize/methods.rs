//! Drops operations whose HTTP method progenitor cannot send.
//!
//! progenitor 0.15 calls `reqwest::Client::<method>(url)`, and reqwest has no `options` or
//! `trace` method: such an operation would not compile.

use anyhow::Result;
use serde_json::Value;

use super::operations::{item_operations, path_items_mut};
use crate::diagnostics::Diagnostics;
use crate::pointer::push;

const UNSENDABLE: [&str; 2] = ["options", "trace"];

pub fn drop_unsendable(doc: &mut Value, diags: &mut Diagnostics) -> Result<()> {
    for (path, item) in path_items_mut(doc) {
        let unsendable: Vec<&str> = item_operations(item)
            .map(|(method, _)| method)
            .filter(|method| UNSENDABLE.contains(method))
            .collect();
        for method in unsendable {
            item.shift_remove(method);
            diags.warn(
                push(&push("/paths", path), method),
                format!(
                    "dropped: the generated client cannot send {} requests",
                    method.to_uppercase()
                ),
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn options_and_trace_are_dropped_with_a_warning() {
        let mut doc = json!({"paths": {"/a/{id}": {"options": {}, "trace": {}, "get": {}, "parameters": []}}});
        let mut diags = Diagnostics::default();
        drop_unsendable(&mut doc, &mut diags).unwrap();
        assert_eq!(
            doc,
            json!({"paths": {"/a/{id}": {"get": {}, "parameters": []}}})
        );
        assert!(diags.contains("/paths/~1a~1{id}/options", "OPTIONS"));
        assert!(diags.contains("/paths/~1a~1{id}/trace", "TRACE"));
    }

    #[test]
    fn progenitor_output_for_options_calls_a_missing_reqwest_method() {
        // The reason for this rule: if progenitor learns `request(Method::OPTIONS, ..)`, the
        // rule can go.
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
            "/a": {"options": {"operationId": "opts", "responses": {"204": {"description": ""}}}}}});
        let code = crate::normalize::progenitor_output(doc);
        assert!(code.contains(". options ("), "{code}");
    }
}
