//! Turning a JSON request body into the generated body type without losing anything.
//!
//! The jobs build their bodies as JSON and convert them to the generated types, rather than
//! filling the generated structs field by field, for two reasons: the generated types change
//! when the spec does (a field becomes nullable, an enum gains a value), and the JSON form is
//! what the official client sends, so it is what the tests compare. The catch is that the
//! generated types ignore unknown fields, and their sub-objects unknown operators: `{"num_gpus":
//! {"gte": 4}}` deserialises into a `num_gpus` that only knows `in`, and the `gte` would vanish
//! from the request. So the typed body is serialised back and compared with the JSON: any
//! difference is an error naming the field, never a silently different request.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::JobError;

/// `json` as the generated body type `T`, or an error naming each field `T` would not carry
/// as given.
pub(crate) fn typed<T>(operation: &'static str, json: Map<String, Value>) -> Result<T, JobError>
where
    T: DeserializeOwned + Serialize,
{
    let json = Value::Object(json);
    let body: T = serde_json::from_value(json.clone()).map_err(|e| JobError::InvalidRequest {
        operation,
        detail: format!("the spec's request body does not accept it: {e}"),
    })?;
    let back = serde_json::to_value(&body).map_err(|e| JobError::InvalidRequest {
        operation,
        detail: format!("the request body cannot be serialised: {e}"),
    })?;
    let lost = differences(&json, &back);
    if lost.is_empty() {
        Ok(body)
    } else {
        Err(JobError::InvalidRequest {
            operation,
            detail: format!(
                "the spec's request body has no place for {} (the generated type would drop \
                 or change it)",
                lost.join(", ")
            ),
        })
    }
}

/// The fields of `sent` that do not survive as `back`, as `name = value` (or `name`), each
/// with the path into nested objects.
fn differences(sent: &Value, back: &Value) -> Vec<String> {
    let mut lost = Vec::new();
    diff("", sent, back, &mut lost);
    lost
}

fn diff(path: &str, sent: &Value, back: &Value, lost: &mut Vec<String>) {
    match (sent, back) {
        (Value::Object(sent), Value::Object(back)) => {
            for (key, value) in sent {
                let here = if path.is_empty() {
                    format!("`{key}`")
                } else {
                    format!("{}.{key}`", path.trim_end_matches('`'))
                };
                match back.get(key) {
                    Some(other) => diff(&here, value, other, lost),
                    None => lost.push(format!("{here} = {value}")),
                }
            }
            for key in back.keys().filter(|key| !sent.contains_key(*key)) {
                lost.push(format!("`{key}` (added by the generated type)"));
            }
        }
        (Value::Array(sent), Value::Array(back)) if sent.len() == back.len() => {
            for (s, b) in sent.iter().zip(back) {
                diff(path, s, b, lost);
            }
        }
        // `5` and `5.0` are the same to the server; the generated types pick one of them.
        (Value::Number(s), Value::Number(b)) if s.as_f64() == b.as_f64() => {}
        _ if sent == back => {}
        _ => lost.push(format!("{path} = {sent}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_compare_by_value_and_lost_operators_are_named() {
        assert!(differences(&json!({"a": 5}), &json!({"a": 5.0})).is_empty());
        assert_eq!(
            differences(&json!({"n": {"gte": 4}}), &json!({"n": {}})),
            ["`n.gte` = 4"]
        );
        assert_eq!(differences(&json!({"x": 1}), &json!({})), ["`x` = 1"]);
    }
}
