//! The error of an API call: which operation failed, the HTTP status and the server's message.

use std::fmt;

use reqwest::StatusCode;
use reqwest::header::LOCATION;
use serde::Serialize;

use crate::retry::{self, RetryReason};
use crate::{outcome, redact};

/// How much of an unexpected response body is read to find the server's message.
const BODY_LIMIT: usize = 64 * 1024;
/// Longest server message kept, in characters; HTML pages and stack traces are cut here.
const MESSAGE_LIMIT: usize = 300;

type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The broad class of an [`Error`], for deciding what to do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The request, or reading its response, took longer than the configured timeout.
    Timeout,
    /// No connection to the server could be made, or it broke before the response arrived.
    Connect,
    /// The TLS handshake failed, most often because the server's certificate did not verify
    /// (unknown issuer, expired, issued for another host). Nothing was sent, the API key
    /// included; it is not retried.
    Tls,
    /// A write (any request but `GET` or `HEAD`) failed after it may have reached the API: it
    /// timed out, the connection broke after it was sent, or a gateway answered 502 or 504.
    /// It may or may not have taken effect, and was not sent again (see
    /// [`retry`](crate::retry)); check its effect before repeating it.
    OutcomeUnknown,
    /// The server answered with an error status the API documents, such as 401 or 404.
    ErrorResponse,
    /// The server answered with a status the API does not document for this operation, such
    /// as a plain-text 429, an HTML 502 from a proxy, or a redirect (which the client does not
    /// follow; the error's `Display` names where it pointed).
    UnexpectedResponse,
    /// The response body was not the JSON the API documents (malformed, empty or of the wrong
    /// shape).
    InvalidResponse,
    /// The response body was larger than the client's limit
    /// ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes)) and
    /// was not read in full.
    ResponseTooLarge,
    /// The request could not be built, for example because a required parameter is missing.
    InvalidRequest,
    /// Any other failure; see [`source`](std::error::Error::source).
    Other,
}

/// A failed API call.
///
/// Its `Display` names the operation, the HTTP status and the server's message, for example
/// `rotate_notification_webhook_secret failed: HTTP 404 Not Found: no such webhook`. The
/// underlying reqwest or serde error, if any, is its [`source`](std::error::Error::source).
/// Neither ever contains the API key, which only travels in a request header, nor a response
/// body that failed to parse, nor a URL's credentials or query.
///
/// ```
/// use vast_api::{Error, ErrorKind};
///
/// fn advice(error: &Error) -> &str {
///     match (error.kind(), error.status().map(|s| s.as_u16())) {
///         (ErrorKind::Timeout | ErrorKind::Connect, _) => "try again later",
///         (ErrorKind::OutcomeUnknown, _) => "check whether it happened before repeating it",
///         (_, Some(401)) => "check your API key",
///         _ => error.message().unwrap_or("no message from the server"),
///     }
/// }
/// ```
#[derive(Debug, thiserror::Error)]
pub struct Error {
    operation: &'static str,
    kind: ErrorKind,
    status: Option<StatusCode>,
    message: Option<String>,
    /// What went wrong, when neither a status nor an underlying error says it.
    detail: Option<String>,
    #[source]
    source: Option<BoxError>,
}

impl Error {
    /// Converts the error of a generated `send()` into an [`Error`] of `operation`.
    ///
    /// Async because the body of an undocumented response has to be read to find the server's
    /// message; at most 64 KiB of it is read.
    #[doc(hidden)]
    pub async fn from_progenitor<E: Serialize>(
        operation: &'static str,
        error: progenitor_client::Error<E>,
    ) -> Self {
        use progenitor_client::Error as P;
        let error = match error {
            P::ErrorResponse(response) => {
                let status = response.status();
                let message = serde_json::to_value(response.into_inner())
                    .ok()
                    .and_then(|body| message_in_json(&body));
                Self::new(ErrorKind::ErrorResponse)
                    .with_status(status)
                    .with_message(message)
                    .unknown_if(operation, retry::classify_status(status))
            }
            P::UnexpectedResponse(response) => {
                let status = response.status();
                let redirect = redirect_target(&response);
                let message = message_in_body(&read_limited(response).await);
                let error = Self::new(ErrorKind::UnexpectedResponse)
                    .with_status(status)
                    .with_message(message);
                match redirect {
                    Some(target) => error.with_detail(format!(
                        "redirected to {target}, which is not followed (check the base URL)"
                    )),
                    None => error.unknown_if(operation, retry::classify_status(status)),
                }
            }
            P::CommunicationError(e) => {
                let reason = retry::transport_failure(&e);
                Self::from_reqwest(e).unknown_if(operation, reason)
            }
            P::ResponseBodyError(e) | P::InvalidUpgrade(e) => Self::from_reqwest(e),
            // Not the body, which may hold a secret, nor serde's message as it is, which may
            // quote a value from it.
            P::InvalidResponsePayload(_, e) => {
                Self::new(ErrorKind::InvalidResponse).with_source(redacted_json_error(e))
            }
            P::InvalidRequest(detail) => Self::new(ErrorKind::InvalidRequest).with_detail(detail),
            P::Custom(detail) => Self::new(ErrorKind::Other).with_detail(detail),
        };
        Self { operation, ..error }
    }

