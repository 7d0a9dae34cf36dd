//! Installing Stoplight Prism (with npm, into `<workspace>/.tools/prism/<version>/`) and
//! running `prism mock` on 127.0.0.1 for `prism.rs`, stopped with its process group.

use std::fs::File;
use std::io::{Read as _, Write as _};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Prism 5.14 runs on Node 18.20 or newer; later releases need Node 24.
const PRISM_VERSION: &str = "5.14.2";
const READY_TIMEOUT: Duration = Duration::from_secs(60);

pub fn workspace() -> PathBuf {
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
pub fn prism_binary() -> Option<PathBuf> {
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
pub struct Prism {
    child: Child,
    port: u16,
    log: tempfile::NamedTempFile,
}

impl Prism {
    pub fn start(bin: &Path, spec: &Path) -> Self {
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

    pub fn base_url(&self) -> String {
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
