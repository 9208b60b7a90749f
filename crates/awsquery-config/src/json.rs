//! The small JSON objects that credential sources answer with, read one field at a time.
//!
//! They hold secrets, so nothing here quotes them: a document that does not parse, a field of the
//! wrong type and a required field that is missing are all reported by a [`Position`], where
//! reading stopped.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;
use serde_json::value::RawValue;

/// A line and column in a document, counted as serde_json counts them: lines from 1, the column
/// being the number of bytes read on the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Position {
    line: usize,
    column: usize,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// A JSON object whose fields are still the text they are in the document, read on demand.
///
/// A field's type is checked when it is read, as a struct deriving `Deserialize` would check it:
/// a wrong type is reported just after the value, a missing required field at the end of its
/// object. No `Debug`: the fields hold secrets.
pub(crate) struct Object<'a> {
    /// The whole document, which every field's text borrows from.
    document: &'a [u8],
    /// Where this object ends in the document.
    end: usize,
    fields: BTreeMap<String, &'a RawValue>,
}

impl<'a> Object<'a> {
    /// The object `document` holds (with nothing after it but white space).
    pub(crate) fn parse(document: &'a [u8]) -> Result<Self, Position> {
        let fields = serde_json::from_slice(document).map_err(|e| Position {
            line: e.line(),
            column: e.column(),
        })?;
        Ok(Object {
            document,
            end: document.trim_ascii_end().len(),
            fields,
        })
    }

    /// The string `key` holds; `None` when the field is missing or null.
    pub(crate) fn optional_string(&self, key: &str) -> Result<Option<String>, Position> {
        let string_or_null = |value| match value {
            Value::Null => Some(None),
            value => string(value).map(Some),
        };
        Ok(self.read(key, string_or_null)?.flatten())
    }

    /// Whatever `key` holds; `None` when the field is missing or null.
    pub(crate) fn optional_value(&self, key: &str) -> Result<Option<Value>, Position> {
        Ok(self.read(key, Some)?.filter(|value| !value.is_null()))
    }

    /// The string `key` holds, which must be there.
    pub(crate) fn string(&self, key: &str) -> Result<String, Position> {
        self.require(key, string)
    }

    /// The string `key` holds, empty when the field is missing (but not when it is null).
    pub(crate) fn string_or_empty(&self, key: &str) -> Result<String, Position> {
        Ok(self.read(key, string)?.unwrap_or_default())
    }

    /// The unsigned integer `key` holds, which must be there.
    pub(crate) fn u64(&self, key: &str) -> Result<u64, Position> {
        self.require(key, |value| value.as_u64())
    }

    /// The integer `key` holds, which must be there.
    pub(crate) fn i64(&self, key: &str) -> Result<i64, Position> {
        self.require(key, |value| value.as_i64())
    }

