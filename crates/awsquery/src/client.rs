//! What every generated client shares: configuration, the transport contract, signing and sending.
//!
//! A generated `Client` wraps a [`Handle`]; each fluent builder ends in [`Handle::invoke`]. The
//! transport is a trait so that tests run in memory and users can bring their own HTTP stack.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use awsquery_protocol::query::push_integer;

use crate::compression::{Encoding, RequestCompression};
use crate::credentials::{
    CredentialsError, CredentialsErrorKind, ProvideCredentials, ProvideFuture,
};
use crate::endpoint::{BuiltIns, Document, Endpoint, EndpointError, EndpointSettings};
use crate::env::Env;
use crate::error::{BuildError, ErrorMetadata, ProvideErrorMetadata, RequestId};
use crate::host_prefix::{self, Segment};
use crate::http::Response;
use crate::operation::Operation;
use crate::paginator::PaginationError;
use crate::profile::ProfileSet;
use crate::random::{DefaultJitter, Uuid};
use crate::retry::{Decision, Outcome, RetryConfig, RetryState, RetryStrategy};
use crate::sigv4::{self, Credentials, SigningKeyCache, SigningParams};
use crate::time::DateTime;
use crate::trace;
use crate::transport::{First, Transport, TransportError, TransportErrorKind, first_of};
use crate::user_agent::{self, AppId};

/// Any failure of a call: the request could not be built, addressed or signed, not delivered, or
/// the service said no; or, for a paginator, the pages would not end.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The input cannot be sent (a required member is missing, or a host label's value cannot be
    /// part of a host name); nothing was sent.
    Build(BuildError),
    /// No endpoint could be chosen (FIPS asked for where there is none, no region, an invalid
    /// endpoint URL, …); nothing was sent.
    Endpoint(EndpointError),
    /// The credentials provider had no credentials (or failed); nothing was sent on this attempt.
    /// [`CredentialsError::kind`] tells "none configured" from a broken source.
    Credentials(CredentialsError),
    /// No response arrived.
    Transport(TransportError),
    /// The service answered with an error, or with a response that could not be read.
    Service(E),
    /// A paginator stopped: the service handed back a token it had already been sent, or the
    /// listing passed the paginator's page limit. The pages before it were returned.
    Pagination(PaginationError),
}

impl<E> SdkError<E> {
    /// The operation's error, when the service answered with one.
    pub fn service_error(&self) -> Option<&E> {
        match self {
            SdkError::Service(e) => Some(e),
            _ => None,
        }
    }

    /// The operation's error, when the service answered with one (the name aws-sdk-rust uses for
    /// [`service_error`](Self::service_error)).
    pub fn as_service_error(&self) -> Option<&E> {
        self.service_error()
    }

    /// The operation's error, when the service answered with one.
    pub fn into_service_error(self) -> Option<E> {
        match self {
            SdkError::Service(e) => Some(e),
            _ => None,
        }
    }

    /// Whether the service answered with an error (rather than the call failing before or
    /// without an answer).
    pub fn is_service_error(&self) -> bool {
        matches!(self, SdkError::Service(_))
    }

    /// Whether no response came in time: a transport timeout, or the operation timeout.
    pub fn is_timeout(&self) -> bool {
        matches!(self, SdkError::Transport(e) if e.kind() == TransportErrorKind::Timeout)
    }

    /// The transport's error, when no response arrived.
    pub fn as_transport_error(&self) -> Option<&TransportError> {
        match self {
            SdkError::Transport(e) => Some(e),
            _ => None,
        }
    }

    /// The same error with the service error converted by `f` (into the service-wide error
    /// enum, say: `error.map_service_error(Error::from)`); the other variants are kept.
    pub fn map_service_error<F>(self, f: impl FnOnce(E) -> F) -> SdkError<F> {
        match self {
            SdkError::Build(e) => SdkError::Build(e),
            SdkError::Endpoint(e) => SdkError::Endpoint(e),
            SdkError::Credentials(e) => SdkError::Credentials(e),
            SdkError::Transport(e) => SdkError::Transport(e),
            SdkError::Service(e) => SdkError::Service(f(e)),
            SdkError::Pagination(e) => SdkError::Pagination(e),
        }
    }
}

