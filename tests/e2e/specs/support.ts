// Steps a person takes in Charter, found by role and label as they would find them.
import path from 'node:path';
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';

/** What a person types into the "New objective" form; unset fields are left as they are. */
export interface ObjectiveInput {
  title?: string;
  description?: string;
  target?: string;
  unit?: string;
  /** Whether the target is a floor ("higher") or a ceiling ("lower"); a target without one gets "higher". */
  direction?: 'higher' | 'lower';
  /** The owner, by name: someone already in People. */
  owner?: string;
  functionOrLevel?: string;
  dueDate?: string;
  health?: 'Not assessed' | 'On track' | 'At risk' | 'Off track';
  reason?: string;
  evaluation?: string;
}

const DIRECTIONS = {
  higher: 'At least the target (higher is better)',
  lower: 'At most the target (lower is better)',
};

/** Sets the display name that changes, approvals and confirmations are recorded under. */
export async function setDisplayName(page: Page, name: string) {
  await page.goto('/profile');
  await page.getByRole('textbox', { name: 'Display name' }).fill(name);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Saved.', { exact: true })).toBeVisible();
}

/** The name a workspace's creator gives when the profile has none yet. */
export const FOUNDER = 'Ada Lovelace';

/** Opens the start page and creates a workspace; resolves on its page `/w/<id>`. */
export async function createWorkspace(page: Page, organisation: string, scope?: string) {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Charter' })).toBeVisible();
  const form = page.getByRole('form', { name: 'New workspace' });
  await form.getByRole('textbox', { name: 'Organisation name' }).fill(organisation);
  // Asked at creation, prefilled from the profile: approvals name who gave them.
  const yourName = form.getByRole('textbox', { name: 'Your name' });
  if ((await yourName.inputValue()) === '') {
    await yourName.fill(FOUNDER);
  }
  if (scope !== undefined) {
    await form.getByRole('textbox', { name: 'ISMS scope' }).fill(scope);
  }
  await form.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page).toHaveURL(/\/w\/[^/?#]+$/);
  await expect(page.getByRole('heading', { level: 1, name: organisation })).toBeVisible();
}

/** The status that tells whether the workspace is stored. */
export function saveState(page: Page): Locator {
  return page.getByRole('status', { name: 'Save state' });
}

/** Waits until the status says the last change is stored, as a person would before closing. */
export async function waitUntilSaved(page: Page) {
  await expect(saveState(page)).toHaveText('Saved');
}

/** The list of objectives on a workspace page. */
export function objectiveList(page: Page): Locator {
  return page.getByRole('list', { name: 'Objectives', exact: true });
}

/** The list item of the objective with this title. */
export function objective(page: Page, title: string): Locator {
  return objectiveList(page)
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { level: 3, name: title, exact: true }) });
}

/** Fills the fields of an objective form (new or edit). */
export async function fillObjective(form: Locator, input: ObjectiveInput) {
  const fields: [string, string | undefined][] = [
    ['Title', input.title],
    ['Description', input.description],
    ['Target value', input.target],
    ['Unit', input.unit],
    ['Function or level', input.functionOrLevel],
    ['Due date', input.dueDate],
    ['How results are evaluated', input.evaluation],
  ];
  for (const [label, value] of fields) {
    if (value !== undefined) {
      await form.getByLabel(label).fill(value);
    }
  }
  const direction = form.getByLabel('Target met when the value is');
  if (input.direction !== undefined) {
    await direction.selectOption({ label: DIRECTIONS[input.direction] });
  } else if (input.target && (await direction.inputValue()) === '') {
    await direction.selectOption({ label: DIRECTIONS.higher });
  }
  if (input.owner !== undefined) {
    await form.getByLabel('Owner').selectOption({ label: input.owner });
  }
  if (input.health !== undefined) {
    const health = form.getByLabel('Health', { exact: true });
    if (input.health === 'Not assessed') {
      await health.selectOption({ index: 0 });
    } else {
      await health.selectOption({ label: input.health });
    }
  }
  if (input.reason !== undefined) {
    await form.getByLabel('Reason for this assessment').fill(input.reason);
  }
}

/** Opens "Add objective", fills the form and saves it; resolves once the objective is listed. */
export async function addObjective(page: Page, input: ObjectiveInput & { title: string }) {
  await page.getByRole('button', { name: 'Add objective' }).click();
  const form = page.getByRole('form', { name: 'New objective' });
  await expect(form).toBeVisible();
  await fillObjective(form, input);
  await form.getByRole('button', { name: 'Save objective' }).click();
  await expect(form).toBeHidden();
  await expect(objective(page, input.title)).toBeVisible();
}

