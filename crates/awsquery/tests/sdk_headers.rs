//! The headers a client adds to every request after signing (user agent, invocation id, attempt),
//! with a hand-written operation standing in for a generated one.

use awsquery::Unhandled;
use awsquery::client::{Config, Handle};
use awsquery::error::{BuildError, ErrorMetadata};
use awsquery::http::{Request, Response};
use awsquery::retry::RetryConfig;
use awsquery::user_agent::AppId;
use awsquery_protocol::operation::Operation;
use awsquery_protocol::query::QueryWriter;
use awsquery_testing::client::{CapturingTransport, block_on, config};

mod probe;
use probe::{ProbeError, SERVICE};

/// `Ping`: no members.
struct Ping;

impl Operation for Ping {
    const NAME: &'static str = "Ping";
    type Input = ();
    type Output = ();
    type Error = ProbeError;

    fn serialize(_input: &()) -> Result<Request, BuildError> {
        let mut body = String::new();
        QueryWriter::new(&mut body, "Ping", "2020-01-08");
        Ok(Request::form_post(body))
    }

    fn deserialize(response: &Response) -> Result<(), ProbeError> {
        if response.is_success() {
            Ok(())
        } else {
            Err(ProbeError(Unhandled::new(ErrorMetadata::with_status(
                response.status,
            ))))
        }
    }
}

/// Sends one `Ping` through a handle on `config`, answered with `status`; returns the handle's
/// user agent and the requests sent.
fn ping(config: Config, status: u16) -> (String, Vec<Request>) {
    let transport = CapturingTransport::new(Response::new(status, ""));
    let handle = Handle::new(config, SERVICE, &transport);
    let _ = block_on(handle.invoke::<Ping>(&()));
    (handle.user_agent().to_owned(), transport.requests())
}

/// The values of the headers named `name`, in any case.
fn headers<'a>(request: &'a Request, name: &str) -> Vec<&'a str> {
    request
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .collect()
}

#[test]
fn every_request_names_the_runtime_the_service_and_the_client_version() {
    let (user_agent, requests) = ping(config("https://example.com"), 200);
    let [request] = requests.as_slice() else {
        panic!("{requests:#?}")
    };
    assert_eq!(headers(request, "user-agent"), [user_agent.as_str()]);
    assert_eq!(headers(request, "x-amz-user-agent"), [user_agent.as_str()]);
    let runtime = concat!("awsquery/", env!("CARGO_PKG_VERSION"), " ua/2.1 ");
    assert!(user_agent.starts_with(runtime), "{user_agent}");
    // The probe service's sdkId, lower-cased, and the version its `ServiceInfo` gives.
    assert!(user_agent.contains(" api/probe#9.8.7 os/"), "{user_agent}");
    assert!(user_agent.contains(" lang/rust"), "{user_agent}");
    assert!(!user_agent.contains(" app/"), "{user_agent}");
}

/// As in the AWS SDKs: neither the user agent nor the invocation id and attempt headers.
#[test]
fn the_added_headers_are_not_signed() {
    let (_, requests) = ping(config("https://example.com"), 200);
    assert!(requests[0].header("amz-sdk-invocation-id").is_some());
    assert!(requests[0].header("amz-sdk-request").is_some());
    let authorization = requests[0].header("authorization").expect("signed");
    let signed = authorization
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .expect("a SignedHeaders list");
    assert_eq!(signed, "content-length;content-type;host;x-amz-date");
}

#[test]
fn the_app_id_ends_the_user_agent() {
    let app = AppId::new("inventory-sync").expect("a valid id");
    let config = config("https://example.com").with_app_id(app.clone());
    assert_eq!(config.app_id(), Some(&app));
    assert!(format!("{config:?}").contains("inventory-sync"));
    let (user_agent, requests) = ping(config, 200);
    assert!(user_agent.ends_with(" app/inventory-sync"), "{user_agent}");
    assert_eq!(requests[0].header("user-agent"), Some(user_agent.as_str()));
}

#[test]
fn each_attempt_carries_the_headers_once() {
    let (user_agent, requests) = ping(config("https://example.com"), 503);
    assert_eq!(requests.len(), 3, "three attempts of a failing call");
    for request in &requests {
        assert_eq!(headers(request, "user-agent"), [user_agent.as_str()]);
        assert_eq!(headers(request, "x-amz-user-agent"), [user_agent.as_str()]);
    }
}

/// The invocation id of `request`, checked to be one random UUID, version 4.
#[track_caller]
fn invocation_id(request: &Request) -> &str {
    let [id] = headers(request, "amz-sdk-invocation-id")[..] else {
        panic!("one invocation id: {request:#?}")
    };
    let groups: Vec<usize> = id.split('-').map(str::len).collect();
    assert_eq!(groups, [8, 4, 4, 4, 12], "{id}");
    assert!(
        id.chars()
            .all(|c| c == '-' || c.is_ascii_digit() || matches!(c, 'a'..='f')),
        "{id}"
    );
    assert_eq!(&id[14..15], "4", "version 4: {id}");
    id
}

#[test]
fn every_attempt_of_a_call_carries_its_invocation_id_and_number() {
    let (_, requests) = ping(config("https://example.com"), 503);
    assert_eq!(requests.len(), 3, "three attempts of a failing call");
    let id = invocation_id(&requests[0]);
    for (i, request) in requests.iter().enumerate() {
        assert_eq!(
            invocation_id(request),
            id,
            "the same id on attempt {}",
            i + 1
        );
        assert_eq!(
            headers(request, "amz-sdk-request"),
            [format!("attempt={}; max=3", i + 1)]
        );
    }
}

#[test]
fn each_call_has_an_invocation_id_of_its_own() {
    let transport = CapturingTransport::new(Response::new(200, ""));
    let handle = Handle::new(config("https://example.com"), SERVICE, &transport);
    for _ in 0..3 {
        block_on(handle.invoke::<Ping>(&())).expect("a success");
    }
    let requests = transport.requests();
    let ids: Vec<&str> = requests.iter().map(invocation_id).collect();
    assert_ne!(ids[0], ids[1]);
    assert_ne!(ids[1], ids[2]);
    assert_ne!(ids[0], ids[2]);
    for request in &requests {
        assert_eq!(headers(request, "amz-sdk-request"), ["attempt=1; max=3"]);
    }
}

#[test]
fn the_maximum_follows_the_retry_configuration() {
    let five =
        config("https://example.com").with_retry_config(RetryConfig::new().with_max_attempts(5));
    let (_, requests) = ping(five, 503);
    let sent: Vec<&str> = requests
        .iter()
        .map(|request| {
            request
                .header("amz-sdk-request")
                .expect("the attempt header")
        })
        .collect();
    assert_eq!(
        sent,
        [
            "attempt=1; max=5",
            "attempt=2; max=5",
            "attempt=3; max=5",
            "attempt=4; max=5",
            "attempt=5; max=5"
        ]
    );
    let (_, requests) = ping(
        config("https://example.com").with_retry_config(RetryConfig::disabled()),
        503,
    );
    assert_eq!(
        headers(&requests[0], "amz-sdk-request"),
        ["attempt=1; max=1"]
    );
}
