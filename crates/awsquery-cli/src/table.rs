//! The command table a generated command line hands to the engine: static data describing the
//! service's commands, their options, the shapes of their inputs and outputs, paginators and
//! waiters, and one `call` function per command, the only code in it.
//!
//! Shapes refer to each other by their index in [`Service::shapes`], so recursive structures need
//! no special treatment.

use std::future::Future;
use std::pin::Pin;

use serde_json::Value;

use crate::call::CallError;

/// What a command's `call` returns: the output in the AWS CLI's JSON form, or why there is none.
pub type CallFuture = Pin<Box<dyn Future<Output = Result<Value, CallError>> + Send>>;

/// Sends one request: the client, and the input as JSON under the model's member names.
pub type Call<C> = fn(&C, Value) -> CallFuture;

/// A service's command line.
#[derive(Debug)]
pub struct Service<C: 'static> {
    /// The command's program name and the AWS CLI's service command (`neptune`).
    pub name: &'static str,
    /// The service's title (`Amazon Neptune`).
    pub title: &'static str,
    /// The service's documentation as plain text.
    pub doc: &'static str,
    /// The commands, sorted by name.
    pub commands: &'static [Command<C>],
    /// The `wait` subcommands, sorted by name.
    pub waiters: &'static [Waiter],
    /// Every shape an input or output reaches.
    pub shapes: &'static [Shape],
    /// Makes the client of the service from a configuration and a transport.
    pub client: fn(awsquery::client::Config, crate::DynTransport) -> C,
}

impl<C> Service<C> {
    /// The command named `name` as typed (`describe-db-clusters`).
    pub fn command(&self, name: &str) -> Option<&'static Command<C>> {
        self.commands.iter().find(|c| c.name == name)
    }

    /// The command calling `operation` (`DescribeDBClusters`).
    pub fn operation(&self, operation: &str) -> Option<&'static Command<C>> {
        self.commands.iter().find(|c| c.operation == operation)
    }

    /// The shape at `index`.
    pub fn shape(&self, index: usize) -> &'static Shape {
        &self.shapes[index]
    }
}

/// One command: one operation of the service.
pub struct Command<C: 'static> {
    /// The name as typed (`describe-db-clusters`).
    pub name: &'static str,
    /// The operation (`DescribeDBClusters`).
    pub operation: &'static str,
    /// Its documentation as plain text.
    pub doc: &'static str,
    /// The input structure (an index into [`Service::shapes`]).
    pub input: usize,
    /// The output structure.
    pub output: usize,
    /// One option per member of the input, in model order.
    pub options: &'static [Opt],
    /// How to page through its results, for a paginated operation.
    pub paginator: Option<Paginator>,
    /// Sends the request.
    pub call: Call<C>,
}

impl<C> std::fmt::Debug for Command<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Command")
            .field("name", &self.name)
            .field("operation", &self.operation)
            .field("options", &self.options.len())
            .field("paginator", &self.paginator)
            .finish_non_exhaustive()
    }
}

impl<C> Command<C> {
    /// The option named `name` (without its dashes).
    pub fn option(&self, name: &str) -> Option<&'static Opt> {
        self.options.iter().find(|o| o.name == name)
    }

    /// The option of the input member `member`.
    pub fn option_for(&self, member: &str) -> Option<&'static Opt> {
        self.options.iter().find(|o| o.member == member)
    }
}

/// A command option: a member of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opt {
    /// The name without its dashes (`target-db-cluster-identifier`).
    pub name: &'static str,
    /// The input member (`TargetDbClusterIdentifier`).
    pub member: &'static str,
    /// The member's shape.
    pub shape: usize,
    /// Whether the member is required.
    pub required: bool,
    /// Its documentation as plain text.
    pub doc: &'static str,
}

/// A named shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// The Smithy shape name (`GlobalCluster`).
    pub name: &'static str,
    /// What it is.
    pub kind: Kind,
}

impl Shape {
    /// A shape named `name` of kind `kind`.
    pub const fn new(name: &'static str, kind: Kind) -> Self {
        Shape { name, kind }
    }
}

/// The kinds of shape, as the command line reads and writes their values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A structure (or a union, which takes one of its members).
    Structure(&'static [Member]),
    /// A list of the shape at the index.
    List(usize),
    /// A map from the first shape (a string) to the second.
    Map(usize, usize),
    /// A string.
    String,
    /// A string of one of these values.
    Enum(&'static [&'static str]),
    /// `true` or `false`.
    Boolean,
    /// A whole number (byte, short, integer, long, or an integer enum).
    Integer,
    /// A floating-point number.
    Float,
    /// A big integer or decimal, kept as text.
    BigNumber,
    /// A point in time.
    Timestamp,
    /// Bytes, written in base64.
    Blob,
}

/// A structure member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    /// The member name in the model.
    pub name: &'static str,
    /// Its shape.
    pub shape: usize,
    /// Whether it is required.
    pub required: bool,
}

impl Member {
    /// Member `name` of shape `shape`, required or not.
    pub const fn new(name: &'static str, shape: usize, required: bool) -> Self {
        Member {
            name,
            shape,
            required,
        }
    }
}

/// Where a paginated operation's tokens and items are (`smithy.api#paginated`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paginator {
    /// The input member carrying the token (`Marker`).
    pub input_token: &'static str,
    /// The output member carrying the next token, a dotted path (`Marker`).
    pub output_token: &'static str,
    /// The output member holding the items, a dotted path (`DBClusters`).
    pub items: &'static str,
    /// The input member limiting a page's size (`MaxRecords`).
    pub page_size: Option<&'static str>,
}

/// A waiter: `<service> wait <name>`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Waiter {
    /// The name as typed (`db-instance-available`).
    pub name: &'static str,
    /// The name in the model (`DBInstanceAvailable`).
    pub waiter_name: &'static str,
    /// The operation it polls (`DescribeDBInstances`).
    pub operation: &'static str,
    /// Its documentation as plain text.
    pub doc: &'static str,
    /// The shortest wait between polls, in seconds.
    pub min_delay: u64,
    /// The longest wait between polls, in seconds.
    pub max_delay: u64,
    /// The acceptors, in model order.
    pub acceptors: &'static [Acceptor],
}

/// When a poll's outcome moves the waiter to a state.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Acceptor {
    /// The state it moves to.
    pub state: State,
    /// What must hold.
    pub matcher: Matcher,
}

/// A waiter's states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Done: the resource is as waited for.
    Success,
    /// Done: it never will be.
    Failure,
    /// Poll again.
    Retry,
}

/// An acceptor's matcher.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Matcher {
    /// The call succeeded (`true`) or failed with any error (`false`).
    Success(bool),
    /// The call failed with this error code.
    ErrorType(&'static str),
    /// A JMESPath expression over the output (`input` false) or over `{"input": …, "output": …}`.
    Path {
        /// Whether the expression sees the input too (`inputOutput`).
        input: bool,
        /// The expression.
        path: &'static str,
        /// How its value is compared.
        comparator: Comparator,
        /// The value compared with (`true`/`false` for [`Comparator::BooleanEquals`]).
        expected: &'static str,
    },
}

/// How a path's value is compared with the expected text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparator {
    /// A string equal to it.
    StringEquals,
    /// A boolean equal to it.
    BooleanEquals,
    /// A non-empty list whose strings all equal it.
    AllStringEquals,
    /// A list with a string equal to it.
    AnyStringEquals,
}
