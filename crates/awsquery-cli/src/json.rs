//! JSON values printed as the AWS CLI prints them with `--output json`: four spaces of indent,
//! `": "` between key and value, members in their order, floats as Python prints them.

use awsquery_types::json::JsonWriter;
use serde_json::Value;

/// `value` in the AWS CLI's JSON form.
pub fn to_string(value: &Value) -> String {
    let mut writer = JsonWriter::new();
    write(&mut writer, value);
    writer.finish()
}

fn write(w: &mut JsonWriter, value: &Value) {
    match value {
        Value::Null => w.null(),
        Value::Bool(b) => w.bool(*b),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => w.integer(i),
            (None, Some(_)) if n.is_u64() => w.number_text(&n.to_string()),
            (None, Some(f)) => w.double(f),
            (None, None) => w.number_text(&n.to_string()),
        },
        Value::String(s) => w.string(s),
        Value::Array(items) => {
            w.begin_array();
            for item in items {
                write(w, item);
            }
            w.end_array();
        }
        Value::Object(object) => {
            w.begin_object();
            for (key, item) in object {
                w.key(key);
                write(w, item);
            }
            w.end_object();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_the_aws_cli_prints() {
        let value: Value =
            serde_json::from_str(r#"{"b": [1, 2.5, 1.0, "x\n", null], "a": {}, "c": []}"#).unwrap();
        assert_eq!(
            to_string(&value),
            "{\n    \"b\": [\n        1,\n        2.5,\n        1.0,\n        \"x\\n\",\n        null\n    ],\n    \"a\": {},\n    \"c\": []\n}"
        );
    }
}
