//! IAM Identity Center credentials against a small HTTP server on 127.0.0.1 acting as the access
//! portal and SSO-OIDC, with token caches written into a scratch home directory.

mod profiles_support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use awsquery::credentials::{CredentialsError, CredentialsErrorKind, ProvideCredentials};
use awsquery::env::Env;
use awsquery::profile::ProfileSet;
use awsquery::sigv4::Credentials;
use awsquery_config::profile::{Base, SsoProfile, resolve};
use awsquery_config::sso::{SsoCredentials, cache_key};
use awsquery_hyper::HyperTransport;
use awsquery_types::time::{DateTime, TimestampFormat};
use profiles_support::{TempHome, assert_hides};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const CACHED_TOKEN: &str = "cached-access-token-EXAMPLE";
const REFRESHED_TOKEN: &str = "refreshed-access-token-EXAMPLE";
const REFRESH_TOKEN: &str = "refresh-token-EXAMPLE-1";
const NEW_REFRESH_TOKEN: &str = "refresh-token-EXAMPLE-2";
const CLIENT_SECRET: &str = "client-secret-EXAMPLE";
const ROLE_SECRET: &str = "role-secret-key-EXAMPLE";
const ROLE_TOKEN: &str = "role-session-token-EXAMPLE";
/// 2031-02-03T04:05:06.789Z in milliseconds.
const ROLE_EXPIRATION_MS: u64 = 1_927_857_906_789;
const SECRETS: [&str; 6] = [
    CACHED_TOKEN,
    REFRESHED_TOKEN,
    REFRESH_TOKEN,
    CLIENT_SECRET,
    ROLE_SECRET,
    ROLE_TOKEN,
];

// ---- the server -------------------------------------------------------------------------------

/// A request as the server saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// An answer: status, extra headers, body.
type Answer = (u16, Vec<(&'static str, String)>, String);

/// A server answering each request with `handler`, recording what it saw.
struct Server {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    async fn start(handler: impl Fn(&Seen) -> Answer + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let handler = Arc::new(handler);
        let record = seen.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let handler = handler.clone();
                let record = record.clone();
                tokio::spawn(async move {
                    // A connection that breaks off is simply dropped.
                    let _ = serve_one(stream, &*handler, &record).await;
                });
            }
        });
        Server { url, seen }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

/// Reads one request, answers it and closes the connection.
async fn serve_one(
    mut stream: TcpStream,
    handler: &(dyn Fn(&Seen) -> Answer + Send + Sync),
    record: &Mutex<Vec<Seen>>,
) -> Option<()> {
    let mut buffer = Vec::new();
    let head_end = loop {
        let mut chunk = [0u8; 4096];
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 || buffer.len() > 64 * 1024 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < length {
        let mut chunk = [0u8; 4096];
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..read]);
    }
    let seen = Seen {
        method,
        target,
        headers,
        body,
    };
    let (status, extra, body) = handler(&seen);
    record.lock().unwrap().push(seen);
    let mut response = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         connection: close\r\n",
        body.len()
    );
    for (name, value) in extra {
        response.push_str(&format!("{name}: {value}\r\n"));
    }
    response.push_str("\r\n");
    response.push_str(&body);
    stream.write_all(response.as_bytes()).await.ok()?;
    stream.shutdown().await.ok()
}

