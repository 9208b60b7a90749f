//! An HTTP transport for awsquery clients: hyper 1 on tokio, with a connection pool and TLS by
//! rustls (the `ring` provider, Mozilla's root certificates from `webpki-roots` unless a CA bundle
//! replaces them), through the proxies the environment names.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use awsquery::client::Config;
//! use awsquery::credentials::DefaultChain;
//! use awsquery_hyper::HyperTransport;
//! use std::time::Duration;
//!
//! let transport = HyperTransport::builder()
//!     .connect_timeout(Duration::from_secs(2))
//!     .read_timeout(Duration::from_secs(20))
//!     .try_build()?;
//! let config = Config::from_credentials_provider("us-east-1", DefaultChain::new())
//!     .with_operation_timeout(Duration::from_secs(60));
//! // let client = neptune_client::Client::new(config, transport);
//! # let _ = (config, transport);
//! # Ok(())
//! # }
//! ```
//!
//! Both `https://` and plain `http://` endpoints work (the latter for local servers such as
//! moto). Requests go out as HTTP/1.1; connections are kept alive and reused by later calls, and
//! clones of a [`HyperTransport`] share one pool. The transport runs on the tokio runtime it is
//! used from, which must have its I/O and time drivers enabled (`enable_all()`).
//!
//! Three limits apply to each attempt:
//!
//! * the connect timeout ([`DEFAULT_CONNECT_TIMEOUT`], 3.1 s as in the AWS SDKs) bounds opening a
//!   TCP connection;
//! * the read timeout ([`DEFAULT_READ_TIMEOUT`], 60 s as the AWS CLI's) bounds the attempt as a
//!   whole: taking or opening a connection, the TLS handshake, sending the request and reading
//!   the response to its last byte;
//! * the response size limit ([`DEFAULT_MAX_RESPONSE_SIZE`], 4 MiB) bounds the body: a
//!   `Content-Length` above it fails before the body is read, and a body without one (chunked)
//!   fails as soon as it passes the limit, so a server that streams without end costs at most the
//!   limit in memory. Either is a
//!   [`ResponseTooLarge`](TransportErrorKind::ResponseTooLarge) error carrying
//!   [`awsquery::transport::ResponseTooLarge`], which is not retried.
//!
//! # Trust roots
//!
//! Servers are checked against Mozilla's root certificates by default. A CA bundle
//! ([`HyperTransportBuilder::ca_bundle_file`], [`HyperTransportBuilder::ca_bundle_pem`]; the AWS
//! CLI's `ca_bundle` and `AWS_CA_BUNDLE`) replaces them: its certificates, and only they, are
//! trusted, as the AWS CLI does with its bundle.
//!
//! # Proxies
//!
//! Like the AWS CLI and the AWS SDKs, [`HyperTransport::new`] and a builder left alone send
//! requests through the proxies of `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY`, read from the
//! process environment when the transport is built; [`HyperTransportBuilder::proxy`] sets them
//! instead, or turns proxies off with [`ProxyConfig::disabled`]. See [`ProxyConfig`] for the
//! variables and what a proxy sees.
//!
//! # Timeouts and failures
//!
//! Either one expiring is a [`TransportErrorKind::Timeout`], which the client's retry loop
//! retries; a whole call is bounded by
//! [`Config::with_operation_timeout`](awsquery::client::Config::with_operation_timeout).
//! Failures map to the other kinds as follows: no connection (refused, unreachable, DNS, TLS
//! handshake, a proxy refusing the tunnel, for want of credentials too) is
//! [`Connect`](TransportErrorKind::Connect); a connection that fails or closes mid-exchange is
//! [`Io`](TransportErrorKind::Io); a request that cannot be expressed (a bad URI or header), a
//! response that is not HTTP, and a transport whose settings could not be used (see
//! [`HyperTransportBuilder::build`]) are [`Other`](TransportErrorKind::Other), which is not
//! retried. (An `http://` request that a proxy answers with 407 gets that response, as any other.)

use std::error::Error as StdError;
use std::fmt;
use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use awsquery::env::Env;
use awsquery::http::{Request, Response};
use awsquery::transport::{ResponseTooLarge, Transport, TransportError, TransportErrorKind};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::body::Incoming;
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};

