//! Nonconformity and corrective action (clause 10.2) and continual
//! improvement (10.1).
//!
//! A nonconformity records what happened, the correction and its
//! consequences, the root cause, whether similar nonconformities exist or
//! could occur, and the corrective action (owner, due day); it closes only
//! once the action was checked for effectiveness and found effective. It
//! comes from an audit finding, an incident, a review decision, or
//! anywhere. Counts and their trend feed input d(1) of the management
//! review; the improvement log feeds input (g).

use automerge::ROOT;
use autosurgeon::{Hydrate, Reconcile, reconcile_prop};

use crate::workspace::model::Workspace;
use crate::workspace::validate::{
    Field, MAX_LONG, MAX_TITLE, ValidationErrors, check_length, parse_date,
};
use crate::workspace::{CommandError, Millis, WorkspaceDoc};

/// Where a nonconformity or an improvement comes from, as its `source`
/// field says: the record it links to, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source<'a> {
    /// No record: anyone, anywhere.
    None,
    /// A finding of an audit ("finding:<audit>/<finding>").
    Finding {
        /// The audit's id.
        audit: &'a str,
        /// The finding's id.
        finding: &'a str,
    },
    /// A management review's decision ("decision:<review>/<decision>").
    Decision {
        /// The review's id.
        review: &'a str,
        /// The decision's id.
        decision: &'a str,
    },
    /// A management review as a whole ("review:<review>").
    Review(&'a str),
    /// An incident, by the reference and words the incident log uses
    /// ("incident:<reference>").
    Incident(&'a str),
    /// Words only, from an older record.
    Text(&'a str),
}

impl<'a> Source<'a> {
    /// Reads a `source` field.
    pub fn parse(source: &'a str) -> Self {
        let source = source.trim();
        let pair = |rest: &'a str| rest.split_once('/');
        if source.is_empty() {
            Source::None
        } else if let Some((audit, finding)) = source.strip_prefix("finding:").and_then(pair) {
            Source::Finding { audit, finding }
        } else if let Some((review, decision)) = source.strip_prefix("decision:").and_then(pair) {
            Source::Decision { review, decision }
        } else if let Some(review) = source.strip_prefix("review:") {
            Source::Review(review)
        } else if source == "incident" {
            Source::Incident("")
        } else if let Some(reference) = source.strip_prefix("incident:") {
            Source::Incident(reference.trim())
        } else {
            Source::Text(source)
        }
    }

    /// The field's value for this source.
    pub fn field(self) -> String {
        match self {
            Source::None => String::new(),
            Source::Finding { audit, finding } => format!("finding:{audit}/{finding}"),
            Source::Decision { review, decision } => format!("decision:{review}/{decision}"),
            Source::Review(review) => format!("review:{review}"),
            Source::Incident(reference) => format!("incident:{}", reference.trim()),
            Source::Text(text) => text.trim().to_owned(),
        }
    }

    /// Why the record it links to cannot be believed in `ws` (which needs
    /// the audit or the review it names), if it cannot.
    pub fn problem(self, ws: &Workspace) -> Option<&'static str> {
        match self {
            Source::Finding { audit, finding } => (!ws
                .audits
                .get(audit)
                .is_some_and(|a| a.findings.contains_key(finding)))
            .then_some("The audit finding it comes from no longer exists."),
            Source::Decision { review, decision } => (!ws
                .reviews
                .get(review)
                .is_some_and(|r| r.decisions.contains_key(decision)))
            .then_some("The review decision it comes from no longer exists."),
            Source::Review(review) => (!ws.reviews.contains_key(review))
                .then_some("The management review it comes from no longer exists."),
            Source::Incident("") => {
                Some("Name the incident: its reference in the incident log, or what and when.")
            }
            Source::Incident(reference) if reference.chars().count() > MAX_TITLE => {
                Some("Shorten the incident's reference.")
            }
            Source::Text(text) if text.chars().count() > MAX_TITLE => {
                Some("Shorten where it comes from.")
            }
            _ => None,
        }
    }

    /// Reads what the source names (its audit or its review) into `ws`,
    /// for [`Source::problem`] and the validation that needs it.
    fn load(self, doc: &WorkspaceDoc, ws: &mut Workspace) -> Result<(), CommandError> {
        match self {
            Source::Finding { audit, .. } => {
                if let Some(record) = doc.audit(audit)? {
                    ws.audits.insert(audit.to_owned(), record);
                }
            }
            Source::Decision { review, .. } | Source::Review(review) => {
                if let Some(record) = doc.review(review)? {
                    ws.reviews.insert(review.to_owned(), record);
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// The nonconformity raised from `source` (a finding or a decision, as
/// [`Source::field`] writes it), if there is one: the first recorded, should
/// two people have raised it at once.
pub fn nonconformity_from<'a>(ws: &'a Workspace, source: &str) -> Option<&'a String> {
    ws.nonconformities
        .iter()
        .filter(|(_, nc)| nc.source == source)
        .min_by(|(a_id, a), (b_id, b)| a.created_at.cmp(&b.created_at).then(a_id.cmp(b_id)))
        .map(|(id, _)| id)
}

/// The improvement logged from `source`, if there is one (the first
/// recorded).
pub fn improvement_from<'a>(ws: &'a Workspace, source: &str) -> Option<&'a String> {
    ws.improvements
        .iter()
        .filter(|(_, i)| i.source == source)
        .min_by(|(a_id, a), (b_id, b)| a.created_at.cmp(&b.created_at).then(a_id.cmp(b_id)))
        .map(|(id, _)| id)
}

/// The corrective action of a nonconformity (10.2 c).
#[derive(Debug, Clone, Default, PartialEq, Eq, Reconcile, Hydrate)]
pub struct CorrectiveAction {
    /// What is done to remove the cause.
    #[autosurgeon(missing = "Default::default")]
    pub text: String,
    /// Who does it (a People record id).
    #[autosurgeon(missing = "Default::default")]
    pub owner: String,
    /// By when (YYYY-MM-DD).
    #[autosurgeon(missing = "Default::default")]
    pub due: String,
}

/// The review of the corrective action's effectiveness (10.2 d).
#[derive(Debug, Clone, Default, PartialEq, Eq, Reconcile, Hydrate)]
pub struct EffectivenessCheck {
    /// The day (YYYY-MM-DD).
    #[autosurgeon(missing = "Default::default")]
    pub date: String,
    /// Who checked (a People record id).
    #[autosurgeon(missing = "Default::default")]
    pub by: String,
    /// Whether the action removed the cause.
    #[autosurgeon(missing = "Default::default")]
    pub effective: bool,
    /// What the check looked at.
    #[autosurgeon(missing = "Default::default")]
    pub evidence: String,
}

/// The closing of a nonconformity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Reconcile, Hydrate)]
pub struct Closure {
    /// The day (YYYY-MM-DD).
    #[autosurgeon(missing = "Default::default")]
    pub date: String,
    /// Who closed it (display name).
    #[autosurgeon(missing = "Default::default")]
    pub by: String,
}

/// One nonconformity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Reconcile, Hydrate)]
pub struct Nonconformity {
    /// A short name.
    #[autosurgeon(missing = "Default::default")]
    pub title: String,
    /// The day it was raised (YYYY-MM-DD).
    #[autosurgeon(missing = "Default::default")]
    pub raised: String,
    /// Whether it is major.
    #[autosurgeon(missing = "Default::default")]
    pub major: bool,
    /// Where it comes from, as [`Source`] reads it: a finding, a review's
    /// decision, an incident, or "".
    #[autosurgeon(missing = "Default::default")]
    pub source: String,
    /// What happened.
    #[autosurgeon(missing = "Default::default")]
    pub what_happened: String,
    /// The correction: what was done to control it (10.2 a 1).
    #[autosurgeon(missing = "Default::default")]
    pub correction: String,
    /// Its consequences and how they were dealt with (10.2 a 2).
    #[autosurgeon(missing = "Default::default")]
    pub consequences: String,
    /// The root cause (10.2 b 2).
    #[autosurgeon(missing = "Default::default")]
    pub root_cause: String,
    /// Whether similar nonconformities exist or could occur (10.2 b 3).
    #[autosurgeon(missing = "Default::default")]
    pub similar: String,
    /// The corrective action.
    #[autosurgeon(missing = "Default::default")]
    pub action: CorrectiveAction,
    /// The effectiveness check, once made.
    #[autosurgeon(missing = "Default::default")]
    pub effectiveness: Option<EffectivenessCheck>,
    /// The closing, once closed.
    #[autosurgeon(missing = "Default::default")]
    pub closed: Option<Closure>,
    /// When it was recorded.
    #[autosurgeon(missing = "Default::default")]
    pub created_at: Millis,
}

impl Nonconformity {
    /// Whether it is still open.
    pub fn is_open(&self) -> bool {
        self.closed.is_none()
    }

    /// Whether its corrective action is late on `today`.
    pub fn overdue(&self, today: &str) -> bool {
        self.is_open() && self.effectiveness.is_none() && self.action.due.as_str() < today
    }
}

/// A nonconformity as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NonconformityDraft {
    /// A short name.
    pub title: String,
    /// The day raised, as typed.
    pub raised: String,
    /// Whether it is major.
    pub major: bool,
    /// Where it comes from (see [`Source`]).
    pub source: String,
    /// What happened.
    pub what_happened: String,
    /// The correction.
    pub correction: String,
    /// Its consequences.
    pub consequences: String,
    /// The root cause.
    pub root_cause: String,
    /// Similar ones.
    pub similar: String,
    /// The corrective action.
    pub action: String,
    /// Its owner (person id).
    pub owner: String,
    /// Its due day, as typed.
    pub due: String,
}

impl NonconformityDraft {
    /// The draft that edits `nc`.
    pub fn of(nc: &Nonconformity) -> Self {
        NonconformityDraft {
            title: nc.title.clone(),
            raised: nc.raised.clone(),
            major: nc.major,
            source: nc.source.clone(),
            what_happened: nc.what_happened.clone(),
            correction: nc.correction.clone(),
            consequences: nc.consequences.clone(),
            root_cause: nc.root_cause.clone(),
            similar: nc.similar.clone(),
            action: nc.action.text.clone(),
            owner: nc.action.owner.clone(),
            due: nc.action.due.clone(),
        }
    }

    /// A new nonconformity's draft from a review's decision, raised on
    /// `today`: named after the decision, which it links to. `None` when the
    /// review or the decision does not exist.
    pub fn from_decision(
        ws: &Workspace,
        review: &str,
        decision: &str,
        today: &str,
    ) -> Option<Self> {
        let text = &ws.reviews.get(review)?.decisions.get(decision)?.text;
        Some(NonconformityDraft {
            title: crate::workspace::validate::first_line_within(text, MAX_TITLE),
            raised: today.to_owned(),
            source: Source::Decision { review, decision }.field(),
            what_happened: text.trim().to_owned(),
            ..NonconformityDraft::default()
        })
    }

    /// Checks every point of 10.2 a–c on `today`; `ws` needs the owner in
    /// `people` and the audit or review its source names.
    pub fn validate(&self, ws: &Workspace, today: &str) -> Result<Nonconformity, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let title = self.title.trim();
        if title.is_empty() {
            errors.push(Field::NcTitle, "Name the nonconformity.");
        }
        check_length(&mut errors, Field::NcTitle, title, MAX_TITLE);
        let raised = self.raised.trim();
        if parse_date(raised).is_none() {
            errors.push(
                Field::NcRaised,
                "Enter the day it was raised as YYYY-MM-DD.",
            );
        } else if raised > today {
            errors.push(Field::NcRaised, "The day cannot be in the future.");
        }
        let texts = [
            (
                Field::NcWhatHappened,
                self.what_happened.trim(),
                "Say what happened: which requirement was not met, where and when.",
            ),
            (
                Field::NcCorrection,
                self.correction.trim(),
                "Say what was done to control and correct it (10.2 a).",
            ),
            (
                Field::NcRootCause,
                self.root_cause.trim(),
                "Say why it happened: the root cause (10.2 b).",
            ),
            (
                Field::NcSimilar,
                self.similar.trim(),
                "Say whether similar nonconformities exist or could occur (10.2 b).",
            ),
            (
                Field::NcAction,
                self.action.trim(),
                "Say what corrective action removes the cause (10.2 c).",
            ),
        ];
        for (field, text, message) in texts {
            if text.is_empty() {
                errors.push(field, message);
            }
            check_length(&mut errors, field, text, MAX_LONG);
        }
        let consequences = self.consequences.trim();
        check_length(&mut errors, Field::NcConsequences, consequences, MAX_LONG);
        if self.owner.is_empty() {
            errors.push(
                Field::NcOwner,
                "Choose who owns the corrective action: every action needs an owner.",
            );
        } else if ws
            .people
            .get(&self.owner)
            .is_none_or(|p| p.archived.is_some())
        {
            errors.push(Field::NcOwner, "Choose the owner from People.");
        }
        let due = self.due.trim();
        if due.is_empty() {
            errors.push(
                Field::NcDue,
                "Enter the due date of the corrective action (YYYY-MM-DD).",
            );
        } else if parse_date(due).is_none() {
            errors.push(Field::NcDue, "Enter the due date as YYYY-MM-DD.");
        }
        let source = Source::parse(&self.source);
        if let Some(problem) = source.problem(ws) {
            let field = match source {
                Source::Incident(_) => Field::NcIncident,
                _ => Field::NcSource,
            };
            errors.push(field, problem);
        }
        errors.into_result(Nonconformity {
            title: title.to_owned(),
            raised: raised.to_owned(),
            major: self.major,
            source: source.field(),
            what_happened: self.what_happened.trim().to_owned(),
            correction: self.correction.trim().to_owned(),
            consequences: consequences.to_owned(),
            root_cause: self.root_cause.trim().to_owned(),
            similar: self.similar.trim().to_owned(),
            action: CorrectiveAction {
                text: self.action.trim().to_owned(),
                owner: self.owner.clone(),
                due: due.to_owned(),
            },
            effectiveness: None,
            closed: None,
            created_at: 0,
        })
    }
}

