//! The certification cycle's date rules (ISO/IEC 17021-1, 9.6, and ISO/IEC
//! 27006-1): from the dates a certification body gives (decision, expiry,
//! audits held or planned), the windows each audit must fall in, whether it
//! does, the next one to close, and what moving an audit would break.
//!
//! - The cycle starts at the certification decision D and ends at expiry,
//!   about D + 3 years − 1 day (a decision on 29 February ends on
//!   28 February); the expiry the body states always wins.
//! - The first surveillance audit falls within 12 months of D (counted from
//!   the decision, not from stage 2); then at least one each calendar year,
//!   except the recertification year.
//! - The recertification audit, the verification of its major
//!   nonconformities and the decision come before expiry. An early
//!   recertification gives the old expiry + 3 years. A late one lets the
//!   certificate lapse at expiry, with no extension: the body may restore it
//!   within 6 months, keeping the old cycle's expiry; after that at least a
//!   stage 2 audit is needed. The gap without a certificate is shown.
//! - For a first certification, stage 2 follows stage 1 within 6 months,
//!   and the major nonconformities of stage 2 are verified within 6 months
//!   of it.
//!
//! Pure functions on `YYYY-MM-DD` strings: no document, no clock.

use crate::workspace::assessment::add_months;
use crate::workspace::measurements::{add_days, day_number};
use crate::workspace::validate::parse_date;

/// Days before a window closes when the overview starts to warn.
pub const WARN_DAYS: i64 = 90;
/// Days before a window closes when the warning becomes urgent.
pub const URGENT_DAYS: i64 = 30;

/// The dates of one certification cycle, as the body gives them and as
/// audits are held or planned. Empty strings are dates not known (yet).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cycle {
    /// Stage 1 audit (first certification only).
    pub stage1: String,
    /// The last day of the stage 2 audit (first certification only).
    pub stage2: String,
    /// Whether stage 2 found major nonconformities.
    pub stage2_majors: bool,
    /// When their corrections were verified.
    pub majors_verified: String,
    /// The certification decision D.
    pub decision: String,
    /// The expiry the body states on the certificate ("" to use the
    /// expected one).
    pub expiry: String,
    /// Surveillance audits held or planned.
    pub surveillance: Vec<String>,
    /// The recertification audit, held or planned.
    pub recert_audit: String,
    /// The recertification decision.
    pub recert_decision: String,
}

/// `date` plus `years`, on its anniversary: 29 February's anniversary in a
/// year without one is 1 March.
fn anniversary(date: &str, years: u32) -> Option<String> {
    let (year, month, day) = parse_date(date)?;
    let year = u32::from(year) + years;
    let (month, day) =
        if month == 2 && day == 29 && parse_date(&format!("{year:04}-02-29")).is_none() {
            (3, 1)
        } else {
            (u32::from(month), u32::from(day))
        };
    Some(format!("{year:04}-{month:02}-{day:02}"))
}

/// Days from `from` to `to` (negative when `to` comes first).
pub fn days_between(from: &str, to: &str) -> Option<i64> {
    Some(day_number(to)? - day_number(from)?)
}

/// The expiry a decision on `decision` gives: the day before its third
/// anniversary (a decision on 29 February 2024 expires on 28 February 2027).
pub fn expected_expiry(decision: &str) -> Option<String> {
    add_days(&anniversary(decision, 3)?, -1)
}

/// The last day of the first surveillance audit's window: 12 months after
/// the decision (a shorter month ends on its last day).
pub fn first_surveillance_by(decision: &str) -> Option<String> {
    add_months(decision, 12)
}

/// A window an audit or decision must fall in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Milestone {
    /// What must happen, in words.
    pub what: String,
    /// The first day it may happen.
    pub opens: String,
    /// The last day it may happen.
    pub closes: String,
    /// Where it stands.
    pub standing: Standing,
}

/// Where a milestone stands on a given day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// Held within its window on this day.
    Met(String),
    /// Planned within its window on this (future) day.
    Planned(String),
    /// Not held or planned yet; the window is still open.
    Open,
    /// Its window closed without it, or it is held or planned outside it
    /// (on the day given, if any).
    Missed(Option<String>),
}

impl Milestone {
    /// Whether the window is broken.
    pub fn is_missed(&self) -> bool {
        matches!(self.standing, Standing::Missed(_))
    }

