//! Turns a progenitor error or panic into an error naming the component schema or operation
//! that caused it.

use std::collections::BTreeSet;
use std::panic::{self, AssertUnwindSafe};

use anyhow::{Result, bail};
use proc_macro2::TokenStream;

use crate::normalize::Normalized;

pub(super) type Generate = fn(&openapiv3::OpenAPI) -> Result<TokenStream, progenitor::Error>;

/// Runs `generate`; a progenitor error or panic becomes an error of one line naming the
/// component schema or the operation that caused it (progenitor's own messages name neither),
/// found by generating each alone.
pub(super) fn isolate_panics(
    spec: &Normalized,
    what: &str,
    generate: Generate,
) -> Result<TokenStream> {
    let (verb, message) = match catch(|| generate(&spec.openapi)) {
        Ok(Ok(tokens)) => return Ok(tokens),
        Ok(Err(e)) => ("rejected the spec", e.to_string()),
        Err(message) => ("panicked", message),
    };
    // typify's `todo!()`s print the schema as indented JSON or as its `Debug` form: on one
    // line, and cut short (the pointer in the error says where the schema is).
    let message = crate::diagnostics::one_line(&message, 300);
    let found =
        find_failing_component(spec, generate).or_else(|| find_failing_operation(spec, generate));
    match found {
        Some(place) => bail!("progenitor {verb} on {place} while generating {what}: {message}"),
        None => bail!("progenitor {verb} while generating {what}: {message}"),
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

type Schemas = serde_json::Map<String, serde_json::Value>;

/// Whether `generate` succeeds on the spec with `paths` as its only paths and `schemas` as its
/// component schemas (the rest of `components` kept).
fn generates(
    spec: &serde_json::Value,
    paths: serde_json::Value,
    schemas: Schemas,
    generate: Generate,
) -> bool {
    // Built without copying the spec's own paths and schemas, which a large spec is mostly.
    let mut part = serde_json::Map::new();
    if let Some(top) = spec.as_object() {
        for (key, value) in top {
            match key.as_str() {
                "paths" => {}
                "components" => {
                    let mut components = serde_json::Map::new();
                    if let Some(map) = value.as_object() {
                        for (k, v) in map.iter().filter(|(k, _)| *k != "schemas") {
                            components.insert(k.clone(), v.clone());
                        }
                    }
                    part.insert(key.clone(), components.into());
                }
                _ => {
                    part.insert(key.clone(), value.clone());
                }
            }
        }
    }
    part.insert("paths".into(), paths);
    let components = part
        .entry("components")
        .or_insert_with(|| serde_json::json!({}));
    components["schemas"] = serde_json::Value::Object(schemas);
    let Ok(openapi) = serde_json::from_value::<openapiv3::OpenAPI>(part.into()) else {
        return true;
    };
    matches!(catch(|| generate(&openapi)), Ok(Ok(_)))
}

/// The spec's component schemas named in `names`.
fn pick(all: &Schemas, names: &BTreeSet<String>) -> Schemas {
    all.iter()
        .filter(|(name, _)| names.contains(*name))
        .map(|(name, schema)| (name.clone(), schema.clone()))
        .collect()
}

/// The component schema that fails on its own. First with what it references stubbed out
/// (any JSON value): that names the broken schema even in a cycle of references. Then, for
/// failures that need the referenced schemas (typify merging an `allOf`), with everything it
/// references: the first that fails and none of whose references fails too.
fn find_failing_component(spec: &Normalized, generate: Generate) -> Option<String> {
    let schemas = spec.json.pointer("/components/schemas")?.as_object()?;
    if generates(&spec.json, serde_json::json!({}), schemas.clone(), generate) {
        return None;
    }
    let closures: Vec<(&String, BTreeSet<String>)> = schemas
        .iter()
        .map(|(name, schema)| {
            let mut closure = crate::refs::closure(&spec.json, schema);
            closure.insert(name.clone());
            (name, closure)
        })
        .collect();
    let named = |name: &str| {
        format!(
            "component schema {}",
            crate::pointer::push("/components/schemas", name)
        )
    };
    for (name, closure) in &closures {
        let mut alone: Schemas = closure
            .iter()
            .map(|other| (other.clone(), serde_json::json!({})))
            .collect();
        alone.insert((*name).clone(), schemas[name.as_str()].clone());
        if !generates(&spec.json, serde_json::json!({}), alone, generate) {
            return Some(named(name));
        }
    }
    let failing: Vec<&(&String, BTreeSet<String>)> = closures
        .iter()
        .filter(|(_, closure)| {
            !generates(
                &spec.json,
                serde_json::json!({}),
                pick(schemas, closure),
                generate,
            )
        })
        .collect();
    let is_failing = |name: &String| failing.iter().any(|(n, _)| *n == name);
    let culprit = failing
        .iter()
        .find(|(name, closure)| {
            !closure
                .iter()
                .any(|other| other != *name && is_failing(other))
        })
        .or_else(|| failing.first())?;
    Some(named(culprit.0))
}

/// The operation that fails alone, with the component schemas it references.
fn find_failing_operation(spec: &Normalized, generate: Generate) -> Option<String> {
    // What an operation may reach through `#/components/parameters/…` and the like.
    let mut other_components = spec.json.get("components").cloned().unwrap_or_default();
    if let Some(map) = other_components.as_object_mut() {
        map.remove("schemas");
    }
    let all = spec
        .json
        .pointer("/components/schemas")
        .and_then(serde_json::Value::as_object)
        .cloned()
        .unwrap_or_default();
    crate::normalize::operations(&spec.json).find_map(|operation| {
        let (path, method) = (operation.path, operation.method);
        let mut single = operation.path_item.as_object()?.clone();
        single.retain(|m, _| m == method || !crate::normalize::is_http_method(m));
        let single = serde_json::Value::Object(single);
        let schemas =
            crate::refs::closure(&spec.json, &serde_json::json!([&single, &other_components]));
        let alone = serde_json::json!({ path.to_owned(): single });
        if generates(&spec.json, alone, pick(&all, &schemas), generate) {
            return None;
        }
        let pointer = crate::pointer::push(&crate::pointer::push("/paths", path), method);
        Some(format!(
            "operation {} {path} ({pointer})",
            method.to_uppercase()
        ))
    })
}
