// Charter's browser benchmarks (issue 8): measurements, not tests. Run through
// `bash scripts/bench-browser.sh`, which builds what is missing and passes the paths below; it
// prints a Markdown report and writes it to docs/benchmarks/browser.md.
//
// In headless Chromium (the machine's /usr/bin/chromium), against the relay serving dist/ on a
// free port with a temporary data directory:
//   1. opening the three-year workspace from IndexedDB to its rendered overview (reloads);
//   2. keystroke to paint in the policy text editor of that workspace;
//   3. an edit in A shown in B through the relay (sync-latency.mjs, and the policy text);
//   4. the page's memory once the three-year workspace is open;
//   5. Charter's Rust Automerge (wasm) beside npm @automerge/automerge and yjs, same page;
//   6. the bundle's compressed sizes and a twiggy profile of the wasm before wasm-opt.
// Each part that cannot run says why in the report instead of stopping the others.
//
// Environment (set by the script; the defaults suit a run from the repository root):
//   RELOADS (5), KEYSTROKES (200), SYNC_KEYS (100), SYNC_EDITS (100), REPS (3),
//   BENCH_APP_DIST (dist), BENCH_COMPARE_DIR (target/bench-dist), BENCH_TWIGGY_WASM (target/twiggy/charter_bg.wasm),
//   BENCH_OUT (docs/benchmarks/browser.md), BENCH_BUDGET (776195), CHARTER_CHROMIUM,
//   BENCH_ONLY (e.g. 5,6: only those sections).
import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { relayBinary } from '../target-dir.cjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../../..');
const env = process.env;
const RELAY = relayBinary();
// A copy of dist/ taken when the run starts (the script's), so a build meanwhile changes nothing here.
const DIST = path.resolve(ROOT, env.BENCH_APP_DIST ?? 'dist');
const COMPARE_DIR = path.resolve(ROOT, env.BENCH_COMPARE_DIR ?? 'target/bench-dist');
const TWIGGY_WASM = path.resolve(ROOT, env.BENCH_TWIGGY_WASM ?? 'target/twiggy/charter_bg.wasm');
const OUT = path.resolve(ROOT, env.BENCH_OUT ?? 'docs/benchmarks/browser.md');
const CHROMIUM = env.CHARTER_CHROMIUM ?? '/usr/bin/chromium';
const RELOADS = Number(env.RELOADS ?? 5);
const KEYSTROKES = Number(env.KEYSTROKES ?? 200);
const SYNC_KEYS = Number(env.SYNC_KEYS ?? 100);
const SYNC_EDITS = Number(env.SYNC_EDITS ?? 100);
const REPS = Number(env.REPS ?? 3);
// BENCH_ONLY=5,6 measures only those sections (while working on one of them).
const ONLY = env.BENCH_ONLY ? new Set(env.BENCH_ONLY.split(',').map(Number)) : null;
const wanted = (n) => !ONLY || ONLY.has(n);
const BUDGET = Number(env.BENCH_BUDGET ?? 776_195);
const WARMUP_KEYS = 10;
const OPEN_TIMEOUT = 240_000;
const WAIT_MS = 15_000;
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const started = Date.now();
const log = (...args) => console.error(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s]`, ...args);
// The report is written section by section (measured in another order); `section(n)` picks one.
const sections = new Map();
let current = [];
sections.set(0, current);
const out = (line = '') => current.push(line);
function section(n, title) {
  current = [];
  sections.set(n, current);
  if (title) {
    out(title);
    out();
  }
}

// ---------------------------------------------------------------------------------------------
// Numbers and tables

function percentile(sorted, p) {
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

function summary(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  return {
    n: sorted.length,
    min: sorted[0],
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
  };
}

const median = (values) => summary(values)?.p50 ?? NaN;
const msText = (v) => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v.toFixed(1)) : 'n/a');
const bytesText = (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-GB') : 'n/a');
const mibText = (v) => (Number.isFinite(v) ? `${(v / 2 ** 20).toFixed(1)} MiB` : 'n/a');

function table(header, rows) {
  out(`| ${header.join(' | ')} |`);
  out(`|${header.map((h, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
  for (const row of rows) out(`| ${row.join(' | ')} |`);
  out();
}

function failed(section, error) {
  const message = String(error?.message ?? error).split('\n')[0];
  log(`${section} failed: ${error?.stack ?? error}`);
  out(`**Not measured in this run**: ${message}`);
  out();
}

// ---------------------------------------------------------------------------------------------
// Relay, static server, browser

let relay;
let relayDataDir;
let staticServer;
let browser;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startRelay() {
  const port = await freePort();
  relayDataDir = mkdtempSync(path.join(os.tmpdir(), 'charter-bench-'));
  relay = spawn(RELAY, ['--port', String(port), '--dist', DIST, '--data-dir', relayDataDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  relay.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4_000);
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (relay.exitCode !== null) throw new Error(`the relay exited:\n${stderr}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) return base;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the relay did not answer /healthz at ${base}:\n${stderr}`);
}

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.automerge': 'application/octet-stream',
};

/** Serves the comparison page's directory (no CSP: it is not the app). */
async function startStaticServer(dir) {
  const port = await freePort();
  staticServer = createHttpServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/+/, '') || 'compare.html';
    const file = path.join(dir, name);
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => staticServer.listen(port, '127.0.0.1', resolve));
  return `http://127.0.0.1:${port}`;
}

async function cleanup() {
  if (browser) await browser.close().catch(() => {});
  if (staticServer) staticServer.close();
  if (relay && relay.exitCode === null) {
    relay.kill('SIGTERM');
    await new Promise((resolve) => {
      const force = setTimeout(() => {
        relay.kill('SIGKILL');
        resolve();
      }, 5_000);
      relay.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
    });
  }
  if (relayDataDir) rmSync(relayDataDir, { recursive: true, force: true });
}

