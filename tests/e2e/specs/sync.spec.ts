// Two people co-edit one workspace through the local relay, live and offline; a third
// person with the read-only link can look but not change anything.
import { expect, test, type Page } from '@playwright/test';
import {
  FOUNDER,
  setDisplayName,
  addObjective,
  createWorkspace,
  fillObjective,
  join,
  objective,
  screenshot,
  share,
  waitUntilSaved,
} from './support';

async function editTarget(page: Page, title: string, target: string) {
  await page.getByRole('button', { name: `Edit ${title}`, exact: true }).click();
  const form = page.getByRole('form', { name: 'Edit objective' });
  await fillObjective(form, { target });
  await form.getByRole('button', { name: 'Save objective' }).click();
  await expect(form).toBeHidden();
}

test('two people co-edit live and offline; a read-only link cannot change anything', async ({
  page: ada,
  browser,
  baseURL,
}) => {
  await createWorkspace(ada, 'Tailspin Toys', 'Head office');
  await addObjective(ada, { title: 'Phishing click rate', target: '5', unit: '%' });
  await addObjective(ada, { title: 'Patch latency', target: '14', unit: 'days' });
  const links = await share(ada);

  const bob = await join(browser, baseURL, links.editor, 'Bob Builder');
  await expect(bob.page.getByRole('heading', { level: 1, name: 'Tailspin Toys' })).toBeVisible();
  await expect(objective(bob.page, 'Phishing click rate')).toContainText('5%');

  // Presence: each sees who is here, and which objective the other has open.
  await expect(ada.getByRole('list', { name: 'Here now' })).toContainText('Bob Builder');
  await expect(bob.page.getByRole('list', { name: 'Here now' })).toContainText(FOUNDER);
  await bob.page.getByRole('button', { name: 'Edit Patch latency', exact: true }).click();
  await expect(objective(ada, 'Patch latency')).toContainText('Bob Builder is editing this');
  await screenshot(ada, 'shared-workspace');
  await bob.page.getByRole('form', { name: 'Edit objective' }).getByRole('button', { name: 'Cancel' }).click();
  await expect(objective(ada, 'Patch latency')).not.toContainText('is editing this');

  // Live: each sees the other's edits, on the same objective and on different ones.
  await editTarget(ada, 'Phishing click rate', '3');
  await expect(objective(bob.page, 'Phishing click rate')).toContainText('3%');
  await addObjective(bob.page, { title: 'Backups restored', target: '12', unit: 'restores' });
  await expect(objective(ada, 'Backups restored')).toBeVisible();
  await bob.page.getByRole('button', { name: 'Edit Phishing click rate', exact: true }).click();
  const bobForm = bob.page.getByRole('form', { name: 'Edit objective' });
  await bobForm.getByLabel('Health', { exact: true }).selectOption({ label: 'At risk' });
  await bobForm.getByLabel('Reason for this assessment').fill('The supplier is late.');
  await bobForm.getByRole('button', { name: 'Save objective' }).click();
  await expect(objective(ada, 'Phishing click rate')).toContainText('At risk');
  await expect(objective(ada, 'Phishing click rate')).toContainText('3%');

  // Offline: both edit, then come back; both end with everything.
  await ada.context().setOffline(true);
  await bob.context.setOffline(true);
  await expect(ada.getByRole('status', { name: 'Sync state' })).toContainText('Offline');
  await expect(bob.page.getByRole('status', { name: 'Sync state' })).toContainText('Offline');
  await editTarget(ada, 'Patch latency', '7');
  await editTarget(bob.page, 'Backups restored', '24');
  await waitUntilSaved(ada);
  await waitUntilSaved(bob.page);
  await expect(objective(bob.page, 'Patch latency')).toContainText('14 days');
  await ada.context().setOffline(false);
  await bob.context.setOffline(false);
  for (const page of [ada, bob.page]) {
    await expect(objective(page, 'Patch latency')).toContainText('7 days');
    await expect(objective(page, 'Backups restored')).toContainText('24 restores');
    await expect(page.getByRole('status', { name: 'Sync state' })).toContainText('Up to date');
  }

  // Offline, both change the same field: nobody loses a value silently. Both see both values
  // with who wrote them, and one click keeps one, for everyone.
  await ada.context().setOffline(true);
  await bob.context.setOffline(true);
  await expect(ada.getByRole('status', { name: 'Sync state' })).toContainText('Offline');
  await expect(bob.page.getByRole('status', { name: 'Sync state' })).toContainText('Offline');
  await editTarget(ada, 'Phishing click rate', '2');
  await editTarget(bob.page, 'Phishing click rate', '4');
  await waitUntilSaved(ada);
  await waitUntilSaved(bob.page);
  await ada.context().setOffline(false);
  await bob.context.setOffline(false);
  for (const page of [ada, bob.page]) {
    const conflict = objective(page, 'Phishing click rate').getByRole('group', { name: 'Changed at the same time: target' });
    await expect(conflict).toContainText(/The target was changed at the same time by (Ada Lovelace and Bob Builder|Bob Builder and Ada Lovelace)\./);
    await expect(conflict.getByRole('button', { name: `Keep “2” (${FOUNDER})` })).toBeVisible();
    await expect(conflict.getByRole('button', { name: 'Keep “4” (Bob Builder)' })).toBeVisible();
  }
  await screenshot(ada, 'conflict');
  await objective(ada, 'Phishing click rate').getByRole('button', { name: 'Keep “4” (Bob Builder)' }).click();
  for (const page of [ada, bob.page]) {
    await expect(objective(page, 'Phishing click rate').getByRole('group', { name: /^Changed at the same time/ })).toHaveCount(0);
    await expect(objective(page, 'Phishing click rate')).toContainText('at least 4%');
  }

  // Read-only: everything visible, no way to change it.
  const carol = await join(browser, baseURL, links.reader, 'Carol Auditor');
  await expect(carol.page.getByRole('heading', { level: 1, name: 'Tailspin Toys' })).toBeVisible();
  await expect(objective(carol.page, 'Patch latency')).toContainText('7 days');
  await expect(carol.page.getByText('Read only', { exact: true })).toBeVisible();
  // The others see who can only read (a reader cannot sign presence), and Carol sees editors as such.
  await expect(ada.getByRole('list', { name: 'Here now' }).getByRole('listitem', { name: 'Carol Auditor (can read only)' })).toBeVisible();
  await expect(carol.page.getByRole('list', { name: 'Here now' }).getByRole('listitem', { name: 'Bob Builder', exact: true })).toBeVisible();
  await screenshot(ada, 'here-now-with-a-reader');
  await expect(carol.page.getByRole('button', { name: 'Add objective' })).toHaveCount(0);
  await expect(carol.page.getByRole('button', { name: /^Edit / })).toHaveCount(0);
  await expect(carol.page.getByRole('button', { name: /^Delete / })).toHaveCount(0);
  await expect(carol.page.getByRole('button', { name: 'Edit name and scope' })).toHaveCount(0);
  // A card with nothing to act on ends at its content: no empty ruled area where the buttons were.
  for (const title of ['Patch latency', 'Phishing click rate']) {
    const emptyParts = await objective(carol.page, title).evaluate(
      (card) =>
        [...card.querySelectorAll(':scope > *')].filter(
          (part) => part.getBoundingClientRect().height > 0 && !part.textContent?.trim(),
        ).length,
    );
    expect(emptyParts, `${title} has an empty part`).toBe(0);
  }
  await carol.page.getByRole('button', { name: 'Share', exact: true }).click();
  await expect(carol.page.getByRole('textbox', { name: 'Editor link' })).toHaveCount(0);
  await expect(carol.page.getByRole('textbox', { name: 'Read-only link' })).toBeVisible();

  // A reload resumes from the stored cursor and keeps everything.
  await bob.page.reload();
  await expect(objective(bob.page, 'Backups restored')).toContainText('24 restores');
  await expect(bob.page.getByRole('status', { name: 'Sync state' })).toContainText('Up to date');

  await carol.context.close();
  await bob.context.close();
});

