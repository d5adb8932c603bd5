//! Native tests of the implementation plan (issue 13): stages with owners,
//! dates and dependencies that never make a circle, the ISO 27001
//! template, stages done only when the record they produce is approved,
//! and the timeline's geometry.
#![cfg(not(target_arch = "wasm32"))]

use charter::workspace::plan::{
    PLAN_TEMPLATE, Produces, StageDraft, StageState, StageStatus, find_cycle, plan_circle,
    slippage, stage_done, stage_state, stages_in_order, template_schedule, timeline, waiting_for,
};
use charter::workspace::policies::{ATTESTS_5_2, PolicyDraft, PolicyKind, PolicyStatus};
use charter::workspace::roles::PersonDraft;
use charter::workspace::{CommandError, Field, WorkspaceDoc};

const NOW: i64 = 1_780_000_000_000;

struct Setup {
    doc: WorkspaceDoc,
    priya: String,
}

fn setup() -> Setup {
    let mut doc = WorkspaceDoc::create("Alder & Finch", "All offices", "Priya", NOW).unwrap();
    let priya = doc
        .add_person(
            &PersonDraft {
                name: "Priya Raman".into(),
                title: "CISO".into(),
                email: String::new(),
            },
            NOW,
        )
        .unwrap();
    Setup { doc, priya }
}

fn draft(s: &Setup, title: &str, start: &str, deadline: &str, after: &[&str]) -> StageDraft {
    StageDraft {
        title: title.into(),
        owner: s.priya.clone(),
        start: start.into(),
        deadline: deadline.into(),
        status: StageStatus::NotStarted,
        depends_on: after.iter().map(|a| (*a).to_owned()).collect(),
        produces: String::new(),
    }
}

fn add(s: &mut Setup, title: &str, start: &str, deadline: &str, after: &[&str]) -> String {
    let d = draft(s, title, start, deadline, after);
    s.doc.add_stage(&d, NOW).unwrap()
}

fn invalid(
    result: Result<impl std::fmt::Debug, CommandError>,
) -> charter::workspace::ValidationErrors {
    match result {
        Err(CommandError::Invalid(errors)) => errors,
        other => panic!("expected validation errors, got {other:?}"),
    }
}

#[test]
fn a_direct_circle_is_refused_with_the_stages_named_and_nothing_stored() {
    let mut s = setup();
    let scope = add(&mut s, "Scope", "2026-01-05", "2026-01-20", &[]);
    let risk = add(
        &mut s,
        "Risk assessment",
        "2026-01-21",
        "2026-02-28",
        &[&scope],
    );
    let heads = s.doc.automerge().get_heads();
    let d = draft(&s, "Scope", "2026-01-05", "2026-01-20", &[&risk]);
    let errors = invalid(s.doc.edit_stage(&scope, &d, NOW + 1));
    assert_eq!(
        errors.message(Field::StageDependsOn),
        Some(
            "This would make a circle: “Scope” waits for “Risk assessment”, which waits for \
             “Scope”."
        )
    );
    assert_eq!(s.doc.automerge().get_heads(), heads, "nothing stored");
    assert!(s.doc.stage(&scope).unwrap().unwrap().depends_on.is_empty());
    // Waiting for itself is refused too.
    let d = draft(&s, "Scope", "2026-01-05", "2026-01-20", &[&scope]);
    let errors = invalid(s.doc.edit_stage(&scope, &d, NOW + 1));
    assert_eq!(
        errors.message(Field::StageDependsOn),
        Some("A stage cannot wait for itself.")
    );
    // So is a stage that is not in the plan.
    let d = draft(&s, "Scope", "2026-01-05", "2026-01-20", &["01NOSUCHSTAGE"]);
    assert!(
        invalid(s.doc.add_stage(&d, NOW + 1))
            .message(Field::StageDependsOn)
            .is_some()
    );
    assert_eq!(s.doc.automerge().get_heads(), heads, "nothing stored");
}

