//! Support for the protocol tests the generator writes from a model's `smithy.test#httpRequestTests`
//! and `smithy.test#httpResponseTests` (the `tests/protocol_tests.rs` of a generated protocol crate).
//!
//! The comparisons here ignore what the wire format leaves free and, when something does differ,
//! panic with a report of what: [`assert_form_eq`] compares form bodies as sets of decoded pairs,
//! [`assert_xml_eq`] compares XML documents as trees, and [`assert_query`] checks the query string
//! of a request URI. [`client`] holds what the client-side cases of a generated client crate need.

pub mod client;

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesRef, BytesStart, Event};

/// The decoded `(key, value)` pairs of an `application/x-www-form-urlencoded` body, in body order.
///
/// Pairs are split at `&`, whitespace around each pair is dropped (test cases write long bodies over
/// several lines), empty pairs are skipped, and a pair without `=` has an empty value. Keys and values
/// are percent-decoded, with `+` read as a space; a `%` not followed by two hex digits stays as it is.
pub fn form_pairs(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .map(|pair| pair.trim_matches(|c: char| c.is_ascii_whitespace()))
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(key), percent_decode(value))
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => match (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            ) {
                (Some(high), Some(low)) => {
                    out.push(high << 4 | low);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(digit: u8) -> Option<u8> {
    char::from(digit)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

/// Asserts that two form bodies hold the same pairs, in any order (see [`form_pairs`]).
///
/// # Panics
///
/// When they differ, listing the pairs only one side has.
#[track_caller]
pub fn assert_form_eq(expected: &str, actual: &[u8]) {
    let actual_text = String::from_utf8_lossy(actual);
    let mut want = form_pairs(expected);
    let mut got = form_pairs(&actual_text);
    want.sort();
    got.sort();
    if want == got {
        return;
    }
    let (missing, unexpected) = difference(&want, &got);
    let mut report = String::from("the form bodies differ\n");
    let mut list = |title: &str, pairs: &[&(String, String)]| {
        if !pairs.is_empty() {
            let _ = writeln!(report, "  {title}:");
            for (key, value) in pairs {
                let _ = writeln!(report, "    {key} = {value:?}");
            }
        }
    };
    list("expected but not sent", &missing);
    list("sent but not expected", &unexpected);
    let _ = write!(
        report,
        "expected body: {}\nactual body:   {actual_text}",
        expected.trim()
    );
    panic!("{report}");
}

/// The items of two sorted lists that the other lacks, counting repeats.
fn difference<'a, T: Ord>(left: &'a [T], right: &'a [T]) -> (Vec<&'a T>, Vec<&'a T>) {
    let (mut only_left, mut only_right) = (Vec::new(), Vec::new());
    let (mut l, mut r) = (left.iter().peekable(), right.iter().peekable());
    loop {
        match (l.peek(), r.peek()) {
            (Some(a), Some(b)) if a == b => {
                l.next();
                r.next();
            }
            (Some(a), Some(b)) if a < b => only_left.extend(l.next()),
            (Some(_), Some(_)) => only_right.extend(r.next()),
            (Some(_), None) => only_left.extend(l.next()),
            (None, Some(_)) => only_right.extend(r.next()),
            (None, None) => return (only_left, only_right),
        }
    }
}

/// An XML element reduced to what a comparison looks at.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct XmlNode {
    /// The element name without its namespace prefix.
    pub name: String,
    /// Attributes by qualified name as written (namespace declarations included), sorted by name,
    /// values unescaped.
    pub attributes: Vec<(String, String)>,
    /// Child elements, in document order.
    pub children: Vec<XmlNode>,
    /// The element's own text (text, CDATA and references directly inside it), trimmed.
    pub text: String,
}

impl fmt::Display for XmlNode {
    /// An indented rendering, one element per line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.render(f, 0)
    }
}

impl XmlNode {
    fn render(&self, f: &mut fmt::Formatter<'_>, depth: usize) -> fmt::Result {
        write!(f, "{:indent$}<{}", "", self.name, indent = depth * 2)?;
        for (name, value) in &self.attributes {
            write!(f, " {name}={value:?}")?;
        }
        f.write_str(">")?;
        if !self.text.is_empty() {
            write!(f, " {:?}", self.text)?;
        }
        f.write_str("\n")?;
        for child in &self.children {
            child.render(f, depth + 1)?;
        }
        Ok(())
    }

    /// Where `self` (at `path`) and `other` first differ: the path of element names with 1-based
    /// positions among their siblings, and what differs there.
    fn first_difference(&self, other: &XmlNode, path: &str) -> Option<String> {
        if self.name != other.name {
            return Some(format!(
                "{path}: element <{}> expected, <{}> found",
                self.name, other.name
            ));
        }
        if self.attributes != other.attributes {
            return Some(format!(
                "{path}: attributes {:?} expected, {:?} found",
                self.attributes, other.attributes
            ));
        }
        if self.text != other.text {
            return Some(format!(
                "{path}: text {:?} expected, {:?} found",
                self.text, other.text
            ));
        }
        for (i, (a, b)) in self.children.iter().zip(&other.children).enumerate() {
            if let Some(found) = a.first_difference(b, &format!("{path}/{}[{}]", a.name, i + 1)) {
                return Some(found);
            }
        }
        if self.children.len() != other.children.len() {
            return Some(format!(
                "{path}: {} child elements expected, {} found",
                self.children.len(),
                other.children.len()
            ));
        }
        None
    }
}

