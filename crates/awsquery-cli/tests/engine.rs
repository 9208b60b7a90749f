//! The engine run on a small table of its own, whose client is a stand-in: each `call` records the
//! input it was given and answers with the next scripted outcome. What the engine parses, sends,
//! pages, waits for and prints, with the exit statuses.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use awsquery::http::{Request, Response};
use awsquery::transport::{Transport, TransportError};
use awsquery_cli::table::{
    Acceptor, CallFuture, Command, Comparator, Kind, Matcher, Member, Opt, Paginator, Service,
    Shape, State, Waiter,
};
use awsquery_cli::{CallError, DynTransport, NoExtension, Program, ServiceError, Stderr};
use serde_json::{Value, json};

/// The outcomes the stand-in answers with, in order, and the operations and inputs it was called
/// with.
type Script = (VecDeque<Result<Value, CallError>>, Vec<(String, Value)>);

thread_local! {
    static SCRIPT: RefCell<Script> = const { RefCell::new((VecDeque::new(), Vec::new())) };
}

/// The stand-in client.
#[derive(Debug, Clone)]
struct Stub;

fn answer(operation: &str, input: Value) -> CallFuture {
    let outcome = SCRIPT.with(|s| {
        let mut s = s.borrow_mut();
        s.1.push((operation.to_owned(), input));
        s.0.pop_front()
    });
    Box::pin(async move {
        outcome.unwrap_or_else(|| Err(CallError::Other(String::from("no scripted answer"))))
    })
}

fn call_list(_: &Stub, input: Value) -> CallFuture {
    answer("ListThings", input)
}

fn call_make(_: &Stub, input: Value) -> CallFuture {
    answer("MakeThing", input)
}

/// 0 MakeThingInput, 1 String, 2 Integer, 3 Boolean, 4 TagList, 5 Tag, 6 StringList,
/// 7 ListThingsInput, 8 ListThingsOutput, 9 ThingList, 10 Thing, 11 MakeThingOutput, 12 State enum.
static SHAPES: &[Shape] = &[
    Shape {
        name: "MakeThingInput",
        kind: Kind::Structure(&[
            Member {
                name: "ThingName",
                shape: 1,
                required: true,
            },
            Member {
                name: "Size",
                shape: 2,
                required: false,
            },
            Member {
                name: "Public",
                shape: 3,
                required: false,
            },
            Member {
                name: "Tags",
                shape: 4,
                required: false,
            },
            Member {
                name: "Aliases",
                shape: 6,
                required: false,
            },
        ]),
    },
    Shape {
        name: "String",
        kind: Kind::String,
    },
    Shape {
        name: "Integer",
        kind: Kind::Integer,
    },
    Shape {
        name: "Boolean",
        kind: Kind::Boolean,
    },
    Shape {
        name: "TagList",
        kind: Kind::List(5),
    },
    Shape {
        name: "Tag",
        kind: Kind::Structure(&[
            Member {
                name: "Key",
                shape: 1,
                required: true,
            },
            Member {
                name: "Value",
                shape: 1,
                required: false,
            },
        ]),
    },
    Shape {
        name: "StringList",
        kind: Kind::List(1),
    },
    Shape {
        name: "ListThingsInput",
        kind: Kind::Structure(&[
            Member {
                name: "Filter",
                shape: 1,
                required: false,
            },
            Member {
                name: "MaxRecords",
                shape: 2,
                required: false,
            },
            Member {
                name: "Marker",
                shape: 1,
                required: false,
            },
        ]),
    },
    Shape {
        name: "ListThingsOutput",
        kind: Kind::Structure(&[
            Member {
                name: "Marker",
                shape: 1,
                required: false,
            },
            Member {
                name: "Things",
                shape: 9,
                required: false,
            },
        ]),
    },
    Shape {
        name: "ThingList",
        kind: Kind::List(10),
    },
    Shape {
        name: "Thing",
        kind: Kind::Structure(&[
            Member {
                name: "ThingName",
                shape: 1,
                required: false,
            },
            Member {
                name: "State",
                shape: 12,
                required: false,
            },
            Member {
                name: "Inner",
                shape: 10,
                required: false,
            },
        ]),
    },
    Shape {
        name: "MakeThingOutput",
        kind: Kind::Structure(&[Member {
            name: "Thing",
            shape: 10,
            required: false,
        }]),
    },
    Shape {
        name: "ThingState",
        kind: Kind::Enum(&["ready", "broken"]),
    },
];

