//! Maps secret-carrying string properties to the SDK's redacting `Secret` type.
//!
//! Done here rather than in the output so it holds after every regeneration: a `Debug` derive
//! on a generated struct must never print a secret. Which properties carry one is decided in
//! this file only: by name wherever the name appears ([`SECRET_NAMES`]), at named places where
//! the name alone says nothing ([`SECRET_PLACES`]), and by `format: password`. Names that look
//! sensitive but are not are listed with the reason ([`NOT_SECRETS`]); a test over the vendored
//! spec fails on any other sensitive-looking name.

use serde_json::{Map, Value, json};

use super::walk;
use crate::pointer;

/// Rust path of the redacting type (typify emits it as `::vast_api::Secret`).
pub const SECRET_TYPE_PATH: &str = concat!(crate::sdk::rust_path!(), "::Secret");

/// Property names that carry a secret wherever they appear.
pub const SECRET_NAMES: &[&str] = &[
    // The webhook signing secret (rotate, create, list webhooks).
    "webhook_secret",
    // Account passwords (create subaccount).
    "password",
    // Vast API keys a worker group or endpoint runs with; cloud API keys (rclone copy).
    "api_key",
    // The token that opens an instance's Jupyter server.
    "jupyter_token",
    // Names other vendors' specs give secrets, and two-factor codes; none in Vast's spec today.
    "secret",
    "client_secret",
    "access_token",
    "refresh_token",
    "otp",
    "totp_code",
    "tfa_code",
    "two_factor_code",
];

/// Secrets whose property name alone does not say so, by JSON pointer into the spec (before
/// the trailing-slash rule). A pointer that no longer exists fails the vendored-spec test.
pub const SECRET_PLACES: &[(&str, &str)] = &[
    (
        "/paths/~1api~1v0~1auth~1apikeys/post/responses/200/content/application~1json/schema/properties/key",
        "the API key createApiKey returns",
    ),
    (
        "/paths/~1api~1v0~1secrets/get/responses/200/content/application~1json/schema/properties/secrets/additionalProperties",
        "each environment variable's value showEnvVars returns",
    ),
    (
        "/paths/~1api~1v0~1secrets/post/requestBody/content/application~1json/schema/properties/value",
        "the value createEnvVar stores",
    ),
    (
        "/paths/~1api~1v0~1secrets/put/requestBody/content/application~1json/schema/properties/value",
        "the value updateEnvVar stores",
    ),
];

/// Property names that look sensitive (they say key, token, secret or password) but carry no
/// secret, with the reason; any other such name in the spec must be a secret or listed here.
pub const NOT_SECRETS: &[(&str, &str)] = &[
    (
        "key",
        "an environment variable's or notification type's name, a public SSH key; the new API key is a SECRET_PLACE",
    ),
    ("key_id", "the id of an API key, not the key"),
    ("apikey_id", "the id of an API key, not the key"),
    ("pkey_id", "the id of an API key, not the key"),
    (
        "apikeys",
        "a list of API keys' ids and rights, without the keys",
    ),
    ("key_params", "the permissions of a new API key"),
    ("next_token", "a page cursor"),
    ("s3_key", "the name of an object in a bucket"),
    ("ssh_key", "a public SSH key"),
    ("ssh_keys", "public SSH keys"),
    ("public_key", "a public SSH key"),
    (
        "secrets",
        "a map of variable names to values; the values are a SECRET_PLACE",
    ),
];

/// Whether a property name looks like it might hold a secret.
pub fn looks_sensitive(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["secret", "key", "token", "passw", "otp", "2fa", "tfa"]
        .iter()
        .any(|word| name.contains(word))
}

pub fn mark(doc: &mut Value) {
    let mut places = Vec::new();
    walk::schemas(doc, &mut |schema, at| {
        let named = at
            .rsplit_once("/properties/")
            .is_some_and(|(_, name)| !name.contains('/') && SECRET_NAMES.contains(&name));
        let placed = SECRET_PLACES.iter().any(|(place, _)| *place == at);
        let password = schema.get("format") == Some(&json!("password"));
        if named || placed || password {
            places.push(at.to_owned());
        }
    });
    for at in places {
        let Some(schema) = doc.pointer(&at) else {
            continue;
        };
        // A string reached through `$ref` or `allOf` is marked at the property itself (the
        // referenced component may serve elsewhere as a plain string).
        let Some(mut marked) = string_schema(doc, schema, 0) else {
            continue;
        };
        for keep in ["description", "nullable", "example"] {
            if let Some(value) = schema.get(keep) {
                marked.insert(keep.into(), value.clone());
            }
        }
        marked.insert("format".into(), json!("password"));
        marked.insert(
            "x-rust-type".into(),
            json!({"crate": crate::sdk::PACKAGE, "version": "*", "path": SECRET_TYPE_PATH}),
        );
        if let Some(slot) = doc.pointer_mut(&at) {
            *slot = Value::Object(marked);
        }
    }
}

