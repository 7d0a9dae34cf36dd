//! Notes a rule adds to a description, so what it drops or rewrites stays said in the generated docs.

use serde_json::Value;

/// Adds `note` as a paragraph of its own after the schema's or parameter's description (or as
/// the description).
pub fn append_description(map: &mut serde_json::Map<String, Value>, note: &str) {
    let joined = match map.get("description").and_then(Value::as_str) {
        Some(d) if !d.trim().is_empty() => format!("{}\n\n{note}", d.trim_end()),
        _ => note.to_owned(),
    };
    map.insert("description".into(), Value::String(joined));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_note_is_one_paragraph_after_the_description() {
        let noted = |description: Value| {
            let mut map = serde_json::Map::new();
            map.insert("description".into(), description);
            append_description(&mut map, "Note.");
            map["description"].clone()
        };
        assert_eq!(noted(json!("Block text.\n")), "Block text.\n\nNote.");
        assert_eq!(noted(json!("  ")), "Note.");
        assert_eq!(noted(json!(5)), "Note.");
    }
}
