//! The STS providers against a small STS stand-in on 127.0.0.1: what they send (the form, the
//! signature made with the source key, no signature for web identity) and what they make of the
//! answers (expiring credentials, refusals, a missing token file, a server that never answers).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use awsquery::credentials::{CredentialsErrorKind, EnvironmentCredentials, ProvideCredentials};
use awsquery::endpoint::EndpointSettings;
use awsquery::env::Env;
use awsquery::profile::ProfileSet;
use awsquery::sigv4::{Credentials, SignableRequest, SigningParams, authorization};
use awsquery::time::{DateTime, TimestampFormat};
use awsquery_config::cache::CachedCredentials;
use awsquery_config::sts::{AssumeRoleProvider, WebIdentityProvider};
use awsquery_hyper::HyperTransport;
use awsquery_testing::form_pairs;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const ROLE: &str = "arn:aws:iam::123456789012:role/graph-reader";
const SOURCE_KEY: &str = "AKIDSOURCEEXAMPLE";
const SOURCE_SECRET: &str = "source/secret+EXAMPLEKEY";
const SOURCE_TOKEN: &str = "source-session-token";
const ISSUED_SECRET: &str = "issued/secret+EXAMPLEKEY";
const ISSUED_TOKEN: &str = "issued-session-token==";
/// 2024-05-01T12:34:56Z, the expiry the stand-in hands out.
const EXPIRY_SECS: u64 = 1_714_566_896;
/// How long a test waits for anything on the socket.
const WAIT: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------------------------------------
// The STS stand-in
// ---------------------------------------------------------------------------------------------

/// One request as the stand-in read it.
#[derive(Debug, Clone)]
struct Received {
    method: String,
    target: String,
    /// Header names in lower case, values as sent.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The form body, by key (each key once in these requests).
    fn form(&self) -> BTreeMap<String, String> {
        form_pairs(&String::from_utf8_lossy(&self.body))
            .into_iter()
            .collect()
    }
}

/// What the stand-in answers: a status and an XML body, chosen from the request.
type Answer = Box<dyn Fn(&Received) -> (u16, String) + Send + Sync>;

/// An HTTP/1.1 server on 127.0.0.1 that records each request and answers it, one request per
/// connection.
struct Server {
    url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Server {
    async fn start(answer: Answer) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        let received = Arc::new(Mutex::new(Vec::new()));
        let answer = Arc::new(answer);
        let log = Arc::clone(&received);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let log = Arc::clone(&log);
                let answer = Arc::clone(&answer);
                tokio::spawn(async move {
                    // A connection that stalls or breaks is dropped; the test sees no request.
                    let _ = tokio::time::timeout(WAIT, read_request(stream, &log, &*answer)).await;
                });
            }
        });
        Server { url, received }
    }

    /// A server that accepts connections and never answers.
    async fn silent() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        tokio::spawn(async move {
            let mut open = Vec::new();
            while let Ok((stream, _)) = listener.accept().await {
                open.push(stream);
            }
        });
        Server {
            url,
            received: Arc::new(Mutex::new(Vec::new())),
        }
    }

    fn requests(&self) -> Vec<Received> {
        self.received.lock().expect("not poisoned").clone()
    }

    fn only_request(&self) -> Received {
        let mut requests = self.requests();
        assert_eq!(requests.len(), 1, "{requests:#?}");
        requests.remove(0)
    }
}

/// Reads one request (head up to 16 KiB, body by `Content-Length` up to 1 MiB), records it and
/// writes the answer.
async fn read_request(
    mut stream: TcpStream,
    log: &Mutex<Vec<Received>>,
    answer: &(dyn Fn(&Received) -> (u16, String) + Send + Sync),
) -> std::io::Result<()> {
    let mut data = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if data.len() > 16 * 1024 {
            return Ok(());
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        data.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let method = request_line.next().unwrap_or_default().to_owned();
    let target = request_line.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0)
        .min(1024 * 1024);
    let mut body = data[head_end..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        body.extend_from_slice(&chunk[..n]);
    }
    let received = Received {
        method,
        target,
        headers,
        body,
    };
    let (status, xml) = answer(&received);
    log.lock().expect("not poisoned").push(received);
    let response = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{xml}",
        xml.len()
    );
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown().await
}

