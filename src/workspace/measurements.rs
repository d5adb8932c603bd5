//! Objectives completed (clause 6.2): the planning fields, dated measurements,
//! the health a trend suggests, overdue flags and the points of a trend chart.
//!
//! Days are counted as whole days since 1970-01-01 ([`day_number`]), so the
//! computed figures are pure functions of the objective and of "today".

use automerge::transaction::Transactable;
use automerge::{ROOT, ReadDoc};
use autosurgeon::{Hydrate, Reconcile, reconcile_prop};

use crate::workspace::commands::{CommandError, WorkspaceDoc};
use crate::workspace::model::{Health, Objective, Workspace, format_number, sort_list};
use crate::workspace::validate::{
    Field, MAX_LONG, ValidationErrors, check_length, parse_date, parse_number,
};
use crate::workspace::{Millis, validate};

/// Whether an objective's target is a floor to reach or a ceiling to stay under.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Reconcile, Hydrate)]
pub enum Direction {
    /// Higher is better: the target is met when a value is at least the target.
    #[default]
    AtLeast,
    /// Lower is better: the target is met when a value is at most the target.
    AtMost,
}

impl Direction {
    /// Both directions, in the order the UI offers them.
    pub const ALL: [Direction; 2] = [Direction::AtLeast, Direction::AtMost];

    /// The label a person reads.
    pub fn label(self) -> &'static str {
        match self {
            Direction::AtLeast => "At least the target (higher is better)",
            Direction::AtMost => "At most the target (lower is better)",
        }
    }

    /// A stable machine name, used as a form value.
    pub fn slug(self) -> &'static str {
        match self {
            Direction::AtLeast => "at-least",
            Direction::AtMost => "at-most",
        }
    }

    /// The direction whose [`Direction::slug`] is `slug`.
    pub fn from_slug(slug: &str) -> Option<Direction> {
        Direction::ALL.into_iter().find(|d| d.slug() == slug)
    }

    /// Whether `value` meets `target` in this direction.
    pub fn meets(self, value: f64, target: f64) -> bool {
        match self {
            Direction::AtLeast => value >= target,
            Direction::AtMost => value <= target,
        }
    }
}

/// One dated measurement of an objective (6.2 d, 9.1).
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Measurement {
    /// The day it was measured (YYYY-MM-DD).
    #[autosurgeon(missing = "Default::default")]
    pub date: String,
    /// The measured value, in the objective's unit.
    #[autosurgeon(missing = "Default::default")]
    pub value: f64,
    /// An optional remark (source, caveat).
    #[autosurgeon(missing = "Default::default")]
    pub note: String,
    /// The display name of whoever recorded it.
    #[autosurgeon(missing = "Default::default")]
    pub recorded_by: String,
    /// When it was recorded.
    #[autosurgeon(missing = "Default::default")]
    pub created_at: Millis,
}

/// A measurement as typed into the form, before validation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MeasurementDraft {
    /// Day as typed (YYYY-MM-DD).
    pub date: String,
    /// Value as typed ("95", "2,5").
    pub value: String,
    /// Note as typed.
    pub note: String,
}

/// A measurement's fields once they are known to be valid.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasurementFields {
    /// A real date as YYYY-MM-DD.
    pub date: String,
    /// The value.
    pub value: f64,
    /// Trimmed note.
    pub note: String,
}

impl MeasurementDraft {
    /// Checks every field and returns the clean values or every problem found.
    pub fn validate(&self) -> Result<MeasurementFields, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let date = self.date.trim();
        if date.is_empty() {
            errors.push(Field::MeasurementDate, "Enter the day it was measured.");
        } else if parse_date(date).is_none() {
            errors.push(Field::MeasurementDate, "Enter a real date as YYYY-MM-DD.");
        }
        let value = match parse_number(&self.value) {
            Ok(Some(value)) => value,
            Ok(None) => {
                errors.push(Field::MeasurementValue, "Enter the measured value.");
                0.0
            }
            Err(message) => {
                errors.push(Field::MeasurementValue, message);
                0.0
            }
        };
        check_length(&mut errors, Field::MeasurementNote, &self.note, MAX_LONG);
        errors.into_result(MeasurementFields {
            date: date.to_owned(),
            value,
            note: self.note.trim().to_owned(),
        })
    }
}

