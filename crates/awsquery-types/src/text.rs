//! Text from the other side of the wire, made safe to print: control characters escaped, so that
//! a response cannot move a terminal's cursor, change its colours or forge log lines, and long
//! values cut to a bound.

use std::borrow::Cow;
use std::fmt::Write as _;

/// The longest error code, element name or similar identifier printed whole, in characters.
pub const MAX_NAME_CHARS: usize = 128;

/// The longest message printed whole, in characters.
pub const MAX_MESSAGE_CHARS: usize = 4096;

/// `text` with each control character (C0, DEL, C1, line breaks and tabs included) and each
/// bidirectional override written as `\u{…}`. Borrowed when there is nothing to escape.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// At most `max_chars` characters of `text`, with `…` in place of the rest.
pub fn bounded(text: &str, max_chars: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max_chars) {
        None => Cow::Borrowed(text),
        Some((end, _)) => Cow::Owned(format!("{}…", &text[..end])),
    }
}

/// [`bounded`] to `max_chars`, then [`escape_controls`]: what to print of a value a server sent.
pub fn printable(text: &str, max_chars: usize) -> Cow<'_, str> {
    match bounded(text, max_chars) {
        Cow::Borrowed(text) => escape_controls(text),
        Cow::Owned(text) => Cow::Owned(escape_controls(&text).into_owned()),
    }
}

/// The first `max_bytes` bytes of `bytes` at most, as text (invalid UTF-8 replaced), cut between
/// characters; and whether anything was left out. Only the prefix is copied, however long `bytes`.
pub fn lossy_prefix(bytes: &[u8], max_bytes: usize) -> (Cow<'_, str>, bool) {
    let mut end = bytes.len().min(max_bytes);
    if end < bytes.len() {
        // Do not split a character: step back over an incomplete one at the cut.
        if let Err(e) = std::str::from_utf8(&bytes[..end]) {
            if e.error_len().is_none() {
                end = e.valid_up_to();
            }
        }
    }
    (String::from_utf8_lossy(&bytes[..end]), end < bytes.len())
}

fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_sequences_and_line_breaks() {
        assert_eq!(
            escape_controls("red \u{1b}[31mtext\r\nforged\u{7}"),
            "red \\u{1b}[31mtext\\u{d}\\u{a}forged\\u{7}"
        );
        assert_eq!(escape_controls("a\u{9b}b\u{202e}c"), "a\\u{9b}b\\u{202e}c");
        assert!(matches!(
            escape_controls("plain café"),
            Cow::Borrowed("plain café")
        ));
    }

    #[test]
    fn bounds_by_characters() {
        assert_eq!(bounded("ééé", 2), "éé…");
        assert_eq!(bounded("abc", 3), "abc");
        assert_eq!(printable(&"\u{1b}".repeat(10), 2), "\\u{1b}\\u{1b}…");
    }
}
