//! Comma-separated values (RFC 4180) for the exchange people use: the
//! Statement of Applicability, the risk register and the implementation
//! plan as spreadsheets, one row per control, risk or stage.
//!
//! What [`write_csv`] writes:
//! - Records end with CRLF (the last one too); fields are separated by
//!   commas; a field holding a comma, a double quote, a CR or an LF is
//!   enclosed in double quotes, and its double quotes are doubled.
//! - The text starts with a UTF-8 byte order mark (U+FEFF): without it
//!   Excel opens the file in the system's legacy code page and garbles
//!   every accent, dash and curly quote; LibreOffice, Numbers and Google
//!   Sheets accept it. [`parse_csv`] skips it.
//! - Formula injection is neutralised: a cell that starts with `=`, `+`,
//!   `-`, `@`, a tab, a CR or an LF would be run as a formula by a
//!   spreadsheet program (`=HYPERLINK(…)` typed into a risk's title by any
//!   editor of the workspace), so such a cell is written with a single
//!   quote `'` in front, and quoted. Spreadsheets show that cell as text,
//!   and the quote is visible; reading the file back gives the cell with
//!   the quote (nothing is removed on reading, since a cell may start with
//!   a quote of its own). A negative number is one such cell: the exports
//!   here hold none.

use std::borrow::Cow;

use crate::workspace::Workspace;
use crate::workspace::measurements::date_of;
use crate::workspace::model::sort_list;
use crate::workspace::plan::StageStatus;
use crate::workspace::risks::{Property, Rating, TreatmentOption};
use crate::workspace::soa::{Applicability, risks_citing, soa_rows};

/// The byte order mark every export starts with.
pub const BOM: char = '\u{feff}';

/// What separates several values in one cell ("5.15; 8.7").
const LIST: &str = "; ";

/// `header` and `rows` as CSV text, per RFC 4180 with the BOM and the
/// formula neutralisation the module describes.
pub fn write_csv(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    out.push(BOM);
    push_record(&mut out, header.iter().copied());
    for row in rows {
        push_record(&mut out, row.iter().map(String::as_str));
    }
    out
}

fn push_record<'a>(out: &mut String, cells: impl Iterator<Item = &'a str>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.push(',');
        }
        let cell = neutralise(cell);
        if cell.starts_with('\'') || cell.contains([',', '"', '\r', '\n']) {
            out.push('"');
            out.push_str(&cell.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&cell);
        }
    }
    out.push_str("\r\n");
}

/// `cell` with a single quote in front when a spreadsheet would take it
/// for a formula: it starts with `=`, `+`, `-`, `@`, a tab, a CR or an LF.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r', '\n']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Why a text is not valid CSV.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CsvError {
    /// A quoted field runs to the end of the text.
    #[error("Line {0}: a quoted field is never closed.")]
    UnclosedQuote(usize),
    /// A double quote inside a field that is not quoted.
    #[error("Line {0}: a double quote inside a field that is not enclosed in double quotes.")]
    StrayQuote(usize),
    /// Something other than a comma or a line end after a closing quote.
    #[error("Line {0}: text after the closing double quote of a field.")]
    AfterQuote(usize),
    /// A CR not followed by an LF, outside quotes.
    #[error("Line {0}: a carriage return outside quotes not followed by a line feed.")]
    BareCarriageReturn(usize),
    /// A record with another number of fields than the first.
    #[error("Line {line}: {found} fields where the first record has {expected}.")]
    Ragged {
        /// Where the record starts.
        line: usize,
        /// The first record's field count.
        expected: usize,
        /// This record's.
        found: usize,
    },
}

