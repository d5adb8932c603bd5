// A share link for a workspace this browser already has never moves it to another relay
// silently: the person sees both addresses and chooses. A link to a room nobody shared ends
// in a clear message and leaves nothing behind.
import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { createWorkspace, screenshot } from './support';

async function openLink(page: Page, link: string) {
  await page.goto(link);
  await expect(page.getByRole('heading', { level: 1, name: 'Join a shared workspace' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Your name' }).fill('Ada Lovelace');
  await page.getByRole('button', { name: 'Join workspace' }).click();
}

test('a link naming another relay asks before moving the workspace', async ({ page }) => {
  await createWorkspace(page, 'Northwind Traders');
  const workspaceUrl = page.url();
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const start = page.getByRole('form', { name: 'Start sharing' });
  const here = await start.getByLabel('Relay address').inputValue();
  await start.getByRole('button', { name: 'Start sharing' }).click();
  const link = await page.getByRole('textbox', { name: 'Editor link' }).inputValue();
  await expect(page.getByRole('status', { name: 'Sync state' })).toContainText('Up to date');

  // The same workspace's link, naming another relay (this one under another name).
  const there = here.replace('127.0.0.1', 'localhost');
  const moved = link.replace(encodeURIComponent(here), encodeURIComponent(there));
  expect(moved).not.toBe(link);

  // The join page names the relay before anyone types a name.
  await page.goto(moved);
  await expect(page.getByText('through the relay at')).toContainText(there);
  await page.getByRole('textbox', { name: 'Your name' }).fill('Ada Lovelace');
  await page.getByRole('button', { name: 'Join workspace' }).click();
  const ask = page.getByRole('group', { name: 'This workspace already syncs elsewhere' });
  await expect(ask).toContainText(here);
  await expect(ask).toContainText(there);
  await screenshot(page, 'join-another-relay');

  // Kept: the workspace opens, still syncing where it did.
  await ask.getByRole('button', { name: `Keep ${here}` }).click();
  await expect(page).toHaveURL(workspaceUrl);
  await expect(page.getByRole('status', { name: 'Sync state' })).toContainText('Up to date');

  // Nothing was stored: the same link asks again. This time the person switches.
  await openLink(page, moved);
  await ask.getByRole('button', { name: `Switch to ${there}` }).click();
  await expect(page).toHaveURL(workspaceUrl);

  // Now the original link is the one naming another relay.
  await openLink(page, link);
  await expect(ask).toContainText(`In this browser, it syncs through ${there}`);
  await ask.getByRole('button', { name: `Switch to ${here}` }).click();
  await expect(page).toHaveURL(workspaceUrl);
  await expect(page.getByRole('status', { name: 'Sync state' })).toContainText('Up to date');
});

test('a link to a room nobody shared ends in a clear message and leaves nothing behind', async ({
  page,
  baseURL,
}) => {
  const secret = randomBytes(32).toString('base64url');
  await openLink(page, `${baseURL}/join#k=${secret}&relay=${encodeURIComponent(baseURL ?? '')}`);
  const ended = page.getByRole('alert').filter({ hasText: 'Nothing has arrived from the relay for this link' });
  await expect(ended).toBeVisible();
  await expect(page.getByText('Waiting for the workspace to arrive')).toHaveCount(0);
  await ended.getByRole('link', { name: 'Go to your workspaces' }).click();
  await expect(page.getByText('No workspaces yet')).toBeVisible();
  await page.reload();
  await expect(page.getByText('No workspaces yet')).toBeVisible();
});
