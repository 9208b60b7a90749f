//! The rule set's test cases (`smithy.rules#endpointTests`), read against its parameters.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::TESTS;
use super::check::param_value;
use crate::Error;
use crate::ir::rules::*;
use crate::lower::traits;
use crate::naming;

pub(super) fn tests(
    service: &str,
    traits: &BTreeMap<String, Value>,
    params: &[Param],
) -> Result<Vec<EndpointTest>, Error> {
    let error = |what: String| {
        Error::shape(
            service,
            format!("has endpoint test cases (`{TESTS}`) that cannot be used: {what}"),
        )
    };
    let Some(tests) = traits::get::<traits::EndpointTests>(traits, TESTS, service)? else {
        return Ok(Vec::new());
    };
    let mut names = BTreeSet::new();
    let mut out = Vec::with_capacity(tests.test_cases.len());
    for (i, case) in tests.test_cases.into_iter().enumerate() {
        let docs = case.documentation;
        let label = match &docs {
            Some(docs) => format!("case {i} (`{docs}`)"),
            None => format!("case {i}"),
        };
        let case_error = |what: String| error(format!("{label}: {what}"));
        for name in case.params.keys() {
            if !params.iter().any(|p| &p.name == name) {
                return Err(case_error(format!(
                    "`{name}` is not a parameter of the rule set"
                )));
            }
        }
        let mut values = Vec::new();
        for param in params {
            if let Some(value) = case.params.get(&param.name) {
                let value = param_value(param.ty, value)
                    .map_err(|e| case_error(format!("the value of `{}`: {e}", param.name)))?;
                values.push((param.field.clone(), value));
            }
        }
        let expect = match (case.expect.endpoint, case.expect.error) {
            (Some(endpoint), None) => expected_endpoint(endpoint).map_err(case_error)?,
            (None, Some(message)) => Expectation::Error(message),
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

fn expected_endpoint(endpoint: traits::ExpectedEndpoint) -> Result<Expectation, String> {
    let mut headers: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, values) in endpoint.headers {
        headers
            .entry(name.to_ascii_lowercase())
            .or_default()
            .extend(values);
    }
    let properties = endpoint
        .properties
        .iter()
        .map(|(k, v)| Ok((k.clone(), expected_property(v)?)))
        .collect::<Result<_, String>>()?;
    Ok(Expectation::Endpoint {
        url: endpoint.url,
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
