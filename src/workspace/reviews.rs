//! Management reviews (clause 9.3): the schedule, each review's record with
//! the seven inputs of 9.3.2 in the standard's order, the minutes and notes
//! written live, the outputs of 9.3.3 (decisions, actions, the conclusion),
//! and the chair's signed sign-off.
//!
//! Input (a) is built from the workspace: the actions raised by earlier
//! reviews that are still open, or were closed since the review before this
//! one. Other inputs are summarised from the records Charter holds, frozen
//! (with the document heads) when the pack is prepared; where Charter holds
//! nothing yet the section says so and takes notes. A review is signed only
//! when every input has a recorded consideration.
//!
//! The sign-off keeps a copy of what was signed ([`SignedReview`]) with its
//! SHA-256 digest inside the chair's signature: that copy is what is shown
//! and exported, and anything that differs from it afterwards (a late edit,
//! or an offline edit merged later) is listed as changed after sign-off.

use std::collections::BTreeMap;

use automerge::transaction::Transactable;
use automerge::{ObjType, ROOT, ReadDoc, Value};
use autosurgeon::{Hydrate, Reconcile, Text, hydrate_prop, reconcile_prop};
use sha2::{Digest, Sha256};

use crate::workspace::assessment::{ObjectiveStatus, add_months, assessed_health};
use crate::workspace::measurements::{day_number, latest};
use crate::workspace::model::{Workspace, format_number, sort_list};
use crate::workspace::roles::RoleKind;
use crate::workspace::signing::{Act, ActSignature, Trust, Unverified, Verdict};
use crate::workspace::validate::{
    Field, MAX_LONG, MAX_SHORT, ValidationErrors, check_length, parse_date,
};
use crate::workspace::{CommandError, Health, Millis, WorkspaceDoc};

/// One input of clause 9.3.2, (a) to (g).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Input {
    /// (a) the status of actions from previous management reviews.
    A,
    /// (b) changes in external and internal issues relevant to the ISMS.
    B,
    /// (c) changes in needs and expectations of interested parties.
    C,
    /// (d) feedback on the information security performance.
    D,
    /// (e) feedback from interested parties.
    E,
    /// (f) results of risk assessment and status of the risk treatment plan.
    F,
    /// (g) opportunities for continual improvement.
    G,
}

impl Input {
    /// The seven inputs in the standard's order.
    pub const ALL: [Input; 7] = [
        Input::A,
        Input::B,
        Input::C,
        Input::D,
        Input::E,
        Input::F,
        Input::G,
    ];

    /// Its letter, "a" … "g".
    pub fn letter(self) -> &'static str {
        match self {
            Input::A => "a",
            Input::B => "b",
            Input::C => "c",
            Input::D => "d",
            Input::E => "e",
            Input::F => "f",
            Input::G => "g",
        }
    }

    /// The input whose letter is `letter`.
    pub fn from_letter(letter: &str) -> Option<Input> {
        Input::ALL.into_iter().find(|i| i.letter() == letter)
    }

    /// What the standard asks for, in its words.
    pub fn title(self) -> &'static str {
        match self {
            Input::A => "Status of actions from previous management reviews",
            Input::B => "Changes in external and internal issues relevant to the ISMS",
            Input::C => "Changes in needs and expectations of interested parties",
            Input::D => "Information security performance",
            Input::E => "Feedback from interested parties",
            Input::F => "Results of risk assessment and status of the risk treatment plan",
            Input::G => "Opportunities for continual improvement",
        }
    }

    /// The field of [`Review`] that holds the notes on this input.
    pub fn notes_field(self) -> &'static str {
        match self {
            Input::A => "notes_a",
            Input::B => "notes_b",
            Input::C => "notes_c",
            Input::D => "notes_d",
            Input::E => "notes_e",
            Input::F => "notes_f",
            Input::G => "notes_g",
        }
    }
}

/// The review's long texts, edited live: the minutes and one set of notes
/// per input.
pub const REVIEW_TEXTS: [&str; 8] = [
    "minutes", "notes_a", "notes_b", "notes_c", "notes_d", "notes_e", "notes_f", "notes_g",
];

/// Longest minutes or notes accepted, in characters.
pub const MAX_REVIEW_TEXT: usize = 100_000;

/// One management review.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Review {
    /// "MR-2026-01": the year of the meeting and its number in that year.
    #[autosurgeon(missing = "Default::default")]
    pub reference: String,
    /// The day of the meeting (YYYY-MM-DD).
    #[autosurgeon(missing = "Default::default")]
    pub date: String,
    /// Who chairs it (a People record id).
    #[autosurgeon(missing = "Default::default")]
    pub chair: String,
    /// Who attends besides the chair (People record ids).
    #[autosurgeon(missing = "Default::default")]
    pub attendees: Vec<String>,
    /// When it was planned.
    #[autosurgeon(missing = "Default::default")]
    pub created_at: Millis,
    /// The minutes, written live by everyone.
    #[autosurgeon(missing = "Default::default")]
    pub minutes: Text,
    /// Notes on input (a), written live.
    #[autosurgeon(missing = "Default::default")]
    pub notes_a: Text,
    /// Notes on input (b).
    #[autosurgeon(missing = "Default::default")]
    pub notes_b: Text,
    /// Notes on input (c).
    #[autosurgeon(missing = "Default::default")]
    pub notes_c: Text,
    /// Notes on input (d).
    #[autosurgeon(missing = "Default::default")]
    pub notes_d: Text,
    /// Notes on input (e).
    #[autosurgeon(missing = "Default::default")]
    pub notes_e: Text,
    /// Notes on input (f).
    #[autosurgeon(missing = "Default::default")]
    pub notes_f: Text,
    /// Notes on input (g).
    #[autosurgeon(missing = "Default::default")]
    pub notes_g: Text,
    /// The input being discussed now (its letter), "" before the meeting
    /// starts: the chair leads the agenda, the others follow.
    #[autosurgeon(missing = "Default::default")]
    pub discussing: String,
    /// The summaries frozen when the pack was prepared.
    #[autosurgeon(missing = "Default::default")]
    pub prepared: Option<Prepared>,
    /// Decisions (9.3.3) by id.
    #[autosurgeon(missing = "Default::default")]
    pub decisions: BTreeMap<String, Decision>,
    /// Whether the ISMS remains suitable, adequate and effective.
    #[autosurgeon(missing = "Default::default")]
    pub conclusion: Conclusion,
    /// The chair's sign-off of the current revision, once given.
    #[autosurgeon(missing = "Default::default")]
    pub signoff: Option<SignOff>,
    /// Earlier signed revisions, kept when a new revision was opened.
    #[autosurgeon(missing = "Default::default")]
    pub former: Vec<SignOff>,
}

impl Review {
    /// The notes on `input` as they stand.
    pub fn notes(&self, input: Input) -> &str {
        match input {
            Input::A => self.notes_a.as_str(),
            Input::B => self.notes_b.as_str(),
            Input::C => self.notes_c.as_str(),
            Input::D => self.notes_d.as_str(),
            Input::E => self.notes_e.as_str(),
            Input::F => self.notes_f.as_str(),
            Input::G => self.notes_g.as_str(),
        }
    }

    /// The long text stored under `field` (one of [`REVIEW_TEXTS`]).
    pub fn text_mut(&mut self, field: &str) -> Option<&mut Text> {
        Some(match field {
            "minutes" => &mut self.minutes,
            "notes_a" => &mut self.notes_a,
            "notes_b" => &mut self.notes_b,
            "notes_c" => &mut self.notes_c,
            "notes_d" => &mut self.notes_d,
            "notes_e" => &mut self.notes_e,
            "notes_f" => &mut self.notes_f,
            "notes_g" => &mut self.notes_g,
            _ => return None,
        })
    }

    /// The revision being worked on: 1, or more once new revisions were opened.
    pub fn revision(&self) -> usize {
        self.former.len() + 1
    }

    /// Whether the current revision is signed.
    pub fn is_signed(&self) -> bool {
        self.signoff.is_some()
    }
}

/// The inputs' summaries as Charter could give them when the pack was prepared.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Prepared {
    /// When.
    #[autosurgeon(missing = "Default::default")]
    pub at: Millis,
    /// Who prepared it (display name).
    #[autosurgeon(missing = "Default::default")]
    pub by: String,
    /// The document heads the summaries were read at (hex).
    #[autosurgeon(missing = "Default::default")]
    pub heads: Vec<String>,
    /// One summary per input letter.
    #[autosurgeon(missing = "Default::default")]
    pub summaries: BTreeMap<String, Summary>,
}

/// What the workspace says about one input.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Summary {
    /// Whether Charter holds records for this input; when it does not, the
    /// lines say so and the notes carry the input.
    #[autosurgeon(missing = "Default::default")]
    pub known: bool,
    /// The summary, a line each.
    #[autosurgeon(missing = "Default::default")]
    pub lines: Vec<SummaryLine>,
}

/// One line of a summary, with the live record it comes from.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct SummaryLine {
    /// The line.
    #[autosurgeon(missing = "Default::default")]
    pub text: String,
    /// The section and anchor of the record it is about
    /// ("objectives#record-<id>"), or "".
    #[autosurgeon(missing = "Default::default")]
    pub link: String,
}

/// What kind of decision (9.3.3).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Reconcile, Hydrate)]
pub enum DecisionKind {
    /// On a continual improvement opportunity.
    #[default]
    Improvement,
    /// On a change to the ISMS.
    Change,
    /// On resources.
    Resources,
}

impl DecisionKind {
    /// Every kind, in the order the form offers them.
    pub const ALL: [DecisionKind; 3] = [
        DecisionKind::Improvement,
        DecisionKind::Change,
        DecisionKind::Resources,
    ];

    /// The kind in words.
    pub fn label(self) -> &'static str {
        match self {
            DecisionKind::Improvement => "Continual improvement",
            DecisionKind::Change => "Change to the ISMS",
            DecisionKind::Resources => "Resources",
        }
    }

    /// A stable name for forms.
    pub fn slug(self) -> &'static str {
        match self {
            DecisionKind::Improvement => "improvement",
            DecisionKind::Change => "change",
            DecisionKind::Resources => "resources",
        }
    }

    /// The kind named `slug`.
    pub fn from_slug(slug: &str) -> Option<DecisionKind> {
        DecisionKind::ALL.into_iter().find(|k| k.slug() == slug)
    }
}

