//! Retries: the pure policy and classifier first, then the client against loopback servers:
//! which failure is retried for which request (a table per method: a write is sent again only
//! when it provably did not reach the API, otherwise it fails with `OutcomeUnknown` after one
//! request), `Retry-After`, giving up, the deadline, streaming bodies, and what each attempt
//! logs.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Once};
use std::thread::ThreadId;
use std::time::{Duration, Instant, UNIX_EPOCH};

use httpmock::MockServer;
use reqwest::StatusCode;
use vast_api::progenitor_client::{ClientHooks, OperationInfo};
use vast_api::retry::{
    GATEWAY_STATUSES, REFUSED_STATUSES, RetryReason, classify_status, is_transient_status,
    may_retry, parse_retry_after,
};
use vast_api::types::RotateNotificationWebhookSecretResponse;
use vast_api::{Client, ClientBuilder, ErrorKind, RetryPolicy};
use vast_api_tests::MockServerExt;
use vast_api_tests::raw_server::RawServer;

const KEY: &str = "test-key-0123456789abcdef";
const TOO_FREQUENT: &str = "API requests too frequent";

/// Retries without the default half-second waits, to keep the suite fast.
fn fast_policy() -> RetryPolicy {
    RetryPolicy::new()
        .with_initial_backoff(Duration::from_millis(10))
        .with_max_backoff(Duration::from_millis(20))
}

fn client(server: &MockServer, policy: RetryPolicy) -> Client {
    builder(&server.base_url())
        .retry_policy(policy)
        .build()
        .unwrap()
}

fn builder(base_url: &str) -> ClientBuilder {
    // Before any request, so that no log call site is first seen without the subscriber.
    install_log_capture();
    Client::builder().api_key(KEY).base_url(base_url)
}

fn ok_body() -> RotateNotificationWebhookSecretResponse {
    RotateNotificationWebhookSecretResponse {
        success: Some(true),
        webhook: None,
    }
}

// ---- The policy: pure functions, no sleeping. ----

#[test]
fn backoff_doubles_up_to_the_cap() {
    let policy = RetryPolicy::new()
        .with_initial_backoff(Duration::from_millis(100))
        .with_max_backoff(Duration::from_millis(350));
    let backoffs: Vec<_> = (1..=5).map(|n| policy.backoff(n).as_millis()).collect();
    assert_eq!(backoffs, [100, 200, 350, 350, 350]);
    // Huge attempt numbers and caps saturate instead of overflowing.
    let policy = RetryPolicy::new().with_max_backoff(Duration::MAX);
    assert!(policy.backoff(u32::MAX) > Duration::from_secs(1_000_000));
    assert!(policy.wait(u32::MAX, None, 0.999) > Duration::ZERO);
}

#[test]
fn jitter_picks_between_half_and_all_of_the_backoff() {
    let policy = RetryPolicy::new().with_initial_backoff(Duration::from_millis(400));
    assert_eq!(policy.wait(1, None, 0.0), Duration::from_millis(200));
    assert_eq!(policy.wait(1, None, 0.5), Duration::from_millis(300));
    assert_eq!(policy.wait(2, None, 0.0), Duration::from_millis(400));
    for jitter in [0.999_999, 1.0, 7.0] {
        assert!(policy.wait(1, None, jitter) <= Duration::from_millis(400));
    }
    // Nonsense samples do not panic.
    for jitter in [f64::NAN, f64::INFINITY, -1.0] {
        assert_eq!(policy.wait(1, None, jitter), Duration::from_millis(200));
    }
}

#[test]
fn retry_after_wins_over_backoff_and_is_capped() {
    let policy = RetryPolicy::new();
    let after = |secs| Some(Duration::from_secs(secs));
    assert_eq!(policy.wait(1, after(7), 0.3), Duration::from_secs(7));
    assert_eq!(policy.wait(1, after(0), 0.3), Duration::ZERO);
    assert_eq!(policy.wait(2, after(3600), 0.3), Duration::from_secs(60));
    let policy = policy.with_max_retry_after(Duration::from_secs(5));
    assert_eq!(policy.wait(1, after(30), 0.3), Duration::from_secs(5));
}

#[test]
fn attempts_default_to_three_and_can_be_turned_off() {
    assert_eq!(RetryPolicy::default().max_attempts(), 3);
    assert_eq!(RetryPolicy::disabled().max_attempts(), 1);
    assert_eq!(RetryPolicy::new().with_max_attempts(0).max_attempts(), 1);
}

