//! The response-size limit: a body is cut off with [`ResponseTooLarge`] once it passes the
//! client's limit, so that a runaway or hostile response cannot exhaust memory.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use http_body::{Frame, SizeHint};
use reqwest::StatusCode;

use crate::error::BoxError;

/// The largest response body read unless [`ClientBuilder::max_response_bytes`] says otherwise:
/// 32 MiB, far more than any Vast.ai response, small enough that a runaway body cannot exhaust
/// memory.
///
/// [`ClientBuilder::max_response_bytes`]: crate::ClientBuilder::max_response_bytes
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 32 * 1024 * 1024;

/// Whether a body of `declared` length (`None`: not declared) needs bounding to `limit`:
/// hyper never reads past a declared length, so one within the limit does not.
pub(crate) fn needed(declared: Option<u64>, limit: u64) -> bool {
    declared.is_none_or(|length| length > limit)
}

/// `body`, of the response with `status` and `declared` length, failing with
/// [`ResponseTooLarge`] once more than `limit` bytes come; one whose declared length is past
/// the limit fails at its first read, and dropping it closes the connection instead of reading
/// what would be thrown away.
pub(crate) fn bound(
    body: reqwest::Body,
    declared: Option<u64>,
    limit: u64,
    status: StatusCode,
) -> reqwest::Body {
    if !needed(declared, limit) {
        return body;
    }
    let too_large = ResponseTooLarge {
        limit,
        status,
        content_length: declared,
    };
    reqwest::Body::wrap(LimitedBody {
        inner: declared.is_none().then_some(body),
        read: 0,
        too_large,
        reported: false,
    })
}

/// The failure the response-size limit puts in a body's error chain, for
/// [`Error`](crate::Error) to find.
#[derive(Debug, Clone)]
pub(crate) struct ResponseTooLarge {
    pub(crate) limit: u64,
    pub(crate) status: StatusCode,
    /// The declared length, when the server sent one.
    pub(crate) content_length: Option<u64>,
}

impl fmt::Display for ResponseTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let limit = self.limit;
        match self.content_length {
            Some(length) => write!(
                f,
                "the response body ({length} bytes by its Content-Length) is larger than the \
                 limit of {limit} bytes"
            )?,
            None => write!(
                f,
                "the response body is larger than the limit of {limit} bytes; reading stopped there"
            )?,
        }
        f.write_str(" (ClientBuilder::max_response_bytes)")
    }
}

impl std::error::Error for ResponseTooLarge {}

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

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use futures_util::StreamExt as _;

    use super::*;
    use crate::{Error, ErrorKind};

    /// A 200 response of `chunks` × `size` bytes bounded to `limit` (`declared`: its
    /// `Content-Length`), and the count of chunks read from it. The chunks are made as they
    /// are read and have no declared length, like a chunked response's.
    fn bounded(
        chunks: usize,
        size: usize,
        declared: Option<u64>,
        limit: u64,
    ) -> (reqwest::Response, Arc<AtomicUsize>) {
        let polled = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&polled);
        let frames = futures_util::stream::iter(0..chunks).map(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
            Ok::<_, BoxError>(Frame::data(hyper::body::Bytes::from(vec![b'x'; size])))
        });
        let body = reqwest::Body::wrap(http_body_util::StreamBody::new(frames));
        let body = bound(body, declared, limit, StatusCode::OK);
        (reqwest::Response::from(http::Response::new(body)), polled)
    }

    async fn sdk_error(error: reqwest::Error) -> Error {
        let error = progenitor_client::Error::<()>::ResponseBodyError(error);
        Error::from_progenitor("op", error).await
    }

    #[tokio::test]
    async fn a_chunked_body_up_to_the_limit_is_read_whole() {
        let (response, _) = bounded(3, 4, None, 12);
        let body = response.bytes().await.expect("within the limit");
        assert_eq!(body.len(), 12);
    }

    #[tokio::test]
    async fn a_chunked_body_past_the_limit_fails_with_the_limit_and_status() {
        let (response, polled) = bounded(1000, 4, None, 11);
        let error = response.bytes().await.expect_err("too large");
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
        let (response, polled) = bounded(1, 4, Some(4), 3);
        let error = response.bytes().await.expect_err("too large");
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
        assert!(!needed(Some(2), 2));
        assert!(needed(Some(3), 2));
        assert!(needed(None, u64::MAX));
        let (response, polled) = bounded(1, 4, Some(4), 4);
        assert_eq!(response.bytes().await.expect("body").len(), 4);
        assert_eq!(polled.load(Ordering::SeqCst), 1, "read to its end");
    }
}
