//! Policies (clause 5.2): the information security policy and topic-specific
//! policies, their collaborative body, lifecycle, approvals that freeze the
//! exact approved text, and who has acknowledged which approved version.
//!
//! Lifecycle: Draft → InReview → Approved → Published → Retired. An approval
//! records the document heads, so the approved text can always be read back
//! exactly, however the body changes afterwards.
//!
//! Decision: editing the body of an Approved or Published policy sends it back
//! to Draft (the new text needs a new approval); the earlier approvals and
//! their frozen text stay. Editing the body of a Retired policy is refused.
//! Edits while InReview keep it in review, so reviewers see the changes.

use std::collections::BTreeMap;
use std::str::FromStr;

use automerge::transaction::Transactable;
use automerge::{ChangeHash, ObjId, ObjType, ROOT, ReadDoc, TextEncoding, Value};
use autosurgeon::{Hydrate, Reconcile, Text, reconcile_prop};

use crate::workspace::diff::{DiffOp, diff};
use crate::workspace::model::sort_list;
use crate::workspace::validate::{
    Field, MAX_SHORT, MAX_TITLE, ValidationErrors, check_length, parse_date,
};
use crate::workspace::{CommandError, Millis, WorkspaceDoc};

/// Longest policy body accepted, in characters.
pub const MAX_BODY: usize = 200_000;

const BODY_TOO_LONG: &str = "This policy is too long; split it into topic-specific policies.";

/// Whether a policy is the overall policy or a topic-specific one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Reconcile, Hydrate)]
pub enum PolicyKind {
    /// The information security policy required by clause 5.2.
    #[default]
    InformationSecurity,
    /// A topic-specific policy (access control, backup, …).
    TopicSpecific,
}

impl PolicyKind {
    /// The label a person reads.
    pub fn label(self) -> &'static str {
        match self {
            PolicyKind::InformationSecurity => "Information security policy",
            PolicyKind::TopicSpecific => "Topic-specific policy",
        }
    }
}

/// Where a policy is in its lifecycle.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Reconcile, Hydrate)]
pub enum PolicyStatus {
    /// Being written.
    #[default]
    Draft,
    /// Waiting for approval.
    InReview,
    /// Approved by top management, not yet communicated.
    Approved,
    /// Communicated to the people it concerns.
    Published,
    /// No longer in force.
    Retired,
}

impl PolicyStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [PolicyStatus; 5] = [
        PolicyStatus::Draft,
        PolicyStatus::InReview,
        PolicyStatus::Approved,
        PolicyStatus::Published,
        PolicyStatus::Retired,
    ];

    /// The label a person reads.
    pub fn label(self) -> &'static str {
        match self {
            PolicyStatus::Draft => "Draft",
            PolicyStatus::InReview => "In review",
            PolicyStatus::Approved => "Approved",
            PolicyStatus::Published => "Published",
            PolicyStatus::Retired => "Retired",
        }
    }

    /// Whether a policy may move from `self` to `to`. Entering Approved only
    /// happens through [`WorkspaceDoc::approve_policy`], from InReview.
    pub fn can_become(self, to: PolicyStatus) -> bool {
        use PolicyStatus::*;
        matches!(
            (self, to),
            (Draft, InReview)
                | (Draft, Retired)
                | (InReview, Draft)
                | (InReview, Approved)
                | (Approved, Published)
                | (Approved, Draft)
                | (Published, Draft)
                | (Published, Retired)
                | (Retired, Draft)
        )
    }
}

