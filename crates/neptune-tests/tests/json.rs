//! The parsed 200 responses written as the AWS CLI v2 prints them with `--output json` (the model
//! crate's `json` feature).

use awsquery::http::Response;
use awsquery_protocol::operation::Operation;
use awsquery_types::json::to_string;
use neptune_protocol::{DescribeGlobalClusters, FailoverGlobalCluster};
use neptune_tests::{DESCRIBE_MOTO_200, SUCCESS_200};

fn failover_json(body: &[u8]) -> String {
    let output = <FailoverGlobalCluster as Operation>::deserialize(&Response::new(200, body))
        .expect("a success");
    to_string(&output)
}

fn describe_json(body: &[u8]) -> String {
    let output = <DescribeGlobalClusters as Operation>::deserialize(&Response::new(200, body))
        .expect("a success");
    to_string(&output)
}

/// The captured FailoverGlobalCluster success, key for key as the AWS CLI prints it.
#[test]
fn failover_success_prints_as_the_cli_does() {
    let expected = r#"{
    "GlobalCluster": {
        "GlobalClusterIdentifier": "my-global",
        "GlobalClusterResourceId": "cluster-abc",
        "GlobalClusterArn": "arn:aws:rds::123456789012:global-cluster:my-global",
        "Status": "failing-over",
        "Engine": "neptune",
        "EngineVersion": "1.2.0.0",
        "StorageEncrypted": true,
        "DeletionProtection": false,
        "GlobalClusterMembers": [
            {
                "DBClusterArn": "arn:aws:rds:us-east-1:123456789012:cluster:primary",
                "Readers": [
                    "arn:aws:rds:us-west-2:123456789012:cluster:secondary"
                ],
                "IsWriter": true
            },
            {
                "DBClusterArn": "arn:aws:rds:us-west-2:123456789012:cluster:secondary",
                "Readers": [],
                "IsWriter": false
            }
        ]
    }
}"#;
    assert_eq!(failover_json(SUCCESS_200), expected);
}

#[test]
fn moto_describe_global_clusters() {
    insta::assert_snapshot!(describe_json(DESCRIBE_MOTO_200));
}

#[test]
fn failover_state_and_unknown_values_print_as_they_came() {
    let body = r#"<FailoverGlobalClusterResponse><FailoverGlobalClusterResult><GlobalCluster>
        <GlobalClusterIdentifier>café-graph</GlobalClusterIdentifier>
        <Status>switching-over</Status>
        <FailoverState>
          <Status>finalizing</Status>
          <FromDbClusterArn>arn:aws:rds:us-east-1:123456789012:cluster:primary</FromDbClusterArn>
          <IsDataLossAllowed>false</IsDataLossAllowed>
        </FailoverState>
    </GlobalCluster></FailoverGlobalClusterResult></FailoverGlobalClusterResponse>"#;
    insta::assert_snapshot!(failover_json(body.as_bytes()));
}

#[test]
fn a_page_with_a_marker_and_an_empty_list() {
    let body = "<DescribeGlobalClustersResponse><DescribeGlobalClustersResult>\
                <GlobalClusters/><Marker>next \"page\"</Marker>\
                </DescribeGlobalClustersResult></DescribeGlobalClustersResponse>";
    assert_eq!(
        describe_json(body.as_bytes()),
        "{\n    \"Marker\": \"next \\\"page\\\"\",\n    \"GlobalClusters\": []\n}",
        "model order (Marker first), whatever the order on the wire"
    );
}

#[test]
fn an_output_without_members_is_an_empty_object() {
    let body = "<FailoverGlobalClusterResponse><FailoverGlobalClusterResult/>\
                </FailoverGlobalClusterResponse>";
    assert_eq!(failover_json(body.as_bytes()), "{}");
}
