//! Picking the webhook headers out of a request, whatever form its headers
//! come in.

use http::HeaderMap;

use super::signature::{self, SignedHeaders};
use super::{DELIVERY_ATTEMPT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, WebhookError};

/// The webhook headers of one delivery, taken from a request.
///
/// Build it with [`WebhookHeaders::from_pairs`], from an [`http::HeaderMap`]
/// (`WebhookHeaders::from(&map)`), or from [`SignedHeaders`]. Header names
/// match case-insensitively; leading and trailing spaces and tabs around a
/// value are dropped, as HTTP does. A header that appears more than once, or
/// whose value is not visible ASCII, is reported as malformed when verified,
/// since it cannot be told which copy was signed.
#[derive(Debug, Clone, Default)]
pub struct WebhookHeaders {
    timestamp: Field,
    signature: Field,
    delivery_attempt: Field,
}

/// What was found under one header name.
#[derive(Debug, Clone, Default)]
enum Field {
    #[default]
    Absent,
    Value(String),
    Repeated,
    NotText,
}

impl WebhookHeaders {
    /// Takes the webhook headers from name/value pairs, such as a web
    /// framework's header list or a `HashMap<String, String>`; other headers
    /// are ignored.
    ///
    /// ```
    /// use vast_api::webhook::WebhookHeaders;
    ///
    /// let headers = WebhookHeaders::from_pairs([
    ///     ("content-type", "application/json"),
    ///     ("x-vast-timestamp", "1772490000"),
    ///     ("x-vast-signature-256", "sha256=00"),
    /// ]);
    /// # let _ = headers;
    /// ```
    pub fn from_pairs<I, N, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (N, V)>,
        N: AsRef<str>,
        V: AsRef<str>,
    {
        let mut headers = Self::default();
        for (name, value) in pairs {
            headers.record(name.as_ref(), Some(value.as_ref()));
        }
        headers
    }

    /// Notes one header; `value` is `None` when it is not text.
    fn record(&mut self, name: &str, value: Option<&str>) {
        let field = if name.eq_ignore_ascii_case(TIMESTAMP_HEADER) {
            &mut self.timestamp
        } else if name.eq_ignore_ascii_case(SIGNATURE_HEADER) {
            &mut self.signature
        } else if name.eq_ignore_ascii_case(DELIVERY_ATTEMPT_HEADER) {
            &mut self.delivery_attempt
        } else {
            return;
        };
        *field = match (&*field, value) {
            (Field::Absent, Some(value)) => {
                Field::Value(value.trim_matches([' ', '\t']).to_owned())
            }
            (Field::Absent, None) => Field::NotText,
            _ => Field::Repeated,
        };
    }

    /// The timestamp header as sent (the signed text) and its value.
    pub(super) fn timestamp(&self) -> Result<(&str, u64), WebhookError> {
        let malformed = |reason| WebhookError::MalformedTimestamp { reason };
        let text = self.timestamp.value(TIMESTAMP_HEADER, malformed)?;
        // `u64::from_str` would also take a leading `+`, which is not an
        // integer Vast.ai sends.
        if !is_decimal(text) {
            return Err(malformed("expected whole Unix seconds, as ASCII digits"));
        }
        let seconds = text
            .parse()
            .map_err(|_| malformed("number too large for Unix seconds"))?;
        Ok((text, seconds))
    }

    /// The MAC carried by the signature header.
    pub(super) fn signature(&self) -> Result<signature::Mac, WebhookError> {
        let malformed = |reason| WebhookError::MalformedSignature { reason };
        signature::decode(self.signature.value(SIGNATURE_HEADER, malformed)?)
    }

    /// The delivery attempt, when the header is present and a positive integer.
    pub(super) fn delivery_attempt(&self) -> Option<u32> {
        match &self.delivery_attempt {
            Field::Value(text) if is_decimal(text) => text.parse().ok().filter(|n| *n > 0),
            _ => None,
        }
    }
}

impl Field {
    /// The non-empty value, or the error saying why there is none.
    fn value(
        &self,
        header: &'static str,
        malformed: impl Fn(&'static str) -> WebhookError,
    ) -> Result<&str, WebhookError> {
        match self {
            Field::Value(text) if !text.is_empty() => Ok(text),
            Field::Absent | Field::Value(_) => Err(WebhookError::MissingHeader { header }),
            Field::Repeated => Err(malformed("header appears more than once")),
            Field::NotText => Err(malformed("value is not visible ASCII")),
        }
    }
}

fn is_decimal(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

impl From<&HeaderMap> for WebhookHeaders {
    /// Takes the webhook headers from an [`http::HeaderMap`], as axum, hyper
    /// and other `http`-based frameworks provide.
    fn from(map: &HeaderMap) -> Self {
        let mut headers = Self::default();
        for (name, value) in map {
            headers.record(name.as_str(), value.to_str().ok());
        }
        headers
    }
}

impl From<&SignedHeaders> for WebhookHeaders {
    /// The headers a delivery signed by [`sign`](super::sign) would carry.
    fn from(signed: &SignedHeaders) -> Self {
        Self::from_pairs(signed.pairs())
    }
}
