//! Gives each operation one success body type and one error body type, as progenitor requires.
//!
//! progenitor asserts that all success responses (2xx and `default`) share one body type, and
//! likewise all error responses (4xx, 5xx and `default`). Real specs document different error
//! bodies per status. Differing JSON bodies are merged into one named schema holding every
//! documented property, so no field is lost; bodies of other kinds are made uniform.

mod bodies;
mod merge;
mod status_codes;

use anyhow::Result;
use serde_json::{Map, Value, json};

use super::media::is_json;
use super::operations::operations_in_method_order;
use crate::diagnostics::Diagnostics;
use crate::pointer::{self, push};
use bodies::{name_inline_errors, unify_class};
use status_codes::{drop_raw_errors, fix_status_codes, fold_into_ranges, split_default};

/// The body of a response, as progenitor classifies it.
#[derive(Debug, Clone, PartialEq)]
enum Body {
    Json(Value),
    Raw,
    Empty,
}

#[derive(Clone, Copy, PartialEq)]
enum Class {
    Success,
    Error,
}

impl Class {
    fn suffix(self) -> &'static str {
        match self {
            Class::Success => "Response",
            Class::Error => "Error",
        }
    }

    fn contains(self, code: &str) -> bool {
        match self {
            Class::Success => {
                code == "default"
                    || code == "101"
                    || code == "2XX"
                    || code.starts_with('2') && code.len() == 3
            }
            Class::Error => {
                code == "default"
                    || code == "4XX"
                    || code == "5XX"
                    || (code.starts_with('4') || code.starts_with('5')) && code.len() == 3
            }
        }
    }
}

pub fn unify(doc: &mut Value, diags: &mut Diagnostics) -> Result<()> {
    let operations: Vec<(String, String)> = operations_in_method_order(doc)
        .map(|op| (op.pointer(), op.id().to_owned()))
        .collect();
    for (op_ptr, operation_id) in operations {
        let responses_ptr = push(&op_ptr, "responses");
        let Some(Value::Object(responses)) = doc.pointer(&responses_ptr).cloned() else {
            continue;
        };
        let mut responses = inline_responses(doc, responses);
        fix_status_codes(&mut responses, &responses_ptr, diags);
        split_default(&mut responses, &responses_ptr, diags);
        drop_raw_errors(&mut responses, &responses_ptr, diags);
        for class in [Class::Success, Class::Error] {
            unify_class(
                doc,
                &mut responses,
                class,
                &operation_id,
                &responses_ptr,
                diags,
            );
        }
        fold_into_ranges(&mut responses, &responses_ptr, diags);
        name_inline_errors(doc, &mut responses, &operation_id);
        if let Some(slot) = doc.pointer_mut(&responses_ptr) {
            *slot = Value::Object(responses);
        }
    }
    Ok(())
}

/// Replaces `$ref`ed responses by copies so that each operation can be changed on its own.
fn inline_responses(doc: &Value, responses: Map<String, Value>) -> Map<String, Value> {
    responses
        .into_iter()
        .map(|(code, r)| (code, pointer::inlined(doc, r)))
        .collect()
}

/// A response's body, as progenitor types it.
fn body_of(response: &Value) -> Body {
    match response.get("content") {
        Some(Value::Object(content)) if !content.is_empty() => content
            .iter()
            .find(|(mt, _)| is_json(mt))
            .map(|(_, mt)| Body::Json(mt.get("schema").cloned().unwrap_or_else(|| json!({}))))
            .unwrap_or(Body::Raw),
        _ => Body::Empty,
    }
}

#[cfg(test)]
mod tests;
