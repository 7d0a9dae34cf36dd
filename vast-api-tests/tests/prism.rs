//! The SDK against an independent mock server: Stoplight Prism serving the vendored spec with
//! its additions and corrections applied (`spec/openapi.corrected.json`, generated from
//! `openapi/openapi.yaml`, `openapi/additions.yaml` and `openapi/corrections.yaml`: the requests
//! the SDK really sends) on
//! 127.0.0.1. Prism answers from the spec alone (its examples, its security scheme) and
//! validates each request against it, so this checks the generated client against a reading
//! of the spec that is not ours: every operation, called with the spec's example parameters.
//!
//! `cargo test -p vast-api-tests --test prism` runs it. The first run installs Prism with npm
//! into `<workspace>/.tools/prism/<version>/` (about 20 s); later runs reuse it. Without Node.js
//! and npm it prints why it skipped and passes; any other failure, an npm install that fails
//! included, fails the test.

mod prism_support;

use std::io::Write as _;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};
use vast_api::progenitor_client::{ClientInfo as _, Error as SendError, ResponseValue};
use vast_api::{Client, ClientContext, ErrorKind, types};
use vast_api_tests::generated_calls::{OPERATIONS, call};
use vast_api_tests::generated_fixtures::ROTATE_NOTIFICATION_WEBHOOK_SECRET_200;
use vast_api_tests::support::{builder, rotate, send_rotation};

use prism_support::{Prism, prism_binary, workspace};

/// What Prism serves, relative to the workspace.
const SERVED_SPEC: &str = "vast-api-tests/spec/openapi.corrected.json";

/// Prism's header listing what in the request (or its own response) breaks the spec.
const VIOLATIONS: &str = "sl-violations";

#[test]
fn the_sdk_against_prism() {
    let Some(prism) = prism_binary() else {
        return;
    };
    let server = Prism::start(&prism, &workspace().join(SERVED_SPEC));
    let base_url = server.base_url();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        every_operation_sends_a_valid_request_and_parses_the_answer(&base_url).await;
        with_a_key_the_200_example_parses(&base_url).await;
        without_a_key_prism_answers_the_typed_401(&base_url).await;
        prefer_code_404_gives_the_typed_404(&base_url).await;
    });
    // `server` is dropped here, or while unwinding from a failed assertion: Prism stops either way.
}

/// How many operations the document Prism serves has (the published ones and the additions).
fn served_operations() -> usize {
    let text = std::fs::read_to_string(workspace().join(SERVED_SPEC)).expect("the served spec");
    let spec: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    spec["paths"]
        .as_object()
        .expect("paths")
        .values()
        .flat_map(|item| item.as_object().expect("a path item").keys())
        .filter(|key| ["get", "put", "post", "delete", "patch", "head"].contains(&key.as_str()))
        .count()
}

/// Each operation, with the spec's example parameters and body: Prism finds nothing wrong with
/// the request, and its answer parses into the operation's typed body. One line per failure.
async fn every_operation_sends_a_valid_request_and_parses_the_answer(base_url: &str) {
    let client = builder(base_url)
        .serverless_url(base_url)
        .build()
        .expect("client");
    let mut failures = Vec::new();
    for operation in OPERATIONS {
        match call(&client, operation).await {
            None => failures.push(format!("{operation}: no generated call")),
            Some(Err(error)) => failures.push(format!("{operation}: {error}")),
            Some(Ok(outcome)) => {
                let request_violations: Vec<_> = violations(&outcome.headers)
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|v| v["location"][0] == "request")
                    .cloned()
                    .collect();
                if !request_violations.is_empty() {
                    failures.push(format!(
                        "{operation}: Prism finds the request breaks the spec: {}",
                        serde_json::Value::Array(request_violations)
                    ));
                }
            }
        }
    }
    assert_eq!(
        OPERATIONS.len(),
        served_operations(),
        "every operation Prism serves is called"
    );
    for failure in &failures {
        let _ = writeln!(std::io::stderr(), "prism: {failure}");
    }
    assert!(
        failures.is_empty(),
        "{} of {} operations failed against Prism:\n{}",
        failures.len(),
        OPERATIONS.len(),
        failures.join("\n")
    );
}

