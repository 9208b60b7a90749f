//! Every command of the generated table, run in memory: its input skeleton sent back with
//! `--cli-input-json` reaches the wire as its operation, an answer is printed, and a service error
//! is reported with the command's operation and exit status 254. The commands come from the table,
//! so an operation added to the model is covered without a change here.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use awsquery::http::{Request, Response};
use awsquery::transport::{Transport, TransportError};
use neptune_cli::Stderr;

/// Answers with the scripted responses and records the requests.
#[derive(Clone, Debug, Default)]
struct Canned(Arc<Mutex<(VecDeque<Response>, Vec<Request>)>>);

impl Transport for Canned {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        let mut state = self.0.lock().unwrap();
        state.1.push(request);
        Ok(state.0.pop_front().expect("a scripted answer"))
    }

    async fn sleep(&self, _: Duration) {}
}

struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
    bodies: Vec<String>,
}

fn run(args: &[&str], answers: Vec<Response>) -> Ran {
    let transport = Canned::default();
    transport.0.lock().unwrap().0 = answers.into();
    let env: Vec<(String, String)> = [
        ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
        ("AWS_SECRET_ACCESS_KEY", "secret"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    let mut stdout = Vec::new();
    let buffer = Arc::new(Mutex::new(Vec::<u8>::new()));
    let stderr: Stderr = buffer.clone();
    let connect = transport.clone();
    let code = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap()
        .block_on(neptune_cli::run(
            &args,
            &env,
            |_, _| std::future::ready(Ok(connect)),
            &mut stdout,
            &stderr,
        ));
    let bodies = transport
        .0
        .lock()
        .unwrap()
        .1
        .iter()
        .map(|r| String::from_utf8(r.body.clone()).unwrap())
        .collect();
    let stderr = String::from_utf8(buffer.lock().unwrap().clone()).unwrap();
    Ran {
        code,
        stdout: String::from_utf8(stdout).unwrap(),
        stderr,
        bodies,
    }
}

/// Each command's input skeleton, fed back as its input.
fn skeleton(command: &str) -> String {
    let ran = run(&[command, "--generate-cli-skeleton"], vec![]);
    assert_eq!(ran.code, 0, "{command}: {}", ran.stderr);
    assert!(ran.bodies.is_empty(), "{command}: a skeleton sends nothing");
    ran.stdout
}

#[test]
fn every_command_succeeds() {
    for command in neptune_cli::SERVICE.commands {
        let op = command.operation;
        let input = skeleton(command.name);
        let answer = Response::new(
            200,
            format!(
                "<{op}Response><{op}Result/><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></{op}Response>"
            ),
        );
        let ran = run(&[command.name, "--cli-input-json", &input], vec![answer]);
        assert_eq!(
            (ran.code, ran.stdout.as_str(), ran.stderr.as_str()),
            (0, "", ""),
            "{}",
            command.name
        );
        assert_eq!(ran.bodies.len(), 1, "{}", command.name);
        assert!(
            ran.bodies[0].starts_with(&format!("Action={op}&Version=")),
            "{}: {}",
            command.name,
            ran.bodies[0]
        );
    }
}

#[test]
fn every_command_reports_service_errors() {
    for command in neptune_cli::SERVICE.commands {
        let op = command.operation;
        let input = skeleton(command.name);
        let answer = Response::new(
            400,
            "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>\
             <Message>not allowed</Message></Error><RequestId>r-2</RequestId></ErrorResponse>",
        );
        let ran = run(&[command.name, "--cli-input-json", &input], vec![answer]);
        assert_eq!(ran.code, 254, "{}: {}", command.name, ran.stderr);
        assert_eq!(
            ran.stderr,
            format!(
                "\nAn error occurred (AccessDenied) when calling the {op} operation: not allowed\n"
            )
        );
        assert_eq!(ran.stdout, "");
    }
}

#[test]
fn every_command_has_help() {
    for command in neptune_cli::SERVICE.commands {
        let ran = run(&[command.name, "help"], vec![]);
        assert_eq!(ran.code, 0);
        assert!(
            ran.stdout
                .starts_with(&format!("neptune {}\n\n", command.name)),
            "{}",
            ran.stdout
        );
        for option in command.options {
            assert!(
                ran.stdout.contains(&format!("--{}", option.name)),
                "{}: --{}",
                command.name,
                option.name
            );
        }
    }
}
