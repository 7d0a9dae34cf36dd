//! The error of an API call: which operation failed, the HTTP status and the server's message.

use std::fmt;

use reqwest::StatusCode;
use serde::Serialize;

use crate::body_limit::ResponseTooLarge;
use crate::outcome;
use crate::payload::redacted_json_error;
use crate::retry::{self, RetryReason};

pub(crate) mod causes;
mod message;

use causes::{connection_dropped, find_cause, tls_failure};
use message::{message_in_body, message_in_json, read_limited, redirect_target};

/// Any error, as error sources and `http_body` bodies carry them.
pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The broad class of an [`Error`], for deciding what to do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The request, or reading its response, took longer than the configured timeout.
    Timeout,
    /// No connection to the server could be made, or it broke before the response arrived.
    Connect,
    /// The TLS handshake failed, most often because the server's certificate did not verify
    /// (unknown issuer, expired, issued for another host). Nothing was sent, the API key
    /// included; it is not retried.
    Tls,
    /// A write (any request but `GET` or `HEAD`) failed after it may have reached the API: it
    /// timed out, the connection broke after it was sent, or a gateway answered with one of
    /// [`GATEWAY_STATUSES`](crate::retry::GATEWAY_STATUSES).
    /// It may or may not have taken effect, and was not sent again (see
    /// [`retry`](crate::retry)); check its effect before repeating it.
    OutcomeUnknown,
    /// The server answered with an error status the API documents, such as 401 or 404.
    ErrorResponse,
    /// The server answered with a status the API does not document for this operation, such
    /// as a plain-text 429, an HTML 502 from a proxy, or a redirect (which the client does not
    /// follow; the error's `Display` names where it pointed).
    UnexpectedResponse,
    /// The response body was not the JSON the API documents (malformed, empty or of the wrong
    /// shape).
    InvalidResponse,
    /// The response body was larger than the client's limit
    /// ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes)) and
    /// was not read in full.
    ResponseTooLarge,
    /// The request could not be built, for example because a required parameter is missing.
    InvalidRequest,
    /// Any other failure; see [`source`](std::error::Error::source).
    Other,
}

/// A failed API call.
///
/// Its `Display` names the operation, the HTTP status and the server's message, for example
/// `rotate_notification_webhook_secret failed: HTTP 404 Not Found: no such webhook`. The
/// underlying reqwest or serde error, if any, is its [`source`](std::error::Error::source).
/// Neither ever contains the API key, which only travels in a request header, nor a response
/// body that failed to parse, nor a URL's credentials or query.
///
/// ```
/// use vast_api::{Error, ErrorKind};
///
/// fn advice(error: &Error) -> &str {
///     match (error.kind(), error.status().map(|s| s.as_u16())) {
///         (ErrorKind::Timeout | ErrorKind::Connect, _) => "try again later",
///         (ErrorKind::OutcomeUnknown, _) => "check whether it happened before repeating it",
///         (_, Some(401)) => "check your API key",
///         _ => error.message().unwrap_or("no message from the server"),
///     }
/// }
/// ```
#[derive(Debug, thiserror::Error)]
pub struct Error {
    operation: &'static str,
    kind: ErrorKind,
    status: Option<StatusCode>,
    message: Option<String>,
    /// What went wrong, when neither a status nor an underlying error says it.
    detail: Option<String>,
    #[source]
    source: Option<BoxError>,
}

impl Error {
    /// Converts the error of a generated `send()` into an [`Error`] of `operation`.
    ///
    /// Async because the body of an undocumented response has to be read to find the server's
    /// message; at most 64 KiB of it is read.
    #[doc(hidden)]
    pub async fn from_progenitor<E: Serialize>(
        operation: &'static str,
        error: progenitor_client::Error<E>,
    ) -> Self {
        use progenitor_client::Error as P;
        let error = match error {
            P::ErrorResponse(response) => {
                let status = response.status();
                let message = serde_json::to_value(response.into_inner())
                    .ok()
                    .and_then(|body| message_in_json(&body));
                Self::new(ErrorKind::ErrorResponse)
                    .with_status(status)
                    .with_message(message)
                    .unknown_if(operation, retry::classify_status(status))
            }
            P::UnexpectedResponse(response) => {
                let status = response.status();
                let redirect = redirect_target(&response);
                let message = message_in_body(&read_limited(response).await);
                let error = Self::new(ErrorKind::UnexpectedResponse)
                    .with_status(status)
                    .with_message(message);
                match redirect {
                    Some(target) => error.with_detail(format!(
                        "redirected to {target}, which is not followed (check the base URL)"
                    )),
                    None => error.unknown_if(operation, retry::classify_status(status)),
                }
            }
            P::CommunicationError(e) => {
                let reason = retry::transport_failure(&e);
                Self::from_reqwest(e).unknown_if(operation, reason)
            }
            P::ResponseBodyError(e) | P::InvalidUpgrade(e) => Self::from_reqwest(e),
            // Not the body, which may hold a secret, nor serde's message as it is, which may
            // quote a value from it.
            P::InvalidResponsePayload(_, e) => {
                Self::new(ErrorKind::InvalidResponse).with_source(redacted_json_error(e))
            }
            P::InvalidRequest(detail) => Self::new(ErrorKind::InvalidRequest).with_detail(detail),
            P::Custom(detail) => Self::new(ErrorKind::Other).with_detail(detail),
        };
        Self { operation, ..error }
    }

