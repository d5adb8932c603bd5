//! Record ids: time-ordered and random, so concurrent inserts never collide.

use crate::workspace::Millis;

/// A new record id (a ULID made from the given time and fresh randomness).
pub fn new_id(now: Millis) -> String {
    let mut entropy = [0u8; 16];
    // Falling back to time-only entropy would make collisions possible, so a
    // missing random source is a bug in the platform set-up, not bad input.
    getrandom::fill(&mut entropy).expect("the platform provides randomness");
    id_from_parts(now, u128::from_le_bytes(entropy))
}

/// The id for a given time and random value (deterministic, for tests).
pub fn id_from_parts(now: Millis, random: u128) -> String {
    let millis = u64::try_from(now).unwrap_or(0);
    ulid::Ulid::from_parts(millis, random).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_sort_by_time() {
        let a = new_id(1_000);
        let b = new_id(1_000);
        let later = new_id(2_000);
        assert_ne!(a, b);
        assert!(a < later && b < later);
        assert_eq!(a.len(), 26);
    }
}
