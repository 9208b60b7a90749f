//! Request compression for operations with `smithy.api#requestCompression`.
//!
//! After an input is serialized and before the request is signed, the client compresses the body
//! with the operation's first supported encoding when compression is on and the body has at least
//! [`RequestCompression::min_size`] bytes, and appends the encoding to `Content-Encoding`. Services
//! that accept compressed requests also accept plain ones, so a body that is too small, a
//! disabled setting or an encoding this build does not support simply leaves the request as it is.
//!
//! gzip needs the crate feature `gzip` (a generated client turns it on when its model has an
//! operation that compresses); without it, requests are sent uncompressed.

use std::fmt;

pub use awsquery_protocol::compression::Encoding;
use awsquery_types::http::Request;

use crate::env::Env;

/// The environment variable that turns compression off (`true`) or on (`false`).
pub const DISABLE_VAR: &str = "AWS_DISABLE_REQUEST_COMPRESSION";
/// The environment variable that sets the minimum body size to compress, in bytes.
pub const MIN_SIZE_VAR: &str = "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES";

/// The encoded bytes, or `None` if this build cannot encode with `encoding` or the encoder failed
/// (the body is then sent as it is).
#[cfg_attr(not(feature = "gzip"), expect(unused_variables, reason = "no encoder"))]
fn encode(encoding: Encoding, data: &[u8]) -> Option<Vec<u8>> {
    match encoding {
        #[cfg(feature = "gzip")]
        Encoding::Gzip => {
            use std::io::Write as _;
            let mut encoder = flate2::write::GzEncoder::new(
                Vec::with_capacity(data.len() / 2),
                flate2::Compression::default(),
            );
            encoder.write_all(data).ok()?;
            encoder.finish().ok()
        }
        _ => None,
    }
}

/// When to compress: the `disable_request_compression` and `request_min_compression_size_bytes`
/// settings of the AWS SDKs. The default compresses bodies of 10,240 bytes or more.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestCompression {
    disabled: bool,
    min_size: u32,
}

impl Default for RequestCompression {
    fn default() -> Self {
        RequestCompression {
            disabled: false,
            min_size: Self::DEFAULT_MIN_SIZE,
        }
    }
}

impl RequestCompression {
    /// The minimum body size compressed unless configured otherwise: 10 KiB.
    pub const DEFAULT_MIN_SIZE: u32 = 10_240;
    /// The largest minimum size that can be configured: 10 MiB.
    pub const MAX_MIN_SIZE: u32 = 10_485_760;

    /// Compression on, with the default minimum size.
    pub fn new() -> Self {
        RequestCompression::default()
    }

    /// The settings from the environment: [`DISABLE_VAR`] (`true` or `false`, in any case) and
    /// [`MIN_SIZE_VAR`] (a whole number of bytes up to [`Self::MAX_MIN_SIZE`]); unset or empty
    /// variables keep the defaults. A value that is neither fails, naming the variable.
    pub fn from_env(env: &Env) -> Result<Self, InvalidSetting> {
        let mut settings = RequestCompression::default();
        if let Some(value) = env.get(DISABLE_VAR) {
            settings.disabled = match value.trim().to_ascii_lowercase().as_str() {
                "true" => true,
                "false" => false,
                _ => {
                    return Err(InvalidSetting::new(
                        DISABLE_VAR,
                        &value,
                        "`true` or `false`",
                    ));
                }
            };
        }
        if let Some(value) = env.get(MIN_SIZE_VAR) {
            let invalid = || InvalidSetting::new(MIN_SIZE_VAR, &value, MIN_SIZE_EXPECTED);
            let bytes = value.trim().parse::<u32>().map_err(|_| invalid())?;
            settings = settings.with_min_size(bytes).map_err(|_| invalid())?;
        }
        Ok(settings)
    }

    /// Turns compression off (`true`) or back on (`false`).
    pub fn with_disabled(mut self, disabled: bool) -> Self {
        self.disabled = disabled;
        self
    }