    /// The object `key` holds, which must be there.
    pub(crate) fn object(&self, key: &str) -> Result<Object<'a>, Position> {
        let raw = self.raw(key)?;
        let fields = serde_json::from_slice(raw.get().as_bytes()).map_err(|_| self.after(raw))?;
        Ok(Object {
            document: self.document,
            end: self.end_of(raw),
            fields,
        })
    }

    /// `key`'s value as `convert` takes it (`None` from it: the wrong type); `None` when the field
    /// is missing.
    ///
    /// Every value is read as a [`Value`] with `from_slice`, as the documents are, so that the
    /// program holds one copy of serde_json's parser rather than one per type.
    fn read<T>(
        &self,
        key: &str,
        convert: impl FnOnce(Value) -> Option<T>,
    ) -> Result<Option<T>, Position> {
        let Some(raw) = self.fields.get(key).copied() else {
            return Ok(None);
        };
        serde_json::from_slice(raw.get().as_bytes())
            .ok()
            .and_then(convert)
            .map(Some)
            .ok_or_else(|| self.after(raw))
    }

    /// `key`'s value as `convert` takes it, when the field is there.
    fn require<T>(
        &self,
        key: &str,
        convert: impl FnOnce(Value) -> Option<T>,
    ) -> Result<T, Position> {
        self.read(key, convert)?
            .ok_or_else(|| self.position(self.end))
    }

    /// `key`'s value unread, when the field is there.
    fn raw(&self, key: &str) -> Result<&'a RawValue, Position> {
        self.fields
            .get(key)
            .copied()
            .ok_or_else(|| self.position(self.end))
    }

    /// The position just after `raw`.
    fn after(&self, raw: &RawValue) -> Position {
        self.position(self.end_of(raw))
    }

    /// Where `raw` ends in the document. Its text is a slice of the document (serde_json borrows
    /// it from there), so its address says where it stands.
    fn end_of(&self, raw: &RawValue) -> usize {
        let text = raw.get();
        (text.as_ptr().addr() + text.len())
            .checked_sub(self.document.as_ptr().addr())
            .filter(|end| *end <= self.document.len())
            .unwrap_or(self.document.len())
    }

    /// The line and column of the byte `offset` into the document.
    fn position(&self, offset: usize) -> Position {
        let before = &self.document[..offset];
        let line_start = before
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |newline| newline + 1);
        let line = 1 + before[..line_start].iter().filter(|b| **b == b'\n').count();
        Position {
            line,
            column: offset - line_start,
        }
    }
}

/// The text of a JSON string.
fn string(value: Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOCUMENT: &[u8] = br#"{
  "s": "text", "n": null, "u": 7, "i": -7, "v": [1],
  "o": {"s": "inner", "u": "seven"}
}
"#;

    fn at(line: usize, column: usize) -> Position {
        Position { line, column }
    }

    #[test]
    fn fields_of_the_right_type() {
        let object = Object::parse(DOCUMENT).unwrap();
        assert_eq!(object.string("s"), Ok(String::from("text")));
        assert_eq!(object.optional_string("s"), Ok(Some(String::from("text"))));
        assert_eq!(object.optional_string("n"), Ok(None));
        assert_eq!(object.optional_string("missing"), Ok(None));
        assert_eq!(object.string_or_empty("missing"), Ok(String::new()));
        assert_eq!(object.u64("u"), Ok(7));
        assert_eq!(object.i64("i"), Ok(-7));
        assert_eq!(object.optional_value("v"), Ok(Some(serde_json::json!([1]))));
        assert_eq!(object.optional_value("n"), Ok(None));
        assert_eq!(object.object("o").unwrap().string("s"), Ok("inner".into()));
    }

    /// The positions are those serde_json gives a struct deriving `Deserialize`, but for an array
    /// or object of the wrong type, which serde_json reports at its start.
    #[test]
    fn wrong_types_and_missing_fields_are_positioned() {
        let object = Object::parse(DOCUMENT).unwrap();
        assert_eq!(object.string("u"), Err(at(2, 32)));
        assert_eq!(object.u64("i"), Err(at(2, 41)));
        assert_eq!(object.string("n"), Err(at(2, 24)));
        assert_eq!(object.string_or_empty("n"), Err(at(2, 24)));
        assert_eq!(object.string("missing"), Err(at(4, 1)));
        assert_eq!(object.object("s").err(), Some(at(2, 13)));
        let inner = object.object("o").unwrap();
        assert_eq!(inner.u64("u"), Err(at(3, 34)));
        assert_eq!(inner.string("missing"), Err(at(3, 35)));
        assert_eq!(object.optional_string("v"), Err(at(2, 51)));
    }

    #[test]
    fn documents_that_are_not_objects() {
        assert_eq!(Object::parse(b"SECRET").err(), Some(at(1, 1)));
        assert_eq!(Object::parse(b"[1]").err(), Some(at(1, 0)));
        assert_eq!(Object::parse(b"{\"a\": 1} x").err(), Some(at(1, 10)));
        assert_eq!(Object::parse(b"{\"a\":\n 1").err(), Some(at(2, 2)));
    }
}
