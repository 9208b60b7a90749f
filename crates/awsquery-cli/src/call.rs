//! What the generated `call` functions use: the transport every command's client runs on, the
//! conversions between JSON values and the model's types, and the error of a call.

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use awsquery::client::SdkError;
use awsquery::credentials::CredentialsError;
use awsquery::endpoint::EndpointError;
use awsquery::error::ProvideErrorMetadata;
use awsquery::http::{Request, Response};
use awsquery::paginator::PaginationError;
use awsquery::transport::{Transport, TransportError};
use awsquery_types::json::ToJson;
use awsquery_types::text::{MAX_MESSAGE_CHARS, MAX_NAME_CHARS, printable};
use serde::de::DeserializeOwned;
use serde_json::Value;

type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<Response, TransportError>> + Send + 'a>>;
type SleepFuture<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

/// The object-safe form of [`Transport`].
trait ErasedTransport: Send + Sync {
    fn send(&self, request: Request) -> SendFuture<'_>;
    fn sleep(&self, duration: Duration) -> SleepFuture<'_>;
}

impl<T: Transport> ErasedTransport for T {
    fn send(&self, request: Request) -> SendFuture<'_> {
        Box::pin(Transport::send(self, request))
    }

    fn sleep(&self, duration: Duration) -> SleepFuture<'_> {
        Box::pin(Transport::sleep(self, duration))
    }
}

/// Any transport behind one type, so that the command table, a static, names one client type
/// whatever transport the program or a test gives the engine.
#[derive(Clone)]
pub struct DynTransport(Arc<dyn ErasedTransport>);

impl DynTransport {
    /// Wraps `transport`.
    pub fn new<T: Transport + 'static>(transport: T) -> Self {
        DynTransport(Arc::new(transport))
    }
}

impl fmt::Debug for DynTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DynTransport")
    }
}

impl Transport for DynTransport {
    fn send(
        &self,
        request: Request,
    ) -> impl Future<Output = Result<Response, TransportError>> + Send {
        self.0.send(request)
    }

    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send {
        self.0.sleep(duration)
    }
}

/// Why a call gave no output.
#[derive(Debug)]
#[non_exhaustive]
pub enum CallError {
    /// The input does not fit the operation's input structure (`Parameter validation failed`).
    Input(String),
    /// The service answered with an error.
    Service(ServiceError),
    /// No response arrived.
    Transport(TransportError),
    /// The input was refused before sending (a required member is missing).
    Build(String),
    /// No endpoint could be chosen.
    Endpoint(EndpointError),
    /// No credentials.
    Credentials(CredentialsError),
    /// A listing that did not end.
    Pagination(PaginationError),
    /// Anything else, described.
    Other(String),
}

/// A service error as the AWS CLI reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServiceError {
    /// An error response: its code (`Unknown` if it had none) and message, made printable.
    Coded {
        /// The error code.
        code: String,
        /// The message.
        message: String,
    },
    /// A response that could not be read, described.
    Unreadable(String),
}

impl ServiceError {
    /// The AWS CLI's reading of an operation's error.
    pub fn of<E: ProvideErrorMetadata + std::error::Error>(error: &E) -> Self {
        let meta = error.meta();
        match (meta.code(), std::error::Error::source(error)) {
            (None, Some(reason)) => ServiceError::Unreadable(format!(
                "Unable to parse response ({reason}), invalid XML received (HTTP {}):\n{}",
                meta.status,
                meta.message()
                    .map_or(Cow::Borrowed("(empty body)"), |m| printable(
                        m,
                        MAX_MESSAGE_CHARS
                    ))
            )),
            (code, _) => ServiceError::Coded {
                code: printable(code.unwrap_or("Unknown"), MAX_NAME_CHARS).into_owned(),
                message: printable(meta.message().unwrap_or("Unknown"), MAX_MESSAGE_CHARS)
                    .into_owned(),
            },
        }
    }

    /// The error code, when the answer had one.
    pub fn code(&self) -> Option<&str> {
        match self {
            ServiceError::Coded { code, .. } => Some(code),
            ServiceError::Unreadable(_) => None,
        }
    }
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallError::Input(e) | CallError::Build(e) | CallError::Other(e) => f.write_str(e),
            CallError::Service(ServiceError::Coded { code, message }) => {
                write!(f, "An error occurred ({code}): {message}")
            }
            CallError::Service(ServiceError::Unreadable(text)) => f.write_str(text),
            CallError::Transport(e) => write!(f, "{e}"),
            CallError::Endpoint(e) => write!(f, "{e}"),
            CallError::Credentials(e) => write!(f, "{e}"),
            CallError::Pagination(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for CallError {}

impl CallError {
    /// The error code of a service error.
    pub fn code(&self) -> Option<&str> {
        match self {
            CallError::Service(e) => e.code(),
            _ => None,
        }
    }
}

impl<E> From<SdkError<E>> for CallError
where
    E: ProvideErrorMetadata + std::error::Error,
{
    fn from(error: SdkError<E>) -> Self {
        match error {
            SdkError::Service(e) => CallError::Service(ServiceError::of(&e)),
            SdkError::Transport(e) => CallError::Transport(e),
            SdkError::Build(e) => CallError::Build(e.to_string()),
            SdkError::Endpoint(e) => CallError::Endpoint(e),
            SdkError::Credentials(e) => CallError::Credentials(e),
            SdkError::Pagination(e) => CallError::Pagination(e),
            other => CallError::Other(other.to_string()),
        }
    }
}

/// The input structure `T` from its JSON form (the model's member names); a value that does not fit
/// is a [`CallError::Input`].
pub fn input<T: DeserializeOwned>(value: Value) -> Result<T, CallError> {
    serde_json::from_value(value).map_err(|e| CallError::Input(e.to_string()))
}

/// An output in the AWS CLI's JSON form (the `json` feature of the model crates), as a value
/// whose objects keep the members' order. A float JSON cannot hold (`NaN`, `Infinity`, which the
/// AWS CLI prints as such) is a [`CallError::Other`] rather than a silently wrong value.
pub fn output<T: ToJson>(output: &T) -> Result<Value, CallError> {
    let text = awsquery_types::json::to_string(output);
    serde_json::from_str(&text)
        .map_err(|e| CallError::Other(format!("the output cannot be held as JSON: {e}")))
}
