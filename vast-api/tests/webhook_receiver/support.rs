//! The receiver as a separate process, and a raw HTTP/1.1 client to talk to
//! it over 127.0.0.1.
//!
//! The process is this test binary again, running only the ignored
//! `receiver_process` test, which calls the example's `run`: the example's
//! own code, always freshly built, with its own file-descriptor limit, and
//! nothing shared with the attacking test but the socket.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use vast_api::webhook::sign;

/// Carries the receiver's arguments, one a line, to the child process.
pub const ARGS_VAR: &str = "WEBHOOK_RECEIVER_TEST_ARGS";
pub const SECRET: &str = "whsec_receiver_test_secret";
pub const OLD_SECRET: &str = "whsec_receiver_old_secret";
/// The longest any single network step may take before the test fails: far
/// beyond what a loaded machine needs, short enough to bound a hang.
pub const WAIT: Duration = Duration::from_secs(10);

/// A running receiver process, killed on drop.
pub struct Receiver {
    child: Child,
    pub addr: SocketAddr,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
}

impl Receiver {
    /// Starts the receiver on a free port with both test secrets and `args`.
    pub fn start(args: &[&str]) -> Self {
        Self::spawn(args, None)
    }

    /// Starts it as [`start`](Self::start) does, allowed only `fds` open
    /// file descriptors.
    pub fn start_with_fd_limit(args: &[&str], fds: u32) -> Self {
        Self::spawn(args, Some(fds))
    }

