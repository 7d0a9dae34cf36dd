//! Notes a rule adds to a description, so what it drops or rewrites stays said in the generated docs.

use serde_json::Value;

/// Adds `note` as a paragraph of its own after the schema's description (or as the description):
/// what a rule drops or rewrites stays said in the generated docs.
pub fn append_description(map: &mut serde_json::Map<String, Value>, note: &str) {
    let joined = match map.get("description").and_then(Value::as_str) {
        Some(d) if !d.trim().is_empty() => format!("{}\n\n{note}", d.trim_end()),
        _ => note.to_owned(),
    };
    map.insert("description".into(), Value::String(joined));
}
