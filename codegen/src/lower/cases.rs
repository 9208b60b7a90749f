//! Protocol compliance cases: the awsQuery client cases of `smithy.test#httpRequestTests` and
//! `smithy.test#httpResponseTests` on the selected operations and their errors, read into the IR and
//! checked against the shapes they describe, so that the emitter only prints them.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Number, Value};

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::decode::decode;
use super::traits::{self, AppliesTo, HttpRequestTestCase, HttpResponseTestCase};
use crate::Error;
use crate::ast;
use crate::ir::*;
use crate::naming;

const REQUEST_TESTS: &str = "smithy.test#httpRequestTests";
const RESPONSE_TESTS: &str = "smithy.test#httpResponseTests";
const AWS_QUERY: &str = "aws.protocols#awsQuery";

/// The tests of `operations` (already lowered, with every shape they reach in `shapes`), in
/// operation order: each operation's request cases, then its response cases, then the response
/// cases of its errors in the order it lists them.
pub(super) fn protocol_tests(
    model: &ast::Model,
    operations: &[Operation],
    shapes: &BTreeMap<String, Shape>,
) -> Result<Vec<ProtocolTest>, Error> {
    let mut tests = Vec::new();
    let mut names = BTreeSet::new();
    let mut errors_seen = BTreeSet::new();
    for op in operations {
        let traits = &model.shapes[op.id.as_str()].traits;
        for case in cases(&op.id, traits, REQUEST_TESTS)? {
            let request = case.request(shapes, &op.input)?;
            tests.push(case.test(op, &case.id, &mut names, ProtocolTestKind::Request(request))?);
        }
        for case in cases(&op.id, traits, RESPONSE_TESTS)? {
            let response = case.response(shapes, &op.output)?;
            tests.push(case.test(
                op,
                &case.id,
                &mut names,
                ProtocolTestKind::Response(response),
            )?);
        }
        for error in &op.errors {
            let first = errors_seen.insert(error.as_str());
            let traits = &model.shapes[error.as_str()].traits;
            for case in cases(error, traits, RESPONSE_TESTS)? {
                let response = case.response(shapes, error)?;
                let name = if first {
                    case.id.clone()
                } else {
                    format!("{}_{}", case.id, op.name)
                };
                let kind = ProtocolTestKind::Error {
                    error: error.clone(),
                    case: response,
                };
                tests.push(case.test(op, &name, &mut names, kind)?);
            }
        }
    }
    Ok(tests)
}

/// Marks the tests of the cases in `ignored` (case id → reason) as ignored, every test of a case
/// when it runs against several operations. An id that matches no test is an error.
pub fn ignore_cases(
    service: &mut Service,
    ignored: &BTreeMap<String, String>,
) -> Result<(), Error> {
    for (id, reason) in ignored {
        if reason.trim().is_empty() {
            return Err(Error::model(format!(
                "the ignored protocol test case `{id}` needs a reason"
            )));
        }
        let mut found = false;
        let tests = service
            .protocol_tests
            .iter_mut()
            .chain(service.client_tests.iter_mut());
        for test in tests.filter(|t| &t.id == id) {
            test.ignored = Some(reason.clone());
            found = true;
        }
        if !found {
            return Err(Error::model(format!(
                "`{id}` is listed as an ignored protocol test case, but no generated test has that id"
            )));
        }
    }
    Ok(())
}

/// One case of a test trait, kept because it is an awsQuery case for clients.
struct Case<'m, T> {
    /// The shape carrying the trait.
    shape: &'m str,
    /// The trait's shape id.
    trait_id: &'static str,
    id: String,
    fields: T,
}

/// What the request and response cases have in common.
trait TestCase: DeserializeOwned {
    fn protocol(&self) -> &str;
    fn applies_to(&self) -> Option<AppliesTo>;
    fn documentation(&self) -> Option<&str>;
}

impl TestCase for HttpRequestTestCase {
    fn protocol(&self) -> &str {
        &self.protocol
    }

