//! `--output text`: tab-separated lines.
//!
//! * A scalar is a line of its own.
//! * An object prints its scalar members on one line, in key order (sorted), then each list or
//!   object member under its upper-cased key as the line's first field, keys sorted.
//! * The objects of a list share one set of columns: every key that holds a scalar in any of
//!   them, sorted; an object without one of them leaves the field empty.
//! * A list of scalars is one line of them, or one line per item (`KEY\tvalue`) when the list is
//!   a member of an object.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::OutputError;
use super::python::str_of;

/// Writes `value` as text output.
pub(crate) fn write(value: &Value, out: &mut String) -> Result<(), OutputError> {
    item(value, None, None, out)
}

fn item(
    value: &Value,
    identifier: Option<&str>,
    columns: Option<&[String]>,
    out: &mut String,
) -> Result<(), OutputError> {
    match value {
        Value::Object(members) => object(members, identifier, columns, out)?,
        Value::Array(items) => list(items, identifier, out)?,
        scalar => {
            out.push_str(&str_of(scalar));
            out.push('\n');
        }
    }
    Ok(())
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

fn list(items: &[Value], identifier: Option<&str>, out: &mut String) -> Result<(), OutputError> {
    if items.is_empty() {
        return Ok(());
    }
    if items.iter().any(Value::is_object) {
        if !items.iter().all(Value::is_object) {
            return Err(OutputError::Shape(
                "text: a list holds objects and values of other kinds".to_owned(),
            ));
        }
        let columns = scalar_keys(items);
        for element in items {
            item(element, identifier, Some(&columns), out)?;
        }
    } else if items.iter().any(Value::is_array) {
        let scalars: Vec<&Value> = items.iter().filter(|v| is_scalar(v)).collect();
        if !scalars.is_empty() {
            scalar_list(&scalars, identifier, out);
        }
        for nested in items.iter().filter(|v| !is_scalar(v)) {
            item(nested, identifier, None, out)?;
        }
    } else {
        let scalars: Vec<&Value> = items.iter().collect();
        scalar_list(&scalars, identifier, out);
    }
    Ok(())
}

fn scalar_list(items: &[&Value], identifier: Option<&str>, out: &mut String) {
    match identifier {
        Some(identifier) => {
            for value in items {
                out.push_str(&identifier.to_uppercase());
                out.push('\t');
                out.push_str(&str_of(value));
                out.push('\n');
            }
        }
        None => {
            let fields: Vec<String> = items.iter().map(|v| str_of(v)).collect();
            out.push_str(&fields.join("\t"));
            out.push('\n');
        }
    }
}

/// The keys holding a scalar in any object of the list, sorted.
fn scalar_keys(items: &[Value]) -> Vec<String> {
    let mut keys = BTreeSet::new();
    for members in items.iter().filter_map(Value::as_object) {
        for (key, value) in members {
            if is_scalar(value) {
                keys.insert(key.clone());
            }
        }
    }
    keys.into_iter().collect()
}

fn object(
    members: &Map<String, Value>,
    identifier: Option<&str>,
    columns: Option<&[String]>,
    out: &mut String,
) -> Result<(), OutputError> {
    let mut fields = Vec::new();
    let mut nested: Vec<(&String, &Value)> = Vec::new();
    match columns {
        None => {
            let mut sorted: Vec<(&String, &Value)> = members.iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(b.0));
            for (key, value) in sorted {
                if is_scalar(value) {
                    fields.push(str_of(value));
                } else {
                    nested.push((key, value));
                }
            }
        }
        Some(columns) => {
            for key in columns {
                fields.push(members.get(key).map(str_of).unwrap_or_default());
            }
            nested = members
                .iter()
                .filter(|(key, _)| !columns.contains(key))
                .collect();
            nested.sort_by(|a, b| a.0.cmp(b.0));
        }
    }
    if !fields.is_empty() {
        if let Some(identifier) = identifier {
            fields.insert(0, identifier.to_uppercase());
        }
        out.push_str(&fields.join("\t"));
        out.push('\n');
    }
    for (key, value) in nested {
        item(value, Some(key), None, out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn text(value: Value) -> String {
        let mut out = String::new();
        write(&value, &mut out).unwrap();
        out
    }

    #[test]
    fn members_of_a_list_share_columns_and_nested_lists_follow_their_row() {
        let value = json!({"Items": [
            {"Name": "a", "Size": 1, "Tags": ["x", "y"]},
            {"Name": "b", "Extra": true}
        ]});
        assert_eq!(
            text(value),
            "ITEMS\t\ta\t1\nTAGS\tx\nTAGS\ty\nITEMS\tTrue\tb\t\n"
        );
    }

    #[test]
    fn bare_scalars_and_lists() {
        assert_eq!(text(json!("x")), "x\n");
        assert_eq!(text(json!(null)), "None\n");
        assert_eq!(text(json!([1, 2.5, false])), "1\t2.5\tFalse\n");
        assert_eq!(text(json!([[1, 2], 3, [4]])), "3\n1\t2\n4\n");
        assert_eq!(text(json!([])), "");
        assert_eq!(text(json!({})), "");
    }

    #[test]
    fn a_list_of_objects_and_scalars_is_an_error() {
        let mut out = String::new();
        assert!(write(&json!([{"a": 1}, "b"]), &mut out).is_err());
    }
}
