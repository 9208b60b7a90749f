//! `--output yaml`: block YAML as the AWS CLI v2 writes it (ruamel.yaml's safe dumper over
//! libyaml's emitter, YAML 1.2).
//!
//! * Mappings in block style with their keys sorted; lists in block style, not indented under
//!   the key that holds them; an empty list or mapping as `[]` or `{}`.
//! * `null`, `true`, `false`, integers, floats as Python writes them (`1e+16`).
//! * A string plain when it can be, that is when it reads back as the same string: it must not
//!   look like a boolean, number, null, timestamp or `<<`/`=` (YAML 1.2 rules), start or end
//!   with a space, hold a line break, or have the characters that would start something else
//!   (`- `, `: `, ` #`, `[`, …). Otherwise single-quoted (`''` for a quote; a line break as a
//!   blank line), or double-quoted with escapes when it holds characters YAML cannot print
//!   (control characters, tabs, characters beyond the Basic Multilingual Plane) or a space next
//!   to a line break.
//! * Plain and quoted strings that are values fold at the first space past column 80.
//! * A key longer than 128 bytes or on several lines is written after `? `, its value after `: `.
//! * A response that is a bare scalar is written as JSON.

use serde_json::{Map, Value};

use super::python;

/// The column past which a space in a string becomes a line break.
const BEST_WIDTH: usize = 80;

/// The longest key, in bytes, written plainly before its `:`.
const MAX_SIMPLE_KEY: usize = 128;

