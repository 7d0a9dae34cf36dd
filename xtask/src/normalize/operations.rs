//! What an operation of a spec is: which path item keys are HTTP methods, in which order.

use serde_json::Value;

use super::walk;

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
