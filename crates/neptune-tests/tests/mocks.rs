//! The generated Neptune client answered by typed mocks (`awsquery::mock`, feature `test-util`)
//! instead of a service: outputs, modeled errors, statuses and transport failures built from the
//! real types, sequences, unmatched calls, and the record of the calls made.

use std::time::Duration;

use awsquery::error::ErrorMetadata;
use awsquery::http::Response;
use awsquery::mock::{Mocks, NoTransport, Unanswered};
use awsquery::retry::RetryConfig;
use awsquery::transport::TransportErrorKind;
use awsquery::{BuildError, Unhandled};
use awsquery_testing::client::CapturingTransport;
use neptune_client::error::{
    DescribeGlobalClustersError, FailoverGlobalClusterError, GlobalClusterNotFoundFault,
};
use neptune_client::types::{
    DescribeGlobalClustersOutput, FailoverGlobalClusterInput, FailoverGlobalClusterOutput,
    GlobalCluster, GlobalClusterMember,
};
use neptune_client::{Client, Config, SdkError, Transport};
use neptune_protocol::{DescribeGlobalClusters, FailoverGlobalCluster};
use neptune_tests::{SUCCESS_200, TARGET_ARN, block_on, pinned_config};

const PRIMARY_ARN: &str = "arn:aws:rds:us-east-1:123456789012:cluster:primary";

/// A global database `id` in `status` whose writer is `writer`, the other cluster a reader.
fn global_cluster(id: &str, status: &str, writer: &str) -> GlobalCluster {
    let member = |arn: &str| {
        let mut member = GlobalClusterMember::default();
        member.db_cluster_arn = Some(arn.to_owned());
        member.is_writer = Some(arn == writer);
        member
    };
    let mut cluster = GlobalCluster::default();
    cluster.global_cluster_identifier = Some(id.to_owned());
    cluster.status = Some(status.to_owned());
    cluster.global_cluster_members = Some(vec![member(PRIMARY_ARN), member(TARGET_ARN)]);
    cluster
}

fn failover_output(id: &str) -> FailoverGlobalClusterOutput {
    let mut output = FailoverGlobalClusterOutput::default();
    output.global_cluster = Some(global_cluster(id, "failing-over", PRIMARY_ARN));
    output
}

fn describe_output(
    clusters: Vec<GlobalCluster>,
    marker: Option<&str>,
) -> DescribeGlobalClustersOutput {
    let mut output = DescribeGlobalClustersOutput::default();
    output.global_clusters = Some(clusters);
    output.marker = marker.map(str::to_owned);
    output
}

/// The modeled `GlobalClusterNotFoundFault`, with the metadata the service would send.
fn not_found() -> FailoverGlobalClusterError {
    let mut fault = GlobalClusterNotFoundFault::default();
    fault.message = Some(String::from("GlobalCluster drill not found"));
    fault.meta = ErrorMetadata::with_status(404);
    fault.meta.code = Some(String::from(GlobalClusterNotFoundFault::CODE));
    FailoverGlobalClusterError::GlobalClusterNotFoundFault(fault)
}

/// An unmodeled `Throttling` error, which the retry strategy retries.
fn throttled() -> FailoverGlobalClusterError {
    let mut meta = ErrorMetadata::with_status(400);
    meta.code = Some(String::from("Throttling"));
    FailoverGlobalClusterError::Unhandled(Unhandled::new(meta))
}

fn mocked(mocks: &Mocks) -> Client<NoTransport> {
    Client::new(pinned_config().with_mocks(mocks.clone()), NoTransport)
}

fn failover<T: Transport>(
    client: &Client<T>,
    id: &str,
) -> Result<FailoverGlobalClusterOutput, SdkError<FailoverGlobalClusterError>> {
    block_on(
        client
            .failover_global_cluster()
            .global_cluster_identifier(id)
            .target_db_cluster_identifier(TARGET_ARN)
            .switchover(true)
            .send(),
    )
}

