//! The container credentials provider against a container endpoint on 127.0.0.1.

#[path = "common/http_server.rs"]
mod http_server;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use awsquery::credentials::{CredentialsErrorKind, ProvideCredentials};
use awsquery::env::Env;
use awsquery_config::container::ContainerCredentials;
use awsquery_hyper::HyperTransport;
use http_server::{Reply, TestServer};

const ACCESS_KEY_ID: &str = "ASIACONTAINEREXAMPLE";
const SECRET: &str = "container-test-secret-access-key";
const SESSION_TOKEN: &str = "container-test-session-token";
const AUTH_TOKEN: &str = "Basic container-auth-token";
const RELATIVE_PATH: &str = "/v2/credentials/4f1b2c3d";

fn document() -> String {
    format!(
        r#"{{"AccessKeyId":"{ACCESS_KEY_ID}","SecretAccessKey":"{SECRET}","Token":"{SESSION_TOKEN}","Expiration":"2100-01-02T03:04:05Z","RoleArn":"arn:aws:iam::123456789012:role/task"}}"#
    )
}

/// An endpoint that answers every request with the credentials document.
async fn endpoint() -> TestServer {
    TestServer::start(|_| Reply::new(200, document())).await
}

fn provider(env: &[(&str, &str)]) -> ContainerCredentials<HyperTransport> {
    ContainerCredentials::new(HyperTransport::new(), Env::from_pairs(env))
}

/// A file under the temporary directory, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, content: &[u8]) -> Self {
        let path = std::env::temp_dir().join(format!(
            "awsquery-config-container-{}-{name}",
            std::process::id()
        ));
        std::fs::write(&path, content).unwrap();
        TempFile(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn assert_no_secret(text: &str) {
    for secret in [SECRET, SESSION_TOKEN, "container-auth-token", "file-token"] {
        assert!(!text.contains(secret), "{text}");
    }
}

#[tokio::test]
async fn relative_uri_on_the_ecs_endpoint() {
    let server = endpoint().await;
    let provider = provider(&[("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", RELATIVE_PATH)])
        .relative_uri_base(format!("{}/", server.url()));
    let credentials = provider.provide().await.unwrap();
    assert_eq!(credentials.access_key_id(), ACCESS_KEY_ID);
    assert_eq!(credentials.secret_access_key(), SECRET);
    assert_eq!(credentials.session_token(), Some(SESSION_TOKEN));
    let expiry = credentials.expiry().unwrap();
    let expected = SystemTime::UNIX_EPOCH + Duration::from_secs(4_102_542_245);
    assert_eq!(expiry, expected);

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, "GET");
    assert_eq!(requests[0].path, RELATIVE_PATH);
    assert_eq!(requests[0].header("authorization"), None);
    assert!(format!("{provider:?}").contains("relative_uri_base"));
}

#[tokio::test]
async fn a_relative_uri_is_always_a_path() {
    let server = endpoint().await;
    let provider = provider(&[("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "@example.com/x")])
        .relative_uri_base(server.url());
    provider.provide().await.unwrap();
    assert_eq!(server.requests()[0].path, "/@example.com/x");
}

#[tokio::test]
async fn full_uri_on_loopback_with_the_authorization_token() {
    let server = endpoint().await;
    let uri = format!("{}/creds?id=1", server.url());
    let provider = provider(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &uri),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", AUTH_TOKEN),
    ]);
    let credentials = provider.provide().await.unwrap();
    assert_eq!(credentials.access_key_id(), ACCESS_KEY_ID);
    let request = &server.requests()[0];
    assert_eq!(request.path, "/creds?id=1");
    assert_eq!(request.header("authorization"), Some(AUTH_TOKEN));
    assert_no_secret(&format!("{provider:?}"));
}

#[tokio::test]
async fn the_relative_uri_wins_over_the_full_uri() {
    let server = endpoint().await;
    let provider = provider(&[
        ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", RELATIVE_PATH),
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "http://192.168.1.10/refused",
        ),
    ])
    .relative_uri_base(server.url());
    provider.provide().await.unwrap();
    assert_eq!(server.requests()[0].path, RELATIVE_PATH);
}

#[tokio::test]
async fn a_full_uri_to_another_host_is_refused() {
    let provider = provider(&[
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "http://192.168.1.10:8080/creds",
        ),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", AUTH_TOKEN),
    ]);
    let e = provider.provide().await.unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
    let text = e.to_string();
    assert!(
        text.contains(
            "container endpoint: AWS_CONTAINER_CREDENTIALS_FULL_URI names the host `192.168.1.10`"
        ),
        "{text}"
    );
    assert!(text.contains("use https"), "{text}");
    assert_no_secret(&text);
}

#[tokio::test]
async fn nothing_configured_is_not_found() {
    let e = provider(&[]).provide().await.unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::NotFound);
    assert_eq!(
        e.to_string(),
        "no AWS credentials found: container endpoint: neither \
         AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set"
    );
}

