//! `vast_api::jobs` launch and clean-up against scripted mock answers: the id taken from
//! `new_contract`, a 4xx create, an invalid spec, `destroy` and the guard. (Waiting for the
//! instance is in `jobs_wait.rs`.)

mod jobs_support;

use std::time::Duration;

use httpmock::MockServer;
use serde_json::json;
use vast_api::jobs::{InstanceId, JobError, LaunchSpec, OfferId};
use vast_api_tests::MockServerExt;

use jobs_support::{client, destroy_mock, eventually, typed};

// ---- Launch. ----

#[tokio::test]
async fn launch_returns_the_instance_id_from_new_contract() {
    let server = MockServer::start_async().await;
    let spec = LaunchSpec::new("vastai/base-image")
        .disk_gb(20.0)
        .env("HF_HOME", "/workspace/hf")
        .port(8000)
        .onstart("echo hello")
        .label("job-1");
    let create = server.create_instance(|when, then| {
        when.id(4242).body(&spec.to_body().unwrap());
        // `id` is not the instance: `new_contract` is.
        then.ok(&typed(json!({"success": true, "new_contract": 777})));
    });

    let id = client(&server).launch(OfferId(4242), &spec).await.unwrap();

    assert_eq!(id, InstanceId(777));
    create.assert_calls(1);
    let sent = spec.to_json().unwrap();
    assert_eq!(sent["env"], "-e HF_HOME=/workspace/hf -p 8000:8000");
    assert_eq!(sent["disk"], 20.0);
    assert_eq!(sent["onstart"], "echo hello");
    assert_eq!(sent["label"], "job-1");
}

#[tokio::test]
async fn a_create_answered_with_a_4xx_is_an_error_with_status_and_message() {
    let server = MockServer::start_async().await;
    server.create_instance(|when, then| {
        when.id(1);
        then.bad_request(&typed(json!({
            "success": false, "error": "invalid_args",
            "msg": "offer 1 is no longer available"
        })));
    });

    let error = client(&server)
        .launch(OfferId(1), &LaunchSpec::new("img"))
        .await
        .unwrap_err();

    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(error.message(), Some("offer 1 is no longer available"));
    assert!(
        error.to_string().contains("create_instance failed"),
        "{error}"
    );
    assert!(
        error.to_string().contains("offer 1 is no longer available"),
        "{error}"
    );
}

#[tokio::test]
async fn a_create_without_new_contract_or_with_success_false_is_an_error() {
    let server = MockServer::start_async().await;
    server.create_instance(|when, then| {
        when.id(2);
        then.ok(&typed(json!({"success": true})));
    });
    server.create_instance(|when, then| {
        when.id(3);
        then.ok(&typed(json!({"success": false, "new_contract": 9})));
    });
    let client = client(&server);

    let missing = client
        .launch(OfferId(2), &LaunchSpec::new("img"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            missing,
            JobError::IncompleteAnswer {
                operation: "create_instance",
                ..
            }
        ),
        "{missing:?}"
    );
    assert!(missing.to_string().contains("new_contract"), "{missing}");

    let refused = client
        .launch(OfferId(3), &LaunchSpec::new("img"))
        .await
        .unwrap_err();
    assert!(
        matches!(refused, JobError::IncompleteAnswer { .. }),
        "{refused:?}"
    );
}

#[tokio::test]
async fn an_invalid_spec_fails_before_anything_is_sent() {
    let server = MockServer::start_async().await;
    let create = server.create_instance(|_, then| {
        then.ok(&typed(json!({"success": true, "new_contract": 1})));
    });
    let client = client(&server);
    let specs = [
        LaunchSpec::new("img").onstart("x".repeat(4049)),
        LaunchSpec::new("img").env("BAD KEY", "v"),
        LaunchSpec::new("img").env("QUOTE", "say \"hi\""),
        LaunchSpec::new("img").field("no_such_field", json!(1)),
    ];
    for spec in specs {
        let error = client.launch(OfferId(5), &spec).await.unwrap_err();
        assert!(
            matches!(
                error,
                JobError::InvalidRequest {
                    operation: "create_instance",
                    ..
                }
            ),
            "{error:?}"
        );
    }
    create.assert_calls(0);
    // The limit itself is allowed.
    assert!(
        LaunchSpec::new("img")
            .onstart("x".repeat(4048))
            .to_body()
            .is_ok()
    );
}

// ---- Clean-up. ----

#[tokio::test]
async fn destroy_calls_destroy_instance_and_returns_its_error() {
    let server = MockServer::start_async().await;
    let destroyed = destroy_mock(&server, 20);
    server.destroy_instance(|when, then| {
        when.id(21);
        then.not_found(&typed(
            json!({"error": "no_such_instance", "msg": "Instance 21 not found"}),
        ));
    });
    let client = client(&server);

    client.destroy(InstanceId(20)).await.unwrap();
    destroyed.assert_calls(1);

    let error = client.destroy(InstanceId(21)).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(error.message(), Some("Instance 21 not found"));
}

#[tokio::test]
async fn a_guard_destroys_when_told_and_not_when_disarmed() {
    let server = MockServer::start_async().await;
    let destroyed = destroy_mock(&server, 30);
    let kept = destroy_mock(&server, 31);
    let client = client(&server);

    let guard = client.guard(InstanceId(30));
    assert_eq!(guard.id(), InstanceId(30));
    guard.destroy().await.unwrap();
    destroyed.assert_calls(1);

    let guard = client.guard(InstanceId(31));
    assert_eq!(guard.disarm(), InstanceId(31));
    // Nothing is spawned by a disarmed guard; give a spawned task the chance to show.
    tokio::time::sleep(Duration::from_millis(100)).await;
    kept.assert_calls(0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guard_dropped_armed_inside_a_runtime_destroys_in_the_background() {
    let server = MockServer::start_async().await;
    let destroyed = destroy_mock(&server, 32);
    let client = client(&server);

    drop(client.guard(InstanceId(32)));

    assert!(
        eventually(|| destroyed.calls() == 1).await,
        "the background destroy never came"
    );
}

#[test]
fn a_guard_dropped_outside_a_runtime_does_not_panic_or_destroy() {
    let server = MockServer::start();
    let destroyed = destroy_mock(&server, 33);
    let client = client(&server);

    drop(client.guard(InstanceId(33)));

    std::thread::sleep(Duration::from_millis(100));
    destroyed.assert_calls(0);
}
