//! IAM Identity Center (SSO): role credentials for the token `aws sso login` left in the cache.
//!
//! `aws sso login` writes its access token to `~/.aws/sso/cache/<key>.json`, the key being the
//! SHA-1 (in lower-case hex) of the sso-session's name, or of the start URL for a legacy profile
//! without `sso_session`. [`SsoCredentials`] reads that file and asks the access portal's
//! `GetRoleCredentials` for the profile's account and role.
//!
//! A token that has expired, or will within [`REFRESH_WINDOW`], is refreshed first when it can be:
//! for an sso-session whose cache entry has a refresh token and a client registration that has
//! not expired, through SSO-OIDC's `CreateToken`, and the cache file is rewritten (a new file
//! renamed over the old, so readers never see half of it). A token that has expired and cannot be
//! refreshed means signing in again, which is what the error says.
//!
//! The portal is `https://portal.sso.{sso_region}.amazonaws.com` and SSO-OIDC
//! `https://oidc.{sso_region}.amazonaws.com`, unless the endpoint settings say otherwise
//! (`AWS_ENDPOINT_URL_SSO`, `AWS_ENDPOINT_URL_SSO_OIDC`, the profile's services section under `sso`
//! and `sso_oidc`, its `endpoint_url`).
//!
//! No token, refresh token or client secret appears in an error, a log or `Debug`.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use awsquery::credentials::{
    CredentialsError, CredentialsErrorKind, ProvideCredentials, ProvideFuture,
};
use awsquery::endpoint::EndpointSettings;
use awsquery::endpoint::uri_encode;
use awsquery::env::Env;
use awsquery::http::{Request, Response};
use awsquery::profile::home_dir;
use awsquery::sigv4::Credentials;
use awsquery::transport::Transport;
use awsquery_types::text::{MAX_MESSAGE_CHARS, MAX_NAME_CHARS, printable};
use awsquery_types::time::{DateTime, TimestampFormat};
use serde_json::{Map, Value};
use sha1::{Digest, Sha1};

use crate::json::{Object, Position};
use crate::process::system_time;
use crate::profile::SsoProfile;

/// A token this close to its expiry is refreshed before use: 5 minutes.
pub const REFRESH_WINDOW: Duration = Duration::from_secs(300);

/// How long each request to SSO-OIDC or the portal may take by default: 30 s.
pub const DEFAULT_TIME_LIMIT: Duration = Duration::from_secs(30);

/// The largest token cache file read: 1 MiB (they are well under 10 KiB).
const MAX_CACHE_FILE: u64 = 1024 * 1024;

/// The sdkIds whose endpoint settings apply.
const PORTAL_SDK_ID: &str = "SSO";
const OIDC_SDK_ID: &str = "SSO OIDC";

/// IAM Identity Center role credentials for an [`SsoProfile`]. See the [module](self).
///
/// Every call reads the token cache and asks the portal: put a cache above it to reuse the role
/// credentials until shortly before they expire.
pub struct SsoCredentials<T> {
    transport: T,
    sso: SsoProfile,
    env: Env,
    endpoints: EndpointSettings,
    time_limit: Duration,
}

impl<T: Transport> SsoCredentials<T> {
    /// Credentials for `sso`, sent through `transport`; the home directory (for the token cache)
    /// and the endpoint variables come from `env`.
    pub fn new(transport: T, sso: SsoProfile, env: Env) -> Self {
        SsoCredentials {
            transport,
            sso,
            env,
            endpoints: EndpointSettings::new(),
            time_limit: DEFAULT_TIME_LIMIT,
        }
    }

    /// Endpoint settings beyond the environment's: usually the selected profile's
    /// ([`Plan::endpoints`](crate::profile::Plan::endpoints)).
    pub fn with_endpoints(mut self, endpoints: EndpointSettings) -> Self {
        self.endpoints = endpoints;
        self
    }

    /// How long each request may take.
    pub fn with_time_limit(mut self, limit: Duration) -> Self {
        self.time_limit = limit;
        self
    }

    fn source(&self) -> String {
        format!("SSO profile `{}`", self.sso.profile)
    }

    fn fail(&self, kind: CredentialsErrorKind, reason: impl Into<String>) -> CredentialsError {
        CredentialsError::new(kind, self.source(), reason)
    }

    /// The error for a token that is missing, expired or refused: sign in again.
    fn sign_in_again(&self, what: &str) -> CredentialsError {
        self.fail(
            CredentialsErrorKind::Provider,
            format!(
                "{what}; run `{}` to sign in again",
                self.sso.login_command()
            ),
        )
    }

