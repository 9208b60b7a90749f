//! The awsQuery request body: `application/x-www-form-urlencoded` key/value pairs.
//!
//! Nested members are addressed by dotted keys (`Filters.member.1.Name=...`); see [`key`],
//! [`item_key`] and [`entry_key`].

use std::fmt::Write as _;

use awsquery_types::time::{DateTime, TimestampFormat};

/// Writes an awsQuery body: `Action=Op&Version=2014-10-31&Key=value&...`.
#[derive(Debug)]
pub struct QueryWriter<'a> {
    out: &'a mut String,
}

impl<'a> QueryWriter<'a> {
    /// Starts a body in `out` with `Action=action&Version=version`.
    pub fn new(out: &'a mut String, action: &str, version: &str) -> Self {
        out.push_str("Action=");
        percent_encode_into(action, out);
        out.push_str("&Version=");
        percent_encode_into(version, out);
        QueryWriter { out }
    }

    /// Writes `&KEY=` and returns the output for the value. `KEY` is `prefix.name`, `name` when
    /// `prefix` is empty, `prefix` when `name` is empty.
    fn key(&mut self, prefix: &str, name: &str) -> &mut String {
        self.out.push('&');
        percent_encode_into(prefix, self.out);
        if !prefix.is_empty() && !name.is_empty() {
            self.out.push('.');
        }
        percent_encode_into(name, self.out);
        self.out.push('=');
        self.out
    }

    /// A string member.
    pub fn string(&mut self, prefix: &str, name: &str, value: &str) {
        percent_encode_into(value, self.key(prefix, name));
    }

    /// A boolean member: `true` or `false`.
    pub fn boolean(&mut self, prefix: &str, name: &str, value: bool) {
        self.key(prefix, name)
            .push_str(if value { "true" } else { "false" });
    }

    /// An integral member (byte, short, integer, long), in decimal.
    pub fn integer(&mut self, prefix: &str, name: &str, value: i64) {
        push_integer(self.key(prefix, name), value);
    }

    /// A double member: `NaN`, `Infinity`, `-Infinity`, or the shortest decimal that reads back as
    /// `value` (`1.5`, `1` for `1.0`).
    pub fn float(&mut self, prefix: &str, name: &str, value: f64) {
        let out = self.key(prefix, name);
        if !write_non_finite(value.is_nan(), value.is_infinite(), value < 0.0, out) {
            // Writing to a String cannot fail.
            let _ = write!(out, "{value}");
        }
    }

    /// A float member, written as the shortest decimal that reads back as the same `f32`
    /// (`10.8f32` is `10.8`).
    pub fn float32(&mut self, prefix: &str, name: &str, value: f32) {
        let out = self.key(prefix, name);
        if !write_non_finite(value.is_nan(), value.is_infinite(), value < 0.0, out) {
            let _ = write!(out, "{value}");
        }
    }

    /// A timestamp member in `format`.
    pub fn timestamp(
        &mut self,
        prefix: &str,
        name: &str,
        value: &DateTime,
        format: TimestampFormat,
    ) {
        let mut text = String::new();
        value.write(format, &mut text);
        percent_encode_into(&text, self.key(prefix, name));
    }

    /// A blob member, base64-encoded.
    pub fn blob(&mut self, prefix: &str, name: &str, value: &[u8]) {
        let mut text = String::new();
        awsquery_types::base64::encode(value, &mut text);
        percent_encode_into(&text, self.key(prefix, name));
    }

    /// `&KEY=` with no value: how an empty list or map is sent.
    pub fn empty(&mut self, prefix: &str, name: &str) {
        self.key(prefix, name);
    }
}

/// Writes `NaN`, `Infinity` or `-Infinity` and returns true, or returns false for a finite value.
fn write_non_finite(nan: bool, infinite: bool, negative: bool, out: &mut String) -> bool {
    let text = match (nan, infinite, negative) {
        (true, _, _) => "NaN",
        (false, true, false) => "Infinity",
        (false, true, true) => "-Infinity",
        (false, false, _) => return false,
    };
    out.push_str(text);
    true
}

