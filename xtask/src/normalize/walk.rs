//! Visits every schema, parameter, operation and response of an OpenAPI document, with its JSON pointer.

use serde_json::Value;

use super::operations::{item_operations_mut, path_items_mut};
use crate::pointer::push;

/// Schema keywords whose value is one sub-schema.
pub(crate) const SINGLE_SCHEMA_KEYS: [&str; 10] = [
    "items",
    "additionalProperties",
    "not",
    "contains",
    "if",
    "then",
    "else",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
];
/// Schema keywords whose value maps names to sub-schemas.
pub(crate) const SCHEMA_MAP_KEYS: [&str; 5] = [
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];
/// Schema keywords whose value is a list of sub-schemas.
pub(crate) const SCHEMA_LIST_KEYS: [&str; 4] = ["allOf", "anyOf", "oneOf", "prefixItems"];

/// Calls `f` on every schema in the document, parents before children. `f` may replace the
/// value; the walk then descends into what `f` left there.
pub fn schemas(doc: &mut Value, f: &mut dyn FnMut(&mut Value, &str)) {
    let mut visit = |site: Site, value: &mut Value, pointer: &str| {
        if let Site::Schema = site {
            visit_schema_tree(value, pointer, f);
        }
    };
    sites(doc, &mut visit);
}

/// What kind of OpenAPI object a visited value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Site {
    Schema,
    Parameter,
    Header,
    RequestBody,
    Response,
    /// An operation; the pointer's last two tokens are its path and method.
    Operation,
}

/// Calls `f` on every top-level site (schemas not descended into; see [`schemas`]).
pub fn sites(doc: &mut Value, f: &mut dyn FnMut(Site, &mut Value, &str)) {
    if let Some(components) = doc.get_mut("components") {
        let base = "/components";
        for (key, site) in [
            ("schemas", Site::Schema),
            ("parameters", Site::Parameter),
            ("headers", Site::Header),
            ("requestBodies", Site::RequestBody),
            ("responses", Site::Response),
        ] {
            if let Some(Value::Object(map)) = components.get_mut(key) {
                let map_ptr = push(base, key);
                for (name, value) in map.iter_mut() {
                    visit_site(site, value, &push(&map_ptr, name), f);
                }
            }
        }
    }
    for (path, item) in path_items_mut(doc) {
        let item_ptr = push("/paths", path);
        if let Some(Value::Array(params)) = item.get_mut("parameters") {
            let params_ptr = push(&item_ptr, "parameters");
            for (i, p) in params.iter_mut().enumerate() {
                visit_site(Site::Parameter, p, &push(&params_ptr, &i.to_string()), f);
            }
        }
        for (method, op) in item_operations_mut(item) {
            visit_site(Site::Operation, op, &push(&item_ptr, method), f);
        }
    }
}

fn visit_site(
    site: Site,
    value: &mut Value,
    pointer: &str,
    f: &mut dyn FnMut(Site, &mut Value, &str),
) {
    f(site, value, pointer);
    let Value::Object(map) = value else { return };
    match site {
        Site::Schema => {}
        Site::Parameter | Site::Header => {
            if let Some(schema) = map.get_mut("schema") {
                visit_site(Site::Schema, schema, &push(pointer, "schema"), f);
            }
            visit_content(map, pointer, f);
        }
        Site::RequestBody => visit_content(map, pointer, f),
        Site::Response => {
            visit_content(map, pointer, f);
            if let Some(Value::Object(headers)) = map.get_mut("headers") {
                let headers_ptr = push(pointer, "headers");
                for (name, h) in headers.iter_mut() {
                    visit_site(Site::Header, h, &push(&headers_ptr, name), f);
                }
            }
        }
        Site::Operation => {
            if let Some(Value::Array(params)) = map.get_mut("parameters") {
                let params_ptr = push(pointer, "parameters");
                for (i, p) in params.iter_mut().enumerate() {
                    visit_site(Site::Parameter, p, &push(&params_ptr, &i.to_string()), f);
                }
            }
            if let Some(body) = map.get_mut("requestBody") {
                visit_site(Site::RequestBody, body, &push(pointer, "requestBody"), f);
            }
            if let Some(Value::Object(responses)) = map.get_mut("responses") {
                let responses_ptr = push(pointer, "responses");
                for (code, r) in responses.iter_mut() {
                    visit_site(Site::Response, r, &push(&responses_ptr, code), f);
                }
            }
        }
    }
}

