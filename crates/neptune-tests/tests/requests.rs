//! Request bodies written by `neptune_protocol::FailoverGlobalCluster`, checked against what
//! aws-sdk-neptune sends.

use std::fmt::Write as _;

use awsquery::BuildError;
use awsquery::http::Request;
use awsquery_protocol::operation::Operation;
use neptune_model::types::FailoverGlobalClusterInput;
use neptune_protocol::FailoverGlobalCluster;

/// The body aws-sdk-neptune 1.124.0 sends for the call captured in
/// `wire/failover_global_cluster.request.aws-sdk-rust.txt`.
const SDK_BODY: &str = "Action=FailoverGlobalCluster&Version=2014-10-31&GlobalClusterIdentifier=my-global&TargetDbClusterIdentifier=arn%3Aaws%3Ards%3Aus-west-2%3A123456789012%3Acluster%3Asecondary";

const TARGET_ARN: &str = "arn:aws:rds:us-west-2:123456789012:cluster:secondary";

fn input(global: Option<&str>, target: Option<&str>) -> FailoverGlobalClusterInput {
    let mut input = FailoverGlobalClusterInput::default();
    input.global_cluster_identifier = global.map(str::to_owned);
    input.target_db_cluster_identifier = target.map(str::to_owned);
    input
}

fn serialize(input: &FailoverGlobalClusterInput) -> Request {
    <FailoverGlobalCluster as Operation>::serialize(input).expect("the input is complete")
}

fn body_text(request: &Request) -> &str {
    std::str::from_utf8(&request.body).expect("the body is ASCII")
}

/// The request line, the headers, the body as sent, then the body's fields one per line.
fn render(request: &Request) -> String {
    let mut out = format!("{} {}\n", request.method, request.uri);
    for (name, value) in &request.headers {
        writeln!(out, "{name}: {value}").unwrap();
    }
    let body = body_text(request);
    writeln!(out, "\n{body}\n\nfields:").unwrap();
    for field in body.split('&') {
        writeln!(out, "  {field}").unwrap();
    }
    out
}

#[test]
fn sdk_fixture_input_gives_the_sdk_body() {
    let request = serialize(&input(Some("my-global"), Some(TARGET_ARN)));
    assert_eq!(body_text(&request), SDK_BODY);
    assert_eq!(request.body, SDK_BODY.as_bytes());
    assert_eq!(request.body.len(), 172, "the SDK sent content-length 172");
    assert_eq!(request.header("content-length"), Some("172"));
    assert_eq!(request.method, "POST");
    assert_eq!(request.uri, "/");
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    insta::assert_snapshot!(render(&request));
}

#[test]
fn boto3_fixture_input_gives_the_boto3_body() {
    let request = serialize(&input(
        Some("neptune-gdb-1"),
        Some("arn:aws:rds:us-west-2:123456789012:cluster:secondary-west"),
    ));
    assert_eq!(
        body_text(&request),
        "Action=FailoverGlobalCluster&Version=2014-10-31&GlobalClusterIdentifier=neptune-gdb-1&TargetDbClusterIdentifier=arn%3Aaws%3Ards%3Aus-west-2%3A123456789012%3Acluster%3Asecondary-west"
    );
    assert_eq!(request.body.len(), 181, "boto3 sent content-length 181");
}

#[test]
fn allow_data_loss() {
    let mut input = input(Some("my-global"), Some(TARGET_ARN));
    input.allow_data_loss = Some(true);
    let request = serialize(&input);
    assert_eq!(
        body_text(&request),
        format!("{SDK_BODY}&AllowDataLoss=true")
    );
    insta::assert_snapshot!(render(&request));
}

#[test]
fn switchover_false_is_sent() {
    let mut input = input(Some("my-global"), Some(TARGET_ARN));
    input.switchover = Some(false);
    let request = serialize(&input);
    assert_eq!(body_text(&request), format!("{SDK_BODY}&Switchover=false"));
    insta::assert_snapshot!(render(&request));
}

#[test]
fn both_flags_keep_the_model_order() {
    let mut input = input(Some("my-global"), Some(TARGET_ARN));
    input.switchover = Some(true);
    input.allow_data_loss = Some(false);
    let request = serialize(&input);
    assert_eq!(
        body_text(&request),
        format!("{SDK_BODY}&AllowDataLoss=false&Switchover=true")
    );
}

