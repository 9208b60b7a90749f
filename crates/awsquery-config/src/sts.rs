//! Credentials from STS: a role assumed with other credentials ([`AssumeRoleProvider`]) and a role
//! assumed with a web identity token ([`WebIdentityProvider`], the way EKS service accounts get
//! theirs).
//!
//! Both call STS through the generated `sts-client` on every [`provide`](ProvideCredentials::provide)
//! and return credentials carrying the expiry STS gave them. Neither caches: wrap them in
//! [`CachedCredentials`](crate::cache::CachedCredentials) so that STS is asked only when the
//! credentials are about to expire.
//!
//! The STS endpoint follows the endpoint settings of the [`Env`] given to the builder (the process
//! environment unless set): `AWS_ENDPOINT_URL_STS`, then `AWS_ENDPOINT_URL`, the FIPS and
//! dual-stack flags, and `AWS_STS_REGIONAL_ENDPOINTS` (`regional`, the default, or `legacy`, which
//! sends the Regions that used to be served by the global endpoint there); then those of a profile,
//! when the builder is given its [`EndpointSettings`] (a profile's `services` section and
//! `endpoint_url`, its `sts_regional_endpoints`).
//!
//! Errors name the role and, when STS refused, the code and message it answered with; they never
//! carry a key, a session token or the web identity token.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use awsquery::client::{Config, SdkError};
use awsquery::credentials::{
    CredentialsError, CredentialsErrorKind, ProvideCredentials, ProvideFuture,
};
use awsquery::endpoint::EndpointSettings;
use awsquery::env::Env;
use awsquery::error::ProvideErrorMetadata;
use awsquery::sigv4::Credentials;
use awsquery::transport::Transport;
use awsquery_types::text::{MAX_MESSAGE_CHARS, MAX_NAME_CHARS, printable};
use sts_client::Client;

/// The source name of [`AssumeRoleProvider`]'s errors.
const ASSUME_ROLE: &str = "assume role";
/// The source name of [`WebIdentityProvider`]'s errors.
const WEB_IDENTITY: &str = "web identity";

/// The Region STS is called in when none is set, as the AWS SDKs do.
pub const DEFAULT_REGION: &str = "us-east-1";
/// How long one call to STS may take, retries included, unless set otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest web identity token file read; STS takes tokens of up to 20,000 characters.
pub const MAX_TOKEN_FILE_BYTES: u64 = 64 * 1024;

/// The file holding the web identity token (`AWS_WEB_IDENTITY_TOKEN_FILE`).
pub const WEB_IDENTITY_TOKEN_FILE_VAR: &str = "AWS_WEB_IDENTITY_TOKEN_FILE";
/// The role to assume with the web identity token (`AWS_ROLE_ARN`).
pub const ROLE_ARN_VAR: &str = "AWS_ROLE_ARN";
/// The session name for the web identity role (`AWS_ROLE_SESSION_NAME`).
pub const ROLE_SESSION_NAME_VAR: &str = "AWS_ROLE_SESSION_NAME";

/// A session name for when none is configured: `awsquery-` and the Unix time in milliseconds.
pub fn default_session_name() -> String {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_millis());
    format!("awsquery-{millis}")
}

/// What the two providers share: where STS is and how long a call may take.
#[derive(Clone)]
struct StsSettings {
    region: String,
    env: Env,
    endpoints: EndpointSettings,
    timeout: Duration,
}