impl<E: ProvideErrorMetadata> SdkError<E> {
    /// The metadata of the service's error (status, code, message, request id); `None` when the
    /// service did not answer with an error.
    pub fn meta(&self) -> Option<&ErrorMetadata> {
        self.service_error().map(ProvideErrorMetadata::meta)
    }

    /// The service's error code (`GlobalClusterNotFoundFault`), if it answered with an error.
    pub fn code(&self) -> Option<&str> {
        self.meta().and_then(ErrorMetadata::code)
    }

    /// The service's error message, if it answered with an error that had one.
    pub fn message(&self) -> Option<&str> {
        self.meta().and_then(ErrorMetadata::message)
    }

    /// The id of the request the service answered with an error, if it sent one.
    pub fn request_id(&self) -> Option<&str> {
        self.meta().and_then(ErrorMetadata::request_id)
    }
}

impl<E: ProvideErrorMetadata> RequestId for SdkError<E> {
    fn request_id(&self) -> Option<&str> {
        SdkError::request_id(self)
    }
}

impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Build(e) => write!(f, "the request cannot be built: {e}"),
            SdkError::Endpoint(e) => write!(f, "no endpoint for the request: {e}"),
            SdkError::Credentials(e) => write!(f, "the request cannot be signed: {e}"),
            SdkError::Transport(e) => write!(f, "the request was not answered: {e}"),
            SdkError::Service(e) => write!(f, "the service returned an error: {e}"),
            SdkError::Pagination(e) => write!(f, "pagination stopped: {e}"),
        }
    }
}

impl<E: StdError + 'static> StdError for SdkError<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            SdkError::Build(e) => Some(e),
            SdkError::Endpoint(e) => Some(e),
            SdkError::Credentials(e) => Some(e),
            SdkError::Transport(e) => Some(e),
            SdkError::Service(e) => Some(e),
            SdkError::Pagination(e) => Some(e),
        }
    }
}

/// What a client knows of its service: constants from the model, and its endpoint rules.
#[doc(hidden)] // Filled in by generated clients; nothing for users to build.
#[derive(Debug, Clone, Copy)]
pub struct ServiceInfo {
    /// `aws.api#service` sdkId.
    pub sdk_id: &'static str,
    /// The SigV4 signing name.
    pub signing_name: &'static str,
    /// The endpoint prefix (`rds` in `https://rds.us-east-1.amazonaws.com`).
    pub endpoint_prefix: &'static str,
    /// The version of the generated client crate, for the user agent.
    pub crate_version: &'static str,
    /// The service's endpoint rules, applied to the configuration's built-in parameter values.
    pub resolve_endpoint: fn(&BuiltIns) -> Result<Endpoint, EndpointError>,
}

/// Region, credentials, endpoint, retries, the operation timeout and the application id. Debug
/// never shows the secret key or session token.
#[derive(Clone)]
pub struct Config {
    region: String,
    credentials: CredentialsSource,
    endpoint: EndpointSettings,
    retry: RetryConfig,
    operation_timeout: Option<Duration>,
    clock: fn() -> DateTime,
    host_prefix_injection: bool,
    request_compression: RequestCompression,
    app_id: Option<AppId>,
    #[cfg(feature = "test-util")]
    mocks: Option<crate::mock::Mocks>,
}

/// Static keys are kept apart from providers so that signing with them borrows them: no clone,
/// no allocation per call.
#[derive(Clone)]
enum CredentialsSource {
    Static(Credentials),
    Provider(Arc<dyn ProvideCredentials>),
}

impl Config {
    /// A configuration for `region` with static credentials.
    pub fn new(region: impl Into<String>, credentials: Credentials) -> Self {
        Config::with_source(region.into(), CredentialsSource::Static(credentials))
    }

