//! Property tests: signing then verifying round-trips, and no input makes
//! verification panic.

use http::{HeaderMap, HeaderName, HeaderValue};
use proptest::prelude::*;
use serde_json::json;
use vast_api::webhook::{
    DEFAULT_TOLERANCE, DELIVERY_ATTEMPT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, WebhookError,
    WebhookHeaders, WebhookVerifier, sign,
};

fn verifier_at(secrets: &[&[u8]], now: u64) -> WebhookVerifier {
    WebhookVerifier::new(secrets).with_clock(move || now)
}

/// A clock reading within the default tolerance of `timestamp`, either way.
fn within_tolerance(timestamp: u64, offset: i64) -> u64 {
    timestamp.saturating_add_signed(offset)
}

fn secret() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        any::<String>()
            .prop_filter("non-empty", |s| !s.is_empty())
            .prop_map(String::into_bytes),
        prop::collection::vec(any::<u8>(), 1..100),
    ]
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..512)
}

fn tolerance_offset() -> impl Strategy<Value = i64> {
    let secs = i64::try_from(DEFAULT_TOLERANCE.as_secs()).unwrap_or(i64::MAX);
    -secs..=secs
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn signed_deliveries_verify(
        secret in secret(),
        body in body(),
        timestamp in any::<u64>(),
        offset in tolerance_offset(),
    ) {
        let signed = sign(&secret, timestamp, &body);
        let now = within_tolerance(timestamp, offset);
        let delivery = verifier_at(&[&secret], now).verify(&signed, &body)
            .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert_eq!(delivery.timestamp(), timestamp);
        prop_assert_eq!(delivery.body(), &body[..]);
    }

    #[test]
    fn any_configured_secret_verifies(
        old in secret(),
        new in secret(),
        body in body(),
        timestamp in any::<u64>(),
    ) {
        let signed = sign(&new, timestamp, &body);
        prop_assert!(verifier_at(&[&old, &new], timestamp).verify(&signed, &body).is_ok());
        prop_assert!(verifier_at(&[&new, &old], timestamp).verify(&signed, &body).is_ok());
    }

    #[test]
    fn other_secret_or_changed_body_is_a_mismatch(
        secret in secret(),
        other in secret(),
        body in body(),
        flip in any::<prop::sample::Index>(),
        timestamp in any::<u64>(),
    ) {
        let signed = sign(&secret, timestamp, &body);
        if other != secret {
            let result = verifier_at(&[&other], timestamp).verify(&signed, &body);
            prop_assert!(matches!(result, Err(WebhookError::SignatureMismatch)), "{result:?}");
        }
        let mut changed = body.clone();
        match changed.len() {
            0 => changed.push(b' '),
            len => changed[flip.index(len)] ^= 1,
        }
        let result = verifier_at(&[&secret], timestamp).verify(&signed, &changed);
        prop_assert!(matches!(result, Err(WebhookError::SignatureMismatch)), "{result:?}");
    }

    #[test]
    fn signed_notifications_parse_back(
        secret in secret(),
        event_id in any::<String>(),
        user_id in any::<u64>(),
        notif_type in any::<String>(),
        subject in any::<String>(),
        message in any::<String>(),
        created in -1e12f64..1e12,
        extra in any::<String>(),
        attempt in 1u32..10,
        timestamp in any::<u64>(),
    ) {
        let body = json!({
            "event_id": event_id, "user_id": user_id, "notif_type": notif_type,
            "subject": subject, "message": message, "timestamp": created,
            "future_field": extra,
        });
        let body = serde_json::to_vec(&body).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let signed = sign(&secret, timestamp, &body);
        let attempt_text = attempt.to_string();
        let mut pairs = signed.pairs().to_vec();
        pairs.push((DELIVERY_ATTEMPT_HEADER, &attempt_text));
        let event = verifier_at(&[&secret], timestamp)
            .verify_event(WebhookHeaders::from_pairs(pairs), &body)
            .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert_eq!(event.event_id(), &event_id);
        prop_assert_eq!(event.timestamp(), timestamp);
        prop_assert_eq!(event.delivery_attempt(), Some(attempt));
        let notification = event.notification();
        prop_assert_eq!(notification.user_id, user_id);
        prop_assert_eq!(&notification.notif_type, &notif_type);
        prop_assert_eq!(&notification.subject, &subject);
        prop_assert_eq!(&notification.message, &message);
        prop_assert_eq!(notification.timestamp, created);
        prop_assert_eq!(&notification.extra["future_field"], &json!(extra));
    }
}

/// A header name: mostly the webhook headers in random case, sometimes any.
fn header_name() -> impl Strategy<Value = String> {
    let known = prop::sample::select(vec![
        TIMESTAMP_HEADER,
        SIGNATURE_HEADER,
        DELIVERY_ATTEMPT_HEADER,
    ]);
    let cased = (known, any::<u64>()).prop_map(|(name, bits)| {
        name.chars()
            .enumerate()
            .map(|(i, c)| {
                if bits >> (i % 64) & 1 == 1 {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect()
    });
    prop_oneof![4 => cased, 1 => any::<String>()]
}

/// A header value: arbitrary text, or text shaped like the real headers.
fn header_value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9]{0,25}",
        "[ \t]{0,2}-?[0-9+.eE]{0,22}[ \t]{0,2}",
        "(sha256=|sha1=|SHA256=)?[0-9a-fA-Fg-z]{0,70}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_headers_and_bodies_never_panic(
        secrets in prop::collection::vec(any::<String>(), 0..3),
        headers in prop::collection::vec((header_name(), header_value()), 0..6),
        body in body(),
        now in any::<u64>(),
        tolerance in any::<u64>(),
    ) {
        let verifier = WebhookVerifier::new(&secrets)
            .with_tolerance(std::time::Duration::from_secs(tolerance))
            .with_clock(move || now);
        // The same input through both header forms, where HTTP allows it.
        let map: HeaderMap = headers
            .iter()
            .filter_map(|(name, value)| {
                Some((HeaderName::from_bytes(name.as_bytes()).ok()?, HeaderValue::from_str(value).ok()?))
            })
            .collect();
        for headers in [WebhookHeaders::from_pairs(headers.iter().map(|(n, v)| (n, v))), WebhookHeaders::from(&map)] {
            let verified = verifier.verify(headers.clone(), &body);
            let event = verifier.verify_event(headers, &body);
            // Both checks agree on the signature; only parsing can differ.
            match (&verified, &event) {
                (Ok(_), Ok(_) | Err(WebhookError::InvalidEvent { .. })) | (Err(_), Err(_)) => {}
                _ => prop_assert!(false, "verify {verified:?} but verify_event {event:?}"),
            }
        }
    }
}
