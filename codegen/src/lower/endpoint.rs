//! What an operation's traits change in how the client sends it: the host prefix of
//! `smithy.api#endpoint` (checked against the input's `smithy.api#hostLabel` members) and the
//! encodings of `smithy.api#requestCompression`; and, following from them, which request cases
//! run through the client rather than the protocol crate.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::Error;
use crate::ast;
use crate::ir::*;

const ENDPOINT: &str = "smithy.api#endpoint";
const HOST_LABEL: &str = "smithy.api#hostLabel";
const REQUEST_COMPRESSION: &str = "smithy.api#requestCompression";

/// The longest label a host name may have (RFC 1123).
const MAX_LABEL_LEN: usize = 63;

/// The host prefix of operation `op_id`, whose input (already lowered into `shapes`) is `input`,
/// or `None` when it has no `smithy.api#endpoint`.
///
/// The template must be a valid start of a host name once its labels are filled in, and its
/// labels and the input's `hostLabel` members must match one to one; each labelled member must be
/// a required string.
pub(super) fn host_prefix(
    model: &ast::Model,
    op_id: &str,
    traits: &BTreeMap<String, Value>,
    input: &str,
    shapes: &BTreeMap<String, Shape>,
) -> Result<Option<Vec<HostPrefixPart>>, Error> {
    let Some(endpoint) = super::traits::get::<super::traits::Endpoint>(traits, ENDPOINT, op_id)?
    else {
        return Ok(None);
    };
    let template = endpoint.host_prefix.as_str();
    let fail = |problem: String| {
        Error::shape(
            op_id,
            format!("has the host prefix `{template}`, which {problem}"),
        )
    };
    let parts = parse_template(template).map_err(fail)?;
    check_host_pattern(&parts).map_err(fail)?;

    let input_shape = &shapes[input];
    let members = match &input_shape.kind {
        ShapeKind::Structure(s) => s.members.as_slice(),
        _ => &[],
    };
    let marked = |name: &str| {
        model
            .shapes
            .get(input)
            .and_then(|shape| shape.members.0.iter().find(|(n, _)| n == name))
            .is_some_and(|(_, member)| member.traits.contains_key(HOST_LABEL))
    };
    let input_name = &input_shape.rust_name;
    for part in &parts {
        let HostPrefixPart::Label(label) = part else {
            continue;
        };
        let member = members.iter().find(|m| &m.name == label).ok_or_else(|| {
            fail(format!(
                "has the label `{{{label}}}`, but the input `{input_name}` has no member `{label}`"
            ))
        })?;
        let problem = if !marked(label) {
            Some("is not marked `smithy.api#hostLabel`")
        } else if !member.required {
            Some("is not `smithy.api#required`")
        } else if !matches!(
            shapes[&member.target].kind,
            ShapeKind::Scalar(Scalar::String)
        ) {
            Some("does not target a string")
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(fail(format!(
                "has the label `{{{label}}}`, but the input member `{input_name}.{label}` {problem}"
            )));
        }
    }
    for member in members.iter().filter(|m| marked(&m.name)) {
        let used = parts
            .iter()
            .any(|part| matches!(part, HostPrefixPart::Label(l) if *l == member.name));
        if !used {
            return Err(fail(format!(
                "has no label `{{{}}}` for the input member `{input_name}.{}` marked `smithy.api#hostLabel`",
                member.name, member.name
            )));
        }
    }
    Ok(Some(parts))
}

/// Splits a template into text and labels. Labels are `{name}` with a name of letters, digits and
/// underscores; two labels may not touch, and a name may appear once.
fn parse_template(template: &str) -> Result<Vec<HostPrefixPart>, String> {
    let mut parts = Vec::new();
    let mut seen = BTreeSet::new();
    let mut rest = template;
    while !rest.is_empty() {
        match rest.find(['{', '}']) {
            Some(i) if rest.as_bytes()[i] == b'}' => {
                return Err(String::from("has a `}` without an opening `{`"));
            }
            Some(i) => {
                if i > 0 {
                    parts.push(HostPrefixPart::Text(rest[..i].to_owned()));
                }
                let after = &rest[i + 1..];
                let end = after
                    .find('}')
                    .ok_or_else(|| String::from("has a `{` without a closing `}`"))?;
                let name = &after[..end];
                if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                {
                    return Err(format!(
                        "has the label `{{{name}}}`, which is not a member name"
                    ));
                }
                if matches!(parts.last(), Some(HostPrefixPart::Label(_))) {
                    return Err(format!(
                        "has the label `{{{name}}}` right after another label"
                    ));
                }
                if !seen.insert(name) {
                    return Err(format!("has the label `{{{name}}}` twice"));
                }
                parts.push(HostPrefixPart::Label(name.to_owned()));
                rest = &after[end + 1..];
            }
            None => {
                parts.push(HostPrefixPart::Text(rest.to_owned()));
                rest = "";
            }
        }
    }
    if parts.is_empty() {
        return Err(String::from("is empty"));
    }
    Ok(parts)
}

