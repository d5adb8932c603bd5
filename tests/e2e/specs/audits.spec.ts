// The audits page (clauses 9.2, 10.1, 10.2): an internal audit with a major finding, a
// nonconformity raised from it that closes only once its corrective action proved effective,
// the count in the management review's input (d), the improvement log fed by a finding, anyone
// and a review decision, and nonconformities raised from a review decision and an incident.
import { expect, test, type Locator, type Page } from '@playwright/test';
import {
  FOUNDER,
  addPerson,
  createWorkspace,
  openSection,
  screenshot,
  setDisplayName,
  waitUntilSaved,
} from './support';

/** A day as YYYY-MM-DD in the browser's (and this machine's) time zone, `days` from today. */
function day(days = 0): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

const AUDIT = 'Internal audit of clause 9';

// axe-core is injected as a script, which the page's Content Security Policy rightly forbids.
test.use({ bypassCSP: true });

/** The serious and critical violations axe-core (WCAG 2.1 A and AA) finds on the page now. */
async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  }
  const violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] = await page.evaluate(
    async () => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const axe = (window as any).axe;
      const result = await axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      });
      return result.violations;
    },
  );
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

function audit(page: Page): Locator {
  return page.getByRole('list', { name: 'Audits' }).getByRole('listitem', { name: AUDIT, exact: true });
}

function nonconformities(page: Page): Locator {
  return page.getByRole('list', { name: 'Nonconformities' });
}

