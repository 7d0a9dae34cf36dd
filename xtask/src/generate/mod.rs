//! Runs progenitor on a normalised spec: the client with its post-processing passes, and the
//! typed httpmock helpers.

mod builder;
mod call_methods;
mod format;
mod isolate;
mod printing_fixes;
mod send_bodies;

use std::collections::BTreeSet;

use anyhow::{Context, Result};
use progenitor::{CrateVers, GenerationSettings, Generator, InterfaceStyle, TagStyle};
use quote::quote;

use crate::client_index::{self, Operation};
use crate::mock_index::{self, TypedResponse};
use crate::normalize::Normalized;
use crate::outputs::Output;

pub(crate) use builder::{
    builder_items_ref, edit_format_args, operation_id_of, send_of, send_of_mut,
};
pub use format::{Formatting, rustfmt};

pub const CLIENT_FILE: &str = "vast-api/src/generated.rs";
pub const MOCKS_FILE: &str = "vast-api-tests/src/generated_mocks.rs";

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
        .with_crate(crate::sdk::PACKAGE, CrateVers::Any, None);
    settings
}

/// The client and its types, for `vast-api`.
pub fn client(spec: &Normalized) -> Result<String> {
    start_client(spec)?.source.finish()
}

/// The client while rustfmt formats it, with what the other outputs need to know of it.
pub struct StartedClient {
    pub source: Formatting,
    /// Each operation's builder, for the calls module.
    pub operations: Vec<Operation>,
    /// The public structs and enums it defines, for the schemas module.
    pub type_names: BTreeSet<String>,
}

/// [`client`], returned while rustfmt is still formatting it (the longest step of a large
/// spec), so that the caller can generate the rest meanwhile.
pub fn start_client(spec: &Normalized) -> Result<StartedClient> {
    let tokens = isolate::isolate_panics(spec, "the client", |spec| {
        Generator::new(&settings()).generate_tokens(spec)
    })?;
    let mut file: syn::File =
        syn::parse2(tokens).context("progenitor produced code that does not parse")?;
    call_methods::add_call_methods(&mut file)?;
    send_bodies::lighter_send_bodies(&mut file);
    if let Some(items) = builder::builder_items(&mut file) {
        crate::payloads::without_bodies_in_errors(items);
        crate::route::to_documented_servers(items, &crate::route::servers_by_operation(&spec.json));
    }
    crate::prune::unused_helpers(&mut file);
    crate::client_new::remove_panicking_new(&mut file);
    crate::optional_derives::json_schema_behind_feature(&mut file);
    crate::docs::fill_missing(&mut file, &spec.json);
    let operations = client_index::operations(&file, crate::sdk::RUST_PATH);
    let type_names = client_index::type_names(&file);
    // Formatted from this syntax tree: printing it to tokens and parsing those again took a
    // quarter of the generator's time on a large spec.
    Ok(StartedClient {
        source: format::start_formatting(file)?,
        operations,
        type_names,
    })
}

/// Typed httpmock helpers, for `vast-api-tests`, from the spec as rewritten for them
/// (`normalize::for_mocks`), with the Rust type of each response they answer with.
pub fn mocks(spec: &Normalized) -> Result<(String, Vec<TypedResponse>)> {
    let tokens = isolate::isolate_panics(spec, "the httpmock helpers", |spec| {
        Generator::new(&settings()).httpmock(spec, crate::sdk::RUST_PATH)
    })?;
    let file: syn::File =
        syn::parse2(tokens).context("progenitor produced code that does not parse")?;
    let responses = mock_index::typed_responses(&file, crate::sdk::RUST_PATH);
    Ok((format::start_formatting(file)?.finish()?, responses))
}

/// The client's file, from its final source (see [`client`]).
pub fn client_output(spec_label: &str, client: &str) -> Output {
    Output::rust(
        CLIENT_FILE,
        spec_label,
        "The Vast.ai client and its types.",
        client,
    )
}

/// The mock helpers' file, from [`mocks`].
pub fn mocks_output(spec_label: &str, mocks: &str) -> Output {
    Output::rust(
        MOCKS_FILE,
        spec_label,
        "Typed httpmock helpers, one per operation.",
        mocks,
    )
}

/// The client progenitor generates for a spec of these `paths`, for the passes' tests.
#[cfg(test)]
fn client_for(paths: serde_json::Value) -> String {
    let doc = serde_json::json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": paths});
    let normalized =
        crate::normalize::normalize(doc, &mut crate::diagnostics::Diagnostics::default()).unwrap();
    client(&normalized).unwrap()
}
