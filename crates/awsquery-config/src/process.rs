//! `credential_process`: credentials printed by a program the profile names.
//!
//! The command line is split into the program and its arguments as the AWS CLI splits it on POSIX
//! systems (white space separates words; single quotes keep everything literally, double quotes
//! keep everything but `\"` and `\\`, a backslash outside quotes keeps the next character), and the
//! program runs without a shell. Its standard input is empty, its standard error goes where this
//! process's goes (so its prompts and diagnostics reach the user), and its standard output is read,
//! up to [`MAX_OUTPUT`] bytes, as JSON:
//!
//! ```json
//! {"Version": 1, "AccessKeyId": "…", "SecretAccessKey": "…", "SessionToken": "…",
//!  "Expiration": "2030-01-01T00:00:00Z"}
//! ```
//!
//! `Version` must be 1; `SessionToken` and `Expiration` (RFC 3339) may be left out, the latter for
//! credentials that do not expire. The program runs on every call to
//! [`provide`](ProvideCredentials::provide): put a cache above it to reuse credentials until
//! shortly before they expire.
//!
//! Nothing the program prints on its standard output appears in an error, a log or `Debug`: it
//! holds the secret key. Nor does the command line beyond the program's name, since arguments can
//! hold secrets too.

use std::fmt;
use std::future::poll_fn;
use std::io;
use std::pin::Pin;
use std::process::Stdio;
use std::task::{Poll, ready};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use awsquery::credentials::{
    CredentialsError, CredentialsErrorKind, ProvideCredentials, ProvideFuture,
};
use awsquery::sigv4::Credentials;
use awsquery_types::text::{MAX_NAME_CHARS, printable};
use awsquery_types::time::{DateTime, TimestampFormat};
use serde_json::Value;
use tokio::io::{AsyncRead, ReadBuf};
use tokio::process::Command;

use crate::json::{Object, Position};

/// The most the program may print on its standard output: 64 KiB, far more than credentials take.
pub const MAX_OUTPUT: usize = 64 * 1024;

/// How long the program may run by default: 5 minutes, time enough for a prompt it shows the user
/// on its own terminal (it inherits standard error), not forever.
pub const DEFAULT_TIME_LIMIT: Duration = Duration::from_secs(300);

/// A `credential_process` command line, as the profile writes it.
///
/// `Debug` shows the program only: arguments can hold secrets.
#[derive(Clone, PartialEq, Eq)]
pub struct CommandLine(String);

impl CommandLine {
    /// The command line `text`.
    pub fn new(text: impl Into<String>) -> Self {
        CommandLine(text.into())
    }

    /// The command line as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The program and its arguments (see the [module](self) for the rules), or why the line
    /// cannot be split: an unclosed quote, a trailing backslash, nothing at all.
    pub fn split(&self) -> Result<(String, Vec<String>), SplitError> {
        let mut words = split_words(&self.0)?.into_iter();
        let program = words.next().ok_or(SplitError::Empty)?;
        Ok((program, words.collect()))
    }

    /// The program's name for messages: the first word, or the whole line cut short when it
    /// cannot be split.
    fn program_name(&self) -> String {
        let first = match split_words(&self.0) {
            Ok(words) => words.into_iter().next().unwrap_or_default(),
            Err(_) => self.0.split_whitespace().next().unwrap_or("").to_owned(),
        };
        printable(&first, MAX_NAME_CHARS).into_owned()
    }
}

impl fmt::Debug for CommandLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CommandLine({:?} …)", self.program_name())
    }
}

/// Why a command line cannot be split into words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SplitError {
    /// The line has no words.
    Empty,
    /// A quote (`'` or `"`) is not closed.
    UnclosedQuote(char),
    /// The line ends with a backslash that escapes nothing.
    TrailingBackslash,
}

impl fmt::Display for SplitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SplitError::Empty => f.write_str("the command line is empty"),
            SplitError::UnclosedQuote(q) => write!(f, "a {q} quote is not closed"),
            SplitError::TrailingBackslash => f.write_str("the command line ends with a backslash"),
        }
    }
}

impl std::error::Error for SplitError {}

