//! Runs progenitor on a normalised spec and formats what it produces.

use std::io::Write;
use std::panic::{self, AssertUnwindSafe};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, anyhow, bail};
use proc_macro2::TokenStream;
use progenitor::{CrateVers, GenerationSettings, Generator, InterfaceStyle, TagStyle};
use quote::quote;

use crate::normalize::Normalized;

/// Rust path of the SDK crate as the test crate names it.
pub const SDK_CRATE: &str = "vast_api";

fn settings() -> GenerationSettings {
    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        // The hand-written layer keeps auth and retry state here and implements
        // `ClientHooks` for `Client`, which takes precedence over the generated default.
        .with_inner_type(quote!(crate::ClientContext))
        .with_derive("schemars::JsonSchema")
        .with_derive("PartialEq")
        // Lets `x-rust-type` name the SDK's own redacting `Secret` (`vast_api::Secret` resolves
        // inside the crate through `extern crate self as vast_api`).
        .with_crate("vast-api", CrateVers::Any, None);
    settings
}

/// The client and its types, for `vast-api`.
pub fn client(spec: &Normalized) -> Result<String> {
    let tokens = isolate_panics(spec, "the client", |spec| {
        Generator::new(&settings()).generate_tokens(spec)
    })?;
    format_rust(tokens)
}

/// Typed httpmock helpers, for `vast-api-tests`.
pub fn mocks(spec: &Normalized) -> Result<String> {
    let tokens = isolate_panics(spec, "the httpmock helpers", |spec| {
        Generator::new(&settings()).httpmock(spec, SDK_CRATE)
    })?;
    format_rust(tokens)
}

type Generate = fn(&openapiv3::OpenAPI) -> Result<TokenStream, progenitor::Error>;

/// Runs `generate`; a progenitor panic becomes an error naming the operation that caused it,
/// found by generating each operation alone.
fn isolate_panics(spec: &Normalized, what: &str, generate: Generate) -> Result<TokenStream> {
    match catch(|| generate(&spec.openapi)) {
        Ok(result) => {
            result.map_err(|e| anyhow!("progenitor rejected the spec while generating {what}: {e}"))
        }
        Err(message) => {
            let culprit = find_panicking_operation(spec, generate);
            match culprit {
                Some(op) => bail!("progenitor panicked on {op} while generating {what}: {message}"),
                None => bail!("progenitor panicked while generating {what}: {message}"),
            }
        }
    }
}

fn catch<T>(f: impl FnOnce() -> T) -> std::result::Result<T, String> {
    // The default hook would print a backtrace banner; the error we return says it all.
    let previous = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    panic::set_hook(previous);
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned())
    })
}

fn find_panicking_operation(spec: &Normalized, generate: Generate) -> Option<String> {
    let paths = spec.json.get("paths")?.as_object()?;
    for (path, item) in paths {
        for (method, _) in item
            .as_object()?
            .iter()
            .filter(|(m, _)| crate::normalize::is_http_method(m))
        {
            let mut single = spec.json.clone();
            let item = single["paths"][path].as_object_mut()?;
            item.retain(|m, _| m == method || !crate::normalize::is_http_method(m));
            let kept = single["paths"][path].clone();
            single["paths"] = serde_json::json!({ path.clone(): kept });
            let Ok(openapi) = serde_json::from_value::<openapiv3::OpenAPI>(single) else {
                continue;
            };
            if catch(|| generate(&openapi)).is_err() {
                let pointer = crate::pointer::push(&crate::pointer::push("/paths", path), method);
                return Some(format!(
                    "operation {} {path} ({pointer})",
                    method.to_uppercase()
                ));
            }
        }
    }
    None
}

/// prettyplease turns `#[doc]` attributes into comments; rustfmt then gives the layout
/// `cargo fmt --check` expects, so generated files pass it like hand-written ones.
fn format_rust(tokens: TokenStream) -> Result<String> {
    let file: syn::File =
        syn::parse2(tokens).context("progenitor produced code that does not parse")?;
    rustfmt(&prettyplease::unparse(&file))
}

pub fn rustfmt(source: &str) -> Result<String> {
    let mut child = Command::new(std::env::var_os("RUSTFMT").unwrap_or_else(|| "rustfmt".into()))
        .args(["--edition", "2024", "--emit", "stdout", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot run rustfmt (install it with `rustup component add rustfmt`)")?;
    let mut stdin = child.stdin.take().context("rustfmt stdin")?;
    let input = source.to_owned();
    // Written from another thread: rustfmt's output pipe would fill up and deadlock otherwise.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().context("rustfmt did not finish")?;
    writer
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