#[test]
fn identifiers_are_percent_encoded() {
    let request = serialize(&input(
        Some("my global&x=1+2/3:4~5"),
        Some("arn:aws:rds:eu-west-3:123456789012:cluster:café-日本"),
    ));
    assert_eq!(
        body_text(&request),
        "Action=FailoverGlobalCluster&Version=2014-10-31\
         &GlobalClusterIdentifier=my%20global%26x%3D1%2B2%2F3%3A4~5\
         &TargetDbClusterIdentifier=arn%3Aaws%3Ards%3Aeu-west-3%3A123456789012%3Acluster%3Acaf%C3%A9-%E6%97%A5%E6%9C%AC"
    );
    insta::assert_snapshot!(render(&request));
}

#[test]
fn empty_identifiers_are_sent_empty() {
    let request = serialize(&input(Some(""), Some("")));
    assert_eq!(
        body_text(&request),
        "Action=FailoverGlobalCluster&Version=2014-10-31&GlobalClusterIdentifier=&TargetDbClusterIdentifier="
    );
}

#[test]
fn missing_global_cluster_identifier() {
    let error = <FailoverGlobalCluster as Operation>::serialize(&input(None, Some(TARGET_ARN)))
        .expect_err("GlobalClusterIdentifier is required");
    assert_eq!(
        error,
        BuildError::MissingMember {
            shape: "FailoverGlobalClusterInput",
            member: "GlobalClusterIdentifier",
        }
    );
    assert_eq!(
        error.to_string(),
        "`FailoverGlobalClusterInput` is missing its required member `GlobalClusterIdentifier`"
    );
}

#[test]
fn missing_target_db_cluster_identifier() {
    let error = <FailoverGlobalCluster as Operation>::serialize(&input(Some("my-global"), None))
        .expect_err("TargetDbClusterIdentifier is required");
    assert_eq!(
        error,
        BuildError::missing("FailoverGlobalClusterInput", "TargetDbClusterIdentifier")
    );
    assert_eq!(
        error.to_string(),
        "`FailoverGlobalClusterInput` is missing its required member `TargetDbClusterIdentifier`"
    );
}

#[test]
fn optional_members_do_not_replace_required_ones() {
    let mut input = input(None, None);
    input.allow_data_loss = Some(true);
    input.switchover = Some(false);
    let error = <FailoverGlobalCluster as Operation>::serialize(&input)
        .expect_err("both identifiers are missing");
    assert_eq!(
        error,
        BuildError::missing("FailoverGlobalClusterInput", "GlobalClusterIdentifier")
    );
}

#[test]
fn operation_name_and_version() {
    assert_eq!(
        <FailoverGlobalCluster as Operation>::NAME,
        "FailoverGlobalCluster"
    );
    assert_eq!(neptune_protocol::API_VERSION, "2014-10-31");
}

/// An input's builder checks its required members as the serializer does, in model order, and
/// builds the same input as field assignment.
#[test]
fn builders_check_required_members() {
    let error = FailoverGlobalClusterInput::builder()
        .target_db_cluster_identifier(TARGET_ARN)
        .build()
        .expect_err("GlobalClusterIdentifier is required");
    assert_eq!(
        error,
        BuildError::missing("FailoverGlobalClusterInput", "GlobalClusterIdentifier")
    );
    let error = FailoverGlobalClusterInput::builder()
        .switchover(true)
        .build()
        .expect_err("both identifiers are missing");
    assert_eq!(
        error,
        BuildError::missing("FailoverGlobalClusterInput", "GlobalClusterIdentifier")
    );
    let built = FailoverGlobalClusterInput::builder()
        .global_cluster_identifier("my-global")
        .target_db_cluster_identifier(TARGET_ARN)
        .build()
        .expect("both identifiers are set");
    assert_eq!(built, input(Some("my-global"), Some(TARGET_ARN)));
    assert_eq!(body_text(&serialize(&built)), SDK_BODY);
}

/// A structure with no required member builds as it is.
#[test]
fn builders_without_required_members_build_directly() {
    let input = neptune_model::types::DescribeGlobalClustersInput::builder()
        .global_cluster_identifier("my-global")
        .max_records(20)
        .build();
    assert_eq!(
        input.global_cluster_identifier.as_deref(),
        Some("my-global")
    );
    assert_eq!(input.max_records, Some(20));
}