/// Splits `text` into words by the POSIX shell's quoting rules, without expansions.
fn split_words(text: &str) -> Result<Vec<String>, SplitError> {
    let mut words = Vec::new();
    let mut word = String::new();
    // A word has started, even if empty so far (`''` is an empty word).
    let mut started = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\r' | '\n' => {
                if started {
                    words.push(std::mem::take(&mut word));
                    started = false;
                }
            }
            '\'' => {
                started = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err(SplitError::UnclosedQuote('\'')),
                    }
                }
            }
            '"' => {
                started = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\')) => word.push(c),
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return Err(SplitError::UnclosedQuote('"')),
                        },
                        Some(c) => word.push(c),
                        None => return Err(SplitError::UnclosedQuote('"')),
                    }
                }
            }
            '\\' => {
                started = true;
                word.push(chars.next().ok_or(SplitError::TrailingBackslash)?);
            }
            c => {
                started = true;
                word.push(c);
            }
        }
    }
    if started {
        words.push(word);
    }
    Ok(words)
}

/// Credentials from a `credential_process` program. See the [module](self).
#[derive(Debug, Clone)]
pub struct CredentialProcess {
    command: CommandLine,
    time_limit: Duration,
}

impl CredentialProcess {
    /// Runs `command` for credentials, within [`DEFAULT_TIME_LIMIT`].
    pub fn new(command: CommandLine) -> Self {
        CredentialProcess {
            command,
            time_limit: DEFAULT_TIME_LIMIT,
        }
    }

    /// Stops the program (and fails) when it runs longer than `limit`.
    pub fn with_time_limit(mut self, limit: Duration) -> Self {
        self.time_limit = limit;
        self
    }

    fn source(&self) -> String {
        format!("credential_process `{}`", self.command.program_name())
    }

    fn fail(&self, kind: CredentialsErrorKind, reason: impl Into<String>) -> CredentialsError {
        CredentialsError::new(kind, self.source(), reason)
    }

    async fn run(&self) -> Result<Credentials, CredentialsError> {
        let (program, args) = self.command.split().map_err(|e| {
            self.fail(
                CredentialsErrorKind::InvalidConfiguration,
                format!("the command line cannot be split into words: {e}"),
            )
        })?;
        let mut child = Command::new(&program)
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| {
                self.fail(
                    CredentialsErrorKind::Provider,
                    format!("cannot start `{}`", printable(&program, MAX_NAME_CHARS)),
                )
                .with_cause(e)
            })?;
        let Some(mut stdout) = child.stdout.take() else {
            return Err(self.fail(
                CredentialsErrorKind::Provider,
                "the program's standard output is not readable",
            ));
        };
        let finished = async {
            let output = read_bounded(&mut stdout, MAX_OUTPUT).await;
            // Close our end so that a program still writing gets an error rather than blocking.
            drop(stdout);
            let status = child.wait().await;
            (output, status)
        };
        // On timeout `child` is dropped, which kills the program.
        let Ok((output, status)) = tokio::time::timeout(self.time_limit, finished).await else {
            return Err(self.fail(
                CredentialsErrorKind::Provider,
                format!(
                    "the program did not finish within {:?} and was stopped",
                    self.time_limit
                ),
            ));
        };
        let status = status.map_err(|e| {
            self.fail(
                CredentialsErrorKind::Provider,
                "waiting for the program failed",
            )
            .with_cause(e)
        })?;
        // Too much output comes first: closing the pipe early may itself have ended the program.
        let output = match output {
            Ok(Some(output)) => Ok(output),
            Ok(None) => {
                return Err(self.fail(
                    CredentialsErrorKind::Provider,
                    format!("the program printed more than {MAX_OUTPUT} bytes"),
                ));
            }
            Err(e) => Err(e),
        };
        if !status.success() {
            let how = match status.code() {
                Some(code) => format!("exited with code {code}"),
                None => String::from("was ended by a signal"),
            };
            return Err(self.fail(
                CredentialsErrorKind::Provider,
                format!("the program {how} (its standard error above may say why)"),
            ));
        }
        let output = output.map_err(|e| {
            self.fail(
                CredentialsErrorKind::Provider,
                "reading the program's output failed",
            )
            .with_cause(e)
        })?;
        parse_output(&output).map_err(|(kind, reason)| self.fail(kind, reason))
    }
}

