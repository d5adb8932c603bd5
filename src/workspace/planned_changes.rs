//! Planning of changes (clause 6.3): a change to the ISMS is carried out in
//! a planned manner: its purpose and possible consequences, its effect on
//! the ISMS's integrity, the resources and who is responsible, its approval
//! by top management (signed), and a review once it is made. A change can
//! come from a management review's decision or be recorded directly.

use automerge::ROOT;
use autosurgeon::{Hydrate, Reconcile, reconcile_prop};

use sha2::{Digest, Sha256};

use crate::workspace::model::Workspace;
use crate::workspace::roles::RoleKind;
use crate::workspace::signing::{Act, ActSignature};
use crate::workspace::validate::{
    Field, MAX_LONG, MAX_SHORT, ValidationErrors, check_length, parse_date,
};
use crate::workspace::{CommandError, Millis, WorkspaceDoc};

/// One planned change to the ISMS.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct PlannedChange {
    /// What changes, in a line.
    #[autosurgeon(missing = "Default::default")]
    pub title: String,
    /// Why (6.3 a: its purpose) and what could go wrong (its consequences).
    #[autosurgeon(missing = "Default::default")]
    pub purpose: String,
    /// Its possible consequences.
    #[autosurgeon(missing = "Default::default")]
    pub consequences: String,
    /// How the ISMS's integrity is kept (6.3 b).
    #[autosurgeon(missing = "Default::default")]
    pub integrity: String,
    /// The resources it needs (6.3 c).
    #[autosurgeon(missing = "Default::default")]
    pub resources: String,
    /// Who is responsible (6.3 d; a People record id).
    #[autosurgeon(missing = "Default::default")]
    pub responsible: String,
    /// The management review decision it comes from, as "<review id>/<decision id>", or "".
    #[autosurgeon(missing = "Default::default")]
    pub from_decision: String,
    /// When it was recorded.
    #[autosurgeon(missing = "Default::default")]
    pub created_at: Millis,
    /// Its approval by top management, once given.
    #[autosurgeon(missing = "Default::default")]
    pub approval: Option<ChangeApproval>,
    /// The review once made: the day and what it found.
    #[autosurgeon(missing = "Default::default")]
    pub review: Option<ChangeReview>,
}

/// The approval of a change.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct ChangeApproval {
    /// Who (a People record id holding Top management).
    #[autosurgeon(missing = "Default::default")]
    pub person: String,
    /// When.
    #[autosurgeon(missing = "Default::default")]
    pub at: Millis,
    /// The signature ([`Act::ChangeApproval`]).
    #[autosurgeon(missing = "Default::default")]
    pub signature: Option<ActSignature>,
}

/// The review of a change once made.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct ChangeReview {
    /// The day (YYYY-MM-DD).
    #[autosurgeon(missing = "Default::default")]
    pub date: String,
    /// What it found: did the change achieve its purpose, any side effects.
    #[autosurgeon(missing = "Default::default")]
    pub outcome: String,
    /// Who recorded it (display name).
    #[autosurgeon(missing = "Default::default")]
    pub by: String,
}

/// Where a change stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeState {
    /// Recorded, waiting for top management's approval.
    Proposed,
    /// Approved, not reviewed yet.
    Approved,
    /// Made and reviewed.
    Reviewed,
}

impl PlannedChange {
    /// Where it stands.
    pub fn state(&self) -> ChangeState {
        match (&self.approval, &self.review) {
            (_, Some(_)) => ChangeState::Reviewed,
            (Some(_), None) => ChangeState::Approved,
            (None, None) => ChangeState::Proposed,
        }
    }
}

/// The planned changes, newest first.
pub fn changes_newest_first(ws: &Workspace) -> Vec<(&String, &PlannedChange)> {
    let mut list: Vec<_> = ws.planned_changes.iter().collect();
    list.sort_by(|(a_id, a), (b_id, b)| b.created_at.cmp(&a.created_at).then(b_id.cmp(a_id)));
    list
}

/// How a change names the review decision it comes from: "<review>/<decision>".
pub fn decision_ref(review: &str, decision: &str) -> String {
    format!("{review}/{decision}")
}

