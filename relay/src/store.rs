//! The relay's durable storage: for each room, an append-only log of sealed blobs, up to two
//! snapshots, the hash of the room's write token and, once an editor stopped sharing through
//! it, when the room was closed; all in one SQLite file.
//!
//! The relay never sees content. A blob is opaque bytes, a room is a 32-byte id derived by the
//! clients, and the only secret-adjacent value kept is the SHA-256 of a room's write token,
//! registered by the room's first writer.
//!
//! Durability: the database runs in WAL mode with `synchronous=FULL`, and [`Store::append`]
//! returns only after its transaction has committed, so an acknowledged append survives a
//! crash or a restart.
//!
//! rusqlite is blocking, so every operation runs off the async runtime against one connection
//! behind a mutex: operations are serialized, which is also what SQLite's single writer wants.
//! Appends go through group commit: one writer thread takes every append waiting when it is
//! free, stores them in one transaction (one fsync), and answers each after the commit. Under
//! load many appends share a commit; alone, an append commits at once. The other operations
//! run on tokio's blocking pool.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, ErrorCode, OptionalExtension as _, TransactionBehavior, params};
use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq as _;
use tokio::sync::{mpsc, oneshot};

/// A room's id: 32 bytes the clients derive from the workspace secret.
pub type RoomId = [u8; 32];

/// The SHA-256 hash of a room's write token; the store never sees the token itself.
pub type TokenHash = [u8; 32];

/// A sealed blob with the sequence number the relay assigned to it.
pub type Entry = (u64, Vec<u8>);

/// A sealed snapshot with the last sequence number it covers.
pub type Snapshot = (u64, Vec<u8>);

/// The name of the database file inside the data directory.
pub const DATABASE_FILE: &str = "relay.sqlite3";

/// The schema version this relay writes (`PRAGMA user_version`); a newer one is refused.
pub const SCHEMA_VERSION: i64 = 3;

/// How long the entries a snapshot covers are kept after it is stored, unless configured
/// otherwise: 30 days. The relay cannot read a snapshot, so one that is damaged, or junk
/// uploaded with the write token, must not take the history with it: readers who cannot open
/// it ask for the entries instead ([`Store::catch_up`] with `entries_only`), and have this
/// long to do so and to have an editor upload a good one.
pub const DEFAULT_RETENTION: Duration = Duration::from_secs(30 * 24 * 60 * 60);

/// The most bytes of blobs (entries and snapshots) one room may hold, unless configured
/// otherwise: 256 MiB, some hundred times what three years of a workspace take.
pub const DEFAULT_MAX_ROOM_BYTES: u64 = 256 * 1024 * 1024;

/// How the store keeps rooms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreOptions {
    /// How long entries stay after a snapshot covering them is stored (zero: drop them as
    /// soon as two snapshots cover them).
    pub retention: Duration,
    /// The most bytes of blobs one room may hold; appends and snapshots past it are refused
    /// with [`StoreError::RoomFull`].
    pub max_room_bytes: u64,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            retention: DEFAULT_RETENTION,
            max_room_bytes: DEFAULT_MAX_ROOM_BYTES,
        }
    }
}

/// How long a statement waits for a lock held by another connection (another process).
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Most appends committed in one transaction; bounds how long one commit holds the database.
const MAX_APPEND_BATCH: usize = 512;

/// Appends waiting for the writer thread before callers wait to queue theirs.
const APPEND_QUEUE: usize = 4096;

const SCHEMA_V1: &str = "
CREATE TABLE rooms (
    room BLOB PRIMARY KEY NOT NULL CHECK (length(room) = 32),
    token_hash BLOB NOT NULL CHECK (length(token_hash) = 32),
    head INTEGER NOT NULL CHECK (head >= 0),
    created_at INTEGER
);
CREATE TABLE entries (
    room BLOB NOT NULL,
    seq INTEGER NOT NULL CHECK (seq > 0),
    blob BLOB NOT NULL,
    PRIMARY KEY (room, seq)
) WITHOUT ROWID;
CREATE TABLE snapshots (
    room BLOB NOT NULL,
    covers INTEGER NOT NULL CHECK (covers >= 0),
    blob BLOB NOT NULL,
    PRIMARY KEY (room, covers)
);
";

/// Version 2: when each snapshot was stored (Unix seconds), for the retention period
/// (snapshots stored before it count as stored long ago); and the bytes each room holds, for
/// its quota.
const SCHEMA_V2: &str = "
ALTER TABLE snapshots ADD COLUMN stored_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rooms ADD COLUMN stored_bytes INTEGER NOT NULL DEFAULT 0 CHECK (stored_bytes >= 0);
UPDATE rooms SET stored_bytes =
    (SELECT coalesce(sum(length(blob)), 0) FROM entries WHERE entries.room = rooms.room)
  + (SELECT coalesce(sum(length(blob)), 0) FROM snapshots WHERE snapshots.room = rooms.room);
";

/// Version 3: when an editor closed the room (Unix seconds; NULL while it is open). Rooms of
/// earlier files are open.
const SCHEMA_V3: &str = "
ALTER TABLE rooms ADD COLUMN closed_at INTEGER CHECK (closed_at IS NULL OR closed_at >= 0);
";

/// The hash the store keeps for a write token: SHA-256 of its bytes.
pub fn hash_token(token: &[u8]) -> TokenHash {
    Sha256::digest(token).into()
}

/// What a connection may do in a room, with the room's head (its last sequence number, 0 for
/// an empty or not yet created room).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// The connection presented the room's write token (or created the room with it).
    Writer {
        /// The room's last sequence number.
        head: u64,
    },
    /// The connection may read the room but not append to it.
    Reader {
        /// The room's last sequence number.
        head: u64,
    },
}

impl Access {
    /// The room's last sequence number at the time of the check.
    pub fn head(self) -> u64 {
        match self {
            Self::Writer { head } | Self::Reader { head } => head,
        }
    }

    /// Whether appends and snapshots are allowed.
    pub fn can_write(self) -> bool {
        matches!(self, Self::Writer { .. })
    }
}

/// What a client reconnecting from a cursor needs: the newest snapshot when the entries after
/// its cursor were pruned, then entries in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CatchUp {
    /// The newest snapshot, present only when entries the client needs were pruned; the
    /// entries then start right after the snapshot's `covers`.
    pub snapshot: Option<Snapshot>,
    /// Entries in sequence order, bounded by the limits asked for; more may follow up to
    /// `head`.
    pub entries: Vec<Entry>,
    /// The room's last sequence number, so a caller can tell whether to fetch more pages.
    pub head: u64,
    /// When the room was closed (Unix seconds), if it was.
    pub closed_at: Option<u64>,
}

