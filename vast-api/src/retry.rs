//! Retries, split the way aws-smithy splits them: [`classify`] says *what happened* to one
//! attempt, from its status or error alone; [`RetryReason::took_no_effect`] and
//! [`RetryPolicy::is_safe_to_repeat`] say whether sending it again could double a write; and
//! [`RetryPolicy`] says *how long* to wait before the next attempt (exponential backoff,
//! jitter, the server's `Retry-After`, a deadline for the whole call).
//!
//! All of it is pure, so it can be checked without a server or a clock; the client applies
//! it to every request (see [`ClientBuilder::retry_policy`](crate::ClientBuilder::retry_policy)).
//!
//! # What is retried
//!
//! - Always, whatever the method: an attempt that provably did not reach the API, because no
//!   connection could be made ([`RetryReason::NotSent`]) or the server refused it with one of
//!   [`REFUSED_STATUSES`] (429, 503).
//! - Only for requests that are safe to repeat (`GET` and `HEAD`, and the operations named in
//!   [`RetryPolicy::safe_to_repeat`]): an attempt that may have reached the API, because it
//!   timed out, the connection broke after it was sent, or a gateway answered with one of
//!   [`GATEWAY_STATUSES`] (502, 504). Any other write failing that way is not sent again; its
//!   error is [`ErrorKind::OutcomeUnknown`](crate::ErrorKind::OutcomeUnknown).
//! - Never: any other status, and failures retrying cannot fix (an invalid request, a TLS
//!   certificate that does not verify).

use std::borrow::Cow;
use std::time::{Duration, SystemTime};

use reqwest::{Method, StatusCode};

/// Statuses by which the server refuses a request without acting on it: 429 Too Many
/// Requests (Vast.ai's is the plain text `API requests too frequent`) and 503 Service
/// Unavailable. Retried for every request.
pub const REFUSED_STATUSES: [StatusCode; 2] = [
    StatusCode::TOO_MANY_REQUESTS,
    StatusCode::SERVICE_UNAVAILABLE,
];

/// Statuses by which a gateway says it got no (timely) answer from the API, which may have
/// acted on the request all the same: 502 Bad Gateway and 504 Gateway Timeout. Retried only
/// for requests safe to repeat.
pub const GATEWAY_STATUSES: [StatusCode; 2] =
    [StatusCode::BAD_GATEWAY, StatusCode::GATEWAY_TIMEOUT];

/// What a transiently failed attempt says about whether the request reached the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryReason {
    /// No connection could be made (refused, unreachable, DNS, connect timeout): nothing was
    /// sent.
    NotSent,
    /// The server refused the request without acting on it: one of [`REFUSED_STATUSES`].
    Refused(StatusCode),
    /// A gateway got no (timely) answer from the API: one of [`GATEWAY_STATUSES`]. The API
    /// may have acted on the request.
    Gateway(StatusCode),
    /// The attempt timed out after the connection was made: the request may have been
    /// received and acted on.
    Timeout,
    /// The connection broke after the request was (perhaps) sent, before a response came.
    ConnectionLost,
}

impl RetryReason {
    /// Whether the request provably did not take effect, so that sending it again cannot
    /// double a write: [`NotSent`](Self::NotSent) and [`Refused`](Self::Refused).
    pub fn took_no_effect(self) -> bool {
        matches!(self, Self::NotSent | Self::Refused(_))
    }

    /// A short name of the reason, as the client's log lines give it.
    pub fn describe(self) -> &'static str {
        match self {
            Self::NotSent => "not sent",
            Self::Refused(_) => "refused",
            Self::Gateway(_) => "gateway",
            Self::Timeout => "timeout",
            Self::ConnectionLost => "connection lost",
        }
    }

    /// How a request that failed for this reason may have reached the API, for an error that
    /// says its outcome is unknown; `None` where the status the error shows says it.
    pub(crate) fn after_sending(self) -> Option<&'static str> {
        match self {
            Self::Timeout => Some("it timed out after it was sent"),
            Self::ConnectionLost => Some("the connection broke after it was sent"),
            Self::NotSent | Self::Refused(_) | Self::Gateway(_) => None,
        }
    }
}

/// What happened to one attempt, if it failed transiently; `None` for a response with any
/// other status, and for errors retrying cannot fix.
///
/// Checks the status first and looks at an error only when there is one, so a successful
/// attempt costs a comparison.
pub fn classify(outcome: &reqwest::Result<reqwest::Response>) -> Option<RetryReason> {
    match outcome {
        Ok(response) => classify_status(response.status()),
        Err(error) => transport_failure(error),
    }
}

/// [`RetryReason::Refused`] or [`RetryReason::Gateway`] for a status that is one of
/// [`REFUSED_STATUSES`] or [`GATEWAY_STATUSES`].
pub fn classify_status(status: StatusCode) -> Option<RetryReason> {
    if REFUSED_STATUSES.contains(&status) {
        Some(RetryReason::Refused(status))
    } else if GATEWAY_STATUSES.contains(&status) {
        Some(RetryReason::Gateway(status))
    } else {
        None
    }
}