mod proxy;
mod tls;

pub use proxy::ProxyConfig;
use proxy::{Connector, Proxies};
pub use tls::MAX_CA_BUNDLE_SIZE;
use tls::Roots;

/// The largest response body accepted by default: 4 MiB, far above any page of the management
/// APIs and far below what would strain a process.
pub const DEFAULT_MAX_RESPONSE_SIZE: u64 = 4 * 1024 * 1024;

/// How long opening a TCP connection may take: 3.1 s, the AWS SDKs' default.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_millis(3100);

/// How long one attempt may take, from taking a connection to the last byte of the response:
/// 60 s, the AWS CLI's read timeout.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(60);

/// How long an idle pooled connection is kept.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(90);

/// The pooled hyper client of a transport.
type PooledClient = Client<HttpsConnector<Connector>, Full<Bytes>>;

/// A [`Transport`] over HTTP/1.1 with pooled connections. Cheap to clone; clones share the pool.
#[derive(Clone)]
pub struct HyperTransport {
    /// The client, or why the settings could not make one (reported by every send).
    client: Result<PooledClient, Arc<BuildError>>,
    proxies: Option<Arc<Proxies>>,
    proxy_config: ProxyConfig,
    custom_roots: bool,
    connect_timeout: Duration,
    read_timeout: Duration,
    max_response_size: u64,
}

impl HyperTransport {
    /// A transport with the default timeouts and Mozilla's root certificates, through the proxies
    /// of the process environment (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`). An unusable proxy
    /// URL there is reported by every send; [`HyperTransportBuilder::try_build`] reports it at
    /// once.
    pub fn new() -> Self {
        Self::builder().build()
    }

    /// A builder to set the timeouts, the trust roots and the proxies.
    pub fn builder() -> HyperTransportBuilder {
        HyperTransportBuilder {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            read_timeout: DEFAULT_READ_TIMEOUT,
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
            roots: Roots::default(),
            proxy: None,
        }
    }

    /// The limit on opening a TCP connection.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// The limit on one attempt.
    pub fn read_timeout(&self) -> Duration {
        self.read_timeout
    }

    /// The largest response body accepted, in bytes.
    pub fn max_response_size(&self) -> u64 {
        self.max_response_size
    }

    /// The proxies requests go through, as set or read from the environment.
    pub fn proxy(&self) -> &ProxyConfig {
        &self.proxy_config
    }

    /// Sends `request` and reads the whole response, without the attempt's time limit.
    async fn exchange(&self, request: Request) -> Result<Response, TransportError> {
        let client = self
            .client
            .as_ref()
            .map_err(|e| TransportError::new(TransportErrorKind::Other, Arc::clone(e)))?;
        let mut request = to_hyper(request)?;
        if let Some(authorization) = self
            .proxies
            .as_ref()
            .and_then(|proxies| proxies.authorization_for(request.uri()))
        {
            request
                .headers_mut()
                .insert(hyper::header::PROXY_AUTHORIZATION, authorization);
        }
        let response = client.request(request).await.map_err(client_error)?;
        let (parts, body) = response.into_parts();
        let declared = parts
            .headers
            .get(hyper::header::CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok()?.trim().parse::<u64>().ok());
        let body = read_body(body, declared, self.max_response_size).await?;
        let headers = parts
            .headers
            .iter()
            .map(|(name, value)| {
                let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                (name.as_str().to_owned(), value)
            })
            .collect();
        Ok(Response {
            status: parts.status.as_u16(),
            headers,
            body,
        })
    }
}

impl Default for HyperTransport {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for HyperTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("HyperTransport");
        s.field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("max_response_size", &self.max_response_size)
            .field("custom_roots", &self.custom_roots)
            .field("proxy", &self.proxy_config);
        if let Err(e) = &self.client {
            s.field("unusable", &e.to_string());
        }
        s.finish_non_exhaustive()
    }
}

impl Transport for HyperTransport {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        match tokio::time::timeout(self.read_timeout, self.exchange(request)).await {
            Ok(result) => result,
            Err(_) => Err(TransportError::new(
                TransportErrorKind::Timeout,
                AttemptTimedOut(self.read_timeout),
            )),
        }
    }

    async fn sleep(&self, duration: Duration) {
        tokio::time::sleep(duration).await;
    }
}

