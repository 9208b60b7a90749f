//! The AWS SDKs' `standard` and `adaptive` retry modes, as pure decisions with no I/O and no
//! sleeping.
//!
//! A client keeps one [`RetryStrategy`] for its whole life (it holds the retry quota and, in
//! adaptive mode, the rate limiter, which every call of that client shares) and one
//! [`RetryState`] per call:
//!
//! ```
//! use std::time::Duration;
//! use awsquery::retry::{Decision, Outcome, RetryConfig, RetryState, RetryStrategy};
//!
//! let strategy = RetryStrategy::new(RetryConfig::default()).with_jitter(|| 1.0);
//! let mut state = RetryState::new();
//!
//! // Attempt 1 got an HTTP 503: wait, then send attempt 2.
//! let outcome = Outcome::Response { status: 503, code: None };
//! assert_eq!(
//!     strategy.decide(&mut state, &outcome),
//!     Decision::RetryAfter(Duration::from_secs(1)),
//! );
//! assert_eq!(state.attempt(), 2);
//!
//! // Attempt 2 succeeded: the quota gets the retry's cost back.
//! strategy.on_success(state);
//! assert_eq!(strategy.quota().available(), strategy.quota().capacity());
//! ```
//!
//! # The rules
//!
//! * **Attempts.** A call makes at most [`RetryConfig::max_attempts`] attempts, the first one
//!   included (3 by default); 1 turns retrying off.
//! * **What is retried.** See [`classify`]: connection failures, timeouts and broken connections;
//!   HTTP 500, 502, 503 and 504; and a fixed list of throttling and transient error codes.
//!   Everything else, every modeled fault included, is final.
//! * **Backoff.** After attempt `i` (1-based) fails, the client waits
//!   `b × min(max_backoff, initial_backoff × 2^(i−1))` with `b` drawn uniformly from `[0, 1]`
//!   ("full jitter"). With the defaults (1 s and 20 s) the ceilings are 1, 2, 4, 8, 16, 20, 20 … s.
//!   The specification writes this as `min(b × r^i, MAX_BACKOFF)` with `r = 2`; the two agree
//!   below the cap, and applying `b` after the cap keeps delays spread over `[0, max_backoff]`
//!   instead of piling up at exactly `max_backoff` once the exponential has passed it.
//! * **Retry quota.** A token bucket of [`INITIAL_RETRY_TOKENS`] (500) per client. A retry after a
//!   connection failure, timeout or broken connection costs [`TIMEOUT_RETRY_COST`] (10); any other
//!   retry costs [`RETRY_COST`] (5). When the bucket cannot pay, the call stops instead of
//!   retrying. A success puts back the cost of the retry that led to it, or
//!   [`NO_RETRY_INCREMENT`] (1) when the first attempt succeeded, never above the capacity. A
//!   failed retry gives nothing back, so a failing service drains the bucket and the client stops
//!   retrying until calls succeed again.
//!
//! This is the long-standing `standard` mode; AWS has announced an opt-in revision with different
//! backoff timings and quota costs, which this module does not implement. Throttling and transient
//! errors are told apart ([`RetryKind`]) but treated alike, as `standard` mode does.
//!
//! # Adaptive mode
//!
//! [`RetryMode::Adaptive`] keeps every rule above and adds a client-side rate limiter
//! ([`ClientRateLimiter`]): a token bucket whose fill rate is cut on each throttling error and
//! grows back on other responses along a cubic curve (see its module for the arithmetic). Until
//! the client is first throttled it changes nothing; from then on every attempt of every call, a
//! first attempt included, takes a token and waits for one when the bucket is empty
//! ([`RetryStrategy::before_attempt`]). It suits a client that is the main user of a throttled
//! resource and can accept that calls are slowed down; the AWS SDKs describe it as experimental.
//!
//! # Modes by name
//!
//! The shared files' `retry_mode` and `AWS_RETRY_MODE` name a mode: `standard`, `adaptive` or
//! `legacy` ([`RetryMode`]'s `FromStr`, case-insensitive). `legacy` is each SDK's older,
//! SDK-specific behaviour (in the AWS CLI v2, botocore's older retry handler with 5 attempts by
//! default); there is none here, so it is accepted and treated as `standard`, as the AWS SDK for
//! Kotlin does, rather than refused as the AWS SDK for Rust does: a shared file written for the
//! AWS CLI keeps working. The number of attempts stays [`DEFAULT_MAX_ATTEMPTS`] unless
//! `max_attempts` says otherwise.

use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use crate::error::ErrorMetadata;
pub use crate::random::{DefaultJitter, JitterSource};
use crate::transport::{TransportError, TransportErrorKind};
use awsquery_types::text::MAX_NAME_CHARS;

mod rate_limiter;

pub use rate_limiter::{
    BETA, ClientRateLimiter, MIN_CAPACITY, MIN_FILL_RATE, SCALE_CONSTANT, SMOOTH,
};

/// How many attempts a call makes by default, the first one included.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;
/// The backoff ceiling after the first failed attempt, by default.
pub const DEFAULT_INITIAL_BACKOFF: Duration = Duration::from_secs(1);
/// The largest backoff ceiling, by default.
pub const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(20);

/// The retry quota's capacity: the tokens a client starts with and never exceeds.
pub const INITIAL_RETRY_TOKENS: u32 = 500;
/// What a retry costs, unless it follows a connection failure, timeout or broken connection.
pub const RETRY_COST: u32 = 5;
/// What a retry costs after a connection failure, timeout or broken connection.
pub const TIMEOUT_RETRY_COST: u32 = 10;
/// What a success on the first attempt puts back into the quota.
pub const NO_RETRY_INCREMENT: u32 = 1;

