//! The variant of the normalised document progenitor's httpmock generator is given.

use serde_json::{Value, json};

use super::schemas::{Shape, shape};
use crate::normalize::operations::operations_in_method_order_mut;

/// The normalised document as progenitor's httpmock generator needs it: its helpers match every
/// parameter on `value.to_string()`, which lists and maps do not have. A list parameter's helper
/// takes the text of one item instead (`?order=a&order=b` matches `a` or `b`); a map parameter
/// is form-exploded, so its name never reaches the wire, and gets no helper (match its keys
/// through `into_inner()`). The client is generated from the unchanged document.
pub fn for_mocks(doc: &Value) -> Value {
    let mut out = doc.clone();
    for op in operations_in_method_order_mut(&mut out) {
        let Some(Value::Array(params)) = op.get_mut("parameters") else {
            continue;
        };
        params.retain_mut(|param| {
            let schema = param.get("schema").cloned().unwrap_or(Value::Null);
            match shape(&schema, doc) {
                Shape::Map => false,
                Shape::Array => {
                    if let Value::Object(param) = param {
                        param.insert("schema".into(), json!({"type": "string"}));
                    }
                    true
                }
                Shape::Other => true,
            }
        });
    }
    out
}
