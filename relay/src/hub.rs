//! Live fan-out: which connections are in which room, and the messages passed between them.
//!
//! Each room with at least one member has a bounded `tokio::sync::broadcast` channel. A
//! member publishes without waiting for anyone; a member that falls more than the queue's
//! length behind is told so by its receiver and catches up from the store instead (see
//! [`crate::delivery`]), so a slow connection never holds up the others. The room disappears
//! from the registry when its last member leaves.
//!
//! The queue is bounded in bytes as well: each room counts the bytes of the live messages it
//! still holds (a message is released once every receiver has taken it). Past the room's byte
//! limit a presence message is dropped, and an entry goes out as [`Event::Committed`] without
//! its blob, which receivers read from the store instead.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use charter::sync::protocol::RoomId;
use tokio::sync::broadcast;

/// One channel of one connection: who published a live message, so it is not sent back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Origin {
    /// The connection's number, unique within the process.
    pub connection: u64,
    /// The channel on which the connection joined the room.
    pub channel: u16,
}

/// What a member passes to the room's other members.
#[derive(Clone, PartialEq, Eq)]
pub enum Event {
    /// An append that has committed under `seq`.
    Entry {
        /// The sequence number the store assigned.
        seq: u64,
        /// The sealed changes, shared by every receiver.
        blob: Arc<[u8]>,
    },
    /// A presence message, never stored.
    Ephemeral {
        /// The sealed presence message, shared by every receiver.
        blob: Arc<[u8]>,
    },
    /// An entry that has committed under `seq`, passed without its blob because the room
    /// already holds its byte limit of live messages: receivers read it from the store.
    Committed {
        /// The sequence number the store assigned.
        seq: u64,
    },
    /// The room was closed: it takes no more appends or snapshots. A member that misses it
    /// (fallen behind) learns it from the store when it catches up.
    Closed {
        /// When, in Unix seconds.
        at: u64,
    },
}

impl Event {
    /// The bytes of blob it holds.
    fn bytes(&self) -> usize {
        match self {
            Self::Entry { blob, .. } | Self::Ephemeral { blob } => blob.len(),
            Self::Committed { .. } | Self::Closed { .. } => 0,
        }
    }
}

// Blobs are ciphertext, but their bytes have no place in logs either.
impl fmt::Debug for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Entry { seq, blob } => write!(f, "Entry {{ seq: {seq}, {} bytes }}", blob.len()),
            Self::Ephemeral { blob } => write!(f, "Ephemeral {{ {} bytes }}", blob.len()),
            Self::Committed { seq } => write!(f, "Committed {{ seq: {seq} }}"),
            Self::Closed { at } => write!(f, "Closed {{ at: {at} }}"),
        }
    }
}

/// An event with the member that published it.
#[derive(Debug)]
pub struct Live {
    /// Who published it.
    pub origin: Origin,
    /// What was published.
    pub event: Event,
    /// Counts the event's bytes as held by its room, and by the hub, while it lives.
    _held: (Held, Held),
}

/// Bytes counted in a shared total for as long as this lives.
#[derive(Debug)]
pub struct Held {
    total: Arc<AtomicUsize>,
    bytes: usize,
}

impl Held {
    /// Adds `bytes` to `total` until the returned value is dropped.
    pub fn new(total: &Arc<AtomicUsize>, bytes: usize) -> Self {
        total.fetch_add(bytes, Ordering::Relaxed);
        Self {
            total: Arc::clone(total),
            bytes,
        }
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        self.total.fetch_sub(self.bytes, Ordering::Relaxed);
    }
}

/// The registry of rooms that have members on this relay; cheap to clone.
#[derive(Clone)]
pub struct Hub {
    rooms: Arc<Mutex<HashMap<RoomId, Room>>>,
    queue: usize,
    max_bytes: usize,
    /// Bytes of live messages held by every room together.
    held: Arc<AtomicUsize>,
}

struct Room {
    sender: broadcast::Sender<Arc<Live>>,
    members: usize,
    /// Bytes of live messages this room holds.
    held: Arc<AtomicUsize>,
}

impl fmt::Debug for Hub {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hub")
            .field("rooms", &self.rooms())
            .field("queue", &self.queue)
            .finish()
    }
}

impl Hub {
    /// An empty registry whose rooms keep `queue` live messages, and at most `max_bytes` of
    /// blobs, for their slowest member.
    pub fn new(queue: usize, max_bytes: usize) -> Self {
        Self {
            rooms: Arc::default(),
            queue: queue.max(1),
            max_bytes,
            held: Arc::default(),
        }
    }

