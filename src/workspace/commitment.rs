//! Leadership commitment (clause 5.1 a–h): the eight duties of top
//! management as a fixed checklist, each with links to the records that
//! evidence it and who confirmed it when. A duty is confirmed only on live
//! evidence or a written justification, and shows as reopened when the
//! evidence it rested on is deleted.

use std::collections::BTreeMap;

use automerge::transaction::Transactable;
use automerge::{ROOT, ReadDoc};
use autosurgeon::{Hydrate, Reconcile, reconcile_prop};

use crate::workspace::model::Workspace;
use crate::workspace::{CommandError, Millis, WorkspaceDoc};

/// One of the eight duties of clause 5.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Duty {
    /// (a) Policy and objectives exist and fit the strategic direction.
    A,
    /// (b) ISMS requirements are integrated into business processes.
    B,
    /// (c) The resources the ISMS needs are available.
    C,
    /// (d) Why security and conformity matter is communicated.
    D,
    /// (e) The ISMS achieves its intended outcomes.
    E,
    /// (f) People are directed and supported to contribute.
    F,
    /// (g) Continual improvement is promoted.
    G,
    /// (h) Other managers are supported to show leadership.
    H,
}

impl Duty {
    /// The eight duties in clause order.
    pub const ALL: [Duty; 8] = [
        Duty::A,
        Duty::B,
        Duty::C,
        Duty::D,
        Duty::E,
        Duty::F,
        Duty::G,
        Duty::H,
    ];

    /// The clause letter, also the key of its record ("a" … "h").
    pub fn letter(self) -> &'static str {
        match self {
            Duty::A => "a",
            Duty::B => "b",
            Duty::C => "c",
            Duty::D => "d",
            Duty::E => "e",
            Duty::F => "f",
            Duty::G => "g",
            Duty::H => "h",
        }
    }

    /// The duty whose [`Duty::letter`] is `letter`.
    pub fn from_letter(letter: &str) -> Option<Duty> {
        Duty::ALL.into_iter().find(|d| d.letter() == letter)
    }

    /// What top management does, in a sentence.
    pub fn label(self) -> &'static str {
        match self {
            Duty::A => {
                "Ensure the information security policy and objectives are established and compatible with the strategic direction of the organisation"
            }
            Duty::B => {
                "Ensure the ISMS requirements are integrated into the organisation's processes"
            }
            Duty::C => "Ensure the resources needed for the ISMS are available",
            Duty::D => {
                "Communicate the importance of effective information security management and of conforming to the ISMS requirements"
            }
            Duty::E => "Ensure the ISMS achieves its intended outcomes",
            Duty::F => "Direct and support persons to contribute to the effectiveness of the ISMS",
            Duty::G => "Promote continual improvement",
            Duty::H => {
                "Support other relevant management roles to demonstrate their leadership as it applies to their areas of responsibility"
            }
        }
    }
}

/// The record behind one duty of the checklist.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct DutyRecord {
    /// Record id (objective, policy, budget line, …) → when it was linked.
    #[autosurgeon(missing = "Default::default")]
    pub evidence: BTreeMap<String, Millis>,
    /// Who confirmed the duty is met, and when; `None` while unconfirmed.
    #[autosurgeon(missing = "Default::default")]
    pub confirmation: Option<Confirmation>,
    /// Why the duty is met although no record evidences it, when that is so.
    #[autosurgeon(missing = "Default::default")]
    pub justification: String,
}

/// Where a duty stands, derived from its record and the workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DutyState {
    /// Not confirmed.
    Open,
    /// Confirmed, with live evidence or a written justification.
    Confirmed,
    /// Confirmed once, but nothing supports it any more: the evidence it
    /// rested on was deleted and there is no justification.
    Reopened,
    /// Confirmed before the last management review was signed: a
    /// confirmation holds until the next review, where top management
    /// confirms it again (issue 11, point 7).
    Lapsed,
}