/// Whether `status` is retried at all (for some requests): one of [`REFUSED_STATUSES`] or
/// [`GATEWAY_STATUSES`].
pub fn is_transient_status(status: StatusCode) -> bool {
    classify_status(status).is_some()
}

/// What a transport error says about the attempt; `None` for errors retrying cannot fix.
pub(crate) fn transport_failure(error: &reqwest::Error) -> Option<RetryReason> {
    // A failed connect (a connect timeout included) happens before any byte of the request
    // is written, so it comes first. A certificate that does not verify will not verify on
    // the next attempt either.
    if error.is_connect() {
        (!crate::error::causes::is_tls_failure(error)).then_some(RetryReason::NotSent)
    } else if error.is_timeout() {
        Some(RetryReason::Timeout)
    } else if error.is_request() {
        // Everything else hyper reports while sending and awaiting the response: the
        // connection reset or closed mid-exchange, a garbled response head.
        Some(RetryReason::ConnectionLost)
    } else {
        None
    }
}

/// Whether `method` only reads (`GET`, `HEAD`), so that repeating it cannot double a write.
pub(crate) fn is_read(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD)
}

/// Whether an attempt that failed for `reason` may be sent again: always if it took no
/// effect, otherwise only if the request is safe to repeat.
pub fn may_retry(reason: RetryReason, safe_to_repeat: bool) -> bool {
    reason.took_no_effect() || safe_to_repeat
}

/// How many attempts to make, how long to wait between them, how long a whole call may take,
/// and which operations may be sent again after an unclear failure.
///
/// The wait after failed attempt *n* is the server's `Retry-After` if it sent one (capped at
/// [`max_retry_after`](Self::with_max_retry_after)), else `initial_backoff × 2ⁿ⁻¹` (capped at
/// [`max_backoff`](Self::with_max_backoff)) with jitter: a random 50–100 % of it, so that
/// clients throttled together do not retry together. No wait or attempt goes past the
/// [`deadline`](Self::with_deadline) (120 s by default) counted from the start of the call.
/// Which failures are retried for which requests is said in the [module docs](self).
///
/// ```
/// use std::time::Duration;
/// use vast_api::RetryPolicy;
///
/// let policy = RetryPolicy::new()
///     .with_max_attempts(5)
///     .with_initial_backoff(Duration::from_millis(200))
///     .with_deadline(Duration::from_secs(30))
///     .safe_to_repeat(["rotate_notification_webhook_secret"]);
/// assert_eq!(policy.backoff(3), Duration::from_millis(800));
/// // Jitter picks between half and all of the backoff.
/// assert_eq!(policy.wait(3, None, 0.0), Duration::from_millis(400));
/// // The server's Retry-After wins, up to the cap.
/// assert_eq!(policy.wait(3, Some(Duration::from_secs(2)), 0.5), Duration::from_secs(2));
/// assert_eq!(policy.wait(1, Some(Duration::from_secs(3600)), 0.5), Duration::from_secs(60));
/// assert_eq!(policy.deadline(), Some(Duration::from_secs(30)));
///
/// let never = RetryPolicy::disabled();
/// assert_eq!(never.max_attempts(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    deadline: Option<Duration>,
    /// Operations the caller declared safe to send again, by method name; looked up only
    /// after a failure whose outcome is unclear, so a plain list is enough.
    safe_operations: Vec<Cow<'static, str>>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::new()
    }
}

impl RetryPolicy {
    /// Attempts in all, the first included, by default.
    pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;
    /// The wait before the first retry, before jitter, by default.
    pub const DEFAULT_INITIAL_BACKOFF: Duration = Duration::from_millis(500);
    /// The longest backoff by default.
    pub const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(10);
    /// The longest `Retry-After` honoured by default; longer ones are cut to it.
    pub const DEFAULT_MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
    /// The longest a call may take with all its attempts and waits, by default.
    pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(120);

    /// Three attempts in all, backoff from 500 ms to 10 s, `Retry-After` honoured up to 60 s,
    /// 120 s for the whole call, no operation declared safe to repeat.
    pub fn new() -> Self {
        Self {
            max_attempts: Self::DEFAULT_MAX_ATTEMPTS,
            initial_backoff: Self::DEFAULT_INITIAL_BACKOFF,
            max_backoff: Self::DEFAULT_MAX_BACKOFF,
            max_retry_after: Self::DEFAULT_MAX_RETRY_AFTER,
            deadline: Some(Self::DEFAULT_DEADLINE),
            safe_operations: Vec::new(),
        }
    }

    /// One attempt: nothing is retried. The deadline still bounds the call.
    pub fn disabled() -> Self {
        Self::new().with_max_attempts(1)
    }

