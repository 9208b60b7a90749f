//! The crate's one source of randomness: jitter for retries and waiter delays, and the bits of
//! idempotency tokens and invocation ids. Not cryptographically secure, and never used where a
//! secret is needed.

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

/// The random source of retries, waiters, idempotency tokens and invocation ids: a SplitMix64
/// generator seeded from the standard library's per-process random hash keys and the clock.
///
/// It is **not** cryptographically secure and must not be used where a secret or anything an
/// attacker must not guess is needed: it spreads retries out in time and tells requests apart. It
/// is lock-free and can be shared between threads.
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

    /// A random UUID, version 4 in the RFC 9562 layout: 122 random bits, written as 36 lower-case
    /// characters (`3b241101-e2bb-4255-8caf-4136c566a962`).
    pub fn uuid_v4(&self) -> Uuid {
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&self.next_u64().to_be_bytes());
        bytes[8..].copy_from_slice(&self.next_u64().to_be_bytes());
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut text = [b'-'; 36];
        let mut at = 0;
        for (i, byte) in bytes.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                at += 1;
            }
            text[at] = HEX[usize::from(byte >> 4)];
            text[at + 1] = HEX[usize::from(byte & 0x0f)];
            at += 2;
        }
        Uuid(text)
    }
}

/// A UUID written out, kept on the stack: [`as_str`](Uuid::as_str) gives the text.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Uuid([u8; 36]);

impl Uuid {
    /// The 36 characters, hyphens included.
    pub fn as_str(&self) -> &str {
        // Hex digits and hyphens only, so always UTF-8.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl std::fmt::Debug for Uuid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Display for Uuid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl JitterSource for DefaultJitter {
    /// A uniform value in `[0, 1)` with 53 random bits.
    fn next_factor(&self) -> f64 {
        const SCALE: f64 = 1.0 / (1u64 << 53) as f64;
        (self.next_u64() >> 11) as f64 * SCALE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_repeat_for_a_seed_and_differ_otherwise() {
        let a = DefaultJitter::from_seed(7).uuid_v4();
        assert_eq!(a, DefaultJitter::from_seed(7).uuid_v4());
        let random = DefaultJitter::from_seed(7);
        assert_eq!(random.uuid_v4(), a);
        assert_ne!(random.uuid_v4(), a, "the next one is another");
        let text = a.as_str();
        assert_eq!(text.len(), 36);
        assert_eq!(format!("{a}"), text);
        assert_eq!(format!("{a:?}"), text);
        for (i, c) in text.char_indices() {
            if matches!(i, 8 | 13 | 18 | 23) {
                assert_eq!(c, '-', "{text}");
            } else {
                assert!(matches!(c, '0'..='9' | 'a'..='f'), "{text}");
            }
        }
        assert_eq!(&text[14..15], "4", "version: {text}");
        assert!(
            matches!(&text[19..20], "8" | "9" | "a" | "b"),
            "variant: {text}"
        );
    }
}
