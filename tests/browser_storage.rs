//! IndexedDB storage in headless Chromium: what is saved comes back, compaction
//! keeps every change, and a damaged chunk is skipped and reported.
#![cfg(target_arch = "wasm32")]

use charter::storage::chunks::{ChunkKind, Saver, load_chunks};
use charter::storage::idb::{Database, SyncSettings, WorkspaceEntry};
use charter::sync::client::SyncCursor;
use charter::workspace::{ObjectiveDraft, WorkspaceDoc};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const WS: &str = "01TESTWORKSPACE";

/// A database of its own per test, so tests cannot see each other's data.
async fn database(test: &str) -> Database {
    Database::open(&format!("charter-test-{test}-{}", js_sys::Math::random()))
        .await
        .unwrap()
}

fn add(ws: &mut WorkspaceDoc, title: &str, at: i64) {
    let draft = ObjectiveDraft {
        title: title.into(),
        target: "5".into(),
        direction: Some(charter::workspace::measurements::Direction::AtMost),
        ..Default::default()
    };
    ws.add_objective(&draft, at).unwrap();
}

async fn flush(db: &Database, saver: &mut Saver, ws: &mut WorkspaceDoc) -> Option<ChunkKind> {
    let write = saver.next_write(ws.automerge())?;
    let kind = write.put.key.kind;
    db.write(WS, &write).await.unwrap();
    saver.written(write);
    Some(kind)
}

async fn reopen(name_of: &Database) -> WorkspaceDoc {
    let loaded = load_chunks(name_of.load_chunks(WS).await.unwrap());
    assert!(loaded.damaged.is_empty(), "{:?}", loaded.damaged);
    WorkspaceDoc::from_automerge(loaded.doc, "Ada")
}

#[wasm_bindgen_test]
async fn save_then_reopen_gives_the_same_document() {
    let db = database("reopen").await;
    let mut ws = WorkspaceDoc::create("Acme", "Head office", "Ada", 1).unwrap();
    let mut saver = Saver::default();
    assert_eq!(
        flush(&db, &mut saver, &mut ws).await,
        Some(ChunkKind::Snapshot)
    );
    add(&mut ws, "Phishing click rate", 2);
    assert_eq!(
        flush(&db, &mut saver, &mut ws).await,
        Some(ChunkKind::Incremental)
    );
    add(&mut ws, "Patch latency", 3);
    flush(&db, &mut saver, &mut ws).await;

    let mut reopened = reopen(&db).await;
    assert_eq!(reopened.read().unwrap(), ws.read().unwrap());
    assert_eq!(reopened.automerge().get_heads(), ws.automerge().get_heads());
}

#[wasm_bindgen_test]
async fn compaction_keeps_every_change() {
    let db = database("compaction").await;
    let mut ws = WorkspaceDoc::create("Acme", "", "Ada", 1).unwrap();
    let mut saver = Saver::default().with_compaction_floor(0);
    let mut kinds = Vec::new();
    for i in 0..30 {
        add(&mut ws, &format!("Objective {i}"), 10 + i);
        kinds.extend(flush(&db, &mut saver, &mut ws).await);
    }
    let snapshots_written = kinds.iter().filter(|k| **k == ChunkKind::Snapshot).count();
    assert!(snapshots_written >= 2, "compaction ran: {kinds:?}");
    let stored = db.load_chunks(WS).await.unwrap();
    let snapshots = stored
        .iter()
        .filter(|c| c.key.kind == ChunkKind::Snapshot)
        .count();
    assert_eq!(snapshots, 1, "compaction deleted the snapshots it replaced");

    let mut reopened = reopen(&db).await;
    assert_eq!(reopened.read().unwrap().objectives.len(), 30);
    assert_eq!(reopened.automerge().get_heads(), ws.automerge().get_heads());
    let history = reopened.automerge().get_changes(&[]).len();
    assert_eq!(
        history,
        ws.automerge().get_changes(&[]).len(),
        "the history is whole"
    );
}

