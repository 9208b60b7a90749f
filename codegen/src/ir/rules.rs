//! The lowered endpoint rule set: parameters, typed expressions and rules, with every Rust name and
//! every binding already decided, so that the emitter only prints `if`s, `let`s and `return`s.

use super::Deprecated;

/// A service's endpoint rules and their test cases.
#[derive(Debug, Clone)]
pub struct EndpointRules {
    /// Parameters, sorted by name.
    pub params: Vec<Param>,
    /// The top-level rules, in evaluation order.
    pub rules: Vec<Rule>,
    /// The `smithy.rules#endpointTests` cases.
    pub tests: Vec<EndpointTest>,
    /// Made up by the generator because the model has no `smithy.rules#endpointRuleSet`.
    pub synthesized: bool,
}

/// A rule set parameter, a field of the generated `Params`.
#[derive(Debug, Clone)]
pub struct Param {
    /// The name in the rule set (`UseFIPS`).
    pub name: String,
    /// The Rust field, also the variable the resolver reads it into (`use_fips`).
    pub field: String,
    /// The `Params` method that sets it (`with_use_fips`).
    pub setter: String,
    /// The value type.
    pub ty: ParamType,
    /// The built-in the client fills the parameter from, when it knows it.
    pub built_in: Option<BuiltIn>,
    /// The `builtIn` as written, known to the client or not.
    pub built_in_name: Option<String>,
    /// The default, which makes the field a plain value rather than an `Option`.
    pub default: Option<ParamValue>,
    /// Required without a default: an `Option` field that `resolve` refuses to find empty.
    pub required: bool,
    /// The parameter's documentation, as written.
    pub docs: Option<String>,
    /// `deprecated`.
    pub deprecated: Option<Deprecated>,
    /// The variable the resolver reads the parameter into, with the type the rules see.
    pub var: Var,
    /// Whether any rule reads the parameter.
    pub used: bool,
}

impl Param {
    /// Whether the Rust field is an `Option` (no default).
    pub fn optional(&self) -> bool {
        self.default.is_none()
    }
}

/// Parameter types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    /// `String`.
    String,
    /// `Boolean`.
    Boolean,
    /// `stringArray`: `Vec<String>`.
    StringArray,
}

/// The built-ins a client configuration supplies (`awsquery::endpoint::BuiltIns`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuiltIn {
    /// `AWS::Region`.
    Region,
    /// `AWS::UseFIPS`.
    UseFips,
    /// `AWS::UseDualStack`.
    UseDualStack,
    /// `SDK::Endpoint`.
    Endpoint,
    /// `AWS::STS::UseGlobalEndpoint`.
    UseGlobalEndpoint,
}

/// A parameter value (a default, or a value in a test case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamValue {
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// A list of strings.
    Array(Vec<String>),
}

/// The type of a value in the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    /// A string: `&str` in the generated code (`String` when [`Var::owned`]).
    String,
    /// `bool`.
    Bool,
    /// An integer literal (`substring` bounds): `usize`.
    Int,
    /// A list of strings: `&[String]`.
    StringArray,
    /// `aws.partition`'s result: `&'static Partition`.
    Partition,
    /// `parseURL`'s result: `Url`.
    Url,
    /// `aws.parseArn`'s result: `Arn`.
    Arn,
    /// A value that may be absent.
    Option(Box<Type>),
}

impl Type {
    /// The value type of an `Option`, else `None`.
    pub fn inner(&self) -> Option<&Type> {
        match self {
            Type::Option(inner) => Some(inner),
            _ => None,
        }
    }
}

/// A variable of the generated resolver: a parameter, an `assign`, or a parameter known to be set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Var {
    /// Unique per binding, so that uses are found even where names are shadowed.
    pub id: usize,
    /// The Rust name (`partition_result`).
    pub name: String,
    /// Its type.
    pub ty: Type,
    /// Holds a `String` rather than a `&str` (`uriEncode` results).
    pub owned: bool,
}

/// A typed expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// A string without placeholders.
    Str(String),
    /// A string with placeholders: at least two parts, or one placeholder beside text.
    Template(Vec<TemplatePart>),
    /// `true` or `false`.
    Bool(bool),
    /// A non-negative integer.
    Int(usize),
    /// A variable.
    Var(Var),
    /// `isSet`: whether an optional value is present.
    IsSet(Box<Expr>),
    /// `not`.
    Not(Box<Expr>),
    /// `booleanEquals`.
    BooleanEquals(Box<Expr>, Box<Expr>),
    /// `stringEquals`.
    StringEquals(Box<Expr>, Box<Expr>),
    /// `getAttr` (or a `{var#path}` placeholder): fields and list indexes.
    GetAttr {
        /// What is taken apart.
        target: Box<Expr>,
        /// The steps, in order.
        path: Vec<AttrStep>,
        /// The type of the result.
        ty: Type,
    },
    /// A runtime library function.
    Call(Function, Vec<Expr>),
}

