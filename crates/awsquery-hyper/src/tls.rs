//! The TLS client configuration: ring's algorithms and the trust roots, Mozilla's by default or a
//! CA bundle's.

use std::fs::File;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::RootCertStore;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject as _;

use crate::BuildError;

/// The largest CA bundle read: 16 MiB, far above the whole Mozilla set (about 200 KiB).
pub const MAX_CA_BUNDLE_SIZE: u64 = 16 * 1024 * 1024;

/// Where the trust roots come from.
#[derive(Clone, Debug, Default)]
pub(crate) enum Roots {
    /// Mozilla's root certificates, from `webpki-roots`.
    #[default]
    Webpki,
    /// The certificates of PEM data.
    Pem(Arc<[u8]>),
    /// The certificates of a PEM file, read when the transport is built.
    File(PathBuf),
}

impl Roots {
    /// The root store: for a bundle, every certificate in it and nothing else.
    pub(crate) fn load(&self) -> Result<RootCertStore, BuildError> {
        match self {
            Roots::Webpki => Ok(RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            }),
            Roots::Pem(pem) => parse_bundle(pem, None),
            Roots::File(path) => parse_bundle(&read_bundle(path)?, Some(path)),
        }
    }
}

/// Reads the file at `path`, refusing one over [`MAX_CA_BUNDLE_SIZE`].
fn read_bundle(path: &Path) -> Result<Vec<u8>, BuildError> {
    let unreadable = |source| BuildError::CaBundleRead {
        path: path.to_owned(),
        source,
    };
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|file| file.take(MAX_CA_BUNDLE_SIZE + 1).read_to_end(&mut bytes))
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_CA_BUNDLE_SIZE {
        return Err(BuildError::CaBundleTooLarge {
            path: path.to_owned(),
        });
    }
    Ok(bytes)
}

/// The certificates of the PEM data `pem` (read from `path`, when it was) as trust roots. Other
/// sections (a private key, say) are skipped; no certificate at all is an error.
fn parse_bundle(pem: &[u8], path: Option<&Path>) -> Result<RootCertStore, BuildError> {
    let origin = || path.map(Path::to_owned);
    let mut store = RootCertStore::empty();
    for (index, certificate) in CertificateDer::pem_slice_iter(pem).enumerate() {
        let certificate = certificate.map_err(|e| BuildError::CaBundlePem {
            path: origin(),
            reason: e.to_string(),
        })?;
        store
            .add(certificate)
            .map_err(|e| BuildError::CaBundleCertificate {
                path: origin(),
                index: index + 1,
                reason: e.to_string(),
            })?;
    }
    if store.is_empty() {
        return Err(BuildError::CaBundleEmpty { path: origin() });
    }
    Ok(store)
}

/// TLS 1.2 and 1.3 with ring's algorithms, trusting `roots`.
pub(crate) fn client_config(roots: RootCertStore) -> rustls::ClientConfig {
    rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("the ring provider supports TLS 1.2 and 1.3")
        .with_root_certificates(roots)
        .with_no_client_auth()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_roots_are_mozillas() {
        let store = Roots::Webpki.load().expect("the built-in roots");
        assert_eq!(store.len(), webpki_roots::TLS_SERVER_ROOTS.len());
        assert!(store.len() > 100);
    }

    #[test]
    fn bundles_without_certificates_are_refused() {
        for pem in [
            &b""[..],
            b"not PEM at all",
            b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        ] {
            let error = Roots::Pem(Arc::from(pem)).load().unwrap_err();
            assert_eq!(error.to_string(), "the CA bundle holds no certificate");
        }
    }

    #[test]
    fn broken_pem_and_certificates_are_refused() {
        let pem = b"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
        let error = Roots::Pem(Arc::from(&pem[..])).load().unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("the CA bundle is not valid PEM: "),
            "{error}"
        );
        // Valid base64, but not a certificate.
        let pem = b"-----BEGIN CERTIFICATE-----\nAAECAw==\n-----END CERTIFICATE-----\n";
        let error = Roots::Pem(Arc::from(&pem[..])).load().unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("certificate 1 of the CA bundle cannot be a trust root: "),
            "{error}"
        );
    }

    #[test]
    fn missing_and_oversized_files_are_refused() {
        let missing = Path::new("/nonexistent/awsquery-test/ca.pem");
        let error = Roots::File(missing.to_owned()).load().unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("cannot read the CA bundle `/nonexistent/awsquery-test/ca.pem`: "),
            "{error}"
        );

        let dir = std::env::temp_dir().join(format!("awsquery-hyper-tls-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        let big = dir.join("big.pem");
        let file = File::create(&big).expect("a file");
        file.set_len(MAX_CA_BUNDLE_SIZE + 1).expect("a sparse file");
        let error = Roots::File(big.clone()).load().unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("the CA bundle `{}` is larger than 16 MiB", big.display())
        );
        std::fs::remove_dir_all(&dir).ok();
    }
}
