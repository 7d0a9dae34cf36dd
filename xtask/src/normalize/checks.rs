//! Checks on the document that fail the run: unresolvable references and cycles of aliases.

use anyhow::{Result, bail};
use serde_json::Value;

use crate::pointer;

/// Every `$ref` must point inside the document; progenitor would otherwise fail without saying where.
pub fn check_references(doc: &Value) -> Result<()> {
    fn visit(doc: &Value, value: &Value, at: &str) -> Result<()> {
        match value {
            Value::Object(map) => {
                if let Some(reference) = map.get("$ref") {
                    let Some(reference) = reference.as_str() else {
                        bail!("{at}/$ref: must be a string");
                    };
                    if !reference.starts_with('#') {
                        bail!(
                            "{at}/$ref: external reference {reference:?} is not supported (bundle the spec first)"
                        );
                    }
                    if pointer::resolve(doc, reference).is_none() {
                        bail!("{at}/$ref: unresolvable reference {reference:?}");
                    }
                }
                for (key, child) in map {
                    // Examples are data: a `$ref` key inside one is not a reference.
                    if key != "example" {
                        visit(doc, child, &pointer::push(at, key))?;
                    }
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    visit(doc, child, &pointer::push(at, &i.to_string()))?;
                }
            }
            _ => {}
        }
        Ok(())
    }
    visit(doc, doc, "")
}

/// A schema that is only another schema under a new name: `{$ref}` or `{allOf: [one]}`, with
/// nothing but annotations beside it. Returns what it names.
fn alias_target(schema: &Value) -> Option<&Value> {
    const ANNOTATIONS: [&str; 5] = ["description", "title", "summary", "example", "deprecated"];
    let map = schema.as_object()?;
    let rest = || map.keys().filter(|k| !ANNOTATIONS.contains(&k.as_str()));
    if map.contains_key("$ref") && rest().count() == 1 {
        return Some(schema);
    }
    match map.get("allOf") {
        Some(Value::Array(parts)) if parts.len() == 1 && rest().count() == 1 => parts.first(),
        _ => None,
    }
}

/// A cycle of aliases (`Root` is `B`, `B` is `Root`) defines no type at all; typify would emit
/// types that can never be built. An error naming every pointer of the cycle.
pub fn check_alias_cycles(doc: &Value) -> Result<()> {
    let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") else {
        return Ok(());
    };
    for name in schemas.keys() {
        let start = pointer::push("/components/schemas", name);
        let mut chain = vec![start.clone()];
        let mut current = doc.pointer(&start);
        while let Some(target) = current.and_then(alias_target) {
            let Some(reference) = target.get("$ref").and_then(Value::as_str) else {
                // `allOf: [inline schema]`: a type of its own.
                break;
            };
            let next = reference.trim_start_matches('#').to_owned();
            if let Some(at) = chain.iter().position(|p| *p == next) {
                chain.push(next);
                bail!(
                    "{}: a cycle of $ref aliases defines no type: {}",
                    chain[at],
                    chain[at..].join(" -> ")
                );
            }
            current = doc.pointer(&next);
            chain.push(next);
        }
    }
    Ok(())
}
