//! Reading a spec file (JSON or YAML) into a JSON value with string keys.
//!
//! JSON is read with a JSON parser (by extension, or when the text starts with `{`): a YAML
//! parser rejects JSON's escaped surrogate pairs (`"\ud83d\udc4d"`). Integers outside 64 bits
//! (`maximum: 9223372036854776000` in a YAML spec, any size in a JSON one) are kept as the
//! nearest `f64`; the normaliser drops the bounds that then no longer fit their integer type.

use std::fmt;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};
use serde_json::{Map, Number, Value};

/// Reads and parses the spec at `path`, with the SHA-256 prefix of the file
/// (`SpecInfo::sha256`); errors name the file and the reason.
pub fn load(path: &Path) -> Result<(Value, String)> {
    let text = crate::input_limits::read(path)?;
    let sha256 = crate::api::sha256_prefix(text.as_bytes());
    let json_by_name = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let parsed = crate::input_limits::check_nesting(&text).and_then(|()| {
        if json_by_name {
            parse_json(&text)
        } else {
            parse(&text)
        }
    });
    let doc =
        parsed.with_context(|| format!("{} is not a valid OpenAPI document", path.display()))?;
    Ok((doc, sha256))
}

/// Parses JSON (when the text starts with `{`) or YAML into a JSON value.
pub fn parse(text: &str) -> Result<Value> {
    if text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
    {
        return parse_json(text);
    }
    parse_yaml(text)
}

fn parse_json(text: &str) -> Result<Value> {
    let text = text.trim_start_matches('\u{feff}');
    // serde_json keeps integers outside i64/u64 as f64 (no `arbitrary_precision`).
    let json: Value = serde_json::from_str(text).context("JSON syntax error")?;
    document(json)
}

fn parse_yaml(text: &str) -> Result<Value> {
    let deserializer = serde_norway::Deserializer::from_str(text);
    let json = JsonSeed { pointer: "" }
        .deserialize(deserializer)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .context("YAML syntax error")?;
    document(json)
}

fn document(json: Value) -> Result<Value> {
    if !json.is_object() {
        bail!("the document is not a mapping");
    }
    Ok(json)
}

/// Builds a JSON value straight from YAML events: keys of any scalar type become their text
/// (an unquoted `200:` response code is an integer in YAML), integers beyond 64 bits become
/// `f64`, tags are ignored, and errors name the JSON pointer of the value.
struct JsonSeed<'p> {
    pointer: &'p str,
}

impl<'de> DeserializeSeed<'de> for JsonSeed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl JsonSeed<'_> {
    fn float<E: de::Error>(&self, f: f64) -> Result<Value, E> {
        Number::from_f64(f).map(Value::Number).ok_or_else(|| {
            E::custom(format_args!(
                "{}: number {f} has no JSON representation",
                display(self.pointer)
            ))
        })
    }
}

fn display(pointer: &str) -> &str {
    if pointer.is_empty() { "/" } else { pointer }
}

impl<'de> Visitor<'de> for JsonSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a YAML value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
        Ok(Value::Number(i.into()))
    }

    fn visit_u64<E>(self, u: u64) -> Result<Value, E> {
        Ok(Value::Number(u.into()))
    }

    fn visit_i128<E: de::Error>(self, i: i128) -> Result<Value, E> {
        match i64::try_from(i) {
            Ok(i) => Ok(Value::Number(i.into())),
            // The nearest f64, as a JSON parser reads such a number.
            #[expect(clippy::cast_precision_loss, reason = "beyond 64 bits, as JSON would")]
            Err(_) => self.float(i as f64),
        }
    }

    fn visit_u128<E: de::Error>(self, u: u128) -> Result<Value, E> {
        match u64::try_from(u) {
            Ok(u) => Ok(Value::Number(u.into())),
            #[expect(clippy::cast_precision_loss, reason = "beyond 64 bits, as JSON would")]
            Err(_) => self.float(u as f64),
        }
    }

    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Value, E> {
        self.float(f)
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            let pointer = crate::pointer::push(self.pointer, &items.len().to_string());
            match seq.next_element_seed(JsonSeed { pointer: &pointer })? {
                Some(item) => items.push(item),
                None => break,
            }
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key_seed(JsonSeed {
            pointer: self.pointer,
        })? {
            let key = key_text(key).ok_or_else(|| {
                de::Error::custom(format_args!(
                    "{}: a mapping key must be a scalar",
                    display(self.pointer)
                ))
            })?;
            let pointer = crate::pointer::push(self.pointer, &key);
            if map.contains_key(&key) {
                return Err(de::Error::custom(format_args!(
                    "{pointer}: duplicate key `{key}`"
                )));
            }
            let value = access.next_value_seed(JsonSeed { pointer: &pointer })?;
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }

    /// A tagged value (`!tag value`): the tag is ignored.
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let (_tag, variant): (de::IgnoredAny, _) = data.variant()?;
        variant.newtype_variant_seed(self)
    }
}

/// The text of a scalar mapping key; `None` for a sequence or mapping.
fn key_text(key: Value) -> Option<String> {
    match key {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some("null".to_owned()),
        Value::Array(_) | Value::Object(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn documents_read_as_their_values() {
        for (text, expected) in [
            // Integer keys become strings.
            (
                "responses:\n  200:\n    description: ok\n",
                json!({"responses": {"200": {"description": "ok"}}}),
            ),
            // Large integers stay exact.
            ("t: 1772490000\n", json!({"t": 1_772_490_000_u64})),
            // JSON with escaped surrogate pairs is read as JSON.
            (
                "{\"info\": {\"description\": \"Hello! \\ud83d\\udc4d\"}}",
                json!({"info": {"description": "Hello! \u{1f44d}"}}),
            ),
            // Tags are ignored.
            ("a: !custom {b: 1}\n", json!({"a": {"b": 1}})),
        ] {
            assert_eq!(parse(text).unwrap(), expected, "{text:?}");
        }
    }

    #[test]
    fn errors_name_the_syntax_or_the_pointer_of_the_value() {
        for (text, expected) in [
            ("openapi: [unclosed\n", "YAML syntax error"),
            ("{\"a\": [1,]}", "JSON syntax error"),
            ("a:\n  b: [1, .inf]\n", "/a/b/1: number inf"),
            ("a:\n  b: 1\n  b: 2\n", "/a/b: duplicate key"),
            ("just a string", "the document is not a mapping"),
        ] {
            let err = format!("{:#}", parse(text).unwrap_err());
            assert!(err.contains(expected), "{text:?}: {err}");
        }
    }

    #[test]
    fn integers_beyond_64_bits_become_the_nearest_f64() {
        let v = parse(
            "max: 99999999999999999999\nmin: -9223372036854775809\nu: 18446744073709551615\n",
        )
        .unwrap();
        assert_eq!(v["max"].as_f64(), Some(1e20));
        assert!(v["max"].is_f64() && v["min"].is_f64());
        assert_eq!(v["min"].as_f64(), Some(-9_223_372_036_854_775_808.0));
        assert_eq!(v["u"].as_u64(), Some(u64::MAX));
        let v = parse("{\"max\": 99999999999999999999}").unwrap();
        assert_eq!(v["max"].as_f64(), Some(1e20));
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
