//! Host prefixes of operations with `smithy.api#endpoint`.
//!
//! The model gives a template such as `foo.{Bucket}.`; each `{label}` is an input member marked
//! `smithy.api#hostLabel`. The client expands the template with the input's values and puts the
//! result in front of the endpoint's host, after the endpoint is resolved and before the request is
//! signed: `https://example.com` with `Bucket` = `bar` becomes `https://foo.bar.example.com`.
//! The generator has already checked the template's own text; a label value is checked here,
//! before any I/O, and must be one or more host-name labels joined by dots.
//!
//! The client (the `awsquery` crate) can turn prefixing off, for endpoints such as local test
//! servers that cannot take it.

use awsquery_types::error::BuildError;

/// One piece of a host prefix template, as a generated client passes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment<'a> {
    /// Text copied as it is.
    Text(&'static str),
    /// A label: the input member bound to it and the member's value.
    Label {
        /// The Rust type name of the input.
        shape: &'static str,
        /// The member name as in the model.
        member: &'static str,
        /// The member's value, `None` when unset.
        value: Option<&'a str>,
    },
}

/// The longest label a host name may have (RFC 1123).
const MAX_LABEL_LEN: usize = 63;

/// The prefix `segments` spell out. Fails, naming the member, when a label's value is unset, empty
/// or not one or more host-name labels (letters, digits and hyphens, at most 63 of them, neither
/// first nor last a hyphen) joined by dots.
pub fn expand(segments: &[Segment<'_>]) -> Result<String, BuildError> {
    let mut out = String::new();
    for segment in segments {
        match *segment {
            Segment::Text(text) => out.push_str(text),
            Segment::Label {
                shape,
                member,
                value,
            } => {
                let value = value.ok_or(BuildError::MissingMember { shape, member })?;
                check_label_value(value).map_err(|problem| BuildError::InvalidHostLabel {
                    shape,
                    member,
                    problem,
                })?;
                out.push_str(value);
            }
        }
    }
    Ok(out)
}

/// Why `value` cannot stand in a host name, if it cannot.
fn check_label_value(value: &str) -> Result<(), &'static str> {
    if value.is_empty() {
        return Err("is empty");
    }
    for label in value.split('.') {
        if label.is_empty() {
            return Err("has an empty label between dots");
        }
        if !label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Err("has a character other than a letter, digit, hyphen or dot");
        }
        if label.len() > MAX_LABEL_LEN {
            return Err("has a label longer than 63 characters");
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err("has a label that starts or ends with a hyphen");
        }
    }
    Ok(())
}

/// Puts `prefix` in front of the host of the absolute `uri` (after the scheme and any user
/// information), leaving the port, path and query alone. A `uri` without a scheme is taken to start
/// with its host.
pub fn prepend(uri: &mut String, prefix: &str) {
    let authority = match uri.find("://") {
        Some(i) => i + 3,
        None => 0,
    };
    let end = uri[authority..]
        .find(['/', '?', '#'])
        .map_or(uri.len(), |i| authority + i);
    let host = match uri[authority..end].rfind('@') {
        Some(i) => authority + i + 1,
        None => authority,
    };
    uri.insert_str(host, prefix);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(value: Option<&str>) -> Segment<'_> {
        Segment::Label {
            shape: "PutInput",
            member: "Bucket",
            value,
        }
    }

    #[test]
    fn expands_text_and_labels() {
        let segments = [
            Segment::Text("foo."),
            label(Some("bar")),
            Segment::Text("-"),
            Segment::Label {
                shape: "PutInput",
                member: "Account",
                value: Some("a.b-c.123"),
            },
            Segment::Text("."),
        ];
        assert_eq!(expand(&segments).unwrap(), "foo.bar-a.b-c.123.");
        assert_eq!(expand(&[Segment::Text("data.")]).unwrap(), "data.");
        assert_eq!(expand(&[]).unwrap(), "");
    }

    #[test]
    fn an_unset_label_is_a_missing_member() {
        let err = expand(&[Segment::Text("foo."), label(None)]).unwrap_err();
        assert_eq!(err, BuildError::missing("PutInput", "Bucket"));
    }

    #[test]
    fn invalid_label_values_name_the_member() {
        let cases = [
            ("", "is empty"),
            ("a..b", "empty label between dots"),
            (".a", "empty label between dots"),
            ("a.", "empty label between dots"),
            ("a_b", "other than a letter, digit, hyphen or dot"),
            ("a/b", "other than a letter, digit, hyphen or dot"),
            ("evil.com:80", "other than a letter, digit, hyphen or dot"),
            ("ünï", "other than a letter, digit, hyphen or dot"),
            ("-a", "starts or ends with a hyphen"),
            ("a.b-", "starts or ends with a hyphen"),
        ];
        for (value, problem) in cases {
            let err = expand(&[label(Some(value))]).unwrap_err();
            match &err {
                BuildError::InvalidHostLabel {
                    shape,
                    member,
                    problem: found,
                } => {
                    assert_eq!((*shape, *member), ("PutInput", "Bucket"));
                    assert!(found.contains(problem), "{value:?}: {found}");
                }
                other => panic!("{value:?}: {other:?}"),
            }
            let message = err.to_string();
            assert!(message.contains("`Bucket`"), "{message}");
            assert!(message.contains("`PutInput`"), "{message}");
        }
    }

    #[test]
    fn label_length_limit() {
        let longest = "a".repeat(63);
        assert!(expand(&[label(Some(&longest))]).is_ok());
        let dotted = format!("{longest}.{longest}");
        assert!(expand(&[label(Some(&dotted))]).is_ok());
        let too_long = "a".repeat(64);
        let err = expand(&[label(Some(&too_long))]).unwrap_err();
        assert!(err.to_string().contains("longer than 63"), "{err}");
    }

    #[test]
    fn prepends_to_the_host() {
        let cases = [
            ("https://example.com", "https://foo.example.com"),
            ("https://example.com/", "https://foo.example.com/"),
            (
                "https://example.com/custom/",
                "https://foo.example.com/custom/",
            ),
            (
                "http://127.0.0.1:5000/?a=b",
                "http://foo.127.0.0.1:5000/?a=b",
            ),
            (
                "https://user@example.com:8443/p",
                "https://user@foo.example.com:8443/p",
            ),
            ("https://example.com?q=a@b", "https://foo.example.com?q=a@b"),
            ("example.com/x", "foo.example.com/x"),
        ];
        for (uri, expected) in cases {
            let mut uri = uri.to_owned();
            prepend(&mut uri, "foo.");
            assert_eq!(uri, expected);
        }
    }
}