/// A policy document.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Policy {
    /// The policy's title.
    #[autosurgeon(missing = "Default::default")]
    pub title: String,
    /// Overall or topic-specific.
    #[autosurgeon(missing = "Default::default")]
    pub kind: PolicyKind,
    /// Who owns the policy (a person id or a name).
    #[autosurgeon(missing = "Default::default")]
    pub owner: String,
    /// When it is next due for review (YYYY-MM-DD).
    #[autosurgeon(missing = "Default::default")]
    pub review_due: Option<String>,
    /// The policy text (Markdown), edited collaboratively.
    #[autosurgeon(missing = "Default::default")]
    pub body: Text,
    /// Where it is in its lifecycle.
    #[autosurgeon(missing = "Default::default")]
    pub status: PolicyStatus,
    /// Every approval, oldest first; the index is the approved version number
    /// minus one.
    #[autosurgeon(missing = "Default::default")]
    pub approvals: Vec<Approval>,
    /// When it was added.
    #[autosurgeon(missing = "Default::default")]
    pub created_at: Millis,
    /// Whether it is made available to interested parties (5.2 g), and
    /// where; `None` while nobody has said.
    #[autosurgeon(missing = "Default::default")]
    pub availability: Option<Availability>,
}

/// Whether, and where, a policy is available to interested parties.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Availability {
    /// Whether interested parties may see it.
    #[autosurgeon(missing = "Default::default")]
    pub available: bool,
    /// Where, or to whom, or why not ("On our website", "To customers on request").
    #[autosurgeon(missing = "Default::default")]
    pub note: String,
}

impl Policy {
    /// The index of the newest approval, if it was ever approved.
    pub fn latest_approval(&self) -> Option<usize> {
        self.approvals.len().checked_sub(1)
    }

    /// Whether the review date is before `today` (YYYY-MM-DD; ISO dates sort
    /// as text). Retired policies are never due.
    pub fn review_overdue(&self, today: &str) -> bool {
        self.status != PolicyStatus::Retired
            && self.review_due.as_deref().is_some_and(|due| due < today)
    }
}

/// One approval of a policy by a member of top management.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Approval {
    /// The approver's actor id (hex).
    #[autosurgeon(missing = "Default::default")]
    pub approver: String,
    /// The approver's display name at the time.
    #[autosurgeon(missing = "Default::default")]
    pub approver_name: String,
    /// When it was approved.
    #[autosurgeon(missing = "Default::default")]
    pub at: Millis,
    /// The document heads (hex change hashes) when it was approved.
    #[autosurgeon(missing = "Default::default")]
    pub heads: Vec<String>,
    /// Person id → when that person acknowledged having read this version.
    #[autosurgeon(missing = "Default::default")]
    pub acknowledgements: BTreeMap<String, Millis>,
    /// The approver's signature, when their browser had a key
    /// ([`crate::workspace::signing`]); the UI says whether it verifies.
    #[autosurgeon(missing = "Default::default")]
    pub signature: Option<crate::workspace::signing::ActSignature>,
    /// Person id → the display name of whoever recorded that person's
    /// acknowledgement on their behalf; absent when the person recorded it
    /// themselves, from a device whose key speaks for them.
    #[autosurgeon(missing = "Default::default")]
    pub recorded_by: BTreeMap<String, String>,
    /// For the information security policy: the letters of clause 5.2 a–d
    /// the approver attested ([`CLAUSE_5_2`]); all four, or no approval.
    #[autosurgeon(missing = "Default::default")]
    pub attested: Vec<String>,
    /// SHA-256 (hex) of the text approved, so whether the text changed since
    /// can be told without going back in the history; empty for approvals
    /// recorded before it was kept.
    #[autosurgeon(missing = "Default::default")]
    pub body_sha: String,
}

/// What clause 5.2 a–d requires of the information security policy, each of
/// which top management attests when it approves it, by letter.
pub const CLAUSE_5_2: [(&str, &str); 4] = [
    ("a", "It is appropriate to the purpose of the organisation"),
    (
        "b",
        "It includes information security objectives, or provides the framework for setting them",
    ),
    (
        "c",
        "It includes a commitment to satisfy applicable requirements related to information security",
    ),
    (
        "d",
        "It includes a commitment to continual improvement of the ISMS",
    ),
];

/// Every letter of [`CLAUSE_5_2`]: all four attested.
pub const ATTESTS_5_2: [&str; 4] = ["a", "b", "c", "d"];

