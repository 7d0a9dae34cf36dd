//! Builds one JSON response body per operation and documented status from the spec's examples.
//!
//! Order of preference: the media type's `example`, its first `examples` entry, then a value
//! assembled from schema and property `example`s (following `$ref`, merging `allOf`). Required
//! properties without any example get a neutral placeholder so the body still matches its type.

use serde_json::{Map, Value, json};

use crate::normalize::operations;
use crate::pointer::follow;

/// A fixture body for one documented response.
#[derive(Debug, Clone, PartialEq)]
pub struct Fixture {
    pub operation_id: String,
    pub status: String,
    pub body: Value,
    /// Whether the body was assembled from the schema's property examples (and placeholders)
    /// because the spec gives no example of the whole body.
    pub composed: bool,
}

/// How deep nested schemas (parts, properties, items) are followed before giving up (recursive
/// schemas); each `$ref` chain on the way is followed by [`follow`], within its own limit.
const MAX_DEPTH: usize = 24;

pub fn build(doc: &Value) -> Vec<Fixture> {
    let mut out = Vec::new();
    for op in operations(doc) {
        let Some(Value::Object(responses)) = op.operation.get("responses") else {
            continue;
        };
        for (status, response) in responses {
            let response = follow(doc, response);
            let Some(media) = json_media(response) else {
                continue;
            };
            let (body, composed) = media_body(doc, media);
            out.push(Fixture {
                operation_id: op.id().to_owned(),
                status: status.clone(),
                body,
                composed,
            });
        }
    }
    out
}

fn json_media(response: &Value) -> Option<&Value> {
    let content = response.get("content")?.as_object()?;
    content
        .iter()
        .find(|(mt, _)| crate::normalize::is_json_media_type(mt))
        .map(|(_, m)| m)
}

/// The example a media type or parameter gives: its `example`, else the `value` of the first
/// of its `examples` that has one.
fn given_example<'a>(doc: &'a Value, holder: &'a Value) -> Option<&'a Value> {
    if let Some(example) = holder.get("example") {
        return Some(example);
    }
    let Some(Value::Object(examples)) = holder.get("examples") else {
        return None;
    };
    examples.values().find_map(|e| follow(doc, e).get("value"))
}

/// The media type's example, or one composed from its schema (then `true`).
fn media_body(doc: &Value, media: &Value) -> (Value, bool) {
    if let Some(example) = given_example(doc, media) {
        return (example.clone(), false);
    }
    let schema = media.get("schema").cloned().unwrap_or_else(|| json!({}));
    let body = example_of(doc, &schema, 0).unwrap_or_else(|| placeholder(doc, &schema, 0));
    (body, true)
}

/// The request body an operation is called with in tests, as JSON: its example, or one
/// composed from its schema (a form body is written from the same value). `None` when the
/// operation sends no body with a schema.
pub fn request_body(doc: &Value, operation: &Value) -> Option<Value> {
    let body = follow(doc, operation.get("requestBody")?);
    let media = json_media(body).or_else(|| {
        body.get("content")?
            .as_object()?
            .values()
            .find(|media| media.get("schema").is_some())
    })?;
    Some(media_body(doc, media).0)
}

/// The value a parameter is called with in tests: its example, its schema's, or (`required`
/// ones only) a neutral value of its type.
pub fn parameter_value(doc: &Value, parameter: &Value) -> Option<Value> {
    let parameter = follow(doc, parameter);
    if let Some(example) = given_example(doc, parameter) {
        return Some(example.clone());
    }
    let schema = parameter
        .get("schema")
        .cloned()
        .unwrap_or_else(|| json!({}));
    example_of(doc, &schema, 0).or_else(|| {
        (parameter.get("required") == Some(&Value::Bool(true)))
            .then(|| placeholder(doc, &schema, 0))
    })
}

