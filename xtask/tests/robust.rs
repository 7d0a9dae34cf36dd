//! `cargo xtask codegen` on what other vendors' generated specs contain (issue 14): each
//! construct in a minimal spec of its own, through the binary as a user runs it. Each either
//! generates, with a warning naming its JSON pointer, or fails with one error line naming it.

mod common;

use std::path::Path;

use common::{CLIENT_FILE, path_str};
use serde_json::{Value, json};

/// A run, with the client it generated (empty when none).
struct Run {
    run: common::Run,
    client: String,
}

// Tests read `run.stderr` as for any run.
impl std::ops::Deref for Run {
    type Target = common::Run;

    fn deref(&self) -> &common::Run {
        &self.run
    }
}

fn codegen_file(spec: &Path, extra: &[&str]) -> Run {
    let out = tempfile::tempdir().unwrap();
    let args = ["--spec", path_str(spec), "--out-dir", path_str(out.path())];
    Run {
        run: common::codegen(&[&args[..], extra].concat()),
        client: std::fs::read_to_string(out.path().join(CLIENT_FILE)).unwrap_or_default(),
    }
}

/// A 3.0 spec with one operation (or `paths`) and these component schemas, as JSON.
fn spec(schemas: Value, paths: Option<Value>) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": paths.unwrap_or_else(|| json!({"/ping": {"get": {"operationId": "ping",
            "responses": {"204": {"description": "ok"}}}}})),
        "components": {"schemas": schemas}
    })
}

fn codegen(doc: &Value) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let json = serde_json::to_string_pretty(doc).unwrap();
    codegen_file(&common::write(dir.path(), "spec.json", &json), &[])
}

/// Generation succeeded and warned at `pointer` with `needle`.
fn assert_generates_warning(run: &Run, pointer: &str, needle: &str) {
    assert!(run.ok, "should generate: {}", run.stderr);
    assert!(
        run.stderr.lines().any(|l| l.starts_with("warning: ")
            && l.contains(&format!("#{pointer}: "))
            && l.contains(needle)),
        "no warning at {pointer} mentioning {needle:?}: {}",
        run.stderr
    );
}

/// Generation failed with exactly one error line, containing each needle.
fn assert_one_error(run: &Run, needles: &[&str]) -> String {
    let error = common::assert_one_error(run, needles);
    let continuation = run
        .stderr
        .lines()
        .skip_while(|l| !l.starts_with("error:"))
        .nth(1);
    assert_eq!(
        continuation, None,
        "the error goes on for more lines: {}",
        run.stderr
    );
    error.to_owned()
}

#[test]
fn json_with_escaped_surrogate_pairs_is_read_as_json() {
    let dir = tempfile::tempdir().unwrap();
    // Both by extension and, without one, by its first character.
    for name in ["spec.json", "spec"] {
        let path = common::write(
            dir.path(),
            name,
            r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1", "description": "Hello! \ud83d\udc4d"},
                "paths": {"/ping": {"get": {"operationId": "ping", "description": "Hello! \ud83d\udc4d",
                "responses": {"204": {"description": "ok"}}}}}}"#,
        );
        let run = codegen_file(&path, &[]);
        assert!(run.ok, "{name}: {}", run.stderr);
        assert!(
            run.client.contains("Hello! \u{1f44d}"),
            "{name}: the emoji is lost"
        );
    }
}

#[test]
fn integers_beyond_64_bits_are_read_as_floats() {
    let dir = tempfile::tempdir().unwrap();
    let path = common::write(
        dir.path(),
        "spec.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Big:\n      type: object\n      properties:\n        n:\n          type: integer\n          maximum: 99999999999999999999\n          minimum: -9223372036854775809\n",
    );
    let run = codegen_file(&path, &[]);
    run.assert_ok();
    assert!(run.client.contains("pub struct Big"), "{}", run.client);
}

#[test]
fn an_enum_beside_an_all_of_of_enums_keeps_its_own_values() {
    let run = codegen(&spec(
        json!({
            "Color": {"type": "string", "enum": ["red", "blue"]},
            "Paint": {"type": "object", "properties": {"c": {"type": "string", "enum": ["red"],
                "allOf": [{"$ref": "#/components/schemas/Color"}]}}}
        }),
        None,
    ));
    assert_generates_warning(
        &run,
        "/components/schemas/Paint/properties/c/allOf",
        "`allOf` of enums beside an `enum` dropped",
    );
}

