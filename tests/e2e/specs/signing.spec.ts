// Who signed what (issue 9, point 7): each browser's key is recorded for a person and
// confirmed by top management after comparing fingerprints; a confirmation signed by a
// member of top management shows as verified, and a name typed on a profile proves nothing.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { addPerson, addRole, createWorkspace, join, openSection, screenshot, share, waitUntilSaved } from './support';

async function setName(page: Page, name: string) {
  await page.goto('/profile');
  await page.getByRole('textbox', { name: 'Display name' }).fill(name);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
}

async function openParticipants(page: Page) {
  await openSection(page, 'Participants', 'Participants');
}

function yourKey(page: Page): Locator {
  return page.getByRole('region', { name: 'Your signing key' });
}

async function recordKey(page: Page, person: string, device: string) {
  const form = yourKey(page).getByRole('form', { name: 'Record your key' });
  // Nothing chosen: a clear message and nothing recorded.
  await form.getByRole('button', { name: 'Record my key' }).click();
  await expect(form.getByText('Choose who you are.')).toBeVisible();
  await form.getByLabel('You are').selectOption({ label: person });
  await form.getByLabel('This device').fill(device);
  await form.getByRole('button', { name: 'Record my key' }).click();
  await expect(form).toBeHidden();
}

function duty(page: Page, letter: string): Locator {
  const index = 'abcdefgh'.indexOf(letter);
  return page.getByRole('list', { name: 'Leadership duties' }).locator(':scope > li').nth(index);
}

/** Writes why a duty is met without a linked record, and saves it. */
async function justify(item: Locator, letter: string, text: string) {
  const form = item.getByRole('form', { name: `Justify 5.1 ${letter}` });
  await form.getByLabel(/Why it is met without a linked record/).fill(text);
  await form.getByRole('button', { name: 'Save justification' }).click();
  await expect(form.getByLabel(/Why it is met without a linked record/)).toHaveValue(text);
}

