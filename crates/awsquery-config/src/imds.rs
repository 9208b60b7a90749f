//! The EC2 instance metadata service (IMDS): the credentials of the instance profile's role and
//! the instance's Region, as the AWS CLI v2 and the AWS SDKs read them.
//!
//! Each exchange starts with a session token (IMDSv2): `PUT /latest/api/token` with
//! `x-aws-ec2-metadata-token-ttl-seconds: 21600`, then the token in `x-aws-ec2-metadata-token` on
//! every `GET`. The token is kept until shortly before its lifetime ends. When the token request
//! is refused with 403, 404 or 405 (a service that only speaks IMDSv1), the `GET`s are sent
//! without a token, unless `AWS_EC2_METADATA_V1_DISABLED` or the profile's
//! `ec2_metadata_v1_disabled` is `true`.
//!
//! Settings, from the environment first, then the selected profile:
//!
//! | environment | profile | meaning |
//! | --- | --- | --- |
//! | `AWS_EC2_METADATA_DISABLED` | | `true`: never ask the service |
//! | `AWS_EC2_METADATA_SERVICE_ENDPOINT` | `ec2_metadata_service_endpoint` | the endpoint URL |
//! | `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` | `ec2_metadata_service_endpoint_mode` | `IPv4` (`http://169.254.169.254`, the default) or `IPv6` (`http://[fd00:ec2::254]`) |
//! | `AWS_EC2_METADATA_V1_DISABLED` | `ec2_metadata_v1_disabled` | `true`: no IMDSv1 fallback |
//! | `AWS_METADATA_SERVICE_TIMEOUT` | `metadata_service_timeout` | seconds each request may take (default 1) |
//! | `AWS_METADATA_SERVICE_NUM_ATTEMPTS` | `metadata_service_num_attempts` | attempts per request (default 2) |
//!
//! Requests that time out, fail to connect or are answered with a 5xx status are tried again, up
//! to the number of attempts; a machine that is not on EC2 therefore gives up within about two
//! seconds, with a [`NotFound`](CredentialsErrorKind::NotFound) credentials error ("no instance
//! metadata service answered") that lets a chain end cleanly.
//!
//! Inside a container on EC2, the answer to the token request has to cross one more network hop
//! than the instance's default hop limit of 1 allows; such an instance needs a hop limit of 2.

use std::collections::BTreeMap;
use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use awsquery::credentials::{
    CredentialsError, CredentialsErrorKind, ProvideCredentials, ProvideFuture,
};
use awsquery::env::Env;
use awsquery::http::{Request, Response, redact_userinfo};
use awsquery::sigv4::Credentials;
use awsquery::time::{DateTime, TimestampFormat};
use awsquery::transport::{Transport, TransportError};
use awsquery_types::text;

use crate::json::{Object, Position};

/// The IPv4 endpoint of the service.
pub const IPV4_ENDPOINT: &str = "http://169.254.169.254";

/// The IPv6 endpoint of the service (Nitro instances).
pub const IPV6_ENDPOINT: &str = "http://[fd00:ec2::254]";

/// How long each request may take unless configured: 1 second.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(1);

/// How many times a request is sent unless configured: 2.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 2;

/// The lifetime asked for a session token, in seconds: 6 hours, the most the service allows.
const TOKEN_TTL_SECS: u64 = 21_600;

const TOKEN_PATH: &str = "/latest/api/token";
const TOKEN_HEADER: &str = "x-aws-ec2-metadata-token";
const TOKEN_TTL_HEADER: &str = "x-aws-ec2-metadata-token-ttl-seconds";
const CREDENTIALS_PATH: &str = "/latest/meta-data/iam/security-credentials/";
const REGION_PATH: &str = "/latest/meta-data/placement/region";

/// The name credentials errors give to this source.
const SOURCE: &str = "instance metadata (IMDS)";

/// How much of an error answer's body is shown, in bytes.
const ERROR_BODY_EXCERPT: usize = 256;

