//! `credential_process` against real programs: a shell script written into the target directory's
//! scratch space and run directly (through its `#!/bin/sh` line).

#![cfg(unix)]

mod profiles_support;

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use awsquery::credentials::{CredentialsError, CredentialsErrorKind, ProvideCredentials};
use awsquery::sigv4::Credentials;
use awsquery_config::process::{CommandLine, CredentialProcess, MAX_OUTPUT};
use profiles_support::assert_hides;

const SECRET: &str = "PROCESSSECRETKEYEXAMPLE";
const TOKEN: &str = "PROCESSSESSIONTOKENEXAMPLE";

/// The script: what it prints depends on its first argument.
const SCRIPT: &str = r#"#!/bin/sh
secret=PROCESSSECRETKEYEXAMPLE
token=PROCESSSESSIONTOKENEXAMPLE
case "$1" in
  expiring)
    printf '{"Version": 1, "AccessKeyId": "%s", "SecretAccessKey": "%s", "SessionToken": "%s", "Expiration": "2031-02-03T04:05:06Z"}' "$2" "$secret" "$token" ;;
  long-term)
    printf '{"Version": 1, "AccessKeyId": "LONGTERM", "SecretAccessKey": "%s"}\n' "$secret" ;;
  version-2)
    printf '{"Version": 2, "AccessKeyId": "V2", "SecretAccessKey": "%s"}' "$secret" ;;
  failing)
    echo "the token service is unreachable" >&2
    printf '{"Version": 1, "AccessKeyId": "NO", "SecretAccessKey": "%s"}' "$secret"
    exit 7 ;;
  chatty)
    echo "note from the credential process" >&2
    printf '{"Version": 1, "AccessKeyId": "CHATTY", "SecretAccessKey": "%s"}' "$secret" ;;
  not-json)
    echo "oops $secret" ;;
  huge)
    i=0
    while [ $i -lt 2000 ]; do
      echo "0123456789012345678901234567890123456789012345678901234567890123456789"
      i=$((i + 1))
    done ;;
  hanging)
    sleep 30 ;;
  stdin)
    if read -r line; then echo "stdin had: $line" >&2; exit 9; fi
    printf '{"Version": 1, "AccessKeyId": "EMPTYSTDIN", "SecretAccessKey": "%s"}' "$secret" ;;
esac
"#;

/// The script, in the target directory's scratch space, written (when absent or different) once
/// per test process before any test starts a program: a program file open for writing cannot be
/// started, so none may be open while the tests run programs. Only a new file is written, and
/// renamed into place, so programs of other test processes keep running the old one.
fn script() -> &'static PathBuf {
    static SCRIPT_PATH: OnceLock<PathBuf> = OnceLock::new();
    SCRIPT_PATH.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("credential process");
        let path = dir.join("creds.sh");
        if std::fs::read(&path).ok().as_deref() != Some(SCRIPT.as_bytes()) {
            std::fs::create_dir_all(&dir).unwrap();
            let temp = dir.join(format!("creds.sh.{}", std::process::id()));
            std::fs::write(&temp, SCRIPT).unwrap();
            std::fs::set_permissions(&temp, std::fs::Permissions::from_mode(0o755)).unwrap();
            std::fs::rename(&temp, &path).unwrap();
        }
        path
    })
}

/// The command line running the script with `args` (the path quoted: it has a space).
fn command(args: &str) -> CommandLine {
    CommandLine::new(format!("'{}' {args}", script().display()))
}

async fn run(args: &str) -> Result<Credentials, CredentialsError> {
    CredentialProcess::new(command(args)).provide().await
}

async fn failure(args: &str) -> CredentialsError {
    let e = run(args).await.unwrap_err();
    assert_hides(&e.to_string(), &[SECRET, TOKEN]);
    assert_hides(&format!("{e:?}"), &[SECRET, TOKEN]);
    e
}