/// `prefix.name`, or `name` when `prefix` is empty, or `prefix` when `name` is empty (a list item
/// that is itself a structure or list).
pub fn key(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        return name.to_owned();
    }
    if name.is_empty() {
        return prefix.to_owned();
    }
    let mut key = String::with_capacity(prefix.len() + 1 + name.len());
    key.push_str(prefix);
    key.push('.');
    key.push_str(name);
    key
}

/// The key of the `index`-th list item (0-based in, 1-based out): `prefix.member.1` for a wrapped
/// list whose member name is `member`, `prefix.1` for a flattened list (`member` is `None`).
pub fn item_key(prefix: &str, member: Option<&str>, index: usize) -> String {
    let mut key = match member {
        Some(member) => self::key(prefix, member),
        None => prefix.to_owned(),
    };
    if !key.is_empty() {
        key.push('.');
    }
    let _ = write!(key, "{}", index.saturating_add(1));
    key
}

/// The key of the `index`-th map entry (0-based in, 1-based out): `prefix.entry.1` for a wrapped
/// map, `prefix.1` for a flattened one. Its key and value go under `.key` and `.value` (or the
/// modeled names).
pub fn entry_key(prefix: &str, flattened: bool, index: usize) -> String {
    item_key(prefix, (!flattened).then_some("entry"), index)
}

/// Appends `value` percent-encoded as the AWS SDKs encode form values: every byte outside
/// `A-Z a-z 0-9 - _ . ~` becomes `%XX` (upper-case hex of the UTF-8 bytes); a space is `%20`,
/// never `+`.
pub fn percent_encode_into(value: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let bytes = value.as_bytes();
    let mut run = 0; // start of the pending run of unreserved bytes
    for (i, &byte) in bytes.iter().enumerate() {
        if is_unreserved(byte) {
            continue;
        }
        if run < i {
            // A non-empty run is unreserved ASCII, so both ends are char boundaries.
            out.push_str(&value[run..i]);
        }
        out.push('%');
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0x0F)]));
        run = i + 1;
    }
    if run < bytes.len() {
        out.push_str(&value[run..]);
    }
}

/// Whether a byte stays as it is: ASCII letters and digits, `-`, `_`, `.` and `~` (a table,
/// since every byte of every value is looked up).
fn is_unreserved(byte: u8) -> bool {
    const UNRESERVED: [bool; 256] = {
        let mut table = [false; 256];
        let mut b = 0;
        while b < 256 {
            let c = b as u8;
            table[b] = c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b'~');
            b += 1;
        }
        table
    };
    UNRESERVED[usize::from(byte)]
}

