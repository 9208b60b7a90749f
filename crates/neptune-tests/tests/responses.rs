//! Responses read by `neptune_protocol::FailoverGlobalCluster`: real AWS responses, captures from
//! moto (most of them answers to other operations, which must become typed errors), and
//! hand-written edge cases.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use awsquery::http::Response;
use awsquery_protocol::operation::Operation;
use neptune_model::error::FailoverGlobalClusterError;
use neptune_model::types::{FailoverGlobalClusterOutput, FailoverStatus, GlobalClusterMember};
use neptune_protocol::FailoverGlobalCluster;

type Parsed = Result<FailoverGlobalClusterOutput, FailoverGlobalClusterError>;

fn parse(response: &Response) -> Parsed {
    <FailoverGlobalCluster as Operation>::deserialize(response)
}

/// The shared fixtures beside the repository, or `None` (after saying so) when they are absent.
fn shared_fixtures() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!(
            "skipping: ../shared/fixtures not found (it holds captured AWS traffic and sits beside the repository in CI)"
        );
        None
    }
}

/// A file copied into `tests/data` (see the README there).
fn local(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The status and headers of a moto capture's `.response.meta.txt`: an `HTTP NNN` line, then
/// `Name: value` lines up to the first blank or `#` line.
fn parse_meta(text: &str) -> (u16, Vec<(String, String)>) {
    let mut lines = text.lines();
    let first = lines.next().expect("a status line");
    let status = first
        .strip_prefix("HTTP ")
        .and_then(|rest| rest.trim().parse().ok())
        .unwrap_or_else(|| panic!("not a status line: {first:?}"));
    let headers = lines
        .take_while(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| {
            let (name, value) = line
                .split_once(':')
                .unwrap_or_else(|| panic!("not a header line: {line:?}"));
            (name.trim().to_owned(), value.trim().to_owned())
        })
        .collect();
    (status, headers)
}

/// The moto capture `NAME` as a response: status and headers from its meta file, and its body.
fn moto_response(moto: &Path, name: &str) -> Response {
    let meta_path = moto.join(format!("{name}.response.meta.txt"));
    let meta =
        fs::read_to_string(&meta_path).unwrap_or_else(|e| panic!("{}: {e}", meta_path.display()));
    let (status, headers) = parse_meta(&meta);
    let body = fs::read(moto.join(format!("{name}.response.body"))).expect("the body");
    Response {
        status,
        headers,
        body,
    }
}

/// The result as text: status, the error's Display and source when it is one, then `{:#?}`.
fn render(response: &Response, result: &Parsed) -> String {
    let mut out = format!("status: {}\n", response.status);
    if let Err(error) = result {
        writeln!(out, "display: {error}").unwrap();
        if let Some(source) = std::error::Error::source(error) {
            writeln!(out, "source: {source}").unwrap();
        }
    }
    write!(out, "\n{result:#?}").unwrap();
    out
}

fn unhandled(result: Parsed) -> awsquery::Unhandled {
    match result {
        Err(FailoverGlobalClusterError::Unhandled(e)) => e,
        other => panic!("expected Unhandled, got {other:#?}"),
    }
}

fn member(output: &FailoverGlobalClusterOutput, index: usize) -> &GlobalClusterMember {
    &output
        .global_cluster
        .as_ref()
        .expect("a global cluster")
        .global_cluster_members
        .as_ref()
        .expect("members")[index]
}

#[test]
fn wire_fixtures() {
    let Some(fixtures) = shared_fixtures() else {
        return;
    };
    for (file, status) in [
        ("failover_global_cluster.200.xml", 200),
        ("failover_global_cluster.404.xml", 404),
    ] {
        let body = fs::read(fixtures.join("wire").join(file)).expect("the fixture");
        let response = Response::new(status, body);
        let result = parse(&response);
        assert_eq!(result.is_ok(), status == 200, "{file}: {result:#?}");
        let name = format!("wire_{}", file.replace('.', "_"));
        insta::assert_snapshot!(name, render(&response, &result));
    }
}

#[test]
fn moto_fixtures() {
    let Some(fixtures) = shared_fixtures() else {
        return;
    };
    let moto = fixtures.join("moto");
    let mut names: Vec<String> = fs::read_dir(&moto)
        .expect("the moto folder")
        .map(|entry| entry.expect("a directory entry").file_name())
        .filter_map(|name| {
            name.to_str()?
                .strip_suffix(".response.body")
                .map(str::to_owned)
        })
        .collect();
    names.sort();
    assert!(names.len() >= 8, "moto captures: {names:?}");
    for name in names {
        let response = moto_response(&moto, &name);
        let result = parse(&response);
        // None of these is a FailoverGlobalCluster success: each must be a typed error with the
        // status of the response.
        let error = result
            .as_ref()
            .expect_err("not a FailoverGlobalCluster success");
        assert_eq!(error.meta().status, response.status, "{name}");
        insta::assert_snapshot!(format!("moto_{name}"), render(&response, &result));
    }
}

#[test]
fn success_200() {
    let response = Response::new(200, local("failover_global_cluster.200.xml"));
    let output = parse(&response).expect("a success");
    let cluster = output.global_cluster.as_ref().expect("a global cluster");
    assert_eq!(
        cluster.global_cluster_identifier.as_deref(),
        Some("my-global")
    );
    assert_eq!(
        cluster.global_cluster_resource_id.as_deref(),
        Some("cluster-abc")
    );
    assert_eq!(
        cluster.global_cluster_arn.as_deref(),
        Some("arn:aws:rds::123456789012:global-cluster:my-global")
    );
    assert_eq!(cluster.status.as_deref(), Some("failing-over"));
    assert_eq!(cluster.engine.as_deref(), Some("neptune"));
    assert_eq!(cluster.engine_version.as_deref(), Some("1.2.0.0"));
    assert_eq!(cluster.storage_encrypted, Some(true));
    assert_eq!(cluster.deletion_protection, Some(false));
    assert_eq!(cluster.failover_state, None);
    assert_eq!(
        cluster.global_cluster_members.as_ref().map(Vec::len),
        Some(2)
    );

    let primary = member(&output, 0);
    assert_eq!(
        primary.db_cluster_arn.as_deref(),
        Some("arn:aws:rds:us-east-1:123456789012:cluster:primary")
    );
    assert_eq!(
        primary.readers,
        Some(vec![String::from(
            "arn:aws:rds:us-west-2:123456789012:cluster:secondary"
        )])
    );
    assert_eq!(primary.is_writer, Some(true));

    let secondary = member(&output, 1);
    assert_eq!(
        secondary.db_cluster_arn.as_deref(),
        Some("arn:aws:rds:us-west-2:123456789012:cluster:secondary")
    );
    assert_eq!(
        secondary.readers,
        Some(vec![]),
        "<Readers/> is an empty list"
    );
    assert_eq!(secondary.is_writer, Some(false));
}

#[test]
fn failover_state_with_an_unknown_status() {
    let body = r#"<?xml version="1.0" encoding="UTF-8"?>
<FailoverGlobalClusterResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/">
  <FailoverGlobalClusterResult>
    <GlobalCluster>
      <GlobalClusterIdentifier>my-global</GlobalClusterIdentifier>
      <Status>available</Status>
      <FailoverState>
        <Status>switching-over</Status>
        <FromDbClusterArn>arn:aws:rds:us-east-1:123456789012:cluster:primary</FromDbClusterArn>
        <ToDbClusterArn>arn:aws:rds:us-west-2:123456789012:cluster:secondary</ToDbClusterArn>
        <IsDataLossAllowed>false</IsDataLossAllowed>
      </FailoverState>
    </GlobalCluster>
  </FailoverGlobalClusterResult>
  <ResponseMetadata><RequestId>f00d</RequestId></ResponseMetadata>
</FailoverGlobalClusterResponse>"#;
    let output = parse(&Response::new(200, body)).expect("a success");
    let cluster = output.global_cluster.expect("a global cluster");
    assert_eq!(cluster.status.as_deref(), Some("available"));
    let state = cluster.failover_state.expect("a failover state");
    let status = state.status.expect("a status");
    assert_eq!(
        status,
        FailoverStatus::Unknown(String::from("switching-over"))
    );
    assert_eq!(status.as_str(), "switching-over");
    assert_eq!(
        state.from_db_cluster_arn.as_deref(),
        Some("arn:aws:rds:us-east-1:123456789012:cluster:primary")
    );
    assert_eq!(
        state.to_db_cluster_arn.as_deref(),
        Some("arn:aws:rds:us-west-2:123456789012:cluster:secondary")
    );
    assert_eq!(state.is_data_loss_allowed, Some(false));
}

#[test]
fn failover_state_known_statuses() {
    for (text, expected) in [
        ("pending", FailoverStatus::Pending),
        ("failing-over", FailoverStatus::FailingOver),
        ("cancelling", FailoverStatus::Cancelling),
    ] {
        let body = format!(
            "<FailoverGlobalClusterResponse><FailoverGlobalClusterResult><GlobalCluster>\
             <FailoverState><Status>{text}</Status></FailoverState>\
             </GlobalCluster></FailoverGlobalClusterResult></FailoverGlobalClusterResponse>"
        );
        let output = parse(&Response::new(200, body)).expect("a success");
        let state = output.global_cluster.and_then(|c| c.failover_state);
        assert_eq!(state.and_then(|s| s.status), Some(expected));
    }
}

#[test]
fn not_found_404_takes_the_request_id_from_the_body() {
    let response = Response::new(404, local("failover_global_cluster.404.xml"));
    let error = match parse(&response) {
        Err(FailoverGlobalClusterError::GlobalClusterNotFoundFault(e)) => e,
        other => panic!("expected GlobalClusterNotFoundFault, got {other:#?}"),
    };
    assert_eq!(error.message(), Some("Global cluster my-global not found"));
    assert_eq!(error.meta.status, 404);
    assert_eq!(error.meta.code(), Some("GlobalClusterNotFoundFault"));
    assert_eq!(
        error.meta.message(),
        Some("Global cluster my-global not found")
    );
    assert_eq!(error.meta.request_id(), Some("d4e5f6"));
    assert_eq!(
        error.to_string(),
        "GlobalClusterNotFoundFault: Global cluster my-global not found"
    );
}

#[test]
fn not_found_404_prefers_the_request_id_header() {
    let response = Response::new(404, local("failover_global_cluster.404.xml"))
        .with_header("X-Amzn-RequestId", "header-id-1");
    let error = parse(&response).expect_err("a 404");
    assert!(
        matches!(
            error,
            FailoverGlobalClusterError::GlobalClusterNotFoundFault(_)
        ),
        "{error:#?}"
    );
    assert_eq!(error.meta().request_id(), Some("header-id-1"));
    assert_eq!(error.meta().status, 404);
}

#[test]
fn moto_html_500_is_unhandled_with_an_excerpt() {
    let body = local("failover_global_cluster_not_implemented.response.body");
    let response =
        Response::new(500, body.clone()).with_header("Content-Type", "text/html; charset=utf-8");
    let error = unhandled(parse(&response));
    let meta = error.meta();
    assert_eq!(meta.status, 500);
    assert_eq!(meta.code(), None);
    assert_eq!(meta.request_id(), None);
    let message = meta.message().expect("an excerpt of the body");
    assert!(
        message.starts_with(
            "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>"
        ),
        "{message}"
    );
    assert!(body.len() > 256, "the page is longer than the excerpt");
    assert!(message.ends_with('…'), "{message}");
    let source = std::error::Error::source(&error).expect("the reason");
    assert!(source.to_string().contains("HTML"), "{source}");
    assert!(error.to_string().contains("(HTTP 500)"), "{error}");
}

#[test]
fn moto_bad_signature_403() {
    let response = Response::new(403, local("auth_on_bad_signature.response.body"));
    let error = unhandled(parse(&response));
    let meta = error.meta();
    assert_eq!(meta.status, 403);
    assert_eq!(meta.code(), Some("SignatureDoesNotMatch"));
    assert!(
        meta.message()
            .is_some_and(|m| m.starts_with("The request signature we calculated does not match")),
        "{meta:?}"
    );
    assert_eq!(
        meta.request_id(),
        None,
        "the <Errors> envelope has no RequestId"
    );
    assert!(std::error::Error::source(&error).is_none());

    let with_header = response.with_header("x-amzn-requestid", "V0eP");
    let error = unhandled(parse(&with_header));
    assert_eq!(error.meta().request_id(), Some("V0eP"));
    assert_eq!(error.meta().code(), Some("SignatureDoesNotMatch"));
}

#[test]
fn moto_modeled_errors_map_to_their_variants() {
    let Some(fixtures) = shared_fixtures() else {
        return;
    };
    let moto = fixtures.join("moto");

    let response = moto_response(&moto, "err_DBClusterNotFoundFault_describe_db_clusters");
    match parse(&response) {
        Err(FailoverGlobalClusterError::DbClusterNotFoundFault(e)) => {
            assert_eq!(e.message(), Some("DBCluster no-such-cluster not found."));
            assert_eq!(e.meta.status, 404);
            assert_eq!(
                e.meta.request_id(),
                Some("UosCA8bYtvcqaZraBgkC8ZAJwjdyCRmENqZjD0UCb5sdf7Xo6kbn")
            );
        }
        other => panic!("expected DbClusterNotFoundFault, got {other:#?}"),
    }

    let response = moto_response(&moto, "err_InvalidDBClusterStateFault_start_db_cluster");
    match parse(&response) {
        Err(FailoverGlobalClusterError::InvalidDbClusterStateFault(e)) => {
            assert_eq!(e.meta.status, 400);
            assert!(
                e.message()
                    .is_some_and(|m| m.starts_with("DbCluster primary-east is in available state")),
                "{e:?}"
            );
        }
        other => panic!("expected InvalidDbClusterStateFault, got {other:#?}"),
    }

    let response = moto_response(
        &moto,
        "err_InvalidGlobalClusterStateFault_delete_global_cluster",
    );
    match parse(&response) {
        Err(FailoverGlobalClusterError::InvalidGlobalClusterStateFault(e)) => {
            assert_eq!(e.meta.status, 400);
            assert_eq!(
                e.message(),
                Some(
                    "Global Cluster arn:aws:rds::123456789012:global-cluster:neptune-gdb-1 is not empty"
                )
            );
        }
        other => panic!("expected InvalidGlobalClusterStateFault, got {other:#?}"),
    }

    let response = moto_response(&moto, "auth_on_unknown_access_key");
    let error = unhandled(parse(&response));
    assert_eq!(error.meta().status, 403);
    assert_eq!(error.meta().code(), Some("InvalidClientTokenId"));
    assert_eq!(
        error.meta().request_id(),
        Some("18QZyi0ytOUGx7BBPKpH6gnsHEfbLlXzm3HXS460Kuwtu0HlV57b")
    );
}

#[test]
fn moto_success_of_another_operation_is_unhandled() {
    let Some(fixtures) = shared_fixtures() else {
        return;
    };
    let moto = fixtures.join("moto");
    for (name, root) in [
        ("create_global_cluster", "CreateGlobalClusterResponse"),
        (
            "describe_global_clusters_after",
            "DescribeGlobalClustersResponse",
        ),
    ] {
        let response = moto_response(&moto, name);
        assert_eq!(response.status, 200);
        let error = unhandled(parse(&response));
        assert_eq!(error.meta().status, 200, "{name}");
        assert_eq!(error.meta().code(), None, "{name}");
        assert!(error.meta().request_id().is_some(), "{name}");
        let source = std::error::Error::source(&error).expect("the reason");
        let reason = source.to_string();
        assert!(
            reason.contains("FailoverGlobalClusterResponse") && reason.contains(root),
            "{name}: {reason}"
        );
    }
}

#[test]
fn moto_unknown_elements_are_skipped() {
    let Some(fixtures) = shared_fixtures() else {
        return;
    };
    let moto = fixtures.join("moto");
    let body = fs::read_to_string(moto.join("create_global_cluster.response.body"))
        .expect("the body")
        .replace("CreateGlobalCluster", "FailoverGlobalCluster");
    assert!(body.contains("<Endpoint>") && body.contains("<TagList/>"));
    let output = parse(&Response::new(200, body)).expect("a success");
    let cluster = output.global_cluster.expect("a global cluster");
    assert_eq!(
        cluster.global_cluster_identifier.as_deref(),
        Some("neptune-gdb-1")
    );
    assert_eq!(cluster.status.as_deref(), Some("available"));
    assert_eq!(cluster.engine_version.as_deref(), Some("1.3.2.1"));
    assert_eq!(cluster.deletion_protection, Some(false));
    assert_eq!(cluster.global_cluster_members, Some(vec![]));
}

#[test]
fn unknown_elements_are_skipped() {
    // moto's shape of a global cluster, with elements Neptune does not model, some nested.
    let body = "<FailoverGlobalClusterResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\">\
        <FailoverGlobalClusterResult><GlobalCluster>\
        <GlobalClusterIdentifier>neptune-gdb-1</GlobalClusterIdentifier>\
        <GlobalClusterMembers>\
        <GlobalClusterMember><DBClusterArn>arn:aws:rds:us-east-1:123456789012:cluster:primary-east</DBClusterArn>\
        <Readers><member>arn:aws:rds:us-west-2:123456789012:cluster:secondary-west</member></Readers>\
        <IsWriter>true</IsWriter></GlobalClusterMember>\
        <GlobalClusterMember><DBClusterArn>arn:aws:rds:us-west-2:123456789012:cluster:secondary-west</DBClusterArn>\
        <Readers/><IsWriter>false</IsWriter>\
        <GlobalWriteForwardingStatus>disabled</GlobalWriteForwardingStatus></GlobalClusterMember>\
        </GlobalClusterMembers>\
        <Endpoint>neptune-gdb-1.global-35ad525a.global.rds.amazonaws.com</Endpoint>\
        <TagList><Tag><Key>team</Key><Value>graph</Value></Tag></TagList>\
        <Status>available</Status>\
        </GlobalCluster></FailoverGlobalClusterResult>\
        <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>\
        </FailoverGlobalClusterResponse>";
    let output = parse(&Response::new(200, body)).expect("a success");
    let cluster = output.global_cluster.as_ref().expect("a global cluster");
    assert_eq!(
        cluster.global_cluster_identifier.as_deref(),
        Some("neptune-gdb-1")
    );
    assert_eq!(
        cluster.status.as_deref(),
        Some("available"),
        "members after skipped ones are read"
    );
    assert_eq!(
        cluster.global_cluster_members.as_ref().map(Vec::len),
        Some(2)
    );
    assert_eq!(member(&output, 1).readers, Some(vec![]));
    assert_eq!(member(&output, 1).is_writer, Some(false));
}

#[test]
fn truncated_200_is_unhandled() {
    let body = local("failover_global_cluster.200.xml");
    // Cut after a complete tag: the document ends with elements still open.
    let marker = b"<GlobalClusterMembers>";
    let cut = body
        .windows(marker.len())
        .position(|w| w == marker)
        .expect("the marker")
        + marker.len();
    let response = Response::new(200, body[..cut].to_vec()).with_header("x-amzn-requestid", "t-1");
    let error = unhandled(parse(&response));
    assert_eq!(error.meta().status, 200);
    assert_eq!(error.meta().request_id(), Some("t-1"));
    assert!(
        error
            .meta()
            .message()
            .is_some_and(|m| m.starts_with("<FailoverGlobalClusterResponse")),
        "{error:?}"
    );
    let source = std::error::Error::source(&error).expect("the reason");
    assert!(source.to_string().contains("still open"), "{source}");
    insta::assert_snapshot!(render(&response, &Err(error.into())));

    // Cut inside a tag: malformed XML.
    let cut = body.len() / 2;
    assert!(body[cut - 1] != b'>' && body[cut] != b'<');
    let response = Response::new(200, body[..cut].to_vec());
    let error = unhandled(parse(&response));
    assert_eq!(error.meta().status, 200);
    let source = std::error::Error::source(&error).expect("the reason");
    assert!(source.to_string().contains("malformed XML"), "{source}");
}

#[test]
fn empty_200_is_unhandled() {
    let response = Response::new(200, "");
    let error = unhandled(parse(&response));
    assert_eq!(error.meta().status, 200);
    assert_eq!(error.meta().message(), None);
    let source = std::error::Error::source(&error).expect("the reason");
    assert!(source.to_string().contains("no root element"), "{source}");
}

#[test]
fn empty_404_is_unhandled() {
    let response = Response::new(404, "").with_header("x-amzn-requestid", "e-404");
    let error = unhandled(parse(&response));
    assert_eq!(error.meta().status, 404);
    assert_eq!(error.meta().code(), None);
    assert_eq!(error.meta().request_id(), Some("e-404"));
}

#[test]
fn a_wrongly_typed_value_is_unhandled() {
    let body = "<FailoverGlobalClusterResponse><FailoverGlobalClusterResult><GlobalCluster>\
        <StorageEncrypted>yes</StorageEncrypted>\
        </GlobalCluster></FailoverGlobalClusterResult></FailoverGlobalClusterResponse>";
    let error = unhandled(parse(&Response::new(200, body)));
    assert_eq!(error.meta().status, 200);
    let source = std::error::Error::source(&error).expect("the reason");
    let reason = source.to_string();
    assert!(
        reason.contains("boolean") && reason.contains("StorageEncrypted") && reason.contains("yes"),
        "{reason}"
    );
}

#[test]
fn unmodeled_code_in_the_response_envelope() {
    let body = "<Response><Errors><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></Errors>\
        <RequestID>thr-1</RequestID></Response>";
    let error = unhandled(parse(&Response::new(400, body)));
    assert_eq!(error.meta().code(), Some("Throttling"));
    assert_eq!(error.meta().message(), Some("Rate exceeded"));
    assert_eq!(error.meta().request_id(), Some("thr-1"));
    assert_eq!(
        error.to_string(),
        "Throttling: Rate exceeded (HTTP 400, request id thr-1)"
    );
}

#[test]
fn success_without_a_result_element_is_an_empty_output_with_its_request_id() {
    let body = "<FailoverGlobalClusterResponse><ResponseMetadata><RequestId>x</RequestId></ResponseMetadata></FailoverGlobalClusterResponse>";
    let output = parse(&Response::new(200, body)).expect("a success");
    assert_eq!(output.global_cluster, None);
    assert_eq!(output.request_id(), Some("x"));
    let mut expected = FailoverGlobalClusterOutput::default();
    expected.set_request_id(Some(String::from("x")));
    assert_eq!(output, expected);
}

#[test]
fn a_success_keeps_its_request_id_from_the_header_or_else_the_body() {
    use awsquery::error::RequestId;

    let body = local("failover_global_cluster.200.xml");
    let from_body = parse(&Response::new(200, body.clone())).expect("a success");
    assert_eq!(from_body.request_id(), Some("a1b2c3"));
    // Through the trait too, as generic code reads it.
    assert_eq!(RequestId::request_id(&from_body), Some("a1b2c3"));

    let from_header = parse(&Response::new(200, body).with_header("x-amzn-requestid", "hdr-9"))
        .expect("a success");
    assert_eq!(from_header.request_id(), Some("hdr-9"));
    assert_eq!(from_header.global_cluster, from_body.global_cluster);

    let without = "<FailoverGlobalClusterResponse><FailoverGlobalClusterResult/></FailoverGlobalClusterResponse>";
    let output = parse(&Response::new(200, without)).expect("a success");
    assert_eq!(output.request_id(), None);
}

#[test]
fn the_meta_file_parser() {
    let (status, headers) = parse_meta(
        "HTTP 404\nContent-Type: text/xml\nx-amzn-requestid: abc\n\n# note: ignored\nNot: a header\n",
    );
    assert_eq!(status, 404);
    assert_eq!(
        headers,
        vec![
            (String::from("Content-Type"), String::from("text/xml")),
            (String::from("x-amzn-requestid"), String::from("abc")),
        ]
    );
    let (_, headers) = parse_meta("HTTP 200\nA: 1\n# comment\nB: 2\n");
    assert_eq!(headers.len(), 1);
}

#[test]
fn error_envelope_text_is_unescaped_and_prefixes_are_ignored() {
    let body = "<ErrorResponse><Error><Code> GlobalClusterNotFoundFault\n</Code>\
        <Message>a &amp; b &#x65E5; <![CDATA[<x>]]></Message></Error>\
        <RequestId> r-9 </RequestId></ErrorResponse>";
    match parse(&Response::new(404, body)) {
        Err(FailoverGlobalClusterError::GlobalClusterNotFoundFault(e)) => {
            assert_eq!(e.message(), Some("a & b 日 <x>"));
            assert_eq!(e.meta.request_id(), Some("r-9"));
        }
        other => panic!("expected GlobalClusterNotFoundFault, got {other:#?}"),
    }

    let body = "\u{feff}<?xml version=\"1.0\"?><q:ErrorResponse xmlns:q=\"http://rds.amazonaws.com/doc/2014-10-31/\">\
        <q:Error><q:Code>DBClusterNotFoundFault</q:Code></q:Error></q:ErrorResponse>";
    match parse(&Response::new(404, body)) {
        Err(FailoverGlobalClusterError::DbClusterNotFoundFault(e)) => {
            assert_eq!(e.message(), None);
            assert_eq!(e.meta.code(), Some("DBClusterNotFoundFault"));
        }
        other => panic!("expected DbClusterNotFoundFault, got {other:#?}"),
    }
}

#[test]
fn undeclared_entities_are_rejected() {
    let body = "<!DOCTYPE x [<!ENTITY e \"boom\">]><FailoverGlobalClusterResponse>\
        <FailoverGlobalClusterResult><GlobalCluster><GlobalClusterIdentifier>&e;</GlobalClusterIdentifier>\
        </GlobalCluster></FailoverGlobalClusterResult></FailoverGlobalClusterResponse>";
    let error = unhandled(parse(&Response::new(200, body)));
    let source = std::error::Error::source(&error).expect("the reason");
    assert!(
        source.to_string().contains("unknown XML entity `&e;`"),
        "{source}"
    );
}
