//! The rule set's test cases (`smithy.rules#endpointTests`), read against its parameters.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::TESTS;
use super::check::param_value;
use crate::Error;
use crate::ir::rules::*;
use crate::naming;

pub(super) fn tests(
    service: &str,
    value: &Value,
    params: &[Param],
) -> Result<Vec<EndpointTest>, Error> {
    let error = |what: String| {
        Error::shape(
            service,
            format!("has endpoint test cases (`{TESTS}`) that cannot be used: {what}"),
        )
    };
    let cases = match value.get("testCases") {
        None => return Ok(Vec::new()),
        Some(Value::Array(cases)) => cases,
        Some(_) => return Err(error(String::from("`testCases` is not a list"))),
    };
    let mut names = BTreeSet::new();
    let mut out = Vec::with_capacity(cases.len());
    for (i, case) in cases.iter().enumerate() {
        let docs = case
            .get("documentation")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let label = match &docs {
            Some(docs) => format!("case {i} (`{docs}`)"),
            None => format!("case {i}"),
        };
        let case_error = |what: String| error(format!("{label}: {what}"));
        let object = case
            .as_object()
            .ok_or_else(|| case_error(String::from("it is not an object")))?;
        let mut values = Vec::new();
        match object.get("params") {
            None => {}
            Some(Value::Object(given)) => {
                for name in given.keys() {
                    if !params.iter().any(|p| &p.name == name) {
                        return Err(case_error(format!(
                            "`{name}` is not a parameter of the rule set"
                        )));
                    }
                }
                for param in params {
                    if let Some(value) = given.get(&param.name) {
                        let value = param_value(param.ty, value).map_err(|e| {
                            case_error(format!("the value of `{}`: {e}", param.name))
                        })?;
                        values.push((param.field.clone(), value));
                    }
                }
            }
            Some(_) => return Err(case_error(String::from("`params` is not an object"))),
        }
        let expect = object
            .get("expect")
            .and_then(Value::as_object)
            .ok_or_else(|| case_error(String::from("it has no `expect` object")))?;
        let expect = match (expect.get("endpoint"), expect.get("error")) {
            (Some(endpoint), None) => expected_endpoint(endpoint).map_err(case_error)?,
            (None, Some(Value::String(message))) => Expectation::Error(message.clone()),
            _ => {
                return Err(case_error(String::from(
                    "`expect` must hold either an `endpoint` or an `error` message",
                )));
            }
        };
        out.push(EndpointTest {
            fn_name: test_name(docs.as_deref(), i, &mut names),
            docs,
            params: values,
            expect,
        });
    }
    Ok(out)
}

fn expected_endpoint(value: &Value) -> Result<Expectation, String> {
    let object = value
        .as_object()
        .ok_or_else(|| String::from("the expected endpoint is not an object"))?;
    let url = object
        .get("url")
        .and_then(Value::as_str)
        .ok_or_else(|| String::from("the expected endpoint has no string `url`"))?;
    let mut headers: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if let Some(map) = object.get("headers") {
        let map = map
            .as_object()
            .ok_or_else(|| String::from("the expected `headers` are not an object"))?;
        for (name, values) in map {
            let values = values
                .as_array()
                .and_then(|items| {
                    items
                        .iter()
                        .map(|v| v.as_str().map(str::to_owned))
                        .collect::<Option<Vec<_>>>()
                })
                .ok_or_else(|| format!("the expected header `{name}` is not a list of strings"))?;
            headers
                .entry(name.to_ascii_lowercase())
                .or_default()
                .extend(values);
        }
    }
    let properties = match object.get("properties") {
        None => Vec::new(),
        Some(Value::Object(map)) => expected_entries(map)?,
        Some(_) => return Err(String::from("the expected `properties` are not an object")),
    };
    Ok(Expectation::Endpoint {
        url: url.to_owned(),
        headers: headers.into_iter().collect(),
        properties,
    })
}

fn expected_entries(map: &Map<String, Value>) -> Result<Vec<(String, ExpectedProperty)>, String> {
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort();
    keys.into_iter()
        .map(|k| Ok((k.clone(), expected_property(&map[k.as_str()])?)))
        .collect()
}

fn expected_property(value: &Value) -> Result<ExpectedProperty, String> {
    Ok(match value {
        Value::String(s) => ExpectedProperty::String(s.clone()),
        Value::Bool(b) => ExpectedProperty::Bool(*b),
        Value::Array(items) => ExpectedProperty::Array(
            items
                .iter()
                .map(expected_property)
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(map) => ExpectedProperty::Object(expected_entries(map)?),
        other => {
            return Err(format!(
                "an expected property holds strings, booleans, lists and maps, not `{other}`"
            ));
        }
    })
}

/// The test function's name: the case's documentation in snake case (`case_{i}` without one),
/// made unique with a numeric suffix.
fn test_name(docs: Option<&str>, index: usize, names: &mut BTreeSet<String>) -> String {
    let base = docs
        .map(|d| {
            let snake = naming::snake(d);
            let cleaned: String = snake
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect();
            cleaned
                .split('_')
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join("_")
        })
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| format!("case_{index}"));
    let base = naming::field(&base);
    let mut name = base.clone();
    let mut n = 2;
    while !names.insert(name.clone()) {
        name = format!("{base}_{n}");
        n += 1;
    }
    name
}
