//! The default credentials chain: every source, in the order the AWS SDKs try them.
//!
//! 1. the environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`), unless
//!    a profile was chosen explicitly (a command line's `--profile`), as the AWS CLI does;
//! 2. web identity from the environment (`AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN`,
//!    `AWS_ROLE_SESSION_NAME`): EKS service accounts (IRSA);
//! 3. the selected profile of the shared files, [resolved](crate::profile::resolve) into its base
//!    source and the roles to assume;
//! 4. the container endpoint (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` or `…_FULL_URI`): ECS task
//!    roles, EKS Pod Identity;
//! 5. instance metadata (IMDSv2): EC2 instance profiles.
//!
//! A source that is not configured ([`NotFound`](CredentialsErrorKind::NotFound)) passes to the
//! next; any other failure stops the chain, so that a broken configuration is reported rather
//! than silently replaced by another identity. The error lists every source tried.
//!
//! Everything that depends on configuration is decided once, when the chain is built from files
//! already read: asking for credentials never reads the shared files again. Each source that
//! fetches temporary credentials sits behind a [`CachedCredentials`], so only one caller at a time
//! refreshes them, five minutes before they expire.

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use awsquery::credentials::{
    CredentialsError, CredentialsErrorKind, EnvironmentCredentials, ProvideCredentials,
    ProvideFuture,
};
use awsquery::endpoint::EndpointSettings;
use awsquery::env::Env;
use awsquery::profile::ProfileSet;
use awsquery::sigv4::Credentials;
use awsquery::transport::Transport;

use crate::cache::CachedCredentials;
use crate::container::ContainerCredentials;
use crate::imds::ImdsCredentials;
use crate::process::{CommandLine, CredentialProcess};
use crate::profile::{self, CredentialSource, RoleStep, Sources, SsoProfile, WebIdentity};
use crate::sso::SsoCredentials;
use crate::sts::{AssumeRoleProvider, WebIdentityProvider};

/// The shared handle to a credentials source that a client configuration holds.
pub type SharedCredentials = Arc<dyn ProvideCredentials>;

/// What the chain is built from: the environment, the shared files (read once, before), the
/// profile, the Region for STS calls, and the transport for the sources that use the network.
#[derive(Debug, Clone)]
pub struct ChainSettings<T> {
    /// The environment.
    pub env: Env,
    /// The shared files.
    pub profiles: Arc<ProfileSet>,
    /// The profile to read.
    pub profile: String,
    /// Whether the profile was chosen explicitly (a command line's `--profile`): then the
    /// environment's keys are not used, as the AWS CLI does.
    pub explicit_profile: bool,
    /// The Region whose STS endpoint assumes roles (`us-east-1` when there is none).
    pub region: Option<String>,
    /// The transport of STS, IAM Identity Center, the container endpoint and instance metadata.
    pub transport: T,
}

/// The default credentials chain; see the [module](self) documentation.
pub struct DefaultCredentialsChain {
    sources: Vec<(&'static str, Link)>,
}

/// One source of the chain, or why it is already known to be unusable (made again on each call,
/// since a `CredentialsError` is not `Clone`; making it reads nothing but memory).
enum Link {
    Ready(SharedCredentials),
    Failed(Box<dyn Fn() -> CredentialsError + Send + Sync>),
}

impl DefaultCredentialsChain {
    /// The chain for `settings`.
    pub fn new<T: Transport + Clone + Send + Sync + 'static>(settings: ChainSettings<T>) -> Self {
        let wiring = Wiring {
            transport: settings.transport.clone(),
            env: settings.env.clone(),
            profile: settings
                .profiles
                .profile(&settings.profile)
                .map(|section| section.to_map()),
            region: settings.region.clone(),
        };
        let mut sources = Vec::new();
        if !settings.explicit_profile {
            sources.push((
                "environment",
                Link::Ready(Arc::new(EnvironmentCredentials::with_env(
                    settings.env.clone(),
                ))),
            ));
        }
        let endpoints = EndpointSettings::new()
            .with_env(settings.env.clone())
            .with_profile(&settings.profiles, &settings.profile);
        if let Some(link) = wiring.web_identity_from_env(&endpoints) {
            sources.push(("web identity (environment)", link));
        }
        let profile = match profile::resolve(&settings.profiles, &settings.profile) {
            Ok(plan) => Link::Ready(profile::provider(&plan, &wiring)),
            Err(_) => {
                let (profiles, name) = (settings.profiles.clone(), settings.profile.clone());
                Link::Failed(Box::new(move || match profile::resolve(&profiles, &name) {
                    Err(e) => e,
                    Ok(_) => unreachable_again("profile"),
                }))
            }
        };
        sources.push(("profile", profile));
        sources.push((
            "container endpoint",
            Link::Ready(wiring.cached(ContainerCredentials::new(
                wiring.transport.clone(),
                wiring.env.clone(),
            ))),
        ));
        sources.push((
            "instance metadata",
            Link::Ready(wiring.cached(ImdsCredentials::new(
                wiring.transport.clone(),
                &wiring.env,
                wiring.profile.as_ref(),
            ))),
        ));
        DefaultCredentialsChain { sources }
    }

