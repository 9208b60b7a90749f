//! The credentials of a profile of the shared files, resolved as the AWS CLI v2 resolves them.
//!
//! [`resolve`] reads the selected profile, following `source_profile` from profile to profile, and
//! returns a [`Plan`]: a [`Base`] source of credentials and the [roles](RoleStep) to assume with
//! them, one after the other. [`provider`] turns a plan into a
//! [`ProvideCredentials`], taking the sources that need other modules (STS, instance metadata, the
//! container endpoint, IAM Identity Center) from a [`Sources`]; [`ProfileProvider`] does both on
//! first use.
//!
//! A profile's base source is, in this order:
//!
//! 1. a web identity token: `web_identity_token_file` with `role_arn` (and `role_session_name`);
//! 2. IAM Identity Center: `sso_account_id` and `sso_role_name`, with `sso_session` naming an
//!    `[sso-session]` section that has `sso_start_url` and `sso_region`, or with those two in the
//!    profile itself (the legacy form);
//! 3. static keys set in the credentials file: `aws_access_key_id`, `aws_secret_access_key` and
//!    perhaps `aws_session_token`;
//! 4. `credential_process`;
//! 5. static keys set in the config file.
//!
//! A profile with `role_arn` (and no `web_identity_token_file`) instead assumes that role with the
//! credentials of its `source_profile`, or of its `credential_source` (`Environment`,
//! `Ec2InstanceMetadata`, `EcsContainer`). A source profile that has static keys, or no
//! `role_arn`, gives its base source; one with `role_arn` and no static keys assumes its own role
//! in turn. A profile may name itself as its `source_profile` when it has static keys: they are
//! the base.
//!
//! ```
//! use awsquery::profile::ProfileSet;
//! use awsquery_config::profile::{Base, resolve};
//!
//! let profiles = ProfileSet::parse(
//!     "[base]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = EXAMPLEKEY\n",
//!     "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = base\n",
//! );
//! let plan = resolve(&profiles, "admin").unwrap();
//! assert!(matches!(&plan.base, Base::StaticKeys { profile, .. } if profile == "base"));
//! assert_eq!(plan.roles.len(), 1);
//! assert_eq!(plan.roles[0].role_arn, "arn:aws:iam::123456789012:role/admin");
//! ```

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use awsquery::credentials::{
    CredentialsError, CredentialsErrorKind, ProvideCredentials, ProvideFuture,
};
use awsquery::endpoint::EndpointSettings;
use awsquery::env::Env;
use awsquery::profile::{ProfileSet, Section, SharedFile, selected_profile};
use awsquery::sigv4::Credentials;
use tokio::sync::OnceCell;

use crate::process::{CommandLine, CredentialProcess};

/// What a profile's credentials come from: a base source, then roles to assume one after the
/// other.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The profile the plan was made for.
    pub profile: String,
    /// Where the first credentials come from.
    pub base: Base,
    /// The roles to assume, in order: the first with the base's credentials, each next with the
    /// credentials of the one before; the last is the selected profile's.
    pub roles: Vec<RoleStep>,
    /// The selected profile's endpoint settings (its services section and `endpoint_url`), for
    /// the clients the sources make (STS, IAM Identity Center); the sources add the environment
    /// with [`EndpointSettings::with_env`].
    pub endpoints: EndpointSettings,
}

/// The first source of credentials in a [`Plan`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Base {
    /// `aws_access_key_id`, `aws_secret_access_key` and `aws_session_token` of `profile`.
    StaticKeys {
        /// The profile that has them.
        profile: String,
        /// The keys (Debug prints the access key id only).
        credentials: Credentials,
    },
    /// A web identity token exchanged for a role's credentials.
    WebIdentity(WebIdentity),
    /// A `credential_process` program.
    Process {
        /// The profile that names it.
        profile: String,
        /// The command line (Debug prints the program only).
        command: CommandLine,
    },
    /// IAM Identity Center.
    Sso(SsoProfile),
    /// `credential_source`: credentials found outside the shared files.
    CredentialSource {
        /// The profile that names it.
        profile: String,
        /// Which source.
        source: CredentialSource,
    },
}

/// `web_identity_token_file` and the role it is exchanged for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebIdentity {
    /// The profile that sets it.
    pub profile: String,
    /// `web_identity_token_file`: the file holding the token (an OIDC JWT), read on each exchange.
    pub token_file: PathBuf,
    /// `role_arn`.
    pub role_arn: String,
    /// `role_session_name`, if set.
    pub session_name: Option<String>,
}