#[test]
fn a_circle_through_three_stages_is_refused() {
    let mut s = setup();
    let a = add(&mut s, "Scope", "2026-01-05", "2026-01-20", &[]);
    let b = add(&mut s, "Policy", "2026-01-21", "2026-02-10", &[&a]);
    let c = add(&mut s, "Risk assessment", "2026-02-11", "2026-03-10", &[&b]);
    let heads = s.doc.automerge().get_heads();
    // The circle in ids, shortest first.
    let ws = s.doc.read().unwrap();
    assert_eq!(
        find_cycle(&ws.stages, &a, std::slice::from_ref(&c)),
        Some(vec![a.clone(), c.clone(), b.clone(), a.clone()])
    );
    assert_eq!(find_cycle(&ws.stages, &c, std::slice::from_ref(&a)), None);
    // The title as typed names the stage being edited.
    let d = draft(&s, "ISMS scope", "2026-01-05", "2026-01-20", &[&c]);
    let errors = invalid(s.doc.edit_stage(&a, &d, NOW + 1));
    assert_eq!(
        errors.message(Field::StageDependsOn),
        Some(
            "This would make a circle: “ISMS scope” waits for “Risk assessment”, which waits \
             for “Policy”, which waits for “ISMS scope”."
        )
    );
    assert_eq!(s.doc.automerge().get_heads(), heads, "nothing stored");
    let stored = s.doc.stage(&a).unwrap().unwrap();
    assert_eq!(stored.title, "Scope");
    assert!(stored.depends_on.is_empty());
    // Waiting for an earlier stage along another path is no circle.
    let d = draft(&s, "Risk assessment", "2026-02-11", "2026-03-10", &[&b, &a]);
    s.doc.edit_stage(&c, &d, NOW + 2).unwrap();
    assert_eq!(s.doc.stage(&c).unwrap().unwrap().depends_on, [b, a]);
    assert_eq!(plan_circle(&s.doc.read().unwrap().stages), None);
}

#[test]
fn a_circle_merged_from_two_offline_edits_is_found() {
    let mut s = setup();
    let a = add(&mut s, "Scope", "2026-01-05", "2026-01-20", &[]);
    let b = add(&mut s, "Policy", "2026-01-21", "2026-02-10", &[]);
    let bytes = s.doc.automerge().save();
    let mut other =
        WorkspaceDoc::from_automerge(automerge::AutoCommit::load(&bytes).unwrap(), "Bob");
    let d = draft(&s, "Scope", "2026-01-05", "2026-01-20", &[&b]);
    s.doc.edit_stage(&a, &d, NOW + 1).unwrap();
    let d = draft(&s, "Policy", "2026-01-21", "2026-02-10", &[&a]);
    other.edit_stage(&b, &d, NOW + 1).unwrap();
    s.doc.automerge().merge(other.automerge()).unwrap();
    let circle = plan_circle(&s.doc.read().unwrap().stages).unwrap();
    assert_eq!(circle.len(), 3);
    assert_eq!(circle.first(), circle.last());
}

#[test]
fn a_deadline_before_the_start_and_other_bad_fields_are_refused() {
    let mut s = setup();
    let d = draft(&s, "Scope", "2026-02-01", "2026-01-31", &[]);
    let errors = invalid(s.doc.add_stage(&d, NOW));
    assert_eq!(
        errors.message(Field::StageDeadline),
        Some("The deadline cannot be before the start.")
    );
    assert_eq!(errors.0.len(), 1);
    let bad = StageDraft {
        title: "  ".into(),
        owner: "01NOBODY".into(),
        start: "soon".into(),
        deadline: "2026-02-30".into(),
        produces: "audits:1".into(),
        ..Default::default()
    };
    let errors = invalid(s.doc.add_stage(&bad, NOW));
    assert_eq!(
        errors.message(Field::StageTitle),
        Some("Enter the stage's title.")
    );
    assert_eq!(
        errors.message(Field::StageOwner),
        Some("Choose who owns this stage from People.")
    );
    assert_eq!(
        errors.message(Field::StageStart),
        Some("Enter the start as YYYY-MM-DD.")
    );
    assert_eq!(
        errors.message(Field::StageDeadline),
        Some("Enter the deadline as YYYY-MM-DD.")
    );
    assert!(errors.message(Field::StageProduces).is_some());
    // A linked record must exist; "link one later" is fine.
    let missing = StageDraft {
        produces: "policies:01NOSUCHPOLICY".into(),
        ..draft(&s, "Policy", "2026-01-01", "2026-01-31", &[])
    };
    assert!(
        invalid(s.doc.add_stage(&missing, NOW))
            .message(Field::StageProduces)
            .is_some()
    );
    assert!(s.doc.read().unwrap().stages.is_empty());
    let later = StageDraft {
        produces: "policies:".into(),
        ..missing
    };
    // The deadline may be the start's day.
    let one_day = StageDraft {
        deadline: "2026-01-01".into(),
        ..later
    };
    s.doc.add_stage(&one_day, NOW).unwrap();
}

