//! Every operation of the vendored spec and of its additions has its generated test and its
//! generated call, so coverage cannot silently drop when the spec or the generator changes.

use std::path::Path;

use xtask::codegen::{self, CALLS_FILE, OPERATION_TESTS_FILE};
use xtask::diagnostics::Diagnostics;

const SPEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.yaml");
const ADDITIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/additions.yaml");

#[test]
fn every_operation_of_the_vendored_spec_and_its_additions_has_a_generated_test_and_call() {
    let outputs = codegen::generate_all(
        Path::new(SPEC),
        "openapi/openapi.yaml",
        &mut Diagnostics::default(),
    )
    .expect("the vendored spec generates");
    let file = |path: &str| {
        outputs
            .iter()
            .find(|o| o.path == Path::new(path))
            .map(|o| o.contents.as_str())
            .unwrap_or_else(|| panic!("{path} was not generated"))
    };
    let tests = file(OPERATION_TESTS_FILE);
    let calls = file(CALLS_FILE);

    // The operations, read from the spec itself rather than from what was generated.
    let spec: serde_json::Value =
        serde_norway::from_str(&std::fs::read_to_string(SPEC).unwrap()).unwrap();
    let mut ids = Vec::new();
    for item in spec["paths"].as_object().unwrap().values() {
        for (method, op) in item.as_object().unwrap() {
            if ["get", "put", "post", "delete", "patch", "head"].contains(&method.as_str()) {
                let id = op["operationId"]
                    .as_str()
                    .expect("every operation has an id");
                ids.push(heck::ToSnakeCase::to_snake_case(id));
            }
        }
    }
    assert_eq!(ids.len(), 100, "the vendored spec has 100 operations");
    let additions = xtask::additions::load(Path::new(ADDITIONS)).expect("the additions file");
    for addition in &additions.additions {
        let id = addition.operation["operationId"]
            .as_str()
            .expect("every addition has an id");
        ids.push(heck::ToSnakeCase::to_snake_case(id));
    }
    let missing: Vec<_> = ids
        .iter()
        .filter(|id| {
            !tests.contains(&format!("async fn {id}() {{"))
                || !calls.contains(&format!("\"{id}\" => "))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "operations without a generated test or call: {missing:?}"
    );
    assert_eq!(tests.matches("#[tokio::test]").count(), ids.len());
}
