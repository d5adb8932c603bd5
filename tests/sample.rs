//! Native tests of the sample workspace: it holds what the issue promises,
//! its figures are the ones the dashboard will show, and it survives a save
//! and a load like any workspace.
#![cfg(not(target_arch = "wasm32"))]

use std::time::Instant;

use automerge::AutoCommit;
use charter::workspace::assessment::{Basis, assessed_health};
use charter::workspace::audits::{coverage, impartiality};
use charter::workspace::commitment::commitment_progress;
use charter::workspace::measurements::{date_of, day_of, overdue_objectives};
use charter::workspace::nonconformities::Source;
use charter::workspace::overview::{Overview, percent_label, spent_percent};
use charter::workspace::plan::{StageState, stages_in_order, state_of};
use charter::workspace::planned_changes::ChangeState;
use charter::workspace::policies::{PolicyStatus, policies_due_for_review};
use charter::workspace::resources::{budget_totals, total_fte};
use charter::workspace::risks::{
    TreatmentOption, overdue_treatment_actions, reassessment_overdue, top_risks,
};
use charter::workspace::roles::{RaciWarning, raci_warnings};
use charter::workspace::sample::{SAMPLE_ORGANISATION, sample_workspace};
use charter::workspace::soa::{Applicability, Implementation, Reason, soa_rows};
use charter::workspace::training::overall_completion;
use charter::workspace::{Health, WorkspaceDoc};

const NOW: i64 = 1_795_000_000_000;

#[test]
fn the_sample_holds_a_realistic_organisation() {
    let started = Instant::now();
    let doc = sample_workspace("Ada", NOW).unwrap();
    eprintln!("sample built natively in {:?}", started.elapsed());
    let ws = doc.read().unwrap();

    assert_eq!(ws.meta.organisation, SAMPLE_ORGANISATION);
    assert_eq!(ws.objectives.len(), 9);
    assert_eq!(ws.open_objectives().len(), 8);
    for (_, objective) in ws.open_objectives() {
        assert_eq!(objective.measurements.len(), 12, "{}", objective.title);
        assert!(!objective.plan.is_empty());
        assert!(objective.policy_id.is_some());
        // Owners, monitors and analysts are people of the organisation.
        for person in [
            &objective.owner_id,
            &objective.measured_by,
            &objective.analysed_by,
        ] {
            let person = person.as_deref().expect(&objective.title);
            assert!(ws.people.contains_key(person), "{}", objective.title);
        }
        assert!(!objective.function.is_empty());
        assert_eq!(objective.monitor_months, Some(1));
    }
    assert_eq!(ws.people.len(), 12);
    assert_eq!(ws.roles.len(), 10);
    assert!(ws.roles.values().all(|r| !r.holders.is_empty()));
    assert_eq!(ws.policies.len(), 6);
    assert!(ws.policies.values().all(|p| p.body.as_str().len() > 100));
    assert_eq!(ws.trainings.len(), 4);
    assert_eq!(ws.budget.len(), 5);
    assert_eq!(ws.fte.len(), 4);
    assert_eq!(total_fte(&ws.fte), 250);
}

