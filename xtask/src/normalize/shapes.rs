//! Schema shapes that are valid OpenAPI but make typify panic:
//!
//! - a `format` on an object or array (`type: object, format: uri-map`): typify's
//!   `not yet implemented: invalid (or unexpected) schema`. The format is dropped (it names no
//!   Rust type for these) and kept in the description.
//! - an `enum` beside an `allOf` of enums (`type: string, enum: [x], allOf: [{$ref: Color}]`):
//!   typify's `entered unreachable code` while merging them. The schema's own `enum`, cut down
//!   to the values every `allOf` enum admits, says the same alone, so the `allOf` is dropped.

use anyhow::Result;
use serde_json::{Map, Value};

use super::{append_description, walk};
use crate::diagnostics::Diagnostics;
use crate::pointer;

pub fn rewrite(doc: &mut Value, diags: &mut Diagnostics) -> Result<()> {
    let snapshot = doc.clone();
    walk::schemas(doc, &mut |schema, at| {
        let Value::Object(map) = schema else { return };
        drop_container_format(map, at, diags);
        narrow_enum_all_of(map, at, &snapshot, diags);
    });
    Ok(())
}

fn drop_container_format(map: &mut Map<String, Value>, at: &str, diags: &mut Diagnostics) {
    let kind = match map.get("type") {
        Some(Value::String(t)) if t == "object" || t == "array" => t.clone(),
        _ => return,
    };
    let Some(format) = map.shift_remove("format") else {
        return;
    };
    let shown = format
        .as_str()
        .map_or_else(|| format.to_string(), str::to_owned);
    diags.warn(
        pointer::push(at, "format"),
        format!("format `{shown}` on an {kind} dropped: typify accepts formats on strings and numbers only"),
    );
    append_description(map, &format!("Format: `{shown}`."));
}

fn narrow_enum_all_of(
    map: &mut Map<String, Value>,
    at: &str,
    doc: &Value,
    diags: &mut Diagnostics,
) {
    let (Some(Value::Array(own)), Some(Value::Array(all_of))) = (map.get("enum"), map.get("allOf"))
    else {
        return;
    };
    // Only when every `allOf` entry is an enum (directly or through its `$ref`s): anything else
    // constrains the values in ways an enum of them cannot show.
    let member_enums: Option<Vec<&Vec<Value>>> = all_of
        .iter()
        .map(|member| {
            pointer::follow(doc, member)
                .get("enum")
                .and_then(Value::as_array)
        })
        .collect();
    let Some(member_enums) = member_enums else {
        return;
    };
    let kept: Vec<Value> = own
        .iter()
        .filter(|value| member_enums.iter().all(|values| values.contains(value)))
        .cloned()
        .collect();
    if kept.is_empty() {
        // No value satisfies both: left for typify, whose error the generator then locates.
        return;
    }
    let removed = own.len() - kept.len();
    map.insert("enum".into(), Value::Array(kept));
    map.shift_remove("allOf");
    let also = if removed == 0 {
        String::new()
    } else {
        format!(" ({removed} value(s) the `allOf` rules out removed)")
    };
    diags.warn(
        pointer::push(at, "allOf"),
        format!("`allOf` of enums beside an `enum` dropped: the `enum` alone says the same{also}, and typify cannot merge them"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_format_on_an_object_or_array_moves_to_the_description() {
        let mut doc = json!({"components": {"schemas": {
            "M": {"type": "object", "format": "uri-map", "additionalProperties": {"type": "string"}},
            "L": {"type": "array", "format": "csv", "items": {"type": "string"}},
            "S": {"type": "string", "format": "uri"}
        }}});
        let mut diags = Diagnostics::default();
        rewrite(&mut doc, &mut diags).unwrap();
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["M"],
            json!({"type": "object", "additionalProperties": {"type": "string"}, "description": "Format: `uri-map`."})
        );
        assert!(schemas["L"].get("format").is_none());
        assert_eq!(schemas["S"]["format"], "uri");
        assert!(diags.contains(
            "/components/schemas/M/format",
            "format `uri-map` on an object dropped"
        ));
    }

    #[test]
    fn an_enum_beside_an_all_of_of_enums_keeps_the_values_both_admit() {
        let mut doc = json!({"components": {"schemas": {
            "Color": {"type": "string", "enum": ["red", "blue"]},
            "P": {"properties": {
                "one": {"type": "string", "enum": ["red"], "allOf": [{"$ref": "#/components/schemas/Color"}]},
                "cut": {"type": "string", "enum": ["red", "green"], "allOf": [{"$ref": "#/components/schemas/Color"}]},
                "none": {"type": "string", "enum": ["green"], "allOf": [{"$ref": "#/components/schemas/Color"}]},
                "other": {"enum": ["red"], "allOf": [{"type": "string"}]}
            }}
        }}});
        let mut diags = Diagnostics::default();
        rewrite(&mut doc, &mut diags).unwrap();
        let props = &doc["components"]["schemas"]["P"]["properties"];
        assert_eq!(props["one"], json!({"type": "string", "enum": ["red"]}));
        assert_eq!(props["cut"], json!({"type": "string", "enum": ["red"]}));
        assert!(props["none"].get("allOf").is_some());
        assert!(props["other"].get("allOf").is_some());
        assert!(diags.contains("/components/schemas/P/properties/cut/allOf", "1 value(s)"));
    }
}