    /// The token cache file of this profile's session.
    fn cache_path(&self) -> Result<PathBuf, CredentialsError> {
        let home = home_dir(&self.env).ok_or_else(|| {
            self.fail(
                CredentialsErrorKind::InvalidConfiguration,
                "no home directory (HOME and USERPROFILE are unset) to find the SSO token cache in",
            )
        })?;
        let key = self.sso.session.as_deref().unwrap_or(&self.sso.start_url);
        Ok(home
            .join(".aws")
            .join("sso")
            .join("cache")
            .join(format!("{}.json", cache_key(key))))
    }

    /// An endpoint's base URL, without a trailing `/`: the settings', else `default`.
    fn endpoint(&self, sdk_id: &str, default: String) -> Result<String, CredentialsError> {
        let builtins = self
            .endpoints
            .clone()
            .with_env(self.env.clone())
            .builtins(&self.sso.region, sdk_id)
            .map_err(|e| {
                self.fail(
                    CredentialsErrorKind::InvalidConfiguration,
                    format!("the {sdk_id} endpoint cannot be settled"),
                )
                .with_cause(e)
            })?;
        let url = builtins.endpoint.unwrap_or(default);
        Ok(url.trim_end_matches('/').to_owned())
    }

    async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let token = self.token().await?;
        self.role_credentials(&token).await
    }

    /// A usable access token: the cached one, refreshed when it is about to expire.
    async fn token(&self) -> Result<String, CredentialsError> {
        let path = self.cache_path()?;
        let mut cached = self.read_cache(&path).await?;
        let Some(token) = cached.string("accessToken") else {
            return Err(self.sign_in_again(
                "the cached SSO token has no `accessToken`; the SSO session has expired or is \
                 missing",
            ));
        };
        let expires_at = cached.time("expiresAt").ok_or_else(|| {
            self.sign_in_again(
                "the cached SSO token has no readable `expiresAt`; the SSO session has expired \
                 or is missing",
            )
        })?;
        let now = SystemTime::now();
        let expired = expires_at <= now;
        if expires_at > now + REFRESH_WINDOW {
            return Ok(token);
        }
        let refreshed = match self.refreshable(&cached, now) {
            Some(refresh) => Some(self.refresh(refresh).await),
            None => None,
        };
        match refreshed {
            Some(Ok(answer)) => {
                let token = answer.access_token.clone();
                cached.update(answer, now);
                // A cache that cannot be rewritten (a read-only home, another process renaming
                // its copy at the same moment) costs the next run a refresh, not this one its
                // token, as in the AWS SDKs.
                let _ = self.write_cache(path, cached).await;
                Ok(token)
            }
            Some(Err(e)) if expired => Err(self
                .sign_in_again("the SSO session has expired and refreshing its token failed")
                .with_cause(e)),
            None if expired => Err(self.sign_in_again("the SSO session has expired or is missing")),
            // Still valid for a few minutes: use it while it lasts.
            Some(Err(_)) | None => Ok(token),
        }
    }

    async fn read_cache(&self, path: &Path) -> Result<CachedToken, CredentialsError> {
        let missing = || self.sign_in_again("the SSO session has expired or is missing");
        let io_error = |e: std::io::Error| {
            self.fail(
                CredentialsErrorKind::Io,
                format!("cannot read the SSO token cache `{}`", path.display()),
            )
            .with_cause(e)
        };
        let size = match tokio::fs::metadata(path).await {
            Ok(metadata) => metadata.len(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(missing()),
            Err(e) => return Err(io_error(e)),
        };
        if size > MAX_CACHE_FILE {
            return Err(self.fail(
                CredentialsErrorKind::Io,
                format!(
                    "the SSO token cache `{}` is larger than {MAX_CACHE_FILE} bytes",
                    path.display()
                ),
            ));
        }
        let bytes = match tokio::fs::read(path).await {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(missing()),
            Err(e) => return Err(io_error(e)),
        };
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(fields)) => Ok(CachedToken(fields)),
            _ => Err(self.sign_in_again(&format!(
                "the SSO token cache `{}` is not a JSON object",
                path.display()
            ))),
        }
    }

    /// What a refresh needs, when the token can be refreshed: an sso-session's token with a
    /// refresh token and a client registration that has not expired.
    fn refreshable<'a>(&self, cached: &'a CachedToken, now: SystemTime) -> Option<Refresh<'a>> {
        self.sso.session.as_ref()?;
        let registration_expires = cached.time("registrationExpiresAt")?;
        if registration_expires <= now {
            return None;
        }
        Some(Refresh {
            client_id: cached.str("clientId")?,
            client_secret: cached.str("clientSecret")?,
            refresh_token: cached.str("refreshToken")?,
        })
    }

    /// SSO-OIDC `CreateToken` with the refresh token.
    async fn refresh(&self, refresh: Refresh<'_>) -> Result<CreateTokenAnswer, CredentialsError> {
        let base = self.endpoint(
            OIDC_SDK_ID,
            format!("https://oidc.{}.amazonaws.com", self.sso.region),
        )?;
        let body = serde_json::json!({
            "clientId": refresh.client_id,
            "clientSecret": refresh.client_secret,
            "grantType": "refresh_token",
            "refreshToken": refresh.refresh_token,
        });
        let request = Request {
            method: "POST",
            uri: format!("{base}/token"),
            headers: vec![("content-type", String::from("application/json"))],
            body: body.to_string().into_bytes(),
            sensitive: &[],
        };
        let response = self.send(request, "SSO-OIDC CreateToken").await?;
        if !response.is_success() {
            return Err(self.fail(
                CredentialsErrorKind::Provider,
                format!(
                    "SSO-OIDC refused to refresh the token: {}",
                    describe_failure(&response)
                ),
            ));
        }
        let answer = CreateTokenAnswer::parse(&response.body).map_err(|at| {
            self.fail(
                CredentialsErrorKind::Provider,
                format!("the SSO-OIDC CreateToken answer is not the expected JSON ({at})"),
            )
        })?;
        if answer.access_token.is_empty() {
            return Err(self.fail(
                CredentialsErrorKind::Provider,
                "the SSO-OIDC CreateToken answer has an empty `accessToken`",
            ));
        }
        Ok(answer)
    }

    /// Rewrites the cache file: a new file beside it (readable by its owner only), renamed over it.
    async fn write_cache(
        &self,
        path: PathBuf,
        cached: CachedToken,
    ) -> Result<(), CredentialsError> {
        let text = Value::Object(cached.0).to_string();
        let shown = path.display().to_string();
        let written = tokio::task::spawn_blocking(move || write_atomically(&path, text.as_bytes()))
            .await
            .map_err(std::io::Error::other)
            .and_then(|result| result);
        written.map_err(|e| {
            self.fail(
                CredentialsErrorKind::Io,
                format!("cannot rewrite the SSO token cache `{shown}`"),
            )
            .with_cause(e)
        })
    }

    /// The portal's `GetRoleCredentials`.
    async fn role_credentials(&self, token: &str) -> Result<Credentials, CredentialsError> {
        let base = self.endpoint(
            PORTAL_SDK_ID,
            format!("https://portal.sso.{}.amazonaws.com", self.sso.region),
        )?;
        let request = Request {
            method: "GET",
            uri: format!(
                "{base}/federation/credentials?role_name={}&account_id={}",
                uri_encode(&self.sso.role_name),
                uri_encode(&self.sso.account_id)
            ),
            headers: vec![("x-amz-sso_bearer_token", token.to_owned())],
            body: Vec::new(),
            sensitive: &[],
        };
        let response = self
            .send(request, "the SSO portal's GetRoleCredentials")
            .await?;
        if matches!(response.status, 401 | 403) {
            let refused = format!(
                "the SSO portal refused role `{}` in account `{}`: {}",
                self.sso.role_name,
                self.sso.account_id,
                describe_failure(&response)
            );
            return Err(if response.status == 401 {
                self.sign_in_again(&refused)
            } else {
                self.fail(CredentialsErrorKind::Provider, refused)
            });
        }
        if !response.is_success() {
            return Err(self.fail(
                CredentialsErrorKind::Provider,
                format!(
                    "the SSO portal's GetRoleCredentials failed: {}",
                    describe_failure(&response)
                ),
            ));
        }
        let role = RoleCredentials::parse(&response.body).map_err(|at| {
            self.fail(
                CredentialsErrorKind::Provider,
                format!("the SSO portal's answer is not the expected JSON ({at})"),
            )
        })?;
        let expiry = system_time(DateTime::from_secs_and_nanos(
            role.expiration.div_euclid(1000),
            // Below 1,000 ms, so the nanoseconds fit.
            u32::try_from(role.expiration.rem_euclid(1000) * 1_000_000).unwrap_or(0),
        ));
        Ok(Credentials::new(
            role.access_key_id,
            role.secret_access_key,
            Some(role.session_token).filter(|t| !t.is_empty()),
        )
        .with_expiry(expiry))
    }

    async fn send(&self, request: Request, what: &str) -> Result<Response, CredentialsError> {
        crate::http::send(&self.transport, request, self.time_limit)
            .await
            .map_err(|e| {
                self.fail(
                    CredentialsErrorKind::Provider,
                    format!("{what} got no answer"),
                )
                .with_cause(e)
            })
    }
}