/// The nonconformities raised from findings of audit `audit`, by finding id.
pub fn raised_from_findings<'a>(ws: &'a Workspace, audit: &str) -> Vec<(&'a str, &'a String)> {
    let prefix = format!("finding:{audit}/");
    ws.nonconformities
        .iter()
        .filter_map(|(id, nc)| Some((nc.source.strip_prefix(&prefix)?, id)))
        .collect()
}

/// The improvements logged from findings of audit `audit`, by finding id.
pub fn logged_from_findings<'a>(ws: &'a Workspace, audit: &str) -> Vec<(&'a str, &'a String)> {
    let prefix = format!("finding:{audit}/");
    ws.improvements
        .iter()
        .filter_map(|(id, i)| Some((i.source.strip_prefix(&prefix)?, id)))
        .collect()
}

/// Open nonconformities whose corrective action is late on `today`.
pub fn overdue_corrective_actions(ws: &Workspace, today: &str) -> usize {
    ws.nonconformities
        .values()
        .filter(|nc| nc.overdue(today))
        .count()
}

/// Nonconformities raised and closed in one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodCount {
    /// The period, in words ("2026 Q3").
    pub label: String,
    /// Raised in it.
    pub raised: usize,
    /// Closed in it.
    pub closed: usize,
    /// Open at its end.
    pub open_at_end: usize,
}