#[test]
fn the_template_writes_eleven_stages_in_order_in_one_change() {
    let mut s = setup();
    let before = s.doc.automerge().get_changes(&[]).len();
    let errors = invalid(s.doc.add_plan_template("January", "01NOBODY", NOW));
    assert!(errors.message(Field::StageStart).is_some());
    assert!(errors.message(Field::StageOwner).is_some());
    s.doc
        .add_plan_template("2026-01-05", &s.priya.clone(), NOW)
        .unwrap();
    assert_eq!(s.doc.automerge().get_changes(&[]).len(), before + 1);
    let ws = s.doc.read().unwrap();
    let list = stages_in_order(&ws.stages);
    let titles: Vec<&str> = list.iter().map(|(_, st)| st.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Gap analysis",
            "ISMS scope (4.3)",
            "Information security policy (5.2)",
            "Risk assessment (6.1.2)",
            "Statement of Applicability (6.1.3 d)",
            "Risk treatment and controls (6.1.3, 8.3)",
            "Awareness and training (7.2, 7.3)",
            "Internal audit (9.2)",
            "Management review (9.3)",
            "Certification audit stage 1",
            "Certification audit stage 2",
        ]
    );
    let ids: Vec<&String> = list.iter().map(|(id, _)| *id).collect();
    for (i, (id, stage)) in list.iter().enumerate() {
        assert_eq!(stage.order as usize, i + 1);
        assert_eq!(stage.owner, s.priya);
        assert_eq!(stage.status, StageStatus::NotStarted);
        let expected: Vec<String> = PLAN_TEMPLATE[i]
            .after
            .iter()
            .map(|a| ids[*a].clone())
            .collect();
        assert_eq!(stage.depends_on, expected, "{}", stage.title);
        // Every stage starts after what it waits for ends.
        assert_eq!(slippage(&ws, id), None, "{}", stage.title);
        assert!(stage.start <= stage.deadline);
    }
    assert_eq!(list[0].1.start, "2026-01-05");
    assert_eq!(list[0].1.deadline, "2026-01-25");
    assert_eq!(list[1].1.start, "2026-01-26");
    assert!(list.iter().skip(1).all(|(_, st)| !st.depends_on.is_empty()));
    assert_eq!(list[2].1.produces, "policies:");
    assert_eq!(
        Produces::parse(&list[4].1.produces),
        Produces::Soa,
        "the Statement of Applicability"
    );
    assert_eq!(plan_circle(&ws.stages), None);
    assert_eq!(
        template_schedule("2026-01-05").unwrap().last().unwrap().1,
        list[10].1.deadline
    );
    // Once the plan has stages the template is refused.
    let again = s
        .doc
        .add_plan_template("2026-01-05", &s.priya.clone(), NOW + 1);
    match again {
        Err(CommandError::NotAllowed(message)) => assert_eq!(
            message,
            "The plan already has stages; add the ones you need."
        ),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(s.doc.read().unwrap().stages.len(), 11);
}

