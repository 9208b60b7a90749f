//! The waiters the official Neptune models carry (`DBInstanceAvailable`, `DBInstanceDeleted`, both
//! on `DescribeDBInstances`), generated and run against an in-memory transport: success, failure,
//! retry, success on an error, and timeout.
//!
//! `.ci/run` copies this file into the client crate generated from each official model, where
//! `cargo test` runs it; it is not part of this repository's workspace.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use awsquery::http::{Request, Response};
use awsquery::transport::{Transport, TransportError};
use awsquery::waiter::{FinalPoll, WaiterError};
use awsquery_testing::client::{block_on, config};
use neptune_client::Client;

/// Answers each request with the next scripted response, and records the waits.
#[derive(Debug, Default)]
struct Script {
    responses: Mutex<VecDeque<Response>>,
    requests: Mutex<Vec<String>>,
    sleeps: Mutex<Vec<Duration>>,
}

impl Script {
    fn new(responses: impl IntoIterator<Item = Response>) -> Self {
        Script {
            responses: Mutex::new(responses.into_iter().collect()),
            ..Script::default()
        }
    }

    fn polls(&self) -> usize {
        self.requests.lock().unwrap().len()
    }
}

impl Transport for &Script {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        let body = String::from_utf8(request.body).expect("a form body");
        self.requests.lock().unwrap().push(body);
        let next = self.responses.lock().unwrap().pop_front();
        Ok(next.expect("no more polls than scripted answers"))
    }

    async fn sleep(&self, duration: Duration) {
        self.sleeps.lock().unwrap().push(duration);
    }
}

/// A `DescribeDBInstances` page with one instance in `status`.
fn instance(status: &str) -> Response {
    Response::new(
        200,
        format!(
            "<DescribeDBInstancesResponse><DescribeDBInstancesResult><DBInstances><DBInstance>\
             <DBInstanceIdentifier>db-1</DBInstanceIdentifier><DBInstanceStatus>{status}</DBInstanceStatus>\
             </DBInstance></DBInstances></DescribeDBInstancesResult></DescribeDBInstancesResponse>"
        ),
    )
}

fn not_found() -> Response {
    Response::new(
        404,
        "<ErrorResponse><Error><Type>Sender</Type><Code>DBInstanceNotFound</Code>\
         <Message>DBInstance db-1 not found.</Message></Error></ErrorResponse>",
    )
}

fn client(script: &Script) -> Client<&Script> {
    Client::new(config("https://rds.us-east-1.amazonaws.com"), script)
}

const HOUR: Duration = Duration::from_secs(3600);

#[test]
fn available_polls_until_every_instance_is_available() {
    let script = Script::new([instance("creating"), instance("backing-up"), instance("available")]);
    let last = block_on(
        client(&script)
            .wait_until_db_instance_available()
            .db_instance_identifier("db-1")
            .wait(HOUR),
    )
    .expect("the instance becomes available");
    let FinalPoll::Output(output) = last else {
        panic!("the wait ends on an output");
    };
    let statuses: Vec<_> = output
        .db_instances
        .iter()
        .flatten()
        .filter_map(|i| i.db_instance_status.as_deref())
        .collect();
    assert_eq!(statuses, ["available"]);
    assert_eq!(script.polls(), 3);
    assert!(script.requests.lock().unwrap().iter().all(|body| {
        body.starts_with("Action=DescribeDBInstances&") && body.contains("DBInstanceIdentifier=db-1")
    }));
    // The model's delays: at least 30 s between polls.
    let sleeps = script.sleeps.lock().unwrap().clone();
    assert_eq!(sleeps.len(), 2);
    assert!(sleeps.iter().all(|d| *d >= Duration::from_secs(30)), "{sleeps:?}");
}

#[test]
fn available_fails_when_an_instance_fails() {
    let script = Script::new([instance("creating"), instance("failed")]);
    let error = block_on(
        client(&script)
            .wait_until_db_instance_available()
            .db_instance_identifier("db-1")
            .wait(HOUR),
    )
    .expect_err("a failed instance ends the wait");
    match error {
        WaiterError::Failure(failure) => {
            assert_eq!(failure.waiter(), "DBInstanceAvailable");
            assert!(failure.acceptor().is_some());
            assert!(failure.poll().as_output().is_some());
        }
        other => panic!("expected a failure, got {other:?}"),
    }
    assert_eq!(script.polls(), 2);
}

#[test]
fn available_times_out_with_the_last_state() {
    let script = Script::new((0..10).map(|_| instance("creating")));
    let error = block_on(
        client(&script)
            .wait_until_db_instance_available()
            .db_instance_identifier("db-1")
            .wait(Duration::from_secs(100)),
    )
    .expect_err("the instance never becomes available");
    match error {
        WaiterError::Timeout(timeout) => {
            assert!(timeout.attempts() >= 2, "{}", timeout.attempts());
            assert!(timeout.last().and_then(FinalPoll::as_output).is_some());
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[test]
fn deleted_succeeds_on_not_found() {
    let script = Script::new([instance("deleting"), not_found()]);
    let last = block_on(
        client(&script)
            .wait_until_db_instance_deleted()
            .db_instance_identifier("db-1")
            .wait(HOUR),
    )
    .expect("not found means deleted");
    let FinalPoll::Error(error) = last else {
        panic!("the wait ends on the error");
    };
    assert_eq!(
        error.service_error().and_then(|e| e.meta().code()),
        Some("DBInstanceNotFound")
    );
    assert_eq!(script.polls(), 2);
}

#[test]
fn deleted_fails_when_the_instance_is_being_created() {
    let script = Script::new([instance("creating")]);
    let error = block_on(
        client(&script)
            .wait_until_db_instance_deleted()
            .db_instance_identifier("db-1")
            .wait(HOUR),
    )
    .expect_err("an instance being created is not being deleted");
    assert!(matches!(error, WaiterError::Failure(_)), "{error:?}");
    assert_eq!(script.polls(), 1);
}