static COMMANDS: &[Command<Stub>] = &[
    Command {
        name: "list-things",
        operation: "ListThings",
        doc: "Lists the things.",
        input: 7,
        output: 8,
        options: &[
            Opt {
                name: "filter",
                member: "Filter",
                shape: 1,
                required: false,
                doc: "Only these.",
            },
            Opt {
                name: "max-records",
                member: "MaxRecords",
                shape: 2,
                required: false,
                doc: "",
            },
            Opt {
                name: "marker",
                member: "Marker",
                shape: 1,
                required: false,
                doc: "",
            },
        ],
        paginator: Some(Paginator {
            input_token: "Marker",
            output_token: "Marker",
            items: "Things",
            page_size: Some("MaxRecords"),
        }),
        call: call_list,
    },
    Command {
        name: "make-thing",
        operation: "MakeThing",
        doc: "Makes a thing.",
        input: 0,
        output: 11,
        options: &[
            Opt {
                name: "thing-name",
                member: "ThingName",
                shape: 1,
                required: true,
                doc: "Its name.",
            },
            Opt {
                name: "size",
                member: "Size",
                shape: 2,
                required: false,
                doc: "",
            },
            Opt {
                name: "public",
                member: "Public",
                shape: 3,
                required: false,
                doc: "",
            },
            Opt {
                name: "tags",
                member: "Tags",
                shape: 4,
                required: false,
                doc: "",
            },
            Opt {
                name: "aliases",
                member: "Aliases",
                shape: 6,
                required: false,
                doc: "",
            },
        ],
        paginator: None,
        call: call_make,
    },
];

static WAITERS: &[Waiter] = &[Waiter {
    name: "thing-ready",
    waiter_name: "ThingReady",
    operation: "ListThings",
    doc: "",
    min_delay: 15,
    max_delay: 120,
    acceptors: &[
        Acceptor {
            state: State::Success,
            matcher: Matcher::Path {
                input: false,
                path: "Things[].State",
                comparator: Comparator::AllStringEquals,
                expected: "ready",
            },
        },
        Acceptor {
            state: State::Failure,
            matcher: Matcher::Path {
                input: false,
                path: "Things[].State",
                comparator: Comparator::AnyStringEquals,
                expected: "broken",
            },
        },
        Acceptor {
            state: State::Retry,
            matcher: Matcher::ErrorType("ThingNotFound"),
        },
    ],
}];

static SERVICE: Service<Stub> = Service {
    name: "things",
    title: "Things",
    doc: "Keeps things.",
    commands: COMMANDS,
    waiters: WAITERS,
    shapes: SHAPES,
    client: |_, _| Stub,
};

/// A transport that records the waits; the stand-in client never sends.
#[derive(Debug, Clone, Default)]
struct Sleeps(Arc<Mutex<Vec<Duration>>>);

impl Transport for Sleeps {
    async fn send(&self, _: Request) -> Result<Response, TransportError> {
        panic!("the stand-in client sends nothing")
    }

    async fn sleep(&self, duration: Duration) {
        self.0.lock().unwrap().push(duration);
    }
}

#[derive(Debug)]
struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
    calls: Vec<(String, Value)>,
    sleeps: Vec<Duration>,
}

