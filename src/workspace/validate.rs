//! Turning what a person typed into valid record fields, with a message per
//! field that says how to put it right.

use std::fmt;

use crate::workspace::measurements::Direction;
use crate::workspace::model::Health;

/// A form field that can carry an error message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    // --- Internal audits, nonconformities, improvement (audits.rs, nonconformities.rs) ---
    /// An audit's name.
    AuditTitle,
    /// What an audit checks against.
    AuditCriteria,
    /// What an audit covers.
    AuditScope,
    /// Who audits.
    AuditAuditor,
    /// An audit's first day.
    AuditStart,
    /// An audit's last day.
    AuditEnd,
    /// The clauses an audit covers.
    AuditClauses,
    /// The controls an audit covers.
    AuditControls,
    /// When an audit's results were reported.
    AuditReportDate,
    /// To whom they were reported.
    AuditReportTo,
    /// What an audit found.
    FindingText,
    /// The clause a finding is against.
    FindingClause,
    /// The control a finding is against.
    FindingControl,
    /// How often audits are held.
    ProgrammeFrequency,
    /// Audit methods.
    ProgrammeMethods,
    /// Who plans, audits and follows up.
    ProgrammeResponsibilities,
    /// How results are reported.
    ProgrammeReporting,
    /// A nonconformity's name.
    NcTitle,
    /// When it was raised.
    NcRaised,
    /// What happened.
    NcWhatHappened,
    /// The correction.
    NcCorrection,
    /// Its consequences.
    NcConsequences,
    /// Its root cause.
    NcRootCause,
    /// Whether similar ones exist or could occur.
    NcSimilar,
    /// The corrective action.
    NcAction,
    /// Who owns the corrective action.
    NcOwner,
    /// When the corrective action is due.
    NcDue,
    /// When the effectiveness was checked.
    NcCheckDate,
    /// Who checked it.
    NcCheckBy,
    /// What the check showed.
    NcCheckEvidence,
    /// When the nonconformity was closed.
    NcClosed,
    /// Where a nonconformity comes from.
    NcSource,
    /// The incident a nonconformity comes from.
    NcIncident,
    /// What an improvement is.
    ImprovementText,
    /// Where an improvement comes from.
    ImprovementSource,
    /// Who suggested an improvement.
    ImprovementSuggestedBy,
    /// What came of it.
    ImprovementOutcome,

    /// The organisation's name.
    Organisation,
    /// The ISMS scope statement.
    Scope,
    /// A person's display name.
    DisplayName,
    /// What a device with a signing key is called.
    DeviceName,
    /// An objective's title.
    Title,
    /// An objective's description.
    Description,
    /// An objective's target value.
    Target,
    /// An objective's unit.
    Unit,
    /// An objective's owner.
    Owner,
    /// Whether higher or lower values of an objective are better.
    Direction,
    /// The function or level an objective belongs to.
    Function,
    /// Why an objective's assessed health differs from its measurements.
    HealthReason,
    /// How an objective ends (achieved, not achieved, withdrawn).
    ClosingStatus,
    /// An objective's closing evaluation.
    ClosingEvaluation,
    /// How often an objective is measured, in months.
    MonitorEvery,
    /// Who measures an objective.
    MeasuredBy,
    /// Who analyses an objective's results.
    AnalysedBy,
    /// An objective's due date.
    Due,
    /// How an objective's results are evaluated.
    Evaluation,
    /// A policy's review-due date.
    ReviewDue,
    /// A policy's body text.
    Body,
    /// A person's name.
    PersonName,
    /// A person's job title.
    JobTitle,
    /// A person's e-mail address.
    Email,
    /// A role's name (custom roles).
    RoleName,
    /// A role's responsibilities.
    Responsibilities,
    /// A role's authorities.
    Authorities,
    /// A RACI activity's name.
    ActivityName,
    /// A training programme's topic.
    Topic,
    /// How often a training programme recurs, in months.
    Recurrence,
    /// A training programme's completion target, in %.
    CompletionTarget,
    /// The day a training session starts.
    SessionDate,
    /// The day a training session ends.
    SessionEnd,
    /// Evidence of competence.
    Evidence,
    /// An objective's plan: what will be done.
    ObjectivePlan,
    /// The resources an objective requires.
    ObjectiveResources,
    /// The policy an objective serves.
    ObjectivePolicy,
    /// The day a measurement was taken.
    MeasurementDate,
    /// A measurement's value.
    MeasurementValue,
    /// A note on a measurement.
    MeasurementNote,
    /// A budget line's category.
    BudgetCategory,
    /// A budget line's description.
    BudgetDescription,
    /// A budget line's year.
    BudgetYear,
    /// A budget line's currency code.
    BudgetCurrency,
    /// The amount requested for a budget line.
    BudgetRequested,
    /// The amount approved for a budget line.
    BudgetApproved,
    /// The amount spent on a budget line.
    BudgetSpent,
    /// The day a budget line was approved.
    BudgetApprovalDate,
    /// The role whose people time is recorded.
    FteRole,
    /// People time in full-time equivalents.
    Fte,
    /// A note on people time.
    FteNote,
    /// The competence a role needs.
    RoleCompetence,
    /// Whose competence a record is.
    CompetencePerson,
    /// What a competence record is.
    CompetenceSummary,
    /// When a competence was obtained.
    CompetenceDate,
    /// Who verified a competence record.
    VerifiedBy,
    /// How a programme's effectiveness is evaluated.
    EffectivenessMethod,
    /// What the evaluation of a programme's effectiveness found.
    EffectivenessResult,
    /// When a programme's effectiveness was evaluated.
    EffectivenessDate,
    /// What a communication is about.
    Subject,
    /// What a communication said.
    Message,
    /// When a communication goes out.
    CommunicationDate,
    /// Who a communication is for.
    CommunicationAudience,
    /// Who communicates.
    CommunicatedBy,
    /// Where a policy is made available to interested parties.
    AvailabilityNote,
    /// An internal or external issue (4.1).
    IssueText,
    /// How an issue affects the ISMS.
    IssueEffect,
    /// When an issue was last reviewed.
    IssueReviewed,
    /// Why climate change is, or is not, relevant.
    ClimateRationale,
    /// Whether climate change is relevant.
    ClimateRelevant,
    /// An interested party's name.
    PartyName,
    /// A requirement of an interested party.
    RequirementText,
    /// Where the ISMS addresses a requirement.
    RequirementWhere,
    /// The scope statement.
    ScopeStatement,
    /// The scope's boundaries.
    ScopeBoundaries,
    /// The scope's interfaces.
    ScopeInterfaces,
    /// The scope's dependencies.
    ScopeDependencies,
    /// What a planned change is.
    ChangeTitle,
    /// Why a change is made.
    ChangePurpose,
    /// What a change could affect.
    ChangeConsequences,
    /// How the ISMS keeps its integrity during a change.
    ChangeIntegrity,
    /// What a change needs.
    ChangeResources,
    /// Who is responsible for a change.
    ChangeResponsible,
    /// When a change was reviewed.
    ChangeReviewDate,
    /// What the review of a change found.
    ChangeOutcome,
    /// The day of a management review.
    ReviewDate,
    /// Who chairs a management review.
    ReviewChair,
    /// How often management reviews are held.
    ReviewInterval,
    /// What an action is.
    ActionTitle,
    /// Who owns an action.
    ActionOwner,
    /// When an action is due.
    ActionDue,
    /// The day of an action's progress.
    ActionUpdateDate,
    /// A note on an action's progress.
    ActionNote,
    /// What a review decided.
    DecisionText,
    /// A review's conclusion in words.
    ConclusionStatement,
    // --- Risk criteria and the risk register (risks.rs) ---
    /// A risk's title.
    RiskTitle,
    /// The labels of the criteria's likelihood scale.
    CriteriaLikelihood,
    /// The labels of the criteria's consequence scale.
    CriteriaConsequence,
    /// The criteria's acceptance threshold.
    CriteriaThreshold,
    /// Who may accept which residual level.
    CriteriaAuthority,
    /// The asset or scenario at risk.
    RiskAsset,
    /// A risk's threat.
    RiskThreat,
    /// A risk's vulnerability.
    RiskVulnerability,
    /// Which of confidentiality, integrity and availability a risk threatens.
    RiskProperties,
    /// A risk's owner.
    RiskOwner,
    /// A risk's likelihood before treatment.
    RiskInherentLikelihood,
    /// A risk's consequence before treatment.
    RiskInherentConsequence,
    /// A risk's likelihood after treatment.
    RiskResidualLikelihood,
    /// A risk's consequence after treatment.
    RiskResidualConsequence,
    /// A risk's residual level against its inherent level.
    RiskResidual,
    /// The controls chosen for a risk.
    RiskControls,
    /// When a risk is to be assessed again.
    RiskReassessBy,
    /// What a treatment action is.
    TreatmentTitle,
    /// Who owns a treatment action.
    TreatmentOwner,
    /// What a treatment action needs.
    TreatmentResources,
    /// When a treatment action is due.
    TreatmentDue,

    // --- The Statement of Applicability (soa.rs) ---
    /// Why a control is excluded.
    SoaJustification,
    /// Whether a control applies.
    SoaApplicable,
    /// Why a control applies.
    SoaReasons,
    /// Who owns a control.
    SoaOwner,
    /// Where a control's evidence is.
    SoaEvidence,
    /// An added control's title.
    SoaControlTitle,
    /// An added control's theme.
    SoaControlTheme,

    // --- The implementation plan (plan.rs) ---
    /// A stage's title.
    StageTitle,
    /// Who owns a stage (also the owner the plan template gives every stage).
    StageOwner,
    /// When a stage starts (also the day the plan template starts).
    StageStart,
    /// When a stage must be finished.
    StageDeadline,
    /// The stages a stage waits for.
    StageDependsOn,
    /// The record a stage produces.
    StageProduces,

    // --- The certificate (certification.rs) ---
    /// The certification body.
    CertBody,
    /// The certificate's number.
    CertNumber,
    /// The scope as the certificate words it.
    CertScope,
    /// The Statement of Applicability version it cites.
    CertSoaVersion,
    /// The certification decision.
    CertDecision,
    /// The day it was issued.
    CertIssued,
    /// The expiry it states.
    CertExpiry,
    /// The stage 1 audit.
    CertStage1,
    /// The stage 2 audit.
    CertStage2,
    /// When stage 2's major nonconformities were verified.
    CertMajorsVerified,
    /// The surveillance audits.
    CertSurveillance,
    /// The recertification audit.
    CertRecertAudit,
    /// The recertification decision.
    CertRecertDecision,
}