fn visit_content(
    map: &mut serde_json::Map<String, Value>,
    pointer: &str,
    f: &mut dyn FnMut(Site, &mut Value, &str),
) {
    if let Some(Value::Object(content)) = map.get_mut("content") {
        let content_ptr = push(pointer, "content");
        for (media_type, mt) in content.iter_mut() {
            if let Some(schema) = mt.get_mut("schema") {
                let mt_ptr = push(&content_ptr, media_type);
                visit_site(Site::Schema, schema, &push(&mt_ptr, "schema"), f);
            }
        }
    }
}

/// Calls `f` on a schema and then on each of its sub-schemas, recursively.
pub fn visit_schema_tree(value: &mut Value, pointer: &str, f: &mut dyn FnMut(&mut Value, &str)) {
    f(value, pointer);
    let Value::Object(map) = value else { return };
    for key in SINGLE_SCHEMA_KEYS {
        match map.get_mut(key) {
            // `items` may be a list in old drafts; every entry is a schema.
            Some(Value::Array(list)) => {
                let list_ptr = push(pointer, key);
                for (i, s) in list.iter_mut().enumerate() {
                    visit_schema_tree(s, &push(&list_ptr, &i.to_string()), f);
                }
            }
            Some(child) => visit_schema_tree(child, &push(pointer, key), f),
            None => {}
        }
    }
    for key in SCHEMA_MAP_KEYS {
        if let Some(Value::Object(children)) = map.get_mut(key) {
            let map_ptr = push(pointer, key);
            for (name, child) in children.iter_mut() {
                visit_schema_tree(child, &push(&map_ptr, name), f);
            }
        }
    }
    for key in SCHEMA_LIST_KEYS {
        if let Some(Value::Array(list)) = map.get_mut(key) {
            let list_ptr = push(pointer, key);
            for (i, child) in list.iter_mut().enumerate() {
                visit_schema_tree(child, &push(&list_ptr, &i.to_string()), f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn visits_every_schema_location_with_its_pointer() {
        let mut doc = json!({
            "paths": {"/a/{id}": {
                "parameters": [{"name": "id", "in": "path", "schema": {"type": "integer"}}],
                "get": {
                    "parameters": [{"name": "q", "in": "query", "content": {"application/json": {"schema": {"type": "object"}}}}],
                    "requestBody": {"content": {"application/json": {"schema": {"type": "array", "items": {"type": "string"}}}}},
                    "responses": {"200": {"description": "", "headers": {"X-A": {"schema": {"type": "string"}}},
                        "content": {"application/json": {"schema": {"allOf": [{"properties": {"p": {"type": "number"}}}]}}}}}
                }
            }},
            "components": {"schemas": {"S": {"additionalProperties": {"type": "boolean"}}}}
        });
        let mut seen = Vec::new();
        schemas(&mut doc, &mut |_, p| seen.push(p.to_owned()));
        assert_eq!(
            seen,
            [
                "/components/schemas/S",
                "/components/schemas/S/additionalProperties",
                "/paths/~1a~1{id}/parameters/0/schema",
                "/paths/~1a~1{id}/get/parameters/0/content/application~1json/schema",
                "/paths/~1a~1{id}/get/requestBody/content/application~1json/schema",
                "/paths/~1a~1{id}/get/requestBody/content/application~1json/schema/items",
                "/paths/~1a~1{id}/get/responses/200/content/application~1json/schema",
                "/paths/~1a~1{id}/get/responses/200/content/application~1json/schema/allOf/0",
                "/paths/~1a~1{id}/get/responses/200/content/application~1json/schema/allOf/0/properties/p",
                "/paths/~1a~1{id}/get/responses/200/headers/X-A/schema",
            ]
        );
    }
}
