//! `vast_api::Error`: the operation, the status, the server's message and the kind of every
//! failure, from progenitor's errors built by hand and from a loopback server.

use std::error::Error as _;

use httpmock::MockServer;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use vast_api::progenitor_client::{self, ResponseValue};
use vast_api::{Error, ErrorExt, ErrorKind, types};
use vast_api_tests::MockServerExt;
use vast_api_tests::support::{assert_no_key_in, client, rotate, send_rotation};

const OPERATION: &str = "rotate_notification_webhook_secret";

fn error_response<E>(body: E, status: StatusCode) -> progenitor_client::Error<E> {
    progenitor_client::Error::ErrorResponse(ResponseValue::new(body, status, HeaderMap::new()))
}

#[tokio::test]
async fn a_documented_error_body_gives_status_and_message() {
    let body = types::Error {
        error: Some("no_such_webhook".into()),
        msg: Some("Webhook 42 not found.".into()),
        success: Some(false),
    };
    let error = error_response(body.clone(), StatusCode::NOT_FOUND);
    assert_eq!(
        error.server_message().as_deref(),
        Some("Webhook 42 not found.")
    );

    let error = Error::from_progenitor(OPERATION, error).await;
    assert_eq!(error.operation(), OPERATION);
    assert_eq!(error.kind(), ErrorKind::ErrorResponse);
    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(error.message(), Some("Webhook 42 not found."));
    assert_eq!(
        error.to_string(),
        "rotate_notification_webhook_secret failed: HTTP 404 Not Found: Webhook 42 not found."
    );
    assert!(error.source().is_none());

    // Without `msg`, `error` is the message; without either, there is none.
    let only_code = types::Error { msg: None, ..body };
    let error = Error::from_progenitor(
        OPERATION,
        error_response(only_code, StatusCode::UNAUTHORIZED),
    )
    .await;
    assert_eq!(error.message(), Some("no_such_webhook"));
    let bare = types::Error::default();
    let error =
        Error::from_progenitor(OPERATION, error_response(bare, StatusCode::UNAUTHORIZED)).await;
    assert_eq!(error.message(), None);
    assert_eq!(
        error.to_string(),
        "rotate_notification_webhook_secret failed: HTTP 401 Unauthorized"
    );
}

#[tokio::test]
async fn any_serialisable_error_body_works() {
    #[derive(serde::Serialize)]
    struct Framework {
        detail: &'static str,
    }
    let error = error_response(
        Framework {
            detail: "Not Found",
        },
        StatusCode::NOT_FOUND,
    );
    assert_eq!(error.server_message().as_deref(), Some("Not Found"));
    let error = Error::from_progenitor("get_thing", error).await;
    assert_eq!(error.message(), Some("Not Found"));

    let error = error_response((), StatusCode::CONFLICT);
    assert_eq!(error.server_message(), None);
    assert_eq!(Error::from_progenitor("x", error).await.message(), None);
}

#[tokio::test]
async fn send_errors_convert_through_map_err_style_code() {
    let server = MockServer::start_async().await;
    server.rotate_notification_webhook_secret(|when, then| {
        when.id(3);
        then.unauthorized(&types::Error {
            msg: Some("Invalid API key.".into()),
            ..Default::default()
        });
    });
    let client = client(&server);
    let result = send_rotation(&client, 3).await;
    let error = result.unwrap_err();
    assert_eq!(error.server_message().as_deref(), Some("Invalid API key."));
    let error = Error::from_progenitor(OPERATION, error).await;
    assert_eq!(error.status(), Some(StatusCode::UNAUTHORIZED));
    assert_eq!(error.message(), Some("Invalid API key."));
    assert_no_key_in(&error);
}

#[tokio::test]
async fn a_huge_text_body_is_read_only_in_part_and_shortened() {
    let server = MockServer::start_async().await;
    let body = format!("boom {}", "x".repeat(4 * 1024 * 1024));
    server.rotate_notification_webhook_secret(move |_, then| {
        then.into_inner().status(502).body(body);
    });
    let error = rotate(&client(&server), 1).await.unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::BAD_GATEWAY));
    let message = error.message().unwrap();
    assert!(message.starts_with("boom xxx"), "{message}");
    assert!(message.chars().count() <= 300, "{}", message.len());
}

#[tokio::test]
async fn an_undocumented_success_status_is_an_unexpected_response() {
    let server = MockServer::start_async().await;
    server.rotate_notification_webhook_secret(|_, then| {
        then.into_inner().status(204);
    });
    let error = rotate(&client(&server), 1).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::UnexpectedResponse);
    assert_eq!(error.status(), Some(StatusCode::NO_CONTENT));
    assert_eq!(error.message(), None);
}

#[tokio::test]
async fn a_missing_parameter_is_an_invalid_request() {
    let server = MockServer::start_async().await;
    let error = client(&server)
        .rotate_notification_webhook_secret()
        .call()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidRequest);
    assert_eq!(error.status(), None);
    assert_eq!(
        error.to_string(),
        "rotate_notification_webhook_secret failed: invalid request: id was not initialized"
    );
}

#[tokio::test]
async fn hook_errors_are_other() {
    let error = progenitor_client::Error::<()>::Custom("hook said no".into());
    let error = Error::from_progenitor(OPERATION, error).await;
    assert_eq!(error.kind(), ErrorKind::Other);
    assert_eq!(error.message(), None, "not the server's message");
    assert_eq!(
        error.to_string(),
        "rotate_notification_webhook_secret failed: hook said no"
    );
}
