use super::*;

fn run(responses: Value, schemas: Value) -> (Value, Diagnostics) {
    let mut doc = json!({"paths": {"/a": {"get": {"operationId": "get_a", "responses": responses}}},
        "components": {"schemas": schemas}});
    let mut diags = Diagnostics::default();
    unify(&mut doc, &mut diags).unwrap();
    (doc, diags)
}

fn json_body(schema: Value) -> Value {
    json!({"description": "", "content": {"application/json": {"schema": schema}}})
}

#[test]
fn differing_error_bodies_merge_without_losing_fields() {
    let (doc, d) = run(
        json!({"200": json_body(json!({"type": "string"})),
               "400": json_body(json!({"$ref": "#/components/schemas/Error"})),
               "422": json_body(json!({"type": "object", "required": ["msg", "fields"],
                      "properties": {"msg": {"type": "string"}, "fields": {"type": "array", "items": {"type": "string"}}}}))}),
        json!({"Error": {"type": "object", "required": ["msg"], "properties": {"msg": {"type": "string"}, "error": {"type": "string"}}}}),
    );
    let merged = &doc["components"]["schemas"]["GetAError"];
    let props: Vec<_> = merged["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(props, ["msg", "error", "fields"]);
    assert_eq!(merged["required"], json!(["msg"]));
    let responses = &doc["paths"]["/a"]["get"]["responses"];
    for code in ["400", "422"] {
        assert_eq!(
            responses[code]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/GetAError"
        );
    }
    assert_eq!(
        responses["200"]["content"]["application/json"]["schema"],
        json!({"type": "string"})
    );
    assert!(d.contains("/paths/~1a/get/responses", "merged into `GetAError`"));
}

#[test]
fn conflicting_property_types_become_any_value() {
    let (doc, _) = run(
        json!({"400": json_body(json!({"properties": {"code": {"type": "string"}}})),
               "500": json_body(json!({"properties": {"code": {"type": "integer"}}}))}),
        json!({}),
    );
    let code = &doc["components"]["schemas"]["GetAError"]["properties"]["code"];
    assert!(code.get("type").is_none(), "{code}");
}

#[test]
fn non_object_error_bodies_merge_to_any_value() {
    let (doc, _) = run(
        json!({"400": json_body(json!({"type": "array", "items": {}})), "500": json_body(json!({"type": "string"}))}),
        json!({}),
    );
    let merged = &doc["components"]["schemas"]["GetAError"];
    assert!(
        merged.get("type").is_none() && merged.get("properties").is_none(),
        "{merged}"
    );
}

#[test]
fn bodiless_error_beside_json_errors_is_dropped_with_a_warning() {
    let (doc, d) = run(
        json!({"401": json_body(json!({"type": "object", "properties": {"a": {"type": "string"}}})),
               "404": json_body(json!({"type": "object", "properties": {"b": {"type": "string"}}})),
               "409": {"description": "no body"}}),
        json!({}),
    );
    assert!(doc["paths"]["/a"]["get"]["responses"].get("409").is_none());
    assert!(d.contains("/paths/~1a/get/responses/409", "dropped"));
}

#[test]
fn one_json_error_beside_a_text_error_keeps_its_type() {
    let (doc, d) = run(
        json!({"200": json_body(json!({"type": "string"})),
               "401": json_body(json!({"$ref": "#/components/schemas/Error"})),
               "429": {"description": "", "content": {"text/plain": {"schema": {"type": "string"}}}}}),
        json!({"Error": {"type": "object"}}),
    );
    let responses = &doc["paths"]["/a"]["get"]["responses"];
    assert!(responses.get("429").is_none());
    assert_eq!(
        responses["401"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Error"
    );
    assert!(doc["components"]["schemas"].get("GetAError").is_none());
    assert!(d.contains("/paths/~1a/get/responses/429", "dropped"));
    assert!(!d.contains("/paths/~1a/get/responses", "merged"));
}

#[test]
fn text_only_errors_are_dropped_but_text_success_stays() {
    let text =
        json!({"description": "", "content": {"text/plain": {"schema": {"type": "string"}}}});
    let (doc, d) = run(
        json!({"200": text.clone(), "413": text.clone(), "5XX": text, "404": {"description": "gone"}}),
        json!({}),
    );
    let responses = doc["paths"]["/a"]["get"]["responses"].as_object().unwrap();
    assert_eq!(responses.keys().collect::<Vec<_>>(), ["200", "404"]);
    assert!(d.contains("/paths/~1a/get/responses/413", "unexpected response"));
    assert!(d.contains("/paths/~1a/get/responses/5XX", "unexpected response"));
}

#[test]
fn codes_a_range_shadows_are_folded_into_it_after_merging() {
    let (doc, d) = run(
        json!({"200": json_body(json!({"type": "string"})),
               "400": json_body(json!({"type": "object", "properties": {"fields": {"type": "object"}}})),
               "401": json_body(json!({"$ref": "#/components/schemas/Error"})),
               "420": json_body(json!({"$ref": "#/components/schemas/Error"})),
               "503": json_body(json!({"$ref": "#/components/schemas/Error"}))}),
        json!({"Error": {"type": "object", "properties": {"msg": {"type": "string"}}}}),
    );
    let responses = doc["paths"]["/a"]["get"]["responses"].as_object().unwrap();
    assert_eq!(responses.keys().collect::<Vec<_>>(), ["200", "503", "4XX"]);
    let merged = &doc["components"]["schemas"]["GetAError"]["properties"];
    assert!(merged.get("fields").is_some() && merged.get("msg").is_some());
    assert!(d.contains("/paths/~1a/get/responses/401", "folded into `4XX`"));
}

#[test]
fn progenitor_output_for_folded_responses_has_no_unreachable_arm() {
    let mut doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {
        "operationId": "get_a", "responses": {
            "200": json_body(json!({"type": "string"})),
            "401": json_body(json!({"type": "object"})),
            "4XX": json_body(json!({"type": "object"}))}}}}});
    unify(&mut doc, &mut Diagnostics::default()).unwrap();
    doc["openapi"] = json!("3.0.3");
    let code = crate::normalize::progenitor_output(doc);
    assert!(code.contains("400u16 ..= 499u16"), "{code}");
    assert!(!code.contains("401u16"), "{code}");
}

