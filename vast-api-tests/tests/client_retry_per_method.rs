//! Which failure the client retries for which request, against loopback servers failing on
//! purpose: a read (`GET`, `HEAD`) or an operation declared safe to repeat is sent again after
//! any transient failure; a write only when it provably did not reach the API, otherwise it
//! fails with `OutcomeUnknown` after one request. Also the deadline cutting an attempt short.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use httpmock::MockServer;
use reqwest::Method;
use vast_api::progenitor_client::{ClientHooks, OperationInfo};
use vast_api::{Client, Error, ErrorKind, RetryPolicy};
use vast_api_tests::raw_server::RawServer;
use vast_api_tests::support::{builder, fast_retries, rotate};

/// How a loopback server fails each request, for the tables below.
#[derive(Debug, Clone, Copy)]
enum Failure {
    Status(u16),
    /// Answers after 2 s, past the client's 200 ms timeout.
    Timeout,
    /// Reads the request, then closes the connection without answering.
    ResetAfterSend,
}

const FAILURES: [Failure; 7] = [
    Failure::Status(429),
    Failure::Status(503),
    Failure::Status(502),
    Failure::Status(504),
    Failure::Timeout,
    Failure::ResetAfterSend,
    Failure::Status(500),
];

/// A server on 127.0.0.1 failing every request with `failure`, and the number of requests
/// it has received.
struct FailingServer {
    base_url: String,
    requests: Arc<AtomicUsize>,
    mock_id: usize,
    // Kept alive for the test's duration.
    _mock: Option<MockServer>,
    _raw: Option<RawServer>,
}

impl FailingServer {
    async fn start(failure: Failure) -> Self {
        let requests = Arc::new(AtomicUsize::new(0));
        if let Failure::ResetAfterSend = failure {
            let seen = Arc::clone(&requests);
            // The server reads the request head before calling this; returning without a
            // word makes it close the connection.
            let raw = RawServer::start(move |_| {
                seen.fetch_add(1, Ordering::SeqCst);
                Ok(())
            })
            .unwrap();
            return Self {
                base_url: raw.base_url(),
                requests,
                mock_id: 0,
                _mock: None,
                _raw: Some(raw),
            };
        }
        let server = MockServer::start_async().await;
        let mock = server.mock(|_, then| match failure {
            Failure::Status(status) => {
                then.status(status).body("failing on purpose");
            }
            _ => {
                then.status(200)
                    .header("content-type", "application/json")
                    .body("{}")
                    .delay(Duration::from_secs(2));
            }
        });
        let mock_id = mock.id();
        Self {
            base_url: server.base_url(),
            requests,
            mock_id,
            _mock: Some(server),
            _raw: None,
        }
    }

    async fn requests(&self) -> usize {
        match &self._mock {
            Some(server) => {
                httpmock::Mock::new(self.mock_id, server)
                    .calls_async()
                    .await
            }
            None => self.requests.load(Ordering::SeqCst),
        }
    }

    /// A client of this server with a 200 ms timeout and `policy`.
    fn client(&self, policy: RetryPolicy) -> Client {
        builder(&self.base_url)
            .timeout(Duration::from_millis(200))
            .retry_policy(policy)
            .build()
            .unwrap()
    }
}

/// The rotation (a `POST`) of webhook `id` against a server failing with `failure`.
async fn rotate_failing(failure: Failure, policy: RetryPolicy, id: i64) -> (FailingServer, Error) {
    let server = FailingServer::start(failure).await;
    let error = rotate(&server.client(policy), id).await.unwrap_err();
    (server, error)
}

/// The rotation `POST` is sent again only after a refusal (429, 503); after anything that may
/// have reached the API it fails at once with `OutcomeUnknown`, so a secret it may have
/// created is never replaced by a second one.
#[tokio::test]
async fn a_post_is_repeated_only_when_refused() {
    for failure in FAILURES {
        let (server, error) = rotate_failing(failure, fast_retries(), 3).await;
        let (requests, kind) = match failure {
            Failure::Status(429 | 503) => (3, ErrorKind::UnexpectedResponse),
            Failure::Status(500) => (1, ErrorKind::UnexpectedResponse),
            _ => (1, ErrorKind::OutcomeUnknown),
        };
        assert_eq!(server.requests().await, requests, "{failure:?}: {error}");
        assert_eq!(error.kind(), kind, "{failure:?}: {error}");
        if let Failure::Status(status) = failure {
            assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        }
        if kind == ErrorKind::OutcomeUnknown {
            let text = error.to_string();
            assert!(
                text.starts_with("rotate_notification_webhook_secret failed: ")
                    && text.contains(
                        "the outcome is unknown: the write may or may not have happened, \
                         so check before repeating it"
                    ),
                "{text}"
            );
        }
    }
}

