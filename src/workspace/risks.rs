//! Risk assessment and treatment (clauses 6.1.2, 6.1.3, 8.2, 8.3): the risk
//! criteria (scales, matrix, acceptance threshold and who may accept which
//! level; versioned and approved), the risk register with inherent and
//! residual levels, treatment options and actions, the Annex A and other
//! controls chosen, and the risk owner's signed acceptance, flagged for
//! re-approval when what it accepted changes.

use std::borrow::Cow;
use std::collections::BTreeMap;

use automerge::transaction::Transactable;
use automerge::{ObjId, ROOT};
use autosurgeon::{Hydrate, Reconcile, hydrate_prop, reconcile_prop};
use sha2::{Digest, Sha256};

use crate::workspace::model::{Workspace, sort_list};
use crate::workspace::signing::{Act, ActSignature, Trust, Unverified, Verdict};
use crate::workspace::validate::{
    Field, MAX_LONG, MAX_SHORT, MAX_TITLE, ValidationErrors, check_length, parse_date,
};
use crate::workspace::{CommandError, Millis, WorkspaceDoc};

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

// ---------------------------------------------------------------------------
// Names of the values, for forms and labels.

impl Property {
    /// The three, in the usual order (C, I, A).
    pub const ALL: [Property; 3] = [
        Property::Confidentiality,
        Property::Integrity,
        Property::Availability,
    ];

    /// The property in words.
    pub fn label(self) -> &'static str {
        match self {
            Property::Confidentiality => "Confidentiality",
            Property::Integrity => "Integrity",
            Property::Availability => "Availability",
        }
    }

    /// Its letter: C, I or A.
    pub fn letter(self) -> &'static str {
        match self {
            Property::Confidentiality => "C",
            Property::Integrity => "I",
            Property::Availability => "A",
        }
    }

    /// A stable name for forms.
    pub fn slug(self) -> &'static str {
        match self {
            Property::Confidentiality => "confidentiality",
            Property::Integrity => "integrity",
            Property::Availability => "availability",
        }
    }

    /// The property named `slug`.
    pub fn from_slug(slug: &str) -> Option<Property> {
        Property::ALL.into_iter().find(|p| p.slug() == slug)
    }
}

impl TreatmentOption {
    /// Every option, in the order the form offers them.
    pub const ALL: [TreatmentOption; 5] = [
        TreatmentOption::Undecided,
        TreatmentOption::Modify,
        TreatmentOption::Retain,
        TreatmentOption::Avoid,
        TreatmentOption::Share,
    ];

    /// The option in words.
    pub fn label(self) -> &'static str {
        match self {
            TreatmentOption::Undecided => "Not decided yet",
            TreatmentOption::Modify => "Modify",
            TreatmentOption::Retain => "Retain",
            TreatmentOption::Avoid => "Avoid",
            TreatmentOption::Share => "Share",
        }
    }

    /// A stable name for forms (and the canonical form a signature covers).
    pub fn slug(self) -> &'static str {
        match self {
            TreatmentOption::Undecided => "undecided",
            TreatmentOption::Modify => "modify",
            TreatmentOption::Retain => "retain",
            TreatmentOption::Avoid => "avoid",
            TreatmentOption::Share => "share",
        }
    }

    /// The option named `slug`.
    pub fn from_slug(slug: &str) -> Option<TreatmentOption> {
        TreatmentOption::ALL.into_iter().find(|t| t.slug() == slug)
    }
}

impl Rating {
    /// "4 × 3": likelihood × consequence.
    pub fn label(self) -> String {
        format!("{} × {}", self.likelihood, self.consequence)
    }
}

// ---------------------------------------------------------------------------
// The risk criteria (6.1.2 a).

/// The fewest levels a scale may have.
pub const MIN_SCALE: usize = 3;
/// The most levels a scale may have.
pub const MAX_SCALE: usize = 7;
/// The acceptance threshold while no criteria are approved: on the default
/// 5 × 5 matrix, "Unlikely × Moderate" (6) is acceptable, "Possible ×
/// Moderate" (9) is not.
pub const DEFAULT_THRESHOLD: u32 = 6;

/// The likelihood scale a first version starts from, lowest first.
pub fn default_likelihood() -> Vec<String> {
    ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"]
        .map(str::to_owned)
        .into()
}

/// The consequence scale a first version starts from, lowest first.
pub fn default_consequence() -> Vec<String> {
    ["Negligible", "Minor", "Moderate", "Major", "Severe"]
        .map(str::to_owned)
        .into()
}

/// The criteria used while none are approved: the default scales and
/// threshold, with nobody authorised above the threshold.
pub fn default_criteria() -> CriteriaVersion {
    CriteriaVersion {
        likelihood: default_likelihood(),
        consequence: default_consequence(),
        threshold: DEFAULT_THRESHOLD,
        ..Default::default()
    }
}

impl CriteriaVersion {
    /// The highest level: the product of the scales' lengths (25 on 5 × 5).
    pub fn max_level(&self) -> u32 {
        (self.likelihood.len() * self.consequence.len()) as u32
    }

    /// Whether `rating` lies on these scales.
    pub fn fits(&self, rating: Rating) -> bool {
        (1..=self.likelihood.len() as u32).contains(&rating.likelihood)
            && (1..=self.consequence.len() as u32).contains(&rating.consequence)
    }

    /// Whether it was approved.
    pub fn is_approved(&self) -> bool {
        self.approval.is_some()
    }
}

/// The criteria in force: the newest approved version (by number).
pub fn criteria_in_force(ws: &Workspace) -> Option<(&String, &CriteriaVersion)> {
    ws.criteria
        .iter()
        .filter(|(_, c)| c.approval.is_some())
        .max_by(|(a_id, a), (b_id, b)| {
            let at = |c: &CriteriaVersion| c.approval.as_ref().map_or(0, |a| a.at);
            (a.number, at(a), *a_id).cmp(&(b.number, at(b), *b_id))
        })
}

/// The criteria assessments use now: those in force with their id, or the
/// defaults ([`default_criteria`]) with the id "".
pub fn criteria_or_default(ws: &Workspace) -> (&str, Cow<'_, CriteriaVersion>) {
    match criteria_in_force(ws) {
        Some((id, c)) => (id.as_str(), Cow::Borrowed(c)),
        None => ("", Cow::Owned(default_criteria())),
    }
}

