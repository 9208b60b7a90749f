//! `--query`: a JMESPath expression run over a response before it is written.
//!
//! The `jmespath` crate parses the expression; the evaluation is done here, over
//! [`serde_json::Value`], so that objects keep their members in order (the response's order, a
//! multi-select hash's order, `keys()` in order) as the AWS CLI's Python JMESPath does, and
//! integers stay integers. The functions are those of the JMESPath specification, with the
//! Python implementation's answers where the specification leaves room: `sort_by` is stable,
//! `max_by`/`min_by` keep the first of equal keys, `avg` is a float, `ceil`/`floor` give
//! integers, and comparing strings with `<` orders them by code point.

use std::cmp::Ordering;
use std::fmt;

use jmespath::ast::{Ast, Comparator};
use serde_json::{Map, Number, Value};

use crate::output::python::compact_json;

/// A parsed `--query` expression.
#[derive(Debug, Clone)]
pub struct Query {
    expression: String,
    ast: Ast,
}

impl Query {
    /// Parses `expression`; a syntax error is [`QueryError::Parse`], whose message is the AWS
    /// CLI's `Bad value for --query EXPRESSION: reason`.
    pub fn parse(expression: &str) -> Result<Query, QueryError> {
        let ast = jmespath::parse(&legacy_literals(expression)).map_err(|e| QueryError::Parse {
            expression: expression.to_owned(),
            reason: e.to_string(),
        })?;
        Ok(Query {
            expression: expression.to_owned(),
            ast,
        })
    }

    /// The expression as given.
    pub fn as_str(&self) -> &str {
        &self.expression
    }

    /// Runs the expression over `value`.
    pub fn search(&self, value: &Value) -> Result<Value, QueryError> {
        eval(&self.ast, value, 0)
    }
}

/// The expression with its legacy literals made JSON strings: Python's JMESPath, and so the AWS
/// CLI, still reads `` `running` `` (not JSON) as the string `"running"`, as older JMESPath did,
/// where the `jmespath` crate wants `` `"running"` `` or `'running'`. A literal that is JSON, or
/// that is not JSON even quoted, is left as it is.
fn legacy_literals(expression: &str) -> std::borrow::Cow<'_, str> {
    if !expression.contains('`') {
        return expression.into();
    }
    let mut out = String::with_capacity(expression.len() + 8);
    let mut chars = expression.chars();
    // The quote of the raw string or quoted identifier we are in, if any.
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(_), '\\') => {
                out.push(c);
                out.extend(chars.next());
            }
            (Some(q), c) if c == q => {
                quote = None;
                out.push(c);
            }
            (Some(_), c) => out.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                out.push(c);
            }
            (None, '`') => {
                let mut raw = String::new();
                let mut closed = false;
                while let Some(c) = chars.next() {
                    match c {
                        '\\' if chars.as_str().starts_with('`') => {
                            raw.push_str("\\`");
                            chars.next();
                        }
                        '`' => {
                            closed = true;
                            break;
                        }
                        c => raw.push(c),
                    }
                }
                let lexeme = raw.replace("\\`", "`");
                let quoted = format!("\"{}\"", lexeme.trim_start());
                out.push('`');
                if closed
                    && serde_json::from_str::<Value>(&lexeme).is_err()
                    && serde_json::from_str::<Value>(&quoted).is_ok()
                {
                    out.push_str(&quoted.replace('`', "\\`"));
                } else {
                    out.push_str(&raw);
                }
                if closed {
                    out.push('`');
                }
            }
            (None, c) => out.push(c),
        }
    }
    out.into()
}

/// Why a query could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryError {
    /// The expression is not JMESPath. The AWS CLI rejects it before sending anything, with exit
    /// status 252.
    Parse {
        /// The expression.
        expression: String,
        /// What is wrong with it, and where.
        reason: String,
    },
    /// The expression failed on this response: an unknown function, a function given the wrong
    /// number or type of values, values that cannot be compared. The AWS CLI fails with exit
    /// status 255.
    Evaluation(String),
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryError::Parse { expression, reason } => {
                write!(f, "Bad value for --query {expression}: {reason}")
            }
            QueryError::Evaluation(reason) => f.write_str(reason),
        }
    }
}

