//! Accepting connections and serving HTTP/1.1 on them, within the limits.

use std::convert::Infallible;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use vast_api::webhook::WebhookVerifier;

use super::config::Config;
use super::handler::Handler;

/// How long to wait before accepting again after an error such as running
/// out of file descriptors: long enough not to spin, short enough to
/// recover quickly once connections close.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// hyper refuses a read buffer smaller than this.
const MIN_BUF_SIZE: usize = 8192;

/// Listens and serves until the process is stopped; returns only when it
/// cannot listen.
pub async fn serve(config: Config, verifier: WebhookVerifier) -> Result<(), String> {
    let listener = TcpListener::bind(&config.listen)
        .await
        .map_err(|error| format!("cannot listen on {}: {error}", config.listen))?;
    let bound = listener
        .local_addr()
        .map_or_else(|_| config.listen.clone(), |addr| addr.to_string());
    eprintln!(
        "webhook_receiver: listening on http://{bound} with {} secret(s)",
        verifier.secret_count()
    );

    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        // Also closes connections that stay idle between requests.
        .header_read_timeout(config.header_timeout)
        .max_header_size(config.max_header_bytes)
        // The read buffer bounds each connection's memory; hyper answers 431
        // when the head does not fit.
        .max_buf_size(config.max_header_bytes.max(MIN_BUF_SIZE))
        .max_headers(config.max_headers)
        // A client that shuts down its sending side after the request still
        // gets the answer.
        .half_close(true);
    let handler = Arc::new(Handler::new(verifier, &config));
    let connections = Arc::new(Semaphore::new(config.max_connections));

    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // The peer gave up before the connection was accepted.
            Err(error) if is_per_connection(&error) => continue,
            Err(error) => {
                eprintln!(
                    "webhook_receiver: cannot accept connections ({error}); retrying in {ACCEPT_BACKOFF:?}"
                );
                tokio::time::sleep(ACCEPT_BACKOFF).await;
                continue;
            }
        };
        let Ok(permit) = Arc::clone(&connections).try_acquire_owned() else {
            // Closing at once keeps the file descriptor free for the
            // connections already being served.
            eprintln!(
                "webhook_receiver: {} connections open, closing a new one",
                config.max_connections
            );
            drop(stream);
            continue;
        };
        let handler = Arc::clone(&handler);
        let service = service_fn(move |request| {
            let handler = Arc::clone(&handler);
            async move { Ok::<_, Infallible>(handler.answer(request).await) }
        });
        let connection = http.serve_connection(TokioIo::new(stream), service);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                eprintln!("webhook_receiver: connection ended: {error}");
            }
            drop(permit);
        });
    }
}

/// Errors of `accept` that concern one connection, not the listener.
fn is_per_connection(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::Interrupted
    )
}
