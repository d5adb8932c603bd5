// The executive dashboard of the sample workspace: every figure equals the list it links to.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { createWorkspace, discardWithEscape, objective, objectiveList, screenshot, waitUntilSaved } from './support';

/** Opens the start page and the sample workspace; resolves on its overview. */
async function openSample(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Open a sample workspace' }).click();
  await expect(page).toHaveURL(/\/w\/[^/?#]+\/overview$/, { timeout: 30_000 });
  await expect(page.getByRole('heading', { level: 2, name: 'Overview' })).toBeVisible();
  await waitUntilSaved(page);
}

/** A dashboard tile, found by its name. */
function tile(page: Page, name: string): Locator {
  return page.getByRole('region', { name, exact: true });
}

/** The number a figure's text starts with ("5 on track" → 5). */
async function leadingNumber(link: Locator): Promise<number> {
  const text = (await link.textContent()) ?? '';
  const match = /^\s*(\d+)/.exec(text);
  expect(match, `a number at the start of “${text}”`).not.toBeNull();
  return Number(match![1]);
}

/** The objectives the list shows (its direct items; measurements are nested lists). */
function objectiveItems(page: Page): Locator {
  return objectiveList(page).locator(':scope > li');
}

// Issue 11, point 16: on a slow computer the sample takes a while to prepare, and the page shows
// how far it has got, step by step, until the overview opens.
test('opening the sample shows its progress step by step on a slow computer', async ({ page, context }) => {
  await page.goto('/');
  const open = page.getByRole('button', { name: 'Open a sample workspace' });
  await expect(open).toBeEnabled();
  // Ten times slower than this machine, well below the slow CPU of the issue (3.6 times), so the
  // screenshot catches the progress too.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 10 });
  // Every step the status shows in a painted frame, in order: recorded in the page at each
  // animation frame, as the steps can pass faster than a test asks. Steps run back to back with
  // no frame between them would show as one.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { sampleSteps: string[] }).sampleSteps = seen;
    const record = () => {
      for (const status of document.querySelectorAll('[role="status"]')) {
        const text = status.textContent?.trim() ?? '';
        if (text.startsWith('Step ') && seen[seen.length - 1] !== text) seen.push(text);
      }
      requestAnimationFrame(record);
    };
    requestAnimationFrame(record);
  });
  await open.click();
  const bar = page.getByRole('progressbar', { name: 'Preparing the sample' });
  await expect(bar).toBeVisible();
  // The visible part only: a whole-page screenshot at this speed would come after the overview.
  await page.screenshot({ path: `${test.info().project.outputDir}/sample-progress.png` });
  await expect(page).toHaveURL(/\/w\/[^/?#]+\/overview$/, { timeout: 30_000 });
  await expect(page.getByRole('heading', { level: 2, name: 'Overview' })).toBeVisible();
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  const steps = await page.evaluate(() => (window as unknown as { sampleSteps?: string[] }).sampleSteps);
  // A full page load in between would have lost the record: the app navigated within the page.
  expect(steps, 'the steps the status showed').toBeDefined();
  const numbers = steps!.map((text) => Number(/^Step (\d+) of 10/.exec(text)?.[1]));
  expect(numbers.length, `steps painted: ${steps!.join(' | ')}`).toBeGreaterThanOrEqual(5);
  expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
  expect(numbers[numbers.length - 1]).toBe(10);
  console.log(`painted: ${steps!.join(' | ')}`);
});

test('every figure of the sample dashboard equals the list it links to', async ({ page }) => {
  await openSample(page);
  await screenshot(page, 'dashboard');
  const overview = page.url();
  await expect(tile(page, 'Policies')).toContainText('In force: Information security policy, version 1');

  // Objectives: all of them, then each health.
  const objectives = tile(page, 'Objectives');
  const all = objectives.getByRole('link', { name: /^\d+ objectives?$/ });
  const total = await leadingNumber(all);
  expect(total).toBe(8);
  await all.click();
  await expect(objectiveItems(page)).toHaveCount(total);

  let sum = 0;
  for (const health of ['not assessed', 'on track', 'at risk', 'off track']) {
    await page.goto(overview);
    const link = tile(page, 'Objectives').getByRole('link', { name: new RegExp(`^\\d+ ${health}$`) });
    const count = await leadingNumber(link);
    sum += count;
    await link.click();
    await expect(page).toHaveURL(/\?health=/);
    await expect(page.getByRole('status').filter({ hasText: `Showing ${count}` })).toBeVisible();
    await expect(objectiveItems(page)).toHaveCount(count);
    for (const item of await objectiveItems(page).all()) {
      await expect(item.locator('.objective-head .badge').last()).toHaveText(new RegExp(health, 'i'));
    }
  }
  expect(sum).toBe(total);

  // Needs attention: overdue objectives and policies due for review.
  await page.goto(overview);
  const overdue = tile(page, 'Needs attention').getByRole('link', { name: /overdue objectives?$/ });
  const overdueCount = await leadingNumber(overdue);
  expect(overdueCount).toBeGreaterThan(0);
  await overdue.click();
  await expect(objectiveItems(page)).toHaveCount(overdueCount);
  for (const item of await objectiveItems(page).all()) {
    await expect(item.getByText('Overdue', { exact: true })).toBeVisible();
  }

  // Role holders without evidence of the competence their role needs (7.2).
  await page.goto(overview);
  const gaps = tile(page, 'Needs attention').getByRole('link', { name: /without evidence of the competence needed$/ });
  const gapCount = await leadingNumber(gaps);
  expect(gapCount).toBeGreaterThan(0);
  await gaps.click();
  await expect(page).toHaveURL(/\/roles#competence$/);
  await expect(page.getByRole('heading', { level: 3, name: 'Competence' })).toBeInViewport();
  const gapRows = page.getByRole('region', { name: 'Competence by role and person' }).getByRole('row');
  await expect(gapRows.filter({ hasText: /Gap/ })).toHaveCount(gapCount);

  await page.goto(overview);
  const due = tile(page, 'Policies').getByRole('link', { name: /due for review$/ });
  const dueCount = await leadingNumber(due);
  expect(dueCount).toBeGreaterThan(0);
  await due.click();
  await expect(page).toHaveURL(/\/policies\?review=due$/);
  await expect(page.getByRole('list', { name: 'Policies' }).locator(':scope > li')).toHaveCount(dueCount);

  // Budget: approved and spent equal this year's row of the totals table.
  await page.goto(overview);
  const budget = tile(page, 'Budget');
  const approved = await budget.getByRole('link', { name: /^Approved / }).textContent();
  const spent = await budget.getByRole('link', { name: /^Spent / }).textContent();
  await budget.getByRole('link', { name: /^Approved / }).click();
  const year = String(new Date().getFullYear());
  const totals = page.getByRole('table', { name: 'Budget totals' });
  const row = totals.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${year}`) }) });
  await expect(row).toHaveCount(1);
  const headers = await totals.getByRole('columnheader').allTextContents();
  const cells = row.getByRole('cell');
  const column = (name: string) => headers.findIndex((h) => h.trim() === name) - 1; // the row header comes first
  await expect(cells.nth(column('Approved'))).toHaveText(approved!.trim());
  await expect(cells.nth(column('Spent'))).toHaveText(spent!.trim());

  // Training completion equals the training section's overall figure.
  await page.goto(overview);
  const training = tile(page, 'Training and awareness').getByRole('link', { name: 'Training completion' });
  const completion = (await training.textContent())!.trim();
  expect(completion).toMatch(/^\d+%$/);
  await training.click();
  await expect(page.getByLabel('Overall completion')).toHaveText(completion);

  // Commitment: "N of 8" equals the checklist's summary and its confirmed duties.
  await page.goto(overview);
  const commitment = tile(page, 'Leadership commitment').getByRole('link', { name: 'Leadership duties confirmed' });
  const confirmed = (await commitment.textContent())!.trim();
  expect(confirmed).toBe('5 of 8');
  await commitment.click();
  await expect(page.getByLabel('Duties confirmed')).toHaveText(confirmed);
  const duties = page.getByRole('list', { name: 'Leadership duties' }).locator(':scope > li');
  await expect(duties).toHaveCount(8);
  await expect(duties.filter({ hasText: /Confirmed by .+ on \d{1,2} [A-Z][a-z]{2,3} \d{4}/ })).toHaveCount(5);

  // Top risks: the highest residual levels above the threshold, each a link to its record.
  await page.goto(overview);
  const risks = tile(page, 'Top risks');
  await expect(risks).toContainText('5 of 25 risks are above the acceptance threshold.');
  const top = risks.getByRole('list', { name: 'Risks above the acceptance threshold' }).getByRole('listitem');
  await expect(top).toHaveCount(5);
  await expect(top.first()).toHaveText('Backups cannot be restored in time — residual 12 · Lukas Brandt');
  await top.first().getByRole('link').click();
  await expect(page).toHaveURL(/\/risks#record-/);
  await expect(page.getByRole('listitem', { name: 'Backups cannot be restored in time' })).toBeInViewport();
  // The SoA's progress: 90 of the 94 controls (Annex A and one added) decided.
  await page.goto(overview);
  await expect(tile(page, 'Statement of Applicability').getByRole('link')).toHaveText('90 of 94 controls decided');
});

test('the objectives read as one compact table, which has its own address and prints', async ({ page }) => {
  await openSample(page);
  await page.getByRole('navigation', { name: 'Workspace sections' }).getByRole('link', { name: 'Objectives' }).click();
  const views = page.getByRole('navigation', { name: 'Show objectives as' });
  await expect(views.getByRole('link', { name: 'Cards' })).toHaveAttribute('aria-current', 'page');
  await views.getByRole('link', { name: 'Table' }).click();
  await expect(page).toHaveURL(/\?view=table$/);
  const table = page.getByRole('table', { name: 'Objectives at a glance' });
  await expect(table.getByRole('columnheader')).toHaveText([
    'Objective',
    'Owner',
    'Function or level',
    'Target',
    'Latest',
    'Due',
    'Health',
    'Next measurement',
  ]);
  await expect(table.getByRole('rowheader')).toHaveCount(8);
  const phishing = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Phishing click rate below 5%' }) });
  await expect(phishing.getByRole('cell')).toHaveText([
    'Priya Raman',
    'Information security',
    '≤ 5%',
    // Dates as an en-GB browser writes them: "4 Sept 2026".
    /^4\.6% \(\d{1,2} [A-Z][a-z]{2,3} \d{4}\)$/,
    /^\d{1,2} [A-Z][a-z]{2,3} \d{4}$/,
    'On track',
    /^\d{1,2} [A-Z][a-z]{2,3} \d{4}$/,
  ]);
  await expect(page.getByRole('list', { name: 'Objectives', exact: true })).toBeHidden();
  await page.emulateMedia({ media: 'print' });
  await expect(views).toBeHidden();
  await expect(table).toBeVisible();
  await screenshot(page, 'objectives-table');
  await page.emulateMedia({ media: 'screen' });
  await page.reload();
  await expect(table).toBeVisible();
});

test('an objective’s plan is edited, linked to a policy, and survives a reload', async ({ page }) => {
  await openSample(page);
  await page.getByRole('navigation', { name: 'Workspace sections' }).getByRole('link', { name: 'Objectives' }).click();
  const title = 'Phishing click rate below 5%';
  const item = objective(page, title);
  await item.getByRole('button', { name: `Edit plan of ${title}` }).click();
  const form = item.getByRole('form', { name: 'Edit plan' });
  await expect(form.getByLabel('What will be done')).toBeFocused();
  await form.getByLabel('What will be done').fill('Fortnightly simulations and a report button.');
  await form.getByLabel('Serves policy').selectOption({ label: 'Acceptable use policy' });
  // Objectives are set consistent with the information security policy: another choice is questioned.
  await expect(form.getByLabel('Serves policy')).toHaveAccessibleDescription(/This is a topic-specific policy\./);
  await form.getByLabel('Measured every (months)').fill('3');
  await form.getByLabel('Measured by').selectOption({ label: 'Priya Raman' });
  await form.getByRole('button', { name: 'Save plan' }).click();
  await expect(form).toBeHidden();
  await expect(item).toContainText('This is a topic-specific policy.');
  await expect(item).toContainText('Every 3 months · measured by Priya Raman · analysed by Jonas Weber');
  await expect(item.getByRole('button', { name: `Edit plan of ${title}` })).toBeFocused();

  // Escape cancels without saving.
  await item.getByRole('button', { name: `Edit plan of ${title}` }).click();
  await form.getByLabel('What will be done').fill('Not this');
  await discardWithEscape(form, form.getByLabel('What will be done'));
  await expect(form).toBeHidden();

  await waitUntilSaved(page);
  await page.reload();
  const plan = objective(page, title).getByRole('definition');
  await expect(plan.filter({ hasText: 'Fortnightly simulations and a report button.' })).toHaveCount(1);
  await expect(objective(page, title).getByRole('link', { name: 'Acceptable use policy' })).toBeVisible();
  await objective(page, title).getByRole('link', { name: 'Acceptable use policy' }).click();
  await expect(page).toHaveURL(/\/policies$/);
});

test('a workspace opened from the start page shows its overview; a new one starts calm', async ({ page }) => {
  await createWorkspace(page, 'Contoso Pharma');
  await page.goto('/');
  await page.getByRole('list', { name: 'Workspaces' }).getByRole('link', { name: 'Contoso Pharma' }).click();
  await expect(page).toHaveURL(/\/overview$/);
  await expect(tile(page, 'Objectives').getByRole('link', { name: '0 objectives' })).toBeVisible();
  await expect(tile(page, 'Budget')).toContainText('No budget lines for this year yet.');
  await expect(tile(page, 'Policies').getByRole('link', { name: 'No policies yet' })).toBeVisible();
  // Clause 5.2 is not met until an information security policy is approved: the overview says so.
  await expect(tile(page, 'Policies')).toContainText('No information security policy in force');
  await expect(
    tile(page, 'Needs attention').getByRole('link', { name: 'No information security policy is in force' }),
  ).toBeVisible();
  await expect(tile(page, 'Training and awareness').getByRole('link', { name: 'Training completion' })).toHaveText(
    'No one is due yet',
  );
  await expect(tile(page, 'Leadership commitment').getByRole('link', { name: 'Leadership duties confirmed' })).toHaveText(
    '0 of 8',
  );
  await expect(tile(page, 'Top risks')).toContainText('No risks in the register yet.');
  await screenshot(page, 'overview-new-workspace');
  // Nobody answers for the ten standard ISMS activities yet: that is worth a look.
  const raci = tile(page, 'Needs attention').getByRole('link', { name: '10 activities without one accountable role' });
  await raci.click();
  await expect(page).toHaveURL(/\/roles#raci$/);
  await expect(page.getByRole('heading', { level: 3, name: 'Who does what' })).toBeInViewport();
});

test('printed, every section of the sample shows its records and no controls', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Open a sample workspace' }).click();
  await expect(page).toHaveURL(/\/overview$/, { timeout: 30_000 });
  const base = page.url().replace(/\/overview$/, '');
  await page.emulateMedia({ media: 'print' });
  for (const [path, heading] of [
    ['/overview', 'Overview'],
    ['', 'Security objectives'],
    ['/roles', 'People and roles'],
    ['/resources', 'Resources'],
    ['/policies', 'Policies'],
    ['/training', 'Training and awareness'],
    ['/commitment', 'Leadership commitment'],
    ['/participants', 'Participants'],
    ['/history', 'History'],
  ]) {
    await page.goto(base + path);
    await expect(page.getByRole('heading', { level: 2, name: heading }).first()).toBeVisible();
    await expect(page.getByRole('button')).toHaveCount(0);
    await expect(page.getByRole('navigation')).toHaveCount(0);
  }
  await page.goto(base + '/policies');
  await expect(page.getByRole('heading', { level: 2, name: 'Policies' })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('print-policies.png'), fullPage: true });
});
