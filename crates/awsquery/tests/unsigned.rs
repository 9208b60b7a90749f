//! Operations sent unsigned (`Operation::SIGNED` is `false`): no credentials are asked for and no
//! signature goes out, while signed operations of the same client are signed as usual.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use awsquery::Unhandled;
use awsquery::client::{Config, Handle, SdkError};
use awsquery::credentials::{CredentialsErrorKind, ProvideCredentials, ProvideFuture};
use awsquery::error::{BuildError, ErrorMetadata};
use awsquery::http::{Request, Response};
use awsquery::sigv4::Credentials;
use awsquery_protocol::operation::Operation;
use awsquery_protocol::query::QueryWriter;
use awsquery_testing::client::{CapturingTransport, block_on};

mod probe;
use probe::{ProbeError, SERVICE};

/// An operation with one member, `Token`, sent as `Action={NAME}`; signed or not as `SIGNED` says.
struct Exchange<const SIGNED: bool>;

impl<const SIGNED: bool> Operation for Exchange<SIGNED> {
    const NAME: &'static str = if SIGNED { "Signed" } else { "Unsigned" };
    const SIGNED: bool = SIGNED;
    type Input = String;
    type Output = ();
    type Error = ProbeError;

    fn serialize(input: &String) -> Result<Request, BuildError> {
        let mut body = String::new();
        let mut writer = QueryWriter::new(&mut body, Self::NAME, "2020-01-08");
        writer.string("", "Token", input);
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

/// A provider that counts how often it is asked.
#[derive(Debug, Clone, Default)]
struct Counting(Arc<AtomicUsize>);

impl ProvideCredentials for Counting {
    fn provide(&self) -> ProvideFuture<'_> {
        self.0.fetch_add(1, Ordering::SeqCst);
        ProvideFuture::ready(Ok(Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            Some(String::from("session-token")),
        )))
    }
}

const SIGNING_HEADERS: [&str; 3] = ["authorization", "x-amz-date", "x-amz-security-token"];

fn transport() -> CapturingTransport {
    CapturingTransport::new(Response::new(200, ""))
}

#[test]
fn an_unsigned_operation_asks_for_no_credentials_and_carries_no_signature() {
    let provider = Counting::default();
    let asked = Arc::clone(&provider.0);
    let config = Config::from_credentials_provider("us-east-1", provider)
        .with_endpoint_url("https://example.com");
    let transport = transport();
    let handle = Handle::new(config, SERVICE, &transport);

    block_on(handle.invoke::<Exchange<false>>(&String::from("abc"))).expect("the call succeeds");
    assert_eq!(asked.load(Ordering::SeqCst), 0, "no credentials asked for");
    let request = transport.only_request();
    for name in SIGNING_HEADERS {
        assert_eq!(request.header(name), None, "{name}: {request:#?}");
    }
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        "Action=Unsigned&Version=2020-01-08&Token=abc"
    );
    assert_eq!(request.uri, "https://example.com/");

    // The same client signs the operations that are signed.
    let transport = self::transport();
    let config = Config::from_credentials_provider("us-east-1", Counting(Arc::clone(&asked)))
        .with_endpoint_url("https://example.com");
    let handle = Handle::new(config, SERVICE, &transport);
    block_on(handle.invoke::<Exchange<true>>(&String::from("abc"))).expect("the call succeeds");
    assert_eq!(asked.load(Ordering::SeqCst), 1);
    let request = transport.only_request();
    for name in SIGNING_HEADERS {
        assert!(request.header(name).is_some(), "{name}: {request:#?}");
    }
}

#[test]
fn a_configuration_without_credentials_sends_only_unsigned_operations() {
    let config = Config::without_credentials("us-east-1").with_endpoint_url("https://example.com");
    let transport = transport();
    let handle = Handle::new(config, SERVICE, &transport);

    block_on(handle.invoke::<Exchange<false>>(&String::from("abc"))).expect("the call succeeds");
    let request = transport.only_request();
    assert_eq!(request.header("authorization"), None);

    let error = block_on(handle.invoke::<Exchange<true>>(&String::from("abc")))
        .expect_err("a signed operation needs credentials");
    let SdkError::Credentials(error) = error else {
        panic!("{error:?}");
    };
    assert_eq!(error.kind(), CredentialsErrorKind::NotFound);
    assert!(
        error.to_string().contains("configured without credentials"),
        "{error}"
    );
    assert_eq!(
        transport.requests().len(),
        1,
        "the signed call sent nothing"
    );
}
