//! The AWS CLI's shorthand syntax: `Key=value,Other=[a,b],Nested={A=1,B=2}`.
//!
//! The parser reads text into an untyped tree ([`Node`]): strings, lists and key-value objects.
//! [`crate::values`] then fits the tree to the option's shape (numbers, booleans, timestamps).
//!
//! The grammar, as the AWS CLI v2 reads it:
//!
//! ```text
//! parameter   = keyval *("," keyval)
//! keyval      = key "=" [values]
//! values      = list-of-csv / explicit-list / hash
//! csv         = value *("," value)      ; commas continue the list until the next `key=`
//! explicit    = "[" [item *("," item)] "]"
//! hash        = "{" [keyval *("," keyval)] "}"
//! value       = quoted / unquoted
//! ```
//!
//! Quoted values take `'…'` or `"…"`, where a backslash escapes the quote or another backslash.
//! Spaces around keys and values are ignored; inside an unquoted value they are kept.

use std::fmt;

/// A parsed shorthand value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A scalar, as text.
    Text(String),
    /// A list (`a,b` after a key, or `[a,b]`).
    List(Vec<Node>),
    /// Key-value pairs, in the order written.
    Object(Vec<(String, Node)>),
}

/// Where and why the shorthand could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShorthandError {
    /// What was expected there.
    pub expected: String,
    /// What was found (`EOF` at the end).
    pub received: String,
    /// The text.
    pub input: String,
    /// The character position of the problem.
    pub position: usize,
}

impl fmt::Display for ShorthandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Expected: '{}', received: '{}' for input:\n{}\n{}^",
            self.expected,
            self.received,
            self.input,
            " ".repeat(self.position)
        )
    }
}

impl std::error::Error for ShorthandError {}

/// Parses `text` as the top level of a shorthand structure: `Key=value,…`.
pub fn parse(text: &str) -> Result<Vec<(String, Node)>, ShorthandError> {
    let mut parser = Parser {
        chars: text.chars().collect(),
        at: 0,
        input: text,
    };
    let pairs = parser.keyvals(None)?;
    parser.skip_spaces();
    if parser.at < parser.chars.len() {
        return Err(parser.error(","));
    }
    Ok(pairs)
}

/// Whether `text` looks like shorthand for a structure: it has a `key=` at its start.
pub fn looks_like_keyval(text: &str) -> bool {
    let mut parser = Parser {
        chars: text.chars().collect(),
        at: 0,
        input: text,
    };
    parser.at_keyval()
}

struct Parser<'a> {
    chars: Vec<char>,
    at: usize,
    input: &'a str,
}

/// Characters a key may hold.
fn is_key_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '#' | '/' | ':' | '@' | '$')
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    fn error(&self, expected: &str) -> ShorthandError {
        ShorthandError {
            expected: expected.to_owned(),
            received: self
                .peek()
                .map_or_else(|| String::from("EOF"), String::from),
            input: self.input.to_owned(),
            position: self.at,
        }
    }

    fn eat(&mut self, c: char) -> bool {
        self.skip_spaces();
        if self.peek() == Some(c) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    /// Whether a `key=` starts here (spaces allowed before it).
    fn at_keyval(&mut self) -> bool {
        let start = self.at;
        self.skip_spaces();
        let mut at = self.at;
        while self.chars.get(at).copied().is_some_and(is_key_char) {
            at += 1;
        }
        let found = at > self.at && {
            while self.chars.get(at).copied().is_some_and(char::is_whitespace) {
                at += 1;
            }
            self.chars.get(at) == Some(&'=')
        };
        self.at = start;
        found
    }

    /// Key-value pairs separated by commas, until the end or `close`.
    fn keyvals(&mut self, close: Option<char>) -> Result<Vec<(String, Node)>, ShorthandError> {
        let mut pairs = Vec::new();
        loop {
            self.skip_spaces();
            if close.is_some() && self.peek() == close {
                return Ok(pairs);
            }
            let key = self.key()?;
            if !self.eat('=') {
                return Err(self.error("="));
            }
            let value = self.values(close)?;
            pairs.push((key, value));
            self.skip_spaces();
            if !self.eat(',') {
                return Ok(pairs);
            }
        }
    }

    fn key(&mut self) -> Result<String, ShorthandError> {
        self.skip_spaces();
        let start = self.at;
        while self.peek().is_some_and(is_key_char) {
            self.at += 1;
        }
        if self.at == start {
            return Err(self.error("key"));
        }
        Ok(self.chars[start..self.at].iter().collect())
    }

    /// A key's value: an explicit list, a hash, or one value possibly continued by more values
    /// after commas (a list), up to the next `key=`.
    fn values(&mut self, close: Option<char>) -> Result<Node, ShorthandError> {
        self.skip_spaces();
        match self.peek() {
            Some('[') => self.explicit_list(),
            Some('{') => self.hash(),
            _ => {
                let first = self.value(close)?;
                let mut items = vec![first];
                loop {
                    let before = self.at;
                    self.skip_spaces();
                    if self.peek() != Some(',') {
                        self.at = before;
                        break;
                    }
                    self.at += 1;
                    if self.at_keyval() {
                        self.at = before;
                        break;
                    }
                    items.push(self.value(close)?);
                }
                Ok(if items.len() == 1 {
                    items.pop().unwrap_or(Node::Text(String::new()))
                } else {
                    Node::List(items)
                })
            }
        }
    }

    fn explicit_list(&mut self) -> Result<Node, ShorthandError> {
        self.at += 1;
        let mut items = Vec::new();
        self.skip_spaces();
        if self.eat(']') {
            return Ok(Node::List(items));
        }
        loop {
            self.skip_spaces();
            let item = match self.peek() {
                Some('[') => self.explicit_list()?,
                Some('{') => self.hash()?,
                _ => self.value(Some(']'))?,
            };
            items.push(item);
            if self.eat(']') {
                return Ok(Node::List(items));
            }
            if !self.eat(',') {
                return Err(self.error("]"));
            }
        }
    }

    fn hash(&mut self) -> Result<Node, ShorthandError> {
        self.at += 1;
        let pairs = self.keyvals(Some('}'))?;
        if !self.eat('}') {
            return Err(self.error("}"));
        }
        Ok(Node::Object(pairs))
    }

    /// One scalar: quoted, or unquoted up to a comma or the closing bracket.
    fn value(&mut self, close: Option<char>) -> Result<Node, ShorthandError> {
        self.skip_spaces();
        match self.peek() {
            Some(quote @ ('"' | '\'')) => {
                self.at += 1;
                let mut text = String::new();
                loop {
                    match self.peek() {
                        None => return Err(self.error(&quote.to_string())),
                        Some('\\') if matches!(self.chars.get(self.at + 1), Some(&c) if c == quote || c == '\\') =>
                        {
                            text.push(self.chars[self.at + 1]);
                            self.at += 2;
                        }
                        Some(c) if c == quote => {
                            self.at += 1;
                            return Ok(Node::Text(text));
                        }
                        Some(c) => {
                            text.push(c);
                            self.at += 1;
                        }
                    }
                }
            }
            _ => {
                let start = self.at;
                while let Some(c) = self.peek() {
                    if c == ',' || Some(c) == close || (close.is_some() && matches!(c, ']' | '}')) {
                        break;
                    }
                    if c == '\\' && self.chars.get(self.at + 1).is_some() {
                        self.at += 2;
                        continue;
                    }
                    self.at += 1;
                }
                let raw: String = self.chars[start..self.at].iter().collect();
                Ok(Node::Text(unescape(raw.trim_end())))
            }
        }
    }
}

