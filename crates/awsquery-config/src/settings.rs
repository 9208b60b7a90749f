//! The settings users keep beside their credentials, in the environment and the shared files:
//! retries, the CA bundle and the application id.
//!
//! | environment variable | profile key | meaning |
//! | --- | --- | --- |
//! | `AWS_MAX_ATTEMPTS` | `max_attempts` | attempts per call, the first included (1 or more) |
//! | `AWS_RETRY_MODE` | `retry_mode` | `standard`, `adaptive`, or `legacy` (read as `standard`) |
//! | `AWS_CA_BUNDLE` | `ca_bundle` | a PEM file whose certificates are the only trusted roots |
//! | `AWS_SDK_UA_APP_ID` | `sdk_ua_app_id` | the application id at the end of the user agent |
//!
//! As in the AWS CLI and the SDKs, a variable that is set (and not empty) wins over the profile,
//! and a value that cannot be used is an error naming the variable or the key, rather than
//! skipped. Values are trimmed; an empty one counts as unset. A path is used as written: `~` is not
//! expanded, and a relative path is taken from the working directory.
//!
//! ```
//! use std::collections::BTreeMap;
//! use awsquery::env::Env;
//! use awsquery::retry::RetryMode;
//! use awsquery_config::settings::Settings;
//!
//! let env = Env::from_pairs(&[("AWS_RETRY_MODE", "adaptive")]);
//! let profile = BTreeMap::from([
//!     (String::from("retry_mode"), String::from("standard")),
//!     (String::from("max_attempts"), String::from("5")),
//! ]);
//! let settings = Settings::load(&env, Some(&profile)).unwrap();
//! let retry = settings.retry_config();
//! assert_eq!(retry.mode(), RetryMode::Adaptive); // the environment wins
//! assert_eq!(retry.max_attempts(), 5);
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use awsquery::client::Config;
use awsquery::env::Env;
use awsquery::retry::{RetryConfig, RetryMode};
use awsquery::user_agent::AppId;
use awsquery_hyper::{BuildError, HyperTransport, HyperTransportBuilder};
use awsquery_types::text::{MAX_NAME_CHARS, printable};

/// Where a setting's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Source {
    /// An environment variable, by name.
    Env(&'static str),
    /// A key of the selected profile.
    Profile(&'static str),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Env(name) => write!(f, "the environment variable `{name}`"),
            Source::Profile(key) => write!(f, "`{key}` in the profile"),
        }
    }
}

/// One setting: its environment variable and profile key.
struct Setting {
    var: &'static str,
    key: &'static str,
}

const MAX_ATTEMPTS: Setting = Setting {
    var: "AWS_MAX_ATTEMPTS",
    key: "max_attempts",
};
const RETRY_MODE: Setting = Setting {
    var: "AWS_RETRY_MODE",
    key: "retry_mode",
};
const CA_BUNDLE: Setting = Setting {
    var: "AWS_CA_BUNDLE",
    key: "ca_bundle",
};
const APP_ID: Setting = Setting {
    var: "AWS_SDK_UA_APP_ID",
    key: "sdk_ua_app_id",
};

impl Setting {
    /// The value, trimmed, and where it came from: the environment first, then the profile.
    fn find(
        &self,
        env: &Env,
        profile: Option<&BTreeMap<String, String>>,
    ) -> Option<(String, Source)> {
        let from_env = env
            .get(self.var)
            .map(|value| value.trim().to_owned())
            .filter(|value| !value.is_empty())
            .map(|value| (value, Source::Env(self.var)));
        from_env.or_else(|| {
            profile?
                .get(self.key)
                .map(|value| value.trim())
                .filter(|value| !value.is_empty())
                .map(|value| (value.to_owned(), Source::Profile(self.key)))
        })
    }
}

/// Retries, the CA bundle and the application id, as the environment and the selected profile set
/// them. Unset settings are `None`, leaving the defaults (or what code sets) in place.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    max_attempts: Option<(u32, Source)>,
    retry_mode: Option<(RetryMode, Source)>,
    ca_bundle: Option<(PathBuf, Source)>,
    app_id: Option<(AppId, Source)>,
}

