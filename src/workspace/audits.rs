//! Internal audit (clause 9.2): the audit programme (frequency, methods,
//! responsibilities, reporting), the audits with their criteria, scope,
//! auditor and dates, which clauses 4–10 and which controls each covers,
//! their findings (major and minor nonconformities, observations,
//! opportunities for improvement) linked to a clause or a control, and
//! their results reported to management (input d(3) of the review).
//!
//! Two warnings: the programme leaves a clause or an applicable control
//! unaudited over three years, and an auditor audits their own work (an
//! accountable role for an activity the audit covers, or a control they
//! own).

use std::collections::BTreeMap;

use automerge::ROOT;
use autosurgeon::{Hydrate, Reconcile, hydrate_prop, reconcile_prop};

use crate::workspace::model::Workspace;
use crate::workspace::roles::{Raci, STANDARD_ACTIVITIES};
use crate::workspace::soa::{Applicability, annex_a_control, is_control, soa_rows};
use crate::workspace::validate::{
    Field, MAX_LONG, MAX_TITLE, ValidationErrors, check_length, parse_date,
};
use crate::workspace::{CommandError, Millis, WorkspaceDoc};

/// The clauses of ISO/IEC 27001 whose requirements an ISMS must meet and
/// an audit programme must cover: 4 to 10.
pub const CLAUSES: [(&str, &str); 7] = [
    ("4", "Context of the organization"),
    ("5", "Leadership"),
    ("6", "Planning"),
    ("7", "Support"),
    ("8", "Operation"),
    ("9", "Performance evaluation"),
    ("10", "Improvement"),
];

/// The audit programme (9.2.2): how often, how, by whom, reported how.
#[derive(Debug, Clone, Default, PartialEq, Eq, Reconcile, Hydrate)]
pub struct AuditProgramme {
    /// How often audits are held, in words ("each clause every year, the
    /// controls over three years").
    #[autosurgeon(missing = "Default::default")]
    pub frequency: String,
    /// Methods (interviews, sampling of records, observation).
    #[autosurgeon(missing = "Default::default")]
    pub methods: String,
    /// Who plans, who audits, who follows up.
    #[autosurgeon(missing = "Default::default")]
    pub responsibilities: String,
    /// How and to whom results are reported.
    #[autosurgeon(missing = "Default::default")]
    pub reporting: String,
}

/// What an audit found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Reconcile, Hydrate)]
pub enum FindingKind {
    /// A requirement not met in a way that puts the ISMS's results in doubt.
    Major,
    /// A requirement not met in a single, contained case.
    #[default]
    Minor,
    /// Not a nonconformity, but worth watching.
    Observation,
    /// An opportunity for improvement.
    Opportunity,
}

impl FindingKind {
    /// Every kind, in the order the form offers them.
    pub const ALL: [FindingKind; 4] = [
        FindingKind::Major,
        FindingKind::Minor,
        FindingKind::Observation,
        FindingKind::Opportunity,
    ];

    /// The kind in words.
    pub fn label(self) -> &'static str {
        match self {
            FindingKind::Major => "Major nonconformity",
            FindingKind::Minor => "Minor nonconformity",
            FindingKind::Observation => "Observation",
            FindingKind::Opportunity => "Opportunity for improvement",
        }
    }

    /// A stable name for forms.
    pub fn slug(self) -> &'static str {
        match self {
            FindingKind::Major => "major",
            FindingKind::Minor => "minor",
            FindingKind::Observation => "observation",
            FindingKind::Opportunity => "opportunity",
        }
    }

    /// The kind named `slug`.
    pub fn from_slug(slug: &str) -> Option<FindingKind> {
        FindingKind::ALL.into_iter().find(|k| k.slug() == slug)
    }

    /// Whether it is a nonconformity (major or minor), to be corrected
    /// under clause 10.2.
    pub fn is_nonconformity(self) -> bool {
        matches!(self, FindingKind::Major | FindingKind::Minor)
    }
}

/// One finding of an audit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Reconcile, Hydrate)]
pub struct Finding {
    /// Its kind.
    #[autosurgeon(missing = "Default::default")]
    pub kind: FindingKind,
    /// What was found, with the evidence.
    #[autosurgeon(missing = "Default::default")]
    pub text: String,
    /// The clause it is against ("9.2"), or "".
    #[autosurgeon(missing = "Default::default")]
    pub clause: String,
    /// The control it is against ("5.15"), or "".
    #[autosurgeon(missing = "Default::default")]
    pub control: String,
    /// When it was recorded.
    #[autosurgeon(missing = "Default::default")]
    pub created_at: Millis,
}