    /// A configuration for `region` whose credentials come from `provider`, asked before each
    /// attempt (e.g. [`DefaultChain`](crate::credentials::DefaultChain)).
    pub fn from_credentials_provider(
        region: impl Into<String>,
        provider: impl ProvideCredentials + 'static,
    ) -> Self {
        Config::with_source(
            region.into(),
            CredentialsSource::Provider(Arc::new(provider)),
        )
    }

    /// A configuration for `region` without credentials, for the operations the model lets
    /// callers send unsigned (STS's `AssumeRoleWithWebIdentity`, for one). Any other operation
    /// fails with [`SdkError::Credentials`] (kind
    /// [`NotFound`](crate::credentials::CredentialsErrorKind::NotFound)) before sending anything.
    pub fn without_credentials(region: impl Into<String>) -> Self {
        Config::from_credentials_provider(region, NoCredentials)
    }

    fn with_source(region: String, credentials: CredentialsSource) -> Self {
        Config {
            region,
            credentials,
            endpoint: EndpointSettings::new(),
            retry: RetryConfig::default(),
            operation_timeout: None,
            clock: DateTime::now,
            host_prefix_injection: true,
            request_compression: RequestCompression::default(),
            app_id: None,
            #[cfg(feature = "test-util")]
            mocks: None,
        }
    }

    /// Takes credentials from `provider` instead, asked before each attempt; when it fails, the
    /// call fails with [`SdkError::Credentials`] before sending anything.
    pub fn with_credentials_provider(
        mut self,
        provider: impl ProvideCredentials + 'static,
    ) -> Self {
        self.credentials = CredentialsSource::Provider(Arc::new(provider));
        self
    }

