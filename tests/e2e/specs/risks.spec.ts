// The risk register (issue 13, point 4): a risk added, found in the right heat map cell, the cell
// filtering the list; its control shows the risk on that row of the Statement of Applicability;
// bad ratings are refused; the owner accepts it with a verified signature.
import { expect, test } from '@playwright/test';
import { addPerson, createWorkspace, openSection, screenshot, waitUntilSaved } from './support';

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
  await screenshot(page, 'risks');

  // The control shows the risk on its row of the Statement of Applicability.
  await openSection(page, 'Applicability', 'Statement of Applicability');
  await page.getByLabel('Find a control').fill('8.7');
  await expect(page.getByRole('listitem', { name: /^8\.7 / })).toContainText('Treats: Ransomware on the booking platform');
});
