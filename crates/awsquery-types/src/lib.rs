//! The values every layer of a generated awsQuery client shares, and nothing that does I/O.
//!
//! A generated model crate depends on this crate alone: its structures hold [`time::DateTime`]s
//! and [`base64`]-encoded blobs, its errors carry [`error::ErrorMetadata`], and with its `json`
//! feature it writes itself through [`json::JsonWriter`]. The HTTP [`http::Request`] and
//! [`http::Response`] values are what the protocol layer produces and reads and what a transport
//! carries.

pub mod base64;
pub mod error;
pub mod http;
pub mod json;
pub mod response;
#[cfg(feature = "serde")]
pub mod serde;
pub mod text;
pub mod time;

pub use error::{BuildError, ErrorMetadata, ProvideErrorMetadata, RequestId, Unhandled};
pub use response::ResponseMetadata;
pub use time::DateTime;
