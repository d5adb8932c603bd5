// The comparison page's script (bundled by scripts/bench-browser.sh with esbuild into
// target/bench-dist/compare.js): the same workloads run by Charter's Rust Automerge (wasm,
// src/bench_exports.rs), npm @automerge/automerge and npm yjs, in one page of one browser.
// browser.mjs calls window.bench.run(library, workload, args) one workload at a time.
//
// Every workload returns the same fields for the three libraries, timed inside the library's
// own language (performance.now() in JavaScript here; the same clock called from Rust there),
// so the call from the harness is never counted.
import * as Automerge from '@automerge/automerge/slim';
import * as Y from 'yjs';
import initCharter, * as charter from './charter_bench.js';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const now = () => performance.now();

/** Plain numbers from a wasm-bindgen object, so that Playwright can return them. */
const plain = (object) => Object.fromEntries(Object.entries(object).map(([k, v]) => [k, Number(v)]));

function check(ok, what) {
  if (!ok) throw new Error(`${what}: the loaded document does not match`);
}

const automergeJs = {
  mapEntries({ entries }) {
    let started = now();
    let doc = Automerge.init();
    doc = Automerge.change(doc, (d) => {
      d.map = {};
      const map = d.map;
      for (let i = 0; i < entries; i++) map[`k${i}`] = i;
    });
    const create_ms = now() - started;
    started = now();
    const bytes = Automerge.save(doc);
    const save_ms = now() - started;
    started = now();
    const loaded = Automerge.load(bytes);
    const load_ms = now() - started;
    check(Object.keys(loaded.map).length === entries, 'map');
    Automerge.free(doc);
    Automerge.free(loaded);
    return { create_ms, save_ms, bytes: bytes.length, load_ms };
  },

  textSplices({ splices }) {
    let doc = Automerge.from({ text: '' });
    let started = now();
    for (let i = 0; i < splices; i++) {
      const letter = LETTERS[i % LETTERS.length];
      doc = Automerge.change(doc, (d) => Automerge.splice(d, ['text'], i, 0, letter));
    }
    const splice_ms = now() - started;
    started = now();
    const bytes = Automerge.save(doc);
    const save_ms = now() - started;
    started = now();
    const loaded = Automerge.load(bytes);
    const load_ms = now() - started;
    check(loaded.text.length === splices, 'text');
    Automerge.free(doc);
    Automerge.free(loaded);
    return { splice_ms, save_ms, bytes: bytes.length, load_ms };
  },

  concurrentMap({ edits, keys }) {
    const base = {};
    for (let k = 0; k < keys; k++) base[`k${k}`] = 0;
    let ada = Automerge.from({ map: base }, { actor: '01'.repeat(16) });
    let bob = Automerge.clone(ada, { actor: '02'.repeat(16) });
    let started = now();
    for (const [peer, get, set] of [
      [0, () => ada, (d) => (ada = d)],
      [1, () => bob, (d) => (bob = d)],
    ]) {
      for (let i = 0; i < edits; i++) {
        const key = `k${(i * 7 + peer) % keys}`;
        set(Automerge.change(get(), (d) => {
          d.map[key] = i;
        }));
      }
    }
    const edit_ms = now() - started;
    started = now();
    ada = Automerge.merge(ada, bob);
    const merge_ms = now() - started;
    const bytes = Automerge.save(ada);
    started = now();
    const loaded = Automerge.load(bytes);
    const load_ms = now() - started;
    check(Object.keys(loaded.map).length === keys, 'merged map');
    for (const d of [ada, bob, loaded]) Automerge.free(d);
    return { edit_ms, merge_ms, bytes: bytes.length, load_ms };
  },

  loadWorkspace({ bytes }) {
    const started = now();
    const doc = Automerge.load(bytes);
    const load_ms = now() - started;
    const changes = Automerge.getAllChanges(doc).length;
    Automerge.free(doc);
    return { load_ms, changes };
  },
};

