//! The client crate's `src/endpoint.rs` (the endpoint rules as Rust: `Params` and `resolve`) and
//! `tests/endpoint_tests.rs` (one test per `smithy.rules#endpointTests` case).
//!
//! Both files define nothing that could shadow the prelude (no model types live there), so the
//! code they hold uses `Option`, `Result`, `String` and `format!` by their short names.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{crate_docs, doc_attrs};
use crate::ir::Service;
use crate::ir::rules::*;
use crate::naming::ident;

/// `src/endpoint.rs` of the client crate.
pub fn module(service: &Service) -> TokenStream {
    let rules = &service.endpoint_rules;
    let source = if rules.synthesized {
        "The model has no `smithy.rules#endpointRuleSet`, so these are the usual regional rules: a \
         custom endpoint if one is set, else `https://{prefix}.{region}.{suffix}` (`{prefix}-fips` \
         for FIPS; the partition's dual-stack suffix for dual-stack)."
            .to_owned()
    } else {
        String::from("They are compiled from the model's `smithy.rules#endpointRuleSet`.")
    };
    let docs = crate_docs(&format!(
        "Endpoint resolution: [`resolve`] chooses the endpoint for [`Params`], following the \
         endpoint rules of {}. {source}\n\n\
         The client builds the parameters from its configuration ([`Params::from_builtins`]) and \
         resolves once, when it is created.",
        service.sdk_id
    ));
    let emitter = Emitter::new(rules);
    let params = emitter.params_struct();
    let resolve = emitter.resolve();
    let document = emitter.uses_document.then(|| {
        quote!(
            pub use ::awsquery::endpoint::Document;
        )
    });
    let lib = emitter.uses_library.then(|| {
        quote!(
            use ::awsquery::endpoint as lib;
        )
    });
    quote! {
        #docs
        pub use ::awsquery::endpoint::{BuiltIns, Endpoint, EndpointError};
        #document
        #lib
        #params
        #resolve
    }
}

/// `tests/endpoint_tests.rs`, or `None` when the model has no test cases.
pub fn tests(service: &Service) -> Option<TokenStream> {
    let rules = &service.endpoint_rules;
    if rules.tests.is_empty() {
        return None;
    }
    let client = ident(&service.crates.client.ident);
    let docs = crate_docs(
        "Endpoint rule tests: each case of the model's `smithy.rules#endpointTests` resolves its \
         parameters and compares the endpoint (URL, headers and properties) or the error message.",
    );
    let uses_document = rules.tests.iter().any(
        |t| matches!(&t.expect, Expectation::Endpoint { properties, .. } if !properties.is_empty()),
    );
    let document = uses_document.then(|| quote!(Document,));
    let tests = rules.tests.iter().map(|test| test_fn(rules, test));
    Some(quote! {
        #docs
        use ::#client::endpoint::{#document Endpoint, Params, resolve};
        #(#tests)*
    })
}