const DISABLED_VAR: &str = "AWS_EC2_METADATA_DISABLED";
const ENDPOINT_VAR: &str = "AWS_EC2_METADATA_SERVICE_ENDPOINT";
const ENDPOINT_KEY: &str = "ec2_metadata_service_endpoint";
const MODE_VAR: &str = "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE";
const MODE_KEY: &str = "ec2_metadata_service_endpoint_mode";
const V1_DISABLED_VAR: &str = "AWS_EC2_METADATA_V1_DISABLED";
const V1_DISABLED_KEY: &str = "ec2_metadata_v1_disabled";
const TIMEOUT_VAR: &str = "AWS_METADATA_SERVICE_TIMEOUT";
const TIMEOUT_KEY: &str = "metadata_service_timeout";
const ATTEMPTS_VAR: &str = "AWS_METADATA_SERVICE_NUM_ATTEMPTS";
const ATTEMPTS_KEY: &str = "metadata_service_num_attempts";

/// The profile keys this module reads.
const PROFILE_KEYS: [&str; 5] = [
    ENDPOINT_KEY,
    MODE_KEY,
    V1_DISABLED_KEY,
    TIMEOUT_KEY,
    ATTEMPTS_KEY,
];

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// Why the instance metadata service gave no answer.
///
/// Display says what happened (and the underlying error, if any); it never holds a token or a
/// key. A credentials error made from it keeps the [kind](ImdsErrorKind::credentials_kind).
#[derive(Debug)]
pub struct ImdsError {
    kind: ImdsErrorKind,
    message: String,
    cause: Option<Box<dyn StdError + Send + Sync + 'static>>,
}

/// What kind of failure an [`ImdsError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ImdsErrorKind {
    /// `AWS_EC2_METADATA_DISABLED` is `true`.
    Disabled,
    /// No answer within the time limit and attempts, or no connection: not on EC2, most likely.
    Unreachable,
    /// A setting does not parse: an endpoint that is not an `http(s)` URL, an unknown mode, a
    /// boolean that is neither `true` nor `false`.
    InvalidConfiguration,
    /// The service has no such value (no instance profile, for credentials), or refuses access to
    /// it (403).
    NotFound,
    /// The token request was refused and falling back to IMDSv1 is turned off.
    TokenRefused,
    /// The service answered with an error status.
    ErrorResponse,
    /// The answer could not be read: not UTF-8, not the expected JSON, a failure code.
    InvalidResponse,
}

impl ImdsErrorKind {
    /// The kind of credentials error this becomes: [`NotFound`](CredentialsErrorKind::NotFound)
    /// for a service that is turned off, absent or has no role (a chain moves on),
    /// [`InvalidConfiguration`](CredentialsErrorKind::InvalidConfiguration) for bad settings,
    /// [`Provider`](CredentialsErrorKind::Provider) for a service that fails.
    pub fn credentials_kind(self) -> CredentialsErrorKind {
        match self {
            ImdsErrorKind::Disabled | ImdsErrorKind::Unreachable | ImdsErrorKind::NotFound => {
                CredentialsErrorKind::NotFound
            }
            ImdsErrorKind::InvalidConfiguration => CredentialsErrorKind::InvalidConfiguration,
            ImdsErrorKind::TokenRefused
            | ImdsErrorKind::ErrorResponse
            | ImdsErrorKind::InvalidResponse => CredentialsErrorKind::Provider,
        }
    }
}

impl ImdsError {
    fn new(kind: ImdsErrorKind, message: impl Into<String>) -> Self {
        ImdsError {
            kind,
            message: message.into(),
            cause: None,
        }
    }

    fn with_cause(mut self, cause: impl Into<Box<dyn StdError + Send + Sync + 'static>>) -> Self {
        self.cause = Some(cause.into());
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ImdsErrorKind {
        self.kind
    }

    /// A credentials error with the same kind and message, without the cause (which cannot be
    /// copied); used for settings errors, which have none.
    fn to_credentials_error(&self) -> CredentialsError {
        CredentialsError::new(self.kind.credentials_kind(), SOURCE, self.message.clone())
    }
}

impl fmt::Display for ImdsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(cause) = &self.cause {
            write!(f, " ({cause})")?;
        }
        Ok(())
    }
}

impl StdError for ImdsError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match &self.cause {
            Some(cause) => Some(&**cause),
            None => None,
        }
    }
}