#[test]
fn identical_error_bodies_are_left_alone() {
    let (doc, d) = run(
        json!({"401": json_body(json!({"$ref": "#/components/schemas/Error"})), "404": json_body(json!({"$ref": "#/components/schemas/Error"}))}),
        json!({"Error": {"type": "object"}}),
    );
    assert!(doc["components"]["schemas"].get("GetAError").is_none());
    assert!(d.warnings().is_empty());
}

#[test]
fn default_beside_success_becomes_error_ranges() {
    let (doc, d) = run(
        json!({"200": json_body(json!({"type": "string"})), "default": json_body(json!({"$ref": "#/components/schemas/Error"}))}),
        json!({"Error": {"type": "object"}}),
    );
    let responses = &doc["paths"]["/a"]["get"]["responses"];
    assert!(responses.get("default").is_none());
    assert_eq!(
        responses["4XX"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Error"
    );
    assert_eq!(
        responses["5XX"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Error"
    );
    assert!(d.contains("/paths/~1a/get/responses/default", "4XX"));
}

#[test]
fn mixed_success_kinds_become_raw_bytes() {
    let (doc, _) = run(
        json!({"200": json_body(json!({"type": "object"})), "204": {"description": "none"}}),
        json!({}),
    );
    let responses = &doc["paths"]["/a"]["get"]["responses"];
    for code in ["200", "204"] {
        assert!(
            responses[code]["content"]
                .get("application/octet-stream")
                .is_some()
        );
    }
}

#[test]
fn non_standard_codes_become_ranges() {
    let (doc, d) = run(
        json!({"420": json_body(json!({})), "4xx": json_body(json!({}))}),
        json!({}),
    );
    let responses = doc["paths"]["/a"]["get"]["responses"].as_object().unwrap();
    assert_eq!(responses.keys().collect::<Vec<_>>(), ["4XX"]);
    assert!(d.contains("/paths/~1a/get/responses/420", "documented as `4XX`"));
    assert!(d.contains("/paths/~1a/get/responses/4xx", "dropped"));
}

#[test]
fn an_inline_error_body_gets_a_name_of_its_own() {
    let (doc, _) = run(
        json!({"200": json_body(json!({"type": "object", "properties": {"ok": {"type": "boolean"}}})),
               "400": json_body(json!({"type": "object", "properties": {"error": {"type": "string"}}})),
               "401": {"description": ""}}),
        json!({}),
    );
    assert_eq!(
        doc["paths"]["/a"]["get"]["responses"]["400"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/GetAError"})
    );
    assert_eq!(
        doc["components"]["schemas"]["GetAError"]["properties"]["error"],
        json!({"type": "string"})
    );
}

#[test]
fn referenced_responses_are_resolved() {
    let mut doc = json!({"paths": {"/a": {"get": {"operationId": "get_a", "responses": {
            "401": {"$ref": "#/components/responses/Unauthorized"},
            "404": json_body(json!({"type": "object", "properties": {"detail": {"type": "string"}}}))}}}},
        "components": {"responses": {"Unauthorized": json_body(json!({"type": "object", "properties": {"msg": {"type": "string"}}}))}}});
    unify(&mut doc, &mut Diagnostics::default()).unwrap();
    let merged = &doc["components"]["schemas"]["GetAError"]["properties"];
    assert!(
        merged.get("msg").is_some() && merged.get("detail").is_some(),
        "{merged}"
    );
}
