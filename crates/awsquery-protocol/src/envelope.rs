//! awsQuery error responses: the `<ErrorResponse>` envelope read into [`ErrorMetadata`], and the
//! [`Unhandled`] error for a body that is not one.

use std::borrow::Cow;
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

/// The request id of a success response: the `x-amzn-requestid` header, else the one read from
/// the body (`<ResponseMetadata><RequestId>`), as for errors. The body's is copied only when it
/// is the one kept.
pub fn request_id(response: &Response, from_body: Option<Cow<'_, str>>) -> Option<String> {
    match response.request_id_header() {
        Some(id) => Some(id.to_owned()),
        None => from_body.map(Cow::into_owned),
    }
}

/// [`request_id`] for an output without members, whose body is read only for the id, and only
/// when the header is missing: an unreadable or empty body means no id, not an error.
pub fn success_request_id(response: &Response) -> Option<String> {
    match response.request_id_header() {
        Some(id) => Some(id.to_owned()),
        None => crate::xml::success_request_id(&response.body),
    }
}

/// An [`Unhandled`] for a response whose body could not be read: the status, the request id header,
/// an excerpt of the body as the message, and the reason as the source.
pub fn unreadable(
    response: &Response,
    reason: impl Into<Box<dyn StdError + Send + Sync + 'static>>,
) -> Unhandled {
    let (excerpt, cut) = excerpt(&response.body);
    let excerpt = excerpt.trim();
    let mut meta = ErrorMetadata::with_status(response.status);
    meta.message = (!excerpt.is_empty()).then(|| {
        if cut {
            format!("{excerpt}…")
        } else {
            excerpt.to_owned()
        }
    });
    meta.request_id = response.request_id_header().map(str::to_owned);
    Unhandled::with_source(meta, reason)
}

/// The first [`EXCERPT_LEN`] bytes of `body` at most, as text, and whether anything was left out.
fn excerpt(body: &[u8]) -> (std::borrow::Cow<'_, str>, bool) {
    awsquery_types::text::lossy_prefix(body, EXCERPT_LEN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_bounded_and_cut_between_characters() {
        let long = "é".repeat(1000);
        let (text, cut) = excerpt(long.as_bytes());
        assert!(cut);
        assert!(text.len() <= EXCERPT_LEN, "{}", text.len());
        assert!(text.chars().all(|c| c == 'é'), "{text}");

        let (text, cut) = excerpt(b"<html>short</html>");
        assert_eq!((text.as_ref(), cut), ("<html>short</html>", false));

        // Invalid bytes anywhere are replaced, and the excerpt stays bounded.
        let mut binary = vec![0xff_u8; 10_000];
        binary[0] = b'<';
        let (text, cut) = excerpt(&binary);
        assert!(cut && text.starts_with('<') && text.len() <= 3 * EXCERPT_LEN);
    }

    #[test]
    fn a_success_takes_the_header_before_the_body() {
        let body = "<R><ResponseMetadata><RequestId>from-body</RequestId></ResponseMetadata></R>";
        let with_header = Response::new(200, body).with_header("x-amzn-requestid", "from-header");
        let without = Response::new(200, body);
        assert_eq!(
            request_id(&with_header, Some(Cow::from("from-body"))).as_deref(),
            Some("from-header")
        );
        assert_eq!(
            request_id(&without, Some(Cow::from("from-body"))).as_deref(),
            Some("from-body")
        );
        assert_eq!(request_id(&Response::new(200, ""), None), None);
        assert_eq!(
            success_request_id(&with_header).as_deref(),
            Some("from-header")
        );
        assert_eq!(success_request_id(&without).as_deref(), Some("from-body"));
        assert_eq!(success_request_id(&Response::new(200, "")), None);
    }

    #[test]
    fn an_unreadable_body_keeps_status_request_id_and_a_short_excerpt() {
        let response =
            Response::new(502, vec![b'x'; 1 << 20]).with_header("x-amzn-requestid", "req-1");
        let error = unreadable(&response, "not XML");
        let meta = error.meta();
        assert_eq!(meta.status, 502);
        assert_eq!(meta.request_id(), Some("req-1"));
        let message = meta.message().expect("an excerpt");
        assert!(
            message.len() <= EXCERPT_LEN + '…'.len_utf8(),
            "{}",
            message.len()
        );
        assert!(message.ends_with('…'));
    }
}