    /// Sends to this URL (`http://127.0.0.1:5000`) instead of the endpoint the service's rules would
    /// choose. It must be an `http` or `https` URL with a host; another is reported by every call, as
    /// [`SdkError::Endpoint`], before anything is sent.
    pub fn with_endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint = self.endpoint.with_url(url);
        self
    }

    /// Asks for a FIPS endpoint (`false`: refuses one, whatever the environment says). Where the
    /// region's partition has none, calls fail with [`SdkError::Endpoint`].
    pub fn with_use_fips(mut self, use_fips: bool) -> Self {
        self.endpoint = self.endpoint.with_use_fips(use_fips);
        self
    }

    /// Asks for a dual-stack (IPv4 and IPv6) endpoint (`false`: refuses one, whatever the
    /// environment says). Where the region's partition has none, calls fail with
    /// [`SdkError::Endpoint`].
    pub fn with_use_dual_stack(mut self, use_dual_stack: bool) -> Self {
        self.endpoint = self.endpoint.with_use_dual_stack(use_dual_stack);
        self
    }

    /// Replaces the endpoint settings (URL, flags, environment, profile) with `settings`, as a
    /// whole: what the other endpoint methods set before is dropped.
    pub fn with_endpoint_settings(mut self, settings: EndpointSettings) -> Self {
        self.endpoint = settings;
        self
    }

    /// For an STS client: `true` sends requests from the Regions that used to be served by STS's
    /// global endpoint to `https://sts.amazonaws.com` (signed for `us-east-1`), as
    /// `AWS_STS_REGIONAL_ENDPOINTS=legacy` does; `false` (the default) keeps each Region on its own
    /// endpoint, whatever the environment says. Other services ignore it.
    pub fn with_use_global_endpoint(mut self, use_global_endpoint: bool) -> Self {
        self.endpoint = self.endpoint.with_use_global_endpoint(use_global_endpoint);
        self
    }

    /// Takes the endpoint settings that code leaves unset from `env` (usually [`Env::process()`]),
    /// read when the client is built: the endpoint URL from `AWS_ENDPOINT_URL_<SERVICE>` (for
    /// Neptune, `AWS_ENDPOINT_URL_NEPTUNE`), else `AWS_ENDPOINT_URL`, both skipped when
    /// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is `true`; the flags from `AWS_USE_FIPS_ENDPOINT` and
    /// `AWS_USE_DUALSTACK_ENDPOINT`; for STS, the global endpoint choice from
    /// `AWS_STS_REGIONAL_ENDPOINTS`. See [`EndpointSettings`].
    pub fn with_endpoint_env(mut self, env: Env) -> Self {
        self.endpoint = self.endpoint.with_env(env);
        self
    }

    /// Takes the endpoint URL that neither code nor the environment sets from profile `name` of
    /// `profiles` (loaded with [`ProfileSet::load`](crate::profile::ProfileSet::load)): the URL
    /// for the service in the profile's services section, else the profile's `endpoint_url`;
    /// both skipped when the profile's `ignore_configured_endpoint_urls` is `true`. See
    /// [`EndpointSettings`].
    pub fn with_endpoint_profile(mut self, profiles: &ProfileSet, name: &str) -> Self {
        self.endpoint = self.endpoint.with_profile(profiles, name);
        self
    }

    /// Retries as configured (by default standard mode: 3 attempts, full-jitter backoff capped at
    /// 20 s; [`RetryMode::Adaptive`](crate::retry::RetryMode::Adaptive) adds a client-side rate
    /// limiter, shared by the client's calls, that slows attempts down after throttling errors).
    pub fn with_retry_config(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// Limits a whole call, every attempt and every wait between attempts included; when the
    /// limit passes, the call fails with a [`Timeout`](TransportErrorKind::Timeout) transport
    /// error. None by default. The transport's [`sleep`](Transport::sleep) keeps the time, and
    /// the time a transport allows one attempt is its own setting.
    pub fn with_operation_timeout(mut self, limit: Duration) -> Self {
        self.operation_timeout = Some(limit);
        self
    }

    /// Uses this clock for signing (tests pin the time to get stable signatures).
    pub fn with_clock(mut self, clock: fn() -> DateTime) -> Self {
        self.clock = clock;
        self
    }

    /// Whether operations with a modeled host prefix (`smithy.api#endpoint`) put it in front of the
    /// endpoint's host (the default). `false` is the AWS SDKs' `disable_host_prefix_injection`: the
    /// host is left as the endpoint gives it, which local test servers and some proxies need.
    pub fn with_host_prefix_injection(mut self, enabled: bool) -> Self {
        self.host_prefix_injection = enabled;
        self
    }

    /// When operations with `smithy.api#requestCompression` compress their bodies (by default,
    /// from 10,240 bytes on); [`RequestCompression::from_env`] reads the AWS SDKs' environment
    /// variables.
    pub fn with_request_compression(mut self, settings: RequestCompression) -> Self {
        self.request_compression = settings;
        self
    }

    /// Names the application in the user agent of every request (`app/<id>`), as the AWS SDKs'
    /// `sdk_ua_app_id` setting does; [`AppId::new`] checks it.
    pub fn with_app_id(mut self, app_id: AppId) -> Self {
        self.app_id = Some(app_id);
        self
    }

    /// Answers calls from `mocks`'s rules instead of the service (feature `test-util`; see
    /// [`mock`](crate::mock)). Keep a clone of `mocks` to add rules and look at the calls.
    #[cfg(feature = "test-util")]
    pub fn with_mocks(mut self, mocks: crate::mock::Mocks) -> Self {
        self.mocks = Some(mocks);
        self
    }

    /// The mocks answering calls, if any (feature `test-util`).
    #[cfg(feature = "test-util")]
    pub fn mocks(&self) -> Option<&crate::mock::Mocks> {
        self.mocks.as_ref()
    }

    /// The region requests are signed for.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The static credentials, when the configuration has them rather than a provider.
    pub fn credentials(&self) -> Option<&Credentials> {
        match &self.credentials {
            CredentialsSource::Static(credentials) => Some(credentials),
            CredentialsSource::Provider(_) => None,
        }
    }

    /// Where the credentials come from: the static credentials themselves, or the provider.
    pub fn credentials_provider(&self) -> &dyn ProvideCredentials {
        match &self.credentials {
            CredentialsSource::Static(credentials) => credentials,
            CredentialsSource::Provider(provider) => provider,
        }
    }

    /// The endpoint URL set with [`with_endpoint_url`](Self::with_endpoint_url), if any.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint.url()
    }

    /// The endpoint settings: URL, FIPS and dual-stack flags, environment.
    pub fn endpoint_settings(&self) -> &EndpointSettings {
        &self.endpoint
    }

    /// Whether modeled host prefixes are put in front of the endpoint's host.
    pub fn host_prefix_injection(&self) -> bool {
        self.host_prefix_injection
    }

    /// The retry mode, attempts and backoff.
    pub fn retry_config(&self) -> &RetryConfig {
        &self.retry
    }

    /// When request bodies are compressed.
    pub fn request_compression(&self) -> &RequestCompression {
        &self.request_compression
    }

    /// The limit on a whole call, if set.
    pub fn operation_timeout(&self) -> Option<Duration> {
        self.operation_timeout
    }

    /// The application id of the user agent, if set.
    pub fn app_id(&self) -> Option<&AppId> {
        self.app_id.as_ref()
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Config");
        s.field("region", &self.region);
        match &self.credentials {
            CredentialsSource::Static(credentials) => s.field("credentials", credentials),
            CredentialsSource::Provider(provider) => s.field("credentials_provider", provider),
        };
        s.field("endpoint", &self.endpoint)
            .field("retry", &self.retry)
            .field("operation_timeout", &self.operation_timeout)
            .field("host_prefix_injection", &self.host_prefix_injection)
            .field("request_compression", &self.request_compression)
            .field("app_id", &self.app_id);
        #[cfg(feature = "test-util")]
        s.field("mocks", &self.mocks);
        s.finish_non_exhaustive()
    }
}

