//! The `User-Agent` and `x-amz-user-agent` headers: which library, service client, platform and
//! application sent a request.
//!
//! The value follows the grammar of the AWS SDKs' user agent, version 2.1: space-separated
//! `prefix/name` or `prefix/name#value` tokens, in this order:
//!
//! ```text
//! awsquery/0.1.0 ua/2.1 api/neptune#0.1.0 os/linux lang/rust#1.85.0 app/inventory-sync
//! ```
//!
//! * `awsquery/<version>`: this runtime and its version, where an AWS SDK puts `aws-sdk-<name>`;
//! * `ua/2.1`: the version of the grammar;
//! * `api/<service>#<version>`: the service's `sdkId`, lower-cased with spaces as hyphens, and the
//!   version of the generated client crate;
//! * `os/<family>`: `linux`, `macos`, `windows`, `android`, `ios` or `other`;
//! * `lang/rust#<version>`: the version of the compiler that built this crate, or `lang/rust`
//!   alone when it could not be found out at build time;
//! * `app/<id>`: the application id, when the configuration has one
//!   ([`Config::with_app_id`](crate::client::Config::with_app_id); the AWS SDKs' `sdk_ua_app_id`
//!   and `AWS_SDK_UA_APP_ID`).
//!
//! A client builds the value once and sends it in both headers of every request, as the AWS SDK
//! for Rust does. Neither header is signed: the headers are added after the signature, as the AWS
//! SDKs leave `User-Agent` out of it, so that a proxy that rewrites it does not break the request.

use std::fmt;
use std::str::FromStr;

use awsquery_types::text;

/// The version of the user agent grammar.
pub const UA_VERSION: &str = "2.1";

/// The longest application id, in characters.
pub const MAX_APP_ID_LEN: usize = 50;

/// The version of the compiler that built this crate, when the build script could find it out.
const RUSTC_VERSION: Option<&str> = option_env!("AWSQUERY_RUSTC_VERSION");

/// Whether `c` may stand in a token (RFC 9110's `tchar`): letters, digits and
/// ``! # $ % & ' * + - . ^ _ ` | ~``.
fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            '!' | '#'
                | '$'
                | '%'
                | '&'
                | '\''
                | '*'
                | '+'
                | '-'
                | '.'
                | '^'
                | '_'
                | '`'
                | '|'
                | '~'
        )
}

/// An application id for the user agent: 1 to [`MAX_APP_ID_LEN`] characters, each a letter, a
/// digit or one of ``! # $ % & ' * + - . ^ _ ` | ~``, as the AWS SDKs allow.
///
/// ```
/// use awsquery::user_agent::AppId;
///
/// let id = AppId::new("inventory-sync").unwrap();
/// assert_eq!(id.as_str(), "inventory-sync");
/// assert!(AppId::new("with space").is_err());
/// assert!("x".repeat(51).parse::<AppId>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AppId(String);

