//! Support for the generated calls (`generated_calls.rs`): every operation called with the
//! parameters and body of the spec's examples, its outcome as JSON.

use vast_api::progenitor_client::{self, ResponseValue};

/// What a call returned: the status, headers and body as JSON.
#[derive(Debug)]
pub struct Outcome {
    pub status: u16,
    pub headers: http::HeaderMap,
    /// The typed body serialised back to JSON (`null` for a body-less success).
    pub body: serde_json::Value,
}

/// The example value `json` as the type a builder setter takes.
///
/// # Panics
///
/// If the example does not fit that type: a spec (or corrections) problem the test names.
pub fn example<T: serde::de::DeserializeOwned>(operation: &str, param: &str, json: &str) -> T {
    serde_json::from_str(json).unwrap_or_else(|e| {
        panic!(
            "{operation}: the example for `{param}` does not fit {}: {e}",
            std::any::type_name::<T>()
        )
    })
}

/// A generated `send()`'s result as an [`Outcome`], or the SDK's [`vast_api::Error`].
pub async fn finish<T: serde::Serialize, E: serde::Serialize>(
    operation: &'static str,
    result: Result<ResponseValue<T>, progenitor_client::Error<E>>,
) -> Result<Outcome, vast_api::Error> {
    match result {
        Ok(response) => {
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let body = serde_json::to_value(response.into_inner())
                .expect("a typed body serialises to JSON");
            Ok(Outcome {
                status,
                headers,
                body,
            })
        }
        Err(error) => Err(vast_api::Error::from_progenitor(operation, error).await),
    }
}

/// [`finish`] for operations whose success body is raw bytes: the body as a JSON string.
pub async fn finish_bytes<E: serde::Serialize>(
    operation: &'static str,
    result: Result<ResponseValue<progenitor_client::ByteStream>, progenitor_client::Error<E>>,
) -> Result<Outcome, vast_api::Error> {
    use futures_util::TryStreamExt as _;
    match result {
        Ok(response) => {
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let bytes: Vec<u8> = response
                .into_inner()
                .into_inner()
                .map_ok(|chunk| chunk.to_vec())
                .try_concat()
                .await
                .expect("the body arrives");
            Ok(Outcome {
                status,
                headers,
                body: serde_json::Value::String(String::from_utf8_lossy(&bytes).into_owned()),
            })
        }
        Err(error) => Err(vast_api::Error::from_progenitor(operation, error).await),
    }
}
