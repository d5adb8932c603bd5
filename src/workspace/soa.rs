//! The Statement of Applicability (6.1.3 d): the 93 controls of ISO/IEC
//! 27001:2022 Annex A (shipped with the app, never fetched) and any added
//! ones; per control whether it applies and why, or why not, how far it is
//! implemented, who owns it and where the evidence is; approved versions
//! kept, since a certificate cites one.

//!
//! A control cited by a risk's treatment applies: it cannot be excluded,
//! and the risks are linked from their side (`Risk::controls`), never
//! copied here. An approval snapshots every row, decided or not, with the
//! risks linked at the time, signed by a member of top management; the
//! versions are kept as they were and never changed.

use std::collections::BTreeMap;

use automerge::{ROOT, ReadDoc};
use autosurgeon::{Hydrate, Reconcile, reconcile_prop};
use sha2::{Digest, Sha256};

use crate::workspace::model::{Workspace, sort_list};
use crate::workspace::risks::Risk;
use crate::workspace::signing::{Act, ActSignature, Trust, Unverified, Verdict};
use crate::workspace::validate::{Field, MAX_LONG, MAX_TITLE, ValidationErrors, check_length};
use crate::workspace::{CommandError, Millis, WorkspaceDoc};

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

    /// The theme whose [`Theme::key`] is `key`.
    pub fn from_key(key: &str) -> Option<Theme> {
        Theme::ALL.into_iter().find(|t| t.key() == key)
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

impl Reason {
    /// Every reason, in the order the form offers them.
    pub const ALL: [Reason; 4] = [
        Reason::RiskTreatment,
        Reason::Legal,
        Reason::Contractual,
        Reason::Business,
    ];

    /// The reason in words.
    pub fn label(self) -> &'static str {
        match self {
            Reason::RiskTreatment => "Risk treatment",
            Reason::Legal => "Legal or regulatory requirement",
            Reason::Contractual => "Contractual requirement",
            Reason::Business => "Business requirement",
        }
    }

    /// A stable name for forms.
    pub fn slug(self) -> &'static str {
        match self {
            Reason::RiskTreatment => "risk-treatment",
            Reason::Legal => "legal",
            Reason::Contractual => "contractual",
            Reason::Business => "business",
        }
    }

    /// The reason named `slug`.
    pub fn from_slug(slug: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.slug() == slug)
    }
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

impl Implementation {
    /// Every status, in the order the form offers them.
    pub const ALL: [Implementation; 4] = [
        Implementation::NotStarted,
        Implementation::Planned,
        Implementation::Partial,
        Implementation::Implemented,
    ];

    /// The status in words.
    pub fn label(self) -> &'static str {
        match self {
            Implementation::NotStarted => "Not started",
            Implementation::Planned => "Planned",
            Implementation::Partial => "Partly implemented",
            Implementation::Implemented => "Implemented",
        }
    }

    /// A stable name for forms and CSS.
    pub fn slug(self) -> &'static str {
        match self {
            Implementation::NotStarted => "not-started",
            Implementation::Planned => "planned",
            Implementation::Partial => "partial",
            Implementation::Implemented => "implemented",
        }
    }

    /// The status named `slug`.
    pub fn from_slug(slug: &str) -> Option<Implementation> {
        Implementation::ALL.into_iter().find(|s| s.slug() == slug)
    }
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
    /// The risks (ids) linked to each control when it was approved, by
    /// control id (controls no risk cited are left out): a row's "risk
    /// treatment" reason stays checkable after the register moves on.
    #[autosurgeon(missing = "Default::default")]
    pub risks: BTreeMap<String, Vec<String>>,
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

impl SoaVersion {
    /// How many of its rows were not decided yet when it was approved.
    pub fn undecided(&self) -> usize {
        self.rows
            .values()
            .filter(|e| e.applicable.is_none())
            .count()
    }
}

// ---------------------------------------------------------------------------
// The catalogue: Annex A and the added controls.

/// The Annex A control `id`, if it is one.
pub fn annex_a_control(id: &str) -> Option<Control> {
    annex_a().into_iter().find(|c| c.id == id)
}

