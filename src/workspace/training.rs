//! Training and awareness (clauses 7.2, 7.3): programmes with their audience
//! and recurrence, sessions with attendees, completion figures and evidence
//! of competence.

use std::collections::{BTreeMap, BTreeSet};

use automerge::ROOT;
use automerge::transaction::Transactable;
use autosurgeon::{Hydrate, Reconcile, reconcile_prop};

use crate::workspace::model::Workspace;
use crate::workspace::validate::{
    Field, MAX_LONG, MAX_SHORT, ValidationErrors, check_length, parse_date, parse_number,
};
use crate::workspace::{CommandError, Millis, WorkspaceDoc};

/// Who a programme is for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Reconcile, Hydrate)]
pub enum Audience {
    /// Every person in the workspace.
    #[default]
    Everyone,
    /// The people holding any of these roles (role ids).
    Roles(Vec<String>),
}

/// A training or awareness programme.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Programme {
    /// What it teaches.
    #[autosurgeon(missing = "Default::default")]
    pub topic: String,
    /// Who must or may attend.
    #[autosurgeon(missing = "Default::default")]
    pub audience: Audience,
    /// After how many months attendance must be repeated; `None` for once.
    #[autosurgeon(missing = "Default::default")]
    pub recurrence_months: Option<u32>,
    /// Whether the audience must complete it.
    #[autosurgeon(missing = "Default::default")]
    pub mandatory: bool,
    /// The completion rate aimed for, in %.
    #[autosurgeon(missing = "Default::default")]
    pub completion_target: Option<f64>,
    /// Sessions by id.
    #[autosurgeon(missing = "Default::default")]
    pub sessions: BTreeMap<String, Session>,
    /// Person id → evidence of competence (text or link).
    #[autosurgeon(missing = "Default::default")]
    pub evidence: BTreeMap<String, String>,
    /// When it was added.
    #[autosurgeon(missing = "Default::default")]
    pub created_at: Millis,
    /// Set when the programme was archived: kept with its sessions as
    /// evidence, out of the current lists and completion figures.
    #[autosurgeon(missing = "Default::default")]
    pub archived: Option<crate::workspace::model::Archived>,
    /// Whether it makes people aware of the information security policy (7.3 a).
    #[autosurgeon(missing = "Default::default")]
    pub covers_policy: bool,
    /// Whether it makes people aware of their contribution to the ISMS (7.3 b).
    #[autosurgeon(missing = "Default::default")]
    pub covers_contribution: bool,
    /// Whether it makes people aware of what not conforming implies (7.3 c).
    #[autosurgeon(missing = "Default::default")]
    pub covers_consequences: bool,
    /// How its effectiveness is evaluated (7.2 c): a test, observation, a
    /// phishing simulation…
    #[autosurgeon(missing = "Default::default")]
    pub effectiveness_method: String,
    /// What the last evaluation found.
    #[autosurgeon(missing = "Default::default")]
    pub effectiveness_result: String,
    /// When it was last evaluated (YYYY-MM-DD).
    #[autosurgeon(missing = "Default::default")]
    pub effectiveness_checked: Option<String>,
}

impl Programme {
    /// Whether it is an awareness activity: it covers any point of 7.3.
    pub fn is_awareness(&self) -> bool {
        self.covers_policy || self.covers_contribution || self.covers_consequences
    }
}

/// One session of a programme.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Session {
    /// The day it took place (YYYY-MM-DD).
    #[autosurgeon(missing = "Default::default")]
    pub date: String,
    /// The last day, for sessions over several days (YYYY-MM-DD).
    #[autosurgeon(missing = "Default::default")]
    pub end: Option<String>,
    /// Person id → attended; a map so concurrent sign-ins merge.
    #[autosurgeon(missing = "Default::default")]
    pub attendees: BTreeMap<String, bool>,
}

