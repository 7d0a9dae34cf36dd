//! Optional list and map properties become `Option<Vec<T>>` and `Option<Map>`.
//!
//! typify types an optional array as a `Vec` (and a free-form object as a map) that is left out
//! when empty, so `"ids": []` and no `ids` read the same and an empty list is never sent: a
//! request could not clear a list, and a response's `[]` or `{}` vanished. Marked `nullable`,
//! the property becomes an `Option`, which keeps "not given" and "empty" apart both ways (a
//! `null` reads as not given).

use anyhow::Result;
use serde_json::Value;

use super::walk;
use crate::diagnostics::Diagnostics;

pub fn keep_empty_ones(doc: &mut Value, _diags: &mut Diagnostics) -> Result<()> {
    walk::schemas(doc, &mut |schema, _| {
        let Value::Object(map) = schema else { return };
        let required: Vec<String> = map
            .get("required")
            .and_then(Value::as_array)
            .map(|names| {
                names
                    .iter()
                    .filter_map(|n| n.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let Some(Value::Object(properties)) = map.get_mut("properties") else {
            return;
        };
        for (name, property) in properties.iter_mut() {
            if required.contains(name) {
                continue;
            }
            if let Value::Object(property) = property
                && is_collection(property)
            {
                property.insert("nullable".into(), Value::Bool(true));
            }
        }
    });
    Ok(())
}

/// An array, or an object without named properties (a map).
fn is_collection(schema: &serde_json::Map<String, Value>) -> bool {
    match schema.get("type").and_then(Value::as_str) {
        Some("array") => true,
        Some("object") => !schema.contains_key("properties"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_optional_arrays_become_nullable() {
        let mut doc = json!({"openapi": "3.0.3", "components": {"schemas": {"S": {"type": "object",
            "required": ["must"],
            "properties": {"must": {"type": "array"}, "may": {"type": "array"}, "n": {"type": "integer"},
                           "map": {"type": "object"}, "obj": {"type": "object", "properties": {}}}}}}});
        keep_empty_ones(&mut doc, &mut Diagnostics::default()).unwrap();
        let props = &doc["components"]["schemas"]["S"]["properties"];
        assert_eq!(props["may"]["nullable"], true);
        assert_eq!(props["must"].get("nullable"), None);
        assert_eq!(props["n"].get("nullable"), None);
        assert_eq!(props["map"]["nullable"], true);
        assert_eq!(props["obj"].get("nullable"), None);
    }
}
