//! Where the API key and the base URL come from, looked up the way Vast.ai's Python SDK and
//! CLI (`vastai`) look them up.
//!
//! The environment is read through the [`Env`] trait, so the lookup can be tested, or fed
//! from another source, without touching the process environment.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use crate::{Secret, redact};

/// The API's base URL unless `VAST_URL` or [`ClientBuilder::base_url`](crate::ClientBuilder::base_url)
/// says otherwise.
pub const DEFAULT_BASE_URL: &str = "https://console.vast.ai";
/// The environment variable holding the API key.
pub const API_KEY_VAR: &str = "VAST_API_KEY";
/// The environment variable overriding the base URL.
pub const BASE_URL_VAR: &str = "VAST_URL";
/// The environment variable naming the user's configuration directory (XDG base directories).
pub const CONFIG_HOME_VAR: &str = "XDG_CONFIG_HOME";

/// The environment the key and base URL are looked up in.
///
/// [`ProcessEnv`] is the real one. Implement this trait to look them up elsewhere, or to test
/// the lookup without changing the process environment:
///
/// ```
/// use std::collections::HashMap;
/// use std::path::PathBuf;
/// use vast_api::config::{Env, KeySource, find_api_key};
///
/// struct Fake(HashMap<&'static str, &'static str>);
///
/// impl Env for Fake {
///     fn var(&self, name: &str) -> Option<String> {
///         self.0.get(name).map(|v| v.to_string())
///     }
///     fn home_dir(&self) -> Option<PathBuf> {
///         None
///     }
/// }
///
/// let env = Fake(HashMap::from([("VAST_API_KEY", "0123abcd")]));
/// let (key, source) = find_api_key(&env).unwrap();
/// assert_eq!(key.expose(), "0123abcd");
/// assert_eq!(source, KeySource::EnvVar);
/// ```
pub trait Env {
    /// The value of the environment variable `name`, if it is set and valid Unicode.
    fn var(&self, name: &str) -> Option<String>;

    /// The user's home directory, if known.
    fn home_dir(&self) -> Option<PathBuf>;

    /// The contents of the file at `path`.
    fn read_file(&self, path: &Path) -> io::Result<String> {
        std::fs::read_to_string(path)
    }
}

/// The environment of the running process.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }

    fn home_dir(&self) -> Option<PathBuf> {
        std::env::home_dir()
    }
}

/// Where the API key was found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeySource {
    /// Given to [`ClientBuilder::api_key`](crate::ClientBuilder::api_key).
    Builder,
    /// The `VAST_API_KEY` environment variable.
    EnvVar,
    /// `vast_api_key` in the `vastai` configuration directory, where `vastai set api-key`
    /// stores it.
    ConfigFile(PathBuf),
    /// The legacy `~/.vast_api_key`.
    LegacyFile(PathBuf),
}

impl fmt::Display for KeySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Builder => f.write_str("ClientBuilder::api_key"),
            Self::EnvVar => write!(f, "the {API_KEY_VAR} environment variable"),
            Self::ConfigFile(path) | Self::LegacyFile(path) => write!(f, "{}", path.display()),
        }
    }
}

