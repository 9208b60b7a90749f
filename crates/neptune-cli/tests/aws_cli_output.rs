//! `neptune describe-global-clusters` in every output format and with `--query`, against what the
//! AWS CLI printed for the same responses.
//!
//! The cases and the recorded outputs are `awsquery-cli`'s fixtures (`tests/fixtures/`): each
//! names a JSON response (or a list of pages), an `--output` format, a `--query` and whether
//! `--max-items 3` stops the listing. `.ci/run` records them again with the AWS CLI from PyPI,
//! through the `aws` command itself for the `DescribeGlobalClusters` cases, and fails on a
//! difference. Here the same responses are served as awsQuery XML, page by page after each
//! `Marker`, and the whole command line runs: parsing the XML into the model's types, printing them
//! as the AWS CLI's JSON, paging, then the formatter.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use awsquery::http::{Request, Response};
use awsquery::transport::{Transport, TransportError};
use neptune_cli::Stderr;
use serde_json::Value;

/// Answers `DescribeGlobalClusters` with the page that follows the request's `Marker`.
#[derive(Clone, Debug)]
struct Pages(Arc<Vec<Value>>);

impl Pages {
    fn answer(&self, request: &Request) -> Response {
        let form = awsquery_testing::form_pairs(&String::from_utf8_lossy(&request.body));
        let marker = form
            .into_iter()
            .find_map(|(key, value)| (key == "Marker").then_some(value));
        let index = match &marker {
            None => 0,
            Some(marker) => {
                1 + self
                    .0
                    .iter()
                    .position(|page| page.get("Marker").and_then(Value::as_str) == Some(marker))
                    .expect("a marker the pages gave")
            }
        };
        let mut body = String::from(
            "<DescribeGlobalClustersResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\">",
        );
        write_xml(&mut body, "DescribeGlobalClustersResult", &self.0[index]);
        body.push_str(
            "<ResponseMetadata><RequestId>stand-in</RequestId></ResponseMetadata>\
             </DescribeGlobalClustersResponse>",
        );
        Response {
            status: 200,
            headers: vec![(String::from("content-type"), String::from("text/xml"))],
            body: body.into_bytes(),
        }
    }
}

impl Transport for Pages {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        Ok(self.answer(&request))
    }

    async fn sleep(&self, _: Duration) {}
}

/// `value` as the awsQuery XML element `name`: lists of global clusters and of their members
/// have `GlobalClusterMember` items, as Neptune writes them, other lists `member` items.
fn write_xml(out: &mut String, name: &str, value: &Value) {
    write!(out, "<{name}>").unwrap();
    match value {
        Value::Object(members) => {
            for (key, member) in members {
                write_xml(out, key, member);
            }
        }
        Value::Array(items) => {
            let item = match name {
                "GlobalClusters" | "GlobalClusterMembers" => "GlobalClusterMember",
                _ => "member",
            };
            for value in items {
                write_xml(out, item, value);
            }
        }
        Value::String(text) => {
            for c in text.chars() {
                match c {
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '&' => out.push_str("&amp;"),
                    c => out.push(c),
                }
            }
        }
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        other => write!(out, "{other}").unwrap(),
    }
    write!(out, "</{name}>").unwrap();
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../awsquery-cli/tests/fixtures")
}

/// Runs `neptune` with `args` against `pages`, and returns the exit status, stdout and stderr.
fn run(args: &[String], pages: &Pages) -> (i32, String, String) {
    let env: Vec<(String, String)> = [
        ("AWS_ACCESS_KEY_ID", "AKIDSTANDIN"),
        ("AWS_SECRET_ACCESS_KEY", "stand-in-secret"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    let mut stdout = Vec::new();
    let buffer = Arc::new(Mutex::new(Vec::<u8>::new()));
    let stderr: Stderr = buffer.clone();
    let code = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime")
        .block_on(neptune_cli::run(
            args,
            &env,
            |_, _| std::future::ready(Ok(pages.clone())),
            &mut stdout,
            &stderr,
        ));
    let stderr = String::from_utf8(buffer.lock().unwrap().clone()).unwrap();
    (code, String::from_utf8(stdout).unwrap(), stderr)
}

#[test]
fn describe_global_clusters_prints_what_the_aws_cli_prints() {
    let fixtures = fixtures();
    let cases: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(fixtures.join("cases.json")).unwrap())
            .unwrap();
    let mut checked = 0;
    let mut formats = std::collections::BTreeSet::new();
    let mut differ = Vec::new();
    for case in &cases {
        let text = |key: &str| case.get(key).and_then(Value::as_str);
        // Cases of other operations, or drawn at a width of their own, test the formatter alone.
        if text("operation") != Some("DescribeGlobalClusters") || case.get("width").is_some() {
            continue;
        }
        // `yaml-stream` exists only in the AWS CLI v2, which PyPI does not have: its recordings
        // come from the v2's YAML settings, for one response (where the command pages, and so
        // writes `- {}` for an empty page) or for pages without `--max-items`, so those that
        // assume either are not the command's.
        let resumed = case.get("resume_token").is_some_and(|t| !t.is_null());
        if text("output") == Some("yaml-stream") && (case.get("result_key").is_none() || resumed) {
            continue;
        }
        let name = text("name").unwrap();
        let input = text("input").unwrap();
        let data: Value = serde_json::from_str(
            &std::fs::read_to_string(fixtures.join(format!("inputs/{input}.json"))).unwrap(),
        )
        .unwrap();
        let pages = match (case.get("result_key"), data) {
            (Some(_), Value::Array(pages)) => pages,
            (_, data) => vec![data],
        };
        let output = text("output").unwrap();
        let mut args: Vec<String> = [
            "describe-global-clusters",
            "--endpoint-url",
            "http://127.0.0.1:1",
            "--output",
            output,
        ]
        .map(str::to_owned)
        .to_vec();
        if let Some(query) = text("query") {
            args.extend([String::from("--query"), query.to_owned()]);
        }
        if resumed {
            args.extend([String::from("--max-items"), String::from("3")]);
        }
        let expected =
            std::fs::read_to_string(fixtures.join(format!("expected/{name}.txt"))).unwrap();
        let (code, stdout, stderr) = run(&args, &Pages(Arc::new(pages)));
        // The AWS CLI's recording of a command that failed is `ERROR`.
        let got = if code == 0 {
            stdout
        } else {
            String::from("ERROR\n")
        };
        if got != expected {
            differ.push(format!(
                "{name}: exit {code}\n--- expected\n{expected}--- got\n{got}--- stderr\n{stderr}"
            ));
        }
        formats.insert(output.to_owned());
        checked += 1;
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
    assert!(checked >= 80, "only {checked} cases");
    assert_eq!(
        formats.into_iter().collect::<Vec<_>>(),
        ["json", "table", "text", "yaml", "yaml-stream"]
    );
}
