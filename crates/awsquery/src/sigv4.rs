//! AWS Signature Version 4, header form, for every service but S3.
//!
//! Signing runs in four stages, each public so it can be checked on its own:
//! [`canonical_request`] → [`string_to_sign`] → [`signature`] → [`authorization`]. [`sign`] runs
//! them all on an [`http::Request`](crate::http::Request) and adds the headers AWS expects.

use std::cmp::Ordering;
use std::fmt;
use std::ops::Range;
use std::time::SystemTime;

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use crate::http::Request;
use crate::time::DateTime;

/// The algorithm name that opens the string to sign and the `Authorization` header.
const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// Access key, secret and optional session token. Debug prints the access key id only; the secret
/// and token print as `** redacted **`.
#[derive(Clone)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiry: Option<SystemTime>,
}

impl Credentials {
    /// Credentials from their parts; `session_token` is set for temporary (STS) credentials.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
            expiry: None,
        }
    }

    /// The same credentials, valid until `expiry` (temporary credentials from STS, SSO, instance
    /// metadata or a container endpoint). Caches refresh them shortly before that time.
    pub fn with_expiry(mut self, expiry: SystemTime) -> Self {
        self.expiry = Some(expiry);
        self
    }

    /// When these credentials stop being valid; `None` for long-term keys.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }

    /// The access key id, which appears in every signature's credential scope.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token of temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &Redacted)
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| Redacted),
            )
            .field("expiry", &self.expiry)
            .finish()
    }
}

struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("** redacted **")
    }
}

/// What a signature is made for.
#[derive(Debug, Clone, Copy)]
pub struct SigningParams<'a> {
    /// Who signs.
    pub credentials: &'a Credentials,
    /// The region of the endpoint, e.g. `us-east-1`.
    pub region: &'a str,
    /// The signing name of the service, e.g. `sqs`.
    pub service: &'a str,
    /// The signing time; it goes into `x-amz-date` and the credential scope.
    pub time: DateTime,
}

/// A request to sign, in general form: method, path, query string (raw, may be empty), headers
/// (name, value) as sent (names any case, duplicates allowed), and body.
#[derive(Debug, Clone, Copy)]
pub struct SignableRequest<'a> {
    /// The HTTP method, e.g. `POST`.
    pub method: &'a str,
    /// The path as it appears in the request line, percent-encoding included.
    pub path: &'a str,
    /// The query string without its `?`, percent-encoded as sent.
    pub query: &'a str,
    /// Every header to sign, in the order sent.
    pub headers: &'a [(&'a str, &'a str)],
    /// The payload.
    pub body: &'a [u8],
}

/// The canonical form of a request: the text that is hashed into the string to sign, and the list
/// of header names it signs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonicalRequest {
    text: String,
    signed_headers: Range<usize>,
}

impl CanonicalRequest {
    /// The whole canonical request, six lines joined by `\n`.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The signed header names: lower case, sorted, joined with `;`.
    pub fn signed_headers(&self) -> &str {
        &self.text[self.signed_headers.clone()]
    }
}

impl fmt::Display for CanonicalRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Builds the canonical request:
///
/// ```text
/// METHOD
/// canonical path
/// canonical query
/// name:value            (one line per header name)
///
/// signed;header;names
/// hex(sha256(body))
/// ```
///
/// * The path has empty, `.` and `..` segments resolved away (keeping a trailing `/`), then each
///   byte outside `A-Z a-z 0-9 - _ . ~` is percent-encoded. The path is taken as sent, so an escape
///   already in it is encoded again (`%20` becomes `%2520`): the double encoding every service but
///   S3 expects.
/// * Query parameters are split on `&` and `=`, decoded, re-encoded with the same unreserved set
///   (`+` is kept as a literal plus) and sorted by name, then value.
/// * Header names are lower-cased and sorted; values are trimmed with inner runs of whitespace
///   (line folds included) collapsed to one space; repeated headers are joined with `,` in order.
pub fn canonical_request(req: &SignableRequest<'_>) -> CanonicalRequest {
    let mut headers: Vec<(&str, &str)> = req
        .headers
        .iter()
        .map(|&(name, value)| (name.trim(), value))
        .collect();
    // Stable, so repeated headers keep their order.
    headers.sort_by(|a, b| cmp_ignore_ascii_case(a.0, b.0));

    let headers_len: usize = headers.iter().map(|(n, v)| 2 * n.len() + v.len() + 2).sum();
    let mut text = String::with_capacity(
        req.method.len() + 3 * (req.path.len() + req.query.len()) + headers_len + 80,
    );
    text.push_str(req.method);
    text.push('\n');
    push_canonical_path(req.path, &mut text);
    text.push('\n');
    push_canonical_query(req.query, &mut text);
    text.push('\n');

    for (i, &(name, value)) in headers.iter().enumerate() {
        let continues = i > 0 && headers[i - 1].0.eq_ignore_ascii_case(name);
        if continues {
            text.push(',');
        } else {
            if i > 0 {
                text.push('\n');
            }
            push_lowercase(name, &mut text);
            text.push(':');
        }
        push_collapsed(value, &mut text);
    }
    if !headers.is_empty() {
        text.push('\n');
    }
    text.push('\n');

    let start = text.len();
    for (i, &(name, _)) in headers.iter().enumerate() {
        if i > 0 && headers[i - 1].0.eq_ignore_ascii_case(name) {
            continue;
        }
        if i > 0 {
            text.push(';');
        }
        push_lowercase(name, &mut text);
    }
    let signed_headers = start..text.len();
    text.push('\n');
    push_hex(&Sha256::digest(req.body), &mut text);

    CanonicalRequest {
        text,
        signed_headers,
    }
}

