//! The shared `~/.aws/credentials` and `~/.aws/config` files: where they are, how they parse, and
//! how the two combine into one [`ProfileSet`].
//!
//! ```
//! use awsquery::profile::ProfileSet;
//!
//! let profiles = ProfileSet::parse(
//!     "[dev]\naws_access_key_id = AKIDEXAMPLE\n",
//!     "[profile dev]\nregion = eu-west-1\nservices = local\n\
//!      [services local]\nneptune =\n  endpoint_url = http://127.0.0.1:8182\n",
//! );
//! let dev = profiles.profile("dev").unwrap();
//! assert_eq!(dev.get("region"), Some("eu-west-1"));
//! assert_eq!(dev.get("aws_access_key_id"), Some("AKIDEXAMPLE"));
//! let local = profiles.services("local").unwrap();
//! assert_eq!(local.sub_property("neptune", "endpoint_url"), Some("http://127.0.0.1:8182"));
//! ```

use std::collections::BTreeMap;
use std::error::Error as StdError;
use std::fmt;
use std::fs;
use std::io;
use std::path::PathBuf;

use crate::env::Env;

/// Profiles of one shared file: profile name → (lower-case key → value).
pub type Profiles = BTreeMap<String, BTreeMap<String, String>>;

/// The profile used when `AWS_PROFILE` is not set.
pub const DEFAULT_PROFILE: &str = "default";

/// The profile selected by `AWS_PROFILE`, else `default`.
pub fn selected_profile(env: &Env) -> String {
    env.get("AWS_PROFILE")
        .unwrap_or_else(|| DEFAULT_PROFILE.to_owned())
}

/// The home directory: `HOME`, else `USERPROFILE`; `None` without either. The shared files and
/// the caches beside them (`~/.aws/sso/cache`) are found from it.
pub fn home_dir(env: &Env) -> Option<PathBuf> {
    env.get("HOME")
        .or_else(|| env.get("USERPROFILE"))
        .map(PathBuf::from)
}

/// One of the two shared files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SharedFile {
    /// `~/.aws/credentials`, or `AWS_SHARED_CREDENTIALS_FILE`.
    Credentials,
    /// `~/.aws/config`, or `AWS_CONFIG_FILE`.
    Config,
}

impl SharedFile {
    /// `credentials` or `config`.
    pub fn name(self) -> &'static str {
        match self {
            SharedFile::Credentials => "credentials",
            SharedFile::Config => "config",
        }
    }

    /// The variable that moves the file: `AWS_SHARED_CREDENTIALS_FILE` or `AWS_CONFIG_FILE`.
    pub fn override_var(self) -> &'static str {
        match self {
            SharedFile::Credentials => "AWS_SHARED_CREDENTIALS_FILE",
            SharedFile::Config => "AWS_CONFIG_FILE",
        }
    }

    /// Where the file is: the override variable (a leading `~` is the home directory), else
    /// `.aws/<name>` in the home directory; `None` without either.
    pub fn path(self, env: &Env) -> Option<PathBuf> {
        let home = home_dir(env);
        match env.get(self.override_var()) {
            Some(path) => Some(expand_home(&path, home)),
            None => home.map(|h| h.join(".aws").join(self.name())),
        }
    }

    /// Reads and parses the file. A missing file (or no home directory) is not an error.
    pub(crate) fn load(self, env: &Env) -> Result<LoadedFile, ProfileFileError> {
        let Some(path) = self.path(env) else {
            return Ok(LoadedFile {
                origin: Origin::NoPath,
                parsed: None,
            });
        };
        let parsed = match fs::read_to_string(&path) {
            Ok(text) => Some(ParsedFile::parse(&text, self)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(source) => {
                return Err(ProfileFileError {
                    file: self,
                    path,
                    source,
                });
            }
        };
        Ok(LoadedFile {
            origin: Origin::Path(path),
            parsed,
        })
    }
}

/// A shared file that exists but could not be read.
#[derive(Debug)]
pub struct ProfileFileError {
    file: SharedFile,
    path: PathBuf,
    pub(crate) source: io::Error,
}

impl ProfileFileError {
    /// Which of the two files.
    pub fn file(&self) -> SharedFile {
        self.file
    }
}

impl fmt::Display for ProfileFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot read the {} file `{}`",
            self.file.name(),
            self.path.display()
        )
    }
}

impl StdError for ProfileFileError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&self.source)
    }
}

