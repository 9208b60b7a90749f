//! AWS Signature Version 4, header form, for every service but S3.
//!
//! Signing runs in four stages, each public so it can be checked on its own:
//! [`canonical_request`] → [`string_to_sign`] → [`signature`] → [`authorization`]. [`sign`] runs
//! them all on an [`http::Request`](crate::http::Request) and adds the headers AWS expects.
//!
//! [`authorization`] and [`sign`] write the same text as the stages, but into the hash that
//! consumes it rather than into strings, so a signature allocates only the header values it adds.
//! [`sign_cached`] also keeps the signing key (four HMACs over the secret, the day, the region and
//! the service) in a [`SigningKeyCache`] for the next request of the same day, as a client does.

use std::cmp::Ordering;
use std::fmt;
use std::ops::Range;
use std::sync::{Mutex, PoisonError};
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
    with_sorted_headers(req.headers.iter().copied(), |headers| {
        let headers_len: usize = headers.iter().map(|(n, v)| 2 * n.len() + v.len() + 2).sum();
        let mut text = String::with_capacity(
            req.method.len() + 3 * (req.path.len() + req.query.len()) + headers_len + 80,
        );
        let parts = Canonical {
            method: req.method,
            path: req.path,
            query: req.query,
            headers,
            body: req.body,
        };
        let signed_headers = parts.write(&mut text);
        CanonicalRequest {
            text,
            signed_headers,
        }
    })
}

/// Builds the string to sign: the algorithm, the `x-amz-date` time, the credential scope and the
/// hex SHA-256 of the canonical request, one per line.
pub fn string_to_sign(canonical_request: &str, params: &SigningParams<'_>) -> String {
    let date = amz_date(params);
    let scope = Scope::new(&date, params);
    let mut out = String::with_capacity(ALGORITHM.len() + 20 + scope.len() + 64);
    scope.write_string_to_sign(&Sha256::digest(canonical_request.as_bytes()), &mut out);
    out
}

/// The signature of `string_to_sign` in hex: an HMAC-SHA256 with the key derived from the secret
/// through the day, region, service and `aws4_request`.
pub fn signature(string_to_sign: &str, params: &SigningParams<'_>) -> String {
    let date = amz_date(params);
    let scope = Scope::new(&date, params);
    let mut mac = signing_mac(params.credentials, scope.day, params.region, params.service);
    mac.update(string_to_sign.as_bytes());
    let mut out = String::with_capacity(64);
    out.put(hex(&mac.finalize().into_bytes()).as_str());
    out
}

/// The whole `Authorization` header value for `req`:
/// `AWS4-HMAC-SHA256 Credential=AKID/scope, SignedHeaders=a;b, Signature=hex`.
pub fn authorization(req: &SignableRequest<'_>, params: &SigningParams<'_>) -> String {
    let date = amz_date(params);
    let parts = Parts {
        method: req.method,
        path: req.path,
        query: req.query,
        body: req.body,
        scope: Scope::new(&date, params),
        params,
    };
    parts.authorization(req.headers.iter().copied(), |scope| {
        signing_mac(params.credentials, scope.day, params.region, params.service)
    })
}

/// Signs a request in place: adds `host` (from the absolute URI, unless present), `x-amz-date`,
/// `x-amz-security-token` (when the credentials have one) and `authorization`. Signs every header
/// present, the session token included.
///
/// Any `authorization` and `x-amz-date` already present are replaced, and so is an
/// `x-amz-security-token` when the credentials carry a token. The host is the URI's authority with
/// a default port (`:443` for https, `:80` for http) left out. When `uri` is only a path, the
/// request must already have a `host` header; it is signed without one otherwise.
///
/// The signing key is derived from the secret anew; [`sign_cached`] keeps it between requests.
pub fn sign(request: &mut Request, params: &SigningParams<'_>) {
    sign_with(request, params, |scope| {
        signing_mac(params.credentials, scope.day, params.region, params.service)
    });
}

