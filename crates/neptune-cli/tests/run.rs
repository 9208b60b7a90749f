//! `neptune_cli::run` with an in-memory transport: what is sent, what is printed on stdout and
//! stderr, and the exit status, for each command and each way it can fail.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use awsquery::http::{Request, Response};
use awsquery::transport::{Transport, TransportError, TransportErrorKind};
use neptune_cli::{Stderr, Timeouts};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TARGET: &str = "arn:aws:rds:us-west-2:123456789012:cluster:secondary";
const PRIMARY: &str = "arn:aws:rds:us-east-1:123456789012:cluster:primary";
const FAILOVER_200: &[u8] =
    include_bytes!("../../neptune-tests/tests/data/failover_global_cluster.200.xml");
const NOT_FOUND_404: &[u8] =
    include_bytes!("../../neptune-tests/tests/data/failover_global_cluster.404.xml");
const HTML_500: &[u8] = include_bytes!(
    "../../neptune-tests/tests/data/failover_global_cluster_not_implemented.response.body"
);

/// Answers with scripted outcomes and records the requests, the waits and the timeouts it was
/// made with.
#[derive(Clone, Debug, Default)]
struct Canned(Arc<Mutex<State>>);

#[derive(Debug, Default)]
struct State {
    answers: VecDeque<Result<Response, TransportErrorKind>>,
    requests: Vec<Request>,
    sleeps: Vec<Duration>,
    timeouts: Option<Timeouts>,
}

impl Canned {
    fn new(answers: impl IntoIterator<Item = Result<Response, TransportErrorKind>>) -> Self {
        let canned = Canned::default();
        canned.0.lock().unwrap().answers = answers.into_iter().collect();
        canned
    }

    fn responses(responses: impl IntoIterator<Item = Response>) -> Self {
        Canned::new(responses.into_iter().map(Ok))
    }

    fn bodies(&self) -> Vec<String> {
        let state = self.0.lock().unwrap();
        state
            .requests
            .iter()
            .map(|r| String::from_utf8(r.body.clone()).unwrap())
            .collect()
    }

    fn requests(&self) -> Vec<Request> {
        self.0.lock().unwrap().requests.clone()
    }

    fn sleeps(&self) -> Vec<Duration> {
        self.0.lock().unwrap().sleeps.clone()
    }
}

impl Transport for Canned {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        let mut state = self.0.lock().unwrap();
        state.requests.push(request);
        match state.answers.pop_front() {
            Some(Ok(response)) => Ok(response),
            Some(Err(kind)) => Err(TransportError::new(kind, "scripted failure")),
            None => panic!("more requests than scripted answers"),
        }
    }

    async fn sleep(&self, duration: Duration) {
        self.0.lock().unwrap().sleeps.push(duration);
    }
}

/// What a run printed and returned.
#[derive(Debug)]
struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

/// The environment of most tests: keys and a Region, no home directory.
fn env() -> Vec<(String, String)> {
    env_with(&[
        ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
        ("AWS_REGION", "us-east-1"),
    ])
}

/// The run's whole environment: `pairs`, and instance metadata turned off, since the in-memory
/// transport plays only the Neptune endpoint.
fn env_with(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    [("AWS_EC2_METADATA_DISABLED", "true")]
        .iter()
        .chain(pairs)
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// Runs `future` on a current-thread tokio runtime, as the binary does.
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime")
        .block_on(future)
}

fn run_with(line: &str, env: &[(String, String)], transport: &Canned) -> Ran {
    let args: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
    let mut stdout = Vec::new();
    let stderr_buffer = Arc::new(Mutex::new(Vec::<u8>::new()));
    let stderr: Stderr = stderr_buffer.clone();
    let code = block_on(neptune_cli::run(
        &args,
        env,
        |timeouts, _settings| {
            transport.0.lock().unwrap().timeouts = Some(timeouts);
            std::future::ready(Ok(transport.clone()))
        },
        &mut stdout,
        &stderr,
    ));
    let stderr = String::from_utf8(stderr_buffer.lock().unwrap().clone()).unwrap();
    Ran {
        code,
        stdout: String::from_utf8(stdout).unwrap(),
        stderr,
    }
}

fn run(line: &str, transport: &Canned) -> Ran {
    run_with(line, &env(), transport)
}

const FAILOVER: &str = "failover-global-cluster --global-cluster-identifier my-global \
                        --target-db-cluster-identifier arn:aws:rds:us-west-2:123456789012:cluster:secondary";

// ---------------------------------------------------------------------------------------------
// failover-global-cluster
// ---------------------------------------------------------------------------------------------