/// A room closed by [`Store::close`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closure {
    /// When it was closed, in Unix seconds: the first close's time, whichever closed it.
    pub at: u64,
    /// Its last sequence number, which stays its last.
    pub head: u64,
    /// False when it was already closed (closing is idempotent).
    pub newly: bool,
}

/// Why a storage operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The write token hash does not match the room's (or the room does not exist).
    #[error("the room's write token is required")]
    Unauthorized,
    /// The room would hold more than the relay allows one room.
    #[error("the room holds its limit of {limit} bytes")]
    RoomFull {
        /// The most bytes a room may hold.
        limit: u64,
    },
    /// The room was closed: it takes no more appends or snapshots, whatever the token.
    #[error("the room was closed at {at} (Unix seconds)")]
    RoomClosed {
        /// When it was closed.
        at: u64,
    },
    /// A snapshot claims to cover entries the room does not have yet.
    #[error("a snapshot cannot cover entry {covers}: the room's head is {head}")]
    SnapshotAhead {
        /// The sequence number the snapshot claimed to cover.
        covers: u64,
        /// The room's last sequence number.
        head: u64,
    },
    /// SQLite reported an error (I/O, locking, a full disk, ...).
    #[error("database error: {0}")]
    Database(String),
    /// The database file holds something this relay did not write.
    #[error("the relay database is corrupt: {0}")]
    Corrupt(String),
    /// The database was written by a newer relay.
    #[error(
        "the relay database has schema version {found}, newer than this relay supports \
         ({supported}); run a newer relay or use another data directory"
    )]
    NewerSchema {
        /// The version found in the file.
        found: i64,
        /// The newest version this relay knows.
        supported: i64,
    },
    /// The data directory could not be created.
    #[error("could not create the data directory {}: {source}", path.display())]
    DataDir {
        /// The directory asked for.
        path: PathBuf,
        /// What the operating system reported.
        source: std::io::Error,
    },
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        match error.sqlite_error_code() {
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
                Self::Corrupt(error.to_string())
            }
            _ => Self::Database(error.to_string()),
        }
    }
}

/// The relay's storage, cheap to clone (all clones share one connection).
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    /// Retention and quota.
    options: StoreOptions,
    connection: Arc<Mutex<Connection>>,
    /// To the group-commit writer thread, which ends when the last clone of the store is gone.
    appends: mpsc::Sender<PendingAppend>,
}

/// An append waiting for the writer thread.
struct PendingAppend {
    room: RoomId,
    token_hash: TokenHash,
    blob: Vec<u8>,
    on_commit: Option<OnCommit>,
    reply: oneshot::Sender<Result<u64, StoreError>>,
    /// The room's quota ([`StoreOptions::max_room_bytes`]).
    max_room_bytes: u64,
}