    fn from_reqwest(error: reqwest::Error) -> Self {
        if let Some(too_large) = find_cause::<ResponseTooLarge>(&error) {
            let detail = too_large.to_string();
            return Self::new(ErrorKind::ResponseTooLarge)
                .with_status(too_large.status)
                .with_detail(detail)
                .with_source(error);
        }
        if let Some(tls) = tls_failure(&error) {
            let detail = format!("TLS handshake failed: {tls}");
            return Self::new(ErrorKind::Tls)
                .with_detail(detail)
                .with_source(error);
        }
        let kind = match retry::transport_failure(&error) {
            Some(RetryReason::Timeout) => ErrorKind::Timeout,
            Some(_) => ErrorKind::Connect,
            // A body cut short by the connection closing or breaking.
            None if connection_dropped(&error) => ErrorKind::Connect,
            None if error.is_builder() => ErrorKind::InvalidRequest,
            None if error.is_decode() => ErrorKind::InvalidResponse,
            None => ErrorKind::Other,
        };
        let status = error.status();
        Self {
            status,
            ..Self::new(kind).with_source(error)
        }
    }

    /// This error, as [`ErrorKind::OutcomeUnknown`] if `reason` says the request may have
    /// reached the API and `operation` is a write.
    fn unknown_if(self, operation: &str, reason: Option<RetryReason>) -> Self {
        let Some(reason) = reason.filter(|reason| !reason.took_no_effect()) else {
            return self;
        };
        if !outcome::is_write(operation) {
            return self;
        }
        let how = match reason {
            RetryReason::Timeout => "it timed out after it was sent; ",
            RetryReason::ConnectionLost => "the connection broke after it was sent; ",
            _ => "",
        };
        let detail = format!(
            "{how}the outcome is unknown: the write may or may not have happened, so check \
             before repeating it"
        );
        Self {
            kind: ErrorKind::OutcomeUnknown,
            ..self.with_detail(detail)
        }
    }

    fn new(kind: ErrorKind) -> Self {
        Self {
            operation: "",
            kind,
            status: None,
            message: None,
            detail: None,
            source: None,
        }
    }

    fn with_status(self, status: StatusCode) -> Self {
        Self {
            status: Some(status),
            ..self
        }
    }

    fn with_message(self, message: Option<String>) -> Self {
        Self { message, ..self }
    }

    fn with_detail(self, detail: String) -> Self {
        Self {
            detail: Some(detail),
            ..self
        }
    }

    fn with_source(self, source: impl Into<BoxError>) -> Self {
        Self {
            source: Some(source.into()),
            ..self
        }
    }

    /// The operation that failed: the method name of the call, such as
    /// `"rotate_notification_webhook_secret"`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The HTTP status of the response, if the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        self.status
    }

    /// The server's explanation: the `msg` or `error` field of a JSON error body (else its
    /// `message` or `detail`), or the start of a plain-text body, shortened to 300 characters.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let operation = self.operation;
        match (self.status, self.kind) {
            (Some(status), _) => write!(f, "{operation} failed: HTTP {status}")?,
            (None, ErrorKind::Timeout) => write!(f, "{operation} timed out")?,
            (None, ErrorKind::OutcomeUnknown) => write!(f, "{operation} failed")?,
            (None, ErrorKind::Connect) => write!(f, "{operation} could not connect to the server")?,
            (None, ErrorKind::InvalidResponse) => {
                write!(f, "{operation} failed: the response body is not valid")?;
            }
            (None, ErrorKind::InvalidRequest) => write!(f, "{operation} failed: invalid request")?,
            (None, _) => write!(f, "{operation} failed")?,
        }
        let mut separator = ": ";
        for text in [&self.message, &self.detail].into_iter().flatten() {
            write!(f, "{separator}{text}")?;
            separator = "; ";
        }
        Ok(())
    }
}