/// Builds the string to sign: the algorithm, the `x-amz-date` time, the credential scope and the
/// hex SHA-256 of the canonical request, one per line.
pub fn string_to_sign(canonical_request: &str, params: &SigningParams<'_>) -> String {
    let mut out = String::with_capacity(ALGORITHM.len() + 20 + scope_len(params) + 64);
    out.push_str(ALGORITHM);
    out.push('\n');
    params.time.write_amz_date(&mut out);
    out.push('\n');
    push_scope(params, &mut out);
    out.push('\n');
    push_hex(&Sha256::digest(canonical_request.as_bytes()), &mut out);
    out
}

/// The signature of `string_to_sign` in hex: an HMAC-SHA256 with the key derived from the secret
/// through the day, region, service and `aws4_request`.
pub fn signature(string_to_sign: &str, params: &SigningParams<'_>) -> String {
    let mut day = String::with_capacity(8);
    params.time.write_amz_day(&mut day);
    let secret = params.credentials.secret_access_key();
    let mut key = String::with_capacity(4 + secret.len());
    key.push_str("AWS4");
    key.push_str(secret);

    let key = hmac_sha256(key.as_bytes(), day.as_bytes());
    let key = hmac_sha256(&key, params.region.as_bytes());
    let key = hmac_sha256(&key, params.service.as_bytes());
    let key = hmac_sha256(&key, b"aws4_request");
    let mut out = String::with_capacity(64);
    push_hex(&hmac_sha256(&key, string_to_sign.as_bytes()), &mut out);
    out
}

/// The whole `Authorization` header value for `req`:
/// `AWS4-HMAC-SHA256 Credential=AKID/scope, SignedHeaders=a;b, Signature=hex`.
pub fn authorization(req: &SignableRequest<'_>, params: &SigningParams<'_>) -> String {
    let canonical = canonical_request(req);
    let signature = signature(&string_to_sign(canonical.as_str(), params), params);
    let signed_headers = canonical.signed_headers();
    let access_key_id = params.credentials.access_key_id();

    let mut out = String::with_capacity(
        ALGORITHM.len()
            + access_key_id.len()
            + scope_len(params)
            + signed_headers.len()
            + signature.len()
            + 48,
    );
    out.push_str(ALGORITHM);
    out.push_str(" Credential=");
    out.push_str(access_key_id);
    out.push('/');
    push_scope(params, &mut out);
    out.push_str(", SignedHeaders=");
    out.push_str(signed_headers);
    out.push_str(", Signature=");
    out.push_str(&signature);
    out
}

/// Signs a request in place: adds `host` (from the absolute URI, unless present), `x-amz-date`,
/// `x-amz-security-token` (when the credentials have one) and `authorization`. Signs every header
/// present, the session token included.
///
/// Any `authorization` and `x-amz-date` already present are replaced, and so is an
/// `x-amz-security-token` when the credentials carry a token. The host is the URI's authority with
/// a default port (`:443` for https, `:80` for http) left out. When `uri` is only a path, the
/// request must already have a `host` header; it is signed without one otherwise.
pub fn sign(request: &mut Request, params: &SigningParams<'_>) {
    let token = params.credentials.session_token();
    request.headers.retain(|(name, _)| {
        !(name.eq_ignore_ascii_case("authorization")
            || name.eq_ignore_ascii_case("x-amz-date")
            || token.is_some() && name.eq_ignore_ascii_case("x-amz-security-token"))
    });

    let target = split_uri(&request.uri);
    if let Some(host) = target.host {
        if !request
            .headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("host"))
        {
            request.headers.push(("host", host.to_owned()));
        }
    }
    let mut date = String::with_capacity(16);
    params.time.write_amz_date(&mut date);
    request.headers.push(("x-amz-date", date));
    if let Some(token) = token {
        request
            .headers
            .push(("x-amz-security-token", token.to_owned()));
    }

    let headers: Vec<(&str, &str)> = request
        .headers
        .iter()
        .map(|(name, value)| (*name, value.as_str()))
        .collect();
    let signable = SignableRequest {
        method: request.method,
        path: target.path,
        query: target.query,
        headers: &headers,
        body: &request.body,
    };
    let value = authorization(&signable, params);
    request.headers.push(("authorization", value));
}

