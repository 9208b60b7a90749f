//! `neptune describe-global-clusters` with each kind of credentials the AWS CLI knows, against the
//! moto server that `.ci/run` starts with signatures checked: a call that moto answers with the
//! global cluster was signed with credentials moto issued or knows, and a wrong one is refused.
//!
//! The sources that AWS runs (IAM Identity Center's portal, a container endpoint, instance
//! metadata) are played by small servers on 127.0.0.1 that hand out moto's keys; STS is moto's.
//!
//! `.ci/moto_setup.py` exports `NEPTUNE_MOTO_*`; without them each test says on stderr that it is
//! skipped, and passes.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// What `.ci/run` exported about the running moto server.
struct Moto {
    endpoint: String,
    access_key_id: String,
    secret_access_key: String,
    global_cluster: String,
    role_arn: String,
}

impl Moto {
    /// The server, or `None` after saying on stderr why `test` is skipped.
    fn find(test: &str) -> Option<Moto> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let found = (|| {
            Some(Moto {
                endpoint: var("NEPTUNE_MOTO_ENDPOINT")?,
                access_key_id: var("NEPTUNE_MOTO_ACCESS_KEY_ID")?,
                secret_access_key: var("NEPTUNE_MOTO_SECRET_ACCESS_KEY")?,
                global_cluster: var("NEPTUNE_MOTO_GLOBAL_CLUSTER")?,
                role_arn: var("NEPTUNE_MOTO_ROLE_ARN")?,
            })
        })();
        if found.is_none() {
            eprintln!(
                "SKIPPED {test}: no moto server (NEPTUNE_MOTO_ENDPOINT, …_ACCESS_KEY_ID, \
                 …_SECRET_ACCESS_KEY, …_GLOBAL_CLUSTER and …_ROLE_ARN unset; `.ci/run` sets them)"
            );
        }
        found
    }

    /// A credentials document in the shape `shape` gives, holding moto's user's keys.
    fn keys_json(&self, shape: fn(&str, &str) -> String) -> String {
        shape(&self.access_key_id, &self.secret_access_key)
    }
}

/// moto counts unauthenticated requests server-wide, and the web identity test opens a window of
/// one: the tests of this file run one at a time.
fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn temp_home() -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "neptune-credentials-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join(".aws/sso/cache")).expect("a temporary home");
    dir
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).expect("a file in the temporary home");
}

