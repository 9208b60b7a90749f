//! Runs AWS's Signature Version 4 test suite against `awsquery::sigv4`.
//!
//! Each case is a folder `NAME/` holding `NAME.req` (the request), `NAME.creq` (its canonical
//! request), `NAME.sts` (the string to sign), `NAME.authz` (the `Authorization` value) and
//! `NAME.sreq` (the signed request). Every stage is compared, and then `sign` is run on the same
//! request and its `Authorization` header compared too.

use std::fs;
use std::path::{Path, PathBuf};

use awsquery::http::Request;
use awsquery::sigv4::{self, Credentials, SignableRequest, SigningParams};
use awsquery::time::{DateTime, TimestampFormat};

/// Every folder in the suite with a `.req` file, the `normalize-path` and `post-sts-token` ones
/// included.
const EXPECTED_CASES: usize = 34;

const ACCESS_KEY_ID: &str = "AKIDEXAMPLE";
const SECRET_ACCESS_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

/// A request as a suite file writes it.
struct RawRequest {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl RawRequest {
    /// Reads the request line, the headers (a line starting with white space continues the
    /// previous value), a blank line and the body.
    fn parse(text: &str) -> Result<Self, String> {
        let (head, body) = text.split_once("\n\n").unwrap_or((text, ""));
        let mut lines = head.lines();
        let request_line = lines.next().ok_or("empty request")?;
        // The target may hold spaces, so the method ends at the first and the version starts at
        // the last.
        let (method, rest) = request_line
            .split_once(' ')
            .ok_or("no target in the request line")?;
        let (target, _version) = rest
            .rsplit_once(' ')
            .ok_or("no version in the request line")?;
        let (path, query) = target.split_once('?').unwrap_or((target, ""));

        let mut headers: Vec<(String, String)> = Vec::new();
        for line in lines.filter(|line| !line.is_empty()) {
            if line.starts_with([' ', '\t']) {
                let (_, value) = headers
                    .last_mut()
                    .ok_or("continuation line before any header")?;
                value.push('\n');
                value.push_str(line);
            } else {
                let (name, value) = line
                    .split_once(':')
                    .ok_or_else(|| format!("header line without ':': {line:?}"))?;
                headers.push((name.to_owned(), value.to_owned()));
            }
        }
        Ok(RawRequest {
            method: method.to_owned(),
            path: path.to_owned(),
            query: query.to_owned(),
            headers,
            body: body.as_bytes().to_vec(),
        })
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
    }
}

/// The folders under `dir` that hold a case, sorted by path.
fn find_cases(dir: &Path, cases: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            if case_file(&path, "req").is_file() {
                cases.push(path.clone());
            }
            find_cases(&path, cases)?;
        }
    }
    cases.sort();
    Ok(())
}

fn case_file(dir: &Path, extension: &str) -> PathBuf {
    let name = dir.file_name().unwrap_or_default().to_string_lossy();
    dir.join(format!("{name}.{extension}"))
}

fn read(dir: &Path, extension: &str) -> Result<String, String> {
    let path = case_file(dir, extension);
    fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))
}

/// `20150830T123600Z` as a time.
fn parse_amz_date(value: &str) -> Result<DateTime, String> {
    let part = |range: std::ops::Range<usize>| value.get(range).unwrap_or("");
    let iso = format!(
        "{}-{}-{}T{}:{}:{}Z",
        part(0..4),
        part(4..6),
        part(6..8),
        part(9..11),
        part(11..13),
        part(13..15)
    );
    DateTime::parse(&iso, TimestampFormat::DateTime).map_err(|e| e.to_string())
}

