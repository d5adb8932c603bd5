// Policies (clause 5.2): write, review and approve a policy, then find the approved text after later edits.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { confirmStep, createWorkspace, discardWithEscape, openPolicies, screenshot, waitUntilSaved } from './support';

const ORGANISATION = 'Northwind Trading Ltd';
const POLICY = 'Information security policy';
const OLD_SENTENCE = 'Northwind protects the information entrusted to it by customers.';
const NEW_SENTENCE = 'Northwind protects all information entrusted to it by customers and partners.';
const SECOND_PARAGRAPH = 'Every employee reports security incidents to the security officer at once.';


function policyList(page: Page): Locator {
  return page.getByRole('list', { name: 'Policies', exact: true });
}

function policyItem(page: Page, title: string): Locator {
  return policyList(page).getByRole('listitem', { name: title, exact: true });
}

async function addPolicy(page: Page, title: string, kind: string, text: string, reviewDue = '2030-01-31') {
  await page.getByRole('button', { name: 'Add policy' }).click();
  const form = page.getByRole('form', { name: 'New policy' });
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('Kind').selectOption({ label: kind });
  await form.getByLabel('Owner').fill('Grace Hopper');
  await form.getByLabel('Review due').fill(reviewDue);
  await form.getByLabel('Policy text').fill(text);
  await form.getByRole('button', { name: 'Save policy' }).click();
  await expect(form).toBeHidden();
  await expect(policyItem(page, title)).toBeVisible();
}

/** The policies themselves: only the list's own items, not the approvals or lists inside them. */
function policyItems(page: Page): Locator {
  return policyList(page).locator(':scope > li');
}

/** Fails the test on any alert, confirm or prompt (a script typed into a policy must never run). */
function refuseDialogs(page: Page) {
  page.on('dialog', (dialog) => {
    throw new Error(`Unexpected dialog: ${dialog.message()}`);
  });
}