#[test]
fn the_sample_has_a_risk_register_a_statement_of_applicability_with_every_status_and_a_plan() {
    let doc = sample_workspace("Ada", NOW).unwrap();
    let ws = doc.read().unwrap();
    let today = date_of(NOW);

    // The context: issues, the climate question answered, parties whose
    // requirements are addressed or not, and a scope version to approve.
    assert_eq!(ws.issues.len(), 5);
    assert_eq!(ws.meta.climate.relevant, Some(true));
    assert_eq!(ws.parties.len(), 4);
    let requirements: Vec<_> = ws
        .parties
        .values()
        .flat_map(|p| p.requirements.values())
        .collect();
    assert!(requirements.iter().any(|r| r.addressed) && requirements.iter().any(|r| !r.addressed));
    assert_eq!(ws.scopes.len(), 1);
    assert!(
        ws.scopes.values().all(|s| s.approval.is_none()),
        "no key: nothing is signed"
    );

    // About twenty-five risks, owned by people of the organisation, some
    // above the threshold, one not decided, some actions done and some late.
    assert_eq!(ws.risks.len(), 25);
    assert!(ws.risks.values().all(|r| ws.people.contains_key(&r.owner)));
    let top = top_risks(&ws, &today);
    assert_eq!(top.len(), 5);
    assert_eq!(top[0].1.title, "Backups cannot be restored in time");
    assert!(
        ws.risks
            .values()
            .any(|r| r.treatment == TreatmentOption::Undecided)
    );
    let actions: Vec<_> = ws.risks.values().flat_map(|r| r.actions.values()).collect();
    assert!(actions.iter().any(|a| a.done));
    assert_eq!(overdue_treatment_actions(&ws, &today), 3);
    assert_eq!(
        ws.risks
            .values()
            .filter(|r| reassessment_overdue(r, &today))
            .count(),
        2
    );
    assert_eq!(ws.criteria.len(), 1, "a draft of the criteria, to approve");

    // The SoA: every applicability and every implementation status, the
    // reasons a treatment gives seen from the control's side, and an added
    // control.
    let rows = soa_rows(&ws);
    assert_eq!(rows.len(), 94);
    let count = |a: Applicability| {
        rows.iter()
            .filter(|r| Applicability::of(&r.entry) == a)
            .count()
    };
    assert_eq!(count(Applicability::Excluded), 2);
    assert_eq!(count(Applicability::Undecided), 4);
    assert_eq!(count(Applicability::Applicable), 88);
    for status in Implementation::ALL {
        assert!(
            rows.iter()
                .any(|r| r.entry.applicable == Some(true) && r.entry.status == status),
            "{status:?}"
        );
    }
    let backups = rows.iter().find(|r| r.id == "8.13").unwrap();
    assert!(backups.entry.reasons.contains(&Reason::RiskTreatment));
    assert_eq!(backups.risks.len(), 2);
    let added = rows.iter().find(|r| r.is_added()).unwrap();
    assert_eq!(added.id, "A-1");
    assert_eq!(added.entry.applicable, Some(true));

    // The plan: the template's eleven stages, the policy stage done (its
    // policy approved), others waiting or late, and a planned change.
    assert_eq!(ws.stages.len(), 11);
    let states: Vec<(String, StageState)> = stages_in_order(&ws.stages)
        .into_iter()
        .map(|(_, stage)| (stage.title.clone(), state_of(&ws, stage, &today)))
        .collect();
    // The scope stage waits for its version to be approved, past its deadline.
    assert_eq!(states[1].1, StageState::Overdue, "{states:?}");
    assert_eq!(states[2].1, StageState::Done, "{states:?}");
    assert_eq!(states[3].1, StageState::Overdue, "{states:?}");
    assert!(states.iter().any(|(_, s)| *s == StageState::NotStarted));
    assert_eq!(ws.planned_changes.len(), 1);

    // The internal audit the second review discussed, its findings, the
    // nonconformities raised from them (one closed after an effective
    // check), the next audit planned, and the improvement log.
    assert_eq!(ws.audits.len(), 2);
    assert!(!ws.meta.audit_programme.frequency.is_empty());
    let held = ws
        .audits
        .values()
        .find(|a| a.reported.is_some())
        .expect("a reported audit");
    assert_eq!(held.findings.len(), 3);
    assert!(ws.audits.values().all(|a| impartiality(&ws, a).is_empty()));
    assert_eq!(ws.nonconformities.len(), 2);
    assert_eq!(
        ws.nonconformities.values().filter(|n| n.is_open()).count(),
        1
    );
    assert!(
        ws.nonconformities
            .values()
            .all(|n| n.source.starts_with("finding:"))
    );
    // The log: one idea from the audit's opportunity for improvement, one
    // from the service desk, two from the second review's input (g).
    assert_eq!(ws.improvements.len(), 4);
    let sources: Vec<_> = ws
        .improvements
        .values()
        .map(|i| match Source::parse(&i.source) {
            Source::Finding { .. } => "finding",
            Source::Review(_) => "review",
            Source::None if !i.suggested_by.is_empty() => "someone",
            _ => "other",
        })
        .collect();
    for (kind, n) in [("finding", 1), ("review", 2), ("someone", 1)] {
        assert_eq!(
            sources.iter().filter(|s| **s == kind).count(),
            n,
            "{sources:?}"
        );
    }
    assert!(
        ws.improvements
            .values()
            .all(|i| Source::parse(&i.source).problem(&ws).is_none())
    );
    // Each proposed on its day, not when the sample was built: those from
    // the review on the review's day, the audit's once it was reported.
    for improvement in ws.improvements.values() {
        let proposed = date_of(improvement.created_at);
        assert!(proposed < today, "{proposed}");
        match Source::parse(&improvement.source) {
            Source::Review(review) => assert_eq!(proposed, ws.reviews[review].date),
            Source::Finding { audit, .. } => {
                let reported = ws.audits[audit].reported.as_ref().expect("reported");
                assert!(proposed >= reported.date, "{proposed}");
            }
            _ => {}
        }
    }
    let gaps = coverage(&ws, &today);
    assert!(gaps.clauses.is_empty(), "{gaps:?}");
    assert!(
        !gaps.controls.is_empty(),
        "most controls are not audited yet"
    );
    assert!(
        ws.planned_changes
            .values()
            .all(|c| c.state() == ChangeState::Proposed)
    );
}

