//! End to end: the generated client over [`HyperTransport`] against a real HTTP/1.1 server on
//! 127.0.0.1 (see `server.rs`), which checks what it received: a request signed exactly as sent.

mod faults;
mod from_env;
mod global_clusters;
mod load;
mod server;
mod spawned;

use std::future::Future;
use std::time::{Duration, Instant};

use awsquery::retry::RetryConfig;
use awsquery::sigv4::{self, SignableRequest, SigningParams};
use awsquery::transport::TransportErrorKind;
use awsquery_hyper::HyperTransport;
use neptune_client::error::FailoverGlobalClusterError;
use neptune_client::types::FailoverGlobalClusterOutput;
use neptune_client::{Client, Config, Credentials, SdkError};
use neptune_tests::{NOT_FOUND_404, SECRET, SUCCESS_200, TARGET_ARN, pinned_clock, pinned_config};
use server::{Received, Reply, TestServer};

/// The body aws-sdk-neptune sends for this input (`wire/` fixture).
const SDK_BODY: &str = "Action=FailoverGlobalCluster&Version=2014-10-31&GlobalClusterIdentifier=my-global&TargetDbClusterIdentifier=arn%3Aaws%3Ards%3Aus-west-2%3A123456789012%3Acluster%3Asecondary";

const THROTTLED_400: &str = "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>\
    <Message>Rate exceeded</Message></Error><RequestId>t-1</RequestId></ErrorResponse>";

fn run<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(future)
}

/// The pinned test configuration aimed at `server`, with 10 ms backoffs so retries are quick.
fn config(server: &TestServer) -> Config {
    pinned_config()
        .with_endpoint_url(server.url())
        .with_retry_config(RetryConfig::default().with_initial_backoff(Duration::from_millis(10)))
}

fn client(config: Config, transport: &HyperTransport) -> Client<HyperTransport> {
    Client::new(config, transport.clone())
}

async fn failover(
    client: &Client<HyperTransport>,
) -> Result<FailoverGlobalClusterOutput, SdkError<FailoverGlobalClusterError>> {
    client
        .failover_global_cluster()
        .global_cluster_identifier("my-global")
        .target_db_cluster_identifier(TARGET_ARN)
        .send()
        .await
}

/// Checks one received FailoverGlobalCluster request: see [`assert_signed_form`].
fn assert_signed_request(server: &TestServer, request: &Received) {
    assert_signed_form(server, request, SDK_BODY);
}

/// Checks one received request: the form body, the headers, and an `Authorization` that is the
/// signature of exactly what arrived.
fn assert_signed_form(server: &TestServer, request: &Received, body: &str) {
    assert_eq!(request.request_line, "POST / HTTP/1.1");
    assert_eq!(std::str::from_utf8(&request.body), Ok(body));
    let length = request.header("content-length").expect("a length");
    assert_eq!(length, body.len().to_string());
    let host = server.host();
    let content_type = request.header("content-type").expect("a content type");
    assert_eq!(content_type, "application/x-www-form-urlencoded");
    assert_eq!(request.header("host"), Some(host.as_str()));
    let date = request.header("x-amz-date").expect("a date");
    assert_eq!(date, "20150830T123600Z");

    let authorization = request.header("authorization").expect("a signature");
    let credentials = Credentials::new("AKIDEXAMPLE", SECRET, None);
    let expected = sigv4::authorization(
        &SignableRequest {
            method: "POST",
            path: "/",
            query: "",
            headers: &[
                ("content-length", length),
                ("content-type", content_type),
                ("host", &host),
                ("x-amz-date", date),
            ],
            body: &request.body,
        },
        &SigningParams {
            credentials: &credentials,
            region: "us-east-1",
            service: "rds",
            time: pinned_clock(),
        },
    );
    assert_eq!(authorization, expected);
    assert!(
        authorization.starts_with(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/rds/aws4_request, \
             SignedHeaders=content-length;content-type;host;x-amz-date, Signature="
        ),
        "{authorization}"
    );
}

#[test]
fn a_failover_succeeds_with_a_request_signed_as_sent() {
    run(async {
        let server = TestServer::start(vec![
            Reply::status(200, SUCCESS_200)
                .header("x-amzn-requestid", "a1b2c3")
                .header("content-type", "text/xml"),
        ])
        .await;
        let client = client(config(&server), &HyperTransport::new());
        // Spawned, so the call's future must be `Send` and `'static` (with an owned client).
        let output = tokio::spawn(async move { failover(&client).await })
            .await
            .expect("the task")
            .expect("a success");
        let cluster = output.global_cluster.expect("a global cluster");
        assert_eq!(
            cluster.global_cluster_identifier.as_deref(),
            Some("my-global")
        );
        assert_eq!(cluster.global_cluster_members.map(|m| m.len()), Some(2));

        let received = server.received();
        assert_eq!(received.len(), 1);
        assert_signed_request(&server, &received[0]);
    });
}