/// Every version, oldest first.
pub fn criteria_in_order(ws: &Workspace) -> Vec<(&String, &CriteriaVersion)> {
    let mut list: Vec<_> = ws.criteria.iter().collect();
    sort_list(&mut list, |(a_id, a), (b_id, b)| {
        (a.number, a.created_at, *a_id).cmp(&(b.number, b.created_at, *b_id))
    });
    list
}

/// A version of the criteria as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CriteriaDraft {
    /// The likelihood labels, lowest first.
    pub likelihood: Vec<String>,
    /// The consequence labels, lowest first.
    pub consequence: Vec<String>,
    /// The acceptance threshold as typed.
    pub threshold: String,
    /// Who may accept what: (role id, highest level as typed). A row with
    /// neither is an empty row of the form and ignored.
    pub authority: Vec<(String, String)>,
}

impl CriteriaDraft {
    /// The default scales and threshold, with no authorities.
    pub fn defaults() -> CriteriaDraft {
        CriteriaDraft::from_version(&default_criteria())
    }

    /// `version`'s values, to edit or to start the next version from.
    pub fn from_version(version: &CriteriaVersion) -> CriteriaDraft {
        CriteriaDraft {
            likelihood: version.likelihood.clone(),
            consequence: version.consequence.clone(),
            threshold: version.threshold.to_string(),
            authority: version
                .authority
                .iter()
                .map(|a| (a.role.clone(), a.up_to.to_string()))
                .collect(),
        }
    }

    /// Checks the scales (3 to 7 named levels each), the threshold (a
    /// level of the matrix) and the authorities (roles that exist, levels of
    /// the matrix). Returns the version's content (not numbered yet).
    pub fn validate(&self, ws: &Workspace) -> Result<CriteriaVersion, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let likelihood = scale(
            &mut errors,
            Field::CriteriaLikelihood,
            &self.likelihood,
            "likelihood",
        );
        let consequence = scale(
            &mut errors,
            Field::CriteriaConsequence,
            &self.consequence,
            "consequence",
        );
        let scales_valid = errors.is_empty();
        let max = (likelihood.len() * consequence.len()) as u32;
        let in_range = |n: u32| n >= 1 && (!scales_valid || n <= max);
        let range = if scales_valid {
            format!(" from 1 to {max}")
        } else {
            String::new()
        };
        let threshold = match whole_number(&self.threshold) {
            Some(t) if in_range(t) => t,
            _ => {
                errors.push(
                    Field::CriteriaThreshold,
                    &format!("Enter the acceptance threshold as a whole number{range}."),
                );
                0
            }
        };
        let mut authority = Vec::new();
        let (mut bad_role, mut bad_level) = (false, false);
        for (role, up_to) in &self.authority {
            if role.is_empty() && up_to.trim().is_empty() {
                continue;
            }
            if ws.roles.get(role).is_none_or(|r| r.archived.is_some()) {
                bad_role = true;
            }
            match whole_number(up_to) {
                Some(n) if in_range(n) => authority.push(AcceptanceAuthority {
                    role: role.clone(),
                    up_to: n,
                }),
                _ => bad_level = true,
            }
        }
        if bad_role {
            errors.push(
                Field::CriteriaAuthority,
                "Choose each role that may accept risks from Roles.",
            );
        }
        if bad_level {
            errors.push(
                Field::CriteriaAuthority,
                &format!("Enter the highest level each role may accept as a whole number{range}."),
            );
        }
        errors.into_result(CriteriaVersion {
            likelihood,
            consequence,
            threshold,
            authority,
            ..Default::default()
        })
    }
}

/// A scale's labels, trimmed, with the first problem found.
fn scale(
    errors: &mut ValidationErrors,
    field: Field,
    labels: &[String],
    name: &str,
) -> Vec<String> {
    let labels: Vec<String> = labels.iter().map(|l| l.trim().to_owned()).collect();
    let distinct: std::collections::BTreeSet<String> =
        labels.iter().map(|l| l.to_lowercase()).collect();
    if !(MIN_SCALE..=MAX_SCALE).contains(&labels.len()) {
        errors.push(
            field,
            &format!("Give the {name} scale from {MIN_SCALE} to {MAX_SCALE} levels."),
        );
    } else if labels.iter().any(String::is_empty) {
        errors.push(field, &format!("Name every level of the {name} scale."));
    } else if labels.iter().any(|l| l.chars().count() > MAX_SHORT) {
        errors.push(field, "Keep each level's name under 120 characters.");
    } else if distinct.len() != labels.len() {
        errors.push(
            field,
            &format!("Give each level of the {name} scale a name of its own."),
        );
    }
    labels
}

/// A whole number as typed (" 4 "), or `None`.
pub fn whole_number(input: &str) -> Option<u32> {
    let text = input.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Feeds `text` length-prefixed into `hash`.
fn put(hash: &mut Sha256, text: &str) {
    hash.update((text.len() as u64).to_le_bytes());
    hash.update(text.as_bytes());
}

fn hex_of(hash: Sha256) -> String {
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 (hex) of a version's scales, threshold and authorities in a
/// canonical form (each field length-prefixed, counts before lists): what
/// its approval signs.
pub fn criteria_digest(criteria: &CriteriaVersion) -> String {
    let mut hash = Sha256::new();
    put(&mut hash, "charter/v1/risk-criteria");
    for labels in [&criteria.likelihood, &criteria.consequence] {
        put(&mut hash, &labels.len().to_string());
        for label in labels {
            put(&mut hash, label);
        }
    }
    put(&mut hash, &criteria.threshold.to_string());
    put(&mut hash, &criteria.authority.len().to_string());
    for rule in &criteria.authority {
        put(&mut hash, &rule.role);
        put(&mut hash, &rule.up_to.to_string());
    }
    hex_of(hash)
}

/// Checks a version's approval: the signature must cover its content as it
/// stands, and verify (key confirmed, the approver in Top management).
pub fn verify_criteria_approval(
    trust: &Trust<'_>,
    id: &str,
    criteria: &CriteriaVersion,
) -> Verdict {
    let Some(approval) = &criteria.approval else {
        return Verdict::Unverified(Unverified::NotSigned);
    };
    let digest = criteria_digest(criteria);
    let verdict = trust.verify(
        &Act::CriteriaApproval {
            version: id,
            number: criteria.number,
            digest: &digest,
        },
        approval.signature.as_ref(),
    );
    match verdict {
        Verdict::Verified { person, .. } if person != approval.person => {
            Verdict::Unverified(Unverified::OtherPerson)
        }
        other => other,
    }
}

// ---------------------------------------------------------------------------
// Scoring: levels, bands and the heat map.

/// Where a level stands against the acceptance threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Band {
    /// At or below the threshold.
    Acceptable,
    /// Above it: to be treated, or accepted by someone with the authority.
    AboveThreshold,
}

impl Band {
    /// The band in words.
    pub fn label(self) -> &'static str {
        match self {
            Band::Acceptable => "Acceptable",
            Band::AboveThreshold => "Above threshold",
        }
    }

    /// A stable name for CSS.
    pub fn slug(self) -> &'static str {
        match self {
            Band::Acceptable => "acceptable",
            Band::AboveThreshold => "above-threshold",
        }
    }
}