/// The server's message in the error of a generated `send()`, for those who use `send()`
/// rather than `call()`.
///
/// ```
/// use vast_api::ErrorExt;
///
/// async fn rotate(client: &vast_api::Client, id: i64) {
///     match client.rotate_notification_webhook_secret().id(id).send().await {
///         Ok(response) => println!("rotated webhook {id}: {:?}", response.success),
///         Err(error) => eprintln!("failed: {:?}", error.server_message()),
///     }
/// }
/// ```
pub trait ErrorExt {
    /// The `msg` or `error` field (else `message` or `detail`) of a documented error body.
    ///
    /// `None` for an undocumented response, whose body has not been read yet: the operation's
    /// `call()`, which returns an [`Error`], reads it.
    fn server_message(&self) -> Option<String>;
}

impl<E: Serialize> ErrorExt for progenitor_client::Error<E> {
    fn server_message(&self) -> Option<String> {
        match self {
            progenitor_client::Error::ErrorResponse(response) => {
                let body = serde_json::to_value(response.as_ref()).ok()?;
                message_in_json(&body)
            }
            _ => None,
        }
    }
}

/// The failure the client's response-size limit puts in a body's error chain (see
/// `hooks::limit_body`), for [`Error`] to find.
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

/// `error` with nothing from the body it was parsing: serde's messages for data of the wrong
/// shape quote the offending value (``invalid type: string "whsec_…"``), so every quoted or
/// backquoted part of them is replaced, except the field name of a missing field, which comes
/// from the type. Syntax errors quote nothing and keep their message.
pub(crate) fn redacted_json_error(error: serde_json::Error) -> serde_json::Error {
    use serde::de::Error as _;
    let message = error.to_string();
    if error.is_data() && !message.starts_with("missing field") {
        serde_json::Error::custom(redact_quoted(&message))
    } else {
        // Syntax and end-of-input errors say where, never what: kept whole, category included.
        error
    }
}

/// `text` with each `"…"` and `` `…` `` part replaced by `<redacted>`.
fn redact_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '"' && c != '`' {
            out.push(c);
            continue;
        }
        out.push_str("<redacted>");
        let mut escaped = false;
        for inner in chars.by_ref() {
            match inner {
                '\\' if c == '"' && !escaped => escaped = true,
                _ if inner == c && !escaped => break,
                _ => escaped = false,
            }
        }
    }
    out
}

/// The rustls error behind a failed TLS handshake, if that is what `error` is.
///
/// The TLS stream reports it as an `io::Error` wrapping it (itself wrapped in another by the
/// connector), and `io::Error::source()` skips the error it wraps, so each `io::Error` in
/// the chain is opened with `get_ref` instead.
#[cfg(feature = "rustls")]
fn tls_failure(error: &reqwest::Error) -> Option<&rustls::Error> {
    let mut cause = std::error::Error::source(error);
    while let Some(current) = cause {
        if let Some(tls) = current.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        cause = match current.downcast_ref::<std::io::Error>() {
            Some(io) => match io.get_ref() {
                Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
                None => std::error::Error::source(io),
            },
            None => current.source(),
        };
    }
    None
}

/// Without TLS there is no handshake to fail.
#[cfg(not(feature = "rustls"))]
fn tls_failure(_: &reqwest::Error) -> Option<&'static str> {
    None
}

/// Whether `error` is a failed TLS handshake, which retrying cannot fix.
pub(crate) fn is_tls_failure(error: &reqwest::Error) -> bool {
    tls_failure(error).is_some()
}