/// Nonconformities by calendar quarter, the `quarters` up to `today`'s,
/// oldest first: the trend of input d(1).
pub fn trend(ws: &Workspace, quarters: usize, today: &str) -> Vec<PeriodCount> {
    let year: i32 = today
        .get(..4)
        .and_then(|y| y.parse().ok())
        .unwrap_or_default();
    let month: i32 = today.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    let now = year * 4 + (month - 1) / 3;
    let quarter_of = |date: &str| -> Option<i32> {
        parse_date(date).map(|(y, m, _)| i32::from(y) * 4 + (i32::from(m) - 1) / 3)
    };
    (0..quarters as i32)
        .rev()
        .map(|back| {
            let q = now - back;
            let raised = ws
                .nonconformities
                .values()
                .filter(|n| quarter_of(&n.raised) == Some(q))
                .count();
            let closed = ws
                .nonconformities
                .values()
                .filter_map(|n| n.closed.as_ref())
                .filter(|c| quarter_of(&c.date) == Some(q))
                .count();
            let open_at_end = ws
                .nonconformities
                .values()
                .filter(|n| quarter_of(&n.raised).is_some_and(|r| r <= q))
                .filter(|n| {
                    n.closed
                        .as_ref()
                        .and_then(|c| quarter_of(&c.date))
                        .is_none_or(|c| c > q)
                })
                .count();
            PeriodCount {
                label: format!("{} Q{}", q.div_euclid(4), q.rem_euclid(4) + 1),
                raised,
                closed,
                open_at_end,
            }
        })
        .collect()
}

