//! Lists all your instances, following the API's pages (25 instances each) as it goes.
//!
//! ```sh
//! VAST_API_KEY=... cargo run -p vast-api --example list_instances -- running
//! ```
//!
//! The optional argument keeps only instances with that `actual_status`.

use std::process::ExitCode;

use futures_util::StreamExt;
use vast_api::Client;
use vast_api::jobs::{InstanceQuery, Op};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let client = match Client::from_env() {
        Ok(client) => client,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut query = InstanceQuery::new();
    if let Some(status) = std::env::args().nth(1) {
        query = query.filter("actual_status", Op::Eq, status);
    }
    let instances = client.instances(query);
    let mut instances = std::pin::pin!(instances);
    let mut count = 0;
    while let Some(instance) = instances.next().await {
        match instance {
            Ok(instance) => {
                count += 1;
                println!(
                    "{:>10}  {:<10} {:<14} ${:.3}/h  {}",
                    instance.id.unwrap_or_default(),
                    instance.actual_status.as_deref().unwrap_or("?"),
                    instance.gpu_name.as_deref().unwrap_or("?"),
                    instance.dph_total.unwrap_or(f64::NAN),
                    instance.label.as_deref().unwrap_or(""),
                );
            }
            Err(error) => {
                eprintln!("error after {count} instances: {error}");
                return ExitCode::FAILURE;
            }
        }
    }
    eprintln!("{count} instances");
    ExitCode::SUCCESS
}