    /// Whether an audit or decision is held or planned within it.
    pub fn is_covered(&self) -> bool {
        matches!(self.standing, Standing::Met(_) | Standing::Planned(_))
    }

    /// Whether nothing is held or planned for it yet and its window is
    /// open: the ones the overview counts down to.
    pub fn is_open(&self) -> bool {
        self.standing == Standing::Open
    }
}

/// How urgent an open window is on `today`: `None` when more than
/// [`WARN_DAYS`] remain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    /// 90 days or fewer left.
    Soon,
    /// 30 days or fewer left.
    Urgent,
}

/// How urgent `milestone` is on `today`.
pub fn urgency(milestone: &Milestone, today: &str) -> Option<Urgency> {
    if !milestone.is_open() {
        return None;
    }
    let left = days_between(today, &milestone.closes)?;
    if left <= URGENT_DAYS {
        Some(Urgency::Urgent)
    } else if left <= WARN_DAYS {
        Some(Urgency::Soon)
    } else {
        None
    }
}

/// Where a window stands given the day `held` (held or planned), if any.
fn standing(opens: &str, closes: &str, held: Option<&str>, today: &str) -> Standing {
    match held {
        Some(day) if day >= opens && day <= closes => {
            if day <= today {
                Standing::Met(day.to_owned())
            } else {
                Standing::Planned(day.to_owned())
            }
        }
        Some(day) => Standing::Missed(Some(day.to_owned())),
        None if closes < today => Standing::Missed(None),
        None => Standing::Open,
    }
}

impl Cycle {
    /// The expiry in force: the body's, or the expected one.
    pub fn expiry(&self) -> Option<String> {
        if parse_date(&self.expiry).is_some() {
            Some(self.expiry.clone())
        } else {
            expected_expiry(&self.decision)
        }
    }

    /// The known date among `date` ("" or unparsable is none).
    fn known(date: &str) -> Option<&str> {
        parse_date(date).map(|_| date)
    }

    /// Surveillance audits held or planned, in date order.
    fn audits(&self) -> Vec<&str> {
        let mut audits: Vec<&str> = self
            .surveillance
            .iter()
            .filter_map(|d| Cycle::known(d))
            .collect();
        audits.sort_unstable();
        audits
    }

    /// The calendar year of the recertification: that of its audit, or of
    /// expiry when it is not planned yet.
    fn recert_year(&self, expiry: &str) -> i32 {
        let date = Cycle::known(&self.recert_audit).unwrap_or(expiry);
        year(date)
    }

    /// Every window of the cycle, in the order they close, standing on
    /// `today`. Empty without a valid decision date.
    pub fn milestones(&self, today: &str) -> Vec<Milestone> {
        let mut out = Vec::new();
        let Some(decision) = Cycle::known(&self.decision) else {
            return out;
        };
        let Some(expiry) = self.expiry() else {
            return out;
        };
        // Stage 1 and stage 2 of a first certification.
        if let Some(stage1) = Cycle::known(&self.stage1)
            && let Some(closes) = add_months(stage1, 6)
        {
            out.push(Milestone {
                what: "Stage 2 audit within 6 months of stage 1".to_owned(),
                opens: stage1.to_owned(),
                standing: standing(stage1, &closes, Cycle::known(&self.stage2), today),
                closes,
            });
        }
        if self.stage2_majors
            && let Some(stage2) = Cycle::known(&self.stage2)
            && let Some(closes) = add_months(stage2, 6)
        {
            out.push(Milestone {
                what: "Major nonconformities of stage 2 verified within 6 months".to_owned(),
                opens: stage2.to_owned(),
                standing: standing(stage2, &closes, Cycle::known(&self.majors_verified), today),
                closes,
            });
        }
        // The first surveillance audit, within 12 months of the decision.
        let audits = self.audits();
        if let Some(closes) = first_surveillance_by(decision) {
            let first = audits.iter().copied().find(|d| *d > decision);
            out.push(Milestone {
                what: "First surveillance audit, within 12 months of the certification decision"
                    .to_owned(),
                opens: add_days(decision, 1).unwrap_or_default(),
                standing: standing(decision, &closes, first, today),
                closes,
            });
        }
        // One surveillance audit each calendar year after the decision's,
        // up to the recertification year (the years after it belong to the
        // next cycle).
        let last = self.recert_year(&expiry).min(year(&expiry) + 1);
        for y in year(decision) + 1..last {
            let opens = format!("{y:04}-01-01");
            let closes = format!("{y:04}-12-31").min(expiry.clone());
            if closes < opens {
                continue;
            }
            let held = audits
                .iter()
                .copied()
                .find(|d| *d >= opens.as_str() && *d <= closes.as_str());
            out.push(Milestone {
                what: format!("Surveillance audit in {y}"),
                standing: standing(&opens, &closes, held, today),
                opens,
                closes,
            });
        }
        // The recertification: its audit, then its decision, before expiry.
        let opens = add_days(decision, 1).unwrap_or_default();
        out.push(Milestone {
            what: "Recertification audit before expiry".to_owned(),
            standing: standing(&opens, &expiry, Cycle::known(&self.recert_audit), today),
            opens: opens.clone(),
            closes: expiry.clone(),
        });
        out.push(Milestone {
            what: "Recertification decision before expiry".to_owned(),
            standing: standing(&opens, &expiry, Cycle::known(&self.recert_decision), today),
            opens,
            closes: expiry.clone(),
        });
        out.sort_by(|a, b| a.closes.cmp(&b.closes));
        out
    }

