//! Over the vendored spec: every property whose name says secret, key, token or password is a
//! `vast_api::Secret` or is listed, with its reason, as not a secret; every place the generator
//! marks by pointer still exists.

use std::path::PathBuf;

use serde_json::Value;
use xtask::codegen::{self, Input};
use xtask::decisions::Decisions;
use xtask::diagnostics::Diagnostics;
use xtask::normalize::secrets::{NOT_SECRETS, SECRET_PLACES, SECRET_TYPE_PATH, looks_sensitive};

fn normalized_vendored_spec() -> Value {
    let spec = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../openapi/openapi.yaml"
    ));
    let input = Input::beside(&spec, "openapi/openapi.yaml");
    codegen::prepare(
        &input,
        &mut Diagnostics::default(),
        &mut Decisions::default(),
    )
    .expect("the vendored spec prepares")
    .normalized
    .json
}

fn is_secret(schema: &Value) -> bool {
    schema["x-rust-type"]["path"] == SECRET_TYPE_PATH
}

/// Every (pointer, property name, schema) of an object schema's `properties`.
fn properties<'a>(value: &'a Value, at: &str, out: &mut Vec<(String, &'a str, &'a Value)>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(props)) = map.get("properties") {
                for (name, schema) in props {
                    out.push((format!("{at}/properties/{name}"), name, schema));
                }
            }
            for (key, child) in map {
                if key != "example" && key != "examples" {
                    properties(child, &format!("{at}/{key}"), out);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                properties(item, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_sensitive_looking_field_is_a_secret_or_explained() {
    let spec = normalized_vendored_spec();
    let mut found = Vec::new();
    properties(&spec, "", &mut found);
    let unexplained: Vec<_> = found
        .iter()
        .filter(|(_, name, schema)| {
            looks_sensitive(name)
                && !is_secret(schema)
                && !NOT_SECRETS.iter().any(|(allowed, _)| allowed == name)
        })
        .map(|(at, _, _)| at.clone())
        .collect();
    assert!(
        unexplained.is_empty(),
        "fields that look secret but are neither `Secret` nor in NOT_SECRETS: {unexplained:#?}"
    );
    let secrets: Vec<_> = found
        .iter()
        .filter(|(_, _, schema)| is_secret(schema))
        .map(|(_, name, _)| *name)
        .collect();
    for expected in [
        "webhook_secret",
        "password",
        "api_key",
        "jupyter_token",
        "key",
        "value",
    ] {
        assert!(
            secrets.contains(&expected),
            "{expected} is not a Secret anywhere: {secrets:?}"
        );
    }
}

#[test]
fn every_secret_place_still_exists_and_is_marked() {
    let spec = normalized_vendored_spec();
    for (place, what) in SECRET_PLACES {
        // The trailing-slash rule runs after the secrets rule: the place as the output has it.
        let slashed = place
            .replace("/post/", "~1/post/")
            .replace("/get/", "~1/get/")
            .replace("/put/", "~1/put/");
        let schema = spec
            .pointer(&slashed)
            .unwrap_or_else(|| panic!("{what}: {place} is gone from the spec"));
        assert!(is_secret(schema), "{what} ({place}) is not a Secret");
    }
}