/// Error codes that mean the caller is being throttled.
const THROTTLING_CODES: [&str; 14] = [
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes that mean a passing failure on the service side.
const TRANSIENT_CODES: [&str; 4] = [
    "RequestTimeout",
    "RequestTimeoutException",
    "InternalError",
    "IDPCommunicationError",
];

/// HTTP statuses that mean a passing failure on the service side.
const TRANSIENT_STATUSES: [u16; 4] = [500, 502, 503, 504];

/// Which retry rules a client follows.
///
/// ```
/// use awsquery::retry::RetryMode;
///
/// assert_eq!("adaptive".parse(), Ok(RetryMode::Adaptive));
/// assert_eq!(" Standard ".parse(), Ok(RetryMode::Standard));
/// // The AWS CLI's `legacy` is taken as `standard`.
/// assert_eq!("legacy".parse(), Ok(RetryMode::Standard));
/// assert!("fast".parse::<RetryMode>().is_err());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RetryMode {
    /// The `standard` mode shared by the AWS SDKs: retries with backoff and a retry quota.
    #[default]
    Standard,
    /// `standard` plus a client-side rate limiter that slows every attempt down once the
    /// service has throttled the client.
    Adaptive,
}

impl RetryMode {
    /// The mode's name in the shared files and `AWS_RETRY_MODE`: `standard` or `adaptive`.
    pub fn as_str(self) -> &'static str {
        match self {
            RetryMode::Standard => "standard",
            RetryMode::Adaptive => "adaptive",
        }
    }
}

impl fmt::Display for RetryMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RetryMode {
    type Err = ParseRetryModeError;

    /// `standard`, `adaptive`, or `legacy` (taken as `standard`), in any case, surrounding
    /// whitespace ignored.
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let name = value.trim();
        if name.eq_ignore_ascii_case("standard") || name.eq_ignore_ascii_case("legacy") {
            Ok(RetryMode::Standard)
        } else if name.eq_ignore_ascii_case("adaptive") {
            Ok(RetryMode::Adaptive)
        } else {
            Err(ParseRetryModeError(
                awsquery_types::text::printable(value, MAX_NAME_CHARS).into_owned(),
            ))
        }
    }
}

/// A name that is not a retry mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseRetryModeError(String);

impl fmt::Display for ParseRetryModeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a retry mode: expected `standard`, `adaptive` or `legacy`",
            self.0
        )
    }
}

impl std::error::Error for ParseRetryModeError {}

/// The retry mode, how many attempts a call may make and how long it waits between them.
///
/// ```
/// use std::time::Duration;
/// use awsquery::retry::{RetryConfig, RetryMode};
///
/// let config = RetryConfig::default()
///     .with_mode(RetryMode::Adaptive)
///     .with_max_attempts(5)
///     .with_initial_backoff(Duration::from_millis(100))
///     .with_max_backoff(Duration::from_secs(5));
/// assert_eq!(config.backoff_ceiling(3), Duration::from_millis(400));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryConfig {
    mode: RetryMode,
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl Default for RetryConfig {
    /// Standard mode, three attempts, backoff ceilings from 1 s doubling up to 20 s.
    fn default() -> Self {
        RetryConfig {
            mode: RetryMode::Standard,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            initial_backoff: DEFAULT_INITIAL_BACKOFF,
            max_backoff: DEFAULT_MAX_BACKOFF,
        }
    }
}

impl RetryConfig {
    /// The defaults: standard mode, three attempts, backoff ceilings from 1 s doubling up to 20 s.
    pub fn new() -> Self {
        RetryConfig::default()
    }

    /// Follows the rules of `mode`.
    pub fn with_mode(mut self, mode: RetryMode) -> Self {
        self.mode = mode;
        self
    }

    /// The retry mode.
    pub fn mode(&self) -> RetryMode {
        self.mode
    }

    /// One attempt per call: nothing is ever retried.
    pub fn disabled() -> Self {
        RetryConfig::default().with_max_attempts(1)
    }

    /// At most `max_attempts` attempts per call, the first one included; 1 disables retries and
    /// 0 is taken as 1.
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts.max(1);
        self
    }

    /// The backoff ceiling after the first failed attempt; it doubles with every further one.
    pub fn with_initial_backoff(mut self, initial_backoff: Duration) -> Self {
        self.initial_backoff = initial_backoff;
        self
    }

    /// The largest backoff ceiling, however many attempts have failed.
    pub fn with_max_backoff(mut self, max_backoff: Duration) -> Self {
        self.max_backoff = max_backoff;
        self
    }

    /// The most attempts a call makes, the first one included (at least 1).
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The backoff ceiling after the first failed attempt.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The largest backoff ceiling.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The longest wait after attempt `attempt` (1-based; 0 is taken as 1) has failed:
    /// `min(max_backoff, initial_backoff × 2^(attempt−1))`, without jitter. Never overflows.
    pub fn backoff_ceiling(&self, attempt: u32) -> Duration {
        let doublings = attempt.saturating_sub(1);
        1u32.checked_shl(doublings)
            .and_then(|factor| self.initial_backoff.checked_mul(factor))
            .map_or(self.max_backoff, |grown| grown.min(self.max_backoff))
    }
}

/// Why a failed attempt is, or is not, worth repeating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RetryKind {
    /// The service asked the caller to slow down.
    Throttling,
    /// A passing failure: no response, or a server-side error that may not happen again.
    Transient,
    /// Sending the same request again would fail the same way.
    NotRetryable,
}

impl RetryKind {
    /// Whether the failure may be retried ([`Throttling`](RetryKind::Throttling) or
    /// [`Transient`](RetryKind::Transient)).
    pub fn is_retryable(self) -> bool {
        !matches!(self, RetryKind::NotRetryable)
    }
}

