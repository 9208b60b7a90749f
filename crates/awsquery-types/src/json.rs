//! Values written as the AWS CLI v2 prints them with `--output json`.
//!
//! The CLI hands the parsed response to Python's `json.dump` with a four-space indent and non-ASCII
//! text kept as it is; timestamps have been turned into ISO 8601 strings with an explicit offset
//! (`2024-01-02T03:04:05.123000+00:00`, microseconds only when there are any), blobs into base64.
//! [`JsonWriter`] writes that form; [`ToJson`] is implemented here for the values a model holds
//! and, with the model crate's `json` feature, generated for its structures, unions and enums:
//! keys are the model's member names in model order, and unset members are left out.
//!
//! ```
//! use awsquery_types::json::{JsonWriter, ToJson};
//!
//! let mut w = JsonWriter::new();
//! w.begin_object();
//! w.member("Name", &Some(String::from("graph")));
//! w.member("Size", &Option::<i32>::None);
//! w.member("Readers", &Vec::<String>::new());
//! w.end_object();
//! assert_eq!(w.finish(), "{\n    \"Name\": \"graph\",\n    \"Readers\": []\n}");
//! ```
//!
//! Where the CLI and this writer can differ: maps are `BTreeMap`s here, so their keys come sorted
//! rather than in the order of the response; a `float` member prints the shortest text of its
//! 32-bit value; and timestamps are always UTC, where the CLI prints a timestamp sent as epoch
//! seconds in the local time zone.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::time::DateTime;

const INDENT: &str = "    ";

/// A value that can be written as the AWS CLI's JSON.
pub trait ToJson {
    /// Writes the value.
    fn write_json(&self, w: &mut JsonWriter);

    /// Whether the value is an unset member, which an object leaves out (only `None` is).
    fn is_absent(&self) -> bool {
        false
    }
}

/// A value that can be the key of a JSON object: strings, and the generated string enums.
pub trait JsonKey {
    /// The key's text.
    fn json_key(&self) -> &str;
}

impl JsonKey for String {
    fn json_key(&self) -> &str {
        self
    }
}

/// Writes one JSON document, indented by four spaces per level.
///
/// Containers are opened and closed explicitly; calls that do not nest properly (a key outside an
/// object, an `end_array` closing an object) produce malformed text rather than a panic, so the
/// generated code and its tests are what keeps them balanced.
#[derive(Debug, Default)]
pub struct JsonWriter {
    out: String,
    /// One entry per open container: is it an object, and has it had an item yet.
    open: Vec<(bool, bool)>,
}

impl JsonWriter {
    /// An empty document.
    pub fn new() -> Self {
        JsonWriter::default()
    }

    /// The text written, without a final newline.
    pub fn finish(self) -> String {
        self.out
    }

    /// Opens an object.
    pub fn begin_object(&mut self) {
        self.before_value();
        self.out.push('{');
        self.open.push((true, false));
    }

    /// Closes the innermost object.
    pub fn end_object(&mut self) {
        self.close('}');
    }

    /// Opens an array.
    pub fn begin_array(&mut self) {
        self.before_value();
        self.out.push('[');
        self.open.push((false, false));
    }

    /// Closes the innermost array.
    pub fn end_array(&mut self) {
        self.close(']');
    }

    /// Writes an object key; the value follows.
    pub fn key(&mut self, key: &str) {
        self.next_item();
        write_string(&mut self.out, key);
        self.out.push_str(": ");
    }

    /// Writes `key` and `value`, unless the value is absent (an unset optional member).
    pub fn member<V: ToJson + ?Sized>(&mut self, key: &str, value: &V) {
        if value.is_absent() {
            return;
        }
        self.key(key);
        value.write_json(self);
    }

    /// Writes `null`.
    pub fn null(&mut self) {
        self.before_value();
        self.out.push_str("null");
    }

    /// Writes `true` or `false`.
    pub fn bool(&mut self, value: bool) {
        self.before_value();
        self.out.push_str(if value { "true" } else { "false" });
    }

    /// Writes a string, escaping quotes, backslashes and control characters only.
    pub fn string(&mut self, value: &str) {
        self.before_value();
        write_string(&mut self.out, value);
    }

    /// Writes an integer.
    pub fn integer(&mut self, value: i64) {
        self.before_value();
        let _ = write!(self.out, "{value}");
    }