/// The string schema `schema` is, directly or through `$ref`s and one-part `allOf`s.
fn string_schema(doc: &Value, schema: &Value, depth: usize) -> Option<Map<String, Value>> {
    if depth > pointer::MAX_REF_CHAIN {
        return None;
    }
    let schema = pointer::follow(doc, schema);
    let map = schema.as_object()?;
    if let Some(Value::Array(parts)) = map.get("allOf") {
        let [only] = parts.as_slice() else {
            return None;
        };
        let mut inner = string_schema(doc, only, depth + 1)?;
        if map.get("nullable") == Some(&json!(true)) {
            inner.insert("nullable".into(), json!(true));
        }
        return Some(inner);
    }
    (map.get("type") == Some(&json!("string"))).then(|| {
        let mut out = Map::new();
        out.insert("type".into(), json!("string"));
        if let Some(nullable) = map.get("nullable") {
            out.insert("nullable".into(), nullable.clone());
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(schema: &Value) -> bool {
        schema["x-rust-type"]["path"] == SECRET_TYPE_PATH && schema["format"] == "password"
    }

    #[test]
    fn secret_names_and_password_strings_are_marked() {
        let mut doc = json!({"components": {"schemas": {"W": {"type": "object", "properties": {
            "webhook_secret": {"type": "string", "example": "<WEBHOOK_SECRET>"},
            "login": {"type": "string", "format": "password"},
            "name": {"type": "string"},
            "secret_count": {"type": "integer"}
        }}}}});
        mark(&mut doc);
        let props = &doc["components"]["schemas"]["W"]["properties"];
        assert!(marked(&props["webhook_secret"]) && marked(&props["login"]));
        assert_eq!(props["webhook_secret"]["example"], "<WEBHOOK_SECRET>");
        assert!(props["name"].get("x-rust-type").is_none());
        assert!(props["secret_count"].get("x-rust-type").is_none());
    }

    #[test]
    fn marking_follows_ref_and_all_of_without_touching_the_component() {
        let mut doc = json!({"components": {"schemas": {
        "Token": {"type": "string"},
        "W": {"type": "object", "properties": {
            "webhook_secret": {"$ref": "#/components/schemas/Token"},
            "api_key": {"allOf": [{"$ref": "#/components/schemas/Token"}], "nullable": true,
                        "description": "The key."},
            "password": {"$ref": "#/components/schemas/W"}
        }}}}});
        mark(&mut doc);
        let props = &doc["components"]["schemas"]["W"]["properties"];
        assert!(marked(&props["webhook_secret"]));
        assert!(marked(&props["api_key"]));
        assert_eq!(props["api_key"]["nullable"], true);
        assert_eq!(props["api_key"]["description"], "The key.");
        // Not a string: left alone rather than mistyped.
        assert!(props["password"].get("x-rust-type").is_none());
        assert_eq!(
            doc["components"]["schemas"]["Token"],
            json!({"type": "string"})
        );
    }

    #[test]
    fn secret_places_are_marked_by_pointer() {
        let (place, _) = SECRET_PLACES[1];
        let mut doc = json!({"paths": {"/api/v0/secrets": {"get": {"responses": {"200": {
            "content": {"application/json": {"schema": {"type": "object", "properties": {
                "secrets": {"type": "object", "additionalProperties": {"type": "string"}}}}}}}}}}}});
        mark(&mut doc);
        assert!(marked(doc.pointer(place).expect("the place")));
    }

    #[test]
    fn sensitive_looking_names() {
        for name in [
            "webhook_secret",
            "API_KEY",
            "jupyter_token",
            "password",
            "totp",
            "code_2fa",
        ] {
            assert!(looks_sensitive(name), "{name}");
        }
        for name in ["name", "id", "success"] {
            assert!(!looks_sensitive(name), "{name}");
        }
    }
}