    /// Attempts in all, the first included; 0 counts as 1.
    pub fn with_max_attempts(self, max_attempts: u32) -> Self {
        Self {
            max_attempts: max_attempts.max(1),
            ..self
        }
    }

    /// The backoff after the first failed attempt, doubled after each further one.
    pub fn with_initial_backoff(self, initial_backoff: Duration) -> Self {
        Self {
            initial_backoff,
            ..self
        }
    }

    /// The longest backoff, before jitter.
    pub fn with_max_backoff(self, max_backoff: Duration) -> Self {
        Self {
            max_backoff,
            ..self
        }
    }

    /// The longest wait a server's `Retry-After` can ask for; longer ones are cut to it.
    pub fn with_max_retry_after(self, max_retry_after: Duration) -> Self {
        Self {
            max_retry_after,
            ..self
        }
    }

    /// The longest a call may take, from its first attempt to the end of its last response
    /// ([`DEFAULT_DEADLINE`](Self::DEFAULT_DEADLINE) unless set). No retry starts, and no wait
    /// is begun, that would end past it, and each attempt's timeout is cut to what is left.
    /// (With [`ClientBuilder::without_timeout`](crate::ClientBuilder::without_timeout) an
    /// attempt in flight is left to the `reqwest::Client`'s own timeout.)
    pub fn with_deadline(self, deadline: Duration) -> Self {
        Self {
            deadline: Some(deadline),
            ..self
        }
    }

    /// No deadline for the whole call: only the attempts, waits and timeouts bound it.
    pub fn without_deadline(self) -> Self {
        Self {
            deadline: None,
            ..self
        }
    }

    /// Declares the operations named (by method name, such as `"show_instance"`) safe to send
    /// again after a timeout, a connection lost after sending, or one of [`GATEWAY_STATUSES`],
    /// which are otherwise retried only for `GET` and `HEAD` requests. Adds to those already declared.
    ///
    /// Declare only operations that are idempotent in fact: Vast.ai's `PUT`s and `DELETE`s
    /// are not all so (`PUT /api/v0/asks/{id}/` creates an instance), which is why they are
    /// not retried that way by default.
    pub fn safe_to_repeat<I, S>(mut self, operations: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<Cow<'static, str>>,
    {
        self.safe_operations
            .extend(operations.into_iter().map(Into::into));
        self
    }

    /// Whether a request of `operation` with `method` may be sent again after a failure that
    /// may have reached the API: `GET` and `HEAD` (which read and change nothing), and the
    /// operations declared with [`safe_to_repeat`](Self::safe_to_repeat).
    pub fn is_safe_to_repeat(&self, method: &Method, operation: &str) -> bool {
        is_read(method) || self.is_declared_safe(operation)
    }

    /// Whether `operation` was declared with [`safe_to_repeat`](Self::safe_to_repeat).
    pub(crate) fn is_declared_safe(&self, operation: &str) -> bool {
        self.safe_operations.iter().any(|safe| safe == operation)
    }

    /// The longest a call may take with all its attempts, if bounded.
    pub fn deadline(&self) -> Option<Duration> {
        self.deadline
    }

    /// Attempts in all, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The backoff after failed attempt `attempt` (counted from 1), before jitter:
    /// `initial_backoff × 2^(attempt − 1)`, at most the maximum backoff.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let doublings = attempt.saturating_sub(1).min(31);
        self.initial_backoff
            .saturating_mul(1 << doublings)
            .min(self.max_backoff)
    }

    /// The wait after failed attempt `attempt` (counted from 1).
    ///
    /// `retry_after` is the server's `Retry-After` (see [`parse_retry_after`]); it is used,
    /// capped, when present. Otherwise the wait is the [`backoff`](Self::backoff) scaled by
    /// `0.5 + jitter / 2`, where `jitter` is a random number in `[0, 1)`.
    pub fn wait(&self, attempt: u32, retry_after: Option<Duration>, jitter: f64) -> Duration {
        if let Some(retry_after) = retry_after {
            return retry_after.min(self.max_retry_after);
        }
        let backoff = self.backoff(attempt);
        let jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.0
        };
        Duration::try_from_secs_f64(backoff.as_secs_f64() * (0.5 + jitter / 2.0)).unwrap_or(backoff)
    }
}

/// The wait a `Retry-After` header value asks for at `now`: either a number of seconds or an
/// HTTP date (a date in the past means no wait). `None` if it is neither.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use vast_api::retry::parse_retry_after;
///
/// let now = UNIX_EPOCH + Duration::from_secs(1_772_490_000);
/// assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
/// assert_eq!(
///     parse_retry_after("Mon, 02 Mar 2026 22:20:30 GMT", now),
///     Some(Duration::from_secs(30))
/// );
/// assert_eq!(parse_retry_after("soon", now), None);
/// ```
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}
