//! What real servers and proxies do that the spec does not describe, each answered with a typed
//! `vast_api::Error` (never a panic): error pages, broken or misshapen bodies, redirects,
//! stalls, truncation and bodies far larger than any real response. Loopback only.

use std::error::Error as _;
use std::io::{self, Write as _};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use httpmock::MockServer;
use reqwest::StatusCode;
use serde_json::error::Category;
use vast_api::{Client, ClientBuilder, Error, ErrorKind, RetryPolicy, types};
use vast_api_tests::MockServerExt;
use vast_api_tests::generated_fixtures::ROTATE_NOTIFICATION_WEBHOOK_SECRET_200;
use vast_api_tests::raw_server::{RawServer, wait_for_client_to_leave, write_chunk};

const KEY: &str = "test-key-0123456789abcdef";
const PATH: &str = "/api/v0/webhooks/42/rotate-secret/";

fn builder(base_url: &str) -> ClientBuilder {
    Client::builder()
        .api_key(KEY)
        .base_url(base_url)
        .retry_policy(RetryPolicy::disabled())
}

async fn call(client: &Client) -> Result<types::RotateNotificationWebhookSecretResponse, Error> {
    client
        .rotate_notification_webhook_secret()
        .id(42)
        .call()
        .await
}

/// The call's error against a server answering every request with `status` and `body`.
async fn error_for_body(status: u16, body: &'static str) -> Error {
    let server = MockServer::start_async().await;
    server.rotate_notification_webhook_secret(|_, then| {
        then.into_inner()
            .status(status)
            .header("content-type", "application/json")
            .body(body);
    });
    let client = builder(&server.base_url()).build().unwrap();
    call(&client).await.expect_err("the body is not valid")
}

/// The serde_json error behind an `InvalidResponse`, anywhere in its chain of sources.
fn json_cause(error: &Error) -> &serde_json::Error {
    let mut cause = error.source();
    while let Some(current) = cause {
        if let Some(json) = current.downcast_ref::<serde_json::Error>() {
            return json;
        }
        cause = current.source();
    }
    panic!("no serde_json error behind {error:?}")
}

fn assert_no_key_in(error: &Error) {
    let text = format!("{error} {error:?}");
    assert!(!text.contains(KEY), "the key leaked: {text}");
}

#[tokio::test]
async fn a_500_html_page_is_an_unexpected_response_with_its_title_and_is_not_retried() {
    let server = MockServer::start_async().await;
    let mock = server.rotate_notification_webhook_secret(|_, then| {
        then.into_inner()
            .status(500)
            .header("content-type", "text/html; charset=utf-8")
            .body(
                "<!doctype html><html><head><title>Internal Server Error</title></head>\
                 <body><h1>Server Error (500)</h1></body></html>",
            );
    });
    // Retries on, as by default: a 500 is not transient, so it is asked once.
    let client = builder(&server.base_url())
        .retry_policy(RetryPolicy::new())
        .build()
        .unwrap();

    let error = call(&client).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::UnexpectedResponse);
    assert_eq!(error.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert_eq!(error.message(), Some("Internal Server Error"));
    assert_eq!(mock.calls_async().await, 1);
    assert_no_key_in(&error);
}

// A body that is not the JSON expected, malformed or of the wrong shape, reaches `call()` as
// progenitor's `InvalidResponsePayload`, which carries no status (`status()` is `None`); the
// SDK's own reader (`payload::json_response`) leaves the body out of it, so no error shows it.