/// Work run on the storage thread right after an append has committed, with its sequence
/// number (see [`Store::append_then`]).
type OnCommit = Box<dyn FnOnce(u64) + Send>;

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.inner.path)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (creating when needed) `<data_dir>/relay.sqlite3`, creating `data_dir` too.
    ///
    /// Blocks while it opens and migrates the file; call it at startup. Entries covered by a
    /// snapshot are kept for [`DEFAULT_RETENTION`].
    pub fn open(data_dir: &Path) -> Result<Self, StoreError> {
        Self::open_with(data_dir, StoreOptions::default())
    }

    /// [`Store::open`] with other retention and quota.
    pub fn open_with(data_dir: &Path, options: StoreOptions) -> Result<Self, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|source| StoreError::DataDir {
            path: data_dir.to_path_buf(),
            source,
        })?;
        let path = data_dir.join(DATABASE_FILE);
        let mut connection = Connection::open(&path)?;
        connection.busy_timeout(BUSY_TIMEOUT)?;
        // Refuse a newer file before changing anything in it (the journal mode is persistent).
        check_version(schema_version(&connection)?)?;
        let mode: String =
            connection.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!(
                path = %path.display(),
                %mode,
                "SQLite could not use WAL mode here; appends are still durable but slower"
            );
        }
        connection.pragma_update(None, "synchronous", "FULL")?;
        migrate(&mut connection)?;
        let connection = Arc::new(Mutex::new(connection));
        let (appends, queue) = mpsc::channel(APPEND_QUEUE);
        let writer = Arc::clone(&connection);
        std::thread::Builder::new()
            .name("relay-store-writer".into())
            .spawn(move || commit_appends(&writer, queue))
            .map_err(|error| {
                StoreError::Database(format!("could not start the storage writer: {error}"))
            })?;
        tracing::debug!(path = %path.display(), "store opened");
        Ok(Self {
            inner: Arc::new(Inner {
                path,
                options,
                connection,
                appends,
            }),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Checks what a connection may do in `room`.
    ///
    /// A room that does not exist yet is created when a token hash is given (its first writer
    /// registers the hash): [`Access::Writer`] at head 0. Without a token hash a missing room
    /// is [`Access::Reader`] at head 0 and nothing is created. An existing room compares the
    /// hash in constant time: the right one is a writer, anything else a reader; a wrong hash
    /// never replaces the registered one.
    pub async fn authorize(
        &self,
        room: RoomId,
        token_hash: Option<TokenHash>,
    ) -> Result<Access, StoreError> {
        self.run(move |connection| authorize(connection, &room, token_hash.as_ref()))
            .await
    }

    /// Appends a sealed blob to `room` as a writer and returns its sequence number (the
    /// previous head + 1), only after the transaction has committed.
    ///
    /// Fails with [`StoreError::Unauthorized`] when the hash is not the room's or the room does
    /// not exist (create it with [`Store::authorize`] first). If the returned future is
    /// dropped, the append may still commit; the client then never sees the acknowledgement
    /// and may send the blob again.
    ///
    /// Appends that arrive while another commit is under way are committed together, each
    /// keeping its own outcome (one refused append does not affect the others).
    pub async fn append(
        &self,
        room: RoomId,
        token_hash: TokenHash,
        blob: Vec<u8>,
    ) -> Result<u64, StoreError> {
        self.queue_append(room, token_hash, blob, None).await
    }

    /// Like [`Store::append`], and also calls `on_commit` with the sequence number right after
    /// the commit, before answering: on the storage thread, in commit order.
    ///
    /// So the relay fans appends out in sequence order even when their callers wake up in
    /// another order. `on_commit` holds up every later append: it must be quick and must not
    /// block (a panic in it is caught and logged).
    pub async fn append_then(
        &self,
        room: RoomId,
        token_hash: TokenHash,
        blob: Vec<u8>,
        on_commit: impl FnOnce(u64) + Send + 'static,
    ) -> Result<u64, StoreError> {
        self.queue_append(room, token_hash, blob, Some(Box::new(on_commit)))
            .await
    }

    async fn queue_append(
        &self,
        room: RoomId,
        token_hash: TokenHash,
        blob: Vec<u8>,
        on_commit: Option<OnCommit>,
    ) -> Result<u64, StoreError> {
        let (reply, answer) = oneshot::channel();
        let pending = PendingAppend {
            room,
            token_hash,
            blob,
            on_commit,
            reply,
            max_room_bytes: self.inner.options.max_room_bytes,
        };
        let writer_gone = || StoreError::Database("the storage writer has stopped".into());
        self.inner
            .appends
            .send(pending)
            .await
            .map_err(|_| writer_gone())?;
        answer.await.map_err(|_| writer_gone())?
    }

    /// The entries of `room` after `cursor`, in order: at most `max_entries`, and at most
    /// `max_bytes` of blobs, except that the first entry is returned whatever its size so a
    /// reader always makes progress.
    ///
    /// This does not look at snapshots: entries pruned after a snapshot are simply absent.
    /// Serve a client's cursor with [`Store::catch_up`].
    pub async fn entries_after(
        &self,
        room: RoomId,
        cursor: u64,
        max_entries: usize,
        max_bytes: usize,
    ) -> Result<Vec<Entry>, StoreError> {
        self.run(move |connection| entries_after(connection, &room, cursor, max_entries, max_bytes))
            .await
    }

    /// The last sequence number of `room` (0 when it is empty or does not exist).
    pub async fn head(&self, room: RoomId) -> Result<u64, StoreError> {
        self.run(move |connection| Ok(load_room(connection, &room)?.map_or(0, |r| r.head)))
            .await
    }

    /// Stores a sealed snapshot covering entries `1..=covers` of `room`, as a writer.
    ///
    /// `covers` must not exceed the room's head ([`StoreError::SnapshotAhead`]). A snapshot
    /// with the same `covers` as a stored one replaces it. A client whose cursor is below
    /// what the older of the two newest snapshots covers is sent the newest snapshot plus the
    /// tail; a newer one gets a plain tail.
    ///
    /// Entries are deleted only once both hold: the older of the two newest snapshots covers
    /// them, and a snapshot covering them was stored at least the retention period ago (older
    /// snapshots go with them). Until then a client that cannot open the snapshot can still
    /// fetch every entry.
    pub async fn put_snapshot(
        &self,
        room: RoomId,
        token_hash: TokenHash,
        covers: u64,
        blob: Vec<u8>,
    ) -> Result<(), StoreError> {
        let StoreOptions {
            retention,
            max_room_bytes,
        } = self.inner.options;
        self.run(move |connection| {
            let now = unix_seconds().unwrap_or(0);
            let settled_before = now.saturating_sub(clamp_to_sql(retention.as_secs()));
            let snapshot = NewSnapshot {
                covers,
                blob: &blob,
                now,
                settled_before,
                max_room_bytes,
            };
            put_snapshot(connection, &room, &token_hash, &snapshot)
        })
        .await
    }

    /// Closes `room` for good as a writer: from now on every append and snapshot is refused
    /// with [`StoreError::RoomClosed`], whatever the token; what it holds stays and can still
    /// be read. Closing a closed room changes nothing and answers as the first close did.
    ///
    /// Fails with [`StoreError::Unauthorized`] when the hash is not the room's or the room does
    /// not exist.
    pub async fn close(&self, room: RoomId, token_hash: TokenHash) -> Result<Closure, StoreError> {
        self.run(move |connection| close(connection, &room, &token_hash, unix_seconds()))
            .await
    }

    /// When `room` was closed (Unix seconds), or `None` while it is open or does not exist.
    pub async fn closed_at(&self, room: RoomId) -> Result<Option<u64>, StoreError> {
        self.run(move |connection| Ok(load_room(connection, &room)?.and_then(|r| r.closed_at)))
            .await
    }

    /// The newest snapshot of `room` (largest `covers`), if any.
    pub async fn latest_snapshot(&self, room: RoomId) -> Result<Option<Snapshot>, StoreError> {
        self.run(move |connection| latest_snapshot(connection, &room))
            .await
    }

    /// What a client whose last seen sequence number is `cursor` needs, in one consistent
    /// read: when entries after its cursor are pruned (`cursor` is below what the older of
    /// the two newest snapshots covers), the newest snapshot and the entries after it;
    /// otherwise only the entries after `cursor`. With `entries_only` (the client could not
    /// open the snapshot), never a snapshot: the entries after `cursor` that are still kept.
    /// The limits apply to the entries as in [`Store::entries_after`]; the snapshot is always
    /// whole.
    pub async fn catch_up(
        &self,
        room: RoomId,
        cursor: u64,
        entries_only: bool,
        max_entries: usize,
        max_bytes: usize,
    ) -> Result<CatchUp, StoreError> {
        self.run(move |connection| {
            let limits = (max_entries, max_bytes);
            catch_up(connection, &room, cursor, entries_only, limits)
        })
        .await
    }

    /// Runs `work` on the blocking pool with the connection locked.
    async fn run<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || work(&mut lock(&inner.connection)))
            .await
            .map_err(|error| StoreError::Database(format!("the storage task failed: {error}")))?
    }
}

fn lock(connection: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    // A panic while the lock was held dropped its transaction, which rolled back: the
    // connection is still sound, so a poisoned lock is taken over.
    connection.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The group-commit writer: waits for an append, takes every other one already waiting, and
/// commits them together; ends when every sender (every clone of the store) is gone.
fn commit_appends(connection: &Mutex<Connection>, mut queue: mpsc::Receiver<PendingAppend>) {
    let mut batch = Vec::new();
    while let Some(first) = queue.blocking_recv() {
        batch.push(first);
        while batch.len() < MAX_APPEND_BATCH {
            match queue.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        let results = append_batch(&mut lock(connection), &batch);
        for (pending, result) in batch.drain(..).zip(results) {
            if let (Ok(seq), Some(on_commit)) = (&result, pending.on_commit) {
                let seq = *seq;
                let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| on_commit(seq)));
                if ran.is_err() {
                    tracing::error!(seq, "the work after an append panicked");
                }
            }
            // A caller that went away is told nothing; its append stands (see `Store::append`).
            let _ = pending.reply.send(result);
        }
    }
}

