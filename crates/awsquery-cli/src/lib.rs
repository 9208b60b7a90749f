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
//!
//! What it prints:
//!
//! * [`output`]: a response written as `--output json`, `text`, `table`, `yaml`, `yaml-stream`
//!   or `off` write it, byte for byte, whole or page by page;
//! * [`query`]: `--query`, a JMESPath expression evaluated over the response before it is
//!   written, keeping members in the order the response has them.
//!
//! Responses are [`serde_json::Value`]s whose objects keep their members in the order they were
//! inserted (serde_json's `preserve_order`): the order of the service model, as the AWS CLI
//! prints them.
//!
//! ```
//! use awsquery_cli::output::{Format, Formatter};
//! use awsquery_cli::query::Query;
//!
//! let response = serde_json::json!({"GlobalClusters": [{"GlobalClusterIdentifier": "g1"}]});
//! let formatter = Formatter::new(Format::Text, "DescribeGlobalClusters")
//!     .with_query(Query::parse("GlobalClusters[].GlobalClusterIdentifier").unwrap());
//! let mut out = Vec::new();
//! formatter.write(&response, &mut out).unwrap();
//! assert_eq!(out, b"g1\n");
//! ```

pub mod args;
pub mod call;
pub mod completion;
pub mod help;
pub mod json;
pub mod output;
pub mod paginate;
pub mod process;
pub mod query;
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
    Session, Stderr, Timeouts, USAGE_ERROR, run, write_err,
};
pub use table::{Command, Service};
