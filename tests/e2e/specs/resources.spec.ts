// Resources (clause 7.1): the ISMS budget with its approvals and totals, and people time per role,
// as top management would keep them.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { createWorkspace, discardWithEscape, join, screenshot, share, shownDate, waitUntilSaved } from './support';

const ORGANISATION = 'Northwind Trading Ltd';
const APPROVER = 'Grace Hopper';
const REQUESTER = 'Jonas Weber';

/** What a person types into a budget line form; unset fields are left as they are. */
interface LineInput {
  category?: string;
  description?: string;
  year?: string;
  currency?: string;
  requested?: string;
  spent?: string;
}

/** Sets the display name that approvals are recorded under. */
async function setDisplayName(page: Page, name: string) {
  await page.goto('/profile');
  await page.getByRole('textbox', { name: 'Display name' }).fill(name);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Saved.', { exact: true })).toBeVisible();
}

async function openResources(page: Page) {
  await page
    .getByRole('navigation', { name: 'Workspace sections' })
    .getByRole('link', { name: 'Resources' })
    .click();
  await expect(page.getByRole('heading', { level: 2, name: 'Resources' })).toBeVisible();
}

/** Today as the browser writes it (YYYY-MM-DD, local time). */
async function today(page: Page): Promise<string> {
  return page.evaluate(() => {
    const d = new Date();
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  });
}

async function fillLine(form: Locator, input: LineInput) {
  const fields: [string, string | undefined][] = [
    ['Category', input.category],
    ['Description', input.description],
    ['Year', input.year],
    ['Currency', input.currency],
    ['Amount requested', input.requested],
    ['Amount spent', input.spent],
  ];
  for (const [label, value] of fields) {
    if (value !== undefined) {
      await form.getByLabel(label).fill(value);
    }
  }
}

function lineList(page: Page): Locator {
  return page.getByRole('list', { name: 'Budget lines' });
}

/** The list item of a budget line, named "<category> <year>". */
function line(page: Page, name: string): Locator {
  return lineList(page).getByRole('listitem', { name, exact: true });
}

async function addLine(page: Page, input: LineInput & { category: string; year: string }) {
  await page.getByRole('button', { name: 'Add budget line', exact: true }).click();
  const form = page.getByRole('form', { name: 'New budget line' });
  await expect(form).toBeVisible();
  await fillLine(form, input);
  await form.getByRole('button', { name: 'Save budget line' }).click();
  await expect(form).toBeHidden();
  await expect(line(page, `${input.category} ${input.year}`)).toBeVisible();
}

function totals(page: Page): Locator {
  return page.getByRole('table', { name: 'Budget totals' });
}

/** The figure cells (requested, approved, spent, approved − spent) of one totals row. */
function totalCells(page: Page, rowHeader: string): Locator {
  return totals(page)
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: rowHeader, exact: true }) })
    .getByRole('cell');
}