/// The planning part of an objective (6.2) and its monitoring plan (9.1) as
/// typed into the form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ObjectivePlanDraft {
    /// What will be done.
    pub plan: String,
    /// What resources are required.
    pub resources: String,
    /// The id of the policy it serves; empty for none.
    pub policy_id: String,
    /// How often it is measured, in months, as typed; empty for no plan.
    pub monitor_months: String,
    /// Who measures: a People record id, or empty.
    pub measured_by: String,
    /// Who analyses and evaluates the results: a People record id, or empty.
    pub analysed_by: String,
}

/// An objective's planning fields once they are known to be valid.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectivePlanFields {
    /// What will be done.
    pub plan: String,
    /// What resources are required.
    pub resources: String,
    /// The policy it serves, if any.
    pub policy_id: Option<String>,
    /// How often it is measured, in months.
    pub monitor_months: Option<u32>,
    /// Who measures.
    pub measured_by: Option<String>,
    /// Who analyses the results.
    pub analysed_by: Option<String>,
}

/// The longest monitoring interval accepted, in months.
pub const MAX_MONITOR_MONTHS: u32 = 36;

impl ObjectivePlanDraft {
    /// Checks every field and returns the clean values or every problem found.
    pub fn validate(&self) -> Result<ObjectivePlanFields, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        check_length(&mut errors, Field::ObjectivePlan, &self.plan, MAX_LONG);
        check_length(
            &mut errors,
            Field::ObjectiveResources,
            &self.resources,
            MAX_LONG,
        );
        let optional_id = |field, value: &str, errors: &mut ValidationErrors| {
            check_length(errors, field, value, validate::MAX_SHORT);
            let value = value.trim();
            (!value.is_empty()).then(|| value.to_owned())
        };
        let policy_id = optional_id(Field::ObjectivePolicy, &self.policy_id, &mut errors);
        let measured_by = optional_id(Field::MeasuredBy, &self.measured_by, &mut errors);
        let analysed_by = optional_id(Field::AnalysedBy, &self.analysed_by, &mut errors);
        let months = self.monitor_months.trim();
        let monitor_months = if months.is_empty() {
            None
        } else {
            match months.parse::<u32>() {
                Ok(m) if (1..=MAX_MONITOR_MONTHS).contains(&m) => Some(m),
                _ => {
                    errors.push(
                        Field::MonitorEvery,
                        "Enter a whole number of months from 1 to 36, or leave it empty.",
                    );
                    None
                }
            }
        };
        errors.into_result(ObjectivePlanFields {
            plan: self.plan.trim().to_owned(),
            resources: self.resources.trim().to_owned(),
            policy_id,
            monitor_months,
            measured_by,
            analysed_by,
        })
    }
}