#[derive(Debug)]
struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `neptune describe-global-clusters --debug` and `args` with Neptune and STS on moto, only
/// `env` in the environment, the temporary home, and instance metadata on a closed port unless
/// `env` sets it.
fn describe(moto: &Moto, home: &Path, args: &[&str], env: &[(&str, &str)]) -> Ran {
    let output = Command::new(env!("CARGO_BIN_EXE_neptune"))
        .args(["describe-global-clusters", "--debug"])
        .args(args)
        .env_clear()
        .env("HOME", home)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ENDPOINT_URL_NEPTUNE", &moto.endpoint)
        .env("AWS_ENDPOINT_URL_STS", &moto.endpoint)
        .env("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:9")
        .envs(env.iter().copied())
        .output()
        .expect("the binary runs");
    Ran {
        code: output.status.code().expect("an exit status"),
        stdout: String::from_utf8(output.stdout).expect("UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("UTF-8"),
    }
}

/// The call succeeded with the global cluster in the answer, signed with a session token
/// (temporary credentials) when `temporary`.
fn assert_listed(moto: &Moto, ran: &Ran, temporary: bool) {
    assert_eq!(ran.code, 0, "{ran:#?}");
    assert!(
        ran.stdout.contains(&format!(
            "\"GlobalClusterIdentifier\": \"{}\"",
            moto.global_cluster
        )),
        "{}",
        ran.stdout
    );
    // The `--debug` log: the Neptune request, and whether it carried a session token.
    let neptune_request = ran
        .stderr
        .split(" DEBUG ")
        .find(|entry| entry.contains("Action=DescribeGlobalClusters"))
        .unwrap_or_else(|| panic!("no DescribeGlobalClusters request logged: {}", ran.stderr));
    assert_eq!(
        neptune_request.contains("x-amz-security-token: ** redacted **"),
        temporary,
        "{neptune_request}"
    );
    assert!(
        !ran.stderr.contains(&moto.secret_access_key),
        "the secret leaked"
    );
}

#[test]
fn a_role_assumed_with_a_source_profile() {
    let Some(moto) = Moto::find("a_role_assumed_with_a_source_profile") else {
        return;
    };
    let _serial = serial();
    let home = temp_home();
    write(
        &home.join(".aws/credentials"),
        &format!(
            "[base]\naws_access_key_id = {}\naws_secret_access_key = {}\n\
             [wrong]\naws_access_key_id = {}\naws_secret_access_key = not-the-secret\n",
            moto.access_key_id, moto.secret_access_key, moto.access_key_id
        ),
    );
    write(
        &home.join(".aws/config"),
        &format!(
            "[profile deployer]\nrole_arn = {role}\nsource_profile = base\nrole_session_name = drill\n\
             [profile refused]\nrole_arn = {role}\nsource_profile = wrong\n",
            role = moto.role_arn
        ),
    );
    let ran = describe(&moto, &home, &["--profile", "deployer"], &[]);
    assert_listed(&moto, &ran, true);
    assert!(
        ran.stderr.contains("api/sts#"),
        "the STS request is logged: {}",
        ran.stderr
    );

    let ran = describe(&moto, &home, &["--profile", "refused"], &[]);
    assert_eq!(ran.code, 253, "{ran:#?}");
    assert!(
        ran.stderr.contains(&moto.role_arn) && ran.stderr.contains("SignatureDoesNotMatch"),
        "{}",
        ran.stderr
    );
}

#[test]
fn web_identity_from_the_environment() {
    let Some(moto) = Moto::find("web_identity_from_the_environment") else {
        return;
    };
    let _serial = serial();
    let home = temp_home();
    let token_file = home.join("token");
    write(&token_file, "eyJ.a-web-identity-token.sig");
    // moto answers a request without a signature with a 500 once it checks signatures; an
    // allowance of one unauthenticated request lets AssumeRoleWithWebIdentity through, and the
    // Neptune call after it is checked again.
    moto_allow_unsigned(&moto, 1);
    let ran = describe(
        &moto,
        &home,
        &[],
        &[
            ("AWS_WEB_IDENTITY_TOKEN_FILE", token_file.to_str().unwrap()),
            ("AWS_ROLE_ARN", &moto.role_arn),
            ("AWS_ROLE_SESSION_NAME", "eks-pod"),
        ],
    );
    assert_listed(&moto, &ran, true);
    assert!(
        ran.stderr.contains("api/sts#"),
        "the STS request is logged: {}",
        ran.stderr
    );
    assert!(
        !ran.stderr.contains("a-web-identity-token"),
        "{}",
        ran.stderr
    );
}

#[test]
fn a_credential_process() {
    let Some(moto) = Moto::find("a_credential_process") else {
        return;
    };
    let _serial = serial();
    let home = temp_home();
    let script = home.join("print-keys");
    let document = moto.keys_json(|id, secret| {
        format!(r#"{{"Version": 1, "AccessKeyId": "{id}", "SecretAccessKey": "{secret}"}}"#)
    });
    write(
        &script,
        &format!("#!/bin/sh\necho 'from the process' >&2\ncat <<'EOF'\n{document}\nEOF\n"),
    );
    make_executable(&script);
    write(
        &home.join(".aws/config"),
        &format!(
            "[profile tool]\ncredential_process = \"{}\"\n",
            script.display()
        ),
    );
    let ran = describe(&moto, &home, &["--profile", "tool"], &[]);
    assert_listed(&moto, &ran, false);
    assert!(
        ran.stderr.contains("from the process"),
        "stderr passes through: {}",
        ran.stderr
    );
}

#[test]
fn iam_identity_center() {
    let Some(moto) = Moto::find("iam_identity_center") else {
        return;
    };
    let _serial = serial();
    let home = temp_home();
    let role_credentials = moto.keys_json(|id, secret| {
        format!(
            r#"{{"roleCredentials":{{"accessKeyId":"{id}","secretAccessKey":"{secret}","sessionToken":"","expiration":4102444800000}}}}"#
        )
    });
    // One stand-in for the portal and the OIDC token endpoint: the cached token has expired, so
    // it is refreshed first, and the portal wants the new one.
    let portal = Server::start(move |request| {
        if request.starts_with("POST /token ") {
            return (
                200,
                r#"{"accessToken":"fresh-access-token","expiresIn":3600,"tokenType":"Bearer"}"#
                    .to_owned(),
            );
        }
        let authorized = request.contains("x-amz-sso_bearer_token: fresh-access-token");
        let asked = request
            .starts_with("GET /federation/credentials?role_name=Operator&account_id=123456789012 ");
        if authorized && asked {
            (200, role_credentials.clone())
        } else {
            (403, r#"{"message":"not this request"}"#.to_owned())
        }
    });
    // The portal and OIDC endpoints are reached through the profile's services section, as a
    // user could point them at a local stand-in.
    write(
        &home.join(".aws/config"),
        &format!(
            "[profile operator]\nsso_session = corp\nsso_account_id = 123456789012\n\
             sso_role_name = Operator\nservices = local-sso\n\
             [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n\
             [services local-sso]\nsso =\n  endpoint_url = {url}\nsso_oidc =\n  endpoint_url = {url}\n",
            url = portal.url
        ),
    );
    // The token `aws sso login --sso-session corp` would leave, named by the SHA-1 of "corp",
    // expired and refreshable.
    let cache = home
        .join(".aws/sso/cache")
        .join(format!("{}.json", awsquery_config::sso::cache_key("corp")));
    write(
        &cache,
        r#"{"accessToken":"stale-access-token","expiresAt":"2020-01-01T00:00:00Z","region":"us-east-1","startUrl":"https://corp.awsapps.com/start","refreshToken":"the-refresh-token","clientId":"the-client-id","clientSecret":"the-client-secret","registrationExpiresAt":"2100-01-01T00:00:00Z"}"#,
    );
    let ran = describe(&moto, &home, &["--profile", "operator"], &[]);
    assert_listed(&moto, &ran, false);
    assert_eq!(portal.requests(), 2, "a refresh, then the portal");
    for secret in ["access-token", "the-refresh-token", "the-client-secret"] {
        assert!(
            !ran.stderr.contains(secret),
            "`{secret}` in the log: {}",
            ran.stderr
        );
    }
    let rewritten = std::fs::read_to_string(&cache).unwrap();
    assert!(rewritten.contains("fresh-access-token"), "{rewritten}");
}

#[test]
fn a_container_endpoint() {
    let Some(moto) = Moto::find("a_container_endpoint") else {
        return;
    };
    let _serial = serial();
    let home = temp_home();
    let document = moto.keys_json(|id, secret| {
        format!(
            r#"{{"AccessKeyId":"{id}","SecretAccessKey":"{secret}","Token":"","Expiration":"2100-01-01T00:00:00Z"}}"#
        )
    });
    let endpoint = Server::start(move |request| {
        if request.contains("authorization: pod-identity-token") {
            (200, document.clone())
        } else {
            (401, "{}".to_owned())
        }
    });
    let full_uri = format!("{}/v1/credentials", endpoint.url);
    let ran = describe(
        &moto,
        &home,
        &[],
        &[
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &full_uri),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "pod-identity-token"),
        ],
    );
    assert_listed(&moto, &ran, false);
    assert!(!ran.stderr.contains("pod-identity-token"), "{}", ran.stderr);
}

#[test]
fn instance_metadata() {
    let Some(moto) = Moto::find("instance_metadata") else {
        return;
    };
    let _serial = serial();
    let home = temp_home();
    let document = moto.keys_json(|id, secret| {
        format!(
            r#"{{"Code":"Success","AccessKeyId":"{id}","SecretAccessKey":"{secret}","Token":"","Expiration":"2100-01-01T00:00:00Z"}}"#
        )
    });
    let imds = Server::start(move |request| {
        if request.starts_with("PUT /latest/api/token ") {
            return (200, "imds-token".to_owned());
        }
        if !request.contains("x-aws-ec2-metadata-token: imds-token") {
            return (401, String::new());
        }
        match request.split(' ').nth(1).unwrap_or_default() {
            "/latest/meta-data/iam/security-credentials/" => (200, "web-server".to_owned()),
            "/latest/meta-data/iam/security-credentials/web-server" => (200, document.clone()),
            "/latest/meta-data/placement/region" => (200, "us-east-1".to_owned()),
            _ => (404, String::new()),
        }
    });
    let ran = describe(
        &moto,
        &home,
        &[],
        &[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &imds.url)],
    );
    assert_listed(&moto, &ran, false);
    assert!(imds.requests() >= 3);
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// Lets moto take the next `count` requests without checking their signature.
fn moto_allow_unsigned(moto: &Moto, count: u32) {
    let address = moto.endpoint.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).expect("moto listens");
    let body = count.to_string();
    write!(
        stream,
        "POST /moto-api/reset-auth HTTP/1.1\r\nHost: {address}\r\nContent-Type: text/plain\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[cfg(unix)]
fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// A one-thread HTTP/1.1 server on 127.0.0.1 answering each request (its head, with header names
/// in lower case) with `answer`, one connection at a time, and counting them.
struct Server {
    url: String,
    served: Arc<AtomicUsize>,
}

impl Server {
    fn start(answer: impl Fn(&str) -> (u16, String) + Send + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let served = Arc::new(AtomicUsize::new(0));
        let count = served.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut head = String::new();
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    let line = match line.split_once(':') {
                        Some((name, value)) => format!("{}:{value}", name.to_ascii_lowercase()),
                        None => line,
                    };
                    if let Some(value) = line.strip_prefix("content-length:") {
                        length = value.trim().parse().unwrap_or(0);
                    }
                    head.push_str(&line);
                }
                let mut body = vec![0; length];
                let _ = reader.read_exact(&mut body);
                count.fetch_add(1, Ordering::SeqCst);
                let (status, text) = answer(&head);
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
                     Connection: close\r\n\r\n{text}",
                    text.len()
                );
            }
        });
        Server { url, served }
    }

    fn requests(&self) -> usize {
        self.served.load(Ordering::SeqCst)
    }
}
