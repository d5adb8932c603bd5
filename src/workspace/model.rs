//! The workspace schema as autosurgeon maps it onto the Automerge document.
//!
//! Records live in maps keyed by a random id, so concurrent inserts never
//! collide. Every field has a `missing` default so that documents written by
//! an older version of Charter still open.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use autosurgeon::{Hydrate, Reconcile, Text};

use crate::workspace::Millis;

/// The whole workspace as the UI reads it.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Workspace {
    /// Organisation name, ISMS scope and creation time.
    #[autosurgeon(missing = "Default::default")]
    pub meta: Meta,
    /// Device actor id (hex) → the person behind it.
    #[autosurgeon(missing = "Default::default")]
    pub members: BTreeMap<String, Member>,
    /// Security objectives (clause 6.2) by id.
    #[autosurgeon(missing = "Default::default")]
    pub objectives: BTreeMap<String, Objective>,
    /// People in the organisation (clause 5.3) by id.
    #[autosurgeon(missing = "Default::default")]
    pub people: BTreeMap<String, crate::workspace::roles::Person>,
    /// ISMS roles (clause 5.3) by id.
    #[autosurgeon(missing = "Default::default")]
    pub roles: BTreeMap<String, crate::workspace::roles::Role>,
    /// RACI activities (clause 5.3) by id, each with its role assignments.
    #[autosurgeon(missing = "Default::default")]
    pub raci: BTreeMap<String, crate::workspace::roles::Activity>,
    /// The information security policy and topic-specific policies (5.2) by id.
    #[autosurgeon(missing = "Default::default")]
    pub policies: BTreeMap<String, crate::workspace::policies::Policy>,
    /// Training and awareness programmes (7.2, 7.3) by id.
    #[autosurgeon(missing = "Default::default")]
    pub trainings: BTreeMap<String, crate::workspace::training::Programme>,
    /// The leadership commitment checklist (5.1 a–h), keyed by duty letter.
    #[autosurgeon(missing = "Default::default")]
    pub commitment: BTreeMap<String, crate::workspace::commitment::DutyRecord>,
    /// Budget lines (clause 7.1) by id.
    #[autosurgeon(missing = "Default::default")]
    pub budget: BTreeMap<String, crate::workspace::resources::BudgetLine>,
    /// People time (clause 7.1): full-time equivalents keyed by role id.
    #[autosurgeon(missing = "Default::default")]
    pub fte: BTreeMap<String, crate::workspace::resources::FteAllocation>,
    /// Competence records (clause 7.2) by id.
    #[autosurgeon(missing = "Default::default")]
    pub competence: BTreeMap<String, crate::workspace::competence::CompetenceRecord>,
    /// Communications (clause 7.4) by id.
    #[autosurgeon(missing = "Default::default")]
    pub communications: BTreeMap<String, crate::workspace::communication::Communication>,
    /// Management reviews (clause 9.3) by id.
    #[autosurgeon(missing = "Default::default")]
    pub reviews: BTreeMap<String, crate::workspace::reviews::Review>,
    /// Actions decided by management reviews (9.3.3) by id.
    #[autosurgeon(missing = "Default::default")]
    pub actions: BTreeMap<String, crate::workspace::reviews::Action>,
    /// Risk criteria versions (6.1.2) by id.
    #[autosurgeon(missing = "Default::default")]
    pub criteria: BTreeMap<String, crate::workspace::risks::CriteriaVersion>,
    /// The risk register (6.1.2, 6.1.3, 8.2, 8.3) by id.
    #[autosurgeon(missing = "Default::default")]
    pub risks: BTreeMap<String, crate::workspace::risks::Risk>,
    /// The Statement of Applicability (6.1.3 d) by control id.
    #[autosurgeon(missing = "Default::default")]
    pub soa: BTreeMap<String, crate::workspace::soa::SoaEntry>,
    /// Approved versions of the Statement of Applicability by id.
    #[autosurgeon(missing = "Default::default")]
    pub soa_versions: BTreeMap<String, crate::workspace::soa::SoaVersion>,
    /// The implementation plan's stages by id.
    #[autosurgeon(missing = "Default::default")]
    pub stages: BTreeMap<String, crate::workspace::plan::Stage>,
    /// Internal and external issues (4.1) by id.
    #[autosurgeon(missing = "Default::default")]
    pub issues: BTreeMap<String, crate::workspace::context::ContextIssue>,
    /// Interested parties and their requirements (4.2) by id.
    #[autosurgeon(missing = "Default::default")]
    pub parties: BTreeMap<String, crate::workspace::context::InterestedParty>,
    /// Versions of the ISMS scope (4.3) by id.
    #[autosurgeon(missing = "Default::default")]
    pub scopes: BTreeMap<String, crate::workspace::context::ScopeVersion>,
    /// Planned changes to the ISMS (6.3) by id.
    #[autosurgeon(missing = "Default::default")]
    pub planned_changes: BTreeMap<String, crate::workspace::planned_changes::PlannedChange>,
    /// Internal audits (9.2) by id.
    #[autosurgeon(missing = "Default::default")]
    pub audits: BTreeMap<String, crate::workspace::audits::Audit>,
    /// Nonconformities and their corrective actions (10.2) by id.
    #[autosurgeon(missing = "Default::default")]
    pub nonconformities: BTreeMap<String, crate::workspace::nonconformities::Nonconformity>,
    /// The improvement log (10.1) by id.
    #[autosurgeon(missing = "Default::default")]
    pub improvements: BTreeMap<String, crate::workspace::nonconformities::Improvement>,
    /// Certificates from the certification body by id.
    #[autosurgeon(missing = "Default::default")]
    pub certificates: BTreeMap<String, crate::workspace::certification::Certificate>,
    /// Device signing keys (public, hex) → the person each speaks for and
    /// its confirmation ([`crate::workspace::signing`]).
    #[autosurgeon(missing = "Default::default")]
    pub keys: BTreeMap<String, crate::workspace::signing::KeyRecord>,
}

