//! Where credentials come from: static keys, the environment, and the shared `~/.aws` files.
//!
//! Every source implements [`ProvideCredentials`]. [`DefaultChain`] tries the environment, then
//! the shared files, the way the AWS CLI and SDKs do for static keys. These sources never wait,
//! so their answer can be read without an async runtime:
//!
//! ```
//! use awsquery::credentials::{DefaultChain, ProvideCredentials};
//! use awsquery::env::Env;
//!
//! let env = Env::from_pairs(&[
//!     ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
//!     ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
//! ]);
//! let credentials = DefaultChain::with_env(env).provide().now_or_never().unwrap().unwrap();
//! assert_eq!(credentials.access_key_id(), "AKIDEXAMPLE");
//! ```
//!
//! In a program, give the chain itself to
//! [`Config::with_credentials_provider`](crate::client::Config::with_credentials_provider): the
//! client asks it before each attempt and fails with
//! [`SdkError::Credentials`](crate::client::SdkError::Credentials), before sending anything, when
//! it has nothing.
//!
//! Only static keys are read here, without I/O beyond the shared files. Profiles that assume a role,
//! use IAM Identity Center (SSO), run a `credential_process` or read a web identity token are
//! reported as unsupported rather than silently skipped: the `awsquery-config` crate has the whole
//! chain (its `ConfigLoader`), over tokio. Any other source implements [`ProvideCredentials`] (its
//! [`provide`](ProvideCredentials::provide) may be async); with the `aws-credential-types` feature,
//! the providers of `aws-config` plug in through `AwsSdkProvider`.
//!
//! Nothing in this module prints a secret access key or session token: [`Credentials`] redacts
//! them in Debug, [`Env`] prints variable names only, and [`CredentialsError`] names keys and files,
//! never values.

use std::collections::BTreeMap;
use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use crate::env::Env;
pub use crate::profile::{DEFAULT_PROFILE, Profiles, parse_profile_file};
use crate::profile::{ProfileFileError, ProfileSet, SharedFile, selected_profile};
use crate::sigv4::Credentials;

#[cfg(feature = "aws-credential-types")]
pub mod aws;
#[cfg(feature = "aws-credential-types")]
pub use aws::AwsSdkProvider;

/// A source of credentials, asked before each attempt of a call.
///
/// [`provide`](Self::provide) returns a [`ProvideFuture`]: sources that have their answer at hand
/// (static keys, the environment, the shared files) return [`ProvideFuture::ready`], which costs
/// no allocation and completes on its first poll; sources that need network I/O (STS, IMDS, SSO)
/// return [`ProvideFuture::new`] around an `async` block. Such a source is asked on every attempt,
/// so it should cache what it fetched until shortly before it expires.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Returns credentials, or why there are none.
    fn provide(&self) -> ProvideFuture<'_>;
}

/// Static keys provide themselves.
impl ProvideCredentials for Credentials {
    fn provide(&self) -> ProvideFuture<'_> {
        ProvideFuture::ready(Ok(self.clone()))
    }
}

impl<P: ProvideCredentials + ?Sized> ProvideCredentials for Box<P> {
    fn provide(&self) -> ProvideFuture<'_> {
        (**self).provide()
    }
}

impl<P: ProvideCredentials + ?Sized> ProvideCredentials for Arc<P> {
    fn provide(&self) -> ProvideFuture<'_> {
        (**self).provide()
    }
}

/// What [`ProvideCredentials::provide`] returns: a result already known, or a boxed future.
///
/// Debug shows which of the two it is, never the credentials.
#[must_use = "a ProvideFuture does nothing unless awaited"]
pub struct ProvideFuture<'a>(Pending<'a>);

enum Pending<'a> {
    /// Taken on the poll that returns it.
    Ready(Option<Result<Credentials, CredentialsError>>),
    Boxed(Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>),
}

impl<'a> ProvideFuture<'a> {
    /// A result known now: the future completes on its first poll, without allocating.
    pub fn ready(result: Result<Credentials, CredentialsError>) -> Self {
        ProvideFuture(Pending::Ready(Some(result)))
    }

    /// A result that takes I/O to get.
    pub fn new(
        future: impl Future<Output = Result<Credentials, CredentialsError>> + Send + 'a,
    ) -> Self {
        ProvideFuture(Pending::Boxed(Box::pin(future)))
    }

    /// The result if it is available without waiting, else `None` (and the work is dropped).
    ///
    /// The sources of this module never wait, so code without an async runtime can read them
    /// this way: `DefaultChain::new().provide().now_or_never()` is always `Some`.
    pub fn now_or_never(mut self) -> Option<Result<Credentials, CredentialsError>> {
        self.poll_now()
    }

    /// Polls once without a waker to notify: the result if it is there, else `None`, leaving the
    /// future to be awaited.
    fn poll_now(&mut self) -> Option<Result<Credentials, CredentialsError>> {
        match Pin::new(self).poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(result) => Some(result),
            Poll::Pending => None,
        }
    }
}

impl Future for ProvideFuture<'_> {
    type Output = Result<Credentials, CredentialsError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut self.get_mut().0 {
            Pending::Ready(result) => Poll::Ready(
                result
                    .take()
                    .expect("a ProvideFuture is not polled after it completed"),
            ),
            Pending::Boxed(future) => future.as_mut().poll(cx),
        }
    }
}

impl fmt::Debug for ProvideFuture<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.0 {
            Pending::Ready(Some(Ok(_))) => "ProvideFuture(ready: credentials)",
            Pending::Ready(Some(Err(_))) => "ProvideFuture(ready: error)",
            Pending::Ready(None) => "ProvideFuture(done)",
            Pending::Boxed(_) => "ProvideFuture(pending)",
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// Why a source gave no credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialsErrorKind {
    /// The source has nothing: variables unset, no such profile. A chain moves on to the next
    /// source.
    NotFound,
    /// The source is half configured: an access key id without a secret, or a profile without
    /// keys. A chain stops here rather than use another identity.
    Incomplete,
    /// The source is configured for something this crate does not do (assume role, SSO,
    /// `credential_process`, web identity). A chain stops here.
    Unsupported,
    /// A shared file exists but cannot be read.
    Io,
    /// The configuration is wrong: a profile chain that loops, a value that does not parse, a
    /// setting the source requires missing. A chain stops here.
    InvalidConfiguration,
    /// A custom source failed.
    Provider,
}

