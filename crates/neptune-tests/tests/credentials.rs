//! Credential providers in the client: asked before each attempt, async ones awaited, and a
//! missing identity reported as such before anything is sent, with no secret in any message.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::Poll;

use awsquery::credentials::{
    CredentialsError, CredentialsErrorKind, DefaultChain, ProvideCredentials, ProvideFuture,
};
use awsquery::env::Env;
use awsquery::http::Response;
use neptune_client::error::FailoverGlobalClusterError;
use neptune_client::types::FailoverGlobalClusterOutput;
use neptune_client::{Client, Config, Credentials, SdkError};
use neptune_tests::{SECRET, SUCCESS_200, Script, TARGET_ARN, block_on, pinned_clock};

const TOKEN: &str = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN";

/// Hands out `KEY1`, `KEY2`, … (with a session token), after one `Pending` poll each time, as a
/// source that refreshes over the network would.
#[derive(Debug, Default)]
struct Rotating {
    calls: AtomicUsize,
}

impl ProvideCredentials for Rotating {
    fn provide(&self) -> ProvideFuture<'_> {
        ProvideFuture::new(async move {
            let mut waited = false;
            std::future::poll_fn(|cx| {
                if waited {
                    Poll::Ready(())
                } else {
                    waited = true;
                    cx.waker().wake_by_ref();
                    Poll::Pending
                }
            })
            .await;
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            Ok(Credentials::new(
                format!("KEY{n}"),
                SECRET,
                Some(TOKEN.to_owned()),
            ))
        })
    }
}

fn call(
    client: &Client<&Script>,
) -> Result<FailoverGlobalClusterOutput, SdkError<FailoverGlobalClusterError>> {
    block_on(
        client
            .failover_global_cluster()
            .global_cluster_identifier("my-global")
            .target_db_cluster_identifier(TARGET_ARN)
            .send(),
    )
}

fn assert_no_secret(text: &str) {
    assert!(!text.contains(SECRET), "secret key leaked: {text}");
    assert!(!text.contains(TOKEN), "session token leaked: {text}");
}

#[test]
fn the_provider_is_asked_before_each_attempt() {
    let script = Script::new(vec![
        Ok(Response::new(503, "busy")),
        Ok(Response::new(200, SUCCESS_200)),
    ]);
    let config = Config::from_credentials_provider("us-east-1", Rotating::default())
        .with_clock(pinned_clock);
    let client = Client::new(config, &script);
    call(&client).expect("the second attempt succeeds");

    let requests = script.requests();
    assert_eq!(requests.len(), 2);
    for (request, key) in requests.iter().zip(["KEY1", "KEY2"]) {
        let authorization = request.header("authorization").unwrap_or_default();
        assert!(
            authorization.starts_with(&format!(
                "AWS4-HMAC-SHA256 Credential={key}/20150830/us-east-1/rds/aws4_request, \
                 SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-security-token,"
            )),
            "{authorization}"
        );
        assert_eq!(request.header("x-amz-security-token"), Some(TOKEN));
    }
}

#[test]
fn a_provider_replaces_static_keys() {
    let script = Script::new(vec![Ok(Response::new(200, SUCCESS_200))]);
    let config = Config::new("us-east-1", Credentials::new("STATIC", SECRET, None))
        .with_credentials_provider(Rotating::default())
        .with_clock(pinned_clock);
    let client = Client::new(config, &script);
    call(&client).expect("a success");
    let authorization = script.requests()[0]
        .header("authorization")
        .unwrap_or_default()
        .to_owned();
    assert!(
        authorization.contains("Credential=KEY1/"),
        "{authorization}"
    );
}

#[test]
fn no_credentials_is_a_credentials_error_and_sends_nothing() {
    let script = Script::new(Vec::new());
    // An environment with no keys and no home directory: every source of the chain is empty.
    let chain = DefaultChain::with_env(Env::from_pairs(&[("AWS_REGION", "us-east-1")]));
    let client = Client::new(
        Config::from_credentials_provider("us-east-1", chain),
        &script,
    );
    let error = call(&client).unwrap_err();
    match &error {
        SdkError::Credentials(e) => {
            assert_eq!(e.kind(), CredentialsErrorKind::NotFound);
            assert_eq!(
                e.sources_tried().collect::<Vec<_>>(),
                ["environment", "profile `default`"]
            );
        }
        other => panic!("expected a credentials error, got {other:?}"),
    }
    let text = error.to_string();
    assert!(
        text.starts_with("the request cannot be signed: no AWS credentials found: environment: "),
        "{text}"
    );
    assert!(error.service_error().is_none());
    assert_eq!(script.attempts(), 0, "nothing is sent without credentials");
}

/// Fails with a message that, carelessly written, would carry the secret; the client must not add
/// one of its own.
#[derive(Debug)]
struct Broken;

impl ProvideCredentials for Broken {
    fn provide(&self) -> ProvideFuture<'_> {
        ProvideFuture::ready(Err(CredentialsError::new(
            CredentialsErrorKind::Provider,
            "token service",
            "the token service answered 500",
        )))
    }
}

#[test]
fn a_failing_provider_is_not_retried() {
    let script = Script::new(Vec::new());
    let client = Client::new(
        Config::from_credentials_provider("us-east-1", Broken),
        &script,
    );
    let error = call(&client).unwrap_err();
    assert!(
        matches!(&error, SdkError::Credentials(e) if e.kind() == CredentialsErrorKind::Provider),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "the request cannot be signed: AWS credentials could not be loaded: token service: the \
         token service answered 500"
    );
    assert_eq!(script.attempts(), 0);
    assert!(script.sleeps().is_empty());
}

#[test]
fn secrets_never_show_in_debug_or_errors() {
    let keys = Credentials::new("AKIDEXAMPLE", SECRET, Some(TOKEN.to_owned()));
    let script = Script::new(vec![Ok(Response::new(403, "denied"))]);
    let static_client = Client::new(
        Config::new("us-east-1", keys.clone()).with_clock(pinned_clock),
        &script,
    );
    let error = call(&static_client).unwrap_err();
    let provider_config = Config::from_credentials_provider("us-east-1", keys);
    assert!(provider_config.credentials().is_none());
    assert_eq!(
        static_client
            .config()
            .credentials()
            .map(|c| c.access_key_id()),
        Some("AKIDEXAMPLE")
    );
    let printed = format!(
        "{static_client:?} {provider_config:?} {error} {error:?} {:?} {:?}",
        script.requests(),
        provider_config.credentials_provider().provide(),
    );
    assert!(printed.contains("AKIDEXAMPLE"), "{printed}");
    assert!(printed.contains("credentials_provider"), "{printed}");
    assert_no_secret(&printed);
    let signature = script.requests()[0]
        .header("authorization")
        .and_then(|a| a.rsplit_once("Signature="))
        .map(|(_, s)| s.to_owned())
        .expect("a signature");
    assert!(!printed.contains(&signature), "signature leaked: {printed}");
}