impl From<ImdsError> for CredentialsError {
    fn from(e: ImdsError) -> Self {
        let error = CredentialsError::new(e.kind.credentials_kind(), SOURCE, e.message);
        match e.cause {
            Some(cause) => error.with_cause(cause),
            None => error,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------

/// Which endpoint of the service to use when none is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndpointMode {
    /// [`IPV4_ENDPOINT`], the default.
    IPv4,
    /// [`IPV6_ENDPOINT`].
    IPv6,
}

impl EndpointMode {
    fn endpoint(self) -> &'static str {
        match self {
            EndpointMode::IPv4 => IPV4_ENDPOINT,
            EndpointMode::IPv6 => IPV6_ENDPOINT,
        }
    }
}

/// Sets up an [`ImdsClient`]; made by [`ImdsClient::builder`].
///
/// Each setting comes from, in order: the builder method, the environment, the profile given to
/// [`profile`](Self::profile), the default. The environment is the process's unless
/// [`env`](Self::env) gives another.
pub struct ImdsClientBuilder<T> {
    transport: T,
    env: Env,
    /// Only the keys of [`PROFILE_KEYS`]: a profile may also hold secret keys.
    profile: BTreeMap<String, String>,
    endpoint: Option<String>,
    mode: Option<EndpointMode>,
    v1_fallback: Option<bool>,
    timeout: Option<Duration>,
    max_attempts: Option<u32>,
}

impl<T> ImdsClientBuilder<T> {
    /// Reads settings from `env` rather than the process environment.
    pub fn env(mut self, env: Env) -> Self {
        self.env = env;
        self
    }

    /// Reads settings from the properties of the selected profile (keys in lower case), after
    /// the environment.
    pub fn profile(mut self, profile: Option<&BTreeMap<String, String>>) -> Self {
        self.profile = profile
            .into_iter()
            .flatten()
            .filter(|(key, _)| PROFILE_KEYS.contains(&key.as_str()))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        self
    }

    /// Sends requests to `endpoint` (`http://host[:port]`), whatever the settings say.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Uses the endpoint of `mode` when no endpoint is set.
    pub fn endpoint_mode(mut self, mode: EndpointMode) -> Self {
        self.mode = Some(mode);
        self
    }

    /// Whether to send requests without a token when the token request is refused with 403, 404
    /// or 405 (true unless the settings turn it off).
    pub fn v1_fallback(mut self, allowed: bool) -> Self {
        self.v1_fallback = Some(allowed);
        self
    }

    /// Limits each request to `limit` ([`DEFAULT_TIMEOUT`] unless configured).
    pub fn timeout(mut self, limit: Duration) -> Self {
        self.timeout = Some(limit);
        self
    }

    /// Sends each request at most `attempts` times, at least once ([`DEFAULT_MAX_ATTEMPTS`]
    /// unless configured).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts.max(1));
        self
    }

    /// The client, or why the settings do not allow one: [`ImdsErrorKind::Disabled`] when
    /// `AWS_EC2_METADATA_DISABLED` is `true`, [`ImdsErrorKind::InvalidConfiguration`] for a
    /// setting that does not parse.
    pub fn build(self) -> Result<ImdsClient<T>, ImdsError> {
        if self.flag(DISABLED_VAR, None)? == Some(true) {
            return Err(ImdsError::new(
                ImdsErrorKind::Disabled,
                format!("turned off by {DISABLED_VAR}"),
            ));
        }
        let endpoint = match &self.endpoint {
            Some(endpoint) => valid_endpoint(endpoint, "the endpoint given")?,
            None => match self.setting(ENDPOINT_VAR, ENDPOINT_KEY) {
                Some((value, name)) => valid_endpoint(&value, &name)?,
                None => self.mode()?.endpoint().to_owned(),
            },
        };
        let v1_fallback = match self.v1_fallback {
            Some(allowed) => allowed,
            None => self.flag(V1_DISABLED_VAR, Some(V1_DISABLED_KEY))? != Some(true),
        };
        let timeout = match self.timeout {
            Some(limit) => limit,
            None => match self.setting(TIMEOUT_VAR, TIMEOUT_KEY) {
                Some((value, name)) => parse_seconds(&value, &name)?,
                None => DEFAULT_TIMEOUT,
            },
        };
        let max_attempts = match self.max_attempts {
            Some(attempts) => attempts,
            None => match self.setting(ATTEMPTS_VAR, ATTEMPTS_KEY) {
                Some((value, name)) => parse_attempts(&value, &name)?,
                None => DEFAULT_MAX_ATTEMPTS,
            },
        };
        Ok(ImdsClient {
            transport: self.transport,
            endpoint,
            v1_fallback,
            timeout,
            max_attempts,
            token: Arc::new(tokio::sync::Mutex::new(None)),
        })
    }

