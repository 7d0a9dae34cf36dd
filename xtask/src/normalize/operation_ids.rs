//! Gives every operation a unique operationId, synthesising missing ones deterministically.

use std::collections::BTreeMap;

use anyhow::{Result, bail};
use heck::ToSnakeCase;
use serde_json::{Value, json};

use super::operations::operations_in_method_order;
use crate::diagnostics::Diagnostics;

/// progenitor names methods after the snake_case form of the operationId, so uniqueness is
/// checked on that form: `getFoo` and `get_foo` would otherwise become one method.
fn method_name(operation_id: &str) -> String {
    let name = operation_id
        .replace('\'', "")
        .replace(|c: char| !c.is_alphanumeric() && c != '_', " ")
        .to_snake_case();
    // A leading digit cannot start a Rust identifier.
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("op_{name}")
    } else {
        name
    }
}

struct Operation {
    pointer: String,
    method: String,
    path: String,
    summary: Option<String>,
    existing: Option<String>,
}

/// Fills in missing operationIds; two existing ones that clash are an error.
pub fn assign(doc: &mut Value, diags: &mut Diagnostics) -> Result<()> {
    let operations = collect(doc);
    // Method name -> pointer of the operation that owns it.
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    for op in &operations {
        let Some(id) = &op.existing else { continue };
        let name = method_name(id);
        if name.is_empty() {
            bail!(
                "{}/operationId: {id:?} has no usable characters",
                op.pointer
            );
        }
        if let Some(first) = taken.insert(name.clone(), op.pointer.clone()) {
            bail!(
                "{}/operationId: duplicate operationId {id:?} (method `{name}` is already used by {first})",
                op.pointer
            );
        }
        // Every later step (merged type names, fixtures, the mock index, the operation named in
        // `vast_api::Error`) then uses the method's name: `showOffer` is `show_offer` throughout.
        if *id != name
            && let Some(operation) = doc.pointer_mut(&op.pointer)
        {
            operation["operationId"] = json!(name);
        }
    }
    for op in &operations {
        if op.existing.is_some() {
            continue;
        }
        let base = synthesise(op);
        let mut candidate = base.clone();
        if taken.contains_key(&candidate) {
            candidate = format!("{base}_{}", op.method);
        }
        let mut n = 2;
        while taken.contains_key(&candidate) {
            candidate = format!("{base}_{n}");
            n += 1;
        }
        if candidate != base {
            diags.warn(
                &op.pointer,
                format!(
                    "synthesised operationId `{base}` is taken ({}); using `{candidate}`",
                    taken[&base]
                ),
            );
        }
        taken.insert(candidate.clone(), op.pointer.clone());
        if let Some(operation) = doc.pointer_mut(&op.pointer) {
            operation["operationId"] = json!(candidate);
        }
    }
    Ok(())
}

fn collect(doc: &Value) -> Vec<Operation> {
    operations_in_method_order(doc)
        // A malformed operation is left for the structural check, which names its pointer.
        .filter(|op| op.operation.is_object())
        .map(|op| {
            let text = |key: &str| {
                op.operation
                    .get(key)
                    .and_then(Value::as_str)
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
            };
            Operation {
                pointer: op.pointer(),
                method: op.method.to_owned(),
                path: op.path.to_owned(),
                summary: text("summary"),
                existing: text("operationId"),
            }
        })
        .collect()
}

/// From the summary (`rotate notification webhook secret` -> `rotate_notification_webhook_secret`,
/// the name Vast's own spec uses), else from method and path.
fn synthesise(op: &Operation) -> String {
    let from_summary = op.summary.as_deref().map(method_name).unwrap_or_default();
    if from_summary.is_empty() {
        method_name(&format!(
            "{} {}",
            op.method,
            op.path.replace(['{', '}'], " ")
        ))
    } else {
        from_summary
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(paths: Value) -> (Result<(), String>, Value, Diagnostics) {
        let mut doc = json!({ "paths": paths });
        let mut diags = Diagnostics::default();
        let result = assign(&mut doc, &mut diags).map_err(|e| e.to_string());
        (result, doc, diags)
    }

    #[test]
    fn summary_gives_the_method_name() {
        let (r, doc, _) = run(
            json!({"/api/v0/webhooks/{id}/rotate-secret/": {"post": {"summary": "rotate notification webhook secret"}}}),
        );
        r.unwrap();
        assert_eq!(
            doc["paths"]["/api/v0/webhooks/{id}/rotate-secret/"]["post"]["operationId"],
            "rotate_notification_webhook_secret"
        );
    }

    #[test]
    fn without_summary_method_and_path_are_used() {
        let (r, doc, _) = run(json!({"/api/v0/instances/{id}/": {"delete": {}}}));
        r.unwrap();
        assert_eq!(
            doc["paths"]["/api/v0/instances/{id}/"]["delete"]["operationId"],
            "delete_api_v0_instances_id"
        );
    }

    #[test]
    fn existing_ids_are_kept_and_win_collisions() {
        let (r, doc, diags) = run(json!({
            "/a": {"get": {"summary": "list things"}},
            "/b": {"get": {"operationId": "list_things"}, "post": {"summary": "list things"}}
        }));
        r.unwrap();
        assert_eq!(doc["paths"]["/b"]["get"]["operationId"], "list_things");
        assert_eq!(doc["paths"]["/a"]["get"]["operationId"], "list_things_get");
        assert_eq!(
            doc["paths"]["/b"]["post"]["operationId"],
            "list_things_post"
        );
        assert!(diags.contains("/paths/~1a/get", "list_things_get"));
    }

    #[test]
    fn existing_ids_become_the_method_name() {
        let (r, doc, d) = run(json!({
            "/a": {"get": {"operationId": "showOffer"}},
            "/b": {"get": {"operationId": "2faStatus"}},
            "/c": {"get": {"operationId": "already_snake"}}
        }));
        r.unwrap();
        let id = |p: &str| doc["paths"][p]["get"]["operationId"].clone();
        assert_eq!(
            [id("/a"), id("/b"), id("/c")],
            [
                json!("show_offer"),
                json!("op_2fa_status"),
                json!("already_snake")
            ]
        );
        assert!(d.warnings().is_empty());
    }

    #[test]
    fn repeated_collisions_are_numbered() {
        let (r, doc, _) = run(json!({
            "/a": {"get": {"summary": "same"}}, "/b": {"get": {"summary": "same"}}, "/c": {"get": {"summary": "same"}}
        }));
        r.unwrap();
        let ids: Vec<_> = ["/a", "/b", "/c"]
            .iter()
            .map(|p| doc["paths"][p]["get"]["operationId"].clone())
            .collect();
        assert_eq!(ids, [json!("same"), json!("same_get"), json!("same_2")]);
    }

    #[test]
    fn duplicate_existing_ids_are_an_error_naming_both() {
        let (r, _, _) = run(
            json!({"/a": {"get": {"operationId": "getThing"}}, "/b": {"get": {"operationId": "get_thing"}}}),
        );
        let err = r.unwrap_err();
        assert!(
            err.contains("/paths/~1b/get/operationId") && err.contains("/paths/~1a/get"),
            "{err}"
        );
    }

    #[test]
    fn result_is_deterministic() {
        let paths = json!({"/x/{id}": {"get": {}, "put": {"summary": "Update X!"}}, "/9": {"get": {"summary": "9 lives"}}});
        assert_eq!(run(paths.clone()).1, run(paths).1);
        let (_, doc, _) = run(json!({"/9": {"get": {"summary": "9 lives"}}}));
        assert_eq!(doc["paths"]["/9"]["get"]["operationId"], "op_9_lives");
    }
}
