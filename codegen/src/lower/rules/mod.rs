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
//!
//! Three stages, each in its module: [`syntax`] decodes the rule set's JSON with serde (its
//! structure); [`check`] owns the scope and gives every expression its meaning (names resolved to
//! variables in scope, types checked, with errors at their place); [`lowering`] walks the rule
//! tree and decides how it runs (parameters as fields, each condition an `if`, an `if let` or a
//! `let`, bindings nothing reads dropped, which parameters the rules use), asking the checker for
//! every value and binding. [`cases`] reads the test cases.

mod cases;
mod check;
mod lowering;
mod syntax;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use super::decode::decode;
use crate::Error;
use crate::ir::rules::*;

use check::Checker;
use lowering::{Lowering, rule_uses};

const RULE_SET: &str = "smithy.rules#endpointRuleSet";
const TESTS: &str = "smithy.rules#endpointTests";

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
        check: Checker::new(service_id),
    };
    let rule_set: syntax::RuleSet =
        decode(&rule_set).map_err(|problem| lowering.check.error("", problem))?;
    let params = lowering.params(&rule_set.parameters)?;
    let rules = lowering.rules(&rule_set.rules, "rules")?;
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
    let tests = cases::tests(service_id, traits, &params)?;
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