#[test]
fn references_into_other_objects_are_hoisted_to_components() {
    let mut doc = spec(
        json!({
            "Tag": {"allOf": [{"type": "object", "properties": {"name": {"type": "string"}}},
                {"type": "object", "properties": {"id": {"type": "integer"}}}]},
            "Uses": {"type": "object", "properties": {
                "t": {"$ref": "#/components/schemas/Tag/allOf/0"},
                "e": {"$ref": "#/components/responses/NotFound/content/application~1json/schema"},
                "l": {"$ref": "#/components/parameters/Limit/schema"}}}
        }),
        None,
    );
    doc["components"]["responses"] = json!({"NotFound": {"description": "", "content": {
        "application/json": {"schema": {"type": "object", "properties": {"msg": {"type": "string"}}}}}}});
    doc["components"]["parameters"] = json!({"Limit": {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1}}});
    let run = codegen(&doc);
    for (pointer, component) in [
        ("/components/schemas/Tag/allOf/0", "TagAllOf0"),
        (
            "/components/responses/NotFound/content/application~1json/schema",
            "NotFoundResponse",
        ),
        ("/components/parameters/Limit/schema", "LimitParameter"),
    ] {
        assert_generates_warning(
            &run,
            pointer,
            &format!("hoisted to `#/components/schemas/{component}`"),
        );
    }
    assert!(
        run.client
            .contains("pub t: ::std::option::Option<TagAllOf0>"),
        "{}",
        run.client
    );
    assert!(
        run.client
            .contains("pub e: ::std::option::Option<NotFoundResponse>")
    );
}

#[test]
fn a_format_on_an_object_is_dropped() {
    let run = codegen(&spec(
        json!({"M": {"type": "object", "format": "uri-map", "additionalProperties": {"type": "string"}}}),
        None,
    ));
    assert_generates_warning(
        &run,
        "/components/schemas/M/format",
        "format `uri-map` on an object dropped",
    );
}

#[test]
fn defaults_typify_cannot_place_are_dropped() {
    let run = codegen(&spec(
        json!({
            "Mode": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
            "P": {"type": "object", "properties": {
                "n": {"type": "integer", "default": "20 - x"},
                "e": {"type": "string", "enum": ["a", "b"], "default": []},
                "m": {"anyOf": [{"type": "string"}, {"type": "string", "enum": ["auto", "x"]}], "default": "auto"},
                "r": {"allOf": [{"$ref": "#/components/schemas/Mode"}], "default": "auto"},
                "kept": {"type": "integer", "default": 20}
            }}
        }),
        None,
    ));
    let at = |p: &str| format!("/components/schemas/P/properties/{p}/default");
    assert_generates_warning(
        &run,
        &at("n"),
        "default `\"20 - x\"` does not conform to its schema",
    );
    assert_generates_warning(
        &run,
        &at("e"),
        "default `[]` does not conform to its schema",
    );
    assert_generates_warning(&run, &at("m"), "on a union (anyOf/oneOf) dropped");
    assert_generates_warning(&run, &at("r"), "on a union (anyOf/oneOf) dropped");
    assert!(!run.stderr.contains(&at("kept")), "{}", run.stderr);
    assert!(
        run.client.contains("Default: `\"auto\"`."),
        "the union default is not documented"
    );
}

#[test]
fn a_deep_object_query_parameter_becomes_a_map() {
    let run = codegen(&spec(
        json!({}),
        Some(
            json!({"/s": {"get": {"operationId": "s", "parameters": [{"name": "filter", "in": "query",
            "style": "deepObject", "explode": true,
            "schema": {"type": "object", "properties": {"a": {"type": "string"}}}}],
            "responses": {"204": {"description": "ok"}}}}}),
        ),
    ));
    assert_generates_warning(
        &run,
        "/paths/~1s/get/parameters/0/style",
        "keys the caller writes as `filter[property]`",
    );
    let compact: String = run.client.split_whitespace().collect();
    assert!(
        compact.contains("filter:Result<Option<::serde_json::Map<"),
        "{}",
        run.client
    );
}

