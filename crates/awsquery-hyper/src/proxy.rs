//! HTTP proxies: which requests go through one, and the connector that takes them there.
//!
//! An `https://` request through a proxy opens a tunnel with `CONNECT host:port`, and TLS runs to
//! the service inside it, so the proxy sees neither the request nor the response. An `http://`
//! request is sent to the proxy whole, its target in absolute form (`POST http://host/ HTTP/1.1`).
//! Credentials in the proxy URL (`http://user:password@proxy:3128`, percent-encoded) go in a
//! `Proxy-Authorization: Basic` header: on the `CONNECT` request for a tunnel, on each request sent
//! to the proxy otherwise.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::io;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use awsquery::env::Env;
use awsquery::http::redact_userinfo;
use awsquery_types::text::printable;
use hyper::Uri;
use hyper::header::HeaderValue;
use hyper::rt::{Read, ReadBufCursor, Write};
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::client::proxy::matcher::{Intercept, Matcher};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tower_service::Service;

use crate::BuildError;

/// The longest proxy URL printed whole in an error, in characters.
const MAX_URL_CHARS: usize = 256;

/// Which proxy, if any, a [`HyperTransport`](crate::HyperTransport) sends each request through.
///
/// [`ProxyConfig::from_env`] reads the variables curl, Python (and so the AWS CLI) and Go read:
///
/// * `HTTPS_PROXY` (or `https_proxy`): the proxy for `https://` requests;
/// * `HTTP_PROXY` (or `http_proxy`): the proxy for `http://` requests;
/// * `NO_PROXY` (or `no_proxy`): hosts reached directly, comma-separated: `*` for all; a domain,
///   which also covers its subdomains (`example.com` and `.example.com` both match
///   `api.example.com`); an IP address; or a network (`10.0.0.0/8`). Entries are compared with
///   the host alone, so one with a port matches nothing.
///
/// Whatever the settings, requests to link-local addresses (`169.254.0.0/16`, `fe80::/10`) and to
/// EC2's IPv6 service addresses (`fd00:ec2::/32`) go directly: they are the instance metadata
/// service and the ECS and EKS credential endpoints, which a proxy cannot reach.
///
/// When both spellings are set, the upper-case one wins, as in Go and hyper-util (Python prefers
/// the lower-case one). As Go does, `HTTP_PROXY` is ignored when `REQUEST_METHOD` is set: in a CGI
/// program that variable can come from a request's `Proxy` header. `ALL_PROXY` is not read.
///
/// A proxy URL is `http://[user[:password]@]host[:port]`; the scheme may be left out, and the port
/// defaults to 80. Proxies reached over TLS (`https://`) and SOCKS proxies are not supported: such
/// a URL is a [`BuildError`]. `Debug` shows the URLs with their user information as `***`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ProxyConfig {
    http: Option<Setting>,
    https: Option<Setting>,
    no_proxy: Option<String>,
}

/// A proxy URL, with `http://` in front when it had no scheme, and the environment variable it
/// came from, if any (for error messages).
#[derive(Clone, PartialEq, Eq)]
struct Setting {
    url: String,
    variable: Option<&'static str>,
}

impl Setting {
    fn new(url: &str, variable: Option<&'static str>) -> Self {
        let url = url.trim();
        let url = if url.contains("://") {
            url.to_owned()
        } else {
            format!("http://{url}")
        };
        Setting { url, variable }
    }
}

impl ProxyConfig {
    /// No proxy: every request goes directly to its host, whatever the environment says.
    pub fn disabled() -> Self {
        ProxyConfig::default()
    }

    /// The proxies named by the environment (see the type's documentation); none when the
    /// variables are unset or empty.
    pub fn from_env(env: &Env) -> Self {
        let first = |names: &[&'static str]| {
            names
                .iter()
                .find_map(|&name| env.get(name).map(|url| Setting::new(&url, Some(name))))
        };
        let http_names: &[&'static str] = if env.get("REQUEST_METHOD").is_some() {
            &["http_proxy"]
        } else {
            &["HTTP_PROXY", "http_proxy"]
        };
        ProxyConfig {
            http: first(http_names),
            https: first(&["HTTPS_PROXY", "https_proxy"]),
            no_proxy: env
                .get("NO_PROXY")
                .or_else(|| env.get("no_proxy"))
                .map(|list| list.trim().to_owned()),
        }
    }

    /// Sends both `http://` and `https://` requests through the proxy at `url`.
    pub fn all(url: impl Into<String>) -> Self {
        let url = url.into();
        ProxyConfig::disabled()
            .with_http(url.clone())
            .with_https(url)
    }

    /// Sends `http://` requests through the proxy at `url`.
    pub fn with_http(mut self, url: impl Into<String>) -> Self {
        self.http = Some(Setting::new(&url.into(), None));
        self
    }

