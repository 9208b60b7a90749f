//! Polling until a resource reaches a state, timed the way Smithy waiters are.
//!
//! A [`Waiter`] calls a poll function, asks its [`Verdict`] (done, keep waiting, or give up), and
//! waits between polls with exponential backoff and jitter between a minimum and a maximum delay,
//! until the caller's time limit. What a poll sends and how its result is judged belong to the
//! caller: the generated clients build their waiters on this.
//!
//! The waits go through [`Transport::sleep`], and time is counted as the delays asked for plus the
//! time the polls themselves took. So a transport whose `sleep` returns at once (a test's) runs a
//! ten-minute wait in microseconds, with the same decisions as a real one.
//!
//! # Delays
//!
//! Before retry `n` (counting from 1) the waiter draws a delay at random between the minimum and
//! `min(minimum · 2ⁿ⁻¹, maximum)`. If what would remain of the time limit after that delay is no
//! more than the minimum delay, it waits for all of the remaining time instead and polls one last
//! time, rather than stop short of the limit or overrun it. This is the rule of the Smithy
//! waiters specification (its attempt ceiling only guards the doubling against overflow, which
//! saturating arithmetic does here).

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::error::BuildError;
use crate::random::{DefaultJitter, JitterSource};
use crate::transport::Transport;

/// What one poll found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict<S, E> {
    /// The resource is in the wanted state: stop and return it.
    Success(S),
    /// Not yet: wait and poll again. The state seen, if any, is kept for a timeout to report.
    Retry(Option<S>),
    /// The resource will not get there: stop with this error.
    Failure(E),
}

/// The shortest wait between two polls that a waiter allows: Smithy's waiters require a
/// `minDelay` of at least one second, so that a waiter never polls back to back.
pub const MIN_DELAY: Duration = Duration::from_secs(1);

/// The shortest and longest wait between two polls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delays {
    min: Duration,
    max: Duration,
}

impl Delays {
    /// Waits of at least `min` and at most `max`. A `min` below [`MIN_DELAY`] is raised to it,
    /// and a `max` below `min` to `min`.
    pub fn new(min: Duration, max: Duration) -> Self {
        let min = min.max(MIN_DELAY);
        Delays {
            min,
            max: max.max(min),
        }
    }

    /// The shortest wait.
    pub fn min(&self) -> Duration {
        self.min
    }

    /// The longest wait.
    pub fn max(&self) -> Duration {
        self.max
    }
}

impl Default for Delays {
    /// Smithy's defaults: 2 s and 120 s.
    fn default() -> Self {
        Delays::new(Duration::from_secs(2), Duration::from_secs(120))
    }
}

/// Polls until a verdict says stop or time runs out.
#[derive(Clone)]
pub struct Waiter {
    delays: Delays,
    jitter: Arc<dyn JitterSource>,
}

impl Waiter {
    /// A waiter with these delays and random jitter.
    pub fn new(delays: Delays) -> Self {
        Waiter {
            delays,
            jitter: Arc::new(DefaultJitter::new()),
        }
    }

    /// Uses `jitter` to place each delay between the minimum and its ceiling (`|| 1.0` always
    /// waits the ceiling, `|| 0.0` the minimum).
    pub fn with_jitter(mut self, jitter: impl JitterSource + 'static) -> Self {
        self.jitter = Arc::new(jitter);
        self
    }

    /// The delays.
    pub fn delays(&self) -> Delays {
        self.delays
    }

    /// The wait before retry `attempt` (from 1) when `remaining` is left of the time limit.
    pub fn delay(&self, attempt: u32, remaining: Duration) -> Duration {
        let Delays { min, max } = self.delays;
        let doubling = 2u32
            .checked_pow(attempt.saturating_sub(1))
            .unwrap_or(u32::MAX);
        let ceiling = min.saturating_mul(doubling).min(max);
        let factor = self.jitter.next_factor();
        let factor = if factor.is_nan() {
            0.0
        } else {
            factor.clamp(0.0, 1.0)
        };
        let delay = min + (ceiling - min).mul_f64(factor);
        if remaining.saturating_sub(delay) <= min {
            remaining
        } else {
            delay
        }
    }

