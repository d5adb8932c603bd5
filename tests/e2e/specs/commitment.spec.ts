// Leadership commitment (clause 5.1 a–h): top management links records as evidence of each duty
// and confirms it, and the checklist keeps who confirmed what and when.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { addObjective, createWorkspace, screenshot, shownToday, waitUntilSaved } from './support';

const ORGANISATION = 'Northwind Trading Ltd';
const DUTY_A =
  'Ensure the information security policy and objectives are established and compatible with the strategic direction of the organisation';
const DUTY_C = 'Ensure the resources needed for the ISMS are available';

async function openCommitment(page: Page) {
  await page.getByRole('navigation', { name: 'Workspace sections' }).getByRole('link', { name: 'Commitment' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Leadership commitment' })).toBeVisible();
}

function duties(page: Page): Locator {
  return page.getByRole('list', { name: 'Leadership duties' });
}

function duty(page: Page, label: string): Locator {
  return duties(page).getByRole('listitem').filter({ hasText: label });
}

test('an objective linked as evidence and a confirmed duty survive a reload; the confirmation can be withdrawn', async ({
  page,
}) => {
  await page.goto('/profile');
  await page.getByRole('textbox', { name: 'Display name' }).fill('Grace Hopper');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();

  await createWorkspace(page, ORGANISATION);
  await addObjective(page, { title: 'Patch critical vulnerabilities', target: '95', unit: '%' });

  await openCommitment(page);
  await expect(duties(page).getByRole('listitem')).toHaveCount(8);
  await expect(page.getByLabel('Duties confirmed')).toHaveText('0 of 8');
  const a = duty(page, DUTY_A);
  await expect(a.getByText('No evidence linked yet.')).toBeVisible();
  await expect(a.getByText('Not confirmed yet.')).toBeVisible();
  // Nothing to rest on yet: a confirmation is refused, and says what is missing.
  await a.getByRole('button', { name: /^Confirm/ }).click();
  await expect(a).toContainText('Link a record that shows this duty is met, or write why none applies, before confirming it.');
  await expect(a.getByText('Not confirmed yet.')).toBeVisible();

  // Linking with nothing chosen asks for a choice and stores nothing.
  const link = a.getByRole('form', { name: 'Link evidence to 5.1 a' });
  await link.getByRole('button', { name: 'Link' }).click();
  await expect(link.getByText('Choose a record to link.')).toBeVisible();
  await expect(link.getByLabel('Record to link')).toBeFocused();

  await link.getByLabel('Record to link').selectOption({ label: 'Patch critical vulnerabilities' });
  await link.getByRole('button', { name: 'Link' }).click();
  const evidence = a.getByRole('group', { name: 'Evidence for 5.1 a' });
  const objectiveLink = evidence.getByRole('link', { name: 'Patch critical vulnerabilities' });
  await expect(objectiveLink).toBeVisible();
  await expect(objectiveLink).toHaveAttribute('href', /^\/w\/[^/]+$/);
  await expect(link.getByText('Choose a record to link.')).toBeHidden();

  await a.getByRole('button', { name: /^Confirm/ }).click();
  const confirmedLine = `Confirmed by Grace Hopper on ${await shownToday(page)}`;
  await expect(a.getByText(confirmedLine)).toBeVisible();
  await expect(page.getByLabel('Duties confirmed')).toHaveText('1 of 8');
  await expect(duties(page).getByRole('listitem').filter({ hasText: 'Confirmed by' })).toHaveCount(1);
  await waitUntilSaved(page);
  await screenshot(page, 'commitment');

  await page.reload();
  await expect(page.getByRole('heading', { level: 2, name: 'Leadership commitment' })).toBeVisible();
  await expect(page.getByLabel('Duties confirmed')).toHaveText('1 of 8');
  await expect(a.getByText(confirmedLine)).toBeVisible();
  await expect(objectiveLink).toBeVisible();

  // The link leads to the objectives, where the record lives.
  await objectiveLink.click();
  await expect(page.getByRole('heading', { level: 2, name: 'Security objectives' })).toBeVisible();
  await openCommitment(page);

  await a.getByRole('button', { name: /^Withdraw confirmation/ }).click();
  await expect(a.getByText('Not confirmed yet.')).toBeVisible();
  await expect(page.getByLabel('Duties confirmed')).toHaveText('0 of 8');
  await evidence.getByRole('button', { name: 'Remove Patch critical vulnerabilities from the evidence' }).click();
  await expect(a.getByText('No evidence linked yet.')).toBeVisible();
  await waitUntilSaved(page);

  await page.reload();
  await expect(page.getByRole('heading', { level: 2, name: 'Leadership commitment' })).toBeVisible();
  await expect(page.getByLabel('Duties confirmed')).toHaveText('0 of 8');
  await expect(a.getByText('Not confirmed yet.')).toBeVisible();
  await expect(a.getByText('No evidence linked yet.')).toBeVisible();
});

test('a duty confirmed on a budget line reopens when the line is deleted; a written justification also counts', async ({
  page,
}) => {
  await createWorkspace(page, ORGANISATION);
  await page.getByRole('navigation', { name: 'Workspace sections' }).getByRole('link', { name: 'Resources' }).click();
  await page.getByRole('button', { name: 'Add budget line', exact: true }).click();
  const form = page.getByRole('form', { name: 'New budget line' });
  await form.getByLabel('Category').fill('Tools and licences');
  await form.getByLabel('Amount requested').fill('900');
  await form.getByRole('button', { name: 'Save budget line' }).click();
  await expect(form).toBeHidden();
  const year = new Date().getFullYear();

  await openCommitment(page);
  const c = duty(page, DUTY_C);
  const link = c.getByRole('form', { name: 'Link evidence to 5.1 c' });
  await link.getByLabel('Record to link').selectOption({ label: `Tools and licences ${year}` });
  await link.getByRole('button', { name: 'Link' }).click();
  await c.getByRole('button', { name: /^Confirm/ }).click();
  await expect(c.getByText('Confirmed', { exact: true })).toBeVisible();
  await expect(page.getByLabel('Duties confirmed')).toHaveText('1 of 8');

  // The budget line goes: the confirmation no longer rests on anything, and says so.
  await page.getByRole('navigation', { name: 'Workspace sections' }).getByRole('link', { name: 'Resources' }).click();
  await page.getByRole('button', { name: `Delete Tools and licences ${year}` }).click();
  await openCommitment(page);
  await expect(c.getByText('Reopened', { exact: true })).toBeVisible();
  await expect(c).toContainText('Reopened: the evidence this confirmation rested on has been deleted.');
  await expect(page.getByLabel('Duties confirmed')).toHaveText('0 of 8');

  // A written justification supports it again.
  const justify = c.getByRole('form', { name: 'Justify 5.1 c' });
  await justify.getByLabel(/Why it is met without a linked record/).fill('Resources confirmed in the board minutes of 3 March.');
  await justify.getByRole('button', { name: 'Save justification' }).click();
  await expect(c.getByText('Confirmed', { exact: true })).toBeVisible();
  await expect(page.getByLabel('Duties confirmed')).toHaveText('1 of 8');
  await waitUntilSaved(page);
  await page.reload();
  await expect(duty(page, DUTY_C).getByLabel(/Why it is met without a linked record/)).toHaveValue(
    'Resources confirmed in the board minutes of 3 March.',
  );
});
