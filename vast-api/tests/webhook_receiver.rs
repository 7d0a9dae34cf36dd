//! Attacks `examples/webhook_receiver/` over 127.0.0.1, running as a
//! separate process (see `webhook_receiver/support.rs`): first its contract,
//! then each kind of hostile traffic it must survive.

#[path = "../examples/webhook_receiver/main.rs"]
#[allow(dead_code)] // The example's `main` is not called from here.
mod receiver;
#[path = "webhook_receiver/support.rs"]
mod support;

use std::ffi::OsString;
use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use receiver::{Config, verifier_from_env};
use support::{
    ARGS_VAR, OLD_SECRET, Receiver, SECRET, WAIT, event, now, read_status, time_to_close,
    unsigned_head,
};
use vast_api::webhook::{DELIVERY_ATTEMPT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, sign};

/// Not a test: the receiver process the other tests start (see
/// `Receiver::start`), running the example with the arguments they pass.
#[test]
#[ignore = "run by the other tests as the receiver process"]
fn receiver_process() {
    let args = std::env::var(ARGS_VAR).expect("started by `Receiver::start`, which sets the args");
    let result = receiver::run(
        args.lines().map(OsString::from),
        std::env::var_os(receiver::SECRET_VAR),
    );
    panic!("the receiver stopped: {result:?}");
}

#[test]
fn answers_follow_the_receiver_contract() {
    let receiver = Receiver::start(&[]);
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

    let lines = receiver.events(2);
    let ids: Vec<&str> = lines
        .iter()
        .filter_map(|line| line["notification"]["event_id"].as_str())
        .collect();
    assert_eq!(ids, ["ev-1", "ev-2"]);
    assert_eq!(lines[0]["timestamp"], now);
    assert_eq!(lines[1]["delivery_attempt"], 1);
    assert_eq!(lines[1]["notification"]["notif_type"], "low_credit");
    let printed = receiver.output();
    assert!(!printed.contains(SECRET) && !printed.contains(OLD_SECRET));
}

#[test]
fn oversized_bodies_are_refused_unread() {
    let mut receiver = Receiver::start(&[]);
    // Over the limit, announced: 413 at once, though no byte of it was sent.
    assert_eq!(receiver.exchange(&unsigned_head(1_048_577)), Some(413));
    assert_eq!(receiver.exchange(&unsigned_head(2_000_000_000)), Some(413));
    let unauthenticated = |length: &str| {
        format!("POST /vast HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {length}\r\n\r\n{{}}")
    };
    let mut stream = receiver.connect();
    stream
        .write_all(unauthenticated("18446744073709551613").as_bytes())
        .unwrap();
    stream.shutdown(std::net::Shutdown::Write).unwrap();
    assert_eq!(read_status(&mut stream), Some(413));
    // The two largest lengths hyper refuses while parsing the head, with 431.
    let largest = unauthenticated("18446744073709551615");
    assert_eq!(receiver.exchange(largest.as_bytes()), Some(431));
    // A chunked body is cut at the limit.
    let mut chunked = String::from_utf8(unsigned_head(0))
        .unwrap()
        .replace("Content-Length: 0", "Transfer-Encoding: chunked");
    let chunk = "a".repeat(64 << 10);
    for _ in 0..17 {
        chunked.push_str(&format!("{:x}\r\n{chunk}\r\n", chunk.len()));
    }
    chunked.push_str("0\r\n\r\n");
    assert_eq!(receiver.exchange(chunked.as_bytes()), Some(413));
    // The limit itself is accepted: 1 MiB of JSON whitespace after an event.
    let mut big = event("big");
    big.resize(1 << 20, b' ');
    assert_eq!(receiver.deliver(SECRET, now(), &big, &[]), 204);

    assert!(receiver.is_running());
    assert_eq!(receiver.deliver_event("after"), 204);
}

