//! Typed test doubles for generated clients (feature `test-util`): rules that answer calls with
//! outputs, modeled errors, HTTP statuses or transport failures, built from the operations' own
//! types, and a record of the calls made. No XML, no server, no per-service code.
//!
//! A [`Mocks`] registry goes into the client's configuration
//! ([`Config::with_mocks`](crate::client::Config::with_mocks)). Before each attempt, once the input
//! has been serialized (so that a missing required member still fails with
//! [`SdkError::Build`](crate::client::SdkError::Build)), the client asks the registry; a rule that
//! matches answers in place of signing, sending and the service:
//!
//! * an output ([`MockRule::then_output`]) is returned as the call's result;
//! * a modeled error ([`MockRule::then_error`]) becomes
//!   [`SdkError::Service`](crate::client::SdkError::Service), unless the retry strategy retries
//!   it, as it would a real one (a throttling code, say);
//! * a status ([`MockRule::then_status`]) is read as a response with that status and no body, by
//!   the operation's own parser, so a 503 is retried like one from the service;
//! * a transport failure ([`MockRule::then_transport_error`]) goes through the retry strategy as
//!   one from the transport would.
//!
//! Retries go round the same loop as against the service, and each attempt asks the registry
//! again: a rule answering 503 then an output makes a call that succeeds on its second attempt.
//! Waits between attempts go through the transport's [`sleep`](crate::transport::Transport::sleep),
//! which [`NoTransport`] returns from at once.
//!
//! A call no rule answers fails at once with a [`Transport`](crate::client::SdkError::Transport)
//! error whose source is [`Unanswered`], naming the operation; or, with
//! [`Mocks::send_unmatched`], goes on to the transport.
//!
//! ```
//! use awsquery::client::{Config, Handle};
//! use awsquery::mock::{Mocks, NoTransport};
//! # use awsquery::client::ServiceInfo;
//! # use awsquery::endpoint::Endpoint;
//! # use awsquery::error::{BuildError, ErrorMetadata, ProvideErrorMetadata};
//! # use awsquery::http::{Request, Response};
//! # use awsquery::sigv4::Credentials;
//! # use awsquery::Unhandled;
//! # #[derive(Debug)]
//! # struct PingError(Unhandled);
//! # impl std::fmt::Display for PingError {
//! #     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { self.0.fmt(f) }
//! # }
//! # impl std::error::Error for PingError {}
//! # impl From<Unhandled> for PingError { fn from(e: Unhandled) -> Self { PingError(e) } }
//! # impl ProvideErrorMetadata for PingError { fn meta(&self) -> &ErrorMetadata { self.0.meta() } }
//! # struct Ping;
//! # impl awsquery_protocol::operation::Operation for Ping {
//! #     const NAME: &'static str = "Ping";
//! #     type Input = String;
//! #     type Output = String;
//! #     type Error = PingError;
//! #     fn serialize(_: &String) -> Result<Request, BuildError> {
//! #         Ok(Request::form_post(String::from("Action=Ping")))
//! #     }
//! #     fn deserialize(r: &Response) -> Result<String, PingError> {
//! #         Err(PingError(Unhandled::new(ErrorMetadata::with_status(r.status))))
//! #     }
//! # }
//! # const SERVICE: ServiceInfo = ServiceInfo {
//! #     sdk_id: "Probe", signing_name: "probe", endpoint_prefix: "probe", crate_version: "1.0.0",
//! #     resolve_endpoint: |_| Ok(Endpoint::new("https://example.com")),
//! # };
//! # awsquery_testing::client::block_on(async {
//! let mocks = Mocks::new();
//! // `Ping` stands for an operation of a generated protocol crate
//! // (`neptune_protocol::FailoverGlobalCluster`, for one).
//! let pong = mocks
//!     .on::<Ping>()
//!     .matching(|input| input == "hello")
//!     .then_status(503)
//!     .then_output(String::from("pong"));
//! let config = Config::new("us-east-1", Credentials::new("AKID", "secret", None))
//!     .with_mocks(mocks.clone());
//! let handle = Handle::new(config, SERVICE, NoTransport);
//!
//! let output = handle.invoke::<Ping>(&String::from("hello")).await;
//! assert_eq!(output.unwrap(), "pong", "the 503 was retried");
//! assert_eq!(pong.calls(), 2);
//! assert!(handle.invoke::<Ping>(&String::from("bye")).await.is_err(), "no rule matches");
//! assert_eq!(mocks.calls::<Ping>(), 3);
//! assert_eq!(mocks.inputs::<Ping>(), ["hello", "hello", "bye"]);
//! # });
//! ```

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::error::Error as StdError;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crate::http::{Request, Response};
use crate::operation::Operation;
use crate::transport::{Transport, TransportError, TransportErrorKind};

