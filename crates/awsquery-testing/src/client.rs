//! Support for the client-side protocol tests (the `tests/protocol_tests.rs` of a generated client
//! crate): cases whose outcome depends on the client, not only on serialization, such as a host
//! prefix, an endpoint with a path, or request compression. They send through the real client with a
//! [`CapturingTransport`] and look at the request it was handed.

use std::future::Future;
use std::pin::pin;
use std::sync::Mutex;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use awsquery::client::Config;
use awsquery::http::{Request, Response};
use awsquery::sigv4::Credentials;
use awsquery::time::DateTime;
use awsquery::transport::{Transport, TransportError};

/// The host a case that names none is sent to.
pub const DEFAULT_HOST: &str = "example.com";

/// A transport that keeps every request it is given and answers each with the same response.
#[derive(Debug)]
pub struct CapturingTransport {
    response: Response,
    requests: Mutex<Vec<Request>>,
}

impl CapturingTransport {
    /// A transport answering every request with `response`.
    pub fn new(response: Response) -> Self {
        CapturingTransport {
            response,
            requests: Mutex::new(Vec::new()),
        }
    }

    /// The requests sent so far, in order.
    pub fn requests(&self) -> Vec<Request> {
        self.requests
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// The one request sent.
    ///
    /// # Panics
    ///
    /// When no request or more than one was sent.
    #[track_caller]
    pub fn only_request(&self) -> Request {
        let mut requests = self.requests();
        assert_eq!(requests.len(), 1, "expected one request: {requests:#?}");
        requests.remove(0)
    }
}

impl Transport for &CapturingTransport {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        self.requests
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(request);
        Ok(self.response.clone())
    }

    async fn sleep(&self, _duration: Duration) {}
}

/// A configuration for `endpoint_url` with fixed test credentials, region `us-east-1` and a
/// clock pinned to 2015-08-30T12:36:00Z, so that requests and signatures repeat.
pub fn config(endpoint_url: &str) -> Config {
    Config::new(
        "us-east-1",
        Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
        ),
    )
    .with_endpoint_url(endpoint_url)
    .with_clock(|| DateTime::from_secs(1_440_938_160))
}

/// Runs a future to completion on this thread. Meant for futures that never wait on I/O, such as a
/// call through a [`CapturingTransport`]: a pending poll is simply retried.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        std::thread::yield_now();
    }
}

/// The path of an absolute (or path-only) URI, without its query or fragment: `/custom/` for
/// `https://example.com/custom/?a=b`.
pub fn uri_path(uri: &str) -> &str {
    let rest = match uri.find("://") {
        Some(i) => {
            let after = &uri[i + 3..];
            &after[after.find(['/', '?', '#']).unwrap_or(after.len())..]
        }
        None => uri,
    };
    let end = rest.find(['?', '#']).unwrap_or(rest.len());
    &rest[..end]
}

/// The body as sent, decoded when its `Content-Encoding` ends in `gzip`.
///
/// # Panics
///
/// When the body is marked gzip but is not.
#[track_caller]
pub fn decoded_body(request: &Request) -> Vec<u8> {
    use std::io::Read as _;

    let gzip = request
        .header("content-encoding")
        .and_then(|value| value.rsplit(',').next())
        .is_some_and(|last| last.trim().eq_ignore_ascii_case("gzip"));
    if !gzip {
        return request.body.clone();
    }
    let mut out = Vec::new();
    if let Err(e) = flate2::read::GzDecoder::new(request.body.as_slice()).read_to_end(&mut out) {
        panic!("the body is marked gzip but does not decode: {e}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_of_uris() {
        assert_eq!(uri_path("https://example.com"), "");
        assert_eq!(uri_path("https://example.com/"), "/");
        assert_eq!(uri_path("https://foo.example.com/custom/?a=b"), "/custom/");
        assert_eq!(uri_path("http://127.0.0.1:5000/x#frag"), "/x");
        assert_eq!(uri_path("/only/path?q"), "/only/path");
    }

    #[test]
    fn the_transport_keeps_requests() {
        let transport = CapturingTransport::new(Response::new(200, "<A/>"));
        let response = block_on((&transport).send(Request::form_post(String::from("Action=A"))))
            .expect("the capturing transport always answers");
        assert_eq!(response.body, b"<A/>");
        assert_eq!(transport.only_request().body, b"Action=A");
    }

    #[test]
    fn decoded_bodies() {
        let mut request = Request::form_post("x".repeat(100));
        assert_eq!(decoded_body(&request), request.body);
        let original = request.body.clone();
        awsquery::compression::RequestCompression::new()
            .with_min_size(0)
            .expect("0 is in range")
            .apply(Some(awsquery::compression::Encoding::Gzip), &mut request);
        assert_ne!(request.body, original);
        assert_eq!(decoded_body(&request), original);
        request
            .headers
            .retain(|(name, _)| *name != "content-encoding");
        request
            .headers
            .push(("content-encoding", String::from("custom, GZIP")));
        assert_eq!(decoded_body(&request), original);
    }
}
