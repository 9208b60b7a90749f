//! Endpoint rules: the service's `smithy.rules#endpointRuleSet` and `smithy.rules#endpointTests`,
//! checked and lowered into typed rules (see [`crate::ir::rules`]).
//!
//! Checking follows the rules engine's static typing: every function is known and gets arguments of
//! its types, every reference names a parameter or an earlier `assign` in scope, an optional value is
//! used only where `isSet` or an `assign` has proved it present, templates are well formed and only
//! hold strings, and `getAttr` paths exist. What fails is a generation error naming the service and
//! the place in the rule set (`rules[1].rules[0].conditions[2]`).
//!
//! A model without a rule set gets the usual regional one, built here from the endpoint prefix.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use crate::Error;
use crate::ir::Deprecated;
use crate::ir::rules::*;
use crate::naming;

const RULE_SET: &str = "smithy.rules#endpointRuleSet";
const TESTS: &str = "smithy.rules#endpointTests";

/// The functions this generator compiles, as the rule sets name them.
const FUNCTIONS: &[&str] = &[
    "isSet",
    "not",
    "booleanEquals",
    "stringEquals",
    "getAttr",
    "parseURL",
    "substring",
    "uriEncode",
    "isValidHostLabel",
    "aws.partition",
    "aws.parseArn",
    "aws.isVirtualHostableS3Bucket",
];

/// The service's endpoint rules and test cases; the regional default when the model has none.
pub(super) fn endpoint_rules(
    service_id: &str,
    traits: &BTreeMap<String, Value>,
    endpoint_prefix: &str,
) -> Result<EndpointRules, Error> {
    let (rule_set, synthesized) = match traits.get(RULE_SET) {
        Some(value) => (value.clone(), false),
        None => (default_rule_set(endpoint_prefix), true),
    };
    let mut lowering = Lowering {
        service: service_id,
        next_id: 0,
        scope: Vec::new(),
    };
    let object = rule_set
        .as_object()
        .ok_or_else(|| lowering.error("", "the rule set is not an object"))?;
    let params = lowering.params(object.get("parameters"))?;
    let rules_value = object
        .get("rules")
        .ok_or_else(|| lowering.error("", "the rule set has no `rules`"))?;
    let rules = lowering.rules(rules_value, "rules")?;
    let mut used = BTreeSet::new();
    for rule in &rules {
        rule_uses(rule, &mut used);
    }
    let params = params
        .into_iter()
        .map(|param| Param {
            used: used.contains(&param.var.id),
            ..param
        })
        .collect::<Vec<_>>();
    let tests = match traits.get(TESTS) {
        Some(value) => tests(service_id, value, &params)?,
        None => Vec::new(),
    };
    Ok(EndpointRules {
        params,
        rules,
        tests,
        synthesized,
    })
}