#[test]
fn slow_and_idle_clients_do_not_delay_deliveries() {
    let mut receiver = Receiver::start(&["--header-timeout-secs", "3", "--body-timeout-secs", "3"]);
    let opened = Instant::now();
    let mut idle: Vec<TcpStream> = (0..300).map(|_| receiver.connect()).collect();
    // A head announcing a body it never sends.
    let mut stalled = receiver.connect();
    stalled.write_all(&unsigned_head(1000)).unwrap();
    // A body trickled at a byte a second, for no longer than the test needs.
    let mut trickle = receiver.connect();
    trickle.write_all(&unsigned_head(1000)).unwrap();
    let trickler = std::thread::spawn({
        let mut trickle = trickle.try_clone().unwrap();
        move || {
            for _ in 0..15 {
                if trickle.write_all(b" ").is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_secs(1));
            }
        }
    });

    let mut took = Vec::new();
    for n in 0..3 {
        let started = Instant::now();
        assert_eq!(receiver.deliver_event(&format!("busy-{n}")), 204);
        took.push(started.elapsed());
    }
    eprintln!("signed deliveries beside 300 idle connections and a trickle took {took:?}");
    // Measured at a few milliseconds: a second is ample even on a loaded
    // machine.
    assert!(
        took.iter().all(|took| *took < Duration::from_secs(1)),
        "{took:?}"
    );

    // The body timeout ends both slow bodies with 408, the header timeout the
    // idle connections.
    assert_eq!(read_status(&mut stalled), Some(408));
    assert_eq!(read_status(&mut trickle), Some(408));
    assert!(time_to_close(&mut idle[0]).is_some());
    eprintln!(
        "an idle connection was closed {:?} after it opened (header timeout 3 s)",
        opened.elapsed()
    );
    trickler.join().unwrap();
    assert!(receiver.is_running());
}

#[test]
fn hostile_heads_are_answered_or_closed() {
    let mut receiver = Receiver::start(&[]);
    let head = |extra: &str| format!("POST /vast HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}\r\n");

    let many: String = (0..2000).map(|n| format!("X-Filler-{n}: v\r\n")).collect();
    assert_eq!(receiver.exchange(head(&many).as_bytes()), Some(431));
    let long = format!("X-Long: {}\r\n", "a".repeat(100 << 10));
    assert_eq!(receiver.exchange(head(&long).as_bytes()), Some(431));

    // A 64 MB header line: the receiver stops reading at the limit.
    let before = receiver.peak_rss_kib();
    let mut stream = receiver.connect();
    stream.write_all(head("X-Huge: ").as_bytes()).unwrap();
    let chunk = vec![b'a'; 1 << 20];
    let sent = (0..64)
        .take_while(|_| stream.write_all(&chunk).is_ok())
        .count();
    // The 431 may be lost to the reset the unread bytes cause.
    let status = read_status(&mut stream);
    assert!(matches!(status, Some(431) | None), "{status:?}");
    let after = receiver.peak_rss_kib();
    eprintln!(
        "64 MB header line: {sent} MiB sent, answer {status:?}, peak RSS {before} -> {after} KiB"
    );
    assert!(
        after < before + 8 * 1024,
        "peak RSS {before} -> {after} KiB"
    );

    let mut not_utf8 = head("Content-Length: 0\r\nX-Bytes: \u{0}\r\n").into_bytes();
    let at = not_utf8.iter().position(|&b| b == 0).unwrap();
    not_utf8.splice(at..=at, [0xff, 0xfe]);
    assert_eq!(receiver.exchange(&not_utf8), Some(400));

    let started = Instant::now();
    let http2 = b"POST /vast HTTP/2.0\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n";
    assert_eq!(receiver.exchange(http2), Some(400));
    let preface = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    assert_eq!(receiver.exchange(preface), None, "closed without an answer");
    assert!(started.elapsed() < WAIT);

    assert!(receiver.is_running());
    assert_eq!(receiver.deliver_event("after"), 204);
}

