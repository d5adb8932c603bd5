//! The IndexedDB shell around [`crate::storage::chunks`]: one database per
//! browser profile, with a store of chunks keyed `[workspace, kind, hash]`
//! and a store listing this browser's workspaces.

use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbKeyRange, IdbObjectStore, IdbRequest, IdbTransactionMode};

use crate::storage::chunks::{ChunkKey, ChunkKind, StoredChunk, Write};
use crate::workspace::model::sort_list;

const VERSION: u32 = 1;
const CHUNKS: &str = "chunks";
const WORKSPACES: &str = "workspaces";

/// The database Charter uses in a normal session.
pub const DEFAULT_DATABASE: &str = "charter";

/// Why the browser's storage failed, in words a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    /// IndexedDB is missing or blocked (some private windows, strict settings).
    #[error(
        "This browser does not let Charter store data here (a private window or strict \
         privacy settings can cause this). Your changes stay in this tab only."
    )]
    Unavailable,
    /// The origin's storage quota is used up.
    #[error(
        "The browser's storage is full, so your latest changes are not saved yet. They are \
         kept in this tab: free some disk space or storage for this site, and Charter will retry."
    )]
    QuotaExceeded,
    /// Any other failure, with the browser's own explanation.
    #[error("The browser could not save or read Charter's data ({0}).")]
    Failed(String),
}

impl StorageError {
    fn from_js(value: JsValue) -> StorageError {
        let exception = value
            .dyn_ref::<web_sys::DomException>()
            .cloned()
            .or_else(|| event_error(&value));
        match exception {
            Some(e) if e.name() == "QuotaExceededError" => StorageError::QuotaExceeded,
            Some(e) => StorageError::Failed(format!("{}: {}", e.name(), e.message())),
            None => StorageError::Failed(value.as_string().unwrap_or_else(|| format!("{value:?}"))),
        }
    }
}

/// The DOMException behind an error or abort event of a request or transaction.
fn event_error(value: &JsValue) -> Option<web_sys::DomException> {
    let target = value.dyn_ref::<web_sys::Event>()?.target()?;
    if let Some(request) = target.dyn_ref::<IdbRequest>() {
        return request.error().ok().flatten();
    }
    target.dyn_ref::<web_sys::IdbTransaction>()?.error()
}

/// A workspace this browser holds, as the start page lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkspaceEntry {
    /// The workspace id (also the first part of its chunks' keys).
    pub id: String,
    /// The organisation's name when last seen.
    pub name: String,
    /// When it was first stored in this browser.
    pub created_at: i64,
    /// How it syncs, once shared or joined; `None` for a workspace kept only here.
    pub sync: Option<SyncSettings>,
}

/// A shared workspace's keys, relay and progress, kept in this browser only.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncSettings {
    /// The share link's fragment (`k=…&relay=…` or `r=…&relay=…`): the keys and the relay.
    pub link: String,
    /// How far this browser has read the relay's log, and what it knows is there.
    pub cursor: crate::sync::client::SyncCursor,
}

// Entries are stored as JSON text, written and read with the browser's own
// JSON (not serde_json, which cost about 20 KB of wasm for this alone):
// `{"id", "name", "created_at", "sync": {"link", "cursor": {"seq", "on_relay": [hex…]}}}`.

/// The JSON text stored for `entry`.
pub fn entry_to_json(entry: &WorkspaceEntry) -> Result<String, StorageError> {
    let object = js_sys::Object::new();
    let set = |target: &js_sys::Object, key: &str, value: JsValue| {
        js_sys::Reflect::set(target, &JsValue::from_str(key), &value).map(drop)
    };
    let written = (|| -> Result<(), JsValue> {
        set(&object, "id", JsValue::from_str(&entry.id))?;
        set(&object, "name", JsValue::from_str(&entry.name))?;
        set(
            &object,
            "created_at",
            JsValue::from_f64(entry.created_at as f64),
        )?;
        if let Some(sync) = &entry.sync {
            let cursor = js_sys::Object::new();
            set(&cursor, "seq", JsValue::from_f64(sync.cursor.seq as f64))?;
            let hashes: Array = sync
                .cursor
                .on_relay
                .iter()
                .map(|h| JsValue::from_str(&h.to_string()))
                .collect();
            set(&cursor, "on_relay", hashes.into())?;
            let settings = js_sys::Object::new();
            set(&settings, "link", JsValue::from_str(&sync.link))?;
            set(&settings, "cursor", cursor.into())?;
            set(&object, "sync", settings.into())?;
        }
        Ok(())
    })();
    written
        .and_then(|()| js_sys::JSON::stringify(&object))
        .map(String::from)
        .map_err(StorageError::from_js)
}

