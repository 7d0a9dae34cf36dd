//! Drives `examples/webhook_receiver.rs` over HTTP on 127.0.0.1.

#[path = "../examples/webhook_receiver.rs"]
#[allow(dead_code)] // The example's `main` is not called from here.
mod receiver;

use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use receiver::{DEFAULT_LISTEN, Receiver, listen_address, verifier_from_env};
use tiny_http::Server;
use vast_api::webhook::{DELIVERY_ATTEMPT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, sign};

const SECRET: &str = "whsec_receiver_test_secret";
const OLD_SECRET: &str = "whsec_receiver_old_secret";
const WAIT: Duration = Duration::from_secs(10);

/// Collects what the receiver prints for accepted events.
#[derive(Clone, Default)]
struct Lines(Arc<Mutex<Vec<u8>>>);

impl Write for Lines {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| io::Error::other("poisoned"))?
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Lines {
    fn json(&self) -> Vec<serde_json::Value> {
        let bytes = self.0.lock().unwrap().clone();
        String::from_utf8(bytes)
            .unwrap()
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    }
}

/// The example receiver on a free loopback port, stopped on drop.
struct Running {
    addr: SocketAddr,
    server: Arc<Server>,
    thread: Option<JoinHandle<()>>,
    lines: Lines,
}

impl Running {
    fn start(secrets: &str) -> Self {
        let verifier = verifier_from_env(Some(secrets.into())).unwrap();
        let server = Arc::new(Server::http("127.0.0.1:0").unwrap());
        let addr = server.server_addr().to_ip().unwrap();
        let lines = Lines::default();
        let thread = std::thread::spawn({
            let (server, mut lines) = (Arc::clone(&server), lines.clone());
            move || Receiver::new(verifier).serve(&server, &mut lines)
        });
        Self {
            addr,
            server,
            thread: Some(thread),
            lines,
        }
    }

    /// Sends one request and returns the response status.
    fn send(&self, method: &str, headers: &[(&str, &str)], body: &[u8]) -> u16 {
        let mut stream = TcpStream::connect_timeout(&self.addr, WAIT).unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        stream.set_write_timeout(Some(WAIT)).unwrap();
        let mut request = format!(
            "{method} /vast HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        stream.write_all(request.as_bytes()).unwrap();
        stream.write_all(body).unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let status = response.split(' ').nth(1).unwrap_or_default();
        status
            .parse()
            .unwrap_or_else(|_| panic!("no status in {response:?}"))
    }

    /// Sends `body` signed with `secret` at `timestamp`, plus `extra` headers.
    fn deliver(&self, secret: &str, timestamp: u64, body: &[u8], extra: &[(&str, &str)]) -> u16 {
        let signed = sign(secret, timestamp, body);
        let mut headers = signed.pairs().to_vec();
        headers.extend_from_slice(extra);
        self.send("POST", &headers, body)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn event(id: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "event_id": id, "user_id": 123, "notif_type": "low_credit",
        "subject": "Low credit", "message": "Top up", "timestamp": 1772490000.123,
    }))
    .unwrap()
}

#[test]
fn answers_follow_the_receiver_contract() {
    let receiver = Running::start(&format!("{SECRET}, {OLD_SECRET}"));
    let now = now();
    let body = event("ev-1");
    let signed = sign(SECRET, now, &body);

    assert_eq!(receiver.send("GET", &signed.pairs(), &body), 405);
    assert_eq!(receiver.send("PUT", &signed.pairs(), &body), 405);
    assert_eq!(receiver.send("POST", &[], &body), 400);
    assert_eq!(
        receiver.send("POST", &[(TIMESTAMP_HEADER, &signed.timestamp)], &body),
        400
    );
    assert_eq!(
        receiver.send("POST", &[(SIGNATURE_HEADER, &signed.signature)], &body),
        400
    );
    let malformed = [
        (TIMESTAMP_HEADER, signed.timestamp.as_str()),
        (SIGNATURE_HEADER, "sha256=abc"),
    ];
    assert_eq!(receiver.send("POST", &malformed, &body), 400);
    let fractional = [
        (TIMESTAMP_HEADER, "1772490000.5"),
        (SIGNATURE_HEADER, signed.signature.as_str()),
    ];
    assert_eq!(receiver.send("POST", &fractional, &body), 400);
    assert_eq!(receiver.deliver(SECRET, now, b"{\"a\":1}", &[]), 400);

    assert_eq!(receiver.deliver("not-the-secret", now, &body, &[]), 401);
    assert_eq!(receiver.deliver(SECRET, now - 1000, &body, &[]), 401);
    assert_eq!(receiver.deliver(SECRET, now + 1000, &body, &[]), 401);
    assert_eq!(receiver.send("POST", &signed.pairs(), b"{}"), 401);
    assert!(receiver.lines.json().is_empty(), "nothing accepted yet");

    assert_eq!(receiver.send("POST", &signed.pairs(), &body), 204);
    // A retry is signed afresh; it is still the same event.
    assert_eq!(
        receiver.deliver(SECRET, now + 1, &body, &[(DELIVERY_ATTEMPT_HEADER, "2")]),
        200
    );
    assert_eq!(receiver.send("POST", &signed.pairs(), &body), 200);
    // The other secret of a rotation is accepted too.
    assert_eq!(
        receiver.deliver(
            OLD_SECRET,
            now,
            &event("ev-2"),
            &[(DELIVERY_ATTEMPT_HEADER, "1")]
        ),
        204
    );

    let lines = receiver.lines.json();
    let ids: Vec<&str> = lines
        .iter()
        .filter_map(|line| line["notification"]["event_id"].as_str())
        .collect();
    assert_eq!(ids, ["ev-1", "ev-2"]);
    assert_eq!(lines[0]["timestamp"], now);
    assert_eq!(lines[1]["delivery_attempt"], 1);
    assert_eq!(lines[1]["notification"]["notif_type"], "low_credit");
    let printed = String::from_utf8(receiver.lines.0.lock().unwrap().clone()).unwrap();
    assert!(!printed.contains(SECRET) && !printed.contains(OLD_SECRET));
}

#[test]
fn secrets_come_from_the_environment_variable() {
    assert_eq!(
        verifier_from_env(Some("one".into()))
            .unwrap()
            .secret_count(),
        1
    );
    assert_eq!(
        verifier_from_env(Some("new, old,".into()))
            .unwrap()
            .secret_count(),
        2
    );
    for value in [None, Some(OsString::from("")), Some(OsString::from(" , ,"))] {
        assert!(verifier_from_env(value).is_err());
    }
    #[cfg(unix)]
    {
        let not_utf8 = std::os::unix::ffi::OsStringExt::from_vec(vec![b's', 0xff]);
        assert!(verifier_from_env(Some(not_utf8)).is_err());
    }
}

#[test]
fn listen_address_comes_from_the_arguments() {
    let parse = |args: &[&str]| listen_address(args.iter().map(OsString::from));
    assert_eq!(parse(&[]), Ok(Some(DEFAULT_LISTEN.to_owned())));
    assert_eq!(
        parse(&["--listen", "127.0.0.1:0"]),
        Ok(Some("127.0.0.1:0".to_owned()))
    );
    assert_eq!(
        parse(&["--listen=[::1]:9000"]),
        Ok(Some("[::1]:9000".to_owned()))
    );
    assert_eq!(parse(&["--help"]), Ok(None));
    assert!(parse(&["--listen"]).is_err());
    assert!(parse(&["--port", "1"]).is_err());
}
