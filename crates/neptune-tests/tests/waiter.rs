//! `wait_until_failover_complete` with an in-memory transport: it polls `DescribeGlobalClusters`
//! until the target is the writer and the global database is `available`, and stops on the ways a
//! failover wait can end badly.

use std::time::Duration;

use awsquery::http::Response;
use awsquery::waiter::WaiterError;
use neptune_client::Client;
use neptune_client::failover::{FailoverWaitError, WaitUntilFailoverComplete};
use neptune_tests::{NOT_FOUND_404, Script, TARGET_ARN, block_on, pinned_config};

const PRIMARY_ARN: &str = "arn:aws:rds:us-east-1:123456789012:cluster:primary";
const POLL: &str =
    "Action=DescribeGlobalClusters&Version=2014-10-31&GlobalClusterIdentifier=my-global";

/// One global database as `DescribeGlobalClusters` lists it: identifier, status and which of the
/// two members writes.
fn cluster(id: &str, status: &str, writer: &str) -> String {
    let member = |arn: &str| {
        format!(
            "<GlobalClusterMember><DBClusterArn>{arn}</DBClusterArn><Readers/>\
             <IsWriter>{}</IsWriter></GlobalClusterMember>",
            arn == writer
        )
    };
    format!(
        "<GlobalClusterMember><GlobalClusterIdentifier>{id}</GlobalClusterIdentifier>\
         <GlobalClusterArn>arn:aws:rds::123456789012:global-cluster:{id}</GlobalClusterArn>\
         <Status>{status}</Status><GlobalClusterMembers>{}{}</GlobalClusterMembers>\
         </GlobalClusterMember>",
        member(PRIMARY_ARN),
        member(TARGET_ARN)
    )
}

fn describe(clusters: &[String]) -> Response {
    Response::new(
        200,
        format!(
            "<DescribeGlobalClustersResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\">\
             <DescribeGlobalClustersResult><GlobalClusters>{}</GlobalClusters>\
             </DescribeGlobalClustersResult></DescribeGlobalClustersResponse>",
            clusters.concat()
        ),
    )
}

fn state(status: &str, writer: &str) -> Response {
    describe(&[cluster("my-global", status, writer)])
}

fn wait(
    script: &Script,
    timeout: Duration,
) -> Result<
    neptune_client::types::GlobalCluster,
    WaiterError<neptune_client::types::GlobalCluster, FailoverWaitError>,
> {
    let client = Client::new(pinned_config(), script);
    block_on(
        client
            .wait_until_failover_complete()
            .global_cluster_identifier("my-global")
            .target_db_cluster_identifier(TARGET_ARN)
            .wait(timeout),
    )
}

const TEN_MINUTES: Duration = Duration::from_secs(600);

/// Every wait lies between the default minimum and maximum delays.
fn assert_default_delays(script: &Script) {
    for sleep in script.sleeps() {
        assert!(
            WaitUntilFailoverComplete::<&Script>::MIN_DELAY <= sleep
                && sleep <= WaitUntilFailoverComplete::<&Script>::MAX_DELAY,
            "{sleep:?}"
        );
    }
}

#[test]
fn succeeds_once_the_target_writes_and_the_status_is_available() {
    let script = Script::responses([
        state("failing-over", PRIMARY_ARN),
        // The roles have changed but the global database is not settled yet.
        state("modifying", TARGET_ARN),
        // Settled, but on the old writer: not what was asked for.
        state("available", PRIMARY_ARN),
        state("available", TARGET_ARN),
    ]);
    let cluster = wait(&script, TEN_MINUTES).expect("the failover completes");
    assert_eq!(cluster.status.as_deref(), Some("available"));
    assert_eq!(
        cluster.global_cluster_identifier.as_deref(),
        Some("my-global")
    );
    assert_eq!(script.bodies(), [POLL; 4]);
    assert_eq!(script.sleeps().len(), 3);
    assert_default_delays(&script);
}

#[test]
fn unknown_statuses_keep_it_polling() {
    let script = Script::responses([
        state("switching-over-in-a-future-version", TARGET_ARN),
        state("", TARGET_ARN),
        state("available", TARGET_ARN),
    ]);
    wait(&script, TEN_MINUTES).expect("the failover completes");
    assert_eq!(script.attempts(), 3);
}

#[test]
fn times_out_with_the_last_state_seen() {
    let responses: Vec<Response> = (0..40)
        .map(|_| state("failing-over", PRIMARY_ARN))
        .collect();
    let script = Script::responses(responses);
    let error = wait(&script, Duration::from_secs(120)).expect_err("never completes");
    let WaiterError::Timeout(timeout) = &error else {
        panic!("expected a timeout, got {error:?}");
    };
    let last = timeout.last().expect("a state was seen");
    assert_eq!(last.status.as_deref(), Some("failing-over"));
    assert_eq!(timeout.attempts() as usize, script.attempts());
    assert!(script.attempts() >= 3, "{}", script.attempts());
    let slept: Duration = script.sleeps().iter().sum();
    assert!(slept <= Duration::from_secs(120), "{slept:?}");
    assert!(
        slept > Duration::from_secs(119),
        "the last poll is made when time is up: {slept:?}"
    );
    assert!(
        error.to_string().starts_with("gave up waiting after 120s"),
        "{error}"
    );
}

