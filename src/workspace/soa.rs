//! The Statement of Applicability (6.1.3 d): the 93 controls of ISO/IEC
//! 27001:2022 Annex A (shipped with the app, never fetched) and any added
//! ones; per control whether it applies and why, or why not, how far it is
//! implemented, who owns it and where the evidence is; approved versions
//! kept, since a certificate cites one.

use std::collections::BTreeMap;

use autosurgeon::{Hydrate, Reconcile};

use crate::workspace::Millis;
use crate::workspace::signing::ActSignature;

/// Annex A as the standard lists it: id, theme, title.
const ANNEX_A: &str = include_str!("annex-a-2022.csv");

/// The four themes of Annex A.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Theme {
    /// 5.x: 37 controls.
    Organizational,
    /// 6.x: 8 controls.
    People,
    /// 7.x: 14 controls.
    Physical,
    /// 8.x: 34 controls.
    Technological,
}

impl Theme {
    /// The four, in the standard's order.
    pub const ALL: [Theme; 4] = [
        Theme::Organizational,
        Theme::People,
        Theme::Physical,
        Theme::Technological,
    ];

    /// The theme as the CSV names it.
    pub fn key(self) -> &'static str {
        match self {
            Theme::Organizational => "organizational",
            Theme::People => "people",
            Theme::Physical => "physical",
            Theme::Technological => "technological",
        }
    }

    /// The theme in words.
    pub fn label(self) -> &'static str {
        match self {
            Theme::Organizational => "Organizational controls",
            Theme::People => "People controls",
            Theme::Physical => "Physical controls",
            Theme::Technological => "Technological controls",
        }
    }
}

/// One control of Annex A.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Control {
    /// "5.1" … "8.34".
    pub id: &'static str,
    /// Its theme.
    pub theme: Theme,
    /// Its title.
    pub title: &'static str,
}

/// The 93 controls of Annex A, in the standard's order.
pub fn annex_a() -> Vec<Control> {
    ANNEX_A
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut parts = line.splitn(3, ',');
            let id = parts.next()?;
            let theme = parts.next()?;
            let title = parts.next()?.trim_matches('"');
            let theme = Theme::ALL.into_iter().find(|t| t.key() == theme)?;
            Some(Control { id, theme, title })
        })
        .collect()
}

/// Why a control applies (6.1.3 d).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Reconcile, Hydrate)]
pub enum Reason {
    /// A risk treatment chose it (the risks are linked from their side).
    #[default]
    RiskTreatment,
    /// A law or regulation requires it.
    Legal,
    /// A contract requires it.
    Contractual,
    /// The business wants it.
    Business,
}

/// How far a control is implemented.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Reconcile, Hydrate)]
pub enum Implementation {
    /// Not started.
    #[default]
    NotStarted,
    /// Planned.
    Planned,
    /// Partly implemented.
    Partial,
    /// Implemented.
    Implemented,
}

/// One row of the Statement of Applicability, keyed by control id (an
/// Annex A id, or an added control's id).
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct SoaEntry {
    /// Whether it applies; `None` until decided.
    #[autosurgeon(missing = "Default::default")]
    pub applicable: Option<bool>,
    /// Why it applies.
    #[autosurgeon(missing = "Default::default")]
    pub reasons: Vec<Reason>,
    /// Why it does not (required when excluded).
    #[autosurgeon(missing = "Default::default")]
    pub justification: String,
    /// How far it is implemented.
    #[autosurgeon(missing = "Default::default")]
    pub status: Implementation,
    /// Who owns it (a People record id), or "".
    #[autosurgeon(missing = "Default::default")]
    pub owner: String,
    /// Where the evidence is (a document, a link).
    #[autosurgeon(missing = "Default::default")]
    pub evidence: String,
    /// For a control not in Annex A: its theme key and title.
    #[autosurgeon(missing = "Default::default")]
    pub added: Option<AddedControl>,
}

/// A control the organisation adds beyond Annex A.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct AddedControl {
    /// Its title.
    #[autosurgeon(missing = "Default::default")]
    pub title: String,
    /// Its theme's key ("organizational", …).
    #[autosurgeon(missing = "Default::default")]
    pub theme: String,
}

/// An approved version of the Statement of Applicability, kept whole.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct SoaVersion {
    /// 1, 2, …
    #[autosurgeon(missing = "Default::default")]
    pub number: u32,
    /// The rows as approved, by control id.
    #[autosurgeon(missing = "Default::default")]
    pub rows: BTreeMap<String, SoaEntry>,
    /// SHA-256 (hex) of the rows' canonical form, inside the signature.
    #[autosurgeon(missing = "Default::default")]
    pub digest: String,
    /// Who approved (a People record id).
    #[autosurgeon(missing = "Default::default")]
    pub person: String,
    /// When.
    #[autosurgeon(missing = "Default::default")]
    pub at: Millis,
    /// The signature ([`crate::workspace::signing::Act::SoaApproval`]).
    #[autosurgeon(missing = "Default::default")]
    pub signature: Option<ActSignature>,
}
