//! Native tests of how an objective is assessed and ends (clauses 6.2, 9.1):
//! a target needs its direction, health starts "Not assessed" and follows the
//! measurements unless a person gives a reason, an overdue objective is never
//! "On track", owners come from People, the monitoring plan says when the
//! next measurement is due, and objectives close with an evaluation instead
//! of being deleted.
#![cfg(not(target_arch = "wasm32"))]

use charter::workspace::assessment::{
    Basis, ClosingDraft, ObjectiveStatus, add_months, assessed_health, measurement_due,
    next_measurement_due, serves_policy_warning,
};
use charter::workspace::measurements::{
    Direction, MeasurementDraft, ObjectivePlanDraft, day_number, day_of, overdue_objectives,
};
use charter::workspace::overview::Overview;
use charter::workspace::policies::{PolicyDraft, PolicyKind, PolicyStatus};
use charter::workspace::roles::PersonDraft;
use charter::workspace::{CommandError, Field, Health, ObjectiveDraft, WorkspaceDoc};

/// 2026-05-28, midday UTC.
const NOW: i64 = 1_779_969_600_000;

fn day(date: &str) -> i64 {
    day_number(date).unwrap()
}

fn invalid<T: std::fmt::Debug>(
    result: Result<T, CommandError>,
) -> charter::workspace::ValidationErrors {
    match result {
        Err(CommandError::Invalid(errors)) => errors,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

/// "Phishing click rate below 5%": lower is better.
fn phishing() -> ObjectiveDraft {
    ObjectiveDraft {
        title: "Phishing click rate".into(),
        target: "5".into(),
        unit: "%".into(),
        direction: Some(Direction::AtMost),
        due: "2026-12-31".into(),
        ..Default::default()
    }
}

fn measure(ws: &mut WorkspaceDoc, id: &str, date: &str, value: &str, now: i64) {
    ws.add_measurement(
        id,
        &MeasurementDraft {
            date: date.into(),
            value: value.into(),
            note: String::new(),
        },
        now,
    )
    .unwrap();
}

fn workspace() -> WorkspaceDoc {
    WorkspaceDoc::create("Acme Ltd", "All offices", "Ada", NOW).unwrap()
}

#[test]
fn a_target_is_refused_without_its_direction() {
    let mut ws = workspace();
    let heads = ws.automerge().get_heads();
    let errors = invalid(ws.add_objective(
        &ObjectiveDraft {
            direction: None,
            ..phishing()
        },
        NOW,
    ));
    assert_eq!(
        errors.message(Field::Direction),
        Some("Choose whether the target is a floor to reach or a ceiling to stay under.")
    );
    assert_eq!(ws.automerge().get_heads(), heads, "nothing was written");
}

#[test]
fn a_new_objective_is_not_assessed_and_measurements_decide_its_health() {
    let mut ws = workspace();
    let id = ws.add_objective(&phishing(), NOW).unwrap();
    let today = day("2026-06-01");
    let o = ws.objective(&id).unwrap().unwrap();
    assert_eq!(o.health, Health::NotAssessed);
    assert_eq!(
        assessed_health(&o, today),
        (Health::NotAssessed, Basis::Nothing)
    );
    let overview = Overview::of(&ws.read().unwrap(), "2026-06-01");
    assert_eq!(overview.with_health(Health::NotAssessed), 1);
    assert_eq!(overview.with_health(Health::OnTrack), 0);

    // 30% against "at most 5%": far from the target, never "On track".
    measure(&mut ws, &id, "2026-05-31", "30", NOW + 1);
    let o = ws.objective(&id).unwrap().unwrap();
    assert_eq!(
        assessed_health(&o, today),
        (Health::AtRisk, Basis::Measurements)
    );
    measure(&mut ws, &id, "2026-06-01", "31", NOW + 2);
    let o = ws.objective(&id).unwrap().unwrap();
    assert_eq!(
        assessed_health(&o, today),
        (Health::OffTrack, Basis::Measurements)
    );
    let overview = Overview::of(&ws.read().unwrap(), "2026-06-01");
    assert_eq!(overview.by_health, [0, 0, 0, 1]);
}

#[test]
fn a_health_the_measurements_do_not_support_needs_a_reason() {
    let mut ws = workspace();
    let id = ws.add_objective(&phishing(), NOW).unwrap();
    let today = day_of(NOW + 10);

    // No measurement yet: any assessment must say what it rests on.
    let errors = invalid(ws.edit_objective(
        &id,
        &ObjectiveDraft {
            health: Health::AtRisk,
            ..phishing()
        },
        NOW + 1,
    ));
    assert_eq!(
        errors.message(Field::HealthReason),
        Some("No measurement supports this yet. Say what the assessment rests on.")
    );

    // The measurements say "at risk"; "on track" needs a reason.
    measure(&mut ws, &id, "2026-05-27", "9", NOW + 2);
    let errors = invalid(ws.edit_objective(
        &id,
        &ObjectiveDraft {
            health: Health::OnTrack,
            ..phishing()
        },
        NOW + 3,
    ));
    assert_eq!(
        errors.message(Field::HealthReason),
        Some("The measurements suggest at risk. Say why you assess it as on track.")
    );
    // Agreeing with the measurements needs none.
    ws.edit_objective(
        &id,
        &ObjectiveDraft {
            health: Health::AtRisk,
            ..phishing()
        },
        NOW + 4,
    )
    .unwrap();

    let reason = "The new mail filter went live on 1 June; June's figure will drop.";
    ws.edit_objective(
        &id,
        &ObjectiveDraft {
            health: Health::OnTrack,
            health_reason: reason.into(),
            ..phishing()
        },
        NOW + 5,
    )
    .unwrap();
    let o = ws.objective(&id).unwrap().unwrap();
    assert_eq!(
        assessed_health(&o, today),
        (Health::OnTrack, Basis::Judgement(reason))
    );

    // Back to "Not assessed": the reason goes with it, the measurements speak again.
    ws.edit_objective(
        &id,
        &ObjectiveDraft {
            health: Health::NotAssessed,
            health_reason: reason.into(),
            ..phishing()
        },
        NOW + 6,
    )
    .unwrap();
    let o = ws.objective(&id).unwrap().unwrap();
    assert_eq!(o.health_reason, "");
    assert_eq!(
        assessed_health(&o, today),
        (Health::AtRisk, Basis::Measurements)
    );
}

#[test]
fn an_overdue_objective_never_shows_on_track() {
    let mut ws = workspace();
    let id = ws
        .add_objective(
            &ObjectiveDraft {
                due: "2026-05-01".into(),
                health: Health::OnTrack,
                health_reason: "The supplier promised the fix.".into(),
                ..phishing()
            },
            NOW,
        )
        .unwrap();
    measure(&mut ws, &id, "2026-04-30", "8", NOW + 1);
    let o = ws.objective(&id).unwrap().unwrap();
    assert_eq!(
        assessed_health(&o, day("2026-05-01")),
        (
            Health::OnTrack,
            Basis::Judgement("The supplier promised the fix.")
        )
    );
    assert_eq!(
        assessed_health(&o, day("2026-05-02")),
        (Health::OffTrack, Basis::Overdue)
    );
    let overview = Overview::of(&ws.read().unwrap(), "2026-05-02");
    assert_eq!(
        (overview.overdue, overview.with_health(Health::OnTrack)),
        (1, 0)
    );
}

#[test]
fn owners_are_people_and_replace_an_owner_typed_earlier() {
    let mut ws = workspace();
    let grace = ws
        .add_person(
            &PersonDraft {
                name: "Grace Hopper".into(),
                title: "CISO".into(),
                email: String::new(),
            },
            NOW,
        )
        .unwrap();
    let errors = invalid(ws.add_objective(
        &ObjectiveDraft {
            owner_id: "01NOSUCHPERSON".into(),
            ..phishing()
        },
        NOW + 1,
    ));
    assert_eq!(
        errors.message(Field::Owner),
        Some("Choose the owner from People.")
    );

    let id = ws.add_objective(&phishing(), NOW + 2).unwrap();
    // An objective from before owners were People keeps its typed owner...
    let mut old = ws.objective(&id).unwrap().unwrap();
    old.owner = "G. Hopper".into();
    {
        let doc = ws.automerge();
        use automerge::transaction::Transactable;
        use automerge::{ROOT, ReadDoc};
        let (_, objectives) = doc.get(ROOT, "objectives").unwrap().unwrap();
        let (_, record) = doc.get(&objectives, &id).unwrap().unwrap();
        doc.put(&record, "owner", "G. Hopper").unwrap();
        doc.commit();
    }
    ws.edit_objective(
        &id,
        &ObjectiveDraft {
            function: " IT operations ".into(),
            ..phishing()
        },
        NOW + 3,
    )
    .unwrap();
    let o = ws.objective(&id).unwrap().unwrap();
    assert_eq!(
        (o.owner.as_str(), o.owner_id.as_deref()),
        ("G. Hopper", None)
    );
    assert_eq!(o.function, "IT operations");
    // ...until a person is chosen.
    ws.edit_objective(
        &id,
        &ObjectiveDraft {
            owner_id: grace.clone(),
            ..phishing()
        },
        NOW + 4,
    )
    .unwrap();
    let o = ws.objective(&id).unwrap().unwrap();
    assert_eq!(
        (o.owner.as_str(), o.owner_id.as_deref()),
        ("", Some(grace.as_str()))
    );
}

#[test]
fn months_are_added_to_the_same_day_or_the_month_end() {
    assert_eq!(add_months("2026-01-31", 1).as_deref(), Some("2026-02-28"));
    assert_eq!(add_months("2028-01-31", 1).as_deref(), Some("2028-02-29"));
    assert_eq!(add_months("2026-11-15", 3).as_deref(), Some("2027-02-15"));
    assert_eq!(add_months("2026-12-31", 12).as_deref(), Some("2027-12-31"));
    assert_eq!(add_months("2026-05-28", 0).as_deref(), Some("2026-05-28"));
    assert_eq!(add_months("not a date", 1), None);
}

#[test]
fn the_monitoring_plan_says_when_a_measurement_is_due() {
    let mut ws = workspace();
    let sofia = ws
        .add_person(
            &PersonDraft {
                name: "Sofia Marquez".into(),
                title: "Head of People".into(),
                email: String::new(),
            },
            NOW,
        )
        .unwrap();
    let id = ws.add_objective(&phishing(), NOW).unwrap();
    let plan = |months: &str, by: &str| ObjectivePlanDraft {
        monitor_months: months.into(),
        measured_by: by.into(),
        analysed_by: by.into(),
        ..Default::default()
    };
    for bad in ["0", "37", "x", "1.5", "-1"] {
        let errors = invalid(ws.edit_objective_plan(&id, &plan(bad, ""), NOW + 1));
        assert_eq!(
            errors.message(Field::MonitorEvery),
            Some("Enter a whole number of months from 1 to 36, or leave it empty."),
            "{bad}"
        );
    }
    let errors = invalid(ws.edit_objective_plan(&id, &plan("1", "01NOBODY"), NOW + 1));
    assert_eq!(
        errors.message(Field::MeasuredBy),
        Some("Choose someone from People.")
    );
    assert_eq!(
        errors.message(Field::AnalysedBy),
        Some("Choose someone from People.")
    );

    ws.edit_objective_plan(&id, &plan("3", &sofia), NOW + 2)
        .unwrap();
    let o = ws.objective(&id).unwrap().unwrap();
    assert_eq!(
        (o.measured_by.as_deref(), o.analysed_by.as_deref()),
        (Some(sofia.as_str()), Some(sofia.as_str()))
    );
    // Not measured yet: due three months after it was added (28 May).
    assert_eq!(next_measurement_due(&o).as_deref(), Some("2026-08-28"));
    assert!(!measurement_due(&o, day("2026-08-27")));
    assert!(measurement_due(&o, day("2026-08-28")));
    // A measurement moves the next one on.
    measure(&mut ws, &id, "2026-08-30", "6", NOW + 3);
    let o = ws.objective(&id).unwrap().unwrap();
    assert_eq!(next_measurement_due(&o).as_deref(), Some("2026-11-30"));
    assert!(!measurement_due(&o, day("2026-09-01")));
    let overview = Overview::of(&ws.read().unwrap(), "2026-12-01");
    assert_eq!(overview.measurements_due, 1);
    assert!(overview.needs_attention());
    // Without an interval there is no plan, and nothing is ever due.
    ws.edit_objective_plan(&id, &plan("", ""), NOW + 4).unwrap();
    let o = ws.objective(&id).unwrap().unwrap();
    assert_eq!(next_measurement_due(&o), None);
}

#[test]
fn objectives_close_with_an_evaluation_and_stay_as_evidence() {
    let mut ws = workspace();
    let id = ws
        .add_objective(
            &ObjectiveDraft {
                due: "2026-05-01".into(),
                ..phishing()
            },
            NOW,
        )
        .unwrap();
    let overview = Overview::of(&ws.read().unwrap(), "2026-06-01");
    assert_eq!((overview.objectives, overview.overdue), (1, 1));

    let errors = invalid(ws.close_objective(&id, &ClosingDraft::default(), NOW + 1));
    assert_eq!(
        errors.message(Field::ClosingStatus),
        Some("Choose how the objective ends.")
    );
    assert_eq!(
        errors.message(Field::ClosingEvaluation),
        Some("Write the closing evaluation: what was reached, and what was learnt.")
    );
    let errors = invalid(ws.close_objective(
        &id,
        &ClosingDraft {
            status: Some(ObjectiveStatus::Open),
            evaluation: "x".into(),
        },
        NOW + 1,
    ));
    assert!(errors.message(Field::ClosingStatus).is_some());

    ws.close_objective(
        &id,
        &ClosingDraft {
            status: Some(ObjectiveStatus::NotAchieved),
            evaluation: "  Clicks fell to 7%, not 5%. Carried into next year's objective.  ".into(),
        },
        NOW + 2,
    )
    .unwrap();
    let state = ws.read().unwrap();
    let o = &state.objectives[&id];
    assert_eq!(o.status, ObjectiveStatus::NotAchieved);
    let closing = o.closing.as_ref().unwrap();
    assert_eq!(
        closing.evaluation,
        "Clicks fell to 7%, not 5%. Carried into next year's objective."
    );
    assert_eq!((closing.by.as_str(), closing.at), ("Ada", NOW + 2));
    // Kept, but no longer counted as open, overdue or needing a measurement.
    assert!(state.open_objectives().is_empty());
    assert!(overdue_objectives(&state, day("2026-06-01")).is_empty());
    let overview = Overview::of(&state, "2026-06-01");
    assert_eq!((overview.objectives, overview.overdue), (0, 0));

    assert!(matches!(
        ws.close_objective(
            &id,
            &ClosingDraft {
                status: Some(ObjectiveStatus::Withdrawn),
                evaluation: "again".into(),
            },
            NOW + 3,
        ),
        Err(CommandError::NotAllowed(_))
    ));
    ws.reopen_objective(&id, NOW + 4).unwrap();
    let o = ws.objective(&id).unwrap().unwrap();
    assert_eq!((o.status, o.closing), (ObjectiveStatus::Open, None));
    let messages: Vec<String> = ws
        .automerge()
        .get_changes(&[])
        .iter()
        .filter_map(|c| c.message().map(str::to_owned))
        .collect();
    assert!(
        messages.contains(&"Closed objective “Phishing click rate” as not achieved".to_owned())
    );
    assert!(messages.contains(&"Reopened objective “Phishing click rate”".to_owned()));
}

#[test]
fn an_objective_serves_the_information_security_policy_in_force() {
    let mut ws = workspace();
    let policy = |title: &str, kind| PolicyDraft {
        title: title.into(),
        kind,
        owner: String::new(),
        review_due: String::new(),
    };
    let main = ws
        .add_policy(
            &policy(
                "Information security policy",
                PolicyKind::InformationSecurity,
            ),
            "Text",
            NOW,
        )
        .unwrap();
    let topic = ws
        .add_policy(
            &policy("Backup policy", PolicyKind::TopicSpecific),
            "Text",
            NOW + 1,
        )
        .unwrap();
    let state = ws.read().unwrap();
    assert_eq!(
        serves_policy_warning(&state, &main).as_deref(),
        Some("This information security policy is not in force: it is draft.")
    );
    assert_eq!(
        serves_policy_warning(&state, &topic).as_deref(),
        Some(
            "This is a topic-specific policy. Objectives are set consistent with the \
             information security policy (6.2 a)."
        )
    );
    assert_eq!(
        serves_policy_warning(&state, "01GONE").as_deref(),
        Some("That policy was deleted. Choose the information security policy.")
    );
    ws.set_policy_status(&main, PolicyStatus::InReview, NOW + 2)
        .unwrap();
    ws.approve_policy(&main, &charter::workspace::policies::ATTESTS_5_2, NOW + 3)
        .unwrap();
    assert_eq!(serves_policy_warning(&ws.read().unwrap(), &main), None);
}