/// The band of `level`: a level equal to the threshold is acceptable.
pub fn band(level: u32, threshold: u32) -> Band {
    if level <= threshold {
        Band::Acceptable
    } else {
        Band::AboveThreshold
    }
}

/// Which of a risk's two ratings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// Before treatment.
    Inherent,
    /// After treatment.
    Residual,
}

impl Which {
    /// That rating of `risk`.
    pub fn of(self, risk: &Risk) -> Rating {
        match self {
            Which::Inherent => risk.inherent,
            Which::Residual => risk.residual,
        }
    }
}

/// The heat map cell of `rating`: (likelihood − 1, consequence − 1), or
/// `None` when it is not rated.
pub fn cell_of(rating: Rating) -> Option<(usize, usize)> {
    let row = rating.likelihood.checked_sub(1)? as usize;
    let column = rating.consequence.checked_sub(1)? as usize;
    Some((row, column))
}

/// The risks (ids) in each cell: row = likelihood (the first row is
/// likelihood 1), column = consequence, sized by the scales in force (5 × 5
/// by default). A rating off those scales (from older criteria) is left out.
pub fn heatmap(ws: &Workspace, which: Which) -> Vec<Vec<Vec<String>>> {
    let (_, criteria) = criteria_or_default(ws);
    let (rows, columns) = (criteria.likelihood.len(), criteria.consequence.len());
    let mut grid = vec![vec![Vec::new(); columns]; rows];
    for (id, risk) in &ws.risks {
        if let Some((row, column)) = cell_of(which.of(risk))
            && row < rows
            && column < columns
        {
            grid[row][column].push(id.clone());
        }
    }
    grid
}

// ---------------------------------------------------------------------------
// The register.

/// A risk as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RiskDraft {
    /// A short name.
    pub title: String,
    /// The asset or scenario.
    pub asset: String,
    /// The threat.
    pub threat: String,
    /// The vulnerability.
    pub vulnerability: String,
    /// Which properties it threatens.
    pub properties: Vec<Property>,
    /// The risk owner (person id).
    pub owner: String,
    /// Likelihood before treatment, as typed.
    pub inherent_likelihood: String,
    /// Consequence before treatment, as typed.
    pub inherent_consequence: String,
    /// Likelihood after treatment, as typed.
    pub residual_likelihood: String,
    /// Consequence after treatment, as typed.
    pub residual_consequence: String,
    /// What is done about it.
    pub treatment: TreatmentOption,
    /// The controls chosen (Annex A ids or added controls' ids).
    pub controls: Vec<String>,
    /// When it is to be assessed again, as typed (YYYY-MM-DD or empty).
    pub reassess_by: String,
}

/// A risk's own fields once valid.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskFields {
    /// The title.
    pub title: String,
    /// The asset or scenario.
    pub asset: String,
    /// The threat.
    pub threat: String,
    /// The vulnerability.
    pub vulnerability: String,
    /// The properties, in C, I, A order.
    pub properties: Vec<Property>,
    /// The owner (person id).
    pub owner: String,
    /// Before treatment.
    pub inherent: Rating,
    /// After treatment.
    pub residual: Rating,
    /// The criteria version (id) assessed against; "" for the defaults.
    pub criteria: String,
    /// The treatment option.
    pub treatment: TreatmentOption,
    /// The controls, without repeats.
    pub controls: Vec<String>,
    /// The reassessment date, or "".
    pub reassess_by: String,
}

impl RiskDraft {
    /// `risk` as the form shows it.
    pub fn from_risk(risk: &Risk) -> RiskDraft {
        let number = |n: u32| if n == 0 { String::new() } else { n.to_string() };
        RiskDraft {
            title: risk.title.clone(),
            asset: risk.asset.clone(),
            threat: risk.threat.clone(),
            vulnerability: risk.vulnerability.clone(),
            properties: risk.properties.clone(),
            owner: risk.owner.clone(),
            inherent_likelihood: number(risk.inherent.likelihood),
            inherent_consequence: number(risk.inherent.consequence),
            residual_likelihood: number(risk.residual.likelihood),
            residual_consequence: number(risk.residual.consequence),
            treatment: risk.treatment,
            controls: risk.controls.clone(),
            reassess_by: risk.reassess_by.clone(),
        }
    }

