use super::*;

fn schema_31(schema: Value) -> (Value, Diagnostics) {
    let mut doc = json!({"openapi": "3.1.0", "components": {"schemas": {"S": schema}}});
    let mut diags = Diagnostics::default();
    downgrade(&mut doc, &mut diags).unwrap();
    assert_eq!(doc["openapi"], TARGET_VERSION);
    (doc["components"]["schemas"]["S"].take(), diags)
}

#[test]
fn nullable_type_list_becomes_nullable() {
    let (s, _) = schema_31(json!({"type": ["string", "null"], "format": "uri"}));
    assert_eq!(
        s,
        json!({"type": "string", "format": "uri", "nullable": true})
    );
}

#[test]
fn several_types_become_any_of_with_their_keywords() {
    let (s, _) = schema_31(
        json!({"type": ["integer", "string", "null"], "format": "int64", "maxLength": 3}),
    );
    assert_eq!(
        s,
        json!({"nullable": true, "anyOf": [
            {"type": "integer", "format": "int64"},
            {"type": "string", "format": "int64", "maxLength": 3}
        ]})
    );
}

#[test]
fn const_becomes_single_enum() {
    let (s, _) = schema_31(json!({"type": "string", "const": "low_credit"}));
    assert_eq!(s, json!({"type": "string", "enum": ["low_credit"]}));
}

#[test]
fn schema_examples_become_example() {
    let (s, _) = schema_31(json!({"type": "integer", "examples": [42, 7]}));
    assert_eq!(s, json!({"type": "integer", "example": 42}));
}

#[test]
fn existing_example_wins_over_examples() {
    let (s, _) = schema_31(json!({"type": "integer", "example": 1, "examples": [42]}));
    assert_eq!(s, json!({"type": "integer", "example": 1}));
}

#[test]
fn numeric_exclusive_bounds_become_boolean_form() {
    let (s, _) =
        schema_31(json!({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1.5}));
    assert_eq!(
        s,
        json!({"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 1.5, "exclusiveMaximum": true})
    );
}

#[test]
fn nullable_keyword_of_30_keeps_working() {
    let (s, d) = schema_31(json!({"type": "string", "nullable": true}));
    assert_eq!(s, json!({"type": "string", "nullable": true}));
    assert!(d.warnings().is_empty());
}

#[test]
fn null_branch_of_any_of_becomes_nullable_all_of() {
    let (s, _) =
        schema_31(json!({"anyOf": [{"$ref": "#/components/schemas/T"}, {"type": "null"}]}));
    assert_eq!(
        s,
        json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/T"}]})
    );
}

#[test]
fn ref_with_nullable_sibling_is_wrapped() {
    let (s, _) = schema_31(json!({"$ref": "#/components/schemas/T", "nullable": true}));
    assert_eq!(
        s,
        json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/T"}]})
    );
    let (s, _) = schema_31(json!({"$ref": "#/components/schemas/T", "description": "d"}));
    assert_eq!(
        s,
        json!({"$ref": "#/components/schemas/T", "description": "d"})
    );
}

#[test]
fn unsupported_keywords_are_dropped_with_a_warning_naming_the_pointer() {
    let (s, d) = schema_31(
        json!({"type": "object", "properties": {"p": {"type": "string", "contentMediaType": "text/plain"}},
        "patternProperties": {"^x": {"type": "string"}}}),
    );
    assert_eq!(
        s,
        json!({"type": "object", "properties": {"p": {"type": "string"}}})
    );
    assert!(d.contains(
        "/components/schemas/S/properties/p/contentMediaType",
        "dropped"
    ));
    assert!(d.contains("/components/schemas/S/patternProperties", "dropped"));
}

#[test]
fn boolean_schemas_become_objects() {
    let (s, _) = schema_31(
        json!({"properties": {"any": true, "none": false}, "additionalProperties": false}),
    );
    assert_eq!(
        s,
        json!({"properties": {"any": {}, "none": {"not": {}}}, "additionalProperties": false})
    );
}

#[test]
fn root_31_members_are_dropped() {
    let mut doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1", "summary": "s",
        "license": {"name": "MIT", "identifier": "MIT"}}, "webhooks": {}});
    let mut diags = Diagnostics::default();
    downgrade(&mut doc, &mut diags).unwrap();
    assert_eq!(
        doc,
        json!({"openapi": TARGET_VERSION, "info": {"title": "t", "version": "1",
        "license": {"name": "MIT"}}, "paths": {}})
    );
    assert!(diags.contains("/webhooks", "dropped"));
}

#[test]
fn version_errors_name_the_pointer() {
    let mut diags = Diagnostics::default();
    let err = downgrade(&mut json!({"swagger": "2.0"}), &mut diags)
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("/swagger"), "{err}");
    let err = downgrade(&mut json!({"openapi": "4.0.0"}), &mut diags)
        .unwrap_err()
        .to_string();
    assert!(err.contains("4.0.0"), "{err}");
}

#[test]
fn documents_in_30_are_not_rewritten() {
    let mut doc = json!({"openapi": "3.0.1", "components": {"schemas": {"S": {"type": "string", "examples": "kept"}}}});
    downgrade(&mut doc, &mut Diagnostics::default()).unwrap();
    assert_eq!(doc["components"]["schemas"]["S"]["examples"], "kept");
}