/// The usual regional rules, for a model without any: a custom endpoint if set (never with FIPS or
/// dual-stack), else `https://{prefix}[-fips].{Region}.{suffix}` with the partition's regular or
/// dual-stack DNS suffix, where the partition offers what is asked for.
fn default_rule_set(prefix: &str) -> Value {
    let flag = |name: &str| json!({ "fn": "booleanEquals", "argv": [{ "ref": name }, true] });
    let supports = |attr: &str| {
        json!({
            "fn": "booleanEquals",
            "argv": [{ "fn": "getAttr", "argv": [{ "ref": "PartitionResult" }, attr] }, true]
        })
    };
    let endpoint =
        |url: String| json!({ "type": "endpoint", "conditions": [], "endpoint": { "url": url } });
    let error = |message: &str| json!({ "type": "error", "conditions": [], "error": message });
    json!({
        "version": "1.0",
        "parameters": {
            "Region": {
                "type": "String",
                "builtIn": "AWS::Region",
                "documentation": "The region to send requests to."
            },
            "UseFIPS": {
                "type": "Boolean",
                "builtIn": "AWS::UseFIPS",
                "required": true,
                "default": false,
                "documentation": "Whether to use a FIPS endpoint."
            },
            "UseDualStack": {
                "type": "Boolean",
                "builtIn": "AWS::UseDualStack",
                "required": true,
                "default": false,
                "documentation": "Whether to use a dual-stack (IPv4 and IPv6) endpoint."
            },
            "Endpoint": {
                "type": "String",
                "builtIn": "SDK::Endpoint",
                "documentation": "A URL to use instead of the regional endpoint."
            }
        },
        "rules": [
            {
                "type": "tree",
                "conditions": [{ "fn": "isSet", "argv": [{ "ref": "Endpoint" }] }],
                "rules": [
                    { "type": "error", "conditions": [flag("UseFIPS")],
                      "error": "a custom endpoint cannot be combined with FIPS" },
                    { "type": "error", "conditions": [flag("UseDualStack")],
                      "error": "a custom endpoint cannot be combined with dual-stack" },
                    { "type": "endpoint", "conditions": [], "endpoint": { "url": { "ref": "Endpoint" } } }
                ]
            },
            {
                "type": "tree",
                "conditions": [
                    { "fn": "isSet", "argv": [{ "ref": "Region" }] },
                    { "fn": "aws.partition", "argv": [{ "ref": "Region" }], "assign": "PartitionResult" }
                ],
                "rules": [
                    {
                        "type": "tree",
                        "conditions": [flag("UseFIPS"), flag("UseDualStack")],
                        "rules": [
                            {
                                "type": "endpoint",
                                "conditions": [supports("supportsFIPS"), supports("supportsDualStack")],
                                "endpoint": { "url": format!("https://{prefix}-fips.{{Region}}.{{PartitionResult#dualStackDnsSuffix}}") }
                            },
                            error("the partition has no endpoints that are both FIPS and dual-stack")
                        ]
                    },
                    {
                        "type": "tree",
                        "conditions": [flag("UseFIPS")],
                        "rules": [
                            {
                                "type": "endpoint",
                                "conditions": [supports("supportsFIPS")],
                                "endpoint": { "url": format!("https://{prefix}-fips.{{Region}}.{{PartitionResult#dnsSuffix}}") }
                            },
                            error("the partition has no FIPS endpoints")
                        ]
                    },
                    {
                        "type": "tree",
                        "conditions": [flag("UseDualStack")],
                        "rules": [
                            {
                                "type": "endpoint",
                                "conditions": [supports("supportsDualStack")],
                                "endpoint": { "url": format!("https://{prefix}.{{Region}}.{{PartitionResult#dualStackDnsSuffix}}") }
                            },
                            error("the partition has no dual-stack endpoints")
                        ]
                    },
                    endpoint(format!("https://{prefix}.{{Region}}.{{PartitionResult#dnsSuffix}}"))
                ]
            },
            error("no region is configured, and no custom endpoint")
        ]
    })
}

/// The state of lowering one rule set.
struct Lowering<'a> {
    service: &'a str,
    next_id: usize,
    /// Variables in scope, innermost last: the rule set's name and the variable.
    scope: Vec<(String, Var)>,
}

