//! Gives each operation one success body type and one error body type, as progenitor requires.
//!
//! progenitor asserts that all success responses (2xx and `default`) share one body type, and
//! likewise all error responses (4xx, 5xx and `default`). Real specs document different error
//! bodies per status. Differing JSON bodies are merged into one named schema holding every
//! documented property, so no field is lost; bodies of other kinds are made uniform.

use std::collections::BTreeSet;

use heck::ToPascalCase;
use serde_json::{Map, Value, json};

use super::media::is_json;
use super::operations::operations_in_method_order;
use crate::diagnostics::Diagnostics;
use crate::pointer::{self, push};

/// The body of a response, as progenitor classifies it.
#[derive(Debug, Clone, PartialEq)]
enum Body {
    Json(Value),
    Raw,
    Empty,
}

#[derive(Clone, Copy, PartialEq)]
enum Class {
    Success,
    Error,
}

impl Class {
    fn suffix(self) -> &'static str {
        match self {
            Class::Success => "Response",
            Class::Error => "Error",
        }
    }

    fn contains(self, code: &str) -> bool {
        match self {
            Class::Success => {
                code == "default"
                    || code == "101"
                    || code == "2XX"
                    || code.starts_with('2') && code.len() == 3
            }
            Class::Error => {
                code == "default"
                    || code == "4XX"
                    || code == "5XX"
                    || (code.starts_with('4') || code.starts_with('5')) && code.len() == 3
            }
        }
    }
}

pub fn unify(doc: &mut Value, diags: &mut Diagnostics) {
    let operations: Vec<(String, String)> = operations_in_method_order(doc)
        .map(|op| {
            (
                push(&push("/paths", op.path), op.method),
                op.id().to_owned(),
            )
        })
        .collect();
    for (op_ptr, operation_id) in operations {
        let responses_ptr = push(&op_ptr, "responses");
        let Some(Value::Object(responses)) = doc.pointer(&responses_ptr).cloned() else {
            continue;
        };
        let mut responses = inline_responses(doc, responses);
        fix_status_codes(&mut responses, &responses_ptr, diags);
        split_default(&mut responses, &responses_ptr, diags);
        drop_raw_errors(&mut responses, &responses_ptr, diags);
        for class in [Class::Success, Class::Error] {
            unify_class(
                doc,
                &mut responses,
                class,
                &operation_id,
                &responses_ptr,
                diags,
            );
        }
        fold_into_ranges(&mut responses, &responses_ptr, diags);
        name_inline_errors(doc, &mut responses, &operation_id);
        if let Some(slot) = doc.pointer_mut(&responses_ptr) {
            *slot = Value::Object(responses);
        }
    }
}

/// Replaces `$ref`ed responses by copies so that each operation can be changed on its own.
fn inline_responses(doc: &Value, responses: Map<String, Value>) -> Map<String, Value> {
    responses
        .into_iter()
        .map(|(code, r)| {
            let resolved = match r.get("$ref").and_then(Value::as_str) {
                Some(reference) => pointer::resolve(doc, reference).cloned().unwrap_or(r),
                None => r,
            };
            (code, resolved)
        })
        .collect()
}

/// progenitor's mock generator needs a reason phrase for every code and range names in upper case.
fn fix_status_codes(responses: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
    let codes: Vec<String> = responses.keys().cloned().collect();
    for code in codes {
        let upper = code.to_ascii_uppercase();
        let replacement = if code == "default" {
            None
        } else if is_range(&upper) {
            (upper != code).then_some(upper)
        } else {
            match code
                .parse::<u16>()
                .ok()
                .and_then(|c| http::StatusCode::from_u16(c).ok())
            {
                Some(status) if status.canonical_reason().is_some() => None,
                Some(status) => Some(format!("{}XX", status.as_u16() / 100)),
                None => {
                    diags.warn(push(pointer, &code), "dropped: not an HTTP status code");
                    responses.shift_remove(&code);
                    continue;
                }
            }
        };
        let Some(replacement) = replacement else {
            continue;
        };
        let Some(response) = responses.shift_remove(&code) else {
            continue;
        };
        if responses.contains_key(&replacement) {
            diags.warn(
                push(pointer, &code),
                format!("dropped: non-standard status, and `{replacement}` is already documented"),
            );
        } else {
            diags.warn(
                push(pointer, &code),
                format!("non-standard status documented as `{replacement}`"),
            );
            responses.insert(replacement, response);
        }
    }
}

