//! Resources (clause 7.1): budget lines with their approval, totals and
//! variance, and people time as full-time equivalents per role.
//!
//! Amounts are kept as whole minor units (hundredths: cents) so that sums are
//! exact; every currency is treated as having two decimal places. Totals are
//! only ever taken within one year and one currency.

use std::collections::BTreeMap;

use automerge::ROOT;
use automerge::transaction::Transactable;
use autosurgeon::{Hydrate, Reconcile, reconcile_prop};

use crate::workspace::Millis;
use crate::workspace::commands::{CommandError, WorkspaceDoc};
use crate::workspace::model::sort_list;
use crate::workspace::validate::{
    Field, MAX_LONG, MAX_SHORT, ValidationErrors, check_length, parse_date,
};

/// Categories the UI suggests for a budget line; any other text is accepted.
pub const BUDGET_CATEGORIES: [&str; 6] = [
    "Staff",
    "Tools and licences",
    "Training and awareness",
    "Consulting",
    "Audit and certification",
    "Other",
];

/// Largest amount accepted, in minor units (one trillion).
pub const MAX_AMOUNT: i64 = 100_000_000_000_000;

/// Largest people time accepted for one role, in hundredths of an FTE.
pub const MAX_FTE: i64 = 1_000;

/// One line of the ISMS budget.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct BudgetLine {
    /// What the money is for, such as "Tools and licences".
    #[autosurgeon(missing = "Default::default")]
    pub category: String,
    /// Details, such as which tool or supplier.
    #[autosurgeon(missing = "Default::default")]
    pub description: String,
    /// The budget year.
    #[autosurgeon(missing = "Default::default")]
    pub year: i64,
    /// ISO 4217 currency code, such as "EUR".
    #[autosurgeon(missing = "Default::default")]
    pub currency: String,
    /// Amount requested, in minor units.
    #[autosurgeon(missing = "Default::default")]
    pub requested: i64,
    /// Amount spent so far, in minor units.
    #[autosurgeon(missing = "Default::default")]
    pub spent: i64,
    /// Top management's approval, once given.
    #[autosurgeon(missing = "Default::default")]
    pub approval: Option<BudgetApproval>,
    /// When the line was added.
    #[autosurgeon(missing = "Default::default")]
    pub created_at: Millis,
    /// Who asked for the money; they cannot also approve it. `None` for
    /// lines added before this was kept.
    #[autosurgeon(missing = "Default::default")]
    pub requested_by: Option<Requester>,
}

/// Who added a budget line: the one who asks for the money.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Requester {
    /// Their device's actor id (hex).
    #[autosurgeon(missing = "Default::default")]
    pub actor: String,
    /// Their display name at the time.
    #[autosurgeon(missing = "Default::default")]
    pub name: String,
    /// The People record their key speaks for, when they had one.
    #[autosurgeon(missing = "Default::default")]
    pub person: String,
}

/// Who approved how much of a budget line, and when.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct BudgetApproval {
    /// Amount approved, in minor units.
    #[autosurgeon(missing = "Default::default")]
    pub amount: i64,
    /// The day of the decision (YYYY-MM-DD).
    #[autosurgeon(missing = "Default::default")]
    pub date: String,
    /// The approving member's actor id (the key of the members map).
    #[autosurgeon(missing = "Default::default")]
    pub by_actor: String,
    /// The approving member's display name at the time.
    #[autosurgeon(missing = "Default::default")]
    pub by_name: String,
    /// When the approval was recorded.
    #[autosurgeon(missing = "Default::default")]
    pub recorded_at: Millis,
    /// The approver's signature, when their browser had a key
    /// ([`crate::workspace::signing`]); the UI says whether it verifies.
    #[autosurgeon(missing = "Default::default")]
    pub signature: Option<crate::workspace::signing::ActSignature>,
}

impl BudgetLine {
    /// The approved amount; zero until approved.
    pub fn approved(&self) -> i64 {
        self.approval.as_ref().map_or(0, |a| a.amount)
    }

    /// Approved minus spent: what is left; negative when overspent.
    pub fn approved_minus_spent(&self) -> i64 {
        self.approved() - self.spent
    }

    /// Requested minus approved: what was not granted.
    pub fn requested_minus_approved(&self) -> i64 {
        self.requested - self.approved()
    }

    /// "“Tools and licences” 2026", as commit messages name the line.
    pub fn label(&self) -> String {
        format!("“{}” {}", self.category, self.year)
    }
}