    /// The names of the sources, in the order they are tried.
    pub fn source_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.sources.iter().map(|(name, _)| *name)
    }

    /// Asks the sources from `next` on, after `pending` (the source before `next`, started) and
    /// the failures in `tried`.
    async fn rest(
        &self,
        pending: ProvideFuture<'_>,
        next: usize,
        mut tried: Option<CredentialsError>,
    ) -> Result<Credentials, CredentialsError> {
        if let Some(done) = settle(pending.await, &mut tried) {
            return done;
        }
        for (_, link) in &self.sources[next..] {
            if let Some(done) = settle(link.provide().await, &mut tried) {
                return done;
            }
        }
        Err(none_found(tried))
    }
}

impl Link {
    fn provide(&self) -> ProvideFuture<'_> {
        match self {
            Link::Ready(source) => source.provide(),
            Link::Failed(error) => ProvideFuture::ready(Err(error())),
        }
    }
}

/// The chain's answer after one source's `result`, or `None` to go on to the next source; the
/// failures so far gather in `tried`.
fn settle(
    result: Result<Credentials, CredentialsError>,
    tried: &mut Option<CredentialsError>,
) -> Option<Result<Credentials, CredentialsError>> {
    let error = match result {
        Ok(credentials) => return Some(Ok(credentials)),
        Err(error) => error,
    };
    let stop = error.kind() != CredentialsErrorKind::NotFound;
    let error = match tried.take() {
        Some(earlier) => earlier.then(error),
        None => error,
    };
    if stop {
        return Some(Err(error));
    }
    *tried = Some(error);
    None
}

fn none_found(tried: Option<CredentialsError>) -> CredentialsError {
    tried.unwrap_or_else(|| {
        CredentialsError::new(
            CredentialsErrorKind::NotFound,
            "default chain",
            "no source configured",
        )
    })
}

impl ProvideCredentials for DefaultCredentialsChain {
    /// Sources that answer at once (the environment, static keys of a profile, cached
    /// credentials) are asked in place, without allocating; from the first source that has to
    /// wait, the rest of the chain runs as one boxed future.
    fn provide(&self) -> ProvideFuture<'_> {
        let mut tried = None;
        for (i, (_, link)) in self.sources.iter().enumerate() {
            let mut future = link.provide();
            let polled = Pin::new(&mut future).poll(&mut Context::from_waker(Waker::noop()));
            match polled {
                Poll::Ready(result) => {
                    if let Some(done) = settle(result, &mut tried) {
                        return ProvideFuture::ready(done);
                    }
                }
                Poll::Pending => return ProvideFuture::new(self.rest(future, i + 1, tried)),
            }
        }
        ProvideFuture::ready(Err(none_found(tried)))
    }
}

impl fmt::Debug for DefaultCredentialsChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for (name, link) in &self.sources {
            match link {
                Link::Ready(_) => list.entry(name),
                Link::Failed(_) => list.entry(&format_args!("{name} (misconfigured)")),
            };
        }
        list.finish()
    }
}

