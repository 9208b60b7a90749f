//! The generated STS client and `awsquery-config`'s assume-role provider over [`HyperTransport`]
//! against the moto server of `.ci/run`, which verifies signatures (see `moto.rs` for how it is
//! started and prepared). Without `NEPTUNE_MOTO_ENDPOINT`, `NEPTUNE_MOTO_REGION`,
//! `NEPTUNE_MOTO_ACCESS_KEY_ID` and `NEPTUNE_MOTO_SECRET_ACCESS_KEY` each test says on stderr that
//! it is skipped, and passes.
//!
//! moto answers `AssumeRole` for any role ARN and accepts the temporary credentials it hands out,
//! so a role assumed here can sign the next call. `AssumeRoleWithWebIdentity` is not tried: once
//! moto checks signatures it fails every request without an `Authorization` header, which that
//! operation never has (it is tested against a local STS stand-in in `awsquery-config`).

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use awsquery::credentials::ProvideCredentials;
use awsquery::env::Env;
use awsquery::retry::RetryConfig;
use awsquery_config::sts::AssumeRoleProvider;
use awsquery_hyper::HyperTransport;
use sts_client::error::GetCallerIdentityError;
use sts_client::{Client, Config, Credentials};

const VARIABLES: [&str; 4] = [
    "NEPTUNE_MOTO_ENDPOINT",
    "NEPTUNE_MOTO_REGION",
    "NEPTUNE_MOTO_ACCESS_KEY_ID",
    "NEPTUNE_MOTO_SECRET_ACCESS_KEY",
];

/// The IAM user `.ci/moto_setup.py` creates, whose key `.ci/run` exports.
const MOTO_USER: &str = "neptune-tests";
/// moto's account.
const ACCOUNT: &str = "123456789012";

/// What `.ci/run` exported about the running moto server.
#[derive(Debug)]
struct Moto {
    endpoint: String,
    region: String,
    access_key_id: String,
    secret_access_key: String,
}

impl Moto {
    /// The server, or `None` after saying on stderr why `test` is skipped.
    fn find(test: &str) -> Option<Moto> {
        let values: Vec<Option<String>> = VARIABLES
            .iter()
            .map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
            .collect();
        let missing: Vec<&str> = VARIABLES
            .iter()
            .zip(&values)
            .filter(|(_, value)| value.is_none())
            .map(|(name, _)| *name)
            .collect();
        if !missing.is_empty() {
            eprintln!(
                "\n==== SKIPPED moto test `{test}`: {} not set. `.ci/run` starts a moto server \
                 and sets them; see README.md (\"moto\").\n",
                missing.join(", ")
            );
            return None;
        }
        let mut values = values.into_iter().flatten();
        let mut next = || values.next().unwrap_or_default();
        Some(Moto {
            endpoint: next(),
            region: next(),
            access_key_id: next(),
            secret_access_key: next(),
        })
    }

    fn credentials(&self, secret: &str) -> Credentials {
        Credentials::new(self.access_key_id.clone(), secret, None)
    }

    /// A client for the server signing with `config`'s credentials, retrying with short backoffs.
    fn client(&self, config: Config) -> Client<HyperTransport> {
        let config = config
            .with_endpoint_url(self.endpoint.clone())
            .with_retry_config(
                RetryConfig::default().with_initial_backoff(Duration::from_millis(20)),
            );
        Client::new(config, HyperTransport::new())
    }
}

fn run<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(future)
}

#[test]
fn get_caller_identity_names_the_signing_user() {
    let Some(moto) = Moto::find("get_caller_identity_names_the_signing_user") else {
        return;
    };
    run(async {
        let config = Config::new(
            moto.region.clone(),
            moto.credentials(&moto.secret_access_key),
        );
        let output = moto
            .client(config)
            .get_caller_identity()
            .send()
            .await
            .expect("a signed GetCallerIdentity succeeds");
        assert_eq!(output.account.as_deref(), Some(ACCOUNT));
        assert_eq!(
            output.arn.as_deref(),
            Some(format!("arn:aws:iam::{ACCOUNT}:user/{MOTO_USER}").as_str())
        );
        assert!(output.user_id.is_some_and(|id| !id.is_empty()));
    });
}

#[test]
fn get_caller_identity_with_a_wrong_secret_is_refused() {
    let Some(moto) = Moto::find("get_caller_identity_with_a_wrong_secret_is_refused") else {
        return;
    };
    run(async {
        let config = Config::new(moto.region.clone(), moto.credentials("not-the-secret"));
        let error = moto
            .client(config)
            .get_caller_identity()
            .send()
            .await
            .expect_err("a wrong secret is refused");
        let Some(GetCallerIdentityError::Unhandled(e)) = error.service_error() else {
            panic!("expected an unhandled service error, got {error:?}");
        };
        assert_eq!(e.meta().status, 403, "{error}");
        assert_eq!(e.meta().code(), Some("SignatureDoesNotMatch"));
    });
}

#[test]
fn assume_role_through_the_client_and_through_the_provider() {
    let Some(moto) = Moto::find("assume_role_through_the_client_and_through_the_provider") else {
        return;
    };
    let role = format!("arn:aws:iam::{ACCOUNT}:role/sts-moto-reader");
    run(async {
        // The generated client's own call.
        let config = Config::new(
            moto.region.clone(),
            moto.credentials(&moto.secret_access_key),
        );
        let output = moto
            .client(config)
            .assume_role()
            .role_arn(role.clone())
            .role_session_name("direct")
            .duration_seconds(900)
            .send()
            .await
            .expect("AssumeRole succeeds");
        let user = output.assumed_role_user.expect("the session's identity");
        assert_eq!(
            user.arn.as_deref(),
            Some(format!("arn:aws:sts::{ACCOUNT}:assumed-role/sts-moto-reader/direct").as_str())
        );
        let credentials = output.credentials.expect("credentials");
        assert!(credentials.session_token.is_some_and(|t| !t.is_empty()));

        // The provider, sourcing from the user's key, finds moto through `AWS_ENDPOINT_URL_STS`;
        // its credentials then sign a GetCallerIdentity of their own.
        let source: Arc<dyn ProvideCredentials> =
            Arc::new(moto.credentials(&moto.secret_access_key));
        let provider = AssumeRoleProvider::builder(role.clone(), source)
            .session_name("through-provider")
            .region(moto.region.clone())
            .env(Env::from_pairs(&[("AWS_ENDPOINT_URL_STS", &moto.endpoint)]))
            .build(HyperTransport::new());
        let assumed = provider
            .provide()
            .await
            .expect("the provider assumes the role");
        assert!(assumed.access_key_id() != moto.access_key_id);
        assert!(assumed.session_token().is_some());
        let expiry = assumed.expiry().expect("an expiry");
        assert!(expiry > SystemTime::now(), "{expiry:?}");

        let config = Config::from_credentials_provider(moto.region.clone(), provider);
        let output = moto
            .client(config)
            .get_caller_identity()
            .send()
            .await
            .expect("the assumed role's credentials are accepted");
        assert_eq!(
            output.arn.as_deref(),
            Some(
                format!("arn:aws:sts::{ACCOUNT}:assumed-role/sts-moto-reader/through-provider")
                    .as_str()
            )
        );
    });
}
