//! Where each request goes: the server an operation is documented on, and the form of its path.

/// How request paths end.
///
/// Vast.ai's published spec writes its paths without a trailing slash (`/api/v0/bundles`);
/// Vast.ai's own Python client sends every path with one (`/api/v0/bundles/`), which is what
/// production receives every day, so the SDK sends that by default (the evidence is recorded in
/// `openapi/corrections.yaml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum PathStyle {
    /// `/api/v0/bundles/`, as Vast.ai's own client sends it.
    #[default]
    TrailingSlash,
    /// `/api/v0/bundles`, as the published spec writes it.
    AsPublished,
}

/// The server URL Vast.ai documents its serverless operations on (`route`,
/// `get_endpoint_workers`, `get_endpoint_logs`, `get_workergroup_workers`,
/// `get_workergroup_logs`); [`ClientBuilder::serverless_url`](crate::ClientBuilder::serverless_url)
/// points them elsewhere.
pub const SERVERLESS_SERVER: &str = "https://run.vast.ai";

/// Per-client routing: replaced servers and the path style.
#[derive(Debug, Clone, Default)]
pub(crate) struct Routing {
    /// (documented server URL, base URL used instead), both without a trailing slash.
    servers: Vec<(String, String)>,
    path_style: PathStyle,
}

impl Routing {
    pub(crate) fn new(servers: Vec<(String, String)>, path_style: PathStyle) -> Self {
        Self {
            servers,
            path_style,
        }
    }

    /// The base URL for an operation the spec documents on `documented`.
    pub(crate) fn server_url<'a>(&'a self, documented: &'a str) -> &'a str {
        let documented = documented.trim_end_matches('/');
        self.servers
            .iter()
            .find(|(spec, _)| spec == documented)
            .map_or(documented, |(_, actual)| actual.as_str())
    }

    /// Gives the request's path the configured form.
    pub(crate) fn apply(&self, request: &mut reqwest::Request) {
        if self.path_style == PathStyle::AsPublished {
            let url = request.url_mut();
            let path = url.path();
            // Every path of the published spec lacks the slash the generated code adds.
            if path.len() > 1 && path.ends_with('/') {
                let trimmed = path.trim_end_matches('/').to_owned();
                url.set_path(&trimmed);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaced_servers_and_documented_ones() {
        let routing = Routing::new(
            vec![(
                SERVERLESS_SERVER.to_owned(),
                "http://127.0.0.1:9".to_owned(),
            )],
            PathStyle::default(),
        );
        assert_eq!(
            routing.server_url("https://run.vast.ai/"),
            "http://127.0.0.1:9"
        );
        assert_eq!(
            routing.server_url("https://other.example/"),
            "https://other.example"
        );
    }

    #[test]
    fn path_styles() {
        let request = || {
            reqwest::Request::new(
                reqwest::Method::GET,
                "https://console.vast.ai/api/v0/bundles/?q=1"
                    .parse()
                    .unwrap(),
            )
        };
        let mut slashed = request();
        Routing::default().apply(&mut slashed);
        assert_eq!(slashed.url().path(), "/api/v0/bundles/");
        let mut published = request();
        Routing::new(Vec::new(), PathStyle::AsPublished).apply(&mut published);
        assert_eq!(
            published.url().as_str(),
            "https://console.vast.ai/api/v0/bundles?q=1"
        );
    }
}
