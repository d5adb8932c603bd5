//! The relay's durable storage, through its public async API, on real files in temporary
//! data directories.

use std::collections::HashMap;
use std::io::{BufRead as _, BufReader, Write as _};
use std::path::Path;
use std::process::{Command, Stdio};

use charter_relay::{
    Access, CatchUp, RoomId, Store, StoreError, StoreOptions, TokenHash, hash_token,
};
use tempfile::TempDir;

const ROOM_A: RoomId = [0xa1; 32];
const ROOM_B: RoomId = [0xb2; 32];

fn writer_a() -> TokenHash {
    hash_token(b"write token of room A")
}

fn writer_b() -> TokenHash {
    hash_token(b"write token of room B")
}

fn blob(room: &str, n: u64) -> Vec<u8> {
    format!("sealed blob {n} of room {room}").into_bytes()
}

fn no_retention() -> StoreOptions {
    StoreOptions {
        retention: std::time::Duration::ZERO,
        ..StoreOptions::default()
    }
}

/// A store that drops covered entries at once (no retention period), as the pruning tests
/// expect; the retention period itself is tested in `store.rs`.
fn open() -> (TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_with(dir.path(), no_retention()).unwrap();
    (dir, store)
}

/// Creates `room` with `token` and appends `count` blobs, checking the sequence numbers.
async fn fill(store: &Store, room: RoomId, token: TokenHash, name: &str, count: u64) {
    let access = store.authorize(room, Some(token)).await.unwrap();
    assert!(access.can_write());
    let start = access.head();
    for n in start + 1..=start + count {
        assert_eq!(store.append(room, token, blob(name, n)).await.unwrap(), n);
    }
}

fn seqs(entries: &[(u64, Vec<u8>)]) -> Vec<u64> {
    entries.iter().map(|(seq, _)| *seq).collect()
}

#[tokio::test]
async fn appends_get_monotonic_sequence_numbers_per_room() {
    let (_dir, store) = open();
    assert_eq!(
        store.authorize(ROOM_A, Some(writer_a())).await.unwrap(),
        Access::Writer { head: 0 }
    );
    assert_eq!(
        store.authorize(ROOM_B, Some(writer_b())).await.unwrap(),
        Access::Writer { head: 0 }
    );
    // Interleaved appends: each room counts on its own.
    for n in 1..=5 {
        assert_eq!(
            store
                .append(ROOM_A, writer_a(), blob("A", n))
                .await
                .unwrap(),
            n
        );
        if n <= 3 {
            assert_eq!(
                store
                    .append(ROOM_B, writer_b(), blob("B", n))
                    .await
                    .unwrap(),
                n
            );
        }
    }
    assert_eq!(store.head(ROOM_A).await.unwrap(), 5);
    assert_eq!(store.head(ROOM_B).await.unwrap(), 3);
    let a = store
        .entries_after(ROOM_A, 0, usize::MAX, usize::MAX)
        .await
        .unwrap();
    assert_eq!(a, (1..=5).map(|n| (n, blob("A", n))).collect::<Vec<_>>());
    let b = store
        .entries_after(ROOM_B, 0, usize::MAX, usize::MAX)
        .await
        .unwrap();
    assert_eq!(b, (1..=3).map(|n| (n, blob("B", n))).collect::<Vec<_>>());
    // Writing again with the same token is the same writer, at the current head.
    assert_eq!(
        store.authorize(ROOM_A, Some(writer_a())).await.unwrap(),
        Access::Writer { head: 5 }
    );
}