async fn with_a_key_the_200_example_parses(base_url: &str) {
    let client = builder(base_url).build().expect("client");
    let expected: types::RotateNotificationWebhookSecretResponse =
        serde_json::from_str(ROTATE_NOTIFICATION_WEBHOOK_SECRET_200.body).expect("fixture");

    let response = send_rotation(&client, 42).await.expect("Prism's 200");
    assert_eq!(response.status(), StatusCode::OK);
    assert_no_violations(response.headers(), "the request with a key");
    let body = response.into_inner();
    assert_eq!(body, expected, "Prism's 200 is not the spec's example");
    // Checked one by one too: `created_at` must be exact, not rounded through f32.
    let webhook = body.webhook.expect("webhook");
    assert_eq!(webhook.created_at, Some(1_772_490_000.0));
    assert_eq!(
        webhook.webhook_secret.as_ref().map(|s| s.expose()),
        Some("<WEBHOOK_SECRET>")
    );

    let body = rotate(&client, 42)
        .await
        .expect("Prism's 200 through call()");
    assert_eq!(body, expected);
}

async fn without_a_key_prism_answers_the_typed_401(base_url: &str) {
    // The builder insists on a key; a bare context sends none.
    let client =
        Client::new_with_client(base_url, reqwest::Client::new(), ClientContext::default());
    assert!(!client.inner().has_credentials());

    let response = typed_error(&client, StatusCode::UNAUTHORIZED, "no key, no 200").await;
    // The one violation is the missing credentials, which shows Prism does report them.
    let violations = violations(response.headers());
    assert_eq!(
        violations,
        serde_json::json!([{
            "location": ["request"],
            "severity": "Error",
            "code": 401,
            "message": "Invalid security scheme used",
        }]),
        "Prism's violations for a request without a key"
    );
    assert_eq!(response.into_inner().success, Some(false));

    assert_call_fails_with(&client, StatusCode::UNAUTHORIZED, "no key, no 200").await;
}

async fn prefer_code_404_gives_the_typed_404(base_url: &str) {
    // progenitor has no per-request headers; the header goes on every request of this client.
    let mut headers = HeaderMap::new();
    headers.insert("prefer", HeaderValue::from_static("code=404"));
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("reqwest client");
    let client = builder(base_url).http_client(http).build().expect("client");

    let asked = "Prism was asked for the 404";
    let response = typed_error(&client, StatusCode::NOT_FOUND, asked).await;
    assert_no_violations(response.headers(), "the request asking for the 404");
    assert_eq!(response.into_inner().success, Some(false));

    assert_call_fails_with(&client, StatusCode::NOT_FOUND, asked).await;
}

/// The rotation's typed error through `send()`, which must have `status`; `why` says why an
/// error was expected.
async fn typed_error(
    client: &Client,
    status: StatusCode,
    why: &str,
) -> ResponseValue<types::Error> {
    let error = send_rotation(client, 42).await.expect_err(why);
    let SendError::ErrorResponse(response) = error else {
        panic!("expected the typed {status}, got {error:?}");
    };
    assert_eq!(response.status(), status);
    response
}

/// The rotation through `call()` fails as the API's typed error with `status`.
async fn assert_call_fails_with(client: &Client, status: StatusCode, why: &str) {
    let error = rotate(client, 42).await.expect_err(why);
    assert_eq!(error.kind(), ErrorKind::ErrorResponse);
    assert_eq!(error.status(), Some(status));
}

fn violations(headers: &HeaderMap) -> serde_json::Value {
    let Some(value) = headers.get(VIOLATIONS) else {
        return serde_json::json!([]);
    };
    let text = value.to_str().expect("sl-violations is text");
    serde_json::from_str(text).unwrap_or_else(|e| panic!("sl-violations is not JSON ({e}): {text}"))
}

fn assert_no_violations(headers: &HeaderMap, what: &str) {
    assert_eq!(
        violations(headers),
        serde_json::json!([]),
        "Prism found {what} breaks the spec"
    );
}
