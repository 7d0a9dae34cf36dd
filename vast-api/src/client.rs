//! Building a [`Client`]: credentials, base URL, timeouts, user agent and retry policy.

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderValue;

use crate::body_limit::DEFAULT_MAX_RESPONSE_BYTES;
use crate::config::{self, ConfigError, Env, KeySource, ProcessEnv};
use crate::context::ClientContext;
use crate::generated::Client;
use crate::retry::RetryPolicy;
use crate::routing::{PathStyle, Routing, SERVERLESS_SERVER};
use crate::secret::Secret;

/// The `User-Agent` sent unless [`ClientBuilder::user_agent`] says otherwise.
pub const DEFAULT_USER_AGENT: &str = concat!("vast-api-rust/", env!("CARGO_PKG_VERSION"));
/// The request timeout unless [`ClientBuilder::timeout`] says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The connect timeout unless [`ClientBuilder::connect_timeout`] says otherwise.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

impl Client {
    /// A client configured from the environment: the API key from `VAST_API_KEY` or the files
    /// `vastai` keeps it in (see [`config::find_api_key`]), the base URL from `VAST_URL` or
    /// [`config::DEFAULT_BASE_URL`], and the default timeouts and [`RetryPolicy`].
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let client = vast_api::Client::from_env()?;
    /// let rotated = client.rotate_notification_webhook_secret().id(42).call().await?;
    /// # Ok(()) }
    /// ```
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::builder().build()
    }

    /// A [`ClientBuilder`], to set the key, base URL, timeouts or retry policy yourself.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }
}

/// Configures and builds a [`Client`].
///
/// Whatever is not set is taken from the environment ([`build`](Self::build)) or the defaults.
/// Building never sends a request and never panics; it fails only on bad settings.
///
/// ```
/// use std::time::Duration;
/// use vast_api::{Client, ClientInfo, RetryPolicy};
///
/// let client = Client::builder()
///     .api_key("0123abcd")
///     .base_url("http://127.0.0.1:8080")
///     .timeout(Duration::from_secs(30))
///     .retry_policy(RetryPolicy::new().with_max_attempts(5))
///     .build()?;
/// assert_eq!(client.baseurl(), "http://127.0.0.1:8080");
/// // The key never shows up in debug output.
/// assert!(!format!("{client:?}").contains("0123abcd"));
/// # Ok::<(), vast_api::ConfigError>(())
/// ```
#[derive(Clone, Default)]
pub struct ClientBuilder {
    api_key: Option<Secret>,
    base_url: Option<String>,
    timeout: Option<Duration>,
    without_timeout: bool,
    connect_timeout: Option<Duration>,
    user_agent: Option<String>,
    retry: RetryPolicy,
    max_response_bytes: Option<u64>,
    http_client: Option<reqwest::Client>,
    /// (documented server URL, URL to use instead), as given.
    servers: Vec<(String, String)>,
    path_style: PathStyle,
}

impl ClientBuilder {
    /// A builder with nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// The API key, sent as `Authorization: Bearer <key>`; it takes precedence over the
    /// environment. It is trimmed, and an empty one counts as not set.
    pub fn api_key(self, key: impl Into<Secret>) -> Self {
        Self {
            api_key: Some(key.into()),
            ..self
        }
    }

    /// The base URL, such as `https://console.vast.ai`; it takes precedence over `VAST_URL`.
    pub fn base_url(self, url: impl Into<String>) -> Self {
        Self {
            base_url: Some(url.into()),
            ..self
        }
    }

    /// Sends the operations the spec documents on the server `documented` (such as
    /// [`SERVERLESS_SERVER`]) to `url` instead; checked like [`base_url`](Self::base_url) when
    /// the client is built. Without it they go to the documented server, whatever the base URL.
    ///
    /// ```
    /// let client = vast_api::Client::builder()
    ///     .api_key("0123abcd")
    ///     .base_url("http://127.0.0.1:8080")
    ///     .server_url(vast_api::SERVERLESS_SERVER, "http://127.0.0.1:8081/")
    ///     .build()?;
    /// assert_eq!(client.inner().server_url(vast_api::SERVERLESS_SERVER), "http://127.0.0.1:8081");
    /// # use vast_api::ClientInfo as _;
    /// # Ok::<(), vast_api::ConfigError>(())
    /// ```
    pub fn server_url(mut self, documented: impl Into<String>, url: impl Into<String>) -> Self {
        let documented = documented.into().trim_end_matches('/').to_owned();
        self.servers.retain(|(spec, _)| *spec != documented);
        self.servers.push((documented, url.into()));
        self
    }