/// A programme as typed into the form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProgrammeDraft {
    /// Topic as typed.
    pub topic: String,
    /// The chosen audience.
    pub audience: Audience,
    /// Recurrence in months as typed (empty for once).
    pub recurrence_months: String,
    /// Whether it is mandatory.
    pub mandatory: bool,
    /// Completion target in % as typed (empty for none).
    pub completion_target: String,
    /// Covers 7.3 a (the policy).
    pub covers_policy: bool,
    /// Covers 7.3 b (their contribution).
    pub covers_contribution: bool,
    /// Covers 7.3 c (consequences of not conforming).
    pub covers_consequences: bool,
    /// How effectiveness is evaluated, as typed.
    pub effectiveness_method: String,
    /// The evaluation's result, as typed.
    pub effectiveness_result: String,
    /// When it was evaluated, as typed (YYYY-MM-DD or empty).
    pub effectiveness_checked: String,
}

impl ProgrammeDraft {
    /// Checks every field; returns a programme without sessions or evidence.
    pub fn validate(&self) -> Result<Programme, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let topic = self.topic.trim();
        if topic.is_empty() {
            errors.push(Field::Topic, "Enter the topic.");
        } else {
            check_length(&mut errors, Field::Topic, topic, MAX_SHORT);
        }
        let recurrence = self.recurrence_months.trim();
        let recurrence_months = if recurrence.is_empty() {
            None
        } else {
            match recurrence.parse::<u32>() {
                Ok(months) if (1..=120).contains(&months) => Some(months),
                _ => {
                    errors.push(
                        Field::Recurrence,
                        "Enter a whole number of months from 1 to 120, or leave it empty.",
                    );
                    None
                }
            }
        };
        let completion_target = match parse_number(&self.completion_target) {
            Ok(Some(p)) if !(0.0..=100.0).contains(&p) => {
                errors.push(Field::CompletionTarget, "Enter a percentage from 0 to 100.");
                None
            }
            Ok(p) => p,
            Err(message) => {
                errors.push(Field::CompletionTarget, message);
                None
            }
        };
        let method = self.effectiveness_method.trim();
        check_length(&mut errors, Field::EffectivenessMethod, method, MAX_LONG);
        let result = self.effectiveness_result.trim();
        check_length(&mut errors, Field::EffectivenessResult, result, MAX_LONG);
        let checked = self.effectiveness_checked.trim();
        let effectiveness_checked = if checked.is_empty() {
            if !result.is_empty() {
                errors.push(Field::EffectivenessDate, "Enter when it was evaluated.");
            }
            None
        } else if parse_date(checked).is_none() {
            errors.push(Field::EffectivenessDate, "Enter the date as YYYY-MM-DD.");
            None
        } else {
            Some(checked.to_owned())
        };
        if !result.is_empty() && method.is_empty() {
            errors.push(
                Field::EffectivenessMethod,
                "Say how effectiveness was evaluated, so the result can be read.",
            );
        }
        errors.into_result(Programme {
            topic: topic.to_owned(),
            audience: self.audience.clone(),
            recurrence_months,
            mandatory: self.mandatory,
            completion_target,
            covers_policy: self.covers_policy,
            covers_contribution: self.covers_contribution,
            covers_consequences: self.covers_consequences,
            effectiveness_method: method.to_owned(),
            effectiveness_result: result.to_owned(),
            effectiveness_checked,
            ..Default::default()
        })
    }
}

/// A session as typed into the form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SessionDraft {
    /// First day as typed (YYYY-MM-DD).
    pub date: String,
    /// Last day as typed (YYYY-MM-DD or empty).
    pub end: String,
    /// The people who attended (person ids).
    pub attendees: Vec<String>,
}

