//! The checks the generated per-operation tests (`tests/operations.rs`) run for each
//! documented response: a typed mock answers, the generated call must give back the same JSON,
//! or the SDK's error with the documented status and the server's message.

use httpmock::MockServer;
use serde_json::Value;
use vast_api::Client;

use crate::generated_calls::call;
use crate::{Fixture, support};

/// A client for `server`: every operation (the serverless ones too) goes there, no retries.
pub fn client_for(server: &MockServer) -> Client {
    support::builder(&server.base_url())
        .serverless_url(server.base_url())
        .build()
        .expect("a client for the mock server")
}

/// Calls `operation` and checks that its body comes back as the fixture, as JSON values: no
/// field lost, numbers exact.
pub async fn expect_success(client: &Client, operation: &str, fixture: &Fixture) {
    let outcome = call(client, operation)
        .await
        .unwrap_or_else(|| panic!("no generated call for {operation}"))
        .unwrap_or_else(|e| panic!("{operation} {}: expected success, got: {e}", fixture.status));
    let expected = fixture.json();
    assert!(
        same_json(&expected, &outcome.body),
        "{operation} {}: the body changed on its way through the SDK\n  spec: {expected}\n  sdk:  {}",
        fixture.status,
        outcome.body
    );
}

/// Calls `operation` and checks that it fails with `status` and the fixture's message.
pub async fn expect_error(client: &Client, operation: &str, fixture: &Fixture, status: u16) {
    let error = match call(client, operation).await {
        None => panic!("no generated call for {operation}"),
        Some(Ok(outcome)) => panic!(
            "{operation} {}: expected an error, got {} {}",
            fixture.status, outcome.status, outcome.body
        ),
        Some(Err(error)) => error,
    };
    assert_eq!(
        error.status().map(|s| s.as_u16()),
        Some(status),
        "{operation} {}: {error}",
        fixture.status
    );
    if let Some(message) = server_message(&fixture.json()) {
        assert_eq!(
            error.message(),
            Some(message.as_str()),
            "{operation} {}: {error}",
            fixture.status
        );
        assert!(error.to_string().contains(&message), "{error}");
    }
}

/// Calls `operation`, answered with `status` and no body: the SDK gives it back as a success
/// or, where a body was expected, as an error carrying that status (never a transport error).
pub async fn expect_reached(client: &Client, operation: &str, status: u16) {
    match call(client, operation).await {
        None => panic!("no generated call for {operation}"),
        Some(Ok(outcome)) => assert_eq!(outcome.status, status, "{operation}"),
        Some(Err(error)) => assert_eq!(
            error.status().map(|s| s.as_u16()),
            Some(status),
            "{operation}: {error}"
        ),
    }
}

/// The message an error body carries, where `vast_api::Error` documents it is read from.
fn server_message(body: &Value) -> Option<String> {
    ["msg", "error", "message", "detail"]
        .iter()
        .find_map(|key| body.get(key).and_then(Value::as_str))
        .filter(|text| !text.trim().is_empty())
        .map(|text| text.trim().chars().take(300).collect())
}

/// The status a documented status key is mocked with: itself, or a member of its range.
pub fn status_of(key: &str) -> u16 {
    match key {
        "4XX" => 400,
        "5XX" | "default" => 500,
        code => code.parse().expect("a documented status"),
    }
}

/// JSON equality as the generated types can preserve it: numbers compare by value (an f64 field
/// writes `1772490000` back as `1772490000.0`), exactly, and an explicit `null` equals an
/// absent key (typify maps both to `None` and skips `None` when serialising).
pub fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i128(), y.as_i128()) {
            (Some(x), Some(y)) => x == y,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Object(x), Value::Object(y)) => {
            let keys = x.keys().chain(y.keys());
            keys.into_iter().all(|k| {
                same_json(
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                )
            })
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_json(a, b))
        }
        _ => a == b,
    }
}
