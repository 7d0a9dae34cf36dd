//! Test support for vast-api: typed httpmock helpers and fixtures, both generated from the spec,
//! and a bare loopback HTTP server for responses httpmock cannot produce.

pub mod generated_fixtures;
#[allow(clippy::all, unused_imports, dead_code)]
mod generated_mocks;
mod generated_schemas;
pub mod raw_server;

pub use generated_fixtures::{FIXTURES, typed_round_trips};
pub use generated_mocks::{MockServerExt, operations};
pub use generated_schemas::{
    COMPONENTS_WITHOUT_TYPE, SPEC_COMPONENT_SCHEMAS, generated_component_schemas,
};

/// One documented response body taken from the spec's examples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fixture {
    /// The method name of the operation (its normalised operationId).
    pub operation_id: &'static str,
    /// The documented status key: `200`, `4XX` or `default`.
    pub status: &'static str,
    /// The body, as JSON text.
    pub body: &'static str,
}

/// Parses `json` into `T` and serialises it back, to compare with the input.
pub fn round_trip<T>(json: &str) -> Result<serde_json::Value, serde_json::Error>
where
    T: serde::de::DeserializeOwned + serde::Serialize,
{
    let typed: T = serde_json::from_str(json)?;
    serde_json::to_value(&typed)
}