    /// Sends `https://` requests through the proxy at `url`.
    pub fn with_https(mut self, url: impl Into<String>) -> Self {
        self.https = Some(Setting::new(&url.into(), None));
        self
    }

    /// Reaches the hosts of `list` directly (the syntax of `NO_PROXY`).
    pub fn with_no_proxy(mut self, list: impl Into<String>) -> Self {
        self.no_proxy = Some(list.into());
        self
    }

    /// Whether no request goes through a proxy.
    pub fn is_disabled(&self) -> bool {
        self.http.is_none() && self.https.is_none()
    }

    /// Checks the URLs and builds what the connector consults; `None` when no proxy is set.
    pub(crate) fn resolve(&self) -> Result<Option<Arc<Proxies>>, BuildError> {
        if self.is_disabled() {
            return Ok(None);
        }
        let http = self.http.as_ref().map(|s| s.checked("http")).transpose()?;
        let https = self
            .https
            .as_ref()
            .map(|s| s.checked("https"))
            .transpose()?;
        let no_proxy = self.no_proxy.as_deref().unwrap_or("");
        // `*` bypasses every host. (The matcher would apply it to host names but not to IP
        // addresses.)
        if no_proxy.split(',').any(|entry| entry.trim() == "*") {
            return Ok(None);
        }
        let mut builder = Matcher::builder();
        if let Some(url) = http {
            builder = builder.http(url);
        }
        if let Some(url) = https {
            builder = builder.https(url);
        }
        builder = builder.no(no_proxy);
        Ok(Some(Arc::new(Proxies {
            matcher: builder.build(),
        })))
    }
}

impl Setting {
    /// The URL of the proxy for `scheme` requests, checked: an `http` URL with a host and nothing
    /// after the authority but an optional `/`.
    fn checked(&self, scheme: &'static str) -> Result<&str, BuildError> {
        let url = self.url.as_str();
        let invalid = |reason: &'static str| BuildError::Proxy {
            scheme,
            variable: self.variable,
            url: printable(&redact_userinfo(url), MAX_URL_CHARS).into_owned(),
            reason,
        };
        let uri: Uri = url.parse().map_err(|_| invalid("it is not a valid URL"))?;
        match uri.scheme_str() {
            Some("http") => {}
            Some("https") => return Err(invalid("proxies reached over TLS are not supported")),
            _ => return Err(invalid("only http:// proxies are supported")),
        }
        let authority = uri.authority().map_or("", |a| a.as_str());
        let host = authority.rsplit('@').next().unwrap_or("");
        if uri.host().is_none_or(str::is_empty) || host.is_empty() || host.starts_with(':') {
            return Err(invalid("it has no host"));
        }
        let port_text = match host.rfind(']') {
            Some(end) => host[end..].split_once(':').map(|(_, port)| port),
            None => host.split_once(':').map(|(_, port)| port),
        };
        if port_text.is_some() && uri.port_u16().is_none() {
            return Err(invalid("its port is not a number from 0 to 65535"));
        }
        if uri.path_and_query().is_some_and(|p| p.as_str() != "/") {
            return Err(invalid("it has a path or query"));
        }
        Ok(url)
    }
}

impl fmt::Debug for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&redact_userinfo(&self.url), f)
    }
}

impl fmt::Debug for ProxyConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_disabled() {
            return f.write_str("ProxyConfig(disabled)");
        }
        f.debug_struct("ProxyConfig")
            .field("http", &self.http)
            .field("https", &self.https)
            .field("no_proxy", &self.no_proxy)
            .finish()
    }
}

/// The proxies of a transport, checked.
/// Whether `host` is an address only the machine itself can reach: IPv4 link-local
/// (`169.254.0.0/16`: instance metadata, the ECS and EKS credential endpoints), IPv6 link-local
/// (`fe80::/10`) and EC2's IPv6 service addresses (`fd00:ec2::/32`). A proxy could not reach
/// them, and would see the credentials they hand out.
fn is_instance_local(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    match host.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => ip.is_link_local(),
        Ok(IpAddr::V6(ip)) => {
            let segments = ip.segments();
            segments[0] & 0xffc0 == 0xfe80 || (segments[0] == 0xfd00 && segments[1] == 0x0ec2)
        }
        Err(_) => false,
    }
}

pub(crate) struct Proxies {
    matcher: Matcher,
}

impl Proxies {
    /// The proxy for a request to `uri`, if it goes through one. The metadata and container
    /// credential endpoints of EC2, ECS and EKS are always reached directly (see
    /// [`is_instance_local`]).
    fn intercept(&self, uri: &Uri) -> Option<Intercept> {
        if uri.host().is_some_and(is_instance_local) {
            return None;
        }
        self.matcher.intercept(uri)
    }