impl std::error::Error for QueryError {}

/// How deeply expressions may nest before evaluation gives up (the parser already bounds this
/// by the expression's length; this keeps a pathological one from exhausting the stack).
const MAX_DEPTH: usize = 256;

fn eval(ast: &Ast, value: &Value, depth: usize) -> Result<Value, QueryError> {
    if depth > MAX_DEPTH {
        return Err(QueryError::Evaluation(
            "the expression nests too deeply".to_owned(),
        ));
    }
    let depth = depth + 1;
    Ok(match ast {
        Ast::Identity { .. } => value.clone(),
        Ast::Field { name, .. } => value.get(name.as_str()).cloned().unwrap_or(Value::Null),
        Ast::Index { idx, .. } => match value {
            Value::Array(items) => {
                let len = items.len() as i64;
                let i = if *idx < 0 {
                    len + i64::from(*idx)
                } else {
                    i64::from(*idx)
                };
                if (0..len).contains(&i) {
                    items[i as usize].clone()
                } else {
                    Value::Null
                }
            }
            _ => Value::Null,
        },
        Ast::Slice {
            start, stop, step, ..
        } => match value {
            Value::Array(items) => slice(items, *start, *stop, *step)?,
            _ => Value::Null,
        },
        Ast::Subexpr { lhs, rhs, .. } => {
            let left = eval(lhs, value, depth)?;
            eval(rhs, &left, depth)?
        }
        Ast::Projection { lhs, rhs, .. } => match eval(lhs, value, depth)? {
            Value::Array(items) => {
                let mut collected = Vec::new();
                for item in &items {
                    let result = eval(rhs, item, depth)?;
                    if !result.is_null() {
                        collected.push(result);
                    }
                }
                Value::Array(collected)
            }
            _ => Value::Null,
        },
        Ast::ObjectValues { node, .. } => match eval(node, value, depth)? {
            Value::Object(members) => Value::Array(members.into_iter().map(|(_, v)| v).collect()),
            _ => Value::Null,
        },
        Ast::Flatten { node, .. } => match eval(node, value, depth)? {
            Value::Array(items) => {
                let mut merged = Vec::new();
                for item in items {
                    match item {
                        Value::Array(inner) => merged.extend(inner),
                        other => merged.push(other),
                    }
                }
                Value::Array(merged)
            }
            _ => Value::Null,
        },
        Ast::Condition {
            predicate, then, ..
        } => {
            if truthy(&eval(predicate, value, depth)?) {
                eval(then, value, depth)?
            } else {
                Value::Null
            }
        }
        Ast::Comparison {
            comparator,
            lhs,
            rhs,
            ..
        } => {
            let left = eval(lhs, value, depth)?;
            let right = eval(rhs, value, depth)?;
            compare(comparator, &left, &right)?
        }
        Ast::And { lhs, rhs, .. } => {
            let left = eval(lhs, value, depth)?;
            if truthy(&left) {
                eval(rhs, value, depth)?
            } else {
                left
            }
        }
        Ast::Or { lhs, rhs, .. } => {
            let left = eval(lhs, value, depth)?;
            if truthy(&left) {
                left
            } else {
                eval(rhs, value, depth)?
            }
        }
        Ast::Not { node, .. } => Value::Bool(!truthy(&eval(node, value, depth)?)),
        Ast::Literal { value: literal, .. } => serde_json::to_value(&**literal)
            .map_err(|e| QueryError::Evaluation(format!("a literal cannot be read: {e}")))?,
        Ast::MultiList { elements, .. } => {
            if value.is_null() {
                Value::Null
            } else {
                let mut items = Vec::with_capacity(elements.len());
                for element in elements {
                    items.push(eval(element, value, depth)?);
                }
                Value::Array(items)
            }
        }
        Ast::MultiHash { elements, .. } => {
            if value.is_null() {
                Value::Null
            } else {
                let mut members = Map::new();
                for pair in elements {
                    members.insert(pair.key.clone(), eval(&pair.value, value, depth)?);
                }
                Value::Object(members)
            }
        }
        Ast::Expref { .. } => {
            return Err(QueryError::Evaluation(
                "an expression reference (&...) is only an argument of a function".to_owned(),
            ));
        }
        Ast::Function { name, args, .. } => call(name, args, value, depth)?,
    })
}