    /// Checks the draft against the criteria in force (or the defaults),
    /// the people and the Statement of Applicability's added controls.
    pub fn validate(&self, ws: &Workspace) -> Result<RiskFields, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let (criteria_id, criteria) = criteria_or_default(ws);
        let title = self.title.trim();
        if title.is_empty() {
            errors.push(Field::RiskTitle, "Enter a title for the risk.");
        } else {
            check_length(&mut errors, Field::RiskTitle, title, MAX_TITLE);
        }
        let asset = self.asset.trim();
        let threat = self.threat.trim();
        let vulnerability = self.vulnerability.trim();
        check_length(&mut errors, Field::RiskAsset, asset, MAX_TITLE);
        check_length(&mut errors, Field::RiskThreat, threat, MAX_LONG);
        check_length(
            &mut errors,
            Field::RiskVulnerability,
            vulnerability,
            MAX_LONG,
        );
        let properties: Vec<Property> = Property::ALL
            .into_iter()
            .filter(|p| self.properties.contains(p))
            .collect();
        if properties.is_empty() {
            errors.push(
                Field::RiskProperties,
                "Choose at least one of confidentiality, integrity and availability.",
            );
        }
        if ws
            .people
            .get(&self.owner)
            .is_none_or(|p| p.archived.is_some())
        {
            errors.push(Field::RiskOwner, "Choose the risk owner from People.");
        }
        let likelihoods = criteria.likelihood.len() as u32;
        let consequences = criteria.consequence.len() as u32;
        let mut rate = |field: Field, typed: &str, what: &str, max: u32| match whole_number(typed) {
            Some(n) if (1..=max).contains(&n) => Some(n),
            _ => {
                errors.push(field, &format!("Choose a {what} from 1 to {max}."));
                None
            }
        };
        let inherent_likelihood = rate(
            Field::RiskInherentLikelihood,
            &self.inherent_likelihood,
            "likelihood",
            likelihoods,
        );
        let inherent_consequence = rate(
            Field::RiskInherentConsequence,
            &self.inherent_consequence,
            "consequence",
            consequences,
        );
        let residual_likelihood = rate(
            Field::RiskResidualLikelihood,
            &self.residual_likelihood,
            "likelihood",
            likelihoods,
        );
        let residual_consequence = rate(
            Field::RiskResidualConsequence,
            &self.residual_consequence,
            "consequence",
            consequences,
        );
        let pair = |l: Option<u32>, c: Option<u32>| Rating {
            likelihood: l.unwrap_or_default(),
            consequence: c.unwrap_or_default(),
        };
        let inherent = pair(inherent_likelihood, inherent_consequence);
        let residual = pair(residual_likelihood, residual_consequence);
        if inherent.level() > 0 && residual.level() > inherent.level() {
            errors.push(
                Field::RiskResidual,
                &format!(
                    "The residual level ({}) cannot be above the inherent level ({}): \
                     treatment does not make a risk worse.",
                    residual.level(),
                    inherent.level()
                ),
            );
        }
        let reassess_by = self.reassess_by.trim();
        if !reassess_by.is_empty() && parse_date(reassess_by).is_none() {
            errors.push(
                Field::RiskReassessBy,
                "Enter the reassessment date as YYYY-MM-DD.",
            );
        }
        let annex = crate::workspace::soa::annex_a();
        let mut controls: Vec<String> = Vec::new();
        let mut unknown: Vec<&str> = Vec::new();
        for control in &self.controls {
            let control = control.trim();
            if control.is_empty() || controls.iter().any(|c| c == control) {
                continue;
            }
            let known = annex.iter().any(|c| c.id == control)
                || ws.soa.get(control).is_some_and(|e| e.added.is_some());
            if known {
                controls.push(control.to_owned());
            } else if !unknown.contains(&control) {
                unknown.push(control);
            }
        }
        if !unknown.is_empty() {
            errors.push(
                Field::RiskControls,
                &format!(
                    "Choose controls from Annex A or the added controls; not found: {}.",
                    unknown.join(", ")
                ),
            );
        }
        errors.into_result(RiskFields {
            title: title.to_owned(),
            asset: asset.to_owned(),
            threat: threat.to_owned(),
            vulnerability: vulnerability.to_owned(),
            properties,
            owner: self.owner.clone(),
            inherent,
            residual,
            criteria: criteria_id.to_owned(),
            treatment: self.treatment,
            controls,
            reassess_by: reassess_by.to_owned(),
        })
    }
}

/// A treatment action as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TreatmentActionDraft {
    /// What is to be done.
    pub title: String,
    /// Who does it (person id).
    pub owner: String,
    /// What it needs.
    pub resources: String,
    /// By when, as typed.
    pub due: String,
}

impl TreatmentActionDraft {
    /// Checks the title, the owner and the due date, all required.
    pub fn validate(&self, ws: &Workspace) -> Result<TreatmentAction, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let title = self.title.trim();
        if title.is_empty() {
            errors.push(Field::TreatmentTitle, "Say what is to be done.");
        } else {
            check_length(&mut errors, Field::TreatmentTitle, title, MAX_TITLE);
        }
        if self.owner.is_empty() {
            errors.push(
                Field::TreatmentOwner,
                "Choose who does it: every treatment action needs an owner.",
            );
        } else if ws
            .people
            .get(&self.owner)
            .is_none_or(|p| p.archived.is_some())
        {
            errors.push(Field::TreatmentOwner, "Choose the owner from People.");
        }
        let resources = self.resources.trim();
        check_length(&mut errors, Field::TreatmentResources, resources, MAX_LONG);
        let due = self.due.trim();
        if due.is_empty() {
            errors.push(
                Field::TreatmentDue,
                "Enter the due date: every treatment action needs one (YYYY-MM-DD).",
            );
        } else if parse_date(due).is_none() {
            errors.push(Field::TreatmentDue, "Enter the due date as YYYY-MM-DD.");
        }
        errors.into_result(TreatmentAction {
            title: title.to_owned(),
            owner: self.owner.clone(),
            resources: resources.to_owned(),
            due: due.to_owned(),
            done: false,
        })
    }
}

impl TreatmentAction {
    /// Whether it is not done and past its due date on `today`.
    pub fn overdue(&self, today: &str) -> bool {
        !self.done && !self.due.is_empty() && self.due.as_str() < today
    }
}

/// The register, oldest first.
pub fn risks_in_order(ws: &Workspace) -> Vec<(&String, &Risk)> {
    let mut list: Vec<_> = ws.risks.iter().collect();
    sort_list(&mut list, |(a_id, a), (b_id, b)| {
        (a.created_at, *a_id).cmp(&(b.created_at, *b_id))
    });
    list
}

/// The risks (ids) whose treatment chose control `control`: what the
/// Statement of Applicability shows as a control's linked risks.
pub fn risks_citing<'a>(ws: &'a Workspace, control: &str) -> Vec<&'a String> {
    ws.risks
        .iter()
        .filter(|(_, r)| r.controls.iter().any(|c| c == control))
        .map(|(id, _)| id)
        .collect()
}

/// Whether `risk`'s reassessment date has passed on `today`.
pub fn reassessment_overdue(risk: &Risk, today: &str) -> bool {
    !risk.reassess_by.is_empty() && risk.reassess_by.as_str() < today
}

/// The risks whose residual level is above the threshold in force, highest
/// first; among equals, those whose reassessment is overdue on `today`
/// first, then by title.
pub fn top_risks<'a>(ws: &'a Workspace, today: &str) -> Vec<(&'a String, &'a Risk)> {
    let (_, criteria) = criteria_or_default(ws);
    let threshold = criteria.threshold;
    let mut list: Vec<_> = ws
        .risks
        .iter()
        .filter(|(_, r)| band(r.residual.level(), threshold) == Band::AboveThreshold)
        .collect();
    sort_list(&mut list, |(a_id, a), (b_id, b)| {
        let key = |r: &Risk| {
            (
                std::cmp::Reverse(r.residual.level()),
                !reassessment_overdue(r, today),
            )
        };
        (key(a), a.title.as_str(), *a_id).cmp(&(key(b), b.title.as_str(), *b_id))
    });
    list
}