/// An IAM Identity Center (SSO) profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoProfile {
    /// The profile that sets it.
    pub profile: String,
    /// `sso_session`: the `[sso-session]` section the start URL and region come from; `None` for
    /// the legacy form, with both in the profile.
    pub session: Option<String>,
    /// `sso_start_url`: the access portal.
    pub start_url: String,
    /// `sso_region`: where IAM Identity Center runs.
    pub region: String,
    /// `sso_account_id`.
    pub account_id: String,
    /// `sso_role_name`: the permission set's role.
    pub role_name: String,
}

impl SsoProfile {
    /// The command that signs in again: `aws sso login --sso-session NAME`, or for the legacy form
    /// `aws sso login --profile NAME`.
    pub fn login_command(&self) -> String {
        match &self.session {
            Some(session) => format!("aws sso login --sso-session {session}"),
            None => format!("aws sso login --profile {}", self.profile),
        }
    }
}

/// A `credential_source` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CredentialSource {
    /// `Environment`: `AWS_ACCESS_KEY_ID` and the other variables.
    Environment,
    /// `Ec2InstanceMetadata`: the instance profile, through instance metadata.
    Ec2InstanceMetadata,
    /// `EcsContainer`: the container credentials endpoint.
    EcsContainer,
}

impl CredentialSource {
    /// The value as the profile writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            CredentialSource::Environment => "Environment",
            CredentialSource::Ec2InstanceMetadata => "Ec2InstanceMetadata",
            CredentialSource::EcsContainer => "EcsContainer",
        }
    }

    const ALL: [CredentialSource; 3] = [
        CredentialSource::Environment,
        CredentialSource::Ec2InstanceMetadata,
        CredentialSource::EcsContainer,
    ];
}

impl fmt::Display for CredentialSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A role to assume, from a profile's `role_arn`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleStep {
    /// The profile that sets it.
    pub profile: String,
    /// `role_arn`.
    pub role_arn: String,
    /// `role_session_name`, if set.
    pub session_name: Option<String>,
    /// `external_id`, if set.
    pub external_id: Option<String>,
    /// `duration_seconds`, if set.
    pub duration_seconds: Option<u32>,
}

// ---------------------------------------------------------------------------------------------
// Resolution
// ---------------------------------------------------------------------------------------------

