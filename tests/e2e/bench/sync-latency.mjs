// Measures, through a local relay, how long an edit made in one browser takes to show in
// another, and how many bytes each edit puts on the wire. A measurement, not a test: it prints
// a table and exits 0 unless the run could not be completed.
//
//   npm run bench:sync                 (from tests/e2e; the app and relay must be built)
//   EDITS=300 npm run bench:sync       (more edits; WARMUP, CHARTER_CHROMIUM also read)
//
// Each edit goes through the app's real command path, as a person would do it: A opens
// "Edit <title>", types one character at the end of the Description field and clicks
// "Save objective". The latency of an edit is Node's clock from just before that click to the
// moment B's DOM shows the new description (page.waitForFunction polling B's DOM), so it
// includes the CDP round trips of the measuring harness (the click alone is several). Bytes are the WebSocket payloads A's
// page sends (Chrome DevTools Protocol, Network.webSocketFrameSent), attributed to the edit
// during which they were sent.
//
// A breakdown of the same edits is printed below the totals, from clocks that are comparable
// across the two pages: A's submit event and B's DOM mutation (performance.timeOrigin +
// performance.now(), epoch ms, same machine), and the CDP timestamps of A's Append leaving and
// B's Entry arriving (one network service, one monotonic clock; mapped to epoch time through the
// handshake event's timestamp/wallTime pair).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { relayBinary } from '../target-dir.cjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../../..');
const RELAY = relayBinary();
const DIST = path.join(ROOT, 'dist');
const CHROMIUM = process.env.CHARTER_CHROMIUM ?? '/usr/bin/chromium';
const EDITS = Number(process.env.EDITS ?? 200);
const WARMUP = Number(process.env.WARMUP ?? 10);
const TOTAL_CAP_MS = 3 * 60_000;
const WAIT_MS = 10_000;
const TITLE = 'Bench objective';
// Postcard variant tags of the protocol's frames (src/sync/protocol.rs).
const CLIENT_FRAMES = ['Hello', 'Append', 'Snapshot', 'Ephemeral', 'Leave'];
const SERVER_FRAMES = ['Welcome', 'Ack', 'Entry', 'SnapshotEntry', 'Ephemeral', 'Error'];

const started = process.hrtime.bigint();
const elapsedMs = () => Number(process.hrtime.bigint() - started) / 1e6;
let relay;
let browser;
let dataDir;

async function cleanup() {
  if (browser) await browser.close().catch(() => {});
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
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

// The hard cap: whatever is happening, stop, clean up and say so.
const cap = setTimeout(async () => {
  console.error(`bench:sync: stopped at the ${TOTAL_CAP_MS / 1000} s cap`);
  await cleanup();
  process.exit(2);
}, TOTAL_CAP_MS);
cap.unref();

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
  dataDir = mkdtempSync(path.join(tmpdir(), 'charter-bench-'));
  relay = spawn(RELAY, ['--port', String(port), '--dist', DIST, '--data-dir', dataDir], {
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

function varint(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    if (byte === undefined) return [NaN, at];
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, at];
    shift += 7;
  }
}

/** Size of the sealed blob in an Append frame: tag, channel, request, then a length-prefixed blob. */
function appendBlobLength(bytes) {
  let at = 1;
  [, at] = varint(bytes, at);
  [, at] = varint(bytes, at);
  const [len] = varint(bytes, at);
  return len;
}

/** Bytes a client-to-server WebSocket frame adds around its payload (header + 4-byte mask). */
function wsHeader(len) {
  return (len < 126 ? 2 : len < 65_536 ? 4 : 10) + 4;
}

/** Records the WebSocket frames a page sends or receives, per edit. */
async function tapFrames(context, page, event) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const tap = { current: -1, frames: [], epochOffsetMs: NaN };
  cdp.on('Network.webSocketWillSendHandshakeRequest', ({ timestamp, wallTime }) => {
    tap.epochOffsetMs = wallTime * 1000 - timestamp * 1000;
  });
  cdp.on(event, ({ timestamp, response }) => {
    const bytes =
      response.opcode === 2
        ? Buffer.from(response.payloadData, 'base64')
        : Buffer.from(response.payloadData, 'utf8');
    tap.frames.push({ edit: tap.current, opcode: response.opcode, bytes, at: timestamp * 1000 });
  });
  return tap;
}

