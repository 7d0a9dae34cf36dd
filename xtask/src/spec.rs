//! Reading a spec file (YAML or JSON) into a JSON value with string keys.

use std::path::Path;

use anyhow::{Context, Result, bail};
use serde_json::{Map, Number, Value};

/// Reads and parses the spec at `path`; errors name the file and the reason.
pub fn load(path: &Path) -> Result<Value> {
    let text = crate::input_limits::read(path)?;
    crate::input_limits::check_nesting(&text)
        .and_then(|()| parse(&text))
        .with_context(|| format!("{} is not a valid OpenAPI document", path.display()))
}

/// Parses YAML (a superset of JSON) into a JSON value.
pub fn parse(text: &str) -> Result<Value> {
    let yaml: serde_norway::Value = serde_norway::from_str(text).context("YAML syntax error")?;
    let json = yaml_to_json(yaml, "")?;
    if !json.is_object() {
        bail!("the document is not a mapping");
    }
    Ok(json)
}

// YAML allows non-string keys (an unquoted `200:` response code is an integer); JSON does not,
// so keys are converted to their textual form here rather than rejected.
fn yaml_to_json(value: serde_norway::Value, pointer: &str) -> Result<Value> {
    use serde_norway::Value as Y;
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => number(&n, pointer)?,
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| yaml_to_json(v, &crate::pointer::push(pointer, &i.to_string())))
                .collect::<Result<_>>()?,
        ),
        Y::Mapping(mapping) => {
            let mut map = Map::new();
            for (key, v) in mapping {
                let key = key_text(key, pointer)?;
                let child = crate::pointer::push(pointer, &key);
                map.insert(key, yaml_to_json(v, &child)?);
            }
            Value::Object(map)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value, pointer)?,
    })
}

fn number(n: &serde_norway::Number, pointer: &str) -> Result<Value> {
    if let Some(u) = n.as_u64() {
        Ok(Value::Number(u.into()))
    } else if let Some(i) = n.as_i64() {
        Ok(Value::Number(i.into()))
    } else {
        let f = n.as_f64().unwrap_or(f64::NAN);
        Number::from_f64(f)
            .map(Value::Number)
            .with_context(|| format!("{pointer}: number {n} has no JSON representation"))
    }
}

fn key_text(key: serde_norway::Value, pointer: &str) -> Result<String> {
    use serde_norway::Value as Y;
    Ok(match key {
        Y::String(s) => s,
        Y::Number(n) => n.to_string(),
        Y::Bool(b) => b.to_string(),
        Y::Null => "null".to_owned(),
        Y::Tagged(t) => key_text(t.value, pointer)?,
        Y::Sequence(_) | Y::Mapping(_) => bail!("{pointer}: a mapping key must be a scalar"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn integer_keys_become_strings() {
        let v = parse("responses:\n  200:\n    description: ok\n").unwrap();
        assert_eq!(v, json!({"responses": {"200": {"description": "ok"}}}));
    }

    #[test]
    fn large_integers_stay_exact() {
        let v = parse("t: 1772490000\n").unwrap();
        assert_eq!(v["t"].as_u64(), Some(1_772_490_000));
    }

    #[test]
    fn non_yaml_is_an_error() {
        let err = parse("openapi: [unclosed\n").unwrap_err();
        assert!(format!("{err:#}").contains("YAML syntax error"), "{err:#}");
    }

    #[test]
    fn scalar_document_is_rejected() {
        assert!(parse("just a string").is_err());
    }

    #[test]
    fn missing_file_names_the_path() {
        let err = load(Path::new("/nonexistent/spec.yaml")).unwrap_err();
        assert!(
            format!("{err:#}").contains("/nonexistent/spec.yaml"),
            "{err:#}"
        );
    }
}