/// Where a file's contents came from, for messages.
#[derive(Debug, Clone, Default)]
enum Origin {
    /// Neither the override variable nor a home directory is set.
    #[default]
    NoPath,
    /// A path on disk.
    Path(PathBuf),
    /// Text given to [`ProfileSet::parse`].
    Text,
}

/// A shared file as found on disk.
#[derive(Debug)]
pub(crate) struct LoadedFile {
    origin: Origin,
    /// `None` when the file does not exist.
    parsed: Option<ParsedFile>,
}

impl LoadedFile {
    /// The properties of profile `name`, if the file has it.
    pub(crate) fn profile(&self, name: &str) -> Option<&Section> {
        self.parsed.as_ref()?.profiles.get(name)
    }
}

/// The file for messages: its path, and whether it is missing.
fn describe(file: SharedFile, origin: &Origin, exists: bool) -> String {
    match origin {
        Origin::NoPath => format!(
            "no {} file (HOME, USERPROFILE and {} are unset)",
            file.name(),
            file.override_var()
        ),
        Origin::Path(path) if exists => format!("`{}`", path.display()),
        Origin::Path(path) => format!("`{}` (missing)", path.display()),
        Origin::Text => String::from("(given as text)"),
    }
}

fn expand_home(path: &str, home: Option<PathBuf>) -> PathBuf {
    if let Some(home) = home {
        if path == "~" {
            return home;
        }
        if let Some(rest) = path.strip_prefix("~/").or_else(|| path.strip_prefix("~\\")) {
            return home.join(rest);
        }
    }
    PathBuf::from(path)
}

// ---------------------------------------------------------------------------------------------
// Sections and the set of them
// ---------------------------------------------------------------------------------------------

/// A section of the shared files (a profile, an `[sso-session]` or a `[services]` section): its
/// properties, by lower-case key, each perhaps with sub-properties.
///
/// A key with an empty value followed by indented `key = value` lines holds those lines as its
/// sub-properties (`s3 =` and `max_concurrent_requests = 20` below it; in a `[services]`
/// section, `neptune =` and `endpoint_url = …`).
///
/// Debug prints the keys only: values include secret keys and session tokens.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Section {
    properties: BTreeMap<String, Property>,
}

#[derive(Clone, PartialEq, Eq)]
struct Property {
    value: String,
    sub_properties: BTreeMap<String, String>,
    file: SharedFile,
}

impl Section {
    /// The value of `key` (lower case), trimmed; `None` when it is absent or empty (an empty value
    /// counts as unset, as an empty environment variable does).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.properties
            .get(key)
            .map(|p| p.value.as_str())
            .filter(|v| !v.is_empty())
    }

    /// Whether `key` is present, even with an empty value.
    pub fn contains(&self, key: &str) -> bool {
        self.properties.contains_key(key)
    }

    /// The sub-properties under `key`, by lower-case key; `None` when it has none.
    pub fn sub_section(&self, key: &str) -> Option<&BTreeMap<String, String>> {
        self.properties
            .get(key)
            .map(|p| &p.sub_properties)
            .filter(|sub| !sub.is_empty())
    }

    /// The sub-property `sub_key` under `key`; `None` when it is absent or empty.
    pub fn sub_property(&self, key: &str, sub_key: &str) -> Option<&str> {
        self.sub_section(key)?
            .get(sub_key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// Which file set `key`: for a profile in both files, the credentials file's values win.
    pub fn file_of(&self, key: &str) -> Option<SharedFile> {
        self.properties.get(key).map(|p| p.file)
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> + '_ {
        self.properties.keys().map(String::as_str)
    }

    /// Whether the section has no properties.
    pub fn is_empty(&self) -> bool {
        self.properties.is_empty()
    }

    /// The properties as key → value, sub-properties left out (the form of [`Profiles`], and
    /// what readers of plain settings take).
    pub fn to_map(&self) -> BTreeMap<String, String> {
        self.properties
            .iter()
            .map(|(k, p)| (k.clone(), p.value.clone()))
            .collect()
    }

    /// Takes `other`'s properties over this section's, except that a value left empty in `other`
    /// (without sub-properties) does not hide one set here.
    fn merge(&mut self, other: Section) {
        for (key, property) in other.properties {
            let blank = property.value.is_empty() && property.sub_properties.is_empty();
            if blank && self.properties.contains_key(&key) {
                continue;
            }
            self.properties.insert(key, property);
        }
    }
}

impl fmt::Debug for Section {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.properties.keys()).finish()
    }
}

