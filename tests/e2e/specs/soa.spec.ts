// The Statement of Applicability (issue 13, point 5): the 93 controls of Annex A listed with
// progress per theme, found by search; an exclusion without a justification is refused with a
// clear message and nothing stored; a decision is saved; the CSV export holds a row per control.
// Issue 13, point 7: a control added beyond Annex A, a version approved by top management
// with a verified signature (refused to anyone else, with the reason), and the printable
// Statement holding every control with the decisions made.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { addPerson, addRole, createWorkspace, openSection, screenshot, waitUntilSaved } from './support';

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

/** Records this browser's key for `person` on the Participants page. */
async function recordKey(page: Page, person: string) {
  await openSection(page, 'Participants', 'Participants');
  const key = page.getByRole('region', { name: 'Your signing key' }).getByRole('form', { name: 'Record your key' });
  await key.getByRole('button', { name: 'Record my key' }).click();
  await key.getByLabel('You are').selectOption({ label: person });
  await key.getByLabel('This device').fill('Laptop');
  await key.getByRole('button', { name: 'Record my key' }).click();
  await expect(key).toBeHidden();
}

test('an added control, a version approved by top management, and the printable Statement', async ({ page }) => {
  await createWorkspace(page, 'Hamburg Port Logistics');
  await openSection(page, 'People and roles', 'People and roles');
  await addPerson(page, 'Ada Lovelace');
  await recordKey(page, 'Ada Lovelace');

  await openSection(page, 'Applicability', 'Statement of Applicability');
  const controls = page.getByRole('list', { name: 'Controls' });
  // A decision, to find again in the printed Statement.
  const monitoring = controls.getByRole('listitem', { name: '7.4 Physical security monitoring' });
  await monitoring.getByRole('button', { name: 'Decide 7.4 Physical security monitoring' }).click();
  const decide = monitoring.getByRole('form', { name: 'Decide control 7.4' });
  await decide.getByLabel('Applicability').selectOption({ label: 'Excluded' });
  await decide.getByLabel('Justification').fill('No premises of our own: the landlord monitors the building.');
  await decide.getByRole('button', { name: 'Save decision' }).click();
  await expect(monitoring.locator('.badge')).toHaveText('Excluded');

  // A control beyond Annex A: refused without a title or theme, then listed as A-1.
  await page.getByRole('button', { name: 'Add a control' }).click();
  const add = page.getByRole('form', { name: 'New control' });
  await add.getByRole('button', { name: 'Add control' }).click();
  await expect(add.getByText("Enter the control's title.")).toBeVisible();
  await expect(add.getByText(/^Choose the theme/)).toBeVisible();
  await screenshot(page, 'soa-add-control');
  await expect(controls.locator(':scope > li')).toHaveCount(93);
  await add.getByLabel('Control', { exact: true }).fill('Port facility security plan (ISPS Code)');
  await add.getByLabel('Theme').selectOption({ label: 'Physical controls' });
  await add.getByRole('button', { name: 'Add control' }).click();
  await expect(add).toBeHidden();
  await expect(controls.locator(':scope > li')).toHaveCount(94);
  const added = controls.getByRole('listitem', { name: 'A-1 Port facility security plan (ISPS Code)' });
  await expect(added.locator('.badge')).toHaveText('Not decided');
  await added.getByRole('button', { name: 'Decide A-1 Port facility security plan (ISPS Code)' }).click();
  const decideAdded = added.getByRole('form', { name: 'Decide control A-1' });
  await decideAdded.getByLabel('Applicability').selectOption({ label: 'Applicable' });
  await decideAdded.getByRole('checkbox', { name: 'Legal or regulatory requirement' }).check();
  await decideAdded.getByLabel('Implementation').selectOption({ label: 'Planned' });
  await decideAdded.getByRole('button', { name: 'Save decision' }).click();
  await expect(added.locator('.badge')).toHaveText('Planned');

  // Approving: Ada does not hold the Top management role yet, and the page says so.
  const versions = page.getByRole('region', { name: 'Versions' });
  await expect(versions.getByText('No version approved yet')).toBeVisible();
  await expect(versions.getByText('92 controls are not decided yet', { exact: false })).toBeVisible();
  await versions.getByRole('button', { name: 'Approve this version' }).click();
  let confirm = versions.getByRole('group', { name: 'Approve version 1 of the Statement of Applicability' });
  await expect(confirm.getByRole('button', { name: 'Approve version 1' })).toBeFocused();
  await confirm.getByRole('button', { name: 'Approve version 1' }).click();
  await expect(versions.getByRole('alert')).toContainText('Ada Lovelace does not hold the Top management role');
  await expect(versions.getByRole('list', { name: 'Approved versions' })).toHaveCount(0);
  // Escape closes the question, and the focus goes back to the button that asked it.
  await confirm.getByRole('button', { name: 'Approve version 1' }).press('Escape');
  await expect(confirm).toBeHidden();
  await expect(versions.getByRole('button', { name: 'Approve this version' })).toBeFocused();

  await openSection(page, 'People and roles', 'People and roles');
  await addRole(page, 'Top management', 'Ada Lovelace');
  await waitUntilSaved(page);
  await openSection(page, 'Applicability', 'Statement of Applicability');
  await versions.getByRole('button', { name: 'Approve this version' }).click();
  confirm = versions.getByRole('group', { name: 'Approve version 1 of the Statement of Applicability' });
  await expect(confirm).toContainText('92 controls are not decided yet');
  await confirm.getByRole('button', { name: 'Approve version 1' }).click();
  await expect(confirm).toBeHidden();
  const version = versions.getByRole('list', { name: 'Approved versions' }).getByRole('listitem', { name: 'Version 1' });
  await expect(version.getByText('Signature verified')).toBeVisible();
  await expect(version).toContainText('Approved by Ada Lovelace on');
  await expect(version).toContainText('No control has changed since.');
  await expect(version).toContainText('92 controls were not decided when it was approved.');
  await waitUntilSaved(page);
  await screenshot(page, 'soa-versions');

  // The printable Statement: every control, per theme, with the decisions.
  await page.getByRole('link', { name: 'Print the Statement of Applicability' }).click();
  const statement = page.getByRole('article', { name: 'Statement of Applicability of Hamburg Port Logistics' });
  await expect(statement).toBeVisible();
  await expect(statement).toContainText('Version 1, approved by Ada Lovelace on');
  await expect(statement.getByText('Signature verified')).toBeVisible();
  const counts: [string, number][] = [
    ['Organizational controls', 37],
    ['People controls', 8],
    ['Physical controls', 15],
    ['Technological controls', 34],
  ];
  let total = 0;
  for (const [theme, count] of counts) {
    const rows = statement.getByRole('table', { name: theme }).locator('tbody tr');
    await expect(rows).toHaveCount(count);
    total += count;
  }
  expect(total).toBe(94);
  const physical = statement.getByRole('table', { name: 'Physical controls' });
  await expect(physical.getByRole('row', { name: /^7\.4 Physical security monitoring Excluded No premises of our own/ })).toBeVisible();
  await expect(physical.getByRole('row', { name: /^A-1 Port facility security plan \(ISPS Code\) Applicable Legal or regulatory requirement Planned/ })).toBeVisible();
  await expect(physical.getByRole('row', { name: /^7\.1 Physical security perimeters Not decided/ })).toBeVisible();
  await screenshot(page, 'soa-print');
  // On paper: no navigation, no buttons, each theme on its own page.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: 'Workspace sections' })).toBeHidden();
  await expect(statement.getByRole('button', { name: 'Print' })).toBeHidden();
  await screenshot(page, 'soa-print-paper');
  await page.emulateMedia({ media: 'screen' });
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
  await screenshot(page, 'soa-print-phone');
  await page.getByRole('link', { name: 'Back to the Statement of Applicability' }).click();
  await expect(versions).toBeVisible();
  await screenshot(page, 'soa-versions-phone');
});
