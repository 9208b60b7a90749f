//! Small HTTP exchanges with metadata and token endpoints, bounded in time.

use std::time::Duration;

use awsquery::http::{Request, Response};
use awsquery::transport::{First, Transport, TransportError, TransportErrorKind, first_of};

/// Sends `request` and waits at most `limit` for the whole response.
pub(crate) async fn send<T: Transport>(
    transport: &T,
    request: Request,
    limit: Duration,
) -> Result<Response, TransportError> {
    match first_of(transport.send(request), transport.sleep(limit)).await {
        First::Left(result) => result,
        First::Right(()) => Err(TransportError::new(
            TransportErrorKind::Timeout,
            format!("no response within {limit:?}"),
        )),
    }
}
