//! `vast_api::jobs` waiting for an instance to run, against scripted `show_instance` answers:
//! statuses that become `running`, never do (a timeout) or never can (a distinct error, no
//! destroy), a failing API, cancelling the wait, and the events it logs.

mod jobs_support;

use std::future::IntoFuture;
use std::time::Duration;

use httpmock::MockServer;
use serde_json::json;
use vast_api::jobs::{InstanceId, JobError};
use vast_api::types::Instance;
use vast_api_tests::MockServerExt;
use vast_api_tests::log_capture::capture_logs;

use jobs_support::{FAST, GENEROUS, client, destroy_mock, eventually, status, typed};

/// Waits for instance `id` of `server` at the test pace, with a timeout no test should reach.
async fn wait_generously(server: &MockServer, id: i64) -> Result<Instance, JobError> {
    client(server)
        .wait_until_running(InstanceId(id))
        .interval(FAST)
        .timeout(GENEROUS)
        .await
}

#[tokio::test]
async fn the_wait_ends_when_the_status_becomes_running() {
    let server = MockServer::start_async().await;
    let unknown_yet = status(&server, 7, None, None, Some(1));
    let loading = status(&server, 7, Some("loading"), Some("pulling"), Some(2));
    let running = status(&server, 7, Some("running"), None, None);
    let destroy = destroy_mock(&server, 7);

    let instance = wait_generously(&server, 7).await.unwrap();

    assert_eq!(instance.actual_status.as_deref(), Some("running"));
    assert_eq!(instance.ssh_host.as_deref(), Some("ssh4.vast.ai"));
    unknown_yet.assert_calls(1);
    loading.assert_calls(2);
    running.assert_calls(1);
    destroy.assert_calls(0);
}

#[tokio::test]
async fn an_instance_not_listed_yet_is_waited_for() {
    let server = MockServer::start_async().await;
    // Right after a create, `show_instance` may answer without the instance.
    let unlisted = server.show_instance(|when, then| {
        when.id(9);
        then.ok(&typed(json!({"instances": null})))
            .into_inner()
            .up_to_n_times(2);
    });
    let running = status(&server, 9, Some("running"), None, None);

    let instance = wait_generously(&server, 9).await.unwrap();

    assert_eq!(instance.id, Some(9));
    unlisted.assert_calls(2);
    running.assert_calls(1);
}

#[tokio::test]
async fn a_status_that_never_becomes_running_times_out() {
    let server = MockServer::start_async().await;
    let loading = status(&server, 8, Some("loading"), None, None);
    let destroy = destroy_mock(&server, 8);

    let error = client(&server)
        .wait_until_running(InstanceId(8))
        .interval(FAST)
        .timeout(Duration::from_millis(300))
        .await
        .unwrap_err();

    match &error {
        JobError::WaitTimeout {
            id,
            waited,
            last_status,
        } => {
            assert_eq!(*id, InstanceId(8));
            assert_eq!(*waited, Duration::from_millis(300));
            assert_eq!(last_status.as_deref(), Some("loading"));
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert_eq!(error.instance_left_behind(), Some(InstanceId(8)));
    assert!(
        error.to_string().contains("vastai destroy instance 8"),
        "{error}"
    );
    assert!(loading.calls() >= 1);
    destroy.assert_calls(0);
}

#[tokio::test]
async fn a_terminal_status_ends_the_wait_at_once_with_a_distinct_error_and_no_destroy() {
    for (id, terminal) in [(10, "exited"), (11, "unknown"), (12, "offline")] {
        let server = MockServer::start_async().await;
        let loading = status(&server, id, Some("loading"), None, Some(1));
        let dead = status(
            &server,
            id,
            Some(terminal),
            Some("Error response from daemon: image not found"),
            None,
        );
        let destroy = destroy_mock(&server, id);

        // A generous timeout: the error must come from the status, not from the clock.
        let error = wait_generously(&server, id).await.unwrap_err();

        match &error {
            JobError::InstanceFailed {
                id: failed,
                status,
                status_msg,
            } => {
                assert_eq!(*failed, InstanceId(id));
                assert_eq!(status, terminal);
                assert_eq!(
                    status_msg.as_deref(),
                    Some("Error response from daemon: image not found")
                );
            }
            other => panic!("{terminal}: expected InstanceFailed, got {other:?}"),
        }
        let message = error.to_string();
        assert!(message.contains("NOT been destroyed"), "{message}");
        assert!(
            message.contains(&format!("destroy_instance().id({id})")),
            "{message}"
        );
        loading.assert_calls(1);
        // Ended at the first terminal answer, not polled again.
        dead.assert_calls(1);
        destroy.assert_calls(0);
    }
}

#[tokio::test]
async fn a_failing_show_instance_ends_the_wait_with_the_api_error() {
    let server = MockServer::start_async().await;
    server.show_instance(|when, then| {
        when.id(13);
        then.unauthorized(&typed(json!({"error": "auth", "msg": "Invalid user key"})));
    });

    let error = wait_generously(&server, 13).await.unwrap_err();

    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(error.message(), Some("Invalid user key"));
}

#[tokio::test]
async fn dropping_the_wait_stops_polling() {
    let server = MockServer::start_async().await;
    let loading = status(&server, 14, Some("loading"), None, None);
    let client = client(&server);

    let wait = client
        .wait_until_running(InstanceId(14))
        .interval(FAST)
        .timeout(GENEROUS);
    // Run the wait until it has polled a few times, then drop it (what `select!` or an outer
    // timeout does).
    {
        let wait = std::pin::pin!(wait.into_future());
        tokio::select! {
            _ = wait => panic!("the wait ended on its own"),
            polled = eventually(|| loading.calls() >= 3) => assert!(polled, "never polled 3 times"),
        }
    }
    // A request written just before the drop may still reach the server: let it land.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let after_drop = loading.calls();
    // Twenty intervals later nothing more has come.
    tokio::time::sleep(FAST * 20).await;
    assert_eq!(loading.calls(), after_drop);
}

#[tokio::test]
async fn each_status_change_is_a_tracing_event() {
    let log = capture_logs();
    let server = MockServer::start_async().await;
    status(&server, 15, Some("created"), None, Some(2));
    status(&server, 15, Some("loading"), Some("pulling image"), Some(3));
    status(&server, 15, Some("running"), None, None);

    wait_generously(&server, 15).await.unwrap();

    let changes: Vec<String> = log
        .events()
        .into_iter()
        .filter(|event| event.contains("instance status changed"))
        .collect();
    // One event per change, not per poll: created ×2, loading ×3, running.
    assert_eq!(changes.len(), 3, "{changes:#?}");
    // `tracing` records an absent (`None`) field as nothing at all.
    assert!(changes[0].contains("status=\"created\""), "{changes:#?}");
    assert!(!changes[0].contains("previous="), "{changes:#?}");
    assert!(changes[1].contains("status=\"loading\""), "{changes:#?}");
    assert!(changes[1].contains("previous=\"created\""), "{changes:#?}");
    assert!(
        changes[1].contains("status_msg=\"pulling image\""),
        "{changes:#?}"
    );
    assert!(changes[2].contains("status=\"running\""), "{changes:#?}");
    assert!(changes[2].contains("previous=\"loading\""), "{changes:#?}");
    assert!(changes.iter().all(|c| c.contains("instance=15")));
}