/// The results reported to management (9.2.2 e).
#[derive(Debug, Clone, Default, PartialEq, Eq, Reconcile, Hydrate)]
pub struct Reported {
    /// The day (YYYY-MM-DD).
    #[autosurgeon(missing = "Default::default")]
    pub date: String,
    /// To whom, in words ("the management team").
    #[autosurgeon(missing = "Default::default")]
    pub to: String,
    /// Who recorded it (display name).
    #[autosurgeon(missing = "Default::default")]
    pub by: String,
}

/// One internal audit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Reconcile, Hydrate)]
pub struct Audit {
    /// A short name.
    #[autosurgeon(missing = "Default::default")]
    pub title: String,
    /// The audit criteria (9.2.2 b).
    #[autosurgeon(missing = "Default::default")]
    pub criteria: String,
    /// The scope: units, sites, processes.
    #[autosurgeon(missing = "Default::default")]
    pub scope: String,
    /// The auditor (a People record id).
    #[autosurgeon(missing = "Default::default")]
    pub auditor: String,
    /// The first day (YYYY-MM-DD).
    #[autosurgeon(missing = "Default::default")]
    pub start: String,
    /// The last day (YYYY-MM-DD).
    #[autosurgeon(missing = "Default::default")]
    pub end: String,
    /// The clauses (4 to 10) it covers.
    #[autosurgeon(missing = "Default::default")]
    pub clauses: Vec<String>,
    /// The controls it covers.
    #[autosurgeon(missing = "Default::default")]
    pub controls: Vec<String>,
    /// Its findings, by id.
    #[autosurgeon(missing = "Default::default")]
    pub findings: BTreeMap<String, Finding>,
    /// Its results reported to management, once they are.
    #[autosurgeon(missing = "Default::default")]
    pub reported: Option<Reported>,
    /// When it was recorded.
    #[autosurgeon(missing = "Default::default")]
    pub created_at: Millis,
}

/// An audit as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditDraft {
    /// A short name.
    pub title: String,
    /// The criteria.
    pub criteria: String,
    /// The scope.
    pub scope: String,
    /// The auditor (person id).
    pub auditor: String,
    /// The first day, as typed.
    pub start: String,
    /// The last day, as typed.
    pub end: String,
    /// The clauses chosen ("4" … "10").
    pub clauses: Vec<String>,
    /// The controls, as typed ("5.15, 8.13").
    pub controls: String,
}

impl AuditDraft {
    /// Checks the draft: `ws` needs the auditor in `people` and the added
    /// controls in `soa`.
    pub fn validate(&self, ws: &Workspace) -> Result<Audit, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let title = self.title.trim();
        if title.is_empty() {
            errors.push(Field::AuditTitle, "Name the audit.");
        }
        check_length(&mut errors, Field::AuditTitle, title, MAX_TITLE);
        let criteria = self.criteria.trim();
        if criteria.is_empty() {
            errors.push(
                Field::AuditCriteria,
                "Say what the audit checks against: the standard's clauses, a policy, a contract.",
            );
        }
        check_length(&mut errors, Field::AuditCriteria, criteria, MAX_LONG);
        let scope = self.scope.trim();
        check_length(&mut errors, Field::AuditScope, scope, MAX_LONG);
        if self.auditor.is_empty() {
            errors.push(
                Field::AuditAuditor,
                "Choose who audits: every audit needs an auditor.",
            );
        } else if ws
            .people
            .get(&self.auditor)
            .is_none_or(|p| p.archived.is_some())
        {
            errors.push(Field::AuditAuditor, "Choose the auditor from People.");
        }
        let start = self.start.trim();
        let end = match self.end.trim() {
            "" => start,
            end => end,
        };
        if parse_date(start).is_none() {
            errors.push(Field::AuditStart, "Enter the first day as YYYY-MM-DD.");
        }
        if parse_date(end).is_none() {
            errors.push(Field::AuditEnd, "Enter the last day as YYYY-MM-DD.");
        } else if parse_date(start).is_some() && end < start {
            errors.push(
                Field::AuditEnd,
                "The last day cannot come before the first.",
            );
        }
        let mut clauses: Vec<String> = CLAUSES
            .iter()
            .map(|(c, _)| (*c).to_owned())
            .filter(|c| self.clauses.contains(c))
            .collect();
        clauses.dedup();
        let mut controls: Vec<String> = Vec::new();
        let mut unknown: Vec<&str> = Vec::new();
        for control in self
            .controls
            .split([',', ';', ' '])
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            if !is_control(ws, control) {
                unknown.push(control);
            } else if !controls.iter().any(|c| c == control) {
                controls.push(control.to_owned());
            }
        }
        if !unknown.is_empty() {
            errors.push(
                Field::AuditControls,
                &format!(
                    "{} {} not a control of Annex A or of your Statement of Applicability.",
                    unknown.join(", "),
                    if unknown.len() == 1 { "is" } else { "are" }
                ),
            );
        } else if clauses.is_empty() && controls.is_empty() {
            errors.push(
                Field::AuditClauses,
                "Choose the clauses or the controls the audit covers.",
            );
        }
        errors.into_result(Audit {
            title: title.to_owned(),
            criteria: criteria.to_owned(),
            scope: scope.to_owned(),
            auditor: self.auditor.clone(),
            start: start.to_owned(),
            end: end.to_owned(),
            clauses,
            controls,
            ..Audit::default()
        })
    }
}