/// A decision of the review.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Decision {
    /// What was decided.
    #[autosurgeon(missing = "Default::default")]
    pub text: String,
    /// What it is about.
    #[autosurgeon(missing = "Default::default")]
    pub kind: DecisionKind,
    /// The inputs it answers (letters): each counts as considered.
    #[autosurgeon(missing = "Default::default")]
    pub inputs: Vec<String>,
    /// When it was recorded.
    #[autosurgeon(missing = "Default::default")]
    pub created_at: Millis,
    /// Who recorded it (display name).
    #[autosurgeon(missing = "Default::default")]
    pub by: String,
}

/// The review's conclusion on the ISMS (9.3.3, and 9.3's purpose).
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Conclusion {
    /// Whether it remains suitable; `None` until answered.
    #[autosurgeon(missing = "Default::default")]
    pub suitable: Option<bool>,
    /// Whether it remains adequate.
    #[autosurgeon(missing = "Default::default")]
    pub adequate: Option<bool>,
    /// Whether it remains effective.
    #[autosurgeon(missing = "Default::default")]
    pub effective: Option<bool>,
    /// The conclusion in words.
    #[autosurgeon(missing = "Default::default")]
    pub statement: String,
}

impl Conclusion {
    /// Whether all three questions are answered and the statement written.
    pub fn is_complete(&self) -> bool {
        self.suitable.is_some()
            && self.adequate.is_some()
            && self.effective.is_some()
            && !self.statement.trim().is_empty()
    }
}

/// The chair's sign-off of one revision.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct SignOff {
    /// Which revision, from 1.
    #[autosurgeon(missing = "Default::default")]
    pub revision: u32,
    /// What was signed, as it was.
    #[autosurgeon(missing = "Default::default")]
    pub content: SignedReview,
    /// SHA-256 (hex) of [`content_digest`]'s canonical bytes of `content`.
    #[autosurgeon(missing = "Default::default")]
    pub digest: String,
    /// The chair's signature, over the digest and the document heads.
    #[autosurgeon(missing = "Default::default")]
    pub signature: ActSignature,
    /// When it was signed.
    #[autosurgeon(missing = "Default::default")]
    pub at: Millis,
}

/// A review's content as signed: the record with the actions it raised.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct SignedReview {
    /// The reference.
    #[autosurgeon(missing = "Default::default")]
    pub reference: String,
    /// The meeting day.
    #[autosurgeon(missing = "Default::default")]
    pub date: String,
    /// The chair (person id).
    #[autosurgeon(missing = "Default::default")]
    pub chair: String,
    /// The attendees (person ids).
    #[autosurgeon(missing = "Default::default")]
    pub attendees: Vec<String>,
    /// The minutes.
    #[autosurgeon(missing = "Default::default")]
    pub minutes: String,
    /// The notes by input letter.
    #[autosurgeon(missing = "Default::default")]
    pub notes: BTreeMap<String, String>,
    /// The prepared summaries.
    #[autosurgeon(missing = "Default::default")]
    pub prepared: Option<Prepared>,
    /// The decisions by id.
    #[autosurgeon(missing = "Default::default")]
    pub decisions: BTreeMap<String, Decision>,
    /// The actions raised, by id, as decided.
    #[autosurgeon(missing = "Default::default")]
    pub actions: BTreeMap<String, SignedAction>,
    /// The conclusion.
    #[autosurgeon(missing = "Default::default")]
    pub conclusion: Conclusion,
}

/// An action as the review decided it (its later progress is not part of
/// the signed record).
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct SignedAction {
    /// What is to be done.
    #[autosurgeon(missing = "Default::default")]
    pub title: String,
    /// Who owns it (person id).
    #[autosurgeon(missing = "Default::default")]
    pub owner: String,
    /// By when.
    #[autosurgeon(missing = "Default::default")]
    pub due: String,
}

/// Where an action stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Reconcile, Hydrate)]
pub enum ActionStatus {
    /// Not started.
    #[default]
    Open,
    /// Under way.
    InProgress,
    /// Done.
    Done,
    /// Dropped, with a reason.
    Dropped,
}

impl ActionStatus {
    /// Every status, in the order the form offers them.
    pub const ALL: [ActionStatus; 4] = [
        ActionStatus::Open,
        ActionStatus::InProgress,
        ActionStatus::Done,
        ActionStatus::Dropped,
    ];

    /// The status in words.
    pub fn label(self) -> &'static str {
        match self {
            ActionStatus::Open => "Open",
            ActionStatus::InProgress => "In progress",
            ActionStatus::Done => "Done",
            ActionStatus::Dropped => "Dropped",
        }
    }

    /// A stable name for forms and CSS.
    pub fn slug(self) -> &'static str {
        match self {
            ActionStatus::Open => "open",
            ActionStatus::InProgress => "in-progress",
            ActionStatus::Done => "done",
            ActionStatus::Dropped => "dropped",
        }
    }

    /// The status named `slug`.
    pub fn from_slug(slug: &str) -> Option<ActionStatus> {
        ActionStatus::ALL.into_iter().find(|s| s.slug() == slug)
    }

    /// Whether work on it is still expected.
    pub fn is_open(self) -> bool {
        matches!(self, ActionStatus::Open | ActionStatus::InProgress)
    }
}

/// An action decided by a management review.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Action {
    /// What is to be done.
    #[autosurgeon(missing = "Default::default")]
    pub title: String,
    /// Who owns it (a People record id).
    #[autosurgeon(missing = "Default::default")]
    pub owner: String,
    /// By when (YYYY-MM-DD).
    #[autosurgeon(missing = "Default::default")]
    pub due: String,
    /// Where it stands.
    #[autosurgeon(missing = "Default::default")]
    pub status: ActionStatus,
    /// The day it was done or dropped (YYYY-MM-DD), once closed.
    #[autosurgeon(missing = "Default::default")]
    pub closed_on: Option<String>,
    /// The review that raised it (id).
    #[autosurgeon(missing = "Default::default")]
    pub review: String,
    /// The decision it carries out (id in that review), if any.
    #[autosurgeon(missing = "Default::default")]
    pub decision: String,
    /// When it was recorded.
    #[autosurgeon(missing = "Default::default")]
    pub created_at: Millis,
    /// Its progress since the review that raised it, by id.
    #[autosurgeon(missing = "Default::default")]
    pub updates: BTreeMap<String, ActionUpdate>,
}

impl Action {
    /// Its updates, oldest first.
    pub fn updates_in_order(&self) -> Vec<&ActionUpdate> {
        let mut list: Vec<&ActionUpdate> = self.updates.values().collect();
        sort_list(&mut list, |a, b| a.date.cmp(&b.date).then(a.at.cmp(&b.at)));
        list
    }

    /// Whether it is open and past its due date on `today`.
    pub fn overdue(&self, today: &str) -> bool {
        self.status.is_open() && !self.due.is_empty() && self.due.as_str() < today
    }
}

/// One step of an action's progress.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct ActionUpdate {
    /// The day it happened (YYYY-MM-DD).
    #[autosurgeon(missing = "Default::default")]
    pub date: String,
    /// The status it moved to.
    #[autosurgeon(missing = "Default::default")]
    pub status: ActionStatus,
    /// What was done, or why.
    #[autosurgeon(missing = "Default::default")]
    pub note: String,
    /// Who recorded it (display name).
    #[autosurgeon(missing = "Default::default")]
    pub by: String,
    /// When it was recorded.
    #[autosurgeon(missing = "Default::default")]
    pub at: Millis,
}

/// A review as typed into the planning form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReviewDraft {
    /// The meeting day as typed.
    pub date: String,
    /// The chair (person id).
    pub chair: String,
    /// The attendees (person ids).
    pub attendees: Vec<String>,
}

impl ReviewDraft {
    /// Checks the draft against the people it names: a review cannot be
    /// planned without a chair.
    pub fn validate(
        &self,
        ws: &Workspace,
    ) -> Result<(String, String, Vec<String>), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let date = self.date.trim();
        if parse_date(date).is_none() {
            errors.push(
                Field::ReviewDate,
                "Enter the day of the meeting as YYYY-MM-DD.",
            );
        }
        let current = |id: &str| ws.people.get(id).is_some_and(|p| p.archived.is_none());
        if self.chair.is_empty() {
            errors.push(
                Field::ReviewChair,
                "Choose who chairs the review: a review cannot be planned without a chair.",
            );
        } else if !current(&self.chair) {
            errors.push(Field::ReviewChair, "Choose the chair from People.");
        }
        let mut attendees: Vec<String> = Vec::new();
        for id in &self.attendees {
            if *id != self.chair && current(id) && !attendees.contains(id) {
                attendees.push(id.clone());
            }
        }
        errors.into_result((date.to_owned(), self.chair.clone(), attendees))
    }
}

/// An action as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActionDraft {
    /// What is to be done.
    pub title: String,
    /// Who owns it (person id).
    pub owner: String,
    /// By when, as typed.
    pub due: String,
    /// The decision it carries out (id), or "".
    pub decision: String,
}

impl ActionDraft {
    /// Checks the title, the owner and the due date.
    pub fn validate(&self, ws: &Workspace) -> Result<SignedAction, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let title = self.title.trim();
        if title.is_empty() {
            errors.push(Field::ActionTitle, "Say what is to be done.");
        } else {
            check_length(&mut errors, Field::ActionTitle, title, MAX_SHORT * 2);
        }
        if self.owner.is_empty() {
            errors.push(
                Field::ActionOwner,
                "Choose who owns the action: every action needs an owner.",
            );
        } else if ws
            .people
            .get(&self.owner)
            .is_none_or(|p| p.archived.is_some())
        {
            errors.push(Field::ActionOwner, "Choose the owner from People.");
        }
        let due = self.due.trim();
        if due.is_empty() {
            errors.push(
                Field::ActionDue,
                "Enter the due date: every action needs one (YYYY-MM-DD).",
            );
        } else if parse_date(due).is_none() {
            errors.push(Field::ActionDue, "Enter the due date as YYYY-MM-DD.");
        }
        errors.into_result(SignedAction {
            title: title.to_owned(),
            owner: self.owner.clone(),
            due: due.to_owned(),
        })
    }
}

/// A progress update as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActionUpdateDraft {
    /// The status it moves to.
    pub status: ActionStatus,
    /// The note.
    pub note: String,
    /// The day, as typed.
    pub date: String,
}

