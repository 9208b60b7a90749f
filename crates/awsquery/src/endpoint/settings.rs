//! What a client's configuration contributes to endpoint resolution: the values of the built-in
//! rule parameters, with the endpoint URL and the FIPS and dual-stack flags taken from code first and
//! from the environment second; the endpoint URL, last, from the profile of the shared config file.

use std::fmt;

use awsquery_types::http::{redact_userinfo, userinfo_range};

use super::{EndpointError, is_valid_host_label, split_url};
use crate::env::Env;
use crate::profile::{ProfileSet, Section};

/// The endpoint URL for every service (`AWS_ENDPOINT_URL`).
pub const ENDPOINT_URL_VAR: &str = "AWS_ENDPOINT_URL";
/// Set to `true` to ignore the endpoint URLs of the environment and the profile
/// (`AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`).
pub const IGNORE_CONFIGURED_ENDPOINT_URLS_VAR: &str = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS";
/// The profile key holding the endpoint URL for every service, and, in a `[services]` section, the
/// sub-property holding one service's.
pub const ENDPOINT_URL_KEY: &str = "endpoint_url";
/// The profile key that, `true`, ignores configured endpoint URLs (after
/// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`).
pub const IGNORE_CONFIGURED_ENDPOINT_URLS_KEY: &str = "ignore_configured_endpoint_urls";
/// The profile key naming its `[services NAME]` section.
pub const SERVICES_KEY: &str = "services";
/// `true` to use FIPS endpoints (`AWS_USE_FIPS_ENDPOINT`).
pub const USE_FIPS_VAR: &str = "AWS_USE_FIPS_ENDPOINT";
/// `true` to use dual-stack endpoints (`AWS_USE_DUALSTACK_ENDPOINT`).
pub const USE_DUAL_STACK_VAR: &str = "AWS_USE_DUALSTACK_ENDPOINT";
/// For STS clients: `legacy` to send requests from the Regions that had no STS endpoint of their
/// own to the global endpoint, `regional` (the default) to keep every Region on its own endpoint
/// (`AWS_STS_REGIONAL_ENDPOINTS`).
pub const STS_REGIONAL_ENDPOINTS_VAR: &str = "AWS_STS_REGIONAL_ENDPOINTS";
/// The profile key with the same values as `AWS_STS_REGIONAL_ENDPOINTS`, read after it.
pub const STS_REGIONAL_ENDPOINTS_KEY: &str = "sts_regional_endpoints";
/// The sdkId of the one service whose rules read `AWS::STS::UseGlobalEndpoint`.
const STS_SDK_ID: &str = "STS";

/// The values a client supplies for the rule sets' built-in parameters: `AWS::Region`,
/// `AWS::UseFIPS`, `AWS::UseDualStack`, `SDK::Endpoint` and `AWS::STS::UseGlobalEndpoint`. A
/// generated `Params` is made from them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct BuiltIns {
    /// `AWS::Region`: the configured region; `None` when it is empty.
    pub region: Option<String>,
    /// `AWS::UseFIPS`.
    pub use_fips: bool,
    /// `AWS::UseDualStack`.
    pub use_dual_stack: bool,
    /// `SDK::Endpoint`: the endpoint URL override, already checked to be an `http` or `https` URL
    /// with a host.
    pub endpoint: Option<String>,
    /// `AWS::STS::UseGlobalEndpoint`: whether an STS client in one of the Regions that used to be
    /// served by the global endpoint sends there (`https://sts.amazonaws.com`). Always `false` for
    /// other services, whose rules do not read it.
    pub use_global_endpoint: bool,
}