#[test]
fn progenitor_extensions_needing_other_crates_are_removed() {
    let run = codegen(&spec(
        json!({}),
        Some(json!({
            "/items": {"get": {"operationId": "items", "x-dropshot-pagination": {"required": []},
                "parameters": [
                    {"name": "page_token", "in": "query", "schema": {"type": "string"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "format": "uint32", "minimum": 1}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["items"], "properties": {
                        "items": {"type": "array", "items": {"type": "string"}},
                        "next_page": {"type": "string", "nullable": true}}}}}}}}},
            "/ws": {"get": {"operationId": "ws", "x-dropshot-websocket": {},
                "responses": {"default": {"description": "", "content": {"*/*": {"schema": {}}}}}}}
        })),
    ));
    assert_generates_warning(
        &run,
        "/paths/~1items/get/x-dropshot-pagination",
        "one call per page",
    );
    assert_generates_warning(
        &run,
        "/paths/~1ws/get/x-dropshot-websocket",
        "WebSocket operation dropped",
    );
    assert!(run.client.contains("pub fn items(&self)"));
    for foreign in ["futures", "base64", "rand::", "fn ws(", "items_stream"] {
        assert!(!run.client.contains(foreign), "{foreign} in the client");
    }
}

/// typify has no `not`: a schema that still fails after normalisation.
fn broken() -> Value {
    json!({"type": "object", "properties": {"x": {"type": "string", "not": {"type": "string"}}}})
}

#[test]
fn a_failing_component_is_named_not_the_first_operation() {
    let run = codegen(&spec(
        json!({
            "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
            "B": broken(),
            "C": {"type": "string"}
        }),
        Some(
            json!({"/a": {"get": {"operationId": "get_a", "responses": {"200": {"description": "",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}}}}),
        ),
    ));
    let error = assert_one_error(
        &run,
        &[
            "component schema /components/schemas/B ",
            "while generating the client",
        ],
    );
    assert!(!error.contains("/paths/"), "{error}");
}

#[test]
fn a_failing_component_in_a_cycle_of_references_is_named() {
    // A -> B -> C -> A: every closure holds every schema, and fails.
    let link = |to: &str| json!({"type": "object", "properties": {"next": {"$ref": format!("#/components/schemas/{to}")}}});
    let mut b = link("C");
    b["properties"]["x"] = broken()["properties"]["x"].clone();
    let run = codegen(&spec(json!({"A": link("B"), "B": b, "C": link("A")}), None));
    assert_one_error(&run, &["component schema /components/schemas/B "]);
}

#[test]
fn a_failing_operation_is_named_by_method_and_path() {
    let run = codegen(&spec(
        json!({"Fine": {"type": "string"}}),
        Some(json!({
            "/ok": {"get": {"operationId": "ok", "responses": {"204": {"description": ""}}}},
            "/bad": {"post": {"operationId": "bad", "requestBody": {"required": true, "content": {
                "application/json": {"schema": broken()}}}, "responses": {"204": {"description": ""}}}}
        })),
    ));
    assert_one_error(&run, &["operation POST /bad (/paths/~1bad/post)"]);
}

#[test]
fn a_multi_line_panic_is_one_line() {
    // typify's `todo!()` for `not` prints the schema in multi-line `Debug` form.
    let run = codegen(&spec(
        json!({"M": {"type": "object", "format": "uri-map", "not": {"type": "object"}}}),
        None,
    ));
    assert_one_error(&run, &["/components/schemas/M"]);
}

#[test]
fn on_failure_warnings_are_printed_and_the_normalised_document_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let emitted = dir.path().join("normalized.json");
    let doc = spec(
        json!({
            "Tag": {"allOf": [{"type": "object", "properties": {"name": {"type": "string"}}}]},
            "Uses": {"type": "object", "properties": {"t": {"$ref": "#/components/schemas/Tag/allOf/0"}}},
            "B": broken()
        }),
        None,
    );
    let spec_path = common::write(dir.path(), "spec.json", &doc.to_string());
    let run = codegen_file(
        &spec_path,
        &["--emit-normalized", emitted.to_str().unwrap()],
    );
    assert_one_error(&run, &["/components/schemas/B"]);
    assert!(
        run.stderr
            .contains("#/components/schemas/Tag/allOf/0: referenced from inside"),
        "{}",
        run.stderr
    );
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&emitted).unwrap()).unwrap();
    assert_eq!(
        written["components"]["schemas"]["Uses"]["properties"]["t"],
        json!({"$ref": "#/components/schemas/TagAllOf0"})
    );
}