/// Parses an XML document into its root [`XmlNode`]. The declaration, comments, processing
/// instructions and a doctype are ignored.
pub fn parse_xml(text: &str) -> Result<XmlNode, String> {
    let mut reader = Reader::from_str(text);
    let mut open: Vec<XmlNode> = Vec::new();
    let mut root = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("malformed XML at byte {}: {e}", reader.error_position()))?;
        match event {
            Event::Start(start) => open.push(node(&start)?),
            Event::Empty(start) => {
                let node = node(&start)?;
                close(node, &mut open, &mut root)?;
            }
            Event::End(_) => {
                let node = open.pop().ok_or("an end tag without a start tag")?;
                close(node, &mut open, &mut root)?;
            }
            Event::Text(text) => push_text(&mut open, &text.xml10_content())?,
            Event::CData(data) => push_text(&mut open, &data.xml10_content())?,
            Event::GeneralRef(reference) => push_text(&mut open, &resolve(&reference)?)?,
            Event::Eof => break,
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if !open.is_empty() {
        return Err(format!(
            "the document ends with {} element(s) open",
            open.len()
        ));
    }
    let mut root: XmlNode = root.ok_or("no root element")?;
    trim(&mut root);
    Ok(root)
}

fn node(start: &BytesStart<'_>) -> Result<XmlNode, String> {
    let name = start.local_name().as_ref().to_owned();
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| format!("a malformed attribute in <{name}>: {e}"))?;
        let key = attribute.key.as_ref().to_owned();
        let value = attribute
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|e| format!("a malformed attribute value in <{name}>: {e}"))?;
        attributes.push((key, value.into_owned()));
    }
    attributes.sort();
    Ok(XmlNode {
        name,
        attributes,
        children: Vec::new(),
        text: String::new(),
    })
}

fn close(node: XmlNode, open: &mut [XmlNode], root: &mut Option<XmlNode>) -> Result<(), String> {
    match open.last_mut() {
        Some(parent) => parent.children.push(node),
        None if root.is_none() => *root = Some(node),
        None => return Err(String::from("more than one root element")),
    }
    Ok(())
}

fn push_text(open: &mut [XmlNode], text: &str) -> Result<(), String> {
    match open.last_mut() {
        Some(node) => node.text.push_str(text),
        None if text.trim().is_empty() => {}
        None => return Err(format!("text outside the root element: {text:?}")),
    }
    Ok(())
}