/// The endpoint settings of a client configuration.
///
/// Values set in code win over the environment, whatever the order of the calls; the environment is
/// read only when one is given ([`with_env`](Self::with_env)), and only when the client is built, and
/// so is a profile ([`with_profile`](Self::with_profile)). The endpoint URL is taken from, highest
/// first:
///
/// 1. [`with_url`](Self::with_url);
/// 2. `AWS_ENDPOINT_URL_<SERVICE>`, the service's sdkId in upper case with spaces as `_`
///    (`AWS_ENDPOINT_URL_NEPTUNE`);
/// 3. `AWS_ENDPOINT_URL`;
/// 4. the profile's services section: `services = NAME` in the profile names a `[services NAME]`
///    section of the config file, where `endpoint_url` under the service's key (the sdkId in lower
///    case with spaces as `_`: `neptune`, `sso_oidc`) gives the URL;
/// 5. the profile's `endpoint_url`;
///
/// and all but the first are skipped when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is `true` (or, when
/// that variable is unset, the profile's `ignore_configured_endpoint_urls`). Without any, the
/// service's endpoint rules choose the URL from the region and the FIPS and dual-stack flags
/// (`AWS_USE_FIPS_ENDPOINT`, `AWS_USE_DUALSTACK_ENDPOINT`; `false` when unset).
///
/// STS clients also take the choice between regional and global endpoints
/// ([`with_use_global_endpoint`](Self::with_use_global_endpoint), else `AWS_STS_REGIONAL_ENDPOINTS`,
/// else the profile's `sts_regional_endpoints`: `legacy` or `regional`, the default, as in the AWS
/// CLI v2 and current SDKs).
///
/// ```
/// use awsquery::endpoint::EndpointSettings;
/// use awsquery::env::Env;
/// use awsquery::profile::ProfileSet;
///
/// let profiles = ProfileSet::parse(
///     "",
///     "[profile local]\nservices = here\nendpoint_url = http://127.0.0.1:4566\n\
///      [services here]\nneptune =\n  endpoint_url = http://127.0.0.1:8182\n",
/// );
/// let settings = EndpointSettings::new()
///     .with_env(Env::from_pairs(&[]))
///     .with_profile(&profiles, "local");
/// let neptune = settings.builtins("us-east-1", "Neptune").unwrap();
/// assert_eq!(neptune.endpoint.as_deref(), Some("http://127.0.0.1:8182"));
/// let sts = settings.builtins("us-east-1", "STS").unwrap();
/// assert_eq!(sts.endpoint.as_deref(), Some("http://127.0.0.1:4566"));
/// ```
#[derive(Clone, Default)]
pub struct EndpointSettings {
    url: Option<String>,
    use_fips: Option<bool>,
    use_dual_stack: Option<bool>,
    use_global_endpoint: Option<bool>,
    env: Option<Env>,
    profile: Option<ProfileEndpoints>,
}

/// What a profile says about endpoint URLs, taken from a [`ProfileSet`] when the settings are made.
#[derive(Clone, Default)]
struct ProfileEndpoints {
    /// The profile's name, for messages.
    name: String,
    endpoint_url: Option<String>,
    ignore: Option<String>,
    /// `sts_regional_endpoints`.
    sts_regional_endpoints: Option<String>,
    /// `services = NAME`, and the `[services NAME]` section if the config file has it.
    services: Option<(String, Option<Section>)>,
}

impl EndpointSettings {
    /// No settings: the rules decide, from the region alone.
    pub fn new() -> Self {
        EndpointSettings::default()
    }

    /// Sends to `url` instead of the endpoint the rules would choose.
    pub fn with_url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// Asks for (or, with `false`, refuses) a FIPS endpoint.
    pub fn with_use_fips(mut self, use_fips: bool) -> Self {
        self.use_fips = Some(use_fips);
        self
    }

    /// Asks for (or, with `false`, refuses) a dual-stack endpoint.
    pub fn with_use_dual_stack(mut self, use_dual_stack: bool) -> Self {
        self.use_dual_stack = Some(use_dual_stack);
        self
    }

    /// For an STS client: `true` sends requests from the Regions that used to be served by the
    /// global endpoint (`us-east-1`, `eu-west-1`, … and `aws-global`) to `https://sts.amazonaws.com`,
    /// signed for `us-east-1`, as `AWS_STS_REGIONAL_ENDPOINTS=legacy` does; `false` keeps each Region
    /// on its own endpoint. Other services ignore it.
    pub fn with_use_global_endpoint(mut self, use_global_endpoint: bool) -> Self {
        self.use_global_endpoint = Some(use_global_endpoint);
        self
    }

    /// Reads what code leaves unset from `env`, when the client is built.
    pub fn with_env(mut self, env: Env) -> Self {
        self.env = Some(env);
        self
    }

    /// Takes endpoint URLs that neither code nor the environment set from profile `name` of
    /// `profiles` (usually the selected one, [`selected_profile`](crate::profile::selected_profile)):
    /// its services section, then its `endpoint_url`. A profile the set lacks contributes nothing.
    pub fn with_profile(mut self, profiles: &ProfileSet, name: &str) -> Self {
        let profile = profiles.profile(name);
        let get = |key: &str| profile.and_then(|p| p.get(key)).map(str::to_owned);
        self.profile = Some(ProfileEndpoints {
            name: name.to_owned(),
            endpoint_url: get(ENDPOINT_URL_KEY),
            ignore: get(IGNORE_CONFIGURED_ENDPOINT_URLS_KEY),
            sts_regional_endpoints: get(STS_REGIONAL_ENDPOINTS_KEY),
            services: get(SERVICES_KEY).map(|services| {
                let section = profiles.services(&services).cloned();
                (services, section)
            }),
        });
        self
    }