/// The entry stored as `json`; `None` when it cannot be read.
pub fn entry_from_json(json: &str) -> Option<WorkspaceEntry> {
    let value = js_sys::JSON::parse(json).ok()?;
    let get = |target: &JsValue, key: &str| {
        js_sys::Reflect::get(target, &JsValue::from_str(key))
            .ok()
            .filter(|v| !v.is_undefined() && !v.is_null())
    };
    let text = |target: &JsValue, key: &str| get(target, key).and_then(|v| v.as_string());
    let number = |target: &JsValue, key: &str| get(target, key).and_then(|v| v.as_f64());
    let sync = match get(&value, "sync") {
        None => None,
        Some(sync) => {
            let cursor = match get(&sync, "cursor") {
                None => crate::sync::client::SyncCursor::default(),
                Some(cursor) => crate::sync::client::SyncCursor {
                    seq: number(&cursor, "seq")? as u64,
                    on_relay: match get(&cursor, "on_relay") {
                        Some(list) => list
                            .dyn_into::<Array>()
                            .ok()?
                            .iter()
                            .map(|h| h.as_string()?.parse().ok())
                            .collect::<Option<Vec<_>>>()?,
                        None => Vec::new(),
                    },
                },
            };
            Some(SyncSettings {
                link: text(&sync, "link")?,
                cursor,
            })
        }
    };
    Some(WorkspaceEntry {
        id: text(&value, "id")?,
        name: text(&value, "name")?,
        created_at: number(&value, "created_at")? as i64,
        sync,
    })
}

/// An open Charter database.
#[derive(Debug, Clone)]
pub struct Database {
    db: IdbDatabase,
}

impl Database {
    /// Opens (creating or upgrading as needed) the database called `name`.
    pub async fn open(name: &str) -> Result<Database, StorageError> {
        let factory = web_sys::window()
            .and_then(|w| w.indexed_db().ok().flatten())
            .ok_or(StorageError::Unavailable)?;
        let request = factory
            .open_with_u32(name, VERSION)
            .map_err(|_| StorageError::Unavailable)?;
        let upgrade = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new(
            move |event: web_sys::Event| {
                let Some(db) = event
                    .target()
                    .and_then(|t| t.dyn_into::<IdbRequest>().ok())
                    .and_then(|r| r.result().ok())
                    .and_then(|r| r.dyn_into::<IdbDatabase>().ok())
                else {
                    return;
                };
                let names = db.object_store_names();
                for store in [CHUNKS, WORKSPACES] {
                    if !names.contains(store) {
                        // A failure here aborts the upgrade, which the open request reports.
                        let _ = db.create_object_store(store);
                    }
                }
            },
        );
        request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
        let result = finish(&request).await;
        request.set_onupgradeneeded(None);
        drop(upgrade);
        let db = result?
            .dyn_into::<IdbDatabase>()
            .map_err(|_| StorageError::Unavailable)?;
        Ok(Database { db })
    }

    /// Every chunk stored for `workspace`, as stored (not yet checked).
    pub async fn load_chunks(&self, workspace: &str) -> Result<Vec<StoredChunk>, StorageError> {
        let store = self.store(CHUNKS, IdbTransactionMode::Readonly)?;
        let range = workspace_range(workspace)?;
        let keys = store
            .get_all_keys_with_key(&range)
            .map_err(StorageError::from_js)?;
        let values = store
            .get_all_with_key(&range)
            .map_err(StorageError::from_js)?;
        let keys: Array = finish(&keys).await?.unchecked_into();
        let values: Array = finish(&values).await?.unchecked_into();
        let mut chunks = Vec::with_capacity(keys.length() as usize);
        for (key, value) in keys.iter().zip(values.iter()) {
            let Some(key) = parse_key(&key) else { continue };
            // A value that is not bytes at all loads as empty bytes, which the
            // checksum then reports as damaged.
            let bytes = value
                .dyn_into::<Uint8Array>()
                .map(|a| a.to_vec())
                .unwrap_or_default();
            chunks.push(StoredChunk { key, bytes });
        }
        Ok(chunks)
    }

