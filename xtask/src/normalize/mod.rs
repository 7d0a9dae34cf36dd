//! Turns a vendor spec (OpenAPI 3.0 or 3.1, as published) into the OpenAPI 3.0 document
//! progenitor 0.15 can generate from without panicking. Each rule lives in its own module.

mod defaults;
mod dialect;
mod extensions;
mod formats;
mod inner_refs;
mod media;
mod methods;
mod operation_ids;
mod optional_collections;
mod parameters;
mod responses;
pub mod secrets;
pub mod servers;
mod shapes;
mod walk;

use anyhow::{Result, anyhow, bail};
use serde_json::Value;

use crate::diagnostics::Diagnostics;
use crate::pointer;

/// The normalised spec, as a JSON value (for fixtures and `--emit-normalized`) and parsed.
pub struct Normalized {
    pub json: Value,
    pub openapi: openapiv3::OpenAPI,
}

pub fn normalize(mut doc: Value, diags: &mut Diagnostics) -> Result<Normalized> {
    dialect::downgrade(&mut doc, diags).map_err(|e| anyhow!(e))?;
    check_references(&doc)?;
    inner_refs::hoist(&mut doc, diags);
    check_alias_cycles(&doc)?;
    methods::drop_unsendable(&mut doc, diags);
    extensions::strip(&mut doc, diags);
    operation_ids::assign(&mut doc, diags).map_err(|e| anyhow!(e))?;
    servers::mark_overrides(&mut doc, diags);
    parameters::fix(&mut doc, diags);
    media::fix(&mut doc, diags);
    responses::unify(&mut doc, diags);
    formats::rewrite(&mut doc);
    shapes::rewrite(&mut doc, diags);
    defaults::check(&mut doc, diags);
    optional_collections::keep_empty_ones(&mut doc);
    secrets::mark(&mut doc);
    let openapi = parse_openapi(&doc)?;
    Ok(Normalized { json: doc, openapi })
}

impl Normalized {
    /// The same spec after `change`, parsed again.
    pub fn map_json(mut self, change: impl FnOnce(&mut Value)) -> Result<Self> {
        change(&mut self.json);
        self.openapi = parse_openapi(&self.json)?;
        Ok(self)
    }
}

/// The variant of a normalised spec that progenitor's httpmock generator can handle (list and
/// map parameters it cannot print are adapted); the client is generated from `spec` itself.
pub fn for_mocks(spec: &Normalized) -> Result<Normalized> {
    let json = parameters::for_mocks(&spec.json);
    let openapi = parse_openapi(&json)?;
    Ok(Normalized { json, openapi })
}

fn parse_openapi(doc: &Value) -> Result<openapiv3::OpenAPI> {
    serde_path_to_error::deserialize(doc).map_err(|e| {
        // openapiv3's maps hide positions below them from serde; parsing each operation and
        // component alone finds the exact place.
        let (at, message) = locate_invalid_part(doc).unwrap_or_else(|| {
            (
                serde_path_pointer("", &e.path().to_string()),
                e.inner().to_string(),
            )
        });
        anyhow!("{at}: not a valid OpenAPI 3.0 document: {message}")
    })
}

fn locate_invalid_part(doc: &Value) -> Option<(String, String)> {
    fn check<T: serde::de::DeserializeOwned>(value: &Value, at: &str) -> Option<(String, String)> {
        let err = serde_path_to_error::deserialize::<_, T>(value).err()?;
        Some((
            serde_path_pointer(at, &err.path().to_string()),
            err.inner().to_string(),
        ))
    }
    for (path, item) in doc.get("paths")?.as_object()? {
        for (method, op) in item.as_object()?.iter().filter(|(m, _)| is_http_method(m)) {
            let at = pointer::push(&pointer::push("/paths", path), method);
            if let Some(found) = check::<openapiv3::Operation>(op, &at) {
                return Some(found);
            }
        }
    }
    let schemas = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)?;
    schemas.iter().find_map(|(name, schema)| {
        check::<openapiv3::ReferenceOr<openapiv3::Schema>>(
            schema,
            &pointer::push("/components/schemas", name),
        )
    })
}

/// Appends serde_path_to_error's dotted path (`responses.200`) to a JSON pointer.
fn serde_path_pointer(base: &str, path: &str) -> String {
    if path == "." {
        return if base.is_empty() {
            "/".to_owned()
        } else {
            base.to_owned()
        };
    }
    // List positions follow their field without a dot: `parameters[0]`.
    path.split('.')
        .flat_map(|token| token.split('['))
        .filter(|token| !token.is_empty())
        .fold(base.to_owned(), |acc, token| {
            pointer::push(&acc, token.trim_end_matches(']'))
        })
}