#[test]
fn a_finished_stage_is_done_only_once_its_policy_is_approved() {
    let mut s = setup();
    let policy = s
        .doc
        .add_policy(
            &PolicyDraft {
                title: "Information security policy".into(),
                kind: PolicyKind::InformationSecurity,
                owner: "CISO".into(),
                review_due: "2027-03-31".into(),
            },
            "# Policy\n\nWe protect our information.\n",
            NOW,
        )
        .unwrap();
    let d = StageDraft {
        status: StageStatus::Finished,
        produces: format!("policies:{policy}"),
        ..draft(
            &s,
            "Information security policy",
            "2026-02-01",
            "2026-02-28",
            &[],
        )
    };
    let id = s.doc.add_stage(&d, NOW).unwrap();
    let ws = s.doc.read().unwrap();
    let stage = &ws.stages[&id];
    assert!(!stage_done(&ws, stage));
    assert_eq!(
        stage_state(&ws, &id, "2026-02-20"),
        StageState::WaitingForApproval
    );
    assert_eq!(
        waiting_for(&ws, stage).as_deref(),
        Some("The policy “Information security policy” is not approved yet.")
    );
    s.doc
        .set_policy_status(&policy, PolicyStatus::InReview, NOW + 1)
        .unwrap();
    s.doc
        .approve_policy(&policy, &ATTESTS_5_2, NOW + 2)
        .unwrap();
    let ws = s.doc.read().unwrap();
    assert!(stage_done(&ws, &ws.stages[&id]));
    assert_eq!(stage_state(&ws, &id, "2026-02-20"), StageState::Done);
    // Done stays done after the deadline.
    assert_eq!(stage_state(&ws, &id, "2026-12-01"), StageState::Done);
    assert_eq!(waiting_for(&ws, &ws.stages[&id]), None);
    // Not finished, the approval alone does not make it done.
    s.doc
        .set_stage_status(&id, StageStatus::InProgress, NOW + 3)
        .unwrap();
    let ws = s.doc.read().unwrap();
    assert!(!stage_done(&ws, &ws.stages[&id]));
    // A stage whose policy is not linked yet is not done when finished.
    let d = StageDraft {
        status: StageStatus::Finished,
        produces: "policies:".into(),
        ..draft(&s, "Topic policies", "2026-02-01", "2026-02-28", &[])
    };
    let unlinked = s.doc.add_stage(&d, NOW + 4).unwrap();
    let ws = s.doc.read().unwrap();
    assert!(!stage_done(&ws, &ws.stages[&unlinked]));
    // A stage that produces nothing is done when finished.
    let d = StageDraft {
        status: StageStatus::Finished,
        ..draft(&s, "Gap analysis", "2026-01-01", "2026-01-31", &[])
    };
    let plain = s.doc.add_stage(&d, NOW + 5).unwrap();
    let ws = s.doc.read().unwrap();
    assert!(stage_done(&ws, &ws.stages[&plain]));
}

#[test]
fn a_stage_past_its_deadline_and_not_done_is_overdue() {
    let mut s = setup();
    let scope = add(&mut s, "Scope", "2026-01-05", "2026-01-20", &[]);
    let ws = s.doc.read().unwrap();
    assert_eq!(
        stage_state(&ws, &scope, "2026-01-04"),
        StageState::NotStarted
    );
    assert_eq!(
        stage_state(&ws, &scope, "2026-01-20"),
        StageState::NotStarted
    );
    assert_eq!(stage_state(&ws, &scope, "2026-01-21"), StageState::Overdue);
    s.doc
        .set_stage_status(&scope, StageStatus::InProgress, NOW + 1)
        .unwrap();
    let ws = s.doc.read().unwrap();
    assert_eq!(
        stage_state(&ws, &scope, "2026-01-10"),
        StageState::InProgress
    );
    assert_eq!(stage_state(&ws, &scope, "2026-02-01"), StageState::Overdue);
    s.doc
        .set_stage_status(&scope, StageStatus::Finished, NOW + 2)
        .unwrap();
    let ws = s.doc.read().unwrap();
    assert_eq!(stage_state(&ws, &scope, "2026-02-01"), StageState::Done);
}

