//! Risk assessment and treatment (clauses 6.1.2, 6.1.3, 8.2, 8.3): the risk
//! criteria (scales, matrix, acceptance threshold and who may accept which
//! level; versioned and approved), the risk register with inherent and
//! residual levels, treatment options and actions, the Annex A and other
//! controls chosen, and the risk owner's signed acceptance, flagged for
//! re-approval when what it accepted changes.

use std::collections::BTreeMap;

use autosurgeon::{Hydrate, Reconcile};

use crate::workspace::Millis;
use crate::workspace::signing::ActSignature;

/// One version of the risk criteria. The criteria in force are the newest
/// approved version; each assessment records the version it used.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct CriteriaVersion {
    /// 1, 2, … in the order versions were made.
    #[autosurgeon(missing = "Default::default")]
    pub number: u32,
    /// Likelihood labels, lowest first ("Rare" … "Almost certain"): the
    /// scale runs from 1 to their count (5 by default).
    #[autosurgeon(missing = "Default::default")]
    pub likelihood: Vec<String>,
    /// Consequence labels, lowest first ("Negligible" … "Severe").
    #[autosurgeon(missing = "Default::default")]
    pub consequence: Vec<String>,
    /// The highest level (likelihood × consequence) that is acceptable
    /// without treatment; above it a risk must be treated, or accepted by
    /// someone with the authority for that level.
    #[autosurgeon(missing = "Default::default")]
    pub threshold: u32,
    /// Who may accept which residual level: each rule lets the holders of a
    /// role (id) accept residual levels up to `up_to`.
    #[autosurgeon(missing = "Default::default")]
    pub authority: Vec<AcceptanceAuthority>,
    /// When this version was made.
    #[autosurgeon(missing = "Default::default")]
    pub created_at: Millis,
    /// Its approval, once given (signed like every approval).
    #[autosurgeon(missing = "Default::default")]
    pub approval: Option<CriteriaApproval>,
}

/// Who may accept residual risks up to a level.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct AcceptanceAuthority {
    /// The role (id) whose holders may accept.
    #[autosurgeon(missing = "Default::default")]
    pub role: String,
    /// The highest residual level they may accept.
    #[autosurgeon(missing = "Default::default")]
    pub up_to: u32,
}

/// The approval of a criteria version.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct CriteriaApproval {
    /// Who approved (a People record id).
    #[autosurgeon(missing = "Default::default")]
    pub person: String,
    /// When.
    #[autosurgeon(missing = "Default::default")]
    pub at: Millis,
    /// The signature ([`crate::workspace::signing::Act::CriteriaApproval`]).
    #[autosurgeon(missing = "Default::default")]
    pub signature: Option<ActSignature>,
}

/// Which security property a risk threatens.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Reconcile, Hydrate)]
pub enum Property {
    /// Confidentiality.
    #[default]
    Confidentiality,
    /// Integrity.
    Integrity,
    /// Availability.
    Availability,
}

/// What is done about a risk (6.1.3).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Reconcile, Hydrate)]
pub enum TreatmentOption {
    /// Not decided yet.
    #[default]
    Undecided,
    /// Modify it with controls.
    Modify,
    /// Retain (accept) it as it is.
    Retain,
    /// Avoid it: stop the activity.
    Avoid,
    /// Share it (insurance, a supplier).
    Share,
}

/// A likelihood and a consequence, each from 1 to its scale's length.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Reconcile, Hydrate)]
pub struct Rating {
    /// Likelihood, 1-based.
    #[autosurgeon(missing = "Default::default")]
    pub likelihood: u32,
    /// Consequence, 1-based.
    #[autosurgeon(missing = "Default::default")]
    pub consequence: u32,
}

impl Rating {
    /// The level: likelihood × consequence.
    pub fn level(self) -> u32 {
        self.likelihood * self.consequence
    }
}

