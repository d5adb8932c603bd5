// Sync going wrong and coming back: a relay that answers garbage cannot touch local work, and
// edits made offline are kept in this browser and reach the others once the connection returns,
// even when the page was closed in between.
import { randomBytes } from 'node:crypto';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { addObjective, createWorkspace, fillObjective, objective, sameLocale, waitUntilSaved } from './support';

function syncState(page: Page) {
  return page.getByRole('status', { name: 'Sync state' });
}

async function startSharing(page: Page) {
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const start = page.getByRole('form', { name: 'Start sharing' });
  await expect(start.getByLabel('Relay address')).toHaveValue(/^http:\/\/127\.0\.0\.1:\d+$/);
  await start.getByRole('button', { name: 'Start sharing' }).click();
}

async function share(page: Page): Promise<string> {
  await startSharing(page);
  const editor = await page.getByRole('textbox', { name: 'Editor link' }).inputValue();
  expect(editor).toMatch(/\/join#k=[A-Za-z0-9_-]{43}&relay=/);
  await expect(syncState(page)).toContainText('Up to date');
  return editor;
}

async function join(browser: Browser, baseURL: string | undefined, link: string, name: string) {
  const context = await browser.newContext({ baseURL, ...sameLocale() });
  const page = await context.newPage();
  await page.goto(link);
  await expect(page.getByRole('heading', { level: 1, name: 'Join a shared workspace' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Your name' }).fill(name);
  await page.getByRole('button', { name: 'Join workspace' }).click();
  await expect(page).toHaveURL(/\/w\/[^/?#]+$/);
  return { context, page };
}

async function editTarget(page: Page, title: string, target: string) {
  await page.getByRole('button', { name: `Edit ${title}`, exact: true }).click();
  const form = page.getByRole('form', { name: 'Edit objective' });
  await fillObjective(form, { target });
  await form.getByRole('button', { name: 'Save objective' }).click();
  await expect(form).toBeHidden();
}

/**
 * Random bytes that are certainly not a frame: the first byte (the frame's variant tag, a
 * varint) is forced to 0x7f, far past the last variant, so no run can decode by chance.
 */
function garbage(): Buffer {
  const bytes = randomBytes(8 + Math.floor(Math.random() * 120));
  bytes[0] = 0x7f;
  return bytes;
}

test('a relay that answers garbage is reported and leaves local work untouched', async ({ page }) => {
  await createWorkspace(page, 'Fabrikam');
  await addObjective(page, { title: 'Encrypt backups', target: '100', unit: '%' });
  await waitUntilSaved(page);

  // Stands in for the relay: every message from the app is answered with bytes that are no
  // frame, until `broken` is false: then connections go through to the real relay.
  let received = 0;
  let broken = true;
  await page.routeWebSocket(/\/sync$/, (ws) => {
    if (!broken) {
      ws.connectToServer();
      return;
    }
    ws.onMessage(() => {
      received += 1;
      ws.send(garbage());
      ws.send(garbage());
    });
  });

  await startSharing(page);
  const warning = page.getByRole('alert').filter({ hasText: 'The relay sent data Charter cannot read' });
  await expect(warning).toBeVisible();
  // Said once, however much garbage arrives.
  await expect(warning).toHaveCount(1);
  expect(received).toBeGreaterThan(0);
  await expect(syncState(page)).not.toContainText('Up to date');
  await expect(objective(page, 'Encrypt backups')).toContainText('100%');
  await expect(page.getByRole('textbox', { name: 'Editor link' })).toBeVisible();
  await waitUntilSaved(page);

  // Local work goes on, and survives a reload while the relay still answers garbage.
  await addObjective(page, { title: 'Rotate keys', target: '4', unit: 'rotations' });
  await waitUntilSaved(page);
  const before = received;
  await page.reload();
  await expect(objective(page, 'Encrypt backups')).toContainText('100%');
  await expect(objective(page, 'Rotate keys')).toContainText('4 rotations');
  await expect(warning).toBeVisible();
  expect(received).toBeGreaterThan(before);
  await expect(syncState(page)).not.toContainText('Up to date');

  // Once the relay answers properly again, the warning goes by itself.
  broken = false;
  await page.context().setOffline(true);
  await expect(syncState(page)).toContainText('Offline');
  await page.context().setOffline(false);
  await expect(syncState(page)).toContainText('Up to date');
  await expect(warning).toHaveCount(0);
});

test('edits made offline reach the others after a reload', async ({ page: ada, browser, baseURL }) => {
  await createWorkspace(ada, 'Northwind');
  await addObjective(ada, { title: 'Incident response time', target: '24', unit: 'hours' });
  const editor = await share(ada);

  const bob = await join(browser, baseURL, editor, 'Bob Builder');
  await expect(objective(bob.page, 'Incident response time')).toContainText('24 hours');
  await expect(syncState(bob.page)).toContainText('Up to date');
  await expect(syncState(ada)).toContainText('Up to date');
  const workspaceUrl = bob.page.url();

  // Bob edits offline, sees it stored, and closes the page before the connection returns.
  await bob.context.setOffline(true);
  await expect(syncState(bob.page)).toContainText('Offline');
  await editTarget(bob.page, 'Incident response time', '8');
  await expect(objective(bob.page, 'Incident response time')).toContainText('8 hours');
  await waitUntilSaved(bob.page);
  await bob.page.close();
  await expect(objective(ada, 'Incident response time')).toContainText('24 hours');

  // Back online, a new page on the same workspace pushes what was kept in IndexedDB.
  await bob.context.setOffline(false);
  const again = await bob.context.newPage();
  await again.goto(workspaceUrl);
  await expect(objective(again, 'Incident response time')).toContainText('8 hours');
  await expect(objective(ada, 'Incident response time')).toContainText('8 hours');
  await expect(syncState(again)).toContainText('Up to date');
  await expect(syncState(ada)).toContainText('Up to date');

  await bob.context.close();
});

test('a relay that holds back one person\'s changes is noticed through their presence', async ({
  page: ada,
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  await createWorkspace(ada, 'Litware');
  await addObjective(ada, { title: 'Phishing click rate', target: '5', unit: '%' });
  const link = await share(ada);

  // Bob's relay connection passes through here; while `withhold` is set, the relay's Entry
  // frames (postcard variant 2: other people's changes) are dropped, presence still passes.
  let withhold = false;
  const context = await browser.newContext({ baseURL, ...sameLocale() });
  const bob = await context.newPage();
  await bob.routeWebSocket(/\/sync$/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => server.send(message));
    server.onMessage((message) => {
      if (withhold && typeof message !== 'string' && message[0] === 2) return;
      ws.send(message);
    });
  });
  await bob.goto(link);
  await bob.getByRole('textbox', { name: 'Your name' }).fill('Bob Builder');
  await bob.getByRole('button', { name: 'Join workspace' }).click();
  await expect(objective(bob, 'Phishing click rate')).toBeVisible();
  await expect(syncState(bob)).toContainText('Up to date');

  withhold = true;
  await addObjective(ada, { title: 'Quarterly access review', target: '4', unit: 'reviews' });
  await waitUntilSaved(ada);
  const warning = bob.getByText('made changes that have not reached this browser');
  await expect(warning).toBeVisible({ timeout: 60_000 });
  await expect(objective(bob, 'Quarterly access review')).toHaveCount(0);

  // Once the relay delivers, the changes arrive and the warning goes.
  withhold = false;
  await bob.reload();
  await expect(objective(bob, 'Quarterly access review')).toBeVisible();
  await expect(warning).toHaveCount(0);
  await bob.waitForTimeout(13_000);
  await expect(warning).toHaveCount(0);
  await context.close();
});