/// [`sign`], with the signing key taken from `cache` while the day, region, service and secret
/// stay those it was derived for, and derived and kept there otherwise. Signatures are the same
/// as [`sign`]'s.
pub fn sign_cached(request: &mut Request, params: &SigningParams<'_>, cache: &SigningKeyCache) {
    sign_with(request, params, |scope| cache.mac(params, scope.day));
}

fn sign_with(
    request: &mut Request,
    params: &SigningParams<'_>,
    mac: impl FnOnce(&Scope<'_>) -> Hmac<Sha256>,
) {
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
    request.headers.push(("x-amz-date", amz_date(params)));
    let date = request.headers.len() - 1;
    if let Some(token) = token {
        request
            .headers
            .push(("x-amz-security-token", token.to_owned()));
    }

    let date = request.headers[date].1.as_str();
    let parts = Parts {
        method: request.method,
        path: target.path,
        query: target.query,
        body: &request.body,
        scope: Scope::new(date, params),
        params,
    };
    let headers = request
        .headers
        .iter()
        .map(|(name, value)| (*name, value.as_str()));
    let value = parts.authorization(headers, mac);
    request.headers.push(("authorization", value));
}

/// An HMAC-SHA256 keyed with the signing key: the secret access key put through HMAC-SHA256 with
/// the day, the region, the service and `aws4_request`.
fn signing_mac(credentials: &Credentials, day: &str, region: &str, service: &str) -> Hmac<Sha256> {
    let secret = credentials.secret_access_key().as_bytes();
    // `AWS4` and the secret, on the stack for any secret of the usual length.
    let mut inline = [0u8; 64];
    let spilled;
    let key: &[u8] = match inline.get_mut(..4 + secret.len()) {
        Some(key) => {
            key[..4].copy_from_slice(b"AWS4");
            key[4..].copy_from_slice(secret);
            key
        }
        None => {
            spilled = [b"AWS4".as_slice(), secret].concat();
            &spilled
        }
    };
    let key = hmac_sha256(key, day.as_bytes());
    let key = hmac_sha256(&key, region.as_bytes());
    let key = hmac_sha256(&key, service.as_bytes());
    keyed(&hmac_sha256(&key, b"aws4_request"))
}

/// Keeps the signing key of the last signature, so that the next one with the same day, region,
/// service and secret skips the four HMACs that derive it (the AWS SDKs keep it likewise). A
/// client keeps one; [`sign_cached`] uses it. Debug shows what the key was derived for, never the
/// key or the secret.
#[derive(Default)]
pub struct SigningKeyCache {
    last: Mutex<Option<CachedKey>>,
}

struct CachedKey {
    day: String,
    region: String,
    service: String,
    secret: String,
    /// The HMAC keyed with the signing key: cloning it skips the key's two block compressions.
    mac: Hmac<Sha256>,
}

impl SigningKeyCache {
    /// An empty cache.
    pub fn new() -> Self {
        SigningKeyCache::default()
    }

    /// The HMAC keyed with the signing key for `day` and `params`, from the cache when it holds
    /// that key.
    fn mac(&self, params: &SigningParams<'_>, day: &str) -> Hmac<Sha256> {
        let secret = params.credentials.secret_access_key();
        // A poisoned lock only means another signature panicked; the entry is still whole.
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(entry) = last.as_ref() {
            if entry.day == day
                && entry.region == params.region
                && entry.service == params.service
                && entry.secret == secret
            {
                return entry.mac.clone();
            }
        }
        let mac = signing_mac(params.credentials, day, params.region, params.service);
        *last = Some(CachedKey {
            day: day.to_owned(),
            region: params.region.to_owned(),
            service: params.service.to_owned(),
            secret: secret.to_owned(),
            mac: mac.clone(),
        });
        mac
    }
}

impl Clone for SigningKeyCache {
    /// An empty cache: a clone derives its own key.
    fn clone(&self) -> Self {
        SigningKeyCache::new()
    }
}

impl fmt::Debug for SigningKeyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        let mut s = f.debug_struct("SigningKeyCache");
        if let Some(entry) = last.as_ref() {
            s.field("day", &entry.day)
                .field("region", &entry.region)
                .field("service", &entry.service)
                .field("key", &Redacted);
        }
        s.finish()
    }
}

