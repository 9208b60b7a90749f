//! Option values to JSON, fitted to the member's shape: scalars from their text, lists from several
//! arguments, structures and maps from shorthand or JSON; and the checks the AWS CLI makes on a
//! whole input before sending it (unknown members, missing required ones, wrong types).

use awsquery_types::DateTime;
use awsquery_types::time::TimestampFormat;
use serde_json::{Map, Number, Value};

use crate::shorthand::{self, Node};
use crate::table::{Kind, Shape};

/// Reads an option's arguments (one, or several for a list) as a value of shape `shape`;
/// `shapes` is the service's table. The error is the text after `Error parsing parameter '--x': `.
pub fn option_value(shapes: &[Shape], shape: usize, args: &[String]) -> Result<Value, String> {
    let kind = shapes[shape].kind;
    let first = args.first().map(String::as_str).unwrap_or_default();
    match kind {
        Kind::List(item) => {
            if args.len() == 1 && first.trim_start().starts_with('[') {
                return json(shapes, shape, first);
            }
            let items = args
                .iter()
                .map(|arg| argument(shapes, item, arg))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Value::Array(items))
        }
        _ => argument(shapes, shape, first),
    }
}

/// One argument: JSON when it starts with `{` or `[` (for a structure, map or list), shorthand for
/// a structure or map, else a scalar's text.
fn argument(shapes: &[Shape], shape: usize, arg: &str) -> Result<Value, String> {
    match shapes[shape].kind {
        Kind::Structure(_) | Kind::Map(..) | Kind::List(_) => {
            let trimmed = arg.trim_start();
            if trimmed.starts_with('{') || trimmed.starts_with('[') {
                return json(shapes, shape, arg);
            }
            if let Kind::List(item) = shapes[shape].kind {
                return Ok(Value::Array(vec![argument(shapes, item, arg)?]));
            }
            let pairs = shorthand::parse(arg).map_err(|e| e.to_string())?;
            fit(shapes, shape, &Node::Object(pairs), "")
        }
        _ => fit(shapes, shape, &Node::Text(arg.to_owned()), ""),
    }
}

fn json(shapes: &[Shape], shape: usize, text: &str) -> Result<Value, String> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| format!("Invalid JSON: {e}\nJSON received: {text}"))?;
    fit_json(shapes, shape, &value, "")
}

/// `path` for messages: `Filters[0].Name`.
fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// Fits a shorthand tree to `shape`.
pub fn fit(shapes: &[Shape], shape: usize, node: &Node, path: &str) -> Result<Value, String> {
    let at = |what: &str| {
        if path.is_empty() {
            what.to_owned()
        } else {
            format!("{what} (at {path})")
        }
    };
    match (shapes[shape].kind, node) {
        (Kind::Structure(members), Node::Object(pairs)) => {
            let mut out = Map::new();
            for (key, value) in pairs {
                let Some(member) = members.iter().find(|m| m.name == key) else {
                    return Err(unknown(path, key, members.iter().map(|m| m.name)));
                };
                out.insert(
                    key.clone(),
                    fit(shapes, member.shape, value, &join(path, key))?,
                );
            }
            Ok(Value::Object(out))
        }
        (Kind::Map(_, value_shape), Node::Object(pairs)) => {
            let mut out = Map::new();
            for (key, value) in pairs {
                out.insert(
                    key.clone(),
                    fit(shapes, value_shape, value, &join(path, key))?,
                );
            }
            Ok(Value::Object(out))
        }
        (Kind::List(item), Node::List(items)) => items
            .iter()
            .enumerate()
            .map(|(i, node)| fit(shapes, item, node, &format!("{path}[{i}]")))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        // A single value where a list is expected is a list of one.
        (Kind::List(item), node) => Ok(Value::Array(vec![fit(shapes, item, node, path)?])),
        (Kind::Structure(_) | Kind::Map(..), _) => {
            Err(at("Expected a structure of key=value pairs"))
        }
        (_, Node::Text(text)) => scalar(shapes[shape].kind, text).map_err(|e| at(&e)),
        (_, _) => Err(at("Expected a single value")),
    }
}

fn unknown<'a>(path: &str, key: &str, valid: impl Iterator<Item = &'a str>) -> String {
    let valid: Vec<&str> = valid.collect();
    let place = if path.is_empty() { "input" } else { path };
    format!(
        "Unknown parameter in {place}: \"{key}\", must be one of: {}",
        valid.join(", ")
    )
}

