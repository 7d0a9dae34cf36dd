//! The generated types against the spec's own component schemas: same property names, JSON
//! types, nullability and required sets, and every number an `f64`.
//!
//! The spec side is the normalised document progenitor generated from; the generated side is the
//! schemars schema each generated type derives. A typify or normalisation change that narrows a
//! type (f32 timestamps), drops a property or loosens `required` fails here.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};
use vast_api_tests::{
    COMPONENTS_WITHOUT_TYPE, SPEC_COMPONENT_SCHEMAS, generated_component_schemas,
};

#[derive(Debug, Default, PartialEq)]
struct Property {
    /// JSON types other than null; empty means any value.
    types: BTreeSet<String>,
    nullable: bool,
    format: Option<String>,
}

#[derive(Debug, Default)]
struct Shape {
    properties: BTreeMap<String, Property>,
    required: BTreeSet<String>,
    types: BTreeSet<String>,
}

/// Resolves `$ref`s of either document: `#/components/schemas/X` (spec) or `#/definitions/X`
/// (schemars).
struct Doc<'a> {
    definitions: &'a Map<String, Value>,
}

impl Doc<'_> {
    fn resolve<'s>(&'s self, schema: &'s Value) -> &'s Value {
        let mut current = schema;
        for _ in 0..32 {
            let Some(reference) = current.get("$ref").and_then(Value::as_str) else {
                break;
            };
            let name = reference.rsplit('/').next().unwrap_or_default();
            match self.definitions.get(name) {
                Some(target) => current = target,
                None => panic!("unresolvable {reference}"),
            }
        }
        current
    }

    /// Properties and required names after following `$ref` and merging `allOf`.
    fn shape(&self, schema: &Value) -> Shape {
        let schema = self.resolve(schema);
        let mut shape = Shape {
            types: self.property(schema).types,
            ..Shape::default()
        };
        for part in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let inner = self.shape(part);
            shape.properties.extend(inner.properties);
            shape.required.extend(inner.required);
            shape.types.extend(inner.types);
        }
        if let Some(Value::Object(props)) = schema.get("properties") {
            for (name, prop) in props {
                shape.properties.insert(name.clone(), self.property(prop));
            }
        }
        if let Some(Value::Array(required)) = schema.get("required") {
            shape.required.extend(
                required
                    .iter()
                    .filter_map(|r| r.as_str().map(str::to_owned)),
            );
        }
        if !shape.properties.is_empty() {
            shape.types.insert("object".to_owned());
        }
        shape
    }

    fn property(&self, schema: &Value) -> Property {
        let schema = self.resolve(schema);
        let mut property = Property {
            nullable: schema.get("nullable") == Some(&Value::Bool(true)),
            format: schema
                .get("format")
                .and_then(Value::as_str)
                .map(str::to_owned),
            ..Property::default()
        };
        match schema.get("type") {
            Some(Value::String(t)) => {
                property.types.insert(t.clone());
            }
            Some(Value::Array(types)) => {
                for t in types.iter().filter_map(Value::as_str) {
                    property.types.insert(t.to_owned());
                }
            }
            _ => {}
        }
        if schema.get("properties").is_some() {
            property.types.insert("object".to_owned());
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            for branch in schema
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let inner = self.property(branch);
                property.types.extend(inner.types);
                property.nullable |= inner.nullable;
                property.format = property.format.or(inner.format);
            }
        }
        if property.types.remove("null") {
            property.nullable = true;
        }
        property
    }
}

fn spec_components() -> Map<String, Value> {
    serde_json::from_str(SPEC_COMPONENT_SCHEMAS).expect("spec schemas are JSON")
}

#[test]
fn every_component_has_a_generated_type() {
    assert!(
        COMPONENTS_WITHOUT_TYPE.is_empty(),
        "no generated type for {COMPONENTS_WITHOUT_TYPE:?}"
    );
    let spec = spec_components();
    let generated: BTreeSet<&str> = generated_component_schemas()
        .iter()
        .map(|(n, _)| *n)
        .collect();
    let documented: BTreeSet<&str> = spec.keys().map(String::as_str).collect();
    assert_eq!(generated, documented);
    assert!(!documented.is_empty());
}

#[test]
fn generated_types_match_the_spec_schemas() {
    let spec = spec_components();
    let spec_doc = Doc { definitions: &spec };
    let mut problems = Vec::new();
    for (name, root) in generated_component_schemas() {
        let root = serde_json::to_value(&root).expect("schemars schema serialises");
        let empty = Map::new();
        let definitions = root
            .get("definitions")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let generated = Doc { definitions }.shape(&root);
        let documented = spec_doc.shape(&spec[name]);
        problems.extend(compare(name, &documented, &generated));
    }
    assert!(
        problems.is_empty(),
        "generated types differ from the spec:\n{}",
        problems.join("\n")
    );
}

fn compare(name: &str, spec: &Shape, generated: &Shape) -> Vec<String> {
    let mut problems = Vec::new();
    let spec_names: BTreeSet<_> = spec.properties.keys().collect();
    let generated_names: BTreeSet<_> = generated.properties.keys().collect();
    if spec_names != generated_names {
        problems.push(format!(
            "{name}: properties {spec_names:?} in the spec, {generated_names:?} generated"
        ));
    }
    if spec.required != generated.required {
        problems.push(format!(
            "{name}: required {:?} in the spec, {:?} generated",
            spec.required, generated.required
        ));
    }
    if !spec.types.is_empty() && !generated.types.is_empty() && spec.types != generated.types {
        problems.push(format!(
            "{name}: type {:?} in the spec, {:?} generated",
            spec.types, generated.types
        ));
    }
    for (prop, documented) in &spec.properties {
        let Some(actual) = generated.properties.get(prop) else {
            continue;
        };
        let at = format!("{name}.{prop}");
        if !documented.types.is_empty() && documented.types != actual.types {
            problems.push(format!(
                "{at}: type {:?} in the spec, {:?} generated",
                documented.types, actual.types
            ));
        }
        // Optional properties are `Option`s, so they accept null either way; a required one must
        // be nullable exactly when the spec says so.
        if spec.required.contains(prop) && documented.nullable != actual.nullable {
            problems.push(format!(
                "{at}: nullable {} in the spec, {} generated",
                documented.nullable, actual.nullable
            ));
        }
        // Every JSON number is generated as f64: the spec's float timestamps do not fit an f32.
        if actual.types.contains("number") && actual.format.as_deref() != Some("double") {
            problems.push(format!(
                "{at}: number generated as {:?}, not f64 (\"double\")",
                actual.format
            ));
        }
    }
    problems
}

#[test]
fn the_comparison_catches_an_f32_and_a_lost_property() {
    let doc = serde_json::json!({
        "T": {"type": "object", "required": ["at"], "properties": {"at": {"type": "number", "format": "float"}, "name": {"type": "string"}}}
    });
    let doc = doc.as_object().unwrap();
    let spec = Doc { definitions: doc }.shape(&doc["T"]);
    let narrowed = serde_json::json!({"type": "object", "required": ["at"], "properties": {"at": {"type": "number", "format": "float"}}});
    let generated = Doc {
        definitions: &Map::new(),
    }
    .shape(&narrowed);
    let problems = compare("T", &spec, &generated);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("T.at") && p.contains("not f64")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("properties")),
        "{problems:?}"
    );
}
