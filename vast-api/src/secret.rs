//! A string that must not leak: kept and serialised as is, printed redacted.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A secret value from the API, such as a webhook signing secret.
///
/// It serialises and deserialises as the plain string, so no data is lost, but its `Debug`
/// and `Display` output is `"<redacted>"`, so logging a response never prints the secret.
/// Call [`Secret::expose`] where the value itself is needed.
///
/// ```
/// let secret: vast_api::Secret = serde_json::from_str("\"whsec_123\"").unwrap();
/// assert_eq!(format!("{secret:?}"), "Secret(<redacted>)");
/// assert_eq!(secret.expose(), "whsec_123");
/// assert_eq!(serde_json::to_string(&secret).unwrap(), "\"whsec_123\"");
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself. Avoid logging it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Unwraps the secret value.
    pub fn into_inner(self) -> String {
        self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Secret {
    fn schema_name() -> String {
        "Secret".to_owned()
    }

    fn json_schema(_: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        schemars::schema::SchemaObject {
            instance_type: Some(schemars::schema::InstanceType::String.into()),
            format: Some("password".to_owned()),
            ..Default::default()
        }
        .into()
    }

    // Inline, like the string it stands for, rather than a `$ref` to a `Secret` definition.
    fn is_referenceable() -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_hide_the_value() {
        let secret = Secret::new("whsec_do_not_print");
        assert!(!format!("{secret:?} {secret}").contains("whsec_do_not_print"));
    }

    #[test]
    fn serde_keeps_the_value() {
        let secret: Secret = serde_json::from_str("\"abc\"").unwrap();
        assert_eq!(secret.expose(), "abc");
        assert_eq!(
            serde_json::to_value(&secret).unwrap(),
            serde_json::json!("abc")
        );
    }
}
