//! An objective's assessment and lifecycle (clauses 6.2 and 9.1): the health
//! its measurements support and when a person's judgement counts instead, the
//! monitoring plan's next measurement, which policy it may serve, and closing
//! it (achieved, not achieved, withdrawn) with an evaluation rather than
//! deleting it, since an audit asks for past objectives too.

use autosurgeon::{Hydrate, Reconcile, reconcile_prop};

use crate::workspace::measurements::{date_of, day_number, health_suggestion, is_overdue, latest};
use crate::workspace::model::{Health, Objective, Workspace};
use crate::workspace::policies::{PolicyKind, PolicyStatus};
use crate::workspace::validate::{
    Field, MAX_LONG, ValidationErrors, check_length, days_in_month, parse_date,
};
use crate::workspace::{CommandError, Millis, WorkspaceDoc};

/// Where an objective is in its life.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Reconcile, Hydrate)]
pub enum ObjectiveStatus {
    /// Being worked on.
    #[default]
    Open,
    /// Closed: the target was reached.
    Achieved,
    /// Closed: the due date came and the target was not reached.
    NotAchieved,
    /// Closed: no longer pursued (the business changed, it was replaced).
    Withdrawn,
}

impl ObjectiveStatus {
    /// The ways an objective can be closed, in the order the UI offers them.
    pub const CLOSED: [ObjectiveStatus; 3] = [
        ObjectiveStatus::Achieved,
        ObjectiveStatus::NotAchieved,
        ObjectiveStatus::Withdrawn,
    ];

    /// The label a person reads.
    pub fn label(self) -> &'static str {
        match self {
            ObjectiveStatus::Open => "Open",
            ObjectiveStatus::Achieved => "Achieved",
            ObjectiveStatus::NotAchieved => "Not achieved",
            ObjectiveStatus::Withdrawn => "Withdrawn",
        }
    }

    /// A stable machine name, used as a form value and a CSS class.
    pub fn slug(self) -> &'static str {
        match self {
            ObjectiveStatus::Open => "open",
            ObjectiveStatus::Achieved => "achieved",
            ObjectiveStatus::NotAchieved => "not-achieved",
            ObjectiveStatus::Withdrawn => "withdrawn",
        }
    }

    /// The closed status whose [`ObjectiveStatus::slug`] is `slug`.
    pub fn from_slug(slug: &str) -> Option<ObjectiveStatus> {
        ObjectiveStatus::CLOSED
            .into_iter()
            .find(|s| s.slug() == slug)
    }

    /// Whether the objective is still being worked on.
    pub fn is_open(self) -> bool {
        self == ObjectiveStatus::Open
    }
}

/// How and by whom an objective was closed.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Closing {
    /// What was achieved, what was not and what was learnt.
    #[autosurgeon(missing = "Default::default")]
    pub evaluation: String,
    /// When it was closed.
    #[autosurgeon(missing = "Default::default")]
    pub at: Millis,
    /// The display name of whoever closed it.
    #[autosurgeon(missing = "Default::default")]
    pub by: String,
}

/// What an objective's shown health rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis<'a> {
    /// Nothing yet: no measurement against a target, no reasoned judgement.
    Nothing,
    /// The measurements against the target ([`health_suggestion`]).
    Measurements,
    /// A person's assessment, with the reason they gave.
    Judgement(&'a str),
    /// The due date passed without the target being met.
    Overdue,
}

/// The health an objective shows on `today`, and what it rests on:
/// - a person's assessment counts only with a reason;
/// - otherwise the health the measurements suggest;
/// - otherwise "Not assessed";
/// - and an overdue objective is never "On track".
pub fn assessed_health(objective: &Objective, today: i64) -> (Health, Basis<'_>) {
    let reason = objective.health_reason.trim();
    let (health, basis) = if objective.health != Health::NotAssessed && !reason.is_empty() {
        (objective.health, Basis::Judgement(reason))
    } else if let Some(suggested) = health_suggestion(objective, today) {
        (suggested, Basis::Measurements)
    } else {
        (Health::NotAssessed, Basis::Nothing)
    };
    if health == Health::OnTrack && is_overdue(objective, today) {
        (Health::OffTrack, Basis::Overdue)
    } else {
        (health, basis)
    }
}

/// Checks a person's assessment against what the measurements suggest: one
/// that differs from them, or that has none to rest on, needs a reason.
pub fn check_judgement(objective: &Objective, today: i64, errors: &mut ValidationErrors) {
    if objective.health == Health::NotAssessed || !objective.health_reason.trim().is_empty() {
        return;
    }
    match health_suggestion(objective, today) {
        Some(suggested) if suggested == objective.health => {}
        Some(suggested) => errors.push(
            Field::HealthReason,
            &format!(
                "The measurements suggest {}. Say why you assess it as {}.",
                suggested.label().to_lowercase(),
                objective.health.label().to_lowercase()
            ),
        ),
        None => errors.push(
            Field::HealthReason,
            "No measurement supports this yet. Say what the assessment rests on.",
        ),
    }
}