    /// The URL set in code.
    pub fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }

    /// The FIPS flag set in code.
    pub fn use_fips(&self) -> Option<bool> {
        self.use_fips
    }

    /// The dual-stack flag set in code.
    pub fn use_dual_stack(&self) -> Option<bool> {
        self.use_dual_stack
    }

    /// The STS global endpoint choice set in code.
    pub fn use_global_endpoint(&self) -> Option<bool> {
        self.use_global_endpoint
    }

    /// The built-in parameter values for a client of the service with `sdk_id` in `region`: the
    /// settings from code, then from the environment. An endpoint URL that is not an `http` or
    /// `https` URL with a host, or a flag in the environment that is not `true` or `false`, is an
    /// error naming where it came from. So is a region that is not a host label (see
    /// [`check_region`]): it becomes part of the endpoint's host name. `AWS_STS_REGIONAL_ENDPOINTS`
    /// is read (and checked) for STS clients only.
    pub fn builtins(&self, region: &str, sdk_id: &str) -> Result<BuiltIns, EndpointError> {
        let region = check_region(region)?;
        let env = self.env.as_ref();
        let flag = |code: Option<bool>, var: &str| match (code, env) {
            (Some(value), _) => Ok(value),
            (None, Some(env)) => Ok(env_flag(env, var)?.unwrap_or(false)),
            (None, None) => Ok(false),
        };
        Ok(BuiltIns {
            region: (!region.is_empty()).then(|| region.to_owned()),
            use_fips: flag(self.use_fips, USE_FIPS_VAR)?,
            use_dual_stack: flag(self.use_dual_stack, USE_DUAL_STACK_VAR)?,
            endpoint: self.endpoint_url(sdk_id)?,
            use_global_endpoint: self.global_endpoint(sdk_id)?,
        })
    }

    /// `AWS::STS::UseGlobalEndpoint`: from code, else from `AWS_STS_REGIONAL_ENDPOINTS`, else from
    /// the profile's `sts_regional_endpoints`; `false` for other services.
    fn global_endpoint(&self, sdk_id: &str) -> Result<bool, EndpointError> {
        if !sdk_id.trim().eq_ignore_ascii_case(STS_SDK_ID) {
            return Ok(false);
        }
        if let Some(value) = self.use_global_endpoint {
            return Ok(value);
        }
        if let Some(value) = self
            .env
            .as_ref()
            .and_then(|env| env.get(STS_REGIONAL_ENDPOINTS_VAR))
        {
            return sts_regional_endpoints(&value, &format!("`{STS_REGIONAL_ENDPOINTS_VAR}`"));
        }
        match self
            .profile
            .as_ref()
            .and_then(|p| Some((p, p.sts_regional_endpoints.as_deref()?)))
        {
            Some((profile, value)) => sts_regional_endpoints(
                value,
                &format!(
                    "`{STS_REGIONAL_ENDPOINTS_KEY}` of profile `{}`",
                    profile.name
                ),
            ),
            None => Ok(false),
        }
    }

    /// The endpoint URL override and where it came from, checked.
    fn endpoint_url(&self, sdk_id: &str) -> Result<Option<String>, EndpointError> {
        if let Some(url) = &self.url {
            check_url(url, "set in the configuration")?;
            return Ok(Some(url.clone()));
        }
        let env = self.env.as_ref();
        let profile = self.profile.as_ref();
        let ignore = match env.map(|env| env_flag(env, IGNORE_CONFIGURED_ENDPOINT_URLS_VAR)) {
            Some(Ok(Some(ignore))) => ignore,
            Some(Err(e)) => return Err(e),
            _ => profile.map_or(Ok(false), ProfileEndpoints::ignore)?,
        };
        if ignore {
            return Ok(None);
        }
        if let Some(env) = env {
            for var in [
                service_endpoint_url_var(sdk_id),
                ENDPOINT_URL_VAR.to_owned(),
            ] {
                if let Some(url) = env.get(&var) {
                    check_url(&url, &format!("from `{var}`"))?;
                    return Ok(Some(url));
                }
            }
        }
        match profile {
            Some(profile) => profile.endpoint_url(sdk_id),
            None => Ok(None),
        }
    }
}

impl ProfileEndpoints {
    /// `ignore_configured_endpoint_urls`: `false` when unset.
    fn ignore(&self) -> Result<bool, EndpointError> {
        match &self.ignore {
            None => Ok(false),
            Some(value) => flag(
                value,
                &format!(
                    "`{IGNORE_CONFIGURED_ENDPOINT_URLS_KEY}` of profile `{}`",
                    self.name
                ),
            ),
        }
    }

