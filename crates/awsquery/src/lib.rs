//! The client runtime of generated awsQuery clients.
//!
//! A generated client wraps a [`client::Handle`], which resolves the endpoint, fills idempotency
//! tokens, serializes through the generated protocol crate, compresses, signs with [`sigv4`],
//! adds the [`user_agent`], sends through a [`transport::Transport`], and retries as [`retry`]
//! decides. Around it:
//! configuration from the environment ([`env`](mod@env)) and the shared files ([`profile`]), credential
//! sources ([`credentials`]), the region chain ([`region`]), endpoint rules ([`endpoint`]), and the
//! paginators and waiters ([`paginator`], [`waiter`]).
//!
//! The layers below this crate have no I/O: `awsquery-types` (timestamps, HTTP values, error
//! metadata) and `awsquery-protocol` (query writer, XML reader, the operation contract).
//!
//! # Features
//!
//! All off by default.
//!
//! * `gzip`: request compression (`smithy.api#requestCompression`), with flate2; generated clients
//!   turn it on when their model compresses.
//! * `tracing`: a [`tracing`](https://docs.rs/tracing) span per call and per attempt, with the
//!   service, operation, attempt number, status, request id and retry decision, and nothing secret.
//! * `test-util`: the `mock` module, typed test doubles that answer calls in place of the
//!   service; for dev-dependencies.
//! * `aws-credential-types`: `credentials::AwsSdkProvider`, which adapts the credential
//!   providers of the AWS SDK for Rust.

pub mod client;
pub mod compression;
pub mod credentials;
pub mod endpoint;
pub mod env;
#[doc(hidden)] // Called by generated clients.
pub mod idempotency;
#[cfg(feature = "test-util")]
pub mod mock;
pub mod paginator;
pub mod profile;
pub mod random;
pub mod region;
pub mod retry;
pub mod sigv4;
mod trace;
pub mod transport;
pub mod user_agent;
pub mod waiter;

pub use awsquery_types::{BuildError, DateTime, ErrorMetadata, Unhandled};
pub use awsquery_types::{error, http, time};

use awsquery_protocol::{host_prefix, operation};
