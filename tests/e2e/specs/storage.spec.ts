// What a person sees when the browser's stored data is damaged, and renaming a workspace.
import { expect, test } from '@playwright/test';
import { addObjective, createWorkspace, objective, saveState, screenshot, waitUntilSaved } from './support';

test('damaged stored data is reported, the rest opens, and work goes on', async ({ page }) => {
  await createWorkspace(page, 'Contoso Bank', 'Retail banking');
  await addObjective(page, { title: 'Phishing click rate', target: '5', unit: '%' });
  await waitUntilSaved(page);
  await addObjective(page, { title: 'Patch latency', target: '14', unit: 'days' });
  await waitUntilSaved(page);

  // A disk error scrambles every incremental save of this workspace.
  const scrambled = await page.evaluate(async () => {
    const db: IDBDatabase = await new Promise((resolve, reject) => {
      const request = indexedDB.open('charter');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const tx = db.transaction('chunks', 'readwrite');
    const store = tx.objectStore('chunks');
    const keys: IDBValidKey[] = await new Promise((resolve, reject) => {
      const request = store.getAllKeys();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const incremental = keys.filter((key) => (key as string[])[1] === 'incremental');
    for (const key of incremental) {
      store.put(new TextEncoder().encode('scrambled by a disk error'), key);
    }
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    db.close();
    return incremental.length;
  });
  expect(scrambled).toBe(2);

  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Contoso Bank' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText(
    "2 pieces of this workspace's saved data are damaged and could not be read.",
  );
  await expect(page.getByText('No open objectives')).toBeVisible();
  // It stays until the person has read it and puts it away.
  await page.getByRole('alert').getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);

  // The workspace still works, and what is added now is kept.
  await addObjective(page, { title: 'Backups restored monthly', target: '12', unit: 'restores' });
  await waitUntilSaved(page);
  await page.reload();
  await expect(objective(page, 'Backups restored monthly')).toBeVisible();
});

test('the organisation name and scope can be changed', async ({ page }) => {
  await createWorkspace(page, 'Fabrikam', 'Head office');
  await page.getByRole('button', { name: 'Edit name and scope' }).click();
  const form = page.getByRole('form', { name: 'Workspace details' });
  await form.getByRole('textbox', { name: 'Organisation name' }).fill('');
  await form.getByRole('button', { name: 'Save details' }).click();
  await expect(form.getByText(/Enter the organisation[’']s name\./)).toBeVisible();

  await form.getByRole('textbox', { name: 'Organisation name' }).fill('Fabrikam Group');
  await form.getByRole('textbox', { name: 'ISMS scope' }).fill('Head office and the cloud platform');
  await form.getByRole('button', { name: 'Save details' }).click();
  await expect(form).toBeHidden();
  await expect(page.getByRole('heading', { level: 1, name: 'Fabrikam Group' })).toBeVisible();
  await expect(page.getByText('Head office and the cloud platform')).toBeVisible();
  await waitUntilSaved(page);

  await page.getByRole('link', { name: 'Charter', exact: true }).click();
  await expect(page.getByRole('link', { name: 'Fabrikam Group' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('link', { name: 'Fabrikam Group' })).toBeVisible();
});

test('a workspace removed from this browser leaves nothing of it behind', async ({ page }) => {
  await createWorkspace(page, 'Fabrikam');
  const removedUrl = page.url();
  const removedId = removedUrl.split('/w/')[1];
  await addObjective(page, { title: 'Phishing click rate', target: '5', unit: '%' });
  await waitUntilSaved(page);
  // This browser's signing key and founding-key pin for it live in localStorage.
  const signingKeys = (id: string) =>
    page.evaluate((id) => Object.keys(localStorage).filter((key) => key.endsWith(`.${id}`)), id);
  expect(await signingKeys(removedId)).toContain(`charter.device.${removedId}`);
  await createWorkspace(page, 'Woodgrove');
  await waitUntilSaved(page);
  await page.goto('/');

  const list = page.getByRole('list', { name: 'Workspaces' });
  await list.getByRole('button', { name: 'Remove Fabrikam from this browser' }).click();
  const ask = page.getByRole('group', { name: 'Remove Fabrikam?' });
  await expect(ask).toContainText('is not shared: this browser holds its only copy');
  await screenshot(page, 'remove-workspace');
  // Keeping it changes nothing; Escape closes too.
  await ask.getByRole('button', { name: 'Keep it' }).click();
  await expect(ask).toBeHidden();
  await list.getByRole('button', { name: 'Remove Fabrikam from this browser' }).click();
  await ask.getByRole('button', { name: 'Keep it' }).focus();
  await page.keyboard.press('Escape');
  await expect(ask).toBeHidden();
  await list.getByRole('button', { name: 'Remove Fabrikam from this browser' }).click();
  await ask.getByRole('button', { name: 'Remove from this browser' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'removed' })).toHaveText(
    '“Fabrikam” was removed from this browser.',
  );
  await expect(list.getByRole('link')).toHaveText(['Woodgrove']);

  // Nothing of it is left in IndexedDB: no chunk, no entry (which held its keys).
  const left = await page.evaluate(async (id) => {
    const db: IDBDatabase = await new Promise((resolve, reject) => {
      const request = indexedDB.open('charter');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const all = (store: string, what: 'getAllKeys' | 'getAll'): Promise<unknown[]> =>
      new Promise((resolve, reject) => {
        const request = db.transaction(store).objectStore(store)[what]();
        request.onsuccess = () => resolve(request.result as unknown[]);
        request.onerror = () => reject(request.error);
      });
    const chunks = (await all('chunks', 'getAllKeys')) as string[][];
    const entries = (await all('workspaces', 'getAll')) as string[];
    db.close();
    return {
      removedChunks: chunks.filter((key) => key[0] === id).length,
      otherChunks: chunks.filter((key) => key[0] !== id).length,
      removedEntries: entries.filter((json) => json.includes(id)).length,
      entries: entries.length,
    };
  }, removedId);
  expect(left).toEqual({ removedChunks: 0, otherChunks: left.otherChunks, removedEntries: 0, entries: 1 });
  expect(left.otherChunks).toBeGreaterThan(0);
  // Nor in localStorage: its signing key is gone with it.
  expect(await signingKeys(removedId)).toEqual([]);

  await page.goto(removedUrl);
  await expect(page.getByText('This workspace is not stored in this browser.')).toBeVisible();
});

test('a change the browser could not store before the tab closed is there when the workspace opens again', async ({
  page,
  context,
}) => {
  await createWorkspace(page, 'Tailspin Toys');
  await addObjective(page, { title: 'Phishing click rate', target: '5', unit: '%' });
  await waitUntilSaved(page);
  const url = page.url();

  // From here the disk refuses every write of this tab.
  await page.evaluate(() => {
    IDBObjectStore.prototype.put = function () {
      throw new DOMException('The disk is full.', 'QuotaExceededError');
    };
  });
  await addObjective(page, { title: 'Patch latency', target: '14', unit: 'days' });
  await expect(saveState(page)).toHaveText('Not saved yet');
  await expect(page.getByText("The browser's storage is full")).toBeVisible();

  // The tab is closed before any write succeeded.
  await page.close();
  const again = await context.newPage();
  await again.goto(url);
  await expect(objective(again, 'Patch latency')).toBeVisible();
  await expect(objective(again, 'Phishing click rate')).toBeVisible();
  await waitUntilSaved(again);
  // Stored for good now: the last-moment copy is gone, and a reload still has it.
  const copies = await again.evaluate(() =>
    Object.keys(localStorage).filter((key) => key.startsWith('charter.unsaved.')),
  );
  expect(copies).toEqual([]);
  await again.reload();
  await expect(objective(again, 'Patch latency')).toBeVisible();
});
