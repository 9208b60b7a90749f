//! The client-side rate limiter of the `adaptive` retry mode.
//!
//! A token bucket whose fill rate follows the CUBIC congestion-control curve: a throttling error
//! cuts the rate to [`BETA`] (70 %) of what the client was sending, and later responses let it
//! grow back along a cubic that reaches the old rate after a while, levels off there, then probes
//! above it. The bucket stays out of the way until the first throttling error; from then on each
//! attempt takes one token and waits until there is one.
//!
//! The arithmetic, with times in seconds from an arbitrary origin:
//!
//! * **Measured rate.** Responses are counted in half-second buckets. When a response falls in a
//!   later bucket than the last one, the count divided by the time between the buckets is blended
//!   into the measured rate: `measured = 0.8 × current + 0.2 × measured` ([`SMOOTH`]).
//! * **On throttling.** `w_max` becomes the measured rate (or, once the bucket is in use, the
//!   lesser of it and the fill rate), the time is noted as `t_throttle`, and the new rate is
//!   `β × w_max`.
//! * **On any other response.** The new rate is `C × (t − t_throttle − K)³ + w_max`, with
//!   `K = ∛(w_max × (1 − β) / C)` and `C` = [`SCALE_CONSTANT`]: the curve starts at `β × w_max`
//!   right after the throttle and passes `w_max` at `t_throttle + K`.
//! * **Either way** the rate is capped at twice the measured rate; the bucket fills at it (at
//!   least [`MIN_FILL_RATE`], 0.5 tokens a second) and holds at most that many tokens (at least
//!   [`MIN_CAPACITY`], 1).
//!
//! Callers that find the bucket empty are not turned away: each takes its token at once, driving
//! the balance below zero, and is told how long to wait for the bucket to earn it back. Concurrent
//! callers thus queue in the order they asked, one token's worth of time apart.

use std::fmt;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

/// How much of the sending rate is kept after a throttling error.
pub const BETA: f64 = 0.7;
/// How fast the rate grows back after a throttling error: the scale of the cubic.
pub const SCALE_CONSTANT: f64 = 0.4;
/// The weight of the newest half-second in the measured sending rate.
pub const SMOOTH: f64 = 0.8;
/// The slowest the bucket fills, in tokens per second.
pub const MIN_FILL_RATE: f64 = 0.5;
/// The fewest tokens the bucket can hold.
pub const MIN_CAPACITY: f64 = 1.0;

/// The length of one bucket of the measured sending rate, in seconds.
const RATE_BUCKET: f64 = 0.5;

/// The `adaptive` mode's token bucket, shared by every call of one client.
///
/// Its methods take the time explicitly, as a [`Duration`] since an origin of the caller's
/// choosing that never goes back: [`RetryStrategy`](super::RetryStrategy) passes its clock's
/// reading, and tests pass whatever times they like.
///
/// ```
/// use std::time::Duration;
/// use awsquery::retry::ClientRateLimiter;
///
/// let secs = Duration::from_secs_f64;
/// let limiter = ClientRateLimiter::new(secs(0.0));
/// // Until the first throttling error, nothing waits.
/// assert_eq!(limiter.acquire(secs(0.0)), Duration::ZERO);
/// limiter.record(secs(0.1), true);
/// // Now the bucket is in use: empty, filling at half a token a second.
/// assert_eq!(limiter.acquire(secs(0.1)), secs(2.0));
/// ```
pub struct ClientRateLimiter {
    state: Mutex<State>,
}

#[derive(Debug, Clone)]
struct State {
    /// Whether a throttling error has been seen: only then do attempts wait for tokens.
    enabled: bool,
    /// Tokens added per second.
    fill_rate: f64,
    /// The most tokens the bucket holds.
    max_capacity: f64,
    /// The tokens in the bucket; below zero when callers are waiting for tokens already taken.
    capacity: f64,
    /// When the bucket was last topped up; `None` until the first time.
    last_refill: Option<f64>,
    /// The smoothed count of responses per second.
    measured_rate: f64,
    /// The start of the half-second being counted.
    rate_bucket: f64,
    /// Responses counted in that half-second.
    responses_in_bucket: u64,
    /// `w_max`: the rate at the last throttling error.
    last_max_rate: f64,
    /// `t_throttle`: when the last throttling error came.
    last_throttle: f64,
}

