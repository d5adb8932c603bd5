//! How far one channel has been given its room's log, so that catch-up from the store and live
//! fan-out together deliver every entry exactly once and in order.
//!
//! A channel subscribes to live fan-out before it reads the store, so an entry may come both
//! ways; and two appends to one room commit in one order but may be fanned out in the other.
//! The rule: an entry at or below the last one delivered is skipped; the next one is delivered;
//! one further ahead reveals a gap, which the connection fills from the store (every entry
//! below a committed one has committed too). A channel's own appends are never sent back to
//! it: their sequence numbers count as delivered once acknowledged.

use std::collections::BTreeSet;

/// What to do with a live entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Already delivered (or the channel's own): drop it.
    Skip,
    /// The next one: send it now (it is counted as delivered).
    Deliver,
    /// Entries before it are missing: fill from the store, then offer it again.
    Gap,
}

/// The delivery state of one channel.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Delivery {
    last: u64,
    /// The channel's own acknowledged appends beyond `last`.
    own: BTreeSet<u64>,
}

impl Delivery {
    /// A channel whose client already has everything up to `last`.
    pub fn new(last: u64) -> Self {
        Self {
            last,
            own: BTreeSet::new(),
        }
    }

    /// The last sequence number delivered (or known to the client), in order.
    pub fn last(&self) -> u64 {
        self.last
    }

    /// Judges a live entry from another member.
    pub fn live(&mut self, seq: u64) -> Verdict {
        if seq <= self.last || self.own.contains(&seq) {
            Verdict::Skip
        } else if seq == self.last + 1 {
            self.advance_to(seq);
            Verdict::Deliver
        } else {
            Verdict::Gap
        }
    }

    /// Judges an entry read from the store, which is authoritative: whatever is not skipped is
    /// delivered, even past a gap (entries the store pruned under a snapshot).
    pub fn stored(&mut self, seq: u64) -> bool {
        if seq <= self.last {
            return false;
        }
        let own = self.own.contains(&seq);
        self.advance_to(seq);
        !own
    }

    /// The channel's own append was acknowledged under `seq`.
    pub fn own(&mut self, seq: u64) {
        if seq > self.last {
            self.own.insert(seq);
            self.advance_to(self.last);
        }
    }

    /// A snapshot covering everything up to `covers` was delivered.
    pub fn snapshot(&mut self, covers: u64) {
        if covers > self.last {
            self.advance_to(covers);
        }
    }

    /// Moves `last` to `seq`, then over any own appends that directly follow it.
    fn advance_to(&mut self, seq: u64) {
        self.last = seq;
        self.own = self.own.split_off(&(seq + 1));
        while self.own.remove(&(self.last + 1)) {
            self.last += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_order_entries_are_delivered_once() {
        let mut delivery = Delivery::new(2);
        assert_eq!(delivery.live(1), Verdict::Skip);
        assert_eq!(delivery.live(2), Verdict::Skip);
        assert_eq!(delivery.live(3), Verdict::Deliver);
        assert_eq!(delivery.live(3), Verdict::Skip);
        assert_eq!(delivery.last(), 3);
    }

    #[test]
    fn an_entry_past_a_gap_asks_for_the_store() {
        let mut delivery = Delivery::new(0);
        assert_eq!(delivery.live(2), Verdict::Gap);
        assert_eq!(delivery.last(), 0);
        assert!(delivery.stored(1));
        assert!(delivery.stored(2));
        assert_eq!(delivery.live(2), Verdict::Skip);
        // The late fan-out of entry 1 is a duplicate by now.
        assert_eq!(delivery.live(1), Verdict::Skip);
    }

    #[test]
    fn own_appends_are_never_delivered_back() {
        let mut delivery = Delivery::new(4);
        delivery.own(5);
        assert_eq!(delivery.last(), 5);
        // Acknowledged 7 before another member's 6 arrived.
        delivery.own(7);
        assert_eq!(delivery.last(), 5);
        assert_eq!(delivery.live(7), Verdict::Skip);
        assert_eq!(delivery.live(6), Verdict::Deliver);
        assert_eq!(delivery.last(), 7);
        assert_eq!(delivery.live(8), Verdict::Deliver);
    }

    #[test]
    fn the_store_fills_around_own_appends() {
        let mut delivery = Delivery::new(0);
        delivery.own(3);
        assert_eq!(delivery.live(4), Verdict::Gap);
        let sent: Vec<u64> = (1..=4).filter(|&seq| delivery.stored(seq)).collect();
        assert_eq!(sent, [1, 2, 4]);
        assert_eq!(delivery.last(), 4);
    }

    #[test]
    fn a_snapshot_jumps_ahead_and_forgets_what_it_covers() {
        let mut delivery = Delivery::new(1);
        delivery.own(5);
        delivery.own(9);
        delivery.snapshot(6);
        assert_eq!(delivery.last(), 6);
        assert!(!delivery.stored(6));
        assert!(delivery.stored(7));
        assert_eq!(delivery.live(8), Verdict::Deliver);
        assert_eq!(delivery.last(), 9, "own 9 follows directly");
        delivery.snapshot(3);
        assert_eq!(delivery.last(), 9);
    }

    #[test]
    fn the_store_is_believed_past_a_pruned_gap() {
        let mut delivery = Delivery::new(2);
        delivery.own(4);
        assert!(delivery.stored(10));
        assert_eq!(delivery.last(), 10);
        assert_eq!(delivery.live(4), Verdict::Skip);
    }
}
