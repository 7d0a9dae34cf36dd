//! Written against the seed spec (xtask/tests/data/seed.yaml, 2026-07-01): must compile against
//! every later spec, warning-free while nothing it uses was renamed. `.ci/evolution` builds it.

use vast_api::Client;
use vast_api::types::{NotificationWebhook, RotateNotificationWebhookSecretResponse};

fn main() {
    let client = Client::builder()
        .api_key("0123abcd")
        .base_url("http://127.0.0.1:9/")
        .build()
        .expect("a client");
    let request: vast_api::builder::RotateNotificationWebhookSecret<'_> =
        client.rotate_notification_webhook_secret().id(42);
    let _sent = request.call();
    let rotated: Option<RotateNotificationWebhookSecretResponse> = None;
    let hook: Option<NotificationWebhook> = rotated.and_then(|r| r.webhook).map(|w| {
        NotificationWebhook {
            name: w.name,
            ..NotificationWebhook::default()
        }
    });
    let name: Option<String> = hook.and_then(|h| h.name);
    println!("{name:?}");
}
