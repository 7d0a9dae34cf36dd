//! Makes every operation's parameters something progenitor can generate a usable method for.

use serde_json::{Map, Value, json};

use super::append_description;
use super::operations::{item_operations_mut, operations_in_method_order_mut, path_items_mut};
use crate::diagnostics::Diagnostics;
use crate::pointer::{self, push};

pub fn fix(doc: &mut Value, diags: &mut Diagnostics) {
    let snapshot = doc.clone();
    for (path, item) in path_items_mut(doc) {
        let item_ptr = push("/paths", path);
        // Path-level parameters are copied into each operation (operation entries win, as in
        // OpenAPI), so every later rule sees one flat list per operation.
        let shared = match item.shift_remove("parameters") {
            Some(Value::Array(list)) => list,
            _ => Vec::new(),
        };
        let shared: Vec<(Value, String)> = shared
            .into_iter()
            .enumerate()
            .map(|(i, p)| {
                (
                    inline(&snapshot, p),
                    push(&push(&item_ptr, "parameters"), &i.to_string()),
                )
            })
            .collect();
        let template = template_names(path);
        for (method, op) in item_operations_mut(item) {
            let Value::Object(op) = op else { continue };
            let op_ptr = push(&item_ptr, method);
            let own: Vec<(Value, String)> = match op.shift_remove("parameters") {
                Some(Value::Array(list)) => list
                    .into_iter()
                    .enumerate()
                    .map(|(i, p)| {
                        (
                            inline(&snapshot, p),
                            push(&push(&op_ptr, "parameters"), &i.to_string()),
                        )
                    })
                    .collect(),
                _ => Vec::new(),
            };
            let mut params = merge(&shared, own);
            params.retain_mut(|(p, ptr)| keep_parameter(p, ptr, &template, &snapshot, diags));
            for name in &template {
                let declared = params
                    .iter()
                    .any(|(p, _)| is_in(p, "path") && p.get("name") == Some(&json!(name)));
                if !declared {
                    diags.warn(
                        &op_ptr,
                        format!("path parameter `{name}` is not declared: added as a string"),
                    );
                    params.push((json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}), op_ptr.clone()));
                }
            }
            if !params.is_empty() {
                op.insert(
                    "parameters".into(),
                    Value::Array(params.into_iter().map(|(p, _)| p).collect()),
                );
            }
        }
    }
}

/// A `$ref`ed parameter is replaced by a copy of its target (left alone if it does not resolve:
/// the reference check reports that with its pointer).
fn inline(doc: &Value, param: Value) -> Value {
    match param.get("$ref").and_then(Value::as_str) {
        Some(reference) => pointer::resolve(doc, reference).cloned().unwrap_or(param),
        None => param,
    }
}

fn key(p: &Value) -> (Option<&Value>, Option<&Value>) {
    (p.get("name"), p.get("in"))
}

fn merge(shared: &[(Value, String)], own: Vec<(Value, String)>) -> Vec<(Value, String)> {
    let mut merged: Vec<(Value, String)> = shared
        .iter()
        .filter(|(s, _)| !own.iter().any(|(o, _)| key(o) == key(s)))
        .cloned()
        .collect();
    merged.extend(own);
    merged
}

fn is_in(param: &Value, location: &str) -> bool {
    param.get("in") == Some(&json!(location))
}

fn template_names(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()))
        .collect()
}