/// Whole days since 1970-01-01 of a `YYYY-MM-DD` date.
pub fn day_number(date: &str) -> Option<i64> {
    let (year, month, day) = parse_date(date)?;
    let (month, day) = (i64::from(month), i64::from(day));
    // Days from civil (H. Hinnant): years start in March so leap days come last.
    let year = i64::from(year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    Some(era * 146_097 + day_of_era - 719_468)
}

/// The day `days` after `date` (both `YYYY-MM-DD`; `days` may be negative).
pub fn add_days(date: &str, days: i64) -> Option<String> {
    Some(date_of((day_number(date)? + days) * 86_400_000))
}

/// The last millisecond (UTC) of the day `date` (`YYYY-MM-DD`).
pub fn end_of_day(date: &str) -> Option<Millis> {
    Some((day_number(date)? + 1) * 86_400_000 - 1)
}

/// The day (UTC) that `now` falls on, as a [`day_number`].
pub fn day_of(now: Millis) -> i64 {
    now.div_euclid(86_400_000)
}

/// `YYYY-MM-DD` of a time in milliseconds since the epoch (UTC).
pub fn date_of(at: Millis) -> String {
    // Howard Hinnant's civil_from_days.
    let z = day_of(at) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The objective's measurements oldest first (by date, then by when recorded).
pub fn series(objective: &Objective) -> Vec<(&String, &Measurement)> {
    let mut list: Vec<_> = objective.measurements.iter().collect();
    sort_list(&mut list, |(a_id, a), (b_id, b)| {
        (a.date.as_str(), a.created_at, a_id.as_str()).cmp(&(
            b.date.as_str(),
            b.created_at,
            b_id.as_str(),
        ))
    });
    list
}

/// The most recent measurement, if any.
pub fn latest(objective: &Objective) -> Option<&Measurement> {
    series(objective).last().map(|(_, m)| *m)
}

/// Whether the latest measurement meets the target; `None` without a target
/// or without measurements.
pub fn target_met(objective: &Objective) -> Option<bool> {
    let target = objective.target?;
    let latest = latest(objective)?;
    Some(objective.direction.meets(latest.value, target))
}

/// The least-squares slope of the measurements, in units per day; `None`
/// unless they span at least two different days.
pub fn trend_per_day(objective: &Objective) -> Option<f64> {
    let points: Vec<(f64, f64)> = series(objective)
        .into_iter()
        .filter_map(|(_, m)| Some((day_number(&m.date)? as f64, m.value)))
        .collect();
    if points.len() < 2 {
        return None;
    }
    let n = points.len() as f64;
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    (sxx > 0.0).then(|| sxy / sxx)
}

/// The health the measurements suggest, or `None` without a target or a
/// measurement. The rule, in order:
/// 1. the latest value meets the target → on track;
/// 2. the due date has passed → off track;
/// 3. only one day measured, so no trend yet → at risk;
/// 4. the trend (least-squares slope) is flat or moving away from the
///    target → off track;
/// 5. the trend, continued from the latest value to the due date, meets the
///    target → on track; otherwise, or without a due date → at risk.
pub fn health_suggestion(objective: &Objective, today: i64) -> Option<Health> {
    let target = objective.target?;
    let latest = latest(objective)?;
    let direction = objective.direction;
    if direction.meets(latest.value, target) {
        return Some(Health::OnTrack);
    }
    let due = objective.due.as_deref().and_then(day_number);
    if due.is_some_and(|due| today > due) {
        return Some(Health::OffTrack);
    }
    let Some(slope) = trend_per_day(objective) else {
        return Some(Health::AtRisk);
    };
    let improving = match direction {
        Direction::AtLeast => slope > 0.0,
        Direction::AtMost => slope < 0.0,
    };
    if !improving {
        return Some(Health::OffTrack);
    }
    let projected = due
        .zip(day_number(&latest.date))
        .map(|(due, last)| latest.value + slope * (due - last) as f64);
    match projected {
        Some(value) if direction.meets(value, target) => Some(Health::OnTrack),
        _ => Some(Health::AtRisk),
    }
}

/// Whether the due date has passed (it is before `today`) and the target is
/// not met. An objective without a target, or without measurements, cannot
/// show it was met, so it is overdue once its due date passes.
pub fn is_overdue(objective: &Objective, today: i64) -> bool {
    let Some(due) = objective.due.as_deref().and_then(day_number) else {
        return false;
    };
    today > due && target_met(objective) != Some(true)
}

/// The ids of the open objectives that are overdue ([`is_overdue`]), oldest first.
pub fn overdue_objectives(workspace: &Workspace, today: i64) -> Vec<&String> {
    workspace
        .open_objectives()
        .into_iter()
        .filter(|(_, o)| is_overdue(o, today))
        .map(|(id, _)| id)
        .collect()
}

/// The area an SVG trend chart is drawn in (its viewBox) and the margin kept
/// free on each side.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChartBox {
    /// viewBox width.
    pub width: f64,
    /// viewBox height.
    pub height: f64,
    /// Space left free on every side.
    pub padding: f64,
}

/// One measurement placed in the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartPoint {
    /// Horizontal position: the date, scaled.
    pub x: f64,
    /// Vertical position: the value, scaled (higher values are higher up).
    pub y: f64,
    /// The day measured, for a tooltip.
    pub date: String,
    /// The value measured, for a tooltip.
    pub value: f64,
}

/// Everything the UI needs to draw an objective's trend as SVG.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendChart {
    /// The measurements, oldest first.
    pub points: Vec<ChartPoint>,
    /// Where the horizontal target line goes, when there is a target.
    pub target_y: Option<f64>,
    /// The value at the bottom edge of the drawing area.
    pub min: f64,
    /// The value at the top edge of the drawing area.
    pub max: f64,
}

impl TrendChart {
    /// The points as an SVG `polyline` `points` attribute ("x,y x,y").
    pub fn polyline(&self) -> String {
        let pairs: Vec<String> = self
            .points
            .iter()
            .map(|p| format!("{},{}", p.x, p.y))
            .collect();
        pairs.join(" ")
    }
}