/// JMESPath's truth: false for null, false, "", [] and {}; true for everything else, 0 too.
fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(members) => !members.is_empty(),
        Value::Number(_) => true,
    }
}

/// `items[start:stop:step]` with Python's rules for negative and missing bounds.
fn slice(
    items: &[Value],
    start: Option<i32>,
    stop: Option<i32>,
    step: i32,
) -> Result<Value, QueryError> {
    if step == 0 {
        return Err(QueryError::Evaluation(
            "a slice's step cannot be 0".to_owned(),
        ));
    }
    let len = items.len() as i64;
    let step = i64::from(step);
    let bound = |given: Option<i32>, default: i64| -> i64 {
        match given {
            None => default,
            Some(i) => {
                let i = i64::from(i);
                let i = if i < 0 { i + len } else { i };
                if step > 0 {
                    i.clamp(0, len)
                } else {
                    i.clamp(-1, len - 1)
                }
            }
        }
    };
    let (start, stop) = if step > 0 {
        (bound(start, 0), bound(stop, len))
    } else {
        (bound(start, len - 1), bound(stop, -1))
    };
    let mut out = Vec::new();
    let mut i = start;
    while (step > 0 && i < stop) || (step < 0 && i > stop) {
        out.push(items[i as usize].clone());
        i += step;
    }
    Ok(Value::Array(out))
}

/// Equality as Python's JMESPath has it: numbers by value (`1 == 1.0`), never a boolean equal to
/// a number at the top, but inside lists and objects Python's own `==`, where `true == 1`.
fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Bool(_), Value::Number(_)) | (Value::Number(_), Value::Bool(_)) => false,
        _ => python_equal(a, b),
    }
}

fn python_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => number_cmp(x, y) == Some(Ordering::Equal),
        (Value::Bool(x), Value::Number(n)) | (Value::Number(n), Value::Bool(x)) => {
            n.as_f64() == Some(if *x { 1.0 } else { 0.0 })
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| python_equal(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| python_equal(v, w)))
        }
        _ => a == b,
    }
}

fn number_cmp(x: &Number, y: &Number) -> Option<Ordering> {
    match (x.as_i64(), y.as_i64()) {
        (Some(a), Some(b)) => Some(a.cmp(&b)),
        _ => x.as_f64()?.partial_cmp(&y.as_f64()?),
    }
}

fn compare(comparator: &Comparator, left: &Value, right: &Value) -> Result<Value, QueryError> {
    let ordering = match comparator {
        Comparator::Equal => return Ok(Value::Bool(equal(left, right))),
        Comparator::NotEqual => return Ok(Value::Bool(!equal(left, right))),
        _ => match (left, right) {
            (Value::Number(x), Value::Number(y)) => number_cmp(x, y),
            (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
            (Value::Number(_), Value::String(_)) | (Value::String(_), Value::Number(_)) => {
                return Err(QueryError::Evaluation(format!(
                    "a {} cannot be ordered against a {}",
                    type_name(left),
                    type_name(right)
                )));
            }
            _ => return Ok(Value::Null),
        },
    };
    let Some(ordering) = ordering else {
        return Ok(Value::Null);
    };
    Ok(Value::Bool(match comparator {
        Comparator::LessThan => ordering == Ordering::Less,
        Comparator::LessThanEqual => ordering != Ordering::Greater,
        Comparator::GreaterThan => ordering == Ordering::Greater,
        _ => ordering != Ordering::Less,
    }))
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// An argument of a function: a value, or an expression reference (`&expr`).
enum Arg<'a> {
    Value(Value),
    Expref(&'a Ast),
}

impl Arg<'_> {
    fn type_name(&self) -> &'static str {
        match self {
            Arg::Value(v) => type_name(v),
            Arg::Expref(_) => "expref",
        }
    }
}

