//! The default chain and the loader, with the container endpoint, instance metadata and STS
//! played by servers on 127.0.0.1.

#[path = "common/http_server.rs"]
mod http_server;
mod profiles_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use awsquery::credentials::{CredentialsErrorKind, ProvideCredentials};
use awsquery::env::Env;
use awsquery_config::{ConfigLoader, LoadError, Loaded};
use awsquery_hyper::HyperTransport;
use http_server::{Recorded, Reply, TestServer};
use profiles_support::{TempHome, assert_hides};

const CONTAINER_PATH: &str = "/v2/credentials/task";

fn container_document(key: &str) -> String {
    format!(
        r#"{{"AccessKeyId":"{key}","SecretAccessKey":"container-secret","Token":"container-token","Expiration":"2100-01-01T00:00:00Z"}}"#
    )
}

/// A container endpoint answering `key`, counting its requests.
async fn container(key: &'static str) -> TestServer {
    TestServer::start(move |_: &Recorded| Reply::new(200, container_document(key))).await
}

/// An instance metadata service with a role and a Region, that wants a session token.
async fn instance_metadata() -> TestServer {
    TestServer::start(|request: &Recorded| match (request.method.as_str(), request.path.as_str()) {
        ("PUT", "/latest/api/token") => Reply::new(200, "imds-session-token")
            .header("x-aws-ec2-metadata-token-ttl-seconds", "21600"),
        (_, _) if request.header("x-aws-ec2-metadata-token") != Some("imds-session-token") => {
            Reply::new(401, "")
        }
        ("GET", "/latest/meta-data/placement/region") => Reply::new(200, "eu-central-1"),
        ("GET", "/latest/meta-data/iam/security-credentials/") => Reply::new(200, "instance-role"),
        ("GET", "/latest/meta-data/iam/security-credentials/instance-role") => Reply::new(
            200,
            r#"{"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"ASIAINSTANCE","SecretAccessKey":"instance-secret","Token":"instance-token","Expiration":"2100-01-01T00:00:00Z"}"#,
        ),
        _ => Reply::new(404, ""),
    })
    .await
}

/// An environment in `home` without keys, with instance metadata turned off unless `imds` is
/// given (so that no test waits for 169.254.169.254).
fn env(home: &TempHome, imds: Option<&TestServer>, extra: &[(&str, &str)]) -> Env {
    let endpoint = imds.map(TestServer::url);
    let mut pairs: Vec<(&str, &str)> = match &endpoint {
        Some(url) => vec![("AWS_EC2_METADATA_SERVICE_ENDPOINT", url.as_str())],
        None => vec![("AWS_EC2_METADATA_DISABLED", "true")],
    };
    pairs.extend_from_slice(extra);
    home.env(&pairs)
}

async fn load(loader: ConfigLoader) -> Loaded<HyperTransport> {
    loader
        .load_with_transport(HyperTransport::new())
        .await
        .expect("the configuration loads")
}

async fn key_of(loaded: &Loaded<HyperTransport>) -> String {
    loaded
        .credentials_provider()
        .provide()
        .await
        .expect("credentials")
        .access_key_id()
        .to_owned()
}

#[tokio::test]
async fn the_environment_comes_first_unless_a_profile_is_chosen() {
    let home = TempHome::new();
    home.credentials(
        "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = default-secret\n\
         [other]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = other-secret\n",
    );
    let keys = [
        ("AWS_ACCESS_KEY_ID", "AKIDENVIRONMENT"),
        ("AWS_SECRET_ACCESS_KEY", "environment-secret"),
        ("AWS_REGION", "us-west-2"),
    ];
    let loaded = load(ConfigLoader::with_env(env(&home, None, &keys))).await;
    assert_eq!(key_of(&loaded).await, "AKIDENVIRONMENT");

    let with_profile = [&keys[..], &[("AWS_PROFILE", "other")]].concat();
    let loaded = load(ConfigLoader::with_env(env(&home, None, &with_profile))).await;
    assert_eq!(
        key_of(&loaded).await,
        "AKIDENVIRONMENT",
        "AWS_PROFILE does not hide the keys"
    );

    let loaded = load(ConfigLoader::with_env(env(&home, None, &keys)).profile("other")).await;
    assert_eq!(
        key_of(&loaded).await,
        "AKIDOTHER",
        "an explicit profile does"
    );
}

