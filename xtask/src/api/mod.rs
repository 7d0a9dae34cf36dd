//! The API the crate publishes, as a user of it sees it: each operation (keyed by HTTP method and
//! path, trailing slash removed) with its method name, parameters, request, response and error;
//! each component schema with its type name and fields; every generated type's shape; and the
//! deprecated aliases kept for renamed names.
//!
//! Written to `openapi/api.json` by `cargo xtask codegen` (generated, drift-checked, sorted), it
//! is the previous API the next regeneration compares with (`api_diff`). This module holds the
//! record's types and its file; its submodules build it from a generation.

mod build;
mod describe;
mod rust_index;
mod spec_info;

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

pub use build::build;
pub use rust_index::compact;
pub use spec_info::{SpecInfo, sha256_prefix, today};

/// Where the record lives, relative to the workspace root.
pub const API_FILE: &str = "openapi/api.json";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Api {
    pub spec: SpecInfo,
    /// By `"METHOD /path"` (the path without its trailing slash).
    pub operations: BTreeMap<String, Operation>,
    /// Component schemas, by their name in the spec.
    pub schemas: BTreeMap<String, Schema>,
    /// Every type of `vast_api::types`, by name: its shape (fields or variants with their Rust types).
    pub types: BTreeMap<String, String>,
    #[serde(default)]
    pub aliases: Aliases,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operation {
    /// The method on `Client`.
    pub method: String,
    /// Its builder, `builder::<name>`.
    pub builder: String,
    /// By name: `{in, required, type}`.
    pub parameters: BTreeMap<String, Parameter>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<Body>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<Body>,
    /// The `Error<E>` of `send()` (`()` when no error body is documented).
    pub error: String,
    /// The documented error bodies' schemas.
    #[serde(skip_serializing_if = "BTreeSet::is_empty", default)]
    pub error_schemas: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parameter {
    #[serde(rename = "in")]
    pub location: String,
    pub required: bool,
    /// The schema, as `describe` writes it (`integer`, `string | null`, `array<string>`, `Name`).
    #[serde(rename = "type")]
    pub ty: String,
}

/// A request or success body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Body {
    /// Its Rust type (`types::ShowInstanceResponse`, `ByteStream`).
    pub rust: String,
    /// The schema, described.
    pub schema: String,
    /// Its fields when the schema is an inline object (a component's are under `schemas`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub fields: BTreeMap<String, Field>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    /// The generated type's name.
    pub rust: String,
    /// The schema described (its fields too, for an object).
    pub shape: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub fields: BTreeMap<String, Field>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    #[serde(rename = "type")]
    pub ty: String,
    pub required: bool,
}

/// Old names kept, deprecated, for names a spec changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Aliases {
    /// Old method name -> the alias.
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub methods: BTreeMap<String, Alias>,
    /// Old type name (in `types`) -> the alias.
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub types: BTreeMap<String, Alias>,
}

impl Aliases {
    pub fn is_empty(&self) -> bool {
        self.methods.is_empty() && self.types.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alias {
    /// The current name it stands for.
    pub to: String,
    /// The spec that renamed it (`SpecInfo::label`).
    pub since: String,
    /// For a method: the old name of its builder, kept as a type alias too when free.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub builder: Option<String>,
}

/// Reads a committed record; `Ok(None)` when there is none.
pub fn load(path: &std::path::Path) -> Result<Option<Api>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let de = &mut serde_json::Deserializer::from_str(&text);
    let api = serde_path_to_error::deserialize(de)
        .with_context(|| format!("{}: not an API record", path.display()))?;
    Ok(Some(api))
}

/// The record's text: pretty JSON, keys sorted (every map is a `BTreeMap`), newline-terminated.
pub fn to_json(api: &Api) -> Result<String> {
    Ok(serde_json::to_string_pretty(api)? + "\n")
}

/// `"POST /api/v0/x/{id}"`: the key of an operation, its path's trailing slash removed.
pub fn operation_key(method: &str, path: &str) -> String {
    let trimmed = path.trim_end_matches('/');
    let path = if trimmed.is_empty() { "/" } else { trimmed };
    format!("{} {path}", method.to_uppercase())
}

/// An operation key with its path parameters' names left out (`"PUT /api/v0/asks/{}"`): two
/// spellings of a request that the API cannot tell apart give the same one.
pub fn request_key(operation_key: &str) -> String {
    let mut out = String::with_capacity(operation_key.len());
    let mut in_param = false;
    for c in operation_key.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_keys_leave_out_parameter_names() {
        assert_eq!(
            request_key(&operation_key("put", "/api/v0/asks/{id}/")),
            request_key(&operation_key("PUT", "/api/v0/asks/{ask_id}"))
        );
        assert_eq!(request_key("GET /a/{x}/b"), "GET /a/{}/b");
    }

    #[test]
    fn keys_drop_the_trailing_slash() {
        assert_eq!(
            operation_key("post", "/api/v0/webhooks/{id}/rotate-secret/"),
            "POST /api/v0/webhooks/{id}/rotate-secret"
        );
        assert_eq!(operation_key("get", "/"), "GET /");
    }
}
