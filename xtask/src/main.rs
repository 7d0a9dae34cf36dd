//! `cargo xtask`: developer tasks for the vast-api workspace.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use xtask::codegen;

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Developer tasks for the vast-api workspace"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the client, typed mocks and fixtures from the OpenAPI spec.
    Codegen(codegen::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Codegen(args) => codegen::run(&args, &workspace_root()),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            // One line, the whole cause chain: the user sees what failed and where.
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root, found from this crate's manifest so the task works from any directory.
fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}