/// SHA-256 (hex) of a policy text, as [`Approval::body_sha`] keeps it.
pub fn text_sha(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Which information security policy is in force, derived from the records
/// rather than trusted from one status: an information security policy that
/// was approved and has not been retired. Its latest approved version stays
/// in force while a revision is drafted; the text then differs from it, and
/// the overview says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyInForce {
    /// None is: clause 5.2 is not met.
    None,
    /// Exactly one.
    One {
        /// Its id.
        id: String,
        /// Its title.
        title: String,
        /// The version in force (the latest approval's number).
        version: usize,
        /// Whether its text has changed since that approval; `None` when the
        /// approval predates the text's fingerprint.
        changed: Option<bool>,
    },
    /// More than one, by title: which one applies is unclear.
    Several(Vec<String>),
}

impl PolicyInForce {
    /// Whether this needs top management's attention.
    pub fn needs_attention(&self) -> bool {
        !matches!(
            self,
            PolicyInForce::One {
                changed: Some(false) | None,
                ..
            }
        )
    }
}

/// The information security policy in force among `policies`.
pub fn policy_in_force(policies: &BTreeMap<String, Policy>) -> PolicyInForce {
    let mut in_force: Vec<(&String, &Policy)> = policies
        .iter()
        .filter(|(_, p)| {
            p.kind == PolicyKind::InformationSecurity
                && p.status != PolicyStatus::Retired
                && !p.approvals.is_empty()
        })
        .collect();
    match in_force.len() {
        0 => PolicyInForce::None,
        1 => {
            let (id, policy) = in_force.remove(0);
            let latest = policy.approvals.last();
            let changed = latest
                .filter(|a| !a.body_sha.is_empty())
                .map(|a| a.body_sha != text_sha(policy.body.as_str()));
            PolicyInForce::One {
                id: id.clone(),
                title: policy.title.clone(),
                version: policy.approvals.len(),
                changed,
            }
        }
        _ => {
            let mut titles: Vec<String> = in_force.iter().map(|(_, p)| p.title.clone()).collect();
            sort_list(&mut titles, |a, b| a.to_lowercase().cmp(&b.to_lowercase()));
            PolicyInForce::Several(titles)
        }
    }
}

/// A policy's short fields as typed into the form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PolicyDraft {
    /// Title as typed.
    pub title: String,
    /// The chosen kind.
    pub kind: PolicyKind,
    /// Owner as typed.
    pub owner: String,
    /// Review-due date as typed (YYYY-MM-DD or empty).
    pub review_due: String,
}

/// A policy's short fields once valid.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyFields {
    /// Trimmed, non-empty title.
    pub title: String,
    /// Kind.
    pub kind: PolicyKind,
    /// Trimmed owner.
    pub owner: String,
    /// Review-due date, if any.
    pub review_due: Option<String>,
}

impl PolicyDraft {
    /// Checks every field and returns the clean values or every problem found.
    pub fn validate(&self) -> Result<PolicyFields, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let title = self.title.trim();
        if title.is_empty() {
            errors.push(Field::Title, "Enter a title.");
        } else if title.chars().count() > MAX_TITLE {
            errors.push(Field::Title, "Keep the title under 200 characters.");
        }
        check_length(&mut errors, Field::Owner, self.owner.trim(), MAX_SHORT);
        let due = self.review_due.trim();
        let review_due = if due.is_empty() {
            None
        } else if parse_date(due).is_some() {
            Some(due.to_owned())
        } else {
            errors.push(Field::ReviewDue, "Enter a real date as YYYY-MM-DD.");
            None
        };
        errors.into_result(PolicyFields {
            title: title.to_owned(),
            kind: self.kind,
            owner: self.owner.trim().to_owned(),
            review_due,
        })
    }
}

fn check_body(body: &str) -> Result<(), ValidationErrors> {
    let mut errors = ValidationErrors::default();
    if body.chars().count() > MAX_BODY {
        errors.push(Field::Body, BODY_TOO_LONG);
    }
    errors.into_result(())
}

/// One line of a line diff between two versions of a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffLine {
    /// In both versions.
    Same(String),
    /// Only in the old version.
    Removed(String),
    /// Only in the new version.
    Added(String),
}