/// A registry of rules, shared by its clones: give one clone to the configuration and keep one to
/// add rules and look at the calls.
///
/// Rules are tried in the order they were added, the first that matches answering. Every call
/// that reaches the registry (each attempt, retries included) is recorded, answered or not.
#[derive(Clone, Default)]
pub struct Mocks {
    registry: Arc<Mutex<Registry>>,
}

#[derive(Default)]
struct Registry {
    /// An `Operations<O>` per operation type with rules.
    operations: HashMap<TypeId, Box<dyn Any + Send>>,
    /// Every call, in order.
    calls: Vec<(TypeId, &'static str)>,
    send_unmatched: bool,
}

/// The rules of one operation, and the inputs of its calls.
struct Operations<O: Operation> {
    rules: Vec<Rule<O>>,
    inputs: Vec<O::Input>,
    /// The input's `Clone::clone`, kept here because the client, which calls the registry, does
    /// not require inputs to be `Clone`.
    copy: fn(&O::Input) -> O::Input,
}

type Matcher<I> = Arc<dyn Fn(&I) -> bool + Send + Sync>;
type Producer<O> = Arc<dyn Fn(&<O as Operation>::Input) -> Answer<O> + Send + Sync>;

struct Rule<O: Operation> {
    matcher: Option<Matcher<O::Input>>,
    answers: Vec<Step<O>>,
    /// The answer to give next, and how many times it has been given.
    next: usize,
    given: u32,
    /// How many calls the rule answered.
    calls: usize,
}

/// One answer of a rule's sequence and how many times to give it (`None`: once, or, for the last
/// one, for every call left).
struct Step<O: Operation> {
    answer: Producer<O>,
    times: Option<u32>,
}

/// What a rule answers with.
pub(crate) enum Answer<O: Operation> {
    Output(O::Output),
    Error(O::Error),
    Response(Response),
    Transport(TransportError),
}

/// What the registry tells the client to do with an attempt.
pub(crate) enum Reply<O: Operation> {
    /// Use this answer instead of sending.
    Answer(Answer<O>),
    /// Fail the call: no rule answers it.
    Unanswered(TransportError),
    /// Send the request as usual.
    Send,
}

impl<O: Operation> Rule<O> {
    fn used_up(&self) -> bool {
        self.next >= self.answers.len()
    }

    /// The next answer, moving along the sequence.
    fn take(&mut self) -> Option<Producer<O>> {
        let step = self.answers.get(self.next)?;
        let answer = Arc::clone(&step.answer);
        let last = self.next + 1 == self.answers.len();
        self.given += 1;
        match step.times {
            None if last => {}
            times if self.given >= times.unwrap_or(1) => {
                self.next += 1;
                self.given = 0;
            }
            _ => {}
        }
        self.calls += 1;
        Some(answer)
    }
}

fn lock(registry: &Mutex<Registry>) -> MutexGuard<'_, Registry> {
    registry.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Registry {
    fn operations<O: Operation + 'static>(&mut self) -> Option<&mut Operations<O>> {
        self.operations
            .get_mut(&TypeId::of::<O>())
            .and_then(|entry| entry.downcast_mut::<Operations<O>>())
    }
}

impl Mocks {
    /// An empty registry: every call is unanswered until rules are added.
    pub fn new() -> Self {
        Mocks::default()
    }

    /// Sends the calls no rule answers through the client's transport instead of failing them.
    pub fn send_unmatched(self) -> Self {
        lock(&self.registry).send_unmatched = true;
        self
    }

    /// Adds a rule for operation `O` (an operation type of a generated protocol crate, such as
    /// `neptune_protocol::FailoverGlobalCluster`), after the rules already there. It matches every
    /// call until [`matching`](MockRule::matching) narrows it, and answers nothing until given
    /// answers.
    pub fn on<O>(&self) -> MockRule<O>
    where
        O: Operation + 'static,
        O::Input: Clone + Send,
    {
        let mut registry = lock(&self.registry);
        let operations = registry
            .operations
            .entry(TypeId::of::<O>())
            .or_insert_with(|| {
                Box::new(Operations::<O> {
                    rules: Vec::new(),
                    inputs: Vec::new(),
                    copy: O::Input::clone,
                })
            })
            .downcast_mut::<Operations<O>>()
            .expect("the entry of an operation's type holds that operation's rules");
        operations.rules.push(Rule {
            matcher: None,
            answers: Vec::new(),
            next: 0,
            given: 0,
            calls: 0,
        });
        MockRule {
            mocks: self.clone(),
            index: operations.rules.len() - 1,
            operation: std::marker::PhantomData,
        }
    }