#[tokio::test]
async fn static_keys_are_answered_at_once() {
    let home = TempHome::new();
    home.credentials("[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = s\n");
    let loaded = load(ConfigLoader::with_env(env(&home, None, &[]))).await;
    let provider = loaded.credentials_provider();
    let answer = provider
        .provide()
        .now_or_never()
        .expect("no waiting for static keys");
    assert_eq!(answer.unwrap().access_key_id(), "AKIDPROFILE");
}

#[tokio::test]
async fn the_container_endpoint_after_the_profile() {
    let home = TempHome::new();
    let server = container("ASIACONTAINER").await;
    let full_uri = format!("{}{CONTAINER_PATH}", server.url());
    let extra = [("AWS_CONTAINER_CREDENTIALS_FULL_URI", full_uri.as_str())];
    let loaded = load(ConfigLoader::with_env(env(&home, None, &extra))).await;
    assert_eq!(key_of(&loaded).await, "ASIACONTAINER");
    assert_eq!(key_of(&loaded).await, "ASIACONTAINER");
    assert_eq!(
        server.count("GET", CONTAINER_PATH),
        1,
        "cached until it expires"
    );

    // A profile with keys comes before the container.
    home.credentials("[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = s\n");
    let loaded = load(ConfigLoader::with_env(env(&home, None, &extra))).await;
    assert_eq!(key_of(&loaded).await, "AKIDPROFILE");
}

#[tokio::test]
async fn instance_metadata_last_for_credentials_and_the_region() {
    let home = TempHome::new();
    let imds = instance_metadata().await;
    let loaded = load(ConfigLoader::with_env(env(&home, Some(&imds), &[]))).await;
    assert_eq!(loaded.region(), Some("eu-central-1"));
    assert_eq!(key_of(&loaded).await, "ASIAINSTANCE");
    assert!(imds.count("PUT", "/latest/api/token") >= 1);

    // Any earlier source of the Region wins without asking the service.
    let before = imds.requests().len();
    home.config("[default]\nregion = ap-southeast-2\n");
    let loaded = load(ConfigLoader::with_env(env(&home, Some(&imds), &[]))).await;
    assert_eq!(loaded.region(), Some("ap-southeast-2"));
    let loaded = load(
        ConfigLoader::with_env(env(&home, Some(&imds), &[("AWS_REGION", "sa-east-1")]))
            .region("ca-central-1"),
    )
    .await;
    assert_eq!(loaded.region(), Some("ca-central-1"));
    assert_eq!(imds.requests().len(), before);
}

#[tokio::test]
async fn a_broken_profile_stops_the_chain_before_the_container() {
    let home = TempHome::new();
    home.config(
        "[default]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = b\n\
         [profile b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = default\n",
    );
    let server = container("ASIACONTAINER").await;
    let full_uri = format!("{}{CONTAINER_PATH}", server.url());
    let extra = [("AWS_CONTAINER_CREDENTIALS_FULL_URI", full_uri.as_str())];
    let loaded = load(ConfigLoader::with_env(env(&home, None, &extra))).await;
    for _ in 0..2 {
        let error = loaded.credentials_provider().provide().await.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration);
        let text = error.to_string();
        assert!(text.contains("default") && text.contains(" b"), "{text}");
        let last = error.sources_tried().last().unwrap_or_default();
        assert_eq!(last, "profile `default`", "{text}");
    }
    assert_eq!(server.requests().len(), 0, "the container is not asked");
}

#[tokio::test]
async fn nothing_configured_names_every_source_tried() {
    let home = TempHome::new();
    let loaded = load(ConfigLoader::with_env(env(&home, None, &[]))).await;
    let error = loaded.credentials_provider().provide().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::NotFound);
    let tried: Vec<_> = error.sources_tried().collect();
    assert!(tried.len() >= 4, "{tried:?}: {error}");
    let text = error.to_string();
    for word in [
        "AWS_ACCESS_KEY_ID",
        "default",
        "AWS_CONTAINER_CREDENTIALS",
        "AWS_EC2_METADATA_DISABLED",
    ] {
        assert!(text.contains(word), "`{word}` in {text}");
    }
}

