//! Rust SDK for the Vast.ai REST API.

// Generated code names this crate's own types by absolute path (`::vast_api::Secret`).
extern crate self as vast_api;

mod context;
#[allow(clippy::all, missing_docs)]
mod generated;
mod secret;
pub mod webhook;

pub use context::ClientContext;
pub use generated::*;
pub use secret::Secret;
