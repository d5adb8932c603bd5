//! The organisation's context (clauses 4.1–4.3): its internal and external
//! issues with their effect on the ISMS and when each was last reviewed
//! (including the 2024 amendment's question whether climate change is a
//! relevant issue), the interested parties and their requirements (which of
//! them the ISMS addresses, and where), and the scope statement with its
//! boundaries, interfaces and dependencies, versioned and approved.
//!
//! What changed here since the last management review feeds its inputs (b)
//! and (c) ([`issues_since`], [`requirements_since`]).

use std::collections::BTreeMap;

use automerge::ROOT;
use autosurgeon::{Hydrate, Reconcile, reconcile_prop};
use sha2::{Digest, Sha256};

use crate::workspace::model::{Archived, Workspace, sort_list};
use crate::workspace::roles::RoleKind;
use crate::workspace::signing::{Act, ActSignature};
use crate::workspace::validate::{
    Field, MAX_LONG, MAX_SHORT, ValidationErrors, check_length, parse_date,
};
use crate::workspace::{CommandError, Millis, WorkspaceDoc};

/// Whether an issue comes from inside the organisation or outside it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Reconcile, Hydrate)]
pub enum IssueKind {
    /// Inside: culture, structure, capabilities, systems.
    #[default]
    Internal,
    /// Outside: legal, market, technology, climate.
    External,
}

impl IssueKind {
    /// The kind in words.
    pub fn label(self) -> &'static str {
        match self {
            IssueKind::Internal => "Internal",
            IssueKind::External => "External",
        }
    }
}

/// An internal or external issue relevant to the ISMS (4.1).
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct ContextIssue {
    /// Internal or external.
    #[autosurgeon(missing = "Default::default")]
    pub kind: IssueKind,
    /// The issue.
    #[autosurgeon(missing = "Default::default")]
    pub text: String,
    /// How it affects the ISMS's intended outcomes.
    #[autosurgeon(missing = "Default::default")]
    pub effect: String,
    /// When it was last reviewed (YYYY-MM-DD).
    #[autosurgeon(missing = "Default::default")]
    pub reviewed: String,
    /// When it was recorded.
    #[autosurgeon(missing = "Default::default")]
    pub created_at: Millis,
    /// When it last changed.
    #[autosurgeon(missing = "Default::default")]
    pub changed_at: Millis,
    /// Set when it no longer applies: kept, out of the list.
    #[autosurgeon(missing = "Default::default")]
    pub archived: Option<Archived>,
}

/// The answer to "is climate change a relevant issue?" (4.1, Amd 1:2024).
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Climate {
    /// Yes or no; `None` until answered.
    #[autosurgeon(missing = "Default::default")]
    pub relevant: Option<bool>,
    /// Why.
    #[autosurgeon(missing = "Default::default")]
    pub rationale: String,
    /// When it was answered.
    #[autosurgeon(missing = "Default::default")]
    pub at: Millis,
}

/// What kind of requirement an interested party has (4.2 b).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Reconcile, Hydrate)]
pub enum RequirementKind {
    /// A law.
    #[default]
    Legal,
    /// A regulator's rule.
    Regulatory,
    /// A contract.
    Contractual,
    /// Any other expectation.
    Other,
}

impl RequirementKind {
    /// Every kind, in the order the form offers them.
    pub const ALL: [RequirementKind; 4] = [
        RequirementKind::Legal,
        RequirementKind::Regulatory,
        RequirementKind::Contractual,
        RequirementKind::Other,
    ];

    /// The kind in words.
    pub fn label(self) -> &'static str {
        match self {
            RequirementKind::Legal => "Legal",
            RequirementKind::Regulatory => "Regulatory",
            RequirementKind::Contractual => "Contractual",
            RequirementKind::Other => "Other",
        }
    }

    /// A stable name for forms.
    pub fn slug(self) -> &'static str {
        match self {
            RequirementKind::Legal => "legal",
            RequirementKind::Regulatory => "regulatory",
            RequirementKind::Contractual => "contractual",
            RequirementKind::Other => "other",
        }
    }
}

/// An interested party (4.2 a) and its requirements.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct InterestedParty {
    /// Who ("Customers", "The data protection authority").
    #[autosurgeon(missing = "Default::default")]
    pub name: String,
    /// Its requirements by id.
    #[autosurgeon(missing = "Default::default")]
    pub requirements: BTreeMap<String, Requirement>,
    /// When it was recorded.
    #[autosurgeon(missing = "Default::default")]
    pub created_at: Millis,
    /// Set when it is no longer relevant.
    #[autosurgeon(missing = "Default::default")]
    pub archived: Option<Archived>,
}

