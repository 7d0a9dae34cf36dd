//! Wall time of the generator, in process: `generate_all` on the vendored spec, on the
//! 100+ operation kitchen-sink spec and on a synthetic 500-operation spec (`support/synthetic.rs`), from reading the YAML to the four formatted files in
//! memory. Writing them is left out (`codegen` writes only files that changed); the `rustfmt`
//! child processes that format the client and mocks are in, as they are in every
//! `cargo xtask codegen`. Peak memory is `codegen_rss`. Run with
//! `cargo bench -p xtask --bench codegen`; BENCHMARKS.md has the numbers.

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use xtask::codegen::generate_all;
use xtask::diagnostics::Diagnostics;

#[path = "support/synthetic.rs"]
mod synthetic;

/// The specs measured, relative to the workspace root: the vendored one and the large one.
const SPECS: [(&str, &str); 2] = [
    ("vendored", "openapi/openapi.yaml"),
    ("kitchen_sink", "xtask/tests/data/kitchen-sink.yaml"),
];

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn codegen(c: &mut Criterion) {
    let mut group = c.benchmark_group("codegen");
    // Each run takes a good part of a second: ten samples are plenty and keep the bench short.
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    let scratch = tempfile::tempdir().expect("a scratch directory");
    let synthetic = synthetic::write(scratch.path()).expect("write the synthetic spec");
    let specs = SPECS
        .iter()
        .map(|(name, spec)| (*name, workspace_root().join(spec), (*spec).to_owned()))
        .chain([(
            "synthetic_500",
            synthetic.clone(),
            "synthetic-500.json".to_owned(),
        )]);
    for (name, path, spec) in specs {
        let spec = spec.as_str();
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut diagnostics = Diagnostics::default();
                generate_all(&path, spec, &mut diagnostics).expect("generate")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, codegen);
criterion_main!(benches);