#[tokio::test]
async fn an_unknown_outcome_says_how_the_request_was_lost() {
    let (_server, error) = rotate_failing(Failure::Timeout, fast_retries(), 5).await;
    assert_eq!(error.status(), None);
    assert_eq!(
        error.to_string(),
        "rotate_notification_webhook_secret failed: it timed out after it was sent; the outcome \
         is unknown: the write may or may not have happened, so check before repeating it"
    );
    let source = std::error::Error::source(&error).expect("the reqwest error");
    assert!(
        source
            .downcast_ref::<reqwest::Error>()
            .is_some_and(reqwest::Error::is_timeout)
    );

    let (_server, error) = rotate_failing(Failure::ResetAfterSend, fast_retries(), 5).await;
    assert!(
        error
            .to_string()
            .contains(": the connection broke after it was sent; the outcome is unknown"),
        "{error}"
    );
}

/// A request sent straight through the client's hooks, as the generated code sends it, for
/// methods no operation of the vendored spec uses.
async fn send_raw(
    client: &Client,
    method: Method,
    base_url: &str,
    operation: &'static str,
) -> reqwest::Result<reqwest::Response> {
    let url = format!("{base_url}/api/v0/things/1/").parse().unwrap();
    let mut request = reqwest::Request::new(method, url);
    let info = OperationInfo {
        operation_id: operation,
    };
    client.pre::<()>(&mut request, &info).await.unwrap();
    client.exec(request, &info).await
}

/// Sends `operation` with each of `methods` to a server failing in each of the ways in
/// [`FAILURES`], and checks how many requests reached it: `requests(failure)`.
async fn assert_requests_per_failure(
    methods: &[Method],
    operation: &'static str,
    requests: fn(Failure) -> usize,
) {
    for method in methods {
        for failure in FAILURES {
            let server = FailingServer::start(failure).await;
            let client = server.client(fast_retries());
            let outcome = send_raw(&client, method.clone(), &server.base_url, operation).await;
            assert_eq!(
                server.requests().await,
                requests(failure),
                "{method} {failure:?}: {outcome:?}"
            );
        }
    }
}

#[tokio::test]
async fn a_get_is_repeated_after_every_transient_failure() {
    assert_requests_per_failure(&[Method::GET, Method::HEAD], "show_thing", |failure| {
        if let Failure::Status(500) = failure {
            1
        } else {
            3
        }
    })
    .await;
}

#[tokio::test]
async fn puts_and_deletes_are_writes_too() {
    let writes = [Method::PUT, Method::DELETE, Method::PATCH];
    assert_requests_per_failure(&writes, "put_thing", |failure| {
        if let Failure::Status(429 | 503) = failure {
            3
        } else {
            1
        }
    })
    .await;
}

#[tokio::test]
async fn operations_declared_safe_to_repeat_are_repeated_after_any_transient_failure() {
    for failure in [Failure::Status(502), Failure::Status(504), Failure::Timeout] {
        let policy = fast_retries().safe_to_repeat(["rotate_notification_webhook_secret"]);
        let (server, error) = rotate_failing(failure, policy, 3).await;
        assert_eq!(server.requests().await, 3, "{failure:?}: {error}");
    }
}

#[tokio::test]
async fn the_deadline_cuts_an_attempt_short() {
    let server = FailingServer::start(Failure::Timeout).await;
    // The attempt's own timeout (60 s) is longer than the whole call may take.
    let client = builder(&server.base_url)
        .retry_policy(fast_retries().with_deadline(Duration::from_millis(300)))
        .build()
        .unwrap();
    let error = send_raw(&client, Method::GET, &server.base_url, "show_thing")
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error}");
    // The response would come after 2 s; the deadline ended the call before, so no retry
    // could start either.
    assert_eq!(server.requests().await, 1);
}
