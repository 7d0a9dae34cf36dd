//! Reading a JSON response body into its generated type, for the generated `send()`s.
//!
//! progenitor's own `ResponseValue::from_response` keeps the whole body in its
//! `InvalidResponsePayload` error, whose `Display` prints it, and serde's message for data of the
//! wrong shape quotes the offending value: a rotation answer of an unexpected shape would show
//! its new secret in the error. This is the same function without either.

use progenitor_client::{Error, ResponseValue};
use serde::de::DeserializeOwned;

/// The body of `response` as a `T`; an error holds neither the body nor a value from it.
pub(crate) async fn json_response<T: DeserializeOwned, E>(
    response: reqwest::Response,
) -> Result<ResponseValue<T>, Error<E>> {
    let status = response.status();
    let headers = response.headers().clone();
    let full = response.bytes().await.map_err(Error::ResponseBodyError)?;
    match serde_json::from_slice(&full) {
        Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
        Err(error) => Err(Error::InvalidResponsePayload(
            Default::default(),
            crate::error::redacted_json_error(error),
        )),
    }
}
