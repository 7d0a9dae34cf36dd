//! The retry policy and the classifier, as pure functions (no client, no sleeping): backoff
//! and jitter, `Retry-After`, which statuses are transient, which requests are safe to repeat,
//! and the deadline.

use std::time::{Duration, UNIX_EPOCH};

use reqwest::StatusCode;
use vast_api::RetryPolicy;
use vast_api::retry::{
    GATEWAY_STATUSES, REFUSED_STATUSES, RetryReason, classify_status, is_transient_status,
    may_retry, parse_retry_after,
};

#[test]
fn backoff_doubles_up_to_the_cap() {
    let policy = RetryPolicy::new()
        .with_initial_backoff(Duration::from_millis(100))
        .with_max_backoff(Duration::from_millis(350));
    let backoffs: Vec<_> = (1..=5).map(|n| policy.backoff(n).as_millis()).collect();
    assert_eq!(backoffs, [100, 200, 350, 350, 350]);
    // Huge attempt numbers and caps saturate instead of overflowing.
    let policy = RetryPolicy::new().with_max_backoff(Duration::MAX);
    assert!(policy.backoff(u32::MAX) > Duration::from_secs(1_000_000));
    assert!(policy.wait(u32::MAX, None, 0.999) > Duration::ZERO);
}

#[test]
fn jitter_picks_between_half_and_all_of_the_backoff() {
    let policy = RetryPolicy::new().with_initial_backoff(Duration::from_millis(400));
    assert_eq!(policy.wait(1, None, 0.0), Duration::from_millis(200));
    assert_eq!(policy.wait(1, None, 0.5), Duration::from_millis(300));
    assert_eq!(policy.wait(2, None, 0.0), Duration::from_millis(400));
    for jitter in [0.999_999, 1.0, 7.0] {
        assert!(policy.wait(1, None, jitter) <= Duration::from_millis(400));
    }
    // Nonsense samples do not panic.
    for jitter in [f64::NAN, f64::INFINITY, -1.0] {
        assert_eq!(policy.wait(1, None, jitter), Duration::from_millis(200));
    }
}

#[test]
fn retry_after_wins_over_backoff_and_is_capped() {
    let policy = RetryPolicy::new();
    let after = |secs| Some(Duration::from_secs(secs));
    assert_eq!(policy.wait(1, after(7), 0.3), Duration::from_secs(7));
    assert_eq!(policy.wait(1, after(0), 0.3), Duration::ZERO);
    assert_eq!(policy.wait(2, after(3600), 0.3), Duration::from_secs(60));
    let policy = policy.with_max_retry_after(Duration::from_secs(5));
    assert_eq!(policy.wait(1, after(30), 0.3), Duration::from_secs(5));
}

#[test]
fn attempts_default_to_three_and_can_be_turned_off() {
    assert_eq!(RetryPolicy::default().max_attempts(), 3);
    assert_eq!(RetryPolicy::disabled().max_attempts(), 1);
    assert_eq!(RetryPolicy::new().with_max_attempts(0).max_attempts(), 1);
}

#[test]
fn retry_after_in_seconds_and_as_an_http_date() {
    let now = UNIX_EPOCH + Duration::from_secs(1_772_490_000);
    assert_eq!(
        parse_retry_after("120", now),
        Some(Duration::from_secs(120))
    );
    assert_eq!(parse_retry_after(" 1 ", now), Some(Duration::from_secs(1)));
    // IMF-fixdate, and the obsolete RFC 850 and asctime forms.
    for date in [
        "Mon, 02 Mar 2026 22:20:30 GMT",
        "Monday, 02-Mar-26 22:20:30 GMT",
        "Mon Mar  2 22:20:30 2026",
    ] {
        assert_eq!(
            parse_retry_after(date, now),
            Some(Duration::from_secs(30)),
            "{date}"
        );
    }
    assert_eq!(
        parse_retry_after("Mon, 02 Mar 2026 22:00:00 GMT", now),
        Some(Duration::ZERO),
        "a date in the past means now"
    );
    for junk in ["", "-1", "1.5", "soon", "Mon, 99 Foo 2026"] {
        assert_eq!(parse_retry_after(junk, now), None, "{junk:?}");
    }
}

#[test]
fn only_429_502_503_504_are_transient_statuses() {
    let transient: Vec<u16> = (100..600)
        .filter(|&code| StatusCode::from_u16(code).is_ok_and(is_transient_status))
        .collect();
    assert_eq!(transient, [429, 502, 503, 504]);
}

#[test]
fn refusals_are_retried_for_every_request_and_gateway_failures_only_if_safe() {
    assert_eq!(REFUSED_STATUSES.map(|s| s.as_u16()), [429, 503]);
    assert_eq!(GATEWAY_STATUSES.map(|s| s.as_u16()), [502, 504]);
    for status in REFUSED_STATUSES {
        let reason = classify_status(status).expect("transient");
        assert_eq!(reason, RetryReason::Refused(status));
        assert!(may_retry(reason, false) && may_retry(reason, true));
    }
    for status in GATEWAY_STATUSES {
        let reason = classify_status(status).expect("transient");
        assert_eq!(reason, RetryReason::Gateway(status));
        assert!(!may_retry(reason, false) && may_retry(reason, true));
    }
    assert!(may_retry(RetryReason::NotSent, false));
    for reason in [RetryReason::Timeout, RetryReason::ConnectionLost] {
        assert!(!reason.took_no_effect());
        assert!(!may_retry(reason, false) && may_retry(reason, true));
    }
}

#[test]
fn only_get_head_and_declared_operations_are_safe_to_repeat() {
    use reqwest::Method;
    let policy = RetryPolicy::default().safe_to_repeat(["show_instance"]);
    assert!(policy.is_safe_to_repeat(&Method::GET, "anything"));
    assert!(policy.is_safe_to_repeat(&Method::HEAD, "anything"));
    assert!(policy.is_safe_to_repeat(&Method::POST, "show_instance"));
    for method in [Method::POST, Method::PUT, Method::DELETE, Method::PATCH] {
        assert!(
            !policy.is_safe_to_repeat(&method, "create_instance"),
            "{method}"
        );
    }
    let more = policy.safe_to_repeat([String::from("create_instance")]);
    assert!(more.is_safe_to_repeat(&Method::PUT, "create_instance"));
    assert!(more.is_safe_to_repeat(&Method::PUT, "show_instance"));
}

#[test]
fn the_deadline_defaults_to_two_minutes() {
    assert_eq!(
        RetryPolicy::default().deadline(),
        Some(Duration::from_secs(120))
    );
    assert_eq!(
        RetryPolicy::disabled().deadline(),
        Some(Duration::from_secs(120))
    );
    let policy = RetryPolicy::new().with_deadline(Duration::from_secs(5));
    assert_eq!(policy.deadline(), Some(Duration::from_secs(5)));
    assert_eq!(policy.without_deadline().deadline(), None);
}
