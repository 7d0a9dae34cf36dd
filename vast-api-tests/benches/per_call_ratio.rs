//! The SDK's cost per call as a ratio to the same call written by hand with reqwest.
//!
//! Two benchmarks measured one after the other drift apart on a small shared machine by more
//! than the 5 % this is about (the same criterion bench moves 10–20 % between runs), so here
//! the two sides take turns in short batches, in rotating order, and each round gives one
//! ratio; the median of those is the figure to read. A third series repeats the hand-written
//! call, and its ratio to the first (ideally 1.000) shows how far to trust the others. Both
//! wall time and, on Linux, the CPU time of the client's thread (which leaves out the server
//! and scheduling delays) are shown. It prints and never fails. Run with
//! `cargo bench -p vast-api-tests --bench per_call_ratio`; BENCHMARKS.md has the numbers.
//!
//! `PER_CALL_ONLY=sdk` (or `reqwest`) makes `PER_CALL_CALLS` calls (default 3000) of one side
//! and nothing else, for an instruction count under `valgrind --tool=callgrind`; with
//! `PER_CALL_CONCURRENT=1` as well, they are made `CONCURRENCY` at a time.

mod common;

use std::future::Future;
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{CONCURRENCY, Clients, concurrently};
use tokio::runtime::Runtime;

/// Rounds per case (odd, so the median is one of them).
const ROUNDS: usize = 101;

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Sdk,
    ByHand,
}

/// The series of a round, in the order of the first round; later rounds rotate it so that
/// no series always goes first.
const SERIES: [(&str, Side); 3] = [
    ("sdk", Side::Sdk),
    ("reqwest", Side::ByHand),
    ("reqwest'", Side::ByHand),
];

/// What one call cost, on average over a batch.
#[derive(Clone, Copy)]
struct Cost {
    wall: Duration,
    cpu: Option<Duration>,
}

fn main() {
    let (runtime, clients) = common::setup();
    if let Ok(only) = std::env::var("PER_CALL_ONLY") {
        let calls: u32 =
            std::env::var("PER_CALL_CALLS").map_or(3000, |n| n.parse().unwrap_or(3000).max(1));
        let side = if only == "sdk" {
            Side::Sdk
        } else {
            Side::ByHand
        };
        if std::env::var_os("PER_CALL_CONCURRENT").is_some() {
            let concurrency = u32::try_from(CONCURRENCY).unwrap_or(u32::MAX);
            let batches = (calls / concurrency).max(1);
            run_batch(&runtime, batches, || {
                concurrent_calls(Arc::clone(&clients), side)
            });
        } else {
            run_batch(&runtime, calls, || one_call(Arc::clone(&clients), side));
        }
        return;
    }
    println!("{ROUNDS} rounds per case; target: SDK ≤ 1.05× the hand-written call");
    println!(
        "{:<15} {:<9} {:>12} {:>23}",
        "case", "series", "wall/call", "client CPU/call"
    );
    // About 40 ms per batch either way: long enough to average out single slow calls,
    // short enough that all series of a round see the same machine.
    compare(&runtime, &clients, "sequential", 1, 500, one_call);
    let case = format!("concurrent_{CONCURRENCY}");
    compare(&runtime, &clients, &case, CONCURRENCY, 12, concurrent_calls);
    print_future_sizes(&clients);
}

/// What each side's call future occupies: 64 calls at once spawn and move 64 of them, so
/// this is where the concurrent case's extra cost starts (see BENCHMARKS.md).
fn print_future_sizes(clients: &Clients) {
    // Built and dropped unpolled: only their size is read.
    let sdk = std::mem::size_of_val(&clients.sdk());
    let by_hand = std::mem::size_of_val(&clients.by_hand());
    println!("future of one call: sdk {sdk} bytes, reqwest {by_hand} bytes");
}

/// One call.
async fn one_call(clients: Arc<Clients>, side: Side) {
    match side {
        Side::Sdk => drop(black_box(clients.sdk().await)),
        Side::ByHand => drop(black_box(clients.by_hand().await)),
    }
}

/// `CONCURRENCY` calls at once.
async fn concurrent_calls(clients: Arc<Clients>, side: Side) {
    match side {
        Side::Sdk => concurrently(&clients, |c| async move { c.sdk().await }).await,
        Side::ByHand => concurrently(&clients, |c| async move { c.by_hand().await }).await,
    }
}

