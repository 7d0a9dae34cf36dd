//! Fixes one parameter in place, or drops it: what progenitor cannot send or type is rewritten,
//! with a note in its description and a warning.

use serde_json::{Value, json};

use super::schemas::{Shape, documented_as, is_object_like, shape};
use crate::diagnostics::Diagnostics;
use crate::normalize::append_description;
use crate::pointer::push;

/// Fixes one parameter in place; `false` drops it.
pub fn keep_parameter(
    param: &mut Value,
    ptr: &str,
    template: &[String],
    doc: &Value,
    diags: &mut Diagnostics,
) -> bool {
    let Value::Object(map) = param else {
        return true;
    };
    let name = map
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let location = map
        .get("in")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if location == "cookie" {
        diags.warn(
            ptr,
            format!("cookie parameter `{name}` dropped: progenitor cannot send cookies"),
        );
        return false;
    }
    if location == "path" && !template.contains(&name) {
        diags.warn(
            ptr,
            format!("path parameter `{name}` does not appear in the path: dropped"),
        );
        return false;
    }
    if let Some(content) = map.shift_remove("content") {
        // A parameter serialised as a media type (e.g. JSON in a query string) is sent as the
        // caller's already-encoded string; progenitor would otherwise form-encode it.
        let media = content
            .as_object()
            .and_then(|c| c.keys().next().cloned())
            .unwrap_or_default();
        diags.warn(
            push(ptr, "content"),
            format!("parameter `{name}` is encoded as `{media}`: the generated method takes the encoded string"),
        );
        map.insert("schema".into(), json!({"type": "string"}));
        append_description(map, &format!("Encoded as `{media}` by the caller."));
    }
    map.entry("schema")
        .or_insert_with(|| json!({"type": "string"}));
    let required = map.get("required") == Some(&json!(true));
    if location == "path" && !required {
        map.insert("required".into(), json!(true));
        diags.warn(
            push(ptr, "required"),
            format!("path parameter `{name}` made required (path parameters always are)"),
        );
    }
    // Read once: the deepObject branch that replaces the schema returns.
    let schema = map.get("schema").cloned().unwrap_or(Value::Null);
    let object_like = is_object_like(&schema, doc, 0);
    if map.get("style") == Some(&json!("deepObject")) {
        map.shift_remove("style");
        map.shift_remove("explode");
        if location == "query" && object_like {
            // `filter[a]=1&filter[b]=2`: progenitor rejects the style, but form-explodes a map,
            // so a map whose keys the caller writes as `filter[a]` puts the same on the wire.
            let documented = documented_as(&schema, doc);
            map.insert(
                "schema".into(),
                json!({"type": "object", "additionalProperties": {}}),
            );
            append_description(
                map,
                &format!(
                    "Documented as {documented}, sent `style: deepObject`: key each entry `{name}[property]` (`{name}[a]` is sent as `{name}[a]=…`)."
                ),
            );
            diags.warn(
                push(ptr, "style"),
                format!(
                    "deepObject parameter `{name}` is sent as a map whose keys the caller writes as `{name}[property]`: progenitor does not support `style: deepObject`"
                ),
            );
            return true;
        }
        diags.warn(
            push(ptr, "style"),
            format!(
                "`style: deepObject` on `{name}`, which is not an object query parameter (the style defines no other), dropped: sent in the location's default style"
            ),
        );
    }
    let header_list = location == "header" && shape(&schema, doc) == Shape::Array;
    if location != "path" && (object_like || header_list) {
        // progenitor's builder interface only accepts a struct (a type with a builder) as the
        // body: it asserts on a required struct parameter and hits `unreachable!()` on an
        // optional one. A JSON map carries the same fields (query objects are form-exploded,
        // `?gpu_name=...`) and may stay optional; headers need text (`to_string()`).
        // Header values are sent with `to_string()`, which lists do not have either.
        let (replacement, sent_as) = if location == "header" {
            (json!({"type": "string"}), "the caller's encoded string")
        } else {
            (
                json!({"type": "object", "additionalProperties": {}}),
                "a JSON map",
            )
        };
        let documented = documented_as(&schema, doc);
        map.insert("schema".into(), replacement);
        append_description(
            map,
            &format!("Documented as {documented}; sent as {sent_as}."),
        );
        let why = if header_list {
            "progenitor sends header values with `to_string()`"
        } else {
            "progenitor accepts a struct only as the request body"
        };
        diags.warn(
            push(ptr, "schema"),
            format!(
                "{} parameter `{name}` is sent as {sent_as}: {why}",
                if header_list { "list" } else { "object" }
            ),
        );
    }
    true
}
