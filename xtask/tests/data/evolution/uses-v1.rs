//! Written against v1.yaml: must still compile against v2-renamed.yaml, through the deprecated
//! aliases of the renamed operation (with deprecation warnings). `.ci/evolution` builds it.

use vast_api::Client;
use vast_api::types::RotateWebhookSecretResponse;

fn main() {
    let client = Client::builder()
        .api_key("0123abcd")
        .base_url("http://127.0.0.1:9/")
        .build()
        .expect("a client");
    let request: vast_api::builder::RotateWebhookSecret<'_> = client.rotate_webhook_secret().id(42);
    let _sent = request.call();
    let rotated: Option<RotateWebhookSecretResponse> = None;
    println!("{:?}", rotated.and_then(|r| r.secret));
}