    fn applies_to(&self) -> Option<AppliesTo> {
        self.applies_to
    }

    fn documentation(&self) -> Option<&str> {
        self.documentation.as_deref()
    }
}

impl TestCase for HttpResponseTestCase {
    fn protocol(&self) -> &str {
        &self.protocol
    }

    fn applies_to(&self) -> Option<AppliesTo> {
        self.applies_to
    }

    fn documentation(&self) -> Option<&str> {
        self.documentation.as_deref()
    }
}

/// The id of a case, read first so that what is wrong with the rest names the case.
#[derive(Deserialize)]
struct CaseId {
    id: String,
}

/// The awsQuery client cases of trait `trait_id` on `shape`, decoded as `T`; other protocols and
/// server-only cases are left out.
fn cases<'m, T: TestCase>(
    shape: &'m str,
    traits: &BTreeMap<String, Value>,
    trait_id: &'static str,
) -> Result<Vec<Case<'m, T>>, Error> {
    let Some(entries) = traits::get::<Vec<Value>>(traits, trait_id, shape)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for entry in entries {
        let id = decode::<CaseId>(&entry)
            .map_err(|problem| {
                Error::shape(
                    shape,
                    format!("has a `{trait_id}` entry that cannot be read: {problem}"),
                )
            })?
            .id;
        if id.is_empty() {
            return Err(Error::shape(
                shape,
                format!("has a `{trait_id}` entry with an empty `id`"),
            ));
        }
        let label = Case {
            shape,
            trait_id,
            id,
            fields: (),
        };
        let fields: T = decode(&entry).map_err(|problem| label.malformed(problem))?;
        if fields.applies_to() == Some(AppliesTo::Server) || fields.protocol() != AWS_QUERY {
            continue;
        }
        out.push(Case {
            shape,
            trait_id,
            id: label.id,
            fields,
        });
    }
    Ok(out)
}

impl<T> Case<'_, T> {
    fn malformed(&self, problem: impl std::fmt::Display) -> Error {
        Error::shape(
            self.shape,
            format!(
                "has a malformed `{}` case `{}`: {problem}",
                self.trait_id, self.id
            ),
        )
    }

    /// `params` as a value of structure `target`, checked against it; an absent `params` sets
    /// no member.
    fn params(
        &self,
        params: Option<&Value>,
        shapes: &BTreeMap<String, Shape>,
        target: &str,
    ) -> Result<StructureLiteral, Error> {
        let empty = Value::Object(Map::new());
        let params = params.unwrap_or(&empty);
        if !params.is_object() {
            return Err(self.malformed(format!("`params` is `{params}`, not an object")));
        }
        match literal(shapes, target, params, "params").map_err(|e| self.malformed(e))? {
            Literal::Structure(structure) => Ok(structure),
            _ => Ok(StructureLiteral {
                shape: target.to_owned(),
                members: Vec::new(),
            }),
        }
    }
}

impl Case<'_, HttpRequestTestCase> {
    fn request(&self, shapes: &BTreeMap<String, Shape>, input: &str) -> Result<RequestCase, Error> {
        let f = &self.fields;
        Ok(RequestCase {
            method: f.method.clone(),
            uri: f.uri.clone(),
            query_params: f.query_params.clone(),
            forbid_query_params: f.forbid_query_params.clone(),
            require_query_params: f.require_query_params.clone(),
            headers: f.headers.clone().into_iter().collect(),
            forbid_headers: f.forbid_headers.clone(),
            require_headers: f.require_headers.clone(),
            host: f.host.clone(),
            resolved_host: f.resolved_host.clone(),
            body: f.body.clone(),
            body_media_type: f.body_media_type.clone(),
            params: self.params(f.params.as_ref(), shapes, input)?,
        })
    }
}