/// The trend chart of an objective's measurements in `area`, or `None`
/// without measurements. Dates spread from the left to the right edge (a
/// single day sits in the middle); values and the target spread from the
/// bottom to the top edge (a single value gets a range of ±1 around it).
pub fn trend_chart(objective: &Objective, area: ChartBox) -> Option<TrendChart> {
    let measured: Vec<(i64, &Measurement)> = series(objective)
        .into_iter()
        .filter_map(|(_, m)| Some((day_number(&m.date)?, m)))
        .collect();
    let first = measured.first()?.0;
    let last = measured.last()?.0;
    let values = measured
        .iter()
        .map(|(_, m)| m.value)
        .chain(objective.target);
    let (mut min, mut max) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if min == max {
        min -= 1.0;
        max += 1.0;
    }
    let inner_width = area.width - 2.0 * area.padding;
    let inner_height = area.height - 2.0 * area.padding;
    let y_of = |value: f64| area.padding + (max - value) / (max - min) * inner_height;
    let points = measured
        .iter()
        .map(|(day, m)| ChartPoint {
            x: if last == first {
                area.width / 2.0
            } else {
                area.padding + (day - first) as f64 / (last - first) as f64 * inner_width
            },
            y: y_of(m.value),
            date: m.date.clone(),
            value: m.value,
        })
        .collect();
    Some(TrendChart {
        points,
        target_y: objective.target.map(y_of),
        min,
        max,
    })
}

/// A value with the objective's unit ("4.5%", "12 days").
pub fn value_label(objective: &Objective, value: f64) -> String {
    let number = format_number(value);
    match objective.unit.as_str() {
        "" => number,
        "%" => format!("{number}%"),
        unit => format!("{number} {unit}"),
    }
}

impl WorkspaceDoc {
    /// Changes an objective's planning fields (what will be done, resources,
    /// the policy it serves) and its monitoring plan; only the fields that
    /// differ are written.
    pub fn edit_objective_plan(
        &mut self,
        id: &str,
        draft: &ObjectivePlanDraft,
        now: Millis,
    ) -> Result<(), CommandError> {
        let mut fields = draft.validate()?;
        let old = self
            .objective_head(id)?
            .ok_or(CommandError::ObjectiveNotFound)?;
        if let Some(policy) = &fields.policy_id {
            let exists = self
                .existing_map(ROOT, "policies")
                .is_some_and(|policies| matches!(self.doc.get(&policies, policy), Ok(Some(_))));
            if !exists && old.policy_id.as_ref() != Some(policy) {
                let mut errors = ValidationErrors::default();
                errors.push(
                    Field::ObjectivePolicy,
                    "Choose a policy from the list; this one no longer exists.",
                );
                return Err(errors.into());
            }
        }
        let mut errors = ValidationErrors::default();
        for (field, person) in [
            (Field::MeasuredBy, &fields.measured_by),
            (Field::AnalysedBy, &fields.analysed_by),
        ] {
            if let Some(person) = person
                && self.person(person)?.is_none()
            {
                errors.push(field, "Choose someone from People.");
            }
        }
        errors.into_result(())?;
        let mut objective = old.clone();
        objective.plan = std::mem::take(&mut fields.plan);
        objective.resources = std::mem::take(&mut fields.resources);
        objective.policy_id = fields.policy_id.take();
        objective.monitor_months = fields.monitor_months;
        objective.measured_by = fields.measured_by.take();
        objective.analysed_by = fields.analysed_by.take();
        let mut changes = Vec::new();
        if old.plan != objective.plan {
            changes.push("what will be done".to_owned());
        }
        if old.resources != objective.resources {
            changes.push("resources".to_owned());
        }
        if old.policy_id != objective.policy_id {
            changes.push("policy".to_owned());
        }
        if old.monitor_months != objective.monitor_months
            || old.measured_by != objective.measured_by
            || old.analysed_by != objective.analysed_by
        {
            changes.push("monitoring plan".to_owned());
        }
        if changes.is_empty() {
            return Ok(());
        }
        self.guard(|ws| ws.write_objective_fields(id, &old, &objective))?;
        self.commit(
            format!(
                "Changed the plan of objective “{}”: {}",
                old.title,
                changes.join("; ")
            ),
            now,
        )
    }

