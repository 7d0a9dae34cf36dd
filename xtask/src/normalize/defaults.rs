//! `default`s typify cannot place. typify checks each default against the type it generates
//! and fails the whole client with `value does not conform to the given schema`, naming
//! neither. Dropped, with a warning naming the pointer:
//!
//! - a default its own schema rejects (`type: integer, default: "20 - x"`, an enum with
//!   `default: []`), checked as JSON Schema with the referenced components;
//! - a default on a union (`anyOf`/`oneOf`, directly or through `$ref`/`allOf`): typify's
//!   union types do not always admit a value a branch admits (`anyOf: [string, string enum]`
//!   with `default: "auto"`). It is kept in the description.

use anyhow::Result;
use serde_json::{Map, Value, json};

use super::{append_description, walk};
use crate::contradictions::to_json_schema;
use crate::diagnostics::Diagnostics;
use crate::diagnostics::one_line;
use crate::pointer;

pub fn check(doc: &mut Value, diags: &mut Diagnostics) -> Result<()> {
    let snapshot = doc.clone();
    walk::schemas(doc, &mut |schema, at| {
        let Value::Object(map) = schema else { return };
        let Some(default) = map.get("default").cloned() else {
            return;
        };
        let shown = one_line(&default.to_string(), 200);
        if is_union(&snapshot, map, 0) {
            map.shift_remove("default");
            append_description(map, &format!("Default: `{shown}`."));
            diags.warn(
                pointer::push(at, "default"),
                format!("default `{shown}` on a union (anyOf/oneOf) dropped: typify cannot always place it; noted in the description"),
            );
            return;
        }
        if let Some(problem) = rejection(&snapshot, map, &default) {
            map.shift_remove("default");
            diags.warn(
                pointer::push(at, "default"),
                format!("default `{shown}` does not conform to its schema ({problem}): dropped"),
            );
        }
    });
    Ok(())
}

/// Whether the schema is an `anyOf`/`oneOf`, itself or through a `$ref` or an `allOf` of one.
fn is_union(doc: &Value, map: &Map<String, Value>, depth: usize) -> bool {
    if depth > pointer::MAX_REF_CHAIN {
        return false;
    }
    let non_empty = |key: &str| {
        map.get(key)
            .and_then(Value::as_array)
            .is_some_and(|l| !l.is_empty())
    };
    if non_empty("anyOf") || non_empty("oneOf") {
        return true;
    }
    let via_ref = map
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| pointer::resolve(doc, r))
        .and_then(Value::as_object);
    if let Some(target) = via_ref {
        return is_union(doc, target, depth + 1);
    }
    match map
        .get("allOf")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        Some([only]) => only
            .as_object()
            .is_some_and(|o| is_union(doc, o, depth + 1)),
        _ => false,
    }
}

/// Why the schema rejects `default` (its first validation error), if it does.
fn rejection(doc: &Value, map: &Map<String, Value>, default: &Value) -> Option<String> {
    let mut schema = map.clone();
    for annotation in ["default", "example", "examples"] {
        schema.shift_remove(annotation);
    }
    let schema = Value::Object(schema);
    // The components it refers to, and only those: a validator per default over the whole
    // document would copy it once per default.
    let mut components = Map::new();
    for name in crate::refs::closure(doc, &schema) {
        if let Some(component) = doc
            .pointer("/components/schemas")
            .and_then(|s| s.get(&name))
        {
            components.insert(name, component.clone());
        }
    }
    let mut components = json!({ "schemas": components });
    to_json_schema(&mut components);
    // A schema the validator cannot compile is not this rule's to judge.
    let validator = crate::contradictions::validator(&schema, components, true).ok()?;
    let error = validator.iter_errors(default).next()?;
    let inside = error.instance_path().to_string();
    let message = one_line(&error.to_string(), 200);
    Some(if inside.is_empty() {
        message
    } else {
        format!("at {inside}: {message}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(schemas: Value) -> (Value, Diagnostics) {
        let mut doc = json!({"openapi": "3.0.3", "components": {"schemas": schemas}});
        let mut diags = Diagnostics::default();
        check(&mut doc, &mut diags).unwrap();
        (doc["components"]["schemas"].clone(), diags)
    }

    #[test]
    fn defaults_their_schema_rejects_are_dropped() {
        let (schemas, diags) = run(json!({
            "Kind": {"type": "string", "enum": ["a", "b"]},
            "P": {"properties": {
                "n": {"type": "integer", "default": "20 - x"},
                "e": {"type": "string", "enum": ["a", "b"], "default": []},
                "r": {"allOf": [{"$ref": "#/components/schemas/Kind"}], "default": "c"},
                "ok": {"type": "integer", "default": 20},
                "okr": {"allOf": [{"$ref": "#/components/schemas/Kind"}], "default": "b"},
                "null": {"type": "string", "nullable": true, "default": null}
            }}
        }));
        let props = &schemas["P"]["properties"];
        for dropped in ["n", "e", "r"] {
            assert!(
                props[dropped].get("default").is_none(),
                "{dropped}: {}",
                props[dropped]
            );
        }
        for kept in ["ok", "okr", "null"] {
            assert!(props[kept].get("default").is_some(), "{kept}");
        }
        assert!(diags.contains(
            "/components/schemas/P/properties/n/default",
            "default `\"20 - x\"` does not conform to its schema"
        ));
        assert!(diags.contains(
            "/components/schemas/P/properties/r/default",
            "is not one of"
        ));
    }

    #[test]
    fn defaults_on_unions_move_to_the_description() {
        let (schemas, diags) = run(json!({
            "Mode": {"anyOf": [{"type": "string"}, {"type": "string", "enum": ["auto"]}]},
            "P": {"properties": {
                "m": {"anyOf": [{"type": "string"}, {"type": "string", "enum": ["auto"]}], "default": "auto"},
                "r": {"allOf": [{"$ref": "#/components/schemas/Mode"}], "default": "auto", "description": "How."}
            }}
        }));
        let props = &schemas["P"]["properties"];
        assert!(props["m"].get("default").is_none());
        assert_eq!(props["r"]["description"], "How.\n\nDefault: `\"auto\"`.");
        assert!(diags.contains("/components/schemas/P/properties/r/default", "on a union"));
    }
}