#[wasm_bindgen_test]
async fn a_chunk_overwritten_with_garbage_is_skipped_and_reported() {
    let db = database("garbage").await;
    let mut ws = WorkspaceDoc::create("Acme", "", "Ada", 1).unwrap();
    let mut saver = Saver::default();
    flush(&db, &mut saver, &mut ws).await;
    add(&mut ws, "Kept", 2);
    flush(&db, &mut saver, &mut ws).await;
    add(&mut ws, "Damaged", 3);
    let write = saver.next_write(ws.automerge()).unwrap();
    assert_eq!(write.put.key.kind, ChunkKind::Incremental);
    db.write(WS, &write).await.unwrap();

    let mut garbage = write.put.clone();
    garbage.bytes = b"\x85\x6f\x4a\x83 scrambled by a disk error".to_vec();
    db.put_chunk(WS, &garbage).await.unwrap();

    let loaded = load_chunks(db.load_chunks(WS).await.unwrap());
    assert_eq!(loaded.damaged.len(), 1);
    assert_eq!(loaded.damaged[0].key, write.put.key);
    let titles: Vec<_> = WorkspaceDoc::from_automerge(loaded.doc, "Ada")
        .read()
        .unwrap()
        .objectives
        .into_values()
        .map(|o| o.title)
        .collect();
    assert_eq!(titles, vec!["Kept".to_owned()]);
}

#[wasm_bindgen_test]
async fn data_survives_closing_and_reopening_the_database() {
    let name = format!("charter-test-persist-{}", js_sys::Math::random());
    let db = Database::open(&name).await.unwrap();
    let mut ws = WorkspaceDoc::create("Acme", "", "Ada", 1).unwrap();
    let mut saver = Saver::default();
    flush(&db, &mut saver, &mut ws).await;
    let entry = WorkspaceEntry {
        id: WS.into(),
        name: "Acme".into(),
        created_at: 1,
        sync: Some(SyncSettings {
            link: "k=secret&relay=http%3A%2F%2F127.0.0.1%3A8080".into(),
            cursor: SyncCursor {
                seq: 7,
                on_relay: ws.automerge().get_heads(),
            },
        }),
    };
    db.put_workspace(&entry).await.unwrap();
    db.close();

    let db = Database::open(&name).await.unwrap();
    assert_eq!(db.workspaces().await.unwrap(), vec![entry.clone()]);
    assert_eq!(db.workspace(WS).await.unwrap(), Some(entry));
    assert_eq!(db.workspace("unknown").await.unwrap(), None);
    assert_eq!(reopen(&db).await.read().unwrap(), ws.read().unwrap());
    assert!(
        db.load_chunks("another workspace")
            .await
            .unwrap()
            .is_empty()
    );
}

#[wasm_bindgen_test]
fn entries_written_by_earlier_versions_still_read() {
    use charter::storage::idb::{entry_from_json, entry_to_json};
    // What Charter stored before it wrote entries with the browser's JSON.
    let hash = "a".repeat(64);
    let earlier = format!(
        r#"{{"id":"01A","name":"Acme","created_at":1780000000000,"sync":{{"link":"r=x&relay=y","cursor":{{"seq":12,"on_relay":["{hash}"]}}}}}}"#
    );
    let entry = entry_from_json(&earlier).expect("an earlier entry reads");
    assert_eq!(entry.name, "Acme");
    assert_eq!(entry.created_at, 1_780_000_000_000);
    let sync = entry.sync.clone().expect("sync settings");
    assert_eq!(sync.cursor.seq, 12);
    assert_eq!(sync.cursor.on_relay[0].to_string(), hash);
    assert_eq!(
        entry_from_json(&entry_to_json(&entry).unwrap()),
        Some(entry)
    );
    let local = r#"{"id":"01B","name":"Solo","created_at":5,"sync":null}"#;
    assert_eq!(entry_from_json(local).map(|e| e.sync), Some(None));
    assert_eq!(entry_from_json("not json"), None);
    assert_eq!(entry_from_json(r#"{"id":"01C"}"#), None, "no name");
}

/// The sample is built in the browser (the start page's "Open a sample
/// workspace"): nothing on its way may need what wasm32 lacks, such as the
/// system clock, which only panics there.
#[wasm_bindgen_test]
fn the_sample_builds_in_the_browser() {
    let now = js_sys::Date::now() as i64;
    let doc = charter::workspace::sample::sample_workspace("Claire Hoffmann", now).unwrap();
    let ws = doc.read().unwrap();
    assert_eq!(ws.reviews.len(), 3);
    assert!(!ws.actions.is_empty());
}