    /// Writes a double as Python prints a float: the shortest text that reads back as the same
    /// value, with `.0` on whole numbers, an exponent below 1e-4 and from 1e16 on, and `NaN`,
    /// `Infinity` and `-Infinity` for the values JSON has no number for.
    pub fn double(&mut self, value: f64) {
        self.before_value();
        if value.is_nan() {
            self.out.push_str("NaN");
        } else if value.is_infinite() {
            self.out
                .push_str(if value > 0.0 { "Infinity" } else { "-Infinity" });
        } else {
            write_python_float(&mut self.out, &format!("{value:e}"));
        }
    }

    /// Writes a float as [`double`](Self::double) does, from the shortest text of the 32-bit
    /// value (`0.1`, not `0.10000000149011612`).
    pub fn float(&mut self, value: f32) {
        if value.is_finite() {
            self.before_value();
            write_python_float(&mut self.out, &format!("{value:e}"));
        } else {
            self.double(f64::from(value));
        }
    }

    /// Writes decimal text kept as it came (a `bigInteger` or `bigDecimal`) as a number when it is
    /// one in JSON's grammar, else as a string.
    pub fn number_text(&mut self, text: &str) {
        if is_json_number(text) {
            self.before_value();
            self.out.push_str(text);
        } else {
            self.string(text);
        }
    }

    /// Writes a timestamp as the AWS CLI v2 does by default: `2024-01-02T03:04:05.123000+00:00`,
    /// or without the fraction when it has no microseconds.
    pub fn timestamp(&mut self, value: &DateTime) {
        self.before_value();
        self.out.push('"');
        let _ = value.write_date_and_seconds(&mut self.out);
        let micros = value.subsec_nanos() / 1_000;
        if micros > 0 {
            let _ = write!(self.out, ".{micros:06}");
        }
        self.out.push_str("+00:00\"");
    }

    /// Writes bytes as a base64 string.
    pub fn blob(&mut self, value: &[u8]) {
        self.before_value();
        self.out.push('"');
        crate::base64::encode(value, &mut self.out);
        self.out.push('"');
    }

    /// Starts an item of the innermost container: a separator after the first, then a new line.
    fn next_item(&mut self) {
        let depth = self.open.len();
        if let Some((_, has_items)) = self.open.last_mut() {
            if *has_items {
                self.out.push(',');
            }
            *has_items = true;
        }
        self.out.push('\n');
        for _ in 0..depth {
            self.out.push_str(INDENT);
        }
    }

    /// Array items start on their own line; object values follow their key.
    fn before_value(&mut self) {
        if let Some(&(false, _)) = self.open.last() {
            self.next_item();
        }
    }

    fn close(&mut self, bracket: char) {
        if let Some((_, has_items)) = self.open.pop() {
            if has_items {
                self.out.push('\n');
                for _ in 0..self.open.len() {
                    self.out.push_str(INDENT);
                }
            }
        }
        self.out.push(bracket);
    }
}

/// The document for `value`.
pub fn to_string<V: ToJson + ?Sized>(value: &V) -> String {
    let mut w = JsonWriter::new();
    value.write_json(&mut w);
    w.finish()
}

/// Appends a JSON string: `"` and `\` escaped, the short escapes for backspace, form feed, newline,
/// carriage return and tab, `\u00XX` for other control characters, everything else as it is.
fn write_string(out: &mut String, value: &str) {
    out.push('"');
    let mut start = 0;
    for (i, c) in value.char_indices() {
        let escaped = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\u{8}' => "\\b",
            '\u{c}' => "\\f",
            c if c < ' ' => "",
            _ => continue,
        };
        out.push_str(&value[start..i]);
        if escaped.is_empty() {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push_str(escaped);
        }
        start = i + c.len_utf8();
    }
    out.push_str(&value[start..]);
    out.push('"');
}

/// Appends a finite number, given as Rust's shortest scientific text (`-1.5e-7`), in Python's
/// `repr` form: positional from 1e-4 up to 1e16 (`0.0001`, `1500.0`), else `1.5e-07`.
fn write_python_float(out: &mut String, scientific: &str) {
    let (mantissa, exponent) = scientific
        .split_once('e')
        .expect("`{:e}` always writes an exponent");
    let exponent: i32 = exponent.parse().expect("`{:e}` writes a decimal exponent");
    let (negative, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if negative {
        out.push('-');
    }
    if (-4..16).contains(&exponent) {
        if exponent < 0 {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-exponent - 1) as usize));
            out.push_str(&digits);
        } else {
            let whole = exponent as usize + 1;
            if digits.len() > whole {
                out.push_str(&digits[..whole]);
                out.push('.');
                out.push_str(&digits[whole..]);
            } else {
                out.push_str(&digits);
                out.extend(std::iter::repeat_n('0', whole - digits.len()));
                out.push_str(".0");
            }
        }
    } else {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let sign = if exponent < 0 { '-' } else { '+' };
        let _ = write!(out, "e{sign}{:02}", exponent.unsigned_abs());
    }
}