/// Runs `ROUNDS` rounds of one batch per series and prints the medians and the ratios.
fn compare<F, Fut>(
    runtime: &Runtime,
    clients: &Arc<Clients>,
    case: &str,
    calls_per_unit: usize,
    batch: u32,
    call: F,
) where
    F: Fn(Arc<Clients>, Side) -> Fut,
    Fut: Future<Output = ()>,
{
    let run = |side| run_batch(runtime, batch, || call(Arc::clone(clients), side));
    // Warm-up: connections opened, caches and allocator settled.
    for (_, side) in SERIES {
        run(side);
    }
    let mut costs: [Vec<Cost>; 3] = Default::default();
    for round in 0..ROUNDS {
        for turn in 0..SERIES.len() {
            let series = (round + turn) % SERIES.len();
            costs[series].push(run(SERIES[series].1));
        }
    }

    let per_call = |d: Duration| d / u32::try_from(calls_per_unit).unwrap_or(1);
    let micros = |d: Duration| format!("{:.2} µs", per_call(d).as_secs_f64() * 1e6);
    for ((name, _), costs) in SERIES.iter().zip(&costs) {
        let wall = median(costs.iter().map(|c| c.wall).collect());
        let cpu: Option<Vec<Duration>> = costs.iter().map(|c| c.cpu).collect();
        let cpu = cpu.map_or_else(|| "-".to_owned(), |cpu| micros(median(cpu)));
        println!("{case:<15} {name:<9} {:>12} {cpu:>23}", micros(wall));
    }
    let [sdk, by_hand, again] = &costs;
    for (name, over, under) in [("sdk/req", sdk, by_hand), ("req'/req", again, by_hand)] {
        let ratios = |get: fn(&Cost) -> Option<Duration>| {
            let ratios: Option<Vec<f64>> = over
                .iter()
                .zip(under)
                .map(|(a, b)| Some(get(a)?.as_secs_f64() / get(b)?.as_secs_f64()))
                .collect();
            ratios.map_or_else(|| "-".to_owned(), quartiles)
        };
        let wall = ratios(|c| Some(c.wall));
        let cpu = ratios(|c| c.cpu);
        println!("{case:<15} {name:<9} {wall:>12} {cpu:>23}");
    }
    println!("{:<25} ratios: median of the rounds' [quartiles]", "");
}

/// `batch` calls of `call`, one after the other: the average cost of one.
fn run_batch<F, Fut>(runtime: &Runtime, batch: u32, call: F) -> Cost
where
    F: Fn() -> Fut,
    Fut: Future<Output = ()>,
{
    runtime.block_on(async {
        let cpu_start = cpu_time();
        let start = Instant::now();
        for _ in 0..batch {
            call().await;
        }
        let wall = start.elapsed();
        let cpu = cpu_start
            .zip(cpu_time())
            .map(|(start, end)| end.saturating_sub(start));
        Cost {
            wall: wall / batch,
            cpu: cpu.map(|cpu| cpu / batch),
        }
    })
}

fn cpu_time() -> Option<Duration> {
    #[cfg(target_os = "linux")]
    return Some(thread_cpu_time());
    #[cfg(not(target_os = "linux"))]
    return None;
}

/// CPU time used so far by the calling thread (`CLOCK_THREAD_CPUTIME_ID`).
#[cfg(target_os = "linux")]
fn thread_cpu_time() -> Duration {
    let mut time = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `time` is a valid, writable timespec, and the clock id is a constant every Linux
    // kernel supports for the calling thread.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut time) };
    assert_eq!(status, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    let seconds = u64::try_from(time.tv_sec).unwrap_or(0);
    let nanos = u32::try_from(time.tv_nsec).unwrap_or(0);
    Duration::new(seconds, nanos)
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort_unstable();
    values.get(values.len() / 2).copied().unwrap_or_default()
}

/// `median [first quartile–third quartile]`.
fn quartiles(mut values: Vec<f64>) -> String {
    values.sort_by(f64::total_cmp);
    let at = |q: usize| {
        values
            .get((values.len() - 1) * q / 4)
            .copied()
            .unwrap_or(f64::NAN)
    };
    format!("{:.3} [{:.3}–{:.3}]", at(2), at(1), at(3))
}