fn fault(code: &str, message: &str) -> String {
    format!(
        "<ErrorResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><Error>\
         <Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>\
         <RequestId>body-id</RequestId></ErrorResponse>"
    )
}

#[test]
fn each_modeled_fault_is_its_own_variant_and_is_not_retried() {
    run(async {
        let server = TestServer::start(vec![
            Reply::status(404, NOT_FOUND_404),
            Reply::status(
                404,
                fault("DBClusterNotFoundFault", "DBCluster secondary not found"),
            )
            .header("x-amzn-requestid", "r-2"),
            Reply::status(
                400,
                fault("InvalidDBClusterStateFault", "The cluster is modifying"),
            )
            .header("x-amzn-requestid", "r-3"),
            Reply::status(
                400,
                fault(
                    "InvalidGlobalClusterStateFault",
                    "The global cluster is busy",
                ),
            )
            .header("x-amzn-requestid", "r-4"),
        ])
        .await;
        let client = client(config(&server), &HyperTransport::new());

        let mut seen = Vec::new();
        for _ in 0..4 {
            let error = failover(&client).await.expect_err("a fault");
            let Some(e) = error.service_error() else {
                panic!("expected a service error, got {error:?}");
            };
            let variant = match e {
                FailoverGlobalClusterError::GlobalClusterNotFoundFault(_) => "global not found",
                FailoverGlobalClusterError::DbClusterNotFoundFault(_) => "cluster not found",
                FailoverGlobalClusterError::InvalidDbClusterStateFault(_) => "cluster state",
                FailoverGlobalClusterError::InvalidGlobalClusterStateFault(_) => "global state",
                other => panic!("expected a modeled fault, got {other:?}"),
            };
            let meta = e.meta();
            seen.push((
                variant,
                meta.status,
                meta.code().map(str::to_owned),
                meta.message().map(str::to_owned),
                meta.request_id().map(str::to_owned),
            ));
        }
        let owned = |s: &str| Some(s.to_owned());
        assert_eq!(
            seen,
            [
                (
                    "global not found",
                    404,
                    owned("GlobalClusterNotFoundFault"),
                    owned("Global cluster my-global not found"),
                    owned("d4e5f6"),
                ),
                (
                    "cluster not found",
                    404,
                    owned("DBClusterNotFoundFault"),
                    owned("DBCluster secondary not found"),
                    owned("r-2"),
                ),
                (
                    "cluster state",
                    400,
                    owned("InvalidDBClusterStateFault"),
                    owned("The cluster is modifying"),
                    owned("r-3"),
                ),
                (
                    "global state",
                    400,
                    owned("InvalidGlobalClusterStateFault"),
                    owned("The global cluster is busy"),
                    owned("r-4"),
                ),
            ]
        );
        assert_eq!(server.received().len(), 4, "faults are not retried");
    });
}

#[test]
fn throttling_then_success_is_retried() {
    run(async {
        let server = TestServer::start(vec![
            Reply::status(400, THROTTLED_400),
            Reply::status(200, SUCCESS_200),
        ])
        .await;
        let client = client(config(&server), &HyperTransport::new());
        failover(&client).await.expect("the retry succeeds");
        let received = server.received();
        assert_eq!(received.len(), 2);
        for request in &received {
            assert_signed_request(&server, request);
        }
    });
}

#[test]
fn a_server_error_then_success_is_retried() {
    run(async {
        let server = TestServer::start(vec![
            Reply::status(500, "<html><body>Internal Server Error</body></html>"),
            Reply::status(200, SUCCESS_200),
        ])
        .await;
        let client = client(config(&server), &HyperTransport::new());
        let output = failover(&client).await.expect("the retry succeeds");
        assert!(output.global_cluster.is_some());
        assert_eq!(server.received().len(), 2);
    });
}

