//! The webhook API's errors: the HTTP status each one asks a receiver to answer with, the
//! header each names, and that no secret or expected MAC ever shows in their output.

mod webhook_support;

use std::error::Error as _;

use http::StatusCode;
use vast_api::webhook::{
    ReplayGuard, SIGNATURE_HEADER, TIMESTAMP_HEADER, WebhookError, WebhookHeaders, WebhookVerifier,
    sign,
};

use webhook_support::{EVENT, NOW, SECRET, signed, verifier};

#[test]
fn http_status_follows_the_receiver_contract() {
    // One per error of `every_error()`, in its order.
    let statuses = [
        StatusCode::BAD_REQUEST,           // no timestamp header
        StatusCode::BAD_REQUEST,           // no signature header
        StatusCode::BAD_REQUEST,           // a signature of another scheme
        StatusCode::BAD_REQUEST,           // a timestamp that is not a number
        StatusCode::UNAUTHORIZED,          // signed too long ago
        StatusCode::UNAUTHORIZED,          // signed in the future
        StatusCode::BAD_REQUEST,           // a signed body that is no event
        StatusCode::INTERNAL_SERVER_ERROR, // no usable secret
        StatusCode::UNAUTHORIZED,          // a signature of another body
        StatusCode::BAD_REQUEST,           // an event id too long for the replay guard
    ];
    let errors = every_error();
    assert_eq!(errors.len(), statuses.len(), "{errors:#?}");
    for (error, status) in errors.iter().zip(statuses) {
        assert_eq!(error.http_status(), status, "{error:?}");
    }

    // What `every_error()` does not try: a MAC of the wrong length, a second past the
    // tolerance either way, and a verifier given no secret at all.
    let signed = signed(EVENT);
    let status = |headers: WebhookHeaders, verifier: &WebhookVerifier| {
        verifier
            .verify_event(headers, EVENT)
            .unwrap_err()
            .http_status()
    };
    let v = verifier();
    let short_mac = WebhookHeaders::from_pairs([
        (TIMESTAMP_HEADER, signed.timestamp.as_str()),
        (SIGNATURE_HEADER, "sha256=00"),
    ]);
    assert_eq!(status(short_mac, &v), StatusCode::BAD_REQUEST);
    assert_eq!(
        status((&signed).into(), &v.clone().with_clock(|| NOW + 301)),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        status((&signed).into(), &v.clone().with_clock(|| NOW - 301)),
        StatusCode::UNAUTHORIZED
    );
    let no_secret = WebhookVerifier::new(Vec::<String>::new());
    assert_eq!(
        status((&signed).into(), &no_secret),
        StatusCode::INTERNAL_SERVER_ERROR
    );
}

/// Every error kind, as a verifier holding `SECRET` reports it.
fn every_error() -> Vec<WebhookError> {
    let signed = signed(EVENT);
    let v = WebhookVerifier::new(["old-secret", SECRET]).with_clock(|| NOW);
    let pairs = |timestamp: &str, signature: &str| {
        WebhookHeaders::from_pairs([
            (TIMESTAMP_HEADER, timestamp.to_owned()),
            (SIGNATURE_HEADER, signature.to_owned()),
        ])
    };
    let attempts = [
        v.verify_event(
            WebhookHeaders::from_pairs([(SIGNATURE_HEADER, &signed.signature)]),
            EVENT,
        ),
        v.verify_event(
            WebhookHeaders::from_pairs([(TIMESTAMP_HEADER, &signed.timestamp)]),
            EVENT,
        ),
        v.verify_event(pairs(&signed.timestamp, "sha1=00"), EVENT),
        v.verify_event(pairs("soon", &signed.signature), EVENT),
        v.clone()
            .with_clock(|| NOW + 1000)
            .verify_event(&signed, EVENT),
        v.clone()
            .with_clock(|| NOW - 1000)
            .verify_event(&signed, EVENT),
        v.verify_event(&sign(SECRET, NOW, b"{}"), b"{}"),
        WebhookVerifier::new([""]).verify_event(&signed, EVENT),
        v.verify_event(&signed, b"{ }"),
        ReplayGuard::for_verifier(&v)
            .check(&"x".repeat(257), NOW)
            .map(|_| unreachable!("the id is too long")),
    ];
    attempts
        .into_iter()
        .map(|attempt| attempt.unwrap_err())
        .collect()
}

#[test]
fn secrets_and_expected_macs_never_appear_in_output() {
    let verifier = WebhookVerifier::new(["old-secret", SECRET]);
    let debug = format!("{verifier:?}");
    assert!(
        !debug.contains(SECRET) && !debug.contains("old-secret"),
        "{debug}"
    );
    assert!(debug.contains("2 redacted"), "{debug}");

    let expected_macs: Vec<String> = [&b"{}"[..], EVENT, b"{ }"]
        .iter()
        .map(|body| sign(SECRET, NOW, body).signature["sha256=".len()..].to_owned())
        .collect();
    let errors = every_error();
    // Every kind is covered: both missing headers, and one of each other kind.
    let kinds: std::collections::HashSet<_> = errors.iter().map(std::mem::discriminant).collect();
    assert_eq!((errors.len(), kinds.len()), (10, 9), "{errors:#?}");
    for error in &errors {
        let mut texts = vec![error.to_string(), format!("{error:?}")];
        let mut source = error.source();
        while let Some(cause) = source {
            texts.push(cause.to_string());
            source = cause.source();
        }
        for text in texts {
            assert!(!text.contains(SECRET), "secret in {text}");
            for mac in &expected_macs {
                assert!(!text.contains(mac.as_str()), "MAC in {text}");
            }
        }
    }
}

#[test]
fn errors_name_the_header_at_fault() {
    let messages: Vec<String> = every_error().iter().map(ToString::to_string).collect();
    assert!(messages[0].contains(TIMESTAMP_HEADER), "{}", messages[0]);
    assert!(messages[1].contains(SIGNATURE_HEADER), "{}", messages[1]);
    assert!(messages[2].contains(SIGNATURE_HEADER), "{}", messages[2]);
    assert!(messages[3].contains(TIMESTAMP_HEADER), "{}", messages[3]);
}
