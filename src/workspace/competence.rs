//! Competence (clause 7.2) and awareness (clause 7.3).
//!
//! Each role states the competence it needs ([`crate::workspace::roles::Role::competence`]).
//! People have competence records (education, training, experience or a
//! certification) with the evidence, its date and who verified it, each
//! naming the roles whose needs it meets; [`competence_gaps`] crosses every
//! role with the people who hold it. Awareness (7.3 a–c) is evidenced by
//! programmes that say which of the three points they cover and by
//! acknowledgements of the information security policy in force
//! ([`awareness_of`]).

use std::collections::BTreeMap;

use automerge::ROOT;
use autosurgeon::{Hydrate, Reconcile, reconcile_prop};

use crate::workspace::measurements::date_of;
use crate::workspace::model::{Archived, Workspace};
use crate::workspace::policies::{PolicyInForce, policy_in_force};
use crate::workspace::training::has_completed;
use crate::workspace::validate::{
    Field, MAX_LONG, MAX_SHORT, ValidationErrors, check_length, parse_date,
};
use crate::workspace::{CommandError, Millis, WorkspaceDoc};

/// Where a person's competence comes from (7.2 b: "education, training, or experience").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Reconcile, Hydrate)]
pub enum CompetenceKind {
    /// A degree, diploma or course of study.
    #[default]
    Education,
    /// A course or training programme.
    Training,
    /// Work done in a similar role.
    Experience,
    /// A professional certification.
    Certification,
}

impl CompetenceKind {
    /// Every kind, in the order the form offers them.
    pub const ALL: [CompetenceKind; 4] = [
        CompetenceKind::Education,
        CompetenceKind::Training,
        CompetenceKind::Experience,
        CompetenceKind::Certification,
    ];

    /// The kind in words.
    pub fn label(self) -> &'static str {
        match self {
            CompetenceKind::Education => "Education",
            CompetenceKind::Training => "Training",
            CompetenceKind::Experience => "Experience",
            CompetenceKind::Certification => "Certification",
        }
    }

    /// A stable name for forms.
    pub fn slug(self) -> &'static str {
        match self {
            CompetenceKind::Education => "education",
            CompetenceKind::Training => "training",
            CompetenceKind::Experience => "experience",
            CompetenceKind::Certification => "certification",
        }
    }

    /// The kind named `slug`, if any.
    pub fn from_slug(slug: &str) -> Option<CompetenceKind> {
        CompetenceKind::ALL.into_iter().find(|k| k.slug() == slug)
    }
}

/// One piece of documented evidence of a person's competence (7.2 d).
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct CompetenceRecord {
    /// Whose competence (a People record id).
    #[autosurgeon(missing = "Default::default")]
    pub person: String,
    /// Education, training, experience or certification.
    #[autosurgeon(missing = "Default::default")]
    pub kind: CompetenceKind,
    /// What it is ("CISSP", "Five years running the IT operations team").
    #[autosurgeon(missing = "Default::default")]
    pub summary: String,
    /// Where the evidence is: a document, a certificate number, a link.
    #[autosurgeon(missing = "Default::default")]
    pub evidence: String,
    /// When it was obtained or last confirmed (YYYY-MM-DD).
    #[autosurgeon(missing = "Default::default")]
    pub date: String,
    /// The person who checked the evidence (a People record id); empty
    /// until someone has.
    #[autosurgeon(missing = "Default::default")]
    pub verified_by: String,
    /// The roles (ids) whose needed competence this meets.
    #[autosurgeon(missing = "Default::default")]
    pub roles: Vec<String>,
    /// When it was recorded.
    #[autosurgeon(missing = "Default::default")]
    pub created_at: Millis,
    /// Set when it was archived: kept as evidence, out of the gap view.
    #[autosurgeon(missing = "Default::default")]
    pub archived: Option<Archived>,
}

/// A competence record as typed into the form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CompetenceDraft {
    /// The person (id) as chosen.
    pub person: String,
    /// The kind as chosen.
    pub kind: CompetenceKind,
    /// What it is, as typed.
    pub summary: String,
    /// Where the evidence is, as typed.
    pub evidence: String,
    /// The date as typed (YYYY-MM-DD).
    pub date: String,
    /// Who verified it (a person id), or empty.
    pub verified_by: String,
    /// The roles it meets (ids).
    pub roles: Vec<String>,
}

