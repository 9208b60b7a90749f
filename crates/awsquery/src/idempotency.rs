//! Idempotency tokens: what the client sends for an `@idempotencyToken` member the caller left unset.

use crate::random::DefaultJitter;

/// A fresh random UUID (version 4, RFC 9562 layout), e.g. `3b241101-e2bb-4255-8caf-4136c566a962`.
///
/// The bits come from the same seeded generator that spreads retries: unique enough to tell two
/// requests apart, which is all a token is for; not a secret.
pub fn token() -> String {
    DefaultJitter::new().uuid_v4().as_str().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_version_4_uuids_and_differ() {
        let a = token();
        let b = token();
        assert_ne!(a, b);
        for t in [&a, &b] {
            assert_eq!(t.len(), 36, "{t}");
            let groups: Vec<&str> = t.split('-').collect();
            assert_eq!(
                groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
                [8, 4, 4, 4, 12],
                "{t}"
            );
            assert!(groups[2].starts_with('4'), "version nibble: {t}");
            assert!(
                matches!(groups[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'),
                "variant: {t}"
            );
            assert!(
                t.chars()
                    .all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
            );
        }
    }
}