/// Why no credentials could be provided, with every source that was tried.
///
/// Display lists each source and why it failed; it names variables, keys and files, never a
/// secret.
#[derive(Debug)]
pub struct CredentialsError {
    attempts: Vec<Attempt>,
}

#[derive(Debug)]
struct Attempt {
    source: String,
    kind: CredentialsErrorKind,
    reason: String,
    cause: Option<Box<dyn StdError + Send + Sync + 'static>>,
}

impl CredentialsError {
    /// A failure of the source named `source` (e.g. `"environment"`), for `reason`.
    ///
    /// The reason is shown to users: it must not contain a secret.
    pub fn new(
        kind: CredentialsErrorKind,
        source: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        CredentialsError {
            attempts: vec![Attempt {
                source: source.into(),
                kind,
                reason: reason.into(),
                cause: None,
            }],
        }
    }

    /// Attaches the underlying error, returned by [`StdError::source`] and shown after the reason.
    pub fn with_cause(
        mut self,
        cause: impl Into<Box<dyn StdError + Send + Sync + 'static>>,
    ) -> Self {
        if let Some(last) = self.attempts.last_mut() {
            last.cause = Some(cause.into());
        }
        self
    }

    /// What went wrong with the last source tried: [`NotFound`](CredentialsErrorKind::NotFound)
    /// when every source came up empty.
    pub fn kind(&self) -> CredentialsErrorKind {
        self.last().kind
    }

    /// The names of the sources tried, in order.
    pub fn sources_tried(&self) -> impl Iterator<Item = &str> + '_ {
        self.attempts.iter().map(|a| a.source.as_str())
    }

    fn last(&self) -> &Attempt {
        self.attempts
            .last()
            .expect("a credentials error records at least one attempt")
    }

    /// Appends `later`'s attempts after this error's: a chain reports every source it tried.
    pub fn then(mut self, later: CredentialsError) -> Self {
        self.attempts.extend(later.attempts);
        self
    }
}

impl From<ProfileFileError> for CredentialsError {
    fn from(e: ProfileFileError) -> Self {
        let reason = e.to_string();
        CredentialsError::new(CredentialsErrorKind::Io, "shared files", reason).with_cause(e.source)
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind() {
            CredentialsErrorKind::NotFound => f.write_str("no AWS credentials found")?,
            _ => f.write_str("AWS credentials could not be loaded")?,
        }
        for (i, attempt) in self.attempts.iter().enumerate() {
            f.write_str(if i == 0 { ": " } else { "; " })?;
            write!(f, "{}: {}", attempt.source, attempt.reason)?;
            if let Some(cause) = &attempt.cause {
                write!(f, " ({cause})")?;
            }
        }
        Ok(())
    }
}

impl StdError for CredentialsError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match &self.last().cause {
            Some(cause) => Some(&**cause),
            None => None,
        }
    }
}

/// The suggestion shown when a profile needs a source this crate lacks.
const PLUG_A_PROVIDER: &str = "use the chain of the `awsquery-config` crate, which supports it \
     (`awsquery_config::ConfigLoader`), or pass another `ProvideCredentials` to \
     `Config::with_credentials_provider`";

// ---------------------------------------------------------------------------------------------
// Environment
// ---------------------------------------------------------------------------------------------

const ACCESS_KEY_ID_VAR: &str = "AWS_ACCESS_KEY_ID";
const SECRET_ACCESS_KEY_VAR: &str = "AWS_SECRET_ACCESS_KEY";
const SESSION_TOKEN_VAR: &str = "AWS_SESSION_TOKEN";

/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and, for temporary credentials,
/// `AWS_SESSION_TOKEN`.
///
/// Neither key set is [`NotFound`](CredentialsErrorKind::NotFound); only one of them set is
/// [`Incomplete`](CredentialsErrorKind::Incomplete).
#[derive(Debug, Clone, Default)]
pub struct EnvironmentCredentials {
    env: Env,
}

impl EnvironmentCredentials {
    /// Reads the process environment.
    pub fn new() -> Self {
        Self::with_env(Env::process())
    }

    /// Reads `env`.
    pub fn with_env(env: Env) -> Self {
        EnvironmentCredentials { env }
    }
}

impl ProvideCredentials for EnvironmentCredentials {
    fn provide(&self) -> ProvideFuture<'_> {
        ProvideFuture::ready(self.read())
    }
}