/// The profiles, `[sso-session]` and `[services]` sections of both shared files, read once.
///
/// A profile is `[profile name]` (or `[default]`) in the config file and `[name]` in the
/// credentials file; where both files set the same key of the same profile, the credentials
/// file's value wins, as in the AWS CLI (an empty value there does not hide the config file's).
/// `[sso-session name]` and `[services name]` sections are read from the config file only.
///
/// Loading reads files: in async code, call [`load`](Self::load) inside
/// `tokio::task::spawn_blocking` (or the runtime's equivalent) and share the result.
///
/// Debug prints names and keys, never values.
#[derive(Debug, Clone, Default)]
pub struct ProfileSet {
    profiles: BTreeMap<String, Section>,
    sso_sessions: BTreeMap<String, Section>,
    services: BTreeMap<String, Section>,
    credentials_file: (Origin, bool),
    config_file: (Origin, bool),
}

impl ProfileSet {
    /// Reads the credentials file (`AWS_SHARED_CREDENTIALS_FILE`, else
    /// `~/.aws/credentials`) and the config file (`AWS_CONFIG_FILE`, else `~/.aws/config`), the
    /// home directory being `HOME`, else `USERPROFILE`. A missing file counts as empty; a file
    /// that exists but cannot be read is an error.
    pub fn load(env: &Env) -> Result<ProfileSet, ProfileFileError> {
        let credentials = SharedFile::Credentials.load(env)?;
        let config = SharedFile::Config.load(env)?;
        Ok(ProfileSet::combine(
            (credentials.origin, credentials.parsed),
            (config.origin, config.parsed),
        ))
    }

    /// The set the two files' texts make (for tests, and for files read by other means).
    pub fn parse(credentials: &str, config: &str) -> ProfileSet {
        ProfileSet::combine(
            (
                Origin::Text,
                Some(ParsedFile::parse(credentials, SharedFile::Credentials)),
            ),
            (
                Origin::Text,
                Some(ParsedFile::parse(config, SharedFile::Config)),
            ),
        )
    }

    fn combine(
        credentials: (Origin, Option<ParsedFile>),
        config: (Origin, Option<ParsedFile>),
    ) -> ProfileSet {
        let mut set = ProfileSet {
            credentials_file: (credentials.0, credentials.1.is_some()),
            config_file: (config.0, config.1.is_some()),
            ..ProfileSet::default()
        };
        if let Some(config) = config.1 {
            set.profiles = config.profiles;
            set.sso_sessions = config.sso_sessions;
            set.services = config.services;
        }
        for (name, section) in credentials.1.map(|c| c.profiles).unwrap_or_default() {
            set.profiles.entry(name).or_default().merge(section);
        }
        set
    }

    /// Profile `name`, from either file.
    pub fn profile(&self, name: &str) -> Option<&Section> {
        self.profiles.get(name)
    }