impl Default for StsSettings {
    fn default() -> Self {
        StsSettings {
            region: String::from(DEFAULT_REGION),
            env: Env::process(),
            endpoints: EndpointSettings::new(),
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

impl StsSettings {
    fn config(&self, config: Config) -> Config {
        config
            .with_endpoint_settings(self.endpoints.clone().with_env(self.env.clone()))
            .with_operation_timeout(self.timeout)
    }
}

impl fmt::Debug for StsSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StsSettings")
            .field("region", &self.region)
            .field("env", &self.env)
            .field("endpoints", &self.endpoints)
            .field("timeout", &self.timeout)
            .finish()
    }
}

// ---------------------------------------------------------------------------------------------
// AssumeRole
// ---------------------------------------------------------------------------------------------

/// Credentials of an IAM role, assumed (`sts:AssumeRole`) with the credentials of a source
/// provider, which sign the request.
///
/// ```no_run
/// # use std::sync::Arc;
/// # use awsquery::credentials::{DefaultChain, ProvideCredentials};
/// # use awsquery_config::sts::AssumeRoleProvider;
/// # use awsquery_hyper::HyperTransport;
/// let source: Arc<dyn ProvideCredentials> = Arc::new(DefaultChain::new());
/// let role = AssumeRoleProvider::builder("arn:aws:iam::123456789012:role/reader", source)
///     .external_id("partner-7f3a")
///     .region("eu-west-1")
///     .build(HyperTransport::new());
/// ```
pub struct AssumeRoleProvider<T> {
    client: Client<T>,
    role_arn: String,
    session_name: String,
    external_id: Option<String>,
    duration_seconds: Option<u32>,
}

/// Builds an [`AssumeRoleProvider`].
pub struct AssumeRoleProviderBuilder {
    source: Arc<dyn ProvideCredentials>,
    role_arn: String,
    session_name: Option<String>,
    external_id: Option<String>,
    duration_seconds: Option<u32>,
    settings: StsSettings,
}

impl AssumeRoleProvider<()> {
    /// A builder for assuming `role_arn` with the credentials of `source`.
    pub fn builder(
        role_arn: impl Into<String>,
        source: Arc<dyn ProvideCredentials>,
    ) -> AssumeRoleProviderBuilder {
        AssumeRoleProviderBuilder {
            source,
            role_arn: role_arn.into(),
            session_name: None,
            external_id: None,
            duration_seconds: None,
            settings: StsSettings::default(),
        }
    }
}

impl AssumeRoleProviderBuilder {
    /// The role session name (`role_session_name` of a profile); by default
    /// [`default_session_name`], chosen when the provider is built.
    pub fn session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = Some(name.into());
        self
    }

    /// The external ID the role's trust policy asks for (`external_id` of a profile).
    pub fn external_id(mut self, id: impl Into<String>) -> Self {
        self.external_id = Some(id.into());
        self
    }

    /// How long the session lasts, in seconds (`duration_seconds` of a profile); STS allows 900 up
    /// to the role's maximum and uses one hour without it.
    pub fn duration_seconds(mut self, seconds: u32) -> Self {
        self.duration_seconds = Some(seconds);
        self
    }

    /// The Region whose STS endpoint is called ([`DEFAULT_REGION`] unless set).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.settings.region = region.into();
        self
    }

    /// Where the endpoint settings come from ([`Env::process`] unless set).
    pub fn env(mut self, env: Env) -> Self {
        self.settings.env = env;
        self
    }

    /// Endpoint settings to start from, usually the selected profile's
    /// ([`Plan::endpoints`](crate::profile::Plan::endpoints)); the [`env`](Self::env) is added
    /// to them and wins over the profile.
    pub fn endpoints(mut self, endpoints: EndpointSettings) -> Self {
        self.settings.endpoints = endpoints;
        self
    }

    /// How long one call to STS may take, retries included ([`DEFAULT_TIMEOUT`] unless set).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.settings.timeout = timeout;
        self
    }

    /// The provider, calling STS through `transport`.
    pub fn build<T: Transport + Clone + Send + Sync + 'static>(
        self,
        transport: T,
    ) -> AssumeRoleProvider<T> {
        let config = Config::from_credentials_provider(self.settings.region.clone(), self.source);
        AssumeRoleProvider {
            client: Client::new(self.settings.config(config), transport),
            role_arn: self.role_arn,
            session_name: self.session_name.unwrap_or_else(default_session_name),
            external_id: self.external_id,
            duration_seconds: self.duration_seconds,
        }
    }
}

impl<T> AssumeRoleProvider<T> {
    /// The role assumed.
    pub fn role_arn(&self) -> &str {
        &self.role_arn
    }

    /// The role session name sent.
    pub fn session_name(&self) -> &str {
        &self.session_name
    }
}