impl ActionUpdateDraft {
    /// Checks the day (not in the future) and that a dropped action says why.
    pub fn validate(&self, today: &str) -> Result<(String, String), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let date = self.date.trim();
        if parse_date(date).is_none() {
            errors.push(Field::ActionUpdateDate, "Enter the day as YYYY-MM-DD.");
        } else if date > today {
            errors.push(Field::ActionUpdateDate, "The day cannot be in the future.");
        }
        let note = self.note.trim();
        if self.status == ActionStatus::Dropped && note.is_empty() {
            errors.push(Field::ActionNote, "Say why the action is dropped.");
        }
        check_length(&mut errors, Field::ActionNote, note, MAX_LONG);
        errors.into_result((date.to_owned(), note.to_owned()))
    }
}

/// A decision as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DecisionDraft {
    /// What was decided.
    pub text: String,
    /// What it is about.
    pub kind: DecisionKind,
    /// The inputs it answers (letters).
    pub inputs: Vec<String>,
}

impl DecisionDraft {
    /// Checks the text; unknown input letters are dropped.
    pub fn validate(&self) -> Result<(String, Vec<String>), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let text = self.text.trim();
        if text.is_empty() {
            errors.push(Field::DecisionText, "Say what was decided.");
        } else {
            check_length(&mut errors, Field::DecisionText, text, MAX_LONG);
        }
        let inputs = Input::ALL
            .into_iter()
            .map(Input::letter)
            .filter(|l| self.inputs.iter().any(|i| i == l))
            .map(str::to_owned)
            .collect();
        errors.into_result((text.to_owned(), inputs))
    }
}

// ---------------------------------------------------------------------------
// Reading: order, carry-forward, considerations, warnings, the schedule.

/// Reviews by meeting day, then reference: oldest first.
pub fn reviews_in_order(ws: &Workspace) -> Vec<(&String, &Review)> {
    let mut list: Vec<_> = ws.reviews.iter().collect();
    sort_list(&mut list, |(a_id, a), (b_id, b)| {
        (a.date.as_str(), a.reference.as_str(), a_id.as_str()).cmp(&(
            b.date.as_str(),
            b.reference.as_str(),
            b_id.as_str(),
        ))
    });
    list
}

/// The reviews held before review `id` (by meeting day), oldest first.
pub fn earlier_reviews<'a>(ws: &'a Workspace, id: &str) -> Vec<(&'a String, &'a Review)> {
    let list = reviews_in_order(ws);
    let at = list.iter().position(|(i, _)| i.as_str() == id);
    match at {
        Some(at) => list[..at].to_vec(),
        None => Vec::new(),
    }
}

/// One action in a review's input (a).
#[derive(Debug, Clone, PartialEq)]
pub struct CarriedAction<'a> {
    /// The action's id.
    pub id: &'a str,
    /// The action.
    pub action: &'a Action,
    /// The reference of the review that raised it.
    pub raised_in: &'a str,
}

/// Input (a) of review `id`: the actions raised by earlier reviews that are
/// still open, and those closed since the review before this one; open
/// ones first (earliest due first), then the closed ones.
pub fn carried_actions<'a>(ws: &'a Workspace, id: &str) -> Vec<CarriedAction<'a>> {
    let earlier = earlier_reviews(ws, id);
    let Some((_, previous)) = earlier.last() else {
        return Vec::new();
    };
    let previous_date = previous.date.as_str();
    let mut list: Vec<CarriedAction<'a>> = ws
        .actions
        .iter()
        .filter_map(|(action_id, action)| {
            let (_, raised) = earlier.iter().find(|(r, _)| **r == action.review)?;
            let closed_since = action
                .closed_on
                .as_deref()
                .is_some_and(|day| day >= previous_date);
            (action.status.is_open() || closed_since).then_some(CarriedAction {
                id: action_id,
                action,
                raised_in: raised.reference.as_str(),
            })
        })
        .collect();
    sort_list(&mut list, |a, b| {
        (
            !a.action.status.is_open(),
            a.action.due.as_str(),
            a.action.title.as_str(),
            a.id,
        )
            .cmp(&(
                !b.action.status.is_open(),
                b.action.due.as_str(),
                b.action.title.as_str(),
                b.id,
            ))
    });
    list
}

/// The actions raised by review `id`, by due date.
pub fn raised_actions<'a>(ws: &'a Workspace, id: &str) -> Vec<(&'a String, &'a Action)> {
    let mut list: Vec<_> = ws.actions.iter().filter(|(_, a)| a.review == id).collect();
    sort_list(&mut list, |(a_id, a), (b_id, b)| {
        (a.due.as_str(), a.created_at, a_id.as_str()).cmp(&(
            b.due.as_str(),
            b.created_at,
            b_id.as_str(),
        ))
    });
    list
}

/// Whether `input` of `review` has a recorded consideration: a note, or a
/// decision that cites it.
pub fn considered(review: &Review, input: Input) -> bool {
    !review.notes(input).trim().is_empty()
        || review
            .decisions
            .values()
            .any(|d| d.inputs.iter().any(|l| l == input.letter()))
}

/// Why the chair and attendees do not meet 9.3 (top management reviews the
/// ISMS): the chair and at least one attendee must hold Top management.
pub fn role_problems(ws: &Workspace, review: &Review) -> Vec<String> {
    // Held at the meeting, or when the review was recorded: a past review
    // entered afterwards predates the role holdings Charter knows of.
    let moments = [review_moment(review), review.created_at];
    let holds = |person: &str| {
        ws.roles.values().any(|r| {
            r.kind == RoleKind::TopManagement
                && r.archived.is_none()
                && moments.iter().any(|at| r.held_by_at(person, *at))
        })
    };
    let name = |id: &str| {
        ws.people
            .get(id)
            .map_or_else(|| "The chair".to_owned(), |p| p.name.clone())
    };
    let mut problems = Vec::new();
    if !review.chair.is_empty() && !holds(&review.chair) {
        problems.push(format!(
            "{} chairs the review but does not hold the Top management role: the chair must \
             be a member of top management.",
            name(&review.chair)
        ));
    }
    if !review.attendees.iter().any(|a| holds(a)) {
        problems.push(
            "No attendee holds the Top management role: at least one attendee besides the \
             chair must be a member of top management."
                .to_owned(),
        );
    }
    problems
}

/// The moment role holdings are judged at: the end of the meeting day, or
/// now for a review planned ahead (the holders known today).
fn review_moment(review: &Review) -> Millis {
    day_number(&review.date).map_or(Millis::MAX, |d| (d + 1) * 86_400_000 - 1)
}

/// What stops review `id` from being signed, each in words; empty when it
/// can be.
pub fn signoff_blockers(ws: &Workspace, review: &Review) -> Vec<String> {
    let mut blockers = Vec::new();
    if review.prepared.is_none() {
        blockers.push(
            "Prepare the pack first, so the inputs' summaries are recorded with the review."
                .to_owned(),
        );
    }
    let missing: Vec<String> = Input::ALL
        .into_iter()
        .filter(|i| !considered(review, *i))
        .map(|i| format!("({})", i.letter()))
        .collect();
    if !missing.is_empty() {
        blockers.push(format!(
            "Every input needs a recorded consideration, a note or a decision that cites it. \
             Not considered yet: {}.",
            missing.join(", ")
        ));
    }
    if !review.conclusion.is_complete() {
        blockers.push(
            "Record the conclusion: whether the ISMS remains suitable, adequate and effective, \
             and the conclusion in words."
                .to_owned(),
        );
    }
    blockers.extend(role_problems(ws, review));
    blockers
}

/// The content of review `id` as it stands, in the form a sign-off keeps.
pub fn current_content(ws: &Workspace, id: &str, review: &Review) -> SignedReview {
    SignedReview {
        reference: review.reference.clone(),
        date: review.date.clone(),
        chair: review.chair.clone(),
        attendees: review.attendees.clone(),
        minutes: review.minutes.as_str().to_owned(),
        notes: Input::ALL
            .into_iter()
            .map(|i| (i.letter().to_owned(), review.notes(i).to_owned()))
            .collect(),
        prepared: review.prepared.clone(),
        decisions: review.decisions.clone(),
        actions: ws
            .actions
            .iter()
            .filter(|(_, a)| a.review == id)
            .map(|(action_id, a)| {
                (
                    action_id.clone(),
                    SignedAction {
                        title: a.title.clone(),
                        owner: a.owner.clone(),
                        due: a.due.clone(),
                    },
                )
            })
            .collect(),
        conclusion: review.conclusion.clone(),
    }
}

