//! The `neptune` command: the Amazon Neptune commands of the AWS CLI, printing what `aws neptune`
//! prints.
//!
//! The commands, their options, help and calls are the table generated from the service model
//! (`generated`), run by `awsquery-cli`. This file is the hand-written part: what the AWS CLI does
//! beside the model for `failover-global-cluster` (`--allow-data-loss` and `--switchover` exclude
//! each other) and this tool's `--wait` on it, which polls until the failover is complete.
//!
//! [`run`] is the whole program without the process around it: it takes the arguments, the
//! environment, a way to make the HTTP transport and the two output streams, and returns the exit
//! status. The binary gives it the process's and a real transport; tests give it an in-memory
//! one.

#[allow(missing_docs)]
mod generated;

use std::future::Future;
use std::io::Write;
use std::time::Duration;

use awsquery::client::SdkError;
use awsquery::transport::Transport;
use awsquery::waiter::{MIN_DELAY, WaiterError};
pub use awsquery_cli::OTHER_ERROR;
use awsquery_cli::args::{Extra, Given, UsageError, last};
use awsquery_cli::serde_json::Value;
use awsquery_cli::{
    CallError, Command, Extension, ExtensionFuture, Program, ServiceError, Session,
};
use awsquery_config::settings::{Settings, SettingsError};
use neptune_client::failover::FailoverWaitError;
use neptune_client::types::{FailoverGlobalClusterOutput, GlobalCluster};

pub use awsquery_cli::{CONFIG_ERROR, SERVICE_ERROR, Stderr, Timeouts, USAGE_ERROR};
pub use generated::{Client, SERVICE};

/// How long `--wait` waits at most, unless `--wait-timeout` says otherwise.
pub const DEFAULT_WAIT_TIMEOUT: Duration = Duration::from_secs(30 * 60);
/// The shortest wait between polls, unless `--wait-delay` says otherwise.
pub const DEFAULT_WAIT_DELAY: Duration = Duration::from_secs(5);
/// The longest wait between polls (or `--wait-delay`, if longer).
pub const MAX_WAIT_DELAY: Duration = Duration::from_secs(60);

const FAILOVER: &str = "failover-global-cluster";

const FAILOVER_OPTIONS: &[Extra] = &[
    Extra {
        name: "wait",
        takes_value: false,
        doc: "Then poll DescribeGlobalClusters until the target is the writer and the global \
              database is `available`, and print the global database as it is then, in the same \
              form.",
    },
    Extra {
        name: "wait-timeout",
        takes_value: true,
        doc: "How long --wait waits at most, in seconds (default 1800).",
    },
    Extra {
        name: "wait-delay",
        takes_value: true,
        doc: "The shortest pause between polls, in seconds (default 5, at least 1; pauses grow to \
              at most 60, or this value if larger).",
    },
];

/// Neptune's hand-written behaviour.
#[derive(Debug, Clone, Copy, Default)]
pub struct Neptune;

/// The program: the generated table and [`Neptune`].
pub const PROGRAM: Program<'static, Client, Neptune> = Program {
    service: &SERVICE,
    extension: &Neptune,
    version: env!("CARGO_PKG_VERSION"),
};

/// `neptune-cli/0.1.0 os/linux arch/x86_64`.
pub fn version() -> String {
    awsquery_cli::run::version(&SERVICE, env!("CARGO_PKG_VERSION"))
}

/// Runs the command line `args` (without the program name) with the environment `env`, making its
/// transport with `connect` from the timeouts asked for and the settings of the environment and
/// the profile (`ca_bundle`), and returns the exit status. The same transport carries the calls of
/// the credential sources (STS, IAM Identity Center, the container endpoint, instance metadata).
pub async fn run<T, F, Fut>(
    args: &[String],
    env: &[(String, String)],
    connect: F,
    stdout: &mut dyn Write,
    stderr: &Stderr,
) -> i32
where
    T: Transport + Clone + Send + Sync + 'static,
    F: FnOnce(Timeouts, Settings) -> Fut,
    Fut: Future<Output = Result<T, SettingsError>>,
{
    awsquery_cli::run(&PROGRAM, args, env, connect, stdout, stderr).await
}

