//! Finds the operations documented on another server than the spec's own (`servers` on a path
//! or an operation) and marks each with [`SERVER_EXTENSION`].
//!
//! progenitor sends every request to the `Client`'s base URL; the generator then sends a marked
//! operation to its own server instead (Vast's serverless router, `https://run.vast.ai`), which
//! `ClientBuilder::server_url` can point elsewhere.

use anyhow::Result;
use serde_json::Value;

use super::operations::{item_operations_mut, path_items_mut};
use crate::diagnostics::Diagnostics;
use crate::pointer::push;

/// The operation extension naming the server an operation is sent to.
pub const SERVER_EXTENSION: &str = "x-vast-server-url";

pub fn mark_overrides(doc: &mut Value, diags: &mut Diagnostics) -> Result<()> {
    let root = urls(doc.get("servers"));
    for (path, item) in path_items_mut(doc) {
        let item_ptr = push("/paths", path);
        let inherited = match urls(item.get("servers")) {
            own if own.is_empty() => root.clone(),
            own => {
                warn_if_different(&own, &root, &push(&item_ptr, "servers"), diags);
                own
            }
        };
        for (method, op) in item_operations_mut(item) {
            let Value::Object(op) = op else { continue };
            let own = urls(op.get("servers"));
            let effective = if own.is_empty() {
                &inherited
            } else {
                let at = push(&push(&item_ptr, method), "servers");
                warn_if_different(&own, &inherited, &at, diags);
                &own
            };
            if let Some(url) = effective.first()
                && *effective != root
            {
                op.insert(SERVER_EXTENSION.to_owned(), Value::String(url.clone()));
            }
        }
    }
    Ok(())
}

fn urls(servers: Option<&Value>) -> Vec<String> {
    servers
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|s| s.get("url").and_then(Value::as_str).map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn warn_if_different(own: &[String], outer: &[String], pointer: &str, diags: &mut Diagnostics) {
    if let Some(url) = own.first()
        && own != outer
    {
        diags.warn(
            pointer,
            format!(
                "sent to `{url}`, not to the client's base URL (`ClientBuilder::server_url` points it elsewhere)"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn path_and_operation_overrides_are_reported_where_they_differ() {
        let doc = json!({"servers": [{"url": "https://console.vast.ai"}], "paths": {
            "/route/": {"post": {"servers": [{"url": "https://run.vast.ai"}]}},
            "/logs/": {"servers": [{"url": "https://run.vast.ai"}],
                       "post": {"servers": [{"url": "https://run.vast.ai"}]}},
            "/same/": {"get": {"servers": [{"url": "https://console.vast.ai"}]}},
            "/plain/": {"get": {}}
        }});
        let mut doc = doc;
        let mut diags = Diagnostics::default();
        mark_overrides(&mut doc, &mut diags).unwrap();
        let marked =
            |path: &str, method: &str| doc["paths"][path][method][SERVER_EXTENSION].clone();
        assert_eq!(marked("/route/", "post"), "https://run.vast.ai");
        assert_eq!(marked("/logs/", "post"), "https://run.vast.ai");
        assert_eq!(marked("/same/", "get"), Value::Null);
        assert_eq!(marked("/plain/", "get"), Value::Null);
        assert!(diags.contains("/paths/~1route~1/post/servers", "https://run.vast.ai"));
        assert!(diags.contains("/paths/~1logs~1/servers", "base URL"));
        // The operation repeats its path's override: one warning (on the path) is enough.
        assert_eq!(diags.warnings().len(), 2, "{:?}", diags.warnings());
    }
}