impl Lowering<'_> {
    fn error(&self, at: &str, what: impl std::fmt::Display) -> Error {
        let place = if at.is_empty() {
            String::new()
        } else {
            format!(" at `{at}`")
        };
        Error::shape(
            self.service,
            format!(
                "has an endpoint rule set (`{RULE_SET}`) that cannot be compiled{place}: {what}"
            ),
        )
    }

    fn var(&mut self, name: String, ty: Type, owned: bool) -> Var {
        self.next_id += 1;
        Var {
            id: self.next_id,
            name,
            ty,
            owned,
        }
    }

    fn lookup(&self, name: &str) -> Option<&Var> {
        self.scope
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    // -----------------------------------------------------------------------------------------
    // Parameters
    // -----------------------------------------------------------------------------------------

    fn params(&mut self, value: Option<&Value>) -> Result<Vec<Param>, Error> {
        let Some(value) = value else {
            return Ok(Vec::new());
        };
        let object = value
            .as_object()
            .ok_or_else(|| self.error("parameters", "`parameters` is not an object"))?;
        let mut names: Vec<&String> = object.keys().collect();
        names.sort();
        let mut fields = BTreeMap::new();
        let mut out = Vec::new();
        for name in names {
            let at = format!("parameters.{name}");
            let param = self.param(name, &object[name.as_str()], &at)?;
            if let Some(other) = fields.insert(param.field.clone(), name.clone()) {
                return Err(self.error(
                    &at,
                    format!(
                        "parameters `{other}` and `{name}` both become the Rust field `{}`",
                        param.field
                    ),
                ));
            }
            self.scope.push((name.clone(), param.var.clone()));
            out.push(param);
        }
        Ok(out)
    }

    fn param(&mut self, name: &str, value: &Value, at: &str) -> Result<Param, Error> {
        check_identifier(name).map_err(|e| self.error(at, e))?;
        let object = value
            .as_object()
            .ok_or_else(|| self.error(at, "the parameter is not an object"))?;
        let text = |key: &str| -> Result<Option<String>, Error> {
            match object.get(key) {
                None => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(other) => Err(self.error(at, format!("`{key}` is not a string: `{other}`"))),
            }
        };
        let ty = match text("type")?.map(|t| t.to_ascii_lowercase()).as_deref() {
            Some("string") => ParamType::String,
            Some("boolean") => ParamType::Boolean,
            Some("stringarray") => ParamType::StringArray,
            Some(other) => {
                return Err(self.error(
                    at,
                    format!("the type `{other}` is not `String`, `Boolean` or `stringArray`"),
                ));
            }
            None => return Err(self.error(at, "the parameter has no `type`")),
        };
        let required = match object.get("required") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                return Err(self.error(at, format!("`required` is not a boolean: `{other}`")));
            }
        };
        let default = match object.get("default") {
            None => None,
            Some(v) => {
                Some(param_value(ty, v).map_err(|e| self.error(at, format!("the default {e}")))?)
            }
        };
        let built_in_name = text("builtIn")?;
        let built_in = match built_in_name.as_deref() {
            Some("AWS::Region") => Some((BuiltIn::Region, ParamType::String)),
            Some("AWS::UseFIPS") => Some((BuiltIn::UseFips, ParamType::Boolean)),
            Some("AWS::UseDualStack") => Some((BuiltIn::UseDualStack, ParamType::Boolean)),
            Some("SDK::Endpoint") => Some((BuiltIn::Endpoint, ParamType::String)),
            _ => None,
        };
        if let Some((_, expected)) = built_in {
            if expected != ty {
                return Err(self.error(
                    at,
                    format!(
                        "the built-in `{}` is a {}, but the parameter is a {}",
                        built_in_name.as_deref().unwrap_or_default(),
                        param_type_name(expected),
                        param_type_name(ty)
                    ),
                ));
            }
        }
        let deprecated = match object.get("deprecated") {
            None => None,
            Some(Value::Object(d)) => Some(Deprecated {
                message: d.get("message").and_then(Value::as_str).map(str::to_owned),
                since: d.get("since").and_then(Value::as_str).map(str::to_owned),
            }),
            Some(other) => {
                return Err(self.error(at, format!("`deprecated` is not an object: `{other}`")));
            }
        };
        let value_type = match ty {
            ParamType::String => Type::String,
            ParamType::Boolean => Type::Bool,
            ParamType::StringArray => Type::StringArray,
        };
        let var_type = if default.is_some() || required {
            value_type
        } else {
            Type::Option(Box::new(value_type))
        };
        let field = naming::field(name);
        let docs = text("documentation")?;
        let var = self.var(field.clone(), var_type, false);
        Ok(Param {
            name: name.to_owned(),
            setter: naming::prefixed("with", &field),
            field,
            ty,
            built_in: built_in.map(|(b, _)| b),
            built_in_name,
            required: required && default.is_none(),
            default,
            docs,
            deprecated,
            var,
            used: false,
        })
    }

    // -----------------------------------------------------------------------------------------
    // Rules
    // -----------------------------------------------------------------------------------------

    fn rules(&mut self, value: &Value, at: &str) -> Result<Vec<Rule>, Error> {
        let items = value
            .as_array()
            .ok_or_else(|| self.error(at, "`rules` is not a list"))?;
        if items.is_empty() {
            return Err(self.error(at, "`rules` is empty; it needs at least one rule"));
        }
        items
            .iter()
            .enumerate()
            .map(|(i, rule)| self.rule(rule, &format!("{at}[{i}]")))
            .collect()
    }

    fn rule(&mut self, value: &Value, at: &str) -> Result<Rule, Error> {
        let object = value
            .as_object()
            .ok_or_else(|| self.error(at, "the rule is not an object"))?;
        let kind = object
            .get("type")
            .and_then(Value::as_str)
            .ok_or_else(|| self.error(at, "the rule has no string `type`"))?;
        let docs = object
            .get("documentation")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let mark = self.scope.len();
        let mut conditions = Vec::new();
        match object.get("conditions") {
            None => {}
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let condition = self.condition(item, &format!("{at}.conditions[{i}]"))?;
                    conditions.extend(condition);
                }
            }
            Some(_) => return Err(self.error(at, "`conditions` is not a list")),
        }
        let body = match kind {
            "endpoint" => {
                let endpoint = object
                    .get("endpoint")
                    .ok_or_else(|| self.error(at, "the endpoint rule has no `endpoint`"))?;
                RuleBody::Endpoint(self.endpoint(endpoint, &format!("{at}.endpoint"))?)
            }
            "error" => {
                let message = object
                    .get("error")
                    .ok_or_else(|| self.error(at, "the error rule has no `error`"))?;
                RuleBody::Error(self.string_value(message, &format!("{at}.error"))?)
            }
            "tree" => {
                let rules = object
                    .get("rules")
                    .ok_or_else(|| self.error(at, "the tree rule has no `rules`"))?;
                RuleBody::Tree(self.rules(rules, &format!("{at}.rules"))?)
            }
            other => {
                return Err(self.error(
                    at,
                    format!("the rule type `{other}` is not `endpoint`, `error` or `tree`"),
                ));
            }
        };
        self.scope.truncate(mark);
        Ok(Rule {
            docs,
            conditions: prune(conditions, &body),
            body,
        })
    }

    /// A condition: what it checks and what it binds; nothing for one that always holds and binds
    /// nothing.
    fn condition(&mut self, value: &Value, at: &str) -> Result<Vec<Condition>, Error> {
        let object = value
            .as_object()
            .filter(|o| o.contains_key("fn"))
            .ok_or_else(|| self.error(at, "a condition must be a function call (`fn`, `argv`)"))?;
        let expr = self.call(object, at)?;
        let assign = match object.get("assign") {
            None => None,
            Some(Value::String(name)) => Some(self.new_variable(name, at)?),
            Some(other) => {
                return Err(self.error(at, format!("`assign` is not a string: `{other}`")));
            }
        };
        if let (None, Expr::IsSet(inner)) = (&assign, &expr) {
            if let Expr::Var(old) = inner.as_ref() {
                return Ok(vec![self.narrow(old.clone())]);
            }
        }
        let ty = expr.ty();
        Ok(match (assign, ty) {
            (None, Type::Bool) if expr == Expr::Bool(true) => Vec::new(),
            (None, Type::Bool) => vec![Condition::Test(expr)],
            (None, Type::Option(_)) => vec![Condition::Test(Expr::IsSet(Box::new(expr)))],
            (None, _) => Vec::new(),
            (Some((name, rust)), Type::Bool) => {
                let var = self.var(rust, Type::Bool, false);
                self.scope.push((name, var.clone()));
                vec![
                    Condition::Test(expr),
                    Condition::Let {
                        var,
                        expr: Expr::Bool(true),
                    },
                ]
            }
            (Some((name, rust)), Type::Option(inner)) => {
                let var = self.var(rust, *inner, false);
                self.scope.push((name, var.clone()));
                vec![Condition::Bind { var, expr }]
            }
            (Some((name, rust)), ty) => {
                let owned = matches!(expr, Expr::Call(Function::UriEncode, _));
                let var = self.var(rust, ty, owned);
                self.scope.push((name, var.clone()));
                vec![Condition::Let { var, expr }]
            }
        })
    }

    /// `isSet` on a reference: below, the name stands for the present value.
    fn narrow(&mut self, optional: Var) -> Condition {
        let name = self.rule_name(&optional);
        let ty = optional
            .ty
            .inner()
            .cloned()
            .expect("`isSet` is only kept for optional values");
        let var = self.var(optional.name.clone(), ty, optional.owned);
        self.scope.push((name, var.clone()));
        Condition::Bind {
            var,
            expr: Expr::Var(optional),
        }
    }

    /// The rule-set name of a variable in scope.
    fn rule_name(&self, var: &Var) -> String {
        self.scope
            .iter()
            .rev()
            .find(|(_, v)| v.id == var.id)
            .map(|(n, _)| n.clone())
            .unwrap_or_default()
    }

    /// Checks an `assign` name: an identifier that names nothing in scope, here or in Rust.
    fn new_variable(&self, name: &str, at: &str) -> Result<(String, String), Error> {
        check_identifier(name).map_err(|e| self.error(at, format!("`assign`: {e}")))?;
        let rust = naming::field(name);
        if let Some((other, _)) = self.scope.iter().find(|(n, v)| n == name || v.name == rust) {
            return Err(self.error(
                at,
                if other == name {
                    format!("`assign` reuses the name `{name}`, which is already in scope")
                } else {
                    format!("`assign` `{name}` and `{other}`, in scope, both become the Rust name `{rust}`")
                },
            ));
        }
        Ok((name.to_owned(), rust))
    }

    fn endpoint(&mut self, value: &Value, at: &str) -> Result<EndpointValue, Error> {
        let object = value
            .as_object()
            .ok_or_else(|| self.error(at, "the endpoint is not an object"))?;
        let url = object
            .get("url")
            .ok_or_else(|| self.error(at, "the endpoint has no `url`"))?;
        let url = self.string_value(url, &format!("{at}.url"))?;
        let mut headers: BTreeMap<String, Vec<Expr>> = BTreeMap::new();
        if let Some(value) = object.get("headers") {
            let map = value
                .as_object()
                .ok_or_else(|| self.error(at, "`headers` is not an object"))?;
            for (name, values) in map {
                let at = format!("{at}.headers.{name}");
                if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic() && b != b':') {
                    return Err(self.error(&at, format!("`{name}` is not a header name")));
                }
                let items = values
                    .as_array()
                    .ok_or_else(|| self.error(&at, "a header's values must be a list"))?;
                let entry = headers.entry(name.to_ascii_lowercase()).or_default();
                for (i, item) in items.iter().enumerate() {
                    entry.push(self.string_value(item, &format!("{at}[{i}]"))?);
                }
            }
        }
        let properties = match object.get("properties") {
            None => Vec::new(),
            Some(Value::Object(map)) => self.property_entries(map, &format!("{at}.properties"))?,
            Some(_) => return Err(self.error(at, "`properties` is not an object")),
        };
        Ok(EndpointValue {
            url,
            headers: headers.into_iter().collect(),
            properties,
        })
    }

    fn property_entries(
        &mut self,
        map: &Map<String, Value>,
        at: &str,
    ) -> Result<Vec<(String, Property)>, Error> {
        let mut keys: Vec<&String> = map.keys().collect();
        keys.sort();
        keys.into_iter()
            .map(|k| {
                Ok((
                    k.clone(),
                    self.property(&map[k.as_str()], &format!("{at}.{k}"))?,
                ))
            })
            .collect()
    }

    fn property(&mut self, value: &Value, at: &str) -> Result<Property, Error> {
        Ok(match value {
            Value::String(s) => Property::String(self.template(s, at)?),
            Value::Bool(b) => Property::Bool(*b),
            Value::Array(items) => Property::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.property(item, &format!("{at}[{i}]")))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Object(map) => Property::Object(self.property_entries(map, at)?),
            other => {
                return Err(self.error(
                    at,
                    format!("a property holds strings, booleans, lists and maps, not `{other}`"),
                ));
            }
        })
    }

    // -----------------------------------------------------------------------------------------
    // Expressions
    // -----------------------------------------------------------------------------------------

    /// A value that must be a string: a template, a reference or a function call.
    fn string_value(&mut self, value: &Value, at: &str) -> Result<Expr, Error> {
        let expr = self.argument(value, at)?;
        self.expect(&expr, &Type::String, at, "the value")?;
        Ok(expr)
    }

    /// An argument: a template string, a boolean, an integer, a reference or a function call.
    fn argument(&mut self, value: &Value, at: &str) -> Result<Expr, Error> {
        match value {
            Value::String(s) => self.template(s, at),
            Value::Bool(b) => Ok(Expr::Bool(*b)),
            Value::Number(n) => n
                .as_u64()
                .and_then(|n| usize::try_from(n).ok())
                .map(Expr::Int)
                .ok_or_else(|| self.error(at, format!("`{n}` is not a non-negative integer"))),
            Value::Object(object) if object.contains_key("ref") => {
                let name = object["ref"]
                    .as_str()
                    .ok_or_else(|| self.error(at, "`ref` is not a string"))?;
                self.reference(name, at)
            }
            Value::Object(object) if object.contains_key("fn") => {
                if object.contains_key("assign") {
                    return Err(self.error(at, "only a condition can `assign`"));
                }
                self.call(object, at)
            }
            other => Err(self.error(
                at,
                format!("`{other}` is not a string, boolean, integer, reference or function call"),
            )),
        }
    }

    fn reference(&self, name: &str, at: &str) -> Result<Expr, Error> {
        self.lookup(name).cloned().map(Expr::Var).ok_or_else(|| {
            self.error(
                at,
                format!("`{name}` is neither a parameter nor a variable assigned in scope"),
            )
        })
    }

    fn call(&mut self, object: &Map<String, Value>, at: &str) -> Result<Expr, Error> {
        let name = object
            .get("fn")
            .and_then(Value::as_str)
            .ok_or_else(|| self.error(at, "`fn` is not a string"))?;
        let argv = object
            .get("argv")
            .and_then(Value::as_array)
            .ok_or_else(|| self.error(at, format!("the call of `{name}` has no `argv` list")))?;
        if !FUNCTIONS.contains(&name) {
            return Err(self.error(
                at,
                format!(
                    "unknown function `{name}` (this generator compiles {})",
                    FUNCTIONS.join(", ")
                ),
            ));
        }
        let arity = match name {
            "isSet" | "not" | "parseURL" | "uriEncode" | "aws.partition" | "aws.parseArn" => 1,
            "substring" => 4,
            _ => 2,
        };
        if argv.len() != arity {
            return Err(self.error(
                at,
                format!("`{name}` takes {arity} argument(s), not {}", argv.len()),
            ));
        }
        if name == "getAttr" {
            return self.get_attr(argv, at);
        }
        let mut args = Vec::with_capacity(arity);
        for (i, arg) in argv.iter().enumerate() {
            args.push(self.argument(arg, &format!("{at}.argv[{i}]"))?);
        }
        let ordinal = |i: usize| format!("argument {} of `{name}`", i + 1);
        let one = |args: Vec<Expr>| Box::new(args.into_iter().next().expect("arity checked"));
        Ok(match name {
            "isSet" => match args[0].ty() {
                Type::Option(_) => Expr::IsSet(one(args)),
                // A value that cannot be absent is always set.
                _ => Expr::Bool(true),
            },
            "not" => {
                self.expect(&args[0], &Type::Bool, at, &ordinal(0))?;
                match args[0] {
                    Expr::Bool(b) => Expr::Bool(!b),
                    _ => Expr::Not(one(args)),
                }
            }
            "booleanEquals" | "stringEquals" => {
                let ty = if name == "booleanEquals" {
                    Type::Bool
                } else {
                    Type::String
                };
                self.expect(&args[0], &ty, at, &ordinal(0))?;
                self.expect(&args[1], &ty, at, &ordinal(1))?;
                let mut args = args.into_iter();
                let (a, b) = (
                    Box::new(args.next().expect("arity checked")),
                    Box::new(args.next().expect("arity checked")),
                );
                if name == "booleanEquals" {
                    Expr::BooleanEquals(a, b)
                } else {
                    Expr::StringEquals(a, b)
                }
            }
            _ => {
                let (function, types): (Function, &[Type]) = match name {
                    "parseURL" => (Function::ParseUrl, &[Type::String]),
                    "substring" => (
                        Function::Substring,
                        &[Type::String, Type::Int, Type::Int, Type::Bool],
                    ),
                    "uriEncode" => (Function::UriEncode, &[Type::String]),
                    "isValidHostLabel" => (Function::IsValidHostLabel, &[Type::String, Type::Bool]),
                    "aws.partition" => (Function::Partition, &[Type::String]),
                    "aws.parseArn" => (Function::ParseArn, &[Type::String]),
                    _ => (
                        Function::IsVirtualHostableS3Bucket,
                        &[Type::String, Type::Bool],
                    ),
                };
                for (i, (arg, ty)) in args.iter().zip(types).enumerate() {
                    self.expect(arg, ty, at, &ordinal(i))?;
                }
                if function == Function::Substring {
                    if let (Expr::Int(start), Expr::Int(stop)) = (&args[1], &args[2]) {
                        if start >= stop {
                            return Err(self.error(
                                at,
                                format!("`substring` from {start} to {stop} is always empty"),
                            ));
                        }
                    }
                }
                Expr::Call(function, args)
            }
        })
    }

    fn get_attr(&mut self, argv: &[Value], at: &str) -> Result<Expr, Error> {
        let target = self.argument(&argv[0], &format!("{at}.argv[0]"))?;
        let path = argv[1]
            .as_str()
            .ok_or_else(|| self.error(at, "the path of `getAttr` must be a string literal"))?;
        self.attr(target, path, at)
    }

    /// `target#path`.
    fn attr(&self, target: Expr, path: &str, at: &str) -> Result<Expr, Error> {
        let (steps, ty) = attr_path(&target.ty(), path).map_err(|e| self.error(at, e))?;
        Ok(Expr::GetAttr {
            target: Box::new(target),
            path: steps,
            ty,
        })
    }

    fn expect(&self, expr: &Expr, expected: &Type, at: &str, what: &str) -> Result<(), Error> {
        let actual = expr.ty();
        if actual == *expected {
            return Ok(());
        }
        let hint = if actual.inner() == Some(expected) {
            "; prove it is set first, with `isSet` on it or an `assign` in an earlier condition"
        } else {
            ""
        };
        Err(self.error(
            at,
            format!(
                "{what} must be {}, but it is {}{hint}",
                type_name(expected),
                type_name(&actual)
            ),
        ))
    }

    /// A string that may hold `{name}` and `{name#path}` placeholders (`{{` and `}}` are literal
    /// braces). A template that is only one placeholder is that value itself.
    fn template(&self, text: &str, at: &str) -> Result<Expr, Error> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '{' if chars.next_if(|&(_, c)| c == '{').is_some() => literal.push('{'),
                '}' if chars.next_if(|&(_, c)| c == '}').is_some() => literal.push('}'),
                '{' => {
                    let rest = &text[i + 1..];
                    let end = rest
                        .find(['{', '}'])
                        .filter(|&e| rest[e..].starts_with('}'));
                    let Some(end) = end else {
                        return Err(self.error(
                            at,
                            format!("the template `{text}` has a `{{` without its `}}`"),
                        ));
                    };
                    let placeholder = &rest[..end];
                    let value = self.placeholder(placeholder, text, at)?;
                    if !literal.is_empty() {
                        parts.push(TemplatePart::Text(std::mem::take(&mut literal)));
                    }
                    parts.push(TemplatePart::Value(value));
                    let closing = i + 1 + end;
                    while chars.next_if(|&(j, _)| j <= closing).is_some() {}
                }
                '}' => {
                    return Err(self.error(
                        at,
                        format!("the template `{text}` has a `}}` without its `{{`"),
                    ));
                }
                c => literal.push(c),
            }
        }
        if !literal.is_empty() {
            parts.push(TemplatePart::Text(literal));
        }
        if parts.len() > 1 {
            return Ok(Expr::Template(parts));
        }
        Ok(match parts.pop() {
            None => Expr::Str(String::new()),
            Some(TemplatePart::Text(text)) => Expr::Str(text),
            Some(TemplatePart::Value(value)) => value,
        })
    }

    fn placeholder(&self, placeholder: &str, text: &str, at: &str) -> Result<Expr, Error> {
        let (name, path) = match placeholder.split_once('#') {
            Some((name, path)) => (name.trim(), Some(path.trim())),
            None => (placeholder.trim(), None),
        };
        if name.is_empty() {
            return Err(self.error(
                at,
                format!("the template `{text}` has an empty placeholder"),
            ));
        }
        let mut value = self.reference(name, at)?;
        if let Some(path) = path {
            value = self.attr(value, path, at)?;
        }
        self.expect(
            &value,
            &Type::String,
            at,
            &format!("`{{{placeholder}}}` in the template `{text}`"),
        )?;
        Ok(value)
    }
}

