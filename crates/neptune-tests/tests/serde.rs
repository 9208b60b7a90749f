//! The model crates' `serde` feature: outputs parsed from captured responses, and values of every
//! kind of shape, serialized to JSON and read back unchanged, under the model's member names.

use std::collections::BTreeMap;
use std::path::Path;

use awsquery::DateTime;
use awsquery::http::Response;
use awsquery_protocol::operation::Operation;
use neptune_model::types::{
    DescribeGlobalClustersOutput, FailoverGlobalClusterInput, FailoverGlobalClusterOutput,
    FailoverState, FailoverStatus,
};
use neptune_protocol::{DescribeGlobalClusters, FailoverGlobalCluster};
use neptune_tests::{DESCRIBE_MOTO_200, SUCCESS_200};
use query_protocol_model::types::{
    FooEnum, GreetingStruct, IntegerEnum, RecursiveXmlShapesOutput,
    RecursiveXmlShapesOutputNested1, RecursiveXmlShapesOutputNested2, XmlBlobsOutput,
    XmlListsOutput, XmlMapsOutput, XmlTimestampsOutput,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Serializes `value`, checks that reading the JSON back gives `value`, and returns the JSON.
fn round_trip<T>(value: &T) -> serde_json::Value
where
    T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let text = serde_json::to_string(value).expect("serializes");
    let back: T = serde_json::from_str(&text).expect("reads back");
    assert_eq!(&back, value, "{text}");
    serde_json::from_str(&text).expect("JSON")
}

#[test]
fn captured_responses_round_trip_under_the_models_names() {
    let response = Response::new(200, SUCCESS_200).with_header("x-amzn-requestid", "a1b2c3");
    let output = FailoverGlobalCluster::deserialize(&response).expect("the wire fixture");
    let json = round_trip(&output);
    let cluster = &json["GlobalCluster"];
    assert_eq!(cluster["GlobalClusterIdentifier"], "my-global");
    assert_eq!(cluster["StorageEncrypted"], true);
    assert_eq!(cluster["FailoverState"], serde_json::Value::Null);
    let members = cluster["GlobalClusterMembers"].as_array().expect("a list");
    assert_eq!(members.len(), 2);
    assert_eq!(
        members[0]["DBClusterArn"],
        "arn:aws:rds:us-east-1:123456789012:cluster:primary"
    );
    assert_eq!(members[1]["Readers"], serde_json::json!([]));
    assert_eq!(json["ResponseMetadata"]["RequestId"], "a1b2c3");

    let response = Response::new(200, DESCRIBE_MOTO_200);
    let output = DescribeGlobalClusters::deserialize(&response).expect("the moto fixture");
    let json = round_trip(&output);
    assert_eq!(
        json["GlobalClusters"][0]["GlobalClusterIdentifier"],
        "neptune-gdb-1"
    );
    assert_eq!(
        json["ResponseMetadata"]["RequestId"],
        "wSxlArDWyLfS9eK5tMa3b2oREovdnHccZ06Ui7WpvnPOupUk3uYi"
    );
}

/// The captures of `../shared/fixtures` beside the repository, when they are there.
#[test]
fn shared_fixtures_round_trip() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures");
    if !dir.is_dir() {
        println!("skipping: ../shared/fixtures not found");
        return;
    }
    let read = |path: &str| std::fs::read(dir.join(path)).expect("a fixture");
    let failover = Response::new(200, read("wire/failover_global_cluster.200.xml"));
    round_trip(&FailoverGlobalCluster::deserialize(&failover).expect("a success"));
    let describe = Response::new(
        200,
        read("moto/describe_global_clusters_after.response.body"),
    );
    round_trip(&DescribeGlobalClusters::deserialize(&describe).expect("a success"));
}