impl ProvideCredentials for CredentialProcess {
    fn provide(&self) -> ProvideFuture<'_> {
        ProvideFuture::new(self.run())
    }
}

/// Reads `pipe` to its end; `None` when it holds more than `limit` bytes (the rest is not read).
async fn read_bounded<R: AsyncRead + Unpin>(
    pipe: &mut R,
    limit: usize,
) -> io::Result<Option<Vec<u8>>> {
    let mut output = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let read = poll_fn(|cx| {
            let mut buf = ReadBuf::new(&mut chunk);
            ready!(Pin::new(&mut *pipe).poll_read(cx, &mut buf))?;
            Poll::Ready(Ok::<_, io::Error>(buf.filled().len()))
        })
        .await?;
        if read == 0 {
            return Ok(Some(output));
        }
        if output.len() + read > limit {
            return Ok(None);
        }
        output.extend_from_slice(&chunk[..read]);
    }
}

/// What the program prints. Fields are read by name; the values are never printed.
struct Output {
    version: Option<Value>,
    access_key_id: Option<String>,
    secret_access_key: Option<String>,
    session_token: Option<String>,
    expiration: Option<String>,
}

impl Output {
    fn parse(output: &[u8]) -> Result<Self, Position> {
        let object = Object::parse(output)?;
        Ok(Output {
            version: object.optional_value("Version")?,
            access_key_id: object.optional_string("AccessKeyId")?,
            secret_access_key: object.optional_string("SecretAccessKey")?,
            session_token: object.optional_string("SessionToken")?,
            expiration: object.optional_string("Expiration")?,
        })
    }
}

/// The credentials in the program's output, or the kind and reason of the failure (which never
/// quote the output).
fn parse_output(output: &[u8]) -> Result<Credentials, (CredentialsErrorKind, String)> {
    let provider = CredentialsErrorKind::Provider;
    let output = Output::parse(output).map_err(|at| {
        (
            provider,
            format!("the program's output is not the expected JSON object ({at})"),
        )
    })?;
    match &output.version {
        Some(version) if version.as_u64() == Some(1) => {}
        Some(version) => {
            let shown = printable(&version.to_string(), MAX_NAME_CHARS).into_owned();
            return Err((
                CredentialsErrorKind::Unsupported,
                format!("the program's output has `Version` {shown}; only version 1 is supported"),
            ));
        }
        None => {
            return Err((
                CredentialsErrorKind::Unsupported,
                String::from("the program's output has no `Version`; only version 1 is supported"),
            ));
        }
    }
    let required = |value: Option<String>, key: &str| {
        value
            .filter(|v| !v.is_empty())
            .ok_or_else(|| (provider, format!("the program's output has no `{key}`")))
    };
    let id = required(output.access_key_id, "AccessKeyId")?;
    let secret = required(output.secret_access_key, "SecretAccessKey")?;
    let credentials = Credentials::new(id, secret, output.session_token.filter(|t| !t.is_empty()));
    match output.expiration {
        None => Ok(credentials),
        Some(text) => {
            let expiry = DateTime::parse(&text, TimestampFormat::DateTime).map_err(|_| {
                (
                    provider,
                    format!(
                        "the program's `Expiration` `{}` is not an RFC 3339 time",
                        printable(&text, MAX_NAME_CHARS)
                    ),
                )
            })?;
            Ok(credentials.with_expiry(system_time(expiry)))
        }
    }
}