/// People time given to one role.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct FteAllocation {
    /// Full-time equivalents in hundredths (50 is half a person).
    #[autosurgeon(missing = "Default::default")]
    pub hundredths: i64,
    /// A remark, such as who covers it.
    #[autosurgeon(missing = "Default::default")]
    pub note: String,
    /// Display name of whoever last set it.
    #[autosurgeon(missing = "Default::default")]
    pub updated_by: String,
    /// When it was last set.
    #[autosurgeon(missing = "Default::default")]
    pub updated_at: Millis,
}

/// The sums of the budget lines of one year in one currency.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BudgetTotal {
    /// The budget year.
    pub year: i64,
    /// The currency all these amounts are in.
    pub currency: String,
    /// How many lines were added up.
    pub lines: usize,
    /// Total requested, in minor units.
    pub requested: i64,
    /// Total approved, in minor units.
    pub approved: i64,
    /// Total spent, in minor units.
    pub spent: i64,
}

impl BudgetTotal {
    /// Approved minus spent: what is left; negative when overspent.
    pub fn approved_minus_spent(&self) -> i64 {
        self.approved - self.spent
    }

    /// Requested minus approved: what was not granted.
    pub fn requested_minus_approved(&self) -> i64 {
        self.requested - self.approved
    }
}

/// Totals per year and currency, by year then currency; amounts in different
/// currencies are never added together.
pub fn budget_totals(budget: &BTreeMap<String, BudgetLine>) -> Vec<BudgetTotal> {
    let mut totals: BTreeMap<(i64, &str), BudgetTotal> = BTreeMap::new();
    for line in budget.values() {
        let total = totals
            .entry((line.year, line.currency.as_str()))
            .or_insert_with(|| BudgetTotal {
                year: line.year,
                currency: line.currency.clone(),
                ..Default::default()
            });
        total.lines += 1;
        total.requested = total.requested.saturating_add(line.requested);
        total.approved = total.approved.saturating_add(line.approved());
        total.spent = total.spent.saturating_add(line.spent);
    }
    totals.into_values().collect()
}

/// Budget lines by year, then category, then when they were added.
pub fn budget_in_order(budget: &BTreeMap<String, BudgetLine>) -> Vec<(&String, &BudgetLine)> {
    let mut list: Vec<_> = budget.iter().collect();
    sort_list(&mut list, |(a_id, a), (b_id, b)| {
        (a.year, a.category.as_str(), a.created_at, a_id.as_str()).cmp(&(
            b.year,
            b.category.as_str(),
            b.created_at,
            b_id.as_str(),
        ))
    });
    list
}

/// All people time, in hundredths of an FTE.
pub fn total_fte(fte: &BTreeMap<String, FteAllocation>) -> i64 {
    fte.values().map(|a| a.hundredths).sum()
}

/// An amount in minor units as a person reads it: 1250050 → "12,500.50".
pub fn format_amount(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let minor = minor.unsigned_abs();
    let digits = (minor / 100).to_string();
    let mut grouped = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{sign}{grouped}.{:02}", minor % 100)
}

/// An amount with its currency: "EUR 12,500.50".
pub fn money_label(minor: i64, currency: &str) -> String {
    format!("{currency} {}", format_amount(minor))
}

/// Hundredths of an FTE as a person writes them: 150 → "1.5", 200 → "2".
pub fn format_fte(hundredths: i64) -> String {
    let whole = hundredths / 100;
    match hundredths % 100 {
        0 => whole.to_string(),
        part if part % 10 == 0 => format!("{whole}.{}", part / 10),
        part => format!("{whole}.{part:02}"),
    }
}

/// Why an amount could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountError {
    /// It has a minus sign.
    Negative,
    /// It is not a number.
    NotANumber,
    /// It has more than two decimal places.
    TooManyDecimals,
    /// It exceeds [`MAX_AMOUNT`].
    TooLarge,
}

impl AmountError {
    /// What to do about it.
    pub fn message(self) -> &'static str {
        match self {
            AmountError::Negative => "Enter an amount of zero or more.",
            AmountError::NotANumber => "Enter an amount such as 12500 or 12,500.50.",
            AmountError::TooManyDecimals => "Use at most two decimal places.",
            AmountError::TooLarge => "This amount is too large.",
        }
    }
}

