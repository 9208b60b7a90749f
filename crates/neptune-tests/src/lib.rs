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

/// A `DescribeGlobalClusters` page as the service would write it: `clusters` global databases,
/// each with `members` member clusters (the first the writer, read by all the others), and the
/// elements the model does not know that the service sends too (`GlobalWriteForwardingStatus`,
/// `Endpoint`, `TagList`). The benches read it as a large response.
pub fn describe_global_clusters_page(clusters: usize, members: usize) -> Vec<u8> {
    use std::fmt::Write;

    let mut xml = String::from(
        r#"<DescribeGlobalClustersResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><DescribeGlobalClustersResult><GlobalClusters>"#,
    );
    let arn = |i: usize, m: usize| {
        let region = ["us-east-1", "us-west-2", "eu-west-1", "ap-south-1"][m % 4];
        format!("arn:aws:rds:{region}:123456789012:cluster:gdb-{i}-member-{m}")
    };
    for i in 0..clusters {
        let _ = write!(
            xml,
            "<GlobalClusterMember><GlobalClusterIdentifier>gdb-{i}</GlobalClusterIdentifier>\
             <GlobalClusterResourceId>cluster-{i:08x}</GlobalClusterResourceId>\
             <GlobalClusterArn>arn:aws:rds::123456789012:global-cluster:gdb-{i}</GlobalClusterArn>\
             <Status>available</Status><Engine>neptune</Engine><EngineVersion>1.3.2.1</EngineVersion>\
             <StorageEncrypted>true</StorageEncrypted><DeletionProtection>false</DeletionProtection>\
             <GlobalClusterMembers>"
        );
        for m in 0..members {
            let _ = write!(
                xml,
                "<GlobalClusterMember><DBClusterArn>{}</DBClusterArn>",
                arn(i, m)
            );
            if m == 0 {
                xml.push_str("<Readers>");
                for r in 1..members {
                    let _ = write!(xml, "<member>{}</member>", arn(i, r));
                }
                xml.push_str("</Readers><IsWriter>true</IsWriter>");
            } else {
                xml.push_str("<Readers/><IsWriter>false</IsWriter>");
            }
            xml.push_str(
                "<GlobalWriteForwardingStatus>disabled</GlobalWriteForwardingStatus></GlobalClusterMember>",
            );
        }
        let _ = write!(
            xml,
            "</GlobalClusterMembers>\
             <Endpoint>gdb-{i}.global-{i:08x}.global.rds.amazonaws.com</Endpoint><TagList/>\
             </GlobalClusterMember>"
        );
    }
    xml.push_str(
        "</GlobalClusters><Marker>gdb-next</Marker></DescribeGlobalClustersResult>\
         <ResponseMetadata><RequestId>4a6b2c1d-page</RequestId></ResponseMetadata>\
         </DescribeGlobalClustersResponse>",
    );
    xml.into_bytes()
}
