//! The stage 1 dossier: every document and record a certification body
//! asks for at the stage 1 audit (ISO/IEC 27001 clauses 4.3 to 10.2), each
//! with the record that answers it, how fresh it is, who approved it, and
//! what is missing.

use crate::workspace::Millis;
use crate::workspace::context::{scope_in_force, scope_versions};
use crate::workspace::measurements::date_of;
use crate::workspace::model::Workspace;
use crate::workspace::policies::{PolicyInForce, policy_in_force};
use crate::workspace::risks::criteria_in_force;
use crate::workspace::soa::versions_in_order;

/// What a stage 1 audit asks for, in the order the dossier lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DossierItem {
    /// The ISMS scope (4.3).
    Scope,
    /// The information security policy (5.2).
    Policy,
    /// The risk criteria (6.1.2).
    RiskCriteria,
    /// The risk assessment: the register (6.1.2, 8.2).
    RiskAssessment,
    /// The risk treatment plan: actions and acceptances (6.1.3, 8.3).
    RiskTreatment,
    /// The Statement of Applicability (6.1.3 d).
    Soa,
    /// The information security objectives (6.2).
    Objectives,
    /// Evidence of competence (7.2).
    Competence,
    /// Monitoring and measurement results (9.1).
    Monitoring,
    /// The internal audit programme and its results (9.2).
    Audits,
    /// The results of management reviews (9.3).
    ManagementReview,
    /// Nonconformities and corrective actions (10.2).
    Nonconformities,
}

impl DossierItem {
    /// Every item, in the dossier's order.
    pub const ALL: [DossierItem; 12] = [
        DossierItem::Scope,
        DossierItem::Policy,
        DossierItem::RiskCriteria,
        DossierItem::RiskAssessment,
        DossierItem::RiskTreatment,
        DossierItem::Soa,
        DossierItem::Objectives,
        DossierItem::Competence,
        DossierItem::Monitoring,
        DossierItem::Audits,
        DossierItem::ManagementReview,
        DossierItem::Nonconformities,
    ];

    /// Its name, as a certification body asks for it.
    pub fn label(self) -> &'static str {
        match self {
            DossierItem::Scope => "ISMS scope",
            DossierItem::Policy => "Information security policy",
            DossierItem::RiskCriteria => "Risk criteria",
            DossierItem::RiskAssessment => "Risk assessment",
            DossierItem::RiskTreatment => "Risk treatment plan",
            DossierItem::Soa => "Statement of Applicability",
            DossierItem::Objectives => "Information security objectives",
            DossierItem::Competence => "Evidence of competence",
            DossierItem::Monitoring => "Monitoring and measurement results",
            DossierItem::Audits => "Internal audit programme and results",
            DossierItem::ManagementReview => "Management review results",
            DossierItem::Nonconformities => "Nonconformities and corrective actions",
        }
    }

    /// Whether its record is approved or signed by someone (the others are
    /// kept, not approved).
    pub fn is_approved(self) -> bool {
        matches!(
            self,
            DossierItem::Scope
                | DossierItem::Policy
                | DossierItem::RiskCriteria
                | DossierItem::RiskTreatment
                | DossierItem::Soa
                | DossierItem::ManagementReview
        )
    }

    /// The clause of ISO/IEC 27001 that asks for it.
    pub fn clause(self) -> &'static str {
        match self {
            DossierItem::Scope => "4.3",
            DossierItem::Policy => "5.2",
            DossierItem::RiskCriteria => "6.1.2",
            DossierItem::RiskAssessment => "6.1.2, 8.2",
            DossierItem::RiskTreatment => "6.1.3, 8.3",
            DossierItem::Soa => "6.1.3 d",
            DossierItem::Objectives => "6.2",
            DossierItem::Competence => "7.2",
            DossierItem::Monitoring => "9.1",
            DossierItem::Audits => "9.2",
            DossierItem::ManagementReview => "9.3",
            DossierItem::Nonconformities => "10.2",
        }
    }
}

/// The record that answers an item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DossierRecord {
    /// What it is, in words ("Scope version 2", "3 risks").
    pub title: String,
    /// Where it is, under the workspace's address ("context", "reviews/<id>").
    pub link: String,
    /// When it last changed or was approved (YYYY-MM-DD), if known.
    pub fresh: Option<String>,
    /// Who approved or signed it, where a record is approved.
    pub approved_by: Option<String>,
}

/// One line of the dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DossierRow {
    /// What is asked for.
    pub item: DossierItem,
    /// The record that answers it, if there is one.
    pub record: Option<DossierRecord>,
    /// What is missing, each starting "Missing: ".
    pub gaps: Vec<String>,
}

impl DossierRow {
    /// Whether anything is missing.
    pub fn has_gaps(&self) -> bool {
        !self.gaps.is_empty()
    }
}

/// A person's name by id, or "" when unknown.
fn name(ws: &Workspace, person: &str) -> String {
    ws.people
        .get(person)
        .map(|p| p.name.clone())
        .unwrap_or_default()
}

