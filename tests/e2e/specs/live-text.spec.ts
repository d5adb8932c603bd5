// The live text editor: two people type into the same policy at once through the local
// relay, a third sees both carets with names, one types offline and merges on return,
// an IME composition arrives once, undo takes back only one's own typing, and a tab closed
// mid-typing loses nothing.
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { confirmStep, createWorkspace, openPolicies, sameLocale, screenshot, waitUntilSaved } from './support';

const POLICY = 'Access control policy';
const FIRST = 'Access is granted on a need-to-know basis.';
const SECOND = 'Access rights are reviewed every quarter.';

async function setName(page: Page, name: string) {
  await page.goto('/profile');
  await page.getByLabel('Display name').fill(name);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
}


function policyItem(page: Page): Locator {
  return page.getByRole('list', { name: 'Policies', exact: true }).getByRole('listitem', { name: POLICY, exact: true });
}

/** Opens the policy and its live editor; resolves on the text field. */
async function openEditor(page: Page): Promise<Locator> {
  await openPolicies(page);
  const item = policyItem(page);
  await item.getByRole('button', { name: `Open ${POLICY}` }).click();
  await item.getByRole('button', { name: 'Edit text' }).click();
  const field = item.getByRole('group', { name: 'Edit text' }).getByLabel('Policy text');
  await expect(field).toBeVisible();
  return field;
}

async function share(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  await page.getByRole('form', { name: 'Start sharing' }).getByRole('button', { name: 'Start sharing' }).click();
  const link = await page.getByRole('textbox', { name: 'Editor link' }).inputValue();
  await expect(page.getByRole('status', { name: 'Sync state' })).toContainText('Up to date');
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  return link;
}