/** A new context whose pages keep the app's wasm exports (Trunk's TrunkApplicationStarted). */
async function newContext() {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    addEventListener('TrunkApplicationStarted', (event) => {
      window.__charterWasm = event.detail?.wasm ?? null;
    });
  });
  return context;
}

// ---------------------------------------------------------------------------------------------
// The app: opening, sharing, joining

async function startPage(page, base) {
  await page.goto(`${base}/`);
  await page.getByRole('button', { name: 'Open a sample workspace' }).waitFor({ timeout: 60_000 });
}

/** Opens the three-year sample (or, while the app has no such button, the small sample). */
async function openSample(page, base, { large }) {
  await startPage(page, base);
  const three = page.getByRole('button', { name: 'Open a three-year sample' });
  const useLarge = large && (await three.count()) > 0;
  await (useLarge ? three : page.getByRole('button', { name: 'Open a sample workspace' })).click();
  await page.waitForURL(/\/w\/[^/]+\/overview$/, { timeout: OPEN_TIMEOUT });
  return { kind: useLarge ? 'three-year sample' : 'small sample', url: page.url() };
}

/**
 * Waits for the overview and returns its times, ms from navigation start: from the app's
 * User Timing marks `charter:open-start` and `charter:overview-ready` (set by the app), or,
 * when the app sets no such mark, the frame in which the dashboard's tiles were first found.
 */
async function overviewTimes(page, useMarks) {
  const handle = await page.waitForFunction(
    (useMarks) => {
      const ready = performance.getEntriesByName('charter:overview-ready')[0];
      const marks = Object.fromEntries(
        performance
          .getEntriesByType('mark')
          .filter((m) => m.name.startsWith('charter:'))
          .map((m) => [m.name, m.startTime]),
      );
      if (ready) return { ready: ready.startTime, marks, method: 'marks' };
      if (!useMarks && document.querySelector('section.dashboard .tile')) {
        return { ready: performance.now(), marks, method: 'DOM poll' };
      }
      return null;
    },
    useMarks,
    { timeout: OPEN_TIMEOUT, polling: 'raf' },
  );
  return handle.jsonValue();
}

async function waitUpToDate(page) {
  await page
    .getByRole('status', { name: 'Sync state' })
    .filter({ hasText: 'Up to date' })
    .waitFor({ timeout: 60_000 });
}

async function share(page) {
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  await page
    .getByRole('form', { name: 'Start sharing' })
    .getByRole('button', { name: 'Start sharing' })
    .click();
  const link = await page.getByRole('textbox', { name: 'Editor link' }).inputValue();
  await waitUpToDate(page);
  return link;
}

