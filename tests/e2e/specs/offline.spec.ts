// The app starts with no network once it has been opened (issue 10, point 1): a service worker
// keeps the build, edits made offline are stored and survive an offline reload, and a new
// build is offered with a button — never swapped in by itself.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { relayBinary } from '../target-dir.cjs';
import { addObjective, createWorkspace, objective, sameLocale, screenshot, waitUntilSaved } from './support';

/** Resolves once a service worker controls the page (it claims the page on activation). */
async function untilControlled(page: Page) {
  await page.waitForFunction(() => navigator.serviceWorker?.controller !== null && navigator.serviceWorker?.controller !== undefined);
}

/** The caches the app's service worker made. */
function appCaches(page: Page): Promise<string[]> {
  return page.evaluate(async () => (await caches.keys()).filter((key) => key.startsWith('charter-app-')));
}

test('once opened, the app starts and edits with no network, and keeps what was done offline', async ({
  page,
  context,
}) => {
  await page.goto('/');
  await untilControlled(page);
  await createWorkspace(page, 'Litware Offline');
  await addObjective(page, { title: 'Back up the finance share', target: '100', unit: '%' });
  await waitUntilSaved(page);
  const workspace = page.url();
  expect(await appCaches(page)).toHaveLength(1);
  // The manifest makes it installable: a name, a start page and icons the build serves.
  const manifest = await page.evaluate(async () => {
    const link = document.querySelector('link[rel="manifest"]') as HTMLLinkElement | null;
    return link ? await (await fetch(link.href)).json() : null;
  });
  expect(manifest).toMatchObject({ name: 'Charter', start_url: '/', display: 'standalone' });
  for (const icon of manifest.icons as { src: string; sizes: string }[]) {
    const response = await page.request.get(icon.src);
    expect(response.ok(), icon.src).toBe(true);
  }

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Litware Offline' })).toBeVisible();
  await expect(objective(page, 'Back up the finance share')).toBeVisible();
  await addObjective(page, { title: 'Written on the plane', target: '1', unit: 'test' });
  await waitUntilSaved(page);

  // A page of the app opened for the first time while offline starts too.
  await page.goto('/');
  await expect(page.getByRole('link', { name: 'Litware Offline' })).toBeVisible();
  await page.goto(workspace);
  await expect(objective(page, 'Written on the plane')).toBeVisible();
  await screenshot(page, 'offline-workspace');
  await context.setOffline(false);
});

test('a new build is offered with a button and reloading picks it up', async ({ browser: shared }) => {
  // A browser of its own: run after another journey in the same browser, the new version was
  // not offered within 30 s (the cause was not found; each context is fresh). A browser started
  // for this journey alone sees the update as a person's browser would.
  const browser = await shared.browserType().launch({
    executablePath: process.env.CHARTER_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
  // A relay of its own, serving a copy of the build that this test then replaces.
  const dist = mkdtempSync(path.join(tmpdir(), 'charter-dist-'));
  const data = mkdtempSync(path.join(tmpdir(), 'charter-data-'));
  cpSync(path.resolve(__dirname, '../../../dist'), dist, { recursive: true });
  const port = Number(process.env.CHARTER_E2E_PORT ?? 8099) + 7;
  const relay: ChildProcess = spawn(relayBinary(), ['--port', String(port), '--dist', dist, '--data-dir', data], {
    stdio: 'ignore',
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    await expect
      .poll(async () => (await fetch(`${base}/healthz`).then((r) => r.ok).catch(() => false)), { timeout: 15_000 })
      .toBe(true);
    const context = await browser.newContext({ baseURL: base, ...sameLocale() });
    const page = await context.newPage();
    await page.goto('/');
    await untilControlled(page);
    const [first] = await appCaches(page);
    await expect(page.getByRole('region', { name: 'New version' })).toHaveCount(0);

    // "Deploy" a new build: the service worker's version changes.
    const worker = path.join(dist, 'sw.js');
    const source = readFileSync(worker, 'utf8');
    const version = /const VERSION = '([0-9a-f]+)'/.exec(source)?.[1];
    expect(version).toBeTruthy();
    const { mtime } = statSync(worker);
    writeFileSync(worker, source.replace(`'${version}'`, `'${version}0'`));
    // A real deploy is seconds apart; here the copy and the change fall in one second, and a
    // server that validates by whole seconds would call the new worker unchanged.
    const later = new Date(mtime.getTime() + 2_000);
    utimesSync(worker, later, later);
    // The precompressed copies would still be the old build's.
    rmSync(`${worker}.br`, { force: true });
    rmSync(`${worker}.gz`, { force: true });

    // The next visit finds it; the page says so and waits for the person. The browser checks
    // for a new service worker on navigation; on a loaded machine that check was sometimes not
    // seen within the wait, so the page asks again, as its own periodic check would, until the
    // new version is offered. What the browser knew is printed if it never is.
    await page.reload();
    const banner = page.getByRole('region', { name: 'New version' });
    await expect
      .poll(
        async () => {
          if (await banner.isVisible()) {
            return 'offered';
          }
          return page.evaluate(async () => {
            const registration = await navigator.serviceWorker.getRegistration();
            await registration?.update().catch(() => undefined);
            const describe = (worker: ServiceWorker | null | undefined) =>
              worker ? `${worker.state}` : 'none';
            const served = await fetch('/sw.js', { cache: 'no-store' }).then((r) => r.text());
            return [
              `installing ${describe(registration?.installing)}`,
              `waiting ${describe(registration?.waiting)}`,
              `active ${describe(registration?.active)}`,
              `controlled ${navigator.serviceWorker.controller !== null}`,
              `caches ${(await caches.keys()).join(' ')}`,
              `served ${/const VERSION = '([0-9a-f]+)'/.exec(served)?.[1]}`,
            ].join(', ');
          });
        },
        { timeout: 45_000, intervals: [1_000, 2_000, 3_000] },
      )
      .toBe('offered');
    await expect(banner).toContainText('A new version of Charter is available.');
    await screenshot(page, 'update-available');
    expect(await appCaches(page)).toEqual(expect.arrayContaining([first]));
    await banner.getByRole('button', { name: 'Reload to update' }).click();
    await expect(page.getByRole('region', { name: 'New version' })).toHaveCount(0);
    await expect.poll(() => appCaches(page)).toEqual([`charter-app-${version}0`]);
    await context.close();
  } finally {
    relay.kill();
    await browser.close();
    rmSync(dist, { recursive: true, force: true });
    rmSync(data, { recursive: true, force: true });
  }
});

test('the profile page says how much this browser stores and whether it keeps it', async ({ page }) => {
  await createWorkspace(page, 'Litware Storage');
  await waitUntilSaved(page);
  await page.goto('/profile');
  const storage = page.getByRole('region', { name: 'Storage in this browser' });
  await expect(storage.getByLabel('Space used')).toHaveText(
    /^Charter uses \d+(\.\d)? (bytes|KB|MB|GB) here, of \d+(\.\d)? (KB|MB|GB|TB) this browser allows it\.$/,
  );
  const kept = storage.getByLabel('Kept by the browser');
  await expect(kept).toHaveText(/^(Kept: |Not guaranteed: )/);
  // Where it is not kept yet, the person can ask; either way the page says where it stands.
  const ask = storage.getByRole('button', { name: "Ask the browser to keep Charter's data" });
  if (await ask.isVisible()) {
    await ask.click();
    await expect(kept).toHaveText(/^(Kept: |Not guaranteed: )/);
  }
  await screenshot(page, 'profile-storage');
});
