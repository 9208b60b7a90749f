//! The built `neptune` binary against a local HTTP/1.1 server started by each test, answering
//! with canned responses: stdout, stderr and the exit status, as a user sees them. Every run has
//! a cleared environment with an empty temporary home, so the user's own `~/.aws` never counts.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TARGET: &str = "arn:aws:rds:us-west-2:123456789012:cluster:secondary";
const PRIMARY: &str = "arn:aws:rds:us-east-1:123456789012:cluster:primary";
const FAILOVER_200: &[u8] =
    include_bytes!("../../neptune-tests/tests/data/failover_global_cluster.200.xml");
const HTML_500: &[u8] = include_bytes!(
    "../../neptune-tests/tests/data/failover_global_cluster_not_implemented.response.body"
);
const DESCRIBE_MOTO_200: &[u8] =
    include_bytes!("../../neptune-tests/tests/data/describe_global_clusters_after.response.body");

/// One canned HTTP response.
#[derive(Clone, Debug)]
struct Reply {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
}

fn xml(status: u16, body: impl Into<Vec<u8>>) -> Reply {
    Reply {
        status,
        content_type: "text/xml",
        body: body.into(),
    }
}

/// A request as the server received it.
#[derive(Clone, Debug)]
struct Seen {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A server on 127.0.0.1 that answers one connection per canned reply, in order, then stops.
struct Server {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    fn start(replies: Vec<Reply>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&seen);
        let thread = thread::spawn(move || {
            for reply in replies {
                let Ok((stream, _)) = listener.accept() else {
                    return;
                };
                if let Some(request) = serve(stream, &reply) {
                    record.lock().unwrap().push(request);
                }
            }
        });
        Server {
            url,
            seen,
            thread: Some(thread),
        }
    }

    /// The requests received; waits until the server has answered all its replies.
    fn seen(mut self) -> Vec<Seen> {
        if let Some(thread) = self.thread.take() {
            thread.join().expect("the server thread");
        }
        self.seen.lock().unwrap().clone()
    }
}

/// Reads one request from `stream`, answers it with `reply` and closes the connection.
fn serve(stream: TcpStream, reply: &Reply) -> Option<Seen> {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next()?.to_owned(), parts.next()?.to_owned());
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    let length: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    let mut stream = reader.into_inner();
    let head = format!(
        "HTTP/1.1 {} Canned\r\nContent-Type: {}\r\nContent-Length: {}\r\n\
         x-amzn-requestid: canned-{}\r\nConnection: close\r\n\r\n",
        reply.status,
        reply.content_type,
        reply.body.len(),
        reply.status
    );
    stream.write_all(head.as_bytes()).ok()?;
    stream.write_all(&reply.body).ok()?;
    stream.flush().ok()?;
    Some(Seen {
        method,
        target,
        headers,
        body: String::from_utf8(body).ok()?,
    })
}

/// An empty directory for one run's home.
fn temp_home() -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "neptune-e2e-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary home");
    dir
}

/// What a run printed and returned.
#[derive(Debug)]
struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

impl From<Output> for Ran {
    fn from(output: Output) -> Self {
        Ran {
            code: output.status.code().expect("an exit status"),
            stdout: String::from_utf8(output.stdout).expect("UTF-8 stdout"),
            stderr: String::from_utf8(output.stderr).expect("UTF-8 stderr"),
        }
    }
}

