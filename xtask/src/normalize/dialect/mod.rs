//! Rewrites OpenAPI 3.1 (JSON Schema 2020-12) constructs into the OpenAPI 3.0 dialect progenitor reads.

use anyhow::{Result, bail};
use serde_json::{Map, Value, json};

use super::walk;
use crate::diagnostics::Diagnostics;

/// The `openapi:` version written into the normalised document.
pub const TARGET_VERSION: &str = "3.0.3";

/// JSON Schema keywords with no OpenAPI 3.0 equivalent; dropped with a warning.
const UNSUPPORTED_SCHEMA_KEYWORDS: [&str; 19] = [
    "$schema",
    "$id",
    "$anchor",
    "$dynamicRef",
    "$dynamicAnchor",
    "$comment",
    "$defs",
    "contentMediaType",
    "contentEncoding",
    "contentSchema",
    "prefixItems",
    "unevaluatedItems",
    "unevaluatedProperties",
    "dependentRequired",
    "dependentSchemas",
    "patternProperties",
    "propertyNames",
    "contains",
    "if",
];
/// More keywords with no 3.0 equivalent (kept apart to keep the list readable).
const UNSUPPORTED_SCHEMA_KEYWORDS_2: [&str; 4] = ["then", "else", "minContains", "maxContains"];

/// Top-level 3.1 members that 3.0 does not have.
const UNSUPPORTED_ROOT_KEYWORDS: [&str; 2] = ["webhooks", "jsonSchemaDialect"];

/// The keywords of integers and numbers alike.
const NUMBER_KEYWORDS: &[&str] = &[
    "format",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
];

/// Type-specific keywords moved into the matching branch when `type: [a, b]` becomes `anyOf`.
const KEYWORDS_BY_TYPE: [(&str, &[&str]); 6] = [
    ("string", &["format", "pattern", "minLength", "maxLength"]),
    ("integer", NUMBER_KEYWORDS),
    ("number", NUMBER_KEYWORDS),
    ("array", &["items", "minItems", "maxItems", "uniqueItems"]),
    (
        "object",
        &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
        ],
    ),
    ("boolean", &[]),
];

/// Checks the declared version and converts a 3.1 document in place.
pub fn downgrade(doc: &mut Value, diags: &mut Diagnostics) -> Result<()> {
    let version = match doc.get("openapi") {
        Some(Value::String(v)) => v.clone(),
        Some(other) => {
            bail!("/openapi: expected a version string, found {other}");
        }
        None if doc.get("swagger").is_some() => {
            bail!("/swagger: Swagger 2.0 documents are not supported; convert to OpenAPI 3 first");
        }
        None => bail!("/openapi: the document has no `openapi` version"),
    };
    let is_31 = version.starts_with("3.1.");
    if !is_31 && !version.starts_with("3.0.") {
        bail!("/openapi: unsupported OpenAPI version {version:?} (expected 3.0.x or 3.1.x)");
    }
    doc["openapi"] = json!(TARGET_VERSION);
    if !is_31 {
        return Ok(());
    }
    downgrade_root(doc, diags);
    walk::schemas(doc, &mut |schema, pointer| {
        downgrade_schema(schema, pointer, diags)
    });
    Ok(())
}

fn downgrade_root(doc: &mut Value, diags: &mut Diagnostics) {
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    for key in UNSUPPORTED_ROOT_KEYWORDS {
        if root.shift_remove(key).is_some() {
            diags.warn(format!("/{key}"), "dropped: OpenAPI 3.0 has no equivalent");
        }
    }
    if let Some(Value::Object(info)) = root.get_mut("info") {
        if info.shift_remove("summary").is_some() {
            diags.warn("/info/summary", "dropped: OpenAPI 3.0 has no info summary");
        }
        if let Some(Value::Object(license)) = info.get_mut("license")
            && license.shift_remove("identifier").is_some()
        {
            diags.warn(
                "/info/license/identifier",
                "dropped: OpenAPI 3.0 has no SPDX identifier",
            );
        }
    }
    if let Some(Value::Object(components)) = root.get_mut("components")
        && components.shift_remove("pathItems").is_some()
    {
        diags.warn(
            "/components/pathItems",
            "dropped: OpenAPI 3.0 has no reusable path items",
        );
    }
    // 3.1 makes `paths` optional; 3.0 requires it.
    root.entry("paths").or_insert_with(|| json!({}));
}

