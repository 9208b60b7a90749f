//! Heap allocations per call, and the memory a large response takes to read, counted by a
//! counting global allocator (`allocation-counter`, which counts the current thread only). The
//! figures depend neither on the machine nor on its load.
//!
//! Run with `cargo bench -p neptune-tests --bench allocations`.
//!
//! * One `FailoverGlobalCluster` call through the client, success and error, next to what the
//!   input and the output hold themselves: what a call allocates beyond them is the runtime's own
//!   cost. The transport hands over a response made before the call, so none of the count is its.
//! * A `DescribeGlobalClusters` page of 1,000 global databases with 3 members each: the peak of
//!   the heap while it is read, against the heap the output holds once read.

use std::future::Future;
use std::hint::black_box;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use allocation_counter::{AllocationInfo, measure};
use awsquery::http::{Request, Response};
use awsquery_protocol::operation::Operation;
use neptune_client::{Client, Config, Credentials, Transport, TransportError};
use neptune_model::types::FailoverGlobalClusterInput;
use neptune_protocol::{DescribeGlobalClusters, FailoverGlobalCluster};
use neptune_tests::{
    NOT_FOUND_404, SECRET, SUCCESS_200, TARGET_ARN, block_on, describe_global_clusters_page,
    pinned_clock, pinned_config,
};

/// Answers each request with the response put in its slot before the call.
#[derive(Clone, Default)]
struct Slot(Arc<Mutex<Option<Response>>>);

impl Transport for Slot {
    fn send(
        &self,
        request: Request,
    ) -> impl Future<Output = Result<Response, TransportError>> + Send {
        black_box(request);
        let response = self.0.lock().unwrap().take();
        std::future::ready(Ok(response.expect("a response in the slot")))
    }

    fn sleep(&self, _duration: Duration) -> impl Future<Output = ()> + Send {
        std::future::ready(())
    }
}

fn response(status: u16, body: &[u8]) -> Response {
    Response::new(status, body).with_header("x-amzn-requestid", "a1b2c3")
}

/// The allocations of one call, from the builder to the output or error, its response made
/// outside the count.
fn call(client: &Client<Slot>, slot: &Slot, status: u16, body: &[u8]) -> AllocationInfo {
    let mut counts = AllocationInfo::default();
    // The first calls fill what a client keeps between calls; the third is counted.
    for _ in 0..3 {
        *slot.0.lock().unwrap() = Some(response(status, body));
        counts = measure(|| {
            let result = block_on(
                client
                    .failover_global_cluster()
                    .global_cluster_identifier("my-global")
                    .target_db_cluster_identifier(TARGET_ARN)
                    .send(),
            );
            assert_eq!(result.is_ok(), status == 200);
            drop(black_box(result));
        });
    }
    counts
}

fn main() {
    println!(
        "{:<60} {:>6} {:>7}",
        "FailoverGlobalCluster", "allocs", "bytes"
    );
    let row = |name: &str, info: AllocationInfo| {
        println!("{name:<60} {:>6} {:>7}", info.count_total, info.bytes_total);
    };

    let mut input = None;
    row(
        "the input, as the builder makes it",
        measure(|| {
            let mut built = FailoverGlobalClusterInput::default();
            built.global_cluster_identifier = Some("my-global".to_owned());
            built.target_db_cluster_identifier = Some(TARGET_ARN.to_owned());
            input = Some(built);
        }),
    );
    let input = input.expect("built");
    row(
        "serialize the input",
        measure(|| {
            black_box(FailoverGlobalCluster::serialize(black_box(&input)).unwrap());
        }),
    );
    let ok_response = response(200, SUCCESS_200);
    let mut output = None;
    let parsed = measure(|| output = Some(FailoverGlobalCluster::deserialize(&ok_response)));
    row(
        "the output, as the parser makes it from the 200 response",
        parsed,
    );
    println!(
        "{:<60} {:>6} {:>7}",
        "  of which the output keeps", parsed.count_current, parsed.bytes_current
    );
    drop(output);
    let err_response = response(404, NOT_FOUND_404);
    row(
        "the error, as the parser makes it from the 404 response",
        measure(|| {
            black_box(FailoverGlobalCluster::deserialize(&err_response).unwrap_err());
        }),
    );

    let slot = Slot::default();
    let client = Client::new(pinned_config(), slot.clone());
    row(
        "whole call, success",
        call(&client, &slot, 200, SUCCESS_200),
    );
    row(
        "whole call, 404 error",
        call(&client, &slot, 404, NOT_FOUND_404),
    );
    let provided = Client::new(
        Config::from_credentials_provider(
            "us-east-1",
            Credentials::new("AKIDEXAMPLE", SECRET, None),
        )
        .with_clock(pinned_clock),
        slot.clone(),
    );
    row(
        "whole call, success, keys from a provider",
        call(&provided, &slot, 200, SUCCESS_200),
    );

    let page = Response::new(200, describe_global_clusters_page(1_000, 3));
    let mut output = None;
    let read = measure(|| output = Some(DescribeGlobalClusters::deserialize(&page)));
    let clusters = output
        .as_ref()
        .and_then(|o| o.as_ref().ok())
        .and_then(|o| o.global_clusters.as_ref())
        .map_or(0, Vec::len);
    assert_eq!(clusters, 1_000);
    // What the output holds: the heap it keeps, and its own value.
    let held = read.bytes_current as f64 + std::mem::size_of_val(&output) as f64;
    println!();
    println!(
        "DescribeGlobalClusters page, 1,000 global clusters with 3 members each, {} bytes",
        page.body.len()
    );
    println!("{:<60} {:>6} {:>9}", "", "allocs", "bytes");
    println!(
        "{:<60} {:>6} {:>9}",
        "the output holds", read.count_current, held
    );
    println!(
        "{:<60} {:>6} {:>9}",
        "peak of the heap while reading", read.count_max, read.bytes_max
    );
    println!("peak / output: {:.2}", read.bytes_max as f64 / held);
}
