//! The `NextToken` printed when `--max-items` cuts a listing short, and read back by
//! `--starting-token`, in the AWS CLI's form so that tokens work with either tool.
//!
//! The AWS CLI's token is base64 of a small JSON object: the service's token under the name of the
//! input member that carries it (`Marker`) and, when the cut fell inside a page,
//! `boto_truncate_amount`, the number of that page's items already printed. A token that is not such
//! an object is taken as a bare service token, as the AWS CLI does.

use std::fmt::Write as _;

use awsquery_types::base64;

use crate::output::python::write_json_string;

/// Where a listing resumes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Resume {
    /// The service's token to request the page with (`None`: the first page).
    pub marker: Option<String>,
    /// How many items of that page were already printed.
    pub skip: usize,
}

/// The key the AWS CLI uses for the items already printed from the page.
const TRUNCATE_KEY: &str = "boto_truncate_amount";

/// The token for `resume`, byte for byte as the AWS CLI writes it (Python's `json.dumps` with its
/// default separators and ASCII escapes, then base64); `key` is the input member carrying the
/// service's token (`Marker`).
pub fn encode(key: &str, resume: &Resume) -> String {
    let mut json = String::from("{");
    write_json_string(key, true, &mut json);
    json.push_str(": ");
    match &resume.marker {
        Some(marker) => write_json_string(marker, true, &mut json),
        None => json.push_str("null"),
    }
    if resume.skip > 0 {
        let _ = write!(json, ", \"{TRUNCATE_KEY}\": {}", resume.skip);
    }
    json.push('}');
    let mut token = String::new();
    base64::encode(json.as_bytes(), &mut token);
    token
}

/// Where `token` says to resume; `key` is the input member carrying the service's token.
pub fn decode(key: &str, token: &str) -> Resume {
    parse_encoded(key, token).unwrap_or_else(|| Resume {
        marker: Some(token.to_owned()),
        skip: 0,
    })
}

fn parse_encoded(key_name: &str, token: &str) -> Option<Resume> {
    let bytes = base64::decode(token).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let mut parser = Parser {
        rest: text.trim_start(),
    };
    let mut resume = Resume::default();
    let mut has_marker = false;
    parser.eat('{')?;
    if !parser.eat_if('}') {
        loop {
            let key = parser.string()?;
            parser.eat(':')?;
            match key.as_str() {
                k if k == key_name => {
                    resume.marker = parser.string_or_null()?;
                    has_marker = true;
                }
                TRUNCATE_KEY => resume.skip = parser.integer()?,
                _ => return None,
            }
            if parser.eat_if('}') {
                break;
            }
            parser.eat(',')?;
        }
    }
    (parser.rest.trim().is_empty() && has_marker).then_some(resume)
}

/// Just enough of JSON for a token: an object of strings, `null` and whole numbers.
struct Parser<'a> {
    rest: &'a str,
}

impl Parser<'_> {
    fn eat(&mut self, c: char) -> Option<()> {
        self.eat_if(c).then_some(())
    }

    fn eat_if(&mut self, c: char) -> bool {
        match self.rest.trim_start().strip_prefix(c) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }

    fn string_or_null(&mut self) -> Option<Option<String>> {
        let trimmed = self.rest.trim_start();
        if let Some(rest) = trimmed.strip_prefix("null") {
            self.rest = rest;
            Some(None)
        } else {
            self.string().map(Some)
        }
    }

    fn integer(&mut self) -> Option<usize> {
        let trimmed = self.rest.trim_start();
        let end = trimmed
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(trimmed.len());
        let value = trimmed[..end].parse().ok()?;
        self.rest = &trimmed[end..];
        Some(value)
    }

    fn string(&mut self) -> Option<String> {
        let mut chars = self.rest.trim_start().strip_prefix('"')?.chars();
        let mut out = String::new();
        loop {
            match chars.next()? {
                '"' => break,
                '\\' => match chars.next()? {
                    '"' => out.push('"'),
                    '\\' => out.push('\\'),
                    '/' => out.push('/'),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{c}'),
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    'u' => {
                        let unit = hex4(&mut chars)?;
                        let c = if (0xD800..0xDC00).contains(&unit) {
                            if chars.next()? != '\\' || chars.next()? != 'u' {
                                return None;
                            }
                            let low = hex4(&mut chars)?;
                            if !(0xDC00..0xE000).contains(&low) {
                                return None;
                            }
                            char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))?
                        } else {
                            char::from_u32(unit)?
                        };
                        out.push(c);
                    }
                    _ => return None,
                },
                c if c < ' ' => return None,
                c => out.push(c),
            }
        }
        self.rest = chars.as_str();
        Some(out)
    }
}

fn hex4(chars: &mut std::str::Chars<'_>) -> Option<u32> {
    let mut value = 0;
    for _ in 0..4 {
        value = value * 16 + chars.next()?.to_digit(16)?;
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resume(marker: Option<&str>, skip: usize) -> Resume {
        Resume {
            marker: marker.map(str::to_owned),
            skip,
        }
    }

    fn json_of(token: &str) -> String {
        String::from_utf8(base64::decode(token).unwrap()).unwrap()
    }

    #[test]
    fn tokens_are_the_aws_cli_json_in_base64() {
        let token = encode("Marker", &resume(Some("m2"), 0));
        assert_eq!(json_of(&token), r#"{"Marker": "m2"}"#);
        assert_eq!(token, "eyJNYXJrZXIiOiAibTIifQ==");
        let token = encode("Marker", &resume(Some("m2"), 3));
        assert_eq!(
            json_of(&token),
            r#"{"Marker": "m2", "boto_truncate_amount": 3}"#
        );
        let token = encode("Marker", &resume(None, 1));
        assert_eq!(
            json_of(&token),
            r#"{"Marker": null, "boto_truncate_amount": 1}"#
        );
    }

    #[test]
    fn non_ascii_is_escaped_as_python_does() {
        let token = encode("Marker", &resume(Some("é\"\\\n\u{7f}🚀"), 0));
        assert_eq!(
            json_of(&token),
            r#"{"Marker": "\u00e9\"\\\n\u007f\ud83d\ude80"}"#
        );
    }

    #[test]
    fn tokens_read_back() {
        for r in [
            resume(Some("m2"), 0),
            resume(Some("m2"), 7),
            resume(None, 2),
            resume(Some("é\"\\\n\t\u{8}\u{c}\u{1}/🚀"), 1),
            resume(Some(""), 0),
        ] {
            assert_eq!(decode("Marker", &encode("Marker", &r)), r);
        }
    }

    #[test]
    fn anything_else_is_a_bare_marker() {
        for raw in [
            "page-2",
            "",
            // base64, but not of an object with a Marker
            "eyJOZXh0VG9rZW4iOiAieCJ9",     // {"NextToken": "x"}
            "e30=",                         // {}
            "eyJNYXJrZXIiOiAxfQ==",         // {"Marker": 1}
            "eyJNYXJrZXIiOiAieCJ9IHg=",     // {"Marker": "x"} x
            "eyJNYXJrZXIiOiAiXHVkODNkIn0=", // {"Marker": "\ud83d"}: half a surrogate pair
        ] {
            assert_eq!(decode("Marker", raw), resume(Some(raw), 0), "{raw}");
        }
    }
}
