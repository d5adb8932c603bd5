// Workspace files (issue 10, point 3): an encrypted backup and a plain Automerge file leave the
// browser; importing one gives the same workspace in a fresh browser, merging a diverged copy
// unites both sides, and every bad file gets a clear message and changes nothing. The plain file
// is a standard Automerge document, read and written by @automerge/automerge (point 4).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as Automerge from '@automerge/automerge';
import { expect, test, type Page } from '@playwright/test';
import {
  addObjective,
  addPerson,
  createWorkspace,
  FOUNDER,
  objective,
  openPolicies,
  openSection,
  sameLocale,
  screenshot,
  waitUntilSaved,
} from './support';

/** An Automerge document of another application: {title: "My shopping list", items: 3}. */
const FOREIGN =
  'hW9Kg0npKmgAiwEBEIrmu9PZVcYN2DpMde4Wa6UBOM7H8mGJnb9/0Kc1DXl/IzZYgFFhrhE1sCBACvaBHQEGAQIDAhMCIwJAAlYCCBUNIQIjAzQBQgJWBFcRgAECfwB/AX8CfwB/AH8HfgVpdGVtcwV0aXRsZQIAfgJ/AgIBfhSGAgNNeSBzaG9wcGluZyBsaXN0AgAA';

const dir = mkdtempSync(path.join(tmpdir(), 'charter-files-'));
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function openExport(page: Page) {
  const panel = page.getByRole('region', { name: 'Export this workspace' });
  if (!(await panel.isVisible())) {
    await page.getByRole('button', { name: 'Export', exact: true }).click();
  }
  return panel;
}

/** Clicks `button` and keeps the file the browser downloads; resolves with its path. */
async function downloaded(page: Page, click: () => Promise<void>, name: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const file = path.join(dir, name);
  await download.saveAs(file);
  return file;
}

async function chooseFile(page: Page, file: string) {
  await page.goto('/');
  await page.getByLabel('Workspace file', { exact: true }).setInputFiles(file);
}

test('an encrypted backup opens in a fresh browser with its passphrase, and a diverged copy merges back', async ({
  page: ada,
  browser,
}) => {
  await createWorkspace(ada, 'Tailwind Traders');
  await addObjective(ada, { title: 'Encrypt every laptop', target: '100', unit: '%' });
  await waitUntilSaved(ada);
  const panel = await openExport(ada);
  const form = panel.getByRole('form', { name: 'Encrypted backup' });
  await form.getByLabel('Passphrase', { exact: true }).fill('short');
  await form.getByLabel('Passphrase again').fill('short');
  await form.getByRole('button', { name: 'Download encrypted backup' }).click();
  await expect(panel.getByText('Use a passphrase of at least 10 characters.')).toBeVisible();
  await form.getByLabel('Passphrase', { exact: true }).fill('blue harbour lantern');
  await form.getByLabel('Passphrase again').fill('blue harbour lanterns');
  await form.getByRole('button', { name: 'Download encrypted backup' }).click();
  await expect(panel.getByText('The two passphrases differ.')).toBeVisible();
  await form.getByLabel('Passphrase again').fill('blue harbour lantern');
  const backup = await downloaded(
    ada,
    () => form.getByRole('button', { name: 'Download encrypted backup' }).click(),
    'backup.charter',
  );
  await expect(panel.getByText(/^Saved “Tailwind Traders \d{4}-\d{2}-\d{2}\.charter”/)).toBeVisible();
  await screenshot(ada, 'export-panel');
  // Nothing of the workspace is readable in the file.
  expect(readFileSync(backup).includes(Buffer.from('Encrypt every laptop'))).toBe(false);

  // Bob's browser has never seen the workspace: the backup and its passphrase bring it.
  const context = await browser.newContext(sameLocale());
  const bob = await context.newPage();
  await chooseFile(bob, backup);
  const unlock = bob.getByRole('form', { name: 'Open encrypted backup' });
  await unlock.getByLabel('Passphrase of this backup').fill('wrong passphrase');
  await unlock.getByRole('button', { name: 'Open backup' }).click();
  await expect(bob.getByText('This passphrase does not open the file')).toBeVisible();
  await unlock.getByLabel('Passphrase of this backup').fill('blue harbour lantern');
  await unlock.getByRole('button', { name: 'Open backup' }).click();
  const ready = bob.getByRole('form', { name: 'Import workspace' });
  await expect(ready).toContainText('“Tailwind Traders” is ready to import.');
  await ready.getByRole('button', { name: 'Import' }).click();
  await expect(bob).toHaveURL(/\/w\/[^/]+\/overview$/);
  await bob.getByRole('navigation', { name: 'Workspace sections' }).getByRole('link', { name: 'Objectives' }).click();
  await expect(objective(bob, 'Encrypt every laptop')).toBeVisible();

  // Both go on working apart; Bob sends back a plain Automerge file, which Ada merges.
  await addObjective(bob, { title: "Bob's supplier review", target: '4', unit: 'reviews' });
  await waitUntilSaved(bob);
  const copy = await downloaded(
    bob,
    async () => {
      const bobPanel = await openExport(bob);
      await bobPanel.getByRole('button', { name: 'Download Automerge file' }).click();
    },
    'copy.automerge',
  );
  await addObjective(ada, { title: "Ada's phishing drill", target: '5', unit: '%' });
  await waitUntilSaved(ada);
  const workspace = ada.url();
  await chooseFile(ada, copy);
  const merge = ada.getByRole('form', { name: 'Import workspace' });
  await merge.getByLabel('Import as').selectOption({ label: 'Merged into “Tailwind Traders”' });
  await merge.getByRole('button', { name: 'Import' }).click();
  await expect(ada.getByText(/^Merged into “Tailwind Traders”: \d+ changes? from the file\./)).toBeVisible();
  await expect(ada.getByRole('list', { name: 'Workspaces' }).getByRole('listitem')).toHaveCount(1);
  await ada.goto(workspace);
  for (const title of ['Encrypt every laptop', "Bob's supplier review", "Ada's phishing drill"]) {
    await expect(objective(ada, title)).toBeVisible();
  }
  // The same file again brings nothing new.
  await chooseFile(ada, copy);
  await merge.getByLabel('Import as').selectOption({ label: 'Merged into “Tailwind Traders”' });
  await merge.getByRole('button', { name: 'Import' }).click();
  await expect(ada.getByText('“Tailwind Traders” already had everything in this file.')).toBeVisible();
  await context.close();
});