/// The value the spec's examples give for `schema`, if they give one.
fn example_of(doc: &Value, schema: &Value, depth: usize) -> Option<Value> {
    if depth > MAX_DEPTH {
        return None;
    }
    let schema = follow(doc, schema);
    let map = schema.as_object()?;
    if let Some(example) = map.get("example") {
        return Some(example.clone());
    }
    if let Some(Value::Array(parts)) = map.get("allOf") {
        let mut merged = Map::new();
        let mut other = None;
        for part in parts {
            match example_of(doc, part, depth + 1) {
                Some(Value::Object(fields)) => merged.extend(fields),
                Some(value) => other = other.or(Some(value)),
                None => {}
            }
        }
        if let Some(Value::Object(own)) = object_example(doc, map, depth) {
            merged.extend(own);
        }
        return if merged.is_empty() {
            other
        } else {
            Some(Value::Object(merged))
        };
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(branches)) = map.get(key) {
            return branches.iter().find_map(|b| example_of(doc, b, depth + 1));
        }
    }
    // An object or array assembled from nothing is no example: typify skips an empty optional
    // map or list when serialising, so including it would break the fixture's round trip.
    // (A required one gets its placeholder, `{}` or `[]`.)
    if is_object(map) {
        return object_example(doc, map, depth).filter(|o| o != &json!({}));
    }
    if map.get("type") == Some(&json!("array")) {
        let item = map
            .get("items")
            .and_then(|items| example_of(doc, items, depth + 1))?;
        return Some(Value::Array(vec![item]));
    }
    if let Some(Value::Array(values)) = map.get("enum") {
        return values.first().cloned();
    }
    map.get("default").cloned()
}

fn is_object(map: &Map<String, Value>) -> bool {
    map.get("type") == Some(&json!("object")) || map.contains_key("properties")
}

fn object_example(doc: &Value, map: &Map<String, Value>, depth: usize) -> Option<Value> {
    let required: Vec<&str> = match map.get("required") {
        Some(Value::Array(r)) => r.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let mut out = Map::new();
    if let Some(Value::Object(properties)) = map.get("properties") {
        for (name, property) in properties {
            let value = example_of(doc, property, depth + 1).or_else(|| {
                required
                    .contains(&name.as_str())
                    .then(|| placeholder(doc, property, depth + 1))
            });
            if let Some(value) = value {
                out.insert(name.clone(), value);
            }
        }
    }
    Some(Value::Object(out))
}

/// A neutral value of the schema's type, for required fields the spec gives no example of.
fn placeholder(doc: &Value, schema: &Value, depth: usize) -> Value {
    if let Some(example) = example_of(doc, schema, depth) {
        return example;
    }
    let schema = follow(doc, schema);
    let format = schema
        .get("format")
        .and_then(Value::as_str)
        .unwrap_or_default();
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => json!(match format {
            "date-time" => "1970-01-01T00:00:00Z",
            "date" => "1970-01-01",
            "uuid" => "00000000-0000-0000-0000-000000000000",
            "uri" | "url" => "https://example.com/",
            "email" => "user@example.com",
            "ipv4" => "127.0.0.1",
            "ipv6" => "::1",
            _ => "string",
        }),
        Some("integer") => number_placeholder(schema, json!(0)),
        Some("number") => number_placeholder(schema, json!(0.0)),
        Some("boolean") => json!(false),
        Some("array") => json!([]),
        _ if depth > MAX_DEPTH => Value::Null,
        Some("object") => object_placeholder(doc, schema, depth),
        _ if schema.get("properties").is_some() => object_placeholder(doc, schema, depth),
        // A composition: a value of its first part or branch.
        _ => match ["allOf", "anyOf", "oneOf"]
            .iter()
            .find_map(|key| schema.get(*key)?.as_array()?.first())
        {
            Some(first) => placeholder(doc, first, depth + 1),
            None => Value::Null,
        },
    }
}

/// The lowest value the schema allows (above an exclusive minimum), else `zero`.
fn number_placeholder(schema: &Value, zero: Value) -> Value {
    match schema.get("minimum") {
        Some(minimum) if schema.get("exclusiveMinimum") == Some(&json!(true)) => {
            match (minimum.as_i64(), minimum.as_f64()) {
                (Some(i), _) => json!(i.saturating_add(1)),
                (None, Some(f)) => json!(f + 1.0),
                _ => zero,
            }
        }
        Some(minimum) => minimum.clone(),
        None => zero,
    }
}

