//! The hooks the generated operations call around each request: credentials and the
//! per-request timeout go on in `pre`, and `exec` retries what the client's
//! [`RetryPolicy`](crate::RetryPolicy) allows within its deadline, then hands back a response
//! whose body is bounded in size, checked to be JSON when it says so, and whose URL, like any
//! error's, carries no credentials or query.
//!
//! Implemented for `Client` itself, which takes precedence over the generated no-op
//! implementation for `&Client` (progenitor's auto-ref specialisation).

use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::{Duration, Instant, SystemTime};

use http_body::{Frame, SizeHint};
use progenitor_client::{ClientHooks, OperationInfo};
use reqwest::ResponseBuilderExt as _;
use reqwest::header::RETRY_AFTER;

use crate::error::ResponseTooLarge;
use crate::retry::{self, RetryReason};
use crate::{Client, ClientContext, outcome, redact};

impl ClientHooks<ClientContext> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        self.inner.apply(request);
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let policy = self.inner.retry_policy();
        let operation = info.operation_id;
        let deadline = policy
            .deadline()
            .and_then(|deadline| Instant::now().checked_add(deadline));
        let timeout = request.timeout().copied();
        let method = request.method().clone();
        let mut request = request;
        let mut attempt = 1;
        loop {
            // A streaming body cannot be cloned, so such a request is sent only once.
            let next = (attempt < policy.max_attempts())
                .then(|| retry_copy(&request))
                .flatten();
            // Not past the deadline. Without a timeout of ours the caller's client keeps its
            // own: a per-request one would override it, longer or not.
            if let (Some(timeout), Some(deadline)) = (timeout, deadline) {
                let left = deadline.saturating_duration_since(Instant::now());
                *request.timeout_mut() = Some(timeout.min(left));
            }
            let outcome = self.client.execute(request).await;
            let status = outcome.as_ref().ok().map(|r| r.status().as_u16());
            let reason = retry::classify(&outcome);
            let error = outcome.as_ref().err().map(tracing::field::display);
            let retry = reason.and_then(|reason| {
                let safe = policy.is_safe_to_repeat(&method, operation);
                if !reason.took_no_effect()
                    && !matches!(method, reqwest::Method::GET | reqwest::Method::HEAD)
                {
                    // For `Error` to say that this write's outcome is unknown.
                    outcome::note_write(operation);
                }
                if !retry::may_retry(reason, safe) {
                    tracing::warn!(
                        operation,
                        attempt,
                        status,
                        error,
                        reason = describe(reason),
                        "vast-api request failed after it may have reached the API; not repeated"
                    );
                    return None;
                }
                let Some(next) = next else {
                    tracing::warn!(
                        operation,
                        attempt,
                        status,
                        error,
                        reason = describe(reason),
                        "vast-api request failed transiently; giving up"
                    );
                    return None;
                };
                Some((reason, next))
            });
            let Some((reason, next)) = retry else {
                if reason.is_none() {
                    tracing::debug!(operation, attempt, status, error, "vast-api request done");
                }
                let limit = self.inner.max_response_bytes();
                return outcome
                    .map(|response| guard_response(response, limit))
                    .map_err(redact_error);
            };
            let retry_after = outcome.as_ref().ok().and_then(|response| {
                let value = response.headers().get(RETRY_AFTER)?.to_str().ok()?;
                retry::parse_retry_after(value, SystemTime::now())
            });
            let wait = policy.wait(attempt, retry_after, fastrand::f64());
            let past_deadline = |deadline| {
                Instant::now()
                    .checked_add(wait)
                    .is_none_or(|end| end >= deadline)
            };
            if deadline.is_some_and(past_deadline) {
                tracing::warn!(
                    operation,
                    attempt,
                    status,
                    error,
                    reason = describe(reason),
                    wait_ms = millis(wait),
                    "vast-api request failed transiently; giving up at the call's deadline"
                );
                let limit = self.inner.max_response_bytes();
                return outcome
                    .map(|response| guard_response(response, limit))
                    .map_err(redact_error);
            }
            tracing::info!(
                operation,
                attempt,
                status,
                error,
                reason = describe(reason),
                wait_ms = millis(wait),
                "vast-api request failed transiently; retrying"
            );
            // Dropping the response frees its connection before the wait.
            drop(outcome);
            tokio::time::sleep(wait).await;
            request = next;
            attempt += 1;
        }
    }
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
    let redact_url = redact::needed(response.url());
    if !redact_url && declared.is_some_and(|length| length <= limit) {
        // Nothing to do: hyper never reads past the declared length.
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
    let too_large = ResponseTooLarge {
        limit,
        status,
        content_length: declared,
    };
    let body = if declared.is_some_and(|length| length > limit) {
        // Fails at once; dropping the body closes the connection instead of reading what
        // would be thrown away.
        reqwest::Body::wrap(LimitedBody {
            inner: None,
            read: 0,
            too_large,
            reported: false,
        })
    } else if declared.is_none() {
        reqwest::Body::wrap(LimitedBody {
            inner: Some(body),
            read: 0,
            too_large,
            reported: false,
        })
    } else {
        body
    };
    reqwest::Response::from(http::Response::from_parts(parts, body))
}