/// Whether `id` names a record that exists in `ws` (an objective, policy,
/// budget line, training programme, role or person, archived or not).
pub fn record_exists(ws: &Workspace, id: &str) -> bool {
    ws.objectives.contains_key(id)
        || ws.policies.contains_key(id)
        || ws.budget.contains_key(id)
        || ws.trainings.contains_key(id)
        || ws.roles.contains_key(id)
        || ws.people.contains_key(id)
}

/// Whether `record` rests on something: a linked record that still exists,
/// or a justification.
pub fn is_supported(ws: &Workspace, record: &DutyRecord) -> bool {
    !record.justification.trim().is_empty()
        || record.evidence.keys().any(|id| record_exists(ws, id))
}

/// Where `duty` stands in `ws`.
pub fn duty_state(ws: &Workspace, duty: Duty) -> DutyState {
    let Some(record) = ws.commitment.get(duty.letter()) else {
        return DutyState::Open;
    };
    match (&record.confirmation, is_supported(ws, record)) {
        (None, _) => DutyState::Open,
        (Some(_), false) => DutyState::Reopened,
        (Some(c), true) if review_signed_since(ws, c.at).is_some() => DutyState::Lapsed,
        (Some(_), true) => DutyState::Confirmed,
    }
}

/// The meeting day of the first management review signed after `at`, if
/// one was: a duty confirmed at `at` must then be confirmed again.
pub fn review_signed_since(ws: &Workspace, at: Millis) -> Option<&str> {
    ws.reviews
        .values()
        .filter(|r| r.signoff.as_ref().is_some_and(|s| s.at > at))
        .map(|r| r.date.as_str())
        .min()
}

/// A top-management member's confirmation of a duty.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Confirmation {
    /// The confirming actor id (hex).
    #[autosurgeon(missing = "Default::default")]
    pub by: String,
    /// Their display name at the time.
    #[autosurgeon(missing = "Default::default")]
    pub name: String,
    /// When they confirmed it.
    #[autosurgeon(missing = "Default::default")]
    pub at: Millis,
    /// The confirming member's signature, when their browser had a key
    /// ([`crate::workspace::signing`]); the UI says whether it verifies.
    #[autosurgeon(missing = "Default::default")]
    pub signature: Option<crate::workspace::signing::ActSignature>,
}

/// How much of the checklist is confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommitmentProgress {
    /// Duties confirmed.
    pub confirmed: usize,
    /// Duties with at least one evidence link.
    pub evidenced: usize,
    /// Duties in all (eight).
    pub total: usize,
}

impl CommitmentProgress {
    /// Confirmed duties in % of all duties.
    pub fn percent(self) -> f64 {
        self.confirmed as f64 * 100.0 / self.total as f64
    }
}

/// The checklist's progress.
pub fn commitment_progress(ws: &Workspace) -> CommitmentProgress {
    let records = || {
        Duty::ALL
            .into_iter()
            .filter_map(|d| ws.commitment.get(d.letter()))
    };
    CommitmentProgress {
        confirmed: Duty::ALL
            .into_iter()
            .filter(|d| duty_state(ws, *d) == DutyState::Confirmed)
            .count(),
        evidenced: records()
            .filter(|r| r.evidence.keys().any(|id| record_exists(ws, id)))
            .count(),
        total: Duty::ALL.len(),
    }
}

impl WorkspaceDoc {
    /// The stored record of one duty (empty when none is stored yet).
    fn duty_record(&self, duty: Duty) -> Result<DutyRecord, CommandError> {
        let Some(commitment) = self.existing_map(ROOT, "commitment") else {
            return Ok(DutyRecord::default());
        };
        Ok(self
            .hydrate_entry(&commitment, duty.letter())?
            .unwrap_or_default())
    }

