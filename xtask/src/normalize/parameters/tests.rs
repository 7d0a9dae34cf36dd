use super::*;

fn run(doc: Value) -> (Value, Diagnostics) {
    let mut doc = doc;
    let mut diags = Diagnostics::default();
    fix(&mut doc, &mut diags).unwrap();
    (doc, diags)
}

/// Runs progenitor's client and mock generators on a normalised one-operation document.
fn progenitor_accepts(paths: Value) {
    let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths});
    let spec: openapiv3::OpenAPI = serde_json::from_value(doc).unwrap();
    let mut settings = progenitor::GenerationSettings::default();
    settings.with_interface(progenitor::InterfaceStyle::Builder);
    let generated =
        std::panic::catch_unwind(|| progenitor::Generator::new(&settings).generate_tokens(&spec));
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
