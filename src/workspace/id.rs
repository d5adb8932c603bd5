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

/// A small deterministic random sequence (SplitMix64): seeded ids and the
/// workspace generator, so the same seed always gives the same workspace.
#[derive(Debug, Clone)]
pub struct SplitMix(u64);

impl SplitMix {
    /// A sequence starting from `seed`.
    pub fn new(seed: u64) -> SplitMix {
        SplitMix(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (`bound` > 0).
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next_u64() % bound.max(1)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
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