/// Parses an optional non-negative amount into minor units, as people type
/// it: "12500", "12,500.50", "12.500,50", "12 500,50", "12500,5". A single
/// separator followed by exactly three digits groups thousands ("12,500" and
/// "12.500" are both 12500); followed by one or two digits it is the decimal
/// point. Where both "," and "." appear, the last one is the decimal point.
pub fn parse_amount(input: &str) -> Result<Option<i64>, AmountError> {
    let compact: String = input
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'' | '’'))
        .collect();
    if compact.is_empty() {
        return Ok(None);
    }
    if compact.starts_with(['-', '−']) {
        return match parse_amount(&compact[compact.char_indices().nth(1).map_or(0, |(i, _)| i)..]) {
            Ok(_) => Err(AmountError::Negative),
            Err(e) => Err(e),
        };
    }
    let body = compact.strip_prefix('+').unwrap_or(&compact);
    if body.is_empty()
        || !body
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        || !body.chars().any(|c| c.is_ascii_digit())
    {
        return Err(AmountError::NotANumber);
    }
    let (whole, fraction, grouping) = match body.rfind(['.', ',']) {
        None => (body, "", None),
        Some(at) => {
            let separator = body.as_bytes()[at] as char;
            let other = if separator == '.' { ',' } else { '.' };
            let before = &body[..at];
            let after = &body[at + 1..];
            let repeated = before.contains(separator);
            let mixed = before.contains(other);
            if repeated && mixed {
                return Err(AmountError::NotANumber);
            } else if repeated || (!mixed && after.len() == 3) {
                (body, "", Some(separator))
            } else {
                match after.len() {
                    0 => return Err(AmountError::NotANumber),
                    1 | 2 => (before, after, mixed.then_some(other)),
                    _ => return Err(AmountError::TooManyDecimals),
                }
            }
        }
    };
    let digits = match grouping {
        None => whole.to_owned(),
        Some(separator) => {
            let groups: Vec<&str> = whole.split(separator).collect();
            let well_formed =
                (1..=3).contains(&groups[0].len()) && groups[1..].iter().all(|g| g.len() == 3);
            if !well_formed {
                return Err(AmountError::NotANumber);
            }
            groups.concat()
        }
    };
    if digits.len() > 13 {
        return Err(AmountError::TooLarge);
    }
    let units: i64 = if digits.is_empty() {
        0
    } else {
        digits.parse().map_err(|_| AmountError::NotANumber)?
    };
    let cents: i64 = format!("{fraction:0<2}")
        .parse()
        .map_err(|_| AmountError::NotANumber)?;
    let minor = units * 100 + cents;
    if minor > MAX_AMOUNT {
        return Err(AmountError::TooLarge);
    }
    Ok(Some(minor))
}

/// Parses people time: a number from 0 to 10 with at most two decimals
/// ("0.5", "1,25"), into hundredths.
pub fn parse_fte(input: &str) -> Result<i64, &'static str> {
    let input = input.trim();
    if input.is_empty() {
        return Err("Enter the people time in FTE, such as 0.5.");
    }
    if input.starts_with(['-', '−']) {
        return Err("Enter between 0 and 10 FTE.");
    }
    let normalised = input.replace(',', ".");
    let (whole, fraction) = normalised.split_once('.').unwrap_or((&normalised, ""));
    let digits_only = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if !digits_only(whole)
        || !digits_only(fraction)
        || (whole.is_empty() && fraction.is_empty())
        || (normalised.contains('.') && fraction.is_empty())
    {
        return Err("Enter a number such as 0.5 or 1.25.");
    }
    if fraction.len() > 2 {
        return Err("Use at most two decimal places.");
    }
    if whole.len() > 3 {
        return Err("Enter between 0 and 10 FTE.");
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole
            .parse()
            .map_err(|_| "Enter a number such as 0.5 or 1.25.")?
    };
    let fraction: i64 = format!("{fraction:0<2}")
        .parse()
        .map_err(|_| "Enter a number such as 0.5 or 1.25.")?;
    let hundredths = whole * 100 + fraction;
    if hundredths > MAX_FTE {
        return Err("Enter between 0 and 10 FTE.");
    }
    Ok(hundredths)
}

/// A budget line as typed into the form, before validation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BudgetLineDraft {
    /// Category as typed.
    pub category: String,
    /// Description as typed.
    pub description: String,
    /// Year as typed ("2026").
    pub year: String,
    /// Currency code as typed ("eur").
    pub currency: String,
    /// Amount requested as typed (required).
    pub requested: String,
    /// Amount spent as typed (empty means nothing yet).
    pub spent: String,
}

