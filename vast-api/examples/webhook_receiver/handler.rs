//! Answering one request: every check that needs no body first, then the
//! body within its size and time limits, then the signature and repeats.

use std::io::{self, Write};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::{Body, Bytes, Incoming};
use hyper::header::{ALLOW, CONNECTION, CONTENT_TYPE, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use vast_api::webhook::{ReplayGuard, Seen, WebhookError, WebhookEvent, WebhookVerifier};

use super::config::Config;

/// Answers deliveries and remembers which events it has accepted.
pub struct Handler {
    verifier: WebhookVerifier,
    // A real receiver keeps these where it keeps the events, so that repeats
    // are still recognised after a restart.
    seen: Mutex<ReplayGuard>,
    max_body_bytes: usize,
    body_timeout: Duration,
}

/// A response whose request body may be left unread, so the connection is
/// closed after it rather than reused.
struct Refusal(Response<Full<Bytes>>);

impl Handler {
    pub fn new(verifier: WebhookVerifier, config: &Config) -> Self {
        let seen = ReplayGuard::new(
            ReplayGuard::for_verifier(&verifier).window(),
            config.max_events,
        );
        Self {
            verifier,
            seen: Mutex::new(seen),
            max_body_bytes: config.max_body_bytes,
            body_timeout: config.body_timeout,
        }
    }

    pub async fn answer(&self, request: Request<Incoming>) -> Response<Full<Bytes>> {
        match self.accept(request).await {
            Ok(response) => response,
            Err(Refusal(mut response)) => {
                response
                    .headers_mut()
                    .insert(CONNECTION, HeaderValue::from_static("close"));
                response
            }
        }
    }

    async fn accept(&self, request: Request<Incoming>) -> Result<Response<Full<Bytes>>, Refusal> {
        if request.method() != Method::POST {
            let mut response = reply(StatusCode::METHOD_NOT_ALLOWED, "only POST is accepted");
            response
                .headers_mut()
                .insert(ALLOW, HeaderValue::from_static("POST"));
            return Err(Refusal(response));
        }
        if request
            .headers()
            .values()
            .any(|value| std::str::from_utf8(value.as_bytes()).is_err())
        {
            return Err(refuse(StatusCode::BAD_REQUEST, "header value is not UTF-8"));
        }
        // For a `Content-Length` body the lower bound is that length: refused
        // before a byte of it is read.
        if request.body().size_hint().lower() > self.max_body_bytes as u64 {
            return Err(refuse(StatusCode::PAYLOAD_TOO_LARGE, "body too large"));
        }
        let checked = self
            .verifier
            .check_headers(request.headers())
            .map_err(|error| Refusal(rejected(&error)))?;

        let body = Limited::new(request.into_body(), self.max_body_bytes);
        let body = match tokio::time::timeout(self.body_timeout, body.collect()).await {
            Ok(Ok(collected)) => collected.to_bytes(),
            Ok(Err(error)) if error.is::<LengthLimitError>() => {
                return Err(refuse(StatusCode::PAYLOAD_TOO_LARGE, "body too large"));
            }
            Ok(Err(error)) => {
                eprintln!("webhook_receiver: cannot read a body: {error}");
                return Err(refuse(StatusCode::BAD_REQUEST, "cannot read the body"));
            }
            Err(_) => {
                return Err(refuse(
                    StatusCode::REQUEST_TIMEOUT,
                    "body not received in time",
                ));
            }
        };

        let event = self
            .verifier
            .verify_body(&checked, &body)
            .and_then(|delivery| delivery.into_event())
            .map_err(|error| Refusal(rejected(&error)))?;
        Ok(self.record_once(&event))
    }

    /// Prints `event` unless it is a repeat.
    fn record_once(&self, event: &WebhookEvent) -> Response<Full<Bytes>> {
        // A panic elsewhere while holding the lock leaves the guard usable.
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match seen.check(event.event_id(), unix_now()) {
            Err(error) => rejected(&error),
            Ok(Seen::Repeat) => {
                eprintln!("webhook_receiver: repeat of event {:?}", event.event_id());
                reply(StatusCode::OK, "already received")
            }
            Ok(Seen::New) => match print(event) {
                Ok(()) => {
                    let mut response = Response::new(Full::default());
                    *response.status_mut() = StatusCode::NO_CONTENT;
                    response
                }
                // Not acknowledged, so Vast.ai delivers it again.
                Err(error) => {
                    seen.forget(event.event_id());
                    eprintln!(
                        "webhook_receiver: cannot record event {:?}: {error}",
                        event.event_id()
                    );
                    reply(StatusCode::INTERNAL_SERVER_ERROR, "cannot record the event")
                }
            },
        }
    }
}

/// Writes `event` to stdout as one JSON line.
fn print(event: &WebhookEvent) -> io::Result<()> {
    let line = serde_json::to_string(event)?;
    let mut stdout = io::stdout().lock();
    writeln!(stdout, "{line}")?;
    stdout.flush()
}

/// The answer to a delivery the verifier or the replay guard turned down.
fn rejected(error: &WebhookError) -> Response<Full<Bytes>> {
    let cause = std::error::Error::source(error)
        .map(|cause| format!(" ({cause})"))
        .unwrap_or_default();
    eprintln!("webhook_receiver: rejected a delivery: {error}{cause}");
    reply(error.http_status(), &error.to_string())
}

fn refuse(status: StatusCode, message: &str) -> Refusal {
    Refusal(reply(status, message))
}

fn reply(status: StatusCode, message: &str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::from(format!("{message}\n")));
    *response.status_mut() = status;
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}
