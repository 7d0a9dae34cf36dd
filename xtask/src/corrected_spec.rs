//! `openapi.corrected.json`: the spec as published with its corrections applied, which the
//! Prism test serves.

use anyhow::Result;

use crate::outputs::Output;

pub const CORRECTED_SPEC_FILE: &str = "vast-api-tests/spec/openapi.corrected.json";

pub fn output(corrected: serde_json::Value, spec_label: &str) -> Result<Output> {
    Ok(Output {
        path: CORRECTED_SPEC_FILE.into(),
        // JSON has no comments: the note is the file's own description.
        contents: serde_json::to_string_pretty(&with_generated_note(corrected, spec_label))? + "\n",
    })
}

/// The corrected spec with an `x-generated` note saying where it comes from.
fn with_generated_note(mut doc: serde_json::Value, spec_label: &str) -> serde_json::Value {
    if let Some(map) = doc.as_object_mut() {
        map.insert(
            "x-generated".to_owned(),
            serde_json::Value::String(format!(
                "by `cargo xtask codegen` from {spec_label} and its corrections file; do not edit"
            )),
        );
    }
    doc
}
