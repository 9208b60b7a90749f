//! A unit test outside the repository, written as the README's "Test doubles" section shows (the
//! same code): the client answered by typed mocks. `.ci/run` copies it into the crate built from
//! `main.rs` beside it and runs `cargo test` there.

use std::time::Duration;

use awsquery::mock::{Mocks, NoTransport};
use neptune_client::types::{
    DescribeGlobalClustersOutput, FailoverGlobalClusterOutput, GlobalCluster, GlobalClusterMember,
};
use neptune_client::{Client, Config, Credentials, Transport};
use neptune_protocol::{DescribeGlobalClusters, FailoverGlobalCluster};

const TARGET: &str = "arn:aws:rds:us-west-2:123456789012:cluster:secondary";

/// The code under test: switch over to `target`, then wait until it writes.
async fn drill<T: Transport>(
    client: &Client<T>,
    id: &str,
    target: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    client
        .failover_global_cluster()
        .global_cluster_identifier(id)
        .target_db_cluster_identifier(target)
        .switchover(true)
        .send()
        .await?;
    client
        .wait_until_failover_complete()
        .global_cluster_identifier(id)
        .target_db_cluster_identifier(target)
        .wait(Duration::from_secs(1800))
        .await?;
    Ok(())
}

fn described(status: &str, target_writes: bool) -> DescribeGlobalClustersOutput {
    let mut member = GlobalClusterMember::default();
    member.db_cluster_arn = Some(TARGET.to_owned());
    member.is_writer = Some(target_writes);
    let mut cluster = GlobalCluster::default();
    cluster.global_cluster_identifier = Some("drill".to_owned());
    cluster.status = Some(status.to_owned());
    cluster.global_cluster_members = Some(vec![member]);
    let mut output = DescribeGlobalClustersOutput::default();
    output.global_clusters = Some(vec![cluster]);
    output
}

#[tokio::test]
async fn the_drill_switches_over_and_waits_for_the_new_writer() {
    let mocks = Mocks::new();
    let failover = mocks
        .on::<FailoverGlobalCluster>()
        .matching(|input| input.switchover == Some(true))
        .then_status(503) // retried by the client
        .then_output(FailoverGlobalClusterOutput::default());
    mocks
        .on::<DescribeGlobalClusters>()
        .then_output(described("failing-over", false))
        .times(2)
        .then_output(described("available", true));
    let config = Config::new("us-east-1", Credentials::new("AKID", "secret", None))
        .with_mocks(mocks.clone());
    let client = Client::new(config, NoTransport);

    drill(&client, "drill", TARGET).await.unwrap();

    assert_eq!(failover.calls(), 2);
    assert_eq!(mocks.calls::<DescribeGlobalClusters>(), 3);
    assert_eq!(
        mocks.inputs::<FailoverGlobalCluster>()[0]
            .target_db_cluster_identifier
            .as_deref(),
        Some(TARGET)
    );
}