/// A known name, or none.
fn named(name: String) -> Option<String> {
    (!name.trim().is_empty()).then_some(name)
}

/// The latest of some times, as a day.
fn latest(times: impl Iterator<Item = Millis>) -> Option<String> {
    times.filter(|t| *t > 0).max().map(date_of)
}

/// "N things".
fn counted(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A row with a record and no gaps, or only a gap.
fn row(item: DossierItem, record: Option<DossierRecord>, missing: &str) -> DossierRow {
    let gaps = if record.is_none() {
        vec![format!("Missing: {missing}")]
    } else {
        Vec::new()
    };
    DossierRow { item, record, gaps }
}

/// The dossier of `ws`: every item in [`DossierItem::ALL`] order.
pub fn dossier(ws: &Workspace) -> Vec<DossierRow> {
    DossierItem::ALL
        .into_iter()
        .map(|item| match item {
            DossierItem::Scope => scope(ws),
            DossierItem::Policy => policy(ws),
            DossierItem::RiskCriteria => criteria(ws),
            DossierItem::RiskAssessment => assessment(ws),
            DossierItem::RiskTreatment => treatment(ws),
            DossierItem::Soa => soa(ws),
            DossierItem::Objectives => objectives(ws),
            DossierItem::Competence => competence(ws),
            DossierItem::Monitoring => monitoring(ws),
            DossierItem::Audits => audits(ws),
            DossierItem::ManagementReview => review(ws),
            DossierItem::Nonconformities => nonconformities(ws),
        })
        .collect()
}

fn scope(ws: &Workspace) -> DossierRow {
    let item = DossierItem::Scope;
    if let Some((_, version)) = scope_in_force(ws) {
        let approval = version.approval.as_ref();
        return row(
            item,
            Some(DossierRecord {
                title: format!("Scope version {}, approved", version.number),
                link: "context".to_owned(),
                fresh: approval.map(|a| date_of(a.at)),
                approved_by: approval.and_then(|a| named(name(ws, &a.person))),
            }),
            "",
        );
    }
    // A scope version written but not approved yet is there, and says so;
    // the one-line statement the workspace starts with is not enough.
    let record = scope_versions(ws).last().map(|(_, version)| DossierRecord {
        title: format!("Scope version {}, not approved yet", version.number),
        link: "context".to_owned(),
        fresh: latest(std::iter::once(version.created_at)),
        approved_by: None,
    });
    row(
        item,
        record,
        "a documented ISMS scope with its boundaries and interfaces",
    )
}

fn policy(ws: &Workspace) -> DossierRow {
    let item = DossierItem::Policy;
    let record = match policy_in_force(&ws.policies) {
        PolicyInForce::One { id, title, .. } => ws.policies.get(&id).map(|p| {
            let last = p.approvals.iter().max_by_key(|a| a.at);
            DossierRecord {
                title,
                link: format!("policies#record-{id}"),
                fresh: last.map(|a| date_of(a.at)),
                approved_by: last.and_then(|a| named(a.approver_name.clone())),
            }
        }),
        PolicyInForce::Several(titles) => Some(DossierRecord {
            title: format!("Several in force: {}", titles.join("; ")),
            link: "policies".to_owned(),
            fresh: None,
            approved_by: None,
        }),
        PolicyInForce::None => None,
    };
    row(item, record, "an approved information security policy")
}

fn criteria(ws: &Workspace) -> DossierRow {
    let record = criteria_in_force(ws).map(|(_, c)| {
        let approval = c.approval.as_ref();
        DossierRecord {
            title: format!("Risk criteria version {}", c.number),
            link: "risks".to_owned(),
            fresh: approval.map(|a| date_of(a.at)),
            approved_by: approval.and_then(|a| named(name(ws, &a.person))),
        }
    });
    row(
        DossierItem::RiskCriteria,
        record,
        "approved risk acceptance and assessment criteria",
    )
}

fn assessment(ws: &Workspace) -> DossierRow {
    let record = (!ws.risks.is_empty()).then(|| DossierRecord {
        title: format!(
            "Risk register: {}",
            counted(ws.risks.len(), "risk", "risks")
        ),
        link: "risks".to_owned(),
        fresh: latest(ws.risks.values().map(|r| r.created_at)),
        approved_by: None,
    });
    row(
        DossierItem::RiskAssessment,
        record,
        "a risk assessment (the risk register is empty)",
    )
}

fn treatment(ws: &Workspace) -> DossierRow {
    let actions: usize = ws.risks.values().map(|r| r.actions.len()).sum();
    let accepted: Vec<_> = ws
        .risks
        .values()
        .filter_map(|r| r.acceptance.as_ref())
        .collect();
    let record = (actions + accepted.len() > 0).then(|| {
        let mut owners: Vec<String> = accepted
            .iter()
            .filter_map(|a| named(name(ws, &a.person)))
            .collect();
        owners.sort();
        owners.dedup();
        DossierRecord {
            title: format!(
                "{}; {} accepted by their owners",
                counted(actions, "treatment action", "treatment actions"),
                counted(accepted.len(), "residual risk", "residual risks"),
            ),
            link: "risks".to_owned(),
            fresh: latest(
                accepted
                    .iter()
                    .map(|a| a.at)
                    .chain(ws.risks.values().map(|r| r.created_at)),
            ),
            approved_by: named(owners.join(", ")),
        }
    });
    row(
        DossierItem::RiskTreatment,
        record,
        "risk treatment actions, or the risk owners' acceptance of residual risks",
    )
}

fn soa(ws: &Workspace) -> DossierRow {
    let record = versions_in_order(ws).last().map(|(_, v)| DossierRecord {
        title: format!("Version {}, approved", v.number),
        link: "soa".to_owned(),
        fresh: latest(std::iter::once(v.at)),
        approved_by: named(name(ws, &v.person)),
    });
    row(
        DossierItem::Soa,
        record,
        "an approved version of the Statement of Applicability",
    )
}

fn objectives(ws: &Workspace) -> DossierRow {
    let open = ws.open_objectives();
    let record = (!open.is_empty()).then(|| DossierRecord {
        title: counted(open.len(), "objective", "objectives"),
        link: String::new(),
        fresh: latest(open.iter().map(|(_, o)| o.created_at)),
        approved_by: None,
    });
    row(
        DossierItem::Objectives,
        record,
        "information security objectives",
    )
}

fn competence(ws: &Workspace) -> DossierRow {
    let record = (!ws.competence.is_empty()).then(|| DossierRecord {
        title: counted(
            ws.competence.len(),
            "competence record",
            "competence records",
        ),
        link: "roles#competence".to_owned(),
        fresh: ws.competence.values().map(|c| c.date.clone()).max(),
        approved_by: None,
    });
    row(
        DossierItem::Competence,
        record,
        "records of the competence of the people in ISMS roles",
    )
}

fn monitoring(ws: &Workspace) -> DossierRow {
    let count: usize = ws.objectives.values().map(|o| o.measurements.len()).sum();
    let record = (count > 0).then(|| DossierRecord {
        title: counted(count, "measurement", "measurements"),
        link: String::new(),
        fresh: ws
            .objectives
            .values()
            .flat_map(|o| o.measurements.values().map(|m| m.date.clone()))
            .max(),
        approved_by: None,
    });
    row(
        DossierItem::Monitoring,
        record,
        "measurements of the objectives",
    )
}

fn audits(ws: &Workspace) -> DossierRow {
    let programme = &ws.meta.audit_programme;
    let has_programme = !programme.frequency.trim().is_empty();
    let reported: Vec<_> = ws
        .audits
        .values()
        .filter_map(|a| a.reported.as_ref())
        .collect();
    let mut gaps = Vec::new();
    if !has_programme {
        gaps.push("Missing: the internal audit programme".to_owned());
    }
    if reported.is_empty() {
        gaps.push("Missing: an internal audit with its results reported".to_owned());
    }
    let record = (has_programme || !ws.audits.is_empty()).then(|| DossierRecord {
        title: format!(
            "{}, {} reported",
            counted(ws.audits.len(), "internal audit", "internal audits"),
            reported.len()
        ),
        link: "audits".to_owned(),
        fresh: reported
            .iter()
            .map(|r| r.date.clone())
            .chain(ws.audits.values().map(|a| a.end.clone()))
            .filter(|d| !d.is_empty())
            .max(),
        approved_by: None,
    });
    DossierRow {
        item: DossierItem::Audits,
        record,
        gaps,
    }
}

fn review(ws: &Workspace) -> DossierRow {
    let signed = ws
        .reviews
        .iter()
        .filter_map(|(id, r)| r.signoff.as_ref().map(|s| (id, r, s)))
        .max_by(|(a_id, a, a_s), (b_id, b, b_s)| {
            (&a.date, a_s.at, *a_id).cmp(&(&b.date, b_s.at, *b_id))
        });
    let record = signed.map(|(id, r, s)| DossierRecord {
        title: format!("Management review {} of {}", r.reference, r.date),
        link: format!("reviews/{id}"),
        fresh: latest(std::iter::once(s.at)),
        approved_by: named(name(ws, &r.chair)),
    });
    row(
        DossierItem::ManagementReview,
        record,
        "a management review signed by its chair",
    )
}

fn nonconformities(ws: &Workspace) -> DossierRow {
    let closed = ws
        .nonconformities
        .values()
        .filter(|n| n.closed.is_some())
        .count();
    let record = (!ws.nonconformities.is_empty()).then(|| DossierRecord {
        title: format!(
            "{}, {closed} closed",
            counted(ws.nonconformities.len(), "nonconformity", "nonconformities")
        ),
        link: "audits#nonconformities".to_owned(),
        fresh: ws.nonconformities.values().map(|n| n.raised.clone()).max(),
        approved_by: None,
    });
    row(
        DossierItem::Nonconformities,
        record,
        "the record of nonconformities and their corrective actions",
    )
}
