// The implementation plan (issue 13, point 2): started from the ISO 27001 template, drawn on a
// timeline with today's line; a stage whose deadline comes before its start is refused with a
// clear message and nothing stored; a finished stage waits for its record's approval.
import { expect, test } from '@playwright/test';
import { createWorkspace, addPerson, openSection, screenshot, waitUntilSaved } from './support';

test('a plan from the template, on a timeline, with its checks', async ({ page }) => {
  await createWorkspace(page, 'Hamburg Port Logistics');
  await openSection(page, 'People and roles', 'People and roles');
  await addPerson(page, 'Priya Raman');
  await openSection(page, 'Plan', 'Implementation plan');
  await expect(page.getByText('No plan yet')).toBeVisible();
  const template = page.getByRole('form', { name: 'Start from the template' });
  await template.getByLabel('Start').fill('2026-01-05');
  await template.getByLabel('Owner of every stage').selectOption({ label: 'Priya Raman' });
  await template.getByRole('button', { name: 'Start from the template' }).click();
  const stages = page.getByRole('list', { name: 'Stages' });
  await expect(stages.locator(':scope > li')).toHaveCount(11);
  await expect(stages.locator(':scope > li').first()).toContainText('Gap analysis');
  await expect(page.getByRole('img', { name: /^Timeline of the plan from/ })).toBeVisible();

  // A deadline before the start: refused, and nothing stored.
  await page.getByRole('button', { name: 'Add stage' }).click();
  const form = page.getByRole('form', { name: 'New stage' });
  await form.getByLabel('Stage', { exact: true }).fill('Supplier audit');
  await form.getByLabel('Owner', { exact: true }).selectOption({ label: 'Priya Raman' });
  await form.getByLabel('Start', { exact: true }).fill('2026-05-10');
  await form.getByLabel('Deadline', { exact: true }).fill('2026-05-01');
  await form.getByRole('button', { name: 'Save stage' }).click();
  await expect(form.getByText('The deadline cannot be before the start.')).toBeVisible();
  await expect(stages.locator(':scope > li')).toHaveCount(11);
  await form.getByLabel('Deadline', { exact: true }).fill('2026-05-31');
  await form.getByRole('checkbox', { name: 'Gap analysis' }).check();
  await form.getByRole('button', { name: 'Save stage' }).click();
  await expect(stages.locator(':scope > li')).toHaveCount(12);
  const audit = stages.getByRole('listitem', { name: 'Supplier audit' });
  await expect(audit).toContainText('Waits for: Gap analysis');

  // The policy stage, finished, waits for its policy's approval.
  const policy = stages.getByRole('listitem', { name: /^Information security policy/ });
  await policy.getByLabel('Status').selectOption({ label: 'Finished' });
  await expect(policy.getByText(/^(Waiting for approval|Overdue)$/).first()).toBeVisible();
  await waitUntilSaved(page);
  await screenshot(page, 'plan');
});