#[tokio::test]
async fn a_wrong_token_hash_cannot_append_nor_take_over_a_room() {
    let (_dir, store) = open();
    fill(&store, ROOM_A, writer_a(), "A", 2).await;
    let intruder = hash_token(b"a guess");

    // Presenting a wrong token makes a reader, and does not replace the registered hash.
    assert_eq!(
        store.authorize(ROOM_A, Some(intruder)).await.unwrap(),
        Access::Reader { head: 2 }
    );
    assert!(matches!(
        store.append(ROOM_A, intruder, b"forged".to_vec()).await,
        Err(StoreError::Unauthorized)
    ));
    assert!(matches!(
        store
            .put_snapshot(ROOM_A, intruder, 2, b"forged snapshot".to_vec())
            .await,
        Err(StoreError::Unauthorized)
    ));
    // Another room's writer is no writer here.
    assert!(matches!(
        store.append(ROOM_A, writer_b(), b"forged".to_vec()).await,
        Err(StoreError::Unauthorized)
    ));
    assert_eq!(store.head(ROOM_A).await.unwrap(), 2);
    assert_eq!(store.latest_snapshot(ROOM_A).await.unwrap(), None);
    assert_eq!(
        seqs(
            &store
                .entries_after(ROOM_A, 0, usize::MAX, usize::MAX)
                .await
                .unwrap()
        ),
        [1, 2]
    );
    // The rightful writer still writes.
    assert_eq!(
        store.authorize(ROOM_A, Some(writer_a())).await.unwrap(),
        Access::Writer { head: 2 }
    );
    assert_eq!(
        store
            .append(ROOM_A, writer_a(), blob("A", 3))
            .await
            .unwrap(),
        3
    );
}

#[tokio::test]
async fn appending_to_a_room_nobody_created_is_refused() {
    let (_dir, store) = open();
    assert!(matches!(
        store.append(ROOM_A, writer_a(), blob("A", 1)).await,
        Err(StoreError::Unauthorized)
    ));
    assert_eq!(store.head(ROOM_A).await.unwrap(), 0);
}

#[tokio::test]
async fn a_reader_gets_reader_access_and_creates_nothing() {
    let (_dir, store) = open();
    // A read-only link on a room nobody created yet: reader at 0, and no room appears, so
    // the first writer can still register its token.
    assert_eq!(
        store.authorize(ROOM_A, None).await.unwrap(),
        Access::Reader { head: 0 }
    );
    assert_eq!(
        store.authorize(ROOM_A, None).await.unwrap(),
        Access::Reader { head: 0 }
    );
    assert_eq!(
        store.authorize(ROOM_A, Some(writer_a())).await.unwrap(),
        Access::Writer { head: 0 }
    );
    store
        .append(ROOM_A, writer_a(), blob("A", 1))
        .await
        .unwrap();
    assert_eq!(
        store.authorize(ROOM_A, None).await.unwrap(),
        Access::Reader { head: 1 }
    );
    let catch_up = store
        .catch_up(ROOM_A, 0, false, usize::MAX, usize::MAX)
        .await
        .unwrap();
    assert_eq!(
        catch_up,
        CatchUp {
            snapshot: None,
            entries: vec![(1, blob("A", 1))],
            head: 1,
            closed_at: None,
        }
    );
}