    /// The `Proxy-Authorization` header a request to `uri` needs: for an `http://` request sent
    /// to a proxy whose URL has credentials. (A tunnel's `CONNECT` carries its own.)
    pub(crate) fn authorization_for(&self, uri: &Uri) -> Option<HeaderValue> {
        if uri.scheme_str() != Some("http") {
            return None;
        }
        self.intercept(uri)?.basic_auth().cloned()
    }
}

/// Opens connections: directly, to an `http://` proxy, or through a `CONNECT` tunnel.
#[derive(Clone)]
pub(crate) struct Connector {
    http: HttpConnector,
    proxies: Option<Arc<Proxies>>,
}

impl Connector {
    pub(crate) fn new(http: HttpConnector, proxies: Option<Arc<Proxies>>) -> Self {
        Connector { http, proxies }
    }
}

type BoxError = Box<dyn StdError + Send + Sync>;

impl Service<Uri> for Connector {
    type Response = Stream;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Stream, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.http.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, destination: Uri) -> Self::Future {
        let intercept = self
            .proxies
            .as_ref()
            .and_then(|proxies| proxies.intercept(&destination));
        match intercept {
            None => {
                let connecting = self.http.call(destination);
                Box::pin(async move { Ok(Stream::new(connecting.await?, false)) })
            }
            Some(proxy) if destination.scheme_str() == Some("https") => {
                let mut tunnel = Tunnel::new(proxy.uri().clone(), self.http.clone());
                if let Some(authorization) = proxy.basic_auth() {
                    tunnel = tunnel.with_auth(authorization.clone());
                }
                let connecting = tunnel.call(destination);
                Box::pin(async move { Ok(Stream::new(connecting.await?, false)) })
            }
            Some(proxy) => {
                let connecting = self.http.call(proxy.uri().clone());
                Box::pin(async move { Ok(Stream::new(connecting.await?, true)) })
            }
        }
    }
}

/// A TCP connection, to a host or a proxy. One to an `http://` proxy tells the client so, which
/// then writes request targets in absolute form.
pub(crate) struct Stream {
    io: TokioIo<TcpStream>,
    to_proxy: bool,
}

impl Stream {
    fn new(io: TokioIo<TcpStream>, to_proxy: bool) -> Self {
        Stream { io, to_proxy }
    }
}

impl Connection for Stream {
    fn connected(&self) -> Connected {
        self.io.connected().proxy(self.to_proxy)
    }
}

impl Read for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

