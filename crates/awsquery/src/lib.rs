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

pub mod client;
pub mod compression;
pub mod credentials;
pub mod endpoint;
pub mod env;
#[doc(hidden)] // Called by generated clients.
pub mod idempotency;
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