/// The number of an added control's id ("A-7" → 7).
fn added_number(id: &str) -> Option<u32> {
    id.strip_prefix("A-")?.parse().ok()
}

/// The id the next added control gets: "A-" and one more than the highest
/// taken, so it never clashes with Annex A's "5.1" … "8.34".
pub fn next_added_id<'a>(taken: impl IntoIterator<Item = &'a str>) -> String {
    let highest = taken.into_iter().filter_map(added_number).max();
    format!("A-{}", highest.unwrap_or(0) + 1)
}

/// Whether `id` names a control of the Statement of Applicability: Annex A's
/// or one added.
pub fn is_control(ws: &Workspace, id: &str) -> bool {
    annex_a_control(id).is_some() || ws.soa.get(id).is_some_and(|e| e.added.is_some())
}

/// The risks whose treatment cites `control`, by title.
pub fn risks_citing<'a>(ws: &'a Workspace, control: &str) -> Vec<(&'a String, &'a Risk)> {
    let mut list: Vec<_> = ws
        .risks
        .iter()
        .filter(|(_, r)| r.controls.iter().any(|c| c == control))
        .collect();
    sort_list(&mut list, |(a_id, a), (b_id, b)| {
        (a.title.to_lowercase(), *a_id).cmp(&(b.title.to_lowercase(), *b_id))
    });
    list
}

/// “A”, “A” and “B”, “A”, “B” and “C”.
fn quoted_list(titles: &[&str]) -> String {
    let quoted: Vec<String> = titles.iter().map(|t| format!("“{t}”")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

// ---------------------------------------------------------------------------
// The form.

/// A row of the Statement of Applicability as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SoaDraft {
    /// Applies (`Some(true)`), excluded (`Some(false)`) or not decided yet.
    pub applicable: Option<bool>,
    /// Why it applies.
    pub reasons: Vec<Reason>,
    /// Why it is excluded (required then); a note on an applicable one.
    pub justification: String,
    /// How far it is implemented.
    pub status: Implementation,
    /// Who owns it (person id), or "".
    pub owner: String,
    /// Where the evidence is.
    pub evidence: String,
}

impl SoaDraft {
    /// The draft for what `entry` holds, to edit it.
    pub fn of(entry: &SoaEntry) -> SoaDraft {
        SoaDraft {
            applicable: entry.applicable,
            reasons: entry.reasons.clone(),
            justification: entry.justification.clone(),
            status: entry.status,
            owner: entry.owner.clone(),
            evidence: entry.evidence.clone(),
        }
    }

    /// Checks the draft for `control` against the risks that cite it and
    /// the people: an excluded control needs a justification, and a control
    /// a risk treatment cites cannot be excluded. An applicable control
    /// needs a reason; when a risk cites it, "risk treatment" is that reason
    /// and is added, and choosing "risk treatment" when no risk cites it is
    /// refused (it would claim a link the register does not have). Reasons
    /// are kept only for an applicable control. The entry returned has no
    /// `added` part; the command keeps the stored one.
    pub fn validate(&self, ws: &Workspace, control: &str) -> Result<SoaEntry, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let citing = risks_citing(ws, control);
        let justification = self.justification.trim();
        let mut reasons = Vec::new();
        match self.applicable {
            Some(false) => {
                if !citing.is_empty() {
                    let titles: Vec<&str> = citing.iter().map(|(_, r)| r.title.as_str()).collect();
                    let (noun, verb) = if titles.len() == 1 {
                        ("Risk", "is")
                    } else {
                        ("Risks", "are")
                    };
                    errors.push(
                        Field::SoaApplicable,
                        &format!(
                            "{noun} {} {verb} treated with this control, so it cannot be \
                             excluded.",
                            quoted_list(&titles)
                        ),
                    );
                }
                if justification.is_empty() {
                    errors.push(
                        Field::SoaJustification,
                        "Say why this control is excluded: the justification is required.",
                    );
                }
            }
            Some(true) => {
                reasons = Reason::ALL
                    .into_iter()
                    .filter(|r| {
                        self.reasons.contains(r)
                            || (*r == Reason::RiskTreatment && !citing.is_empty())
                    })
                    .collect();
                if citing.is_empty() && self.reasons.contains(&Reason::RiskTreatment) {
                    errors.push(
                        Field::SoaReasons,
                        "No risk's treatment uses this control yet: choose the control in the \
                         risk's treatment first, or give another reason.",
                    );
                } else if reasons.is_empty() {
                    errors.push(
                        Field::SoaReasons,
                        "Say why this control applies: a risk treatment, a law or regulation, a \
                         contract or a business need.",
                    );
                }
            }
            None => {}
        }
        check_length(
            &mut errors,
            Field::SoaJustification,
            justification,
            MAX_LONG,
        );
        let evidence = self.evidence.trim();
        check_length(&mut errors, Field::SoaEvidence, evidence, MAX_LONG);
        if !self.owner.is_empty()
            && ws
                .people
                .get(&self.owner)
                .is_none_or(|p| p.archived.is_some())
        {
            errors.push(Field::SoaOwner, "Choose the owner from People.");
        }
        errors.into_result(SoaEntry {
            applicable: self.applicable,
            reasons,
            justification: justification.to_owned(),
            status: self.status,
            owner: self.owner.clone(),
            evidence: evidence.to_owned(),
            added: None,
        })
    }
}

