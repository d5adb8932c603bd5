// Competence (7.2), awareness (7.3) and communication (7.4), and a policy's availability to
// interested parties (5.2 g) — issue 11, points 5 and 6 — driven as a person would.
import { expect, test, type Page } from '@playwright/test';
import { addPerson, addRole, createWorkspace, openSection, screenshot, waitUntilSaved } from './support';

/** The role × person view of the People and roles page. */
function gapTable(page: Page) {
  return page.getByRole('region', { name: 'Competence by role and person' });
}

test('a role states the competence it needs, records close the gap once verified, and survive a reload', async ({
  page,
}) => {
  await createWorkspace(page, 'Litware Competence');
  await openSection(page, 'People and roles', 'People and roles');
  await addPerson(page, 'Grace Hopper');
  await addPerson(page, 'Alan Turing');
  await addRole(page, 'CISO', 'Grace Hopper');

  // The role does not say what it needs yet: the view says so rather than calling it a gap.
  await expect(gapTable(page).getByRole('row', { name: /CISO Grace Hopper/ })).toContainText('Need not stated');
  const role = page.getByRole('list', { name: 'Roles' }).getByRole('listitem', { name: 'CISO', exact: true });
  await role.getByRole('button', { name: 'Edit CISO' }).click();
  const roleForm = page.getByRole('form', { name: 'Edit role' });
  await roleForm.getByLabel('Competence needed').fill('CISSP or CISM, and five years in security');
  await roleForm.getByRole('button', { name: 'Save role' }).click();
  await expect(role).toContainText('CISSP or CISM, and five years in security');
  await expect(gapTable(page).getByRole('row', { name: /CISO Grace Hopper/ })).toContainText('Gap');

  // Nothing is stored from an empty form; every field says what it needs.
  await page.getByRole('button', { name: 'Record competence' }).click();
  const form = page.getByRole('form', { name: 'New competence record' });
  await expect(form.getByLabel('What it is')).toBeFocused();
  await form.getByRole('button', { name: 'Save competence record' }).click();
  await expect(form.getByText('Say what it is, such as a qualification or the experience.')).toBeVisible();
  await expect(form.getByText('Choose whose competence this is.')).toBeVisible();
  await expect(form.getByText('Enter the date as YYYY-MM-DD.')).toBeVisible();
  await expect(form.getByLabel('What it is')).toBeFocused();

  await form.getByLabel('What it is').fill('CISSP');
  await form.getByLabel('Person').selectOption({ label: 'Grace Hopper' });
  await form.getByLabel('Kind').selectOption({ label: 'Certification' });
  await form.getByLabel('Evidence').fill('Certificate 604118, in the HR file');
  await form.getByLabel('Date').fill('2025-01-10');
  // She cannot verify her own evidence.
  await form.getByLabel('Verified by').selectOption({ label: 'Grace Hopper' });
  await form.getByRole('group', { name: 'Meets the competence needed for' }).getByRole('checkbox', { name: 'CISO' }).check();
  await form.getByRole('button', { name: 'Save competence record' }).click();
  await expect(form.getByText('Someone other than the person themselves verifies the evidence.')).toBeVisible();
  await form.getByLabel('Verified by').selectOption({ label: 'Alan Turing' });
  await form.getByRole('button', { name: 'Save competence record' }).click();
  await expect(form).toBeHidden();
  // The save is announced to screen readers in words, and the new record has the focus.
  await expect(page.getByRole('status', { name: 'Last change' })).toHaveText(
    'Recorded competence of Grace Hopper: CISSP.',
  );
  await expect(page.getByRole('heading', { level: 4, name: 'CISSP' })).toBeFocused();

  const records = page.getByRole('list', { name: 'Competence records' });
  const record = records.getByRole('listitem', { name: 'CISSP' });
  // Dates are shown as the browser's language writes them (en-GB in the journeys).
  await expect(record).toContainText('Grace Hopper · Certification · 10 Jan 2025');
  await expect(record).toContainText('Alan Turing');
  await expect(gapTable(page).getByRole('row', { name: /CISO Grace Hopper/ })).toContainText(
    'CISSP, verified by Alan Turing',
  );
  await expect(page.getByLabel('Competence summary')).toHaveText(
    '1 of 1 role holders have verified competence; 0 gaps, 0 not verified yet.',
  );
  await waitUntilSaved(page);
  await screenshot(page, 'competence');

  await page.reload();
  await expect(gapTable(page).getByRole('row', { name: /CISO Grace Hopper/ })).toContainText('Verified');

  // Archived, the record is kept as evidence and restorable; the gap comes back meanwhile.
  await records.getByRole('listitem', { name: 'CISSP' }).getByRole('button', { name: 'Archive CISSP' }).click();
  await expect(gapTable(page).getByRole('row', { name: /CISO Grace Hopper/ })).toContainText('Gap');
  await page.getByText('Archived competence records (1)').click();
  await page.getByRole('button', { name: 'Restore CISSP' }).click();
  await expect(gapTable(page).getByRole('row', { name: /CISO Grace Hopper/ })).toContainText('Verified');
});

