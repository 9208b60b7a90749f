//! The transport contract: how a signed request reaches the service and the response comes back.
//!
//! A leaf of this crate: it depends only on the HTTP values of `awsquery-types`, so every other
//! module (the client loop, retries, waiters, paginators) can use it without depending on each other.

use std::error::Error as StdError;
use std::fmt;
use std::future::{Future, poll_fn};
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use awsquery_types::http::{Request, Response};

/// Sends a signed request and returns the complete response; waits between retries.
///
/// The transport owns both because both belong to the async runtime it runs on.
pub trait Transport: Send + Sync {
    /// Sends `request` (its `uri` is absolute) and reads the whole response.
    fn send(
        &self,
        request: Request,
    ) -> impl Future<Output = Result<Response, TransportError>> + Send;

    /// Waits for `duration` before a retry (an in-memory transport may return at once).
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send;
}

/// A request that did not get a response: connection, timeout or I/O failure.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    source: Box<dyn StdError + Send + Sync + 'static>,
}

/// What kind of transport failure happened (retry decisions depend on it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made.
    Connect,
    /// A timeout expired.
    Timeout,
    /// The connection failed while sending or receiving.
    Io,
    /// The response body is larger than the transport accepts (see [`ResponseTooLarge`]).
    ResponseTooLarge,
    /// Anything else.
    Other,
}

impl TransportError {
    /// A failure of the given kind.
    pub fn new(
        kind: TransportErrorKind,
        source: impl Into<Box<dyn StdError + Send + Sync + 'static>>,
    ) -> Self {
        TransportError {
            kind,
            source: source.into(),
        }
    }

    /// What kind of failure.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }
}

/// The source of a [`TransportErrorKind::ResponseTooLarge`] error: the body exceeded the limit,
/// either as announced by `Content-Length` (nothing of it was read) or while it was being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseTooLarge {
    /// The largest body the transport accepts, in bytes.
    pub limit: u64,
    /// The size the response announced in `Content-Length`, when it was over the limit.
    pub content_length: Option<u64>,
}

impl fmt::Display for ResponseTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.content_length {
            Some(length) => write!(
                f,
                "the response announces {length} bytes, more than the limit of {} bytes",
                self.limit
            ),
            None => write!(
                f,
                "the response body exceeds the limit of {} bytes; reading stopped there",
                self.limit
            ),
        }
    }
}

impl StdError for ResponseTooLarge {}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportErrorKind::Connect => "could not connect",
            TransportErrorKind::Timeout => "timed out",
            TransportErrorKind::Io => "connection failed",
            TransportErrorKind::ResponseTooLarge => "response too large",
            TransportErrorKind::Other => "transport failed",
        };
        write!(f, "{what}: {}", self.source)
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&*self.source)
    }
}

/// Which of two futures completed first.
#[derive(Debug)]
pub enum First<A, B> {
    /// The first future finished first (or both were ready).
    Left(A),
    /// The second future finished first.
    Right(B),
}

/// Runs `left` and `right` together until one completes and drops the other. `left` is polled
/// first, so it wins when both are ready.
pub async fn first_of<L: Future, R: Future>(left: L, right: R) -> First<L::Output, R::Output> {
    let mut left = pin!(left);
    let mut right = pin!(right);
    poll_fn(|cx| {
        if let Poll::Ready(output) = left.as_mut().poll(cx) {
            return Poll::Ready(First::Left(output));
        }
        right.as_mut().poll(cx).map(First::Right)
    })
    .await
}
