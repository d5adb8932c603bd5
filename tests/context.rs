//! Native tests of the organisation's context (issue 13, point 1): issues
//! with their effect and review date, the climate question, interested
//! parties' requirements and where the ISMS addresses them, the scope
//! versioned and approved by top management, and the changes since the last
//! management review in its inputs (b) and (c).
#![cfg(not(target_arch = "wasm32"))]

use charter::workspace::context::{
    IssueDraft, IssueKind, RequirementKind, ScopeDraft, current_issues, scope_in_force,
};
use charter::workspace::reviews::{ReviewDraft, summarise_inputs};
use charter::workspace::roles::{PersonDraft, RoleDraft, RoleKind};
use charter::workspace::signing::{Act, DeviceKey, Trust, Verdict};
use charter::workspace::{CommandError, Field, WorkspaceDoc};

const NOW: i64 = 1_780_000_000_000;
const DAY: i64 = 86_400_000;

fn workspace() -> (WorkspaceDoc, String, String) {
    let mut doc = WorkspaceDoc::create("Alder & Finch", "All offices", "Claire", NOW).unwrap();
    doc.set_device_key(Some(DeviceKey::from_seed([7; 32])));
    doc.claim_founder(NOW).unwrap();
    let person = |name: &str| PersonDraft {
        name: name.into(),
        title: String::new(),
        email: String::new(),
    };
    let claire = doc.add_person(&person("Claire Hoffmann"), NOW).unwrap();
    let priya = doc.add_person(&person("Priya Raman"), NOW).unwrap();
    let top = doc
        .add_role(
            &RoleDraft {
                kind: RoleKind::TopManagement,
                ..Default::default()
            },
            NOW,
        )
        .unwrap();
    doc.set_role_holder(&top, &claire, true, NOW).unwrap();
    (doc, claire, priya)
}

fn issue(text: &str, reviewed: &str) -> IssueDraft {
    IssueDraft {
        kind: IssueKind::External,
        text: text.into(),
        effect: "More phishing aimed at our dispatchers.".into(),
        reviewed: reviewed.into(),
    }
}

#[test]
fn issues_need_their_effect_and_a_real_review_day_and_are_archived_not_deleted() {
    let (mut doc, _, _) = workspace();
    let Err(CommandError::Invalid(errors)) = doc.add_issue(
        &IssueDraft {
            reviewed: "2026-13-01".into(),
            ..Default::default()
        },
        "2026-06-01",
        NOW,
    ) else {
        panic!("an empty issue was recorded");
    };
    assert_eq!(
        errors.message(Field::IssueText),
        Some("Describe the issue.")
    );
    assert_eq!(
        errors.message(Field::IssueEffect),
        Some("Say how it affects what the ISMS should achieve.")
    );
    assert_eq!(
        errors.message(Field::IssueReviewed),
        Some("Enter the day it was reviewed as YYYY-MM-DD.")
    );
    assert!(doc.read().unwrap().issues.is_empty(), "nothing stored");
    let future = doc.add_issue(
        &issue("Ransomware gangs target logistics", "2026-07-01"),
        "2026-06-01",
        NOW,
    );
    assert!(matches!(future, Err(CommandError::Invalid(_))));
    let id = doc
        .add_issue(
            &issue("Ransomware gangs target logistics", "2026-05-01"),
            "2026-06-01",
            NOW,
        )
        .unwrap();
    doc.archive_issue(&id, NOW + 1).unwrap();
    let ws = doc.read().unwrap();
    assert!(current_issues(&ws).is_empty());
    assert!(ws.issues[&id].archived.is_some(), "kept as evidence");
}

#[test]
fn the_climate_question_needs_a_rationale() {
    let (mut doc, _, _) = workspace();
    let Err(CommandError::Invalid(errors)) = doc.set_climate(false, "  ", NOW) else {
        panic!("answered without a reason");
    };
    assert_eq!(
        errors.message(Field::ClimateRationale),
        Some("Say why climate change is, or is not, a relevant issue.")
    );
    doc.set_climate(true, "Floods at the Hamburg port stop the trucks.", NOW)
        .unwrap();
    let ws = doc.read().unwrap();
    assert_eq!(ws.meta.climate.relevant, Some(true));
    // The organisation's name survives the answer, and the answer a rename.
    doc.edit_meta("Alder & Finch Logistics", "All offices", NOW + 1)
        .unwrap();
    assert_eq!(doc.read().unwrap().meta.climate.relevant, Some(true));
}

