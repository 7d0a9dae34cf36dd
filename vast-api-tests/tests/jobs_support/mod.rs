//! What the `jobs_*` tests share: a client for a loopback mock server, typed bodies built
//! from JSON (so the tests keep compiling when a generated field changes type, as long as the
//! JSON still fits), the instance mocks of the launch and wait tests, and the polling pace.

#![allow(dead_code)] // Each test file uses part of it.

use std::time::Duration;

use httpmock::{Mock, MockServer};
use serde::de::DeserializeOwned;
use serde_json::json;
use vast_api::Client;
use vast_api_tests::MockServerExt;
use vast_api_tests::support::builder;

/// The polling interval of the waits under test.
pub const FAST: Duration = Duration::from_millis(10);
/// Far longer than any test needs: a test that hits it has failed.
pub const GENEROUS: Duration = Duration::from_secs(30);

/// A client of `server` with the test key and no retries, so each mocked answer is seen once.
pub fn client(server: &MockServer) -> Client {
    builder(&server.base_url())
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

/// `show_instance` of `id` answering `status` (and `status_msg`), `times` times or forever.
pub fn status<'a>(
    server: &'a MockServer,
    id: i64,
    status: Option<&str>,
    status_msg: Option<&str>,
    times: Option<usize>,
) -> Mock<'a> {
    let body = typed(json!({"instances": {
        "id": id, "actual_status": status, "status_msg": status_msg,
        "ssh_host": "ssh4.vast.ai", "ssh_port": 22334,
    }}));
    server.show_instance(|when, then| {
        when.id(id);
        let then = then.ok(&body);
        if let Some(times) = times {
            then.into_inner().up_to_n_times(times);
        }
    })
}

/// `destroy_instance` of `id` answering with success.
pub fn destroy_mock(server: &MockServer, id: i64) -> Mock<'_> {
    server.destroy_instance(|when, then| {
        when.id(id);
        then.ok(&typed(json!({"success": true})));
    })
}
