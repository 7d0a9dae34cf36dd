//! Checks the verifier against the shared X-Vast-Signature-256 test vectors
//! in `tests/data/webhook-vectors.json`.

use std::collections::BTreeMap;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use http::{HeaderMap, HeaderName, HeaderValue};
use serde::Deserialize;
use vast_api::webhook::{
    SIGNATURE_HEADER, TIMESTAMP_HEADER, WebhookError, WebhookHeaders, WebhookVerifier,
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VectorFile {
    #[allow(dead_code)] // Prose for people reading the file.
    about: String,
    cases: Vec<Case>,
}

// Unknown fields fail the test, so a new kind of input in the file cannot be
// silently ignored.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    secrets: Vec<String>,
    headers: BTreeMap<String, String>,
    body_utf8: Option<String>,
    body_base64: String,
    now: u64,
    tolerance_seconds: u64,
    expect: String,
    reason: Option<String>,
}

fn load() -> VectorFile {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/webhook-vectors.json"
    );
    let text = std::fs::read_to_string(path).expect("read the vectors file");
    serde_json::from_str(&text).expect("parse the vectors file")
}

/// Whether `error` is what the file's `reason` names; an unknown reason is a
/// test failure, never a skip.
fn matches_reason(reason: &str, error: &WebhookError) -> Result<bool, String> {
    Ok(match reason {
        "signature_mismatch" => matches!(error, WebhookError::SignatureMismatch),
        "timestamp_too_old" => matches!(error, WebhookError::TimestampTooOld { .. }),
        "timestamp_in_future" => matches!(error, WebhookError::TimestampInFuture { .. }),
        "malformed_signature" => matches!(error, WebhookError::MalformedSignature { .. }),
        "malformed_timestamp" => matches!(error, WebhookError::MalformedTimestamp { .. }),
        "missing_timestamp" => {
            matches!(error, WebhookError::MissingHeader { header } if *header == TIMESTAMP_HEADER)
        }
        "missing_signature" => {
            matches!(error, WebhookError::MissingHeader { header } if *header == SIGNATURE_HEADER)
        }
        "no_secret" => matches!(error, WebhookError::NoSecret),
        other => return Err(format!("unknown reason {other:?} in the vectors file")),
    })
}

fn header_map(headers: &BTreeMap<String, String>) -> HeaderMap {
    headers
        .iter()
        .map(|(name, value)| {
            let name = HeaderName::from_bytes(name.as_bytes()).expect("vector header name");
            let value = HeaderValue::from_str(value).expect("vector header value");
            (name, value)
        })
        .collect()
}

/// Checks one case with headers in one form; `Err` describes a failure.
fn check(case: &Case, body: &[u8], headers: WebhookHeaders, form: &str) -> Result<(), String> {
    let now = case.now;
    let verifier = WebhookVerifier::new(&case.secrets)
        .with_tolerance(Duration::from_secs(case.tolerance_seconds))
        .with_clock(move || now);
    let outcome = verifier.verify(headers, body);
    match (case.expect.as_str(), &outcome, &case.reason) {
        ("ok", Ok(delivery), None) if delivery.body() == body => Ok(()),
        ("reject", Err(error), Some(reason)) => match matches_reason(reason, error)? {
            true => Ok(()),
            false => Err(format!("{form}: expected {reason}, got {error:?}")),
        },
        (expect, _, reason) if !matches!(expect, "ok" | "reject") => {
            Err(format!("unknown expect {expect:?} (reason {reason:?})"))
        }
        (expect, outcome, reason) => Err(format!(
            "{form}: expected {expect} ({reason:?}), got {outcome:?}"
        )),
    }
}

#[test]
fn every_vector_gives_the_expected_outcome() {
    let file = load();
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in &file.cases {
        let body = BASE64
            .decode(&case.body_base64)
            .expect("body_base64 is base64");
        if let Some(text) = &case.body_utf8 {
            assert_eq!(
                text.as_bytes(),
                body,
                "{}: body_utf8 and body_base64 differ",
                case.name
            );
        }
        let forms = [
            (
                "name/value pairs",
                WebhookHeaders::from_pairs(&case.headers),
            ),
            (
                "http::HeaderMap",
                WebhookHeaders::from(&header_map(&case.headers)),
            ),
        ];
        for (form, headers) in forms {
            if let Err(failure) = check(case, &body, headers, form) {
                failures.push(format!("{}: {failure}", case.name));
            }
        }
        checked += 1;
    }
    assert!(
        failures.is_empty(),
        "failing vectors:\n{}",
        failures.join("\n")
    );
    assert!(checked > 0, "the vectors file has no cases");
    assert_eq!(checked, file.cases.len());
}

#[test]
fn verified_vector_bodies_parse_as_events_exactly_when_they_are_notifications() {
    let file = load();
    let mut events = 0;
    for case in file.cases.iter().filter(|case| case.expect == "ok") {
        let body = BASE64
            .decode(&case.body_base64)
            .expect("body_base64 is base64");
        let now = case.now;
        let verifier = WebhookVerifier::new(&case.secrets)
            .with_tolerance(Duration::from_secs(case.tolerance_seconds))
            .with_clock(move || now);
        let is_notification =
            serde_json::from_slice::<vast_api::webhook::Notification>(&body).is_ok();
        match verifier.verify_event(WebhookHeaders::from_pairs(&case.headers), &body) {
            Ok(event) => {
                assert!(is_notification, "{}: parsed a non-notification", case.name);
                assert_eq!(
                    event.timestamp().to_string(),
                    case.headers[TIMESTAMP_HEADER]
                );
                events += 1;
            }
            Err(WebhookError::InvalidEvent { .. }) => {
                assert!(!is_notification, "{}: rejected a notification", case.name);
            }
            Err(other) => panic!("{}: verified delivery failed as {other:?}", case.name),
        }
    }
    // The file holds both kinds of body; make sure the event path ran.
    assert!(events > 0, "no vector body parsed as an event");
}
