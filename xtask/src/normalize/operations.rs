//! What an operation of a spec is: which path item keys are HTTP methods, in which order.

use serde_json::{Map, Value};

use crate::pointer::push;

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

    /// Its JSON pointer (`/paths/~1instances/get`).
    pub fn pointer(&self) -> String {
        push(&push("/paths", self.path), self.method)
    }

    /// Its parameters: the path item's, then its own, as declared (`$ref`s not followed).
    pub fn parameters(&self) -> impl Iterator<Item = &'a Value> + use<'a> {
        [self.path_item, self.operation]
            .into_iter()
            .filter_map(|v| v.get("parameters").and_then(Value::as_array))
            .flatten()
    }
}

/// The keys of a path item that are operations, in the order the normaliser's rules visit (and
/// report) them. The generated files list operations in the spec's own order instead
/// ([`operations`]); each order is part of the output, so they stay apart.
pub const HTTP_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Every operation of `spec`, in document order (the order of the generated files).
pub fn operations(spec: &Value) -> impl Iterator<Item = SpecOperation<'_>> {
    path_items(spec).flat_map(|(path, item, map)| {
        map.iter()
            .filter(|(key, _)| is_http_method(key))
            .map(move |(method, operation)| SpecOperation {
                path,
                method,
                path_item: item,
                operation,
            })
    })
}

/// Every operation of `spec` in the rules' order: paths in document order, each path's
/// methods in [`HTTP_METHODS`] order.
pub fn operations_in_method_order(spec: &Value) -> impl Iterator<Item = SpecOperation<'_>> {
    path_items(spec).flat_map(|(path, item, map)| {
        item_operations(map).map(move |(method, operation)| SpecOperation {
            path,
            method,
            path_item: item,
            operation,
        })
    })
}

/// [`operations_in_method_order`], to change them.
pub fn operations_in_method_order_mut(doc: &mut Value) -> impl Iterator<Item = &mut Value> {
    path_items_mut(doc)
        .flat_map(|(_, item)| item_operations_mut(item).map(|(_, operation)| operation))
}

/// The operations of one path item, in [`HTTP_METHODS`] order.
pub fn item_operations(item: &Map<String, Value>) -> impl Iterator<Item = (&'static str, &Value)> {
    HTTP_METHODS
        .iter()
        .filter_map(move |method| Some((*method, item.get(*method)?)))
}

/// [`item_operations`], to change them.
pub fn item_operations_mut(
    item: &mut Map<String, Value>,
) -> impl Iterator<Item = (&'static str, &mut Value)> {
    let mut found: Vec<(&'static str, &mut Value)> = item
        .iter_mut()
        .filter_map(|(key, operation)| {
            let method = HTTP_METHODS.iter().find(|m| **m == key.as_str())?;
            Some((*method, operation))
        })
        .collect();
    found.sort_by_key(|(method, _)| HTTP_METHODS.iter().position(|m| m == method));
    found.into_iter()
}

/// The path items of `spec` that are objects: path, item, and the item as a map.
fn path_items(spec: &Value) -> impl Iterator<Item = (&str, &Value, &Map<String, Value>)> {
    spec.get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(path, item)| Some((path.as_str(), item, item.as_object()?)))
}

/// The path items of `doc` that are objects, with their paths, to change them.
pub fn path_items_mut(doc: &mut Value) -> impl Iterator<Item = (&str, &mut Map<String, Value>)> {
    doc.get_mut("paths")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flatten()
        .filter_map(|(path, item)| Some((path.as_str(), item.as_object_mut()?)))
}

/// Whether a path item key is an operation (rather than `parameters`, `summary`...).
pub fn is_http_method(key: &str) -> bool {
    HTTP_METHODS.contains(&key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_two_orders_differ_only_within_a_path() {
        let mut doc = json!({"paths": {
            "/b": {"post": {}, "parameters": [], "get": {}},
            "/a": {"delete": {}, "put": {}},
            "/c": 5}});
        let listed = |ops: Vec<(&str, &str)>| {
            ops.into_iter()
                .map(|(p, m)| format!("{m} {p}"))
                .collect::<Vec<_>>()
        };
        let document = listed(operations(&doc).map(|o| (o.path, o.method)).collect());
        assert_eq!(document, ["post /b", "get /b", "delete /a", "put /a"]);
        let by_method = listed(
            operations_in_method_order(&doc)
                .map(|o| (o.path, o.method))
                .collect(),
        );
        assert_eq!(by_method, ["get /b", "post /b", "put /a", "delete /a"]);
        for (i, operation) in operations_in_method_order_mut(&mut doc).enumerate() {
            *operation = json!(i);
        }
        let changed: Vec<&Value> = [
            ("/b", "get"),
            ("/b", "post"),
            ("/a", "put"),
            ("/a", "delete"),
        ]
        .into_iter()
        .map(|(path, method)| &doc["paths"][path][method])
        .collect();
        assert_eq!(changed, [&json!(0), &json!(1), &json!(2), &json!(3)]);
    }
}
