// Dates, money and numbers in the browser's language (issue 11, point 15): a German browser shows
// German dates and money on real screens of a workspace, and times with their time zone.
import { expect, test, type Page } from '@playwright/test';
import { addObjective, createWorkspace, objective, openPolicies, openSection, screenshot, share, waitUntilSaved } from './support';

test.use({ locale: 'de-DE', timezoneId: 'Europe/Berlin' });

const ORGANISATION = 'Brandt & Söhne GmbH';

/** A German day and time with its zone: "3. Dez. 2026, 14:03 MEZ" (MESZ in summer). */
const GERMAN_MOMENT = /\d{1,2}\. \S+ \d{4}, \d{2}:\d{2} MES?Z/;

/** Adds a budget line of this year in euros; resolves once it is listed. */
async function addBudgetLine(page: Page, category: string, year: string, requested: string) {
  await page.getByRole('button', { name: 'Add budget line', exact: true }).click();
  const form = page.getByRole('form', { name: 'New budget line' });
  await form.getByLabel('Category').fill(category);
  await form.getByLabel('Year').fill(year);
  await form.getByLabel('Currency').fill('EUR');
  await form.getByLabel('Amount requested').fill(requested);
  await form.getByRole('button', { name: 'Save budget line' }).click();
  await expect(form).toBeHidden();
}

test('a German-locale browser shows German dates and money', async ({ page }) => {
  await createWorkspace(page, ORGANISATION);

  // An objective's due date, target and measurement, as a German reader writes them.
  await addObjective(page, { title: 'Patches within 14 days', target: '97.5', unit: '%', dueDate: '2027-03-31' });
  const patches = objective(page, 'Patches within 14 days');
  await expect(patches.getByRole('definition').filter({ hasText: '31.03.2027' })).toHaveCount(1);
  await expect(patches).toContainText(/at least 97,5\s%/);
  await patches.getByRole('button', { name: 'Record measurement of Patches within 14 days' }).click();
  const record = patches.getByRole('form', { name: 'Record measurement' });
  // Typed values keep their own form: a date input and a number with a point.
  await record.getByLabel('Date measured').fill('2026-11-30');
  await record.getByLabel('Value').fill('96.5');
  await record.getByRole('button', { name: 'Save measurement' }).click();
  await expect(record).toBeHidden();
  const latest = patches.getByRole('list', { name: 'Latest measurements of Patches within 14 days' });
  await expect(latest.getByRole('listitem')).toHaveText([/^30\.11\.2026\s*96,5\s%/]);
  await screenshot(page, 'german-objective');

  // A budget line: money with German separators and the euro sign after the amount.
  await openSection(page, 'Resources', 'Resources');
  const year = String(new Date().getFullYear());
  await addBudgetLine(page, 'Tools and licences', year, '12500');
  const totals = page
    .getByRole('table', { name: 'Budget totals' })
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: `${year} · EUR`, exact: true }) })
    .getByRole('cell');
  await expect(totals).toHaveText([/^12\.500,00\s€$/, /^0,00\s€$/, /^0,00\s€$/, /^0,00\s€$/]);
  await waitUntilSaved(page);
  await screenshot(page, 'german-resources');

  // A policy's review date.
  await openPolicies(page);
  await page.getByRole('button', { name: 'Add policy' }).click();
  const form = page.getByRole('form', { name: 'New policy' });
  await form.getByLabel('Title').fill('Backup policy');
  await form.getByLabel('Kind').selectOption({ label: 'Topic-specific policy' });
  await form.getByLabel('Review due').fill('2030-01-31');
  await form.getByLabel('Policy text').fill('Back up every system daily.');
  await form.getByRole('button', { name: 'Save policy' }).click();
  await expect(form).toBeHidden();
  const policy = page.getByRole('list', { name: 'Policies', exact: true }).getByRole('listitem', { name: 'Backup policy' });
  await expect(policy.getByText(/Next review 31\.01\.2030/)).toBeVisible();

  // The overview: today's date and the budget in euros.
  await openSection(page, 'Overview', 'Overview');
  await expect(page.getByText(/^Where the ISMS stands today, \d{2}\.\d{2}\.\d{4}\.$/)).toBeVisible();
  await expect(page.getByRole('region', { name: 'Budget' }).getByRole('link', { name: /^Approved / })).toHaveText(/^0,00\s€$/);
  await screenshot(page, 'german-overview');

  // The history: each change at its German day and time, with the time zone.
  await openSection(page, 'History', 'History');
  const changes = page.getByRole('list', { name: 'Changes' }).getByRole('listitem');
  await expect(changes.first()).toContainText(GERMAN_MOMENT);
  await expect(changes.filter({ hasText: `Created the workspace of ${ORGANISATION}` })).toContainText(GERMAN_MOMENT);
  // The messages keep what was written, with their dates and amounts as a German reader writes them.
  await expect(changes.filter({ hasText: 'Recorded 96.5% on 30.11.2026 for objective “Patches within 14 days”' })).toHaveCount(1);
  await expect(changes.filter({ hasText: /requested 12\.500,00\s€/ })).toHaveCount(1);
  await screenshot(page, 'german-history');

  // Shared: the time it was last up to date, with its zone.
  await share(page);
  await expect(page.getByRole('status', { name: 'Sync state' })).toHaveText(/^Up to date · \d{2}:\d{2} MES?Z$/);
});