/// Sets the timeouts, trust roots and proxies of a [`HyperTransport`]; made by
/// [`HyperTransport::builder`].
#[derive(Clone, Debug)]
pub struct HyperTransportBuilder {
    connect_timeout: Duration,
    read_timeout: Duration,
    max_response_size: u64,
    roots: Roots,
    /// `None`: the process environment's, read when the transport is built.
    proxy: Option<ProxyConfig>,
}

impl HyperTransportBuilder {
    /// Limits opening a TCP connection ([`DEFAULT_CONNECT_TIMEOUT`] unless set).
    pub fn connect_timeout(mut self, limit: Duration) -> Self {
        self.connect_timeout = limit;
        self
    }

    /// Limits each attempt, from taking a connection to the last byte of the response
    /// ([`DEFAULT_READ_TIMEOUT`] unless set).
    pub fn read_timeout(mut self, limit: Duration) -> Self {
        self.read_timeout = limit;
        self
    }

    /// Accepts response bodies of at most `bytes` bytes ([`DEFAULT_MAX_RESPONSE_SIZE`] unless
    /// set); a larger one fails with [`TransportErrorKind::ResponseTooLarge`].
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.max_response_size = bytes;
        self
    }

    /// Trusts the certificates of the PEM file at `path`, and only them, instead of Mozilla's root
    /// certificates (the AWS CLI's `ca_bundle`). The file is read when the transport is built:
    /// [`try_build`](Self::try_build) fails when it cannot be read, is larger than
    /// [`MAX_CA_BUNDLE_SIZE`], or holds no certificate. Reading it blocks: build the transport
    /// before entering the async runtime or in `spawn_blocking`, or read the file asynchronously
    /// and pass its contents to [`ca_bundle_pem`](Self::ca_bundle_pem).
    pub fn ca_bundle_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.roots = Roots::File(path.into());
        self
    }

    /// Trusts the certificates of the PEM data `pem` (`-----BEGIN CERTIFICATE-----` sections; any
    /// other section is skipped), and only them, instead of Mozilla's root certificates.
    /// [`try_build`](Self::try_build) fails when there is no certificate or one cannot be read.
    pub fn ca_bundle_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.roots = Roots::Pem(Arc::from(pem.into()));
        self
    }

    /// Sends requests through the proxies of `proxy` (or through none, with
    /// [`ProxyConfig::disabled`]) instead of those of the process environment.
    pub fn proxy(mut self, proxy: ProxyConfig) -> Self {
        self.proxy = Some(proxy);
        self
    }

    /// The transport, with a new, empty connection pool; or why its settings cannot be used: a CA
    /// bundle that cannot be read or holds no usable certificate, or a proxy URL (set, or read from
    /// the environment) that is not an `http://` URL with a host.
    pub fn try_build(self) -> Result<HyperTransport, BuildError> {
        let proxy_config = self.proxy_config();
        let (proxies, client) = self.client(&proxy_config)?;
        Ok(self.assemble(proxy_config, proxies, Ok(client)))
    }

    /// The transport, with a new, empty connection pool. It never fails: settings that
    /// [`try_build`](Self::try_build) would refuse make a transport whose every send fails with
    /// the reason, as a [`TransportErrorKind::Other`] error that is not retried. Prefer
    /// `try_build` when setting a CA bundle or a proxy.
    pub fn build(self) -> HyperTransport {
        let proxy_config = self.proxy_config();
        match self.client(&proxy_config) {
            Ok((proxies, client)) => self.assemble(proxy_config, proxies, Ok(client)),
            Err(e) => self.assemble(proxy_config, None, Err(Arc::new(e))),
        }
    }

    /// The proxies as set, or else those of the process environment.
    fn proxy_config(&self) -> ProxyConfig {
        match &self.proxy {
            Some(proxy) => proxy.clone(),
            None => ProxyConfig::from_env(&Env::process()),
        }
    }

    /// The pooled client: the proxies checked, the trust roots loaded.
    fn client(
        &self,
        proxy_config: &ProxyConfig,
    ) -> Result<(Option<Arc<Proxies>>, PooledClient), BuildError> {
        let proxies = proxy_config.resolve()?;
        let roots = self.roots.load()?;
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_connect_timeout(Some(self.connect_timeout));
        let connector = HttpsConnectorBuilder::new()
            .with_tls_config(tls::client_config(roots))
            .https_or_http()
            .enable_http1()
            .wrap_connector(Connector::new(http, proxies.clone()));
        let client = Client::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            .build(connector);
        Ok((proxies, client))
    }

    fn assemble(
        self,
        proxy_config: ProxyConfig,
        proxies: Option<Arc<Proxies>>,
        client: Result<PooledClient, Arc<BuildError>>,
    ) -> HyperTransport {
        HyperTransport {
            client,
            proxies,
            proxy_config,
            custom_roots: !matches!(self.roots, Roots::Webpki),
            connect_timeout: self.connect_timeout,
            read_timeout: self.read_timeout,
            max_response_size: self.max_response_size,
        }
    }
}

