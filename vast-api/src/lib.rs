//! Rust SDK for the Vast.ai REST API.
//!
//! The operations and types are generated from Vast.ai's OpenAPI spec (its version and
//! publication date head the [operations list](#operations) below); the hand-written layer
//! around them adds what the spec cannot say:
//!
//! - **Authentication**: [`Client::from_env`] finds the API key the way Vast.ai's Python SDK
//!   does (`VAST_API_KEY`, then the `vastai` config files) and sends it as
//!   `Authorization: Bearer <key>`; [`Client::builder`] sets it, the base URL, timeouts and
//!   the user agent explicitly.
//! - **Retries that never double a write**: a request that provably did not reach the API (no
//!   connection, or a refusal: [`retry::REFUSED_STATUSES`]) is retried; one that may have (a
//!   timeout, a connection lost after sending, a gateway's [`retry::GATEWAY_STATUSES`]) only if
//!   it is a `GET` or `HEAD` or declared safe to repeat, and otherwise fails with
//!   [`ErrorKind::OutcomeUnknown`]. Exponential
//!   backoff with jitter, `Retry-After` honoured, a deadline for the whole call (see
//!   [`retry`] and [`RetryPolicy`]). Each attempt is logged with
//!   [`tracing`](https://docs.rs/tracing).
//! - **Errors**: [`Error`] names the operation, the HTTP status and the server's message.
//! - **Secret hygiene**: the API key, and secrets in responses ([`Secret`]), never appear in
//!   `Debug` output, logs or error messages.
//!
//! Requests run on Tokio, like reqwest itself: call them inside a Tokio runtime with its
//! timer enabled (`#[tokio::main]` or `Runtime::new` enable it), which timeouts and retry
//! waits need.
//!
//! # Example
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use vast_api::Client;
//!
//! let client = Client::from_env()?;
//! let rotated = client.rotate_notification_webhook_secret().id(42).call().await?;
//! if let Some(secret) = rotated.webhook.and_then(|w| w.webhook_secret) {
//!     // `{:?}` of the response would print `Secret(<redacted>)`.
//!     println!("store this now: {}", secret.expose());
//! }
//! # Ok(()) }
//! ```
//!
//! Each operation's `call()` returns the response body or an [`Error`] that keeps the
//! server's message; `send()` returns progenitor's [`ResponseValue`] (status and headers too)
//! or [`progenitor_client::Error`], whose message [`ErrorExt::server_message`] digs out.
//!
//! ```no_run
//! # async fn run(client: vast_api::Client) {
//! match client.rotate_notification_webhook_secret().id(42).call().await {
//!     Ok(rotated) => println!("rotated: {:?}", rotated.success),
//!     Err(error) => {
//!         // rotate_notification_webhook_secret failed: HTTP 404 Not Found: …
//!         eprintln!("{error}");
//!         eprintln!("{:?} {:?} {:?}", error.kind(), error.status(), error.message());
//!     }
//! }
//! # }
//! ```
//!
//! There is no `Client::new`: progenitor's would panic where reqwest cannot build its client,
//! so the generator leaves it out. [`Client::builder`] (or [`Client::from_env`]) is the fallible
//! way, and [`Client::new_with_client`] takes a `reqwest::Client` you built:
//!
//! ```compile_fail
//! let client = vast_api::Client::new("https://console.vast.ai", Default::default());
//! ```
//!
//! [`Client::builder`] builds a client without touching the network, which suits tests:
//!
//! ```
//! use vast_api::{Client, ClientInfo, RetryPolicy};
//!
//! let client = Client::builder()
//!     .api_key("0123abcd")
//!     .base_url("http://127.0.0.1:8080/")
//!     .retry_policy(RetryPolicy::disabled())
//!     .build()?;
//! assert_eq!(client.baseurl(), "http://127.0.0.1:8080");
//! # Ok::<(), vast_api::ConfigError>(())
//! ```
#![doc = include_str!("operations.md")]
#![warn(missing_docs)]

// Generated code names this crate's own types by absolute path (`::vast_api::Secret`).
extern crate self as vast_api;

mod body_limit;
mod client;
pub mod config;
mod context;
mod error;
#[allow(clippy::all)]
mod generated;
mod hooks;
#[cfg(feature = "jobs")]
pub mod jobs;
mod outcome;
mod payload;
mod redact;
pub mod retry;
mod routing;
mod secret;
mod tls;
pub mod webhook;

pub use body_limit::DEFAULT_MAX_RESPONSE_BYTES;
pub use client::{ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, DEFAULT_USER_AGENT};
pub use config::ConfigError;
pub use context::ClientContext;
// `Error` here is the hand-written one below, not progenitor's (reachable as
// `progenitor_client::Error`, the error of `send()`).
pub use error::{Error, ErrorExt, ErrorKind};
pub use generated::*;
#[doc(no_inline)]
pub use progenitor_client;
pub use retry::RetryPolicy;
pub use routing::{PathStyle, SERVERLESS_SERVER};
pub use secret::Secret;
