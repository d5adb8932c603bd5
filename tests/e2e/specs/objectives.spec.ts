// Journeys through workspaces and security objectives, as top management would take them.
import { expect, test } from '@playwright/test';
import {
  addObjective,
  createWorkspace,
  fillObjective,
  objective,
  objectiveList,
  screenshot,
  waitUntilSaved,
} from './support';

const ORGANISATION = 'Northwind Trading Ltd';

test('objectives added, edited and deleted survive a reload', async ({ page }) => {
  await createWorkspace(page, ORGANISATION, 'All offices and the customer portal');
  await expect(page.getByRole('heading', { level: 2, name: 'Security objectives' })).toBeVisible();
  await expect(page.getByText('No objectives yet')).toBeVisible();

  await addObjective(page, {
    title: 'Patch critical vulnerabilities',
    target: '95',
    unit: '% within 14 days',
    dueDate: '2026-12-31',
  });
  await addObjective(page, {
    title: 'Train every employee',
    target: '100',
    unit: '% completed',
    dueDate: '2026-09-30',
  });
  await waitUntilSaved(page);

  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: ORGANISATION })).toBeVisible();
  await expect(objectiveList(page).getByRole('listitem')).toHaveCount(2);
  await expect(objective(page, 'Patch critical vulnerabilities')).toBeVisible();
  await expect(objective(page, 'Train every employee')).toBeVisible();

  await page.getByRole('button', { name: 'Edit Patch critical vulnerabilities', exact: true }).click();
  const edit = page.getByRole('form', { name: 'Edit objective' });
  await expect(edit.getByLabel('Title')).toHaveValue('Patch critical vulnerabilities');
  await expect(edit.getByLabel('Target value')).toHaveValue('95');
  await expect(edit.getByLabel('Unit')).toHaveValue('% within 14 days');
  await expect(edit.getByLabel('Due date')).toHaveValue('2026-12-31');
  await fillObjective(edit, { title: 'Patch critical vulnerabilities fast', target: '98.5' });
  await edit.getByRole('button', { name: 'Save objective' }).click();
  await expect(edit).toBeHidden();
  await expect(objective(page, 'Patch critical vulnerabilities fast')).toBeVisible();

  await page.getByRole('button', { name: 'Delete Train every employee', exact: true }).click();
  await expect(objective(page, 'Train every employee')).toHaveCount(0);
  await waitUntilSaved(page);

  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: ORGANISATION })).toBeVisible();
  await expect(objective(page, 'Patch critical vulnerabilities fast')).toBeVisible();
  await expect(objectiveList(page).getByRole('listitem')).toHaveCount(1);
  await expect(objective(page, 'Patch critical vulnerabilities')).toHaveCount(0);
  await expect(objective(page, 'Train every employee')).toHaveCount(0);

  await page.getByRole('button', { name: 'Edit Patch critical vulnerabilities fast', exact: true }).click();
  await expect(page.getByRole('form', { name: 'Edit objective' }).getByLabel('Target value')).toHaveValue(
    '98.5',
  );
});

test('invalid objectives are explained next to the field and not added', async ({ page }) => {
  await createWorkspace(page, ORGANISATION);
  await page.getByRole('button', { name: 'Add objective' }).click();
  const form = page.getByRole('form', { name: 'New objective' });
  const save = form.getByRole('button', { name: 'Save objective' });

  await fillObjective(form, { title: '', target: '95', unit: '%', dueDate: '2026-12-31' });
  await save.click();
  await expect(form.getByText('Enter a title.')).toBeVisible();

  await fillObjective(form, { title: 'Encrypt every laptop', target: 'abc' });
  await save.click();
  await expect(form.getByText('Enter a number, for example 95 or 2.5.')).toBeVisible();
  await expect(form.getByText('Enter a title.')).toBeHidden();

  await fillObjective(form, { target: '100', dueDate: '31/12/2026' });
  await save.click();
  await expect(form.getByText('Enter a real date as YYYY-MM-DD.')).toBeVisible();
  await expect(form.getByText('Enter a number, for example 95 or 2.5.')).toBeHidden();

  // Shaped like a date, but February has no 30th.
  await fillObjective(form, { dueDate: '2026-02-30' });
  await save.click();
  await expect(form.getByText('Enter a real date as YYYY-MM-DD.')).toBeVisible();

  await expect(form).toBeVisible();
  await form.getByRole('button', { name: 'Cancel' }).click();
  await expect(form).toBeHidden();
  await expect(page.getByText('No objectives yet')).toBeVisible();
  await expect(objective(page, 'Encrypt every laptop')).toHaveCount(0);
});

