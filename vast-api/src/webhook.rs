//! Receiving Vast.ai webhook deliveries: verify `X-Vast-Signature-256` and
//! parse the notification event.
//!
//! This module does not depend on the HTTP client: it works on the raw request
//! body and the request headers, so it fits axum, actix-web, hyper or anything
//! else that hands you the bytes Vast.ai sent.
//!
//! # What Vast.ai sends
//!
//! Each delivery is a JSON `POST` carrying:
//!
//! - [`TIMESTAMP_HEADER`] (`X-Vast-Timestamp`): when the delivery was signed,
//!   in whole Unix seconds;
//! - [`SIGNATURE_HEADER`] (`X-Vast-Signature-256`): `sha256=` followed by the
//!   lowercase hex HMAC-SHA256 of `<X-Vast-Timestamp>.<raw body bytes>`,
//!   keyed by the webhook secret;
//! - [`DELIVERY_ATTEMPT_HEADER`] (`X-Vast-Delivery-Attempt`): 1, 2, … as the
//!   delivery is retried;
//! - `X-Vast-Event-Id`: the event id, also found in the body.
//!
//! Verification follows Vast.ai's recipe: the MAC is computed over the raw
//! bytes exactly as received (never re-serialised JSON), compared in constant
//! time, and deliveries whose timestamp is more than the tolerance
//! ([`DEFAULT_TOLERANCE`], 300 s) away from the receiver's clock are rejected,
//! which bounds how long a captured delivery can be replayed.
//!
//! # Verifying a delivery
//!
//! [`WebhookVerifier::verify_event`] checks the signature and the timestamp,
//! then parses the body into a [`WebhookEvent`].
//! [`WebhookVerifier::verify`] only checks the signature and the timestamp and
//! hands back the raw body, for bodies you parse yourself. Both are also
//! available in two steps, headers first (see below). Each failure is a
//! distinct [`WebhookError`] variant, and [`WebhookError::http_status`] gives
//! the status to answer with. [`sign`] produces the headers Vast.ai would send,
//! so you can test your own receiver.
//!
//! ```
//! use vast_api::webhook::{WebhookVerifier, sign};
//!
//! let body = br#"{"event_id":"7e9a","user_id":123,"notif_type":"low_credit",
//!     "subject":"Low credit","message":"Top up soon","timestamp":1772490000.5}"#;
//! let now = 1_772_490_000;
//!
//! // What Vast.ai would send, signed with the webhook secret.
//! let signed = sign("whsec_example", now, body);
//!
//! // The receiver: the clock is fixed here only to keep the example repeatable.
//! let verifier = WebhookVerifier::new(["whsec_example"]).with_clock(move || now);
//! let event = verifier.verify_event(&signed, body)?;
//! assert_eq!(event.event_id(), "7e9a");
//! assert_eq!(event.notification().notif_type, "low_credit");
//!
//! // A body changed in transit is rejected.
//! let tampered = br#"{"event_id":"7e9a"}"#;
//! assert!(verifier.verify(&signed, tampered).is_err());
//! # Ok::<(), vast_api::webhook::WebhookError>(())
//! ```
//!
//! With a web framework, build [`WebhookHeaders`] from the request's
//! [`http::HeaderMap`] (or from name/value string pairs) and pass the body
//! bytes as received; `examples/webhook_receiver/` is a complete receiver on
//! hyper.
//!
//! # Checking before reading the body
//!
//! A receiver faces the open internet, so it should spend as little as
//! possible on deliveries that cannot verify. [`WebhookVerifier::check_headers`]
//! runs every check that needs no body (a secret is configured, both headers
//! are well formed, the timestamp is fresh) as soon as the request head has
//! arrived; only then read the body, with a size cap and a time limit of your
//! own, and hand it to [`WebhookVerifier::verify_body`]. Together with a
//! [`ReplayGuard`] that is the whole receiver, in any `http`-based service:
//!
//! ```
//! use http::HeaderMap;
//! use vast_api::webhook::{ReplayGuard, Seen, WebhookVerifier, sign};
//!
//! # let now = 1_772_490_000;
//! # let body = br#"{"event_id":"7e9a","user_id":123,"notif_type":"low_credit",
//! #     "subject":"Low credit","message":"Top up soon","timestamp":1772490000.5}"#;
//! # let mut headers = HeaderMap::new();
//! # for (name, value) in sign("whsec_example", now, body).pairs() {
//! #     headers.insert(name, value.parse()?);
//! # }
//! // Once, at start-up (the clock is fixed only to keep the example repeatable).
//! let verifier = WebhookVerifier::new(["whsec_example"]).with_clock(move || now);
//! let mut guard = ReplayGuard::for_verifier(&verifier);
//!
//! // 1. The request head has arrived: on error, answer `error.http_status()`
//! //    without reading the body.
//! let checked = verifier.check_headers(&headers)?;
//! // 2. Read the body (capped, with a timeout), then check the signature.
//! let event = verifier.verify_body(&checked, body)?.into_event()?;
//! // 3. De-duplicate on the signed event id (shared behind a `Mutex` in a
//! //    concurrent server).
//! match guard.check(event.event_id(), now)? {
//!     Seen::New => { /* process the event, answer 204 */ }
//!     Seen::Repeat => { /* already processed, answer 200 */ }
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # De-duplication
//!
//! Delivery is at-least-once: the same event can arrive several times, with
//! increasing delivery attempts. De-duplicate on [`WebhookEvent::event_id`],
//! which comes from the signed body. The `X-Vast-Event-Id` header carries the
//! same id but is not covered by the signature, so this module does not read
//! it: someone replaying a captured delivery within the tolerance could change
//! that header, but not the body.
//!
//! [`ReplayGuard`] remembers ids for a bounded time (by default twice the
//! verifier's tolerance: past that, a captured delivery no longer verifies)
//! and up to a bounded count, dropping the oldest first, so its memory stays
//! flat however many events arrive; it rejects ids longer than
//! [`MAX_EVENT_ID_LEN`] bytes.
//!
//! # Rotating the secret
//!
//! The generated client's `rotate_notification_webhook_secret` operation
//! replaces a webhook's secret and returns the new one once, in the
//! response's `webhook.webhook_secret` (a `vast_api::Secret`, whose `expose`
//! gives the text); Vast.ai stops signing with the old secret immediately. A
//! verifier holds several secrets and accepts a delivery signed with any of
//! them, so a receiver moves over without losing deliveries:
//!
//! 1. Rotate through the API and store the new secret.
//! 2. Rebuild the verifier with the new secret *and* the old one, and swap it
//!    in (for example behind an `Arc<RwLock<WebhookVerifier>>`). Deliveries
//!    signed with the old secret just before the rotation still verify; any
//!    delivery rejected before the swap is retried, as delivery is
//!    at-least-once.
//! 3. Once the tolerance has passed, every delivery signed with the old
//!    secret has gone stale: rebuild the verifier with the new secret alone.
//!
//! ```no_run
//! # use std::sync::RwLock;
//! # use vast_api::{Client, Secret, webhook::WebhookVerifier};
//! # async fn rotate(
//! #     client: &Client,
//! #     verifier: &RwLock<WebhookVerifier>,
//! #     old_secret: Secret,
//! # ) -> Result<(), Box<dyn std::error::Error>> {
//! // 42 is the webhook id.
//! let rotated = client.rotate_notification_webhook_secret().id(42).call().await?;
//! let new_secret = rotated
//!     .webhook
//!     .and_then(|webhook| webhook.webhook_secret)
//!     .ok_or("the response carries no secret")?;
//! // Store `new_secret` now: it is not shown again.
//!
//! // Step 2: accept both while deliveries signed with the old secret drain.
//! let both = WebhookVerifier::new([new_secret.expose(), old_secret.expose()]);
//! *verifier.write().map_err(|_| "verifier lock poisoned")? = both;
//!
//! // Step 3: after the tolerance (300 s by default), drop the old secret.
//! let new_only = WebhookVerifier::new([new_secret.expose()]);
//! *verifier.write().map_err(|_| "verifier lock poisoned")? = new_only;
//! # Ok(())
//! # }
//! ```