/// A successful answer of `action` with credentials that expire at 2024-05-01T12:34:56Z.
fn issued(action: &str) -> (u16, String) {
    issued_until(action, "2024-05-01T12:34:56Z")
}

/// A successful answer of `action` with credentials that expire at `expiration`.
fn issued_until(action: &str, expiration: &str) -> (u16, String) {
    (
        200,
        format!(
            "<{action}Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
             <{action}Result>\
             <Credentials><AccessKeyId>ASIAISSUEDEXAMPLE</AccessKeyId>\
             <SecretAccessKey>{ISSUED_SECRET}</SecretAccessKey>\
             <SessionToken>{ISSUED_TOKEN}</SessionToken>\
             <Expiration>{expiration}</Expiration></Credentials>\
             <AssumedRoleUser><AssumedRoleId>AROAEXAMPLE:s</AssumedRoleId>\
             <Arn>arn:aws:sts::123456789012:assumed-role/graph-reader/s</Arn></AssumedRoleUser>\
             </{action}Result>\
             <ResponseMetadata><RequestId>0000</RequestId></ResponseMetadata>\
             </{action}Response>"
        ),
    )
}

/// An error answer.
fn refused(status: u16, code: &str, message: &str) -> (u16, String) {
    (
        status,
        format!(
            "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
             <Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>\
             <RequestId>1111</RequestId></ErrorResponse>"
        ),
    )
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn source() -> Arc<dyn ProvideCredentials> {
    Arc::new(Credentials::new(
        SOURCE_KEY,
        SOURCE_SECRET,
        Some(String::from(SOURCE_TOKEN)),
    ))
}

fn expiry() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(EXPIRY_SECS)
}

/// Checks that `request` carries a SigV4 signature by `credentials` for `region` and `sts`: the
/// signature is computed again over the headers it names and compared.
fn assert_signed_by(request: &Received, credentials: &Credentials, region: &str) {
    let header = request
        .header("authorization")
        .expect("an Authorization header");
    let signed: Vec<&str> = header
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .expect("signed headers")
        .split(';')
        .collect();
    assert!(
        signed.contains(&"host") && signed.contains(&"x-amz-date"),
        "{header}"
    );
    let headers: Vec<(&str, &str)> = signed
        .iter()
        .map(|name| {
            (
                *name,
                request.header(name).expect("a signed header is sent"),
            )
        })
        .collect();
    let amz_date = request.header("x-amz-date").expect("x-amz-date");
    let rfc3339 = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &amz_date[0..4],
        &amz_date[4..6],
        &amz_date[6..8],
        &amz_date[9..11],
        &amz_date[11..13],
        &amz_date[13..15]
    );
    let time = DateTime::parse(&rfc3339, TimestampFormat::DateTime).expect("a date");
    let (path, query) = request
        .target
        .split_once('?')
        .unwrap_or((&request.target, ""));
    let expected = authorization(
        &SignableRequest {
            method: &request.method,
            path,
            query,
            headers: &headers,
            body: &request.body,
        },
        &SigningParams {
            credentials,
            region,
            service: "sts",
            time,
        },
    );
    assert_eq!(header, expected);
}

/// A fresh file under the temporary folder, for a token.
fn token_file(name: &str, contents: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "awsquery-config-sts-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("write the token");
    path
}