#[test]
fn slippage_counts_the_days_a_dependency_runs_past_the_start() {
    let mut s = setup();
    let scope = add(&mut s, "Scope", "2026-01-05", "2026-01-20", &[]);
    let on_time = add(&mut s, "Policy", "2026-01-21", "2026-02-10", &[&scope]);
    let early = add(&mut s, "Risk", "2026-01-16", "2026-02-10", &[&scope]);
    let ws = s.doc.read().unwrap();
    assert_eq!(slippage(&ws, &on_time), None);
    // Scope is due on the 20th: a stage starting on the 16th starts 5 days early.
    assert_eq!(slippage(&ws, &early), Some(5));
    // Once Scope is done it holds nothing up.
    s.doc
        .set_stage_status(&scope, StageStatus::Finished, NOW + 1)
        .unwrap();
    assert_eq!(slippage(&s.doc.read().unwrap(), &early), None);
}

#[test]
fn the_timeline_spans_the_earliest_start_to_the_latest_deadline() {
    let mut s = setup();
    // Ten days, then ten days, then twenty days in parallel with the second.
    let a = add(&mut s, "Scope", "2026-01-01", "2026-01-10", &[]);
    let b = add(&mut s, "Policy", "2026-01-11", "2026-01-20", &[&a]);
    let c = add(&mut s, "Risk", "2026-01-11", "2026-02-09", &[&a]);
    let ws = s.doc.read().unwrap();
    let t = timeline(&ws, "2026-01-21");
    assert_eq!(t.from, "2026-01-01");
    assert_eq!(t.to, "2026-02-09");
    let close = |x: f64, y: f64| (x - y).abs() < 1e-9;
    assert_eq!(t.rows.len(), 3);
    assert_eq!([&t.rows[0].id, &t.rows[1].id, &t.rows[2].id], [&a, &b, &c]);
    assert!(close(t.rows[0].x, 0.0));
    assert!(close(t.rows[0].width, 0.25));
    assert!(close(t.rows[1].x, 0.25));
    assert!(close(t.rows[1].width, 0.25));
    assert!(close(t.rows[2].x, 0.25));
    assert!(
        close(t.rows[2].x + t.rows[2].width, 1.0),
        "the last ends at 1"
    );
    assert!(close(t.today_x, 0.5));
    assert_eq!(t.rows[0].state, StageState::Overdue);
    assert_eq!(t.rows[1].state, StageState::Overdue);
    assert_eq!(t.rows[2].state, StageState::NotStarted);
    assert!(timeline(&ws, "2025-12-01").today_x < 0.0);
    // An empty plan draws nothing.
    let empty = timeline(&setup().doc.read().unwrap(), "2026-01-01");
    assert!(empty.rows.is_empty());
    assert_eq!(empty.from, "");
}

#[test]
fn stages_move_and_are_deleted_only_when_nothing_waits_for_them() {
    let mut s = setup();
    let a = add(&mut s, "Scope", "2026-01-01", "2026-01-10", &[]);
    let b = add(&mut s, "Policy", "2026-01-11", "2026-01-20", &[&a]);
    let c = add(&mut s, "Risk", "2026-01-11", "2026-02-09", &[&a]);
    let order = |s: &Setup| -> Vec<String> {
        stages_in_order(&s.doc.read().unwrap().stages)
            .into_iter()
            .map(|(id, _)| id.clone())
            .collect()
    };
    assert_eq!(order(&s), [a.clone(), b.clone(), c.clone()]);
    s.doc.move_stage(&c, true, NOW + 1).unwrap();
    assert_eq!(order(&s), [a.clone(), c.clone(), b.clone()]);
    let heads = s.doc.automerge().get_heads();
    s.doc.move_stage(&a, true, NOW + 2).unwrap();
    s.doc.move_stage(&b, false, NOW + 2).unwrap();
    assert_eq!(
        s.doc.automerge().get_heads(),
        heads,
        "nothing moves past an end"
    );
    match s.doc.delete_stage(&a, NOW + 3) {
        Err(CommandError::NotAllowed(message)) => assert_eq!(
            message,
            "“Scope” cannot be deleted while “Risk” and “Policy” wait for it. Change what they \
             wait for first."
        ),
        other => panic!("expected a refusal, got {other:?}"),
    }
    s.doc.delete_stage(&b, NOW + 4).unwrap();
    match s.doc.delete_stage(&a, NOW + 5) {
        Err(CommandError::NotAllowed(message)) => assert_eq!(
            message,
            "“Scope” cannot be deleted while “Risk” waits for it. Change what it waits for first."
        ),
        other => panic!("expected a refusal, got {other:?}"),
    }
    s.doc.delete_stage(&c, NOW + 6).unwrap();
    s.doc.delete_stage(&a, NOW + 7).unwrap();
    assert!(s.doc.read().unwrap().stages.is_empty());
    assert!(matches!(
        s.doc.delete_stage(&a, NOW + 8),
        Err(CommandError::NotFound(_))
    ));
}