impl CompetenceDraft {
    /// Checks every field against the workspace (people and roles must
    /// exist; the date cannot be after `today`) and returns the record.
    pub fn validate(
        &self,
        ws: &Workspace,
        today: &str,
    ) -> Result<CompetenceRecord, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let current_person = |id: &str| ws.people.get(id).is_some_and(|p| p.archived.is_none());
        if !current_person(&self.person) {
            errors.push(Field::CompetencePerson, "Choose whose competence this is.");
        }
        let summary = self.summary.trim();
        if summary.is_empty() {
            errors.push(
                Field::CompetenceSummary,
                "Say what it is, such as a qualification or the experience.",
            );
        } else {
            check_length(&mut errors, Field::CompetenceSummary, summary, MAX_SHORT);
        }
        let evidence = self.evidence.trim();
        if evidence.is_empty() {
            errors.push(
                Field::Evidence,
                "Say where the evidence is, such as a certificate or a file.",
            );
        } else {
            check_length(&mut errors, Field::Evidence, evidence, MAX_LONG);
        }
        let date = self.date.trim();
        if parse_date(date).is_none() {
            errors.push(Field::CompetenceDate, "Enter the date as YYYY-MM-DD.");
        } else if date > today {
            errors.push(Field::CompetenceDate, "The date cannot be in the future.");
        }
        let verified_by = self.verified_by.trim();
        if !verified_by.is_empty() && !current_person(verified_by) {
            errors.push(Field::VerifiedBy, "Choose who verified it from People.");
        } else if !verified_by.is_empty() && verified_by == self.person {
            errors.push(
                Field::VerifiedBy,
                "Someone other than the person themselves verifies the evidence.",
            );
        }
        let mut roles: Vec<String> = Vec::new();
        for role in &self.roles {
            if ws.roles.get(role).is_some_and(|r| r.archived.is_none()) && !roles.contains(role) {
                roles.push(role.clone());
            }
        }
        errors.into_result(CompetenceRecord {
            person: self.person.clone(),
            kind: self.kind,
            summary: summary.to_owned(),
            evidence: evidence.to_owned(),
            date: date.to_owned(),
            verified_by: verified_by.to_owned(),
            roles,
            ..Default::default()
        })
    }
}

/// How one holder of a role stands against the competence it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// The role does not say what competence it needs.
    NotStated,
    /// A verified record meets the role's need.
    Verified {
        /// The record's id.
        record: String,
    },
    /// Records name the role, but no one has verified them yet.
    NotVerified {
        /// The first such record's id.
        record: String,
    },
    /// No record meets the role's need: a gap.
    Gap,
}

/// One cell of the role × person view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GapRow {
    /// The role's id.
    pub role: String,
    /// The holder's id.
    pub person: String,
    /// How they stand.
    pub standing: Standing,
}

/// Every current holder of every current role, with how they stand against
/// the competence the role needs, in role then person id order.
pub fn competence_gaps(ws: &Workspace) -> Vec<GapRow> {
    // Person → their current records, so each cell costs its own records only.
    let mut records: BTreeMap<&str, Vec<(&String, &CompetenceRecord)>> = BTreeMap::new();
    for (id, record) in ws.competence.iter().filter(|(_, r)| r.archived.is_none()) {
        records
            .entry(record.person.as_str())
            .or_default()
            .push((id, record));
    }
    let mut rows = Vec::new();
    for (role_id, role) in ws.roles.iter().filter(|(_, r)| r.archived.is_none()) {
        for person in role.holders.keys() {
            if ws.people.get(person).is_none_or(|p| p.archived.is_some()) {
                continue;
            }
            let standing = if role.competence.trim().is_empty() {
                Standing::NotStated
            } else {
                let meeting: Vec<_> = records
                    .get(person.as_str())
                    .into_iter()
                    .flatten()
                    .filter(|(_, r)| r.roles.contains(role_id))
                    .collect();
                if let Some((id, _)) = meeting.iter().find(|(_, r)| !r.verified_by.is_empty()) {
                    Standing::Verified {
                        record: (*id).clone(),
                    }
                } else if let Some((id, _)) = meeting.first() {
                    Standing::NotVerified {
                        record: (*id).clone(),
                    }
                } else {
                    Standing::Gap
                }
            };
            rows.push(GapRow {
                role: role_id.clone(),
                person: person.clone(),
                standing,
            });
        }
    }
    rows
}