async function join(browser: Browser, baseURL: string | undefined, link: string, name: string) {
  const context = await browser.newContext({ baseURL, ...sameLocale() });
  const page = await context.newPage();
  await page.goto(link);
  await page.getByRole('textbox', { name: 'Your name' }).fill(name);
  await page.getByRole('button', { name: 'Join workspace' }).click();
  await expect(page).toHaveURL(/\/w\/[^/?#]+$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Hamburg Port Logistics' })).toBeVisible();
  return { context, page };
}

/** Puts the caret just after `anchor` in the field, with the keyboard, as a person would. */
async function caretAfter(field: Locator, anchor: string) {
  await field.focus();
  const value = await field.inputValue();
  const at = value.indexOf(anchor) + anchor.length;
  expect(at).toBeGreaterThanOrEqual(anchor.length);
  await field.press('Control+Home');
  for (let i = 0; i < at; i += 1) {
    await field.press('ArrowRight');
  }
}

/** The caret (selection start, UTF-16) and the text after it, to check where it stayed. */
async function caretContext(field: Locator): Promise<string> {
  return field.evaluate((el: HTMLTextAreaElement) => el.value.slice(el.selectionStart, el.selectionStart + 12));
}

test('two people type into one policy at once; a third sees both carets; offline typing merges', async ({
  page: ada,
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  await setName(ada, 'Ada Lovelace');
  await createWorkspace(ada, 'Hamburg Port Logistics');
  await openPolicies(ada);
  await ada.getByRole('button', { name: 'Add policy' }).click();
  const form = ada.getByRole('form', { name: 'New policy' });
  await form.getByLabel('Title').fill(POLICY);
  await form.getByLabel('Policy text').fill(`${FIRST}\n\n${SECOND}`);
  await form.getByRole('button', { name: 'Save policy' }).click();
  await expect(form).toBeHidden();
  const link = await share(ada);

  const bob = await join(browser, baseURL, link, 'Bob Builder');
  const adaField = await openEditor(ada);
  const bobField = await openEditor(bob.page);
  await expect(bobField).toHaveValue(`${FIRST}\n\n${SECOND}`);

  // Both type at the same time: Ada at the end of the first sentence, Bob in the second.
  await caretAfter(adaField, 'need-to-know basis');
  await caretAfter(bobField, 'reviewed');
  const adaWords = ' for each role';
  const bobWords = ' by their owners';
  await Promise.all([
    adaField.pressSequentially(adaWords, { delay: 40 }),
    bobField.pressSequentially(bobWords, { delay: 40 }),
  ]);
  const merged = `Access is granted on a need-to-know basis for each role.\n\nAccess rights are reviewed by their owners every quarter.`;
  await expect(adaField).toHaveValue(merged);
  await expect(bobField).toHaveValue(merged);
  // Each caret stayed where its owner left it, though the other's text arrived meanwhile.
  expect(await caretContext(adaField)).toBe('.\n\nAccess ri');
  expect(await caretContext(bobField)).toBe(' every quart');

  // A third person sees both carets, with names.
  const carol = await join(browser, baseURL, link, 'Carol Danvers');
  const carolField = await openEditor(carol.page);
  const carolItem = policyItem(carol.page);
  await expect(carolItem.getByText('Ada Lovelace and Bob Builder are also writing here.')).toBeVisible();
  await expect(carolItem.locator('.caret-name')).toHaveText(['Ada Lovelace', 'Bob Builder']);
  // Carol's caret shows once she is in the text.
  await caretAfter(carolField, 'Access is');
  await expect(policyItem(ada).locator('.caret-name')).toHaveText(['Carol Danvers', 'Bob Builder']); // in the order of the text
  await screenshot(carol.page, 'live-text-carets');

  // Ada undoes: her words go, Bob's stay, for everyone.
  await adaField.press('Control+z');
  const undone = `${FIRST}\n\nAccess rights are reviewed by their owners every quarter.`;
  await expect(adaField).toHaveValue(undone);
  await expect(bobField).toHaveValue(undone);
  await adaField.press('Control+Shift+z');
  await expect(bobField).toHaveValue(merged);

  // Bob goes offline, writes a paragraph, and it merges when he is back.
  await bob.context.setOffline(true);
  await expect(bob.page.getByRole('status', { name: 'Sync state' })).toContainText('Offline');
  await bobField.press('Control+End');
  const paragraph = '\n\nExceptions need the approval of the security officer.';
  await bobField.pressSequentially(paragraph, { delay: 5 });
  await caretAfter(adaField, 'Access is granted');
  await adaField.pressSequentially(' only', { delay: 20 });
  await bob.context.setOffline(false);
  const both = `Access is granted only on a need-to-know basis for each role.\n\nAccess rights are reviewed by their owners every quarter.${paragraph}`;
  await expect(adaField).toHaveValue(both, { timeout: 20_000 });
  await expect(bobField).toHaveValue(both);
  await expect(carol.page.getByRole('list', { name: 'Policies', exact: true })).toBeVisible();
  await expect(policyItem(carol.page).getByLabel('Policy text')).toHaveValue(both);

  // Done closes the editor; the text reads as Markdown paragraphs for everyone.
  await policyItem(bob.page).getByRole('button', { name: 'Done' }).click();
  await expect(policyItem(bob.page).getByRole('region', { name: `Text of ${POLICY}` }).getByRole('paragraph')).toHaveCount(3);

  await carol.context.close();
  await bob.context.close();
});

test('an IME composition arrives once, and a tab closed mid-typing loses nothing', async ({ page, context }) => {
  await createWorkspace(page, 'Hamburg Port Logistics');
  await openPolicies(page);
  await page.getByRole('button', { name: 'Add policy' }).click();
  const form = page.getByRole('form', { name: 'New policy' });
  await form.getByLabel('Title').fill(POLICY);
  await form.getByLabel('Policy text').fill('Name: ');
  await form.getByRole('button', { name: 'Save policy' }).click();
  await expect(form).toBeHidden();

  // A second tab of the same browser shows every change as it happens.
  const other = await context.newPage();
  await other.goto(page.url());
  const otherField = await openEditor(other);
  const field = await openEditor(page);
  await field.press('Control+End');

  // Compose 漢字 as an input method does: the draft changes, then it is committed.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Input.imeSetComposition', { text: 'k', selectionStart: 1, selectionEnd: 1 });
  await cdp.send('Input.imeSetComposition', { text: 'かん', selectionStart: 2, selectionEnd: 2 });
  await cdp.send('Input.imeSetComposition', { text: '漢字', selectionStart: 2, selectionEnd: 2 });
  await cdp.send('Input.insertText', { text: '漢字' });
  await expect(field).toHaveValue('Name: 漢字');
  await expect(otherField).toHaveValue('Name: 漢字');
  // One change, not one per draft: the history has a single edit for the composition.
  await field.pressSequentially('!', { delay: 10 });
  await expect(otherField).toHaveValue('Name: 漢字!');
  // Undo takes back the "!", then the whole composition in one step: it was one splice.
  await field.press('Control+z');
  await expect(otherField).toHaveValue('Name: 漢字');
  await field.press('Control+z');
  await expect(otherField).toHaveValue('Name: ');

  // A paste arrives as one insertion, a cut as one deletion.
  await field.press('Control+End');
  await page.keyboard.insertText(' (pasted)');
  await expect(otherField).toHaveValue('Name:  (pasted)');
  for (let i = 0; i < ' (pasted)'.length; i += 1) {
    await field.press('Shift+ArrowLeft');
  }
  await field.press('Control+x');
  await expect(otherField).toHaveValue('Name: ');

  // Retired in another tab: the field turns read-only and says why; back to draft, it is open again.
  await confirmStep(policyItem(other), 'Retire');
  await expect(field).toHaveJSProperty('readOnly', true);
  await expect(policyItem(page).getByText('This policy is retired; move it back to draft to edit its text.')).toBeVisible();
  await policyItem(other).getByRole('button', { name: 'Back to draft' }).click();
  await expect(field).toHaveJSProperty('readOnly', false);

  // Type and close the tab at once: the text is there when the workspace opens again.
  await field.pressSequentially(' Grace', { delay: 10 });
  const url = page.url();
  await page.close();
  await other.close();
  const again = await context.newPage();
  await again.goto(url);
  const reopened = await openEditor(again);
  await expect(reopened).toHaveValue('Name:  Grace');
  await waitUntilSaved(again);
});
