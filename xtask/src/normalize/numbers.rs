//! Widens `format: float` to `format: double` so no documented number loses precision.
//!
//! typify maps `float` to `f32`, which has a 24-bit mantissa: Vast's float timestamps
//! (1772490000 becomes 1772489984) and prices do not survive it.

use serde_json::{Value, json};

use super::walk;

pub fn widen_floats(doc: &mut Value) {
    walk::schemas(doc, &mut |schema, _| {
        if let Value::Object(map) = schema
            && map.get("format") == Some(&json!("float"))
        {
            map.insert("format".into(), json!("double"));
        }
    });
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
        widen_floats(&mut doc);
        let props = &doc["components"]["schemas"]["T"]["properties"];
        assert_eq!(props["created_at"]["format"], "double");
        assert_eq!(props["n"]["items"]["format"], "double");
        assert_eq!(props["i"]["format"], "int32");
    }
}
