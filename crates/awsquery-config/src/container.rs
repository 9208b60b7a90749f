//! The container credentials endpoint: ECS task roles and EKS Pod Identity.
//!
//! The container's environment says where to ask:
//!
//! * `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (ECS): a path on `http://169.254.170.2`;
//! * else `AWS_CONTAINER_CREDENTIALS_FULL_URI` (EKS Pod Identity, ECS Anywhere, local tools): a
//!   whole URL. Plain `http` is allowed only to a loopback address (`127.0.0.0/8`, `::1`, or the
//!   name `localhost`, which is taken at its word and not resolved) or to the container
//!   credentials addresses `169.254.170.2`, `169.254.170.23` and `fd00:ec2::23`; any other host
//!   needs `https`, so that credentials never cross a network in the clear.
//!
//! The `Authorization` header is the content of the file named by
//! `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read again on each fetch, since the platform rotates
//! it), else `AWS_CONTAINER_AUTHORIZATION_TOKEN`. The endpoint answers with the same JSON document
//! as the instance metadata service, without its `Code`.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use awsquery::credentials::{
    CredentialsError, CredentialsErrorKind, ProvideCredentials, ProvideFuture,
};
use awsquery::env::Env;
use awsquery::http::{Request, Response, redact_userinfo};
use awsquery::sigv4::Credentials;
use awsquery::transport::Transport;
use awsquery_types::text;

/// The ECS endpoint that `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is a path on.
pub const ECS_ENDPOINT: &str = "http://169.254.170.2";

/// How long each request may take unless set: 2 seconds.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(2);

/// How many times a request is sent unless set: 3.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;

/// The pause before another attempt.
const RETRY_DELAY: Duration = Duration::from_millis(200);

const RELATIVE_URI_VAR: &str = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
const FULL_URI_VAR: &str = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
const TOKEN_VAR: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
const TOKEN_FILE_VAR: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";

/// The hosts besides loopback that a plain `http` full URI may name: ECS, and EKS Pod Identity
/// over IPv4 and IPv6.
const ECS_HOST: Ipv4Addr = Ipv4Addr::new(169, 254, 170, 2);
const EKS_HOST: Ipv4Addr = Ipv4Addr::new(169, 254, 170, 23);
const EKS_HOST_V6: Ipv6Addr = Ipv6Addr::new(0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x23);

/// The name credentials errors give to this source.
const SOURCE: &str = "container endpoint";

/// How much of an error answer's body is shown, in bytes.
const ERROR_BODY_EXCERPT: usize = 512;

/// Credentials from the container credentials endpoint.
///
/// Neither `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` nor `AWS_CONTAINER_CREDENTIALS_FULL_URI` set
/// is [`NotFound`](CredentialsErrorKind::NotFound); a full URI that is not allowed, or an
/// authorization token that cannot be sent, is
/// [`InvalidConfiguration`](CredentialsErrorKind::InvalidConfiguration); a token file that cannot
/// be read is [`Io`](CredentialsErrorKind::Io); an endpoint that fails is
/// [`Provider`](CredentialsErrorKind::Provider). Requests that time out, fail to connect or are
/// answered with a 5xx status are tried again. An error answer's body is shown, cut short and
/// with the authorization token masked.
///
/// Each [`provide`](ProvideCredentials::provide) asks the endpoint; wrap it in
/// [`CachedCredentials`](crate::cache::CachedCredentials) to ask only when the credentials near
/// their expiry. Debug shows the settings, never the token.
pub struct ContainerCredentials<T> {
    transport: T,
    env: Env,
    relative_base: String,
    timeout: Duration,
    max_attempts: u32,
}