fn is_range(code: &str) -> bool {
    code.len() == 3 && code.ends_with("XX") && code.starts_with(['1', '2', '3', '4', '5'])
}

/// `default` counts as both success and error for progenitor. Beside explicit success codes it is
/// meant as "any error", so it becomes `4XX` and `5XX` when its body differs from theirs.
fn split_default(responses: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
    let Some(default) = responses.get("default") else {
        return;
    };
    let success_bodies: BTreeSet<String> = responses
        .iter()
        .filter(|(code, _)| *code != "default" && Class::Success.contains(code))
        .map(|(_, r)| format!("{:?}", body_of(r)))
        .collect();
    if success_bodies.is_empty()
        || success_bodies.contains(&format!("{:?}", body_of(default))) && success_bodies.len() == 1
    {
        return;
    }
    let Some(default) = responses.shift_remove("default") else {
        return;
    };
    for range in ["4XX", "5XX"] {
        responses.entry(range).or_insert_with(|| default.clone());
    }
    diags.warn(
        push(pointer, "default"),
        "documented as `4XX` and `5XX`: its body differs from the success body",
    );
}

/// A documented non-JSON error body makes progenitor's error type `ByteStream`, which the SDK's
/// `call()` cannot turn into a `vast_api::Error`. Undocumented, the response still reaches the
/// caller with its status and body (an unexpected response, whose text the SDK reports).
/// `default` stays: without explicit success codes it is also the success response.
fn drop_raw_errors(responses: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
    let raw: Vec<String> = responses
        .iter()
        .filter(|(code, r)| {
            *code != "default" && Class::Error.contains(code) && body_of(r) == Body::Raw
        })
        .map(|(code, _)| code.clone())
        .collect();
    for code in raw {
        // `shift_remove` keeps the spec's order (fixtures follow it); `remove` swaps.
        responses.shift_remove(&code);
        diags.warn(
            push(pointer, &code),
            "dropped: a non-JSON error body; returned as an unexpected response (status and body kept)",
        );
    }
}

/// progenitor matches responses in the order of their codes, with `4XX` counting as 400: the
/// range's arm comes first and the arms of `401`, `404`... are unreachable (a compiler warning
/// in the generated client). Once a class has one body type the range covers them anyway.
fn fold_into_ranges(responses: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
    let ranges: Vec<String> = responses
        .keys()
        .filter(|code| is_range(code))
        .cloned()
        .collect();
    for range in ranges {
        let covered: Vec<String> = responses
            .keys()
            .filter(|code| code.len() == 3 && !is_range(code) && code[..1] == range[..1])
            .cloned()
            .collect();
        for code in covered {
            responses.shift_remove(&code);
            diags.warn(
                push(pointer, &code),
                format!("folded into `{range}`: progenitor would match the range first"),
            );
        }
    }
}

fn body_of(response: &Value) -> Body {
    match response.get("content") {
        Some(Value::Object(content)) if !content.is_empty() => content
            .iter()
            .find(|(mt, _)| is_json(mt))
            .map(|(_, mt)| Body::Json(mt.get("schema").cloned().unwrap_or_else(|| json!({}))))
            .unwrap_or(Body::Raw),
        _ => Body::Empty,
    }
}

fn unify_class(
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
                let reference = json!({ "$ref": format!("#/components/schemas/{name}") });
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
fn name_inline_errors(doc: &mut Value, responses: &mut Map<String, Value>, operation_id: &str) {
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
                let reference = json!({ "$ref": format!("#/components/schemas/{name}") });
                named.push((schema.clone(), reference.clone()));
                reference
            }
        };
        media.insert("schema".into(), reference);
    }
}

fn free_component_name(doc: &Value, base: &str) -> String {
    let taken = |name: &str| doc.pointer(&push("/components/schemas", name)).is_some();
    let mut name = base.to_owned();
    let mut n = 2;
    while taken(&name) {
        name = format!("{base}{n}");
        n += 1;
    }
    name
}

fn insert_component(doc: &mut Value, name: &str, schema: Value) {
    let Value::Object(root) = doc else { return };
    let components = root.entry("components").or_insert_with(|| json!({}));
    let Value::Object(components) = components else {
        return;
    };
    let schemas = components.entry("schemas").or_insert_with(|| json!({}));
    if let Value::Object(schemas) = schemas {
        schemas.insert(name.to_owned(), schema);
    }
}