    /// How many calls of `O` reached the registry, answered or not (each attempt counts).
    pub fn calls<O: Operation + 'static>(&self) -> usize {
        let id = TypeId::of::<O>();
        lock(&self.registry)
            .calls
            .iter()
            .filter(|(operation, _)| *operation == id)
            .count()
    }

    /// The inputs of the calls of `O`, in order (each attempt counts). Recorded for the operations
    /// that have at least one rule.
    pub fn inputs<O>(&self) -> Vec<O::Input>
    where
        O: Operation + 'static,
        O::Input: Clone,
    {
        lock(&self.registry)
            .operations::<O>()
            .map(|operations| operations.inputs.clone())
            .unwrap_or_default()
    }

    /// The name of the operation of every call, in order (each attempt counts).
    pub fn operations(&self) -> Vec<&'static str> {
        lock(&self.registry)
            .calls
            .iter()
            .map(|(_, name)| *name)
            .collect()
    }

    /// How the client goes on with an attempt of `O` with `input`: the first rule that matches
    /// and has an answer left answers. The rules' closures run with the registry unlocked, so
    /// that they may look at it.
    pub(crate) fn reply<O: Operation + 'static>(&self, input: &O::Input) -> Reply<O> {
        let candidates: Vec<(usize, Option<Matcher<O::Input>>)> = {
            let mut registry = lock(&self.registry);
            registry.calls.push((TypeId::of::<O>(), O::NAME));
            match registry.operations::<O>() {
                Some(operations) => {
                    let copy = (operations.copy)(input);
                    operations.inputs.push(copy);
                    operations
                        .rules
                        .iter()
                        .enumerate()
                        .filter(|(_, rule)| !rule.used_up())
                        .map(|(index, rule)| (index, rule.matcher.clone()))
                        .collect()
                }
                None => Vec::new(),
            }
        };
        for (index, matcher) in candidates {
            if !matcher.is_none_or(|matches| matches(input)) {
                continue;
            }
            let answer = lock(&self.registry)
                .operations::<O>()
                .and_then(|operations| operations.rules[index].take());
            // `None`: another call used the rule up meanwhile; the next rule may still answer.
            if let Some(answer) = answer {
                return Reply::Answer(answer(input));
            }
        }
        let mut registry = lock(&self.registry);
        if registry.send_unmatched {
            return Reply::Send;
        }
        let (rules, used_up) = registry.operations::<O>().map_or((0, 0), |operations| {
            let used_up = operations.rules.iter().filter(|r| r.used_up()).count();
            (operations.rules.len(), used_up)
        });
        Reply::Unanswered(TransportError::new(
            TransportErrorKind::Other,
            Unanswered {
                operation: O::NAME,
                rules,
                used_up,
            },
        ))
    }
}

impl fmt::Debug for Mocks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let registry = lock(&self.registry);
        f.debug_struct("Mocks")
            .field("operations", &registry.operations.len())
            .field("calls", &registry.calls.len())
            .field("send_unmatched", &registry.send_unmatched)
            .finish()
    }
}

/// A rule of a [`Mocks`] registry for operation `O`, made by [`Mocks::on`]: which calls it
/// matches and what it answers them, in order. Its methods change the rule in the registry and
/// hand it back, so that it can be kept to count its calls.
///
/// A rule gives its answers in the order they were added, each once unless
/// [`times`](Self::times) says otherwise; its last answer is given again for every later call,
/// unless `times` limits it too. A rule whose answers are all given is used up: later calls go on
/// to the next rule that matches.
pub struct MockRule<O> {
    mocks: Mocks,
    index: usize,
    operation: std::marker::PhantomData<fn() -> O>,
}

impl<O> Clone for MockRule<O> {
    fn clone(&self) -> Self {
        MockRule {
            mocks: self.mocks.clone(),
            index: self.index,
            operation: std::marker::PhantomData,
        }
    }
}

impl<O> fmt::Debug for MockRule<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockRule")
            .field("operation", &std::any::type_name::<O>())
            .field("index", &self.index)
            .finish()
    }
}