/// The provider of [`Config::without_credentials`]: it never has any.
#[derive(Debug)]
struct NoCredentials;

impl ProvideCredentials for NoCredentials {
    fn provide(&self) -> ProvideFuture<'_> {
        ProvideFuture::ready(Err(CredentialsError::new(
            CredentialsErrorKind::NotFound,
            "configuration",
            "the client was configured without credentials; only operations sent unsigned can be \
             called",
        )))
    }
}

/// What an operation's model traits change in how its request is sent, beyond serialization: a
/// host prefix (`smithy.api#endpoint`) and body compression (`smithy.api#requestCompression`).
/// Generated builders pass it to [`Handle::invoke_with`] for the operations that have either.
#[doc(hidden)] // Passed by generated code.
#[derive(Clone, Copy, Debug, Default)]
pub struct RequestOptions<'a> {
    host_prefix: &'a [Segment<'a>],
    compression: Option<Encoding>,
}

impl<'a> RequestOptions<'a> {
    /// No host prefix and no compression.
    pub fn new() -> Self {
        RequestOptions::default()
    }

    /// The host prefix template, with the input's values for its labels.
    pub fn host_prefix(mut self, segments: &'a [Segment<'a>]) -> Self {
        self.host_prefix = segments;
        self
    }

    /// Compresses the body with `encoding` (the operation's first supported encoding) when the
    /// configuration allows.
    pub fn compression(mut self, encoding: Encoding) -> Self {
        self.compression = Some(encoding);
        self
    }
}

/// A configured service connection: what a generated `Client` holds.
#[doc(hidden)] // What a generated client wraps; users hold the client.
#[derive(Debug)]
pub struct Handle<T> {
    config: Config,
    service: ServiceInfo,
    target: Result<Target, EndpointError>,
    retry: RetryStrategy,
    /// The `User-Agent` and `x-amz-user-agent` value, built once.
    user_agent: String,
    /// Where each call's invocation id comes from.
    random: DefaultJitter,
    /// The signing key of the last attempt, kept for the next while the day stays the same.
    signing_keys: SigningKeyCache,
    transport: T,
}

/// Where requests go and what they are signed for, settled once per client.
#[derive(Debug)]
struct Target {
    endpoint: Endpoint,
    /// The endpoint URL without a trailing `/`, to put before the request path.
    base: String,
    /// The `sigv4` entry of the endpoint's `authSchemes` can change the signing region and name.
    signing_region: String,
    signing_name: String,
}