    /// The URL of the services section for the service, else the profile's `endpoint_url`,
    /// checked. A profile naming a services section the config file lacks is an error.
    fn endpoint_url(&self, sdk_id: &str) -> Result<Option<String>, EndpointError> {
        if let Some((services, section)) = &self.services {
            let Some(section) = section else {
                return Err(EndpointError::configuration(format!(
                    "profile `{}` names the services section `{services}`, which is not in the \
                     config file",
                    self.name
                )));
            };
            let key = service_config_key(sdk_id);
            if let Some(url) = section.sub_property(&key, ENDPOINT_URL_KEY) {
                let source = format!(
                    "from `{ENDPOINT_URL_KEY}` under `{key}` in `[services {services}]` (profile \
                     `{}`)",
                    self.name
                );
                check_url(url, &source)?;
                return Ok(Some(url.to_owned()));
            }
        }
        if let Some(url) = &self.endpoint_url {
            check_url(
                url,
                &format!("from `{ENDPOINT_URL_KEY}` of profile `{}`", self.name),
            )?;
            return Ok(Some(url.clone()));
        }
        Ok(None)
    }
}

impl fmt::Debug for ProfileEndpoints {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProfileEndpoints")
            .field("name", &self.name)
            .field("endpoint_url", &self.endpoint_url.as_deref().map(Redacted))
            .field("ignore", &self.ignore)
            .field("sts_regional_endpoints", &self.sts_regional_endpoints)
            .field("services", &self.services.as_ref().map(|(name, _)| name))
            .finish()
    }
}

/// The service-specific endpoint URL variable: `AWS_ENDPOINT_URL_` and the sdkId in upper case, with
/// spaces and hyphens as `_` (`Neptune` → `AWS_ENDPOINT_URL_NEPTUNE`).
pub fn service_endpoint_url_var(sdk_id: &str) -> String {
    let service: String = sdk_id
        .trim()
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_uppercase(),
        })
        .collect();
    format!("{ENDPOINT_URL_VAR}_{service}")
}

/// The key of a service in a `[services]` section: the sdkId in lower case, with spaces and
/// hyphens as `_` (`Neptune` → `neptune`, `SSO OIDC` → `sso_oidc`).
pub fn service_config_key(sdk_id: &str) -> String {
    sdk_id
        .trim()
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// The region with surrounding white space trimmed, checked to be a valid host label: 1 to 63
/// ASCII letters, digits and hyphens, neither first nor last a hyphen (as the AWS SDKs check it).
/// Anything else could carry a request, signed, to another host: `attacker.example/x` would make
/// `https://rds.attacker.example/x.amazonaws.com/`. An empty region is returned as it is (the
/// rules then say that a region is needed).
pub fn check_region(region: &str) -> Result<&str, EndpointError> {
    let region = region.trim();
    // The rules engine's host label check, which lets a label end in a hyphen; a region may not.
    let valid = region.is_empty() || (is_valid_host_label(region, false) && !region.ends_with('-'));
    if valid {
        Ok(region)
    } else {
        Err(EndpointError::configuration(format!(
            "Provided region_name '{}' doesn't match a supported format.",
            awsquery_types::text::printable(region, awsquery_types::text::MAX_NAME_CHARS)
        )))
    }
}

/// A boolean environment variable: `true` or `false` in any case; `None` when unset or empty.
fn env_flag(env: &Env, var: &str) -> Result<Option<bool>, EndpointError> {
    match env.get(var) {
        Some(value) => flag(&value, &format!("`{var}`")).map(Some),
        None => Ok(None),
    }
}

/// A boolean setting, `what` naming it in the error: `true` or `false` in any case.
fn flag(value: &str, what: &str) -> Result<bool, EndpointError> {
    match value.trim() {
        v if v.eq_ignore_ascii_case("true") => Ok(true),
        v if v.eq_ignore_ascii_case("false") => Ok(false),
        _ => Err(EndpointError::configuration(format!(
            "{what} is `{}`; expected `true` or `false`",
            awsquery_types::text::printable(value, awsquery_types::text::MAX_NAME_CHARS)
        ))),
    }
}

/// Whether an STS regional endpoints value (`legacy` or `regional`, in any case) asks for the global
/// endpoint; `what` names where it came from in the error.
fn sts_regional_endpoints(value: &str, what: &str) -> Result<bool, EndpointError> {
    match value.trim() {
        v if v.eq_ignore_ascii_case("legacy") => Ok(true),
        v if v.eq_ignore_ascii_case("regional") => Ok(false),
        _ => Err(EndpointError::configuration(format!(
            "{what} is `{}`; expected `legacy` or `regional`",
            awsquery_types::text::printable(value, awsquery_types::text::MAX_NAME_CHARS)
        ))),
    }
}

/// Checks that `url` is an `http` or `https` URL with a host, nothing a request URL cannot carry, and
/// no user information (which could hold a password, and so is never printed).
fn check_url(url: &str, source: &str) -> Result<(), EndpointError> {
    let problem = if userinfo_range(url).is_some() {
        "it contains user information, which an endpoint cannot carry"
    } else {
        match split_url(url) {
            Err(problem) => problem,
            Ok(_) => return Ok(()),
        }
    };
    Err(EndpointError::configuration(format!(
        "the endpoint URL `{}` {source} cannot be used: {problem}",
        Redacted(url)
    )))
}

/// A URL as printed in errors and `Debug`: user information is replaced by `***`.
struct Redacted<'a>(&'a str);

