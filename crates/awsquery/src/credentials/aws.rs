//! The credential providers of the AWS SDK for Rust as a [`ProvideCredentials`] (feature
//! `aws-credential-types`).

use std::error::Error as StdError;
use std::fmt;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use aws_credential_types::provider::ProvideCredentials as AwsProvideCredentials;
use aws_credential_types::provider::error::CredentialsError as AwsCredentialsError;

use super::{CredentialsError, CredentialsErrorKind, ProvideCredentials, ProvideFuture};
use crate::sigv4::Credentials;

/// How long before their expiry credentials are fetched again.
pub const REFRESH_BEFORE_EXPIRY: Duration = Duration::from_secs(5 * 60);

/// How long credentials without an expiry are reused before they are fetched again.
pub const REUSE_WITHOUT_EXPIRY: Duration = Duration::from_secs(15 * 60);

/// Any credentials provider of the AWS SDK for Rust, such as the default chain of `aws-config`
/// (environment, profiles with SSO or assume-role, web identity, ECS and EC2 instance metadata):
///
/// ```ignore
/// let sdk_config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
/// let provider = sdk_config.credentials_provider().expect("a credentials provider");
/// let config = Config::from_credentials_provider("us-east-1", AwsSdkProvider::new(provider));
/// ```
///
/// The SDK's providers do not cache (its clients do), and this one is asked before every attempt,
/// so it keeps what it fetched: until [`REFRESH_BEFORE_EXPIRY`] before the credentials expire, or
/// for [`REUSE_WITHOUT_EXPIRY`] when they carry no expiry. While cached credentials are fresh,
/// [`provide`](ProvideCredentials::provide) answers at once; calls that find them stale at the
/// same moment each fetch, and the last answer is kept.
///
/// The SDK's errors map to [`CredentialsErrorKind`]s: not loaded is `NotFound`, an invalid
/// configuration is `Incomplete`, anything else is `Provider`.
pub struct AwsSdkProvider<P> {
    provider: P,
    cache: Mutex<Option<Cached>>,
}

struct Cached {
    credentials: Credentials,
    refresh_at: SystemTime,
}

impl<P: AwsProvideCredentials> AwsSdkProvider<P> {
    /// Adapts `provider`, with an empty cache.
    pub fn new(provider: P) -> Self {
        AwsSdkProvider {
            provider,
            cache: Mutex::new(None),
        }
    }

    /// The cached credentials, when they are still fresh.
    fn fresh(&self) -> Option<Credentials> {
        let cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        cache
            .as_ref()
            .filter(|cached| SystemTime::now() < cached.refresh_at)
            .map(|cached| cached.credentials.clone())
    }

    /// Asks the SDK's provider and caches its answer.
    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let fetched = self
            .provider
            .provide_credentials()
            .await
            .map_err(convert_error)?;
        let credentials = Credentials::new(
            fetched.access_key_id(),
            fetched.secret_access_key(),
            fetched.session_token().map(str::to_owned),
        );
        let now = SystemTime::now();
        let refresh_at = match fetched.expiry() {
            Some(expiry) => expiry
                .checked_sub(REFRESH_BEFORE_EXPIRY)
                .unwrap_or(SystemTime::UNIX_EPOCH),
            None => now + REUSE_WITHOUT_EXPIRY,
        };
        *self.cache.lock().unwrap_or_else(PoisonError::into_inner) = Some(Cached {
            credentials: credentials.clone(),
            refresh_at,
        });
        Ok(credentials)
    }
}

impl<P: AwsProvideCredentials> ProvideCredentials for AwsSdkProvider<P> {
    fn provide(&self) -> ProvideFuture<'_> {
        match self.fresh() {
            Some(credentials) => ProvideFuture::ready(Ok(credentials)),
            None => ProvideFuture::new(self.fetch()),
        }
    }
}

impl<P: fmt::Debug> fmt::Debug for AwsSdkProvider<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cached = self
            .cache
            .lock()
            .map(|cache| cache.is_some())
            .unwrap_or(false);
        f.debug_struct("AwsSdkProvider")
            .field("provider", &self.provider)
            .field("cached", &cached)
            .finish()
    }
}

/// The SDK's error, with its causes in the reason (the SDK's own message names only the kind).
fn convert_error(error: AwsCredentialsError) -> CredentialsError {
    let kind = match &error {
        AwsCredentialsError::CredentialsNotLoaded(_) => CredentialsErrorKind::NotFound,
        AwsCredentialsError::InvalidConfiguration(_) => CredentialsErrorKind::InvalidConfiguration,
        _ => CredentialsErrorKind::Provider,
    };
    let mut reason = error.to_string();
    let mut cause = error.source();
    while let Some(e) = cause {
        reason.push_str(": ");
        reason.push_str(&e.to_string());
        cause = e.source();
    }
    CredentialsError::new(kind, "AWS SDK provider", reason)
}
