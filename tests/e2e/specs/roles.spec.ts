// People, ISMS roles and the RACI matrix (clause 5.3), as top management would set them up.
import { expect, test, type Page } from '@playwright/test';
import path from 'node:path';
import { createWorkspace, screenshot, waitUntilSaved } from './support';

const ORGANISATION = 'Northwind Trading Ltd';

async function openPeopleAndRoles(page: Page) {
  await page
    .getByRole('navigation', { name: 'Workspace sections' })
    .getByRole('link', { name: 'People and roles' })
    .click();
  await expect(page.getByRole('heading', { level: 2, name: 'People and roles' })).toBeVisible();
}

async function addPerson(page: Page, name: string, title: string, email: string) {
  await page.getByRole('button', { name: 'Add person', exact: true }).click();
  const form = page.getByRole('form', { name: 'New person' });
  await form.getByLabel('Name', { exact: true }).fill(name);
  await form.getByLabel('Job title').fill(title);
  await form.getByLabel('E-mail').fill(email);
  await form.getByRole('button', { name: 'Save person' }).click();
  await expect(form).toBeHidden();
  await expect(page.getByRole('list', { name: 'People' }).getByRole('listitem', { name })).toBeVisible();
}

/** Adds a standard role and gives it to one person. */
async function addRole(page: Page, role: string, responsibilities: string, holder: string) {
  await page.getByRole('button', { name: 'Add role', exact: true }).click();
  const form = page.getByRole('form', { name: 'New role' });
  await form.getByLabel('Role', { exact: true }).selectOption({ label: role });
  await form.getByLabel('Responsibilities').fill(responsibilities);
  await form.getByRole('button', { name: 'Save role' }).click();
  await expect(form).toBeHidden();
  const item = roleItem(page, role);
  await expect(item).toBeVisible();
  await item.getByRole('group', { name: 'Held by' }).getByRole('checkbox', { name: holder }).check();
}

function roleItem(page: Page, role: string) {
  return page.getByRole('list', { name: 'Roles' }).getByRole('listitem', { name: role, exact: true });
}