impl SessionDraft {
    /// Checks every field and returns the clean session.
    pub fn validate(&self) -> Result<Session, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let date = self.date.trim();
        if parse_date(date).is_none() {
            errors.push(Field::SessionDate, "Enter the date as YYYY-MM-DD.");
        }
        let end = self.end.trim();
        let end = if end.is_empty() {
            None
        } else if parse_date(end).is_none() {
            errors.push(Field::SessionEnd, "Enter a real date as YYYY-MM-DD.");
            None
        } else if end < date {
            errors.push(Field::SessionEnd, "The end cannot be before the start.");
            None
        } else {
            Some(end.to_owned())
        };
        errors.into_result(Session {
            date: date.to_owned(),
            end,
            attendees: self.attendees.iter().map(|p| (p.clone(), true)).collect(),
        })
    }
}

/// The person ids a programme is for (people that exist and are not archived).
pub fn audience_members(ws: &Workspace, programme: &Programme) -> BTreeSet<String> {
    let current = |person: &String| ws.people.get(person).is_some_and(|p| p.archived.is_none());
    match &programme.audience {
        Audience::Everyone => ws.people.keys().filter(|p| current(p)).cloned().collect(),
        Audience::Roles(roles) => roles
            .iter()
            .filter_map(|role| ws.roles.get(role))
            .filter(|role| role.archived.is_none())
            .flat_map(|role| role.holders.keys())
            .filter(|person| current(person))
            .cloned()
            .collect(),
    }
}

/// The day `months` months before `date` (YYYY-MM-DD), the day clamped to
/// the month's length; `None` if `date` is not a real date.
pub fn months_before(date: &str, months: u32) -> Option<String> {
    let (year, month, day) = parse_date(date)?;
    let index = i64::from(year) * 12 + i64::from(month) - 1 - i64::from(months);
    let (year, month) = (index.div_euclid(12), index.rem_euclid(12) + 1);
    let mut day = day;
    while parse_date(&format!("{year:04}-{month:02}-{day:02}")).is_none() && day > 28 {
        day -= 1;
    }
    Some(format!("{year:04}-{month:02}-{day:02}"))
}

/// Whether `person_id` has completed the programme as of `today`: attended a
/// session on or before today and, for a recurring programme, within the
/// last recurrence period.
pub fn has_completed(programme: &Programme, person_id: &str, today: &str) -> bool {
    let since = programme
        .recurrence_months
        .and_then(|m| months_before(today, m));
    programme.sessions.values().any(|session| {
        session.attendees.get(person_id) == Some(&true)
            && session.date.as_str() <= today
            && since
                .as_deref()
                .is_none_or(|since| session.date.as_str() > since)
    })
}