/// A budget line's fields once they are known to be valid.
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetLineFields {
    /// Trimmed, non-empty category.
    pub category: String,
    /// Trimmed description.
    pub description: String,
    /// The year.
    pub year: i64,
    /// Upper-case three-letter code.
    pub currency: String,
    /// Requested, in minor units.
    pub requested: i64,
    /// Spent, in minor units.
    pub spent: i64,
}

fn amount(
    errors: &mut ValidationErrors,
    field: Field,
    input: &str,
    empty_message: Option<&str>,
) -> i64 {
    match (parse_amount(input), empty_message) {
        (Ok(Some(value)), _) => value,
        (Ok(None), None) => 0,
        (Ok(None), Some(message)) => {
            errors.push(field, message);
            0
        }
        (Err(e), _) => {
            errors.push(field, e.message());
            0
        }
    }
}

impl BudgetLineDraft {
    /// Checks every field and returns the clean values or every problem found.
    pub fn validate(&self) -> Result<BudgetLineFields, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let category = self.category.trim();
        if category.is_empty() {
            errors.push(
                Field::BudgetCategory,
                "Enter a category, such as Tools and licences.",
            );
        } else if category.chars().count() > MAX_SHORT {
            errors.push(Field::BudgetCategory, "Keep this under 120 characters.");
        }
        check_length(
            &mut errors,
            Field::BudgetDescription,
            &self.description,
            MAX_LONG,
        );
        let year = self.year.trim();
        let year = match year.parse::<i64>() {
            Ok(y) if year.len() == 4 && (1900..=2999).contains(&y) => y,
            _ => {
                errors.push(Field::BudgetYear, "Enter a year such as 2026.");
                0
            }
        };
        let currency = self.currency.trim().to_ascii_uppercase();
        if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
            errors.push(
                Field::BudgetCurrency,
                "Enter a three-letter currency code such as EUR.",
            );
        }
        let requested = amount(
            &mut errors,
            Field::BudgetRequested,
            &self.requested,
            Some("Enter the amount requested."),
        );
        let spent = amount(&mut errors, Field::BudgetSpent, &self.spent, None);
        errors.into_result(BudgetLineFields {
            category: category.to_owned(),
            description: self.description.trim().to_owned(),
            year,
            currency,
            requested,
            spent,
        })
    }
}

/// An approval as typed into the form, before validation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BudgetApprovalDraft {
    /// Amount approved as typed (required; may differ from the request).
    pub amount: String,
    /// Day of the decision as typed (YYYY-MM-DD).
    pub date: String,
}

impl BudgetApprovalDraft {
    /// Checks both fields and returns (amount in minor units, date).
    pub fn validate(&self) -> Result<(i64, String), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let approved = amount(
            &mut errors,
            Field::BudgetApproved,
            &self.amount,
            Some("Enter the amount approved."),
        );
        let date = self.date.trim();
        if date.is_empty() {
            errors.push(Field::BudgetApprovalDate, "Enter the day it was approved.");
        } else if parse_date(date).is_none() {
            errors.push(
                Field::BudgetApprovalDate,
                "Enter a real date as YYYY-MM-DD.",
            );
        }
        errors.into_result((approved, date.to_owned()))
    }
}

/// People time for a role as typed into the form, before validation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FteDraft {
    /// FTE as typed ("0.5").
    pub fte: String,
    /// Note as typed.
    pub note: String,
}

impl FteDraft {
    /// Checks both fields and returns (hundredths of an FTE, note).
    pub fn validate(&self) -> Result<(i64, String), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let hundredths = parse_fte(&self.fte).unwrap_or_else(|message| {
            errors.push(Field::Fte, message);
            0
        });
        check_length(&mut errors, Field::FteNote, &self.note, MAX_LONG);
        errors.into_result((hundredths, self.note.trim().to_owned()))
    }
}

impl WorkspaceDoc {
    /// One budget line, if it exists.
    pub fn budget_line(&self, id: &str) -> Result<Option<BudgetLine>, CommandError> {
        match self.existing_map(ROOT, "budget") {
            Some(budget) => self.hydrate_entry(&budget, id),
            None => Ok(None),
        }
    }

