//! `DescribeGlobalClusters` on the wire: the request boto3 sent to moto, moto's answer, and the
//! not-found fault.

use awsquery::http::Response;
use awsquery_protocol::operation::Operation;
use neptune_model::error::{DescribeGlobalClustersError, Error};
use neptune_model::types::DescribeGlobalClustersInput;
use neptune_protocol::DescribeGlobalClusters;
use neptune_tests::{DESCRIBE_MOTO_200, NOT_FOUND_404};

#[test]
fn identifier_filter_gives_the_boto3_body() {
    let mut input = DescribeGlobalClustersInput::default();
    input.global_cluster_identifier = Some(String::from("neptune-gdb-1"));
    let request =
        <DescribeGlobalClusters as Operation>::serialize(&input).expect("no required member");
    assert_eq!(
        request.body,
        b"Action=DescribeGlobalClusters&Version=2014-10-31&GlobalClusterIdentifier=neptune-gdb-1"
    );
    assert_eq!(request.body.len(), 86, "boto3 sent content-length 86");
}

#[test]
fn page_size_and_marker_follow_the_identifier() {
    let mut input = DescribeGlobalClustersInput::default();
    input.marker = Some(String::from("next+page/=="));
    input.max_records = Some(20);
    input.global_cluster_identifier = Some(String::from("g"));
    let request =
        <DescribeGlobalClusters as Operation>::serialize(&input).expect("no required member");
    assert_eq!(
        std::str::from_utf8(&request.body).unwrap(),
        "Action=DescribeGlobalClusters&Version=2014-10-31&GlobalClusterIdentifier=g&MaxRecords=20&Marker=next%2Bpage%2F%3D%3D"
    );
}

#[test]
fn moto_answer_is_read_and_unknown_elements_are_skipped() {
    let response = Response::new(200, DESCRIBE_MOTO_200);
    let output = <DescribeGlobalClusters as Operation>::deserialize(&response).expect("a success");
    assert_eq!(output.marker, None);
    let clusters = output.global_clusters.expect("a list");
    assert_eq!(clusters.len(), 1);
    let cluster = &clusters[0];
    assert_eq!(
        cluster.global_cluster_identifier.as_deref(),
        Some("neptune-gdb-1")
    );
    assert_eq!(cluster.status.as_deref(), Some("available"));
    assert_eq!(cluster.engine_version.as_deref(), Some("1.3.2.1"));
    assert_eq!(cluster.failover_state, None);
    let members = cluster.global_cluster_members.as_deref().expect("members");
    let writers: Vec<_> = members
        .iter()
        .map(|m| (m.db_cluster_arn.as_deref().unwrap(), m.is_writer))
        .collect();
    assert_eq!(
        writers,
        [
            (
                "arn:aws:rds:us-east-1:123456789012:cluster:primary-east",
                Some(true)
            ),
            (
                "arn:aws:rds:us-west-2:123456789012:cluster:secondary-west",
                Some(false)
            ),
        ]
    );
    assert_eq!(
        members[1].readers,
        Some(vec![]),
        "<Readers/> is an empty list"
    );
}

#[test]
fn not_found_is_the_modeled_fault_and_converts_to_the_service_error() {
    let response = Response::new(404, NOT_FOUND_404);
    let error = <DescribeGlobalClusters as Operation>::deserialize(&response).expect_err("a 404");
    let DescribeGlobalClustersError::GlobalClusterNotFoundFault(fault) = &error else {
        panic!("expected GlobalClusterNotFoundFault, got {error:#?}");
    };
    assert_eq!(fault.message(), Some("Global cluster my-global not found"));
    assert_eq!(error.meta().status, 404);
    assert!(matches!(
        Error::from(error),
        Error::GlobalClusterNotFoundFault(_)
    ));
}
