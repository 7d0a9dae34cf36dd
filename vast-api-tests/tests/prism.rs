//! The SDK against an independent mock server: Stoplight Prism serving the vendored spec with
//! its corrections applied (`spec/openapi.corrected.json`, generated from
//! `openapi/openapi.yaml` and `openapi/corrections.yaml`: the requests the SDK really sends) on
//! 127.0.0.1. Prism answers from the spec alone (its examples, its security scheme) and
//! validates each request against it, so this checks the generated client against a reading
//! of the spec that is not ours: every operation, called with the spec's example parameters.
//!
//! `cargo test -p vast-api-tests --test prism` runs it. The first run installs Prism with npm
//! into `<workspace>/.tools/prism/<version>/` (about 20 s); later runs reuse it. Without Node.js
//! and npm it prints why it skipped and passes; any other failure, an npm install that fails
//! included, fails the test.

use std::fs::File;
use std::io::{Read as _, Write as _};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};
use vast_api::progenitor_client::{ClientInfo as _, Error as SendError};
use vast_api::{Client, ClientContext, ErrorKind, RetryPolicy, types};
use vast_api_tests::generated_calls::{OPERATIONS, call};
use vast_api_tests::generated_fixtures::ROTATE_NOTIFICATION_WEBHOOK_SECRET_200;

/// Prism 5.14 runs on Node 18.20 or newer; later releases need Node 24.
const PRISM_VERSION: &str = "5.14.2";
const READY_TIMEOUT: Duration = Duration::from_secs(60);
const KEY: &str = "test-key-0123456789abcdef";
/// Prism's header listing what in the request (or its own response) breaks the spec.
const VIOLATIONS: &str = "sl-violations";

#[test]
fn the_sdk_against_prism() {
    let Some(prism) = prism_binary() else {
        return;
    };
    let server = Prism::start(
        &prism,
        &workspace().join("vast-api-tests/spec/openapi.corrected.json"),
    );
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
        100,
        "the vendored spec has 100 operations"
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

    let response = client
        .rotate_notification_webhook_secret()
        .id(42)
        .send()
        .await
        .expect("Prism's 200");
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

    let body = client
        .rotate_notification_webhook_secret()
        .id(42)
        .call()
        .await
        .expect("Prism's 200 through call()");
    assert_eq!(body, expected);
}

async fn without_a_key_prism_answers_the_typed_401(base_url: &str) {
    // The builder insists on a key; a bare context sends none.
    let client =
        Client::new_with_client(base_url, reqwest::Client::new(), ClientContext::default());
    assert!(!client.inner().has_credentials());

    let error = client
        .rotate_notification_webhook_secret()
        .id(42)
        .send()
        .await
        .expect_err("no key, no 200");
    let SendError::ErrorResponse(response) = error else {
        panic!("expected the typed 401, got {error:?}");
    };
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
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

    let error = client
        .rotate_notification_webhook_secret()
        .id(42)
        .call()
        .await
        .expect_err("no key, no 200");
    assert_eq!(error.kind(), ErrorKind::ErrorResponse);
    assert_eq!(error.status(), Some(StatusCode::UNAUTHORIZED));
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

    let error = client
        .rotate_notification_webhook_secret()
        .id(42)
        .send()
        .await
        .expect_err("Prism was asked for the 404");
    let SendError::ErrorResponse(response) = error else {
        panic!("expected the typed 404, got {error:?}");
    };
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_no_violations(response.headers(), "the request asking for the 404");
    assert_eq!(response.into_inner().success, Some(false));

    let error = client
        .rotate_notification_webhook_secret()
        .id(42)
        .call()
        .await
        .expect_err("Prism was asked for the 404");
    assert_eq!(error.kind(), ErrorKind::ErrorResponse);
    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
}

fn builder(base_url: &str) -> vast_api::ClientBuilder {
    Client::builder()
        .api_key(KEY)
        .base_url(base_url)
        .retry_policy(RetryPolicy::disabled())
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

// ---- Installing and running Prism. ----

fn workspace() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .expect("vast-api-tests lives in the workspace")
        .to_path_buf()
}

