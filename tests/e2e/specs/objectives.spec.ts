// Journeys through workspaces and security objectives, as top management would take them.
import { expect, test } from '@playwright/test';
import {
  addObjective,
  addPerson,
  createWorkspace,
  fillObjective,
  objective,
  objectiveList,
  openSection,
  sameLocale,
  screenshot,
  waitUntilSaved,
} from './support';

const ORGANISATION = 'Northwind Trading Ltd';

test('objectives added, edited and closed survive a reload', async ({ page }) => {
  await createWorkspace(page, ORGANISATION, 'All offices and the customer portal');
  await expect(page.getByRole('heading', { level: 2, name: 'Security objectives' })).toBeVisible();
  await expect(page.getByText('No open objectives')).toBeVisible();

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

  // Objectives are not deleted: they close, with how they ended and an evaluation.
  await page.getByRole('button', { name: 'Close Train every employee…', exact: true }).click();
  const closing = page.getByRole('form', { name: 'Close Train every employee' });
  await expect(closing.getByLabel('Outcome')).toBeFocused();
  await closing.getByRole('button', { name: 'Close objective' }).click();
  await expect(closing.getByText('Choose how the objective ends.')).toBeVisible();
  await expect(closing.getByText('Write the closing evaluation: what was reached, and what was learnt.')).toBeVisible();
  await closing.getByLabel('Outcome').selectOption({ label: 'Withdrawn' });
  await closing.getByLabel('Closing evaluation').fill('Replaced by the role-based training programme.');
  await closing.getByRole('button', { name: 'Close objective' }).click();
  await expect(objective(page, 'Train every employee')).toHaveCount(0);
  const closedList = page.getByRole('list', { name: 'Closed objectives' });
  await expect(closedList.getByRole('listitem', { name: 'Train every employee' })).toContainText('Withdrawn');
  await waitUntilSaved(page);

  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: ORGANISATION })).toBeVisible();
  await expect(objective(page, 'Patch critical vulnerabilities fast')).toBeVisible();
  await expect(objectiveList(page).getByRole('listitem')).toHaveCount(1);
  await expect(objective(page, 'Patch critical vulnerabilities')).toHaveCount(0);
  await expect(objective(page, 'Train every employee')).toHaveCount(0);
  const closed = closedList.getByRole('listitem', { name: 'Train every employee' });
  await expect(closed).toContainText('Replaced by the role-based training programme.');
  await expect(page.getByRole('heading', { name: 'Closed objectives (1)' })).toBeVisible();

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

  // A target without saying which way is better cannot be judged.
  await form.getByLabel('Title').fill('Phishing click rate');
  await form.getByLabel('Target value').fill('5');
  await save.click();
  await expect(form.getByText('Choose whether the target is a floor to reach or a ceiling to stay under.')).toBeVisible();
  await expect(form.getByLabel('Target met when the value is')).toBeFocused();

  await fillObjective(form, { title: '', target: '95', unit: '%', dueDate: '2026-12-31' });
  await save.click();
  await expect(form.getByText('Enter a title.')).toBeVisible();
  await expect(form.getByText('Choose whether the target is a floor to reach or a ceiling to stay under.')).toBeHidden();

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
  await expect(page.getByText('No open objectives')).toBeVisible();
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

  const other = await browser.newContext({ baseURL, ...sameLocale() });
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

  // The apostrophe may be typographic. Every problem shows at once, and the first field takes the focus.
  await expect(page.getByText(/Enter the organisation[’']s name\./)).toBeVisible();
  await expect(form.getByRole('textbox', { name: 'Your name' })).toHaveAccessibleDescription(
    /Enter your name: approvals and confirmations name who gave them\./,
  );
  await expect(form.getByRole('textbox', { name: 'Organisation name' })).toBeFocused();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByText('No workspaces yet')).toBeVisible();

  await page.reload();
  await expect(page.getByText('No workspaces yet')).toBeVisible();

  // The name given at creation becomes the profile's, and the next form starts with it.
  await form.getByRole('textbox', { name: 'Organisation name' }).fill('Contoso');
  await form.getByRole('textbox', { name: 'Your name' }).fill('Grace Hopper');
  await form.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Contoso' })).toBeVisible();
  await page.goto('/profile');
  await expect(page.getByRole('textbox', { name: 'Display name' })).toHaveValue('Grace Hopper');
  await page.goto('/');
  await expect(form.getByRole('textbox', { name: 'Your name' })).toHaveValue('Grace Hopper');
});

test('undo reopens an objective just closed, and a closed one can be reopened later', async ({ page }) => {
  await createWorkspace(page, ORGANISATION);
  await addObjective(page, { title: 'Test backups monthly', target: '12', unit: 'restores', dueDate: '2026-12-31' });
  await waitUntilSaved(page);

  const close = async () => {
    await page.getByRole('button', { name: 'Close Test backups monthly…', exact: true }).click();
    const form = page.getByRole('form', { name: 'Close Test backups monthly' });
    await form.getByLabel('Outcome').selectOption({ label: 'Achieved' });
    await form.getByLabel('Closing evaluation').fill('Twelve restores, all complete.');
    await form.getByRole('button', { name: 'Close objective' }).click();
    await expect(objective(page, 'Test backups monthly')).toHaveCount(0);
  };
  await close();
  await expect(page.getByText('Closed “Test backups monthly” as achieved.')).toBeVisible();
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(objective(page, 'Test backups monthly')).toBeVisible();
  await expect(page.getByRole('list', { name: 'Closed objectives' })).toHaveCount(0);

  await close();
  await page.getByRole('button', { name: 'Dismiss' }).click();
  await page.getByRole('button', { name: 'Reopen Test backups monthly' }).click();
  await expect(objective(page, 'Test backups monthly')).toBeVisible();
  await waitUntilSaved(page);

  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: ORGANISATION })).toBeVisible();
  await expect(objective(page, 'Test backups monthly')).toBeVisible();
  await expect(page.getByText('No open objectives')).toBeHidden();
});