async function join(page, link) {
  await page.goto(link);
  await page.getByRole('textbox', { name: 'Your name' }).fill('Bea Bench');
  await page.getByRole('button', { name: 'Join workspace' }).click();
  await page.waitForURL(/\/w\/[^/?#]+/, { timeout: 60_000 });
  await waitUpToDate(page);
}

async function goToSection(page, name) {
  await page.getByRole('navigation', { name: 'Workspace sections' }).getByRole('link', { name }).click();
}

/** Opens the editor again after the old form's Save closed it. */
async function reopenPolicyEditor(page, editor) {
  const item = page.getByRole('listitem', { name: editor.title, exact: true });
  await item.getByRole('button', { name: 'Edit text', exact: true }).click();
  await editor.text.click();
  await editor.text.press('Control+End');
  return editor;
}

/** The first policy of the list that is not retired (a retired policy's text cannot change). */
async function firstPolicy(page) {
  const item = page
    .getByRole('list', { name: 'Policies' })
    .locator(':scope > li')
    .filter({ hasNotText: 'Retired' })
    .first();
  await item.waitFor({ timeout: 60_000 });
  return { item, title: await item.getAttribute('aria-label') };
}

/** Shows a policy's detail (its text), when the list shows policies folded. */
async function unfoldPolicy(page, title) {
  const open = page.getByRole('button', { name: `Open ${title}`, exact: true });
  if ((await open.count()) > 0) await open.click();
}

/**
 * Opens the first editable policy's text editor with the caret at the end; says whether the
 * editor saves each keystroke (the live editor has no Save button).
 */
async function openPolicyEditor(page) {
  await goToSection(page, 'Policies');
  const { item, title } = await firstPolicy(page);
  await unfoldPolicy(page, title);
  const edit = item.getByRole('button', { name: 'Edit text', exact: true });
  await edit.click();
  const text = item.getByLabel('Policy text', { exact: true });
  await text.waitFor();
  await text.click();
  await text.press('Control+End');
  const save = item.getByRole('button', { name: 'Save text', exact: true });
  return { text, title, live: (await save.count()) === 0, save };
}

// ---------------------------------------------------------------------------------------------
// 1, 2, 4: the three-year workspace in one page

async function measureOpen(page, base) {
  section(1, '## 1. Opening the three-year workspace');
  log('1. opening the sample (downloading and storing it the first time)');
  const t0 = Date.now();
  const opened = await openSample(page, base, { large: true });
  await overviewTimes(page, false);
  const firstOpenS = (Date.now() - t0) / 1000;
  // Does this build set the mark? (It is set a frame after the tiles are in the page.)
  const useMarks = await page
    .waitForFunction(() => performance.getEntriesByName('charter:overview-ready').length > 0, null, { timeout: 5_000 })
    .then(() => true, () => false);
  log(`   ${opened.kind} open after ${firstOpenS.toFixed(1)} s; ${RELOADS} reloads`);
  const runs = [];
  for (let i = 0; i < RELOADS; i++) {
    await page.reload({ waitUntil: 'commit' });
    const times = await overviewTimes(page, useMarks);
    runs.push(times);
    log(`   reload ${i + 1}: overview at ${times.ready.toFixed(0)} ms (${times.method})`);
  }
  const method = runs.every((r) => r.method === 'marks') ? 'marks' : 'DOM poll';
  if (opened.kind !== 'three-year sample') {
    out(
      '**The start page has no "Open a three-year sample" button yet: these rows are the small ' +
        'sample ("Open a sample workspace"), not the three-year workspace.**',
    );
    out();
  }
  out(
    `${opened.kind}; first open (download, store, open) ${firstOpenS.toFixed(1)} s by the harness's clock. ` +
      `Then ${RELOADS} reloads of \`/w/<id>/overview\` (the app's files from the browser cache, the ` +
      `workspace from IndexedDB); times in ms from navigation start, ` +
      (method === 'marks'
        ? 'from the app\'s User Timing marks `charter:open-start` and `charter:overview-ready` ' +
          '(set in the frame after the overview is built).'
        : 'to the first animation frame in which the dashboard\'s tiles were in the page (the app set no ' +
          '`charter:overview-ready` mark).'),
  );
  out();
  const rows = [];
  const add = (name, values) => {
    const s = summary(values);
    rows.push([name, msText(s?.p50), msText(s?.min), msText(s?.max), String(s?.n ?? 0)]);
  };
  add('navigation start → overview ready', runs.map((r) => r.ready));
  const openStart = runs.map((r) => r.marks['charter:open-start']);
  if (openStart.some(Number.isFinite)) {
    add('navigation start → `charter:open-start`', openStart);
    add('`charter:open-start` → overview ready', runs.map((r) => r.ready - r.marks['charter:open-start']));
  } else {
    rows.push(['`charter:open-start` → overview ready', 'no mark', '', '', '0']);
  }
  const others = new Set(runs.flatMap((r) => Object.keys(r.marks)));
  for (const name of [...others].sort()) {
    if (name === 'charter:open-start' || name === 'charter:overview-ready') continue;
    add(`navigation start → \`${name}\``, runs.map((r) => r.marks[name]));
  }
  table(['ms', 'p50', 'min', 'max', 'reloads'], rows);
  return opened;
}

async function measureMemory(context, page, opened) {
  section(4, '## 4. Page memory with the three-year workspace open');
  log('4. memory');
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name) => metrics.find((m) => m.name === name)?.value;
  const page_ = await page.evaluate(() => ({
    wasm: window.__charterWasm?.memory?.buffer?.byteLength ?? null,
    heap: performance.memory
      ? { used: performance.memory.usedJSHeapSize, total: performance.memory.totalJSHeapSize }
      : null,
    nodes: document.getElementsByTagName('*').length,
  }));
  await cdp.detach();
  out(
    `${opened.kind}, after the last reload above and a forced garbage collection (CDP ` +
      '`HeapProfiler.collectGarbage`); JS heap from CDP `Performance.getMetrics`; wasm memory is the ' +
      "app's `WebAssembly.Memory` (`buffer.byteLength`, the exports Trunk's loader passes in its " +
      '`TrunkApplicationStarted` event): linear memory only grows, so this is its high-water mark.',
  );
  out();
  table(
    ['memory', 'bytes', ''],
    [
      ['JS heap used', bytesText(metric('JSHeapUsedSize')), mibText(metric('JSHeapUsedSize'))],
      ['JS heap total', bytesText(metric('JSHeapTotalSize')), mibText(metric('JSHeapTotalSize'))],
      [
        'wasm linear memory',
        page_.wasm === null ? 'not reachable' : bytesText(page_.wasm),
        page_.wasm === null ? '' : mibText(page_.wasm),
      ],
      ['DOM elements', bytesText(metric('Nodes') ?? page_.nodes), 'count (CDP `Nodes`: all DOM nodes)'],
    ],
  );
}

/** Records keydown → next paint for every key typed into a textarea of this page. */
async function installKeyClock(page) {
  await page.evaluate(() => {
    const clock = { samples: [], handled: [], waiters: [], start: null };
    clock.until = (n) =>
      new Promise((resolve) => {
        if (clock.samples.length >= n) return resolve(true);
        const timer = setTimeout(() => resolve(false), 5_000);
        clock.waiters.push({ n, resolve: (v) => (clearTimeout(timer), resolve(v)) });
      });
    document.addEventListener(
      'keydown',
      (event) => {
        if (!(event.target instanceof HTMLTextAreaElement)) return;
        const start = event.timeStamp;
        clock.start = start;
        requestAnimationFrame(() => {
          // The rAF callback runs before this frame's style, layout and paint; a message posted
          // from it is delivered once the frame has been produced.
          const channel = new MessageChannel();
          channel.port1.onmessage = () => {
            clock.samples.push(performance.now() - start);
            clock.waiters = clock.waiters.filter((w) => (clock.samples.length >= w.n ? (w.resolve(true), false) : true));
          };
          channel.port2.postMessage(null);
        });
      },
      true,
    );
    // The app's own part: keydown → its input handler done (this listener runs after the
    // field's own, in the bubbling phase; the microtask after the ones that handler queued).
    document.addEventListener('input', (event) => {
      if (!(event.target instanceof HTMLTextAreaElement) || clock.start === null) return;
      const start = clock.start;
      clock.start = null;
      queueMicrotask(() => clock.handled.push(performance.now() - start));
    });
    window.__keyClock = clock;
  });
}

async function measureKeystrokes(page, opened) {
  section(2, '## 2. Keystroke to paint in the policy text editor');
  log('2. keystrokes');
  const editor = await openPolicyEditor(page);
  const before = await editor.text.inputValue();
  await installKeyClock(page);
  // BENCH_TRACE=file.json records a Chromium performance trace of the typing (where the time goes).
  const tracing = env.BENCH_TRACE ? page.context().browser() : null;
  if (tracing) {
    await tracing.startTracing(page, {
      path: path.resolve(env.BENCH_TRACE),
      categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'v8.execute'],
    });
  }
  // BENCH_PROFILE=file.cpuprofile records a V8 CPU profile of the typing (open it in DevTools).
  const profiler = env.BENCH_PROFILE ? await page.context().newCDPSession(page) : null;
  if (profiler) {
    await profiler.send('Profiler.enable');
    await profiler.send('Profiler.setSamplingInterval', { interval: 100 });
    await profiler.send('Profiler.start');
  }
  let typed = '';
  const total = WARMUP_KEYS + KEYSTROKES;
  let lost = 0;
  for (let i = 0; i < total; i++) {
    const key = LETTERS[i % LETTERS.length];
    await page.keyboard.press(key);
    typed += key;
    if (!(await page.evaluate((n) => window.__keyClock.until(n), i + 1))) lost++;
  }
  if (tracing) await tracing.stopTracing();
  if (profiler) {
    const { profile } = await profiler.send('Profiler.stop');
    writeFileSync(path.resolve(env.BENCH_PROFILE), JSON.stringify(profile));
  }
  const samples = (await page.evaluate(() => window.__keyClock.samples)).slice(WARMUP_KEYS);
  const handled = (await page.evaluate(() => window.__keyClock.handled)).slice(WARMUP_KEYS);
  const after = await editor.text.inputValue();
  const arrived = after === before + typed;
  const s = summary(samples);
  const h = summary(handled);
  out(
    `${opened.kind}, the first policy that is not retired on \`/w/<id>/policies\` ("${editor.title}"), **Edit text**, the caret at the end of ` +
      `the text; ${KEYSTROKES} keys (+${WARMUP_KEYS} warm-up) pressed one at a time with Playwright's ` +
      '`page.keyboard.press` (real CDP key events), the next key only once the previous one was painted. ' +
      'Measured inside the page: the keydown event\'s `timeStamp` → a `MessageChannel` message posted from ' +
      'the next `requestAnimationFrame` callback, i.e. once the frame that shows the key has been ' +
      `produced. Editor: ${editor.live ? 'live (each keystroke is saved at once)' : 'the form with a **Save text** button (keystrokes are not saved until Save; the live editor was not in this build)'}; ` +
      `typed text ${arrived ? 'found in the field afterwards' : '**not** found whole in the field afterwards'}` +
      `${lost ? `; ${lost} keys without a measured paint in 5 s` : ''}.`,
  );
  out();
  table(
    ['ms', 'p50', 'p95', 'p99', 'max', 'keys'],
    [
      ['policy text: keydown → paint', msText(s?.p50), msText(s?.p95), msText(s?.p99), msText(s?.max), String(s?.n ?? 0)],
      ['of which keydown → input handled', msText(h?.p50), msText(h?.p95), msText(h?.p99), msText(h?.max), String(h?.n ?? 0)],
    ],
  );
  out();
  out(
    'The second row is the app\'s own part: from the keydown to the end of the field\'s `input` handler ' +
      '(the splice, its commit, the patch-driven state update, the posts to other tabs and the relay). ' +
      'The rest is the browser inserting the character and waiting for its next frame: at 60 frames a ' +
      'second a key pressed just after a frame began waits up to 16.7 ms for the next one, whatever the page does.',
  );
}