#[test]
fn a_silent_server_times_out_every_attempt() {
    run(async {
        let server = TestServer::start(vec![Reply::Hang, Reply::Hang, Reply::Hang]).await;
        let read_timeout = Duration::from_millis(200);
        let transport = HyperTransport::builder().read_timeout(read_timeout).build();
        let client = client(config(&server), &transport);
        let started = Instant::now();
        let error = failover(&client).await.expect_err("no answer");
        let elapsed = started.elapsed();
        match &error {
            SdkError::Transport(e) => {
                assert_eq!(e.kind(), TransportErrorKind::Timeout);
                assert_eq!(
                    e.to_string(),
                    "timed out: no complete response within the read timeout of 200ms"
                );
            }
            other => panic!("expected a timeout, got {other:?}"),
        }
        assert!(error.is_timeout());
        assert_eq!(
            server.received().len(),
            3,
            "each timed-out attempt is retried"
        );
        assert_eq!(
            server.connections(),
            3,
            "a timed-out connection is not reused"
        );
        assert!(elapsed >= 3 * read_timeout, "{elapsed:?}");
        // Three attempts of 200 ms and two backoffs of at most 10 and 20 ms: far below this.
        assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
    });
}

#[test]
fn the_operation_timeout_ends_the_call_before_the_read_timeout() {
    run(async {
        let server = TestServer::start(vec![Reply::Hang]).await;
        let transport = HyperTransport::builder()
            .read_timeout(Duration::from_secs(30))
            .build();
        let limit = Duration::from_millis(300);
        let client = client(config(&server).with_operation_timeout(limit), &transport);
        let started = Instant::now();
        let error = failover(&client).await.expect_err("no answer");
        let elapsed = started.elapsed();
        assert!(
            matches!(&error, SdkError::Transport(e) if e.kind() == TransportErrorKind::Timeout),
            "{error:?}"
        );
        assert!(error.is_timeout());
        assert!(
            error
                .to_string()
                .ends_with("within its timeout of 300ms, retries included"),
            "{error}"
        );
        assert!(elapsed >= limit, "{elapsed:?}");
        assert!(elapsed < Duration::from_secs(30), "{elapsed:?}");
        assert_eq!(server.received().len(), 1);
    });
}

#[test]
fn a_closed_port_is_a_connect_error_after_retries() {
    run(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        drop(listener);
        let config = pinned_config()
            .with_endpoint_url(url)
            .with_retry_config(RetryConfig::default().with_initial_backoff(Duration::ZERO));
        let client = client(config, &HyperTransport::new());
        let error = failover(&client).await.expect_err("nothing listens");
        match &error {
            SdkError::Transport(e) => {
                assert_eq!(e.kind(), TransportErrorKind::Connect);
                assert!(e.to_string().contains("Connection refused"), "{e}");
            }
            other => panic!("expected a connect error, got {other:?}"),
        }
    });
}

#[test]
fn malformed_bodies_are_unhandled_errors_with_their_metadata() {
    run(async {
        let truncated = &SUCCESS_200[..SUCCESS_200.len() / 2];
        let server = TestServer::start(vec![
            Reply::status(200, truncated).header("x-amzn-requestid", "cut-1"),
            Reply::status(400, "<ErrorResponse><Error><Code>Throt")
                .header("x-amzn-requestid", "cut-2"),
            Reply::status(403, "plain words, not XML"),
        ])
        .await;
        let client = client(config(&server), &HyperTransport::new());

        for (status, request_id, excerpt) in [
            (200, Some("cut-1"), "<FailoverGlobalClusterResponse"),
            (400, Some("cut-2"), "<ErrorResponse><Error><Code>Throt"),
            (403, None, "plain words, not XML"),
        ] {
            let error = failover(&client).await.expect_err("unreadable");
            let Some(FailoverGlobalClusterError::Unhandled(e)) = error.service_error() else {
                panic!("expected an unhandled error, got {error:?}");
            };
            let meta = e.meta();
            assert_eq!(meta.status, status);
            assert_eq!(meta.code(), None);
            assert_eq!(meta.request_id(), request_id);
            let message = meta.message().expect("an excerpt of the body");
            assert!(message.starts_with(excerpt), "{message}");
            assert!(
                std::error::Error::source(e).is_some(),
                "the parse error is kept"
            );
        }
        assert_eq!(
            server.received().len(),
            3,
            "unreadable 2xx/4xx are not retried"
        );
    });
}

#[test]
fn calls_reuse_one_pooled_connection() {
    run(async {
        let server = TestServer::start(vec![
            Reply::status(200, SUCCESS_200),
            Reply::status(200, SUCCESS_200),
            Reply::status(404, NOT_FOUND_404),
        ])
        .await;
        let transport = HyperTransport::new();
        let first = client(config(&server), &transport);
        failover(&first).await.expect("a success");
        failover(&first).await.expect("a success");
        // Another client on a clone of the transport shares its pool.
        let second = client(config(&server), &transport);
        failover(&second).await.expect_err("a fault");
        assert_eq!(server.received().len(), 3);
        assert_eq!(server.connections(), 1);
    });
}
