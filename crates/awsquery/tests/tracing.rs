//! The spans and events of the `tracing` feature, read back by a small subscriber that records
//! everything it is given: a `call` span per call, an `attempt` span per attempt inside it, the
//! fields each carries, and no secret in any of them.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use awsquery::client::{Config, Handle, SdkError};
use awsquery::credentials::{ProvideCredentials, ProvideFuture};
use awsquery::error::{BuildError, ErrorMetadata};
use awsquery::http::{Request, Response};
use awsquery::sigv4::Credentials;
use awsquery::transport::{Transport, TransportError, TransportErrorKind};
use awsquery::{DateTime, Unhandled};
use awsquery_protocol::operation::Operation;
use awsquery_protocol::query::QueryWriter;
use awsquery_testing::client::block_on;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

mod probe;
use probe::{ProbeError, SERVICE};

const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const SESSION_TOKEN: &str = "session-token-that-must-not-leak";
const PASSWORD: &str = "hunter2-in-the-body";

/// `Login`: a `Password` member, sent in the body.
struct Login;

impl Operation for Login {
    const NAME: &'static str = "Login";
    type Input = String;
    type Output = ();
    type Error = ProbeError;

    fn serialize(password: &String) -> Result<Request, BuildError> {
        let mut body = String::new();
        QueryWriter::new(&mut body, "Login", "2020-01-08").string("", "Password", password);
        Ok(Request::form_post(body))
    }

    fn deserialize(response: &Response) -> Result<(), ProbeError> {
        if response.is_success() {
            return Ok(());
        }
        let mut meta = ErrorMetadata::with_status(response.status);
        meta.code = Some(String::from("Throttling\u{1b}[31m"));
        meta.message = Some(format!("Password {PASSWORD} refused"));
        meta.request_id = response.request_id_header().map(str::to_owned);
        Err(ProbeError(Unhandled::new(meta)))
    }
}

/// Answers with the scripted outcomes in order; waits return at once.
#[derive(Debug)]
struct Script(Mutex<Vec<Result<Response, TransportErrorKind>>>);

impl Script {
    fn new(mut answers: Vec<Result<Response, TransportErrorKind>>) -> Self {
        answers.reverse();
        Script(Mutex::new(answers))
    }
}

impl Transport for &Script {
    async fn send(&self, _request: Request) -> Result<Response, TransportError> {
        let next = self.0.lock().unwrap_or_else(PoisonError::into_inner).pop();
        match next.expect("a scripted answer for each attempt") {
            Ok(response) => Ok(response),
            Err(kind) => Err(TransportError::new(kind, "scripted failure")),
        }
    }

    async fn sleep(&self, _duration: Duration) {}
}

/// Credentials from a provider, with a session token.
#[derive(Debug)]
struct Keys;

impl ProvideCredentials for Keys {
    fn provide(&self) -> ProvideFuture<'_> {
        ProvideFuture::ready(Ok(Credentials::new(
            "AKIDEXAMPLE",
            SECRET_KEY,
            Some(String::from(SESSION_TOKEN)),
        )))
    }
}

/// A span as the subscriber saw it: its name, its parent and every field recorded on it.
#[derive(Debug, Clone)]
struct SpanRecord {
    name: &'static str,
    parent: Option<u64>,
    fields: Vec<(String, String)>,
}

impl SpanRecord {
    /// The last value recorded for `name`.
    fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .rev()
            .find(|(field, _)| field == name)
            .map(|(_, value)| value.as_str())
    }
}

/// An event: its span and its fields (the message among them).
#[derive(Debug, Clone)]
struct EventRecord {
    parent: Option<u64>,
    fields: Vec<(String, String)>,
}

#[derive(Debug, Default)]
struct Recorded {
    /// Indexed by span id minus one.
    spans: Vec<SpanRecord>,
    events: Vec<EventRecord>,
    /// The spans entered on this thread, innermost last.
    stack: Vec<u64>,
}

/// Records all spans and events, at every level.
#[derive(Debug, Clone, Default)]
struct Recorder(Arc<Mutex<Recorded>>);

impl Recorder {
    fn lock(&self) -> std::sync::MutexGuard<'_, Recorded> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

struct Fields<'a>(&'a mut Vec<(String, String)>);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _metadata: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, attributes: &Attributes<'_>) -> Id {
        let mut recorded = self.lock();
        let parent = if attributes.is_root() {
            None
        } else {
            attributes
                .parent()
                .map(Id::into_u64)
                .or_else(|| recorded.stack.last().copied())
        };
        let mut fields = Vec::new();
        attributes.record(&mut Fields(&mut fields));
        recorded.spans.push(SpanRecord {
            name: attributes.metadata().name(),
            parent,
            fields,
        });
        Id::from_u64(recorded.spans.len() as u64)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut recorded = self.lock();
        let index = span.into_u64() as usize - 1;
        values.record(&mut Fields(&mut recorded.spans[index].fields));
    }

    fn record_follows_from(&self, _span: &Id, _follows: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut recorded = self.lock();
        let parent = if event.is_root() {
            None
        } else {
            event
                .parent()
                .map(Id::into_u64)
                .or_else(|| recorded.stack.last().copied())
        };
        let mut fields = Vec::new();
        event.record(&mut Fields(&mut fields));
        recorded.events.push(EventRecord { parent, fields });
    }

    fn enter(&self, span: &Id) {
        self.lock().stack.push(span.into_u64());
    }

    fn exit(&self, span: &Id) {
        let mut recorded = self.lock();
        if let Some(at) = recorded.stack.iter().rposition(|&id| id == span.into_u64()) {
            recorded.stack.remove(at);
        }
    }
}