/// Where an improvement stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Reconcile, Hydrate)]
pub enum ImprovementStatus {
    /// Proposed, not decided.
    #[default]
    Proposed,
    /// Decided and under way.
    UnderWay,
    /// Done.
    Done,
    /// Not taken up (with the reason in the outcome).
    Declined,
}

impl ImprovementStatus {
    /// Every status, in the order the form offers them.
    pub const ALL: [ImprovementStatus; 4] = [
        ImprovementStatus::Proposed,
        ImprovementStatus::UnderWay,
        ImprovementStatus::Done,
        ImprovementStatus::Declined,
    ];

    /// The status in words.
    pub fn label(self) -> &'static str {
        match self {
            ImprovementStatus::Proposed => "Proposed",
            ImprovementStatus::UnderWay => "Under way",
            ImprovementStatus::Done => "Done",
            ImprovementStatus::Declined => "Not taken up",
        }
    }

    /// Whether it is still to be decided or done.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            ImprovementStatus::Proposed | ImprovementStatus::UnderWay
        )
    }
}

/// One entry of the improvement log (10.1).
#[derive(Debug, Clone, Default, PartialEq, Eq, Reconcile, Hydrate)]
pub struct Improvement {
    /// What could be better, and how.
    #[autosurgeon(missing = "Default::default")]
    pub text: String,
    /// Where it comes from, as [`Source`] reads it: a finding, a review, a
    /// review's decision, or "" (anyone).
    #[autosurgeon(missing = "Default::default")]
    pub source: String,
    /// Who proposed it (display name).
    #[autosurgeon(missing = "Default::default")]
    pub by: String,
    /// Whose idea it is, when not the proposer's ("the warehouse team").
    #[autosurgeon(missing = "Default::default")]
    pub suggested_by: String,
    /// Where it stands.
    #[autosurgeon(missing = "Default::default")]
    pub status: ImprovementStatus,
    /// What came of it (required once done or not taken up).
    #[autosurgeon(missing = "Default::default")]
    pub outcome: String,
    /// When it was proposed.
    #[autosurgeon(missing = "Default::default")]
    pub created_at: Millis,
}