/// How many treatment actions, over the whole register, are not done and
/// past their due date on `today`.
pub fn overdue_treatment_actions(ws: &Workspace, today: &str) -> usize {
    ws.risks
        .values()
        .flat_map(|r| r.actions.values())
        .filter(|a| a.overdue(today))
        .count()
}

// ---------------------------------------------------------------------------
// Acceptance (6.1.3 f).

impl AcceptedBasis {
    /// What accepting `risk` now would accept.
    pub fn of(risk: &Risk) -> AcceptedBasis {
        AcceptedBasis {
            inherent: risk.inherent,
            residual: risk.residual,
            treatment: risk.treatment,
            controls: risk.controls.clone(),
            criteria: risk.criteria.clone(),
        }
    }
}

/// The SHA-256 (hex) of an acceptance's basis in a canonical form: what the
/// owner's signature covers.
pub fn acceptance_digest(basis: &AcceptedBasis) -> String {
    let mut hash = Sha256::new();
    put(&mut hash, "charter/v1/risk-acceptance");
    for rating in [basis.inherent, basis.residual] {
        put(&mut hash, &rating.likelihood.to_string());
        put(&mut hash, &rating.consequence.to_string());
    }
    put(&mut hash, basis.treatment.slug());
    put(&mut hash, &basis.controls.len().to_string());
    for control in &basis.controls {
        put(&mut hash, control);
    }
    put(&mut hash, &basis.criteria);
    hex_of(hash)
}

/// Why `owner` may not accept a residual `level` at `at` under the criteria
/// in force, in words; `None` when they may. Up to the threshold any owner
/// may; above it only someone holding a role the criteria authorise up to
/// that level.
pub fn acceptance_refusal(ws: &Workspace, owner: &str, level: u32, at: Millis) -> Option<String> {
    let (_, criteria) = criteria_or_default(ws);
    let threshold = criteria.threshold;
    if band(level, threshold) == Band::Acceptable {
        return None;
    }
    let rules: Vec<&AcceptanceAuthority> = criteria
        .authority
        .iter()
        .filter(|a| a.up_to >= level)
        .collect();
    let holds = |rule: &&AcceptanceAuthority| {
        ws.roles
            .get(&rule.role)
            .is_some_and(|r| r.held_by_at(owner, at))
    };
    if rules.iter().any(holds) {
        return None;
    }
    let mut roles: Vec<String> = Vec::new();
    for rule in &rules {
        if let Some(role) = ws.roles.get(&rule.role).filter(|r| r.archived.is_none()) {
            let label = role.kind.label().to_owned();
            if !roles.contains(&label) {
                roles.push(label);
            }
        }
    }
    let name = ws
        .people
        .get(owner)
        .map_or("the risk owner", |p| p.name.as_str());
    Some(if roles.is_empty() {
        format!(
            "Residual level {level} is above the acceptance threshold of {threshold}, and the \
             risk criteria let no role accept it: treat the risk further, or change the criteria."
        )
    } else {
        format!(
            "Residual level {level} is above the acceptance threshold of {threshold}: only \
             someone holding {} may accept it, and {name} does not.",
            roles.join(" or ")
        )
    })
}

/// Why `risk`'s acceptance needs to be given again, each in words: empty
/// when it is accepted and nothing it accepted has changed since.
pub fn reapproval_reasons(ws: &Workspace, risk: &Risk) -> Vec<&'static str> {
    let Some(acceptance) = &risk.acceptance else {
        return vec!["not accepted yet"];
    };
    let basis = &acceptance.basis;
    let mut reasons = Vec::new();
    if (risk.inherent, risk.residual) != (basis.inherent, basis.residual) {
        reasons.push("likelihood or consequence changed");
    }
    if risk.treatment != basis.treatment {
        reasons.push("treatment changed");
    }
    let set =
        |list: &[String]| -> std::collections::BTreeSet<String> { list.iter().cloned().collect() };
    if set(&risk.controls) != set(&basis.controls) {
        reasons.push("controls changed");
    }
    let (in_force, _) = criteria_or_default(ws);
    if in_force != basis.criteria || risk.criteria != basis.criteria {
        reasons.push("criteria changed");
    }
    if risk.owner != acceptance.person {
        reasons.push("risk owner changed");
    }
    reasons
}

/// Checks an acceptance: the signature must cover its basis as recorded and
/// check against a confirmed key of the person named. A risk owner need not
/// hold Top management, so unlike approvals that is not asked.
pub fn verify_acceptance(trust: &Trust<'_>, id: &str, acceptance: &Acceptance) -> Verdict {
    let digest = acceptance_digest(&acceptance.basis);
    let verdict = trust.verify(
        &Act::RiskAcceptance {
            risk: id,
            digest: &digest,
        },
        acceptance.signature.as_ref(),
    );
    let verdict = match (verdict, acceptance.signature.as_ref()) {
        // Trust::verify asks for Top management last, after the signature,
        // the key's confirmation and the person have all checked out.
        (Verdict::Unverified(Unverified::NoRole), Some(signature)) => Verdict::Verified {
            person: signature.person.clone(),
            role: String::new(),
            key: signature.key.clone(),
        },
        (other, _) => other,
    };
    match verdict {
        Verdict::Verified { person, .. } if person != acceptance.person => {
            Verdict::Unverified(Unverified::OtherPerson)
        }
        other => other,
    }
}

// ---------------------------------------------------------------------------
// Commands.

const RISK_NOT_FOUND: CommandError = CommandError::NotFound("risk");
const CRITERIA_NOT_FOUND: CommandError = CommandError::NotFound("version of the risk criteria");
const TREATMENT_NOT_FOUND: CommandError = CommandError::NotFound("treatment action");

fn no_key() -> CommandError {
    CommandError::NotAllowed(
        "This browser has no signing key for this workspace. Reload the page and try again."
            .to_owned(),
    )
}

