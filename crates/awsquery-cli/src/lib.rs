//! The pieces of a command line over awsquery clients that make it print what the AWS CLI prints.
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

pub mod output;
pub mod query;
