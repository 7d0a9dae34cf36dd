//! What real servers and proxies do that the spec does not describe, each answered with a typed
//! `vast_api::Error` (never a panic): error pages, broken or misshapen bodies, redirects,
//! stalls and truncation. Loopback only. (Bodies past the size limit: `response_limits.rs`.)

use std::io::Write as _;
use std::time::{Duration, Instant};

use httpmock::MockServer;
use reqwest::StatusCode;
use serde_json::error::Category;
use vast_api::{Error, ErrorKind, RetryPolicy, types};
use vast_api_tests::MockServerExt;
use vast_api_tests::generated_fixtures::ROTATE_NOTIFICATION_WEBHOOK_SECRET_200;
use vast_api_tests::raw_server::{RawServer, wait_for_client_to_leave, write_chunk};
use vast_api_tests::support::{KEY, assert_no_key_in, builder, causes, client, rotate};

const PATH: &str = "/api/v0/webhooks/42/rotate-secret/";

/// The call's error against a server answering every request with `status` and `body`.
async fn error_for_body(status: u16, body: &'static str) -> Error {
    let server = MockServer::start_async().await;
    server.rotate_notification_webhook_secret(|_, then| {
        then.into_inner()
            .status(status)
            .header("content-type", "application/json")
            .body(body);
    });
    rotate(&client(&server), 42)
        .await
        .expect_err("the body is not valid")
}

/// The serde_json error behind an `InvalidResponse`, anywhere in its chain of sources.
fn json_cause(error: &Error) -> &serde_json::Error {
    causes(error)
        .find_map(|cause| cause.downcast_ref::<serde_json::Error>())
        .unwrap_or_else(|| panic!("no serde_json error behind {error:?}"))
}

#[tokio::test]
async fn a_500_html_page_is_an_unexpected_response_with_its_title_and_is_not_retried() {
    // (content type, page, its title)
    let pages = [
        (
            "text/html; charset=utf-8",
            "<!doctype html><html><head><title>Internal Server Error</title></head>\
             <body><h1>Server Error (500)</h1></body></html>",
            "Internal Server Error",
        ),
        (
            "text/html",
            "<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head>\
             <body><h1>Internal Server Error</h1><p>The server encountered an internal \
             error.</p></body></html>",
            "500 Internal Server Error",
        ),
    ];
    for (content_type, page, title) in pages {
        let server = MockServer::start_async().await;
        let mock = server.rotate_notification_webhook_secret(|_, then| {
            then.into_inner()
                .status(500)
                .header("content-type", content_type)
                .body(page);
        });
        // Retries on, as by default: a 500 is not transient, so it is asked once.
        let client = builder(&server.base_url())
            .retry_policy(RetryPolicy::new())
            .build()
            .unwrap();

        let error = rotate(&client, 42).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::UnexpectedResponse, "{title}");
        assert_eq!(
            error.status(),
            Some(StatusCode::INTERNAL_SERVER_ERROR),
            "{title}"
        );
        assert_eq!(error.message(), Some(title));
        assert_eq!(mock.calls_async().await, 1, "{title}");
        assert_no_key_in(&error);
    }
}

// A body that is not the JSON expected, malformed or of the wrong shape, reaches `call()` as
// progenitor's `InvalidResponsePayload`, which carries no status (`status()` is `None`); the
// SDK's own reader (`payload::json_response`) leaves the body out of it, so no error shows it.