/// The `x-amz-date` value of `params.time`.
fn amz_date(params: &SigningParams<'_>) -> String {
    let mut date = String::with_capacity(16);
    params.time.write_amz_date(&mut date);
    date
}

/// The credential scope: `YYYYMMDD/region/service/aws4_request`, and the full date beside it.
struct Scope<'a> {
    /// The `x-amz-date` value, `20150830T123600Z`.
    date: &'a str,
    /// Its day, `20150830`.
    day: &'a str,
    region: &'a str,
    service: &'a str,
}

impl<'a> Scope<'a> {
    fn new(date: &'a str, params: &SigningParams<'a>) -> Self {
        Scope {
            date,
            day: date.split_once('T').map_or(date, |(day, _)| day),
            region: params.region,
            service: params.service,
        }
    }

    fn len(&self) -> usize {
        self.day.len() + self.region.len() + self.service.len() + 15
    }

    fn write(&self, out: &mut impl Sink) {
        out.put(self.day);
        out.put("/");
        out.put(self.region);
        out.put("/");
        out.put(self.service);
        out.put("/aws4_request");
    }

    fn write_string_to_sign(&self, canonical_hash: &[u8], out: &mut impl Sink) {
        out.put(ALGORITHM);
        out.put("\n");
        out.put(self.date);
        out.put("\n");
        self.write(out);
        out.put("\n");
        out.put(hex(canonical_hash).as_str());
    }
}

/// What a signature covers, but the headers.
struct Parts<'a> {
    method: &'a str,
    path: &'a str,
    query: &'a str,
    body: &'a [u8],
    scope: Scope<'a>,
    params: &'a SigningParams<'a>,
}

impl Parts<'_> {
    /// The `Authorization` value: the canonical request is hashed as it is written, and the
    /// string to sign is fed to the HMAC as it is written, so neither is ever held in memory.
    fn authorization<'h>(
        &self,
        headers: impl ExactSizeIterator<Item = (&'h str, &'h str)>,
        mac: impl FnOnce(&Scope<'_>) -> Hmac<Sha256>,
    ) -> String {
        with_sorted_headers(headers, |headers| {
            let mut hasher = Sha256::new();
            let canonical = Canonical {
                method: self.method,
                path: self.path,
                query: self.query,
                headers,
                body: self.body,
            };
            canonical.write(&mut hasher);
            let mut mac = mac(&self.scope);
            self.scope
                .write_string_to_sign(&hasher.finalize(), &mut mac);
            let signature = hex(&mac.finalize().into_bytes());

            let access_key_id = self.params.credentials.access_key_id();
            let signed_headers_len: usize = headers.iter().map(|(name, _)| name.len() + 1).sum();
            let mut out = String::with_capacity(
                ALGORITHM.len()
                    + access_key_id.len()
                    + self.scope.len()
                    + signed_headers_len
                    + 64
                    + 48,
            );
            out.push_str(ALGORITHM);
            out.push_str(" Credential=");
            out.push_str(access_key_id);
            out.push('/');
            self.scope.write(&mut out);
            out.push_str(", SignedHeaders=");
            write_signed_headers(headers, &mut out);
            out.push_str(", Signature=");
            out.push_str(signature.as_str());
            out
        })
    }
}

/// A canonical request's parts, its headers sorted by name.
struct Canonical<'a, 'h> {
    method: &'a str,
    path: &'a str,
    query: &'a str,
    headers: &'a [(&'h str, &'h str)],
    body: &'a [u8],
}

impl Canonical<'_, '_> {
    /// Writes the canonical request; returns where its signed header names are, for a `String`.
    fn write<S: Sink>(&self, out: &mut S) -> Range<usize> {
        out.put(self.method);
        out.put("\n");
        write_canonical_path(self.path, out);
        out.put("\n");
        write_canonical_query(self.query, out);
        out.put("\n");
        let headers = self.headers;
        for (i, &(name, value)) in headers.iter().enumerate() {
            let continues = i > 0 && headers[i - 1].0.eq_ignore_ascii_case(name);
            if continues {
                out.put(",");
            } else {
                if i > 0 {
                    out.put("\n");
                }
                write_lowercase(name, out);
                out.put(":");
            }
            write_collapsed(value, out);
        }
        if !headers.is_empty() {
            out.put("\n");
        }
        out.put("\n");
        let start = out.position();
        write_signed_headers(headers, out);
        let signed_headers = start..out.position();
        out.put("\n");
        out.put(hex(&Sha256::digest(self.body)).as_str());
        signed_headers
    }
}