/// The SHA-256 (hex) of `content` in a canonical form: every field,
/// length-prefixed, in a fixed order. Part of what the chair signs.
pub fn content_digest(content: &SignedReview) -> String {
    let mut hash = Sha256::new();
    let mut put = |text: &str| {
        hash.update((text.len() as u64).to_le_bytes());
        hash.update(text.as_bytes());
    };
    put("charter/v1/review");
    put(&content.reference);
    put(&content.date);
    put(&content.chair);
    put(&content.attendees.join("\n"));
    put(&content.minutes);
    for (letter, notes) in &content.notes {
        put(letter);
        put(notes);
    }
    match &content.prepared {
        Some(prepared) => {
            put(&prepared.at.to_string());
            put(&prepared.by);
            put(&prepared.heads.join(","));
            for (letter, summary) in &prepared.summaries {
                put(letter);
                put(if summary.known { "known" } else { "unknown" });
                for line in &summary.lines {
                    put(&line.text);
                    put(&line.link);
                }
            }
        }
        None => put("not prepared"),
    }
    for (id, decision) in &content.decisions {
        put(id);
        put(&decision.text);
        put(decision.kind.slug());
        put(&decision.inputs.join(","));
        put(&decision.created_at.to_string());
        put(&decision.by);
    }
    for (id, action) in &content.actions {
        put(id);
        put(&action.title);
        put(&action.owner);
        put(&action.due);
    }
    let answer = |a: Option<bool>| match a {
        Some(true) => "yes",
        Some(false) => "no",
        None => "unanswered",
    };
    put(answer(content.conclusion.suitable));
    put(answer(content.conclusion.adequate));
    put(answer(content.conclusion.effective));
    put(&content.conclusion.statement);
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The parts of review `id` that differ from what was signed, in words
/// ("The minutes", "Notes on input (b)", "Decision “…”"); empty when it is
/// as signed or not signed.
pub fn changed_after_signoff(ws: &Workspace, id: &str, review: &Review) -> Vec<String> {
    let Some(signoff) = &review.signoff else {
        return Vec::new();
    };
    let signed = &signoff.content;
    let now = current_content(ws, id, review);
    let mut parts = Vec::new();
    if (&now.reference, &now.date, &now.chair, &now.attendees)
        != (
            &signed.reference,
            &signed.date,
            &signed.chair,
            &signed.attendees,
        )
    {
        parts.push("The meeting's day, chair or attendees".to_owned());
    }
    if now.prepared != signed.prepared {
        parts.push("The prepared summaries".to_owned());
    }
    for input in Input::ALL {
        if now.notes.get(input.letter()) != signed.notes.get(input.letter()) {
            parts.push(format!("Notes on input ({})", input.letter()));
        }
    }
    if now.minutes != signed.minutes {
        parts.push("The minutes".to_owned());
    }
    for (decision_id, decision) in &now.decisions {
        if signed.decisions.get(decision_id) != Some(decision) {
            parts.push(format!("Decision “{}”", short(&decision.text)));
        }
    }
    for (decision_id, decision) in &signed.decisions {
        if !now.decisions.contains_key(decision_id) {
            parts.push(format!("Decision “{}” (removed)", short(&decision.text)));
        }
    }
    for (action_id, action) in &now.actions {
        if signed.actions.get(action_id) != Some(action) {
            parts.push(format!("Action “{}”", short(&action.title)));
        }
    }
    if now.conclusion != signed.conclusion {
        parts.push("The conclusion".to_owned());
    }
    parts
}

/// The first words of `text`, for a label.
fn short(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    if line.chars().count() > 60 {
        let cut: String = line.chars().take(57).collect();
        format!("{cut}…")
    } else {
        line.to_owned()
    }
}

/// Checks a review's sign-off: the copy must match its digest and the
/// signature must verify (key confirmed, the signer in Top management).
pub fn verify_signoff(trust: &Trust<'_>, id: &str, signoff: &SignOff) -> Verdict {
    if content_digest(&signoff.content) != signoff.digest {
        return Verdict::Unverified(Unverified::Altered);
    }
    trust.verify(
        &Act::ReviewSignOff {
            review: id,
            revision: signoff.revision,
            digest: &signoff.digest,
        },
        Some(&signoff.signature),
    )
}

/// The review schedule: how often, and when the next review is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// The planned interval in months, if set.
    pub every_months: Option<u32>,
    /// The last review held (signed, or its day passed), if any.
    pub last_held: Option<String>,
    /// The next review planned (id and day), if one is.
    pub planned: Option<(String, String)>,
    /// When the next review is due: the planned one's day, or the last one
    /// plus the interval, or the workspace's start plus the interval.
    pub due: Option<String>,
    /// Whether `due` has passed with no review signed since.
    pub overdue: bool,
}

/// The schedule on `today`. A review counts as held once it is signed or
/// its day has passed (a past review not signed yet shows as such in the
/// list); the next is the first one planned from today on.
pub fn schedule(ws: &Workspace, today: &str) -> Schedule {
    let every = ws.meta.review_every_months.filter(|m| *m > 0);
    let list = reviews_in_order(ws);
    let held = |r: &Review| r.signoff.is_some() || !r.former.is_empty() || r.date.as_str() < today;
    let last_held = list
        .iter()
        .rev()
        .find(|(_, r)| held(r))
        .map(|(_, r)| r.date.clone());
    let planned = list
        .iter()
        .find(|(_, r)| !held(r))
        .map(|(id, r)| ((*id).clone(), r.date.clone()));
    let from_interval = every.and_then(|months| {
        let start = last_held
            .clone()
            .unwrap_or_else(|| crate::workspace::measurements::date_of(ws.meta.created_at));
        add_months(&start, months)
    });
    // A review planned later than the interval allows is still late.
    let due = match (&planned, from_interval) {
        (Some((_, day)), Some(interval)) => Some(day.clone().min(interval)),
        (Some((_, day)), None) => Some(day.clone()),
        (None, interval) => interval,
    };
    let overdue = due.as_deref().is_some_and(|d| d < today);
    Schedule {
        every_months: every,
        last_held,
        planned,
        due,
        overdue,
    }
}

/// The references more than one review has. Each review takes the next free
/// number of its year when it is planned; two people planning reviews apart
/// (offline, or in copies merged later) can take the same one.
pub fn shared_references(ws: &Workspace) -> std::collections::BTreeSet<String> {
    let mut seen = std::collections::BTreeSet::new();
    ws.reviews
        .values()
        .filter(|r| !seen.insert(r.reference.as_str()))
        .map(|r| r.reference.clone())
        .collect()
}