/// An improvement as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImprovementDraft {
    /// What could be better, and how.
    pub text: String,
    /// Where it comes from (see [`Source`]).
    pub source: String,
    /// Whose idea it is, when not the proposer's.
    pub suggested_by: String,
}

impl ImprovementDraft {
    /// The draft that edits `improvement`.
    pub fn of(improvement: &Improvement) -> Self {
        ImprovementDraft {
            text: improvement.text.clone(),
            source: improvement.source.clone(),
            suggested_by: improvement.suggested_by.clone(),
        }
    }

    /// Checks the text and the source; `ws` needs the audit or the review
    /// the source names. Returns (text, source, suggested by).
    pub fn validate(&self, ws: &Workspace) -> Result<(String, String, String), ValidationErrors> {
        let text = self.text.trim();
        let mut errors = ValidationErrors::default();
        if text.is_empty() {
            errors.push(Field::ImprovementText, "Say what could be better, and how.");
        }
        check_length(&mut errors, Field::ImprovementText, text, MAX_LONG);
        let source = Source::parse(&self.source);
        if matches!(source, Source::Incident(_)) {
            errors.push(
                Field::ImprovementSource,
                "Choose a finding, a review or a decision, or nothing.",
            );
        } else if let Some(problem) = source.problem(ws) {
            errors.push(Field::ImprovementSource, problem);
        }
        let suggested_by = self.suggested_by.trim();
        check_length(
            &mut errors,
            Field::ImprovementSuggestedBy,
            suggested_by,
            crate::workspace::validate::MAX_SHORT,
        );
        errors.into_result((text.to_owned(), source.field(), suggested_by.to_owned()))
    }
}