    /// Sends the serverless operations (documented on [`SERVERLESS_SERVER`]) to `url`:
    /// shorthand for [`server_url`](Self::server_url)`(SERVERLESS_SERVER, url)`. Vast.ai's
    /// Python client sends them to its custom server URL when it has one; this SDK keeps the
    /// two apart unless told.
    pub fn serverless_url(self, url: impl Into<String>) -> Self {
        self.server_url(SERVERLESS_SERVER, url)
    }

    /// Whether request paths end with a slash, as Vast.ai's own client sends them (the
    /// default), or not, as the published spec writes them (see [`PathStyle`]).
    pub fn path_style(self, path_style: PathStyle) -> Self {
        Self { path_style, ..self }
    }

    /// The longest one attempt may take, from connecting to reading the whole response
    /// ([`DEFAULT_TIMEOUT`] unless set, with or without [`http_client`](Self::http_client)).
    /// Each attempt gets the whole timeout, cut to what is left of the retry policy's
    /// [deadline](RetryPolicy::with_deadline).
    pub fn timeout(self, timeout: Duration) -> Self {
        Self {
            timeout: Some(timeout),
            without_timeout: false,
            ..self
        }
    }

    /// No per-request timeout: attempts are bounded only by the `reqwest::Client`'s own
    /// timeout, if it has one (a client passed to [`http_client`](Self::http_client) keeps
    /// its own), and retries by the policy's deadline.
    pub fn without_timeout(self) -> Self {
        Self {
            timeout: None,
            without_timeout: true,
            ..self
        }
    }

    /// The longest connecting may take ([`DEFAULT_CONNECT_TIMEOUT`] unless set).
    ///
    /// Cannot be combined with [`http_client`](Self::http_client): set it on that client.
    pub fn connect_timeout(self, timeout: Duration) -> Self {
        Self {
            connect_timeout: Some(timeout),
            ..self
        }
    }

    /// The `User-Agent` header ([`DEFAULT_USER_AGENT`] unless set).
    pub fn user_agent(self, user_agent: impl Into<String>) -> Self {
        Self {
            user_agent: Some(user_agent.into()),
            ..self
        }
    }

    /// How failed requests are retried ([`RetryPolicy::new`] unless set);
    /// [`RetryPolicy::disabled`] turns retries off.
    pub fn retry_policy(self, policy: RetryPolicy) -> Self {
        Self {
            retry: policy,
            ..self
        }
    }

    /// The largest response body read, in bytes ([`DEFAULT_MAX_RESPONSE_BYTES`] unless set).
    ///
    /// A response whose `Content-Length` is larger fails without its body being read; one
    /// without a length (chunked) fails as soon as more than this has arrived. Either way the
    /// call returns an error of kind [`ErrorKind::ResponseTooLarge`](crate::ErrorKind::ResponseTooLarge),
    /// so a broken or hostile server cannot make the client buffer an unbounded body.
    pub fn max_response_bytes(self, limit: u64) -> Self {
        Self {
            max_response_bytes: Some(limit),
            ..self
        }
    }

    /// Sends requests through this `reqwest::Client`, for full control over TLS, proxies,
    /// pools and the like.
    ///
    /// The client is used as configured: only the `Authorization` header, the per-request
    /// [`timeout`](Self::timeout) ([`DEFAULT_TIMEOUT`] unless set or turned off with
    /// [`without_timeout`](Self::without_timeout); it overrides the client's own), and the
    /// user agent if set on this builder, are added to each request. That includes
    /// its redirect policy: reqwest's default follows up to 10 redirects (dropping the
    /// `Authorization` header when one leads to another host, port or scheme), whereas the
    /// client this builder makes follows none.
    ///
    /// Start from [`reqwest_builder`](Self::reqwest_builder) to keep this crate's TLS setup.
    pub fn http_client(self, client: reqwest::Client) -> Self {
        Self {
            http_client: Some(client),
            ..self
        }
    }

