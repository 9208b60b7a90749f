//! `smithy.rules#endpointRuleSet` as written, decoded with serde: the rule set's JSON structure.
//! Names, scopes and types are the checker's business; here only the shape of the document is.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, Unexpected, Visitor};
use serde_json::Value;

/// A rule set.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RuleSet {
    /// The rule set format version (not used).
    #[allow(dead_code)]
    pub version: Option<String>,
    /// Parameters by name.
    #[serde(default)]
    pub parameters: BTreeMap<String, ParameterDef>,
    /// The rules, in evaluation order.
    pub rules: Vec<RuleDef>,
}

/// A parameter.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct ParameterDef {
    /// `String`, `Boolean` or `stringArray` (in any case).
    #[serde(rename = "type")]
    pub ty: Option<String>,
    /// The built-in the client fills it from.
    pub built_in: Option<String>,
    /// Whether the resolver needs a value.
    #[serde(default)]
    pub required: bool,
    /// The default, of the parameter's type (checked against it by lowering).
    pub default: Option<Value>,
    /// Documentation.
    pub documentation: Option<String>,
    /// Deprecation.
    pub deprecated: Option<DeprecatedDef>,
}

/// A parameter's deprecation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DeprecatedDef {
    /// Why, and what to use instead.
    pub message: Option<String>,
    /// Since when.
    pub since: Option<String>,
}

/// A rule.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RuleDef {
    /// `endpoint`, `error` or `tree`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The conditions, all of which must hold.
    #[serde(default)]
    pub conditions: Vec<ConditionDef>,
    /// An endpoint rule's endpoint.
    pub endpoint: Option<EndpointDef>,
    /// An error rule's message.
    pub error: Option<ExprDef>,
    /// A tree rule's rules.
    pub rules: Option<Vec<RuleDef>>,
    /// Documentation.
    pub documentation: Option<String>,
}

/// A condition: a function call, its result possibly assigned to a name.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a function call (`fn`, `argv`)")]
pub(super) struct ConditionDef {
    /// The function.
    #[serde(rename = "fn")]
    pub function: String,
    /// Its arguments.
    pub argv: Vec<ExprDef>,
    /// The name the result is bound to.
    pub assign: Option<String>,
}

/// An endpoint rule's endpoint.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct EndpointDef {
    /// The URL, a string expression.
    pub url: ExprDef,
    /// Headers, each with its values.
    #[serde(default)]
    pub headers: BTreeMap<String, Vec<ExprDef>>,
    /// Properties: strings (templates), booleans, lists and maps.
    #[serde(default)]
    pub properties: BTreeMap<String, Value>,
}

/// An expression as written: a string (perhaps a template), a boolean, an integer, a reference
/// (`{"ref": …}`) or a function call (`{"fn": …, "argv": […]}`).
#[derive(Debug)]
pub(super) enum ExprDef {
    /// A string, perhaps with `{placeholders}`.
    Str(String),
    /// A boolean.
    Bool(bool),
    /// A non-negative integer.
    Int(u64),
    /// A parameter or assigned variable.
    Ref(String),
    /// A function call.
    Call {
        /// The function.
        function: String,
        /// Its arguments.
        argv: Vec<ExprDef>,
    },
}

impl<'de> Deserialize<'de> for ExprDef {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ExprVisitor)
    }
}

struct ExprVisitor;

impl<'de> Visitor<'de> for ExprVisitor {
    type Value = ExprDef;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, boolean, non-negative integer, reference or function call")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<ExprDef, E> {
        Ok(ExprDef::Str(v.to_owned()))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<ExprDef, E> {
        Ok(ExprDef::Bool(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<ExprDef, E> {
        Ok(ExprDef::Int(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<ExprDef, E> {
        Err(E::invalid_value(Unexpected::Signed(v), &self))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<ExprDef, E> {
        Err(E::invalid_value(Unexpected::Float(v), &self))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ExprDef, A::Error> {
        let (mut reference, mut function, mut argv) = (None, None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "ref" => reference = Some(map.next_value::<String>()?),
                "fn" => function = Some(map.next_value::<String>()?),
                "argv" => argv = Some(map.next_value::<Vec<ExprDef>>()?),
                "assign" => {
                    return Err(de::Error::custom("only a condition can `assign`"));
                }
                other => return Err(de::Error::unknown_field(other, &["ref", "fn", "argv"])),
            }
        }
        match (reference, function, argv) {
            (Some(name), None, None) => Ok(ExprDef::Ref(name)),
            (None, Some(function), Some(argv)) => Ok(ExprDef::Call { function, argv }),
            (None, Some(function), None) => Err(de::Error::custom(format!(
                "the call of `{function}` has no `argv` list"
            ))),
            _ => Err(de::Error::custom(
                "an object here is a reference (`ref`) or a function call (`fn`, `argv`)",
            )),
        }
    }
}
