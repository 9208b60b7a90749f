//! The settings' CA bundle made into a transport: read on the blocking pool, its failures named
//! after the setting that gave the path.

use std::collections::BTreeMap;
use std::future::Future;
use std::path::{Path, PathBuf};

use awsquery::env::Env;
use awsquery_config::settings::{Settings, SettingsError, Source};
use awsquery_hyper::{HyperTransport, ProxyConfig};

/// A CA certificate (its key thrown away): a valid trust root, nothing more.
const TEST_CA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/test-ca.pem");

fn run<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(future)
}

fn temp_file(name: &str, contents: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("awsquery-config-settings-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("the file is written");
    path
}

fn with_bundle_in_profile(path: &Path) -> Settings {
    let profile = BTreeMap::from([(
        String::from("ca_bundle"),
        path.to_string_lossy().into_owned(),
    )]);
    Settings::load(&Env::from_pairs(&[]), Some(&profile)).expect("a path is always valid")
}

fn builder() -> awsquery_hyper::HyperTransportBuilder {
    HyperTransport::builder().proxy(ProxyConfig::disabled())
}

#[test]
fn the_bundle_becomes_the_transports_trust_roots() {
    let settings = Settings::load(&Env::from_pairs(&[("AWS_CA_BUNDLE", TEST_CA)]), None)
        .expect("a path is always valid");
    let transport = run(settings.hyper_transport(builder())).expect("a valid bundle");
    let printed = format!("{transport:?}");
    assert!(printed.contains("custom_roots: true"), "{printed}");

    let transport = run(Settings::default().hyper_transport(builder())).expect("no bundle");
    assert!(format!("{transport:?}").contains("custom_roots: false"));
}

#[test]
fn an_unreadable_bundle_names_the_setting_and_the_file() {
    let missing = std::env::temp_dir().join("awsquery-config-no-such-dir/ca.pem");
    let error = run(with_bundle_in_profile(&missing).hyper_transport(builder())).unwrap_err();
    assert_eq!(error.setting(), Some(Source::Profile("ca_bundle")));
    assert!(
        error.to_string().starts_with(&format!(
            "`ca_bundle` in the profile: cannot read the CA bundle `{}`: ",
            missing.display()
        )),
        "{error}"
    );
}

#[test]
fn a_bundle_without_certificates_names_the_setting() {
    let empty = temp_file("empty.pem", b"nothing here\n");
    let env = Env::from_pairs(&[("AWS_CA_BUNDLE", &empty.to_string_lossy())]);
    let settings = Settings::load(&env, None).expect("a path is always valid");
    let error = run(settings.hyper_transport(builder())).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "the environment variable `AWS_CA_BUNDLE`: the CA bundle `{}` holds no certificate",
            empty.display()
        )
    );
    assert!(std::error::Error::source(&error).is_some());
}

#[test]
fn other_transport_errors_pass_through() {
    let settings = Settings::load(&Env::from_pairs(&[("AWS_CA_BUNDLE", TEST_CA)]), None)
        .expect("a path is always valid");
    let bad_proxy = HyperTransport::builder().proxy(ProxyConfig::all("socks5://proxy:1080"));
    let error = run(settings.hyper_transport(bad_proxy)).unwrap_err();
    assert!(matches!(
        error,
        SettingsError::Transport {
            ca_bundle: None,
            ..
        }
    ));
    assert_eq!(error.setting(), None);
    assert!(
        error
            .to_string()
            .starts_with("the http proxy URL `socks5://proxy:1080`"),
        "{error}"
    );
}