/// `part` of `whole` in %, or `None` when there is no one to count.
pub fn percent(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

/// The share of a programme's audience that has completed it, in %; `None`
/// when the audience is empty.
pub fn programme_completion(ws: &Workspace, programme: &Programme, today: &str) -> Option<f64> {
    let members = audience_members(ws, programme);
    let done = members
        .iter()
        .filter(|p| has_completed(programme, p, today))
        .count();
    percent(done, members.len())
}

/// The share of the mandatory programmes a person is in the audience of that
/// they have completed, in %; `None` when none applies to them.
pub fn person_completion(ws: &Workspace, person_id: &str, today: &str) -> Option<f64> {
    let mut due = 0;
    let mut done = 0;
    for programme in ws
        .trainings
        .values()
        .filter(|p| p.mandatory && p.archived.is_none())
    {
        if audience_members(ws, programme).contains(person_id) {
            due += 1;
            if has_completed(programme, person_id, today) {
                done += 1;
            }
        }
    }
    percent(done, due)
}

/// Over all mandatory programmes, the share of (person, programme) pairs
/// completed, in %: the dashboard's training figure.
pub fn overall_completion(ws: &Workspace, today: &str) -> Option<f64> {
    let mut due = 0;
    let mut done = 0;
    for programme in ws
        .trainings
        .values()
        .filter(|p| p.mandatory && p.archived.is_none())
    {
        for person in audience_members(ws, programme) {
            due += 1;
            if has_completed(programme, &person, today) {
                done += 1;
            }
        }
    }
    percent(done, due)
}

const NOT_FOUND: CommandError = CommandError::NotFound("training programme");

/// Refuses an evaluation of effectiveness dated after today.
fn refuse_future_evaluation(programme: &Programme, now: Millis) -> Result<(), CommandError> {
    let today = crate::workspace::measurements::date_of(now);
    if programme
        .effectiveness_checked
        .as_deref()
        .is_some_and(|day| day > today.as_str())
    {
        let mut errors = ValidationErrors::default();
        errors.push(
            Field::EffectivenessDate,
            "The evaluation cannot be dated in the future.",
        );
        return Err(errors.into());
    }
    Ok(())
}

impl WorkspaceDoc {
    /// One training programme, if it exists.
    pub fn programme(&self, id: &str) -> Result<Option<Programme>, CommandError> {
        let Some(trainings) = self.existing_map(ROOT, "trainings") else {
            return Ok(None);
        };
        self.hydrate_entry(&trainings, id)
    }

    /// Adds a training programme and returns its id.
    pub fn add_programme(
        &mut self,
        draft: &ProgrammeDraft,
        now: Millis,
    ) -> Result<String, CommandError> {
        let programme = Programme {
            created_at: now,
            ..draft.validate()?
        };
        refuse_future_evaluation(&programme, now)?;
        let id = self.next_id(now);
        self.guard(|ws| {
            let trainings = ws.map(ROOT, "trainings")?;
            Ok(reconcile_prop(
                &mut ws.doc,
                &trainings,
                id.as_str(),
                &programme,
            )?)
        })?;
        self.commit(
            format!("Added training programme “{}”", programme.topic),
            now,
        )?;
        Ok(id)
    }

    /// Changes a programme's topic, audience, recurrence, mandatory flag and
    /// target; its sessions and evidence stay.
    pub fn edit_programme(
        &mut self,
        id: &str,
        draft: &ProgrammeDraft,
        now: Millis,
    ) -> Result<(), CommandError> {
        let fields = draft.validate()?;
        refuse_future_evaluation(&fields, now)?;
        let old = self.programme(id)?.ok_or(NOT_FOUND)?;
        let programme = Programme {
            sessions: old.sessions.clone(),
            evidence: old.evidence.clone(),
            created_at: old.created_at,
            archived: old.archived.clone(),
            ..fields
        };
        if programme == old {
            return Ok(());
        }
        self.guard(|ws| {
            let trainings = ws.map(ROOT, "trainings")?;
            Ok(reconcile_prop(&mut ws.doc, &trainings, id, &programme)?)
        })?;
        self.commit(format!("Changed training programme “{}”", old.topic), now)
    }

    /// Deletes a programme with its sessions and evidence.
    pub fn delete_programme(&mut self, id: &str, now: Millis) -> Result<Programme, CommandError> {
        let old = self.programme(id)?.ok_or(NOT_FOUND)?;
        self.guard(|ws| {
            let trainings = ws.map(ROOT, "trainings")?;
            Ok(ws.doc.delete(&trainings, id)?)
        })?;
        self.commit(format!("Deleted training programme “{}”", old.topic), now)?;
        Ok(old)
    }

    /// Archives a programme: kept with its sessions and attendance as
    /// evidence, out of the current lists and completion figures.
    pub fn archive_programme(&mut self, id: &str, now: Millis) -> Result<(), CommandError> {
        let old = self.programme(id)?.ok_or(NOT_FOUND)?;
        if old.archived.is_some() {
            return Ok(());
        }
        self.mark_archived("trainings", id, true, now)?;
        self.commit(format!("Archived training programme “{}”", old.topic), now)
    }

    /// Brings an archived programme back into the current lists.
    pub fn restore_programme(&mut self, id: &str, now: Millis) -> Result<(), CommandError> {
        let old = self.programme(id)?.ok_or(NOT_FOUND)?;
        if old.archived.is_none() {
            return Ok(());
        }
        self.mark_archived("trainings", id, false, now)?;
        self.commit(format!("Restored training programme “{}”", old.topic), now)
    }

    /// Records a session of a programme and returns its id.
    pub fn add_session(
        &mut self,
        programme_id: &str,
        draft: &SessionDraft,
        now: Millis,
    ) -> Result<String, CommandError> {
        let session = draft.validate()?;
        let programme = self.programme(programme_id)?.ok_or(NOT_FOUND)?;
        let id = self.next_id(now);
        self.guard(|ws| {
            let obj = ws.programme_obj(programme_id)?;
            let sessions = ws.map(obj, "sessions")?;
            Ok(reconcile_prop(
                &mut ws.doc,
                &sessions,
                id.as_str(),
                &session,
            )?)
        })?;
        self.commit(
            format!(
                "Recorded a session of “{}” on {} ({} attended)",
                programme.topic,
                session.date,
                session.attendees.len()
            ),
            now,
        )?;
        Ok(id)
    }

    /// Marks `person_id` as having attended a session, or not.
    pub fn set_attendance(
        &mut self,
        programme_id: &str,
        session_id: &str,
        person_id: &str,
        attended: bool,
        now: Millis,
    ) -> Result<(), CommandError> {
        let programme = self.programme(programme_id)?.ok_or(NOT_FOUND)?;
        let session = programme
            .sessions
            .get(session_id)
            .ok_or(CommandError::NotFound("training session"))?;
        let person = self
            .person(person_id)?
            .ok_or(CommandError::NotFound("person"))?;
        if session.attendees.get(person_id) == Some(&attended) {
            return Ok(());
        }
        self.guard(|ws| {
            let obj = ws.programme_obj(programme_id)?;
            let sessions = ws.map(obj, "sessions")?;
            let session = ws.map(sessions, session_id)?;
            let attendees = ws.map(session, "attendees")?;
            Ok(reconcile_prop(
                &mut ws.doc,
                &attendees,
                person_id,
                attended,
            )?)
        })?;
        let verb = if attended {
            "attended"
        } else {
            "did not attend"
        };
        self.commit(
            format!(
                "{} {verb} the session of “{}” on {}",
                person.name, programme.topic, session.date
            ),
            now,
        )
    }

    /// Records (or with empty text removes) a person's evidence of
    /// competence for a programme.
    pub fn set_competence_evidence(
        &mut self,
        programme_id: &str,
        person_id: &str,
        evidence: &str,
        now: Millis,
    ) -> Result<(), CommandError> {
        let evidence = evidence.trim();
        let mut errors = ValidationErrors::default();
        check_length(&mut errors, Field::Evidence, evidence, MAX_LONG);
        errors.into_result(())?;
        let programme = self.programme(programme_id)?.ok_or(NOT_FOUND)?;
        let person = self
            .person(person_id)?
            .ok_or(CommandError::NotFound("person"))?;
        if programme.evidence.get(person_id).map(String::as_str) == Some(evidence)
            || (evidence.is_empty() && !programme.evidence.contains_key(person_id))
        {
            return Ok(());
        }
        self.guard(|ws| {
            let obj = ws.programme_obj(programme_id)?;
            let map = ws.map(obj, "evidence")?;
            if evidence.is_empty() {
                Ok(ws.doc.delete(&map, person_id)?)
            } else {
                Ok(reconcile_prop(&mut ws.doc, &map, person_id, evidence)?)
            }
        })?;
        self.commit(
            format!(
                "Recorded evidence of competence of {} for “{}”",
                person.name, programme.topic
            ),
            now,
        )
    }

    fn programme_obj(&self, id: &str) -> Result<automerge::ObjId, CommandError> {
        self.existing_map(ROOT, "trainings")
            .and_then(|t| self.existing_map(t, id))
            .ok_or(NOT_FOUND)
    }
}