#[tokio::test]
async fn the_token_file_wins_and_is_read_on_each_fetch() {
    let server = endpoint().await;
    let file = TempFile::new("token", b"file-token-1");
    let uri = format!("{}/v1/credentials", server.url());
    let provider = provider(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &uri),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", AUTH_TOKEN),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", file.path()),
    ]);
    provider.provide().await.unwrap();
    std::fs::write(&file.0, b"file-token-2").unwrap();
    provider.provide().await.unwrap();
    let sent: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.header("authorization").unwrap().to_owned())
        .collect();
    assert_eq!(sent, ["file-token-1", "file-token-2"]);
}

#[tokio::test]
async fn a_missing_token_file_is_an_io_error() {
    let server = endpoint().await;
    let missing = std::env::temp_dir().join("awsquery-config-container-no-such-token");
    let provider = provider(&[
        ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", RELATIVE_PATH),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            missing.to_str().unwrap(),
        ),
    ])
    .relative_uri_base(server.url());
    let e = provider.provide().await.unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Io);
    assert!(
        e.to_string()
            .contains("cannot read the authorization token from the file"),
        "{e}"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn an_oversized_token_file_is_refused_unread() {
    let server = endpoint().await;
    let path = std::env::temp_dir().join(format!(
        "awsquery-config-container-huge-token-{}",
        std::process::id()
    ));
    std::fs::write(&path, "x".repeat(64 * 1024)).unwrap();
    let provider = provider(&[
        ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", RELATIVE_PATH),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            path.to_str().unwrap(),
        ),
    ])
    .relative_uri_base(server.url());
    let e = provider.provide().await.unwrap_err();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(e.kind(), CredentialsErrorKind::Io);
    assert!(e.to_string().contains("larger than 16384 bytes"), "{e}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn a_token_with_a_line_break_is_refused() {
    let server = endpoint().await;
    let uri = format!("{}/creds", server.url());
    let injected = "container-auth-token\r\nx-injected: 1";
    let from_env = provider(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &uri),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", injected),
    ]);
    let file = TempFile::new("token-with-newline", b"file-token\n");
    let from_file = provider(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &uri),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", file.path()),
    ]);
    for (provider, from) in [
        (from_env, "AWS_CONTAINER_AUTHORIZATION_TOKEN".to_owned()),
        (from_file, format!("the file `{}`", file.path())),
    ] {
        let e = provider.provide().await.unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
        let text = e.to_string();
        assert!(
            text.contains(&format!("the authorization token from {from}")),
            "{text}"
        );
        assert!(text.contains("contains a line break (CR or LF)"), "{text}");
        assert_no_secret(&text);
        assert_no_secret(&format!("{e:?}"));
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn a_server_error_is_tried_again() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&calls);
    let server = TestServer::start(move |_| match counted.fetch_add(1, Ordering::SeqCst) {
        0 => Reply::new(500, "internal error"),
        _ => Reply::new(200, document()),
    })
    .await;
    let provider = provider(&[("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", RELATIVE_PATH)])
        .relative_uri_base(server.url());
    let credentials = provider.provide().await.unwrap();
    assert_eq!(credentials.access_key_id(), ACCESS_KEY_ID);
    assert_eq!(server.count("GET", RELATIVE_PATH), 2);
}

#[tokio::test]
async fn a_client_error_shows_the_body_without_the_token() {
    let long_tail = "x".repeat(2000);
    let body = format!(
        r#"{{"code":"AccessDenied","message":"the token {AUTH_TOKEN} is not valid {long_tail}"}}"#
    );
    let server = TestServer::start(move |_| Reply::new(403, body.clone())).await;
    let uri = format!("{}/creds", server.url());
    let provider = provider(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &uri),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", AUTH_TOKEN),
    ]);
    let e = provider.provide().await.unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Provider);
    let text = e.to_string();
    assert!(
        text.contains(&format!(
            "{uri} was answered 403: {{\"code\":\"AccessDenied\",\"message\":\"the token *** is not valid xxx"
        )),
        "{text}"
    );
    assert!(text.ends_with("xxx…"), "{text}");
    assert!(text.len() < 1000, "{}", text.len());
    assert_no_secret(&text);
    // Not tried again.
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_silent_endpoint_times_out() {
    let server = TestServer::start(|_| Reply::Hang).await;
    let provider = provider(&[("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", RELATIVE_PATH)])
        .relative_uri_base(server.url())
        .timeout(Duration::from_millis(300))
        .max_attempts(2);
    let started = Instant::now();
    let e = provider.provide().await.unwrap_err();
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(600), "{waited:?}");
    assert!(waited < Duration::from_secs(3), "{waited:?}");
    assert_eq!(e.kind(), CredentialsErrorKind::Provider);
    assert!(
        e.to_string().contains(&format!(
            "no answer from {}{RELATIVE_PATH} (2 attempts of at most 300ms)",
            server.url()
        )),
        "{e}"
    );
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_bad_document_is_an_error_without_secrets() {
    let body = format!(r#"{{"AccessKeyId":"{ACCESS_KEY_ID}","Token":"{SESSION_TOKEN}"}}"#);
    let server = TestServer::start(move |_| Reply::new(200, body.clone())).await;
    let provider = provider(&[("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", RELATIVE_PATH)])
        .relative_uri_base(server.url());
    let e = provider.provide().await.unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Provider);
    assert!(e.to_string().contains("has no `SecretAccessKey`"), "{e}");
    assert_no_secret(&e.to_string());
}