    /// The value of a setting and where it came from (the variable, or the profile key).
    fn setting(&self, var: &str, key: &str) -> Option<(String, String)> {
        if let Some(value) = self.env.get(var) {
            return Some((value, var.to_owned()));
        }
        let value = self.profile.get(key)?.trim();
        (!value.is_empty()).then(|| (value.to_owned(), format!("profile setting `{key}`")))
    }

    fn mode(&self) -> Result<EndpointMode, ImdsError> {
        if let Some(mode) = self.mode {
            return Ok(mode);
        }
        let Some((value, name)) = self.setting(MODE_VAR, MODE_KEY) else {
            return Ok(EndpointMode::IPv4);
        };
        match value.to_ascii_lowercase().as_str() {
            "ipv4" => Ok(EndpointMode::IPv4),
            "ipv6" => Ok(EndpointMode::IPv6),
            _ => Err(invalid_setting(&name, &value, "`IPv4` or `IPv6`")),
        }
    }

    /// A boolean setting: `None` when unset.
    fn flag(&self, var: &str, key: Option<&str>) -> Result<Option<bool>, ImdsError> {
        let found = match key {
            Some(key) => self.setting(var, key),
            None => self.env.get(var).map(|value| (value, var.to_owned())),
        };
        let Some((value, name)) = found else {
            return Ok(None);
        };
        match value.trim().to_ascii_lowercase().as_str() {
            "true" => Ok(Some(true)),
            "false" => Ok(Some(false)),
            _ => Err(invalid_setting(&name, &value, "`true` or `false`")),
        }
    }
}

impl<T> fmt::Debug for ImdsClientBuilder<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImdsClientBuilder")
            .field("env", &self.env)
            .field("profile", &self.profile)
            .field("endpoint", &self.endpoint.as_deref().map(redact_userinfo))
            .field("mode", &self.mode)
            .field("v1_fallback", &self.v1_fallback)
            .field("timeout", &self.timeout)
            .field("max_attempts", &self.max_attempts)
            .finish_non_exhaustive()
    }
}

fn invalid_setting(name: &str, value: &str, expected: &str) -> ImdsError {
    ImdsError::new(
        ImdsErrorKind::InvalidConfiguration,
        format!(
            "{name} is `{}`; expected {expected}",
            text::printable(value, text::MAX_NAME_CHARS)
        ),
    )
}

/// `endpoint` without a trailing `/`, if it is an `http` or `https` URL with a host.
fn valid_endpoint(endpoint: &str, name: &str) -> Result<String, ImdsError> {
    let endpoint = endpoint.trim().trim_end_matches('/');
    let lower = endpoint.to_ascii_lowercase();
    let host = lower
        .strip_prefix("http://")
        .or_else(|| lower.strip_prefix("https://"));
    match host {
        Some(host) if !host.is_empty() && !host.contains(['?', '#', ' ']) => {
            Ok(endpoint.to_owned())
        }
        _ => Err(invalid_setting(
            name,
            &redact_userinfo(endpoint),
            "an `http://` or `https://` URL",
        )),
    }
}

fn parse_seconds(value: &str, name: &str) -> Result<Duration, ImdsError> {
    value
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|secs| *secs > 0.0)
        .and_then(|secs| Duration::try_from_secs_f64(secs).ok())
        .ok_or_else(|| invalid_setting(name, value, "a number of seconds above 0"))
}

fn parse_attempts(value: &str, name: &str) -> Result<u32, ImdsError> {
    value
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| invalid_setting(name, value, "a whole number of attempts, 1 or more"))
}

