//! `rotate_notification_webhook_secret` against the generated httpmock helpers, served with the
//! fixtures generated from the spec's examples.

use httpmock::MockServer;
use vast_api::progenitor_client;
use vast_api::{ErrorKind, types};
use vast_api_tests::generated_fixtures::{
    ROTATE_NOTIFICATION_WEBHOOK_SECRET_200, ROTATE_NOTIFICATION_WEBHOOK_SECRET_401,
    ROTATE_NOTIFICATION_WEBHOOK_SECRET_404,
};
use vast_api_tests::support::{client, rotate, send_rotation};
use vast_api_tests::{Fixture, MockServerExt};

const PATH: &str = "/api/v0/webhooks/42/rotate-secret/";

#[tokio::test]
async fn the_200_example_parses_with_every_documented_value() {
    let server = MockServer::start_async().await;
    let fixture: types::RotateNotificationWebhookSecretResponse =
        ROTATE_NOTIFICATION_WEBHOOK_SECRET_200.typed();
    let mock = server.rotate_notification_webhook_secret(|when, then| {
        // The exact path (trailing slash kept), the method and the Accept header.
        let when = when.id(42).into_inner();
        when.path(PATH).header("accept", "application/json");
        then.ok(&fixture);
    });

    let response = send_rotation(&client(&server), 42).await.expect("200");
    mock.assert_async().await;
    assert_eq!(response.status(), 200);

    let body = response.into_inner();
    assert_eq!(body.success, Some(true));
    let webhook = body.webhook.expect("webhook");
    assert_eq!(webhook.id, Some(42));
    assert_eq!(webhook.user_id, Some(123));
    assert_eq!(webhook.name.as_deref(), Some("Ops notifications"));
    assert_eq!(
        webhook.webhook_url.as_deref(),
        Some("https://example.com/vast/webhooks")
    );
    assert_eq!(
        webhook.event_types.as_deref(),
        Some(
            &[
                "client:low_credit".to_owned(),
                "host:machine_offline".to_owned()
            ][..]
        )
    );
    // Exactly: as f32 these would read 1772489984.
    assert_eq!(webhook.created_at, Some(1_772_490_000.0_f64));
    assert_eq!(webhook.updated_at, Some(1_772_490_000.0_f64));
    let secret = webhook.webhook_secret.as_ref().expect("secret");
    assert_eq!(secret.expose(), "<WEBHOOK_SECRET>");
    assert!(
        !format!("{webhook:?}").contains("<WEBHOOK_SECRET>"),
        "Debug shows the secret"
    );
}

#[tokio::test]
async fn call_returns_the_body() {
    let server = MockServer::start_async().await;
    let fixture: types::RotateNotificationWebhookSecretResponse =
        ROTATE_NOTIFICATION_WEBHOOK_SECRET_200.typed();
    server.rotate_notification_webhook_secret(|when, then| {
        when.id(42);
        then.ok(&fixture);
    });
    let body = rotate(&client(&server), 42).await.expect("200");
    assert_eq!(body, fixture);
}

async fn documented_error(status: u16, fixture: &Fixture) {
    let server = MockServer::start_async().await;
    let fixture: types::Error = fixture.typed();
    server.rotate_notification_webhook_secret(|when, then| {
        when.id(42);
        match status {
            401 => then.unauthorized(&fixture),
            404 => then.not_found(&fixture),
            other => panic!("status {other} is not documented"),
        };
    });
    let client = client(&server);

    let error = send_rotation(&client, 42).await.expect_err("error");
    match error {
        progenitor_client::Error::ErrorResponse(response) => {
            assert_eq!(response.status(), status);
            assert_eq!(response.into_inner(), fixture);
        }
        other => panic!("expected the typed {status} error, got {other}"),
    }

    let error = rotate(&client, 42).await.expect_err("error");
    assert_eq!(error.kind(), ErrorKind::ErrorResponse);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
    assert_eq!(error.operation(), "rotate_notification_webhook_secret");
    assert!(error.to_string().contains(&status.to_string()), "{error}");
}

#[tokio::test]
async fn a_401_is_the_typed_error() {
    documented_error(401, &ROTATE_NOTIFICATION_WEBHOOK_SECRET_401).await;
}

#[tokio::test]
async fn a_404_is_the_typed_error() {
    documented_error(404, &ROTATE_NOTIFICATION_WEBHOOK_SECRET_404).await;
}