    /// Bytes of live messages that rooms hold now, waiting for their slowest member.
    pub fn held_bytes(&self) -> usize {
        self.held.load(Ordering::Relaxed)
    }

    /// Joins `room`: returns the membership (to publish; leaving when dropped) and the
    /// receiver of everything published in the room from now on.
    pub fn join(&self, room: RoomId) -> (Membership, broadcast::Receiver<Arc<Live>>) {
        let mut rooms = self.lock();
        let entry = rooms.entry(room).or_insert_with(|| Room {
            sender: broadcast::Sender::new(self.queue),
            members: 0,
            held: Arc::default(),
        });
        entry.members += 1;
        let receiver = entry.sender.subscribe();
        let membership = Membership {
            hub: self.clone(),
            room,
            sender: entry.sender.clone(),
            room_held: Arc::clone(&entry.held),
        };
        (membership, receiver)
    }

    /// How many rooms have at least one member.
    pub fn rooms(&self) -> usize {
        self.lock().len()
    }

    /// How many memberships `room` has (0 when it is not in the registry).
    #[cfg(test)]
    pub fn members(&self, room: &RoomId) -> usize {
        self.lock().get(room).map_or(0, |room| room.members)
    }

    fn leave(&self, room: &RoomId) {
        let mut rooms = self.lock();
        if let Some(entry) = rooms.get_mut(room) {
            entry.members = entry.members.saturating_sub(1);
            if entry.members == 0 {
                rooms.remove(room);
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<RoomId, Room>> {
        // The map is consistent after every statement, so a panic elsewhere cannot have left
        // it half-changed.
        self.rooms.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Membership of one room; the room forgets the member when this is dropped.
pub struct Membership {
    hub: Hub,
    room: RoomId,
    sender: broadcast::Sender<Arc<Live>>,
    room_held: Arc<AtomicUsize>,
}

impl fmt::Debug for Membership {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Membership")
            .field("room", &self.room)
            .finish_non_exhaustive()
    }
}

impl Membership {
    /// The room joined.
    pub fn room(&self) -> RoomId {
        self.room
    }

    /// Passes `event` to every receiver of the room, without waiting for any of them.
    pub fn publish(&self, origin: Origin, event: Event) {
        self.publisher(origin).publish(event);
    }

    /// A handle that publishes in the room as `origin`, for use away from the membership (on
    /// the storage thread, right after a commit).
    pub fn publisher(&self, origin: Origin) -> Publisher {
        Publisher {
            sender: self.sender.clone(),
            origin,
            room_held: Arc::clone(&self.room_held),
            hub_held: Arc::clone(&self.hub.held),
            max_bytes: self.hub.max_bytes,
        }
    }
}

/// Publishes in one room as one origin; it does not keep the room in the registry.
#[derive(Clone)]
pub struct Publisher {
    sender: broadcast::Sender<Arc<Live>>,
    origin: Origin,
    room_held: Arc<AtomicUsize>,
    hub_held: Arc<AtomicUsize>,
    max_bytes: usize,
}

impl fmt::Debug for Publisher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Publisher")
            .field("origin", &self.origin)
            .finish_non_exhaustive()
    }
}

impl Publisher {
    /// Passes `event` to every receiver of the room, without waiting for any of them. When
    /// the room already holds its byte limit, a presence message is dropped and an entry is
    /// passed as [`Event::Committed`]; a closing, which holds no bytes, always goes.
    pub fn publish(&self, event: Event) {
        let bytes = event.bytes();
        let event = if self.room_held.load(Ordering::Relaxed) + bytes <= self.max_bytes {
            event
        } else {
            match event {
                Event::Entry { seq, .. } | Event::Committed { seq } => Event::Committed { seq },
                Event::Closed { at } => Event::Closed { at },
                Event::Ephemeral { .. } => return,
            }
        };
        let bytes = event.bytes();
        // Counted in the room's total and the hub's, both released with the message.
        let held = (
            Held::new(&self.room_held, bytes),
            Held::new(&self.hub_held, bytes),
        );
        // An error only means nobody is listening, which is fine.
        let _ = self.sender.send(Arc::new(Live {
            origin: self.origin,
            event,
            _held: held,
        }));
    }
}

impl Drop for Membership {
    fn drop(&mut self) {
        self.hub.leave(&self.room);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::sync::broadcast::error::{RecvError, TryRecvError};

    const ROOM: RoomId = RoomId([1; 32]);
    const OTHER: RoomId = RoomId([2; 32]);

    fn origin(connection: u64) -> Origin {
        Origin {
            connection,
            channel: 0,
        }
    }

    fn entry(seq: u64) -> Event {
        Event::Entry {
            seq,
            blob: Arc::from(&b"sealed"[..]),
        }
    }

    #[test]
    fn a_room_lives_as_long_as_it_has_members() {
        let hub = Hub::new(8, 1 << 20);
        let (a, _ra) = hub.join(ROOM);
        let (b, _rb) = hub.join(ROOM);
        let (c, _rc) = hub.join(OTHER);
        assert_eq!(hub.rooms(), 2);
        assert_eq!(hub.members(&ROOM), 2);
        drop(a);
        assert_eq!(hub.members(&ROOM), 1);
        drop(b);
        assert_eq!(hub.members(&ROOM), 0);
        assert_eq!(hub.rooms(), 1);
        drop(c);
        assert_eq!(hub.rooms(), 0);
    }

    #[test]
    fn published_events_reach_every_receiver_of_the_room_only() {
        let hub = Hub::new(8, 1 << 20);
        let (a, mut ra) = hub.join(ROOM);
        let (_b, mut rb) = hub.join(ROOM);
        let (_c, mut rc) = hub.join(OTHER);
        a.publish(origin(1), entry(1));
        let seen = rb.try_recv().unwrap();
        assert_eq!(seen.origin, origin(1));
        assert_eq!(seen.event, entry(1));
        // The publisher's own receiver sees it too; the connection skips its own origin.
        assert_eq!(ra.try_recv().unwrap().origin, origin(1));
        assert_eq!(rc.try_recv().unwrap_err(), TryRecvError::Empty);
    }

    #[tokio::test]
    async fn a_receiver_that_falls_behind_is_told_how_far() {
        let hub = Hub::new(2, 1 << 20);
        let (a, mut slow) = hub.join(ROOM);
        for seq in 1..=5 {
            a.publish(origin(1), entry(seq));
        }
        assert_eq!(slow.recv().await.unwrap_err(), RecvError::Lagged(3));
        assert_eq!(slow.recv().await.unwrap().event, entry(4));
    }

    #[test]
    fn a_room_holds_at_most_its_byte_limit_and_passes_entries_past_it_without_blobs() {
        let hub = Hub::new(64, 20);
        let (a, mut slow) = hub.join(ROOM);
        let blob = |n: usize| Arc::from(vec![7; n]);
        a.publish(
            origin(1),
            Event::Entry {
                seq: 1,
                blob: blob(12),
            },
        );
        a.publish(origin(1), Event::Ephemeral { blob: blob(6) });
        assert_eq!(hub.held_bytes(), 18);
        // Past the limit: the presence is dropped, the entry goes without its blob.
        a.publish(origin(1), Event::Ephemeral { blob: blob(6) });
        a.publish(
            origin(1),
            Event::Entry {
                seq: 2,
                blob: blob(12),
            },
        );
        assert_eq!(hub.held_bytes(), 18);
        assert!(matches!(
            slow.try_recv().unwrap().event,
            Event::Entry { seq: 1, .. }
        ));
        assert!(matches!(
            slow.try_recv().unwrap().event,
            Event::Ephemeral { .. }
        ));
        assert_eq!(slow.try_recv().unwrap().event, Event::Committed { seq: 2 });
        assert_eq!(slow.try_recv().unwrap_err(), TryRecvError::Empty);
        // Taken by every receiver: released.
        assert_eq!(hub.held_bytes(), 0);
        a.publish(
            origin(1),
            Event::Entry {
                seq: 3,
                blob: blob(12),
            },
        );
        assert!(matches!(
            slow.try_recv().unwrap().event,
            Event::Entry { seq: 3, .. }
        ));
    }

    #[test]
    fn a_closing_reaches_every_member_even_past_the_byte_limit() {
        let hub = Hub::new(64, 10);
        let (a, mut member) = hub.join(ROOM);
        let (_c, mut stranger) = hub.join(OTHER);
        a.publish(
            origin(1),
            Event::Ephemeral {
                blob: Arc::from(vec![7; 10]),
            },
        );
        a.publish(origin(1), Event::Closed { at: 5 });
        assert!(matches!(
            member.try_recv().unwrap().event,
            Event::Ephemeral { .. }
        ));
        assert_eq!(member.try_recv().unwrap().event, Event::Closed { at: 5 });
        assert_eq!(stranger.try_recv().unwrap_err(), TryRecvError::Empty);
    }

    #[test]
    fn debug_shows_sizes_not_bytes() {
        let text = format!("{:?}", entry(3));
        assert_eq!(text, "Entry { seq: 3, 6 bytes }");
    }
}
