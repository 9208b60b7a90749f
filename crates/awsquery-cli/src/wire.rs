//! The transport as the command uses it: it remembers the URL of the last request (connection
//! errors name it) and, with `--debug`, logs each request, response and wait on stderr, with the
//! signature and session token left out.

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use awsquery::DateTime;
use awsquery::http::{Request, Response};
use awsquery::transport::{Transport, TransportError};
use awsquery_types::http::{is_secret_header, redact_userinfo};
use awsquery_types::text::{MAX_MESSAGE_CHARS, MAX_NAME_CHARS, escape_controls, printable};

use crate::run::Stderr;

/// The most of a body the log shows.
const BODY_LIMIT: usize = 4096;

/// Wraps the real transport.
pub(crate) struct Wire<T> {
    inner: T,
    log: Option<Stderr>,
    last_uri: LastUri,
    /// The credential sources' transport: their requests and answers carry keys and tokens
    /// (an OIDC client secret and refresh token, a web identity token, the keys STS returns), so
    /// no body is logged, and the time limits they race are not logged as waits.
    credentials: bool,
}

/// What the transport saw of the requests, shared with the code that reports errors: the URL of
/// the last one, and how many attempts got no response since [`reset`](Self::reset).
#[derive(Clone, Debug, Default)]
pub(crate) struct LastUri(Arc<Mutex<Seen>>);

#[derive(Debug, Default)]
struct Seen {
    uri: Option<String>,
    unanswered: u32,
}

impl LastUri {
    pub(crate) fn get(&self) -> Option<String> {
        self.0.lock().ok()?.uri.clone()
    }

    /// Attempts that got no response (a timeout, a broken connection) since the last reset.
    pub(crate) fn unanswered(&self) -> u32 {
        self.0.lock().map_or(0, |seen| seen.unanswered)
    }

    /// Starts counting for a new call.
    pub(crate) fn reset(&self) {
        if let Ok(mut seen) = self.0.lock() {
            seen.unanswered = 0;
        }
    }

    fn set(&self, uri: &str) {
        if let Ok(mut seen) = self.0.lock() {
            seen.uri = Some(uri.to_owned());
        }
    }

    fn unanswered_attempt(&self) {
        if let Ok(mut seen) = self.0.lock() {
            seen.unanswered += 1;
        }
    }
}

impl<T> Wire<T> {
    /// Wraps `inner`, logging to `log` when it is given.
    pub(crate) fn new(inner: T, log: Option<Stderr>) -> Self {
        Wire {
            inner,
            log,
            last_uri: LastUri::default(),
            credentials: false,
        }
    }

    /// Wraps `inner` for the credential sources (STS, IAM Identity Center, the container endpoint,
    /// instance metadata): requests and responses are logged without their bodies.
    pub(crate) fn for_credentials(inner: T, log: Option<Stderr>) -> Self {
        Wire {
            credentials: true,
            ..Wire::new(inner, log)
        }
    }

    /// The wrapped transport.
    pub(crate) fn inner(&self) -> &T {
        &self.inner
    }

    pub(crate) fn last_uri(&self) -> LastUri {
        self.last_uri.clone()
    }

    fn debug(&self, message: impl FnOnce() -> String) {
        if let Some(log) = &self.log {
            self::log(log, &message());
        }
    }
}

impl<T: Transport> Transport for Wire<T> {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        self.last_uri.set(&request.uri);
        self.debug(|| describe_request(&request, !self.credentials));
        let result = self.inner.send(request).await;
        if result.is_err() {
            self.last_uri.unanswered_attempt();
        }
        self.debug(|| match &result {
            Ok(response) if self.credentials => format!(
                "response: HTTP {} (a credentials answer: {} bytes, not shown)",
                response.status,
                response.body.len()
            ),
            Ok(response) => describe_response(response),
            Err(error) => format!("no response: {error}"),
        });
        result
    }

    async fn sleep(&self, duration: Duration) {
        if !self.credentials {
            self.debug(|| format!("waiting {duration:.3?}"));
        }
        self.inner.sleep(duration).await;
    }
}

/// A copy shares the log and what it saw.
impl<T: Clone> Clone for Wire<T> {
    fn clone(&self) -> Self {
        Wire {
            inner: self.inner.clone(),
            log: self.log.clone(),
            last_uri: self.last_uri.clone(),
            credentials: self.credentials,
        }
    }
}

impl<T> fmt::Debug for Wire<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Wire")
            .field("debug", &self.log.is_some())
            .field("last_uri", &self.last_uri.get())
            .finish_non_exhaustive()
    }
}

/// Writes one log entry: `2024-01-02T03:04:05.123Z DEBUG message`.
pub(crate) fn log(log: &Stderr, message: &str) {
    crate::run::write_err(log, &format!("{} DEBUG {message}\n", DateTime::now()));
}

/// The request line and headers, secrets redacted, and the body (with the operation's sensitive
/// parameters masked) when `with_body`, else its length.
fn describe_request(request: &Request, with_body: bool) -> String {
    let mut text = format!(
        "request: {} {}",
        request.method,
        redact_userinfo(&request.uri)
    );
    headers(
        &mut text,
        request.headers.iter().map(|(k, v)| (*k, v.as_str())),
    );
    if with_body {
        body(&mut text, request.printable_body().as_bytes());
    } else if !request.body.is_empty() {
        text.push_str(&format!(
            "\n    body: {} bytes, not shown",
            request.body.len()
        ));
    }
    text
}

fn describe_response(response: &Response) -> String {
    let mut text = format!("response: HTTP {}", response.status);
    headers(
        &mut text,
        response
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str())),
    );
    body(&mut text, &response.body);
    text
}

fn headers<'a>(text: &mut String, headers: impl Iterator<Item = (&'a str, &'a str)>) {
    for (name, value) in headers {
        let secret = is_secret_header(name);
        let value = if secret {
            Cow::Borrowed("** redacted **")
        } else {
            printable(value, MAX_MESSAGE_CHARS)
        };
        text.push_str(&format!(
            "\n    {}: {value}",
            printable(name, MAX_NAME_CHARS)
        ));
    }
}

fn body(text: &mut String, body: &[u8]) {
    if body.is_empty() {
        return;
    }
    let shown = String::from_utf8_lossy(&body[..body.len().min(BODY_LIMIT)]);
    text.push_str(&format!("\n    body: {}", escape_controls(&shown)));
    if body.len() > BODY_LIMIT {
        text.push_str(&format!("… ({} bytes in all)", body.len()));
    }
}