impl Case<'_, HttpResponseTestCase> {
    fn response(
        &self,
        shapes: &BTreeMap<String, Shape>,
        target: &str,
    ) -> Result<ResponseCase, Error> {
        let f = &self.fields;
        Ok(ResponseCase {
            code: f.code.0,
            headers: f.headers.clone().into_iter().collect(),
            forbid_headers: f.forbid_headers.clone(),
            require_headers: f.require_headers.clone(),
            body: f.body.clone(),
            body_media_type: f.body_media_type.clone(),
            params: self.params(f.params.as_ref(), shapes, target)?,
        })
    }
}

impl<T: TestCase> Case<'_, T> {
    /// The test for this case, its function named after `name` and unique among `names`.
    fn test(
        &self,
        op: &Operation,
        name: &str,
        names: &mut BTreeSet<String>,
        kind: ProtocolTestKind,
    ) -> Result<ProtocolTest, Error> {
        let base = naming::function(name);
        if base.is_empty() {
            return Err(self.malformed("its id has no letters or digits to name a test after"));
        }
        if syn::parse_str::<syn::Ident>(&base).is_err() {
            return Err(self.malformed(format!(
                "its id gives `{base}`, which is not a Rust function name"
            )));
        }
        let mut fn_name = base.clone();
        // A response case may share its id with the operation's request case.
        if names.contains(&fn_name) && matches!(kind, ProtocolTestKind::Response(_)) {
            fn_name = format!("{base}_response");
        }
        let mut n = 2;
        while !names.insert(fn_name.clone()) {
            fn_name = format!("{base}_{n}");
            n += 1;
        }
        Ok(ProtocolTest {
            id: self.id.clone(),
            fn_name,
            operation: op.id.clone(),
            docs: self.fields.documentation().map(str::to_owned),
            ignored: None,
            kind,
        })
    }
}

/// The value of shape `id` that `value` describes, checked against the shape; the error names
/// the place in `params` (`params.Members[0].Name`) and what is wrong.
fn literal(
    shapes: &BTreeMap<String, Shape>,
    id: &str,
    value: &Value,
    path: &str,
) -> Result<Literal, String> {
    let shape = &shapes[id];
    let expected = |what: &str| format!("`{path}` is `{value}`, but {} needs {what}", shape.name);
    Ok(match &shape.kind {
        ShapeKind::Structure(s) | ShapeKind::Union(s) => {
            let object = value.as_object().ok_or_else(|| expected("an object"))?;
            let mut set = Vec::new();
            // In key order, whatever order the JSON map keeps (serde_json's `preserve_order`
            // may be on in a build with other crates).
            let mut members: Vec<(&String, &Value)> = object.iter().collect();
            members.sort_by(|a, b| a.0.cmp(b.0));
            for (name, member_value) in members {
                let index = s
                    .members
                    .iter()
                    .position(|m| &m.name == name)
                    .ok_or_else(|| {
                        format!(
                            "`{path}` has `{name}`, which is not a member of {}",
                            shape.name
                        )
                    })?;
                if member_value.is_null() {
                    continue;
                }
                let member = &s.members[index];
                let value = literal(
                    shapes,
                    &member.target,
                    member_value,
                    &format!("{path}.{name}"),
                )?;
                set.push((index, member, value));
            }
            set.sort_by_key(|(index, ..)| *index);
            if matches!(shape.kind, ShapeKind::Structure(_)) {
                Literal::Structure(StructureLiteral {
                    shape: id.to_owned(),
                    members: set
                        .into_iter()
                        .map(|(_, member, value)| MemberLiteral {
                            name: member.name.clone(),
                            field: member.field.clone(),
                            optional: member.optional,
                            boxed: member.boxed,
                            value,
                        })
                        .collect(),
                })
            } else {
                if set.len() != 1 {
                    return Err(format!(
                        "`{path}` sets {} members of the union {}, which takes exactly one",
                        set.len(),
                        shape.name
                    ));
                }
                let (_, member, value) = set.pop().expect("one member is set");
                Literal::Union(UnionLiteral {
                    shape: id.to_owned(),
                    member: member.name.clone(),
                    variant: member
                        .variant
                        .clone()
                        .expect("lowering names the variants of union members"),
                    boxed: member.boxed,
                    value: Box::new(value),
                })
            }
        }
        ShapeKind::List(list) => {
            let items = value.as_array().ok_or_else(|| expected("a list"))?;
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let at = format!("{path}[{i}]");
                if item.is_null() {
                    return Err(format!("`{at}` is null; sparse lists are not supported"));
                }
                out.push(literal(shapes, &list.target, item, &at)?);
            }
            Literal::List(out)
        }
        ShapeKind::Map(map) => {
            let entries = value.as_object().ok_or_else(|| expected("an object"))?;
            // Sorted by key, whichever order serde_json keeps its maps in (a crate of the
            // workspace may enable its `preserve_order`).
            let mut entries: Vec<_> = entries.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            let mut out = Vec::with_capacity(entries.len());
            for (key, item) in entries {
                let at = format!("{path}.{key}");
                if item.is_null() {
                    return Err(format!("`{at}` is null; sparse maps are not supported"));
                }
                let item = literal(shapes, &map.value, item, &at)?;
                let key = literal(shapes, &map.key, &Value::String(key.clone()), &at)?;
                out.push((key, item));
            }
            Literal::Map(out)
        }
        ShapeKind::Enum(e) => {
            let text = value.as_str().ok_or_else(|| expected("a string"))?;
            Literal::Enum(EnumLiteral {
                shape: id.to_owned(),
                value: text.to_owned(),
                variant: e
                    .variants
                    .iter()
                    .find(|v| v.value == text)
                    .map(|v| v.rust_name.clone()),
            })
        }
        ShapeKind::IntEnum(_) => Literal::IntEnum {
            shape: id.to_owned(),
            value: value
                .as_i64()
                .and_then(|i| i32::try_from(i).ok())
                .ok_or_else(|| expected("a 32-bit integer"))?,
        },
        ShapeKind::Scalar(scalar) => scalar_literal(*scalar, value).map_err(expected)?,
    })
}