fn type_error(function: &str, value: &Value, expected: &str) -> QueryError {
    QueryError::Evaluation(format!(
        "In function {function}(), invalid type for value: {}, expected one of: {expected}, received: \"{}\"",
        compact_json(value),
        type_name(value)
    ))
}

fn call(name: &str, args: &[Ast], value: &Value, depth: usize) -> Result<Value, QueryError> {
    let (arity, variadic) = match name {
        "abs" | "avg" | "ceil" | "floor" | "keys" | "length" | "reverse" | "sort" | "sum"
        | "to_array" | "to_number" | "to_string" | "type" | "values" | "max" | "min" => (1, false),
        "contains" | "ends_with" | "starts_with" | "join" | "map" | "max_by" | "min_by"
        | "sort_by" => (2, false),
        "merge" | "not_null" => (1, true),
        _ => {
            return Err(QueryError::Evaluation(format!(
                "Unknown function: {name}()"
            )));
        }
    };
    if (variadic && args.len() < arity) || (!variadic && args.len() != arity) {
        return Err(QueryError::Evaluation(format!(
            "Expected {}{arity} argument{} for function {name}(), received {}",
            if variadic { "at least " } else { "" },
            if arity == 1 { "" } else { "s" },
            args.len()
        )));
    }
    let mut values = Vec::with_capacity(args.len());
    for arg in args {
        values.push(match arg {
            Ast::Expref { ast, .. } => Arg::Expref(ast),
            other => Arg::Value(eval(other, value, depth)?),
        });
    }
    functions::call(name, values, depth)
}

mod functions {
    //! The built-in functions, their arguments already evaluated.

    use super::*;