/// One requirement of an interested party, and whether the ISMS addresses
/// it (4.2 c), and where.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Requirement {
    /// The requirement.
    #[autosurgeon(missing = "Default::default")]
    pub text: String,
    /// Legal, regulatory, contractual or other.
    #[autosurgeon(missing = "Default::default")]
    pub kind: RequirementKind,
    /// Whether the ISMS addresses it.
    #[autosurgeon(missing = "Default::default")]
    pub addressed: bool,
    /// Where: a record's address in the workspace ("policies#record-…") or
    /// a document's name.
    #[autosurgeon(missing = "Default::default")]
    pub addressed_in: String,
    /// When it was recorded.
    #[autosurgeon(missing = "Default::default")]
    pub created_at: Millis,
}

/// One version of the scope (4.3).
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct ScopeVersion {
    /// 1, 2, …
    #[autosurgeon(missing = "Default::default")]
    pub number: u32,
    /// The scope statement.
    #[autosurgeon(missing = "Default::default")]
    pub statement: String,
    /// Its boundaries: what is in and out.
    #[autosurgeon(missing = "Default::default")]
    pub boundaries: String,
    /// Interfaces with what is outside.
    #[autosurgeon(missing = "Default::default")]
    pub interfaces: String,
    /// What it depends on outside (suppliers, group services).
    #[autosurgeon(missing = "Default::default")]
    pub dependencies: String,
    /// When it was written.
    #[autosurgeon(missing = "Default::default")]
    pub created_at: Millis,
    /// Its approval, once given.
    #[autosurgeon(missing = "Default::default")]
    pub approval: Option<ScopeApproval>,
}

/// The approval of a scope version.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct ScopeApproval {
    /// Who (a People record id).
    #[autosurgeon(missing = "Default::default")]
    pub person: String,
    /// When.
    #[autosurgeon(missing = "Default::default")]
    pub at: Millis,
    /// The signature ([`Act::ScopeApproval`]).
    #[autosurgeon(missing = "Default::default")]
    pub signature: Option<ActSignature>,
}

/// An issue as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IssueDraft {
    /// Internal or external.
    pub kind: IssueKind,
    /// The issue.
    pub text: String,
    /// Its effect on the ISMS.
    pub effect: String,
    /// When it was last reviewed, as typed.
    pub reviewed: String,
}

impl IssueDraft {
    /// Checks the issue, its effect and the review date.
    pub fn validate(&self, today: &str) -> Result<IssueDraft, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let text = self.text.trim();
        if text.is_empty() {
            errors.push(Field::IssueText, "Describe the issue.");
        } else {
            check_length(&mut errors, Field::IssueText, text, MAX_LONG);
        }
        let effect = self.effect.trim();
        if effect.is_empty() {
            errors.push(
                Field::IssueEffect,
                "Say how it affects what the ISMS should achieve.",
            );
        } else {
            check_length(&mut errors, Field::IssueEffect, effect, MAX_LONG);
        }
        let reviewed = self.reviewed.trim();
        if parse_date(reviewed).is_none() {
            errors.push(
                Field::IssueReviewed,
                "Enter the day it was reviewed as YYYY-MM-DD.",
            );
        } else if reviewed > today {
            errors.push(Field::IssueReviewed, "The day cannot be in the future.");
        }
        errors.into_result(IssueDraft {
            kind: self.kind,
            text: text.to_owned(),
            effect: effect.to_owned(),
            reviewed: reviewed.to_owned(),
        })
    }
}

/// A scope version as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScopeDraft {
    /// The statement.
    pub statement: String,
    /// Boundaries.
    pub boundaries: String,
    /// Interfaces.
    pub interfaces: String,
    /// Dependencies.
    pub dependencies: String,
}