/// Runs `neptune args` with only `env` in its environment, and `home` as its home directory, where
/// the shared files are looked for. The instance metadata service is a closed port of 127.0.0.1
/// (unless `env` says otherwise), so that the last source of the credentials and Region chains
/// answers "none" at once on any machine.
fn neptune_in(home: &Path, args: &[&str], env: &[(&str, &str)]) -> Ran {
    Command::new(env!("CARGO_BIN_EXE_neptune"))
        .args(args)
        .env_clear()
        .env("HOME", home)
        .env("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:9")
        .env("AWS_CONFIG_FILE", home.join(".aws/config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join(".aws/credentials"))
        .envs(env.iter().copied())
        .output()
        .expect("the binary runs")
        .into()
}

fn neptune(args: &[&str], env: &[(&str, &str)]) -> Ran {
    neptune_in(&temp_home(), args, env)
}

const KEYS: [(&str, &str); 3] = [
    ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
    ("AWS_SECRET_ACCESS_KEY", SECRET),
    ("AWS_REGION", "us-east-1"),
];

/// `failover-global-cluster` for my-global and the secondary, against `url`, with `extra`.
fn failover_args<'a>(url: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "failover-global-cluster",
        "--global-cluster-identifier",
        "my-global",
        "--target-db-cluster-identifier",
        TARGET,
        "--endpoint-url",
        url,
        "--cli-read-timeout",
        "10",
    ];
    args.extend_from_slice(extra);
    args
}

fn error_response(code: &str, message: &str) -> String {
    format!(
        "<ErrorResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><Error><Type>Sender</Type>\
         <Code>{code}</Code><Message>{message}</Message></Error><RequestId>e-1</RequestId></ErrorResponse>"
    )
}

const USAGE: &str = "usage: neptune [options] <command> [parameters]\nTo see help text, you can run:\n\n  neptune help\n  neptune <command> help\n\n";

#[test]
fn failover_against_a_local_endpoint() {
    let server = Server::start(vec![xml(200, FAILOVER_200)]);
    let ran = neptune(&failover_args(&server.url, &[]), &KEYS);
    assert_eq!((ran.code, ran.stderr.as_str()), (0, ""));
    insta::assert_snapshot!(ran.stdout);
    let url = server.url.clone();
    let [request] = server.seen().try_into().expect("one request");
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("POST", "/")
    );
    assert_eq!(
        request.body,
        "Action=FailoverGlobalCluster&Version=2014-10-31&GlobalClusterIdentifier=my-global&TargetDbClusterIdentifier=arn%3Aaws%3Ards%3Aus-west-2%3A123456789012%3Acluster%3Asecondary"
    );
    assert_eq!(request.header("host"), url.strip_prefix("http://"));
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let authorization = request.header("authorization").expect("signed");
    assert!(
        authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"),
        "{authorization}"
    );
    assert!(
        authorization.contains("/us-east-1/rds/aws4_request"),
        "{authorization}"
    );
}

#[test]
fn each_fault_exits_254_with_the_aws_cli_message() {
    for (code, status, message) in [
        (
            "GlobalClusterNotFoundFault",
            404,
            "Global cluster my-global not found.",
        ),
        ("DBClusterNotFoundFault", 404, "DBCluster arn not found."),
        (
            "InvalidDBClusterStateFault",
            400,
            "The target cluster is busy.",
        ),
        (
            "InvalidGlobalClusterStateFault",
            400,
            "my-global is already failing over.",
        ),
    ] {
        let server = Server::start(vec![xml(status, error_response(code, message))]);
        let ran = neptune(&failover_args(&server.url, &["--switchover"]), &KEYS);
        assert_eq!(ran.code, 254, "{code}: {}", ran.stderr);
        assert_eq!(ran.stdout, "");
        assert_eq!(
            ran.stderr,
            format!(
                "\nAn error occurred ({code}) when calling the FailoverGlobalCluster operation: {message}\n"
            )
        );
        let seen = server.seen();
        assert!(
            seen[0].body.ends_with("&Switchover=true"),
            "{}",
            seen[0].body
        );
    }
}

#[test]
fn an_html_500_is_retried_then_reported() {
    let page = Reply {
        status: 500,
        content_type: "text/html; charset=utf-8",
        body: HTML_500.to_vec(),
    };
    let server = Server::start(vec![page.clone(), page.clone(), page]);
    let ran = neptune(&failover_args(&server.url, &[]), &KEYS);
    assert_eq!(ran.code, 255);
    assert!(
        ran.stderr.starts_with(
            "\nUnable to parse response (not an XML document: an HTML doctype at byte 15), invalid XML received (HTTP 500):\n<!doctype html>"
        ),
        "{}",
        ran.stderr
    );
    assert_eq!(
        server.seen().len(),
        3,
        "three attempts, as the AWS CLI makes"
    );
}