/// `time` as a `SystemTime`; times before the epoch are the epoch (long expired either way).
pub(crate) fn system_time(time: DateTime) -> SystemTime {
    match u64::try_from(time.secs()) {
        Ok(secs) => UNIX_EPOCH + Duration::new(secs, time.subsec_nanos()),
        Err(_) => UNIX_EPOCH,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        split_words(text).unwrap()
    }

    #[test]
    fn splits_like_a_posix_shell() {
        assert_eq!(
            words("/bin/creds --profile dev"),
            ["/bin/creds", "--profile", "dev"]
        );
        assert_eq!(words("  a \t b\n"), ["a", "b"]);
        assert_eq!(
            words("'/opt/my tools/creds' x"),
            ["/opt/my tools/creds", "x"]
        );
        assert_eq!(words(r#""a \"b\" \\ \n $x" c"#), [r#"a "b" \ \n $x"#, "c"]);
        assert_eq!(words(r"a\ b c\'d"), ["a b", "c'd"]);
        assert_eq!(words("x '' \"\" y"), ["x", "", "", "y"]);
        assert_eq!(words("pre'in side'\"more\"post"), ["prein sidemorepost"]);
        assert_eq!(words("# not a comment"), ["#", "not", "a", "comment"]);
        assert_eq!(words("'a\\b'"), ["a\\b"]);
        assert!(words("   ").is_empty());
    }

    #[test]
    fn lines_that_do_not_split() {
        assert_eq!(split_words("a 'b"), Err(SplitError::UnclosedQuote('\'')));
        assert_eq!(
            split_words("a \"b\\\""),
            Err(SplitError::UnclosedQuote('"'))
        );
        assert_eq!(split_words("a b\\"), Err(SplitError::TrailingBackslash));
        assert_eq!(CommandLine::new(" ").split(), Err(SplitError::Empty));
        let (program, args) = CommandLine::new("p 'x y'").split().unwrap();
        assert_eq!((program.as_str(), args), ("p", vec![String::from("x y")]));
    }

    #[test]
    fn debug_shows_the_program_only() {
        let command = CommandLine::new("/bin/creds --token SECRETARG");
        let printed = format!("{command:?}");
        assert_eq!(printed, "CommandLine(\"/bin/creds\" …)");
        let printed = format!("{:?}", CredentialProcess::new(command));
        assert!(!printed.contains("SECRETARG"), "{printed}");
    }

    #[test]
    fn output_versions_and_fields() {
        let c = parse_output(
            br#"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "S", "SessionToken": "T",
                 "Expiration": "2030-01-02T03:04:05Z", "Other": true}"#,
        )
        .unwrap();
        assert_eq!(c.access_key_id(), "A");
        assert_eq!(c.secret_access_key(), "S");
        assert_eq!(c.session_token(), Some("T"));
        assert_eq!(
            c.expiry(),
            Some(UNIX_EPOCH + Duration::from_secs(1_893_553_445))
        );
        let c =
            parse_output(br#"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "S"}"#).unwrap();
        assert_eq!((c.session_token(), c.expiry()), (None, None));

        for (output, kind, reason) in [
            (
                &br#"{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "S"}"#[..],
                CredentialsErrorKind::Unsupported,
                "has `Version` 2; only version 1 is supported",
            ),
            (
                br#"{"Version": "1", "AccessKeyId": "A", "SecretAccessKey": "S"}"#,
                CredentialsErrorKind::Unsupported,
                "has `Version` \"1\"",
            ),
            (
                br#"{"AccessKeyId": "A", "SecretAccessKey": "S"}"#,
                CredentialsErrorKind::Unsupported,
                "has no `Version`",
            ),
            (
                br#"{"Version": 1, "SecretAccessKey": "S"}"#,
                CredentialsErrorKind::Provider,
                "has no `AccessKeyId`",
            ),
            (
                br#"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": ""}"#,
                CredentialsErrorKind::Provider,
                "has no `SecretAccessKey`",
            ),
            (
                br#"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "S", "Expiration": "soon"}"#,
                CredentialsErrorKind::Provider,
                "`Expiration` `soon` is not an RFC 3339 time",
            ),
            (
                b"SECRETVALUE not json",
                CredentialsErrorKind::Provider,
                "not the expected JSON object (line 1, column 1)",
            ),
            (
                br#"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": 12345}"#,
                CredentialsErrorKind::Provider,
                "not the expected JSON object",
            ),
        ] {
            let (k, r) = parse_output(output).unwrap_err();
            assert_eq!(k, kind, "{r}");
            assert!(r.contains(reason), "{r}");
            assert!(!r.contains("SECRETVALUE") && !r.contains("12345"), "{r}");
        }
    }
}