// ---------------------------------------------------------------------------
// Commands.

const NOT_FOUND: CommandError = CommandError::NotFound("nonconformity");
const IMPROVEMENT_NOT_FOUND: CommandError = CommandError::NotFound("improvement");

impl WorkspaceDoc {
    /// One nonconformity, if it exists.
    pub fn nonconformity(&self, id: &str) -> Result<Option<Nonconformity>, CommandError> {
        let Some(map) = self.existing_map(ROOT, "nonconformities") else {
            return Ok(None);
        };
        self.hydrate_entry(&map, id)
    }

    fn nonconformity_obj(&self, id: &str) -> Result<automerge::ObjId, CommandError> {
        let map = self
            .existing_map(ROOT, "nonconformities")
            .ok_or(NOT_FOUND)?;
        self.existing_map(map, id).ok_or(NOT_FOUND)
    }

    /// A nonconformity that is still open: a closed one's record stays as it
    /// was closed.
    fn open_nonconformity(&self, id: &str) -> Result<Nonconformity, CommandError> {
        let nc = self.nonconformity(id)?.ok_or(NOT_FOUND)?;
        if nc.closed.is_some() {
            return Err(CommandError::NotAllowed(
                "This nonconformity is closed: its record stays as it was closed.".to_owned(),
            ));
        }
        Ok(nc)
    }

    /// `draft` checked against the records it names (its owner, its source).
    fn validate_nonconformity(
        &self,
        draft: &NonconformityDraft,
        today: &str,
    ) -> Result<Nonconformity, CommandError> {
        let mut ws = Workspace::default();
        if let Some(person) = self.person(&draft.owner)? {
            ws.people.insert(draft.owner.clone(), person);
        }
        Source::parse(&draft.source).load(self, &mut ws)?;
        Ok(draft.validate(&ws, today)?)
    }

    /// Raises a nonconformity on `today`'s terms; returns its id.
    pub fn add_nonconformity(
        &mut self,
        draft: &NonconformityDraft,
        today: &str,
        now: Millis,
    ) -> Result<String, CommandError> {
        let nc = Nonconformity {
            created_at: now,
            ..self.validate_nonconformity(draft, today)?
        };
        let id = self.next_id(now);
        self.guard(|doc| {
            let map = doc.map(ROOT, "nonconformities")?;
            Ok(reconcile_prop(&mut doc.doc, &map, id.as_str(), &nc)?)
        })?;
        self.commit(
            format!(
                "Raised {} nonconformity “{}”",
                if nc.major { "major" } else { "a" },
                nc.title
            ),
            now,
        )?;
        Ok(id)
    }

    /// Changes an open nonconformity as typed. Its effectiveness check
    /// stays unless the corrective action changed: a check judged the action
    /// it saw, so a new action needs a new check (the old one stays in the
    /// history).
    pub fn update_nonconformity(
        &mut self,
        id: &str,
        draft: &NonconformityDraft,
        today: &str,
        now: Millis,
    ) -> Result<(), CommandError> {
        let old = self.open_nonconformity(id)?;
        let typed = self.validate_nonconformity(draft, today)?;
        let action_changed = typed.action != old.action;
        let effectiveness = if action_changed {
            None
        } else {
            old.effectiveness.clone()
        };
        let nc = Nonconformity {
            effectiveness,
            closed: None,
            created_at: old.created_at,
            ..typed
        };
        if nc == old {
            return Ok(());
        }
        let map = self
            .existing_map(ROOT, "nonconformities")
            .ok_or(NOT_FOUND)?;
        self.guard(|doc| Ok(reconcile_prop(&mut doc.doc, &map, id, &nc)?))?;
        let note = if action_changed && old.effectiveness.is_some() {
            "; the corrective action changed, so it needs checking again"
        } else {
            ""
        };
        self.commit(format!("Changed nonconformity “{}”{note}", nc.title), now)
    }

