//! What this browser keeps about signing, per workspace, in `localStorage`:
//! its private device key (never in the shared document, never sent), the
//! founding key it first saw (trusted on first sight: a document whose
//! founder later changes verifies nothing here), and when it last heard each
//! participant's key in presence.

use std::collections::BTreeMap;

use crate::workspace::Millis;
use crate::workspace::signing::DeviceKey;

const DEVICE: &str = "charter.device.";
const FOUNDER: &str = "charter.founder.";
const SEEN: &str = "charter.seen.";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn get(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

fn set(key: &str, value: &str) -> bool {
    local_storage().is_some_and(|s| s.set_item(key, value).is_ok())
}

/// This browser's key for `workspace`, made and kept on first use. `None`
/// when the browser gives no secure randomness or no storage: the person
/// then cannot sign, and the pages say so.
pub fn device_key(workspace: &str) -> Option<DeviceKey> {
    let name = format!("{DEVICE}{workspace}");
    if let Some(key) = get(&name).and_then(|hex| DeviceKey::from_secret_hex(&hex)) {
        return Some(key);
    }
    let key = DeviceKey::generate().ok()?;
    set(&name, &key.secret_hex()).then_some(key)
}

/// Keeps `key` as this browser's key for `workspace` (a workspace created
/// here signs its founding from the start, before it has an id).
pub fn keep_device_key(workspace: &str, key: &DeviceKey) -> bool {
    set(&format!("{DEVICE}{workspace}"), &key.secret_hex())
}

/// The founding key this browser first saw for `workspace`; `founder` (as the
/// document says now) is pinned when none was, and returned.
pub fn pinned_founder(workspace: &str, founder: &str) -> Option<String> {
    let name = format!("{FOUNDER}{workspace}");
    match get(&name) {
        Some(pinned) => Some(pinned),
        None if !founder.is_empty() => {
            set(&name, founder);
            Some(founder.to_owned())
        }
        None => None,
    }
}

/// When this browser last heard each key (public, hex) in presence.
pub fn last_seen(workspace: &str) -> BTreeMap<String, Millis> {
    get(&format!("{SEEN}{workspace}"))
        .map(|text| {
            text.split(';')
                .filter_map(|pair| {
                    let (key, at) = pair.split_once('=')?;
                    Some((key.to_owned(), at.parse().ok()?))
                })
                .collect()
        })
        .unwrap_or_default()
}

thread_local! {
    /// When each key was last written down, so a heartbeat every ten
    /// seconds costs a write only once a minute.
    static WRITTEN: std::cell::RefCell<BTreeMap<String, Millis>> = Default::default();
}

/// Records that `keys` were heard at `now`, at most once a minute per key;
/// at most 256 keys are kept.
pub fn saw(workspace: &str, keys: &[String], now: Millis) {
    let fresh = WRITTEN.with_borrow_mut(|written| {
        keys.iter().any(|key| {
            let due = written.get(key).is_none_or(|at| now - at >= 60_000);
            if due {
                written.insert(key.clone(), now);
            }
            due
        })
    });
    if !fresh {
        return;
    }
    let mut seen = last_seen(workspace);
    for key in keys {
        if key.len() == 64 && key.bytes().all(|b| b.is_ascii_hexdigit()) {
            seen.insert(key.clone(), now);
        }
    }
    while seen.len() > 256 {
        let oldest = seen
            .iter()
            .min_by_key(|(_, at)| **at)
            .map(|(k, _)| k.clone());
        if let Some(key) = oldest {
            seen.remove(&key);
        }
    }
    let text: Vec<String> = seen.iter().map(|(k, at)| format!("{k}={at}")).collect();
    set(&format!("{SEEN}{workspace}"), &text.join(";"));
}

/// Forgets the key, the pinned founder and the last-seen times of
/// `workspace` (it is removed from this browser).
pub fn remove_all(workspace: &str) {
    if let Some(storage) = local_storage() {
        for prefix in [DEVICE, FOUNDER, SEEN] {
            let _ = storage.remove_item(&format!("{prefix}{workspace}"));
        }
    }
}
