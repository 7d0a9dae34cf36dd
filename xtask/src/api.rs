//! The API the crate publishes, as a user of it sees it: each operation (keyed by HTTP method and
//! path, trailing slash removed) with its method name, parameters, request, response and error;
//! each component schema with its type name and fields; every generated type's shape; and the
//! deprecated aliases kept for renamed names.
//!
//! Written to `openapi/api.json` by `cargo xtask codegen` (generated, drift-checked, sorted), it
//! is the previous API the next regeneration compares with (`api_diff`).

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, Result};
use quote::ToTokens;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Where the record lives, relative to the workspace root.
pub const API_FILE: &str = "openapi/api.json";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Api {
    pub spec: SpecInfo,
    /// By `"METHOD /path"` (the path without its trailing slash).
    pub operations: BTreeMap<String, Operation>,
    /// Component schemas, by their name in the spec.
    pub schemas: BTreeMap<String, Schema>,
    /// Every type of `vast_api::types`, by name: its shape (fields or variants with their Rust types).
    pub types: BTreeMap<String, String>,
    #[serde(default)]
    pub aliases: Aliases,
}

/// Which spec the API was generated from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecInfo {
    /// `info.version`.
    pub version: String,
    /// When the vendor published it (`--spec-date`; otherwise the day it was first generated).
    pub date: String,
    /// The first 12 hex digits of the SHA-256 of the spec file: the same spec, the same date.
    pub sha256: String,
}

