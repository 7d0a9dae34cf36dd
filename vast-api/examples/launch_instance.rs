//! Rents the cheapest matching GPU, waits until it runs, prints how to connect, and destroys
//! it on Ctrl-C or on any failure, so that running this never leaves a paid instance behind.
//!
//! ```sh
//! VAST_API_KEY=... cargo run -p vast-api --example launch_instance -- "RTX 4090" 0.8
//! ```
//!
//! Arguments: the GPU model (default `RTX 4090`), the highest price in $/hour (default 1.0)
//! and the Docker image (default Vast.ai's base image). THIS RENTS A MACHINE AND COSTS MONEY
//! until you press Ctrl-C.
//!
//! The one window it cannot cover: if the process is killed (not interrupted) between the
//! create and the destroy, the instance keeps running; `vastai show instances` finds it.

use std::process::ExitCode;
use std::time::Duration;

use vast_api::Client;
use vast_api::jobs::{InstanceGuard, LaunchSpec, OfferQuery, SortDirection};

const DISK_GB: f64 = 20.0;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let gpu = args.next().unwrap_or_else(|| "RTX 4090".into());
    let Ok(max_dph) = args.next().as_deref().unwrap_or("1.0").parse::<f64>() else {
        eprintln!("usage: launch_instance [GPU_NAME] [MAX_DOLLARS_PER_HOUR] [IMAGE]");
        return ExitCode::from(2);
    };
    let image = args
        .next()
        .unwrap_or_else(|| "vastai/base-image:@vastai-automatic-tag".into());

    let client = match Client::from_env() {
        Ok(client) => client,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };

    // Ctrl-C is caught from the start (the task installs the handler as soon as it runs), so
    // that it can never kill the process between the create and the destroy.
    let mut interrupted = tokio::spawn(async { tokio::signal::ctrl_c().await.is_ok() });
    tokio::task::yield_now().await;

    let query = OfferQuery::new()
        .gpu_name(&gpu)
        .num_gpus(1)
        .max_dph(max_dph)
        .min_reliability(0.95)
        .storage_gb(DISK_GB)
        .order("dph_total", SortDirection::Asc)
        .limit(5);
    let offers = tokio::select! {
        _ = &mut interrupted => return interrupted_before_renting(),
        offers = client.find_offers(&query) => offers,
    };
    let (offer_id, offer) = match offers {
        Ok(offers) => match offers
            .into_iter()
            .find_map(|offer| Some((offer.id()?, offer)))
        {
            Some(found) => found,
            None => {
                eprintln!("no verified {gpu} offer at or under ${max_dph}/hour");
                return ExitCode::FAILURE;
            }
        },
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "renting offer {offer_id}: {} × {} in {} at ${:.3}/hour",
        offer.num_gpus().unwrap_or(1),
        offer.gpu_name().unwrap_or("?"),
        offer.geolocation().unwrap_or("?"),
        offer.dph_total().unwrap_or(f64::NAN),
    );

    // Not raced against Ctrl-C: its answer is the id needed to destroy the instance.
    let spec = LaunchSpec::new(image)
        .disk_gb(DISK_GB)
        .label("vast-api-launch-example");
    let id = match client.launch(offer_id, &spec).await {
        Ok(id) => id,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!("instance {id} created; waiting until it runs (Ctrl-C destroys it)");
    // From here on, every way out goes through `guard.destroy()`; the guard's drop is only
    // the last resort for a path this code forgot.
    let guard = client.guard(id);

    let waited = tokio::select! {
        _ = &mut interrupted => return destroy(guard, "interrupted", ExitCode::from(130)).await,
        waited = client
            .wait_until_running(id)
            .interval(Duration::from_secs(5))
            .timeout(Duration::from_secs(15 * 60)) => waited,
    };
    let instance = match waited {
        Ok(instance) => instance,
        Err(error) => {
            eprintln!("error: {error}");
            return destroy(guard, "the instance did not start", ExitCode::FAILURE).await;
        }
    };

    match (&instance.ssh_host, instance.ssh_port) {
        (Some(host), Some(port)) => println!("connect with: ssh -p {port} root@{host}"),
        _ => println!("instance {id} is running; `vastai ssh-url {id}` tells how to connect"),
    }
    println!("press Ctrl-C to destroy it");
    let _ = (&mut interrupted).await;
    destroy(guard, "done", ExitCode::SUCCESS).await
}

fn interrupted_before_renting() -> ExitCode {
    eprintln!("interrupted; nothing was rented");
    ExitCode::from(130)
}

/// Destroys the instance; `then` is the exit code if that works.
async fn destroy(guard: InstanceGuard, why: &str, then: ExitCode) -> ExitCode {
    let id = guard.id();
    eprintln!("{why}: destroying instance {id}");
    match guard.destroy().await {
        Ok(()) => {
            eprintln!("instance {id} destroyed");
            then
        }
        Err(error) => {
            eprintln!(
                "error: could NOT destroy instance {id} ({error}); it may still cost money: \
                 run `vastai destroy instance {id}`"
            );
            ExitCode::FAILURE
        }
    }
}