#[test]
fn repeats_are_remembered_within_bounds() {
    let receiver = Receiver::start(&["--max-events", "3"]);
    let too_long = "x".repeat(257);
    assert_eq!(receiver.deliver_event(&too_long), 400);
    let longest = "y".repeat(256);
    assert_eq!(receiver.deliver_event(&longest), 204);
    assert_eq!(receiver.deliver_event(&longest), 200);
    for id in ["a", "b", "c"] {
        assert_eq!(receiver.deliver_event(id), 204);
    }
    // Three ids are remembered: the oldest was dropped to make room for "c".
    assert_eq!(receiver.deliver_event("c"), 200);
    assert_eq!(receiver.deliver_event(&longest), 204);
    assert_eq!(receiver.events(5).len(), 5);
}

#[test]
fn excess_connections_are_closed_at_once() {
    let receiver = Receiver::start(&["--max-connections", "4"]);
    let held: Vec<TcpStream> = (0..4).map(|_| receiver.connect()).collect();
    // Let the receiver accept them all before the fifth.
    std::thread::sleep(Duration::from_millis(200));
    let mut fifth = receiver.connect();
    let closed = time_to_close(&mut fifth);
    assert!(closed.is_some_and(|closed| closed < WAIT), "{closed:?}");
    drop(held);
    assert_eq!(retry_delivery(&receiver, "after"), 204);
}

#[test]
fn running_out_of_file_descriptors_is_survived() {
    let mut receiver = Receiver::start_with_fd_limit(&[], 64);
    // More connections than descriptors: the kernel queues what the
    // receiver cannot accept.
    let held: Vec<TcpStream> = (0..100).map(|_| receiver.connect()).collect();
    let started = Instant::now();
    while !receiver.output().contains("cannot accept") && started.elapsed() < WAIT {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        receiver.output().contains("cannot accept"),
        "{}",
        receiver.output()
    );
    assert!(receiver.is_running());
    drop(held);
    assert_eq!(retry_delivery(&receiver, "after"), 204);
    assert!(receiver.is_running());
}

/// Delivers a new event, trying again while the receiver is still closing
/// connections a test has just let go of.
fn retry_delivery(receiver: &Receiver, id: &str) -> u16 {
    let started = Instant::now();
    loop {
        match receiver.try_deliver_event(id) {
            Some(status) => return status,
            None if started.elapsed() < WAIT => std::thread::sleep(Duration::from_millis(100)),
            None => panic!("no answer within {WAIT:?}"),
        }
    }
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
    let not_utf8 = std::os::unix::ffi::OsStringExt::from_vec(vec![b's', 0xff]);
    assert!(verifier_from_env(Some(not_utf8)).is_err());
}

#[test]
fn flags_set_the_address_and_limits() {
    let parse = |args: &[&str]| Config::from_args(args.iter().map(OsString::from));
    assert_eq!(parse(&[]), Ok(Some(Config::default())));
    assert_eq!(Config::default().listen, "127.0.0.1:8787");
    let config = parse(&[
        "--listen",
        "127.0.0.1:0",
        "--max-body-bytes=10",
        "--max-header-bytes",
        "9000",
        "--max-headers=5",
        "--header-timeout-secs",
        "0.5",
        "--body-timeout-secs=2",
        "--max-connections",
        "7",
        "--max-events=0",
    ])
    .unwrap()
    .unwrap();
    assert_eq!(
        config,
        Config {
            listen: "127.0.0.1:0".to_owned(),
            max_body_bytes: 10,
            max_header_bytes: 9000,
            max_headers: 5,
            header_timeout: Duration::from_millis(500),
            body_timeout: Duration::from_secs(2),
            max_connections: 7,
            max_events: 0,
        }
    );
    assert_eq!(
        parse(&["--listen=[::1]:9000"]).unwrap().unwrap().listen,
        "[::1]:9000"
    );
    assert_eq!(parse(&["--help"]), Ok(None));
    for bad in [
        &["--listen"][..],
        &["--port", "1"],
        &["--max-connections", "0"],
        &["--max-body-bytes", "-1"],
        &["--body-timeout-secs", "0"],
        &["--header-timeout-secs", "NaN"],
        &["--header-timeout-secs", "1e30"],
    ] {
        assert!(parse(bad).is_err(), "{bad:?}");
    }
}
