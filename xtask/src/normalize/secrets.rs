//! Maps secret-carrying string properties to the SDK's redacting `Secret` type.
//!
//! Done here rather than in the output so it holds after every regeneration: a `Debug` derive
//! on a generated struct must never print a webhook secret.

use serde_json::{Value, json};

use super::walk;

/// Property names that carry a secret even when the spec does not say `format: password`.
const SECRET_PROPERTY_NAMES: [&str; 1] = ["webhook_secret"];

/// Rust path of the redacting type (typify emits it as `::vast_api::Secret`).
pub const SECRET_TYPE_PATH: &str = "vast_api::Secret";

pub fn mark(doc: &mut Value) {
    walk::schemas(doc, &mut |schema, pointer| {
        let named_secret = SECRET_PROPERTY_NAMES
            .iter()
            .any(|name| pointer.ends_with(&format!("/properties/{name}")));
        let Value::Object(map) = schema else { return };
        let is_string = map.get("type") == Some(&json!("string"));
        let is_password = map.get("format") == Some(&json!("password"));
        if is_string && (is_password || named_secret) {
            map.insert("format".into(), json!("password"));
            map.insert(
                "x-rust-type".into(),
                json!({"crate": "vast-api", "version": "*", "path": SECRET_TYPE_PATH}),
            );
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhook_secret_and_password_strings_are_marked() {
        let mut doc = json!({"components": {"schemas": {"W": {"type": "object", "properties": {
            "webhook_secret": {"type": "string", "example": "<WEBHOOK_SECRET>"},
            "token": {"type": "string", "format": "password"},
            "name": {"type": "string"},
            "secret_count": {"type": "integer"}
        }}}}});
        mark(&mut doc);
        let props = &doc["components"]["schemas"]["W"]["properties"];
        for secret in ["webhook_secret", "token"] {
            assert_eq!(props[secret]["format"], "password");
            assert_eq!(props[secret]["x-rust-type"]["path"], SECRET_TYPE_PATH);
        }
        assert!(props["name"].get("x-rust-type").is_none());
        assert!(props["secret_count"].get("x-rust-type").is_none());
    }
}