impl Settings {
    /// Reads the settings from `env` and the selected profile's properties (`profile`, keys in
    /// lower case: `profiles.profile(name).map(Section::to_map)` of a
    /// [`ProfileSet`](awsquery::profile::ProfileSet)); the environment wins.
    pub fn load(
        env: &Env,
        profile: Option<&BTreeMap<String, String>>,
    ) -> Result<Settings, SettingsError> {
        let mut settings = Settings::default();
        if let Some((value, source)) = MAX_ATTEMPTS.find(env, profile) {
            let attempts = value
                .parse::<u32>()
                .ok()
                .filter(|&n| n >= 1 && value.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| SettingsError::Invalid {
                    setting: source,
                    reason: format!(
                        "`{}` is not a whole number of attempts from 1 to {}",
                        printable(&value, MAX_NAME_CHARS),
                        u32::MAX
                    ),
                })?;
            settings.max_attempts = Some((attempts, source));
        }
        if let Some((value, source)) = RETRY_MODE.find(env, profile) {
            let mode = value
                .parse::<RetryMode>()
                .map_err(|e| SettingsError::Invalid {
                    setting: source,
                    reason: e.to_string(),
                })?;
            settings.retry_mode = Some((mode, source));
        }
        if let Some((value, source)) = CA_BUNDLE.find(env, profile) {
            settings.ca_bundle = Some((PathBuf::from(value), source));
        }
        if let Some((value, source)) = APP_ID.find(env, profile) {
            let id = AppId::new(value).map_err(|e| SettingsError::Invalid {
                setting: source,
                reason: e.to_string(),
            })?;
            settings.app_id = Some((id, source));
        }
        Ok(settings)
    }

    /// The most attempts per call, when set.
    pub fn max_attempts(&self) -> Option<u32> {
        self.max_attempts.map(|(n, _)| n)
    }

    /// The retry mode, when set (`legacy` reads as [`RetryMode::Standard`]).
    pub fn retry_mode(&self) -> Option<RetryMode> {
        self.retry_mode.map(|(mode, _)| mode)
    }

    /// The CA bundle file, when set.
    pub fn ca_bundle(&self) -> Option<&Path> {
        self.ca_bundle.as_ref().map(|(path, _)| path.as_path())
    }

    /// The application id, when set.
    pub fn app_id(&self) -> Option<&AppId> {
        self.app_id.as_ref().map(|(id, _)| id)
    }

    /// Where the setting named by `var` (its environment variable: `AWS_MAX_ATTEMPTS`,
    /// `AWS_RETRY_MODE`, `AWS_CA_BUNDLE` or `AWS_SDK_UA_APP_ID`) came from, when it is set.
    pub fn source_of(&self, var: &str) -> Option<Source> {
        match var {
            "AWS_MAX_ATTEMPTS" => self.max_attempts.map(|(_, s)| s),
            "AWS_RETRY_MODE" => self.retry_mode.map(|(_, s)| s),
            "AWS_CA_BUNDLE" => self.ca_bundle.as_ref().map(|(_, s)| *s),
            "AWS_SDK_UA_APP_ID" => self.app_id.as_ref().map(|(_, s)| *s),
            _ => None,
        }
    }

    /// `base` with the retry mode and the number of attempts these settings set.
    pub fn retry_config_over(&self, base: RetryConfig) -> RetryConfig {
        let mut config = base;
        if let Some(mode) = self.retry_mode() {
            config = config.with_mode(mode);
        }
        if let Some(attempts) = self.max_attempts() {
            config = config.with_max_attempts(attempts);
        }
        config
    }

    /// The retry configuration: the defaults (standard mode, 3 attempts) with what these
    /// settings set.
    pub fn retry_config(&self) -> RetryConfig {
        self.retry_config_over(RetryConfig::default())
    }

    /// `config` with these settings' retry mode, number of attempts and application id, where
    /// they are set. Apply it before code's own choices, which then win, as in the AWS SDKs.
    pub fn apply(&self, config: Config) -> Config {
        let retry = self.retry_config_over(*config.retry_config());
        let config = config.with_retry_config(retry);
        match self.app_id() {
            Some(id) => config.with_app_id(id.clone()),
            None => config,
        }
    }

