//! The smallest HTTP request and response types a transport needs. No HTTP stack lives here.

use std::borrow::Cow;
use std::fmt;

/// Header values that are never printed by `Debug`: signatures, session tokens, the IAM Identity
/// Center access token and the instance metadata session token.
const SECRET_HEADERS: [&str; 4] = [
    "authorization",
    "x-amz-security-token",
    "x-amz-sso_bearer_token",
    "x-aws-ec2-metadata-token",
];

/// Whether the value of header `name` (any case) is a secret that is never printed: `Debug` of a
/// [`Request`] shows it as `** redacted **`, and so should any log.
pub fn is_secret_header(name: &str) -> bool {
    SECRET_HEADERS.iter().any(|s| s.eq_ignore_ascii_case(name))
}

/// An HTTP request ready to send.
///
/// The protocol crate fills in the method, the path (`/`), the content type and length and the body; the client
/// then makes `uri` absolute from its endpoint and signs it.
#[derive(Clone, PartialEq, Eq)]
pub struct Request {
    /// `POST` for every awsQuery operation.
    pub method: &'static str,
    /// The path (`/`) from the protocol crate, an absolute URI once the client has resolved the endpoint.
    pub uri: String,
    /// Header names are lower case.
    pub headers: Vec<(&'static str, String)>,
    /// The form-urlencoded body.
    pub body: Vec<u8>,
    /// The query key segments whose values are `@sensitive` (`TdeCredentialPassword`): left out of
    /// [`printable_body`](Self::printable_body), and so of every log of the request.
    pub sensitive: &'static [&'static str],
}

impl Request {
    /// A form-urlencoded `POST /` carrying `body`, with its `content-type` and `content-length`
    /// (which the AWS SDKs send, and sign, too).
    pub fn form_post(body: String) -> Self {
        // Room for the headers a client adds: host, date, signature, user agents, token.
        let mut headers = Vec::with_capacity(8);
        headers.push((
            "content-type",
            String::from("application/x-www-form-urlencoded"),
        ));
        headers.push(("content-length", body.len().to_string()));
        Request {
            method: "POST",
            uri: String::from("/"),
            headers,
            body: body.into_bytes(),
            sensitive: &[],
        }
    }

    /// Marks the values of the query keys whose last segment is one of `keys` as sensitive.
    pub fn with_sensitive(mut self, keys: &'static [&'static str]) -> Self {
        self.sensitive = keys;
        self
    }

    /// The body as text to print: each value whose key ends in a [sensitive](Self::sensitive)
    /// segment (list indexes and `member`/`entry`/`key`/`value` segments aside) is `***`.
    pub fn printable_body(&self) -> Cow<'_, str> {
        let text = String::from_utf8_lossy(&self.body);
        if self.sensitive.is_empty() {
            return text;
        }
        let pairs: Vec<String> = text
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, _)) if self.is_sensitive_key(key) => format!("{key}=***"),
                _ => pair.to_owned(),
            })
            .collect();
        Cow::Owned(pairs.join("&"))
    }

    fn is_sensitive_key(&self, key: &str) -> bool {
        let name = key
            .rsplit('.')
            .find(|segment| {
                !segment.bytes().all(|b| b.is_ascii_digit())
                    && !matches!(*segment, "member" | "entry" | "key" | "value")
            })
            .unwrap_or(key);
        self.sensitive.contains(&name)
    }

    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(self.headers.iter().map(|(k, v)| (*k, v.as_str())), name)
    }

    /// Replaces the body (with its compressed form, say) and states its new `content-length`.
    pub fn replace_body(&mut self, body: Vec<u8>) {
        let length = body.len().to_string();
        self.body = body;
        match self
            .headers
            .iter_mut()
            .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        {
            Some((_, value)) => *value = length,
            None => self.headers.push(("content-length", length)),
        }
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("uri", &redact_userinfo(&self.uri))
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body", &BodyLength(self.body.len()))
            .finish()
    }
}

/// A body in `Debug` output: its length only. A request body can carry members marked
/// `@sensitive` (passwords, keys), and a response body anything the service sent.
struct BodyLength(usize);

impl fmt::Debug for BodyLength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes>", self.0)
    }
}

struct RedactedHeaders<'a>(&'a [(&'static str, String)]);

impl fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for (name, value) in self.0 {
            if SECRET_HEADERS.iter().any(|s| s.eq_ignore_ascii_case(name)) {
                list.entry(&(name, "** redacted **"));
            } else {
                list.entry(&(name, value));
            }
        }
        list.finish()
    }
}

/// An HTTP response as a transport received it.
///
/// `Debug` prints the status, the headers and the body's length, not its content.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Header names in any case; lookups ignore case.
    pub headers: Vec<(String, String)>,
    /// The whole body.
    pub body: Vec<u8>,
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &BodyLength(self.body.len()))
            .finish()
    }
}

impl Response {
    /// A response with no headers.
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Response {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// Adds a header (builder style).
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(
            self.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            name,
        )
    }

    /// The request id AWS sends in `x-amzn-requestid` (or the older `x-amz-request-id`).
    pub fn request_id_header(&self) -> Option<&str> {
        self.header("x-amzn-requestid")
            .or_else(|| self.header("x-amz-request-id"))
    }
}

