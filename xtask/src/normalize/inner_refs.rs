//! `$ref`s that point inside another schema (`#/components/schemas/Tag/allOf/0`) or at a schema
//! held by some other object (`#/components/responses/NotFound/content/application~1json/schema`,
//! `#/components/parameters/Limit/schema`): typify resolves only whole component schemas and
//! fails with `unresolved reference` on the rest. Each such target is hoisted into a component
//! schema of its own (its old place now refers to it), and every reference to it is rewritten.

use anyhow::Result;
use std::collections::BTreeMap;

use heck::ToPascalCase;
use serde_json::{Value, json};

use super::walk;
use crate::diagnostics::Diagnostics;
use crate::pointer;
use crate::refs::{component_name, component_ref, free_component_name, insert_component};

pub fn hoist(doc: &mut Value, diags: &mut Diagnostics) -> Result<()> {
    // Target pointer -> the first schema that refers to it.
    let mut targets: BTreeMap<String, String> = BTreeMap::new();
    walk::schemas(doc, &mut |schema, at| {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str)
            && component_name(reference).is_none()
            && let Some(target) = reference.strip_prefix('#')
        {
            targets
                .entry(target.to_owned())
                .or_insert_with(|| at.to_owned());
        }
    });
    if targets.is_empty() {
        return Ok(());
    }
    // Deepest first: a target inside another is hoisted before its container moves.
    let mut order: Vec<(String, String)> = targets.into_iter().collect();
    order.sort_by_key(|(target, _)| std::cmp::Reverse(target.matches('/').count()));
    let mut renamed: BTreeMap<String, String> = BTreeMap::new();
    for (target, referrer) in order {
        let Some(schema) = doc.pointer(&target).cloned() else {
            continue;
        };
        let name = free_name(doc, &target);
        let new_ref = component_ref(&name);
        if !insert_component(doc, &name, schema) {
            continue;
        }
        if let Some(place) = doc.pointer_mut(&target) {
            *place = json!({ "$ref": new_ref });
        }
        diags.warn(
            &target,
            format!(
                "referenced from inside another object (by {referrer}), which typify cannot resolve: hoisted to `{new_ref}`"
            ),
        );
        renamed.insert(format!("#{target}"), new_ref);
    }
    walk::schemas(doc, &mut |schema, _| {
        if let Some(Value::String(reference)) = schema.get_mut("$ref")
            && let Some(new_ref) = renamed.get(reference.as_str())
        {
            reference.clone_from(new_ref);
        }
    });
    Ok(())
}

/// A component name for the schema at `target`, from its place (`/components/schemas/Tag/allOf/0`
/// -> `TagAllOf0`, `/components/responses/NotFound/content/application~1json/schema` ->
/// `NotFoundResponse`), that no component has yet.
fn free_name(doc: &Value, target: &str) -> String {
    let tokens: Vec<String> = target.split('/').skip(1).map(pointer::unescape).collect();
    let mut parts: Vec<String> = Vec::new();
    let mut rest = tokens.as_slice();
    if let [first, kind, name, tail @ ..] = tokens.as_slice()
        && first == "components"
    {
        parts.push(name.clone());
        let suffix = match kind.as_str() {
            "schemas" => "",
            "responses" => "Response",
            "parameters" => "Parameter",
            "requestBodies" => "Request",
            "headers" => "Header",
            other => other,
        };
        parts.push(suffix.to_owned());
        rest = tail;
    }
    let mut skip_next = false;
    for token in rest {
        if skip_next {
            skip_next = false;
            continue;
        }
        match token.as_str() {
            // `content/<media type>/schema` and `properties/<name>`: the media type and the
            // structural keywords say nothing a name needs.
            "content" => skip_next = true,
            "schema" | "properties" => {}
            other => parts.push(other.to_owned()),
        }
    }
    let base = parts.join("-").to_pascal_case();
    let base = if base.is_empty() {
        "Hoisted".to_owned()
    } else {
        base
    };
    free_component_name(doc, &base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inner_targets_become_components_and_references_follow() {
        let mut doc = json!({
            "paths": {"/a": {"get": {"responses": {"200": {"description": "", "content": {"application/json": {"schema": {
                "$ref": "#/components/responses/NotFound/content/application~1json/schema"}}}}}}}},
            "components": {
                "schemas": {
                    "Tag": {"allOf": [{"type": "object", "properties": {"name": {"type": "string"}}}]},
                    "TagAllOf0": {"type": "string"},
                    "Uses": {"properties": {
                        "t": {"$ref": "#/components/schemas/Tag/allOf/0"},
                        "n": {"$ref": "#/components/schemas/Tag/allOf/0/properties/name"},
                        "l": {"$ref": "#/components/parameters/Limit/schema"}}}
                },
                "parameters": {"Limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}}},
                "responses": {"NotFound": {"description": "", "content": {"application/json": {"schema": {"type": "object"}}}}}
            }
        });
        let mut diags = Diagnostics::default();
        hoist(&mut doc, &mut diags).unwrap();
        let schemas = &doc["components"]["schemas"];
        // `TagAllOf0` was taken.
        assert_eq!(
            schemas["TagAllOf02"]["properties"]["name"],
            json!({"$ref": "#/components/schemas/TagAllOf0Name"})
        );
        assert_eq!(schemas["TagAllOf0Name"], json!({"type": "string"}));
        assert_eq!(
            schemas["Tag"]["allOf"][0],
            json!({"$ref": "#/components/schemas/TagAllOf02"})
        );
        assert_eq!(
            schemas["Uses"]["properties"]["t"],
            json!({"$ref": "#/components/schemas/TagAllOf02"})
        );
        assert_eq!(
            schemas["Uses"]["properties"]["n"],
            json!({"$ref": "#/components/schemas/TagAllOf0Name"})
        );
        assert_eq!(
            schemas["Uses"]["properties"]["l"],
            json!({"$ref": "#/components/schemas/LimitParameter"})
        );
        assert_eq!(schemas["LimitParameter"], json!({"type": "integer"}));
        assert_eq!(schemas["NotFoundResponse"], json!({"type": "object"}));
        assert_eq!(
            doc["components"]["parameters"]["Limit"]["schema"],
            json!({"$ref": "#/components/schemas/LimitParameter"})
        );
        assert!(diags.contains(
            "/components/schemas/Tag/allOf/0",
            "hoisted to `#/components/schemas/TagAllOf02`"
        ));
        assert!(diags.contains(
            "/components/parameters/Limit/schema",
            "by /components/schemas/Uses/properties/l"
        ));
    }
}