/// The portal and SSO-OIDC: role credentials for `token` only, and a refresh of `REFRESH_TOKEN`.
fn identity_center(token: &'static str) -> impl Fn(&Seen) -> Answer + Send + Sync + 'static {
    move |seen| match (seen.method.as_str(), seen.target.split('?').next()) {
        ("GET", Some("/federation/credentials"))
            if seen.header("x-amz-sso_bearer_token") == Some(token) =>
        {
            (
                200,
                vec![],
                json!({"roleCredentials": {
                    "accessKeyId": "ASIAROLEEXAMPLE",
                    "secretAccessKey": ROLE_SECRET,
                    "sessionToken": ROLE_TOKEN,
                    "expiration": ROLE_EXPIRATION_MS,
                }})
                .to_string(),
            )
        }
        ("GET", Some("/federation/credentials")) => (
            401,
            vec![(
                "x-amzn-errortype",
                "UnauthorizedException:http://internal/".into(),
            )],
            json!({"message": "Session token not found or invalid"}).to_string(),
        ),
        ("POST", Some("/token")) if seen.json()["refreshToken"] == REFRESH_TOKEN => (
            200,
            vec![],
            json!({
                "accessToken": REFRESHED_TOKEN,
                "expiresIn": 3600,
                "refreshToken": NEW_REFRESH_TOKEN,
                "tokenType": "Bearer",
            })
            .to_string(),
        ),
        ("POST", Some("/token")) => (
            400,
            vec![],
            json!({"error": "invalid_grant", "error_description": "Invalid refresh token"})
                .to_string(),
        ),
        _ => (404, vec![], "{}".into()),
    }
}

// ---- the cache and the profile ----------------------------------------------------------------

fn rfc3339(time: SystemTime) -> String {
    let mut text = String::new();
    DateTime::from(time).write(TimestampFormat::DateTime, &mut text);
    text
}

fn from_now(seconds: i64) -> String {
    let now = SystemTime::now();
    let magnitude = Duration::from_secs(seconds.unsigned_abs());
    rfc3339(if seconds < 0 {
        now - magnitude
    } else {
        now + magnitude
    })
}

fn session_profile() -> SsoProfile {
    SsoProfile {
        profile: "dev".into(),
        session: Some("corp".into()),
        start_url: "https://corp.awsapps.com/start".into(),
        region: "us-east-1".into(),
        account_id: "123456789012".into(),
        role_name: "Admin Access".into(),
    }
}

fn legacy_profile() -> SsoProfile {
    SsoProfile {
        profile: "legacy".into(),
        session: None,
        ..session_profile()
    }
}

/// Writes the token cache of the session `corp` (or of the start URL for the legacy form).
fn write_cache(home: &TempHome, sso: &SsoProfile, token: Value) -> std::path::PathBuf {
    let key = sso.session.as_deref().unwrap_or(&sso.start_url);
    home.write(
        &format!(".aws/sso/cache/{}.json", cache_key(key)),
        &token.to_string(),
    )
}

fn cached_token(expires_at: String, registration_expires_at: String) -> Value {
    json!({
        "startUrl": "https://corp.awsapps.com/start",
        "region": "us-east-1",
        "accessToken": CACHED_TOKEN,
        "expiresAt": expires_at,
        "clientId": "client-id-EXAMPLE",
        "clientSecret": CLIENT_SECRET,
        "registrationExpiresAt": registration_expires_at,
        "refreshToken": REFRESH_TOKEN,
    })
}

/// The provider for `sso`, its endpoints pointed at `server` through the environment.
fn provider(home: &TempHome, server: &Server, sso: SsoProfile) -> SsoCredentials<HyperTransport> {
    let env = home.env(&[
        ("AWS_ENDPOINT_URL_SSO", &server.url),
        ("AWS_ENDPOINT_URL_SSO_OIDC", &format!("{}/", server.url)),
    ]);
    SsoCredentials::new(HyperTransport::new(), sso, env)
}

async fn failure(provider: &SsoCredentials<HyperTransport>) -> CredentialsError {
    let e = provider.provide().await.unwrap_err();
    assert_hides(&e.to_string(), &SECRETS);
    assert_hides(&format!("{e:?}"), &SECRETS);
    e
}

fn assert_role_credentials(c: &Credentials) {
    assert_eq!(c.access_key_id(), "ASIAROLEEXAMPLE");
    assert_eq!(c.secret_access_key(), ROLE_SECRET);
    assert_eq!(c.session_token(), Some(ROLE_TOKEN));
    assert_eq!(
        c.expiry(),
        Some(UNIX_EPOCH + Duration::from_millis(ROLE_EXPIRATION_MS))
    );
}

fn assert_portal_request(seen: &Seen, token: &str) {
    assert_eq!(seen.method, "GET");
    assert_eq!(
        seen.target,
        "/federation/credentials?role_name=Admin%20Access&account_id=123456789012"
    );
    assert_eq!(seen.header("x-amz-sso_bearer_token"), Some(token));
}

// ---- tests ------------------------------------------------------------------------------------

#[tokio::test]
async fn a_valid_cached_token_gets_role_credentials() {
    let server = Server::start(identity_center(CACHED_TOKEN)).await;
    for sso in [session_profile(), legacy_profile()] {
        let home = TempHome::new();
        write_cache(&home, &sso, cached_token(from_now(3600), from_now(86_400)));
        let provider = provider(&home, &server, sso);
        let c = provider.provide().await.unwrap();
        assert_role_credentials(&c);
        assert_hides(&format!("{provider:?}"), &SECRETS);
    }
    let seen = server.seen();
    assert_eq!(seen.len(), 2, "no refresh: {seen:?}");
    for request in &seen {
        assert_portal_request(request, CACHED_TOKEN);
    }
}

#[tokio::test]
async fn an_expiring_token_is_refreshed_and_the_cache_rewritten() {
    // Expired an hour ago, and expiring within the five minutes before use.
    for expires_at in [from_now(-3600), from_now(120)] {
        let server = Server::start(identity_center(REFRESHED_TOKEN)).await;
        let home = TempHome::new();
        let path = write_cache(
            &home,
            &session_profile(),
            cached_token(expires_at, from_now(86_400)),
        );
        let before = SystemTime::now();
        let c = provider(&home, &server, session_profile())
            .provide()
            .await
            .unwrap();
        assert_role_credentials(&c);

        let seen = server.seen();
        assert_eq!(seen.len(), 2, "{seen:?}");
        assert_eq!(
            (seen[0].method.as_str(), seen[0].target.as_str()),
            ("POST", "/token")
        );
        assert_eq!(seen[0].header("content-type"), Some("application/json"));
        assert_eq!(
            seen[0].json(),
            json!({
                "clientId": "client-id-EXAMPLE",
                "clientSecret": CLIENT_SECRET,
                "grantType": "refresh_token",
                "refreshToken": REFRESH_TOKEN,
            })
        );
        assert_portal_request(&seen[1], REFRESHED_TOKEN);

        let cache: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(cache["accessToken"], REFRESHED_TOKEN);
        assert_eq!(cache["refreshToken"], NEW_REFRESH_TOKEN);
        assert_eq!(cache["clientId"], "client-id-EXAMPLE");
        assert_eq!(cache["startUrl"], "https://corp.awsapps.com/start");
        let expires_at = DateTime::parse(
            cache["expiresAt"].as_str().unwrap(),
            TimestampFormat::DateTime,
        )
        .unwrap();
        let expected = DateTime::from(before + Duration::from_secs(3600)).secs();
        assert!(
            (expected - 1..expected + 60).contains(&expires_at.secs()),
            "{cache}"
        );
        let entries: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(entries.len(), 1, "no temporary file left: {entries:?}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}

#[tokio::test]
async fn an_expired_token_that_cannot_be_refreshed_needs_a_login() {
    let server = Server::start(identity_center(CACHED_TOKEN)).await;

    // The legacy form has no refresh.
    let home = TempHome::new();
    write_cache(
        &home,
        &legacy_profile(),
        cached_token(from_now(-60), from_now(86_400)),
    );
    let e = failure(&provider(&home, &server, legacy_profile())).await;
    assert_eq!(e.kind(), CredentialsErrorKind::Provider);
    assert!(
        e.to_string().ends_with(
            "SSO profile `legacy`: the SSO session has expired or is missing; run `aws sso login \
             --profile legacy` to sign in again"
        ),
        "{e}"
    );

    // Nor does a session whose client registration has expired, or one without a refresh token.
    let home = TempHome::new();
    write_cache(
        &home,
        &session_profile(),
        cached_token(from_now(-60), from_now(-1)),
    );
    let e = failure(&provider(&home, &server, session_profile())).await;
    assert!(
        e.to_string()
            .ends_with("run `aws sso login --sso-session corp` to sign in again"),
        "{e}"
    );
    let mut token = cached_token(from_now(-60), from_now(86_400));
    token.as_object_mut().unwrap().remove("refreshToken");
    write_cache(&home, &session_profile(), token);
    let e = failure(&provider(&home, &server, session_profile())).await;
    assert!(e.to_string().contains("has expired or is missing"), "{e}");

    // No cache at all.
    let e = failure(&provider(&TempHome::new(), &server, session_profile())).await;
    assert!(
        e.to_string().contains(
            "the SSO session has expired or is missing; run `aws sso login --sso-session corp`"
        ),
        "{e}"
    );
    assert!(server.seen().is_empty(), "{:?}", server.seen());
}

#[tokio::test]
async fn a_failed_refresh_uses_a_token_still_valid_and_fails_an_expired_one() {
    // The server refreshes nothing: the cache's refresh token is not the one it knows.
    let server = Server::start(identity_center(CACHED_TOKEN)).await;
    let home = TempHome::new();
    let mut token = cached_token(from_now(120), from_now(86_400));
    token["refreshToken"] = json!("revoked-refresh-token");
    let path = write_cache(&home, &session_profile(), token.clone());
    let c = provider(&home, &server, session_profile())
        .provide()
        .await
        .unwrap();
    assert_role_credentials(&c);
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].target, "/token");
    assert_portal_request(&seen[1], CACHED_TOKEN);
    let cache: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(cache, token, "the cache is left alone");

    token["expiresAt"] = json!(from_now(-1));
    write_cache(&home, &session_profile(), token);
    let e = failure(&provider(&home, &server, session_profile())).await;
    let text = e.to_string();
    assert!(
        text.contains(
            "the SSO session has expired and refreshing its token failed; run `aws sso login \
             --sso-session corp` to sign in again"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "SSO-OIDC refused to refresh the token: HTTP 400 invalid_grant: Invalid refresh token"
        ),
        "{text}"
    );
}

#[tokio::test]
async fn the_portal_refusing_is_reported() {
    let server = Server::start(|_: &Seen| {
        (
            403,
            vec![(
                "x-amzn-ErrorType",
                "ForbiddenException:http://internal/".into(),
            )],
            json!({"message": "No access to this role"}).to_string(),
        )
    })
    .await;
    let home = TempHome::new();
    write_cache(
        &home,
        &session_profile(),
        cached_token(from_now(3600), from_now(86_400)),
    );
    let e = failure(&provider(&home, &server, session_profile())).await;
    assert_eq!(e.kind(), CredentialsErrorKind::Provider);
    assert!(
        e.to_string().ends_with(
            "SSO profile `dev`: the SSO portal refused role `Admin Access` in account \
             `123456789012`: HTTP 403 ForbiddenException: No access to this role"
        ),
        "{e}"
    );

    // A token the portal no longer accepts means signing in again.
    let server = Server::start(identity_center("another-token")).await;
    let e = failure(&provider(&home, &server, session_profile())).await;
    assert!(
        e.to_string().contains(
            "HTTP 401 UnauthorizedException: Session token not found or invalid; run `aws sso \
             login --sso-session corp` to sign in again"
        ),
        "{e}"
    );
}

#[tokio::test]
async fn endpoints_from_the_profiles_services_section() {
    let server = Server::start(identity_center(REFRESHED_TOKEN)).await;
    let home = TempHome::new();
    home.config(&format!(
        "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\n\
         sso_role_name = Admin Access\nservices = local\n\
         [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n\
         sso_region = us-east-1\n\
         [services local]\nsso =\n  endpoint_url = {url}\nsso_oidc =\n  endpoint_url = {url}\n",
        url = server.url
    ));
    let env = home.env(&[("AWS_PROFILE", "dev")]);
    let profiles = ProfileSet::load(&env).unwrap();
    let plan = resolve(&profiles, "dev").unwrap();
    let Base::Sso(sso) = &plan.base else {
        panic!("{plan:?}");
    };
    assert_eq!(*sso, session_profile());
    write_cache(&home, sso, cached_token(from_now(-60), from_now(86_400)));
    let provider = SsoCredentials::new(HyperTransport::new(), sso.clone(), env)
        .with_endpoints(plan.endpoints.clone());
    assert_role_credentials(&provider.provide().await.unwrap());
    let targets: Vec<String> = server.seen().into_iter().map(|s| s.target).collect();
    assert_eq!(targets.len(), 2);
    assert_eq!(targets[0], "/token");

    // The environment's variables win over the profile's services section.
    let elsewhere = Server::start(identity_center(REFRESHED_TOKEN)).await;
    let env = home.env(&[("AWS_ENDPOINT_URL_SSO", &elsewhere.url)]);
    let provider = SsoCredentials::new(HyperTransport::new(), sso.clone(), env)
        .with_endpoints(plan.endpoints.clone());
    assert_role_credentials(&provider.provide().await.unwrap());
    assert_eq!(elsewhere.seen().len(), 1);
}

#[tokio::test]
async fn a_silent_server_is_given_up_on() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    // Accepts connections and never answers.
    let held = Arc::new(Mutex::new(Vec::new()));
    let holding = held.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            holding.lock().unwrap().push(stream);
        }
    });
    let home = TempHome::new();
    write_cache(
        &home,
        &session_profile(),
        cached_token(from_now(3600), from_now(86_400)),
    );
    let env = home.env(&[("AWS_ENDPOINT_URL_SSO", &url)]);
    let provider = SsoCredentials::new(HyperTransport::new(), session_profile(), env)
        .with_time_limit(Duration::from_millis(300));
    let started = std::time::Instant::now();
    let e = provider.provide().await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(
        e.to_string()
            .contains("the SSO portal's GetRoleCredentials got no answer"),
        "{e}"
    );
}

#[tokio::test]
async fn no_home_directory_and_bad_regions_are_configuration_errors() {
    let e = SsoCredentials::new(
        HyperTransport::new(),
        session_profile(),
        Env::from_pairs(&[]),
    )
    .provide()
    .await
    .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert!(e.to_string().contains("no home directory"), "{e}");

    let home = TempHome::new();
    let sso = SsoProfile {
        region: "us-east-1.attacker.example/x".into(),
        ..session_profile()
    };
    write_cache(&home, &sso, cached_token(from_now(3600), from_now(86_400)));
    let e = SsoCredentials::new(HyperTransport::new(), sso, home.env(&[]))
        .provide()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert!(
        e.to_string().contains("the SSO endpoint cannot be settled"),
        "{e}"
    );
}
