//! Trait values decoded with serde into the typed structs of [`super::traits`], with errors that say
//! where in the value the problem is and what was found there (`` `encodings[1]` is `2`, not a
//! string ``), so that lowering can report them against the shape carrying the trait.
//!
//! The JSON AST keeps trait values as [`Value`]s; [`decode`] reads one through a small deserializer
//! that remembers the path it has taken, instead of `serde_json::from_value`, whose errors name
//! neither the place nor the value.

use std::fmt;

use serde::Deserialize;
use serde::de::value::{MapDeserializer, SeqDeserializer};
use serde::de::{self, Expected, IntoDeserializer, Unexpected, Visitor};
use serde_json::Value;

/// Decodes `value` as a `T`, or says what is wrong and where.
pub(super) fn decode<'v, T: Deserialize<'v>>(value: &'v Value) -> Result<T, String> {
    T::deserialize(Tracked {
        value,
        path: String::new(),
    })
    .map_err(|e| match e {
        DecodeError::Placed(message) => message,
        other => place(other, "", value),
    })
}

/// A value and its path from the root (`headers.X`, `encodings[1]`; empty for the root).
struct Tracked<'v> {
    value: &'v Value,
    path: String,
}

/// A problem found while decoding, placed once the value it concerns is known.
#[derive(Debug)]
enum DecodeError {
    /// The value is not what was expected (the expectation, in words).
    Expected(String),
    /// An object lacks a required field.
    Missing(&'static str),
    /// An object has a field its struct does not know.
    Unknown(String),
    /// Anything else a `Deserialize` implementation reports.
    Other(String),
    /// The final message, with the place.
    Placed(String),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Expected(what) => write!(f, "not {what}"),
            DecodeError::Missing(field) => write!(f, "no `{field}`"),
            DecodeError::Unknown(field) => write!(f, "unknown field `{field}`"),
            DecodeError::Other(message) | DecodeError::Placed(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for DecodeError {}

impl de::Error for DecodeError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        DecodeError::Other(message.to_string())
    }

    fn invalid_type(_: Unexpected<'_>, expected: &dyn Expected) -> Self {
        DecodeError::Expected(words(expected))
    }

    fn invalid_value(_: Unexpected<'_>, expected: &dyn Expected) -> Self {
        DecodeError::Expected(words(expected))
    }

    fn invalid_length(_: usize, expected: &dyn Expected) -> Self {
        DecodeError::Expected(words(expected))
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        DecodeError::Other(format!(
            "`{variant}` is not one of {}",
            expected
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
    }

    fn unknown_field(field: &str, _: &'static [&'static str]) -> Self {
        DecodeError::Unknown(field.to_owned())
    }

    fn missing_field(field: &'static str) -> Self {
        DecodeError::Missing(field)
    }
}

/// serde's words for an expectation, in the JSON terms the model is written in.
fn words(expected: &dyn Expected) -> String {
    match expected.to_string().as_str() {
        "a sequence" => String::from("a list"),
        "a map" => String::from("an object"),
        "a borrowed string" => String::from("a string"),
        other if other.starts_with("struct ") => String::from("an object"),
        other => other.to_owned(),
    }
}

/// The message for `error`, found at `path` on `value`.
fn place(error: DecodeError, path: &str, value: &Value) -> String {
    let at = |text: String| {
        if path.is_empty() {
            text
        } else {
            format!("`{path}` {text}")
        }
    };
    match error {
        DecodeError::Expected(what) if path.is_empty() => format!("it is `{value}`, not {what}"),
        DecodeError::Expected(what) => format!("`{path}` is `{value}`, not {what}"),
        DecodeError::Missing(field) if path.is_empty() => format!("it has no `{field}`"),
        DecodeError::Missing(field) => at(format!("has no `{field}`")),
        DecodeError::Unknown(field) if path.is_empty() => {
            format!("it has `{field}`, which is not a known field")
        }
        DecodeError::Unknown(field) => at(format!("has `{field}`, which is not a known field")),
        DecodeError::Other(message) if path.is_empty() => message,
        DecodeError::Other(message) => format!("`{path}`: {message}"),
        DecodeError::Placed(message) => message,
    }
}

impl<'v> Tracked<'v> {
    /// `value`, found at `step` below this value (`[1]`, or a key).
    fn child(&self, value: &'v Value, step: &str) -> Tracked<'v> {
        Tracked {
            value,
            path: if self.path.is_empty() || step.starts_with('[') {
                format!("{}{step}", self.path)
            } else {
                format!("{}.{step}", self.path)
            },
        }
    }

    /// Places an error coming back from a visitor of this value.
    fn placed<T>(&self, result: Result<T, DecodeError>) -> Result<T, DecodeError> {
        result.map_err(|e| match e {
            DecodeError::Placed(_) => e,
            other => DecodeError::Placed(place(other, &self.path, self.value)),
        })
    }
}

impl<'v> IntoDeserializer<'v, DecodeError> for Tracked<'v> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'v> de::Deserializer<'v> for Tracked<'v> {
    type Error = DecodeError;

    fn deserialize_any<V: Visitor<'v>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        let result = match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => visitor.visit_u64(u),
                (None, Some(i), _) => visitor.visit_i64(i),
                (None, None, Some(f)) => visitor.visit_f64(f),
                _ => Err(DecodeError::Other(format!("`{n}` is not a number"))),
            },
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => {
                let mut seq = SeqDeserializer::new(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| self.child(item, &format!("[{i}]"))),
                );
                visitor
                    .visit_seq(&mut seq)
                    .and_then(|v| seq.end().map(|()| v))
            }
            Value::Object(entries) => {
                let mut map = MapDeserializer::new(
                    entries
                        .iter()
                        .map(|(key, item)| (key.as_str(), self.child(item, key))),
                );
                visitor
                    .visit_map(&mut map)
                    .and_then(|v| map.end().map(|()| v))
            }
        };
        self.placed(result)
    }

    fn deserialize_option<V: Visitor<'v>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        if self.value.is_null() {
            let result = visitor.visit_none();
            self.placed(result)
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_enum<V: Visitor<'v>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        let result = match self.value {
            Value::String(s) => visitor.visit_enum(
                IntoDeserializer::<DecodeError>::into_deserializer(s.as_str()),
            ),
            _ => Err(DecodeError::Expected(String::from("a string"))),
        };
        self.placed(result)
    }

    fn deserialize_newtype_struct<V: Visitor<'v>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        <W: Visitor<'v>>
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::decode;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    struct Probe {
        name: String,
        #[serde(default)]
        tags: Vec<String>,
        count: Option<u16>,
        kind: Option<Kind>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "lowercase")]
    enum Kind {
        Small,
    }

    #[test]
    fn decodes_and_places_errors() {
        let ok: Probe =
            decode(&json!({ "name": "a", "tags": ["x"], "count": null, "kind": "small" })).unwrap();
        assert_eq!(
            ok,
            Probe {
                name: String::from("a"),
                tags: vec![String::from("x")],
                count: None,
                kind: Some(Kind::Small),
            }
        );
        let err = |value| decode::<Probe>(&value).unwrap_err();
        assert_eq!(err(json!({ "name": 5 })), "`name` is `5`, not a string");
        assert_eq!(err(json!({})), "it has no `name`");
        assert_eq!(
            err(json!({ "name": "a", "tags": ["x", 2] })),
            "`tags[1]` is `2`, not a string"
        );
        assert_eq!(
            err(json!({ "name": "a", "tags": "x" })),
            "`tags` is `\"x\"`, not a list"
        );
        assert_eq!(
            err(json!({ "name": "a", "extra": 1 })),
            "it has `extra`, which is not a known field"
        );
        assert_eq!(
            err(json!({ "name": "a", "kind": "huge" })),
            "`kind`: `huge` is not one of `small`"
        );
        assert_eq!(err(json!([])), "it is `[]`, not an object");
    }
}
