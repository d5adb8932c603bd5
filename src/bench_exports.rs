//! The Rust side of the browser benchmarks (`bash scripts/bench-browser.sh`):
//! each workload runs wholly in wasm and returns its timings, so the page can
//! set them beside the same workloads run by npm `@automerge/automerge` and
//! `yjs` in the same browser. Built only with the `bench-exports` feature,
//! never into the shipped app.
//!
//! Times come from the page's `performance.now()` and are taken inside Rust,
//! so they exclude the call from JavaScript. Each function returns a plain
//! object of numbers (milliseconds, bytes, counts) named by its fields.

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{ActorId, AutoCommit, ObjType, ROOT, ReadDoc};
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::workspace::policies::{PolicyDraft, PolicyKind, PolicyStatus};
use crate::workspace::{Millis, WorkspaceDoc};

#[wasm_bindgen]
extern "C" {
    /// The page's high-resolution clock (`performance.now()`), in milliseconds.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// Builds the object a workload returns from `(name, value)` pairs.
fn report(fields: &[(&str, f64)]) -> Result<Object, JsValue> {
    let object = Object::new();
    for (name, value) in fields {
        Reflect::set(
            &object,
            &JsValue::from_str(name),
            &JsValue::from_f64(*value),
        )?;
    }
    Ok(object)
}

fn js_error(error: impl std::fmt::Display) -> JsValue {
    JsValue::from_str(&error.to_string())
}

/// The commit time automerge-js writes too (seconds), so both pay the same.
fn commit_now() -> CommitOptions {
    CommitOptions::default().with_time((js_sys::Date::now() / 1000.0) as i64)
}

/// A byte or change count as a JavaScript number (exact below 2^53).
fn count(n: usize) -> f64 {
    n as f64
}

/// Loads `bytes` and says how long it took.
fn timed_load(bytes: &[u8]) -> Result<(AutoCommit, f64), JsValue> {
    let started = performance_now();
    let doc = AutoCommit::load(bytes).map_err(js_error)?;
    Ok((doc, performance_now() - started))
}

/// The length of a policy's body in the document's text encoding, where the
/// splices count their positions.
fn body_length(ws: &mut WorkspaceDoc, id: &str) -> Result<usize, JsValue> {
    let doc = ws.automerge();
    let mut object = ROOT;
    for key in ["policies", id, "body"] {
        object = match doc.get(&object, key).map_err(js_error)? {
            Some((_, inner)) => inner,
            None => return Err(js_error(format!("the document has no {key} here"))),
        };
    }
    Ok(doc.length(&object))
}

/// The last few letters that `keystrokes` keystrokes typed (at most 26).
fn letters_typed(keystrokes: u32) -> String {
    let letters = "abcdefghijklmnopqrstuvwxyz";
    let n = keystrokes as usize;
    (n.saturating_sub(26)..n)
        .map(|i| char::from(letters.as_bytes()[i % 26]))
        .collect()
}

/// Bulk load: one commit that puts `entries` keys (`k0`… → integer) into a
/// map, then its save, its size and loading it back from those bytes.
/// Fields: `create_ms`, `save_ms`, `bytes`, `load_ms`.
#[wasm_bindgen]
pub fn bench_map_entries(entries: u32) -> Result<Object, JsValue> {
    let started = performance_now();
    let mut doc = AutoCommit::new();
    let map = doc
        .put_object(ROOT, "map", ObjType::Map)
        .map_err(js_error)?;
    for i in 0..entries {
        doc.put(&map, format!("k{i}"), i64::from(i))
            .map_err(js_error)?;
    }
    doc.commit_with(commit_now());
    let create_ms = performance_now() - started;

    let started = performance_now();
    let bytes = doc.save();
    let save_ms = performance_now() - started;
    let (loaded, load_ms) = timed_load(&bytes)?;
    if loaded.length(&map) != entries as usize {
        return Err(js_error("the loaded map lost entries"));
    }
    report(&[
        ("create_ms", create_ms),
        ("save_ms", save_ms),
        ("bytes", count(bytes.len())),
        ("load_ms", load_ms),
    ])
}

/// Typing: `splices` single-character inserts at the end of a text, one
/// commit each, then the save, its size and loading it back.
/// Fields: `splice_ms`, `save_ms`, `bytes`, `load_ms`.
#[wasm_bindgen]
pub fn bench_text_splices(splices: u32) -> Result<Object, JsValue> {
    let mut doc = AutoCommit::new();
    let text = doc
        .put_object(ROOT, "text", ObjType::Text)
        .map_err(js_error)?;
    doc.commit_with(commit_now());
    let letters = b"abcdefghijklmnopqrstuvwxyz";
    let started = performance_now();
    for i in 0..splices as usize {
        let letter = char::from(letters[i % letters.len()]);
        doc.splice_text(&text, i, 0, letter.encode_utf8(&mut [0; 4]))
            .map_err(js_error)?;
        doc.commit_with(commit_now());
    }
    let splice_ms = performance_now() - started;

    let started = performance_now();
    let bytes = doc.save();
    let save_ms = performance_now() - started;
    let (loaded, load_ms) = timed_load(&bytes)?;
    if loaded.length(&text) != splices as usize {
        return Err(js_error("the loaded text lost characters"));
    }
    report(&[
        ("splice_ms", splice_ms),
        ("save_ms", save_ms),
        ("bytes", count(bytes.len())),
        ("load_ms", load_ms),
    ])
}

/// Concurrent edits: two peers start from one map of `keys` entries, each
/// puts `edits` values into it (one commit each, on overlapping keys), then
/// one merges the other's changes. Fields: `edit_ms` (both peers' edits),
/// `merge_ms`, `bytes` (the merged document saved), `load_ms`.
#[wasm_bindgen]
pub fn bench_concurrent_map(edits: u32, keys: u32) -> Result<Object, JsValue> {
    let keys = keys.max(1);
    let mut ada = AutoCommit::new().with_actor(ActorId::from([1; 16]));
    let map = ada
        .put_object(ROOT, "map", ObjType::Map)
        .map_err(js_error)?;
    for k in 0..keys {
        ada.put(&map, format!("k{k}"), 0).map_err(js_error)?;
    }
    ada.commit_with(commit_now());
    let mut bob = ada.fork().with_actor(ActorId::from([2; 16]));

    let started = performance_now();
    for (peer, doc) in [&mut ada, &mut bob].into_iter().enumerate() {
        for i in 0..edits {
            let key = format!("k{}", (i * 7 + peer as u32) % keys);
            doc.put(&map, key, i64::from(i)).map_err(js_error)?;
            doc.commit_with(commit_now());
        }
    }
    let edit_ms = performance_now() - started;

    let started = performance_now();
    ada.merge(&mut bob).map_err(js_error)?;
    let merge_ms = performance_now() - started;

    let bytes = ada.save();
    let (loaded, load_ms) = timed_load(&bytes)?;
    if loaded.length(&map) != keys as usize {
        return Err(js_error("the merged map lost keys"));
    }
    report(&[
        ("edit_ms", edit_ms),
        ("merge_ms", merge_ms),
        ("bytes", count(bytes.len())),
        ("load_ms", load_ms),
    ])
}

/// Loads a saved document (the three-year workspace), then reads the whole
/// workspace from it as opening it does. Fields: `load_ms`, `read_ms`,
/// `changes`.
#[wasm_bindgen]
pub fn bench_load_workspace(bytes: &[u8]) -> Result<Object, JsValue> {
    let (mut doc, load_ms) = timed_load(bytes)?;
    let changes = doc.get_changes(&[]).len();
    let ws = WorkspaceDoc::from_automerge(doc, "Bench");
    let started = performance_now();
    ws.read().map_err(js_error)?;
    let read_ms = performance_now() - started;
    report(&[
        ("load_ms", load_ms),
        ("read_ms", read_ms),
        ("changes", count(changes)),
    ])
}

/// Charter's whole edit path for a keystroke in a policy text, `keystrokes`
/// times: `splice_policy_body` (one command, one commit), then
/// `take_changes` and `read_touched` into the state, as `OpenWorkspace::run`
/// does. On `workspace` (saved bytes) when given, typing into its first
/// policy; otherwise on a new workspace with one empty policy.
/// Fields: `total_ms`, `command_ms`, `changes_ms`, `read_ms` (sums over the
/// keystrokes), `setup_ms` (load or create, and the whole read).
#[wasm_bindgen]
pub fn bench_charter_keystrokes(workspace: &[u8], keystrokes: u32) -> Result<Object, JsValue> {
    let now = || js_sys::Date::now() as Millis;
    let started = performance_now();
    let (mut ws, id) = if workspace.is_empty() {
        let mut ws = WorkspaceDoc::create("Bench Ltd", "", "Bench", now()).map_err(js_error)?;
        let draft = PolicyDraft {
            title: "Acceptable use".to_owned(),
            kind: PolicyKind::TopicSpecific,
            owner: String::new(),
            review_due: String::new(),
        };
        let id = ws.add_policy(&draft, "", now()).map_err(js_error)?;
        (ws, id)
    } else {
        let doc = AutoCommit::load(workspace).map_err(js_error)?;
        let ws = WorkspaceDoc::from_automerge(doc, "Bench");
        let id = ws
            .read()
            .map_err(js_error)?
            .policies
            .into_iter()
            .find(|(_, policy)| policy.status != PolicyStatus::Retired)
            .map(|(id, _)| id)
            .ok_or_else(|| js_error("the workspace has no policy that can be edited"))?;
        (ws, id)
    };
    let mut state = ws.read().map_err(js_error)?;
    ws.track_changes();
    let setup_ms = performance_now() - started;

    let start_length = body_length(&mut ws, &id)?;
    let letters = b"abcdefghijklmnopqrstuvwxyz";
    let (mut command_ms, mut changes_ms, mut read_ms) = (0.0, 0.0, 0.0);
    let started = performance_now();
    for i in 0..keystrokes as usize {
        let letter = char::from(letters[i % letters.len()]);
        let t0 = performance_now();
        ws.splice_policy_body(
            &id,
            start_length + i,
            0,
            letter.encode_utf8(&mut [0; 4]),
            now(),
        )
        .map_err(js_error)?;
        let t1 = performance_now();
        let touched = ws.take_changes();
        let t2 = performance_now();
        ws.read_touched(&mut state, &touched).map_err(js_error)?;
        let t3 = performance_now();
        command_ms += t1 - t0;
        changes_ms += t2 - t1;
        read_ms += t3 - t2;
    }
    let total_ms = performance_now() - started;
    if body_length(&mut ws, &id)? != start_length + keystrokes as usize
        || !state.policies[&id]
            .body
            .as_str()
            .ends_with(letters_typed(keystrokes).as_str())
    {
        return Err(js_error("the state's policy text lost keystrokes"));
    }
    report(&[
        ("total_ms", total_ms),
        ("command_ms", command_ms),
        ("changes_ms", changes_ms),
        ("read_ms", read_ms),
        ("setup_ms", setup_ms),
    ])
}
