//! The hooks the generated operations call around each request: credentials and the
//! per-request timeout go on in `pre`, and `exec` retries what the client's
//! [`RetryPolicy`] allows within its deadline, then hands back a response whose body is
//! bounded in size ([`body_limit`](crate::body_limit)) and whose URL, like any error's, carries
//! no credentials or query.
//!
//! Implemented for `Client` itself, which takes precedence over the generated no-op
//! implementation for `&Client` (progenitor's auto-ref specialisation).

use std::time::{Duration, Instant, SystemTime};

use progenitor_client::{ClientHooks, OperationInfo};
use reqwest::ResponseBuilderExt as _;
use reqwest::header::RETRY_AFTER;

use crate::context::ClientContext;
use crate::generated::Client;
use crate::retry::{self, RetryPolicy};
use crate::{body_limit, outcome, redact};

impl ClientHooks<ClientContext> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        self.inner.apply(request);
        Ok(())
    }

    // Not an `async fn`: the first attempt starts before the returned future does, so that
    // the future holds neither the request nor its arguments (both would make every call's
    // future larger, which costs on every call: BENCHMARKS.md).
    fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> impl Future<Output = reqwest::Result<reqwest::Response>> {
        let call = Call::new(self.inner.retry_policy(), &request, info.operation_id);
        let (sent, next) = self.send_attempt(&call, 1, request);
        async move {
            let outcome = sent.await;
            match retry::classify(&outcome) {
                None => self.done(&call, 1, outcome),
                // Out of line, for the same reason: the retry loop's state (its wait, the
                // next attempt) is needed only after a failure.
                Some(reason) => Box::pin(self.retry(&call, outcome, reason, next)).await,
            }
        }
    }
}

/// What every attempt of one call needs to know.
struct Call<'a> {
    policy: &'a RetryPolicy,
    operation: &'static str,
    /// When the call must end, if its policy bounds it.
    deadline: Option<Instant>,
    /// The request's own timeout, which each attempt's is cut from.
    timeout: Option<Duration>,
    /// Any method but `GET` and `HEAD`.
    is_write: bool,
}

impl<'a> Call<'a> {
    fn new(policy: &'a RetryPolicy, request: &reqwest::Request, operation: &'static str) -> Self {
        Self {
            policy,
            operation,
            deadline: policy
                .deadline()
                .and_then(|deadline| Instant::now().checked_add(deadline)),
            timeout: request.timeout().copied(),
            is_write: !retry::is_read(request.method()),
        }
    }

    /// Whether it may be sent again after a failure that may have reached the API (asked only
    /// after such a failure, so a successful call never looks through the declared operations).
    fn safe_to_repeat(&self) -> bool {
        !self.is_write || self.policy.is_declared_safe(self.operation)
    }
}

type Outcome = reqwest::Result<reqwest::Response>;

impl Client {
    /// Starts attempt number `attempt` of `call`: its response to come and, if another
    /// attempt may follow, a copy of the request to send then.
    fn send_attempt(
        &self,
        call: &Call<'_>,
        attempt: u32,
        mut request: reqwest::Request,
    ) -> (
        impl Future<Output = Outcome> + use<>,
        Option<reqwest::Request>,
    ) {
        // A streaming body cannot be cloned, so such a request is sent only once.
        let next = (attempt < call.policy.max_attempts())
            .then(|| retry_copy(&request))
            .flatten();
        // Not past the deadline. Without a timeout of ours the caller's client keeps its
        // own: a per-request one would override it, longer or not.
        if let (Some(timeout), Some(deadline)) = (call.timeout, call.deadline) {
            let left = deadline.saturating_duration_since(Instant::now());
            *request.timeout_mut() = Some(timeout.min(left));
        }
        (self.client.execute(request), next)
    }

    /// The call's result after attempt `attempt`, which is not retried.
    fn done(&self, call: &Call<'_>, attempt: u32, outcome: Outcome) -> Outcome {
        tracing::debug!(
            operation = call.operation,
            attempt,
            status = outcome.as_ref().ok().map(|r| r.status().as_u16()),
            error = outcome.as_ref().err().map(tracing::field::display),
            "vast-api request done"
        );
        self.finish(outcome)
    }

    /// What the generated code is handed: the response guarded, or the error redacted.
    fn finish(&self, outcome: Outcome) -> Outcome {
        let limit = self.inner.max_response_bytes();
        outcome
            .map(|response| guard_response(response, limit))
            .map_err(redact_error)
    }

