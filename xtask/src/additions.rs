//! The additions file: requests Vast.ai's official client sends that the vendored spec does not
//! document, each an OpenAPI operation written from the client's code, with its evidence. They
//! are merged into the document in memory, before the corrections apply (the vendored file is
//! never edited), and the published spec always wins: an addition the spec now documents
//! (same method and path, trailing slash and parameter names aside) is not merged, and is a
//! decision until `--prune` deletes it.
//!
//! ```yaml
//! additions:
//!   - method: post
//!     path: /api/v0/instances/take_snapshot/{id}     # as the spec writes paths (no slash)
//!     evidence:
//!       sent_by: vastai/api/instances.py take_snapshot()
//!       sends: …                                        # what the client sends, and how
//!       reads: …                                        # what it reads back
//!     operation: {operationId: take_snapshot, …}        # an OpenAPI 3.1 operation
//! schemas:                                              # components the additions reference
//!   Snapshot: {…}
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::decisions::{Decisions, Prune};
use crate::normalize::{is_http_method, operations};
use crate::pointer::push;

/// Marks an operation that comes from the additions file, with where its definition comes
/// from: the crate docs and the operations list say so.
pub const ADDITION_EXTENSION: &str = "x-vast-addition";

/// The parsed additions file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Additions {
    #[serde(default)]
    pub additions: Vec<Addition>,
    /// Component schemas, by name, that the additions reference.
    #[serde(default)]
    pub schemas: Map<String, Value>,
}

/// One request the spec lacks.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Addition {
    /// The HTTP method, lower case as OpenAPI writes it.
    pub method: String,
    /// The path as the spec writes its paths (the trailing-slash rule applies to it as to them).
    pub path: String,
    pub evidence: Evidence,
    /// The OpenAPI operation object.
    pub operation: Value,
}

/// Where an addition's definition comes from.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// The official client's file and function that send the request.
    pub sent_by: String,
    /// What it sends: parameters, body, how it builds them.
    pub sends: String,
    /// What it reads back from the answer.
    pub reads: String,
}

impl Addition {
    /// `"POST /api/v0/x/{}"`: the request the way the API sees it, for matching.
    pub fn request(&self) -> String {
        request_key(&self.method, &self.path)
    }

    fn operation_id(&self) -> Option<&str> {
        self.operation.get("operationId").and_then(Value::as_str)
    }
}

/// A request's method and path with the trailing slash and the parameter names left out:
/// two spellings the API cannot tell apart give the same key.
pub fn request_key(method: &str, path: &str) -> String {
    crate::api::request_key(&crate::api::operation_key(method, path))
}

/// The additions file for a spec: `<stem>.additions.yaml` beside it, else `additions.yaml`
/// beside it when the spec is the vendored `openapi.yaml` (as for the corrections file).
pub fn default_path(spec: &Path) -> Option<PathBuf> {
    let dir = spec.parent()?;
    let stem = spec.file_stem()?.to_str()?;
    let own = dir.join(format!("{stem}.additions.yaml"));
    if own.is_file() {
        return Some(own);
    }
    let shared = dir.join("additions.yaml");
    (stem == "openapi" && shared.is_file()).then_some(shared)
}

/// Reads an additions file. YAML is read as the spec is (keys such as `200:` become text).
pub fn load(path: &Path) -> Result<Additions> {
    let text = crate::input_limits::read(path)?;
    parse(&text).with_context(|| format!("{} is not a valid additions file", path.display()))
}

pub fn parse(text: &str) -> Result<Additions> {
    let value = crate::spec::parse(text)?;
    Ok(serde_json::from_value(value)?)
}