/// The properties of an object schema after following `$ref` and merging `allOf`; `None` when the
/// schema is not a plain object (arrays, scalars, `oneOf`...).
fn flatten(
    doc: &Value,
    schema: &Value,
    depth: usize,
) -> Option<(Map<String, Value>, BTreeSet<String>)> {
    if depth > pointer::MAX_REF_CHAIN {
        return None;
    }
    let map = pointer::target(doc, schema)?.as_object()?;
    if map.contains_key("oneOf") || map.contains_key("anyOf") {
        return None;
    }
    let is_object = map.get("type").is_none_or(|t| t == "object");
    if !is_object {
        return None;
    }
    let mut properties = Map::new();
    let mut required = BTreeSet::new();
    if let Some(Value::Array(parts)) = map.get("allOf") {
        for part in parts {
            let (p, r) = flatten(doc, part, depth + 1)?;
            properties.extend(p);
            required.extend(r);
        }
    }
    if let Some(Value::Object(own)) = map.get("properties") {
        properties.extend(own.clone());
    }
    if let Some(Value::Array(list)) = map.get("required") {
        required.extend(list.iter().filter_map(|v| v.as_str().map(str::to_owned)));
    }
    Some((properties, required))
}

/// One object schema with every property of every body; a property documented with different
/// schemas becomes any JSON value, and a field is required only when every body requires it.
fn merge_schemas(
    doc: &Value,
    schemas: &[(String, Value)],
    operation_id: &str,
    class: Class,
) -> Value {
    let codes: Vec<&str> = schemas.iter().map(|(c, _)| c.as_str()).collect();
    let description = format!(
        "Every {} body documented for `{operation_id}` ({}), merged into one type.",
        match class {
            Class::Success => "success",
            Class::Error => "error",
        },
        codes.join(", ")
    );
    let flattened: Option<Vec<_>> = schemas.iter().map(|(_, s)| flatten(doc, s, 0)).collect();
    let Some(flattened) = flattened else {
        return json!({ "description": description });
    };
    let mut properties = Map::new();
    for (props, _) in &flattened {
        for (name, schema) in props {
            match properties.get(name) {
                None => {
                    properties.insert(name.clone(), schema.clone());
                }
                Some(existing) if same_shape(existing, schema) => {}
                Some(_) => {
                    properties.insert(name.clone(), json!({"description": "Documented with different types by different responses."}));
                }
            }
        }
    }
    let mut required: Option<BTreeSet<String>> = None;
    for (_, r) in &flattened {
        required = Some(match required {
            None => r.clone(),
            Some(acc) => acc.intersection(r).cloned().collect(),
        });
    }
    let mut merged =
        json!({"type": "object", "description": description, "properties": properties});
    let required: Vec<String> = required.unwrap_or_default().into_iter().collect();
    if !required.is_empty() {
        merged["required"] = json!(required);
    }
    merged
}