test('an approved policy keeps its approved text after later edits and a reload', async ({ page }) => {
  refuseDialogs(page);
  await createWorkspace(page, ORGANISATION);
  await openPolicies(page);
  await expect(page.getByText('No policies yet')).toBeVisible();

  // An empty title is refused next to the field, and nothing is added.
  await page.getByRole('button', { name: 'Add policy' }).click();
  const form = page.getByRole('form', { name: 'New policy' });
  await form.getByLabel('Policy text').fill('Some text without a title.');
  await form.getByRole('button', { name: 'Save policy' }).click();
  await expect(form.getByText('Enter a title.')).toBeVisible();
  await expect(form.getByLabel('Title')).toBeFocused();
  await expect(policyList(page)).toHaveCount(0);
  await discardWithEscape(form, form.getByLabel('Title'));
  await expect(form).toBeHidden();
  await expect(page.getByText('No policies yet')).toBeVisible();

  await addPolicy(page, POLICY, 'Information security policy', `${OLD_SENTENCE}\n\n${SECOND_PARAGRAPH}`);
  const item = policyItem(page, POLICY);
  await expect(item.getByText('Draft', { exact: true })).toBeVisible();
  await item.getByRole('button', { name: `Open ${POLICY}` }).click();
  const body = item.getByRole('region', { name: `Text of ${POLICY}` });
  await expect(body.getByRole('paragraph')).toHaveText([OLD_SENTENCE, SECOND_PARAGRAPH]);

  await item.getByRole('button', { name: 'Send for review' }).click();
  await expect(item.getByText('In review', { exact: true })).toBeVisible();
  await confirmStep(item, 'Approve');
  await expect(item.getByText('Approved', { exact: true })).toBeVisible();
  await expect(item.getByText(/^Approved by .+ on \d{1,2} [A-Z][a-z]{2,3} \d{4}$/)).toBeVisible();

  // Editing the text of an approved policy sends it back to draft (the core's decision).
  // The text is saved as it is typed: there is no Save button, only Done.
  await item.getByRole('button', { name: 'Edit text' }).click();
  const editForm = item.getByRole('group', { name: 'Edit text' });
  await expect(editForm.getByText(/This policy is approved\. Your first change returns it to draft/)).toBeVisible();
  await editForm.getByLabel('Policy text').fill(`${NEW_SENTENCE}\n\n${SECOND_PARAGRAPH}`);
  await expect(item.getByText('Draft', { exact: true })).toBeVisible();
  await editForm.getByRole('button', { name: 'Done' }).click();
  await expect(editForm).toBeHidden();
  await expect(item.getByRole('button', { name: 'Edit text' })).toBeFocused();
  await expect(body.getByRole('paragraph')).toHaveText([NEW_SENTENCE, SECOND_PARAGRAPH]);
  await expect(item.getByText('Draft', { exact: true })).toBeVisible();
  await expect(item.getByRole('button', { name: 'Send for review' })).toBeVisible();

  await item.getByRole('button', { name: 'Show approved version 1' }).click();
  const approved = item.getByRole('region', { name: 'Approved version 1' });
  await expect(approved).toContainText(OLD_SENTENCE);
  await expect(approved).not.toContainText(NEW_SENTENCE);
  const changes = item.getByRole('region', { name: 'Changes since approval 1' });
  await expect(changes.locator('.diff-removed')).toHaveText([`− ${OLD_SENTENCE}`]);
  await expect(changes.locator('.diff-added')).toHaveText([`+ ${NEW_SENTENCE}`]);

  // The overview derives what is in force: version 1 still is, and its text now differs from it.
  await page.getByRole('navigation', { name: 'Workspace sections' }).getByRole('link', { name: 'Overview' }).click();
  const policiesTile = page.getByRole('region', { name: 'Policies' });
  await expect(policiesTile).toContainText(`In force: ${POLICY}, version 1`);
  await expect(
    page
      .getByRole('region', { name: 'Needs attention' })
      .getByRole('link', { name: "The information security policy's text differs from version 1, the one approved" }),
  ).toBeVisible();
  await openPolicies(page);

  // Markup in the text is shown as text, never run.
  await addPolicy(
    page,
    'Acceptable use policy',
    'Topic-specific policy',
    'Never paste <script>alert(1)</script> into a web page.',
  );
  const usage = policyItem(page, 'Acceptable use policy');
  await usage.getByRole('button', { name: 'Open Acceptable use policy' }).click();
  const usageBody = usage.getByRole('region', { name: 'Text of Acceptable use policy' });
  await expect(usageBody).toHaveText('Never paste <script>alert(1)</script> into a web page.');
  await expect(usageBody.locator('script')).toHaveCount(0);

  await waitUntilSaved(page);
  await screenshot(page, 'policies');

  await page.reload();
  await expect(page.getByRole('heading', { level: 2, name: 'Policies' })).toBeVisible();
  const reloaded = policyItem(page, POLICY);
  await reloaded.getByRole('button', { name: `Open ${POLICY}` }).click();
  await expect(reloaded.getByRole('region', { name: `Text of ${POLICY}` })).toContainText(NEW_SENTENCE);
  await reloaded.getByRole('button', { name: 'Show approved version 1' }).click();
  const approvedAgain = reloaded.getByRole('region', { name: 'Approved version 1' });
  await expect(approvedAgain).toContainText(OLD_SENTENCE);
  await expect(approvedAgain).not.toContainText(NEW_SENTENCE);
  await expect(reloaded.getByRole('region', { name: 'Changes since approval 1' }).locator('.diff-removed')).toHaveText([
    `− ${OLD_SENTENCE}`,
  ]);
});