/// Appends `value` in decimal, without the formatting machinery (it runs for every integral
/// member, and for the attempt header of every request).
pub fn push_integer(out: &mut String, value: i64) {
    // 19 digits and a sign hold every i64.
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    let mut n = value.unsigned_abs();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if value < 0 {
        out.push('-');
    }
    for &digit in &digits[start..] {
        out.push(char::from(digit));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(value: &str) -> String {
        let mut out = String::new();
        percent_encode_into(value, &mut out);
        out
    }

    fn body(write: impl FnOnce(&mut QueryWriter<'_>)) -> String {
        let mut out = String::new();
        write(&mut QueryWriter::new(&mut out, "Op", "2014-10-31"));
        out.strip_prefix("Action=Op&Version=2014-10-31")
            .expect("header")
            .to_owned()
    }

    #[test]
    fn failover_global_cluster_body_matches_the_sdk() {
        let mut out = String::new();
        let mut w = QueryWriter::new(&mut out, "FailoverGlobalCluster", "2014-10-31");
        w.string("", "GlobalClusterIdentifier", "my-global");
        w.string(
            "",
            "TargetDbClusterIdentifier",
            "arn:aws:rds:us-west-2:123456789012:cluster:secondary",
        );
        assert_eq!(
            out,
            "Action=FailoverGlobalCluster&Version=2014-10-31&GlobalClusterIdentifier=my-global\
             &TargetDbClusterIdentifier=arn%3Aaws%3Ards%3Aus-west-2%3A123456789012%3Acluster%3Asecondary"
        );
        assert_eq!(out.len(), 172);
    }

    #[test]
    fn percent_encoding() {
        assert_eq!(encoded("a b"), "a%20b");
        assert_eq!(encoded("a&b=c+d"), "a%26b%3Dc%2Bd");
        assert_eq!(encoded("x/y:z"), "x%2Fy%3Az");
        assert_eq!(encoded("-_.~AZaz09"), "-_.~AZaz09");
        assert_eq!(encoded("é"), "%C3%A9");
        assert_eq!(encoded("日本"), "%E6%97%A5%E6%9C%AC");
        assert_eq!(encoded("aé b日"), "a%C3%A9%20b%E6%97%A5");
        assert_eq!(encoded("%*'\"\n"), "%25%2A%27%22%0A");
        assert_eq!(encoded(""), "");
    }

    #[test]
    fn keys() {
        assert_eq!(key("", "Name"), "Name");
        assert_eq!(key("Filters.member.1", "Name"), "Filters.member.1.Name");
        assert_eq!(item_key("Filters", Some("member"), 0), "Filters.member.1");
        assert_eq!(item_key("Filters", None, 9), "Filters.10");
        assert_eq!(item_key("", Some("member"), 1), "member.2");
        assert_eq!(entry_key("Tags", false, 0), "Tags.entry.1");
        assert_eq!(entry_key("Tags", true, 2), "Tags.3");
    }

    #[test]
    fn nested_and_list_members() {
        let written = body(|w| {
            let filter = item_key("Filters", Some("member"), 0);
            w.string(&filter, "Name", "engine");
            let value = item_key(&key(&filter, "Values"), Some("member"), 0);
            w.string(&value, "", "neptune db");
            let entry = entry_key("Attributes", false, 0);
            w.string(&entry, "key", "k");
            w.string(&entry, "value", "v");
        });
        assert_eq!(
            written,
            "&Filters.member.1.Name=engine&Filters.member.1.Values.member.1=neptune%20db\
             &Attributes.entry.1.key=k&Attributes.entry.1.value=v"
        );
    }

    #[test]
    fn scalars() {
        let written = body(|w| {
            w.boolean("", "A", true);
            w.boolean("P", "B", false);
            w.integer("", "I", 0);
            w.integer("", "J", -42);
            w.integer("", "Min", i64::MIN);
            w.integer("", "Max", i64::MAX);
        });
        assert_eq!(
            written,
            "&A=true&P.B=false&I=0&J=-42&Min=-9223372036854775808&Max=9223372036854775807"
        );
    }

    #[test]
    fn floats() {
        let written = body(|w| {
            w.float("", "A", 1.5);
            w.float("", "B", 10.8);
            w.float("", "C", 1.0);
            w.float("", "D", -0.25);
            w.float("", "E", f64::NAN);
            w.float("", "F", f64::INFINITY);
            w.float("", "G", f64::NEG_INFINITY);
            w.float32("", "H", 10.8);
            w.float32("", "I", f32::NAN);
            w.float32("", "J", f32::NEG_INFINITY);
            w.float32("", "K", 3.0);
        });
        assert_eq!(
            written,
            "&A=1.5&B=10.8&C=1&D=-0.25&E=NaN&F=Infinity&G=-Infinity&H=10.8&I=NaN&J=-Infinity&K=3"
        );
    }

    #[test]
    fn blob_is_base64_then_percent_encoded() {
        let written = body(|w| w.blob("", "Data", &[0xFB, 0xFF]));
        assert_eq!(written, "&Data=%2B%2F8%3D");
        let written = body(|w| w.blob("", "Data", b"foo"));
        assert_eq!(written, "&Data=Zm9v");
    }

    #[test]
    fn empty_list() {
        let written = body(|w| {
            w.empty("", "Readers");
            w.empty("Outer", "Inner");
        });
        assert_eq!(written, "&Readers=&Outer.Inner=");
    }

    #[test]
    fn keys_are_encoded() {
        let written = body(|w| w.string("a b", "c&d", "e"));
        assert_eq!(written, "&a%20b.c%26d=e");
    }

    #[test]
    fn key_of_a_nested_list_item_has_no_empty_segment() {
        let item = item_key("Tags", Some("Tag"), 0);
        assert_eq!(key(&item, ""), "Tags.Tag.1");
        assert_eq!(key(&key(&item, ""), "Key"), "Tags.Tag.1.Key");
        assert_eq!(key("", "Name"), "Name");
    }
}
