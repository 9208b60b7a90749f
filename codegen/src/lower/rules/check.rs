//! Checking a decoded rule set: the names in scope and the type of every expression, following
//! the rules engine's static typing. What it returns is typed ([`Expr`]); what it refuses
//! is an error naming the service and the place in the rule set.

use serde_json::Value;

use super::RULE_SET;
use super::syntax::ExprDef;
use crate::Error;
use crate::ir::rules::*;
use crate::naming;

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

/// The state of checking one rule set: the variables in scope.
pub(super) struct Checker<'a> {
    service: &'a str,
    next_id: usize,
    /// Variables in scope, innermost last: the rule set's name and the variable.
    scope: Vec<(String, Var)>,
}

impl<'a> Checker<'a> {
    /// A checker with nothing in scope, for the rule set of `service`.
    pub(super) fn new(service: &'a str) -> Self {
        Checker {
            service,
            next_id: 0,
            scope: Vec::new(),
        }
    }

    /// An error at `at`, a place in the rule set (`rules[1].conditions[0]`), naming the service.
    pub(super) fn error(&self, at: &str, what: impl std::fmt::Display) -> Error {
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

    /// A new variable, unique even where names are shadowed.
    pub(super) fn var(&mut self, name: String, ty: Type, owned: bool) -> Var {
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

    /// Brings `var` into scope under the rule set's `name`.
    pub(super) fn bind(&mut self, name: String, var: Var) {
        self.scope.push((name, var));
    }

    /// How many variables are in scope, to [`Self::leave`] back to.
    pub(super) fn mark(&self) -> usize {
        self.scope.len()
    }

    /// Forgets the variables bound since `mark`.
    pub(super) fn leave(&mut self, mark: usize) {
        self.scope.truncate(mark);
    }

    /// The rule-set name of a variable in scope.
    pub(super) fn rule_name(&self, var: &Var) -> String {
        self.scope
            .iter()
            .rev()
            .find(|(_, v)| v.id == var.id)
            .map(|(n, _)| n.clone())
            .unwrap_or_default()
    }

    /// Checks an `assign` name: an identifier that names nothing in scope, here or in Rust.
    pub(super) fn new_variable(&self, name: &str, at: &str) -> Result<(String, String), Error> {
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

    // -----------------------------------------------------------------------------------------
    // Expressions
    // -----------------------------------------------------------------------------------------

    /// A value that must be a string: a template, a reference or a function call.
    pub(super) fn string_value(&mut self, value: &ExprDef, at: &str) -> Result<Expr, Error> {
        let expr = self.argument(value, at)?;
        self.expect(&expr, &Type::String, at, "the value")?;
        Ok(expr)
    }

    /// An argument: a template string, a boolean, an integer, a reference or a function call.
    fn argument(&mut self, value: &ExprDef, at: &str) -> Result<Expr, Error> {
        match value {
            ExprDef::Str(s) => self.template(s, at),
            ExprDef::Bool(b) => Ok(Expr::Bool(*b)),
            ExprDef::Int(n) => usize::try_from(*n)
                .map(Expr::Int)
                .map_err(|_| self.error(at, format!("`{n}` is not a non-negative integer"))),
            ExprDef::Ref(name) => self.reference(name, at),
            ExprDef::Call { function, argv } => self.call(function, argv, at),
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

    /// A call of `name`, whose arguments are checked and typed.
    pub(super) fn call(&mut self, name: &str, argv: &[ExprDef], at: &str) -> Result<Expr, Error> {
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

    fn get_attr(&mut self, argv: &[ExprDef], at: &str) -> Result<Expr, Error> {
        let target = self.argument(&argv[0], &format!("{at}.argv[0]"))?;
        let ExprDef::Str(path) = &argv[1] else {
            return Err(self.error(at, "the path of `getAttr` must be a string literal"));
        };
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
    pub(super) fn template(&self, text: &str, at: &str) -> Result<Expr, Error> {
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

/// A parameter or variable name: a letter, then letters and digits.
pub(super) fn check_identifier(name: &str) -> Result<(), String> {
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

pub(super) fn param_type_name(ty: ParamType) -> &'static str {
    match ty {
        ParamType::String => "string",
        ParamType::Boolean => "boolean",
        ParamType::StringArray => "list of strings",
    }
}

/// A parameter value of type `ty` (a default, or a test case's), or what is wrong with it.
pub(super) fn param_value(ty: ParamType, value: &Value) -> Result<ParamValue, String> {
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