#[tokio::test]
async fn malformed_or_misshapen_json_in_a_200_is_an_invalid_response() {
    let bodies = [
        (r#"{"success": true, "webhook": {"id": 42,"#, Category::Eof),
        (r#"{"success": tru"#, Category::Eof),
        (r#"{"success": tru}"#, Category::Syntax),
        // `success` is a boolean in the spec.
        (r#"{"success": "yes"}"#, Category::Data),
    ];
    for (body, category) in bodies {
        let error = error_for_body(200, body).await;
        assert_eq!(error.kind(), ErrorKind::InvalidResponse, "{body}");
        assert_eq!(error.status(), None, "{body}");
        assert_eq!(json_cause(&error).classify(), category, "{body}");
        assert_eq!(
            error.to_string(),
            "rotate_notification_webhook_secret failed: the response body is not valid",
            "{body}"
        );
    }
}

#[tokio::test]
async fn an_empty_200_is_an_invalid_response() {
    let error = error_for_body(200, "").await;
    assert_eq!(error.kind(), ErrorKind::InvalidResponse);
    assert_eq!(error.status(), None);
    assert_eq!(json_cause(&error).classify(), Category::Eof);
}

#[tokio::test]
async fn json_of_the_wrong_shape_is_an_invalid_response_naming_the_mismatch_but_not_the_value() {
    // `id` is an integer in the spec.
    let error = error_for_body(200, r#"{"success": true, "webhook": {"id": "42"}}"#).await;
    assert_eq!(error.kind(), ErrorKind::InvalidResponse);
    assert_eq!(error.status(), None);
    let cause = json_cause(&error);
    assert_eq!(cause.classify(), Category::Data);
    assert!(
        cause
            .to_string()
            .contains("invalid type: string <redacted>, expected i64 at line 1 column 40"),
        "{cause}"
    );
}

/// Server A (`127.0.0.1`) redirects to server B, reached as `localhost`: another host.
struct Redirect {
    from: MockServer,
    to: MockServer,
}

impl Redirect {
    async fn start() -> Self {
        let from = MockServer::start_async().await;
        let to = MockServer::start_async().await;
        let location = format!("http://localhost:{}{PATH}", to.port());
        from.rotate_notification_webhook_secret(|when, then| {
            when.into_inner()
                .header("authorization", format!("Bearer {KEY}"));
            then.into_inner()
                .status(302)
                .header("location", location)
                .body("Found. Redirecting");
        });
        Self { from, to }
    }
}

#[tokio::test]
async fn a_redirect_is_reported_with_its_target_and_not_followed() {
    let Redirect { from, to } = Redirect::start().await;
    let reached = to
        .mock_async(|_, then| {
            then.status(200);
        })
        .await;
    let client = client(&from);

    let error = rotate(&client, 42).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::UnexpectedResponse);
    assert_eq!(error.status(), Some(StatusCode::FOUND));
    assert_eq!(error.message(), Some("Found. Redirecting"));
    let target = format!("http://localhost:{}{PATH}", to.port());
    assert!(
        error.to_string().ends_with(&format!(
            "Found. Redirecting; redirected to {target}, which is not followed (check the base URL)"
        )),
        "{error}"
    );
    assert_eq!(reached.calls_async().await, 0, "the redirect was followed");
}

#[tokio::test]
async fn a_caller_client_that_follows_redirects_does_not_take_the_key_off_host() {
    let Redirect { from, to } = Redirect::start().await;
    let with_key = to
        .mock_async(|when, then| {
            when.header_exists("authorization");
            then.status(500);
        })
        .await;
    let without_key = to
        .mock_async(|when, then| {
            when.header_missing("authorization");
            then.status(200)
                .header("content-type", "application/json")
                .body(ROTATE_NOTIFICATION_WEBHOOK_SECRET_200.body);
        })
        .await;
    // reqwest's default policy follows redirects; the SDK uses the caller's client as it is.
    let client = builder(&from.base_url())
        .http_client(reqwest::Client::new())
        .build()
        .unwrap();

    let body = rotate(&client, 42).await.expect("followed to the 200");
    assert_eq!(body.webhook.and_then(|w| w.id), Some(42));
    assert_eq!(
        with_key.calls_async().await,
        0,
        "the key was sent to another host"
    );
    assert_eq!(without_key.calls_async().await, 1);
}

/// The call's error from a client with a 300 ms timeout, which it took at least to come.
async fn error_after_a_300ms_timeout(base_url: &str) -> Error {
    let client = builder(base_url)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = rotate(&client, 42).await.unwrap_err();
    assert!(started.elapsed() >= Duration::from_millis(300));
    error
}

// The rotation is a write: a timeout after sending leaves its outcome unknown.
#[tokio::test]
async fn a_server_that_stalls_past_the_timeout_leaves_the_outcome_unknown() {
    let server = MockServer::start_async().await;
    let mock = server.rotate_notification_webhook_secret(|_, then| {
        then.ok(&types::RotateNotificationWebhookSecretResponse::default())
            .into_inner()
            .delay(Duration::from_secs(3));
    });
    let error = error_after_a_300ms_timeout(&server.base_url()).await;
    assert_eq!(error.kind(), ErrorKind::OutcomeUnknown);
    assert_eq!(error.status(), None);
    assert!(
        error.to_string().starts_with(
            "rotate_notification_webhook_secret failed: it timed out after it was sent"
        ),
        "{error}"
    );
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn a_body_that_stalls_halfway_past_the_timeout_is_a_timeout() {
    let server = RawServer::start(|stream| {
        stream.write_all(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
              transfer-encoding: chunked\r\n\r\n",
        )?;
        write_chunk(stream, br#"{"success": true, "#)?;
        wait_for_client_to_leave(stream)
    })
    .unwrap();
    let error = error_after_a_300ms_timeout(&server.base_url()).await;
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error:?}");
    assert_eq!(error.status(), None);
}

#[tokio::test]
async fn a_connection_closed_before_the_declared_length_is_a_connection_failure() {
    let server = RawServer::start(|stream| {
        stream.write_all(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\
              connection: close\r\n\r\n{\"success\": true",
        )
    })
    .unwrap();
    let client = builder(&server.base_url()).build().unwrap();

    let error = rotate(&client, 42).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Connect, "{error:?}");
    assert_eq!(error.status(), None);
}