impl<T: Transport> ProvideCredentials for SsoCredentials<T> {
    fn provide(&self) -> ProvideFuture<'_> {
        ProvideFuture::new(self.credentials())
    }
}

impl<T> fmt::Debug for SsoCredentials<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SsoCredentials")
            .field("sso", &self.sso)
            .field("env", &self.env)
            .field("endpoints", &self.endpoints)
            .field("time_limit", &self.time_limit)
            .finish_non_exhaustive()
    }
}

/// The name of a token cache file, without `.json`: the SHA-1 of `key` in lower-case hex.
pub fn cache_key(key: &str) -> String {
    Sha1::digest(key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A token cache entry, kept whole so that a rewrite keeps the fields this module does not read.
struct CachedToken(Map<String, Value>);

impl CachedToken {
    fn str(&self, key: &str) -> Option<&str> {
        self.0.get(key)?.as_str().filter(|s| !s.is_empty())
    }

    fn string(&self, key: &str) -> Option<String> {
        self.str(key).map(str::to_owned)
    }

    /// An RFC 3339 time; the AWS CLI v1's `…UTC` ending is read as `Z`.
    fn time(&self, key: &str) -> Option<SystemTime> {
        let text = self.str(key)?;
        let text = match text.strip_suffix("UTC") {
            Some(rest) => format!("{rest}Z"),
            None => text.to_owned(),
        };
        DateTime::parse(&text, TimestampFormat::DateTime)
            .ok()
            .map(system_time)
    }

    /// Takes the refreshed token in.
    fn update(&mut self, answer: CreateTokenAnswer, now: SystemTime) {
        let expires_at = DateTime::from(now + Duration::from_secs(answer.expires_in));
        let mut text = String::new();
        // Whole seconds, as the AWS CLI writes them.
        DateTime::from_secs(expires_at.secs()).write(TimestampFormat::DateTime, &mut text);
        self.0
            .insert("accessToken".into(), Value::String(answer.access_token));
        self.0.insert("expiresAt".into(), Value::String(text));
        if let Some(refresh_token) = answer.refresh_token.filter(|t| !t.is_empty()) {
            self.0
                .insert("refreshToken".into(), Value::String(refresh_token));
        }
    }
}

/// What a refresh sends.
struct Refresh<'a> {
    client_id: &'a str,
    client_secret: &'a str,
    refresh_token: &'a str,
}

/// What SSO-OIDC's `CreateToken` answers.
struct CreateTokenAnswer {
    access_token: String,
    expires_in: u64,
    refresh_token: Option<String>,
}

impl CreateTokenAnswer {
    fn parse(body: &[u8]) -> Result<Self, Position> {
        let object = Object::parse(body)?;
        Ok(CreateTokenAnswer {
            access_token: object.string("accessToken")?,
            expires_in: object.u64("expiresIn")?,
            refresh_token: object.optional_string("refreshToken")?,
        })
    }
}

/// The `roleCredentials` of the portal's `GetRoleCredentials` answer.
struct RoleCredentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: String,
    /// Milliseconds since the epoch.
    expiration: i64,
}