/// What the workspace is about.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Meta {
    /// The organisation whose ISMS this is.
    #[autosurgeon(missing = "Default::default")]
    pub organisation: String,
    /// The ISMS scope statement (clause 4.3).
    #[autosurgeon(missing = "Default::default")]
    pub scope: String,
    /// When the workspace was created.
    #[autosurgeon(missing = "Default::default")]
    pub created_at: Millis,
    /// The public signing key (hex) of the browser that created the
    /// workspace: where every chain of key confirmations starts
    /// ([`crate::workspace::signing`]). Empty in workspaces made before signing.
    #[autosurgeon(missing = "Default::default")]
    pub founder: String,
    /// How often management reviews are held, in months (clause 9.3).
    #[autosurgeon(missing = "Default::default")]
    pub review_every_months: Option<u32>,
    /// Whether climate change is a relevant issue (4.1, Amd 1:2024), and why.
    #[autosurgeon(missing = "Default::default")]
    pub climate: crate::workspace::context::Climate,
    /// The internal audit programme (9.2.2).
    #[autosurgeon(missing = "Default::default")]
    pub audit_programme: crate::workspace::audits::AuditProgramme,
}

/// That a record was archived rather than deleted: it is kept, with its
/// history, as evidence, and left out of the lists of what is current.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Archived {
    /// When it was archived.
    #[autosurgeon(missing = "Default::default")]
    pub at: Millis,
    /// The display name of whoever archived it.
    #[autosurgeon(missing = "Default::default")]
    pub by: String,
}

/// A person known by one of their devices' actor ids.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Member {
    /// The display name the person chose.
    #[autosurgeon(missing = "Default::default")]
    pub name: String,
}

/// How an objective is doing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Reconcile, Hydrate)]
pub enum Health {
    /// Nobody has assessed it, and no measurement says: where every new
    /// objective starts.
    #[default]
    NotAssessed,
    /// Expected to meet its target on time.
    OnTrack,
    /// Could miss its target unless something changes.
    AtRisk,
    /// Will miss its target without intervention.
    OffTrack,
}

impl Health {
    /// Every health value, in the order the UI offers them.
    pub const ALL: [Health; 4] = [
        Health::NotAssessed,
        Health::OnTrack,
        Health::AtRisk,
        Health::OffTrack,
    ];

    /// The label a person reads.
    pub fn label(self) -> &'static str {
        match self {
            Health::NotAssessed => "Not assessed",
            Health::OnTrack => "On track",
            Health::AtRisk => "At risk",
            Health::OffTrack => "Off track",
        }
    }

    /// A stable machine name, used as a form value and a CSS class.
    pub fn slug(self) -> &'static str {
        match self {
            Health::NotAssessed => "not-assessed",
            Health::OnTrack => "on-track",
            Health::AtRisk => "at-risk",
            Health::OffTrack => "off-track",
        }
    }

    /// The health whose [`Health::slug`] is `key`.
    pub fn from_slug(slug: &str) -> Option<Health> {
        Health::ALL.into_iter().find(|h| h.slug() == slug)
    }
}