/// One field's problem, in words a person can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field at fault.
    pub field: Field,
    /// What to do about it.
    pub message: String,
}

/// Every problem found in one form; empty means the input is valid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    /// The message for `field`, if it has one.
    pub fn message(&self, field: Field) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    /// Whether no field has a problem.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn push(&mut self, field: Field, message: &str) {
        self.0.push(FieldError {
            field,
            message: message.to_owned(),
        });
    }

    pub(crate) fn into_result<T>(self, value: T) -> Result<T, ValidationErrors> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let messages: Vec<_> = self.0.iter().map(|e| e.message.as_str()).collect();
        f.write_str(&messages.join(" "))
    }
}

impl std::error::Error for ValidationErrors {}

/// Longest title accepted, in characters.
pub const MAX_TITLE: usize = 200;
/// Longest short text (unit, owner, names) accepted, in characters.
pub const MAX_SHORT: usize = 120;
/// Longest long text (descriptions, scope) accepted, in characters.
pub const MAX_LONG: usize = 20_000;

/// The first line of `text`, shortened at a word to at most `max`
/// characters with "…" when it is longer: a title taken from a longer text.
pub fn first_line_within(text: &str, max: usize) -> String {
    let line = text.lines().next().unwrap_or_default().trim();
    if line.chars().count() <= max {
        return line.to_owned();
    }
    let cut: String = line.chars().take(max.saturating_sub(1)).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end())
}

