//! Waiting for a failover or switchover of a global database to finish.
//!
//! Hand-written: the condition needs the DB cluster that `FailoverGlobalCluster` was given, which
//! `DescribeGlobalClusters`, the operation polled, does not take. A `smithy.waiters#waitable`
//! trait can compare an output only with the polled operation's own input, so this waiter cannot
//! be modeled, and lives here, beside the generated code, over the client's public API.

use std::fmt;
use std::time::Duration;

use awsquery::client::SdkError;
use awsquery::error::BuildError;
use awsquery::transport::Transport;
use awsquery::waiter::{Delays, Verdict, Waiter, WaiterError};

use crate::Client;
use crate::error::{DescribeGlobalClustersError, GlobalClusterNotFoundFault};
use crate::types::{DescribeGlobalClustersOutput, GlobalCluster};

impl<T: Transport> Client<T> {
    /// Waits until a failover or switchover started by `FailoverGlobalCluster` has finished: the
    /// target DB cluster is the writer of the global database, and the global database's status
    /// is `available`. It polls `DescribeGlobalClusters`; see [`WaitUntilFailoverComplete`].
    pub fn wait_until_failover_complete(&self) -> WaitUntilFailoverComplete<T> {
        WaitUntilFailoverComplete {
            client: self.clone(),
            global_cluster_identifier: None,
            target_db_cluster_identifier: None,
            waiter: Waiter::new(Delays::new(
                WaitUntilFailoverComplete::<T>::MIN_DELAY,
                WaitUntilFailoverComplete::<T>::MAX_DELAY,
            )),
        }
    }
}

/// Waits until a failover or switchover of a global database has finished; made by
/// [`Client::wait_until_failover_complete`].
///
/// Each poll is a `DescribeGlobalClusters` call for the global database. The wait succeeds,
/// returning the global database as last described, once the member whose `DBClusterArn` is the
/// target is the writer (`IsWriter`) and the status is `available`. Any other status
/// (`failing-over`, `modifying`, or one this version does not know) means polling on. It fails if
/// the global database disappears (`GlobalClusterNotFoundFault`, or absent from the answer) or a
/// call fails for another reason (after the client's own retries), and times out with the last
/// state seen.
///
/// Polls are spaced as Smithy waiters space them: at random between a minimum and a doubling
/// ceiling, 5 s and 60 s unless [`delays`](Self::delays) says otherwise.
///
/// The waiter holds a clone of the client, so the future of [`wait`](Self::wait) borrows nothing
/// and can be spawned.
#[derive(Debug)]
pub struct WaitUntilFailoverComplete<T> {
    client: Client<T>,
    global_cluster_identifier: Option<String>,
    target_db_cluster_identifier: Option<String>,
    waiter: Waiter,
}

impl<T: Transport> WaitUntilFailoverComplete<T> {
    /// The shortest wait between two polls, unless set with [`delays`](Self::delays).
    pub const MIN_DELAY: Duration = Duration::from_secs(5);
    /// The longest wait between two polls, unless set with [`delays`](Self::delays).
    pub const MAX_DELAY: Duration = Duration::from_secs(60);

    /// The global database being failed over: its identifier (compared without regard to case)
    /// or its ARN. Required.
    pub fn global_cluster_identifier(mut self, value: impl Into<String>) -> Self {
        self.global_cluster_identifier = Some(value.into());
        self
    }

    /// The ARN of the DB cluster that is to become the writer: the `TargetDbClusterIdentifier`
    /// given to `FailoverGlobalCluster`. Required.
    pub fn target_db_cluster_identifier(mut self, value: impl Into<String>) -> Self {
        self.target_db_cluster_identifier = Some(value.into());
        self
    }

    /// Waits between polls of at least `min` and at most `max` (`min` is at least one second).
    pub fn delays(mut self, min: Duration, max: Duration) -> Self {
        self.waiter = Waiter::new(Delays::new(min, max));
        self
    }

    /// Polls until the failover has finished, for at most `timeout`, and returns the global
    /// database as last described.
    pub async fn wait(
        self,
        timeout: Duration,
    ) -> Result<GlobalCluster, WaiterError<GlobalCluster, FailoverWaitError>> {
        let missing =
            |member| WaiterError::Build(BuildError::missing("WaitUntilFailoverComplete", member));
        let identifier = self
            .global_cluster_identifier
            .ok_or_else(|| missing("GlobalClusterIdentifier"))?;
        let target = self
            .target_db_cluster_identifier
            .ok_or_else(|| missing("TargetDbClusterIdentifier"))?;
        let client = &self.client;
        let (identifier, target) = (identifier.as_str(), target.as_str());
        self.waiter
            .wait(client.transport(), timeout, || async move {
                let result = client
                    .describe_global_clusters()
                    .global_cluster_identifier(identifier)
                    .send()
                    .await;
                failover_verdict(result, identifier, target)
            })
            .await
    }
}

/// Judges one `DescribeGlobalClusters` answer for [`WaitUntilFailoverComplete`].
fn failover_verdict(
    result: Result<DescribeGlobalClustersOutput, SdkError<DescribeGlobalClustersError>>,
    identifier: &str,
    target: &str,
) -> Verdict<GlobalCluster, FailoverWaitError> {
    let output = match result {
        Ok(output) => output,
        Err(SdkError::Service(DescribeGlobalClustersError::GlobalClusterNotFoundFault(fault))) => {
            return Verdict::Failure(FailoverWaitError::GlobalClusterNotFound {
                identifier: identifier.to_owned(),
                fault: Some(Box::new(fault)),
            });
        }
        Err(error) => return Verdict::Failure(FailoverWaitError::Describe(error)),
    };
    let found = output
        .global_clusters
        .into_iter()
        .flatten()
        .find(|cluster| {
            cluster
                .global_cluster_identifier
                .as_deref()
                .is_some_and(|id| id.eq_ignore_ascii_case(identifier))
                || cluster.global_cluster_arn.as_deref() == Some(identifier)
        });
    let Some(cluster) = found else {
        return Verdict::Failure(FailoverWaitError::GlobalClusterNotFound {
            identifier: identifier.to_owned(),
            fault: None,
        });
    };
    let target_writes = cluster
        .global_cluster_members
        .iter()
        .flatten()
        .any(|member| {
            member.db_cluster_arn.as_deref() == Some(target) && member.is_writer == Some(true)
        });
    if target_writes && cluster.status.as_deref() == Some("available") {
        Verdict::Success(cluster)
    } else {
        Verdict::Retry(Some(cluster))
    }
}

/// Why [`WaitUntilFailoverComplete`] stopped before the failover finished.
#[derive(Debug)]
#[non_exhaustive]
pub enum FailoverWaitError {
    /// The global database does not exist (any more): the service said so, or it was not in the
    /// answer.
    GlobalClusterNotFound {
        /// The identifier waited for.
        identifier: String,
        /// The service's fault, when it answered with one.
        fault: Option<Box<GlobalClusterNotFoundFault>>,
    },
    /// A `DescribeGlobalClusters` call failed for another reason.
    Describe(SdkError<DescribeGlobalClustersError>),
}

impl fmt::Display for FailoverWaitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::GlobalClusterNotFound { identifier, .. } => {
                write!(f, "the global cluster `{identifier}` was not found")
            }
            Self::Describe(error) => write!(f, "DescribeGlobalClusters failed: {error}"),
        }
    }
}

impl std::error::Error for FailoverWaitError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::GlobalClusterNotFound { fault, .. } => fault
                .as_deref()
                .map(|f| f as &(dyn std::error::Error + 'static)),
            Self::Describe(error) => Some(error),
        }
    }
}