/// Equal apart from documentation, which does not change the generated type.
fn same_shape(a: &Value, b: &Value) -> bool {
    fn strip(v: &Value) -> Value {
        match v {
            Value::Object(m) => Value::Object(
                m.iter()
                    .filter(|(k, _)| {
                        !matches!(k.as_str(), "description" | "example" | "examples" | "title")
                    })
                    .map(|(k, v)| (k.clone(), strip(v)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
    strip(a) == strip(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(responses: Value, schemas: Value) -> (Value, Diagnostics) {
        let mut doc = json!({"paths": {"/a": {"get": {"operationId": "get_a", "responses": responses}}},
            "components": {"schemas": schemas}});
        let mut diags = Diagnostics::default();
        unify(&mut doc, &mut diags);
        (doc, diags)
    }

    fn json_body(schema: Value) -> Value {
        json!({"description": "", "content": {"application/json": {"schema": schema}}})
    }

    #[test]
    fn differing_error_bodies_merge_without_losing_fields() {
        let (doc, d) = run(
            json!({"200": json_body(json!({"type": "string"})),
                   "400": json_body(json!({"$ref": "#/components/schemas/Error"})),
                   "422": json_body(json!({"type": "object", "required": ["msg", "fields"],
                          "properties": {"msg": {"type": "string"}, "fields": {"type": "array", "items": {"type": "string"}}}}))}),
            json!({"Error": {"type": "object", "required": ["msg"], "properties": {"msg": {"type": "string"}, "error": {"type": "string"}}}}),
        );
        let merged = &doc["components"]["schemas"]["GetAError"];
        let props: Vec<_> = merged["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(props, ["msg", "error", "fields"]);
        assert_eq!(merged["required"], json!(["msg"]));
        let responses = &doc["paths"]["/a"]["get"]["responses"];
        for code in ["400", "422"] {
            assert_eq!(
                responses[code]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/GetAError"
            );
        }
        assert_eq!(
            responses["200"]["content"]["application/json"]["schema"],
            json!({"type": "string"})
        );
        assert!(d.contains("/paths/~1a/get/responses", "merged into `GetAError`"));
    }

    #[test]
    fn conflicting_property_types_become_any_value() {
        let (doc, _) = run(
            json!({"400": json_body(json!({"properties": {"code": {"type": "string"}}})),
                   "500": json_body(json!({"properties": {"code": {"type": "integer"}}}))}),
            json!({}),
        );
        let code = &doc["components"]["schemas"]["GetAError"]["properties"]["code"];
        assert!(code.get("type").is_none(), "{code}");
    }

    #[test]
    fn non_object_error_bodies_merge_to_any_value() {
        let (doc, _) = run(
            json!({"400": json_body(json!({"type": "array", "items": {}})), "500": json_body(json!({"type": "string"}))}),
            json!({}),
        );
        let merged = &doc["components"]["schemas"]["GetAError"];
        assert!(
            merged.get("type").is_none() && merged.get("properties").is_none(),
            "{merged}"
        );
    }

    #[test]
    fn bodiless_error_beside_json_errors_is_dropped_with_a_warning() {
        let (doc, d) = run(
            json!({"401": json_body(json!({"type": "object", "properties": {"a": {"type": "string"}}})),
                   "404": json_body(json!({"type": "object", "properties": {"b": {"type": "string"}}})),
                   "409": {"description": "no body"}}),
            json!({}),
        );
        assert!(doc["paths"]["/a"]["get"]["responses"].get("409").is_none());
        assert!(d.contains("/paths/~1a/get/responses/409", "dropped"));
    }

    #[test]
    fn one_json_error_beside_a_text_error_keeps_its_type() {
        let (doc, d) = run(
            json!({"200": json_body(json!({"type": "string"})),
                   "401": json_body(json!({"$ref": "#/components/schemas/Error"})),
                   "429": {"description": "", "content": {"text/plain": {"schema": {"type": "string"}}}}}),
            json!({"Error": {"type": "object"}}),
        );
        let responses = &doc["paths"]["/a"]["get"]["responses"];
        assert!(responses.get("429").is_none());
        assert_eq!(
            responses["401"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Error"
        );
        assert!(doc["components"]["schemas"].get("GetAError").is_none());
        assert!(d.contains("/paths/~1a/get/responses/429", "dropped"));
        assert!(!d.contains("/paths/~1a/get/responses", "merged"));
    }

    #[test]
    fn text_only_errors_are_dropped_but_text_success_stays() {
        let text =
            json!({"description": "", "content": {"text/plain": {"schema": {"type": "string"}}}});
        let (doc, d) = run(
            json!({"200": text.clone(), "413": text.clone(), "5XX": text, "404": {"description": "gone"}}),
            json!({}),
        );
        let responses = doc["paths"]["/a"]["get"]["responses"].as_object().unwrap();
        assert_eq!(responses.keys().collect::<Vec<_>>(), ["200", "404"]);
        assert!(d.contains("/paths/~1a/get/responses/413", "unexpected response"));
        assert!(d.contains("/paths/~1a/get/responses/5XX", "unexpected response"));
    }

    #[test]
    fn codes_a_range_shadows_are_folded_into_it_after_merging() {
        let (doc, d) = run(
            json!({"200": json_body(json!({"type": "string"})),
                   "400": json_body(json!({"type": "object", "properties": {"fields": {"type": "object"}}})),
                   "401": json_body(json!({"$ref": "#/components/schemas/Error"})),
                   "420": json_body(json!({"$ref": "#/components/schemas/Error"})),
                   "503": json_body(json!({"$ref": "#/components/schemas/Error"}))}),
            json!({"Error": {"type": "object", "properties": {"msg": {"type": "string"}}}}),
        );
        let responses = doc["paths"]["/a"]["get"]["responses"].as_object().unwrap();
        assert_eq!(responses.keys().collect::<Vec<_>>(), ["200", "503", "4XX"]);
        let merged = &doc["components"]["schemas"]["GetAError"]["properties"];
        assert!(merged.get("fields").is_some() && merged.get("msg").is_some());
        assert!(d.contains("/paths/~1a/get/responses/401", "folded into `4XX`"));
    }

    #[test]
    fn progenitor_output_for_folded_responses_has_no_unreachable_arm() {
        let mut doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {
            "operationId": "get_a", "responses": {
                "200": json_body(json!({"type": "string"})),
                "401": json_body(json!({"type": "object"})),
                "4XX": json_body(json!({"type": "object"}))}}}}});
        unify(&mut doc, &mut Diagnostics::default());
        doc["openapi"] = json!("3.0.3");
        let spec: openapiv3::OpenAPI = serde_json::from_value(doc).unwrap();
        let code = progenitor::Generator::default()
            .generate_tokens(&spec)
            .unwrap()
            .to_string();
        assert!(code.contains("400u16 ..= 499u16"), "{code}");
        assert!(!code.contains("401u16"), "{code}");
    }

    #[test]
    fn identical_error_bodies_are_left_alone() {
        let (doc, d) = run(
            json!({"401": json_body(json!({"$ref": "#/components/schemas/Error"})), "404": json_body(json!({"$ref": "#/components/schemas/Error"}))}),
            json!({"Error": {"type": "object"}}),
        );
        assert!(doc["components"]["schemas"].get("GetAError").is_none());
        assert!(d.warnings().is_empty());
    }

    #[test]
    fn default_beside_success_becomes_error_ranges() {
        let (doc, d) = run(
            json!({"200": json_body(json!({"type": "string"})), "default": json_body(json!({"$ref": "#/components/schemas/Error"}))}),
            json!({"Error": {"type": "object"}}),
        );
        let responses = &doc["paths"]["/a"]["get"]["responses"];
        assert!(responses.get("default").is_none());
        assert_eq!(
            responses["4XX"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Error"
        );
        assert_eq!(
            responses["5XX"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Error"
        );
        assert!(d.contains("/paths/~1a/get/responses/default", "4XX"));
    }

    #[test]
    fn mixed_success_kinds_become_raw_bytes() {
        let (doc, _) = run(
            json!({"200": json_body(json!({"type": "object"})), "204": {"description": "none"}}),
            json!({}),
        );
        let responses = &doc["paths"]["/a"]["get"]["responses"];
        for code in ["200", "204"] {
            assert!(
                responses[code]["content"]
                    .get("application/octet-stream")
                    .is_some()
            );
        }
    }

    #[test]
    fn non_standard_codes_become_ranges() {
        let (doc, d) = run(
            json!({"420": json_body(json!({})), "4xx": json_body(json!({}))}),
            json!({}),
        );
        let responses = doc["paths"]["/a"]["get"]["responses"].as_object().unwrap();
        assert_eq!(responses.keys().collect::<Vec<_>>(), ["4XX"]);
        assert!(d.contains("/paths/~1a/get/responses/420", "documented as `4XX`"));
        assert!(d.contains("/paths/~1a/get/responses/4xx", "dropped"));
    }

    #[test]
    fn an_inline_error_body_gets_a_name_of_its_own() {
        let (doc, _) = run(
            json!({"200": json_body(json!({"type": "object", "properties": {"ok": {"type": "boolean"}}})),
                   "400": json_body(json!({"type": "object", "properties": {"error": {"type": "string"}}})),
                   "401": {"description": ""}}),
            json!({}),
        );
        assert_eq!(
            doc["paths"]["/a"]["get"]["responses"]["400"]["content"]["application/json"]["schema"],
            json!({"$ref": "#/components/schemas/GetAError"})
        );
        assert_eq!(
            doc["components"]["schemas"]["GetAError"]["properties"]["error"],
            json!({"type": "string"})
        );
    }

    #[test]
    fn referenced_responses_are_resolved() {
        let mut doc = json!({"paths": {"/a": {"get": {"operationId": "get_a", "responses": {
                "401": {"$ref": "#/components/responses/Unauthorized"},
                "404": json_body(json!({"type": "object", "properties": {"detail": {"type": "string"}}}))}}}},
            "components": {"responses": {"Unauthorized": json_body(json!({"type": "object", "properties": {"msg": {"type": "string"}}}))}}});
        unify(&mut doc, &mut Diagnostics::default());
        let merged = &doc["components"]["schemas"]["GetAError"]["properties"];
        assert!(
            merged.get("msg").is_some() && merged.get("detail").is_some(),
            "{merged}"
        );
    }
}
