//! HTTPS for the `reqwest::Client` that [`ClientBuilder`](crate::ClientBuilder) makes.
//!
//! rustls on the *ring* crypto provider, with the certificate verifier reqwest's own `rustls`
//! feature uses (rustls-platform-verifier: the operating system's trust store). reqwest's
//! `rustls` feature would bring aws-lc-rs instead, whose C build was a third of a cold build
//! of this crate (BENCHMARKS.md); with `rustls-no-provider` the provider is ours to give.
//! It is given in the config rather than installed process-wide, so an application's own
//! `CryptoProvider::install_default` is neither overridden nor made to fail.

use crate::ConfigError;

/// `builder` set up to speak TLS with the config below.
#[cfg(feature = "rustls")]
pub(crate) fn configure(
    builder: reqwest::ClientBuilder,
) -> Result<reqwest::ClientBuilder, ConfigError> {
    configure_with_roots(builder, Vec::new())
}

/// `builder` set up to speak TLS with the config below, trusting the DER certificates in
/// `extra_roots` besides the platform's.
///
/// A preconfigured rustls config is used by reqwest as it is, so the roots must go into it:
/// reqwest's own `add_root_certificate` and `tls_certs_merge` are ignored beside it.
#[cfg(feature = "rustls")]
pub(crate) fn configure_with_roots(
    builder: reqwest::ClientBuilder,
    extra_roots: Vec<Vec<u8>>,
) -> Result<reqwest::ClientBuilder, ConfigError> {
    let config = client_config(extra_roots).map_err(|error| ConfigError::Tls(Box::new(error)))?;
    Ok(builder.tls_backend_preconfigured(config))
}

/// Without a TLS feature, `builder` as it is: only `http://` base URLs work.
#[cfg(not(feature = "rustls"))]
pub(crate) fn configure(
    builder: reqwest::ClientBuilder,
) -> Result<reqwest::ClientBuilder, ConfigError> {
    Ok(builder)
}

/// What reqwest would build for itself with its defaults, on ring: TLS 1.2 and 1.3, the
/// platform verifier, no client certificate, and the same ALPN offer (reqwest uses a
/// preconfigured config as it is).
#[cfg(feature = "rustls")]
fn client_config(extra_roots: Vec<Vec<u8>>) -> Result<rustls::ClientConfig, rustls::Error> {
    use std::sync::Arc;

    use rustls::pki_types::CertificateDer;
    use rustls_platform_verifier::BuilderVerifierExt as _;

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()?;
    let builder = if extra_roots.is_empty() {
        builder.with_platform_verifier()?
    } else {
        let roots = extra_roots.into_iter().map(CertificateDer::from);
        let verifier = rustls_platform_verifier::Verifier::new_with_extra_roots(roots, provider)?;
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
    };
    let mut config = builder.with_no_client_auth();
    config.alpn_protocols = if cfg!(feature = "http2") {
        vec![b"h2".to_vec(), b"http/1.1".to_vec()]
    } else {
        vec![b"http/1.1".to_vec()]
    };
    Ok(config)
}

#[cfg(all(test, feature = "rustls"))]
mod tests {
    use super::*;

    #[test]
    fn config_uses_ring_and_offers_http1() {
        let config = client_config(Vec::new()).expect("TLS config");
        assert!(config.alpn_protocols.contains(&b"http/1.1".to_vec()));
        // ring's provider, not whatever is installed process-wide.
        let suites = |provider: &rustls::crypto::CryptoProvider| {
            let suites = provider.cipher_suites.iter().map(|s| s.suite());
            suites.collect::<Vec<_>>()
        };
        assert_eq!(
            suites(config.crypto_provider()),
            suites(&rustls::crypto::ring::default_provider())
        );
    }
}