#[test]
fn editing_writes_only_what_changed() {
    let mut s = setup();
    let a = add(&mut s, "Scope", "2026-01-01", "2026-01-10", &[]);
    let heads = s.doc.automerge().get_heads();
    let same = draft(&s, " Scope ", "2026-01-01", "2026-01-10", &[]);
    s.doc.edit_stage(&a, &same, NOW + 1).unwrap();
    assert_eq!(s.doc.automerge().get_heads(), heads, "no change, no commit");
    let later = draft(&s, "Scope", "2026-01-01", "2026-01-17", &[]);
    s.doc.edit_stage(&a, &later, NOW + 2).unwrap();
    let stage = s.doc.stage(&a).unwrap().unwrap();
    assert_eq!(stage.deadline, "2026-01-17");
    assert_eq!(stage.order, 1);
    assert_eq!(stage.created_at, NOW);
}

#[test]
fn a_stage_producing_the_scope_is_done_only_once_that_scope_version_is_approved() {
    use charter::workspace::context::ScopeDraft;
    use charter::workspace::roles::{RoleDraft, RoleKind};
    use charter::workspace::signing::DeviceKey;
    let mut s = setup();
    s.doc.set_device_key(Some(DeviceKey::from_seed([7; 32])));
    s.doc.claim_founder(NOW).unwrap();
    let top = s
        .doc
        .add_role(
            &RoleDraft {
                kind: RoleKind::TopManagement,
                ..Default::default()
            },
            NOW,
        )
        .unwrap();
    let priya = s.priya.clone();
    s.doc.set_role_holder(&top, &priya, true, NOW).unwrap();
    s.doc
        .put_forward_key(&priya, "Priya's laptop", NOW)
        .unwrap();
    let version = s
        .doc
        .add_scope_version(
            &ScopeDraft {
                statement: "The booking platform.".into(),
                boundaries: "In: booking. Out: the canteen.".into(),
                ..Default::default()
            },
            NOW,
        )
        .unwrap();
    // The template's scope stage produces a scope version, to be linked.
    s.doc.add_plan_template("2026-01-05", &priya, NOW).unwrap();
    let ws = s.doc.read().unwrap();
    let (scope_stage, stage) = stages_in_order(&ws.stages)[1];
    let scope_stage = scope_stage.clone();
    assert_eq!(stage.produces, "scopes:");
    assert_eq!(Produces::parse(&stage.produces), Produces::Scope(""));
    assert_eq!(
        waiting_for(&ws, stage).as_deref(),
        Some("Link the version of the ISMS scope this stage produces.")
    );
    // A scope version that does not exist is refused, and nothing stored.
    let heads = s.doc.automerge().get_heads();
    let mut d = StageDraft {
        title: stage.title.clone(),
        owner: stage.owner.clone(),
        start: stage.start.clone(),
        deadline: stage.deadline.clone(),
        status: StageStatus::Finished,
        depends_on: stage.depends_on.clone(),
        produces: "scopes:01NOSUCHSCOPE".into(),
    };
    let errors = invalid(s.doc.edit_stage(&scope_stage, &d, NOW + 1));
    assert!(errors.message(Field::StageProduces).is_some());
    assert_eq!(s.doc.automerge().get_heads(), heads, "nothing stored");
    // Linked and finished, it waits for the version's approval.
    d.produces = format!("scopes:{version}");
    s.doc.edit_stage(&scope_stage, &d, NOW + 2).unwrap();
    let ws = s.doc.read().unwrap();
    let stage = &ws.stages[&scope_stage];
    assert!(!stage_done(&ws, stage));
    assert_eq!(
        waiting_for(&ws, stage).as_deref(),
        Some("Version 1 of the ISMS scope is not approved yet.")
    );
    assert_eq!(
        stage_state(&ws, &scope_stage, "2026-01-27"),
        StageState::WaitingForApproval
    );
    s.doc.approve_scope(&version, NOW + 3).unwrap();
    let ws = s.doc.read().unwrap();
    assert!(stage_done(&ws, &ws.stages[&scope_stage]));
    assert_eq!(
        stage_state(&ws, &scope_stage, "2026-12-01"),
        StageState::Done
    );
    assert!(charter::workspace::csv::plan_csv(&ws).contains("ISMS scope version 1"));
}

