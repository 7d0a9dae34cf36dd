//! Which component schemas a part of the spec references, directly or through each other.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::pointer;

const PREFIX: &str = "#/components/schemas/";

/// The component schema a `$ref` names, if it names one whole (`#/components/schemas/Name`).
pub fn component_name(reference: &str) -> Option<String> {
    let token = reference.strip_prefix(PREFIX)?;
    (!token.contains('/')).then(|| pointer::unescape(token))
}

/// The `$ref` that names the component schema `name` (escaped as a pointer token).
pub fn component_ref(name: &str) -> String {
    pointer::push("#/components/schemas", name)
}

/// `base`, or the first of `base2`, `base3`... that no component schema has yet.
pub fn free_component_name(doc: &Value, base: &str) -> String {
    let taken = |name: &str| {
        doc.pointer(&pointer::push("/components/schemas", name))
            .is_some()
    };
    let mut name = base.to_owned();
    let mut n = 2;
    while taken(&name) {
        name = format!("{base}{n}");
        n += 1;
    }
    name
}

/// Adds the component schema `name`, creating `components/schemas` if need be; `false` (and
/// nothing added) when the document, its `components` or its `schemas` is not an object.
pub fn insert_component(doc: &mut Value, name: &str, schema: Value) -> bool {
    let Value::Object(root) = doc else {
        return false;
    };
    let components = root.entry("components").or_insert_with(|| json!({}));
    let Value::Object(components) = components else {
        return false;
    };
    let schemas = components.entry("schemas").or_insert_with(|| json!({}));
    let Value::Object(schemas) = schemas else {
        return false;
    };
    schemas.insert(name.to_owned(), schema);
    true
}

/// Every component schema `value` references, and those they reference in turn.
pub fn closure(doc: &Value, value: &Value) -> BTreeSet<String> {
    let schemas = doc.pointer("/components/schemas");
    let mut found = BTreeSet::new();
    let mut pending = Vec::new();
    direct(value, &mut pending);
    while let Some(name) = pending.pop() {
        if !found.insert(name.clone()) {
            continue;
        }
        if let Some(schema) = schemas.and_then(|s| s.get(&name)) {
            direct(schema, &mut pending);
        }
    }
    found
}

/// The component schemas named by `$ref`s anywhere in `value` (examples excepted).
fn direct(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(component_name)
            {
                out.push(name);
            }
            for (key, child) in map {
                if key != "example" && key != "examples" && key != "default" {
                    direct(child, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| direct(item, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn closure_follows_references_through_components_and_stops_at_cycles() {
        let doc = json!({"components": {"schemas": {
            "A": {"properties": {"b": {"$ref": "#/components/schemas/B"}}},
            "B": {"items": {"$ref": "#/components/schemas/A"}},
            "C": {"type": "string"},
            "a/b": {"type": "string"}
        }}});
        let value = json!({"allOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/a~1b"}],
            "example": {"$ref": "#/components/schemas/C"}});
        let names: Vec<String> = closure(&doc, &value).into_iter().collect();
        assert_eq!(names, ["A", "B", "a/b"]);
    }

    #[test]
    fn only_whole_components_are_names() {
        assert_eq!(
            component_name("#/components/schemas/Tag").as_deref(),
            Some("Tag")
        );
        assert_eq!(component_name("#/components/schemas/Tag/allOf/0"), None);
        assert_eq!(component_name("#/components/responses/R"), None);
    }
}
