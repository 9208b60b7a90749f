//! The user agent headers a client sends, with a hand-written operation standing in for a
//! generated one.

use awsquery::Unhandled;
use awsquery::client::{Config, Handle};
use awsquery::error::{BuildError, ErrorMetadata};
use awsquery::http::{Request, Response};
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

#[test]
fn the_user_agent_is_not_signed() {
    let (_, requests) = ping(config("https://example.com"), 200);
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
