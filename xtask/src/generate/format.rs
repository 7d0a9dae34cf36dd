//! Formatting generated code: prettyplease, then rustfmt in its own process.

use std::io::{self, Write};
use std::process::{Child, Command, Stdio};
use std::thread::JoinHandle;

use super::printing_fixes::{OneDocLinePerAttribute, RawReservedIdents};
use anyhow::{Context, Result, anyhow, bail};

/// Formats `tokens` the way the generated files are, for the printing fixes' tests.
#[cfg(test)]
pub(super) fn format_rust(tokens: proc_macro2::TokenStream) -> Result<String> {
    let file: syn::File =
        syn::parse2(tokens).context("progenitor produced code that does not parse")?;
    start_formatting(file)?.finish()
}

/// prettyplease turns `#[doc]` attributes into comments; rustfmt then gives the layout
/// `cargo fmt --check` expects, so generated files pass it like hand-written ones.
pub(super) fn start_formatting(mut file: syn::File) -> Result<Formatting> {
    syn::visit_mut::VisitMut::visit_file_mut(&mut OneDocLinePerAttribute, &mut file);
    syn::visit_mut::VisitMut::visit_file_mut(&mut RawReservedIdents, &mut file);
    let source = prettyplease::unparse(&file);
    // Freed before rustfmt starts: the syntax tree of a large client is most of the peak memory.
    drop(file);
    start_rustfmt(source)
}

pub fn rustfmt(source: &str) -> Result<String> {
    start_rustfmt(source.to_owned())?.finish()
}

/// A rustfmt run in progress, in its own process; [`finish`](Self::finish) waits for it.
/// Dropped unfinished (an error elsewhere), it kills and reaps the process.
pub struct Formatting {
    child: Option<Child>,
    writer: Option<JoinHandle<io::Result<()>>>,
}

fn start_rustfmt(source: String) -> Result<Formatting> {
    let mut child = Command::new(std::env::var_os("RUSTFMT").unwrap_or_else(|| "rustfmt".into()))
        .args(["--edition", "2024", "--emit", "stdout", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot run rustfmt (install it with `rustup component add rustfmt`)")?;
    let mut stdin = child.stdin.take().context("rustfmt stdin")?;
    // Written from another thread: rustfmt's output pipe would fill up and deadlock otherwise.
    let writer = std::thread::spawn(move || stdin.write_all(source.as_bytes()));
    Ok(Formatting {
        child: Some(child),
        writer: Some(writer),
    })
}

impl Formatting {
    /// The formatted source, once rustfmt is done.
    pub fn finish(mut self) -> Result<String> {
        let child = self.child.take().context("rustfmt already waited for")?;
        let output = child.wait_with_output().context("rustfmt did not finish")?;
        self.writer
            .take()
            .context("rustfmt writer already joined")?
            .join()
            .map_err(|_| anyhow!("rustfmt writer thread panicked"))?
            .context("writing to rustfmt")?;
        if !output.status.success() {
            bail!(
                "rustfmt failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        String::from_utf8(output.stdout).context("rustfmt printed invalid UTF-8")
    }
}

impl Drop for Formatting {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            // Best effort: the run is abandoned because of an error already being reported.
            let _ = child.kill();
            let _ = child.wait();
        }
        if let Some(writer) = self.writer.take() {
            // Its pipe closed with the child, so the thread has ended or is about to.
            let _ = writer.join();
        }
    }
}
