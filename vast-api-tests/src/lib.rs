//! Test support for vast-api: typed httpmock helpers and fixtures, both generated from the spec,
//! a bare loopback HTTP server for responses httpmock cannot produce, the client set-up the
//! hand-written tests share, and a capture of what the SDK logs.

pub mod calls;
pub mod checks;
pub mod generated_calls;
pub mod generated_fixtures;
#[allow(clippy::all, unused_imports, dead_code)]
mod generated_mocks;
mod generated_schemas;
pub mod log_capture;
pub mod raw_server;
pub mod support;

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
    /// Whether the body was composed from the schema's property examples because the spec
    /// gives no example of the whole body.
    pub composed: bool,
}

impl Fixture {
    /// The body parsed into its generated type.
    ///
    /// # Panics
    ///
    /// If it does not parse: the fixture round-trip test reports that case with its reason.
    pub fn typed<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_str(self.body).unwrap_or_else(|e| {
            panic!(
                "{} {}: the fixture does not parse into {}: {e}",
                self.operation_id,
                self.status,
                std::any::type_name::<T>()
            )
        })
    }

    /// The body as a JSON value.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(self.body).expect("fixtures are JSON")
    }
}

/// Parses `json` into `T` and serialises it back, to compare with the input.
pub fn round_trip<T>(json: &str) -> Result<serde_json::Value, serde_json::Error>
where
    T: serde::de::DeserializeOwned + serde::Serialize,
{
    let typed: T = serde_json::from_str(json)?;
    serde_json::to_value(&typed)
}