/// Drops what a rule never reads: an `assign` or `isSet` binding nothing uses becomes a plain test,
/// and a `let` nothing uses disappears.
fn prune(conditions: Vec<Condition>, body: &RuleBody) -> Vec<Condition> {
    let mut used = BTreeSet::new();
    body_uses(body, &mut used);
    let mut kept = Vec::with_capacity(conditions.len());
    for condition in conditions.into_iter().rev() {
        let condition = match condition {
            Condition::Bind { var, expr } if !used.contains(&var.id) => {
                Some(Condition::Test(Expr::IsSet(Box::new(expr))))
            }
            Condition::Let { var, .. } if !used.contains(&var.id) => None,
            other => Some(other),
        };
        if let Some(condition) = condition {
            condition_uses(&condition, &mut used);
            kept.push(condition);
        }
    }
    kept.reverse();
    kept
}

fn rule_uses(rule: &Rule, used: &mut BTreeSet<usize>) {
    for condition in &rule.conditions {
        condition_uses(condition, used);
    }
    body_uses(&rule.body, used);
}

fn condition_uses(condition: &Condition, used: &mut BTreeSet<usize>) {
    match condition {
        Condition::Test(expr) | Condition::Bind { expr, .. } | Condition::Let { expr, .. } => {
            expr_uses(expr, used)
        }
    }
}