/// Appends every blob of `batch` in one transaction; each gets its sequence number or its own
/// error. If the transaction itself fails, every append in it fails.
fn append_batch(
    connection: &mut Connection,
    batch: &[PendingAppend],
) -> Vec<Result<u64, StoreError>> {
    let committed = (|| {
        let mut tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut results = Vec::with_capacity(batch.len());
        for pending in batch {
            // A savepoint per append, so that one failing halfway leaves no trace.
            let savepoint = tx.savepoint()?;
            match append_in(
                &savepoint,
                &pending.room,
                &pending.token_hash,
                &pending.blob,
                pending.max_room_bytes,
            ) {
                Ok(seq) => {
                    savepoint.commit()?;
                    results.push(Ok(seq));
                }
                Err(error) => results.push(Err(error)),
            }
        }
        tx.commit()?;
        Ok::<_, StoreError>(results)
    })();
    committed.unwrap_or_else(|error| {
        let message = error.to_string();
        batch
            .iter()
            .map(|_| Err(StoreError::Database(message.clone())))
            .collect()
    })
}

fn schema_version(connection: &Connection) -> Result<i64, StoreError> {
    Ok(connection.pragma_query_value(None, "user_version", |row| row.get(0))?)
}

fn check_version(found: i64) -> Result<(), StoreError> {
    if found > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found < 0 {
        return Err(StoreError::Corrupt(format!(
            "unknown schema version {found}"
        )));
    }
    Ok(())
}

/// Brings the file to [`SCHEMA_VERSION`], in one transaction.
fn migrate(connection: &mut Connection) -> Result<(), StoreError> {
    let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Read again under the write lock: another process may have migrated meanwhile.
    let found = schema_version(&tx)?;
    check_version(found)?;
    if found == 0 {
        // Plain CREATE TABLE: a file holding someone else's tables fails here instead of
        // being adopted.
        tx.execute_batch(SCHEMA_V1)?;
    }
    if found < 2 {
        tx.execute_batch(SCHEMA_V2)?;
    }
    if found < 3 {
        tx.execute_batch(SCHEMA_V3)?;
    }
    if found < SCHEMA_VERSION {
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    }
    tx.commit()?;
    Ok(())
}

struct RoomRow {
    token_hash: TokenHash,
    head: u64,
    /// Bytes of blobs the room holds (entries and snapshots).
    stored_bytes: u64,
    /// When an editor closed the room (Unix seconds).
    closed_at: Option<u64>,
}

impl RoomRow {
    fn admits(&self, token_hash: &TokenHash) -> bool {
        self.token_hash[..].ct_eq(&token_hash[..]).into()
    }
}

fn load_room(connection: &Connection, room: &RoomId) -> Result<Option<RoomRow>, StoreError> {
    let row = connection
        .prepare_cached(
            "SELECT token_hash, head, stored_bytes, closed_at FROM rooms WHERE room = ?1",
        )?
        .query_row([room], |row| {
            Ok((
                row.get::<_, Vec<u8>>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, i64>(2)?,
                row.get::<_, Option<i64>>(3)?,
            ))
        })
        .optional()?;
    let Some((token_hash, head, stored_bytes, closed_at)) = row else {
        return Ok(None);
    };
    let token_hash = TokenHash::try_from(token_hash.as_slice()).map_err(|_| {
        StoreError::Corrupt(format!(
            "a room's token hash has {} bytes instead of 32",
            token_hash.len()
        ))
    })?;
    Ok(Some(RoomRow {
        token_hash,
        head: from_sql_int(head, "a room's head")?,
        stored_bytes: from_sql_int(stored_bytes, "a room's stored bytes")?,
        closed_at: closed_at
            .map(|at| from_sql_int(at, "a room's closing time"))
            .transpose()?,
    }))
}

/// The room if `token_hash` is its write token hash.
fn require_writer(
    connection: &Connection,
    room: &RoomId,
    token_hash: &TokenHash,
) -> Result<RoomRow, StoreError> {
    match load_room(connection, room)? {
        Some(row) if row.admits(token_hash) => Ok(row),
        _ => Err(StoreError::Unauthorized),
    }
}

/// The room if it takes appends and snapshots from `token_hash`: a closed room refuses them
/// whatever the token.
fn require_open_writer(
    connection: &Connection,
    room: &RoomId,
    token_hash: &TokenHash,
) -> Result<RoomRow, StoreError> {
    if let Some(at) = load_room(connection, room)?.and_then(|row| row.closed_at) {
        return Err(StoreError::RoomClosed { at });
    }
    require_writer(connection, room, token_hash)
}

/// Marks the room closed at `now` unless it already is; deletes nothing.
fn close(
    connection: &mut Connection,
    room: &RoomId,
    token_hash: &TokenHash,
    now: Option<i64>,
) -> Result<Closure, StoreError> {
    let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let row = require_writer(&tx, room, token_hash)?;
    let closure = match row.closed_at {
        Some(at) => Closure {
            at,
            head: row.head,
            newly: false,
        },
        None => {
            // A clock before 1970 counts as 1970: the room is closed all the same.
            let now = now.unwrap_or(0).max(0);
            tx.prepare_cached("UPDATE rooms SET closed_at = ?2 WHERE room = ?1")?
                .execute(params![room, now])?;
            Closure {
                at: from_sql_int(now, "a room's closing time")?,
                head: row.head,
                newly: true,
            }
        }
    };
    tx.commit()?;
    Ok(closure)
}

/// Refuses to let a room holding `stored` bytes, less `freed`, take `added` more past `limit`.
fn check_quota(stored: u64, freed: u64, added: usize, limit: u64) -> Result<(), StoreError> {
    let after = stored
        .saturating_sub(freed)
        .saturating_add(u64::try_from(added).unwrap_or(u64::MAX));
    if after > limit {
        return Err(StoreError::RoomFull { limit });
    }
    Ok(())
}

fn authorize(
    connection: &mut Connection,
    room: &RoomId,
    token_hash: Option<&TokenHash>,
) -> Result<Access, StoreError> {
    let Some(token_hash) = token_hash else {
        let head = load_room(connection, room)?.map_or(0, |row| row.head);
        return Ok(Access::Reader { head });
    };
    let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let access = match load_room(&tx, room)? {
        Some(row) if row.admits(token_hash) => Access::Writer { head: row.head },
        Some(row) => Access::Reader { head: row.head },
        None => {
            tx.prepare_cached(
                "INSERT INTO rooms (room, token_hash, head, created_at) VALUES (?1, ?2, 0, ?3)",
            )?
            .execute(params![room, token_hash, unix_seconds()])?;
            Access::Writer { head: 0 }
        }
    };
    tx.commit()?;
    Ok(access)
}