/// Sends one `Login` through a handle on `config` and `script`, recording what it traces.
fn traced(config: Config, script: &Script) -> (Result<(), SdkError<ProbeError>>, Recorded) {
    let recorder = Recorder::default();
    let result = tracing::subscriber::with_default(recorder.clone(), || {
        let handle = Handle::new(config, SERVICE, script);
        block_on(handle.invoke::<Login>(&String::from(PASSWORD)))
    });
    let recorded = std::mem::take(&mut *recorder.lock());
    (result, recorded)
}

fn config() -> Config {
    Config::from_credentials_provider("us-east-1", Keys)
        .with_endpoint_url("https://example.com")
        .with_clock(|| DateTime::from_secs(1_440_938_160))
}

/// Every value recorded, on spans and events, as one text.
fn everything(recorded: &Recorded) -> String {
    format!("{:?}{:?}", recorded.spans, recorded.events)
}

#[test]
fn a_call_and_each_attempt_have_a_span_with_what_happened() {
    let script = Script::new(vec![
        Ok(Response::new(503, "").with_header("x-amzn-requestid", "req-1")),
        Err(TransportErrorKind::Connect),
        Ok(Response::new(200, "").with_header("x-amzn-requestid", "req-3")),
    ]);
    let (result, recorded) = traced(config(), &script);
    result.expect("the third attempt succeeds");

    let [call, first, second, third] = &recorded.spans[..] else {
        panic!(
            "one call span and three attempt spans: {:#?}",
            recorded.spans
        )
    };
    assert_eq!(call.name, "call");
    assert_eq!(call.parent, None);
    assert_eq!(call.field("service"), Some("Probe"));
    assert_eq!(call.field("operation"), Some("Login"));
    let invocation_id = call.field("invocation_id").expect("the invocation id");
    assert_eq!(invocation_id.len(), 36, "{invocation_id}");

    for (number, attempt) in [first, second, third].into_iter().enumerate() {
        assert_eq!(attempt.name, "attempt");
        assert_eq!(attempt.parent, Some(1), "inside the call span");
        assert_eq!(attempt.field("attempt"), Some(&*(number + 1).to_string()));
        assert_eq!(attempt.field("max_attempts"), Some("3"));
    }

    assert_eq!(first.field("status"), Some("503"));
    assert_eq!(first.field("request_id"), Some("req-1"));
    assert_eq!(
        first.field("error_code"),
        Some("Throttling\\u{1b}[31m"),
        "server text is recorded with its control characters escaped"
    );
    assert_eq!(first.field("decision"), Some("retry"));
    assert!(first.field("retry_after").is_some());
    assert_eq!(first.field("stop_reason"), None);

    assert_eq!(second.field("status"), None, "no response arrived");
    assert_eq!(second.field("transport_error"), Some("Connect"));
    assert_eq!(second.field("decision"), Some("retry"));

    assert_eq!(third.field("status"), Some("200"));
    assert_eq!(third.field("request_id"), Some("req-3"));
    assert_eq!(third.field("error_code"), None);
    assert_eq!(third.field("decision"), Some("success"));

    // One event ends each attempt, inside its span.
    let ends: Vec<(Option<u64>, &str)> = recorded
        .events
        .iter()
        .map(|event| {
            let message = event
                .fields
                .iter()
                .find(|(name, _)| name == "message")
                .map_or("", |(_, value)| value.as_str());
            (event.parent, message)
        })
        .collect();
    assert_eq!(ends.len(), 3, "{ends:?}");
    assert_eq!(ends[0].0, Some(2));
    assert!(
        ends[0].1.starts_with("attempt failed; retrying after "),
        "{ends:?}"
    );
    assert_eq!(ends[1].0, Some(3));
    assert_eq!(ends[2], (Some(4), "attempt succeeded"));
}

#[test]
fn a_call_that_stops_records_why() {
    let script = Script::new(vec![Ok(Response::new(400, ""))]);
    let (result, recorded) = traced(config(), &script);
    assert!(matches!(result, Err(SdkError::Service(_))), "{result:?}");
    let attempt = &recorded.spans[1];
    assert_eq!(attempt.field("status"), Some("400"));
    assert_eq!(attempt.field("decision"), Some("stop"));
    assert_eq!(
        attempt.field("stop_reason"),
        Some("the error is not retryable")
    );
    assert_eq!(recorded.spans.len(), 2, "no second attempt");
}

#[test]
fn no_secret_is_recorded() {
    let script = Script::new(vec![Ok(Response::new(500, "")), Ok(Response::new(200, ""))]);
    let (result, recorded) = traced(config(), &script);
    result.expect("the second attempt succeeds");
    let text = everything(&recorded);
    for secret in [
        SECRET_KEY,
        SESSION_TOKEN,
        PASSWORD,
        "url-password",
        "Signature",
    ] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    // Nor any header or body: the fields are the documented ones.
    let names: std::collections::BTreeSet<&str> = recorded
        .spans
        .iter()
        .flat_map(|span| span.fields.iter().map(|(name, _)| name.as_str()))
        .collect();
    assert_eq!(
        names.into_iter().collect::<Vec<_>>(),
        [
            "attempt",
            "decision",
            "error_code",
            "invocation_id",
            "max_attempts",
            "operation",
            "retry_after",
            "service",
            "status",
        ]
    );
}

#[test]
fn without_a_subscriber_nothing_changes() {
    let script = Script::new(vec![Ok(Response::new(200, ""))]);
    let handle = Handle::new(config(), SERVICE, &script);
    block_on(handle.invoke::<Login>(&String::from(PASSWORD))).expect("a success");
}