/// The parts of a request URI that signing needs.
struct Target<'a> {
    host: Option<&'a str>,
    path: &'a str,
    query: &'a str,
}

/// Splits `https://host[:port]/path?query#fragment` (or just `/path?query`).
fn split_uri(uri: &str) -> Target<'_> {
    let uri = uri.split_once('#').map_or(uri, |(before, _)| before);
    let scheme_end = uri.find("://").filter(|&i| {
        uri[..i]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
    });
    let (host, rest) = match scheme_end {
        Some(i) => {
            let scheme = &uri[..i];
            let after = &uri[i + 3..];
            let end = after.find(['/', '?']).unwrap_or(after.len());
            let authority = &after[..end];
            let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
            let default_port = if scheme.eq_ignore_ascii_case("https") {
                ":443"
            } else if scheme.eq_ignore_ascii_case("http") {
                ":80"
            } else {
                ""
            };
            let host = match host_port.strip_suffix(default_port) {
                Some(bare) if !default_port.is_empty() => bare,
                _ => host_port,
            };
            (Some(host), &after[end..])
        }
        None => (None, uri),
    };
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    Target { host, path, query }
}

/// Appends the normalised, percent-encoded path.
fn push_canonical_path(path: &str, out: &mut String) {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            _ => segments.push(segment),
        }
    }
    // `/a/b/`, `/a/b/.` and `/a/b/..` all name a directory.
    let last = path.rsplit('/').next().unwrap_or("");
    let trailing_slash = matches!(last, "" | "." | "..");

    out.push('/');
    for (i, segment) in segments.iter().enumerate() {
        if i > 0 {
            out.push('/');
        }
        push_encoded(segment.as_bytes(), out);
    }
    if trailing_slash && !segments.is_empty() {
        out.push('/');
    }
}

/// Appends the sorted, re-encoded query parameters.
fn push_canonical_query(query: &str, out: &mut String) {
    let mut params: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (reencode(name), reencode(value))
        })
        .collect();
    params.sort_unstable();
    for (i, (name, value)) in params.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        out.push_str(value);
    }
}

/// Percent-decodes `text` (a `%` not followed by two hex digits stays as it is) and encodes the
/// result with the unreserved set.
fn reencode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = match bytes.get(i..i + 3) {
            Some([b'%', hi, lo]) => hex_value(*hi).zip(hex_value(*lo)),
            _ => None,
        };
        match escaped {
            Some((hi, lo)) => {
                push_encoded(&[hi << 4 | lo], &mut out);
                i += 3;
            }
            None => {
                push_encoded(&bytes[i..=i], &mut out);
                i += 1;
            }
        }
    }
    out
}

fn hex_value(digit: u8) -> Option<u8> {
    // A hex digit is below 16, so the narrowing is lossless.
    char::from(digit).to_digit(16).map(|d| d as u8)
}

/// Appends `bytes` with everything outside `A-Z a-z 0-9 - _ . ~` written as `%XX`.
fn push_encoded(bytes: &[u8], out: &mut String) {
    for &b in bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX_UPPER[usize::from(b >> 4)]));
            out.push(char::from(HEX_UPPER[usize::from(b & 0xf)]));
        }
    }
}

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";
const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";

/// Appends `bytes` as lower-case hex.
fn push_hex(bytes: &[u8], out: &mut String) {
    for &b in bytes {
        out.push(char::from(HEX_LOWER[usize::from(b >> 4)]));
        out.push(char::from(HEX_LOWER[usize::from(b & 0xf)]));
    }
}

fn push_lowercase(text: &str, out: &mut String) {
    out.extend(text.chars().map(|c| c.to_ascii_lowercase()));
}

/// Appends `value` trimmed, with each inner run of whitespace collapsed to one space.
fn push_collapsed(value: &str, out: &mut String) {
    for (i, word) in value.split_ascii_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
}