/// What `--wait` was asked to do.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Wait {
    timeout: Duration,
    delay: Duration,
}

/// The value of a `--wait-*` option.
fn value<'a>(given: &'a [Given], name: &str) -> Option<&'a str> {
    last(given, name)
        .and_then(|g| g.values.first())
        .map(String::as_str)
}

/// `--wait` and its options, checked.
fn wait_options(given: &[Given]) -> Result<Option<Wait>, UsageError> {
    let wait = last(given, "wait").is_some();
    for name in ["wait-timeout", "wait-delay"] {
        if !wait && last(given, name).is_some() {
            return Err(UsageError(format!(
                "argument --{name}: only allowed with --wait"
            )));
        }
    }
    if !wait {
        return Ok(None);
    }
    let timeout = match value(given, "wait-timeout") {
        None => DEFAULT_WAIT_TIMEOUT,
        Some(v) => v
            .trim()
            .parse::<u64>()
            .map(Duration::from_secs)
            .map_err(|_| {
                UsageError(format!(
                    "argument --wait-timeout: invalid int value: '{v}' (whole seconds, 0 or more)"
                ))
            })?,
    };
    let delay = match value(given, "wait-delay") {
        None => DEFAULT_WAIT_DELAY,
        Some(v) => {
            let delay = v
                .trim()
                .parse::<f64>()
                .ok()
                .and_then(|s| Duration::try_from_secs_f64(s).ok())
                .ok_or_else(|| {
                    UsageError(format!(
                        "argument --wait-delay: invalid value: '{v}' (seconds, 0 or more)"
                    ))
                })?;
            if delay < MIN_DELAY {
                return Err(UsageError(format!(
                    "argument --wait-delay: invalid value: '{v}' (a waiter waits at least {} \
                     second between polls)",
                    MIN_DELAY.as_secs()
                )));
            }
            delay
        }
    };
    Ok(Some(Wait { timeout, delay }))
}

impl Extension<Client> for Neptune {
    fn options(&self, command: &str) -> &'static [Extra] {
        if command == FAILOVER {
            FAILOVER_OPTIONS
        } else {
            &[]
        }
    }

    /// As in the AWS CLI, `--allow-data-loss` and `--switchover` may not both be given.
    fn check(&self, command: &str, given: &[Given]) -> Result<(), UsageError> {
        if command != FAILOVER {
            return Ok(());
        }
        let flags: Vec<&str> = given
            .iter()
            .map(|g| g.name.as_str())
            .filter(|n| matches!(*n, "allow-data-loss" | "switchover"))
            .collect();
        if let (Some(first), Some(second)) = (flags.first(), flags.iter().find(|n| **n != flags[0]))
        {
            let positive = |name: &str| {
                let negated = format!("no-{name}");
                given
                    .iter()
                    .rev()
                    .find(|g| g.name == name || g.name == negated)
                    .is_some_and(|g| g.name == name)
            };
            if positive(first) && positive(second) {
                return Err(UsageError(format!(
                    "argument --{second}: not allowed with argument --{first}"
                )));
            }
        }
        wait_options(given).map(|_| ())
    }

    fn run<'a>(
        &'a self,
        command: &'static Command<Client>,
        session: &'a mut Session<'_, Client>,
        input: Value,
        given: &'a [Given],
    ) -> Option<ExtensionFuture<'a>> {
        if command.name != FAILOVER {
            return None;
        }
        let wait = wait_options(given).ok().flatten();
        Some(Box::pin(failover(command, session, input, wait)))
    }
}