#[test]
fn a_closed_port_cannot_be_connected_to() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}");
    let ran = neptune(&failover_args(&url, &[]), &KEYS);
    assert_eq!(ran.code, 255);
    assert_eq!(
        ran.stderr,
        format!("\nCould not connect to the endpoint URL: \"{url}/\"\n")
    );
}

#[test]
fn usage_errors_exit_252() {
    let cases: [(&[&str], &str); 5] = [
        (
            &[
                "failover-global-cluster",
                "--global-cluster-identifier",
                "g",
            ],
            "the following arguments are required: --target-db-cluster-identifier",
        ),
        (
            &["describe-global-clusters", "--bogus"],
            "Unknown options: --bogus",
        ),
        (
            &[
                "failover-global-cluster",
                "--global-cluster-identifier",
                "g",
                "--target-db-cluster-identifier",
                "t",
                "--allow-data-loss",
                "--switchover",
            ],
            "argument --switchover: not allowed with argument --allow-data-loss",
        ),
        (
            &["describe-global-clusters", "--output", "xml"],
            "argument --output: Invalid choice 'xml', valid choices are: json, text, table, yaml, yaml-stream, off",
        ),
        (&[], "the following arguments are required: command"),
    ];
    for (args, message) in cases {
        let ran = neptune(args, &KEYS);
        assert_eq!(ran.code, 252, "{args:?}");
        assert_eq!(ran.stdout, "");
        assert_eq!(ran.stderr, format!("{USAGE}neptune: error: {message}\n"));
    }
}

#[test]
fn missing_credentials_exit_253() {
    let ran = neptune(
        &failover_args("http://127.0.0.1:9", &[]),
        &[("AWS_REGION", "us-east-1")],
    );
    assert_eq!(ran.code, 253);
    assert_eq!(
        ran.stderr,
        "\nUnable to locate credentials. You can configure credentials by running \"aws configure\".\n"
    );
}

#[test]
fn missing_region_exits_253() {
    let ran = neptune(&failover_args("http://127.0.0.1:9", &[]), &KEYS[..2]);
    assert_eq!(ran.code, 253);
    assert_eq!(
        ran.stderr,
        "\nYou must specify a region. You can also configure your region by running \"aws configure\".\n"
    );
}

