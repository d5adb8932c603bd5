//! What one connection may ask of the relay, and the token bucket that meters its messages.
//!
//! Every limit is answered with an error frame on the connection that crossed it; its other
//! rooms, and every other connection, go on undisturbed.

use std::time::{Duration, Instant};

use charter::sync::protocol::MAX_FRAME_BYTES;

/// Slack above [`MAX_FRAME_BYTES`] for the WebSocket layer's own message limit, so that a frame
/// a little too large still arrives and is answered with `FrameTooLarge` instead of the
/// connection being cut. Anything larger than both ends the connection.
pub const WEBSOCKET_SLACK_BYTES: usize = 64 * 1024;

/// The largest WebSocket message the relay reads at all.
pub const MAX_WEBSOCKET_MESSAGE_BYTES: usize = MAX_FRAME_BYTES + WEBSOCKET_SLACK_BYTES;

/// Per-connection limits and the sizes of the relay's queues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// How many rooms (channels) one connection may have joined at once.
    pub max_rooms_per_connection: usize,
    /// How many sync connections one network address may hold at once. Generous: a whole
    /// workshop may reach the relay through one address (a NAT), each person with a few tabs.
    pub max_connections_per_address: usize,
    /// Sustained messages per second one connection may send (any kind, pings included).
    pub max_messages_per_second: u32,
    /// How many messages a connection may send in a burst above the sustained rate.
    pub burst: u32,
    /// A connection that sends nothing for this long is told `IdleTimeout` and closed.
    pub idle_timeout: Duration,
    /// How long the relay waits for a slow connection to take its outgoing frames before it
    /// gives up on it and closes it.
    pub send_timeout: Duration,
    /// Outgoing frames a connection may have queued before the relay waits for it.
    pub outgoing_queue: usize,
    /// Bytes of outgoing frames a connection may have queued before the relay waits for it
    /// (a single larger frame still goes, alone).
    pub outgoing_bytes: usize,
    /// Live messages a room keeps for its slowest connection; one that falls further behind
    /// is caught up again from the store (ephemeral messages it missed are lost).
    pub room_queue: usize,
    /// Bytes of blobs a room's live messages may hold for its slowest connection; past it,
    /// presence is dropped and entries are passed without their blobs (read from the store).
    pub room_bytes: usize,
    /// At most this many bytes of blobs per page when catching a connection up.
    pub catch_up_page_bytes: usize,
    /// At most this many entries per page when catching a connection up.
    pub catch_up_page_entries: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_rooms_per_connection: 16,
            max_connections_per_address: 256,
            max_messages_per_second: 200,
            burst: 400,
            idle_timeout: Duration::from_secs(300),
            send_timeout: Duration::from_secs(10),
            outgoing_queue: 256,
            outgoing_bytes: 2 * MAX_FRAME_BYTES,
            room_queue: 1024,
            room_bytes: 8 * MAX_FRAME_BYTES,
            catch_up_page_bytes: 4 * MAX_FRAME_BYTES,
            catch_up_page_entries: 1000,
        }
    }
}

/// A token bucket: `rate` tokens per second, holding at most `capacity`.
#[derive(Debug, Clone)]
pub struct TokenBucket {
    rate: f64,
    capacity: f64,
    tokens: f64,
    refilled_at: Instant,
}

impl TokenBucket {
    /// A full bucket refilled at `per_second`, holding `burst` tokens (at least one).
    pub fn new(per_second: u32, burst: u32, now: Instant) -> Self {
        let capacity = f64::from(burst.max(1));
        Self {
            rate: f64::from(per_second),
            capacity,
            tokens: capacity,
            refilled_at: now,
        }
    }

    /// Takes one token if there is one at `now`.
    pub fn try_take(&mut self, now: Instant) -> bool {
        let elapsed = now
            .saturating_duration_since(self.refilled_at)
            .as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.rate).min(self.capacity);
        self.refilled_at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_allows_its_burst_then_refills_at_its_rate() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new(10, 3, start);
        assert!((0..3).all(|_| bucket.try_take(start)));
        assert!(!bucket.try_take(start));
        // A tenth of a second buys one message at 10 per second.
        let later = start + Duration::from_millis(100);
        assert!(bucket.try_take(later));
        assert!(!bucket.try_take(later));
    }

    #[test]
    fn a_bucket_never_holds_more_than_its_burst() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new(1000, 2, start);
        let much_later = start + Duration::from_secs(60);
        assert!(bucket.try_take(much_later));
        assert!(bucket.try_take(much_later));
        assert!(!bucket.try_take(much_later));
    }

    #[test]
    fn a_zero_burst_still_lets_one_message_through() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new(0, 0, start);
        assert!(bucket.try_take(start));
        assert!(!bucket.try_take(start + Duration::from_secs(5)));
    }
}
