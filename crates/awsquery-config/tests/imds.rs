//! The instance metadata client and credentials provider against a small IMDS on 127.0.0.1.

#[path = "common/http_server.rs"]
mod http_server;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use awsquery::DateTime;
use awsquery::credentials::{CredentialsErrorKind, ProvideCredentials};
use awsquery::env::Env;
use awsquery_config::imds::{
    self, EndpointMode, IPV6_ENDPOINT, ImdsClient, ImdsCredentials, ImdsErrorKind,
};
use awsquery_hyper::HyperTransport;
use http_server::{Recorded, Reply, TestServer};

const ROLE: &str = "test-role";
const ACCESS_KEY_ID: &str = "ASIAIMDSEXAMPLE";
const SECRET: &str = "imds-test-secret-access-key";
const SESSION_TOKEN: &str = "imds-test-session-token";
const TOKEN_PATH: &str = "/latest/api/token";
const ROLES_PATH: &str = "/latest/meta-data/iam/security-credentials/";
const ROLE_PATH: &str = "/latest/meta-data/iam/security-credentials/test-role";
const REGION_PATH: &str = "/latest/meta-data/placement/region";

/// How the test service behaves.
#[derive(Clone, Copy)]
enum Version {
    /// Issues tokens (valid for `ttl` seconds, as it says) and refuses any GET without one.
    V2 { ttl: u64 },
    /// Refuses the token request with this status and answers GETs without a token.
    V1Only(u16),
}

/// The state of a test IMDS: the tokens it accepts.
struct Imds {
    version: Version,
    issued: Mutex<Vec<String>>,
    /// Statuses to answer the next GETs with, before answering normally.
    failures: Mutex<Vec<u16>>,
}

impl Imds {
    fn new(version: Version) -> Arc<Self> {
        Arc::new(Imds {
            version,
            issued: Mutex::new(Vec::new()),
            failures: Mutex::new(Vec::new()),
        })
    }

    /// Forgets every token, as a restarted service would.
    fn forget_tokens(&self) {
        self.issued.lock().unwrap().clear();
    }

    fn answer(&self, request: &Recorded) -> Reply {
        if request.method == "PUT" && request.path == TOKEN_PATH {
            return match self.version {
                Version::V1Only(status) => Reply::new(status, ""),
                Version::V2 { .. }
                    if request.header("x-aws-ec2-metadata-token-ttl-seconds") != Some("21600") =>
                {
                    Reply::new(400, "missing or bad TTL")
                }
                Version::V2 { ttl } => {
                    let mut issued = self.issued.lock().unwrap();
                    let token = format!("session-{}", issued.len() + 1);
                    issued.push(token.clone());
                    Reply::new(200, token)
                        .header("x-aws-ec2-metadata-token-ttl-seconds", &ttl.to_string())
                }
            };
        }
        if request.method != "GET" {
            return Reply::new(405, "");
        }
        if let Version::V2 { .. } = self.version {
            let valid = request
                .header("x-aws-ec2-metadata-token")
                .is_some_and(|token| self.issued.lock().unwrap().iter().any(|t| t == token));
            if !valid {
                return Reply::new(401, "");
            }
        }
        let mut failures = self.failures.lock().unwrap();
        if !failures.is_empty() {
            return Reply::new(failures.remove(0), "busy");
        }
        match request.path.as_str() {
            ROLES_PATH => Reply::new(200, format!("{ROLE}\n")),
            ROLE_PATH => Reply::new(200, credentials_document(expiry())),
            REGION_PATH => Reply::new(200, "eu-west-3"),
            _ => Reply::new(404, "Not Found"),
        }
    }
}

/// Six hours from the first call, in whole seconds, and the same for every later call: a test
/// compares what the server served with what it expects, which must not straddle a second.
fn expiry() -> SystemTime {
    static EXPIRY: std::sync::OnceLock<SystemTime> = std::sync::OnceLock::new();
    *EXPIRY.get_or_init(|| {
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap();
        SystemTime::UNIX_EPOCH + Duration::from_secs(now.as_secs() + 6 * 3600)
    })
}