    /// The rest of `call` after its first attempt failed with `outcome` for `reason`: retried
    /// with `next` as its policy allows, until an attempt ends it.
    async fn retry(
        &self,
        call: &Call<'_>,
        mut outcome: Outcome,
        mut reason: retry::RetryReason,
        mut next: Option<reqwest::Request>,
    ) -> Outcome {
        let operation = call.operation;
        let mut attempt = 1;
        loop {
            if call.is_write && !reason.took_no_effect() {
                // For `Error` to say that this write's outcome is unknown.
                outcome::note_write(operation);
            }
            let step = next_step(call, reason, next, attempt, &outcome);
            // The same fields whether the attempt is retried (info) or not (warn).
            macro_rules! failed {
                ($level:ident, $wait:expr, $($message:tt)+) => {
                    tracing::$level!(
                        operation,
                        attempt,
                        status = outcome.as_ref().ok().map(|r| r.status().as_u16()),
                        error = outcome.as_ref().err().map(tracing::field::display),
                        reason = reason.describe(),
                        wait_ms = $wait.map(millis),
                        $($message)+
                    )
                };
            }
            let request = match step {
                Ok((request, wait)) => {
                    failed!(
                        info,
                        Some(wait),
                        "vast-api request failed transiently; retrying"
                    );
                    // Dropping the response frees its connection before the wait.
                    drop(outcome);
                    tokio::time::sleep(wait).await;
                    request
                }
                Err(GiveUp { why, wait }) => {
                    failed!(warn, wait, "vast-api request failed {why}");
                    return self.finish(outcome);
                }
            };
            attempt += 1;
            let sent;
            (sent, next) = self.send_attempt(call, attempt, request);
            outcome = sent.await;
            match retry::classify(&outcome) {
                None => return self.done(call, attempt, outcome),
                Some(again) => reason = again,
            }
        }
    }
}

/// Why a failed attempt is not sent again.
struct GiveUp {
    /// The end of the log line saying why not.
    why: &'static str,
    /// The wait a retry would have needed, when that is why.
    wait: Option<Duration>,
}

/// Whether to send `next` (the copy of the attempt of `call` that failed for `reason`) and
/// after what wait: not if the request may have reached the API and is not safe to repeat, if
/// it could not be copied or had its last attempt, or if the wait would end past the deadline.
fn next_step(
    call: &Call<'_>,
    reason: retry::RetryReason,
    next: Option<reqwest::Request>,
    attempt: u32,
    outcome: &Outcome,
) -> Result<(reqwest::Request, Duration), GiveUp> {
    if !retry::may_retry(reason, call.safe_to_repeat()) {
        return Err(GiveUp {
            why: "after it may have reached the API; not repeated",
            wait: None,
        });
    }
    let Some(request) = next else {
        return Err(GiveUp {
            why: "transiently; giving up",
            wait: None,
        });
    };
    let retry_after = outcome.as_ref().ok().and_then(|response| {
        let value = response.headers().get(RETRY_AFTER)?.to_str().ok()?;
        retry::parse_retry_after(value, SystemTime::now())
    });
    let wait = call.policy.wait(attempt, retry_after, fastrand::f64());
    let past_deadline = |deadline| {
        Instant::now()
            .checked_add(wait)
            .is_none_or(|end| end >= deadline)
    };
    if call.deadline.is_some_and(past_deadline) {
        return Err(GiveUp {
            why: "transiently; giving up at the call's deadline",
            wait: Some(wait),
        });
    }
    Ok((request, wait))
}

/// `error` without the credentials and query of its URL, which its `Debug` (and that of any
/// error it ends up in) would print.
fn redact_error(mut error: reqwest::Error) -> reqwest::Error {
    if let Some(url) = error.url_mut() {
        redact::url(url);
    }
    error
}

/// A copy of `request` to send if this attempt fails transiently; `None` if its body is a
/// stream, which cannot be sent twice.
///
/// Made before every attempt that may be retried, so it is on every call's path. reqwest's
/// `try_clone` allocates a settings map for the request's timeout even when it has none,
/// which was half the copy's cost (BENCHMARKS.md); a request without a body is copied field
/// by field instead. (Its timeout is the only extension a request built by `RequestBuilder`,
/// as the generated code builds them, can carry.)
fn retry_copy(request: &reqwest::Request) -> Option<reqwest::Request> {
    if request.body().is_some() {
        return request.try_clone();
    }
    let mut copy = reqwest::Request::new(request.method().clone(), request.url().clone());
    *copy.headers_mut() = request.headers().clone();
    *copy.version_mut() = request.version();
    if let Some(timeout) = request.timeout() {
        *copy.timeout_mut() = Some(*timeout);
    }
    Some(copy)
}