#[test]
fn credentials_and_region_from_the_shared_files() {
    let home = temp_home();
    std::fs::create_dir_all(home.join(".aws")).unwrap();
    std::fs::write(
        home.join(".aws/credentials"),
        "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s\n\
         [prod]\naws_access_key_id = AKIDPROD\naws_secret_access_key = p\n",
    )
    .unwrap();
    std::fs::write(
        home.join(".aws/config"),
        "[profile prod]\nregion = ap-south-1\n",
    )
    .unwrap();
    let server = Server::start(vec![xml(200, FAILOVER_200)]);
    let ran = neptune_in(
        &home,
        &failover_args(&server.url, &["--profile", "prod"]),
        &[],
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let seen = server.seen();
    let authorization = seen[0].header("authorization").unwrap();
    assert!(
        authorization.contains("Credential=AKIDPROD/"),
        "{authorization}"
    );
    assert!(
        authorization.contains("/ap-south-1/rds/"),
        "{authorization}"
    );
}

/// A DescribeGlobalClusters answer for `my-global` with this status and writer.
fn described(status: &str, writer: &str) -> Reply {
    let member = |arn: &str| {
        format!(
            "<GlobalClusterMember><DBClusterArn>{arn}</DBClusterArn><Readers/><IsWriter>{}</IsWriter></GlobalClusterMember>",
            arn == writer
        )
    };
    xml(
        200,
        format!(
            "<DescribeGlobalClustersResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\">\
             <DescribeGlobalClustersResult><GlobalClusters><GlobalClusterMember>\
             <GlobalClusterIdentifier>my-global</GlobalClusterIdentifier>\
             <GlobalClusterArn>arn:aws:rds::123456789012:global-cluster:my-global</GlobalClusterArn>\
             <Status>{status}</Status><Engine>neptune</Engine>\
             <GlobalClusterMembers>{}{}</GlobalClusterMembers></GlobalClusterMember></GlobalClusters>\
             </DescribeGlobalClustersResult></DescribeGlobalClustersResponse>",
            member(PRIMARY),
            member(TARGET)
        ),
    )
}

#[test]
fn wait_polls_until_the_failover_is_done() {
    let server = Server::start(vec![
        xml(200, FAILOVER_200),
        described("failing-over", PRIMARY),
        described("modifying", TARGET),
        described("available", TARGET),
    ]);
    let ran = neptune(
        &failover_args(&server.url, &["--wait", "--wait-delay", "1"]),
        &KEYS,
    );
    assert_eq!((ran.code, ran.stderr.as_str()), (0, ""));
    insta::assert_snapshot!(ran.stdout);
    let seen = server.seen();
    assert_eq!(seen.len(), 4);
    for poll in &seen[1..] {
        assert_eq!(
            poll.body,
            "Action=DescribeGlobalClusters&Version=2014-10-31&GlobalClusterIdentifier=my-global"
        );
    }
}

#[test]
fn describe_merges_the_pages() {
    let first = xml(
        200,
        "<DescribeGlobalClustersResponse><DescribeGlobalClustersResult><Marker>p2</Marker>\
         <GlobalClusters><GlobalClusterMember><GlobalClusterIdentifier>archive</GlobalClusterIdentifier>\
         <Status>available</Status><GlobalClusterMembers/></GlobalClusterMember></GlobalClusters>\
         </DescribeGlobalClustersResult></DescribeGlobalClustersResponse>",
    );
    let server = Server::start(vec![first, xml(200, DESCRIBE_MOTO_200)]);
    let ran = neptune(
        &[
            "describe-global-clusters",
            "--endpoint-url",
            &server.url,
            "--page-size",
            "20",
        ],
        &KEYS,
    );
    assert_eq!((ran.code, ran.stderr.as_str()), (0, ""));
    insta::assert_snapshot!(ran.stdout);
    let seen = server.seen();
    assert_eq!(
        seen.iter().map(|s| s.body.as_str()).collect::<Vec<_>>(),
        [
            "Action=DescribeGlobalClusters&Version=2014-10-31&MaxRecords=20",
            "Action=DescribeGlobalClusters&Version=2014-10-31&MaxRecords=20&Marker=p2",
        ]
    );
}

#[test]
fn debug_logs_the_exchange_and_no_secret() {
    let server = Server::start(vec![xml(200, FAILOVER_200)]);
    let mut env = KEYS.to_vec();
    env.push(("AWS_SESSION_TOKEN", "SESSIONTOKENVALUE"));
    let ran = neptune(&failover_args(&server.url, &["--debug"]), &env);
    assert_eq!(ran.code, 0);
    let log = &ran.stderr;
    assert!(
        log.contains(&format!(" DEBUG request: POST {}/", server.url)),
        "{log}"
    );
    assert!(log.contains(" DEBUG response: HTTP 200"), "{log}");
    assert!(log.contains("x-amzn-requestid: canned-200"), "{log}");
    let seen = server.seen();
    let authorization = seen[0].header("authorization").unwrap();
    let signature = authorization.rsplit_once("Signature=").unwrap().1;
    for secret in [SECRET, "SESSIONTOKENVALUE", signature] {
        assert!(!log.contains(secret), "{log}");
    }
    assert!(ran.stdout.contains("\"GlobalCluster\""));
}

#[test]
fn version_and_help() {
    let ran = neptune(&["--version"], &[]);
    assert_eq!(ran.code, 0);
    assert!(ran.stdout.starts_with("neptune-cli/"), "{}", ran.stdout);
    let ran = neptune(&["describe-global-clusters", "help"], &[]);
    assert_eq!(ran.code, 0);
    assert!(
        ran.stdout.starts_with("neptune describe-global-clusters\n"),
        "{}",
        ran.stdout
    );
}
