// Policies (clause 5.2): write, review and approve a policy, then find the approved text after later edits.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { createWorkspace, screenshot, waitUntilSaved } from './support';

const ORGANISATION = 'Northwind Trading Ltd';
const POLICY = 'Information security policy';
const OLD_SENTENCE = 'Northwind protects the information entrusted to it by customers.';
const NEW_SENTENCE = 'Northwind protects all information entrusted to it by customers and partners.';
const SECOND_PARAGRAPH = 'Every employee reports security incidents to the security officer at once.';

async function openPolicies(page: Page) {
  await page
    .getByRole('navigation', { name: 'Workspace sections' })
    .getByRole('link', { name: 'Policies' })
    .click();
  await expect(page.getByRole('heading', { level: 2, name: 'Policies' })).toBeVisible();
}

function policyList(page: Page): Locator {
  return page.getByRole('list', { name: 'Policies', exact: true });
}

function policyItem(page: Page, title: string): Locator {
  return policyList(page).getByRole('listitem', { name: title, exact: true });
}

async function addPolicy(page: Page, title: string, kind: string, text: string) {
  await page.getByRole('button', { name: 'Add policy' }).click();
  const form = page.getByRole('form', { name: 'New policy' });
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('Kind').selectOption({ label: kind });
  await form.getByLabel('Owner').fill('Grace Hopper');
  await form.getByLabel('Review due').fill('2030-01-31');
  await form.getByLabel('Policy text').fill(text);
  await form.getByRole('button', { name: 'Save policy' }).click();
  await expect(form).toBeHidden();
  await expect(policyItem(page, title)).toBeVisible();
}

test('an approved policy keeps its approved text after later edits and a reload', async ({ page }) => {
  page.on('dialog', (dialog) => {
    throw new Error(`Unexpected dialog: ${dialog.message()}`);
  });
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
  await form.getByLabel('Title').press('Escape');
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
  await item.getByRole('button', { name: 'Approve' }).click();
  await expect(item.getByText('Approved', { exact: true })).toBeVisible();
  await expect(item.getByText(/^Approved by .+ on \d{4}-\d{2}-\d{2}$/)).toBeVisible();

  // Editing the text of an approved policy sends it back to draft (the core's decision).
  await item.getByRole('button', { name: 'Edit text' }).click();
  const editForm = item.getByRole('form', { name: 'Edit text' });
  await editForm.getByLabel('Policy text').fill(`${NEW_SENTENCE}\n\n${SECOND_PARAGRAPH}`);
  await editForm.getByRole('button', { name: 'Save text' }).click();
  await expect(editForm).toBeHidden();
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
  await expect(item.getByText('Review overdue')).toBeVisible();

  await item.getByRole('button', { name: 'Open Backup policy' }).click();
  await item.getByRole('button', { name: 'Send for review' }).click();
  await item.getByRole('button', { name: 'Approve' }).click();
  await item.getByRole('button', { name: 'Publish' }).click();
  await expect(item.getByText('Published', { exact: true })).toBeVisible();
  const markAsRead = item.getByRole('form', { name: 'Mark as read' });
  await markAsRead.getByLabel('Person').selectOption({ label: 'Ada Lovelace' });
  await markAsRead.getByRole('button', { name: 'Record acknowledgement' }).click();
  await expect(item.getByText('Read by Ada Lovelace')).toBeVisible();
  await waitUntilSaved(page);
});
