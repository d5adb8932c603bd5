// The risk register (issue 13, points 3, 4, 7): a risk added, found in the right heat map cell, the
// cell filtering the list; its control shows the risk on that row of the Statement of
// Applicability; bad ratings are refused; the owner accepts it with a verified signature, edits it
// and accepts it again; a treatment action is added and done; top management approves the risk
// criteria; the register prints and downloads as CSV.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { addPerson, addRole, createWorkspace, openSection, screenshot, waitUntilSaved } from './support';

// The page's Content Security Policy forbids inline scripts, rightly; the checker is one.
test.use({ bypassCSP: true });

/** The serious and critical violations axe-core (WCAG 2.1 A and AA) finds on the page as it is now. */
async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  }
  const violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] = await page.evaluate(
    async () => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const axe = (window as any).axe;
      const result = await axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      });
      return result.violations;
    },
  );
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('a risk in its heat map cell, linked to a control, accepted by its owner', async ({ page }) => {
  await createWorkspace(page, 'Hamburg Port Logistics');
  await openSection(page, 'People and roles', 'People and roles');
  await addPerson(page, 'Priya Raman');
  await openSection(page, 'Participants', 'Participants');
  const key = page.getByRole('region', { name: 'Your signing key' }).getByRole('form', { name: 'Record your key' });
  await key.getByRole('button', { name: 'Record my key' }).click();
  await key.getByLabel('You are').selectOption({ label: 'Priya Raman' });
  await key.getByLabel('This device').fill("Priya's laptop");
  await key.getByRole('button', { name: 'Record my key' }).click();
  await expect(key).toBeHidden();

  await openSection(page, 'Risks', 'Risk register');
  await page.getByRole('button', { name: 'Add risk' }).click();
  const form = page.getByRole('form', { name: 'New risk' });
  // Nothing chosen: each rating is asked for, and nothing is stored.
  await form.getByLabel('Risk', { exact: true }).fill('Ransomware on the booking platform');
  await form.getByRole('button', { name: 'Save risk' }).click();
  await expect(form.getByText('Choose a likelihood from 1 to 5.').first()).toBeVisible();
  await expect(page.getByRole('list', { name: 'Risks' })).toHaveCount(0);
  await form.getByLabel('Asset or scenario').fill('Booking platform');
  await form.getByLabel('Threat').fill('Ransomware');
  await form.getByRole('checkbox', { name: 'Availability' }).check();
  await form.getByLabel('Risk owner').selectOption({ label: 'Priya Raman' });
  await form.getByLabel('Inherent likelihood').selectOption({ index: 4 });
  await form.getByLabel('Inherent consequence').selectOption({ index: 5 });
  await form.getByLabel('Residual likelihood').selectOption({ index: 2 });
  await form.getByLabel('Residual consequence').selectOption({ index: 3 });
  await form.getByLabel('Treatment').selectOption({ label: 'Modify' });
  await form.getByLabel('Controls').fill('8.7');
  await form.getByRole('button', { name: 'Save risk' }).click();
  await expect(form).toBeHidden();
  const risks = page.getByRole('list', { name: 'Risks' });
  await expect(risks.locator(':scope > li')).toHaveCount(1);

  // The inherent heat map has it at likelihood 4, consequence 5; that cell filters the list.
  const map = page.getByRole('table', { name: 'Heat map of inherent ratings' });
  const cell = map.getByRole('button', { name: 'Likelihood 4, consequence 5: 1 risks, level 20' });
  await expect(cell).toHaveText('1');
  await map.getByRole('button', { name: /^Likelihood 1, consequence 1: 0 risks/ }).click();
  await expect(page.getByText('No risks here')).toBeVisible();
  await cell.click();
  await expect(risks.locator(':scope > li')).toHaveCount(1);
  await expect(cell).toHaveAttribute('aria-pressed', 'true');

  // The owner accepts it: residual 2 × 3 = 6, within the threshold.
  const risk = risks.getByRole('listitem', { name: 'Ransomware on the booking platform' });
  await risk.getByRole('button', { name: 'Accept the risk “Ransomware on the booking platform” as its owner' }).click();
  await expect(risk.getByText('Signature verified')).toBeVisible();
  await waitUntilSaved(page);
  await cell.click();

  // The owner lowers the residual likelihood: the acceptance is flagged, naming what changed.
  await risk.getByRole('button', { name: 'Edit the risk “Ransomware on the booking platform”' }).click();
  const edit = risk.getByRole('form', { name: 'Edit risk' });
  await expect(edit.getByLabel('Risk', { exact: true })).toHaveValue('Ransomware on the booking platform');
  await expect(edit.getByLabel('Residual likelihood')).toHaveValue('2');
  await edit.getByLabel('Residual likelihood').selectOption({ index: 1 });
  await edit.getByLabel('Reassess by').fill('30/11/2026');
  await edit.getByRole('button', { name: 'Save risk' }).click();
  await expect(edit.getByText('Enter the reassessment date as YYYY-MM-DD.')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'risks-edit-form');
  await edit.getByLabel('Reassess by').fill('2026-11-30');
  await edit.getByRole('button', { name: 'Save risk' }).click();
  await expect(edit).toBeHidden();
  await expect(risk).toContainText('residual 1 × 3 = 3');
  await expect(risk.getByText('Reassessment overdue')).toBeVisible();
  await expect(risk).toContainText('Reassess by');
  await expect(risk.getByText('Needs accepting again: likelihood or consequence changed.')).toBeVisible();
  const acceptAgain = risk.getByRole('button', { name: 'Accept again: the risk “Ransomware on the booking platform”, as its owner' });
  await expect(acceptAgain).toHaveText('Accept again');
  await acceptAgain.click();
  await expect(risk.getByText(/^Needs accepting again/)).toHaveCount(0);
  await expect(risk.getByRole('button', { name: 'Accept the risk “Ransomware on the booking platform” as its owner' })).toHaveText('Accept');
  await expect(risk.getByText('Signature verified')).toBeVisible();
  await expect(risk).toContainText('Signed by Priya Raman with key');

  // A treatment action needs a due date; once added, it is marked done.
  await risk.getByRole('button', { name: 'Add treatment action to “Ransomware on the booking platform”' }).click();
  const action = risk.getByRole('form', { name: 'New treatment action' });
  await action.getByLabel('What is to be done').fill('Patch the booking servers');
  await action.getByLabel('Who does it').selectOption({ label: 'Priya Raman' });
  await action.getByLabel('Resources needed').fill('Two days of the admin team');
  await action.getByRole('button', { name: 'Save treatment action' }).click();
  await expect(action.getByText('Enter the due date: every treatment action needs one (YYYY-MM-DD).')).toBeVisible();
  await expect(action.getByLabel('Due date')).toBeFocused();
  expect(await seriousViolations(page)).toEqual([]);
  await action.getByLabel('Due date').fill('2027-03-31');
  await action.getByRole('button', { name: 'Save treatment action' }).click();
  await expect(action).toBeHidden();
  const actions = risk.getByRole('list', { name: 'Treatment actions of “Ransomware on the booking platform”' });
  const patch = actions.getByRole('listitem', { name: 'Patch the booking servers' });
  await expect(patch).toContainText('Priya Raman');
  await expect(patch.getByText('Open', { exact: true })).toBeVisible();
  await patch.getByRole('button', { name: 'Mark done: “Patch the booking servers”' }).click();
  await expect(patch.getByText('Done', { exact: true })).toBeVisible();

  // A new version of the risk criteria: its threshold checked, then approved by top management only.
  const criteria = page.getByRole('region', { name: 'Risk criteria' });
  await expect(criteria).toContainText('No version approved yet');
  await criteria.getByRole('button', { name: 'Draft a new version' }).click();
  const version = criteria.getByRole('form', { name: 'New version of the risk criteria' });
  await expect(version.getByLabel('Likelihood levels')).toHaveValue('Rare\nUnlikely\nPossible\nLikely\nAlmost certain');
  await version.getByLabel('Acceptance threshold').fill('30');
  await version.getByRole('button', { name: 'Save draft' }).click();
  await expect(version.getByText('Enter the acceptance threshold as a whole number from 1 to 25.')).toBeVisible();
  await expect(version.getByLabel('Acceptance threshold')).toBeFocused();
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'risks-criteria-form');
  await version.getByLabel('Acceptance threshold').fill('8');
  await version.getByRole('button', { name: 'Save draft' }).click();
  await expect(version).toBeHidden();
  const draft = criteria.getByRole('listitem', { name: 'Draft version 1' });
  await expect(draft).toContainText('Levels up to 8 are acceptable without treatment');
  await draft.getByRole('button', { name: 'Approve version 1' }).click();
  await expect(criteria.getByRole('alert')).toHaveText(
    'Only a member of top management can approve the risk criteria; Priya Raman does not hold the Top management role.',
  );
  await openSection(page, 'People and roles', 'People and roles');
  await addRole(page, 'Top management', 'Priya Raman');
  await openSection(page, 'Risks', 'Risk register');
  // Now that the role exists, the draft lets top management accept up to level 20.
  await draft.getByRole('button', { name: 'Edit draft version 1' }).click();
  const editVersion = draft.getByRole('form', { name: 'Edit draft version 1' });
  await expect(editVersion.getByLabel('Acceptance threshold')).toHaveValue('8');
  await editVersion.getByLabel('Top management: highest level it may accept').fill('20');
  await editVersion.getByRole('button', { name: 'Save draft' }).click();
  await expect(editVersion).toBeHidden();
  await expect(draft).toContainText('Top management may accept residual levels up to 20.');
  await draft.getByRole('button', { name: 'Approve version 1' }).click();
  await expect(criteria).toContainText('Version 1 in force');
  await expect(criteria).toContainText('Top management may accept residual levels up to 20.');
  await expect(criteria.getByText('Signature verified')).toBeVisible();
  await expect(criteria).toContainText('Levels up to 8 are acceptable without treatment');
  await expect(criteria.getByRole('listitem', { name: 'Draft version 1' })).toHaveCount(0);
  // The risk was assessed under the defaults: its acceptance asks to be given again.
  await expect(risk).toContainText('assessed under the default criteria');
  await expect(risk.getByText('Needs accepting again: criteria changed.')).toBeVisible();

  // Deleted, then put back with Undo.
  await risk.getByRole('button', { name: 'Delete the risk “Ransomware on the booking platform”' }).click();
  await expect(page.getByText('Deleted the risk “Ransomware on the booking platform”.')).toBeVisible();
  await expect(risks).toHaveCount(0);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(risk).toBeVisible();
  await expect(risk.getByRole('listitem', { name: 'Patch the booking servers' })).toBeVisible();
  await waitUntilSaved(page);
  await screenshot(page, 'risks');
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
  await screenshot(page, 'risks-phone');
  expect(await seriousViolations(page)).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 800 });

  // The register on paper: the criteria in force and the risk with its levels and action.
  await page.getByRole('link', { name: 'Print the register' }).click();
  const printed = page.getByRole('article', { name: 'Risk register for printing' });
  await expect(printed.getByRole('heading', { level: 2, name: 'Risk register' })).toBeVisible();
  await expect(printed).toContainText('Hamburg Port Logistics');
  await expect(printed).toContainText('Version 1 in force');
  const row = printed.getByRole('row', { name: /Ransomware on the booking platform/ });
  await expect(row).toContainText('4 × 5 = 20');
  await expect(row).toContainText('1 × 3 = 3');
  await expect(row).toContainText('Patch the booking servers — Priya Raman');
  await expect(row).toContainText('Needs accepting again: criteria changed');
  await screenshot(page, 'risks-print');
  expect(await seriousViolations(page)).toEqual([]);
  await page.emulateMedia({ media: 'print' });
  await screenshot(page, 'risks-print-paper');
  await page.emulateMedia({ media: 'screen' });
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByRole('link', { name: 'Back to the risk register' }).click();

  // The CSV: a header and one row, for this risk.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('risk-register.csv');
  const csv = readFileSync((await file.path())!, 'utf8');
  const lines = csv.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain('Ransomware on the booking platform');
  expect(lines[1]).toContain('Priya Raman');

  // The control shows the risk on its row of the Statement of Applicability.
  await openSection(page, 'Applicability', 'Statement of Applicability');
  await page.getByLabel('Find a control').fill('8.7');
  await expect(page.getByRole('listitem', { name: /^8\.7 / })).toContainText('Treats: Ransomware on the booking platform');
});