fn body_uses(body: &RuleBody, used: &mut BTreeSet<usize>) {
    match body {
        RuleBody::Endpoint(endpoint) => {
            expr_uses(&endpoint.url, used);
            for value in endpoint.headers.iter().flat_map(|(_, values)| values) {
                expr_uses(value, used);
            }
            for (_, property) in &endpoint.properties {
                property_uses(property, used);
            }
        }
        RuleBody::Error(message) => expr_uses(message, used),
        RuleBody::Tree(rules) => {
            for rule in rules {
                rule_uses(rule, used);
            }
        }
    }
}

fn property_uses(property: &Property, used: &mut BTreeSet<usize>) {
    match property {
        Property::String(expr) => expr_uses(expr, used),
        Property::Bool(_) => {}
        Property::Array(items) => items.iter().for_each(|p| property_uses(p, used)),
        Property::Object(entries) => entries.iter().for_each(|(_, p)| property_uses(p, used)),
    }
}

fn expr_uses(expr: &Expr, used: &mut BTreeSet<usize>) {
    match expr {
        Expr::Str(_) | Expr::Bool(_) | Expr::Int(_) => {}
        Expr::Var(var) => {
            used.insert(var.id);
        }
        Expr::Template(parts) => {
            for part in parts {
                if let TemplatePart::Value(value) = part {
                    expr_uses(value, used);
                }
            }
        }
        Expr::IsSet(inner) | Expr::Not(inner) => expr_uses(inner, used),
        Expr::BooleanEquals(a, b) | Expr::StringEquals(a, b) => {
            expr_uses(a, used);
            expr_uses(b, used);
        }
        Expr::GetAttr { target, .. } => expr_uses(target, used),
        Expr::Call(_, args) => args.iter().for_each(|a| expr_uses(a, used)),
    }
}

