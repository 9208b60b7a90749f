//! Wire and client tests of the generated Neptune crates (`neptune-model`, `neptune-protocol` and
//! `neptune-client`).
//!
//! The tests live in `tests/`: request bodies as the protocol crate writes them, responses captured
//! from AWS and from a mock server as it reads them, the client driven through an in-memory transport,
//! and its retries. This library holds what they and the bench share.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use awsquery::DateTime;
use neptune_client::{Config, Credentials};

/// The secret key of AWS's SigV4 test suite.
pub const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// The secondary cluster the fixture requests promote.
pub const TARGET_ARN: &str = "arn:aws:rds:us-west-2:123456789012:cluster:secondary";
/// The captured FailoverGlobalCluster success (two members, one `<Readers/>`).
pub const SUCCESS_200: &[u8] = include_bytes!("../tests/data/failover_global_cluster.200.xml");
/// The captured `GlobalClusterNotFoundFault`, HTTP 404.
pub const NOT_FOUND_404: &[u8] = include_bytes!("../tests/data/failover_global_cluster.404.xml");

/// 2015-08-30T12:36:00Z, the date of the AWS SigV4 test suite.
pub fn pinned_clock() -> DateTime {
    DateTime::from_secs(1_440_938_160)
}

/// `us-east-1`, the suite's access key and secret, and the pinned clock, so signatures repeat.
pub fn pinned_config() -> Config {
    Config::new("us-east-1", Credentials::new("AKIDEXAMPLE", SECRET, None)).with_clock(pinned_clock)
}

/// Runs a future to completion on this thread. The in-memory transports never return `Pending`, so
/// nothing needs waking; a pending poll is simply retried.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        std::thread::yield_now();
    }
}