/// Merges the additions the spec lacks into `doc`. An addition the spec documents itself is
/// left out and recorded as a decision (`--prune` deletes it), as is a schema no merged
/// addition uses; a malformed entry is an error naming it.
pub fn merge(
    doc: &mut Value,
    additions: &Additions,
    file: &str,
    decisions: &mut Decisions,
) -> Result<()> {
    let published: BTreeMap<String, String> = operations(doc)
        .map(|op| (request_key(op.method, op.path), op.pointer()))
        .collect();
    let published_paths: BTreeMap<String, String> = doc
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(path, _)| (request_key("get", path), path.clone()))
        .collect();
    let mut seen = BTreeMap::new();
    let mut merged = Vec::new();
    for (i, addition) in additions.additions.iter().enumerate() {
        let entry = format!(
            "{file} addition {} ({} {})",
            i + 1,
            addition.method,
            addition.path
        );
        check(addition).with_context(|| entry.clone())?;
        let request = addition.request();
        if let Some(first) = seen.insert(request.clone(), i) {
            bail!(
                "{entry}: the same request as addition {} ({request})",
                first + 1
            );
        }
        if let Some(pointer) = published.get(&request) {
            decisions.blocking(
                pointer.clone(),
                format!(
                    "the spec now documents `{request}`, which {entry} (`{}`) adds: the published definition wins; `cargo xtask codegen --prune` deletes the addition (its method name stays as a deprecated alias when the published name differs)",
                    addition.operation_id().unwrap_or("?")
                ),
                Some(Prune::Addition(i)),
            );
            continue;
        }
        if let Some(spelled) = published_paths.get(&request_key("get", &addition.path))
            && spelled.trim_end_matches('/') != addition.path.trim_end_matches('/')
        {
            bail!(
                "{entry}: the spec writes this path `{spelled}`; write it the same way (one path, one spelling of its parameters)"
            );
        }
        merged.push(addition);
    }
    let used = schemas_used(&merged, &additions.schemas);
    let Value::Object(root) = doc else {
        bail!("the document is not an object");
    };
    let components = ensure_object(root, "components")?;
    let schemas = ensure_object(components, "schemas")?;
    for (name, schema) in &additions.schemas {
        let pointer = push("/components/schemas", name);
        if !used.contains(name) {
            decisions.prunable(
                pointer,
                format!("{file} schema `{name}` is used by no addition the spec lacks: `cargo xtask codegen --prune` deletes it"),
                Prune::AdditionSchema(name.clone()),
            );
            continue;
        }
        if schemas.contains_key(name) {
            decisions.blocking(
                pointer,
                format!("the spec now has a component `{name}`, and {file} defines one of that name for its additions: rename the addition's schema, or use the published one"),
                None,
            );
            continue;
        }
        schemas.insert(name.clone(), schema.clone());
    }
    let paths = ensure_object(root, "paths")?;
    for addition in merged {
        let item = paths
            .entry(addition.path.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(item) = item else {
            bail!(
                "{file}: the spec's path item `{}` is not an object",
                addition.path
            );
        };
        item.insert(addition.method.clone(), marked(addition, file));
    }
    Ok(())
}

fn check(addition: &Addition) -> Result<()> {
    if !is_http_method(&addition.method) {
        bail!("`method` must be an HTTP method in lower case (get, put, post, delete, …)");
    }
    if !addition.path.starts_with('/') {
        bail!("`path` must start with `/`");
    }
    if !addition.operation.is_object() {
        bail!("`operation` must be an OpenAPI operation object");
    }
    if addition.operation_id().is_none_or(str::is_empty) {
        bail!("the operation needs an `operationId`: the official client's name for the request");
    }
    if addition.operation.get("responses").is_none() {
        bail!("the operation needs `responses`: what the official client reads back");
    }
    let evidence = &addition.evidence;
    for (field, text) in [
        ("sent_by", &evidence.sent_by),
        ("sends", &evidence.sends),
        ("reads", &evidence.reads),
    ] {
        if text.trim().is_empty() {
            bail!("`evidence.{field}` is empty: an addition is only as good as its evidence");
        }
    }
    Ok(())
}