/// Writes `value` as one YAML document (or, for a scalar, one JSON line).
pub(crate) fn write_document(value: &Value, out: &mut String) {
    match value {
        Value::Array(_) | Value::Object(_) => {
            let mut emitter = Emitter {
                out,
                column: 0,
                whitespace: true,
                indention: true,
            };
            emitter.node(value, -1, Context::Root);
            // The end of the document: a line break after the last line.
            emitter.write_indent(0);
        }
        Value::String(s) => {
            // `json.dump` without indentation: for a scalar, the same as a compact dump, but
            // with non-ASCII characters kept.
            let mut text = String::new();
            python::write_json(&Value::String(s.clone()), &mut text);
            out.push_str(&text);
            out.push('\n');
        }
        scalar => {
            python::write_json(scalar, out);
            out.push('\n');
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    Root,
    Sequence,
    Mapping,
    Key,
}

struct Emitter<'a> {
    out: &'a mut String,
    /// Characters on the current line.
    column: usize,
    /// Whether the last thing written was whitespace (no space needed before the next token).
    whitespace: bool,
    /// Whether the current line holds only indentation and indicators so far.
    indention: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
}

impl Emitter<'_> {
    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_str(&mut self, s: &str) {
        for c in s.chars() {
            self.put(c);
        }
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    fn write_indent(&mut self, indent: i64) {
        let indent = indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(
        &mut self,
        indicator: &str,
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        self.put_str(indicator);
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    /// Emits a node whose parent is at `indent` (-1 for the root).
    fn node(&mut self, value: &Value, indent: i64, context: Context) {
        match value {
            Value::Array(items) if items.is_empty() => self.empty("[", "]"),
            Value::Object(members) if members.is_empty() => self.empty("{", "}"),
            Value::Array(items) => {
                // A list that is a mapping's value stays at the mapping's indentation.
                let indentless = context == Context::Mapping && !self.indention;
                let indent = increase(indent, false, indentless);
                for item in items {
                    self.write_indent(indent);
                    self.write_indicator("-", true, false, true);
                    self.node(item, indent, Context::Sequence);
                }
            }
            Value::Object(members) => self.mapping(members, increase(indent, false, false)),
            scalar => {
                let text = scalar_text(scalar);
                let plain_implicit =
                    !matches!(scalar, Value::String(s) if resolves_to_other_than_string(s));
                self.scalar(
                    &text,
                    increase(indent, true, false),
                    context == Context::Key,
                    plain_implicit,
                );
            }
        }
    }

    fn empty(&mut self, open: &str, close: &str) {
        self.write_indicator(open, true, true, false);
        self.write_indicator(close, false, false, false);
    }

    fn mapping(&mut self, members: &Map<String, Value>, indent: i64) {
        let mut sorted: Vec<(&String, &Value)> = members.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(b.0));
        for (key, value) in sorted {
            let plain_implicit = !resolves_to_other_than_string(key);
            self.write_indent(indent);
            if key.len() <= MAX_SIMPLE_KEY && !analyze(key).multiline {
                self.scalar(key, increase(indent, true, false), true, plain_implicit);
                self.write_indicator(":", false, false, false);
            } else {
                // A long or multi-line key is written after `? `, its value after `: `.
                self.write_indicator("?", true, false, true);
                self.scalar(key, increase(indent, true, false), false, plain_implicit);
                self.write_indent(indent);
                self.write_indicator(":", true, false, true);
            }
            self.node(value, indent, Context::Mapping);
        }
    }

    fn scalar(&mut self, text: &str, indent: i64, simple_key: bool, plain_implicit: bool) {
        let analysis = analyze(text);
        let mut style = Style::Plain;
        if simple_key && analysis.multiline {
            style = Style::Double;
        }
        if style == Style::Plain
            && (!analysis.block_plain_allowed || (text.is_empty() && simple_key) || !plain_implicit)
        {
            style = Style::Single;
        }
        if style == Style::Single && !analysis.single_quoted_allowed {
            style = Style::Double;
        }
        let allow_breaks = !simple_key;
        match style {
            Style::Plain => self.plain(text, indent, allow_breaks),
            Style::Single => self.single_quoted(text, indent, allow_breaks),
            Style::Double => self.double_quoted(text, indent, allow_breaks),
        }
    }

    fn plain(&mut self, text: &str, indent: i64, allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        let chars: Vec<char> = text.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && chars.get(i + 1) != Some(&' ')
                {
                    self.write_indent(indent);
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.whitespace = false;
        self.indention = false;
    }

    fn single_quoted(&mut self, text: &str, indent: i64, allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        let chars: Vec<char> = text.chars().collect();
        let mut spaces = false;
        let mut breaks = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i != 0
                    && i != chars.len() - 1
                    && chars.get(i + 1) != Some(&' ')
                {
                    self.write_indent(indent);
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                if c == '\n' {
                    self.put_break();
                } else {
                    self.out.push(c);
                    self.column = 0;
                }
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent(indent);
                }
                self.put(c);
                if c == '\'' {
                    self.put('\'');
                }
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        if breaks {
            self.write_indent(indent);
        }
        self.write_indicator("'", false, false, false);
    }

    fn double_quoted(&mut self, text: &str, indent: i64, allow_breaks: bool) {
        self.write_indicator("\"", true, false, false);
        let chars: Vec<char> = text.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if !is_printable(c) || c == '\u{feff}' || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                match c {
                    '\0' => self.put('0'),
                    '\u{7}' => self.put('a'),
                    '\u{8}' => self.put('b'),
                    '\t' => self.put('t'),
                    '\n' => self.put('n'),
                    '\u{b}' => self.put('v'),
                    '\u{c}' => self.put('f'),
                    '\r' => self.put('r'),
                    '\u{1b}' => self.put('e'),
                    '"' => self.put('"'),
                    '\\' => self.put('\\'),
                    '\u{85}' => self.put('N'),
                    '\u{a0}' => self.put('_'),
                    '\u{2028}' => self.put('L'),
                    '\u{2029}' => self.put('P'),
                    c if (c as u32) <= 0xff => self.put_str(&format!("x{:02X}", c as u32)),
                    c if (c as u32) <= 0xffff => self.put_str(&format!("u{:04X}", c as u32)),
                    c => self.put_str(&format!("U{:08X}", c as u32)),
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i != 0
                    && i != chars.len() - 1
                {
                    self.write_indent(indent);
                    if chars.get(i + 1) == Some(&' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
    }
}

/// The indentation of a node under a parent at `indent`.
fn increase(indent: i64, flow: bool, indentless: bool) -> i64 {
    if indent < 0 {
        if flow { 2 } else { 0 }
    } else if indentless {
        indent
    } else {
        indent + 2
    }
}

/// A scalar as the representer spells it.
fn scalar_text(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => if *b { "true" } else { "false" }.to_owned(),
        Value::Number(n) => python::number(n).to_lowercase(),
        Value::String(s) => s.clone(),
        Value::Array(_) | Value::Object(_) => String::new(),
    }
}

fn is_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// What libyaml can write as it is: line feed, printable ASCII, and the Basic Multilingual Plane
/// from U+00A0 but for the surrogates, U+FEFF, U+FFFE and U+FFFF.
fn is_printable(c: char) -> bool {
    let cp = c as u32;
    cp == 0x0a
        || (0x20..=0x7e).contains(&cp)
        || (0xa0..=0xd7ff).contains(&cp)
        || ((0xe000..=0xfffd).contains(&cp) && cp != 0xfeff)
}

fn is_blank_or_end(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => c == ' ' || c == '\t' || is_break(c) || c == '\0',
    }
}

#[derive(Debug)]
struct Analysis {
    multiline: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
}

fn analyze(text: &str) -> Analysis {
    if text.is_empty() {
        return Analysis {
            multiline: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
        };
    }
    let chars: Vec<char> = text.chars().collect();
    let mut block_indicators = text.starts_with("---") || text.starts_with("...");
    let (mut line_breaks, mut special) = (false, false);
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) =
        (false, false, false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    let mut preceded_by_whitespace = true;
    for (i, &c) in chars.iter().enumerate() {
        let followed_by_whitespace = is_blank_or_end(chars.get(i + 1).copied());
        let first = i == 0;
        let last = i == chars.len() - 1;
        if first {
            if "#,[]{}&*!|>'\"%@`".contains(c) {
                block_indicators = true;
            }
            if (c == '?' || c == ':' || c == '-') && followed_by_whitespace {
                block_indicators = true;
            }
        } else if (c == ':' && followed_by_whitespace) || (c == '#' && preceded_by_whitespace) {
            block_indicators = true;
        }
        if !is_printable(c) {
            special = true;
        }
        if is_break(c) {
            line_breaks = true;
        }
        if c == ' ' {
            leading_space |= first;
            trailing_space |= last;
            break_space |= previous_break;
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            leading_break |= first;
            trailing_break |= last;
            space_break |= previous_space;
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blank_or_end(Some(c));
    }
    let mut block_plain_allowed = true;
    let mut single_quoted_allowed = true;
    if leading_space || leading_break || trailing_space || trailing_break {
        block_plain_allowed = false;
    }
    if break_space {
        block_plain_allowed = false;
        single_quoted_allowed = false;
    }
    if space_break || special {
        block_plain_allowed = false;
        single_quoted_allowed = false;
    }
    if line_breaks || block_indicators {
        block_plain_allowed = false;
    }
    Analysis {
        multiline: line_breaks,
        block_plain_allowed,
        single_quoted_allowed,
    }
}

/// Whether a plain `text` would be read back as something other than a string under YAML 1.2's
/// implicit types, as ruamel.yaml resolves them: booleans, numbers, null, timestamps, `<<`, `=`.
fn resolves_to_other_than_string(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return true; // the empty string is null
    };
    match first {
        't' | 'T' | 'f' | 'F' => {
            matches!(text, "true" | "True" | "TRUE" | "false" | "False" | "FALSE")
        }
        'n' | 'N' | '~' => matches!(text, "~" | "null" | "Null" | "NULL"),
        '<' => text == "<<",
        '=' => text == "=",
        '-' | '+' | '.' | '0'..='9' => is_float(text) || is_int(text) || is_timestamp(text),
        _ => false,
    }
}

/// A cursor over ASCII bytes for the number and timestamp patterns.
struct Scan<'a> {
    s: &'a [u8],
    at: usize,
}

impl Scan<'_> {
    fn new(text: &str) -> Scan<'_> {
        Scan {
            s: text.as_bytes(),
            at: 0,
        }
    }
    fn eat(&mut self, f: impl Fn(u8) -> bool) -> bool {
        if self.s.get(self.at).is_some_and(|&b| f(b)) {
            self.at += 1;
            true
        } else {
            false
        }
    }
    fn eat_while(&mut self, f: impl Fn(u8) -> bool) -> usize {
        let start = self.at;
        while self.eat(&f) {}
        self.at - start
    }
    fn sign(&mut self) {
        self.eat(|b| b == b'-' || b == b'+');
    }
    fn done(&self) -> bool {
        self.at == self.s.len()
    }
    /// Python's `$` also matches before one final line feed.
    fn done_or_newline(&self) -> bool {
        self.done() || (self.at + 1 == self.s.len() && self.s[self.at] == b'\n')
    }
    fn exponent(&mut self, sign_required: bool) -> bool {
        let save = self.at;
        if self.eat(|b| b == b'e' || b == b'E') {
            let signed = self.eat(|b| b == b'-' || b == b'+');
            if (signed || !sign_required) && self.eat_while(|b| b.is_ascii_digit()) > 0 {
                return true;
            }
        }
        self.at = save;
        false
    }
}

fn digit_or_underscore(b: u8) -> bool {
    b.is_ascii_digit() || b == b'_'
}

fn is_float(text: &str) -> bool {
    let alternatives: [fn(&mut Scan<'_>) -> bool; 4] = [
        // [-+]?[0-9][0-9_]*\.[0-9_]*([eE][-+]?[0-9]+)?
        |s| {
            s.sign();
            s.eat(|b| b.is_ascii_digit())
                && {
                    s.eat_while(digit_or_underscore);
                    s.eat(|b| b == b'.')
                }
                && {
                    s.eat_while(digit_or_underscore);
                    s.exponent(false);
                    s.done_or_newline()
                }
        },
        // [-+]?[0-9][0-9_]*[eE][-+]?[0-9]+
        |s| {
            s.sign();
            s.eat(|b| b.is_ascii_digit()) && {
                s.eat_while(digit_or_underscore);
                s.exponent(false) && s.done_or_newline()
            }
        },
        // [-+]?\.[0-9_]+([eE][-+][0-9]+)?
        |s| {
            s.sign();
            s.eat(|b| b == b'.') && s.eat_while(digit_or_underscore) > 0 && {
                s.exponent(true);
                s.done_or_newline()
            }
        },
        // [-+]?\.(inf|Inf|INF) and \.(nan|NaN|NAN)
        |s| {
            let text = std::str::from_utf8(s.s).unwrap_or("");
            let text = text.strip_suffix('\n').unwrap_or(text);
            let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
            matches!(unsigned, ".inf" | ".Inf" | ".INF") || matches!(text, ".nan" | ".NaN" | ".NAN")
        },
    ];
    alternatives
        .iter()
        .any(|alternative| alternative(&mut Scan::new(text)))
}

fn is_int(text: &str) -> bool {
    let alternatives: [fn(&mut Scan<'_>) -> bool; 4] = [
        |s| {
            s.sign();
            s.eat(|b| b == b'0')
                && s.eat(|b| b == b'b')
                && s.eat_while(|b| b == b'0' || b == b'1' || b == b'_') > 0
                && s.done_or_newline()
        },
        |s| {
            s.sign();
            s.eat(|b| b == b'0') && {
                s.eat(|b| b == b'o');
                s.eat_while(|b| (b'0'..=b'7').contains(&b) || b == b'_') > 0 && s.done_or_newline()
            }
        },
        |s| {
            s.sign();
            s.eat_while(digit_or_underscore) > 0 && s.done_or_newline()
        },
        |s| {
            s.sign();
            s.eat(|b| b == b'0')
                && s.eat(|b| b == b'x')
                && s.eat_while(|b| b.is_ascii_hexdigit() || b == b'_') > 0
                && s.done_or_newline()
        },
    ];
    alternatives
        .iter()
        .any(|alternative| alternative(&mut Scan::new(text)))
}

fn is_timestamp(text: &str) -> bool {
    let digit = |b: u8| b.is_ascii_digit();
    // YYYY-MM-DD
    let mut s = Scan::new(text);
    if s.eat_while(digit) == 4
        && s.eat(|b| b == b'-')
        && s.eat_while(digit) == 2
        && s.eat(|b| b == b'-')
        && s.eat_while(digit) == 2
        && s.done_or_newline()
    {
        return true;
    }
    // YYYY-M(M)-D(D)(T| +)H(H):MM:SS(.f*)?( *(Z|±H(H)(:MM)?))?
    let mut s = Scan::new(text);
    let date = s.eat_while(digit) == 4
        && s.eat(|b| b == b'-')
        && (1..=2).contains(&s.eat_while(digit))
        && s.eat(|b| b == b'-')
        && (1..=2).contains(&s.eat_while(digit));
    if !date {
        return false;
    }
    if !s.eat(|b| b == b'T' || b == b't') && s.eat_while(|b| b == b' ' || b == b'\t') == 0 {
        return false;
    }
    let time = (1..=2).contains(&s.eat_while(digit))
        && s.eat(|b| b == b':')
        && s.eat_while(digit) == 2
        && s.eat(|b| b == b':')
        && s.eat_while(digit) == 2;
    if !time {
        return false;
    }
    if s.eat(|b| b == b'.') {
        s.eat_while(digit);
    }
    if s.done_or_newline() {
        return true;
    }
    s.eat_while(|b| b == b' ' || b == b'\t');
    if s.eat(|b| b == b'Z') {
        return s.done_or_newline();
    }
    if !s.eat(|b| b == b'-' || b == b'+') || !(1..=2).contains(&s.eat_while(digit)) {
        return false;
    }
    if s.eat(|b| b == b':') && s.eat_while(digit) != 2 {
        return false;
    }
    s.done_or_newline()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn yaml(value: Value) -> String {
        let mut out = String::new();
        write_document(&value, &mut out);
        out
    }

    #[test]
    fn keys_sorted_lists_not_indented_under_their_key() {
        assert_eq!(
            yaml(json!({"b": [1, "x"], "a": {"c": null, "d": []}, "e": [[true]]})),
            "a:\n  c: null\n  d: []\nb:\n- 1\n- x\ne:\n- - true\n"
        );
    }

    #[test]
    fn strings_that_read_as_other_types_are_quoted() {
        for s in [
            "true",
            "Null",
            "12",
            "1.5",
            "1e3",
            "0x1F",
            ".inf",
            "2023-01-01",
            "2023-01-01T00:00:00+00:00",
            "",
            "- a",
            "a: b",
            "#x",
            "x #y",
        ] {
            let out = yaml(json!([s]));
            assert!(out.starts_with("- '"), "{s:?} gave {out:?}");
        }
        for s in [
            "yes", "no", "on", "1.2.3", "a:b", "x#y", "abc def", "2023-1-1",
        ] {
            assert_eq!(yaml(json!([s])), format!("- {s}\n"));
        }
    }

    #[test]
    fn special_characters_are_double_quoted_with_escapes() {
        assert_eq!(yaml(json!(["a\tb"])), "- \"a\\tb\"\n");
        assert_eq!(yaml(json!(["😀"])), "- \"\\U0001F600\"\n");
        assert_eq!(yaml(json!(["é"])), "- é\n");
    }

    #[test]
    fn bare_scalars_are_json() {
        assert_eq!(yaml(json!("é")), "\"é\"\n");
        assert_eq!(yaml(json!(null)), "null\n");
        assert_eq!(yaml(json!(1.5)), "1.5\n");
    }
}