/// A finding as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FindingDraft {
    /// Its kind.
    pub kind: FindingKind,
    /// What was found.
    pub text: String,
    /// The clause, as typed ("9.2"), or "".
    pub clause: String,
    /// The control, as typed ("5.15"), or "".
    pub control: String,
}

impl FindingDraft {
    /// Checks the draft: a nonconformity names the requirement it is
    /// against (a clause or a control).
    pub fn validate(&self, ws: &Workspace) -> Result<Finding, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let text = self.text.trim();
        if text.is_empty() {
            errors.push(
                Field::FindingText,
                "Describe what was found, with the evidence.",
            );
        }
        check_length(&mut errors, Field::FindingText, text, MAX_LONG);
        let clause = self.clause.trim();
        let clause_ok = clause.is_empty() || {
            let top = clause.split('.').next().unwrap_or_default();
            CLAUSES.iter().any(|(c, _)| *c == top)
                && clause
                    .split('.')
                    .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
        };
        if !clause_ok {
            errors.push(
                Field::FindingClause,
                "Enter a clause from 4 to 10, for example 9.2 or 6.1.3.",
            );
        }
        let control = self.control.trim();
        if !control.is_empty() && !is_control(ws, control) {
            errors.push(
                Field::FindingControl,
                "Enter a control of Annex A or of your Statement of Applicability, for example 5.15.",
            );
        }
        if self.kind.is_nonconformity() && clause.is_empty() && control.is_empty() {
            errors.push(
                Field::FindingClause,
                "Name the clause or the control this nonconformity is against.",
            );
        }
        errors.into_result(Finding {
            kind: self.kind,
            text: text.to_owned(),
            clause: clause.to_owned(),
            control: control.to_owned(),
            created_at: 0,
        })
    }
}

// ---------------------------------------------------------------------------
// Coverage and impartiality.

/// What the audits over three years leave unaudited.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Clauses 4–10 no audit covers.
    pub clauses: Vec<&'static str>,
    /// Applicable controls no audit covers.
    pub controls: Vec<String>,
}

impl Coverage {
    /// Whether everything is covered.
    pub fn is_complete(&self) -> bool {
        self.clauses.is_empty() && self.controls.is_empty()
    }

    /// The warning in words, listing the controls; or that all is covered.
    pub fn in_words(&self) -> String {
        self.words(true)
    }

    /// The warning in words without the list of controls (the page lists
    /// them apart, folded away).
    pub fn headline(&self) -> String {
        self.words(false)
    }

    fn words(&self, listing: bool) -> String {
        if self.is_complete() {
            return "Every clause and applicable control is covered within three years.".to_owned();
        }
        let mut parts = Vec::new();
        if !self.clauses.is_empty() {
            let noun = if self.clauses.len() == 1 {
                "clause"
            } else {
                "clauses"
            };
            parts.push(format!("{noun} {}", and_list(&self.clauses)));
        }
        match self.controls.len() {
            0 => {}
            1 => parts.push("1 applicable control".to_owned()),
            n => parts.push(format!("{n} applicable controls")),
        }
        let verb = if self.clauses.len() + self.controls.len() > 1 {
            "are"
        } else {
            "is"
        };
        let listed = if self.controls.is_empty() || !listing {
            String::new()
        } else {
            format!(": {}", self.controls.join(", "))
        };
        format!(
            "Over three years, {} {verb} not audited{listed}.",
            parts.join(" and ")
        )
    }
}