test('budget lines are asked for by one person and approved by another, totalled per year and currency, and survive a reload', async ({
  page: requester,
  browser,
  baseURL,
}) => {
  await setDisplayName(requester, REQUESTER);
  await createWorkspace(requester, ORGANISATION);
  await openResources(requester);
  await expect(requester.getByText('No budget lines yet')).toBeVisible();

  await addLine(requester, {
    category: 'Tools and licences',
    description: 'SIEM licence',
    year: '2026',
    currency: 'EUR',
    requested: '15,000',
    spent: '4,000.50',
  });
  await addLine(requester, {
    category: 'Training and awareness',
    description: 'Phishing simulation',
    year: '2026',
    currency: 'EUR',
    requested: '8000',
    spent: '500',
  });
  await addLine(requester, { category: 'Audit and certification', year: '2027', currency: 'usd', requested: '20 000' });
  await expect(requester.getByText('No budget lines yet')).toBeHidden();

  // Whoever asks for money cannot approve it: the button is not offered, and the line says why.
  const asked = line(requester, 'Tools and licences 2026');
  await expect(asked).toContainText('you asked for this money, so another member of top management approves it');
  await expect(asked.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  await expect(asked.getByRole('definition').filter({ hasText: REQUESTER })).toHaveCount(1);
  const links = await share(requester);
  const approver = await join(browser, baseURL, links.editor, APPROVER);
  const page = approver.page;
  await openResources(page);

  // Approve less than requested, on the day offered (today).
  const tools = line(page, 'Tools and licences 2026');
  await expect(tools.getByText('Awaiting approval')).toBeVisible();
  await tools.getByRole('button', { name: 'Approve' }).click();
  const approval = tools.getByRole('form', { name: 'Approve budget line' });
  await expect(approval.getByLabel('Amount approved')).toHaveValue('15,000.00');
  const day = await today(page);
  await expect(approval.getByLabel('Date of approval')).toHaveValue(day);
  await approval.getByLabel('Amount approved').fill('12,000');
  await approval.getByRole('button', { name: 'Record approval' }).click();
  await expect(approval).toBeHidden();
  const approvedText = `Approved €12,000.00 by ${APPROVER} on ${await shownDate(page, day)}`;
  await expect(tools.getByText(approvedText)).toBeVisible();

  await expect(totalCells(page, '2026 · EUR')).toHaveText([
    '€23,000.00',
    '€12,000.00',
    '€4,500.50',
    '€7,499.50',
  ]);
  await expect(totalCells(page, '2027 · USD')).toHaveText(['US$20,000.00', 'US$0.00', 'US$0.00', 'US$0.00']);

  // Spending beyond the approved amount shows as an overspend.
  await page.getByRole('button', { name: 'Edit Training and awareness 2026' }).click();
  const edit = page.getByRole('form', { name: 'Edit budget line' });
  await expect(edit.getByLabel('Amount requested')).toHaveValue('8,000.00');
  await edit.getByLabel('Amount spent').fill('13000');
  await edit.getByRole('button', { name: 'Save budget line' }).click();
  await expect(edit).toBeHidden();
  await expect(totalCells(page, '2026 · EUR')).toHaveText([
    '€23,000.00',
    '€12,000.00',
    '€17,000.50',
    /^-€5,000\.50\s*Overspent$/,
  ]);
  const training = line(page, 'Training and awareness 2026');
  await expect(training.getByText('Overspent')).toBeVisible();
  await waitUntilSaved(page);
  await screenshot(page, 'resources');

  await page.reload();
  await expect(page.getByRole('heading', { level: 2, name: 'Resources' })).toBeVisible();
  await expect(line(page, 'Tools and licences 2026').getByText(approvedText)).toBeVisible();
  await expect(totalCells(page, '2026 · EUR')).toHaveText([
    '€23,000.00',
    '€12,000.00',
    '€17,000.50',
    /^-€5,000\.50\s*Overspent$/,
  ]);
  await expect(lineList(page).getByRole('listitem')).toHaveCount(3);

  // Withdrawing the approval takes it out of the totals.
  await line(page, 'Tools and licences 2026').getByRole('button', { name: 'Withdraw approval' }).click();
  await expect(line(page, 'Tools and licences 2026').getByText('Awaiting approval')).toBeVisible();
  await expect(totalCells(page, '2026 · EUR').nth(1)).toHaveText('€0.00');
  await waitUntilSaved(page);
  await page.reload();
  await expect(line(page, 'Tools and licences 2026').getByText('Awaiting approval')).toBeVisible();
  await expect(totalCells(page, '2026 · EUR').nth(1)).toHaveText('€0.00');
  await approver.context.close();
});

test('bad amounts, an empty category and a wrong year are explained by their fields and nothing is stored', async ({
  page,
}) => {
  await createWorkspace(page, ORGANISATION);
  await openResources(page);

  await page.getByRole('button', { name: 'Add budget line', exact: true }).click();
  const form = page.getByRole('form', { name: 'New budget line' });
  await expect(form.getByLabel('Year')).toHaveValue(String(new Date().getFullYear()));
  await expect(form.getByLabel('Currency')).toHaveValue('EUR');
  await fillLine(form, { category: '', year: '20x6', requested: '-500', spent: 'abc' });
  await form.getByRole('button', { name: 'Save budget line' }).click();
  await expect(form.getByLabel('Category')).toHaveAccessibleDescription(/Enter a category, such as Tools and licences\./);
  await expect(form.getByLabel('Category')).toBeFocused();
  await expect(form.getByLabel('Year')).toHaveAccessibleDescription('Enter a year such as 2026.');
  await expect(form.getByLabel('Amount requested')).toHaveAccessibleDescription('Enter an amount of zero or more.');
  await expect(form.getByLabel('Amount spent')).toHaveAccessibleDescription(
    'Enter an amount such as 12500 or 12,500.50.',
  );

  await fillLine(form, { category: 'Consulting', year: '2026', requested: '12,34,5', spent: '' });
  await form.getByRole('button', { name: 'Save budget line' }).click();
  await expect(form.getByLabel('Amount requested')).toHaveAccessibleDescription(
    'Enter an amount such as 12500 or 12,500.50.',
  );
  await expect(form.getByLabel('Amount requested')).toBeFocused();
  await expect(form.getByLabel('Category')).toHaveAttribute('aria-invalid', 'false');
  await discardWithEscape(form, form.getByLabel('Amount requested'));
  await expect(form).toBeHidden();
  await expect(page.getByText('No budget lines yet')).toBeVisible();

  // A bad approval, on the sample's line that the CISO asked for and nobody has approved yet.
  await page.goto('/');
  await page.getByRole('button', { name: 'Open a sample workspace' }).click();
  await expect(page).toHaveURL(/\/w\/[^/?#]+\/overview$/, { timeout: 30_000 });
  await openResources(page);
  const testing = line(page, `Testing ${new Date().getFullYear()}`);
  await expect(testing.getByRole('definition').filter({ hasText: 'Jonas Weber' })).toHaveCount(1);
  await testing.getByRole('button', { name: 'Approve' }).click();
  const approval = testing.getByRole('form', { name: 'Approve budget line' });
  await approval.getByLabel('Amount approved').fill('abc');
  await approval.getByLabel('Date of approval').fill('2026-02-30');
  await approval.getByRole('button', { name: 'Record approval' }).click();
  await expect(approval.getByLabel('Amount approved')).toHaveAccessibleDescription(
    /Enter an amount such as 12500 or 12,500\.50\./,
  );
  await expect(approval.getByLabel('Date of approval')).toHaveAccessibleDescription(
    /Enter a real date as YYYY-MM-DD\./,
  );
  await approval.getByLabel('Amount approved').fill('-5000');
  await approval.getByRole('button', { name: 'Record approval' }).click();
  await expect(approval.getByLabel('Amount approved')).toHaveAccessibleDescription(/Enter an amount of zero or more\./);
  await discardWithEscape(approval, approval.getByLabel('Amount approved'));
  await expect(approval).toBeHidden();
  await waitUntilSaved(page);

  await page.reload();
  await expect(page.getByRole('heading', { level: 2, name: 'Resources' })).toBeVisible();
  await expect(lineList(page).getByRole('listitem')).toHaveCount(5);
  await expect(testing.getByText('Awaiting approval')).toBeVisible();
});

test('a deleted budget line comes back with Undo', async ({ page }) => {
  await createWorkspace(page, ORGANISATION);
  await openResources(page);
  await addLine(page, { category: 'Tools and licences', year: '2026', currency: 'EUR', requested: '900' });
  await addLine(page, { category: 'Staff', year: '2026', currency: 'EUR', requested: '60000' });

  await page.getByRole('button', { name: 'Delete Tools and licences 2026' }).click();
  await expect(line(page, 'Tools and licences 2026')).toHaveCount(0);
  await expect(totalCells(page, '2026 · EUR').first()).toHaveText('€60,000.00');
  const notice = page.getByRole('status').filter({ hasText: 'Deleted budget line Tools and licences 2026.' });
  await notice.getByRole('button', { name: 'Undo' }).click();
  await expect(notice).toBeHidden();
  await expect(line(page, 'Tools and licences 2026')).toBeVisible();
  await expect(totalCells(page, '2026 · EUR').first()).toHaveText('€60,900.00');

  await page.getByRole('button', { name: 'Delete Staff 2026' }).click();
  await expect(line(page, 'Staff 2026')).toHaveCount(0);
  await waitUntilSaved(page);
  await page.reload();
  await expect(line(page, 'Tools and licences 2026')).toBeVisible();
  await expect(line(page, 'Staff 2026')).toHaveCount(0);
  await expect(totalCells(page, '2026 · EUR').first()).toHaveText('€900.00');
});

test('people time is set per role, checked, totalled and removed', async ({ page }) => {
  await createWorkspace(page, ORGANISATION);
  await openResources(page);
  const people = page.getByRole('list', { name: 'People time per role' });
  await expect(page.getByText('No roles yet')).toBeVisible();

  // The empty state leads to where roles are made.
  await page.getByRole('link', { name: 'People and roles' }).last().click();
  await expect(page.getByRole('heading', { level: 2, name: 'People and roles' })).toBeVisible();
  for (const role of ['Top management', 'CISO']) {
    await page.getByRole('button', { name: 'Add role', exact: true }).click();
    const form = page.getByRole('form', { name: 'New role' });
    await form.getByLabel('Role', { exact: true }).selectOption({ label: role });
    await form.getByRole('button', { name: 'Save role' }).click();
    await expect(form).toBeHidden();
  }
  await openResources(page);
  await expect(people.getByRole('listitem')).toHaveCount(2);
  const ciso = people.getByRole('listitem', { name: 'CISO', exact: true });
  await expect(ciso.getByText('No people time set yet')).toBeVisible();

  // Bad input is explained and not stored.
  await ciso.getByRole('button', { name: 'Set people time of CISO' }).click();
  const form = ciso.getByRole('form', { name: 'People time for CISO' });
  await form.getByLabel('FTE').fill('-1');
  await form.getByRole('button', { name: 'Save people time' }).click();
  await expect(form.getByLabel('FTE')).toHaveAccessibleDescription(/Enter between 0 and 10 FTE\./);
  await form.getByLabel('FTE').fill('abc');
  await form.getByRole('button', { name: 'Save people time' }).click();
  await expect(form.getByLabel('FTE')).toHaveAccessibleDescription(/Enter a number such as 0\.5 or 1\.25\./);
  await expect(form.getByLabel('FTE')).toBeFocused();
  await discardWithEscape(form, form.getByLabel('FTE'));
  await expect(form).toBeHidden();
  await waitUntilSaved(page);
  await page.reload();
  await expect(ciso.getByText('No people time set yet')).toBeVisible();
  await expect(page.getByText('Total people time: 0 FTE')).toBeVisible();

  await ciso.getByRole('button', { name: 'Set people time of CISO' }).click();
  await form.getByLabel('FTE').fill('0.5');
  await form.getByLabel('Note').fill('Alan Turing, half his week');
  await form.getByRole('button', { name: 'Save people time' }).click();
  await expect(form).toBeHidden();
  await expect(ciso.getByText('0.5 FTE')).toBeVisible();
  await expect(ciso.getByText('Alan Turing, half his week')).toBeVisible();

  const top = people.getByRole('listitem', { name: 'Top management', exact: true });
  await top.getByRole('button', { name: 'Set people time of Top management' }).click();
  await top.getByRole('form', { name: 'People time for Top management' }).getByLabel('FTE').fill('0,25');
  await top.getByRole('button', { name: 'Save people time' }).click();
  await expect(top.getByText('0.25 FTE')).toBeVisible();
  await expect(page.getByText('Total people time: 0.75 FTE')).toBeVisible();
  await waitUntilSaved(page);

  await page.reload();
  await expect(ciso.getByText('0.5 FTE')).toBeVisible();
  await expect(page.getByText('Total people time: 0.75 FTE')).toBeVisible();

  await ciso.getByRole('button', { name: 'Change people time of CISO' }).click();
  await expect(form.getByLabel('FTE')).toHaveValue('0.5');
  await form.getByLabel('FTE').fill('1.5');
  await form.getByRole('button', { name: 'Save people time' }).click();
  await expect(ciso.getByText('1.5 FTE')).toBeVisible();
  await expect(page.getByText('Total people time: 1.75 FTE')).toBeVisible();

  await top.getByRole('button', { name: 'Remove people time of Top management' }).click();
  await expect(top.getByText('No people time set yet')).toBeVisible();
  await expect(page.getByText('Total people time: 1.5 FTE')).toBeVisible();
  await waitUntilSaved(page);
  await page.reload();
  await expect(page.getByText('Total people time: 1.5 FTE')).toBeVisible();
  await expect(top.getByText('No people time set yet')).toBeVisible();
});