/// Stands for a failure that, made again from the same inputs, did not happen: never expected,
/// and still an error rather than a panic.
fn unreachable_again(source: &str) -> CredentialsError {
    CredentialsError::new(
        CredentialsErrorKind::Provider,
        source,
        "its configuration failed when the chain was built",
    )
}

/// Builds the sources a profile's plan needs, with the chain's transport and settings.
struct Wiring<T> {
    transport: T,
    env: Env,
    profile: Option<BTreeMap<String, String>>,
    region: Option<String>,
}

impl<T: Transport + Clone + Send + Sync + 'static> Wiring<T> {
    fn cached(&self, source: impl ProvideCredentials + 'static) -> SharedCredentials {
        Arc::new(CachedCredentials::new(source))
    }

    fn sts_region(&self) -> &str {
        self.region.as_deref().unwrap_or(crate::sts::DEFAULT_REGION)
    }

    /// Web identity from `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN`, calling STS in the
    /// Region of the chain with the profile's endpoint settings: `None` when no token file is set.
    fn web_identity_from_env(&self, endpoints: &EndpointSettings) -> Option<Link> {
        match WebIdentityProvider::builder_from_env(&self.env) {
            Ok(builder) => Some(Link::Ready(
                self.cached(
                    builder
                        .region(self.sts_region())
                        .env(self.env.clone())
                        .endpoints(endpoints.clone())
                        .build(self.transport.clone()),
                ),
            )),
            Err(e) if e.kind() == CredentialsErrorKind::NotFound => None,
            Err(_) => {
                let env = self.env.clone();
                Some(Link::Failed(Box::new(
                    move || match WebIdentityProvider::builder_from_env(&env) {
                        Err(e) => e,
                        Ok(_) => unreachable_again("web identity (environment)"),
                    },
                )))
            }
        }
    }
}

impl<T: Transport + Clone + Send + Sync + 'static> Sources for Wiring<T> {
    fn assume_role(
        &self,
        source: SharedCredentials,
        role: &RoleStep,
        endpoints: &EndpointSettings,
    ) -> SharedCredentials {
        let mut builder = AssumeRoleProvider::builder(role.role_arn.clone(), source)
            .region(self.sts_region())
            .env(self.env.clone())
            .endpoints(endpoints.clone());
        if let Some(name) = &role.session_name {
            builder = builder.session_name(name.clone());
        }
        if let Some(id) = &role.external_id {
            builder = builder.external_id(id.clone());
        }
        if let Some(seconds) = role.duration_seconds {
            builder = builder.duration_seconds(seconds);
        }
        self.cached(builder.build(self.transport.clone()))
    }

    fn web_identity(
        &self,
        web_identity: &WebIdentity,
        endpoints: &EndpointSettings,
    ) -> SharedCredentials {
        let mut builder = WebIdentityProvider::builder(
            web_identity.token_file.clone(),
            web_identity.role_arn.clone(),
        )
        .region(self.sts_region())
        .env(self.env.clone())
        .endpoints(endpoints.clone());
        if let Some(name) = &web_identity.session_name {
            builder = builder.session_name(name.clone());
        }
        self.cached(builder.build(self.transport.clone()))
    }

    fn credential_source(&self, source: CredentialSource) -> SharedCredentials {
        match source {
            CredentialSource::Environment => {
                Arc::new(EnvironmentCredentials::with_env(self.env.clone()))
            }
            CredentialSource::Ec2InstanceMetadata => self.cached(ImdsCredentials::new(
                self.transport.clone(),
                &self.env,
                self.profile.as_ref(),
            )),
            CredentialSource::EcsContainer => self.cached(ContainerCredentials::new(
                self.transport.clone(),
                self.env.clone(),
            )),
        }
    }

    fn sso(&self, sso: &SsoProfile, endpoints: &EndpointSettings) -> SharedCredentials {
        self.cached(
            SsoCredentials::new(self.transport.clone(), sso.clone(), self.env.clone())
                .with_endpoints(endpoints.clone()),
        )
    }

    fn process(&self, command: &CommandLine) -> SharedCredentials {
        self.cached(CredentialProcess::new(command.clone()))
    }
}