// ---------------------------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------------------------

/// A client of the instance metadata service. Cheap to clone; clones share the session token.
///
/// Debug shows the endpoint and limits, never the token.
pub struct ImdsClient<T> {
    transport: T,
    endpoint: String,
    v1_fallback: bool,
    timeout: Duration,
    max_attempts: u32,
    /// The session token, fetched by one caller while the others wait.
    token: Arc<tokio::sync::Mutex<Option<Token>>>,
}

/// A session token and when to ask for a new one.
struct Token {
    value: String,
    renew_at: Instant,
}

/// What the token request got.
enum TokenAnswer {
    Token(Token),
    /// Refused with this status: a service that speaks IMDSv1 only, or IMDS turned off.
    Refused(u16),
}

impl<T: Clone> Clone for ImdsClient<T> {
    fn clone(&self) -> Self {
        ImdsClient {
            transport: self.transport.clone(),
            endpoint: self.endpoint.clone(),
            v1_fallback: self.v1_fallback,
            timeout: self.timeout,
            max_attempts: self.max_attempts,
            token: Arc::clone(&self.token),
        }
    }
}

impl<T> fmt::Debug for ImdsClient<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let token = match self.token.try_lock() {
            Ok(token) if token.is_some() => "held",
            Ok(_) => "none",
            Err(_) => "being fetched",
        };
        f.debug_struct("ImdsClient")
            .field("endpoint", &redact_userinfo(&self.endpoint))
            .field("v1_fallback", &self.v1_fallback)
            .field("timeout", &self.timeout)
            .field("max_attempts", &self.max_attempts)
            .field("token", &token)
            .finish_non_exhaustive()
    }
}

