//! What the xtask's integration tests share: running `cargo xtask codegen` as a user does,
//! writing its input and reading what it wrote.

// Each test crate includes this module and uses the part it needs.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The vendored spec, as `cargo xtask codegen` reads it by default.
pub const VENDORED_SPEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.yaml");
/// The generated client, relative to an output directory.
pub const CLIENT_FILE: &str = "vast-api/src/generated.rs";

/// One run of the xtask binary.
pub struct Run {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Fails the test, with the run's output, unless it succeeded.
    #[track_caller]
    pub fn assert_ok(&self) {
        assert!(self.ok, "the run failed: {}{}", self.stdout, self.stderr);
    }
}

/// `cargo xtask codegen` with `args`; a panic reaching the user fails the test.
pub fn codegen(args: &[&str]) -> Run {
    let result = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("codegen")
        .args(args)
        .output()
        .expect("run xtask");
    let stderr = String::from_utf8_lossy(&result.stderr).into_owned();
    // The panic's own report (`thread '…' panicked at`), not an error that names a panic.
    assert!(
        !stderr.contains("panicked at"),
        "a panic reached the user: {stderr}"
    );
    Run {
        ok: result.status.success(),
        stdout: String::from_utf8_lossy(&result.stdout).into_owned(),
        stderr,
    }
}

/// The one `error:` line of a failed run; it must contain each of `needles`.
#[track_caller]
pub fn assert_one_error<'r>(run: &'r Run, needles: &[&str]) -> &'r str {
    assert!(!run.ok, "should fail: {}", run.stderr);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("error:"))
        .collect();
    assert_eq!(errors.len(), 1, "one error line expected: {}", run.stderr);
    for needle in needles {
        assert!(
            errors[0].contains(needle),
            "{needle:?} missing from {}",
            run.stderr
        );
    }
    errors[0]
}

/// Fails the test, showing `text`, unless it contains `needle`.
#[track_caller]
pub fn assert_contains(text: &str, needle: &str) {
    assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
}

/// A temporary path as an argument (temporary directories have UTF-8 names).
pub fn path_str(path: &Path) -> &str {
    path.to_str().expect("utf-8 temp path")
}

/// Writes `contents` to `dir/name`, returning the path.
pub fn write(dir: &Path, name: &str, contents: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    path
}

/// The text of `dir/file`.
pub fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}