impl EnvironmentCredentials {
    fn read(&self) -> Result<Credentials, CredentialsError> {
        let id = self.env.get(ACCESS_KEY_ID_VAR);
        let secret = self.env.get(SECRET_ACCESS_KEY_VAR);
        let fail = |kind, reason: String| Err(CredentialsError::new(kind, "environment", reason));
        match (id, secret) {
            (Some(id), Some(secret)) => Ok(Credentials::new(
                id,
                secret,
                self.env.get(SESSION_TOKEN_VAR),
            )),
            (None, None) => fail(
                CredentialsErrorKind::NotFound,
                format!("{ACCESS_KEY_ID_VAR} and {SECRET_ACCESS_KEY_VAR} are not set"),
            ),
            (Some(_), None) => fail(
                CredentialsErrorKind::Incomplete,
                format!("{ACCESS_KEY_ID_VAR} is set but {SECRET_ACCESS_KEY_VAR} is not"),
            ),
            (None, Some(_)) => fail(
                CredentialsErrorKind::Incomplete,
                format!("{SECRET_ACCESS_KEY_VAR} is set but {ACCESS_KEY_ID_VAR} is not"),
            ),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Shared files
// ---------------------------------------------------------------------------------------------

/// Profile keys that select a credential source other than static keys.
const UNSUPPORTED_KEYS: &[&str] = &[
    "role_arn",
    "source_profile",
    "credential_source",
    "web_identity_token_file",
    "credential_process",
];

/// Static keys from a profile of the shared files.
///
/// The profile is `AWS_PROFILE`, else `default`, unless set with [`profile`](Self::profile). Its
/// properties come from `[profile name]` (or `[default]`) in the config file and `[name]` in the
/// credentials file; where both set a key, the credentials file wins. Keys read:
/// `aws_access_key_id`, `aws_secret_access_key`, `aws_session_token`.
///
/// A profile that is in neither file is [`NotFound`](CredentialsErrorKind::NotFound). A profile
/// without both keys is [`Incomplete`](CredentialsErrorKind::Incomplete). A profile that assumes a
/// role, uses SSO, a `credential_process` or a web identity token is
/// [`Unsupported`](CredentialsErrorKind::Unsupported), even if it also has static keys, so that
/// requests are never signed as an identity other than the one the profile asks for.
#[derive(Debug, Clone, Default)]
pub struct ProfileCredentials {
    env: Env,
    profile: Option<String>,
}

impl ProfileCredentials {
    /// Reads the process environment to find the files and the profile.
    pub fn new() -> Self {
        Self::with_env(Env::process())
    }

    /// Reads `env` to find the files and the profile.
    pub fn with_env(env: Env) -> Self {
        ProfileCredentials { env, profile: None }
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
}

impl ProvideCredentials for ProfileCredentials {
    fn provide(&self) -> ProvideFuture<'_> {
        ProvideFuture::ready(self.read())
    }
}

impl ProfileCredentials {
    fn read(&self) -> Result<Credentials, CredentialsError> {
        let name = self.profile_name();
        let source = format!("profile `{name}`");
        let fail = |kind, reason: String| Err(CredentialsError::new(kind, source.clone(), reason));

        let profiles = ProfileSet::load(&self.env)?;
        let Some(profile) = profiles.profile(&name) else {
            return fail(
                CredentialsErrorKind::NotFound,
                format!(
                    "not in the credentials file {} nor the config file {}",
                    profiles.describe(SharedFile::Credentials),
                    profiles.describe(SharedFile::Config)
                ),
            );
        };
        let properties: BTreeMap<&str, &str> = profile
            .keys()
            .filter_map(|k| Some((k, profile.get(k)?)))
            .collect();

        let unsupported: Vec<&str> = properties
            .keys()
            .copied()
            .filter(|k| UNSUPPORTED_KEYS.contains(k) || k.starts_with("sso_"))
            .collect();
        if !unsupported.is_empty() {
            let keys = unsupported
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ");
            return fail(
                CredentialsErrorKind::Unsupported,
                format!(
                    "sets {keys}, a credential source not supported here (only static keys are); \
                     {PLUG_A_PROVIDER}"
                ),
            );
        }

        let get = |key: &str| properties.get(key).map(|v| (*v).to_owned());
        match (get("aws_access_key_id"), get("aws_secret_access_key")) {
            (Some(id), Some(secret)) => Ok(Credentials::new(id, secret, get("aws_session_token"))),
            (id, secret) => {
                let missing = match (id, secret) {
                    (None, None) => "`aws_access_key_id` and `aws_secret_access_key`",
                    (None, Some(_)) => "`aws_access_key_id`",
                    _ => "`aws_secret_access_key`",
                };
                fail(
                    CredentialsErrorKind::Incomplete,
                    format!(
                        "has no {missing}; credential sources other than static keys are \
                         not supported here; to use one, {PLUG_A_PROVIDER}"
                    ),
                )
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Chain
// ---------------------------------------------------------------------------------------------

/// The usual order: [`EnvironmentCredentials`], then [`ProfileCredentials`], then any sources
/// added with [`or_else`](Self::or_else).
///
/// A source that has nothing ([`NotFound`](CredentialsErrorKind::NotFound)) passes to the next;
/// any other failure ends the search, so that a half-configured source is reported rather than
/// replaced by another identity. The error lists every source tried.
#[derive(Debug)]
pub struct DefaultChain {
    sources: Vec<Box<dyn ProvideCredentials>>,
}

impl DefaultChain {
    /// The chain over the process environment.
    pub fn new() -> Self {
        Self::with_env(Env::process())
    }

    /// The chain over `env`.
    pub fn with_env(env: Env) -> Self {
        DefaultChain {
            sources: vec![
                Box::new(EnvironmentCredentials::with_env(env.clone())),
                Box::new(ProfileCredentials::with_env(env)),
            ],
        }
    }

    /// Tries `source` after the sources already in the chain.
    pub fn or_else(mut self, source: impl ProvideCredentials + 'static) -> Self {
        self.sources.push(Box::new(source));
        self
    }
}

impl Default for DefaultChain {
    fn default() -> Self {
        Self::new()
    }
}

impl ProvideCredentials for DefaultChain {
    /// Asks the sources in order. While they answer at once, so does the chain (no allocation
    /// beyond what the sources do); from the first source that has to wait, the rest of the
    /// search continues in a boxed future.
    fn provide(&self) -> ProvideFuture<'_> {
        let mut search = Search::default();
        for (i, source) in self.sources.iter().enumerate() {
            let mut answer = source.provide();
            match answer.poll_now() {
                Some(result) => {
                    if let Some(done) = search.step(result) {
                        return ProvideFuture::ready(done);
                    }
                }
                None => {
                    let rest = &self.sources[i + 1..];
                    return ProvideFuture::new(async move {
                        if let Some(done) = search.step(answer.await) {
                            return done;
                        }
                        for source in rest {
                            if let Some(done) = search.step(source.provide().await) {
                                return done;
                            }
                        }
                        search.finish()
                    });
                }
            }
        }
        ProvideFuture::ready(search.finish())
    }
}

/// The failures of a chain's search so far.
#[derive(Default)]
struct Search {
    failed: Option<CredentialsError>,
}

impl Search {
    /// Takes one source's answer: `Some` ends the search (credentials, or a failure other than
    /// [`NotFound`](CredentialsErrorKind::NotFound), reported with the earlier ones), `None` moves on.
    fn step(
        &mut self,
        answer: Result<Credentials, CredentialsError>,
    ) -> Option<Result<Credentials, CredentialsError>> {
        let e = match answer {
            Ok(credentials) => return Some(Ok(credentials)),
            Err(e) => e,
        };
        let stop = e.kind() != CredentialsErrorKind::NotFound;
        let all = match self.failed.take() {
            Some(before) => before.then(e),
            None => e,
        };
        if stop {
            return Some(Err(all));
        }
        self.failed = Some(all);
        None
    }

    /// Every source came up empty.
    fn finish(self) -> Result<Credentials, CredentialsError> {
        Err(self.failed.unwrap_or_else(|| {
            CredentialsError::new(
                CredentialsErrorKind::NotFound,
                "chain",
                "no credential sources",
            )
        }))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use awsquery_testing::client::block_on;

    use std::fs;
    use std::io;
    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicUsize, Ordering};

    pub(crate) const ACCESS: &str = "AKIDEXAMPLE";
    pub(crate) const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    pub(crate) const TOKEN: &str = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN";

    /// A scratch home directory with an `.aws` folder, removed on drop.
    pub(crate) struct TempHome {
        root: PathBuf,
    }

    impl TempHome {
        pub(crate) fn new() -> Self {
            static COUNTER: AtomicUsize = AtomicUsize::new(0);
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0);
            let root = std::env::temp_dir().join(format!(
                "awsquery-credentials-test-{}-{}-{}",
                std::process::id(),
                nanos,
                COUNTER.fetch_add(1, Ordering::Relaxed)
            ));
            fs::create_dir_all(root.join(".aws")).unwrap();
            TempHome { root }
        }

        pub(crate) fn path(&self) -> &Path {
            &self.root
        }

        pub(crate) fn home(&self) -> String {
            self.root.to_str().unwrap().to_owned()
        }

        /// Writes `~/.aws/<name>` (or any relative path).
        pub(crate) fn write(&self, relative: &str, text: &str) -> PathBuf {
            let path = self.root.join(relative);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, text).unwrap();
            path
        }

        pub(crate) fn credentials(&self, text: &str) -> PathBuf {
            self.write(".aws/credentials", text)
        }

        pub(crate) fn config(&self, text: &str) -> PathBuf {
            self.write(".aws/config", text)
        }

        /// An environment with `HOME` here, plus `extra`.
        pub(crate) fn env(&self, extra: &[(&str, &str)]) -> Env {
            let home = self.home();
            let mut pairs = vec![("HOME", home.as_str())];
            pairs.extend_from_slice(extra);
            Env::from_pairs(&pairs)
        }
    }

    impl Drop for TempHome {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.root);
        }
    }

    /// Reads a source that never waits, as every source of this module.
    pub(crate) trait ProvideNow {
        fn provide_now(&self) -> Result<Credentials, CredentialsError>;
    }

    impl<P: ProvideCredentials + ?Sized> ProvideNow for P {
        fn provide_now(&self) -> Result<Credentials, CredentialsError> {
            self.provide()
                .now_or_never()
                .expect("the source answers without waiting")
        }
    }

    pub(crate) fn assert_no_secret(text: &str) {
        assert!(!text.contains(SECRET), "secret key leaked: {text}");
        assert!(!text.contains(TOKEN), "session token leaked: {text}");
    }

    fn assert_error_has_no_secret(e: &CredentialsError) {
        assert_no_secret(&e.to_string());
        assert_no_secret(&format!("{e:?}"));
    }

    fn static_profile(name_line: &str) -> String {
        format!(
            "{name_line}\naws_access_key_id = {ACCESS}\naws_secret_access_key = {SECRET}\n\
             aws_session_token = {TOKEN}\n"
        )
    }

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|&(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    // ---- parser ----------------------------------------------------------------------------

    #[test]
    fn parses_sections_keys_and_comments() {
        let text = "\
# leading comment
; another comment
[default]
aws_access_key_id=AK1
aws_secret_access_key   =   S1   

   # indented comment
[work]
Region = eu-west-1
AWS_Session_Token = T
";
        let profiles = parse_profile_file(text, false);
        assert_eq!(profiles.len(), 2);
        assert_eq!(
            profiles["default"],
            map(&[
                ("aws_access_key_id", "AK1"),
                ("aws_secret_access_key", "S1")
            ])
        );
        assert_eq!(
            profiles["work"],
            map(&[("region", "eu-west-1"), ("aws_session_token", "T")])
        );
    }

    #[test]
    fn values_keep_equals_and_hash_signs() {
        let text = "[a]\nk = x=y#z;w\nempty =\n";
        let profiles = parse_profile_file(text, false);
        assert_eq!(profiles["a"], map(&[("k", "x=y#z;w"), ("empty", "")]));
    }

    #[test]
    fn config_sections_need_the_profile_prefix() {
        let text = "\
[profile dev]
region = us-west-2
[profile   spaced  ]
region = a
[profile\ttabbed]
region = b
[plain]
region = dropped
[profile]
region = dropped
[profilex]
region = dropped
[sso-session corp]
sso_region = dropped
[services local]
region = dropped
[default]
region = us-east-1
";
        let profiles = parse_profile_file(text, true);
        let names: Vec<&str> = profiles.keys().map(String::as_str).collect();
        assert_eq!(names, ["default", "dev", "spaced", "tabbed"]);
        assert_eq!(profiles["dev"]["region"], "us-west-2");
        assert_eq!(profiles["spaced"]["region"], "a");
        assert_eq!(profiles["tabbed"]["region"], "b");
        assert_eq!(profiles["default"]["region"], "us-east-1");
    }

    #[test]
    fn credentials_file_names_sections_literally() {
        let text = "[profile dev]\nk = 1\n[dev]\nk = 2\n[default]\nk = 3\n";
        let profiles = parse_profile_file(text, false);
        assert_eq!(profiles["profile dev"]["k"], "1");
        assert_eq!(profiles["dev"]["k"], "2");
        assert_eq!(profiles["default"]["k"], "3");
    }

    #[test]
    fn profile_default_beats_bare_default_in_config() {
        for text in [
            "[default]\nregion = bare\nonly_bare = 1\n[profile default]\nregion = prefixed\n",
            "[profile default]\nregion = prefixed\n[default]\nregion = bare\nonly_bare = 1\n",
        ] {
            let profiles = parse_profile_file(text, true);
            assert_eq!(
                profiles["default"],
                map(&[("region", "prefixed")]),
                "{text}"
            );
        }
        let profiles = parse_profile_file("[default]\nregion = bare\n", true);
        assert_eq!(profiles["default"]["region"], "bare");
    }

    #[test]
    fn duplicate_sections_merge_and_later_keys_win() {
        let text = "[a]\nx = 1\ny = 1\n[b]\nz = 1\n[a]\ny = 2\nY = 3\n";
        let profiles = parse_profile_file(text, false);
        assert_eq!(profiles["a"], map(&[("x", "1"), ("y", "3")]));
        let text = "[default]\nx = 1\n[default]\nx = 2\ny = 2\n";
        assert_eq!(
            parse_profile_file(text, true)["default"],
            map(&[("x", "2"), ("y", "2")])
        );
    }

    #[test]
    fn sub_sections_are_skipped() {
        let text = "\
[profile dev]
s3 =
  max_concurrent_requests = 20

  addressing_style = path
\t# comment inside
region = us-west-2
ec2 =
\tendpoint_url = http://localhost
[profile other]
k = v
";
        let profiles = parse_profile_file(text, true);
        assert_eq!(
            profiles["dev"],
            map(&[("s3", ""), ("region", "us-west-2"), ("ec2", "")])
        );
        assert_eq!(profiles["other"], map(&[("k", "v")]));
    }

    #[test]
    fn continuation_lines_extend_a_value() {
        let text = "[a]\nk = first\n  second\n\tthird\nnext = 1\n";
        let profiles = parse_profile_file(text, false);
        assert_eq!(profiles["a"]["k"], "first\nsecond\nthird");
        assert_eq!(profiles["a"]["next"], "1");
    }

    #[test]
    fn indented_lines_without_a_property_above_are_ordinary() {
        let text = "  [a]\n  k = v\n";
        assert_eq!(parse_profile_file(text, false)["a"], map(&[("k", "v")]));
    }

    #[test]
    fn header_comments_and_malformed_headers() {
        let text = "\
[a] # comment
k = 1
[b] ; comment
k = 2
[c] trailing
k = dropped
[d
k = dropped
[]
k = dropped
[e]
";
        let profiles = parse_profile_file(text, false);
        let names: Vec<&str> = profiles.keys().map(String::as_str).collect();
        assert_eq!(names, ["a", "b", "e"]);
        assert!(profiles["e"].is_empty());
    }

    #[test]
    fn stray_lines_are_dropped() {
        let text = "k = before any section\n[a]\nno equals sign\n= no key\nk = v\n";
        let profiles = parse_profile_file(text, false);
        assert_eq!(profiles.len(), 1);
        assert_eq!(profiles["a"], map(&[("k", "v")]));
    }

    #[test]
    fn crlf_and_byte_order_mark() {
        let text = "\u{feff}[a]\r\nk = v\r\n  more\r\n";
        assert_eq!(parse_profile_file(text, false)["a"]["k"], "v\nmore");
        assert!(parse_profile_file("", true).is_empty());
    }

    // ---- Env -------------------------------------------------------------------------------

    #[test]
    fn env_from_pairs() {
        let env = Env::from_pairs(&[("A", "1"), ("EMPTY", ""), ("A", "2")]);
        assert_eq!(env.get("A").as_deref(), Some("2"));
        assert_eq!(env.get("EMPTY"), None);
        assert_eq!(env.get("MISSING"), None);
    }

    #[test]
    fn env_debug_shows_names_only() {
        let env = Env::from_pairs(&[
            ("AWS_SECRET_ACCESS_KEY", SECRET),
            ("AWS_SESSION_TOKEN", TOKEN),
        ]);
        let debug = format!("{env:?}");
        assert!(debug.contains("AWS_SECRET_ACCESS_KEY"), "{debug}");
        assert_no_secret(&debug);
        assert_eq!(format!("{:?}", Env::process()), "Env(process)");
    }

    #[test]
    fn env_process_reads_without_writing() {
        assert_eq!(
            Env::process().get("AWSQUERY_TEST_VARIABLE_THAT_IS_NEVER_SET_4F1C"),
            None
        );
        let expected = std::env::var("PATH").ok().filter(|v| !v.is_empty());
        assert_eq!(Env::process().get("PATH"), expected);
    }

    // ---- static and environment ------------------------------------------------------------

    #[test]
    fn static_credentials_provide_themselves() {
        let c = Credentials::new(ACCESS, SECRET, Some(TOKEN.to_owned()));
        let got = c.provide_now().unwrap();
        assert_eq!(got.access_key_id(), ACCESS);
        assert_eq!(got.secret_access_key(), SECRET);
        assert_eq!(got.session_token(), Some(TOKEN));
        let boxed: Box<dyn ProvideCredentials> = Box::new(c.clone());
        assert_eq!(boxed.provide_now().unwrap().access_key_id(), ACCESS);
        let shared: Arc<dyn ProvideCredentials> = Arc::new(c);
        assert_eq!(shared.provide_now().unwrap().access_key_id(), ACCESS);
        assert_no_secret(&format!("{boxed:?} {shared:?}"));
    }

    #[test]
    fn environment_with_and_without_token() {
        let env = Env::from_pairs(&[
            ("AWS_ACCESS_KEY_ID", ACCESS),
            ("AWS_SECRET_ACCESS_KEY", SECRET),
            ("AWS_SESSION_TOKEN", TOKEN),
        ]);
        let provider = EnvironmentCredentials::with_env(env);
        let c = provider.provide_now().unwrap();
        assert_eq!(c.access_key_id(), ACCESS);
        assert_eq!(c.secret_access_key(), SECRET);
        assert_eq!(c.session_token(), Some(TOKEN));
        assert_no_secret(&format!("{provider:?} {c:?}"));

        for token in [None, Some("")] {
            let mut pairs = vec![
                ("AWS_ACCESS_KEY_ID", ACCESS),
                ("AWS_SECRET_ACCESS_KEY", SECRET),
            ];
            if let Some(t) = token {
                pairs.push(("AWS_SESSION_TOKEN", t));
            }
            let c = EnvironmentCredentials::with_env(Env::from_pairs(&pairs))
                .provide_now()
                .unwrap();
            assert_eq!(c.session_token(), None);
        }
    }

    #[test]
    fn environment_empty_values_count_as_unset() {
        let env = Env::from_pairs(&[
            ("AWS_ACCESS_KEY_ID", ""),
            ("AWS_SECRET_ACCESS_KEY", ""),
            ("AWS_SESSION_TOKEN", TOKEN),
        ]);
        let e = EnvironmentCredentials::with_env(env)
            .provide_now()
            .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::NotFound);
        assert_eq!(
            e.to_string(),
            "no AWS credentials found: environment: AWS_ACCESS_KEY_ID and \
             AWS_SECRET_ACCESS_KEY are not set"
        );
        assert_error_has_no_secret(&e);
    }

    #[test]
    fn environment_half_set_is_incomplete() {
        let env = Env::from_pairs(&[("AWS_ACCESS_KEY_ID", ACCESS), ("AWS_SECRET_ACCESS_KEY", "")]);
        let e = EnvironmentCredentials::with_env(env)
            .provide_now()
            .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Incomplete);
        assert!(
            e.to_string().contains("AWS_SECRET_ACCESS_KEY is not"),
            "{e}"
        );

        let env = Env::from_pairs(&[("AWS_SECRET_ACCESS_KEY", SECRET)]);
        let e = EnvironmentCredentials::with_env(env)
            .provide_now()
            .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Incomplete);
        assert!(e.to_string().contains("AWS_ACCESS_KEY_ID is not"), "{e}");
        assert_error_has_no_secret(&e);
    }

    // ---- profiles --------------------------------------------------------------------------

    #[test]
    fn profile_from_credentials_file_default() {
        let home = TempHome::new();
        home.credentials(&static_profile("[default]"));
        let provider = ProfileCredentials::with_env(home.env(&[]));
        assert_eq!(provider.profile_name(), "default");
        let c = provider.provide_now().unwrap();
        assert_eq!(c.access_key_id(), ACCESS);
        assert_eq!(c.secret_access_key(), SECRET);
        assert_eq!(c.session_token(), Some(TOKEN));
        assert_no_secret(&format!("{provider:?} {c:?}"));
    }

    #[test]
    fn profile_selected_by_aws_profile_or_builder() {
        let home = TempHome::new();
        home.credentials(
            "[default]\naws_access_key_id = D\naws_secret_access_key = DS\n\
             [work]\naws_access_key_id = W\naws_secret_access_key = WS\n\
             [profile work]\naws_access_key_id = PW\naws_secret_access_key = PWS\n",
        );
        let env = home.env(&[("AWS_PROFILE", "work")]);
        let c = ProfileCredentials::with_env(env.clone())
            .provide_now()
            .unwrap();
        assert_eq!(c.access_key_id(), "W");
        assert_eq!(c.session_token(), None);
        let c = ProfileCredentials::with_env(env.clone())
            .profile("default")
            .provide_now()
            .unwrap();
        assert_eq!(c.access_key_id(), "D");
        let c = ProfileCredentials::with_env(env)
            .profile("profile work")
            .provide_now()
            .unwrap();
        assert_eq!(c.access_key_id(), "PW");
        let env = home.env(&[("AWS_PROFILE", "")]);
        assert_eq!(ProfileCredentials::with_env(env).profile_name(), "default");
    }

    #[test]
    fn profile_from_config_file() {
        let home = TempHome::new();
        home.config(&format!(
            "{}[dev]\naws_access_key_id = WRONG\n{}",
            static_profile("[default]"),
            "[profile dev]\naws_access_key_id = DEV\naws_secret_access_key = DEVS\n"
        ));
        let c = ProfileCredentials::with_env(home.env(&[]))
            .provide_now()
            .unwrap();
        assert_eq!(c.access_key_id(), ACCESS);
        assert_eq!(c.session_token(), Some(TOKEN));
        let c = ProfileCredentials::with_env(home.env(&[("AWS_PROFILE", "dev")]))
            .provide_now()
            .unwrap();
        assert_eq!(c.access_key_id(), "DEV");
        assert_eq!(c.secret_access_key(), "DEVS");
    }

    #[test]
    fn config_section_without_prefix_is_not_a_profile() {
        let home = TempHome::new();
        home.config("[dev]\naws_access_key_id = A\naws_secret_access_key = S\n");
        let e = ProfileCredentials::with_env(home.env(&[("AWS_PROFILE", "dev")]))
            .provide_now()
            .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::NotFound);
    }