impl<O> MockRule<O>
where
    O: Operation + 'static,
    O::Input: Clone + Send,
{
    fn update<R>(&self, change: impl FnOnce(&mut Rule<O>) -> R) -> R {
        let mut registry = lock(&self.mocks.registry);
        let operations = registry
            .operations::<O>()
            .expect("a rule's operation has an entry from `Mocks::on`");
        change(&mut operations.rules[self.index])
    }

    fn then(self, answer: impl Fn(&O::Input) -> Answer<O> + Send + Sync + 'static) -> Self {
        self.update(|rule| {
            rule.answers.push(Step {
                answer: Arc::new(answer),
                times: None,
            })
        });
        self
    }

    /// Answers only the calls whose input `predicate` accepts (replacing an earlier predicate).
    pub fn matching(self, predicate: impl Fn(&O::Input) -> bool + Send + Sync + 'static) -> Self {
        self.update(|rule| rule.matcher = Some(Arc::new(predicate)));
        self
    }

    /// Answers with `output`, a clone of it each time.
    pub fn then_output(self, output: O::Output) -> Self
    where
        O::Output: Clone + Send + Sync,
    {
        self.then(move |_| Answer::Output(output.clone()))
    }

    /// Answers with the output `make` builds from the call's input.
    pub fn then_output_with(
        self,
        make: impl Fn(&O::Input) -> O::Output + Send + Sync + 'static,
    ) -> Self {
        self.then(move |input| Answer::Output(make(input)))
    }

    /// Answers with the error `make` builds: a modeled error (the operation's error enum's
    /// variant), or its `Unhandled` case with a code of your choosing. The retry strategy judges it
    /// by its metadata, as one from the service: a modeled fault is returned as
    /// [`SdkError::Service`](crate::client::SdkError::Service), a throttling code is retried.
    /// Errors are not `Clone`, hence a function that makes one per answer.
    pub fn then_error(self, make: impl Fn() -> O::Error + Send + Sync + 'static) -> Self {
        self.then(move |_| Answer::Error(make()))
    }

    /// Answers with an HTTP response of `status` and no body, read by the operation's parser:
    /// for a 5xx, an unhandled error the retry strategy retries.
    pub fn then_status(self, status: u16) -> Self {
        self.then(move |_| Answer::Response(Response::new(status, Vec::new())))
    }

    /// Answers with a transport failure of `kind` (no response arrived), which the retry strategy
    /// judges as it would one from the transport: connection failures and timeouts are retried.
    pub fn then_transport_error(self, kind: TransportErrorKind) -> Self {
        self.then(move |_| Answer::Transport(TransportError::new(kind, MockedFailure)))
    }

    /// Gives the answer added last `times` times (at least once), then moves on to the next one;
    /// after the last answer, the rule is used up.
    ///
    /// # Panics
    ///
    /// When the rule has no answer yet.
    #[track_caller]
    pub fn times(self, times: u32) -> Self {
        let added = self.update(|rule| match rule.answers.last_mut() {
            Some(step) => {
                step.times = Some(times.max(1));
                true
            }
            None => false,
        });
        assert!(added, "`times` repeats the answer before it: add one first");
        self
    }

    /// How many calls the rule answered.
    pub fn calls(&self) -> usize {
        self.update(|rule| rule.calls)
    }
}

/// The source of the transport error of a call no rule answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unanswered {
    operation: &'static str,
    rules: usize,
    used_up: usize,
}

impl Unanswered {
    /// The operation called.
    pub fn operation(&self) -> &'static str {
        self.operation
    }
}

impl fmt::Display for Unanswered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no mock rule answers this call of `{}`", self.operation)?;
        let rules = match self.rules {
            0 => return f.write_str(" (it has no rules)"),
            1 => "1 rule",
            _ => &format!("{} rules", self.rules),
        };
        match self.used_up {
            0 => write!(f, " ({rules} for it, not matching)"),
            used_up if used_up == self.rules => write!(f, " ({rules} for it, used up)"),
            used_up => write!(
                f,
                " ({rules} for it: {used_up} used up, the others not matching)"
            ),
        }
    }
}

impl StdError for Unanswered {}

/// The source of the transport errors of [`MockRule::then_transport_error`].
#[derive(Debug)]
struct MockedFailure;

impl fmt::Display for MockedFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a failure answered by a mock rule")
    }
}

impl StdError for MockedFailure {}

/// A transport for clients whose calls mocks answer: it sends nothing (a request reaching it
/// fails with a transport error saying so) and its waits return at once, so retries take no time.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoTransport;

impl Transport for NoTransport {
    async fn send(&self, _request: Request) -> Result<Response, TransportError> {
        Err(TransportError::new(TransportErrorKind::Other, NotSent))
    }

    async fn sleep(&self, _duration: Duration) {}
}

#[derive(Debug)]
struct NotSent;

impl fmt::Display for NotSent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("`NoTransport` sends nothing: no mock rule answered the call")
    }
}

impl StdError for NotSent {}