    /// The names of the profiles, in order.
    pub fn profile_names(&self) -> impl Iterator<Item = &str> + '_ {
        self.profiles.keys().map(String::as_str)
    }

    /// The `[sso-session name]` section of the config file.
    pub fn sso_session(&self, name: &str) -> Option<&Section> {
        self.sso_sessions.get(name)
    }

    /// The `[services name]` section of the config file.
    pub fn services(&self, name: &str) -> Option<&Section> {
        self.services.get(name)
    }

    /// One file for messages: its path, and whether it is missing (`` `/home/me/.aws/config`
    /// (missing) ``), or that there is no path to look at.
    pub fn describe(&self, file: SharedFile) -> String {
        let (origin, exists) = match file {
            SharedFile::Credentials => &self.credentials_file,
            SharedFile::Config => &self.config_file,
        };
        describe(file, origin, *exists)
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

/// What one file holds.
#[derive(Debug, Default)]
struct ParsedFile {
    profiles: BTreeMap<String, Section>,
    sso_sessions: BTreeMap<String, Section>,
    services: BTreeMap<String, Section>,
}

/// Parses a shared credentials file (`is_config == false`) or config file (`is_config == true`)
/// into profiles (the rules are those of [`ProfileSet`]'s parser, below); sub-properties and the
/// config file's `[sso-session]` and `[services]` sections are left out. [`ProfileSet`] keeps
/// them.
///
/// * Lines are trimmed; blank lines and lines starting with `#` or `;` are skipped.
/// * `[name]` opens a section. After the `]` only a `#` or `;` comment may follow, else the
///   section is ignored, as are empty names and unclosed brackets.
/// * In the config file, profiles are `[profile name]` and `[default]`; `[sso-session name]` and
///   `[services name]` are sections of their own, and any other section is dropped. If both
///   `[profile default]` and `[default]` appear, `[profile default]` wins. In the credentials file
///   every section is a profile named literally (`[profile x]` is the profile `profile x`).
/// * `key = value` sets a property: split at the first `=`, both sides trimmed, keys compared
///   in lower case. Values are taken whole: `#` or `;` inside a value does not start a comment.
///   Lines without `=` and properties outside a section are dropped.
/// * An indented line continues the property above it: after `key = value` it is appended to the
///   value on a new line; after `key =` (empty value) it is a `key = value` sub-property of it
///   (such as the `s3` settings, or a service's settings in a `[services]` section).
/// * A section that appears twice is merged; of repeated keys, the later wins.
pub fn parse_profile_file(text: &str, is_config: bool) -> Profiles {
    let file = if is_config {
        SharedFile::Config
    } else {
        SharedFile::Credentials
    };
    ParsedFile::parse(text, file)
        .profiles
        .iter()
        .map(|(name, section)| (name.clone(), section.to_map()))
        .collect()
}

impl ParsedFile {
    fn parse(text: &str, file: SharedFile) -> ParsedFile {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut parsed = ParsedFile::default();
        // In a config file, a bare `[default]` gives way to `[profile default]`.
        let mut bare_default: Option<Section> = None;
        let mut header = Header::Ignored;
        let mut last = Last::Nothing;

        for raw in text.lines() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
                continue;
            }
            if raw.starts_with([' ', '\t']) && !matches!(last, Last::Nothing) {
                let Some(section) = parsed.section(&mut bare_default, &header) else {
                    continue;
                };
                match &last {
                    Last::Value(key) => {
                        if let Some(property) = section.properties.get_mut(key) {
                            property.value.push('\n');
                            property.value.push_str(line);
                        }
                    }
                    Last::SubSection(key) => {
                        if let (Some(property), Some((k, v))) =
                            (section.properties.get_mut(key), line.split_once('='))
                        {
                            let k = k.trim().to_ascii_lowercase();
                            if !k.is_empty() {
                                property.sub_properties.insert(k, v.trim().to_owned());
                            }
                        }
                    }
                    Last::Nothing => {}
                }
                continue;
            }
            if line.starts_with('[') {
                header = Header::parse(line, file);
                // Opening a section creates it, even when it stays empty.
                parsed.section(&mut bare_default, &header);
                last = Last::Nothing;
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                last = Last::Nothing;
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim();
            if key.is_empty() {
                last = Last::Nothing;
                continue;
            }
            if let Some(section) = parsed.section(&mut bare_default, &header) {
                section.properties.insert(
                    key.clone(),
                    Property {
                        value: value.to_owned(),
                        sub_properties: BTreeMap::new(),
                        file,
                    },
                );
            }
            last = if value.is_empty() {
                Last::SubSection(key)
            } else {
                Last::Value(key)
            };
        }

        if let Some(default) = bare_default {
            parsed
                .profiles
                .entry(DEFAULT_PROFILE.to_owned())
                .or_insert(default);
        }
        parsed
    }

    /// The section `header` names, created if new; `None` outside any section.
    fn section<'a>(
        &'a mut self,
        bare_default: &'a mut Option<Section>,
        header: &Header,
    ) -> Option<&'a mut Section> {
        match header {
            Header::Ignored => None,
            Header::Profile(name) => Some(self.profiles.entry(name.clone()).or_default()),
            Header::BareDefault => Some(bare_default.get_or_insert_with(Section::default)),
            Header::SsoSession(name) => Some(self.sso_sessions.entry(name.clone()).or_default()),
            Header::Services(name) => Some(self.services.entry(name.clone()).or_default()),
        }
    }
}

/// The section the parser is in.
enum Header {
    /// Before any section, or in one that is dropped.
    Ignored,
    /// A profile.
    Profile(String),
    /// `[default]` in a config file.
    BareDefault,
    /// `[sso-session name]` in a config file.
    SsoSession(String),
    /// `[services name]` in a config file.
    Services(String),
}

/// What an indented line would continue.
enum Last {
    Nothing,
    /// A property with a value, by key.
    Value(String),
    /// A property with an empty value, by key: indented lines below are its sub-properties.
    SubSection(String),
}