test('a person acknowledges the approved version, and an overdue review is flagged', async ({ page }) => {
  await createWorkspace(page, ORGANISATION);
  await page
    .getByRole('navigation', { name: 'Workspace sections' })
    .getByRole('link', { name: 'People and roles' })
    .click();
  await page.getByRole('button', { name: 'Add person', exact: true }).click();
  const personForm = page.getByRole('form', { name: 'New person' });
  await personForm.getByLabel('Name', { exact: true }).fill('Ada Lovelace');
  await personForm.getByRole('button', { name: 'Save person' }).click();
  await expect(personForm).toBeHidden();

  await openPolicies(page);
  await page.getByRole('button', { name: 'Add policy' }).click();
  const form = page.getByRole('form', { name: 'New policy' });
  await form.getByLabel('Title').fill('Backup policy');
  await form.getByLabel('Kind').selectOption({ label: 'Topic-specific policy' });
  await form.getByLabel('Review due').fill('2020-01-31');
  await form.getByLabel('Policy text').fill('Back up every system daily.');
  await form.getByRole('button', { name: 'Save policy' }).click();
  await expect(form).toBeHidden();
  const item = policyItem(page, 'Backup policy');
  await expect(item.getByText('Review due', { exact: true })).toBeVisible();

  await item.getByRole('button', { name: 'Open Backup policy' }).click();
  await item.getByRole('button', { name: 'Send for review' }).click();
  await confirmStep(item, 'Approve');
  await confirmStep(item, 'Publish');
  await expect(item.getByText('Published', { exact: true })).toBeVisible();
  const markAsRead = item.getByRole('form', { name: 'Mark as read' });
  await markAsRead.getByLabel('Person').selectOption({ label: 'Ada Lovelace' });
  await markAsRead.getByRole('button', { name: 'Record acknowledgement' }).click();
  await expect(item.getByText('Read by Ada Lovelace')).toBeVisible();
  await waitUntilSaved(page);
});

const MARKDOWN_POLICY = 'Clear desk policy';
const MARKDOWN_TEXT = [
  '# Purpose',
  '',
  'We keep **customer data** out of sight at all times.',
  '',
  '- Lock your screen when you leave',
  '- Report *lost badges* at once',
  '',
  'Read [the guide](javascript:alert(1)) and [the standard](https://www.iso.org/standard/27001).',
  '',
  '<img src=x onerror=alert(1)>',
].join('\n');