fn run(args: &[&str], script: Vec<Result<Value, CallError>>) -> Ran {
    SCRIPT.with(|s| *s.borrow_mut() = (script.into(), Vec::new()));
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    let env: Vec<(String, String)> = [
        ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
        ("AWS_SECRET_ACCESS_KEY", "secret"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    let sleeps = Sleeps::default();
    let transport = sleeps.clone();
    let mut stdout = Vec::new();
    let buffer = Arc::new(Mutex::new(Vec::<u8>::new()));
    let stderr: Stderr = buffer.clone();
    let program = Program {
        service: &SERVICE,
        extension: &NoExtension,
        version: "9.9.9",
    };
    let code = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap()
        .block_on(awsquery_cli::run(
            &program,
            &args,
            &env,
            |_, _| std::future::ready(Ok(transport)),
            &mut stdout,
            &stderr,
        ));
    let stderr = String::from_utf8(buffer.lock().unwrap().clone()).unwrap();
    let sleeps = sleeps.0.lock().unwrap().clone();
    Ran {
        code,
        stdout: String::from_utf8(stdout).unwrap(),
        stderr,
        calls: SCRIPT.with(|s| s.borrow().1.clone()),
        sleeps,
    }
}

fn service_error(code: &str) -> CallError {
    CallError::Service(ServiceError::Coded {
        code: code.to_owned(),
        message: String::from("no such thing"),
    })
}

const USAGE: &str = "usage: things [options] <command> [parameters]\nTo see help text, you can run:\n\n  things help\n  things <command> help\n\n";

#[test]
fn options_become_the_input_in_every_syntax() {
    let ran = run(
        &[
            "make-thing",
            "--thing-name",
            "t1",
            "--size=3",
            "--no-public",
            "--public",
            "--tags",
            "Key=a,Value=1",
            "Key=b",
            "--aliases",
            "x",
            "y",
        ],
        vec![Ok(json!({"Thing": {"ThingName": "t1"}}))],
    );
    assert_eq!((ran.code, ran.stderr.as_str()), (0, ""));
    assert_eq!(
        ran.calls,
        [(
            String::from("MakeThing"),
            json!({
                "ThingName": "t1", "Size": 3, "Public": true,
                "Tags": [{"Key": "a", "Value": "1"}, {"Key": "b"}],
                "Aliases": ["x", "y"]
            })
        )]
    );
    assert_eq!(
        ran.stdout,
        "{\n    \"Thing\": {\n        \"ThingName\": \"t1\"\n    }\n}\n"
    );
}

#[test]
fn cli_input_json_under_the_options() {
    let ran = run(
        &[
            "make-thing",
            "--cli-input-json",
            r#"{"ThingName": "from-json", "Size": 1, "Tags": [{"Key": "k"}]}"#,
            "--size",
            "2",
        ],
        vec![Ok(json!({}))],
    );
    assert_eq!((ran.code, ran.stdout.as_str()), (0, ""), "{}", ran.stderr);
    assert_eq!(
        ran.calls[0].1,
        json!({"ThingName": "from-json", "Size": 2, "Tags": [{"Key": "k"}]})
    );

    let ran = run(
        &["make-thing", "--cli-input-json", r#"{"Size": 1}"#],
        vec![],
    );
    assert_eq!(ran.code, 252);
    assert_eq!(
        ran.stderr,
        "\nParameter validation failed:\nMissing required parameter in input: \"ThingName\"\n"
    );
    let ran = run(
        &["make-thing", "--cli-input-json", r#"{"Nope": 1}"#],
        vec![],
    );
    assert_eq!(
        ran.stderr,
        "\nParameter validation failed:\nUnknown parameter in input: \"Nope\", must be one of: ThingName, Size, Public, Tags, Aliases\n"
    );
    assert!(ran.calls.is_empty());
}

#[test]
fn bad_values_name_the_option() {
    let ran = run(
        &["make-thing", "--thing-name", "t", "--size", "big"],
        vec![],
    );
    assert_eq!(ran.code, 252);
    assert_eq!(
        ran.stderr,
        "\nError parsing parameter '--size': invalid literal for int() with base 10: 'big'\n"
    );
    let ran = run(
        &["make-thing", "--thing-name", "t", "--tags", "Key"],
        vec![],
    );
    assert_eq!(
        ran.stderr,
        "\nError parsing parameter '--tags': Expected: '=', received: 'EOF' for input:\nKey\n   ^\n"
    );
}

#[test]
fn usage_errors_name_the_option_and_the_choices() {
    for (args, message) in [
        (
            &["make-thing"][..],
            "the following arguments are required: --thing-name",
        ),
        (
            &["make-things"],
            "argument command: Invalid choice 'make-things', valid choices are: list-things, make-thing, wait, help",
        ),
        (
            &["make-thing", "--thing-name", "t", "--colour", "red"],
            "Unknown options: --colour, red",
        ),
        (
            &["make-thing", "--thing-name", "--size", "1"],
            "argument --thing-name: expected one argument",
        ),
        (
            &["wait", "thing-gone"],
            "argument waiter_name: Invalid choice 'thing-gone', valid choices are: thing-ready",
        ),
        (
            &["list-things", "--max-items", "0"],
            "argument --max-items: must be at least 1",
        ),
        (
            &["make-thing", "--generate-cli-skeleton", "yaml"],
            "argument --generate-cli-skeleton: Invalid choice 'yaml', valid choices are: input, output",
        ),
    ] {
        let ran = run(args, vec![]);
        assert_eq!(ran.code, 252, "{args:?}");
        assert_eq!(
            ran.stderr,
            format!("{USAGE}things: error: {message}\n"),
            "{args:?}"
        );
    }
}

#[test]
fn skeletons_of_input_and_output() {
    let ran = run(&["make-thing", "--generate-cli-skeleton"], vec![]);
    assert_eq!(ran.code, 0);
    assert_eq!(
        ran.stdout,
        "{\n    \"ThingName\": \"\",\n    \"Size\": 0,\n    \"Public\": true,\n    \"Tags\": [\n        {\n            \"Key\": \"\",\n            \"Value\": \"\"\n        }\n    ],\n    \"Aliases\": [\n        \"\"\n    ]\n}\n"
    );
    let ran = run(&["make-thing", "--generate-cli-skeleton", "output"], vec![]);
    assert_eq!(
        ran.stdout,
        "{\n    \"Thing\": {\n        \"ThingName\": \"ThingName\",\n        \"State\": \"State\",\n        \"Inner\": {}\n    }\n}\n",
        "a recurring structure stops at {{}}"
    );
    assert!(ran.calls.is_empty());
}

fn page(names: &[&str], marker: Option<&str>) -> Result<Value, CallError> {
    let things: Vec<Value> = names.iter().map(|n| json!({"ThingName": n})).collect();
    let mut page = json!({"Things": things});
    if let Some(marker) = marker {
        page["Marker"] = json!(marker);
    }
    Ok(page)
}

fn names(stdout: &str) -> Vec<String> {
    let value: Value = serde_json::from_str(stdout).unwrap();
    value["Things"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["ThingName"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn pages_are_merged_and_max_items_resumes() {
    let ran = run(
        &[
            "list-things",
            "--filter",
            "f",
            "--page-size",
            "2",
            "--max-items",
            "3",
        ],
        vec![page(&["a", "b"], Some("m1")), page(&["c", "d"], Some("m2"))],
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(names(&ran.stdout), ["a", "b", "c"]);
    let value: Value = serde_json::from_str(&ran.stdout).unwrap();
    let token = value["NextToken"].as_str().unwrap().to_owned();
    assert!(value.get("Marker").is_none());
    assert_eq!(
        ran.calls.iter().map(|c| c.1.clone()).collect::<Vec<_>>(),
        [
            json!({"Filter": "f", "MaxRecords": 2}),
            json!({"Filter": "f", "MaxRecords": 2, "Marker": "m1"})
        ]
    );
    let ran = run(
        &["list-things", "--starting-token", &token],
        vec![page(&["c", "d"], None)],
    );
    assert_eq!(names(&ran.stdout), ["d"]);
    assert_eq!(ran.calls[0].1, json!({"Marker": "m1"}));
}

#[test]
fn no_paginate_and_manual_tokens_send_one_request() {
    let ran = run(
        &["list-things", "--no-paginate"],
        vec![page(&["a"], Some("m1"))],
    );
    assert!(ran.stdout.contains("\"Marker\": \"m1\""), "{}", ran.stdout);
    assert_eq!(ran.calls.len(), 1);
    let ran = run(
        &["list-things", "--marker", "m1", "--max-items", "1"],
        vec![],
    );
    assert_eq!(ran.code, 252);
    assert_eq!(
        ran.stderr,
        "\nParameter validation failed:\nCannot specify --max-records or --marker (which turn automatic pagination off) along with pagination arguments: --max-items\n"
    );
}

#[test]
fn service_errors_exit_254() {
    let ran = run(
        &["make-thing", "--thing-name", "t"],
        vec![Err(service_error("ThingNotFound"))],
    );
    assert_eq!(ran.code, 254);
    assert_eq!(
        ran.stderr,
        "\nAn error occurred (ThingNotFound) when calling the MakeThing operation: no such thing\n"
    );
}

fn states(states: &[&str]) -> Result<Value, CallError> {
    let things: Vec<Value> = states.iter().map(|s| json!({"State": s})).collect();
    Ok(json!({"Things": things}))
}

#[test]
fn waiters_poll_until_an_acceptor_matches() {
    let ran = run(
        &["wait", "thing-ready", "--filter", "f"],
        vec![
            Err(service_error("ThingNotFound")),
            states(&["ready", "pending"]),
            states(&["ready", "ready"]),
        ],
    );
    assert_eq!(
        (ran.code, ran.stdout.as_str(), ran.stderr.as_str()),
        (0, "", "")
    );
    assert_eq!(ran.calls.len(), 3);
    assert!(
        ran.calls
            .iter()
            .all(|c| c.0 == "ListThings" && c.1 == json!({"Filter": "f"}))
    );
    assert_eq!(ran.sleeps, [Duration::from_secs(15); 2]);

    let ran = run(&["wait", "thing-ready"], vec![states(&["ready", "broken"])]);
    assert_eq!(ran.code, 255);
    assert_eq!(
        ran.stderr,
        "\nWaiter ThingReady failed: Waiter encountered a terminal failure state: For expression \"Things[].State\" we matched expected path: \"broken\" at least once\n"
    );

    let ran = run(
        &["wait", "thing-ready"],
        vec![Err(service_error("AccessDenied"))],
    );
    assert_eq!(ran.code, 255);
    assert_eq!(
        ran.stderr,
        "\nWaiter ThingReady failed: An error occurred (AccessDenied): no such thing\n"
    );

    let script = (0..awsquery_cli::wait::MAX_ATTEMPTS)
        .map(|_| states(&["pending"]))
        .collect();
    let ran = run(&["wait", "thing-ready"], script);
    assert_eq!(ran.code, 255);
    assert_eq!(
        ran.stderr,
        "\nWaiter ThingReady failed: Max attempts exceeded\n"
    );
    assert_eq!(ran.calls.len() as u32, awsquery_cli::wait::MAX_ATTEMPTS);
}

#[test]
fn help_from_the_table() {
    let ran = run(&["help"], vec![]);
    assert_eq!(ran.code, 0);
    assert!(
        ran.stdout.starts_with(
            "Things\n\n  Keeps things.\n\nCOMMANDS\n  list-things\n  make-thing\n  wait\n"
        ),
        "{}",
        ran.stdout
    );
    let ran = run(&["make-thing", "help"], vec![]);
    assert!(
        ran.stdout
            .starts_with("things make-thing\n\n  Makes a thing.\n"),
        "{}",
        ran.stdout
    );
    for line in [
        "    --thing-name <value>",
        "    [--public | --no-public]",
        "    [--tags <value> [<value>...]]",
        "  --thing-name <value> (required)\n      Its name.",
    ] {
        assert!(ran.stdout.contains(line), "{line}: {}", ran.stdout);
    }
    let ran = run(&["list-things", "help"], vec![]);
    assert!(
        ran.stdout.contains("[--max-items <value>]"),
        "{}",
        ran.stdout
    );
    let ran = run(&["wait", "help"], vec![]);
    assert!(
        ran.stdout.contains("WAITERS\n  thing-ready\n"),
        "{}",
        ran.stdout
    );
    let ran = run(&["wait", "thing-ready", "help"], vec![]);
    assert!(ran.stdout.contains("every 15 seconds"), "{}", ran.stdout);
    let ran = run(&["--version"], vec![]);
    assert!(
        ran.stdout.starts_with("things-cli/9.9.9 os/"),
        "{}",
        ran.stdout
    );
}

#[test]
fn completion_scripts_cover_commands_and_options() {
    let ran = run(&["completion", "bash"], vec![]);
    assert_eq!(ran.code, 0);
    assert!(
        ran.stdout.contains("complete -F _things things"),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout
            .contains("list-things make-thing wait help completion"),
        "{}",
        ran.stdout
    );
    assert!(ran.stdout.contains("make-thing) words=\"--thing-name --size --public --no-public --tags --aliases --cli-input-json --generate-cli-skeleton"), "{}", ran.stdout);
    assert!(
        ran.stdout.contains("wait) words=\"thing-ready\""),
        "{}",
        ran.stdout
    );
    let ran = run(&["completion", "zsh"], vec![]);
    assert!(
        ran.stdout.starts_with("#compdef things\n"),
        "{}",
        ran.stdout
    );
    assert!(ran.stdout.contains("list-things) choices=(--filter --max-records --marker --cli-input-json --generate-cli-skeleton --starting-token --page-size --max-items"), "{}", ran.stdout);
    let ran = run(&["completion", "fish"], vec![]);
    assert!(
        ran.stdout.contains(
            "complete -c things -n '__fish_seen_subcommand_from make-thing' -l thing-name"
        ),
        "{}",
        ran.stdout
    );
    let ran = run(&["completion", "tcsh"], vec![]);
    assert_eq!(ran.code, 252);
    assert!(
        ran.stderr.ends_with(
            "argument shell: Invalid choice 'tcsh', valid choices are: bash, zsh, fish\n"
        ),
        "{}",
        ran.stderr
    );
}

#[test]
fn file_values_are_read() {
    let dir = std::env::temp_dir().join(format!("awsquery-cli-engine-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("input.json");
    std::fs::write(&path, r#"{"ThingName": "from-file"}"#).unwrap();
    let input = format!("file://{}", path.display());
    let ran = run(
        &["make-thing", "--cli-input-json", &input],
        vec![Ok(json!({}))],
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.calls[0].1, json!({"ThingName": "from-file"}));
    let missing = format!("file://{}", dir.join("absent").display());
    let ran = run(&["make-thing", "--thing-name", &missing], vec![]);
    assert_eq!(ran.code, 252);
    assert!(
        ran.stderr.starts_with(
            "\nError parsing parameter '--thing-name': Unable to load paramfile file://"
        ),
        "{}",
        ran.stderr
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The transport type-erases any transport: a `DynTransport` over the recording one records too.
#[test]
fn dyn_transport_forwards() {
    let sleeps = Sleeps::default();
    let erased = DynTransport::new(sleeps.clone());
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(erased.sleep(Duration::from_millis(5)));
    assert_eq!(*sleeps.0.lock().unwrap(), [Duration::from_millis(5)]);
}

fn parse(args: &[&str]) -> Result<awsquery_cli::args::Parsed<Stub>, String> {
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    awsquery_cli::args::parse(&SERVICE, &|_| &[], &args).map_err(|e| e.0)
}

fn invocation(args: &[&str]) -> awsquery_cli::args::Invocation<Stub> {
    match parse(args) {
        Ok(awsquery_cli::args::Parsed::Run(invocation)) => *invocation,
        other => panic!("{args:?}: {other:?}"),
    }
}

#[test]
fn global_options_anywhere_and_the_last_value_wins() {
    let before = invocation(&[
        "--region",
        "eu-west-1",
        "--debug",
        "--output=json",
        "make-thing",
        "--thing-name",
        "a",
        "--thing-name=b",
    ]);
    let after = invocation(&[
        "make-thing",
        "--thing-name",
        "a",
        "--region",
        "eu-west-1",
        "--thing-name=b",
        "--debug",
        "--output",
        "json",
    ]);
    assert_eq!(before.globals, after.globals);
    assert_eq!(before.globals.region.as_deref(), Some("eu-west-1"));
    assert!(before.globals.debug);
    let last = awsquery_cli::args::last(&before.given, "thing-name").unwrap();
    assert_eq!(last.values, ["b"]);
    let g = invocation(&[
        "list-things",
        "--cli-read-timeout",
        "0",
        "--cli-connect-timeout",
        "5",
    ])
    .globals;
    assert_eq!(g.read_timeout, None);
    assert_eq!(g.connect_timeout, Some(Duration::from_secs(5)));
    assert_eq!(
        parse(&["list-things", "--cli-read-timeout", "-1"]).unwrap_err(),
        "argument --cli-read-timeout: invalid int value: '-1' (whole seconds, 0 or more)"
    );
    assert_eq!(
        parse(&["list-things", "--endpoint-url", "localhost:5000"]).unwrap_err(),
        "Bad value for --endpoint-url \"localhost:5000\": scheme is missing. Must be of the form http://<hostname>/ or https://<hostname>/"
    );
    assert_eq!(
        parse(&["list-things", "--debug=yes"]).unwrap_err(),
        "argument --debug: ignored explicit argument 'yes'"
    );
    assert_eq!(
        parse(&["--filter", "x", "list-things"]).unwrap_err(),
        "Unknown options: --filter, x, list-things",
        "command options only after the command"
    );
}

#[test]
fn help_and_version_topics() {
    use awsquery_cli::args::{Parsed, Topic};
    assert!(matches!(parse(&["help"]), Ok(Parsed::Help(Topic::Service))));
    assert!(matches!(
        parse(&["--help"]),
        Ok(Parsed::Help(Topic::Service))
    ));
    assert!(
        matches!(parse(&["help", "make-thing"]), Ok(Parsed::Help(Topic::Command(c))) if c.name == "make-thing")
    );
    assert!(
        matches!(
            parse(&["make-thing", "--help"]),
            Ok(Parsed::Help(Topic::Command(_)))
        ),
        "no required option needed"
    );
    assert!(matches!(
        parse(&["wait", "help"]),
        Ok(Parsed::Help(Topic::Wait))
    ));
    assert!(
        matches!(parse(&["wait", "thing-ready", "help"]), Ok(Parsed::Help(Topic::Waiter(w))) if w.name == "thing-ready")
    );
    assert!(matches!(
        parse(&["list-things", "--version"]),
        Ok(Parsed::Version)
    ));
    assert_eq!(
        parse(&["wait"]).unwrap_err(),
        "the following arguments are required: waiter_name"
    );
    assert_eq!(
        parse(&["--region", "x"]).unwrap_err(),
        "the following arguments are required: command"
    );
}
