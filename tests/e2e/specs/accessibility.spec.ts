// Every screen of the sample, checked by axe-core (WCAG 2.1 A and AA rules) for serious and
// critical violations, on a desktop and at phone width, where no page may scroll sideways.
import { expect, test, type Page } from '@playwright/test';
import { setDisplayName, waitUntilSaved } from './support';

// The page's Content Security Policy forbids inline scripts, rightly; the checker is one.
test.use({ bypassCSP: true });

/** axe-core's own build, injected into the page as a script: nothing is fetched. */
const AXE = require.resolve('axe-core/axe.min.js');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** The serious and critical violations axe-core finds on the page as it is now. */
async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.addScriptTag({ path: AXE });
  }
  const violations: Violation[] = await page.evaluate(async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const axe = (window as any).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** How far the page scrolls sideways, in CSS pixels (0 when it fits). */
async function sidewaysScroll(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

const SECTIONS: [string, string][] = [
  ['Overview', 'Overview'],
  ['Objectives', 'Security objectives'],
  ['Context', 'Context and scope'],
  ['Plan', 'Implementation plan'],
  ['Risks', 'Risk register'],
  ['Applicability', 'Statement of Applicability'],
  ['People and roles', 'People and roles'],
  ['Resources', 'Resources'],
  ['Policies', 'Policies'],
  ['Training', 'Training and awareness'],
  ['Communication', 'Communication'],
  ['Commitment', 'Leadership commitment'],
  ['Reviews', 'Management reviews'],
  ['Audits', 'Audit programme'],
  ['Certification', 'Certification'],
  ['Participants', 'Participants'],
  ['History', 'History'],
];

/** Opens the sample and visits every screen; `check` runs on each, named. */
async function everyScreen(page: Page, check: (name: string) => Promise<void>) {
  await setDisplayName(page, 'Claire Hoffmann');
  await check('Profile');
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Charter' })).toBeVisible();
  await check('Start page');
  await page.getByRole('button', { name: 'Open a sample workspace' }).click();
  await expect(page).toHaveURL(/\/overview$/, { timeout: 30_000 });
  await waitUntilSaved(page);
  for (let [link, heading] of SECTIONS) {
    const nav = page.getByRole('navigation', { name: 'Workspace sections' });
    await nav.getByRole('link', { name: link, exact: true }).click();
    await expect(page.getByRole('heading', { level: 2, name: heading }).first()).toBeVisible();
    if (link === 'Reviews') {
      // A past review (its inputs, summaries, decisions, actions), its pack, and every action.
      await check('Management reviews');
      // The list is newest first: the last is the oldest, held and not signed.
      const past = page.getByRole('list', { name: 'Management reviews' }).getByRole('link').last();
      await past.click();
      await expect(page.getByRole('heading', { level: 2, name: /^Management review MR-/ })).toBeVisible();
      await check('A management review');
      await page.getByRole('link', { name: 'Print the pack' }).click();
      await expect(page.getByRole('article', { name: /^Management review pack/ })).toBeVisible();
      await check('A review pack');
      await page.getByRole('link', { name: 'Back to the review' }).click();
      await page.getByRole('link', { name: 'All management reviews' }).click();
      await page.getByRole('link', { name: 'All actions' }).click();
      await expect(page.getByRole('heading', { level: 2, name: 'Actions from management reviews' })).toBeVisible();
      link = 'Actions';
    }
    if (link === 'Plan') {
      // A planned change on the page (clause 6.3), after its form showed its messages.
      await page.getByRole('button', { name: 'Plan a change' }).click();
      const form = page.getByRole('form', { name: 'New planned change' });
      await form.getByRole('button', { name: 'Save change' }).click();
      await expect(form.getByText('Say why the change is made.')).toBeVisible();
      await check('New planned change form with errors');
      await form.getByLabel('What changes').fill('Move the booking platform to the cloud');
      await form.getByLabel('Purpose').fill('The data centre lease ends next year.');
      await form.getByLabel('Possible consequences').fill('A new supplier holds customer data.');
      await form.getByLabel('Effect on the ISMS').fill('Both platforms run side by side for a month.');
      await form.getByLabel('Responsible').selectOption({ label: 'Claire Hoffmann' });
      await form.getByRole('button', { name: 'Save change' }).click();
      await expect(page.getByRole('list', { name: 'Planned changes' }).getByRole('listitem')).toHaveCount(2);
    }
    if (link === 'Plan' || link === 'Applicability') {
      // The printable plan and Statement of Applicability.
      const print = link === 'Plan' ? 'Print the plan' : 'Print the Statement of Applicability';
      const back = link === 'Plan' ? 'Back to the plan' : 'Back to the Statement of Applicability';
      await page.getByRole('link', { name: print }).click();
      await expect(page.getByRole('article', { name: /^(Implementation plan|Statement of Applicability) of / })).toBeVisible();
      await check(link === 'Plan' ? 'The printable plan' : 'The printable Statement of Applicability');
      await page.getByRole('link', { name: back }).click();
      await expect(page.getByRole('heading', { level: 2, name: heading }).first()).toBeVisible();
    }
    if (link === 'Risks') {
      // The register, then its print view.
      await check('Risks');
      await page.getByRole('link', { name: 'Print the register' }).click();
      await expect(page.getByRole('article', { name: 'Risk register for printing' })).toBeVisible();
      await check('Risk register print view');
      await page.getByRole('link', { name: 'Back to the risk register' }).click();
      await expect(page.getByRole('heading', { level: 2, name: 'Risk register' })).toBeVisible();
    }
    if (link === 'Certification') {
      // The certification page (no certificate in the sample: its form), then the stage 1 dossier.
      await check('Certification');
      await page.getByRole('link', { name: 'Stage 1 dossier' }).click();
      await expect(page.getByRole('article', { name: /^Stage 1 dossier of / })).toBeVisible();
      await check('Stage 1 dossier');
      await page.getByRole('link', { name: 'Back to certification' }).click();
      await expect(page.getByRole('heading', { level: 2, name: heading }).first()).toBeVisible();
    }
    if (link === 'Policies') {
      await page.getByRole('button', { name: 'Open Information security policy' }).click();
      await expect(page.getByRole('region', { name: 'Text of Information security policy' })).toBeVisible();
    }
    await check(link);
  }
  // The objectives as a compact table.
  await page.getByRole('navigation', { name: 'Workspace sections' }).getByRole('link', { name: 'Objectives', exact: true }).click();
  await page.getByRole('navigation', { name: 'Show objectives as' }).getByRole('link', { name: 'Table' }).click();
  await expect(page.getByRole('table', { name: 'Objectives at a glance' })).toBeVisible();
  await check('Objectives table');
  // A form open, with its messages showing.
  await page.getByRole('navigation', { name: 'Workspace sections' }).getByRole('link', { name: 'Objectives', exact: true }).click();
  await page.getByRole('button', { name: 'Add objective', exact: true }).click();
  await page.getByRole('form', { name: 'New objective' }).getByRole('button', { name: 'Save objective' }).click();
  await expect(page.getByText('Enter a title.')).toBeVisible();
  await check('New objective form with errors');
}

test('axe-core finds no serious or critical violation on any screen of the sample', async ({ page }) => {
  test.setTimeout(120_000);
  const found: string[] = [];
  await everyScreen(page, async (name) => {
    for (const violation of await seriousViolations(page)) {
      found.push(`${name}: ${violation}`);
    }
  });
  expect(found, found.join('\n')).toEqual([]);
});

test('at phone width (390 px) no screen scrolls sideways, and axe-core still finds nothing serious', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 390, height: 844 });
  const found: string[] = [];
  await everyScreen(page, async (name) => {
    const overflow = await sidewaysScroll(page);
    if (overflow > 0) {
      found.push(`${name}: scrolls ${overflow}px sideways`);
    }
    for (const violation of await seriousViolations(page)) {
      found.push(`${name}: ${violation}`);
    }
  });
  expect(found, found.join('\n')).toEqual([]);
});

test('in the dark theme (the system setting), axe-core finds nothing serious either, contrast included', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.emulateMedia({ colorScheme: 'dark' });
  const found: string[] = [];
  await everyScreen(page, async (name) => {
    if (name === 'Overview') {
      // The theme follows the system: the page is dark.
      const paper = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
      expect(paper).toBe('rgb(17, 22, 29)');
    }
    for (const violation of await seriousViolations(page)) {
      found.push(`${name}: ${violation}`);
    }
  });
  expect(found, found.join('\n')).toEqual([]);
});