/// A response body cut off with a [`ResponseTooLarge`] error once it passes its limit.
struct LimitedBody {
    /// `None` once the limit is passed (or known to be from `Content-Length`).
    inner: Option<reqwest::Body>,
    /// Bytes yielded so far.
    read: u64,
    /// The error to report, with the limit in it.
    too_large: ResponseTooLarge,
    /// Whether the error has been reported; the body ends after it.
    reported: bool,
}

impl LimitedBody {
    fn fail(&mut self) -> Poll<Option<Result<Frame<Data>, BoxError>>> {
        self.inner = None;
        if self.reported {
            return Poll::Ready(None);
        }
        self.reported = true;
        Poll::Ready(Some(Err(self.too_large.clone().into())))
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type Data = <reqwest::Body as http_body::Body>::Data;

impl http_body::Body for LimitedBody {
    type Data = Data;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let this = self.get_mut();
        let Some(inner) = this.inner.as_mut() else {
            return this.fail();
        };
        let frame = ready!(Pin::new(inner).poll_frame(cx));
        if let Some(Ok(frame)) = &frame
            && let Some(data) = frame.data_ref()
        {
            let length = u64::try_from(data.len()).unwrap_or(u64::MAX);
            this.read = this.read.saturating_add(length);
            if this.read > this.too_large.limit {
                // Dropping the inner body closes the connection rather than draining it.
                return this.fail();
            }
        }
        Poll::Ready(frame.map(|frame| frame.map_err(Into::into)))
    }

    fn is_end_stream(&self) -> bool {
        match &self.inner {
            Some(inner) => inner.is_end_stream(),
            None => self.reported,
        }
    }

    fn size_hint(&self) -> SizeHint {
        self.inner
            .as_ref()
            .map_or_else(SizeHint::default, |inner| inner.size_hint())
    }
}

fn describe(reason: RetryReason) -> &'static str {
    match reason {
        RetryReason::NotSent => "not sent",
        RetryReason::Refused(_) => "refused",
        RetryReason::Gateway(_) => "gateway",
        RetryReason::Timeout => "timeout",
        RetryReason::ConnectionLost => "connection lost",
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::{Error, ErrorKind};

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

        let stream = Chunks {
            chunks: 1,
            size: 1,
            polled: Arc::default(),
        };
        *request.body_mut() = Some(reqwest::Body::wrap(stream));
        assert!(
            retry_copy(&request).is_none(),
            "a stream cannot be sent twice"
        );
    }

    /// A body of `chunks` chunks of `size` bytes with no declared length, like a chunked
    /// response; `polled` counts the chunks taken from it.
    struct Chunks {
        chunks: usize,
        size: usize,
        polled: Arc<AtomicUsize>,
    }

    impl http_body::Body for Chunks {
        type Data = Data;
        type Error = BoxError;