/// "Changed risk …" phrases for each field that differs.
fn describe_risk_changes(old: &Risk, new: &RiskFields) -> Vec<String> {
    let mut changes = Vec::new();
    if old.title != new.title {
        changes.push(format!("title → “{}”", new.title));
    }
    if (&old.asset, &old.threat, &old.vulnerability)
        != (&new.asset, &new.threat, &new.vulnerability)
    {
        changes.push("asset, threat or vulnerability".to_owned());
    }
    if old.properties != new.properties {
        let letters: Vec<&str> = new.properties.iter().map(|p| p.letter()).collect();
        changes.push(format!("properties → {}", letters.join("")));
    }
    if old.owner != new.owner {
        changes.push("owner".to_owned());
    }
    if old.inherent != new.inherent {
        changes.push(format!(
            "inherent {} → {}",
            old.inherent.label(),
            new.inherent.label()
        ));
    }
    if old.residual != new.residual {
        changes.push(format!(
            "residual {} → {}",
            old.residual.label(),
            new.residual.label()
        ));
    }
    if old.criteria != new.criteria {
        changes.push("assessed under the criteria in force".to_owned());
    }
    if old.treatment != new.treatment {
        changes.push(format!(
            "treatment {} → {}",
            old.treatment.label(),
            new.treatment.label()
        ));
    }
    if old.controls != new.controls {
        changes.push("controls".to_owned());
    }
    if old.reassess_by != new.reassess_by {
        changes.push(format!("reassess by {}", new.reassess_by));
    }
    changes
}

impl WorkspaceDoc {
    /// One risk, if it exists.
    pub fn risk(&self, id: &str) -> Result<Option<Risk>, CommandError> {
        let Some(map) = self.existing_map(ROOT, "risks") else {
            return Ok(None);
        };
        self.hydrate_entry(&map, id)
    }

    /// One version of the risk criteria, if it exists.
    pub fn criteria_version(&self, id: &str) -> Result<Option<CriteriaVersion>, CommandError> {
        let Some(map) = self.existing_map(ROOT, "criteria") else {
            return Ok(None);
        };
        self.hydrate_entry(&map, id)
    }

    /// The criteria area (a few small versions).
    fn criteria_area(&self) -> Result<BTreeMap<String, CriteriaVersion>, CommandError> {
        if self.existing_map(ROOT, "criteria").is_none() {
            return Ok(BTreeMap::new());
        }
        Ok(hydrate_prop(&self.doc, ROOT, "criteria")?)
    }

    /// The roles area.
    fn roles_area(&self) -> Result<BTreeMap<String, crate::workspace::roles::Role>, CommandError> {
        if self.existing_map(ROOT, "roles").is_none() {
            return Ok(BTreeMap::new());
        }
        Ok(hydrate_prop(&self.doc, ROOT, "roles")?)
    }

    fn risk_obj(&self, id: &str) -> Result<ObjId, CommandError> {
        let map = self.existing_map(ROOT, "risks").ok_or(RISK_NOT_FOUND)?;
        self.existing_map(map, id).ok_or(RISK_NOT_FOUND)
    }

    fn criteria_obj(&self, id: &str) -> Result<ObjId, CommandError> {
        let map = self
            .existing_map(ROOT, "criteria")
            .ok_or(CRITERIA_NOT_FOUND)?;
        self.existing_map(map, id).ok_or(CRITERIA_NOT_FOUND)
    }

    /// What validating `draft` reads: the criteria, its owner and the added
    /// controls it names.
    fn risk_context(&self, draft: &RiskDraft) -> Result<Workspace, CommandError> {
        let mut ws = Workspace {
            criteria: self.criteria_area()?,
            ..Default::default()
        };
        if let Some(person) = self.person(&draft.owner)? {
            ws.people.insert(draft.owner.clone(), person);
        }
        if let Some(soa) = self.existing_map(ROOT, "soa") {
            let annex = crate::workspace::soa::annex_a();
            for control in &draft.controls {
                let control = control.trim();
                if control.is_empty() || annex.iter().any(|c| c.id == control) {
                    continue;
                }
                if let Some(entry) = self.hydrate_entry(&soa, control)? {
                    ws.soa.insert(control.to_owned(), entry);
                }
            }
        }
        Ok(ws)
    }

    /// Drafts a new version of the risk criteria, numbered after the
    /// highest so far; returns its id. It counts once approved.
    pub fn add_criteria_version(
        &mut self,
        draft: &CriteriaDraft,
        now: Millis,
    ) -> Result<String, CommandError> {
        let ws = Workspace {
            roles: self.roles_area()?,
            ..Default::default()
        };
        let mut version = draft.validate(&ws)?;
        let mut highest = 0;
        if let Some(map) = self.existing_map(ROOT, "criteria") {
            for key in automerge::ReadDoc::keys(&self.doc, &map).collect::<Vec<_>>() {
                if let Some(record) = self.existing_map(map.clone(), &key) {
                    let number: Option<u32> = self.hydrate_entry(&record, "number")?;
                    highest = highest.max(number.unwrap_or_default());
                }
            }
        }
        version.number = highest + 1;
        version.created_at = now;
        let id = self.next_id(now);
        self.guard(|doc| {
            let map = doc.map(ROOT, "criteria")?;
            Ok(reconcile_prop(&mut doc.doc, &map, id.as_str(), &version)?)
        })?;
        self.commit(
            format!("Drafted version {} of the risk criteria", version.number),
            now,
        )?;
        Ok(id)
    }

    /// Changes a version not approved yet; an approved one stays as it was.
    pub fn edit_criteria_version(
        &mut self,
        id: &str,
        draft: &CriteriaDraft,
        now: Millis,
    ) -> Result<(), CommandError> {
        let old = self.criteria_version(id)?.ok_or(CRITERIA_NOT_FOUND)?;
        if old.approval.is_some() {
            return Err(CommandError::NotAllowed(format!(
                "Version {} of the risk criteria is approved and stays as it was: make a new \
                 version to change the criteria.",
                old.number
            )));
        }
        let ws = Workspace {
            roles: self.roles_area()?,
            ..Default::default()
        };
        let new = draft.validate(&ws)?;
        if (
            &new.likelihood,
            &new.consequence,
            new.threshold,
            &new.authority,
        ) == (
            &old.likelihood,
            &old.consequence,
            old.threshold,
            &old.authority,
        ) {
            return Ok(());
        }
        let obj = self.criteria_obj(id)?;
        self.guard(|doc| {
            if new.likelihood != old.likelihood {
                reconcile_prop(&mut doc.doc, &obj, "likelihood", &new.likelihood)?;
            }
            if new.consequence != old.consequence {
                reconcile_prop(&mut doc.doc, &obj, "consequence", &new.consequence)?;
            }
            if new.threshold != old.threshold {
                reconcile_prop(&mut doc.doc, &obj, "threshold", new.threshold)?;
            }
            if new.authority != old.authority {
                reconcile_prop(&mut doc.doc, &obj, "authority", &new.authority)?;
            }
            Ok(())
        })?;
        self.commit(
            format!("Changed version {} of the risk criteria", old.number),
            now,
        )
    }

