//! Per-client state the hand-written layer keeps inside the generated `Client`.

use std::fmt;
use std::time::Duration;

use reqwest::header::{AUTHORIZATION, HeaderValue, USER_AGENT};

use crate::body_limit::DEFAULT_MAX_RESPONSE_BYTES;
use crate::retry::RetryPolicy;
use crate::routing::Routing;

/// What every request of a [`Client`](crate::Client) carries: its credentials, its retry
/// policy and any per-request settings.
///
/// Built by [`ClientBuilder`](crate::ClientBuilder); its `Debug` output never shows the key.
/// The `Default` one sends no credentials, retries with the default [`RetryPolicy`] and reads
/// responses of up to [`DEFAULT_MAX_RESPONSE_BYTES`](crate::DEFAULT_MAX_RESPONSE_BYTES).
#[derive(Clone)]
pub struct ClientContext {
    /// `Bearer <key>`, marked sensitive so that `http`'s own `Debug` hides it too.
    authorization: Option<HeaderValue>,
    /// Set per request only when the caller supplied their own `reqwest::Client`, which must
    /// otherwise be left as configured.
    user_agent: Option<HeaderValue>,
    timeout: Option<Duration>,
    retry: RetryPolicy,
    max_response_bytes: u64,
    routing: Routing,
}

impl Default for ClientContext {
    fn default() -> Self {
        Self {
            authorization: None,
            user_agent: None,
            timeout: None,
            retry: RetryPolicy::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            routing: Routing::default(),
        }
    }
}

impl ClientContext {
    pub(crate) fn new(
        authorization: HeaderValue,
        user_agent: Option<HeaderValue>,
        timeout: Option<Duration>,
        retry: RetryPolicy,
        max_response_bytes: u64,
        routing: Routing,
    ) -> Self {
        Self {
            authorization: Some(authorization),
            user_agent,
            timeout,
            retry,
            max_response_bytes,
            routing,
        }
    }

    /// The base URL of an operation the spec documents on the server `documented` (the
    /// generated code calls this for such operations instead of using the client's base URL).
    pub fn server_url<'a>(&'a self, documented: &'a str) -> &'a str {
        self.routing.server_url(documented)
    }

    /// The retry policy applied to every request.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// The largest response body read, in bytes; a longer one fails the call with
    /// [`ErrorKind::ResponseTooLarge`](crate::ErrorKind::ResponseTooLarge).
    pub fn max_response_bytes(&self) -> u64 {
        self.max_response_bytes
    }

    /// The timeout set on each request, if any; each attempt's is cut to what is left of the
    /// retry policy's deadline.
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// Whether requests carry an `Authorization` header.
    pub fn has_credentials(&self) -> bool {
        self.authorization.is_some()
    }

    /// Adds the credentials and per-request settings to `request`.
    pub(crate) fn apply(&self, request: &mut reqwest::Request) {
        self.routing.apply(request);
        let headers = request.headers_mut();
        if let Some(authorization) = &self.authorization {
            headers.insert(AUTHORIZATION, authorization.clone());
        }
        if let Some(user_agent) = &self.user_agent {
            headers.insert(USER_AGENT, user_agent.clone());
        }
        if let Some(timeout) = self.timeout {
            request.timeout_mut().get_or_insert(timeout);
        }
    }
}

impl fmt::Debug for ClientContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientContext")
            .field(
                "authorization",
                &self.authorization.as_ref().map(|_| "Bearer <redacted>"),
            )
            .field("user_agent", &self.user_agent)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("routing", &self.routing)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Client, ClientInfo as _, DEFAULT_MAX_RESPONSE_BYTES};

    #[test]
    fn the_default_context_sends_no_key_and_has_the_default_limit() {
        let context = ClientContext::default();
        assert!(!context.has_credentials());
        assert_eq!(context.max_response_bytes(), DEFAULT_MAX_RESPONSE_BYTES);
    }

    #[test]
    fn the_builder_sets_the_limit_with_or_without_a_caller_client() {
        let builder = Client::builder()
            .api_key("0123abcd")
            .base_url("http://127.0.0.1:1");
        let default = builder.clone().build().expect("client");
        assert_eq!(
            default.inner().max_response_bytes(),
            DEFAULT_MAX_RESPONSE_BYTES
        );
        let own = builder
            .clone()
            .max_response_bytes(10)
            .build()
            .expect("client");
        assert_eq!(own.inner().max_response_bytes(), 10);
        let theirs = builder
            .max_response_bytes(20)
            .http_client(
                // Not `reqwest::Client::new()`: without a TLS provider of its own reqwest panics.
                crate::ClientBuilder::reqwest_builder()
                    .expect("TLS setup")
                    .build()
                    .expect("reqwest client"),
            )
            .build()
            .expect("client");
        assert_eq!(theirs.inner().max_response_bytes(), 20);
        assert!(!format!("{:?}", theirs.inner()).contains("0123abcd"));
    }
}