    /// Builds the transport of `builder` with the CA bundle, when one is set, as its only trust
    /// roots. The file is read on tokio's blocking pool (call this from a tokio runtime); one that
    /// cannot be read, is too large or holds no usable certificate is an error naming the file and
    /// where its path came from. The builder's other settings are checked too (see
    /// [`HyperTransportBuilder::try_build`]).
    pub async fn hyper_transport(
        &self,
        builder: HyperTransportBuilder,
    ) -> Result<HyperTransport, SettingsError> {
        let Some((path, source)) = &self.ca_bundle else {
            return builder
                .try_build()
                .map_err(|error| SettingsError::Transport {
                    ca_bundle: None,
                    error,
                });
        };
        let builder = builder.ca_bundle_file(path);
        let built = tokio::task::spawn_blocking(move || builder.try_build())
            .await
            .map_err(|e| SettingsError::Invalid {
                setting: *source,
                reason: format!("the CA bundle could not be read: {e}"),
            })?;
        built.map_err(|error| {
            let ca_bundle = is_ca_bundle_error(&error).then_some(*source);
            SettingsError::Transport { ca_bundle, error }
        })
    }
}

fn is_ca_bundle_error(error: &BuildError) -> bool {
    !matches!(error, BuildError::Proxy { .. })
}

/// A setting whose value cannot be used.
#[derive(Debug)]
#[non_exhaustive]
pub enum SettingsError {
    /// A value that is not one the setting takes.
    Invalid {
        /// Where it was set.
        setting: Source,
        /// What is wrong with it, quoting the value with control characters escaped.
        reason: String,
    },
    /// The transport could not be built: the CA bundle (from `ca_bundle`) or a proxy URL.
    Transport {
        /// Where the CA bundle's path came from, when the bundle is at fault.
        ca_bundle: Option<Source>,
        /// What is wrong.
        error: BuildError,
    },
}

impl SettingsError {
    /// The setting at fault, when it is one of these settings.
    pub fn setting(&self) -> Option<Source> {
        match self {
            SettingsError::Invalid { setting, .. } => Some(*setting),
            SettingsError::Transport { ca_bundle, .. } => *ca_bundle,
        }
    }
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingsError::Invalid { setting, reason } => write!(f, "{setting}: {reason}"),
            SettingsError::Transport {
                ca_bundle: Some(setting),
                error,
            } => write!(f, "{setting}: {error}"),
            SettingsError::Transport {
                ca_bundle: None,
                error,
            } => fmt::Display::fmt(error, f),
        }
    }
}