/// How an attempt failed: what [`classify`] and [`RetryStrategy::decide`] look at.
///
/// Build it from a [`TransportError`] or from the [`ErrorMetadata`] of an error response (modeled
/// errors and [`Unhandled`](crate::Unhandled) both carry one) with `Outcome::from`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome<'a> {
    /// No response arrived.
    Transport(TransportErrorKind),
    /// The service answered with an error.
    Response {
        /// The HTTP status code.
        status: u16,
        /// The awsQuery error code (`<Code>`), when the body had one.
        code: Option<&'a str>,
    },
}

impl Outcome<'_> {
    /// How this outcome is classified; the same as [`classify`].
    pub fn kind(&self) -> RetryKind {
        classify(self)
    }
}

impl From<&TransportError> for Outcome<'_> {
    fn from(error: &TransportError) -> Self {
        Outcome::Transport(error.kind())
    }
}

impl<'a> From<&'a ErrorMetadata> for Outcome<'a> {
    fn from(meta: &'a ErrorMetadata) -> Self {
        Outcome::Response {
            status: meta.status,
            code: meta.code(),
        }
    }
}

/// Classifies a failed attempt.
///
/// * A throttling error code (`Throttling`, `ThrottlingException`, `RequestLimitExceeded`,
///   `SlowDown`, `PriorRequestNotComplete`, …, fourteen in all) is
///   [`Throttling`](RetryKind::Throttling), whatever the status.
/// * A transient error code (`RequestTimeout`, `RequestTimeoutException`, `InternalError`,
///   `IDPCommunicationError`) is [`Transient`](RetryKind::Transient), whatever the status.
/// * Otherwise HTTP 500, 502, 503 and 504 are [`Transient`](RetryKind::Transient).
/// * A connection failure, a timeout or a broken connection is
///   [`Transient`](RetryKind::Transient); any other transport failure (a response over the
///   transport's size limit, say: the same request would get it again) is not retried.
/// * Everything else is [`NotRetryable`](RetryKind::NotRetryable): every other 4xx (modeled
///   faults such as `GlobalClusterNotFoundFault`, validation and authorization errors), other
///   statuses, and codes that differ in case from the lists above.
pub fn classify(outcome: &Outcome<'_>) -> RetryKind {
    match *outcome {
        Outcome::Transport(kind) => match kind {
            TransportErrorKind::Connect | TransportErrorKind::Timeout | TransportErrorKind::Io => {
                RetryKind::Transient
            }
            TransportErrorKind::ResponseTooLarge | TransportErrorKind::Other => {
                RetryKind::NotRetryable
            }
        },
        Outcome::Response { status, code } => {
            if let Some(code) = code {
                if THROTTLING_CODES.contains(&code) {
                    return RetryKind::Throttling;
                }
                if TRANSIENT_CODES.contains(&code) {
                    return RetryKind::Transient;
                }
            }
            if TRANSIENT_STATUSES.contains(&status) {
                RetryKind::Transient
            } else {
                RetryKind::NotRetryable
            }
        }
    }
}

/// What a retry after `outcome` costs the quota.
fn retry_cost(outcome: &Outcome<'_>) -> u32 {
    match outcome {
        Outcome::Transport(
            TransportErrorKind::Connect | TransportErrorKind::Timeout | TransportErrorKind::Io,
        ) => TIMEOUT_RETRY_COST,
        _ => RETRY_COST,
    }
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Wait this long, then send the next attempt.
    RetryAfter(Duration),
    /// Give up and return the failure to the caller.
    Stop(StopReason),
}

/// Why a failed attempt is not retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StopReason {
    /// The failure is not one that retrying can fix.
    NotRetryable,
    /// The call has made all the attempts it may.
    AttemptsExhausted,
    /// The client's retry quota cannot pay for another retry.
    QuotaExhausted,
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StopReason::NotRetryable => "the error is not retryable",
            StopReason::AttemptsExhausted => "the maximum number of attempts was reached",
            StopReason::QuotaExhausted => "the retry quota is exhausted",
        })
    }
}

/// The per-client token bucket that limits retries when a service keeps failing.
///
/// Safe to share between threads and concurrent calls: the balance is one atomic counter.
#[derive(Debug)]
pub struct RetryQuota {
    available: AtomicU32,
    capacity: u32,
}

impl Default for RetryQuota {
    /// A full bucket of [`INITIAL_RETRY_TOKENS`].
    fn default() -> Self {
        RetryQuota::with_capacity(INITIAL_RETRY_TOKENS)
    }
}

impl RetryQuota {
    /// A full bucket of [`INITIAL_RETRY_TOKENS`] (500).
    pub fn new() -> Self {
        RetryQuota::default()
    }

    /// A full bucket of `capacity` tokens.
    pub fn with_capacity(capacity: u32) -> Self {
        RetryQuota {
            available: AtomicU32::new(capacity),
            capacity,
        }
    }

    /// The tokens the bucket holds now.
    pub fn available(&self) -> u32 {
        self.available.load(Ordering::Relaxed)
    }

    /// The most tokens the bucket holds; it starts full.
    pub fn capacity(&self) -> u32 {
        self.capacity
    }

    /// Takes `cost` tokens if the bucket holds that many; returns whether it did.
    pub fn try_acquire(&self, cost: u32) -> bool {
        self.available
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |available| {
                available.checked_sub(cost)
            })
            .is_ok()
    }

    /// Puts `amount` tokens back, up to the capacity.
    pub fn release(&self, amount: u32) {
        let capacity = self.capacity;
        // The closure always returns `Some`, so the update cannot fail.
        let _ = self
            .available
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |available| {
                Some(available.saturating_add(amount).min(capacity))
            });
    }
}