fn test_fn(rules: &EndpointRules, test: &EndpointTest) -> TokenStream {
    let name = ident(&test.fn_name);
    let docs = doc_attrs(test.docs.as_deref());
    let setters = test.params.iter().map(|(field, value)| {
        let param = rules
            .params
            .iter()
            .find(|p| &p.field == field)
            .expect("lowering checked the parameter names");
        let setter = ident(&param.setter);
        let value = match value {
            ParamValue::String(s) => quote!(#s),
            ParamValue::Bool(b) => quote!(#b),
            ParamValue::Array(items) if items.is_empty() => {
                quote!(Vec::<String>::new())
            }
            ParamValue::Array(items) => quote!([#(#items),*]),
        };
        quote!(.#setter(#value))
    });
    let check = match &test.expect {
        Expectation::Endpoint {
            url,
            headers,
            properties,
        } => {
            let headers = headers.iter().flat_map(|(name, values)| {
                values
                    .iter()
                    .map(move |value| quote!(.with_header(#name, #value)))
            });
            let properties = properties.iter().map(|(name, value)| {
                let value = expected_property(value);
                quote!(.with_property(#name, #value))
            });
            quote! {
                let expected = Endpoint::new(#url) #(#headers)* #(#properties)*;
                let endpoint = resolve(&params).expect("the rules give an endpoint");
                assert_eq!(endpoint, expected);
            }
        }
        Expectation::Error(message) => quote! {
            let error = resolve(&params).expect_err("the rules end in an error");
            assert_eq!(error.message(), #message);
        },
    };
    quote! {
        #docs
        #[test]
        fn #name() {
            let params = Params::default() #(#setters)*;
            #check
        }
    }
}

fn expected_property(value: &ExpectedProperty) -> TokenStream {
    match value {
        ExpectedProperty::String(s) => quote!(Document::from(#s)),
        ExpectedProperty::Bool(b) => quote!(Document::from(#b)),
        ExpectedProperty::Array(items) => {
            let items = items.iter().map(expected_property);
            quote!(Document::array([#(#items),*]))
        }
        ExpectedProperty::Object(entries) => {
            let entries = entries.iter().map(|(k, v)| {
                let v = expected_property(v);
                quote!((#k, #v))
            });
            quote!(Document::object([#(#entries),*]))
        }
    }
}

struct Emitter<'r> {
    rules: &'r EndpointRules,
    /// Some rule calls a runtime library function.
    uses_library: bool,
    /// Some endpoint has a list or map property.
    uses_document: bool,
}

impl<'r> Emitter<'r> {
    fn new(rules: &'r EndpointRules) -> Self {
        let mut emitter = Emitter {
            rules,
            uses_library: false,
            uses_document: false,
        };
        for rule in &rules.rules {
            emitter.scan(rule);
        }
        emitter
    }

    /// Notes which imports the resolver needs.
    fn scan(&mut self, rule: &Rule) {
        for condition in &rule.conditions {
            match condition {
                Condition::Test(e)
                | Condition::Bind { expr: e, .. }
                | Condition::Let { expr: e, .. } => self.scan_expr(e),
            }
        }
        match &rule.body {
            RuleBody::Endpoint(endpoint) => {
                self.scan_expr(&endpoint.url);
                for value in endpoint.headers.iter().flat_map(|(_, v)| v) {
                    self.scan_expr(value);
                }
                for (_, property) in &endpoint.properties {
                    self.scan_property(property, true);
                }
            }
            RuleBody::Error(message) => self.scan_expr(message),
            RuleBody::Tree(rules) => rules.iter().for_each(|r| self.scan(r)),
        }
    }

    fn scan_property(&mut self, property: &Property, top: bool) {
        match property {
            Property::String(e) => {
                self.uses_document |= !top;
                self.scan_expr(e);
            }
            Property::Bool(_) => self.uses_document |= !top,
            Property::Array(items) => {
                self.uses_document = true;
                items.iter().for_each(|p| self.scan_property(p, false));
            }
            Property::Object(entries) => {
                self.uses_document = true;
                entries
                    .iter()
                    .for_each(|(_, p)| self.scan_property(p, false));
            }
        }
    }

    fn scan_expr(&mut self, expr: &Expr) {
        match expr {
            Expr::Str(_) | Expr::Bool(_) | Expr::Int(_) | Expr::Var(_) => {}
            Expr::Template(parts) => {
                for part in parts {
                    if let TemplatePart::Value(v) = part {
                        self.scan_expr(v);
                    }
                }
            }
            Expr::IsSet(e) | Expr::Not(e) => self.scan_expr(e),
            Expr::BooleanEquals(a, b) | Expr::StringEquals(a, b) => {
                self.scan_expr(a);
                self.scan_expr(b);
            }
            Expr::GetAttr { target, .. } => self.scan_expr(target),
            Expr::Call(_, args) => {
                self.uses_library = true;
                args.iter().for_each(|a| self.scan_expr(a));
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Params
    // -----------------------------------------------------------------------------------------

    fn params_struct(&self) -> TokenStream {
        let params = &self.rules.params;
        let fields = params.iter().map(|p| {
            let name = ident(&p.field);
            let ty = field_type(p);
            let docs = doc_attrs(Some(&param_docs(p)));
            quote! { #docs pub #name: #ty, }
        });
        let zero_defaults = params.iter().all(|p| match &p.default {
            None => true,
            Some(ParamValue::Bool(b)) => !b,
            Some(ParamValue::String(s)) => s.is_empty(),
            Some(ParamValue::Array(items)) => items.is_empty(),
        });
        let (derive_default, default_impl) = if zero_defaults {
            (quote!(Default,), TokenStream::new())
        } else {
            let values = params.iter().map(|p| {
                let name = ident(&p.field);
                let value = match &p.default {
                    None => quote!(None),
                    Some(value) => param_value(value),
                };
                quote!(#name: #value,)
            });
            (
                TokenStream::new(),
                quote! {
                    impl Default for Params {
                        fn default() -> Self {
                            Params { #(#values)* }
                        }
                    }
                },
            )
        };
        let setters = params.iter().map(|p| {
            let name = ident(&p.field);
            let setter = ident(&p.setter);
            let docs = doc_attrs(Some(&format!("Sets `{}`.", p.name)));
            let wrap = |v: TokenStream| {
                if p.optional() { quote!(Some(#v)) } else { v }
            };
            match p.ty {
                ParamType::String => {
                    let value = wrap(quote!(value.into()));
                    quote! {
                        #docs
                        pub fn #setter(mut self, value: impl Into<String>) -> Self {
                            self.#name = #value;
                            self
                        }
                    }
                }
                ParamType::Boolean => {
                    let value = wrap(quote!(value));
                    quote! {
                        #docs
                        pub fn #setter(mut self, value: bool) -> Self {
                            self.#name = #value;
                            self
                        }
                    }
                }
                ParamType::StringArray => {
                    let value = wrap(quote!(values.into_iter().map(Into::into).collect()));
                    quote! {
                        #docs
                        pub fn #setter<S: Into<String>>(
                            mut self,
                            values: impl IntoIterator<Item = S>,
                        ) -> Self {
                            self.#name = #value;
                            self
                        }
                    }
                }
            }
        });
        let from_builtins = self.builtins_constructor();
        quote! {
            /// The endpoint rules' parameters. Start from `Params::default()` and set what applies.
            #[derive(Debug, Clone, PartialEq, Eq, #derive_default)]
            #[non_exhaustive]
            pub struct Params {
                #(#fields)*
            }

            #default_impl

            impl Params {
                #from_builtins
                #(#setters)*
            }
        }
    }

    fn builtins_constructor(&self) -> TokenStream {
        let params = &self.rules.params;
        let known: Vec<TokenStream> = params
            .iter()
            .filter_map(|p| {
                let built_in = p.built_in?;
                let name = ident(&p.field);
                let source = match built_in {
                    BuiltIn::Region => quote!(builtins.region.clone()),
                    BuiltIn::Endpoint => quote!(builtins.endpoint.clone()),
                    BuiltIn::UseFips => quote!(builtins.use_fips),
                    BuiltIn::UseDualStack => quote!(builtins.use_dual_stack),
                    BuiltIn::UseGlobalEndpoint => quote!(builtins.use_global_endpoint),
                };
                let optional_source = matches!(built_in, BuiltIn::Region | BuiltIn::Endpoint);
                let value = match (optional_source, p.optional(), &p.default) {
                    (true, true, _) | (false, false, _) => source,
                    (false, true, _) => quote!(Some(#source)),
                    (true, false, Some(default)) => {
                        let default = param_value(default);
                        quote!(#source.unwrap_or_else(|| #default))
                    }
                    (true, false, None) => unreachable!("a parameter without default is optional"),
                };
                Some(quote!(#name: #value,))
            })
            .collect();
        let rest = (known.len() < params.len()).then(|| quote!(..Params::default()));
        let others: Vec<String> = params
            .iter()
            .filter(|p| p.built_in.is_none())
            .map(|p| format!("`{}`", p.name))
            .collect();
        let note = if others.is_empty() {
            String::new()
        } else {
            format!(" The others ({}) keep their defaults.", others.join(", "))
        };
        let docs = doc_attrs(Some(&format!(
            "The parameters a client sets from its configuration: those bound to the built-ins \
             `AWS::Region`, `AWS::UseFIPS`, `AWS::UseDualStack`, `SDK::Endpoint` and \
             `AWS::STS::UseGlobalEndpoint`.{note}"
        )));
        let builtins = if known.is_empty() {
            quote!(_builtins)
        } else {
            quote!(builtins)
        };
        quote! {
            #docs
            pub fn from_builtins(#builtins: &BuiltIns) -> Self {
                Params { #(#known)* #rest }
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // resolve
    // -----------------------------------------------------------------------------------------

    fn resolve(&self) -> TokenStream {
        let params = &self.rules.params;
        let read: Vec<&Param> = params.iter().filter(|p| p.used || p.required).collect();
        let names = read.iter().map(|p| ident(&p.field));
        let rest = (read.len() < params.len()).then(|| quote!(..));
        let (argument, destructure) = if read.is_empty() {
            (quote!(_params), TokenStream::new())
        } else {
            (
                quote!(params),
                quote!(let Params { #(#names,)* #rest } = params;),
            )
        };
        let reads = read.iter().map(|p| read_param(p));
        let body = self.rule_list(&self.rules.rules, true);
        let docs = doc_attrs(Some(
            "Chooses the endpoint for `params`, or the error the rules give for them.",
        ));
        quote! {
            #docs
            pub fn resolve(#argument: &Params) -> Result<Endpoint, EndpointError> {
                #destructure
                #(#reads)*
                #body
            }
        }
    }

    /// Rules in order; each ends resolution when it matches. In tail position the last value is the
    /// function's result; elsewhere it is returned.
    fn rule_list(&self, rules: &[Rule], tail: bool) -> TokenStream {
        let mut out = TokenStream::new();
        for rule in rules {
            let ends = rule.always_ends();
            out.extend(self.rule(rule, tail && ends));
            if ends {
                // Rules after one that always ends are never reached.
                return out;
            }
        }
        out.extend(if tail {
            quote!(Err(EndpointError::no_rule_matched()))
        } else {
            quote!(return Err(EndpointError::no_rule_matched());)
        });
        out
    }

    fn rule(&self, rule: &Rule, tail: bool) -> TokenStream {
        let ret = |value: TokenStream| {
            if tail { value } else { quote!(return #value;) }
        };
        let body = match &rule.body {
            RuleBody::Endpoint(endpoint) => {
                let endpoint = self.endpoint(endpoint);
                ret(quote!(Ok(#endpoint)))
            }
            RuleBody::Error(message) => {
                let message = self.string(message).0;
                ret(quote!(Err(EndpointError::rule(#message))))
            }
            RuleBody::Tree(rules) => self.rule_list(rules, tail),
        };
        self.guard(&rule.conditions, body)
    }

    /// `body` inside the conditions: runs of tests joined by `&&` in one `if`, `if let Some(..)`
    /// for bindings, `let` for values that are always there.
    fn guard(&self, conditions: &[Condition], body: TokenStream) -> TokenStream {
        let mut inner = body;
        let mut end = conditions.len();
        while end > 0 {
            match &conditions[end - 1] {
                Condition::Test(_) => {
                    let mut start = end - 1;
                    while start > 0 && matches!(conditions[start - 1], Condition::Test(_)) {
                        start -= 1;
                    }
                    let tests = conditions[start..end].iter().map(|c| match c {
                        Condition::Test(e) => self.test(e),
                        _ => unreachable!("a run of tests"),
                    });
                    inner = quote!(if #(#tests)&&* { #inner });
                    end = start;
                }
                Condition::Bind { var, expr } => {
                    let name = ident(&var.name);
                    let value = self.value(expr);
                    inner = quote!(if let Some(#name) = #value { #inner });
                    end -= 1;
                }
                Condition::Let { var, expr } => {
                    let name = ident(&var.name);
                    let value = self.value(expr);
                    inner = quote!(let #name = #value; #inner);
                    end -= 1;
                }
            }
        }
        inner
    }

    fn endpoint(&self, endpoint: &EndpointValue) -> TokenStream {
        let url = self.string(&endpoint.url).0;
        let headers = endpoint.headers.iter().flat_map(|(name, values)| {
            values.iter().map(move |value| {
                let value = self.string(value).0;
                quote!(.with_header(#name, #value))
            })
        });
        let properties = endpoint.properties.iter().map(|(name, value)| {
            let value = match value {
                Property::String(e) => self.string(e).0,
                Property::Bool(b) => quote!(#b),
                other => self.document(other),
            };
            quote!(.with_property(#name, #value))
        });
        quote!(Endpoint::new(#url) #(#headers)* #(#properties)*)
    }

    fn document(&self, property: &Property) -> TokenStream {
        match property {
            Property::String(e) => {
                let e = self.string(e).0;
                quote!(Document::from(#e))
            }
            Property::Bool(b) => quote!(Document::from(#b)),
            Property::Array(items) => {
                let items = items.iter().map(|p| self.document(p));
                quote!(Document::array([#(#items),*]))
            }
            Property::Object(entries) => {
                let entries = entries.iter().map(|(k, v)| {
                    let v = self.document(v);
                    quote!((#k, #v))
                });
                quote!(Document::object([#(#entries),*]))
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Expressions
    // -----------------------------------------------------------------------------------------

    /// A boolean expression for an `if`; comparisons come out bare (`a == b`).
    fn test(&self, expr: &Expr) -> TokenStream {
        self.boolean(expr).0
    }

    /// A boolean expression, and whether it is a comparison (which needs parentheses as an operand).
    fn boolean(&self, expr: &Expr) -> (TokenStream, bool) {
        match expr {
            Expr::Bool(b) => (quote!(#b), false),
            Expr::IsSet(inner) => {
                let inner = self.value(inner);
                (quote!(#inner.is_some()), false)
            }
            Expr::Not(inner) => self.negation(inner),
            Expr::BooleanEquals(a, b) => match (&**a, &**b) {
                (other, Expr::Bool(true)) | (Expr::Bool(true), other) => self.boolean(other),
                (other, Expr::Bool(false)) | (Expr::Bool(false), other) => self.negation(other),
                _ => {
                    let a = self.operand(a);
                    let b = self.operand(b);
                    (quote!(#a == #b), true)
                }
            },
            Expr::StringEquals(a, b) => self.string_comparison(a, b, false),
            _ => (self.value(expr), false),
        }
    }

    /// `!expr`, written the simplest way.
    fn negation(&self, expr: &Expr) -> (TokenStream, bool) {
        match expr {
            Expr::Bool(b) => {
                let b = !b;
                (quote!(#b), false)
            }
            Expr::Not(inner) => self.boolean(inner),
            Expr::IsSet(inner) => {
                let inner = self.value(inner);
                (quote!(#inner.is_none()), false)
            }
            Expr::BooleanEquals(a, b) => match (&**a, &**b) {
                (other, Expr::Bool(true)) | (Expr::Bool(true), other) => self.negation(other),
                (other, Expr::Bool(false)) | (Expr::Bool(false), other) => self.boolean(other),
                _ => {
                    let a = self.operand(a);
                    let b = self.operand(b);
                    (quote!(#a != #b), true)
                }
            },
            Expr::StringEquals(a, b) => self.string_comparison(a, b, true),
            _ => {
                let value = self.value(expr);
                (quote!(!#value), false)
            }
        }
    }

    /// A boolean operand of `==`: parenthesized when it is itself a comparison.
    fn operand(&self, expr: &Expr) -> TokenStream {
        match self.boolean(expr) {
            (tokens, true) => quote!((#tokens)),
            (tokens, false) => tokens,
        }
    }

    fn string_comparison(&self, a: &Expr, b: &Expr, negated: bool) -> (TokenStream, bool) {
        // The literal goes on the right; an empty one is `is_empty`.
        let (a, b) = if matches!(a, Expr::Str(_)) && !matches!(b, Expr::Str(_)) {
            (b, a)
        } else {
            (a, b)
        };
        let left = self.string(a).0;
        if matches!(b, Expr::Str(s) if s.is_empty()) {
            return if negated {
                (quote!(!#left.is_empty()), false)
            } else {
                (quote!(#left.is_empty()), false)
            };
        }
        let right = self.string(b).0;
        if negated {
            (quote!(#left != #right), true)
        } else {
            (quote!(#left == #right), true)
        }
    }

    /// A string expression, and whether it is an owned `String` (else a `&str`).
    fn string(&self, expr: &Expr) -> (TokenStream, bool) {
        match expr {
            Expr::Str(s) => (quote!(#s), false),
            Expr::Template(parts) => (self.format(parts), true),
            Expr::Var(var) if var.owned => {
                let name = ident(&var.name);
                (quote!(#name.as_str()), false)
            }
            Expr::Call(Function::UriEncode, _) => (self.value(expr), true),
            _ => (self.value(expr), false),
        }
    }

    /// A string argument of a runtime function: always a `&str`.
    fn str_argument(&self, expr: &Expr) -> TokenStream {
        match self.string(expr) {
            (tokens, true) => quote!(&#tokens),
            (tokens, false) => tokens,
        }
    }

    /// `format!` for a template: plain variables inline (`{region}`), other values as arguments.
    fn format(&self, parts: &[TemplatePart]) -> TokenStream {
        let mut text = String::new();
        let mut args = Vec::new();
        for part in parts {
            match part {
                TemplatePart::Text(t) => text.push_str(&t.replace('{', "{{").replace('}', "}}")),
                TemplatePart::Value(Expr::Var(var)) if !var.name.starts_with("r#") => {
                    text.push('{');
                    text.push_str(&var.name);
                    text.push('}');
                }
                TemplatePart::Value(value) => {
                    text.push_str("{}");
                    args.push(self.string(value).0);
                }
            }
        }
        let text = Literal::string(&text);
        quote!(format!(#text #(, #args)*))
    }

    /// Any expression as its natural Rust value: `&str` for strings (`String` for templates and
    /// `uriEncode`), `bool`, `Option<…>`, or the runtime's `Partition`, `Url`, `Arn`.
    fn value(&self, expr: &Expr) -> TokenStream {
        match expr {
            Expr::Str(_) | Expr::Template(_) => self.string(expr).0,
            Expr::Bool(_)
            | Expr::IsSet(_)
            | Expr::Not(_)
            | Expr::BooleanEquals(..)
            | Expr::StringEquals(..) => self.boolean(expr).0,
            Expr::Int(i) => {
                let i = Literal::usize_unsuffixed(*i);
                quote!(#i)
            }
            Expr::Var(var) => {
                let name = ident(&var.name);
                quote!(#name)
            }
            Expr::GetAttr { target, path, .. } => {
                let mut out = self.value(target);
                for step in path {
                    out = match step {
                        AttrStep::Field(method) => {
                            let method = ident(method);
                            quote!(#out.#method())
                        }
                        AttrStep::Index(0) => {
                            quote!(#out.first().map(String::as_str))
                        }
                        AttrStep::Index(i) => {
                            let i = Literal::usize_unsuffixed(*i);
                            quote!(#out.get(#i).map(String::as_str))
                        }
                    };
                }
                out
            }
            Expr::Call(function, args) => {
                let name = ident(function.rust_name());
                let args = args.iter().map(|arg| match arg.ty() {
                    Type::String => self.str_argument(arg),
                    Type::Bool => self.boolean(arg).0,
                    _ => self.value(arg),
                });
                quote!(lib::#name(#(#args),*))
            }
        }
    }
}

/// The field type of a parameter.
fn field_type(p: &Param) -> TokenStream {
    let ty = match p.ty {
        ParamType::String => quote!(String),
        ParamType::Boolean => quote!(bool),
        ParamType::StringArray => quote!(Vec<String>),
    };
    if p.optional() {
        quote!(Option<#ty>)
    } else {
        ty
    }
}

fn param_value(value: &ParamValue) -> TokenStream {
    match value {
        ParamValue::String(s) => quote!(String::from(#s)),
        ParamValue::Bool(b) => quote!(#b),
        ParamValue::Array(items) => quote!(vec![#(String::from(#items)),*]),
    }
}

/// A field's documentation: the rule set's, then where the client takes the value from, the default,
/// and whether it is required.
fn param_docs(p: &Param) -> String {
    let mut text = p.docs.clone().unwrap_or_default().trim().to_owned();
    let mut notes = Vec::new();
    match (&p.built_in, &p.built_in_name) {
        (Some(built_in), Some(name)) => {
            let from = match built_in {
                BuiltIn::Region => "the configured region",
                BuiltIn::UseFips => "the configuration's FIPS setting",
                BuiltIn::UseDualStack => "the configuration's dual-stack setting",
                BuiltIn::Endpoint => "the configured endpoint URL",
                BuiltIn::UseGlobalEndpoint => "the configuration's STS global endpoint setting",
            };
            notes.push(format!("The client sets it from {from} (`{name}`)."));
        }
        (None, Some(name)) => notes.push(format!(
            "Bound to the built-in `{name}`, which this client does not supply."
        )),
        _ => {}
    }
    match &p.default {
        Some(ParamValue::String(s)) => notes.push(format!("Default: `{s:?}`.")),
        Some(ParamValue::Bool(b)) => notes.push(format!("Default: `{b}`.")),
        Some(ParamValue::Array(items)) => notes.push(format!("Default: `{items:?}`.")),
        None if p.required => {
            notes.push(String::from("Required: resolving without it is an error."))
        }
        None => {}
    }
    if let Some(deprecated) = &p.deprecated {
        notes.push(format!("Deprecated: {}.", deprecated.note()));
    }
    let notes = notes.join(" ");
    if text.is_empty() {
        text = notes;
    } else if !notes.is_empty() {
        text = format!("{text}\n\n{notes}");
    }
    format!("{text}\n\nRule set parameter `{}`.", p.name)
}

/// Reads a parameter into the variable the rules use: `&str` for strings, `bool`, `&[String]`,
/// each in an `Option` when the parameter has no default; a required one must be present.
fn read_param(p: &Param) -> TokenStream {
    let name = ident(&p.field);
    let access = match (p.ty, p.optional()) {
        (ParamType::Boolean, _) => quote!(*#name),
        (ParamType::String, true) | (ParamType::StringArray, true) => quote!(#name.as_deref()),
        (ParamType::String, false) => quote!(#name.as_str()),
        (ParamType::StringArray, false) => quote!(#name.as_slice()),
    };
    let param_name = &p.name;
    match (p.required, p.used) {
        (true, true) => quote! {
            let Some(#name) = #access else {
                return Err(EndpointError::missing_parameter(#param_name));
            };
        },
        (true, false) => quote! {
            if #name.is_none() {
                return Err(EndpointError::missing_parameter(#param_name));
            }
        },
        (false, _) => quote!(let #name = #access;),
    }
}
