//! The client side of sync, without any transport: what to send, and what a
//! received frame does to the document.
//!
//! The browser shell owns the WebSocket, the timers and storage; it hands every
//! frame to a [`SyncClient`] and sends what the client returns. Kept pure so the
//! rules below are tested natively, including the convergence property test.
//!
//! - The client pushes the changes the relay does not have yet: everything not
//!   covered by [`SyncCursor::on_relay`], a set of change hashes whose
//!   transitive dependencies the relay holds. Acknowledged appends and every
//!   change received from the relay join that set, so a client never pushes
//!   back what others sent it and never pushes twice what was acknowledged.
//! - One append is in flight at a time, so pushes stay ordered and simple. A
//!   disconnect forgets it and the next connection sends it again; Automerge
//!   ignores changes it already has, so duplicates are harmless.
//! - [`SyncCursor::seq`] is the last entry of the relay's log this client has
//!   seen; a reconnect asks for everything after it. The relay must deliver a
//!   room's entries in increasing sequence order (it does: catch-up in order,
//!   then live fan-out).
//! - A blob that does not open (another key, another room, altered on the
//!   way) or is not Automerge data is reported and skipped, never applied.
//! - An editor may close the room ([`SyncClient::close_room`]): the relay then
//!   refuses every append. Once the client knows its room is closed (its own
//!   close acknowledged, the relay's `Closed` frame, or an append refused as
//!   [`ErrorCode::RoomClosed`]) it appends nothing more to it, and the local
//!   changes stay in the document for a new room to take.

use std::borrow::Borrow;
use std::collections::BTreeSet;
use std::io::Read;

use automerge::{AutoCommit, Change, ChangeHash};
use serde::{Deserialize, Serialize};

use super::crypto::{
    BlobKind, BlobSigner, ContentKey, CryptoError, ReadKeys, SEAL_OVERHEAD_BYTES, SIGNATURE_BYTES,
    WorkspaceSecret, WriterKey, open, seal, sign_sealed, verify_signed,
};
use super::protocol::{
    ClientFrame, ErrorCode, MAX_BLOB_BYTES, MAX_EPHEMERAL_BYTES, PROTOCOL_VERSION, ProtocolError,
    RoomId, ServerFrame, WriteToken,
};
use crate::workspace::model::sort_list;

/// Most bytes of changes one append carries: a larger backlog (a long offline
/// session) goes out in several appends.
pub const MAX_APPEND_BYTES: usize = MAX_BLOB_BYTES - SEAL_OVERHEAD_BYTES - SIGNATURE_BYTES;

/// Smallest append size the client falls back to when the relay refuses appends as too large.
const MIN_APPEND_BYTES: usize = 4 * 1024;

/// Why the client could not prepare a frame.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyncError {
    /// Sealing or opening a blob failed.
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    /// A frame could not be encoded or decoded.
    #[error(transparent)]
    Protocol(#[from] ProtocolError),
    /// One local change alone is larger than an append may be.
    #[error(
        "One of your changes is {len} bytes, more than the relay accepts in one message \
         ({max} bytes), so it cannot be synced. It is kept in this browser; export the workspace \
         as a file to share it."
    )]
    ChangeTooLarge {
        /// Size of the change.
        len: usize,
        /// The largest append the relay currently accepts.
        max: usize,
    },
    /// A presence message is larger than a frame may carry.
    #[error(
        "Your presence message is {len} bytes, more than the {max} bytes a message may carry, \
         so it was not sent."
    )]
    PresenceTooLarge {
        /// Size of the message.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A blob opened with the right key but does not hold Automerge data.
    #[error(
        "A received change was decrypted but is not a valid Charter change ({0}). It was \
         skipped and your workspace is unchanged; whoever sent it may run another version of \
         Charter."
    )]
    NotAutomerge(String),
}

/// The keys a participant holds: an editor has the write token, a reader does not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncKeys {
    room: RoomId,
    writer: WriterKey,
    content_key: ContentKey,
    write_token: Option<WriteToken>,
    /// Editors only: signs what they send.
    signer: Option<BlobSigner>,
}

impl SyncKeys {
    /// An editor's keys, all derived from the workspace secret.
    pub fn editor(secret: &WorkspaceSecret) -> SyncKeys {
        let signer = secret.signer();
        SyncKeys {
            room: secret.room_id(),
            writer: signer.writer_key(),
            content_key: secret.content_key(),
            write_token: Some(secret.write_token()),
            signer: Some(signer),
        }
    }

    /// A reader's keys, from a read-only link: no write token.
    pub fn reader(keys: &ReadKeys) -> SyncKeys {
        SyncKeys {
            room: keys.room,
            writer: keys.writer,
            content_key: keys.content_key.clone(),
            write_token: None,
            signer: None,
        }
    }

    /// Whether these keys include the write token.
    pub fn can_write(&self) -> bool {
        self.write_token.is_some()
    }

    /// The room these keys open.
    pub fn room(&self) -> &RoomId {
        &self.room
    }
}

/// What a participant remembers across reloads (serde, stored beside the workspace).
///
/// Store it only after the document changes it accounts for are stored: a
/// cursor ahead of the stored document would skip entries that never reached it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncCursor {
    /// The last sequence number of the relay's log this participant has seen (0: none).
    pub seq: u64,
    /// Changes whose transitive dependencies are all on the relay, sorted (hex when serialised).
    pub on_relay: Vec<ChangeHash>,
}

/// Where the connection stands, for the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncStatus {
    /// No connection.
    Offline,
    /// Connected or reconnecting, waiting for the relay's welcome.
    Connecting,
    /// Welcomed; receiving entries the relay had before this connection.
    CatchingUp,
    /// Welcomed and holding every entry the relay has announced.
    UpToDate,
}

/// Something the UI or storage must react to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncEvent {
    /// Remote changes were applied: re-read the state.
    Changed,
    /// The cursor changed: persist [`SyncClient::cursor`] (after the document).
    CursorMoved,
    /// A blob that does not open or is not Automerge data: reported and skipped, never applied.
    ///
    /// (Only a blob that opened and parsed but that Automerge then refused part
    /// of may have applied in part; `Changed` comes before it then.)
    Unreadable {
        /// Its sequence number (for a snapshot: the last entry it covers).
        seq: u64,
        /// Why, in a sentence for a person.
        reason: String,
    },
    /// The relay answered an error. Only its code is kept: the relay's own
    /// words never reach the screen ([`ErrorCode::explanation`] says it).
    Refused {
        /// What went wrong.
        code: ErrorCode,
    },
    /// The relay refused this connection's Hello (another protocol version,
    /// a key or token it does not accept); nothing is synced until it does.
    NotAdmitted {
        /// Why, as the relay's code.
        code: ErrorCode,
    },
    /// The relay says this participant cannot write.
    ReadOnly,
    /// An opened ephemeral message from someone else.
    Presence {
        /// The message as its sender passed it to [`SyncClient::presence`].
        payload: Vec<u8>,
        /// Signed with the workspace key: an editor sent it. A reader's
        /// presence may not claim to edit anything.
        editor: bool,
    },
    /// The relay has fewer entries than this participant saw: its data was lost
    /// or it is another relay. The cursor went back to the start so everything
    /// is pulled and pushed again; send `ClientFrame::Leave` for the channel and
    /// then [`SyncClient::connected`]'s `Hello` (or reconnect). Entries are
    /// ignored until the new welcome.
    RelayReset,
    /// A snapshot from the relay did not open; the cursor stayed before it.
    /// Send `ClientFrame::Leave` for the channel and then
    /// [`SyncClient::connected`]'s `Hello`, which now asks for the entries
    /// alone. Entries are ignored until the new welcome.
    Rejoin,
    /// The room is closed: sharing through it was stopped, so nothing more
    /// is appended to it (what it holds can still be read, and local changes
    /// stay in the document). Said once per client when the relay tells it,
    /// and each time the relay acknowledges this client's own close.
    RoomClosed {
        /// True for the acknowledgement of [`SyncClient::close_room`]; false
        /// when the relay says so otherwise (another editor closed it, or
        /// this client's close whose answer a lost connection took along).
        by_us: bool,
    },
    /// The relay refused this client's [`SyncClient::close_room`]: the room
    /// is still open. Only its code is kept, as for [`SyncEvent::Refused`].
    CloseRefused {
        /// Why.
        code: ErrorCode,
    },
}

/// The append awaiting the relay's acknowledgement.
#[derive(Debug, Clone)]
struct InFlight {
    request: u32,
    /// The changes it carries: they join `on_relay` once acknowledged.
    reach: Reach,
}

/// A set of changes that came from the relay or reached it, as `on_relay` needs it.
#[derive(Debug, Clone)]
struct Reach {
    /// The changes of the set that no other change of it depends on.
    heads: Vec<ChangeHash>,
    /// The changes of the set and their direct dependencies: all covered by `heads`.
    covered: BTreeSet<ChangeHash>,
}

impl Reach {
    fn of<C: Borrow<Change>>(changes: &[C]) -> Reach {
        let mut covered: BTreeSet<ChangeHash> = changes
            .iter()
            .flat_map(|change| change.borrow().deps().iter().copied())
            .collect();
        let heads = changes
            .iter()
            .map(|change| change.borrow().hash())
            .filter(|hash| !covered.contains(hash))
            .collect();
        covered.extend(changes.iter().map(|change| change.borrow().hash()));
        Reach { heads, covered }
    }
}

/// How many relay entries accumulate before an editor uploads a snapshot.
pub const SNAPSHOT_EVERY: u64 = 200;

/// `on_relay` may grow past this many hashes before a costly compaction.
const COMPACT_ABOVE: usize = 32;

/// One participant's sync state for one workspace, driven by the browser shell.
#[derive(Debug, Clone)]
pub struct SyncClient {
    keys: SyncKeys,
    cursor: SyncCursor,
    channel: u16,
    status: SyncStatus,
    /// The relay's head as last announced by a welcome or an entry.
    relay_head: u64,
    /// Whether the relay's welcome allowed appends on this connection.
    writable: bool,
    in_flight: Option<InFlight>,
    next_request: u32,
    /// The newest snapshot this client knows the relay holds (received or uploaded).
    snapshot_covers: u64,
    /// Sequence numbers of this client's own acknowledged appends above the
    /// cursor: the relay does not send them back, so the cursor steps over them.
    own_entries: BTreeSet<u64>,
    max_append_bytes: usize,
    /// `on_relay` is compacted thoroughly when it grows past this many hashes.
    compact_above: usize,
    /// A snapshot from the relay did not open: ask for entries only from now on.
    entries_only: bool,
    /// The request number of this client's close, until the relay answers it.
    closing: Option<u32>,
    /// The relay said the room is closed: nothing more is appended to it.
    /// Kept across reconnects, as a closed room never opens again.
    closed: bool,
}