impl<T: Transport + Clone + Send + Sync + 'static> AssumeRoleProvider<T> {
    async fn assume(&self) -> Result<Credentials, CredentialsError> {
        let duration = self
            .duration_seconds
            .map(|seconds| {
                i32::try_from(seconds).map_err(|_| {
                    CredentialsError::new(
                        CredentialsErrorKind::InvalidConfiguration,
                        ASSUME_ROLE,
                        format!("the session duration of {seconds} seconds is out of range"),
                    )
                })
            })
            .transpose()?;
        let output = self
            .client
            .assume_role()
            .role_arn(self.role_arn.as_str())
            .role_session_name(self.session_name.as_str())
            .set_external_id(self.external_id.clone())
            .set_duration_seconds(duration)
            .send()
            .await
            .map_err(|e| call_error(ASSUME_ROLE, &self.role_arn, e))?;
        let credentials = output
            .credentials
            .ok_or_else(|| no_credentials(ASSUME_ROLE))?;
        temporary_credentials(ASSUME_ROLE, credentials)
    }
}

impl<T: Transport + Clone + Send + Sync + 'static> ProvideCredentials for AssumeRoleProvider<T> {
    fn provide(&self) -> ProvideFuture<'_> {
        ProvideFuture::new(self.assume())
    }
}

impl<T: Transport> fmt::Debug for AssumeRoleProvider<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRoleProvider")
            .field("role_arn", &self.role_arn)
            .field("session_name", &self.session_name)
            .field("external_id", &self.external_id)
            .field("duration_seconds", &self.duration_seconds)
            .field("config", self.client.config())
            .finish()
    }
}

impl fmt::Debug for AssumeRoleProviderBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRoleProviderBuilder")
            .field("source", &self.source)
            .field("role_arn", &self.role_arn)
            .field("session_name", &self.session_name)
            .field("external_id", &self.external_id)
            .field("duration_seconds", &self.duration_seconds)
            .field("settings", &self.settings)
            .finish()
    }
}

// ---------------------------------------------------------------------------------------------
// AssumeRoleWithWebIdentity
// ---------------------------------------------------------------------------------------------

/// Credentials of an IAM role, assumed with a web identity token read from a file
/// (`sts:AssumeRoleWithWebIdentity`, sent unsigned): what EKS gives pods through
/// `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN`, and what a profile's `web_identity_token_file`
/// and `role_arn` describe.
///
/// The file is read again on every call, since its token is rotated (on EKS, about hourly).
pub struct WebIdentityProvider<T> {
    client: Client<T>,
    token_file: PathBuf,
    role_arn: String,
    session_name: String,
}

/// Builds a [`WebIdentityProvider`].
pub struct WebIdentityProviderBuilder {
    token_file: PathBuf,
    role_arn: String,
    session_name: Option<String>,
    settings: StsSettings,
}

impl WebIdentityProvider<()> {
    /// A builder for assuming `role_arn` with the token in `token_file`.
    pub fn builder(
        token_file: impl Into<PathBuf>,
        role_arn: impl Into<String>,
    ) -> WebIdentityProviderBuilder {
        WebIdentityProviderBuilder {
            token_file: token_file.into(),
            role_arn: role_arn.into(),
            session_name: None,
            settings: StsSettings::default(),
        }
    }
}

impl<T: Transport + Clone + Send + Sync + 'static> WebIdentityProvider<T> {
    /// The provider the environment describes ([`builder_from_env`](WebIdentityProvider::builder_from_env)),
    /// calling STS in `AWS_REGION` (else `AWS_DEFAULT_REGION`, else [`DEFAULT_REGION`]) with the
    /// endpoint settings of `env`.
    pub fn from_env(env: Env, transport: T) -> Result<Self, CredentialsError> {
        let mut builder = WebIdentityProvider::builder_from_env(&env)?;
        if let Some(region) = env
            .get("AWS_REGION")
            .or_else(|| env.get("AWS_DEFAULT_REGION"))
        {
            builder = builder.region(region);
        }
        Ok(builder.env(env).build(transport))
    }
}