mod error;
mod event;
mod headers;
mod replay;
mod signature;
mod verify;

use std::time::Duration;

pub use error::WebhookError;
pub use event::{Notification, WebhookEvent};
pub use headers::WebhookHeaders;
pub use replay::{DEFAULT_REPLAY_CAPACITY, MAX_EVENT_ID_LEN, ReplayGuard, Seen};
pub use signature::{SignedHeaders, sign};
pub use verify::{CheckedHeaders, VerifiedDelivery, WebhookVerifier};

/// Name of the header holding the delivery's signing time in whole Unix
/// seconds. Header names are matched case-insensitively.
pub const TIMESTAMP_HEADER: &str = "X-Vast-Timestamp";

/// Name of the header holding `sha256=` and the hex HMAC-SHA256 of
/// `<timestamp>.<body>`. Header names are matched case-insensitively.
pub const SIGNATURE_HEADER: &str = "X-Vast-Signature-256";

/// Name of the header numbering delivery attempts (1 for the first). It is
/// not covered by the signature, so it is informational only.
pub const DELIVERY_ATTEMPT_HEADER: &str = "X-Vast-Delivery-Attempt";

/// How far a delivery's timestamp may be from the receiver's clock, either
/// way, before it is rejected: 300 s, as Vast.ai recommends.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);