impl SyncClient {
    /// A client for `keys`, resuming from `cursor`, naming its room `channel` on the connection.
    pub fn new(keys: SyncKeys, mut cursor: SyncCursor, channel: u16) -> SyncClient {
        sort_list(&mut cursor.on_relay, Ord::cmp);
        cursor.on_relay.dedup();
        SyncClient {
            keys,
            cursor,
            channel,
            status: SyncStatus::Offline,
            relay_head: 0,
            writable: false,
            in_flight: None,
            next_request: 0,
            snapshot_covers: 0,
            own_entries: BTreeSet::new(),
            max_append_bytes: MAX_APPEND_BYTES,
            compact_above: COMPACT_ABOVE,
            entries_only: false,
            closing: None,
            closed: false,
        }
    }

    /// Call on every (re)connect: the Hello frame; forgets in-flight appends (they will be resent)
    /// and an unanswered close (the relay says after the welcome whether it happened).
    pub fn connected(&mut self) -> ClientFrame {
        self.status = SyncStatus::Connecting;
        self.writable = false;
        self.in_flight = None;
        self.closing = None;
        ClientFrame::Hello {
            version: PROTOCOL_VERSION,
            channel: self.channel,
            room: self.keys.room,
            writer: self.keys.writer,
            write_token: self.keys.write_token.clone(),
            cursor: self.cursor.seq,
            entries_only: self.entries_only,
        }
    }

    /// Call when the connection is lost; the in-flight append is resent after reconnecting.
    pub fn disconnected(&mut self) {
        self.status = SyncStatus::Offline;
        self.writable = false;
        self.in_flight = None;
        self.closing = None;
    }

    /// The Close frame that stops sharing through this room, or None (not
    /// welcomed yet, read-only, a close already awaiting its answer, or the
    /// room already closed). Answered by [`SyncEvent::RoomClosed`] with
    /// `by_us`, or [`SyncEvent::CloseRefused`]; an append in flight meanwhile
    /// is answered first and stays tracked on its own.
    pub fn close_room(&mut self) -> Option<ClientFrame> {
        if !self.may_append() || self.closing.is_some() {
            return None;
        }
        let request = self.next_request;
        self.next_request = self.next_request.wrapping_add(1);
        self.closing = Some(request);
        Some(ClientFrame::Close {
            channel: self.channel,
            request,
        })
    }

    /// Whether the relay said this room is closed.
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// Where the connection stands.
    pub fn status(&self) -> SyncStatus {
        self.status
    }

    /// The channel number this client's frames carry.
    pub fn channel(&self) -> u16 {
        self.channel
    }

    /// What to persist so a reload resumes where this session stopped.
    pub fn cursor(&self) -> &SyncCursor {
        &self.cursor
    }

    /// The sealed Append for local changes not yet on the relay, or None (nothing new, not
    /// welcomed yet, an append in flight, read-only).
    ///
    /// Call it after local edits and after each [`SyncClient::receive`]; a backlog larger than
    /// [`MAX_APPEND_BYTES`] goes out over several calls, one acknowledged append at a time.
    pub fn outgoing(&mut self, doc: &mut AutoCommit) -> Result<Option<ClientFrame>, SyncError> {
        if !self.may_append() || self.in_flight.is_some() {
            return Ok(None);
        }
        let heads = doc.get_heads();
        if heads.iter().all(|head| self.is_on_relay(head)) {
            self.cursor.on_relay = heads;
            return Ok(None);
        }
        let changes = doc.get_changes(&self.cursor.on_relay);
        if changes.is_empty() {
            self.cursor.on_relay = heads;
            return Ok(None);
        }
        // Changes come in causal order, so any prefix has its dependencies
        // either in the prefix or already on the relay.
        let mut plaintext = Vec::new();
        let mut pushed = Vec::new();
        for change in &changes {
            let bytes = change.raw_bytes();
            if plaintext.len() + bytes.len() > self.max_append_bytes {
                if pushed.is_empty() {
                    return Err(SyncError::ChangeTooLarge {
                        len: bytes.len(),
                        max: self.max_append_bytes,
                    });
                }
                break;
            }
            plaintext.extend_from_slice(bytes);
            pushed.push(change);
        }
        let reach = Reach::of(&pushed);
        let blob = self.seal(BlobKind::Changes, &plaintext)?;
        let request = self.next_request;
        self.next_request = self.next_request.wrapping_add(1);
        self.in_flight = Some(InFlight { request, reach });
        Ok(Some(ClientFrame::Append {
            channel: self.channel,
            request,
            blob,
        }))
    }

    /// A sealed snapshot of the whole document covering the cursor, when at
    /// least [`SNAPSHOT_EVERY`] entries have accumulated since the last one,
    /// so late joiners load a snapshot and a short tail, and the relay can
    /// drop what two snapshots cover. `None` for readers, before catching up,
    /// or when the document no longer fits in one frame.
    pub fn snapshot_due(&mut self, doc: &mut AutoCommit) -> Result<Option<ClientFrame>, SyncError> {
        let due = self
            .snapshot_covers
            .checked_add(SNAPSHOT_EVERY)
            .is_some_and(|next| self.cursor.seq >= next);
        if !due || !self.may_append() || self.status != SyncStatus::UpToDate {
            return Ok(None);
        }
        // Compressed: a three-year workspace saves to 446 KB compressed but
        // 1.6 MB without DEFLATE, more than one frame holds.
        let bytes = doc.save();
        if bytes.len() > self.max_append_bytes {
            return Ok(None);
        }
        let covers = self.cursor.seq;
        let blob = self.seal(BlobKind::Snapshot { covers }, &bytes)?;
        let request = self.next_request;
        self.next_request = self.next_request.wrapping_add(1);
        self.snapshot_covers = covers;
        Ok(Some(ClientFrame::Snapshot {
            channel: self.channel,
            request,
            covers,
            blob,
        }))
    }

    /// Applies a relay frame; returns what happened.
    pub fn receive(&mut self, doc: &mut AutoCommit, frame: ServerFrame) -> Vec<SyncEvent> {
        match frame {
            ServerFrame::Welcome {
                channel,
                head,
                writable,
            } if channel == self.channel => self.welcome(head, writable),
            ServerFrame::Ack {
                channel, request, ..
            } if channel == self.channel && self.closing == Some(request) => {
                self.closing = None;
                self.closed = true;
                vec![SyncEvent::RoomClosed { by_us: true }]
            }
            ServerFrame::Ack {
                channel,
                request,
                seq,
            } if channel == self.channel => self.ack(doc, request, seq),
            ServerFrame::Closed { channel, .. } if channel == self.channel => self.room_closed(),
            ServerFrame::Entry { channel, seq, blob } if channel == self.channel => {
                self.entry(doc, seq, &blob)
            }
            ServerFrame::SnapshotEntry {
                channel,
                covers,
                blob,
            } if channel == self.channel => self.snapshot(doc, covers, &blob),
            ServerFrame::Ephemeral { blob, .. } if blob.len() > MAX_EPHEMERAL_BYTES => Vec::new(),
            ServerFrame::Ephemeral { channel, blob } if channel == self.channel => {
                // Silently dropped when it does not open: presence is never
                // stored, and reporting each bad one would let anyone who knows
                // the room id fill the screen with warnings. Signed, it is an
                // editor's; unsigned, a reader's.
                let (room, kind) = (&self.keys.room, BlobKind::Presence);
                let (sealed, editor) = match verify_signed(&self.keys.writer, room, kind, &blob) {
                    Ok(sealed) => (sealed, true),
                    Err(_) => (&blob[..], false),
                };
                match open(&self.keys.content_key, room, kind, sealed) {
                    Ok(payload) => vec![SyncEvent::Presence { payload, editor }],
                    Err(_) => Vec::new(),
                }
            }
            // Before the welcome, an error about this channel without a request
            // answers the Hello: the relay did not let this connection in.
            ServerFrame::Error {
                channel: Some(channel),
                request: None,
                code,
                ..
            } if channel == self.channel && self.status == SyncStatus::Connecting => {
                vec![SyncEvent::NotAdmitted { code }]
            }
            ServerFrame::Error {
                channel,
                request,
                code,
                ..
            } if channel.is_none_or(|channel| channel == self.channel) => self.error(request, code),
            // Another room on the same connection.
            _ => Vec::new(),
        }
    }

    /// A sealed ephemeral (presence) frame.
    pub fn presence(&self, payload: &[u8]) -> Result<ClientFrame, SyncError> {
        let max = MAX_EPHEMERAL_BYTES - SEAL_OVERHEAD_BYTES - SIGNATURE_BYTES;
        if payload.len() > max {
            return Err(SyncError::PresenceTooLarge {
                len: payload.len(),
                max,
            });
        }
        Ok(ClientFrame::Ephemeral {
            channel: self.channel,
            blob: self.seal(BlobKind::Presence, payload)?,
        })
    }

    /// Seals `plaintext`; changes and snapshots are signed as well (editors
    /// only), and an editor's presence too, which marks it as an editor's.
    fn seal(&self, kind: BlobKind, plaintext: &[u8]) -> Result<Vec<u8>, SyncError> {
        let sealed = seal(&self.keys.content_key, &self.keys.room, kind, plaintext)?;
        if kind == BlobKind::Presence && self.keys.signer.is_none() {
            return Ok(sealed);
        }
        let signer = self.keys.signer.as_ref().ok_or(CryptoError::ReadOnly)?;
        Ok(sign_sealed(signer, &self.keys.room, kind, &sealed))
    }

    /// Opens a blob; a change or snapshot must carry an editor's signature first.
    fn open(&self, kind: BlobKind, blob: &[u8]) -> Result<Vec<u8>, SyncError> {
        let sealed = if kind == BlobKind::Presence {
            blob
        } else {
            verify_signed(&self.keys.writer, &self.keys.room, kind, blob)?
        };
        Ok(open(&self.keys.content_key, &self.keys.room, kind, sealed)?)
    }

    fn welcomed(&self) -> bool {
        matches!(self.status, SyncStatus::CatchingUp | SyncStatus::UpToDate)
    }

    fn may_append(&self) -> bool {
        self.welcomed() && self.writable && self.keys.can_write() && !self.closed
    }

    /// The room is closed: `RoomClosed` the first time this client hears it.
    fn room_closed(&mut self) -> Vec<SyncEvent> {
        if std::mem::replace(&mut self.closed, true) {
            return Vec::new();
        }
        vec![SyncEvent::RoomClosed { by_us: false }]
    }

    fn is_on_relay(&self, hash: &ChangeHash) -> bool {
        self.cursor.on_relay.binary_search(hash).is_ok()
    }

    fn welcome(&mut self, head: u64, writable: bool) -> Vec<SyncEvent> {
        let mut events = Vec::new();
        if head < self.cursor.seq {
            self.cursor = SyncCursor::default();
            self.own_entries.clear();
            self.in_flight = None;
            self.relay_head = 0;
            self.writable = false;
            self.status = SyncStatus::Connecting;
            events.push(SyncEvent::RelayReset);
            events.push(SyncEvent::CursorMoved);
            return events;
        }
        self.relay_head = head;
        self.status = SyncStatus::CatchingUp;
        self.writable = writable && self.keys.can_write();
        if !writable {
            events.push(SyncEvent::ReadOnly);
        }
        self.update_status();
        events
    }

