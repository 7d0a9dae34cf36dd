//! Reading a JSON response body into its generated type, for the generated `send()`s.
//!
//! progenitor's own `ResponseValue::from_response` keeps the whole body in its
//! `InvalidResponsePayload` error, whose `Display` prints it, and serde's message for data of the
//! wrong shape quotes the offending value: a rotation answer of an unexpected shape would show
//! its new secret in the error. This is the same function without either, and the redaction of
//! serde's messages that [`Error`](crate::Error) applies to such errors too.

use futures_util::FutureExt as _;
use progenitor_client::{Error, ResponseValue};
use serde::de::DeserializeOwned;

/// The body of `response` as a `T`; an error holds neither the body nor a value from it.
///
/// Not an `async fn`: the status and headers are taken before the returned future starts, so
/// that it holds one copy of the response, inside reqwest's body reader, and not a second one
/// beside it (every call's future is the larger by what this one holds: BENCHMARKS.md).
// progenitor's `Error`, what the generated `send()`s return, is large; boxing it is not ours to do.
#[allow(clippy::result_large_err)]
pub(crate) fn json_response<T: DeserializeOwned, E>(
    mut response: reqwest::Response,
) -> impl Future<Output = Result<ResponseValue<T>, Error<E>>> {
    let status = response.status();
    // Taken, not cloned: reading the body does not need them.
    let headers = std::mem::take(response.headers_mut());
    // A combinator, not an `async` block, which would hold the body reader twice.
    response.bytes().map(move |full| {
        let full = full.map_err(Error::ResponseBodyError)?;
        match serde_json::from_slice(&full) {
            Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
            Err(error) => Err(Error::InvalidResponsePayload(
                Default::default(),
                redacted_json_error(error),
            )),
        }
    })
}

/// `error` with nothing from the body it was parsing: serde's messages for data of the wrong
/// shape quote the offending value (``invalid type: string "whsec_…"``), so every quoted or
/// backquoted part of them is replaced, except the field name of a missing field, which comes
/// from the type. Syntax errors quote nothing and keep their message.
pub(crate) fn redacted_json_error(error: serde_json::Error) -> serde_json::Error {
    use serde::de::Error as _;
    let message = error.to_string();
    if error.is_data() && !message.starts_with("missing field") {
        serde_json::Error::custom(redact_quoted(&message))
    } else {
        // Syntax and end-of-input errors say where, never what: kept whole, category included.
        error
    }
}

/// `text` with each `"…"` and `` `…` `` part replaced by `<redacted>`.
fn redact_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '"' && c != '`' {
            out.push(c);
            continue;
        }
        out.push_str("<redacted>");
        let mut escaped = false;
        for inner in chars.by_ref() {
            match inner {
                '\\' if c == '"' && !escaped => escaped = true,
                _ if inner == c && !escaped => break,
                _ => escaped = false,
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_errors_lose_quoted_values_but_keep_missing_field_names() {
        let parse = |json: &str| {
            serde_json::from_str::<crate::types::RotateNotificationWebhookSecretResponse>(json)
                .expect_err("not that type")
        };
        let shape = parse(r#"{"webhook": "whsec_x\"y"}"#);
        assert!(shape.to_string().contains("whsec_x"), "{shape}");
        let redacted = redacted_json_error(shape).to_string();
        assert!(!redacted.contains("whsec_"), "{redacted}");
        assert!(
            redacted.starts_with("invalid type: string <redacted>, expected"),
            "{redacted}"
        );
        assert!(redacted.ends_with("at line 1 column 24"), "{redacted}");

        let syntax = parse(r#"{"webhook": {"webhook_secret": "whsec_x""#);
        let text = syntax.to_string();
        assert!(
            !text.contains("whsec_"),
            "syntax errors quote nothing: {text}"
        );
        assert_eq!(redacted_json_error(syntax).to_string(), text);
        let missing = serde_json::from_str::<Required>("{}").expect_err("missing");
        assert_eq!(
            redacted_json_error(missing).to_string(),
            "missing field `name` at line 1 column 2"
        );
        assert_eq!(
            redact_quoted("a `b` \"c\\\"d\" e"),
            "a <redacted> <redacted> e"
        );
    }

    #[derive(Debug, serde::Deserialize)]
    struct Required {
        #[allow(dead_code)]
        name: String,
    }
}
