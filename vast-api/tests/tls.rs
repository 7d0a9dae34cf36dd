//! HTTPS works with the default features: the client `ClientBuilder` makes starts a TLS
//! handshake. No network: a listener on 127.0.0.1 reads the ClientHello and hangs up.
#![cfg(feature = "rustls")]

use std::io::Read;
use std::net::TcpListener;

use vast_api::{Client, ErrorKind, RetryPolicy};

/// The first TLS record a client sends: its type, and its payload (the handshake message).
fn read_first_record(listener: &TcpListener) -> (u8, Vec<u8>) {
    let (mut stream, _) = listener.accept().expect("accept");
    let mut header = [0u8; 5];
    stream.read_exact(&mut header).expect("record header");
    let length = usize::from(u16::from_be_bytes([header[3], header[4]]));
    let mut payload = vec![0u8; length];
    stream.read_exact(&mut payload).expect("record payload");
    (header[0], payload)
}

#[tokio::test]
async fn default_client_sends_a_tls_client_hello() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let port = listener.local_addr().expect("address").port();
    let server = std::thread::spawn(move || read_first_record(&listener));

    // Building must not panic for want of a rustls crypto provider: none is installed here.
    let client = Client::builder()
        .api_key("test-key")
        .base_url(format!("https://127.0.0.1:{port}"))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("client with the default features");
    let error = client
        .rotate_notification_webhook_secret()
        .id(42)
        .call()
        .await
        .expect_err("the listener hangs up mid-handshake");
    assert_ne!(error.kind(), ErrorKind::InvalidRequest, "{error}");

    let (record_type, payload) = server.join().expect("listener thread");
    assert_eq!(record_type, 0x16, "a TLS handshake record");
    assert_eq!(payload.first(), Some(&0x01), "a ClientHello");
    // The ALPN extension (type 16) of src/tls.rs, whole: HTTP/1.1, and h2 with `http2` only.
    let alpn: &[u8] = if cfg!(feature = "http2") {
        b"\x00\x10\x00\x0e\x00\x0c\x02h2\x08http/1.1"
    } else {
        b"\x00\x10\x00\x0b\x00\x09\x08http/1.1"
    };
    assert!(
        payload.windows(alpn.len()).any(|window| window == alpn),
        "ALPN offer {alpn:?} not in the ClientHello"
    );
}