fn downgrade_schema(schema: &mut Value, pointer: &str, diags: &mut Diagnostics) {
    // 3.1 allows boolean schemas; `additionalProperties: bool` is also valid 3.0 and stays.
    if let Value::Bool(accept) = schema {
        if !pointer.ends_with("/additionalProperties") {
            *schema = if *accept {
                json!({})
            } else {
                json!({"not": {}})
            };
        }
        return;
    }
    let Value::Object(map) = schema else { return };
    if map.contains_key("$ref") {
        ref_with_siblings(map);
    }
    type_list(map, pointer, diags);
    null_branches(map, pointer, diags);
    if let Some(value) = map.shift_remove("const") {
        map.entry("enum").or_insert_with(|| json!([value]));
    }
    if let Some(examples) = map.shift_remove("examples") {
        match examples {
            Value::Array(list) => {
                if let Some(first) = list.into_iter().next() {
                    map.entry("example").or_insert(first);
                }
            }
            _ => diags.warn(
                format!("{pointer}/examples"),
                "dropped: schema `examples` must be a list",
            ),
        }
    }
    exclusive_bound(map, "exclusiveMinimum", "minimum");
    exclusive_bound(map, "exclusiveMaximum", "maximum");
    for key in UNSUPPORTED_SCHEMA_KEYWORDS
        .iter()
        .chain(&UNSUPPORTED_SCHEMA_KEYWORDS_2)
    {
        if map.shift_remove(*key).is_some() {
            diags.warn(
                format!("{pointer}/{}", key.replace('/', "~1")),
                "dropped: no OpenAPI 3.0 equivalent",
            );
        }
    }
}

/// 3.0 ignores everything beside `$ref`; 3.1 applies it. Keep meaning by wrapping in `allOf`.
fn ref_with_siblings(map: &mut Map<String, Value>) {
    let meaningful = map
        .keys()
        .any(|k| !matches!(k.as_str(), "$ref" | "description" | "summary"));
    if !meaningful {
        return;
    }
    if let Some(reference) = map.shift_remove("$ref") {
        let mut all_of = vec![json!({ "$ref": reference })];
        if let Some(Value::Array(existing)) = map.shift_remove("allOf") {
            all_of.extend(existing);
        }
        map.insert("allOf".into(), Value::Array(all_of));
    }
}

/// `type: [T, "null"]` -> `type: T, nullable: true`; several non-null types -> `anyOf`.
fn type_list(map: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
    let types: Vec<String> = match map.get("type") {
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|t| t.as_str().map(str::to_owned))
            .collect(),
        Some(Value::String(t)) if t == "null" => vec!["null".to_owned()],
        _ => return,
    };
    map.shift_remove("type");
    let non_null: Vec<&String> = types.iter().filter(|t| *t != "null").collect();
    if non_null.len() < types.len() {
        map.insert("nullable".into(), json!(true));
    }
    match non_null.as_slice() {
        [] => diags.warn(
            format!("{pointer}/type"),
            "`type: null` has no OpenAPI 3.0 form: the value is typed as any JSON value",
        ),
        [only] => {
            map.insert("type".into(), json!(only));
        }
        several => {
            let branches = several
                .iter()
                .map(|t| {
                    let mut branch = Map::new();
                    branch.insert("type".into(), json!(t));
                    let moved = KEYWORDS_BY_TYPE
                        .iter()
                        .find(|(name, _)| name == t)
                        .map(|(_, keys)| *keys)
                        .unwrap_or(&[]);
                    for key in moved {
                        if let Some(v) = map.get(*key) {
                            branch.insert((*key).into(), v.clone());
                        }
                    }
                    Value::Object(branch)
                })
                .collect::<Vec<_>>();
            for (_, keys) in KEYWORDS_BY_TYPE {
                for key in keys {
                    map.shift_remove(*key);
                }
            }
            map.insert("anyOf".into(), Value::Array(branches));
        }
    }
}

/// `anyOf`/`oneOf` with a `{type: null}` branch: drop the branch, mark the schema nullable.
fn null_branches(map: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(branches)) = map.get_mut(key) else {
            continue;
        };
        let before = branches.len();
        branches.retain(|b| !is_null_schema(b));
        if branches.len() == before {
            continue;
        }
        map.insert("nullable".into(), json!(true));
        let Some(Value::Array(branches)) = map.get_mut(key) else {
            continue;
        };
        if branches.is_empty() {
            map.shift_remove(key);
            diags.warn(
                format!("{pointer}/{key}"),
                "only a null branch: typed as any JSON value",
            );
        } else if branches.len() == 1 {
            // A one-branch union is just that branch; `allOf` keeps `nullable` attached to it.
            let only = branches.remove(0);
            map.shift_remove(key);
            map.insert("allOf".into(), json!([only]));
        }
    }
}

fn is_null_schema(schema: &Value) -> bool {
    matches!(schema.get("type"), Some(Value::String(t)) if t == "null")
        || matches!(schema.get("enum"), Some(Value::Array(v)) if v == &[Value::Null])
        || matches!(schema.get("const"), Some(Value::Null))
}

/// 3.1's numeric `exclusiveMinimum: n` is 3.0's `minimum: n, exclusiveMinimum: true`.
fn exclusive_bound(map: &mut Map<String, Value>, exclusive_key: &str, bound_key: &str) {
    let Some(Value::Number(n)) = map.get(exclusive_key).cloned() else {
        return;
    };
    map.insert(bound_key.into(), Value::Number(n));
    map.insert(exclusive_key.into(), json!(true));
}

#[cfg(test)]
mod tests;