/// "4", "4 and 5", "4, 5 and 6".
pub fn and_list(items: &[impl AsRef<str>]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_owned(),
        [rest @ .., last] => {
            let rest: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
            format!("{} and {}", rest.join(", "), last.as_ref())
        }
    }
}

/// The first day of the three years of audits that count on `today`: the
/// programme covers everything within a three-year cycle.
fn three_years_before(today: &str) -> String {
    let year: i32 = today
        .get(..4)
        .and_then(|y| y.parse().ok())
        .unwrap_or_default();
    format!("{:04}{}", year - 3, today.get(4..).unwrap_or_default())
}

/// What the audits held or planned in the three years up to `today` (and
/// any planned after it) leave uncovered: clauses 4 to 10, and controls
/// the Statement of Applicability marks applicable.
pub fn coverage(ws: &Workspace, today: &str) -> Coverage {
    let from = three_years_before(today);
    let counted: Vec<&Audit> = ws
        .audits
        .values()
        .filter(|a| a.end.as_str() > from.as_str())
        .collect();
    let clauses = CLAUSES
        .iter()
        .map(|(c, _)| *c)
        .filter(|c| !counted.iter().any(|a| a.clauses.iter().any(|x| x == c)))
        .collect();
    let controls = soa_rows(ws)
        .into_iter()
        .filter(|row| Applicability::of(&row.entry) == Applicability::Applicable)
        .map(|row| row.id)
        .filter(|id| !counted.iter().any(|a| a.controls.iter().any(|x| x == id)))
        .collect();
    Coverage { clauses, controls }
}

/// The standard activities (RACI rows) an audit of `clause` looks at.
fn activities_of_clause(clause: &str) -> &'static [&'static str] {
    match clause {
        "4" => &["conformity"],
        "5" => &["conformity", "policy"],
        "6" => &["risk-assessment", "soa", "risk-treatment"],
        "7" => &["awareness"],
        "8" => &["risk-assessment", "risk-treatment", "incident-management"],
        "9" => &[
            "performance-reporting",
            "internal-audit",
            "management-review",
        ],
        "10" => &["conformity"],
        _ => &[],
    }
}

/// The standard activity an audit of `control` looks at.
fn activity_of_control(control: &str) -> &'static str {
    match control {
        "5.1" => "policy",
        "5.24" | "5.25" | "5.26" | "5.27" | "5.28" => "incident-management",
        "6.3" => "awareness",
        "5.35" | "5.36" => "internal-audit",
        _ => "risk-treatment",
    }
}

/// Why `audit`'s auditor may not be impartial (9.2.2 c: auditors do not
/// audit their own work), in words: a role of theirs is accountable for an
/// activity the audit covers, or they own a control it covers. Read on
/// the audit's first day.
pub fn impartiality(ws: &Workspace, audit: &Audit) -> Vec<String> {
    let mut out = Vec::new();
    let auditor = audit.auditor.as_str();
    let name = ws
        .people
        .get(auditor)
        .map_or("The auditor", |p| p.name.as_str());
    let at = crate::workspace::measurements::day_number(&audit.start)
        .map_or(i64::MAX, |d| (d + 1) * 86_400_000 - 1);
    let mut activities: Vec<&str> = audit
        .clauses
        .iter()
        .flat_map(|c| activities_of_clause(c).iter().copied())
        .chain(audit.controls.iter().map(|c| activity_of_control(c)))
        .collect();
    activities.sort_unstable();
    activities.dedup();
    for activity in activities {
        let Some(row) = ws.raci.get(activity) else {
            continue;
        };
        for (role_id, letter) in &row.assignments {
            if *letter != Raci::Accountable {
                continue;
            }
            let Some(role) = ws.roles.get(role_id) else {
                continue;
            };
            if role.held_by_at(auditor, at) {
                let activity_name = STANDARD_ACTIVITIES
                    .iter()
                    .find(|(id, _)| *id == activity)
                    .map_or(row.name.as_str(), |(_, name)| name);
                out.push(format!(
                    "{name} holds the role {}, accountable for “{activity_name}”, which this audit \
                     covers: an auditor should not audit their own work.",
                    role.kind.label()
                ));
            }
        }
    }
    for control in &audit.controls {
        if ws.soa.get(control).is_some_and(|e| e.owner == auditor) {
            out.push(format!(
                "{name} owns control {control}, which this audit covers: an auditor should not \
                 audit their own work."
            ));
        }
    }
    out
}

