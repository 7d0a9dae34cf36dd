//! What lies under a reqwest error: its chain of sources, searched for the failures that decide
//! an [`Error`](crate::Error)'s kind (a response past the size limit, a TLS handshake, a
//! dropped connection).

use std::error::Error as StdError;

/// The sources of `error`, nearest first.
///
/// An `io::Error` that wraps another (as the TLS stream and hyper's connector report theirs)
/// is opened with `get_ref`, because `io::Error::source()` skips the error it wraps.
fn causes(error: &reqwest::Error) -> impl Iterator<Item = &(dyn StdError + 'static)> {
    std::iter::successors(StdError::source(error), |&current| {
        match current.downcast_ref::<std::io::Error>() {
            Some(io) => match io.get_ref() {
                Some(inner) => Some(inner as &(dyn StdError + 'static)),
                None => io.source(),
            },
            None => current.source(),
        }
    })
}

/// `error` and each of its sources, joined by `: ` (reqwest's own message says only which
/// request failed, its sources say why).
#[cfg(feature = "jobs")] // Only the jobs read errors outside an `Error`.
pub(crate) fn with_causes(error: &reqwest::Error) -> String {
    causes(error).fold(error.to_string(), |text, cause| format!("{text}: {cause}"))
}

/// The first error of type `T` under `error`.
pub(super) fn find_cause<T: StdError + 'static>(error: &reqwest::Error) -> Option<&T> {
    causes(error).find_map(|cause| cause.downcast_ref::<T>())
}

/// The rustls error behind a failed TLS handshake, if that is what `error` is.
#[cfg(feature = "rustls")]
pub(super) fn tls_failure(error: &reqwest::Error) -> Option<&rustls::Error> {
    find_cause::<rustls::Error>(error)
}

/// Without TLS there is no handshake to fail.
#[cfg(not(feature = "rustls"))]
pub(super) fn tls_failure(_: &reqwest::Error) -> Option<&'static str> {
    None
}

/// Whether `error` is a failed TLS handshake, which retrying cannot fix.
pub(crate) fn is_tls_failure(error: &reqwest::Error) -> bool {
    tls_failure(error).is_some()
}

/// Whether the connection was closed or reset under `error` (a body cut short).
pub(super) fn connection_dropped(error: &reqwest::Error) -> bool {
    use std::io::ErrorKind::{BrokenPipe, ConnectionAborted, ConnectionReset, UnexpectedEof};
    find_cause::<std::io::Error>(error).is_some_and(|io| {
        matches!(
            io.kind(),
            ConnectionReset | ConnectionAborted | BrokenPipe | UnexpectedEof
        )
    })
}
