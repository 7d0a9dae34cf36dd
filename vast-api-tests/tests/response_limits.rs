//! Bodies at and past the client's size limit (`max_response_bytes`), with a Content-Length,
//! chunked, and endless: read up to the limit, refused one byte past it as a typed
//! `ResponseTooLarge` (never a panic), and never read much further. Loopback only.

use std::io::{self, Write as _};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use httpmock::MockServer;
use reqwest::StatusCode;
use vast_api::types::RotateNotificationWebhookSecretResponse;
use vast_api::{Error, ErrorKind};
use vast_api_tests::MockServerExt;
use vast_api_tests::generated_fixtures::ROTATE_NOTIFICATION_WEBHOOK_SECRET_200;
use vast_api_tests::raw_server::{RawServer, write_chunk};
use vast_api_tests::support::{assert_no_key_in, builder, rotate};

const LIMIT: u64 = 1024;

/// The 200 example padded with trailing spaces (still valid JSON) to `length` bytes.
fn padded_example(length: u64) -> String {
    let body = ROTATE_NOTIFICATION_WEBHOOK_SECRET_200.body;
    let length = usize::try_from(length).unwrap();
    assert!(body.len() <= length);
    format!("{body:length$}")
}

/// The rotation from `base_url` through a client that reads at most [`LIMIT`] bytes.
async fn rotate_limited(base_url: &str) -> Result<RotateNotificationWebhookSecretResponse, Error> {
    let client = builder(base_url).max_response_bytes(LIMIT).build().unwrap();
    rotate(&client, 42).await
}

/// The rotation from `base_url` reads the whole body: the 200 example.
async fn assert_read_whole(base_url: &str) {
    let body = rotate_limited(base_url).await.expect("at the limit");
    assert_eq!(body.webhook.and_then(|w| w.id), Some(42));
}

/// The rotation's error from `base_url`: the body is too large, which the error says without
/// the key.
async fn too_large_error(base_url: &str) -> Error {
    let error = rotate_limited(base_url).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ResponseTooLarge, "{error:?}");
    assert_eq!(error.status(), Some(StatusCode::OK));
    assert!(
        error
            .to_string()
            .contains("larger than the limit of 1024 bytes"),
        "{error}"
    );
    assert_no_key_in(&error);
    error
}

/// A mock server answering the rotation with `body` and its Content-Length.
async fn content_length_server(body: String) -> MockServer {
    let server = MockServer::start_async().await;
    server.rotate_notification_webhook_secret(|_, then| {
        then.into_inner().status(200).body(body);
    });
    server
}

#[tokio::test]
async fn a_body_at_the_limit_is_read() {
    let server = content_length_server(padded_example(LIMIT)).await;
    assert_read_whole(&server.base_url()).await;
}

#[tokio::test]
async fn a_content_length_one_past_the_limit_is_too_large() {
    let server = content_length_server(padded_example(LIMIT + 1)).await;
    let error = too_large_error(&server.base_url()).await;
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
    assert_read_whole(&server.base_url()).await;
}

#[tokio::test]
async fn a_chunked_body_one_past_the_limit_is_too_large() {
    let server = chunked_server(padded_example(LIMIT + 1));
    let error = too_large_error(&server.base_url()).await;
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
    too_large_error(&server.base_url()).await;
    // When the client gave up, the server had got no further than the limit plus what the
    // loopback socket buffers hold (a few MiB), nowhere near the end of the body.
    let sent = sent.load(Ordering::SeqCst);
    assert!(
        sent < 64 << 20,
        "the client kept reading: {sent} bytes sent"
    );
}