test('bad files each get a clear message and the workspaces here are untouched', async ({ page }) => {
  await createWorkspace(page, 'Wide World Importers');
  await addObjective(page, { title: 'Keep this objective', target: '1', unit: 'test' });
  await waitUntilSaved(page);
  const workspace = page.url();
  const plain = await downloaded(
    page,
    async () => {
      const panel = await openExport(page);
      await panel.getByRole('button', { name: 'Download Automerge file' }).click();
    },
    'good.automerge',
  );
  const cases: [string, Buffer | 'big', RegExp][] = [
    ['random.charter', randomBytes(4096), /is not a Charter workspace: it is neither an encrypted backup/],
    ['cut.automerge', readFileSync(plain).subarray(0, Math.floor(readFileSync(plain).length / 2)), /damaged or incomplete/],
    ['foreign.automerge', Buffer.from(FOREIGN, 'base64'), /This Automerge document is not a Charter workspace/],
    ['huge.charter', 'big', /larger than Charter imports/],
  ];
  for (const [name, bytes, message] of cases) {
    const file = path.join(dir, name);
    if (bytes === 'big') {
      writeFileSync(file, Buffer.alloc(200 * 1024 * 1024, 7));
    } else {
      writeFileSync(file, bytes);
    }
    await chooseFile(page, file);
    await expect(page.getByRole('alert')).toHaveText(message);
    await expect(page.getByRole('form', { name: 'Import workspace' })).toHaveCount(0);
    rmSync(file);
  }
  await screenshot(page, 'import-bad-file');
  await expect(page.getByRole('list', { name: 'Workspaces' }).getByRole('listitem')).toHaveCount(1);
  await page.goto(workspace);
  await expect(objective(page, 'Keep this objective')).toBeVisible();
});

