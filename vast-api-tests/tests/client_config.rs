//! Where the client finds its API key and base URL, and how bad settings fail (as errors,
//! never panics). The environment is injected through `vast_api::config::Env` and the
//! home directory is a temporary one, so nothing here reads or changes the real ones.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use tempfile::TempDir;
use vast_api::config::{DEFAULT_BASE_URL, Env, KeySource, find_api_key};
use vast_api::progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use vast_api::{Client, ConfigError};

#[derive(Default)]
struct FakeEnv {
    vars: HashMap<&'static str, String>,
    home: Option<PathBuf>,
}

impl FakeEnv {
    fn with_home(home: &Path) -> Self {
        Self {
            home: Some(home.to_owned()),
            ..Self::default()
        }
    }

    fn var(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.vars.insert(name, value.into());
        self
    }
}

impl Env for FakeEnv {
    fn var(&self, name: &str) -> Option<String> {
        self.vars.get(name).cloned()
    }

    fn home_dir(&self) -> Option<PathBuf> {
        self.home.clone()
    }
}

fn write(path: &Path, contents: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, contents).unwrap();
}

/// A home with a key in every file location, each naming where it is.
fn home_with_every_key_file() -> (TempDir, PathBuf) {
    let home = TempDir::new().unwrap();
    let xdg = home.path().join("xdg");
    write(&xdg.join("vastai/vast_api_key"), "key-from-xdg\n");
    write(
        &home.path().join(".config/vastai/vast_api_key"),
        "key-from-dot-config\n",
    );
    write(&home.path().join(".vast_api_key"), "key-from-legacy\n");
    (home, xdg)
}

/// An environment with a key in `VAST_API_KEY` and in every file location (its home kept
/// alive by the `TempDir`).
fn env_with_every_key() -> (TempDir, FakeEnv) {
    let (home, xdg) = home_with_every_key_file();
    let env = FakeEnv::with_home(home.path())
        .var("VAST_API_KEY", "key-from-env")
        .var("XDG_CONFIG_HOME", xdg.to_str().unwrap());
    (home, env)
}