/// A scalar from its text.
fn scalar(kind: Kind, text: &str) -> Result<Value, String> {
    match kind {
        Kind::String | Kind::Blob | Kind::BigNumber => Ok(Value::String(text.to_owned())),
        Kind::Enum(_) => Ok(Value::String(text.to_owned())),
        Kind::Boolean => match text.trim().to_ascii_lowercase().as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(format!(
                "Invalid value for a boolean: '{text}' (true or false)"
            )),
        },
        Kind::Integer => text
            .trim()
            .parse::<i64>()
            .map(|n| Value::Number(n.into()))
            .map_err(|_| format!("invalid literal for int() with base 10: '{text}'")),
        Kind::Float => text
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| format!("could not convert string to float: '{text}'")),
        Kind::Timestamp => timestamp_text(text).map(Value::String),
        Kind::Structure(_) | Kind::List(_) | Kind::Map(..) => {
            Err(String::from("Expected a structure, list or map"))
        }
    }
}

/// A timestamp as the AWS CLI takes it (ISO 8601, or seconds since the epoch), in the RFC 3339
/// form the model's types read.
fn timestamp_text(text: &str) -> Result<String, String> {
    let trimmed = text.trim();
    if let Ok(seconds) = trimmed.parse::<f64>() {
        return epoch(seconds).ok_or_else(|| format!("Invalid timestamp value: '{text}'"));
    }
    let parsed = DateTime::parse(trimmed, TimestampFormat::DateTime)
        .or_else(|_| DateTime::parse(&format!("{trimmed}Z"), TimestampFormat::DateTime))
        .or_else(|_| DateTime::parse(&format!("{trimmed}T00:00:00Z"), TimestampFormat::DateTime));
    parsed
        .map(|t| t.to_string())
        .map_err(|_| format!("Invalid timestamp value: '{text}'"))
}

fn epoch(seconds: f64) -> Option<String> {
    let text = format!("{seconds}");
    DateTime::parse(&text, TimestampFormat::EpochSeconds)
        .ok()
        .map(|t| t.to_string())
}

/// Fits a JSON value to `shape`: unknown members and wrong types are errors; timestamps become
/// RFC 3339 text.
pub fn fit_json(
    shapes: &[Shape],
    shape: usize,
    value: &Value,
    path: &str,
) -> Result<Value, String> {
    let place = if path.is_empty() { "input" } else { path };
    let wrong = |expected: &str| {
        format!(
            "Invalid type for parameter {place}, value: {value}, type: {}, valid types: {expected}",
            json_type(value)
        )
    };
    match (shapes[shape].kind, value) {
        (_, Value::Null) => Ok(Value::Null),
        (Kind::Structure(members), Value::Object(object)) => {
            let mut out = Map::new();
            for (key, value) in object {
                let Some(member) = members.iter().find(|m| m.name == key) else {
                    return Err(unknown(path, key, members.iter().map(|m| m.name)));
                };
                out.insert(
                    key.clone(),
                    fit_json(shapes, member.shape, value, &join(path, key))?,
                );
            }
            Ok(Value::Object(out))
        }
        (Kind::Map(_, value_shape), Value::Object(object)) => {
            let mut out = Map::new();
            for (key, value) in object {
                out.insert(
                    key.clone(),
                    fit_json(shapes, value_shape, value, &join(path, key))?,
                );
            }
            Ok(Value::Object(out))
        }
        (Kind::List(item), Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| fit_json(shapes, item, v, &format!("{place}[{i}]")))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        (Kind::Structure(_) | Kind::Map(..), _) => Err(wrong("object")),
        (Kind::List(_), _) => Err(wrong("list, tuple")),
        (Kind::String | Kind::Enum(_) | Kind::Blob, Value::String(_)) => Ok(value.clone()),
        (Kind::String | Kind::Enum(_) | Kind::Blob, _) => Err(wrong("str")),
        (Kind::BigNumber, Value::String(_)) => Ok(value.clone()),
        (Kind::BigNumber, Value::Number(n)) => Ok(Value::String(n.to_string())),
        (Kind::Boolean, Value::Bool(_)) => Ok(value.clone()),
        (Kind::Boolean, _) => Err(wrong("bool")),
        (Kind::Integer, Value::Number(n)) if n.is_i64() || n.is_u64() => Ok(value.clone()),
        (Kind::Integer, _) => Err(wrong("int")),
        (Kind::Float, Value::Number(_)) => Ok(value.clone()),
        (Kind::Float, _) => Err(wrong("float, decimal.Decimal, int")),
        (Kind::Timestamp, Value::String(text)) => timestamp_text(text).map(Value::String),
        (Kind::Timestamp, Value::Number(n)) => n
            .as_f64()
            .and_then(epoch)
            .map(Value::String)
            .ok_or_else(|| wrong("datetime.datetime, str")),
        (Kind::Timestamp, _) => Err(wrong("datetime.datetime, str")),
        (Kind::BigNumber, _) => Err(wrong("str")),
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "int",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
    }
}