impl fmt::Display for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact_userinfo(self.0))
    }
}

impl fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{self}\"")
    }
}

impl fmt::Debug for EndpointSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EndpointSettings")
            .field("url", &self.url.as_deref().map(Redacted))
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("use_global_endpoint", &self.use_global_endpoint)
            .field("env", &self.env)
            .field("profile", &self.profile)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::EndpointErrorKind;

    fn builtins(settings: &EndpointSettings) -> BuiltIns {
        settings
            .builtins("us-east-1", "Neptune")
            .expect("valid settings")
    }

    fn error(settings: &EndpointSettings) -> EndpointError {
        let error = settings
            .builtins("us-east-1", "Neptune")
            .expect_err("invalid settings");
        assert_eq!(error.kind(), EndpointErrorKind::Configuration);
        error
    }

    #[test]
    fn nothing_set() {
        let b = builtins(&EndpointSettings::new());
        assert_eq!(b.region.as_deref(), Some("us-east-1"));
        assert!(!b.use_fips && !b.use_dual_stack);
        assert_eq!(b.endpoint, None);
        let empty_region = EndpointSettings::new().builtins(" ", "Neptune").unwrap();
        assert_eq!(empty_region.region, None);
    }

    #[test]
    fn the_environment_is_read_only_when_given() {
        // The process environment is never consulted without `with_env`.
        let b = builtins(&EndpointSettings::new().with_url("https://x.example"));
        assert_eq!(b.endpoint.as_deref(), Some("https://x.example"));
        let env = Env::from_pairs(&[
            ("AWS_USE_FIPS_ENDPOINT", "true"),
            ("AWS_USE_DUALSTACK_ENDPOINT", "TRUE"),
        ]);
        let b = builtins(&EndpointSettings::new().with_env(env));
        assert!(b.use_fips && b.use_dual_stack);
    }

    #[test]
    fn code_wins_over_the_environment_in_any_order() {
        let env = Env::from_pairs(&[
            ("AWS_USE_FIPS_ENDPOINT", "true"),
            ("AWS_USE_DUALSTACK_ENDPOINT", "true"),
            ("AWS_ENDPOINT_URL", "http://generic.example"),
        ]);
        let before = EndpointSettings::new()
            .with_use_fips(false)
            .with_url("http://code.example")
            .with_env(env.clone());
        let after = EndpointSettings::new()
            .with_env(env)
            .with_use_fips(false)
            .with_url("http://code.example");
        for settings in [before, after] {
            let b = builtins(&settings);
            assert!(!b.use_fips);
            assert!(b.use_dual_stack);
            assert_eq!(b.endpoint.as_deref(), Some("http://code.example"));
        }
    }

    #[test]
    fn endpoint_url_precedence() {
        let all = [
            ("AWS_ENDPOINT_URL_NEPTUNE", "http://service.example"),
            ("AWS_ENDPOINT_URL", "http://generic.example"),
            ("AWS_ENDPOINT_URL_S3", "http://other.example"),
        ];
        let url = |pairs: &[(&str, &str)]| {
            builtins(&EndpointSettings::new().with_env(Env::from_pairs(pairs))).endpoint
        };
        assert_eq!(url(&all).as_deref(), Some("http://service.example"));
        assert_eq!(url(&all[1..]).as_deref(), Some("http://generic.example"));
        assert_eq!(url(&all[2..]), None);
        assert_eq!(
            url(&[("AWS_ENDPOINT_URL_NEPTUNE", ""), all[1]]).as_deref(),
            Some("http://generic.example"),
            "an empty variable counts as unset"
        );
        let ignoring = [
            all[0],
            all[1],
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "True"),
        ];
        assert_eq!(url(&ignoring), None);
        let not_ignoring = [all[0], ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false")];
        assert_eq!(
            url(&not_ignoring).as_deref(),
            Some("http://service.example")
        );
        let code = EndpointSettings::new()
            .with_url("https://code.example")
            .with_env(Env::from_pairs(&ignoring));
        assert_eq!(
            builtins(&code).endpoint.as_deref(),
            Some("https://code.example"),
            "the ignore flag is about the environment only"
        );
    }

    const PROFILES: &str = "\
[profile both]
services = local
endpoint_url = http://profile.example
[profile global]
endpoint_url = http://profile.example
[profile ignoring]
services = local
endpoint_url = http://profile.example
ignore_configured_endpoint_urls = TRUE
[profile dangling]
services = absent
[profile bad-url]
services = bad
[profile bad-flag]
endpoint_url = http://profile.example
ignore_configured_endpoint_urls = yes
[profile secret]
endpoint_url = https://admin:hunter2@db.example
[services local]
neptune =
  endpoint_url = http://neptune.services.example
