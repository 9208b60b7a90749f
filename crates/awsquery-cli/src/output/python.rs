//! Values spelled as the AWS CLI's Python spells them: `str()` of a scalar (`None`, `True`,
//! `1.5`, `1e+20`), `repr()` of a list or dict met where a scalar was expected, and `json.dump`
//! with an indent of four and non-ASCII characters kept as they are.

use serde_json::{Number, Value};

/// `str(value)`: what text and table output show for a value.
pub(crate) fn str_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => repr_of(other),
    }
}

/// `repr(value)`, as Python shows values inside a list or dict.
pub(crate) fn repr_of(value: &Value) -> String {
    let mut out = String::new();
    write_repr(value, &mut out);
    out
}

fn write_repr(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("None"),
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::Number(n) => out.push_str(&number(n)),
        Value::String(s) => write_str_repr(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_repr(item, out);
            }
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (i, (key, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_str_repr(key, out);
                out.push_str(": ");
                write_repr(item, out);
            }
            out.push('}');
        }
    }
}

/// A string quoted as `repr` quotes it: single quotes unless the string has a single quote and
/// no double quote, backslash escapes for the quote, backslash and control characters.
fn write_str_repr(s: &str, out: &mut String) {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || (0x7f..0xa0).contains(&(c as u32)) => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push(quote);
}

/// A number as Python prints it: integers as they are, floats in the shortest form that reads
/// back the same, with `.0` on whole numbers and an exponent (`1e+16`, `1e-05`) outside
/// 1e-4 ≤ |x| < 1e16.
pub(crate) fn number(n: &Number) -> String {
    if n.is_i64() || n.is_u64() {
        return n.to_string();
    }
    float(n.as_f64().unwrap_or(0.0))
}

/// `repr(float)`.
pub(crate) fn float(f: f64) -> String {
    if f.is_nan() {
        return "nan".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0.0" } else { "0.0" }.to_owned();
    }
    // Rust's `{:e}` gives the shortest round-trip digits, as Python's repr does.
    let scientific = format!("{f:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if (-4..16).contains(&exponent) {
        let fixed = format!("{f}");
        if fixed.contains('.') {
            fixed
        } else {
            fixed + ".0"
        }
    } else {
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exponent.unsigned_abs())
    }
}

/// `json.dump(value, indent=4, ensure_ascii=False)`.
pub(crate) fn write_json(value: &Value, out: &mut String) {
    write_json_at(value, 0, out);
}

fn write_json_at(value: &Value, depth: usize, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&json_number(n)),
        Value::String(s) => write_json_string(s, false, out),
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Object(members) if members.is_empty() => out.push_str("{}"),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(depth + 1, out);
                write_json_at(item, depth + 1, out);
            }
            newline(depth, out);
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (i, (key, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(depth + 1, out);
                write_json_string(key, false, out);
                out.push_str(": ");
                write_json_at(item, depth + 1, out);
            }
            newline(depth, out);
            out.push('}');
        }
    }
}

fn newline(depth: usize, out: &mut String) {
    out.push('\n');
    for _ in 0..depth {
        out.push_str("    ");
    }
}

/// `json.dumps(value, separators=(',', ':'))`: compact, non-ASCII escaped (JMESPath's
/// `to_string`).
pub(crate) fn compact_json(value: &Value) -> String {
    let mut out = String::new();
    write_compact_json(value, &mut out);
    out
}

fn write_compact_json(value: &Value, out: &mut String) {
    match value {
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_compact_json(item, out);
            }
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (i, (key, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_string(key, true, out);
                out.push(':');
                write_compact_json(item, out);
            }
            out.push('}');
        }
        Value::String(s) => write_json_string(s, true, out),
        Value::Number(n) => out.push_str(&json_number(n)),
        scalar => write_json_at(scalar, 0, out),
    }
}

/// A number in Python's JSON: as `repr`, but infinities and NaN spelled as JavaScript does.
fn json_number(n: &Number) -> String {
    match n.as_f64() {
        Some(f) if !(n.is_i64() || n.is_u64()) && f.is_nan() => "NaN".to_owned(),
        Some(f) if !(n.is_i64() || n.is_u64()) && f.is_infinite() => {
            if f > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
        }
        _ => number(n),
    }
}

/// A JSON string as Python writes it: `"`, `\` and control characters escaped (the short forms
/// for `\b \f \n \r \t`, `\u00XX` with lowercase hex for the rest); with `ascii`, every
/// character past U+007F escaped too, in UTF-16 units.
pub(crate) fn write_json_string(s: &str, ascii: bool, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if ascii && (c as u32) > 0x7e => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn floats_read_as_python_writes_them() {
        let cases = [
            (1.0, "1.0"),
            (0.5, "0.5"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (1.5e-5, "1.5e-05"),
            (0.0001, "0.0001"),
            (-2.25, "-2.25"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (0.1 + 0.2, "0.30000000000000004"),
        ];
        for (f, expected) in cases {
            assert_eq!(float(f), expected, "{f}");
        }
    }

    #[test]
    fn str_and_repr_of_scalars_and_containers() {
        assert_eq!(str_of(&json!(null)), "None");
        assert_eq!(str_of(&json!(true)), "True");
        assert_eq!(str_of(&json!("it's")), "it's");
        assert_eq!(str_of(&json!(3)), "3");
        assert_eq!(
            str_of(&json!(["a", 1, null, {"k": "it's"}])),
            "['a', 1, None, {'k': \"it's\"}]"
        );
    }

    #[test]
    fn json_escapes_as_python() {
        let mut out = String::new();
        write_json(&json!({"a": "é\u{1}\"\n", "b": [], "c": {}}), &mut out);
        assert_eq!(
            out,
            "{\n    \"a\": \"é\\u0001\\\"\\n\",\n    \"b\": [],\n    \"c\": {}\n}"
        );
        assert_eq!(
            compact_json(&json!({"k": ["é😀", 1.0]})),
            r#"{"k":["\u00e9\ud83d\ude00",1.0]}"#
        );
    }
}