#[test]
fn failover_prints_the_global_cluster() {
    let transport = Canned::responses([Response::new(200, FAILOVER_200)]);
    let ran = run(&format!("{FAILOVER} --allow-data-loss"), &transport);
    assert_eq!((ran.code, ran.stderr.as_str()), (0, ""));
    assert!(
        ran.stdout.starts_with(
            "{\n    \"GlobalCluster\": {\n        \"GlobalClusterIdentifier\": \"my-global\",\n"
        ),
        "{}",
        ran.stdout
    );
    assert!(ran.stdout.ends_with("    }\n}\n"), "{}", ran.stdout);
    assert_eq!(
        transport.bodies(),
        [
            "Action=FailoverGlobalCluster&Version=2014-10-31&GlobalClusterIdentifier=my-global\
          &TargetDbClusterIdentifier=arn%3Aaws%3Ards%3Aus-west-2%3A123456789012%3Acluster%3Asecondary\
          &AllowDataLoss=true"
        ]
    );
    let request = &transport.requests()[0];
    assert_eq!(request.uri, "https://rds.us-east-1.amazonaws.com/");
}

#[test]
fn switchover_false_and_the_endpoint_url() {
    let transport = Canned::responses([Response::new(200, FAILOVER_200)]);
    let ran = run(
        &format!(
            "{FAILOVER} --no-switchover --endpoint-url http://127.0.0.1:5000 --region eu-west-3"
        ),
        &transport,
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert!(transport.bodies()[0].ends_with("&Switchover=false"));
    let request = &transport.requests()[0];
    assert_eq!(request.uri, "http://127.0.0.1:5000/");
    let authorization = request.header("authorization").unwrap();
    assert!(
        authorization.contains("/eu-west-3/rds/aws4_request"),
        "{authorization}"
    );
}

#[test]
fn endpoint_urls_from_the_environment() {
    let mut env = env();
    env.extend(env_with(&[
        ("AWS_ENDPOINT_URL", "http://127.0.0.1:7000"),
        ("AWS_ENDPOINT_URL_NEPTUNE", "http://127.0.0.1:7001"),
    ]));
    let transport = Canned::responses([Response::new(200, FAILOVER_200)]);
    let ran = run_with(FAILOVER, &env, &transport);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(
        transport.requests()[0].uri,
        "http://127.0.0.1:7001/",
        "the service's variable wins"
    );

    let transport = Canned::responses([Response::new(200, FAILOVER_200)]);
    let ran = run_with(
        &format!("{FAILOVER} --endpoint-url http://127.0.0.1:7002"),
        &env,
        &transport,
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(
        transport.requests()[0].uri,
        "http://127.0.0.1:7002/",
        "the option wins"
    );

    let mut env = env_with(&[("AWS_ENDPOINT_URL", "ftp://127.0.0.1")]);
    env.extend(self::env());
    let transport = Canned::default();
    let ran = run_with(FAILOVER, &env, &transport);
    assert_eq!(ran.code, 253);
    assert!(ran.stderr.contains("AWS_ENDPOINT_URL"), "{}", ran.stderr);
    assert!(transport.requests().is_empty());
}

#[test]
fn an_empty_result_prints_nothing() {
    let body = "<FailoverGlobalClusterResponse><FailoverGlobalClusterResult/></FailoverGlobalClusterResponse>";
    let transport = Canned::responses([Response::new(200, body)]);
    let ran = run(FAILOVER, &transport);
    assert_eq!(
        (ran.code, ran.stdout.as_str(), ran.stderr.as_str()),
        (0, "", "")
    );
}

#[test]
fn a_modeled_fault_is_reported_as_the_aws_cli_does() {
    let transport = Canned::responses([Response::new(404, NOT_FOUND_404)]);
    let ran = run(FAILOVER, &transport);
    assert_eq!(ran.code, 254);
    assert_eq!(ran.stdout, "");
    assert_eq!(
        ran.stderr,
        "\nAn error occurred (GlobalClusterNotFoundFault) when calling the FailoverGlobalCluster operation: Global cluster my-global not found\n"
    );
}

#[test]
fn an_unmodeled_code_without_message_is_still_a_service_error() {
    let body = "<ErrorResponse><Error><Code>Throttling</Code></Error></ErrorResponse>";
    let transport = Canned::responses([
        Response::new(400, body),
        Response::new(400, body),
        Response::new(400, body),
    ]);
    let ran = run(FAILOVER, &transport);
    assert_eq!(ran.code, 254);
    assert_eq!(
        ran.stderr,
        "\nAn error occurred (Throttling) when calling the FailoverGlobalCluster operation: Unknown\n"
    );
    assert_eq!(
        transport.requests().len(),
        3,
        "retried as the AWS CLI retries"
    );
}

#[test]
fn an_unreadable_response_is_not_a_service_error() {
    let transport = Canned::responses((0..3).map(|_| Response::new(500, HTML_500)));
    let ran = run(FAILOVER, &transport);
    assert_eq!(ran.code, 255);
    assert!(
        ran.stderr.starts_with(
            "\nUnable to parse response (not an XML document: an HTML doctype at byte 15), invalid XML received (HTTP 500):\n<!doctype html>"
        ),
        "{}",
        ran.stderr
    );
}

const INVALID_STATE_400: &str = "<ErrorResponse><Error><Type>Sender</Type>\
    <Code>InvalidGlobalClusterStateFault</Code><Message>The global cluster my-global is \
    failing over</Message></Error><RequestId>r-2</RequestId></ErrorResponse>";

/// A failover whose first attempt timed out is sent again (standard retries do not know the
/// call is not idempotent); the service then refuses the second one because the first started
/// the failover. The message says so.
#[test]
fn a_retried_failover_refused_for_its_state_points_at_the_lost_attempt() {
    let transport = Canned::new([
        Err(TransportErrorKind::Timeout),
        Ok(Response::new(400, INVALID_STATE_400)),
    ]);
    let ran = run(FAILOVER, &transport);
    assert_eq!(ran.code, 254);
    assert_eq!(transport.requests().len(), 2, "the timeout was retried");
    assert!(
        ran.stderr.starts_with(
            "\nAn error occurred (InvalidGlobalClusterStateFault) when calling the \
             FailoverGlobalCluster operation: The global cluster my-global is failing over\n"
        ),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr
            .contains("may have reached the service and started the failover"),
        "{}",
        ran.stderr
    );

    // The same fault on a first attempt is only the fault.
    let transport = Canned::responses([Response::new(400, INVALID_STATE_400)]);
    let ran = run(FAILOVER, &transport);
    assert_eq!(ran.code, 254);
    assert!(!ran.stderr.contains("Note:"), "{}", ran.stderr);
}

#[test]
fn connection_failures_name_the_endpoint() {
    let transport = Canned::new((0..3).map(|_| Err(TransportErrorKind::Connect)));
    let ran = run(
        &format!("{FAILOVER} --endpoint-url http://127.0.0.1:9"),
        &transport,
    );
    assert_eq!(ran.code, 255);
    assert_eq!(
        ran.stderr,
        "\nCould not connect to the endpoint URL: \"http://127.0.0.1:9/\"\n"
    );
    let transport = Canned::new((0..3).map(|_| Err(TransportErrorKind::Timeout)));
    let ran = run(FAILOVER, &transport);
    assert_eq!(ran.code, 255);
    assert!(
        ran.stderr.starts_with(
            "\nRead timeout on endpoint URL: \"https://rds.us-east-1.amazonaws.com/\""
        ),
        "{}",
        ran.stderr
    );
}

#[test]
fn timeouts_reach_the_transport() {
    let transport = Canned::responses([Response::new(200, FAILOVER_200)]);
    run(
        &format!("{FAILOVER} --cli-read-timeout 0 --cli-connect-timeout 7"),
        &transport,
    );
    assert_eq!(
        transport.0.lock().unwrap().timeouts,
        Some(Timeouts {
            connect: Some(Duration::from_secs(7)),
            read: None
        })
    );
    let transport = Canned::responses([Response::new(200, FAILOVER_200)]);
    run(FAILOVER, &transport);
    assert_eq!(
        transport.0.lock().unwrap().timeouts,
        Some(Timeouts {
            connect: Some(Duration::from_secs(60)),
            read: Some(Duration::from_secs(60))
        })
    );
}

// ---------------------------------------------------------------------------------------------
// --wait
// ---------------------------------------------------------------------------------------------

/// A DescribeGlobalClusters answer for `my-global` with this status and writer.
fn described(status: &str, writer: &str) -> Response {
    let member = |arn: &str| {
        format!(
            "<GlobalClusterMember><DBClusterArn>{arn}</DBClusterArn><IsWriter>{}</IsWriter></GlobalClusterMember>",
            arn == writer
        )
    };
    Response::new(
        200,
        format!(
            "<DescribeGlobalClustersResponse><DescribeGlobalClustersResult><GlobalClusters>\
             <GlobalClusterMember><GlobalClusterIdentifier>my-global</GlobalClusterIdentifier>\
             <Status>{status}</Status><GlobalClusterMembers>{}{}</GlobalClusterMembers>\
             </GlobalClusterMember></GlobalClusters></DescribeGlobalClustersResult>\
             </DescribeGlobalClustersResponse>",
            member(PRIMARY),
            member(TARGET)
        ),
    )
}

#[test]
fn wait_prints_the_final_state() {
    let transport = Canned::responses([
        Response::new(200, FAILOVER_200),
        described("failing-over", PRIMARY),
        described("available", TARGET),
    ]);
    let ran = run(&format!("{FAILOVER} --wait --wait-delay 2"), &transport);
    assert_eq!((ran.code, ran.stderr.as_str()), (0, ""));
    assert_eq!(
        ran.stdout,
        format!(
            "{{\n    \"GlobalCluster\": {{\n        \"GlobalClusterIdentifier\": \"my-global\",\n        \"Status\": \"available\",\n        \"GlobalClusterMembers\": [\n            {{\n                \"DBClusterArn\": \"{PRIMARY}\",\n                \"IsWriter\": false\n            }},\n            {{\n                \"DBClusterArn\": \"{TARGET}\",\n                \"IsWriter\": true\n            }}\n        ]\n    }}\n}}\n"
        )
    );
    let bodies = transport.bodies();
    assert_eq!(bodies.len(), 3);
    assert!(bodies[1..].iter().all(|b| b
        == "Action=DescribeGlobalClusters&Version=2014-10-31&GlobalClusterIdentifier=my-global"));
    let sleeps = transport.sleeps();
    assert_eq!(
        sleeps.len(),
        1,
        "the first poll is at once, then one wait: {sleeps:?}"
    );
    assert!(
        sleeps
            .iter()
            .all(|s| *s >= Duration::from_secs(2) && *s <= Duration::from_secs(60))
    );
}

#[test]
fn wait_timeout_reports_the_last_state() {
    let transport = Canned::responses(
        std::iter::once(Response::new(200, FAILOVER_200))
            .chain((0..20).map(|_| described("failing-over", PRIMARY))),
    );
    let ran = run(
        &format!("{FAILOVER} --wait --wait-timeout 30 --wait-delay 10"),
        &transport,
    );
    assert_eq!(ran.code, 255);
    assert_eq!(ran.stdout, "");
    assert!(
        ran.stderr.starts_with(
            "\nWaiter FailoverComplete failed: Max wait time of 30 seconds exceeded ("
        ),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr.ends_with(&format!(
            "polls); last seen: status failing-over, writer {PRIMARY}\n"
        )),
        "{}",
        ran.stderr
    );
    let slept: Duration = transport.sleeps().iter().sum();
    assert!(slept <= Duration::from_secs(30), "{slept:?}");
}

#[test]
fn wait_fails_when_the_global_cluster_vanishes() {
    let transport = Canned::responses([
        Response::new(200, FAILOVER_200),
        Response::new(404, NOT_FOUND_404),
    ]);
    let ran = run(&format!("{FAILOVER} --wait"), &transport);
    assert_eq!(ran.code, 255);
    assert_eq!(
        ran.stderr,
        "\nWaiter FailoverComplete failed: An error occurred (GlobalClusterNotFoundFault): Global cluster my-global not found\n"
    );
}

#[test]
fn a_failed_failover_does_not_wait() {
    let transport = Canned::responses([Response::new(404, NOT_FOUND_404)]);
    let ran = run(&format!("{FAILOVER} --wait"), &transport);
    assert_eq!(ran.code, 254);
    assert_eq!(transport.requests().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// describe-global-clusters
// ---------------------------------------------------------------------------------------------

/// A page listing global databases `ids`, with `marker` when given.
fn page(ids: &[&str], marker: Option<&str>) -> Response {
    let clusters: String = ids
        .iter()
        .map(|id| {
            format!(
                "<GlobalClusterMember><GlobalClusterIdentifier>{id}</GlobalClusterIdentifier></GlobalClusterMember>"
            )
        })
        .collect();
    let marker = marker
        .map(|m| format!("<Marker>{m}</Marker>"))
        .unwrap_or_default();
    Response::new(
        200,
        format!(
            "<DescribeGlobalClustersResponse><DescribeGlobalClustersResult>{marker}\
             <GlobalClusters>{clusters}</GlobalClusters></DescribeGlobalClustersResult>\
             </DescribeGlobalClustersResponse>"
        ),
    )
}

/// The identifiers printed, in order, and the NextToken if any.
fn listed(stdout: &str) -> (Vec<String>, Option<String>) {
    let ids = stdout
        .lines()
        .filter_map(|l| l.trim().strip_prefix("\"GlobalClusterIdentifier\": \""))
        .map(|rest| rest.trim_end_matches(['"', ',']).to_owned())
        .collect();
    let token = stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("\"NextToken\": \""))
        .map(|rest| rest.trim_end_matches('"').to_owned());
    (ids, token)
}

const DESCRIBE: &str = "Action=DescribeGlobalClusters&Version=2014-10-31";

#[test]
fn describe_follows_every_page_and_prints_them_together() {
    let transport = Canned::responses([
        page(&["a", "b"], Some("m1")),
        page(&["c"], Some("m2")),
        page(&["d"], None),
    ]);
    let ran = run("describe-global-clusters --page-size 20", &transport);
    assert_eq!((ran.code, ran.stderr.as_str()), (0, ""));
    assert_eq!(
        listed(&ran.stdout),
        (vec!["a".into(), "b".into(), "c".into(), "d".into()], None)
    );
    assert!(
        ran.stdout.starts_with("{\n    \"GlobalClusters\": [\n"),
        "{}",
        ran.stdout
    );
    assert!(!ran.stdout.contains("Marker"), "{}", ran.stdout);
    assert_eq!(
        transport.bodies(),
        [
            format!("{DESCRIBE}&MaxRecords=20"),
            format!("{DESCRIBE}&MaxRecords=20&Marker=m1"),
            format!("{DESCRIBE}&MaxRecords=20&Marker=m2"),
        ]
    );
}

#[test]
fn a_marker_that_comes_round_again_is_a_pagination_error() {
    let transport = Canned::responses([
        page(&["a"], Some("m1")),
        page(&["b"], Some("m2")),
        page(&["c"], Some("m1")),
    ]);
    let ran = run("describe-global-clusters", &transport);
    assert_eq!(ran.code, 255);
    assert_eq!(ran.stdout, "");
    assert_eq!(
        ran.stderr,
        "\nError during pagination: The same next token was received twice: {'Marker': 'm1'}\n"
    );
    assert_eq!(transport.requests().len(), 3);
}

#[test]
fn empty_pages_with_fresh_markers_do_not_defeat_max_items() {
    // Every page is empty and names a new marker: --max-items is never reached, so only the
    // paginator's page limit ends the listing, after exactly that many requests.
    let limit = awsquery::paginator::DEFAULT_MAX_PAGES;
    let transport = Canned::responses((0..limit).map(|i| page(&[], Some(&format!("m{i}")))));
    let ran = run("describe-global-clusters --max-items 5", &transport);
    assert_eq!(ran.code, 255);
    assert_eq!(ran.stdout, "");
    assert_eq!(
        ran.stderr,
        format!(
            "\nError during pagination: The listing has more than {limit} pages, the paginator's limit\n"
        )
    );
    assert_eq!(transport.requests().len(), limit as usize);
}

#[test]
fn max_items_cuts_inside_a_page_and_the_token_resumes_there() {
    let transport =
        Canned::responses([page(&["a", "b"], Some("m1")), page(&["c", "d"], Some("m2"))]);
    let ran = run("describe-global-clusters --max-items 3", &transport);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let (ids, token) = listed(&ran.stdout);
    assert_eq!(ids, ["a", "b", "c"]);
    let token = token.expect("a NextToken");
    // The AWS CLI's own token for "page m1, one item already printed".
    assert_eq!(
        token,
        "eyJNYXJrZXIiOiAibTEiLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ=="
    );

    let transport = Canned::responses([page(&["c", "d"], None)]);
    let ran = run(
        &format!("describe-global-clusters --starting-token {token}"),
        &transport,
    );
    assert_eq!(listed(&ran.stdout), (vec!["d".into()], None));
    assert_eq!(transport.bodies(), [format!("{DESCRIBE}&Marker=m1")]);
}

#[test]
fn max_items_on_a_page_boundary_resumes_at_the_next_page() {
    let transport = Canned::responses([page(&["a", "b"], Some("m1"))]);
    let ran = run("describe-global-clusters --max-items 2", &transport);
    let (ids, token) = listed(&ran.stdout);
    assert_eq!(ids, ["a", "b"]);
    assert_eq!(
        token.as_deref(),
        Some("eyJNYXJrZXIiOiAibTEifQ=="),
        "{{\"Marker\": \"m1\"}}"
    );
    assert_eq!(
        transport.requests().len(),
        1,
        "no request beyond what is printed"
    );
}

#[test]
fn a_bare_marker_is_a_starting_token_too() {
    let transport = Canned::responses([page(&["z"], None)]);
    let ran = run("describe-global-clusters --starting-token m9", &transport);
    assert_eq!(listed(&ran.stdout).0, ["z"]);
    assert_eq!(transport.bodies(), [format!("{DESCRIBE}&Marker=m9")]);
}

#[test]
fn no_paginate_prints_one_page_with_its_marker() {
    let transport = Canned::responses([page(&["a"], Some("m1"))]);
    let ran = run("describe-global-clusters --no-paginate", &transport);
    assert_eq!(
        ran.stdout,
        "{\n    \"Marker\": \"m1\",\n    \"GlobalClusters\": [\n        {\n            \"GlobalClusterIdentifier\": \"a\"\n        }\n    ]\n}\n"
    );
    let transport = Canned::responses([page(&["b"], Some("m2"))]);
    let ran = run(
        "describe-global-clusters --max-records 20 --marker m1",
        &transport,
    );
    assert!(ran.stdout.contains("\"Marker\": \"m2\""), "{}", ran.stdout);
    assert_eq!(
        transport.bodies(),
        [format!("{DESCRIBE}&MaxRecords=20&Marker=m1")]
    );
}

#[test]
fn no_paginate_excludes_the_pagination_options() {
    let transport = Canned::default();
    let ran = run(
        "describe-global-clusters --no-paginate --max-items 2 --page-size 20",
        &transport,
    );
    assert_eq!(ran.code, 252);
    assert_eq!(
        ran.stderr,
        "\nParameter validation failed:\nCannot specify --no-paginate along with pagination arguments: --page-size, --max-items\n"
    );
    assert!(transport.requests().is_empty());
}

#[test]
fn no_global_clusters_at_all() {
    let empty = "<DescribeGlobalClustersResponse><DescribeGlobalClustersResult><GlobalClusters/>\
                 </DescribeGlobalClustersResult></DescribeGlobalClustersResponse>";
    let transport = Canned::responses([Response::new(200, empty)]);
    let ran = run("describe-global-clusters", &transport);
    assert_eq!(ran.stdout, "{\n    \"GlobalClusters\": []\n}\n");
    let absent = "<DescribeGlobalClustersResponse><DescribeGlobalClustersResult/>\
                  </DescribeGlobalClustersResponse>";
    let transport = Canned::responses([Response::new(200, absent)]);
    let ran = run("describe-global-clusters", &transport);
    assert_eq!(
        (ran.code, ran.stdout.as_str()),
        (0, ""),
        "the AWS CLI prints nothing for {{}}"
    );
}

#[test]
fn an_error_on_a_later_page() {
    let transport =
        Canned::responses([page(&["a"], Some("m1")), Response::new(404, NOT_FOUND_404)]);
    let ran = run("describe-global-clusters", &transport);
    assert_eq!(ran.code, 254);
    assert_eq!(ran.stdout, "", "nothing is printed when a page fails");
    assert!(
        ran.stderr
            .contains("when calling the DescribeGlobalClusters operation")
    );
}

// ---------------------------------------------------------------------------------------------
// Configuration and the command line
// ---------------------------------------------------------------------------------------------

#[test]
fn usage_errors_print_the_usage() {
    let transport = Canned::default();
    let ran = run(
        "failover-global-cluster --global-cluster-identifier g",
        &transport,
    );
    assert_eq!(ran.code, 252);
    assert_eq!(
        ran.stderr,
        "usage: neptune [options] <command> [parameters]\nTo see help text, you can run:\n\n  neptune help\n  neptune <command> help\n\nneptune: error: the following arguments are required: --target-db-cluster-identifier\n"
    );
    assert!(transport.requests().is_empty());
}

#[test]
fn a_region_that_is_not_a_host_label_sends_nothing() {
    for line in [
        format!("{FAILOVER} --region attacker.example/x"),
        String::from("describe-global-clusters --region us-east-1.evil.com"),
    ] {
        let transport = Canned::default();
        let ran = run(&line, &transport);
        assert_eq!(ran.code, 253, "{line}: {}", ran.stderr);
        assert!(
            ran.stderr.contains("doesn't match a supported format"),
            "{}",
            ran.stderr
        );
        assert!(transport.requests().is_empty(), "{line}");
    }
    // From the environment too.
    let mut env = env();
    env.retain(|(k, _)| k != "AWS_REGION");
    env.push(("AWS_REGION".into(), "x/../y".into()));
    let transport = Canned::default();
    let ran = run_with(FAILOVER, &env, &transport);
    assert_eq!(ran.code, 253, "{}", ran.stderr);
    assert!(transport.requests().is_empty());
}

#[test]
fn no_region() {
    let env = env_with(&[
        ("AWS_ACCESS_KEY_ID", "AKID"),
        ("AWS_SECRET_ACCESS_KEY", "s"),
    ]);
    let ran = run_with(FAILOVER, &env, &Canned::default());
    assert_eq!(ran.code, 253);
    assert_eq!(
        ran.stderr,
        "\nYou must specify a region. You can also configure your region by running \"aws configure\".\n"
    );
}

#[test]
fn no_credentials() {
    let env = env_with(&[("AWS_REGION", "us-east-1")]);
    let ran = run_with(FAILOVER, &env, &Canned::default());
    assert_eq!(ran.code, 253);
    assert_eq!(
        ran.stderr,
        "\nUnable to locate credentials. You can configure credentials by running \"aws configure\".\n"
    );
}

#[test]
fn half_configured_credentials_say_what_is_missing() {
    let env = env_with(&[("AWS_REGION", "us-east-1"), ("AWS_ACCESS_KEY_ID", "AKID")]);
    let ran = run_with(FAILOVER, &env, &Canned::default());
    assert_eq!(ran.code, 253);
    assert!(
        ran.stderr.contains("AWS_SECRET_ACCESS_KEY"),
        "{}",
        ran.stderr
    );
}

/// A home directory with the given shared files; removed on drop.
struct Home(std::path::PathBuf);

impl Home {
    fn new(name: &str, credentials: &str, config: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("neptune-cli-run-{}-{name}", std::process::id()));
        std::fs::create_dir_all(dir.join(".aws")).unwrap();
        std::fs::write(dir.join(".aws/credentials"), credentials).unwrap();
        std::fs::write(dir.join(".aws/config"), config).unwrap();
        Home(dir)
    }

    fn env(&self, extra: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut env = env_with(&[("HOME", self.0.to_str().unwrap())]);
        env.extend(env_with(extra));
        env
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn profiles_give_credentials_and_region() {
    let home = Home::new(
        "profiles",
        "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s1\n\
         [prod]\naws_access_key_id = AKIDPROD\naws_secret_access_key = s2\n",
        "[default]\nregion = eu-west-1\n[profile prod]\nregion = ap-south-1\n",
    );
    let transport = Canned::responses([Response::new(200, FAILOVER_200)]);
    let ran = run_with(FAILOVER, &home.env(&[]), &transport);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let authorization = transport.requests()[0]
        .header("authorization")
        .unwrap()
        .to_owned();
    assert!(
        authorization.contains("Credential=AKIDDEFAULT/"),
        "{authorization}"
    );
    assert!(authorization.contains("/eu-west-1/rds/"), "{authorization}");

    // --profile wins over AWS_PROFILE, and over keys in the environment.
    let transport = Canned::responses([Response::new(200, FAILOVER_200)]);
    let env = home.env(&[
        ("AWS_PROFILE", "default"),
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", "s3"),
    ]);
    let ran = run_with(&format!("{FAILOVER} --profile prod"), &env, &transport);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let request = &transport.requests()[0];
    assert_eq!(request.uri, "https://rds.ap-south-1.amazonaws.com/");
    assert!(
        request
            .header("authorization")
            .unwrap()
            .contains("Credential=AKIDPROD/")
    );

    let ran = run_with(
        &format!("{FAILOVER} --profile nope"),
        &home.env(&[]),
        &Canned::default(),
    );
    assert_eq!(ran.code, 253);
    assert_eq!(
        ran.stderr,
        "\nThe config profile (nope) could not be found\n"
    );
}

#[test]
fn debug_logs_the_exchange_without_secrets() {
    let transport =
        Canned::responses(
            [Response::new(200, FAILOVER_200).with_header("x-amzn-requestid", "r-1")],
        );
    let mut env = env();
    env.push(("AWS_SESSION_TOKEN".into(), "SESSIONTOKENVALUE".into()));
    let ran = run_with(&format!("{FAILOVER} --debug"), &env, &transport);
    assert_eq!(ran.code, 0);
    let log = &ran.stderr;
    assert!(
        log.contains(" DEBUG request: POST https://rds.us-east-1.amazonaws.com/"),
        "{log}"
    );
    assert!(log.contains("Action=FailoverGlobalCluster"), "{log}");
    assert!(log.contains(" DEBUG response: HTTP 200"), "{log}");
    assert!(log.contains("x-amzn-requestid: r-1"), "{log}");
    assert!(log.contains("authorization: ** redacted **"), "{log}");
    let signature = transport.requests()[0]
        .header("authorization")
        .unwrap()
        .rsplit_once("Signature=")
        .unwrap()
        .1
        .to_owned();
    for secret in [SECRET, "SESSIONTOKENVALUE", signature.as_str()] {
        assert!(!log.contains(secret), "{log}");
    }
    assert!(
        ran.stdout.contains("\"GlobalCluster\""),
        "stdout is unchanged"
    );
}

#[test]
fn debug_and_errors_never_show_the_password_of_an_endpoint_url() {
    for url in [
        "https://admin:hunter2@127.0.0.1:5000",
        "https://admin:hun/ter2@127.0.0.1:5000/",
        "--endpoint-url=http://admin:x/hunter2@localhost",
    ] {
        let option = if url.starts_with("--") {
            url.to_owned()
        } else {
            format!("--endpoint-url {url}")
        };
        let ran = run(&format!("{FAILOVER} --debug {option}"), &Canned::default());
        assert_eq!(ran.code, 253, "{url}: {}", ran.stderr);
        assert!(ran.stderr.contains("***@"), "{url}: {}", ran.stderr);
        for secret in ["hunter2", "ter2", "admin"] {
            assert!(!ran.stderr.contains(secret), "{url}: {}", ran.stderr);
        }
    }
}

#[test]
fn text_from_the_server_cannot_drive_the_terminal() {
    let body = "<ErrorResponse><Error><Code>Bad\u{1b}[31mCode</Code>\
                <Message>line\r\n\u{1b}]0;pwned\u{7}</Message></Error></ErrorResponse>";
    let transport = Canned::responses([Response::new(400, body)
        .with_header("x-amzn-requestid", "r-\u{1b}[2J")
        .with_header("x-evil", "\u{1b}[8m")]);
    let ran = run(&format!("{FAILOVER} --debug"), &transport);
    assert_eq!(ran.code, 254);
    // XML turns the `\r\n` into `\n`; both would be escaped.
    assert!(!ran.stderr.contains('\u{1b}'), "{}", ran.stderr);
    assert!(!ran.stderr.contains('\u{7}') && !ran.stderr.contains('\r'));
    assert!(
        ran.stderr.contains(
            "An error occurred (Bad\\u{1b}[31mCode) when calling the FailoverGlobalCluster \
             operation: line\\u{a}\\u{1b}]0;pwned\\u{7}\n"
        ),
        "{}",
        ran.stderr
    );
}

#[test]
fn help_and_version_print_on_stdout() {
    let ran = run("help", &Canned::default());
    assert_eq!(ran.code, 0);
    assert!(ran.stdout.contains("COMMANDS"), "{}", ran.stdout);
    let ran = run("failover-global-cluster help", &Canned::default());
    assert!(
        ran.stdout.starts_with("neptune failover-global-cluster\n"),
        "{}",
        ran.stdout
    );
    let ran = run("--version", &Canned::default());
    assert_eq!(ran.stdout, format!("{}\n", neptune_cli::version()));
    assert!(
        ran.stdout.starts_with("neptune-cli/0.1.0 os/"),
        "{}",
        ran.stdout
    );
}

// ---------------------------------------------------------------------------------------------
// --output, its settings, and --query
// ---------------------------------------------------------------------------------------------

#[test]
fn the_output_format_comes_from_the_option_the_environment_or_the_profile() {
    let dir = std::env::temp_dir().join(format!("neptune-cli-output-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("config");
    std::fs::write(
        &config,
        "[default]\noutput = text\n\n[profile tabled]\noutput = table\n\
         aws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret\n",
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let mut base = env();
    base.push(("AWS_CONFIG_FILE".into(), config.into()));
    base.push((
        "AWS_SHARED_CREDENTIALS_FILE".into(),
        dir.join("none").to_str().unwrap().into(),
    ));
    let with = |extra: &[(&str, &str)]| {
        let mut env = base.clone();
        env.extend(
            extra
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        env
    };
    let describe = |line: &str, env: &[(String, String)]| {
        run_with(line, env, &Canned::responses([page(&["a"], None)]))
    };

    // The default profile's `output`.
    let ran = describe("describe-global-clusters", &base);
    assert_eq!((ran.code, ran.stdout.as_str()), (0, "GLOBALCLUSTERS\ta\n"));
    // A chosen profile's.
    let ran = describe("describe-global-clusters --profile tabled", &base);
    assert!(ran.stdout.starts_with("--------"), "{}", ran.stdout);
    assert!(
        ran.stdout.contains("|   DescribeGlobalClusters    |"),
        "{}",
        ran.stdout
    );
    // The environment before the profile, the option before both.
    let ran = describe(
        "describe-global-clusters",
        &with(&[("AWS_DEFAULT_OUTPUT", "json")]),
    );
    assert!(ran.stdout.starts_with("{\n"), "{}", ran.stdout);
    let ran = describe(
        "describe-global-clusters --output yaml",
        &with(&[("AWS_DEFAULT_OUTPUT", "json")]),
    );
    assert_eq!(
        ran.stdout,
        "GlobalClusters:\n- GlobalClusterIdentifier: a\n"
    );
    // A format no option names is refused wherever it comes from.
    let ran = describe(
        "describe-global-clusters",
        &with(&[("AWS_DEFAULT_OUTPUT", "xml")]),
    );
    assert_eq!(ran.code, 255);
    assert_eq!(ran.stderr, "\nUnknown output type: xml\n");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn queries_select_before_formatting_and_bad_ones_are_usage_errors() {
    let transport = Canned::responses([page(&["a", "b"], Some("m1")), page(&["c"], None)]);
    let ran = run(
        "describe-global-clusters --output text --query GlobalClusters[].GlobalClusterIdentifier",
        &transport,
    );
    // Text is written page by page, each page queried on its own, as the AWS CLI does.
    assert_eq!((ran.code, ran.stdout.as_str()), (0, "a\tb\nc\n"));

    let transport = Canned::responses([page(&["a", "b"], Some("m1")), page(&["c"], None)]);
    let ran = run(
        "describe-global-clusters --query length(GlobalClusters)",
        &transport,
    );
    assert_eq!((ran.code, ran.stdout.as_str()), (0, "3\n"));

    let transport = Canned::responses([]);
    let ran = run("describe-global-clusters --query [[", &transport);
    assert_eq!(ran.code, 252);
    assert!(
        ran.stderr.contains("Bad value for --query [["),
        "{}",
        ran.stderr
    );
    assert!(transport.requests().is_empty(), "nothing is sent");
}

// ---------------------------------------------------------------------------------------------
// neptune wait
// ---------------------------------------------------------------------------------------------

#[test]
fn wait_global_cluster_available_polls_every_thirty_seconds_until_available() {
    let transport = Canned::responses([
        described("creating", PRIMARY),
        described("modifying", PRIMARY),
        described("available", PRIMARY),
    ]);
    let ran = run(
        "wait global-cluster-available --global-cluster-identifier my-global",
        &transport,
    );
    assert_eq!(
        (ran.code, ran.stdout.as_str(), ran.stderr.as_str()),
        (0, "", "")
    );
    assert_eq!(
        transport.bodies(),
        vec![format!("{DESCRIBE}&GlobalClusterIdentifier=my-global"); 3]
    );
    assert_eq!(transport.sleeps(), [Duration::from_secs(30); 2]);
}

#[test]
fn wait_global_cluster_available_fails_on_deleting_and_on_a_missing_database() {
    let transport = Canned::responses([described("deleting", PRIMARY)]);
    let ran = run(
        "wait global-cluster-available --global-cluster-identifier my-global",
        &transport,
    );
    assert_eq!(ran.code, 255);
    assert!(
        ran.stderr
            .starts_with("\nWaiter GlobalClusterAvailable failed: "),
        "{}",
        ran.stderr
    );

    let transport = Canned::responses([Response::new(404, NOT_FOUND_404.to_vec())]);
    let ran = run(
        "wait global-cluster-available --global-cluster-identifier my-global",
        &transport,
    );
    assert_eq!(ran.code, 255, "{}", ran.stderr);
    assert_eq!(transport.requests().len(), 1);
}

#[test]
fn wait_global_cluster_deleted_ends_when_the_database_is_not_found() {
    let transport = Canned::responses([
        described("deleting", PRIMARY),
        Response::new(404, NOT_FOUND_404.to_vec()),
    ]);
    let ran = run(
        "wait global-cluster-deleted --global-cluster-identifier my-global",
        &transport,
    );
    assert_eq!(
        (ran.code, ran.stdout.as_str(), ran.stderr.as_str()),
        (0, "", "")
    );
    assert_eq!(transport.requests().len(), 2);
    assert_eq!(transport.sleeps(), [Duration::from_secs(30)]);
}
