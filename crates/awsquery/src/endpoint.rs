//! Endpoints: what the generated endpoint resolvers return, and the functions they call.
//!
//! Each generated client crate has an `endpoint` module compiled from its service's
//! `smithy.rules#endpointRuleSet`: a `Params` struct and a `resolve` function made of plain `if`s. That
//! code calls the rules engine's library functions defined here ([`is_valid_host_label`],
//! [`parse_url`], [`substring`], [`uri_encode`], [`partition`], [`parse_arn`],
//! [`is_virtual_hostable_s3_bucket`]) and returns an [`Endpoint`] or an [`EndpointError`].
//!
//! [`settings`] holds what a client configuration contributes to the rules: the built-in parameters
//! (region, FIPS, dual-stack, endpoint URL) with their overrides from code and from the environment.

mod partitions;
pub mod settings;

use std::collections::BTreeMap;
use std::error::Error as StdError;
use std::fmt;

pub use partitions::{Partition, partition};
pub use settings::{BuiltIns, EndpointSettings};

/// A resolved endpoint: the URL to send to, headers to add, and properties such as `authSchemes`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    url: String,
    headers: BTreeMap<&'static str, Vec<String>>,
    properties: BTreeMap<String, Document>,
}

impl Endpoint {
    /// An endpoint at `url`, without headers or properties.
    pub fn new(url: impl Into<String>) -> Self {
        Endpoint {
            url: url.into(),
            headers: BTreeMap::new(),
            properties: BTreeMap::new(),
        }
    }

    /// Adds a value of header `name` (lower case: the rules' header names are settled when the
    /// resolver is generated).
    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.entry(name).or_default().push(value.into());
        self
    }

    /// Sets property `name`.
    pub fn with_property(mut self, name: impl Into<String>, value: impl Into<Document>) -> Self {
        self.properties.insert(name.into(), value.into());
        self
    }

    /// The URL, as the rules built it (a custom endpoint is kept as configured).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Every header value, by name, in name order.
    pub fn headers(&self) -> impl Iterator<Item = (&'static str, &str)> + '_ {
        self.headers
            .iter()
            .flat_map(|(name, values)| values.iter().map(|value| (*name, value.as_str())))
    }

    /// The properties by name.
    pub fn properties(&self) -> &BTreeMap<String, Document> {
        &self.properties
    }

    /// The entry of the `authSchemes` property whose `name` is `scheme` (`sigv4`), if any.
    pub fn auth_scheme(&self, scheme: &str) -> Option<&BTreeMap<String, Document>> {
        self.properties
            .get("authSchemes")?
            .as_array()?
            .iter()
            .filter_map(Document::as_object)
            .find(|entry| entry.get("name").and_then(Document::as_str) == Some(scheme))
    }
}

/// A property value: strings, booleans, and lists and maps of them.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Document {
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// A list.
    Array(Vec<Document>),
    /// A map, in key order.
    Object(BTreeMap<String, Document>),
}

impl Document {
    /// A list of `items`.
    pub fn array(items: impl IntoIterator<Item = Document>) -> Self {
        Document::Array(items.into_iter().collect())
    }

