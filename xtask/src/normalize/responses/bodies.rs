//! One body type per class of response: differing JSON bodies merged into a named schema,
//! bodies of mixed kinds made raw bytes, and inline error bodies given names of their own.

use heck::ToPascalCase;
use serde_json::{Map, Value, json};

use super::merge::merge_schemas;
use super::{Body, Class, body_of};
use crate::diagnostics::Diagnostics;
use crate::normalize::media::is_json;
use crate::pointer::push;
use crate::refs::{component_ref, free_component_name, insert_component};

pub fn unify_class(
    doc: &mut Value,
    responses: &mut Map<String, Value>,
    class: Class,
    operation_id: &str,
    pointer: &str,
    diags: &mut Diagnostics,
) {
    let members: Vec<(String, Body)> = responses
        .iter()
        .filter(|(code, _)| class.contains(code))
        .map(|(code, r)| (code.clone(), body_of(r)))
        .collect();
    let mut distinct: Vec<&Body> = Vec::new();
    for (_, body) in &members {
        if !distinct.contains(&body) {
            distinct.push(body);
        }
    }
    if distinct.len() <= 1 {
        return;
    }
    let json_schemas: Vec<(String, Value)> = members
        .iter()
        .filter_map(|(code, b)| match b {
            Body::Json(schema) => Some((code.clone(), schema.clone())),
            _ => None,
        })
        .collect();
    let all_json = json_schemas.len() == members.len();
    if all_json || (class == Class::Error && !json_schemas.is_empty()) {
        // One JSON schema beside bodiless or text errors needs no merged copy: the errors keep
        // their documented type (`types::Error` rather than an identical `ShowInstancesError`).
        let single = json_schemas
            .iter()
            .all(|(_, s)| *s == json_schemas[0].1)
            .then(|| json_schemas[0].1.clone());
        let (reference, name) = match single {
            Some(schema) => (schema, None),
            None => {
                let merged = merge_schemas(doc, &json_schemas, operation_id, class);
                let name = free_component_name(
                    doc,
                    &format!("{}{}", operation_id.to_pascal_case(), class.suffix()),
                );
                insert_component(doc, &name, merged);
                let reference = json!({ "$ref": component_ref(&name) });
                (reference, Some(name))
            }
        };
        for (code, body) in &members {
            let response_ptr = push(pointer, code);
            let Some(Value::Object(response)) = responses.get_mut(code) else {
                continue;
            };
            match body {
                // Only the schema changes: the media type's examples stay for the fixtures.
                Body::Json(_) => {
                    if let Some(Value::Object(content)) = response.get_mut("content")
                        && let Some((_, Value::Object(media))) =
                            content.iter_mut().find(|(mt, _)| is_json(mt))
                    {
                        media.insert("schema".into(), reference.clone());
                    }
                }
                // An error without a JSON body beside JSON ones cannot share their type; left
                // undocumented it still reaches the caller, as an unexpected response with its
                // status and raw body.
                Body::Raw | Body::Empty => {
                    responses.shift_remove(code);
                    diags.warn(response_ptr, "dropped: no JSON body unlike the other errors; returned as an unexpected response");
                }
            }
        }
        if let Some(name) = name {
            diags.warn(
                pointer,
                format!(
                    "{} bodies differ: merged into `{name}`",
                    class.suffix().to_lowercase()
                ),
            );
        }
    } else {
        // Mixed JSON / raw / empty bodies: raw bytes carry all of them without loss.
        for (code, _) in &members {
            if let Some(Value::Object(response)) = responses.get_mut(code) {
                response.insert(
                    "content".into(),
                    json!({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}),
                );
            }
        }
        diags.warn(
            pointer,
            format!(
                "{} bodies differ in kind: returned as raw bytes",
                class.suffix().to_lowercase()
            ),
        );
    }
}

/// progenitor names an inline body schema `<Operation>Response` whether it is a success or an
/// error, so an inline error body took the success type's name and was parsed into that type,
/// losing its own fields. Each inline JSON error schema becomes the component `<Operation>Error`.
pub fn name_inline_errors(doc: &mut Value, responses: &mut Map<String, Value>, operation_id: &str) {
    let mut named: Vec<(Value, Value)> = Vec::new();
    for (code, response) in responses.iter_mut() {
        if !Class::Error.contains(code) {
            continue;
        }
        let Some(Value::Object(content)) = response.get_mut("content") else {
            continue;
        };
        let Some((_, Value::Object(media))) = content.iter_mut().find(|(mt, _)| is_json(mt)) else {
            continue;
        };
        let Some(schema) = media.get("schema").filter(|s| s.get("$ref").is_none()) else {
            continue;
        };
        let reference = match named.iter().find(|(inline, _)| inline == schema) {
            Some((_, reference)) => reference.clone(),
            None => {
                let name = free_component_name(
                    doc,
                    &format!("{}{}", operation_id.to_pascal_case(), Class::Error.suffix()),
                );
                insert_component(doc, &name, schema.clone());
                let reference = json!({ "$ref": component_ref(&name) });
                named.push((schema.clone(), reference.clone()));
                reference
            }
        };
        media.insert("schema".into(), reference);
    }
}
