//! What the `jobs_*` tests share: a client for a loopback mock server, and typed bodies
//! built from JSON (so the tests keep compiling when a generated field changes type, as long
//! as the JSON still fits).

#![allow(dead_code)] // Each test file uses part of it.

use std::time::Duration;

use httpmock::MockServer;
use serde::de::DeserializeOwned;
use vast_api::{Client, RetryPolicy};

pub const KEY: &str = "test-key-0123456789abcdef";

/// A client of `server` with the test key and no retries, so each mocked answer is seen once.
pub fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(server.base_url())
        .retry_policy(RetryPolicy::disabled())
        .timeout(Duration::from_secs(10))
        .build()
        .expect("a client of the mock server")
}

/// `json` as the generated type `T`.
pub fn typed<T: DeserializeOwned>(json: serde_json::Value) -> T {
    serde_json::from_value(json).expect("the test's JSON fits the generated type")
}

/// Waits (at most 10 s, in 10 ms steps) until `done` holds, for effects that happen in the
/// background; returns whether it did.
pub async fn eventually(mut done: impl FnMut() -> bool) -> bool {
    for _ in 0..1000 {
        if done() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    done()
}
