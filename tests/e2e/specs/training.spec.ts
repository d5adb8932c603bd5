// Training and awareness (clauses 7.2 and 7.3): programmes, sessions with attendees, completion
// per programme, per person and overall, and evidence of competence, as an executive keeps them.
import { expect, test, type Locator, type Page } from '@playwright/test';
import {
  addPerson,
  addRole,
  createWorkspace,
  discardWithEscape,
  openSection,
  screenshot,
  shownDate,
  waitUntilSaved,
} from './support';

const ORGANISATION = 'Northwind Trading Ltd';

async function openTraining(page: Page) {
  await openSection(page, 'Training', 'Training and awareness');
}

function programmeItem(page: Page, topic: string): Locator {
  return page.getByRole('list', { name: 'Programmes' }).getByRole('listitem', { name: topic, exact: true });
}

/** Adds a programme; `roles` chooses holders of those roles as its audience instead of everyone. */
async function addProgramme(page: Page, topic: string, target: string, roles?: string[]) {
  await page.getByRole('button', { name: 'Add programme' }).click();
  const form = page.getByRole('form', { name: 'New programme' });
  await form.getByLabel('Topic').fill(topic);
  if (roles) {
    await form.getByRole('radio', { name: 'Holders of chosen roles' }).check();
    for (const role of roles) {
      await form.getByRole('group', { name: 'Roles' }).getByRole('checkbox', { name: role }).check();
    }
  }
  await form.getByLabel('Completion target (%)').fill(target);
  await expect(form.getByRole('checkbox', { name: 'Mandatory for its audience' })).toBeChecked();
  await form.getByRole('button', { name: 'Save programme' }).click();
  await expect(form).toBeHidden();
  await expect(programmeItem(page, topic)).toBeVisible();
}

/** Opens a programme's sessions and people, if they are not open yet. */
async function openProgramme(page: Page, topic: string) {
  const toggle = programmeItem(page, topic).getByRole('button', { name: 'Sessions and people' });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') {
    await toggle.click();
  }
}

function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