/// The records of `text`, a strict RFC 4180 reader: fields separated by
/// commas, records by CRLF (a bare LF is accepted too; a bare CR is not),
/// quoted fields with doubled quotes inside, every record with as many
/// fields as the first, the last line end optional. A leading byte order
/// mark is skipped; nothing else is changed (a neutralised cell keeps its
/// quote). Empty text has no records.
pub fn parse_csv(text: &str) -> Result<Vec<Vec<String>>, CsvError> {
    let text = text.strip_prefix(BOM).unwrap_or(text);
    let mut records: Vec<Vec<String>> = Vec::new();
    if text.is_empty() {
        return Ok(records);
    }
    let mut chars = text.chars().peekable();
    let mut record = Vec::new();
    let mut line = 1;
    let mut record_line = 1;
    loop {
        let mut field = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            let opened = line;
            loop {
                match chars.next() {
                    None => return Err(CsvError::UnclosedQuote(opened)),
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    Some('"') => break,
                    Some(c) => {
                        if c == '\n' {
                            line += 1;
                        }
                        field.push(c);
                    }
                }
            }
            if !matches!(chars.peek(), None | Some(',' | '\r' | '\n')) {
                return Err(CsvError::AfterQuote(line));
            }
        } else {
            while let Some(&c) = chars.peek() {
                match c {
                    ',' | '\r' | '\n' => break,
                    '"' => return Err(CsvError::StrayQuote(line)),
                    _ => {
                        field.push(c);
                        chars.next();
                    }
                }
            }
        }
        record.push(field);
        let end = match chars.next() {
            Some(',') => continue,
            Some('\r') if chars.next() != Some('\n') => {
                return Err(CsvError::BareCarriageReturn(line));
            }
            Some(_) => {
                line += 1;
                chars.peek().is_none()
            }
            None => true,
        };
        if let Some(first) = records.first()
            && first.len() != record.len()
        {
            return Err(CsvError::Ragged {
                line: record_line,
                expected: first.len(),
                found: record.len(),
            });
        }
        records.push(std::mem::take(&mut record));
        record_line = line;
        if end {
            return Ok(records);
        }
    }
}

// ---------------------------------------------------------------------------
// The exports.

/// A person's name for a cell: "" for none.
fn name_of(ws: &Workspace, person: &str) -> String {
    match (person, ws.people.get(person)) {
        ("", _) => String::new(),
        (_, Some(p)) => p.name.clone(),
        (_, None) => "Unknown person".to_owned(),
    }
}

/// The columns of [`soa_csv`].
pub const SOA_HEADER: [&str; 10] = [
    "Control",
    "Theme",
    "Title",
    "Applicable",
    "Reasons for inclusion",
    "Justification",
    "Implementation",
    "Owner",
    "Evidence",
    "Linked risks",
];

/// The Statement of Applicability as it stands: a row per control, Annex
/// A's in the standard's order, then the added ones; applicability as Yes,
/// No or Not decided, the risks whose treatment cites the control by title.
pub fn soa_csv(ws: &Workspace) -> String {
    let rows: Vec<Vec<String>> = soa_rows(ws)
        .into_iter()
        .map(|row| {
            let e = &row.entry;
            let applicable = match Applicability::of(e) {
                Applicability::Applicable => "Yes",
                Applicability::Excluded => "No",
                Applicability::Undecided => "Not decided",
            };
            let reasons: Vec<&str> = e.reasons.iter().map(|r| r.label()).collect();
            let risks: Vec<String> = risks_citing(ws, &row.id)
                .into_iter()
                .map(|(_, r)| r.title.clone())
                .collect();
            vec![
                row.id.clone(),
                row.theme.label().to_owned(),
                row.title.clone(),
                applicable.to_owned(),
                reasons.join(LIST),
                e.justification.clone(),
                e.status.label().to_owned(),
                name_of(ws, &e.owner),
                e.evidence.clone(),
                risks.join(LIST),
            ]
        })
        .collect();
    write_csv(&SOA_HEADER, &rows)
}

/// The columns of [`risks_csv`].
pub const RISKS_HEADER: [&str; 17] = [
    "Risk",
    "Asset",
    "Threat",
    "Vulnerability",
    "C/I/A",
    "Owner",
    "Inherent likelihood",
    "Inherent consequence",
    "Inherent level",
    "Residual likelihood",
    "Residual consequence",
    "Residual level",
    "Treatment",
    "Controls",
    "Reassess by",
    "Accepted by",
    "Accepted on",
];

/// A treatment option in words.
fn treatment_label(option: TreatmentOption) -> &'static str {
    match option {
        TreatmentOption::Undecided => "Not decided",
        TreatmentOption::Modify => "Modify",
        TreatmentOption::Retain => "Retain",
        TreatmentOption::Avoid => "Avoid",
        TreatmentOption::Share => "Share",
    }
}

