//! Content-addressed chunks, in the manner of automerge-repo: a workspace is
//! stored as snapshots and incremental saves, each under the SHA-256 of its
//! bytes. The key doubles as an integrity check when loading, and two tabs
//! writing the same bytes write the same key.
//!
//! This module is pure: it decides what to write and delete; the browser
//! shell (`storage::idb`) carries it out.

use crate::workspace::model::sort_list;
use automerge::{AutoCommit, ChangeHash};
use sha2::{Digest, Sha256};

/// Whether a chunk holds a whole document or the changes after some heads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChunkKind {
    /// A full `save()` of the document.
    Snapshot,
    /// A `save_after(heads)`: only the changes since the previous write.
    Incremental,
}

impl ChunkKind {
    /// The name stored in the chunk's key.
    pub fn as_str(self) -> &'static str {
        match self {
            ChunkKind::Snapshot => "snapshot",
            ChunkKind::Incremental => "incremental",
        }
    }

    /// The kind named `name` in a stored key.
    pub fn parse(name: &str) -> Option<ChunkKind> {
        match name {
            "snapshot" => Some(ChunkKind::Snapshot),
            "incremental" => Some(ChunkKind::Incremental),
            _ => None,
        }
    }
}

/// Where a chunk lives within its workspace: its kind and content hash.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ChunkKey {
    /// Snapshot or incremental.
    pub kind: ChunkKind,
    /// Lower-case hex SHA-256 of the chunk's bytes.
    pub hash: String,
}

impl ChunkKey {
    /// The key under which `bytes` of `kind` are stored.
    pub fn of(kind: ChunkKind, bytes: &[u8]) -> ChunkKey {
        ChunkKey {
            kind,
            hash: content_hash(bytes),
        }
    }
}

/// A chunk read back from storage.
#[derive(Debug, Clone)]
pub struct StoredChunk {
    /// The key it was stored under.
    pub key: ChunkKey,
    /// Its bytes as read.
    pub bytes: Vec<u8>,
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn content_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A chunk that could not be used, and why, in words for the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DamagedChunk {
    /// The key of the damaged chunk; it is left in storage untouched.
    pub key: ChunkKey,
    /// What is wrong with it.
    pub reason: String,
}

/// The outcome of loading every chunk of a workspace.
#[derive(Debug)]
pub struct Loaded {
    /// Everything that could be read, merged into one document.
    pub doc: AutoCommit,
    /// What to remember for the next write.
    pub saver: Saver,
    /// Chunks that were skipped; the rest loaded without them.
    pub damaged: Vec<DamagedChunk>,
}

/// What removing a workspace from this browser would lose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemovalRisk {
    /// It is not shared: this browser holds its only copy.
    OnlyCopy,
    /// It is shared, but not every change made here is known to be on the relay.
    Unsent,
    /// It is shared and every change here is on the relay.
    Safe,
}

/// What removing a workspace whose document has `heads` would lose: `on_relay`
/// is what its sync cursor knows the relay holds, `None` when it is not shared.
/// Only a head the relay is known to hold counts as sent, so a change the
/// relay may or may not have is reported as unsent.
pub fn removal_risk(heads: &[ChangeHash], on_relay: Option<&[ChangeHash]>) -> RemovalRisk {
    match on_relay {
        None => RemovalRisk::OnlyCopy,
        Some(on_relay) if heads.iter().all(|head| on_relay.contains(head)) => RemovalRisk::Safe,
        Some(_) => RemovalRisk::Unsent,
    }
}

/// Merges every readable chunk into one document, skipping and reporting
/// damaged ones instead of failing the whole load.
pub fn load_chunks(chunks: Vec<StoredChunk>) -> Loaded {
    let mut doc = AutoCommit::new();
    let mut saver = Saver::default();
    let merged = merge_chunks(&mut doc, chunks);
    for (key, size) in merged.loaded {
        saver.remember(key, size);
    }
    saver.saved_heads = doc.get_heads();
    Loaded {
        doc,
        saver,
        damaged: merged.damaged,
    }
}

/// What [`merge_chunks`] did with each chunk.
#[derive(Debug, Default)]
pub struct Merged {
    /// Chunks applied, with their sizes.
    pub loaded: Vec<(ChunkKey, usize)>,
    /// Chunks skipped, and why.
    pub damaged: Vec<DamagedChunk>,
}