#[test]
fn retry_after_in_seconds_and_as_an_http_date() {
    let now = UNIX_EPOCH + Duration::from_secs(1_772_490_000);
    assert_eq!(
        parse_retry_after("120", now),
        Some(Duration::from_secs(120))
    );
    assert_eq!(parse_retry_after(" 1 ", now), Some(Duration::from_secs(1)));
    // IMF-fixdate, and the obsolete RFC 850 and asctime forms.
    for date in [
        "Mon, 02 Mar 2026 22:20:30 GMT",
        "Monday, 02-Mar-26 22:20:30 GMT",
        "Mon Mar  2 22:20:30 2026",
    ] {
        assert_eq!(
            parse_retry_after(date, now),
            Some(Duration::from_secs(30)),
            "{date}"
        );
    }
    assert_eq!(
        parse_retry_after("Mon, 02 Mar 2026 22:00:00 GMT", now),
        Some(Duration::ZERO),
        "a date in the past means now"
    );
    for junk in ["", "-1", "1.5", "soon", "Mon, 99 Foo 2026"] {
        assert_eq!(parse_retry_after(junk, now), None, "{junk:?}");
    }
}

#[test]
fn only_429_502_503_504_are_transient_statuses() {
    let transient: Vec<u16> = (100..600)
        .filter(|&code| StatusCode::from_u16(code).is_ok_and(is_transient_status))
        .collect();
    assert_eq!(transient, [429, 502, 503, 504]);
}

#[test]
fn refusals_are_retried_for_every_request_and_gateway_failures_only_if_safe() {
    assert_eq!(REFUSED_STATUSES.map(|s| s.as_u16()), [429, 503]);
    assert_eq!(GATEWAY_STATUSES.map(|s| s.as_u16()), [502, 504]);
    for status in REFUSED_STATUSES {
        let reason = classify_status(status).expect("transient");
        assert_eq!(reason, RetryReason::Refused(status));
        assert!(may_retry(reason, false) && may_retry(reason, true));
    }
    for status in GATEWAY_STATUSES {
        let reason = classify_status(status).expect("transient");
        assert_eq!(reason, RetryReason::Gateway(status));
        assert!(!may_retry(reason, false) && may_retry(reason, true));
    }
    assert!(may_retry(RetryReason::NotSent, false));
    for reason in [RetryReason::Timeout, RetryReason::ConnectionLost] {
        assert!(!reason.took_no_effect());
        assert!(!may_retry(reason, false) && may_retry(reason, true));
    }
}

#[test]
fn only_get_head_and_declared_operations_are_safe_to_repeat() {
    use reqwest::Method;
    let policy = RetryPolicy::default().safe_to_repeat(["show_instance"]);
    assert!(policy.is_safe_to_repeat(&Method::GET, "anything"));
    assert!(policy.is_safe_to_repeat(&Method::HEAD, "anything"));
    assert!(policy.is_safe_to_repeat(&Method::POST, "show_instance"));
    for method in [Method::POST, Method::PUT, Method::DELETE, Method::PATCH] {
        assert!(
            !policy.is_safe_to_repeat(&method, "create_instance"),
            "{method}"
        );
    }
    let more = policy.safe_to_repeat([String::from("create_instance")]);
    assert!(more.is_safe_to_repeat(&Method::PUT, "create_instance"));
    assert!(more.is_safe_to_repeat(&Method::PUT, "show_instance"));
}

#[test]
fn the_deadline_defaults_to_two_minutes() {
    assert_eq!(
        RetryPolicy::default().deadline(),
        Some(Duration::from_secs(120))
    );
    assert_eq!(
        RetryPolicy::disabled().deadline(),
        Some(Duration::from_secs(120))
    );
    let policy = RetryPolicy::new().with_deadline(Duration::from_secs(5));
    assert_eq!(policy.deadline(), Some(Duration::from_secs(5)));
    assert_eq!(policy.without_deadline().deadline(), None);
}

// ---- The client. ----

#[tokio::test]
async fn a_plain_text_429_then_200_succeeds_after_two_requests() {
    let server = MockServer::start_async().await;
    let throttled = server.rotate_notification_webhook_secret(|when, then| {
        when.id(42);
        then.into_inner()
            .status(429)
            .header("content-type", "text/plain")
            .body(TOO_FREQUENT)
            .up_to_n_times(1);
    });
    let ok = server.rotate_notification_webhook_secret(|when, then| {
        when.id(42);
        then.ok(&ok_body());
    });
    let client = client(&server, fast_policy());
    let rotated = client
        .rotate_notification_webhook_secret()
        .id(42)
        .call()
        .await
        .unwrap();
    assert_eq!(rotated.success, Some(true));
    throttled.assert_calls(1);
    ok.assert_calls(1);
}