impl<T: Transport + Clone + Send + Sync + 'static> ContainerCredentials<T> {
    /// Reads its settings from `env` on each fetch.
    pub fn new(transport: T, env: Env) -> Self {
        ContainerCredentials {
            transport,
            env,
            relative_base: ECS_ENDPOINT.to_owned(),
            timeout: DEFAULT_TIMEOUT,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
        }
    }

    /// Resolves `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` against `base` (`http://host[:port]`)
    /// rather than [`ECS_ENDPOINT`]: for tests, or a proxy standing in for the ECS agent.
    pub fn relative_uri_base(mut self, base: impl Into<String>) -> Self {
        self.relative_base = base.into().trim_end_matches('/').to_owned();
        self
    }

    /// Limits each request to `limit` ([`DEFAULT_TIMEOUT`] unless set).
    pub fn timeout(mut self, limit: Duration) -> Self {
        self.timeout = limit;
        self
    }

    /// Sends the request at most `attempts` times, at least once ([`DEFAULT_MAX_ATTEMPTS`] unless
    /// set).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The URL to ask, from the environment.
    fn uri(&self) -> Result<String, CredentialsError> {
        if let Some(path) = self.env.get(RELATIVE_URI_VAR) {
            // Always a path: `@host` after the base would name another host.
            let slash = if path.starts_with('/') { "" } else { "/" };
            return Ok(format!("{}{slash}{path}", self.relative_base));
        }
        match self.env.get(FULL_URI_VAR) {
            Some(uri) => check_full_uri(&uri).map(|()| uri),
            None => Err(CredentialsError::new(
                CredentialsErrorKind::NotFound,
                SOURCE,
                format!("neither {RELATIVE_URI_VAR} nor {FULL_URI_VAR} is set"),
            )),
        }
    }

    /// The `Authorization` header's value, if one is configured.
    async fn authorization(&self) -> Result<Option<String>, CredentialsError> {
        let (token, from) = if let Some(path) = self.env.get(TOKEN_FILE_VAR) {
            let from = format!("the file `{path}` ({TOKEN_FILE_VAR})");
            let bytes = read_bounded(path.clone()).await.map_err(|e| {
                CredentialsError::new(
                    CredentialsErrorKind::Io,
                    SOURCE,
                    format!("cannot read the authorization token from {from}"),
                )
                .with_cause(e)
            })?;
            let token = String::from_utf8(bytes).map_err(|_| {
                invalid(format!(
                    "the authorization token in {from} is not UTF-8 text"
                ))
            })?;
            if token.is_empty() {
                return Err(invalid(format!("{from} is empty")));
            }
            (token, from)
        } else if let Some(token) = self.env.get(TOKEN_VAR) {
            (token, TOKEN_VAR.to_owned())
        } else {
            return Ok(None);
        };
        if token.contains(['\r', '\n']) {
            return Err(invalid(format!(
                "the authorization token from {from} contains a line break (CR or LF), which a \
                 header cannot carry"
            )));
        }
        if token.chars().any(|c| c.is_control() && c != '\t') {
            return Err(invalid(format!(
                "the authorization token from {from} contains a control character, which a \
                 header cannot carry"
            )));
        }
        Ok(Some(token))
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let uri = self.uri()?;
        let authorization = self.authorization().await?;
        let shown_uri = redact_userinfo(&uri).into_owned();
        let mut last_failure = None;
        for attempt in 1..=self.max_attempts {
            if attempt > 1 {
                self.transport.sleep(RETRY_DELAY).await;
            }
            let mut request = Request {
                method: "GET",
                uri: uri.clone(),
                headers: vec![("accept", "application/json".to_owned())],
                body: Vec::new(),
                sensitive: &[],
            };
            if let Some(token) = &authorization {
                request.headers.push(("authorization", token.clone()));
            }
            match crate::http::send(&self.transport, request, self.timeout).await {
                Ok(response) if response.is_success() => {
                    return crate::imds::credentials_from_json(&response.body).map_err(|reason| {
                        provider_error(format!("the answer of {shown_uri}: {reason}"))
                    });
                }
                Ok(response) => {
                    let failure = error_response(&shown_uri, &response, authorization.as_deref());
                    if response.status < 500 {
                        return Err(failure);
                    }
                    last_failure = Some(failure);
                }
                Err(e) => {
                    let attempts = match self.max_attempts {
                        1 => "1 attempt".to_owned(),
                        n => format!("{n} attempts"),
                    };
                    last_failure = Some(
                        provider_error(format!(
                            "no answer from {shown_uri} ({attempts} of at most {:?})",
                            self.timeout
                        ))
                        .with_cause(e),
                    );
                }
            }
        }
        Err(last_failure.expect("at least one attempt was made"))
    }
}

impl<T: Transport + Clone + Send + Sync + 'static> ProvideCredentials for ContainerCredentials<T> {
    fn provide(&self) -> ProvideFuture<'_> {
        ProvideFuture::new(self.load())
    }
}

impl<T> fmt::Debug for ContainerCredentials<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ContainerCredentials")
            .field("env", &self.env)
            .field("relative_uri_base", &self.relative_base)
            .field("timeout", &self.timeout)
            .field("max_attempts", &self.max_attempts)
            .finish_non_exhaustive()
    }
}

fn invalid(reason: String) -> CredentialsError {
    CredentialsError::new(CredentialsErrorKind::InvalidConfiguration, SOURCE, reason)
}

fn provider_error(reason: String) -> CredentialsError {
    CredentialsError::new(CredentialsErrorKind::Provider, SOURCE, reason)
}

/// An error for a non-2xx `response`, with an excerpt of its body in which the token, should
/// the endpoint repeat it, is masked.
fn error_response(uri: &str, response: &Response, token: Option<&str>) -> CredentialsError {
    let (excerpt, cut) = text::lossy_prefix(&response.body, ERROR_BODY_EXCERPT);
    let mut excerpt = excerpt.trim().to_owned();
    if let Some(token) = token.map(str::trim).filter(|t| !t.is_empty()) {
        excerpt = excerpt.replace(token, "***");
    }
    let mut reason = format!("{uri} was answered {}", response.status);
    if !excerpt.is_empty() {
        let ellipsis = if cut { "…" } else { "" };
        reason.push_str(&format!(": {}{ellipsis}", text::escape_controls(&excerpt)));
    }
    provider_error(reason)
}

