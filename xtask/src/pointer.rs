//! JSON pointers (RFC 6901): building them for messages and resolving local `$ref`s.

use serde_json::Value;

/// Appends one reference token to a pointer, escaping `~` and `/`.
pub fn push(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", token.replace('~', "~0").replace('/', "~1"))
}

/// The text of one reference token: `~1` is `/`, `~0` is `~`.
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Resolves a local reference such as `#/components/schemas/Error`.
pub fn resolve<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    doc.pointer(pointer)
}

/// `value`, or a copy of what its local `$ref` points at (one hop; `value` itself when it does
/// not resolve).
pub fn inlined(doc: &Value, value: Value) -> Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => resolve(doc, reference).cloned().unwrap_or(value),
        None => value,
    }
}

/// How many `$ref`s in a row [`follow`] takes before giving up (a cycle of references).
pub const MAX_REF_CHAIN: usize = 24;

/// `value`, or what its chain of local `$ref`s ends at (at most [`MAX_REF_CHAIN`] of them).
pub fn follow<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    let mut current = value;
    for _ in 0..MAX_REF_CHAIN {
        match current
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| resolve(doc, r))
        {
            Some(target) => current = target,
            None => break,
        }
    }
    current
}

/// What `value`'s chain of local `$ref`s ends at; `None` when a reference in it does not
/// resolve or the chain is longer than [`MAX_REF_CHAIN`] (a cycle).
pub fn target<'a>(doc: &'a Value, value: &'a Value) -> Option<&'a Value> {
    let end = follow(doc, value);
    end.get("$ref")
        .and_then(Value::as_str)
        .is_none()
        .then_some(end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn push_escapes_slash_and_tilde() {
        assert_eq!(push("/paths", "/a/{id}~x"), "/paths/~1a~1{id}~0x");
    }

    #[test]
    fn unescape_undoes_push() {
        assert_eq!(unescape("~1a~1{id}~0x"), "/a/{id}~x");
    }

    #[test]
    fn resolve_follows_escaped_tokens() {
        let doc = json!({"paths": {"/a": {"get": 1}}});
        assert_eq!(resolve(&doc, "#/paths/~1a/get"), Some(&json!(1)));
        assert_eq!(resolve(&doc, "#/paths/~1b"), None);
        assert_eq!(resolve(&doc, "other.yaml#/x"), None);
    }

    #[test]
    fn target_is_none_for_a_dangling_or_cyclic_chain() {
        let doc = json!({"a": {"$ref": "#/b"}, "b": {"type": "string"},
            "c": {"$ref": "#/nope"}, "d": {"$ref": "#/e"}, "e": {"$ref": "#/d"}});
        assert_eq!(target(&doc, &doc["a"]), Some(&json!({"type": "string"})));
        assert_eq!(target(&doc, &doc["c"]), None);
        assert_eq!(target(&doc, &doc["d"]), None);
    }
}