// ---------------------------------------------------------------------------------------------
// 3: edit in A shown in B

/** Runs sync-latency.mjs (its own relay and browser) and picks its totals. */
async function runSyncLatency() {
  const script = path.join(HERE, 'sync-latency.mjs');
  const child = spawn(process.execPath, [script], {
    cwd: path.resolve(HERE, '..'),
    env: { ...env, EDITS: String(SYNC_EDITS) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const code = await new Promise((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`sync-latency.mjs exited with ${code}: ${stderr.trim().split('\n').pop()}`);
  const lines = stdout.split('\n');
  const header = lines.findIndex((l) => l.startsWith('edit in A (save click) -> shown in B'));
  const values = lines[header + 2]?.trim().split(/\s+/).map(Number);
  const measured = Number(stdout.match(/: (\d+) measured edits/)?.[1]);
  if (header < 0 || !values || values.length < 6) throw new Error('sync-latency.mjs printed no totals');
  const [min, p50, p95, p99, max] = values;
  const legsAt = lines.findIndex((l) => l.startsWith('where the time goes'));
  const legs = legsAt < 0 ? [] : lines.slice(legsAt, legsAt + 8).filter((l) => l.trim() !== '');
  const inPage = lines
    .find((l) => l.startsWith('A submit -> B DOM (in page)'))
    ?.slice('A submit -> B DOM (in page)'.length)
    .trim()
    .split(/\s+/)
    .map(Number);
  return { min, p50, p95, p99, max, n: measured, legs, inPage, stdout };
}

/** A types into a shared policy's text; B's page shows each character. */
async function measureTextSync(base) {
  const contextA = await newContext();
  const contextB = await newContext();
  try {
    const a = await contextA.newPage();
    const b = await contextB.newPage();
    await openSample(a, base, { large: false });
    await a.getByRole('button', { name: 'Share', exact: true }).waitFor();
    const link = await share(a);
    await join(b, link);
    let editor = await openPolicyEditor(a);
    await goToSection(b, 'Policies');
    await unfoldPolicy(b, editor.title);
    await b.getByRole('region', { name: `Text of ${editor.title}`, exact: true }).waitFor().catch(() => {});
    await waitUpToDate(b);
    await a.evaluate(() => {
      const clock = { keydown: NaN, submit: NaN };
      const epoch = (t) => performance.timeOrigin + t;
      document.addEventListener('keydown', (e) => (clock.keydown = epoch(e.timeStamp)), true);
      document.addEventListener('submit', (e) => (clock.submit = epoch(e.timeStamp)), true);
      window.__syncClock = clock;
    });
    await b.evaluate(() => {
      const clock = { expected: null, seen: NaN, resolve: null };
      const check = () => {
        if (clock.expected === null || !Number.isNaN(clock.seen)) return;
        if (document.body.textContent.includes(clock.expected)) {
          clock.seen = performance.timeOrigin + performance.now();
          clock.resolve?.(true);
        }
      };
      new MutationObserver(check).observe(document.body, { subtree: true, childList: true, characterData: true });
      clock.expect = (text) => {
        clock.expected = text;
        clock.seen = NaN;
        return new Promise((resolve) => {
          clock.resolve = resolve;
          setTimeout(() => resolve(false), 10_000);
          check();
        });
      };
      window.__syncClock = clock;
    });
    // A run of letters no policy contains, so that B's page shows it only once A typed it.
    let typed = 'qzx';
    for (const key of typed) await a.keyboard.press(key);
    if (!editor.live) {
      await editor.save.click();
      editor = await reopenPolicyEditor(a, editor);
    }
    const latencies = [];
    const total = WARMUP_KEYS + SYNC_KEYS;
    let missed = 0;
    for (let i = 0; i < total; i++) {
      const key = LETTERS[i % LETTERS.length];
      typed += key;
      const seen = b.evaluate((text) => window.__syncClock.expect(text), typed);
      await a.keyboard.press(key);
      if (!editor.live) await editor.save.click({ force: true });
      const ok = await seen;
      const startAt = await a.evaluate((live) => (live ? window.__syncClock.keydown : window.__syncClock.submit), editor.live);
      const seenAt = await b.evaluate(() => window.__syncClock.seen);
      if (!ok) missed++;
      if (i >= WARMUP_KEYS && ok) latencies.push(seenAt - startAt);
      if (!editor.live) editor = await reopenPolicyEditor(a, editor);
    }
    return { latencies, live: editor.live, missed };
  } finally {
    await contextA.close();
    await contextB.close();
  }
}

async function measureSync(base) {
  section(3, '## 3. An edit in A shown in B, through the local relay');
  log('3. sync: an objective edit (sync-latency.mjs)');
  const rows = [];
  const notes = [];
  let legs = [];
  try {
    const r = await runSyncLatency();
    rows.push(['objective description: save click → B\'s DOM (sync-latency.mjs, Node\'s clock)', msText(r.p50), msText(r.p95), msText(r.max), String(r.n)]);
    if (r.inPage?.length >= 4) {
      rows.push(['objective description: A\'s submit event → B\'s DOM (in-page clocks)', msText(r.inPage[0]), msText(r.inPage[1]), msText(r.inPage[2]), String(r.inPage[3])]);
    }
    legs = r.legs;
    notes.push(
      '*Objective*: `tests/e2e/bench/sync-latency.mjs` (its own relay and browser): A types one character ' +
        'into an objective\'s description and clicks **Save objective**; Node\'s clock from before the click ' +
        'to B\'s DOM showing it, which includes the harness\'s CDP round trips of the click; the in-page row ' +
        'is the same edits from A\'s submit event to B\'s DOM mutation. Its breakdown:',
    );
    log(r.stdout);
  } catch (error) {
    log(`sync-latency.mjs failed: ${error?.stack ?? error}`);
    rows.push(['objective description (sync-latency.mjs)', 'failed', '', '', String(error.message).split('\n')[0]]);
  }
  log('3. sync: policy text typed in A, shown in B');
  try {
    const r = await measureTextSync(base);
    const s = summary(r.latencies);
    rows.push([
      r.live ? 'policy text: keydown in A → B\'s DOM' : 'policy text: Save text in A → B\'s DOM',
      msText(s?.p50),
      msText(s?.p95),
      msText(s?.max),
      String(s?.n ?? 0),
    ]);
    notes.push(
      '*Policy text*: the small sample ("Open a sample workspace"), shared by A and joined by B in two ' +
        `browser contexts; A types ${SYNC_KEYS} letters (+${WARMUP_KEYS} warm-up) at the end of the first ` +
        `editable policy's text (B has that policy open), one at a time, each once B showed the one before. ` +
        (r.live
          ? 'The live editor saves each keystroke; from A\'s keydown `timeStamp` '
          : 'This build\'s editor saves on **Save text** (clicked after each key, then the editor is opened again); from A\'s submit event ') +
        'to the MutationObserver callback in which B\'s page first contains the typed text ' +
        '(`performance.timeOrigin + now()` in both pages: one machine, one clock)' +
        `${r.missed ? `; ${r.missed} keys not seen by B within 10 s` : ''}.`,
    );
  } catch (error) {
    log(`text sync failed: ${error?.stack ?? error}`);
    rows.push(['policy text', 'failed', '', '', String(error.message).split('\n')[0]]);
  }
  table(['ms', 'p50', 'p95', 'max', 'edits'], rows);
  for (const note of notes) {
    out(note);
    out();
    if (note.startsWith('*Objective*') && legs.length) {
      out('```');
      for (const line of legs) out(line);
      out('```');
      out();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 5: Charter's Rust Automerge beside automerge-js and Yjs

const LIBRARIES = [
  ['charter', 'Charter (Rust automerge 0.12, wasm)'],
  ['automerge', `@automerge/automerge ${packageVersion('@automerge/automerge')}`],
  ['yjs', `yjs ${packageVersion('yjs')}`],
];

/** The version of an installed npm package, looked up as Node would resolve it from here. */
function packageVersion(name) {
  for (let dir = HERE; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'node_modules', name, 'package.json');
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')).version;
  }
  return '';
}

const WORKLOADS = [
  {
    id: 'mapEntries',
    args: { entries: 100_000 },
    title: 'Bulk map: 100,000 entries put in one commit',
    metrics: [
      ['create_ms', 'create'],
      ['save_ms', 'save'],
      ['bytes', 'saved size'],
      ['load_ms', 'cold load of the saved bytes'],
    ],
  },
  {
    id: 'textSplices',
    args: { splices: 20_000 },
    title: 'Text: 20,000 single-character splices at the end, one commit each',
    metrics: [
      ['splice_ms', '20,000 splices'],
      ['save_ms', 'save'],
      ['bytes', 'saved size'],
      ['load_ms', 'cold load of the saved bytes'],
    ],
  },
  {
    id: 'concurrentMap',
    args: { edits: 5_000, keys: 1_000 },
    title: 'Concurrent map edits: two peers of one 1,000-key map each put 5,000 values (one commit each, overlapping keys), then merge',
    metrics: [
      ['edit_ms', "both peers' edits"],
      ['merge_ms', 'merge'],
      ['bytes', 'merged, saved size'],
      ['load_ms', 'cold load of the merged document'],
    ],
  },
  {
    id: 'loadWorkspace',
    args: { workspace: true },
    libraries: ['charter', 'automerge'],
    title: "Charter's three-year workspace (its saved bytes): load",
    metrics: [
      ['load_ms', 'load'],
      ['read_ms', "Charter's whole read of the workspace (after load)"],
      ['changes', 'changes in the document'],
    ],
  },
  {
    id: 'keystrokes',
    args: { keystrokes: 20_000 },
    libraries: ['charter'],
    title: "Charter's edit path on a new workspace: 20,000 keystrokes, each splice_policy_body + take_changes + read_touched",
    metrics: [
      ['total_ms', '20,000 keystrokes'],
      ['command_ms', 'of which splice_policy_body (command + commit)'],
      ['changes_ms', 'of which take_changes (patches)'],
      ['read_ms', 'of which read_touched (state)'],
    ],
    perKey: 20_000,
  },
  {
    id: 'keystrokes',
    args: { keystrokes: 2_000, workspace: true },
    libraries: ['charter'],
    title: "Charter's edit path in the three-year workspace: 2,000 keystrokes into its first editable policy",
    metrics: [
      ['setup_ms', 'load + whole read (once)'],
      ['total_ms', '2,000 keystrokes'],
      ['command_ms', 'of which splice_policy_body'],
      ['changes_ms', 'of which take_changes'],
      ['read_ms', 'of which read_touched'],
    ],
    perKey: 2_000,
  },
];

/** Size of a file of the comparison page's directory. */
function fileSize(name) {
  const file = path.join(COMPARE_DIR, name);
  return existsSync(file) ? statSync(file).size : NaN;
}

async function measureComparison() {
  section(5, "## 5. Charter's Rust Automerge beside @automerge/automerge and Yjs");
  log('5. comparison page');
  const base = await startStaticServer(COMPARE_DIR);
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${base}/compare.html`);
    await page.waitForFunction(() => window.bench, null, { timeout: 60_000 }).catch(() => {
      throw new Error(`the comparison page did not start: ${errors.join('; ') || 'no window.bench'}`);
    });
    const init = await page.evaluate(() => window.bench.init());
    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.enable');
    const results = {}; // key → library → metric → [values]
    for (let rep = 0; rep < REPS; rep++) {
      for (const [w, workload] of WORKLOADS.entries()) {
        if (workload.args.workspace && init.workspaceBytes === 0) continue;
        const libs = (workload.libraries ?? LIBRARIES.map(([id]) => id)).slice();
        // A different library goes first in each repetition.
        for (let k = 0; k < rep % libs.length; k++) libs.push(libs.shift());
        for (const lib of libs) {
          await cdp.send('HeapProfiler.collectGarbage');
          const t = Date.now();
          const r = await page.evaluate(([l, id, args]) => window.bench.run(l, id, args), [lib, workload.id, workload.args]);
          log(`   rep ${rep + 1} ${workload.id} ${lib}: ${JSON.stringify(r)} (${Date.now() - t} ms)`);
          results[w] ??= {};
          results[w][lib] ??= {};
          for (const [metric, value] of Object.entries(r ?? {})) (results[w][lib][metric] ??= []).push(value);
        }
      }
    }
    await cdp.detach();
    out(
      `One page, one browser, one run: the same workloads written for each library, ${REPS} repetitions ` +
        '(each library first once), median shown; a garbage collection (CDP) before each run. Times are taken ' +
        "inside each library's language (`performance.now()`: from JavaScript for automerge-js and Yjs, called " +
        "from Rust for Charter's side), so the call from the harness is not counted; sizes are the saved bytes " +
        "(Automerge `save`, Yjs `encodeStateAsUpdate`). Charter's side is `src/bench_exports.rs` built with " +
        '`--features bench-exports` as a wasm library (`cargo rustc --crate-type cdylib`, the release profile, ' +
        'wasm-bindgen, `wasm-opt -O1`: as the app ships, without the UI). automerge-js runs its own wasm ' +
        '(`automerge.wasm`, loaded by its `/slim` entry) behind its JavaScript proxies, and materialises the ' +
        'document as JavaScript objects on load, as an app using it would. A ratio below 1 means Charter took ' +
        `less time or bytes. The page's set-up (compiling both wasm modules, fetching the workspace) took ${msText(init.init_ms)} ms. ` +
        `Files: \`charter_bench_bg.wasm\` ${bytesText(fileSize('charter_bench_bg.wasm'))} B, automerge-js's ` +
        `\`automerge.wasm\` ${bytesText(fileSize('automerge.wasm'))} B, the bundled JavaScript (automerge-js and Yjs) ` +
        `${bytesText(fileSize('compare.js'))} B; the three-year workspace ${bytesText(init.workspaceBytes)} B.`,
    );
    out();
    for (const [w, workload] of WORKLOADS.entries()) {
      out(`**${workload.title}**`);
      out();
      if (!results[w]) {
        out('Not measured: no three-year workspace file was found for the comparison page.');
        out();
        continue;
      }
      const libs = LIBRARIES.filter(([id]) => results[w][id]);
      const header = ['', ...libs.map(([, name]) => name)];
      const ratios = libs.filter(([id]) => id !== 'charter').map(([id, name]) => [id, `Charter / ${name.split(' ')[0]}`]);
      header.push(...ratios.map(([, n]) => n));
      const rows = [];
      for (const [metric, label] of workload.metrics) {
        const values = Object.fromEntries(libs.map(([id]) => [id, median(results[w][id][metric] ?? [])]));
        if (libs.every(([id]) => !Number.isFinite(values[id]))) continue;
        const isBytes = metric === 'bytes';
        const isCount = metric === 'changes';
        const unit = isBytes ? ' (B)' : isCount ? '' : ' (ms)';
        const show = (v) => (isBytes || isCount ? bytesText(v) : msText(v));
        rows.push([
          label + unit,
          ...libs.map(([id]) => show(values[id])),
          ...ratios.map(([id]) => {
            const ratio = values.charter / values[id];
            return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : 'n/a';
          }),
        ]);
        if (workload.perKey && metric === 'total_ms') {
          rows.push([
            'per keystroke (µs)',
            ...libs.map(([id]) => (Number.isFinite(values[id]) ? (values[id] * 1000 / workload.perKey).toFixed(1) : 'n/a')),
            ...ratios.map(() => ''),
          ]);
        }
      }
      table(header, rows);
    }
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------------------
// 6: bundle

function compressedSize(file, command) {
  return Number(execFileSync('sh', ['-c', `${command} < "$1" | wc -c`, 'sh', file], { encoding: 'utf8' }).trim());
}

function measureBundle() {
  section(6, '## 6. Bundle');
  log('6. bundle sizes and twiggy');
  const files = readdirSync(DIST)
    .filter((f) => /\.(wasm|js|css)$/.test(f))
    .sort();
  const rows = [];
  const total = { raw: 0, gzip: 0, brotli: 0 };
  for (const f of files) {
    const file = path.join(DIST, f);
    const size = {
      raw: statSync(file).size,
      gzip: compressedSize(file, 'gzip -9 -c'),
      brotli: compressedSize(file, 'brotli -q 11 -c'),
    };
    for (const k of Object.keys(total)) total[k] += size[k];
    rows.push([`\`${f}\``, bytesText(size.raw), bytesText(size.gzip), bytesText(size.brotli)]);
  }
  rows.push(['**total**', bytesText(total.raw), bytesText(total.gzip), `**${bytesText(total.brotli)}**`]);
  const left = BUDGET - total.brotli;
  out(
    `\`dist/\` as built (\`trunk build --release\`: wasm-opt -O1; the copy this run served), each file compressed here with \`gzip -9\` and ` +
      `\`brotli -q 11\`. Budget: ${bytesText(BUDGET)} B brotli in total; this build is ` +
      `${left >= 0 ? `${bytesText(left)} B under it` : `**${bytesText(-left)} B over it**`} ` +
      `(${((total.brotli / BUDGET) * 100).toFixed(1)} %).`,
  );
  out();
  table(['file', 'raw', 'gzip -9', 'brotli -q 11'], rows);

  if (!existsSync(TWIGGY_WASM)) {
    out(`No twiggy profile: ${path.relative(ROOT, TWIGGY_WASM)} was not built.`);
    out();
    return;
  }
  const rawSize = statSync(TWIGGY_WASM).size;
  out(
    `twiggy 0.8 on the wasm **before** wasm-opt (\`cargo build --release --target wasm32-unknown-unknown ` +
      `--bin charter\`, then \`wasm-bindgen --target web\`: names kept), ${bytesText(rawSize)} B; the shipped ` +
      'file is smaller (wasm-opt -O1 removes and simplifies code), so read these as shares, not as the ' +
      'download. Shallow sizes, before compression.',
  );
  out();
  const top = execFileSync('twiggy', ['top', '-n', '25', TWIGGY_WASM], { encoding: 'utf8', maxBuffer: 64 << 20 });
  out('`twiggy top -n 25`:');
  out();
  out('```');
  for (const line of top.trimEnd().split('\n')) out(line.length > 160 ? `${line.slice(0, 157)}...` : line);
  out('```');
  out();
  const csv = execFileSync('twiggy', ['top', '-f', 'csv', TWIGGY_WASM], { encoding: 'utf8', maxBuffer: 256 << 20 });
  const groups = new Map();
  let all = 0;
  let names = 0;
  for (const line of csv.split('\n').slice(1)) {
    const item = csvItem(line);
    if (!item) continue;
    if (item.name === '"function names" subsection') {
      names += item.size;
      continue;
    }
    all += item.size;
    const group = crateOf(item.name);
    groups.set(group, (groups.get(group) ?? 0) + item.size);
  }
  const sorted = [...groups.entries()].sort((a, b) => b[1] - a[1]);
  const shown = sorted.slice(0, 30);
  const rest = sorted.slice(30).reduce((s, [, v]) => s + v, 0);
  out(
    'Per crate: every item of `twiggy top -f csv` summed by the first path segment of its name (a generic ' +
      "instance counts for the crate that defines the function, so `core`/`alloc` hold other crates' " +
      "monomorphised code; `<T as Trait>::f` counts for `T`'s crate); data segments, tables and unnamed " +
      `items are grouped as they are. Shares leave out the names section (${bytesText(names)} B), which ` +
      'wasm-opt removes from the shipped file.',
  );
  out();
  table(
    ['crate', 'bytes', 'share'],
    [
      ...shown.map(([g, v]) => [`\`${g}\``, bytesText(v), `${((v / all) * 100).toFixed(1)} %`]),
      ...(rest ? [[`${sorted.length - shown.length} others`, bytesText(rest), `${((rest / all) * 100).toFixed(1)} %`]] : []),
      ['**all items but the names section**', bytesText(all), '100 %'],
    ],
  );
}

/** One row of twiggy's CSV: the (possibly quoted) name and the shallow size. */
function csvItem(line) {
  let name;
  let rest;
  if (line.startsWith('"')) {
    let i = 1;
    name = '';
    for (;;) {
      const q = line.indexOf('"', i);
      if (q < 0) return null;
      name += line.slice(i, q);
      if (line[q + 1] === '"') {
        name += '"';
        i = q + 2;
      } else {
        rest = line.slice(q + 2);
        break;
      }
    }
  } else {
    const comma = line.indexOf(',');
    if (comma < 0) return null;
    name = line.slice(0, comma);
    rest = line.slice(comma + 1);
  }
  const size = Number(rest.split(',')[0]);
  return Number.isFinite(size) && rest !== '' ? { name, size } : null;
}

/** The crate an item belongs to, from its demangled name. */
function crateOf(name) {
  let n = name.trim().replace(/\[[0-9a-f]{16}\]/g, ''); // `core[c5930c85a12de822]::…`
  if (/^(data|code|elem|type|table|memory|global)\[\d+\]$/.test(n)) return n.replace(/\[\d+\]$/, '[…]');
  if (n.startsWith('data segment')) return 'data segments';
  if (n.startsWith('import ')) return 'imports (JS glue)';
  if (n.startsWith('export ')) return 'exports';
  if (n.startsWith('"') || n.includes(' section') || n.includes('subsection')) return 'wasm sections and headers';
  if (n.startsWith('__wbg') || n.startsWith('__wbindgen') || n.startsWith('wasm_bindgen')) return 'wasm_bindgen';
  while (/^[<&*(]/.test(n)) n = n.replace(/^[<&*(]+/, '').replace(/^(mut|const|dyn) /, '');
  // `<T as tachys::view::Render>::build`: a generic or primitive type, so the trait's crate.
  const viaTrait = n.match(/^[A-Za-z0-9_\[\]; ]+ as ([A-Za-z_][A-Za-z0-9_]*)::/)?.[1];
  if (viaTrait && !n.match(/^[a-z_][a-z0-9_]*::/)) return viaTrait;
  return n.match(/^([A-Za-z_][A-Za-z0-9_]*)::/)?.[1] ?? 'other (no crate path)';
}

// ---------------------------------------------------------------------------------------------
// Report

function git(...args) {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

function header(base) {
  const cpus = os.cpus();
  const commit = git('rev-parse', '--short=12', 'HEAD');
  const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
  const wasm = readdirSync(DIST).find((f) => f.endsWith('.wasm'));
  const wasmFile = wasm ? path.join(DIST, wasm) : null;
  const chromiumVersion = browser.version();
  out('# Browser benchmarks');
  out();
  out(
    'Measured by `bash scripts/bench-browser.sh` (tests/e2e/bench/browser.mjs): measurements, not tests; ' +
      'every number below comes from this run. The native benchmarks are in [native.md](native.md).',
  );
  out();
  table(
    ['', ''],
    [
      ['date', new Date().toISOString().replace(/\.\d+Z$/, ' UTC').replace('T', ' ')],
      [
        'machine',
        `${cpus.length} cores, ${cpus[0]?.model?.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ` +
          `${os.type()} ${os.release()}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' / ')} (1 / 5 / 15 min) at the start`,
      ],
      ['browser', `Chromium ${chromiumVersion} (headless, ${CHROMIUM}), Playwright ${packageVersion('@playwright/test')}`],
      ['commit', `${commit}${dirty ? ' with uncommitted changes in the working tree' : ''}`],
      [
        'build',
        `release: \`trunk build --release\` (opt-level z, fat LTO, wasm-opt -O1)` +
          (wasmFile
            ? `; \`dist/${wasm}\` ${bytesText(statSync(wasmFile).size)} B raw, ${bytesText(compressedSize(wasmFile, 'brotli -q 11 -c'))} B brotli, built ${statSync(wasmFile).mtime.toISOString().replace(/\.\d+Z$/, ' UTC').replace('T', ' ')}`
            : ''),
      ],
      [
        'relay',
        `target/release/charter-relay on ${base} with a temporary data directory, serving ` +
          `${path.relative(ROOT, DIST)}/` + (DIST.endsWith(`${path.sep}dist`) ? '' : ' (a copy of dist/ taken at the start)'),
      ],
    ],
  );
}

async function main() {
  const base = await startRelay();
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  header(base);
  const context = await newContext();
  const page = await context.newPage();
  let opened = null;
  if (wanted(1) || wanted(2) || wanted(4)) {
    try {
      opened = await measureOpen(page, base);
    } catch (error) {
      failed('opening', error);
    }
  }
  const needsOpen = [
    [4, '## 4. Page memory with the three-year workspace open', () => measureMemory(context, page, opened)],
    [2, '## 2. Keystroke to paint in the policy text editor', () => measureKeystrokes(page, opened)],
  ];
  // Memory right after the last reload, before typing adds to it.
  for (const [n, title, measure] of needsOpen) {
    if (!wanted(n)) continue;
    if (!opened) {
      section(n, title);
      out('**Not measured**: the workspace did not open (section 1).');
      out();
      continue;
    }
    try {
      await measure();
    } catch (error) {
      section(n, title);
      failed(title, error);
    }
  }
  await context.close();
  const rest = [
    [3, '## 3. An edit in A shown in B, through the local relay', () => measureSync(base)],
    [5, "## 5. Charter's Rust Automerge beside @automerge/automerge and Yjs", () => measureComparison()],
    [6, '## 6. Bundle', async () => measureBundle()],
  ];
  for (const [n, title, measure] of rest) {
    if (!wanted(n)) continue;
    try {
      await measure();
    } catch (error) {
      section(n, title);
      failed(title, error);
    }
  }
  section(7);
  out(`Total run time of the measurements: ${((Date.now() - started) / 1000).toFixed(0)} s.`);
}

try {
  await main();
} catch (error) {
  failed('the run', error);
}
await cleanup();
const text = [...sections.entries()]
  .sort(([a], [b]) => a - b)
  .flatMap(([, lines]) => lines)
  .join('\n')
  .replace(/\n+$/, '\n');
console.log(text);
mkdirSync(path.dirname(OUT), { recursive: true });
writeFileSync(OUT, text);
log(`written to ${path.relative(ROOT, OUT)}`);