fn credentials_document(expiry: SystemTime) -> String {
    format!(
        r#"{{
  "Code" : "Success",
  "LastUpdated" : "2026-01-01T00:00:00Z",
  "Type" : "AWS-HMAC",
  "AccessKeyId" : "{ACCESS_KEY_ID}",
  "SecretAccessKey" : "{SECRET}",
  "Token" : "{SESSION_TOKEN}",
  "Expiration" : "{}"
}}"#,
        DateTime::from(expiry)
    )
}

async fn start(imds: &Arc<Imds>) -> TestServer {
    let imds = Arc::clone(imds);
    TestServer::start(move |request| imds.answer(request)).await
}

/// An environment that points the client at `server`.
fn env_for(server: &TestServer, more: &[(&str, &str)]) -> Env {
    let url = server.url();
    let mut pairs = vec![("AWS_EC2_METADATA_SERVICE_ENDPOINT", url.as_str())];
    pairs.extend_from_slice(more);
    Env::from_pairs(&pairs)
}

fn client_for(server: &TestServer) -> ImdsClient<HyperTransport> {
    ImdsClient::builder(HyperTransport::new())
        .env(env_for(server, &[]))
        .build()
        .unwrap()
}

fn profile(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|&(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn assert_no_secret(text: &str) {
    for secret in [SECRET, SESSION_TOKEN, "session-1", "session-2"] {
        assert!(!text.contains(secret), "{text}");
    }
}

#[tokio::test]
async fn credentials_come_through_a_session_token() {
    let imds = Imds::new(Version::V2 { ttl: 21_600 });
    let server = start(&imds).await;
    let provider = ImdsCredentials::new(HyperTransport::new(), &env_for(&server, &[]), None);
    let credentials = provider.provide().await.unwrap();
    assert_eq!(credentials.access_key_id(), ACCESS_KEY_ID);
    assert_eq!(credentials.secret_access_key(), SECRET);
    assert_eq!(credentials.session_token(), Some(SESSION_TOKEN));
    assert_eq!(credentials.expiry(), Some(expiry()));

    let requests = server.requests();
    let order: Vec<(&str, &str)> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.path.as_str()))
        .collect();
    assert_eq!(
        order,
        [("PUT", TOKEN_PATH), ("GET", ROLES_PATH), ("GET", ROLE_PATH)]
    );
    for get in &requests[1..] {
        assert_eq!(get.header("x-aws-ec2-metadata-token"), Some("session-1"));
    }
    assert_no_secret(&format!("{provider:?}"));
}

#[tokio::test]
async fn the_session_token_is_reused_across_fetches() {
    let imds = Imds::new(Version::V2 { ttl: 21_600 });
    let server = start(&imds).await;
    let client = client_for(&server);
    client.credentials().await.unwrap();
    client.clone().credentials().await.unwrap();
    assert_eq!(client.region().await.unwrap(), "eu-west-3");
    assert_eq!(server.count("PUT", TOKEN_PATH), 1);
    assert_eq!(server.count("GET", ROLE_PATH), 2);
    let printed = format!("{client:?}");
    assert!(printed.contains("token: \"held\""), "{printed}");
    assert_no_secret(&printed);
}

#[tokio::test]
async fn a_token_near_the_end_of_its_lifetime_is_renewed() {
    // The service says its tokens last one second; the client renews them after 0.9 s.
    let imds = Imds::new(Version::V2 { ttl: 1 });
    let server = start(&imds).await;
    let client = client_for(&server);
    client.credentials().await.unwrap();
    tokio::time::sleep(Duration::from_millis(1000)).await;
    client.credentials().await.unwrap();
    assert_eq!(server.count("PUT", TOKEN_PATH), 2);
    let last = server.requests().pop().unwrap();
    assert_eq!(last.header("x-aws-ec2-metadata-token"), Some("session-2"));
}

#[tokio::test]
async fn a_token_the_service_forgot_is_replaced_once() {
    let imds = Imds::new(Version::V2 { ttl: 21_600 });
    let server = start(&imds).await;
    let client = client_for(&server);
    client.credentials().await.unwrap();
    imds.forget_tokens();
    let credentials = client.credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), ACCESS_KEY_ID);
    assert_eq!(server.count("PUT", TOKEN_PATH), 2);
    // The list of roles was asked with the old token (401), then with the new one.
    assert_eq!(server.count("GET", ROLES_PATH), 3);
}