    fn spawn(args: &[&str], fd_limit: Option<u32>) -> Self {
        let exe = std::env::current_exe().unwrap();
        let harness = [
            "receiver_process",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
            // Keeps the harness's own output off the lines the events are on.
            "--quiet",
        ];
        let mut command = match fd_limit {
            None => Command::new(&exe),
            Some(fds) => {
                let mut sh = Command::new("sh");
                sh.arg("-c")
                    .arg(format!("ulimit -n {fds} && exec \"$0\" \"$@\""))
                    .arg(&exe);
                sh
            }
        };
        let mut listen_args = vec!["--listen", "127.0.0.1:0"];
        listen_args.extend_from_slice(args);
        let mut child = command
            .args(harness)
            .env(ARGS_VAR, listen_args.join("\n"))
            .env("VAST_WEBHOOK_SECRET", format!("{SECRET}, {OLD_SECRET}"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();

        let stdout = Arc::new(Mutex::new(String::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        let (bound, listening) = mpsc::channel();
        drain(child.stdout.take().unwrap(), Arc::clone(&stdout), None);
        drain(
            child.stderr.take().unwrap(),
            Arc::clone(&stderr),
            Some(bound),
        );
        let addr = match listening.recv_timeout(WAIT) {
            Ok(addr) => addr,
            Err(_) => {
                let _ = child.kill();
                panic!("the receiver did not start: {}", stderr.lock().unwrap());
            }
        };
        Self {
            child,
            addr,
            stdout,
            stderr,
        }
    }

    /// The events printed, one JSON document a line, once there are at least
    /// `count` (they reach this process a moment after the answer does).
    pub fn events(&self, count: usize) -> Vec<serde_json::Value> {
        let started = Instant::now();
        loop {
            let events = self.events_so_far();
            if events.len() >= count || started.elapsed() > WAIT {
                return events;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The events printed so far. The test harness's own lines in the
    /// child's stdout are skipped.
    fn events_so_far(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lock()
            .unwrap()
            .lines()
            .filter(|line| line.starts_with('{'))
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    }

    /// Everything printed to stdout and stderr so far.
    pub fn output(&self) -> String {
        let stdout = self.stdout.lock().unwrap().clone();
        stdout + &self.stderr.lock().unwrap()
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// The process's peak resident memory in KiB (`VmHWM`).
    pub fn peak_rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    }

    /// Connects, with read and write timeouts of [`WAIT`].
    pub fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect_timeout(&self.addr, WAIT).unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        stream.set_write_timeout(Some(WAIT)).unwrap();
        stream
    }

    /// Sends `raw` on a new connection and returns the response's status,
    /// `None` when the connection closed without one.
    pub fn exchange(&self, raw: &[u8]) -> Option<u16> {
        let mut stream = self.connect();
        // The receiver may answer and close before taking everything.
        let _ = stream.write_all(raw);
        read_status(&mut stream)
    }

    /// Sends one request with `Connection: close` and returns the status.
    pub fn send(&self, method: &str, headers: &[(&str, &str)], body: &[u8]) -> u16 {
        self.exchange(&request(method, headers, body))
            .expect("the receiver closed the connection without an answer")
    }

    /// Sends `body` signed with `secret` at `timestamp`, plus `extra` headers.
    pub fn deliver(
        &self,
        secret: &str,
        timestamp: u64,
        body: &[u8],
        extra: &[(&str, &str)],
    ) -> u16 {
        let signed = sign(secret, timestamp, body);
        let mut headers = signed.pairs().to_vec();
        headers.extend_from_slice(extra);
        self.send("POST", &headers, body)
    }

    /// Delivers a new event `id` signed with the current secret and time and returns the
    /// status, `None` when the connection closed without one.
    pub fn try_deliver_event(&self, id: &str) -> Option<u16> {
        let body = event(id);
        self.exchange(&request("POST", &sign(SECRET, now(), &body).pairs(), &body))
    }

    /// Delivers a new event `id` signed with the current secret and time.
    pub fn deliver_event(&self, id: &str) -> u16 {
        self.try_deliver_event(id)
            .expect("the receiver closed the connection without an answer")
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Copies `from` into `into` line by line; sends the first address the
/// receiver says it listens on to `bound`.
fn drain(
    from: impl Read + Send + 'static,
    into: Arc<Mutex<String>>,
    mut bound: Option<mpsc::Sender<SocketAddr>>,
) {
    std::thread::spawn(move || {
        for line in BufReader::new(from).lines() {
            let Ok(line) = line else { break };
            if let Some(addr) = line
                .split_once("listening on http://")
                .and_then(|(_, rest)| rest.split(' ').next())
                .and_then(|addr| addr.parse().ok())
                && let Some(bound) = bound.take()
            {
                let _ = bound.send(addr);
            }
            let mut into = into.lock().unwrap();
            into.push_str(&line);
            into.push('\n');
        }
    });
}

/// A request with `Connection: close` and a `Content-Length`.
pub fn request(method: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut raw = format!(
        "{method} /vast HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        raw.push_str(&format!("{name}: {value}\r\n"));
    }
    raw.push_str("\r\n");
    let mut raw = raw.into_bytes();
    raw.extend_from_slice(body);
    raw
}

/// The head of a request that passes every check made before the body is
/// read (fresh timestamp, well-formed signature) but whose signature is
/// wrong, announcing `content_length` bytes of body.
pub fn unsigned_head(content_length: u64) -> Vec<u8> {
    format!(
        "POST /vast HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {content_length}\r\nX-Vast-Timestamp: {}\r\nX-Vast-Signature-256: sha256={}\r\n\r\n",
        now(),
        "0".repeat(64)
    )
    .into_bytes()
}

/// Reads a response's status line; `None` when the connection closes, fails
/// or times out first.
pub fn read_status(stream: &mut TcpStream) -> Option<u16> {
    let mut head = Vec::new();
    let mut buf = [0; 1024];
    while !head.windows(2).any(|pair| pair == b"\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return None,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let line = String::from_utf8_lossy(&head);
    line.split(' ').nth(1)?.parse().ok()
}

/// Waits until the peer closes `stream` (or answers, or errs); how long that
/// took, or `None` if it stayed open for `WAIT`.
pub fn time_to_close(stream: &mut TcpStream) -> Option<Duration> {
    let started = Instant::now();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    let mut buf = [0; 1024];
    match stream.read(&mut buf) {
        Err(error)
            if matches!(
                error.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ) =>
        {
            None
        }
        _ => Some(started.elapsed()),
    }
}

pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// The body of a notification with this event id.
pub fn event(id: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "event_id": id, "user_id": 123, "notif_type": "low_credit",
        "subject": "Low credit", "message": "Top up", "timestamp": 1772490000.123,
    }))
    .unwrap()
}