/// Where text goes as it is written: a `String` to look at, or a hash or HMAC to sign, so that
/// the same code writes both.
trait Sink {
    fn put(&mut self, text: &str);

    /// How much has been written (a `String`'s length; nothing else needs it).
    fn position(&self) -> usize {
        0
    }
}

impl Sink for String {
    fn put(&mut self, text: &str) {
        self.push_str(text);
    }

    fn position(&self) -> usize {
        self.len()
    }
}

impl Sink for Sha256 {
    fn put(&mut self, text: &str) {
        Digest::update(self, text.as_bytes());
    }
}

impl Sink for Hmac<Sha256> {
    fn put(&mut self, text: &str) {
        Mac::update(self, text.as_bytes());
    }
}

/// Headers a request usually has fit here, so sorting them needs no allocation.
const INLINE_HEADERS: usize = 16;

/// Calls `f` with `headers`, names trimmed, sorted by name in ASCII case-insensitive order, each
/// name's values in the order given.
fn with_sorted_headers<'h, R>(
    headers: impl ExactSizeIterator<Item = (&'h str, &'h str)>,
    f: impl FnOnce(&[(&'h str, &'h str)]) -> R,
) -> R {
    let mut inline = [("", ""); INLINE_HEADERS];
    let mut spilled = Vec::new();
    let sorted: &mut [(&str, &str)] = if headers.len() <= INLINE_HEADERS {
        let n = headers.len();
        for (slot, (name, value)) in inline.iter_mut().zip(headers) {
            *slot = (name.trim(), value);
        }
        &mut inline[..n]
    } else {
        spilled.extend(headers.map(|(name, value)| (name.trim(), value)));
        &mut spilled
    };
    // Stable, so repeated headers keep their order; at this size it sorts in place.
    sorted.sort_by(|a, b| cmp_ignore_ascii_case(a.0, b.0));
    f(sorted)
}