/// Appends one blob inside the caller's transaction.
fn append_in(
    connection: &Connection,
    room: &RoomId,
    token_hash: &TokenHash,
    blob: &[u8],
    max_room_bytes: u64,
) -> Result<u64, StoreError> {
    let row = require_open_writer(connection, room, token_hash)?;
    check_quota(row.stored_bytes, 0, blob.len(), max_room_bytes)?;
    let seq = row
        .head
        .checked_add(1)
        .ok_or_else(|| StoreError::Corrupt("a room's head is at the largest number".into()))?;
    let seq_sql = to_sql_int(seq)?;
    connection
        .prepare_cached("INSERT INTO entries (room, seq, blob) VALUES (?1, ?2, ?3)")?
        .execute(params![room, seq_sql, blob])?;
    connection
        .prepare_cached(
            "UPDATE rooms SET head = ?2, stored_bytes = stored_bytes + ?3 WHERE room = ?1",
        )?
        .execute(params![room, seq_sql, clamp_to_sql(blob.len())])?;
    Ok(seq)
}

fn entries_after(
    connection: &Connection,
    room: &RoomId,
    cursor: u64,
    max_entries: usize,
    max_bytes: usize,
) -> Result<Vec<Entry>, StoreError> {
    if max_entries == 0 {
        return Ok(Vec::new());
    }
    let mut statement = connection.prepare_cached(
        "SELECT seq, blob FROM entries WHERE room = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
    )?;
    let mut rows = statement.query(params![
        room,
        clamp_to_sql(cursor),
        clamp_to_sql(max_entries)
    ])?;
    let mut entries = Vec::new();
    let mut bytes = 0usize;
    while let Some(row) = rows.next()? {
        let blob: Vec<u8> = row.get(1)?;
        let total = bytes.saturating_add(blob.len());
        if !entries.is_empty() && total > max_bytes {
            break;
        }
        bytes = total;
        entries.push((
            from_sql_int(row.get(0)?, "an entry's sequence number")?,
            blob,
        ));
    }
    Ok(entries)
}

fn latest_snapshot(connection: &Connection, room: &RoomId) -> Result<Option<Snapshot>, StoreError> {
    let row = connection
        .prepare_cached(
            "SELECT covers, blob FROM snapshots WHERE room = ?1 ORDER BY covers DESC LIMIT 1",
        )?
        .query_row([room], |row| {
            Ok((row.get::<_, i64>(0)?, row.get::<_, Vec<u8>>(1)?))
        })
        .optional()?;
    row.map(|(covers, blob)| Ok((from_sql_int(covers, "a snapshot's coverage")?, blob)))
        .transpose()
}

/// The last sequence number whose entry may have been pruned: what the second-newest snapshot
/// covers, 0 while there are fewer than two snapshots.
fn pruned_through(connection: &Connection, room: &RoomId) -> Result<u64, StoreError> {
    let covers = connection
        .prepare_cached(
            "SELECT covers FROM snapshots WHERE room = ?1 ORDER BY covers DESC LIMIT 1 OFFSET 1",
        )?
        .query_row([room], |row| row.get::<_, i64>(0))
        .optional()?;
    covers.map_or(Ok(0), |covers| {
        from_sql_int(covers, "a snapshot's coverage")
    })
}

/// A snapshot to store, with the clock: `now` and the time before which a stored snapshot has
/// been kept for the retention period (Unix seconds).
struct NewSnapshot<'a> {
    covers: u64,
    blob: &'a [u8],
    now: i64,
    settled_before: i64,
    max_room_bytes: u64,
}

