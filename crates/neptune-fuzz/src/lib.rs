//! Fuzz targets: each takes arbitrary bytes, feeds them to one piece of code that reads input
//! from outside (a server, a file, a command line), and checks what must hold whatever the input.
//! A target never panics on its own account; a panic is a finding.
//!
//! The same functions run in two ways: coverage-guided, for as long as one likes, by cargo-fuzz
//! on the nightly toolchain (`fuzz/`, see its README); and bounded, on stable, by this crate's
//! `cargo test`, over seed inputs and a few thousand deterministic mutations of them.

use std::borrow::Cow;

use awsquery::endpoint::settings::check_region;
use awsquery::endpoint::{EndpointSettings, parse_arn, parse_url};
use awsquery::profile::parse_profile_file;
use awsquery_cli::Extension;
use awsquery_protocol::operation::Operation;
use awsquery_protocol::xml::{Decoder, parse_error_envelope};
use awsquery_types::base64;
use awsquery_types::error::ProvideErrorMetadata;
use awsquery_types::http::{Response, redact_userinfo, userinfo_range};
use awsquery_types::time::{DateTime, TimestampFormat};

/// A fuzz target: bytes in, a panic on a finding.
pub type Target = fn(&[u8]);

/// Every target, by name: what `fuzz/fuzz_targets/*.rs` and the bounded run call.
pub const TARGETS: &[(&str, Target)] = &[
    ("responses", responses),
    ("xml", xml),
    ("scalars", scalars),
    ("urls", urls),
    ("profiles", profiles),
    ("cli_args", cli_args),
    ("tokens", tokens),
];

/// An HTTP response made from `data`: two bytes of status (mapped into 100–599), one byte choosing
/// headers, the rest the body.
pub fn response_from(data: &[u8]) -> Response {
    let (status, rest) = match data {
        [a, b, rest @ ..] => (100 + u16::from_be_bytes([*a, *b]) % 500, rest),
        _ => (200, data),
    };
    let (flags, body) = match rest {
        [flags, body @ ..] => (*flags, body),
        [] => (0, rest),
    };
    let mut response = Response::new(status, body.to_vec());
    if flags & 1 != 0 {
        response = response.with_header("x-amzn-requestid", "fuzz-request");
    }
    if flags & 2 != 0 {
        response = response.with_header("content-type", "text/xml");
    }
    response
}

/// Every generated response parser of the committed crates: the Neptune operations and the
/// awsQuery protocol suite's.
pub fn responses(data: &[u8]) {
    let response = response_from(data);
    parse::<neptune_protocol::DescribeGlobalClusters>(&response);
    parse::<neptune_protocol::FailoverGlobalCluster>(&response);
    suite_operations(&response);
}

macro_rules! parse_each {
    ($response:expr, $($op:ident),* $(,)?) => {
        $(parse::<query_protocol_protocol::$op>($response);)*
    };
}

fn suite_operations(response: &Response) {
    parse_each!(
        response,
        DatetimeOffsets,
        EmptyInputAndEmptyOutput,
        EndpointOperation,
        EndpointWithHostLabelOperation,
        FlattenedXmlMap,
        FlattenedXmlMapWithXmlName,
        FlattenedXmlMapWithXmlNamespace,
        FractionalSeconds,
        GreetingWithErrors,
        HostWithPathOperation,
        IgnoresWrappingXmlName,
        NestedStructures,
        NoInputAndNoOutput,
        NoInputAndOutput,
        PutWithContentEncoding,
        QueryIdempotencyTokenAutoFill,
        QueryLists,
        QueryMaps,
        QueryTimestamps,
        RecursiveXmlShapes,
        SimpleInputParams,
        SimpleScalarXmlProperties,
        XmlBlobs,
        XmlEmptyBlobs,
        XmlEmptyLists,
        XmlEmptyMaps,
        XmlEnums,
        XmlIntEnums,
        XmlLists,
        XmlMaps,
        XmlMapsXmlName,
        XmlNamespaces,
        XmlTimestamps,
    );
}

/// One parser on one response: an error keeps the response's status, and prints no control
/// character of what the server sent.
fn parse<O: Operation>(response: &Response) {
    if let Err(error) = O::deserialize(response) {
        let meta = error.meta();
        assert_eq!(meta.status, response.status, "{}", O::NAME);
        let shown = meta.to_string();
        assert!(!shown.chars().any(char::is_control), "{shown:?}");
        let _ = error.to_string();
    }
}

/// The XML reader walked as generated parsers walk it, with every typed reader, and the error
/// envelope reader.
pub fn xml(data: &[u8]) {
    let mut decoder = Decoder::new(data);
    if decoder.root().is_ok() {
        walk(&mut decoder);
    }
    if let Err(e) = parse_error_envelope(data) {
        let _ = e.to_string();
    }
}

