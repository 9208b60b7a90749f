//! Retries through the client: what is retried (throttling, 5xx, connection failures), what is not
//! (modeled faults), how many attempts, and the waits in between.

use std::time::Duration;

use awsquery::http::{Request, Response};
use awsquery::retry::{RetryConfig, RetryMode};
use awsquery::transport::TransportErrorKind;
use neptune_client::error::FailoverGlobalClusterError;
use neptune_client::{Client, SdkError, Transport, TransportError};
use neptune_tests::{NOT_FOUND_404, SUCCESS_200, Script, TARGET_ARN, block_on, pinned_config};

const THROTTLED_400: &str = "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>\
    <Message>Rate exceeded</Message></Error><RequestId>t-1</RequestId></ErrorResponse>";
const HTML_503: &str = "<!doctype html><html><body>Service Unavailable</body></html>";

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
    let requests = script.requests();
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

/// Never answers; its waits end at once, so an operation timeout fires on the first poll.
struct Stalled;

impl Transport for Stalled {
    async fn send(&self, _request: Request) -> Result<Response, TransportError> {
        std::future::pending().await
    }

    async fn sleep(&self, _duration: Duration) {}
}

#[test]
fn operation_timeout_ends_a_call_that_gets_no_answer() {
    let limit = Duration::from_millis(1500);
    let config = pinned_config().with_operation_timeout(limit);
    assert_eq!(config.operation_timeout(), Some(limit));
    let client = Client::new(config, Stalled);
    let error = block_on(
        client
            .failover_global_cluster()
            .global_cluster_identifier("my-global")
            .target_db_cluster_identifier(TARGET_ARN)
            .send(),
    )
    .unwrap_err();
    match &error {
        SdkError::Transport(e) => {
            assert_eq!(e.kind(), TransportErrorKind::Timeout);
            assert_eq!(
                e.to_string(),
                "timed out: the operation did not complete within its timeout of 1.5s, \
                 retries included"
            );
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[test]
fn a_call_that_completes_wins_over_its_operation_timeout() {
    // The script's waits end at once, so the timeout is ready as soon as it is polled: the call,
    // polled first, must still win, retries included.
    let script = Script::new(vec![
        Ok(Response::new(503, HTML_503)),
        Ok(Response::new(200, SUCCESS_200)),
    ]);
    let config = pinned_config().with_operation_timeout(Duration::from_secs(30));
    let client = Client::new(config, &script);
    call(&client).expect("the second attempt succeeds");
    assert_eq!(script.attempts(), 2);
    assert_eq!(script.sleeps().len(), 1, "only the backoff was waited for");
}

/// Asserts that `wait` is a rate limiter wait for the `n`th token owed: `2n` seconds at half a
/// token a second, less what the bucket earned in the real time the test took (well under 0.5 s).
#[track_caller]
fn assert_token_wait(wait: Duration, n: u32) {
    let full = Duration::from_secs(2 * u64::from(n));
    assert!(
        wait <= full && wait > full - Duration::from_millis(500),
        "expected a wait of about {full:?}, got {wait:?}"
    );
}

#[test]
fn adaptive_mode_makes_attempts_wait_once_throttled() {
    let script = Script::new(vec![
        Ok(Response::new(400, THROTTLED_400)),
        Ok(Response::new(400, THROTTLED_400)),
        Ok(Response::new(200, SUCCESS_200)),
        Ok(Response::new(200, SUCCESS_200)),
    ]);
    let client = client(
        &script,
        RetryConfig::default().with_mode(RetryMode::Adaptive),
    );
    call(&client).expect("the third attempt succeeds");
    assert_eq!(script.attempts(), 3);
    // The first attempt went at once. Each retry waited its backoff (at most 1 s, then 2 s), then
    // for a token: the bucket, in use since the first throttle, fills at half a token a second
    // and the script's waits end at once, so the tokens owed pile up.
    let sleeps = script.sleeps();
    assert_eq!(sleeps.len(), 4, "{sleeps:?}");
    assert!(sleeps[0] <= Duration::from_secs(1), "{sleeps:?}");
    assert_token_wait(sleeps[1], 1);
    assert!(sleeps[2] <= Duration::from_secs(2), "{sleeps:?}");
    assert_token_wait(sleeps[3], 2);

    // The limiter belongs to the client: the next call's first attempt waits too.
    call(&client).expect("the next call succeeds");
    let sleeps = script.sleeps();
    assert_eq!(sleeps.len(), 5, "{sleeps:?}");
    assert_token_wait(sleeps[4], 3);
    assert!(script.is_exhausted());
}

#[test]
fn adaptive_mode_does_not_wait_without_throttling() {
    let script = Script::new(vec![
        Ok(Response::new(503, HTML_503)),
        Ok(Response::new(200, SUCCESS_200)),
        Ok(Response::new(200, SUCCESS_200)),
    ]);
    let client = client(
        &script,
        RetryConfig::default().with_mode(RetryMode::Adaptive),
    );
    call(&client).expect("the second attempt succeeds");
    call(&client).expect("the next call succeeds");
    assert_eq!(script.attempts(), 3);
    assert_eq!(script.sleeps().len(), 1, "only the backoff after the 503");
}