/// JSON's number grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
fn is_json_number(text: &str) -> bool {
    fn digits(s: &str) -> (&str, usize) {
        let n = s.bytes().take_while(u8::is_ascii_digit).count();
        (&s[n..], n)
    }
    let s = text.strip_prefix('-').unwrap_or(text);
    let (s, n) = digits(s);
    if n == 0 || (n > 1 && text.trim_start_matches('-').starts_with('0')) {
        return false;
    }
    let s = match s.strip_prefix('.') {
        Some(rest) => match digits(rest) {
            (_, 0) => return false,
            (rest, _) => rest,
        },
        None => s,
    };
    let s = match s.strip_prefix(['e', 'E']) {
        Some(rest) => match digits(rest.strip_prefix(['+', '-']).unwrap_or(rest)) {
            (_, 0) => return false,
            (rest, _) => rest,
        },
        None => s,
    };
    s.is_empty()
}

/// A `bigInteger` or `bigDecimal` kept as text, written as a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberText<'a>(pub &'a str);

impl ToJson for NumberText<'_> {
    fn write_json(&self, w: &mut JsonWriter) {
        w.number_text(self.0);
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, w: &mut JsonWriter) {
        match self {
            Some(value) => value.write_json(w),
            None => w.null(),
        }
    }

    fn is_absent(&self) -> bool {
        self.is_none()
    }
}

impl<T: ToJson + ?Sized> ToJson for Box<T> {
    fn write_json(&self, w: &mut JsonWriter) {
        (**self).write_json(w);
    }

    fn is_absent(&self) -> bool {
        (**self).is_absent()
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, w: &mut JsonWriter) {
        (**self).write_json(w);
    }

    fn is_absent(&self) -> bool {
        (**self).is_absent()
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, w: &mut JsonWriter) {
        w.begin_array();
        for item in self {
            item.write_json(w);
        }
        w.end_array();
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, w: &mut JsonWriter) {
        self.as_slice().write_json(w);
    }
}

/// A blob: a base64 string.
impl ToJson for Vec<u8> {
    fn write_json(&self, w: &mut JsonWriter) {
        w.blob(self);
    }
}

impl<K: JsonKey, V: ToJson> ToJson for BTreeMap<K, V> {
    fn write_json(&self, w: &mut JsonWriter) {
        w.begin_object();
        for (key, value) in self {
            w.key(key.json_key());
            value.write_json(w);
        }
        w.end_object();
    }
}

impl ToJson for str {
    fn write_json(&self, w: &mut JsonWriter) {
        w.string(self);
    }
}

impl ToJson for String {
    fn write_json(&self, w: &mut JsonWriter) {
        w.string(self);
    }
}

impl ToJson for bool {
    fn write_json(&self, w: &mut JsonWriter) {
        w.bool(*self);
    }
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            fn write_json(&self, w: &mut JsonWriter) {
                w.integer(i64::from(*self));
            }
        }
    )*};
}

integers!(i8, i16, i32, i64);

impl ToJson for f32 {
    fn write_json(&self, w: &mut JsonWriter) {
        w.float(*self);
    }
}

impl ToJson for f64 {
    fn write_json(&self, w: &mut JsonWriter) {
        w.double(*self);
    }
}

