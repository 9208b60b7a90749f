//! The disaster-recovery drill as a project would unit-test it: the client answered by typed test
//! doubles (`awsquery::mock`, feature `test-util`) built from the generated types, instead of a
//! server. No XML, no socket, and the waits take no time.

use std::time::Duration;

use awsquery::error::ErrorMetadata;
use awsquery::mock::{Mocks, NoTransport};
use neptune_client::error::{FailoverGlobalClusterError, InvalidGlobalClusterStateFault};
use neptune_client::types::{
    DescribeGlobalClustersOutput, FailoverGlobalClusterOutput, GlobalCluster, GlobalClusterMember,
};
use neptune_client::{Client, Config, Credentials};
use neptune_protocol::{DescribeGlobalClusters, FailoverGlobalCluster};

#[allow(dead_code)] // its `main`
#[path = "../dr_drill.rs"]
mod dr_drill;

use dr_drill::Drill;

const PRIMARY: &str = "arn:aws:rds:us-east-1:123456789012:cluster:primary";
const SECONDARY: &str = "arn:aws:rds:us-west-2:123456789012:cluster:secondary";

/// `DescribeGlobalClusters`' answer: `drill` in `status`, `writer` writing, the other a reader.
fn described(status: &str, writer: &str) -> DescribeGlobalClustersOutput {
    let member = |arn: &str| {
        let mut member = GlobalClusterMember::default();
        member.db_cluster_arn = Some(arn.to_owned());
        member.is_writer = Some(arn == writer);
        member
    };
    let mut cluster = GlobalCluster::default();
    cluster.global_cluster_identifier = Some(String::from("drill"));
    cluster.status = Some(status.to_owned());
    cluster.global_cluster_members = Some(vec![member(PRIMARY), member(SECONDARY)]);
    let mut output = DescribeGlobalClustersOutput::default();
    output.global_clusters = Some(vec![cluster]);
    output
}

fn drill() -> Drill {
    Drill::from_args([String::from("drill")]).expect("a global database named")
}

fn client(mocks: &Mocks) -> Client<NoTransport> {
    let config = Config::new(
        "us-east-1",
        Credentials::new("AKIDTEST", "test-secret", None),
    )
    .with_mocks(mocks.clone());
    Client::new(config, NoTransport)
}

#[tokio::test]
async fn the_drill_switches_over_to_the_secondary_and_checks_the_new_writer() {
    let mocks = Mocks::new();
    let describe = mocks
        .on::<DescribeGlobalClusters>()
        .matching(|input| input.global_cluster_identifier.as_deref() == Some("drill"))
        .then_output(described("available", PRIMARY))
        .then_output(described("switching-over", PRIMARY))
        .times(2)
        .then_output(described("available", SECONDARY));
    let failover = mocks
        .on::<FailoverGlobalCluster>()
        .then_status(503)
        .then_output(FailoverGlobalClusterOutput::default());

    let report = drill()
        .run(&client(&mocks))
        .await
        .expect("the drill succeeds");

    assert_eq!(report.mode, "switchover");
    assert_eq!(report.old_writer, PRIMARY);
    assert_eq!(report.new_writer, SECONDARY);
    assert_eq!(failover.calls(), 2, "the 503 was retried");
    let [first, retried] = &mocks.inputs::<FailoverGlobalCluster>()[..] else {
        panic!("two attempts")
    };
    assert_eq!(first, retried);
    assert_eq!(
        first.target_db_cluster_identifier.as_deref(),
        Some(SECONDARY),
        "the secondary is promoted"
    );
    assert_eq!(first.switchover, Some(true));
    assert_eq!(first.allow_data_loss, None);
    // One description before, two polls while switching over, the one that ends the wait, and
    // the drill's own check.
    assert_eq!(describe.calls(), 5);
}

#[tokio::test]
async fn a_refused_switchover_ends_the_drill_before_any_wait() {
    let mocks = Mocks::new();
    mocks
        .on::<DescribeGlobalClusters>()
        .then_output(described("available", PRIMARY));
    mocks.on::<FailoverGlobalCluster>().then_error(|| {
        let mut fault = InvalidGlobalClusterStateFault::default();
        fault.message = Some(String::from("drill is being modified"));
        fault.meta = ErrorMetadata::with_status(400);
        fault.meta.code = Some(String::from(InvalidGlobalClusterStateFault::CODE));
        FailoverGlobalClusterError::InvalidGlobalClusterStateFault(fault)
    });

    let error = drill()
        .run(&client(&mocks))
        .await
        .expect_err("the switchover is refused");

    assert!(
        error.to_string().contains("drill is being modified"),
        "{error}"
    );
    assert_eq!(
        mocks.calls::<FailoverGlobalCluster>(),
        1,
        "a fault is not retried"
    );
    assert_eq!(mocks.calls::<DescribeGlobalClusters>(), 1, "no wait");
}

#[tokio::test]
async fn a_drill_that_never_settles_times_out() {
    let mocks = Mocks::new();
    mocks
        .on::<DescribeGlobalClusters>()
        .then_output(described("available", PRIMARY))
        .then_output(described("switching-over", PRIMARY));
    mocks
        .on::<FailoverGlobalCluster>()
        .then_output(FailoverGlobalClusterOutput::default());
    let mut drill = drill();
    drill.timeout = Duration::from_secs(120);

    let error = drill
        .run(&client(&mocks))
        .await
        .expect_err("still switching over after two minutes (of the transport's clock)");

    assert!(
        error.to_string().starts_with("gave up waiting after 120s"),
        "{error}"
    );
    let operations = mocks.operations();
    assert_eq!(
        operations[..2],
        ["DescribeGlobalClusters", "FailoverGlobalCluster"]
    );
    assert!(
        operations[2..]
            .iter()
            .all(|op| *op == "DescribeGlobalClusters"),
        "then only polls: {operations:?}"
    );
    assert!(operations.len() > 3, "{operations:?}");
}