    /// Stores one chunk under its key (used by [`Database::write`], and by
    /// tests that simulate damage).
    pub async fn put_chunk(
        &self,
        workspace: &str,
        chunk: &StoredChunk,
    ) -> Result<(), StorageError> {
        let tx = self.transaction(&[CHUNKS], IdbTransactionMode::Readwrite)?;
        let store = tx.object_store(CHUNKS).map_err(StorageError::from_js)?;
        put_bytes(&store, workspace, chunk)?;
        complete(&tx).await
    }

    /// Carries out a [`Write`]: the new chunk and the deletions it allows, in
    /// one transaction, so a crash never leaves a compaction half done.
    pub async fn write(&self, workspace: &str, write: &Write) -> Result<(), StorageError> {
        let tx = self.transaction(&[CHUNKS], IdbTransactionMode::Readwrite)?;
        let store = tx.object_store(CHUNKS).map_err(StorageError::from_js)?;
        put_bytes(&store, workspace, &write.put)?;
        for key in write.delete.iter().filter(|k| **k != write.put.key) {
            store
                .delete(&chunk_key(workspace, key))
                .map_err(StorageError::from_js)?;
        }
        complete(&tx).await
    }

    /// This browser's workspaces, newest first. Entries that cannot be read
    /// are left out (and left in storage).
    pub async fn workspaces(&self) -> Result<Vec<WorkspaceEntry>, StorageError> {
        let store = self.store(WORKSPACES, IdbTransactionMode::Readonly)?;
        let request = store.get_all().map_err(StorageError::from_js)?;
        let values: Array = finish(&request).await?.unchecked_into();
        let mut entries: Vec<WorkspaceEntry> = values
            .iter()
            .filter_map(|v| v.as_string())
            .filter_map(|json| entry_from_json(&json))
            .collect();
        sort_list(&mut entries, |a, b| b.created_at.cmp(&a.created_at));
        Ok(entries)
    }

    /// One workspace's entry, if this browser has it.
    pub async fn workspace(&self, id: &str) -> Result<Option<WorkspaceEntry>, StorageError> {
        let store = self.store(WORKSPACES, IdbTransactionMode::Readonly)?;
        let request = store
            .get(&JsValue::from_str(id))
            .map_err(StorageError::from_js)?;
        let value = finish(&request).await?;
        Ok(value.as_string().and_then(|json| entry_from_json(&json)))
    }

    /// Adds or updates a workspace in this browser's list.
    pub async fn put_workspace(&self, entry: &WorkspaceEntry) -> Result<(), StorageError> {
        let json = entry_to_json(entry)?;
        let tx = self.transaction(&[WORKSPACES], IdbTransactionMode::Readwrite)?;
        let store = tx.object_store(WORKSPACES).map_err(StorageError::from_js)?;
        store
            .put_with_key(&JsValue::from_str(&json), &JsValue::from_str(&entry.id))
            .map_err(StorageError::from_js)?;
        complete(&tx).await
    }

    /// Deletes a workspace from this browser: every chunk and its entry (with
    /// the keys of its share link), in one transaction.
    pub async fn remove_workspace(&self, id: &str) -> Result<(), StorageError> {
        let tx = self.transaction(&[CHUNKS, WORKSPACES], IdbTransactionMode::Readwrite)?;
        let chunks = tx.object_store(CHUNKS).map_err(StorageError::from_js)?;
        chunks
            .delete(&workspace_range(id)?.into())
            .map_err(StorageError::from_js)?;
        let entries = tx.object_store(WORKSPACES).map_err(StorageError::from_js)?;
        entries
            .delete(&JsValue::from_str(id))
            .map_err(StorageError::from_js)?;
        complete(&tx).await?;
        crate::storage::journal::remove_all(id);
        crate::storage::keys::remove_all(id);
        Ok(())
    }