/// The line diff from `old` to `new`, lines without their line ending.
pub fn policy_diff(old: &str, new: &str) -> Vec<DiffLine> {
    let lines = |text: &str| -> Vec<String> { text.lines().map(str::to_owned).collect() };
    let (old, new) = (lines(old), lines(new));
    let mut out = Vec::new();
    for op in diff(&old, &new) {
        match op {
            DiffOp::Equal { old: at, len, .. } => {
                out.extend(old[at..at + len].iter().cloned().map(DiffLine::Same));
            }
            DiffOp::Change {
                old: at,
                old_len,
                new: to,
                new_len,
            } => {
                out.extend(old[at..at + old_len].iter().cloned().map(DiffLine::Removed));
                out.extend(new[to..to + new_len].iter().cloned().map(DiffLine::Added));
            }
        }
    }
    out
}

/// One edit of a text: delete `del` units at `pos`, then insert `insert`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Splice {
    /// Where the edit starts, in units of the text encoding.
    pub pos: usize,
    /// How many units it deletes.
    pub del: usize,
    /// What it inserts there.
    pub insert: String,
}

/// The splices, applied in order, that turn `old` into `new`, with positions
/// counted in `encoding`'s units (a character diff, so concurrent edits
/// elsewhere in the text survive a merge).
pub fn text_splices(old: &str, new: &str, encoding: TextEncoding) -> Vec<Splice> {
    let width: fn(char) -> usize = match encoding {
        TextEncoding::UnicodeCodePoint => |_| 1,
        TextEncoding::Utf8CodeUnit => char::len_utf8,
        TextEncoding::Utf16CodeUnit => char::len_utf16,
        // Widths depend on neighbouring characters: replace the whole text.
        _ => {
            return vec![Splice {
                pos: 0,
                del: encoding_len(old, encoding),
                insert: new.to_owned(),
            }];
        }
    };
    // prefix[i]: units before character i; bytes[i]: its byte offset.
    let prefix = |text: &str| -> Vec<usize> {
        std::iter::once(0)
            .chain(text.chars().scan(0, |sum, c| {
                *sum += width(c);
                Some(*sum)
            }))
            .collect()
    };
    let (old_units, new_units) = (prefix(old), prefix(new));
    let new_bytes: Vec<usize> = new
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(new.len()))
        .collect();
    let old_chars: Vec<char> = old.chars().collect();
    let new_chars: Vec<char> = new.chars().collect();
    let mut splices = Vec::new();
    // Every splice leaves the text before it equal to `new`, so a position is
    // the new text's prefix up to the change's new index.
    for op in diff(&old_chars, &new_chars) {
        let DiffOp::Change {
            old: old_index,
            old_len,
            new: new_index,
            new_len,
        } = op
        else {
            continue;
        };
        splices.push(Splice {
            pos: new_units[new_index],
            del: old_units[old_index + old_len] - old_units[old_index],
            insert: new[new_bytes[new_index]..new_bytes[new_index + new_len]].to_owned(),
        });
    }
    splices
}

fn encoding_len(text: &str, encoding: TextEncoding) -> usize {
    match encoding {
        TextEncoding::Utf8CodeUnit => text.len(),
        TextEncoding::Utf16CodeUnit => text.encode_utf16().count(),
        _ => text.chars().count(),
    }
}

/// Policies whose review date is before `today` (YYYY-MM-DD), by id.
pub fn policies_due_for_review<'a>(
    policies: &'a BTreeMap<String, Policy>,
    today: &str,
) -> Vec<(&'a String, &'a Policy)> {
    policies
        .iter()
        .filter(|(_, p)| p.review_overdue(today))
        .collect()
}

const NOT_FOUND: CommandError = CommandError::NotFound("policy");

impl WorkspaceDoc {
    /// One policy, if it exists.
    pub fn policy(&self, id: &str) -> Result<Option<Policy>, CommandError> {
        let Some(policies) = self.existing_map(ROOT, "policies") else {
            return Ok(None);
        };
        self.hydrate_entry(&policies, id)
    }