/// The change planned from a review's decision, if there is one (the first
/// recorded, should two people have planned it at once).
pub fn change_for_decision<'a>(
    ws: &'a Workspace,
    review: &str,
    decision: &str,
) -> Option<&'a String> {
    let wanted = decision_ref(review, decision);
    ws.planned_changes
        .iter()
        .filter(|(_, c)| c.from_decision == wanted)
        .min_by(|(a_id, a), (b_id, b)| a.created_at.cmp(&b.created_at).then(a_id.cmp(b_id)))
        .map(|(id, _)| id)
}

/// The longest title a change may have, in characters.
const MAX_TITLE: usize = MAX_SHORT * 2;

/// A new change's draft from a review's decision (`from` as
/// [`decision_ref`] writes it): its title is the decision's text (its first
/// line, shortened to fit), and it keeps where it came from. `None` when the
/// review or the decision does not exist.
pub fn draft_from_decision(ws: &Workspace, from: &str) -> Option<ChangeDraft> {
    let (review, decision) = from.split_once('/')?;
    let text = &ws.reviews.get(review)?.decisions.get(decision)?.text;
    Some(ChangeDraft {
        title: crate::workspace::validate::first_line_within(text, MAX_TITLE),
        from_decision: from.to_owned(),
        ..Default::default()
    })
}

/// A change as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChangeDraft {
    /// What changes.
    pub title: String,
    /// Why.
    pub purpose: String,
    /// Possible consequences.
    pub consequences: String,
    /// How integrity is kept.
    pub integrity: String,
    /// Resources.
    pub resources: String,
    /// Who is responsible (person id).
    pub responsible: String,
    /// The review decision it comes from ("<review>/<decision>"), or "".
    pub from_decision: String,
}

impl ChangeDraft {
    /// Checks every point 6.3 asks for.
    pub fn validate(&self, ws: &Workspace) -> Result<PlannedChange, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let title = self.title.trim();
        if title.is_empty() {
            errors.push(Field::ChangeTitle, "Say what changes.");
        }
        check_length(&mut errors, Field::ChangeTitle, title, MAX_TITLE);
        for (field, text, message) in [
            (
                Field::ChangePurpose,
                &self.purpose,
                "Say why the change is made.",
            ),
            (
                Field::ChangeConsequences,
                &self.consequences,
                "Say what the change could affect or break.",
            ),
            (
                Field::ChangeIntegrity,
                &self.integrity,
                "Say how the ISMS keeps working while it changes.",
            ),
        ] {
            if text.trim().is_empty() {
                errors.push(field, message);
            }
            check_length(&mut errors, field, text.trim(), MAX_LONG);
        }
        check_length(
            &mut errors,
            Field::ChangeResources,
            self.resources.trim(),
            MAX_LONG,
        );
        if ws
            .people
            .get(&self.responsible)
            .is_none_or(|p| p.archived.is_some())
        {
            errors.push(
                Field::ChangeResponsible,
                "Choose who is responsible for the change from People.",
            );
        }
        let from_decision = self
            .from_decision
            .split_once('/')
            .filter(|(review, decision)| {
                ws.reviews
                    .get(*review)
                    .is_some_and(|r| r.decisions.contains_key(*decision))
            })
            .map(|_| self.from_decision.clone())
            .unwrap_or_default();
        errors.into_result(PlannedChange {
            title: title.to_owned(),
            purpose: self.purpose.trim().to_owned(),
            consequences: self.consequences.trim().to_owned(),
            integrity: self.integrity.trim().to_owned(),
            resources: self.resources.trim().to_owned(),
            responsible: self.responsible.clone(),
            from_decision,
            ..Default::default()
        })
    }
}