    /// Calls `poll` until its verdict is success or failure, sleeping through `transport` between
    /// polls, for at most `max_wait`: the first poll is immediate, the last one happens when the
    /// time is up at the latest.
    pub async fn wait<T, S, E, F, Fut>(
        &self,
        transport: &T,
        max_wait: Duration,
        mut poll: F,
    ) -> Result<S, WaiterError<S, E>>
    where
        T: Transport,
        F: FnMut() -> Fut,
        Fut: Future<Output = Verdict<S, E>>,
    {
        let mut elapsed = Duration::ZERO;
        let mut attempts = 0u32;
        let mut last = None;
        loop {
            attempts = attempts.saturating_add(1);
            let started = Instant::now();
            let verdict = poll().await;
            elapsed += started.elapsed();
            match verdict {
                Verdict::Success(state) => return Ok(state),
                Verdict::Failure(error) => return Err(WaiterError::Failure(error)),
                Verdict::Retry(Some(state)) => last = Some(state),
                Verdict::Retry(None) => {}
            }
            let remaining = max_wait.saturating_sub(elapsed);
            if remaining.is_zero() {
                return Err(WaiterError::Timeout(Box::new(Timeout {
                    last,
                    attempts,
                    elapsed,
                    max_wait,
                })));
            }
            let delay = self.delay(attempts, remaining);
            transport.sleep(delay).await;
            elapsed += delay;
        }
    }
}

impl fmt::Debug for Waiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Waiter")
            .field("delays", &self.delays)
            .finish_non_exhaustive()
    }
}

/// Why a wait ended without the wanted state.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaiterError<S, E> {
    /// The waiter's input is incomplete (a required value is missing); nothing was sent.
    Build(BuildError),
    /// A poll found that the wanted state will not come.
    Failure(E),
    /// The time limit passed first. Boxed, since it holds a whole state.
    Timeout(Box<Timeout<S>>),
}

impl<S, E> WaiterError<S, E> {
    /// The timeout, if that is why the wait ended.
    pub fn as_timeout(&self) -> Option<&Timeout<S>> {
        match self {
            WaiterError::Timeout(t) => Some(t),
            _ => None,
        }
    }

    /// The failure, if a poll ended the wait.
    pub fn as_failure(&self) -> Option<&E> {
        match self {
            WaiterError::Failure(e) => Some(e),
            _ => None,
        }
    }
}

impl<S, E: fmt::Display> fmt::Display for WaiterError<S, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaiterError::Build(e) => write!(f, "the waiter cannot start: {e}"),
            WaiterError::Failure(e) => fmt::Display::fmt(e, f),
            WaiterError::Timeout(t) => fmt::Display::fmt(t, f),
        }
    }
}

impl<S: fmt::Debug, E: StdError + 'static> StdError for WaiterError<S, E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            WaiterError::Build(e) => Some(e),
            WaiterError::Failure(e) => Some(e),
            WaiterError::Timeout(_) => None,
        }
    }
}

/// The time limit of a wait passed: how long, how many polls, and the last state seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeout<S> {
    last: Option<S>,
    attempts: u32,
    elapsed: Duration,
    max_wait: Duration,
}

impl<S> Timeout<S> {
    /// The state the last poll that saw one found.
    pub fn last(&self) -> Option<&S> {
        self.last.as_ref()
    }

    /// Takes the last state seen.
    pub fn into_last(self) -> Option<S> {
        self.last
    }

    /// How many polls were made.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The time counted: delays plus the time the polls took.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// The time limit the caller gave.
    pub fn max_wait(&self) -> Duration {
        self.max_wait
    }
}

impl<S> fmt::Display for Timeout<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "gave up waiting after {:.0?} (limit {:.0?}) and {} poll{}",
            self.elapsed,
            self.max_wait,
            self.attempts,
            if self.attempts == 1 { "" } else { "s" }
        )
    }
}