/// Appends the lower-case header names, each once, joined with `;`.
fn write_signed_headers(headers: &[(&str, &str)], out: &mut impl Sink) {
    for (i, &(name, _)) in headers.iter().enumerate() {
        if i > 0 && headers[i - 1].0.eq_ignore_ascii_case(name) {
            continue;
        }
        if i > 0 {
            out.put(";");
        }
        write_lowercase(name, out);
    }
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
fn write_canonical_path(path: &str, out: &mut impl Sink) {
    // The usual awsQuery path, `/`, is already canonical.
    if path == "/" || path.is_empty() {
        out.put("/");
        return;
    }
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

    out.put("/");
    for (i, segment) in segments.iter().enumerate() {
        if i > 0 {
            out.put("/");
        }
        write_encoded(segment.as_bytes(), out);
    }
    if trailing_slash && !segments.is_empty() {
        out.put("/");
    }
}

/// Appends the sorted, re-encoded query parameters.
fn write_canonical_query(query: &str, out: &mut impl Sink) {
    if query.is_empty() {
        return;
    }
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
            out.put("&");
        }
        out.put(name);
        out.put("=");
        out.put(value);
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
                write_encoded(&[hi << 4 | lo], &mut out);
                i += 3;
            }
            None => {
                write_encoded(&bytes[i..=i], &mut out);
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

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

/// Appends `bytes` with everything outside `A-Z a-z 0-9 - _ . ~` written as `%XX`; runs of
/// unreserved bytes go out whole.
fn write_encoded(mut bytes: &[u8], out: &mut impl Sink) {
    while !bytes.is_empty() {
        let run = bytes
            .iter()
            .position(|&b| !is_unreserved(b))
            .unwrap_or(bytes.len());
        if run > 0 {
            // Unreserved bytes are ASCII.
            out.put(std::str::from_utf8(&bytes[..run]).unwrap_or_default());
        }
        if let Some(&b) = bytes.get(run) {
            let escape = [
                b'%',
                HEX_UPPER[usize::from(b >> 4)],
                HEX_UPPER[usize::from(b & 0xf)],
            ];
            out.put(std::str::from_utf8(&escape).unwrap_or_default());
            bytes = &bytes[run + 1..];
        } else {
            break;
        }
    }
}

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";
const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";

/// A SHA-256 digest or HMAC in lower-case hex.
struct Hex {
    digits: [u8; 64],
}

impl Hex {
    fn as_str(&self) -> &str {
        // Hex digits are ASCII.
        std::str::from_utf8(&self.digits).unwrap_or_default()
    }
}

fn hex(bytes: &[u8]) -> Hex {
    let mut digits = [b'0'; 64];
    for (pair, &b) in digits.chunks_exact_mut(2).zip(bytes) {
        pair[0] = HEX_LOWER[usize::from(b >> 4)];
        pair[1] = HEX_LOWER[usize::from(b & 0xf)];
    }
    Hex { digits }
}

/// Appends `text` in lower case (ASCII letters only), runs without upper-case letters whole.
fn write_lowercase(mut text: &str, out: &mut impl Sink) {
    while let Some(upper) = text.bytes().position(|b| b.is_ascii_uppercase()) {
        out.put(&text[..upper]);
        let lower = char::from(text.as_bytes()[upper].to_ascii_lowercase());
        out.put(lower.encode_utf8(&mut [0; 4]));
        text = &text[upper + 1..];
    }
    out.put(text);
}

/// Appends `value` trimmed, with each inner run of whitespace collapsed to one space.
fn write_collapsed(value: &str, out: &mut impl Sink) {
    for (i, word) in value.split_ascii_whitespace().enumerate() {
        if i > 0 {
            out.put(" ");
        }
        out.put(word);
    }
}

fn cmp_ignore_ascii_case(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|b| b.to_ascii_lowercase())
        .cmp(b.bytes().map(|b| b.to_ascii_lowercase()))
}

/// An HMAC-SHA256 keyed with `key`.
fn keyed(key: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length, so this cannot fail.
    <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC accepts keys of any length")
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = keyed(key);
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
    fn cached_keys_sign_as_derived_ones_and_follow_the_day_and_secret() {
        let cache = SigningKeyCache::new();
        let signed = |creds: &Credentials, time: DateTime, cache: Option<&SigningKeyCache>| {
            let mut request = Request::form_post(String::from("Action=ListQueues"));
            request.uri = String::from("https://sqs.us-east-1.amazonaws.com/");
            let params = SigningParams {
                time,
                ..params(creds)
            };
            match cache {
                Some(cache) => sign_cached(&mut request, &params, cache),
                None => sign(&mut request, &params),
            }
            request
                .header("authorization")
                .unwrap_or_default()
                .to_owned()
        };
        let creds = credentials(None);
        let day_one = DateTime::from_secs(1_440_938_160);
        let later_that_day = DateTime::from_secs(1_440_938_160 + 3_600);
        let next_day = DateTime::from_secs(1_440_938_160 + 86_400);
        for time in [day_one, day_one, later_that_day, next_day, day_one] {
            assert_eq!(
                signed(&creds, time, Some(&cache)),
                signed(&creds, time, None)
            );
        }
        let rotated = Credentials::new("AKIDEXAMPLE", "another-secret", None);
        let with_new_secret = signed(&rotated, day_one, Some(&cache));
        assert_eq!(with_new_secret, signed(&rotated, day_one, None));
        assert_ne!(with_new_secret, signed(&creds, day_one, None));

        // Debug says what the key is for, never the key or the secret.
        let printed = format!("{cache:?}");
        assert!(
            printed.contains("20150830") && printed.contains("us-east-1"),
            "{printed}"
        );
        assert!(printed.contains("** redacted **"), "{printed}");
        assert!(!printed.contains("another-secret"), "{printed}");
        assert_eq!(format!("{:?}", SigningKeyCache::new()), "SigningKeyCache");
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