    /// Records the check of the corrective action's effectiveness.
    pub fn check_effectiveness(
        &mut self,
        id: &str,
        check: &EffectivenessCheck,
        today: &str,
        now: Millis,
    ) -> Result<(), CommandError> {
        let nc = self.open_nonconformity(id)?;
        let mut errors = ValidationErrors::default();
        let date = check.date.trim();
        if parse_date(date).is_none() {
            errors.push(
                Field::NcCheckDate,
                "Enter the day of the check as YYYY-MM-DD.",
            );
        } else if date > today {
            errors.push(Field::NcCheckDate, "The day cannot be in the future.");
        } else if date < nc.raised.as_str() {
            errors.push(
                Field::NcCheckDate,
                "The check comes after the nonconformity was raised.",
            );
        }
        if check.by.is_empty() {
            errors.push(Field::NcCheckBy, "Choose who checked.");
        } else if self.person(&check.by)?.is_none() {
            errors.push(Field::NcCheckBy, "Choose who checked from People.");
        }
        let evidence = check.evidence.trim();
        if evidence.is_empty() {
            errors.push(
                Field::NcCheckEvidence,
                "Say what the check looked at and what it showed.",
            );
        }
        check_length(&mut errors, Field::NcCheckEvidence, evidence, MAX_LONG);
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let check = Some(EffectivenessCheck {
            date: date.to_owned(),
            by: check.by.clone(),
            effective: check.effective,
            evidence: evidence.to_owned(),
        });
        let record = self.nonconformity_obj(id)?;
        self.guard(|doc| {
            Ok(reconcile_prop(
                &mut doc.doc,
                &record,
                "effectiveness",
                &check,
            )?)
        })?;
        let verdict = if check.as_ref().is_some_and(|c| c.effective) {
            "effective"
        } else {
            "not effective"
        };
        self.commit(
            format!("Checked the corrective action of “{}”: {verdict}", nc.title),
            now,
        )
    }