#[tokio::test]
async fn entries_after_respects_cursor_count_and_bytes() {
    let (_dir, store) = open();
    store.authorize(ROOM_A, Some(writer_a())).await.unwrap();
    // Entry n holds n * 10 bytes.
    for n in 1..=10u64 {
        let size = usize::try_from(n * 10).unwrap();
        assert_eq!(
            store
                .append(ROOM_A, writer_a(), vec![u8::try_from(n).unwrap(); size])
                .await
                .unwrap(),
            n
        );
    }
    let after = |cursor, max_entries, max_bytes| {
        let store = store.clone();
        async move {
            store
                .entries_after(ROOM_A, cursor, max_entries, max_bytes)
                .await
                .unwrap()
        }
    };
    assert_eq!(
        seqs(&after(0, usize::MAX, usize::MAX).await),
        (1..=10).collect::<Vec<_>>()
    );
    assert_eq!(seqs(&after(7, usize::MAX, usize::MAX).await), [8, 9, 10]);
    assert_eq!(
        seqs(&after(10, usize::MAX, usize::MAX).await),
        [] as [u64; 0]
    );
    assert_eq!(
        seqs(&after(99, usize::MAX, usize::MAX).await),
        [] as [u64; 0]
    );
    assert_eq!(
        seqs(&after(u64::MAX, usize::MAX, usize::MAX).await),
        [] as [u64; 0]
    );
    assert_eq!(seqs(&after(2, 3, usize::MAX).await), [3, 4, 5]);
    assert_eq!(seqs(&after(2, 0, usize::MAX).await), [] as [u64; 0]);
    // 30 + 40 = 70 fits in 79, + 50 does not.
    assert_eq!(seqs(&after(2, usize::MAX, 79).await), [3, 4]);
    // Exactly at the limit is within it.
    assert_eq!(seqs(&after(2, usize::MAX, 120).await), [3, 4, 5]);
    // Both limits: the tighter one wins.
    assert_eq!(seqs(&after(0, 2, 1000).await), [1, 2]);
    assert_eq!(seqs(&after(0, 5, 30).await), [1, 2]);
    // An entry larger than the byte limit still comes alone, so a reader never stalls.
    let big = after(9, usize::MAX, 1).await;
    assert_eq!(big, vec![(10, vec![10u8; 100])]);
    // Other rooms are not mixed in, and an unknown room is empty.
    assert_eq!(
        store
            .entries_after(ROOM_B, 0, usize::MAX, usize::MAX)
            .await
            .unwrap(),
        Vec::new()
    );
    assert_eq!(store.head(ROOM_B).await.unwrap(), 0);
}