/// Checks an added control's title and theme key.
pub fn validate_added(title: &str, theme: &str) -> Result<AddedControl, ValidationErrors> {
    let mut errors = ValidationErrors::default();
    let title = title.trim();
    if title.is_empty() {
        errors.push(Field::SoaControlTitle, "Enter the control's title.");
    } else {
        check_length(&mut errors, Field::SoaControlTitle, title, MAX_TITLE);
    }
    if Theme::from_key(theme).is_none() {
        errors.push(
            Field::SoaControlTheme,
            "Choose the theme: organizational, people, physical or technological.",
        );
    }
    errors.into_result(AddedControl {
        title: title.to_owned(),
        theme: theme.to_owned(),
    })
}

// ---------------------------------------------------------------------------
// Reading: rows, progress, search.

/// Whether a control applies, is excluded or is not decided yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Applicability {
    /// It applies.
    Applicable,
    /// It is excluded, with a justification.
    Excluded,
    /// Not decided yet.
    Undecided,
}

impl Applicability {
    /// The three, in the order the filter offers them.
    pub const ALL: [Applicability; 3] = [
        Applicability::Applicable,
        Applicability::Excluded,
        Applicability::Undecided,
    ];

    /// Where `entry` stands.
    pub fn of(entry: &SoaEntry) -> Applicability {
        match entry.applicable {
            Some(true) => Applicability::Applicable,
            Some(false) => Applicability::Excluded,
            None => Applicability::Undecided,
        }
    }

    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            Applicability::Applicable => "Applicable",
            Applicability::Excluded => "Excluded",
            Applicability::Undecided => "Not decided",
        }
    }

    /// A stable name for forms and CSS.
    pub fn slug(self) -> &'static str {
        match self {
            Applicability::Applicable => "applicable",
            Applicability::Excluded => "excluded",
            Applicability::Undecided => "undecided",
        }
    }

    /// The one named `slug`.
    pub fn from_slug(slug: &str) -> Option<Applicability> {
        Applicability::ALL.into_iter().find(|a| a.slug() == slug)
    }
}

/// One row of the Statement of Applicability as shown.
#[derive(Debug, Clone, PartialEq)]
pub struct SoaRow {
    /// The control id ("5.15", "A-1").
    pub id: String,
    /// Its theme.
    pub theme: Theme,
    /// Its title.
    pub title: String,
    /// What is recorded for it (the default, undecided, when nothing is).
    pub entry: SoaEntry,
    /// The risks (ids) whose treatment cites it, by title.
    pub risks: Vec<String>,
}

impl SoaRow {
    /// Whether it is one the organisation added (not Annex A's).
    pub fn is_added(&self) -> bool {
        self.entry.added.is_some()
    }