    fn ack(&mut self, doc: &mut AutoCommit, request: u32, seq: u64) -> Vec<SyncEvent> {
        let Some(in_flight) = self.in_flight.take_if(|f| f.request == request) else {
            return Vec::new();
        };
        self.remember_on_relay(doc, in_flight.reach);
        if seq > self.cursor.seq {
            self.own_entries.insert(seq);
            self.step_over_own_entries();
        }
        self.update_status();
        vec![SyncEvent::CursorMoved]
    }

    fn entry(&mut self, doc: &mut AutoCommit, seq: u64, blob: &[u8]) -> Vec<SyncEvent> {
        if !self.welcomed() || seq <= self.cursor.seq {
            return Vec::new();
        }
        self.relay_head = self.relay_head.max(seq);
        let mut events = self.apply(doc, BlobKind::Changes, blob, seq);
        self.cursor.seq = seq;
        self.step_over_own_entries();
        self.update_status();
        events.push(SyncEvent::CursorMoved);
        events
    }

    fn snapshot(&mut self, doc: &mut AutoCommit, covers: u64, blob: &[u8]) -> Vec<SyncEvent> {
        if !self.welcomed() || covers <= self.cursor.seq {
            return Vec::new();
        }
        let mut events = if self.entries_only {
            // Not what was asked for: a snapshot here is the relay's doing.
            vec![SyncEvent::Unreadable {
                seq: covers,
                reason: "the relay sent a summary where only changes were asked for".to_owned(),
            }]
        } else {
            self.apply(doc, BlobKind::Snapshot { covers }, blob, covers)
        };
        if events
            .iter()
            .any(|event| matches!(event, SyncEvent::Unreadable { .. }))
        {
            // Never past what did not open: the cursor stays, and nothing after
            // the snapshot is read on this welcome (it would skip what the
            // snapshot claims to hold). Once, ask again for entries only.
            self.status = SyncStatus::Connecting;
            self.writable = false;
            self.in_flight = None;
            if !self.entries_only {
                self.entries_only = true;
                events.push(SyncEvent::Rejoin);
            }
            return events;
        }
        self.cursor.seq = covers;
        self.snapshot_covers = self.snapshot_covers.max(covers);
        self.step_over_own_entries();
        self.update_status();
        events.push(SyncEvent::CursorMoved);
        events
    }

    /// Opens `blob` and applies it to `doc`: `Changed` if it did, `Unreadable`
    /// if the blob is bad (a bad blob may still have applied in part, when
    /// Automerge refused only some of its changes).
    fn apply(
        &mut self,
        doc: &mut AutoCommit,
        kind: BlobKind,
        blob: &[u8],
        seq: u64,
    ) -> Vec<SyncEvent> {
        let before = doc.get_heads();
        let result = self.try_apply(doc, kind, blob, &before);
        let mut events = Vec::new();
        if doc.get_heads() != before {
            events.push(SyncEvent::Changed);
        }
        if let Err(error) = result {
            events.push(SyncEvent::Unreadable {
                seq,
                reason: error.to_string(),
            });
        }
        events
    }

    fn try_apply(
        &mut self,
        doc: &mut AutoCommit,
        kind: BlobKind,
        blob: &[u8],
        before: &[ChangeHash],
    ) -> Result<(), SyncError> {
        let plaintext = self.open(kind, blob)?;
        let chunks = split_chunks(&plaintext)?;
        let reach = if matches!(kind, BlobKind::Snapshot { .. }) {
            // A whole document: Automerge loads it as the changes it holds.
            let [(DOCUMENT_CHUNK, document)] = chunks[..] else {
                return Err(not_automerge("a snapshot holds exactly one document"));
            };
            check_inflated_size(document)?;
            doc.load_incremental(&plaintext)
                .map_err(|error| SyncError::NotAutomerge(error.to_string()))?;
            // Every head that appeared came from the snapshot, and every
            // head that stopped being one is an ancestor of those.
            let after = doc.get_heads();
            Reach {
                heads: after
                    .iter()
                    .filter(|head| !before.contains(head))
                    .copied()
                    .collect(),
                covered: before
                    .iter()
                    .filter(|head| !after.contains(head))
                    .copied()
                    .collect(),
            }
        } else {
            if chunks.iter().any(|(kind, _)| *kind != CHANGE_CHUNK) {
                return Err(not_automerge(
                    "it holds compressed or other data where only changes are accepted",
                ));
            }
            let changes = chunks
                .into_iter()
                .map(|(_, chunk)| Change::try_from(chunk))
                .collect::<Result<Vec<Change>, _>>()
                .map_err(|error| SyncError::NotAutomerge(error.to_string()))?;
            if changes.is_empty() {
                return Err(not_automerge("it holds no changes"));
            }
            let reach = Reach::of(&changes);
            doc.apply_changes(changes)
                .map_err(|error| SyncError::NotAutomerge(error.to_string()))?;
            reach
        };
        self.remember_on_relay(doc, reach);
        Ok(())
    }

    fn error(&mut self, request: Option<u32>, code: ErrorCode) -> Vec<SyncEvent> {
        // Only an error naming our append's request is about it, and releases
        // it to be sent again. One without a request answers a frame that has
        // none (presence, most often, refused for its rate): our append stays
        // in flight, and a connection that fails meanwhile forgets it anyway.
        let Some(request) = request else {
            return Vec::new();
        };
        let about_append = self
            .in_flight
            .as_ref()
            .is_some_and(|f| request == f.request);
        if about_append {
            self.in_flight = None;
        }
        let about_close = self.closing == Some(request);
        if about_close {
            self.closing = None;
        }
        match code {
            // Whatever it answers (an append, a snapshot, the close): the
            // append is not sent again, and its changes stay in the document.
            ErrorCode::RoomClosed => self.room_closed(),
            _ if about_close => vec![SyncEvent::CloseRefused { code }],
            ErrorCode::Unauthorized if about_append => {
                self.writable = false;
                vec![SyncEvent::ReadOnly]
            }
            ErrorCode::FrameTooLarge if about_append => {
                // The relay's limit is lower than ours: send smaller appends.
                self.max_append_bytes = (self.max_append_bytes / 2).max(MIN_APPEND_BYTES);
                vec![SyncEvent::Refused { code }]
            }
            _ => vec![SyncEvent::Refused { code }],
        }
    }

    /// The relay never sends a client its own appends back, so once every
    /// entry before one of them has arrived the cursor moves past it.
    fn step_over_own_entries(&mut self) {
        while let Some(next) = self.cursor.seq.checked_add(1)
            && self.own_entries.remove(&next)
        {
            self.cursor.seq = next;
        }
        let seq = self.cursor.seq;
        self.own_entries.retain(|own| *own > seq);
    }

    fn update_status(&mut self) {
        if self.welcomed() {
            self.status = if self.cursor.seq >= self.relay_head {
                SyncStatus::UpToDate
            } else {
                SyncStatus::CatchingUp
            };
        }
    }

    /// Records that `reach` is on the relay: its heads join `on_relay`, and
    /// members it covers leave, which keeps the set small at no cost.
    fn remember_on_relay(&mut self, doc: &mut AutoCommit, reach: Reach) {
        let set = &mut self.cursor.on_relay;
        set.retain(|hash| !reach.covered.contains(hash));
        set.extend(reach.heads);
        sort_list(set, Ord::cmp);
        set.dedup();
        let heads = doc.get_heads();
        if heads.iter().all(|head| set.binary_search(head).is_ok()) {
            // The heads cover everything, and nothing known covers a head.
            *set = heads;
            self.compact_above = COMPACT_ABOVE;
        } else if set.len() > self.compact_above {
            compact(doc, set);
            self.compact_above = COMPACT_ABOVE.max(2 * set.len());
        }
    }
}

/// Drops every member of `set` that another member covers, or that `doc` does
/// not know. Costs a pass over the uncovered changes per member, so it runs
/// only when the cheap pruning in `remember_on_relay` fell behind.
fn compact(doc: &mut AutoCommit, set: &mut Vec<ChangeHash>) {
    let mut index = 0;
    while set.len() > 1 && index < set.len() {
        let candidate = set[index];
        let others: Vec<ChangeHash> = set
            .iter()
            .copied()
            .filter(|hash| *hash != candidate)
            .collect();
        let covered = !doc
            .get_changes_meta(&others)
            .iter()
            .any(|meta| meta.hash == candidate);
        if covered {
            set.remove(index);
        } else {
            index += 1;
        }
    }
}

/// The first bytes of every Automerge chunk.
const CHUNK_MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
/// Magic bytes, checksum and type: what precedes a chunk's length.
const CHUNK_PREFIX: usize = CHUNK_MAGIC.len() + 4 + 1;
/// Automerge's chunk type of a whole document.
const DOCUMENT_CHUNK: u8 = 0;
/// Automerge's chunk type of one change, as Charter sends it (never the
/// deflate-compressed type 2, which would inflate without a bound).
const CHANGE_CHUNK: u8 = 1;
/// Column specifications with this bit set hold deflated data.
const DEFLATED_COLUMN: u64 = 0b1000;
/// The most a snapshot's columns may inflate to, all together. A three-year
/// workspace's inflate to about 1.6 MB: this leaves room for decades and
/// stops a deflate bomb before it fills the tab's memory.
pub const MAX_SNAPSHOT_INFLATED: u64 = 64 << 20;

fn not_automerge(why: &str) -> SyncError {
    SyncError::NotAutomerge(why.to_owned())
}

/// Splits Automerge's binary format into its chunks (type and whole chunk),
/// each a header of magic bytes, checksum, type and LEB128 length, then data.
///
/// Automerge's own incremental load skips what it cannot parse without an
/// error; splitting first lets a damaged blob be reported instead.
fn split_chunks(mut bytes: &[u8]) -> Result<Vec<(u8, &[u8])>, SyncError> {
    const PREFIX: usize = CHUNK_PREFIX;
    let mut chunks = Vec::new();
    while !bytes.is_empty() {
        if bytes.len() < PREFIX || bytes[..CHUNK_MAGIC.len()] != CHUNK_MAGIC {
            return Err(not_automerge("it does not have Automerge's chunk header"));
        }
        let chunk_type = bytes[PREFIX - 1];
        let (len, len_bytes) = read_uleb128(&bytes[PREFIX..])
            .ok_or_else(|| not_automerge("a chunk length is damaged"))?;
        let end = usize::try_from(len)
            .ok()
            .and_then(|len| len.checked_add(PREFIX + len_bytes))
            .filter(|end| *end <= bytes.len())
            .ok_or_else(|| not_automerge("a chunk is cut short"))?;
        let (chunk, rest) = bytes.split_at(end);
        chunks.push((chunk_type, chunk));
        bytes = rest;
    }
    Ok(chunks)
}