test('a damaged share link is explained and changes nothing', async ({ page }) => {
  await page.goto('/join#k=not-a-key&relay=http%3A%2F%2F127.0.0.1%3A1');
  await expect(page.getByRole('alert')).toContainText('This link is damaged');
  await page.goto('/join#relay=http%3A%2F%2F127.0.0.1%3A1');
  await expect(page.getByRole('alert')).toContainText('This link is incomplete');
  await page.getByRole('link', { name: 'Go to your workspaces' }).click();
  await expect(page.getByText('No workspaces yet')).toBeVisible();
});

test('an unreachable relay leaves local work untouched', async ({ page }) => {
  await createWorkspace(page, 'Litware');
  await addObjective(page, { title: 'Encrypt laptops', target: '100', unit: '%' });
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const start = page.getByRole('form', { name: 'Start sharing' });
  await start.getByLabel('Relay address').fill('not an address');
  await start.getByRole('button', { name: 'Start sharing' }).click();
  await expect(start.getByText(/not valid/)).toBeVisible();
  // Port 9 (discard) on loopback: nothing listens there.
  await start.getByLabel('Relay address').fill('http://127.0.0.1:9');
  await start.getByRole('button', { name: 'Start sharing' }).click();
  await expect(page.getByRole('status', { name: 'Sync state' })).toContainText('Offline');
  await addObjective(page, { title: 'Review access rights', target: '4', unit: 'reviews' });
  await waitUntilSaved(page);
  await page.reload();
  await expect(objective(page, 'Encrypt laptops')).toBeVisible();
  await expect(objective(page, 'Review access rights')).toBeVisible();
});

