//! `serde` support, with the `serde` feature: what the generated model crates' own `serde` feature
//! builds on.
//!
//! The representation, chosen to read well as JSON and to come back unchanged:
//!
//! * [`DateTime`]: an RFC 3339 string in UTC, `"2024-01-02T03:04:05.123Z"`, with the fraction's
//!   trailing zeros trimmed and no fraction when it is zero (as [`DateTime`]'s `Display`); any
//!   offset is accepted when reading. Nanoseconds survive the round trip; years outside 0000–9999
//!   cannot be read back.
//! * blobs (`Vec<u8>`, and the lists, maps and options of them): base64 strings with the standard
//!   alphabet and padding, through [`blob`] (`#[serde(with = "awsquery_types::serde::blob")]`).
//! * [`ResponseMetadata`], the request id of an output: `{"RequestId": "…"}` (an output has it as
//!   `"ResponseMetadata"`, as botocore shows it), `null` without an id.
//!
//! Enums of the model are their wire strings (or numbers, for int enums), unknown values
//! included; the generated crates implement that themselves with [`str_enum`].

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};

use crate::response::ResponseMetadata;
use crate::time::{DateTime, TimestampFormat};

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Rfc3339;

        impl Visitor<'_> for Rfc3339 {
            type Value = DateTime;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 timestamp")
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<DateTime, E> {
                DateTime::parse(value, TimestampFormat::DateTime).map_err(E::custom)
            }
        }

        deserializer.deserialize_str(Rfc3339)
    }
}

/// Reads a string enum of a model crate from its wire string: `T::from(&str)` keeps values this
/// version does not know.
pub fn str_enum<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    struct Text<T>(std::marker::PhantomData<T>);

    impl<T: for<'a> From<&'a str>> Visitor<'_> for Text<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
            Ok(T::from(value))
        }
    }

    deserializer.deserialize_str(Text(std::marker::PhantomData))
}

/// Blobs as base64 strings, for `#[serde(with = "awsquery_types::serde::blob")]` on a field (or a
/// union variant) holding a `Vec<u8>`, or an `Option`, `Vec` or `BTreeMap` of such, nested as deep
/// as the model has them.
pub mod blob {
    use super::*;

    /// A value holding blobs; see the [module](self) documentation.
    pub trait Blobs: Sized {
        /// Writes the value, its blobs in base64.
        fn serialize_blobs<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
        /// Reads the value, its blobs from base64.
        fn deserialize_blobs<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
    }

    /// Writes `value` (the `serialize` of `#[serde(with)]`).
    pub fn serialize<T: Blobs, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
        value.serialize_blobs(serializer)
    }

    /// Reads a value (the `deserialize` of `#[serde(with)]`).
    pub fn deserialize<'de, T: Blobs, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<T, D::Error> {
        T::deserialize_blobs(deserializer)
    }

    /// A value of a container, written through [`Blobs`].
    struct Write<'a, T>(&'a T);

    impl<T: Blobs> Serialize for Write<'_, T> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            self.0.serialize_blobs(serializer)
        }
    }

    /// A value of a container, read through [`Blobs`].
    struct Read<T>(T);

    impl<'de, T: Blobs> Deserialize<'de> for Read<T> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            T::deserialize_blobs(deserializer).map(Read)
        }
    }

    impl Blobs for Vec<u8> {
        fn serialize_blobs<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut text = String::new();
            crate::base64::encode(self, &mut text);
            serializer.serialize_str(&text)
        }

        fn deserialize_blobs<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct Base64;

            impl Visitor<'_> for Base64 {
                type Value = Vec<u8>;

                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a base64 string")
                }

                fn visit_str<E: de::Error>(self, value: &str) -> Result<Vec<u8>, E> {
                    crate::base64::decode(value).map_err(E::custom)
                }
            }

            deserializer.deserialize_str(Base64)
        }
    }

    impl<T: Blobs> Blobs for Option<T> {
        fn serialize_blobs<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            match self {
                Some(value) => serializer.serialize_some(&Write(value)),
                None => serializer.serialize_none(),
            }
        }

        fn deserialize_blobs<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            Option::<Read<T>>::deserialize(deserializer).map(|value| value.map(|read| read.0))
        }
    }

    impl<T: Blobs> Blobs for Vec<T> {
        fn serialize_blobs<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_seq(self.iter().map(Write))
        }

        fn deserialize_blobs<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            Vec::<Read<T>>::deserialize(deserializer)
                .map(|items| items.into_iter().map(|read| read.0).collect())
        }
    }

    impl<K, T> Blobs for BTreeMap<K, T>
    where
        K: Ord + Serialize + for<'de> Deserialize<'de>,
        T: Blobs,
    {
        fn serialize_blobs<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_map(self.iter().map(|(key, value)| (key, Write(value))))
        }

        fn deserialize_blobs<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            BTreeMap::<K, Read<T>>::deserialize(deserializer).map(|entries| {
                entries
                    .into_iter()
                    .map(|(key, read)| (key, read.0))
                    .collect()
            })
        }
    }
}

impl Serialize for ResponseMetadata {
    /// `{"RequestId": "…"}`, or `null` without an id.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.request_id() {
            Some(id) => {
                let mut metadata = serializer.serialize_struct("ResponseMetadata", 1)?;
                metadata.serialize_field("RequestId", id)?;
                metadata.end()
            }
            None => serializer.serialize_none(),
        }
    }
}