impl Header {
    fn parse(line: &str, file: SharedFile) -> Header {
        let Some(close) = line.find(']') else {
            return Header::Ignored;
        };
        let after = line[close + 1..].trim_start();
        if !(after.is_empty() || after.starts_with('#') || after.starts_with(';')) {
            return Header::Ignored;
        }
        let inner = line[1..close].trim();
        if inner.is_empty() {
            return Header::Ignored;
        }
        if file == SharedFile::Credentials {
            return Header::Profile(inner.to_owned());
        }
        if inner == DEFAULT_PROFILE {
            return Header::BareDefault;
        }
        let named = |prefix: &str| match inner.strip_prefix(prefix) {
            Some(rest) if rest.starts_with([' ', '\t']) => Some(rest.trim().to_owned()),
            _ => None,
        };
        if let Some(name) = named("profile") {
            Header::Profile(name)
        } else if let Some(name) = named("sso-session") {
            Header::SsoSession(name)
        } else if let Some(name) = named("services") {
            Header::Services(name)
        } else {
            Header::Ignored
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::tests::TempHome;

    fn sub(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|&(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    #[test]
    fn sso_session_and_services_sections_are_kept() {
        let set = ProfileSet::parse(
            "",
            "\
[profile dev]
sso_session = corp
services = local
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
SSO_Region = us-east-1
[sso-session\tspaced  ]
sso_region = eu-west-1
[services local]
neptune =
  endpoint_url = http://127.0.0.1:8182
sts =
\tEndpoint_URL = http://127.0.0.1:4566
[sso-session]
k = dropped
[services]
k = dropped
[sso-sessionx y]
k = dropped
",
        );
        assert_eq!(set.profile_names().collect::<Vec<_>>(), ["dev"]);
        let corp = set.sso_session("corp").unwrap();
        assert_eq!(
            corp.get("sso_start_url"),
            Some("https://corp.awsapps.com/start")
        );
        assert_eq!(corp.get("sso_region"), Some("us-east-1"));
        assert_eq!(
            set.sso_session("spaced").unwrap().get("sso_region"),
            Some("eu-west-1")
        );
        let local = set.services("local").unwrap();
        assert_eq!(
            local.sub_property("neptune", "endpoint_url"),
            Some("http://127.0.0.1:8182")
        );
        assert_eq!(
            local.sub_section("sts"),
            Some(&sub(&[("endpoint_url", "http://127.0.0.1:4566")]))
        );
        assert_eq!(local.get("neptune"), None, "a sub-section has no value");
        assert!(local.contains("neptune"));
        assert!(set.sso_session("").is_none() && set.services("").is_none());
        assert!(set.profile("sso-session corp").is_none());
    }

    #[test]
    fn sub_properties_of_profiles() {
        let set = ProfileSet::parse(
            "",
            "\
[profile dev]
s3 =
  max_concurrent_requests = 20

  Addressing_Style = path
  no equals sign
  = no key
  empty =
\t# comment inside
region = us-west-2
ec2 =
\tendpoint_url = http://localhost
   not = kept after a value
",
        );
        let dev = set.profile("dev").unwrap();
        assert_eq!(
            dev.sub_section("s3"),
            Some(&sub(&[
                ("max_concurrent_requests", "20"),
                ("addressing_style", "path"),
                ("empty", ""),
            ]))
        );
        assert_eq!(dev.sub_property("s3", "empty"), None);
        assert_eq!(dev.sub_property("s3", "addressing_style"), Some("path"));
        assert_eq!(dev.get("region"), Some("us-west-2"));
        assert_eq!(
            dev.sub_property("ec2", "endpoint_url"),
            Some("http://localhost")
        );
        assert_eq!(dev.sub_section("region"), None);
        assert_eq!(dev.keys().collect::<Vec<_>>(), ["ec2", "region", "s3"]);
        // An indented line under a property with a value continues it.
        let set = ProfileSet::parse("[a]\nk = v\n  not = kept\n", "");
        assert_eq!(set.profile("a").unwrap().get("k"), Some("v\nnot = kept"));
    }

    #[test]
    fn a_repeated_sub_section_replaces_the_earlier() {
        let set = ProfileSet::parse(
            "",
            "[services s]\nsts =\n  endpoint_url = http://a\n  region = x\n\
             [services s]\nsts =\n  endpoint_url = http://b\n",
        );
        assert_eq!(
            set.services("s").unwrap().sub_section("sts"),
            Some(&sub(&[("endpoint_url", "http://b")]))
        );
    }

    #[test]
    fn the_credentials_file_wins_key_by_key() {
        let set = ProfileSet::parse(
            "[dev]\naws_access_key_id = FROM_CREDS\nregion =\ns3 =\n  a = creds\n\
             [only-creds]\nk = v\n[sso-session corp]\nsso_region = not-a-session\n",
            "[profile dev]\naws_access_key_id = FROM_CONFIG\nregion = us-east-2\n\
             output = json\ns3 =\n  a = config\n  b = config\n[profile only-config]\nk = v\n",
        );
        let dev = set.profile("dev").unwrap();
        assert_eq!(dev.get("aws_access_key_id"), Some("FROM_CREDS"));
        assert_eq!(
            dev.file_of("aws_access_key_id"),
            Some(SharedFile::Credentials)
        );
        assert_eq!(
            dev.get("region"),
            Some("us-east-2"),
            "an empty value hides nothing"
        );
        assert_eq!(dev.file_of("region"), Some(SharedFile::Config));
        assert_eq!(dev.get("output"), Some("json"));
        assert_eq!(dev.sub_section("s3"), Some(&sub(&[("a", "creds")])));
        assert_eq!(dev.file_of("absent"), None);
        assert_eq!(
            set.profile_names().collect::<Vec<_>>(),
            ["dev", "only-config", "only-creds", "sso-session corp"]
        );
        assert!(set.sso_session("corp").is_none());
    }

    #[test]
    fn debug_shows_names_and_keys_only() {
        let set = ProfileSet::parse(
            "[default]\naws_secret_access_key = SECRETVALUE\n",
            "[services s]\nsts =\n  endpoint_url = http://user:pw@host\n",
        );
        let printed = format!("{set:?}");
        assert!(printed.contains("aws_secret_access_key"), "{printed}");
        assert!(printed.contains("sts"), "{printed}");
        assert!(!printed.contains("SECRETVALUE"), "{printed}");
        assert!(!printed.contains("pw@"), "{printed}");
    }

    #[test]
    fn load_reads_both_files_and_describes_them() {
        let home = TempHome::new();
        home.credentials("[default]\naws_access_key_id = A\n");
        home.config("[default]\nregion = eu-north-1\n[sso-session s]\nsso_region = x\n");
        let set = ProfileSet::load(&home.env(&[])).unwrap();
        let default = set.profile("default").unwrap();
        assert_eq!(default.get("aws_access_key_id"), Some("A"));
        assert_eq!(default.get("region"), Some("eu-north-1"));
        assert!(set.sso_session("s").is_some());
        let described = set.describe(SharedFile::Config);
        assert!(described.ends_with(".aws/config`"), "{described}");

        let empty = TempHome::new();
        let set = ProfileSet::load(&empty.env(&[])).unwrap();
        assert!(set.profile("default").is_none());
        assert!(
            set.describe(SharedFile::Credentials).ends_with("(missing)"),
            "{}",
            set.describe(SharedFile::Credentials)
        );
        let set = ProfileSet::load(&Env::from_pairs(&[])).unwrap();
        assert!(
            set.describe(SharedFile::Config)
                .contains("AWS_CONFIG_FILE are unset"),
            "{}",
            set.describe(SharedFile::Config)
        );
        assert_eq!(
            ProfileSet::parse("", "").describe(SharedFile::Config),
            "(given as text)"
        );

        std::fs::remove_file(home.path().join(".aws/config")).unwrap();
        std::fs::create_dir(home.path().join(".aws/config")).unwrap();
        let e = ProfileSet::load(&home.env(&[])).unwrap_err();
        assert_eq!(e.file(), SharedFile::Config);
        assert!(
            e.to_string().starts_with("cannot read the config file"),
            "{e}"
        );
    }

    #[test]
    fn home_directory() {
        let env = Env::from_pairs(&[("HOME", "/h"), ("USERPROFILE", "/u")]);
        assert_eq!(home_dir(&env), Some(PathBuf::from("/h")));
        let env = Env::from_pairs(&[("HOME", ""), ("USERPROFILE", "/u")]);
        assert_eq!(home_dir(&env), Some(PathBuf::from("/u")));
        assert_eq!(home_dir(&Env::from_pairs(&[])), None);
    }
}