impl ClientRateLimiter {
    /// A limiter created at `now`: not in use yet, filling at [`MIN_FILL_RATE`] once it is.
    pub fn new(now: Duration) -> Self {
        let now = now.as_secs_f64();
        ClientRateLimiter {
            state: Mutex::new(State {
                enabled: false,
                fill_rate: MIN_FILL_RATE,
                max_capacity: MIN_CAPACITY,
                capacity: 0.0,
                last_refill: None,
                measured_rate: 0.0,
                rate_bucket: now.floor(),
                responses_in_bucket: 0,
                last_max_rate: 0.0,
                last_throttle: now,
            }),
        }
    }

    /// Takes a token for an attempt about to be sent at `now` and returns how long the attempt
    /// must wait for it: zero when the bucket had one, or before any throttling error.
    pub fn acquire(&self, now: Duration) -> Duration {
        let mut state = self.lock();
        if !state.enabled {
            return Duration::ZERO;
        }
        state.refill(now.as_secs_f64());
        let missing = 1.0 - state.capacity;
        state.capacity -= 1.0;
        if missing <= 0.0 {
            Duration::ZERO
        } else {
            // The fill rate is at least MIN_FILL_RATE, so the wait is finite.
            Duration::try_from_secs_f64(missing / state.fill_rate).unwrap_or(Duration::MAX)
        }
    }

    /// Records the response to an attempt, received at `now`: a throttling error lowers the fill
    /// rate (and puts the bucket in use), any other outcome lets it grow back.
    pub fn record(&self, now: Duration, throttled: bool) {
        let now = now.as_secs_f64();
        let mut state = self.lock();
        state.measure(now);
        let rate = if throttled {
            let rate = if state.enabled {
                state.measured_rate.min(state.fill_rate)
            } else {
                state.measured_rate
            };
            state.last_max_rate = rate;
            state.last_throttle = now;
            state.enabled = true;
            rate * BETA
        } else {
            let k = (state.last_max_rate * (1.0 - BETA) / SCALE_CONSTANT).cbrt();
            SCALE_CONSTANT * (now - state.last_throttle - k).powi(3) + state.last_max_rate
        };
        let rate = rate.min(2.0 * state.measured_rate);
        state.set_rate(now, rate);
    }

    /// Whether a throttling error has been seen, so that attempts wait for tokens.
    pub fn is_enabled(&self) -> bool {
        self.lock().enabled
    }

    /// The tokens the bucket gains per second.
    pub fn fill_rate(&self) -> f64 {
        self.lock().fill_rate
    }

    /// The tokens in the bucket at the last top-up; negative while callers wait for tokens they
    /// have already taken.
    pub fn capacity(&self) -> f64 {
        self.lock().capacity
    }

    /// The most tokens the bucket holds.
    pub fn max_capacity(&self) -> f64 {
        self.lock().max_capacity
    }

