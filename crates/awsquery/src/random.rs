//! The crate's one source of randomness: jitter for retries and waiter delays, and the bits of
//! idempotency tokens. Not cryptographically secure, and never used where a secret is needed.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// A source of jitter factors: numbers in `[0, 1]` that scale each backoff ceiling.
///
/// Any `Fn() -> f64 + Send + Sync` closure is one, which lets tests pin the factor
/// (`|| 1.0` waits the full ceiling). Values outside `[0, 1]` are clamped and NaN counts as 0.
pub trait JitterSource: Send + Sync {
    /// The next factor, in `[0, 1]`.
    fn next_factor(&self) -> f64;
}

impl<F: Fn() -> f64 + Send + Sync> JitterSource for F {
    fn next_factor(&self) -> f64 {
        self()
    }
}

/// The random source of retries, waiters and idempotency tokens: a SplitMix64 generator
/// seeded from the standard library's per-process random hash keys and the clock.
///
/// It is **not** cryptographically secure and must not be used for anything but spreading retries
/// out in time. It is lock-free and can be shared between threads.
#[derive(Debug)]
pub struct DefaultJitter {
    state: AtomicU64,
}

impl Default for DefaultJitter {
    /// A generator with a fresh, unpredictable-enough seed.
    fn default() -> Self {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_nanos());
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u128(now);
        DefaultJitter::from_seed(hasher.finish())
    }
}

impl DefaultJitter {
    /// The SplitMix64 increment (the golden ratio in 64-bit fixed point).
    const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

    /// A generator with a fresh, unpredictable-enough seed.
    pub fn new() -> Self {
        DefaultJitter::default()
    }

    /// A generator that always yields the same sequence for the same seed.
    pub fn from_seed(seed: u64) -> Self {
        DefaultJitter {
            state: AtomicU64::new(seed),
        }
    }

    /// The next 64 random bits.
    pub fn next_u64(&self) -> u64 {
        let mut z = self
            .state
            .fetch_add(Self::GAMMA, Ordering::Relaxed)
            .wrapping_add(Self::GAMMA);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

impl JitterSource for DefaultJitter {
    /// A uniform value in `[0, 1)` with 53 random bits.
    fn next_factor(&self) -> f64 {
        const SCALE: f64 = 1.0 / (1u64 << 53) as f64;
        (self.next_u64() >> 11) as f64 * SCALE
    }
}
