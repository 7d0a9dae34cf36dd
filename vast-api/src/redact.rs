//! URLs as errors and `Debug` output may show them: without user name, password, query or
//! fragment, any of which can carry a credential.

/// Whether `url` has anything [`url`] would remove.
pub(crate) fn needed(url: &reqwest::Url) -> bool {
    url.query().is_some()
        || url.fragment().is_some()
        || !url.username().is_empty()
        || url.password().is_some()
}

/// Removes the user name, password, query and fragment of `url`.
pub(crate) fn url(url: &mut reqwest::Url) {
    url.set_query(None);
    url.set_fragment(None);
    // Both fail only for URLs that cannot have credentials, which then have none to remove.
    let _ = url.set_username("");
    let _ = url.set_password(None);
}

/// `text`, a URL as given (perhaps not a valid one), without what [`url`] removes: parsed if
/// it parses as a URL with an authority, otherwise cut at the first `?` or `#` and stripped of
/// anything before an `@` in what would be its authority (`user:pw@host` parses as a URL of
/// scheme `user`).
pub(crate) fn url_text(text: &str) -> String {
    if let Ok(mut parsed) = reqwest::Url::parse(text.trim())
        && !parsed.cannot_be_a_base()
    {
        url(&mut parsed);
        return parsed.into();
    }
    let text = text.split(['?', '#']).next().unwrap_or_default();
    let (scheme, rest) = match text.find("://") {
        Some(at) => text.split_at(at + 3),
        None => ("", text),
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    let host = authority.rsplit('@').next().unwrap_or_default();
    format!("{scheme}{host}{path}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_query_and_fragment_go() {
        let mut parsed: reqwest::Url = "https://user:pw@console.vast.ai/a/?key=s3cret#frag"
            .parse()
            .expect("url");
        assert!(needed(&parsed));
        url(&mut parsed);
        assert_eq!(parsed.as_str(), "https://console.vast.ai/a/");
        assert!(!needed(&parsed));
    }

    #[test]
    fn unparseable_text_is_cut_too() {
        for (given, shown) in [
            (
                "https://user:pw@console.vast.ai/x?key=s3cret",
                "https://console.vast.ai/x",
            ),
            ("http://u:p@[::1/x?key=s3cret", "http://[::1/x"),
            ("u:p@host:99999/x#k", "host:99999/x"),
            ("not a url?key=s3cret", "not a url"),
            ("mailto:ops@example.com", "example.com"),
            ("", ""),
        ] {
            assert_eq!(url_text(given), shown, "{given}");
        }
    }
}