/// One attempt's place in a call: which attempt it is and what the last retry cost the quota.
///
/// Create one per call with [`RetryState::new`], pass it to [`RetryStrategy::decide`] after each
/// failure and to [`RetryStrategy::on_success`] after the success.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryState {
    attempt: u32,
    last_retry_cost: u32,
}

impl Default for RetryState {
    /// The state before the first attempt.
    fn default() -> Self {
        RetryState {
            attempt: 1,
            last_retry_cost: 0,
        }
    }
}

impl RetryState {
    /// The state before the first attempt.
    pub fn new() -> Self {
        RetryState::default()
    }

    /// The number (1-based) of the attempt about to be sent, or of the one that just finished.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The tokens the retry that led to the current attempt took from the quota; 0 on the first
    /// attempt.
    pub fn last_retry_cost(&self) -> u32 {
        self.last_retry_cost
    }
}

/// The retry rules for one client: its configuration, its retry quota, its jitter and, in
/// adaptive mode, its rate limiter.
///
/// Share one per client (it is `Send + Sync`); keep a [`RetryState`] per call. A call loop:
///
/// 1. `let mut state = RetryState::new();`
/// 2. wait [`before_attempt()`](RetryStrategy::before_attempt) (always zero in standard mode),
///    then send attempt `state.attempt()`;
/// 3. on success, [`on_success(state)`](RetryStrategy::on_success) and return;
/// 4. on failure, [`decide(&mut state, &outcome)`](RetryStrategy::decide): on
///    [`Decision::RetryAfter`] sleep and go to 2, on [`Decision::Stop`] return the failure.
pub struct RetryStrategy {
    config: RetryConfig,
    quota: RetryQuota,
    jitter: Box<dyn JitterSource>,
    /// Present in adaptive mode only.
    rate_limiter: Option<ClientRateLimiter>,
    clock: Box<dyn Fn() -> Duration + Send + Sync>,
}

impl fmt::Debug for RetryStrategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("RetryStrategy");
        s.field("config", &self.config).field("quota", &self.quota);
        if let Some(limiter) = &self.rate_limiter {
            s.field("rate_limiter", limiter);
        }
        s.finish_non_exhaustive()
    }
}

impl Default for RetryStrategy {
    /// The default configuration, a full quota and [`DefaultJitter`].
    fn default() -> Self {
        RetryStrategy::new(RetryConfig::default())
    }
}

impl RetryStrategy {
    /// A strategy with a full quota of [`INITIAL_RETRY_TOKENS`] and [`DefaultJitter`], and in
    /// adaptive mode a fresh rate limiter on a monotonic clock.
    pub fn new(config: RetryConfig) -> Self {
        let origin = Instant::now();
        RetryStrategy {
            config,
            quota: RetryQuota::new(),
            jitter: Box::new(DefaultJitter::new()),
            rate_limiter: match config.mode {
                RetryMode::Standard => None,
                RetryMode::Adaptive => Some(ClientRateLimiter::new(Duration::ZERO)),
            },
            clock: Box::new(move || origin.elapsed()),
        }
    }

    /// Reads the rate limiter's time from `clock` instead: the time since an origin of its
    /// choosing, which must never go back. The rate limiter starts afresh at the clock's reading.
    pub fn with_clock(mut self, clock: impl Fn() -> Duration + Send + Sync + 'static) -> Self {
        if self.rate_limiter.is_some() {
            self.rate_limiter = Some(ClientRateLimiter::new(clock()));
        }
        self.clock = Box::new(clock);
        self
    }

    /// Draws jitter factors from `jitter` instead (tests pin it with `|| 1.0`).
    pub fn with_jitter(mut self, jitter: impl JitterSource + 'static) -> Self {
        self.jitter = Box::new(jitter);
        self
    }

    /// Uses `quota` instead of a full bucket of [`INITIAL_RETRY_TOKENS`].
    pub fn with_quota(mut self, quota: RetryQuota) -> Self {
        self.quota = quota;
        self
    }

    /// The configuration.
    pub fn config(&self) -> &RetryConfig {
        &self.config
    }

    /// The retry quota shared by every call made with this strategy.
    pub fn quota(&self) -> &RetryQuota {
        &self.quota
    }

    /// The rate limiter shared by every call made with this strategy, in adaptive mode.
    pub fn rate_limiter(&self) -> Option<&ClientRateLimiter> {
        self.rate_limiter.as_ref()
    }

    /// How long to wait before sending an attempt, the first one of a call included: zero in
    /// standard mode; in adaptive mode, zero until the client is first throttled and from then
    /// on the wait for the rate limiter's next token (which this takes).
    pub fn before_attempt(&self) -> Duration {
        match &self.rate_limiter {
            None => Duration::ZERO,
            Some(limiter) => limiter.acquire((self.clock)()),
        }
    }

    /// Tells the rate limiter, if any, of an attempt's outcome.
    fn record(&self, throttled: bool) {
        if let Some(limiter) = &self.rate_limiter {
            limiter.record((self.clock)(), throttled);
        }
    }

