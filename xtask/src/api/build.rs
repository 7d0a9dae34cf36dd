//! Building the record of a generation from its spec (shapes, method names) and its client
//! source (Rust names).

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use serde_json::Value;

use super::describe::Describer;
use super::rust_index::RustIndex;
use super::{Aliases, Api, Body, Operation, Schema, SpecInfo, operation_key};
use crate::normalize::operations;

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
    let describer = Describer::of(corrected);
    // The first operation of each key, as the corrected spec lists them.
    let mut sources = BTreeMap::new();
    for op in operations(corrected) {
        sources
            .entry(operation_key(op.method, op.path))
            .or_insert(op);
    }
    let mut operations_by_key = BTreeMap::new();
    for normalized_op in operations(normalized) {
        let Some(id) = normalized_op
            .operation
            .get("operationId")
            .and_then(Value::as_str)
        else {
            continue;
        };
        let key = operation_key(normalized_op.method, normalized_op.path);
        let Some(builder) = rust.methods.get(id) else {
            continue;
        };
        let source = sources.get(&key);
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
        if let Some(source) = source {
            operation.parameters = describer.parameters(source);
            let body_rust = builder_fields
                .and_then(|f| f.get("body"))
                .cloned()
                .unwrap_or_default();
            operation.request = source
                .operation
                .pointer("/requestBody")
                .map(|b| describer.resolve(b))
                .and_then(|b| describer.media_schema(b))
                .map(|schema| describer.body(schema, body_rust));
            let responses = source.operation.get("responses").and_then(Value::as_object);
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
        operations_by_key.insert(key, operation);
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
        operations: operations_by_key,
        schemas,
        types: rust.types,
        aliases: Aliases::default(),
    })
}