    fn existing_policy(&self, id: &str) -> Result<Policy, CommandError> {
        self.policy(id)?.ok_or(NOT_FOUND)
    }

    /// A policy with only its title and status read, for commands that need no more.
    fn policy_head(&self, obj: &ObjId) -> Result<Policy, CommandError> {
        Ok(Policy {
            title: self.hydrate_entry(obj, "title")?.unwrap_or_default(),
            status: self.hydrate_entry(obj, "status")?.unwrap_or_default(),
            ..Policy::default()
        })
    }

    fn put_policy(&mut self, id: &str, policy: &Policy) -> Result<(), CommandError> {
        let policies = self.map(ROOT, "policies")?;
        Ok(reconcile_prop(&mut self.doc, &policies, id, policy)?)
    }

    /// Adds a policy in Draft with an initial body and returns its id.
    pub fn add_policy(
        &mut self,
        draft: &PolicyDraft,
        body: &str,
        now: Millis,
    ) -> Result<String, CommandError> {
        let fields = draft.validate()?;
        check_body(body)?;
        let id = self.next_id(now);
        let policy = Policy {
            title: fields.title.clone(),
            kind: fields.kind,
            owner: fields.owner,
            review_due: fields.review_due,
            body: Text::with_value(body),
            created_at: now,
            ..Default::default()
        };
        self.guard(|ws| ws.put_policy(&id, &policy))?;
        self.commit(format!("Added policy “{}”", fields.title), now)?;
        Ok(id)
    }

    /// Changes a policy's title, kind, owner and review date.
    pub fn edit_policy(
        &mut self,
        id: &str,
        draft: &PolicyDraft,
        now: Millis,
    ) -> Result<(), CommandError> {
        let fields = draft.validate()?;
        let old = self.existing_policy(id)?;
        let mut changes = Vec::new();
        if old.title != fields.title {
            changes.push(format!("title “{}” → “{}”", old.title, fields.title));
        }
        if old.kind != fields.kind {
            changes.push(format!("kind {}", fields.kind.label()));
        }
        if old.owner != fields.owner {
            changes.push(format!("owner “{}” → “{}”", old.owner, fields.owner));
        }
        if old.review_due != fields.review_due {
            let show = |d: &Option<String>| d.clone().unwrap_or_else(|| "none".to_owned());
            changes.push(format!(
                "review date {} → {}",
                show(&old.review_due),
                show(&fields.review_due)
            ));
        }
        if changes.is_empty() {
            return Ok(());
        }
        self.guard(|ws| {
            let policy = ws.policy_obj(id)?;
            reconcile_prop(&mut ws.doc, &policy, "title", &fields.title)?;
            reconcile_prop(&mut ws.doc, &policy, "kind", fields.kind)?;
            reconcile_prop(&mut ws.doc, &policy, "owner", &fields.owner)?;
            reconcile_prop(&mut ws.doc, &policy, "review_due", &fields.review_due)?;
            Ok(())
        })?;
        self.commit(
            format!("Changed policy “{}”: {}", old.title, changes.join("; ")),
            now,
        )
    }

    /// Records whether a policy is available to interested parties (5.2 g)
    /// and where (or why not).
    pub fn set_policy_availability(
        &mut self,
        id: &str,
        available: bool,
        note: &str,
        now: Millis,
    ) -> Result<(), CommandError> {
        let note = note.trim();
        let mut errors = crate::workspace::validate::ValidationErrors::default();
        if note.is_empty() {
            errors.push(
                Field::AvailabilityNote,
                if available {
                    "Say where or how interested parties can see it."
                } else {
                    "Say why it is kept internal."
                },
            );
        } else {
            crate::workspace::validate::check_length(
                &mut errors,
                Field::AvailabilityNote,
                note,
                crate::workspace::validate::MAX_SHORT,
            );
        }
        errors.into_result(())?;
        let old = self.existing_policy(id)?;
        let availability = Some(Availability {
            available,
            note: note.to_owned(),
        });
        if old.availability == availability {
            return Ok(());
        }
        self.guard(|ws| {
            let policy = ws.policy_obj(id)?;
            Ok(reconcile_prop(
                &mut ws.doc,
                &policy,
                "availability",
                &availability,
            )?)
        })?;
        let what = if available {
            format!("available to interested parties: {note}")
        } else {
            format!("kept internal: {note}")
        };
        self.commit(format!("Policy “{}” is {what}", old.title), now)
    }

