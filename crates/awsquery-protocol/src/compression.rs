//! The encodings an operation accepts for its request body (`smithy.api#requestCompression`).
//!
//! This is a description only: whether and when a body is compressed is the client's decision.

/// A compression algorithm a request body can be encoded with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Encoding {
    /// gzip (RFC 1952).
    Gzip,
}

impl Encoding {
    /// The name in `Content-Encoding` and in the model (`gzip`).
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Gzip => "gzip",
        }
    }
}