/// The reference the next review of the year of `date` gets: "MR-2026-03".
pub fn next_reference(ws: &Workspace, date: &str) -> String {
    let year = date.get(..4).unwrap_or("0000");
    let prefix = format!("MR-{year}-");
    let highest = ws
        .reviews
        .values()
        .filter_map(|r| r.reference.strip_prefix(&prefix)?.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    format!("{prefix}{:02}", highest + 1)
}

// ---------------------------------------------------------------------------
// The inputs' summaries, from what the workspace holds.

fn line(text: String, link: String) -> SummaryLine {
    SummaryLine { text, link }
}

fn not_held(what: &str) -> Summary {
    Summary {
        known: false,
        lines: vec![line(
            format!(
                "Charter does not hold {what} yet: record what the review considered in the notes."
            ),
            String::new(),
        )],
    }
}

/// Input d(1): nonconformities and corrective actions, since the review
/// before (`since`, YYYY-MM-DD, exclusive) and by quarter.
fn nonconformity_lines(ws: &Workspace, since: &str, today: &str) -> Vec<SummaryLine> {
    use crate::workspace::nonconformities::trend;
    if ws.nonconformities.is_empty() {
        return vec![line(
            "Nonconformities and corrective actions: none recorded.".to_owned(),
            String::new(),
        )];
    }
    let all = ws.nonconformities.values();
    let open = all.clone().filter(|n| n.is_open()).count();
    let major = all.clone().filter(|n| n.is_open() && n.major).count();
    let overdue = all.clone().filter(|n| n.overdue(today)).count();
    let raised = all
        .clone()
        .filter(|n| n.raised.as_str() > since && n.raised.as_str() <= today)
        .count();
    let closed = all
        .filter_map(|n| n.closed.as_ref())
        .filter(|c| c.date.as_str() > since && c.date.as_str() <= today)
        .count();
    let quarters: Vec<String> = trend(ws, 4, today)
        .into_iter()
        .map(|q| format!("{} {} raised, {} closed", q.label, q.raised, q.closed))
        .collect();
    let period = if since.is_empty() {
        "in all"
    } else {
        "since the last review"
    };
    vec![
        line(
            format!(
                "Nonconformities: {open} open ({major} major, {overdue} with the corrective \
                 action overdue); {period} {raised} raised and {closed} closed."
            ),
            String::new(),
        ),
        line(
            format!("Nonconformities by quarter: {}.", quarters.join("; ")),
            String::new(),
        ),
    ]
}

/// Input d(3): the audits whose last day falls since the review before,
/// with their findings and whether they were reported, and what the
/// programme leaves unaudited.
fn audit_lines(ws: &Workspace, since: &str, today: &str) -> Vec<SummaryLine> {
    use crate::workspace::audits::{FindingKind, audits_in_order, coverage};
    if ws.audits.is_empty() {
        return vec![line(
            "Audit results: no internal audit recorded yet.".to_owned(),
            String::new(),
        )];
    }
    let mut out = Vec::new();
    for (_, audit) in audits_in_order(ws)
        .into_iter()
        .rev()
        .filter(|(_, a)| a.end.as_str() > since && a.end.as_str() <= today)
    {
        let counts: Vec<String> = FindingKind::ALL
            .iter()
            .map(|kind| {
                let n = audit.findings.values().filter(|f| f.kind == *kind).count();
                format!("{n} {}", kind.label().to_lowercase())
            })
            .collect();
        let reported = audit.reported.as_ref().map_or_else(
            || "not reported yet".to_owned(),
            |r| format!("reported to {} on {}", r.to, r.date),
        );
        let auditor = ws
            .people
            .get(&audit.auditor)
            .map_or("no auditor", |p| p.name.as_str());
        out.push(line(
            format!(
                "Audit results: {} ({}, {auditor}): {}; {reported}.",
                audit.title,
                audit.end,
                counts.join(", ")
            ),
            String::new(),
        ));
    }
    if out.is_empty() {
        out.push(line(
            "Audit results: no internal audit ended since the last review.".to_owned(),
            String::new(),
        ));
    }
    let gaps = coverage(ws, today);
    if !gaps.is_complete() {
        out.push(line(
            format!(
                "Audit programme: over three years, {} clause(s) and {} applicable control(s) \
                 not audited.",
                gaps.clauses.len(),
                gaps.controls.len()
            ),
            String::new(),
        ));
    }
    out
}

/// Each input's summary for review `id` from the workspace as it is on `today`.
pub fn summarise_inputs(ws: &Workspace, id: &str, today: &str) -> BTreeMap<String, Summary> {
    let mut out = BTreeMap::new();
    let name = |person: &str| {
        ws.people
            .get(person)
            .map_or_else(|| "no owner".to_owned(), |p| p.name.clone())
    };
    // (a) actions from previous reviews.
    let carried = carried_actions(ws, id);
    let mut a = Summary {
        known: true,
        lines: Vec::new(),
    };
    if carried.is_empty() {
        a.lines.push(line(
            "No actions from earlier reviews are open or were closed since the last review."
                .to_owned(),
            String::new(),
        ));
    }
    for c in &carried {
        let state = match (c.action.status, &c.action.closed_on) {
            (s, Some(day)) if !s.is_open() => format!("{} on {day}", s.label()),
            (s, _) if c.action.overdue(today) => format!("{}, overdue", s.label()),
            (s, _) => s.label().to_owned(),
        };
        a.lines.push(line(
            format!(
                "{state}: {} ({}, due {}; raised in {})",
                c.action.title,
                name(&c.action.owner),
                c.action.due,
                c.raised_in
            ),
            format!("actions#record-{}", c.id),
        ));
    }
    out.insert("a".to_owned(), a);
    // (b) and (c): what changed in the context since the review before.
    let since = earlier_reviews(ws, id)
        .last()
        .map(|(_, r)| {
            r.signoff
                .as_ref()
                .map_or_else(|| review_moment(r), |s| s.at)
        })
        .unwrap_or(ws.meta.created_at);
    out.insert("b".to_owned(), issues_summary(ws, since));
    out.insert("c".to_owned(), parties_summary(ws, since));
    // (d) performance.
    let day = day_number(today).unwrap_or_default();
    // The review before's day; none before the first review, whose inputs
    // cover everything recorded (audits and nonconformities are often
    // entered with their own, earlier days).
    let since_day = if earlier_reviews(ws, id).is_empty() {
        String::new()
    } else {
        crate::workspace::measurements::date_of(since)
    };
    let mut d = Summary {
        known: true,
        lines: nonconformity_lines(ws, &since_day, today),
    };
    let open = ws.open_objectives();
    let shown: Vec<Health> = open
        .iter()
        .map(|(_, o)| assessed_health(o, day).0)
        .collect();
    let count = |h: Health| shown.iter().filter(|s| **s == h).count();
    for (objective_id, objective) in &open {
        let measured = match latest(objective) {
            Some(m) => format!(
                "latest {}{} on {}",
                format_number(m.value),
                unit_of(&objective.unit),
                m.date
            ),
            None => "not measured yet".to_owned(),
        };
        let target = objective
            .target_label()
            .map_or_else(String::new, |t| format!(", target {t}"));
        // The trend over the measurements, in the direction that is better.
        let trend = crate::workspace::measurements::trend_per_day(objective).map(|slope| {
            let better = match objective.direction {
                crate::workspace::measurements::Direction::AtLeast => slope,
                crate::workspace::measurements::Direction::AtMost => -slope,
            };
            if better.abs() < 1e-9 {
                ", steady"
            } else if better > 0.0 {
                ", improving"
            } else {
                ", worsening"
            }
        });
        d.lines.push(line(
            format!(
                "Monitoring and measurement: {}: {measured}{target}{}; {}",
                objective.title,
                trend.unwrap_or_default(),
                assessed_health(objective, day).0.label().to_lowercase()
            ),
            format!("objectives#record-{objective_id}"),
        ));
    }
    d.lines.extend(audit_lines(ws, &since_day, today));
    let closed = |status: ObjectiveStatus| {
        ws.objectives
            .values()
            .filter(|o| o.status == status)
            .count()
    };
    d.lines.push(line(
        format!(
            "Fulfilment of objectives: {} open ({} on track, {} at risk, {} off track, {} not \
             assessed); {} achieved, {} not achieved, {} withdrawn.",
            open.len(),
            count(Health::OnTrack),
            count(Health::AtRisk),
            count(Health::OffTrack),
            count(Health::NotAssessed),
            closed(ObjectiveStatus::Achieved),
            closed(ObjectiveStatus::NotAchieved),
            closed(ObjectiveStatus::Withdrawn),
        ),
        "objectives".to_owned(),
    ));
    let overview = crate::workspace::overview::Overview::of(ws, today);
    d.lines.push(line(
        format!(
            "Policies: {} due for review; information security policy: {}.",
            overview.policies_due,
            match overview.policy_in_force {
                crate::workspace::policies::PolicyInForce::None => "none in force",
                _ => "in force",
            }
        ),
        "policies".to_owned(),
    ));
    if let Some(completion) = overview.training {
        d.lines.push(line(
            format!(
                "Training completion: {} of mandatory training.",
                crate::workspace::overview::percent_label(completion)
            ),
            "training".to_owned(),
        ));
    }
    for total in &overview.budget {
        d.lines.push(line(
            format!(
                "Budget {}: {} requested, {} approved, {} spent.",
                total.year,
                crate::workspace::resources::money_label(total.requested, &total.currency),
                crate::workspace::resources::money_label(total.approved, &total.currency),
                crate::workspace::resources::money_label(total.spent, &total.currency),
            ),
            "resources".to_owned(),
        ));
    }
    out.insert("d".to_owned(), d);
    out.insert("e".to_owned(), not_held("feedback from interested parties"));
    out.insert("f".to_owned(), risks_summary(ws, today));
    // (g) where the workspace already points at improvements.
    let mut g = Summary {
        known: true,
        lines: Vec::new(),
    };
    if overview.competence_gaps > 0 {
        g.lines.push(line(
            format!(
                "Competence: {} role holders without the competence their role needs.",
                overview.competence_gaps
            ),
            "roles#competence".to_owned(),
        ));
    }
    if overview.raci_warnings > 0 {
        g.lines.push(line(
            format!(
                "Responsibilities: {} warnings in the RACI matrix.",
                overview.raci_warnings
            ),
            "roles#raci".to_owned(),
        ));
    }
    let proposals: Vec<&crate::workspace::nonconformities::Improvement> = ws
        .improvements
        .values()
        .filter(|i| i.status.is_open())
        .collect();
    if !proposals.is_empty() {
        g.lines.push(line(
            format!(
                "Improvement log: {} open ({} proposed, {} under way).",
                proposals.len(),
                proposals
                    .iter()
                    .filter(|i| i.status
                        == crate::workspace::nonconformities::ImprovementStatus::Proposed)
                    .count(),
                proposals
                    .iter()
                    .filter(|i| i.status
                        == crate::workspace::nonconformities::ImprovementStatus::UnderWay)
                    .count(),
            ),
            String::new(),
        ));
    }
    let off = count(Health::OffTrack) + count(Health::AtRisk);
    if off > 0 {
        g.lines.push(line(
            format!("Objectives: {off} at risk or off track."),
            "objectives".to_owned(),
        ));
    }
    if g.lines.is_empty() {
        g.lines.push(line(
            "Charter found no open gaps; record the opportunities the review sees in the notes."
                .to_owned(),
            String::new(),
        ));
    }
    out.insert("g".to_owned(), g);
    out
}

/// Input (f) from the risk register (6.1.2, 6.1.3, 8.2, 8.3).
fn risks_summary(ws: &Workspace, today: &str) -> Summary {
    use crate::workspace::risks::{
        criteria_or_default, overdue_treatment_actions, reapproval_reasons, top_risks,
    };
    if ws.risks.is_empty() {
        return not_held("the risk assessment and the risk treatment plan (clause 6.1)");
    }
    let (criteria_id, criteria) = criteria_or_default(ws);
    let top = top_risks(ws, today);
    let waiting = ws
        .risks
        .values()
        .filter(|r| !reapproval_reasons(ws, r).is_empty())
        .count();
    let mut lines = vec![line(
        format!(
            "{} risks in the register; {} above the acceptance threshold ({}) after treatment;              criteria {}.",
            ws.risks.len(),
            top.len(),
            criteria.threshold,
            if criteria_id.is_empty() {
                "not approved yet (the defaults apply)".to_owned()
            } else {
                format!("version {} in force", criteria.number)
            }
        ),
        String::new(),
    )];
    for (_, risk) in top.iter().take(5) {
        let owner = ws
            .people
            .get(&risk.owner)
            .map_or("no owner", |p| p.name.as_str());
        lines.push(line(
            format!(
                "Above the threshold: {} (residual level {}, owner {owner}, treatment: {})",
                risk.title,
                risk.residual.level(),
                risk.treatment.label().to_lowercase()
            ),
            String::new(),
        ));
    }
    lines.push(line(
        format!(
            "Treatment plan: {} treatment actions overdue; {} risks whose acceptance is missing              or needs approving again.",
            overdue_treatment_actions(ws, today),
            waiting
        ),
        String::new(),
    ));
    Summary { known: true, lines }
}

/// Input (b) from the issues register (4.1).
fn issues_summary(ws: &Workspace, since: Millis) -> Summary {
    use crate::workspace::context::{current_issues, issues_since};
    let current = current_issues(ws).len();
    if current == 0 && ws.meta.climate.relevant.is_none() {
        return not_held("the organisation's external and internal issues (clause 4.1)");
    }
    let mut lines: Vec<SummaryLine> = issues_since(ws, since)
        .into_iter()
        .map(|(issue_id, i)| {
            let state = if i.archived.is_some() {
                "No longer applies"
            } else if i.created_at > since {
                "New"
            } else {
                "Changed"
            };
            line(
                format!(
                    "{state} ({}): {} Effect: {} (reviewed {})",
                    i.kind.label().to_lowercase(),
                    i.text,
                    i.effect,
                    i.reviewed
                ),
                format!("context#record-{issue_id}"),
            )
        })
        .collect();
    if lines.is_empty() {
        lines.push(line(
            format!("No issue was recorded or changed since the last review ({current} in the register)."),
            "context".to_owned(),
        ));
    }
    let climate = &ws.meta.climate;
    lines.push(line(
        match climate.relevant {
            Some(true) => format!("Climate change is a relevant issue: {}", climate.rationale),
            Some(false) => format!(
                "Climate change is not a relevant issue: {}",
                climate.rationale
            ),
            None => "Whether climate change is a relevant issue is not answered yet.".to_owned(),
        },
        "context".to_owned(),
    ));
    Summary { known: true, lines }
}

/// Input (c) from the interested parties and their requirements (4.2).
fn parties_summary(ws: &Workspace, since: Millis) -> Summary {
    use crate::workspace::context::requirements_since;
    if ws.parties.values().all(|p| p.archived.is_some()) {
        return not_held("the interested parties and their requirements (clause 4.2)");
    }
    let mut lines: Vec<SummaryLine> = requirements_since(ws, since)
        .into_iter()
        .map(|(party, r)| {
            let addressed = if r.addressed {
                format!("addressed in {}", r.addressed_in)
            } else {
                "not addressed by the ISMS".to_owned()
            };
            line(
                format!(
                    "New {} requirement of {party}: {} ({addressed})",
                    r.kind.label().to_lowercase(),
                    r.text
                ),
                "context#parties".to_owned(),
            )
        })
        .collect();
    if lines.is_empty() {
        lines.push(line(
            "No requirement of an interested party was recorded since the last review.".to_owned(),
            "context#parties".to_owned(),
        ));
    }
    Summary { known: true, lines }
}

fn unit_of(unit: &str) -> String {
    match unit {
        "" => String::new(),
        "%" => "%".to_owned(),
        other => format!(" {other}"),
    }
}

/// A group of changes for the pack's "What changed since the last review".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeGroup {
    /// Objectives, Policies, Budget, People in roles.
    pub title: &'static str,
    /// A line each; empty when nothing changed.
    pub lines: Vec<String>,
}