impl<T: Transport + Clone + Send + Sync + 'static> ImdsClient<T> {
    /// A builder that reads the process environment; see [`ImdsClientBuilder`].
    pub fn builder(transport: T) -> ImdsClientBuilder<T> {
        ImdsClientBuilder {
            transport,
            env: Env::process(),
            profile: BTreeMap::new(),
            endpoint: None,
            mode: None,
            v1_fallback: None,
            timeout: None,
            max_attempts: None,
        }
    }

    /// The endpoint requests go to.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The text at `path` (`/latest/meta-data/…`).
    ///
    /// A 404 is [`ImdsErrorKind::NotFound`]. A token that the service no longer accepts (401) is
    /// replaced once.
    pub async fn get(&self, path: &str) -> Result<String, ImdsError> {
        let uri = format!("{}{path}", self.endpoint);
        let mut attempt = 0;
        let mut token_renewed = false;
        let mut last_failure = None;
        while attempt < self.max_attempts {
            attempt += 1;
            let token = self.token().await?;
            let mut headers = Vec::new();
            if let Some(token) = &token {
                headers.push((TOKEN_HEADER, token.clone()));
            }
            let request = Request {
                method: "GET",
                uri: uri.clone(),
                headers,
                body: Vec::new(),
                sensitive: &[],
            };
            match crate::http::send(&self.transport, request, self.timeout).await {
                Ok(response) if response.is_success() => {
                    return String::from_utf8(response.body).map_err(|_| {
                        ImdsError::new(
                            ImdsErrorKind::InvalidResponse,
                            format!("the answer to GET {path} is not UTF-8 text"),
                        )
                    });
                }
                Ok(response) if response.status == 401 && token.is_some() && !token_renewed => {
                    // The token expired early (the service restarted, say): one more try with a
                    // new one, not counted as an attempt.
                    token_renewed = true;
                    attempt -= 1;
                    *self.token.lock().await = None;
                }
                Ok(response) if response.status == 404 => {
                    return Err(ImdsError::new(
                        ImdsErrorKind::NotFound,
                        format!("GET {path} was answered 404 (not found)"),
                    ));
                }
                Ok(response) if response.status == 403 => {
                    // Access to the service is turned off for this instance or network: as the
                    // AWS CLI does, no credentials from here rather than a failure.
                    let mut failure = error_response(&format!("GET {path}"), &response);
                    failure.kind = ImdsErrorKind::NotFound;
                    return Err(failure);
                }
                Ok(response) => {
                    let failure = error_response(&format!("GET {path}"), &response);
                    if response.status < 500 {
                        return Err(failure);
                    }
                    last_failure = Some(failure);
                }
                Err(e) => last_failure = Some(self.unreachable(e)),
            }
        }
        Err(last_failure.expect("at least one attempt was made"))
    }

    /// The Region the instance runs in (`/latest/meta-data/placement/region`).
    pub async fn region(&self) -> Result<String, ImdsError> {
        let answer = self.get(REGION_PATH).await?;
        let region = answer.trim();
        let valid = !region.is_empty()
            && region.len() <= 63
            && region
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if valid {
            Ok(region.to_owned())
        } else {
            Err(ImdsError::new(
                ImdsErrorKind::InvalidResponse,
                format!(
                    "the Region it answered, `{}`, is not a Region name",
                    text::printable(region, text::MAX_NAME_CHARS)
                ),
            ))
        }
    }

    /// The credentials of the role of the instance profile: the role's name from
    /// `/latest/meta-data/iam/security-credentials/`, then its credentials.
    pub async fn credentials(&self) -> Result<Credentials, ImdsError> {
        let roles = self.get(CREDENTIALS_PATH).await.map_err(|e| match e.kind {
            ImdsErrorKind::NotFound => ImdsError::new(
                ImdsErrorKind::NotFound,
                "the instance has no IAM role (no instance profile is attached)",
            ),
            _ => e,
        })?;
        let role = roles.lines().map(str::trim).find(|l| !l.is_empty());
        let Some(role) = role else {
            return Err(ImdsError::new(
                ImdsErrorKind::NotFound,
                "the instance lists no IAM role",
            ));
        };
        if !is_role_name(role) {
            return Err(ImdsError::new(
                ImdsErrorKind::InvalidResponse,
                format!(
                    "the role it answered, `{}`, is not an IAM role name",
                    text::printable(role, text::MAX_NAME_CHARS)
                ),
            ));
        }
        let document = self.get(&format!("{CREDENTIALS_PATH}{role}")).await?;
        credentials_from_json(document.as_bytes()).map_err(|reason| {
            ImdsError::new(
                ImdsErrorKind::InvalidResponse,
                format!("the credentials of role `{role}`: {reason}"),
            )
        })
    }

    /// A session token to send, or `None` to send requests without one (IMDSv1).
    async fn token(&self) -> Result<Option<String>, ImdsError> {
        let mut held = self.token.lock().await;
        if let Some(token) = held.as_ref().filter(|t| Instant::now() < t.renew_at) {
            return Ok(Some(token.value.clone()));
        }
        *held = None;
        match self.fetch_token().await? {
            TokenAnswer::Token(token) => {
                let value = token.value.clone();
                *held = Some(token);
                Ok(Some(value))
            }
            TokenAnswer::Refused(_) if self.v1_fallback => Ok(None),
            TokenAnswer::Refused(status) => Err(ImdsError::new(
                ImdsErrorKind::TokenRefused,
                format!(
                    "the session token request (IMDSv2) was answered {status}, and falling back \
                     to IMDSv1 is turned off ({V1_DISABLED_VAR} or `{V1_DISABLED_KEY}`)"
                ),
            )),
        }
    }

    async fn fetch_token(&self) -> Result<TokenAnswer, ImdsError> {
        let mut last_failure = None;
        for _ in 0..self.max_attempts {
            let request = Request {
                method: "PUT",
                uri: format!("{}{TOKEN_PATH}", self.endpoint),
                headers: vec![(TOKEN_TTL_HEADER, TOKEN_TTL_SECS.to_string())],
                body: Vec::new(),
                sensitive: &[],
            };
            let requested_at = Instant::now();
            match crate::http::send(&self.transport, request, self.timeout).await {
                Ok(response) if response.is_success() => {
                    return token_from(&response, requested_at).map(TokenAnswer::Token);
                }
                Ok(response) if matches!(response.status, 403..=405) => {
                    return Ok(TokenAnswer::Refused(response.status));
                }
                Ok(response) => {
                    let failure = error_response("the session token request", &response);
                    if response.status < 500 {
                        return Err(failure);
                    }
                    last_failure = Some(failure);
                }
                Err(e) => last_failure = Some(self.unreachable(e)),
            }
        }
        Err(last_failure.expect("at least one attempt was made"))
    }

    fn unreachable(&self, e: TransportError) -> ImdsError {
        let attempts = match self.max_attempts {
            1 => "1 attempt".to_owned(),
            n => format!("{n} attempts"),
        };
        ImdsError::new(
            ImdsErrorKind::Unreachable,
            format!(
                "no instance metadata service answered at {} ({attempts} of at most {:?})",
                redact_userinfo(&self.endpoint),
                self.timeout
            ),
        )
        .with_cause(e)
    }
}

