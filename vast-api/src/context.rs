//! Per-client state the hand-written layer keeps inside the generated `Client`.

/// State shared by every request of a [`Client`](crate::Client).
#[derive(Clone, Debug, Default)]
pub struct ClientContext {}