/// An object with a value for each required property.
fn object_placeholder(doc: &Value, schema: &Value, depth: usize) -> Value {
    schema
        .as_object()
        .and_then(|map| object_example(doc, map, depth))
        .unwrap_or_else(|| json!({}))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(responses: Value, schemas: Value) -> Value {
        json!({"paths": {"/a": {"get": {"operationId": "get_a", "responses": responses}}}, "components": {"schemas": schemas}})
    }

    fn only_body(doc: &Value) -> Value {
        let fixtures = build(doc);
        assert_eq!(fixtures.len(), 1, "{fixtures:?}");
        fixtures[0].body.clone()
    }

    #[test]
    fn media_example_comes_first() {
        let d = doc(
            json!({"200": {"description": "", "content": {"application/json": {"example": {"a": 1}, "schema": {"type": "object", "properties": {"a": {"type": "integer", "example": 2}}}}}}}),
            json!({}),
        );
        assert_eq!(only_body(&d), json!({"a": 1}));
    }

    #[test]
    fn named_examples_are_followed() {
        let mut d = doc(
            json!({"200": {"description": "", "content": {"application/json": {"examples": {"one": {"$ref": "#/components/examples/One"}}}}}}),
            json!({}),
        );
        d["components"]["examples"] = json!({"One": {"value": [1, 2]}});
        assert_eq!(only_body(&d), json!([1, 2]));
    }

    #[test]
    fn assembled_from_property_examples_through_ref_and_all_of() {
        let d = doc(
            json!({"200": {"description": "", "content": {"application/json": {"schema": {"type": "object", "properties": {
                "success": {"type": "boolean", "example": true},
                "webhook": {"$ref": "#/components/schemas/WithSecret"}}}}}}}),
            json!({
                "WithSecret": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"type": "object", "properties": {"secret": {"type": "string", "example": "s"}}}]},
                "Base": {"type": "object", "properties": {"id": {"type": "integer", "example": 42}, "at": {"type": "number", "example": 1772490000}, "none": {"type": "string"}}}
            }),
        );
        assert_eq!(
            only_body(&d),
            json!({"success": true, "webhook": {"id": 42, "at": 1772490000, "secret": "s"}})
        );
    }

    #[test]
    fn required_properties_without_examples_get_placeholders() {
        let d = doc(
            json!({"404": {"description": "", "content": {"application/json": {"schema": {"type": "object", "required": ["msg", "when", "n"],
                "properties": {"msg": {"type": "string"}, "when": {"type": "string", "format": "date-time"}, "n": {"type": "integer", "minimum": 1}, "opt": {"type": "string"}}}}}}}),
            json!({}),
        );
        assert_eq!(
            only_body(&d),
            json!({"msg": "string", "when": "1970-01-01T00:00:00Z", "n": 1})
        );
    }

    #[test]
    fn optional_maps_and_lists_without_examples_are_left_out() {
        let d = doc(
            json!({"200": {"description": "", "content": {"application/json": {"schema": {"type": "object",
            "required": ["ports", "tags", "inner"],
            "properties": {
                "env": {"type": "object", "additionalProperties": {"type": "string"}},
                "ids": {"type": "array", "items": {"type": "integer"}},
                "nested": {"properties": {"a": {"type": "string"}}},
                "ports": {"type": "object", "additionalProperties": {"type": "string"}},
                "tags": {"type": "array", "items": {"type": "string"}},
                "inner": {"properties": {"a": {"type": "string"}}},
                "named": {"type": "array", "items": {"type": "string", "example": "x"}}
            }}}}}}),
            json!({}),
        );
        assert_eq!(
            only_body(&d),
            json!({"ports": {}, "tags": [], "inner": {}, "named": ["x"]})
        );
    }

    #[test]
    fn cyclic_schemas_terminate() {
        let d = doc(
            json!({"200": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Node"}}}}}),
            json!({"Node": {"type": "object", "required": ["next"], "properties": {"next": {"$ref": "#/components/schemas/Node"}}}}),
        );
        let _ = only_body(&d);
    }

    #[test]
    fn responses_without_json_bodies_have_no_fixture() {
        let d = doc(
            json!({"204": {"description": ""}, "200": {"description": "", "content": {"text/plain": {}}}}),
            json!({}),
        );
        assert!(build(&d).is_empty());
    }
}