#[tokio::test]
async fn imdsv1_is_used_when_the_token_request_is_refused() {
    for status in [403, 404, 405] {
        let imds = Imds::new(Version::V1Only(status));
        let server = start(&imds).await;
        let credentials = client_for(&server).credentials().await.unwrap();
        assert_eq!(credentials.access_key_id(), ACCESS_KEY_ID);
        let requests = server.requests();
        assert_eq!(
            requests.len(),
            4,
            "status {status}: a token request before each GET"
        );
        for get in requests.iter().filter(|r| r.method == "GET") {
            assert_eq!(get.header("x-aws-ec2-metadata-token"), None);
        }
    }
}

#[tokio::test]
async fn imdsv1_is_refused_when_turned_off() {
    let imds = Imds::new(Version::V1Only(403));
    let server = start(&imds).await;
    let by_env = env_for(&server, &[("AWS_EC2_METADATA_V1_DISABLED", "true")]);
    let e = ImdsCredentials::new(HyperTransport::new(), &by_env, None)
        .provide()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Provider);
    let text = e.to_string();
    assert!(text.contains("instance metadata (IMDS)"), "{text}");
    assert!(text.contains("answered 403"), "{text}");
    assert!(
        text.contains("falling back to IMDSv1 is turned off"),
        "{text}"
    );

    let settings = profile(&[("ec2_metadata_v1_disabled", "TRUE")]);
    let e = ImdsClient::builder(HyperTransport::new())
        .env(env_for(&server, &[]))
        .profile(Some(&settings))
        .build()
        .unwrap()
        .region()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ImdsErrorKind::TokenRefused);
    assert_eq!(server.count("GET", REGION_PATH), 0);
    assert_eq!(server.count("GET", ROLES_PATH), 0);

    // The environment wins over the profile.
    let allowed = env_for(&server, &[("AWS_EC2_METADATA_V1_DISABLED", "false")]);
    let region = imds::region(HyperTransport::new(), &allowed, Some(&settings)).await;
    assert_eq!(region.unwrap(), "eu-west-3");
}

#[tokio::test]
async fn disabled_by_the_environment() {
    let imds = Imds::new(Version::V2 { ttl: 21_600 });
    let server = start(&imds).await;
    let env = env_for(&server, &[("AWS_EC2_METADATA_DISABLED", "true")]);
    let e = ImdsCredentials::new(HyperTransport::new(), &env, None)
        .provide()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::NotFound);
    assert!(
        e.to_string()
            .ends_with("instance metadata (IMDS): turned off by AWS_EC2_METADATA_DISABLED"),
        "{e}"
    );
    let e = imds::region(HyperTransport::new(), &env, None)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ImdsErrorKind::Disabled);
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn a_service_that_never_answers_is_given_up_quickly() {
    let server = TestServer::start(|_| Reply::Hang).await;
    let provider = ImdsCredentials::new(HyperTransport::new(), &env_for(&server, &[]), None);
    let started = Instant::now();
    let e = provider.provide().await.unwrap_err();
    let waited = started.elapsed();
    // Two attempts of one second each.
    assert!(waited >= Duration::from_millis(1900), "{waited:?}");
    assert!(waited < Duration::from_secs(4), "{waited:?}");
    assert_eq!(e.kind(), CredentialsErrorKind::NotFound);
    let text = e.to_string();
    assert!(
        text.contains("no instance metadata service answered at http://127.0.0.1:"),
        "{text}"
    );
    assert!(text.contains("2 attempts of at most 1s"), "{text}");
    assert_eq!(server.count("PUT", TOKEN_PATH), 2);
}