/// Fixes one parameter in place; `false` drops it.
fn keep_parameter(
    param: &mut Value,
    ptr: &str,
    template: &[String],
    doc: &Value,
    diags: &mut Diagnostics,
) -> bool {
    let Value::Object(map) = param else {
        return true;
    };
    let name = map
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let location = map
        .get("in")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if location == "cookie" {
        diags.warn(
            ptr,
            format!("cookie parameter `{name}` dropped: progenitor cannot send cookies"),
        );
        return false;
    }
    if location == "path" && !template.contains(&name) {
        diags.warn(
            ptr,
            format!("path parameter `{name}` does not appear in the path: dropped"),
        );
        return false;
    }
    if let Some(content) = map.shift_remove("content") {
        // A parameter serialised as a media type (e.g. JSON in a query string) is sent as the
        // caller's already-encoded string; progenitor would otherwise form-encode it.
        let media = content
            .as_object()
            .and_then(|c| c.keys().next().cloned())
            .unwrap_or_default();
        diags.warn(
            push(ptr, "content"),
            format!("parameter `{name}` is encoded as `{media}`: the generated method takes the encoded string"),
        );
        map.insert("schema".into(), json!({"type": "string"}));
        append_description(map, &format!("Encoded as `{media}` by the caller."));
    }
    map.entry("schema")
        .or_insert_with(|| json!({"type": "string"}));
    let required = map.get("required") == Some(&json!(true));
    if location == "path" && !required {
        map.insert("required".into(), json!(true));
        diags.warn(
            push(ptr, "required"),
            format!("path parameter `{name}` made required (path parameters always are)"),
        );
    }
    if map.get("style") == Some(&json!("deepObject")) {
        map.shift_remove("style");
        map.shift_remove("explode");
        let schema = map.get("schema").cloned().unwrap_or(Value::Null);
        if location == "query" && is_object_like(&schema, doc, 0) {
            // `filter[a]=1&filter[b]=2`: progenitor rejects the style, but form-explodes a map,
            // so a map whose keys the caller writes as `filter[a]` puts the same on the wire.
            let documented = documented_as(&schema, doc);
            map.insert(
                "schema".into(),
                json!({"type": "object", "additionalProperties": {}}),
            );
            append_description(
                map,
                &format!(
                    "Documented as {documented}, sent `style: deepObject`: key each entry `{name}[property]` (`{name}[a]` is sent as `{name}[a]=…`)."
                ),
            );
            diags.warn(
                push(ptr, "style"),
                format!(
                    "deepObject parameter `{name}` is sent as a map whose keys the caller writes as `{name}[property]`: progenitor does not support `style: deepObject`"
                ),
            );
            return true;
        }
        diags.warn(
            push(ptr, "style"),
            format!(
                "`style: deepObject` on `{name}`, which is not an object query parameter (the style defines no other), dropped: sent in the location's default style"
            ),
        );
    }
    let schema = map.get("schema").cloned().unwrap_or(Value::Null);
    let header_list = location == "header" && shape(&schema, doc) == Shape::Array;
    if location != "path" && (is_object_like(&schema, doc, 0) || header_list) {
        // progenitor's builder interface only accepts a struct (a type with a builder) as the
        // body: it asserts on a required struct parameter and hits `unreachable!()` on an
        // optional one. A JSON map carries the same fields (query objects are form-exploded,
        // `?gpu_name=...`) and may stay optional; headers need text (`to_string()`).
        // Header values are sent with `to_string()`, which lists do not have either.
        let (replacement, sent_as) = if location == "header" {
            (json!({"type": "string"}), "the caller's encoded string")
        } else {
            (
                json!({"type": "object", "additionalProperties": {}}),
                "a JSON map",
            )
        };
        let documented = documented_as(&schema, doc);
        map.insert("schema".into(), replacement);
        append_description(
            map,
            &format!("Documented as {documented}; sent as {sent_as}."),
        );
        let why = if header_list {
            "progenitor sends header values with `to_string()`"
        } else {
            "progenitor accepts a struct only as the request body"
        };
        diags.warn(
            push(ptr, "schema"),
            format!(
                "{} parameter `{name}` is sent as {sent_as}: {why}",
                if header_list { "list" } else { "object" }
            ),
        );
    }
    true
}

/// The normalised document as progenitor's httpmock generator needs it: its helpers match every
/// parameter on `value.to_string()`, which lists and maps do not have. A list parameter's helper
/// takes the text of one item instead (`?order=a&order=b` matches `a` or `b`); a map parameter
/// is form-exploded, so its name never reaches the wire, and gets no helper (match its keys
/// through `into_inner()`). The client is generated from the unchanged document.
pub fn for_mocks(doc: &Value) -> Value {
    let mut out = doc.clone();
    for (_, _, op) in operations_in_method_order_mut(&mut out) {
        let Some(Value::Array(params)) = op.get_mut("parameters") else {
            continue;
        };
        params.retain_mut(|param| {
            let schema = param.get("schema").cloned().unwrap_or(Value::Null);
            match shape(&schema, doc) {
                Shape::Map => false,
                Shape::Array => {
                    if let Value::Object(param) = param {
                        param.insert("schema".into(), json!({"type": "string"}));
                    }
                    true
                }
                Shape::Other => true,
            }
        });
    }
    out
}

#[derive(Debug, PartialEq, Eq)]
enum Shape {
    Array,
    /// An object typify maps to a `Map` (no properties).
    Map,
    Other,
}