/// Applies every readable chunk to `doc` (changes it already has are
/// ignored), skipping and reporting damaged ones.
pub fn merge_chunks(doc: &mut AutoCommit, mut chunks: Vec<StoredChunk>) -> Merged {
    let mut merged = Merged::default();
    // Snapshots first: incrementals usually build on them.
    sort_list(&mut chunks, |a, b| {
        (a.key.kind == ChunkKind::Incremental).cmp(&(b.key.kind == ChunkKind::Incremental))
    });
    for chunk in chunks {
        if content_hash(&chunk.bytes) != chunk.key.hash {
            merged.damaged.push(DamagedChunk {
                key: chunk.key,
                reason: "its contents do not match its checksum".to_owned(),
            });
            continue;
        }
        // Automerge skips what it cannot parse without saying so; checking
        // the framing first turns such a chunk into a reported one.
        if let Err(problem) = check_framing(&chunk.bytes) {
            merged.damaged.push(DamagedChunk {
                key: chunk.key,
                reason: format!("it is unreadable ({problem})"),
            });
            continue;
        }
        match doc.load_incremental(&chunk.bytes) {
            Ok(_) => merged.loaded.push((chunk.key, chunk.bytes.len())),
            Err(e) => merged.damaged.push(DamagedChunk {
                key: chunk.key,
                reason: format!("its changes could not be applied ({e})"),
            }),
        }
    }
    merged
}

const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];

/// Checks that `bytes` are a sequence of well-formed Automerge chunks:
/// magic number, known chunk type, a length that fits, and (for the
/// uncompressed types) the checksum over type, length and contents.
pub fn check_framing(mut bytes: &[u8]) -> Result<(), &'static str> {
    if bytes.is_empty() {
        return Err("it is empty");
    }
    while !bytes.is_empty() {
        if bytes.len() < 10 || bytes[..4] != MAGIC {
            return Err("not Automerge data");
        }
        let checksum = &bytes[4..8];
        let header_start = 8;
        let chunk_type = bytes[header_start];
        if chunk_type > 2 {
            return Err("unknown chunk type");
        }
        let (length, leb_len) = read_uleb(&bytes[header_start + 1..]).ok_or("bad chunk length")?;
        let data_start = header_start + 1 + leb_len;
        let data_end = usize::try_from(length)
            .ok()
            .and_then(|len| data_start.checked_add(len))
            .filter(|end| *end <= bytes.len())
            .ok_or("truncated chunk")?;
        // A compressed change's checksum is over its uncompressed form.
        if chunk_type != 2 && Sha256::digest(&bytes[header_start..data_end])[..4] != *checksum {
            return Err("chunk checksum mismatch");
        }
        bytes = &bytes[data_end..];
    }
    Ok(())
}

