//! Makes every operation's parameters something progenitor can generate a usable method for.

mod mocks;
mod rewrite;
mod schemas;

use anyhow::Result;
use serde_json::{Value, json};

use super::operations::{item_operations_mut, path_items_mut};
use crate::diagnostics::Diagnostics;
use crate::pointer::{self, push};
pub use mocks::for_mocks;
use rewrite::keep_parameter;

pub fn fix(doc: &mut Value, diags: &mut Diagnostics) -> Result<()> {
    let snapshot = doc.clone();
    for (path, item) in path_items_mut(doc) {
        let item_ptr = push("/paths", path);
        // Path-level parameters are copied into each operation (operation entries win, as in
        // OpenAPI), so every later rule sees one flat list per operation.
        let shared = numbered(
            item.shift_remove("parameters"),
            &push(&item_ptr, "parameters"),
            &snapshot,
        );
        let template = template_names(path);
        for (method, op) in item_operations_mut(item) {
            let Value::Object(op) = op else { continue };
            let op_ptr = push(&item_ptr, method);
            let own = numbered(
                op.shift_remove("parameters"),
                &push(&op_ptr, "parameters"),
                &snapshot,
            );
            let mut params = merge(&shared, own);
            params.retain_mut(|(p, ptr)| keep_parameter(p, ptr, &template, &snapshot, diags));
            for name in &template {
                let declared = params
                    .iter()
                    .any(|(p, _)| is_in(p, "path") && p.get("name") == Some(&json!(name)));
                if !declared {
                    diags.warn(
                        &op_ptr,
                        format!("path parameter `{name}` is not declared: added as a string"),
                    );
                    params.push((json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}), op_ptr.clone()));
                }
            }
            if !params.is_empty() {
                op.insert(
                    "parameters".into(),
                    Value::Array(params.into_iter().map(|(p, _)| p).collect()),
                );
            }
        }
    }
    Ok(())
}

/// The parameters of a `parameters` list, each with its pointer (`list_ptr/<index>`); a `$ref`ed
/// one is replaced by a copy of its target (left alone if it does not resolve: the reference
/// check reports that with its pointer). Not a list: none.
fn numbered(list: Option<Value>, list_ptr: &str, doc: &Value) -> Vec<(Value, String)> {
    match list {
        Some(Value::Array(list)) => list
            .into_iter()
            .enumerate()
            .map(|(i, p)| (pointer::inlined(doc, p), push(list_ptr, &i.to_string())))
            .collect(),
        _ => Vec::new(),
    }
}

fn key(p: &Value) -> (Option<&Value>, Option<&Value>) {
    (p.get("name"), p.get("in"))
}

fn merge(shared: &[(Value, String)], own: Vec<(Value, String)>) -> Vec<(Value, String)> {
    let mut merged: Vec<(Value, String)> = shared
        .iter()
        .filter(|(s, _)| !own.iter().any(|(o, _)| key(o) == key(s)))
        .cloned()
        .collect();
    merged.extend(own);
    merged
}

fn is_in(param: &Value, location: &str) -> bool {
    param.get("in") == Some(&json!(location))
}

fn template_names(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()))
        .collect()
}

#[cfg(test)]
mod tests;