impl Target {
    fn new(endpoint: Endpoint, config: &Config, service: &ServiceInfo) -> Self {
        let sigv4 = endpoint.auth_scheme("sigv4");
        let get = |key: &str| sigv4.and_then(|s| s.get(key)).and_then(Document::as_str);
        Target {
            base: endpoint.url().trim_end_matches('/').to_owned(),
            signing_region: get("signingRegion")
                .unwrap_or(config.region.trim())
                .to_owned(),
            signing_name: get("signingName")
                .unwrap_or(service.signing_name)
                .to_owned(),
            endpoint,
        }
    }
}

impl<T: Transport> Handle<T> {
    /// Resolves the endpoint once: the configuration's endpoint settings
    /// ([`Config::endpoint_settings`]) give the built-in parameters, and the service's endpoint rules
    /// choose from them. A failure is kept, and every call returns it as [`SdkError::Endpoint`]
    /// before sending anything. The user agent ([`user_agent`](mod@crate::user_agent)) is built
    /// here too.
    pub fn new(config: Config, service: ServiceInfo, transport: T) -> Self {
        let target = config
            .endpoint
            .builtins(&config.region, service.sdk_id)
            .and_then(|builtins| (service.resolve_endpoint)(&builtins))
            .map(|endpoint| Target::new(endpoint, &config, &service));
        Handle {
            retry: RetryStrategy::new(config.retry),
            user_agent: user_agent::user_agent(
                service.sdk_id,
                service.crate_version,
                config.app_id.as_ref(),
            ),
            config,
            service,
            target,
            random: DefaultJitter::new(),
            signing_keys: SigningKeyCache::new(),
            transport,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// What the client knows of its service.
    pub fn service(&self) -> &ServiceInfo {
        &self.service
    }

    /// The resolved endpoint, or why there is none.
    pub fn endpoint(&self) -> Result<&Endpoint, &EndpointError> {
        self.target.as_ref().map(|target| &target.endpoint)
    }

    /// The transport requests go through (waiters sleep through it between polls).
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// The value of the `User-Agent` and `x-amz-user-agent` headers of every request.
    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }

    /// Serializes `input`, signs and sends the request, and reads the response, retrying throttling
    /// and transient failures (never a modeled client fault) as the retry configuration allows,
    /// all within the operation timeout when one is set.
    ///
    /// A retry serializes the input again rather than keeping a copy of the request, so the first
    /// attempt, the usual case, costs no clone.
    pub async fn invoke<O: Operation + 'static>(
        &self,
        input: &O::Input,
    ) -> Result<O::Output, SdkError<O::Error>> {
        self.invoke_with::<O>(input, RequestOptions::new()).await
    }

