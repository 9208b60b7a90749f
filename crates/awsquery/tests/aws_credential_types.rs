//! The `aws-credential-types` feature: credential providers of the AWS SDK for Rust as sources for
//! the client, with their answers cached until shortly before expiry.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials as SdkCredentials;
use aws_credential_types::provider::ProvideCredentials as SdkProvideCredentials;
use aws_credential_types::provider::error::CredentialsError as SdkCredentialsError;
use aws_credential_types::provider::future::ProvideCredentials as SdkProvideFuture;
use awsquery::client::{Config, Handle, SdkError};
use awsquery::credentials::{AwsSdkProvider, CredentialsErrorKind, ProvideCredentials};
use awsquery::error::ErrorMetadata;
use awsquery::http::{Request, Response};
use awsquery::transport::{Transport, TransportError};
use awsquery::{BuildError, Unhandled};
use awsquery_protocol::operation::Operation;
use awsquery_testing::client::block_on;

mod probe;
use probe::{ProbeError, SERVICE};

const ACCESS: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN";

/// Makes the error a [`Counting`] provider fails with, if any.
type MakeError = fn() -> Option<SdkCredentialsError>;

/// An SDK provider that counts its calls and hands out `KEY1`, `KEY2`, … expiring `lifetime` from
/// now (never, for `None`), or fails with `error`.
#[derive(Debug)]
struct Counting {
    calls: Arc<AtomicUsize>,
    lifetime: Option<Duration>,
    error: MakeError,
}

impl Counting {
    fn expiring(lifetime: Option<Duration>) -> Self {
        Counting {
            calls: Arc::new(AtomicUsize::new(0)),
            lifetime,
            error: || None,
        }
    }

    fn failing(error: MakeError) -> Self {
        Counting {
            error,
            ..Counting::expiring(None)
        }
    }
}

impl SdkProvideCredentials for Counting {
    fn provide_credentials<'a>(&'a self) -> SdkProvideFuture<'a>
    where
        Self: 'a,
    {
        let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        if let Some(error) = (self.error)() {
            return SdkProvideFuture::ready(Err(error));
        }
        let expiry = self.lifetime.map(|d| SystemTime::now() + d);
        // A boxed future, as a provider that goes to the network returns.
        SdkProvideFuture::new(async move {
            Ok(SdkCredentials::new(
                format!("KEY{n}"),
                SECRET,
                Some(TOKEN.to_owned()),
                expiry,
                "counting",
            ))
        })
    }
}

fn keys_of(provider: &impl ProvideCredentials, times: usize) -> Vec<String> {
    (0..times)
        .map(|_| {
            block_on(provider.provide())
                .expect("credentials")
                .access_key_id()
                .to_owned()
        })
        .collect()
}

fn assert_no_secret(text: &str) {
    assert!(!text.contains(SECRET), "secret key leaked: {text}");
    assert!(!text.contains(TOKEN), "session token leaked: {text}");
}

#[test]
fn sdk_static_credentials_are_provided_and_then_served_from_the_cache() {
    let sdk = SdkCredentials::new(ACCESS, SECRET, Some(TOKEN.to_owned()), None, "static");
    let provider = AwsSdkProvider::new(sdk);
    assert!(format!("{provider:?}").contains("cached: false"));
    let c = block_on(provider.provide()).expect("credentials");
    assert_eq!(
        (c.access_key_id(), c.secret_access_key(), c.session_token()),
        (ACCESS, SECRET, Some(TOKEN))
    );
    let again = provider
        .provide()
        .now_or_never()
        .expect("cached credentials are ready at once")
        .expect("credentials");
    assert_eq!(again.access_key_id(), ACCESS);
    let printed = format!("{provider:?} {c:?}");
    assert!(printed.contains("cached: true"), "{printed}");
    assert_no_secret(&printed);
}

#[test]
fn credentials_are_reused_until_shortly_before_they_expire() {
    let hour = AwsSdkProvider::new(Counting::expiring(Some(Duration::from_secs(3600))));
    assert_eq!(keys_of(&hour, 3), ["KEY1", "KEY1", "KEY1"]);

    let no_expiry = AwsSdkProvider::new(Counting::expiring(None));
    assert_eq!(keys_of(&no_expiry, 3), ["KEY1", "KEY1", "KEY1"]);

    // Two minutes left is inside the refresh margin: every call fetches.
    let soon = AwsSdkProvider::new(Counting::expiring(Some(Duration::from_secs(120))));
    assert_eq!(keys_of(&soon, 3), ["KEY1", "KEY2", "KEY3"]);
}

