//! A minimal receiver for Vast.ai webhook deliveries, following Vast.ai's
//! recommended pattern: verify the signature over the raw body, reject stale
//! timestamps, de-duplicate on the event id, answer quickly.
//!
//! ```text
//! VAST_WEBHOOK_SECRET=<secret> cargo run -p vast-api --example webhook_receiver -- --listen 127.0.0.1:8787
//! ```
//!
//! - `VAST_WEBHOOK_SECRET`: the webhook secret, or several separated by
//!   commas while rotating (spaces around each are dropped).
//! - `--listen ADDR` (default `127.0.0.1:8787`): the address to listen on;
//!   port 0 picks a free port. The address bound is printed to stderr.
//!
//! Answers: 405 to anything but `POST`; 400 to missing or malformed
//! signature or timestamp headers, or a body that is not an event; 401 to a
//! bad signature or a stale or future timestamp; 413 to a body over 1 MiB;
//! 204 to a verified new event, which is printed to stdout as one JSON line;
//! 200 to a verified repeat of an event already accepted. Secrets are never
//! printed.

use std::collections::HashSet;
use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::process::ExitCode;

use tiny_http::{Header, Method, Request, Response, ResponseBox, Server};
use vast_api::webhook::{WebhookEvent, WebhookHeaders, WebhookVerifier};

/// Where the receiver listens unless `--listen` says otherwise.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8787";

/// The environment variable holding the secret(s).
pub const SECRET_VAR: &str = "VAST_WEBHOOK_SECRET";

/// Deliveries are small JSON documents; a cap keeps a sender from making the
/// receiver buffer without bound.
const MAX_BODY_BYTES: usize = 1 << 20;

const USAGE: &str =
    "usage: VAST_WEBHOOK_SECRET=<secret>[,<old secret>] webhook_receiver [--listen ADDR]";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("webhook_receiver: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let Some(listen) = listen_address(std::env::args_os().skip(1))? else {
        println!("{USAGE}");
        return Ok(());
    };
    let verifier = verifier_from_env(std::env::var_os(SECRET_VAR))?;
    let server =
        Server::http(&listen).map_err(|error| format!("cannot listen on {listen}: {error}"))?;
    let bound = server
        .server_addr()
        .to_ip()
        .map_or_else(|| listen.clone(), |addr| addr.to_string());
    eprintln!(
        "webhook_receiver: listening on http://{bound} with {} secret(s)",
        verifier.secret_count()
    );
    Receiver::new(verifier).serve(&server, &mut io::stdout());
    Err("the server stopped accepting connections".to_owned())
}

/// The address to listen on, from the command-line arguments; `None` when
/// help was asked for.
pub fn listen_address(args: impl IntoIterator<Item = OsString>) -> Result<Option<String>, String> {
    let mut listen = DEFAULT_LISTEN.to_owned();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let arg = arg
            .into_string()
            .map_err(|_| format!("arguments must be UTF-8\n{USAGE}"))?;
        listen = match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--listen" => args
                .next()
                .and_then(|value| value.into_string().ok())
                .ok_or_else(|| format!("--listen needs an address\n{USAGE}"))?,
            other => match other.strip_prefix("--listen=") {
                Some(value) => value.to_owned(),
                None => return Err(format!("unexpected argument {other:?}\n{USAGE}")),
            },
        };
    }
    Ok(Some(listen))
}

/// The verifier for the secret(s) in `VAST_WEBHOOK_SECRET`. Errors never
/// quote the variable's value.
pub fn verifier_from_env(value: Option<OsString>) -> Result<WebhookVerifier, String> {
    let value = value.ok_or_else(|| format!("set {SECRET_VAR}\n{USAGE}"))?;
    let value = value
        .into_string()
        .map_err(|_| format!("{SECRET_VAR} is not valid UTF-8"))?;
    let verifier = WebhookVerifier::new(value.split(',').map(str::trim));
    if verifier.secret_count() == 0 {
        return Err(format!("{SECRET_VAR} holds no secret\n{USAGE}"));
    }
    Ok(verifier)
}

/// Answers deliveries and remembers which events it has accepted.
pub struct Receiver {
    verifier: WebhookVerifier,
    // A real receiver keeps these where it keeps the events, so that repeats
    // are still recognised after a restart.
    accepted: HashSet<String>,
}

impl Receiver {
    /// A receiver that has accepted nothing yet.
    pub fn new(verifier: WebhookVerifier) -> Self {
        Self {
            verifier,
            accepted: HashSet::new(),
        }
    }

    /// Answers requests one at a time, writing each newly accepted event to
    /// `events`, until the server is unblocked or stops accepting.
    pub fn serve(&mut self, server: &Server, events: &mut impl Write) {
        for mut request in server.incoming_requests() {
            let response = self.answer(&mut request, events);
            if let Err(error) = request.respond(response) {
                eprintln!("webhook_receiver: cannot send the response: {error}");
            }
        }
    }

    fn answer(&mut self, request: &mut Request, events: &mut impl Write) -> ResponseBox {
        if *request.method() != Method::Post {
            let response = reply(405, "only POST is accepted");
            return match Header::from_bytes(&b"Allow"[..], &b"POST"[..]) {
                Ok(allow) => response.with_header(allow),
                Err(()) => response,
            };
        }
        let mut body = Vec::new();
        let limit = MAX_BODY_BYTES as u64 + 1;
        if let Err(error) = request.as_reader().take(limit).read_to_end(&mut body) {
            return reply(400, &format!("cannot read the body: {error}"));
        }
        if body.len() > MAX_BODY_BYTES {
            return reply(413, "body too large");
        }
        let headers = WebhookHeaders::from_pairs(
            request
                .headers()
                .iter()
                .map(|header| (header.field.as_str().as_str(), header.value.as_str())),
        );
        let event = match self.verifier.verify_event(headers, &body) {
            Ok(event) => event,
            Err(error) => {
                let cause = std::error::Error::source(&error)
                    .map(|cause| format!(" ({cause})"))
                    .unwrap_or_default();
                eprintln!("webhook_receiver: rejected a delivery: {error}{cause}");
                return reply(error.http_status().as_u16(), &error.to_string());
            }
        };
        if self.accepted.contains(event.event_id()) {
            eprintln!("webhook_receiver: repeat of event {:?}", event.event_id());
            return reply(200, "already received");
        }
        match record(&event, events) {
            Ok(()) => {
                self.accepted.insert(event.event_id().to_owned());
                Response::empty(204).boxed()
            }
            // Not acknowledged, so Vast.ai delivers it again.
            Err(error) => {
                eprintln!(
                    "webhook_receiver: cannot record event {:?}: {error}",
                    event.event_id()
                );
                reply(500, "cannot record the event")
            }
        }
    }
}

/// Writes `event` as one JSON line.
fn record(event: &WebhookEvent, events: &mut impl Write) -> io::Result<()> {
    let line = serde_json::to_string(event)?;
    writeln!(events, "{line}")?;
    events.flush()
}

fn reply(status: u16, message: &str) -> ResponseBox {
    Response::from_string(format!("{message}\n"))
        .with_status_code(status)
        .boxed()
}