/// What a poll of a modeled waiter got back: the operation's output or its error. A wait that ends
/// returns the last one, whichever it was (a waiter may succeed on an error, such as "not found"
/// for a deletion).
#[derive(Debug, Clone, PartialEq)]
pub enum FinalPoll<O, E> {
    /// The call succeeded.
    Output(O),
    /// The call failed.
    Error(E),
}

impl<O, E> FinalPoll<O, E> {
    /// The output, if the call succeeded.
    pub fn as_output(&self) -> Option<&O> {
        match self {
            FinalPoll::Output(o) => Some(o),
            FinalPoll::Error(_) => None,
        }
    }

    /// The error, if the call failed.
    pub fn as_error(&self) -> Option<&E> {
        match self {
            FinalPoll::Output(_) => None,
            FinalPoll::Error(e) => Some(e),
        }
    }

    /// The poll as a `Result`.
    pub fn into_result(self) -> Result<O, E> {
        match self {
            FinalPoll::Output(o) => Ok(o),
            FinalPoll::Error(e) => Err(e),
        }
    }
}

impl<O, E> From<Result<O, E>> for FinalPoll<O, E> {
    fn from(result: Result<O, E>) -> Self {
        match result {
            Ok(o) => FinalPoll::Output(o),
            Err(e) => FinalPoll::Error(e),
        }
    }
}

/// Why a modeled waiter failed: an acceptor with the `failure` state matched, or the call failed
/// with an error no acceptor matched.
#[derive(Debug, Clone, PartialEq)]
pub struct AcceptorFailure<O, E> {
    waiter: &'static str,
    acceptor: Option<usize>,
    poll: FinalPoll<O, E>,
}

impl<O, E> AcceptorFailure<O, E> {
    /// Acceptor `acceptor` (counting from 0, in model order) of `waiter` matched `poll`.
    pub fn matched(waiter: &'static str, acceptor: usize, poll: FinalPoll<O, E>) -> Self {
        AcceptorFailure {
            waiter,
            acceptor: Some(acceptor),
            poll,
        }
    }

    /// The call failed and no acceptor of `waiter` matched its error.
    pub fn unmatched(waiter: &'static str, error: E) -> Self {
        AcceptorFailure {
            waiter,
            acceptor: None,
            poll: FinalPoll::Error(error),
        }
    }

    /// The waiter's name in the model.
    pub fn waiter(&self) -> &'static str {
        self.waiter
    }

    /// The failure acceptor that matched, counting from 0; `None` for an unmatched error.
    pub fn acceptor(&self) -> Option<usize> {
        self.acceptor
    }

    /// What the last poll got back.
    pub fn poll(&self) -> &FinalPoll<O, E> {
        &self.poll
    }

    /// Takes what the last poll got back.
    pub fn into_poll(self) -> FinalPoll<O, E> {
        self.poll
    }
}

impl<O, E: fmt::Display> fmt::Display for AcceptorFailure<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.acceptor, &self.poll) {
            (Some(i), FinalPoll::Output(_)) => write!(
                f,
                "waiter {} reached a failure state (acceptor {i} matched the output)",
                self.waiter
            ),
            (Some(i), FinalPoll::Error(e)) => write!(
                f,
                "waiter {} reached a failure state (acceptor {i} matched the error: {e})",
                self.waiter
            ),
            (None, FinalPoll::Error(e)) => {
                write!(
                    f,
                    "waiter {} failed on an unexpected error: {e}",
                    self.waiter
                )
            }
            (None, FinalPoll::Output(_)) => write!(f, "waiter {} failed", self.waiter),
        }
    }
}

