//! Wire and client tests of the generated Neptune crates (`neptune-model`, `neptune-protocol` and
//! `neptune-client`).
//!
//! The tests live in `tests/`: request bodies as the protocol crate writes them, responses captured
//! from AWS and from a mock server as it reads them, the client driven through an in-memory transport,
//! and its retries, credential providers, and the HTTP transport against a local server and moto.
//! This library holds what they and the bench share.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use awsquery::DateTime;
use awsquery::http::{Request, Response};
use awsquery::transport::TransportErrorKind;
use neptune_client::{Config, Credentials, Transport, TransportError};

/// The secret key of AWS's SigV4 test suite.
pub const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// The secondary cluster the fixture requests promote.
pub const TARGET_ARN: &str = "arn:aws:rds:us-west-2:123456789012:cluster:secondary";
/// The captured FailoverGlobalCluster success (two members, one `<Readers/>`).
pub const SUCCESS_200: &[u8] = include_bytes!("../tests/data/failover_global_cluster.200.xml");
/// The captured `GlobalClusterNotFoundFault`, HTTP 404.
pub const NOT_FOUND_404: &[u8] = include_bytes!("../tests/data/failover_global_cluster.404.xml");
/// moto's DescribeGlobalClusters answer: one global database, two members, unknown elements.
pub const DESCRIBE_MOTO_200: &[u8] =
    include_bytes!("../tests/data/describe_global_clusters_after.response.body");

/// 2015-08-30T12:36:00Z, the date of the AWS SigV4 test suite.
pub fn pinned_clock() -> DateTime {
    DateTime::from_secs(1_440_938_160)
}

/// `us-east-1`, the suite's access key and secret, and the pinned clock, so signatures repeat.
pub fn pinned_config() -> Config {
    Config::new("us-east-1", Credentials::new("AKIDEXAMPLE", SECRET, None)).with_clock(pinned_clock)
}

pub use awsquery_testing::client::block_on;

/// An in-memory transport that answers each request with the next scripted outcome and records the
/// requests and the waits (which return at once).
#[derive(Debug, Default)]
pub struct Script {
    answers: Mutex<VecDeque<Result<Response, TransportErrorKind>>>,
    requests: Mutex<Vec<Request>>,
    sleeps: Mutex<Vec<Duration>>,
}

impl Script {
    /// Answers in this order; a request beyond the last answer fails the test.
    pub fn new(answers: Vec<Result<Response, TransportErrorKind>>) -> Self {
        Script {
            answers: Mutex::new(answers.into()),
            ..Script::default()
        }
    }

    /// A script of responses, answered in order.
    pub fn responses(responses: impl IntoIterator<Item = Response>) -> Self {
        Script::new(responses.into_iter().map(Ok).collect())
    }

    /// How many requests were sent.
    pub fn attempts(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    /// The requests sent, in order.
    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }

    /// The form bodies sent, in order.
    pub fn bodies(&self) -> Vec<String> {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .map(|r| String::from_utf8(r.body.clone()).expect("form bodies are ASCII"))
            .collect()
    }

    /// The waits asked for, in order.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.sleeps.lock().unwrap().clone()
    }

    /// Whether every scripted answer was used.
    pub fn is_exhausted(&self) -> bool {
        self.answers.lock().unwrap().is_empty()
    }
}

impl Transport for &Script {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        self.requests.lock().unwrap().push(request);
        match self.answers.lock().unwrap().pop_front() {
            Some(Ok(response)) => Ok(response),
            Some(Err(kind)) => Err(TransportError::new(kind, "scripted failure")),
            None => panic!("the client sent more requests than the script has answers"),
        }
    }

    async fn sleep(&self, duration: Duration) {
        self.sleeps.lock().unwrap().push(duration);
    }
}