    /// Discards a version not approved yet (the history keeps it); an
    /// approved one stays on record.
    pub fn delete_criteria_version(&mut self, id: &str, now: Millis) -> Result<(), CommandError> {
        let old = self.criteria_version(id)?.ok_or(CRITERIA_NOT_FOUND)?;
        if old.approval.is_some() {
            return Err(CommandError::NotAllowed(format!(
                "Version {} of the risk criteria is approved and stays on record.",
                old.number
            )));
        }
        self.guard(|doc| {
            let map = doc.map(ROOT, "criteria")?;
            Ok(doc.doc.delete(&map, id)?)
        })?;
        self.commit(
            format!(
                "Discarded the draft version {} of the risk criteria",
                old.number
            ),
            now,
        )
    }

    /// Approves a version of the risk criteria: only a member of top
    /// management whose key this browser holds. The signature covers the
    /// version's id, number and [`criteria_digest`], and the document heads.
    pub fn approve_criteria(&mut self, id: &str, now: Millis) -> Result<(), CommandError> {
        let version = self.criteria_version(id)?.ok_or(CRITERIA_NOT_FOUND)?;
        if version.approval.is_some() {
            return Err(CommandError::NotAllowed(format!(
                "Version {} of the risk criteria is already approved.",
                version.number
            )));
        }
        let records = self.trust_records()?;
        let ws = Workspace {
            roles: records.roles.clone(),
            ..Default::default()
        };
        // Still valid: a role it names may have gone since it was drafted.
        CriteriaDraft::from_version(&version)
            .validate(&ws)
            .map_err(|e| CommandError::NotAllowed(e.to_string()))?;
        let key = self.device_public().ok_or_else(no_key)?;
        let person = match records.keys.get(&key) {
            Some(record) if !record.person.is_empty() => record.person.clone(),
            _ => {
                return Err(CommandError::NotAllowed(
                    "Only a member of top management can approve the risk criteria. Record \
                     this browser's key for yourself on the Participants page first."
                        .to_owned(),
                ));
            }
        };
        if records.trust().top_management_role(&person, now).is_none() {
            let name = self.person(&person)?.map_or_else(
                || "the person this browser's key is for".to_owned(),
                |p| p.name,
            );
            return Err(CommandError::NotAllowed(format!(
                "Only a member of top management can approve the risk criteria; {name} does \
                 not hold the Top management role."
            )));
        }
        let digest = criteria_digest(&version);
        let heads = self.heads_hex();
        let signature = self
            .sign_act(
                &Act::CriteriaApproval {
                    version: id,
                    number: version.number,
                    digest: &digest,
                },
                heads,
                now,
            )?
            .ok_or_else(no_key)?;
        let approval = Some(CriteriaApproval {
            person,
            at: now,
            signature: Some(signature),
        });
        let obj = self.criteria_obj(id)?;
        self.guard(|doc| Ok(reconcile_prop(&mut doc.doc, &obj, "approval", &approval)?))?;
        self.commit(
            format!("Approved version {} of the risk criteria", version.number),
            now,
        )
    }

    /// Adds a risk to the register, assessed against the criteria in force;
    /// returns its id.
    pub fn add_risk(&mut self, draft: &RiskDraft, now: Millis) -> Result<String, CommandError> {
        let ws = self.risk_context(draft)?;
        let f = draft.validate(&ws)?;
        let risk = Risk {
            title: f.title,
            asset: f.asset,
            threat: f.threat,
            vulnerability: f.vulnerability,
            properties: f.properties,
            owner: f.owner,
            inherent: f.inherent,
            residual: f.residual,
            criteria: f.criteria,
            treatment: f.treatment,
            actions: BTreeMap::new(),
            controls: f.controls,
            reassess_by: f.reassess_by,
            acceptance: None,
            created_at: now,
        };
        let id = self.next_id(now);
        self.guard(|doc| {
            let map = doc.map(ROOT, "risks")?;
            reconcile_prop(&mut doc.doc, &map, id.as_str(), &risk)?;
            // Made now, so concurrent first actions land in the same map.
            let record = doc.existing_map(map, &id).ok_or(RISK_NOT_FOUND)?;
            doc.map(record, "actions")?;
            Ok(())
        })?;
        self.commit(
            format!(
                "Added risk “{}” (inherent {}, residual {})",
                risk.title,
                risk.inherent.label(),
                risk.residual.label()
            ),
            now,
        )?;
        Ok(id)
    }

    /// Changes a risk, writing only the fields that differ (so concurrent
    /// edits of other fields merge). Its acceptance stays as it was, and is
    /// flagged for re-approval when what it accepted changed
    /// ([`reapproval_reasons`]).
    pub fn edit_risk(
        &mut self,
        id: &str,
        draft: &RiskDraft,
        now: Millis,
    ) -> Result<(), CommandError> {
        let old = self.risk(id)?.ok_or(RISK_NOT_FOUND)?;
        let ws = self.risk_context(draft)?;
        let new = draft.validate(&ws)?;
        let changes = describe_risk_changes(&old, &new);
        if changes.is_empty() {
            return Ok(());
        }
        let obj = self.risk_obj(id)?;
        self.guard(|doc| {
            macro_rules! write {
                ($($field:ident),*) => {
                    $(if old.$field != new.$field {
                        reconcile_prop(&mut doc.doc, &obj, stringify!($field), &new.$field)?;
                    })*
                };
            }
            write!(
                title,
                asset,
                threat,
                vulnerability,
                properties,
                owner,
                inherent,
                residual,
                criteria,
                treatment,
                controls,
                reassess_by
            );
            Ok(())
        })?;
        self.commit(
            format!("Changed risk “{}”: {}", old.title, changes.join(", ")),
            now,
        )
    }

