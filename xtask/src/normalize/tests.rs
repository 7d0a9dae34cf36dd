use super::*;
use serde_json::json;

/// The error normalising `doc` fails with, with its context.
fn error_of(doc: Value) -> String {
    format!(
        "{:#}",
        normalize(doc, &mut Diagnostics::default()).err().unwrap()
    )
}

#[test]
fn unresolvable_ref_names_its_pointer() {
    let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {
        "responses": {"200": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Nope"}}}}}}}}});
    let err = error_of(doc);
    assert!(
        err.contains("/paths/~1a/get/responses/200/content/application~1json/schema/$ref")
            && err.contains("Nope"),
        "{err}"
    );
}

#[test]
fn a_cycle_of_aliases_is_an_error_naming_its_pointers() {
    let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
        "components": {"schemas": {
            "Root": {"$ref": "#/components/schemas/B", "description": "the root"},
            "B": {"allOf": [{"$ref": "#/components/schemas/Root"}]},
            "Tree": {"type": "object", "properties": {"children": {"type": "array",
                "items": {"$ref": "#/components/schemas/Tree"}}}}}}});
    let err = error_of(doc);
    assert_eq!(
        err,
        "/components/schemas/Root: a cycle of $ref aliases defines no type: \
         /components/schemas/Root -> /components/schemas/B -> /components/schemas/Root"
    );
}

#[test]
fn a_recursive_type_is_not_an_alias_cycle() {
    let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
        "components": {"schemas": {
            "Tree": {"type": "object", "properties": {"children": {"type": "array",
                "items": {"$ref": "#/components/schemas/Tree"}}}},
            "Alias": {"$ref": "#/components/schemas/Tree"}}}});
    assert!(normalize(doc, &mut Diagnostics::default()).is_ok());
}

#[test]
fn invalid_list_entry_names_its_index() {
    let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {
        "parameters": [5], "responses": {}}}}});
    let err = error_of(doc);
    assert!(err.starts_with("/paths/~1a/get/parameters/0:"), "{err}");
}

#[test]
fn operation_that_is_not_an_object_is_an_error_not_a_panic() {
    let doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": 5}}});
    let err = error_of(doc);
    assert!(err.starts_with("/paths/~1a/get"), "{err}");
}

#[test]
fn invalid_structure_names_its_pointer() {
    let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {"responses": 5}}}});
    let err = error_of(doc);
    assert!(err.starts_with("/paths/~1a/get/responses:"), "{err}");
}

#[test]
fn the_last_step_runs_after_every_rule_and_before_the_one_parse() {
    let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {
        "get": {"parameters": [{"name": "s", "in": "cookie", "schema": {"type": "string"}}],
            "responses": {"204": {"description": ""}}}}}});
    let mut diags = Diagnostics::default();
    let normalized = normalize_then(doc, &mut diags, |doc, diags| {
        let item = doc["paths"]["/a"].take();
        doc["paths"] = json!({ "/a/": item });
        diags.warn("/paths", "slashed");
    })
    .unwrap();
    let warnings = diags.warnings();
    assert!(warnings.len() > 1 && warnings.last().unwrap().message == "slashed");
    assert!(normalized.openapi.paths.paths.contains_key("/a/"));
}

#[test]
fn a_path_item_that_is_not_an_object_ends_the_search_for_the_invalid_part() {
    let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
        "/a": 5, "/b": {"get": {"responses": 5}}}});
    let err = error_of(doc);
    assert!(!err.contains("/paths/~1b"), "{err}");
}