    /// [`Handle::invoke`] for an operation with a host prefix or request compression.
    ///
    /// A client without an endpoint fails first, with [`SdkError::Endpoint`]. The host prefix is
    /// expanded once, before any I/O (an invalid label value fails with [`SdkError::Build`]),
    /// unless the configuration turns injection off. Each attempt then
    /// serializes the input, compresses the body as [`Config::request_compression`] allows, makes
    /// the URI absolute with the endpoint, puts the prefix in front of its host, adds the
    /// endpoint's headers, asks the credentials provider (if the configuration has one rather
    /// than static keys), and signs, unless the operation is sent unsigned
    /// ([`Operation::SIGNED`]), when the credentials are not asked for. With
    /// [`Config::with_operation_timeout`], all attempts and waits race one timer of the
    /// transport's.
    ///
    /// Every attempt carries, unsigned as in the AWS SDKs, `amz-sdk-invocation-id` (a random UUID
    /// drawn once per call, the same on each of its attempts) and `amz-sdk-request`
    /// (`attempt=2; max=3`: the attempt's number and the most the call may make).
    pub async fn invoke_with<O: Operation + 'static>(
        &self,
        input: &O::Input,
        options: RequestOptions<'_>,
    ) -> Result<O::Output, SdkError<O::Error>> {
        let invocation = self.random.uuid_v4();
        trace::CallSpan::new(self.service.sdk_id, O::NAME, &invocation)
            .instrument(self.call::<O>(input, options, &invocation))
            .await
    }

    /// The call: the endpoint, the host prefix, then the attempts within the operation timeout.
    async fn call<O: Operation + 'static>(
        &self,
        input: &O::Input,
        options: RequestOptions<'_>,
        invocation: &Uuid,
    ) -> Result<O::Output, SdkError<O::Error>> {
        let target = self
            .target
            .as_ref()
            .map_err(|e| SdkError::Endpoint(e.clone()))?;
        let prefix = match options.host_prefix {
            [] => None,
            _ if !self.config.host_prefix_injection => None,
            segments => Some(host_prefix::expand(segments).map_err(SdkError::Build)?),
        };
        let attempts = self.send_with_retries::<O>(
            input,
            target,
            options.compression,
            prefix.as_deref(),
            invocation,
        );
        let Some(limit) = self.config.operation_timeout else {
            return attempts.await;
        };
        match first_of(attempts, self.transport.sleep(limit)).await {
            First::Left(result) => result,
            First::Right(()) => Err(SdkError::Transport(TransportError::new(
                TransportErrorKind::Timeout,
                OperationTimedOut(limit),
            ))),
        }
    }

    /// The retry loop: sends attempts until one succeeds or the retry strategy stops.
    async fn send_with_retries<O: Operation + 'static>(
        &self,
        input: &O::Input,
        target: &Target,
        compression: Option<Encoding>,
        prefix: Option<&str>,
        invocation: &Uuid,
    ) -> Result<O::Output, SdkError<O::Error>> {
        let mut state = RetryState::new();
        loop {
            // Adaptive mode, once throttled: wait for the rate limiter's token.
            let wait = self.retry.before_attempt();
            if !wait.is_zero() {
                self.transport.sleep(wait).await;
            }
            let span = trace::AttemptSpan::new(state.attempt(), self.retry.config().max_attempts());
            let attempt = Attempt {
                input,
                target,
                compression,
                prefix,
                invocation,
                number: state.attempt(),
                span: &span,
            };
            let failure = match span.instrument(self.attempt::<O>(attempt)).await? {
                Ok(output) => {
                    span.success();
                    self.retry.on_success(state);
                    return Ok(output);
                }
                Err(failure) => failure,
            };
            let decision = match &failure {
                Failure::Service(error) => {
                    self.retry.decide(&mut state, &Outcome::from(error.meta()))
                }
                Failure::Transport(error) => self.retry.decide(&mut state, &Outcome::from(error)),
            };
            span.failed(&decision);
            match decision {
                Decision::RetryAfter(delay) => self.transport.sleep(delay).await,
                Decision::Stop(_) => return Err(failure.into_sdk_error()),
            }
        }
    }

    /// One attempt: serializes, compresses, addresses, asks for credentials, signs (an operation
    /// that is signed), sends and reads the response. The outer error ends the call at once (the
    /// input cannot be sent, there are no credentials); the inner one is for the retry strategy
    /// to judge.
    async fn attempt<O: Operation + 'static>(
        &self,
        attempt: Attempt<'_, O::Input>,
    ) -> Result<Result<O::Output, Failure<O::Error>>, SdkError<O::Error>> {
        let Attempt {
            input,
            target,
            compression,
            prefix,
            invocation,
            number,
            span,
        } = attempt;
        let mut request = O::serialize(input).map_err(SdkError::Build)?;
        #[cfg(feature = "test-util")]
        if let Some(mocks) = &self.config.mocks {
            use crate::mock::{Answer, Reply};
            match mocks.reply::<O>(input) {
                Reply::Answer(Answer::Output(output)) => return Ok(Ok(output)),
                Reply::Answer(Answer::Error(error)) => {
                    span.service_error(error.meta());
                    return Ok(Err(Failure::Service(error)));
                }
                Reply::Answer(Answer::Response(response)) => return Ok(read::<O>(&response, span)),
                Reply::Answer(Answer::Transport(error)) => {
                    span.transport_error(&error);
                    return Ok(Err(Failure::Transport(error)));
                }
                Reply::Unanswered(error) => return Err(SdkError::Transport(error)),
                Reply::Send => {}
            }
        }
        self.config
            .request_compression
            .apply(compression, &mut request);
        request.uri.insert_str(0, &target.base);
        if let Some(prefix) = prefix {
            host_prefix::prepend(&mut request.uri, prefix);
        }
        request.headers.extend(
            target
                .endpoint
                .headers()
                .map(|(name, value)| (name, value.to_owned())),
        );
        if O::SIGNED {
            let provided;
            let credentials = match &self.config.credentials {
                CredentialsSource::Static(credentials) => credentials,
                CredentialsSource::Provider(provider) => {
                    provided = provider.provide().await.map_err(SdkError::Credentials)?;
                    &provided
                }
            };
            let params = SigningParams {
                credentials,
                region: &target.signing_region,
                service: &target.signing_name,
                time: (self.config.clock)(),
            };
            sigv4::sign_cached(&mut request, &params, &self.signing_keys);
        }
        // After signing: the AWS SDKs sign none of these.
        request
            .headers
            .push(("user-agent", self.user_agent.clone()));
        request
            .headers
            .push(("x-amz-user-agent", self.user_agent.clone()));
        request
            .headers
            .push(("amz-sdk-invocation-id", invocation.as_str().to_owned()));
        request.headers.push((
            "amz-sdk-request",
            attempt_header(number, self.retry.config().max_attempts()),
        ));
        Ok(match self.transport.send(request).await {
            Ok(response) => read::<O>(&response, span),
            Err(error) => {
                span.transport_error(&error);
                Err(Failure::Transport(error))
            }
        })
    }
}

