//! The last-moment copy of unsaved changes. IndexedDB writes are
//! asynchronous, and a tab that is closed while one waits behind another may
//! lose it. When a page is hidden or closed, the changes not yet stored are
//! also put, synchronously, in `localStorage` under a key of their own
//! (workspace and tab); the next opening of the workspace merges them and
//! removes the key once they are in IndexedDB.
//!
//! Only the changes after the last stored heads go here (a few keystrokes,
//! usually), never the workspace itself; anything larger than
//! [`MAX_JOURNAL_BYTES`] is left to IndexedDB alone.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::storage::chunks::check_framing;

const PREFIX: &str = "charter.unsaved.";

/// The most unsaved bytes copied to `localStorage` (its quota is a few MB
/// for the whole site).
pub const MAX_JOURNAL_BYTES: usize = 512 * 1024;

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn workspace_prefix(workspace: &str) -> String {
    format!("{PREFIX}{workspace}.")
}

/// The key under which `tab` keeps the unsaved changes of `workspace`.
pub fn key(workspace: &str, tab: &str) -> String {
    format!("{}{tab}", workspace_prefix(workspace))
}

/// Copies `changes` under `key` at once. False when they could not be kept
/// (too large, storage full or blocked): IndexedDB is then the only copy.
pub fn put(key: &str, changes: &[u8]) -> bool {
    if changes.len() > MAX_JOURNAL_BYTES {
        return false;
    }
    local_storage().is_some_and(|s| s.set_item(key, &STANDARD.encode(changes)).is_ok())
}

/// Every tab's unsaved changes of `workspace`, as (key, bytes). A copy that
/// does not decode to Automerge changes comes back as `None`, to be removed.
pub fn read(workspace: &str) -> Vec<(String, Option<Vec<u8>>)> {
    let Some(storage) = local_storage() else {
        return Vec::new();
    };
    let prefix = workspace_prefix(workspace);
    let length = storage.length().unwrap_or(0);
    (0..length)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|key| key.starts_with(&prefix))
        .map(|key| {
            let bytes = storage
                .get_item(&key)
                .ok()
                .flatten()
                .and_then(|text| STANDARD.decode(text).ok())
                .filter(|bytes| check_framing(bytes).is_ok());
            (key, bytes)
        })
        .collect()
}

/// Forgets the copy under `key` (its changes are stored in IndexedDB).
pub fn remove(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}

/// Forgets every tab's copy for `workspace` (it is removed from this browser).
pub fn remove_all(workspace: &str) {
    for (key, _) in read(workspace) {
        remove(&key);
    }
}