/// Audits in date order, the latest first.
pub fn audits_in_order(ws: &Workspace) -> Vec<(&String, &Audit)> {
    let mut list: Vec<_> = ws.audits.iter().collect();
    list.sort_by(|(a_id, a), (b_id, b)| (&b.start, b_id).cmp(&(&a.start, a_id)));
    list
}

/// Findings of audits whose last day falls from `since` (exclusive) to
/// `until` (inclusive), counted by kind in [`FindingKind::ALL`]'s order:
/// input d(3) of the management review.
pub fn findings_between(ws: &Workspace, since: &str, until: &str) -> [usize; 4] {
    let mut counts = [0; 4];
    for audit in ws
        .audits
        .values()
        .filter(|a| a.end.as_str() > since && a.end.as_str() <= until)
    {
        for finding in audit.findings.values() {
            if let Some(i) = FindingKind::ALL.iter().position(|k| *k == finding.kind) {
                counts[i] += 1;
            }
        }
    }
    counts
}

// ---------------------------------------------------------------------------
// Commands.

const NOT_FOUND: CommandError = CommandError::NotFound("audit");

impl WorkspaceDoc {
    /// One audit, if it exists.
    pub fn audit(&self, id: &str) -> Result<Option<Audit>, CommandError> {
        let Some(map) = self.existing_map(ROOT, "audits") else {
            return Ok(None);
        };
        self.hydrate_entry(&map, id)
    }

    /// What validating an audit needs: the auditor and the added controls.
    fn audit_context(&self, auditor: &str, controls: &str) -> Result<Workspace, CommandError> {
        let mut ws = Workspace::default();
        if let Some(person) = self.person(auditor)? {
            ws.people.insert(auditor.to_owned(), person);
        }
        if let Some(soa) = self.existing_map(ROOT, "soa") {
            for control in controls.split([',', ';', ' ']).map(str::trim) {
                if control.is_empty() || annex_a_control(control).is_some() {
                    continue;
                }
                if let Some(entry) = self.hydrate_entry(&soa, control)? {
                    ws.soa.insert(control.to_owned(), entry);
                }
            }
        }
        Ok(ws)
    }

    /// Records an audit (planned or held); returns its id.
    pub fn add_audit(&mut self, draft: &AuditDraft, now: Millis) -> Result<String, CommandError> {
        let ws = self.audit_context(&draft.auditor, &draft.controls)?;
        let audit = Audit {
            created_at: now,
            ..draft.validate(&ws)?
        };
        let id = self.next_id(now);
        self.guard(|doc| {
            let map = doc.map(ROOT, "audits")?;
            Ok(reconcile_prop(&mut doc.doc, &map, id.as_str(), &audit)?)
        })?;
        self.commit(
            format!("Planned internal audit “{}” ({})", audit.title, audit.start),
            now,
        )?;
        Ok(id)
    }

    /// Changes an audit's own fields (its findings and report are kept).
    pub fn edit_audit(
        &mut self,
        id: &str,
        draft: &AuditDraft,
        now: Millis,
    ) -> Result<(), CommandError> {
        let old = self.audit(id)?.ok_or(NOT_FOUND)?;
        let ws = self.audit_context(&draft.auditor, &draft.controls)?;
        let new = draft.validate(&ws)?;
        let record = self.audit_obj(id)?;
        let mut changed = Vec::new();
        self.guard(|doc| {
            macro_rules! write {
                ($($field:ident),*) => {
                    $(if old.$field != new.$field {
                        reconcile_prop(&mut doc.doc, &record, stringify!($field), &new.$field)?;
                        changed.push(stringify!($field));
                    })*
                };
            }
            write!(
                title,
                criteria,
                scope, auditor, start, end, clauses, controls
            );
            Ok(())
        })?;
        if changed.is_empty() {
            return Ok(());
        }
        self.commit(
            format!(
                "Changed internal audit “{}”: {}",
                new.title,
                changed.join(", ")
            ),
            now,
        )
    }

    fn audit_obj(&self, id: &str) -> Result<automerge::ObjId, CommandError> {
        let map = self.existing_map(ROOT, "audits").ok_or(NOT_FOUND)?;
        self.existing_map(map, id).ok_or(NOT_FOUND)
    }