/// Checks that `uri`, the value of `AWS_CONTAINER_CREDENTIALS_FULL_URI`, may be asked for
/// credentials: `https` to any host, plain `http` to the hosts in the module's documentation.
fn check_full_uri(uri: &str) -> Result<(), CredentialsError> {
    let shown = redact_userinfo(uri);
    let shown = text::printable(&shown, text::MAX_NAME_CHARS);
    let Some((scheme, rest)) = uri.split_once("://") else {
        return Err(invalid(format!(
            "{FULL_URI_VAR} is `{shown}`, which is not an absolute http(s) URL"
        )));
    };
    let https = scheme.eq_ignore_ascii_case("https");
    if !https && !scheme.eq_ignore_ascii_case("http") {
        return Err(invalid(format!(
            "{FULL_URI_VAR} is `{shown}`; only http and https URLs are allowed"
        )));
    }
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let host_and_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let host = match host_and_port.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or(""),
        None => host_and_port.split(':').next().unwrap_or(""),
    };
    if host.is_empty() {
        return Err(invalid(format!(
            "{FULL_URI_VAR} is `{shown}`, which has no host"
        )));
    }
    if https || is_allowed_http_host(host) {
        return Ok(());
    }
    Err(invalid(format!(
        "{FULL_URI_VAR} names the host `{}`, which plain http may not reach: only a loopback \
         address, localhost, 169.254.170.2, 169.254.170.23 or fd00:ec2::23; use https for any \
         other host",
        text::printable(host, text::MAX_NAME_CHARS)
    )))
}

/// Whether credentials may be fetched over plain `http` from `host` (without brackets).
fn is_allowed_http_host(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    if let Ok(ip) = host.parse::<Ipv4Addr>() {
        return ip.is_loopback() || ip == ECS_HOST || ip == EKS_HOST;
    }
    if let Ok(ip) = host.parse::<Ipv6Addr>() {
        return ip.is_loopback() || ip == EKS_HOST_V6;
    }
    false
}

/// The largest authorization token file read; a token is a few hundred bytes.
const MAX_TOKEN_FILE_BYTES: u64 = 16 * 1024;

/// The file at `path`, read on the blocking pool, refused when larger than
/// [`MAX_TOKEN_FILE_BYTES`].
async fn read_bounded(path: String) -> std::io::Result<Vec<u8>> {
    let read = move || {
        use std::io::Read as _;
        let mut bytes = Vec::new();
        std::fs::File::open(&path)?
            .take(MAX_TOKEN_FILE_BYTES + 1)
            .read_to_end(&mut bytes)?;
        if bytes.len() as u64 > MAX_TOKEN_FILE_BYTES {
            return Err(std::io::Error::other(format!(
                "the file is larger than {MAX_TOKEN_FILE_BYTES} bytes"
            )));
        }
        Ok(bytes)
    };
    tokio::task::spawn_blocking(read)
        .await
        .unwrap_or_else(|e| Err(std::io::Error::other(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_uris_allowed_over_plain_http() {
        for uri in [
            "http://127.0.0.1/creds",
            "http://127.1.2.3:8080/creds",
            "http://localhost:8080/creds",
            "HTTP://LOCALHOST/creds",
            "http://[::1]:80/creds",
            "http://169.254.170.2/v2/credentials/abc",
            "http://169.254.170.23/v1/credentials",
            "http://[fd00:ec2::23]/v1/credentials",
            "http://[fd00:ec2:0::23]/v1/credentials",
            "http://user@127.0.0.1/creds",
            "https://credentials.example.com/creds",
            "HTTPS://192.168.1.10/creds",
        ] {
            assert!(check_full_uri(uri).is_ok(), "{uri}");
        }
    }

    #[test]
    fn full_uris_refused_over_plain_http() {
        for (uri, host) in [
            ("http://192.168.1.10/creds", "192.168.1.10"),
            (
                "http://169.254.170.2.example.com/",
                "169.254.170.2.example.com",
            ),
            ("http://localhost.example.com/", "localhost.example.com"),
            ("http://127.0.0.1@example.com/creds", "example.com"),
            ("http://[fd00:ec2::24]/", "fd00:ec2::24"),
            ("http://169.254.169.254/latest", "169.254.169.254"),
            ("http://127.1/creds", "127.1"),
        ] {
            let e = check_full_uri(uri).unwrap_err();
            assert_eq!(
                e.kind(),
                CredentialsErrorKind::InvalidConfiguration,
                "{uri}"
            );
            assert!(e.to_string().contains(&format!("the host `{host}`")), "{e}");
        }
        for (uri, reason) in [
            (
                "ftp://127.0.0.1/creds",
                "only http and https URLs are allowed",
            ),
            ("127.0.0.1/creds", "not an absolute http(s) URL"),
            ("http:///creds", "which has no host"),
            ("http://user:pw@/creds", "which has no host"),
        ] {
            let e = check_full_uri(uri).unwrap_err();
            assert!(e.to_string().contains(reason), "{e}");
            assert!(!e.to_string().contains("pw"), "{e}");
        }
    }
}