/// Why a [`Client`](crate::Client) could not be built.
///
/// No variant holds or prints the API key.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// No API key was given and none was found.
    #[error(
        "no Vast.ai API key found; looked in {}. Set {API_KEY_VAR}, run `vastai set api-key`, \
         or pass a key to ClientBuilder::api_key",
        searched.join(", ")
    )]
    MissingApiKey {
        /// The places looked in, in order.
        searched: Vec<String>,
    },
    /// A key file exists but could not be read.
    #[error("could not read the API key file {}", path.display())]
    ReadKeyFile {
        /// The file.
        path: PathBuf,
        /// Why it could not be read.
        #[source]
        source: io::Error,
    },
    /// The API key contains characters an HTTP header cannot carry.
    #[error("the API key from {0} is not a valid HTTP header value")]
    InvalidApiKey(KeySource),
    /// The base URL is not an absolute `http` or `https` URL without query, fragment or
    /// credentials.
    #[error("invalid base URL {url:?}: {reason}")]
    InvalidBaseUrl {
        /// The URL as given, less any user name, password, query and fragment, which may
        /// carry a credential.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The user agent contains characters an HTTP header cannot carry.
    #[error("invalid user agent {0:?}")]
    InvalidUserAgent(String),
    /// A connect timeout was set together with an existing `reqwest::Client`, which cannot
    /// take it.
    #[error(
        "a connect timeout cannot be applied to an existing reqwest::Client; set it on that client"
    )]
    ConnectTimeoutWithHttpClient,
    /// reqwest could not build its client (for example, its TLS backend failed to start).
    #[error("could not build the HTTP client")]
    HttpClient(#[source] reqwest::Error),
    /// The TLS configuration could not be set up (for example, the platform's certificate
    /// verifier could not start). The source is rustls's error, boxed so that rustls stays out
    /// of this crate's API.
    #[error("could not set up TLS")]
    Tls(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Finds the API key the way Vast.ai's Python SDK does, in order:
///
/// 1. the `VAST_API_KEY` environment variable;
/// 2. `$XDG_CONFIG_HOME/vastai/vast_api_key`, else `~/.config/vastai/vast_api_key`;
/// 3. the legacy `~/.vast_api_key`.
///
/// Values are trimmed, and empty ones skipped. A file that exists but cannot be read is an
/// error rather than skipped, so a broken configuration is not silently bypassed. (A key
/// given to [`ClientBuilder::api_key`](crate::ClientBuilder::api_key) comes before all of
/// these.)
pub fn find_api_key(env: &dyn Env) -> Result<(Secret, KeySource), ConfigError> {
    if let Some(key) = env.var(API_KEY_VAR).and_then(non_empty) {
        return Ok((key, KeySource::EnvVar));
    }
    let mut searched = vec![KeySource::EnvVar.to_string()];
    let home = env.home_dir();
    let config_home = env
        .var(CONFIG_HOME_VAR)
        .map(PathBuf::from)
        // The XDG spec says to ignore a relative path.
        .filter(|dir| dir.is_absolute())
        .or_else(|| home.as_ref().map(|home| home.join(".config")));
    let files = [
        config_home.map(|dir| KeySource::ConfigFile(dir.join("vastai").join("vast_api_key"))),
        home.map(|home| KeySource::LegacyFile(home.join(".vast_api_key"))),
    ];
    for source in files.into_iter().flatten() {
        let (KeySource::ConfigFile(path) | KeySource::LegacyFile(path)) = &source else {
            continue;
        };
        match env.read_file(path) {
            Ok(contents) => {
                if let Some(key) = non_empty(contents) {
                    return Ok((key, source));
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(ConfigError::ReadKeyFile {
                    path: path.clone(),
                    source,
                });
            }
        }
        searched.push(source.to_string());
    }
    if searched.len() == 1 {
        searched.push("no key file (no home directory)".to_owned());
    }
    Err(ConfigError::MissingApiKey { searched })
}

/// The trimmed key, unless nothing is left.
pub(crate) fn non_empty(key: String) -> Option<Secret> {
    let trimmed = key.trim();
    (!trimmed.is_empty()).then(|| Secret::new(trimmed))
}

/// The base URL: `explicit` if given, else `VAST_URL`, else [`DEFAULT_BASE_URL`], checked and
/// without a trailing slash (the generated code appends `/api/v0/...`).
pub fn resolve_base_url(explicit: Option<&str>, env: &dyn Env) -> Result<String, ConfigError> {
    let from_env = || env.var(BASE_URL_VAR).filter(|url| !url.trim().is_empty());
    let url = match explicit {
        Some(url) => url.to_owned(),
        None => from_env().unwrap_or_else(|| DEFAULT_BASE_URL.to_owned()),
    };
    let invalid = |reason: &str| ConfigError::InvalidBaseUrl {
        url: redact::url_text(&url),
        reason: reason.to_owned(),
    };
    let parsed = reqwest::Url::parse(url.trim()).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(invalid("it has no host"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(invalid("it must not have a query or fragment"));
    }
    // reqwest would send them as basic auth, which the bearer key replaces; and a base URL
    // without them can be shown in `Debug` output as it is.
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(invalid("it must not contain a user name or password"));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}