fn put_snapshot(
    connection: &mut Connection,
    room: &RoomId,
    token_hash: &TokenHash,
    snapshot: &NewSnapshot<'_>,
) -> Result<(), StoreError> {
    let &NewSnapshot {
        covers,
        blob,
        now,
        settled_before,
        max_room_bytes,
    } = snapshot;
    let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let row = require_open_writer(&tx, room, token_hash)?;
    let head = row.head;
    if covers > head {
        return Err(StoreError::SnapshotAhead { covers, head });
    }
    let covers_sql = to_sql_int(covers)?;
    // A snapshot of the same point replaces the stored one: its bytes are freed.
    let replaced: i64 = tx
        .prepare_cached(
            "SELECT coalesce(sum(length(blob)), 0) FROM snapshots WHERE room = ?1 AND covers = ?2",
        )?
        .query_row(params![room, covers_sql], |row| row.get(0))?;
    let replaced = from_sql_int(replaced, "a snapshot's size")?;
    check_quota(row.stored_bytes, replaced, blob.len(), max_room_bytes)?;
    tx.prepare_cached(
        "INSERT OR REPLACE INTO snapshots (room, covers, blob, stored_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![room, covers_sql, blob, now])?;
    tx.prepare_cached("UPDATE rooms SET stored_bytes = stored_bytes - ?2 + ?3 WHERE room = ?1")?
        .execute(params![
            room,
            clamp_to_sql(replaced),
            clamp_to_sql(blob.len())
        ])?;
    // Deleted: what the second-newest snapshot covers (catch-up no longer serves it), and only
    // as far as a snapshot stored before the retention period covers.
    let settled: i64 = tx
        .prepare_cached(
            "SELECT coalesce(max(covers), 0) FROM snapshots WHERE room = ?1 AND stored_at <= ?2",
        )?
        .query_row(params![room, settled_before], |row| row.get(0))?;
    let floor = to_sql_int(pruned_through(&tx, room)?)?.min(settled);
    if floor > 0 {
        let freed: i64 = tx
            .prepare_cached(
                "SELECT (SELECT coalesce(sum(length(blob)), 0) FROM entries \
                         WHERE room = ?1 AND seq <= ?2) \
                      + (SELECT coalesce(sum(length(blob)), 0) FROM snapshots \
                         WHERE room = ?1 AND covers < ?2)",
            )?
            .query_row(params![room, floor], |row| row.get(0))?;
        tx.prepare_cached("DELETE FROM entries WHERE room = ?1 AND seq <= ?2")?
            .execute(params![room, floor])?;
        tx.prepare_cached("DELETE FROM snapshots WHERE room = ?1 AND covers < ?2")?
            .execute(params![room, floor])?;
        tx.prepare_cached("UPDATE rooms SET stored_bytes = stored_bytes - ?2 WHERE room = ?1")?
            .execute(params![room, freed])?;
    }
    tx.commit()?;
    Ok(())
}

fn catch_up(
    connection: &mut Connection,
    room: &RoomId,
    cursor: u64,
    entries_only: bool,
    (max_entries, max_bytes): (usize, usize),
) -> Result<CatchUp, StoreError> {
    // One read transaction, so the snapshot, the entries and the head agree.
    let tx = connection.transaction()?;
    let row = load_room(&tx, room)?;
    let head = row.as_ref().map_or(0, |row| row.head);
    let closed_at = row.and_then(|row| row.closed_at);
    let (snapshot, from) = if !entries_only && cursor < pruned_through(&tx, room)? {
        let snapshot = latest_snapshot(&tx, room)?.ok_or_else(|| {
            StoreError::Corrupt("entries were pruned but no snapshot is stored".into())
        })?;
        let from = snapshot.0;
        (Some(snapshot), from)
    } else {
        (None, cursor)
    };
    let entries = entries_after(&tx, room, from, max_entries, max_bytes)?;
    tx.commit()?;
    Ok(CatchUp {
        snapshot,
        entries,
        head,
        closed_at,
    })
}

fn to_sql_int(value: u64) -> Result<i64, StoreError> {
    i64::try_from(value)
        .map_err(|_| StoreError::Corrupt(format!("{value} does not fit an SQLite integer")))
}

/// For bounds (a cursor, a limit), where anything past `i64::MAX` means the same as it.
fn clamp_to_sql(value: impl TryInto<i64>) -> i64 {
    value.try_into().unwrap_or(i64::MAX)
}

fn from_sql_int(value: i64, what: &str) -> Result<u64, StoreError> {
    u64::try_from(value).map_err(|_| StoreError::Corrupt(format!("{what} is negative: {value}")))
}

fn unix_seconds() -> Option<i64> {
    let elapsed = SystemTime::now().duration_since(UNIX_EPOCH).ok()?;
    i64::try_from(elapsed.as_secs()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOM: RoomId = [7; 32];
    const OTHER_ROOM: RoomId = [8; 32];

    /// One append in its own transaction, as the writer thread would commit it alone.
    fn append(
        connection: &mut Connection,
        room: &RoomId,
        token_hash: &TokenHash,
        blob: &[u8],
    ) -> Result<u64, StoreError> {
        let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let seq = append_in(&tx, room, token_hash, blob, u64::MAX)?;
        tx.commit()?;
        Ok(seq)
    }

    fn pending(room: RoomId, token_hash: TokenHash, blob: &[u8]) -> PendingAppend {
        PendingAppend {
            room,
            token_hash,
            blob: blob.to_vec(),
            on_commit: None,
            reply: oneshot::channel().0,
            max_room_bytes: u64::MAX,
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn work_after_commit_runs_in_sequence_order_before_the_answer() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        store.authorize(ROOM, Some(token())).await.unwrap();
        let committed = Arc::new(Mutex::new(Vec::new()));
        let appends: Vec<_> = (0..64)
            .map(|n| {
                let store = store.clone();
                let committed = Arc::clone(&committed);
                tokio::spawn(async move {
                    let log = Arc::clone(&committed);
                    let on_commit = move |seq| log.lock().unwrap().push(seq);
                    let blob = format!("blob {n}").into_bytes();
                    let seq = store
                        .append_then(ROOM, token(), blob, on_commit)
                        .await
                        .unwrap();
                    assert!(
                        committed.lock().unwrap().contains(&seq),
                        "ran before the answer"
                    );
                })
            })
            .collect();
        for append in appends {
            append.await.unwrap();
        }
        assert_eq!(*committed.lock().unwrap(), (1..=64).collect::<Vec<u64>>());
        // Refused appends run nothing.
        let refused = store
            .append_then(ROOM, hash_token(b"wrong"), b"x".to_vec(), |_| {
                panic!("must not run")
            })
            .await;
        assert!(matches!(refused, Err(StoreError::Unauthorized)));
        // A panicking callback does not stop the writer.
        let seq = store
            .append_then(ROOM, token(), b"y".to_vec(), |_| panic!("on purpose"))
            .await
            .unwrap();
        assert_eq!(seq, 65);
        assert_eq!(
            store.append(ROOM, token(), b"z".to_vec()).await.unwrap(),
            66
        );
    }

    #[test]
    fn a_batch_keeps_each_appends_outcome() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut connection = lock(&store.inner.connection);
        authorize(&mut connection, &ROOM, Some(&token())).unwrap();
        let other = hash_token(b"other room's token");
        authorize(&mut connection, &OTHER_ROOM, Some(&other)).unwrap();
        let batch = [
            pending(ROOM, token(), b"a1"),
            pending(OTHER_ROOM, other, b"b1"),
            pending(ROOM, other, b"forged"),
            pending(ROOM, token(), b"a2"),
        ];
        let results = append_batch(&mut connection, &batch);
        assert_eq!(results[0].as_ref().unwrap(), &1);
        assert_eq!(results[1].as_ref().unwrap(), &1);
        assert!(matches!(results[2], Err(StoreError::Unauthorized)));
        assert_eq!(results[3].as_ref().unwrap(), &2);
        let entries = entries_after(&connection, &ROOM, 0, 10, usize::MAX).unwrap();
        assert_eq!(entries, [(1, b"a1".to_vec()), (2, b"a2".to_vec())]);
    }

    fn token() -> TokenHash {
        hash_token(b"write token")
    }

    #[test]
    fn hash_token_is_sha256() {
        // printf 'abc' | sha256sum
        let expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        let hex: String = hash_token(b"abc")
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        assert_eq!(hex, expected);
    }

    #[test]
    fn access_reports_head_and_write_permission() {
        assert_eq!(Access::Writer { head: 3 }.head(), 3);
        assert!(Access::Writer { head: 3 }.can_write());
        assert_eq!(Access::Reader { head: 5 }.head(), 5);
        assert!(!Access::Reader { head: 5 }.can_write());
    }

    #[test]
    fn open_creates_the_schema_in_wal_mode_with_full_sync() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("nested").join("data");
        let store = Store::open(&data).unwrap();
        assert_eq!(store.path(), data.join(DATABASE_FILE));
        let connection = lock(&store.inner.connection);
        assert_eq!(schema_version(&connection).unwrap(), SCHEMA_VERSION);
        let mode: String = connection
            .pragma_query_value(None, "journal_mode", |row| row.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let synchronous: i64 = connection
            .pragma_query_value(None, "synchronous", |row| row.get(0))
            .unwrap();
        assert_eq!(synchronous, 2, "synchronous=FULL");
        let busy: i64 = connection
            .pragma_query_value(None, "busy_timeout", |row| row.get(0))
            .unwrap();
        assert_eq!(busy, 5000);
        let mut tables: Vec<String> = connection
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        tables.sort();
        assert_eq!(tables, ["entries", "rooms", "snapshots"]);
    }

    #[test]
    fn reopening_keeps_the_schema() {
        let dir = tempfile::tempdir().unwrap();
        drop(Store::open(dir.path()).unwrap());
        let store = Store::open(dir.path()).unwrap();
        let connection = lock(&store.inner.connection);
        assert_eq!(schema_version(&connection).unwrap(), SCHEMA_VERSION);
    }

    #[test]
    fn a_newer_schema_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        drop(Store::open(dir.path()).unwrap());
        let path = dir.path().join(DATABASE_FILE);
        {
            let connection = Connection::open(&path).unwrap();
            connection
                .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
                .unwrap();
        }
        let error = Store::open(dir.path()).unwrap_err();
        assert!(
            matches!(error, StoreError::NewerSchema { found, supported }
                if found == SCHEMA_VERSION + 1 && supported == SCHEMA_VERSION),
            "{error:?}"
        );
        assert!(error.to_string().contains("newer"), "{error}");
        let connection = Connection::open(&path).unwrap();
        assert_eq!(schema_version(&connection).unwrap(), SCHEMA_VERSION + 1);
    }

    #[test]
    fn a_file_that_is_not_a_database_is_corrupt() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(DATABASE_FILE),
            b"this is not an SQLite database, not at all, no".repeat(100),
        )
        .unwrap();
        let error = Store::open(dir.path()).unwrap_err();
        assert!(matches!(error, StoreError::Corrupt(_)), "{error:?}");
    }

    #[test]
    fn a_foreign_database_is_not_adopted() {
        let dir = tempfile::tempdir().unwrap();
        {
            let connection = Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
            connection
                .execute_batch("CREATE TABLE rooms (name TEXT)")
                .unwrap();
        }
        let error = Store::open(dir.path()).unwrap_err();
        assert!(matches!(error, StoreError::Database(_)), "{error:?}");
    }

    #[test]
    fn a_data_dir_that_cannot_be_created_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a file");
        std::fs::write(&file, b"x").unwrap();
        let error = Store::open(&file.join("data")).unwrap_err();
        assert!(matches!(error, StoreError::DataDir { .. }), "{error:?}");
    }

    #[test]
    fn a_malformed_token_hash_is_reported_as_corrupt() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut connection = lock(&store.inner.connection);
        authorize(&mut connection, &ROOM, Some(&token())).unwrap();
        connection
            .execute_batch("PRAGMA ignore_check_constraints = ON")
            .unwrap();
        connection
            .execute("UPDATE rooms SET token_hash = x'0102'", [])
            .unwrap();
        let error = append(&mut connection, &ROOM, &token(), b"blob").unwrap_err();
        assert!(matches!(error, StoreError::Corrupt(_)), "{error:?}");
    }

    /// A snapshot stored at `now`, with nothing kept past its coverage (retention zero).
    fn at_once(covers: u64, blob: &[u8], now: i64) -> NewSnapshot<'_> {
        NewSnapshot {
            covers,
            blob,
            now,
            settled_before: now,
            max_room_bytes: u64::MAX,
        }
    }

    fn count(connection: &Connection, table: &str) -> i64 {
        connection
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
                row.get(0)
            })
            .unwrap()
    }

    #[test]
    fn pruning_keeps_entries_after_the_second_newest_snapshot() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut connection = lock(&store.inner.connection);
        authorize(&mut connection, &ROOM, Some(&token())).unwrap();
        for _ in 0..10 {
            append(&mut connection, &ROOM, &token(), b"e").unwrap();
        }
        put_snapshot(&mut connection, &ROOM, &token(), &at_once(4, b"s4", 100)).unwrap();
        assert_eq!(pruned_through(&connection, &ROOM).unwrap(), 0);
        put_snapshot(&mut connection, &ROOM, &token(), &at_once(7, b"s7", 101)).unwrap();
        assert_eq!(pruned_through(&connection, &ROOM).unwrap(), 4);
        // A late, older snapshot is dropped at once and changes nothing.
        put_snapshot(&mut connection, &ROOM, &token(), &at_once(2, b"s2", 102)).unwrap();
        assert_eq!(pruned_through(&connection, &ROOM).unwrap(), 4);
        assert_eq!(count(&connection, "snapshots"), 2);
        assert_eq!(count(&connection, "entries"), 6);
    }

    #[test]
    fn junk_snapshots_leave_every_entry_for_the_retention_period() {
        const DAY: i64 = 24 * 60 * 60;
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut connection = lock(&store.inner.connection);
        authorize(&mut connection, &ROOM, Some(&token())).unwrap();
        for n in 1..=10 {
            append(&mut connection, &ROOM, &token(), format!("e{n}").as_bytes()).unwrap();
        }
        // Two snapshots nobody can open, uploaded with the write token on day 1.
        let junk = |covers, now| NewSnapshot {
            covers,
            blob: b"junk",
            now,
            settled_before: now - 30 * DAY,
            max_room_bytes: u64::MAX,
        };
        put_snapshot(&mut connection, &ROOM, &token(), &junk(5, DAY)).unwrap();
        put_snapshot(&mut connection, &ROOM, &token(), &junk(9, DAY + 1)).unwrap();
        assert_eq!(count(&connection, "entries"), 10, "nothing deleted yet");
        // A new joiner is offered the junk; one who cannot open it gets every entry instead.
        let offered = catch_up(&mut connection, &ROOM, 0, false, (usize::MAX, usize::MAX)).unwrap();
        assert_eq!(offered.snapshot.map(|s| s.0), Some(9));
        let entries = catch_up(&mut connection, &ROOM, 0, true, (usize::MAX, usize::MAX)).unwrap();
        assert_eq!(entries.snapshot, None);
        let seqs: Vec<u64> = entries.entries.iter().map(|(seq, _)| *seq).collect();
        assert_eq!(seqs, (1..=10).collect::<Vec<_>>());
        assert_eq!(entries.entries[0].1, b"e1");

        // 31 days later another snapshot arrives: what the day-1 snapshots cover may go now.
        put_snapshot(&mut connection, &ROOM, &token(), &junk(10, 32 * DAY)).unwrap();
        let left: Vec<u64> = catch_up(&mut connection, &ROOM, 0, true, (usize::MAX, usize::MAX))
            .unwrap()
            .entries
            .iter()
            .map(|(seq, _)| *seq)
            .collect();
        assert_eq!(left, [10]);
        assert_eq!(count(&connection, "snapshots"), 2);
    }

    #[test]
    fn a_version_1_file_gains_snapshot_times_and_room_sizes_and_keeps_its_data() {
        let dir = tempfile::tempdir().unwrap();
        {
            let connection = Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
            connection.execute_batch(SCHEMA_V1).unwrap();
            connection.pragma_update(None, "user_version", 1).unwrap();
            connection
                .execute(
                    "INSERT INTO rooms (room, token_hash, head) VALUES (?1, ?2, 3)",
                    params![ROOM, token()],
                )
                .unwrap();
            connection
                .execute(
                    "INSERT INTO snapshots (room, covers, blob) VALUES (?1, 3, x'01')",
                    [&ROOM],
                )
                .unwrap();
            connection
                .execute(
                    "INSERT INTO entries (room, seq, blob) VALUES (?1, 3, x'0102030405')",
                    [&ROOM],
                )
                .unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        let connection = lock(&store.inner.connection);
        assert_eq!(schema_version(&connection).unwrap(), SCHEMA_VERSION);
        let stored_at: i64 = connection
            .query_row("SELECT stored_at FROM snapshots", [], |row| row.get(0))
            .unwrap();
        assert_eq!(stored_at, 0, "an old snapshot counts as stored long ago");
        let stored_bytes: i64 = connection
            .query_row("SELECT stored_bytes FROM rooms", [], |row| row.get(0))
            .unwrap();
        assert_eq!(stored_bytes, 1 + 5, "the snapshot and the entry");
    }

    #[tokio::test]
    async fn a_version_2_file_gains_closing_times_and_keeps_its_data() {
        let dir = tempfile::tempdir().unwrap();
        {
            let connection = Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
            connection.execute_batch(SCHEMA_V1).unwrap();
            connection.execute_batch(SCHEMA_V2).unwrap();
            connection.pragma_update(None, "user_version", 2).unwrap();
            connection
                .execute(
                    "INSERT INTO rooms (room, token_hash, head, stored_bytes) \
                     VALUES (?1, ?2, 2, 7)",
                    params![ROOM, token()],
                )
                .unwrap();
            connection
                .execute(
                    "INSERT INTO entries (room, seq, blob) VALUES (?1, 1, x'0a0b'), (?1, 2, x'0c')",
                    [&ROOM],
                )
                .unwrap();
            connection
                .execute(
                    "INSERT INTO snapshots (room, covers, blob, stored_at) \
                     VALUES (?1, 1, x'01020304', 42)",
                    [&ROOM],
                )
                .unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        {
            let connection = lock(&store.inner.connection);
            assert_eq!(schema_version(&connection).unwrap(), 3);
            let row = load_room(&connection, &ROOM).unwrap().unwrap();
            assert_eq!((row.head, row.stored_bytes), (2, 7));
            assert_eq!(row.closed_at, None, "rooms of earlier files are open");
            assert!(row.admits(&token()), "the token hash is kept");
        }
        let all = store.catch_up(ROOM, 0, true, 10, usize::MAX).await.unwrap();
        assert_eq!(all.entries, [(1, vec![0x0a, 0x0b]), (2, vec![0x0c])]);
        assert_eq!(all.closed_at, None);
        assert_eq!(
            store.latest_snapshot(ROOM).await.unwrap(),
            Some((1, vec![1, 2, 3, 4]))
        );
        // The migrated room takes appends, and can be closed.
        assert_eq!(
            store.append(ROOM, token(), b"e3".to_vec()).await.unwrap(),
            3
        );
        let closure = store.close(ROOM, token()).await.unwrap();
        assert_eq!((closure.head, closure.newly), (3, true));
        drop(store);
        // Reopened, the file is at version 3 and the room still closed.
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.closed_at(ROOM).await.unwrap(), Some(closure.at));
    }

    #[test]
    fn closing_is_idempotent_refuses_every_later_write_and_deletes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut connection = lock(&store.inner.connection);
        authorize(&mut connection, &ROOM, Some(&token())).unwrap();
        for _ in 0..3 {
            append(&mut connection, &ROOM, &token(), b"e").unwrap();
        }
        put_snapshot(&mut connection, &ROOM, &token(), &at_once(2, b"s2", 100)).unwrap();
        let (entries, snapshots) = (
            count(&connection, "entries"),
            count(&connection, "snapshots"),
        );
        // Only the token's holder closes it.
        let wrong = hash_token(b"not the token");
        assert!(matches!(
            close(&mut connection, &ROOM, &wrong, Some(500)),
            Err(StoreError::Unauthorized)
        ));
        assert!(matches!(
            close(&mut connection, &OTHER_ROOM, &token(), Some(500)),
            Err(StoreError::Unauthorized)
        ));
        let first = close(&mut connection, &ROOM, &token(), Some(500)).unwrap();
        assert_eq!(
            first,
            Closure {
                at: 500,
                head: 3,
                newly: true
            }
        );
        // Again, later: the first close stands.
        let again = close(&mut connection, &ROOM, &token(), Some(900)).unwrap();
        assert_eq!(
            again,
            Closure {
                at: 500,
                head: 3,
                newly: false
            }
        );
        // Every later append and snapshot is refused, whatever the token.
        for hash in [token(), wrong] {
            assert!(matches!(
                append(&mut connection, &ROOM, &hash, b"late"),
                Err(StoreError::RoomClosed { at: 500 })
            ));
            assert!(matches!(
                put_snapshot(&mut connection, &ROOM, &hash, &at_once(3, b"s3", 200)),
                Err(StoreError::RoomClosed { at: 500 })
            ));
        }
        assert_eq!(count(&connection, "entries"), entries);
        assert_eq!(count(&connection, "snapshots"), snapshots);
        // Still read as before, and still the token's: a reader is a reader, a writer a writer.
        let read = catch_up(&mut connection, &ROOM, 0, true, (usize::MAX, usize::MAX)).unwrap();
        assert_eq!(read.entries.len(), 3);
        assert_eq!((read.head, read.closed_at), (3, Some(500)));
        assert_eq!(
            authorize(&mut connection, &ROOM, Some(&token())).unwrap(),
            Access::Writer { head: 3 }
        );
    }
}
