//! The engine of the command lines generated from awsQuery service models.
//!
//! A generated crate hands [`run()`] a [`Service`]: a static table of commands (one per operation,
//! with an option per input member), the shapes of their inputs and outputs, paginators and
//! waiters, and a `call` function per command that sends the input (JSON under the model's member
//! names) with the service's client and returns the output in the AWS CLI's JSON form. The engine
//! does the rest as the AWS CLI v2 does: arguments, values in shorthand or JSON, `file://`,
//! `--cli-input-json`, `--generate-cli-skeleton`, pagination, `wait`, help, completion, credentials
//! and the Region, errors and exit statuses. A service's hand-written behaviour is an
//! [`Extension`].

pub mod args;
pub mod call;
pub mod completion;
pub mod help;
pub mod json;
pub mod paginate;
pub mod process;
pub mod run;
pub mod shorthand;
pub mod skeleton;
pub mod table;
pub mod token;
pub mod values;
pub mod wait;
mod wire;

pub use awsquery::client::Config;
pub use serde_json;

pub use call::{CallError, DynTransport, ServiceError};
pub use run::{
    CONFIG_ERROR, Extension, ExtensionFuture, NoExtension, OTHER_ERROR, Program, SERVICE_ERROR,
    Session, Stderr, Timeouts, USAGE_ERROR, print_result, run, write_err,
};
pub use table::{Command, Service};