    /// Records a dated measurement of an objective and returns its id.
    pub fn add_measurement(
        &mut self,
        objective_id: &str,
        draft: &MeasurementDraft,
        now: Millis,
    ) -> Result<String, CommandError> {
        let fields = draft.validate()?;
        // Only what the message names: a year of measurements read the whole
        // objective each time, a third of the sample's opening (issue 11, 16).
        let objective = self
            .objective_fields(objective_id, &["title", "unit"])?
            .ok_or(CommandError::ObjectiveNotFound)?;
        let id = self.next_id(now);
        let measurement = Measurement {
            date: fields.date,
            value: fields.value,
            note: fields.note,
            recorded_by: self.author().to_owned(),
            created_at: now,
        };
        self.guard(|ws| {
            let measurements = ws.measurements_map(objective_id)?;
            Ok(reconcile_prop(
                &mut ws.doc,
                &measurements,
                id.as_str(),
                &measurement,
            )?)
        })?;
        self.commit(
            format!(
                "Recorded {} on {} for objective “{}”",
                value_label(&objective, measurement.value),
                measurement.date,
                objective.title
            ),
            now,
        )?;
        Ok(id)
    }

    /// Changes a measurement's date, value or note; only what differs is written.
    pub fn edit_measurement(
        &mut self,
        objective_id: &str,
        measurement_id: &str,
        draft: &MeasurementDraft,
        now: Millis,
    ) -> Result<(), CommandError> {
        let fields = draft.validate()?;
        let objective = self
            .objective_head(objective_id)?
            .ok_or(CommandError::ObjectiveNotFound)?;
        let old = &self.measurement(objective_id, measurement_id)?;
        let new = Measurement {
            date: fields.date,
            value: fields.value,
            note: fields.note,
            ..old.clone()
        };
        let mut changes = Vec::new();
        if old.date != new.date {
            changes.push(format!("date {} → {}", old.date, new.date));
        }
        if old.value != new.value {
            changes.push(format!(
                "value {} → {}",
                value_label(&objective, old.value),
                value_label(&objective, new.value)
            ));
        }
        if old.note != new.note {
            changes.push("note".to_owned());
        }
        if changes.is_empty() {
            return Ok(());
        }
        self.guard(|ws| {
            let measurements = ws.measurements_map(objective_id)?;
            Ok(reconcile_prop(
                &mut ws.doc,
                &measurements,
                measurement_id,
                &new,
            )?)
        })?;
        self.commit(
            format!(
                "Changed the measurement of {} for objective “{}”: {}",
                old.date,
                objective.title,
                changes.join("; ")
            ),
            now,
        )
    }

    /// Deletes a measurement and returns it, so the UI can offer to undo.
    pub fn delete_measurement(
        &mut self,
        objective_id: &str,
        measurement_id: &str,
        now: Millis,
    ) -> Result<Measurement, CommandError> {
        let objective = self
            .objective_head(objective_id)?
            .ok_or(CommandError::ObjectiveNotFound)?;
        let old = self.measurement(objective_id, measurement_id)?;
        self.guard(|ws| {
            let measurements = ws.measurements_map(objective_id)?;
            Ok(ws.doc.delete(&measurements, measurement_id)?)
        })?;
        self.commit(
            format!(
                "Deleted the measurement of {} ({}) from objective “{}”",
                old.date,
                value_label(&objective, old.value),
                objective.title
            ),
            now,
        )?;
        Ok(old)
    }

    /// One measurement of an objective.
    fn measurement(
        &self,
        objective_id: &str,
        measurement_id: &str,
    ) -> Result<Measurement, CommandError> {
        let measurements = self
            .objective_obj(objective_id)
            .and_then(|record| self.existing_map(record, "measurements"));
        match measurements {
            Some(map) => self.hydrate_entry(&map, measurement_id)?,
            None => None,
        }
        .ok_or(CommandError::NotFound("measurement"))
    }

    /// The measurements map of an objective known to exist, created when an
    /// objective written by an older version has none.
    fn measurements_map(&mut self, objective_id: &str) -> Result<automerge::ObjId, CommandError> {
        let objectives = self.map(ROOT, "objectives")?;
        let objective = self
            .existing_map(objectives, objective_id)
            .ok_or(CommandError::ObjectiveNotFound)?;
        self.map(objective, "measurements")
    }
}
