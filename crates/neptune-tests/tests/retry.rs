//! Retries through the client: what is retried (throttling, 5xx, connection failures), what is not
//! (modeled faults), how many attempts, and the waits in between.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use awsquery::client::TransportErrorKind;
use awsquery::http::{Request, Response};
use awsquery::retry::RetryConfig;
use neptune_client::error::FailoverGlobalClusterError;
use neptune_client::{Client, SdkError, Transport, TransportError};
use neptune_tests::{NOT_FOUND_404, SUCCESS_200, TARGET_ARN, block_on, pinned_config};

const THROTTLED_400: &str = "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>\
    <Message>Rate exceeded</Message></Error><RequestId>t-1</RequestId></ErrorResponse>";
const HTML_503: &str = "<!doctype html><html><body>Service Unavailable</body></html>";

/// Answers each request with the next scripted outcome and records the requests and the waits.
#[derive(Debug, Default)]
struct Script {
    answers: Mutex<VecDeque<Result<Response, TransportErrorKind>>>,
    requests: Mutex<Vec<Request>>,
    sleeps: Mutex<Vec<Duration>>,
}

impl Script {
    fn new(answers: Vec<Result<Response, TransportErrorKind>>) -> Self {
        Script {
            answers: Mutex::new(answers.into()),
            ..Script::default()
        }
    }

    fn attempts(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    fn sleeps(&self) -> Vec<Duration> {
        self.sleeps.lock().unwrap().clone()
    }
}

impl Transport for &Script {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        self.requests.lock().unwrap().push(request);
        match self.answers.lock().unwrap().pop_front() {
            Some(Ok(response)) => Ok(response),
            Some(Err(kind)) => Err(TransportError::new(kind, "scripted failure")),
            None => panic!("the client sent more requests than the script has answers"),
        }
    }

    async fn sleep(&self, duration: Duration) {
        self.sleeps.lock().unwrap().push(duration);
    }
}

fn client(script: &Script, retry: RetryConfig) -> Client<&Script> {
    let config = pinned_config().with_retry_config(retry);
    Client::new(config, script)
}

fn call(
    client: &Client<&Script>,
) -> Result<neptune_client::types::FailoverGlobalClusterOutput, SdkError<FailoverGlobalClusterError>>
{
    block_on(
        client
            .failover_global_cluster()
            .global_cluster_identifier("my-global")
            .target_db_cluster_identifier(TARGET_ARN)
            .send(),
    )
}

#[test]
fn throttling_then_success_is_retried() {
    let script = Script::new(vec![
        Ok(Response::new(400, THROTTLED_400)),
        Ok(Response::new(200, SUCCESS_200)),
    ]);
    let output =
        call(&client(&script, RetryConfig::default())).expect("the second attempt succeeds");
    assert!(output.global_cluster.is_some());
    assert_eq!(script.attempts(), 2);
    let sleeps = script.sleeps();
    assert_eq!(sleeps.len(), 1);
    assert!(
        sleeps[0] <= Duration::from_secs(1),
        "first backoff is at most 1 s: {sleeps:?}"
    );
}

#[test]
fn server_error_then_success_is_retried_and_each_attempt_is_signed() {
    let script = Script::new(vec![
        Ok(Response::new(503, HTML_503)),
        Ok(Response::new(200, SUCCESS_200)),
    ]);
    call(&client(&script, RetryConfig::default())).expect("the second attempt succeeds");
    let requests = script.requests.lock().unwrap();
    assert_eq!(requests.len(), 2);
    for request in requests.iter() {
        assert!(
            request.header("authorization").is_some(),
            "every attempt is signed"
        );
        assert_eq!(
            request.header("authorization"),
            requests[0].header("authorization")
        );
    }
}

#[test]
fn a_modeled_fault_is_not_retried() {
    let script = Script::new(vec![Ok(Response::new(404, NOT_FOUND_404))]);
    let error = call(&client(&script, RetryConfig::default())).unwrap_err();
    assert!(matches!(
        error.service_error(),
        Some(FailoverGlobalClusterError::GlobalClusterNotFoundFault(_))
    ));
    assert_eq!(script.attempts(), 1);
    assert!(script.sleeps().is_empty());
}

#[test]
fn persistent_server_errors_end_after_max_attempts_with_the_status_and_body() {
    let script = Script::new(vec![
        Ok(Response::new(503, HTML_503)),
        Ok(Response::new(503, HTML_503)),
        Ok(Response::new(503, HTML_503)),
    ]);
    let error = call(&client(&script, RetryConfig::default())).unwrap_err();
    assert_eq!(script.attempts(), 3);
    assert_eq!(script.sleeps().len(), 2);
    match error.service_error() {
        Some(FailoverGlobalClusterError::Unhandled(e)) => {
            assert_eq!(e.meta().status, 503);
            assert!(
                e.meta()
                    .message()
                    .is_some_and(|m| m.contains("Service Unavailable")),
                "{e}"
            );
        }
        other => panic!("expected an unhandled 503, got {other:?}"),
    }
}

#[test]
fn timeouts_are_retried_up_to_the_configured_attempts() {
    let script = Script::new(vec![
        Err(TransportErrorKind::Timeout),
        Err(TransportErrorKind::Timeout),
        Err(TransportErrorKind::Timeout),
        Err(TransportErrorKind::Timeout),
        Err(TransportErrorKind::Timeout),
    ]);
    let error = call(&client(
        &script,
        RetryConfig::default().with_max_attempts(5),
    ))
    .unwrap_err();
    assert!(matches!(&error, SdkError::Transport(e) if e.kind() == TransportErrorKind::Timeout));
    assert_eq!(script.attempts(), 5);
    let sleeps = script.sleeps();
    assert_eq!(sleeps.len(), 4);
    for (i, sleep) in sleeps.iter().enumerate() {
        assert!(
            *sleep <= Duration::from_secs(1 << i),
            "backoff {i} within its ceiling: {sleeps:?}"
        );
    }
}

#[test]
fn retries_can_be_disabled() {
    let script = Script::new(vec![Ok(Response::new(503, HTML_503))]);
    call(&client(&script, RetryConfig::disabled())).unwrap_err();
    assert_eq!(script.attempts(), 1);
}