#[tokio::test]
async fn snapshots_prune_what_two_snapshots_cover_and_catch_up_serves_snapshot_plus_tail() {
    let (_dir, store) = open();
    fill(&store, ROOM_A, writer_a(), "A", 10).await;
    fill(&store, ROOM_B, writer_b(), "B", 10).await;
    let all = |room| {
        let store = store.clone();
        async move {
            seqs(
                &store
                    .entries_after(room, 0, usize::MAX, usize::MAX)
                    .await
                    .unwrap(),
            )
        }
    };

    // One snapshot prunes nothing: a client at 0 still reads every entry.
    store
        .put_snapshot(ROOM_A, writer_a(), 4, b"snapshot 4".to_vec())
        .await
        .unwrap();
    assert_eq!(all(ROOM_A).await, (1..=10).collect::<Vec<_>>());
    assert_eq!(
        store.latest_snapshot(ROOM_A).await.unwrap(),
        Some((4, b"snapshot 4".to_vec()))
    );
    let from_zero = store
        .catch_up(ROOM_A, 0, false, usize::MAX, usize::MAX)
        .await
        .unwrap();
    assert_eq!(from_zero.snapshot, None);
    assert_eq!(seqs(&from_zero.entries), (1..=10).collect::<Vec<_>>());

    // A second snapshot: the entries the older one covers (1..=4) go.
    store
        .put_snapshot(ROOM_A, writer_a(), 7, b"snapshot 7".to_vec())
        .await
        .unwrap();
    assert_eq!(all(ROOM_A).await, (5..=10).collect::<Vec<_>>());
    assert_eq!(
        store.latest_snapshot(ROOM_A).await.unwrap(),
        Some((7, b"snapshot 7".to_vec()))
    );
    // Room B is untouched.
    assert_eq!(all(ROOM_B).await, (1..=10).collect::<Vec<_>>());

    // An old cursor (its next entries were pruned) gets the newest snapshot plus the tail.
    for cursor in [0, 1, 3] {
        let catch_up = store
            .catch_up(ROOM_A, cursor, false, usize::MAX, usize::MAX)
            .await
            .unwrap();
        assert_eq!(
            catch_up,
            CatchUp {
                snapshot: Some((7, b"snapshot 7".to_vec())),
                entries: (8..=10).map(|n| (n, blob("A", n))).collect(),
                head: 10,
                closed_at: None,
            },
            "cursor {cursor}"
        );
    }
    // A cursor at or after the oldest retained entry − 1 gets only the tail.
    for (cursor, tail) in [(4, 5..=10), (5, 6..=10), (7, 8..=10), (9, 10..=10)] {
        let catch_up = store
            .catch_up(ROOM_A, cursor, false, usize::MAX, usize::MAX)
            .await
            .unwrap();
        assert_eq!(catch_up.snapshot, None, "cursor {cursor}");
        assert_eq!(seqs(&catch_up.entries), tail.collect::<Vec<_>>());
        assert_eq!(catch_up.head, 10);
    }
    let up_to_date = store
        .catch_up(ROOM_A, 10, false, usize::MAX, usize::MAX)
        .await
        .unwrap();
    assert_eq!(
        up_to_date,
        CatchUp {
            snapshot: None,
            entries: Vec::new(),
            head: 10,
            closed_at: None,
        }
    );
    // Limits bound the tail after a snapshot too.
    let paged = store
        .catch_up(ROOM_A, 0, false, 2, usize::MAX)
        .await
        .unwrap();
    assert_eq!(paged.snapshot.map(|(covers, _)| covers), Some(7));
    assert_eq!(seqs(&paged.entries), [8, 9]);

    // A third snapshot: only the two newest stay, entries up to the older of them go.
    fill(&store, ROOM_A, writer_a(), "A", 2).await; // 11, 12
    store
        .put_snapshot(ROOM_A, writer_a(), 11, b"snapshot 11".to_vec())
        .await
        .unwrap();
    assert_eq!(all(ROOM_A).await, (8..=12).collect::<Vec<_>>());
    let old = store
        .catch_up(ROOM_A, 6, false, usize::MAX, usize::MAX)
        .await
        .unwrap();
    assert_eq!(old.snapshot, Some((11, b"snapshot 11".to_vec())));
    assert_eq!(seqs(&old.entries), [12]);
    let recent = store
        .catch_up(ROOM_A, 7, false, usize::MAX, usize::MAX)
        .await
        .unwrap();
    assert_eq!(recent.snapshot, None);
    assert_eq!(seqs(&recent.entries), (8..=12).collect::<Vec<_>>());

    // A snapshot of the same point replaces the stored one.
    store
        .put_snapshot(ROOM_A, writer_a(), 11, b"snapshot 11, again".to_vec())
        .await
        .unwrap();
    assert_eq!(
        store.latest_snapshot(ROOM_A).await.unwrap(),
        Some((11, b"snapshot 11, again".to_vec()))
    );
    // A late snapshot older than both retained ones changes nothing.
    store
        .put_snapshot(ROOM_A, writer_a(), 2, b"late snapshot 2".to_vec())
        .await
        .unwrap();
    assert_eq!(all(ROOM_A).await, (8..=12).collect::<Vec<_>>());
    assert_eq!(
        store
            .catch_up(ROOM_A, 0, false, usize::MAX, usize::MAX)
            .await
            .unwrap()
            .snapshot,
        Some((11, b"snapshot 11, again".to_vec()))
    );
    // A snapshot covering the head keeps at least the entries after the one before it.
    store
        .put_snapshot(ROOM_A, writer_a(), 12, b"snapshot 12".to_vec())
        .await
        .unwrap();
    assert_eq!(all(ROOM_A).await, [12]);
    let caught_up = store
        .catch_up(ROOM_A, 0, false, usize::MAX, usize::MAX)
        .await
        .unwrap();
    assert_eq!(caught_up.snapshot, Some((12, b"snapshot 12".to_vec())));
    assert_eq!(caught_up.entries, Vec::new());
    assert_eq!(caught_up.head, 12);
}