impl AppId {
    /// Checks `id`: it must be 1 to 50 characters, letters, digits and
    /// ``! # $ % & ' * + - . ^ _ ` | ~`` only.
    pub fn new(id: impl Into<String>) -> Result<AppId, InvalidAppId> {
        let id = id.into();
        let problem = if id.is_empty() {
            Some(AppIdProblem::Empty)
        } else if id.chars().count() > MAX_APP_ID_LEN {
            Some(AppIdProblem::TooLong)
        } else {
            id.chars()
                .find(|&c| !is_token_char(c))
                .map(AppIdProblem::Char)
        };
        match problem {
            None => Ok(AppId(id)),
            Some(problem) => Err(InvalidAppId {
                id: text::printable(&id, MAX_APP_ID_LEN + 14).into_owned(),
                problem,
            }),
        }
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for AppId {
    type Err = InvalidAppId;

    fn from_str(id: &str) -> Result<Self, Self::Err> {
        AppId::new(id)
    }
}

impl fmt::Display for AppId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An application id that [`AppId::new`] refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidAppId {
    id: String,
    problem: AppIdProblem,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AppIdProblem {
    Empty,
    TooLong,
    Char(char),
}

impl fmt::Display for InvalidAppId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problem {
            AppIdProblem::Empty => f.write_str("the application id is empty"),
            AppIdProblem::TooLong => write!(
                f,
                "the application id `{}` is longer than {MAX_APP_ID_LEN} characters",
                self.id
            ),
            AppIdProblem::Char(c) => write!(
                f,
                "the application id `{}` holds {}, but only letters, digits and \
                 ! # $ % & ' * + - . ^ _ ` | ~ are allowed",
                self.id,
                match c {
                    ' ' => String::from("a space"),
                    c => format!("`{}`", text::escape_controls(c.encode_utf8(&mut [0; 4]))),
                }
            ),
        }
    }
}

impl std::error::Error for InvalidAppId {}

/// The user agent of a client for the service with `sdk_id` (its `aws.api#service` sdkId), whose
/// crate is at version `client_version`, for the application `app_id`.
///
/// ```
/// use awsquery::user_agent::{user_agent, AppId};
///
/// let app = AppId::new("inventory-sync").unwrap();
/// let value = user_agent("Neptune", "1.2.0", Some(&app));
/// assert!(value.starts_with("awsquery/"));
/// assert!(value.contains(" ua/2.1 api/neptune#1.2.0 os/"));
/// assert!(value.ends_with(" app/inventory-sync"));
/// ```
pub fn user_agent(sdk_id: &str, client_version: &str, app_id: Option<&AppId>) -> String {
    let mut out = String::with_capacity(128);
    out.push_str("awsquery/");
    out.push_str(env!("CARGO_PKG_VERSION"));
    out.push_str(" ua/");
    out.push_str(UA_VERSION);
    out.push_str(" api/");
    push_token(&sdk_id.to_ascii_lowercase().replace(' ', "-"), &mut out);
    out.push('#');
    push_token(client_version, &mut out);
    out.push_str(" os/");
    out.push_str(os_family(std::env::consts::OS));
    out.push_str(" lang/rust");
    if let Some(version) = RUSTC_VERSION {
        out.push('#');
        push_token(version, &mut out);
    }
    if let Some(app_id) = app_id {
        out.push_str(" app/");
        out.push_str(app_id.as_str());
    }
    out
}

/// Appends `value` with each character that cannot stand in a token, and each `#` or `/` (the
/// grammar's separators), as `-`; an empty value as `unknown`.
fn push_token(value: &str, out: &mut String) {
    if value.is_empty() {
        out.push_str("unknown");
    }
    out.extend(
        value
            .chars()
            .map(|c| if is_token_char(c) && c != '#' { c } else { '-' }),
    );
}

/// The user agent's name for the operating system `os` (`std::env::consts::OS`).
fn os_family(os: &str) -> &'static str {
    match os {
        "linux" => "linux",
        "macos" => "macos",
        "windows" => "windows",
        "android" => "android",
        "ios" => "ios",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_value_follows_the_grammar() {
        let value = user_agent("Neptune", "0.3.1", None);
        let tokens: Vec<&str> = value.split(' ').collect();
        assert_eq!(tokens[0], concat!("awsquery/", env!("CARGO_PKG_VERSION")));
        assert_eq!(tokens[1], "ua/2.1");
        assert_eq!(tokens[2], "api/neptune#0.3.1");
        assert_eq!(tokens[3], format!("os/{}", os_family(std::env::consts::OS)));
        match RUSTC_VERSION {
            Some(version) => assert_eq!(tokens[4], format!("lang/rust#{version}")),
            None => assert_eq!(tokens[4], "lang/rust"),
        }
        assert_eq!(tokens.len(), 5, "{value}");
        for token in tokens {
            let (prefix, rest) = token.split_once('/').expect("prefix/name");
            assert!(
                !prefix.is_empty() && prefix.chars().all(is_token_char),
                "{token}"
            );
            for part in rest.split('#') {
                assert!(
                    !part.is_empty() && part.chars().all(is_token_char),
                    "{token}"
                );
            }
        }
    }

    #[test]
    fn the_build_found_the_compiler_version() {
        // The build script runs `rustc --version`; a build where it cannot is the exception.
        let version = RUSTC_VERSION.expect("the compiler version is known");
        assert!(version.starts_with("1."), "{version}");
        assert!(version.chars().all(is_token_char), "{version}");
    }

    #[test]
    fn service_ids_and_versions_become_tokens() {
        let value = user_agent("Elastic Load Balancing v2", "1.0.0-beta/2", None);
        assert!(
            value.contains(" api/elastic-load-balancing-v2#1.0.0-beta-2 "),
            "{value}"
        );
        let value = user_agent("", "", None);
        assert!(value.contains(" api/unknown#unknown "), "{value}");
        let value = user_agent("A#B", "1", None);
        assert!(value.contains(" api/a-b#1 "), "{value}");
    }

    #[test]
    fn the_app_id_comes_last() {
        let app = AppId::new("Billing_Batch.v2~").expect("valid");
        let value = user_agent("Neptune", "0.1.0", Some(&app));
        assert!(value.ends_with(" app/Billing_Batch.v2~"), "{value}");
    }

    #[test]
    fn app_ids_are_checked() {
        let longest = "a".repeat(50);
        assert_eq!(AppId::new(longest.clone()).map(|id| id.0), Ok(longest));
        assert!(AppId::new("!#$%&'*+-.^_`|~09azAZ").is_ok());

        assert_eq!(
            AppId::new("").unwrap_err().to_string(),
            "the application id is empty"
        );
        assert_eq!(
            AppId::new("b".repeat(51)).unwrap_err().to_string(),
            format!(
                "the application id `{}` is longer than 50 characters",
                "b".repeat(51)
            )
        );
        assert_eq!(
            AppId::new("my app").unwrap_err().to_string(),
            "the application id `my app` holds a space, but only letters, digits and \
             ! # $ % & ' * + - . ^ _ ` | ~ are allowed"
        );
        for id in ["a/b", "a,b", "a(b)", "é", "a\"b"] {
            assert!(AppId::new(id).is_err(), "{id}");
        }
        let error = AppId::new("x\u{1b}[2J").unwrap_err().to_string();
        assert!(!error.contains('\u{1b}'), "{error}");
        assert!(error.contains("`\\u{1b}`"), "{error}");
        // A long id is cut in the message.
        let error = AppId::new("c".repeat(10_000)).unwrap_err().to_string();
        assert!(error.len() < 200, "{error}");
    }
}