impl SpecInfo {
    /// `1.0.0 of 2026-08-07`, how notes and reports name a spec.
    pub fn label(&self) -> String {
        format!("{} of {}", self.version, self.date)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operation {
    /// The method on `Client`.
    pub method: String,
    /// Its builder, `builder::<name>`.
    pub builder: String,
    /// By name: `{in, required, type}`.
    pub parameters: BTreeMap<String, Parameter>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<Body>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<Body>,
    /// The `Error<E>` of `send()` (`()` when no error body is documented).
    pub error: String,
    /// The documented error bodies' schemas.
    #[serde(skip_serializing_if = "BTreeSet::is_empty", default)]
    pub error_schemas: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parameter {
    #[serde(rename = "in")]
    pub location: String,
    pub required: bool,
    /// The schema, as `describe` writes it (`integer`, `string | null`, `array<string>`, `Name`).
    #[serde(rename = "type")]
    pub ty: String,
}

/// A request or success body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Body {
    /// Its Rust type (`types::ShowInstanceResponse`, `ByteStream`).
    pub rust: String,
    /// The schema, described.
    pub schema: String,
    /// Its fields when the schema is an inline object (a component's are under `schemas`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub fields: BTreeMap<String, Field>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    /// The generated type's name.
    pub rust: String,
    /// The schema described (its fields too, for an object).
    pub shape: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub fields: BTreeMap<String, Field>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    #[serde(rename = "type")]
    pub ty: String,
    pub required: bool,
}

/// Old names kept, deprecated, for names a spec changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Aliases {
    /// Old method name -> the alias.
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub methods: BTreeMap<String, Alias>,
    /// Old type name (in `types`) -> the alias.
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub types: BTreeMap<String, Alias>,
}

impl Aliases {
    pub fn is_empty(&self) -> bool {
        self.methods.is_empty() && self.types.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alias {
    /// The current name it stands for.
    pub to: String,
    /// The spec that renamed it (`SpecInfo::label`).
    pub since: String,
    /// For a method: the old name of its builder, kept as a type alias too when free.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub builder: Option<String>,
}

/// Reads a committed record; `Ok(None)` when there is none.
pub fn load(path: &std::path::Path) -> Result<Option<Api>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let de = &mut serde_json::Deserializer::from_str(&text);
    let api = serde_path_to_error::deserialize(de)
        .with_context(|| format!("{}: not an API record", path.display()))?;
    Ok(Some(api))
}

/// The record's text: pretty JSON, keys sorted (every map is a `BTreeMap`), newline-terminated.
pub fn to_json(api: &Api) -> Result<String> {
    Ok(serde_json::to_string_pretty(api)? + "\n")
}

/// The first 12 hex digits of the SHA-256 of `bytes`.
pub fn sha256_prefix(bytes: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    digest[..6].iter().map(|b| format!("{b:02x}")).collect()
}

/// Today's date (UTC), `YYYY-MM-DD`.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_date(i64::try_from(secs / 86_400).unwrap_or(0))
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// `"POST /api/v0/x/{id}"`: the key of an operation, its path's trailing slash removed.
pub fn operation_key(method: &str, path: &str) -> String {
    let trimmed = path.trim_end_matches('/');
    let path = if trimmed.is_empty() { "/" } else { trimmed };
    format!("{} {path}", method.to_uppercase())
}

/// The API of a generation: shapes from `corrected` (the spec as published, corrected), method
/// names from `normalized` (what progenitor was given) and Rust names from the client source.
pub fn build(
    corrected: &Value,
    normalized: &Value,
    client_source: &str,
    spec: SpecInfo,
) -> Result<Api> {
    let client: syn::File =
        syn::parse_file(client_source).context("the generated client does not parse")?;
    let rust = RustIndex::new(&client);
    let strict = corrected
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.1"));
    let describer = Describer {
        doc: corrected,
        strict,
    };
    let mut operations = BTreeMap::new();
    for (path, method, op) in each_operation(normalized) {
        let Some(id) = op.get("operationId").and_then(Value::as_str) else {
            continue;
        };
        let key = operation_key(method, path);
        let Some(builder) = rust.methods.get(id) else {
            continue;
        };
        let source = find_operation(corrected, &key);
        let builder_fields = rust.builder_fields.get(builder);
        let (ok, err) = rust
            .send_types
            .get(builder)
            .cloned()
            .unwrap_or_else(|| ("()".to_owned(), "()".to_owned()));
        let mut operation = Operation {
            method: id.to_owned(),
            builder: builder.clone(),
            error: err,
            ..Operation::default()
        };
        if let Some((path_item, source)) = source {
            operation.parameters = describer.parameters(path_item, source);
            let body_rust = builder_fields
                .and_then(|f| f.get("body"))
                .cloned()
                .unwrap_or_default();
            operation.request = source
                .pointer("/requestBody")
                .map(|b| describer.resolve(b))
                .and_then(|b| describer.media_schema(b))
                .map(|schema| describer.body(schema, body_rust));
            let responses = source.get("responses").and_then(Value::as_object);
            for (status, response) in responses.into_iter().flatten() {
                let response = describer.resolve(response);
                let schema = describer.media_schema(response);
                if status.starts_with('2') {
                    if operation.response.is_none() {
                        operation.response = Some(match schema {
                            Some(schema) => describer.body(schema, ok.clone()),
                            None => Body {
                                rust: ok.clone(),
                                schema: "none".to_owned(),
                                fields: BTreeMap::new(),
                            },
                        });
                    }
                } else if let Some(schema) = schema {
                    operation
                        .error_schemas
                        .insert(describer.describe(schema, 0));
                }
            }
        }
        operations.insert(key, operation);
    }
    let mut schemas = BTreeMap::new();
    let components = corrected
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    for (name, schema) in components.into_iter().flatten() {
        schemas.insert(
            name.clone(),
            Schema {
                rust: crate::schemas_module::component_type_name(name),
                shape: describer.describe(schema, 0),
                fields: describer.fields(schema),
            },
        );
    }
    Ok(Api {
        spec,
        operations,
        schemas,
        types: rust.types,
        aliases: Aliases::default(),
    })
}

fn each_operation(doc: &Value) -> impl Iterator<Item = (&str, &str, &Value)> {
    doc.get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .flat_map(|(path, item)| {
            item.as_object()
                .into_iter()
                .flatten()
                .filter(|(method, _)| crate::normalize::is_http_method(method))
                .map(move |(method, op)| (path.as_str(), method.as_str(), op))
        })
}

/// The path item and operation of `key` in `doc`.
fn find_operation<'a>(doc: &'a Value, key: &str) -> Option<(&'a Value, &'a Value)> {
    let paths = doc.get("paths")?.as_object()?;
    paths.iter().find_map(|(path, item)| {
        let item_map = item.as_object()?;
        item_map.iter().find_map(|(method, op)| {
            (crate::normalize::is_http_method(method) && operation_key(method, path) == key)
                .then_some((item, op))
        })
    })
}

/// Describes schemas in one line, the way the report compares them: the type with `| null` when
/// nullable, `$ref`s by name, inline objects by their fields. Descriptions, examples and other
/// docs are left out, so a docs-only change describes the same.
struct Describer<'a> {
    doc: &'a Value,
    /// OpenAPI 3.1: `nullable` is not a keyword there (only `type: [T, "null"]` and null branches).
    strict: bool,
}

const MAX_DEPTH: usize = 6;