#[test]
fn the_sample_figures_are_what_the_dashboard_shows() {
    let doc = sample_workspace("Ada", NOW).unwrap();
    let ws = doc.read().unwrap();
    let today = day_of(NOW);

    // Nobody typed a health in: each one shown is what the measurements support.
    let open = ws.open_objectives();
    assert!(open.iter().all(|(_, o)| o.health == Health::NotAssessed));
    let health = |h: Health| {
        open.iter()
            .filter(|(_, o)| assessed_health(o, today) == (h, Basis::Measurements))
            .count()
    };
    // Clicks, incidents, backups, access reviews and training reach their
    // targets in time; patches and suppliers improve too slowly; risk
    // treatment is past its due date without meeting its target.
    assert_eq!(
        (
            health(Health::OnTrack),
            health(Health::AtRisk),
            health(Health::OffTrack)
        ),
        (5, 2, 1)
    );
    let overdue: Vec<_> = overdue_objectives(&ws, today)
        .into_iter()
        .map(|id| ws.objectives[id].title.clone())
        .collect();
    assert_eq!(overdue, ["Risk treatment actions closed on time"]);

    let due: Vec<_> = policies_due_for_review(&ws.policies, &date_of(NOW))
        .into_iter()
        .map(|(_, p)| p.title.clone())
        .collect();
    assert_eq!(due.len(), 2);
    assert!(due.contains(&"Access control policy".to_owned()));
    assert!(due.contains(&"Incident response policy".to_owned()));
    let published = ws
        .policies
        .values()
        .filter(|p| p.status == PolicyStatus::Published)
        .count();
    assert_eq!(published, 3);

    let totals = budget_totals(&ws.budget);
    assert_eq!(totals.len(), 1);
    let eur = &totals[0];
    assert_eq!(eur.currency, "EUR");
    assert_eq!(eur.requested, 11_850_000);
    assert_eq!(eur.approved, 9_550_000);
    assert_eq!(eur.spent, 5_545_000);

    let completion = overall_completion(&ws, &date_of(NOW)).unwrap();
    assert!((0.0..=100.0).contains(&completion));
    assert!(completion > 50.0, "{completion}");

    let progress = commitment_progress(&ws);
    assert_eq!((progress.confirmed, progress.total), (5, 8));
    assert_eq!(progress.evidenced, 7);

    let warnings = raci_warnings(&ws);
    assert_eq!(warnings.len(), 1);
    assert!(matches!(&warnings[0], RaciWarning::NoAccountable(_)));
}

#[test]
fn the_sample_survives_a_save_and_a_load() {
    let mut doc = sample_workspace("Ada", NOW).unwrap();
    let bytes = doc.automerge().save();
    eprintln!("sample saved: {} bytes", bytes.len());
    let loaded = WorkspaceDoc::from_automerge(AutoCommit::load(&bytes).unwrap(), "Bob");
    assert_eq!(loaded.read().unwrap(), doc.read().unwrap());
    // A few hundred kilobytes at most: the sample must open quickly.
    assert!(bytes.len() < 300_000, "{}", bytes.len());
}

