// Two tabs of one browser on the same workspace see each other's changes live.
import { expect, test } from '@playwright/test';
import { addObjective, createWorkspace, fillObjective, objective, waitUntilSaved } from './support';

test('two tabs of one browser see each other’s edits without a reload', async ({ page, context }) => {
  await createWorkspace(page, 'Woodgrove Bank');
  const address = page.url();
  const second = await context.newPage();
  await second.goto(address);
  await expect(second.getByRole('heading', { level: 1, name: 'Woodgrove Bank' })).toBeVisible();

  await addObjective(page, { title: 'Phishing click rate', target: '5', unit: '%' });
  await expect(objective(second, 'Phishing click rate')).toBeVisible();
  await expect(objective(second, 'Phishing click rate')).toContainText('5%');

  await second.getByRole('button', { name: 'Edit Phishing click rate', exact: true }).click();
  const form = second.getByRole('form', { name: 'Edit objective' });
  await fillObjective(form, { target: '3' });
  await form.getByRole('button', { name: 'Save objective' }).click();
  await expect(objective(page, 'Phishing click rate')).toContainText('3%');

  await addObjective(second, { title: 'Patch latency', target: '14', unit: 'days' });
  await expect(objective(page, 'Patch latency')).toBeVisible();
  await waitUntilSaved(page);
  await waitUntilSaved(second);

  // Each change was applied once: a reload shows exactly the two objectives.
  await page.reload();
  await expect(page.getByRole('list', { name: 'Objectives', exact: true }).getByRole('listitem')).toHaveCount(2);
  await expect(objective(page, 'Phishing click rate')).toContainText('3%');
});