/// The token of a successful token answer, kept until a tenth of its lifetime is left.
fn token_from(response: &Response, requested_at: Instant) -> Result<Token, ImdsError> {
    let value = std::str::from_utf8(&response.body).unwrap_or("").trim();
    // The token goes into a header: visible ASCII only.
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ImdsError::new(
            ImdsErrorKind::InvalidResponse,
            "the session token it answered is empty or not a header value",
        ));
    }
    let ttl = response
        .header(TOKEN_TTL_HEADER)
        .and_then(|ttl| ttl.trim().parse::<u64>().ok())
        .unwrap_or(TOKEN_TTL_SECS)
        .min(TOKEN_TTL_SECS);
    let keep_for = Duration::from_secs(ttl) - Duration::from_secs(ttl) / 10;
    Ok(Token {
        value: value.to_owned(),
        renew_at: requested_at + keep_for,
    })
}

/// An error for a non-2xx `response` to `what`, with an excerpt of its body.
fn error_response(what: &str, response: &Response) -> ImdsError {
    let (excerpt, cut) = text::lossy_prefix(&response.body, ERROR_BODY_EXCERPT);
    let excerpt = text::escape_controls(excerpt.trim());
    let mut message = format!("{what} was answered {}", response.status);
    if !excerpt.is_empty() {
        message.push_str(&format!(": {excerpt}{}", if cut { "…" } else { "" }));
    }
    ImdsError::new(ImdsErrorKind::ErrorResponse, message)
}

/// Whether `name` can be an IAM role name (and so is safe in a path).
fn is_role_name(name: &str) -> bool {
    name.len() <= 128
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b))
        && name != "."
        && name != ".."
}

// ---------------------------------------------------------------------------------------------
// The credentials document (shared with the container endpoint)
// ---------------------------------------------------------------------------------------------

/// The JSON document of temporary credentials that the instance metadata service and container
/// endpoints answer. No Debug: it holds secrets.
struct CredentialsDocument {
    /// `Success` from IMDS; absent from container endpoints.
    code: Option<String>,
    message: Option<String>,
    access_key_id: Option<String>,
    secret_access_key: Option<String>,
    token: Option<String>,
    /// RFC 3339.
    expiration: Option<String>,
}

impl CredentialsDocument {
    fn parse(body: &[u8]) -> Result<Self, Position> {
        let object = Object::parse(body)?;
        Ok(CredentialsDocument {
            code: object.optional_string("Code")?,
            message: object.optional_string("Message")?,
            access_key_id: object.optional_string("AccessKeyId")?,
            secret_access_key: object.optional_string("SecretAccessKey")?,
            token: object.optional_string("Token")?,
            expiration: object.optional_string("Expiration")?,
        })
    }
}

/// Credentials from a credentials document, or why there are none (without a secret).
pub(crate) fn credentials_from_json(body: &[u8]) -> Result<Credentials, String> {
    let document = CredentialsDocument::parse(body)
        .map_err(|at| format!("the answer is not a JSON credentials document ({at})"))?;
    if let Some(code) = document.code.as_deref().filter(|code| *code != "Success") {
        let mut reason = format!(
            "the answer's Code is `{}`",
            text::printable(code, text::MAX_NAME_CHARS)
        );
        if let Some(message) = &document.message {
            reason.push_str(&format!(
                ": {}",
                text::printable(message, text::MAX_MESSAGE_CHARS)
            ));
        }
        return Err(reason);
    }
    let present = |value: Option<String>, name: &str| {
        value
            .filter(|v| !v.is_empty())
            .ok_or_else(|| format!("the answer has no `{name}`"))
    };
    let access_key_id = present(document.access_key_id, "AccessKeyId")?;
    let secret_access_key = present(document.secret_access_key, "SecretAccessKey")?;
    let token = document.token.filter(|t| !t.is_empty());
    let credentials = Credentials::new(access_key_id, secret_access_key, token);
    match document.expiration {
        None => Ok(credentials),
        Some(expiration) => Ok(credentials.with_expiry(parse_expiration(&expiration)?)),
    }
}

