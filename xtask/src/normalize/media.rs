//! Media-type fixes progenitor needs: JSON without a schema, `encoding`, and request bodies it cannot send.

use anyhow::Result;
use serde_json::{Map, Value, json};

use super::walk::{self, Site};
use crate::diagnostics::Diagnostics;
use crate::pointer::push;

/// Request body media types progenitor can send, in order of preference.
const SENDABLE_BODY_TYPES: [&str; 5] = [
    "application/json",
    "application/x-www-form-urlencoded",
    "application/octet-stream",
    "text/plain",
    "text/x-markdown",
];

pub fn is_json(media_type: &str) -> bool {
    media_type == "application/json" || media_type.starts_with("application/json;")
}

fn essence(media_type: &str) -> &str {
    media_type.split(';').next().unwrap_or(media_type).trim()
}

pub fn fix(doc: &mut Value, diags: &mut Diagnostics) -> Result<()> {
    walk::sites(doc, &mut |site, value, pointer| match site {
        Site::Response => {
            if let Some(Value::Object(content)) = value.get_mut("content") {
                fix_media_types(content, &push(pointer, "content"), diags);
            }
        }
        Site::RequestBody => fix_request_body(value, pointer, diags),
        _ => {}
    });
    Ok(())
}

fn fix_media_types(content: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
    for (media_type, mt) in content.iter_mut() {
        let Value::Object(mt) = mt else { continue };
        let mt_ptr = push(pointer, media_type);
        // progenitor `todo!()`s on a JSON body without a schema; any JSON value is what it means.
        if is_json(media_type) && !mt.contains_key("schema") {
            mt.insert("schema".into(), json!({}));
        }
        if mt.shift_remove("encoding").is_some() {
            diags.warn(
                push(&mt_ptr, "encoding"),
                "dropped: progenitor does not support media type encoding",
            );
        }
    }
}

fn fix_request_body(body: &mut Value, pointer: &str, diags: &mut Diagnostics) {
    let Value::Object(body) = body else { return };
    let Some(Value::Object(content)) = body.get_mut("content") else {
        return;
    };
    let content_ptr = push(pointer, "content");
    fix_media_types(content, &content_ptr, diags);
    if content.is_empty() {
        return;
    }
    // progenitor sends one media type per operation: keep the most useful one.
    let keep = SENDABLE_BODY_TYPES
        .iter()
        .find_map(|wanted| content.keys().find(|k| essence(k) == *wanted).cloned());
    let keep = match keep {
        Some(k) => k,
        None => {
            // Nothing progenitor can encode (e.g. multipart): send caller-encoded bytes instead.
            let first = content.keys().next().cloned().unwrap_or_default();
            diags.warn(
                push(&content_ptr, &first),
                format!("progenitor cannot encode `{first}` request bodies: the method takes raw bytes (application/octet-stream) instead"),
            );
            content.clear();
            content.insert("application/octet-stream".into(), json!({}));
            "application/octet-stream".to_owned()
        }
    };
    let dropped: Vec<String> = content.keys().filter(|k| **k != keep).cloned().collect();
    for media_type in dropped {
        content.shift_remove(&media_type);
        diags.warn(
            push(&content_ptr, &media_type),
            format!("dropped: the generated method sends `{keep}` only"),
        );
    }
    // progenitor accepts exactly one schema per raw body kind: `format: binary` for octet
    // streams, and a plain string (any format rejected) for text.
    let raw_schema = match essence(&keep) {
        "application/octet-stream" => Some(json!({"type": "string", "format": "binary"})),
        "text/plain" | "text/x-markdown" => Some(json!({"type": "string"})),
        _ => None,
    };
    if let Some(schema) = raw_schema
        && let Some(Value::Object(mt)) = content.get_mut(&keep)
    {
        mt.insert("schema".into(), schema);
    }
    if body.get("required") != Some(&json!(true)) {
        // progenitor always requires a body argument; saying so keeps the spec and the code in step.
        body.insert("required".into(), json!(true));
        diags.warn(
            push(pointer, "required"),
            "optional request body made required: the generated method always sends one",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(op: Value) -> (Value, Diagnostics) {
        let mut doc = json!({"paths": {"/a": {"post": op}}});
        let mut diags = Diagnostics::default();
        fix(&mut doc, &mut diags).unwrap();
        (doc["paths"]["/a"]["post"].take(), diags)
    }

    #[test]
    fn json_response_without_schema_gets_any_schema() {
        let (o, _) = op(
            json!({"responses": {"200": {"description": "", "content": {"application/json": {}}}}}),
        );
        assert_eq!(
            o["responses"]["200"]["content"]["application/json"]["schema"],
            json!({})
        );
    }

    #[test]
    fn several_body_media_types_keep_json() {
        let (o, d) = op(json!({"requestBody": {"required": true, "content": {
            "multipart/form-data": {"schema": {"type": "object"}},
            "application/json": {"schema": {"type": "object"}}}}, "responses": {}}));
        assert_eq!(
            o["requestBody"]["content"],
            json!({"application/json": {"schema": {"type": "object"}}})
        );
        assert!(d.contains(
            "/paths/~1a/post/requestBody/content/multipart~1form-data",
            "dropped"
        ));
    }

    #[test]
    fn unsendable_body_becomes_raw_bytes() {
        let (o, d) = op(
            json!({"requestBody": {"required": true, "content": {"multipart/form-data": {}}}, "responses": {}}),
        );
        assert_eq!(
            o["requestBody"]["content"],
            json!({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}})
        );
        assert!(!d.warnings().is_empty());
    }

    #[test]
    fn text_body_is_a_plain_string_progenitor_accepts() {
        let (o, _) = op(
            json!({"requestBody": {"required": true, "content": {"text/plain": {"schema": {"type": "string", "format": "binary", "maxLength": 9}}}},
                "responses": {"204": {"description": ""}}}),
        );
        assert_eq!(
            o["requestBody"]["content"]["text/plain"]["schema"],
            json!({"type": "string"})
        );
        let mut doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"post": o}}});
        doc["paths"]["/a"]["post"]["operationId"] = json!("put_text");
        // Panics if progenitor rejects the text body.
        crate::normalize::progenitor_output(doc);
    }

    #[test]
    fn optional_body_is_made_required_with_a_warning() {
        let (o, d) = op(
            json!({"requestBody": {"content": {"application/json": {"schema": {"type": "object",
            "properties": {"a": {"type": "string"}}}}}}, "responses": {}}),
        );
        assert_eq!(o["requestBody"]["required"], true);
        assert!(d.contains(
            "/paths/~1a/post/requestBody/required",
            "optional request body"
        ));
    }

    #[test]
    fn encoding_is_dropped_with_a_warning() {
        let (o, d) = op(
            json!({"requestBody": {"required": true, "content": {"application/json": {"schema": {}, "encoding": {}}}}, "responses": {}}),
        );
        assert!(
            o["requestBody"]["content"]["application/json"]
                .get("encoding")
                .is_none()
        );
        assert!(d.contains(
            "/paths/~1a/post/requestBody/content/application~1json/encoding",
            "dropped"
        ));
    }
}