    /// What disagrees between the dates stored and the rules, in words:
    /// the body's expiry against the expected one (the body's wins),
    /// decisions before their audits.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let (Some(stated), Some(expected)) = (
            Cycle::known(&self.expiry),
            Cycle::known(&self.decision).and_then(expected_expiry),
        ) && stated != expected
        {
            out.push(format!(
                "The certificate's expiry, {stated}, is not the expected {expected} (the \
                 decision plus 3 years less a day): the certificate's date is used."
            ));
        }
        if let (Some(stage2), Some(decision)) =
            (Cycle::known(&self.stage2), Cycle::known(&self.decision))
            && decision < stage2
        {
            out.push("The certification decision comes before the stage 2 audit.".to_owned());
        }
        if let (Some(audit), Some(decision)) = (
            Cycle::known(&self.recert_audit),
            Cycle::known(&self.recert_decision),
        ) && decision < audit
        {
            out.push(
                "The recertification decision comes before the recertification audit.".to_owned(),
            );
        }
        out
    }

    /// What follows this cycle, once the recertification decision is known.
    pub fn renewal(&self) -> Option<Renewal> {
        let expiry = self.expiry()?;
        let decided = Cycle::known(&self.recert_decision)?;
        let next_expiry = add_months(&expiry, 36)?;
        if decided <= expiry.as_str() {
            return Some(Renewal::InTime { next_expiry });
        }
        let lapsed = add_days(&expiry, 1)?;
        let restore_by = add_months(&expiry, 6)?;
        let gap_days = days_between(&lapsed, decided)?;
        if decided <= restore_by.as_str() {
            Some(Renewal::Restored {
                lapsed,
                restored: decided.to_owned(),
                gap_days,
                next_expiry,
            })
        } else {
            Some(Renewal::Lapsed {
                lapsed,
                restore_by,
                gap_days,
            })
        }
    }

    /// The next window to close that nothing is held or planned for yet, on
    /// `today`.
    pub fn next_milestone(&self, today: &str) -> Option<Milestone> {
        self.milestones(today).into_iter().find(Milestone::is_open)
    }
}

/// How a cycle ended, given its recertification decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Renewal {
    /// Decided before expiry (early or on time): the new cycle expires 3
    /// years after the old expiry.
    InTime {
        /// The new cycle's expiry.
        next_expiry: String,
    },
    /// Decided after expiry but within 6 months: the certificate lapsed and
    /// was restored, keeping the old cycle's expiry.
    Restored {
        /// The first day without a certificate.
        lapsed: String,
        /// The day it was restored.
        restored: String,
        /// Days without a certificate.
        gap_days: i64,
        /// The new cycle's expiry: the old one's + 3 years.
        next_expiry: String,
    },
    /// Decided more than 6 months after expiry: no restoration; a new
    /// certification needs at least a stage 2 audit, and its cycle starts
    /// at its own decision.
    Lapsed {
        /// The first day without a certificate.
        lapsed: String,
        /// The last day a restoration was possible.
        restore_by: String,
        /// Days without a certificate until the late decision.
        gap_days: i64,
    },
}

/// The calendar year of `date` (YYYY-MM-DD).
fn year(date: &str) -> i32 {
    date.get(..4)
        .and_then(|y| y.parse().ok())
        .unwrap_or_default()
}

