// The Statement of Applicability (issue 13, point 5): the 93 controls of Annex A listed with
// progress per theme, found by search; an exclusion without a justification is refused with a
// clear message and nothing stored; a decision is saved; the CSV export holds a row per control.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { createWorkspace, openSection, screenshot, waitUntilSaved } from './support';

test('the 93 controls, a justified exclusion and the CSV export', async ({ page }) => {
  await createWorkspace(page, 'Hamburg Port Logistics');
  await openSection(page, 'Applicability', 'Statement of Applicability');
  const controls = page.getByRole('list', { name: 'Controls' });
  await expect(controls.locator(':scope > li')).toHaveCount(93);
  const progress = page.getByRole('table', { name: 'Progress per theme' });
  await expect(progress.getByRole('row', { name: /Organizational controls 37/ })).toBeVisible();
  await expect(progress.getByRole('row', { name: /People controls 8/ })).toBeVisible();
  await expect(progress.getByRole('row', { name: /Physical controls 14/ })).toBeVisible();
  await expect(progress.getByRole('row', { name: /Technological controls 34/ })).toBeVisible();

  await page.getByLabel('Find a control').fill('7.4');
  await expect(controls.locator(':scope > li')).toHaveCount(1);
  const row = controls.getByRole('listitem', { name: '7.4 Physical security monitoring' });
  await row.getByRole('button', { name: 'Decide 7.4 Physical security monitoring' }).click();
  const form = row.getByRole('form', { name: 'Decide control 7.4' });
  await form.getByLabel('Applicability').selectOption({ label: 'Excluded' });
  await form.getByRole('button', { name: 'Save decision' }).click();
  await expect(form.getByText(/Say why this control is excluded/)).toBeVisible();
  await expect(row.locator('.badge')).toHaveText('Not decided');
  await form.getByLabel('Justification').fill('No premises of our own: the offices are serviced and monitored by the landlord.');
  await form.getByRole('button', { name: 'Save decision' }).click();
  await expect(row.locator('.badge')).toHaveText('Excluded');
  await expect(row).toContainText('Excluded: No premises of our own');
  await page.getByLabel('Find a control').fill('');
  await expect(progress.getByRole('row', { name: /Physical controls 14 0 0 1 13/ })).toBeVisible();
  await waitUntilSaved(page);

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download CSV' }).click();
  const file = await download;
  const csv = readFileSync((await file.path())!, 'utf8');
  const lines = csv.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
  expect(lines).toHaveLength(94);
  expect(lines.find((l) => l.startsWith('7.4,'))).toContain('No premises of our own');
  await screenshot(page, 'soa');
});