/// Runs one case, returning what went wrong.
fn run_case(dir: &Path) -> Result<(), String> {
    let request = RawRequest::parse(&read(dir, "req")?)?;
    let signed = RawRequest::parse(&read(dir, "sreq")?)?;
    let expected_creq = read(dir, "creq")?;
    let expected_sts = read(dir, "sts")?;
    let expected_authz = read(dir, "authz")?;

    // Headers the signer adds (the session token) are in the signed request but not the request.
    // Those the signature covers are added before signing; the rest come after it.
    let signed_names = expected_authz
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .ok_or("no SignedHeaders in .authz")?;
    let added: Vec<&(String, String)> = signed
        .headers
        .iter()
        .filter(|(name, _)| {
            !name.eq_ignore_ascii_case("authorization")
                && request.header(name).is_none()
                && signed_names
                    .split(';')
                    .any(|signed| signed.eq_ignore_ascii_case(name))
        })
        .collect();
    let token_is_signed = signed_names
        .split(';')
        .any(|name| name == "x-amz-security-token");
    let token = signed
        .header("x-amz-security-token")
        .filter(|_| token_is_signed);

    let credentials = Credentials::new(ACCESS_KEY_ID, SECRET_ACCESS_KEY, token.map(str::to_owned));
    let time = parse_amz_date(request.header("x-amz-date").ok_or("no X-Amz-Date")?)?;
    let params = SigningParams {
        credentials: &credentials,
        region: "us-east-1",
        service: "service",
        time,
    };

    let headers: Vec<(&str, &str)> = request
        .headers
        .iter()
        .chain(added.iter().copied())
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    let signable = SignableRequest {
        method: &request.method,
        path: &request.path,
        query: &request.query,
        headers: &headers,
        body: &request.body,
    };

    let mut problems = Vec::new();
    let creq = sigv4::canonical_request(&signable);
    if creq.as_str() != expected_creq {
        problems.push(format!(
            "canonical request\n--- expected\n{expected_creq}\n--- got\n{creq}"
        ));
    }
    let sts = sigv4::string_to_sign(creq.as_str(), &params);
    if sts != expected_sts {
        problems.push(format!(
            "string to sign\n--- expected\n{expected_sts}\n--- got\n{sts}"
        ));
    }
    let authz = sigv4::authorization(&signable, &params);
    if authz != expected_authz {
        problems.push(format!(
            "authorization\n--- expected\n{expected_authz}\n--- got\n{authz}"
        ));
    }

    // The same request through `sign`, which sets the date and token itself.
    let host = request.header("host").ok_or("no Host")?;
    let query = if request.query.is_empty() {
        String::new()
    } else {
        format!("?{}", request.query)
    };
    let mut http = Request {
        method: if request.method == "GET" {
            "GET"
        } else {
            "POST"
        },
        uri: format!("https://{host}{}{query}", request.path),
        headers: request
            .headers
            .iter()
            .map(|(name, value)| {
                let name: &'static str = Box::leak(name.to_ascii_lowercase().into_boxed_str());
                (name, value.clone())
            })
            .collect(),
        body: request.body.clone(),
        sensitive: &[],
    };
    sigv4::sign(&mut http, &params);
    if http.header("authorization") != Some(expected_authz.as_str()) {
        problems.push(format!(
            "sign\n--- expected\n{expected_authz}\n--- got\n{:?}",
            http.header("authorization")
        ));
    }

    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

#[test]
fn aws_sigv4_suite() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/sigv4");
    if !root.is_dir() {
        eprintln!(
            "skipping: ../shared/fixtures/sigv4 not found; it holds AWS's SigV4 suite and sits \
             beside the repository in CI"
        );
        return;
    }
    let mut cases = Vec::new();
    if let Err(e) = find_cases(&root, &mut cases) {
        panic!("cannot list {}: {e}", root.display());
    }

    let mut failures = Vec::new();
    for dir in &cases {
        let name = dir.strip_prefix(&root).unwrap_or(dir).display().to_string();
        if let Err(problem) = run_case(dir) {
            eprintln!("FAIL {name}: {problem}\n");
            failures.push(name);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed: {}",
        failures.len(),
        cases.len(),
        failures.join(", ")
    );
    assert_eq!(
        cases.len(),
        EXPECTED_CASES,
        "expected {EXPECTED_CASES} cases"
    );
}
