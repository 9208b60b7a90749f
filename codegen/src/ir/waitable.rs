//! Waiters of the model's `smithy.waiters#waitable` traits, with their JMESPath paths compiled to
//! typed expressions.
//!
//! Every path expression is an [`Expr`] whose Rust value is an `Option` of a representation chosen
//! by its [`PathType`]: `&str` for strings and enums, `bool`, `f64` for numbers, `&T` for
//! structures and `Vec<R>` for lists; `None` is JMESPath's `null`. Lowering checked each step
//! against the shapes, so the emitter only prints.

/// One waiter.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiter {
    /// The waiter's name in the model (`DBInstanceAvailable`).
    pub name: String,
    /// The AWS CLI's name for it, after `wait` (`db-instance-available`).
    pub cli_name: String,
    /// The builder type (`WaitUntilDbInstanceAvailable`).
    pub type_name: String,
    /// The client method (`wait_until_db_instance_available`).
    pub fn_name: String,
    /// The function judging one poll (`db_instance_available_verdict`).
    pub verdict_fn: String,
    /// The polled operation's shape id.
    pub operation: String,
    /// Markdown documentation.
    pub docs: Option<String>,
    /// The waiter's `deprecated` flag.
    pub deprecated: bool,
    /// `minDelay` in seconds (2 when not given).
    pub min_delay: u64,
    /// `maxDelay` in seconds (120 when not given).
    pub max_delay: u64,
    /// Whether an acceptor reads the input (`inputOutput`).
    pub uses_input: bool,
    /// The acceptors, in model order.
    pub acceptors: Vec<Acceptor>,
}

/// One acceptor: when its matcher matches, the waiter goes to its state.
#[derive(Debug, Clone, PartialEq)]
pub struct Acceptor {
    /// Where the waiter goes.
    pub state: AcceptorState,
    /// What must hold.
    pub matcher: Matcher,
    /// The JMESPath expression of an `output` or `inputOutput` matcher, as written in the model
    /// (for code that evaluates it on JSON values rather than on the typed output).
    pub path: Option<String>,
}

/// The acceptor states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptorState {
    /// Stop, with the poll's result.
    Success,
    /// Stop, with an error.
    Failure,
    /// Poll again.
    Retry,
}

/// The matchers.
#[derive(Debug, Clone, PartialEq)]
pub enum Matcher {
    /// `success: true` (the call succeeded) or `success: false` (it failed, whatever the error).
    Success(bool),
    /// `errorType`: the service answered with this error code (an error of the operation).
    ErrorCode(String),
    /// `output`: a condition on the output (the variable `output`).
    Output(Condition),
    /// `inputOutput`: a condition on the input and output (the variables `input` and `output`).
    InputOutput(Condition),
}

/// A path and its comparator.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// A string equal to the text.
    StringEquals(Expr, String),
    /// A boolean equal to the value.
    BooleanEquals(Expr, bool),
    /// A non-empty list of strings, all equal to the text.
    AllStringEquals(Expr, String),
    /// A list of strings, one of them equal to the text.
    AnyStringEquals(Expr, String),
}

/// The JMESPath type of an expression, which decides its Rust representation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathType {
    /// `&str` (strings and string enums).
    String,
    /// `bool`.
    Boolean,
    /// `f64`.
    Number,
    /// `&T` of the structure with this shape id.
    Structure(String),
    /// `Vec<R>` of the item type.
    List(Box<PathType>),
}

/// A compiled path expression: a Rust expression of type `Option<R>`.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// `Some(name)`: a variable holding the current value (`output`, `input`, a projection's item).
    Var(String),
    /// A structure member of the value.
    Field {
        /// The structure.
        of: Box<Expr>,
        /// The Rust field.
        field: String,
        /// Whether the field is an `Option`.
        optional: bool,
        /// Whether the field is boxed.
        boxed: bool,
        /// How the field's value becomes its representation.
        access: Access,
    },
    /// A list of lists made one list.
    Flatten(Box<Expr>),
    /// A projection over a list: each item bound to `var`, kept if `filter` holds, mapped through
    /// `body` (items whose body is `null` are dropped).
    Project {
        /// The list.
        of: Box<Expr>,
        /// The name bound to each item.
        var: String,
        /// The filter and how its value is judged true.
        filter: Option<(Box<Expr>, Truth)>,
        /// What each item becomes; the item itself when absent.
        body: Option<Box<Expr>>,
    },
    /// A string literal.
    String(String),
    /// A boolean literal.
    Boolean(bool),
    /// A number literal.
    Number(f64),
    /// `==` (or `!=` when `negated`), JMESPath's deep equality on values of one type.
    Equals {
        /// Left side.
        left: Box<Expr>,
        /// Right side.
        right: Box<Expr>,
        /// `!=`.
        negated: bool,
    },
    /// `<`, `<=`, `>`, `>=` on numbers: `null` unless both sides are numbers.
    Order {
        /// The comparison.
        op: Ordering,
        /// Left side.
        left: Box<Expr>,
        /// Right side.
        right: Box<Expr>,
    },
    /// `&&`: the left value when it is false, else the right one (both of one type).
    And {
        /// Left side.
        left: Box<Expr>,
        /// Right side.
        right: Box<Expr>,
        /// How the left value is judged.
        truth: Truth,
    },
    /// `||`: the left value when it is true, else the right one (both of one type).
    Or {
        /// Left side.
        left: Box<Expr>,
        /// Right side.
        right: Box<Expr>,
        /// How the left value is judged.
        truth: Truth,
    },
    /// `!`: a boolean.
    Not {
        /// The operand.
        of: Box<Expr>,
        /// How it is judged.
        truth: Truth,
    },
    /// `length(..)` of a string (in characters) or a list.
    Length {
        /// The argument.
        of: Box<Expr>,
        /// Whether it is a string (else a list).
        string: bool,
    },
    /// `contains(subject, search)` for a string in a string or an item in a list.
    Contains {
        /// The string or list searched.
        subject: Box<Expr>,
        /// What is searched for.
        search: Box<Expr>,
        /// Whether the subject is a string (else a list).
        string: bool,
    },
}

/// How a field's value becomes its representation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// Copied as it is (`bool`, `f64`).
    Copy,
    /// A number made `f64`.
    Widen,
    /// A `String`, as `&str`.
    Str,
    /// A string enum, as its wire value.
    EnumStr,
    /// A structure, by reference.
    Ref,
    /// A list, its items converted.
    List(Item),
}

/// How a list item becomes its representation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// Copied.
    Copy,
    /// A number made `f64`.
    Widen,
    /// A string or enum, as `&str`.
    Str,
    /// A structure, by reference.
    Ref,
    /// A list, its items converted.
    List(Box<Item>),
}

/// JMESPath truthiness, by type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Truth {
    /// `Some(true)`.
    Boolean,
    /// A string or list that is present and not empty.
    NonEmpty,
    /// A number that is present.
    Present,
}

/// An ordering comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ordering {
    /// `<`.
    Less,
    /// `<=`.
    LessOrEqual,
    /// `>`.
    Greater,
    /// `>=`.
    GreaterOrEqual,
}
