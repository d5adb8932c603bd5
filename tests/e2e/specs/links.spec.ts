// A share link for a workspace this browser already has never moves it to another relay
// silently: the person sees both addresses and chooses. A link to a room nobody shared ends
// in a clear message and leaves nothing behind.
import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { addObjective, createWorkspace, join, objective, screenshot, share, waitUntilSaved } from './support';

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

test('after "Stop sharing" the old editor link can no longer write; a trusted member moves over with the new link and nothing is lost', async ({
  page: ada,
  browser,
  baseURL,
}) => {
  await createWorkspace(ada, 'Fabrikam Insurance');
  await addObjective(ada, { title: 'Encrypt every laptop', target: '100', unit: '%' });
  const links = await share(ada);
  const bob = await join(browser, baseURL, links.editor, 'Bob Stone');
  await expect(objective(bob.page, 'Encrypt every laptop')).toBeVisible();

  // Ada stops sharing: she confirms, and gets new links that differ from the old ones.
  const panel = ada.getByRole('group', { name: 'Stop sharing these links' });
  await panel.getByRole('button', { name: 'Stop sharing and make new links…' }).click();
  const confirm = panel.getByRole('group', { name: 'Stop sharing through the current links?' });
  await expect(confirm.getByRole('button', { name: 'Stop sharing and make new links' })).toBeFocused();
  await confirm.getByRole('button', { name: 'Stop sharing and make new links' }).click();
  await expect(ada.getByText('Sharing through the old links has stopped.')).toBeVisible();
  const editor = ada.getByRole('textbox', { name: 'Editor link' });
  await expect(editor).not.toHaveValue(links.editor);
  const newEditor = await editor.inputValue();
  expect(newEditor).toMatch(/\/join#k=[A-Za-z0-9_-]{43}&relay=[^&]+&from=[A-Za-z0-9_-]{43}&move=[A-Za-z0-9_-]{128}$/);
  await expect(ada.getByRole('status', { name: 'Sync state' })).toContainText('Up to date');
  await screenshot(ada, 'stop-sharing-new-links');

  // Bob, still on the old link, is told; what he adds stays with him and never reaches Ada.
  await expect(bob.page.getByText('Sharing through this workspace\'s links was stopped.')).toBeVisible();
  await expect(bob.page.getByRole('status', { name: 'Sync state' })).toHaveText('Sharing stopped · changes stay here');
  await addObjective(bob.page, { title: 'Written after the links were stopped', target: '1', unit: 'review' });
  await waitUntilSaved(bob.page);
  // A newcomer with the old link is refused writing as well: the relay says the room is closed.
  const eve = await join(browser, baseURL, links.editor, 'Eve Example');
  await expect(eve.page.getByRole('status', { name: 'Sync state' })).toHaveText('Sharing stopped · changes stay here');
  await eve.context.close();
  await addObjective(ada, { title: 'Review supplier access', target: '4', unit: 'reviews' });
  await expect(objective(bob.page, 'Review supplier access')).toBeHidden();

  // Ada sends Bob the new link: his browser asks, then moves his copy over, his own change included.
  await bob.page.goto(newEditor);
  await bob.page.getByRole('textbox', { name: 'Your name' }).fill('Bob Stone');
  await bob.page.getByRole('button', { name: 'Join workspace' }).click();
  const move = bob.page.getByRole('group', { name: 'Move “Fabrikam Insurance” to this link?' });
  await expect(move).toBeVisible();
  await screenshot(bob.page, 'join-move-to-new-link');
  await move.getByRole('button', { name: 'Move it' }).click();
  await expect(bob.page).toHaveURL(/\/w\/[^/?#]+$/);
  await expect(objective(bob.page, 'Review supplier access')).toBeVisible();
  await expect(objective(ada, 'Written after the links were stopped')).toBeVisible();
  await expect(bob.page.getByRole('status', { name: 'Sync state' })).toContainText('Up to date');
  // One workspace in Bob's browser, not two.
  await bob.page.goto('/');
  await expect(bob.page.getByRole('list', { name: 'Workspaces' }).getByRole('listitem')).toHaveCount(1);
  await bob.context.close();
});