    /// A `reqwest::ClientBuilder` with the TLS setup of the clients this builder makes
    /// (rustls on the ring provider, the platform's certificate verifier), for a client of
    /// your own to configure and pass to [`http_client`](Self::http_client).
    ///
    /// With the default `rustls` feature, reqwest has no TLS provider of its own (that is what
    /// keeps aws-lc-rs out of the build), so `reqwest::Client::new()` panics unless your
    /// application enables reqwest's `rustls` feature or installs a rustls `CryptoProvider`.
    /// Without the feature this is a plain `reqwest::ClientBuilder`.
    ///
    /// ```
    /// use vast_api::{Client, ClientBuilder};
    ///
    /// let http = ClientBuilder::reqwest_builder()?
    ///     .pool_max_idle_per_host(4)
    ///     .build()?;
    /// let client = Client::builder().api_key("0123abcd").http_client(http).build()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reqwest_builder() -> Result<reqwest::ClientBuilder, ConfigError> {
        crate::tls::configure(reqwest::Client::builder())
    }

    /// [`reqwest_builder`](Self::reqwest_builder), trusting the certificate authorities in
    /// `extra_roots` (DER-encoded certificates) besides the platform's: for a proxy or a test
    /// server with a certificate of its own.
    ///
    /// Use this rather than reqwest's `add_root_certificate` or `tls_certs_merge`, which a
    /// builder from [`reqwest_builder`](Self::reqwest_builder) ignores: its TLS setup is
    /// given to reqwest whole. A certificate that is not DER is an error of kind
    /// [`ConfigError::Tls`].
    #[cfg(feature = "rustls")]
    pub fn reqwest_builder_with_roots<I, C>(
        extra_roots: I,
    ) -> Result<reqwest::ClientBuilder, ConfigError>
    where
        I: IntoIterator<Item = C>,
        C: Into<Vec<u8>>,
    {
        let roots = extra_roots.into_iter().map(Into::into).collect();
        crate::tls::configure_with_roots(reqwest::Client::builder(), roots)
    }

    /// Builds the client, looking up in the process environment whatever was not set (see
    /// [`Client::from_env`]).
    pub fn build(self) -> Result<Client, ConfigError> {
        self.build_with_env(&ProcessEnv)
    }

    /// Builds the client, looking up in `env` whatever was not set.
    pub fn build_with_env(self, env: &dyn Env) -> Result<Client, ConfigError> {
        let base_url = config::resolve_base_url(self.base_url.as_deref(), env)?;
        let servers = self
            .servers
            .iter()
            .map(|(documented, url)| {
                Ok((
                    documented.clone(),
                    config::resolve_base_url(Some(url), env)?,
                ))
            })
            .collect::<Result<Vec<_>, ConfigError>>()?;
        let routing = Routing::new(servers, self.path_style);
        let (key, source) = match self
            .api_key
            .and_then(|key| config::non_empty(key.into_inner()))
        {
            Some(key) => (key, KeySource::Builder),
            None => config::find_api_key(env)?,
        };
        let mut authorization = HeaderValue::try_from(format!("Bearer {}", key.expose()))
            .map_err(|_| ConfigError::InvalidApiKey(source))?;
        authorization.set_sensitive(true);

        let user_agent = |ua: String| {
            HeaderValue::try_from(ua.as_str()).map_err(|_| ConfigError::InvalidUserAgent(ua))
        };
        let max_response_bytes = self
            .max_response_bytes
            .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES);
        // Set on every request, so that it holds for a caller's client too.
        let timeout = (!self.without_timeout).then(|| self.timeout.unwrap_or(DEFAULT_TIMEOUT));
        // `user_agent` is set per request only on the caller's client: ours has it built in.
        let (http, user_agent) = match self.http_client {
            // The caller's client keeps its own settings; ours go on each request.
            Some(http) => {
                if self.connect_timeout.is_some() {
                    return Err(ConfigError::ConnectTimeoutWithHttpClient);
                }
                (http, self.user_agent.map(user_agent).transpose()?)
            }
            None => {
                let user_agent = user_agent(
                    self.user_agent
                        .unwrap_or_else(|| DEFAULT_USER_AGENT.to_owned()),
                )?;
                let http = Self::reqwest_builder()?
                    .user_agent(user_agent)
                    .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                    // The API answers every operation itself; a redirect means a wrong base URL
                    // (`http://` for `https://`) or something in between, and following it
                    // would turn a POST into a GET. The 3xx is reported instead, with its
                    // `Location` (see `Error`).
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .map_err(ConfigError::HttpClient)?;
                (http, None)
            }
        };
        let context = ClientContext::new(
            authorization,
            user_agent,
            timeout,
            self.retry,
            max_response_bytes,
            routing,
        );
        Ok(Client::new_with_client(&base_url, http, context))
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field(
                "base_url",
                &self.base_url.as_deref().map(crate::redact::url_text),
            )
            .field("timeout", &self.timeout)
            .field("without_timeout", &self.without_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field("retry", &self.retry)
            .field("max_response_bytes", &self.max_response_bytes)
            .field(
                "http_client",
                &self.http_client.as_ref().map(|_| "reqwest::Client"),
            )
            .field(
                "servers",
                &self
                    .servers
                    .iter()
                    .map(|(documented, url)| (documented, crate::redact::url_text(url)))
                    .collect::<Vec<_>>(),
            )
            .field("path_style", &self.path_style)
            .finish()
    }
}
