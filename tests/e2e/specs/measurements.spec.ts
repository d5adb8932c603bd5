// Recording an objective's measurements: the trend chart, the health they support, overdue flags.
import { expect, test } from '@playwright/test';
import { addObjective, createWorkspace, objective, screenshot, waitUntilSaved } from './support';

/** A day relative to today, as YYYY-MM-DD in local time. */
function day(offset: number): string {
  const d = new Date();
  d.setDate(d.getDate() + offset);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

test('measurements draw the trend and decide the health; overdue objectives are flagged', async ({ page }) => {
  await createWorkspace(page, 'Fourth Coffee');
  await addObjective(page, { title: 'Staff trained', target: '100', unit: '%', dueDate: day(30) });
  const item = objective(page, 'Staff trained');

  // Bad input is explained next to the field and nothing is stored.
  await item.getByRole('button', { name: 'Record measurement of Staff trained' }).click();
  const form = item.getByRole('form', { name: 'Record measurement' });
  await form.getByLabel('Date measured').fill('2026-02-30');
  await form.getByLabel('Value').fill('abc');
  await form.getByRole('button', { name: 'Save measurement' }).click();
  await expect(form.getByText('Enter a real date as YYYY-MM-DD.')).toBeVisible();
  await expect(form.getByText('Enter a number, for example 95 or 2.5.')).toBeVisible();
  await form.getByRole('button', { name: 'Cancel' }).click();
  await expect(item.getByRole('img')).toHaveCount(0);
  // Nothing measured yet: nothing to claim.
  await expect(item.getByText('Not assessed', { exact: true })).toBeVisible();

  // Slow progress: 40 %, 45 %, 50 % a month apart, due in a month.
  for (const [offset, value] of [[-60, '40'], [-30, '45'], [0, '50']] as const) {
    await item.getByRole('button', { name: 'Record measurement of Staff trained' }).click();
    const record = item.getByRole('form', { name: 'Record measurement' });
    await record.getByLabel('Date measured').fill(day(offset));
    await record.getByLabel('Value').fill(value);
    await record.getByRole('button', { name: 'Save measurement' }).click();
    await expect(record).toBeHidden();
  }
  await expect(item.getByRole('img', { name: 'Trend of Staff trained: 3 measurements, latest 50%' })).toBeVisible();
  await expect(item.getByRole('list', { name: 'Latest measurements of Staff trained' }).getByRole('listitem')).toHaveCount(3);
  // Too slow to reach 100 % in a month: the measurements say "At risk", and say that they do.
  await expect(item.getByText('At risk', { exact: true })).toBeVisible();
  await expect(item.getByText('From the measurements.')).toBeVisible();

  // Past its due date without reaching the target: overdue.
  await addObjective(page, { title: 'Backups restored', target: '12', unit: 'restores', dueDate: day(-10) });
  await expect(objective(page, 'Backups restored').getByText('Overdue', { exact: true })).toBeVisible();
  await expect(item.getByText('Overdue', { exact: true })).toHaveCount(0);

  await waitUntilSaved(page);
  await screenshot(page, 'measurements');
  await page.reload();
  await expect(objective(page, 'Staff trained').getByRole('img', { name: /3 measurements/ })).toBeVisible();
  await expect(objective(page, 'Staff trained').getByText('At risk', { exact: true })).toBeVisible();
});
