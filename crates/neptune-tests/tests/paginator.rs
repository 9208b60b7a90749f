//! `DescribeGlobalClusters` through the generated paginator, with an in-memory transport: tokens
//! passed on, the ways paging stops, and errors part-way.

use awsquery::http::Response;
use awsquery::paginator::PaginationError;
use neptune_client::error::DescribeGlobalClustersError;
use neptune_client::{Client, SdkError};
use neptune_tests::{NOT_FOUND_404, Script, block_on, pinned_config};

/// A `DescribeGlobalClusters` page listing global databases `ids`, with `marker` when given
/// (`Some("")` sends an empty `<Marker/>`).
fn page(ids: &[&str], marker: Option<&str>) -> Response {
    let clusters: String = ids
        .iter()
        .map(|id| {
            format!(
                "<GlobalClusterMember><GlobalClusterIdentifier>{id}</GlobalClusterIdentifier>\
                 <Status>available</Status></GlobalClusterMember>"
            )
        })
        .collect();
    let marker = match marker {
        Some("") => String::from("<Marker/>"),
        Some(m) => format!("<Marker>{m}</Marker>"),
        None => String::new(),
    };
    Response::new(
        200,
        format!(
            "<DescribeGlobalClustersResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\">\
             <DescribeGlobalClustersResult>{marker}<GlobalClusters>{clusters}</GlobalClusters>\
             </DescribeGlobalClustersResult></DescribeGlobalClustersResponse>"
        ),
    )
}

/// The identifiers of a page's global databases.
fn ids(output: &neptune_client::types::DescribeGlobalClustersOutput) -> Vec<String> {
    output
        .global_clusters
        .iter()
        .flatten()
        .filter_map(|c| c.global_cluster_identifier.clone())
        .collect()
}

const FIRST: &str = "Action=DescribeGlobalClusters&Version=2014-10-31&MaxRecords=20";

#[test]
fn three_pages_pass_each_token_on_and_keep_the_page_size() {
    let script = Script::responses([
        page(&["a", "b"], Some("m1")),
        page(&["c"], Some("m/2=")),
        page(&["d"], None),
    ]);
    let client = Client::new(pinned_config(), &script);
    let mut pages = client
        .describe_global_clusters()
        .max_records(20)
        .into_paginator();
    assert_eq!(pages.next_token(), None);
    let mut seen = Vec::new();
    while let Some(page) = block_on(pages.next_page()) {
        seen.push(ids(&page.expect("a page")));
    }
    assert_eq!(seen, [vec!["a", "b"], vec!["c"], vec!["d"]]);
    assert_eq!(
        script.bodies(),
        [
            FIRST.to_owned(),
            format!("{FIRST}&Marker=m1"),
            format!("{FIRST}&Marker=m%2F2%3D"),
        ]
    );
    assert!(pages.is_done());
    assert!(
        block_on(pages.next_page()).is_none(),
        "no request after the last page"
    );
    assert_eq!(script.attempts(), 3);
}

#[test]
fn a_starting_marker_is_sent_with_the_first_request() {
    let script = Script::responses([page(&["x"], None)]);
    let client = Client::new(pinned_config(), &script);
    let mut pages = client
        .describe_global_clusters()
        .global_cluster_identifier("x")
        .marker("resume-here")
        .into_paginator();
    assert_eq!(pages.next_token(), Some("resume-here"));
    let output = block_on(pages.next_page()).unwrap().unwrap();
    assert_eq!(ids(&output), ["x"]);
    assert_eq!(pages.next_token(), None);
    assert_eq!(
        script.bodies(),
        [
            "Action=DescribeGlobalClusters&Version=2014-10-31&GlobalClusterIdentifier=x&Marker=resume-here"
        ]
    );
}

#[test]
fn an_empty_marker_ends_the_paging() {
    let script = Script::responses([page(&["a"], Some(""))]);
    let client = Client::new(pinned_config(), &script);
    let mut pages = client.describe_global_clusters().into_paginator();
    let output = block_on(pages.next_page()).unwrap().unwrap();
    assert_eq!(output.marker.as_deref(), Some(""));
    assert!(block_on(pages.next_page()).is_none());
    assert_eq!(script.attempts(), 1);
}

#[test]
fn a_repeated_marker_is_an_error_after_its_page() {
    // The second page hands back the token it was asked with; asking again would loop forever.
    let script = Script::responses([page(&["a"], Some("same")), page(&["b"], Some("same"))]);
    let client = Client::new(pinned_config(), &script);
    let mut pages = client.describe_global_clusters().into_paginator();
    let first = block_on(pages.next_page()).unwrap().unwrap();
    assert_eq!(pages.next_token(), Some("same"));
    let second = block_on(pages.next_page()).unwrap().unwrap();
    assert_eq!(
        (ids(&first), ids(&second)),
        (vec!["a".to_owned()], vec!["b".to_owned()])
    );
    assert_eq!(pages.next_token(), None);
    assert!(!pages.is_done(), "the error is still to come");
    let error = block_on(pages.next_page()).unwrap().unwrap_err();
    assert!(
        matches!(
            &error,
            SdkError::Pagination(PaginationError::RepeatedToken { token }) if token == "same"
        ),
        "{error:?}"
    );
    assert!(pages.is_done());
    assert!(block_on(pages.next_page()).is_none());
    assert_eq!(script.attempts(), 2);
}