impl Expr {
    /// The type of the value.
    pub fn ty(&self) -> Type {
        match self {
            Expr::Str(_) | Expr::Template(_) => Type::String,
            Expr::Bool(_)
            | Expr::IsSet(_)
            | Expr::Not(_)
            | Expr::BooleanEquals(..)
            | Expr::StringEquals(..) => Type::Bool,
            Expr::Int(_) => Type::Int,
            Expr::Var(var) => var.ty.clone(),
            Expr::GetAttr { ty, .. } => ty.clone(),
            Expr::Call(function, _) => {
                let optional = |ty: Type| Type::Option(Box::new(ty));
                match function {
                    Function::ParseUrl => optional(Type::Url),
                    Function::Substring => optional(Type::String),
                    Function::UriEncode => Type::String,
                    Function::IsValidHostLabel | Function::IsVirtualHostableS3Bucket => Type::Bool,
                    Function::Partition => optional(Type::Partition),
                    Function::ParseArn => optional(Type::Arn),
                }
            }
        }
    }
}

/// One part of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplatePart {
    /// Literal text.
    Text(String),
    /// A string-valued expression.
    Value(Expr),
}

/// One step of a `getAttr` path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttrStep {
    /// An accessor method of the runtime type (`dns_suffix`).
    Field(String),
    /// A list index, giving an optional string.
    Index(usize),
}

/// The functions implemented in `awsquery::endpoint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    /// `parseURL` → `parse_url`.
    ParseUrl,
    /// `substring`.
    Substring,
    /// `uriEncode` → `uri_encode`.
    UriEncode,
    /// `isValidHostLabel` → `is_valid_host_label`.
    IsValidHostLabel,
    /// `aws.partition` → `partition`.
    Partition,
    /// `aws.parseArn` → `parse_arn`.
    ParseArn,
    /// `aws.isVirtualHostableS3Bucket` → `is_virtual_hostable_s3_bucket`.
    IsVirtualHostableS3Bucket,
}

impl Function {
    /// The runtime function's name.
    pub fn rust_name(self) -> &'static str {
        match self {
            Function::ParseUrl => "parse_url",
            Function::Substring => "substring",
            Function::UriEncode => "uri_encode",
            Function::IsValidHostLabel => "is_valid_host_label",
            Function::Partition => "partition",
            Function::ParseArn => "parse_arn",
            Function::IsVirtualHostableS3Bucket => "is_virtual_hostable_s3_bucket",
        }
    }
}

/// A rule: conditions, then an endpoint, an error or more rules.
#[derive(Debug, Clone)]
pub struct Rule {
    /// The rule's `documentation`.
    pub docs: Option<String>,
    /// The conditions, in order; all must hold.
    pub conditions: Vec<Condition>,
    /// What the rule gives when they do.
    pub body: RuleBody,
}

impl Rule {
    /// Whether the rule always ends resolution: none of its conditions can fail (a tree rule whose
    /// conditions hold ends it too, with an error when its rules run out).
    pub fn always_ends(&self) -> bool {
        self.conditions
            .iter()
            .all(|c| matches!(c, Condition::Let { .. }))
    }
}

/// How a condition is checked.
#[derive(Debug, Clone)]
pub enum Condition {
    /// `if expr { … }`.
    Test(Expr),
    /// `if let Some(var) = expr { … }`: an optional value that must be present, bound.
    Bind {
        /// The variable bound to the present value.
        var: Var,
        /// The optional value.
        expr: Expr,
    },
    /// `let var = expr;`: a value that is always there (it cannot fail).
    Let {
        /// The variable.
        var: Var,
        /// The value.
        expr: Expr,
    },
}

/// What a rule gives.
#[derive(Debug, Clone)]
pub enum RuleBody {
    /// An endpoint.
    Endpoint(EndpointValue),
    /// An error with this message (a string expression).
    Error(Expr),
    /// More rules; when none matches, resolution fails.
    Tree(Vec<Rule>),
}

/// An endpoint rule's endpoint.
#[derive(Debug, Clone)]
pub struct EndpointValue {
    /// The URL, a string expression.
    pub url: Expr,
    /// Headers by lower-case name, sorted, each with its values.
    pub headers: Vec<(String, Vec<Expr>)>,
    /// Properties, sorted by name.
    pub properties: Vec<(String, Property)>,
}

/// A property value.
#[derive(Debug, Clone)]
pub enum Property {
    /// A string (possibly a template).
    String(Expr),
    /// A boolean.
    Bool(bool),
    /// A list.
    Array(Vec<Property>),
    /// A map, sorted by key.
    Object(Vec<(String, Property)>),
}

/// An `endpointTests` case.
#[derive(Debug, Clone)]
pub struct EndpointTest {
    /// The test function name, unique in the file.
    pub fn_name: String,
    /// The case's documentation.
    pub docs: Option<String>,
    /// Parameter values, by field, in parameter order.
    pub params: Vec<(String, ParamValue)>,
    /// What the rules must give.
    pub expect: Expectation,
}

/// The outcome a test case expects.
#[derive(Debug, Clone)]
pub enum Expectation {
    /// An endpoint.
    Endpoint {
        /// The URL.
        url: String,
        /// Headers by lower-case name, sorted.
        headers: Vec<(String, Vec<String>)>,
        /// Properties, sorted by name; string values are plain text here.
        properties: Vec<(String, ExpectedProperty)>,
    },
    /// An error with this message.
    Error(String),
}

/// A property value a test case expects.
#[derive(Debug, Clone)]
pub enum ExpectedProperty {
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// A list.
    Array(Vec<ExpectedProperty>),
    /// A map, sorted by key.
    Object(Vec<(String, ExpectedProperty)>),
}