test('the Automerge file is a standard document: @automerge/automerge reads it, and writes one Charter imports', async ({
  page,
}) => {
  await createWorkspace(page, 'Northwind Open Data');
  await addObjective(page, { title: 'Patch within 14 days', target: '14', unit: 'days' });
  await openPolicies(page);
  await page.getByRole('button', { name: 'Add policy' }).click();
  const form = page.getByRole('form', { name: 'New policy' });
  await form.getByLabel('Title').fill('Access control policy');
  await form.getByLabel('Policy text').fill('Access is granted on a need-to-know basis.');
  await form.getByRole('button', { name: 'Save policy' }).click();
  await expect(form).toBeHidden();
  await waitUntilSaved(page);
  const file = await downloaded(
    page,
    async () => {
      const panel = await openExport(page);
      await panel.getByRole('button', { name: 'Download Automerge file' }).click();
    },
    'open.automerge',
  );

  // Read with the JavaScript library, as any other tool would.
  const doc: any = Automerge.load(new Uint8Array(readFileSync(file)));
  expect(String(doc.meta.organisation)).toBe('Northwind Open Data');
  expect(Object.values(doc.objectives).map((o: any) => String(o.title))).toEqual(['Patch within 14 days']);
  expect(Object.values(doc.policies).map((p: any) => String(p.body))).toEqual([
    'Access is granted on a need-to-know basis.',
  ]);

  // The JSON export holds the same records, as plain JSON.
  const jsonFile = await downloaded(
    page,
    async () => {
      const panel = await openExport(page);
      await panel.getByRole('button', { name: 'Download JSON file' }).click();
    },
    'open.json',
  );
  const json = JSON.parse(readFileSync(jsonFile, 'utf8'));
  expect(json.meta.organisation).toBe('Northwind Open Data');
  expect(Object.values(json.objectives).map((o: any) => o.title)).toEqual(['Patch within 14 days']);
  expect(Object.values(json.policies).map((p: any) => p.body)).toEqual(['Access is granted on a need-to-know basis.']);

  // Written with the library in Charter's schema (short fields as plain strings, long
  // texts as collaborative text), and imported as a new workspace.
  const written = Automerge.from({
    meta: {
      organisation: new Automerge.ImmutableString('Written in Node'),
      scope: new Automerge.ImmutableString('The JavaScript side'),
      created_at: Date.now(),
    },
    objectives: {
      '01JNODE00000000000000000AB': {
        title: new Automerge.ImmutableString('Objective from Node'),
        description: 'Written with @automerge/automerge.',
        created_at: Date.now(),
      },
    },
  });
  const nodeFile = path.join(dir, 'node.automerge');
  writeFileSync(nodeFile, Automerge.save(written));
  await chooseFile(page, nodeFile);
  const ready = page.getByRole('form', { name: 'Import workspace' });
  await expect(ready).toContainText('“Written in Node” is ready to import.');
  await ready.getByRole('button', { name: 'Import' }).click();
  await expect(page).toHaveURL(/\/w\/[^/]+\/overview$/);
  await openSection(page, 'Objectives', 'Security objectives');
  await expect(objective(page, 'Objective from Node')).toBeVisible();
});

test('two reviews planned apart share a reference once the copies merge, and one takes the next free number', async ({
  page: ada,
  browser,
}) => {
  test.setTimeout(90_000);
  await createWorkspace(ada, 'Northwind Shipping');
  await openSection(ada, 'People and roles', 'People and roles');
  await addPerson(ada, FOUNDER);
  await waitUntilSaved(ada);
  const exportFile = (page: Page, name: string) =>
    downloaded(
      page,
      async () => {
        const panel = await openExport(page);
        await panel.getByRole('button', { name: 'Download Automerge file' }).click();
      },
      name,
    );
  const original = await exportFile(ada, 'northwind.automerge');

  // Bob takes a copy into his browser; then each plans the next review, apart.
  const context = await browser.newContext(sameLocale());
  const bob = await context.newPage();
  await chooseFile(bob, original);
  await bob.getByRole('form', { name: 'Import workspace' }).getByRole('button', { name: 'Import' }).click();
  await expect(bob).toHaveURL(/\/w\/[^/]+\/overview$/);
  const planReview = async (page: Page, day: string) => {
    await openSection(page, 'Reviews', 'Management reviews');
    await page.getByRole('button', { name: 'Plan a review' }).click();
    const plan = page.getByRole('form', { name: 'Plan a management review' });
    await plan.getByLabel('Day of the meeting').fill(day);
    await plan.getByLabel('Chair').selectOption({ label: FOUNDER });
    await plan.getByRole('button', { name: 'Plan review' }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'Management review MR-2099-01' })).toBeVisible();
    await waitUntilSaved(page);
  };
  await planReview(ada, '2099-03-10');
  const adasReview = ada.url();
  await planReview(bob, '2099-04-20');
  const bobsCopy = await exportFile(bob, 'bob.automerge');
  await context.close();

  // Ada merges Bob's copy: both reviews are MR-2099-01, and each says so.
  await chooseFile(ada, bobsCopy);
  const merge = ada.getByRole('form', { name: 'Import workspace' });
  await merge.getByLabel('Import as').selectOption({ label: 'Merged into “Northwind Shipping”' });
  await merge.getByRole('button', { name: 'Import' }).click();
  await expect(ada.getByText(/^Merged into “Northwind Shipping”/)).toBeVisible();
  await ada.goto(adasReview);
  const shared = ada.getByRole('status').filter({ hasText: 'Another management review also has the reference MR-2099-01' });
  await expect(shared).toBeVisible();
  await screenshot(ada, 'review-shared-reference');
  await shared.getByRole('button', { name: 'Give this review the next free reference' }).click();
  await expect(ada.getByRole('heading', { level: 2, name: 'Management review MR-2099-02' })).toBeVisible();
  await expect(ada.getByText(/also has the reference/)).toHaveCount(0);

  // Bob's review keeps MR-2099-01, alone now; both survive a reload.
  await ada.getByRole('link', { name: 'All management reviews' }).click();
  await ada.reload();
  await expect(ada.getByRole('link', { name: /^MR-2099-02 · / })).toBeVisible();
  await ada.getByRole('link', { name: /^MR-2099-01 · / }).click();
  await expect(ada.getByRole('heading', { level: 2, name: 'Management review MR-2099-01' })).toBeVisible();
  await expect(ada.getByText(/also has the reference/)).toHaveCount(0);
});