/// What moving one audit to another day breaks: the windows `moved` leaves
/// missed, or without an audit held or planned, that `cycle` did not, on
/// `today`.
pub fn what_if(cycle: &Cycle, moved: &Cycle, today: &str) -> Vec<Milestone> {
    let before = cycle.milestones(today);
    moved
        .milestones(today)
        .into_iter()
        .filter(|m| {
            let was = before.iter().find(|b| b.what == m.what);
            (m.is_missed() && was.is_none_or(|b| !b.is_missed()))
                || (!m.is_covered() && was.is_some_and(Milestone::is_covered))
        })
        .collect()
}

// --- The certificate as recorded ---

use automerge::ROOT;
use autosurgeon::{Hydrate, Reconcile, reconcile_prop};

use crate::workspace::model::Workspace;
use crate::workspace::validate::{Field, MAX_LONG, MAX_SHORT, ValidationErrors, check_length};
use crate::workspace::{CommandError, Millis, WorkspaceDoc};

/// A certificate as the certification body issued it, with the audits of
/// its cycle held or planned.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Certificate {
    /// The certification body.
    #[autosurgeon(missing = "Default::default")]
    pub body: String,
    /// The certificate's number.
    #[autosurgeon(missing = "Default::default")]
    pub number: String,
    /// The scope as the certificate words it.
    #[autosurgeon(missing = "Default::default")]
    pub scope: String,
    /// The approved Statement of Applicability version it cites (an id of
    /// the SoA versions), or "".
    #[autosurgeon(missing = "Default::default")]
    pub soa_version: String,
    /// The certification decision (YYYY-MM-DD).
    #[autosurgeon(missing = "Default::default")]
    pub decision: String,
    /// The day it was issued, or "".
    #[autosurgeon(missing = "Default::default")]
    pub issued: String,
    /// The expiry as the certificate states it, or "".
    #[autosurgeon(missing = "Default::default")]
    pub expiry: String,
    /// The stage 1 audit, or "".
    #[autosurgeon(missing = "Default::default")]
    pub stage1: String,
    /// The last day of the stage 2 audit, or "".
    #[autosurgeon(missing = "Default::default")]
    pub stage2: String,
    /// Whether stage 2 found major nonconformities.
    #[autosurgeon(missing = "Default::default")]
    pub stage2_majors: bool,
    /// When their corrections were verified, or "".
    #[autosurgeon(missing = "Default::default")]
    pub majors_verified: String,
    /// Surveillance audits held or planned, in date order.
    #[autosurgeon(missing = "Default::default")]
    pub surveillance: Vec<String>,
    /// The recertification audit, held or planned, or "".
    #[autosurgeon(missing = "Default::default")]
    pub recert_audit: String,
    /// The recertification decision, or "".
    #[autosurgeon(missing = "Default::default")]
    pub recert_decision: String,
    /// When it was recorded.
    #[autosurgeon(missing = "Default::default")]
    pub created_at: Millis,
}

impl Certificate {
    /// Its cycle, for the date rules.
    pub fn cycle(&self) -> Cycle {
        Cycle {
            stage1: self.stage1.clone(),
            stage2: self.stage2.clone(),
            stage2_majors: self.stage2_majors,
            majors_verified: self.majors_verified.clone(),
            decision: self.decision.clone(),
            expiry: self.expiry.clone(),
            surveillance: self.surveillance.clone(),
            recert_audit: self.recert_audit.clone(),
            recert_decision: self.recert_decision.clone(),
        }
    }

    /// Its fields as a form shows them.
    pub fn draft(&self) -> CertificateDraft {
        CertificateDraft {
            body: self.body.clone(),
            number: self.number.clone(),
            scope: self.scope.clone(),
            soa_version: self.soa_version.clone(),
            decision: self.decision.clone(),
            issued: self.issued.clone(),
            expiry: self.expiry.clone(),
            stage1: self.stage1.clone(),
            stage2: self.stage2.clone(),
            stage2_majors: self.stage2_majors,
            majors_verified: self.majors_verified.clone(),
            surveillance: self.surveillance.clone(),
            recert_audit: self.recert_audit.clone(),
            recert_decision: self.recert_decision.clone(),
        }
    }
}