    /// Deletes a risk and returns it, so the UI can offer to undo. Its links
    /// to controls go with it: the Statement of Applicability reads them
    /// from the risks ([`risks_citing`]).
    pub fn delete_risk(&mut self, id: &str, now: Millis) -> Result<Risk, CommandError> {
        let old = self.risk(id)?.ok_or(RISK_NOT_FOUND)?;
        self.guard(|doc| {
            let map = doc.map(ROOT, "risks")?;
            Ok(doc.doc.delete(&map, id)?)
        })?;
        self.commit(format!("Deleted risk “{}”", old.title), now)?;
        Ok(old)
    }

    /// Puts back a risk deleted earlier, under its old id.
    pub fn restore_risk(&mut self, id: &str, risk: &Risk, now: Millis) -> Result<(), CommandError> {
        self.guard(|doc| {
            let map = doc.map(ROOT, "risks")?;
            reconcile_prop(&mut doc.doc, &map, id, risk)?;
            let record = doc.existing_map(map, id).ok_or(RISK_NOT_FOUND)?;
            doc.map(record, "actions")?;
            Ok(())
        })?;
        self.commit(format!("Restored risk “{}”", risk.title), now)
    }

    /// Adds a treatment action to risk `risk`; returns its id. A title, an
    /// owner and a due date are required.
    pub fn add_treatment_action(
        &mut self,
        risk: &str,
        draft: &TreatmentActionDraft,
        now: Millis,
    ) -> Result<String, CommandError> {
        let obj = self.risk_obj(risk)?;
        let mut ws = Workspace::default();
        if let Some(person) = self.person(&draft.owner)? {
            ws.people.insert(draft.owner.clone(), person);
        }
        let action = draft.validate(&ws)?;
        let title: String = hydrate_prop(&self.doc, &obj, "title")?;
        let action_id = self.next_id(now);
        self.guard(|doc| {
            let actions = doc.map(obj, "actions")?;
            Ok(reconcile_prop(
                &mut doc.doc,
                &actions,
                action_id.as_str(),
                &action,
            )?)
        })?;
        self.commit(
            format!(
                "Added treatment action “{}” to risk “{title}” (due {})",
                action.title, action.due
            ),
            now,
        )?;
        Ok(action_id)
    }

    /// Marks a treatment action done, or not done again.
    pub fn set_treatment_action_done(
        &mut self,
        risk: &str,
        action: &str,
        done: bool,
        now: Millis,
    ) -> Result<(), CommandError> {
        let obj = self.risk_obj(risk)?;
        let record = self
            .existing_map(obj.clone(), "actions")
            .and_then(|actions| self.existing_map(actions, action))
            .ok_or(TREATMENT_NOT_FOUND)?;
        let was: bool = self.hydrate_entry(&record, "done")?.unwrap_or_default();
        if was == done {
            return Ok(());
        }
        let title: String = hydrate_prop(&self.doc, &record, "title")?;
        let risk_title: String = hydrate_prop(&self.doc, &obj, "title")?;
        self.guard(|doc| Ok(reconcile_prop(&mut doc.doc, &record, "done", done)?))?;
        let state = if done { "done" } else { "not done" };
        self.commit(
            format!("Marked treatment action “{title}” of risk “{risk_title}” {state}"),
            now,
        )
    }

    /// The risk owner approves the treatment plan and accepts the residual
    /// risk (6.1.3 f), signed: only from a browser whose key is recorded for
    /// the owner, once a treatment is chosen, under the criteria in force,
    /// and only when the owner may accept the residual level
    /// ([`acceptance_refusal`]). Records what was accepted, so a later
    /// change flags it for re-approval.
    pub fn accept_risk(&mut self, id: &str, now: Millis) -> Result<(), CommandError> {
        let risk = self.risk(id)?.ok_or(RISK_NOT_FOUND)?;
        let records = self.trust_records()?;
        let mut ws = Workspace {
            criteria: self.criteria_area()?,
            roles: records.roles.clone(),
            ..Default::default()
        };
        if let Some(person) = self.person(&risk.owner)? {
            ws.people.insert(risk.owner.clone(), person);
        }
        let owner = ws
            .people
            .get(&risk.owner)
            .map_or("the risk owner", |p| p.name.as_str())
            .to_owned();
        if risk.treatment == TreatmentOption::Undecided {
            return Err(CommandError::NotAllowed(
                "Choose how the risk is treated before accepting it.".to_owned(),
            ));
        }
        let (criteria_id, criteria) = criteria_or_default(&ws);
        if risk.criteria != criteria_id
            || !criteria.fits(risk.inherent)
            || !criteria.fits(risk.residual)
        {
            return Err(CommandError::NotAllowed(
                "This risk was assessed under other risk criteria than those in force: assess \
                 it again (open it and save it) before accepting it."
                    .to_owned(),
            ));
        }
        let key = self.device_public().ok_or_else(no_key)?;
        match records.keys.get(&key).map(|k| k.person.as_str()) {
            Some(person) if person == risk.owner => {}
            Some(other) => {
                let other = self
                    .person(other)?
                    .map_or_else(|| "someone else".to_owned(), |p| p.name);
                return Err(CommandError::NotAllowed(format!(
                    "Only the risk owner, {owner}, can accept this risk; this browser's key is \
                     recorded for {other}."
                )));
            }
            None => {
                return Err(CommandError::NotAllowed(format!(
                    "Only the risk owner, {owner}, can accept this risk. Record this browser's \
                     key for {owner} on the Participants page first."
                )));
            }
        }
        let level = risk.residual.level();
        if let Some(why) = acceptance_refusal(&ws, &risk.owner, level, now) {
            return Err(CommandError::NotAllowed(why));
        }
        let basis = AcceptedBasis::of(&risk);
        let digest = acceptance_digest(&basis);
        let heads = self.heads_hex();
        let signature = self
            .sign_act(
                &Act::RiskAcceptance {
                    risk: id,
                    digest: &digest,
                },
                heads,
                now,
            )?
            .ok_or_else(no_key)?;
        let acceptance = Some(Acceptance {
            person: risk.owner.clone(),
            at: now,
            basis,
            signature: Some(signature),
        });
        let obj = self.risk_obj(id)?;
        self.guard(|doc| {
            Ok(reconcile_prop(
                &mut doc.doc,
                &obj,
                "acceptance",
                &acceptance,
            )?)
        })?;
        self.commit(
            format!(
                "Accepted risk “{}” at residual level {level}, as its owner {owner}",
                risk.title
            ),
            now,
        )
    }
}