test('a shared sample workspace syncs every section: a confirmed duty and an approved budget line reach the other overview live', async ({
  page: ada,
  browser,
  baseURL,
}) => {
  // Approvals name who gave them: Ada says who she is first.
  await setDisplayName(ada, FOUNDER);
  await ada.goto('/');
  await ada.getByRole('button', { name: 'Open a sample workspace' }).click();
  await expect(ada).toHaveURL(/\/overview$/, { timeout: 30_000 });
  await waitUntilSaved(ada);
  const overview = ada.url();
  const links = await share(ada);

  const bob = await join(browser, baseURL, links.editor, 'Bob Builder');
  const bobOverview = bob.page.url() + '/overview';
  await bob.page.goto(bobOverview);
  const duties = (page: Page) =>
    page.getByRole('region', { name: 'Leadership commitment' }).getByRole('link', { name: 'Leadership duties confirmed' });
  await expect(duties(bob.page)).toHaveText('5 of 8');
  await expect(
    bob.page.getByRole('region', { name: 'Needs attention' }).getByRole('link', { name: '1 budget line awaiting approval' }),
  ).toBeVisible();

  // Bob confirms duty e on the checklist; Ada's overview counts it without a reload.
  await ada.goto(overview);
  await bob.page.getByRole('navigation', { name: 'Workspace sections' }).getByRole('link', { name: 'Commitment' }).click();
  const duty = bob.page.getByRole('list', { name: 'Leadership duties' }).locator(':scope > li').nth(4);
  await duty.getByRole('button', { name: 'Confirm' }).click();
  await expect(duty).toContainText(/Confirmed by Bob Builder on \d{1,2} [A-Z][a-z]{2,3} \d{4}/);
  await expect(duties(ada)).toHaveText('6 of 8');

  // Ada approves the last budget line; Bob's overview no longer lists it as waiting.
  await ada.getByRole('navigation', { name: 'Workspace sections' }).getByRole('link', { name: 'Resources' }).click();
  const year = new Date().getFullYear();
  await ada.getByRole('button', { name: `Approve Testing ${year}` }).click();
  const approval = ada.getByRole('form', { name: 'Approve budget line' });
  await approval.getByRole('button', { name: 'Record approval' }).click();
  await expect(approval).toBeHidden();
  await bob.page.goto(bobOverview);
  await expect(bob.page.getByRole('region', { name: 'Needs attention' })).not.toContainText('awaiting approval');
  await expect(bob.page.getByRole('region', { name: 'Budget' }).getByRole('link', { name: /^Approved / })).toHaveText(
    '€110,500.00',
  );

  // A reader of the sample sees every section and finds nothing that changes it.
  const carol = await join(browser, baseURL, links.reader, 'Carol Auditor');
  await expect(carol.page.getByText('Read only', { exact: true })).toBeVisible();
  // "Close X…" closes an objective; "Close X" only folds a policy's text away.
  const changing = /^(Add|Edit|Delete|Approve|Confirm|Record|Link|Set|Withdraw|Remove|Change|Mark|Move|Send|Reopen|Follow)\b|^Close .*…$/;
  for (const section of ['Overview', 'Objectives', 'People and roles', 'Resources', 'Policies', 'Training', 'Commitment']) {
    await carol.page.getByRole('navigation', { name: 'Workspace sections' }).getByRole('link', { name: section }).click();
    await expect(carol.page.getByRole('heading', { level: 2 }).first()).toBeVisible();
    if (section === 'Policies') {
      await carol.page.getByRole('button', { name: 'Open Information security policy' }).click();
      await expect(carol.page.getByRole('region', { name: 'Text of Information security policy' })).toBeVisible();
    }
    if (section === 'Training') {
      await carol.page.getByRole('button', { name: /Sessions and people/ }).first().click();
      await expect(carol.page.getByText(/^Session on \d{1,2} [A-Z][a-z]{2,3} \d{4}/).first()).toBeVisible();
      await expect(carol.page.getByRole('checkbox', { disabled: false }), 'attendance cannot be changed').toHaveCount(0);
    }
    await expect(carol.page.getByRole('button', { name: changing }), section).toHaveCount(0);
    await expect(carol.page.getByRole('combobox'), section).toHaveCount(0);
  }
  await carol.context.close();
  await bob.context.close();
});
