//! Rotates the signing secret of a Vast.ai webhook and prints the new secret, once.
//!
//! ```sh
//! VAST_API_KEY=... cargo run -p vast-api --example rotate_secret -- <webhook-id>
//! ```
//!
//! The API key is found as `Client::from_env` finds it: `VAST_API_KEY`, then the file
//! `vastai set api-key` writes. `VAST_URL` points the example at another server.

use std::process::ExitCode;

use vast_api::Client;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let Some(id) = std::env::args()
        .nth(1)
        .and_then(|arg| arg.parse::<i64>().ok())
    else {
        eprintln!("usage: rotate_secret <webhook-id>");
        return ExitCode::from(2);
    };
    let client = match Client::from_env() {
        Ok(client) => client,
        Err(error) => return fail(&error),
    };
    let rotated = match client
        .rotate_notification_webhook_secret()
        .id(id)
        .call()
        .await
    {
        Ok(rotated) => rotated,
        Err(error) => return fail(&error),
    };
    let Some(secret) = rotated.webhook.and_then(|webhook| webhook.webhook_secret) else {
        eprintln!("error: the server did not return the new secret of webhook {id}");
        return ExitCode::FAILURE;
    };
    println!("{}", secret.expose());
    eprintln!(
        "Rotated the secret of webhook {id}. Store it now (for example in your receiver's \
         secret store): Vast.ai will not show it again."
    );
    ExitCode::SUCCESS
}

/// Prints the error (its `Display` has the server's message) and what caused it.
fn fail(error: &dyn std::error::Error) -> ExitCode {
    eprint!("error: {error}");
    let mut source = error.source();
    while let Some(cause) = source {
        eprint!(": {cause}");
        source = cause.source();
    }
    eprintln!();
    ExitCode::FAILURE
}