/// What changed between `since` and `until` in objectives, policies, the
/// budget and who holds which role, read from the records' own dates.
pub fn changes_between(ws: &Workspace, since: Millis, until: Millis) -> Vec<ChangeGroup> {
    let within = |at: Millis| at >= since && at <= until;
    let day = crate::workspace::measurements::date_of;
    let mut objectives = Vec::new();
    for (_, o) in ws.objectives_in_order() {
        if within(o.created_at) {
            objectives.push(format!("Added “{}” on {}", o.title, day(o.created_at)));
        }
        if let Some(closing) = o.closing.as_ref().filter(|c| within(c.at)) {
            objectives.push(format!(
                "Closed “{}” as {} on {}",
                o.title,
                o.status.label().to_lowercase(),
                day(closing.at)
            ));
        }
    }
    let mut policies = Vec::new();
    for p in ws.policies.values() {
        for (index, approval) in p.approvals.iter().enumerate() {
            if within(approval.at) {
                policies.push(format!(
                    "Approved version {} of “{}” on {} ({})",
                    index + 1,
                    p.title,
                    day(approval.at),
                    approval.approver_name
                ));
            }
        }
    }
    let mut budget = Vec::new();
    for line in ws.budget.values() {
        if within(line.created_at) {
            budget.push(format!(
                "Requested {} for “{}” ({})",
                crate::workspace::resources::money_label(line.requested, &line.currency),
                line.description,
                line.year
            ));
        }
        if let Some(approval) = line.approval.as_ref().filter(|a| within(a.recorded_at)) {
            budget.push(format!(
                "Approved {} for “{}” on {}",
                crate::workspace::resources::money_label(approval.amount, &line.currency),
                line.description,
                approval.date
            ));
        }
    }
    let mut roles = Vec::new();
    let person = |id: &str| {
        ws.people
            .get(id)
            .map_or_else(|| "Someone".to_owned(), |p| p.name.clone())
    };
    for role in ws.roles.values() {
        for (holder, at) in &role.holders {
            if within(*at) {
                roles.push(format!(
                    "{} took on {} on {}",
                    person(holder),
                    role.kind.label(),
                    day(*at)
                ));
            }
        }
        for holding in role.former.values() {
            if within(holding.until) {
                roles.push(format!(
                    "{} no longer holds {} since {}",
                    person(&holding.person),
                    role.kind.label(),
                    day(holding.until)
                ));
            }
        }
    }
    for list in [&mut objectives, &mut policies, &mut budget, &mut roles] {
        list.sort();
    }
    vec![
        ChangeGroup {
            title: "Objectives",
            lines: objectives,
        },
        ChangeGroup {
            title: "Policies",
            lines: policies,
        },
        ChangeGroup {
            title: "Budget",
            lines: budget,
        },
        ChangeGroup {
            title: "People in roles",
            lines: roles,
        },
    ]
}

/// The period "since the last review" for review `id`: from the earlier
/// review's sign-off (or the end of its meeting day), or the workspace's
/// start, to this one's preparation (or now).
pub fn period_of(ws: &Workspace, id: &str, review: &Review, now: Millis) -> (Millis, Millis) {
    let since = earlier_reviews(ws, id)
        .last()
        .map(|(_, r)| {
            r.signoff
                .as_ref()
                .map(|s| s.at)
                .unwrap_or_else(|| review_moment(r))
        })
        .unwrap_or(ws.meta.created_at);
    let until = review.prepared.as_ref().map_or(now, |p| p.at);
    (since, until)
}

// ---------------------------------------------------------------------------
// The Markdown export.

/// Review `id` as a Markdown document: the signed version when it is
/// signed, with `signature` (its verification in words) and the parts
/// changed since; otherwise the record as it stands, marked unsigned.
pub fn review_markdown(ws: &Workspace, id: &str, signature: &str, now: Millis) -> Option<String> {
    let review = ws.reviews.get(id)?;
    let content = match &review.signoff {
        Some(signoff) => signoff.content.clone(),
        None => current_content(ws, id, review),
    };
    let name = |person: &str| {
        ws.people
            .get(person)
            .map_or_else(|| "Unknown person".to_owned(), |p| p.name.clone())
    };
    let mut out = String::new();
    let mut push = |text: &str| {
        out.push_str(text);
        out.push('\n');
    };
    push(&format!(
        "# Management review {} — {}",
        content.reference, ws.meta.organisation
    ));
    push("");
    push(&format!("- Meeting: {}", content.date));
    push(&format!("- Chair: {}", name(&content.chair)));
    let attendees: Vec<String> = content.attendees.iter().map(|a| name(a)).collect();
    push(&format!("- Attendees: {}", attendees.join(", ")));
    push(&format!("- Revision: {}", review.revision()));
    match &review.signoff {
        Some(_) => push(&format!("- Sign-off: {signature}")),
        None => push("- Sign-off: not signed"),
    }
    push("");
    push("## Agenda");
    push("");
    for input in Input::ALL {
        push(&format!(
            "{}. ({}) {}",
            agenda_number(input),
            input.letter(),
            input.title()
        ));
    }
    push(&format!(
        "{}. Decisions, actions and conclusion",
        Input::ALL.len() + 1
    ));
    push("");
    push("## Inputs (clause 9.3.2)");
    for input in Input::ALL {
        push("");
        push(&format!("### ({}) {}", input.letter(), input.title()));
        push("");
        if let Some(summary) = content
            .prepared
            .as_ref()
            .and_then(|p| p.summaries.get(input.letter()))
        {
            for l in &summary.lines {
                push(&format!("- {}", l.text));
            }
            push("");
        }
        let notes = content
            .notes
            .get(input.letter())
            .map(String::as_str)
            .unwrap_or_default();
        if notes.trim().is_empty() {
            push("Notes: none.");
        } else {
            push("Notes:");
            push("");
            push(notes.trim());
        }
    }
    push("");
    push("## Minutes");
    push("");
    if content.minutes.trim().is_empty() {
        push("No minutes recorded.");
    } else {
        push(content.minutes.trim());
    }
    push("");
    push("## Decisions (clause 9.3.3)");
    push("");
    let mut decisions: Vec<&Decision> = content.decisions.values().collect();
    sort_list(&mut decisions, |a, b| a.created_at.cmp(&b.created_at));
    if decisions.is_empty() {
        push("No decisions recorded.");
    }
    for d in decisions {
        let cites: Vec<String> = d.inputs.iter().map(|l| format!("({l})")).collect();
        push(&format!(
            "- **{}**: {}{}",
            d.kind.label(),
            d.text,
            if cites.is_empty() {
                String::new()
            } else {
                format!(" — considers input {}", cites.join(", "))
            }
        ));
    }
    push("");
    push("## Actions");
    push("");
    if content.actions.is_empty() {
        push("No actions raised.");
    } else {
        push("| Action | Owner | Due | Status now |");
        push("|---|---|---|---|");
        for (action_id, a) in &content.actions {
            let status = ws
                .actions
                .get(action_id)
                .map_or("Removed", |live| live.status.label());
            push(&format!(
                "| {} | {} | {} | {} |",
                cell(&a.title),
                cell(&name(&a.owner)),
                a.due,
                status
            ));
        }
    }
    push("");
    push("## Conclusion");
    push("");
    let answer = |a: Option<bool>| match a {
        Some(true) => "Yes",
        Some(false) => "No",
        None => "Not answered",
    };
    push(&format!(
        "- The ISMS remains suitable: {}",
        answer(content.conclusion.suitable)
    ));
    push(&format!(
        "- The ISMS remains adequate: {}",
        answer(content.conclusion.adequate)
    ));
    push(&format!(
        "- The ISMS remains effective: {}",
        answer(content.conclusion.effective)
    ));
    push("");
    if !content.conclusion.statement.trim().is_empty() {
        push(content.conclusion.statement.trim());
        push("");
    }
    let changed = changed_after_signoff(ws, id, review);
    if !changed.is_empty() {
        push("## Changed after sign-off (not part of the signed version)");
        push("");
        for part in changed {
            push(&format!("- {part}"));
        }
        push("");
    }
    push("## What changed since the last review");
    let (since, until) = period_of(ws, id, review, now);
    for group in changes_between(ws, since, until) {
        push("");
        push(&format!("### {}", group.title));
        push("");
        if group.lines.is_empty() {
            push("No changes.");
        }
        for l in group.lines {
            push(&format!("- {l}"));
        }
    }
    Some(out)
}

