//! Error types shared by every generated operation.

use std::error::Error as StdError;
use std::fmt;

use crate::text::{MAX_MESSAGE_CHARS, MAX_NAME_CHARS, printable};

/// What every error response carries besides its modeled members.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorMetadata {
    /// The HTTP status code.
    pub status: u16,
    /// The awsQuery error code (`<Code>`), when the body had one.
    pub code: Option<String>,
    /// The human-readable message (`<Message>`).
    pub message: Option<String>,
    /// The request id, from `x-amzn-requestid` or else the body's `<RequestId>`.
    pub request_id: Option<String>,
}

impl ErrorMetadata {
    /// Metadata with only a status.
    pub fn with_status(status: u16) -> Self {
        ErrorMetadata {
            status,
            ..ErrorMetadata::default()
        }
    }

    /// The error code, if any.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The message, if any.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The request id, if any.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl fmt::Display for ErrorMetadata {
    /// `Code: message (HTTP 404, request id abc)`, leaving out what is missing. The service's text
    /// is printed with control characters escaped and cut to a bound (see [`crate::text`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = self.code.as_deref().map(|c| printable(c, MAX_NAME_CHARS));
        let message = self
            .message
            .as_deref()
            .map(|m| printable(m, MAX_MESSAGE_CHARS));
        match (&code, &message) {
            (Some(code), Some(message)) => write!(f, "{code}: {message}")?,
            (Some(code), None) => f.write_str(code)?,
            (None, Some(message)) => f.write_str(message)?,
            (None, None) => f.write_str("unrecognized error response")?,
        }
        write!(f, " (HTTP {}", self.status)?;
        if let Some(id) = &self.request_id {
            write!(f, ", request id {}", printable(id, MAX_NAME_CHARS))?;
        }
        f.write_str(")")
    }
}

/// Errors that carry response metadata: every operation error enum, so that retries and logs can read
/// the status and code without knowing the operation.
pub trait ProvideErrorMetadata {
    /// The HTTP status, code, message and request id.
    fn meta(&self) -> &ErrorMetadata;

    /// The error code the service sent (`GlobalClusterNotFoundFault`), if any.
    fn code(&self) -> Option<&str> {
        self.meta().code()
    }

    /// The message the service sent, if any.
    fn message(&self) -> Option<&str> {
        self.meta().message()
    }
}

impl ProvideErrorMetadata for ErrorMetadata {
    fn meta(&self) -> &ErrorMetadata {
        self
    }
}

/// What AWS answered with the id it gave the request: every output of a generated client, and
/// every error that carries [`ErrorMetadata`]. The id is what AWS Support asks for; it comes from
/// the `x-amzn-requestid` header, else from the body (`<RequestId>`).
pub trait RequestId {
    /// The request id, when the response had one.
    fn request_id(&self) -> Option<&str>;
}

impl<E: ProvideErrorMetadata + ?Sized> RequestId for E {
    fn request_id(&self) -> Option<&str> {
        self.meta().request_id()
    }
}

/// An error response that matches no modeled error of the operation, or a response that could not be read.
#[derive(Debug)]
pub struct Unhandled {
    meta: ErrorMetadata,
    source: Option<Box<dyn StdError + Send + Sync + 'static>>,
}

impl Unhandled {
    /// An error response with an unknown code.
    pub fn new(meta: ErrorMetadata) -> Self {
        Unhandled { meta, source: None }
    }

    /// A response that could not be read, with the reason.
    pub fn with_source(
        meta: ErrorMetadata,
        source: impl Into<Box<dyn StdError + Send + Sync + 'static>>,
    ) -> Self {
        Unhandled {
            meta,
            source: Some(source.into()),
        }
    }

    /// Status, code, message and request id.
    pub fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

impl ProvideErrorMetadata for Unhandled {
    fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

impl fmt::Display for Unhandled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.meta, f)?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl StdError for Unhandled {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

/// An input that cannot be sent. Raised before any I/O.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BuildError {
    /// A required member was not set.
    MissingMember {
        /// The Rust type name of the input (or nested structure).
        shape: &'static str,
        /// The member name as in the model.
        member: &'static str,
    },
    /// A union holds a variant this version does not know, so it cannot be sent.
    UnknownVariant {
        /// The Smithy shape name of the union.
        shape: &'static str,
    },
    /// A member bound to a label of the operation's host prefix (`smithy.api#hostLabel`) has a
    /// value that cannot be part of a host name.
    InvalidHostLabel {
        /// The Rust type name of the input.
        shape: &'static str,
        /// The member name as in the model.
        member: &'static str,
        /// What is wrong with the value (`is empty`, …).
        problem: &'static str,
    },
}

impl BuildError {
    /// A required member was not set.
    pub fn missing(shape: &'static str, member: &'static str) -> Self {
        BuildError::MissingMember { shape, member }
    }

    /// A union with an unknown variant was given.
    pub fn unknown_variant(shape: &'static str) -> Self {
        BuildError::UnknownVariant { shape }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::MissingMember { shape, member } => {
                write!(f, "`{shape}` is missing its required member `{member}`")
            }
            BuildError::UnknownVariant { shape } => {
                write!(
                    f,
                    "`{shape}` holds a variant this client does not know and cannot send"
                )
            }
            BuildError::InvalidHostLabel {
                shape,
                member,
                problem,
            } => write!(
                f,
                "`{shape}` member `{member}` goes into the host name, but its value {problem}"
            ),
        }
    }
}

impl StdError for BuildError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_escapes_and_bounds_what_the_service_sent() {
        let mut meta = ErrorMetadata::with_status(400);
        meta.code = Some(format!("Fault\u{1b}[2J{}", "X".repeat(1000)));
        meta.message = Some(String::from("line one\r\n\u{1b}]0;title\u{7}"));
        meta.request_id = Some(String::from("req\n1"));
        let printed = meta.to_string();
        assert!(!printed.chars().any(char::is_control), "{printed:?}");
        assert!(printed.starts_with("Fault\\u{1b}[2J"), "{printed}");
        assert!(printed.len() < 400, "{}", printed.len());
        assert!(
            printed.contains("line one\\u{d}\\u{a}\\u{1b}]0;title\\u{7}"),
            "{printed}"
        );
        assert!(
            printed.ends_with("(HTTP 400, request id req\\u{a}1)"),
            "{printed}"
        );
    }
}