#[tokio::test]
async fn credentials_with_an_expiry() {
    let c = run("expiring 'key id'\\''s'").await.unwrap();
    assert_eq!(c.access_key_id(), "key id's");
    assert_eq!(c.secret_access_key(), SECRET);
    assert_eq!(c.session_token(), Some(TOKEN));
    assert_eq!(
        c.expiry(),
        Some(UNIX_EPOCH + Duration::from_secs(1_927_857_906))
    );
    assert!(c.expiry().unwrap() > SystemTime::now());
}

#[tokio::test]
async fn long_term_credentials_have_no_expiry() {
    let c = run("long-term").await.unwrap();
    assert_eq!(c.access_key_id(), "LONGTERM");
    assert_eq!((c.session_token(), c.expiry()), (None, None));
}

#[tokio::test]
async fn version_2_is_refused() {
    let e = failure("version-2").await;
    assert_eq!(e.kind(), CredentialsErrorKind::Unsupported);
    assert!(
        e.to_string()
            .ends_with("has `Version` 2; only version 1 is supported"),
        "{e}"
    );
}

#[tokio::test]
async fn a_failing_program_is_reported_with_its_exit_code() {
    let e = failure("failing").await;
    assert_eq!(e.kind(), CredentialsErrorKind::Provider);
    let text = e.to_string();
    assert!(text.contains("credential_process `"), "{text}");
    assert!(
        text.contains("creds.sh`: the program exited with code 7"),
        "{text}"
    );
}

#[tokio::test]
async fn output_that_is_not_credentials_is_not_quoted() {
    let e = failure("not-json").await;
    assert_eq!(e.kind(), CredentialsErrorKind::Provider);
    assert!(
        e.to_string().contains("is not the expected JSON object"),
        "{e}"
    );

    let e = failure("huge").await;
    assert!(
        e.to_string()
            .contains(&format!("the program printed more than {MAX_OUTPUT} bytes")),
        "{e}"
    );
}

#[tokio::test]
async fn standard_input_is_empty() {
    let c = run("stdin").await.unwrap();
    assert_eq!(c.access_key_id(), "EMPTYSTDIN");
}

#[tokio::test]
async fn a_program_that_cannot_start_is_named() {
    let missing = CommandLine::new("/nonexistent/credential-helper --flag SECRETARG");
    let e = CredentialProcess::new(missing).provide().await.unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Provider);
    let text = e.to_string();
    assert!(
        text.contains("credential_process `/nonexistent/credential-helper`: cannot start `/nonexistent/credential-helper`"),
        "{text}"
    );
    assert!(!text.contains("SECRETARG"), "{text}");

    let e = CredentialProcess::new(CommandLine::new("'unclosed"))
        .provide()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert!(e.to_string().contains("a ' quote is not closed"), "{e}");
}

#[tokio::test]
async fn a_hanging_program_is_stopped() {
    let started = std::time::Instant::now();
    let e = CredentialProcess::new(command("hanging"))
        .with_time_limit(Duration::from_millis(300))
        .provide()
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(
        e.to_string()
            .contains("did not finish within 300ms and was stopped"),
        "{e}"
    );
}

/// The environment variable that makes [`standard_error_passes_through`] the child run.
const CHILD_VAR: &str = "AWSQUERY_CONFIG_PROCESS_STDERR_CHILD";

/// The program's standard error reaches this process's: the test runs itself again as a child
/// process, whose standard error it reads.
#[tokio::test]
async fn standard_error_passes_through() {
    if std::env::var_os(CHILD_VAR).is_some() {
        let c = run("chatty").await.unwrap();
        assert_eq!(c.access_key_id(), "CHATTY");
        let e = failure("failing").await;
        assert!(e.to_string().contains("exited with code 7"), "{e}");
        return;
    }
    let output = tokio::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "standard_error_passes_through",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_VAR, "1")
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("1 passed"),
        "the child ran the test: {stdout}"
    );
    assert!(
        stderr.contains("note from the credential process"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the token service is unreachable"),
        "{stderr}"
    );
    assert_hides(&stdout, &[SECRET, TOKEN]);
    assert_hides(&stderr, &[SECRET, TOKEN]);
}