/// Checks a whole Automerge file from outside (an imported workspace) as a
/// snapshot is checked: whole chunks only, documents or plain changes, and
/// document columns that inflate to at most [`MAX_SNAPSHOT_INFLATED`] bytes
/// in all. The reason is in words for a person.
pub fn check_automerge_file(bytes: &[u8]) -> Result<(), String> {
    let chunks = split_chunks(bytes).map_err(|e| e.to_string())?;
    if chunks.is_empty() {
        return Err("it is empty".to_owned());
    }
    for (kind, chunk) in chunks {
        match kind {
            DOCUMENT_CHUNK => check_inflated_size(chunk).map_err(|e| e.to_string())?,
            CHANGE_CHUNK => {}
            _ => return Err("it holds a kind of Automerge data Charter does not read".to_owned()),
        }
    }
    Ok(())
}

/// Checks, before Automerge inflates a snapshot's document chunk (which it
/// does without a bound), that its deflated columns inflate to at most
/// [`MAX_SNAPSHOT_INFLATED`] bytes. The chunk's layout: actors, heads, the
/// change and then the op column descriptions, then the columns' data.
fn check_inflated_size(chunk: &[u8]) -> Result<(), SyncError> {
    let (columns, mut data) =
        document_columns(chunk).ok_or_else(|| not_automerge("the snapshot's layout is damaged"))?;
    let mut inflated = 0u64;
    for (deflated, length) in columns {
        let column = take(&mut data, length)
            .ok_or_else(|| not_automerge("the snapshot's layout is damaged"))?;
        if deflated {
            let budget = MAX_SNAPSHOT_INFLATED - inflated;
            let mut decoder = flate2::bufread::DeflateDecoder::new(column).take(budget + 1);
            inflated += std::io::copy(&mut decoder, &mut std::io::sink())
                .map_err(|_| not_automerge("a column of the snapshot does not inflate"))?;
        } else {
            inflated = inflated.saturating_add(length as u64);
        }
        if inflated > MAX_SNAPSHOT_INFLATED {
            return Err(not_automerge(
                "the snapshot would take more memory than a workspace can hold",
            ));
        }
    }
    Ok(())
}

/// A column of a document chunk: whether it is deflated, and its stored length.
type Column = (bool, usize);

/// A document chunk's columns and the bytes their data starts at, or `None`
/// if its layout is damaged.
fn document_columns(chunk: &[u8]) -> Option<(Vec<Column>, &[u8])> {
    let mut rest = chunk.get(CHUNK_PREFIX..)?;
    let _chunk_length = number(&mut rest)?;
    for _ in 0..number(&mut rest)? {
        let actor = usize::try_from(number(&mut rest)?).ok()?;
        take(&mut rest, actor)?;
    }
    let heads = usize::try_from(number(&mut rest)?).ok()?;
    take(&mut rest, heads.checked_mul(32)?)?;
    let mut columns = Vec::new();
    // The change columns, then the op columns.
    for _ in 0..2 {
        for _ in 0..number(&mut rest)? {
            let spec = number(&mut rest)?;
            let length = usize::try_from(number(&mut rest)?).ok()?;
            columns.push((spec & DEFLATED_COLUMN != 0, length));
        }
    }
    Some((columns, rest))
}

/// Reads an unsigned LEB128 number off the front of `bytes`.
fn number(bytes: &mut &[u8]) -> Option<u64> {
    let (value, used) = read_uleb128(bytes)?;
    *bytes = &bytes[used..];
    Some(value)
}

/// Takes `length` bytes off the front of `bytes`.
fn take<'a>(bytes: &mut &'a [u8], length: usize) -> Option<&'a [u8]> {
    if length > bytes.len() {
        return None;
    }
    let (front, rest) = bytes.split_at(length);
    *bytes = rest;
    Some(front)
}

