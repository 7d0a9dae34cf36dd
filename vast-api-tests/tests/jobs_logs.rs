//! `Client::logs`: `show_logs` answers with a URL, which is polled until the logs are there,
//! without the API key, within a bounded wait.

mod jobs_support;

use std::time::Duration;

use httpmock::{Mock, MockServer};
use serde_json::json;
use vast_api::jobs::{InstanceId, JobError};
use vast_api_tests::MockServerExt;
use vast_api_tests::support::KEY;

use jobs_support::{FAST, GENEROUS, client, typed};

const LOGS: &str = "line 1\nline 2: CUDA 12.4\n";

/// `show_logs` of `id` answering with `url`, matched only with the API key and `body`.
fn request_logs<'a>(api: &'a MockServer, id: i64, body: serde_json::Value, url: &str) -> Mock<'a> {
    let answer = typed(json!({"success": true, "result_url": url, "msg": "working"}));
    let body = typed(body);
    api.show_logs(|when, then| {
        when.id(id)
            .body(&body)
            .into_inner()
            .header("authorization", format!("Bearer {KEY}"));
        then.ok(&answer);
    })
}

/// The log server's answers to a request that carries an `Authorization` header: a failure
/// the tests assert never happens.
fn with_authorization(logs: &MockServer) -> Mock<'_> {
    logs.mock(|when, then| {
        when.header_exists("authorization");
        then.status(500)
            .body("an Authorization header reached the log server");
    })
}

#[tokio::test]
async fn logs_poll_the_url_until_the_logs_are_there_without_the_api_key() {
    let api = MockServer::start_async().await;
    let logs = MockServer::start_async().await;
    let leaked = with_authorization(&logs);
    // The machine has not uploaded yet: the bucket answers 404 twice, then the logs.
    let not_yet = logs.mock(|when, then| {
        when.path("/logs/5.txt").header_missing("authorization");
        then.status(404).body("NoSuchKey").up_to_n_times(2);
    });
    let ready = logs.mock(|when, then| {
        when.path("/logs/5.txt").header_missing("authorization");
        then.status(200)
            .header("content-type", "text/plain")
            .body(LOGS);
    });
    let requested = request_logs(&api, 5, json!({"tail": "100"}), &logs.url("/logs/5.txt"));

    let text = client(&api)
        .logs(InstanceId(5), 100)
        .interval(FAST)
        .timeout(GENEROUS)
        .await
        .unwrap();

    assert_eq!(text, LOGS);
    requested.assert_calls(1);
    not_yet.assert_calls(2);
    ready.assert_calls(1);
    leaked.assert_calls(0);
}

#[tokio::test]
async fn the_filter_and_daemon_logs_go_in_the_request_and_no_tail_means_all() {
    let api = MockServer::start_async().await;
    let logs = MockServer::start_async().await;
    let leaked = with_authorization(&logs);
    logs.mock(|when, then| {
        when.path("/d.txt");
        then.status(200).body("daemon says hi");
    });
    let requested = request_logs(
        &api,
        6,
        json!({"filter": "hi", "daemon_logs": "true"}),
        &logs.url("/d.txt"),
    );

    let text = client(&api)
        .logs(InstanceId(6), None)
        .filter("hi")
        .daemon_logs(true)
        .interval(FAST)
        .timeout(GENEROUS)
        .await
        .unwrap();

    assert_eq!(text, "daemon says hi");
    requested.assert_calls(1);
    leaked.assert_calls(0);
}

#[tokio::test]
async fn logs_that_never_appear_time_out_with_what_the_last_try_got() {
    let api = MockServer::start_async().await;
    let logs = MockServer::start_async().await;
    let never = logs.mock(|when, then| {
        when.path("/logs/7.txt");
        then.status(403).body("AccessDenied");
    });
    request_logs(&api, 7, json!({"tail": "10"}), &logs.url("/logs/7.txt"));

    let error = client(&api)
        .logs(InstanceId(7), 10)
        .interval(FAST)
        .timeout(Duration::from_millis(300))
        .await
        .unwrap_err();

    match &error {
        JobError::LogsTimeout {
            id,
            waited,
            last_try,
        } => {
            assert_eq!(*id, InstanceId(7));
            assert_eq!(*waited, Duration::from_millis(300));
            assert_eq!(last_try, "HTTP 403 Forbidden");
        }
        other => panic!("expected a logs timeout, got {other:?}"),
    }
    assert!(error.to_string().contains("not ready after"), "{error}");
    assert!(never.calls() >= 1);
}

#[tokio::test]
async fn each_fetch_of_the_logs_has_the_clients_timeout() {
    let api = MockServer::start_async().await;
    let logs = MockServer::start_async().await;
    // Slower than the client's 100 ms timeout, well within the job's 3 s.
    let stalled = logs.mock(|when, then| {
        when.path("/logs/8.txt");
        then.status(200)
            .delay(Duration::from_millis(600))
            .body(LOGS);
    });
    request_logs(&api, 8, json!({"tail": "10"}), &logs.url("/logs/8.txt"));
    let client = vast_api_tests::support::builder(&api.base_url())
        .timeout(Duration::from_millis(100))
        .build()
        .expect("a client of the mock server");

    let error = client
        .logs(InstanceId(8), 10)
        .interval(FAST)
        .timeout(Duration::from_secs(3))
        .await
        .unwrap_err();

    // Without a timeout per fetch, the first fetch would have returned the logs at 600 ms.
    match &error {
        JobError::LogsTimeout { last_try, .. } => {
            assert!(last_try.contains("timed out"), "{last_try}");
        }
        other => panic!("expected a logs timeout, got {other:?}"),
    }
    assert!(stalled.calls() >= 2, "{} fetches", stalled.calls());
}

#[tokio::test]
async fn an_answer_without_a_url_or_a_refusal_is_an_error() {
    let api = MockServer::start_async().await;
    api.show_logs(|when, then| {
        when.id(8);
        then.ok(&typed(
            json!({"success": false, "msg": "instance is not running"}),
        ));
    });
    api.show_logs(|when, then| {
        when.id(9);
        then.ok(&typed(
            json!({"success": true, "result_url": "ftp://example/logs"}),
        ));
    });
    api.show_logs(|when, then| {
        when.id(10);
        then.not_found(&typed(
            json!({"error": "not_found", "msg": "Instance 10 not found"}),
        ));
    });
    let client = client(&api);

    let no_url = client.logs(InstanceId(8), 1).await.unwrap_err();
    assert!(
        matches!(
            no_url,
            JobError::IncompleteAnswer {
                operation: "show_logs",
                ..
            }
        ),
        "{no_url:?}"
    );
    assert_eq!(no_url.message(), Some("instance is not running"));

    let bad_url = client.logs(InstanceId(9), 1).await.unwrap_err();
    assert!(
        matches!(bad_url, JobError::IncompleteAnswer { .. }),
        "{bad_url:?}"
    );

    let refused = client.logs(InstanceId(10), 1).await.unwrap_err();
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(refused.message(), Some("Instance 10 not found"));
}