test('Markdown in a policy is shown formatted, while markup and unsafe links stay plain text', async ({ page }) => {
  refuseDialogs(page);
  await createWorkspace(page, ORGANISATION);
  await openPolicies(page);
  await page.getByRole('button', { name: 'Add policy' }).click();
  await expect(page.getByRole('form', { name: 'New policy' }).getByText(/^Markdown: # heading, \*\*bold\*\*/)).toBeVisible();
  await page.getByRole('form', { name: 'New policy' }).getByRole('button', { name: 'Cancel' }).click();
  await addPolicy(page, MARKDOWN_POLICY, 'Topic-specific policy', MARKDOWN_TEXT);

  const checkRendered = async (region: Locator) => {
    await expect(region.getByRole('heading', { name: 'Purpose', exact: true })).toBeVisible();
    await expect(region.locator('strong')).toHaveText(['customer data']);
    await expect(region.getByRole('list').getByRole('listitem')).toHaveText([
      'Lock your screen when you leave',
      'Report lost badges at once',
    ]);
    await expect(region.locator('em')).toHaveText(['lost badges']);
    // Only the https address becomes a link; the javascript: one stays as typed.
    await expect(region.getByRole('link')).toHaveCount(1);
    await expect(region.getByRole('link', { name: 'the standard' })).toHaveAttribute(
      'href',
      'https://www.iso.org/standard/27001',
    );
    await expect(region.getByText('[the guide](javascript:alert(1))')).toBeVisible();
    await expect(region.getByText('<img src=x onerror=alert(1)>', { exact: true })).toBeVisible();
    await expect(region.locator('img, script')).toHaveCount(0);
  };

  const item = policyItem(page, MARKDOWN_POLICY);
  await item.getByRole('button', { name: `Open ${MARKDOWN_POLICY}` }).click();
  await checkRendered(item.getByRole('region', { name: `Text of ${MARKDOWN_POLICY}` }));

  // The approved version is rendered the same way.
  await item.getByRole('button', { name: 'Send for review' }).click();
  await confirmStep(item, 'Approve');
  await item.getByRole('button', { name: 'Show approved version 1' }).click();
  await checkRendered(item.getByRole('region', { name: 'Approved version 1' }));
  await waitUntilSaved(page);
  await screenshot(page, 'policies-markdown');

  await page.reload();
  await expect(page.getByRole('heading', { level: 2, name: 'Policies' })).toBeVisible();
  const reloaded = policyItem(page, MARKDOWN_POLICY);
  await reloaded.getByRole('button', { name: `Open ${MARKDOWN_POLICY}` }).click();
  await checkRendered(reloaded.getByRole('region', { name: `Text of ${MARKDOWN_POLICY}` }));
});

test("a policy's title and review date are edited with inline checks, and stay changed after a reload", async ({
  page,
}) => {
  await createWorkspace(page, ORGANISATION);
  await openPolicies(page);
  await addPolicy(page, 'Backup policy', 'Topic-specific policy', 'Back up every system daily.');
  const item = policyItem(page, 'Backup policy');
  await expect(item.getByText(/Next review 31 Jan 2030/)).toBeVisible();
  await item.getByRole('button', { name: 'Open Backup policy' }).click();

  // Escape closes the form and gives the focus back to its button.
  const editDetails = item.getByRole('button', { name: 'Edit details' });
  await editDetails.click();
  const form = item.getByRole('form', { name: 'Edit details' });
  await expect(form.getByLabel('Title')).toBeFocused();
  await expect(form.getByLabel('Title')).toHaveValue('Backup policy');
  await expect(form.getByLabel('Review due')).toHaveValue('2030-01-31');
  await expect(form.getByLabel('Policy text')).toHaveCount(0);
  await form.getByLabel('Title').press('Escape');
  await expect(form).toBeHidden();
  await expect(editDetails).toBeFocused();

  // An impossible date is refused next to its field, and nothing is stored.
  await editDetails.click();
  await form.getByLabel('Title').fill('Backup and restore policy');
  await form.getByLabel('Review due').fill('2031-02-30');
  await form.getByRole('button', { name: 'Save details' }).click();
  await expect(form.getByText('Enter a real date as YYYY-MM-DD.')).toBeVisible();
  await expect(form.getByLabel('Review due')).toBeFocused();
  await expect(form.getByLabel('Review due')).toHaveAttribute('aria-invalid', 'true');
  await expect(policyItem(page, 'Backup policy')).toBeVisible();
  await expect(policyItem(page, 'Backup and restore policy')).toHaveCount(0);

  await form.getByLabel('Review due').fill('2031-03-15');
  await form.getByLabel('Kind').selectOption({ label: 'Information security policy' });
  await form.getByRole('button', { name: 'Save details' }).click();
  await expect(form).toBeHidden();
  const renamed = policyItem(page, 'Backup and restore policy');
  await expect(renamed.getByRole('heading', { level: 3, name: 'Backup and restore policy' })).toBeVisible();
  await expect(renamed.getByText(/^Information security policy · Owner: Grace Hopper · Next review 15 Mar 2031$/)).toBeVisible();
  await waitUntilSaved(page);

  await page.reload();
  await expect(page.getByRole('heading', { level: 2, name: 'Policies' })).toBeVisible();
  await expect(policyItems(page)).toHaveCount(1);
  const reloaded = policyItem(page, 'Backup and restore policy');
  await expect(reloaded.getByText(/^Information security policy · Owner: Grace Hopper · Next review 15 Mar 2031$/)).toBeVisible();
  await expect(policyItem(page, 'Backup policy')).toHaveCount(0);
});

test('only the policies due for review are listed under ?review=due', async ({ page }) => {
  await createWorkspace(page, ORGANISATION);
  const workspaceUrl = page.url();
  await openPolicies(page);
  await expect(page.getByText(/due for review/)).toHaveCount(0);
  await addPolicy(page, 'Access control policy', 'Topic-specific policy', '- Unique accounts\n- Least privilege', '2020-01-31');
  await addPolicy(page, 'Supplier policy', 'Topic-specific policy', 'Suppliers sign our terms.', '2099-12-31');

  const overdue = policyItem(page, 'Access control policy');
  await expect(overdue.getByText('Review due', { exact: true })).toBeVisible();
  await expect(policyItem(page, 'Supplier policy').getByText('Review due', { exact: true })).toHaveCount(0);

  // Approvals and the policy's own list are list items too, inside the policy's item.
  await overdue.getByRole('button', { name: 'Open Access control policy' }).click();
  await overdue.getByRole('button', { name: 'Send for review' }).click();
  await confirmStep(overdue, 'Approve');
  await expect(overdue.getByText(/^Approved by /)).toBeVisible();
  await expect(policyItems(page)).toHaveCount(2);

  await page.getByText('1 policy is due for review').getByRole('link', { name: 'Show only those' }).click();
  await expect(page).toHaveURL(/\/policies\?review=due$/);
  await expect(page.getByText('Showing the 1 policy due for review')).toBeVisible();
  await expect(policyItems(page)).toHaveCount(1);
  await expect(policyItems(page)).toHaveAttribute('aria-label', 'Access control policy');
  await waitUntilSaved(page);

  // The link as the dashboard gives it, opened afresh.
  await page.goto(`${workspaceUrl}/policies?review=due`);
  await expect(page.getByText('Showing the 1 policy due for review')).toBeVisible();
  await expect(policyItems(page)).toHaveCount(1);
  await expect(policyItem(page, 'Access control policy')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add policy' })).toHaveCount(0);
  await screenshot(page, 'policies-review-due');

  await page.getByRole('link', { name: 'Show all policies' }).click();
  await expect(page).toHaveURL(/\/policies$/);
  await expect(policyItems(page)).toHaveCount(2);
  await expect(page.getByRole('button', { name: 'Add policy' })).toBeVisible();
});

test('approving, publishing and retiring ask first, and a double click or a held Enter key takes one step only', async ({
  page,
}) => {
  await createWorkspace(page, 'Northwind Traders');
  await openPolicies(page);
  await addPolicy(page, 'Access control policy', 'Information security policy', 'Access is granted on need.');
  const item = policyItem(page, 'Access control policy');
  await item.getByRole('button', { name: 'Open Access control policy' }).click();
  await item.getByRole('button', { name: 'Send for review' }).click();
  await expect(item.getByText('In review', { exact: true })).toBeVisible();

  // A double click on Approve only asks; a double click on the answer approves once.
  await item.getByRole('button', { name: 'Approve', exact: true }).dblclick();
  const approve = item.getByRole('group', { name: 'Approve version 1 of “Access control policy”?' });
  await expect(approve).toBeVisible();
  await expect(approve.getByRole('button', { name: 'Approve version 1' })).toBeFocused();
  await expect(item.getByText('In review', { exact: true })).toBeVisible();
  // The information security policy is approved with what clause 5.2 a–d requires of it attested.
  await expect(approve.getByRole('checkbox')).toHaveCount(4);
  for (const box of await approve.getByRole('checkbox').all()) {
    await box.check();
  }
  await screenshot(page, 'policy-approve-question');
  await approve.getByRole('button', { name: 'Approve version 1' }).dblclick();
  await expect(item.getByText('Approved', { exact: true })).toBeVisible();
  await page.waitForTimeout(1_000);
  await expect(item.getByText('Approved', { exact: true })).toBeVisible();
  await expect(item.getByRole('group', { name: /^Publish/ })).toHaveCount(0);

  // Enter held down on Publish: the question opens, and the repeats do not answer it.
  await item.getByRole('button', { name: 'Publish', exact: true }).focus();
  for (let i = 0; i < 6; i += 1) {
    await page.keyboard.press('Enter');
  }
  const publish = item.getByRole('group', { name: 'Publish “Access control policy”?' });
  await expect(publish).toBeVisible();
  await expect(item.getByText('Approved', { exact: true })).toBeVisible();
  // Escape leaves it as it was; asked again and answered, it is published.
  await page.keyboard.press('Escape');
  await expect(publish).toBeHidden();
  await confirmStep(item, 'Publish');
  await expect(item.getByText('Published', { exact: true })).toBeVisible();
});