/// A parameter or variable name: a letter, then letters and digits.
fn check_identifier(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric());
    if valid {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not a valid name (a letter, then letters and digits)"
        ))
    }
}

/// The steps and result type of `getAttr` path `path` on a value of type `ty`.
fn attr_path(ty: &Type, path: &str) -> Result<(Vec<AttrStep>, Type), String> {
    if path.is_empty() {
        return Err(String::from("the `getAttr` path is empty"));
    }
    let mut ty = ty.clone();
    let mut steps = Vec::new();
    let mut components = path.split('.').peekable();
    while let Some(component) = components.next() {
        let (key, index) = match component.find('[') {
            Some(open) => {
                let digits = component[open + 1..]
                    .strip_suffix(']')
                    .ok_or_else(|| format!("`{component}` in `{path}` does not end with `]`"))?;
                let index = digits
                    .parse::<usize>()
                    .map_err(|_| format!("`[{digits}]` in `{path}` is not an index"))?;
                (&component[..open], Some(index))
            }
            None => (component, None),
        };
        if !key.is_empty() {
            let (method, field_ty) = field(&ty, key).ok_or_else(|| {
                format!("{} has no attribute `{key}` (in `{path}`)", type_name(&ty))
            })?;
            steps.push(AttrStep::Field(method.to_owned()));
            ty = field_ty;
        } else if index.is_none() {
            return Err(format!("`{path}` has an empty part"));
        }
        if let Some(index) = index {
            if ty != Type::StringArray {
                return Err(format!(
                    "`[{index}]` in `{path}` indexes {}, not a list",
                    type_name(&ty)
                ));
            }
            if components.peek().is_some() {
                return Err(format!(
                    "an index must end the path, as in `{path}` it does not"
                ));
            }
            steps.push(AttrStep::Index(index));
            ty = Type::Option(Box::new(Type::String));
        }
    }
    Ok((steps, ty))
}