/// Why a [`HyperTransportBuilder`]'s settings cannot make a transport. Never shows a proxy's
/// password.
#[derive(Debug)]
#[non_exhaustive]
pub enum BuildError {
    /// The CA bundle file could not be read.
    CaBundleRead {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// The CA bundle file is larger than [`MAX_CA_BUNDLE_SIZE`].
    CaBundleTooLarge {
        /// The file.
        path: PathBuf,
    },
    /// The CA bundle is not valid PEM.
    CaBundlePem {
        /// The file, when the bundle was read from one.
        path: Option<PathBuf>,
        /// What is wrong.
        reason: String,
    },
    /// A certificate of the CA bundle cannot be a trust root.
    CaBundleCertificate {
        /// The file, when the bundle was read from one.
        path: Option<PathBuf>,
        /// Which certificate, counting from 1.
        index: usize,
        /// What is wrong.
        reason: String,
    },
    /// The CA bundle holds no certificate.
    CaBundleEmpty {
        /// The file, when the bundle was read from one.
        path: Option<PathBuf>,
    },
    /// A proxy URL cannot be used.
    Proxy {
        /// The requests it was for: `http` or `https`.
        scheme: &'static str,
        /// The environment variable it came from, if it did.
        variable: Option<&'static str>,
        /// The URL, its user information replaced by `***`.
        url: String,
        /// What is wrong.
        reason: &'static str,
    },
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bundle = |path: &Option<PathBuf>| match path {
            Some(path) => format!("the CA bundle `{}`", path.display()),
            None => String::from("the CA bundle"),
        };
        match self {
            BuildError::CaBundleRead { path, source } => {
                write!(
                    f,
                    "cannot read the CA bundle `{}`: {source}",
                    path.display()
                )
            }
            BuildError::CaBundleTooLarge { path } => write!(
                f,
                "the CA bundle `{}` is larger than {} MiB",
                path.display(),
                MAX_CA_BUNDLE_SIZE / (1024 * 1024)
            ),
            BuildError::CaBundlePem { path, reason } => {
                write!(f, "{} is not valid PEM: {reason}", bundle(path))
            }
            BuildError::CaBundleCertificate {
                path,
                index,
                reason,
            } => write!(
                f,
                "certificate {index} of {} cannot be a trust root: {reason}",
                bundle(path)
            ),
            BuildError::CaBundleEmpty { path } => {
                write!(f, "{} holds no certificate", bundle(path))
            }
            BuildError::Proxy {
                variable: Some(name),
                url,
                reason,
                ..
            } => write!(
                f,
                "the proxy URL `{url}` of `{name}` cannot be used: {reason}"
            ),
            BuildError::Proxy {
                scheme,
                variable: None,
                url,
                reason,
            } => write!(f, "the {scheme} proxy URL `{url}` cannot be used: {reason}"),
        }
    }
}