/// The operation as merged: its description says where it comes from, and it is marked.
fn marked(addition: &Addition, file: &str) -> Value {
    let mut operation = addition.operation.clone();
    let source = format!(
        "Not in Vast.ai's published spec: defined in `{file}` from the official client's traffic (sent by `{}`).",
        addition.evidence.sent_by.trim()
    );
    if let Value::Object(op) = &mut operation {
        let description = match op.get("description").and_then(Value::as_str) {
            Some(text) if !text.trim().is_empty() => format!("{}\n\n{source}", text.trim_end()),
            _ => source,
        };
        op.insert("description".into(), Value::String(description));
        op.insert(
            ADDITION_EXTENSION.into(),
            Value::String(addition.evidence.sent_by.trim().to_owned()),
        );
    }
    operation
}

/// The additions' schemas that `merged` reference, directly or through one another.
fn schemas_used(merged: &[&Addition], schemas: &Map<String, Value>) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    let mut todo: Vec<&Value> = merged.iter().map(|a| &a.operation).collect();
    while let Some(value) = todo.pop() {
        for name in local_refs(value) {
            if let Some(schema) = schemas.get(&name)
                && used.insert(name)
            {
                todo.push(schema);
            }
        }
    }
    used
}

/// The component schema names `value` references.
fn local_refs(value: &Value) -> Vec<String> {
    let mut found = Vec::new();
    let mut todo = vec![value];
    while let Some(value) = todo.pop() {
        match value {
            Value::Object(map) => {
                if let Some(name) = map
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(crate::refs::component_name)
                {
                    found.push(name);
                }
                todo.extend(map.values());
            }
            Value::Array(items) => todo.extend(items),
            _ => {}
        }
    }
    found
}

fn ensure_object<'a>(
    parent: &'a mut Map<String, Value>,
    key: &str,
) -> Result<&'a mut Map<String, Value>> {
    let value = parent
        .entry(key.to_owned())
        .or_insert_with(|| Value::Object(Map::new()));
    value
        .as_object_mut()
        .with_context(|| format!("`{key}` is not an object"))
}