/// Whether the connection was closed or reset under `error` (a body cut short).
fn connection_dropped(error: &reqwest::Error) -> bool {
    use std::io::ErrorKind::{BrokenPipe, ConnectionAborted, ConnectionReset, UnexpectedEof};
    find_cause::<std::io::Error>(error).is_some_and(|io| {
        matches!(
            io.kind(),
            ConnectionReset | ConnectionAborted | BrokenPipe | UnexpectedEof
        )
    })
}

/// The first error of type `T` in `error`'s chain of sources.
fn find_cause<T: std::error::Error + 'static>(error: &reqwest::Error) -> Option<&T> {
    let mut cause = std::error::Error::source(error);
    while let Some(current) = cause {
        if let Some(found) = current.downcast_ref::<T>() {
            return Some(found);
        }
        cause = current.source();
    }
    None
}

/// Where a 3xx response points, resolved against the request URL, without the query,
/// fragment or credentials a redirect URL may carry.
fn redirect_target(response: &reqwest::Response) -> Option<reqwest::Url> {
    if !response.status().is_redirection() {
        return None;
    }
    let location = response.headers().get(LOCATION)?.to_str().ok()?;
    let mut target = response.url().join(location).ok()?;
    redact::url(&mut target);
    Some(target)
}

/// Up to [`BODY_LIMIT`] bytes of the body; a body that fails halfway is used as far as it got.
async fn read_limited(mut response: reqwest::Response) -> Vec<u8> {
    let mut body = Vec::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        let room = BODY_LIMIT - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() == BODY_LIMIT {
            break;
        }
    }
    body
}

/// The message in a response body: a JSON error body's message field, the title of an HTML
/// page, or plain text.
fn message_in_body(body: &[u8]) -> Option<String> {
    if let Ok(json) = serde_json::from_slice::<serde_json::Value>(body) {
        return message_in_json(&json);
    }
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.starts_with('<') {
        return html_title(text).and_then(shorten);
    }
    shorten(text)
}

/// Vast.ai puts the human-readable text in `msg` and a short code in `error`; other servers
/// on the path (proxies, frameworks) use `message` or `detail`.
fn message_in_json(body: &serde_json::Value) -> Option<String> {
    ["msg", "error", "message", "detail"]
        .iter()
        .find_map(|field| body.get(field)?.as_str().and_then(shorten))
}

fn html_title(html: &str) -> Option<&str> {
    let lower = html.to_ascii_lowercase();
    let open = lower.find("<title")?;
    let start = open + lower[open..].find('>')? + 1;
    let end = start + lower[start..].find("</title")?;
    html.get(start..end)
}