#[test]
fn an_output_answers_the_calls_a_rule_matches() {
    let mocks = Mocks::new();
    let rule = mocks
        .on::<FailoverGlobalCluster>()
        .matching(|input| input.global_cluster_identifier.as_deref() == Some("drill"))
        .then_output(failover_output("drill"));
    let client = mocked(&mocks);

    let output = failover(&client, "drill").expect("the rule's output");
    assert_eq!(output, failover_output("drill"));

    assert_eq!(rule.calls(), 1);
    assert_eq!(mocks.calls::<FailoverGlobalCluster>(), 1);
    assert_eq!(mocks.calls::<DescribeGlobalClusters>(), 0);
    let [input] = &mocks.inputs::<FailoverGlobalCluster>()[..] else {
        panic!("one input recorded")
    };
    let expected = FailoverGlobalClusterInput::builder()
        .global_cluster_identifier("drill")
        .target_db_cluster_identifier(TARGET_ARN)
        .switchover(true)
        .build()
        .expect("both required members are set");
    assert_eq!(input, &expected);
}

#[test]
fn a_modeled_error_is_a_service_error_of_its_variant_and_not_retried() {
    let mocks = Mocks::new();
    mocks.on::<FailoverGlobalCluster>().then_error(not_found);
    let error = failover(&mocked(&mocks), "drill").expect_err("the rule's error");
    let SdkError::Service(FailoverGlobalClusterError::GlobalClusterNotFoundFault(fault)) = &error
    else {
        panic!("a GlobalClusterNotFoundFault: {error:?}")
    };
    assert_eq!(fault.message(), Some("GlobalCluster drill not found"));
    assert_eq!(fault.meta.status, 404);
    assert_eq!(
        error.to_string(),
        "the service returned an error: GlobalClusterNotFoundFault: GlobalCluster drill not found"
    );
    assert_eq!(
        mocks.calls::<FailoverGlobalCluster>(),
        1,
        "a fault is not retried"
    );
}

#[test]
fn a_status_goes_through_the_parser_and_the_retries() {
    let mocks = Mocks::new();
    let rule = mocks
        .on::<FailoverGlobalCluster>()
        .then_status(503)
        .then_output(failover_output("drill"));
    let output = failover(&mocked(&mocks), "drill").expect("the second attempt's output");
    assert_eq!(output, failover_output("drill"));
    assert_eq!(rule.calls(), 2, "the 503 was retried");
    assert_eq!(
        mocks.operations(),
        ["FailoverGlobalCluster", "FailoverGlobalCluster"]
    );
}

#[test]
fn a_status_that_persists_uses_every_attempt() {
    let mocks = Mocks::new();
    mocks.on::<FailoverGlobalCluster>().then_status(503);
    let error = failover(&mocked(&mocks), "drill").expect_err("503 every time");
    let Some(FailoverGlobalClusterError::Unhandled(unhandled)) = error.service_error() else {
        panic!("an unhandled 503: {error:?}")
    };
    assert_eq!(unhandled.meta().status, 503);
    assert_eq!(
        mocks.calls::<FailoverGlobalCluster>(),
        3,
        "the default 3 attempts"
    );

    // With retries off, one attempt.
    let mocks = Mocks::new();
    mocks.on::<FailoverGlobalCluster>().then_status(503);
    let client = Client::new(
        pinned_config()
            .with_retry_config(RetryConfig::disabled())
            .with_mocks(mocks.clone()),
        NoTransport,
    );
    failover(&client, "drill").expect_err("503");
    assert_eq!(mocks.calls::<FailoverGlobalCluster>(), 1);
}

#[test]
fn a_transport_failure_is_retried_like_one_from_the_transport() {
    let mocks = Mocks::new();
    mocks
        .on::<FailoverGlobalCluster>()
        .then_transport_error(TransportErrorKind::Connect)
        .then_output(failover_output("drill"));
    failover(&mocked(&mocks), "drill").expect("the second attempt's output");
    assert_eq!(mocks.calls::<FailoverGlobalCluster>(), 2);

    let mocks = Mocks::new();
    mocks
        .on::<FailoverGlobalCluster>()
        .then_transport_error(TransportErrorKind::Timeout);
    let error = failover(&mocked(&mocks), "drill").expect_err("a timeout every time");
    let SdkError::Transport(error) = error else {
        panic!("a transport error: {error:?}")
    };
    assert_eq!(error.kind(), TransportErrorKind::Timeout);
}

#[test]
fn a_sequence_gives_each_answer_in_turn_and_repeats_the_last() {
    let mocks = Mocks::new();
    let rule = mocks
        .on::<FailoverGlobalCluster>()
        .then_error(throttled)
        .times(2)
        .then_output(failover_output("first"))
        .then_output(failover_output("again"));
    let client = mocked(&mocks);
    // The first call is throttled twice and retried each time: three attempts, one output.
    assert_eq!(
        failover(&client, "drill").expect("the third attempt's output"),
        failover_output("first")
    );
    assert_eq!(rule.calls(), 3);
    for _ in 0..2 {
        assert_eq!(
            failover(&client, "drill").expect("the last answer"),
            failover_output("again")
        );
    }
    assert_eq!(rule.calls(), 5);
}