/// `date` (YYYY-MM-DD) plus `months`, on the same day of the month or the
/// month's last day when it is shorter (31 January + 1 month = 28 or 29 February).
pub fn add_months(date: &str, months: u32) -> Option<String> {
    let (year, month, day) = parse_date(date)?;
    let index = u32::from(year) * 12 + u32::from(month) - 1 + months;
    let (year, month) = (index / 12, index % 12 + 1);
    let day = u32::from(day).min(days_in_month(year, month));
    Some(format!("{year:04}-{month:02}-{day:02}"))
}

/// When the monitoring plan wants the next measurement: a plan interval
/// after the latest measurement, or after the objective was added when it
/// has none. `None` without an interval, or once the objective is closed.
pub fn next_measurement_due(objective: &Objective) -> Option<String> {
    let months = objective.monitor_months.filter(|m| *m > 0)?;
    if !objective.status.is_open() {
        return None;
    }
    let from = latest(objective).map_or_else(|| date_of(objective.created_at), |m| m.date.clone());
    add_months(&from, months)
}

/// Whether a measurement is due (its day has come) on `today`.
pub fn measurement_due(objective: &Objective, today: i64) -> bool {
    next_measurement_due(objective)
        .and_then(|due| day_number(&due))
        .is_some_and(|due| today >= due)
}

/// Why the policy an objective serves is not the right one to serve, if it
/// is not: objectives are set consistent with the information security
/// policy in force (6.2 a).
pub fn serves_policy_warning(ws: &Workspace, policy_id: &str) -> Option<String> {
    let Some(policy) = ws.policies.get(policy_id) else {
        return Some("That policy was deleted. Choose the information security policy.".to_owned());
    };
    if policy.kind == PolicyKind::TopicSpecific {
        return Some(
            "This is a topic-specific policy. Objectives are set consistent with the \
             information security policy (6.2 a)."
                .to_owned(),
        );
    }
    match policy.status {
        PolicyStatus::Approved | PolicyStatus::Published if !policy.approvals.is_empty() => None,
        status => Some(format!(
            "This information security policy is not in force: it is {}.",
            status.label().to_lowercase()
        )),
    }
}

/// A closing as typed into the form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClosingDraft {
    /// How it ends; `None` until chosen.
    pub status: Option<ObjectiveStatus>,
    /// The evaluation as typed.
    pub evaluation: String,
}

impl ClosingDraft {
    /// Checks the closing: an outcome and an evaluation are both required.
    pub fn validate(&self) -> Result<(ObjectiveStatus, String), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let status = self.status.filter(|s| !s.is_open());
        if status.is_none() {
            errors.push(Field::ClosingStatus, "Choose how the objective ends.");
        }
        let evaluation = self.evaluation.trim();
        if evaluation.is_empty() {
            errors.push(
                Field::ClosingEvaluation,
                "Write the closing evaluation: what was reached, and what was learnt.",
            );
        }
        check_length(&mut errors, Field::ClosingEvaluation, evaluation, MAX_LONG);
        errors.into_result((status.unwrap_or_default(), evaluation.to_owned()))
    }
}

impl WorkspaceDoc {
    /// Closes an open objective as achieved, not achieved or withdrawn, with
    /// its evaluation. It stays in the workspace, listed with the closed ones.
    pub fn close_objective(
        &mut self,
        id: &str,
        draft: &ClosingDraft,
        now: Millis,
    ) -> Result<(), CommandError> {
        let (status, evaluation) = draft.validate()?;
        let old = self
            .objective_head(id)?
            .ok_or(CommandError::ObjectiveNotFound)?;
        if !old.status.is_open() {
            return Err(CommandError::NotAllowed(format!(
                "“{}” is already closed as {}.",
                old.title,
                old.status.label().to_lowercase()
            )));
        }
        let closed = Objective {
            status,
            closing: Some(Closing {
                evaluation,
                at: now,
                by: self.author().to_owned(),
            }),
            ..old.clone()
        };
        self.guard(|ws| ws.write_objective_fields(id, &old, &closed))?;
        self.commit(
            format!(
                "Closed objective “{}” as {}",
                old.title,
                status.label().to_lowercase()
            ),
            now,
        )
    }

    /// Opens a closed objective again; its closing is kept in the history.
    pub fn reopen_objective(&mut self, id: &str, now: Millis) -> Result<(), CommandError> {
        let old = self
            .objective_head(id)?
            .ok_or(CommandError::ObjectiveNotFound)?;
        if old.status.is_open() {
            return Ok(());
        }
        self.guard(|ws| {
            let record = ws
                .objective_obj(id)
                .ok_or(CommandError::ObjectiveNotFound)?;
            reconcile_prop(&mut ws.doc, &record, "status", ObjectiveStatus::Open)?;
            reconcile_prop(&mut ws.doc, &record, "closing", None::<Closing>)?;
            Ok(())
        })?;
        self.commit(format!("Reopened objective “{}”", old.title), now)
    }
}