impl Describer<'_> {
    fn resolve<'v>(&'v self, value: &'v Value) -> &'v Value {
        let mut value = value;
        for _ in 0..8 {
            let Some(target) = value.get("$ref").and_then(Value::as_str) else {
                break;
            };
            match target.strip_prefix('#').and_then(|p| self.doc.pointer(p)) {
                Some(found) => value = found,
                None => break,
            }
        }
        value
    }

    fn parameters(&self, path_item: &Value, op: &Value) -> BTreeMap<String, Parameter> {
        let mut out = BTreeMap::new();
        for list in [path_item.get("parameters"), op.get("parameters")] {
            for param in list.and_then(Value::as_array).into_iter().flatten() {
                let param = self.resolve(param);
                let Some(name) = param.get("name").and_then(Value::as_str) else {
                    continue;
                };
                let location = param.get("in").and_then(Value::as_str).unwrap_or("?");
                let schema = param
                    .get("schema")
                    .or_else(|| self.media_schema(param))
                    .map_or_else(|| "string".to_owned(), |s| self.describe(s, 0));
                out.insert(
                    name.to_owned(),
                    Parameter {
                        location: location.to_owned(),
                        required: param.get("required").and_then(Value::as_bool) == Some(true)
                            || location == "path",
                        ty: schema,
                    },
                );
            }
        }
        out
    }

    /// The schema of the JSON media type of a body (else the first media type's).
    fn media_schema<'v>(&self, holder: &'v Value) -> Option<&'v Value> {
        let content = holder.get("content")?.as_object()?;
        let (_, media) = content
            .iter()
            .find(|(t, _)| crate::normalize::is_json_media_type(t))
            .or_else(|| content.iter().next())?;
        Some(media.get("schema").unwrap_or(&Value::Null))
    }

    fn body(&self, schema: &Value, rust: String) -> Body {
        let inline = schema.get("$ref").is_none();
        Body {
            rust,
            schema: self.describe(schema, 0),
            fields: if inline {
                self.fields(schema)
            } else {
                BTreeMap::new()
            },
        }
    }

    /// The properties of an object schema, its `allOf` members' included.
    fn fields(&self, schema: &Value) -> BTreeMap<String, Field> {
        let mut out = BTreeMap::new();
        self.collect_fields(schema, 0, &mut out);
        out
    }

    fn collect_fields(&self, schema: &Value, depth: usize, out: &mut BTreeMap<String, Field>) {
        if depth > MAX_DEPTH {
            return;
        }
        let schema = self.resolve(schema);
        let required: BTreeSet<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        for (name, property) in schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            out.insert(
                name.clone(),
                Field {
                    ty: self.describe(property, depth + 1),
                    required: required.contains(name.as_str()),
                },
            );
        }
        for member in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            self.collect_fields(member, depth + 1, out);
        }
    }

    fn describe(&self, schema: &Value, depth: usize) -> String {
        if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
            return target.rsplit('/').next().unwrap_or(target).to_owned();
        }
        let Some(map) = schema.as_object() else {
            return if schema == &Value::Bool(false) {
                "never".to_owned()
            } else {
                "any".to_owned()
            };
        };
        if depth > MAX_DEPTH {
            return "…".to_owned();
        }
        let mut nullable = !self.strict && map.get("nullable") == Some(&Value::Bool(true));
        let mut types: Vec<String> = match map.get("type") {
            Some(Value::String(t)) => vec![t.clone()],
            Some(Value::Array(list)) => list
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            _ => Vec::new(),
        };
        if types.iter().any(|t| t == "null") {
            nullable = true;
            types.retain(|t| t != "null");
        }
        let mut base = if let Some(list) = map.get("allOf").and_then(Value::as_array) {
            let parts: Vec<String> = list.iter().map(|s| self.describe(s, depth + 1)).collect();
            if parts.len() == 1 {
                parts.into_iter().next().unwrap_or_default()
            } else {
                format!("allOf({})", parts.join(", "))
            }
        } else if let Some((word, list)) = ["anyOf", "oneOf"]
            .iter()
            .find_map(|k| Some((*k, map.get(*k)?.as_array()?)))
        {
            let mut parts = Vec::new();
            for branch in list {
                if branch.get("type").and_then(Value::as_str) == Some("null") {
                    nullable = true;
                } else {
                    parts.push(self.describe(branch, depth + 1));
                }
            }
            if parts.len() == 1 {
                parts.into_iter().next().unwrap_or_default()
            } else {
                format!("{word}({})", parts.join(", "))
            }
        } else if let Some(value) = map.get("const") {
            format!("const {value}")
        } else if types.is_empty() {
            if map.contains_key("properties") {
                self.object(map, depth)
            } else {
                "any".to_owned()
            }
        } else {
            let parts: Vec<String> = types.iter().map(|t| self.typed(t, map, depth)).collect();
            parts.join(" | ")
        };
        if let Some(values) = map.get("enum").and_then(Value::as_array) {
            let values: Vec<String> = values
                .iter()
                .filter(|v| !v.is_null())
                .map(Value::to_string)
                .collect();
            if map
                .get("enum")
                .and_then(Value::as_array)
                .is_some_and(|v| v.iter().any(Value::is_null))
            {
                nullable = true;
            }
            base = format!("{base} enum[{}]", values.join(", "));
        }
        if nullable {
            base.push_str(" | null");
        }
        base
    }

    fn typed(&self, ty: &str, map: &serde_json::Map<String, Value>, depth: usize) -> String {
        match ty {
            "array" => format!(
                "array<{}>",
                map.get("items")
                    .map_or_else(|| "any".to_owned(), |i| self.describe(i, depth + 1))
            ),
            "object" => self.object(map, depth),
            "integer" | "number" => match map.get("format").and_then(Value::as_str) {
                Some(format) => format!("{ty}({format})"),
                None => ty.to_owned(),
            },
            other => other.to_owned(),
        }
    }

    fn object(&self, map: &serde_json::Map<String, Value>, depth: usize) -> String {
        let required: BTreeSet<&str> = map
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let properties: Vec<String> = map
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(name, property)| {
                let mark = if required.contains(name.as_str()) {
                    ""
                } else {
                    "?"
                };
                format!("{name}{mark}: {}", self.describe(property, depth + 1))
            })
            .collect();
        match map.get("additionalProperties") {
            Some(extra) if extra.is_object() && properties.is_empty() => {
                format!("map<{}>", self.describe(extra, depth + 1))
            }
            _ if properties.is_empty() => "object".to_owned(),
            _ => format!("{{{}}}", properties.join(", ")),
        }
    }
}

