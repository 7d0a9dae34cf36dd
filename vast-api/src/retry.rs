//! Retries, split the way aws-smithy splits them: [`classify`] decides *whether* an attempt
//! failed transiently, from its status or error kind alone; [`RetryPolicy`] decides *how long*
//! to wait before the next one (exponential backoff, jitter, the server's `Retry-After`).
//!
//! Both are pure, so they can be checked without a server or a clock; the client applies
//! them to every request (see [`ClientBuilder::retry_policy`](crate::ClientBuilder::retry_policy)).

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;

/// Why a failed attempt is worth retrying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryReason {
    /// The server answered 429, 502, 503 or 504, whatever the body (Vast.ai's 429 is the plain
    /// text `API requests too frequent`).
    Status(StatusCode),
    /// The attempt timed out.
    Timeout,
    /// The connection could not be made, or broke before a response arrived.
    Connect,
}

/// Whether the outcome of one attempt is a transient failure worth retrying, and why.
///
/// Retried: 429, 502, 503, 504, connection failures and timeouts. Not retried: any other
/// status (another 4xx means the request itself is wrong) and other errors.
pub fn classify(outcome: &reqwest::Result<reqwest::Response>) -> Option<RetryReason> {
    match outcome {
        Ok(response) => {
            let status = response.status();
            is_transient_status(status).then_some(RetryReason::Status(status))
        }
        Err(error) => transport_failure(error),
    }
}

/// 429 Too Many Requests, 502 Bad Gateway, 503 Service Unavailable and 504 Gateway Timeout.
pub fn is_transient_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 502 | 503 | 504)
}

/// A timeout or a broken connection; `None` for errors retrying cannot fix.
pub(crate) fn transport_failure(error: &reqwest::Error) -> Option<RetryReason> {
    if error.is_timeout() {
        Some(RetryReason::Timeout)
    } else if error.is_connect() || connection_dropped(error) {
        Some(RetryReason::Connect)
    } else {
        None
    }
}

/// A pooled keep-alive connection the server closed or reset while the request was on it.
fn connection_dropped(error: &reqwest::Error) -> bool {
    use std::io::ErrorKind::{BrokenPipe, ConnectionAborted, ConnectionReset, UnexpectedEof};
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<std::io::Error>()
            && matches!(
                io.kind(),
                ConnectionReset | ConnectionAborted | BrokenPipe | UnexpectedEof
            )
        {
            return true;
        }
        source = cause.source();
    }
    false
}

/// How many attempts to make and how long to wait between them.
///
/// The wait after failed attempt *n* is the server's `Retry-After` if it sent one (capped at
/// [`max_retry_after`](Self::with_max_retry_after)), else `initial_backoff × 2ⁿ⁻¹` (capped at
/// [`max_backoff`](Self::with_max_backoff)) with jitter: a random 50–100 % of it, so that
/// clients throttled together do not retry together.
///
/// ```
/// use std::time::Duration;
/// use vast_api::RetryPolicy;
///
/// let policy = RetryPolicy::new()
///     .with_max_attempts(5)
///     .with_initial_backoff(Duration::from_millis(200));
/// assert_eq!(policy.backoff(3), Duration::from_millis(800));
/// // Jitter picks between half and all of the backoff.
/// assert_eq!(policy.wait(3, None, 0.0), Duration::from_millis(400));
/// // The server's Retry-After wins, up to the cap.
/// assert_eq!(policy.wait(3, Some(Duration::from_secs(2)), 0.5), Duration::from_secs(2));
/// assert_eq!(policy.wait(1, Some(Duration::from_secs(3600)), 0.5), Duration::from_secs(60));
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

    /// Three attempts in all, backoff from 500 ms to 10 s, `Retry-After` honoured up to 60 s.
    pub fn new() -> Self {
        Self {
            max_attempts: Self::DEFAULT_MAX_ATTEMPTS,
            initial_backoff: Self::DEFAULT_INITIAL_BACKOFF,
            max_backoff: Self::DEFAULT_MAX_BACKOFF,
            max_retry_after: Self::DEFAULT_MAX_RETRY_AFTER,
        }
    }

    /// One attempt: nothing is retried.
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