impl StdError for BuildError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            BuildError::CaBundleRead { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Reads a response body of at most `limit` bytes: refused up front when `Content-Length`
/// (`declared`) is over the limit, and stopped as soon as what arrived passes it.
async fn read_body(
    mut body: Incoming,
    declared: Option<u64>,
    limit: u64,
) -> Result<Vec<u8>, TransportError> {
    let too_large = |content_length| {
        TransportError::new(
            TransportErrorKind::ResponseTooLarge,
            ResponseTooLarge {
                limit,
                content_length,
            },
        )
    };
    if let Some(length) = declared.filter(|&length| length > limit) {
        return Err(too_large(Some(length)));
    }
    // Trust a declared length only as a capacity hint within the limit.
    let hint = declared.unwrap_or(0).min(limit);
    let mut out = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| TransportError::new(hyper_error_kind(&e), WithCauses(e)))?;
        if let Ok(data) = frame.into_data() {
            if (out.len() as u64).saturating_add(data.len() as u64) > limit {
                return Err(too_large(None));
            }
            out.extend_from_slice(&data);
        }
    }
    Ok(out)
}

/// The request as hyper takes it. Only `http` and `https` URIs are accepted.
fn to_hyper(request: Request) -> Result<hyper::Request<Full<Bytes>>, TransportError> {
    let invalid = |what: &str| {
        TransportError::new(
            TransportErrorKind::Other,
            format!("the request cannot be sent: {what}"),
        )
    };
    let uri: hyper::Uri = request
        .uri
        .parse()
        .map_err(|e| invalid(&format!("invalid URI `{}` ({e})", request.uri)))?;
    match uri.scheme_str() {
        Some("http" | "https") => {}
        _ => {
            return Err(invalid(&format!(
                "`{uri}` is not an http:// or https:// URL"
            )));
        }
    }
    let mut builder = hyper::Request::builder().method(request.method).uri(uri);
    for (name, value) in request.headers {
        builder = builder.header(name, value);
    }
    // The error names the part that is wrong (a header name or value), never a value, which could
    // be a signature.
    builder
        .body(Full::new(Bytes::from(request.body)))
        .map_err(|e| invalid(&e.to_string()))
}

/// Classifies an error of the pooled client.
fn client_error(error: hyper_util::client::legacy::Error) -> TransportError {
    let kind = if error.is_connect() {
        if timed_out(&error) {
            TransportErrorKind::Timeout
        } else {
            TransportErrorKind::Connect
        }
    } else {
        match error
            .source()
            .and_then(|source| source.downcast_ref::<hyper::Error>())
        {
            Some(e) => hyper_error_kind(e),
            // The client refused the request itself (a method or URI form it cannot send).
            None => TransportErrorKind::Other,
        }
    };
    TransportError::new(kind, WithCauses(error))
}

/// Classifies an error of an HTTP exchange on an open connection.
fn hyper_error_kind(error: &hyper::Error) -> TransportErrorKind {
    if error.is_timeout() {
        TransportErrorKind::Timeout
    } else if error.is_parse() || error.is_parse_status() || error.is_user() {
        // The peer does not speak HTTP, or the request was unsendable: trying again won't help.
        TransportErrorKind::Other
    } else {
        // Closed early, reset, canceled, or an I/O error mid-exchange.
        TransportErrorKind::Io
    }
}

/// Whether an I/O timeout is among the causes of `error`.
fn timed_out(error: &(dyn StdError + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(e) = cause {
        if e.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::TimedOut)
        {
            return true;
        }
        cause = e.source();
    }
    false
}

/// An error of hyper's, displayed with its causes: hyper's own messages name only the outermost
/// layer (`client error (Connect)`), the causes say what happened (`Connection refused`).
#[derive(Debug)]
struct WithCauses<E>(E);

impl<E: StdError + 'static> fmt::Display for WithCauses<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut cause = self.0.source();
        while let Some(e) = cause {
            write!(f, ": {e}")?;
            cause = e.source();
        }
        Ok(())
    }
}

impl<E: StdError + 'static> StdError for WithCauses<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.0.source()
    }
}

/// An attempt outlived the read timeout.
#[derive(Debug)]
struct AttemptTimedOut(Duration);

impl fmt::Display for AttemptTimedOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "no complete response within the read timeout of {:?}",
            self.0
        )
    }
}

impl StdError for AttemptTimedOut {}