    #[test]
    fn credentials_file_wins_over_config() {
        let home = TempHome::new();
        home.credentials("[dev]\naws_access_key_id = FROM_CREDS\naws_secret_access_key = CS\n");
        home.config(
            "[profile dev]\naws_access_key_id = FROM_CONFIG\naws_secret_access_key = XS\n\
             aws_session_token = CONFIG_TOKEN\nregion = us-east-2\n",
        );
        let c = ProfileCredentials::with_env(home.env(&[("AWS_PROFILE", "dev")]))
            .provide_now()
            .unwrap();
        assert_eq!(c.access_key_id(), "FROM_CREDS");
        assert_eq!(c.secret_access_key(), "CS");
        assert_eq!(c.session_token(), Some("CONFIG_TOKEN"));
    }

    #[test]
    fn empty_values_in_credentials_file_do_not_hide_config() {
        let home = TempHome::new();
        home.credentials("[default]\naws_access_key_id =\naws_secret_access_key =\n");
        home.config("[default]\naws_access_key_id = A\naws_secret_access_key = S\n");
        let c = ProfileCredentials::with_env(home.env(&[]))
            .provide_now()
            .unwrap();
        assert_eq!(c.access_key_id(), "A");
    }

    #[test]
    fn file_paths_from_environment() {
        let home = TempHome::new();
        home.credentials("[default]\naws_access_key_id = HOME_FILE\naws_secret_access_key = S\n");
        let creds = home.write(
            "elsewhere/creds",
            "[default]\naws_access_key_id = OVERRIDE\naws_secret_access_key = S\n",
        );
        let env = home.env(&[("AWS_SHARED_CREDENTIALS_FILE", creds.to_str().unwrap())]);
        let c = ProfileCredentials::with_env(env).provide_now().unwrap();
        assert_eq!(c.access_key_id(), "OVERRIDE");

        let config = home.write(
            "elsewhere/conf",
            "[profile x]\naws_access_key_id = CONF\naws_secret_access_key = S\n",
        );
        let env = home.env(&[
            ("AWS_CONFIG_FILE", config.to_str().unwrap()),
            ("AWS_PROFILE", "x"),
        ]);
        let c = ProfileCredentials::with_env(env).provide_now().unwrap();
        assert_eq!(c.access_key_id(), "CONF");

        let env = home.env(&[("AWS_SHARED_CREDENTIALS_FILE", "~/elsewhere/creds")]);
        let c = ProfileCredentials::with_env(env).provide_now().unwrap();
        assert_eq!(c.access_key_id(), "OVERRIDE");
    }