    /// A map of `entries`; of repeated keys, the last wins.
    pub fn object<K: Into<String>>(entries: impl IntoIterator<Item = (K, Document)>) -> Self {
        Document::Object(entries.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Document::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Document::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The items, if this is a list.
    pub fn as_array(&self) -> Option<&[Document]> {
        match self {
            Document::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The entries, if this is a map.
    pub fn as_object(&self) -> Option<&BTreeMap<String, Document>> {
        match self {
            Document::Object(entries) => Some(entries),
            _ => None,
        }
    }
}

impl From<String> for Document {
    fn from(value: String) -> Self {
        Document::String(value)
    }
}

impl From<&str> for Document {
    fn from(value: &str) -> Self {
        Document::String(value.to_owned())
    }
}

impl From<bool> for Document {
    fn from(value: bool) -> Self {
        Document::Bool(value)
    }
}

/// Why no endpoint could be chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointError {
    kind: EndpointErrorKind,
    message: String,
}

/// The kinds of [`EndpointError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum EndpointErrorKind {
    /// An error rule of the service's rule set matched: the parameters ask for something the service
    /// does not offer (FIPS where there is none, no region, …).
    Rule,
    /// The rules ran out without choosing an endpoint or an error.
    NoRuleMatched,
    /// A parameter the rule set requires has no value.
    MissingParameter,
    /// The client's endpoint settings are invalid (a URL without a scheme, a flag that is not a
    /// boolean, …).
    Configuration,
}

impl EndpointError {
    /// The error of an error rule, with the rule's message.
    pub fn rule(message: impl Into<String>) -> Self {
        EndpointError {
            kind: EndpointErrorKind::Rule,
            message: message.into(),
        }
    }

    /// The rules ran out: neither an endpoint nor an error rule matched.
    pub fn no_rule_matched() -> Self {
        EndpointError {
            kind: EndpointErrorKind::NoRuleMatched,
            message: String::from("no endpoint rule matched the parameters"),
        }
    }

    /// Required parameter `name` has no value.
    pub fn missing_parameter(name: &str) -> Self {
        EndpointError {
            kind: EndpointErrorKind::MissingParameter,
            message: format!("the required endpoint parameter `{name}` has no value"),
        }
    }

    /// The client's endpoint settings are invalid.
    pub fn configuration(message: impl Into<String>) -> Self {
        EndpointError {
            kind: EndpointErrorKind::Configuration,
            message: message.into(),
        }
    }

    /// What kind of error.
    pub fn kind(&self) -> EndpointErrorKind {
        self.kind
    }

    /// The message; for [`EndpointErrorKind::Rule`], exactly the rule's.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for EndpointError {}

// ---------------------------------------------------------------------------------------------
// The rules engine's standard library
// ---------------------------------------------------------------------------------------------

/// `isValidHostLabel`: whether `value` is one RFC 1123 host label (1 to 63 ASCII letters, digits and
/// hyphens, not starting with a hyphen), or, with `allow_sub_domains`, labels joined by dots.
pub fn is_valid_host_label(value: &str, allow_sub_domains: bool) -> bool {
    let label = |label: &str| {
        (1..=63).contains(&label.len())
            && label.starts_with(|c: char| c.is_ascii_alphanumeric())
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    if allow_sub_domains {
        value.split('.').all(label)
    } else {
        label(value)
    }
}

/// `substring`: the ASCII `value`'s characters `start..stop`, counted from the end when `reverse`.
/// `None` when `value` is shorter than `stop`, when `start >= stop`, or when `value` is not ASCII.
pub fn substring(value: &str, start: usize, stop: usize, reverse: bool) -> Option<&str> {
    if !value.is_ascii() || start >= stop || value.len() < stop {
        return None;
    }
    if reverse {
        let len = value.len();
        Some(&value[len - stop..len - start])
    } else {
        Some(&value[start..stop])
    }
}

/// `uriEncode`: percent-encodes every byte of `value` except the RFC 3986 unreserved characters
/// (`A-Z a-z 0-9 - _ . ~`), with upper-case hex digits.
pub fn uri_encode(value: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
    }
    out
}

/// A URL taken apart by [`parse_url`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    scheme: String,
    authority: String,
    path: String,
    normalized_path: String,
    is_ip: bool,
}

impl Url {
    /// `http` or `https`.
    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// The host and port as written, without user information (`example.com:8443`, `[::1]`).
    pub fn authority(&self) -> &str {
        &self.authority
    }

    /// The path as written, possibly empty (`/a/b`).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The path with a `/` at both ends (`/a/b/`; `/` for an empty path).
    pub fn normalized_path(&self) -> &str {
        &self.normalized_path
    }

    /// Whether the host is an IPv4 or IPv6 address.
    pub fn is_ip(&self) -> bool {
        self.is_ip
    }
}

/// `parseURL`: splits an `http` or `https` URL into its parts. `None` for another scheme, a missing
/// host, a port that is not a number from 0 to 65535, a query or a fragment.
pub fn parse_url(value: &str) -> Option<Url> {
    let parts = split_url(value).ok()?;
    let normalized_path = match (parts.path.starts_with('/'), parts.path.ends_with('/')) {
        (true, true) => parts.path.to_owned(),
        (true, false) => format!("{}/", parts.path),
        (false, _) if parts.path.is_empty() => String::from("/"),
        (false, true) => format!("/{}", parts.path),
        (false, false) => format!("/{}/", parts.path),
    };
    Some(Url {
        scheme: parts.scheme.to_owned(),
        authority: parts.authority.to_owned(),
        path: parts.path.to_owned(),
        normalized_path,
        is_ip: parts.is_ip,
    })
}

/// The pieces of a URL, borrowed from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UrlParts<'a> {
    pub(crate) scheme: &'a str,
    /// Host and port, without user information.
    pub(crate) authority: &'a str,
    pub(crate) path: &'a str,
    pub(crate) is_ip: bool,
}

/// Splits `value` into scheme, authority and path, or says what is wrong with it.
pub(crate) fn split_url(value: &str) -> Result<UrlParts<'_>, &'static str> {
    let (scheme, rest) = value
        .split_once("://")
        .ok_or("it does not start with `http://` or `https://`")?;
    if scheme != "http" && scheme != "https" {
        return Err("its scheme is not `http` or `https`");
    }
    if rest.contains(['?', '#']) {
        return Err("it has a query or a fragment");
    }
    if rest.contains(|c: char| c.is_whitespace() || c.is_control()) {
        return Err("it contains white space or control characters");
    }
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    let (host, port) = if authority.starts_with('[') {
        let end = authority.find(']').ok_or("its IPv6 address has no `]`")?;
        let port = &authority[end + 1..];
        if !port.is_empty() && !port.starts_with(':') {
            return Err("its IPv6 address is followed by something other than a port");
        }
        (&authority[..=end], port.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err("it has no host");
    }
    if let Some(port) = port {
        if !port.bytes().all(|b| b.is_ascii_digit()) || port.parse::<u16>().is_err() {
            return Err("its port is not a number from 0 to 65535");
        }
    }
    let is_ip = match host.strip_prefix('[') {
        Some(inner) => {
            let inner = &inner[..inner.len() - 1];
            if inner.is_empty()
                || !inner
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
            {
                return Err("its IPv6 address is malformed");
            }
            true
        }
        None => is_ipv4(host),
    };
    Ok(UrlParts {
        scheme,
        authority,
        path,
        is_ip,
    })
}

/// Whether `host` is a dotted-quad IPv4 address (`192.168.0.1`).
fn is_ipv4(host: &str) -> bool {
    let mut count = 0;
    for part in host.split('.') {
        count += 1;
        let valid = (1..=3).contains(&part.len())
            && part.bytes().all(|b| b.is_ascii_digit())
            && part.parse::<u16>().is_ok_and(|n| n <= 255);
        if !valid {
            return false;
        }
    }
    count == 4
}

/// An ARN taken apart by [`parse_arn`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arn {
    partition: String,
    service: String,
    region: String,
    account_id: String,
    resource_id: Vec<String>,
}

impl Arn {
    /// The partition (`aws`).
    pub fn partition(&self) -> &str {
        &self.partition
    }

