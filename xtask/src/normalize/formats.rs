//! Rewrites `format`s and `pattern`s that typify would turn into types the SDK cannot use.
//!
//! - `format: float` becomes `double`: typify maps `float` to `f32`, whose 24-bit mantissa
//!   loses Vast's float timestamps (1772490000 becomes 1772489984) and prices.
//! - `format: date-time`, `date` and `uuid` are dropped: typify maps them to `chrono` and `uuid`
//!   types, crates the SDK does not depend on, and a value the server writes differently
//!   (`2026-03-02 22:20:00`) would fail the whole response. They stay `String`s.
//! - `pattern` is dropped: typify validates it with the `regress` crate (not a dependency
//!   either), and a response should not fail to parse over a server-side rule.
//!
//! What is dropped is kept in the description, so the generated docs still say it.

use anyhow::Result;
use serde_json::{Value, json};

use super::{append_description, walk};
use crate::diagnostics::Diagnostics;

/// String formats typify maps to types from crates the SDK does not depend on.
const FOREIGN_STRING_FORMATS: [&str; 3] = ["date-time", "date", "uuid"];

pub fn rewrite(doc: &mut Value, _diags: &mut Diagnostics) -> Result<()> {
    walk::schemas(doc, &mut |schema, _| {
        let Value::Object(map) = schema else { return };
        let format = map
            .get("format")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if format == "float" {
            map.insert("format".into(), json!("double"));
        } else if FOREIGN_STRING_FORMATS.contains(&format) {
            let note = format!("Format: `{format}`.");
            map.shift_remove("format");
            append_description(map, &note);
        }
        if let Some(Value::String(pattern)) = map.shift_remove("pattern") {
            append_description(map, &format!("Pattern: `{pattern}`."));
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_format_becomes_double_everywhere() {
        let mut doc = json!({"components": {"schemas": {"T": {"type": "object", "properties": {
            "created_at": {"type": "number", "format": "float", "example": 1772490000},
            "n": {"type": "array", "items": {"type": "number", "format": "float"}},
            "i": {"type": "integer", "format": "int32"}
        }}}}});
        rewrite(&mut doc, &mut Diagnostics::default()).unwrap();
        let props = &doc["components"]["schemas"]["T"]["properties"];
        assert_eq!(props["created_at"]["format"], "double");
        assert_eq!(props["n"]["items"]["format"], "double");
        assert_eq!(props["i"]["format"], "int32");
    }

    #[test]
    fn foreign_formats_and_patterns_move_to_the_description() {
        let mut doc = json!({"components": {"schemas": {"T": {"type": "object", "properties": {
            "at": {"type": "string", "format": "date-time", "description": "When."},
            "id": {"type": "string", "format": "uuid"},
            "key": {"type": "string", "pattern": "^[A-Z_]+$"},
            "url": {"type": "string", "format": "uri"}
        }}}}});
        rewrite(&mut doc, &mut Diagnostics::default()).unwrap();
        let props = &doc["components"]["schemas"]["T"]["properties"];
        assert_eq!(
            props["at"],
            json!({"type": "string", "description": "When.\n\nFormat: `date-time`."})
        );
        assert_eq!(
            props["id"],
            json!({"type": "string", "description": "Format: `uuid`."})
        );
        assert_eq!(
            props["key"],
            json!({"type": "string", "description": "Pattern: `^[A-Z_]+$`."})
        );
        assert_eq!(props["url"], json!({"type": "string", "format": "uri"}));
    }

    #[test]
    fn generated_types_need_no_chrono_uuid_or_regress() {
        let mut doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {"T": {"type": "object", "properties": {
                "at": {"type": "string", "format": "date-time"},
                "day": {"type": "string", "format": "date"},
                "id": {"type": "string", "format": "uuid"},
                "key": {"type": "string", "pattern": "^[A-Z_]+$"}
        }}}}});
        rewrite(&mut doc, &mut Diagnostics::default()).unwrap();
        let spec: openapiv3::OpenAPI = serde_json::from_value(doc).unwrap();
        let code = progenitor::Generator::default()
            .generate_tokens(&spec)
            .unwrap()
            .to_string();
        for foreign in ["chrono", "uuid ::", "regress"] {
            assert!(!code.contains(foreign), "{foreign} in the generated code");
        }
    }
}
