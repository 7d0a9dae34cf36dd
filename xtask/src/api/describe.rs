//! Describing schemas in one line, the form the record stores them in and the report compares.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{Body, Field, Parameter};
use crate::normalize::SpecOperation;

/// Describes schemas in one line, the way the report compares them: the type with `| null` when
/// nullable, `$ref`s by name, inline objects by their fields. Descriptions, examples and other
/// docs are left out, so a docs-only change describes the same.
pub(super) struct Describer<'a> {
    doc: &'a Value,
    /// OpenAPI 3.1: `nullable` is not a keyword there (only `type: [T, "null"]` and null branches).
    strict: bool,
}

const MAX_DEPTH: usize = 6;

impl<'a> Describer<'a> {
    /// A describer of `doc`'s schemas, in the dialect its `openapi` version names.
    pub(super) fn of(doc: &'a Value) -> Self {
        let strict = doc
            .get("openapi")
            .and_then(Value::as_str)
            .is_some_and(|v| v.starts_with("3.1"));
        Describer { doc, strict }
    }

    pub(super) fn resolve<'v>(&'v self, value: &'v Value) -> &'v Value {
        crate::pointer::follow(self.doc, value)
    }

    pub(super) fn parameters(&self, op: &SpecOperation<'_>) -> BTreeMap<String, Parameter> {
        let mut out = BTreeMap::new();
        for param in op.parameters() {
            let param = self.resolve(param);
            let Some(name) = param.get("name").and_then(Value::as_str) else {
                continue;
            };
            let location = param.get("in").and_then(Value::as_str).unwrap_or("?");
            let schema = param
                .get("schema")
                .or_else(|| self.media_schema(param))
                .map_or_else(|| "string".to_owned(), |s| self.describe(s, 0));
            out.insert(
                name.to_owned(),
                Parameter {
                    location: location.to_owned(),
                    required: param.get("required").and_then(Value::as_bool) == Some(true)
                        || location == "path",
                    ty: schema,
                },
            );
        }
        out
    }