/// `response` as the generated code may read it: a URL without credentials or query (its
/// `Debug`, which progenitor's `UnexpectedResponse` prints, shows it) and a body of at most
/// `limit` bytes. (A body that is not the JSON expected is kept out of errors where it is
/// parsed: `payload::json_response`.)
fn guard_response(response: reqwest::Response, limit: u64) -> reqwest::Response {
    let declared = response.content_length();
    if !redact::needed(response.url()) && !body_limit::needed(declared, limit) {
        return response;
    }
    let status = response.status();
    let mut url = response.url().clone();
    redact::url(&mut url);
    let (mut parts, body) = http::Response::from(response).into_parts();
    // Keep `Response::url()`, which reqwest stores in an extension only its builder can set.
    let mut carrier = http::Response::builder().url(url);
    if let Some(extensions) = carrier.extensions_mut() {
        parts.extensions.extend(std::mem::take(extensions));
    }
    let body = body_limit::bound(body, declared, limit, status);
    reqwest::Response::from(http::Response::from_parts(parts, body))
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_retry_copy_is_the_same_request() {
        fn same(copy: &reqwest::Request, original: &reqwest::Request) {
            assert_eq!(copy.method(), original.method());
            assert_eq!(copy.url(), original.url());
            assert_eq!(copy.headers(), original.headers());
            assert_eq!(copy.version(), original.version());
            assert_eq!(copy.timeout(), original.timeout());
        }
        let url = reqwest::Url::parse("http://127.0.0.1:1/api/v0/x/?a=1").expect("url");
        let mut request = reqwest::Request::new(reqwest::Method::POST, url);
        request
            .headers_mut()
            .insert(http::header::ACCEPT, http::HeaderValue::from_static("a/b"));
        *request.version_mut() = http::Version::HTTP_11;
        same(&retry_copy(&request).expect("copy"), &request);

        *request.timeout_mut() = Some(Duration::from_secs(7));
        let copy = retry_copy(&request).expect("copy");
        same(&copy, &request);
        assert_eq!(copy.timeout(), Some(&Duration::from_secs(7)));

        *request.body_mut() = Some(reqwest::Body::from("{}"));
        let copy = retry_copy(&request).expect("copy");
        same(&copy, &request);
        let body = copy.body().and_then(reqwest::Body::as_bytes);
        assert_eq!(body, Some(&b"{}"[..]));

        let stream = http_body_util::Empty::<hyper::body::Bytes>::new();
        *request.body_mut() = Some(reqwest::Body::wrap(stream));
        assert!(
            retry_copy(&request).is_none(),
            "a stream cannot be sent twice"
        );
    }

    /// A 200 response from `url` with the body `{}` (its length known, as from
    /// `Content-Length`).
    fn response(url: &str) -> reqwest::Response {
        let response = http::Response::builder()
            .status(200)
            .url(url.parse().expect("url"))
            .body("{}")
            .expect("response");
        reqwest::Response::from(response)
    }

    #[tokio::test]
    async fn the_guarded_response_keeps_its_url_without_credentials_or_query() {
        let guarded = guard_response(response("http://u:p@127.0.0.1:9/x/?k=s3cret"), 2);
        assert_eq!(guarded.url().as_str(), "http://127.0.0.1:9/x/");
        assert_eq!(guarded.bytes().await.expect("body").as_ref(), b"{}");

        let over = guard_response(response("http://127.0.0.1:9/x/"), 1);
        assert_eq!(over.url().as_str(), "http://127.0.0.1:9/x/");
        over.bytes().await.expect_err("past the limit of 1 byte");
    }

    #[tokio::test]
    async fn a_declared_length_within_the_limit_is_left_alone() {
        let response = reqwest::Response::from(http::Response::new(reqwest::Body::from("{}")));
        let response = guard_response(response, 2);
        assert_eq!(response.content_length(), Some(2));
        assert_eq!(response.bytes().await.expect("body").as_ref(), b"{}");
    }
}
