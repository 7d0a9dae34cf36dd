//! What one SDK call costs over the same request written by hand with reqwest, in wall
//! time, with criterion: one call at a time, and 64 at once. `common` has the server and the
//! two clients; `per_call_ratio` measures the same calls interleaved, for their ratio. Run
//! with `cargo bench -p vast-api-tests --bench per_call`; BENCHMARKS.md has the numbers.

mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use common::{CONCURRENCY, concurrently};

fn per_call(c: &mut Criterion) {
    let (runtime, clients) = common::setup();

    let mut sequential = c.benchmark_group("per_call/sequential");
    sequential.throughput(Throughput::Elements(1));
    sequential.bench_function("sdk", |b| b.to_async(&runtime).iter(|| clients.sdk()));
    sequential.bench_function("reqwest", |b| {
        b.to_async(&runtime).iter(|| clients.by_hand())
    });
    sequential.finish();

    let mut concurrent = c.benchmark_group(format!("per_call/concurrent_{CONCURRENCY}"));
    concurrent.throughput(Throughput::Elements(CONCURRENCY as u64));
    concurrent.bench_function("sdk", |b| {
        b.to_async(&runtime)
            .iter(|| concurrently(&clients, |clients| async move { clients.sdk().await }))
    });
    concurrent.bench_function("reqwest", |b| {
        b.to_async(&runtime)
            .iter(|| concurrently(&clients, |clients| async move { clients.by_hand().await }))
    });
    concurrent.finish();
}

criterion_group!(benches, per_call);
criterion_main!(benches);
