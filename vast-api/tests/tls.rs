//! HTTPS with the default features: the client `ClientBuilder` makes starts a TLS handshake
//! offering the expected ALPN, and it really checks certificates. No network: a listener on
//! 127.0.0.1 reads the ClientHello and hangs up, and a loopback HTTPS server (rustls, with
//! certificates rcgen makes here) records whatever HTTP bytes reach it.
#![cfg(feature = "rustls")]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose,
    date_time_ymd,
};
use rustls::CertificateError;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use vast_api::{Client, ClientBuilder, Error, ErrorKind, RetryPolicy};

const KEY: &str = "test-key-0123456789abcdef";

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

// ---- Certificates: a loopback HTTPS server and the client's verdict on it. ----

/// A certificate authority of this test's own.
struct Authority {
    certificate: CertificateDer<'static>,
    issuer: Issuer<'static, KeyPair>,
}

impl Authority {
    fn new() -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(DnType::CommonName, "vast-api test CA");
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let key = KeyPair::generate().expect("CA key");
        let certificate = params
            .self_signed(&key)
            .expect("CA certificate")
            .der()
            .clone();
        Self {
            certificate,
            issuer: Issuer::new(params, key),
        }
    }

    /// A server certificate for `names`, valid now unless `expired`, and its key.
    fn issue(
        &self,
        names: &[&str],
        expired: bool,
    ) -> (CertificateDer<'static>, PrivateKeyDer<'static>) {
        let names: Vec<String> = names.iter().map(|name| (*name).to_owned()).collect();
        let mut params = CertificateParams::new(names).expect("server params");
        if expired {
            params.not_before = date_time_ymd(2020, 1, 1);
            params.not_after = date_time_ymd(2021, 1, 1);
        }
        let key = KeyPair::generate().expect("server key");
        let certificate = params
            .signed_by(&key, &self.issuer)
            .expect("server certificate");
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        (certificate.der().clone(), key)
    }
}

const ANSWER: &str = r#"{"success": true, "webhook": {"id": 42}}"#;

/// An HTTPS server on 127.0.0.1 presenting `certificate`: for each connection it completes the
/// handshake, reads a request head and answers it with [`ANSWER`]. It reports, per
/// connection, the HTTP bytes it received (none if the handshake failed).
fn https_server(
    certificate: CertificateDer<'static>,
    key: PrivateKeyDer<'static>,
) -> (u16, mpsc::Receiver<Vec<u8>>) {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(vec![certificate], key)
        .expect("server TLS config");
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let port = listener.local_addr().expect("address").port();
    let (report, received) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            // Bounded: a silent client cannot hold the thread for long.
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let _ = stream.set_write_timeout(Some(Duration::from_secs(10)));
            let connection = rustls::ServerConnection::new(Arc::clone(&config)).expect("session");
            let mut tls = rustls::StreamOwned::new(connection, stream);
            let mut request = Vec::new();
            let mut buffer = [0u8; 4096];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match tls.read(&mut buffer) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buffer[..n]),
                }
            }
            if !request.is_empty() {
                let _ = write!(
                    tls,
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                     content-length: {}\r\nconnection: close\r\n\r\n{ANSWER}",
                    ANSWER.len()
                );
                tls.conn.send_close_notify();
                let _ = tls.flush();
            }
            if report.send(request).is_err() {
                break;
            }
        }
    });
    (port, received)
}

/// The rotation through `client`, at the server on `port`.
async fn rotate(
    client: Client,
) -> Result<vast_api::types::RotateNotificationWebhookSecretResponse, Error> {
    client
        .rotate_notification_webhook_secret()
        .id(42)
        .call()
        .await
}

fn builder(port: u16) -> ClientBuilder {
    Client::builder()
        .api_key(KEY)
        .base_url(format!("https://127.0.0.1:{port}"))
}

/// A client trusting `authority` besides the platform's roots.
fn trusting(port: u16, authority: &Authority) -> Client {
    let http = ClientBuilder::reqwest_builder_with_roots([authority.certificate.to_vec()])
        .expect("TLS setup")
        .build()
        .expect("reqwest client");
    builder(port).http_client(http).build().expect("client")
}

/// The certificate error behind a TLS failure: rustls's, inside the TLS stream's `io::Error`
/// inside the connector's (`io::Error::source` skips the error it wraps; `get_ref` does not).
fn certificate_error(error: &Error) -> CertificateError {
    let mut cause = std::error::Error::source(error);
    while let Some(current) = cause {
        if let Some(rustls::Error::InvalidCertificate(certificate)) =
            current.downcast_ref::<rustls::Error>()
        {
            return certificate.clone();
        }
        cause = match current
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
        {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => current.source(),
        };
    }
    panic!("no certificate error behind {error:?}")
}