/// Reads every element, depth first (the decoder bounds the depth).
fn walk(d: &mut Decoder<'_>) {
    loop {
        let name = match d.next_child() {
            Ok(Some(element)) => {
                let _ = element.attribute("xmlns");
                element.local_name().first().copied().unwrap_or(0)
            }
            Ok(None) => return,
            Err(e) => {
                let _ = e.to_string();
                return;
            }
        };
        // The element's first letter picks the reader, so that every reader meets every shape.
        let read = match name % 12 {
            0 => d.string().map(drop),
            1 => d.boolean().map(drop),
            2 => d.i32().map(drop),
            3 => d.i64().map(drop),
            4 => d.f32().map(drop),
            5 => d.f64().map(drop),
            6 => d.timestamp(TimestampFormat::DateTime).map(drop),
            7 => d.timestamp(TimestampFormat::EpochSeconds).map(drop),
            8 => d.blob().map(drop),
            9 => d.skip(),
            _ => {
                walk(d);
                Ok(())
            }
        };
        if let Err(e) = read {
            let _ = e.to_string();
            return;
        }
    }
}

/// Timestamps in each format, base64, and numbers as the XML reader reads them: what is read can
/// be written, and what is written reads back to the same.
pub fn scalars(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for format in [
        TimestampFormat::DateTime,
        TimestampFormat::EpochSeconds,
        TimestampFormat::HttpDate,
    ] {
        if let Ok(time) = DateTime::parse(&text, format) {
            let mut written = String::new();
            time.write(format, &mut written);
            let again = DateTime::parse(&written, format)
                .unwrap_or_else(|e| panic!("{written:?} was written but does not read: {e}"));
            let mut rewritten = String::new();
            again.write(format, &mut rewritten);
            assert_eq!(written, rewritten);
        }
    }
    if let Ok(bytes) = base64::decode(&text) {
        let mut encoded = String::new();
        base64::encode(&bytes, &mut encoded);
        assert_eq!(base64::decode(&encoded).ok(), Some(bytes));
    }
    let element = format!("<v>{text}</v>");
    let read = |f: &dyn Fn(&mut Decoder<'_>)| {
        let mut d = Decoder::new(element.as_bytes());
        if d.root().is_ok() {
            f(&mut d);
        }
    };
    read(&|d| drop(d.i8()));
    read(&|d| drop(d.i16()));
    read(&|d| drop(d.i32()));
    read(&|d| drop(d.i64()));
    read(&|d| drop(d.f32()));
    read(&|d| drop(d.f64()));
    read(&|d| drop(d.boolean()));
    read(&|d| drop(d.timestamp(TimestampFormat::HttpDate)));
}

/// Endpoint URLs, regions, the rules engine's URL and ARN parsers, and the redaction of user
/// information.
pub fn urls(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let redacted = redact_userinfo(&text);
    assert_eq!(redact_userinfo(&redacted), redacted, "redaction is stable");
    if userinfo_range(&text).is_some() {
        assert!(matches!(redacted, Cow::Owned(_)) && redacted.contains("***"));
    }
    match EndpointSettings::new()
        .with_url(text.as_ref())
        .builtins("us-east-1", "Neptune")
    {
        Ok(builtins) => {
            assert!(userinfo_range(builtins.endpoint.as_deref().unwrap_or("")).is_none())
        }
        Err(e) => {
            // The message shows no more of the user information than the redacted URL does (the
            // same text may stand elsewhere in the URL too).
            if let Some(range) = userinfo_range(&text).filter(|r| r.len() > 8) {
                let userinfo = &text[range];
                assert!(
                    !e.message().contains(userinfo) || redacted.contains(userinfo),
                    "{e}"
                );
            }
        }
    }
    if let Ok(region) = check_region(&text) {
        assert!(
            region
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        );
    }
    if let Some(url) = parse_url(&text) {
        let _ = (
            url.scheme(),
            url.authority(),
            url.path(),
            url.normalized_path(),
            url.is_ip(),
        );
    }
    if let Some(arn) = parse_arn(&text) {
        let _ = (
            arn.partition(),
            arn.service(),
            arn.region(),
            arn.account_id(),
        );
        assert!(!arn.resource_id().is_empty());
    }
}

/// The shared `credentials` and `config` files.
pub fn profiles(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for is_config in [false, true] {
        for (name, properties) in parse_profile_file(&text, is_config) {
            assert!(!name.is_empty());
            for key in properties.keys() {
                assert!(!key.is_empty() && !key.contains('='), "{key:?}");
            }
        }
    }
}

/// The `neptune` command line: arguments separated by NUL bytes.
pub fn cli_args(data: &[u8]) {
    let args: Vec<String> = data
        .split(|b| *b == 0)
        .map(|arg| String::from_utf8_lossy(arg).into_owned())
        .collect();
    let extras = |name: &str| neptune_cli::PROGRAM.extension.options(name);
    if let Err(e) = awsquery_cli::args::parse(&neptune_cli::SERVICE, &extras, &args) {
        let _ = e.to_string();
    }
    // Every argument as an option value in the shorthand syntax as well.
    for arg in &args {
        if let Err(e) = awsquery_cli::shorthand::parse(arg) {
            let _ = e.to_string();
        }
    }
}

/// `--starting-token` values: whatever a token says, writing it and reading it back gives the same.
pub fn tokens(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let resume = awsquery_cli::token::decode("Marker", &text);
    let encoded = awsquery_cli::token::encode("Marker", &resume);
    assert_eq!(
        awsquery_cli::token::decode("Marker", &encoded),
        resume,
        "{encoded}"
    );
}