impl std::error::Error for SettingsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SettingsError::Invalid { .. } => None,
            SettingsError::Transport { error, .. } => Some(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|&(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    fn load(env: &[(&str, &str)], props: &[(&str, &str)]) -> Result<Settings, SettingsError> {
        Settings::load(&Env::from_pairs(env), Some(&profile(props)))
    }

    #[test]
    fn nothing_set_leaves_the_defaults() {
        let settings = Settings::load(&Env::from_pairs(&[]), None).expect("nothing to refuse");
        assert_eq!(settings, Settings::default());
        assert_eq!(settings.retry_config(), RetryConfig::default());
        let config = Config::new(
            "us-east-1",
            awsquery::sigv4::Credentials::new("AKID", "SECRET", None),
        );
        let applied = settings.apply(config.clone());
        assert_eq!(applied.retry_config(), config.retry_config());
        assert_eq!(applied.app_id(), None);
    }

    #[test]
    fn the_profile_sets_what_the_environment_does_not() {
        let settings = load(
            &[],
            &[
                ("max_attempts", " 7 "),
                ("retry_mode", "Adaptive"),
                ("ca_bundle", "/etc/pki/corp.pem"),
                ("sdk_ua_app_id", "billing"),
                ("region", "eu-west-1"),
            ],
        )
        .expect("valid values");
        assert_eq!(settings.max_attempts(), Some(7));
        assert_eq!(settings.retry_mode(), Some(RetryMode::Adaptive));
        assert_eq!(settings.ca_bundle(), Some(Path::new("/etc/pki/corp.pem")));
        assert_eq!(settings.app_id().map(AppId::as_str), Some("billing"));
        for (var, key) in [
            ("AWS_MAX_ATTEMPTS", "max_attempts"),
            ("AWS_RETRY_MODE", "retry_mode"),
            ("AWS_CA_BUNDLE", "ca_bundle"),
            ("AWS_SDK_UA_APP_ID", "sdk_ua_app_id"),
        ] {
            assert_eq!(settings.source_of(var), Some(Source::Profile(key)));
        }
        assert_eq!(settings.source_of("AWS_REGION"), None);
    }

    #[test]
    fn the_environment_wins() {
        let settings = load(
            &[
                ("AWS_MAX_ATTEMPTS", "2"),
                ("AWS_RETRY_MODE", "legacy"),
                ("AWS_CA_BUNDLE", "/env/ca.pem"),
                ("AWS_SDK_UA_APP_ID", "from-env"),
            ],
            &[
                ("max_attempts", "9"),
                ("retry_mode", "adaptive"),
                ("ca_bundle", "/profile/ca.pem"),
                ("sdk_ua_app_id", "from-profile"),
            ],
        )
        .expect("valid values");
        assert_eq!(settings.max_attempts(), Some(2));
        assert_eq!(settings.retry_mode(), Some(RetryMode::Standard));
        assert_eq!(settings.ca_bundle(), Some(Path::new("/env/ca.pem")));
        assert_eq!(settings.app_id().map(AppId::as_str), Some("from-env"));
        assert_eq!(
            settings.source_of("AWS_RETRY_MODE"),
            Some(Source::Env("AWS_RETRY_MODE"))
        );
    }

    #[test]
    fn an_invalid_environment_value_does_not_fall_back_to_the_profile() {
        let error = load(&[("AWS_MAX_ATTEMPTS", "many")], &[("max_attempts", "4")]).unwrap_err();
        assert_eq!(error.setting(), Some(Source::Env("AWS_MAX_ATTEMPTS")));
        assert_eq!(
            error.to_string(),
            "the environment variable `AWS_MAX_ATTEMPTS`: `many` is not a whole number of \
             attempts from 1 to 4294967295"
        );
    }

    #[test]
    fn empty_values_count_as_unset() {
        let settings = load(
            &[("AWS_RETRY_MODE", "  ")],
            &[("retry_mode", "adaptive"), ("max_attempts", "")],
        )
        .expect("valid values");
        assert_eq!(settings.retry_mode(), Some(RetryMode::Adaptive));
        assert_eq!(settings.max_attempts(), None);
    }

    #[test]
    fn bad_values_name_their_setting() {
        for value in ["0", "-1", "+3", "3.0", "4294967296", "three"] {
            let error = load(&[], &[("max_attempts", value)]).unwrap_err();
            assert_eq!(error.setting(), Some(Source::Profile("max_attempts")));
            assert!(
                error
                    .to_string()
                    .starts_with(&format!("`max_attempts` in the profile: `{value}` is not")),
                "{error}"
            );
        }
        let error = load(&[("AWS_RETRY_MODE", "fast")], &[]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the environment variable `AWS_RETRY_MODE`: `fast` is not a retry mode: expected \
             `standard`, `adaptive` or `legacy`"
        );
        let error = load(&[], &[("sdk_ua_app_id", "my app")]).unwrap_err();
        assert!(
            error.to_string().starts_with(
                "`sdk_ua_app_id` in the profile: the application id `my app` holds a space"
            ),
            "{error}"
        );
        let error = load(&[("AWS_SDK_UA_APP_ID", &"x".repeat(51))], &[]).unwrap_err();
        assert!(
            error.to_string().contains("longer than 50 characters"),
            "{error}"
        );
        // Control characters are escaped.
        let error = load(&[("AWS_MAX_ATTEMPTS", "3\u{1b}[2J")], &[]).unwrap_err();
        assert!(!error.to_string().contains('\u{1b}'), "{error}");
    }

    #[test]
    fn the_settings_apply_to_a_client_configuration() {
        let settings = load(
            &[
                ("AWS_RETRY_MODE", "adaptive"),
                ("AWS_SDK_UA_APP_ID", "drill"),
            ],
            &[],
        )
        .expect("valid values");
        let config = Config::new(
            "us-east-1",
            awsquery::sigv4::Credentials::new("AKID", "SECRET", None),
        )
        .with_retry_config(RetryConfig::default().with_max_attempts(6));
        let config = settings.apply(config);
        // The mode is set; the attempts code chose stay.
        assert_eq!(config.retry_config().mode(), RetryMode::Adaptive);
        assert_eq!(config.retry_config().max_attempts(), 6);
        assert_eq!(config.app_id().map(AppId::as_str), Some("drill"));
        // Code applied afterwards wins.
        let config = config.with_retry_config(RetryConfig::disabled());
        assert_eq!(config.retry_config().max_attempts(), 1);

        let retry = load(&[("AWS_MAX_ATTEMPTS", "10")], &[])
            .expect("valid values")
            .retry_config();
        assert_eq!(retry.max_attempts(), 10);
        assert_eq!(retry.mode(), RetryMode::Standard);
    }
}
