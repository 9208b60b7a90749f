//! An HTTP transport for awsquery clients: hyper 1 on tokio, with a connection pool and TLS by
//! rustls (the `ring` provider, Mozilla's root certificates from `webpki-roots`).
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
//!     .build();
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
//! Either one expiring is a [`TransportErrorKind::Timeout`], which the client's retry loop
//! retries; a whole call is bounded by
//! [`Config::with_operation_timeout`](awsquery::client::Config::with_operation_timeout).
//! Failures map to the other kinds as follows: no connection (refused, unreachable, DNS, TLS
//! handshake) is [`Connect`](TransportErrorKind::Connect); a connection that fails or closes
//! mid-exchange is [`Io`](TransportErrorKind::Io); a request that cannot be expressed (a bad URI
//! or header) or a response that is not HTTP is [`Other`](TransportErrorKind::Other), which is not
//! retried.

use std::error::Error as StdError;
use std::fmt;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use awsquery::http::{Request, Response};
use awsquery::transport::{ResponseTooLarge, Transport, TransportError, TransportErrorKind};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::body::Incoming;
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};

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

/// A [`Transport`] over HTTP/1.1 with pooled connections. Cheap to clone; clones share the pool.
#[derive(Clone)]
pub struct HyperTransport {
    client: Client<HttpsConnector<HttpConnector>, Full<Bytes>>,
    connect_timeout: Duration,
    read_timeout: Duration,
    max_response_size: u64,
}

impl HyperTransport {
    /// A transport with the default timeouts.
    pub fn new() -> Self {
        Self::builder().build()
    }

    /// A builder to set the timeouts.
    pub fn builder() -> HyperTransportBuilder {
        HyperTransportBuilder {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            read_timeout: DEFAULT_READ_TIMEOUT,
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
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

    /// Sends `request` and reads the whole response, without the attempt's time limit.
    async fn exchange(&self, request: Request) -> Result<Response, TransportError> {
        let request = to_hyper(request)?;
        let response = self.client.request(request).await.map_err(client_error)?;
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
        f.debug_struct("HyperTransport")
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("max_response_size", &self.max_response_size)
            .finish_non_exhaustive()
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

/// Sets the timeouts of a [`HyperTransport`]; made by [`HyperTransport::builder`].
#[derive(Clone, Debug)]
pub struct HyperTransportBuilder {
    connect_timeout: Duration,
    read_timeout: Duration,
    max_response_size: u64,
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

    /// The transport, with a new, empty connection pool.
    pub fn build(self) -> HyperTransport {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_connect_timeout(Some(self.connect_timeout));
        let connector = HttpsConnectorBuilder::new()
            .with_tls_config(tls_config())
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let client = Client::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            .build(connector);
        HyperTransport {
            client,
            connect_timeout: self.connect_timeout,
            read_timeout: self.read_timeout,
            max_response_size: self.max_response_size,
        }
    }
}

/// TLS 1.2 and 1.3 with ring's algorithms, trusting the Mozilla root certificates.
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

fn tls_config() -> rustls::ClientConfig {
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("the ring provider supports TLS 1.2 and 1.3")
        .with_root_certificates(roots)
        .with_no_client_auth()
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
