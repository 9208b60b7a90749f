//! The examples, run as they are (configuration loaded by `ConfigLoader`, the HTTP transport)
//! against the local stand-in on 127.0.0.1, the environment given to the loader rather than read
//! from the process.

use std::time::Duration;

use awsquery::env::Env;
use awsquery_config::ConfigLoader;
use neptune_examples::stand_in::{
    DRILL_GLOBAL_CLUSTER, GLOBAL_CLUSTERS, PRIMARY_ARN, SECONDARY_ARN, StandIn,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[allow(dead_code)] // its `main`
#[path = "../dr_drill.rs"]
mod dr_drill;

#[allow(dead_code)] // its `main`
#[path = "../global_clusters.rs"]
mod global_clusters;

use dr_drill::Drill;

/// A loader seeing only what a user would export to try the examples against the stand-in: no
/// home directory, so no shared files are read.
fn loader(stand_in: &StandIn) -> ConfigLoader {
    let url = stand_in.url();
    ConfigLoader::with_env(Env::from_pairs(&[
        ("AWS_ENDPOINT_URL", &url),
        ("AWS_REGION", "us-east-1"),
        ("AWS_ACCESS_KEY_ID", "AKIDSTANDIN"),
        ("AWS_SECRET_ACCESS_KEY", "stand-in-secret"),
    ]))
}

fn drill(args: &[&str]) -> Drill {
    let mut drill = Drill::from_args(args.iter().map(|a| a.to_string())).expect("valid arguments");
    // The shortest waits the waiter allows, so that the test waits a second per poll.
    drill.poll = (Duration::from_secs(1), Duration::from_secs(1));
    drill.timeout = Duration::from_secs(60);
    drill
}

const DESCRIBE: &str = "DescribeGlobalClusters";
const FAILOVER: &str = "FailoverGlobalCluster";

/// The drill as a user runs it: it picks the secondary, switches over, waits through one
/// description in progress, and finds the secondary writing.
#[tokio::test]
async fn the_drill_switches_over_to_the_secondary_and_verifies_it() {
    let stand_in = StandIn::start().await.unwrap();
    let report = dr_drill::run(loader(&stand_in), &drill(&[DRILL_GLOBAL_CLUSTER]))
        .await
        .expect("the drill passes");
    assert_eq!(report.mode, "switchover");
    assert_eq!(report.old_writer, PRIMARY_ARN);
    assert_eq!(report.new_writer, SECONDARY_ARN);
    // Describe, switch over, two polls of the waiter (in progress, done), the verification.
    assert_eq!(
        stand_in.actions(),
        [DESCRIBE, FAILOVER, DESCRIBE, DESCRIBE, DESCRIBE]
    );
    assert!(
        report.to_string().starts_with("switchover done in")
            && report.to_string().ends_with(&format!(
                "now writes to {SECONDARY_ARN} (was {PRIMARY_ARN})"
            )),
        "{report}"
    );
}

/// With `--allow-data-loss` and `--target` it fails over to the named cluster; run again the
/// other way, it brings the writer back.
#[tokio::test]
async fn a_failover_to_a_named_target_and_back() {
    let stand_in = StandIn::start().await.unwrap();
    stand_in.settle_after(1);
    let there = dr_drill::run(
        loader(&stand_in),
        &drill(&[
            DRILL_GLOBAL_CLUSTER,
            "--allow-data-loss",
            "--target",
            SECONDARY_ARN,
        ]),
    )
    .await
    .expect("the failover passes");
    assert_eq!(
        (there.mode, there.new_writer.as_str()),
        ("failover", SECONDARY_ARN)
    );
    let back = dr_drill::run(loader(&stand_in), &drill(&[DRILL_GLOBAL_CLUSTER]))
        .await
        .expect("the switchover back passes");
    assert_eq!(
        (back.old_writer.as_str(), back.new_writer.as_str()),
        (SECONDARY_ARN, PRIMARY_ARN)
    );
}

/// What the drill will not do, and how it says so.
#[tokio::test]
async fn the_drill_refuses_with_a_reason() {
    let stand_in = StandIn::start().await.unwrap();
    let failure = |args: &'static [&'static str]| {
        let loader = loader(&stand_in);
        async move {
            dr_drill::run(loader, &drill(args))
                .await
                .expect_err("the drill fails")
                .to_string()
        }
    };
    assert_eq!(
        failure(&[DRILL_GLOBAL_CLUSTER, "--target", PRIMARY_ARN]).await,
        format!("{PRIMARY_ARN} is already the writer")
    );
    let missing = failure(&["no-such-global"]).await;
    assert!(
        missing.contains("GlobalClusterNotFoundFault")
            && missing.contains("Global cluster no-such-global not found"),
        "{missing}"
    );
    let not_member = failure(&[
        DRILL_GLOBAL_CLUSTER,
        "--target",
        "arn:aws:rds:x:1:cluster:other",
    ])
    .await;
    assert!(
        not_member.contains("DBClusterNotFoundFault"),
        "{not_member}"
    );
    let single = failure(&["global-07"]).await;
    assert_eq!(single, "the global database has no secondary to promote");
    assert!(!stand_in.actions().is_empty());
}