#[test]
fn sdk_errors_keep_their_kind_and_their_causes() {
    let cases: [(MakeError, CredentialsErrorKind, &str); 4] = [
        (
            || Some(SdkCredentialsError::not_loaded("no variables set")),
            CredentialsErrorKind::NotFound,
            "the credential provider was not enabled: no variables set",
        ),
        (
            || Some(SdkCredentialsError::invalid_configuration("profile loop")),
            CredentialsErrorKind::InvalidConfiguration,
            "the credentials provider was not properly configured: profile loop",
        ),
        (
            || Some(SdkCredentialsError::provider_error("STS answered 503")),
            CredentialsErrorKind::Provider,
            "an error occurred while loading credentials: STS answered 503",
        ),
        (
            || {
                Some(SdkCredentialsError::provider_timed_out(
                    Duration::from_secs(5),
                ))
            },
            CredentialsErrorKind::Provider,
            "credentials provider timed out after 5 seconds",
        ),
    ];
    for (error, kind, reason) in cases {
        let sdk = Counting::failing(error);
        let calls = Arc::clone(&sdk.calls);
        let provider = AwsSdkProvider::new(sdk);
        let e = block_on(provider.provide()).expect_err("a failure");
        assert_eq!(e.kind(), kind);
        assert_eq!(e.sources_tried().collect::<Vec<_>>(), ["AWS SDK provider"]);
        let text = e.to_string();
        assert!(
            text.ends_with(&format!("AWS SDK provider: {reason}")),
            "{text}"
        );
        // Failures are not cached: the next call asks again.
        block_on(provider.provide()).expect_err("a failure");
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }
}

// ---- through a client ---------------------------------------------------------------------

/// `Action=Ping`, answered by any 2xx.
struct Ping;

impl Operation for Ping {
    const NAME: &'static str = "Ping";
    type Input = ();
    type Output = ();
    type Error = ProbeError;

    fn serialize(_input: &()) -> Result<Request, BuildError> {
        Ok(Request::form_post(String::from("Action=Ping&Version=1")))
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

/// Answers 503 then 200, recording the requests.
#[derive(Debug, Default)]
struct Flaky {
    requests: Mutex<Vec<Request>>,
}

impl Transport for &Flaky {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        let mut requests = self.requests.lock().unwrap();
        requests.push(request);
        let status = if requests.len() == 1 { 503 } else { 200 };
        Ok(Response::new(status, ""))
    }

    async fn sleep(&self, _duration: Duration) {}
}

fn config(provider: AwsSdkProvider<Counting>) -> Config {
    Config::from_credentials_provider("us-east-1", provider)
        .with_endpoint_url("https://example.com")
}

#[test]
fn a_client_signs_each_attempt_with_the_sdk_credentials() {
    let sdk = Counting::expiring(Some(Duration::from_secs(3600)));
    let transport = Flaky::default();
    let handle = Handle::new(config(AwsSdkProvider::new(sdk)), SERVICE, &transport);
    block_on(handle.invoke::<Ping>(&())).expect("the retry succeeds");

    let requests = transport.requests.lock().unwrap();
    assert_eq!(requests.len(), 2);
    for request in requests.iter() {
        let authorization = request.header("authorization").unwrap_or_default();
        assert!(
            authorization.contains("Credential=KEY1/")
                && authorization.contains("/probe/aws4_request"),
            "{authorization}"
        );
        assert_eq!(request.header("x-amz-security-token"), Some(TOKEN));
    }
    assert_no_secret(&format!("{handle:?}"));
}

#[test]
fn a_client_reports_missing_sdk_credentials_before_sending() {
    let sdk = Counting::failing(|| Some(SdkCredentialsError::not_loaded_no_source()));
    let transport = Flaky::default();
    let handle = Handle::new(config(AwsSdkProvider::new(sdk)), SERVICE, &transport);
    let error = block_on(handle.invoke::<Ping>(&())).expect_err("no credentials");
    assert!(
        matches!(&error, SdkError::Credentials(e) if e.kind() == CredentialsErrorKind::NotFound),
        "{error:?}"
    );
    assert!(transport.requests.lock().unwrap().is_empty());
}