test('a communication says what, when, to whom, how and by whom, and links what it is about', async ({ page }) => {
  await createWorkspace(page, 'Litware Communication');
  await openSection(page, 'People and roles', 'People and roles');
  await addPerson(page, 'Grace Hopper');
  await addRole(page, 'CISO', 'Grace Hopper');
  await openSection(page, 'Communication', 'Communication');
  await expect(page.getByText('No communications yet')).toBeVisible();

  await page.getByRole('button', { name: 'Record communication' }).click();
  const form = page.getByRole('form', { name: 'New communication' });
  await expect(form.getByLabel('Subject')).toBeFocused();
  await form.getByLabel('Date').fill('');
  await form.getByRole('button', { name: 'Save communication' }).click();
  await expect(form.getByText('Say what it is about.')).toBeVisible();
  await expect(form.getByText('Enter the date as YYYY-MM-DD.')).toBeVisible();
  await expect(form.getByText('Say who it is for, such as all staff or suppliers.')).toBeVisible();
  await expect(form.getByText('Choose who communicates it from People.')).toBeVisible();

  await form.getByLabel('Subject').fill('Who to call in an incident');
  await form.getByLabel('What is said').fill('Call the CISO first; the number is on the intranet.');
  await form.getByLabel('Date').fill('2099-03-01');
  await form.getByLabel('To whom').fill('All staff');
  await form.getByLabel('How').selectOption({ label: 'Intranet' });
  await form.getByLabel('Communicated by').selectOption({ label: 'Grace Hopper' });
  await form.getByRole('group', { name: 'About these roles' }).getByRole('checkbox', { name: 'CISO' }).check();
  await form.getByRole('button', { name: 'Save communication' }).click();
  await expect(form).toBeHidden();
  await expect(page.getByRole('status', { name: 'Last change' })).toHaveText(
    'Recorded communication “Who to call in an incident”.',
  );

  const item = page.getByRole('list', { name: 'Communications' }).getByRole('listitem', { name: 'Who to call in an incident' });
  await expect(item).toContainText('1 Mar 2099 · Intranet · to All staff');
  await expect(item).toContainText('Planned');
  await expect(item).toContainText('Grace Hopper');
  await expect(item.getByRole('link', { name: 'Role: CISO' })).toBeVisible();
  await waitUntilSaved(page);
  await screenshot(page, 'communication');
  await page.reload();
  await expect(item).toContainText('Call the CISO first');
});