test('a key confirmed by top management signs verifiably; an unconfirmed key or a borrowed name does not', async ({
  page: ada,
  browser,
  baseURL,
}) => {
  await setName(ada, 'Ada Lovelace');
  await createWorkspace(ada, 'Contoso Bank');
  await openSection(ada, 'People and roles', 'People and roles');
  await addPerson(ada, 'Ada Lovelace');
  await addPerson(ada, 'Bob Stone');
  await addRole(ada, 'Top management', 'Ada Lovelace');

  // Ada's browser created the workspace: its key is the founding key, confirmed at once.
  await openParticipants(ada);
  await expect(ada.getByRole('region', { name: 'Signing keys' }).getByText('No signing keys yet')).toBeVisible();
  const adaFingerprint = await yourKey(ada).getByLabel("Your key's fingerprint").innerText();
  expect(adaFingerprint).toMatch(/^([0-9A-F]{4} ){4}[0-9A-F]{4}$/);
  await recordKey(ada, 'Ada Lovelace', "Ada's laptop");
  await expect(yourKey(ada)).toContainText('Founding key, confirmed by itself');

  // Her confirmation of duty a is signed and verifies (a duty is confirmed on something: here, a justification).
  await openSection(ada, 'Commitment', 'Leadership commitment');
  await justify(duty(ada, 'a'), 'a', 'Policy and objectives adopted at the board meeting of 4 May.');
  await duty(ada, 'a').getByRole('button', { name: 'Confirm' }).click();
  await expect(duty(ada, 'a').getByText('Signature verified')).toBeVisible();
  await expect(duty(ada, 'a')).toContainText(`Signed by Ada Lovelace (Top management) with key ${adaFingerprint}`);

  // By keyboard alone, Ada approves the information security policy: the approval attests
  // clause 5.2 a–d, refuses until all four are ticked, and is signed.
  await openSection(ada, 'Policies', 'Policies');
  await ada.getByRole('button', { name: 'Add policy' }).click();
  const newPolicy = ada.getByRole('form', { name: 'New policy' });
  await newPolicy.getByLabel('Title').fill('Information security policy');
  await newPolicy.getByLabel('Policy text').fill('We protect the information our customers trust us with.');
  await newPolicy.getByRole('button', { name: 'Save policy' }).click();
  const policy = ada.getByRole('list', { name: 'Policies' }).locator(':scope > li').filter({ hasText: 'Information security policy' });
  await policy.getByRole('button', { name: 'Open Information security policy' }).click();
  await policy.getByRole('button', { name: 'Send for review' }).click();
  // Each step holds the buttons back for a moment (aria-disabled), so a held key takes one step only.
  const approveStep = policy.getByRole('button', { name: 'Approve', exact: true });
  await expect(approveStep).toHaveAttribute('aria-disabled', 'false');
  await approveStep.focus();
  await ada.keyboard.press('Enter');
  const question = policy.getByRole('group', { name: 'Approve version 1 of “Information security policy”?' });
  const approve = question.getByRole('button', { name: 'Approve version 1' });
  await expect(approve).toBeFocused();
  await expect(question.getByRole('checkbox')).toHaveCount(4);
  await expect(approve).toHaveAttribute('aria-disabled', 'false');
  await ada.keyboard.press('Enter');
  await expect(policy).toContainText('confirm 5.2 a, 5.2 b, 5.2 c, 5.2 d as well');
  await expect(question).toBeVisible();
  for (const box of await question.getByRole('checkbox').all()) {
    await box.focus();
    await ada.keyboard.press('Space');
    await expect(box).toBeChecked();
  }
  await approve.focus();
  await expect(approve).toHaveAttribute('aria-disabled', 'false');
  await ada.keyboard.press('Enter');
  await expect(question).toBeHidden();
  await expect(policy.getByText('Approved', { exact: true })).toBeVisible();
  await expect(policy.getByText('Attested clause 5.2 a, b, c, d')).toBeVisible();
  await expect(policy.getByText('Signature verified')).toBeVisible();
  await expect(policy).toContainText(`Signed by Ada Lovelace (Top management) with key ${adaFingerprint}`);

  // Bob joins with the editor link and records his key: it waits for top management.
  const links = await share(ada);
  const bob = await join(browser, baseURL, links.editor, 'Bob Stone');
  await openParticipants(bob.page);
  const bobFingerprint = await yourKey(bob.page).getByLabel("Your key's fingerprint").innerText();
  expect(bobFingerprint).not.toBe(adaFingerprint);
  await recordKey(bob.page, 'Bob Stone', "Bob's phone");
  await expect(yourKey(bob.page)).toContainText('waiting for a member of top management to confirm it');
  // Bob is not top management: he has nothing to confirm with.
  await expect(bob.page.getByRole('button', { name: /^Confirm the key of/ })).toHaveCount(0);

  // Bob "confirms" duty b under Ada's name: the typed name proves nothing.
  await setName(bob.page, 'Ada Lovelace');
  await bob.page.goBack();
  await openSection(bob.page, 'Commitment', 'Leadership commitment');
  await justify(duty(bob.page, 'b'), 'b', 'Processes updated.');
  await duty(bob.page, 'b').getByRole('button', { name: 'Confirm' }).click();
  await openSection(ada, 'Commitment', 'Leadership commitment');
  const forged = duty(ada, 'b');
  await expect(forged).toContainText(/Confirmed by Ada Lovelace on \d{1,2} [A-Z][a-z]{2,3} \d{4}/);
  await expect(forged.getByText('Not verified')).toBeVisible();
  await expect(forged).toContainText('no member of top management has confirmed');

  // Ada compares fingerprints with Bob and confirms his key.
  await openParticipants(ada);
  const keys = ada.getByRole('region', { name: 'Signing keys' });
  const bobRow = keys.getByRole('row', { name: /Bob Stone/ });
  await expect(bobRow).toContainText('Waiting for confirmation');
  await expect(bobRow).toContainText(bobFingerprint);
  await bobRow.getByRole('button', { name: "Confirm the key of Bob Stone (Bob's phone)" }).click();
  const dialog = keys.getByRole('group', { name: 'Confirm the key of Bob Stone?' });
  await expect(dialog.getByText(bobFingerprint)).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'It matches: confirm' })).toBeFocused();
  await screenshot(ada, 'participants-confirm-key');
  await dialog.getByRole('button', { name: 'It matches: confirm' }).click();
  await expect(dialog).toBeHidden();
  await expect(bobRow).toContainText(/Confirmed by Ada Lovelace on \d{1,2} [A-Z][a-z]{2,3} \d{4}/);
  await openParticipants(bob.page);
  await expect(yourKey(bob.page)).toContainText(/Confirmed by Ada Lovelace on/);

  // Bob's key now counts, yet he does not hold Top management: still not verified, now for that reason.
  await openSection(ada, 'Commitment', 'Leadership commitment');
  await expect(forged).toContainText('not recorded as holding the Top management role');
  // Ada's own confirmation still verifies on Bob's screen too.
  await openSection(bob.page, 'Commitment', 'Leadership commitment');
  await expect(duty(bob.page, 'a').getByText('Signature verified')).toBeVisible();
  await waitUntilSaved(ada);

  // Phone width: the key table scrolls inside its card, nothing spills out.
  await ada.setViewportSize({ width: 390, height: 844 });
  await openParticipants(ada);
  const overflow = await ada.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await screenshot(ada, 'participants-phone');
  await bob.context.close();
});