#[tokio::test]
async fn a_snapshot_ahead_of_the_head_is_refused() {
    let (_dir, store) = open();
    fill(&store, ROOM_A, writer_a(), "A", 3).await;
    let error = store
        .put_snapshot(ROOM_A, writer_a(), 4, b"from the future".to_vec())
        .await
        .unwrap_err();
    assert!(
        matches!(error, StoreError::SnapshotAhead { covers: 4, head: 3 }),
        "{error:?}"
    );
    assert_eq!(store.latest_snapshot(ROOM_A).await.unwrap(), None);
    store
        .put_snapshot(ROOM_A, writer_a(), 3, b"at the head".to_vec())
        .await
        .unwrap();
    assert_eq!(
        store.latest_snapshot(ROOM_A).await.unwrap(),
        Some((3, b"at the head".to_vec()))
    );
}

#[tokio::test]
async fn reopening_the_data_dir_keeps_every_acknowledged_entry() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    {
        let store = Store::open_with(&data, no_retention()).unwrap();
        fill(&store, ROOM_A, writer_a(), "A", 20).await;
        fill(&store, ROOM_B, writer_b(), "B", 3).await;
        store
            .put_snapshot(ROOM_A, writer_a(), 5, b"snapshot 5".to_vec())
            .await
            .unwrap();
        store
            .put_snapshot(ROOM_A, writer_a(), 15, b"snapshot 15".to_vec())
            .await
            .unwrap();
    }
    let store = Store::open_with(&data, no_retention()).unwrap();
    assert_eq!(store.head(ROOM_A).await.unwrap(), 20);
    assert_eq!(store.head(ROOM_B).await.unwrap(), 3);
    assert_eq!(
        store
            .entries_after(ROOM_A, 0, usize::MAX, usize::MAX)
            .await
            .unwrap(),
        (6..=20).map(|n| (n, blob("A", n))).collect::<Vec<_>>()
    );
    assert_eq!(
        store
            .entries_after(ROOM_B, 0, usize::MAX, usize::MAX)
            .await
            .unwrap(),
        (1..=3).map(|n| (n, blob("B", n))).collect::<Vec<_>>()
    );
    assert_eq!(
        store.latest_snapshot(ROOM_A).await.unwrap(),
        Some((15, b"snapshot 15".to_vec()))
    );
    // The token hash survived too: the writer goes on where it stopped, an intruder cannot.
    assert_eq!(
        store.authorize(ROOM_A, Some(writer_a())).await.unwrap(),
        Access::Writer { head: 20 }
    );
    assert_eq!(
        store
            .append(ROOM_A, writer_a(), blob("A", 21))
            .await
            .unwrap(),
        21
    );
    assert!(matches!(
        store.append(ROOM_A, writer_b(), blob("A", 22)).await,
        Err(StoreError::Unauthorized)
    ));
}

/// Where the child process of the crash test writes; unset in a normal run.
const CRASH_CHILD_DIR: &str = "CHARTER_STORE_CRASH_CHILD_DIR";

/// Not a test of its own: the child process of `a_killed_relay_loses_no_acknowledged_append`.
/// It appends until killed, printing each acknowledged sequence number.
#[test]
fn crash_child() {
    let Some(dir) = std::env::var_os(CRASH_CHILD_DIR) else {
        return;
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = Store::open(Path::new(&dir)).unwrap();
        store.authorize(ROOM_A, Some(writer_a())).await.unwrap();
        let mut out = std::io::stdout().lock();
        for n in 1.. {
            let seq = store
                .append(ROOM_A, writer_a(), blob("A", n))
                .await
                .unwrap();
            assert_eq!(seq, n);
            writeln!(out, "acked {seq}").unwrap();
            out.flush().unwrap();
        }
    });
}

