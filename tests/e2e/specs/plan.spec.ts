// The implementation plan (issue 13, point 2): started from the ISO 27001 template, drawn on a
// timeline with today's line; a stage whose deadline comes before its start is refused with a
// clear message and nothing stored; a finished stage waits for its record's approval.
// Issue 13, point 7: an edit that would close a circle of stages is refused with the circle named
// and nothing stored; the scope stage links a scope version; the CSV export and the printable plan.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
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

/** Splits CSV text (quoted fields, CRLF lines) into rows of cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else {
      cell += c;
    }
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

async function templatePlan(page: Page) {
  await createWorkspace(page, 'Hamburg Port Logistics');
  await openSection(page, 'People and roles', 'People and roles');
  await addPerson(page, 'Priya Raman');
  // A scope version for the scope stage to link.
  await openSection(page, 'Context', 'Context and scope');
  await page.getByRole('button', { name: 'Write a new version' }).click();
  const scope = page.getByRole('form', { name: 'New scope version' });
  await scope.getByLabel('Scope statement').fill('Booking and tracking of container transport.');
  await scope.getByLabel('Boundaries: what is in and what is out').fill('In: booking and customer data. Out: the canteen.');
  await scope.getByRole('button', { name: 'Save version' }).click();
  await expect(page.getByRole('listitem', { name: 'Scope version 1' })).toBeVisible();
  await openSection(page, 'Plan', 'Implementation plan');
  const template = page.getByRole('form', { name: 'Start from the template' });
  await template.getByLabel('Start').fill('2026-01-05');
  await template.getByLabel('Owner of every stage').selectOption({ label: 'Priya Raman' });
  await template.getByRole('button', { name: 'Start from the template' }).click();
  await expect(page.getByRole('list', { name: 'Stages' }).locator(':scope > li')).toHaveCount(11);
}

test('an edit closing a circle is refused; the scope stage links its version; CSV and print', async ({ page }) => {
  await templatePlan(page);
  const stages = page.getByRole('list', { name: 'Stages' });
  const scope = stages.getByRole('listitem', { name: 'ISMS scope (4.3)' });
  await expect(scope).toContainText('Link the version of the ISMS scope this stage produces.');

  // The policy waits for the scope: making the scope wait for the policy is refused.
  await scope.getByRole('button', { name: 'Edit the stage “ISMS scope (4.3)”' }).click();
  const form = scope.getByRole('form', { name: 'Edit stage “ISMS scope (4.3)”' });
  await expect(form.getByLabel('Stage', { exact: true })).toHaveValue('ISMS scope (4.3)');
  await expect(form.getByLabel('Start', { exact: true })).toHaveValue('2026-01-26');
  await expect(form.getByRole('checkbox', { name: 'Gap analysis' })).toBeChecked();
  await expect(form.getByRole('checkbox', { name: 'ISMS scope (4.3)' })).toHaveCount(0);
  await form.getByRole('checkbox', { name: 'Information security policy (5.2)' }).check();
  await form.getByRole('button', { name: 'Save stage' }).click();
  await expect(
    form.getByText(
      'This would make a circle: “ISMS scope (4.3)” waits for “Information security policy (5.2)”, which waits for “ISMS scope (4.3)”.',
    ),
  ).toBeVisible();
  await screenshot(page, 'plan-circle');
  await form.getByRole('button', { name: 'Cancel' }).click();
  await expect(form).toBeHidden();
  await expect(scope).toContainText('Waits for: Gap analysis');
  await expect(scope).not.toContainText('Waits for: Gap analysis, Information security policy');
  await expect(page.getByRole('button', { name: 'Edit the stage “ISMS scope (4.3)”' })).toBeFocused();

  // The scope stage links the scope version it produces, and a later deadline.
  await scope.getByRole('button', { name: 'Edit the stage “ISMS scope (4.3)”' }).click();
  await expect(form.getByLabel('Produces')).toHaveValue('scopes:');
  await form.getByLabel('Scope version').selectOption({ label: 'Version 1 (not approved yet)' });
  await form.getByLabel('Deadline', { exact: true }).fill('2026-02-13');
  await form.getByRole('button', { name: 'Save stage' }).click();
  await expect(form).toBeHidden();
  await expect(scope).toContainText('Produces: ISMS scope version 1');
  await expect(scope).toContainText('Version 1 of the ISMS scope is not approved yet.');
  await expect(scope).toContainText('13 Feb 2026');
  await waitUntilSaved(page);
  await screenshot(page, 'plan-edited');

  // The CSV: a header and a row per stage.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('plan.csv');
  const rows = parseCsv(readFileSync((await file.path())!, 'utf8').replace(/^\uFEFF/, ''));
  expect(rows[0]).toEqual(['Stage', 'Owner', 'Start', 'Deadline', 'Status', 'Depends on', 'Produces']);
  expect(rows).toHaveLength(12);
  const scopeRow = rows.find((r) => r[0] === 'ISMS scope (4.3)')!;
  expect(scopeRow).toEqual(['ISMS scope (4.3)', 'Priya Raman', '2026-01-26', '2026-02-13', 'Not started', 'Gap analysis', 'ISMS scope version 1']);
  expect(rows.find((r) => r[0] === 'Internal audit (9.2)')![5]).toContain('Risk treatment and controls (6.1.3, 8.3)');

  // The printable plan: every stage, and the timeline.
  await page.getByRole('link', { name: 'Print the plan' }).click();
  const plan = page.getByRole('article', { name: 'Implementation plan of Hamburg Port Logistics' });
  await expect(plan).toBeVisible();
  const table = plan.getByRole('table', { name: 'Stages' });
  await expect(table.locator('tbody tr')).toHaveCount(11);
  await expect(table.getByRole('row', { name: /^ISMS scope \(4\.3\) Priya Raman/ })).toContainText('ISMS scope version 1');
  await expect(table.getByRole('row', { name: /^ISMS scope \(4\.3\) Priya Raman/ }).getByRole('cell').last()).toHaveText('No');
  await expect(table.getByRole('row', { name: /^Gap analysis/ }).getByRole('cell').last()).toHaveText('—');
  await expect(plan.getByRole('img', { name: /^Timeline of the plan from/ })).toBeVisible();
  await screenshot(page, 'plan-print');
  // On paper: no navigation, no buttons.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: 'Workspace sections' })).toBeHidden();
  await expect(plan.getByRole('button', { name: 'Print' })).toBeHidden();
  await screenshot(page, 'plan-print-paper');
  await page.emulateMedia({ media: 'screen' });
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
  await screenshot(page, 'plan-print-phone');
  await page.getByRole('link', { name: 'Back to the plan' }).click();
  await expect(stages).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
  await screenshot(page, 'plan-phone');
});