async function createWorkspace(page, base) {
  await page.goto(`${base}/`);
  const form = page.getByRole('form', { name: 'New workspace' });
  await form.getByRole('textbox', { name: 'Organisation name' }).fill('Bench Ltd');
  await form.getByRole('button', { name: 'Create workspace' }).click();
  await page.getByRole('heading', { level: 1, name: 'Bench Ltd' }).waitFor();
  await page.getByRole('button', { name: 'Add objective' }).click();
  const add = page.getByRole('form', { name: 'New objective' });
  await add.getByLabel('Title').fill(TITLE);
  await add.getByLabel('Target value').fill('5');
  await add.getByRole('button', { name: 'Save objective' }).click();
  await add.waitFor({ state: 'hidden' });
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  await page
    .getByRole('form', { name: 'Start sharing' })
    .getByRole('button', { name: 'Start sharing' })
    .click();
  const link = await page.getByRole('textbox', { name: 'Editor link' }).inputValue();
  await waitUpToDate(page);
  return link;
}

async function waitUpToDate(page) {
  await page
    .getByRole('status', { name: 'Sync state' })
    .filter({ hasText: 'Up to date' })
    .waitFor({ timeout: WAIT_MS });
}

async function join(page, link) {
  await page.goto(link);
  await page.getByRole('textbox', { name: 'Your name' }).fill('Bea Bench');
  await page.getByRole('button', { name: 'Join workspace' }).click();
  await page.getByRole('heading', { level: 2, name: 'Security objectives' }).waitFor();
  await page.getByRole('heading', { level: 3, name: TITLE, exact: true }).waitFor();
  await waitUpToDate(page);
}

/** B's description of the bench objective equals `expected`. */
function shown(expected) {
  const item = [...document.querySelectorAll('li.objective')].find(
    (li) => li.getAttribute('aria-label') === 'Bench objective',
  );
  const text = item?.querySelector('p.description')?.textContent ?? '';
  return text === expected;
}

