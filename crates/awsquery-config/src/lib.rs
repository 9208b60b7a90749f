//! Where awsquery clients find credentials, the Region and their settings, as the AWS CLI v2 and
//! the AWS SDKs do.
//!
//! The sources, each a [`ProvideCredentials`](awsquery::credentials::ProvideCredentials):
//!
//! * the environment (`AWS_ACCESS_KEY_ID`, …);
//! * web identity (`AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN`: EKS service accounts),
//!   exchanged through STS;
//! * the selected profile of the shared files: static keys, an assumed role (`role_arn` with
//!   `source_profile` or `credential_source`), a web identity token file, a `credential_process`,
//!   IAM Identity Center (SSO);
//! * the container endpoint (ECS task roles, EKS Pod Identity);
//! * instance metadata (IMDSv2, EC2 instance profiles).
//!
//! Temporary credentials are cached until shortly before they expire ([`cache`]); one caller
//! refreshes them while the others wait.
//!
//! [`ConfigLoader`] puts them together the way the AWS CLI does: it reads the shared files once
//! (off the async threads), finds the Region ([`region`]), builds the
//! [default credentials chain](chain), reads the settings of the files and environment
//! ([`settings`]: retries, CA bundle, application id) and hands over a client configuration and a
//! transport:
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let loaded = awsquery_config::ConfigLoader::new().load().await?;
//! let config = loaded.client_config()?; // for a generated client: `Client::new(config, transport)`
//! let transport = loaded.transport().clone();
//! # let _ = (config, transport);
//! # Ok(())
//! # }
//! ```

mod http;
mod json;

pub mod cache;
pub mod chain;
pub mod container;
pub mod imds;
pub mod process;
pub mod profile;
pub mod region;
pub mod settings;
pub mod sso;
pub mod sts;

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::sync::Arc;

use awsquery::client::Config;
use awsquery::env::Env;
use awsquery::profile::{DEFAULT_PROFILE, ProfileFileError, ProfileSet, selected_profile};
use awsquery::transport::Transport;
use awsquery_hyper::HyperTransport;

use crate::chain::{ChainSettings, DefaultCredentialsChain, SharedCredentials};
use crate::settings::{Settings, SettingsError};

/// Loads what a client needs from the environment and the shared files; see the
/// [crate documentation](crate).
#[derive(Debug, Clone)]
pub struct ConfigLoader {
    env: Env,
    profile: Option<String>,
    region: Option<String>,
}

impl Default for ConfigLoader {
    fn default() -> Self {
        ConfigLoader::new()
    }
}

impl ConfigLoader {
    /// A loader reading this process's environment.
    pub fn new() -> Self {
        ConfigLoader::with_env(Env::process())
    }

    /// A loader reading `env` instead of the process's environment (tests, embedding).
    pub fn with_env(env: Env) -> Self {
        ConfigLoader {
            env,
            profile: None,
            region: None,
        }
    }

    /// Uses profile `name` (a command line's `--profile`) instead of `AWS_PROFILE`. As with the
    /// AWS CLI, the environment's keys are then not used. A profile missing from both files is an
    /// error ([`LoadError::ProfileNotFound`]), whether named here or by `AWS_PROFILE`; only the
    /// implicit `default` may be absent.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// Uses this Region (a command line's `--region`) before the Region chain.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Loads, with an HTTPS transport made from the settings (CA bundle, proxies): the transport
    /// of the metadata, STS and IAM Identity Center calls, and the one to give the client.
    pub async fn load(self) -> Result<Loaded<HyperTransport>, LoadError> {
        self.load_with(|settings| async move {
            settings.hyper_transport(HyperTransport::builder()).await
        })
        .await
    }

    /// Loads, sending the credential sources' requests through `transport`.
    pub async fn load_with_transport<T>(self, transport: T) -> Result<Loaded<T>, LoadError>
    where
        T: Transport + Clone + Send + Sync + 'static,
    {
        self.load_with(|_| std::future::ready(Ok(transport))).await
    }

    /// Loads, making the transport with `make` from the settings read (a program that sets its
    /// own timeouts, say, and still honours `ca_bundle`).
    pub async fn load_with<T, F, Fut>(self, make: F) -> Result<Loaded<T>, LoadError>
    where
        T: Transport + Clone + Send + Sync + 'static,
        F: FnOnce(Settings) -> Fut,
        Fut: Future<Output = Result<T, SettingsError>>,
    {
        let (files, settings) = self.read().await?;
        let transport = make(settings.clone()).await.map_err(LoadError::Settings)?;
        Ok(self.finish(files, settings, transport).await)
    }