/// The plan for profile `name` of `profiles`.
///
/// Errors, which name the profiles and keys involved but never a value of a secret:
/// [`NotFound`](CredentialsErrorKind::NotFound) when the profile is in neither file, or has no
/// credential source at all (a chain moves on); [`Incomplete`](CredentialsErrorKind::Incomplete)
/// for half a source (`role_arn` without a source, one key without the other);
/// [`InvalidConfiguration`](CredentialsErrorKind::InvalidConfiguration) for a `source_profile`
/// that is missing or loops, both `source_profile` and `credential_source`, an unknown
/// `credential_source`, an SSO profile missing settings;
/// [`Unsupported`](CredentialsErrorKind::Unsupported) for `mfa_serial` (a prompt for the code
/// needs a terminal, which a library does not have).
pub fn resolve(profiles: &ProfileSet, name: &str) -> Result<Plan, CredentialsError> {
    let source = format!("profile `{name}`");
    let fail = |kind, reason: String| CredentialsError::new(kind, source.clone(), reason);
    let mut roles = Vec::new();
    let mut visited: Vec<&str> = Vec::new();
    let mut current = name;
    let base = loop {
        let Some(profile) = profiles.profile(current) else {
            let files = format!(
                "the credentials file {} nor the config file {}",
                profiles.describe(SharedFile::Credentials),
                profiles.describe(SharedFile::Config)
            );
            return Err(match visited.last() {
                None => fail(CredentialsErrorKind::NotFound, format!("not in {files}")),
                Some(parent) => fail(
                    CredentialsErrorKind::InvalidConfiguration,
                    format!(
                        "the `source_profile` `{current}` of profile `{parent}` is not in {files}"
                    ),
                ),
            });
        };
        visited.push(current);
        let top = visited.len() == 1;
        let reading = Reading {
            name: current,
            profile,
        };
        let assumes = profile.get("role_arn").is_some()
            && profile.get("web_identity_token_file").is_none()
            && (top || !reading.has_static_keys());
        if !assumes {
            match reading.base(profiles).map_err(|(k, r)| fail(k, r))? {
                Some(base) => break base,
                None if top => {
                    return Err(fail(
                        CredentialsErrorKind::NotFound,
                        "has no credentials: no static keys, `credential_process`, SSO, web \
                         identity or role to assume"
                            .to_owned(),
                    ));
                }
                None => {
                    return Err(fail(
                        CredentialsErrorKind::InvalidConfiguration,
                        format!(
                            "the source profile `{current}` has no credentials: no static keys, \
                             `credential_process`, SSO or web identity"
                        ),
                    ));
                }
            }
        }

        roles.push(reading.role_step().map_err(|(k, r)| fail(k, r))?);
        match (
            profile.get("source_profile"),
            profile.get("credential_source"),
        ) {
            (Some(_), Some(_)) => {
                return Err(fail(
                    CredentialsErrorKind::InvalidConfiguration,
                    format!(
                        "profile `{current}` sets both `source_profile` and `credential_source`; \
                         keep one"
                    ),
                ));
            }
            (None, None) => {
                return Err(fail(
                    CredentialsErrorKind::Incomplete,
                    format!(
                        "profile `{current}` sets `role_arn` but neither `source_profile` nor \
                         `credential_source`"
                    ),
                ));
            }
            (None, Some(value)) => {
                let Some(kind) = CredentialSource::ALL
                    .into_iter()
                    .find(|k| k.as_str() == value)
                else {
                    let known: Vec<&str> =
                        CredentialSource::ALL.iter().map(|k| k.as_str()).collect();
                    return Err(fail(
                        CredentialsErrorKind::InvalidConfiguration,
                        format!(
                            "the `credential_source` `{}` of profile `{current}` is not one of \
                             `{}`",
                            awsquery_types::text::printable(
                                value,
                                awsquery_types::text::MAX_NAME_CHARS
                            ),
                            known.join("`, `")
                        ),
                    ));
                };
                break Base::CredentialSource {
                    profile: current.to_owned(),
                    source: kind,
                };
            }
            (Some(next), None) => {
                if visited.contains(&next) {
                    if next == current && reading.has_static_keys() {
                        break reading.static_keys().map_err(|(k, r)| fail(k, r))?;
                    }
                    let cycle = visited
                        .iter()
                        .skip_while(|v| **v != next)
                        .chain([&next])
                        .map(|v| format!("`{v}`"))
                        .collect::<Vec<_>>()
                        .join(" → ");
                    return Err(fail(
                        CredentialsErrorKind::InvalidConfiguration,
                        format!(
                            "the profiles {cycle} form a loop of `source_profile`s (a profile \
                             may name itself only when it has static keys)"
                        ),
                    ));
                }
                current = next;
            }
        }
    };
    roles.reverse();
    Ok(Plan {
        profile: name.to_owned(),
        base,
        roles,
        endpoints: EndpointSettings::new().with_profile(profiles, name),
    })
}

/// Failures while reading one profile: the kind and the reason.
type Failure = (CredentialsErrorKind, String);

/// One profile being read.
struct Reading<'a> {
    name: &'a str,
    profile: &'a Section,
}

