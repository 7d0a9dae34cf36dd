//! Turns a vendor spec (OpenAPI 3.0 or 3.1, as published) into the OpenAPI 3.0 document
//! progenitor 0.15 can generate from without panicking. Each rule lives in its own module;
//! the list `RULES` says in which order they run and why.

mod checks;
mod defaults;
mod description;
mod dialect;
mod extensions;
mod formats;
mod inner_refs;
mod media;
mod methods;
mod operation_ids;
mod operations;
mod optional_collections;
mod parameters;
mod parse;
mod responses;
pub mod secrets;
pub mod servers;
mod shapes;
mod walk;

use anyhow::Result;
use serde_json::Value;

use crate::diagnostics::Diagnostics;
use description::append_description;
pub use operations::{SpecOperation, is_http_method, operations};
use parse::parse_openapi;
pub(crate) use walk::{SCHEMA_LIST_KEYS, SCHEMA_MAP_KEYS, SINGLE_SCHEMA_KEYS};

/// The normalised spec, as a JSON value (for fixtures and `--emit-normalized`) and parsed.
pub struct Normalized {
    pub json: Value,
    pub openapi: openapiv3::OpenAPI,
}

/// One step of the normalisation: it rewrites the document (reporting what it changed) or
/// fails the run.
type Rule = fn(&mut Value, &mut Diagnostics) -> Result<()>;

/// The rules, in the order they run. Where two rules do not depend on each other, their order
/// still fixes the order of the diagnostics, which is part of the output.
const RULES: &[Rule] = &[
    // First: every later rule reads OpenAPI 3.0 (single `type`, `nullable`), and an unsupported
    // version fails before anything else is reported.
    dialect::downgrade,
    // On the 3.0 document (a `$ref` into the dropped `$defs` is caught here), before any rule
    // follows a `$ref`: they all take a reference that does not resolve as "not there".
    |doc, _| checks::check_references(doc),
    // After the reference check: it moves what references point at, so they must resolve.
    // typify resolves only references to whole components.
    inner_refs::hoist,
    // After hoisting, so a cycle through a hoisted schema runs through components; before any
    // rule follows alias chains.
    |doc, _| checks::check_alias_cycles(doc),
    // Before the operationIds: a dropped operation must not take a method name.
    methods::drop_unsendable,
    // Before the operationIds, for the same reason: it drops WebSocket operations.
    extensions::strip,
    // Once the set of operations is final; the response rule names merged types after them.
    operation_ids::assign,
    // Reads the `servers` the vendor wrote; independent of the rules after it.
    servers::mark_overrides,
    // Flattens path-level parameters into each operation: later rules see one list per operation.
    parameters::fix,
    // Before the response rule, which copies referenced responses into each operation: a media
    // type is fixed (and reported) once, where it is written.
    media::fix,
    // After the operationIds (merged types are named after them) and the media types.
    responses::unify,
    // The schema rules from here on also reach the schemas the rules above added or copied.
    formats::rewrite,
    // After the formats rule, which already drops (and notes) the formats typify cannot map.
    shapes::rewrite,
    // After the formats and shapes, so a default is checked against the schema typify sees.
    defaults::check,
    // After the defaults check, which judges each default by the schema as the vendor wrote it
    // (not by the `nullable` added here).
    optional_collections::keep_empty_ones,
    // Last: it replaces whole property schemas by the SDK's `Secret` type, after every rule
    // that edits schemas (its places are pointers from before the trailing-slash rule).
    |doc, _| {
        secrets::mark(doc);
        Ok(())
    },
];

/// Runs the rules of `RULES` on `doc` and parses the result.
pub fn normalize(doc: Value, diags: &mut Diagnostics) -> Result<Normalized> {
    normalize_then(doc, diags, |_, _| {})
}

/// [`normalize`], with `last` applied after every rule (the corrections' trailing-slash rule:
/// every diagnostic before it points into the document as published). Parsed once, at the end.
pub fn normalize_then(
    mut doc: Value,
    diags: &mut Diagnostics,
    last: impl FnOnce(&mut Value, &mut Diagnostics),
) -> Result<Normalized> {
    for rule in RULES {
        rule(&mut doc, diags)?;
    }
    last(&mut doc, diags);
    let openapi = parse_openapi(&doc)?;
    Ok(Normalized { json: doc, openapi })
}

/// The variant of a normalised spec that progenitor's httpmock generator can handle (list and
/// map parameters it cannot print are adapted); the client is generated from `spec` itself.
pub fn for_mocks(spec: &Normalized) -> Result<Normalized> {
    let json = parameters::for_mocks(&spec.json);
    let openapi = parse_openapi(&json)?;
    Ok(Normalized { json, openapi })
}

/// Whether a media type is JSON in progenitor's sense (it types only these bodies).
pub fn is_json_media_type(media_type: &str) -> bool {
    media::is_json(media_type)
}

#[cfg(test)]
mod tests;

/// For the rules' tests: what progenitor generates from a document.
#[cfg(test)]
fn progenitor_output(doc: Value) -> String {
    let spec: openapiv3::OpenAPI = serde_json::from_value(doc).unwrap();
    progenitor::Generator::default()
        .generate_tokens(&spec)
        .unwrap()
        .to_string()
}
