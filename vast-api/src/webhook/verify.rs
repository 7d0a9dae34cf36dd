//! Checking a delivery's signature and timestamp against configured secrets.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::Mac as _;

use super::signature::{self, Keyed};
use super::{DEFAULT_TOLERANCE, Notification, WebhookError, WebhookEvent, WebhookHeaders};

/// Verifies Vast.ai webhook deliveries against one or more secrets.
///
/// Build it once and share it: it is cheap to clone, `Send` and `Sync`.
/// Several secrets let a receiver accept the old and the new secret while
/// rotating (see the [module documentation](super#rotating-the-secret)).
/// Its `Debug` output shows how many secrets it holds, never the secrets.
#[derive(Clone)]
pub struct WebhookVerifier {
    /// One keyed MAC per secret; the secrets themselves are not kept.
    keys: Vec<Keyed>,
    tolerance: Duration,
    clock: Arc<dyn Fn() -> u64 + Send + Sync>,
}

impl WebhookVerifier {
    /// A verifier accepting deliveries signed with any of `secrets` (UTF-8
    /// text or bytes), with the [default tolerance](super::DEFAULT_TOLERANCE)
    /// and the system clock.
    ///
    /// Empty secrets are skipped: anyone can compute a MAC with an empty key,
    /// so accepting one would accept forgeries. A verifier left with no
    /// secret rejects every delivery with [`WebhookError::NoSecret`].
    pub fn new<I, S>(secrets: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<[u8]>,
    {
        let keys = secrets
            .into_iter()
            .filter(|secret| !secret.as_ref().is_empty())
            .map(|secret| signature::keyed(secret.as_ref()))
            .collect();
        Self {
            keys,
            tolerance: DEFAULT_TOLERANCE,
            clock: Arc::new(system_clock),
        }
    }

    /// Sets how far, either way, a delivery's timestamp may be from the clock.
    /// Counted in whole seconds: a fraction of a second is ignored.
    pub fn with_tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Replaces the system clock with `clock`, returning the current time in
    /// Unix seconds; for tests and for replaying recorded deliveries.
    pub fn with_clock(mut self, clock: impl Fn() -> u64 + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// How many (non-empty) secrets the verifier accepts.
    pub fn secret_count(&self) -> usize {
        self.keys.len()
    }

    /// The timestamp tolerance.
    pub fn tolerance(&self) -> Duration {
        self.tolerance
    }

    /// Checks the signature and timestamp of a delivery, without parsing its
    /// body.
    ///
    /// `body` must be the raw bytes as received. Checks run in this order,
    /// and the first failure is returned: a secret is configured; the
    /// timestamp header is present and well formed; the signature header is
    /// present and well formed; the timestamp is within the tolerance (before
    /// any MAC is computed, so stale deliveries cost little); the signature
    /// matches under one of the secrets, compared in constant time.
    ///
    /// This is [`check_headers`](Self::check_headers) followed by
    /// [`verify_body`](Self::verify_body); call those two yourself to reject
    /// a delivery before reading its body.
    pub fn verify<'b>(
        &self,
        headers: impl Into<WebhookHeaders>,
        body: &'b [u8],
    ) -> Result<VerifiedDelivery<'b>, WebhookError> {
        let checked = self.check_headers(headers)?;
        self.verify_body(&checked, body)
    }

    /// Runs every check that does not need the body: a secret is configured,
    /// both headers are present and well formed, and the timestamp is within
    /// the tolerance.
    ///
    /// A receiver calls this as soon as the request head has arrived, so a
    /// delivery that cannot verify is turned away before its body is read,
    /// then calls [`verify_body`](Self::verify_body) with the body.
    pub fn check_headers(
        &self,
        headers: impl Into<WebhookHeaders>,
    ) -> Result<CheckedHeaders, WebhookError> {
        let headers = headers.into();
        if self.keys.is_empty() {
            return Err(WebhookError::NoSecret);
        }
        let (timestamp_text, timestamp) = headers.timestamp()?;
        let mac = headers.signature()?;
        self.check_fresh(timestamp)?;
        Ok(CheckedHeaders {
            timestamp_text: timestamp_text.to_owned(),
            timestamp,
            mac,
            delivery_attempt: headers.delivery_attempt(),
        })
    }