    /// Compresses only bodies of at least `bytes` bytes (0 compresses every body). Fails when
    /// `bytes` is above [`Self::MAX_MIN_SIZE`].
    pub fn with_min_size(mut self, bytes: u32) -> Result<Self, InvalidSetting> {
        if bytes > Self::MAX_MIN_SIZE {
            return Err(InvalidSetting::new(
                "request_min_compression_size_bytes",
                &bytes.to_string(),
                MIN_SIZE_EXPECTED,
            ));
        }
        self.min_size = bytes;
        Ok(self)
    }

    /// Whether compression is off.
    pub fn is_disabled(&self) -> bool {
        self.disabled
    }

    /// The smallest body, in bytes, that is compressed.
    pub fn min_size(&self) -> u32 {
        self.min_size
    }

    /// Compresses `request`'s body with `encoding` (the operation's first supported one; `None`
    /// when it has none) if compression is on and the body is large enough, and appends the
    /// encoding to `Content-Encoding`, after any encoding already listed there.
    pub fn apply(&self, encoding: Option<Encoding>, request: &mut Request) {
        let Some(encoding) = encoding else {
            return;
        };
        let large_enough =
            u32::try_from(request.body.len()).map_or(true, |len| len >= self.min_size);
        if self.disabled || !large_enough {
            return;
        }
        let Some(body) = encode(encoding, &request.body) else {
            return;
        };
        request.replace_body(body);
        let existing = request
            .headers
            .iter_mut()
            .find(|(name, _)| name.eq_ignore_ascii_case("content-encoding"));
        match existing {
            Some((_, value)) if !value.trim().is_empty() => {
                value.push_str(", ");
                value.push_str(encoding.name());
            }
            Some((_, value)) => *value = encoding.name().to_owned(),
            None => request
                .headers
                .push(("content-encoding", encoding.name().to_owned())),
        }
    }
}

const MIN_SIZE_EXPECTED: &str = "a whole number of bytes from 0 to 10485760";

/// A compression setting with a value it cannot take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidSetting {
    name: &'static str,
    value: String,
    expected: &'static str,
}

impl InvalidSetting {
    fn new(name: &'static str, value: &str, expected: &'static str) -> Self {
        InvalidSetting {
            name,
            value: value.to_owned(),
            expected,
        }
    }

    /// The setting or environment variable at fault.
    pub fn name(&self) -> &str {
        self.name
    }
}

impl fmt::Display for InvalidSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is `{}`, but it must be {}",
            self.name, self.value, self.expected
        )
    }
}

impl std::error::Error for InvalidSetting {}

#[cfg(test)]
mod tests {
    use std::io::Read as _;

    use super::*;

    fn gunzip(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(data)
            .read_to_end(&mut out)
            .expect("valid gzip");
        out
    }

    fn request(body_len: usize) -> Request {
        let body: String = (0..body_len)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        Request::form_post(body)
    }

    #[test]
    fn gzip_round_trips() {
        let original = request(20_000);
        let mut compressed = original.clone();
        RequestCompression::new().apply(Some(Encoding::Gzip), &mut compressed);
        assert_eq!(compressed.header("content-encoding"), Some("gzip"));
        assert_eq!(
            compressed.header("content-length"),
            Some(compressed.body.len().to_string().as_str()),
            "the length is the compressed body's"
        );
        assert!(compressed.body.len() < original.body.len() / 10);
        assert_eq!(&compressed.body[..2], [0x1f, 0x8b], "the gzip magic number");
        assert_eq!(gunzip(&compressed.body), original.body);
    }

    #[test]
    fn compression_is_deterministic() {
        let mut a = request(12_000);
        let mut b = a.clone();
        RequestCompression::new().apply(Some(Encoding::Gzip), &mut a);
        RequestCompression::new().apply(Some(Encoding::Gzip), &mut b);
        assert_eq!(a.body, b.body, "signatures depend on the exact bytes");
    }