    /// Adds a budget line and returns its id.
    pub fn add_budget_line(
        &mut self,
        draft: &BudgetLineDraft,
        now: Millis,
    ) -> Result<String, CommandError> {
        let fields = draft.validate()?;
        let id = self.next_id(now);
        let line = BudgetLine {
            category: fields.category,
            description: fields.description,
            year: fields.year,
            currency: fields.currency,
            requested: fields.requested,
            spent: fields.spent,
            approval: None,
            created_at: now,
            requested_by: Some(Requester {
                actor: self.actor(),
                name: self.author().to_owned(),
                person: self.own_person()?.unwrap_or_default(),
            }),
        };
        self.write_budget_line(&id, &line)?;
        self.commit(
            format!(
                "Added budget line {}: requested {}",
                line.label(),
                money_label(line.requested, &line.currency)
            ),
            now,
        )?;
        Ok(id)
    }

    /// Changes a budget line's fields; only the fields that differ are
    /// written, so concurrent edits of other fields merge.
    pub fn edit_budget_line(
        &mut self,
        id: &str,
        draft: &BudgetLineDraft,
        now: Millis,
    ) -> Result<(), CommandError> {
        let fields = draft.validate()?;
        let old = self
            .budget_line(id)?
            .ok_or(CommandError::NotFound("budget line"))?;
        let mut new = BudgetLine {
            category: fields.category,
            description: fields.description,
            year: fields.year,
            currency: fields.currency,
            requested: fields.requested,
            spent: fields.spent,
            ..old.clone()
        };
        let mut changes = Vec::new();
        // An approval was given for a year and a currency: it does not carry
        // over to another (issue 11, point 8).
        if new.approval.is_some() && (old.year != new.year || old.currency != new.currency) {
            new.approval = None;
            changes.push("approval withdrawn, as the year or currency changed".to_owned());
        }
        if old.category != new.category {
            changes.push(format!("category “{}” → “{}”", old.category, new.category));
        }
        if old.description != new.description {
            changes.push("description".to_owned());
        }
        if old.year != new.year {
            changes.push(format!("year {} → {}", old.year, new.year));
        }
        if old.currency != new.currency {
            changes.push(format!("currency {} → {}", old.currency, new.currency));
        }
        if old.requested != new.requested {
            changes.push(format!(
                "requested {} → {}",
                format_amount(old.requested),
                format_amount(new.requested)
            ));
        }
        if old.spent != new.spent {
            changes.push(format!(
                "spent {} → {}",
                format_amount(old.spent),
                format_amount(new.spent)
            ));
        }
        if changes.is_empty() {
            return Ok(());
        }
        self.write_budget_line(id, &new)?;
        self.commit(
            format!(
                "Changed budget line {}: {}",
                old.label(),
                changes.join("; ")
            ),
            now,
        )
    }

    /// Records top management's approval of a budget line: the amount, the
    /// day, and this session's member as the approver.
    pub fn approve_budget_line(
        &mut self,
        id: &str,
        draft: &BudgetApprovalDraft,
        now: Millis,
    ) -> Result<(), CommandError> {
        self.require_name("an approval")?;
        let (approved, date) = draft.validate()?;
        // The day of the decision cannot lie ahead (a day's grace for time zones).
        if date > crate::workspace::measurements::date_of(now + 86_400_000) {
            let mut errors = ValidationErrors::default();
            errors.push(
                Field::BudgetApprovalDate,
                "The day of the approval cannot be in the future.",
            );
            return Err(errors.into());
        }
        let old = self
            .budget_line(id)?
            .ok_or(CommandError::NotFound("budget line"))?;
        if self.is_requester(&old)? {
            return Err(CommandError::NotAllowed(
                "You asked for this money, so another member of top management approves it."
                    .to_owned(),
            ));
        }
        let heads = self.heads_hex();
        let signature = self.sign_act(
            &crate::workspace::signing::Act::BudgetApproval {
                line: id,
                amount: approved,
                currency: &old.currency,
                date: &date,
            },
            heads,
            now,
        )?;
        let approval = BudgetApproval {
            amount: approved,
            date,
            by_actor: self.actor(),
            by_name: self.author().to_owned(),
            recorded_at: now,
            signature,
        };
        let new = BudgetLine {
            approval: Some(approval.clone()),
            ..old.clone()
        };
        self.write_budget_line(id, &new)?;
        self.commit(
            format!(
                "Approved {} of budget line {} on {}",
                money_label(approval.amount, &old.currency),
                old.label(),
                approval.date
            ),
            now,
        )
    }

