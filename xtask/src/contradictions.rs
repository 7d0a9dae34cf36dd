//! Finds where the spec contradicts itself: every example (of a request or response body, a
//! parameter, or a schema at any depth) checked against the schema it illustrates, as JSON
//! Schema 2020-12 (OpenAPI 3.1's dialect; a 3.0 document's `nullable` is read as a `null` type).
//!
//! No rule of thumb says which side is wrong, so nothing here changes the document: each
//! finding must be decided by an entry of the corrections file (see `corrections.rs`).

use serde_json::{Map, Value};

use crate::diagnostics::one_line;
use crate::normalize::{SCHEMA_LIST_KEYS, SCHEMA_MAP_KEYS, SINGLE_SCHEMA_KEYS};
use crate::pointer::push;

/// An example that its own schema rejects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contradiction {
    /// JSON pointer of the example in the document.
    pub example: String,
    /// JSON pointer, inside the example, of the value the schema rejects (`""`: the whole example).
    pub inside: String,
    /// The validator's message.
    pub message: String,
}

impl Contradiction {
    /// What is wrong, without the example's pointer.
    pub fn detail(&self) -> String {
        let inside = if self.inside.is_empty() {
            String::new()
        } else {
            format!(" at {}", self.inside)
        };
        format!(
            "the example contradicts its schema{inside}: {}",
            self.message
        )
    }
}

impl std::fmt::Display for Contradiction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.example, self.detail())
    }
}

/// Every example of `doc` that its schema rejects, in document order.
pub fn find(doc: &Value) -> Vec<Contradiction> {
    let dialect_30 = doc
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.0"));
    // Read as JSON Schema once, not once per schema with examples.
    let mut components = doc.get("components").cloned().unwrap_or(Value::Null);
    if dialect_30 {
        to_json_schema(&mut components);
    }
    let mut checker = Checker {
        components,
        dialect_30,
        found: Vec::new(),
    };
    for key in ["paths", "components", "webhooks"] {
        if let Some(part) = doc.get(key) {
            checker.visit(part, &push("", key), Place::Other);
        }
    }
    checker.found
}

#[derive(Clone, Copy, PartialEq)]
enum Place {
    /// A value that is a schema (or holds one under `schema`, like media types and parameters).
    Schema,
    Other,
}

struct Checker {
    /// The document's components, already in JSON Schema's dialect.
    components: Value,
    dialect_30: bool,
    found: Vec<Contradiction>,
}

impl Checker {
    fn visit(&mut self, value: &Value, at: &str, place: Place) {
        let Value::Object(map) = value else {
            if let Value::Array(items) = value {
                for (i, item) in items.iter().enumerate() {
                    self.visit(item, &push(at, &i.to_string()), place);
                }
            }
            return;
        };
        self.check_examples(map, at, place);
        for (key, child) in map {
            let child_at = push(at, key);
            match key.as_str() {
                // Examples are data, not documents to descend into.
                "example" | "examples" if self.is_example_holder(map, place) => {}
                // A parameter's or media type's `schema`, or a schema's sub-schema.
                k if (k == "schema" || SINGLE_SCHEMA_KEYS.contains(&k)) && child.is_object() => {
                    self.visit(child, &child_at, Place::Schema);
                }
                k if SCHEMA_MAP_KEYS.contains(&k) && place == Place::Schema => {
                    if let Value::Object(schemas) = child {
                        for (name, schema) in schemas {
                            self.visit(schema, &push(&child_at, name), Place::Schema);
                        }
                    }
                }
                k if SCHEMA_LIST_KEYS.contains(&k) && place == Place::Schema => {
                    self.visit(child, &child_at, Place::Schema);
                }
                // `components/schemas/<name>`: each entry is a schema.
                "schemas" if at == "/components" => {
                    if let Value::Object(schemas) = child {
                        for (name, schema) in schemas {
                            self.visit(schema, &push(&child_at, name), Place::Schema);
                        }
                    }
                }
                _ => self.visit(child, &child_at, Place::Other),
            }
        }
    }

    /// Media types and parameters hold their schema under `schema`; schemas are their own.
    fn is_example_holder(&self, map: &Map<String, Value>, place: Place) -> bool {
        place == Place::Schema || map.contains_key("schema")
    }

    fn check_examples(&mut self, map: &Map<String, Value>, at: &str, place: Place) {
        let schema = match (map.get("schema"), place) {
            (Some(schema), _) if schema.is_object() || schema.is_boolean() => schema,
            (_, Place::Schema) => &Value::Object(map.clone()),
            _ => return,
        };
        let mut examples: Vec<(String, &Value)> = Vec::new();
        if let Some(example) = map.get("example") {
            examples.push((push(at, "example"), example));
        }
        match map.get("examples") {
            // A schema's `examples` is a list of values (3.1).
            Some(Value::Array(values)) if place == Place::Schema => {
                for (i, v) in values.iter().enumerate() {
                    examples.push((push(&push(at, "examples"), &i.to_string()), v));
                }
            }
            // A media type's or parameter's `examples` maps names to Example objects.
            Some(Value::Object(named)) if map.contains_key("schema") => {
                for (name, example) in named {
                    if let Some(v) = example.get("value") {
                        let ptr = push(&push(&push(at, "examples"), name), "value");
                        examples.push((ptr, v));
                    }
                }
            }
            _ => {}
        }
        if examples.is_empty() {
            return;
        }
        let validator = match self.validator(schema) {
            Ok(v) => v,
            Err(message) => {
                self.found.push(Contradiction {
                    example: at.to_owned(),
                    inside: String::new(),
                    message: format!("its schema cannot be checked: {message}"),
                });
                return;
            }
        };
        for (ptr, example) in examples {
            if let Some(error) = validator.iter_errors(example).next() {
                self.found.push(Contradiction {
                    example: ptr,
                    inside: error.instance_path().to_string(),
                    message: one_line(&error.to_string(), 200),
                });
            }
        }
    }