/** Saves a full-page screenshot as test-results/<name>.png for a person to look at. */
export async function screenshot(page: Page, name: string) {
  const file = path.join(test.info().project.outputDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Opens the Policies section of the open workspace. */
export async function openPolicies(page: Page) {
  await page
    .getByRole('navigation', { name: 'Workspace sections' })
    .getByRole('link', { name: 'Policies' })
    .click();
  await expect(page.getByRole('heading', { level: 2, name: 'Policies' })).toBeVisible();
}

/** Opens a section from the workspace's section navigation. */
export async function openSection(page: Page, link: string, heading: string) {
  await page.getByRole('navigation', { name: 'Workspace sections' }).getByRole('link', { name: link }).click();
  await expect(page.getByRole('heading', { level: 2, name: heading })).toBeVisible();
}

/** Adds a person (name only) on the People and roles section. */
export async function addPerson(page: Page, name: string) {
  await page.getByRole('button', { name: 'Add person', exact: true }).click();
  const form = page.getByRole('form', { name: 'New person' });
  await form.getByLabel('Name', { exact: true }).fill(name);
  await form.getByRole('button', { name: 'Save person' }).click();
  await expect(form).toBeHidden();
  await expect(page.getByRole('list', { name: 'People' }).getByRole('listitem', { name })).toBeVisible();
}

/** Adds a standard role on the People and roles section and gives it to one person. */
export async function addRole(page: Page, role: string, holder: string) {
  await page.getByRole('button', { name: 'Add role', exact: true }).click();
  const form = page.getByRole('form', { name: 'New role' });
  await form.getByLabel('Role', { exact: true }).selectOption({ label: role });
  await form.getByRole('button', { name: 'Save role' }).click();
  await expect(form).toBeHidden();
  const item = page.getByRole('list', { name: 'Roles' }).getByRole('listitem', { name: role, exact: true });
  await item.getByRole('group', { name: 'Held by' }).getByRole('checkbox', { name: holder }).check();
}

/** Starts sharing through the local relay; resolves with the editor and read-only links. */
export async function share(page: Page): Promise<{ editor: string; reader: string }> {
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const start = page.getByRole('form', { name: 'Start sharing' });
  await expect(start.getByLabel('Relay address')).toHaveValue(/^http:\/\/127\.0\.0\.1:\d+$/);
  await start.getByRole('button', { name: 'Start sharing' }).click();
  const editor = await page.getByRole('textbox', { name: 'Editor link' }).inputValue();
  const reader = await page.getByRole('textbox', { name: 'Read-only link' }).inputValue();
  expect(editor).toMatch(/\/join#k=[A-Za-z0-9_-]{43}&relay=/);
  expect(reader).toMatch(/\/join#v=[A-Za-z0-9_-]+&relay=/);
  await expect(page.getByRole('status', { name: 'Sync state' })).toContainText('Up to date');
  await page.getByRole('button', { name: 'Copy editor link' }).click();
  await expect(page.getByRole('button', { name: 'Copy editor link' })).toHaveText('Copied');
  return { editor, reader };
}

/**
 * The language and time zone of the configuration's `use` (en-GB, Europe/London), for the browser
 * contexts a journey opens itself: `browser.newContext()` does not take them on its own, and the
 * app writes dates, money and numbers in the browser's language.
 */
export function sameLocale(): { locale?: string; timezoneId?: string } {
  const use = test.info().project.use;
  return { locale: use.locale, timezoneId: use.timezoneId };
}

/** A calendar date (YYYY-MM-DD) as the page shows it, in its browser's language: "31 Mar 2027" in en-GB. */
export async function shownDate(page: Page, iso: string): Promise<string> {
  return page.evaluate(
    (day) =>
      new Intl.DateTimeFormat(navigator.languages, { dateStyle: 'medium', timeZone: 'UTC' }).format(
        new Date(`${day}T00:00:00Z`),
      ),
    iso,
  );
}

/** Today in the page's time zone, as the page shows the day something was done: "2 Dec 2026" in en-GB. */
export async function shownToday(page: Page): Promise<string> {
  return page.evaluate(() => new Intl.DateTimeFormat(navigator.languages, { dateStyle: 'medium' }).format(new Date()));
}

/** Opens a share link in a new browser context under `name`; resolves on the workspace page. */
export async function join(browser: Browser, baseURL: string | undefined, link: string, name: string) {
  const context = await browser.newContext({ baseURL, ...sameLocale() });
  const page = await context.newPage();
  await page.goto(link);
  await expect(page.getByRole('heading', { level: 1, name: 'Join a shared workspace' })).toBeVisible();
  // The keys leave the address bar at once.
  await expect(page).toHaveURL(/\/join$/);
  await page.getByRole('textbox', { name: 'Your name' }).fill(name);
  await page.getByRole('button', { name: 'Join workspace' }).click();
  await expect(page).toHaveURL(/\/w\/[^/?#]+$/);
  return { context, page };
}

/** Takes a policy one lifecycle step that asks first (Approve, Publish, Retire) and confirms it. */
export async function confirmStep(item: Locator, action: 'Approve' | 'Publish' | 'Retire') {
  await item.getByRole('button', { name: action, exact: true }).click();
  const question = item.getByRole('group', { name: new RegExp(`^${action}( version \\d+ of)? “`) });
  // The information security policy is approved with clause 5.2 a–d attested.
  for (const box of await question.getByRole('checkbox').all()) {
    await box.check();
  }
  await question.getByRole('button', { name: action === 'Approve' ? /^Approve version \d+$/ : action, exact: true }).click();
  await expect(question).toBeHidden();
}

/**
 * Presses Escape in a form with changes: the form asks before discarding them, with Keep
 * editing focused, and is told to discard them.
 */
export async function discardWithEscape(form: Locator, field: Locator) {
  await field.press('Escape');
  const question = form.getByRole('group', { name: 'Discard changes?' });
  await expect(question.getByRole('button', { name: 'Keep editing' })).toBeFocused();
  await question.getByRole('button', { name: 'Discard changes' }).click();
}