    /// What the register changed under the row since it was recorded: an
    /// excluded control that a risk treatment now cites, or "risk
    /// treatment" given as the reason when no risk cites the control any
    /// more. Each is a sentence; empty when the row and the risks agree.
    pub fn warnings(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        let cited = !self.risks.is_empty();
        if self.entry.applicable == Some(false) && cited {
            out.push(
                "It is excluded, but a risk treatment uses it: include it, or take it out of \
                 the risk's treatment.",
            );
        }
        if self.entry.applicable == Some(true)
            && !cited
            && self.entry.reasons.contains(&Reason::RiskTreatment)
        {
            out.push(
                "Risk treatment is given as a reason, but no risk's treatment uses it any more.",
            );
        }
        out
    }
}

/// Every row: Annex A's 93 in the standard's order, then the added
/// controls by number.
pub fn soa_rows(ws: &Workspace) -> Vec<SoaRow> {
    let row = |id: &str, theme: Theme, title: &str, entry: Option<&SoaEntry>| SoaRow {
        id: id.to_owned(),
        theme,
        title: title.to_owned(),
        entry: entry.cloned().unwrap_or_default(),
        risks: risks_citing(ws, id)
            .into_iter()
            .map(|(risk, _)| risk.clone())
            .collect(),
    };
    let annex = annex_a();
    let mut rows: Vec<SoaRow> = annex
        .iter()
        .map(|c| row(c.id, c.theme, c.title, ws.soa.get(c.id)))
        .collect();
    let mut added: Vec<(&String, &SoaEntry, &AddedControl)> = ws
        .soa
        .iter()
        .filter_map(|(id, e)| Some((id, e, e.added.as_ref()?)))
        .filter(|(id, _, _)| annex.iter().all(|c| c.id != id.as_str()))
        .collect();
    sort_list(&mut added, |(a, _, _), (b, _, _)| {
        (added_number(a), *a).cmp(&(added_number(b), *b))
    });
    for (id, entry, control) in added {
        let theme = Theme::from_key(&control.theme).unwrap_or(Theme::Organizational);
        rows.push(row(id, theme, &control.title, Some(entry)));
    }
    rows
}

/// How far one theme is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThemeProgress {
    /// The theme.
    pub theme: Theme,
    /// Its controls (Annex A's and added).
    pub total: usize,
    /// How many apply.
    pub applicable: usize,
    /// How many of those are implemented.
    pub implemented: usize,
    /// How many are not decided yet.
    pub undecided: usize,
    /// How many are excluded.
    pub excluded: usize,
}

/// Progress per theme, in the standard's order.
pub fn progress(ws: &Workspace) -> Vec<ThemeProgress> {
    let rows = soa_rows(ws);
    Theme::ALL
        .into_iter()
        .map(|theme| {
            let mut p = ThemeProgress {
                theme,
                total: 0,
                applicable: 0,
                implemented: 0,
                undecided: 0,
                excluded: 0,
            };
            for row in rows.iter().filter(|r| r.theme == theme) {
                p.total += 1;
                match Applicability::of(&row.entry) {
                    Applicability::Applicable => {
                        p.applicable += 1;
                        if row.entry.status == Implementation::Implemented {
                            p.implemented += 1;
                        }
                    }
                    Applicability::Excluded => p.excluded += 1,
                    Applicability::Undecided => p.undecided += 1,
                }
            }
            p
        })
        .collect()
}

/// What the list is narrowed to; `None` lets everything through.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SoaFilter {
    /// Only this theme.
    pub theme: Option<Theme>,
    /// Only applicable, excluded or undecided controls.
    pub applicability: Option<Applicability>,
    /// Only this implementation status.
    pub status: Option<Implementation>,
}

/// Whether `row` passes `filter` and `query` is found, ignoring case, in
/// its id or title (an empty query finds every row).
pub fn matches(row: &SoaRow, query: &str, filter: &SoaFilter) -> bool {
    let query = query.trim().to_lowercase();
    filter.theme.is_none_or(|t| t == row.theme)
        && filter
            .applicability
            .is_none_or(|a| a == Applicability::of(&row.entry))
        && filter.status.is_none_or(|s| s == row.entry.status)
        && (query.is_empty()
            || row.id.to_lowercase().contains(&query)
            || row.title.to_lowercase().contains(&query))
}