/** Installs the in-page clocks: A notes each submit, B notes when its DOM shows `__benchExpected`. */
async function installClocks(pageA, pageB) {
  await pageA.evaluate(() => {
    document.addEventListener(
      'submit',
      () => {
        window.__benchSubmit = performance.timeOrigin + performance.now();
      },
      true,
    );
  });
  await pageB.evaluate((check) => {
    const shows = new Function(`return (${check})`)();
    window.__benchSeen = null;
    new MutationObserver(() => {
      const expected = window.__benchExpected;
      if (window.__benchSeen === null && expected !== undefined && shows(expected)) {
        window.__benchSeen = performance.timeOrigin + performance.now();
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  }, shown.toString());
}

function percentile(sorted, p) {
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

const ms = (v) => v.toFixed(1).padStart(8);
const num = (v) => (Number.isInteger(v) ? String(v) : v.toFixed(1)).padStart(8);

async function main() {
  const base = await startRelay();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const contextA = await browser.newContext();
  const contextB = await browser.newContext();
  const pageA = await contextA.newPage();
  const pageB = await contextB.newPage();
  const sent = await tapFrames(contextA, pageA, 'Network.webSocketFrameSent');
  const received = await tapFrames(contextB, pageB, 'Network.webSocketFrameReceived');

  const link = await createWorkspace(pageA, base);
  await join(pageB, link);
  const setupMs = elapsedMs();
  await installClocks(pageA, pageB);

  const edit = pageA.getByRole('button', { name: `Edit ${TITLE}`, exact: true });
  const form = pageA.getByRole('form', { name: 'Edit objective' });
  const description = form.getByLabel('Description');
  const save = form.getByRole('button', { name: 'Save objective' });
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let text = '';
  const latencies = [];
  const clocks = [];
  const total = WARMUP + EDITS;
  for (let i = 0; i < total; i++) {
    if (elapsedMs() > TOTAL_CAP_MS - 15_000) {
      console.error(`bench:sync: time cap near, stopping after ${latencies.length} measured edits`);
      break;
    }
    const index = i - WARMUP; // negative while warming up
    sent.current = index;
    received.current = index;
    const key = letters[i % letters.length];
    await edit.click();
    await description.press('Control+End');
    await description.press(key);
    text += key;
    await pageB.evaluate((t) => {
      window.__benchExpected = t;
      window.__benchSeen = null;
    }, text);
    const t0 = process.hrtime.bigint();
    // force: skips Playwright's actionability waits (two animation frames for "stable", the
    // hit-target probe), ~25 ms that measure Playwright rather than Charter. The form has been
    // on screen since the typing above; it is still a real mouse click on the button.
    await save.click({ force: true });
    const tClicked = process.hrtime.bigint();
    await pageB.waitForFunction(shown, text, { polling: 1, timeout: WAIT_MS });
    const t1 = process.hrtime.bigint();
    if (index >= 0) {
      latencies.push(Number(t1 - t0) / 1e6);
      const submit = await pageA.evaluate(() => window.__benchSubmit);
      const seen = await pageB.evaluate(() => window.__benchSeen);
      clocks.push({ edit: index, submit, seen, click: Number(tClicked - t0) / 1e6 });
    }
    await form.waitFor({ state: 'hidden' });
  }
  // Frames still in flight (an Ack, say) belong to the last edit.
  await waitUpToDate(pageA);
  await waitUpToDate(pageB);
  sent.current = received.current = -2;
  return { setupMs, latencies, clocks, sent, received };
}

function stats(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return [NaN, NaN, NaN, NaN];
  return [percentile(sorted, 50), percentile(sorted, 95), sorted[sorted.length - 1], sorted.length];
}

function breakdown({ latencies, clocks, sent, received }) {
  const firstOf = (frames, edit, tag) =>
    frames.find((f) => f.edit === edit && f.opcode === 2 && f.bytes[0] === tag);
  const legs = {
    'A submit -> Append sent': [],
    'relay (Append sent -> Entry received)': [],
    'Entry received -> B DOM': [],
    'A submit -> B DOM (in page)': [],
    'harness (total - in page)': [],
    'save.click() itself (Node)': [],
  };
  clocks.forEach(({ edit, submit, seen, click }, i) => {
    legs['save.click() itself (Node)'].push(click);
    const append = firstOf(sent.frames, edit, 1);
    const entry = firstOf(received.frames, edit, 2);
    const sentAt = append ? append.at + sent.epochOffsetMs : NaN;
    const receivedAt = entry ? entry.at + received.epochOffsetMs : NaN;
    legs['A submit -> Append sent'].push(sentAt - submit);
    legs['relay (Append sent -> Entry received)'].push(append && entry ? entry.at - append.at : NaN);
    legs['Entry received -> B DOM'].push(seen - receivedAt);
    legs['A submit -> B DOM (in page)'].push(seen - submit);
    legs['harness (total - in page)'].push(latencies[i] - (seen - submit));
  });
  console.log('');
  console.log('where the time goes, ms (clocks comparable across pages, see the header of this file)');
  console.log('leg                                          p50      p95      max  samples');
  for (const [name, values] of Object.entries(legs)) {
    const [p50, p95, max, count] = stats(values);
    console.log(`${name.padEnd(40)} ${ms(p50)} ${ms(p95)} ${ms(max)} ${String(count).padStart(8)}`);
  }
}

function report({ setupMs, latencies, clocks, sent, received }) {
  const n = latencies.length;
  if (n === 0) throw new Error('no edit was measured');
  const sorted = [...latencies].sort((a, b) => a - b);
  const mean = latencies.reduce((s, v) => s + v, 0) / n;
  const measured = (frames) => frames.filter((f) => f.edit >= 0);
  const countBy = (frames, names) => {
    const counts = {};
    for (const f of frames) {
      const name = f.opcode === 2 ? (names[f.bytes[0]] ?? `tag ${f.bytes[0]}`) : `opcode ${f.opcode}`;
      counts[name] ??= { frames: 0, bytes: 0 };
      counts[name].frames += 1;
      counts[name].bytes += f.bytes.length;
    }
    return counts;
  };
  const aSent = measured(sent.frames);
  const bReceived = measured(received.frames);
  const appends = aSent.filter((f) => f.opcode === 2 && f.bytes[0] === 1);
  const sum = (frames, fn) => frames.reduce((s, f) => s + fn(f), 0);
  const payload = sum(aSent, (f) => f.bytes.length);
  const onWire = sum(aSent, (f) => f.bytes.length + wsHeader(f.bytes.length));
  const blob = sum(appends, (f) => appendBlobLength(f.bytes));
  const editsWithAppend = new Set(appends.map((f) => f.edit)).size;

  console.log('');
  console.log(`Charter sync benchmark: ${n} measured edits (+${WARMUP} warm-up), one character each`);
  console.log(`setup ${(setupMs / 1000).toFixed(1)} s, total ${(elapsedMs() / 1000).toFixed(1)} s`);
  console.log('');
  console.log('edit in A (save click) -> shown in B, ms');
  console.log('     min      p50      p95      p99      max     mean');
  console.log(
    [sorted[0], percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99), sorted[n - 1], mean]
      .map(ms)
      .join(' '),
  );
  console.log('');
  console.log('A -> relay, per edit (WebSocket payloads; on-wire adds the WS header and mask, not TCP/IP)');
  console.log('frame            frames/edit  bytes/edit');
  for (const [name, c] of Object.entries(countBy(aSent, CLIENT_FRAMES))) {
    console.log(`${name.padEnd(16)} ${num(c.frames / n).padStart(11)} ${num(c.bytes / n).padStart(11)}`);
  }
  console.log(`${'all payloads'.padEnd(16)} ${num(aSent.length / n).padStart(11)} ${num(payload / n).padStart(11)}`);
  console.log(`${'all on the wire'.padEnd(16)} ${''.padStart(11)} ${num(onWire / n).padStart(11)}`);
  if (appends.length > 0) {
    const sealedOverhead = 24 + 16; // XChaCha20 nonce + Poly1305 tag
    const meanBlob = blob / appends.length;
    console.log(
      `Append: ${editsWithAppend}/${n} edits sent one; mean frame ${num(sum(appends, (f) => f.bytes.length) / appends.length).trim()} B = ` +
        `sealed blob ${meanBlob.toFixed(1)} B (nonce+tag ${sealedOverhead} B, Automerge change ${(meanBlob - sealedOverhead).toFixed(1)} B) ` +
        `+ frame fields ${(sum(appends, (f) => f.bytes.length) / appends.length - meanBlob).toFixed(1)} B`,
    );
  }
  console.log('');
  console.log('relay -> B, per edit');
  console.log('frame            frames/edit  bytes/edit');
  for (const [name, c] of Object.entries(countBy(bReceived, SERVER_FRAMES))) {
    console.log(`${name.padEnd(16)} ${num(c.frames / n).padStart(11)} ${num(c.bytes / n).padStart(11)}`);
  }
  breakdown({ latencies, clocks, sent, received });
}

try {
  report(await main());
  await cleanup();
  clearTimeout(cap);
} catch (error) {
  console.error(`bench:sync failed: ${error?.stack ?? error}`);
  await cleanup();
  process.exit(1);
}