test('health starts Not assessed, follows the measurements, and a person’s assessment needs a reason', async ({
  page,
}) => {
  await createWorkspace(page, ORGANISATION);
  await openSection(page, 'People and roles', 'People and roles');
  await addPerson(page, 'Grace Hopper');
  await openSection(page, 'Objectives', 'Security objectives');
  await addObjective(page, {
    title: 'Phishing click rate',
    target: '5',
    unit: '%',
    direction: 'lower',
    owner: 'Grace Hopper',
    functionOrLevel: 'Organisation-wide',
    dueDate: '2099-12-31',
  });
  const item = objective(page, 'Phishing click rate');
  await expect(item.getByText('Not assessed', { exact: true })).toBeVisible();
  await expect(item.getByText('On track', { exact: true })).toHaveCount(0);
  await expect(item).toContainText('at most 5%');
  await expect(item).toContainText('Grace Hopper');
  await expect(item).toContainText('Organisation-wide');
  // The new record has the focus, so a keyboard user carries on from it.
  await expect(item.getByRole('heading', { level: 3, name: 'Phishing click rate' })).toBeFocused();

  // 30 % against "at most 5 %" is far off: never "On track".
  await item.getByRole('button', { name: 'Record measurement of Phishing click rate' }).click();
  const record = item.getByRole('form', { name: 'Record measurement' });
  await record.getByLabel('Date measured').fill(new Date().toISOString().slice(0, 10));
  await record.getByLabel('Value').fill('30');
  await record.getByRole('button', { name: 'Save measurement' }).click();
  await expect(item.getByText('At risk', { exact: true })).toBeVisible();
  await expect(item.getByText('From the measurements.')).toBeVisible();

  // Saying otherwise takes a reason, which is then shown with the health.
  await page.getByRole('button', { name: 'Edit Phishing click rate', exact: true }).click();
  const edit = page.getByRole('form', { name: 'Edit objective' });
  await edit.getByLabel('Health', { exact: true }).selectOption({ label: 'On track' });
  await edit.getByRole('button', { name: 'Save objective' }).click();
  await expect(edit.getByText('The measurements suggest at risk. Say why you assess it as on track.')).toBeVisible();
  await expect(edit.getByLabel('Reason for this assessment')).toBeFocused();
  await edit.getByLabel('Reason for this assessment').fill('The new mail filter went live this week.');
  await edit.getByRole('button', { name: 'Save objective' }).click();
  await expect(edit).toBeHidden();
  await expect(item.getByText('On track', { exact: true })).toBeVisible();
  await expect(item.getByText('Assessed: The new mail filter went live this week.')).toBeVisible();
  await expect(item).toContainText('The measurements suggest at risk.');
  await item.getByRole('button', { name: 'Follow the measurements' }).click();
  await expect(item.getByText('At risk', { exact: true })).toBeVisible();
  await expect(item.getByText('From the measurements.')).toBeVisible();
  await waitUntilSaved(page);
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
    dueDate: '2026-12-31',
    health: 'On track',
    reason: 'The scan tool was replaced; the first figures arrive next month.',
    evaluation: 'Monthly scan report reviewed by the ISMS manager.',
  });
  await addObjective(page, {
    title: 'Train every employee',
    target: '100',
    unit: '% completed',
    dueDate: '2026-09-30',
    health: 'At risk',
    reason: 'Two departments have not booked a session.',
  });
  await waitUntilSaved(page);
  await screenshot(page, 'workspace');

  await page.getByRole('link', { name: 'Charter', exact: true }).click();
  await expect(page.getByRole('link', { name: ORGANISATION })).toBeVisible();
  await screenshot(page, 'start');
});

test("an objective's own link, followed on the same page, brings it into view with its name focused", async ({
  page,
}) => {
  await createWorkspace(page, ORGANISATION);
  await openSection(page, 'People and roles', 'People and roles');
  await addPerson(page, 'Grace Hopper');
  await openSection(page, 'Objectives', 'Security objectives');
  for (const title of ['Phishing click rate', 'Critical patches within 14 days']) {
    await addObjective(page, {
      title,
      target: '5',
      unit: '%',
      direction: 'lower',
      owner: 'Grace Hopper',
      functionOrLevel: 'Organisation-wide',
      dueDate: '2099-12-31',
    });
  }
  // The router changes the address without a hashchange event; the record follows it anyway.
  await objective(page, 'Phishing click rate').getByRole('link', { name: 'Link to Phishing click rate' }).click();
  await expect(page).toHaveURL(/#record-[0-9A-Z]+$/);
  await expect(
    objective(page, 'Phishing click rate').getByRole('heading', { level: 3, name: 'Phishing click rate' }),
  ).toBeFocused();
  await objective(page, 'Critical patches within 14 days')
    .getByRole('link', { name: 'Link to Critical patches within 14 days' })
    .click();
  await expect(
    objective(page, 'Critical patches within 14 days').getByRole('heading', {
      level: 3,
      name: 'Critical patches within 14 days',
    }),
  ).toBeFocused();
});