#[test]
fn an_edit_that_closes_a_circle_through_the_template_stores_nothing() {
    let mut s = setup();
    s.doc
        .add_plan_template("2026-01-05", &s.priya.clone(), NOW)
        .unwrap();
    let ws = s.doc.read().unwrap();
    let list = stages_in_order(&ws.stages);
    // The policy waits for the scope; making the scope wait for the policy closes a circle.
    let (scope_id, scope) = list[1];
    let (policy_id, _) = list[2];
    let d = StageDraft {
        title: scope.title.clone(),
        owner: scope.owner.clone(),
        start: scope.start.clone(),
        deadline: scope.deadline.clone(),
        status: scope.status,
        depends_on: vec![list[0].0.clone(), policy_id.clone()],
        produces: scope.produces.clone(),
    };
    let heads = s.doc.automerge().get_heads();
    let errors = invalid(s.doc.edit_stage(scope_id, &d, NOW + 1));
    assert_eq!(
        errors.message(Field::StageDependsOn),
        Some(
            "This would make a circle: “ISMS scope (4.3)” waits for “Information security \
             policy (5.2)”, which waits for “ISMS scope (4.3)”."
        )
    );
    assert_eq!(s.doc.automerge().get_heads(), heads, "nothing stored");
    assert_eq!(s.doc.read().unwrap().stages, ws.stages);
}

#[test]
fn what_a_stage_produces_is_named_and_the_records_to_link_are_offered() {
    use charter::workspace::context::ScopeDraft;
    use charter::workspace::plan::{produced_name, produced_options};
    let mut s = setup();
    let scope = |doc: &mut WorkspaceDoc, now| {
        doc.add_scope_version(
            &ScopeDraft {
                statement: "The booking platform.".into(),
                boundaries: "In: booking. Out: the canteen.".into(),
                ..Default::default()
            },
            now,
        )
        .unwrap()
    };
    let first = scope(&mut s.doc, NOW);
    let second = scope(&mut s.doc, NOW + 1);
    let policy = s
        .doc
        .add_policy(
            &PolicyDraft {
                title: "Access control".into(),
                kind: PolicyKind::TopicSpecific,
                owner: "CISO".into(),
                review_due: "2027-03-31".into(),
            },
            "# Access\n",
            NOW + 2,
        )
        .unwrap();
    let ws = s.doc.read().unwrap();
    // Newest scope version first, each saying whether it is approved.
    assert_eq!(
        produced_options(&ws, "scopes:"),
        [
            (second.clone(), "Version 2 (not approved yet)".to_owned()),
            (first.clone(), "Version 1 (not approved yet)".to_owned()),
        ]
    );
    assert_eq!(
        produced_options(&ws, "policies:"),
        [(
            policy.clone(),
            "Access control (not approved yet)".to_owned()
        )]
    );
    assert!(produced_options(&ws, "soa:").is_empty());
    assert!(produced_options(&ws, "").is_empty());
    assert_eq!(
        produced_name(&ws, &format!("scopes:{second}")),
        "ISMS scope version 2"
    );
    assert_eq!(
        produced_name(&ws, "scopes:"),
        "The ISMS scope, not linked yet"
    );
    assert_eq!(
        produced_name(&ws, "scopes:01GONE"),
        "A scope version that was deleted"
    );
    assert_eq!(
        produced_name(&ws, &format!("policies:{policy}")),
        "Policy “Access control”"
    );
    assert_eq!(produced_name(&ws, "soa:"), "The Statement of Applicability");
    assert_eq!(produced_name(&ws, ""), "Nothing to approve");
}