#[tokio::test]
async fn the_time_limit_and_attempts_can_be_configured() {
    let server = TestServer::start(|_| Reply::Hang).await;
    let settings = profile(&[
        ("metadata_service_timeout", "0.2"),
        ("metadata_service_num_attempts", "3"),
    ]);
    let started = Instant::now();
    let e = imds::region(
        HyperTransport::new(),
        &env_for(&server, &[]),
        Some(&settings),
    )
    .await
    .unwrap_err();
    assert_eq!(e.kind(), ImdsErrorKind::Unreachable);
    assert!(started.elapsed() < Duration::from_millis(1500));
    assert_eq!(server.count("PUT", TOKEN_PATH), 3);

    let env = env_for(&server, &[("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "1")]);
    let e = ImdsClient::builder(HyperTransport::new())
        .env(env)
        .profile(Some(&settings))
        .build()
        .unwrap()
        .get("/latest/meta-data/")
        .await
        .unwrap_err();
    assert!(
        e.to_string().contains("(1 attempt of at most 200ms)"),
        "{e}"
    );
    assert_eq!(server.count("PUT", TOKEN_PATH), 4);
}

#[tokio::test]
async fn no_service_listening_is_not_found() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let env = Env::from_pairs(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &url)]);
    let started = Instant::now();
    let e = ImdsCredentials::new(HyperTransport::new(), &env, None)
        .provide()
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(e.kind(), CredentialsErrorKind::NotFound);
    assert!(
        e.to_string()
            .contains("no instance metadata service answered"),
        "{e}"
    );
}

#[tokio::test]
async fn server_errors_are_tried_again() {
    let imds = Imds::new(Version::V2 { ttl: 21_600 });
    imds.failures.lock().unwrap().push(503);
    let server = start(&imds).await;
    let credentials = client_for(&server).credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), ACCESS_KEY_ID);
    assert_eq!(server.count("GET", ROLES_PATH), 2);

    // Two failures exhaust the two attempts; the last one is reported.
    imds.failures.lock().unwrap().extend([500, 503]);
    let e = client_for(&server).region().await.unwrap_err();
    assert_eq!(e.kind(), ImdsErrorKind::ErrorResponse);
    assert_eq!(
        e.to_string(),
        format!("GET {REGION_PATH} was answered 503: busy")
    );
}

#[tokio::test]
async fn the_region_lookup() {
    let imds = Imds::new(Version::V2 { ttl: 21_600 });
    let server = start(&imds).await;
    let region = imds::region(HyperTransport::new(), &env_for(&server, &[]), None).await;
    assert_eq!(region.unwrap(), "eu-west-3");
    let by_profile = profile(&[("ec2_metadata_service_endpoint", &server.url())]);
    let region = imds::region(
        HyperTransport::new(),
        &Env::from_pairs(&[]),
        Some(&by_profile),
    )
    .await;
    assert_eq!(region.unwrap(), "eu-west-3");
    assert_eq!(server.count("GET", REGION_PATH), 2);
}

#[tokio::test]
async fn an_unexpected_region_answer_is_refused() {
    let server = TestServer::start(|request| match request.method.as_str() {
        "PUT" => Reply::new(200, "t"),
        _ => Reply::new(200, "eu-west-3\u{1b}[31m; rm -rf"),
    })
    .await;
    let e = client_for(&server).region().await.unwrap_err();
    assert_eq!(e.kind(), ImdsErrorKind::InvalidResponse);
    assert!(e.to_string().contains("\\u{1b}"), "{e}");
}

#[tokio::test]
async fn an_instance_without_a_role_has_no_credentials() {
    let server = TestServer::start(|request| match request.method.as_str() {
        "PUT" => Reply::new(200, "t"),
        _ => Reply::new(404, ""),
    })
    .await;
    let e = ImdsCredentials::from_client(client_for(&server))
        .provide()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::NotFound);
    assert!(
        e.to_string().contains("the instance has no IAM role"),
        "{e}"
    );
}

#[tokio::test]
async fn a_failure_code_or_a_bad_document_is_an_error_without_secrets() {
    let failure = r#"{"Code":"AssumeRoleUnauthorizedAccess","Message":"cannot assume the role","SecretAccessKey":"imds-test-secret-access-key"}"#;
    let truncated = format!(r#"{{"Code":"Success","SecretAccessKey":"{SECRET}","Token":"#);
    let not_a_string = r#"{"Code":"Success","AccessKeyId":"A","SecretAccessKey":12345678}"#;
    for (body, expected) in [
        (
            failure,
            "Code is `AssumeRoleUnauthorizedAccess`: cannot assume the role",
        ),
        (
            truncated.as_str(),
            "is not a JSON credentials document (line 1",
        ),
        (not_a_string, "is not a JSON credentials document (line 1"),
        (
            r#"{"Code":"Success","AccessKeyId":"A"}"#,
            "has no `SecretAccessKey`",
        ),
        (
            r#"{"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"tomorrow"}"#,
            "its `Expiration` does not parse",
        ),
    ] {
        let body = body.to_owned();
        let server = TestServer::start(move |request| match request.path.as_str() {
            TOKEN_PATH => Reply::new(200, "t"),
            ROLES_PATH => Reply::new(200, ROLE),
            _ => Reply::new(200, body.clone()),
        })
        .await;
        let e = ImdsCredentials::from_client(client_for(&server))
            .provide()
            .await
            .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Provider);
        let text = e.to_string();
        assert!(text.contains(expected), "{text}");
        assert!(text.contains("role `test-role`"), "{text}");
        assert_no_secret(&text);
        assert!(!text.contains("12345678"), "{text}");
    }
}