// ---------------------------------------------------------------------------------------------
// AssumeRole
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn assume_role_signs_with_the_source_key_and_returns_expiring_credentials() {
    let server = Server::start(Box::new(|_| issued("AssumeRole"))).await;
    let env = Env::from_pairs(&[("AWS_ENDPOINT_URL_STS", &server.url)]);
    let provider = AssumeRoleProvider::builder(ROLE, source())
        .session_name("nightly-export")
        .external_id("partner-7f3a")
        .duration_seconds(900)
        .region("eu-west-1")
        .env(env)
        .build(HyperTransport::new());

    let credentials = provider.provide().await.expect("credentials");
    assert_eq!(credentials.access_key_id(), "ASIAISSUEDEXAMPLE");
    assert_eq!(credentials.secret_access_key(), ISSUED_SECRET);
    assert_eq!(credentials.session_token(), Some(ISSUED_TOKEN));
    assert_eq!(credentials.expiry(), Some(expiry()));

    let request = server.only_request();
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("POST", "/")
    );
    let form = request.form();
    let expected: BTreeMap<String, String> = [
        ("Action", "AssumeRole"),
        ("Version", "2011-06-15"),
        ("RoleArn", ROLE),
        ("RoleSessionName", "nightly-export"),
        ("ExternalId", "partner-7f3a"),
        ("DurationSeconds", "900"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    assert_eq!(form, expected);
    assert_eq!(request.header("x-amz-security-token"), Some(SOURCE_TOKEN));
    let source = Credentials::new(SOURCE_KEY, SOURCE_SECRET, Some(String::from(SOURCE_TOKEN)));
    assert_signed_by(&request, &source, "eu-west-1");

    let printed = format!("{provider:?} {credentials:?}");
    for secret in [SOURCE_SECRET, SOURCE_TOKEN, ISSUED_SECRET, ISSUED_TOKEN] {
        assert!(!printed.contains(secret), "{printed}");
    }
    assert!(printed.contains(ROLE), "{printed}");
}

#[tokio::test]
async fn assume_role_asks_every_time_and_names_its_session_when_not_told() {
    let server = Server::start(Box::new(|_| issued("AssumeRole"))).await;
    let env = Env::from_pairs(&[("AWS_ENDPOINT_URL", &server.url)]);
    let provider = AssumeRoleProvider::builder(ROLE, source())
        .env(env)
        .build(HyperTransport::new());
    provider.provide().await.expect("credentials");
    provider.provide().await.expect("credentials again");

    let requests = server.requests();
    assert_eq!(requests.len(), 2, "no caching: {requests:#?}");
    let name = requests[0].form()["RoleSessionName"].clone();
    let millis = name.strip_prefix("awsquery-").expect("the default prefix");
    assert!(millis.parse::<u128>().is_ok(), "{name}");
    assert_eq!(
        requests[1].form()["RoleSessionName"],
        name,
        "one name per provider"
    );
    assert!(!requests[0].form().contains_key("ExternalId"));
    assert!(!requests[0].form().contains_key("DurationSeconds"));
    // Without a Region, STS is called in us-east-1.
    let source = Credentials::new(SOURCE_KEY, SOURCE_SECRET, Some(String::from(SOURCE_TOKEN)));
    assert_signed_by(&requests[0], &source, "us-east-1");
}

#[tokio::test]
async fn a_cache_in_front_asks_sts_once_while_the_credentials_last() {
    let mut in_an_hour = String::new();
    DateTime::from(SystemTime::now() + Duration::from_secs(3600))
        .write(TimestampFormat::DateTime, &mut in_an_hour);
    let server = Server::start(Box::new(move |_| issued_until("AssumeRole", &in_an_hour))).await;
    let env = Env::from_pairs(&[("AWS_ENDPOINT_URL_STS", &server.url)]);
    let provider = AssumeRoleProvider::builder(ROLE, source())
        .env(env)
        .build(HyperTransport::new());
    let cached = CachedCredentials::new(provider);
    let first = cached.provide().await.expect("credentials");
    let second = cached.provide().await.expect("cached credentials");
    assert_eq!(first.access_key_id(), second.access_key_id());
    assert_eq!(first.expiry(), second.expiry());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_refusal_names_the_role_and_what_sts_said() {
    let server = Server::start(Box::new(|_| {
        refused(
            403,
            "AccessDenied",
            "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: sts:AssumeRole",
        )
    }))
    .await;
    let env = Env::from_pairs(&[("AWS_ENDPOINT_URL_STS", &server.url)]);
    let provider = AssumeRoleProvider::builder(ROLE, source())
        .env(env)
        .build(HyperTransport::new());
    let error = provider.provide().await.expect_err("refused");
    assert_eq!(error.kind(), CredentialsErrorKind::Provider);
    let shown = error.to_string();
    assert!(shown.contains(ROLE), "{shown}");
    assert!(shown.contains("AccessDenied"), "{shown}");
    assert!(
        shown.contains("is not authorized to perform: sts:AssumeRole"),
        "{shown}"
    );
    for secret in [SOURCE_SECRET, SOURCE_TOKEN] {
        assert!(!shown.contains(secret) && !format!("{error:?}").contains(secret));
    }
    assert_eq!(server.requests().len(), 1, "a refusal is not retried");
}

#[tokio::test]
async fn an_unreadable_success_is_reported_without_its_content() {
    // Cut short after the keys: the answer does not parse, and its first bytes are secrets.
    let server = Server::start(Box::new(|_| {
        let (status, body) = issued("AssumeRole");
        let cut = body.find("<AssumedRoleUser>").unwrap();
        (status, body[..cut].to_owned())
    }))
    .await;
    let env = Env::from_pairs(&[("AWS_ENDPOINT_URL_STS", &server.url)]);
    let provider = AssumeRoleProvider::builder(ROLE, source())
        .env(env)
        .build(HyperTransport::new());
    let error = provider.provide().await.expect_err("unreadable");
    let shown = error.to_string();
    assert!(
        shown.contains("HTTP 200") && shown.contains(ROLE),
        "{shown}"
    );
    for secret in [ISSUED_SECRET, ISSUED_TOKEN] {
        assert!(!shown.contains(secret), "{shown}");
        assert!(!format!("{error:?}").contains(secret), "{error:?}");
    }
}

#[tokio::test]
async fn a_source_without_credentials_is_reported_before_anything_is_sent() {
    let server = Server::start(Box::new(|_| issued("AssumeRole"))).await;
    let env = Env::from_pairs(&[("AWS_ENDPOINT_URL_STS", &server.url)]);
    let empty: Arc<dyn ProvideCredentials> =
        Arc::new(EnvironmentCredentials::with_env(Env::from_pairs(&[])));
    let provider = AssumeRoleProvider::builder(ROLE, empty)
        .env(env)
        .build(HyperTransport::new());
    let error = provider.provide().await.expect_err("no source credentials");
    assert_eq!(
        error.kind(),
        CredentialsErrorKind::InvalidConfiguration,
        "a chain stops rather than use another identity: {error}"
    );
    let tried: Vec<&str> = error.sources_tried().collect();
    assert_eq!(tried, ["environment", "assume role"]);
    assert!(error.to_string().contains(ROLE), "{error}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn the_regional_endpoints_setting_reaches_the_provider() {
    let env = Env::from_pairs(&[("AWS_STS_REGIONAL_ENDPOINTS", "everywhere")]);
    let provider = AssumeRoleProvider::builder(ROLE, source())
        .env(env)
        .build(HyperTransport::new());
    let error = provider.provide().await.expect_err("a bad setting");
    assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration);
    let shown = error.to_string();
    assert!(shown.contains("AWS_STS_REGIONAL_ENDPOINTS"), "{shown}");
    assert!(shown.contains("`legacy` or `regional`"), "{shown}");
}

#[tokio::test]
async fn a_profile_s_endpoint_settings_reach_the_provider() {
    let server = Server::start(Box::new(|_| issued("AssumeRole"))).await;
    let profiles = ProfileSet::parse(
        "",
        &format!(
            "[profile local]\nendpoint_url = {}\n\
             [profile odd]\nsts_regional_endpoints = everywhere\n",
            server.url
        ),
    );
    let provider = AssumeRoleProvider::builder(ROLE, source())
        .env(Env::from_pairs(&[]))
        .endpoints(EndpointSettings::new().with_profile(&profiles, "local"))
        .build(HyperTransport::new());
    provider
        .provide()
        .await
        .expect("sent to the profile's endpoint");
    assert_eq!(server.requests().len(), 1);

    let file = token_file("token", "eyJ.profile.sig");
    let provider = WebIdentityProvider::builder(&file, ROLE)
        .env(Env::from_pairs(&[]))
        .endpoints(EndpointSettings::new().with_profile(&profiles, "odd"))
        .build(HyperTransport::new());
    let error = provider.provide().await.expect_err("a bad setting");
    assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert!(
        error
            .to_string()
            .contains("`sts_regional_endpoints` of profile `odd`"),
        "{error}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let server = Server::silent().await;
    let env = Env::from_pairs(&[("AWS_ENDPOINT_URL_STS", &server.url)]);
    let provider = AssumeRoleProvider::builder(ROLE, source())
        .env(env)
        .timeout(Duration::from_millis(300))
        .build(HyperTransport::new());
    let started = std::time::Instant::now();
    let error = tokio::time::timeout(WAIT, provider.provide())
        .await
        .expect("the provider gives up by itself")
        .expect_err("no answer");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(error.kind(), CredentialsErrorKind::Provider);
    assert!(error.to_string().contains("did not answer"), "{error}");
}

// ---------------------------------------------------------------------------------------------
// AssumeRoleWithWebIdentity
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn web_identity_sends_the_current_token_unsigned() {
    let server = Server::start(Box::new(|_| issued("AssumeRoleWithWebIdentity"))).await;
    let file = token_file("token", "eyJ.first-token.sig\n");
    let file_name = file.to_str().expect("a UTF-8 path");
    let env = Env::from_pairs(&[
        ("AWS_WEB_IDENTITY_TOKEN_FILE", file_name),
        ("AWS_ROLE_ARN", ROLE),
        ("AWS_ROLE_SESSION_NAME", "pod-graph-7d9f"),
        ("AWS_REGION", "us-west-2"),
        ("AWS_ENDPOINT_URL_STS", &server.url),
        // Keys in the environment are not used to sign.
        ("AWS_ACCESS_KEY_ID", SOURCE_KEY),
        ("AWS_SECRET_ACCESS_KEY", SOURCE_SECRET),
    ]);
    let provider = WebIdentityProvider::from_env(env, HyperTransport::new()).expect("configured");
    assert_eq!(provider.session_name(), "pod-graph-7d9f");

    let credentials = provider.provide().await.expect("credentials");
    assert_eq!(credentials.access_key_id(), "ASIAISSUEDEXAMPLE");
    assert_eq!(credentials.session_token(), Some(ISSUED_TOKEN));
    assert_eq!(credentials.expiry(), Some(expiry()));

    // The token is rotated: the next fetch reads the file again.
    std::fs::write(&file, "eyJ.second-token.sig").expect("rotate the token");
    provider.provide().await.expect("credentials again");

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for (request, token) in requests
        .iter()
        .zip(["eyJ.first-token.sig", "eyJ.second-token.sig"])
    {
        assert_eq!(request.header("authorization"), None, "{request:#?}");
        assert_eq!(request.header("x-amz-security-token"), None);
        assert_eq!(request.header("x-amz-date"), None);
        assert!(request.header("host").is_some());
        let form = request.form();
        let expected: BTreeMap<String, String> = [
            ("Action", "AssumeRoleWithWebIdentity"),
            ("Version", "2011-06-15"),
            ("RoleArn", ROLE),
            ("RoleSessionName", "pod-graph-7d9f"),
            ("WebIdentityToken", token),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        assert_eq!(form, expected);
    }
    let printed = format!("{provider:?} {credentials:?}");
    assert!(!printed.contains("second-token") && !printed.contains(ISSUED_SECRET));
}

#[tokio::test]
async fn web_identity_from_a_builder() {
    let server = Server::start(Box::new(|_| issued("AssumeRoleWithWebIdentity"))).await;
    let file = token_file("token", "  profile-token  ");
    let provider = WebIdentityProvider::builder(&file, ROLE)
        .env(Env::from_pairs(&[("AWS_ENDPOINT_URL", &server.url)]))
        .region("eu-central-1")
        .build(HyperTransport::new());
    assert_eq!(provider.token_file(), file.as_path());
    provider.provide().await.expect("credentials");
    let form = server.only_request().form();
    assert_eq!(
        form["WebIdentityToken"], "profile-token",
        "white space trimmed"
    );
    assert!(form["RoleSessionName"].starts_with("awsquery-"));
}

#[tokio::test]
async fn a_missing_token_file_names_the_file_and_sends_nothing() {
    let server = Server::start(Box::new(|_| issued("AssumeRoleWithWebIdentity"))).await;
    let missing = std::env::temp_dir().join("awsquery-config-sts-no-such-dir/token");
    let provider = WebIdentityProvider::builder(&missing, ROLE)
        .env(Env::from_pairs(&[("AWS_ENDPOINT_URL_STS", &server.url)]))
        .build(HyperTransport::new());
    let error = provider.provide().await.expect_err("no token");
    assert_eq!(error.kind(), CredentialsErrorKind::Io);
    assert!(
        error.to_string().contains(missing.to_str().expect("UTF-8")),
        "{error}"
    );
    assert!(
        std::error::Error::source(&error).is_some(),
        "the I/O error is kept"
    );

    let empty = token_file("empty", "\n");
    let provider = WebIdentityProvider::builder(&empty, ROLE)
        .env(Env::from_pairs(&[("AWS_ENDPOINT_URL_STS", &server.url)]))
        .build(HyperTransport::new());
    let error = provider.provide().await.expect_err("an empty token");
    assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert!(error.to_string().contains("is empty"), "{error}");

    let huge = token_file("huge", &"x".repeat(70_000));
    let provider = WebIdentityProvider::builder(&huge, ROLE)
        .env(Env::from_pairs(&[("AWS_ENDPOINT_URL_STS", &server.url)]))
        .build(HyperTransport::new());
    let error = provider.provide().await.expect_err("too large");
    assert!(error.to_string().contains("larger than"), "{error}");

    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn a_refused_token_names_the_role_and_what_sts_said() {
    let server = Server::start(Box::new(|_| {
        refused(
            400,
            "InvalidIdentityToken",
            "No OpenIDConnect provider found in your account",
        )
    }))
    .await;
    let file = token_file("token", "eyJ.refused.sig");
    let provider = WebIdentityProvider::builder(&file, ROLE)
        .env(Env::from_pairs(&[("AWS_ENDPOINT_URL_STS", &server.url)]))
        .build(HyperTransport::new());
    let error = provider.provide().await.expect_err("refused");
    assert_eq!(error.kind(), CredentialsErrorKind::Provider);
    let shown = error.to_string();
    assert!(shown.contains(ROLE), "{shown}");
    assert!(shown.contains("InvalidIdentityToken"), "{shown}");
    assert!(shown.contains("No OpenIDConnect provider found"), "{shown}");
    assert!(!shown.contains("eyJ.refused.sig"), "{shown}");
}

#[test]
fn web_identity_from_an_environment_without_it_or_half_of_it() {
    let unset = WebIdentityProvider::from_env(Env::from_pairs(&[]), HyperTransport::new())
        .expect_err("nothing set");
    assert_eq!(unset.kind(), CredentialsErrorKind::NotFound);
    // A role alone is often set for other tools: as the AWS CLI, not web identity at all.
    let role_only = Env::from_pairs(&[("AWS_ROLE_ARN", ROLE)]);
    let error =
        WebIdentityProvider::from_env(role_only, HyperTransport::new()).expect_err("no token file");
    assert_eq!(error.kind(), CredentialsErrorKind::NotFound, "{error}");
    assert!(
        error.to_string().contains("AWS_WEB_IDENTITY_TOKEN_FILE"),
        "{error}"
    );
    // A token file without a role is half a configuration.
    let file_only = Env::from_pairs(&[("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/secrets/token")]);
    let error =
        WebIdentityProvider::from_env(file_only, HyperTransport::new()).expect_err("half set");
    assert_eq!(error.kind(), CredentialsErrorKind::Incomplete, "{error}");
    assert!(error.to_string().contains("AWS_ROLE_ARN"), "{error}");
}