/// An objective as typed into the form, before validation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ObjectiveDraft {
    /// Title as typed.
    pub title: String,
    /// Description as typed.
    pub description: String,
    /// Target value as typed ("95", "2,5", or empty).
    pub target: String,
    /// Unit as typed.
    pub unit: String,
    /// Whether higher or lower is better; `None` until chosen.
    pub direction: Option<Direction>,
    /// The owner: a People record id, or empty.
    pub owner_id: String,
    /// The function or level it belongs to, as typed.
    pub function: String,
    /// Due date as typed (YYYY-MM-DD or empty).
    pub due: String,
    /// The assessed health.
    pub health: Health,
    /// Why the assessment differs from the measurements, as typed.
    pub health_reason: String,
    /// How results are evaluated, as typed.
    pub evaluation: String,
}

/// An objective's fields once they are known to be valid.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectiveFields {
    /// Trimmed, non-empty title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Target value, if any.
    pub target: Option<f64>,
    /// Unit.
    pub unit: String,
    /// Whether higher or lower is better, when chosen.
    pub direction: Option<Direction>,
    /// The owner's People record id, if one was chosen.
    pub owner_id: Option<String>,
    /// The function or level.
    pub function: String,
    /// Due date as YYYY-MM-DD, if any.
    pub due: Option<String>,
    /// Assessed health.
    pub health: Health,
    /// Why the assessment differs from the measurements.
    pub health_reason: String,
    /// How results are evaluated.
    pub evaluation: String,
}