#[test]
fn the_scope_is_versioned_and_approved_by_top_management_with_a_signature() {
    let (mut doc, claire, priya) = workspace();
    let Err(CommandError::Invalid(errors)) = doc.add_scope_version(
        &ScopeDraft {
            statement: "The booking platform.".into(),
            ..Default::default()
        },
        NOW,
    ) else {
        panic!("a scope without boundaries was written");
    };
    assert_eq!(
        errors.message(Field::ScopeBoundaries),
        Some("Say where the scope ends: what is in, and what is out.")
    );
    let draft = ScopeDraft {
        statement: "The freight booking platform and the Hamburg office.".into(),
        boundaries: "In: booking, customer data. Out: the canteen's payment terminal.".into(),
        interfaces: "The customs authority's portal.".into(),
        dependencies: "The cloud provider hosting the platform.".into(),
    };
    let first = doc.add_scope_version(&draft, NOW).unwrap();
    // Not approvable from a browser whose key is nobody's.
    let refused = doc.approve_scope(&first, NOW + 1);
    assert!(matches!(refused, Err(CommandError::NotAllowed(ref m)) if m.contains("Participants")));
    // Priya's key: recorded, but she is not top management.
    doc.put_forward_key(&priya, "Priya's laptop", NOW + 2)
        .unwrap();
    let refused = doc.approve_scope(&first, NOW + 3);
    assert!(
        matches!(refused, Err(CommandError::NotAllowed(ref m)) if m.contains("top management"))
    );
    // Claire's browser.
    let bytes = doc.automerge().save();
    let mut mine =
        WorkspaceDoc::from_automerge(automerge::AutoCommit::load(&bytes).unwrap(), "Claire");
    mine.set_device_key(Some(DeviceKey::from_seed([8; 32])));
    mine.put_forward_key(&claire, "Claire's laptop", NOW + 4)
        .unwrap();
    // Claire's new key is not the founding key: the founder (seed 7) is recorded for Priya,
    // so Claire's own key needs confirming for the signature to verify; it still signs.
    mine.approve_scope(&first, NOW + 5).unwrap();
    let ws = mine.read().unwrap();
    let (id, version) = scope_in_force(&ws).unwrap();
    assert_eq!(id, &first);
    assert_eq!(
        ws.meta.scope, draft.statement,
        "the scope in force is the workspace's"
    );
    let approval = version.approval.as_ref().unwrap();
    assert_eq!(approval.person, claire);
    let verdict = Trust {
        founder: &ws.meta.founder,
        pinned: None,
        keys: &ws.keys,
        roles: &ws.roles,
    }
    .verify(
        &Act::ScopeApproval {
            version: &first,
            number: 1,
            digest: &charter::workspace::context::scope_digest(version),
        },
        approval.signature.as_ref(),
    );
    assert!(
        !matches!(verdict, Verdict::Verified { .. }),
        "an unconfirmed key does not verify"
    );
    // A second version starts unapproved; the first stays in force.
    let second = mine.add_scope_version(&draft, NOW + 6).unwrap();
    let ws = mine.read().unwrap();
    assert_eq!(ws.scopes[&second].number, 2);
    assert_eq!(scope_in_force(&ws).unwrap().0, &first);
}

#[test]
fn context_changes_since_the_last_review_feed_inputs_b_and_c() {
    let (mut doc, claire, _) = workspace();
    let old = doc
        .add_issue(
            &issue("Old market pressure", "2026-05-01"),
            "2026-06-01",
            NOW,
        )
        .unwrap();
    let party = doc.add_party("Customers", NOW).unwrap();
    doc.add_requirement(
        &party,
        "Deliveries tracked in real time",
        RequirementKind::Contractual,
        None,
        NOW,
    )
    .unwrap();
    let plan = |doc: &mut WorkspaceDoc, date: &str, now: i64| {
        doc.plan_review(
            &ReviewDraft {
                date: date.into(),
                chair: claire.clone(),
                attendees: Vec::new(),
            },
            now,
        )
        .unwrap()
    };
    // The first review (day 1 after NOW) is the boundary for the second.
    let _first = plan(&mut doc, "2026-05-29", NOW + 1);
    let later = NOW + 3 * DAY;
    doc.add_issue(
        &issue("NIS2 applies to us from October", "2026-05-30"),
        "2026-06-01",
        later,
    )
    .unwrap();
    doc.add_requirement(
        &party,
        "Incidents reported within 24 hours",
        RequirementKind::Contractual,
        Some("Incident management policy"),
        later,
    )
    .unwrap();
    let second = plan(&mut doc, "2026-06-30", later + 1);
    let ws = doc.read().unwrap();
    let summaries = summarise_inputs(&ws, &second, "2026-06-29");
    let b: Vec<&str> = summaries["b"]
        .lines
        .iter()
        .map(|l| l.text.as_str())
        .collect();
    assert!(summaries["b"].known);
    assert!(
        b.iter()
            .any(|l| l.starts_with("New (external): NIS2 applies to us from October")),
        "{b:?}"
    );
    assert!(
        !b.iter().any(|l| l.contains("Old market pressure")),
        "unchanged since: {b:?}"
    );
    assert!(
        b.iter().any(
            |l| l.starts_with("Whether climate change is a relevant issue is not answered yet")
        )
    );
    let c: Vec<&str> = summaries["c"]
        .lines
        .iter()
        .map(|l| l.text.as_str())
        .collect();
    assert_eq!(
        c,
        [
            "New contractual requirement of Customers: Incidents reported within 24 hours (addressed in Incident management policy)"
        ]
    );
    let _ = old;
}