impl<'de> Deserialize<'de> for ResponseMetadata {
    /// The `RequestId` of an object, skipping its other members; `null` is no id.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Metadata;

        impl<'de> Visitor<'de> for Metadata {
            type Value = ResponseMetadata;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object with a `RequestId`")
            }

            fn visit_none<E: de::Error>(self) -> Result<ResponseMetadata, E> {
                Ok(ResponseMetadata::default())
            }

            fn visit_unit<E: de::Error>(self) -> Result<ResponseMetadata, E> {
                Ok(ResponseMetadata::default())
            }

            fn visit_some<D: Deserializer<'de>>(
                self,
                deserializer: D,
            ) -> Result<ResponseMetadata, D::Error> {
                deserializer.deserialize_map(self)
            }

            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<ResponseMetadata, A::Error> {
                let mut request_id = None;
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    if key == "RequestId" {
                        request_id = map.next_value::<Option<String>>()?;
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(ResponseMetadata::new(request_id))
            }
        }

        deserializer.deserialize_option(Metadata)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Serialize};

    use crate::response::ResponseMetadata;
    use crate::time::DateTime;

    #[test]
    fn timestamps_are_rfc_3339_strings_and_keep_their_nanoseconds() {
        for (time, text) in [
            (DateTime::from_secs(0), "\"1970-01-01T00:00:00Z\""),
            (
                DateTime::from_secs_and_nanos(1_704_164_645, 123_000_000),
                "\"2024-01-02T03:04:05.123Z\"",
            ),
            (
                DateTime::from_secs_and_nanos(-1, 1),
                "\"1969-12-31T23:59:59.000000001Z\"",
            ),
        ] {
            let json = serde_json::to_string(&time).unwrap();
            assert_eq!(json, text);
            assert_eq!(serde_json::from_str::<DateTime>(&json).unwrap(), time);
        }
        // Offsets are read; the value is written back in UTC.
        let offset: DateTime = serde_json::from_str("\"2024-01-02T05:04:05+02:00\"").unwrap();
        assert_eq!(offset, DateTime::from_secs(1_704_164_645));
        for bad in ["\"yesterday\"", "1704164645", "null"] {
            assert!(serde_json::from_str::<DateTime>(bad).is_err(), "{bad}");
        }
    }

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(default)]
    struct Blobs {
        #[serde(with = "super::blob")]
        one: Vec<u8>,
        #[serde(with = "super::blob")]
        maybe: Option<Vec<u8>>,
        #[serde(with = "super::blob")]
        nested: Option<Vec<Vec<u8>>>,
        #[serde(with = "super::blob")]
        map: BTreeMap<String, Vec<u8>>,
        #[serde(rename = "ResponseMetadata")]
        metadata: ResponseMetadata,
    }

    #[test]
    fn blobs_are_base64_at_any_depth_and_the_request_id_is_response_metadata() {
        let value = Blobs {
            one: b"foo".to_vec(),
            maybe: None,
            nested: Some(vec![vec![0xff, 0x00], Vec::new()]),
            map: BTreeMap::from([(String::from("k"), b"bar".to_vec())]),
            metadata: ResponseMetadata::new(Some(String::from("r-1"))),
        };
        let json = serde_json::to_string(&value).unwrap();
        assert_eq!(
            json,
            r#"{"one":"Zm9v","maybe":null,"nested":["/wA=",""],"map":{"k":"YmFy"},"ResponseMetadata":{"RequestId":"r-1"}}"#
        );
        assert_eq!(serde_json::from_str::<Blobs>(&json).unwrap(), value);

        // Missing members take their defaults; other metadata is skipped; null is no id.
        let read: Blobs = serde_json::from_str(
            r#"{"maybe":"YQ==","ResponseMetadata":{"HTTPStatusCode":200,"RequestId":"r-2"}}"#,
        )
        .unwrap();
        assert_eq!(read.maybe.as_deref(), Some(&b"a"[..]));
        assert_eq!(read.metadata.request_id(), Some("r-2"));
        let read: Blobs = serde_json::from_str(r#"{"ResponseMetadata":null}"#).unwrap();
        assert_eq!(read, Blobs::default());
        assert_eq!(
            serde_json::to_string(&ResponseMetadata::default()).unwrap(),
            "null"
        );

        let error = serde_json::from_str::<Blobs>(r#"{"one":"not base64!"}"#).unwrap_err();
        assert!(error.to_string().contains("base64"), "{error}");
    }

    #[derive(Debug, PartialEq)]
    enum Color {
        Red,
        Unknown(String),
    }

    impl From<&str> for Color {
        fn from(value: &str) -> Self {
            match value {
                "red" => Color::Red,
                other => Color::Unknown(other.to_owned()),
            }
        }
    }

    #[test]
    fn string_enums_keep_unknown_values() {
        let mut json = serde_json::Deserializer::from_str("\"red\"");
        assert_eq!(super::str_enum::<_, Color>(&mut json).unwrap(), Color::Red);
        // An escaped string is not borrowed from the input, and still reads.
        let mut json = serde_json::Deserializer::from_str("\"ultra\\u0076iolet\"");
        assert_eq!(
            super::str_enum::<_, Color>(&mut json).unwrap(),
            Color::Unknown(String::from("ultraviolet"))
        );
        let mut json = serde_json::Deserializer::from_str("7");
        assert!(super::str_enum::<_, Color>(&mut json).is_err());
    }
}