    /// The measured (smoothed) rate of responses per second.
    pub fn measured_rate(&self) -> f64 {
        self.lock().measured_rate
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is plain numbers, each update complete before the guard drops: a panic
        // elsewhere cannot leave it half-written.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl State {
    /// Adds the tokens earned since the last top-up, up to the capacity.
    fn refill(&mut self, now: f64) {
        if let Some(last) = self.last_refill {
            let earned = (now - last).max(0.0) * self.fill_rate;
            self.capacity = (self.capacity + earned).min(self.max_capacity);
        }
        self.last_refill = Some(self.last_refill.map_or(now, |last| last.max(now)));
    }

    /// Counts one response at `now` and, when a new half-second has begun, updates the
    /// measured rate.
    fn measure(&mut self, now: f64) {
        let bucket = (now / RATE_BUCKET).floor() * RATE_BUCKET;
        self.responses_in_bucket += 1;
        if bucket > self.rate_bucket {
            let current = self.responses_in_bucket as f64 / (bucket - self.rate_bucket);
            self.measured_rate = current * SMOOTH + self.measured_rate * (1.0 - SMOOTH);
            self.responses_in_bucket = 0;
            self.rate_bucket = bucket;
        }
    }

    /// Fills at `rate` from `now` on, within the minimums, holding at most `rate` tokens.
    fn set_rate(&mut self, now: f64, rate: f64) {
        self.refill(now);
        self.fill_rate = rate.max(MIN_FILL_RATE);
        self.max_capacity = rate.max(MIN_CAPACITY);
        self.capacity = self.capacity.min(self.max_capacity);
    }
}

impl fmt::Debug for ClientRateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock().clone();
        f.debug_struct("ClientRateLimiter")
            .field("enabled", &state.enabled)
            .field("fill_rate", &state.fill_rate)
            .field("capacity", &state.capacity)
            .field("max_capacity", &state.max_capacity)
            .field("measured_rate", &state.measured_rate)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: f64) -> Duration {
        Duration::from_secs_f64(secs)
    }

    #[track_caller]
    fn assert_close(actual: f64, expected: f64) {
        assert!(
            (actual - expected).abs() < 1e-6,
            "expected {expected}, got {actual}"
        );
    }

    #[track_caller]
    fn assert_wait(actual: Duration, expected_secs: f64) {
        assert_close(actual.as_secs_f64(), expected_secs);
    }

    /// A limiter that has seen `n` responses at 0.0, 0.1, … s, all in the first half-second,
    /// and one more at 0.5 s that closes that half-second.
    fn warmed_up(n: u32, last_throttled: bool) -> ClientRateLimiter {
        let limiter = ClientRateLimiter::new(at(0.0));
        for i in 0..n {
            limiter.record(at(f64::from(i) * 0.1), false);
        }
        limiter.record(at(0.5), last_throttled);
        limiter
    }

    #[test]
    fn nothing_waits_before_the_first_throttle() {
        let limiter = warmed_up(5, false);
        assert!(!limiter.is_enabled());
        for i in 0..100 {
            assert_eq!(
                limiter.acquire(at(0.5 + f64::from(i) * 0.001)),
                Duration::ZERO
            );
        }
    }

    #[test]
    fn the_measured_rate_blends_half_seconds() {
        // Six responses counted when the first half-second closes: 12 a second, weighted 0.8.
        let limiter = warmed_up(5, false);
        assert_close(limiter.measured_rate(), 9.6);
        // Two more in the next half-second; they are counted, with the one that closes it, when
        // a response arrives at 1.7 s: three responses over the second since 0.5 s.
        limiter.record(at(0.6), false);
        limiter.record(at(0.7), false);
        assert_close(limiter.measured_rate(), 9.6);
        limiter.record(at(1.7), false);
        assert_close(limiter.measured_rate(), 3.0 * 0.8 + 9.6 * 0.2);
    }

    #[test]
    fn a_throttle_cuts_the_rate_to_beta_of_the_measured_rate() {
        let limiter = warmed_up(5, true);
        assert!(limiter.is_enabled());
        assert_close(limiter.fill_rate(), 9.6 * 0.7);
        assert_close(limiter.max_capacity(), 9.6 * 0.7);
    }

    #[test]
    fn a_throttle_with_nothing_measured_fills_at_the_minimum() {
        let limiter = ClientRateLimiter::new(at(0.0));
        limiter.record(at(0.1), true);
        assert!(limiter.is_enabled());
        assert_close(limiter.fill_rate(), MIN_FILL_RATE);
        assert_close(limiter.max_capacity(), MIN_CAPACITY);
        assert_close(limiter.capacity(), 0.0);
    }

    /// Records successes from `from` up to (not including) `to`, `per_second` a second.
    fn steady(limiter: &ClientRateLimiter, from: f64, to: f64, per_second: f64) {
        let mut t = from;
        while t < to {
            limiter.record(at(t), false);
            t += 1.0 / per_second;
        }
    }

    #[test]
    fn the_rate_recovers_along_the_cubic() {
        let w_max = 9.6;
        let k = (w_max * (1.0 - BETA) / SCALE_CONSTANT).cbrt();
        assert_close(k, 7.2f64.cbrt());

        // A success at the moment of the throttle: still β × w_max.
        let limiter = warmed_up(5, true);
        limiter.record(at(0.5), false);
        assert_close(limiter.fill_rate(), 6.72);

        // At the inflection point, t_throttle + K: back to w_max. A steady 20 responses a second
        // in between keep the cap (twice the measured rate) out of the way.
        let limiter = warmed_up(5, true);
        steady(&limiter, 0.55, 0.5 + k, 20.0);
        limiter.record(at(0.5 + k), false);
        assert!(limiter.measured_rate() * 2.0 > 13.0);
        assert_close(limiter.fill_rate(), w_max);

        // Past it, the cubic probes above w_max: 0.4 × K³ + w_max at twice K.
        let limiter = warmed_up(5, true);
        steady(&limiter, 0.55, 0.5 + 2.0 * k, 20.0);
        limiter.record(at(0.5 + 2.0 * k), false);
        assert!(limiter.measured_rate() * 2.0 > 13.0);
        assert_close(limiter.fill_rate(), 12.48);
    }

    #[test]
    fn the_rate_is_capped_at_twice_the_measured_rate() {
        let limiter = warmed_up(5, true);
        // Long after the throttle the cubic is huge; the measured rate has decayed by then.
        limiter.record(at(100.0), false);
        let measured = limiter.measured_rate();
        assert_close(measured, 1.0 / 99.5 * 0.8 + 9.6 * 0.2);
        assert_close(limiter.fill_rate(), 2.0 * measured);
    }

    #[test]
    fn a_second_throttle_uses_the_lesser_of_measured_and_fill_rate() {
        let limiter = warmed_up(5, true);
        assert_close(limiter.fill_rate(), 6.72);
        // The measured rate is still 9.6 in the same half-second: the fill rate is lower.
        limiter.record(at(0.6), true);
        assert_close(limiter.fill_rate(), 6.72 * 0.7);
    }

    #[test]
    fn waits_follow_the_fill_rate_and_queue_callers() {
        let limiter = ClientRateLimiter::new(at(0.0));
        limiter.record(at(0.0), true);
        // Empty bucket, half a token a second: the first caller waits 2 s, the next 4 s.
        assert_wait(limiter.acquire(at(0.0)), 2.0);
        assert_close(limiter.capacity(), -1.0);
        assert_wait(limiter.acquire(at(0.0)), 4.0);
        assert_close(limiter.capacity(), -2.0);
        // Three seconds on, the debt is down to half a token: the next caller waits 3 s.
        assert_wait(limiter.acquire(at(3.0)), 3.0);
        // Long after, the bucket is full again but holds one token at most.
        assert_eq!(limiter.acquire(at(100.0)), Duration::ZERO);
        assert_close(limiter.capacity(), 0.0);
        assert_wait(limiter.acquire(at(100.0)), 2.0);
    }

    #[test]
    fn a_faster_bucket_holds_more_tokens() {
        // Eleven responses in the first half-second, the last one throttled: 22 a second,
        // measured as 17.6, so the bucket fills at 0.7 × 17.6 = 12.32 tokens a second.
        let limiter = ClientRateLimiter::new(at(0.0));
        for i in 0..10 {
            limiter.record(at(f64::from(i) * 0.05), false);
        }
        limiter.record(at(0.5), true);
        assert_close(limiter.measured_rate(), 17.6);
        let rate = 17.6 * 0.7;
        assert_close(limiter.fill_rate(), rate);
        assert_close(limiter.max_capacity(), rate);
        // Before the throttle the bucket earned the minimum half a token a second from the first
        // response on: a quarter of a token.
        assert_close(limiter.capacity(), 0.25);
        assert_wait(limiter.acquire(at(0.5)), 0.75 / rate);
        // Later it holds 12.32 tokens at most: twelve callers go at once, the thirteenth waits.
        let later = at(10.0);
        for _ in 0..12 {
            assert_eq!(limiter.acquire(later), Duration::ZERO);
        }
        assert_wait(limiter.acquire(later), (1.0 - (rate - 12.0)) / rate);
    }

    #[test]
    fn time_going_back_earns_nothing() {
        let limiter = ClientRateLimiter::new(at(10.0));
        limiter.record(at(10.0), true);
        assert_wait(limiter.acquire(at(10.0)), 2.0);
        // An earlier reading (another thread's, taken before ours) neither adds nor removes.
        assert_wait(limiter.acquire(at(9.0)), 4.0);
        assert_wait(limiter.acquire(at(11.0)), 5.0);
    }

    #[test]
    fn debug_shows_the_bucket() {
        let limiter = ClientRateLimiter::new(at(0.0));
        let printed = format!("{limiter:?}");
        assert!(printed.contains("enabled: false"), "{printed}");
        assert!(printed.contains("fill_rate: 0.5"), "{printed}");
    }
}