/// Where the user information of `url` (`user:password` in `https://user:password@host/`) sits,
/// if it has any: from after `://` to the last `@` before any `?` or `#`.
///
/// The last `@` rather than the end of the authority, so that a password holding a `/` (which
/// should have been percent-encoded, but is not always) still counts as user information.
pub fn userinfo_range(url: &str) -> Option<std::ops::Range<usize>> {
    let start = url.find("://")? + 3;
    let rest = &url[start..];
    let end = rest.find(['?', '#']).unwrap_or(rest.len());
    let at = rest[..end].rfind('@')?;
    Some(start..start + at)
}

/// `url` with its user information, if any, replaced by `***`: what to print of a URL.
pub fn redact_userinfo(url: &str) -> Cow<'_, str> {
    match userinfo_range(url) {
        Some(range) => Cow::Owned(format!("{}***{}", &url[..range.start], &url[range.end..])),
        None => Cow::Borrowed(url),
    }
}

fn find_header<'a>(
    mut headers: impl Iterator<Item = (&'a str, &'a str)>,
    name: &str,
) -> Option<&'a str> {
    headers
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_signature_and_token() {
        let mut request = Request::form_post(String::from("Action=X"));
        request.headers.push((
            "authorization",
            String::from("AWS4-HMAC-SHA256 Signature=abc123"),
        ));
        request
            .headers
            .push(("x-amz-security-token", String::from("token-xyz")));
        request
            .headers
            .push(("x-amz-sso_bearer_token", String::from("bearer-xyz")));
        let printed = format!("{request:?}");
        assert!(!printed.contains("abc123"), "{printed}");
        assert!(!printed.contains("token-xyz"), "{printed}");
        assert!(!printed.contains("bearer-xyz"), "{printed}");
        assert!(printed.contains("application/x-www-form-urlencoded"));
    }

    #[test]
    fn a_replaced_body_restates_its_length() {
        let mut request = Request::form_post(String::from("Action=X&Version=1"));
        request.replace_body(b"shorter".to_vec());
        assert_eq!(request.body, b"shorter");
        assert_eq!(request.header("content-length"), Some("7"));
        let lengths = request
            .headers
            .iter()
            .filter(|(name, _)| *name == "content-length")
            .count();
        assert_eq!(lengths, 1);

        request.headers.clear();
        request.replace_body(Vec::new());
        assert_eq!(request.header("content-length"), Some("0"));
    }

    #[test]
    fn form_post_states_its_length() {
        let request = Request::form_post(String::from("Action=X&Version=1"));
        assert_eq!(request.method, "POST");
        assert_eq!(request.uri, "/");
        assert_eq!(request.header("Content-Length"), Some("18"));
        assert_eq!(
            request.header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(
            Request::form_post(String::new()).header("content-length"),
            Some("0")
        );
    }

    #[test]
    fn user_information_is_redacted_even_with_a_slash_in_the_password() {
        for (url, printed) in [
            (
                "https://admin:secret@host:8443/p",
                "https://***@host:8443/p",
            ),
            ("https://admin:se/cr@et@host/", "https://***@host/"),
            ("http://token@127.0.0.1:5000", "http://***@127.0.0.1:5000"),
            ("https://host/path?x=a@b", "https://host/path?x=a@b"),
            ("https://host/", "https://host/"),
            ("not a url @ all", "not a url @ all"),
        ] {
            assert_eq!(redact_userinfo(url), printed, "{url}");
        }
        let mut request = Request::form_post(String::from("Password=hunter2"));
        request.uri = String::from("https://admin:p/w@rds.example/");
        let printed = format!("{request:?}");
        assert!(
            !printed.contains("p/w") && !printed.contains("admin"),
            "{printed}"
        );
        assert!(!printed.contains("hunter2"), "{printed}");
        assert!(printed.contains("<16 bytes>"), "{printed}");
    }

    #[test]
    fn sensitive_values_are_left_out_of_the_printable_body() {
        let request = Request::form_post(String::from(
            "Action=CreateDBInstance&DBInstanceIdentifier=db-1&TdeCredentialPassword=hunter2\
             &Nested.TdeCredentialPassword=p2&Secrets.member.1=s1&Tags.member.1.Value=v",
        ))
        .with_sensitive(&["TdeCredentialPassword", "Secrets"]);
        let printed = request.printable_body();
        assert_eq!(
            printed,
            "Action=CreateDBInstance&DBInstanceIdentifier=db-1&TdeCredentialPassword=***\
             &Nested.TdeCredentialPassword=***&Secrets.member.1=***&Tags.member.1.Value=v"
        );
        let plain = Request::form_post(String::from("Action=X&A=1"));
        assert!(matches!(
            plain.printable_body(),
            Cow::Borrowed("Action=X&A=1")
        ));
    }

    #[test]
    fn header_lookup_ignores_case() {
        let response = Response::new(200, "").with_header("X-Amzn-RequestId", "r-1");
        assert_eq!(response.request_id_header(), Some("r-1"));
        assert_eq!(response.header("content-type"), None);
    }
}