/// A drill does not start while a switchover is still in progress.
#[tokio::test]
async fn the_drill_starts_only_from_a_settled_global_database() {
    let stand_in = StandIn::start().await.unwrap();
    stand_in.settle_after(5);
    let mut first = drill(&[DRILL_GLOBAL_CLUSTER]);
    // Give up waiting at once: the switchover stays in progress.
    first.timeout = Duration::from_secs(1);
    let timed_out = dr_drill::run(loader(&stand_in), &first)
        .await
        .expect_err("the wait times out");
    assert!(
        timed_out.to_string().starts_with("gave up waiting after"),
        "{timed_out}"
    );
    let second = dr_drill::run(loader(&stand_in), &drill(&[DRILL_GLOBAL_CLUSTER]))
        .await
        .expect_err("the global database is busy");
    assert_eq!(
        second.to_string(),
        format!(
            "{DRILL_GLOBAL_CLUSTER} is switching-over, not available: a drill starts from a \
             settled global database"
        )
    );
}

#[test]
fn drill_arguments() {
    let drill = Drill::from_args(
        [
            "g",
            "--target",
            "arn",
            "--allow-data-loss",
            "--timeout-minutes",
            "5",
        ]
        .map(String::from),
    )
    .unwrap();
    assert_eq!(drill.global_cluster, "g");
    assert_eq!(drill.target.as_deref(), Some("arn"));
    assert!(drill.allow_data_loss);
    assert_eq!(drill.timeout, Duration::from_secs(300));
    let error = |args: &[&str]| Drill::from_args(args.iter().map(|a| a.to_string())).unwrap_err();
    assert_eq!(error(&[]), "which global database?");
    assert_eq!(error(&["g", "--target"]), "--target needs an ARN");
    assert_eq!(
        error(&["g", "--timeout-minutes", "soon"]),
        "--timeout-minutes needs a number"
    );
    assert_eq!(error(&["g", "--fast"]), "unknown option --fast");
    assert_eq!(
        error(&["g", "h"]),
        "one global database at a time, not also h"
    );
}

/// The listing pages through every global database, 20 at a time, in the order the service
/// lists them, with each one's writer.
#[tokio::test]
async fn the_listing_pages_through_every_global_database() {
    let stand_in = StandIn::start().await.unwrap();
    let listing = global_clusters::run(loader(&stand_in), 20)
        .await
        .expect("the listing passes");
    assert_eq!(listing.pages, 2);
    assert_eq!(listing.clusters.len(), GLOBAL_CLUSTERS);
    let first = &listing.clusters[0];
    assert_eq!(
        (
            first.identifier.as_str(),
            first.status.as_str(),
            first.writer.as_str()
        ),
        (DRILL_GLOBAL_CLUSTER, "available", PRIMARY_ARN)
    );
    let identifiers: Vec<&str> = listing.clusters[1..]
        .iter()
        .map(|row| row.identifier.as_str())
        .collect();
    let expected: Vec<String> = (2..=GLOBAL_CLUSTERS)
        .map(|n| format!("global-{n:02}"))
        .collect();
    assert_eq!(identifiers, expected);
    assert_eq!(stand_in.actions(), [DESCRIBE, DESCRIBE]);

    let one_page = global_clusters::run(loader(&stand_in), 100).await.unwrap();
    assert_eq!(
        (one_page.pages, one_page.clusters.len()),
        (1, GLOBAL_CLUSTERS)
    );

    let refused = global_clusters::run(loader(&stand_in), 5)
        .await
        .expect_err("a page size the service refuses");
    assert!(
        refused
            .to_string()
            .contains("MaxRecords must be from 20 to 100, not 5"),
        "{refused}"
    );
}

/// The stand-in answers only signed requests, and only the two operations.
#[tokio::test]
async fn the_stand_in_refuses_unsigned_requests_and_other_operations() {
    let stand_in = StandIn::start().await.unwrap();
    let post = |authorization: &'static str, body: &'static str| {
        let address = stand_in.url().trim_start_matches("http://").to_owned();
        async move {
            let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
            let request = format!(
                "POST / HTTP/1.1\r\nHost: x\r\n{authorization}Content-Length: {}\r\n\
                 Connection: close\r\n\r\n{body}",
                body.len()
            );
            stream.write_all(request.as_bytes()).await.unwrap();
            let mut answer = String::new();
            tokio::time::timeout(Duration::from_secs(10), stream.read_to_string(&mut answer))
                .await
                .expect("an answer in time")
                .unwrap();
            answer
        }
    };
    let unsigned = post("", "Action=DescribeGlobalClusters&Version=2014-10-31").await;
    assert!(
        unsigned.starts_with("HTTP/1.1 403 ")
            && unsigned.contains("<Code>MissingAuthenticationToken</Code>"),
        "{unsigned}"
    );
    let signed = "Authorization: AWS4-HMAC-SHA256 Credential=AKIDSTANDIN/20260101/us-east-1/rds/aws4_request\r\n";
    let other = post(signed, "Action=DeleteGlobalCluster&Version=2014-10-31").await;
    assert!(
        other.starts_with("HTTP/1.1 400 ") && other.contains("<Code>InvalidAction</Code>"),
        "{other}"
    );
    let described = post(
        signed,
        "Action=DescribeGlobalClusters&GlobalClusterIdentifier=DRILL-GLOBAL",
    )
    .await;
    assert!(
        described.starts_with("HTTP/1.1 200 ")
            && described
                .contains("<GlobalClusterIdentifier>drill-global</GlobalClusterIdentifier>"),
        "{described}"
    );
    assert_eq!(stand_in.actions(), ["DeleteGlobalCluster", DESCRIBE]);
}