impl WebIdentityProvider<()> {
    /// A builder for what the environment describes: `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN`
    /// and, optionally, `AWS_ROLE_SESSION_NAME`; the caller sets the Region and endpoint settings.
    ///
    /// No token file set is [`NotFound`](CredentialsErrorKind::NotFound), as the AWS CLI has it,
    /// even when `AWS_ROLE_ARN` is set for other tools (a chain moves on); a token file without a
    /// role is [`Incomplete`](CredentialsErrorKind::Incomplete).
    pub fn builder_from_env(env: &Env) -> Result<WebIdentityProviderBuilder, CredentialsError> {
        let token_file = env.get(WEB_IDENTITY_TOKEN_FILE_VAR);
        let role_arn = env.get(ROLE_ARN_VAR);
        let (token_file, role_arn) = match (token_file, role_arn) {
            (Some(file), Some(role)) => (file, role),
            (None, _) => {
                return Err(CredentialsError::new(
                    CredentialsErrorKind::NotFound,
                    WEB_IDENTITY,
                    format!("`{WEB_IDENTITY_TOKEN_FILE_VAR}` is not set"),
                ));
            }
            (Some(_), None) => return Err(half_set(WEB_IDENTITY_TOKEN_FILE_VAR, ROLE_ARN_VAR)),
        };
        let mut builder = WebIdentityProvider::builder(token_file, role_arn);
        if let Some(name) = env.get(ROLE_SESSION_NAME_VAR) {
            builder = builder.session_name(name);
        }
        Ok(builder)
    }
}

fn half_set(set: &str, unset: &str) -> CredentialsError {
    CredentialsError::new(
        CredentialsErrorKind::Incomplete,
        WEB_IDENTITY,
        format!("`{set}` is set but `{unset}` is not; web identity needs both"),
    )
}

impl WebIdentityProviderBuilder {
    /// The role session name (`role_session_name` of a profile); by default
    /// [`default_session_name`], chosen when the provider is built.
    pub fn session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = Some(name.into());
        self
    }

    /// The Region whose STS endpoint is called ([`DEFAULT_REGION`] unless set).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.settings.region = region.into();
        self
    }

    /// Where the endpoint settings come from ([`Env::process`] unless set).
    pub fn env(mut self, env: Env) -> Self {
        self.settings.env = env;
        self
    }

    /// Endpoint settings to start from, usually the selected profile's
    /// ([`Plan::endpoints`](crate::profile::Plan::endpoints)); the [`env`](Self::env) is added
    /// to them and wins over the profile.
    pub fn endpoints(mut self, endpoints: EndpointSettings) -> Self {
        self.settings.endpoints = endpoints;
        self
    }

    /// How long one call to STS may take, retries included ([`DEFAULT_TIMEOUT`] unless set).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.settings.timeout = timeout;
        self
    }

    /// The provider, calling STS through `transport`.
    pub fn build<T: Transport + Clone + Send + Sync + 'static>(
        self,
        transport: T,
    ) -> WebIdentityProvider<T> {
        let config = Config::without_credentials(self.settings.region.clone());
        WebIdentityProvider {
            client: Client::new(self.settings.config(config), transport),
            token_file: self.token_file,
            role_arn: self.role_arn,
            session_name: self.session_name.unwrap_or_else(default_session_name),
        }
    }
}

impl<T> WebIdentityProvider<T> {
    /// The file the token is read from.
    pub fn token_file(&self) -> &Path {
        &self.token_file
    }

    /// The role assumed.
    pub fn role_arn(&self) -> &str {
        &self.role_arn
    }

    /// The role session name sent.
    pub fn session_name(&self) -> &str {
        &self.session_name
    }
}

impl<T: Transport + Clone + Send + Sync + 'static> WebIdentityProvider<T> {
    async fn assume(&self) -> Result<Credentials, CredentialsError> {
        let token = read_token(&self.token_file).await?;
        let output = self
            .client
            .assume_role_with_web_identity()
            .role_arn(self.role_arn.as_str())
            .role_session_name(self.session_name.as_str())
            .web_identity_token(token)
            .send()
            .await
            .map_err(|e| call_error(WEB_IDENTITY, &self.role_arn, e))?;
        let credentials = output
            .credentials
            .ok_or_else(|| no_credentials(WEB_IDENTITY))?;
        temporary_credentials(WEB_IDENTITY, credentials)
    }
}