fn resolve(reference: &BytesRef<'_>) -> Result<Cow<'static, str>, String> {
    match reference.resolve_char_ref() {
        Ok(Some(c)) => Ok(Cow::Owned(String::from(c))),
        Ok(None) => quick_xml::escape::resolve_predefined_entity(reference)
            .map(Cow::Borrowed)
            .ok_or_else(|| format!("unknown entity `&{};`", &**reference)),
        Err(e) => Err(format!("a malformed character reference: {e}")),
    }
}

fn trim(node: &mut XmlNode) {
    let trimmed = node.text.trim();
    if trimmed.len() != node.text.len() {
        node.text = trimmed.to_owned();
    }
    node.children.iter_mut().for_each(trim);
}

/// Asserts that two XML documents are the same tree: element local names, attributes, child order
/// and trimmed text must match; whitespace between elements, namespace prefixes, comments and the
/// declaration do not count.
///
/// # Panics
///
/// When either is not XML or they differ, naming the first difference and showing both trees.
#[track_caller]
pub fn assert_xml_eq(expected: &str, actual: &str) {
    let want = match parse_xml(expected) {
        Ok(tree) => tree,
        Err(e) => panic!("the expected XML is not valid: {e}\n{expected}"),
    };
    let got = match parse_xml(actual) {
        Ok(tree) => tree,
        Err(e) => panic!("the actual XML is not valid: {e}\n{actual}"),
    };
    if let Some(difference) = want.first_difference(&got, &format!("/{}", want.name)) {
        panic!("the XML documents differ at {difference}\nexpected:\n{want}actual:\n{got}");
    }
}

/// Asserts what the query string of `uri` holds: every `expected` parameter (`name=value` or
/// `name`, written encoded as on the wire), none named in `forbidden`, and some value for each name
/// in `required`. Other parameters are allowed.
///
/// # Panics
///
/// When one of the three does not hold.
#[track_caller]
pub fn assert_query(uri: &str, expected: &[&str], forbidden: &[&str], required: &[&str]) {
    let query = uri.split_once('?').map_or("", |(_, query)| query);
    let params: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
    let name = |param: &str| param.split_once('=').map_or(param, |(n, _)| n).to_owned();
    for want in expected {
        assert!(
            params.contains(want),
            "query parameter `{want}` expected in `{uri}`"
        );
    }
    for banned in forbidden {
        assert!(
            !params.iter().any(|p| name(p) == *banned),
            "query parameter `{banned}` must not be sent, but `{uri}` has it"
        );
    }
    for needed in required {
        assert!(
            params.iter().any(|p| name(p) == *needed),
            "query parameter `{needed}` must be sent, but `{uri}` lacks it"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn panic_message(f: impl FnOnce() + std::panic::UnwindSafe) -> String {
        let payload = std::panic::catch_unwind(f).expect_err("the assertion should fail");
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default()
    }

    #[test]
    fn form_pairs_decode_and_ignore_layout() {
        let pairs =
            form_pairs("Action=Op\n  &Version=2020-01-08\n  &A.member.1=x%20y+z&Empty=&Flag\n&&");
        assert_eq!(
            pairs,
            [
                ("Action", "Op"),
                ("Version", "2020-01-08"),
                ("A.member.1", "x y z"),
                ("Empty", ""),
                ("Flag", ""),
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
        assert_eq!(
            form_pairs("K=%E6%97%A5%2B%zz%4"),
            [("K".to_owned(), "日+%zz%4".to_owned())]
        );
    }

    #[test]
    fn form_bodies_compare_in_any_order() {
        assert_form_eq(
            "Action=Op\n&Version=1\n&B=2\n&A=arn%3Aaws",
            b"Action=Op&Version=1&A=arn:aws&B=2",
        );
    }

    #[test]
    fn form_difference_names_the_pairs() {
        let message =
            panic_message(|| assert_form_eq("Action=Op&A=1&B=2", b"Action=Op&A=1&B=3&C=4"));
        assert!(
            message.contains("expected but not sent:\n    B = \"2\""),
            "{message}"
        );
        assert!(
            message.contains("sent but not expected:\n    B = \"3\"\n    C = \"4\""),
            "{message}"
        );
    }

    #[test]
    fn repeated_pairs_count() {
        let message = panic_message(|| assert_form_eq("A=1&A=1", b"A=1"));
        assert!(
            message.contains("expected but not sent:\n    A = \"1\""),
            "{message}"
        );
    }

    #[test]
    fn xml_trees_ignore_whitespace_prefixes_and_comments() {
        assert_xml_eq(
            r#"<?xml version="1.0"?>
            <Response xmlns="https://example.com/">
                <!-- a comment -->
                <Result b="2" a="1">
                    <Name> a &amp; b </Name>
                    <Empty/>
                </Result>
            </Response>"#,
            r#"<Response xmlns="https://example.com/"><x:Result a="1" b="2"><Name>a &#38; b</Name><Empty></Empty></x:Result></Response>"#,
        );
        assert_xml_eq("<A><![CDATA[1 < 2]]></A>", "<A>1 &lt; 2</A>");
    }

    #[test]
    fn xml_difference_names_the_path() {
        let message =
            panic_message(|| assert_xml_eq("<A><B>1</B><B>2</B></A>", "<A><B>1</B><B>3</B></A>"));
        assert!(
            message.contains("at /A/B[2]: text \"2\" expected, \"3\" found"),
            "{message}"
        );
    }

    #[test]
    fn xml_differences() {
        let cases = [
            ("<A><B/></A>", "<A><C/></A>", "<B> expected, <C> found"),
            ("<A x=\"1\"/>", "<A x=\"2\"/>", "attributes"),
            (
                "<A><B/></A>",
                "<A><B/><B/></A>",
                "1 child elements expected, 2 found",
            ),
            ("<A>1</A>", "<A/>", "text \"1\" expected, \"\" found"),
        ];
        for (want, got, phrase) in cases {
            let message = panic_message(|| assert_xml_eq(want, got));
            assert!(message.contains(phrase), "{message}");
        }
    }

    #[test]
    fn malformed_xml_is_reported() {
        assert!(parse_xml("<A><B></A>").is_err());
        assert!(parse_xml("<A/><B/>").is_err());
        assert!(parse_xml("text").is_err());
        assert!(parse_xml("<A>").is_err());
        assert!(parse_xml("<A>&bogus;</A>").is_err());
        let message = panic_message(|| assert_xml_eq("<A/>", "<A>"));
        assert!(message.contains("the actual XML is not valid"), "{message}");
    }

    #[test]
    fn query_parameters() {
        assert_query("/?a=1&b", &["a=1", "b"], &["c"], &["a", "b"]);
        assert_query("/", &[], &["a"], &[]);
        let message = panic_message(|| assert_query("/?a=1", &["a=2"], &[], &[]));
        assert!(message.contains("`a=2` expected"), "{message}");
        let message = panic_message(|| assert_query("/?a=1", &[], &["a"], &[]));
        assert!(message.contains("must not be sent"), "{message}");
        let message = panic_message(|| assert_query("/?a=1", &[], &[], &["b"]));
        assert!(message.contains("must be sent"), "{message}");
    }
}
