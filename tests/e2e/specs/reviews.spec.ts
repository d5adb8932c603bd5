// The management review workshop (issue 12): on the sample, two people hold the planned review
// live through the local relay. The earlier reviews' open actions are in input (a); both type
// into the minutes at once and both texts stay; one records a decision, the other an action;
// the chair signs; an edit made offline meanwhile arrives and is flagged as made after sign-off;
// the print pack holds every section with the signature verified, and so does the Markdown
// export. A second journey holds and signs a review with the keyboard alone.
import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { join, openSection, screenshot, share, waitUntilSaved } from './support';

const INPUTS = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];

async function setName(page: Page, name: string) {
  await page.goto('/profile');
  await page.getByRole('textbox', { name: 'Display name' }).fill(name);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
}

/** Opens the sample workspace; resolves on its overview. */
async function openSample(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Open a sample workspace' }).click();
  await expect(page).toHaveURL(/\/w\/[^/?#]+\/overview$/, { timeout: 30_000 });
  await waitUntilSaved(page);
}

/** Records this browser's key for `person` on the Participants page. */
async function recordKey(page: Page, person: string) {
  await openSection(page, 'Participants', 'Participants');
  const form = page.getByRole('region', { name: 'Your signing key' }).getByRole('form', { name: 'Record your key' });
  await form.getByRole('button', { name: 'Record my key' }).click();
  await form.getByLabel('You are').selectOption({ label: person });
  await form.getByLabel('This device').fill(`${person}'s laptop`);
  await form.getByRole('button', { name: 'Record my key' }).click();
  await expect(form).toBeHidden();
}

/** Opens the planned review from the list; resolves with its reference. */
async function openPlannedReview(page: Page): Promise<string> {
  await openSection(page, 'Reviews', 'Management reviews');
  const planned = page
    .getByRole('list', { name: 'Management reviews' })
    .getByRole('listitem')
    .filter({ has: page.getByText('Planned', { exact: true }) });
  await expect(planned).toHaveCount(1);
  const link = planned.getByRole('link');
  const reference = /MR-\d{4}-\d{2}/.exec((await link.textContent()) ?? '')?.[0];
  expect(reference).toBeTruthy();
  await link.click();
  await expect(page.getByRole('heading', { level: 2, name: `Management review ${reference}` })).toBeVisible();
  return reference!;
}

function input(page: Page, letter: string): Locator {
  return page.locator(`#input-${letter}`);
}

test('two people hold the planned review live: carry-forward, shared minutes, decision, action, sign-off, late edit flagged, pack and export', async ({
  page: claire,
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  await setName(claire, 'Claire Hoffmann');
  await openSample(claire);
  await recordKey(claire, 'Claire Hoffmann');
  const { editor } = await share(claire);
  const { context: martinContext, page: martin } = await join(browser, baseURL, editor, 'Martin Kessler');

  // The overview says when the next review is due.
  await openSection(claire, 'Overview', 'Overview');
  await expect(claire.getByRole('region', { name: 'Management review', exact: true })).toContainText('Next review due');

  const reference = await openPlannedReview(claire);
  await openPlannedReview(martin);

  // Input (a): the open actions of the earlier reviews, each with where it was raised.
  const carried = input(claire, 'a').getByRole('list', { name: 'Actions from earlier reviews' });
  await expect(carried.getByRole('listitem').first()).toBeVisible();
  const carriedCount = await carried.locator(':scope > li').count();
  expect(carriedCount).toBeGreaterThanOrEqual(2);
  await expect(carried.locator(':scope > li').first()).toContainText(/Open|In progress/);
  await expect(carried).toContainText(/raised in MR-\d{4}-\d{2}/);
  // Who is in the meeting.
  await expect(claire.getByText('In this meeting now: you, Martin Kessler')).toBeVisible();

  // The chair leads the agenda; Martin sees where the meeting is.
  await claire.getByRole('button', { name: 'Input (b): Discuss now' }).click();
  await expect(martin.getByRole('navigation', { name: 'Agenda' }).getByRole('status')).toHaveText(
    'Now discussing: (b) Changes in external and internal issues relevant to the ISMS',
  );
  // Only the chair's page offers to lead.
  await expect(martin.getByRole('button', { name: 'Input (c): Discuss now' })).toBeHidden();

  // Both type into the minutes at once; both texts survive.
  const claireMinutes = claire.getByRole('textbox', { name: 'Minutes' });
  const martinMinutes = martin.getByRole('textbox', { name: 'Minutes' });
  await claireMinutes.click();
  await martinMinutes.click();
  await martinMinutes.press('End');
  await Promise.all([
    claireMinutes.pressSequentially('Claire opened the review. ', { delay: 25 }),
    martinMinutes.pressSequentially('Martin presented the budget.', { delay: 25 }),
  ]);
  for (const field of [claireMinutes, martinMinutes]) {
    await expect(field).toHaveValue(/Claire opened the review\. /);
    await expect(field).toHaveValue(/Martin presented the budget\./);
  }

  // A note on each input from (a) to (f); Martin records a decision that considers (g).
  for (const letter of INPUTS.slice(0, 6)) {
    const notes = claire.getByRole('textbox', { name: `Notes on input (${letter})` });
    await notes.fill(`Discussed (${letter}) in full.`);
  }
  await martin.getByRole('button', { name: 'Record decision' }).click();
  const decision = martin.getByRole('form', { name: 'New decision' });
  await decision.getByLabel('What was decided').fill('Fund a second phishing simulation this year');
  await decision.getByLabel('About').selectOption({ label: 'Resources' });
  await decision.getByRole('checkbox', { name: '(g) Opportunities for continual improvement' }).check();
  await decision.getByRole('button', { name: 'Save decision' }).click();
  await expect(claire.getByRole('list', { name: 'Decisions' })).toContainText('Fund a second phishing simulation this year');
  await expect(input(claire, 'g').getByText('Considered', { exact: true })).toBeVisible();

  // Claire raises an action; without an owner and a due date it says what is missing.
  await claire.getByRole('button', { name: 'Raise action' }).click();
  const action = claire.getByRole('form', { name: 'New action' });
  await action.getByLabel('Action').fill('Book the second phishing simulation');
  await action.getByRole('button', { name: 'Save action' }).click();
  await expect(action.getByText('Choose who owns the action: every action needs an owner.')).toBeVisible();
  await expect(action.getByText('Enter the due date: every action needs one (YYYY-MM-DD).')).toBeVisible();
  await action.getByLabel('Owner').selectOption({ label: 'Priya Raman' });
  await action.getByLabel('Due').fill('2099-03-31');
  await action.getByRole('button', { name: 'Save action' }).click();
  await expect(martin.getByRole('list', { name: 'Actions raised' })).toContainText('Book the second phishing simulation');

  // The conclusion, and the pack's summaries frozen.
  const conclusion = claire.getByRole('form', { name: 'Conclusion' });
  await conclusion.getByLabel('The ISMS remains suitable').selectOption({ label: 'Yes' });
  await conclusion.getByLabel('The ISMS remains adequate').selectOption({ label: 'Yes' });
  await conclusion.getByLabel('The ISMS remains effective').selectOption({ label: 'No' });
  await conclusion.getByLabel('Conclusion in words').fill('Suitable and adequate; effective once phishing is under control.');
  await conclusion.getByRole('button', { name: 'Save conclusion' }).click();
  await expect(conclusion.getByText('Saved.')).toBeVisible();
  await claire.getByRole('button', { name: 'Prepare the pack' }).click();
  await expect(claire.getByText(/The inputs' summaries were prepared on/)).toBeVisible();
  await expect(input(claire, 'd').getByText('From the workspace')).toBeVisible();
  await screenshot(claire, 'review-workshop');

  // Martin's laptop goes offline and he keeps typing.
  await waitUntilSaved(martin);
  await expect(martin.getByRole('status', { name: 'Sync state' })).toContainText('Up to date');
  await martinContext.setOffline(true);
  await martinMinutes.click();
  await martinMinutes.press('End');
  await martinMinutes.pressSequentially(' Martin left early.');

  // The chair signs.
  const signoff = claire.getByRole('region', { name: 'Sign-off' });
  await claire.getByRole('button', { name: 'Sign as chair' }).click();
  const question = claire.getByRole('group', { name: `Sign ${reference} as the chair?` });
  await expect(question.getByRole('button', { name: 'Sign the review' })).toBeFocused();
  await question.getByRole('button', { name: 'Sign the review' }).click();
  await expect(signoff.getByText('Signature verified')).toBeVisible();
  await expect(claire.getByRole('button', { name: 'Sign as chair' })).toBeHidden();
  await expect(claire.getByLabel('Signed minutes')).not.toContainText('Martin left early');

  // Martin is back: his late edit is kept, flagged, and not part of the signed version.
  await martinContext.setOffline(false);
  const late = claire.getByRole('list', { name: 'Changed after sign-off' });
  await expect(late).toContainText('The minutes', { timeout: 30_000 });
  await expect(claire.locator('#minutes').getByText('Changed after sign-off')).toBeVisible();
  await expect(claire.getByLabel('Signed minutes')).not.toContainText('Martin left early');
  await expect(claire.locator('#minutes .late-change')).toContainText('Martin left early');
  await screenshot(claire, 'review-signed');

  // The print pack: every section, the signature verified, what changed since the last review.
  await claire.getByRole('link', { name: 'Print the pack' }).click();
  const pack = claire.getByRole('article', { name: `Management review pack ${reference}` });
  await expect(pack.getByRole('heading', { name: `Management review ${reference}` })).toBeVisible();
  for (const heading of [
    'Agenda',
    'Inputs (clause 9.3.2)',
    'Minutes',
    'Decisions (clause 9.3.3)',
    'Actions',
    'Conclusion',
    'What changed since the last review',
  ]) {
    await expect(pack.getByRole('heading', { name: heading, exact: true })).toBeVisible();
  }
  for (const letter of INPUTS) {
    await expect(pack.getByRole('heading', { name: new RegExp(`^\\(${letter}\\) `) })).toBeVisible();
  }
  await expect(pack.getByText('Signature verified')).toBeVisible();
  await expect(pack).toContainText('Fund a second phishing simulation this year');
  await expect(pack).toContainText('Book the second phishing simulation');
  await expect(pack).toContainText('Claire opened the review.');
  await expect(pack).not.toContainText('Martin left early.');
  await claire.emulateMedia({ media: 'print' });
  await expect(pack.getByRole('button', { name: 'Print' })).toBeHidden();
  await screenshot(claire, 'review-pack-print');
  await claire.emulateMedia({ media: 'screen' });

  // The Markdown export holds every section of the signed version.
  await claire.getByRole('link', { name: 'Back to the review' }).click();
  const download = claire.waitForEvent('download');
  await claire.getByRole('button', { name: 'Download Markdown' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`${reference}.md`);
  const markdown = readFileSync((await file.path())!, 'utf8');
  for (const heading of [
    `# Management review ${reference}`,
    '## Agenda',
    '## Inputs (clause 9.3.2)',
    '## Minutes',
    '## Decisions (clause 9.3.3)',
    '## Actions',
    '## Conclusion',
    '## Changed after sign-off (not part of the signed version)',
    '## What changed since the last review',
  ]) {
    expect(markdown).toContain(heading);
  }
  for (const letter of INPUTS) {
    expect(markdown).toContain(`### (${letter}) `);
  }
  expect(markdown).toContain('Sign-off: Signature verified: signed by Claire Hoffmann');
  expect(markdown).toContain('Martin presented the budget.');
  expect(markdown).not.toContain('Martin left early.');
  await martinContext.close();
});

/** Presses Tab until `target` has the focus, as a keyboard user would; fails after `max` presses. */
async function tabTo(page: Page, target: Locator, max = 250) {
  const handle = await target.elementHandle();
  for (let i = 0; i < max; i += 1) {
    if (await page.evaluate((el) => document.activeElement === el, handle)) {
      return;
    }
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${target}`);
}

test('a review is held and signed with the keyboard alone', async ({ page }) => {
  test.setTimeout(150_000);
  await setName(page, 'Claire Hoffmann');
  await openSample(page);
  await recordKey(page, 'Claire Hoffmann');
  const reference = await openPlannedReview(page);
  await page.locator('body').focus();

  // Notes on every input but (g), typed into the live fields.
  for (const letter of INPUTS.slice(0, 6)) {
    await tabTo(page, page.getByRole('textbox', { name: `Notes on input (${letter})` }));
    await page.keyboard.type(`Considered (${letter}).`);
  }
  // A decision that considers (g).
  await tabTo(page, page.getByRole('button', { name: 'Record decision' }));
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('What was decided')).toBeFocused();
  await page.keyboard.type('Renew the ISMS scope statement');
  await tabTo(page, page.getByRole('checkbox', { name: '(g) Opportunities for continual improvement' }));
  await page.keyboard.press('Space');
  await tabTo(page, page.getByRole('button', { name: 'Save decision' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('list', { name: 'Decisions' })).toContainText('Renew the ISMS scope statement');
  // The conclusion: each answer chosen with the arrow keys.
  for (const [label, answer] of [
    ['The ISMS remains suitable', 'yes'],
    ['The ISMS remains adequate', 'yes'],
    ['The ISMS remains effective', 'yes'],
  ]) {
    const select = page.getByLabel(label);
    await tabTo(page, select);
    await page.keyboard.press('ArrowDown');
    await expect(select).toHaveValue(answer);
  }
  await tabTo(page, page.getByLabel('Conclusion in words'));
  await page.keyboard.type('The ISMS remains suitable, adequate and effective.');
  await tabTo(page, page.getByRole('button', { name: 'Save conclusion' }));
  await page.keyboard.press('Enter');
  await expect(page.getByText('Saved.', { exact: true })).toBeVisible();
  await tabTo(page, page.getByRole('button', { name: 'Prepare the pack' }));
  await page.keyboard.press('Enter');
  await expect(page.getByText(/The inputs' summaries were prepared on/)).toBeVisible();
  // Sign: the question takes the focus; Enter signs.
  const sign = page.getByRole('button', { name: 'Sign as chair' });
  await expect(sign).toBeEnabled();
  await tabTo(page, sign);
  await page.keyboard.press('Enter');
  const confirm = page.getByRole('group', { name: `Sign ${reference} as the chair?` }).getByRole('button', { name: 'Sign the review' });
  await expect(confirm).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('region', { name: 'Sign-off' }).getByText('Signature verified')).toBeVisible();
  await screenshot(page, 'review-keyboard-signed');

  // A 5.1 confirmation holds until the next management review: the sample's confirmed
  // duties now ask to be confirmed again, and the overview counts them unconfirmed.
  await openSection(page, 'Commitment', 'Leadership commitment');
  const duties = page.getByRole('list', { name: 'Leadership duties' });
  await expect(duties.getByText('Confirm again', { exact: true }).first()).toBeVisible();
  await expect(duties.getByText(/was signed since this confirmation/).first()).toBeVisible();
  await expect(duties.getByText('Confirmed', { exact: true })).toHaveCount(0);
});