/// The certificate the workspace works to: the one with the latest
/// decision (then the latest recorded).
pub fn current_certificate(ws: &Workspace) -> Option<(&String, &Certificate)> {
    ws.certificates.iter().max_by(|(a_id, a), (b_id, b)| {
        (&a.decision, a.created_at, *a_id).cmp(&(&b.decision, b.created_at, *b_id))
    })
}

/// A certificate as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CertificateDraft {
    /// The certification body.
    pub body: String,
    /// The certificate's number.
    pub number: String,
    /// The scope as the certificate words it.
    pub scope: String,
    /// The SoA version cited (id), or "".
    pub soa_version: String,
    /// The certification decision.
    pub decision: String,
    /// The issue day.
    pub issued: String,
    /// The expiry as stated.
    pub expiry: String,
    /// Stage 1.
    pub stage1: String,
    /// Stage 2's last day.
    pub stage2: String,
    /// Whether stage 2 found majors.
    pub stage2_majors: bool,
    /// When they were verified.
    pub majors_verified: String,
    /// Surveillance audits, one day each.
    pub surveillance: Vec<String>,
    /// The recertification audit.
    pub recert_audit: String,
    /// The recertification decision.
    pub recert_decision: String,
}

const DATE_MESSAGE: &str = "Enter the day as YYYY-MM-DD.";

/// A date that must be given: trimmed, or an error on `field`.
fn required_date(
    errors: &mut ValidationErrors,
    field: Field,
    value: &str,
    missing: &str,
) -> String {
    let value = value.trim();
    if value.is_empty() {
        errors.push(field, missing);
    } else if parse_date(value).is_none() {
        errors.push(field, DATE_MESSAGE);
    }
    value.to_owned()
}

/// A date that may be left empty: trimmed, or an error on `field`.
fn optional_date(errors: &mut ValidationErrors, field: Field, value: &str) -> String {
    let value = value.trim();
    if !value.is_empty() && parse_date(value).is_none() {
        errors.push(field, DATE_MESSAGE);
    }
    value.to_owned()
}

impl CertificateDraft {
    /// Checks what the certificate states and the order of its dates.
    pub fn validate(&self, ws: &Workspace) -> Result<Certificate, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let body = self.body.trim();
        if body.is_empty() {
            errors.push(Field::CertBody, "Name the certification body.");
        }
        check_length(&mut errors, Field::CertBody, body, MAX_SHORT * 2);
        let number = self.number.trim();
        if number.is_empty() {
            errors.push(
                Field::CertNumber,
                "Enter the number printed on the certificate.",
            );
        }
        check_length(&mut errors, Field::CertNumber, number, MAX_SHORT);
        let scope = self.scope.trim();
        if scope.is_empty() {
            errors.push(
                Field::CertScope,
                "Copy the scope as the certificate words it.",
            );
        }
        check_length(&mut errors, Field::CertScope, scope, MAX_LONG);
        if !self.soa_version.is_empty() && !ws.soa_versions.contains_key(&self.soa_version) {
            errors.push(
                Field::CertSoaVersion,
                "Choose an approved version of the Statement of Applicability.",
            );
        }
        let decision = required_date(
            &mut errors,
            Field::CertDecision,
            &self.decision,
            "Enter the day of the certification decision.",
        );
        let known = |d: &str| parse_date(d).is_some();
        let issued = optional_date(&mut errors, Field::CertIssued, &self.issued);
        if known(&issued) && known(&decision) && issued < decision {
            errors.push(
                Field::CertIssued,
                "A certificate is issued on or after the certification decision.",
            );
        }
        let expiry = optional_date(&mut errors, Field::CertExpiry, &self.expiry);
        if known(&expiry) && known(&decision) && expiry <= decision {
            errors.push(
                Field::CertExpiry,
                "The expiry comes after the certification decision.",
            );
        }
        let stage1 = optional_date(&mut errors, Field::CertStage1, &self.stage1);
        let stage2 = optional_date(&mut errors, Field::CertStage2, &self.stage2);
        if known(&stage1) && known(&stage2) && stage2 < stage1 {
            errors.push(Field::CertStage2, "Stage 2 comes after stage 1.");
        }
        let majors_verified = optional_date(
            &mut errors,
            Field::CertMajorsVerified,
            &self.majors_verified,
        );
        if !self.stage2_majors && !majors_verified.is_empty() {
            errors.push(
                Field::CertMajorsVerified,
                "Tick that stage 2 found major nonconformities, or leave this empty.",
            );
        } else if known(&majors_verified) && known(&stage2) && majors_verified < stage2 {
            errors.push(
                Field::CertMajorsVerified,
                "Corrections are verified after the stage 2 audit.",
            );
        }
        let mut surveillance = Vec::new();
        for day in &self.surveillance {
            let day = day.trim();
            if day.is_empty() {
                continue;
            }
            if parse_date(day).is_none() {
                errors.push(
                    Field::CertSurveillance,
                    "Enter each surveillance audit's day as YYYY-MM-DD.",
                );
            } else if known(&decision) && day <= decision.as_str() {
                errors.push(
                    Field::CertSurveillance,
                    "Surveillance audits come after the certification decision.",
                );
            }
            surveillance.push(day.to_owned());
        }
        surveillance.sort();
        surveillance.dedup();
        let recert_audit = optional_date(&mut errors, Field::CertRecertAudit, &self.recert_audit);
        if known(&recert_audit) && known(&decision) && recert_audit <= decision {
            errors.push(
                Field::CertRecertAudit,
                "The recertification audit comes after the certification decision.",
            );
        }
        let recert_decision = optional_date(
            &mut errors,
            Field::CertRecertDecision,
            &self.recert_decision,
        );
        if known(&recert_decision) && known(&decision) && recert_decision <= decision {
            errors.push(
                Field::CertRecertDecision,
                "The recertification decision comes after the certification decision.",
            );
        }
        errors.into_result(Certificate {
            body: body.to_owned(),
            number: number.to_owned(),
            scope: scope.to_owned(),
            soa_version: self.soa_version.clone(),
            decision,
            issued,
            expiry,
            stage1,
            stage2,
            stage2_majors: self.stage2_majors,
            majors_verified,
            surveillance,
            recert_audit,
            recert_decision,
            created_at: 0,
        })
    }
}

