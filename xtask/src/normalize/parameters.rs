//! Makes every operation's parameters something progenitor can generate a usable method for.

use serde_json::{Map, Value, json};

use super::walk::HTTP_METHODS;
use crate::diagnostics::Diagnostics;
use crate::pointer::{self, push};

pub fn fix(doc: &mut Value, diags: &mut Diagnostics) {
    let snapshot = doc.clone();
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let item_ptr = push("/paths", path);
        let Value::Object(item) = item else { continue };
        // Path-level parameters are copied into each operation (operation entries win, as in
        // OpenAPI), so every later rule sees one flat list per operation.
        let shared = match item.remove("parameters") {
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
        for method in HTTP_METHODS {
            let Some(Value::Object(op)) = item.get_mut(method) else {
                continue;
            };
            let op_ptr = push(&item_ptr, method);
            let own: Vec<(Value, String)> = match op.remove("parameters") {
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
    if let Some(content) = map.remove("content") {
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
        let description = map
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        map.insert("schema".into(), json!({"type": "string"}));
        map.insert(
            "description".into(),
            json!(
                format!("{description}\n\nEncoded as `{media}` by the caller.")
                    .trim()
                    .to_owned()
            ),
        );
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
    if !required
        && location != "path"
        && is_object_like(map.get("schema").unwrap_or(&Value::Null), doc, 0)
    {
        // progenitor's builder hits `unreachable!()` on optional struct parameters.
        map.insert("required".into(), json!(true));
        diags.warn(
            push(ptr, "required"),
            format!("optional object parameter `{name}` made required: pass a default value to send no fields"),
        );
    }
    true
}

/// Would typify generate a struct (with a builder) for this schema?
pub fn is_object_like(schema: &Value, doc: &Value, depth: usize) -> bool {
    if depth > 32 {
        return false;
    }
    let Value::Object(map) = schema else {
        return false;
    };
    if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
        return pointer::resolve(doc, reference).is_some_and(|s| is_object_like(s, doc, depth + 1));
    }
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

    #[test]
    fn optional_object_query_parameter_is_made_required() {
        let (doc, d) = run(json!({"paths": {"/search": {"get": {"parameters": [
            {"name": "q", "in": "query", "schema": {"type": "object", "properties": {"gpu": {"type": "string"}}}}
        ]}}}}));
        assert_eq!(
            doc["paths"]["/search"]["get"]["parameters"][0]["required"],
            true
        );
        assert!(d.contains(
            "/paths/~1search/get/parameters/0/required",
            "optional object parameter"
        ));
    }

    #[test]
    fn optional_ref_to_object_is_made_required_but_scalars_stay_optional() {
        let (doc, _) = run(json!({
        "components": {"schemas": {"Q": {"type": "object", "properties": {"a": {"type": "integer"}}}}},
        "paths": {"/s": {"get": {"parameters": [
            {"name": "q", "in": "query", "schema": {"$ref": "#/components/schemas/Q"}},
            {"name": "limit", "in": "query", "schema": {"type": "integer"}}
        ]}}}}));
        let params = &doc["paths"]["/s"]["get"]["parameters"];
        assert_eq!(params[0]["required"], true);
        assert!(params[1].get("required").is_none());
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
    fn content_encoded_parameter_becomes_a_string() {
        let (doc, d) = run(json!({"paths": {"/s": {"get": {"parameters": [
            {"name": "q", "in": "query", "content": {"application/json": {"schema": {"type": "object"}}}}
        ]}}}}));
        let p = &doc["paths"]["/s"]["get"]["parameters"][0];
        assert_eq!(p["schema"], json!({"type": "string"}));
        assert!(p.get("content").is_none());
        assert!(d.contains("/paths/~1s/get/parameters/0/content", "application/json"));
    }
}
