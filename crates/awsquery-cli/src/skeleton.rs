//! `--generate-cli-skeleton`: a JSON document of the input (or output) shape with a placeholder for
//! every member, in model order, as the AWS CLI prints it: `""` for strings (an enum's first value),
//! `0` for integers, `0.0` for floats, `true` for booleans, `"1970-01-01T00:00:00"` for timestamps,
//! one item for a list, one `"KeyName"` entry for a map, and `{}` where a structure recurs.

use serde_json::{Map, Value};

use crate::table::{Command, Kind, Service};

/// The skeleton of `command`'s input, printed as the AWS CLI prints it.
pub fn input<C>(service: &Service<C>, command: &Command<C>) -> String {
    let value = generate(service, command.input, &mut Vec::new(), None);
    crate::json::to_string(&value)
}

/// The skeleton of `command`'s output: strings hold their member's name.
pub fn output<C>(service: &Service<C>, command: &Command<C>) -> String {
    let value = generate(service, command.output, &mut Vec::new(), Some(""));
    crate::json::to_string(&value)
}

/// The placeholder of shape `index`; `named` is the member's name when strings show it.
fn generate<C>(
    service: &Service<C>,
    index: usize,
    stack: &mut Vec<usize>,
    named: Option<&str>,
) -> Value {
    let shape = service.shape(index);
    stack.push(index);
    let value = match shape.kind {
        Kind::Structure(members) => {
            if stack.iter().filter(|s| **s == index).count() > 1 {
                Value::Object(Map::new())
            } else {
                let mut object = Map::new();
                for member in members {
                    let named = named.map(|_| member.name);
                    object.insert(
                        member.name.to_owned(),
                        generate(service, member.shape, stack, named),
                    );
                }
                Value::Object(object)
            }
        }
        Kind::List(item) => {
            let named = named.map(|_| service.shape(item).name);
            Value::Array(vec![generate(service, item, stack, named)])
        }
        Kind::Map(_, value) => {
            let mut object = Map::new();
            object.insert(
                String::from("KeyName"),
                generate(service, value, stack, named),
            );
            Value::Object(object)
        }
        Kind::String | Kind::Blob | Kind::BigNumber => {
            Value::String(named.unwrap_or_default().to_owned())
        }
        Kind::Enum(values) => Value::String(
            named
                .map(str::to_owned)
                .or_else(|| values.first().map(|v| (*v).to_owned()))
                .unwrap_or_default(),
        ),
        Kind::Integer => Value::from(0),
        Kind::Float => Value::from(0.0),
        Kind::Boolean => Value::Bool(true),
        Kind::Timestamp => Value::String(String::from("1970-01-01T00:00:00")),
    };
    stack.pop();
    value
}