    /// The schema of the JSON media type of a body (else the first media type's).
    pub(super) fn media_schema<'v>(&self, holder: &'v Value) -> Option<&'v Value> {
        let content = holder.get("content")?.as_object()?;
        let (_, media) = content
            .iter()
            .find(|(t, _)| crate::normalize::is_json_media_type(t))
            .or_else(|| content.iter().next())?;
        Some(media.get("schema").unwrap_or(&Value::Null))
    }

    pub(super) fn body(&self, schema: &Value, rust: String) -> Body {
        let inline = schema.get("$ref").is_none();
        Body {
            rust,
            schema: self.describe(schema, 0),
            fields: if inline {
                self.fields(schema)
            } else {
                BTreeMap::new()
            },
        }
    }

    /// The properties of an object schema, its `allOf` members' included.
    pub(super) fn fields(&self, schema: &Value) -> BTreeMap<String, Field> {
        let mut out = BTreeMap::new();
        self.collect_fields(schema, 0, &mut out);
        out
    }

    fn collect_fields(&self, schema: &Value, depth: usize, out: &mut BTreeMap<String, Field>) {
        if depth > MAX_DEPTH {
            return;
        }
        let schema = self.resolve(schema);
        let required = required(schema.get("required"));
        for (name, property) in schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            out.insert(
                name.clone(),
                Field {
                    ty: self.describe(property, depth + 1),
                    required: required.contains(name.as_str()),
                },
            );
        }
        for member in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            self.collect_fields(member, depth + 1, out);
        }
    }

    pub(super) fn describe(&self, schema: &Value, depth: usize) -> String {
        if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
            return target.rsplit('/').next().unwrap_or(target).to_owned();
        }
        let Some(map) = schema.as_object() else {
            return if schema == &Value::Bool(false) {
                "never".to_owned()
            } else {
                "any".to_owned()
            };
        };
        if depth > MAX_DEPTH {
            return "…".to_owned();
        }
        let mut nullable = !self.strict && map.get("nullable") == Some(&Value::Bool(true));
        let mut types: Vec<String> = match map.get("type") {
            Some(Value::String(t)) => vec![t.clone()],
            Some(Value::Array(list)) => list
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            _ => Vec::new(),
        };
        if types.iter().any(|t| t == "null") {
            nullable = true;
            types.retain(|t| t != "null");
        }
        let mut base = if let Some(list) = map.get("allOf").and_then(Value::as_array) {
            let parts: Vec<String> = list.iter().map(|s| self.describe(s, depth + 1)).collect();
            if parts.len() == 1 {
                parts.into_iter().next().unwrap_or_default()
            } else {
                format!("allOf({})", parts.join(", "))
            }
        } else if let Some((word, list)) = ["anyOf", "oneOf"]
            .iter()
            .find_map(|k| Some((*k, map.get(*k)?.as_array()?)))
        {
            let mut parts = Vec::new();
            for branch in list {
                if branch.get("type").and_then(Value::as_str) == Some("null") {
                    nullable = true;
                } else {
                    parts.push(self.describe(branch, depth + 1));
                }
            }
            if parts.len() == 1 {
                parts.into_iter().next().unwrap_or_default()
            } else {
                format!("{word}({})", parts.join(", "))
            }
        } else if let Some(value) = map.get("const") {
            format!("const {value}")
        } else if types.is_empty() {
            if map.contains_key("properties") {
                self.object(map, depth)
            } else {
                "any".to_owned()
            }
        } else {
            let parts: Vec<String> = types.iter().map(|t| self.typed(t, map, depth)).collect();
            parts.join(" | ")
        };
        if let Some(values) = map.get("enum").and_then(Value::as_array) {
            let values: Vec<String> = values
                .iter()
                .filter(|v| !v.is_null())
                .map(Value::to_string)
                .collect();
            if map
                .get("enum")
                .and_then(Value::as_array)
                .is_some_and(|v| v.iter().any(Value::is_null))
            {
                nullable = true;
            }
            base = format!("{base} enum[{}]", values.join(", "));
        }
        if nullable {
            base.push_str(" | null");
        }
        base
    }

    fn typed(&self, ty: &str, map: &serde_json::Map<String, Value>, depth: usize) -> String {
        match ty {
            "array" => format!(
                "array<{}>",
                map.get("items")
                    .map_or_else(|| "any".to_owned(), |i| self.describe(i, depth + 1))
            ),
            "object" => self.object(map, depth),
            "integer" | "number" => match map.get("format").and_then(Value::as_str) {
                Some(format) => format!("{ty}({format})"),
                None => ty.to_owned(),
            },
            other => other.to_owned(),
        }
    }

    fn object(&self, map: &serde_json::Map<String, Value>, depth: usize) -> String {
        let required = required(map.get("required"));
        let properties: Vec<String> = map
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(name, property)| {
                let mark = if required.contains(name.as_str()) {
                    ""
                } else {
                    "?"
                };
                format!("{name}{mark}: {}", self.describe(property, depth + 1))
            })
            .collect();
        match map.get("additionalProperties") {
            Some(extra) if extra.is_object() && properties.is_empty() => {
                format!("map<{}>", self.describe(extra, depth + 1))
            }
            _ if properties.is_empty() => "object".to_owned(),
            _ => format!("{{{}}}", properties.join(", ")),
        }
    }
}

/// The names a schema's `required` lists.
fn required(list: Option<&Value>) -> BTreeSet<&str> {
    list.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn describes_nullability_by_the_documents_dialect() {
        let doc31 = json!({"openapi": "3.1.0"});
        let cases = [
            // `nullable` is no keyword of 3.1: a 3.1 spec writing it says nothing.
            (true, json!({"type": "string", "nullable": true}), "string"),
            (
                true,
                json!({"type": ["string", "null"], "example": "x"}),
                "string | null",
            ),
            (
                false,
                json!({"type": "string", "nullable": true}),
                "string | null",
            ),
            (
                true,
                json!({"type": "object", "required": ["a"], "properties": {
                    "a": {"type": "integer", "format": "int32", "description": "docs are left out"},
                    "b": {"type": "array", "items": {"$ref": "#/components/schemas/T"}}}}),
                "{a: integer(int32), b?: array<T>}",
            ),
        ];
        for (strict, schema, expected) in cases {
            let describer = Describer {
                doc: &doc31,
                strict,
            };
            assert_eq!(describer.describe(&schema, 0), expected, "{schema}");
        }
    }

    #[test]
    fn the_dialect_is_the_documents_openapi_version() {
        assert!(Describer::of(&json!({"openapi": "3.1.0"})).strict);
        assert!(!Describer::of(&json!({"openapi": "3.0.3"})).strict);
        assert!(!Describer::of(&json!({})).strict);
    }
}