fn scalar_literal(scalar: Scalar, value: &Value) -> Result<Literal, &'static str> {
    let int_in = |min: i64, max: i64, what: &'static str| match value.as_i64() {
        Some(i) if (min..=max).contains(&i) => Ok(Literal::Integer(i)),
        _ => Err(what),
    };
    let string = || value.as_str().ok_or("a string");
    match scalar {
        Scalar::String => string().map(|s| Literal::String(s.to_owned())),
        Scalar::Boolean => value.as_bool().map(Literal::Boolean).ok_or("a boolean"),
        Scalar::Byte => int_in(i8::MIN.into(), i8::MAX.into(), "an 8-bit integer"),
        Scalar::Short => int_in(i16::MIN.into(), i16::MAX.into(), "a 16-bit integer"),
        Scalar::Integer => int_in(i32::MIN.into(), i32::MAX.into(), "a 32-bit integer"),
        Scalar::Long => int_in(i64::MIN, i64::MAX, "a 64-bit integer"),
        Scalar::Float | Scalar::Double => {
            let double = scalar == Scalar::Double;
            let value = match value {
                Value::String(s) if s == "NaN" => FloatValue::NaN,
                Value::String(s) if s == "Infinity" => FloatValue::Infinity,
                Value::String(s) if s == "-Infinity" => FloatValue::NegInfinity,
                Value::Number(n) => match n.as_f64() {
                    Some(f) if double || (f as f32).is_finite() => FloatValue::Number(f),
                    _ => return Err("a number in range"),
                },
                _ => return Err("a number, \"NaN\", \"Infinity\" or \"-Infinity\""),
            };
            Ok(Literal::Float(FloatLiteral { double, value }))
        }
        Scalar::BigInteger | Scalar::BigDecimal => match value {
            Value::String(s) => Ok(Literal::BigNumber(s.clone())),
            Value::Number(n) => Ok(Literal::BigNumber(n.to_string())),
            _ => Err("a number"),
        },
        Scalar::Blob => string().map(|s| Literal::Blob(s.as_bytes().to_vec())),
        Scalar::Timestamp(_) => match value {
            Value::Number(n) => match epoch_seconds(n) {
                Some((secs, nanos)) => {
                    Ok(Literal::Timestamp(TimestampLiteral::Epoch { secs, nanos }))
                }
                None => Err("epoch seconds or a date-time string"),
            },
            Value::String(text) => Ok(Literal::Timestamp(TimestampLiteral::DateTime(text.clone()))),
            _ => Err("epoch seconds or a date-time string"),
        },
    }
}