/// Checks that the template, with each label standing for one host-name label, can start a host
/// name: letters, digits, hyphens and dots only, host-name labels of 1 to 63 characters that
/// neither start nor end with a hyphen. The text after the last dot joins the endpoint's first
/// label, so it may be empty or end with a hyphen.
fn check_host_pattern(parts: &[HostPrefixPart]) -> Result<(), String> {
    let sample: String = parts
        .iter()
        .map(|part| match part {
            HostPrefixPart::Text(text) => text.as_str(),
            HostPrefixPart::Label(_) => "a",
        })
        .collect();
    if let Some(c) = sample
        .chars()
        .find(|c| !c.is_ascii_alphanumeric() && *c != '-' && *c != '.')
    {
        return Err(format!(
            "is not a valid host name: `{c}` is not a letter, digit, hyphen or dot"
        ));
    }
    let labels: Vec<&str> = sample.split('.').collect();
    let last = labels.len() - 1;
    for (i, label) in labels.iter().enumerate() {
        if label.is_empty() && i < last {
            return Err(String::from(
                "is not a valid host name: it has an empty label",
            ));
        }
        if label.len() > MAX_LABEL_LEN {
            return Err(String::from(
                "is not a valid host name: it has a label longer than 63 characters",
            ));
        }
        if label.starts_with('-') || (i < last && label.ends_with('-')) {
            return Err(String::from(
                "is not a valid host name: it has a label that starts or ends with a hyphen",
            ));
        }
    }
    Ok(())
}

/// The operation's `smithy.api#requestCompression`, with the first of its encodings that the client
/// supports (gzip, named in any case); encodings the client does not know are skipped.
pub(super) fn request_compression(
    op_id: &str,
    traits: &BTreeMap<String, Value>,
) -> Result<Option<RequestCompression>, Error> {
    let Some(compression) = super::traits::get::<super::traits::RequestCompression>(
        traits,
        REQUEST_COMPRESSION,
        op_id,
    )?
    else {
        return Ok(None);
    };
    if compression.encodings.is_empty() {
        return Err(Error::shape(
            op_id,
            format!("has a `{REQUEST_COMPRESSION}` whose `encodings` is empty"),
        ));
    }
    let encoding = compression
        .encodings
        .iter()
        .find(|name| name.eq_ignore_ascii_case("gzip"))
        .map(|_| Compression::Gzip);
    Ok(Some(RequestCompression { encoding }))
}