/// The required members missing from `value` (an input of shape `shape`), at any depth, as the
/// AWS CLI lists them: `Missing required parameter in input: "X"`.
pub fn missing_required(shapes: &[Shape], shape: usize, value: &Value, path: &str) -> Vec<String> {
    let mut missing = Vec::new();
    let place = if path.is_empty() { "input" } else { path };
    match (shapes[shape].kind, value) {
        (Kind::Structure(members), Value::Object(object)) => {
            for member in members {
                match object.get(member.name) {
                    None | Some(Value::Null) if member.required => missing.push(format!(
                        "Missing required parameter in {place}: \"{}\"",
                        member.name
                    )),
                    Some(inner) => missing.extend(missing_required(
                        shapes,
                        member.shape,
                        inner,
                        &join(path, member.name),
                    )),
                    None => {}
                }
            }
        }
        (Kind::List(item), Value::Array(items)) => {
            for (i, inner) in items.iter().enumerate() {
                missing.extend(missing_required(
                    shapes,
                    item,
                    inner,
                    &format!("{place}[{i}]"),
                ));
            }
        }
        (Kind::Map(_, value_shape), Value::Object(object)) => {
            for (key, inner) in object {
                missing.extend(missing_required(
                    shapes,
                    value_shape,
                    inner,
                    &join(path, key),
                ));
            }
        }
        _ => {}
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Member;

    /// 0 input { Name: string (required), Count: integer, Flag: boolean, Tags: list<Tag>,
    /// Ids: list<string>, When: timestamp, Attributes: map<string, string> },
    /// 1 string, 2 integer, 3 boolean, 4 list of 5, 5 Tag { Key, Value, Values: list<string> },
    /// 6 list of string, 7 timestamp, 8 map.
    const SHAPES: &[Shape] = &[
        Shape {
            name: "Input",
            kind: Kind::Structure(&[
                Member {
                    name: "Name",
                    shape: 1,
                    required: true,
                },
                Member {
                    name: "Count",
                    shape: 2,
                    required: false,
                },
                Member {
                    name: "Flag",
                    shape: 3,
                    required: false,
                },
                Member {
                    name: "Tags",
                    shape: 4,
                    required: false,
                },
                Member {
                    name: "Ids",
                    shape: 6,
                    required: false,
                },
                Member {
                    name: "When",
                    shape: 7,
                    required: false,
                },
                Member {
                    name: "Attributes",
                    shape: 8,
                    required: false,
                },
            ]),
        },
        Shape {
            name: "String",
            kind: Kind::String,
        },
        Shape {
            name: "Integer",
            kind: Kind::Integer,
        },
        Shape {
            name: "Boolean",
            kind: Kind::Boolean,
        },
        Shape {
            name: "TagList",
            kind: Kind::List(5),
        },
        Shape {
            name: "Tag",
            kind: Kind::Structure(&[
                Member {
                    name: "Key",
                    shape: 1,
                    required: true,
                },
                Member {
                    name: "Value",
                    shape: 1,
                    required: false,
                },
                Member {
                    name: "Values",
                    shape: 6,
                    required: false,
                },
            ]),
        },
        Shape {
            name: "StringList",
            kind: Kind::List(1),
        },
        Shape {
            name: "TStamp",
            kind: Kind::Timestamp,
        },
        Shape {
            name: "Attributes",
            kind: Kind::Map(1, 1),
        },
    ];

    fn args(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn scalars_from_their_text() {
        assert_eq!(option_value(SHAPES, 2, &args(["42"].as_ref())).unwrap(), 42);
        assert_eq!(
            option_value(SHAPES, 2, &args(&["forty"])).unwrap_err(),
            "invalid literal for int() with base 10: 'forty'"
        );
        assert_eq!(option_value(SHAPES, 3, &args(&["TRUE"])).unwrap(), true);
        assert_eq!(
            option_value(SHAPES, 7, &args(&["2024-01-02T03:04:05Z"])).unwrap(),
            "2024-01-02T03:04:05Z"
        );
        assert_eq!(
            option_value(SHAPES, 7, &args(&["1704164645"])).unwrap(),
            "2024-01-02T03:04:05Z"
        );
        assert_eq!(
            option_value(SHAPES, 7, &args(&["2024-01-02"])).unwrap(),
            "2024-01-02T00:00:00Z"
        );
    }

    #[test]
    fn lists_of_scalars_take_several_arguments_or_json() {
        assert_eq!(
            option_value(SHAPES, 6, &args(&["a", "b", "c"])).unwrap(),
            serde_json::json!(["a", "b", "c"])
        );
        assert_eq!(
            option_value(SHAPES, 6, &args(&["[\"a\", \"b\"]"])).unwrap(),
            serde_json::json!(["a", "b"])
        );
    }

    #[test]
    fn lists_of_structures_take_one_shorthand_item_per_argument() {
        assert_eq!(
            option_value(SHAPES, 4, &args(&["Key=a,Value=1", "Key=b,Values=x,y"])).unwrap(),
            serde_json::json!([
                {"Key": "a", "Value": "1"},
                {"Key": "b", "Values": ["x", "y"]}
            ])
        );
        assert_eq!(
            option_value(SHAPES, 4, &args(&[r#"[{"Key": "a"}]"#])).unwrap(),
            serde_json::json!([{"Key": "a"}])
        );
    }

    #[test]
    fn structures_in_shorthand_and_json() {
        let value = option_value(
            SHAPES,
            0,
            &args(&["Name=n,Count=3,Flag=false,Tags=[{Key=k,Values=[v]}],Attributes={A=1}"]),
        )
        .unwrap();
        assert_eq!(
            value,
            serde_json::json!({
                "Name": "n", "Count": 3, "Flag": false,
                "Tags": [{"Key": "k", "Values": ["v"]}],
                "Attributes": {"A": "1"}
            })
        );
        let value = option_value(SHAPES, 0, &args(&[r#"{"Name": "n", "When": 0}"#])).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"Name": "n", "When": "1970-01-01T00:00:00Z"})
        );
    }

    #[test]
    fn errors_name_the_member() {
        assert_eq!(
            option_value(SHAPES, 0, &args(&["Name=n,Bogus=1"])).unwrap_err(),
            "Unknown parameter in input: \"Bogus\", must be one of: Name, Count, Flag, Tags, Ids, When, Attributes"
        );
        assert_eq!(
            option_value(SHAPES, 0, &args(&["Tags=[{Key=k,Nope=1}]"])).unwrap_err(),
            "Unknown parameter in Tags[0]: \"Nope\", must be one of: Key, Value, Values"
        );
        assert_eq!(
            option_value(SHAPES, 0, &args(&["Count=x"])).unwrap_err(),
            "invalid literal for int() with base 10: 'x' (at Count)"
        );
        assert_eq!(
            option_value(SHAPES, 0, &args(&[r#"{"Count": "3"}"#])).unwrap_err(),
            "Invalid type for parameter Count, value: \"3\", type: str, valid types: int"
        );
        let invalid = option_value(SHAPES, 0, &args(&["{\"Name\": "])).unwrap_err();
        assert!(invalid.starts_with("Invalid JSON: "), "{invalid}");
        assert!(
            invalid.ends_with("\nJSON received: {\"Name\": "),
            "{invalid}"
        );
    }

    #[test]
    fn required_members_at_any_depth() {
        let value = serde_json::json!({"Tags": [{"Value": "v"}]});
        assert_eq!(
            missing_required(SHAPES, 0, &value, ""),
            [
                "Missing required parameter in input: \"Name\"",
                "Missing required parameter in Tags[0]: \"Key\""
            ]
        );
    }
}
