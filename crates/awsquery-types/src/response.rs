//! What a successful response says about itself besides the output.

use crate::error::RequestId;

/// The metadata of a successful response: the id AWS gave the request, from the `x-amzn-requestid`
/// header or else the body's `<ResponseMetadata><RequestId>`. Every output of a generated model
/// crate holds one, behind its `request_id()`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ResponseMetadata {
    request_id: Option<String>,
}

impl ResponseMetadata {
    /// Metadata with this request id, if any.
    pub fn new(request_id: Option<String>) -> Self {
        ResponseMetadata { request_id }
    }

    /// The request id, when the response had one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl RequestId for ResponseMetadata {
    fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}