    /// Replaces the body with `text`, written as the smallest splices that
    /// turn the current text into it, so concurrent edits elsewhere merge.
    pub fn set_policy_body(
        &mut self,
        id: &str,
        text: &str,
        now: Millis,
    ) -> Result<(), CommandError> {
        check_body(text)?;
        let policy = self.existing_policy(id)?;
        refuse_if_retired(&policy)?;
        let old = policy.body.as_str();
        if old == text {
            return Ok(());
        }
        let body = self.body_obj(id)?;
        // Not `Text::update`: autosurgeon 0.14 splices at byte offsets while
        // Automerge counts in its text encoding, which breaks on non-ASCII.
        let splices = text_splices(old, text, self.doc.text_encoding());
        self.write_body_edit(id, &policy, now, |ws| {
            for splice in &splices {
                let del = isize::try_from(splice.del)
                    .map_err(|e| CommandError::Document(e.to_string()))?;
                ws.doc.splice_text(&body, splice.pos, del, &splice.insert)?;
            }
            Ok(())
        })
    }

    /// Splices the body as an editor does: deletes `del` units at `pos` and
    /// inserts `insert` there. Positions count in the document's text
    /// encoding (`ReadDoc::text_encoding`).
    pub fn splice_policy_body(
        &mut self,
        id: &str,
        pos: usize,
        del: usize,
        insert: &str,
        now: Millis,
    ) -> Result<(), CommandError> {
        // Only the title and status are read: a keystroke costs the same
        // whatever the length of the text.
        let obj = self.policy_obj(id)?;
        let policy = self.policy_head(&obj)?;
        refuse_if_retired(&policy)?;
        if del == 0 && insert.is_empty() {
            return Ok(());
        }
        let body = self.body_of(&obj)?;
        let length = self.doc.length(&body);
        if pos.checked_add(del).is_none_or(|end| end > length) {
            return Err(CommandError::NotAllowed(
                "The edit falls outside the policy text; reload the policy and try again."
                    .to_owned(),
            ));
        }
        if length - del + insert.chars().count() > MAX_BODY {
            let mut errors = ValidationErrors::default();
            errors.push(Field::Body, BODY_TOO_LONG);
            return Err(errors.into());
        }
        let del = isize::try_from(del).map_err(|e| CommandError::Document(e.to_string()))?;
        self.write_body_edit(id, &policy, now, |ws| {
            Ok(ws.doc.splice_text(&body, pos, del, insert)?)
        })
    }

    /// Writes a body edit with `edit`, sends an Approved or Published policy
    /// back to Draft, and commits.
    fn write_body_edit(
        &mut self,
        id: &str,
        policy: &Policy,
        now: Millis,
        edit: impl FnOnce(&mut WorkspaceDoc) -> Result<(), CommandError>,
    ) -> Result<(), CommandError> {
        let reopen = matches!(
            policy.status,
            PolicyStatus::Approved | PolicyStatus::Published
        );
        self.guard(|ws| {
            edit(ws)?;
            if reopen {
                let obj = ws.policy_obj(id)?;
                reconcile_prop(&mut ws.doc, &obj, "status", PolicyStatus::Draft)?;
            }
            Ok(())
        })?;
        let message = if reopen {
            format!(
                "Edited the text of policy “{}” (back to draft: it was {})",
                policy.title,
                policy.status.label().to_lowercase()
            )
        } else {
            format!("Edited the text of policy “{}”", policy.title)
        };
        self.commit(message, now)
    }