/// The SHA-256 (hex) of a scope version's words, canonical and
/// length-prefixed: inside the approval's signature.
pub fn scope_digest(scope: &ScopeVersion) -> String {
    let mut hash = Sha256::new();
    for part in [
        "charter/v1/scope",
        &scope.number.to_string(),
        &scope.statement,
        &scope.boundaries,
        &scope.interfaces,
        &scope.dependencies,
    ] {
        hash.update((part.len() as u64).to_le_bytes());
        hash.update(part.as_bytes());
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The current issues (not archived), external first, then by text.
pub fn current_issues(ws: &Workspace) -> Vec<(&String, &ContextIssue)> {
    let mut list: Vec<_> = ws
        .issues
        .iter()
        .filter(|(_, i)| i.archived.is_none())
        .collect();
    sort_list(&mut list, |(_, a), (_, b)| {
        (a.kind == IssueKind::Internal, a.text.as_str())
            .cmp(&(b.kind == IssueKind::Internal, b.text.as_str()))
    });
    list
}

/// The issues recorded, changed or archived after `since`: input (b).
pub fn issues_since(ws: &Workspace, since: Millis) -> Vec<(&String, &ContextIssue)> {
    let mut list: Vec<_> = ws
        .issues
        .iter()
        .filter(|(_, i)| {
            i.created_at > since
                || i.changed_at > since
                || i.archived.as_ref().is_some_and(|a| a.at > since)
        })
        .collect();
    sort_list(&mut list, |(_, a), (_, b)| a.text.cmp(&b.text));
    list
}

/// The requirements recorded after `since`, with their party: input (c).
pub fn requirements_since(ws: &Workspace, since: Millis) -> Vec<(&str, &Requirement)> {
    let mut list: Vec<(&str, &Requirement)> = ws
        .parties
        .values()
        .flat_map(|p| {
            p.requirements
                .values()
                .filter(|r| r.created_at > since)
                .map(move |r| (p.name.as_str(), r))
        })
        .collect();
    sort_list(&mut list, |a, b| (a.0, &a.1.text).cmp(&(b.0, &b.1.text)));
    list
}

/// The scope versions, oldest first.
pub fn scope_versions(ws: &Workspace) -> Vec<(&String, &ScopeVersion)> {
    let mut list: Vec<_> = ws.scopes.iter().collect();
    sort_list(&mut list, |(_, a), (_, b)| a.number.cmp(&b.number));
    list
}

/// The scope in force: the newest approved version.
pub fn scope_in_force(ws: &Workspace) -> Option<(&String, &ScopeVersion)> {
    scope_versions(ws)
        .into_iter()
        .rev()
        .find(|(_, s)| s.approval.is_some())
}

const ISSUE_NOT_FOUND: CommandError = CommandError::NotFound("issue");
const PARTY_NOT_FOUND: CommandError = CommandError::NotFound("interested party");
const SCOPE_NOT_FOUND: CommandError = CommandError::NotFound("scope version");

impl WorkspaceDoc {
    fn issue(&self, id: &str) -> Result<Option<ContextIssue>, CommandError> {
        let Some(map) = self.existing_map(ROOT, "issues") else {
            return Ok(None);
        };
        self.hydrate_entry(&map, id)
    }

    fn party(&self, id: &str) -> Result<Option<InterestedParty>, CommandError> {
        let Some(map) = self.existing_map(ROOT, "parties") else {
            return Ok(None);
        };
        self.hydrate_entry(&map, id)
    }

    /// Records an internal or external issue; returns its id.
    pub fn add_issue(
        &mut self,
        draft: &IssueDraft,
        today: &str,
        now: Millis,
    ) -> Result<String, CommandError> {
        let draft = draft.validate(today)?;
        let issue = ContextIssue {
            kind: draft.kind,
            text: draft.text,
            effect: draft.effect,
            reviewed: draft.reviewed,
            created_at: now,
            changed_at: now,
            archived: None,
        };
        let id = self.next_id(now);
        self.guard(|doc| {
            let map = doc.map(ROOT, "issues")?;
            Ok(reconcile_prop(&mut doc.doc, &map, id.as_str(), &issue)?)
        })?;
        self.commit(
            format!(
                "Recorded {} issue “{}”",
                issue.kind.label().to_lowercase(),
                short(&issue.text)
            ),
            now,
        )?;
        Ok(id)
    }

    /// Changes an issue (a new review date, a new effect).
    pub fn edit_issue(
        &mut self,
        id: &str,
        draft: &IssueDraft,
        today: &str,
        now: Millis,
    ) -> Result<(), CommandError> {
        let old = self.issue(id)?.ok_or(ISSUE_NOT_FOUND)?;
        let draft = draft.validate(today)?;
        let issue = ContextIssue {
            kind: draft.kind,
            text: draft.text,
            effect: draft.effect,
            reviewed: draft.reviewed,
            created_at: old.created_at,
            changed_at: now,
            archived: old.archived.clone(),
        };
        let unchanged = ContextIssue {
            changed_at: old.changed_at,
            ..issue.clone()
        } == old;
        if unchanged {
            return Ok(());
        }
        self.guard(|doc| {
            let map = doc.map(ROOT, "issues")?;
            Ok(reconcile_prop(&mut doc.doc, &map, id, &issue)?)
        })?;
        self.commit(format!("Changed issue “{}”", short(&old.text)), now)
    }

    /// Archives an issue that no longer applies (kept as evidence).
    pub fn archive_issue(&mut self, id: &str, now: Millis) -> Result<(), CommandError> {
        let old = self.issue(id)?.ok_or(ISSUE_NOT_FOUND)?;
        if old.archived.is_some() {
            return Ok(());
        }
        self.mark_archived("issues", id, true, now)?;
        self.commit(format!("Archived issue “{}”", short(&old.text)), now)
    }

    /// Answers whether climate change is a relevant issue, with the reason.
    pub fn set_climate(
        &mut self,
        relevant: bool,
        rationale: &str,
        now: Millis,
    ) -> Result<(), CommandError> {
        let rationale = rationale.trim();
        let mut errors = ValidationErrors::default();
        if rationale.is_empty() {
            errors.push(
                Field::ClimateRationale,
                "Say why climate change is, or is not, a relevant issue.",
            );
        }
        check_length(&mut errors, Field::ClimateRationale, rationale, MAX_LONG);
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let mut meta = self.meta()?;
        meta.climate = Climate {
            relevant: Some(relevant),
            rationale: rationale.to_owned(),
            at: now,
        };
        self.guard(|doc| Ok(reconcile_prop(&mut doc.doc, ROOT, "meta", &meta)?))?;
        self.commit(
            format!(
                "Answered whether climate change is a relevant issue: {}",
                if relevant { "yes" } else { "no" }
            ),
            now,
        )
    }

    /// Records an interested party; returns its id.
    pub fn add_party(&mut self, name: &str, now: Millis) -> Result<String, CommandError> {
        let name = name.trim();
        let mut errors = ValidationErrors::default();
        if name.is_empty() {
            errors.push(Field::PartyName, "Name the interested party.");
        }
        check_length(&mut errors, Field::PartyName, name, MAX_SHORT);
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let party = InterestedParty {
            name: name.to_owned(),
            created_at: now,
            ..Default::default()
        };
        let id = self.next_id(now);
        self.guard(|doc| {
            let map = doc.map(ROOT, "parties")?;
            reconcile_prop(&mut doc.doc, &map, id.as_str(), &party)?;
            let record = doc.existing_map(map, &id).ok_or(PARTY_NOT_FOUND)?;
            doc.map(record, "requirements")?;
            Ok(())
        })?;
        self.commit(format!("Recorded interested party “{name}”"), now)?;
        Ok(id)
    }

    /// Records a requirement of an interested party; returns its id. One
    /// the ISMS addresses says where.
    pub fn add_requirement(
        &mut self,
        party: &str,
        text: &str,
        kind: RequirementKind,
        addressed_in: Option<&str>,
        now: Millis,
    ) -> Result<String, CommandError> {
        let old = self.party(party)?.ok_or(PARTY_NOT_FOUND)?;
        let text = text.trim();
        let mut errors = ValidationErrors::default();
        if text.is_empty() {
            errors.push(Field::RequirementText, "Describe the requirement.");
        }
        check_length(&mut errors, Field::RequirementText, text, MAX_LONG);
        let addressed_in = addressed_in.map(str::trim);
        if addressed_in.is_some_and(str::is_empty) {
            errors.push(
                Field::RequirementWhere,
                "Say where the ISMS addresses it: a policy, a control, a procedure.",
            );
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let requirement = Requirement {
            text: text.to_owned(),
            kind,
            addressed: addressed_in.is_some(),
            addressed_in: addressed_in.unwrap_or_default().to_owned(),
            created_at: now,
        };
        let id = self.next_id(now);
        let map = self.existing_map(ROOT, "parties").ok_or(PARTY_NOT_FOUND)?;
        let record = self.existing_map(map, party).ok_or(PARTY_NOT_FOUND)?;
        self.guard(|doc| {
            let requirements = doc.map(record, "requirements")?;
            Ok(reconcile_prop(
                &mut doc.doc,
                &requirements,
                id.as_str(),
                &requirement,
            )?)
        })?;
        self.commit(
            format!(
                "Recorded a {} requirement of “{}”: “{}”",
                kind.label().to_lowercase(),
                old.name,
                short(text)
            ),
            now,
        )?;
        Ok(id)
    }

    /// Writes a new version of the scope, not approved yet; returns its id.
    pub fn add_scope_version(
        &mut self,
        draft: &ScopeDraft,
        now: Millis,
    ) -> Result<String, CommandError> {
        let statement = draft.statement.trim();
        let mut errors = ValidationErrors::default();
        if statement.is_empty() {
            errors.push(Field::ScopeStatement, "Write the scope statement.");
        }
        for (field, text) in [
            (Field::ScopeStatement, statement),
            (Field::ScopeBoundaries, draft.boundaries.trim()),
            (Field::ScopeInterfaces, draft.interfaces.trim()),
            (Field::ScopeDependencies, draft.dependencies.trim()),
        ] {
            check_length(&mut errors, field, text, MAX_LONG);
        }
        if draft.boundaries.trim().is_empty() {
            errors.push(
                Field::ScopeBoundaries,
                "Say where the scope ends: what is in, and what is out.",
            );
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let number = match self.existing_map(ROOT, "scopes") {
            Some(_) => {
                let versions: BTreeMap<String, ScopeVersion> =
                    autosurgeon::hydrate_prop(&self.doc, ROOT, "scopes")?;
                versions.values().map(|v| v.number).max().unwrap_or(0) + 1
            }
            None => 1,
        };
        let version = ScopeVersion {
            number,
            statement: statement.to_owned(),
            boundaries: draft.boundaries.trim().to_owned(),
            interfaces: draft.interfaces.trim().to_owned(),
            dependencies: draft.dependencies.trim().to_owned(),
            created_at: now,
            approval: None,
        };
        let id = self.next_id(now);
        self.guard(|doc| {
            let map = doc.map(ROOT, "scopes")?;
            Ok(reconcile_prop(&mut doc.doc, &map, id.as_str(), &version)?)
        })?;
        self.commit(format!("Wrote version {number} of the ISMS scope"), now)?;
        Ok(id)
    }

    /// Approves a scope version: a member of top management whose key is
    /// this browser's signs it.
    pub fn approve_scope(&mut self, id: &str, now: Millis) -> Result<(), CommandError> {
        let map = self.existing_map(ROOT, "scopes").ok_or(SCOPE_NOT_FOUND)?;
        let version: ScopeVersion = self.hydrate_entry(&map, id)?.ok_or(SCOPE_NOT_FOUND)?;
        if version.approval.is_some() {
            return Ok(());
        }
        let records = self.trust_records()?;
        let key = self.device_public().ok_or_else(|| {
            CommandError::NotAllowed(
                "This browser has no signing key for this workspace. Reload the page and try again."
                    .to_owned(),
            )
        })?;
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
                "Only a member of top management can approve the scope.".to_owned(),
            ));
        }
        let digest = scope_digest(&version);
        let heads = self.heads_hex();
        let signature = self.sign_act(
            &Act::ScopeApproval {
                version: id,
                number: version.number,
                digest: &digest,
            },
            heads,
            now,
        )?;
        let approval = ScopeApproval {
            person,
            at: now,
            signature,
        };
        let record = self.existing_map(map, id).ok_or(SCOPE_NOT_FOUND)?;
        self.guard(|doc| {
            Ok(reconcile_prop(
                &mut doc.doc,
                &record,
                "approval",
                &approval,
            )?)
        })?;
        // The scope in force is also the workspace's scope statement.
        let mut meta = self.meta()?;
        meta.scope = version.statement.clone();
        self.guard(|doc| Ok(reconcile_prop(&mut doc.doc, ROOT, "meta", &meta)?))?;
        self.commit(
            format!("Approved version {} of the ISMS scope", version.number),
            now,
        )
    }
}

/// The first line of `text`, cut to 60 characters, for a message.
fn short(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    if line.chars().count() > 60 {
        format!("{}…", line.chars().take(57).collect::<String>())
    } else {
        line.to_owned()
    }
}