/// Splits `tests` into those the protocol crate runs and those that need the client: the request
/// cases of operations with a host prefix or `smithy.api#requestCompression` or sent unsigned
/// (whose missing signature only the client can show), and request cases whose `host` has a base
/// path or that expect a `resolvedHost`. Checks `host` and
/// `resolvedHost` on the way.
pub(super) fn split_client_tests(
    operations: &[Operation],
    tests: Vec<ProtocolTest>,
) -> Result<(Vec<ProtocolTest>, Vec<ProtocolTest>), Error> {
    let mut protocol = Vec::new();
    let mut client = Vec::new();
    for test in tests {
        let ProtocolTestKind::Request(case) = &test.kind else {
            protocol.push(test);
            continue;
        };
        let op = operations
            .iter()
            .find(|op| op.id == test.operation)
            .expect("tests belong to selected operations");
        let malformed = |problem: String| {
            Error::shape(
                &op.id,
                format!(
                    "has a malformed `smithy.test#httpRequestTests` case `{}`: {problem}",
                    test.id
                ),
            )
        };
        let base_path = match &case.host {
            Some(host) => {
                let (authority, path) = host.split_once('/').unwrap_or((host, ""));
                if authority.is_empty()
                    || host.contains("://")
                    || host.contains(|c: char| c.is_whitespace() || "?#@".contains(c))
                {
                    return Err(malformed(format!(
                        "`host` is `{host}`, not a host with an optional path"
                    )));
                }
                !path.is_empty()
            }
            None => false,
        };
        if let Some(resolved) = &case.resolved_host {
            if resolved.is_empty()
                || resolved.contains(|c: char| c.is_whitespace() || "/?#@".contains(c))
            {
                return Err(malformed(format!(
                    "`resolvedHost` is `{resolved}`, not a host"
                )));
            }
        }
        let needs_client = op.host_prefix.is_some()
            || op.request_compression.is_some()
            || op.unsigned
            || base_path
            || case.resolved_host.is_some();
        if needs_client {
            client.push(test);
        } else {
            protocol.push(test);
        }
    }
    Ok((protocol, client))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> HostPrefixPart {
        HostPrefixPart::Text(s.to_owned())
    }

    fn label(s: &str) -> HostPrefixPart {
        HostPrefixPart::Label(s.to_owned())
    }

    #[test]
    fn templates_split_into_text_and_labels() {
        assert_eq!(parse_template("foo."), Ok(vec![text("foo.")]));
        assert_eq!(
            parse_template("foo.{Label}."),
            Ok(vec![text("foo."), label("Label"), text(".")])
        );
        assert_eq!(
            parse_template("{a_1}-{B}.data."),
            Ok(vec![label("a_1"), text("-"), label("B"), text(".data.")])
        );
    }

    #[test]
    fn malformed_templates() {
        let cases = [
            ("", "is empty"),
            ("foo.{Label.", "without a closing"),
            ("foo}.", "without an opening"),
            ("{}.", "not a member name"),
            ("{a b}.", "not a member name"),
            ("{a}{b}.", "right after another label"),
            ("{a}.{a}.", "twice"),
        ];
        for (template, problem) in cases {
            let err = parse_template(template).expect_err(template);
            assert!(err.contains(problem), "{template}: {err}");
        }
    }

    #[test]
    fn host_patterns() {
        for good in [
            "foo.",
            "{a}.",
            "foo.{a}.bar.",
            "data-",
            "{a}",
            "x-{a}-y.",
            "a1.b2",
        ] {
            let parts = parse_template(good).unwrap();
            assert_eq!(check_host_pattern(&parts), Ok(()), "{good}");
        }
        let long = format!("{}.", "a".repeat(64));
        for (bad, problem) in [
            ("https://foo.", "`:` is not"),
            ("foo:8080.", "`:` is not"),
            ("user@foo.", "`@` is not"),
            ("foo/bar.", "`/` is not"),
            ("foo_bar.", "`_` is not"),
            (".foo.", "empty label"),
            ("foo..", "empty label"),
            ("-foo.", "starts or ends with a hyphen"),
            ("foo-.", "starts or ends with a hyphen"),
            ("{a}-.", "starts or ends with a hyphen"),
            (long.as_str(), "longer than 63"),
        ] {
            let parts = parse_template(bad).unwrap();
            let err = check_host_pattern(&parts).expect_err(bad);
            assert!(err.contains(problem), "{bad}: {err}");
        }
    }

    #[test]
    fn compression_encodings() {
        let traits = |value: Value| BTreeMap::from([(String::from(REQUEST_COMPRESSION), value)]);
        let op = "example#Op";
        let encoding = |value| {
            request_compression(op, &traits(value)).map(|c| c.expect("the trait is there").encoding)
        };
        assert_eq!(request_compression(op, &BTreeMap::new()), Ok(None));
        let gzip = serde_json::json!({ "encodings": ["gzip"] });
        assert_eq!(encoding(gzip), Ok(Some(Compression::Gzip)));
        let later = serde_json::json!({ "encodings": ["br", "GZIP"] });
        assert_eq!(encoding(later), Ok(Some(Compression::Gzip)));
        let unknown = serde_json::json!({ "encodings": ["br", "zstd"] });
        assert_eq!(encoding(unknown), Ok(None));
        for (value, problem) in [
            (serde_json::json!({}), "it has no `encodings`"),
            (
                serde_json::json!({ "encodings": "gzip" }),
                "`encodings` is `\"gzip\"`, not a list",
            ),
            (serde_json::json!({ "encodings": [] }), "is empty"),
            (
                serde_json::json!({ "encodings": [1] }),
                "`encodings[0]` is `1`, not a string",
            ),
        ] {
            let err = request_compression(op, &traits(value)).unwrap_err();
            assert_eq!(err.shape.as_deref(), Some(op));
            assert!(err.message.contains(problem), "{err}");
        }
    }
}