fn shape(schema: &Value, doc: &Value) -> Shape {
    let schema = pointer::follow(doc, schema);
    match schema.get("type").and_then(Value::as_str) {
        Some("array") => Shape::Array,
        Some("object") if schema.get("properties").is_none() => Shape::Map,
        _ => Shape::Other,
    }
}

/// How a replaced parameter schema was documented, for the generated doc comment.
fn documented_as(schema: &Value, doc: &Value) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn run(doc: Value) -> (Value, Diagnostics) {
        let mut doc = doc;
        let mut diags = Diagnostics::default();
        fix(&mut doc, &mut diags);
        (doc, diags)
    }

    /// Runs progenitor's client and mock generators on a normalised one-operation document.
    fn progenitor_accepts(paths: Value) {
        let doc =
            json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths});
        let spec: openapiv3::OpenAPI = serde_json::from_value(doc).unwrap();
        let mut settings = progenitor::GenerationSettings::default();
        settings.with_interface(progenitor::InterfaceStyle::Builder);
        let generated = std::panic::catch_unwind(|| {
            progenitor::Generator::new(&settings).generate_tokens(&spec)
        });
        assert!(matches!(generated, Ok(Ok(_))), "progenitor failed");
    }

    #[test]
    fn optional_object_query_parameter_becomes_an_optional_json_map() {
        let (doc, d) = run(
            json!({"paths": {"/search": {"get": {"operationId": "search", "parameters": [
            {"name": "q", "in": "query", "description": "Filters.",
             "schema": {"type": "object", "properties": {"gpu": {"type": "string"}}}}
        ], "responses": {"204": {"description": ""}}}}}}),
        );
        let q = &doc["paths"]["/search"]["get"]["parameters"][0];
        assert_eq!(
            q["schema"],
            json!({"type": "object", "additionalProperties": {}})
        );
        assert!(q.get("required").is_none());
        assert_eq!(
            q["description"],
            "Filters.\n\nDocumented as an object with `gpu`; sent as a JSON map."
        );
        assert!(d.contains("/paths/~1search/get/parameters/0/schema", "progenitor"));
        progenitor_accepts(doc["paths"].clone());
    }

    #[test]
    fn required_ref_to_object_becomes_a_map_but_scalars_are_untouched() {
        // progenitor asserts (`left: "q", right: "body"`) on a required struct parameter too.
        let (doc, _) = run(json!({
        "components": {"schemas": {"Q": {"type": "object", "properties": {"a": {"type": "integer"}}}}},
        "paths": {"/s": {"get": {"operationId": "s", "parameters": [
            {"name": "q", "in": "query", "required": true, "schema": {"$ref": "#/components/schemas/Q"}},
            {"name": "X-Filter", "in": "header", "schema": {"allOf": [{"$ref": "#/components/schemas/Q"}]}},
            {"name": "limit", "in": "query", "schema": {"type": "integer"}}
        ], "responses": {"204": {"description": ""}}}}}}));
        let params = &doc["paths"]["/s"]["get"]["parameters"];
        assert_eq!(params[0]["schema"]["additionalProperties"], json!({}));
        assert_eq!(params[0]["required"], true);
        assert!(params[0]["description"].as_str().unwrap().contains("`Q`"));
        assert_eq!(params[1]["schema"], json!({"type": "string"}));
        assert_eq!(params[2]["schema"], json!({"type": "integer"}));
        let mut paths = doc["paths"].clone();
        paths["/s"]["get"]["parameters"][0]["schema"] = params[0]["schema"].clone();
        progenitor_accepts(paths);
    }

    #[test]
    fn path_level_parameters_are_copied_and_overridden() {
        let (doc, _) = run(
            json!({"components": {"parameters": {"Id": {"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}}},
            "paths": {"/a/{id}": {"parameters": [{"$ref": "#/components/parameters/Id"}],
            "get": {}, "put": {"parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}]}}}}),
        );
        let item = &doc["paths"]["/a/{id}"];
        assert!(item.get("parameters").is_none());
        assert_eq!(item["get"]["parameters"][0]["schema"]["type"], "integer");
        assert_eq!(item["put"]["parameters"][0]["schema"]["type"], "string");
    }

    #[test]
    fn path_parameters_match_the_template() {
        let (doc, d) = run(
            json!({"paths": {"/a/{id}/b/{other}": {"get": {"parameters": [
                {"name": "id", "in": "path", "schema": {"type": "integer"}},
                {"name": "stray", "in": "path", "required": true, "schema": {"type": "integer"}},
                {"name": "session", "in": "cookie", "schema": {"type": "string"}}
            ]}}}}),
        );
        let params = doc["paths"]["/a/{id}/b/{other}"]["get"]["parameters"]
            .as_array()
            .unwrap()
            .clone();
        let names: Vec<_> = params
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(names, ["id", "other"]);
        assert_eq!(params[0]["required"], true);
        assert!(d.contains("/paths/~1a~1{id}~1b~1{other}/get/parameters/1", "stray"));
        assert!(d.contains("/paths/~1a~1{id}~1b~1{other}/get/parameters/2", "cookie"));
        assert!(d.contains(
            "/paths/~1a~1{id}~1b~1{other}/get",
            "`other` is not declared"
        ));
    }

    #[test]
    fn list_header_parameter_becomes_a_string() {
        let (doc, d) = run(json!({"paths": {"/s": {"get": {"parameters": [
            {"name": "X-Tags", "in": "header", "schema": {"type": "array", "items": {"type": "string"}}},
            {"name": "tags", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}}
        ]}}}}));
        let params = &doc["paths"]["/s"]["get"]["parameters"];
        assert_eq!(params[0]["schema"], json!({"type": "string"}));
        assert_eq!(params[1]["schema"]["type"], "array");
        assert!(d.contains("/paths/~1s/get/parameters/0/schema", "to_string()"));
    }

    #[test]
    fn mock_variant_prints_lists_by_item_and_leaves_out_maps() {
        let (doc, _) = run(
            json!({"components": {"schemas": {"Kinds": {"type": "array", "items": {"type": "string"}}}},
            "paths": {"/s": {"get": {"operationId": "s", "parameters": [
                {"name": "kinds", "in": "query", "schema": {"$ref": "#/components/schemas/Kinds"}},
                {"name": "q", "in": "query", "schema": {"type": "object", "properties": {"a": {"type": "string"}}}},
                {"name": "limit", "in": "query", "schema": {"type": "integer"}}
            ], "responses": {"204": {"description": ""}}}}}}),
        );
        let mocks = for_mocks(&doc);
        let params = &mocks["paths"]["/s"]["get"]["parameters"];
        assert_eq!(
            params,
            &json!([
                {"name": "kinds", "in": "query", "schema": {"type": "string"}},
                {"name": "limit", "in": "query", "schema": {"type": "integer"}}
            ])
        );
        // The client keeps both.
        assert_eq!(
            doc["paths"]["/s"]["get"]["parameters"]
                .as_array()
                .unwrap()
                .len(),
            3
        );
    }

    #[test]
    fn content_encoded_parameter_becomes_a_string() {
        let (doc, d) = run(json!({"paths": {"/s": {"get": {"parameters": [
            {"name": "q", "in": "query", "content": {"application/json": {"schema": {"type": "object"}}}}
        ]}}}}));
        let p = &doc["paths"]["/s"]["get"]["parameters"][0];
        assert_eq!(p["schema"], json!({"type": "string"}));
        assert!(p.get("content").is_none());
        assert!(d.contains("/paths/~1s/get/parameters/0/content", "application/json"));
    }

    #[test]
    fn deep_object_parameter_becomes_a_map_keyed_by_the_caller() {
        let (doc, diags) = run(
            json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/s": {"get": {
            "parameters": [
                {"name": "filter", "in": "query", "style": "deepObject", "explode": true,
                    "schema": {"type": "object", "properties": {"a": {"type": "string"}}}},
                {"name": "n", "in": "query", "style": "deepObject", "schema": {"type": "integer"}}],
            "responses": {}}}}}),
        );
        let params = &doc["paths"]["/s"]["get"]["parameters"];
        assert_eq!(
            params[0]["schema"],
            json!({"type": "object", "additionalProperties": {}})
        );
        assert!(params[0].get("style").is_none() && params[0].get("explode").is_none());
        assert!(
            params[0]["description"]
                .as_str()
                .unwrap()
                .contains("`filter[property]`")
        );
        assert_eq!(params[1]["schema"], json!({"type": "integer"}));
        assert!(params[1].get("style").is_none());
        assert!(diags.contains(
            "/paths/~1s/get/parameters/0/style",
            "keys the caller writes as `filter[property]`"
        ));
        assert!(diags.contains("/paths/~1s/get/parameters/1/style", "dropped"));
    }
}
