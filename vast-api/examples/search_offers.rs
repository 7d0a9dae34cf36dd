//! Lists the cheapest offers for a GPU model, with the filters most scripts use.
//!
//! ```sh
//! VAST_API_KEY=... cargo run -p vast-api --example search_offers -- "RTX 4090" 24
//! ```
//!
//! Arguments: the GPU model (default `RTX 4090`) and the least GPU RAM in GB (default 0;
//! the API counts in MB, the query converts). Rents nothing.

use std::process::ExitCode;

use vast_api::Client;
use vast_api::jobs::{OfferQuery, SortDirection};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let gpu = args.next().unwrap_or_else(|| "RTX 4090".into());
    let Ok(min_ram_gb) = args.next().as_deref().unwrap_or("0").parse::<f64>() else {
        eprintln!("usage: search_offers [GPU_NAME] [MIN_GPU_RAM_GB]");
        return ExitCode::from(2);
    };
    let mut query = OfferQuery::new()
        .gpu_name(&gpu)
        .min_reliability(0.95)
        .order("dph_total", SortDirection::Asc)
        .limit(10);
    if min_ram_gb > 0.0 {
        query = query.min_gpu_ram_gb(min_ram_gb);
    }
    // What is sent, checked against the spec's body type before anything goes out.
    match query.to_json() {
        Ok(body) => eprintln!("query: {body}"),
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    }
    let offers = match Client::from_env() {
        Ok(client) => client.find_offers(&query).await,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    match offers {
        Ok(offers) => {
            for offer in offers {
                println!(
                    "{:>10}  {:>2} × {:<14} {:>7.0} MB  ${:.3}/h  {}",
                    offer.id().map(|id| id.to_string()).unwrap_or_default(),
                    offer.num_gpus().unwrap_or(0),
                    offer.gpu_name().unwrap_or("?"),
                    offer.gpu_ram_mb().unwrap_or(0.0),
                    offer.dph_total().unwrap_or(f64::NAN),
                    offer.geolocation().unwrap_or(""),
                );
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
