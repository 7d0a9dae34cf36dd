//! The server's message in a failed response: a JSON error body's message field, an HTML
//! page's title or plain text, read from at most [`BODY_LIMIT`] bytes and cut to
//! [`MESSAGE_LIMIT`] characters; and where a redirect pointed.

use reqwest::header::LOCATION;

use crate::redact;

/// How much of an unexpected response body is read to find the server's message.
const BODY_LIMIT: usize = 64 * 1024;
/// Longest server message kept, in characters; HTML pages and stack traces are cut here.
const MESSAGE_LIMIT: usize = 300;

/// Where a 3xx response points, resolved against the request URL, without the query,
/// fragment or credentials a redirect URL may carry.
pub(super) fn redirect_target(response: &reqwest::Response) -> Option<reqwest::Url> {
    if !response.status().is_redirection() {
        return None;
    }
    let location = response.headers().get(LOCATION)?.to_str().ok()?;
    let mut target = response.url().join(location).ok()?;
    redact::url(&mut target);
    Some(target)
}

/// Up to [`BODY_LIMIT`] bytes of the body; a body that fails halfway is used as far as it got.
pub(super) async fn read_limited(mut response: reqwest::Response) -> Vec<u8> {
    let mut body = Vec::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        let room = BODY_LIMIT - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() == BODY_LIMIT {
            break;
        }
    }
    body
}

/// The message in a response body: a JSON error body's message field, the title of an HTML
/// page, or plain text.
pub(super) fn message_in_body(body: &[u8]) -> Option<String> {
    if let Ok(json) = serde_json::from_slice::<serde_json::Value>(body) {
        return message_in_json(&json);
    }
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.starts_with('<') {
        return html_title(text).and_then(shorten);
    }
    shorten(text)
}

/// Vast.ai puts the human-readable text in `msg` and a short code in `error`; other servers
/// on the path (proxies, frameworks) use `message` or `detail`.
pub(super) fn message_in_json(body: &serde_json::Value) -> Option<String> {
    ["msg", "error", "message", "detail"]
        .iter()
        .find_map(|field| body.get(field)?.as_str().and_then(shorten))
}

fn html_title(html: &str) -> Option<&str> {
    let lower = html.to_ascii_lowercase();
    let open = lower.find("<title")?;
    let start = open + lower[open..].find('>')? + 1;
    let end = start + lower[start..].find("</title")?;
    html.get(start..end)
}

/// One line of at most [`MESSAGE_LIMIT`] characters; `None` if nothing is left.
fn shorten(text: &str) -> Option<String> {
    let mut words = text.split_whitespace();
    let first = words.next()?;
    let mut line = String::from(first);
    for word in words {
        line.push(' ');
        line.push_str(word);
        if line.len() > MESSAGE_LIMIT * 4 {
            break;
        }
    }
    if line.chars().count() > MESSAGE_LIMIT {
        line = line.chars().take(MESSAGE_LIMIT - 1).collect();
        line.push('…');
    }
    Some(line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Error, ErrorKind};
    use reqwest::StatusCode;

    #[test]
    fn json_message_fields_in_order() {
        let body = serde_json::json!({"error": "not_found", "msg": "No such webhook."});
        assert_eq!(message_in_json(&body).as_deref(), Some("No such webhook."));
        let body = serde_json::json!({"error": "invalid_args"});
        assert_eq!(message_in_json(&body).as_deref(), Some("invalid_args"));
        let body = serde_json::json!({"detail": "Not Found", "success": false});
        assert_eq!(message_in_json(&body).as_deref(), Some("Not Found"));
        assert_eq!(
            message_in_json(&serde_json::json!({"success": false})),
            None
        );
        assert_eq!(message_in_json(&serde_json::json!({"msg": 3})), None);
    }

    #[test]
    fn text_html_and_empty_bodies() {
        assert_eq!(
            message_in_body(b"API requests too frequent\n").as_deref(),
            Some("API requests too frequent")
        );
        assert_eq!(
            message_in_body(b"<html><head><TITLE>502 Bad Gateway</TITLE></head></html>").as_deref(),
            Some("502 Bad Gateway")
        );
        assert_eq!(message_in_body(b"<html><body>oops</body></html>"), None);
        assert_eq!(message_in_body(b"  \n"), None);
        assert_eq!(
            message_in_body(b"\xff\xfe"),
            Some("\u{fffd}\u{fffd}".to_owned())
        );
    }

    fn redirect(status: u16, location: &str) -> reqwest::Response {
        use reqwest::ResponseBuilderExt as _;
        let response = http::Response::builder()
            .status(status)
            .url(
                "http://127.0.0.1:8080/api/v0/webhooks/1/rotate-secret/"
                    .parse()
                    .expect("url"),
            )
            .header(LOCATION, location)
            .body("")
            .expect("response");
        reqwest::Response::from(response)
    }

    #[test]
    fn redirect_targets_are_resolved_and_stripped_of_credentials_and_queries() {
        let target =
            |status, location| redirect_target(&redirect(status, location)).map(String::from);
        assert_eq!(
            target(
                302,
                "https://user:pw@console.vast.ai/login/?next=/x&token=abc#top"
            )
            .as_deref(),
            Some("https://console.vast.ai/login/")
        );
        assert_eq!(
            target(301, "../../2/rotate-secret/").as_deref(),
            Some("http://127.0.0.1:8080/api/v0/webhooks/2/rotate-secret/")
        );
        assert_eq!(
            target(200, "https://elsewhere.example/"),
            None,
            "not a redirect"
        );
        assert_eq!(target(302, "http://[::1"), None, "not a URL");
    }

    #[tokio::test]
    async fn a_redirect_names_its_target_beside_the_body_message() {
        let error = progenitor_client::Error::<()>::UnexpectedResponse(redirect(
            302,
            "https://console.vast.ai/api/v0/webhooks/1/rotate-secret/",
        ));
        let error = Error::from_progenitor("op", error).await;
        assert_eq!(error.kind(), ErrorKind::UnexpectedResponse);
        assert_eq!(error.status(), Some(StatusCode::FOUND));
        assert_eq!(error.message(), None);
        assert_eq!(
            error.to_string(),
            "op failed: HTTP 302 Found: redirected to \
             https://console.vast.ai/api/v0/webhooks/1/rotate-secret/, which is not followed \
             (check the base URL)"
        );
    }

    #[test]
    fn long_messages_are_cut_on_a_char_boundary() {
        let long = "é".repeat(10_000);
        let short = shorten(&long).unwrap_or_default();
        assert_eq!(short.chars().count(), MESSAGE_LIMIT);
        assert!(short.ends_with('…'));
        assert_eq!(shorten("a\n  b\tc").as_deref(), Some("a b c"));
    }
}
