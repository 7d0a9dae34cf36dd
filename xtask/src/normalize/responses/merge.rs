//! Merges the object schemas of differing bodies into one that keeps every documented property.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::Class;
use crate::pointer;

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
pub fn merge_schemas(
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