#[tokio::test]
async fn retry_after_is_waited() {
    let server = MockServer::start_async().await;
    let throttled = server.rotate_notification_webhook_secret(|when, then| {
        when.id(1);
        then.into_inner()
            .status(429)
            .header("retry-after", "1")
            .body(TOO_FREQUENT)
            .up_to_n_times(1);
    });
    let ok = server.rotate_notification_webhook_secret(|when, then| {
        when.id(1);
        then.ok(&ok_body());
    });
    let client = client(&server, fast_policy());
    let started = Instant::now();
    client
        .rotate_notification_webhook_secret()
        .id(1)
        .call()
        .await
        .unwrap();
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_secs(1), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    throttled.assert_calls(1);
    ok.assert_calls(1);
}

#[tokio::test]
async fn three_503s_give_up_after_exactly_three_requests_with_the_last_status() {
    let server = MockServer::start_async().await;
    let unavailable = server.rotate_notification_webhook_secret(|when, then| {
        when.id(7);
        then.into_inner()
            .status(503)
            .header("content-type", "application/json")
            .body(r#"{"success": false, "msg": "maintenance"}"#);
    });
    let client = client(&server, fast_policy());
    let error = client
        .rotate_notification_webhook_secret()
        .id(7)
        .call()
        .await
        .unwrap_err();
    unavailable.assert_calls(3);
    assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(error.kind(), ErrorKind::UnexpectedResponse);
    assert_eq!(error.message(), Some("maintenance"));
}

#[tokio::test]
async fn persistent_throttling_reports_the_429_and_its_text() {
    let server = MockServer::start_async().await;
    let throttled = server.rotate_notification_webhook_secret(|when, then| {
        when.id(7);
        then.into_inner()
            .status(429)
            .header("content-type", "text/plain; charset=utf-8")
            .body(TOO_FREQUENT);
    });
    let client = client(&server, fast_policy().with_max_attempts(4));
    let error = client
        .rotate_notification_webhook_secret()
        .id(7)
        .call()
        .await
        .unwrap_err();
    throttled.assert_calls(4);
    assert_eq!(error.status(), Some(StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(error.message(), Some(TOO_FREQUENT));
    assert_eq!(
        error.to_string(),
        "rotate_notification_webhook_secret failed: HTTP 429 Too Many Requests: API requests too frequent"
    );
}

#[tokio::test]
async fn other_client_errors_are_not_retried() {
    let server = MockServer::start_async().await;
    let bad_request = server.rotate_notification_webhook_secret(|when, then| {
        when.id(400);
        then.into_inner()
            .status(400)
            .json_body(serde_json::json!({"success": false, "error": "invalid_args"}));
    });
    let not_found = server.rotate_notification_webhook_secret(|when, then| {
        when.id(404);
        then.not_found(&vast_api::types::Error {
            msg: Some("No webhook with that id.".into()),
            ..Default::default()
        });
    });
    let client = client(&server, fast_policy());
    let error = client
        .rotate_notification_webhook_secret()
        .id(400)
        .call()
        .await
        .unwrap_err();
    bad_request.assert_calls(1);
    assert_eq!(error.status(), Some(StatusCode::BAD_REQUEST));
    assert_eq!(error.message(), Some("invalid_args"));

    let error = client
        .rotate_notification_webhook_secret()
        .id(404)
        .call()
        .await
        .unwrap_err();
    not_found.assert_calls(1);
    assert_eq!(error.kind(), ErrorKind::ErrorResponse);
    assert_eq!(error.message(), Some("No webhook with that id."));
}

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
}

fn failing_client(base_url: &str, policy: RetryPolicy) -> Client {
    builder(base_url)
        .timeout(Duration::from_millis(200))
        .retry_policy(policy)
        .build()
        .unwrap()
}

/// The rotation `POST` is sent again only after a refusal (429, 503); after anything that may
/// have reached the API it fails at once with `OutcomeUnknown`, so a secret it may have
/// created is never replaced by a second one.
#[tokio::test]
async fn a_post_is_repeated_only_when_refused() {
    for failure in FAILURES {
        let server = FailingServer::start(failure).await;
        let client = failing_client(&server.base_url, fast_policy());
        let error = client
            .rotate_notification_webhook_secret()
            .id(3)
            .call()
            .await
            .unwrap_err();
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
    let server = FailingServer::start(Failure::Timeout).await;
    let client = failing_client(&server.base_url, fast_policy());
    let error = client
        .rotate_notification_webhook_secret()
        .id(5)
        .call()
        .await
        .unwrap_err();
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

    let server = FailingServer::start(Failure::ResetAfterSend).await;
    let client = failing_client(&server.base_url, fast_policy());
    let error = client
        .rotate_notification_webhook_secret()
        .id(5)
        .call()
        .await
        .unwrap_err();
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
    method: reqwest::Method,
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

#[tokio::test]
async fn a_get_is_repeated_after_every_transient_failure() {
    for method in [reqwest::Method::GET, reqwest::Method::HEAD] {
        for failure in FAILURES {
            let server = FailingServer::start(failure).await;
            let client = failing_client(&server.base_url, fast_policy());
            let outcome = send_raw(&client, method.clone(), &server.base_url, "show_thing").await;
            let requests = if let Failure::Status(500) = failure {
                1
            } else {
                3
            };
            assert_eq!(
                server.requests().await,
                requests,
                "{method} {failure:?}: {outcome:?}"
            );
        }
    }
}

#[tokio::test]
async fn puts_and_deletes_are_writes_too() {
    for method in [
        reqwest::Method::PUT,
        reqwest::Method::DELETE,
        reqwest::Method::PATCH,
    ] {
        for failure in FAILURES {
            let server = FailingServer::start(failure).await;
            let client = failing_client(&server.base_url, fast_policy());
            let outcome = send_raw(&client, method.clone(), &server.base_url, "put_thing").await;
            let requests = if let Failure::Status(429 | 503) = failure {
                3
            } else {
                1
            };
            assert_eq!(
                server.requests().await,
                requests,
                "{method} {failure:?}: {outcome:?}"
            );
        }
    }
}

#[tokio::test]
async fn operations_declared_safe_to_repeat_are_repeated_after_any_transient_failure() {
    for failure in [Failure::Status(502), Failure::Status(504), Failure::Timeout] {
        let server = FailingServer::start(failure).await;
        let policy = fast_policy().safe_to_repeat(["rotate_notification_webhook_secret"]);
        let client = failing_client(&server.base_url, policy);
        let error = client
            .rotate_notification_webhook_secret()
            .id(3)
            .call()
            .await
            .unwrap_err();
        assert_eq!(server.requests().await, 3, "{failure:?}: {error}");
    }
}

#[tokio::test]
async fn the_deadline_stops_retries_that_would_end_past_it() {
    let server = MockServer::start_async().await;
    let throttled = server.rotate_notification_webhook_secret(|_, then| {
        then.into_inner()
            .status(429)
            .header("retry-after", "30")
            .body(TOO_FREQUENT);
    });
    let policy = fast_policy()
        .with_max_attempts(5)
        .with_deadline(Duration::from_secs(5));
    let client = client(&server, policy);
    let started = Instant::now();
    let error = client
        .rotate_notification_webhook_secret()
        .id(1)
        .call()
        .await
        .unwrap_err();
    // Waiting the 30 s asked for would pass the deadline: the call ends with the 429 instead.
    assert!(started.elapsed() < Duration::from_secs(30));
    throttled.assert_calls(1);
    assert_eq!(error.status(), Some(StatusCode::TOO_MANY_REQUESTS));
}

#[tokio::test]
async fn the_deadline_cuts_an_attempt_short() {
    let server = FailingServer::start(Failure::Timeout).await;
    // The attempt's own timeout (60 s) is longer than the whole call may take.
    let client = builder(&server.base_url)
        .retry_policy(fast_policy().with_deadline(Duration::from_millis(300)))
        .build()
        .unwrap();
    let error = send_raw(
        &client,
        reqwest::Method::GET,
        &server.base_url,
        "show_thing",
    )
    .await
    .unwrap_err();
    assert!(error.is_timeout(), "{error}");
    // The response would come after 2 s; the deadline ended the call before, so no retry
    // could start either.
    assert_eq!(server.requests().await, 1);
}

#[tokio::test]
async fn refused_connections_are_retried_then_reported() {
    // A port nothing listens on: bind one, then free it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let log = capture_logs();
    let client = builder(&format!("http://127.0.0.1:{port}"))
        .retry_policy(fast_policy())
        .build()
        .unwrap();
    let error = client
        .rotate_notification_webhook_secret()
        .id(5)
        .call()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Connect);
    let retries = log
        .events()
        .iter()
        .filter(|e| e.contains("retrying"))
        .count();
    assert_eq!(retries, 2);
}

#[tokio::test]
async fn retries_can_be_turned_off() {
    let server = MockServer::start_async().await;
    let unavailable = server.rotate_notification_webhook_secret(|_, then| {
        then.into_inner().status(503);
    });
    let client = client(&server, RetryPolicy::disabled());
    let error = client
        .rotate_notification_webhook_secret()
        .id(1)
        .call()
        .await
        .unwrap_err();
    unavailable.assert_calls(1);
    assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
}

#[tokio::test]
async fn a_streaming_body_is_sent_once() {
    let server = MockServer::start_async().await;
    let source = server.mock(|when, then| {
        when.path("/source");
        then.body("streamed request body");
    });
    let unavailable = server.mock(|when, then| {
        when.path("/upload");
        then.status(503);
    });
    let client = client(&server, fast_policy());
    // A response body turned into a request body is a stream, which cannot be cloned.
    let streamed = reqwest::get(server.url("/source")).await.unwrap();
    let mut request = reqwest::Request::new(
        reqwest::Method::POST,
        server.url("/upload").parse().unwrap(),
    );
    *request.body_mut() = Some(reqwest::Body::from(streamed));
    assert!(request.try_clone().is_none());
    let info = OperationInfo {
        operation_id: "upload",
    };
    let response = client.exec(request, &info).await.unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    source.assert_calls(1);
    unavailable.assert_calls(1);
}

#[tokio::test]
async fn each_attempt_is_logged_without_secrets() {
    let server = MockServer::start_async().await;
    server.rotate_notification_webhook_secret(|when, then| {
        when.id(9);
        then.into_inner()
            .status(429)
            .body(TOO_FREQUENT)
            .up_to_n_times(1);
    });
    server.rotate_notification_webhook_secret(|when, then| {
        when.id(9);
        let mut body = ok_body();
        body.webhook = Some(vast_api::types::NotificationWebhookWithSecret {
            webhook_secret: Some("whsec_logged_nowhere".into()),
            ..Default::default()
        });
        then.ok(&body);
    });
    let log = capture_logs();
    let client = client(&server, fast_policy());
    client
        .rotate_notification_webhook_secret()
        .id(9)
        .call()
        .await
        .unwrap();
    let log = log.events();
    assert_eq!(log.len(), 2, "{log:#?}");
    let retry = &log[0];
    for field in [
        "operation=\"rotate_notification_webhook_secret\"",
        "attempt=1",
        "status=429",
        "wait_ms=",
    ] {
        assert!(retry.contains(field), "{field} missing from {retry}");
    }
    assert!(
        log[1].contains("attempt=2") && log[1].contains("status=200"),
        "{}",
        log[1]
    );
    for event in log.iter() {
        assert!(!event.contains(KEY) && !event.contains("whsec_"), "{event}");
    }
}

// ---- A minimal `tracing` subscriber recording this crate's events as text. ----
//
// It is the global default rather than a per-test scoped one: with scoped subscribers, a log
// call site first reached by a test running in parallel without one can be cached as
// uninteresting, and its events lost.

static EVENTS: Mutex<Vec<(ThreadId, String)>> = Mutex::new(Vec::new());

fn install_log_capture() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let _ = tracing::subscriber::set_global_default(Capture);
    });
}