impl Reading<'_> {
    fn get(&self, key: &str) -> Option<String> {
        self.profile.get(key).map(str::to_owned)
    }

    fn has_static_keys(&self) -> bool {
        self.profile.get("aws_access_key_id").is_some()
            || self.profile.get("aws_secret_access_key").is_some()
    }

    /// The base source of a profile that does not assume a role; `None` when it has none.
    fn base(&self, profiles: &ProfileSet) -> Result<Option<Base>, Failure> {
        if let Some(token_file) = self.get("web_identity_token_file") {
            let Some(role_arn) = self.get("role_arn") else {
                return Err((
                    CredentialsErrorKind::Incomplete,
                    format!(
                        "profile `{}` sets `web_identity_token_file` but not `role_arn`",
                        self.name
                    ),
                ));
            };
            return Ok(Some(Base::WebIdentity(WebIdentity {
                profile: self.name.to_owned(),
                token_file: PathBuf::from(token_file),
                role_arn,
                session_name: self.get("role_session_name"),
            })));
        }
        if self.profile.get("sso_account_id").is_some()
            || self.profile.get("sso_role_name").is_some()
        {
            return self.sso(profiles).map(|sso| Some(Base::Sso(sso)));
        }
        let keys_file = self
            .profile
            .file_of("aws_access_key_id")
            .or_else(|| self.profile.file_of("aws_secret_access_key"));
        if self.has_static_keys() && keys_file == Some(SharedFile::Credentials) {
            return self.static_keys().map(Some);
        }
        if let Some(command) = self.get("credential_process") {
            return Ok(Some(Base::Process {
                profile: self.name.to_owned(),
                command: CommandLine::new(command),
            }));
        }
        if self.has_static_keys() {
            return self.static_keys().map(Some);
        }
        Ok(None)
    }

    fn static_keys(&self) -> Result<Base, Failure> {
        match (
            self.get("aws_access_key_id"),
            self.get("aws_secret_access_key"),
        ) {
            (Some(id), Some(secret)) => Ok(Base::StaticKeys {
                profile: self.name.to_owned(),
                credentials: Credentials::new(id, secret, self.get("aws_session_token")),
            }),
            (id, _) => {
                let (has, lacks) = if id.is_some() {
                    ("aws_access_key_id", "aws_secret_access_key")
                } else {
                    ("aws_secret_access_key", "aws_access_key_id")
                };
                Err((
                    CredentialsErrorKind::Incomplete,
                    format!("profile `{}` has `{has}` but no `{lacks}`", self.name),
                ))
            }
        }
    }

    fn sso(&self, profiles: &ProfileSet) -> Result<SsoProfile, Failure> {
        let invalid = |reason: String| (CredentialsErrorKind::InvalidConfiguration, reason);
        let mut start_url = self.get("sso_start_url");
        let mut region = self.get("sso_region");
        let session = self.get("sso_session");
        if let Some(session) = &session {
            let Some(section) = profiles.sso_session(session) else {
                return Err(invalid(format!(
                    "profile `{}` names the sso-session `{session}`, which is not in the config \
                     file",
                    self.name
                )));
            };
            for (key, value) in [
                ("sso_start_url", &mut start_url),
                ("sso_region", &mut region),
            ] {
                let from_session = section.get(key).map(str::to_owned);
                if value.is_some() && from_session.is_some() && *value != from_session {
                    return Err(invalid(format!(
                        "the `{key}` of profile `{}` differs from that of its sso-session \
                         `{session}`",
                        self.name
                    )));
                }
                if from_session.is_some() {
                    *value = from_session;
                }
            }
        }
        let account_id = self.get("sso_account_id");
        let role_name = self.get("sso_role_name");
        let missing: Vec<&str> = [
            ("sso_start_url", start_url.is_none()),
            ("sso_region", region.is_none()),
            ("sso_account_id", account_id.is_none()),
            ("sso_role_name", role_name.is_none()),
        ]
        .into_iter()
        .filter_map(|(key, missing)| missing.then_some(key))
        .collect();
        match (start_url, region, account_id, role_name) {
            (Some(start_url), Some(region), Some(account_id), Some(role_name)) => Ok(SsoProfile {
                profile: self.name.to_owned(),
                session,
                start_url,
                region,
                account_id,
                role_name,
            }),
            _ => Err(invalid(format!(
                "profile `{}` is set up for IAM Identity Center (SSO) but lacks `{}`{}",
                self.name,
                missing.join("`, `"),
                match &session {
                    Some(session) => format!(" (with its sso-session `{session}`)"),
                    None => String::new(),
                }
            ))),
        }
    }

    fn role_step(&self) -> Result<RoleStep, Failure> {
        if self.profile.get("mfa_serial").is_some() {
            return Err((
                CredentialsErrorKind::Unsupported,
                format!(
                    "profile `{}` sets `mfa_serial`: assuming a role with an MFA code needs a \
                     prompt on a terminal, which this library does not have; get the \
                     credentials with the AWS CLI (or another tool that prompts) and pass them in",
                    self.name
                ),
            ));
        }
        let duration_seconds = match self.profile.get("duration_seconds") {
            None => None,
            Some(text) => Some(text.trim().parse::<u32>().map_err(|_| {
                (
                    CredentialsErrorKind::InvalidConfiguration,
                    format!(
                        "the `duration_seconds` of profile `{}` is `{}`, not a whole number of \
                         seconds",
                        self.name,
                        awsquery_types::text::printable(text, awsquery_types::text::MAX_NAME_CHARS)
                    ),
                )
            })?),
        };
        Ok(RoleStep {
            profile: self.name.to_owned(),
            role_arn: self.get("role_arn").unwrap_or_default(),
            session_name: self.get("role_session_name"),
            external_id: self.get("external_id"),
            duration_seconds,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// From a plan to a provider
// ---------------------------------------------------------------------------------------------

/// The sources a plan may need that live in other modules, supplied by whoever wires the chain.
///
/// Each method returns the source for one step; [`provider`] calls them while building, not on
/// every call for credentials. The sources that fetch temporary credentials should cache them.
pub trait Sources: Send + Sync {
    /// Credentials for `role`, assumed with `source`'s credentials (STS `AssumeRole`).
    /// `endpoints` are the selected profile's endpoint settings.
    fn assume_role(
        &self,
        source: Arc<dyn ProvideCredentials>,
        role: &RoleStep,
        endpoints: &EndpointSettings,
    ) -> Arc<dyn ProvideCredentials>;

    /// Credentials for a web identity token (STS `AssumeRoleWithWebIdentity`).
    fn web_identity(
        &self,
        web_identity: &WebIdentity,
        endpoints: &EndpointSettings,
    ) -> Arc<dyn ProvideCredentials>;

    /// The source a `credential_source` names.
    fn credential_source(&self, source: CredentialSource) -> Arc<dyn ProvideCredentials>;

    /// IAM Identity Center credentials, usually
    /// [`SsoCredentials`](crate::sso::SsoCredentials) with the chain's transport and environment.
    fn sso(&self, sso: &SsoProfile, endpoints: &EndpointSettings) -> Arc<dyn ProvideCredentials>;

    /// A `credential_process` program: by default a [`CredentialProcess`].
    fn process(&self, command: &CommandLine) -> Arc<dyn ProvideCredentials> {
        Arc::new(CredentialProcess::new(command.clone()))
    }
}

/// The provider that carries out `plan`: its base source, wrapped in one assumed role per step.
pub fn provider<S: Sources + ?Sized>(plan: &Plan, sources: &S) -> Arc<dyn ProvideCredentials> {
    let mut provider: Arc<dyn ProvideCredentials> = match &plan.base {
        Base::StaticKeys { credentials, .. } => Arc::new(credentials.clone()),
        Base::WebIdentity(web_identity) => sources.web_identity(web_identity, &plan.endpoints),
        Base::Process { command, .. } => sources.process(command),
        Base::Sso(sso) => sources.sso(sso, &plan.endpoints),
        Base::CredentialSource { source, .. } => sources.credential_source(*source),
    };
    for role in &plan.roles {
        provider = sources.assume_role(provider, role, &plan.endpoints);
    }
    provider
}

/// The credentials of a profile (`AWS_PROFILE`, else `default`, unless set with
/// [`profile`](Self::profile)), read on first use: the shared files are loaded off the async
/// threads, the profile [resolved](resolve) and its [provider] built and kept. Until that
/// succeeds, each call tries again, so a file fixed meanwhile is read.
pub struct ProfileProvider<S> {
    env: Env,
    profile: Option<String>,
    sources: S,
    built: OnceCell<Arc<dyn ProvideCredentials>>,
}

impl<S: Sources> ProfileProvider<S> {
    /// The profile `env` selects, its files found through `env`.
    pub fn new(env: Env, sources: S) -> Self {
        ProfileProvider {
            env,
            profile: None,
            sources,
            built: OnceCell::new(),
        }
    }

    /// Uses profile `name`, whatever `AWS_PROFILE` says.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// The profile that will be read.
    pub fn profile_name(&self) -> String {
        self.profile
            .clone()
            .unwrap_or_else(|| selected_profile(&self.env))
    }

    async fn build(&self) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        let name = self.profile_name();
        let env = self.env.clone();
        let profiles = tokio::task::spawn_blocking(move || ProfileSet::load(&env))
            .await
            .map_err(|e| {
                CredentialsError::new(
                    CredentialsErrorKind::Io,
                    "shared files",
                    "reading the shared files stopped",
                )
                .with_cause(e)
            })??;
        let plan = resolve(&profiles, &name)?;
        Ok(provider(&plan, &self.sources))
    }
}

impl<S: Sources> ProvideCredentials for ProfileProvider<S> {
    fn provide(&self) -> ProvideFuture<'_> {
        ProvideFuture::new(async move {
            let provider = self.built.get_or_try_init(|| self.build()).await?;
            provider.provide().await
        })
    }
}

impl<S> fmt::Debug for ProfileProvider<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProfileProvider")
            .field("env", &self.env)
            .field("profile", &self.profile)
            .field("built", &self.built.get())
            .finish_non_exhaustive()
    }
}