/** How far the page scrolls sideways, in CSS pixels (0 when it fits). */
async function sidewaysScroll(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

test('an audit finds a major nonconformity, which closes once its action proved effective and shows in the review', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await createWorkspace(page, 'Alder & Finch');
  await openSection(page, 'People and roles', 'People and roles');
  await addPerson(page, FOUNDER);
  await addPerson(page, 'Grace Hopper');
  await openSection(page, 'Audits', 'Audit programme');
  await expect(page.getByText('No audits recorded yet')).toBeVisible();
  await expect(page.getByText('No nonconformities yet')).toBeVisible();
  await expect(page.getByText('No improvements logged yet')).toBeVisible();
  await expect(page.getByText(/Over three years, clauses 4, 5, 6, 7, 8, 9 and 10 are not audited/)).toBeVisible();

  // The programme.
  await page.getByRole('button', { name: 'Edit programme' }).click();
  const programme = page.getByRole('form', { name: 'Audit programme' });
  await programme.getByRole('button', { name: 'Save programme' }).click();
  await expect(programme.getByText('Say how often audits are held: the programme needs a frequency.')).toBeVisible();
  await programme.getByLabel('Frequency').fill('Each clause every year');
  await programme.getByLabel('Responsibilities').fill('Grace Hopper audits; the CISO follows up.');
  await programme.getByRole('button', { name: 'Save programme' }).click();
  await expect(programme).toBeHidden();
  await expect(page.getByText('Each clause every year')).toBeVisible();

  // An audit of clause 9.
  await page.getByRole('button', { name: 'Record an audit' }).click();
  const form = page.getByRole('form', { name: 'New audit' });
  await form.getByLabel('Audit', { exact: true }).fill(AUDIT);
  await form.getByLabel('Criteria').fill('ISO/IEC 27001 clause 9');
  await form.getByLabel('Auditor').selectOption({ label: 'Grace Hopper' });
  await form.getByLabel('First day').fill(day());
  await form.getByLabel('Last day').fill(day());
  await form.getByRole('checkbox', { name: '9 Performance evaluation' }).check();
  await form.getByRole('button', { name: 'Save audit' }).click();
  await expect(form).toBeHidden();
  await expect(audit(page)).toContainText('audited by Grace Hopper');
  await expect(audit(page)).toContainText('Not reported yet');
  await expect(page.getByText(/Over three years, clauses 4, 5, 6, 7, 8 and 10 are not audited/)).toBeVisible();

  // A major finding without its clause: the message, nothing stored.
  await audit(page).getByRole('button', { name: `Add finding to “${AUDIT}”` }).click();
  const finding = audit(page).getByRole('form', { name: `New finding of “${AUDIT}”` });
  await finding.getByLabel('What was found').fill('No audit took place last year.');
  await finding.getByLabel('Kind').selectOption({ label: 'Major nonconformity' });
  await finding.getByRole('button', { name: 'Save finding' }).click();
  await expect(finding.getByText('Name the clause or the control this nonconformity is against.')).toBeVisible();
  await expect(audit(page)).toContainText('No findings yet');
  await finding.getByLabel('Clause').fill('9.2');
  await finding.getByRole('button', { name: 'Save finding' }).click();
  await expect(finding).toBeHidden();
  await expect(audit(page).getByRole('list', { name: `Findings of “${AUDIT}”` })).toContainText('Clause 9.2');
  await expect(audit(page)).toContainText('1 major nonconformity');
  // An observation, which can feed the improvement log.
  await audit(page).getByRole('button', { name: `Add finding to “${AUDIT}”` }).click();
  const observation = audit(page).getByRole('form', { name: `New finding of “${AUDIT}”` });
  await observation.getByLabel('What was found').fill('Audit reports reach management weeks late.');
  await observation.getByLabel('Kind').selectOption({ label: 'Observation' });
  await observation.getByRole('button', { name: 'Save finding' }).click();
  await expect(observation).toBeHidden();
  await expect(audit(page)).toContainText('1 major nonconformity, 1 observation');

  // The results reported.
  await audit(page).getByRole('button', { name: `Report the results of “${AUDIT}”` }).click();
  const report = audit(page).getByRole('form', { name: `Report of “${AUDIT}”` });
  await report.getByLabel('Reported to').fill('The management team');
  await report.getByRole('button', { name: 'Save report' }).click();
  await expect(audit(page)).toContainText('Results reported to The management team');

  // Raised from the finding: the form opens with the finding as its source.
  await audit(page).getByRole('button', { name: /^Raise a nonconformity: No audit took place/ }).click();
  const nc = page.getByRole('form', { name: 'New nonconformity' });
  await expect(nc.getByLabel('What happened')).toHaveValue('No audit took place last year.');
  await expect(nc.getByRole('checkbox', { name: /^Major/ })).toBeChecked();
  await nc.getByLabel('Nonconformity').fill('No internal audit last year');
  await nc.getByLabel('Correction').fill('An audit of clause 9 was held at once.');
  await nc.getByLabel('Consequences').fill('None found.');
  await nc.getByLabel('Root cause').fill('Nobody owned the audit programme.');
  await nc.getByLabel('Similar nonconformities').fill('None found.');
  await nc.getByLabel('Corrective action').fill('Grace owns the programme and plans audits in January.');
  await nc.getByLabel('Action owner').selectOption({ label: 'Grace Hopper' });
  await nc.getByLabel('Action due').fill(day(30));
  await nc.getByRole('button', { name: 'Save nonconformity' }).click();
  await expect(nc).toBeHidden();
  const item = nonconformities(page).getByRole('listitem', { name: 'No internal audit last year' });
  await expect(item).toContainText('Major');
  await expect(item).toContainText('Open');
  await expect(item.getByRole('link', { name: `A finding of the audit “${AUDIT}”` })).toBeVisible();
  // The finding links to its nonconformity, which comes into view with the focus on its name.
  await audit(page).getByRole('link', { name: 'Nonconformity raised' }).click();
  await expect(page).toHaveURL(/#record-/);
  await expect(item.getByRole('heading', { name: 'No internal audit last year' })).toBeFocused();
  // And back: the nonconformity's source brings the finding into view.
  await item.getByRole('link', { name: `A finding of the audit “${AUDIT}”` }).click();
  await expect(audit(page).getByRole('list', { name: `Findings of “${AUDIT}”` }).getByRole('listitem').first()).toBeFocused();

  // Changed while open: the form holds what was saved, and keeps the finding as the source.
  await item.getByRole('button', { name: 'Edit “No internal audit last year”' }).click();
  const edit = item.getByRole('form', { name: 'Edit “No internal audit last year”' });
  await expect(edit.getByLabel('Root cause')).toHaveValue('Nobody owned the audit programme.');
  await expect(edit.getByLabel('Where it comes from')).toHaveCount(0);
  await edit.getByLabel('Root cause').fill('Nobody owned the audit programme, and nobody was reminded.');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(edit).toBeHidden();
  await expect(item).toContainText('and nobody was reminded.');
  await expect(item.getByRole('link', { name: `A finding of the audit “${AUDIT}”` })).toBeVisible();

  // Closing before any check: refused, with the reason.
  await item.getByRole('button', { name: 'Close “No internal audit last year”' }).click();
  await expect(item.getByRole('alert')).toContainText(
    'A nonconformity closes only once its corrective action has been checked for effectiveness',
  );

  // The check, then the closure.
  await item.getByRole('button', { name: 'Check effectiveness of “No internal audit last year”' }).click();
  const check = item.getByRole('form', { name: 'Effectiveness check of “No internal audit last year”' });
  await check.getByLabel('Checked by').selectOption({ label: FOUNDER });
  await check.getByLabel('Effective').selectOption({ label: 'Yes, effective' });
  await check.getByLabel('Evidence').fill('The programme names Grace; January audit planned.');
  await check.getByRole('button', { name: 'Save check' }).click();
  await expect(check).toBeHidden();
  await expect(item).toContainText(': effective.');
  await item.getByRole('button', { name: 'Close “No internal audit last year”' }).click();
  const closing = item.getByRole('form', { name: 'Closing of “No internal audit last year”' });
  await expect(closing.getByLabel('Day closed')).toHaveValue(day());
  await closing.getByLabel('Day closed').fill(day(1));
  await closing.getByRole('button', { name: 'Close nonconformity' }).click();
  await expect(closing.getByText('The day cannot be in the future.')).toBeVisible();
  await expect(item).toContainText('Open');
  await closing.getByLabel('Day closed').fill(day());
  await closing.getByRole('button', { name: 'Close nonconformity' }).click();
  await expect(closing).toBeHidden();
  await expect(item).toContainText('Closed');
  await expect(item.getByRole('button', { name: 'Close “No internal audit last year”' })).toBeHidden();
  await expect(page.getByRole('table', { name: 'Nonconformities by quarter' })).toBeVisible();

  // The observation goes to the improvement log, linked both ways.
  await audit(page).getByRole('button', { name: /^Add to the improvement log: Audit reports reach/ }).click();
  const fromFinding = page.getByRole('form', { name: 'New improvement' });
  await expect(fromFinding.getByLabel('What could be better')).toHaveValue('Audit reports reach management weeks late.');
  await expect(fromFinding.getByLabel('Where it comes from')).toHaveValue(/^finding:/);
  await fromFinding.getByLabel('What could be better').fill('Send the audit report within a week.');
  await fromFinding.getByRole('button', { name: 'Save improvement' }).click();
  await expect(fromFinding).toBeHidden();
  const improvements = page.getByRole('list', { name: 'Improvements' });
  const reportIdea = improvements.getByRole('listitem', { name: 'Send the audit report within a week.' });
  await expect(reportIdea.getByRole('link', { name: `A finding of the audit “${AUDIT}”` })).toBeVisible();
  await expect(audit(page).getByRole('button', { name: /^Add to the improvement log/ })).toHaveCount(0);
  await audit(page).getByRole('link', { name: 'In the improvement log' }).click();
  await expect(reportIdea.getByRole('heading', { name: 'Send the audit report within a week.' })).toBeFocused();
  // Changed afterwards: its words, and whose idea it was.
  await reportIdea.getByRole('button', { name: 'Edit improvement: Send the audit report within a week.' }).click();
  const editIdea = reportIdea.getByRole('form', { name: 'Edit improvement: Send the audit report within a week.' });
  await editIdea.getByLabel('What could be better').fill('Send the audit report within five days.');
  await editIdea.getByLabel('Suggested by').fill('Grace Hopper');
  await editIdea.getByRole('button', { name: 'Save changes' }).click();
  const editedIdea = improvements.getByRole('listitem', { name: 'Send the audit report within five days.' });
  await expect(editedIdea).toContainText('suggested by Grace Hopper');
  await expect(editedIdea.getByRole('link', { name: `A finding of the audit “${AUDIT}”` })).toBeVisible();

  // An improvement from anyone: done only with its outcome.
  await page.getByRole('button', { name: 'Add an improvement' }).click();
  const improvement = page.getByRole('form', { name: 'New improvement' });
  await expect(improvement.getByLabel('What could be better')).toHaveValue('');
  await improvement.getByLabel('What could be better').fill('Remind the auditor a month before each audit');
  await improvement.getByLabel('Suggested by').fill('The service desk');
  await improvement.getByRole('button', { name: 'Save improvement' }).click();
  await expect(improvement).toBeHidden();
  const idea = improvements.getByRole('listitem', { name: 'Remind the auditor a month before each audit' });
  await expect(improvements.getByRole('listitem').first()).toHaveAccessibleName('Remind the auditor a month before each audit');
  await expect(idea).toContainText('Proposed');
  await expect(idea).toContainText('suggested by The service desk');
  await idea.getByRole('button', { name: /^Change status/ }).click();
  const status = idea.getByRole('form', { name: /^Status of/ });
  await status.getByLabel('Status').selectOption({ label: 'Done' });
  await status.getByRole('button', { name: 'Save status' }).click();
  await expect(status.getByText('Say what came of it.')).toBeVisible();
  await status.getByLabel('Outcome').fill('A calendar reminder is set.');
  await status.getByRole('button', { name: 'Save status' }).click();
  await expect(status).toBeHidden();
  await expect(idea).toContainText('Done');
  await expect(idea).toContainText('A calendar reminder is set.');
  await waitUntilSaved(page);
  await screenshot(page, 'audits-desktop');
  expect(await seriousViolations(page)).toEqual([]);
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await sidewaysScroll(page)).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'audits-phone');
  await page.setViewportSize({ width: 1280, height: 900 });

  // A management review's input (d) counts it.
  await openSection(page, 'Reviews', 'Management reviews');
  await page.getByRole('button', { name: 'Plan a review' }).click();
  const plan = page.getByRole('form', { name: 'Plan a management review' });
  await plan.getByLabel('Day of the meeting').fill(day(7));
  await plan.getByLabel('Chair').selectOption({ label: FOUNDER });
  await plan.getByRole('button', { name: 'Plan review' }).click();
  await expect(page.getByRole('heading', { level: 2, name: /^Management review MR-/ })).toBeVisible();
  await page.getByRole('button', { name: 'Prepare the pack' }).click();
  await expect(page.locator('#input-d')).toContainText(
    'Nonconformities: 0 open (0 major, 0 with the corrective action overdue); in all 1 raised and 1 closed.',
  );

  // A decision of the review goes to the improvement log, linked both ways.
  await page.getByRole('button', { name: 'Record decision' }).click();
  const decided = page.getByRole('form', { name: 'New decision' });
  await decided.getByLabel('What was decided').fill('Audit every clause each year');
  await decided.getByLabel('About').selectOption({ label: 'Continual improvement' });
  await decided.getByRole('button', { name: 'Save decision' }).click();
  await expect(decided).toBeHidden();
  const decisions = page.getByRole('list', { name: 'Decisions' });
  await decisions.getByRole('link', { name: 'Add to the improvement log' }).click();
  await expect(page).toHaveURL(/\/audits\?improve=[^#]+#improvements$/);
  const fromDecision = page.getByRole('form', { name: 'New improvement' });
  await expect(fromDecision.getByLabel('What could be better')).toHaveValue('Audit every clause each year');
  await expect(fromDecision.getByLabel('Where it comes from')).toHaveValue(/^decision:/);
  await fromDecision.getByRole('button', { name: 'Save improvement' }).click();
  await expect(fromDecision).toBeHidden();
  const decidedIdea = improvements.getByRole('listitem', { name: 'Audit every clause each year' });
  const toDecision = decidedIdea.getByRole('link', { name: /^A decision of the management review MR-/ });
  await toDecision.click();
  await expect(page.getByRole('heading', { level: 2, name: /^Management review MR-/ })).toBeVisible();
  await expect(decisions.getByRole('link', { name: 'Add to the improvement log' })).toHaveCount(0);
  await expect(decisions.getByRole('link', { name: 'In the improvement log' })).toBeVisible();

  // And a nonconformity from the same decision.
  await decisions.getByRole('link', { name: 'Raise a nonconformity' }).click();
  await expect(page).toHaveURL(/\/audits\?raise=[^#]+#nonconformities$/);
  const raised = page.getByRole('form', { name: 'New nonconformity' });
  await expect(raised.getByLabel('Nonconformity')).toHaveValue('Audit every clause each year');
  await expect(raised.getByLabel('Where it comes from')).toHaveValue(/^decision:/);
  await raised.getByLabel('Correction').fill('Clauses 4 to 8 are planned for this year.');
  await raised.getByLabel('Root cause').fill('The programme covered clause 9 only.');
  await raised.getByLabel('Similar nonconformities').fill('None.');
  await raised.getByLabel('Corrective action').fill('A three-year plan covering every clause.');
  await raised.getByLabel('Action owner').selectOption({ label: 'Grace Hopper' });
  await raised.getByLabel('Action due').fill(day(60));
  await raised.getByRole('button', { name: 'Save nonconformity' }).click();
  await expect(raised).toBeHidden();
  const fromReview = nonconformities(page).getByRole('listitem', { name: 'Audit every clause each year' });
  await fromReview.getByRole('link', { name: /^A decision of the management review MR-/ }).click();
  await expect(page).toHaveURL(/\/reviews\/[^/#]+#decision-/);
  await expect(decisions.getByRole('listitem').first()).toBeInViewport();
  await expect(decisions.getByRole('link', { name: 'Raise a nonconformity' })).toHaveCount(0);
  await decisions.getByRole('link', { name: 'Nonconformity raised' }).click();
  await expect(fromReview.getByRole('heading', { name: 'Audit every clause each year' })).toBeFocused();
  await waitUntilSaved(page);
  await page.reload();
  await expect(fromReview).toBeVisible();
  await expect(improvements.getByRole('listitem', { name: 'Audit every clause each year' })).toBeVisible();
});

test("the sample's audits page lists its audits, nonconformities and the programme's gaps, at desktop and phone width", async ({
  page,
}) => {
  test.setTimeout(90_000);
  await setDisplayName(page, 'Claire Hoffmann');
  await page.goto('/');
  await page.getByRole('button', { name: 'Open a sample workspace' }).click();
  await expect(page).toHaveURL(/\/overview$/, { timeout: 30_000 });
  await waitUntilSaved(page);
  await openSection(page, 'Audits', 'Audit programme');
  // Its audits cover every clause; the controls left unaudited are folded away, and those
  // audited (5.1, 5.2, …) are not among them.
  const gaps = page.getByRole('note').filter({ hasText: /applicable controls are not audited\./ });
  await expect(gaps).toBeVisible();
  const folded = gaps.getByRole('group');
  await expect(folded.getByText(/^5\.3, 5\.4, /)).toBeHidden();
  await folded.getByText(/^The \d+ controls$/).click();
  await expect(folded.getByText(/^5\.3, 5\.4, /)).toBeVisible();
  // On paper the list is printed whole, and the fold is not.
  await page.emulateMedia({ media: 'print' });
  await expect(gaps.locator('p.coverage-print')).toBeVisible();
  await expect(gaps.locator('p.coverage-print')).toHaveText(/^5\.3, 5\.4, /);
  await expect(folded).toBeHidden();
  await page.emulateMedia({ media: 'screen' });
  const audits = page.getByRole('list', { name: 'Audits' });
  await expect(audits.locator(':scope > li')).toHaveCount(2);
  await expect(audits.getByRole('listitem', { name: 'Internal audit of clauses 4 to 7' })).toContainText('Reported');
  const ncs = page.getByRole('list', { name: 'Nonconformities' });
  await expect(ncs.locator(':scope > li')).toHaveCount(2);
  await expect(ncs.getByRole('listitem', { name: 'Residual risks accepted without a record' })).toContainText('Closed');
  const improvements = page.getByRole('list', { name: 'Improvements' });
  await expect(improvements.locator(':scope > li')).toHaveCount(4);
  await expect(
    improvements
      .getByRole('listitem', { name: 'Keep the risk register and the owners' + "'" + ' acceptances in one place.' })
      .getByRole('link', { name: 'A finding of the audit “Internal audit of clauses 4 to 7”' }),
  ).toBeVisible();
  await expect(
    improvements
      .getByRole('listitem', { name: 'Join the logistics sector' + "'" + 's information-sharing group.' })
      .getByRole('link', { name: /^The management review MR-/ }),
  ).toBeVisible();

  // A nonconformity from an incident: the incident must be named.
  await page.getByRole('button', { name: 'Raise a nonconformity', exact: true }).click();
  const nc = page.getByRole('form', { name: 'New nonconformity' });
  await nc.getByLabel('Nonconformity').fill('Manifest sent to the wrong customer');
  await nc.getByLabel('Where it comes from').selectOption({ label: 'An incident' });
  await nc.getByLabel('What happened').fill('A shipping manifest went to the wrong customer.');
  await nc.getByLabel('Correction').fill('The customer deleted it and confirmed in writing.');
  await nc.getByLabel('Root cause').fill('Two customers with the same name in the address book.');
  await nc.getByLabel('Similar nonconformities').fill('Invoices use the same address book.');
  await nc.getByLabel('Corrective action').fill('Manifests take the address from the booking only.');
  await nc.getByLabel('Action owner').selectOption({ label: 'Jonas Weber' });
  await nc.getByLabel('Action due').fill(day(20));
  await nc.getByRole('button', { name: 'Save nonconformity' }).click();
  await expect(nc.getByText('Name the incident: its reference in the incident log, or what and when.')).toBeVisible();
  await expect(nc.getByLabel('Incident', { exact: true })).toBeFocused();
  await nc.getByLabel('Incident', { exact: true }).fill('INC-0142, manifest to the wrong customer');
  await nc.getByRole('button', { name: 'Save nonconformity' }).click();
  await expect(nc).toBeHidden();
  await expect(ncs.getByRole('listitem', { name: 'Manifest sent to the wrong customer' })).toContainText(
    'Incident: INC-0142, manifest to the wrong customer',
  );
  await expect(page.getByRole('table', { name: 'Nonconformities by quarter' })).toBeVisible();
  await screenshot(page, 'audits-sample-desktop');
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await sidewaysScroll(page)).toBe(0);
  await screenshot(page, 'audits-sample-phone');
});