#[test]
fn a_vanished_global_database_is_an_error() {
    let script = Script::responses([
        state("failing-over", PRIMARY_ARN),
        Response::new(404, NOT_FOUND_404),
    ]);
    let error = wait(&script, TEN_MINUTES).expect_err("the global database is gone");
    match error.as_failure() {
        Some(FailoverWaitError::GlobalClusterNotFound { identifier, fault }) => {
            assert_eq!(identifier, "my-global");
            let fault = fault.as_ref().expect("the service's fault");
            assert_eq!(fault.message(), Some("Global cluster my-global not found"));
        }
        other => panic!("expected GlobalClusterNotFound, got {other:?}"),
    }
    assert_eq!(
        error.to_string(),
        "the global cluster `my-global` was not found"
    );
    assert!(std::error::Error::source(&error).is_some());
    assert_eq!(script.attempts(), 2);
}

#[test]
fn the_global_database_is_picked_from_an_unfiltered_listing() {
    // A service (like moto) may ignore the identifier and list every global database.
    let script = Script::responses([
        describe(&[
            cluster("other", "available", TARGET_ARN),
            cluster("MY-GLOBAL", "failing-over", PRIMARY_ARN),
        ]),
        describe(&[
            cluster("other", "failing-over", PRIMARY_ARN),
            cluster("my-global", "available", TARGET_ARN),
        ]),
    ]);
    let found = wait(&script, TEN_MINUTES).expect("the failover completes");
    assert_eq!(
        found.global_cluster_identifier.as_deref(),
        Some("my-global")
    );
    assert_eq!(script.attempts(), 2);

    let script = Script::responses([describe(&[cluster("other", "available", TARGET_ARN)])]);
    let error = wait(&script, TEN_MINUTES).expect_err("not in the listing");
    assert!(
        matches!(
            error.as_failure(),
            Some(FailoverWaitError::GlobalClusterNotFound { fault: None, .. })
        ),
        "{error:?}"
    );
}

#[test]
fn the_global_database_can_be_named_by_its_arn() {
    let script = Script::responses([state("available", TARGET_ARN)]);
    let client = Client::new(pinned_config(), &script);
    let arn = "arn:aws:rds::123456789012:global-cluster:my-global";
    let cluster = block_on(
        client
            .wait_until_failover_complete()
            .global_cluster_identifier(arn)
            .target_db_cluster_identifier(TARGET_ARN)
            .wait(TEN_MINUTES),
    )
    .expect("found by ARN");
    assert_eq!(cluster.global_cluster_arn.as_deref(), Some(arn));
}

#[test]
fn other_errors_end_the_wait() {
    let denied = "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>\
                  <Message>not allowed</Message></Error></ErrorResponse>";
    let script = Script::responses([Response::new(403, denied)]);
    let error = wait(&script, TEN_MINUTES).expect_err("access denied");
    let Some(FailoverWaitError::Describe(sdk)) = error.as_failure() else {
        panic!("expected a Describe failure, got {error:?}");
    };
    assert_eq!(sdk.service_error().map(|e| e.meta().status), Some(403));
    assert!(
        error
            .to_string()
            .starts_with("DescribeGlobalClusters failed: "),
        "{error}"
    );
}

#[test]
fn transient_failures_are_retried_by_the_client_not_the_waiter() {
    let script = Script::responses([
        Response::new(503, "<html>busy</html>"),
        state("available", TARGET_ARN),
    ]);
    wait(&script, TEN_MINUTES).expect("the retry succeeds");
    assert_eq!(script.attempts(), 2);
    assert_eq!(
        script.sleeps().len(),
        1,
        "the client's backoff, below a second"
    );
    assert!(script.sleeps()[0] < Duration::from_secs(1));
}

#[test]
fn missing_inputs_send_nothing() {
    let script = Script::responses([]);
    let client = Client::new(pinned_config(), &script);
    let error = block_on(
        client
            .wait_until_failover_complete()
            .global_cluster_identifier("my-global")
            .wait(TEN_MINUTES),
    )
    .expect_err("no target");
    assert!(matches!(error, WaiterError::Build(_)), "{error:?}");
    assert!(
        error.to_string().contains("TargetDbClusterIdentifier"),
        "{error}"
    );
    assert_eq!(script.attempts(), 0);
}

#[test]
fn custom_delays_are_used() {
    let script = Script::responses([
        state("failing-over", PRIMARY_ARN),
        state("failing-over", PRIMARY_ARN),
        state("available", TARGET_ARN),
    ]);
    let client = Client::new(pinned_config(), &script);
    block_on(
        client
            .wait_until_failover_complete()
            .global_cluster_identifier("my-global")
            .target_db_cluster_identifier(TARGET_ARN)
            .delays(Duration::from_secs(3), Duration::from_secs(3))
            .wait(TEN_MINUTES),
    )
    .expect("completes");
    assert_eq!(script.sleeps(), [Duration::from_secs(3); 2]);
}