    /// Records a finding of audit `audit`; returns its id.
    pub fn add_finding(
        &mut self,
        audit: &str,
        draft: &FindingDraft,
        now: Millis,
    ) -> Result<String, CommandError> {
        let record = self.audit_obj(audit)?;
        let ws = self.audit_context("", &draft.control)?;
        let finding = Finding {
            created_at: now,
            ..draft.validate(&ws)?
        };
        let title: String = hydrate_prop(&self.doc, &record, "title")?;
        let id = self.next_id(now);
        self.guard(|doc| {
            let findings = doc.map(record, "findings")?;
            Ok(reconcile_prop(
                &mut doc.doc,
                &findings,
                id.as_str(),
                &finding,
            )?)
        })?;
        let against = match (finding.clause.as_str(), finding.control.as_str()) {
            ("", "") => String::new(),
            ("", control) => format!(" against control {control}"),
            (clause, "") => format!(" against clause {clause}"),
            (clause, control) => format!(" against clause {clause} and control {control}"),
        };
        self.commit(
            format!(
                "Audit “{title}”: {}{against}",
                finding.kind.label().to_lowercase()
            ),
            now,
        )?;
        Ok(id)
    }

    /// Records that audit `audit`'s results were reported to management.
    pub fn report_audit(
        &mut self,
        audit: &str,
        date: &str,
        to: &str,
        today: &str,
        now: Millis,
    ) -> Result<(), CommandError> {
        let old = self.audit(audit)?.ok_or(NOT_FOUND)?;
        let mut errors = ValidationErrors::default();
        let date = date.trim();
        let to = to.trim();
        if parse_date(date).is_none() {
            errors.push(Field::AuditReportDate, "Enter the day as YYYY-MM-DD.");
        } else if date > today {
            errors.push(Field::AuditReportDate, "The day cannot be in the future.");
        } else if date < old.end.as_str() {
            errors.push(
                Field::AuditReportDate,
                "Results are reported after the audit's last day.",
            );
        }
        if to.is_empty() {
            errors.push(
                Field::AuditReportTo,
                "Say to whom the results were reported.",
            );
        }
        check_length(&mut errors, Field::AuditReportTo, to, MAX_TITLE);
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let reported = Some(Reported {
            date: date.to_owned(),
            to: to.to_owned(),
            by: self.author().to_owned(),
        });
        let record = self.audit_obj(audit)?;
        self.guard(|doc| {
            Ok(reconcile_prop(
                &mut doc.doc,
                &record,
                "reported",
                &reported,
            )?)
        })?;
        self.commit(
            format!("Reported the results of audit “{}” to {to}", old.title),
            now,
        )
    }

    /// Sets the audit programme.
    pub fn set_audit_programme(
        &mut self,
        programme: &AuditProgramme,
        now: Millis,
    ) -> Result<(), CommandError> {
        let programme = AuditProgramme {
            frequency: programme.frequency.trim().to_owned(),
            methods: programme.methods.trim().to_owned(),
            responsibilities: programme.responsibilities.trim().to_owned(),
            reporting: programme.reporting.trim().to_owned(),
        };
        let mut errors = ValidationErrors::default();
        if programme.frequency.is_empty() {
            errors.push(
                Field::ProgrammeFrequency,
                "Say how often audits are held: the programme needs a frequency.",
            );
        }
        if programme.responsibilities.is_empty() {
            errors.push(
                Field::ProgrammeResponsibilities,
                "Say who plans the audits, who audits and who follows up.",
            );
        }
        for (field, text) in [
            (Field::ProgrammeFrequency, &programme.frequency),
            (Field::ProgrammeMethods, &programme.methods),
            (
                Field::ProgrammeResponsibilities,
                &programme.responsibilities,
            ),
            (Field::ProgrammeReporting, &programme.reporting),
        ] {
            check_length(&mut errors, field, text, MAX_LONG);
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let meta = self
            .existing_map(ROOT, "meta")
            .ok_or(CommandError::NotFound("workspace"))?;
        let old: AuditProgramme = self
            .hydrate_entry(&meta, "audit_programme")?
            .unwrap_or_default();
        if old == programme {
            return Ok(());
        }
        self.guard(|doc| {
            Ok(reconcile_prop(
                &mut doc.doc,
                &meta,
                "audit_programme",
                &programme,
            )?)
        })?;
        self.commit("Changed the audit programme".to_owned(), now)
    }
}