fn cmp_ignore_ascii_case(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|b| b.to_ascii_lowercase())
        .cmp(b.bytes().map(|b| b.to_ascii_lowercase()))
}

/// `YYYYMMDD/region/service/aws4_request`.
fn push_scope(params: &SigningParams<'_>, out: &mut String) {
    params.time.write_amz_day(out);
    out.push('/');
    out.push_str(params.region);
    out.push('/');
    out.push_str(params.service);
    out.push_str("/aws4_request");
}

fn scope_len(params: &SigningParams<'_>) -> usize {
    8 + params.region.len() + params.service.len() + 15
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn credentials(token: Option<&str>) -> Credentials {
        Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            token.map(str::to_owned),
        )
    }

    fn params(credentials: &Credentials) -> SigningParams<'_> {
        SigningParams {
            credentials,
            region: "us-east-1",
            service: "service",
            time: DateTime::from_secs(1_440_938_160),
        }
    }

    #[test]
    fn debug_hides_secret_and_token() {
        let creds = credentials(Some("session-token-value"));
        let printed = format!("{creds:?} {:?}", params(&creds));
        assert!(printed.contains("AKIDEXAMPLE"), "{printed}");
        assert!(printed.contains("** redacted **"), "{printed}");
        assert!(!printed.contains("wJalrXUtnFEMI"), "{printed}");
        assert!(!printed.contains("session-token-value"), "{printed}");
    }

    #[test]
    fn sign_adds_headers_and_a_fixed_signature() {
        let creds = credentials(None);
        let mut request = Request::form_post(String::from("Action=ListQueues&Version=2012-11-05"));
        request.uri = String::from("https://sqs.us-east-1.amazonaws.com:443/");
        sign(&mut request, &params(&creds));

        assert_eq!(request.header("host"), Some("sqs.us-east-1.amazonaws.com"));
        assert_eq!(request.header("x-amz-date"), Some("20150830T123600Z"));
        assert_eq!(request.header("x-amz-security-token"), None);
        let expected = authorization(
            &SignableRequest {
                method: "POST",
                path: "/",
                query: "",
                headers: &[
                    ("content-type", "application/x-www-form-urlencoded"),
                    ("content-length", "36"),
                    ("host", "sqs.us-east-1.amazonaws.com"),
                    ("x-amz-date", "20150830T123600Z"),
                ],
                body: b"Action=ListQueues&Version=2012-11-05",
            },
            &params(&creds),
        );
        assert_eq!(request.header("authorization"), Some(expected.as_str()));
        assert!(expected.starts_with(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
             SignedHeaders=content-length;content-type;host;x-amz-date, Signature="
        ));

        // Signing again replaces the previous date and signature rather than adding to them.
        let first = request.clone();
        sign(&mut request, &params(&creds));
        assert_eq!(request.headers.len(), first.headers.len());
        assert_eq!(
            request.header("authorization"),
            first.header("authorization")
        );
    }

    #[test]
    fn sign_signs_the_session_token() {
        let creds = credentials(Some("token-1"));
        let mut request = Request::form_post(String::new());
        request.uri = String::from("http://localhost:8080/?b=2&a=1");
        sign(&mut request, &params(&creds));
        assert_eq!(request.header("host"), Some("localhost:8080"));
        assert_eq!(request.header("x-amz-security-token"), Some("token-1"));
        let authorization = request.header("authorization").unwrap_or_default();
        assert!(
            authorization.contains(
                "SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-security-token,"
            ),
            "{authorization}"
        );
    }

    #[test]
    fn canonical_forms() {
        let canonical = canonical_request(&SignableRequest {
            method: "GET",
            path: "/a/./b/../c%20d//e/.",
            query: "z=%7e&y&a=b+c&a=A",
            headers: &[
                ("X-B", "  two   words \n  folded "),
                ("host", "h"),
                ("x-b", "again"),
            ],
            body: b"",
        });
        assert_eq!(
            canonical.as_str(),
            "GET\n/a/c%2520d/e/\na=A&a=b%2Bc&y=&z=~\nhost:h\nx-b:two words folded,again\n\n\
             host;x-b\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(canonical.signed_headers(), "host;x-b");
    }

    #[test]
    fn splits_uris() {
        let t = split_uri("https://user@example.com:8443/p/q?x=1#frag");
        assert_eq!(
            (t.host, t.path, t.query),
            (Some("example.com:8443"), "/p/q", "x=1")
        );
        let t = split_uri("https://example.com");
        assert_eq!((t.host, t.path, t.query), (Some("example.com"), "", ""));
        let t = split_uri("/only/path?q");
        assert_eq!((t.host, t.path, t.query), (None, "/only/path", "q"));
    }
}