#[test]
fn any_earlier_marker_counts_as_repeated() {
    // m1 → m2 → m3 → m1: no token repeats the one just sent, but the listing has come round.
    let script = Script::responses([
        page(&["a"], Some("m1")),
        page(&["b"], Some("m2")),
        page(&["c"], Some("m3")),
        page(&["d"], Some("m1")),
    ]);
    let client = Client::new(pinned_config(), &script);
    let items = block_on(
        client
            .describe_global_clusters()
            .into_paginator()
            .items()
            .try_collect(),
    );
    match items {
        Err(SdkError::Pagination(PaginationError::RepeatedToken { token })) => {
            assert_eq!(token, "m1");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(script.attempts(), 4);
}

#[test]
fn fresh_markers_without_end_stop_at_the_page_limit() {
    // Empty pages, each with a new marker: the paginator sends exactly its limit of requests.
    let script = Script::responses(
        (0..5)
            .map(|i| page(&[], Some(&format!("m{i}"))))
            .collect::<Vec<_>>(),
    );
    let client = Client::new(pinned_config(), &script);
    let mut pages = client
        .describe_global_clusters()
        .into_paginator()
        .max_pages(5);
    for _ in 0..5 {
        block_on(pages.next_page()).unwrap().unwrap();
    }
    let error = block_on(pages.next_page()).unwrap().unwrap_err();
    assert!(
        matches!(
            error,
            SdkError::Pagination(PaginationError::TooManyPages { limit: 5 })
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("more than 5 pages"), "{error}");
    assert!(block_on(pages.next_page()).is_none());
    assert_eq!(script.attempts(), 5);
    assert_eq!(awsquery::paginator::DEFAULT_MAX_PAGES, 10_000);
}

#[test]
fn an_error_part_way_is_returned_once_and_ends_the_paging() {
    let script = Script::responses([
        page(&["a"], Some("m1")),
        Response::new(404, NOT_FOUND_404),
        page(&["never"], None),
    ]);
    let client = Client::new(pinned_config(), &script);
    let mut pages = client.describe_global_clusters().into_paginator();
    assert!(block_on(pages.next_page()).unwrap().is_ok());
    let error = block_on(pages.next_page()).unwrap().expect_err("the 404");
    assert!(
        matches!(
            error,
            SdkError::Service(DescribeGlobalClustersError::GlobalClusterNotFoundFault(_))
        ),
        "{error:?}"
    );
    assert!(block_on(pages.next_page()).is_none());
    assert_eq!(script.attempts(), 2);
    assert!(!script.is_exhausted());
}

#[test]
fn items_run_across_pages_and_skip_empty_ones() {
    let script = Script::responses([
        page(&["a", "b"], Some("m1")),
        page(&[], Some("m2")),
        page(&["c"], None),
    ]);
    let client = Client::new(pinned_config(), &script);
    let items = block_on(
        client
            .describe_global_clusters()
            .into_paginator()
            .items()
            .try_collect(),
    )
    .expect("every page");
    let names: Vec<_> = items
        .iter()
        .filter_map(|c| c.global_cluster_identifier.as_deref())
        .collect();
    assert_eq!(names, ["a", "b", "c"]);
    assert_eq!(script.attempts(), 3);
}

#[test]
fn items_stop_at_an_error_after_the_items_before_it() {
    let script = Script::responses([page(&["a"], Some("m1")), Response::new(404, NOT_FOUND_404)]);
    let client = Client::new(pinned_config(), &script);
    let mut items = client.describe_global_clusters().into_paginator().items();
    let first = block_on(items.next()).unwrap().expect("the first item");
    assert_eq!(first.global_cluster_identifier.as_deref(), Some("a"));
    assert!(block_on(items.next()).unwrap().is_err());
    assert!(block_on(items.next()).is_none());
    assert!(format!("{items:?}").contains("DescribeGlobalClusters"));
}

#[test]
fn a_transient_failure_is_retried_inside_a_page() {
    let script = Script::responses([
        Response::new(503, "<html>busy</html>"),
        page(&["a"], Some("m1")),
        page(&["b"], None),
    ]);
    let client = Client::new(pinned_config(), &script);
    let items = block_on(
        client
            .describe_global_clusters()
            .into_paginator()
            .items()
            .try_collect(),
    )
    .expect("the retry succeeds");
    assert_eq!(items.len(), 2);
    assert_eq!(script.attempts(), 3);
    assert_eq!(script.sleeps().len(), 1, "one backoff before the retry");
}