#[test]
fn a_rule_limited_by_times_is_used_up_and_the_next_rule_answers() {
    let mocks = Mocks::new();
    let first = mocks
        .on::<FailoverGlobalCluster>()
        .then_output(failover_output("first"))
        .times(1);
    let then = mocks
        .on::<FailoverGlobalCluster>()
        .then_output(failover_output("then"));
    let client = mocked(&mocks);
    assert_eq!(failover(&client, "a").unwrap(), failover_output("first"));
    assert_eq!(failover(&client, "b").unwrap(), failover_output("then"));
    assert_eq!(failover(&client, "c").unwrap(), failover_output("then"));
    assert_eq!((first.calls(), then.calls()), (1, 2));

    // Alone, a used-up rule leaves the next call unanswered.
    let mocks = Mocks::new();
    mocks
        .on::<FailoverGlobalCluster>()
        .then_output(failover_output("once"))
        .times(1);
    let client = mocked(&mocks);
    failover(&client, "a").expect("the one answer");
    let error = failover(&client, "b").expect_err("nothing left");
    assert!(
        error.to_string().ends_with("(1 rule for it, used up)"),
        "{error}"
    );
}

#[test]
fn an_unmatched_call_fails_at_once_naming_the_operation() {
    let mocks = Mocks::new();
    let rule = mocks
        .on::<FailoverGlobalCluster>()
        .matching(|input| input.global_cluster_identifier.as_deref() == Some("drill"))
        .then_output(failover_output("drill"));
    let client = mocked(&mocks);

    let error = failover(&client, "production").expect_err("no rule matches");
    let SdkError::Transport(transport) = &error else {
        panic!("a transport error: {error:?}")
    };
    let unanswered = std::error::Error::source(transport)
        .and_then(|source| source.downcast_ref::<Unanswered>())
        .expect("the source says why");
    assert_eq!(unanswered.operation(), "FailoverGlobalCluster");
    assert_eq!(
        error.to_string(),
        "the request was not answered: transport failed: no mock rule answers this call of \
         `FailoverGlobalCluster` (1 rule for it, not matching)"
    );
    assert_eq!(rule.calls(), 0);
    assert_eq!(mocks.calls::<FailoverGlobalCluster>(), 1, "not retried");
    assert_eq!(
        mocks.inputs::<FailoverGlobalCluster>()[0]
            .global_cluster_identifier
            .as_deref(),
        Some("production"),
        "unmatched calls are recorded too"
    );

    // An operation without rules.
    let error = block_on(client.describe_global_clusters().send()).expect_err("no rules");
    assert!(
        error.to_string().ends_with(
            "no mock rule answers this call of `DescribeGlobalClusters` (it has no rules)"
        ),
        "{error}"
    );
    assert_eq!(
        mocks.operations(),
        ["FailoverGlobalCluster", "DescribeGlobalClusters"]
    );
}

#[test]
fn unmatched_calls_can_go_on_to_the_transport() {
    let mocks = Mocks::new().send_unmatched();
    mocks
        .on::<FailoverGlobalCluster>()
        .matching(|input| input.global_cluster_identifier.as_deref() == Some("drill"))
        .then_error(not_found);
    let transport = CapturingTransport::new(Response::new(200, SUCCESS_200));
    let client = Client::new(pinned_config().with_mocks(mocks.clone()), &transport);

    failover(&client, "drill").expect_err("the mocked fault");
    assert!(
        transport.requests().is_empty(),
        "a mocked call sends nothing"
    );
    let output = failover(&client, "my-global").expect("the transport's answer");
    assert!(output.global_cluster.is_some());
    let request = transport.only_request();
    assert!(request.header("authorization").is_some(), "signed as usual");
    assert_eq!(mocks.calls::<FailoverGlobalCluster>(), 2);
}

#[test]
fn an_invalid_input_fails_before_the_mocks() {
    let mocks = Mocks::new();
    mocks
        .on::<FailoverGlobalCluster>()
        .then_output(failover_output("drill"));
    let client = mocked(&mocks);
    let error = block_on(
        client
            .failover_global_cluster()
            .global_cluster_identifier("drill")
            .send(),
    )
    .expect_err("TargetDbClusterIdentifier is required");
    assert!(
        matches!(error, SdkError::Build(BuildError::MissingMember { .. })),
        "{error:?}"
    );
    assert_eq!(mocks.calls::<FailoverGlobalCluster>(), 0);
}

