//! Peak memory and wall time of `cargo xtask codegen` as users run it: the built xtask
//! binary (release-optimised under `cargo bench`, without cargo's own startup or compile)
//! generating into a scratch directory from the vendored spec, from the 100+ operation
//! kitchen-sink spec and from a synthetic 500-operation spec (`support/synthetic.rs`).
//!
//! Peak memory is the child's `ru_maxrss` from `wait4`: the largest resident set of the xtask
//! or of any `rustfmt` it ran. A second pass swaps rustfmt for `cat` (the `RUSTFMT` variable)
//! to show the generator's own share. Run with `cargo bench -p xtask --bench codegen_rss`;
//! BENCHMARKS.md has the numbers.

#[cfg(unix)]
fn main() -> std::process::ExitCode {
    match unix::run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[cfg(not(unix))]
fn main() {
    eprintln!("codegen_rss reads peak memory with wait4, which only Unix has; nothing measured");
}

#[cfg(unix)]
#[path = "support/synthetic.rs"]
mod synthetic;

#[cfg(unix)]
mod unix {
    use std::io;
    use std::os::unix::fs::PermissionsExt;
    use std::path::{Path, PathBuf};
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    /// The specs measured, relative to the workspace root (as in `benches/codegen.rs`).
    const SPECS: [(&str, &str); 2] = [
        ("vendored", "openapi/openapi.yaml"),
        ("kitchen_sink", "xtask/tests/data/kitchen-sink.yaml"),
    ];
    /// Measured runs per case, after one warm-up run that also writes the files, so that the
    /// measured runs find them up to date as a repeated `cargo xtask codegen` does.
    const RUNS: usize = 5;

    struct Sample {
        wall: Duration,
        max_rss_kib: u64,
    }

    pub fn run() -> io::Result<()> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let scratch = tempfile::tempdir()?;
        let stub = stub_rustfmt(scratch.path())?;
        println!(
            "{:<13} {:<16} {:>9} {:>9} {:>9} {:>14}",
            "spec", "rustfmt", "median", "min", "max", "peak RSS (MiB)"
        );
        let synthetic = super::synthetic::write(scratch.path())?;
        let specs = SPECS
            .iter()
            .map(|(name, spec)| (*name, root.join(spec)))
            .chain([("synthetic_500", synthetic)]);
        for (name, spec) in specs {
            for (formatter, rustfmt) in [("rustfmt", None), ("stubbed (cat)", Some(&stub))] {
                let out = tempfile::tempdir_in(scratch.path())?;
                let mut samples = Vec::with_capacity(RUNS);
                for run in 0..=RUNS {
                    let sample = measure(&spec, out.path(), rustfmt)?;
                    if run > 0 {
                        samples.push(sample);
                    }
                }
                samples.sort_by_key(|s| s.wall);
                let peak = samples.iter().map(|s| s.max_rss_kib).max().unwrap_or(0);
                println!(
                    "{name:<13} {formatter:<16} {:>8.3}s {:>8.3}s {:>8.3}s {:>14.1}",
                    samples[RUNS / 2].wall.as_secs_f64(),
                    samples[0].wall.as_secs_f64(),
                    samples[RUNS - 1].wall.as_secs_f64(),
                    peak as f64 / 1024.0,
                );
            }
        }
        Ok(())
    }

    /// A `rustfmt` that prints its input unchanged: generation minus formatting.
    fn stub_rustfmt(dir: &Path) -> io::Result<PathBuf> {
        let path = dir.join("rustfmt-stub");
        std::fs::write(&path, "#!/bin/sh\nexec cat\n")?;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))?;
        Ok(path)
    }

    /// One `xtask codegen --spec SPEC --out-dir OUT` run: its wall time and peak RSS.
    fn measure(spec: &Path, out: &Path, rustfmt: Option<&PathBuf>) -> io::Result<Sample> {
        let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
        command
            .arg("codegen")
            .arg("--spec")
            .arg(spec)
            .arg("--out-dir")
            .arg(out)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(rustfmt) = rustfmt {
            command.env("RUSTFMT", rustfmt);
        }
        let start = Instant::now();
        let child = command.spawn()?;
        let pid = libc::pid_t::try_from(child.id()).map_err(io::Error::other)?;
        let (status, usage) = wait4(pid)?;
        let wall = start.elapsed();
        if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
            return Err(io::Error::other(format!(
                "xtask codegen --spec {} failed (wait status {status}); run it by hand to see why",
                spec.display()
            )));
        }
        Ok(Sample {
            wall,
            // Linux and the BSDs report kibibytes (macOS bytes, which only overstates).
            max_rss_kib: u64::try_from(usage.ru_maxrss).unwrap_or(0),
        })
    }

    /// Reaps `pid` and returns its wait status and resource usage, which covers the
    /// descendants it reaped in turn (the rustfmt runs).
    fn wait4(pid: libc::pid_t) -> io::Result<(libc::c_int, libc::rusage)> {
        let mut status: libc::c_int = 0;
        let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
        loop {
            // SAFETY: `pid` is our own child, not yet reaped (std's `Child` is never waited
            // on); `status` and `usage` are valid for writes for the duration of the call.
            let reaped = unsafe { libc::wait4(pid, &mut status, 0, usage.as_mut_ptr()) };
            if reaped == pid {
                break;
            }
            let error = io::Error::last_os_error();
            if error.kind() != io::ErrorKind::Interrupted {
                return Err(error);
            }
        }
        // SAFETY: wait4 returned the child, so it filled in `usage`; zeroed is valid anyway,
        // as every field of `rusage` is an integer.
        Ok((status, unsafe { usage.assume_init() }))
    }
}