test('roles, holders and the RACI matrix with its warnings survive a reload', async ({ page }) => {
  await createWorkspace(page, ORGANISATION);
  await openPeopleAndRoles(page);
  await expect(page.getByText('No people yet')).toBeVisible();
  await expect(page.getByText('No roles yet')).toBeVisible();

  await addPerson(page, 'Grace Hopper', 'Chief executive', 'grace@northwind.example');
  await addPerson(page, 'Alan Turing', 'Head of information security', 'alan@northwind.example');
  await addRole(page, 'Top management', 'Sets the policy and the objectives.', 'Grace Hopper');
  await addRole(page, 'CISO', 'Runs the ISMS day to day.', 'Alan Turing');

  const warnings = page.getByRole('list', { name: 'RACI warnings' });
  await expect(warnings.getByText('Information security policy has no Accountable role.')).toBeVisible();
  await expect(warnings.getByText('Risk assessment has no Accountable role.')).toBeVisible();
  // The two assignments clause 5.3 itself names are rows of every matrix, and say so when unassigned.
  await expect(
    warnings.getByText(
      'Ensuring the ISMS conforms to ISO/IEC 27001 (5.3 a) has no Accountable role. Clause 5.3 requires top management to assign it.',
    ),
  ).toBeVisible();
  await expect(
    warnings.getByText(/^Reporting on the ISMS's performance to top management \(5\.3 b\) has no Accountable role\./),
  ).toBeVisible();

  const matrix = page.getByRole('table', { name: 'RACI matrix' });
  await expect(matrix.getByRole('rowheader', { name: 'Management review' })).toBeVisible();
  await expect(matrix.getByRole('columnheader', { name: 'CISO' })).toBeVisible();
  const policyTop = matrix.getByLabel('Information security policy — Top management');
  const policyCiso = matrix.getByLabel('Information security policy — CISO');
  await policyTop.selectOption('A');
  await policyCiso.selectOption('A');
  await expect(
    warnings.getByText('Information security policy has more than one Accountable role: CISO, Top management.'),
  ).toBeVisible();
  await expect(warnings.getByText('Information security policy has no Accountable role.')).toHaveCount(0);

  await policyCiso.selectOption('R');
  await expect(warnings.getByText(/Information security policy/)).toHaveCount(0);
  await expect(warnings.getByText('Risk assessment has no Accountable role.')).toBeVisible();

  await matrix.getByLabel('Risk assessment — CISO').selectOption('A');
  await matrix.getByLabel('Risk assessment — Top management').selectOption('I');
  await expect(warnings.getByText(/Risk assessment/)).toHaveCount(0);
  await waitUntilSaved(page);
  await screenshot(page, 'roles');

  await page.reload();
  await expect(page.getByRole('heading', { level: 2, name: 'People and roles' })).toBeVisible();
  await expect(policyTop).toHaveValue('A');
  await expect(policyCiso).toHaveValue('R');
  await expect(matrix.getByLabel('Risk assessment — Top management')).toHaveValue('I');
  await expect(matrix.getByLabel('Statement of Applicability — CISO')).toHaveValue('');
  await expect(warnings.getByText(/Information security policy/)).toHaveCount(0);
  await expect(
    roleItem(page, 'Top management').getByRole('checkbox', { name: 'Grace Hopper' }),
  ).toBeChecked();
  await expect(roleItem(page, 'Top management').getByRole('checkbox', { name: 'Alan Turing' })).not.toBeChecked();
  await expect(roleItem(page, 'CISO').getByRole('checkbox', { name: 'Alan Turing' })).toBeChecked();
});

test('people are edited and archived with their role history, and a custom activity joins the matrix', async ({ page }) => {
  await createWorkspace(page, ORGANISATION);
  await openPeopleAndRoles(page);
  await addPerson(page, 'Grace Hopper', 'Chief executive', 'grace@northwind.example');
  await addPerson(page, 'Ada Lovelace', 'Consultant', '');

  await page.getByRole('button', { name: 'Edit Ada Lovelace', exact: true }).click();
  const edit = page.getByRole('form', { name: 'Edit person' });
  await expect(edit.getByLabel('Name', { exact: true })).toHaveValue('Ada Lovelace');
  await edit.getByLabel('Job title').fill('External auditor');
  await edit.getByRole('button', { name: 'Save person' }).click();
  await expect(edit).toBeHidden();
  const people = page.getByRole('list', { name: 'People' });
  await expect(people.getByRole('listitem', { name: 'Ada Lovelace' })).toContainText('External auditor');

  // Ada held a role; archiving her (she left) ends it, and the role keeps who held it and when.
  await addRole(page, 'Consultant', 'Implementation support', 'Ada Lovelace');
  await page.getByRole('button', { name: 'Archive Ada Lovelace', exact: true }).click();
  await expect(people.getByRole('listitem')).toHaveCount(1);
  const consultant = roleItem(page, 'Consultant');
  await expect(consultant.getByRole('checkbox', { name: 'Ada Lovelace' })).toHaveCount(0);
  await expect(consultant).toContainText(/Held before by Ada Lovelace, \d{1,2} [A-Z][a-z]{2,3} \d{4} to \d{1,2} [A-Z][a-z]{2,3} \d{4}/);
  await page.getByText('Archived people (1)').click();
  const archived = page.getByRole('list', { name: 'Archived people' });
  await expect(archived.getByRole('listitem', { name: 'Ada Lovelace' })).toContainText(/archived on \d{1,2} [A-Z][a-z]{2,3} \d{4} by /);
  await archived.getByRole('button', { name: 'Restore Ada Lovelace' }).click();
  await expect(people.getByRole('listitem')).toHaveCount(2);
  await page.getByRole('button', { name: 'Archive Ada Lovelace', exact: true }).click();
  await expect(people.getByRole('listitem')).toHaveCount(1);

  await page.getByRole('button', { name: 'Add role', exact: true }).click();
  const roleForm = page.getByRole('form', { name: 'New role' });
  await roleForm.getByLabel('Role', { exact: true }).selectOption({ label: 'Custom' });
  await roleForm.getByRole('button', { name: 'Save role' }).click();
  await expect(roleForm.getByText(/Enter the role[’']s name\./)).toBeVisible();
  await roleForm.getByRole('textbox', { name: 'Role name' }).fill('Data protection officer');
  await roleForm.getByRole('button', { name: 'Save role' }).click();
  await expect(roleForm).toBeHidden();
  await expect(roleItem(page, 'Data protection officer')).toBeVisible();

  await page.getByRole('textbox', { name: 'Activity name' }).fill('Supplier security review');
  await page.getByRole('button', { name: 'Add activity', exact: true }).click();
  const matrix = page.getByRole('table', { name: 'RACI matrix' });
  await expect(matrix.getByRole('rowheader', { name: /Supplier security review/ })).toBeVisible();
  await expect(
    page.getByRole('list', { name: 'RACI warnings' }).getByText('Supplier security review has no Accountable role.'),
  ).toBeVisible();
  await matrix.getByLabel('Supplier security review — Data protection officer').selectOption('A');
  await expect(page.getByText('Supplier security review has no Accountable role.')).toHaveCount(0);
});

test('a person without a name is explained next to the field and not added', async ({ page }) => {
  await createWorkspace(page, ORGANISATION);
  await openPeopleAndRoles(page);
  await page.getByRole('button', { name: 'Add person', exact: true }).click();
  const form = page.getByRole('form', { name: 'New person' });
  await form.getByLabel('Job title').fill('Chief executive');
  await form.getByRole('button', { name: 'Save person' }).click();
  await expect(form.getByText(/Enter the person[’']s name\./)).toBeVisible();
  await expect(form.getByLabel('Name', { exact: true })).toBeFocused();

  await form.getByLabel('E-mail').fill('not an address');
  await form.getByLabel('Name', { exact: true }).fill('Grace Hopper');
  await form.getByRole('button', { name: 'Save person' }).click();
  await expect(form.getByText('Enter an e-mail address such as name@example.com, or leave it empty.')).toBeVisible();
  await expect(form.getByText(/Enter the person[’']s name\./)).toBeHidden();

  // Escape asks before the typed details are discarded; Keep editing is the safe default.
  await page.keyboard.press('Escape');
  const question = form.getByRole('group', { name: 'Discard changes?' });
  await expect(question).toContainText('Discard the changes in this form?');
  await expect(question.getByRole('button', { name: 'Keep editing' })).toBeFocused();
  await screenshot(page, 'discard-question');
  // Escape again, or Keep editing, goes back to the form with nothing lost.
  await page.keyboard.press('Escape');
  await expect(question).toHaveCount(0);
  await expect(form.getByLabel('Name', { exact: true })).toHaveValue('Grace Hopper');
  await expect(form.getByLabel('Name', { exact: true })).toBeFocused();
  await page.keyboard.press('Escape');
  await question.getByRole('button', { name: 'Keep editing' }).click();
  await expect(question).toHaveCount(0);
  await expect(form.getByLabel('E-mail')).toHaveValue('not an address');
  await page.keyboard.press('Escape');
  await question.getByRole('button', { name: 'Discard changes' }).click();
  await expect(form).toBeHidden();
  await expect(page.getByText('No people yet')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add person', exact: true })).toBeFocused();
  await expect(page.getByRole('list', { name: 'People' })).toHaveCount(0);
});

test('the RACI matrix keeps its header row and activity column in view, and at phone width is one card per activity', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Open a sample workspace' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Alder & Finch Logistics (sample)' })).toBeVisible({
    timeout: 30_000,
  });
  await openPeopleAndRoles(page);
  // The page's parts have their own links.
  await page.getByRole('navigation', { name: 'Parts of this page' }).getByRole('link', { name: 'Who does what' }).click();
  await expect(page).toHaveURL(/#raci$/);
  await expect(page.getByRole('heading', { level: 3, name: 'Who does what' })).toBeInViewport();

  const matrix = page.getByRole('region', { name: 'RACI matrix' });
  const position = (locator: ReturnType<Page['locator']>) => locator.evaluate((e) => getComputedStyle(e).position);
  expect(await position(matrix.getByRole('columnheader', { name: 'CISO' }))).toBe('sticky');
  expect(await position(matrix.getByRole('rowheader', { name: /^Risk assessment/ }))).toBe('sticky');
  // Scrolled sideways inside its frame, the activity names stay where they were.
  const activity = matrix.getByRole('rowheader', { name: /^Risk assessment/ });
  const before = (await activity.boundingBox())!.x;
  await matrix.evaluate((e) => e.scrollBy({ left: 400 }));
  expect(Math.abs((await activity.boundingBox())!.x - before)).toBeLessThan(1);

  await page.setViewportSize({ width: 390, height: 844 });
  const row = matrix.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /^Risk assessment/ }) });
  expect(await row.evaluate((e) => getComputedStyle(e).display)).toBe('block');
  // Each card names its roles beside their letters, and the page does not scroll sideways.
  await expect(row.getByRole('combobox', { name: 'Risk assessment — CISO' })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await row.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(test.info().project.outputDir, 'raci-phone.png') });
});
