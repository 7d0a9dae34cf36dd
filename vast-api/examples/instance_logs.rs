//! Prints the last lines of an instance's logs.
//!
//! ```sh
//! VAST_API_KEY=... cargo run -p vast-api --example instance_logs -- <instance-id> [lines]
//! ```
//!
//! The API answers a log request with a URL where the logs will appear; this polls it (without
//! your API key, which is for the API only) for up to a minute.

use std::process::ExitCode;
use std::time::Duration;

use vast_api::Client;
use vast_api::jobs::InstanceId;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(id) = args.next().and_then(|arg| arg.parse::<i64>().ok()) else {
        eprintln!("usage: instance_logs <instance-id> [lines]");
        return ExitCode::from(2);
    };
    let Ok(tail) = args.next().as_deref().unwrap_or("100").parse::<u32>() else {
        eprintln!("usage: instance_logs <instance-id> [lines]");
        return ExitCode::from(2);
    };
    let client = match Client::from_env() {
        Ok(client) => client,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    match client
        .logs(InstanceId(id), tail)
        .timeout(Duration::from_secs(60))
        .await
    {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
