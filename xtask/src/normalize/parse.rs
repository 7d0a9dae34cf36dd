//! Parses the normalised document as OpenAPI 3.0; a failure names the JSON pointer of the
//! invalid part.

use anyhow::{Result, anyhow};
use serde_json::Value;

use super::operations::operations;
use crate::pointer;

/// The document as openapiv3 reads it (what progenitor generates from).
pub fn parse_openapi(doc: &Value) -> Result<openapiv3::OpenAPI> {
    serde_path_to_error::deserialize(doc).map_err(|e| {
        // openapiv3's maps hide positions below them from serde; parsing each operation and
        // component alone finds the exact place.
        let (at, message) = locate_invalid_part(doc).unwrap_or_else(|| {
            (
                serde_path_pointer("", &e.path().to_string()),
                e.inner().to_string(),
            )
        });
        anyhow!("{at}: not a valid OpenAPI 3.0 document: {message}")
    })
}

fn locate_invalid_part(doc: &Value) -> Option<(String, String)> {
    fn check<T: serde::de::DeserializeOwned>(value: &Value, at: &str) -> Option<(String, String)> {
        let err = serde_path_to_error::deserialize::<_, T>(value).err()?;
        Some((
            serde_path_pointer(at, &err.path().to_string()),
            err.inner().to_string(),
        ))
    }
    let paths = doc.get("paths")?.as_object()?;
    // The search stops at a path item that is not an object: the whole document's error names it.
    let searched: Vec<&str> = paths
        .iter()
        .map_while(|(path, item)| item.is_object().then_some(path.as_str()))
        .collect();
    for op in operations(doc).take_while(|op| searched.contains(&op.path)) {
        let at = op.pointer();
        if let Some(found) = check::<openapiv3::Operation>(op.operation, &at) {
            return Some(found);
        }
    }
    if searched.len() < paths.len() {
        return None;
    }
    let schemas = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)?;
    schemas.iter().find_map(|(name, schema)| {
        check::<openapiv3::ReferenceOr<openapiv3::Schema>>(
            schema,
            &pointer::push("/components/schemas", name),
        )
    })
}

/// Appends serde_path_to_error's dotted path (`responses.200`) to a JSON pointer.
fn serde_path_pointer(base: &str, path: &str) -> String {
    if path == "." {
        return if base.is_empty() {
            "/".to_owned()
        } else {
            base.to_owned()
        };
    }
    // List positions follow their field without a dot: `parameters[0]`.
    path.split('.')
        .flat_map(|token| token.split('['))
        .filter(|token| !token.is_empty())
        .fold(base.to_owned(), |acc, token| {
            pointer::push(&acc, token.trim_end_matches(']'))
        })
}