#[test]
fn the_overview_adds_up_the_sample() {
    let doc = sample_workspace("Ada", NOW).unwrap();
    let ws = doc.read().unwrap();
    let today = date_of(NOW);
    let overview = Overview::of(&ws, &today);

    // Eight open objectives, and last year's closed one is not counted.
    assert_eq!(ws.objectives.len(), 9);
    assert_eq!(overview.objectives, 8);
    assert_eq!(overview.by_health, [0, 5, 2, 1]);
    assert_eq!(overview.with_health(Health::AtRisk), 2);
    assert_eq!(overview.overdue, 1);
    assert_eq!(overview.policies_due, 2);
    assert!(matches!(
        &overview.policy_in_force,
        charter::workspace::policies::PolicyInForce::One {
            changed: Some(false),
            version: 1,
            ..
        }
    ));
    assert_eq!(overview.in_status(PolicyStatus::Published), 3);
    assert_eq!(overview.in_status(PolicyStatus::Approved), 1);
    assert_eq!(overview.in_status(PolicyStatus::InReview), 1);
    assert_eq!(overview.in_status(PolicyStatus::Draft), 1);
    assert_eq!(overview.raci_warnings, 1);
    assert_eq!(overview.awaiting_approval, 1);
    assert!(overview.needs_attention());
    assert_eq!(overview.year.to_string(), today[..4]);
    assert_eq!(overview.budget.len(), 1);
    assert_eq!(spent_percent(&overview.budget[0]), Some(58));
    assert_eq!(overview.programmes, 4);
    // 3 mandatory programmes: everyone (12) twice and top management (3) once.
    // Awareness: 11 of 12 attended within 12 months; phishing: 8 of 12 within
    // 6 months; leadership: 2 of 3 → 21 of 27.
    let training = overview.training.unwrap();
    assert!((training - 21.0 * 100.0 / 27.0).abs() < 1e-9, "{training}");
    assert_eq!(percent_label(training), "78%");
    assert_eq!(
        (overview.commitment.confirmed, overview.commitment.total),
        (5, 8)
    );
    // The register's highest risks above the threshold, named with their
    // owners, and the SoA's progress.
    assert_eq!((overview.risks, overview.risks_above), (25, 5));
    assert_eq!(overview.treatment_overdue, 3);
    // The open nonconformity's corrective action is due in 45 days.
    assert_eq!(overview.corrective_overdue, 0);
    let top: Vec<(&str, u32, &str)> = overview
        .top_risks
        .iter()
        .map(|r| (r.title.as_str(), r.level, r.owner.as_str()))
        .collect();
    assert_eq!(
        top[..2],
        [
            ("Backups cannot be restored in time", 12, "Lukas Brandt"),
            (
                "Booking platform down after an outage of the cloud region",
                10,
                "Aisha Okafor"
            ),
        ]
    );
    assert_eq!(top.len(), 5);
    assert_eq!((overview.controls, overview.controls_decided), (94, 90));
}

#[test]
fn the_overview_of_an_empty_workspace_is_all_zero() {
    let doc = WorkspaceDoc::create("Empty Ltd", "", "Ada", NOW).unwrap();
    let overview = Overview::of(&doc.read().unwrap(), &date_of(NOW));
    assert_eq!(overview.objectives, 0);
    assert_eq!(overview.by_health, [0, 0, 0, 0]);
    // Nobody answers for the ten standard activities yet: that needs attention.
    assert_eq!(overview.raci_warnings, 10);
    assert!(overview.needs_attention());
    assert!(overview.budget.is_empty());
    assert_eq!(overview.training, None);
    assert_eq!(overview.commitment.confirmed, 0);
    assert_eq!(percent_label(99.5), "100%");
    assert_eq!(percent_label(0.4), "0%");
}