    /// The wait after attempt `attempt` (1-based) has failed: the
    /// [ceiling](RetryConfig::backoff_ceiling) scaled by a fresh jitter factor.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let ceiling = self.config.backoff_ceiling(attempt);
        let factor = self.jitter.next_factor();
        if factor.is_nan() || factor <= 0.0 {
            Duration::ZERO
        } else if factor >= 1.0 {
            ceiling
        } else {
            Duration::try_from_secs_f64(ceiling.as_secs_f64() * factor)
                .map_or(ceiling, |delay| delay.min(ceiling))
        }
    }

    /// Decides what follows the failure of attempt `state.attempt()`.
    ///
    /// In adaptive mode the outcome first goes to the rate limiter (a throttling error slows the
    /// client down). Then, in order: a [`NotRetryable`](RetryKind::NotRetryable) outcome stops the
    /// call; so does a call that has made [`max_attempts`](RetryConfig::max_attempts) attempts; so
    /// does a quota that cannot pay the retry's cost. Only then are the tokens taken, `state`
    /// moves on to the next attempt, and the answer is the [`backoff`](RetryStrategy::backoff) to
    /// wait.
    pub fn decide(&self, state: &mut RetryState, outcome: &Outcome<'_>) -> Decision {
        let kind = classify(outcome);
        self.record(kind == RetryKind::Throttling);
        if !kind.is_retryable() {
            return Decision::Stop(StopReason::NotRetryable);
        }
        if state.attempt >= self.config.max_attempts {
            return Decision::Stop(StopReason::AttemptsExhausted);
        }
        let cost = retry_cost(outcome);
        if !self.quota.try_acquire(cost) {
            return Decision::Stop(StopReason::QuotaExhausted);
        }
        let delay = self.backoff(state.attempt);
        state.attempt += 1;
        state.last_retry_cost = cost;
        Decision::RetryAfter(delay)
    }

    /// Records that the call's current attempt succeeded: the quota gets back what the retry
    /// leading to it cost, or [`NO_RETRY_INCREMENT`] if it was the first attempt, up to capacity;
    /// in adaptive mode the rate limiter's rate grows.
    pub fn on_success(&self, state: RetryState) {
        self.record(false);
        let refund = if state.last_retry_cost > 0 {
            state.last_retry_cost
        } else {
            NO_RETRY_INCREMENT
        };
        self.quota.release(refund);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, code: &str) -> Outcome<'_> {
        Outcome::Response {
            status,
            code: Some(code),
        }
    }

    fn status(status: u16) -> Outcome<'static> {
        Outcome::Response { status, code: None }
    }

    fn pinned(config: RetryConfig, factor: f64) -> RetryStrategy {
        RetryStrategy::new(config).with_jitter(move || factor)
    }

    /// A fresh call whose first attempt failed with `outcome`.
    fn first_failure(strategy: &RetryStrategy, outcome: &Outcome<'_>) -> (RetryState, Decision) {
        let mut state = RetryState::new();
        let decision = strategy.decide(&mut state, outcome);
        (state, decision)
    }

    #[test]
    fn throttling_codes() {
        for code in THROTTLING_CODES {
            for status in [400, 429, 503] {
                assert_eq!(
                    classify(&response(status, code)),
                    RetryKind::Throttling,
                    "{code} {status}"
                );
            }
        }
        for code in [
            "Throttling",
            "ThrottlingException",
            "ThrottledException",
            "RequestThrottledException",
            "TooManyRequestsException",
            "ProvisionedThroughputExceededException",
            "TransactionInProgressException",
            "RequestLimitExceeded",
            "BandwidthLimitExceeded",
            "LimitExceededException",
            "RequestThrottled",
            "SlowDown",
            "PriorRequestNotComplete",
            "EC2ThrottledException",
        ] {
            assert_eq!(
                classify(&response(400, code)),
                RetryKind::Throttling,
                "{code}"
            );
        }
    }

    #[test]
    fn transient_codes_statuses_and_transport_failures() {
        for code in [
            "RequestTimeout",
            "RequestTimeoutException",
            "InternalError",
            "IDPCommunicationError",
        ] {
            for status in [400, 500] {
                assert_eq!(
                    classify(&response(status, code)),
                    RetryKind::Transient,
                    "{code} {status}"
                );
            }
        }
        for code in [500, 502, 503, 504] {
            assert_eq!(classify(&status(code)), RetryKind::Transient, "{code}");
            assert_eq!(
                classify(&response(code, "InternalFailure")),
                RetryKind::Transient,
                "{code}"
            );
        }
        for kind in [
            TransportErrorKind::Connect,
            TransportErrorKind::Timeout,
            TransportErrorKind::Io,
        ] {
            assert_eq!(classify(&Outcome::Transport(kind)), RetryKind::Transient);
        }
    }

    #[test]
    fn everything_else_is_not_retryable() {
        let cases = [
            response(404, "GlobalClusterNotFoundFault"),
            response(404, "DBClusterNotFoundFault"),
            response(400, "InvalidDBClusterStateFault"),
            response(400, "InvalidParameterValue"),
            response(400, "ValidationError"),
            response(403, "AccessDenied"),
            response(403, "SignatureDoesNotMatch"),
            response(400, "throttling"),
            response(400, "SlowDownPlease"),
            status(400),
            status(404),
            status(429),
            status(501),
            status(505),
            status(200),
            Outcome::Transport(TransportErrorKind::Other),
            Outcome::Transport(TransportErrorKind::ResponseTooLarge),
        ];
        for outcome in cases {
            assert_eq!(outcome.kind(), RetryKind::NotRetryable, "{outcome:?}");
            assert!(!outcome.kind().is_retryable());
        }
    }

    #[test]
    fn outcomes_from_errors() {
        let mut meta = ErrorMetadata::with_status(400);
        meta.code = Some(String::from("Throttling"));
        meta.message = Some(String::from("Rate exceeded"));
        let outcome = Outcome::from(&meta);
        assert_eq!(
            outcome,
            Outcome::Response {
                status: 400,
                code: Some("Throttling")
            }
        );
        assert_eq!(outcome.kind(), RetryKind::Throttling);
        assert_eq!(
            Outcome::from(&ErrorMetadata::with_status(503)).kind(),
            RetryKind::Transient
        );

        let error = TransportError::new(TransportErrorKind::Timeout, "read timed out");
        assert_eq!(
            Outcome::from(&error),
            Outcome::Transport(TransportErrorKind::Timeout)
        );
    }

    #[test]
    fn config_defaults_and_setters() {
        let config = RetryConfig::default();
        assert_eq!(config, RetryConfig::new());
        assert_eq!(config.max_attempts(), 3);
        assert_eq!(config.initial_backoff(), Duration::from_secs(1));
        assert_eq!(config.max_backoff(), Duration::from_secs(20));

        let config = config
            .with_max_attempts(7)
            .with_initial_backoff(Duration::from_millis(50))
            .with_max_backoff(Duration::from_secs(2));
        assert_eq!(config.max_attempts(), 7);
        assert_eq!(config.initial_backoff(), Duration::from_millis(50));
        assert_eq!(config.max_backoff(), Duration::from_secs(2));

        assert_eq!(
            RetryConfig::default().with_max_attempts(0).max_attempts(),
            1
        );
        assert_eq!(RetryConfig::disabled().max_attempts(), 1);
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_with_full_jitter() {
        let strategy = pinned(RetryConfig::default().with_max_attempts(10), 1.0);
        let mut state = RetryState::new();
        let mut delays = Vec::new();
        while let Decision::RetryAfter(delay) = strategy.decide(&mut state, &status(503)) {
            delays.push(delay.as_secs());
        }
        assert_eq!(delays, [1, 2, 4, 8, 16, 20, 20, 20, 20]);
        assert_eq!(state.attempt(), 10);

        let config = RetryConfig::default();
        assert_eq!(config.backoff_ceiling(0), Duration::from_secs(1));
        for attempt in [32, 33, 64, u32::MAX] {
            assert_eq!(config.backoff_ceiling(attempt), Duration::from_secs(20));
        }
        let huge = config.with_max_backoff(Duration::MAX);
        assert_eq!(huge.backoff_ceiling(u32::MAX), Duration::MAX);
        assert_eq!(pinned(huge, 1.0).backoff(u32::MAX), Duration::MAX);
        assert!(pinned(huge, 0.5).backoff(u32::MAX) <= Duration::MAX);

        let fast = RetryConfig::default()
            .with_initial_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_millis(250));
        let ceilings: Vec<_> = (1..=4).map(|a| fast.backoff_ceiling(a)).collect();
        assert_eq!(
            ceilings,
            [100, 200, 250, 250].map(Duration::from_millis).to_vec()
        );
    }

    #[test]
    fn jitter_scales_and_is_clamped() {
        let config = RetryConfig::default();
        assert_eq!(pinned(config, 0.5).backoff(3), Duration::from_secs(2));
        assert_eq!(pinned(config, 0.25).backoff(6), Duration::from_secs(5));
        assert_eq!(pinned(config, 0.0).backoff(4), Duration::ZERO);
        assert_eq!(pinned(config, -3.0).backoff(4), Duration::ZERO);
        assert_eq!(pinned(config, f64::NAN).backoff(4), Duration::ZERO);
        assert_eq!(pinned(config, 7.0).backoff(4), Duration::from_secs(8));
        assert_eq!(
            pinned(config, f64::INFINITY).backoff(9),
            Duration::from_secs(20)
        );
    }

    #[test]
    fn default_jitter_stays_in_range_and_spreads() {
        let jitter = DefaultJitter::new();
        let samples: Vec<f64> = (0..10_000).map(|_| jitter.next_factor()).collect();
        assert!(samples.iter().all(|x| (0.0..1.0).contains(x)));
        let mean = samples.iter().sum::<f64>() / samples.len() as f64;
        assert!((0.45..0.55).contains(&mean), "mean {mean}");
        let low = samples.iter().filter(|&&x| x < 0.1).count();
        let high = samples.iter().filter(|&&x| x >= 0.9).count();
        assert!(low > 800 && high > 800, "{low} {high}");

        let strategy = RetryStrategy::new(RetryConfig::default());
        for attempt in 1..=8 {
            let ceiling = strategy.config().backoff_ceiling(attempt);
            let delays: Vec<_> = (0..200).map(|_| strategy.backoff(attempt)).collect();
            assert!(delays.iter().all(|d| *d <= ceiling), "{attempt}");
            assert!(delays.iter().any(|d| *d < ceiling / 2), "{attempt}");
            assert!(delays.iter().any(|d| *d > ceiling / 2), "{attempt}");
        }
    }

    #[test]
    fn seeded_jitter_is_reproducible() {
        let a = DefaultJitter::from_seed(42);
        let b = DefaultJitter::from_seed(42);
        let c = DefaultJitter::from_seed(43);
        let xs: Vec<u64> = (0..8).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..8).map(|_| b.next_u64()).collect();
        let zs: Vec<u64> = (0..8).map(|_| c.next_u64()).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs, zs);
        assert_ne!(
            DefaultJitter::new().next_u64(),
            DefaultJitter::new().next_u64()
        );
    }

    #[test]
    fn quota_drains_to_refusal() {
        let strategy = pinned(RetryConfig::default(), 1.0);
        assert_eq!(strategy.quota().available(), 500);
        for n in 1..=100 {
            let (state, decision) = first_failure(&strategy, &status(503));
            assert_eq!(decision, Decision::RetryAfter(Duration::from_secs(1)));
            assert_eq!(state.last_retry_cost(), RETRY_COST);
            assert_eq!(strategy.quota().available(), 500 - 5 * n);
        }
        let (state, decision) = first_failure(&strategy, &response(400, "Throttling"));
        assert_eq!(decision, Decision::Stop(StopReason::QuotaExhausted));
        assert_eq!(state, RetryState::new());
        assert_eq!(strategy.quota().available(), 0);

        let strategy = pinned(RetryConfig::default(), 1.0);
        let timeout = Outcome::Transport(TransportErrorKind::Timeout);
        for _ in 0..49 {
            assert!(matches!(
                first_failure(&strategy, &timeout).1,
                Decision::RetryAfter(_)
            ));
        }
        assert_eq!(strategy.quota().available(), 10);
        let (_, decision) = first_failure(&strategy, &Outcome::Transport(TransportErrorKind::Io));
        assert!(matches!(decision, Decision::RetryAfter(_)));
        assert_eq!(
            first_failure(&strategy, &Outcome::Transport(TransportErrorKind::Connect)).1,
            Decision::Stop(StopReason::QuotaExhausted)
        );

        let strategy = pinned(RetryConfig::default(), 1.0).with_quota(RetryQuota::with_capacity(9));
        assert_eq!(
            first_failure(&strategy, &timeout).1,
            Decision::Stop(StopReason::QuotaExhausted)
        );
        assert!(matches!(
            first_failure(&strategy, &status(500)).1,
            Decision::RetryAfter(_)
        ));
        assert_eq!(strategy.quota().available(), 4);
        assert_eq!(
            first_failure(&strategy, &status(500)).1,
            Decision::Stop(StopReason::QuotaExhausted)
        );
    }

    #[test]
    fn successes_refill_the_quota_up_to_capacity() {
        let strategy = pinned(RetryConfig::default(), 1.0);

        strategy.on_success(RetryState::new());
        assert_eq!(strategy.quota().available(), 500);

        let (state, _) = first_failure(&strategy, &status(502));
        assert_eq!(strategy.quota().available(), 495);
        strategy.on_success(state);
        assert_eq!(strategy.quota().available(), 500);

        let (state, _) = first_failure(&strategy, &Outcome::Transport(TransportErrorKind::Connect));
        assert_eq!(state.last_retry_cost(), TIMEOUT_RETRY_COST);
        assert_eq!(strategy.quota().available(), 490);
        strategy.on_success(state);
        assert_eq!(strategy.quota().available(), 500);

        // Two retries (10 + 5) then a success: only the last retry's cost comes back.
        let mut state = RetryState::new();
        let timeout = Outcome::Transport(TransportErrorKind::Timeout);
        assert!(matches!(
            strategy.decide(&mut state, &timeout),
            Decision::RetryAfter(_)
        ));
        assert!(matches!(
            strategy.decide(&mut state, &status(503)),
            Decision::RetryAfter(_)
        ));
        assert_eq!(strategy.quota().available(), 485);
        strategy.on_success(state);
        assert_eq!(strategy.quota().available(), 490);

        for _ in 0..4 {
            strategy.on_success(RetryState::new());
        }
        assert_eq!(strategy.quota().available(), 494);
        for _ in 0..20 {
            strategy.on_success(RetryState::new());
        }
        assert_eq!(strategy.quota().available(), 500);

        let quota = RetryQuota::with_capacity(10);
        assert!(quota.try_acquire(10));
        assert!(!quota.try_acquire(1));
        quota.release(u32::MAX);
        assert_eq!(quota.available(), 10);
    }

    #[test]
    fn drained_quota_recovers_after_successes() {
        let strategy = pinned(RetryConfig::default(), 1.0).with_quota(RetryQuota::with_capacity(5));
        let (state, decision) = first_failure(&strategy, &status(503));
        assert!(matches!(decision, Decision::RetryAfter(_)));
        assert_eq!(
            first_failure(&strategy, &status(503)).1,
            Decision::Stop(StopReason::QuotaExhausted)
        );
        strategy.on_success(state);
        assert!(matches!(
            first_failure(&strategy, &status(503)).1,
            Decision::RetryAfter(_)
        ));
        for _ in 0..4 {
            strategy.on_success(RetryState::new());
        }
        assert_eq!(
            first_failure(&strategy, &status(503)).1,
            Decision::Stop(StopReason::QuotaExhausted)
        );
        strategy.on_success(RetryState::new());
        assert!(matches!(
            first_failure(&strategy, &status(503)).1,
            Decision::RetryAfter(_)
        ));
    }

    #[test]
    fn one_attempt_never_retries() {
        let strategy = pinned(RetryConfig::disabled(), 1.0);
        let (state, decision) = first_failure(&strategy, &response(400, "Throttling"));
        assert_eq!(decision, Decision::Stop(StopReason::AttemptsExhausted));
        assert_eq!(state.attempt(), 1);
        assert_eq!(
            first_failure(&strategy, &response(404, "GlobalClusterNotFoundFault")).1,
            Decision::Stop(StopReason::NotRetryable)
        );
        assert_eq!(strategy.quota().available(), 500);
    }

    #[test]
    fn three_attempts_retry_twice() {
        let strategy = pinned(RetryConfig::default(), 1.0);
        let mut state = RetryState::new();
        assert_eq!(state.attempt(), 1);
        assert_eq!(
            strategy.decide(&mut state, &status(500)),
            Decision::RetryAfter(Duration::from_secs(1))
        );
        assert_eq!(state.attempt(), 2);
        assert_eq!(
            strategy.decide(&mut state, &response(400, "RequestLimitExceeded")),
            Decision::RetryAfter(Duration::from_secs(2))
        );
        assert_eq!(state.attempt(), 3);
        assert_eq!(
            strategy.decide(&mut state, &status(500)),
            Decision::Stop(StopReason::AttemptsExhausted)
        );
        assert_eq!(state.attempt(), 3);
        assert_eq!(strategy.quota().available(), 490);
    }

    #[test]
    fn not_retryable_stops_first_and_costs_nothing() {
        let strategy = pinned(RetryConfig::default(), 1.0);
        let mut state = RetryState::new();
        assert!(matches!(
            strategy.decide(&mut state, &status(503)),
            Decision::RetryAfter(_)
        ));
        assert_eq!(
            strategy.decide(&mut state, &response(404, "GlobalClusterNotFoundFault")),
            Decision::Stop(StopReason::NotRetryable)
        );
        assert_eq!(
            strategy.decide(&mut state, &Outcome::Transport(TransportErrorKind::Other)),
            Decision::Stop(StopReason::NotRetryable)
        );
        assert_eq!(state.attempt(), 2);
        assert_eq!(strategy.quota().available(), 495);
    }

    #[test]
    fn shared_between_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<RetryStrategy>();
        assert_send_sync::<RetryQuota>();
        assert_send_sync::<DefaultJitter>();

        let strategy = pinned(RetryConfig::default(), 0.0);
        let granted = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..8)
                .map(|_| {
                    scope.spawn(|| {
                        (0..50)
                            .filter(|_| {
                                matches!(
                                    first_failure(&strategy, &status(503)).1,
                                    Decision::RetryAfter(_)
                                )
                            })
                            .count()
                    })
                })
                .collect();
            workers
                .into_iter()
                .map(|w| w.join().unwrap())
                .sum::<usize>()
        });
        assert_eq!(granted, 100);
        assert_eq!(strategy.quota().available(), 0);
    }

    #[test]
    fn modes_by_name() {
        for (name, mode) in [
            ("standard", RetryMode::Standard),
            ("STANDARD", RetryMode::Standard),
            ("legacy", RetryMode::Standard),
            ("Legacy", RetryMode::Standard),
            ("adaptive", RetryMode::Adaptive),
            (" Adaptive\n", RetryMode::Adaptive),
        ] {
            assert_eq!(name.parse::<RetryMode>(), Ok(mode), "{name:?}");
        }
        for name in ["", "standard-v2", "adaptive_v2", "\u{1b}[31m"] {
            let error = name.parse::<RetryMode>().unwrap_err();
            let printed = error.to_string();
            assert!(printed.contains("expected `standard`, `adaptive` or `legacy`"));
            assert!(!printed.contains('\u{1b}'), "{printed}");
        }
        assert_eq!(
            "fast".parse::<RetryMode>().unwrap_err().to_string(),
            "`fast` is not a retry mode: expected `standard`, `adaptive` or `legacy`"
        );
        assert_eq!(RetryMode::Adaptive.to_string(), "adaptive");
        assert_eq!(RetryMode::default(), RetryMode::Standard);
        assert_eq!(RetryConfig::default().mode(), RetryMode::Standard);
        let adaptive = RetryConfig::default().with_mode(RetryMode::Adaptive);
        assert_eq!(adaptive.mode(), RetryMode::Adaptive);
        assert_eq!(adaptive.max_attempts(), 3);
    }

    #[test]
    fn standard_mode_never_waits_before_an_attempt() {
        let strategy = pinned(RetryConfig::default().with_max_attempts(10), 0.0);
        assert!(strategy.rate_limiter().is_none());
        let mut state = RetryState::new();
        for _ in 0..5 {
            strategy.decide(&mut state, &response(400, "Throttling"));
            assert_eq!(strategy.before_attempt(), Duration::ZERO);
        }
    }

    #[test]
    fn adaptive_mode_waits_once_throttled() {
        use std::sync::Arc;
        use std::sync::atomic::AtomicU64;

        let millis = Arc::new(AtomicU64::new(5_000));
        let clock = {
            let millis = Arc::clone(&millis);
            move || Duration::from_millis(millis.load(Ordering::Relaxed))
        };
        let strategy =
            pinned(RetryConfig::default().with_mode(RetryMode::Adaptive), 0.0).with_clock(clock);
        let limiter = strategy
            .rate_limiter()
            .expect("adaptive mode has a rate limiter");

        // Successes and other failures do not put the limiter in use.
        strategy.on_success(RetryState::new());
        let (_, decision) = first_failure(&strategy, &status(503));
        assert!(matches!(decision, Decision::RetryAfter(_)));
        let (_, decision) = first_failure(&strategy, &response(404, "NotFound"));
        assert_eq!(decision, Decision::Stop(StopReason::NotRetryable));
        assert!(!limiter.is_enabled());
        assert_eq!(strategy.before_attempt(), Duration::ZERO);

        // A throttling error does, with nothing measured yet: half a token a second.
        let (_, decision) = first_failure(&strategy, &response(400, "Throttling"));
        assert!(matches!(decision, Decision::RetryAfter(_)));
        assert!(limiter.is_enabled());
        assert_eq!(limiter.fill_rate(), MIN_FILL_RATE);
        let first = strategy.before_attempt();
        let second = strategy.before_attempt();
        assert_eq!(second - first, Duration::from_secs(2));

        // The clock moves on: the tokens the waits were for have been earned.
        millis.fetch_add(10_000, Ordering::Relaxed);
        assert_eq!(strategy.before_attempt(), Duration::ZERO);

        let printed = format!("{strategy:?}");
        assert!(printed.contains("rate_limiter"), "{printed}");
        assert!(printed.contains("enabled: true"), "{printed}");
    }

    #[test]
    fn displays_and_debug() {
        assert_eq!(
            StopReason::QuotaExhausted.to_string(),
            "the retry quota is exhausted"
        );
        assert_eq!(
            StopReason::NotRetryable.to_string(),
            "the error is not retryable"
        );
        let printed = format!("{:?}", RetryStrategy::default());
        assert!(printed.contains("max_attempts: 3"), "{printed}");
        assert!(printed.contains("available: 500"), "{printed}");
    }
}
