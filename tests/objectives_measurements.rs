//! Native tests of objectives completed (clause 6.2): planning fields, dated
//! measurements, the suggested health, overdue flags and trend-chart points.
#![cfg(not(target_arch = "wasm32"))]

use automerge::AutoCommit;
use charter::workspace::measurements::{
    ChartBox, Direction, Measurement, MeasurementDraft, ObjectivePlanDraft, date_of, day_number,
    day_of, health_suggestion, is_overdue, latest, overdue_objectives, series, target_met,
    trend_chart, trend_per_day,
};
use charter::workspace::{CommandError, Field, Health, Objective, ObjectiveDraft, WorkspaceDoc};

const NOW: i64 = 1_780_000_000_000;

fn day(date: &str) -> i64 {
    day_number(date).unwrap()
}

/// An objective built directly, for the pure computations.
fn objective(
    target: Option<f64>,
    direction: Direction,
    due: Option<&str>,
    points: &[(&str, f64)],
) -> Objective {
    Objective {
        title: "T".into(),
        target,
        direction,
        due: due.map(Into::into),
        measurements: points
            .iter()
            .enumerate()
            .map(|(i, (date, value))| {
                (
                    format!("m{i}"),
                    Measurement {
                        date: (*date).into(),
                        value: *value,
                        created_at: i as i64,
                        ..Default::default()
                    },
                )
            })
            .collect(),
        ..Default::default()
    }
}

fn at_least(due: Option<&str>, points: &[(&str, f64)]) -> Objective {
    objective(Some(90.0), Direction::AtLeast, due, points)
}

fn draft(title: &str, target: &str) -> ObjectiveDraft {
    ObjectiveDraft {
        title: title.into(),
        target: target.into(),
        unit: "%".into(),
        direction: Some(Direction::AtMost),
        due: "2026-12-31".into(),
        ..Default::default()
    }
}

fn measurement(date: &str, value: &str) -> MeasurementDraft {
    MeasurementDraft {
        date: date.into(),
        value: value.into(),
        note: String::new(),
    }
}

fn workspace_with_objective() -> (WorkspaceDoc, String) {
    let mut ws = WorkspaceDoc::create("Acme Ltd", "All offices", "Ada", NOW).unwrap();
    let id = ws
        .add_objective(&draft("Phishing click rate", "5"), NOW + 1)
        .unwrap();
    (ws, id)
}

fn fork(ws: &mut WorkspaceDoc, author: &str) -> WorkspaceDoc {
    let bytes = ws.automerge().save();
    WorkspaceDoc::from_automerge(AutoCommit::load(&bytes).unwrap(), author)
}

fn messages(ws: &mut WorkspaceDoc) -> Vec<String> {
    ws.automerge()
        .get_changes(&[])
        .iter()
        .map(|c| c.message().unwrap().to_owned())
        .collect()
}

