// History (issue 10, point 2): who changed what and when, in words, filtered by person, area
// and words; the workspace as it was after any change; a deleted objective put back from there.
import { expect, test, type Page } from '@playwright/test';
import {
  addObjective,
  createWorkspace,
  fillObjective,
  join,
  objective,
  openPolicies,
  openSection,
  screenshot,
  share,
  waitUntilSaved,
} from './support';

async function setName(page: Page, name: string) {
  await page.goto('/profile');
  await page.getByRole('textbox', { name: 'Display name' }).fill(name);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
}

function changes(page: Page) {
  return page.getByRole('list', { name: 'Changes' }).getByRole('listitem');
}

test('a change by each of two people reads with their names and values; the past can be seen and a deleted budget line restored', async ({
  page: ada,
  browser,
  baseURL,
}) => {
  await setName(ada, 'Ada Lovelace');
  await createWorkspace(ada, 'Contoso History');
  await openPolicies(ada);
  await ada.getByRole('button', { name: 'Add policy' }).click();
  const policyForm = ada.getByRole('form', { name: 'New policy' });
  await policyForm.getByLabel('Title').fill('Acceptable use policy');
  await policyForm.getByLabel('Policy text').fill('Report phishing at once.');
  await policyForm.getByRole('button', { name: 'Save policy' }).click();
  await expect(policyForm).toBeHidden();
  await openSection(ada, 'Objectives', 'Security objectives');
  await addObjective(ada, { title: 'Phishing click rate', target: '5', unit: '%' });
  await openSection(ada, 'Resources', 'Resources');
  await ada.getByRole('button', { name: 'Add budget line', exact: true }).click();
  const lineForm = ada.getByRole('form', { name: 'New budget line' });
  await lineForm.getByLabel('Category').fill('Tools and licences');
  await lineForm.getByLabel('Year').fill('2026');
  await lineForm.getByLabel('Currency').fill('EUR');
  await lineForm.getByLabel('Amount requested').fill('900');
  await lineForm.getByRole('button', { name: 'Save budget line' }).click();
  await expect(lineForm).toBeHidden();
  await openSection(ada, 'Objectives', 'Security objectives');
  const links = await share(ada);
  const bob = await join(browser, baseURL, links.editor, 'Bob Builder');
  await bob.page.getByRole('button', { name: 'Edit Phishing click rate', exact: true }).click();
  const form = bob.page.getByRole('form', { name: 'Edit objective' });
  await fillObjective(form, { target: '3' });
  await form.getByRole('button', { name: 'Save objective' }).click();
  await expect(form).toBeHidden();
  await waitUntilSaved(bob.page);
  await expect(objective(ada, 'Phishing click rate')).toContainText('3%');

  await openSection(ada, 'History', 'History');
  const bobs = changes(ada).filter({ hasText: 'Changed objective “Phishing click rate”: target 5% → 3%' });
  await expect(bobs).toHaveCount(1);
  await expect(bobs).toContainText('Bob Builder');
  const adas = changes(ada).filter({ hasText: 'Added objective “Phishing click rate”' });
  await expect(adas).toContainText('Ada Lovelace');
  await expect(changes(ada).first()).toContainText('target 5% → 3%');
  await screenshot(ada, 'history');

  // Filters: by person, by area, by words.
  const filters = ada.getByRole('form', { name: 'Filter the history' });
  await filters.getByLabel('Person').selectOption('Bob Builder');
  await expect(changes(ada)).toHaveCount(1);
  await filters.getByLabel('Person').selectOption('Everyone');
  await filters.getByLabel('Area').selectOption('Training');
  await expect(ada.getByText('No change matches these filters.')).toBeVisible();
  await filters.getByLabel('Area').selectOption('All areas');
  await filters.getByLabel('Containing').fill('created the workspace');
  await filters.getByLabel('Containing').press('Enter');
  await expect(changes(ada)).toHaveCount(1);
  await expect(changes(ada)).toContainText('Created the workspace of Contoso History');
  await filters.getByLabel('Containing').fill('');
  await filters.getByLabel('Containing').press('Enter');

  // As it was after Ada added the objective: the target was still 5%.
  await adas.getByRole('button', { name: /^As it was then: the workspace after this change/ }).click();
  const then = ada.getByRole('region', { name: 'The workspace as it was' });
  await expect(then.getByRole('list', { name: 'Objectives then' })).toContainText('Phishing click rate · target 5%');
  // What a policy said then, for an auditor.
  const policies = then.getByRole('list', { name: 'Policies then' });
  await policies.getByText('Its text then (Acceptable use policy)').click();
  await expect(policies).toContainText('Report phishing at once.');
  await then.getByRole('button', { name: 'Close the earlier state' }).click();

  // As of a date: before the workspace existed, and today.
  const day = ada.getByRole('form', { name: 'The workspace as of a date' });
  await day.getByLabel('The workspace as of').fill('2001-01-01');
  await day.getByRole('button', { name: 'Show' }).click();
  await expect(day).toContainText('The workspace did not exist yet on 1 Jan 2001.');
  await day.getByLabel('The workspace as of').fill(new Date().toISOString().slice(0, 10));
  await day.getByRole('button', { name: 'Show' }).click();
  await expect(then).toContainText('Just after: Changed objective “Phishing click rate”: target 5% → 3%');
  await then.getByRole('button', { name: 'Close the earlier state' }).click();

  // Ada deletes the budget line; the history puts it back with its fields.
  await openSection(ada, 'Resources', 'Resources');
  const budgetLine = ada.getByRole('list', { name: 'Budget lines' }).getByRole('listitem', { name: 'Tools and licences 2026' });
  await ada.getByRole('button', { name: 'Delete Tools and licences 2026' }).click();
  await expect(budgetLine).toHaveCount(0);
  await waitUntilSaved(ada);
  await openSection(ada, 'History', 'History');
  await expect(changes(ada).first()).toContainText('Tools and licences');
  await bobs.getByRole('button', { name: /^As it was then: the workspace after this change/ }).click();
  await expect(then.getByText('Deleted since')).toBeVisible();
  await screenshot(ada, 'history-as-of');
  await then.getByRole('button', { name: 'Restore budget line “Tools and licences” 2026' }).click();
  await expect(then.getByText('Deleted since')).toBeHidden();
  await openSection(ada, 'Resources', 'Resources');
  await expect(budgetLine).toContainText('900');

  // Objectives are closed, not deleted: the closing is part of the objective's own history.
  await openSection(ada, 'Objectives', 'Security objectives');
  await ada.getByRole('button', { name: 'Close Phishing click rate…', exact: true }).click();
  const closing = ada.getByRole('form', { name: 'Close Phishing click rate' });
  await closing.getByLabel('Outcome').selectOption({ label: 'Achieved' });
  await closing.getByLabel('Closing evaluation').fill('Below 3% for six months.');
  await closing.getByRole('button', { name: 'Close objective' }).click();
  await expect(objective(ada, 'Phishing click rate')).toHaveCount(0);
  await expect(bob.page.getByRole('list', { name: 'Closed objectives' })).toContainText('Phishing click rate');

  // The objective's own history: every change that names it, and nothing else.
  await ada.getByRole('link', { name: 'History of Phishing click rate' }).click();
  await expect(ada.getByRole('form', { name: 'Filter the history' }).getByLabel('Containing')).toHaveValue(
    '“Phishing click rate”',
  );
  await expect(changes(ada)).toHaveCount(3);
  await expect(changes(ada).first()).toContainText('Closed objective “Phishing click rate” as achieved');
  await bob.context.close();
});