impl Write for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write_vectored(cx, bufs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(config: ProxyConfig) -> Arc<Proxies> {
        config
            .resolve()
            .expect("valid proxy URLs")
            .expect("a proxy is set")
    }

    fn uri(text: &str) -> Uri {
        text.parse().expect("a URI")
    }

    #[test]
    fn the_environment_names_the_proxies() {
        let env = Env::from_pairs(&[
            ("HTTPS_PROXY", "http://upper:3128"),
            ("https_proxy", "http://lower:3128"),
            ("http_proxy", "plain:8080"),
            ("no_proxy", "internal.example, 10.0.0.0/8"),
        ]);
        let config = ProxyConfig::from_env(&env);
        let proxies = resolve(config.clone());
        let https = proxies.intercept(&uri("https://rds.us-east-1.amazonaws.com/"));
        assert_eq!(https.expect("proxied").uri(), "http://upper:3128/");
        let http = proxies.intercept(&uri("http://rds.us-east-1.amazonaws.com/"));
        assert_eq!(http.expect("proxied").uri(), "http://plain:8080/");
        for direct in [
            "https://internal.example/",
            "https://api.internal.example/",
            "http://10.1.2.3:8080/",
        ] {
            assert!(proxies.intercept(&uri(direct)).is_none(), "{direct}");
        }
        assert!(
            proxies
                .intercept(&uri("https://notinternal.example/"))
                .is_some()
        );

        assert!(ProxyConfig::from_env(&Env::from_pairs(&[])).is_disabled());
        assert!(
            ProxyConfig::from_env(&Env::from_pairs(&[]))
                .resolve()
                .expect("nothing to check")
                .is_none()
        );
    }

    #[test]
    fn http_proxy_is_ignored_in_a_cgi_program() {
        let env = Env::from_pairs(&[
            ("REQUEST_METHOD", "GET"),
            ("HTTP_PROXY", "http://attacker:80"),
        ]);
        assert!(ProxyConfig::from_env(&env).is_disabled());
        let env = Env::from_pairs(&[
            ("REQUEST_METHOD", "GET"),
            ("HTTP_PROXY", "http://attacker:80"),
            ("http_proxy", "http://chosen:80"),
        ]);
        let proxies = resolve(ProxyConfig::from_env(&env));
        let proxy = proxies
            .intercept(&uri("http://example.com/"))
            .expect("proxied");
        assert_eq!(proxy.uri(), "http://chosen:80/");
    }

    #[test]
    fn instance_local_endpoints_are_never_proxied() {
        let proxies = resolve(ProxyConfig::all("http://proxy:3128"));
        for direct in [
            "http://169.254.169.254/latest/api/token",
            "http://169.254.170.2/v2/credentials/x",
            "http://169.254.170.23/v1/credentials",
            "http://[fd00:ec2::254]/latest/api/token",
            "http://[fd00:ec2::23]/v1/credentials",
            "http://[fe80::1]/",
        ] {
            assert!(proxies.intercept(&uri(direct)).is_none(), "{direct}");
        }
        for proxied in [
            "https://rds.us-east-1.amazonaws.com/",
            "http://169.253.169.254/",
            "http://[fd00:ec3::1]/",
        ] {
            assert!(proxies.intercept(&uri(proxied)).is_some(), "{proxied}");
        }
    }

    #[test]
    fn no_proxy_star_bypasses_everything() {
        for list in ["*", "example.com, *"] {
            let config = ProxyConfig::all("http://proxy:3128").with_no_proxy(list);
            assert!(config.resolve().expect("valid URLs").is_none(), "{list}");
        }
        // The URLs are still checked.
        let config = ProxyConfig::all("socks5://proxy").with_no_proxy("*");
        assert!(config.resolve().is_err());
    }

    #[test]
    fn credentials_become_basic_authorization_for_http_requests() {
        let proxies = resolve(ProxyConfig::all("http://al%40ice:p%3Ass@proxy:3128"));
        let authorization = proxies
            .authorization_for(&uri("http://example.com/"))
            .expect("credentials");
        // base64("al@ice:p:ss")
        assert_eq!(authorization, "Basic YWxAaWNlOnA6c3M=");
        assert!(authorization.is_sensitive());
        // A tunnel carries them on CONNECT instead.
        assert!(
            proxies
                .authorization_for(&uri("https://example.com/"))
                .is_none()
        );
        let anonymous = resolve(ProxyConfig::all("http://proxy:3128"));
        assert!(
            anonymous
                .authorization_for(&uri("http://example.com/"))
                .is_none()
        );
    }

    #[test]
    fn bad_proxy_urls_are_refused_without_their_password() {
        let cases = [
            (
                "https://user:secret@proxy:443",
                "proxies reached over TLS are not supported",
            ),
            (
                "socks5://user:secret@proxy:1080",
                "only http:// proxies are supported",
            ),
            ("http://user:secret@:3128", "it has no host"),
            (
                "http://user:secret@proxy:3128/path",
                "it has a path or query",
            ),
            (
                "http://user:secret@proxy:port",
                "its port is not a number from 0 to 65535",
            ),
            ("http://user:secret@proxy:99999", "its port is not a number"),
            ("http://user:secret@pro xy:3128", "it is not a valid URL"),
        ];
        for (url, reason) in cases {
            let error = ProxyConfig::all(url)
                .resolve()
                .err()
                .unwrap_or_else(|| panic!("{url} is refused"));
            let printed = error.to_string();
            assert!(printed.contains(reason), "{url}: {printed}");
            assert!(printed.starts_with("the http proxy URL `"), "{printed}");
            assert!(!printed.contains("secret"), "{printed}");
            assert!(printed.contains("***@"), "{printed}");
        }
        let env = Env::from_pairs(&[("HTTPS_PROXY", "http://proxy\u{1b}[2J:80")]);
        let error = ProxyConfig::from_env(&env)
            .resolve()
            .err()
            .expect("refused");
        assert!(!error.to_string().contains('\u{1b}'), "{error}");
        let env = Env::from_pairs(&[("HTTPS_PROXY", "ftp://proxy")]);
        let error = ProxyConfig::from_env(&env)
            .resolve()
            .err()
            .expect("refused");
        assert_eq!(
            error.to_string(),
            "the proxy URL `ftp://proxy` of `HTTPS_PROXY` cannot be used: only http:// proxies \
             are supported"
        );
    }

    #[test]
    fn debug_hides_proxy_credentials() {
        let config = ProxyConfig::all("user:secret@proxy:3128").with_no_proxy("localhost");
        let printed = format!("{config:?}");
        assert!(!printed.contains("secret"), "{printed}");
        assert!(printed.contains("\"http://***@proxy:3128\""), "{printed}");
        assert_eq!(
            format!("{:?}", ProxyConfig::disabled()),
            "ProxyConfig(disabled)"
        );
    }
}