/// What the generated client names: methods and their builders, builders' fields and `send()`
/// types, and every type's shape.
struct RustIndex {
    /// Method on `Client` -> its builder.
    methods: BTreeMap<String, String>,
    /// Builder -> field -> Rust type of the value.
    builder_fields: BTreeMap<String, BTreeMap<String, String>>,
    /// Builder -> (success type, error type) of `send()`.
    send_types: BTreeMap<String, (String, String)>,
    types: BTreeMap<String, String>,
}

impl RustIndex {
    fn new(file: &syn::File) -> Self {
        let mut index = RustIndex {
            methods: BTreeMap::new(),
            builder_fields: BTreeMap::new(),
            send_types: BTreeMap::new(),
            types: BTreeMap::new(),
        };
        for item in &file.items {
            match item {
                syn::Item::Impl(imp) if type_name(&imp.self_ty).as_deref() == Some("Client") => {
                    for item in &imp.items {
                        let syn::ImplItem::Fn(f) = item else { continue };
                        let output = tokens(&f.sig.output);
                        if let Some(builder) = output
                            .strip_prefix("->builder::")
                            .and_then(|b| b.strip_suffix("<'_>"))
                        {
                            index
                                .methods
                                .insert(f.sig.ident.to_string(), builder.to_owned());
                        }
                    }
                }
                syn::Item::Mod(m) if m.ident == "builder" => index.builders(m),
                syn::Item::Mod(m) if m.ident == "types" => index.types(m),
                _ => {}
            }
        }
        index
    }

