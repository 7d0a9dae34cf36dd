//! No error from `send()` or `call()` shows a secret from the response, nor a URL's query, in
//! `Display` or `Debug`, whichever way the response is broken.

use httpmock::MockServer;
use vast_api::{Client, Error, ErrorKind};
use vast_api_tests::MockServerExt;
use vast_api_tests::support::{KEY, causes, client, rotate, send_rotation};

const SECRET: &str = "whsec_LEAKCHECK";

/// A server answering the rotation with a 200 and `body`, as JSON.
async fn serving(body: &'static str) -> MockServer {
    let server = MockServer::start_async().await;
    server.rotate_notification_webhook_secret(|_, then| {
        then.into_inner()
            .status(200)
            .header("content-type", "application/json")
            .body(body);
    });
    server
}

fn assert_clean(what: &str, text: &str) {
    assert!(!text.contains(SECRET), "{what} shows the secret: {text}");
    assert!(!text.contains(KEY), "{what} shows the key: {text}");
}

/// `{e}`, `{e:#}` (progenitor's adds the chain of sources) and `{e:?}`.
fn renderings(error: &(impl std::fmt::Display + std::fmt::Debug)) -> [String; 3] {
    [
        format!("{error}"),
        format!("{error:#}"),
        format!("{error:?}"),
    ]
}

/// The rotation's error through `call()`: an `InvalidResponse` whose renderings are clean.
async fn invalid_response_through_call(client: &Client) -> Error {
    let error = rotate(client, 1).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidResponse);
    for text in renderings(&error) {
        assert_clean("call()", &text);
    }
    error
}

#[tokio::test]
async fn a_truncated_rotation_answer_leaks_through_neither_send_nor_call() {
    let server =
        serving(r#"{"success": true, "webhook": {"webhook_secret": "whsec_LEAKCHECK", "#).await;
    let client = client(&server);

    let error = invalid_response_through_call(&client).await;
    // Every error in the chain too, as a logger printing causes would show them.
    for cause in causes(&error) {
        assert_clean("a cause of call()'s error", &format!("{cause} {cause:?}"));
    }

    let error = send_rotation(&client, 1)
        .await
        .expect_err("the body is cut short");
    assert!(
        matches!(
            &error,
            vast_api::progenitor_client::Error::InvalidResponsePayload(body, _) if body.is_empty()
        ),
        "{error:?}"
    );
    for text in renderings(&error) {
        assert_clean("send()", &text);
    }
}

/// JSON of the wrong shape parses as JSON, so the generated `send()` reads it with the SDK's
/// own function: progenitor's error would keep the body, and serde's message would quote the
/// string where an object belongs.
#[tokio::test]
async fn a_misshapen_rotation_answer_leaks_through_neither_send_nor_call() {
    let server = serving(r#"{"success": true, "webhook": "whsec_LEAKCHECK"}"#).await;
    let error = invalid_response_through_call(&client(&server)).await;
    let cause = std::error::Error::source(&error).expect("the serde error");
    assert!(
        cause
            .to_string()
            .contains("invalid type: string <redacted>"),
        "{cause}"
    );

    let error = send_rotation(&client(&server), 1)
        .await
        .expect_err("the body has the wrong shape");
    let vast_api::progenitor_client::Error::InvalidResponsePayload(body, serde_error) = &error
    else {
        panic!("expected InvalidResponsePayload, got {error:?}");
    };
    assert!(body.is_empty(), "the body is kept in the error");
    assert!(
        serde_error
            .to_string()
            .contains("invalid type: string <redacted>"),
        "{serde_error}"
    );
    for text in renderings(&error) {
        assert_clean("send()", &text);
    }
}
