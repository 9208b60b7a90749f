//! The shared `~/.aws/credentials` and `~/.aws/config` files: where they are and how they parse.

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

/// One of the two shared files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SharedFile {
    /// `~/.aws/credentials`, or `AWS_SHARED_CREDENTIALS_FILE`.
    Credentials,
    /// `~/.aws/config`, or `AWS_CONFIG_FILE`.
    Config,
}

impl SharedFile {
    fn name(self) -> &'static str {
        match self {
            SharedFile::Credentials => "credentials",
            SharedFile::Config => "config",
        }
    }

    fn override_var(self) -> &'static str {
        match self {
            SharedFile::Credentials => "AWS_SHARED_CREDENTIALS_FILE",
            SharedFile::Config => "AWS_CONFIG_FILE",
        }
    }

    /// Where the file is: the override variable (a leading `~` is the home directory), else
    /// `.aws/<name>` in the home directory; `None` without either.
    fn path(self, env: &Env) -> Option<PathBuf> {
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
                file: self,
                path: None,
                profiles: None,
            });
        };
        let profiles = match fs::read_to_string(&path) {
            Ok(text) => Some(parse_profile_file(&text, self == SharedFile::Config)),
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
            file: self,
            path: Some(path),
            profiles,
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

/// A shared file as found on disk.
#[derive(Debug)]
pub(crate) struct LoadedFile {
    file: SharedFile,
    path: Option<PathBuf>,
    /// `None` when the file does not exist.
    profiles: Option<Profiles>,
}

impl LoadedFile {
    /// The properties of profile `name`, if the file has it.
    pub(crate) fn profile(&self, name: &str) -> Option<&BTreeMap<String, String>> {
        self.profiles.as_ref()?.get(name)
    }

    /// The file for messages: its path, and whether it is missing.
    pub(crate) fn describe(&self) -> String {
        match (&self.path, &self.profiles) {
            (None, _) => format!(
                "no {} file (HOME, USERPROFILE and {} are unset)",
                self.file.name(),
                self.file.override_var()
            ),
            (Some(path), None) => format!("`{}` (missing)", path.display()),
            (Some(path), Some(_)) => format!("`{}`", path.display()),
        }
    }
}

fn home_dir(env: &Env) -> Option<PathBuf> {
    env.get("HOME")
        .or_else(|| env.get("USERPROFILE"))
        .map(PathBuf::from)
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

/// Parses a shared credentials file (`is_config == false`) or config file (`is_config == true`)
/// into profiles, following the AWS CLI's rules:
///
/// * Lines are trimmed; blank lines and lines starting with `#` or `;` are skipped.
/// * `[name]` opens a section. After the `]` only a `#` or `;` comment may follow, else the
///   section is ignored, as are empty names and unclosed brackets.
/// * In the config file, profiles are `[profile name]` and `[default]`; other sections (`[name]`,
///   `[sso-session name]`, `[services name]`) are not profiles and are dropped. If both
///   `[profile default]` and `[default]` appear, `[profile default]` wins. In the credentials file
///   every section is a profile named literally (`[profile x]` is the profile `profile x`).
/// * `key = value` sets a property: split at the first `=`, both sides trimmed, keys compared
///   in lower case. Values are taken whole: `#` or `;` inside a value does not start a comment.
///   Lines without `=` and properties outside a profile are dropped.
/// * An indented line continues the property above it: after `key = value` it is appended to the
///   value on a new line; after `key =` (empty value) it belongs to a sub-section, such as the
///   `s3` settings, and is skipped.
/// * A section that appears twice is merged; of repeated keys, the later wins.
pub fn parse_profile_file(text: &str, is_config: bool) -> Profiles {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut profiles = Profiles::new();
    // In a config file, a bare `[default]` gives way to `[profile default]`.
    let mut bare_default: Option<BTreeMap<String, String>> = None;
    let mut section = Section::Ignored;
    let mut last = Last::Nothing;

    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if raw.starts_with([' ', '\t']) {
            match &last {
                Last::Value(key) => {
                    let target = section_map(&mut profiles, &mut bare_default, &section);
                    if let Some(value) = target.and_then(|m| m.get_mut(key)) {
                        value.push('\n');
                        value.push_str(line);
                    }
                    continue;
                }
                Last::SubSection => continue,
                Last::Nothing => {}
            }
        }
        if line.starts_with('[') {
            section = parse_section_header(line, is_config);
            match &section {
                Section::Named(name) => {
                    profiles.entry(name.clone()).or_default();
                }
                Section::BareDefault => {
                    bare_default.get_or_insert_with(BTreeMap::new);
                }
                Section::Ignored => {}
            }
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
        if let Some(map) = section_map(&mut profiles, &mut bare_default, &section) {
            map.insert(key.clone(), value.to_owned());
        }
        last = if value.is_empty() {
            Last::SubSection
        } else {
            Last::Value(key)
        };
    }

    if let Some(default) = bare_default {
        profiles
            .entry(DEFAULT_PROFILE.to_owned())
            .or_insert(default);
    }
    profiles
}

/// The section the parser is in.
enum Section {
    /// Before any section, or in one that is not a profile.
    Ignored,
    /// A profile.
    Named(String),
    /// `[default]` in a config file.
    BareDefault,
}

/// What an indented line would continue.
enum Last {
    Nothing,
    /// A property with a value, by key.
    Value(String),
    /// A property with an empty value: indented lines below are its sub-properties.
    SubSection,
}

fn section_map<'a>(
    profiles: &'a mut Profiles,
    bare_default: &'a mut Option<BTreeMap<String, String>>,
    section: &Section,
) -> Option<&'a mut BTreeMap<String, String>> {
    match section {
        Section::Ignored => None,
        Section::Named(name) => profiles.get_mut(name),
        Section::BareDefault => bare_default.as_mut(),
    }
}

fn parse_section_header(line: &str, is_config: bool) -> Section {
    let Some(close) = line.find(']') else {
        return Section::Ignored;
    };
    let after = line[close + 1..].trim_start();
    if !(after.is_empty() || after.starts_with('#') || after.starts_with(';')) {
        return Section::Ignored;
    }
    let inner = line[1..close].trim();
    if inner.is_empty() {
        return Section::Ignored;
    }
    if !is_config {
        return Section::Named(inner.to_owned());
    }
    if inner == DEFAULT_PROFILE {
        return Section::BareDefault;
    }
    match inner.strip_prefix("profile") {
        Some(rest) if rest.starts_with([' ', '\t']) => Section::Named(rest.trim().to_owned()),
        _ => Section::Ignored,
    }
}