/// Every `$ref` must point inside the document; progenitor would otherwise fail without saying where.
fn check_references(doc: &Value) -> Result<()> {
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
fn check_alias_cycles(doc: &Value) -> Result<()> {
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

/// Adds `note` as a paragraph of its own after the schema's description (or as the description):
/// what a rule drops or rewrites stays said in the generated docs.
fn append_description(map: &mut serde_json::Map<String, Value>, note: &str) {
    let joined = match map.get("description").and_then(Value::as_str) {
        Some(d) if !d.trim().is_empty() => format!("{}\n\n{note}", d.trim_end()),
        _ => note.to_owned(),
    };
    map.insert("description".into(), Value::String(joined));
}

/// One operation of a spec: where it is and what it says.
pub struct SpecOperation<'a> {
    pub path: &'a str,
    pub method: &'a str,
    /// The path item, for the parameters every operation of the path shares.
    pub path_item: &'a Value,
    pub operation: &'a Value,
}

impl<'a> SpecOperation<'a> {
    /// Its operationId (the method name, once normalised), else its HTTP method.
    pub fn id(&self) -> &'a str {
        self.operation
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or(self.method)
    }

    /// Its parameters: the path item's, then its own, as declared (`$ref`s not followed).
    pub fn parameters(&self) -> impl Iterator<Item = &'a Value> + use<'a> {
        [self.path_item, self.operation]
            .into_iter()
            .filter_map(|v| v.get("parameters").and_then(Value::as_array))
            .flatten()
    }
}

/// Every operation of `spec`, in document order.
pub fn operations(spec: &Value) -> impl Iterator<Item = SpecOperation<'_>> {
    spec.get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(path, item)| Some((path, item, item.as_object()?)))
        .flat_map(|(path, item, map)| {
            map.iter().filter(|(method, _)| is_http_method(method)).map(
                move |(method, operation)| SpecOperation {
                    path,
                    method,
                    path_item: item,
                    operation,
                },
            )
        })
}

/// Whether a path item key is an operation (rather than `parameters`, `summary`...).
pub fn is_http_method(key: &str) -> bool {
    walk::HTTP_METHODS.contains(&key)
}

/// Whether a media type is JSON in progenitor's sense (it types only these bodies).
pub fn is_json_media_type(media_type: &str) -> bool {
    media::is_json(media_type)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unresolvable_ref_names_its_pointer() {
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {
            "responses": {"200": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Nope"}}}}}}}}});
        let err = normalize(doc, &mut Diagnostics::default()).err().unwrap();
        let text = format!("{err:#}");
        assert!(
            text.contains("/paths/~1a/get/responses/200/content/application~1json/schema/$ref")
                && text.contains("Nope"),
            "{text}"
        );
    }

    #[test]
    fn a_cycle_of_aliases_is_an_error_naming_its_pointers() {
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {
                "Root": {"$ref": "#/components/schemas/B", "description": "the root"},
                "B": {"allOf": [{"$ref": "#/components/schemas/Root"}]},
                "Tree": {"type": "object", "properties": {"children": {"type": "array",
                    "items": {"$ref": "#/components/schemas/Tree"}}}}}}});
        let err = normalize(doc, &mut Diagnostics::default()).err().unwrap();
        assert_eq!(
            format!("{err:#}"),
            "/components/schemas/Root: a cycle of $ref aliases defines no type: \
             /components/schemas/Root -> /components/schemas/B -> /components/schemas/Root"
        );
    }

    #[test]
    fn a_recursive_type_is_not_an_alias_cycle() {
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {
                "Tree": {"type": "object", "properties": {"children": {"type": "array",
                    "items": {"$ref": "#/components/schemas/Tree"}}}},
                "Alias": {"$ref": "#/components/schemas/Tree"}}}});
        assert!(normalize(doc, &mut Diagnostics::default()).is_ok());
    }

    #[test]
    fn invalid_list_entry_names_its_index() {
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {
            "parameters": [5], "responses": {}}}}});
        let err = normalize(doc, &mut Diagnostics::default()).err().unwrap();
        assert!(
            format!("{err:#}").starts_with("/paths/~1a/get/parameters/0:"),
            "{err:#}"
        );
    }

    #[test]
    fn operation_that_is_not_an_object_is_an_error_not_a_panic() {
        let doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": 5}}});
        let err = normalize(doc, &mut Diagnostics::default()).err().unwrap();
        assert!(format!("{err:#}").starts_with("/paths/~1a/get"), "{err:#}");
    }

    #[test]
    fn invalid_structure_names_its_pointer() {
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {"responses": 5}}}});
        let err = normalize(doc, &mut Diagnostics::default()).err().unwrap();
        assert!(
            format!("{err:#}").starts_with("/paths/~1a/get/responses:"),
            "{err:#}"
        );
    }
}