/// The three things clause 7.3 says people must be aware of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AwarenessPoint {
    /// 7.3 a: the information security policy.
    Policy,
    /// 7.3 b: their contribution to the ISMS's effectiveness.
    Contribution,
    /// 7.3 c: what not conforming with the ISMS implies.
    Consequences,
}

impl AwarenessPoint {
    /// The three points in the standard's order.
    pub const ALL: [AwarenessPoint; 3] = [
        AwarenessPoint::Policy,
        AwarenessPoint::Contribution,
        AwarenessPoint::Consequences,
    ];

    /// The point in words, with its clause.
    pub fn label(self) -> &'static str {
        match self {
            AwarenessPoint::Policy => "7.3 a: the information security policy",
            AwarenessPoint::Contribution => "7.3 b: their contribution to the ISMS",
            AwarenessPoint::Consequences => "7.3 c: the implications of not conforming",
        }
    }

    /// The point's short name, for table headings.
    pub fn short(self) -> &'static str {
        match self {
            AwarenessPoint::Policy => "Policy",
            AwarenessPoint::Contribution => "Contribution",
            AwarenessPoint::Consequences => "Consequences",
        }
    }

    /// Whether a programme says it covers this point.
    pub fn covered_by(self, programme: &crate::workspace::training::Programme) -> bool {
        match self {
            AwarenessPoint::Policy => programme.covers_policy,
            AwarenessPoint::Contribution => programme.covers_contribution,
            AwarenessPoint::Consequences => programme.covers_consequences,
        }
    }
}

/// What shows that a person is aware of one point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AwarenessEvidence {
    /// They completed a programme that covers it (its topic).
    Programme(String),
    /// They acknowledged the information security policy in force (its title and version).
    Acknowledged {
        /// The policy's title.
        title: String,
        /// The version they acknowledged.
        version: usize,
    },
}

impl AwarenessEvidence {
    /// The evidence in words.
    pub fn label(&self) -> String {
        match self {
            AwarenessEvidence::Programme(topic) => format!("Completed “{topic}”"),
            AwarenessEvidence::Acknowledged { title, version } => {
                format!("Acknowledged “{title}” version {version}")
            }
        }
    }
}

/// For each of 7.3 a–c, what shows `person` is aware of it as of `today`,
/// if anything does: a completed current programme covering the point, or,
/// for the policy, an acknowledgement of the version in force.
pub fn awareness_of(ws: &Workspace, person: &str, today: &str) -> [Option<AwarenessEvidence>; 3] {
    AwarenessPoint::ALL.map(|point| {
        let programme = ws
            .trainings
            .values()
            .filter(|p| p.archived.is_none() && point.covered_by(p))
            .find(|p| has_completed(p, person, today))
            .map(|p| AwarenessEvidence::Programme(p.topic.clone()));
        programme.or_else(|| {
            (point == AwarenessPoint::Policy)
                .then(|| acknowledged_policy(ws, person))
                .flatten()
        })
    })
}

/// The acknowledgement by `person` of the version of the information
/// security policy in force, if they gave one.
fn acknowledged_policy(ws: &Workspace, person: &str) -> Option<AwarenessEvidence> {
    let PolicyInForce::One {
        id, title, version, ..
    } = policy_in_force(&ws.policies)
    else {
        return None;
    };
    let approval = ws
        .policies
        .get(&id)?
        .approvals
        .get(version.checked_sub(1)?)?;
    approval
        .acknowledgements
        .contains_key(person)
        .then_some(AwarenessEvidence::Acknowledged { title, version })
}

