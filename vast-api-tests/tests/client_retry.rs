//! Retries of the client against mock servers: a refusal answered again, `Retry-After`, giving
//! up with the last status, what is never retried, the deadline, streaming bodies, and what
//! each attempt logs. (The policy's pure functions are in `client_retry_policy.rs`, which
//! request is repeated after which failure in `client_retry_per_method.rs`.)

use std::time::{Duration, Instant};

use httpmock::{Mock, MockServer};
use reqwest::StatusCode;
use vast_api::progenitor_client::{ClientHooks, OperationInfo};
use vast_api::types::RotateNotificationWebhookSecretResponse;
use vast_api::{Client, ErrorKind, RetryPolicy};
use vast_api_tests::MockServerExt;
use vast_api_tests::log_capture::{capture_logs, install_log_capture};
use vast_api_tests::support::{KEY, builder, fast_retries, rotate};

const TOO_FREQUENT: &str = "API requests too frequent";

fn client(server: &MockServer, policy: RetryPolicy) -> Client {
    // Before any request, so that no log call site is first seen without the subscriber.
    install_log_capture();
    builder(&server.base_url())
        .retry_policy(policy)
        .build()
        .unwrap()
}

fn ok_body() -> RotateNotificationWebhookSecretResponse {
    RotateNotificationWebhookSecretResponse {
        success: Some(true),
        webhook: None,
    }
}

/// The rotation of webhook `id` answered once with a 429 carrying `headers`.
fn throttled_once<'a>(server: &'a MockServer, id: i64, headers: &[(&str, &str)]) -> Mock<'a> {
    server.rotate_notification_webhook_secret(|when, then| {
        when.id(id);
        let mut then = then.into_inner().status(429);
        for (name, value) in headers {
            then = then.header(*name, *value);
        }
        then.body(TOO_FREQUENT).up_to_n_times(1);
    })
}

/// The rotation of webhook `id` answered with a 200 and `body`.
fn answered<'a>(
    server: &'a MockServer,
    id: i64,
    body: &RotateNotificationWebhookSecretResponse,
) -> Mock<'a> {
    server.rotate_notification_webhook_secret(|when, then| {
        when.id(id);
        then.ok(body);
    })
}

#[tokio::test]
async fn a_plain_text_429_then_200_succeeds_after_two_requests() {
    let server = MockServer::start_async().await;
    let throttled = throttled_once(&server, 42, &[("content-type", "text/plain")]);
    let ok = answered(&server, 42, &ok_body());
    let rotated = rotate(&client(&server, fast_retries()), 42).await.unwrap();
    assert_eq!(rotated.success, Some(true));
    throttled.assert_calls(1);
    ok.assert_calls(1);
}

#[tokio::test]
async fn retry_after_is_waited() {
    let server = MockServer::start_async().await;
    let throttled = throttled_once(&server, 1, &[("retry-after", "1")]);
    let ok = answered(&server, 1, &ok_body());
    let client = client(&server, fast_retries());
    let started = Instant::now();
    rotate(&client, 1).await.unwrap();
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_secs(1), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    throttled.assert_calls(1);
    ok.assert_calls(1);
}

/// A server that keeps answering with a transient status: the client asks as often as the
/// policy allows, then reports the last answer.
struct GivingUp {
    name: &'static str,
    status: u16,
    content_type: &'static str,
    body: &'static str,
    policy: RetryPolicy,
    requests: usize,
    message: &'static str,
    /// The whole error text, where the row checks it.
    text: Option<&'static str>,
}

#[tokio::test]
async fn persistent_transient_statuses_give_up_with_the_last_status() {
    let rows = [
        GivingUp {
            name: "three_503s_give_up_after_exactly_three_requests_with_the_last_status",
            status: 503,
            content_type: "application/json",
            body: r#"{"success": false, "msg": "maintenance"}"#,
            policy: fast_retries(),
            requests: 3,
            message: "maintenance",
            text: None,
        },
        GivingUp {
            name: "persistent_throttling_reports_the_429_and_its_text",
            status: 429,
            content_type: "text/plain; charset=utf-8",
            body: TOO_FREQUENT,
            policy: fast_retries().with_max_attempts(4),
            requests: 4,
            message: TOO_FREQUENT,
            text: Some(
                "rotate_notification_webhook_secret failed: HTTP 429 Too Many Requests: \
                 API requests too frequent",
            ),
        },
    ];
    for row in rows {
        let name = row.name;
        let server = MockServer::start_async().await;
        let failing = server.rotate_notification_webhook_secret(|when, then| {
            when.id(7);
            then.into_inner()
                .status(row.status)
                .header("content-type", row.content_type)
                .body(row.body);
        });
        let error = rotate(&client(&server, row.policy), 7).await.unwrap_err();
        assert_eq!(failing.calls(), row.requests, "{name}: {error}");
        assert_eq!(
            error.status().map(|s| s.as_u16()),
            Some(row.status),
            "{name}"
        );
        assert_eq!(error.kind(), ErrorKind::UnexpectedResponse, "{name}");
        assert_eq!(error.message(), Some(row.message), "{name}");
        if let Some(text) = row.text {
            assert_eq!(error.to_string(), text, "{name}");
        }
    }
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
    let client = client(&server, fast_retries());
    let error = rotate(&client, 400).await.unwrap_err();
    bad_request.assert_calls(1);
    assert_eq!(error.status(), Some(StatusCode::BAD_REQUEST));
    assert_eq!(error.message(), Some("invalid_args"));

    let error = rotate(&client, 404).await.unwrap_err();
    not_found.assert_calls(1);
    assert_eq!(error.kind(), ErrorKind::ErrorResponse);
    assert_eq!(error.message(), Some("No webhook with that id."));
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
    let policy = fast_retries()
        .with_max_attempts(5)
        .with_deadline(Duration::from_secs(5));
    let client = client(&server, policy);
    let started = Instant::now();
    let error = rotate(&client, 1).await.unwrap_err();
    // Waiting the 30 s asked for would pass the deadline: the call ends with the 429 instead.
    assert!(started.elapsed() < Duration::from_secs(30));
    throttled.assert_calls(1);
    assert_eq!(error.status(), Some(StatusCode::TOO_MANY_REQUESTS));
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
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    let error = rotate(&client, 5).await.unwrap_err();
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
    let error = rotate(&client(&server, RetryPolicy::disabled()), 1)
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
    let client = client(&server, fast_retries());
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
    throttled_once(&server, 9, &[]);
    let mut body = ok_body();
    body.webhook = Some(vast_api::types::NotificationWebhookWithSecret {
        webhook_secret: Some("whsec_logged_nowhere".into()),
        ..Default::default()
    });
    answered(&server, 9, &body);
    let log = capture_logs();
    rotate(&client(&server, fast_retries()), 9).await.unwrap();
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