fn invalid(
    result: Result<impl std::fmt::Debug, CommandError>,
) -> charter::workspace::ValidationErrors {
    match result {
        Err(CommandError::Invalid(errors)) => errors,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn days_count_from_the_unix_epoch() {
    assert_eq!(day("1970-01-01"), 0);
    assert_eq!(day("2000-03-01"), 11_017);
    assert_eq!(day("2026-12-31"), 20_818);
    assert_eq!(day("1900-01-01"), -25_567);
    assert_eq!(day("2024-03-01") - day("2024-02-28"), 2, "leap day");
    assert_eq!(day_number("2026-02-30"), None);
    assert_eq!(day_of(3 * 86_400_000 + 5), 3);
    assert_eq!(day_of(-1), -1);
}

#[test]
fn the_series_is_sorted_by_date() {
    let o = at_least(
        None,
        &[
            ("2026-03-01", 3.0),
            ("2026-01-01", 1.0),
            ("2026-02-01", 2.0),
        ],
    );
    let values: Vec<f64> = series(&o).iter().map(|(_, m)| m.value).collect();
    assert_eq!(values, vec![1.0, 2.0, 3.0]);
    assert_eq!(latest(&o).unwrap().value, 3.0);
}

#[test]
fn the_trend_is_the_least_squares_slope_per_day() {
    let line = at_least(
        None,
        &[
            ("2026-01-01", 1.0),
            ("2026-01-11", 3.0),
            ("2026-01-21", 5.0),
        ],
    );
    assert_eq!(trend_per_day(&line), Some(0.2));
    let scattered = at_least(
        None,
        &[
            ("2026-01-01", 0.0),
            ("2026-01-02", 2.0),
            ("2026-01-03", 1.0),
        ],
    );
    assert_eq!(trend_per_day(&scattered), Some(0.5));
    assert_eq!(trend_per_day(&at_least(None, &[("2026-01-01", 1.0)])), None);
    let same_day = at_least(None, &[("2026-01-01", 1.0), ("2026-01-01", 2.0)]);
    assert_eq!(trend_per_day(&same_day), None);
}

#[test]
fn health_suggestion_follows_the_documented_rule() {
    let due = Some("2026-12-31");
    let today = day("2026-01-20");
    // No target or no measurement: nothing to suggest.
    let no_target = objective(None, Direction::AtLeast, due, &[("2026-01-01", 1.0)]);
    assert_eq!(health_suggestion(&no_target, today), None);
    assert_eq!(health_suggestion(&at_least(due, &[]), today), None);
    // 1. The latest value meets the target.
    let met = at_least(due, &[("2026-01-01", 50.0), ("2026-01-11", 95.0)]);
    assert_eq!(health_suggestion(&met, today), Some(Health::OnTrack));
    let exactly = at_least(due, &[("2026-01-11", 90.0)]);
    assert_eq!(health_suggestion(&exactly, today), Some(Health::OnTrack));
    // 2. The due date has passed without meeting it.
    let late = at_least(
        Some("2026-06-30"),
        &[("2026-01-01", 80.0), ("2026-02-01", 89.0)],
    );
    assert_eq!(
        health_suggestion(&late, day("2026-07-01")),
        Some(Health::OffTrack)
    );
    // 3. One day measured: no trend yet.
    let single = at_least(Some("2026-06-30"), &[("2026-01-01", 80.0)]);
    assert_eq!(
        health_suggestion(&single, day("2026-06-30")),
        Some(Health::AtRisk)
    );
    // 4. Flat or moving away from the target.
    let worse = at_least(due, &[("2026-01-01", 85.0), ("2026-01-31", 80.0)]);
    assert_eq!(health_suggestion(&worse, today), Some(Health::OffTrack));
    let flat = at_least(due, &[("2026-01-01", 85.0), ("2026-01-31", 85.0)]);
    assert_eq!(health_suggestion(&flat, today), Some(Health::OffTrack));
    // 5. Improving: 0.1 a day from 81 on 2026-01-11 reaches 116.4 by the
    // 354 days to 2026-12-31, past 90.
    let fast = at_least(due, &[("2026-01-01", 80.0), ("2026-01-11", 81.0)]);
    assert_eq!(health_suggestion(&fast, today), Some(Health::OnTrack));
    // 0.01 a day reaches only 83.64: improving but not fast enough.
    let slow = at_least(due, &[("2026-01-01", 80.0), ("2026-01-11", 80.1)]);
    assert_eq!(health_suggestion(&slow, today), Some(Health::AtRisk));
    // Improving without a due date.
    let open = at_least(None, &[("2026-01-01", 80.0), ("2026-01-11", 81.0)]);
    assert_eq!(health_suggestion(&open, today), Some(Health::AtRisk));
}

#[test]
fn health_suggestion_for_a_ceiling() {
    let due = Some("2026-03-01");
    let today = day("2026-01-20");
    let ceiling = |points: &[(&str, f64)]| objective(Some(5.0), Direction::AtMost, due, points);
    assert_eq!(
        health_suggestion(
            &ceiling(&[("2026-01-01", 10.0), ("2026-01-11", 4.0)]),
            today
        ),
        Some(Health::OnTrack)
    );
    // −0.2 a day from 8 over the 49 days to 2026-03-01 reaches −1.8 ≤ 5.
    assert_eq!(
        health_suggestion(
            &ceiling(&[("2026-01-01", 10.0), ("2026-01-11", 8.0)]),
            today
        ),
        Some(Health::OnTrack)
    );
    // −0.01 a day reaches only 7.41.
    assert_eq!(
        health_suggestion(&ceiling(&[("2026-01-01", 8.0), ("2026-01-11", 7.9)]), today),
        Some(Health::AtRisk)
    );
    assert_eq!(
        health_suggestion(
            &ceiling(&[("2026-01-01", 8.0), ("2026-01-11", 10.0)]),
            today
        ),
        Some(Health::OffTrack)
    );
}

#[test]
fn overdue_means_due_date_passed_and_target_not_met() {
    let due = Some("2026-06-30");
    let unmet = at_least(due, &[("2026-06-01", 80.0)]);
    assert!(
        !is_overdue(&unmet, day("2026-06-30")),
        "due today is not overdue"
    );
    assert!(is_overdue(&unmet, day("2026-07-01")));
    assert_eq!(target_met(&unmet), Some(false));
    let met = at_least(due, &[("2026-06-01", 95.0)]);
    assert!(!is_overdue(&met, day("2026-07-01")));
    assert!(is_overdue(&at_least(due, &[]), day("2026-07-01")));
    let no_target = objective(None, Direction::AtLeast, due, &[("2026-06-01", 1.0)]);
    assert!(is_overdue(&no_target, day("2026-07-01")));
    assert!(
        !is_overdue(&at_least(None, &[]), day("2099-01-01")),
        "no due date"
    );
    let ceiling = objective(Some(5.0), Direction::AtMost, due, &[("2026-06-01", 4.0)]);
    assert!(!is_overdue(&ceiling, day("2026-07-01")));
}

#[test]
fn chart_points_are_scaled_into_the_view_box() {
    let area = ChartBox {
        width: 100.0,
        height: 50.0,
        padding: 5.0,
    };
    let o = objective(
        Some(40.0),
        Direction::AtLeast,
        None,
        &[
            ("2026-01-21", 20.0),
            ("2026-01-01", 0.0),
            ("2026-01-11", 10.0),
        ],
    );
    let chart = trend_chart(&o, area).unwrap();
    let xy: Vec<(f64, f64)> = chart.points.iter().map(|p| (p.x, p.y)).collect();
    assert_eq!(xy, vec![(5.0, 45.0), (50.0, 35.0), (95.0, 25.0)]);
    assert_eq!(chart.target_y, Some(5.0));
    assert_eq!((chart.min, chart.max), (0.0, 40.0));
    assert_eq!(chart.points[0].date, "2026-01-01");
    assert_eq!(chart.polyline(), "5,45 50,35 95,25");

    // A single value without a target: centred, with a range of ±1.
    let single = objective(None, Direction::AtLeast, None, &[("2026-01-01", 7.0)]);
    let chart = trend_chart(&single, area).unwrap();
    assert_eq!((chart.points[0].x, chart.points[0].y), (50.0, 25.0));
    assert_eq!((chart.min, chart.max, chart.target_y), (6.0, 8.0, None));

    assert_eq!(trend_chart(&at_least(None, &[]), area), None);
}

#[test]
fn measurements_are_added_edited_and_deleted() {
    let (mut ws, id) = workspace_with_objective();
    let first = ws
        .add_measurement(&id, &measurement("2026-01-31", "8,5"), NOW + 2)
        .unwrap();
    let second = ws
        .add_measurement(
            &id,
            &MeasurementDraft {
                note: "  Q1 campaign ".into(),
                ..measurement("2026-03-31", "6")
            },
            NOW + 3,
        )
        .unwrap();
    let o = ws.objective(&id).unwrap().unwrap();
    assert_eq!(o.measurements.len(), 2);
    assert_eq!(o.measurements[&first].value, 8.5);
    assert_eq!(o.measurements[&first].recorded_by, "Ada");
    assert_eq!(o.measurements[&second].note, "Q1 campaign");

    ws.edit_measurement(&id, &first, &measurement("2026-02-01", "7"), NOW + 4)
        .unwrap();
    let heads = ws.automerge().get_heads();
    ws.edit_measurement(&id, &first, &measurement("2026-02-01", "7"), NOW + 5)
        .unwrap();
    assert_eq!(
        ws.automerge().get_heads(),
        heads,
        "an unchanged edit commits nothing"
    );

    let deleted = ws.delete_measurement(&id, &second, NOW + 6).unwrap();
    assert_eq!(deleted.value, 6.0);
    assert!(matches!(
        ws.delete_measurement(&id, &second, NOW + 7),
        Err(CommandError::NotFound("measurement"))
    ));
    assert!(matches!(
        ws.add_measurement("nope", &measurement("2026-01-31", "1"), NOW + 7),
        Err(CommandError::ObjectiveNotFound)
    ));

    assert_eq!(
        messages(&mut ws)[2..],
        [
            "Recorded 8.5% on 2026-01-31 for objective “Phishing click rate”",
            "Recorded 6% on 2026-03-31 for objective “Phishing click rate”",
            "Changed the measurement of 2026-01-31 for objective “Phishing click rate”: \
             date 2026-01-31 → 2026-02-01; value 8.5% → 7%",
            "Deleted the measurement of 2026-03-31 (6%) from objective “Phishing click rate”",
        ]
    );
}

#[test]
fn bad_measurements_give_field_messages_and_store_nothing() {
    let (mut ws, id) = workspace_with_objective();
    let heads = ws.automerge().get_heads();
    let errors = invalid(ws.add_measurement(&id, &measurement("", ""), NOW + 2));
    assert_eq!(
        errors.message(Field::MeasurementDate),
        Some("Enter the day it was measured.")
    );
    assert_eq!(
        errors.message(Field::MeasurementValue),
        Some("Enter the measured value.")
    );
    let errors = invalid(ws.add_measurement(&id, &measurement("31/01/2026", "five"), NOW + 2));
    assert_eq!(
        errors.message(Field::MeasurementDate),
        Some("Enter a real date as YYYY-MM-DD.")
    );
    assert_eq!(
        errors.message(Field::MeasurementValue),
        Some("Enter a number, for example 95 or 2.5.")
    );
    assert_eq!(ws.automerge().get_heads(), heads);

    let m = ws
        .add_measurement(&id, &measurement("2026-01-31", "4"), NOW + 3)
        .unwrap();
    let heads = ws.automerge().get_heads();
    invalid(ws.edit_measurement(&id, &m, &measurement("2026-01-31", "x"), NOW + 4));
    assert_eq!(ws.automerge().get_heads(), heads);
    assert_eq!(
        ws.objective(&id).unwrap().unwrap().measurements[&m].value,
        4.0
    );
}

#[test]
fn the_plan_is_edited_apart_from_the_objective_form() {
    let (mut ws, id) = workspace_with_objective();
    let plan = ObjectivePlanDraft {
        plan: " Quarterly phishing simulations ".into(),
        resources: "Simulation tool, 2 days a quarter".into(),
        monitor_months: " 3 ".into(),
        ..Default::default()
    };
    ws.edit_objective_plan(&id, &plan, NOW + 2).unwrap();
    ws.add_measurement(&id, &measurement("2026-01-31", "4"), NOW + 3)
        .unwrap();
    // The objective form leaves the plan and the measurements alone.
    ws.edit_objective(&id, &draft("Phishing click rate", "3"), NOW + 4)
        .unwrap();
    let o = ws.objective(&id).unwrap().unwrap();
    assert_eq!(o.plan, "Quarterly phishing simulations");
    assert_eq!(o.resources, "Simulation tool, 2 days a quarter");
    assert_eq!(o.monitor_months, Some(3));
    assert_eq!(o.direction, Direction::AtMost);
    assert_eq!(o.policy_id, None);
    assert_eq!(o.measurements.len(), 1);
    assert_eq!(o.target, Some(3.0));
    assert_eq!(
        messages(&mut ws)[2],
        "Changed the plan of objective “Phishing click rate”: what will be done; resources; \
         monitoring plan"
    );

    let heads = ws.automerge().get_heads();
    let errors = invalid(ws.edit_objective_plan(
        &id,
        &ObjectivePlanDraft {
            policy_id: "01NOSUCHPOLICY".into(),
            ..plan.clone()
        },
        NOW + 5,
    ));
    assert_eq!(
        errors.message(Field::ObjectivePolicy),
        Some("Choose a policy from the list; this one no longer exists.")
    );
    assert_eq!(ws.automerge().get_heads(), heads);
    assert_eq!(Direction::from_slug("at-most"), Some(Direction::AtMost));
}

#[test]
fn concurrent_measurements_and_objective_edits_merge() {
    let (mut ada, id) = workspace_with_objective();
    let shared = ada
        .add_measurement(&id, &measurement("2026-01-31", "9"), NOW + 2)
        .unwrap();
    let mut bob = fork(&mut ada, "Bob");

    let a = ada
        .add_measurement(&id, &measurement("2026-02-28", "7"), NOW + 3)
        .unwrap();
    ada.edit_measurement(&id, &shared, &measurement("2026-01-31", "8"), NOW + 4)
        .unwrap();
    let b = bob
        .add_measurement(&id, &measurement("2026-03-31", "5"), NOW + 5)
        .unwrap();
    bob.edit_objective(&id, &draft("Phishing click rate (all staff)", "4"), NOW + 6)
        .unwrap();
    bob.edit_measurement(
        &id,
        &shared,
        &MeasurementDraft {
            note: "Excludes contractors".into(),
            ..measurement("2026-01-31", "9")
        },
        NOW + 7,
    )
    .unwrap();

    ada.automerge().merge(bob.automerge()).unwrap();
    bob.automerge().merge(ada.automerge()).unwrap();
    assert_eq!(ada.read().unwrap(), bob.read().unwrap());
    let o = ada.objective(&id).unwrap().unwrap();
    assert_eq!(o.title, "Phishing click rate (all staff)");
    assert_eq!(o.target, Some(4.0));
    assert_eq!(o.measurements.len(), 3);
    assert_eq!(o.measurements[&a].value, 7.0);
    assert_eq!(o.measurements[&b].value, 5.0);
    assert_eq!(o.measurements[&shared].value, 8.0, "Ada's value survives");
    assert_eq!(
        o.measurements[&shared].note, "Excludes contractors",
        "Bob's note survives"
    );
}

#[test]
fn concurrent_first_measurements_of_a_new_objective_both_survive() {
    let (mut ada, id) = workspace_with_objective();
    let mut bob = fork(&mut ada, "Bob");
    let a = ada
        .add_measurement(&id, &measurement("2026-01-31", "9"), NOW + 2)
        .unwrap();
    let b = bob
        .add_measurement(&id, &measurement("2026-02-28", "7"), NOW + 3)
        .unwrap();
    ada.automerge().merge(bob.automerge()).unwrap();
    let o = ada.objective(&id).unwrap().unwrap();
    assert_eq!(o.measurements.len(), 2);
    assert_eq!(o.measurements[&a].recorded_by, "Ada");
    assert_eq!(o.measurements[&b].recorded_by, "Bob");
}

#[test]
fn an_objective_links_to_an_existing_policy() {
    let (mut ws, id) = workspace_with_objective();
    let policy = ws
        .add_policy(
            &charter::workspace::policies::PolicyDraft {
                title: "Information security policy".into(),
                ..Default::default()
            },
            "We protect information.",
            NOW + 2,
        )
        .unwrap();
    let plan = ObjectivePlanDraft {
        policy_id: policy.clone(),
        ..Default::default()
    };
    ws.edit_objective_plan(&id, &plan, NOW + 3).unwrap();
    assert_eq!(ws.objective(&id).unwrap().unwrap().policy_id, Some(policy));
}

#[test]
fn a_restored_objective_keeps_its_measurements_and_plan() {
    let (mut ws, id) = workspace_with_objective();
    ws.add_measurement(&id, &measurement("2026-01-31", "4"), NOW + 2)
        .unwrap();
    let plan = ObjectivePlanDraft {
        plan: "Simulations".into(),
        ..Default::default()
    };
    ws.edit_objective_plan(&id, &plan, NOW + 3).unwrap();
    let deleted = ws.delete_objective(&id, NOW + 4).unwrap();
    assert!(matches!(
        ws.add_measurement(&id, &measurement("2026-02-28", "3"), NOW + 5),
        Err(CommandError::ObjectiveNotFound)
    ));
    ws.restore_objective(&id, &deleted, NOW + 5).unwrap();
    let restored = ws.objective(&id).unwrap().unwrap();
    assert_eq!(restored, deleted);
    assert_eq!(restored.measurements.len(), 1);
    assert_eq!(restored.plan, "Simulations");
}

#[test]
fn overdue_objectives_are_listed_oldest_first() {
    let (mut ws, late) = workspace_with_objective();
    let met = ws
        .add_objective(&draft("Backups tested", "100"), NOW + 2)
        .unwrap();
    ws.add_measurement(&met, &measurement("2026-12-01", "100"), NOW + 3)
        .unwrap();
    let mut open = draft("Patch latency", "14");
    open.due = String::new();
    ws.add_objective(&open, NOW + 4).unwrap();
    let state = ws.read().unwrap();
    assert_eq!(overdue_objectives(&state, day("2027-01-01")), vec![&late]);
    assert!(overdue_objectives(&state, day("2026-12-31")).is_empty());
}

#[test]
fn dates_of_times_round_trip_through_day_numbers() {
    assert_eq!(date_of(0), "1970-01-01");
    assert_eq!(date_of(-1), "1969-12-31");
    for date in ["2000-02-29", "2024-12-31", "2026-03-01", "2100-02-28"] {
        let at = day(date) * 86_400_000 + 43_200_000;
        assert_eq!(date_of(at), date);
        assert_eq!(day_of(at), day(date));
    }
}