/// The token in `path`, without surrounding white space; at most [`MAX_TOKEN_FILE_BYTES`] are
/// read, on a blocking thread of the runtime.
async fn read_token(path: &Path) -> Result<String, CredentialsError> {
    let shown = path.display();
    let io_error = |e: std::io::Error| {
        CredentialsError::new(
            CredentialsErrorKind::Io,
            WEB_IDENTITY,
            format!("the web identity token file `{shown}` cannot be read"),
        )
        .with_cause(e)
    };
    let owned = path.to_owned();
    let read = tokio::task::spawn_blocking(move || {
        use std::io::Read as _;
        let mut bytes = Vec::new();
        std::fs::File::open(owned)?
            .take(MAX_TOKEN_FILE_BYTES + 1)
            .read_to_end(&mut bytes)?;
        Ok(bytes)
    })
    .await
    .map_err(|e| io_error(std::io::Error::other(e)))?;
    let bytes = read.map_err(io_error)?;
    let invalid = |problem: &str| {
        CredentialsError::new(
            CredentialsErrorKind::InvalidConfiguration,
            WEB_IDENTITY,
            format!("the web identity token file `{shown}` {problem}"),
        )
    };
    if bytes.len() as u64 > MAX_TOKEN_FILE_BYTES {
        return Err(invalid(&format!(
            "is larger than {MAX_TOKEN_FILE_BYTES} bytes"
        )));
    }
    let text = String::from_utf8(bytes).map_err(|_| invalid("is not UTF-8 text"))?;
    let token = text.trim();
    if token.is_empty() {
        return Err(invalid("is empty"));
    }
    Ok(token.to_owned())
}

impl<T: Transport + Clone + Send + Sync + 'static> ProvideCredentials for WebIdentityProvider<T> {
    fn provide(&self) -> ProvideFuture<'_> {
        ProvideFuture::new(self.assume())
    }
}

impl<T: Transport> fmt::Debug for WebIdentityProvider<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebIdentityProvider")
            .field("token_file", &self.token_file)
            .field("role_arn", &self.role_arn)
            .field("session_name", &self.session_name)
            .field("config", self.client.config())
            .finish()
    }
}

impl fmt::Debug for WebIdentityProviderBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebIdentityProviderBuilder")
            .field("token_file", &self.token_file)
            .field("role_arn", &self.role_arn)
            .field("session_name", &self.session_name)
            .field("settings", &self.settings)
            .finish()
    }
}

// ---------------------------------------------------------------------------------------------
// Shared
// ---------------------------------------------------------------------------------------------