const NOT_FOUND: CommandError = CommandError::NotFound("certificate");

impl WorkspaceDoc {
    /// One certificate, if it exists.
    pub fn certificate(&self, id: &str) -> Result<Option<Certificate>, CommandError> {
        let Some(map) = self.existing_map(ROOT, "certificates") else {
            return Ok(None);
        };
        self.hydrate_entry(&map, id)
    }

    /// The workspace as a certificate's checks need it: its SoA versions.
    fn certificate_context(&self, draft: &CertificateDraft) -> Result<Workspace, CommandError> {
        let mut ws = Workspace::default();
        if !draft.soa_version.is_empty()
            && let Some(map) = self.existing_map(ROOT, "soa_versions")
            && let Some(version) = self.hydrate_entry(&map, &draft.soa_version)?
        {
            ws.soa_versions.insert(draft.soa_version.clone(), version);
        }
        Ok(ws)
    }

    /// Records a certificate; returns its id.
    pub fn add_certificate(
        &mut self,
        draft: &CertificateDraft,
        now: Millis,
    ) -> Result<String, CommandError> {
        let ws = self.certificate_context(draft)?;
        let certificate = Certificate {
            created_at: now,
            ..draft.validate(&ws)?
        };
        let id = self.next_id(now);
        self.guard(|doc| {
            let map = doc.map(ROOT, "certificates")?;
            Ok(reconcile_prop(
                &mut doc.doc,
                &map,
                id.as_str(),
                &certificate,
            )?)
        })?;
        self.commit(
            format!(
                "Recorded the certificate {} of {}",
                certificate.number, certificate.body
            ),
            now,
        )?;
        Ok(id)
    }

    /// Changes a certificate's details or the audits of its cycle.
    pub fn edit_certificate(
        &mut self,
        id: &str,
        draft: &CertificateDraft,
        now: Millis,
    ) -> Result<(), CommandError> {
        let old = self.certificate(id)?.ok_or(NOT_FOUND)?;
        let ws = self.certificate_context(draft)?;
        let certificate = Certificate {
            created_at: old.created_at,
            ..draft.validate(&ws)?
        };
        if certificate == old {
            return Ok(());
        }
        let map = self.existing_map(ROOT, "certificates").ok_or(NOT_FOUND)?;
        self.guard(|doc| Ok(reconcile_prop(&mut doc.doc, &map, id, &certificate)?))?;
        self.commit(
            format!(
                "Changed the certificate {} of {}",
                certificate.number, certificate.body
            ),
            now,
        )
    }
}