/// Says why the test did not run, on the terminal even though libtest captures output.
fn skip(reason: &str) {
    let _ = writeln!(
        std::io::stderr(),
        "prism: SKIPPED: {reason}; install Node.js 18.20 or newer (with npm) to run this test"
    );
}

fn runs(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// The `prism` executable, installed first if need be; `None` (after saying so) only when
/// Node.js or npm is missing.
fn prism_binary() -> Option<PathBuf> {
    if !runs("node") {
        skip("`node` is not on PATH");
        return None;
    }
    let tools = workspace().join(".tools/prism");
    let home = tools.join(PRISM_VERSION);
    let bin = home.join("node_modules/.bin/prism");
    if bin.exists() {
        return Some(bin);
    }
    if !runs("npm") {
        skip("`npm` is not on PATH");
        return None;
    }
    install(&tools, &home);
    assert!(
        bin.exists(),
        "npm installed Prism but {} is missing",
        bin.display()
    );
    Some(bin)
}

/// Installs Prism into a staging folder, then renames it to `home`: the rename is atomic, so
/// a concurrent run (another `cargo test` in the same tree) sees either nothing or a whole
/// install, and the loser of a race throws its copy away.
fn install(tools: &Path, home: &Path) {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let staging = tools.join(format!(".staging-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&staging)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", staging.display()));
    let package = format!("@stoplight/prism-cli@{PRISM_VERSION}");
    let _ = writeln!(
        std::io::stderr(),
        "prism: installing {package} into {}",
        home.display()
    );
    let output = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(&staging)
        .arg(&package)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run npm: {e}"));
    if !output.status.success() {
        let _ = std::fs::remove_dir_all(&staging);
        panic!(
            "`npm install {package}` failed ({}):\n{}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    if let Err(error) = std::fs::rename(&staging, home) {
        let _ = std::fs::remove_dir_all(&staging);
        assert!(
            home.join("node_modules/.bin/prism").exists(),
            "cannot move the install to {}: {error}",
            home.display()
        );
    }
}

/// A running `prism mock`, stopped (its whole process group) when dropped.
struct Prism {
    child: Child,
    port: u16,
    log: tempfile::NamedTempFile,
}

impl Prism {
    fn start(bin: &Path, spec: &Path) -> Self {
        let port = free_port();
        let log = tempfile::NamedTempFile::new().expect("log file");
        let output = |log: &tempfile::NamedTempFile| -> File { log.reopen().expect("log file") };
        let child = Command::new(bin)
            .arg("mock")
            .arg(spec)
            .args(["-h", "127.0.0.1", "-p", &port.to_string()])
            .current_dir(workspace())
            .stdin(Stdio::null())
            .stdout(output(&log))
            .stderr(output(&log))
            // Its own process group, so that stopping it reaches anything it starts.
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        let mut prism = Self { child, port, log };
        prism.wait_until_listening();
        prism
    }

    fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn wait_until_listening(&mut self) {
        let started = Instant::now();
        loop {
            if TcpStream::connect((Ipv4Addr::LOCALHOST, self.port)).is_ok() {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "Prism exited ({status}) before listening:\n{}",
                    self.log_text()
                );
            }
            assert!(
                started.elapsed() < READY_TIMEOUT,
                "Prism was not listening on port {} after {READY_TIMEOUT:?}:\n{}",
                self.port,
                self.log_text()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn log_text(&self) -> String {
        let mut text = String::new();
        let _ = self
            .log
            .reopen()
            .and_then(|mut f| f.read_to_string(&mut text));
        text
    }

    fn signal_group(&self, signal: libc::c_int) {
        let Ok(pid) = libc::pid_t::try_from(self.child.id()) else {
            return;
        };
        // SAFETY: kill(2) with a negative pid signals that process group; it has no memory
        // effects. The group is the child's own (`process_group(0)`), not ours.
        unsafe {
            libc::kill(-pid, signal);
        }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let _ = writeln!(std::io::stderr(), "Prism's log:\n{}", self.log_text());
        }
        self.signal_group(libc::SIGTERM);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if !matches!(self.child.try_wait(), Ok(None)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.signal_group(libc::SIGKILL);
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free loopback port")
}