fn read_uleb(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value = 0u64;
    for (i, byte) in bytes.iter().enumerate().take(10) {
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

/// One write to carry out: store `put`, then delete `delete` (in one
/// transaction where the store allows it).
#[derive(Debug, Clone)]
pub struct Write {
    /// The chunk to store.
    pub put: StoredChunk,
    /// Chunks that `put` replaces (only on compaction).
    pub delete: Vec<ChunkKey>,
    heads: Vec<ChangeHash>,
}

impl Write {
    /// `changes` (saved after the last write) as one new incremental chunk.
    fn incremental(changes: Vec<u8>, heads: Vec<ChangeHash>) -> Write {
        Write {
            put: StoredChunk {
                key: ChunkKey::of(ChunkKind::Incremental, &changes),
                bytes: changes,
            },
            delete: Vec::new(),
            heads,
        }
    }
}

/// Remembers what has been stored so each write holds only what is new, and
/// decides when incrementals have grown enough to be compacted.
#[derive(Debug, Clone)]
pub struct Saver {
    floor: usize,
    saved_heads: Vec<ChangeHash>,
    /// Chunks this session knows are covered by `saved_heads`.
    known: Vec<ChunkKey>,
    snapshot_bytes: usize,
    incremental_bytes: usize,
}

/// Incrementals below this many bytes are never compacted: rewriting a small
/// workspace after every few edits would cost more than it saves.
pub const COMPACTION_FLOOR: usize = 32 * 1024;

impl Default for Saver {
    fn default() -> Self {
        Saver {
            floor: COMPACTION_FLOOR,
            saved_heads: Vec::new(),
            known: Vec::new(),
            snapshot_bytes: 0,
            incremental_bytes: 0,
        }
    }
}

impl Saver {
    /// The same saver, compacting once incrementals pass `floor` bytes (and
    /// outweigh the snapshot) instead of [`COMPACTION_FLOOR`].
    pub fn with_compaction_floor(mut self, floor: usize) -> Saver {
        self.floor = floor;
        self
    }

    fn remember(&mut self, key: ChunkKey, size: usize) {
        match key.kind {
            ChunkKind::Snapshot => self.snapshot_bytes = self.snapshot_bytes.max(size),
            ChunkKind::Incremental => self.incremental_bytes += size,
        }
        if !self.known.contains(&key) {
            self.known.push(key);
        }
    }

    /// The next write for `doc`, or `None` when everything is stored. When the
    /// incrementals would outweigh the snapshot, the write is a new snapshot
    /// that replaces every chunk this session knows about, and no others:
    /// chunks another tab wrote meanwhile stay.
    pub fn next_write(&self, doc: &mut AutoCommit) -> Option<Write> {
        let heads = doc.get_heads();
        if heads == self.saved_heads {
            return None;
        }
        let changes = doc.save_after(&self.saved_heads);
        let incrementals = self.incremental_bytes + changes.len();
        let compact =
            self.snapshot_bytes == 0 || incrementals > self.snapshot_bytes.max(self.floor);
        if compact {
            let bytes = doc.save();
            return Some(Write {
                put: StoredChunk {
                    key: ChunkKey::of(ChunkKind::Snapshot, &bytes),
                    bytes,
                },
                delete: self.known.clone(),
                heads,
            });
        }
        Some(Write::incremental(changes, heads))
    }

    /// What is not stored yet as one incremental chunk, never a compaction:
    /// for a write that must start at once beside one already under way
    /// (the page is closing).
    pub fn urgent_write(&self, doc: &mut AutoCommit) -> Option<Write> {
        let heads = doc.get_heads();
        if heads == self.saved_heads {
            return None;
        }
        Some(Write::incremental(self.unsaved(doc), heads))
    }

    /// The changes not stored yet, as one incremental chunk's bytes.
    pub fn unsaved(&self, doc: &mut AutoCommit) -> Vec<u8> {
        doc.save_after(&self.saved_heads)
    }

    /// Records that `write` is durably stored.
    pub fn written(&mut self, write: Write) {
        if write.put.key.kind == ChunkKind::Snapshot {
            self.known.retain(|k| !write.delete.contains(k));
            self.snapshot_bytes = 0;
            self.incremental_bytes = 0;
        }
        self.remember(write.put.key, write.put.bytes.len());
        self.saved_heads = write.heads;
    }

    /// Whether `doc` has changes not yet stored.
    pub fn is_dirty(&self, doc: &mut AutoCommit) -> bool {
        doc.get_heads() != self.saved_heads
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::{ObjectiveDraft, WorkspaceDoc};
    use std::collections::BTreeMap;

    #[test]
    fn removal_warns_unless_every_head_is_known_to_be_on_the_relay() {
        let (a, b, c) = (
            ChangeHash([1; 32]),
            ChangeHash([2; 32]),
            ChangeHash([3; 32]),
        );
        assert_eq!(removal_risk(&[a], None), RemovalRisk::OnlyCopy);
        assert_eq!(removal_risk(&[a, b], Some(&[a, b, c])), RemovalRisk::Safe);
        assert_eq!(removal_risk(&[a, b], Some(&[a])), RemovalRisk::Unsent);
        assert_eq!(removal_risk(&[a], Some(&[])), RemovalRisk::Unsent);
        assert_eq!(
            removal_risk(&[], Some(&[])),
            RemovalRisk::Safe,
            "an empty join"
        );
    }

    /// An in-memory chunk store that applies writes as IndexedDB would.
    #[derive(Default)]
    struct Memory(BTreeMap<(String, String), Vec<u8>>);

    impl Memory {
        fn apply(&mut self, write: &Write) {
            let key = &write.put.key;
            self.0.insert(
                (key.kind.as_str().into(), key.hash.clone()),
                write.put.bytes.clone(),
            );
            for gone in &write.delete {
                if gone != key {
                    self.0
                        .remove(&(gone.kind.as_str().into(), gone.hash.clone()));
                }
            }
        }
        fn chunks(&self) -> Vec<StoredChunk> {
            self.0
                .iter()
                .map(|((kind, hash), bytes)| StoredChunk {
                    key: ChunkKey {
                        kind: ChunkKind::parse(kind).unwrap(),
                        hash: hash.clone(),
                    },
                    bytes: bytes.clone(),
                })
                .collect()
        }
        fn count(&self, kind: ChunkKind) -> usize {
            self.0.keys().filter(|(k, _)| k == kind.as_str()).count()
        }
    }

    fn add(ws: &mut WorkspaceDoc, title: &str, at: i64) {
        let draft = ObjectiveDraft {
            title: title.into(),
            ..Default::default()
        };
        ws.add_objective(&draft, at).unwrap();
    }

    fn flush(saver: &mut Saver, ws: &mut WorkspaceDoc, store: &mut Memory) {
        if let Some(write) = saver.next_write(ws.automerge()) {
            store.apply(&write);
            saver.written(write);
        }
    }

    #[test]
    fn writes_hold_only_new_changes_and_compaction_keeps_every_change() {
        let mut ws = WorkspaceDoc::create("Acme", "", "Ada", 1).unwrap();
        let mut saver = Saver::default().with_compaction_floor(0);
        let mut store = Memory::default();
        flush(&mut saver, &mut ws, &mut store);
        assert_eq!(
            store.count(ChunkKind::Snapshot),
            1,
            "the first write is a snapshot"
        );
        assert!(
            saver.next_write(ws.automerge()).is_none(),
            "nothing new, nothing to write"
        );

        let mut saw_incremental = false;
        let mut saw_compaction = false;
        for i in 0..40 {
            add(&mut ws, &format!("Objective {i}"), 10 + i);
            let before = store.count(ChunkKind::Incremental);
            flush(&mut saver, &mut ws, &mut store);
            let after = store.count(ChunkKind::Incremental);
            saw_incremental |= after > before;
            saw_compaction |= after < before;
            assert!(
                store.count(ChunkKind::Snapshot) <= 1,
                "compaction deletes the old snapshot"
            );
        }
        assert!(saw_incremental && saw_compaction);

        let loaded = load_chunks(store.chunks());
        assert!(loaded.damaged.is_empty(), "{:?}", loaded.damaged);
        let reopened = WorkspaceDoc::from_automerge(loaded.doc, "Ada");
        assert_eq!(reopened.read().unwrap(), ws.read().unwrap());
    }

    #[test]
    fn a_damaged_chunk_is_skipped_and_reported_and_the_rest_loads() {
        let mut ws = WorkspaceDoc::create("Acme", "", "Ada", 1).unwrap();
        let mut saver = Saver::default();
        let mut store = Memory::default();
        flush(&mut saver, &mut ws, &mut store);
        add(&mut ws, "Kept", 2);
        flush(&mut saver, &mut ws, &mut store);
        add(&mut ws, "Lost", 3);
        let last = saver.next_write(ws.automerge()).unwrap();
        assert_eq!(last.put.key.kind, ChunkKind::Incremental);
        let mut garbage = last.clone();
        garbage.put.bytes = b"not an automerge chunk".to_vec();
        store.apply(&garbage);

        let loaded = load_chunks(store.chunks());
        assert_eq!(loaded.damaged.len(), 1);
        assert_eq!(loaded.damaged[0].key, last.put.key);
        let titles: Vec<_> = WorkspaceDoc::from_automerge(loaded.doc, "Ada")
            .read()
            .unwrap()
            .objectives
            .into_values()
            .map(|o| o.title)
            .collect();
        assert_eq!(titles, vec!["Kept"]);
    }

    #[test]
    fn a_chunk_with_a_matching_checksum_but_no_document_is_reported() {
        let bytes = b"plausible but not automerge".to_vec();
        let chunk = StoredChunk {
            key: ChunkKey::of(ChunkKind::Incremental, &bytes),
            bytes,
        };
        let loaded = load_chunks(vec![chunk]);
        assert_eq!(loaded.damaged.len(), 1);
        assert!(loaded.damaged[0].reason.starts_with("it is unreadable"));
    }

    #[test]
    fn an_urgent_write_is_an_incremental_of_what_is_not_stored() {
        let mut ws = WorkspaceDoc::create("Acme", "", "Ada", 0).unwrap();
        let mut saver = Saver::default();
        let mut store = Memory::default();
        flush(&mut saver, &mut ws, &mut store);
        assert!(saver.urgent_write(ws.automerge()).is_none(), "nothing new");
        add(&mut ws, "Patch latency", 1);
        let write = saver.urgent_write(ws.automerge()).unwrap();
        assert_eq!(write.put.key.kind, ChunkKind::Incremental);
        assert!(write.delete.is_empty());
        store.apply(&write);
        let mut loaded = load_chunks(store.chunks());
        assert_eq!(loaded.doc.get_heads(), ws.automerge().get_heads());
    }

    #[test]
    fn compaction_leaves_chunks_written_by_another_tab() {
        let mut ws = WorkspaceDoc::create("Acme", "", "Ada", 1).unwrap();
        let mut store = Memory::default();
        let mut saver = Saver::default().with_compaction_floor(0);
        flush(&mut saver, &mut ws, &mut store);
        // Another tab opened the same stored state and wrote a change of its own.
        let mut other = WorkspaceDoc::from_automerge(load_chunks(store.chunks()).doc, "Ada");
        let mut other_saver = load_chunks(store.chunks()).saver;
        add(&mut other, "From the other tab", 2);
        flush(&mut other_saver, &mut other, &mut store);
        // This tab writes until it compacts.
        for i in 0..40 {
            add(&mut ws, &format!("Objective {i}"), 10 + i);
            flush(&mut saver, &mut ws, &mut store);
        }
        let merged = WorkspaceDoc::from_automerge(load_chunks(store.chunks()).doc, "Ada");
        let state = merged.read().unwrap();
        assert_eq!(state.objectives.len(), 41);
    }
}