#[tokio::test]
async fn a_missing_explicit_profile_fails_the_load() {
    let home = TempHome::new();
    home.config("[profile present]\nregion = eu-west-1\n");
    let error = ConfigLoader::with_env(env(&home, None, &[]))
        .profile("absent")
        .load_with_transport(HyperTransport::new())
        .await
        .unwrap_err();
    assert!(
        matches!(&error, LoadError::ProfileNotFound(name) if name == "absent"),
        "{error}"
    );
    assert_eq!(
        error.to_string(),
        "the config profile (absent) could not be found"
    );

    // Named by AWS_PROFILE, the same, even with keys in the environment.
    let named = [
        ("AWS_PROFILE", "typo"),
        ("AWS_ACCESS_KEY_ID", "AKIDENVIRONMENT"),
        ("AWS_SECRET_ACCESS_KEY", "environment-secret"),
    ];
    let error = ConfigLoader::with_env(env(&home, None, &named))
        .load_with_transport(HyperTransport::new())
        .await
        .unwrap_err();
    assert!(
        matches!(&error, LoadError::ProfileNotFound(name) if name == "typo"),
        "{error}"
    );

    // The implicit default may be missing.
    let loaded = load(ConfigLoader::with_env(env(&home, None, &named[1..]))).await;
    assert_eq!(loaded.profile_name(), "default");
    assert_eq!(key_of(&loaded).await, "AKIDENVIRONMENT");
}

#[tokio::test]
async fn the_client_config_carries_the_settings_and_needs_a_region() {
    let home = TempHome::new();
    home.config(
        "[default]\nmax_attempts = 7\nretry_mode = adaptive\nendpoint_url = http://127.0.0.1:9\n",
    );
    let loaded = load(ConfigLoader::with_env(env(&home, None, &[]))).await;
    assert!(matches!(loaded.client_config(), Err(LoadError::NoRegion)));

    let loaded = load(ConfigLoader::with_env(env(&home, None, &[])).region("eu-west-3")).await;
    let config = loaded.client_config().unwrap();
    assert_eq!(config.region(), "eu-west-3");
    assert_eq!(config.retry_config().max_attempts(), 7);
    assert_eq!(
        config.retry_config().mode(),
        awsquery::retry::RetryMode::Adaptive
    );
    let builtins = config
        .endpoint_settings()
        .builtins("eu-west-3", "Neptune")
        .unwrap();
    assert_eq!(builtins.endpoint.as_deref(), Some("http://127.0.0.1:9"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_concurrent_calls_refresh_once() {
    let home = TempHome::new();
    let served = Arc::new(AtomicUsize::new(0));
    let counter = served.clone();
    let server = TestServer::start(move |_: &Recorded| {
        counter.fetch_add(1, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(50));
        Reply::new(200, container_document("ASIACONCURRENT"))
    })
    .await;
    let full_uri = format!("{}{CONTAINER_PATH}", server.url());
    let extra = [("AWS_CONTAINER_CREDENTIALS_FULL_URI", full_uri.as_str())];
    let loaded = load(ConfigLoader::with_env(env(&home, None, &extra))).await;
    let provider = loaded.credentials_provider();
    let calls: Vec<_> = (0..100)
        .map(|_| {
            let provider = provider.clone();
            tokio::spawn(async move {
                provider
                    .provide()
                    .await
                    .map(|c| c.access_key_id().to_owned())
            })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap().unwrap(), "ASIACONCURRENT");
    }
    assert_eq!(served.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn debug_of_what_was_loaded_shows_no_secret() {
    let home = TempHome::new();
    home.credentials("[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret-value\naws_session_token = profile-token-value\n");
    let loaded = load(ConfigLoader::with_env(env(
        &home,
        None,
        &[("AWS_REGION", "us-east-1")],
    )))
    .await;
    let credentials = key_of(&loaded).await;
    assert_eq!(credentials, "AKIDPROFILE");
    assert_hides(
        &format!("{loaded:?}"),
        &["profile-secret-value", "profile-token-value"],
    );
    assert_hides(
        &format!("{:?}", loaded.client_config().unwrap()),
        &["profile-secret-value", "profile-token-value"],
    );
}
