//! Behaviour of the webhook API beyond the shared vectors: header forms, event parsing, and
//! the order of the checks. (Status codes and error output: `webhook_errors.rs`.)

mod webhook_support;

use std::error::Error as _;
use std::time::Duration;

use http::{HeaderMap, HeaderValue};
use vast_api::webhook::{
    DEFAULT_TOLERANCE, DELIVERY_ATTEMPT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, WebhookError,
    WebhookHeaders, WebhookVerifier, sign,
};

use webhook_support::{EVENT, NOW, SECRET, signed, verifier};

#[test]
fn header_map_names_match_case_insensitively() {
    let signed = signed(EVENT);
    let mut map = HeaderMap::new();
    map.insert(
        "x-vast-timestamp",
        HeaderValue::from_str(&signed.timestamp).unwrap(),
    );
    map.insert(
        "X-VAST-SIGNATURE-256",
        HeaderValue::from_str(&signed.signature).unwrap(),
    );
    map.insert("x-vast-delivery-attempt", HeaderValue::from_static("3"));
    map.insert("content-type", HeaderValue::from_static("application/json"));
    let event = verifier().verify_event(&map, EVENT).unwrap();
    assert_eq!(event.event_id(), "ev-1");
    assert_eq!(event.timestamp(), NOW);
    assert_eq!(event.delivery_attempt(), Some(3));
}

#[test]
fn pair_values_lose_surrounding_whitespace_but_keep_their_text() {
    let signed = signed(EVENT);
    let headers = WebhookHeaders::from_pairs([
        ("X-VAST-TIMESTAMP", format!(" {}\t", signed.timestamp)),
        ("x-vast-signature-256", format!("{} ", signed.signature)),
    ]);
    assert!(verifier().verify(headers, EVENT).is_ok());
    // The signed text is the header as sent: leading zeros change it.
    let headers = WebhookHeaders::from_pairs([
        (TIMESTAMP_HEADER, format!("0{}", signed.timestamp)),
        (SIGNATURE_HEADER, signed.signature.clone()),
    ]);
    assert!(matches!(
        verifier().verify(headers, EVENT),
        Err(WebhookError::SignatureMismatch)
    ));
}

#[test]
fn uppercase_hex_signature_is_accepted() {
    let signed = signed(EVENT);
    let upper = format!(
        "sha256={}",
        signed.signature["sha256=".len()..].to_uppercase()
    );
    let headers = WebhookHeaders::from_pairs([
        (TIMESTAMP_HEADER, &signed.timestamp),
        (SIGNATURE_HEADER, &upper),
    ]);
    assert!(verifier().verify(headers, EVENT).is_ok());
}

#[test]
fn repeated_or_non_text_headers_are_malformed() {
    let signed = signed(EVENT);
    let twice_signed = WebhookHeaders::from_pairs([
        (TIMESTAMP_HEADER, signed.timestamp.as_str()),
        (SIGNATURE_HEADER, signed.signature.as_str()),
        ("x-vast-signature-256", signed.signature.as_str()),
    ]);
    assert!(matches!(
        verifier().verify(twice_signed, EVENT),
        Err(WebhookError::MalformedSignature { .. })
    ));
    let twice_timed = WebhookHeaders::from_pairs([
        (TIMESTAMP_HEADER, signed.timestamp.as_str()),
        (TIMESTAMP_HEADER, signed.timestamp.as_str()),
        (SIGNATURE_HEADER, signed.signature.as_str()),
    ]);
    assert!(matches!(
        verifier().verify(twice_timed, EVENT),
        Err(WebhookError::MalformedTimestamp { .. })
    ));
    let mut map = HeaderMap::new();
    map.insert(
        TIMESTAMP_HEADER,
        HeaderValue::from_bytes(b"17724\xff90000").unwrap(),
    );
    map.insert(
        SIGNATURE_HEADER,
        HeaderValue::from_str(&signed.signature).unwrap(),
    );
    assert!(matches!(
        verifier().verify(&map, EVENT),
        Err(WebhookError::MalformedTimestamp { .. })
    ));
}

#[test]
fn timestamp_header_must_be_plain_digits() {
    for text in ["+1772490000", "1772490000.0", "1e9", "0x10", "１７７２"] {
        let headers = WebhookHeaders::from_pairs([
            (TIMESTAMP_HEADER, text),
            (SIGNATURE_HEADER, &signed(EVENT).signature),
        ]);
        assert!(
            matches!(
                verifier().verify(headers, EVENT),
                Err(WebhookError::MalformedTimestamp { .. })
            ),
            "{text}"
        );
    }
    let blank = WebhookHeaders::from_pairs([
        (TIMESTAMP_HEADER, " "),
        (SIGNATURE_HEADER, &signed(EVENT).signature),
    ]);
    assert!(matches!(
        verifier().verify(blank, EVENT),
        Err(WebhookError::MissingHeader {
            header: TIMESTAMP_HEADER
        })
    ));
}

#[test]
fn tolerance_and_clock_are_configurable() {
    let signed = signed(EVENT);
    let strict = WebhookVerifier::new([SECRET]).with_tolerance(Duration::ZERO);
    assert!(
        strict
            .clone()
            .with_clock(|| NOW)
            .verify(&signed, EVENT)
            .is_ok()
    );
    assert!(matches!(
        strict.clone().with_clock(|| NOW + 1).verify(&signed, EVENT),
        Err(WebhookError::TimestampTooOld {
            age_secs: 1,
            tolerance_secs: 0
        })
    ));
    assert!(matches!(
        strict.with_clock(|| NOW - 1).verify(&signed, EVENT),
        Err(WebhookError::TimestampInFuture {
            ahead_secs: 1,
            tolerance_secs: 0
        })
    ));
    assert_eq!(
        WebhookVerifier::new([SECRET]).tolerance(),
        DEFAULT_TOLERANCE
    );
    // Without `with_clock`, the system clock is used.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let fresh = sign(SECRET, now, EVENT);
    assert!(WebhookVerifier::new([SECRET]).verify(&fresh, EVENT).is_ok());
}