/// The `vast_api` events logged on this thread from now on. (`#[tokio::test]` runs the test
/// on one thread, so the client's events land there.)
fn capture_logs() -> Log {
    install_log_capture();
    Log {
        thread: std::thread::current().id(),
        from: EVENTS.lock().unwrap().len(),
    }
}

struct Log {
    thread: ThreadId,
    from: usize,
}

impl Log {
    fn events(&self) -> Vec<String> {
        let events = EVENTS.lock().unwrap();
        events[self.from..]
            .iter()
            .filter(|(thread, _)| *thread == self.thread)
            .map(|(_, event)| event.clone())
            .collect()
    }
}

struct Capture;

impl tracing::Subscriber for Capture {
    fn enabled(&self, metadata: &tracing::Metadata<'_>) -> bool {
        metadata.target().starts_with("vast_api")
    }

    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }

    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}

    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}

    fn event(&self, event: &tracing::Event<'_>) {
        struct Fields(String);
        impl tracing::field::Visit for Fields {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                let _ = write!(self.0, "{}={:?} ", field.name(), value);
            }
        }
        let mut fields = Fields(format!("{} ", event.metadata().level()));
        event.record(&mut fields);
        if let Ok(mut events) = EVENTS.lock() {
            events.push((std::thread::current().id(), fields.0));
        }
    }

    fn enter(&self, _: &tracing::span::Id) {}

    fn exit(&self, _: &tracing::span::Id) {}
}