#[tokio::test]
async fn malformed_json_in_a_200_is_an_invalid_response() {
    let error = error_for_body(200, r#"{"success": true, "webhook": {"id": 42,"#).await;
    assert_eq!(error.kind(), ErrorKind::InvalidResponse);
    assert_eq!(error.status(), None);
    assert_eq!(json_cause(&error).classify(), Category::Eof);
    let error = error_for_body(200, r#"{"success": tru}"#).await;
    assert_eq!(error.kind(), ErrorKind::InvalidResponse);
    assert_eq!(json_cause(&error).classify(), Category::Syntax);
    assert_eq!(
        error.to_string(),
        "rotate_notification_webhook_secret failed: the response body is not valid"
    );
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
    let client = builder(&from.base_url()).build().unwrap();

    let error = call(&client).await.unwrap_err();
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

    let body = call(&client).await.expect("followed to the 200");
    assert_eq!(body.webhook.and_then(|w| w.id), Some(42));
    assert_eq!(
        with_key.calls_async().await,
        0,
        "the key was sent to another host"
    );
    assert_eq!(without_key.calls_async().await, 1);
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
    let client = builder(&server.base_url())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();

    let started = Instant::now();
    let error = call(&client).await.unwrap_err();
    assert!(started.elapsed() >= Duration::from_millis(300));
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
    let client = builder(&server.base_url())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();

    let started = Instant::now();
    let error = call(&client).await.unwrap_err();
    assert!(started.elapsed() >= Duration::from_millis(300));
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

    let error = call(&client).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Connect, "{error:?}");
    assert_eq!(error.status(), None);
}

// ---- Bodies larger than the client's limit. ----

const LIMIT: u64 = 1024;

/// The 200 example padded with trailing spaces (still valid JSON) to `length` bytes.
fn padded_example(length: u64) -> String {
    let body = ROTATE_NOTIFICATION_WEBHOOK_SECRET_200.body;
    let length = usize::try_from(length).unwrap();
    assert!(body.len() <= length);
    format!("{body:length$}")
}

fn limited_client(base_url: &str) -> Client {
    builder(base_url).max_response_bytes(LIMIT).build().unwrap()
}

fn assert_too_large(error: &Error) {
    assert_eq!(error.kind(), ErrorKind::ResponseTooLarge, "{error:?}");
    assert_eq!(error.status(), Some(StatusCode::OK));
    assert!(
        error
            .to_string()
            .contains("larger than the limit of 1024 bytes"),
        "{error}"
    );
    assert_no_key_in(error);
}

#[tokio::test]
async fn a_body_at_the_limit_is_read() {
    let server = MockServer::start_async().await;
    let body = padded_example(LIMIT);
    server.rotate_notification_webhook_secret(|_, then| {
        then.into_inner().status(200).body(body);
    });
    let body = call(&limited_client(&server.base_url()))
        .await
        .expect("at the limit");
    assert_eq!(body.webhook.and_then(|w| w.id), Some(42));
}

#[tokio::test]
async fn a_content_length_one_past_the_limit_is_too_large() {
    let server = MockServer::start_async().await;
    let body = padded_example(LIMIT + 1);
    server.rotate_notification_webhook_secret(|_, then| {
        then.into_inner().status(200).body(body);
    });
    let error = call(&limited_client(&server.base_url())).await.unwrap_err();
    assert_too_large(&error);
    assert!(
        error
            .to_string()
            .contains("(1025 bytes by its Content-Length)"),
        "{error}"
    );
}

/// A server sending `body` as a chunked response in 100-byte chunks.
fn chunked_server(body: String) -> RawServer {
    RawServer::start(move |stream| {
        stream.write_all(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
              transfer-encoding: chunked\r\n\r\n",
        )?;
        for chunk in body.as_bytes().chunks(100) {
            write_chunk(stream, chunk)?;
        }
        stream.write_all(b"0\r\n\r\n")
    })
    .unwrap()
}

#[tokio::test]
async fn a_chunked_body_at_the_limit_is_read() {
    let server = chunked_server(padded_example(LIMIT));
    let body = call(&limited_client(&server.base_url()))
        .await
        .expect("at the limit");
    assert_eq!(body.webhook.and_then(|w| w.id), Some(42));
}

#[tokio::test]
async fn a_chunked_body_one_past_the_limit_is_too_large() {
    let server = chunked_server(padded_example(LIMIT + 1));
    let error = call(&limited_client(&server.base_url())).await.unwrap_err();
    assert_too_large(&error);
    assert!(
        error.to_string().contains("reading stopped there"),
        "{error}"
    );
}

#[tokio::test]
async fn an_endless_body_is_cut_off_at_the_limit() {
    // Up to 1 GiB, in 64 KiB chunks, until the client hangs up.
    const CAP: u64 = 1 << 30;
    let sent = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&sent);
    let server = RawServer::start(move |stream| {
        stream.write_all(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")?;
        let chunk = vec![b' '; 64 * 1024];
        while counter.load(Ordering::SeqCst) < CAP {
            write_chunk(stream, &chunk)?;
            counter.fetch_add(chunk.len() as u64, Ordering::SeqCst);
        }
        Err(io::Error::other("the client read the whole cap"))
    })
    .unwrap();
    let client = limited_client(&server.base_url());

    let error = call(&client).await.unwrap_err();
    assert_too_large(&error);
    // When the client gave up, the server had got no further than the limit plus what the
    // loopback socket buffers hold (a few MiB), nowhere near the end of the body.
    let sent = sent.load(Ordering::SeqCst);
    assert!(
        sent < 64 << 20,
        "the client kept reading: {sent} bytes sent"
    );
}