#[test]
fn enums_are_their_wire_strings_and_unknown_values_survive() {
    let mut state = FailoverState::default();
    state.status = Some(FailoverStatus::FailingOver);
    state.is_data_loss_allowed = Some(false);
    let json = round_trip(&state);
    assert_eq!(json["Status"], "failing-over");
    assert_eq!(json["IsDataLossAllowed"], false);

    state.status = Some(FailoverStatus::from("paused-by-a-later-api"));
    assert_eq!(round_trip(&state)["Status"], "paused-by-a-later-api");

    // Missing members read as unset; unknown members are ignored.
    let read: FailoverState =
        serde_json::from_str(r#"{"Status":"pending","Later":1}"#).expect("reads");
    assert_eq!(read.status, Some(FailoverStatus::Pending));
    assert_eq!(read.from_db_cluster_arn, None);
    assert!(serde_json::from_str::<FailoverState>(r#"{"Status":7}"#).is_err());
}

#[test]
fn inputs_and_empty_outputs_round_trip() {
    let input = FailoverGlobalClusterInput::builder()
        .global_cluster_identifier("my-global")
        .target_db_cluster_identifier("arn:aws:rds:us-west-2:123456789012:cluster:secondary")
        .switchover(true)
        .build()
        .expect("complete");
    let json = round_trip(&input);
    assert_eq!(json["Switchover"], true);
    assert_eq!(json["AllowDataLoss"], serde_json::Value::Null);
    let empty = round_trip(&DescribeGlobalClustersOutput::default());
    assert_eq!(empty["ResponseMetadata"], serde_json::Value::Null);
    round_trip(&FailoverGlobalClusterOutput::default());
}

/// Shapes the Neptune model lacks, from the awsQuery protocol test suite's model crate: blobs,
/// timestamps, maps, lists of lists, int enums and recursive structures.
#[test]
fn every_kind_of_shape_round_trips() {
    let mut blobs = XmlBlobsOutput::default();
    blobs.data = Some(vec![0, 159, 255]);
    blobs.set_request_id(Some(String::from("req-blob")));
    let json = round_trip(&blobs);
    assert_eq!(json["data"], "AJ//");
    assert_eq!(json["ResponseMetadata"]["RequestId"], "req-blob");

    let mut times = XmlTimestampsOutput::default();
    times.normal = Some(DateTime::from_secs_and_nanos(1_398_796_238, 123_456_789));
    times.epoch_seconds = Some(DateTime::from_secs(-1));
    let json = round_trip(&times);
    assert_eq!(json["normal"], "2014-04-29T18:30:38.123456789Z");
    assert_eq!(json["epochSeconds"], "1969-12-31T23:59:59Z");

    let mut maps = XmlMapsOutput::default();
    let mut greeting = GreetingStruct::default();
    greeting.hi = Some(String::from("there"));
    maps.my_map = Some(BTreeMap::from([(String::from("foo"), greeting)]));
    assert_eq!(round_trip(&maps)["myMap"]["foo"]["hi"], "there");

    let mut lists = XmlListsOutput::default();
    lists.nested_string_list = Some(vec![vec![String::from("a")], Vec::new()]);
    lists.timestamp_list = Some(vec![DateTime::from_secs(0)]);
    lists.enum_list = Some(vec![FooEnum::Foo, FooEnum::from("Qux")]);
    lists.int_enum_list = Some(vec![IntegerEnum::A, IntegerEnum::from(9)]);
    let json = round_trip(&lists);
    assert_eq!(json["nestedStringList"], serde_json::json!([["a"], []]));
    assert_eq!(json["enumList"], serde_json::json!(["Foo", "Qux"]));
    assert_eq!(json["intEnumList"], serde_json::json!([1, 9]));

    let mut inner = RecursiveXmlShapesOutputNested2::default();
    inner.bar = Some(String::from("Bar1"));
    let mut leaf = RecursiveXmlShapesOutputNested1::default();
    leaf.foo = Some(String::from("Foo2"));
    inner.recursive_member = Some(Box::new(leaf));
    let mut outer = RecursiveXmlShapesOutputNested1::default();
    outer.foo = Some(String::from("Foo1"));
    outer.nested = Some(Box::new(inner));
    let mut recursive = RecursiveXmlShapesOutput::default();
    recursive.nested = Some(outer);
    let json = round_trip(&recursive);
    assert_eq!(json["nested"]["nested"]["recursiveMember"]["foo"], "Foo2");
}