/// The accessor and type of attribute `key` of a value of type `ty`.
fn field(ty: &Type, key: &str) -> Option<(&'static str, Type)> {
    Some(match (ty, key) {
        (Type::Partition, "name") => ("name", Type::String),
        (Type::Partition, "dnsSuffix") => ("dns_suffix", Type::String),
        (Type::Partition, "dualStackDnsSuffix") => ("dual_stack_dns_suffix", Type::String),
        (Type::Partition, "implicitGlobalRegion") => ("implicit_global_region", Type::String),
        (Type::Partition, "supportsFIPS") => ("supports_fips", Type::Bool),
        (Type::Partition, "supportsDualStack") => ("supports_dual_stack", Type::Bool),
        (Type::Url, "scheme") => ("scheme", Type::String),
        (Type::Url, "authority") => ("authority", Type::String),
        (Type::Url, "path") => ("path", Type::String),
        (Type::Url, "normalizedPath") => ("normalized_path", Type::String),
        (Type::Url, "isIp") => ("is_ip", Type::Bool),
        (Type::Arn, "partition") => ("partition", Type::String),
        (Type::Arn, "service") => ("service", Type::String),
        (Type::Arn, "region") => ("region", Type::String),
        (Type::Arn, "accountId") => ("account_id", Type::String),
        (Type::Arn, "resourceId") => ("resource_id", Type::StringArray),
        _ => return None,
    })
}

