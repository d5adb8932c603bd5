// The certification cycle and the stage 1 dossier (issue 14, points 4 and 5): a certificate
// refused with a bad date and then recorded, its next window on the overview, the what-if of
// moving an audit, and the dossier of an empty workspace and of the sample.
import { expect, test, type Page } from '@playwright/test';
import { createWorkspace, openSection, screenshot, waitUntilSaved } from './support';

/** The day `days` from today, as YYYY-MM-DD (UTC, as the app counts days). */
function day(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

const ITEMS = [
  'ISMS scope',
  'Information security policy',
  'Risk criteria',
  'Risk assessment',
  'Risk treatment plan',
  'Statement of Applicability',
  'Information security objectives',
  'Evidence of competence',
  'Monitoring and measurement results',
  'Internal audit programme and results',
  'Management review results',
  'Nonconformities and corrective actions',
];

const FIRST = 'First surveillance audit, within 12 months of the certification decision';

async function openSample(page: Page) {
  await page.goto('/profile');
  await page.getByRole('textbox', { name: 'Display name' }).fill('Claire Hoffmann');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.goto('/');
  await page.getByRole('button', { name: 'Open a sample workspace' }).click();
  await expect(page).toHaveURL(/\/overview$/, { timeout: 30_000 });
  await waitUntilSaved(page);
}

test('a certificate: refused with a bad date, then recorded, its next window on the overview, and a what-if', async ({ page }) => {
  await createWorkspace(page, 'Harbour Freight');
  await openSection(page, 'Certification', 'Certification');
  await expect(page.getByText('No certificate yet')).toBeVisible();
  const form = page.getByRole('form', { name: 'Certificate' });
  await form.getByLabel('Certification body', { exact: true }).fill('Nordic Certification AB');
  await form.getByLabel('Certificate number', { exact: true }).fill('ISMS-2026-0042');
  await form.getByLabel('Scope on the certificate', { exact: true }).fill('Booking platform and the Hamburg office');
  await form.getByLabel('Certification decision', { exact: true }).fill('10 March');
  await form.getByRole('button', { name: 'Save certificate' }).click();
  await expect(form.getByText('Enter the day as YYYY-MM-DD.')).toBeVisible();
  await expect(form.getByLabel('Certification decision', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  // Nothing stored.
  await expect(page.getByText('No certificate yet')).toBeVisible();

  // A decision about ten months ago: the first surveillance window closes in about two months.
  const decision = day(-300);
  await form.getByLabel('Certification decision', { exact: true }).fill(decision);
  await form.getByLabel(/^Stage 1 audit/).fill(day(-420));
  await form.getByLabel(/^Stage 2 audit, last day/).fill(day(-330));
  await form.getByRole('button', { name: 'Save certificate' }).click();
  await expect(page.getByRole('heading', { level: 3, name: 'Certificate ISMS-2026-0042' })).toBeVisible();
  const milestones = page.getByRole('table', { name: 'Milestones' });
  await expect(milestones.getByRole('row', { name: new RegExp(FIRST) })).toContainText(/Open, \d+ days left/);
  await screenshot(page, 'certification-recorded');

  // The overview's tile names it, with the 90-day warning.
  await openSection(page, 'Overview', 'Overview');
  const tile = page.getByRole('region', { name: 'Certification' });
  await expect(tile.getByRole('link', { name: new RegExp(`Next: ${FIRST}`) })).toBeVisible();
  await expect(tile.getByText('Soon: 90 days or fewer left.')).toBeVisible();
  await screenshot(page, 'certification-tile');

  // A surveillance audit held six months after the decision covers the window.
  await tile.getByRole('link', { name: new RegExp(FIRST) }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Certification' })).toBeVisible();
  await page.getByRole('button', { name: 'Edit certificate' }).click();
  await form.getByRole('button', { name: 'Add a surveillance audit' }).click();
  await form.getByLabel('Surveillance audit 1', { exact: true }).fill(day(-120));
  await form.getByRole('button', { name: 'Save certificate' }).click();
  await expect(form).toBeHidden();
  await expect(milestones.getByRole('row', { name: new RegExp(FIRST) })).toContainText('Held on');

  // What if it had been held two months later than the window allows?
  const whatIf = page.getByRole('region', { name: 'What if an audit moves?' });
  await whatIf.getByLabel('Audit to move', { exact: true }).selectOption({ index: 1 });
  await whatIf.getByLabel('Move it to', { exact: true }).fill(day(125));
  const result = page.getByRole('status', { name: 'What would break' });
  await expect(result).toContainText(`Would break: ${FIRST}`);
  await screenshot(page, 'certification-what-if');
  // Nothing stored: the audit is still held where it was.
  await expect(milestones.getByRole('row', { name: new RegExp(FIRST) })).toContainText('Held on');
  await whatIf.getByLabel('Move it to', { exact: true }).fill(day(-100));
  await expect(result).toContainText('No window would break.');
  // At phone width the page does not scroll sideways (the milestones scroll in their own box).
  await page.setViewportSize({ width: 375, height: 800 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  await screenshot(page, 'certification-phone');
});

test('the dossier of an empty workspace lists every item as a gap', async ({ page }) => {
  await createWorkspace(page, 'Harbour Freight');
  await openSection(page, 'Certification', 'Certification');
  await page.getByRole('link', { name: 'Stage 1 dossier' }).click();
  await expect(page.getByRole('article', { name: 'Stage 1 dossier of Harbour Freight' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 3 })).toHaveCount(ITEMS.length);
  for (const item of ITEMS) {
    await expect(page.getByRole('list', { name: `Gaps in ${item}` })).toContainText('Missing: ');
  }
  await expect(page.getByRole('button', { name: 'Print' })).toBeVisible();
  await screenshot(page, 'dossier-empty');
});

test('the dossier of the sample lists its gaps, not its scope, its policy or its audits', async ({ page }) => {
  await openSample(page);
  await openSection(page, 'Certification', 'Certification');
  await page.getByRole('link', { name: 'Stage 1 dossier' }).click();
  await expect(page.getByRole('article', { name: /^Stage 1 dossier of / })).toBeVisible();
  // Nothing signed; its audit and its nonconformities are there.
  await expect(page.getByRole('list', { name: 'Gaps in Management review results' })).toContainText('Missing: ');
  await expect(page.getByRole('list', { name: 'Gaps in Internal audit programme and results' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: '2 internal audits, 1 reported' })).toBeVisible();
  // Approved policies and a written scope.
  await expect(page.getByRole('list', { name: 'Gaps in ISMS scope' })).toHaveCount(0);
  await expect(page.getByRole('list', { name: 'Gaps in Information security policy' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Information security policy' })).toBeVisible();
  await screenshot(page, 'dossier-sample');
  // Printed, the organisation is named once, on the dossier's cover.
  const organisation = (await page.getByRole('heading', { level: 1 }).textContent())?.trim() ?? '';
  expect(organisation).not.toBe('');
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('heading', { level: 1 })).toBeHidden();
  await expect(page.getByRole('link', { name: 'Back to certification' })).toBeHidden();
  await expect(page.getByText(organisation, { exact: true }).filter({ visible: true })).toHaveCount(1);
  await page.emulateMedia({ media: 'screen' });
  await page.setViewportSize({ width: 375, height: 800 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  await screenshot(page, 'dossier-sample-phone');
});