    fn value<'a>(
        name: &str,
        args: &'a [Arg<'_>],
        i: usize,
        expected: &str,
    ) -> Result<&'a Value, QueryError> {
        match &args[i] {
            Arg::Value(v) => Ok(v),
            Arg::Expref(_) => Err(QueryError::Evaluation(format!(
                "In function {name}(), invalid type for value: an expression reference, expected one of: {expected}, received: \"expref\""
            ))),
        }
    }

    fn expref<'a>(name: &str, args: &[Arg<'a>], i: usize) -> Result<&'a Ast, QueryError> {
        match &args[i] {
            Arg::Expref(ast) => Ok(ast),
            Arg::Value(v) => Err(type_error(name, v, "['expref']")),
        }
    }

    fn number(name: &str, v: &Value) -> Result<Number, QueryError> {
        match v {
            Value::Number(n) => Ok(n.clone()),
            other => Err(type_error(name, other, "['number']")),
        }
    }

    fn string<'a>(name: &str, v: &'a Value) -> Result<&'a str, QueryError> {
        v.as_str().ok_or_else(|| type_error(name, v, "['string']"))
    }

    fn array<'a>(name: &str, v: &'a Value, expected: &str) -> Result<&'a [Value], QueryError> {
        v.as_array()
            .map(Vec::as_slice)
            .ok_or_else(|| type_error(name, v, expected))
    }

    fn float_value(f: f64) -> Value {
        Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or(Value::Null)
    }

    /// An integer when the float is whole and fits, as Python's `math.ceil`/`floor` give.
    fn whole(f: f64) -> Value {
        if f.fract() == 0.0 && f.abs() < 9.0e18 {
            Value::from(f as i64)
        } else {
            float_value(f)
        }
    }

    /// Numbers all, or strings all: the element type of `max`, `min` and `sort`.
    fn homogeneous<'a>(name: &str, items: &'a [Value]) -> Result<&'a [Value], QueryError> {
        let expected = "['array-number', 'array-string']";
        let first_is_number = match items.first() {
            None => return Ok(items),
            Some(Value::Number(_)) => true,
            Some(Value::String(_)) => false,
            Some(other) => return Err(type_error(name, other, expected)),
        };
        for item in items {
            if item.is_number() != first_is_number || !(item.is_number() || item.is_string()) {
                return Err(type_error(name, item, expected));
            }
        }
        Ok(items)
    }

    /// Orders two numbers or two strings.
    fn order(a: &Value, b: &Value) -> Ordering {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => number_cmp(x, y).unwrap_or(Ordering::Equal),
            (Value::String(x), Value::String(y)) => x.cmp(y),
            _ => Ordering::Equal,
        }
    }

    /// The keys `ast` gives the items, all numbers or all strings (`kinds` says which are
    /// allowed; `sort_by` also wants them all of the first key's kind).
    fn keys(
        name: &str,
        items: &[Value],
        ast: &Ast,
        depth: usize,
        same_kind: bool,
    ) -> Result<Vec<Value>, QueryError> {
        let mut keys = Vec::with_capacity(items.len());
        for item in items {
            let key = eval(ast, item, depth)?;
            let allowed = match (same_kind, keys.first()) {
                (true, Some(Value::Number(_))) => key.is_number(),
                (true, Some(_)) => key.is_string(),
                _ => key.is_number() || key.is_string(),
            };
            if !allowed {
                return Err(type_error(name, &key, "['number', 'string']"));
            }
            if let Some(first) = keys.first() {
                if !same_kind && first.is_number() != key.is_number() {
                    return Err(QueryError::Evaluation(format!(
                        "In function {name}(), a {} key cannot be ordered against a {} one",
                        type_name(&key),
                        type_name(first)
                    )));
                }
            }
            keys.push(key);
        }
        Ok(keys)
    }

    pub(super) fn call(name: &str, args: Vec<Arg<'_>>, depth: usize) -> Result<Value, QueryError> {
        let any = "[]";
        Ok(match name {
            "abs" => {
                let n = number(name, value(name, &args, 0, "['number']")?)?;
                if let Some(i) = n.as_i64() {
                    Value::from(i.unsigned_abs())
                } else if n.is_u64() {
                    Value::Number(n)
                } else {
                    float_value(n.as_f64().unwrap_or(0.0).abs())
                }
            }
            "avg" => {
                let items = array(
                    name,
                    value(name, &args, 0, "['array-number']")?,
                    "['array-number']",
                )?;
                let mut sum = 0.0;
                for item in items {
                    sum += number(name, item)?.as_f64().unwrap_or(0.0);
                }
                if items.is_empty() {
                    Value::Null
                } else {
                    float_value(sum / items.len() as f64)
                }
            }
            "ceil" | "floor" => {
                let n = number(name, value(name, &args, 0, "['number']")?)?;
                if n.is_i64() || n.is_u64() {
                    Value::Number(n)
                } else {
                    let f = n.as_f64().unwrap_or(0.0);
                    whole(if name == "ceil" { f.ceil() } else { f.floor() })
                }
            }
            "contains" => {
                let expected = "['array', 'string']";
                let subject = value(name, &args, 0, expected)?;
                let search = value(name, &args, 1, any)?;
                match subject {
                    Value::Array(items) => {
                        Value::Bool(items.iter().any(|item| python_equal(item, search)))
                    }
                    Value::String(s) => match search {
                        Value::String(needle) => Value::Bool(s.contains(needle.as_str())),
                        other => {
                            return Err(QueryError::Evaluation(format!(
                                "In function contains(), a string can only contain a string, not {}",
                                compact_json(other)
                            )));
                        }
                    },
                    other => return Err(type_error(name, other, expected)),
                }
            }
            "ends_with" | "starts_with" => {
                let subject = string(name, value(name, &args, 0, "['string']")?)?;
                let affix = string(name, value(name, &args, 1, "['string']")?)?;
                Value::Bool(if name == "ends_with" {
                    subject.ends_with(affix)
                } else {
                    subject.starts_with(affix)
                })
            }
            "join" => {
                let separator = string(name, value(name, &args, 0, "['string']")?)?;
                let items = array(
                    name,
                    value(name, &args, 1, "['array-string']")?,
                    "['array-string']",
                )?;
                let mut parts = Vec::with_capacity(items.len());
                for item in items {
                    parts.push(
                        item.as_str()
                            .ok_or_else(|| type_error(name, item, "['array-string']"))?,
                    );
                }
                Value::String(parts.join(separator))
            }
            "keys" | "values" => match value(name, &args, 0, "['object']")? {
                Value::Object(members) => Value::Array(if name == "keys" {
                    members.keys().cloned().map(Value::String).collect()
                } else {
                    members.values().cloned().collect()
                }),
                other => return Err(type_error(name, other, "['object']")),
            },
            "length" => match value(name, &args, 0, "['string', 'array', 'object']")? {
                Value::String(s) => Value::from(s.chars().count()),
                Value::Array(items) => Value::from(items.len()),
                Value::Object(members) => Value::from(members.len()),
                other => return Err(type_error(name, other, "['string', 'array', 'object']")),
            },
            "map" => {
                let ast = expref(name, &args, 0)?;
                let items = array(name, value(name, &args, 1, "['array']")?, "['array']")?;
                let mut mapped = Vec::with_capacity(items.len());
                for item in items {
                    mapped.push(eval(ast, item, depth)?);
                }
                Value::Array(mapped)
            }
            "max" | "min" => {
                let expected = "['array-number', 'array-string']";
                let items = homogeneous(
                    name,
                    array(name, value(name, &args, 0, expected)?, expected)?,
                )?;
                let mut best: Option<&Value> = None;
                for item in items {
                    let better = match best {
                        None => true,
                        Some(b) if name == "max" => order(item, b) == Ordering::Greater,
                        Some(b) => order(item, b) == Ordering::Less,
                    };
                    if better {
                        best = Some(item);
                    }
                }
                best.cloned().unwrap_or(Value::Null)
            }
            "max_by" | "min_by" => {
                let items = array(name, value(name, &args, 0, "['array']")?, "['array']")?;
                let ast = expref(name, &args, 1)?;
                let keys = keys(name, items, ast, depth, false)?;
                let mut best: Option<usize> = None;
                for (i, key) in keys.iter().enumerate() {
                    let better = match best {
                        None => true,
                        Some(b) if name == "max_by" => order(key, &keys[b]) == Ordering::Greater,
                        Some(b) => order(key, &keys[b]) == Ordering::Less,
                    };
                    if better {
                        best = Some(i);
                    }
                }
                best.map(|i| items[i].clone()).unwrap_or(Value::Null)
            }
            "merge" => {
                let mut merged = Map::new();
                for i in 0..args.len() {
                    match value(name, &args, i, "['object']")? {
                        Value::Object(members) => {
                            for (k, v) in members {
                                merged.insert(k.clone(), v.clone());
                            }
                        }
                        other => return Err(type_error(name, other, "['object']")),
                    }
                }
                Value::Object(merged)
            }
            "not_null" => {
                let mut found = Value::Null;
                for i in 0..args.len() {
                    let v = value(name, &args, i, any)?;
                    if !v.is_null() {
                        found = v.clone();
                        break;
                    }
                }
                found
            }
            "reverse" => match value(name, &args, 0, "['array', 'string']")? {
                Value::String(s) => Value::String(s.chars().rev().collect()),
                Value::Array(items) => Value::Array(items.iter().rev().cloned().collect()),
                other => return Err(type_error(name, other, "['array', 'string']")),
            },
            "sort" => {
                let expected = "['array-string', 'array-number']";
                let items = homogeneous(
                    name,
                    array(name, value(name, &args, 0, expected)?, expected)?,
                )?;
                let mut sorted = items.to_vec();
                sorted.sort_by(order);
                Value::Array(sorted)
            }
            "sort_by" => {
                let items = array(name, value(name, &args, 0, "['array']")?, "['array']")?;
                let ast = expref(name, &args, 1)?;
                let keys = keys(name, items, ast, depth, true)?;
                let mut order_of: Vec<usize> = (0..items.len()).collect();
                order_of.sort_by(|&a, &b| order(&keys[a], &keys[b]));
                Value::Array(order_of.into_iter().map(|i| items[i].clone()).collect())
            }
            "sum" => {
                let items = array(
                    name,
                    value(name, &args, 0, "['array-number']")?,
                    "['array-number']",
                )?;
                let mut int_sum: Option<i64> = Some(0);
                let mut float_sum = 0.0;
                for item in items {
                    let n = number(name, item)?;
                    int_sum = match (int_sum, n.as_i64()) {
                        (Some(s), Some(i)) => s.checked_add(i),
                        _ => None,
                    };
                    float_sum += n.as_f64().unwrap_or(0.0);
                }
                int_sum
                    .map(Value::from)
                    .unwrap_or_else(|| float_value(float_sum))
            }
            "to_array" => match value(name, &args, 0, any)? {
                Value::Array(items) => Value::Array(items.clone()),
                other => Value::Array(vec![other.clone()]),
            },
            "to_number" => match value(name, &args, 0, any)? {
                Value::Number(n) => Value::Number(n.clone()),
                Value::String(s) => to_number(s),
                _ => Value::Null,
            },
            "to_string" => match value(name, &args, 0, any)? {
                Value::String(s) => Value::String(s.clone()),
                other => Value::String(compact_json(other)),
            },
            "type" => Value::String(args[0].type_name().to_owned()),
            _ => {
                return Err(QueryError::Evaluation(format!(
                    "Unknown function: {name}()"
                )));
            }
        })
    }

    /// A string read as Python's `int`, else `float`, else null.
    fn to_number(s: &str) -> Value {
        let trimmed = s.trim();
        let digits = trimmed
            .strip_prefix(['+', '-'])
            .unwrap_or(trimmed)
            .replace('_', "");
        if !digits.is_empty()
            && digits.chars().all(|c| c.is_ascii_digit())
            && !trimmed.contains("__")
        {
            if let Ok(i) = trimmed.replace('_', "").parse::<i64>() {
                return Value::from(i);
            }
        }
        match trimmed.to_ascii_lowercase().as_str() {
            "nan" | "+nan" | "-nan" | "inf" | "+inf" | "-inf" | "infinity" | "+infinity"
            | "-infinity" => {
                return Value::Null;
            }
            _ => {}
        }
        trimmed
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Value::Number)
            .unwrap_or(Value::Null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn search(expression: &str, value: Value) -> Value {
        Query::parse(expression).unwrap().search(&value).unwrap()
    }

    #[test]
    fn projections_keep_order_and_drop_nulls() {
        let data = json!({"a": [{"z": 1, "y": 2}, {"y": 3}, {"z": null}]});
        assert_eq!(search("a[].z", data.clone()), json!([1]));
        assert_eq!(
            search("a[0]", data.clone())
                .as_object()
                .unwrap()
                .keys()
                .collect::<Vec<_>>(),
            ["z", "y"]
        );
        assert_eq!(search("keys(a[0])", data.clone()), json!(["z", "y"]));
        assert_eq!(search("a[?y > `2`].y", data.clone()), json!([3]));
        assert_eq!(
            search("a[*].{Y: y, Z: z}", data),
            json!([{"Y": 2, "Z": 1}, {"Y": 3, "Z": null}, {"Y": null, "Z": null}])
        );
    }

    #[test]
    fn slices_follow_python() {
        let data = json!([0, 1, 2, 3, 4, 5]);
        assert_eq!(search("[::2]", data.clone()), json!([0, 2, 4]));
        assert_eq!(search("[::-1]", data.clone()), json!([5, 4, 3, 2, 1, 0]));
        assert_eq!(search("[-2:]", data.clone()), json!([4, 5]));
        assert_eq!(search("[4:1:-2]", data.clone()), json!([4, 2]));
        assert_eq!(search("[10:]", data), json!([]));
    }

    #[test]
    fn functions_answer_as_python_does() {
        assert_eq!(search("ceil(`1.5`)", json!(null)), json!(2));
        assert_eq!(search("avg(`[1, 2]`)", json!(null)), json!(1.5));
        assert_eq!(search("sum(`[1, 2]`)", json!(null)), json!(3));
        assert_eq!(search("to_number('12')", json!(null)), json!(12));
        assert_eq!(search("to_number('1.5e3')", json!(null)), json!(1500.0));
        assert_eq!(
            search("to_string(@)", json!({"k": "é"})),
            json!("{\"k\":\"\\u00e9\"}")
        );
        assert_eq!(
            search(
                "sort_by(@, &n)[].id",
                json!([{"n": 2, "id": "a"}, {"n": 1, "id": "b"}, {"n": 2, "id": "c"}])
            ),
            json!(["b", "a", "c"])
        );
        assert_eq!(
            search(
                "max_by(@, &n).id",
                json!([{"n": 2, "id": "a"}, {"n": 2, "id": "c"}])
            ),
            json!("a")
        );
        assert_eq!(
            search(
                "merge(`{\"a\": 1}`, `{\"b\": 2}`, `{\"a\": 3}`)",
                json!(null)
            ),
            json!({"a": 3, "b": 2})
        );
        assert_eq!(
            search("not_null(x, y, `5`)", json!({"y": false})),
            json!(false)
        );
        assert_eq!(search("`true` == `1`", json!(null)), json!(false));
        assert_eq!(search("`1` == `1.0`", json!(null)), json!(true));
        assert_eq!(search("`[true]` == `[1]`", json!(null)), json!(true));
        assert_eq!(
            search("contains(`[1, 2]`, `true`)", json!(null)),
            json!(true)
        );
        assert_eq!(search("'b' > 'a'", json!(null)), json!(true));
        assert_eq!(search("`[1]` < `2`", json!(null)), json!(null));
        assert_eq!(search("!`0`", json!(null)), json!(false));
    }

    #[test]
    fn legacy_literals_that_are_not_json_are_strings() {
        let data = json!([{"State": "running", "Id": "a"}, {"State": "stopped", "Id": "b"}]);
        assert_eq!(search("[?State==`running`].Id", data.clone()), json!(["a"]));
        assert_eq!(
            search("[?State==`\"running\"`].Id", data.clone()),
            json!(["a"])
        );
        assert_eq!(search("join(`, `, [*].Id)", data.clone()), json!("a, b"));
        assert_eq!(search("`[1, 2]`", data.clone()), json!([1, 2]));
        assert_eq!(search("'`raw`'", data.clone()), json!("`raw`"));
        assert_eq!(search("`a\\`b`", data), json!("a`b"));
        assert_eq!(legacy_literals("foo"), "foo");
        assert_eq!(search("`{bad`", json!(null)), json!("{bad"));
        assert!(Query::parse("`a\"b`").is_err());
    }

    #[test]
    fn bad_expressions_and_bad_arguments_are_errors() {
        let err = Query::parse("GlobalClusters[").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("Bad value for --query GlobalClusters[: "),
            "{err}"
        );
        let err = Query::parse("length(@)")
            .unwrap()
            .search(&json!(5))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "In function length(), invalid type for value: 5, expected one of: ['string', 'array', 'object'], received: \"number\""
        );
        let err = Query::parse("nope(@)")
            .unwrap()
            .search(&json!(5))
            .unwrap_err();
        assert_eq!(err.to_string(), "Unknown function: nope()");
        let err = Query::parse("length(@, @)")
            .unwrap()
            .search(&json!(5))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "Expected 1 argument for function length(), received 2"
        );
    }
}