/// Whoever opens the sample, even before giving a name, gets it whole: its
/// approvals, confirmations and acknowledgements are made by its own people.
#[test]
fn the_sample_opens_for_someone_without_a_name_and_names_its_approvers() {
    let doc = sample_workspace(charter::workspace::commands::UNNAMED, NOW).unwrap();
    let ws = doc.read().unwrap();
    let approvers: std::collections::BTreeSet<&str> = ws
        .policies
        .values()
        .flat_map(|p| p.approvals.iter().map(|a| a.approver_name.as_str()))
        .collect();
    assert_eq!(
        approvers.into_iter().collect::<Vec<_>>(),
        ["Claire Hoffmann"]
    );
    for line in ws.budget.values() {
        assert_eq!(line.requested_by.as_ref().unwrap().name, "Jonas Weber");
        if let Some(approval) = &line.approval {
            assert_eq!(approval.by_name, "Martin Kessler");
        }
    }
    let confirmed_by: Vec<&str> = ws
        .commitment
        .values()
        .filter_map(|d| d.confirmation.as_ref().map(|c| c.name.as_str()))
        .collect();
    assert_eq!(confirmed_by, ["Claire Hoffmann"; 5]);
    let policy = ws
        .policies
        .values()
        .find(|p| !p.approvals.is_empty())
        .unwrap();
    assert!(
        policy.approvals[0]
            .recorded_by
            .values()
            .all(|by| by == "Priya Raman")
    );
    assert_eq!(policy.approvals[0].recorded_by.len(), 7);
    let closed = ws
        .objectives
        .values()
        .find(|o| o.closing.is_some())
        .unwrap();
    assert_eq!(closed.closing.as_ref().unwrap().by, "Lukas Brandt");
}

/// Issue 11, point 16: the start page builds the sample step by step to show
/// its progress; every step moves it on, and the result is the same sample.
#[test]
fn the_sample_builds_step_by_step_with_each_step_named() {
    use charter::workspace::sample::SampleBuild;
    let mut build = SampleBuild::start("Ada", NOW).unwrap();
    assert_eq!(build.steps_done(), 1);
    let mut named = vec![SampleBuild::STEPS[0]];
    while let Some(step) = build.next_step() {
        named.push(step);
        let before = build.steps_done();
        build.advance().unwrap();
        assert_eq!(build.steps_done(), before + 1, "{step}");
    }
    assert!(build.is_done());
    assert_eq!(named, SampleBuild::STEPS);
    build.advance().unwrap();
    assert_eq!(build.steps_done(), SampleBuild::STEPS.len());
    let ws = build.finish().read().unwrap();
    assert_eq!(ws.objectives.len(), 9);
    assert_eq!(ws.policies.len(), 6);
    assert_eq!(ws.trainings.len(), 4);
    assert_eq!(ws.budget.len(), 5);
    // The areas were built in copies under actors of their own: every one
    // of them that is not a sample person's carries the opener's name.
    let people: Vec<&str> = ws.people.values().map(|p| p.name.as_str()).collect();
    assert!(ws.members.len() > 1);
    assert!(
        ws.members
            .values()
            .all(|m| m.name == "Ada" || people.contains(&m.name.as_str()))
    );
}