/// The error of a failed call for `role_arn`: STS's refusal with its code and message, the
/// source's failure followed by ours, or why STS could not be reached.
fn call_error<E>(source: &str, role_arn: &str, error: SdkError<E>) -> CredentialsError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let role = printable(role_arn, MAX_NAME_CHARS);
    match error {
        SdkError::Service(e) => {
            let meta = e.meta();
            if (200..300).contains(&meta.status) {
                // A success that could not be read: its excerpt may hold the very keys STS
                // returned, so only the status and the request id are told.
                let id = meta
                    .request_id()
                    .map(|id| format!(", request id {}", printable(id, MAX_NAME_CHARS)))
                    .unwrap_or_default();
                return CredentialsError::new(
                    CredentialsErrorKind::Provider,
                    source,
                    format!(
                        "STS answered HTTP {} to assume `{role}`, but the answer could not be read{id}",
                        meta.status
                    ),
                );
            }
            let code = printable(meta.code().unwrap_or("an unknown error"), MAX_NAME_CHARS);
            let reason = match meta.message() {
                Some(message) => format!(
                    "STS refused to let `{role}` be assumed: {code}: {}",
                    printable(message, MAX_MESSAGE_CHARS)
                ),
                None => format!(
                    "STS refused to let `{role}` be assumed: {code} (HTTP {})",
                    meta.status
                ),
            };
            CredentialsError::new(CredentialsErrorKind::Provider, source, reason)
        }
        SdkError::Credentials(e) => {
            // A source with nothing is a configuration to fix, not a reason to try another
            // identity: the chain stops here.
            let kind = match e.kind() {
                CredentialsErrorKind::NotFound => CredentialsErrorKind::InvalidConfiguration,
                kind => kind,
            };
            e.then(CredentialsError::new(
                kind,
                source,
                format!("no source credentials to assume `{role}` with"),
            ))
        }
        SdkError::Endpoint(e) => CredentialsError::new(
            CredentialsErrorKind::InvalidConfiguration,
            source,
            format!("no STS endpoint to assume `{role}` at"),
        )
        .with_cause(e),
        SdkError::Build(e) => CredentialsError::new(
            CredentialsErrorKind::InvalidConfiguration,
            source,
            format!("the request to assume `{role}` cannot be built"),
        )
        .with_cause(e),
        SdkError::Transport(e) => CredentialsError::new(
            CredentialsErrorKind::Provider,
            source,
            format!("STS did not answer the request to assume `{role}`"),
        )
        .with_cause(e),
        other => CredentialsError::new(
            CredentialsErrorKind::Provider,
            source,
            format!("assuming `{role}` failed"),
        )
        .with_cause(other.to_string()),
    }
}

fn no_credentials(source: &str) -> CredentialsError {
    CredentialsError::new(
        CredentialsErrorKind::Provider,
        source,
        "STS answered without credentials",
    )
}

/// The keys of STS's answer, with their expiry; each part is required.
fn temporary_credentials(
    source: &str,
    credentials: sts_client::types::Credentials,
) -> Result<Credentials, CredentialsError> {
    let missing = |member: &str| {
        CredentialsError::new(
            CredentialsErrorKind::Provider,
            source,
            format!("STS answered with credentials without `{member}`"),
        )
    };
    let access_key_id = credentials
        .access_key_id
        .ok_or_else(|| missing("AccessKeyId"))?;
    let secret_access_key = credentials
        .secret_access_key
        .ok_or_else(|| missing("SecretAccessKey"))?;
    let session_token = credentials
        .session_token
        .ok_or_else(|| missing("SessionToken"))?;
    let expiration = credentials
        .expiration
        .ok_or_else(|| missing("Expiration"))?;
    let expiry = system_time(expiration).ok_or_else(|| {
        CredentialsError::new(
            CredentialsErrorKind::Provider,
            source,
            "STS answered with an expiry this system cannot represent",
        )
    })?;
    Ok(Credentials::new(access_key_id, secret_access_key, Some(session_token)).with_expiry(expiry))
}

fn system_time(time: awsquery_types::DateTime) -> Option<SystemTime> {
    let nanos = Duration::from_nanos(u64::from(time.subsec_nanos()));
    match u64::try_from(time.secs()) {
        Ok(secs) => UNIX_EPOCH.checked_add(Duration::from_secs(secs) + nanos),
        Err(_) => UNIX_EPOCH
            .checked_sub(Duration::from_secs(time.secs().unsigned_abs()))?
            .checked_add(nanos),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_names_fit_what_sts_allows() {
        let name = default_session_name();
        let millis = name.strip_prefix("awsquery-").expect("the prefix");
        assert!(millis.parse::<u128>().is_ok(), "{name}");
        assert!((2..=64).contains(&name.len()), "{name}");
    }

    #[test]
    fn expiries_convert_to_system_time() {
        let t = awsquery_types::DateTime::from_secs_and_nanos(1_714_566_896, 500_000_000);
        assert_eq!(
            system_time(t),
            Some(UNIX_EPOCH + Duration::new(1_714_566_896, 500_000_000))
        );
        let before = awsquery_types::DateTime::from_secs_and_nanos(-2, 500_000_000);
        assert_eq!(
            system_time(before),
            UNIX_EPOCH.checked_sub(Duration::from_millis(1_500))
        );
    }
}