    #[test]
    fn min_size_threshold_is_inclusive() {
        let settings = RequestCompression::new();
        let mut below = request(10_239);
        settings.apply(Some(Encoding::Gzip), &mut below);
        assert_eq!(below.header("content-encoding"), None);
        assert_eq!(below.body.len(), 10_239);

        let mut at = request(10_240);
        settings.apply(Some(Encoding::Gzip), &mut at);
        assert_eq!(at.header("content-encoding"), Some("gzip"));

        let every = RequestCompression::new().with_min_size(0).unwrap();
        let mut empty = request(0);
        every.apply(Some(Encoding::Gzip), &mut empty);
        assert_eq!(empty.header("content-encoding"), Some("gzip"));
        assert!(gunzip(&empty.body).is_empty());
    }

    #[test]
    fn disabled_or_no_encoding_leaves_the_request() {
        let original = request(50_000);
        let mut disabled = original.clone();
        RequestCompression::new()
            .with_disabled(true)
            .apply(Some(Encoding::Gzip), &mut disabled);
        assert_eq!(disabled, original);

        let mut unsupported = original.clone();
        RequestCompression::new().apply(None, &mut unsupported);
        assert_eq!(unsupported, original);
    }

    #[test]
    fn gzip_is_appended_to_an_existing_content_encoding() {
        let mut req = request(10_240);
        req.headers
            .push(("Content-Encoding", String::from("custom")));
        RequestCompression::new().apply(Some(Encoding::Gzip), &mut req);
        assert_eq!(req.header("content-encoding"), Some("custom, gzip"));
        let count = req
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("content-encoding"))
            .count();
        assert_eq!(count, 1);

        let mut blank = request(10_240);
        blank.headers.push(("content-encoding", String::new()));
        RequestCompression::new().apply(Some(Encoding::Gzip), &mut blank);
        assert_eq!(blank.header("content-encoding"), Some("gzip"));
    }

    #[test]
    fn min_size_range() {
        let max = RequestCompression::MAX_MIN_SIZE;
        assert_eq!(
            RequestCompression::new()
                .with_min_size(max)
                .unwrap()
                .min_size(),
            max
        );
        let err = RequestCompression::new()
            .with_min_size(max + 1)
            .unwrap_err();
        assert_eq!(err.name(), "request_min_compression_size_bytes");
        assert_eq!(
            err.to_string(),
            "`request_min_compression_size_bytes` is `10485761`, but it must be a whole number of bytes from 0 to 10485760"
        );
    }

    #[test]
    fn settings_from_the_environment() {
        let defaults = RequestCompression::from_env(&Env::from_pairs(&[])).unwrap();
        assert_eq!(defaults, RequestCompression::new());
        assert!(!defaults.is_disabled());
        assert_eq!(defaults.min_size(), 10_240);

        let env = Env::from_pairs(&[(DISABLE_VAR, "TRUE"), (MIN_SIZE_VAR, " 128 ")]);
        let settings = RequestCompression::from_env(&env).unwrap();
        assert!(settings.is_disabled());
        assert_eq!(settings.min_size(), 128);

        let env = Env::from_pairs(&[(DISABLE_VAR, "false"), (MIN_SIZE_VAR, "")]);
        assert_eq!(
            RequestCompression::from_env(&env).unwrap(),
            RequestCompression::new()
        );
    }

    #[test]
    fn bad_environment_values_name_the_variable() {
        for (name, value) in [
            (DISABLE_VAR, "yes"),
            (MIN_SIZE_VAR, "-1"),
            (MIN_SIZE_VAR, "10485761"),
            (MIN_SIZE_VAR, "10kb"),
        ] {
            let err = RequestCompression::from_env(&Env::from_pairs(&[(name, value)])).unwrap_err();
            assert_eq!(err.name(), name);
            let message = err.to_string();
            assert!(message.contains(value), "{message}");
        }
    }
}