/// The approved versions, oldest first.
pub fn versions_in_order(ws: &Workspace) -> Vec<(&String, &SoaVersion)> {
    let mut list: Vec<_> = ws.soa_versions.iter().collect();
    sort_list(&mut list, |(a_id, a), (b_id, b)| {
        (a.number, a.at, *a_id).cmp(&(b.number, b.at, *b_id))
    });
    list
}

/// The controls (ids) whose row or linked risks differ now from `version`,
/// in the list's order: what a new approval would change.
pub fn changed_since(ws: &Workspace, version: &SoaVersion) -> Vec<String> {
    soa_rows(ws)
        .into_iter()
        .filter(|row| {
            let linked = version.risks.get(&row.id).map_or(&[][..], Vec::as_slice);
            version.rows.get(&row.id) != Some(&row.entry) || linked != row.risks.as_slice()
        })
        .map(|row| row.id)
        .collect()
}

/// The SHA-256 (hex) of the rows and linked risks in a canonical form:
/// every field, length-prefixed, rows by control id. Part of what the
/// approver signs.
pub fn soa_digest(
    rows: &BTreeMap<String, SoaEntry>,
    risks: &BTreeMap<String, Vec<String>>,
) -> String {
    let mut hash = Sha256::new();
    let mut put = |text: &str| {
        hash.update((text.len() as u64).to_le_bytes());
        hash.update(text.as_bytes());
    };
    put("charter/v1/soa");
    for (id, e) in rows {
        put(id);
        match &e.added {
            Some(added) => {
                put("added");
                put(&added.title);
                put(&added.theme);
            }
            None => put("annex-a"),
        }
        put(Applicability::of(e).slug());
        let reasons: Vec<&str> = e.reasons.iter().map(|r| r.slug()).collect();
        put(&reasons.join(","));
        put(&e.justification);
        put(e.status.slug());
        put(&e.owner);
        put(&e.evidence);
    }
    put("risks");
    for (control, linked) in risks {
        put(control);
        put(&linked.join(","));
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks an approved version: its rows must match its digest, the
/// signature must verify (key confirmed, the signer in Top management) and
/// name the person the version names.
pub fn verify_soa_version(trust: &Trust<'_>, id: &str, version: &SoaVersion) -> Verdict {
    if soa_digest(&version.rows, &version.risks) != version.digest {
        return Verdict::Unverified(Unverified::Altered);
    }
    if let Some(signature) = &version.signature {
        if signature.person != version.person {
            return Verdict::Unverified(Unverified::OtherPerson);
        }
        if signature.at != version.at {
            return Verdict::Unverified(Unverified::Altered);
        }
    }
    trust.verify(
        &Act::SoaApproval {
            version: id,
            number: version.number,
            digest: &version.digest,
        },
        version.signature.as_ref(),
    )
}

// ---------------------------------------------------------------------------
// Commands.

const CONTROL_NOT_FOUND: CommandError = CommandError::NotFound("control");

/// The first words of `text`, for a history message.
fn short(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    if line.chars().count() > 60 {
        let cut: String = line.chars().take(57).collect();
        format!("{cut}…")
    } else {
        line.to_owned()
    }
}

impl WorkspaceDoc {
    /// The Statement of Applicability's rows as stored (all of them: it is
    /// one row per control, small whatever the workspace's age).
    fn soa_entries(&self) -> Result<BTreeMap<String, SoaEntry>, CommandError> {
        match self.existing_map(ROOT, "soa") {
            Some(_) => Ok(autosurgeon::hydrate_prop(&self.doc, ROOT, "soa")?),
            None => Ok(BTreeMap::new()),
        }
    }

    /// The risks with only their titles and the controls they cite: what
    /// the Statement of Applicability needs of the register.
    fn risk_links(&self) -> Result<BTreeMap<String, Risk>, CommandError> {
        let mut out = BTreeMap::new();
        let Some(map) = self.existing_map(ROOT, "risks") else {
            return Ok(out);
        };
        for id in self.doc.keys(&map).collect::<Vec<_>>() {
            let Some(record) = self.existing_map(map.clone(), &id) else {
                continue;
            };
            let risk = Risk {
                title: self.hydrate_entry(&record, "title")?.unwrap_or_default(),
                controls: self.hydrate_entry(&record, "controls")?.unwrap_or_default(),
                ..Default::default()
            };
            out.insert(id, risk);
        }
        Ok(out)
    }

    /// Records the row of control `control` (an Annex A id or an added
    /// control's), as [`SoaDraft::validate`] checks it.
    pub fn set_soa_entry(
        &mut self,
        control: &str,
        draft: &SoaDraft,
        now: Millis,
    ) -> Result<(), CommandError> {
        let soa = self.existing_map(ROOT, "soa");
        let old: Option<SoaEntry> = match &soa {
            Some(map) => self.hydrate_entry(map, control)?,
            None => None,
        };
        let title = match (
            annex_a_control(control),
            old.as_ref().and_then(|e| e.added.as_ref()),
        ) {
            (Some(c), _) => c.title.to_owned(),
            (None, Some(added)) => added.title.clone(),
            (None, None) => return Err(CONTROL_NOT_FOUND),
        };
        let mut ws = Workspace {
            risks: self.risk_links()?,
            ..Default::default()
        };
        if let Some(person) = self.person(&draft.owner)? {
            ws.people.insert(draft.owner.clone(), person);
        }
        let old = old.unwrap_or_default();
        let entry = SoaEntry {
            added: old.added.clone(),
            ..draft.validate(&ws, control)?
        };
        if entry == old {
            return Ok(());
        }
        let mut changes = Vec::new();
        if entry.applicable != old.applicable {
            changes.push(match entry.applicable {
                Some(true) => "applies".to_owned(),
                Some(false) => format!("excluded: {}", short(&entry.justification)),
                None => "not decided".to_owned(),
            });
        } else if entry.justification != old.justification {
            changes.push("justification changed".to_owned());
        }
        if entry.reasons != old.reasons {
            let reasons: Vec<String> = entry
                .reasons
                .iter()
                .map(|r| r.label().to_lowercase())
                .collect();
            if !reasons.is_empty() {
                changes.push(format!("reasons: {}", reasons.join(", ")));
            } else if entry.applicable == old.applicable {
                changes.push("no reasons".to_owned());
            }
        }
        if entry.status != old.status {
            changes.push(format!(
                "{} → {}",
                old.status.label(),
                entry.status.label().to_lowercase()
            ));
        }
        if entry.owner != old.owner {
            changes.push(match ws.people.get(&entry.owner) {
                Some(p) => format!("owner {}", p.name),
                None => "no owner".to_owned(),
            });
        }
        if entry.evidence != old.evidence {
            changes.push("evidence changed".to_owned());
        }
        self.guard(|doc| {
            let map = doc.map(ROOT, "soa")?;
            Ok(reconcile_prop(&mut doc.doc, &map, control, &entry)?)
        })?;
        self.commit(
            format!(
                "Statement of Applicability, {control} {title}: {}",
                changes.join(", ")
            ),
            now,
        )
    }

    /// Adds a control beyond Annex A with `title` in the theme keyed
    /// `theme`; returns its id ("A-1", "A-2", …).
    pub fn add_control(
        &mut self,
        title: &str,
        theme: &str,
        now: Millis,
    ) -> Result<String, CommandError> {
        let added = validate_added(title, theme)?;
        let taken: Vec<String> = match self.existing_map(ROOT, "soa") {
            Some(map) => self.doc.keys(&map).collect(),
            None => Vec::new(),
        };
        let id = next_added_id(taken.iter().map(String::as_str));
        let theme = Theme::from_key(&added.theme).unwrap_or(Theme::Organizational);
        let entry = SoaEntry {
            added: Some(added),
            ..Default::default()
        };
        self.guard(|doc| {
            let map = doc.map(ROOT, "soa")?;
            Ok(reconcile_prop(&mut doc.doc, &map, id.as_str(), &entry)?)
        })?;
        let title = entry.added.as_ref().map_or("", |a| a.title.as_str());
        self.commit(
            format!(
                "Added control {id} “{title}” to the Statement of Applicability ({})",
                theme.label().to_lowercase()
            ),
            now,
        )?;
        Ok(id)
    }

    /// Approves the Statement of Applicability as it stands: a new version
    /// with every row (Annex A's 93 and the added ones), the risks linked to
    /// each and the digest of both, signed by this browser's key. Only a
    /// member of top management whose key this browser holds can approve.
    ///
    /// Controls not decided yet do not stop an approval (a first version
    /// may be approved while the work goes on): they stay undecided in the
    /// version, which says how many there are ([`SoaVersion::undecided`]),
    /// and the history message names the count. Returns the version's id.
    pub fn approve_soa(&mut self, now: Millis) -> Result<String, CommandError> {
        let key = self.device_public().ok_or_else(|| {
            CommandError::NotAllowed(
                "This browser has no signing key for this workspace. Reload the page and try again."
                    .to_owned(),
            )
        })?;
        let records = self.trust_records()?;
        let person = records
            .keys
            .get(&key)
            .map(|k| k.person.clone())
            .filter(|p| !p.is_empty())
            .ok_or_else(|| {
                CommandError::NotAllowed(
                    "Only a member of top management can approve the Statement of \
                     Applicability. Record this browser's key for yourself on the Participants \
                     page first."
                        .to_owned(),
                )
            })?;
        if records.trust().top_management_role(&person, now).is_none() {
            let name = self.person(&person)?.map_or_else(
                || "The person this browser's key is recorded for".to_owned(),
                |p| p.name,
            );
            return Err(CommandError::NotAllowed(format!(
                "Only a member of top management can approve the Statement of Applicability; \
                 {name} does not hold the Top management role."
            )));
        }
        let ws = Workspace {
            soa: self.soa_entries()?,
            risks: self.risk_links()?,
            ..Default::default()
        };
        let mut rows = BTreeMap::new();
        let mut risks = BTreeMap::new();
        for row in soa_rows(&ws) {
            if !row.risks.is_empty() {
                risks.insert(row.id.clone(), row.risks);
            }
            rows.insert(row.id, row.entry);
        }
        let digest = soa_digest(&rows, &risks);
        let number = self.highest_soa_version()? + 1;
        let id = self.next_id(now);
        let heads = self.heads_hex();
        let signature = self
            .sign_act(
                &Act::SoaApproval {
                    version: &id,
                    number,
                    digest: &digest,
                },
                heads,
                now,
            )?
            .ok_or_else(|| CommandError::NotAllowed("This browser cannot sign.".to_owned()))?;
        let version = SoaVersion {
            number,
            rows,
            risks,
            digest,
            person,
            at: now,
            signature: Some(signature),
        };
        let undecided = version.undecided();
        self.guard(|doc| {
            let map = doc.map(ROOT, "soa_versions")?;
            Ok(reconcile_prop(&mut doc.doc, &map, id.as_str(), &version)?)
        })?;
        let pending = match undecided {
            0 => String::new(),
            1 => ", 1 control not decided yet".to_owned(),
            n => format!(", {n} controls not decided yet"),
        };
        self.commit(
            format!("Approved version {number} of the Statement of Applicability{pending}"),
            now,
        )?;
        Ok(id)
    }

    /// The highest version number approved so far (0 for none), reading
    /// only each version's number.
    fn highest_soa_version(&self) -> Result<u32, CommandError> {
        let Some(map) = self.existing_map(ROOT, "soa_versions") else {
            return Ok(0);
        };
        let mut highest = 0;
        for id in self.doc.keys(&map).collect::<Vec<_>>() {
            if let Some(record) = self.existing_map(map.clone(), &id) {
                let number: Option<u32> = self.hydrate_entry(&record, "number")?;
                highest = highest.max(number.unwrap_or(0));
            }
        }
        Ok(highest)
    }
}