/// An RFC 3339 time as a [`SystemTime`].
fn parse_expiration(value: &str) -> Result<SystemTime, String> {
    let time = DateTime::parse(value, TimestampFormat::DateTime)
        .map_err(|e| format!("its `Expiration` does not parse: {e}"))?;
    let secs = u64::try_from(time.secs())
        .map_err(|_| format!("its `Expiration` is before 1970: {time}"))?;
    UNIX_EPOCH
        .checked_add(Duration::new(secs, time.subsec_nanos()))
        .ok_or_else(|| format!("its `Expiration` is out of range: {time}"))
}

// ---------------------------------------------------------------------------------------------
// Credentials provider and Region
// ---------------------------------------------------------------------------------------------

/// Credentials of the instance profile's role, from the instance metadata service.
///
/// Each [`provide`](ProvideCredentials::provide) asks the service (the session token is reused);
/// wrap it in [`CachedCredentials`](crate::cache::CachedCredentials) to ask it only when the
/// credentials near their expiry. Settings that do not parse are reported by every `provide` as
/// [`InvalidConfiguration`](CredentialsErrorKind::InvalidConfiguration); a service turned off by
/// `AWS_EC2_METADATA_DISABLED`, not reachable or without a role is
/// [`NotFound`](CredentialsErrorKind::NotFound).
///
/// Debug shows the client's endpoint and limits, never a token or key.
pub struct ImdsCredentials<T> {
    client: Result<ImdsClient<T>, ImdsError>,
}

impl<T: Transport + Clone + Send + Sync + 'static> ImdsCredentials<T> {
    /// Reads the settings from `env` and the selected profile's properties.
    pub fn new(transport: T, env: &Env, profile: Option<&BTreeMap<String, String>>) -> Self {
        let builder = ImdsClient::builder(transport)
            .env(env.clone())
            .profile(profile);
        ImdsCredentials {
            client: builder.build(),
        }
    }

    /// Uses `client`.
    pub fn from_client(client: ImdsClient<T>) -> Self {
        ImdsCredentials { client: Ok(client) }
    }
}

impl<T> fmt::Debug for ImdsCredentials<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.client {
            Ok(client) => f.debug_tuple("ImdsCredentials").field(client).finish(),
            Err(e) => f
                .debug_tuple("ImdsCredentials")
                .field(&format_args!("unusable: {e}"))
                .finish(),
        }
    }
}

impl<T: Transport + Clone + Send + Sync + 'static> ProvideCredentials for ImdsCredentials<T> {
    fn provide(&self) -> ProvideFuture<'_> {
        match &self.client {
            Ok(client) => ProvideFuture::new(async move {
                client.credentials().await.map_err(CredentialsError::from)
            }),
            Err(e) => ProvideFuture::ready(Err(e.to_credentials_error())),
        }
    }
}

/// The Region of the instance, from the instance metadata service, with the settings of `env`
/// and the selected profile's properties: the last source of the Region chain.
///
/// Fails with [`ImdsErrorKind::Disabled`], [`ImdsErrorKind::Unreachable`] or
/// [`ImdsErrorKind::NotFound`] when there is no such service to ask, which a chain treats as "no
/// Region".
pub async fn region<T: Transport + Clone + Send + Sync + 'static>(
    transport: T,
    env: &Env,
    profile: Option<&BTreeMap<String, String>>,
) -> Result<String, ImdsError> {
    let client = ImdsClient::builder(transport)
        .env(env.clone())
        .profile(profile)
        .build()?;
    client.region().await
}
