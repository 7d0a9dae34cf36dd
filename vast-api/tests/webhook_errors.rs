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
    let signed = signed(EVENT);
    let status = |headers: WebhookHeaders, verifier: &WebhookVerifier, body: &[u8]| {
        verifier
            .verify_event(headers, body)
            .unwrap_err()
            .http_status()
    };
    let v = verifier();
    let only = |name: &'static str, value: &str| WebhookHeaders::from_pairs([(name, value)]);
    assert_eq!(
        status(only(SIGNATURE_HEADER, &signed.signature), &v, EVENT),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        status(only(TIMESTAMP_HEADER, &signed.timestamp), &v, EVENT),
        StatusCode::BAD_REQUEST
    );
    let with_signature = |signature: &str| {
        WebhookHeaders::from_pairs([
            (TIMESTAMP_HEADER, signed.timestamp.as_str()),
            (SIGNATURE_HEADER, signature),
        ])
    };
    assert_eq!(
        status(with_signature("sha256=00"), &v, EVENT),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        status((&sign(SECRET, NOW, b"{}")).into(), &v, b"{}"),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        status((&signed).into(), &v, b"{ }"),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        status((&signed).into(), &v.clone().with_clock(|| NOW + 301), EVENT),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        status((&signed).into(), &v.clone().with_clock(|| NOW - 301), EVENT),
        StatusCode::UNAUTHORIZED
    );
    let no_secret = WebhookVerifier::new(Vec::<String>::new());
    assert_eq!(
        status((&signed).into(), &no_secret, EVENT),
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
