//! What the hand-written tests share to reach a mock server: the test API key (and the check
//! that it never shows), a client builder with retries off or fast, and the rotation call most
//! of them make (through `call()` and `send()`).

use std::error::Error as StdError;
use std::time::Duration;

use httpmock::MockServer;
use vast_api::progenitor_client::{self, ResponseValue};
use vast_api::types::{self, RotateNotificationWebhookSecretResponse};
use vast_api::{Client, ClientBuilder, Error, RetryPolicy};

/// The API key of the tests' clients: long enough to tell apart in output that must not show it.
pub const KEY: &str = "test-key-0123456789abcdef";

/// A builder for `base_url` with [`KEY`] and no retries, so each mocked answer is seen once.
pub fn builder(base_url: &str) -> ClientBuilder {
    Client::builder()
        .api_key(KEY)
        .base_url(base_url)
        .retry_policy(RetryPolicy::disabled())
}

/// A client of `server` as [`builder`] makes it.
pub fn client(server: &MockServer) -> Client {
    builder(&server.base_url())
        .build()
        .expect("a client of the mock server")
}

/// `rotate_notification_webhook_secret` of webhook `id`, through `call()`.
pub async fn rotate(
    client: &Client,
    id: i64,
) -> Result<RotateNotificationWebhookSecretResponse, Error> {
    client
        .rotate_notification_webhook_secret()
        .id(id)
        .call()
        .await
}

/// `rotate_notification_webhook_secret` of webhook `id`, through progenitor's `send()`.
pub async fn send_rotation(
    client: &Client,
    id: i64,
) -> Result<
    ResponseValue<RotateNotificationWebhookSecretResponse>,
    progenitor_client::Error<types::Error>,
> {
    client
        .rotate_notification_webhook_secret()
        .id(id)
        .send()
        .await
}

/// Retries without the default half-second waits, to keep the suites fast.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::new()
        .with_initial_backoff(Duration::from_millis(10))
        .with_max_backoff(Duration::from_millis(20))
}

/// `error`'s chain of sources, nearest first (`error` itself excluded).
pub fn causes<'e>(
    error: &'e (dyn StdError + 'static),
) -> impl Iterator<Item = &'e (dyn StdError + 'static)> {
    std::iter::successors(error.source(), |&cause| cause.source())
}

/// Fails if `error`, or any error in its chain of sources (as a logger printing causes would
/// show them), shows [`KEY`] in its `Display` or `Debug` text.
pub fn assert_no_key_in(error: &(impl StdError + 'static)) {
    for error in std::iter::once(error as &dyn StdError).chain(causes(error)) {
        let text = format!("{error} {error:?}");
        assert!(!text.contains(KEY), "the key leaked: {text}");
    }
}