impl<O: fmt::Debug, E: StdError + 'static> StdError for AcceptorFailure<O, E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.poll.as_error().map(|e| e as &(dyn StdError + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use awsquery_testing::client::block_on;

    use std::sync::Mutex;

    use crate::http::{Request, Response};
    use crate::transport::TransportError;

    /// Records the waits; never sends.
    #[derive(Debug, Default)]
    struct Clock {
        sleeps: Mutex<Vec<Duration>>,
    }

    impl Transport for Clock {
        async fn send(&self, _request: Request) -> Result<Response, TransportError> {
            unreachable!("the waiter itself sends nothing")
        }

        async fn sleep(&self, duration: Duration) {
            self.sleeps.lock().unwrap().push(duration);
        }
    }

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    /// A waiter with Smithy's default delays that always draws `factor`.
    fn waiter(factor: f64) -> Waiter {
        Waiter::new(Delays::default()).with_jitter(move || factor)
    }

    #[test]
    fn ceilings_double_from_the_minimum_up_to_the_maximum() {
        let full = waiter(1.0);
        let ceilings: Vec<u64> = (1..=9)
            .map(|attempt| full.delay(attempt, secs(100_000)).as_secs())
            .collect();
        assert_eq!(ceilings, [2, 4, 8, 16, 32, 64, 120, 120, 120]);
        assert_eq!(
            full.delay(u32::MAX, secs(100_000)),
            secs(120),
            "no overflow"
        );
        let least = waiter(0.0);
        assert!((1..=20).all(|attempt| least.delay(attempt, secs(100_000)) == secs(2)));
    }

    #[test]
    fn jitter_places_the_delay_between_the_minimum_and_the_ceiling() {
        assert_eq!(
            waiter(0.5).delay(4, secs(1000)),
            secs(9),
            "2 + (16 - 2) / 2"
        );
        for factor in [f64::NAN, -3.0] {
            assert_eq!(waiter(factor).delay(4, secs(1000)), secs(2), "{factor}");
        }
        assert_eq!(waiter(7.0).delay(4, secs(1000)), secs(16));
    }

    #[test]
    fn the_last_delay_takes_up_the_remaining_time() {
        let full = waiter(1.0);
        // 19 s left, 16 s drawn: 3 s would be left, more than the 2 s minimum.
        assert_eq!(full.delay(4, secs(19)), secs(16));
        // 18 s left, 16 s drawn: 2 s would be left, no more than the minimum: wait all 18.
        assert_eq!(full.delay(4, secs(18)), secs(18));
        // Less left than the delay drawn.
        assert_eq!(full.delay(6, secs(5)), secs(5));
        assert_eq!(
            full.delay(1, Duration::from_millis(300)),
            Duration::from_millis(300)
        );
    }

    #[test]
    fn maximum_below_minimum_is_raised() {
        let delays = Delays::new(secs(10), secs(3));
        assert_eq!((delays.min(), delays.max()), (secs(10), secs(10)));
        let w = Waiter::new(delays).with_jitter(|| 1.0);
        assert_eq!(w.delay(5, secs(1000)), secs(10));
    }

    #[test]
    fn success_after_some_polls_returns_the_state() {
        let clock = Clock::default();
        let mut polls = 0;
        let result: Result<u32, WaiterError<u32, String>> =
            block_on(waiter(1.0).wait(&clock, secs(300), || {
                polls += 1;
                let n = polls;
                async move {
                    if n == 4 {
                        Verdict::Success(n)
                    } else {
                        Verdict::Retry(Some(n))
                    }
                }
            }));
        assert_eq!(result.unwrap(), 4);
        assert_eq!(*clock.sleeps.lock().unwrap(), [secs(2), secs(4), secs(8)]);
    }

    #[test]
    fn failure_stops_at_once() {
        let clock = Clock::default();
        let result: Result<(), WaiterError<(), &str>> =
            block_on(waiter(1.0).wait(&clock, secs(300), || async { Verdict::Failure("gone") }));
        let error = result.unwrap_err();
        assert_eq!(error.as_failure(), Some(&"gone"));
        assert_eq!(error.to_string(), "gone");
        assert!(clock.sleeps.lock().unwrap().is_empty());
    }

    #[test]
    fn timeout_keeps_the_last_state_and_never_overruns() {
        let clock = Clock::default();
        let mut polls = 0u32;
        let result: Result<u32, WaiterError<u32, String>> =
            block_on(waiter(1.0).wait(&clock, secs(300), || {
                polls += 1;
                let n = polls;
                // Only some polls see a state: the last one seen is what the timeout reports.
                async move { Verdict::Retry((n % 2 == 1).then_some(n)) }
            }));
        let timeout = result
            .unwrap_err()
            .as_timeout()
            .cloned()
            .expect("a timeout");
        let sleeps = clock.sleeps.lock().unwrap().clone();
        // 2+4+8+16+32+64+120 = 246; 54 s are left (less the few microseconds the polls took): not
        // more than 2 s would be left after another 120, so the last wait is all that remains,
        // followed by a final poll.
        assert_eq!(
            sleeps[..7],
            [2, 4, 8, 16, 32, 64, 120].map(secs),
            "{sleeps:?}"
        );
        assert_eq!(sleeps.len(), 8, "{sleeps:?}");
        assert!(secs(53) < sleeps[7] && sleeps[7] <= secs(54), "{sleeps:?}");
        let slept: Duration = sleeps.iter().sum();
        assert!(secs(299) < slept && slept <= secs(300), "{slept:?}");
        assert!(secs(300) <= timeout.elapsed() && timeout.elapsed() < secs(301));
        assert_eq!(timeout.attempts(), 9);
        assert_eq!(timeout.last(), Some(&9));
        assert_eq!(timeout.max_wait(), secs(300));
        assert_eq!(
            timeout.to_string(),
            "gave up waiting after 300s (limit 300s) and 9 polls"
        );
    }

    #[test]
    fn a_zero_limit_polls_once() {
        let clock = Clock::default();
        let result: Result<&str, WaiterError<&str, BuildError>> =
            block_on(waiter(1.0).wait(&clock, Duration::ZERO, || async {
                Verdict::Retry(Some("seen"))
            }));
        let error = result.unwrap_err();
        let timeout = error.as_timeout().expect("a timeout");
        assert_eq!((timeout.attempts(), timeout.last()), (1, Some(&"seen")));
        assert!(clock.sleeps.lock().unwrap().is_empty());
        assert!(StdError::source(&error).is_none());
    }

    #[test]
    fn build_errors_display_and_chain() {
        let error: WaiterError<(), BuildError> =
            WaiterError::Build(BuildError::missing("Waiter", "Target"));
        assert!(
            error.to_string().starts_with("the waiter cannot start: "),
            "{error}"
        );
        assert!(StdError::source(&error).is_some());
        assert!(format!("{:?}", waiter(0.0)).contains("min: 2s"));
    }

    #[test]
    fn acceptor_failures_say_which_acceptor_and_chain_the_error() {
        let matched: AcceptorFailure<u32, BuildError> =
            AcceptorFailure::matched("ThingReady", 2, FinalPoll::Output(7));
        assert_eq!(
            matched.to_string(),
            "waiter ThingReady reached a failure state (acceptor 2 matched the output)"
        );
        assert_eq!(
            (matched.waiter(), matched.acceptor()),
            ("ThingReady", Some(2))
        );
        assert!(StdError::source(&matched).is_none());
        assert_eq!(matched.into_poll().into_result().ok(), Some(7));

        let unmatched: AcceptorFailure<u32, BuildError> =
            AcceptorFailure::unmatched("ThingReady", BuildError::missing("Thing", "Name"));
        assert!(
            unmatched
                .to_string()
                .starts_with("waiter ThingReady failed on an unexpected error: "),
            "{unmatched}"
        );
        assert_eq!(unmatched.acceptor(), None);
        assert!(StdError::source(&unmatched).is_some());
        assert!(unmatched.poll().as_output().is_none());
        let poll: FinalPoll<u32, &str> = Err("gone").into();
        assert_eq!(poll.as_error(), Some(&"gone"));
    }
}