/// A number of seconds since the epoch as whole seconds (rounded towards the past) and
/// nanoseconds, read exactly from the number's decimal text; digits past the ninth decimal are
/// dropped. `None` when the seconds do not fit an `i64`.
fn epoch_seconds(number: &Number) -> Option<(i64, u32)> {
    if let Some(secs) = number.as_i64() {
        return Some((secs, 0));
    }
    let text = number.to_string();
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.as_str()),
    };
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i64>().ok()?),
        None => (text, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits: String = format!("{int}{frac}");
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let point = i64::try_from(int.len()).ok()?.checked_add(exponent)?;
    let (int_digits, frac_digits) = if point <= 0 {
        let zeros = usize::try_from(point.unsigned_abs()).ok()?;
        (
            String::new(),
            format!("{}{digits}", "0".repeat(zeros.min(9))),
        )
    } else {
        let point = usize::try_from(point).ok()?;
        if point >= digits.len() {
            (
                format!("{digits}{}", "0".repeat(point - digits.len())),
                String::new(),
            )
        } else {
            (digits[..point].to_owned(), digits[point..].to_owned())
        }
    };
    let int_digits = int_digits.trim_start_matches('0');
    if int_digits.len() > 19 {
        return None;
    }
    let whole: i64 = if int_digits.is_empty() {
        0
    } else {
        int_digits.parse().ok()?
    };
    let mut nanos_text: String = frac_digits.chars().take(9).collect();
    while nanos_text.len() < 9 {
        nanos_text.push('0');
    }
    let nanos: u32 = nanos_text.parse().ok()?;
    if !negative {
        return Some((whole, nanos));
    }
    if nanos == 0 {
        Some((whole.checked_neg()?, 0))
    } else {
        Some((whole.checked_neg()?.checked_sub(1)?, 1_000_000_000 - nanos))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(json: &str) -> Option<(i64, u32)> {
        let value: Value = serde_json::from_str(json).unwrap();
        epoch_seconds(value.as_number().unwrap())
    }

    #[test]
    fn test_names_parse_as_identifiers() {
        for name in [
            "query_list_args",
            "r#type",
            "self_",
            "_2fast",
            "überprüfung",
        ] {
            assert!(syn::parse_str::<syn::Ident>(name).is_ok(), "{name}");
        }
        assert!(syn::parse_str::<syn::Ident>("①").is_err());
    }

    #[test]
    fn epoch_seconds_are_exact() {
        assert_eq!(parts("1398796238"), Some((1398796238, 0)));
        assert_eq!(parts("-5"), Some((-5, 0)));
        assert_eq!(parts("1398796238.123"), Some((1398796238, 123_000_000)));
        assert_eq!(parts("0.5"), Some((0, 500_000_000)));
        assert_eq!(parts("-1.5"), Some((-2, 500_000_000)));
        assert_eq!(parts("1e3"), Some((1000, 0)));
        assert_eq!(parts("1.5e-3"), Some((0, 1_500_000)));
        assert_eq!(parts("1.23456789123e2"), Some((123, 456_789_123)));
        assert_eq!(parts("1e300"), None);
    }
}