    fn validator(&self, schema: &Value) -> Result<jsonschema::Validator, String> {
        validator(schema, self.components.clone(), self.dialect_30)
    }
}

/// A JSON Schema 2020-12 validator for an OpenAPI `schema` (read in OpenAPI 3.0's dialect when
/// `dialect_30`), its annotations left out; its `#/components/...` references resolve in
/// `components`, which must already be in JSON Schema's dialect.
pub(crate) fn validator(
    schema: &Value,
    components: Value,
    dialect_30: bool,
) -> Result<jsonschema::Validator, String> {
    let mut root = match schema {
        Value::Object(map) => {
            let mut map = map.clone();
            for annotation in ["default", "example", "examples"] {
                map.shift_remove(annotation);
            }
            Value::Object(map)
        }
        other => other.clone(),
    };
    if dialect_30 {
        to_json_schema(&mut root);
    }
    if let Value::Object(map) = &mut root {
        // `#/components/...` references resolve against the validator's root document.
        map.insert("components".to_owned(), components);
    }
    jsonschema::draft202012::new(&root).map_err(|e| one_line(&e.to_string(), 200))
}

/// OpenAPI 3.0's schema dialect, read as JSON Schema: `nullable: true` admits `null`, boolean
/// `exclusiveMinimum`/`exclusiveMaximum` qualify `minimum`/`maximum`.
pub(crate) fn to_json_schema(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.remove("nullable") == Some(Value::Bool(true)) {
                match map.get_mut("type") {
                    Some(Value::String(t)) => {
                        let t = std::mem::take(t);
                        map.insert("type".to_owned(), serde_json::json!([t, "null"]));
                    }
                    Some(Value::Array(types)) => types.push("null".into()),
                    _ => {}
                }
                if let Some(Value::Array(values)) = map.get_mut("enum") {
                    values.push(Value::Null);
                }
            }
            for (flag, bound) in [
                ("exclusiveMinimum", "minimum"),
                ("exclusiveMaximum", "maximum"),
            ] {
                if let Some(Value::Bool(exclusive)) = map.get(flag).cloned() {
                    map.remove(flag);
                    if exclusive && let Some(limit) = map.remove(bound) {
                        map.insert(flag.to_owned(), limit);
                    }
                }
            }
            for (key, child) in map.iter_mut() {
                if key != "example" && key != "examples" && key != "default" && key != "enum" {
                    to_json_schema(child);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(to_json_schema),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(paths: Value, schemas: Value) -> Value {
        json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": paths,
               "components": {"schemas": schemas}})
    }

    #[test]
    fn media_example_against_a_referenced_schema() {
        let doc = spec(
            json!({"/o": {"post": {"responses": {"200": {"description": "", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/List"},
                                     "example": {"offers": {"id": 1}}}}}}}}}),
            json!({"List": {"type": "object", "properties": {"offers": {"type": "array"}}}}),
        );
        let found = find(&doc);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].example,
            "/paths/~1o/post/responses/200/content/application~1json/example"
        );
        assert_eq!(found[0].inside, "/offers");
        assert!(found[0].message.contains("array"), "{}", found[0]);
    }

    #[test]
    fn request_enum_and_named_examples() {
        let doc = spec(
            json!({"/o": {"post": {"requestBody": {"content": {"application/json": {
                "schema": {"type": "object", "properties": {"type": {"enum": ["ondemand", "bid"]}}},
                "examples": {"good": {"value": {"type": "bid"}}, "bad": {"value": {"type": "on-demand"}}}}}},
                "responses": {}}}}),
            json!({}),
        );
        let found = find(&doc);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].example.ends_with("/examples/bad/value"),
            "{found:?}"
        );
    }

    #[test]
    fn property_examples_at_any_depth_and_parameters() {
        let doc = spec(
            json!({"/i/{id}": {"get": {
                "parameters": [{"name": "id", "in": "path", "schema": {"type": "integer"}, "example": "x"}],
                "responses": {}}}}),
            json!({"Instance": {"type": "object", "properties": {
                "os_version": {"type": "string", "example": 18.04},
                "gpus": {"type": "array", "items": {"type": "integer", "examples": [1, "two"]}},
                "ok": {"type": ["string", "null"], "example": null}}}}),
        );
        let pointers: Vec<_> = find(&doc).into_iter().map(|c| c.example).collect();
        assert_eq!(
            pointers,
            [
                "/paths/~1i~1{id}/get/parameters/0/example",
                "/components/schemas/Instance/properties/os_version/example",
                "/components/schemas/Instance/properties/gpus/items/examples/1",
            ]
        );
    }

    #[test]
    fn openapi_30_nullable_admits_null() {
        let mut doc = spec(
            json!({}),
            json!({"A": {"type": "string", "nullable": true, "example": null},
                   "B": {"type": "number", "minimum": 0, "exclusiveMinimum": true, "example": 0}}),
        );
        doc["openapi"] = json!("3.0.3");
        let pointers: Vec<_> = find(&doc).into_iter().map(|c| c.example).collect();
        assert_eq!(pointers, ["/components/schemas/B/example"]);
    }

    #[test]
    fn an_example_key_inside_example_data_is_not_checked() {
        let doc = spec(
            json!({}),
            json!({"A": {"type": "object", "example": {"example": 5, "schema": {"type": "string"}}}}),
        );
        assert_eq!(find(&doc), []);
    }
}