test('programmes, sessions, attendance and evidence give completion per programme, per person and overall, and survive a reload', async ({
  page,
}) => {
  await createWorkspace(page, ORGANISATION);
  await openSection(page, 'People and roles', 'People and roles');
  await addPerson(page, 'Grace Hopper');
  await addPerson(page, 'Alan Turing');
  await addPerson(page, 'Ada Lovelace');
  await addRole(page, 'Top management', 'Grace Hopper');

  await openTraining(page);
  await expect(page.getByText('No training programmes yet')).toBeVisible();
  await expect(page.getByLabel('Overall completion')).toHaveText('No one is due yet');

  await addProgramme(page, 'Security awareness', '80');
  await addProgramme(page, 'Board briefing on cyber risk', '100', ['Top management']);
  const awareness = programmeItem(page, 'Security awareness');
  const briefing = programmeItem(page, 'Board briefing on cyber risk');
  await expect(awareness.getByLabel('Completion of Security awareness')).toHaveText('0%');
  await expect(briefing.getByText('Holders of: Top management')).toBeVisible();
  await expect(page.getByLabel('Overall completion')).toHaveText('0%');

  // A session today that Grace and Alan attended: 2 of 3 for awareness, 2 of 4 due pairs overall.
  await openProgramme(page, 'Security awareness');
  await awareness.getByRole('button', { name: 'Record session' }).click();
  const sessionForm = awareness.getByRole('form', { name: 'New session' });
  await expect(sessionForm.getByLabel('Date', { exact: true })).toHaveValue(today());
  const attendees = sessionForm.getByRole('group', { name: 'Attendees' });
  await attendees.getByRole('checkbox', { name: 'Grace Hopper' }).check();
  await attendees.getByRole('checkbox', { name: 'Alan Turing' }).check();
  await sessionForm.getByRole('button', { name: 'Save session' }).click();
  await expect(sessionForm).toBeHidden();
  const session = awareness.getByRole('listitem', { name: `Session on ${await shownDate(page, today())}` });
  await expect(session.getByRole('checkbox', { name: 'Grace Hopper' })).toBeChecked();
  await expect(session.getByRole('checkbox', { name: 'Ada Lovelace' })).not.toBeChecked();
  await expect(awareness.getByLabel('Completion of Security awareness')).toHaveText('67%');
  await expect(awareness.getByText('Below target')).toBeVisible();
  await expect(page.getByLabel('Overall completion')).toHaveText('50%');

  // Attendance changed later: Ada was there too.
  await session.getByRole('checkbox', { name: 'Ada Lovelace' }).check();
  await expect(awareness.getByLabel('Completion of Security awareness')).toHaveText('100%');
  await expect(awareness.getByText('On target')).toBeVisible();
  await expect(page.getByLabel('Overall completion')).toHaveText('75%');

  // Evidence of competence is shown as text, never as markup.
  const evidenceText = '<b>Passed the phishing quiz</b> 9/10';
  await awareness.getByRole('button', { name: 'Add evidence for Alan Turing' }).click();
  const evidenceForm = awareness.getByRole('form', { name: 'Evidence of competence for Alan Turing' });
  await evidenceForm.getByLabel('Evidence of competence').fill(evidenceText);
  await evidenceForm.getByRole('button', { name: 'Save evidence' }).click();
  await expect(evidenceForm).toBeHidden();
  await expect(awareness.getByText(evidenceText, { exact: true })).toBeVisible();

  const byPerson = page.getByRole('table', { name: 'Completion by person' });
  const expectRows = async () => {
    await expect(byPerson.getByRole('row', { name: /^Grace Hopper/ }).getByRole('cell')).toHaveText([
      'Completed',
      'Not yet',
      '50%',
    ]);
    await expect(byPerson.getByRole('row', { name: /^Alan Turing/ }).getByRole('cell')).toHaveText([
      'Completed',
      /Not in its audience/,
      '100%',
    ]);
    await expect(byPerson.getByRole('row', { name: /^Ada Lovelace/ }).getByRole('cell')).toHaveText([
      'Completed',
      /Not in its audience/,
      '100%',
    ]);
  };
  await expectRows();
  await waitUntilSaved(page);
  await screenshot(page, 'training');

  await page.reload();
  await expect(page.getByRole('heading', { level: 2, name: 'Training and awareness' })).toBeVisible();
  await expect(page.getByLabel('Overall completion')).toHaveText('75%');
  await expect(awareness.getByLabel('Completion of Security awareness')).toHaveText('100%');
  await expect(briefing.getByLabel('Completion of Board briefing on cyber risk')).toHaveText('0%');
  await expectRows();
  await openProgramme(page, 'Security awareness');
  const reloaded = awareness.getByRole('listitem', { name: `Session on ${await shownDate(page, today())}` });
  for (const name of ['Grace Hopper', 'Alan Turing', 'Ada Lovelace']) {
    await expect(reloaded.getByRole('checkbox', { name })).toBeChecked();
  }
  await expect(awareness.getByText(evidenceText, { exact: true })).toBeVisible();

  // Editing keeps the sessions; deleting asks first and can be called off.
  await awareness.getByRole('button', { name: 'Edit Security awareness' }).click();
  const edit = page.getByRole('form', { name: 'Edit programme' });
  await edit.getByLabel('Topic').fill('Security awareness 2026');
  await edit.getByRole('button', { name: 'Save programme' }).click();
  const renamed = programmeItem(page, 'Security awareness 2026');
  await expect(renamed.getByLabel('Completion of Security awareness 2026')).toHaveText('100%');
  await briefing.getByRole('button', { name: 'Archive Board briefing on cyber risk' }).click();
  const confirm = briefing.getByRole('group', { name: 'Confirm archiving' });
  await confirm.getByRole('button', { name: 'Keep it' }).click();
  await expect(confirm).toBeHidden();
  await expect(briefing).toBeVisible();
  await briefing.getByRole('button', { name: 'Archive Board briefing on cyber risk' }).click();
  await briefing.getByRole('button', { name: 'Archive programme' }).click();
  await expect(briefing).toBeHidden();
  // Kept as a record, out of the figures; it can be restored.
  await page.getByText('Archived programmes (1)').click();
  await expect(page.getByRole('list', { name: 'Archived programmes' })).toContainText('Board briefing on cyber risk');
  await expect(page.getByLabel('Overall completion')).toHaveText('100%');
  await waitUntilSaved(page);
  await page.reload();
  await expect(programmeItem(page, 'Security awareness 2026')).toBeVisible();
  await expect(programmeItem(page, 'Board briefing on cyber risk')).toHaveCount(0);
  await expect(page.getByLabel('Overall completion')).toHaveText('100%');
});

