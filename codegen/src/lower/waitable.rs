//! `smithy.waiters#waitable`: each waiter read into a typed trait, its acceptors checked and its
//! JMESPath paths compiled against the shapes into [`Expr`]s. Anything the generated code could not
//! evaluate exactly (an unknown matcher or comparator, a path through a member that does not exist,
//! a JMESPath construct outside the supported subset, a comparator of the wrong type, an `errorType`
//! that is none of the operation's errors, bad delays) is an error naming the operation and the
//! waiter.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use crate::Error;
use crate::ast;
use crate::ir::waitable::*;
use crate::ir::{Operation, Scalar, Shape, ShapeKind};
use crate::naming;

const TRAIT: &str = "smithy.waiters#waitable";

/// The waiter structure as the trait writes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct WaiterTrait {
    #[serde(default)]
    documentation: Option<String>,
    acceptors: Vec<AcceptorTrait>,
    #[serde(default)]
    min_delay: Option<u64>,
    #[serde(default)]
    max_delay: Option<u64>,
    #[serde(default)]
    deprecated: bool,
    #[serde(default, rename = "tags")]
    _tags: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AcceptorTrait {
    state: StateTrait,
    matcher: MatcherTrait,
    #[serde(default)]
    message: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "camelCase")]
enum StateTrait {
    Success,
    Failure,
    Retry,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
enum MatcherTrait {
    Output(PathMatcherTrait),
    InputOutput(PathMatcherTrait),
    Success(bool),
    ErrorType(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PathMatcherTrait {
    path: String,
    expected: String,
    comparator: ComparatorTrait,
}

/// The comparators, named after what they compare (`stringEquals` is `String`).
#[derive(Debug, Clone, Copy, Deserialize)]
enum ComparatorTrait {
    #[serde(rename = "stringEquals")]
    String,
    #[serde(rename = "booleanEquals")]
    Boolean,
    #[serde(rename = "allStringEquals")]
    AllStrings,
    #[serde(rename = "anyStringEquals")]
    AnyString,
}

/// Every waiter of the selected operations, sorted by name.
pub(super) fn waiters(
    model: &ast::Model,
    operations: &[Operation],
    shapes: &BTreeMap<String, Shape>,
) -> Result<Vec<Waiter>, Error> {
    let mut waiters = Vec::new();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for op in operations {
        let Some(value) = model.shapes[&op.id].traits.get(TRAIT) else {
            continue;
        };
        let fail =
            |message: String| Error::shape(&op.id, format!("has a `{TRAIT}` trait {message}"));
        let entries: BTreeMap<String, Value> = serde_json::from_value(value.clone())
            .map_err(|e| fail(format!("that is not a map of waiters: {e}")))?;
        for (name, value) in entries {
            let fail = |message: String| fail(format!("whose waiter `{name}` {message}"));
            let valid_name = name.starts_with(|c: char| c.is_ascii_uppercase())
                && name.chars().all(|c| c.is_ascii_alphanumeric());
            if !valid_name {
                return Err(fail(String::from(
                    "is not named in UpperCamelCase letters and digits",
                )));
            }
            if let Some(other) = seen.insert(name.to_ascii_lowercase(), op.name.clone()) {
                return Err(fail(format!(
                    "has the name of a waiter of `{other}` (waiter names are unique regardless of case)"
                )));
            }
            let waiter: WaiterTrait = serde_json::from_value(value)
                .map_err(|e| fail(format!("is not a valid waiter: {e}")))?;
            waiters.push(lower_waiter(&name, &waiter, op, shapes).map_err(fail)?);
        }
    }
    waiters.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(waiters)
}

fn lower_waiter(
    name: &str,
    w: &WaiterTrait,
    op: &Operation,
    shapes: &BTreeMap<String, Shape>,
) -> Result<Waiter, String> {
    let min_delay = w.min_delay.unwrap_or(2);
    let max_delay = w.max_delay.unwrap_or(120);
    if min_delay < 1 || max_delay < 1 {
        return Err(String::from("has a delay below 1 second"));
    }
    if min_delay > max_delay {
        return Err(format!(
            "has a minDelay ({min_delay}) greater than its maxDelay ({max_delay})"
        ));
    }
    if w.acceptors.is_empty() {
        return Err(String::from("has no acceptors"));
    }
    if !w
        .acceptors
        .iter()
        .any(|a| matches!(a.state, StateTrait::Success))
    {
        return Err(String::from("has no acceptor with the `success` state"));
    }
    let mut acceptors = Vec::new();
    let mut uses_input = false;
    for (i, a) in w.acceptors.iter().enumerate() {
        let fail = |message: String| format!("has an acceptor {i} {message}");
        if a.message.is_some() {
            return Err(fail(String::from(
                "with a `message`, which the generator does not support",
            )));
        }
        let matcher = match &a.matcher {
            MatcherTrait::Success(b) => Matcher::Success(*b),
            MatcherTrait::ErrorType(error) => {
                Matcher::ErrorCode(error_code(error, op, shapes).map_err(fail)?)
            }
            MatcherTrait::Output(m) => {
                let root = Scope::Value(Expr::Var(String::from("output")), structure(&op.output));
                Matcher::Output(condition(m, &root, shapes).map_err(fail)?)
            }
            MatcherTrait::InputOutput(m) => {
                uses_input = true;
                let root = Scope::InputOutput {
                    input: structure(&op.input),
                    output: structure(&op.output),
                };
                Matcher::InputOutput(condition(m, &root, shapes).map_err(fail)?)
            }
        };
        let state = match a.state {
            StateTrait::Success => AcceptorState::Success,
            StateTrait::Failure => AcceptorState::Failure,
            StateTrait::Retry => AcceptorState::Retry,
        };
        let path = match &a.matcher {
            MatcherTrait::Output(m) | MatcherTrait::InputOutput(m) => Some(m.path.clone()),
            _ => None,
        };
        acceptors.push(Acceptor {
            state,
            matcher,
            path,
        });
    }
    let snake = naming::snake(name);
    Ok(Waiter {
        name: name.to_owned(),
        cli_name: naming::cli_name(name),
        type_name: naming::type_name(&format!("WaitUntil{name}")),
        fn_name: naming::function(&format!("WaitUntil{name}")),
        verdict_fn: format!("{snake}_verdict"),
        operation: op.id.clone(),
        docs: w.documentation.clone(),
        deprecated: w.deprecated,
        min_delay,
        max_delay,
        uses_input,
        acceptors,
    })
}

fn structure(id: &str) -> PathType {
    PathType::Structure(id.to_owned())
}

/// The wire code of the operation's error that `errorType` names: by absolute shape id, by shape
/// name, or by its code.
fn error_code(
    error: &str,
    op: &Operation,
    shapes: &BTreeMap<String, Shape>,
) -> Result<String, String> {
    let name = error.rsplit_once('#').map_or(error, |(_, name)| name);
    op.errors
        .iter()
        .map(|id| &shapes[id])
        .find_map(|shape| {
            let ShapeKind::Structure(s) = &shape.kind else {
                return None;
            };
            let info = s.error.as_ref()?;
            (shape.id == error || shape.name == name || info.code == error)
                .then(|| info.code.clone())
        })
        .ok_or_else(|| {
            format!(
                "whose errorType `{error}` is none of the errors of `{}`",
                op.name
            )
        })
}

fn condition(
    m: &PathMatcherTrait,
    root: &Scope,
    shapes: &BTreeMap<String, Shape>,
) -> Result<Condition, String> {
    let fail = |message: String| format!("whose path `{}` {message}", m.path);
    let ast = parse(&m.path).map_err(fail)?;
    let mut compiler = Compiler { shapes, depth: 0 };
    let (expr, ty) = compiler.compile(&ast, root).map_err(fail)?;
    let expected = m.expected.clone();
    let string_list = PathType::List(Box::new(PathType::String));
    let wrong = |wanted: &str| {
        fail(format!(
            "is {}, but its comparator needs {wanted}",
            describe(&ty)
        ))
    };
    Ok(match m.comparator {
        ComparatorTrait::String if ty == PathType::String => {
            Condition::StringEquals(expr, expected)
        }
        ComparatorTrait::String => return Err(wrong("a string")),
        ComparatorTrait::Boolean if ty == PathType::Boolean => {
            let value = match expected.as_str() {
                "true" => true,
                "false" => false,
                other => {
                    return Err(fail(format!(
                        "is compared with booleanEquals to `{other}`, which is neither `true` nor `false`"
                    )));
                }
            };
            Condition::BooleanEquals(expr, value)
        }
        ComparatorTrait::Boolean => return Err(wrong("a boolean")),
        ComparatorTrait::AllStrings if ty == string_list => {
            Condition::AllStringEquals(expr, expected)
        }
        ComparatorTrait::AnyString if ty == string_list => {
            Condition::AnyStringEquals(expr, expected)
        }
        ComparatorTrait::AllStrings | ComparatorTrait::AnyString => {
            return Err(wrong("a list of strings"));
        }
    })
}

fn describe(ty: &PathType) -> String {
    match ty {
        PathType::String => String::from("a string"),
        PathType::Boolean => String::from("a boolean"),
        PathType::Number => String::from("a number"),
        PathType::Structure(id) => format!("the structure `{}`", super::shape_name(id)),
        PathType::List(item) => format!("a list of {}", describe(item).trim_start_matches("a ")),
    }
}

// ---- JMESPath syntax ----

/// The supported JMESPath syntax.
#[derive(Debug, Clone, PartialEq)]
enum Ast {
    Current,
    Field(String),
    Sub(Box<Ast>, Box<Ast>),
    Flatten(Box<Ast>),
    Project {
        list: Box<Ast>,
        filter: Option<Box<Ast>>,
        body: Box<Ast>,
    },
    Literal(Value),
    Compare(Comparison, Box<Ast>, Box<Ast>),
    And(Box<Ast>, Box<Ast>),
    Or(Box<Ast>, Box<Ast>),
    Not(Box<Ast>),
    Call(String, Vec<Ast>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Comparison {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Literal(Value),
    Number(i64),
    Dot,
    Star,
    Flatten,
    Filter,
    LBracket,
    RBracket,
    LParen,
    RParen,
    Comma,
    At,
    Pipe,
    Or,
    And,
    Not,
    Compare(Comparison),
    Eof,
}

impl Token {
    /// How tightly the token binds as an infix (JMESPath's binding powers).
    fn power(&self) -> u8 {
        match self {
            Token::Pipe => 1,
            Token::Or => 2,
            Token::And => 3,
            Token::Compare(_) => 5,
            Token::Flatten => 9,
            Token::Star => 20,
            Token::Filter => 21,
            Token::Dot => 40,
            Token::Not => 45,
            Token::LBracket => 55,
            Token::LParen => 60,
            _ => 0,
        }
    }
}

fn tokens(text: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let quoted = |i: &mut usize, end: char| -> Result<String, String> {
        let start = *i + 1;
        let mut j = start;
        while j < chars.len() && chars[j] != end {
            if chars[j] == '\\' {
                j += 1;
            }
            j += 1;
        }
        if j >= chars.len() {
            return Err(format!("has an unterminated `{end}`"));
        }
        *i = j + 1;
        Ok(chars[start..j].iter().collect())
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let token = match c {
            ' ' | '\t' | '\n' | '\r' => {
                i += 1;
                continue;
            }
            'a'..='z' | 'A'..='Z' | '_' => {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                out.push(Token::Ident(chars[start..i].iter().collect()));
                continue;
            }
            '0'..='9' | '-' => {
                let start = i;
                i += 1;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect();
                let n = text
                    .parse()
                    .map_err(|_| format!("has `{text}`, which is not a number"))?;
                out.push(Token::Number(n));
                continue;
            }
            '"' => {
                let raw = quoted(&mut i, '"')?;
                let name: String = serde_json::from_str(&format!("\"{raw}\""))
                    .map_err(|e| format!("has a quoted identifier that does not parse: {e}"))?;
                out.push(Token::Ident(name));
                continue;
            }
            '\'' => {
                let raw = quoted(&mut i, '\'')?;
                out.push(Token::Literal(Value::String(
                    raw.replace("\\'", "'").replace("\\\\", "\\"),
                )));
                continue;
            }
            '`' => {
                let raw = quoted(&mut i, '`')?.replace("\\`", "`");
                let value: Value = serde_json::from_str(&raw)
                    .map_err(|e| format!("has the literal `{raw}`, which is not JSON: {e}"))?;
                out.push(Token::Literal(value));
                continue;
            }
            '.' => Token::Dot,
            '*' => Token::Star,
            '@' => Token::At,
            ',' => Token::Comma,
            '(' => Token::LParen,
            ')' => Token::RParen,
            ']' => Token::RBracket,
            '[' if next == Some(']') => {
                i += 1;
                Token::Flatten
            }
            '[' if next == Some('?') => {
                i += 1;
                Token::Filter
            }
            '[' => Token::LBracket,
            '|' if next == Some('|') => {
                i += 1;
                Token::Or
            }
            '|' => Token::Pipe,
            '&' if next == Some('&') => {
                i += 1;
                Token::And
            }
            '=' if next == Some('=') => {
                i += 1;
                Token::Compare(Comparison::Eq)
            }
            '!' if next == Some('=') => {
                i += 1;
                Token::Compare(Comparison::Ne)
            }
            '!' => Token::Not,
            '<' if next == Some('=') => {
                i += 1;
                Token::Compare(Comparison::Le)
            }
            '<' => Token::Compare(Comparison::Lt),
            '>' if next == Some('=') => {
                i += 1;
                Token::Compare(Comparison::Ge)
            }
            '>' => Token::Compare(Comparison::Gt),
            other => {
                return Err(format!(
                    "has `{other}`, which the generator does not support"
                ));
            }
        };
        out.push(token);
        i += 1;
    }
    out.push(Token::Eof);
    Ok(out)
}

fn parse(text: &str) -> Result<Ast, String> {
    let mut parser = Parser {
        tokens: tokens(text)?,
        at: 0,
    };
    let ast = parser.expression(0)?;
    match parser.peek() {
        Token::Eof => Ok(ast),
        other => Err(format!("has `{other:?}` where it should end")),
    }
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

fn unsupported(what: &str) -> String {
    format!("uses {what}, which the generator does not support")
}

impl Parser {
    fn peek(&self) -> &Token {
        &self.tokens[self.at]
    }

    fn next(&mut self) -> Token {
        let token = self.tokens[self.at].clone();
        if token != Token::Eof {
            self.at += 1;
        }
        token
    }

    fn expect(&mut self, token: Token) -> Result<(), String> {
        let found = self.next();
        if found == token {
            Ok(())
        } else {
            Err(format!("has `{found:?}` where `{token:?}` was expected"))
        }
    }

    fn expression(&mut self, power: u8) -> Result<Ast, String> {
        let token = self.next();
        let mut left = self.prefix(token)?;
        while power < self.peek().power() {
            let token = self.next();
            left = self.infix(token, left)?;
        }
        Ok(left)
    }

    fn prefix(&mut self, token: Token) -> Result<Ast, String> {
        Ok(match token {
            Token::Ident(name) if *self.peek() == Token::LParen => {
                self.next();
                let mut args = Vec::new();
                if *self.peek() != Token::RParen {
                    loop {
                        args.push(self.expression(0)?);
                        if *self.peek() == Token::Comma {
                            self.next();
                        } else {
                            break;
                        }
                    }
                }
                self.expect(Token::RParen)?;
                Ast::Call(name, args)
            }
            Token::Ident(name) => Ast::Field(name),
            Token::At => Ast::Current,
            Token::Literal(value) => Ast::Literal(value),
            Token::Not => Ast::Not(Box::new(self.expression(Token::Not.power())?)),
            Token::LParen => {
                let inner = self.expression(0)?;
                self.expect(Token::RParen)?;
                inner
            }
            Token::Flatten => Ast::Project {
                list: Box::new(Ast::Flatten(Box::new(Ast::Current))),
                filter: None,
                body: Box::new(self.projection_body(Token::Flatten.power())?),
            },
            Token::Filter => self.filter(Ast::Current)?,
            Token::Star => return Err(unsupported("a wildcard `*`")),
            Token::LBracket => return Err(unsupported("an index, slice or multi-select list")),
            Token::Eof => return Err(String::from("ends where an expression was expected")),
            other => return Err(format!("has `{other:?}` where an expression was expected")),
        })
    }

    fn infix(&mut self, token: Token, left: Ast) -> Result<Ast, String> {
        Ok(match token {
            Token::Dot => Ast::Sub(Box::new(left), Box::new(self.dot_rhs()?)),
            Token::Flatten => Ast::Project {
                list: Box::new(Ast::Flatten(Box::new(left))),
                filter: None,
                body: Box::new(self.projection_body(Token::Flatten.power())?),
            },
            Token::Filter => self.filter(left)?,
            Token::LBracket => match self.next() {
                Token::Star => {
                    self.expect(Token::RBracket)?;
                    Ast::Project {
                        list: Box::new(left),
                        filter: None,
                        body: Box::new(self.projection_body(Token::Star.power())?),
                    }
                }
                _ => return Err(unsupported("an index or slice")),
            },
            Token::Compare(op) => Ast::Compare(
                op,
                Box::new(left),
                Box::new(self.expression(token.power())?),
            ),
            Token::And => Ast::And(Box::new(left), Box::new(self.expression(token.power())?)),
            Token::Or => Ast::Or(Box::new(left), Box::new(self.expression(token.power())?)),
            Token::Pipe => return Err(unsupported("a pipe `|`")),
            other => return Err(format!("has `{other:?}` where an operator was expected")),
        })
    }

    fn dot_rhs(&mut self) -> Result<Ast, String> {
        match self.next() {
            Token::Ident(name) if *self.peek() != Token::LParen => Ok(Ast::Field(name)),
            Token::Star => Err(unsupported("a wildcard `*`")),
            other => Err(format!(
                "has `{other:?}` after a `.`, where a member name was expected"
            )),
        }
    }

    fn filter(&mut self, list: Ast) -> Result<Ast, String> {
        let condition = self.expression(0)?;
        self.expect(Token::RBracket)?;
        Ok(Ast::Project {
            list: Box::new(list),
            filter: Some(Box::new(condition)),
            body: Box::new(self.projection_body(Token::Filter.power())?),
        })
    }

    /// What a projection applies to each item: up to the first token that ends it.
    fn projection_body(&mut self, power: u8) -> Result<Ast, String> {
        match self.peek() {
            token if token.power() < 10 => Ok(Ast::Current),
            Token::Dot => {
                self.next();
                self.dot_rhs()
                    .and_then(|rhs| self.continue_body(rhs, power))
            }
            Token::LBracket | Token::Filter => self.expression(power),
            other => Err(format!("has `{other:?}` after a projection")),
        }
    }

    /// The rest of a projection's body after its first step.
    fn continue_body(&mut self, mut left: Ast, power: u8) -> Result<Ast, String> {
        while power < self.peek().power() {
            let token = self.next();
            left = self.infix(token, left)?;
        }
        Ok(left)
    }
}

// ---- Typing and compiling ----

/// What the current node (`@`) is.
enum Scope {
    /// A value.
    Value(Expr, PathType),
    /// The root of an `inputOutput` path: an object with `input` and `output`.
    InputOutput { input: PathType, output: PathType },
}

struct Compiler<'s> {
    shapes: &'s BTreeMap<String, Shape>,
    depth: usize,
}

impl Compiler<'_> {
    fn compile(&mut self, ast: &Ast, scope: &Scope) -> Result<(Expr, PathType), String> {
        match ast {
            Ast::Current => match scope {
                Scope::Value(expr, ty) => Ok((expr.clone(), ty.clone())),
                Scope::InputOutput { .. } => Err(String::from(
                    "uses `@` at the root of an inputOutput path; start with `input` or `output`",
                )),
            },
            Ast::Field(name) => match scope {
                Scope::InputOutput { input, output } => match name.as_str() {
                    "input" => Ok((Expr::Var(String::from("input")), input.clone())),
                    "output" => Ok((Expr::Var(String::from("output")), output.clone())),
                    other => Err(format!(
                        "names `{other}` at the root of an inputOutput path, which has only `input` and `output`"
                    )),
                },
                Scope::Value(expr, ty) => self.field(expr.clone(), ty, name),
            },
            Ast::Sub(left, right) => {
                let (expr, ty) = self.compile(left, scope)?;
                self.compile(right, &Scope::Value(expr, ty))
            }
            Ast::Flatten(list) => {
                let (expr, ty) = self.compile(list, scope)?;
                match ty {
                    PathType::List(item) => match *item {
                        PathType::List(inner) => {
                            Ok((Expr::Flatten(Box::new(expr)), PathType::List(inner)))
                        }
                        item => Ok((expr, PathType::List(Box::new(item)))),
                    },
                    other => Err(format!(
                        "flattens {}, which is not a list",
                        describe(&other)
                    )),
                }
            }
            Ast::Project { list, filter, body } => {
                let (list, ty) = self.compile(list, scope)?;
                let PathType::List(item) = ty else {
                    return Err(format!(
                        "projects over {}, which is not a list",
                        describe(&ty)
                    ));
                };
                let var = format!("item{}", self.depth);
                self.depth += 1;
                let item_scope = Scope::Value(Expr::Var(var.clone()), (*item).clone());
                let filter = match filter {
                    Some(_) if matches!(*item, PathType::List(_)) => {
                        return Err(unsupported("a filter over a list of lists"));
                    }
                    Some(filter) => {
                        let (expr, ty) = self.compile(filter, &item_scope)?;
                        Some((Box::new(expr), truth(&ty)?))
                    }
                    None => None,
                };
                let (body, body_ty) = match body.as_ref() {
                    Ast::Current => (None, (*item).clone()),
                    body => {
                        let (expr, ty) = self.compile(body, &item_scope)?;
                        (Some(Box::new(expr)), ty)
                    }
                };
                self.depth -= 1;
                if filter.is_none() && body.is_none() {
                    return Ok((list, PathType::List(Box::new(body_ty))));
                }
                Ok((
                    Expr::Project {
                        of: Box::new(list),
                        var,
                        filter,
                        body,
                    },
                    PathType::List(Box::new(body_ty)),
                ))
            }
            Ast::Literal(value) => match value {
                Value::String(s) => Ok((Expr::String(s.clone()), PathType::String)),
                Value::Bool(b) => Ok((Expr::Boolean(*b), PathType::Boolean)),
                Value::Number(n) => Ok((
                    Expr::Number(n.as_f64().ok_or("has a number literal out of range")?),
                    PathType::Number,
                )),
                other => Err(unsupported(&format!("the literal `{other}`"))),
            },
            Ast::Compare(op, left, right) => {
                let (left, lty) = self.compile(left, scope)?;
                let (right, rty) = self.compile(right, scope)?;
                if lty != rty {
                    return Err(format!(
                        "compares {} with {}",
                        describe(&lty),
                        describe(&rty)
                    ));
                }
                let (left, right) = (Box::new(left), Box::new(right));
                let order = |op| {
                    if lty == PathType::Number {
                        Ok((
                            Expr::Order {
                                op,
                                left: left.clone(),
                                right: right.clone(),
                            },
                            PathType::Boolean,
                        ))
                    } else {
                        Err(format!("orders {}; only numbers can be", describe(&lty)))
                    }
                };
                match op {
                    Comparison::Eq | Comparison::Ne => Ok((
                        Expr::Equals {
                            left: left.clone(),
                            right: right.clone(),
                            negated: *op == Comparison::Ne,
                        },
                        PathType::Boolean,
                    )),
                    Comparison::Lt => order(Ordering::Less),
                    Comparison::Le => order(Ordering::LessOrEqual),
                    Comparison::Gt => order(Ordering::Greater),
                    Comparison::Ge => order(Ordering::GreaterOrEqual),
                }
            }
            Ast::And(left, right) | Ast::Or(left, right) => {
                let (l, lty) = self.compile(left, scope)?;
                let (r, rty) = self.compile(right, scope)?;
                if lty != rty {
                    return Err(format!(
                        "joins {} and {} with a logical operator; both sides must have one type",
                        describe(&lty),
                        describe(&rty)
                    ));
                }
                let truth = truth(&lty)?;
                let (left, right) = (Box::new(l), Box::new(r));
                let expr = if matches!(ast, Ast::And(..)) {
                    Expr::And { left, right, truth }
                } else {
                    Expr::Or { left, right, truth }
                };
                Ok((expr, lty))
            }
            Ast::Not(of) => {
                let (of, ty) = self.compile(of, scope)?;
                Ok((
                    Expr::Not {
                        of: Box::new(of),
                        truth: truth(&ty)?,
                    },
                    PathType::Boolean,
                ))
            }
            Ast::Call(name, args) => self.call(name, args, scope),
        }
    }

    fn call(
        &mut self,
        name: &str,
        args: &[Ast],
        scope: &Scope,
    ) -> Result<(Expr, PathType), String> {
        let mut compiled = Vec::new();
        for arg in args {
            compiled.push(self.compile(arg, scope)?);
        }
        match (name, compiled.as_slice()) {
            ("length", [(of, ty)]) => match ty {
                PathType::String | PathType::List(_) => Ok((
                    Expr::Length {
                        of: Box::new(of.clone()),
                        string: *ty == PathType::String,
                    },
                    PathType::Number,
                )),
                other => Err(format!("takes the length of {}", describe(other))),
            },
            ("contains", [(subject, sty), (search, ty)]) => {
                let string = match sty {
                    PathType::String if *ty == PathType::String => true,
                    PathType::List(item)
                        if **item == *ty
                            && !matches!(ty, PathType::Structure(_) | PathType::List(_)) =>
                    {
                        false
                    }
                    _ => {
                        return Err(format!("looks for {} in {}", describe(ty), describe(sty)));
                    }
                };
                Ok((
                    Expr::Contains {
                        subject: Box::new(subject.clone()),
                        search: Box::new(search.clone()),
                        string,
                    },
                    PathType::Boolean,
                ))
            }
            ("length" | "contains", _) => {
                Err(format!("calls `{name}` with {} arguments", compiled.len()))
            }
            _ => Err(unsupported(&format!("the function `{name}`"))),
        }
    }

    fn field(&self, of: Expr, ty: &PathType, name: &str) -> Result<(Expr, PathType), String> {
        let PathType::Structure(id) = ty else {
            return Err(format!(
                "reads `{name}` from {}, which is not a structure",
                describe(ty)
            ));
        };
        let shape = &self.shapes[id];
        let ShapeKind::Structure(s) = &shape.kind else {
            return Err(format!(
                "reads `{name}` from `{}`, which is not a structure",
                shape.name
            ));
        };
        let member =
            s.members.iter().find(|m| m.name == name).ok_or_else(|| {
                format!("names `{name}`, which is not a member of `{}`", shape.name)
            })?;
        let (access, ty) = self.access(&member.target)?;
        Ok((
            Expr::Field {
                of: Box::new(of),
                field: member.field.clone(),
                optional: member.optional,
                boxed: member.boxed,
                access,
            },
            ty,
        ))
    }

    fn access(&self, target: &str) -> Result<(Access, PathType), String> {
        let shape = &self.shapes[target];
        Ok(match &shape.kind {
            ShapeKind::Structure(_) => (Access::Ref, PathType::Structure(target.to_owned())),
            ShapeKind::Enum(_) => (Access::EnumStr, PathType::String),
            ShapeKind::Scalar(Scalar::String) => (Access::Str, PathType::String),
            ShapeKind::Scalar(Scalar::Boolean) => (Access::Copy, PathType::Boolean),
            ShapeKind::Scalar(Scalar::Double) => (Access::Copy, PathType::Number),
            ShapeKind::Scalar(
                Scalar::Byte | Scalar::Short | Scalar::Integer | Scalar::Long | Scalar::Float,
            ) => (Access::Widen, PathType::Number),
            ShapeKind::List(list) => {
                let (item, ty) = self.item(&list.target)?;
                (Access::List(item), PathType::List(Box::new(ty)))
            }
            _ => {
                return Err(unsupported(&format!(
                    "`{}`, a shape of a kind waiter paths cannot read",
                    shape.name
                )));
            }
        })
    }

    fn item(&self, target: &str) -> Result<(Item, PathType), String> {
        let shape = &self.shapes[target];
        Ok(match &shape.kind {
            ShapeKind::Structure(_) => (Item::Ref, PathType::Structure(target.to_owned())),
            ShapeKind::Enum(_) | ShapeKind::Scalar(Scalar::String) => (Item::Str, PathType::String),
            ShapeKind::Scalar(Scalar::Boolean) => (Item::Copy, PathType::Boolean),
            ShapeKind::Scalar(Scalar::Double) => (Item::Copy, PathType::Number),
            ShapeKind::Scalar(
                Scalar::Byte | Scalar::Short | Scalar::Integer | Scalar::Long | Scalar::Float,
            ) => (Item::Widen, PathType::Number),
            ShapeKind::List(list) => {
                let (item, ty) = self.item(&list.target)?;
                (Item::List(Box::new(item)), PathType::List(Box::new(ty)))
            }
            _ => {
                return Err(unsupported(&format!(
                    "`{}`, a shape of a kind waiter paths cannot read",
                    shape.name
                )));
            }
        })
    }
}

/// How a value of this type is judged true.
fn truth(ty: &PathType) -> Result<Truth, String> {
    match ty {
        PathType::Boolean => Ok(Truth::Boolean),
        PathType::String | PathType::List(_) => Ok(Truth::NonEmpty),
        PathType::Number => Ok(Truth::Present),
        PathType::Structure(_) => Err(unsupported("a structure as a condition")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str) -> Box<Ast> {
        Box::new(Ast::Field(name.to_owned()))
    }

    #[test]
    fn projections_stop_at_comparisons_and_flatten() {
        assert_eq!(
            parse("a[].b == 'x'").unwrap(),
            Ast::Compare(
                Comparison::Eq,
                Box::new(Ast::Project {
                    list: Box::new(Ast::Flatten(field("a"))),
                    filter: None,
                    body: field("b"),
                }),
                Box::new(Ast::Literal(Value::String("x".into()))),
            )
        );
        assert_eq!(
            parse("a[].b[]").unwrap(),
            Ast::Project {
                list: Box::new(Ast::Flatten(Box::new(Ast::Project {
                    list: Box::new(Ast::Flatten(field("a"))),
                    filter: None,
                    body: field("b"),
                }))),
                filter: None,
                body: Box::new(Ast::Current),
            }
        );
        assert_eq!(
            parse("a[?b == `1`].c.d").unwrap(),
            Ast::Project {
                list: field("a"),
                filter: Some(Box::new(Ast::Compare(
                    Comparison::Eq,
                    field("b"),
                    Box::new(Ast::Literal(serde_json::json!(1))),
                ))),
                body: Box::new(Ast::Sub(field("c"), field("d"))),
            }
        );
    }

    #[test]
    fn precedence_of_logic() {
        assert_eq!(
            parse("!a || b && c").unwrap(),
            Ast::Or(
                Box::new(Ast::Not(field("a"))),
                Box::new(Ast::And(field("b"), field("c"))),
            )
        );
        assert_eq!(
            parse("length(a) > `0`").unwrap(),
            Ast::Compare(
                Comparison::Gt,
                Box::new(Ast::Call("length".into(), vec![Ast::Field("a".into())])),
                Box::new(Ast::Literal(serde_json::json!(0))),
            )
        );
        assert_eq!(
            parse("\"quoted name\"").unwrap(),
            Ast::Field("quoted name".into())
        );
        assert_eq!(
            parse("'it\\'s'").unwrap(),
            Ast::Literal(Value::String("it's".into()))
        );
    }

    #[test]
    fn unsupported_constructs_are_named() {
        for (path, expected) in [
            ("a[0]", "an index or slice"),
            ("a | b", "a pipe"),
            ("a.*", "a wildcard"),
            ("{a: b}", "`{`"),
            ("a[?b", "expected"),
            ("a b", "where it should end"),
        ] {
            let error = parse(path).unwrap_err();
            assert!(error.contains(expected), "{path}: {error}");
        }
    }
}