/// Added to an `InvalidGlobalClusterStateFault` of a failover that was sent again after an attempt
/// got no answer: that attempt may have reached the service and started the failover, which is
/// then why the global database is not in a state to start one.
const RETRIED_FAILOVER_NOTE: &str = "\nNote: an earlier attempt of this FailoverGlobalCluster call got \
no response (a timeout or a broken connection) and the call was sent again. The earlier attempt \
may have reached the service and started the failover, which would explain this error. Check the \
global cluster with `neptune describe-global-clusters --global-cluster-identifier ID` before \
trying again.\n";

/// `failover-global-cluster`: the call, the note on a retried call refused for its state, and
/// `--wait`.
async fn failover(
    command: &'static Command<Client>,
    session: &mut Session<'_, Client>,
    input: Value,
    wait: Option<Wait>,
) -> i32 {
    let identifier = input["GlobalClusterIdentifier"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let target = input["TargetDbClusterIdentifier"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    session.reset_attempts();
    let output = match (command.call)(session.client, input).await {
        Ok(output) => output,
        Err(error) => {
            let retried_after_no_answer = session.unanswered_attempts() > 0
                && error.code() == Some("InvalidGlobalClusterStateFault");
            let code = session.report(command.operation, error);
            if retried_after_no_answer {
                session.err(RETRIED_FAILOVER_NOTE);
            }
            return code;
        }
    };
    let Some(wait) = wait else {
        return session.print_result(&output);
    };
    let waited = session
        .client
        .wait_until_failover_complete()
        .global_cluster_identifier(&identifier)
        .target_db_cluster_identifier(&target)
        .delays(wait.delay, wait.delay.max(MAX_WAIT_DELAY))
        .wait(wait.timeout)
        .await;
    match waited {
        Ok(cluster) => {
            let mut output = FailoverGlobalClusterOutput::default();
            output.global_cluster = Some(cluster);
            match awsquery_cli::call::output(&output) {
                Ok(value) => session.print_result(&value),
                Err(error) => session.report(command.operation, error),
            }
        }
        Err(error) => wait_error(session, error),
    }
}

/// Reports a failed `--wait` as the AWS CLI reports a failed waiter.
fn wait_error(
    session: &Session<'_, Client>,
    error: WaiterError<GlobalCluster, FailoverWaitError>,
) -> i32 {
    let reason = match error {
        WaiterError::Timeout(timeout) => {
            let mut reason = format!(
                "Max wait time of {} seconds exceeded ({} polls)",
                timeout.max_wait().as_secs_f64(),
                timeout.attempts()
            );
            if let Some(cluster) = timeout.last() {
                reason.push_str(&format!("; last seen: {}", summary(cluster)));
            }
            reason
        }
        WaiterError::Failure(FailoverWaitError::GlobalClusterNotFound { identifier, fault }) => {
            match fault {
                Some(fault) => format!(
                    "An error occurred ({}): {}",
                    fault.meta.code().unwrap_or("GlobalClusterNotFoundFault"),
                    fault.message().unwrap_or("Unknown")
                ),
                None => format!(
                    "Waiter encountered a terminal failure state: the global cluster {identifier} is not in the DescribeGlobalClusters answer"
                ),
            }
        }
        WaiterError::Failure(FailoverWaitError::Describe(error)) => {
            let error = match error {
                SdkError::Service(e) => CallError::Service(ServiceError::of(&e)),
                other => CallError::from(other),
            };
            match session.waiter_reason(error) {
                Ok(reason) => reason,
                Err(code) => return code,
            }
        }
        other => other.to_string(),
    };
    session.err(&format!("\nWaiter FailoverComplete failed: {reason}\n"));
    OTHER_ERROR
}

/// `status available, writer arn:…` for a timeout message.
fn summary(cluster: &GlobalCluster) -> String {
    let writer = cluster
        .global_cluster_members
        .iter()
        .flatten()
        .find(|m| m.is_writer == Some(true))
        .and_then(|m| m.db_cluster_arn.as_deref())
        .unwrap_or("none");
    format!(
        "status {}, writer {writer}",
        cluster.status.as_deref().unwrap_or("unknown")
    )
}