const yjs = {
  mapEntries({ entries }) {
    let started = now();
    const doc = new Y.Doc();
    const map = doc.getMap('map');
    doc.transact(() => {
      for (let i = 0; i < entries; i++) map.set(`k${i}`, i);
    });
    const create_ms = now() - started;
    started = now();
    const bytes = Y.encodeStateAsUpdate(doc);
    const save_ms = now() - started;
    started = now();
    const loaded = new Y.Doc();
    Y.applyUpdate(loaded, bytes);
    const loadedMap = loaded.getMap('map');
    const load_ms = now() - started;
    check(loadedMap.size === entries, 'map');
    doc.destroy();
    loaded.destroy();
    return { create_ms, save_ms, bytes: bytes.length, load_ms };
  },

  textSplices({ splices }) {
    const doc = new Y.Doc();
    const text = doc.getText('text');
    let started = now();
    // Outside a transact() call each insert is its own transaction: Yjs's "one commit".
    for (let i = 0; i < splices; i++) text.insert(i, LETTERS[i % LETTERS.length]);
    const splice_ms = now() - started;
    started = now();
    const bytes = Y.encodeStateAsUpdate(doc);
    const save_ms = now() - started;
    started = now();
    const loaded = new Y.Doc();
    Y.applyUpdate(loaded, bytes);
    const loadedText = loaded.getText('text');
    const load_ms = now() - started;
    check(loadedText.length === splices, 'text');
    doc.destroy();
    loaded.destroy();
    return { splice_ms, save_ms, bytes: bytes.length, load_ms };
  },

  concurrentMap({ edits, keys }) {
    const ada = new Y.Doc();
    ada.clientID = 1;
    ada.transact(() => {
      const map = ada.getMap('map');
      for (let k = 0; k < keys; k++) map.set(`k${k}`, 0);
    });
    const bob = new Y.Doc();
    bob.clientID = 2;
    Y.applyUpdate(bob, Y.encodeStateAsUpdate(ada));
    let started = now();
    for (const [peer, doc] of [
      [0, ada],
      [1, bob],
    ]) {
      const map = doc.getMap('map');
      for (let i = 0; i < edits; i++) map.set(`k${(i * 7 + peer) % keys}`, i);
    }
    const edit_ms = now() - started;
    started = now();
    Y.applyUpdate(ada, Y.encodeStateAsUpdate(bob, Y.encodeStateVector(ada)));
    const merge_ms = now() - started;
    const bytes = Y.encodeStateAsUpdate(ada);
    started = now();
    const loaded = new Y.Doc();
    Y.applyUpdate(loaded, bytes);
    const loadedMap = loaded.getMap('map');
    const load_ms = now() - started;
    check(loadedMap.size === keys, 'merged map');
    for (const d of [ada, bob, loaded]) d.destroy();
    return { edit_ms, merge_ms, bytes: bytes.length, load_ms };
  },
};

const charterRust = {
  mapEntries: ({ entries }) => plain(charter.bench_map_entries(entries)),
  textSplices: ({ splices }) => plain(charter.bench_text_splices(splices)),
  concurrentMap: ({ edits, keys }) => plain(charter.bench_concurrent_map(edits, keys)),
  loadWorkspace: ({ bytes }) => plain(charter.bench_load_workspace(bytes)),
  keystrokes: ({ bytes, keystrokes }) =>
    plain(charter.bench_charter_keystrokes(bytes ?? new Uint8Array(), keystrokes)),
};

const libraries = { charter: charterRust, automerge: automergeJs, yjs };
let workspaceBytes = null;

window.bench = {
  async init() {
    const started = now();
    await Promise.all([
      initCharter({ module_or_path: 'charter_bench_bg.wasm' }),
      Automerge.initializeWasm('automerge.wasm'),
    ]);
    const response = await fetch('three-year.automerge');
    if (response.ok) workspaceBytes = new Uint8Array(await response.arrayBuffer());
    return { init_ms: now() - started, workspaceBytes: workspaceBytes?.length ?? 0 };
  },
  /** Runs one workload of one library; `workspace: true` passes the three-year document. */
  run(library, workload, args = {}) {
    const run = libraries[library]?.[workload];
    if (!run) return null;
    const withBytes = args.workspace ? { ...args, bytes: workspaceBytes } : args;
    return run(withBytes);
  },
};
