//! A large response: a `DescribeGlobalClusters` page of 1,000 global databases with 3 members
//! each, read into the output types, against a plain quick-xml event loop over the same bytes that
//! builds nothing (the floor for any reader built on quick-xml). Both in the same run, so the ratio
//! compares across machines.
//!
//! Run with `cargo bench -p neptune-tests --bench large`. Memory is measured by the `allocations`
//! bench.

use std::hint::black_box;
use std::time::{Duration, Instant};

use awsquery::http::Response;
use awsquery_protocol::operation::Operation;
use neptune_protocol::DescribeGlobalClusters;
use neptune_tests::describe_global_clusters_page;
use quick_xml::Reader;
use quick_xml::events::Event;

/// The median time of one run of `f` over `ROUNDS` rounds, the two kinds interleaved by the caller.
fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn time(f: &mut impl FnMut()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

fn main() {
    const ROUNDS: usize = 21;
    let body = describe_global_clusters_page(1_000, 3);
    let response = Response::new(200, body.clone());

    let output = DescribeGlobalClusters::deserialize(&response).expect("the page parses");
    let clusters = output.global_clusters.as_deref().unwrap_or_default();
    assert_eq!(clusters.len(), 1_000);
    assert!(
        clusters
            .iter()
            .all(|c| c.global_cluster_members.as_ref().map(Vec::len) == Some(3))
    );

    let mut parse = || {
        black_box(DescribeGlobalClusters::deserialize(black_box(&response)).unwrap());
    };
    let mut events = || {
        let mut reader = Reader::from_reader(black_box(body.as_slice()));
        loop {
            match reader.read_event() {
                Ok(Event::Eof) => break,
                Ok(event) => {
                    black_box(event);
                }
                Err(e) => panic!("{e}"),
            }
        }
    };
    // Warm up, then alternate so that noise hits both alike.
    for _ in 0..3 {
        parse();
        events();
    }
    let (mut ours, mut plain) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        ours.push(time(&mut parse));
        plain.push(time(&mut events));
    }
    let (ours, plain) = (median(ours), median(plain));
    let mb_per_s = |d: Duration| body.len() as f64 / d.as_secs_f64() / 1e6;
    println!(
        "DescribeGlobalClusters page: 1,000 global clusters, 3 members each, {} bytes",
        body.len()
    );
    println!(
        "{:<44} {:>9.2} ms {:>8.1} MB/s",
        "quick-xml event loop (anchor)",
        plain.as_secs_f64() * 1e3,
        mb_per_s(plain)
    );
    println!(
        "{:<44} {:>9.2} ms {:>8.1} MB/s",
        "parse into the output",
        ours.as_secs_f64() * 1e3,
        mb_per_s(ours)
    );
    println!(
        "parse throughput / quick-xml event loop: {:.2}",
        mb_per_s(ours) / mb_per_s(plain)
    );
}
