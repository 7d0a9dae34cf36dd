//! The `X-Vast-Signature-256` scheme: `sha256=` + hex HMAC-SHA256 of
//! `<timestamp>.<body>`, keyed by the webhook secret.

use hmac::{Hmac, Mac as _};
use sha2::Sha256;

use super::{SIGNATURE_HEADER, TIMESTAMP_HEADER, WebhookError};

/// HMAC-SHA256, keyed once per secret and cloned for each delivery.
pub(super) type Keyed = Hmac<Sha256>;

/// A decoded HMAC-SHA256 tag.
pub(super) type Mac = [u8; 32];

const PREFIX: &str = "sha256=";

/// Keys HMAC-SHA256 with a webhook secret.
pub(super) fn keyed(secret: &[u8]) -> Keyed {
    // HMAC takes keys of any length (RFC 2104 §2): `new_from_slice` has an
    // error type only because fixed-key MACs share the trait, so this arm
    // cannot be reached for `Hmac<Sha256>`.
    match Keyed::new_from_slice(secret) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC-SHA256 accepts keys of any length"),
    }
}

/// Feeds the signed message, `<timestamp>.<body>`, to a keyed MAC.
pub(super) fn over(mut mac: Keyed, timestamp: &str, body: &[u8]) -> Keyed {
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// Decodes a signature header value into the MAC it carries.
pub(super) fn decode(value: &str) -> Result<Mac, WebhookError> {
    let malformed = |reason| WebhookError::MalformedSignature { reason };
    let digits = value
        .strip_prefix(PREFIX)
        .ok_or(malformed("expected the `sha256=` prefix"))?;
    let mut mac = [0; 32];
    // Also rejects a truncated or over-long value: the length must be exact.
    hex::decode_to_slice(digits, &mut mac)
        .map_err(|_| malformed("expected 64 hex digits after `sha256=`"))?;
    Ok(mac)
}

/// The signing headers of a delivery, as [`sign`] makes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedHeaders {
    /// The value of [`TIMESTAMP_HEADER`]: Unix seconds in decimal.
    pub timestamp: String,
    /// The value of [`SIGNATURE_HEADER`]: `sha256=` and 64 lowercase hex digits.
    pub signature: String,
}

impl SignedHeaders {
    /// The headers as `(name, value)` pairs, ready to add to a request.
    pub fn pairs(&self) -> [(&'static str, &str); 2] {
        [
            (TIMESTAMP_HEADER, &self.timestamp),
            (SIGNATURE_HEADER, &self.signature),
        ]
    }
}

/// Signs a delivery as Vast.ai does, for testing your own receiver.
///
/// Returns the `X-Vast-Timestamp` and `X-Vast-Signature-256` values for
/// `body` sent at `timestamp` (Unix seconds) and signed with `secret`.
/// Note that a [`WebhookVerifier`](super::WebhookVerifier) ignores an empty
/// secret, so a delivery signed with one never verifies.
///
/// ```
/// use vast_api::webhook::sign;
///
/// let signed = sign("whsec_example", 1_772_490_000, b"{}");
/// assert_eq!(signed.timestamp, "1772490000");
/// assert!(signed.signature.starts_with("sha256="));
/// ```
pub fn sign(secret: impl AsRef<[u8]>, timestamp: u64, body: &[u8]) -> SignedHeaders {
    let timestamp = timestamp.to_string();
    let mac = over(keyed(secret.as_ref()), &timestamp, body).finalize();
    SignedHeaders {
        signature: format!("{PREFIX}{}", hex::encode(mac.into_bytes())),
        timestamp,
    }
}
