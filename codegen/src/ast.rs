//! The Smithy 2.0 JSON AST, read as it is written: shape ids as strings, traits as JSON values.
//!
//! Nothing is interpreted here; [`crate::lower`] does that and reports what it cannot use.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::Value;

/// A whole model file.
#[derive(Debug, Deserialize)]
pub struct Model {
    /// The IDL version, `2.0` (or `2`).
    pub smithy: String,
    /// Every shape by absolute shape id.
    #[serde(default)]
    pub shapes: BTreeMap<String, Shape>,
}

/// One shape. The fields present depend on `type`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Shape {
    /// `structure`, `list`, `string`, `operation`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// Structure, union and enum members, in model order.
    #[serde(default)]
    pub members: Ordered<Member>,
    /// The member of a list.
    pub member: Option<Member>,
    /// The key of a map.
    pub key: Option<Member>,
    /// The value of a map.
    pub value: Option<Member>,
    /// Operation input.
    pub input: Option<Target>,
    /// Operation output.
    pub output: Option<Target>,
    /// Operation errors.
    #[serde(default)]
    pub errors: Vec<Target>,
    /// Service or resource operations.
    #[serde(default)]
    pub operations: Vec<Target>,
    /// Resource operations on the collection.
    #[serde(default)]
    pub collection_operations: Vec<Target>,
    /// Service or resource child resources.
    #[serde(default)]
    pub resources: Vec<Target>,
    /// Resource lifecycle operations.
    pub create: Option<Target>,
    /// Resource lifecycle operation.
    pub put: Option<Target>,
    /// Resource lifecycle operation.
    pub read: Option<Target>,
    /// Resource lifecycle operation.
    pub update: Option<Target>,
    /// Resource lifecycle operation.
    pub delete: Option<Target>,
    /// Resource lifecycle operation.
    pub list: Option<Target>,
    /// The service version.
    pub version: Option<String>,
    /// Mixins (must have been flattened away).
    #[serde(default)]
    pub mixins: Vec<Target>,
    /// Traits by absolute shape id.
    #[serde(default)]
    pub traits: BTreeMap<String, Value>,
}

/// A member: its target and its own traits.
#[derive(Debug, Deserialize)]
pub struct Member {
    /// The absolute shape id of the target.
    pub target: String,
    /// Traits by absolute shape id.
    #[serde(default)]
    pub traits: BTreeMap<String, Value>,
}

/// A reference to another shape.
#[derive(Debug, Deserialize)]
pub struct Target {
    /// The absolute shape id.
    pub target: String,
}

/// A JSON object read in document order (member order is part of a Smithy model).
#[derive(Debug)]
pub struct Ordered<T>(pub Vec<(String, T)>);

impl<T> Default for Ordered<T> {
    fn default() -> Self {
        Ordered(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Ordered<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OrderedVisitor<T>(std::marker::PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for OrderedVisitor<T> {
            type Value = Ordered<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Ordered(entries))
            }
        }

        deserializer.deserialize_map(OrderedVisitor(std::marker::PhantomData))
    }
}