/// The agenda's number of `input`: 1 for (a) … 7 for (g).
pub fn agenda_number(input: Input) -> usize {
    Input::ALL.iter().position(|i| *i == input).unwrap_or(0) + 1
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

// ---------------------------------------------------------------------------
// Commands.

const NOT_FOUND: CommandError = CommandError::NotFound("management review");
const ACTION_NOT_FOUND: CommandError = CommandError::NotFound("action");

fn signed_already(review: &Review) -> Result<(), CommandError> {
    if review.signoff.is_some() {
        return Err(CommandError::NotAllowed(format!(
            "{} is signed. Open a new revision to change it.",
            review.reference
        )));
    }
    Ok(())
}

impl WorkspaceDoc {
    /// One review, if it exists.
    pub fn review(&self, id: &str) -> Result<Option<Review>, CommandError> {
        let Some(map) = self.existing_map(ROOT, "reviews") else {
            return Ok(None);
        };
        self.hydrate_entry(&map, id)
    }

    /// When the latest sign-off of any review was given, reading only each
    /// review's sign-off time.
    pub fn last_review_signoff(&self) -> Option<Millis> {
        let map = self.existing_map(ROOT, "reviews")?;
        self.doc
            .keys(&map)
            .filter_map(|id| {
                let record = self.existing_map(map.clone(), &id)?;
                let signoff = self.existing_map(record, "signoff")?;
                hydrate_prop::<_, Millis, _, _>(&self.doc, &signoff, "at").ok()
            })
            .max()
    }

    fn existing_review(&self, id: &str) -> Result<Review, CommandError> {
        self.review(id)?.ok_or(NOT_FOUND)
    }

    /// One action, if it exists.
    pub fn action(&self, id: &str) -> Result<Option<Action>, CommandError> {
        let Some(map) = self.existing_map(ROOT, "actions") else {
            return Ok(None);
        };
        self.hydrate_entry(&map, id)
    }

    /// Sets how often management reviews are held; `None` clears it.
    pub fn set_review_interval(
        &mut self,
        months: Option<u32>,
        now: Millis,
    ) -> Result<(), CommandError> {
        if months.is_some_and(|m| m == 0 || m > 36) {
            let mut errors = ValidationErrors::default();
            errors.push(
                Field::ReviewInterval,
                "Enter a number of months from 1 to 36.",
            );
            return Err(errors.into());
        }
        let mut meta = self.meta()?;
        if meta.review_every_months == months {
            return Ok(());
        }
        meta.review_every_months = months;
        self.guard(|doc| Ok(reconcile_prop(&mut doc.doc, ROOT, "meta", &meta)?))?;
        let message = match months {
            Some(m) => format!("Set management reviews to every {m} months"),
            None => "Cleared the management review interval".to_owned(),
        };
        self.commit(message, now)
    }

    /// The references taken so far: the reviews area without its texts.
    fn review_references(&self) -> Result<Workspace, CommandError> {
        let mut existing = Workspace::default();
        if let Some(map) = self.existing_map(ROOT, "reviews") {
            for key in self.doc.keys(&map).collect::<Vec<_>>() {
                if let Some(record) = self.existing_map(map.clone(), &key)
                    && let Some((Value::Scalar(s), _)) = self.doc.get(&record, "reference")?
                    && let automerge::ScalarValue::Str(reference) = s.as_ref()
                {
                    existing.reviews.insert(
                        key,
                        Review {
                            reference: reference.to_string(),
                            ..Default::default()
                        },
                    );
                }
            }
        }
        Ok(existing)
    }

    /// Gives review `id` the next free reference of its year, when another
    /// review has the same one (two people planned reviews apart, and the
    /// copies merged). Refused once signed: the signature covers the
    /// reference. Returns the new reference.
    pub fn renumber_review(&mut self, id: &str, now: Millis) -> Result<String, CommandError> {
        let old = self.existing_review(id)?;
        signed_already(&old)?;
        let existing = self.review_references()?;
        if !shared_references(&existing).contains(&old.reference) {
            return Err(CommandError::NotAllowed(format!(
                "No other review has the reference {}: it stays.",
                old.reference
            )));
        }
        let reference = next_reference(&existing, &old.date);
        let obj = self.review_obj(id)?;
        self.guard(|doc| {
            Ok(reconcile_prop(
                &mut doc.doc,
                &obj,
                "reference",
                reference.as_str(),
            )?)
        })?;
        self.commit(
            format!(
                "Renumbered management review {} to {reference}: another review had the same reference",
                old.reference
            ),
            now,
        )?;
        Ok(reference)
    }

    /// Plans a review and returns its id. The chair is required.
    pub fn plan_review(
        &mut self,
        draft: &ReviewDraft,
        now: Millis,
    ) -> Result<String, CommandError> {
        let ws = self.read_people_of(draft)?;
        let (date, chair, attendees) = draft.validate(&ws)?;
        let existing = self.review_references()?;
        let reference = next_reference(&existing, &date);
        let review = Review {
            reference: reference.clone(),
            date: date.clone(),
            chair,
            attendees,
            created_at: now,
            ..Default::default()
        };
        let id = self.next_id(now);
        self.guard(|doc| {
            let map = doc.map(ROOT, "reviews")?;
            reconcile_prop(&mut doc.doc, &map, id.as_str(), &review)?;
            let record = doc.existing_map(map, &id).ok_or(NOT_FOUND)?;
            // The texts are created as text objects now, so every
            // participant's first keystroke lands in the same object.
            for field in REVIEW_TEXTS {
                if !matches!(
                    doc.doc.get(&record, field)?,
                    Some((Value::Object(ObjType::Text), _))
                ) {
                    doc.doc.put_object(&record, field, ObjType::Text)?;
                }
            }
            Ok(())
        })?;
        self.commit(
            format!("Planned management review {reference} for {date}"),
            now,
        )?;
        Ok(id)
    }

    /// Changes the day, chair or attendees of a review not signed yet.
    pub fn edit_review(
        &mut self,
        id: &str,
        draft: &ReviewDraft,
        now: Millis,
    ) -> Result<(), CommandError> {
        let old = self.existing_review(id)?;
        signed_already(&old)?;
        let ws = self.read_people_of(draft)?;
        let (date, chair, attendees) = draft.validate(&ws)?;
        if (&date, &chair, &attendees) == (&old.date, &old.chair, &old.attendees) {
            return Ok(());
        }
        let obj = self.review_obj(id)?;
        self.guard(|doc| {
            reconcile_prop(&mut doc.doc, &obj, "date", date.as_str())?;
            reconcile_prop(&mut doc.doc, &obj, "chair", chair.as_str())?;
            reconcile_prop(&mut doc.doc, &obj, "attendees", &attendees)?;
            Ok(())
        })?;
        self.commit(
            format!("Changed the meeting of management review {}", old.reference),
            now,
        )
    }

    fn read_people_of(&self, draft: &ReviewDraft) -> Result<Workspace, CommandError> {
        let mut ws = Workspace::default();
        for id in std::iter::once(&draft.chair).chain(&draft.attendees) {
            if let Some(person) = self.person(id)? {
                ws.people.insert(id.clone(), person);
            }
        }
        Ok(ws)
    }

    fn review_obj(&self, id: &str) -> Result<automerge::ObjId, CommandError> {
        let map = self.existing_map(ROOT, "reviews").ok_or(NOT_FOUND)?;
        self.existing_map(map, id).ok_or(NOT_FOUND)
    }

    /// The review's reference and whether it is signed, without its texts:
    /// what a keystroke needs.
    fn review_head(&self, obj: &automerge::ObjId) -> Result<(String, bool), CommandError> {
        let reference: String = hydrate_prop(&self.doc, obj, "reference")?;
        let signed = matches!(
            self.doc.get(obj, "signoff")?,
            Some((Value::Object(ObjType::Map), _))
        );
        Ok((reference, signed))
    }

    /// The text object of `field` (one of [`REVIEW_TEXTS`]) of review `id`.
    pub(crate) fn review_text_obj(
        &self,
        id: &str,
        field: &str,
    ) -> Result<automerge::ObjId, CommandError> {
        if !REVIEW_TEXTS.contains(&field) {
            return Err(NOT_FOUND);
        }
        let obj = self.review_obj(id)?;
        match self.doc.get(&obj, field)? {
            Some((Value::Object(ObjType::Text), text)) => Ok(text),
            _ => Err(CommandError::Unreadable("review text".to_owned())),
        }
    }

    /// One live edit of a review's minutes or notes. Edits after sign-off
    /// are refused here; one made concurrently elsewhere still merges, and
    /// shows as changed after sign-off.
    pub fn splice_review_text(
        &mut self,
        id: &str,
        field: &str,
        pos: usize,
        del: usize,
        insert: &str,
        now: Millis,
    ) -> Result<(), CommandError> {
        let obj = self.review_obj(id)?;
        let (reference, signed) = self.review_head(&obj)?;
        if signed {
            return Err(CommandError::NotAllowed(format!(
                "{reference} is signed. Open a new revision to change it."
            )));
        }
        if del == 0 && insert.is_empty() {
            return Ok(());
        }
        let text = self.review_text_obj(id, field)?;
        let length = self.doc.length(&text);
        if pos.checked_add(del).is_none_or(|end| end > length) {
            return Err(CommandError::NotAllowed(
                "The edit falls outside the text; reload the review and try again.".to_owned(),
            ));
        }
        if length - del + insert.chars().count() > MAX_REVIEW_TEXT {
            return Err(CommandError::NotAllowed(format!(
                "This text is limited to {MAX_REVIEW_TEXT} characters."
            )));
        }
        let del = isize::try_from(del).map_err(|e| CommandError::Document(e.to_string()))?;
        self.guard(|doc| Ok(doc.doc.splice_text(&text, pos, del, insert)?))?;
        let what = match Input::ALL.into_iter().find(|i| i.notes_field() == field) {
            Some(input) => format!("the notes on input ({})", input.letter()),
            None => "the minutes".to_owned(),
        };
        self.commit(
            format!("Edited {what} of management review {reference}"),
            now,
        )
    }

    /// Records which input is being discussed ("" for none).
    pub fn set_discussing(
        &mut self,
        id: &str,
        letter: &str,
        now: Millis,
    ) -> Result<(), CommandError> {
        let obj = self.review_obj(id)?;
        let (reference, _) = self.review_head(&obj)?;
        if !letter.is_empty() && Input::from_letter(letter).is_none() {
            return Err(NOT_FOUND);
        }
        let old: String = hydrate_prop(&self.doc, &obj, "discussing")?;
        if old == letter {
            return Ok(());
        }
        self.guard(|doc| Ok(reconcile_prop(&mut doc.doc, &obj, "discussing", letter)?))?;
        let message = match Input::from_letter(letter) {
            Some(input) => format!(
                "Moved management review {reference} to input ({}): {}",
                input.letter(),
                input.title()
            ),
            None => format!("Closed the agenda of management review {reference}"),
        };
        self.commit(message, now)
    }

    /// Freezes the inputs' summaries (computed by [`summarise_inputs`] from
    /// the workspace as the caller holds it) with the current heads.
    pub fn prepare_review(
        &mut self,
        id: &str,
        summaries: BTreeMap<String, Summary>,
        now: Millis,
    ) -> Result<(), CommandError> {
        let obj = self.review_obj(id)?;
        let (reference, signed) = self.review_head(&obj)?;
        if signed {
            return Err(CommandError::NotAllowed(format!(
                "{reference} is signed. Open a new revision to change it."
            )));
        }
        let prepared = Prepared {
            at: now,
            by: self.author().to_owned(),
            heads: self.heads_hex(),
            summaries,
        };
        self.guard(|doc| Ok(reconcile_prop(&mut doc.doc, &obj, "prepared", &prepared)?))?;
        self.commit(
            format!("Prepared the pack of management review {reference}"),
            now,
        )
    }

    /// Records a decision of review `id`; returns its id.
    pub fn add_decision(
        &mut self,
        id: &str,
        draft: &DecisionDraft,
        now: Millis,
    ) -> Result<String, CommandError> {
        let review = self.existing_review(id)?;
        signed_already(&review)?;
        let (text, inputs) = draft.validate()?;
        let decision = Decision {
            text,
            kind: draft.kind,
            inputs,
            created_at: now,
            by: self.author().to_owned(),
        };
        let decision_id = self.next_id(now);
        let obj = self.review_obj(id)?;
        self.guard(|doc| {
            let decisions = doc.map(obj, "decisions")?;
            Ok(reconcile_prop(
                &mut doc.doc,
                &decisions,
                decision_id.as_str(),
                &decision,
            )?)
        })?;
        self.commit(
            format!(
                "Recorded a decision in management review {}: “{}”",
                review.reference,
                short(&decision.text)
            ),
            now,
        )?;
        Ok(decision_id)
    }

    /// Removes a decision from a review not signed yet (the history keeps it).
    pub fn remove_decision(
        &mut self,
        id: &str,
        decision: &str,
        now: Millis,
    ) -> Result<(), CommandError> {
        let review = self.existing_review(id)?;
        signed_already(&review)?;
        let Some(old) = review.decisions.get(decision) else {
            return Ok(());
        };
        let obj = self.review_obj(id)?;
        self.guard(|doc| {
            let decisions = doc.map(obj, "decisions")?;
            Ok(doc.doc.delete(&decisions, decision)?)
        })?;
        self.commit(
            format!(
                "Removed the decision “{}” from management review {}",
                short(&old.text),
                review.reference
            ),
            now,
        )
    }

    /// Records the conclusion of a review not signed yet.
    pub fn set_conclusion(
        &mut self,
        id: &str,
        conclusion: &Conclusion,
        now: Millis,
    ) -> Result<(), CommandError> {
        let review = self.existing_review(id)?;
        signed_already(&review)?;
        let statement = conclusion.statement.trim();
        let mut errors = ValidationErrors::default();
        check_length(&mut errors, Field::ConclusionStatement, statement, MAX_LONG);
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let conclusion = Conclusion {
            statement: statement.to_owned(),
            ..conclusion.clone()
        };
        if conclusion == review.conclusion {
            return Ok(());
        }
        let obj = self.review_obj(id)?;
        self.guard(|doc| {
            Ok(reconcile_prop(
                &mut doc.doc,
                &obj,
                "conclusion",
                &conclusion,
            )?)
        })?;
        self.commit(
            format!(
                "Recorded the conclusion of management review {}",
                review.reference
            ),
            now,
        )
    }

    /// Raises an action in review `id`; returns its id. An owner and a due
    /// date are required.
    pub fn add_action(
        &mut self,
        id: &str,
        draft: &ActionDraft,
        now: Millis,
    ) -> Result<String, CommandError> {
        let review = self.existing_review(id)?;
        signed_already(&review)?;
        let mut ws = Workspace::default();
        if let Some(person) = self.person(&draft.owner)? {
            ws.people.insert(draft.owner.clone(), person);
        }
        let fields = draft.validate(&ws)?;
        let decision = if review.decisions.contains_key(&draft.decision) {
            draft.decision.clone()
        } else {
            String::new()
        };
        let action = Action {
            title: fields.title,
            owner: fields.owner,
            due: fields.due,
            review: id.to_owned(),
            decision,
            created_at: now,
            ..Default::default()
        };
        let action_id = self.next_id(now);
        self.guard(|doc| {
            let map = doc.map(ROOT, "actions")?;
            reconcile_prop(&mut doc.doc, &map, action_id.as_str(), &action)?;
            let record = doc.existing_map(map, &action_id).ok_or(ACTION_NOT_FOUND)?;
            doc.map(record, "updates")?;
            Ok(())
        })?;
        self.commit(
            format!(
                "Raised action “{}” in management review {} (due {})",
                action.title, review.reference, action.due
            ),
            now,
        )?;
        Ok(action_id)
    }

    /// Changes an action's title, owner or due date.
    pub fn edit_action(
        &mut self,
        action_id: &str,
        draft: &ActionDraft,
        now: Millis,
    ) -> Result<(), CommandError> {
        let old = self.action(action_id)?.ok_or(ACTION_NOT_FOUND)?;
        let mut ws = Workspace::default();
        if let Some(person) = self.person(&draft.owner)? {
            ws.people.insert(draft.owner.clone(), person);
        }
        let fields = draft.validate(&ws)?;
        if (&fields.title, &fields.owner, &fields.due) == (&old.title, &old.owner, &old.due) {
            return Ok(());
        }
        let map = self.existing_map(ROOT, "actions").ok_or(ACTION_NOT_FOUND)?;
        let obj = self.existing_map(map, action_id).ok_or(ACTION_NOT_FOUND)?;
        self.guard(|doc| {
            reconcile_prop(&mut doc.doc, &obj, "title", fields.title.as_str())?;
            reconcile_prop(&mut doc.doc, &obj, "owner", fields.owner.as_str())?;
            reconcile_prop(&mut doc.doc, &obj, "due", fields.due.as_str())?;
            Ok(())
        })?;
        let mut changed = Vec::new();
        if fields.due != old.due {
            changed.push(format!("due {} → {}", old.due, fields.due));
        }
        if fields.owner != old.owner {
            changed.push("owner".to_owned());
        }
        if fields.title != old.title {
            changed.push(format!("title → “{}”", fields.title));
        }
        self.commit(
            format!("Changed action “{}”: {}", old.title, changed.join(", ")),
            now,
        )
    }

    /// Records progress on an action: its new status, a note and the day.
    pub fn update_action(
        &mut self,
        action_id: &str,
        draft: &ActionUpdateDraft,
        today: &str,
        now: Millis,
    ) -> Result<(), CommandError> {
        let old = self.action(action_id)?.ok_or(ACTION_NOT_FOUND)?;
        let (date, note) = draft.validate(today)?;
        if draft.status == old.status && note.is_empty() {
            let mut errors = ValidationErrors::default();
            errors.push(
                Field::ActionNote,
                "Change the status or write what was done.",
            );
            return Err(errors.into());
        }
        let update = ActionUpdate {
            date: date.clone(),
            status: draft.status,
            note,
            by: self.author().to_owned(),
            at: now,
        };
        let closed_on = (!draft.status.is_open()).then(|| date.clone());
        let update_id = self.next_id(now);
        let map = self.existing_map(ROOT, "actions").ok_or(ACTION_NOT_FOUND)?;
        let obj = self.existing_map(map, action_id).ok_or(ACTION_NOT_FOUND)?;
        self.guard(|doc| {
            let updates = doc.map(obj.clone(), "updates")?;
            reconcile_prop(&mut doc.doc, &updates, update_id.as_str(), &update)?;
            reconcile_prop(&mut doc.doc, &obj, "status", draft.status)?;
            reconcile_prop(&mut doc.doc, &obj, "closed_on", &closed_on)?;
            Ok(())
        })?;
        let message = if draft.status == old.status {
            format!("Noted progress on action “{}”", old.title)
        } else {
            format!(
                "Action “{}”: {} → {} on {date}",
                old.title,
                old.status.label(),
                draft.status.label()
            )
        };
        self.commit(message, now)
    }

    /// The chair signs the review: refused until every input is considered,
    /// the conclusion recorded and the roles right, and unless this
    /// browser's key is recorded for the chair. The signature covers a copy
    /// of the record and the actions it raised, and the document heads.
    pub fn sign_off_review(&mut self, id: &str, now: Millis) -> Result<(), CommandError> {
        let review = self.existing_review(id)?;
        signed_already(&review)?;
        let mut ws = Workspace::default();
        for person in std::iter::once(&review.chair).chain(&review.attendees) {
            if let Some(p) = self.person(person)? {
                ws.people.insert(person.clone(), p);
            }
        }
        let records = self.trust_records()?;
        ws.roles = records.roles.clone();
        if self.existing_map(ROOT, "actions").is_some() {
            ws.actions = hydrate_prop(&self.doc, ROOT, "actions")?;
        }
        let blockers = signoff_blockers(&ws, &review);
        if !blockers.is_empty() {
            return Err(CommandError::NotAllowed(blockers.join(" ")));
        }
        let key = self.device_public().ok_or_else(|| {
            CommandError::NotAllowed(
                "This browser has no signing key for this workspace. Reload the page and try again."
                    .to_owned(),
            )
        })?;
        let chair = ws
            .people
            .get(&review.chair)
            .map_or("the chair", |p| p.name.as_str())
            .to_owned();
        match records.keys.get(&key).map(|k| k.person.as_str()) {
            Some(person) if person == review.chair => {}
            Some(other) => {
                let other = self
                    .person(other)?
                    .map_or_else(|| "someone else".to_owned(), |p| p.name);
                return Err(CommandError::NotAllowed(format!(
                    "Only the chair, {chair}, can sign this review; this browser's key is \
                     recorded for {other}."
                )));
            }
            None => {
                return Err(CommandError::NotAllowed(format!(
                    "Only the chair, {chair}, can sign this review. Record this browser's key \
                     for {chair} on the Participants page first."
                )));
            }
        }
        let content = current_content(&ws, id, &review);
        let digest = content_digest(&content);
        let revision = review.revision() as u32;
        let heads = self.heads_hex();
        let signature = self
            .sign_act(
                &Act::ReviewSignOff {
                    review: id,
                    revision,
                    digest: &digest,
                },
                heads,
                now,
            )?
            .ok_or_else(|| CommandError::NotAllowed("This browser cannot sign.".to_owned()))?;
        let signoff = SignOff {
            revision,
            content,
            digest,
            signature,
            at: now,
        };
        let obj = self.review_obj(id)?;
        self.guard(|doc| {
            reconcile_prop(&mut doc.doc, &obj, "signoff", &signoff)?;
            reconcile_prop(&mut doc.doc, &obj, "discussing", "")?;
            Ok(())
        })?;
        self.commit(
            format!(
                "Signed off management review {} (revision {revision})",
                review.reference
            ),
            now,
        )
    }

    /// Opens a new revision of a signed review: the signed one is kept with
    /// its signature, and the record can be changed again until signed anew.
    pub fn open_revision(&mut self, id: &str, now: Millis) -> Result<(), CommandError> {
        let review = self.existing_review(id)?;
        let Some(signoff) = review.signoff.clone() else {
            return Ok(());
        };
        let mut former = review.former.clone();
        former.push(signoff);
        let obj = self.review_obj(id)?;
        self.guard(|doc| {
            reconcile_prop(&mut doc.doc, &obj, "former", &former)?;
            doc.doc.delete(&obj, "signoff")?;
            Ok(())
        })?;
        self.commit(
            format!(
                "Opened revision {} of management review {}",
                former.len() + 1,
                review.reference
            ),
            now,
        )
    }
}