    fn from_reqwest(error: reqwest::Error) -> Self {
        if let Some(too_large) = find_cause::<ResponseTooLarge>(&error) {
            let detail = too_large.to_string();
            return Self::new(ErrorKind::ResponseTooLarge)
                .with_status(too_large.status)
                .with_detail(detail)
                .with_source(error);
        }
        if let Some(tls) = tls_failure(&error) {
            let detail = format!("TLS handshake failed: {tls}");
            return Self::new(ErrorKind::Tls)
                .with_detail(detail)
                .with_source(error);
        }
        let kind = match retry::transport_failure(&error) {
            Some(RetryReason::Timeout) => ErrorKind::Timeout,
            Some(_) => ErrorKind::Connect,
            // A body cut short by the connection closing or breaking.
            None if connection_dropped(&error) => ErrorKind::Connect,
            None if error.is_builder() => ErrorKind::InvalidRequest,
            None if error.is_decode() => ErrorKind::InvalidResponse,
            None => ErrorKind::Other,
        };
        let status = error.status();
        Self {
            status,
            ..Self::new(kind).with_source(error)
        }
    }

    /// This error, as [`ErrorKind::OutcomeUnknown`] if `reason` says the request may have
    /// reached the API and `operation` is a write.
    fn unknown_if(self, operation: &str, reason: Option<RetryReason>) -> Self {
        let Some(reason) = reason.filter(|reason| !reason.took_no_effect()) else {
            return self;
        };
        if !outcome::is_write(operation) {
            return self;
        }
        let how = reason
            .after_sending()
            .map_or_else(String::new, |how| format!("{how}; "));
        let detail = format!(
            "{how}the outcome is unknown: the write may or may not have happened, so check \
             before repeating it"
        );
        Self {
            kind: ErrorKind::OutcomeUnknown,
            ..self.with_detail(detail)
        }
    }

    fn new(kind: ErrorKind) -> Self {
        Self {
            operation: "",
            kind,
            status: None,
            message: None,
            detail: None,
            source: None,
        }
    }

    fn with_status(self, status: StatusCode) -> Self {
        Self {
            status: Some(status),
            ..self
        }
    }

    fn with_message(self, message: Option<String>) -> Self {
        Self { message, ..self }
    }

    fn with_detail(self, detail: String) -> Self {
        Self {
            detail: Some(detail),
            ..self
        }
    }

    fn with_source(self, source: impl Into<BoxError>) -> Self {
        Self {
            source: Some(source.into()),
            ..self
        }
    }

    /// The operation that failed: the method name of the call, such as
    /// `"rotate_notification_webhook_secret"`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The HTTP status of the response, if the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        self.status
    }

    /// The server's explanation: the `msg` or `error` field of a JSON error body (else its
    /// `message` or `detail`), or the start of a plain-text body, shortened to 300 characters.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let operation = self.operation;
        match (self.status, self.kind) {
            (Some(status), _) => write!(f, "{operation} failed: HTTP {status}")?,
            (None, ErrorKind::Timeout) => write!(f, "{operation} timed out")?,
            (None, ErrorKind::OutcomeUnknown) => write!(f, "{operation} failed")?,
            (None, ErrorKind::Connect) => write!(f, "{operation} could not connect to the server")?,
            (None, ErrorKind::InvalidResponse) => {
                write!(f, "{operation} failed: the response body is not valid")?;
            }
            (None, ErrorKind::InvalidRequest) => write!(f, "{operation} failed: invalid request")?,
            (None, _) => write!(f, "{operation} failed")?,
        }
        let mut separator = ": ";
        for text in [&self.message, &self.detail].into_iter().flatten() {
            write!(f, "{separator}{text}")?;
            separator = "; ";
        }
        Ok(())
    }
}

/// The server's message in the error of a generated `send()`, for those who use `send()`
/// rather than `call()`.
///
/// ```
/// use vast_api::ErrorExt;
///
/// async fn rotate(client: &vast_api::Client, id: i64) {
///     match client.rotate_notification_webhook_secret().id(id).send().await {
///         Ok(response) => println!("rotated webhook {id}: {:?}", response.success),
///         Err(error) => eprintln!("failed: {:?}", error.server_message()),
///     }
/// }
/// ```
pub trait ErrorExt {
    /// The `msg` or `error` field (else `message` or `detail`) of a documented error body.
    ///
    /// `None` for an undocumented response, whose body has not been read yet: the operation's
    /// `call()`, which returns an [`Error`], reads it.
    fn server_message(&self) -> Option<String>;
}

impl<E: Serialize> ErrorExt for progenitor_client::Error<E> {
    fn server_message(&self) -> Option<String> {
        match self {
            progenitor_client::Error::ErrorResponse(response) => {
                let body = serde_json::to_value(response.as_ref()).ok()?;
                message_in_json(&body)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_and_the_detail_follow_the_status_line() {
        let with_message = Error::new(ErrorKind::UnexpectedResponse)
            .with_message(Some("Moved".into()))
            .with_detail("redirected".into());
        assert_eq!(with_message.to_string(), " failed: Moved; redirected");
        let status = Error {
            operation: "op",
            ..Error::new(ErrorKind::ErrorResponse).with_status(StatusCode::NOT_FOUND)
        };
        assert_eq!(status.to_string(), "op failed: HTTP 404 Not Found");
    }
}