/// One risk of the register.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Risk {
    /// A short name ("Ransomware on the booking platform").
    #[autosurgeon(missing = "Default::default")]
    pub title: String,
    /// The asset or scenario at risk.
    #[autosurgeon(missing = "Default::default")]
    pub asset: String,
    /// The threat.
    #[autosurgeon(missing = "Default::default")]
    pub threat: String,
    /// The vulnerability it exploits.
    #[autosurgeon(missing = "Default::default")]
    pub vulnerability: String,
    /// Which of confidentiality, integrity and availability it threatens.
    #[autosurgeon(missing = "Default::default")]
    pub properties: Vec<Property>,
    /// The risk owner (a People record id).
    #[autosurgeon(missing = "Default::default")]
    pub owner: String,
    /// Before treatment.
    #[autosurgeon(missing = "Default::default")]
    pub inherent: Rating,
    /// After treatment.
    #[autosurgeon(missing = "Default::default")]
    pub residual: Rating,
    /// The criteria version (id) this assessment used.
    #[autosurgeon(missing = "Default::default")]
    pub criteria: String,
    /// What is done about it.
    #[autosurgeon(missing = "Default::default")]
    pub treatment: TreatmentOption,
    /// Treatment actions by id.
    #[autosurgeon(missing = "Default::default")]
    pub actions: BTreeMap<String, TreatmentAction>,
    /// The controls chosen: Annex A ids ("5.15") or added controls' ids.
    #[autosurgeon(missing = "Default::default")]
    pub controls: Vec<String>,
    /// When it is to be assessed again (YYYY-MM-DD).
    #[autosurgeon(missing = "Default::default")]
    pub reassess_by: String,
    /// The owner's signed approval of the treatment plan and acceptance of
    /// the residual risk, with what it accepted.
    #[autosurgeon(missing = "Default::default")]
    pub acceptance: Option<Acceptance>,
    /// When it was added.
    #[autosurgeon(missing = "Default::default")]
    pub created_at: Millis,
}

/// A treatment action.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct TreatmentAction {
    /// What is to be done.
    #[autosurgeon(missing = "Default::default")]
    pub title: String,
    /// Who does it (a People record id).
    #[autosurgeon(missing = "Default::default")]
    pub owner: String,
    /// What it needs (money, time, tools).
    #[autosurgeon(missing = "Default::default")]
    pub resources: String,
    /// By when (YYYY-MM-DD).
    #[autosurgeon(missing = "Default::default")]
    pub due: String,
    /// Whether it is done.
    #[autosurgeon(missing = "Default::default")]
    pub done: bool,
}

/// The risk owner's acceptance: who, when, at which heads, and what was
/// accepted (so a later change to any of it flags the acceptance for
/// re-approval).
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Acceptance {
    /// Who accepted (a People record id; the risk owner).
    #[autosurgeon(missing = "Default::default")]
    pub person: String,
    /// When.
    #[autosurgeon(missing = "Default::default")]
    pub at: Millis,
    /// What was accepted.
    #[autosurgeon(missing = "Default::default")]
    pub basis: AcceptedBasis,
    /// The signature ([`crate::workspace::signing::Act::RiskAcceptance`]),
    /// which also records the document heads.
    #[autosurgeon(missing = "Default::default")]
    pub signature: Option<ActSignature>,
}

/// What an acceptance accepted.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct AcceptedBasis {
    /// The inherent rating then.
    #[autosurgeon(missing = "Default::default")]
    pub inherent: Rating,
    /// The residual rating then.
    #[autosurgeon(missing = "Default::default")]
    pub residual: Rating,
    /// The treatment option then.
    #[autosurgeon(missing = "Default::default")]
    pub treatment: TreatmentOption,
    /// The controls then.
    #[autosurgeon(missing = "Default::default")]
    pub controls: Vec<String>,
    /// The criteria version (id) then.
    #[autosurgeon(missing = "Default::default")]
    pub criteria: String,
}