/// What an attempt needs besides the handle.
struct Attempt<'a, I> {
    input: &'a I,
    target: &'a Target,
    compression: Option<Encoding>,
    prefix: Option<&'a str>,
    invocation: &'a Uuid,
    /// 1 for the first attempt.
    number: u32,
    span: &'a trace::AttemptSpan,
}

/// A failed attempt, which the retry strategy may retry.
enum Failure<E> {
    /// The service answered with an error.
    Service(E),
    /// No response arrived.
    Transport(TransportError),
}

impl<E> Failure<E> {
    /// The failure as the call returns it.
    fn into_sdk_error(self) -> SdkError<E> {
        match self {
            Failure::Service(error) => SdkError::Service(error),
            Failure::Transport(error) => SdkError::Transport(error),
        }
    }
}

/// The `amz-sdk-request` value, `attempt=2; max=3`, written without the formatting machinery
/// (this runs on every attempt).
fn attempt_header(attempt: u32, max: u32) -> String {
    let mut out = String::with_capacity(32);
    out.push_str("attempt=");
    push_integer(&mut out, i64::from(attempt));
    out.push_str("; max=");
    push_integer(&mut out, i64::from(max));
    out
}

/// The output, or the operation's error, from a response.
fn read<O: Operation>(
    response: &Response,
    span: &trace::AttemptSpan,
) -> Result<O::Output, Failure<O::Error>> {
    span.response(response);
    O::deserialize(response).map_err(|error| {
        span.service_error(error.meta());
        Failure::Service(error)
    })
}

/// The call outlived [`Config::with_operation_timeout`].
#[derive(Debug)]
struct OperationTimedOut(Duration);

impl fmt::Display for OperationTimedOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the operation did not complete within its timeout of {:?}, retries included",
            self.0
        )
    }
}

impl StdError for OperationTimedOut {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempt_headers() {
        assert_eq!(attempt_header(1, 3), "attempt=1; max=3");
        assert_eq!(attempt_header(10, 100), "attempt=10; max=100");
        assert_eq!(attempt_header(0, u32::MAX), "attempt=0; max=4294967295");
    }
}