sso_oidc =
  endpoint_url = http://oidc.services.example
endpoint_url = http://not-under-a-service.example
[services bad]
neptune =
  endpoint_url = localhost:8182
";

    fn with_profile(name: &str, env: &[(&str, &str)]) -> EndpointSettings {
        EndpointSettings::new()
            .with_env(Env::from_pairs(env))
            .with_profile(&ProfileSet::parse("", PROFILES), name)
    }

    fn url_for(settings: &EndpointSettings, sdk_id: &str) -> Option<String> {
        settings
            .builtins("us-east-1", sdk_id)
            .expect("valid settings")
            .endpoint
    }

    #[test]
    fn profile_endpoint_precedence() {
        let service_var = ("AWS_ENDPOINT_URL_NEPTUNE", "http://service-var.example");
        let generic_var = ("AWS_ENDPOINT_URL", "http://generic-var.example");
        let both = |env: &[(&str, &str)]| url_for(&with_profile("both", env), "Neptune");
        assert_eq!(
            both(&[service_var, generic_var]).as_deref(),
            Some("http://service-var.example")
        );
        assert_eq!(
            both(&[generic_var]).as_deref(),
            Some("http://generic-var.example")
        );
        assert_eq!(
            both(&[]).as_deref(),
            Some("http://neptune.services.example")
        );
        // A service without an entry in the section falls back to the profile's URL.
        let settings = with_profile("both", &[]);
        assert_eq!(
            url_for(&settings, "SSO OIDC").as_deref(),
            Some("http://oidc.services.example")
        );
        assert_eq!(
            url_for(&settings, "STS").as_deref(),
            Some("http://profile.example")
        );
        assert_eq!(
            url_for(&with_profile("global", &[]), "Neptune").as_deref(),
            Some("http://profile.example")
        );
        // Code wins over everything.
        let code = with_profile("both", &[service_var]).with_url("http://code.example");
        assert_eq!(
            url_for(&code, "Neptune").as_deref(),
            Some("http://code.example")
        );
        // A profile the files lack, or none, contributes nothing.
        assert_eq!(url_for(&with_profile("absent", &[]), "Neptune"), None);
        let without_env =
            EndpointSettings::new().with_profile(&ProfileSet::parse("", PROFILES), "global");
        assert_eq!(
            url_for(&without_env, "Neptune").as_deref(),
            Some("http://profile.example"),
            "the profile is read without an environment too"
        );
    }

    #[test]
    fn ignoring_configured_endpoints() {
        let service_var = ("AWS_ENDPOINT_URL_NEPTUNE", "http://service-var.example");
        assert_eq!(url_for(&with_profile("ignoring", &[]), "Neptune"), None);
        assert_eq!(
            url_for(&with_profile("ignoring", &[service_var]), "Neptune"),
            None,
            "the profile's flag turns off the environment's URLs too"
        );
        let not_ignoring = [("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false")];
        assert_eq!(
            url_for(&with_profile("ignoring", &not_ignoring), "Neptune").as_deref(),
            Some("http://neptune.services.example"),
            "the variable wins over the profile's flag"
        );
        let ignoring = [("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")];
        assert_eq!(url_for(&with_profile("both", &ignoring), "Neptune"), None);
        let code = with_profile("ignoring", &[]).with_url("http://code.example");
        assert_eq!(
            url_for(&code, "Neptune").as_deref(),
            Some("http://code.example")
        );
        // The variable set to `false` also keeps a bad flag in the profile from being read.
        assert_eq!(
            url_for(&with_profile("bad-flag", &not_ignoring), "Neptune").as_deref(),
            Some("http://profile.example")
        );
    }

    #[test]
    fn profile_errors_say_where() {
        let e = error(&with_profile("dangling", &[]));
        assert_eq!(
            e.message(),
            "profile `dangling` names the services section `absent`, which is not in the config \
             file"
        );
        let e = error(&with_profile("bad-url", &[]));
        assert_eq!(
            e.message(),
            "the endpoint URL `localhost:8182` from `endpoint_url` under `neptune` in `[services \
             bad]` (profile `bad-url`) cannot be used: it does not start with `http://` or \
             `https://`"
        );
        let e = error(&with_profile("bad-flag", &[]));
        assert_eq!(
            e.message(),
            "`ignore_configured_endpoint_urls` of profile `bad-flag` is `yes`; expected `true` or \
             `false`"
        );
        let e = error(&with_profile("secret", &[]));
        assert!(
            e.message()
                .contains("`https://***@db.example` from `endpoint_url` of profile `secret`"),
            "{e}"
        );
        let printed = format!("{:?}", with_profile("secret", &[]));
        assert!(printed.contains("https://***@db.example"), "{printed}");
        assert!(!printed.contains("hunter2"), "{printed}");
        // Errors of the services section wait until it is needed.
        let env = [("AWS_ENDPOINT_URL", "http://generic-var.example")];
        assert_eq!(
            url_for(&with_profile("dangling", &env), "Neptune").as_deref(),
            Some("http://generic-var.example")
        );
    }

    #[test]
    fn service_keys_follow_the_sdk_id() {
        assert_eq!(service_config_key("Neptune"), "neptune");
        assert_eq!(service_config_key("SSO OIDC"), "sso_oidc");
        assert_eq!(
            service_config_key("Elastic Load Balancing v2"),
            "elastic_load_balancing_v2"
        );
        assert_eq!(service_config_key("neptune-graph"), "neptune_graph");
    }

    #[test]
    fn service_variables_follow_the_sdk_id() {
        assert_eq!(
            service_endpoint_url_var("Neptune"),
            "AWS_ENDPOINT_URL_NEPTUNE"
        );
        assert_eq!(
            service_endpoint_url_var("Elastic Load Balancing v2"),
            "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2"
        );
        assert_eq!(
            service_endpoint_url_var("neptune-graph"),
            "AWS_ENDPOINT_URL_NEPTUNE_GRAPH"
        );
    }

    #[test]
    fn flags_that_are_not_booleans() {
        let env = Env::from_pairs(&[("AWS_USE_FIPS_ENDPOINT", "yes")]);
        let e = error(&EndpointSettings::new().with_env(env));
        assert_eq!(
            e.message(),
            "`AWS_USE_FIPS_ENDPOINT` is `yes`; expected `true` or `false`"
        );
        let env = Env::from_pairs(&[("AWS_USE_FIPS_ENDPOINT", "yes")]);
        let set_in_code = EndpointSettings::new().with_env(env).with_use_fips(true);
        assert!(builtins(&set_in_code).use_fips, "the variable is not read");
        let env = Env::from_pairs(&[("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "1")]);
        let e = error(&EndpointSettings::new().with_env(env));
        assert!(
            e.message().contains("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"),
            "{e}"
        );
    }

    #[test]
    fn sts_global_endpoint_from_code_then_the_environment() {
        let sts = |settings: &EndpointSettings| {
            settings
                .builtins("eu-west-1", "STS")
                .map(|b| b.use_global_endpoint)
        };
        let env = |value: &str| Env::from_pairs(&[("AWS_STS_REGIONAL_ENDPOINTS", value)]);
        assert_eq!(
            sts(&EndpointSettings::new()),
            Ok(false),
            "regional by default"
        );
        assert_eq!(
            sts(&EndpointSettings::new().with_env(Env::from_pairs(&[]))),
            Ok(false)
        );
        assert_eq!(
            sts(&EndpointSettings::new().with_env(env("legacy"))),
            Ok(true)
        );
        assert_eq!(
            sts(&EndpointSettings::new().with_env(env(" Legacy "))),
            Ok(true)
        );
        assert_eq!(
            sts(&EndpointSettings::new().with_env(env("regional"))),
            Ok(false)
        );
        assert_eq!(
            sts(&EndpointSettings::new().with_use_global_endpoint(true)),
            Ok(true)
        );
        assert_eq!(
            sts(&EndpointSettings::new()
                .with_env(env("legacy"))
                .with_use_global_endpoint(false)),
            Ok(false),
            "code wins"
        );
        assert_eq!(
            sts(&EndpointSettings::new()
                .with_use_global_endpoint(true)
                .with_env(env("bogus"))),
            Ok(true),
            "the variable is not read when code sets the choice"
        );

        let e = sts(&EndpointSettings::new().with_env(env("global"))).unwrap_err();
        assert_eq!(e.kind(), EndpointErrorKind::Configuration);
        assert_eq!(
            e.message(),
            "`AWS_STS_REGIONAL_ENDPOINTS` is `global`; expected `legacy` or `regional`"
        );

        // After the variable, the profile's key.
        let profiles = ProfileSet::parse(
            "",
            "[profile old]\nsts_regional_endpoints = legacy\n[profile odd]\nsts_regional_endpoints = global\n",
        );
        let old = EndpointSettings::new().with_profile(&profiles, "old");
        assert_eq!(sts(&old), Ok(true));
        assert_eq!(
            sts(&old.clone().with_env(env("regional"))),
            Ok(false),
            "the variable wins"
        );
        let e = sts(&EndpointSettings::new().with_profile(&profiles, "odd")).unwrap_err();
        assert_eq!(
            e.message(),
            "`sts_regional_endpoints` of profile `odd` is `global`; expected `legacy` or `regional`"
        );

        // Other services neither read nor check the variable.
        let other = EndpointSettings::new()
            .with_env(env("global"))
            .with_use_global_endpoint(true);
        assert!(!builtins(&other).use_global_endpoint);
    }

    #[test]
    fn invalid_urls_say_why_and_where_from() {
        let e = error(&EndpointSettings::new().with_url("localhost:4566"));
        assert_eq!(
            e.message(),
            "the endpoint URL `localhost:4566` set in the configuration cannot be used: it does not \
             start with `http://` or `https://`"
        );
        let env = Env::from_pairs(&[("AWS_ENDPOINT_URL_NEPTUNE", "ftp://files.example")]);
        let e = error(&EndpointSettings::new().with_env(env));
        assert_eq!(
            e.message(),
            "the endpoint URL `ftp://files.example` from `AWS_ENDPOINT_URL_NEPTUNE` cannot be used: \
             its scheme is not `http` or `https`"
        );
        for (url, reason) in [
            ("https://", "it has no host"),
            ("http://:8080/", "it has no host"),
            (
                "http://localhost:port",
                "its port is not a number from 0 to 65535",
            ),
            ("https://example.com/?a=b", "it has a query or a fragment"),
        ] {
            let e = error(&EndpointSettings::new().with_url(url));
            assert!(e.message().ends_with(reason), "{url}: {e}");
        }
    }

    #[test]
    fn a_region_must_be_a_host_label() {
        for region in [
            "us-east-1",
            "  eu-west-3\n",
            "local",
            "a",
            &"x".repeat(63),
            "",
        ] {
            let b = EndpointSettings::new().builtins(region, "Neptune");
            assert_eq!(
                b.expect(region).region.as_deref(),
                Some(region.trim()).filter(|r| !r.is_empty())
            );
        }
        for region in [
            "attacker.example/x",
            "us-east-1.evil.com",
            "a b",
            "-us",
            "us-",
            "us_east_1",
            "east\u{1b}[2J",
            "ünï",
            &"x".repeat(64),
        ] {
            let e = error_for_region(region);
            assert_eq!(e.kind(), EndpointErrorKind::Configuration, "{region}");
            assert!(
                e.message().contains("doesn't match a supported format"),
                "{e}"
            );
            assert!(!e.message().contains('\u{1b}'), "{e}");
        }
    }

    fn error_for_region(region: &str) -> EndpointError {
        match EndpointSettings::new().builtins(region, "Neptune") {
            Ok(b) => panic!("{region:?} was accepted: {b:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn user_information_is_refused_and_never_printed() {
        let e = error(&EndpointSettings::new().with_url("https://admin:hunter2@db.example/x"));
        assert_eq!(
            e.message(),
            "the endpoint URL `https://***@db.example/x` set in the configuration cannot be used: it \
             contains user information, which an endpoint cannot carry"
        );
        let e = error(&EndpointSettings::new().with_url("ftp://admin:hunter2@db.example"));
        assert!(!e.message().contains("hunter2"), "{e}");
        assert!(!format!("{e:?}").contains("hunter2"));
        let settings = EndpointSettings::new().with_url("https://admin:hunter2@db.example");
        let printed = format!("{settings:?}");
        assert!(printed.contains("\"https://***@db.example\""), "{printed}");

        // A `/` in the password must not make the rest of it look like a path.
        for url in [
            "https://admin:hun/ter2@db.example",
            "http://admin:x/hunter2@db.example:80/",
        ] {
            let e = error(&EndpointSettings::new().with_url(url));
            assert!(e.message().contains("user information"), "{e}");
            assert!(
                !e.message().contains("ter2") && !e.message().contains("hunter2"),
                "{e}"
            );
            let printed = format!("{:?}", EndpointSettings::new().with_url(url));
            assert!(
                !printed.contains("ter2") && !printed.contains("hunter2"),
                "{printed}"
            );
        }
    }
}