/// How many of `doc`'s operations come from the additions file.
pub fn count_added(doc: &Value) -> usize {
    operations(doc)
        .filter(|op| op.operation.get(ADDITION_EXTENSION).is_some())
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn additions(yaml: &str) -> Additions {
        parse(yaml).unwrap()
    }

    const ONE: &str = "
additions:
  - method: post
    path: /api/v0/instances/take_snapshot/{id}
    evidence: {sent_by: vastai/api/instances.py take_snapshot(), sends: a body, reads: success}
    operation:
      operationId: take_snapshot
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses:
        200: {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Snap'}}}}
schemas:
  Snap: {type: object, properties: {ok: {$ref: '#/components/schemas/Inner'}}}
  Inner: {type: boolean}
  Unused: {type: string}
";

    #[test]
    fn an_addition_the_spec_lacks_is_merged_marked_with_its_schemas() {
        let mut doc = json!({"paths": {"/api/v0/instances/{id}": {"get": {"operationId": "show", "responses": {}}}}});
        let mut decisions = Decisions::default();
        merge(&mut doc, &additions(ONE), "additions.yaml", &mut decisions).unwrap();
        let op = &doc["paths"]["/api/v0/instances/take_snapshot/{id}"]["post"];
        assert_eq!(op["operationId"], "take_snapshot");
        assert_eq!(
            op[ADDITION_EXTENSION],
            "vastai/api/instances.py take_snapshot()"
        );
        assert!(
            op["description"]
                .as_str()
                .unwrap()
                .starts_with("Not in Vast.ai's published spec")
        );
        let schemas: Vec<_> = doc["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(schemas, ["Snap", "Inner"]);
        let found: Vec<_> = decisions
            .all()
            .iter()
            .map(|d| (d.pointer.as_str(), d.blocking, d.prune.clone()))
            .collect();
        assert_eq!(
            found,
            [(
                "/components/schemas/Unused",
                false,
                Some(Prune::AdditionSchema("Unused".into()))
            )]
        );
        assert_eq!(count_added(&doc), 1);
    }

    #[test]
    fn an_addition_the_spec_now_documents_is_a_decision_and_not_merged() {
        let published = json!({"operationId": "takeSnapshot", "responses": {}});
        let mut doc = json!({"paths": {"/api/v0/instances/take_snapshot/{instance_id}/": {"post": published.clone()}}});
        let mut decisions = Decisions::default();
        merge(&mut doc, &additions(ONE), "additions.yaml", &mut decisions).unwrap();
        assert_eq!(doc["paths"].as_object().unwrap().len(), 1);
        assert_eq!(
            doc["paths"]["/api/v0/instances/take_snapshot/{instance_id}/"]["post"],
            published
        );
        let blocking: Vec<_> = decisions.blocking_ones().collect();
        assert_eq!(blocking.len(), 1, "{blocking:?}");
        assert_eq!(
            blocking[0].pointer,
            "/paths/~1api~1v0~1instances~1take_snapshot~1{instance_id}~1/post"
        );
        assert!(
            blocking[0].message.contains("take_snapshot"),
            "{}",
            blocking[0].message
        );
        assert_eq!(blocking[0].prune, Some(Prune::Addition(0)));
        // Its schemas are then used by nothing: prunable too.
        assert_eq!(decisions.prunable_ones().count(), 4);
    }

    #[test]
    fn malformed_entries_are_errors_naming_them() {
        let cases = [
            ("method: fetch", "`method` must be an HTTP method"),
            ("method: POST", "`method` must be an HTTP method"),
            ("path: api/x", "`path` must start with `/`"),
            ("operation: {responses: {}}", "needs an `operationId`"),
            ("operation: {operationId: x}", "needs `responses`"),
            (
                "evidence: {sent_by: x, sends: ' ', reads: y}",
                "`evidence.sends` is empty",
            ),
        ];
        for (change, expected) in cases {
            let key = change.split(':').next().unwrap();
            let mut entry = json!({"method": "get", "path": "/x",
                "evidence": {"sent_by": "f", "sends": "s", "reads": "r"},
                "operation": {"operationId": "x", "responses": {}}});
            entry[key] = serde_norway::from_str::<Value>(change).unwrap()[key].clone();
            let file: Additions = serde_json::from_value(json!({"additions": [entry]})).unwrap();
            let err =
                merge(&mut json!({}), &file, "a.yaml", &mut Decisions::default()).unwrap_err();
            let text = format!("{err:#}");
            assert!(text.starts_with("a.yaml addition 1 ("), "{change}: {text}");
            assert!(text.contains(expected), "{change}: {text}");
        }
    }

    #[test]
    fn the_same_request_twice_or_another_spelling_of_a_published_path_is_refused() {
        let twice: Additions = serde_json::from_value(json!({"additions": [
            {"method": "get", "path": "/x/{a}", "evidence": {"sent_by": "f", "sends": "s", "reads": "r"}, "operation": {"operationId": "x", "responses": {}}},
            {"method": "get", "path": "/x/{b}/", "evidence": {"sent_by": "f", "sends": "s", "reads": "r"}, "operation": {"operationId": "y", "responses": {}}}
        ]})).unwrap();
        let err = merge(&mut json!({}), &twice, "a.yaml", &mut Decisions::default()).unwrap_err();
        assert!(
            format!("{err:#}").contains("the same request as addition 1"),
            "{err:#}"
        );

        let spelled: Additions = serde_json::from_value(json!({"additions": [
            {"method": "post", "path": "/x/{b}", "evidence": {"sent_by": "f", "sends": "s", "reads": "r"}, "operation": {"operationId": "y", "responses": {}}}
        ]})).unwrap();
        let mut doc = json!({"paths": {"/x/{a}": {"get": {"operationId": "x", "responses": {}}}}});
        let err = merge(&mut doc, &spelled, "a.yaml", &mut Decisions::default()).unwrap_err();
        assert!(
            format!("{err:#}").contains("the spec writes this path `/x/{a}`"),
            "{err:#}"
        );
    }

    #[test]
    fn unknown_keys_are_rejected() {
        assert!(parse("addition: []").is_err());
        assert!(parse("additions: [{method: get, path: /x, evidence: {sent_by: a, sends: b, reads: c}, operation: {}, extra: 1}]").is_err());
    }
}