impl ObjectiveDraft {
    /// Checks every field and returns the clean values or every problem found.
    pub fn validate(&self) -> Result<ObjectiveFields, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let title = self.title.trim();
        if title.is_empty() {
            errors.push(Field::Title, "Enter a title.");
        } else if title.chars().count() > MAX_TITLE {
            errors.push(Field::Title, "Keep the title under 200 characters.");
        }
        check_length(&mut errors, Field::Description, &self.description, MAX_LONG);
        check_length(&mut errors, Field::Unit, &self.unit, MAX_SHORT);
        check_length(&mut errors, Field::Owner, &self.owner_id, MAX_SHORT);
        check_length(&mut errors, Field::Function, &self.function, MAX_SHORT);
        check_length(&mut errors, Field::Evaluation, &self.evaluation, MAX_LONG);
        check_length(
            &mut errors,
            Field::HealthReason,
            &self.health_reason,
            MAX_LONG,
        );
        let target = match parse_number(&self.target) {
            Ok(target) => target,
            Err(message) => {
                errors.push(Field::Target, message);
                None
            }
        };
        if target.is_some() && self.direction.is_none() {
            errors.push(
                Field::Direction,
                "Choose whether the target is a floor to reach or a ceiling to stay under.",
            );
        }
        let owner_id = self.owner_id.trim();
        let due = self.due.trim();
        let due = if due.is_empty() {
            None
        } else if parse_date(due).is_some() {
            Some(due.to_owned())
        } else {
            errors.push(Field::Due, "Enter a real date as YYYY-MM-DD.");
            None
        };
        errors.into_result(ObjectiveFields {
            title: title.to_owned(),
            description: self.description.trim_end().to_owned(),
            target,
            unit: self.unit.trim().to_owned(),
            direction: self.direction,
            owner_id: (!owner_id.is_empty()).then(|| owner_id.to_owned()),
            function: self.function.trim().to_owned(),
            due,
            health: self.health,
            health_reason: self.health_reason.trim().to_owned(),
            evaluation: self.evaluation.trim().to_owned(),
        })
    }
}

pub(crate) fn check_length(errors: &mut ValidationErrors, field: Field, value: &str, max: usize) {
    if value.chars().count() > max {
        errors.push(field, "This text is too long.");
    }
}

/// Parses an optional number as people type it: "95", "2.5", "2,5", " 3 ".
pub fn parse_number(input: &str) -> Result<Option<f64>, &'static str> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(None);
    }
    let normalised = input.replace(',', ".");
    match normalised.parse::<f64>() {
        Ok(value) if value.is_finite() && !normalised.contains(['e', 'E', 'i', 'n', 'N']) => {
            Ok(Some(value))
        }
        _ => Err("Enter a number, for example 95 or 2.5."),
    }
}