    /// The service namespace (`s3`).
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The region; empty for global resources.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The account id; empty where the resource has none.
    pub fn account_id(&self) -> &str {
        &self.account_id
    }

    /// The resource, split on `:` and `/` (`["user", "alice"]`).
    pub fn resource_id(&self) -> &[String] {
        &self.resource_id
    }
}

/// `aws.parseArn`: `arn:partition:service:region:account:resource`, the resource split on `:` and
/// `/`. `None` unless the value starts with `arn:` and has a partition, a service and a resource.
pub fn parse_arn(value: &str) -> Option<Arn> {
    let mut parts = value.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let partition = parts.next().filter(|p| !p.is_empty())?;
    let service = parts.next().filter(|s| !s.is_empty())?;
    let region = parts.next()?;
    let account_id = parts.next()?;
    let resource = parts.next().filter(|r| !r.is_empty())?;
    Some(Arn {
        partition: partition.to_owned(),
        service: service.to_owned(),
        region: region.to_owned(),
        account_id: account_id.to_owned(),
        resource_id: resource.split([':', '/']).map(str::to_owned).collect(),
    })
}

/// `aws.isVirtualHostableS3Bucket`: whether `value` can be a bucket's host label: 3 to 63 characters
/// of lower-case letters, digits and hyphens, each label starting and ending with a letter or digit,
/// and not shaped like an IPv4 address. Dots between labels only with `allow_sub_domains`.
pub fn is_virtual_hostable_s3_bucket(value: &str, allow_sub_domains: bool) -> bool {
    let label = |label: &str| {
        let edge = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
        label.starts_with(edge)
            && label.ends_with(edge)
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    if !(3..=63).contains(&value.len()) || is_ipv4(value) {
        return false;
    }
    if allow_sub_domains {
        value.split('.').all(label)
    } else {
        label(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_labels() {
        for valid in ["us-east-1", "3aws4", "a", "a-", &"x".repeat(63)] {
            assert!(is_valid_host_label(valid, false), "{valid}");
            assert!(is_valid_host_label(valid, true), "{valid}");
        }
        for invalid in ["", "-a", "a b", "a_b", "a.b", "é", &"x".repeat(64)] {
            assert!(!is_valid_host_label(invalid, false), "{invalid}");
        }
        assert!(is_valid_host_label("part1.part2", true));
        for invalid in ["part1.", ".part1", "part1..part2", "part1.-part2", "a b.c"] {
            assert!(!is_valid_host_label(invalid, true), "{invalid}");
        }
    }

    #[test]
    fn substrings() {
        assert_eq!(substring("abcdefg", 0, 4, false), Some("abcd"));
        assert_eq!(substring("abcd", 0, 4, false), Some("abcd"));
        assert_eq!(substring("abcdefg", 0, 4, true), Some("defg"));
        assert_eq!(substring("defg", 1, 3, false), Some("ef"));
        assert_eq!(substring("abcdef", 1, 3, true), Some("de"));
        assert_eq!(substring("\u{7f}abcdef", 0, 4, false), Some("\u{7f}abc"));
        assert_eq!(substring("abc", 0, 4, false), None);
        assert_eq!(substring("", 0, 1, true), None);
        assert_eq!(substring("abcdef", 3, 3, false), None);
        assert_eq!(substring("abcdef", 4, 2, false), None);
        assert_eq!(substring("abcdéf", 0, 2, false), None, "not ASCII");
        assert_eq!(substring("\u{fdfd}", 0, 1, false), None);
    }

    #[test]
    fn uri_encoding() {
        assert_eq!(uri_encode("AZaz09-_.~"), "AZaz09-_.~");
        assert_eq!(uri_encode("a b/c:d"), "a%20b%2Fc%3Ad");
        assert_eq!(
            uri_encode("/:,?#[]{}|@! $&'()*+;=%<>\"^`\\"),
            "%2F%3A%2C%3F%23%5B%5D%7B%7D%7C%40%21%20%24%26%27%28%29%2A%2B%3B%3D%25%3C%3E%22%5E%60%5C"
        );
        assert_eq!(uri_encode("é😺"), "%C3%A9%F0%9F%98%BA");
        assert_eq!(uri_encode(""), "");
    }

    fn url(value: &str) -> (String, String, String, String, bool) {
        let url = parse_url(value).unwrap_or_else(|| panic!("`{value}` does not parse"));
        (
            url.scheme().to_owned(),
            url.authority().to_owned(),
            url.path().to_owned(),
            url.normalized_path().to_owned(),
            url.is_ip(),
        )
    }

    #[test]
    fn urls() {
        let owned = |s: &str| s.to_owned();
        assert_eq!(
            url("https://example.com"),
            (
                owned("https"),
                owned("example.com"),
                owned(""),
                owned("/"),
                false
            )
        );
        assert_eq!(
            url("https://example.com/"),
            (
                owned("https"),
                owned("example.com"),
                owned("/"),
                owned("/"),
                false
            )
        );
        assert_eq!(
            url("http://example.com:80/foo/bar"),
            (
                owned("http"),
                owned("example.com:80"),
                owned("/foo/bar"),
                owned("/foo/bar/"),
                false
            )
        );
        assert!(url("https://127.0.0.1").4);
        assert_eq!(url("http://192.168.1.1:1234/foo/").3, "/foo/");
        assert_eq!(url("https://[fe80::1]").1, "[fe80::1]");
        assert!(url("https://[fe80::1]").4);
        assert_eq!(
            url("https://[2001:db8::7348]:443").1,
            "[2001:db8::7348]:443",
            "an explicit default port is kept"
        );
        assert!(!url("https://999.999.abc.blah").4);
        assert!(!url("https://999.1.1.1").4);
        assert!(!url("https://1.2.3").4);
        assert_eq!(
            url("http://99_ab-.com").1,
            "99_ab-.com",
            "labels are not checked"
        );
        assert_eq!(url("https://user:pw@example.com/x").1, "example.com");
    }

    #[test]
    fn urls_that_do_not_parse() {
        for invalid in [
            "example.com",
            "acbd://example.com",
            "ftp://example.com",
            "https://",
            "https:///path",
            "https://example.com:8443?foo=bar&faz=baz",
            "https://example.com/path?query1=foo",
            "https://example.com/#top",
            "http://abc.com:a/foo",
            "http://abc.com:/foo",
            "http://abc.com:123456",
            "http://abc.com:65536",
            "http://abc.com:+80",
            "https://exa mple.com",
            "https://[fe80::1",
            "https://[fe80::1]x",
            "https://[zz]",
            "https://[]",
        ] {
            assert_eq!(parse_url(invalid), None, "{invalid}");
        }
    }

    #[test]
    fn arns() {
        let arn = parse_arn("arn:aws:sns:us-west-2:012345678910:example-sns-topic-name").unwrap();
        assert_eq!(arn.partition(), "aws");
        assert_eq!(arn.service(), "sns");
        assert_eq!(arn.region(), "us-west-2");
        assert_eq!(arn.account_id(), "012345678910");
        assert_eq!(arn.resource_id(), ["example-sns-topic-name"]);

        let arn =
            parse_arn("arn:aws:ec2:us-east-1:012345678910:vpc/vpc-0e9801d129EXAMPLE").unwrap();
        assert_eq!(arn.resource_id(), ["vpc", "vpc-0e9801d129EXAMPLE"]);

        let arn = parse_arn("arn:aws:iam::012345678910:user/johndoe").unwrap();
        assert_eq!(arn.region(), "");
        assert_eq!(arn.resource_id(), ["user", "johndoe"]);

        let arn = parse_arn("arn:aws:s3:::bucket_name").unwrap();
        assert_eq!((arn.region(), arn.account_id()), ("", ""));
        assert_eq!(arn.resource_id(), ["bucket_name"]);

        let arn = parse_arn("arn:aws:s3:us-west-2:123456789012:accesspoint:my:ap/x").unwrap();
        assert_eq!(arn.resource_id(), ["accesspoint", "my", "ap", "x"]);

        for invalid in [
            "11111111-2222-3333-4444-555555555555",
            "arn:aws:s3:us-west-2:123456789012",
            "arn:aws:s3:us-west-2:123456789012:",
            "arn::s3:us-west-2:123456789012:thing",
            "arn:aws::us-west-2:123456789012:thing",
            "urn:aws:s3:us-west-2:123456789012:thing",
            "",
        ] {
            assert_eq!(parse_arn(invalid), None, "{invalid}");
        }
    }

    #[test]
    fn virtual_hostable_buckets() {
        for valid in [
            "bucket-name",
            "bucket-with-number-1",
            "abc",
            &"a".repeat(63),
        ] {
            assert!(is_virtual_hostable_s3_bucket(valid, false), "{valid}");
            assert!(is_virtual_hostable_s3_bucket(valid, true), "{valid}");
        }
        for dotted in ["bucket.name", "bucket.name.multiple.dots1"] {
            assert!(!is_virtual_hostable_s3_bucket(dotted, false), "{dotted}");
            assert!(is_virtual_hostable_s3_bucket(dotted, true), "{dotted}");
        }
        for invalid in [
            "BucketName",
            "bucket_name",
            "-bucket-name",
            "bucket-name-",
            "aa",
            &"a".repeat(64),
            ".bucket-name",
            "bucket-name.",
            "192.168.5.4",
            "bucket-.name",
            "bucket.-name",
            "bucket..name",
        ] {
            assert!(!is_virtual_hostable_s3_bucket(invalid, true), "{invalid}");
        }
    }

    #[test]
    fn endpoints_and_documents() {
        let endpoint = Endpoint::new("https://example.com")
            .with_header("x-b", "2")
            .with_header("x-a", "1")
            .with_header("x-b", "3")
            .with_property(
                "authSchemes",
                Document::array([
                    Document::object([("name", Document::from("sigv4a"))]),
                    Document::object([
                        ("name", Document::from("sigv4")),
                        ("signingRegion", Document::from("us-west-2")),
                        ("disableDoubleEncoding", Document::from(true)),
                    ]),
                ]),
            );
        assert_eq!(endpoint.url(), "https://example.com");
        let headers: Vec<_> = endpoint.headers().collect();
        assert_eq!(headers, [("x-a", "1"), ("x-b", "2"), ("x-b", "3")]);
        let sigv4 = endpoint.auth_scheme("sigv4").expect("a sigv4 entry");
        assert_eq!(
            sigv4.get("signingRegion").and_then(Document::as_str),
            Some("us-west-2")
        );
        assert_eq!(
            sigv4
                .get("disableDoubleEncoding")
                .and_then(Document::as_bool),
            Some(true)
        );
        assert_eq!(endpoint.auth_scheme("bearer"), None);
        assert_eq!(Endpoint::new("https://x").auth_scheme("sigv4"), None);
        let not_a_list = Endpoint::new("https://x").with_property("authSchemes", "sigv4");
        assert_eq!(not_a_list.auth_scheme("sigv4"), None);
        assert_eq!(Document::from("s").as_bool(), None);
        assert_eq!(Document::from(false).as_str(), None);
        assert_eq!(Document::from(false).as_object(), None);
    }

    #[test]
    fn errors() {
        let rule = EndpointError::rule("Invalid Configuration: Missing Region");
        assert_eq!(rule.kind(), EndpointErrorKind::Rule);
        assert_eq!(rule.to_string(), "Invalid Configuration: Missing Region");
        assert_eq!(rule.message(), rule.to_string());
        assert_eq!(
            EndpointError::no_rule_matched().kind(),
            EndpointErrorKind::NoRuleMatched
        );
        let missing = EndpointError::missing_parameter("Bucket");
        assert_eq!(missing.kind(), EndpointErrorKind::MissingParameter);
        assert!(missing.message().contains("`Bucket`"), "{missing}");
    }
}