    /// Links (`linked`) or unlinks a record as evidence of a duty.
    pub fn set_duty_evidence(
        &mut self,
        duty: Duty,
        record_id: &str,
        linked: bool,
        now: Millis,
    ) -> Result<(), CommandError> {
        let record = self.duty_record(duty)?;
        if record.evidence.contains_key(record_id) == linked {
            return Ok(());
        }
        self.guard(|ws| {
            let commitment = ws.map(ROOT, "commitment")?;
            let duty_obj = ws.map(commitment, duty.letter())?;
            let evidence = ws.map(duty_obj, "evidence")?;
            if linked {
                Ok(reconcile_prop(&mut ws.doc, &evidence, record_id, now)?)
            } else {
                Ok(ws.doc.delete(&evidence, record_id)?)
            }
        })?;
        let verb = if linked { "Linked" } else { "Unlinked" };
        self.commit(
            format!("{verb} evidence for leadership duty 5.1 {}", duty.letter()),
            now,
        )
    }

    /// Whether a record with this id exists, looked up in each area without
    /// reading any of them whole.
    fn record_exists(&self, id: &str) -> bool {
        [
            "objectives",
            "policies",
            "budget",
            "trainings",
            "roles",
            "people",
        ]
        .into_iter()
        .any(|area| {
            self.existing_map(ROOT, area)
                .is_some_and(|map| matches!(self.doc.get(&map, id), Ok(Some(_))))
        })
    }

    /// Writes why a duty is met although no record evidences it (empty to
    /// remove the justification).
    pub fn set_duty_justification(
        &mut self,
        duty: Duty,
        text: &str,
        now: Millis,
    ) -> Result<(), CommandError> {
        let text = text.trim();
        let mut errors = crate::workspace::ValidationErrors::default();
        crate::workspace::validate::check_length(
            &mut errors,
            crate::workspace::Field::Evidence,
            text,
            crate::workspace::validate::MAX_LONG,
        );
        errors.into_result(())?;
        let record = self.duty_record(duty)?;
        if record.justification == text {
            return Ok(());
        }
        self.guard(|ws| {
            let commitment = ws.map(ROOT, "commitment")?;
            let duty_obj = ws.map(commitment, duty.letter())?;
            Ok(reconcile_prop(
                &mut ws.doc,
                &duty_obj,
                "justification",
                text,
            )?)
        })?;
        let what = if text.is_empty() {
            "Removed the justification"
        } else {
            "Justified"
        };
        self.commit(
            format!("{what} of leadership duty 5.1 {}", duty.letter()),
            now,
        )
    }

    /// Confirms a duty as met (this session's author, now), or with
    /// `confirmed == false` withdraws the confirmation.
    pub fn confirm_duty(
        &mut self,
        duty: Duty,
        confirmed: bool,
        now: Millis,
    ) -> Result<(), CommandError> {
        if confirmed {
            self.require_name("a confirmation")?;
        }
        let record = self.duty_record(duty)?;
        // A confirmation from before the last signed review may be given again.
        let lapsed = record
            .confirmation
            .as_ref()
            .is_some_and(|c| self.last_review_signoff().is_some_and(|at| at > c.at));
        if record.confirmation.is_some() == confirmed && !(confirmed && lapsed) {
            return Ok(());
        }
        if confirmed
            && record.justification.trim().is_empty()
            && !record.evidence.keys().any(|id| self.record_exists(id))
        {
            return Err(CommandError::NotAllowed(
                "Link a record that shows this duty is met, or write why none applies, before \
                 confirming it."
                    .to_owned(),
            ));
        }
        let signature = if confirmed {
            let heads = self.heads_hex();
            self.sign_act(
                &crate::workspace::signing::Act::DutyConfirmation {
                    duty: duty.letter(),
                },
                heads,
                now,
            )?
        } else {
            None
        };
        let confirmation = confirmed.then(|| Confirmation {
            by: self.actor(),
            name: self.author().to_owned(),
            at: now,
            signature,
        });
        self.guard(|ws| {
            let commitment = ws.map(ROOT, "commitment")?;
            let duty_obj = ws.map(commitment, duty.letter())?;
            Ok(reconcile_prop(
                &mut ws.doc,
                &duty_obj,
                "confirmation",
                &confirmation,
            )?)
        })?;
        let message = if confirmed {
            format!("Confirmed leadership duty 5.1 {}", duty.letter())
        } else {
            format!(
                "Withdrew the confirmation of leadership duty 5.1 {}",
                duty.letter()
            )
        };
        self.commit(message, now)
    }
}
