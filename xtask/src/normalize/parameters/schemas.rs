//! What a parameter's schema is to typify (a list, a map, a struct) and how it was documented.

use serde_json::{Map, Value, json};

use crate::pointer;

/// What a parameter's schema becomes in the generated code, as far as sending it goes.
#[derive(Debug, PartialEq, Eq)]
pub enum Shape {
    Array,
    /// An object typify maps to a `Map` (no properties).
    Map,
    Other,
}

pub fn shape(schema: &Value, doc: &Value) -> Shape {
    let schema = pointer::follow(doc, schema);
    match schema.get("type").and_then(Value::as_str) {
        Some("array") => Shape::Array,
        Some("object") if schema.get("properties").is_none() => Shape::Map,
        _ => Shape::Other,
    }
}

/// How a replaced parameter schema was documented, for the generated doc comment.
pub fn documented_as(schema: &Value, doc: &Value) -> String {
    if let Some(name) = schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
    {
        return format!("`{name}`");
    }
    let mut fields: Vec<String> = Vec::new();
    collect_property_names(schema, doc, 0, &mut fields);
    if fields.is_empty() {
        "an object".to_owned()
    } else {
        format!("an object with {}", fields.join(", "))
    }
}

fn collect_property_names(schema: &Value, doc: &Value, depth: usize, out: &mut Vec<String>) {
    if depth > pointer::MAX_REF_CHAIN {
        return;
    }
    let schema = pointer::follow(doc, schema);
    if let Some(Value::Object(properties)) = schema.get("properties") {
        out.extend(properties.keys().map(|k| format!("`{k}`")));
    }
    if let Some(Value::Array(parts)) = schema.get("allOf") {
        for part in parts {
            collect_property_names(part, doc, depth + 1, out);
        }
    }
}

/// Would typify generate a struct (with a builder) for this schema?
pub fn is_object_like(schema: &Value, doc: &Value, depth: usize) -> bool {
    if depth > pointer::MAX_REF_CHAIN {
        return false;
    }
    let Some(Value::Object(map)) = pointer::target(doc, schema) else {
        return false;
    };
    has_object_shape(map)
        || matches!(map.get("allOf"), Some(Value::Array(parts)) if parts.iter().any(|p| is_object_like(p, doc, depth + 1)))
}

fn has_object_shape(map: &Map<String, Value>) -> bool {
    map.get("type") == Some(&json!("object"))
        && map
            .get("additionalProperties")
            .is_none_or(|a| a == &json!(false))
        || map.contains_key("properties")
}