#[tokio::test]
async fn endpoint_settings() {
    let transport = HyperTransport::new;
    let client = |env: &[(&str, &str)], profile: Option<&BTreeMap<String, String>>| {
        ImdsClient::builder(transport())
            .env(Env::from_pairs(env))
            .profile(profile)
            .build()
    };
    assert_eq!(
        client(&[], None).unwrap().endpoint(),
        "http://169.254.169.254"
    );
    let ipv6 = profile(&[("ec2_metadata_service_endpoint_mode", "IPv6")]);
    assert_eq!(client(&[], Some(&ipv6)).unwrap().endpoint(), IPV6_ENDPOINT);
    let mode = [("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ipv4")];
    assert_eq!(
        client(&mode, Some(&ipv6)).unwrap().endpoint(),
        "http://169.254.169.254"
    );
    let both = profile(&[
        ("ec2_metadata_service_endpoint_mode", "IPv6"),
        (
            "ec2_metadata_service_endpoint",
            "http://[fd00:ec2::1]:8080/",
        ),
    ]);
    assert_eq!(
        client(&[], Some(&both)).unwrap().endpoint(),
        "http://[fd00:ec2::1]:8080"
    );
    let explicit = ImdsClient::builder(transport())
        .env(Env::from_pairs(&[(
            "AWS_EC2_METADATA_SERVICE_ENDPOINT",
            "http://10.0.0.1",
        )]))
        .endpoint_mode(EndpointMode::IPv6)
        .endpoint("http://127.0.0.1:1")
        .build()
        .unwrap();
    assert_eq!(explicit.endpoint(), "http://127.0.0.1:1");

    for (env, expected) in [
        (
            [("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv5")],
            "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE is `IPv5`; expected `IPv4` or `IPv6`",
        ),
        (
            [("AWS_EC2_METADATA_SERVICE_ENDPOINT", "ftp://user:pw@host/")],
            "AWS_EC2_METADATA_SERVICE_ENDPOINT is `ftp://***@host`; expected an `http://` or \
             `https://` URL",
        ),
        (
            [("AWS_EC2_METADATA_V1_DISABLED", "yes")],
            "AWS_EC2_METADATA_V1_DISABLED is `yes`; expected `true` or `false`",
        ),
        (
            [("AWS_EC2_METADATA_DISABLED", "1")],
            "AWS_EC2_METADATA_DISABLED is `1`; expected `true` or `false`",
        ),
        (
            [("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "0")],
            "AWS_METADATA_SERVICE_NUM_ATTEMPTS is `0`; expected a whole number of attempts, 1 \
             or more",
        ),
    ] {
        let e = client(&env, None).unwrap_err();
        assert_eq!(e.kind(), ImdsErrorKind::InvalidConfiguration);
        assert_eq!(e.to_string(), expected);
        let e = ImdsCredentials::new(transport(), &Env::from_pairs(&env), None)
            .provide()
            .await
            .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
    }
    let e = client(&[], Some(&profile(&[("metadata_service_timeout", "-1")]))).unwrap_err();
    assert_eq!(
        e.to_string(),
        "profile setting `metadata_service_timeout` is `-1`; expected a number of seconds above 0"
    );
}

#[tokio::test]
async fn debug_of_the_builder_shows_no_other_profile_value() {
    let settings = profile(&[
        ("aws_secret_access_key", SECRET),
        ("ec2_metadata_service_endpoint_mode", "IPv6"),
    ]);
    let builder = ImdsClient::builder(HyperTransport::new()).profile(Some(&settings));
    let printed = format!("{builder:?}");
    assert!(printed.contains("IPv6"), "{printed}");
    assert_no_secret(&printed);
}