    fn profile_name(&self) -> String {
        self.profile
            .clone()
            .unwrap_or_else(|| selected_profile(&self.env))
    }

    /// Reads the shared files on tokio's blocking pool, then the settings.
    async fn read(&self) -> Result<(Arc<ProfileSet>, Settings), LoadError> {
        let env = self.env.clone();
        let files = tokio::task::spawn_blocking(move || ProfileSet::load(&env))
            .await
            .map_err(|e| LoadError::Stopped(e.to_string()))?
            .map_err(LoadError::Files)?;
        let name = self.profile_name();
        let profile = files.profile(&name).map(|section| section.to_map());
        // As the AWS CLI: a profile named explicitly or by `AWS_PROFILE` must exist; only the
        // implicit `default` may be missing.
        if profile.is_none() && (self.profile.is_some() || name != DEFAULT_PROFILE) {
            return Err(LoadError::ProfileNotFound(name));
        }
        let settings = Settings::load(&self.env, profile.as_ref()).map_err(LoadError::Settings)?;
        Ok((Arc::new(files), settings))
    }

    async fn finish<T>(self, files: Arc<ProfileSet>, settings: Settings, transport: T) -> Loaded<T>
    where
        T: Transport + Clone + Send + Sync + 'static,
    {
        let name = self.profile_name();
        let properties = files.profile(&name).map(|section| section.to_map());
        let region = region::resolve(
            self.region.as_deref(),
            &self.env,
            properties.as_ref(),
            transport.clone(),
        )
        .await;
        let credentials = DefaultCredentialsChain::new(ChainSettings {
            env: self.env.clone(),
            profiles: files.clone(),
            profile: name.clone(),
            explicit_profile: self.profile.is_some(),
            region: region.clone(),
            transport: transport.clone(),
        });
        Loaded {
            env: self.env,
            files,
            profile: name,
            region,
            credentials: Arc::new(credentials),
            settings,
            transport,
        }
    }
}

/// What [`ConfigLoader`] found: the Region, the credentials chain, the settings and the
/// transport.
#[derive(Debug, Clone)]
pub struct Loaded<T> {
    env: Env,
    files: Arc<ProfileSet>,
    profile: String,
    region: Option<String>,
    credentials: SharedCredentials,
    settings: Settings,
    transport: T,
}

impl<T> Loaded<T> {
    /// The Region, if any source had one.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The profile read.
    pub fn profile_name(&self) -> &str {
        &self.profile
    }

    /// The shared files, as read.
    pub fn profiles(&self) -> &ProfileSet {
        &self.files
    }

    /// The default credentials chain.
    pub fn credentials_provider(&self) -> SharedCredentials {
        self.credentials.clone()
    }

    /// The settings of the environment and the profile.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The transport the credential sources use, to give the client as well.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// A client configuration: the Region, the credentials chain, the endpoint settings of the
    /// environment and the profile (`AWS_ENDPOINT_URL_<SERVICE>`, a `services` section,
    /// `endpoint_url`, FIPS and dual-stack), the retry mode and attempts, the application id.
    /// Settings made in code on the returned value win over these.
    pub fn client_config(&self) -> Result<Config, LoadError> {
        let region = self.region.clone().ok_or(LoadError::NoRegion)?;
        let config = Config::from_credentials_provider(region, self.credentials.clone())
            .with_endpoint_env(self.env.clone())
            .with_endpoint_profile(&self.files, &self.profile);
        Ok(self.settings.apply(config))
    }
}

/// Why loading failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum LoadError {
    /// A shared file exists but cannot be read.
    Files(ProfileFileError),
    /// The profile chosen explicitly or by `AWS_PROFILE` is in neither shared file.
    ProfileNotFound(String),
    /// A setting has a value it does not take, or its file cannot be used.
    Settings(SettingsError),
    /// No source has a Region.
    NoRegion,
    /// Reading the files stopped (the blocking task was cancelled or panicked).
    Stopped(String),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Files(e) => e.fmt(f),
            LoadError::ProfileNotFound(name) => {
                write!(f, "the config profile ({name}) could not be found")
            }
            LoadError::Settings(e) => e.fmt(f),
            LoadError::NoRegion => f.write_str(
                "no Region: set AWS_REGION, or `region` in the profile, or pass one explicitly",
            ),
            LoadError::Stopped(why) => write!(f, "reading the shared files stopped: {why}"),
        }
    }
}

impl StdError for LoadError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            LoadError::Files(e) => Some(e),
            LoadError::Settings(e) => Some(e),
            _ => None,
        }
    }
}