#[test]
fn a_planned_change_states_what_6_3_asks_is_approved_signed_and_reviewed_afterwards() {
    use charter::workspace::planned_changes::{ChangeDraft, ChangeState, change_digest};
    let (mut doc, claire, priya) = workspace();
    let Err(CommandError::Invalid(errors)) = doc.add_planned_change(&ChangeDraft::default(), NOW)
    else {
        panic!("an empty change was recorded");
    };
    for (field, message) in [
        (Field::ChangeTitle, "Say what changes."),
        (Field::ChangePurpose, "Say why the change is made."),
        (
            Field::ChangeConsequences,
            "Say what the change could affect or break.",
        ),
        (
            Field::ChangeIntegrity,
            "Say how the ISMS keeps working while it changes.",
        ),
        (
            Field::ChangeResponsible,
            "Choose who is responsible for the change from People.",
        ),
    ] {
        assert_eq!(errors.message(field), Some(message));
    }
    let id = doc
        .add_planned_change(
            &ChangeDraft {
                title: "Move the booking platform to the cloud".into(),
                purpose: "Resilience and lower cost.".into(),
                consequences: "New supplier; data leaves our data centre.".into(),
                integrity: "Both platforms run side by side for a month.".into(),
                resources: "EUR 40,000 and two engineers for a quarter.".into(),
                responsible: priya.clone(),
                from_decision: "nonsense/also".into(),
            },
            NOW,
        )
        .unwrap();
    let ws = doc.read().unwrap();
    assert_eq!(ws.planned_changes[&id].state(), ChangeState::Proposed);
    assert_eq!(
        ws.planned_changes[&id].from_decision, "",
        "an unknown decision is dropped"
    );
    // Reviewed only once approved.
    assert!(matches!(
        doc.review_planned_change(&id, "2026-06-01", "Done.", "2026-06-02", NOW),
        Err(CommandError::NotAllowed(_))
    ));
    // Claire (top management, the founding key recorded for her) approves.
    doc.put_forward_key(&claire, "Claire's laptop", NOW)
        .unwrap();
    doc.approve_planned_change(&id, NOW + 1).unwrap();
    let ws = doc.read().unwrap();
    let change = &ws.planned_changes[&id];
    let verdict = Trust {
        founder: &ws.meta.founder,
        pinned: None,
        keys: &ws.keys,
        roles: &ws.roles,
    }
    .verify(
        &Act::ChangeApproval {
            change: &id,
            digest: &change_digest(change),
        },
        change.approval.as_ref().unwrap().signature.as_ref(),
    );
    assert!(matches!(verdict, Verdict::Verified { .. }), "{verdict:?}");
    let Err(CommandError::Invalid(errors)) =
        doc.review_planned_change(&id, "2026-07-01", " ", "2026-06-02", NOW + 2)
    else {
        panic!("a review without an outcome, in the future, was recorded");
    };
    assert_eq!(
        errors.message(Field::ChangeReviewDate),
        Some("The day cannot be in the future.")
    );
    doc.review_planned_change(
        &id,
        "2026-06-01",
        "Running in the cloud since May.",
        "2026-06-02",
        NOW + 3,
    )
    .unwrap();
    assert_eq!(
        doc.read().unwrap().planned_changes[&id].state(),
        ChangeState::Reviewed
    );
}
