//! Native tests of the planning of changes (clause 6.3, issue 13 point 6)
//! beyond what tests/context.rs covers: only top management approves, a
//! change planned from a management review's decision keeps the link both
//! ways, and the list reads newest first.
#![cfg(not(target_arch = "wasm32"))]

use charter::workspace::planned_changes::{
    ChangeDraft, change_for_decision, changes_newest_first, decision_ref, draft_from_decision,
};
use charter::workspace::reviews::{DecisionDraft, DecisionKind, ReviewDraft};
use charter::workspace::roles::{PersonDraft, RoleDraft, RoleKind};
use charter::workspace::signing::DeviceKey;
use charter::workspace::{CommandError, WorkspaceDoc};

const NOW: i64 = 1_780_000_000_000;

/// A workspace whose device key is the founding key; Claire holds top
/// management, Priya does not.
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

fn change(title: &str, responsible: &str) -> ChangeDraft {
    ChangeDraft {
        title: title.into(),
        purpose: "Resilience.".into(),
        consequences: "A new supplier.".into(),
        integrity: "Both run side by side for a month.".into(),
        resources: String::new(),
        responsible: responsible.into(),
        from_decision: String::new(),
    }
}

#[test]
fn only_a_member_of_top_management_with_a_recorded_key_can_approve() {
    let (mut doc, _claire, priya) = workspace();
    let id = doc
        .add_planned_change(&change("Move to the cloud", &priya), NOW)
        .unwrap();
    // No key recorded for anyone yet: the message says what to do.
    let Err(CommandError::NotAllowed(message)) = doc.approve_planned_change(&id, NOW + 1) else {
        panic!("a change was approved by a browser whose key belongs to nobody");
    };
    assert!(message.contains("Participants page"), "{message}");
    // The key is Priya's, and Priya is not top management.
    doc.put_forward_key(&priya, "Priya's laptop", NOW).unwrap();
    let Err(CommandError::NotAllowed(message)) = doc.approve_planned_change(&id, NOW + 2) else {
        panic!("a change was approved by someone outside top management");
    };
    assert_eq!(
        message,
        "Only a member of top management can approve a change to the ISMS."
    );
    let ws = doc.read().unwrap();
    assert!(ws.planned_changes[&id].approval.is_none(), "nothing stored");
    // And so it cannot be reviewed either.
    assert!(matches!(
        doc.review_planned_change(&id, "2026-06-01", "Done.", "2026-06-02", NOW + 3),
        Err(CommandError::NotAllowed(_))
    ));
}

#[test]
fn a_change_planned_from_a_review_decision_links_both_ways() {
    let (mut doc, claire, priya) = workspace();
    let review = doc
        .plan_review(
            &ReviewDraft {
                date: "2026-05-29".into(),
                chair: claire.clone(),
                attendees: Vec::new(),
            },
            NOW,
        )
        .unwrap();
    let decision = doc
        .add_decision(
            &review,
            &DecisionDraft {
                text: "Move the booking platform to the cloud\nBoard asked for a cost estimate."
                    .into(),
                kind: DecisionKind::Change,
                inputs: Vec::new(),
            },
            NOW + 1,
        )
        .unwrap();
    let ws = doc.read().unwrap();
    let from = decision_ref(&review, &decision);
    assert_eq!(change_for_decision(&ws, &review, &decision), None);
    let draft = draft_from_decision(&ws, &from).expect("the decision exists");
    assert_eq!(draft.title, "Move the booking platform to the cloud");
    assert_eq!(draft.from_decision, from);
    assert_eq!(draft_from_decision(&ws, &format!("{review}/nothing")), None);
    assert_eq!(draft_from_decision(&ws, "no slash"), None);

    let id = doc
        .add_planned_change(
            &ChangeDraft {
                from_decision: draft.from_decision.clone(),
                ..change(&draft.title, &priya)
            },
            NOW + 2,
        )
        .unwrap();
    let ws = doc.read().unwrap();
    assert_eq!(ws.planned_changes[&id].from_decision, from);
    assert_eq!(change_for_decision(&ws, &review, &decision), Some(&id));
}

#[test]
fn a_long_decision_gives_a_title_that_fits_cut_at_a_word() {
    let (mut doc, claire, _) = workspace();
    let review = doc
        .plan_review(
            &ReviewDraft {
                date: "2026-05-29".into(),
                chair: claire,
                attendees: Vec::new(),
            },
            NOW,
        )
        .unwrap();
    let long = "Replace the old firewall ".repeat(20);
    let decision = doc
        .add_decision(
            &review,
            &DecisionDraft {
                text: long,
                kind: DecisionKind::Change,
                inputs: Vec::new(),
            },
            NOW,
        )
        .unwrap();
    let ws = doc.read().unwrap();
    let draft = draft_from_decision(&ws, &decision_ref(&review, &decision)).unwrap();
    assert!(draft.title.chars().count() <= 240, "{}", draft.title);
    assert!(draft.title.ends_with(" the…"), "{}", draft.title);
}

#[test]
fn changes_are_listed_newest_first() {
    let (mut doc, _, priya) = workspace();
    let first = doc
        .add_planned_change(&change("First", &priya), NOW)
        .unwrap();
    let second = doc
        .add_planned_change(&change("Second", &priya), NOW + 10)
        .unwrap();
    let ws = doc.read().unwrap();
    let order: Vec<&String> = changes_newest_first(&ws)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(order, vec![&second, &first]);
}
