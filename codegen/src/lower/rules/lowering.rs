//! Lowering a checked rule set into the IR: parameters become fields, each condition an `if`, an
//! `if let` or a `let`, and bindings nothing reads are dropped. Every value comes from the
//! [`Checker`], which has resolved its names and typed it.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::check::{Checker, check_identifier, param_type_name, param_value};
use super::syntax::{ConditionDef, EndpointDef, ParameterDef, RuleDef};
use crate::Error;
use crate::ir::Deprecated;
use crate::ir::rules::*;
use crate::naming;

/// The state of lowering one rule set.
pub(super) struct Lowering<'a> {
    /// The scope and the types.
    pub(super) check: Checker<'a>,
}

impl Lowering<'_> {
    // -----------------------------------------------------------------------------------------
    // Parameters
    // -----------------------------------------------------------------------------------------

    /// The parameters, sorted by name, each brought into scope.
    pub(super) fn params(
        &mut self,
        params: &BTreeMap<String, ParameterDef>,
    ) -> Result<Vec<Param>, Error> {
        let mut fields = BTreeMap::new();
        let mut out = Vec::new();
        for (name, def) in params {
            let at = format!("parameters.{name}");
            let param = self.param(name, def, &at)?;
            if let Some(other) = fields.insert(param.field.clone(), name.clone()) {
                return Err(self.check.error(
                    &at,
                    format!(
                        "parameters `{other}` and `{name}` both become the Rust field `{}`",
                        param.field
                    ),
                ));
            }
            self.check.bind(name.clone(), param.var.clone());
            out.push(param);
        }
        Ok(out)
    }

    fn param(&mut self, name: &str, def: &ParameterDef, at: &str) -> Result<Param, Error> {
        check_identifier(name).map_err(|e| self.check.error(at, e))?;
        let ty = match def.ty.as_ref().map(|t| t.to_ascii_lowercase()).as_deref() {
            Some("string") => ParamType::String,
            Some("boolean") => ParamType::Boolean,
            Some("stringarray") => ParamType::StringArray,
            Some(other) => {
                return Err(self.check.error(
                    at,
                    format!("the type `{other}` is not `String`, `Boolean` or `stringArray`"),
                ));
            }
            None => return Err(self.check.error(at, "the parameter has no `type`")),
        };
        let required = def.required;
        let default = match &def.default {
            None => None,
            Some(v) => Some(
                param_value(ty, v).map_err(|e| self.check.error(at, format!("the default {e}")))?,
            ),
        };
        let built_in_name = def.built_in.clone();
        let built_in = match built_in_name.as_deref() {
            Some("AWS::Region") => Some((BuiltIn::Region, ParamType::String)),
            Some("AWS::UseFIPS") => Some((BuiltIn::UseFips, ParamType::Boolean)),
            Some("AWS::UseDualStack") => Some((BuiltIn::UseDualStack, ParamType::Boolean)),
            Some("SDK::Endpoint") => Some((BuiltIn::Endpoint, ParamType::String)),
            Some("AWS::STS::UseGlobalEndpoint") => {
                Some((BuiltIn::UseGlobalEndpoint, ParamType::Boolean))
            }
            _ => None,
        };
        if let Some((_, expected)) = built_in {
            if expected != ty {
                return Err(self.check.error(
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
        let deprecated = def.deprecated.as_ref().map(|d| Deprecated {
            message: d.message.clone(),
            since: d.since.clone(),
        });
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
        let docs = def.documentation.clone();
        let var = self.check.var(field.clone(), var_type, false);
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

    pub(super) fn rules(&mut self, items: &[RuleDef], at: &str) -> Result<Vec<Rule>, Error> {
        if items.is_empty() {
            return Err(self
                .check
                .error(at, "`rules` is empty; it needs at least one rule"));
        }
        items
            .iter()
            .enumerate()
            .map(|(i, rule)| self.rule(rule, &format!("{at}[{i}]")))
            .collect()
    }

    fn rule(&mut self, rule: &RuleDef, at: &str) -> Result<Rule, Error> {
        let docs = rule.documentation.clone();
        let mark = self.check.mark();
        let mut conditions = Vec::new();
        for (i, item) in rule.conditions.iter().enumerate() {
            let condition = self.condition(item, &format!("{at}.conditions[{i}]"))?;
            conditions.extend(condition);
        }
        let body = match rule.kind.as_str() {
            "endpoint" => {
                let endpoint = rule
                    .endpoint
                    .as_ref()
                    .ok_or_else(|| self.check.error(at, "the endpoint rule has no `endpoint`"))?;
                RuleBody::Endpoint(self.endpoint(endpoint, &format!("{at}.endpoint"))?)
            }
            "error" => {
                let message = rule
                    .error
                    .as_ref()
                    .ok_or_else(|| self.check.error(at, "the error rule has no `error`"))?;
                RuleBody::Error(self.check.string_value(message, &format!("{at}.error"))?)
            }
            "tree" => {
                let rules = rule
                    .rules
                    .as_ref()
                    .ok_or_else(|| self.check.error(at, "the tree rule has no `rules`"))?;
                RuleBody::Tree(self.rules(rules, &format!("{at}.rules"))?)
            }
            other => {
                return Err(self.check.error(
                    at,
                    format!("the rule type `{other}` is not `endpoint`, `error` or `tree`"),
                ));
            }
        };
        self.check.leave(mark);
        Ok(Rule {
            docs,
            conditions: prune(conditions, &body),
            body,
        })
    }

    /// A condition: what it checks and what it binds; nothing for one that always holds and binds
    /// nothing.
    fn condition(&mut self, condition: &ConditionDef, at: &str) -> Result<Vec<Condition>, Error> {
        let expr = self.check.call(&condition.function, &condition.argv, at)?;
        let assign = match &condition.assign {
            None => None,
            Some(name) => Some(self.check.new_variable(name, at)?),
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
                let var = self.check.var(rust, Type::Bool, false);
                self.check.bind(name, var.clone());
                vec![
                    Condition::Test(expr),
                    Condition::Let {
                        var,
                        expr: Expr::Bool(true),
                    },
                ]
            }
            (Some((name, rust)), Type::Option(inner)) => {
                let var = self.check.var(rust, *inner, false);
                self.check.bind(name, var.clone());
                vec![Condition::Bind { var, expr }]
            }
            (Some((name, rust)), ty) => {
                let owned = matches!(expr, Expr::Call(Function::UriEncode, _));
                let var = self.check.var(rust, ty, owned);
                self.check.bind(name, var.clone());
                vec![Condition::Let { var, expr }]
            }
        })
    }

    /// `isSet` on a reference: below, the name stands for the present value.
    fn narrow(&mut self, optional: Var) -> Condition {
        let name = self.check.rule_name(&optional);
        let ty = optional
            .ty
            .inner()
            .cloned()
            .expect("`isSet` is only kept for optional values");
        let var = self.check.var(optional.name.clone(), ty, optional.owned);
        self.check.bind(name, var.clone());
        Condition::Bind {
            var,
            expr: Expr::Var(optional),
        }
    }

    fn endpoint(&mut self, endpoint: &EndpointDef, at: &str) -> Result<EndpointValue, Error> {
        let url = self
            .check
            .string_value(&endpoint.url, &format!("{at}.url"))?;
        let mut headers: BTreeMap<String, Vec<Expr>> = BTreeMap::new();
        for (name, items) in &endpoint.headers {
            let at = format!("{at}.headers.{name}");
            if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic() && b != b':') {
                return Err(self
                    .check
                    .error(&at, format!("`{name}` is not a header name")));
            }
            let entry = headers.entry(name.to_ascii_lowercase()).or_default();
            for (i, item) in items.iter().enumerate() {
                entry.push(self.check.string_value(item, &format!("{at}[{i}]"))?);
            }
        }
        let properties =
            self.property_entries(endpoint.properties.iter(), &format!("{at}.properties"))?;
        Ok(EndpointValue {
            url,
            headers: headers.into_iter().collect(),
            properties,
        })
    }

    /// Properties sorted by key (`entries` come sorted).
    fn property_entries<'v>(
        &mut self,
        entries: impl Iterator<Item = (&'v String, &'v Value)>,
        at: &str,
    ) -> Result<Vec<(String, Property)>, Error> {
        entries
            .map(|(k, v)| Ok((k.clone(), self.property(v, &format!("{at}.{k}"))?)))
            .collect()
    }

    fn property(&mut self, value: &Value, at: &str) -> Result<Property, Error> {
        Ok(match value {
            Value::String(s) => Property::String(self.check.template(s, at)?),
            Value::Bool(b) => Property::Bool(*b),
            Value::Array(items) => Property::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.property(item, &format!("{at}[{i}]")))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Object(map) => {
                // In key order, whatever order the JSON map keeps.
                let mut entries: Vec<(&String, &Value)> = map.iter().collect();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                Property::Object(self.property_entries(entries.into_iter(), at)?)
            }
            other => {
                return Err(self.check.error(
                    at,
                    format!("a property holds strings, booleans, lists and maps, not `{other}`"),
                ));
            }
        })
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

pub(super) fn rule_uses(rule: &Rule, used: &mut BTreeSet<usize>) {
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
