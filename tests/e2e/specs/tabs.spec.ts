// Two tabs of one browser on the same workspace see each other's changes live.
import { expect, test } from '@playwright/test';
import { addObjective, createWorkspace, fillObjective, objective, sameLocale, waitUntilSaved } from './support';

test('two tabs of one browser see each other’s edits without a reload', async ({ page, context }) => {
  await createWorkspace(page, 'Woodgrove Bank');
  const address = page.url();
  const second = await context.newPage();
  await second.goto(address);
  await expect(second.getByRole('heading', { level: 1, name: 'Woodgrove Bank' })).toBeVisible();

  await addObjective(page, { title: 'Phishing click rate', target: '5', unit: '%' });
  await expect(objective(second, 'Phishing click rate')).toBeVisible();
  await expect(objective(second, 'Phishing click rate')).toContainText('5%');

  await second.getByRole('button', { name: 'Edit Phishing click rate', exact: true }).click();
  const form = second.getByRole('form', { name: 'Edit objective' });
  await fillObjective(form, { target: '3' });
  await form.getByRole('button', { name: 'Save objective' }).click();
  await expect(objective(page, 'Phishing click rate')).toContainText('3%');

  await addObjective(second, { title: 'Patch latency', target: '14', unit: 'days' });
  await expect(objective(page, 'Patch latency')).toBeVisible();
  await waitUntilSaved(page);
  await waitUntilSaved(second);

  // Each change was applied once: a reload shows exactly the two objectives.
  await page.reload();
  await expect(page.getByRole('list', { name: 'Objectives', exact: true }).getByRole('listitem')).toHaveCount(2);
  await expect(objective(page, 'Phishing click rate')).toContainText('3%');
});

test('tabs of a shared workspace share one connection, and the next tab takes over', async ({
  page,
  context,
  browser,
  baseURL,
}) => {
  await createWorkspace(page, 'Proseware');
  await addObjective(page, { title: 'Phishing click rate', target: '5', unit: '%' });
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  await page.getByRole('form', { name: 'Start sharing' }).getByRole('button', { name: 'Start sharing' }).click();
  const link = await page.getByRole('textbox', { name: 'Editor link' }).inputValue();
  await expect(page.getByRole('status', { name: 'Sync state' })).toContainText('Up to date');

  const second = await context.newPage();
  await second.goto(page.url());
  // Only one tab per browser talks to the relay; the other says so.
  await expect(second.getByRole('status', { name: 'Sync state' })).toHaveText('Syncing in another tab');

  const other = await browser.newContext({ baseURL, ...sameLocale() });
  const bob = await other.newPage();
  await bob.goto(link);
  await bob.getByRole('textbox', { name: 'Your name' }).fill('Bob');
  await bob.getByRole('button', { name: 'Join workspace' }).click();
  await expect(objective(bob, 'Phishing click rate')).toBeVisible();
  // Presence comes from every tab: Bob sees both, and the tab without the
  // connection sees Bob (and its sibling).
  await expect(bob.getByRole('list', { name: 'Here now' }).getByRole('listitem')).toHaveCount(2);
  await expect(second.getByRole('list', { name: 'Here now' }).getByRole('listitem')).toHaveCount(2);
  await expect(second.getByRole('list', { name: 'Here now' })).toContainText('Bob');

  // An edit in the tab without a connection reaches Bob through its sibling.
  await addObjective(second, { title: 'Patch latency', target: '14', unit: 'days' });
  await expect(objective(bob, 'Patch latency')).toBeVisible();
  // And Bob's edit reaches both tabs.
  await addObjective(bob, { title: 'Backups restored', target: '12', unit: 'restores' });
  await expect(objective(page, 'Backups restored')).toBeVisible();
  await expect(objective(second, 'Backups restored')).toBeVisible();

  // Closing the connected tab hands the connection to the other one.
  await page.close();
  await expect(second.getByRole('status', { name: 'Sync state' })).toContainText('Up to date');
  await expect(bob.getByRole('list', { name: 'Here now' }).getByRole('listitem')).toHaveCount(1);
  await addObjective(bob, { title: 'Access reviews', target: '4', unit: 'per year' });
  await expect(objective(second, 'Access reviews')).toBeVisible();
  await other.close();
});