/// The call failed in the handshake, with a TLS error naming the certificate problem, and
/// the server saw no byte of HTTP, so neither the request nor the key.
fn assert_refused(error: &Error, received: &mpsc::Receiver<Vec<u8>>) -> CertificateError {
    assert_eq!(error.kind(), ErrorKind::Tls, "{error:?}");
    assert_eq!(error.status(), None);
    let text = error.to_string();
    assert!(
        text.starts_with(
            "rotate_notification_webhook_secret failed: TLS handshake failed: invalid peer certificate"
        ),
        "{text}"
    );
    assert!(!format!("{text} {error:?}").contains(KEY));
    let request = received
        .recv_timeout(Duration::from_secs(10))
        .expect("the server saw the connection");
    assert!(request.is_empty(), "the server received {request:?}");
    certificate_error(error)
}

#[tokio::test]
async fn the_default_client_refuses_a_certificate_it_does_not_trust() {
    let authority = Authority::new();
    let (certificate, key) = authority.issue(&["127.0.0.1"], false);
    let (port, received) = https_server(certificate, key);
    // Retries on, as by default: a certificate failure is not one to retry.
    let client = builder(port).build().expect("client");
    let error = rotate(client).await.expect_err("untrusted certificate");
    let certificate = assert_refused(&error, &received);
    assert_eq!(certificate, CertificateError::UnknownIssuer, "{error}");
    // Not retried: a second attempt would have been a second connection, reported by now or
    // soon after (the wait only ever delays a pass).
    assert!(
        received.recv_timeout(Duration::from_millis(500)).is_err(),
        "a certificate failure was retried"
    );
}

#[tokio::test]
async fn the_same_server_answers_once_its_authority_is_trusted() {
    let authority = Authority::new();
    let (certificate, key) = authority.issue(&["127.0.0.1"], false);
    let (port, received) = https_server(certificate, key);
    let rotated = rotate(trusting(port, &authority)).await.expect("trusted");
    assert_eq!(rotated.webhook.and_then(|w| w.id), Some(42));
    let request = received
        .recv_timeout(Duration::from_secs(10))
        .expect("request");
    let request = String::from_utf8_lossy(&request).to_ascii_lowercase();
    assert!(
        request.starts_with("post /api/v0/webhooks/42/rotate-secret/ http/1.1\r\n"),
        "{request}"
    );
    assert!(request.contains(&format!(
        "authorization: bearer {}",
        KEY.to_ascii_lowercase()
    )));
}

/// The certificate error that ends a call to a server whose certificate, for `hosts` and
/// `expired` if so, comes from an authority the client trusts; `why` says why it must fail.
async fn refused_trusted_certificate(hosts: &[&str], expired: bool, why: &str) -> CertificateError {
    let authority = Authority::new();
    let (certificate, key) = authority.issue(hosts, expired);
    let (port, received) = https_server(certificate, key);
    let error = rotate(trusting(port, &authority)).await.expect_err(why);
    assert_refused(&error, &received)
}

#[tokio::test]
async fn an_expired_certificate_is_refused() {
    let certificate = refused_trusted_certificate(&["127.0.0.1"], true, "expired").await;
    assert!(
        matches!(
            certificate,
            CertificateError::Expired | CertificateError::ExpiredContext { .. }
        ),
        "{certificate:?}"
    );
}

#[tokio::test]
async fn a_certificate_for_another_host_is_refused() {
    let certificate = refused_trusted_certificate(&["api.example.com"], false, "wrong host").await;
    assert!(
        matches!(
            certificate,
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. }
        ),
        "{certificate:?}"
    );
}

/// reqwest's own way to add a root is ignored beside this crate's TLS setup, which is why
/// `reqwest_builder_with_roots` exists.
#[tokio::test]
async fn reqwests_add_root_certificate_does_not_reach_the_preconfigured_tls() {
    let authority = Authority::new();
    let (certificate, key) = authority.issue(&["127.0.0.1"], false);
    let (port, received) = https_server(certificate, key);
    let root = reqwest::Certificate::from_der(&authority.certificate).expect("DER");
    let http = ClientBuilder::reqwest_builder()
        .expect("TLS setup")
        .tls_certs_merge([root])
        .build()
        .expect("reqwest client");
    let client = builder(port).http_client(http).build().expect("client");
    let error = rotate(client).await.expect_err("the root was ignored");
    assert_eq!(
        assert_refused(&error, &received),
        CertificateError::UnknownIssuer
    );
}