#[test]
fn answers_built_from_the_input_page_a_listing() {
    let mocks = Mocks::new();
    mocks
        .on::<DescribeGlobalClusters>()
        .then_output_with(|input| match input.marker.as_deref() {
            None => describe_output(
                vec![global_cluster("one", "available", PRIMARY_ARN)],
                Some("2"),
            ),
            Some("2") => {
                describe_output(vec![global_cluster("two", "available", PRIMARY_ARN)], None)
            }
            Some(other) => panic!("unexpected marker {other}"),
        });
    let client = mocked(&mocks);
    let clusters = block_on(
        client
            .describe_global_clusters()
            .into_paginator()
            .items()
            .try_collect(),
    )
    .expect("two pages");
    let ids: Vec<_> = clusters
        .iter()
        .map(|cluster| cluster.global_cluster_identifier.as_deref())
        .collect();
    assert_eq!(ids, [Some("one"), Some("two")]);
    let markers: Vec<_> = mocks
        .inputs::<DescribeGlobalClusters>()
        .into_iter()
        .map(|input| input.marker)
        .collect();
    assert_eq!(markers, [None, Some(String::from("2"))]);
}

/// A disaster-recovery drill as a downstream crate would test it: switch over, then wait until the
/// target writes, with the waiter polling `DescribeGlobalClusters` through the mocks.
#[test]
fn a_switchover_drill_waits_for_the_new_writer() {
    let mocks = Mocks::new();
    mocks
        .on::<FailoverGlobalCluster>()
        .matching(|input| input.switchover == Some(true))
        .then_output(failover_output("drill"));
    let describe = mocks
        .on::<DescribeGlobalClusters>()
        .matching(|input| input.global_cluster_identifier.as_deref() == Some("drill"))
        .then_output(describe_output(
            vec![global_cluster("drill", "failing-over", PRIMARY_ARN)],
            None,
        ))
        .times(2)
        .then_output(describe_output(
            vec![global_cluster("drill", "available", TARGET_ARN)],
            None,
        ));
    let client = mocked(&mocks);

    failover(&client, "drill").expect("the switchover starts");
    let cluster = block_on(
        client
            .wait_until_failover_complete()
            .global_cluster_identifier("drill")
            .target_db_cluster_identifier(TARGET_ARN)
            .wait(Duration::from_secs(600)),
    )
    .expect("the target becomes the writer");
    assert_eq!(cluster.status.as_deref(), Some("available"));
    assert_eq!(
        describe.calls(),
        3,
        "two polls while failing over, then done"
    );
    assert_eq!(
        mocks.operations(),
        [
            "FailoverGlobalCluster",
            "DescribeGlobalClusters",
            "DescribeGlobalClusters",
            "DescribeGlobalClusters"
        ]
    );
}

#[test]
fn a_describe_fault_ends_the_wait() {
    let mocks = Mocks::new();
    mocks.on::<DescribeGlobalClusters>().then_error(|| {
        DescribeGlobalClustersError::GlobalClusterNotFoundFault(
            GlobalClusterNotFoundFault::default(),
        )
    });
    let error = block_on(
        mocked(&mocks)
            .wait_until_failover_complete()
            .global_cluster_identifier("gone")
            .target_db_cluster_identifier(TARGET_ARN)
            .wait(Duration::from_secs(600)),
    )
    .expect_err("the global database is gone");
    assert!(error.to_string().contains("gone"), "{error}");
    assert_eq!(mocks.calls::<DescribeGlobalClusters>(), 1);
}

#[test]
fn mocks_show_in_the_configuration() {
    let mocks = Mocks::new();
    mocks
        .on::<FailoverGlobalCluster>()
        .then_output(failover_output("drill"));
    let config = pinned_config().with_mocks(mocks);
    assert!(config.mocks().is_some());
    let printed = format!("{config:?}");
    assert!(
        printed.contains("mocks: Some(Mocks { operations: 1"),
        "{printed}"
    );
    assert!(
        Config::new(
            "us-east-1",
            neptune_client::Credentials::new("a", "b", None)
        )
        .mocks()
        .is_none()
    );
}