/// A calendar date (year, month, day) parsed from exactly `YYYY-MM-DD`.
pub fn parse_date(input: &str) -> Option<(u16, u8, u8)> {
    let bytes = input.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = &input[range];
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let year = digits(0..4)?;
    let month = digits(5..7)?;
    let day = digits(8..10)?;
    if year < 1900 || !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    Some((year as u16, month as u8, day as u8))
}

/// The number of days in `month` (1–12) of `year`.
pub(crate) fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Checks a required short name (organisation, display name).
pub fn required_name(
    field: Field,
    input: &str,
    empty_message: &str,
) -> Result<String, ValidationErrors> {
    let mut errors = ValidationErrors::default();
    let value = input.trim();
    if value.is_empty() {
        errors.push(field, empty_message);
    } else if value.chars().count() > MAX_SHORT {
        errors.push(field, "Keep this under 120 characters.");
    }
    errors.into_result(value.to_owned())
}

/// Checks an organisation name and scope statement for a workspace.
pub fn workspace_meta(
    organisation: &str,
    scope: &str,
) -> Result<(String, String), ValidationErrors> {
    let organisation = required_name(
        Field::Organisation,
        organisation,
        "Enter the organisation's name.",
    );
    let mut errors = organisation.clone().err().unwrap_or_default();
    check_length(&mut errors, Field::Scope, scope, MAX_LONG);
    match organisation {
        Ok(name) if errors.is_empty() => Ok((name, scope.trim().to_owned())),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(title: &str, target: &str, due: &str) -> ObjectiveDraft {
        ObjectiveDraft {
            title: title.into(),
            target: target.into(),
            direction: Some(Direction::AtLeast),
            due: due.into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_draft_is_valid_and_trimmed() {
        let fields = draft("  Phishing click rate ", " 2,5 ", "2026-12-31")
            .validate()
            .unwrap();
        assert_eq!(fields.title, "Phishing click rate");
        assert_eq!(fields.target, Some(2.5));
        assert_eq!(fields.due.as_deref(), Some("2026-12-31"));
    }

    #[test]
    fn empty_title_is_rejected() {
        let errors = draft("   ", "", "").validate().unwrap_err();
        assert_eq!(errors.message(Field::Title), Some("Enter a title."));
    }

    #[test]
    fn non_numeric_targets_are_rejected() {
        for bad in ["abc", "5%", "1e3", "NaN", "inf", "1.2.3"] {
            let errors = draft("T", bad, "").validate().unwrap_err();
            assert_eq!(
                errors.message(Field::Target),
                Some("Enter a number, for example 95 or 2.5."),
                "{bad}"
            );
        }
        assert_eq!(draft("T", "-3", "").validate().unwrap().target, Some(-3.0));
    }

    #[test]
    fn due_dates_must_be_real_dates() {
        for bad in [
            "31/12/2026",
            "2026-02-30",
            "2026-13-01",
            "2026-1-1",
            "tomorrow",
            "2025-02-29",
        ] {
            let errors = draft("T", "", bad).validate().unwrap_err();
            assert_eq!(
                errors.message(Field::Due),
                Some("Enter a real date as YYYY-MM-DD."),
                "{bad}"
            );
        }
        assert!(draft("T", "", "2028-02-29").validate().is_ok());
    }

    #[test]
    fn a_target_needs_its_direction() {
        let without = ObjectiveDraft {
            direction: None,
            ..draft("Phishing click rate", "5", "")
        };
        let errors = without.validate().unwrap_err();
        assert_eq!(
            errors.message(Field::Direction),
            Some("Choose whether the target is a floor to reach or a ceiling to stay under.")
        );
        // Without a target there is nothing to compare, so no direction is asked for.
        let untargeted = ObjectiveDraft {
            direction: None,
            ..draft("Board briefing", "", "")
        };
        assert!(untargeted.validate().is_ok());
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let errors = draft("", "x", "soon").validate().unwrap_err();
        assert_eq!(errors.0.len(), 3);
    }

    #[test]
    fn organisation_name_is_required() {
        let errors = workspace_meta("  ", "").unwrap_err();
        assert_eq!(
            errors.message(Field::Organisation),
            Some("Enter the organisation's name.")
        );
        assert_eq!(
            workspace_meta(" Acme ", " All of it ").unwrap(),
            ("Acme".into(), "All of it".into())
        );
    }
}
