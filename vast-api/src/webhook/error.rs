//! Why a webhook delivery was rejected.

use http::StatusCode;

use super::{SIGNATURE_HEADER, TIMESTAMP_HEADER};

/// Why a webhook delivery was rejected.
///
/// Messages name the header at fault but never contain a secret, the expected
/// MAC or the received header values (which would let a sender write into
/// your logs).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// A required header is absent or empty.
    #[error("missing {header} header")]
    MissingHeader {
        /// The header's name, as in [`TIMESTAMP_HEADER`] or [`SIGNATURE_HEADER`].
        header: &'static str,
    },

    /// The signature header is not `sha256=` followed by 64 hex digits, or it
    /// appears more than once.
    #[error("malformed {header} header: {reason}", header = SIGNATURE_HEADER)]
    MalformedSignature {
        /// What is wrong with it.
        reason: &'static str,
    },

    /// The timestamp header is not a whole, non-negative number of seconds
    /// that fits in a `u64`, or it appears more than once.
    #[error("malformed {header} header: {reason}", header = TIMESTAMP_HEADER)]
    MalformedTimestamp {
        /// What is wrong with it.
        reason: &'static str,
    },

    /// The timestamp is further in the past than the tolerance.
    #[error(
        "{header} is {age_secs} s old, more than the {tolerance_secs} s tolerance",
        header = TIMESTAMP_HEADER
    )]
    TimestampTooOld {
        /// How many seconds before the receiver's clock the delivery was signed.
        age_secs: u64,
        /// The verifier's tolerance in seconds.
        tolerance_secs: u64,
    },

    /// The timestamp is further in the future than the tolerance.
    #[error(
        "{header} is {ahead_secs} s in the future, more than the {tolerance_secs} s tolerance",
        header = TIMESTAMP_HEADER
    )]
    TimestampInFuture {
        /// How many seconds after the receiver's clock the delivery was signed.
        ahead_secs: u64,
        /// The verifier's tolerance in seconds.
        tolerance_secs: u64,
    },

    /// The signature matches the timestamp and body under none of the
    /// configured secrets: wrong secret, or timestamp or body changed after
    /// signing.
    #[error("{header} does not match the timestamp and body under any configured secret", header = SIGNATURE_HEADER)]
    SignatureMismatch,

    /// The verifier has no (non-empty) secret, so it cannot verify anything.
    #[error("no webhook secret configured")]
    NoSecret,

    /// The delivery is authentic, but its body is not a Vast.ai notification
    /// event.
    #[error("body is not a Vast.ai notification event")]
    InvalidEvent {
        /// What the JSON parser objected to.
        #[source]
        source: serde_json::Error,
    },

    /// The event id is longer than a [`ReplayGuard`](super::ReplayGuard)
    /// remembers ([`MAX_EVENT_ID_LEN`](super::MAX_EVENT_ID_LEN) bytes).
    #[error("event id is {len} bytes long, more than the {max} allowed")]
    EventIdTooLong {
        /// The id's length in bytes.
        len: usize,
        /// The longest id accepted, in bytes.
        max: usize,
    },
}

impl WebhookError {
    /// The status a receiver should answer with: `400 Bad Request` for missing
    /// or malformed headers, bodies that are not events and over-long event
    /// ids, `401 Unauthorized` for deliveries that fail authentication (wrong
    /// signature, stale or future timestamp), and `500 Internal Server Error`
    /// when no secret is configured.
    pub fn http_status(&self) -> StatusCode {
        match self {
            Self::MissingHeader { .. }
            | Self::MalformedSignature { .. }
            | Self::MalformedTimestamp { .. }
            | Self::InvalidEvent { .. }
            | Self::EventIdTooLong { .. } => StatusCode::BAD_REQUEST,
            Self::SignatureMismatch
            | Self::TimestampTooOld { .. }
            | Self::TimestampInFuture { .. } => StatusCode::UNAUTHORIZED,
            Self::NoSecret => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}
