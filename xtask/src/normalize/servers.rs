//! Reports `servers` overrides on paths and operations, which progenitor ignores.
//!
//! progenitor sends every request to the `Client`'s base URL, so an operation documented on
//! another host (Vast's serverless router, `https://run.vast.ai`) reaches it only through a
//! `Client` created with that URL. The override stays in the document; the warning says so.

use serde_json::Value;

use super::walk::HTTP_METHODS;
use crate::diagnostics::Diagnostics;
use crate::pointer::push;

pub fn report_overrides(doc: &Value, diags: &mut Diagnostics) {
    let root = urls(doc.get("servers"));
    let Some(Value::Object(paths)) = doc.get("paths") else {
        return;
    };
    for (path, item) in paths {
        let item_ptr = push("/paths", path);
        let inherited = match urls(item.get("servers")) {
            own if own.is_empty() => root.clone(),
            own => {
                warn_if_different(&own, &root, &push(&item_ptr, "servers"), diags);
                own
            }
        };
        for method in HTTP_METHODS {
            let Some(op) = item.get(method) else { continue };
            let own = urls(op.get("servers"));
            if !own.is_empty() {
                let at = push(&push(&item_ptr, method), "servers");
                warn_if_different(&own, &inherited, &at, diags);
            }
        }
    }
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
                "ignored by the generated client, which sends requests to its base URL: create a `Client` with `{url}` to call this"
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
        let mut diags = Diagnostics::default();
        report_overrides(&doc, &mut diags);
        assert!(diags.contains("/paths/~1route~1/post/servers", "https://run.vast.ai"));
        assert!(diags.contains("/paths/~1logs~1/servers", "base URL"));
        // The operation repeats its path's override: one warning (on the path) is enough.
        assert_eq!(diags.warnings().len(), 2, "{:?}", diags.warnings());
    }
}