impl RoleCredentials {
    fn parse(body: &[u8]) -> Result<Self, Position> {
        let object = Object::parse(body)?.object("roleCredentials")?;
        Ok(RoleCredentials {
            access_key_id: object.string("accessKeyId")?,
            secret_access_key: object.string("secretAccessKey")?,
            session_token: object.string_or_empty("sessionToken")?,
            expiration: object.i64("expiration")?,
        })
    }
}

/// A failed answer for messages: the status, the error type and message the body or headers give,
/// made safe to print.
fn describe_failure(response: &Response) -> String {
    let body: Value = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
    let field = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| body.get(*k).and_then(Value::as_str))
            .map(str::to_owned)
    };
    let kind = response
        .header("x-amzn-errortype")
        .map(|t| t.split(':').next().unwrap_or(t).to_owned())
        .or_else(|| field(&["error", "__type", "code"]));
    let message = field(&["message", "Message", "error_description"]);
    let mut text = format!("HTTP {}", response.status);
    if let Some(kind) = kind {
        text.push(' ');
        text.push_str(&printable(&kind, MAX_NAME_CHARS));
    }
    if let Some(message) = message {
        text.push_str(": ");
        text.push_str(&printable(&message, MAX_MESSAGE_CHARS));
    }
    text
}

/// Writes `bytes` to a new file beside `path` and renames it over `path`.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;

    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let result = (|| {
        let mut file = options.open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_keys_are_sha1_hex() {
        assert_eq!(cache_key(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(cache_key("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
    }

    #[test]
    fn failures_are_described_safely() {
        let response = Response::new(403, r#"{"message":"No access\u001b[2J"}"#).with_header(
            "x-amzn-ErrorType",
            "ForbiddenException:http://internal.amazon.com/",
        );
        assert_eq!(
            describe_failure(&response),
            "HTTP 403 ForbiddenException: No access\\u{1b}[2J"
        );
        let response = Response::new(
            400,
            r#"{"error":"invalid_grant","error_description":"Invalid refresh token provided"}"#,
        );
        assert_eq!(
            describe_failure(&response),
            "HTTP 400 invalid_grant: Invalid refresh token provided"
        );
        assert_eq!(describe_failure(&Response::new(500, "<html>")), "HTTP 500");
    }

    #[test]
    fn answers_are_read_field_by_field() {
        let answer = CreateTokenAnswer::parse(
            br#"{"accessToken": "T", "expiresIn": 3600, "tokenType": "Bearer"}"#,
        )
        .unwrap();
        assert_eq!(
            (answer.access_token.as_str(), answer.expires_in),
            ("T", 3600)
        );
        assert_eq!(answer.refresh_token, None);
        let role = RoleCredentials::parse(
            br#"{"roleCredentials":
                {"accessKeyId": "A", "secretAccessKey": "S", "expiration": 1500}}"#,
        )
        .unwrap();
        assert_eq!(
            (role.access_key_id.as_str(), role.secret_access_key.as_str()),
            ("A", "S")
        );
        assert_eq!((role.session_token.as_str(), role.expiration), ("", 1500));
    }

    /// The positions serde_json gave when these answers were read into structs deriving
    /// `Deserialize`.
    #[test]
    fn answers_of_the_wrong_shape_are_positioned() {
        let at = |result: Result<(), Position>| result.unwrap_err().to_string();
        let token = |body: &[u8]| CreateTokenAnswer::parse(body).map(drop);
        let role = |body: &[u8]| RoleCredentials::parse(body).map(drop);
        assert_eq!(
            at(token(br#"{"accessToken": "T", "expiresIn": -1}"#)),
            "line 1, column 36"
        );
        assert_eq!(at(token(br#"{"expiresIn": 1}"#)), "line 1, column 16");
        assert_eq!(
            at(token(br#"{"accessToken": null, "expiresIn": 1}"#)),
            "line 1, column 20"
        );
        assert_eq!(
            at(role(br#"{"roleCredentials": null}"#)),
            "line 1, column 24"
        );
        assert_eq!(
            at(role(
                br#"{"roleCredentials": {"accessKeyId": "A", "secretAccessKey": "S",
                    "sessionToken": null, "expiration": 1}}"#
            )),
            "line 2, column 40"
        );
        assert_eq!(
            at(role(
                br#"{"roleCredentials": {"accessKeyId": "A", "secretAccessKey": "S"}}"#
            )),
            "line 1, column 64"
        );
    }

    #[test]
    fn cached_times_in_both_forms() {
        let token = CachedToken(
            serde_json::from_str(
                r#"{"a": "2030-01-02T03:04:05Z", "b": "2030-01-02T03:04:05UTC", "c": "soon", "d": 5}"#,
            )
            .unwrap(),
        );
        let expected = SystemTime::UNIX_EPOCH + Duration::from_secs(1_893_553_445);
        assert_eq!(token.time("a"), Some(expected));
        assert_eq!(token.time("b"), Some(expected));
        assert_eq!(token.time("c"), None);
        assert_eq!(token.time("d"), None);
        assert_eq!(token.time("e"), None);
    }
}