    /// Withdraws the approval of a budget line.
    pub fn withdraw_budget_approval(&mut self, id: &str, now: Millis) -> Result<(), CommandError> {
        let old = self
            .budget_line(id)?
            .ok_or(CommandError::NotFound("budget line"))?;
        if old.approval.is_none() {
            return Ok(());
        }
        let new = BudgetLine {
            approval: None,
            ..old.clone()
        };
        self.write_budget_line(id, &new)?;
        self.commit(
            format!("Withdrew the approval of budget line {}", old.label()),
            now,
        )
    }

    /// Deletes a budget line and returns it, so the UI can offer to undo.
    pub fn delete_budget_line(
        &mut self,
        id: &str,
        now: Millis,
    ) -> Result<BudgetLine, CommandError> {
        let old = self
            .budget_line(id)?
            .ok_or(CommandError::NotFound("budget line"))?;
        self.guard(|ws| {
            let budget = ws.map(ROOT, "budget")?;
            Ok(ws.doc.delete(&budget, id)?)
        })?;
        self.commit(format!("Deleted budget line {}", old.label()), now)?;
        Ok(old)
    }

    /// Puts back a budget line deleted earlier, under its old id.
    pub fn restore_budget_line(
        &mut self,
        id: &str,
        line: &BudgetLine,
        now: Millis,
    ) -> Result<(), CommandError> {
        self.write_budget_line(id, line)?;
        self.commit(format!("Restored budget line {}", line.label()), now)
    }

    /// Sets the people time given to the role `role_id`; `role_name` only
    /// names the role in the history.
    pub fn set_fte(
        &mut self,
        role_id: &str,
        role_name: &str,
        draft: &FteDraft,
        now: Millis,
    ) -> Result<(), CommandError> {
        let (hundredths, note) = draft.validate()?;
        if role_id.trim().is_empty() {
            let mut errors = ValidationErrors::default();
            errors.push(Field::FteRole, "Choose a role.");
            return Err(errors.into());
        }
        let old: Option<FteAllocation> = match self.existing_map(ROOT, "fte") {
            Some(fte) => self.hydrate_entry(&fte, role_id)?,
            None => None,
        };
        if old
            .as_ref()
            .is_some_and(|o| o.hundredths == hundredths && o.note == note)
        {
            return Ok(());
        }
        let allocation = FteAllocation {
            hundredths,
            note,
            updated_by: self.author().to_owned(),
            updated_at: now,
        };
        self.guard(|ws| {
            let fte = ws.map(ROOT, "fte")?;
            Ok(reconcile_prop(&mut ws.doc, &fte, role_id, &allocation)?)
        })?;
        let message = match old {
            Some(old) if old.hundredths != hundredths => format!(
                "Changed the people time of role “{role_name}”: {} → {} FTE",
                format_fte(old.hundredths),
                format_fte(hundredths)
            ),
            Some(_) => format!("Changed the note on the people time of role “{role_name}”"),
            None => format!(
                "Set the people time of role “{role_name}” to {} FTE",
                format_fte(hundredths)
            ),
        };
        self.commit(message, now)
    }

    /// Removes the people time of a role and returns it.
    pub fn remove_fte(
        &mut self,
        role_id: &str,
        role_name: &str,
        now: Millis,
    ) -> Result<FteAllocation, CommandError> {
        let old: Option<FteAllocation> = match self.existing_map(ROOT, "fte") {
            Some(fte) => self.hydrate_entry(&fte, role_id)?,
            None => None,
        };
        let old = old.ok_or(CommandError::NotFound("people time entry"))?;
        self.guard(|ws| {
            let fte = ws.map(ROOT, "fte")?;
            Ok(ws.doc.delete(&fte, role_id)?)
        })?;
        self.commit(
            format!("Removed the people time of role “{role_name}”"),
            now,
        )?;
        Ok(old)
    }

    /// Whether this session is whoever asked for `line`: the same device, or
    /// a key that speaks for the same person.
    pub fn is_requester(&self, line: &BudgetLine) -> Result<bool, CommandError> {
        let Some(requester) = &line.requested_by else {
            return Ok(false);
        };
        if requester.actor == self.actor() {
            return Ok(true);
        }
        Ok(!requester.person.is_empty()
            && self.own_person()?.as_deref() == Some(requester.person.as_str()))
    }

    fn write_budget_line(&mut self, id: &str, line: &BudgetLine) -> Result<(), CommandError> {
        self.guard(|ws| {
            let budget = ws.map(ROOT, "budget")?;
            Ok(reconcile_prop(&mut ws.doc, &budget, id, line)?)
        })
    }
}