/// Issue 12: the sample has two past management reviews with their
/// decisions and actions, some still open, and the next review planned
/// ahead, whose input (a) carries those open actions at once.
#[test]
fn the_sample_has_two_past_reviews_whose_open_actions_carry_into_the_next() {
    use charter::workspace::reviews::{
        ActionStatus, Input, carried_actions, considered, raised_actions, reviews_in_order,
        role_problems, summarise_inputs,
    };
    let doc = sample_workspace("Ada", NOW).unwrap();
    let ws = doc.read().unwrap();
    let today = date_of(NOW);
    let name = |id: &str| ws.people[id].name.as_str();

    let reviews = reviews_in_order(&ws);
    assert_eq!(reviews.len(), 3);
    let (past, next) = reviews.split_at(2);
    let (planned_id, planned) = next[0];
    assert_eq!(ws.meta.review_every_months, Some(6));
    for (id, review) in past {
        assert!(review.date < today, "{}", review.reference);
        assert_eq!(name(&review.chair), "Claire Hoffmann");
        assert_eq!(review.decisions.len(), 2, "{}", review.reference);
        // Every decision answers an input, and every input is considered.
        assert!(review.decisions.values().all(|d| !d.inputs.is_empty()));
        for input in Input::ALL {
            assert!(
                considered(review, input),
                "{} ({:?})",
                review.reference,
                input
            );
        }
        assert!(!review.minutes.as_str().trim().is_empty());
        assert!(review.conclusion.is_complete());
        assert!(review.prepared.is_some());
        // Held but not signed: no browser of the chair holds a key.
        assert!(!review.is_signed());
        let actions = raised_actions(&ws, id);
        assert_eq!(actions.len(), 3, "{}", review.reference);
        let owners: std::collections::BTreeSet<&str> =
            actions.iter().map(|(_, a)| name(&a.owner)).collect();
        assert_eq!(owners.len(), 3, "{}", review.reference);
        assert!(actions.iter().all(|(_, a)| !a.due.is_empty()));
    }
    let (first_id, first) = past[0];
    let (second_id, second) = past[1];
    // Two of the first review's actions were done before the second.
    let done_before: Vec<_> = raised_actions(&ws, first_id)
        .into_iter()
        .filter(|(_, a)| {
            a.closed_on
                .as_deref()
                .is_some_and(|d| d < second.date.as_str())
        })
        .collect();
    assert_eq!(done_before.len(), 2);
    assert!(
        done_before
            .iter()
            .all(|(_, a)| a.status == ActionStatus::Done)
    );
    assert!(first.date < second.date);
    // The second review's input (a) carried the first's open action, then
    // the two closed since.
    let carried = carried_actions(&ws, second_id);
    assert_eq!(carried.len(), 3);
    assert!(carried[0].action.status.is_open());
    assert_eq!(carried[0].raised_in, first.reference);
    // Of the second review's actions one is done, one overdue, one due ahead.
    let second_actions = raised_actions(&ws, second_id);
    assert_eq!(
        second_actions
            .iter()
            .filter(|(_, a)| a.status == ActionStatus::Done)
            .count(),
        1
    );
    assert_eq!(
        second_actions
            .iter()
            .filter(|(_, a)| a.overdue(&today))
            .count(),
        1
    );
    assert!(
        second_actions
            .iter()
            .any(|(_, a)| a.status.is_open() && a.due > today)
    );

    // The next review: ahead, chaired by the chief executive with the same
    // attendees, not prepared, no decisions or actions yet, not signed.
    assert!(planned.date > today);
    assert_eq!(planned.chair, first.chair);
    assert_eq!(planned.attendees, first.attendees);
    assert!(planned.prepared.is_none());
    assert!(planned.decisions.is_empty());
    assert!(raised_actions(&ws, planned_id).is_empty());
    assert!(!planned.is_signed());
    assert!(role_problems(&ws, planned).is_empty());
    // Its input (a): the open actions of both reviews first, then the one
    // closed since the second; none closed before the second review.
    let carried = carried_actions(&ws, planned_id);
    let open = carried.iter().filter(|c| c.action.status.is_open()).count();
    assert_eq!(open, 3);
    assert!(carried[..open].iter().all(|c| c.action.status.is_open()));
    assert!(carried.iter().all(|c| {
        c.action
            .closed_on
            .as_deref()
            .is_none_or(|d| d >= second.date.as_str())
    }));
    let raised_in: std::collections::BTreeSet<&str> = carried.iter().map(|c| c.raised_in).collect();
    assert_eq!(
        raised_in.into_iter().collect::<Vec<_>>(),
        [first.reference.as_str(), second.reference.as_str()]
    );
    assert!(carried.iter().any(|c| c.action.overdue(&today)));
    let summary = &summarise_inputs(&ws, planned_id, &today)["a"];
    assert_eq!(summary.lines.len(), carried.len());

    // Written by the sample's own people: the chair, the secretary who
    // prepared the packs, and the owners who recorded progress.
    for (_, review) in past {
        assert_eq!(review.prepared.as_ref().unwrap().by, "Priya Raman");
        assert!(review.decisions.values().all(|d| d.by == "Claire Hoffmann"));
    }
    for action in ws.actions.values() {
        for update in action.updates.values() {
            assert_eq!(update.by, name(&action.owner));
            assert!(update.date <= today);
        }
    }
}