    /// Checks the signature of a delivery whose headers passed
    /// [`check_headers`](Self::check_headers) over its raw `body`, compared
    /// in constant time.
    ///
    /// The timestamp is checked again first: the body may have taken a while
    /// to arrive, and the tolerance counts up to the moment of verification.
    pub fn verify_body<'b>(
        &self,
        headers: &CheckedHeaders,
        body: &'b [u8],
    ) -> Result<VerifiedDelivery<'b>, WebhookError> {
        if self.keys.is_empty() {
            return Err(WebhookError::NoSecret);
        }
        self.check_fresh(headers.timestamp)?;
        let authentic = self.keys.iter().any(|key| {
            signature::over(key.clone(), &headers.timestamp_text, body)
                .verify_slice(&headers.mac)
                .is_ok()
        });
        if !authentic {
            return Err(WebhookError::SignatureMismatch);
        }
        Ok(VerifiedDelivery {
            timestamp: headers.timestamp,
            delivery_attempt: headers.delivery_attempt,
            body,
        })
    }

    /// Checks a delivery like [`verify`](Self::verify), then parses its body
    /// as a [`Notification`]; a body that is not one is
    /// [`WebhookError::InvalidEvent`].
    pub fn verify_event(
        &self,
        headers: impl Into<WebhookHeaders>,
        body: &[u8],
    ) -> Result<WebhookEvent, WebhookError> {
        self.verify(headers, body)?.into_event()
    }

    fn check_fresh(&self, timestamp: u64) -> Result<(), WebhookError> {
        let now = (self.clock)();
        let tolerance_secs = self.tolerance.as_secs();
        if timestamp <= now {
            let age_secs = now - timestamp;
            if age_secs > tolerance_secs {
                return Err(WebhookError::TimestampTooOld {
                    age_secs,
                    tolerance_secs,
                });
            }
        } else {
            let ahead_secs = timestamp - now;
            if ahead_secs > tolerance_secs {
                return Err(WebhookError::TimestampInFuture {
                    ahead_secs,
                    tolerance_secs,
                });
            }
        }
        Ok(())
    }
}

/// The system clock in Unix seconds. A clock set before 1970 reads as 0, so
/// every delivery looks to be in the future and is rejected.
fn system_clock() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

impl fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookVerifier")
            .field("secrets", &format_args!("<{} redacted>", self.keys.len()))
            .field("tolerance", &self.tolerance)
            .finish_non_exhaustive()
    }
}

/// The headers of a delivery that passed
/// [`WebhookVerifier::check_headers`]: well formed, with a fresh timestamp.
/// The signature is not checked yet; pass this and the body to
/// [`WebhookVerifier::verify_body`].
///
/// Its `Debug` output leaves out the signature.
#[derive(Clone)]
pub struct CheckedHeaders {
    /// The timestamp exactly as sent: the signed text.
    timestamp_text: String,
    timestamp: u64,
    mac: signature::Mac,
    delivery_attempt: Option<u32>,
}

impl CheckedHeaders {
    /// When this delivery attempt was signed (`X-Vast-Timestamp`), in Unix
    /// seconds.
    pub fn timestamp(&self) -> u64 {
        self.timestamp
    }

    /// Which delivery attempt this is, as described at
    /// [`WebhookEvent::delivery_attempt`].
    pub fn delivery_attempt(&self) -> Option<u32> {
        self.delivery_attempt
    }
}

impl fmt::Debug for CheckedHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CheckedHeaders")
            .field("timestamp", &self.timestamp)
            .field("delivery_attempt", &self.delivery_attempt)
            .finish_non_exhaustive()
    }
}

/// A delivery whose signature and timestamp checked out, with its raw body.
///
/// Only [`WebhookVerifier::verify`] and [`WebhookVerifier::verify_body`]
/// make one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifiedDelivery<'b> {
    timestamp: u64,
    delivery_attempt: Option<u32>,
    body: &'b [u8],
}

impl<'b> VerifiedDelivery<'b> {
    /// When this delivery attempt was signed (`X-Vast-Timestamp`), in Unix
    /// seconds.
    pub fn timestamp(&self) -> u64 {
        self.timestamp
    }

    /// Which delivery attempt this is, as described at
    /// [`WebhookEvent::delivery_attempt`].
    pub fn delivery_attempt(&self) -> Option<u32> {
        self.delivery_attempt
    }

    /// The body exactly as received.
    pub fn body(&self) -> &'b [u8] {
        self.body
    }

    /// Parses the body as a [`Notification`]; a body that is not one is
    /// [`WebhookError::InvalidEvent`].
    pub fn into_event(self) -> Result<WebhookEvent, WebhookError> {
        let notification: Notification = serde_json::from_slice(self.body)
            .map_err(|source| WebhookError::InvalidEvent { source })?;
        Ok(WebhookEvent::new(
            self.timestamp,
            self.delivery_attempt,
            notification,
        ))
    }
}
