//! `vast_api::jobs` launch, wait and clean-up against scripted mock answers: the id taken
//! from `new_contract`, a 4xx create, statuses that never become `running` (a timeout) or
//! never can (a distinct error, no destroy), cancelling the wait, and the guard.

mod jobs_support;

use std::fmt::Write as _;
use std::future::IntoFuture;
use std::sync::{Mutex, Once};
use std::thread::ThreadId;
use std::time::Duration;

use httpmock::{Mock, MockServer};
use serde_json::json;
use vast_api::jobs::{InstanceId, JobError, LaunchSpec, OfferId};
use vast_api_tests::MockServerExt;

use jobs_support::{client, eventually, typed};

const FAST: Duration = Duration::from_millis(10);
/// Far longer than any test needs: a test that hits it has failed.
const GENEROUS: Duration = Duration::from_secs(30);

/// `show_instance` of `id` answering `status` (and `status_msg`), `times` times or forever.
fn status<'a>(
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

fn destroy_mock(server: &MockServer, id: i64) -> Mock<'_> {
    server.destroy_instance(|when, then| {
        when.id(id);
        then.ok(&typed(json!({"success": true})));
    })
}

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

// ---- Waiting. ----

#[tokio::test]
async fn the_wait_ends_when_the_status_becomes_running() {
    let server = MockServer::start_async().await;
    let unknown_yet = status(&server, 7, None, None, Some(1));
    let loading = status(&server, 7, Some("loading"), Some("pulling"), Some(2));
    let running = status(&server, 7, Some("running"), None, None);
    let destroy = destroy_mock(&server, 7);

    let instance = client(&server)
        .wait_until_running(InstanceId(7))
        .interval(FAST)
        .timeout(GENEROUS)
        .await
        .unwrap();

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

    let instance = client(&server)
        .wait_until_running(InstanceId(9))
        .interval(FAST)
        .timeout(GENEROUS)
        .await
        .unwrap();

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
        let error = client(&server)
            .wait_until_running(InstanceId(id))
            .interval(FAST)
            .timeout(GENEROUS)
            .await
            .unwrap_err();

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

    let error = client(&server)
        .wait_until_running(InstanceId(13))
        .interval(FAST)
        .timeout(GENEROUS)
        .await
        .unwrap_err();

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

    client(&server)
        .wait_until_running(InstanceId(15))
        .interval(FAST)
        .timeout(GENEROUS)
        .await
        .unwrap();

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

// ---- A `tracing` subscriber that records the `vast_api` events of each thread. ----
//
// The global default rather than a scoped one: with scoped subscribers, a call site first
// reached by a test running in parallel without one can be cached as uninteresting.

static EVENTS: Mutex<Vec<(ThreadId, String)>> = Mutex::new(Vec::new());

fn capture_logs() -> Log {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let _ = tracing::subscriber::set_global_default(Capture);
    });
    Log {
        thread: std::thread::current().id(),
        from: EVENTS.lock().unwrap().len(),
    }
}

struct Log {
    thread: ThreadId,
    from: usize,
}

impl Log {
    /// The events logged on this thread since `capture_logs` (`#[tokio::test]` runs the
    /// test on one thread, so the wait's events land there).
    fn events(&self) -> Vec<String> {
        let events = EVENTS.lock().unwrap();
        events[self.from..]
            .iter()
            .filter(|(thread, _)| *thread == self.thread)
            .map(|(_, event)| event.clone())
            .collect()
    }
}

struct Capture;

impl tracing::Subscriber for Capture {
    fn enabled(&self, metadata: &tracing::Metadata<'_>) -> bool {
        metadata.target().starts_with("vast_api")
    }

    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }

    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}

    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}

    fn event(&self, event: &tracing::Event<'_>) {
        struct Fields(String);
        impl tracing::field::Visit for Fields {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                let _ = write!(self.0, "{}={:?} ", field.name(), value);
            }
        }
        let mut fields = Fields(format!("{} ", event.metadata().level()));
        event.record(&mut fields);
        if let Ok(mut events) = EVENTS.lock() {
            events.push((std::thread::current().id(), fields.0));
        }
    }

    fn enter(&self, _: &tracing::span::Id) {}

    fn exit(&self, _: &tracing::span::Id) {}
}