/// `a string`, `an optional partition`, … for messages.
fn type_name(ty: &Type) -> String {
    match ty {
        Type::String => String::from("a string"),
        Type::Bool => String::from("a boolean"),
        Type::Int => String::from("an integer"),
        Type::StringArray => String::from("a list of strings"),
        Type::Partition => String::from("a partition"),
        Type::Url => String::from("a URL"),
        Type::Arn => String::from("an ARN"),
        Type::Option(inner) => {
            let inner = type_name(inner);
            let bare = inner
                .strip_prefix("an ")
                .or_else(|| inner.strip_prefix("a "))
                .unwrap_or(&inner);
            format!("an optional {bare}")
        }
    }
}

fn param_type_name(ty: ParamType) -> &'static str {
    match ty {
        ParamType::String => "string",
        ParamType::Boolean => "boolean",
        ParamType::StringArray => "list of strings",
    }
}

/// A parameter value of type `ty` (a default, or a test case's), or what is wrong with it.
fn param_value(ty: ParamType, value: &Value) -> Result<ParamValue, String> {
    let wrong = || format!("`{value}` is not a {}", param_type_name(ty));
    match (ty, value) {
        (ParamType::String, Value::String(s)) => Ok(ParamValue::String(s.clone())),
        (ParamType::Boolean, Value::Bool(b)) => Ok(ParamValue::Bool(*b)),
        (ParamType::StringArray, Value::Array(items)) => items
            .iter()
            .map(|item| item.as_str().map(str::to_owned).ok_or_else(wrong))
            .collect::<Result<_, _>>()
            .map(ParamValue::Array),
        _ => Err(wrong()),
    }
}

// ---------------------------------------------------------------------------------------------
// Test cases
// ---------------------------------------------------------------------------------------------

fn tests(service: &str, value: &Value, params: &[Param]) -> Result<Vec<EndpointTest>, Error> {
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