    fn transaction(
        &self,
        stores: &[&str],
        mode: IdbTransactionMode,
    ) -> Result<web_sys::IdbTransaction, StorageError> {
        let names: Array = stores.iter().map(|s| JsValue::from_str(s)).collect();
        self.db
            .transaction_with_str_sequence_and_mode(&names, mode)
            .map_err(StorageError::from_js)
    }

    fn store(&self, name: &str, mode: IdbTransactionMode) -> Result<IdbObjectStore, StorageError> {
        self.transaction(&[name], mode)?
            .object_store(name)
            .map_err(StorageError::from_js)
    }

    /// Closes the connection (tests reopen the same database to prove persistence).
    pub fn close(&self) {
        self.db.close();
    }
}

fn put_bytes(
    store: &IdbObjectStore,
    workspace: &str,
    chunk: &StoredChunk,
) -> Result<(), StorageError> {
    let bytes = Uint8Array::from(chunk.bytes.as_slice());
    store
        .put_with_key(&bytes, &chunk_key(workspace, &chunk.key))
        .map_err(StorageError::from_js)?;
    Ok(())
}

fn chunk_key(workspace: &str, key: &ChunkKey) -> JsValue {
    Array::of3(
        &workspace.into(),
        &key.kind.as_str().into(),
        &key.hash.as_str().into(),
    )
    .into()
}

fn parse_key(value: &JsValue) -> Option<ChunkKey> {
    let parts = value.dyn_ref::<Array>()?;
    let kind = ChunkKind::parse(&parts.get(1).as_string()?)?;
    Some(ChunkKey {
        kind,
        hash: parts.get(2).as_string()?,
    })
}

/// Every key that starts with `[workspace, …]`: arrays sort after strings,
/// so `[workspace, []]` is above every `[workspace, "kind", "hash"]`.
fn workspace_range(workspace: &str) -> Result<IdbKeyRange, StorageError> {
    let lower = Array::of1(&workspace.into());
    let upper = Array::of2(&workspace.into(), &Array::new());
    IdbKeyRange::bound(&lower, &upper).map_err(StorageError::from_js)
}

/// Waits for a request's success (its result) or error.
async fn finish(request: &IdbRequest) -> Result<JsValue, StorageError> {
    let promise = Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    let outcome = JsFuture::from(promise).await;
    request.set_onsuccess(None);
    request.set_onerror(None);
    outcome.map_err(StorageError::from_js)?;
    request.result().map_err(StorageError::from_js)
}

/// Waits until a transaction has committed, or reports why it did not.
async fn complete(tx: &web_sys::IdbTransaction) -> Result<(), StorageError> {
    // Every request is issued: ask for the commit now instead of when this
    // task ends, so a page that closes meanwhile leaves a whole transaction
    // to finish. (web-sys marks `commit` deprecated only because not every
    // engine had it; where it is missing the call fails and auto-commit applies.)
    #[allow(deprecated)]
    let _ = tx.commit();
    let promise = Promise::new(&mut |resolve, reject| {
        tx.set_oncomplete(Some(&resolve));
        tx.set_onerror(Some(&reject));
        tx.set_onabort(Some(&reject));
    });
    JsFuture::from(promise).await.map(|_| ()).map_err(|e| {
        tx.error()
            .map(|ex| StorageError::from_js(ex.into()))
            .unwrap_or_else(|| StorageError::from_js(e))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
    use web_sys::DomException;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn a_full_disk_is_reported_as_such() {
        let full = DomException::new_with_message_and_name("quota", "QuotaExceededError").unwrap();
        assert_eq!(
            StorageError::from_js(full.into()),
            StorageError::QuotaExceeded
        );
        assert!(
            StorageError::QuotaExceeded
                .to_string()
                .contains("kept in this tab")
        );
    }

    #[wasm_bindgen_test]
    fn other_failures_carry_the_browsers_reason() {
        let other = DomException::new_with_message_and_name("gone", "InvalidStateError").unwrap();
        let StorageError::Failed(reason) = StorageError::from_js(other.into()) else {
            panic!("expected a plain failure");
        };
        assert_eq!(reason, "InvalidStateError: gone");
    }
}
