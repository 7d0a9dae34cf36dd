//! A receiver for Vast.ai webhook deliveries that can face the open internet:
//! it follows Vast.ai's recommended pattern (verify the signature over the
//! raw body, reject stale timestamps, de-duplicate on the event id, answer
//! quickly) and bounds what any client can make it spend.
//!
//! ```text
//! VAST_WEBHOOK_SECRET=<secret> cargo run -p vast-api --example webhook_receiver -- --listen 127.0.0.1:8787
//! ```
//!
//! - `VAST_WEBHOOK_SECRET`: the webhook secret, or several separated by
//!   commas while rotating (spaces around each are dropped).
//! - `--listen ADDR` (default `127.0.0.1:8787`): the address to listen on;
//!   port 0 picks a free port. The address bound is printed to stderr.
//! - Limits, each with a flag: see [`config`] or `--help`.
//!
//! Answers: 405 to anything but `POST`; 400 to missing or malformed
//! signature or timestamp headers, a header value that is not UTF-8, a body
//! that is not an event or an event id over 256 bytes; 401 to a bad signature
//! or a stale or future timestamp; 408 to a body not received in time; 413
//! to a body over the limit; 431 to a header section over the limits; 204 to
//! a verified new event, which is printed to stdout as one JSON line; 200 to
//! a verified repeat of an event already accepted. Secrets are never
//! printed.

mod config;
mod handler;
mod server;

use std::ffi::OsString;
use std::process::ExitCode;

pub use config::{Config, USAGE};
use vast_api::webhook::WebhookVerifier;

/// The environment variable holding the secret(s).
pub const SECRET_VAR: &str = "VAST_WEBHOOK_SECRET";

fn main() -> ExitCode {
    match run(std::env::args_os().skip(1), std::env::var_os(SECRET_VAR)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("webhook_receiver: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the receiver with these command-line arguments and the value of
/// `VAST_WEBHOOK_SECRET`; returns only on a start-up error or after `--help`.
pub fn run(
    args: impl IntoIterator<Item = OsString>,
    secret: Option<OsString>,
) -> Result<(), String> {
    let Some(config) = Config::from_args(args)? else {
        println!("{USAGE}");
        return Ok(());
    };
    let verifier = verifier_from_env(secret)?;
    // One thread is plenty: each connection is a task, and the work per
    // delivery (one HMAC over at most the body limit) is small.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start the runtime: {error}"))?;
    runtime.block_on(server::serve(config, verifier))
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