    fn builders(&mut self, module: &syn::ItemMod) {
        for item in module.content.iter().flat_map(|(_, items)| items) {
            match item {
                syn::Item::Struct(s) => {
                    let fields = s
                        .fields
                        .iter()
                        .filter_map(|f| {
                            let ty = tokens(&f.ty);
                            let inner = ty.strip_prefix("Result<")?.strip_suffix(",String>")?;
                            Some((f.ident.as_ref()?.to_string(), compact(inner)))
                        })
                        .collect();
                    self.builder_fields.insert(s.ident.to_string(), fields);
                }
                syn::Item::Impl(imp) => {
                    let Some(name) = type_name(&imp.self_ty) else {
                        continue;
                    };
                    for item in &imp.items {
                        let syn::ImplItem::Fn(f) = item else { continue };
                        if f.sig.ident != "send" {
                            continue;
                        }
                        let output = tokens(&f.sig.output).replace(",>", ">");
                        let ok = between(&output, "ResponseValue<", ">,Error<");
                        let err = output
                            .rsplit_once("Error<")
                            .and_then(|(_, e)| e.strip_suffix(">>"));
                        if let (Some(ok), Some(err)) = (ok, err) {
                            self.send_types
                                .insert(name.clone(), (compact(ok), compact(err)));
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn types(&mut self, module: &syn::ItemMod) {
        for item in module.content.iter().flat_map(|(_, items)| items) {
            let (name, shape) = match item {
                syn::Item::Struct(s) => (s.ident.to_string(), struct_shape(&s.fields)),
                syn::Item::Enum(e) => {
                    let variants: Vec<String> = e
                        .variants
                        .iter()
                        .map(|v| {
                            let name =
                                serde_rename(&v.attrs).unwrap_or_else(|| v.ident.to_string());
                            match &v.fields {
                                syn::Fields::Unit => name,
                                fields => format!("{name}{}", struct_shape(fields)),
                            }
                        })
                        .collect();
                    (
                        e.ident.to_string(),
                        format!("enum{{{}}}", variants.join(",")),
                    )
                }
                syn::Item::Type(t) => (
                    t.ident.to_string(),
                    format!("= {}", compact(&tokens(&t.ty))),
                ),
                _ => continue,
            };
            self.types.insert(name, shape);
        }
    }
}

fn struct_shape(fields: &syn::Fields) -> String {
    match fields {
        syn::Fields::Named(named) => {
            let fields: Vec<String> = named
                .named
                .iter()
                .map(|f| {
                    let name = serde_rename(&f.attrs).unwrap_or_else(|| {
                        f.ident
                            .as_ref()
                            .map(|i| i.to_string().trim_start_matches("r#").to_owned())
                            .unwrap_or_default()
                    });
                    format!("{name}:{}", compact(&tokens(&f.ty)))
                })
                .collect();
            format!("{{{}}}", fields.join(","))
        }
        syn::Fields::Unnamed(unnamed) => {
            let fields: Vec<String> = unnamed
                .unnamed
                .iter()
                .map(|f| compact(&tokens(&f.ty)))
                .collect();
            format!("({})", fields.join(","))
        }
        syn::Fields::Unit => String::new(),
    }
}

/// `#[serde(rename = "x")]`'s `x`.
fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().find_map(|attr| {
        if !attr.path().is_ident("serde") {
            return None;
        }
        let text = tokens(&attr.meta);
        let rest = text.split_once("rename=\"")?.1;
        Some(rest.split_once('"')?.0.to_owned())
    })
}

fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn tokens(node: &impl ToTokens) -> String {
    node.to_token_stream().to_string().replace(' ', "")
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let to = text[from..].find(end)? + from;
    Some(&text[from..to])
}

/// A Rust type as a user writes it: `Option<String>` for `::std::option::Option<::std::string::String>`.
pub fn compact(ty: &str) -> String {
    let mut text = ty.replace(' ', "");
    for prefix in [
        "::std::option::",
        "::std::string::",
        "::std::vec::",
        "::std::collections::",
        "::std::boxed::",
        "::std::",
        "::serde_json::",
        "serde_json::",
        "::vast_api::",
        "crate::",
        "super::",
        "types::builder::",
        "types::",
    ] {
        text = text.replace(prefix, "");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_drop_the_trailing_slash() {
        assert_eq!(
            operation_key("post", "/api/v0/webhooks/{id}/rotate-secret/"),
            "POST /api/v0/webhooks/{id}/rotate-secret"
        );
        assert_eq!(operation_key("get", "/"), "GET /");
    }

    #[test]
    fn describes_nullability_by_the_documents_dialect() {
        let doc31 = json!({"openapi": "3.1.0"});
        let strict = Describer {
            doc: &doc31,
            strict: true,
        };
        // `nullable` is no keyword of 3.1: a 3.1 spec writing it says nothing.
        assert_eq!(
            strict.describe(&json!({"type": "string", "nullable": true}), 0),
            "string"
        );
        assert_eq!(
            strict.describe(&json!({"type": ["string", "null"], "example": "x"}), 0),
            "string | null"
        );
        let loose = Describer {
            doc: &doc31,
            strict: false,
        };
        assert_eq!(
            loose.describe(&json!({"type": "string", "nullable": true}), 0),
            "string | null"
        );
        assert_eq!(
            strict.describe(
                &json!({"type": "object", "required": ["a"], "properties": {
                    "a": {"type": "integer", "format": "int32", "description": "docs are left out"},
                    "b": {"type": "array", "items": {"$ref": "#/components/schemas/T"}}}}),
                0
            ),
            "{a: integer(int32), b?: array<T>}"
        );
    }

    #[test]
    fn dates_from_day_counts() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(20_672), "2026-08-07");
        assert_eq!(civil_date(11_016), "2000-02-29");
    }

    #[test]
    fn compacts_rust_paths() {
        assert_eq!(
            compact(":: std :: option :: Option < :: std :: vec :: Vec < super :: Offer > >"),
            "Option<Vec<Offer>>"
        );
    }
}