    #[test]
    fn home_from_userprofile() {
        let home = TempHome::new();
        home.credentials("[default]\naws_access_key_id = UP\naws_secret_access_key = S\n");
        let env = Env::from_pairs(&[("HOME", ""), ("USERPROFILE", &home.home())]);
        let c = ProfileCredentials::with_env(env).provide_now().unwrap();
        assert_eq!(c.access_key_id(), "UP");
    }

    #[test]
    fn missing_profile_lists_the_files() {
        let home = TempHome::new();
        home.credentials("[other]\naws_access_key_id = A\naws_secret_access_key = S\n");
        let e = ProfileCredentials::with_env(home.env(&[("AWS_PROFILE", "nope")]))
            .provide_now()
            .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::NotFound);
        let text = e.to_string();
        assert!(text.contains("profile `nope`"), "{text}");
        assert!(text.contains(".aws"), "{text}");
        assert!(text.contains("(missing)"), "{text}");

        let e = ProfileCredentials::with_env(Env::from_pairs(&[]))
            .provide_now()
            .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::NotFound);
        assert!(e.to_string().contains("HOME, USERPROFILE"), "{e}");
    }

    #[test]
    fn profile_without_keys_suggests_a_provider() {
        let home = TempHome::new();
        home.config("[default]\nregion = us-east-1\n");
        let e = ProfileCredentials::with_env(home.env(&[]))
            .provide_now()
            .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Incomplete);
        let text = e.to_string();
        assert!(
            text.contains("`aws_access_key_id` and `aws_secret_access_key`"),
            "{text}"
        );
        assert!(text.contains("not supported here"), "{text}");
        assert!(text.contains("ProvideCredentials"), "{text}");

        home.credentials(&format!("[default]\naws_secret_access_key = {SECRET}\n"));
        let e = ProfileCredentials::with_env(home.env(&[]))
            .provide_now()
            .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Incomplete);
        assert!(e.to_string().contains("has no `aws_access_key_id`;"), "{e}");
        assert_error_has_no_secret(&e);
    }

    #[test]
    fn unsupported_sources_are_reported_without_values() {
        let cases = [
            ("role_arn", "arn:aws:iam::123456789012:role/r"),
            ("source_profile", "base"),
            ("credential_source", "Ec2InstanceMetadata"),
            ("web_identity_token_file", "/var/token"),
            ("credential_process", "/bin/get-creds --secret SECRETARG"),
            ("sso_session", "corp"),
            ("sso_start_url", "https://corp.awsapps.com/start"),
        ];
        for (key, value) in cases {
            let home = TempHome::new();
            home.credentials(&static_profile("[default]"));
            home.config(&format!("[default]\n{key} = {value}\n"));
            let e = ProfileCredentials::with_env(home.env(&[]))
                .provide_now()
                .unwrap_err();
            assert_eq!(e.kind(), CredentialsErrorKind::Unsupported, "{key}");
            let text = e.to_string();
            assert!(text.contains(&format!("`{key}`")), "{text}");
            assert!(text.contains("not supported here"), "{text}");
            assert!(text.contains("ProvideCredentials"), "{text}");
            assert!(!text.contains(value), "{text}");
            assert!(!format!("{e:?}").contains(value));
            assert_error_has_no_secret(&e);
        }
    }

    #[test]
    fn unreadable_file_is_an_io_error() {
        let home = TempHome::new();
        fs::create_dir_all(home.path().join(".aws/credentials")).unwrap();
        let e = ProfileCredentials::with_env(home.env(&[]))
            .provide_now()
            .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Io);
        assert!(e.source().is_some());
        assert!(
            e.to_string().contains("cannot read the credentials file"),
            "{e}"
        );
    }

    // ---- chain -----------------------------------------------------------------------------

    #[test]
    fn chain_prefers_environment() {
        let home = TempHome::new();
        home.credentials("[default]\naws_access_key_id = FILE\naws_secret_access_key = S\n");
        let env = home.env(&[
            ("AWS_ACCESS_KEY_ID", ACCESS),
            ("AWS_SECRET_ACCESS_KEY", SECRET),
        ]);
        let chain = DefaultChain::with_env(env);
        assert_eq!(chain.provide_now().unwrap().access_key_id(), ACCESS);
        assert_no_secret(&format!("{chain:?}"));
    }

    #[test]
    fn chain_falls_back_to_profile() {
        let home = TempHome::new();
        home.credentials("[default]\naws_access_key_id = FILE\naws_secret_access_key = S\n");
        let c = DefaultChain::with_env(home.env(&[])).provide_now().unwrap();
        assert_eq!(c.access_key_id(), "FILE");
    }

    #[test]
    fn chain_error_lists_every_source() {
        let home = TempHome::new();
        let e = DefaultChain::with_env(home.env(&[]))
            .provide_now()
            .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::NotFound);
        let tried: Vec<&str> = e.sources_tried().collect();
        assert_eq!(tried, ["environment", "profile `default`"]);
        let text = e.to_string();
        assert!(
            text.starts_with("no AWS credentials found: environment: "),
            "{text}"
        );
        assert!(
            text.contains("; profile `default`: not in the credentials file"),
            "{text}"
        );
        assert!(e.source().is_none());
    }

    #[test]
    fn chain_stops_at_a_half_configured_source() {
        let home = TempHome::new();
        home.credentials("[default]\naws_access_key_id = FILE\naws_secret_access_key = S\n");
        let env = home.env(&[("AWS_ACCESS_KEY_ID", ACCESS)]);
        let e = DefaultChain::with_env(env).provide_now().unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Incomplete);
        assert_eq!(e.sources_tried().collect::<Vec<_>>(), ["environment"]);

        home.config(&format!(
            "[default]\nrole_arn = r\naws_secret_access_key = {SECRET}\n"
        ));
        let e = DefaultChain::with_env(home.env(&[]))
            .provide_now()
            .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Unsupported);
        let text = e.to_string();
        assert!(
            text.starts_with("AWS credentials could not be loaded: environment: "),
            "{text}"
        );
        assert_error_has_no_secret(&e);
    }

    #[derive(Debug)]
    struct Failing;

    impl ProvideCredentials for Failing {
        fn provide(&self) -> ProvideFuture<'_> {
            ProvideFuture::ready(Err(CredentialsError::new(
                CredentialsErrorKind::Provider,
                "custom",
                "endpoint unreachable",
            )
            .with_cause(io::Error::other("connection refused"))))
        }
    }

    #[test]
    fn chain_accepts_more_sources() {
        let home = TempHome::new();
        let chain = DefaultChain::with_env(home.env(&[]))
            .or_else(Credentials::new("PLUGGED", SECRET, None));
        assert_eq!(chain.provide_now().unwrap().access_key_id(), "PLUGGED");
        assert_no_secret(&format!("{chain:?}"));

        let e = DefaultChain::with_env(home.env(&[]))
            .or_else(Failing)
            .provide_now()
            .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Provider);
        assert_eq!(e.sources_tried().count(), 3);
        assert!(
            e.to_string()
                .ends_with("; custom: endpoint unreachable (connection refused)"),
            "{e}"
        );
        assert_eq!(e.source().unwrap().to_string(), "connection refused");
    }

    /// Answers after one `Pending` poll, as a source doing I/O would.
    #[derive(Debug)]
    struct Slow(Option<&'static str>);

    impl ProvideCredentials for Slow {
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
                match self.0 {
                    Some(id) => Ok(Credentials::new(id, SECRET, Some(TOKEN.to_owned()))),
                    None => Err(CredentialsError::new(
                        CredentialsErrorKind::NotFound,
                        "slow",
                        "nothing cached",
                    )),
                }
            })
        }
    }

    #[test]
    fn ready_futures_complete_at_once_and_hide_their_contents() {
        let keys = Credentials::new(ACCESS, SECRET, Some(TOKEN.to_owned()));
        let ready = keys.provide();
        assert_eq!(format!("{ready:?}"), "ProvideFuture(ready: credentials)");
        assert_eq!(block_on(ready).unwrap().access_key_id(), ACCESS);

        let slow = Slow(Some("SLOW"));
        let pending = slow.provide();
        assert_eq!(format!("{pending:?}"), "ProvideFuture(pending)");
        assert!(pending.now_or_never().is_none());
        let c = block_on(slow.provide()).unwrap();
        assert_eq!(
            (c.access_key_id(), c.session_token()),
            ("SLOW", Some(TOKEN))
        );
    }

    #[test]
    fn chain_waits_for_a_source_that_does_io() {
        let home = TempHome::new();
        let chain = DefaultChain::with_env(home.env(&[]))
            .or_else(Slow(None))
            .or_else(Slow(Some("SLOW")))
            .or_else(Credentials::new("NEVER", SECRET, None));
        let mut future = chain.provide();
        assert!(future.poll_now().is_none(), "{future:?}");
        let c = block_on(future).unwrap();
        assert_eq!(c.access_key_id(), "SLOW");

        let e = block_on(
            DefaultChain::with_env(home.env(&[]))
                .or_else(Slow(None))
                .or_else(Failing)
                .provide(),
        )
        .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Provider);
        let tried: Vec<&str> = e.sources_tried().collect();
        assert_eq!(
            tried,
            ["environment", "profile `default`", "slow", "custom"]
        );
        assert_error_has_no_secret(&e);
    }

    #[test]
    fn errors_are_send_sync_and_std_errors() {
        fn check<E: StdError + Send + Sync + 'static>() {}
        check::<CredentialsError>();
        fn provider<P: ProvideCredentials>() {}
        fn send<T: Send>() {}
        send::<ProvideFuture<'_>>();
        provider::<DefaultChain>();
        provider::<ProfileCredentials>();
        provider::<EnvironmentCredentials>();
    }
}