/// The SHA-256 (hex) of what a change is, canonical and length-prefixed:
/// inside its approval's signature, so a change edited afterwards no longer
/// verifies.
pub fn change_digest(change: &PlannedChange) -> String {
    let mut hash = Sha256::new();
    for part in [
        "charter/v1/change",
        &change.title,
        &change.purpose,
        &change.consequences,
        &change.integrity,
        &change.resources,
        &change.responsible,
    ] {
        hash.update((part.len() as u64).to_le_bytes());
        hash.update(part.as_bytes());
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

const NOT_FOUND: CommandError = CommandError::NotFound("planned change");

impl WorkspaceDoc {
    /// One planned change, if it exists.
    pub fn planned_change(&self, id: &str) -> Result<Option<PlannedChange>, CommandError> {
        let Some(map) = self.existing_map(ROOT, "planned_changes") else {
            return Ok(None);
        };
        self.hydrate_entry(&map, id)
    }

    /// Records a planned change; returns its id.
    pub fn add_planned_change(
        &mut self,
        draft: &ChangeDraft,
        now: Millis,
    ) -> Result<String, CommandError> {
        let mut ws = Workspace::default();
        if let Some(person) = self.person(&draft.responsible)? {
            ws.people.insert(draft.responsible.clone(), person);
        }
        if let Some((review, _)) = draft.from_decision.split_once('/')
            && let Some(record) = self.review(review)?
        {
            ws.reviews.insert(review.to_owned(), record);
        }
        let change = PlannedChange {
            created_at: now,
            ..draft.validate(&ws)?
        };
        let id = self.next_id(now);
        self.guard(|doc| {
            let map = doc.map(ROOT, "planned_changes")?;
            Ok(reconcile_prop(&mut doc.doc, &map, id.as_str(), &change)?)
        })?;
        self.commit(format!("Planned change “{}”", change.title), now)?;
        Ok(id)
    }

    /// Top management approves a planned change (signed).
    pub fn approve_planned_change(&mut self, id: &str, now: Millis) -> Result<(), CommandError> {
        let change = self.planned_change(id)?.ok_or(NOT_FOUND)?;
        if change.approval.is_some() {
            return Ok(());
        }
        let records = self.trust_records()?;
        let key = self.device_public().unwrap_or_default();
        let person = records
            .keys
            .get(&key)
            .map(|k| k.person.clone())
            .filter(|p| !p.is_empty())
            .ok_or_else(|| {
                CommandError::NotAllowed(
                    "Record this browser's key for yourself on the Participants page before \
                     approving."
                        .to_owned(),
                )
            })?;
        let holds = records.roles.values().any(|r| {
            r.kind == RoleKind::TopManagement && r.archived.is_none() && r.held_by_at(&person, now)
        });
        if !holds {
            return Err(CommandError::NotAllowed(
                "Only a member of top management can approve a change to the ISMS.".to_owned(),
            ));
        }
        let heads = self.heads_hex();
        let digest = change_digest(&change);
        let signature = self.sign_act(
            &Act::ChangeApproval {
                change: id,
                digest: &digest,
            },
            heads,
            now,
        )?;
        let approval = ChangeApproval {
            person,
            at: now,
            signature,
        };
        let map = self
            .existing_map(ROOT, "planned_changes")
            .ok_or(NOT_FOUND)?;
        let record = self.existing_map(map, id).ok_or(NOT_FOUND)?;
        self.guard(|doc| {
            Ok(reconcile_prop(
                &mut doc.doc,
                &record,
                "approval",
                &approval,
            )?)
        })?;
        self.commit(format!("Approved change “{}”", change.title), now)
    }

    /// Records the review of a change once made; only an approved change
    /// can be reviewed.
    pub fn review_planned_change(
        &mut self,
        id: &str,
        date: &str,
        outcome: &str,
        today: &str,
        now: Millis,
    ) -> Result<(), CommandError> {
        let change = self.planned_change(id)?.ok_or(NOT_FOUND)?;
        if change.approval.is_none() {
            return Err(CommandError::NotAllowed(
                "A change is reviewed after it is approved and made.".to_owned(),
            ));
        }
        let mut errors = ValidationErrors::default();
        let date = date.trim();
        if parse_date(date).is_none() {
            errors.push(Field::ChangeReviewDate, "Enter the day as YYYY-MM-DD.");
        } else if date > today {
            errors.push(Field::ChangeReviewDate, "The day cannot be in the future.");
        }
        if outcome.trim().is_empty() {
            errors.push(
                Field::ChangeOutcome,
                "Say whether the change achieved its purpose, and what else it did.",
            );
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let review = ChangeReview {
            date: date.to_owned(),
            outcome: outcome.trim().to_owned(),
            by: self.author().to_owned(),
        };
        let map = self
            .existing_map(ROOT, "planned_changes")
            .ok_or(NOT_FOUND)?;
        let record = self.existing_map(map, id).ok_or(NOT_FOUND)?;
        self.guard(|doc| Ok(reconcile_prop(&mut doc.doc, &record, "review", &review)?))?;
        self.commit(format!("Reviewed change “{}”", change.title), now)
    }
}