#[test]
fn a_killed_relay_loses_no_acknowledged_append() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "crash_child", "--nocapture", "--test-threads=1"])
        .env(CRASH_CHILD_DIR, dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut acked = 0;
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Some(seq) = line.strip_prefix("acked ") {
            acked = seq.parse::<u64>().unwrap();
            if acked >= 50 {
                break;
            }
        }
    }
    // SIGKILL mid-append: no destructor, no checkpoint, no orderly close.
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(acked >= 50, "the child stopped early, at {acked}");

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = Store::open(dir.path()).unwrap();
        let head = store.head(ROOM_A).await.unwrap();
        assert!(head >= acked, "head {head} < acknowledged {acked}");
        let entries = store
            .entries_after(ROOM_A, 0, usize::MAX, usize::MAX)
            .await
            .unwrap();
        // Every acknowledged entry, and any that committed before its acknowledgement was
        // printed, intact and gap-free.
        assert_eq!(
            entries,
            (1..=head).map(|n| (n, blob("A", n))).collect::<Vec<_>>()
        );
        assert_eq!(
            store
                .append(ROOM_A, writer_a(), blob("A", head + 1))
                .await
                .unwrap(),
            head + 1
        );
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_appends_yield_a_gap_free_sequence() {
    const TASKS: u64 = 8;
    const PER_TASK: u64 = 40;
    let (_dir, store) = open();
    store.authorize(ROOM_A, Some(writer_a())).await.unwrap();
    store.authorize(ROOM_B, Some(writer_b())).await.unwrap();
    let mut handles = Vec::new();
    for task in 0..TASKS {
        let store = store.clone();
        handles.push(tokio::spawn(async move {
            let mut acked = Vec::new();
            for i in 0..PER_TASK {
                let payload = format!("task {task} append {i}").into_bytes();
                // Half the tasks also write room B, interleaved.
                let (room, token) = if task % 2 == 0 {
                    (ROOM_A, writer_a())
                } else {
                    (ROOM_B, writer_b())
                };
                let seq = store.append(room, token, payload.clone()).await.unwrap();
                acked.push((room, seq, payload));
            }
            acked
        }));
    }
    let mut expected: HashMap<RoomId, Vec<(u64, Vec<u8>)>> = HashMap::new();
    for handle in handles {
        for (room, seq, payload) in handle.await.unwrap() {
            expected.entry(room).or_default().push((seq, payload));
        }
    }
    for room in [ROOM_A, ROOM_B] {
        let mut acked = expected.remove(&room).unwrap();
        acked.sort();
        let count = TASKS / 2 * PER_TASK;
        assert_eq!(seqs(&acked), (1..=count).collect::<Vec<_>>());
        assert_eq!(store.head(room).await.unwrap(), count);
        let stored = store
            .entries_after(room, 0, usize::MAX, usize::MAX)
            .await
            .unwrap();
        // Each acknowledged sequence number holds exactly the blob it was given for.
        assert_eq!(stored, acked);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn racing_first_writers_register_exactly_one_token() {
    let (_dir, store) = open();
    let mut handles = Vec::new();
    for i in 0..8u8 {
        let store = store.clone();
        handles.push(tokio::spawn(async move {
            let token = hash_token(&[i]);
            (token, store.authorize(ROOM_A, Some(token)).await.unwrap())
        }));
    }
    let mut writers = Vec::new();
    for handle in handles {
        let (token, access) = handle.await.unwrap();
        if access.can_write() {
            writers.push(token);
        }
    }
    assert_eq!(writers.len(), 1, "exactly one first writer");
    assert_eq!(
        store
            .append(ROOM_A, writers[0], blob("A", 1))
            .await
            .unwrap(),
        1
    );
}

#[tokio::test]
async fn a_room_past_its_quota_refuses_more_until_pruning_frees_room() {
    let dir = tempfile::tempdir().unwrap();
    let options = StoreOptions {
        retention: std::time::Duration::ZERO,
        max_room_bytes: 100,
    };
    let store = Store::open_with(dir.path(), options).unwrap();
    store.authorize(ROOM_A, Some(writer_a())).await.unwrap();
    store.authorize(ROOM_B, Some(writer_b())).await.unwrap();
    for _ in 0..3 {
        store.append(ROOM_A, writer_a(), vec![1; 30]).await.unwrap();
    }
    let full = store.append(ROOM_A, writer_a(), vec![1; 30]).await;
    assert!(
        matches!(full, Err(StoreError::RoomFull { limit: 100 })),
        "{full:?}"
    );
    assert_eq!(store.head(ROOM_A).await.unwrap(), 3, "nothing of it stored");
    // Another room has its own quota.
    store.append(ROOM_B, writer_b(), vec![2; 90]).await.unwrap();
    // A snapshot past the quota is refused too; a small one fits.
    let big = store.put_snapshot(ROOM_A, writer_a(), 1, vec![3; 20]).await;
    assert!(matches!(big, Err(StoreError::RoomFull { .. })), "{big:?}");
    store
        .put_snapshot(ROOM_A, writer_a(), 1, vec![3; 5])
        .await
        .unwrap();
    // Replacing it frees its bytes first.
    store
        .put_snapshot(ROOM_A, writer_a(), 1, vec![3; 10])
        .await
        .unwrap();
    // A second snapshot prunes entry 1 (no retention here): 30 bytes free again.
    store
        .put_snapshot(ROOM_A, writer_a(), 2, vec![3; 0])
        .await
        .unwrap();
    store.append(ROOM_A, writer_a(), vec![1; 30]).await.unwrap();
    assert_eq!(store.head(ROOM_A).await.unwrap(), 4);
}

#[tokio::test]
async fn a_closed_room_keeps_everything_refuses_every_write_and_stays_closed() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let closed_at = {
        let store = Store::open_with(&data, no_retention()).unwrap();
        fill(&store, ROOM_A, writer_a(), "A", 4).await;
        fill(&store, ROOM_B, writer_b(), "B", 1).await;
        store
            .put_snapshot(ROOM_A, writer_a(), 2, b"snapshot 2".to_vec())
            .await
            .unwrap();
        // Only with the room's token.
        assert!(matches!(
            store.close(ROOM_A, writer_b()).await,
            Err(StoreError::Unauthorized)
        ));
        assert_eq!(store.closed_at(ROOM_A).await.unwrap(), None);
        let closure = store.close(ROOM_A, writer_a()).await.unwrap();
        assert_eq!((closure.head, closure.newly), (4, true));
        let again = store.close(ROOM_A, writer_a()).await.unwrap();
        assert_eq!(
            again,
            charter_relay::Closure {
                newly: false,
                ..closure
            }
        );
        closure.at
    };
    let store = Store::open_with(&data, no_retention()).unwrap();
    assert_eq!(store.closed_at(ROOM_A).await.unwrap(), Some(closed_at));
    assert_eq!(store.closed_at(ROOM_B).await.unwrap(), None);
    for token in [writer_a(), writer_b()] {
        assert!(matches!(
            store.append(ROOM_A, token, blob("A", 5)).await,
            Err(StoreError::RoomClosed { at }) if at == closed_at
        ));
        assert!(matches!(
            store.put_snapshot(ROOM_A, token, 4, b"late".to_vec()).await,
            Err(StoreError::RoomClosed { .. })
        ));
    }
    let everything = store
        .catch_up(ROOM_A, 0, true, usize::MAX, usize::MAX)
        .await
        .unwrap();
    assert_eq!(
        everything,
        CatchUp {
            snapshot: None,
            entries: (1..=4).map(|n| (n, blob("A", n))).collect(),
            head: 4,
            closed_at: Some(closed_at),
        }
    );
    assert_eq!(
        store.latest_snapshot(ROOM_A).await.unwrap(),
        Some((2, b"snapshot 2".to_vec()))
    );
    // Readers and the token's holder are who they were; the other room goes on.
    assert_eq!(
        store.authorize(ROOM_A, Some(writer_a())).await.unwrap(),
        Access::Writer { head: 4 }
    );
    assert_eq!(
        store.authorize(ROOM_A, None).await.unwrap(),
        Access::Reader { head: 4 }
    );
    assert_eq!(
        store
            .append(ROOM_B, writer_b(), blob("B", 2))
            .await
            .unwrap(),
        2
    );
}