impl ToJson for DateTime {
    fn write_json(&self, w: &mut JsonWriter) {
        w.timestamp(self);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json<V: ToJson + ?Sized>(value: &V) -> String {
        to_string(value)
    }

    #[test]
    fn nested_containers_are_indented_by_four_spaces() {
        let mut w = JsonWriter::new();
        w.begin_object();
        w.member("A", "x");
        w.key("List");
        w.begin_array();
        w.begin_object();
        w.member("B", &1i32);
        w.end_object();
        w.begin_object();
        w.end_object();
        w.begin_array();
        w.end_array();
        w.end_array();
        w.member("Map", &BTreeMap::from([(String::from("k"), true)]));
        w.end_object();
        assert_eq!(
            w.finish(),
            "{\n    \"A\": \"x\",\n    \"List\": [\n        {\n            \"B\": 1\n        },\n        {},\n        []\n    ],\n    \"Map\": {\n        \"k\": true\n    }\n}"
        );
    }

    #[test]
    fn absent_members_are_left_out_and_empty_lists_kept() {
        let mut w = JsonWriter::new();
        w.begin_object();
        w.member("None", &Option::<String>::None);
        w.member("Empty", &Some(Vec::<String>::new()));
        w.member("Boxed", &Box::new(Option::<i64>::None));
        w.end_object();
        assert_eq!(w.finish(), "{\n    \"Empty\": []\n}");
        assert_eq!(json(&Option::<bool>::None), "null");
        let mut w = JsonWriter::new();
        w.begin_object();
        w.end_object();
        assert_eq!(w.finish(), "{}");
    }

    #[test]
    fn strings_escape_only_what_json_needs() {
        assert_eq!(json("plain"), "\"plain\"");
        assert_eq!(json("a\"b\\c/d"), "\"a\\\"b\\\\c/d\"");
        assert_eq!(json("\n\r\t\u{8}\u{c}"), "\"\\n\\r\\t\\b\\f\"");
        assert_eq!(json("\u{0}\u{1b}\u{1f}"), "\"\\u0000\\u001b\\u001f\"");
        assert_eq!(
            json("Zürich → 東京 🚀 \u{7f}\u{2028}"),
            "\"Zürich → 東京 🚀 \u{7f}\u{2028}\""
        );
    }

    #[test]
    fn numbers_print_as_python_does() {
        let cases: [(f64, &str); 18] = [
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (1.0, "1.0"),
            (1.5, "1.5"),
            (-2.25, "-2.25"),
            (100.0, "100.0"),
            (0.1, "0.1"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (0.000123, "0.000123"),
            (0.0000123, "1.23e-05"),
            (123456789.125, "123456789.125"),
            (1e15, "1000000000000000.0"),
            (9999999999999998.0, "9999999999999998.0"),
            (1e16, "1e+16"),
            (1.5e16, "1.5e+16"),
            (1e100, "1e+100"),
            (5e-324, "5e-324"),
        ];
        for (value, expected) in cases {
            assert_eq!(json(&value), expected, "{value:e}");
        }
        assert_eq!(json(&f64::NAN), "NaN");
        assert_eq!(json(&f64::INFINITY), "Infinity");
        assert_eq!(json(&f64::NEG_INFINITY), "-Infinity");
        assert_eq!(json(&0.1f32), "0.1");
        assert_eq!(json(&3.4028235e38f32), "3.4028235e+38");
        assert_eq!(json(&f32::NEG_INFINITY), "-Infinity");
        assert_eq!(json(&-7i8), "-7");
        assert_eq!(json(&i64::MAX), "9223372036854775807");
    }

    #[test]
    fn number_text_is_a_number_when_it_is_one() {
        for number in [
            "0",
            "-1",
            "12.50",
            "1e9",
            "-0.5E-3",
            "123456789012345678901234567890",
        ] {
            assert_eq!(json(&NumberText(number)), number);
        }
        for text in ["01", "1.", ".5", "+1", "1e", "NaN", "", "-", "1_000"] {
            assert_eq!(json(&NumberText(text)), format!("\"{text}\""), "{text}");
        }
    }

    #[test]
    fn timestamps_print_as_the_cli_does() {
        let t = DateTime::from_secs(1_704_164_645); // 2024-01-02T03:04:05Z
        assert_eq!(json(&t), "\"2024-01-02T03:04:05+00:00\"");
        let t = DateTime::from_secs_and_nanos(1_704_164_645, 123_000_000);
        assert_eq!(json(&t), "\"2024-01-02T03:04:05.123000+00:00\"");
        let t = DateTime::from_secs_and_nanos(1_704_164_645, 987_654_321);
        assert_eq!(
            json(&t),
            "\"2024-01-02T03:04:05.987654+00:00\"",
            "truncated"
        );
        let t = DateTime::from_secs_and_nanos(0, 999);
        assert_eq!(
            json(&t),
            "\"1970-01-01T00:00:00+00:00\"",
            "below a microsecond"
        );
    }

    #[test]
    fn blobs_are_base64() {
        assert_eq!(json(&b"hello"[..].to_vec()), "\"aGVsbG8=\"");
        assert_eq!(json(&Vec::<u8>::new()), "\"\"");
        assert_eq!(json(&vec![vec![1u8]]), "[\n    \"AQ==\"\n]");
    }

    #[test]
    fn maps_use_their_keys() {
        let map = BTreeMap::from([
            (String::from("b"), vec![1i32, 2]),
            (String::from("a"), vec![]),
        ]);
        assert_eq!(
            json(&map),
            "{\n    \"a\": [],\n    \"b\": [\n        1,\n        2\n    ]\n}"
        );
    }
}