/// An unquoted value with its backslash escapes (`\,` for a comma) resolved.
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
                continue;
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Node {
        Node::Text(s.to_owned())
    }

    fn pairs(items: &[(&str, Node)]) -> Vec<(String, Node)> {
        items
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    }

    #[test]
    fn keys_and_values() {
        assert_eq!(
            parse("Name=engine,Values=neptune").unwrap(),
            pairs(&[("Name", text("engine")), ("Values", text("neptune"))])
        );
        assert_eq!(
            parse(" Name = a b , Other=x ").unwrap(),
            pairs(&[("Name", text("a b")), ("Other", text("x"))])
        );
        assert_eq!(parse("Empty=").unwrap(), pairs(&[("Empty", text(""))]));
    }

    #[test]
    fn comma_lists_run_until_the_next_key() {
        assert_eq!(
            parse("Name=engine,Values=neptune,aurora,Other=1").unwrap(),
            pairs(&[
                ("Name", text("engine")),
                ("Values", Node::List(vec![text("neptune"), text("aurora")])),
                ("Other", text("1")),
            ])
        );
    }

    #[test]
    fn explicit_lists_and_nested_hashes() {
        assert_eq!(
            parse("Values=[a,b],Empty=[],Nested={A=1,B=[x,y],C={D=2}}").unwrap(),
            pairs(&[
                ("Values", Node::List(vec![text("a"), text("b")])),
                ("Empty", Node::List(vec![])),
                (
                    "Nested",
                    Node::Object(pairs(&[
                        ("A", text("1")),
                        ("B", Node::List(vec![text("x"), text("y")])),
                        ("C", Node::Object(pairs(&[("D", text("2"))]))),
                    ]))
                ),
            ])
        );
        assert_eq!(
            parse("L=[{A=1},{A=2}]").unwrap(),
            pairs(&[(
                "L",
                Node::List(vec![
                    Node::Object(pairs(&[("A", text("1"))])),
                    Node::Object(pairs(&[("A", text("2"))])),
                ])
            )])
        );
    }

    #[test]
    fn quotes_and_escapes() {
        assert_eq!(
            parse(r#"A="x,y=z",B='it''s',C="say \"hi\"",D=a\,b"#)
                .unwrap_err()
                .expected,
            ","
        );
        assert_eq!(
            parse(r#"A="x,y=z",B='it\'s',C="say \"hi\" \\",D=a\,b"#).unwrap(),
            pairs(&[
                ("A", text("x,y=z")),
                ("B", text("it's")),
                ("C", text(r#"say "hi" \"#)),
                ("D", text("a,b")),
            ])
        );
    }

    #[test]
    fn errors_say_what_was_expected_and_where() {
        let e = parse("Name").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Expected: '=', received: 'EOF' for input:\nName\n    ^"
        );
        let e = parse("A=[a,b").unwrap_err();
        assert_eq!((e.expected.as_str(), e.received.as_str()), ("]", "EOF"));
        let e = parse("A={B=1").unwrap_err();
        assert_eq!(e.expected, "}");
        let e = parse("A=\"open").unwrap_err();
        assert_eq!(e.expected, "\"");
        let e = parse("=x").unwrap_err();
        assert_eq!((e.expected.as_str(), e.position), ("key", 0));
    }

    #[test]
    fn recognising_shorthand() {
        assert!(looks_like_keyval("Name=x"));
        assert!(looks_like_keyval(" Name =x"));
        assert!(!looks_like_keyval("x"));
        assert!(!looks_like_keyval("=x"));
    }
}