/// An unsigned LEB128 number and how many bytes it took.
fn read_uleb128(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value = 0u64;
    for (index, byte) in bytes.iter().enumerate().take(10) {
        let bits = u64::from(byte & 0x7f);
        let shift = 7 * index as u32;
        if shift == 63 && bits > 1 {
            return None;
        }
        value |= bits << shift;
        if byte & 0x80 == 0 {
            return Some((value, index + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::{ObjectiveDraft, WorkspaceDoc};

    const NOW: i64 = 1_780_000_000_000;
    const CHANNEL: u16 = 4;

    fn secret() -> WorkspaceSecret {
        WorkspaceSecret::from_bytes([7; 32])
    }

    fn editor() -> SyncClient {
        SyncClient::new(SyncKeys::editor(&secret()), SyncCursor::default(), CHANNEL)
    }

    fn draft(title: &str) -> ObjectiveDraft {
        ObjectiveDraft {
            title: title.into(),
            ..Default::default()
        }
    }

    /// A workspace and a copy of it for a second participant, sharing the root.
    fn two_docs() -> (WorkspaceDoc, WorkspaceDoc) {
        let mut a = WorkspaceDoc::create("Acme Ltd", "All offices", "Ada", NOW).unwrap();
        let b = fork(&mut a, "Bo");
        (a, b)
    }

    fn fork(ws: &mut WorkspaceDoc, author: &str) -> WorkspaceDoc {
        let bytes = ws.automerge().save();
        WorkspaceDoc::from_automerge(AutoCommit::load(&bytes).unwrap(), author)
    }

    fn welcome(client: &mut SyncClient, doc: &mut WorkspaceDoc, head: u64) -> Vec<SyncEvent> {
        client.connected();
        client.receive(
            doc.automerge(),
            ServerFrame::Welcome {
                channel: CHANNEL,
                head,
                writable: true,
            },
        )
    }

    /// The request number and blob of an append.
    fn append(frame: Option<ClientFrame>) -> (u32, Vec<u8>) {
        match frame {
            Some(ClientFrame::Append {
                channel: CHANNEL,
                request,
                blob,
            }) => (request, blob),
            other => panic!("expected an append, got {other:?}"),
        }
    }

    fn ack(request: u32, seq: u64) -> ServerFrame {
        ServerFrame::Ack {
            channel: CHANNEL,
            request,
            seq,
        }
    }

    fn entry(seq: u64, blob: &[u8]) -> ServerFrame {
        ServerFrame::Entry {
            channel: CHANNEL,
            seq,
            blob: blob.to_vec(),
        }
    }

    /// Sealed as an editor sends it: signed too, unless it is presence.
    fn sealed(kind: BlobKind, plaintext: &[u8]) -> Vec<u8> {
        let s = secret();
        let sealed = seal(&s.content_key(), &s.room_id(), kind, plaintext).unwrap();
        if kind == BlobKind::Presence {
            return sealed;
        }
        sign_sealed(&s.signer(), &s.room_id(), kind, &sealed)
    }

    /// The hashes of `sender`'s changes that a sealed append carries, in order.
    fn hashes_in(sender: &mut WorkspaceDoc, blob: &[u8]) -> Vec<ChangeHash> {
        let s = secret();
        let sealed = verify_signed(&s.writer_key(), &s.room_id(), BlobKind::Changes, blob).unwrap();
        let plaintext = open(&s.content_key(), &s.room_id(), BlobKind::Changes, sealed).unwrap();
        let mut rest = &plaintext[..];
        let mut hashes = Vec::new();
        for change in sender.automerge().get_changes(&[]) {
            if let Some(after) = rest.strip_prefix(change.raw_bytes()) {
                rest = after;
                hashes.push(change.hash());
            }
        }
        assert!(rest.is_empty(), "the append holds bytes that are no change");
        hashes
    }

    fn titles(ws: &WorkspaceDoc) -> Vec<String> {
        let state = ws.read().unwrap();
        let mut titles: Vec<_> = state.objectives.into_values().map(|o| o.title).collect();
        titles.sort();
        titles
    }

    #[test]
    fn an_editor_uploads_a_snapshot_every_so_many_entries_that_opens_to_the_same_document() {
        let (mut a, mut b) = two_docs();
        let mut reader = SyncClient::new(
            SyncKeys::reader(&secret().read_keys()),
            SyncCursor::default(),
            CHANNEL,
        );
        let mut client = editor();
        welcome(&mut client, &mut a, 0);
        welcome(&mut reader, &mut b, 0);
        assert_eq!(
            client.snapshot_due(a.automerge()).unwrap(),
            None,
            "nothing to cover yet"
        );
        // Another participant's changes arrive as SNAPSHOT_EVERY entries.
        let mut sender = editor();
        welcome(&mut sender, &mut b, 0);
        for seq in 1..=SNAPSHOT_EVERY {
            b.add_objective(&draft(&format!("Objective {seq}")), NOW + seq as i64)
                .unwrap();
            let (request, blob) = append(sender.outgoing(b.automerge()).unwrap());
            sender.receive(b.automerge(), ack(request, seq));
            client.receive(a.automerge(), entry(seq, &blob));
            reader.receive(b.automerge(), entry(seq, &blob));
        }
        assert_eq!(client.cursor().seq, SNAPSHOT_EVERY);
        assert_eq!(
            reader.snapshot_due(b.automerge()).unwrap(),
            None,
            "readers never upload"
        );
        let Some(ClientFrame::Snapshot { covers, blob, .. }) =
            client.snapshot_due(a.automerge()).unwrap()
        else {
            panic!("a snapshot is due");
        };
        assert_eq!(covers, SNAPSHOT_EVERY);
        assert_eq!(
            client.snapshot_due(a.automerge()).unwrap(),
            None,
            "not again until more entries"
        );

        // A late joiner starts empty, loads it and has everything.
        let mut late = WorkspaceDoc::from_automerge(AutoCommit::new(), "Late");
        let mut joiner = editor();
        welcome(&mut joiner, &mut late, SNAPSHOT_EVERY);
        let events = joiner.receive(
            late.automerge(),
            ServerFrame::SnapshotEntry {
                channel: CHANNEL,
                covers,
                blob,
            },
        );
        assert!(events.contains(&SyncEvent::Changed));
        assert_eq!(
            late.read().unwrap().objectives,
            a.read().unwrap().objectives
        );
        assert_eq!(joiner.status(), SyncStatus::UpToDate);
    }

    #[test]
    fn nothing_is_sent_before_the_welcome_or_while_an_append_is_in_flight() {
        let (mut a, _) = two_docs();
        let mut client = editor();
        assert_eq!(client.outgoing(a.automerge()).unwrap(), None);
        assert_eq!(client.status(), SyncStatus::Offline);
        let hello = client.connected();
        assert!(matches!(
            hello,
            ClientFrame::Hello {
                channel: CHANNEL,
                cursor: 0,
                write_token: Some(_),
                ..
            }
        ));
        assert_eq!(client.status(), SyncStatus::Connecting);
        assert_eq!(client.outgoing(a.automerge()).unwrap(), None);
        welcome(&mut client, &mut a, 0);
        assert_eq!(client.status(), SyncStatus::UpToDate);
        append(client.outgoing(a.automerge()).unwrap());
        a.add_objective(&draft("Later"), NOW).unwrap();
        assert_eq!(client.outgoing(a.automerge()).unwrap(), None);
    }

    #[test]
    fn an_acknowledged_append_is_not_sent_again() {
        let (mut a, _) = two_docs();
        let mut client = editor();
        welcome(&mut client, &mut a, 0);
        a.add_objective(&draft("First"), NOW).unwrap();
        let (request, first) = append(client.outgoing(a.automerge()).unwrap());
        assert_eq!(
            hashes_in(&mut a, &first).len(),
            2,
            "creation and first edit"
        );
        let events = client.receive(a.automerge(), ack(request, 1));
        assert_eq!(events, [SyncEvent::CursorMoved]);
        assert_eq!(client.cursor().on_relay, a.automerge().get_heads());
        assert_eq!(client.outgoing(a.automerge()).unwrap(), None);

        a.add_objective(&draft("Second"), NOW + 1).unwrap();
        let (_, second) = append(client.outgoing(a.automerge()).unwrap());
        assert_eq!(hashes_in(&mut a, &second), a.automerge().get_heads());
    }

    #[test]
    fn an_ack_for_another_request_changes_nothing() {
        let (mut a, _) = two_docs();
        let mut client = editor();
        welcome(&mut client, &mut a, 0);
        let (request, _) = append(client.outgoing(a.automerge()).unwrap());
        let events = client.receive(a.automerge(), ack(request.wrapping_add(1), 1));
        assert!(events.is_empty());
        assert_eq!(client.cursor(), &SyncCursor::default());
        assert_eq!(
            client.outgoing(a.automerge()).unwrap(),
            None,
            "still in flight"
        );
    }

    #[test]
    fn changes_received_from_the_relay_are_never_pushed_back() {
        let (mut a, mut b) = two_docs();
        let (mut alice, mut bob) = (editor(), editor());
        welcome(&mut alice, &mut a, 0);
        welcome(&mut bob, &mut b, 0);
        a.add_objective(&draft("From Ada"), NOW).unwrap();
        let (request, blob) = append(alice.outgoing(a.automerge()).unwrap());
        alice.receive(a.automerge(), ack(request, 1));

        let events = bob.receive(b.automerge(), entry(1, &blob));
        assert_eq!(events, [SyncEvent::Changed, SyncEvent::CursorMoved]);
        assert_eq!(titles(&b), ["From Ada"]);
        assert_eq!(bob.cursor().seq, 1);
        assert_eq!(
            bob.outgoing(b.automerge()).unwrap(),
            None,
            "Bo has nothing of his own, not even the shared creation change"
        );

        b.add_objective(&draft("From Bo"), NOW + 1).unwrap();
        let (_, blob) = append(bob.outgoing(b.automerge()).unwrap());
        assert_eq!(hashes_in(&mut b, &blob), b.automerge().get_heads());
    }

    #[test]
    fn a_change_received_while_an_append_is_in_flight_is_not_pushed_back() {
        let (mut a, mut b) = two_docs();
        let (mut alice, mut bob) = (editor(), editor());
        welcome(&mut alice, &mut a, 0);
        welcome(&mut bob, &mut b, 0);
        a.add_objective(&draft("From Ada"), NOW).unwrap();
        b.add_objective(&draft("From Bo"), NOW).unwrap();
        let (from_ada, ada_blob) = append(alice.outgoing(a.automerge()).unwrap());
        let (from_bo, bo_blob) = append(bob.outgoing(b.automerge()).unwrap());
        // The relay stores Ada's first, then Bo's; each learns of the other's meanwhile.
        bob.receive(b.automerge(), entry(1, &ada_blob));
        alice.receive(a.automerge(), ack(from_ada, 1));
        alice.receive(a.automerge(), entry(2, &bo_blob));
        bob.receive(b.automerge(), ack(from_bo, 2));

        assert_eq!(titles(&a), titles(&b));
        assert_eq!(alice.outgoing(a.automerge()).unwrap(), None);
        assert_eq!(bob.outgoing(b.automerge()).unwrap(), None);
        assert_eq!((alice.cursor().seq, bob.cursor().seq), (2, 2));
        assert_eq!(alice.cursor().on_relay, a.automerge().get_heads());
        assert_eq!(bob.cursor().on_relay, b.automerge().get_heads());
    }

    #[test]
    fn a_duplicate_entry_is_ignored() {
        let (mut a, mut b) = two_docs();
        let mut bob = editor();
        welcome(&mut bob, &mut b, 0);
        a.add_objective(&draft("Once"), NOW).unwrap();
        let blob = sealed(BlobKind::Changes, &a.automerge().save_after(&[]));
        assert_eq!(bob.receive(b.automerge(), entry(1, &blob)).len(), 2);
        let cursor = bob.cursor().clone();
        assert!(bob.receive(b.automerge(), entry(1, &blob)).is_empty());
        assert_eq!(bob.cursor(), &cursor);
        assert_eq!(titles(&b), ["Once"]);
    }

    #[test]
    fn a_tampered_entry_is_reported_and_skipped_while_later_entries_apply() {
        let (mut a, mut b) = two_docs();
        let mut c = fork(&mut a, "Cy");
        let mut bob = editor();
        welcome(&mut bob, &mut b, 2);
        a.add_objective(&draft("Tampered"), NOW).unwrap();
        c.add_objective(&draft("Intact"), NOW).unwrap();
        let mut tampered = sealed(BlobKind::Changes, &a.automerge().save_after(&[]));
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        let intact = sealed(BlobKind::Changes, &c.automerge().save_after(&[]));
        let heads = b.automerge().get_heads();

        // Altered on the way: its signature no longer holds, so it is not even decrypted.
        let events = bob.receive(b.automerge(), entry(1, &tampered));
        assert!(matches!(
            &events[..],
            [SyncEvent::Unreadable { seq: 1, reason }, SyncEvent::CursorMoved]
                if reason.contains("not signed by an editor")
        ));
        assert_eq!(b.automerge().get_heads(), heads, "nothing applied");
        assert_eq!(bob.cursor().seq, 1, "skipped, not retried forever");

        let events = bob.receive(b.automerge(), entry(2, &intact));
        assert_eq!(events, [SyncEvent::Changed, SyncEvent::CursorMoved]);
        assert_eq!(titles(&b), ["Intact"]);
        assert_eq!(bob.status(), SyncStatus::UpToDate);
    }

    #[test]
    fn a_blob_of_another_kind_or_not_automerge_is_unreadable() {
        let (mut a, mut b) = two_docs();
        let mut bob = editor();
        welcome(&mut bob, &mut b, 0);
        a.add_objective(&draft("Snapshot"), NOW).unwrap();
        let snapshot = sealed(BlobKind::Snapshot { covers: 1 }, &a.automerge().save());
        let garbage = sealed(BlobKind::Changes, b"not automerge at all");
        let heads = b.automerge().get_heads();

        let events = bob.receive(b.automerge(), entry(1, &snapshot));
        assert!(matches!(events[0], SyncEvent::Unreadable { seq: 1, .. }));
        let events = bob.receive(b.automerge(), entry(2, &garbage));
        assert!(matches!(
            &events[0],
            SyncEvent::Unreadable { seq: 2, reason } if reason.contains("not a valid Charter")
        ));
        assert_eq!(b.automerge().get_heads(), heads);
    }

    #[test]
    fn a_snapshot_catches_up_a_new_participant() {
        let (mut a, mut b) = two_docs();
        let mut bob = editor();
        let events = welcome(&mut bob, &mut b, 6);
        assert!(events.is_empty());
        assert_eq!(bob.status(), SyncStatus::CatchingUp);
        a.add_objective(&draft("In the snapshot"), NOW).unwrap();
        let covered = a.automerge().get_heads();
        let snapshot = sealed(BlobKind::Snapshot { covers: 5 }, &a.automerge().save());
        a.add_objective(&draft("After it"), NOW + 1).unwrap();
        let tail = sealed(BlobKind::Changes, &a.automerge().save_after(&covered));

        let events = bob.receive(
            b.automerge(),
            ServerFrame::SnapshotEntry {
                channel: CHANNEL,
                covers: 5,
                blob: snapshot,
            },
        );
        assert_eq!(events, [SyncEvent::Changed, SyncEvent::CursorMoved]);
        assert_eq!(bob.cursor().seq, 5);
        assert_eq!(bob.status(), SyncStatus::CatchingUp);
        assert_eq!(titles(&b), ["In the snapshot"]);
        assert!(bob.receive(b.automerge(), entry(4, &tail)).is_empty());

        bob.receive(b.automerge(), entry(6, &tail));
        assert_eq!(titles(&b), ["After it", "In the snapshot"]);
        assert_eq!(bob.status(), SyncStatus::UpToDate);
        assert_eq!(bob.outgoing(b.automerge()).unwrap(), None);
    }

    #[test]
    fn an_unreadable_snapshot_leaves_the_cursor_and_asks_for_the_entries() {
        let (mut a, mut b) = two_docs();
        let mut bob = editor();
        welcome(&mut bob, &mut b, 3);
        let before = bob.cursor().seq;
        let wrong_kind = sealed(BlobKind::Changes, &a.automerge().save());
        let junk = ServerFrame::SnapshotEntry {
            channel: CHANNEL,
            covers: 3,
            blob: wrong_kind,
        };
        let events = bob.receive(b.automerge(), junk.clone());
        assert!(matches!(events[0], SyncEvent::Unreadable { seq: 3, .. }));
        assert_eq!(events.last(), Some(&SyncEvent::Rejoin));
        assert_eq!(bob.cursor().seq, before, "never past what did not open");
        // What the relay sends after the snapshot is not read on this welcome.
        a.add_objective(&draft("Third"), NOW).unwrap();
        let third = sealed(BlobKind::Changes, &a.automerge().save_after(&[]));
        assert!(bob.receive(b.automerge(), entry(4, &third)).is_empty());
        assert_eq!(bob.cursor().seq, before);

        // The new hello asks for entries only, and they are applied in order.
        assert!(matches!(
            bob.connected(),
            ClientFrame::Hello {
                cursor: 0,
                entries_only: true,
                ..
            }
        ));
        bob.receive(
            b.automerge(),
            ServerFrame::Welcome {
                channel: CHANNEL,
                head: 1,
                writable: true,
            },
        );
        let events = bob.receive(b.automerge(), entry(1, &third));
        assert!(events.contains(&SyncEvent::Changed));
        assert_eq!(bob.cursor().seq, 1);
        assert_eq!(bob.status(), SyncStatus::UpToDate);

        // A relay that sends a snapshot anyway is not followed, and not asked again.
        let events = bob.receive(
            b.automerge(),
            ServerFrame::SnapshotEntry {
                channel: CHANNEL,
                covers: 9,
                blob: sealed(BlobKind::Snapshot { covers: 9 }, &a.automerge().save()),
            },
        );
        assert!(matches!(events[..], [SyncEvent::Unreadable { seq: 9, .. }]));
        assert_eq!(bob.cursor().seq, 1);
    }

    #[test]
    fn a_change_without_an_editors_signature_is_unreadable_and_not_applied() {
        let (mut a, mut b) = two_docs();
        let mut bob = editor();
        welcome(&mut bob, &mut b, 0);
        a.add_objective(&draft("Forged by a reader"), NOW).unwrap();
        let s = secret();
        let sealed = seal(
            &s.content_key(),
            &s.room_id(),
            BlobKind::Changes,
            &a.automerge().save_after(&[]),
        )
        .unwrap();
        // A reader can seal (it holds the content key) but cannot sign.
        let events = bob.receive(b.automerge(), entry(1, &sealed));
        assert!(matches!(
            &events[..],
            [SyncEvent::Unreadable { seq: 1, reason }, SyncEvent::CursorMoved]
                if reason.contains("not signed by an editor")
        ));
        assert!(titles(&b).is_empty());
        // Nor can a reader's client send a change at all.
        let reader = SyncClient::new(
            SyncKeys::reader(&s.read_keys()),
            SyncCursor::default(),
            CHANNEL,
        );
        assert_eq!(
            reader.seal(BlobKind::Changes, b"x"),
            Err(SyncError::Crypto(CryptoError::ReadOnly))
        );
    }

    #[test]
    fn a_refused_hello_is_reported_not_waited_on_forever() {
        let mut bob = editor();
        bob.connected();
        let refused = |channel, request| ServerFrame::Error {
            channel,
            request,
            code: ErrorCode::UnsupportedVersion,
            message: "speak version 1".into(),
        };
        let (_, mut b) = two_docs();
        // About the connection, or another channel: not this Hello's answer.
        assert!(bob.receive(b.automerge(), refused(None, None)).is_empty());
        assert!(
            bob.receive(b.automerge(), refused(Some(CHANNEL + 1), None))
                .is_empty()
        );
        assert_eq!(
            bob.receive(b.automerge(), refused(Some(CHANNEL), None)),
            [SyncEvent::NotAdmitted {
                code: ErrorCode::UnsupportedVersion
            }]
        );
        assert_eq!(bob.status(), SyncStatus::Connecting);
        // Once welcomed, a request-less error is about presence, not the Hello.
        welcome(&mut bob, &mut b, 0);
        assert!(
            bob.receive(b.automerge(), refused(Some(CHANNEL), None))
                .is_empty()
        );
    }

    #[test]
    fn a_snapshot_relabelled_by_the_relay_does_not_open() {
        let (mut a, mut b) = two_docs();
        let mut bob = editor();
        welcome(&mut bob, &mut b, 9);
        a.add_objective(&draft("Old"), NOW).unwrap();
        let old = sealed(BlobKind::Snapshot { covers: 2 }, &a.automerge().save());
        let events = bob.receive(
            b.automerge(),
            ServerFrame::SnapshotEntry {
                channel: CHANNEL,
                covers: 9,
                blob: old,
            },
        );
        assert!(matches!(events[0], SyncEvent::Unreadable { seq: 9, .. }));
        assert!(titles(&b).is_empty(), "nothing of it applied");
        assert_eq!(bob.cursor().seq, 0);
    }

    #[test]
    fn a_relay_behind_the_cursor_resets_it() {
        let (mut a, _) = two_docs();
        let mut alice = editor();
        welcome(&mut alice, &mut a, 0);
        let (request, _) = append(alice.outgoing(a.automerge()).unwrap());
        alice.receive(a.automerge(), ack(request, 10));
        assert_eq!(alice.cursor().seq, 0, "entries 1 to 9 are still to come");
        for seq in 1..10 {
            let blob = sealed(BlobKind::Changes, &a.automerge().save_after(&[]));
            alice.receive(a.automerge(), entry(seq, &blob));
        }
        assert_eq!(alice.cursor().seq, 10);
        a.add_objective(&draft("Offline"), NOW).unwrap();
        alice.disconnected();

        let events = welcome(&mut alice, &mut a, 3);
        assert_eq!(events, [SyncEvent::RelayReset, SyncEvent::CursorMoved]);
        assert_eq!(alice.cursor(), &SyncCursor::default());
        assert_eq!(alice.status(), SyncStatus::Connecting);
        assert_eq!(alice.outgoing(a.automerge()).unwrap(), None);
        let stale = sealed(BlobKind::Changes, &a.automerge().save_after(&[]));
        assert!(alice.receive(a.automerge(), entry(11, &stale)).is_empty());

        let hello = alice.connected();
        assert!(matches!(hello, ClientFrame::Hello { cursor: 0, .. }));
        alice.receive(
            a.automerge(),
            ServerFrame::Welcome {
                channel: CHANNEL,
                head: 3,
                writable: true,
            },
        );
        assert_eq!(alice.status(), SyncStatus::CatchingUp);
        let (_, blob) = append(alice.outgoing(a.automerge()).unwrap());
        assert_eq!(
            hashes_in(&mut a, &blob).len(),
            2,
            "everything is pushed again"
        );
    }

    #[test]
    fn a_reader_never_appends() {
        let (mut a, _) = two_docs();
        let mut reader = SyncClient::new(
            SyncKeys::reader(&secret().read_keys()),
            SyncCursor::default(),
            CHANNEL,
        );
        assert!(!SyncKeys::reader(&secret().read_keys()).can_write());
        assert!(matches!(
            reader.connected(),
            ClientFrame::Hello {
                write_token: None,
                ..
            }
        ));
        let events = reader.receive(
            a.automerge(),
            ServerFrame::Welcome {
                channel: CHANNEL,
                head: 0,
                writable: false,
            },
        );
        assert_eq!(events, [SyncEvent::ReadOnly]);
        a.add_objective(&draft("Local only"), NOW).unwrap();
        assert_eq!(reader.outgoing(a.automerge()).unwrap(), None);

        // Even a relay that wrongly says "writable" gets nothing to append.
        welcome(&mut reader, &mut a, 0);
        assert_eq!(reader.outgoing(a.automerge()).unwrap(), None);
    }

    #[test]
    fn an_unauthorized_append_makes_the_client_read_only() {
        let (mut a, _) = two_docs();
        let mut alice = editor();
        welcome(&mut alice, &mut a, 0);
        let (request, _) = append(alice.outgoing(a.automerge()).unwrap());
        let events = alice.receive(
            a.automerge(),
            ServerFrame::Error {
                channel: Some(CHANNEL),
                request: Some(request),
                code: ErrorCode::Unauthorized,
                message: "no".into(),
            },
        );
        assert_eq!(events, [SyncEvent::ReadOnly]);
        assert_eq!(alice.outgoing(a.automerge()).unwrap(), None);
    }

    #[test]
    fn a_refused_append_is_reported_and_sent_again() {
        let (mut a, _) = two_docs();
        let mut alice = editor();
        welcome(&mut alice, &mut a, 0);
        let (request, first) = append(alice.outgoing(a.automerge()).unwrap());
        let events = alice.receive(
            a.automerge(),
            ServerFrame::Error {
                channel: Some(CHANNEL),
                request: Some(request),
                code: ErrorCode::RateLimited,
                message: "slow down".into(),
            },
        );
        assert_eq!(
            events,
            [SyncEvent::Refused {
                code: ErrorCode::RateLimited
            }]
        );
        let (again, second) = append(alice.outgoing(a.automerge()).unwrap());
        assert_ne!(again, request);
        assert_eq!(hashes_in(&mut a, &first), hashes_in(&mut a, &second));
    }

    #[test]
    fn an_error_without_a_request_leaves_the_append_in_flight() {
        let (mut a, _) = two_docs();
        let mut alice = editor();
        welcome(&mut alice, &mut a, 0);
        let (request, _) = append(alice.outgoing(a.automerge()).unwrap());
        // What the relay answers a presence frame sent too fast.
        let events = alice.receive(
            a.automerge(),
            ServerFrame::Error {
                channel: Some(CHANNEL),
                request: None,
                code: ErrorCode::RateLimited,
                message: "slow down".into(),
            },
        );
        assert!(events.is_empty(), "{events:?}");
        assert_eq!(
            alice.outgoing(a.automerge()).unwrap(),
            None,
            "still in flight"
        );
        assert_eq!(
            alice.receive(a.automerge(), ack(request, 1)),
            [SyncEvent::CursorMoved]
        );
    }

    #[test]
    fn an_error_about_another_channel_is_ignored() {
        let (mut a, _) = two_docs();
        let mut alice = editor();
        welcome(&mut alice, &mut a, 0);
        append(alice.outgoing(a.automerge()).unwrap());
        let events = alice.receive(
            a.automerge(),
            ServerFrame::Error {
                channel: Some(CHANNEL + 1),
                request: None,
                code: ErrorCode::Internal,
                message: "elsewhere".into(),
            },
        );
        assert!(events.is_empty());
        assert_eq!(
            alice.outgoing(a.automerge()).unwrap(),
            None,
            "still in flight"
        );
    }

    #[test]
    fn a_disconnect_forgets_the_append_in_flight() {
        let (mut a, _) = two_docs();
        let mut alice = editor();
        welcome(&mut alice, &mut a, 0);
        let (request, first) = append(alice.outgoing(a.automerge()).unwrap());
        alice.disconnected();
        assert_eq!(alice.status(), SyncStatus::Offline);
        assert_eq!(alice.outgoing(a.automerge()).unwrap(), None);
        // A late ack from the old connection means nothing now.
        assert!(alice.receive(a.automerge(), ack(request, 1)).is_empty());
        welcome(&mut alice, &mut a, 0);
        let (_, again) = append(alice.outgoing(a.automerge()).unwrap());
        assert_eq!(hashes_in(&mut a, &first), hashes_in(&mut a, &again));
    }

    #[test]
    fn the_cursor_steps_over_own_appends_once_the_gap_before_them_fills() {
        let (mut a, mut b) = two_docs();
        let mut alice = editor();
        welcome(&mut alice, &mut a, 0);
        let (request, _) = append(alice.outgoing(a.automerge()).unwrap());
        alice.receive(a.automerge(), ack(request, 1));
        assert_eq!(alice.cursor().seq, 1);

        a.add_objective(&draft("Mine"), NOW).unwrap();
        let (request, _) = append(alice.outgoing(a.automerge()).unwrap());
        alice.receive(a.automerge(), ack(request, 3));
        assert_eq!(
            alice.cursor().seq,
            1,
            "entry 2 is someone else's, not seen yet"
        );
        b.add_objective(&draft("Theirs"), NOW).unwrap();
        let theirs = sealed(BlobKind::Changes, &b.automerge().save_after(&[]));
        alice.receive(a.automerge(), entry(2, &theirs));
        assert_eq!(alice.cursor().seq, 3);
        assert_eq!(titles(&a), ["Mine", "Theirs"]);
    }

    #[test]
    fn a_large_backlog_goes_out_in_several_appends() {
        let (mut a, mut b) = two_docs();
        let (mut alice, mut bob) = (editor(), editor());
        alice.max_append_bytes = 1800; // the first change, which makes every area's map, must fit
        welcome(&mut alice, &mut a, 0);
        welcome(&mut bob, &mut b, 0);
        for n in 0..12 {
            a.add_objective(&draft(&format!("Objective {n}")), NOW + n)
                .unwrap();
        }
        let mut seq = 0;
        while let Some(frame) = alice.outgoing(a.automerge()).unwrap() {
            let (request, blob) = append(Some(frame));
            assert!(blob.len() <= 1800 + SEAL_OVERHEAD_BYTES);
            seq += 1;
            alice.receive(a.automerge(), ack(request, seq));
            bob.receive(b.automerge(), entry(seq, &blob));
            // Every append applies fully: its dependencies came before it.
            assert!(b.automerge().get_missing_deps(&[]).is_empty());
        }
        assert!(seq > 2, "{seq} appends");
        assert_eq!(b.read().unwrap(), a.read().unwrap());
        assert_eq!(alice.cursor().seq, seq);

        alice.max_append_bytes = 10;
        a.add_objective(&draft("Too big to send in ten bytes"), NOW)
            .unwrap();
        assert!(matches!(
            alice.outgoing(a.automerge()),
            Err(SyncError::ChangeTooLarge { max: 10, .. })
        ));
    }

    #[test]
    fn a_relay_that_refuses_large_appends_gets_smaller_ones() {
        let (mut a, _) = two_docs();
        let mut alice = editor();
        welcome(&mut alice, &mut a, 0);
        let (request, _) = append(alice.outgoing(a.automerge()).unwrap());
        alice.receive(
            a.automerge(),
            ServerFrame::Error {
                channel: Some(CHANNEL),
                request: Some(request),
                code: ErrorCode::FrameTooLarge,
                message: "too large".into(),
            },
        );
        assert_eq!(alice.max_append_bytes, MAX_APPEND_BYTES / 2);
    }

    #[test]
    fn presence_round_trips_and_bad_presence_is_dropped() {
        let (_, mut b) = two_docs();
        let alice = editor();
        let mut bob = editor();
        let ClientFrame::Ephemeral { channel, blob } = alice.presence(b"Ada, objective 7").unwrap()
        else {
            panic!("expected an ephemeral frame")
        };
        let events = bob.receive(b.automerge(), ServerFrame::Ephemeral { channel, blob });
        assert_eq!(
            events,
            [SyncEvent::Presence {
                payload: b"Ada, objective 7".to_vec(),
                editor: true,
            }]
        );
        // A reader's presence opens too, marked as a reader's: it cannot sign.
        let reader = SyncClient::new(
            SyncKeys::reader(&secret().read_keys()),
            SyncCursor::default(),
            CHANNEL,
        );
        let ClientFrame::Ephemeral { blob, .. } = reader.presence(b"Eve, objective 7").unwrap()
        else {
            panic!("expected an ephemeral frame")
        };
        assert_eq!(
            bob.receive(b.automerge(), ServerFrame::Ephemeral { channel, blob }),
            [SyncEvent::Presence {
                payload: b"Eve, objective 7".to_vec(),
                editor: false,
            }]
        );
        let bad = ServerFrame::Ephemeral {
            channel,
            blob: sealed(BlobKind::Changes, b"not presence"),
        };
        assert!(bob.receive(b.automerge(), bad).is_empty());
        assert!(matches!(
            alice.presence(&vec![0; MAX_EPHEMERAL_BYTES]),
            Err(SyncError::PresenceTooLarge { .. })
        ));
        // A sealed presence above the cap is dropped unread, even if it opens.
        let big = ServerFrame::Ephemeral {
            channel,
            blob: sealed(BlobKind::Presence, &vec![b'x'; MAX_EPHEMERAL_BYTES]),
        };
        assert!(bob.receive(b.automerge(), big).is_empty());
    }

    #[test]
    fn frames_for_another_channel_are_ignored() {
        let (mut a, mut b) = two_docs();
        let mut bob = editor();
        welcome(&mut bob, &mut b, 0);
        a.add_objective(&draft("Elsewhere"), NOW).unwrap();
        let blob = sealed(BlobKind::Changes, &a.automerge().save_after(&[]));
        let frame = ServerFrame::Entry {
            channel: CHANNEL + 1,
            seq: 1,
            blob,
        };
        assert!(bob.receive(b.automerge(), frame).is_empty());
        assert!(titles(&b).is_empty());
    }

    #[test]
    fn the_known_set_stays_small_under_concurrent_edits() {
        let (mut a, mut b) = two_docs();
        let (mut alice, mut bob) = (editor(), editor());
        welcome(&mut alice, &mut a, 0);
        welcome(&mut bob, &mut b, 0);
        let mut seq = 0;
        for n in 0..10 {
            a.add_objective(&draft(&format!("A{n}")), NOW + n).unwrap();
            b.add_objective(&draft(&format!("B{n}")), NOW + n).unwrap();
            let (from_ada, ada_blob) = append(alice.outgoing(a.automerge()).unwrap());
            let (from_bo, bo_blob) = append(bob.outgoing(b.automerge()).unwrap());
            // Local edits keep landing while appends are in flight.
            a.add_objective(&draft(&format!("A{n} again")), NOW + n)
                .unwrap();
            seq += 1;
            alice.receive(a.automerge(), ack(from_ada, seq));
            bob.receive(b.automerge(), entry(seq, &ada_blob));
            seq += 1;
            bob.receive(b.automerge(), ack(from_bo, seq));
            alice.receive(a.automerge(), entry(seq, &bo_blob));
            assert!(alice.cursor().on_relay.len() <= 2, "{:?}", alice.cursor());
            assert!(bob.cursor().on_relay.len() <= 2, "{:?}", bob.cursor());
        }
        let (request, blob) = append(alice.outgoing(a.automerge()).unwrap());
        alice.receive(a.automerge(), ack(request, seq + 1));
        bob.receive(b.automerge(), entry(seq + 1, &blob));
        assert_eq!(a.read().unwrap(), b.read().unwrap());
        assert_eq!(alice.cursor().on_relay, a.automerge().get_heads());
    }

    #[test]
    fn damaged_automerge_data_is_unreadable_and_not_applied() {
        let (mut a, mut b) = two_docs();
        let mut bob = editor();
        welcome(&mut bob, &mut b, 0);
        a.add_objective(&draft("Cut short"), NOW).unwrap();
        let changes = a.automerge().save_after(&[]);
        let heads = b.automerge().get_heads();
        let cut = sealed(BlobKind::Changes, &changes[..changes.len() - 3]);
        let events = bob.receive(b.automerge(), entry(1, &cut));
        assert!(matches!(
            &events[0],
            SyncEvent::Unreadable { seq: 1, reason } if reason.contains("cut short")
        ));
        let empty = sealed(BlobKind::Changes, b"");
        assert!(matches!(
            bob.receive(b.automerge(), entry(2, &empty))[0],
            SyncEvent::Unreadable { seq: 2, .. }
        ));
        let two_documents = [a.automerge().save(), a.automerge().save()].concat();
        let snapshot = ServerFrame::SnapshotEntry {
            channel: CHANNEL,
            covers: 3,
            blob: sealed(BlobKind::Snapshot { covers: 3 }, &two_documents),
        };
        assert!(matches!(
            bob.receive(b.automerge(), snapshot)[0],
            SyncEvent::Unreadable { seq: 3, .. }
        ));
        assert_eq!(b.automerge().get_heads(), heads);
    }

    /// An Automerge chunk of `chunk_type` around `body` (the checksum is not
    /// checked before the guards below refuse it).
    fn chunk(chunk_type: u8, body: &[u8]) -> Vec<u8> {
        let mut bytes = CHUNK_MAGIC.to_vec();
        bytes.extend([0, 0, 0, 0, chunk_type]);
        let mut length = body.len() as u64;
        loop {
            let byte = (length & 0x7f) as u8;
            length >>= 7;
            if length == 0 {
                bytes.push(byte);
                break;
            }
            bytes.push(byte | 0x80);
        }
        bytes.extend(body);
        bytes
    }

    /// `size` zero bytes, deflated (about a thousandth of `size`).
    fn deflated_zeros(size: usize) -> Vec<u8> {
        use std::io::Write;
        let mut encoder =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        let block = vec![0u8; 1 << 20];
        for _ in 0..size / block.len() {
            encoder.write_all(&block).unwrap();
        }
        encoder.finish().unwrap()
    }

    #[test]
    fn a_compressed_change_is_refused_without_being_inflated() {
        let (_, mut b) = two_docs();
        let mut bob = editor();
        welcome(&mut bob, &mut b, 1);
        let heads = b.automerge().get_heads();
        // A deflate-compressed change chunk (type 2) of 256 MiB of zeros.
        let bomb = chunk(2, &deflated_zeros(256 << 20));
        let started = std::time::Instant::now();
        let events = bob.receive(b.automerge(), entry(1, &sealed(BlobKind::Changes, &bomb)));
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        assert!(
            matches!(
                &events[..],
                [SyncEvent::Unreadable { seq: 1, reason }, SyncEvent::CursorMoved]
                    if reason.contains("compressed")
            ),
            "{events:?}"
        );
        assert_eq!(b.automerge().get_heads(), heads, "nothing applied");
    }

    #[test]
    fn a_snapshot_that_would_inflate_past_the_limit_is_refused() {
        let (_, mut b) = two_docs();
        let mut bob = editor();
        welcome(&mut bob, &mut b, 1);
        let heads = b.automerge().get_heads();
        // A document chunk: no actors, no heads, no change columns, one
        // deflated op column of 256 MiB of zeros.
        let column = deflated_zeros(256 << 20);
        let mut body = vec![0, 0, 0, 1];
        body.push((1 << 4 | DEFLATED_COLUMN) as u8);
        let mut length = column.len() as u64;
        loop {
            let byte = (length & 0x7f) as u8;
            length >>= 7;
            if length == 0 {
                body.push(byte);
                break;
            }
            body.push(byte | 0x80);
        }
        body.extend(&column);
        let bomb = chunk(DOCUMENT_CHUNK, &body);
        assert!(bomb.len() < 1 << 20, "fits in one relay frame");
        let started = std::time::Instant::now();
        let events = bob.receive(
            b.automerge(),
            ServerFrame::SnapshotEntry {
                channel: CHANNEL,
                covers: 1,
                blob: sealed(BlobKind::Snapshot { covers: 1 }, &bomb),
            },
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert!(
            events.iter().any(|e| matches!(e,
            SyncEvent::Unreadable { reason, .. } if reason.contains("more memory"))),
            "{events:?}"
        );
        assert_eq!(b.automerge().get_heads(), heads, "nothing applied");
    }

    #[test]
    fn sequence_numbers_at_the_top_of_the_range_do_not_overflow() {
        let (mut a, mut b) = two_docs();
        let mut bob = editor();
        welcome(&mut bob, &mut b, u64::MAX);
        a.add_objective(&draft("Last"), NOW).unwrap();
        let snapshot = sealed(
            BlobKind::Snapshot { covers: u64::MAX },
            &a.automerge().save(),
        );
        let events = bob.receive(
            b.automerge(),
            ServerFrame::SnapshotEntry {
                channel: CHANNEL,
                covers: u64::MAX,
                blob: snapshot,
            },
        );
        assert_eq!(events, [SyncEvent::Changed, SyncEvent::CursorMoved]);
        assert_eq!(bob.cursor().seq, u64::MAX);
        b.add_objective(&draft("After"), NOW).unwrap();
        // An append acknowledged at the last number, then the snapshot check.
        let (request, _) = append(bob.outgoing(b.automerge()).unwrap());
        bob.receive(b.automerge(), ack(request, u64::MAX));
        assert_eq!(bob.snapshot_due(b.automerge()).unwrap(), None);
        assert!(bob.receive(b.automerge(), entry(u64::MAX, b"x")).is_empty());
    }

    #[test]
    fn the_relays_words_never_reach_the_screen() {
        let (mut a, _) = two_docs();
        let mut alice = editor();
        welcome(&mut alice, &mut a, 0);
        let events = alice.receive(
            a.automerge(),
            ServerFrame::Error {
                channel: Some(CHANNEL),
                request: Some(7),
                code: ErrorCode::Unknown(999),
                message: "Your workspace is lost: call +1 555 0100 now".into(),
            },
        );
        assert_eq!(
            events,
            [SyncEvent::Refused {
                code: ErrorCode::Unknown(999)
            }]
        );
        assert_eq!(
            ErrorCode::Unknown(999).explanation(),
            "The relay could not handle a message."
        );
    }

    #[test]
    fn chunk_lengths_are_read_without_overflow() {
        assert_eq!(read_uleb128(&[0x05]), Some((5, 1)));
        assert_eq!(read_uleb128(&[0x80, 0x01]), Some((128, 2)));
        assert_eq!(read_uleb128(&[0x80]), None, "unterminated");
        let mut max = vec![0xff; 9];
        max.push(0x01);
        assert_eq!(read_uleb128(&max), Some((u64::MAX, 10)));
        max[9] = 0x02;
        assert_eq!(read_uleb128(&max), None, "more than 64 bits");
        let mut huge = CHUNK_MAGIC.to_vec();
        huge.extend([0, 0, 0, 0, 1]);
        huge.extend(&max[..9]);
        huge.push(0x01);
        assert!(split_chunks(&huge).is_err());
    }

    #[test]
    fn unknown_and_redundant_hashes_are_dropped_once_the_set_grows() {
        let (mut a, _) = two_docs();
        let strangers: Vec<ChangeHash> = (0..40).map(|n| ChangeHash([n; 32])).collect();
        let cursor = SyncCursor {
            seq: 0,
            on_relay: strangers,
        };
        let mut alice = SyncClient::new(SyncKeys::editor(&secret()), cursor, CHANNEL);
        welcome(&mut alice, &mut a, 0);
        let (request, blob) = append(alice.outgoing(a.automerge()).unwrap());
        assert_eq!(hashes_in(&mut a, &blob).len(), 1, "the creation change");
        // A local edit while the append is in flight keeps the heads uncovered.
        a.add_objective(&draft("Pending"), NOW).unwrap();
        alice.receive(a.automerge(), ack(request, 1));
        assert_eq!(alice.cursor().on_relay.len(), 1, "{:?}", alice.cursor());
        let (_, blob) = append(alice.outgoing(a.automerge()).unwrap());
        assert_eq!(hashes_in(&mut a, &blob), a.automerge().get_heads());
    }

    fn error(request: u32, code: ErrorCode) -> ServerFrame {
        ServerFrame::Error {
            channel: Some(CHANNEL),
            request: Some(request),
            code,
            message: "no".into(),
        }
    }

    /// The request number of a close.
    fn close(frame: Option<ClientFrame>) -> u32 {
        match frame {
            Some(ClientFrame::Close {
                channel: CHANNEL,
                request,
            }) => request,
            other => panic!("expected a close, got {other:?}"),
        }
    }

    #[test]
    fn an_editor_closes_the_room_and_the_ack_says_so() {
        let (mut a, _) = two_docs();
        let mut alice = editor();
        assert_eq!(alice.close_room(), None, "not welcomed yet");
        welcome(&mut alice, &mut a, 0);
        let request = close(alice.close_room());
        assert_eq!(alice.close_room(), None, "one close at a time");
        assert!(!alice.is_closed());
        let events = alice.receive(a.automerge(), ack(request, 0));
        assert_eq!(events, [SyncEvent::RoomClosed { by_us: true }]);
        assert!(alice.is_closed());
        a.add_objective(&draft("After closing"), NOW).unwrap();
        assert_eq!(alice.outgoing(a.automerge()).unwrap(), None);
        assert_eq!(alice.close_room(), None, "already closed");

        // A reader cannot close, even welcomed as writable by a wrong relay.
        let (mut b, _) = two_docs();
        let mut reader = SyncClient::new(
            SyncKeys::reader(&secret().read_keys()),
            SyncCursor::default(),
            CHANNEL,
        );
        welcome(&mut reader, &mut b, 0);
        assert_eq!(reader.close_room(), None);
    }

    #[test]
    fn a_closed_room_is_told_after_the_welcome_and_nothing_is_appended() {
        let (mut a, _) = two_docs();
        let mut bob = editor();
        welcome(&mut bob, &mut a, 0);
        let closed = ServerFrame::Closed {
            channel: CHANNEL,
            at: 1_780_000_000,
        };
        assert_eq!(
            bob.receive(a.automerge(), closed.clone()),
            [SyncEvent::RoomClosed { by_us: false }]
        );
        assert!(
            bob.receive(a.automerge(), closed.clone()).is_empty(),
            "said once"
        );
        a.add_objective(&draft("Local"), NOW).unwrap();
        assert_eq!(bob.outgoing(a.automerge()).unwrap(), None);
        assert_eq!(bob.snapshot_due(a.automerge()).unwrap(), None);
        // Another room's closing is not this one's.
        let mut carol = editor();
        welcome(&mut carol, &mut a, 0);
        let elsewhere = ServerFrame::Closed {
            channel: CHANNEL + 1,
            at: 1,
        };
        assert!(carol.receive(a.automerge(), elsewhere).is_empty());
        assert!(carol.outgoing(a.automerge()).unwrap().is_some());
    }

    #[test]
    fn an_append_refused_as_closed_is_not_retried_and_its_changes_stay() {
        let (mut a, _) = two_docs();
        let mut alice = editor();
        welcome(&mut alice, &mut a, 0);
        a.add_objective(&draft("Pending"), NOW).unwrap();
        let (request, _) = append(alice.outgoing(a.automerge()).unwrap());
        let events = alice.receive(a.automerge(), error(request, ErrorCode::RoomClosed));
        assert_eq!(events, [SyncEvent::RoomClosed { by_us: false }]);
        for _ in 0..3 {
            assert_eq!(alice.outgoing(a.automerge()).unwrap(), None, "no retry");
        }
        // Reconnecting does not reopen it: the relay would only refuse again.
        welcome(&mut alice, &mut a, 0);
        assert_eq!(alice.outgoing(a.automerge()).unwrap(), None);
        // Nothing is lost: the change is in the document and not counted as on the relay,
        // so a client for the new room sends it.
        assert_eq!(titles(&a), ["Pending"]);
        let heads = a.automerge().get_heads();
        assert!(heads.iter().all(|h| !alice.cursor().on_relay.contains(h)));
        let new_room = WorkspaceSecret::from_bytes([8; 32]);
        let mut moved = SyncClient::new(SyncKeys::editor(&new_room), SyncCursor::default(), 0);
        moved.connected();
        moved.receive(
            a.automerge(),
            ServerFrame::Welcome {
                channel: 0,
                head: 0,
                writable: true,
            },
        );
        assert!(matches!(
            moved.outgoing(a.automerge()).unwrap(),
            Some(ClientFrame::Append { .. })
        ));
    }

    #[test]
    fn answers_to_the_close_and_to_an_append_never_clear_each_other() {
        let (mut a, _) = two_docs();
        let mut alice = editor();
        welcome(&mut alice, &mut a, 0);
        // The close is refused while an append is in flight: the append stays.
        let (first, _) = append(alice.outgoing(a.automerge()).unwrap());
        let refused_close = close(alice.close_room());
        assert_ne!(refused_close, first);
        assert_eq!(
            alice.receive(a.automerge(), error(refused_close, ErrorCode::RateLimited)),
            [SyncEvent::CloseRefused {
                code: ErrorCode::RateLimited
            }]
        );
        assert!(!alice.is_closed());
        assert_eq!(
            alice.outgoing(a.automerge()).unwrap(),
            None,
            "still in flight"
        );
        assert_eq!(
            alice.receive(a.automerge(), ack(first, 1)),
            [SyncEvent::CursorMoved]
        );

        // The append is refused while a close awaits its answer: the close stays.
        a.add_objective(&draft("Second"), NOW).unwrap();
        let (second, _) = append(alice.outgoing(a.automerge()).unwrap());
        let pending_close = close(alice.close_room());
        assert_eq!(
            alice.receive(a.automerge(), error(second, ErrorCode::RateLimited)),
            [SyncEvent::Refused {
                code: ErrorCode::RateLimited
            }]
        );
        assert_eq!(
            alice.close_room(),
            None,
            "the close still awaits its answer"
        );
        let (third, _) = append(alice.outgoing(a.automerge()).unwrap());

        // The close's ack leaves the append in flight, which the relay answers first anyway.
        assert_eq!(
            alice.receive(a.automerge(), ack(pending_close, 1)),
            [SyncEvent::RoomClosed { by_us: true }]
        );
        assert_eq!(
            alice.receive(a.automerge(), ack(third, 2)),
            [SyncEvent::CursorMoved]
        );
        assert_eq!(alice.cursor().on_relay, a.automerge().get_heads());
    }

    #[test]
    fn a_close_lost_with_the_connection_is_forgotten() {
        let (mut a, _) = two_docs();
        let mut alice = editor();
        welcome(&mut alice, &mut a, 0);
        let request = close(alice.close_room());
        alice.disconnected();
        assert!(alice.receive(a.automerge(), ack(request, 0)).is_empty());
        welcome(&mut alice, &mut a, 0);
        assert!(!alice.is_closed());
        let again = close(alice.close_room());
        assert_ne!(again, request);
    }

    #[test]
    fn the_cursor_survives_a_reload() {
        let (mut a, _) = two_docs();
        let mut alice = editor();
        welcome(&mut alice, &mut a, 0);
        let (request, _) = append(alice.outgoing(a.automerge()).unwrap());
        alice.receive(a.automerge(), ack(request, 1));
        let bytes = postcard::to_allocvec(alice.cursor()).unwrap();
        let cursor: SyncCursor = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(&cursor, alice.cursor());

        let mut reloaded = SyncClient::new(SyncKeys::editor(&secret()), cursor, CHANNEL);
        assert!(matches!(
            reloaded.connected(),
            ClientFrame::Hello { cursor: 1, .. }
        ));
        welcome(&mut reloaded, &mut a, 1);
        assert_eq!(reloaded.outgoing(a.automerge()).unwrap(), None);
    }
}