/// One line of at most [`MESSAGE_LIMIT`] characters; `None` if nothing is left.
fn shorten(text: &str) -> Option<String> {
    let mut words = text.split_whitespace();
    let first = words.next()?;
    let mut line = String::from(first);
    for word in words {
        line.push(' ');
        line.push_str(word);
        if line.len() > MESSAGE_LIMIT * 4 {
            break;
        }
    }
    if line.chars().count() > MESSAGE_LIMIT {
        line = line.chars().take(MESSAGE_LIMIT - 1).collect();
        line.push('…');
    }
    Some(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_message_fields_in_order() {
        let body = serde_json::json!({"error": "not_found", "msg": "No such webhook."});
        assert_eq!(message_in_json(&body).as_deref(), Some("No such webhook."));
        let body = serde_json::json!({"error": "invalid_args"});
        assert_eq!(message_in_json(&body).as_deref(), Some("invalid_args"));
        let body = serde_json::json!({"detail": "Not Found", "success": false});
        assert_eq!(message_in_json(&body).as_deref(), Some("Not Found"));
        assert_eq!(
            message_in_json(&serde_json::json!({"success": false})),
            None
        );
        assert_eq!(message_in_json(&serde_json::json!({"msg": 3})), None);
    }

    #[test]
    fn text_html_and_empty_bodies() {
        assert_eq!(
            message_in_body(b"API requests too frequent\n").as_deref(),
            Some("API requests too frequent")
        );
        assert_eq!(
            message_in_body(b"<html><head><TITLE>502 Bad Gateway</TITLE></head></html>").as_deref(),
            Some("502 Bad Gateway")
        );
        assert_eq!(message_in_body(b"<html><body>oops</body></html>"), None);
        assert_eq!(message_in_body(b"  \n"), None);
        assert_eq!(
            message_in_body(b"\xff\xfe"),
            Some("\u{fffd}\u{fffd}".to_owned())
        );
    }

    fn redirect(status: u16, location: &str) -> reqwest::Response {
        use reqwest::ResponseBuilderExt as _;
        let response = http::Response::builder()
            .status(status)
            .url(
                "http://127.0.0.1:8080/api/v0/webhooks/1/rotate-secret/"
                    .parse()
                    .expect("url"),
            )
            .header(LOCATION, location)
            .body("")
            .expect("response");
        reqwest::Response::from(response)
    }

    #[test]
    fn redirect_targets_are_resolved_and_stripped_of_credentials_and_queries() {
        let target =
            |status, location| redirect_target(&redirect(status, location)).map(String::from);
        assert_eq!(
            target(
                302,
                "https://user:pw@console.vast.ai/login/?next=/x&token=abc#top"
            )
            .as_deref(),
            Some("https://console.vast.ai/login/")
        );
        assert_eq!(
            target(301, "../../2/rotate-secret/").as_deref(),
            Some("http://127.0.0.1:8080/api/v0/webhooks/2/rotate-secret/")
        );
        assert_eq!(
            target(200, "https://elsewhere.example/"),
            None,
            "not a redirect"
        );
        assert_eq!(target(302, "http://[::1"), None, "not a URL");
    }

    #[tokio::test]
    async fn a_redirect_names_its_target_beside_the_body_message() {
        let error = progenitor_client::Error::<()>::UnexpectedResponse(redirect(
            302,
            "https://console.vast.ai/api/v0/webhooks/1/rotate-secret/",
        ));
        let error = Error::from_progenitor("op", error).await;
        assert_eq!(error.kind(), ErrorKind::UnexpectedResponse);
        assert_eq!(error.status(), Some(StatusCode::FOUND));
        assert_eq!(error.message(), None);
        assert_eq!(
            error.to_string(),
            "op failed: HTTP 302 Found: redirected to \
             https://console.vast.ai/api/v0/webhooks/1/rotate-secret/, which is not followed \
             (check the base URL)"
        );
        let with_message = Error::new(ErrorKind::UnexpectedResponse)
            .with_message(Some("Moved".into()))
            .with_detail("redirected".into());
        assert_eq!(with_message.to_string(), " failed: Moved; redirected");
    }

    #[test]
    fn json_errors_lose_quoted_values_but_keep_missing_field_names() {
        let parse = |json: &str| {
            serde_json::from_str::<crate::types::RotateNotificationWebhookSecretResponse>(json)
                .expect_err("not that type")
        };
        let shape = parse(r#"{"webhook": "whsec_x\"y"}"#);
        assert!(shape.to_string().contains("whsec_x"), "{shape}");
        let redacted = redacted_json_error(shape).to_string();
        assert!(!redacted.contains("whsec_"), "{redacted}");
        assert!(
            redacted.starts_with("invalid type: string <redacted>, expected"),
            "{redacted}"
        );
        assert!(redacted.ends_with("at line 1 column 24"), "{redacted}");

        let syntax = parse(r#"{"webhook": {"webhook_secret": "whsec_x""#);
        let text = syntax.to_string();
        assert!(
            !text.contains("whsec_"),
            "syntax errors quote nothing: {text}"
        );
        assert_eq!(redacted_json_error(syntax).to_string(), text);
        let missing = serde_json::from_str::<Required>("{}").expect_err("missing");
        assert_eq!(
            redacted_json_error(missing).to_string(),
            "missing field `name` at line 1 column 2"
        );
        assert_eq!(
            redact_quoted("a `b` \"c\\\"d\" e"),
            "a <redacted> <redacted> e"
        );
    }

    #[derive(Debug, serde::Deserialize)]
    struct Required {
        #[allow(dead_code)]
        name: String,
    }

    #[test]
    fn long_messages_are_cut_on_a_char_boundary() {
        let long = "é".repeat(10_000);
        let short = shorten(&long).unwrap_or_default();
        assert_eq!(short.chars().count(), MESSAGE_LIMIT);
        assert!(short.ends_with('…'));
        assert_eq!(shorten("a\n  b\tc").as_deref(), Some("a b c"));
    }
}
