//! awsQuery error responses: the `<ErrorResponse>` envelope read into [`ErrorMetadata`], and the
//! [`Unhandled`] error for a body that is not one.

use std::error::Error as StdError;

use awsquery_types::error::{ErrorMetadata, Unhandled};
use awsquery_types::http::Response;

use crate::xml::parse_error_envelope;

/// How much of an unreadable body an error keeps, in bytes.
const EXCERPT_LEN: usize = 256;

/// The metadata of an error response: the envelope's code, message and request id, with the
/// `x-amzn-requestid` header preferred over the body's `<RequestId>`.
///
/// A body that is not an awsQuery error envelope (an HTML page from a proxy, say) becomes an
/// [`Unhandled`] carrying the status and an excerpt of the body.
pub fn error_metadata(response: &Response) -> Result<ErrorMetadata, Unhandled> {
    match parse_error_envelope(&response.body) {
        Ok(envelope) => {
            let mut meta = ErrorMetadata::with_status(response.status);
            meta.code = envelope.code;
            meta.message = envelope.message;
            meta.request_id = response
                .request_id_header()
                .map(str::to_owned)
                .or(envelope.request_id);
            Ok(meta)
        }
        Err(e) => Err(unreadable(response, e)),
    }
}

/// An [`Unhandled`] for a response whose body could not be read: the status, the request id header,
/// an excerpt of the body as the message, and the reason as the source.
pub fn unreadable(
    response: &Response,
    reason: impl Into<Box<dyn StdError + Send + Sync + 'static>>,
) -> Unhandled {
    let body = String::from_utf8_lossy(&response.body);
    let mut end = body.len().min(EXCERPT_LEN);
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    let excerpt = body[..end].trim();
    let mut meta = ErrorMetadata::with_status(response.status);
    meta.message = (!excerpt.is_empty()).then(|| {
        if end < body.len() {
            format!("{excerpt}…")
        } else {
            excerpt.to_owned()
        }
    });
    meta.request_id = response.request_id_header().map(str::to_owned);
    Unhandled::with_source(meta, reason)
}