    /// Closes a nonconformity: only once its corrective action was checked
    /// and found effective (10.2 d).
    pub fn close_nonconformity(
        &mut self,
        id: &str,
        date: &str,
        today: &str,
        now: Millis,
    ) -> Result<(), CommandError> {
        let nc = self.nonconformity(id)?.ok_or(NOT_FOUND)?;
        if nc.closed.is_some() {
            return Ok(());
        }
        match &nc.effectiveness {
            None => {
                return Err(CommandError::NotAllowed(
                    "A nonconformity closes only once its corrective action has been checked \
                     for effectiveness (10.2 d): record the check first."
                        .to_owned(),
                ));
            }
            Some(check) if !check.effective => {
                return Err(CommandError::NotAllowed(
                    "The check found the corrective action not effective: take further action \
                     and check it again before closing."
                        .to_owned(),
                ));
            }
            Some(_) => {}
        }
        let date = date.trim();
        let mut errors = ValidationErrors::default();
        let checked = nc.effectiveness.as_ref().map_or("", |c| c.date.as_str());
        if parse_date(date).is_none() {
            errors.push(Field::NcClosed, "Enter the day as YYYY-MM-DD.");
        } else if date > today {
            errors.push(Field::NcClosed, "The day cannot be in the future.");
        } else if date < checked {
            errors.push(
                Field::NcClosed,
                "It closes on or after the day its corrective action was checked.",
            );
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let closed = Some(Closure {
            date: date.to_owned(),
            by: self.author().to_owned(),
        });
        let record = self.nonconformity_obj(id)?;
        self.guard(|doc| Ok(reconcile_prop(&mut doc.doc, &record, "closed", &closed)?))?;
        self.commit(format!("Closed nonconformity “{}”", nc.title), now)
    }

    /// Adds an entry to the improvement log; returns its id.
    pub fn add_improvement(
        &mut self,
        draft: &ImprovementDraft,
        now: Millis,
    ) -> Result<String, CommandError> {
        let mut ws = Workspace::default();
        Source::parse(&draft.source).load(self, &mut ws)?;
        let (text, source, suggested_by) = draft.validate(&ws)?;
        let improvement = Improvement {
            text,
            source,
            by: self.author().to_owned(),
            suggested_by,
            status: ImprovementStatus::Proposed,
            outcome: String::new(),
            created_at: now,
        };
        let id = self.next_id(now);
        self.guard(|doc| {
            let map = doc.map(ROOT, "improvements")?;
            Ok(reconcile_prop(
                &mut doc.doc,
                &map,
                id.as_str(),
                &improvement,
            )?)
        })?;
        let line = improvement.text.lines().next().unwrap_or_default();
        self.commit(format!("Proposed an improvement: “{line}”"), now)?;
        Ok(id)
    }

    /// Changes what an improvement says, where it comes from or whose idea
    /// it is; its status and outcome stay.
    pub fn update_improvement(
        &mut self,
        id: &str,
        draft: &ImprovementDraft,
        now: Millis,
    ) -> Result<(), CommandError> {
        let map = self
            .existing_map(ROOT, "improvements")
            .ok_or(IMPROVEMENT_NOT_FOUND)?;
        let old: Improvement = self.hydrate_entry(&map, id)?.ok_or(IMPROVEMENT_NOT_FOUND)?;
        let mut ws = Workspace::default();
        Source::parse(&draft.source).load(self, &mut ws)?;
        let (text, source, suggested_by) = draft.validate(&ws)?;
        if old.text == text && old.source == source && old.suggested_by == suggested_by {
            return Ok(());
        }
        let record = self.existing_map(map, id).ok_or(IMPROVEMENT_NOT_FOUND)?;
        self.guard(|doc| {
            reconcile_prop(&mut doc.doc, &record, "text", text.as_str())?;
            reconcile_prop(&mut doc.doc, &record, "source", source.as_str())?;
            Ok(reconcile_prop(
                &mut doc.doc,
                &record,
                "suggested_by",
                suggested_by.as_str(),
            )?)
        })?;
        let line = text.lines().next().unwrap_or_default();
        self.commit(format!("Changed the improvement “{line}”"), now)
    }

    /// Moves an improvement on; done or not taken up needs the outcome.
    pub fn set_improvement_status(
        &mut self,
        id: &str,
        status: ImprovementStatus,
        outcome: &str,
        now: Millis,
    ) -> Result<(), CommandError> {
        let map = self
            .existing_map(ROOT, "improvements")
            .ok_or(IMPROVEMENT_NOT_FOUND)?;
        let old: Improvement = self.hydrate_entry(&map, id)?.ok_or(IMPROVEMENT_NOT_FOUND)?;
        let outcome = outcome.trim();
        let mut errors = ValidationErrors::default();
        if !status.is_open() && outcome.is_empty() {
            errors.push(
                Field::ImprovementOutcome,
                if status == ImprovementStatus::Done {
                    "Say what came of it."
                } else {
                    "Say why it is not taken up."
                },
            );
        }
        check_length(&mut errors, Field::ImprovementOutcome, outcome, MAX_LONG);
        if !errors.is_empty() {
            return Err(errors.into());
        }
        if old.status == status && old.outcome == outcome {
            return Ok(());
        }
        let record = self.existing_map(map, id).ok_or(IMPROVEMENT_NOT_FOUND)?;
        self.guard(|doc| {
            reconcile_prop(&mut doc.doc, &record, "status", status)?;
            Ok(reconcile_prop(&mut doc.doc, &record, "outcome", outcome)?)
        })?;
        let line = old.text.lines().next().unwrap_or_default();
        self.commit(
            format!("Improvement “{line}”: {}", status.label().to_lowercase()),
            now,
        )
    }
}
