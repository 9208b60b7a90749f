//! One `FailoverGlobalCluster` call through the client with an in-memory transport: build the input,
//! serialize, sign, "send", parse. Success and error paths, each stage on its own, and the call with
//! its keys from a credentials provider rather than static.
//!
//! Run with `cargo bench -p neptune-tests`. Times are medians of several rounds; each is also given as a
//! ratio to an anchor measured in the same run (one SigV4 signature over the same request), so figures
//! from different machines compare.

use std::future::Future;
use std::hint::black_box;
use std::time::{Duration, Instant};

use awsquery::http::{Request, Response};
use awsquery::sigv4::{self, Credentials, SigningParams};
use awsquery_protocol::operation::Operation;
use neptune_client::{Client, Config, Transport, TransportError};
use neptune_model::types::FailoverGlobalClusterInput;
use neptune_protocol::FailoverGlobalCluster;
use neptune_tests::{
    NOT_FOUND_404, SECRET, SUCCESS_200, TARGET_ARN, block_on, pinned_clock, pinned_config,
};

/// Answers every request with a copy of one response, as a connection would hand over a fresh body.
struct Canned(Response);

impl Transport for Canned {
    fn send(
        &self,
        request: Request,
    ) -> impl Future<Output = Result<Response, TransportError>> + Send {
        black_box(request);
        std::future::ready(Ok(self.0.clone()))
    }

    fn sleep(&self, _duration: Duration) -> impl Future<Output = ()> + Send {
        std::future::ready(())
    }
}

/// The median time per iteration over `ROUNDS` rounds of `iterations` calls.
fn measure(iterations: u32, mut f: impl FnMut()) -> Duration {
    const ROUNDS: usize = 15;
    for _ in 0..iterations / 10 {
        f();
    }
    let mut times: Vec<Duration> = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..iterations {
                f();
            }
            start.elapsed() / iterations
        })
        .collect();
    times.sort();
    times[ROUNDS / 2]
}

fn client(status: u16, body: &[u8]) -> Client<Canned> {
    let response = Response::new(status, body).with_header("x-amzn-requestid", "a1b2c3");
    Client::new(pinned_config(), Canned(response))
}

fn main() {
    let iterations = 20_000;
    let credentials = Credentials::new("AKIDEXAMPLE", SECRET, None);
    let mut input = FailoverGlobalClusterInput::default();
    input.global_cluster_identifier = Some("my-global".to_owned());
    input.target_db_cluster_identifier = Some(TARGET_ARN.to_owned());
    let mut request = FailoverGlobalCluster::serialize(&input).expect("the input is complete");
    request
        .uri
        .insert_str(0, "https://rds.us-east-1.amazonaws.com");
    let params = SigningParams {
        credentials: &credentials,
        region: "us-east-1",
        service: "rds",
        time: pinned_clock(),
    };

    let anchor = measure(iterations, || {
        let mut request = request.clone();
        sigv4::sign(&mut request, &params);
        black_box(request);
    });
    let serialize = measure(iterations, || {
        black_box(FailoverGlobalCluster::serialize(black_box(&input)).unwrap());
    });
    let ok_response = Response::new(200, SUCCESS_200);
    let parse_ok = measure(iterations, || {
        black_box(FailoverGlobalCluster::deserialize(black_box(&ok_response)).unwrap());
    });
    let err_response = Response::new(404, NOT_FOUND_404);
    let parse_err = measure(iterations, || {
        black_box(FailoverGlobalCluster::deserialize(black_box(&err_response)).unwrap_err());
    });
    let ok_client = client(200, SUCCESS_200);
    let call_ok = measure(iterations, || {
        let call = ok_client
            .failover_global_cluster()
            .global_cluster_identifier("my-global")
            .target_db_cluster_identifier(TARGET_ARN)
            .send();
        black_box(block_on(call).unwrap());
    });
    let provided_client = Client::new(
        Config::from_credentials_provider("us-east-1", credentials.clone())
            .with_clock(pinned_clock),
        Canned(Response::new(200, SUCCESS_200).with_header("x-amzn-requestid", "a1b2c3")),
    );
    let call_provided = measure(iterations, || {
        let call = provided_client
            .failover_global_cluster()
            .global_cluster_identifier("my-global")
            .target_db_cluster_identifier(TARGET_ARN)
            .send();
        black_box(block_on(call).unwrap());
    });
    let err_client = client(404, NOT_FOUND_404);
    let call_err = measure(iterations, || {
        let call = err_client
            .failover_global_cluster()
            .global_cluster_identifier("my-global")
            .target_db_cluster_identifier(TARGET_ARN)
            .send();
        black_box(block_on(call).unwrap_err());
    });

    println!(
        "{:<44} {:>10} {:>8}",
        "FailoverGlobalCluster", "per call", "/ anchor"
    );
    let row = |name: &str, d: Duration| {
        println!(
            "{name:<44} {:>8.2}µs {:>7.2}×",
            d.as_secs_f64() * 1e6,
            d.as_secs_f64() / anchor.as_secs_f64()
        );
    };
    row("anchor: one SigV4 signature", anchor);
    row("serialize input", serialize);
    row("parse 200 response", parse_ok);
    row("parse 404 error", parse_err);
    row("client call, success (build, sign, parse)", call_ok);
    row("client call, 404 error", call_err);
    row("client call, success, keys from a provider", call_provided);
}
