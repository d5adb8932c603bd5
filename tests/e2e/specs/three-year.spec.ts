// The three-year sample from the start page: three years of a mid-sized group open, read
// and edit like an empty workspace.
import { expect, test } from '@playwright/test';
import { objectiveList, waitUntilSaved } from './support';

const ORGANISATION = 'Northwind Freight Group (three-year sample)';

test('the three-year sample opens from the start page and its policies are typed live', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('/');
  await page.getByRole('button', { name: 'Open a three-year sample' }).click();
  await expect(page).toHaveURL(/\/w\/[^/?#]+\/overview$/, { timeout: 30_000 });
  await expect(page.getByRole('heading', { level: 1, name: ORGANISATION })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('heading', { level: 2, name: 'Overview' })).toBeVisible();
  // The start page lists it under its name.
  await page.goto('/');
  await expect(page.getByRole('list', { name: 'Workspaces' })).toContainText(ORGANISATION);
  await page.getByRole('list', { name: 'Workspaces' }).getByRole('link', { name: ORGANISATION }).click();
  await expect(page.getByRole('heading', { level: 1, name: ORGANISATION })).toBeVisible({ timeout: 30_000 });

  await page.getByRole('navigation', { name: 'Workspace sections' }).getByRole('link', { name: 'Objectives' }).click();
  await expect(objectiveList(page).locator(':scope > li')).toHaveCount(60);

  await page.getByRole('navigation', { name: 'Workspace sections' }).getByRole('link', { name: 'Policies' }).click();
  const policies = page.getByRole('list', { name: 'Policies', exact: true }).locator(':scope > li');
  await expect(policies).toHaveCount(20);
  const first = policies.first();
  await first.getByRole('button', { name: /^Open / }).click();
  // Three years of yearly approvals.
  await expect(first.getByRole('list', { name: 'Approvals' }).getByRole('listitem')).toHaveCount(3);
  await first.getByRole('button', { name: 'Edit text' }).click();
  const field = first.getByLabel('Policy text');
  await field.press('Control+End');
  await field.pressSequentially(' Reviewed again.', { delay: 15 });
  await expect(field).toHaveValue(/ Reviewed again\.$/);
  await waitUntilSaved(page);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: ORGANISATION })).toBeVisible({ timeout: 30_000 });
  const reloaded = page.getByRole('list', { name: 'Policies', exact: true }).locator(':scope > li').first();
  await reloaded.getByRole('button', { name: /^Open / }).click();
  await expect(reloaded.getByRole('region', { name: /^Text of / })).toContainText('Reviewed again.');
});
