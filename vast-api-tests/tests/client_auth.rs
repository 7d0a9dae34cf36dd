//! What every request carries (a sensitive `Authorization` header, the user agent), and that
//! neither the API key nor a secret from a response shows up in `Debug` output or errors.

use std::time::Duration;

use httpmock::{Mock, MockServer};
use vast_api::progenitor_client::{ClientHooks, OperationInfo};
use vast_api::types::{NotificationWebhookWithSecret, RotateNotificationWebhookSecretResponse};
use vast_api::{Client, ClientBuilder, DEFAULT_TIMEOUT, DEFAULT_USER_AGENT, Secret};
use vast_api_tests::MockServerExt;
use vast_api_tests::support::{self, KEY, assert_no_key_in, rotate, send_rotation};

const SECRET: &str = "whsec_rotated_0123456789";

fn builder(server: &MockServer) -> ClientBuilder {
    support::builder(&server.base_url())
}

fn rotated() -> RotateNotificationWebhookSecretResponse {
    RotateNotificationWebhookSecretResponse {
        success: Some(true),
        webhook: Some(NotificationWebhookWithSecret {
            id: Some(42),
            name: Some("Ops notifications".into()),
            webhook_secret: Some(Secret::new(SECRET)),
            ..Default::default()
        }),
    }
}

/// A request after the client's `pre` hook, which is where credentials go on.
async fn prepared(client: &Client) -> reqwest::Request {
    let mut request = reqwest::Request::new(
        reqwest::Method::POST,
        "http://127.0.0.1/api/v0/webhooks/1/rotate-secret/"
            .parse()
            .unwrap(),
    );
    let info = OperationInfo {
        operation_id: "rotate_notification_webhook_secret",
    };
    client.pre::<()>(&mut request, &info).await.unwrap();
    request
}

/// The rotation of webhook 42 answered only when it carries the key and `user_agent`.
fn answering_with_credentials<'a>(server: &'a MockServer, user_agent: &str) -> Mock<'a> {
    server.rotate_notification_webhook_secret(|when, then| {
        when.id(42)
            .into_inner()
            .header("authorization", format!("Bearer {KEY}"))
            .header("user-agent", user_agent);
        then.ok(&rotated());
    })
}

#[tokio::test]
async fn every_request_carries_the_key_as_a_bearer_token_and_the_user_agent() {
    let server = MockServer::start_async().await;
    let mock = answering_with_credentials(&server, DEFAULT_USER_AGENT);
    let client = support::client(&server);
    rotate(&client, 42).await.unwrap();
    mock.assert_calls(1);
    assert!(DEFAULT_USER_AGENT.starts_with("vast-api-rust/"));
}

#[tokio::test]
async fn the_authorization_header_is_marked_sensitive() {
    let server = MockServer::start_async().await;
    let request = prepared(&support::client(&server)).await;
    let authorization = &request.headers()["authorization"];
    assert!(authorization.is_sensitive());
    assert_eq!(authorization, &format!("Bearer {KEY}"));
    // So `http`'s own Debug of the headers hides it too.
    assert!(!format!("{:?}", request.headers()).contains(KEY));
}

#[tokio::test]
async fn an_existing_reqwest_client_is_used_as_configured_plus_credentials() {
    let server = MockServer::start_async().await;
    let mock = answering_with_credentials(&server, "my-app/1.0");
    let http = reqwest::Client::builder()
        .user_agent("my-app/1.0")
        .build()
        .unwrap();
    let client = builder(&server).http_client(http.clone()).build().unwrap();
    rotate(&client, 42).await.unwrap();
    mock.assert_calls(1);
    // The default per-request timeout holds for a caller's client too (it has none here),
    // unless turned off.
    assert_eq!(prepared(&client).await.timeout(), Some(&DEFAULT_TIMEOUT));
    let untimed = builder(&server)
        .http_client(http.clone())
        .without_timeout()
        .build()
        .unwrap();
    assert_eq!(prepared(&untimed).await.timeout(), None);

    // Settings made on the builder go on each request.
    let client = builder(&server)
        .http_client(http)
        .user_agent("override/2.0")
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let request = prepared(&client).await;
    assert_eq!(request.headers()["user-agent"], "override/2.0");
    assert_eq!(request.timeout(), Some(&Duration::from_secs(5)));
}

#[test]
fn debug_output_never_shows_the_key() {
    let builder = Client::builder()
        .api_key(KEY)
        .base_url("http://127.0.0.1:1");
    let client = builder.clone().build().unwrap();
    for text in [
        format!("{builder:?}"),
        format!("{client:?}"),
        format!("{client:#?}"),
        format!("{:?}", vast_api::ClientInfo::inner(&client)),
    ] {
        assert!(!text.contains(KEY), "{text}");
        assert!(!text.contains("0123456789"), "{text}");
    }
    assert!(format!("{client:?}").contains("<redacted>"));
}

#[tokio::test]
async fn a_rotated_secret_is_redacted_in_debug_but_kept_in_json() {
    let server = MockServer::start_async().await;
    server.rotate_notification_webhook_secret(|when, then| {
        when.id(42);
        then.ok(&rotated());
    });
    let client = support::client(&server);
    let response = send_rotation(&client, 42).await.unwrap();
    let debug = format!("{response:?} {response:#?} {:?}", response.webhook);
    assert!(!debug.contains(SECRET), "{debug}");
    assert!(
        debug.contains("Ops notifications"),
        "the rest is still shown: {debug}"
    );

    let body = response.into_inner();
    let json = serde_json::to_string(&body).unwrap();
    assert!(json.contains(SECRET), "{json}");
    let secret = body.webhook.and_then(|w| w.webhook_secret).unwrap();
    assert_eq!(secret.expose(), SECRET);
}

#[tokio::test]
async fn errors_never_show_the_key() {
    let server = MockServer::start_async().await;
    server.rotate_notification_webhook_secret(|_, then| {
        then.into_inner().status(403).body("forbidden for this key");
    });
    let error = rotate(&support::client(&server), 1).await.unwrap_err();
    assert_no_key_in(&error);
}

#[test]
fn calls_can_be_spawned() {
    fn assert_send<T: Send>(_: &T) {}
    let client = Client::builder()
        .api_key(KEY)
        .base_url("http://127.0.0.1:1")
        .build()
        .unwrap();
    let call = client.rotate_notification_webhook_secret().id(1).call();
    assert_send(&call);
    let send = client.rotate_notification_webhook_secret().id(1).send();
    assert_send(&send);
}