/// A measurable information security objective (clause 6.2).
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Objective {
    /// What the objective is, in a few words.
    #[autosurgeon(missing = "Default::default")]
    pub title: String,
    /// Why it matters and what will be done; collaborative text.
    #[autosurgeon(missing = "Default::default")]
    pub description: Text,
    /// The value to reach, when the objective is measurable.
    #[autosurgeon(missing = "Default::default")]
    pub target: Option<f64>,
    /// The unit of the target, such as "%" or "days".
    #[autosurgeon(missing = "Default::default")]
    pub unit: String,
    /// Who was named responsible for it, as typed before owners were
    /// People records; kept for old objectives until a person is chosen.
    #[autosurgeon(missing = "Default::default")]
    pub owner: String,
    /// Who is responsible for it: a People record id.
    #[autosurgeon(missing = "Default::default")]
    pub owner_id: Option<String>,
    /// The function or level it belongs to ("Organisation-wide", "IT operations").
    #[autosurgeon(missing = "Default::default")]
    pub function: String,
    /// When it will be completed (YYYY-MM-DD).
    #[autosurgeon(missing = "Default::default")]
    pub due: Option<String>,
    /// A person's assessment of its health; it counts over what the
    /// measurements suggest only with a reason
    /// ([`crate::workspace::assessment::assessed_health`]).
    #[autosurgeon(missing = "Default::default")]
    pub health: Health,
    /// Why the assessment differs from what the measurements suggest.
    #[autosurgeon(missing = "Default::default")]
    pub health_reason: String,
    /// How the results will be evaluated.
    #[autosurgeon(missing = "Default::default")]
    pub evaluation: String,
    /// When it was added.
    #[autosurgeon(missing = "Default::default")]
    pub created_at: Millis,
    /// Planning (6.2): what will be done to reach it.
    #[autosurgeon(missing = "Default::default")]
    pub plan: String,
    /// Planning (6.2): what resources it requires.
    #[autosurgeon(missing = "Default::default")]
    pub resources: String,
    /// The policy (5.2) this objective serves, by id.
    #[autosurgeon(missing = "Default::default")]
    pub policy_id: Option<String>,
    /// The risks (6.1) this objective addresses, by id.
    #[autosurgeon(missing = "Default::default")]
    pub risk_ids: Vec<String>,
    /// Whether the target is a floor to reach or a ceiling to stay under.
    #[autosurgeon(missing = "Default::default")]
    pub direction: crate::workspace::measurements::Direction,
    /// Dated measurements (6.2 d, 9.1) by id.
    #[autosurgeon(missing = "Default::default")]
    pub measurements: BTreeMap<String, crate::workspace::measurements::Measurement>,
    /// Monitoring plan (9.1): measured every this many months.
    #[autosurgeon(missing = "Default::default")]
    pub monitor_months: Option<u32>,
    /// Monitoring plan: who measures (a People record id).
    #[autosurgeon(missing = "Default::default")]
    pub measured_by: Option<String>,
    /// Monitoring plan: who analyses and evaluates the results (a People record id).
    #[autosurgeon(missing = "Default::default")]
    pub analysed_by: Option<String>,
    /// Open, or closed as achieved, not achieved or withdrawn.
    #[autosurgeon(missing = "Default::default")]
    pub status: crate::workspace::assessment::ObjectiveStatus,
    /// The closing evaluation, once closed.
    #[autosurgeon(missing = "Default::default")]
    pub closing: Option<crate::workspace::assessment::Closing>,
}

impl Objective {
    /// The target with its unit, as a person writes it ("95 %", "3 days").
    pub fn target_label(&self) -> Option<String> {
        self.target.map(|t| {
            let number = format_number(t);
            if self.unit.is_empty() {
                number
            } else if self.unit == "%" {
                format!("{number}%")
            } else {
                format!("{number} {}", self.unit)
            }
        })
    }
}

/// A number without a trailing ".0" (95 rather than 95.0).
pub fn format_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

impl Workspace {
    /// Objectives, open and closed, in the order they were added, oldest first.
    pub fn objectives_in_order(&self) -> Vec<(&String, &Objective)> {
        let mut list: Vec<_> = self.objectives.iter().collect();
        sort_list(&mut list, |(a_id, a), (b_id, b)| {
            a.created_at.cmp(&b.created_at).then(a_id.cmp(b_id))
        });
        list
    }
}

impl Workspace {
    /// The open objectives (not achieved, missed or withdrawn yet), oldest first.
    pub fn open_objectives(&self) -> Vec<(&String, &Objective)> {
        let mut list = self.objectives_in_order();
        list.retain(|(_, o)| o.status.is_open());
        list
    }
}

/// Sorts `list` by `cmp`, keeping equal items in their order. Every list in
/// Charter is sorted through here: the sort itself exists once in the
/// shipped wasm ([`stable_order`]) instead of once per kind of list, which
/// kept about 10 KB (brotli) out of the download.
pub fn sort_list<T>(list: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    let order = stable_order(list.len(), &|a, b| cmp(&list[a], &list[b]));
    let mut slots: Vec<Option<T>> = std::mem::take(list).into_iter().map(Some).collect();
    list.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// The stable order of `len` items compared by index.
fn stable_order(len: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|a, b| cmp(*a, *b));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_list_orders_and_keeps_ties_in_place() {
        let mut list = vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        sort_list(&mut list, |a, b| a.0.cmp(&b.0));
        assert_eq!(list, [(1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
        let mut empty: Vec<u8> = Vec::new();
        sort_list(&mut empty, Ord::cmp);
        assert!(empty.is_empty());
        let mut words = vec!["pear", "Apple", "fig"];
        sort_list(&mut words, |a, b| a.to_lowercase().cmp(&b.to_lowercase()));
        assert_eq!(words, ["Apple", "fig", "pear"]);
    }
}