/// The `Authorization` header the client puts on a request.
async fn authorization(client: &Client) -> String {
    let mut request =
        reqwest::Request::new(reqwest::Method::GET, "http://127.0.0.1/".parse().unwrap());
    let info = OperationInfo {
        operation_id: "test",
    };
    client.pre::<()>(&mut request, &info).await.unwrap();
    request.headers()["authorization"]
        .to_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_key_given_to_the_builder_comes_first() {
    let (_home, env) = env_with_every_key();
    let client = Client::builder()
        .api_key("key-from-builder")
        .build_with_env(&env)
        .unwrap();
    assert_eq!(authorization(&client).await, "Bearer key-from-builder");
}

#[tokio::test]
async fn then_vast_api_key() {
    let (_home, env) = env_with_every_key();
    let (key, source) = find_api_key(&env).unwrap();
    assert_eq!((key.expose(), source), ("key-from-env", KeySource::EnvVar));
    let client = Client::builder().build_with_env(&env).unwrap();
    assert_eq!(authorization(&client).await, "Bearer key-from-env");
}

#[test]
fn then_the_xdg_config_home_file() {
    let (home, xdg) = home_with_every_key_file();
    let env = FakeEnv::with_home(home.path()).var("XDG_CONFIG_HOME", xdg.to_str().unwrap());
    let (key, source) = find_api_key(&env).unwrap();
    assert_eq!(key.expose(), "key-from-xdg");
    assert_eq!(
        source,
        KeySource::ConfigFile(xdg.join("vastai/vast_api_key"))
    );
}

#[test]
fn else_the_dot_config_file() {
    let (home, _) = home_with_every_key_file();
    let env = FakeEnv::with_home(home.path());
    let (key, source) = find_api_key(&env).unwrap();
    assert_eq!(key.expose(), "key-from-dot-config");
    assert_eq!(
        source,
        KeySource::ConfigFile(home.path().join(".config/vastai/vast_api_key"))
    );
    // A relative XDG_CONFIG_HOME is ignored, as the XDG spec says.
    let env = FakeEnv::with_home(home.path()).var("XDG_CONFIG_HOME", "relative/dir");
    assert_eq!(
        find_api_key(&env).unwrap().0.expose(),
        "key-from-dot-config"
    );
}

#[test]
fn then_the_legacy_file_trimmed() {
    let home = TempDir::new().unwrap();
    write(
        &home.path().join(".vast_api_key"),
        "  \tkey-from-legacy \r\n",
    );
    let env = FakeEnv::with_home(home.path());
    let (key, source) = find_api_key(&env).unwrap();
    assert_eq!(key.expose(), "key-from-legacy");
    assert_eq!(
        source,
        KeySource::LegacyFile(home.path().join(".vast_api_key"))
    );
}

#[test]
fn empty_values_are_skipped() {
    let home = TempDir::new().unwrap();
    write(&home.path().join(".config/vastai/vast_api_key"), " \n");
    write(&home.path().join(".vast_api_key"), "key-from-legacy");
    let env = FakeEnv::with_home(home.path()).var("VAST_API_KEY", "");
    assert_eq!(find_api_key(&env).unwrap().0.expose(), "key-from-legacy");
}

#[test]
fn no_key_anywhere_lists_where_it_looked() {
    let home = TempDir::new().unwrap();
    let xdg = home.path().join("xdg");
    let env = FakeEnv::with_home(home.path()).var("XDG_CONFIG_HOME", xdg.to_str().unwrap());
    let error = Client::builder().build_with_env(&env).unwrap_err();
    let ConfigError::MissingApiKey { searched } = &error else {
        panic!("expected MissingApiKey, got {error:?}");
    };
    let xdg_file = xdg.join("vastai/vast_api_key").display().to_string();
    let legacy_file = home.path().join(".vast_api_key").display().to_string();
    assert_eq!(
        searched,
        &[
            "the VAST_API_KEY environment variable".to_owned(),
            xdg_file.clone(),
            legacy_file.clone()
        ]
    );
    let text = error.to_string();
    for place in [
        "VAST_API_KEY",
        &xdg_file,
        &legacy_file,
        "ClientBuilder::api_key",
    ] {
        assert!(text.contains(place), "{place:?} missing from {text:?}");
    }

    let no_home = FakeEnv::default();
    let text = find_api_key(&no_home).unwrap_err().to_string();
    assert!(
        text.contains("VAST_API_KEY") && text.contains("no home directory"),
        "{text}"
    );
}

#[test]
fn an_unreadable_key_file_is_an_error_naming_it() {
    let home = TempDir::new().unwrap();
    // A directory where the file should be cannot be read as one.
    fs::create_dir_all(home.path().join(".config/vastai/vast_api_key")).unwrap();
    write(&home.path().join(".vast_api_key"), "key-from-legacy");
    let error = find_api_key(&FakeEnv::with_home(home.path())).unwrap_err();
    assert!(
        matches!(&error, ConfigError::ReadKeyFile { path, .. } if path.ends_with("vastai/vast_api_key")),
        "{error:?}"
    );
    assert!(std::error::Error::source(&error).is_some());
}

#[test]
fn a_key_that_cannot_be_a_header_is_an_error_without_the_key() {
    let env = FakeEnv::default();
    let error = Client::builder()
        .api_key("secret-part\nmore-secret")
        .build_with_env(&env)
        .unwrap_err();
    assert!(matches!(
        error,
        ConfigError::InvalidApiKey(KeySource::Builder)
    ));
    let text = format!("{error} {error:?}");
    assert!(!text.contains("secret-part"), "{text}");
}

#[test]
fn base_url_defaults_to_console_vast_ai() {
    let env = FakeEnv::default().var("VAST_API_KEY", "k");
    let client = Client::builder().build_with_env(&env).unwrap();
    assert_eq!(client.baseurl(), DEFAULT_BASE_URL);
    assert_eq!(DEFAULT_BASE_URL, "https://console.vast.ai");
}

#[test]
fn vast_url_overrides_the_default_and_the_builder_overrides_both() {
    let env = FakeEnv::default()
        .var("VAST_API_KEY", "k")
        .var("VAST_URL", "http://vast.internal:8080/");
    let client = Client::builder().build_with_env(&env).unwrap();
    // No trailing slash: generated paths start with one.
    assert_eq!(client.baseurl(), "http://vast.internal:8080");

    let client = Client::builder()
        .base_url("https://proxy.example/vast/")
        .build_with_env(&env)
        .unwrap();
    assert_eq!(client.baseurl(), "https://proxy.example/vast");
}

#[test]
fn invalid_base_urls_are_errors() {
    let env = FakeEnv::default().var("VAST_API_KEY", "k");
    for url in [
        "",
        "not a url",
        "console.vast.ai",
        "ftp://console.vast.ai",
        "http://",
        "https://console.vast.ai/?x=1",
        "http://[::1",
        "https://user:pw@console.vast.ai",
    ] {
        let error = Client::builder()
            .base_url(url)
            .build_with_env(&env)
            .unwrap_err();
        assert!(
            matches!(&error, ConfigError::InvalidBaseUrl { .. }),
            "{url:?}: {error:?}"
        );
    }
    let env = env.var("VAST_URL", "mailto:ops@example.com");
    assert!(matches!(
        Client::builder().build_with_env(&env),
        Err(ConfigError::InvalidBaseUrl { .. })
    ));
}

#[test]
fn base_url_errors_and_debug_output_hide_credentials_and_queries() {
    let env = FakeEnv::default().var("VAST_API_KEY", "k");
    for (url, shown) in [
        (
            "https://user:pw-s3cret@console.vast.ai/",
            "https://console.vast.ai/",
        ),
        (
            "https://console.vast.ai/?api_key=s3cret",
            "https://console.vast.ai/",
        ),
        (
            "ftp://u:s3cret@console.vast.ai/x#s3cret",
            "ftp://console.vast.ai/x",
        ),
        ("http://u:s3cret@[::1/?s3cret", "http://[::1/"),
    ] {
        let builder = Client::builder().base_url(url);
        let debug = format!("{builder:?}");
        assert!(
            !debug.contains("s3cret") && debug.contains(shown),
            "{debug}"
        );
        let error = builder.build_with_env(&env).unwrap_err();
        let text = format!("{error} {error:?}");
        assert!(!text.contains("s3cret"), "{text}");
        assert!(
            matches!(&error, ConfigError::InvalidBaseUrl { url: given, .. } if given == shown),
            "{url:?}: {error:?}"
        );
    }
}

#[test]
fn other_bad_settings_are_errors() {
    let env = FakeEnv::default().var("VAST_API_KEY", "k");
    assert!(matches!(
        Client::builder()
            .user_agent("bad\nagent")
            .build_with_env(&env),
        Err(ConfigError::InvalidUserAgent(_))
    ));
    assert!(matches!(
        Client::builder()
            .http_client(reqwest::Client::new())
            .connect_timeout(Duration::from_secs(1))
            .build_with_env(&env),
        Err(ConfigError::ConnectTimeoutWithHttpClient)
    ));
}