test('bad input gets a message beside the field and nothing is stored', async ({ page }) => {
  await createWorkspace(page, ORGANISATION);
  await openTraining(page);

  await page.getByRole('button', { name: 'Add programme' }).click();
  const form = page.getByRole('form', { name: 'New programme' });
  await form.getByLabel('Completion target (%)').fill('120');
  await form.getByRole('button', { name: 'Save programme' }).click();
  await expect(form.getByText('Enter the topic.')).toBeVisible();
  await expect(form.getByText('Enter a percentage from 0 to 100.')).toBeVisible();
  await expect(form.getByLabel('Topic')).toBeFocused();

  await form.getByLabel('Topic').fill('Phishing drill');
  await form.getByLabel('Completion target (%)').fill('most of them');
  await form.getByRole('button', { name: 'Save programme' }).click();
  await expect(form.getByText('Enter a number, for example 95 or 2.5.')).toBeVisible();
  await expect(form.getByText('Enter the topic.')).toBeHidden();

  await form.getByLabel('Completion target (%)').fill('90');
  await form.getByRole('radio', { name: 'Holders of chosen roles' }).check();
  await form.getByRole('button', { name: 'Save programme' }).click();
  await expect(form.getByText('Choose at least one role, or choose everyone.')).toBeVisible();
  await discardWithEscape(form, form.getByLabel('Topic'));
  await expect(form).toBeHidden();
  await expect(page.getByText('No training programmes yet')).toBeVisible();

  await addProgramme(page, 'Security awareness', '90');
  await openProgramme(page, 'Security awareness');
  const item = programmeItem(page, 'Security awareness');
  await item.getByRole('button', { name: 'Record session' }).click();
  const session = item.getByRole('form', { name: 'New session' });
  await session.getByLabel('Date', { exact: true }).fill('2026-03-10');
  await session.getByLabel('End date').fill('2026-03-09');
  await session.getByRole('button', { name: 'Save session' }).click();
  await expect(session.getByText('The end cannot be before the start.')).toBeVisible();
  await expect(session.getByLabel('End date')).toBeFocused();

  await session.getByLabel('Date', { exact: true }).fill('10/03/2026');
  await session.getByLabel('End date').fill('');
  await session.getByRole('button', { name: 'Save session' }).click();
  await expect(session.getByText('Enter the date as YYYY-MM-DD.')).toBeVisible();
  await expect(session.getByText('The end cannot be before the start.')).toBeHidden();
  await session.getByRole('button', { name: 'Cancel' }).click();
  await expect(item.getByText('No sessions recorded yet.')).toBeVisible();

  await waitUntilSaved(page);
  await page.reload();
  await expect(page.getByRole('heading', { level: 2, name: 'Training and awareness' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Programmes' }).getByRole('listitem', { name: /./ })).toHaveCount(1);
  await expect(programmeItem(page, 'Phishing drill')).toHaveCount(0);
  await openProgramme(page, 'Security awareness');
  await expect(item.getByText('No sessions recorded yet.')).toBeVisible();
  await expect(item.getByText('Target', { exact: true })).toBeVisible();
  await expect(item.getByText('90%', { exact: true })).toBeVisible();
});