    /// Moves a policy to `to` if its lifecycle allows it. Approval goes
    /// through [`WorkspaceDoc::approve_policy`] instead.
    pub fn set_policy_status(
        &mut self,
        id: &str,
        to: PolicyStatus,
        now: Millis,
    ) -> Result<(), CommandError> {
        let policy = self.existing_policy(id)?;
        if to == PolicyStatus::Approved {
            return Err(CommandError::NotAllowed(
                "Approve a policy with the Approve action, so the approval is recorded.".to_owned(),
            ));
        }
        check_transition(&policy, to)?;
        self.guard(|ws| {
            let obj = ws.policy_obj(id)?;
            Ok(reconcile_prop(&mut ws.doc, &obj, "status", to)?)
        })?;
        self.commit(
            format!(
                "Moved policy “{}” from {} to {}",
                policy.title,
                policy.status.label().to_lowercase(),
                to.label().to_lowercase()
            ),
            now,
        )
    }

    /// Approves a policy that is in review, recording this session's actor and
    /// author, the time and the document heads; returns the approval index.
    ///
    /// The information security policy is approved only with all four
    /// requirements of clause 5.2 a–d attested (`attested`, by letter); a
    /// topic-specific policy needs none.
    pub fn approve_policy(
        &mut self,
        id: &str,
        attested: &[&str],
        now: Millis,
    ) -> Result<usize, CommandError> {
        self.require_name("an approval")?;
        let mut policy = self.existing_policy(id)?;
        check_transition(&policy, PolicyStatus::Approved)?;
        let attested: Vec<String> = if policy.kind == PolicyKind::InformationSecurity {
            let missing: Vec<&str> = ATTESTS_5_2
                .into_iter()
                .filter(|l| !attested.contains(l))
                .collect();
            if !missing.is_empty() {
                return Err(CommandError::NotAllowed(format!(
                    "Approving the information security policy attests what clause 5.2 requires of it: confirm {} as well.",
                    missing
                        .iter()
                        .map(|l| format!("5.2 {l}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
            ATTESTS_5_2.iter().map(|l| (*l).to_owned()).collect()
        } else {
            Vec::new()
        };
        // The heads of everything committed so far: the approved text.
        let heads = self.heads_hex();
        let version = policy.approvals.len() + 1;
        let signature = self.sign_act(
            &crate::workspace::signing::Act::PolicyApproval {
                policy: id,
                version,
            },
            heads.clone(),
            now,
        )?;
        let approval = Approval {
            approver: self.actor(),
            approver_name: self.author().to_owned(),
            at: now,
            heads,
            acknowledgements: BTreeMap::new(),
            signature,
            recorded_by: BTreeMap::new(),
            attested,
            body_sha: text_sha(policy.body.as_str()),
        };
        policy.approvals.push(approval);
        let index = policy.approvals.len() - 1;
        self.guard(|ws| {
            let obj = ws.policy_obj(id)?;
            reconcile_prop(&mut ws.doc, &obj, "approvals", &policy.approvals)?;
            reconcile_prop(&mut ws.doc, &obj, "status", PolicyStatus::Approved)?;
            Ok(())
        })?;
        self.commit(
            format!("Approved policy “{}” (version {})", policy.title, index + 1),
            now,
        )?;
        Ok(index)
    }

    /// The body exactly as it was when approval `approval_index` was given.
    pub fn approved_version(
        &self,
        policy_id: &str,
        approval_index: usize,
    ) -> Result<String, CommandError> {
        let policy = self.existing_policy(policy_id)?;
        let approval = policy
            .approvals
            .get(approval_index)
            .ok_or(CommandError::NotFound("approved version"))?;
        let heads = approval
            .heads
            .iter()
            .map(|h| ChangeHash::from_str(h))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| CommandError::Unreadable(e.to_string()))?;
        let unreadable = || CommandError::Unreadable("approved policy text".to_owned());
        let at = |parent: &ObjId, key: &str| -> Result<ObjId, CommandError> {
            match self.doc.get_at(parent, key, &heads)? {
                Some((Value::Object(_), obj)) => Ok(obj),
                _ => Err(unreadable()),
            }
        };
        let policies = at(&ROOT, "policies")?;
        let policy = at(&policies, policy_id)?;
        let body = at(&policy, "body")?;
        Ok(self.doc.text_at(&body, &heads)?)
    }

    /// Records that `person_id` has read approved version `approval_index`.
    pub fn acknowledge_policy(
        &mut self,
        policy_id: &str,
        approval_index: usize,
        person_id: &str,
        now: Millis,
    ) -> Result<(), CommandError> {
        // The title and the one approval only: reading the whole policy (its
        // text, every approval) for each reader recorded was most of the
        // sample's policies step (issue 11, point 16).
        let obj = self.policy_obj(policy_id)?;
        let title: String = self.hydrate_entry(&obj, "title")?.unwrap_or_default();
        let approval = match self.doc.get(&obj, "approvals")? {
            Some((Value::Object(ObjType::List), list)) => {
                match self.doc.get(&list, approval_index)? {
                    Some((Value::Object(ObjType::Map), map)) => Some(map),
                    _ => None,
                }
            }
            _ => None,
        }
        .ok_or(CommandError::NotFound("approved version"))?;
        self.require_name("an acknowledgement")?;
        let person = self
            .person(person_id)?
            .ok_or(CommandError::NotFound("person"))?;
        if self
            .existing_map(approval, "acknowledgements")
            .is_some_and(|acks| matches!(self.doc.get(&acks, person_id), Ok(Some(_))))
        {
            return Ok(());
        }
        // Recorded by the person themselves only when this device's key
        // speaks for them; a name that matches proves nothing.
        let on_behalf = self.own_person()?.as_deref() != Some(person_id);
        let recorder = self.author().to_owned();
        self.guard(|ws| {
            let obj = ws.policy_obj(policy_id)?;
            let approvals = match ws.doc.get(&obj, "approvals")? {
                Some((Value::Object(ObjType::List), list)) => list,
                _ => return Err(CommandError::Unreadable("policy approvals".to_owned())),
            };
            let approval = match ws.doc.get(&approvals, approval_index)? {
                Some((Value::Object(ObjType::Map), map)) => map,
                _ => return Err(CommandError::Unreadable("policy approval".to_owned())),
            };
            let acks = ws.map(approval.clone(), "acknowledgements")?;
            reconcile_prop(&mut ws.doc, &acks, person_id, now)?;
            if on_behalf {
                let by = ws.map(approval, "recorded_by")?;
                reconcile_prop(&mut ws.doc, &by, person_id, recorder.as_str())?;
            }
            Ok(())
        })?;
        let what = format!(
            "acknowledged policy “{title}” version {}",
            approval_index + 1
        );
        let message = if on_behalf {
            format!("{} {what} (recorded by {recorder})", person.name)
        } else {
            format!("{} {what}", person.name)
        };
        self.commit(message, now)
    }

    fn policy_obj(&self, id: &str) -> Result<ObjId, CommandError> {
        self.existing_map(ROOT, "policies")
            .and_then(|policies| self.existing_map(policies, id))
            .ok_or(NOT_FOUND)
    }

    pub(crate) fn body_obj(&self, id: &str) -> Result<ObjId, CommandError> {
        self.body_of(&self.policy_obj(id)?)
    }

    /// The body text of the policy at `obj`.
    fn body_of(&self, obj: &ObjId) -> Result<ObjId, CommandError> {
        match self.doc.get(obj, "body")? {
            Some((Value::Object(ObjType::Text), obj)) => Ok(obj),
            _ => Err(CommandError::Unreadable("policy text".to_owned())),
        }
    }
}

fn refuse_if_retired(policy: &Policy) -> Result<(), CommandError> {
    if policy.status == PolicyStatus::Retired {
        return Err(CommandError::NotAllowed(
            "This policy is retired; move it back to draft before editing it.".to_owned(),
        ));
    }
    Ok(())
}

fn check_transition(policy: &Policy, to: PolicyStatus) -> Result<(), CommandError> {
    if policy.status.can_become(to) {
        Ok(())
    } else {
        Err(CommandError::NotAllowed(format!(
            "A policy that is {} cannot become {}.",
            policy.status.label().to_lowercase(),
            to.label().to_lowercase()
        )))
    }
}
