//! `cargo xtask codegen --check` as a test, so that `cargo test` alone catches committed
//! generated files that are stale with respect to the spec or the generator.

use std::process::{Command, Output};

use xtask::codegen::CLIENT_FILE;

/// Every file a generation of the vendored spec writes (the crate docs' list, the client, the
/// mocks, the schemas, the fixtures, the corrected spec, the calls, the operation tests, the
/// README, the changelog and the API record).
const GENERATED_FILES: usize = 11;

fn check(extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen", "--check"])
        .args(extra)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .expect("run xtask")
}

#[test]
fn committed_generated_files_are_up_to_date() {
    let output = check(&[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "generated files are stale; run `cargo xtask codegen`\n{}{stderr}",
        String::from_utf8_lossy(&output.stdout)
    );
    // Not vacuous: every generated file was compared.
    let expected = format!("{GENERATED_FILES} generated files are up to date with");
    assert!(stderr.contains(&expected), "{stderr}");
}

#[test]
fn the_check_fails_where_the_generated_files_are_missing() {
    let empty = tempfile::tempdir().unwrap();
    let out_dir = empty.path().to_str().expect("utf-8 temp path");
    let output = check(&["--out-dir", out_dir]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(&format!("b/{CLIENT_FILE} (generated)")),
        "{stdout}"
    );
}
