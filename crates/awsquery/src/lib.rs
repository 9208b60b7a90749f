//! The hand-written runtime that the generated awsQuery crates stand on.
//!
//! Generated code stays flat: each serializer is a sequence of [`query::QueryWriter`] calls, each
//! deserializer a loop over [`xml::Decoder::next_child`]. Everything that is the same for every
//! operation lives here, once.

pub mod base64;
pub mod client;
pub mod compression;
pub mod credentials;
pub mod endpoint;
pub mod error;
pub mod host_prefix;
pub mod http;
pub mod idempotency;
pub mod json;
pub mod operation;
pub mod paginator;
pub mod query;
pub mod region;
pub mod retry;
pub mod sigv4;
pub mod testing;
pub mod time;
pub mod waiter;
pub mod xml;

pub use error::{BuildError, ErrorMetadata, Unhandled};
pub use time::DateTime;