test('in the sample, awareness counts courses and acknowledgements, and a policy says who may see it', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Open a sample workspace' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Alder & Finch Logistics (sample)' })).toBeVisible({
    timeout: 30_000,
  });
  const workspace = page.url().replace(/\/overview$/, '');

  await openSection(page, 'Training', 'Training and awareness');
  const programme = page.getByRole('list', { name: 'Programmes' }).getByRole('listitem', { name: 'Security awareness essentials' });
  await expect(programme).toContainText('Covers 7.3 a, 7.3 b, 7.3 c');
  await expect(programme).toContainText('A ten-question quiz at the end; pass mark 80%.');
  const awareness = page.getByRole('region', { name: 'Awareness by person' });
  await expect(awareness.getByRole('row', { name: /Claire Hoffmann/ })).toContainText(
    'Completed “Security awareness essentials”',
  );
  // The newest joiner has not been on the course, but has acknowledged the policy in force.
  const newest = awareness.getByRole('row').last();
  await expect(newest).toContainText('Acknowledged “Information security policy” version 1');
  await expect(newest).toContainText('No evidence');

  // A result without its date is explained beside the field.
  await programme.getByRole('button', { name: 'Edit Security awareness essentials' }).click();
  const edit = page.getByRole('form', { name: 'Edit programme' });
  await edit.getByLabel('Evaluated on').fill('');
  await edit.getByRole('button', { name: 'Save programme' }).click();
  await expect(edit.getByText('Enter when it was evaluated.')).toBeVisible();
  await edit.getByRole('button', { name: 'Cancel' }).click();

  await openSection(page, 'People and roles', 'People and roles');
  await expect(gapTable(page).getByRole('row', { name: /CISO Jonas Weber/ })).toContainText('Verified');
  await expect(gapTable(page).getByRole('row', { name: /Internal auditor/ })).toContainText('Not verified yet');
  await expect(gapTable(page).getByRole('row', { name: /Top management Martin Kessler/ })).toContainText('Gap');

  await openSection(page, 'Policies', 'Policies');
  const policy = page.getByRole('listitem', { name: 'Information security policy' });
  await policy.getByRole('button', { name: 'Open Information security policy' }).click();
  await expect(policy).toContainText('Available: Published on the website and sent to customers on request');
  await policy.getByRole('button', { name: 'Change availability' }).click();
  const availability = policy.getByRole('form', { name: 'Availability to interested parties' });
  await availability.getByRole('radio', { name: 'No, it is kept internal' }).check();
  await availability.getByLabel('Where, or why not').fill('');
  await availability.getByRole('button', { name: 'Save availability' }).click();
  await expect(availability.getByText('Say why it is kept internal.')).toBeVisible();
  await availability.getByLabel('Where, or why not').fill('Names our suppliers');
  await availability.getByRole('button', { name: 'Save availability' }).click();
  await expect(policy).toContainText('Kept internal: Names our suppliers');
  await expect(policy.getByRole('button', { name: 'Change availability' })).toBeFocused();

  // A link to the policy opens it directly.
  const anchor = await policy.getAttribute('id');
  expect(anchor).toMatch(/^record-/);
  await waitUntilSaved(page);
  await page.goto(`${workspace}/policies#${anchor}`);
  const linked = page.getByRole('listitem', { name: 'Information security policy' });
  await expect(linked.getByRole('button', { name: 'Close Information security policy' })).toBeVisible();
  await expect(linked.getByRole('heading', { level: 3, name: 'Information security policy' })).toBeFocused();
  // So does the same link opened afresh.
  await page.reload();
  await expect(linked.getByRole('button', { name: 'Close Information security policy' })).toBeVisible();
  await expect(linked.getByRole('heading', { level: 3, name: 'Information security policy' })).toBeFocused();

  await openSection(page, 'Communication', 'Communication');
  const list = page.getByRole('list', { name: 'Communications' });
  await expect(list.getByRole('listitem')).toHaveCount(4);
  await list
    .getByRole('listitem', { name: 'The new information security policy' })
    .getByRole('link', { name: 'Policy: Information security policy' })
    .click();
  await expect(page.getByRole('heading', { level: 2, name: 'Policies' })).toBeVisible();
  await expect(
    page.getByRole('listitem', { name: 'Information security policy' }).getByRole('button', {
      name: 'Close Information security policy',
    }),
  ).toBeVisible();
});
