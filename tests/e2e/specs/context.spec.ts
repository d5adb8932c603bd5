// Context and scope (issue 13, point 1): an issue with its effect, the climate question, an
// interested party's requirement and where the ISMS addresses it, and a scope version approved
// by top management with a verified signature; bad input is explained and stores nothing.
import { expect, test, type Page } from '@playwright/test';
import { openSection, screenshot, waitUntilSaved } from './support';

async function openSample(page: Page) {
  await page.goto('/profile');
  await page.getByRole('textbox', { name: 'Display name' }).fill('Claire Hoffmann');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.goto('/');
  await page.getByRole('button', { name: 'Open a sample workspace' }).click();
  await expect(page).toHaveURL(/\/overview$/, { timeout: 30_000 });
  await waitUntilSaved(page);
}

test('issues, the climate question, requirements and an approved scope', async ({ page }) => {
  await openSample(page);
  // Claire's key, for the approval.
  await openSection(page, 'Participants', 'Participants');
  const key = page.getByRole('region', { name: 'Your signing key' }).getByRole('form', { name: 'Record your key' });
  await key.getByRole('button', { name: 'Record my key' }).click();
  await key.getByLabel('You are').selectOption({ label: 'Claire Hoffmann' });
  await key.getByLabel('This device').fill("Claire's laptop");
  await key.getByRole('button', { name: 'Record my key' }).click();
  await expect(key).toBeHidden();

  await openSection(page, 'Context', 'Context and scope');
  // An issue: refused empty, then recorded.
  await page.getByRole('button', { name: 'Record issue' }).click();
  const form = page.getByRole('form', { name: 'New issue' });
  await form.getByRole('button', { name: 'Save issue' }).click();
  await expect(form.getByText('Describe the issue.')).toBeVisible();
  await expect(form.getByText('Say how it affects what the ISMS should achieve.')).toBeVisible();
  await expect(page.getByRole('list', { name: 'Issues' })).not.toContainText('NIS2 applies to logistics operators');
  await form.getByLabel('Issue', { exact: true }).fill('NIS2 applies to logistics operators from October');
  await form.getByLabel('Effect on the ISMS').fill('Incidents must be reported to the authority within 24 hours.');
  await form.getByRole('button', { name: 'Save issue' }).click();
  await expect(page.getByRole('list', { name: 'Issues' })).toContainText('NIS2 applies to logistics operators');

  // The climate question needs its reason.
  const climate = page.getByRole('form', { name: 'Climate change' });
  await climate.getByLabel('Climate change is a relevant issue').selectOption({ label: 'Yes' });
  await climate.getByLabel('Why').fill('');
  await climate.getByRole('button', { name: 'Save answer' }).click();
  await expect(climate.getByText('Say why climate change is, or is not, a relevant issue.')).toBeVisible();
  await climate.getByLabel('Why').fill('Floods at the port of Hamburg stop the trucks.');
  await climate.getByRole('button', { name: 'Save answer' }).click();
  await expect(climate.getByText('Saved.')).toBeVisible();

  // A party and a requirement the ISMS addresses.
  await page.getByRole('form', { name: 'New interested party' }).getByLabel('Interested party').fill('Hamburg Port Authority');
  await page.getByRole('button', { name: 'Add party' }).click();
  const requirement = page.getByRole('form', { name: 'New requirement of Hamburg Port Authority' });
  await requirement.getByLabel('Requirement').fill('Incidents reported within 24 hours');
  await requirement.getByLabel('Kind').selectOption({ label: 'Contractual' });
  await requirement.getByLabel('Where the ISMS addresses it').fill('Incident management policy');
  await requirement.getByRole('button', { name: 'Add requirement' }).click();
  await expect(page.getByRole('list', { name: 'Requirements of Hamburg Port Authority' })).toContainText(
    'Incidents reported within 24 hours — addressed in Incident management policy',
  );

  // A scope version, approved with a verified signature.
  await page.getByRole('button', { name: 'Write a new version' }).click();
  const scope = page.getByRole('form', { name: 'New scope version' });
  await scope.getByLabel('Boundaries: what is in and what is out').fill('In: booking and customer data. Out: the canteen.');
  await scope.getByRole('button', { name: 'Save version' }).click();
  const version = page.getByRole('listitem', { name: 'Scope version 2' });
  await expect(version.getByText('Not approved')).toBeVisible();
  await version.getByRole('button', { name: 'Approve version 2' }).click();
  await expect(version.getByText('In force')).toBeVisible();
  await expect(version.getByText('Signature verified')).toBeVisible();
  await waitUntilSaved(page);
  await screenshot(page, 'context');
});