/// Of the current people, how many have evidence for each point of 7.3,
/// and how many people there are.
pub fn awareness_coverage(ws: &Workspace, today: &str) -> ([usize; 3], usize) {
    let mut covered = [0; 3];
    let mut people = 0;
    for id in ws
        .people
        .iter()
        .filter(|(_, p)| p.archived.is_none())
        .map(|(id, _)| id)
    {
        people += 1;
        for (count, evidence) in covered.iter_mut().zip(awareness_of(ws, id, today)) {
            if evidence.is_some() {
                *count += 1;
            }
        }
    }
    (covered, people)
}

const NOT_FOUND: CommandError = CommandError::NotFound("competence record");

impl WorkspaceDoc {
    /// One competence record, if it exists.
    pub fn competence_record(&self, id: &str) -> Result<Option<CompetenceRecord>, CommandError> {
        let Some(map) = self.existing_map(ROOT, "competence") else {
            return Ok(None);
        };
        self.hydrate_entry(&map, id)
    }

    /// Records a piece of evidence of someone's competence and returns its id.
    pub fn add_competence(
        &mut self,
        draft: &CompetenceDraft,
        now: Millis,
    ) -> Result<String, CommandError> {
        let ws = self.read_for_competence(draft)?;
        let record = CompetenceRecord {
            created_at: now,
            ..draft.validate(&ws, &date_of(now))?
        };
        if !record.verified_by.is_empty() {
            self.require_name("a verified record")?;
        }
        let id = self.next_id(now);
        self.guard(|doc| {
            let map = doc.map(ROOT, "competence")?;
            Ok(reconcile_prop(&mut doc.doc, &map, id.as_str(), &record)?)
        })?;
        let name = ws
            .people
            .get(&record.person)
            .map(|p| p.name.clone())
            .unwrap_or_default();
        self.commit(
            format!("Recorded competence of {name}: {}", record.summary),
            now,
        )?;
        Ok(id)
    }

    /// Changes a competence record; its creation and archive mark stay.
    pub fn edit_competence(
        &mut self,
        id: &str,
        draft: &CompetenceDraft,
        now: Millis,
    ) -> Result<(), CommandError> {
        let old = self.competence_record(id)?.ok_or(NOT_FOUND)?;
        let ws = self.read_for_competence(draft)?;
        let record = CompetenceRecord {
            created_at: old.created_at,
            archived: old.archived.clone(),
            ..draft.validate(&ws, &date_of(now))?
        };
        if record == old {
            return Ok(());
        }
        if record.verified_by != old.verified_by && !record.verified_by.is_empty() {
            self.require_name("a verified record")?;
        }
        self.guard(|doc| {
            let map = doc.map(ROOT, "competence")?;
            Ok(reconcile_prop(&mut doc.doc, &map, id, &record)?)
        })?;
        self.commit(format!("Changed competence record “{}”", old.summary), now)
    }

    /// Archives a competence record: kept as evidence, out of the gap view.
    pub fn archive_competence(&mut self, id: &str, now: Millis) -> Result<(), CommandError> {
        let old = self.competence_record(id)?.ok_or(NOT_FOUND)?;
        if old.archived.is_some() {
            return Ok(());
        }
        self.mark_archived("competence", id, true, now)?;
        self.commit(format!("Archived competence record “{}”", old.summary), now)
    }

    /// Brings an archived competence record back.
    pub fn restore_competence(&mut self, id: &str, now: Millis) -> Result<(), CommandError> {
        let old = self.competence_record(id)?.ok_or(NOT_FOUND)?;
        if old.archived.is_none() {
            return Ok(());
        }
        self.mark_archived("competence", id, false, now)?;
        self.commit(format!("Restored competence record “{}”", old.summary), now)
    }

    /// The people and roles a draft names, read one by one: what it is
    /// checked against costs the draft, not the workspace.
    fn read_for_competence(&self, draft: &CompetenceDraft) -> Result<Workspace, CommandError> {
        let mut ws = Workspace::default();
        for id in [&draft.person, &draft.verified_by] {
            if let Some(person) = self.person(id)? {
                ws.people.insert(id.clone(), person);
            }
        }
        for id in &draft.roles {
            if let Some(role) = self.role(id)? {
                ws.roles.insert(id.clone(), role);
            }
        }
        Ok(ws)
    }
}