/// A rating's likelihood, consequence and level; empty while not rated.
fn rating_cells(rating: Rating) -> [String; 3] {
    let cell = |n: u32| if n == 0 { String::new() } else { n.to_string() };
    [
        cell(rating.likelihood),
        cell(rating.consequence),
        cell(rating.level()),
    ]
}

/// The risk register: a row per risk in the order they were added; the
/// properties threatened as C, I and A; the controls by id; who accepted
/// the residual risk and on which day, or empty cells when nobody has.
pub fn risks_csv(ws: &Workspace) -> String {
    let mut risks: Vec<_> = ws.risks.iter().collect();
    sort_list(&mut risks, |(a_id, a), (b_id, b)| {
        (a.created_at, *a_id).cmp(&(b.created_at, *b_id))
    });
    let rows: Vec<Vec<String>> = risks
        .into_iter()
        .map(|(_, r)| {
            let properties: Vec<&str> = [
                (Property::Confidentiality, "C"),
                (Property::Integrity, "I"),
                (Property::Availability, "A"),
            ]
            .into_iter()
            .filter(|(p, _)| r.properties.contains(p))
            .map(|(_, letter)| letter)
            .collect();
            let (accepted_by, accepted_on) = match &r.acceptance {
                Some(a) => (name_of(ws, &a.person), date_of(a.at)),
                None => (String::new(), String::new()),
            };
            let mut row = vec![
                r.title.clone(),
                r.asset.clone(),
                r.threat.clone(),
                r.vulnerability.clone(),
                properties.join("/"),
                name_of(ws, &r.owner),
            ];
            row.extend(rating_cells(r.inherent));
            row.extend(rating_cells(r.residual));
            row.extend([
                treatment_label(r.treatment).to_owned(),
                r.controls.join(LIST),
                r.reassess_by.clone(),
                accepted_by,
                accepted_on,
            ]);
            row
        })
        .collect();
    write_csv(&RISKS_HEADER, &rows)
}

/// The columns of [`plan_csv`].
pub const PLAN_HEADER: [&str; 7] = [
    "Stage",
    "Owner",
    "Start",
    "Deadline",
    "Status",
    "Depends on",
    "Produces",
];

/// A stage's status in words.
fn stage_status_label(status: StageStatus) -> &'static str {
    match status {
        StageStatus::NotStarted => "Not started",
        StageStatus::InProgress => "In progress",
        StageStatus::Finished => "Finished",
    }
}

/// The record a stage produces ("<area>:<id>") in words; the reference as
/// stored when it names nothing Charter knows.
fn produced(ws: &Workspace, produces: &str) -> String {
    let (area, id) = produces.split_once(':').unwrap_or((produces, ""));
    let known = match area {
        "soa" => Some("Statement of Applicability".to_owned()),
        "policies" => ws.policies.get(id).map(|p| format!("Policy “{}”", p.title)),
        "criteria" => ws
            .criteria
            .get(id)
            .map(|c| format!("Risk criteria version {}", c.number)),
        "reviews" => ws
            .reviews
            .get(id)
            .map(|r| format!("Management review {}", r.reference)),
        "scopes" => ws
            .scopes
            .get(id)
            .map(|v| format!("ISMS scope version {}", v.number)),
        "risks" => Some("Risk register".to_owned()),
        _ => None,
    };
    known.unwrap_or_else(|| produces.to_owned())
}

/// The implementation plan: a row per stage in the plan's order, with the
/// stages it depends on by title and the record it produces in words.
pub fn plan_csv(ws: &Workspace) -> String {
    let mut stages: Vec<_> = ws.stages.iter().collect();
    sort_list(&mut stages, |(a_id, a), (b_id, b)| {
        (a.order, a.created_at, *a_id).cmp(&(b.order, b.created_at, *b_id))
    });
    let rows: Vec<Vec<String>> = stages
        .into_iter()
        .map(|(_, s)| {
            let depends: Vec<&str> = s
                .depends_on
                .iter()
                .map(|d| ws.stages.get(d).map_or(d.as_str(), |t| t.title.as_str()))
                .collect();
            vec![
                s.title.clone(),
                name_of(ws, &s.owner),
                s.start.clone(),
                s.deadline.clone(),
                stage_status_label(s.status).to_owned(),
                depends.join(LIST),
                produced(ws, &s.produces),
            ]
        })
        .collect();
    write_csv(&PLAN_HEADER, &rows)
}