        fn poll_frame(
            self: Pin<&mut Self>,
            _: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Data>, BoxError>>> {
            let this = self.get_mut();
            let polled = this.polled.fetch_add(1, Ordering::SeqCst);
            if polled >= this.chunks {
                return Poll::Ready(None);
            }
            Poll::Ready(Some(Ok(Frame::data(vec![b'x'; this.size].into()))))
        }
    }

    fn chunked(chunks: usize, size: usize) -> (reqwest::Response, Arc<AtomicUsize>) {
        let polled = Arc::new(AtomicUsize::new(0));
        let body = Chunks {
            chunks,
            size,
            polled: Arc::clone(&polled),
        };
        let response = http::Response::builder()
            .status(200)
            .url("http://127.0.0.1:9/api/v0/x/".parse().expect("url"))
            .body(reqwest::Body::wrap(body))
            .expect("response");
        (reqwest::Response::from(response), polled)
    }

    async fn sdk_error(error: reqwest::Error) -> Error {
        let error = progenitor_client::Error::<()>::ResponseBodyError(error);
        Error::from_progenitor("op", error).await
    }

    #[tokio::test]
    async fn a_chunked_body_up_to_the_limit_is_read_whole() {
        let (response, _) = chunked(3, 4);
        let response = guard_response(response, 12);
        assert_eq!(response.url().as_str(), "http://127.0.0.1:9/api/v0/x/");
        let body = response.bytes().await.expect("within the limit");
        assert_eq!(body.len(), 12);
    }

    #[tokio::test]
    async fn a_chunked_body_past_the_limit_fails_with_the_limit_and_status() {
        let (response, polled) = chunked(1000, 4);
        let error = guard_response(response, 11)
            .bytes()
            .await
            .expect_err("too large");
        // Reading stopped at the chunk that crossed the limit.
        assert_eq!(polled.load(Ordering::SeqCst), 3);
        let error = sdk_error(error).await;
        assert_eq!(error.kind(), ErrorKind::ResponseTooLarge);
        assert_eq!(error.status(), Some(reqwest::StatusCode::OK));
        assert_eq!(
            error.to_string(),
            "op failed: HTTP 200 OK: the response body is larger than the limit of 11 bytes; \
             reading stopped there (ClientBuilder::max_response_bytes)"
        );
    }

    #[tokio::test]
    async fn a_declared_length_past_the_limit_fails_without_reading() {
        let (response, polled) = chunked(1, 4);
        let mut response = http::Response::from(response);
        response.headers_mut().insert(
            http::header::CONTENT_LENGTH,
            http::HeaderValue::from_static("4"),
        );
        // reqwest takes the length from the body's size hint; give the body an exact one.
        let (parts, body) = response.into_parts();
        let body = reqwest::Body::wrap(Exact(body, 4));
        let response = reqwest::Response::from(http::Response::from_parts(parts, body));
        assert_eq!(response.content_length(), Some(4));

        let error = guard_response(response, 3)
            .bytes()
            .await
            .expect_err("too large");
        assert_eq!(polled.load(Ordering::SeqCst), 0, "the body was read");
        let error = sdk_error(error).await;
        assert_eq!(error.kind(), ErrorKind::ResponseTooLarge);
        assert!(
            error
                .to_string()
                .contains("(4 bytes by its Content-Length) is larger than the limit of 3 bytes"),
            "{error}"
        );
    }

    #[tokio::test]
    async fn a_declared_length_within_the_limit_is_left_alone() {
        let response = reqwest::Response::from(http::Response::new(reqwest::Body::from("{}")));
        let response = guard_response(response, 2);
        assert_eq!(response.content_length(), Some(2));
        assert_eq!(response.bytes().await.expect("body").as_ref(), b"{}");
    }

    /// A body with an exact size hint, as hyper gives one with a `Content-Length`.
    struct Exact(reqwest::Body, u64);

    impl http_body::Body for Exact {
        type Data = Data;
        type Error = reqwest::Error;

        fn poll_frame(
            self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Data>, reqwest::Error>>> {
            Pin::new(&mut self.get_mut().0).poll_frame(cx)
        }

        fn size_hint(&self) -> SizeHint {
            SizeHint::with_exact(self.1)
        }
    }
}