test('a second browser profile sees none of the first one’s workspaces', async ({
  page,
  browser,
  baseURL,
}) => {
  await createWorkspace(page, ORGANISATION);
  await page.getByRole('link', { name: 'Charter', exact: true }).click();
  await expect(page.getByRole('link', { name: ORGANISATION })).toBeVisible();

  const other = await browser.newContext({ baseURL });
  try {
    const stranger = await other.newPage();
    await stranger.goto('/');
    await expect(stranger.getByRole('heading', { level: 2, name: 'Your workspaces' })).toBeVisible();
    await expect(stranger.getByText('No workspaces yet')).toBeVisible();
    await expect(stranger.getByRole('link', { name: ORGANISATION })).toHaveCount(0);
  } finally {
    await other.close();
  }
});

test('a workspace without an organisation name is refused', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 2, name: 'Your workspaces' })).toBeVisible();
  await expect(page.getByText('No workspaces yet')).toBeVisible();
  const form = page.getByRole('form', { name: 'New workspace' });
  await form.getByRole('button', { name: 'Create workspace' }).click();

  // The apostrophe may be typographic.
  await expect(page.getByText(/Enter the organisation[’']s name\./)).toBeVisible();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByText('No workspaces yet')).toBeVisible();

  await page.reload();
  await expect(page.getByText('No workspaces yet')).toBeVisible();
});

test('undo brings a deleted objective back for good', async ({ page }) => {
  await createWorkspace(page, ORGANISATION);
  await addObjective(page, { title: 'Test backups monthly', target: '12', unit: 'restores', dueDate: '2026-12-31' });
  await waitUntilSaved(page);

  await page.getByRole('button', { name: 'Delete Test backups monthly', exact: true }).click();
  await expect(objective(page, 'Test backups monthly')).toHaveCount(0);
  await expect(page.getByText('Deleted “Test backups monthly”.')).toBeVisible();
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(objective(page, 'Test backups monthly')).toBeVisible();
  await waitUntilSaved(page);

  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: ORGANISATION })).toBeVisible();
  await expect(objective(page, 'Test backups monthly')).toBeVisible();
  await expect(page.getByText('No objectives yet')).toBeHidden();
});

test('the profile keeps the display name', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Profile', exact: true }).click();
  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Your profile' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Display name' }).fill('Ada Lovelace');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Saved.', { exact: true })).toBeVisible();

  await page.reload();
  await expect(page.getByRole('textbox', { name: 'Display name' })).toHaveValue('Ada Lovelace');
  await page.getByRole('link', { name: 'Charter', exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Charter' })).toBeVisible();
});

test('screenshots of the start and workspace pages', async ({ page }) => {
  await createWorkspace(page, ORGANISATION, 'All offices and the customer portal');
  await addObjective(page, {
    title: 'Patch critical vulnerabilities',
    description: 'Critical findings from the monthly scan are fixed quickly.',
    target: '95',
    unit: '% within 14 days',
    owner: 'Head of IT',
    dueDate: '2026-12-31',
    health: 'On track',
    evaluation: 'Monthly scan report reviewed by the ISMS manager.',
  });
  await addObjective(page, {
    title: 'Train every employee',
    target: '100',
    unit: '% completed',
    owner: 'HR',
    dueDate: '2026-09-30',
    health: 'At risk',
  });
  await waitUntilSaved(page);
  await screenshot(page, 'workspace');

  await page.getByRole('link', { name: 'Charter', exact: true }).click();
  await expect(page.getByRole('link', { name: ORGANISATION })).toBeVisible();
  await screenshot(page, 'start');
});