#[test]
fn empty_secrets_are_skipped() {
    let verifier = WebhookVerifier::new(["", SECRET, ""]).with_clock(|| NOW);
    assert_eq!(verifier.secret_count(), 1);
    assert!(verifier.verify(&signed(EVENT), EVENT).is_ok());

    let empty_only = WebhookVerifier::new([""]).with_clock(|| NOW);
    assert_eq!(empty_only.secret_count(), 0);
    let forged = sign("", NOW, EVENT);
    assert!(matches!(
        empty_only.verify(&forged, EVENT),
        Err(WebhookError::NoSecret)
    ));
}

#[test]
fn event_keeps_unknown_fields_and_delivery_details() {
    let signed = signed(EVENT);
    let mut pairs = signed.pairs().to_vec();
    pairs.push((DELIVERY_ATTEMPT_HEADER, "2"));
    let event = verifier()
        .verify_event(WebhookHeaders::from_pairs(pairs), EVENT)
        .unwrap();
    let notification = event.notification();
    assert_eq!(notification.user_id, 7);
    assert_eq!(notification.notif_type, "low_credit");
    assert_eq!(notification.timestamp, 1_772_489_999.25);
    assert_eq!(notification.extra["severity"], "warn");
    assert_eq!(event.delivery_attempt(), Some(2));

    // Serialising gives every field back, the unknown one included.
    let original: serde_json::Value = serde_json::from_slice(EVENT).unwrap();
    let round_trip = serde_json::to_value(event.clone().into_notification()).unwrap();
    assert_eq!(round_trip, original);
    let line = serde_json::to_value(&event).unwrap();
    assert_eq!(line["timestamp"], NOW);
    assert_eq!(line["delivery_attempt"], 2);
    assert_eq!(line["notification"], original);
}

#[test]
fn unusable_delivery_attempt_is_none() {
    for attempt in [None, Some("0"), Some("x"), Some("-1"), Some("99999999999")] {
        let signed = signed(EVENT);
        let mut pairs = signed.pairs().to_vec();
        pairs.extend(attempt.map(|value| (DELIVERY_ATTEMPT_HEADER, value)));
        let delivery = verifier()
            .verify(WebhookHeaders::from_pairs(pairs), EVENT)
            .unwrap();
        assert_eq!(delivery.delivery_attempt(), None, "{attempt:?}");
    }
}

#[test]
fn authentic_bodies_that_are_not_events_are_told_apart() {
    for body in [
        &b""[..],
        b"{\"a\":1}",
        b"not json",
        br#"{"event_id":"e"}"#,
        br#"{"event_id":1,"user_id":1,"notif_type":"x","subject":"s","message":"m","timestamp":1}"#,
    ] {
        let signed = signed(body);
        let delivery = verifier().verify(&signed, body).unwrap();
        assert_eq!(delivery.body(), body);
        let error = verifier().verify_event(&signed, body).unwrap_err();
        assert!(
            matches!(error, WebhookError::InvalidEvent { .. }),
            "{error:?}"
        );
        assert!(error.source().is_some());
    }
}

#[test]
fn headers_are_checked_before_the_body() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};

    let signed = signed(EVENT);
    let clock = Arc::new(AtomicU64::new(NOW));
    let v = WebhookVerifier::new([SECRET]).with_clock({
        let clock = Arc::clone(&clock);
        move || clock.load(Ordering::Relaxed)
    });

    // Everything that needs no body is decided from the headers alone.
    let only_timestamp = WebhookHeaders::from_pairs([(TIMESTAMP_HEADER, &signed.timestamp)]);
    assert!(matches!(
        v.check_headers(only_timestamp),
        Err(WebhookError::MissingHeader { .. })
    ));
    let stale = sign(SECRET, NOW - 301, EVENT);
    assert!(matches!(
        v.check_headers(&stale),
        Err(WebhookError::TimestampTooOld { age_secs: 301, .. })
    ));
    assert!(matches!(
        WebhookVerifier::new([""]).check_headers(&signed),
        Err(WebhookError::NoSecret)
    ));

    // A forged signature passes the head check: only the body can tell.
    let forged = sign("not-the-secret", NOW, EVENT);
    let checked = v.check_headers(&forged).unwrap();
    assert!(matches!(
        v.verify_body(&checked, EVENT),
        Err(WebhookError::SignatureMismatch)
    ));

    let checked = v.check_headers(&signed).unwrap();
    assert_eq!(
        (checked.timestamp(), checked.delivery_attempt()),
        (NOW, None)
    );
    let debug = format!("{checked:?}");
    assert!(
        !debug.contains(&signed.signature["sha256=".len()..]),
        "{debug}"
    );
    assert!(matches!(
        v.verify_body(&checked, b"{ }"),
        Err(WebhookError::SignatureMismatch)
    ));
    let delivery = v.verify_body(&checked, EVENT).unwrap();
    assert_eq!(delivery, v.verify(&signed, EVENT).unwrap());

    // A body that arrives after the tolerance has run out is too late.
    clock.store(NOW + 301, Ordering::Relaxed);
    assert!(matches!(
        v.verify_body(&checked, EVENT),
        Err(WebhookError::TimestampTooOld { .. })
    ));
}
