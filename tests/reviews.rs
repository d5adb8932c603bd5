//! Native tests of management reviews (issue 12): actions carried forward
//! from review to review, the inputs' considerations, the chair's signed
//! sign-off that stays frozen when an offline edit is merged afterwards,
//! and the messages for a review or an action that lacks what 9.3 needs.
#![cfg(not(target_arch = "wasm32"))]

use automerge::AutoCommit;
use charter::workspace::reviews::{
    ActionDraft, ActionStatus, ActionUpdateDraft, Conclusion, DecisionDraft, DecisionKind, Input,
    REVIEW_TEXTS, ReviewDraft, carried_actions, changed_after_signoff, content_digest,
    current_content, review_markdown, role_problems, schedule, shared_references, signoff_blockers,
    summarise_inputs, verify_signoff,
};
use charter::workspace::roles::{PersonDraft, RoleDraft, RoleKind};
use charter::workspace::signing::{DeviceKey, Trust, Unverified, Verdict};
use charter::workspace::text::LongText;
use charter::workspace::{CommandError, Field, Workspace, WorkspaceDoc};

const NOW: i64 = 1_780_000_000_000;
const DAY: i64 = 86_400_000;

/// Claire (CEO, Top management) in her own browser, with the founding key
/// recorded for her; Martin (CFO, Top management) and Priya (CISO).
struct Setup {
    doc: WorkspaceDoc,
    claire: String,
    martin: String,
    priya: String,
}

fn setup() -> Setup {
    let mut doc = WorkspaceDoc::create("Alder & Finch", "All offices", "Claire", NOW).unwrap();
    doc.set_device_key(Some(DeviceKey::from_seed([7; 32])));
    doc.claim_founder(NOW).unwrap();
    let person = |name: &str| PersonDraft {
        name: name.into(),
        title: String::new(),
        email: String::new(),
    };
    let claire = doc.add_person(&person("Claire Hoffmann"), NOW).unwrap();
    let martin = doc.add_person(&person("Martin Kessler"), NOW).unwrap();
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
    doc.set_role_holder(&top, &martin, true, NOW).unwrap();
    doc.put_forward_key(&claire, "Claire's laptop", NOW)
        .unwrap();
    Setup {
        doc,
        claire,
        martin,
        priya,
    }
}

fn plan(s: &mut Setup, date: &str, now: i64) -> String {
    s.doc
        .plan_review(
            &ReviewDraft {
                date: date.into(),
                chair: s.claire.clone(),
                attendees: vec![s.martin.clone(), s.priya.clone()],
            },
            now,
        )
        .unwrap()
}

fn action(s: &mut Setup, review: &str, title: &str, now: i64) -> String {
    s.doc
        .add_action(
            review,
            &ActionDraft {
                title: title.into(),
                owner: s.priya.clone(),
                due: "2027-06-30".into(),
                decision: String::new(),
            },
            now,
        )
        .unwrap()
}

fn close(s: &mut Setup, action: &str, date: &str, now: i64) {
    s.doc
        .update_action(
            action,
            &ActionUpdateDraft {
                status: ActionStatus::Done,
                note: "Finished".into(),
                date: date.into(),
            },
            "2099-01-01",
            now,
        )
        .unwrap();
}

/// Writes a note on every input, records the conclusion and prepares the pack.
fn complete(s: &mut Setup, id: &str, now: i64) {
    for input in Input::ALL {
        s.doc
            .splice_review_text(
                id,
                input.notes_field(),
                0,
                0,
                &format!("Considered ({})", input.letter()),
                now,
            )
            .unwrap();
    }
    conclude(s, id, now);
    let ws = s.doc.read().unwrap();
    let summaries = summarise_inputs(&ws, id, "2026-06-01");
    s.doc.prepare_review(id, summaries, now).unwrap();
}

fn conclude(s: &mut Setup, id: &str, now: i64) {
    s.doc
        .set_conclusion(
            id,
            &Conclusion {
                suitable: Some(true),
                adequate: Some(true),
                effective: Some(false),
                statement: "Effective once the phishing actions land.".into(),
            },
            now,
        )
        .unwrap();
}

fn titles(ws: &Workspace, review: &str) -> Vec<(String, ActionStatus)> {
    carried_actions(ws, review)
        .iter()
        .map(|c| (c.action.title.clone(), c.action.status))
        .collect()
}

fn trust(ws: &Workspace) -> Trust<'_> {
    Trust {
        founder: &ws.meta.founder,
        pinned: None,
        keys: &ws.keys,
        roles: &ws.roles,
    }
}

fn not_allowed(result: Result<(), CommandError>) -> String {
    match result {
        Err(CommandError::NotAllowed(message)) => message,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn open_actions_carry_forward_across_three_reviews_and_close_where_done() {
    let mut s = setup();
    let first = plan(&mut s, "2026-01-15", NOW);
    let phishing = action(&mut s, &first, "Run a phishing drill", NOW + 1);
    let backups = action(&mut s, &first, "Test the backups", NOW + 2);
    let suppliers = action(&mut s, &first, "Review supplier contracts", NOW + 3);
    let second = plan(&mut s, "2026-07-15", NOW + 4);
    // The references number the reviews of each year.
    let ws = s.doc.read().unwrap();
    assert_eq!(ws.reviews[&first].reference, "MR-2026-01");
    assert_eq!(ws.reviews[&second].reference, "MR-2026-02");
    // Nothing before the first review.
    assert!(carried_actions(&ws, &first).is_empty());
    close(&mut s, &backups, "2026-03-01", NOW + 5);
    let ws = s.doc.read().unwrap();
    // Open ones first; the one done since the first review is still reported.
    assert_eq!(
        titles(&ws, &second),
        [
            ("Review supplier contracts".to_owned(), ActionStatus::Open),
            ("Run a phishing drill".to_owned(), ActionStatus::Open),
            ("Test the backups".to_owned(), ActionStatus::Done),
        ]
    );
    let history = &ws.actions[&backups].updates_in_order();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].note, "Finished");
    // The second review raises one more; the phishing drill is done after it.
    let awareness = action(&mut s, &second, "Brief the board on awareness", NOW + 6);
    close(&mut s, &phishing, "2026-09-01", NOW + 7);
    let third = plan(&mut s, "2027-01-20", NOW + 8);
    let ws = s.doc.read().unwrap();
    assert_eq!(ws.reviews[&third].reference, "MR-2027-01");
    // The backups were reported at the second review and are gone now; the
    // drill, done since the second, is reported once; the rest are open.
    assert_eq!(
        titles(&ws, &third),
        [
            (
                "Brief the board on awareness".to_owned(),
                ActionStatus::Open
            ),
            ("Review supplier contracts".to_owned(), ActionStatus::Open),
            ("Run a phishing drill".to_owned(), ActionStatus::Done),
        ]
    );
    // The summary of input (a) says the same, raised where and by whom.
    let summary = &summarise_inputs(&ws, &third, "2027-01-10")["a"];
    assert!(summary.known);
    assert_eq!(summary.lines.len(), 3);
    assert!(
        summary.lines[1].text.contains(
            "Review supplier contracts (Priya Raman, due 2027-06-30; raised in MR-2026-01)"
        ),
        "{:?}",
        summary.lines
    );
    assert_eq!(summary.lines[0].link, format!("actions#record-{awareness}"));
    assert!(summary.lines[2].text.starts_with("Done on 2026-09-01"));
    let _ = suppliers;
}

#[test]
fn a_review_is_not_signed_while_an_input_has_no_consideration() {
    let mut s = setup();
    let id = plan(&mut s, "2026-06-20", NOW);
    let ws = s.doc.read().unwrap();
    let blockers = signoff_blockers(&ws, &ws.reviews[&id]);
    assert!(
        blockers
            .iter()
            .any(|b| b.contains("Prepare the pack first"))
    );
    assert!(
        blockers
            .iter()
            .any(|b| b.contains("Not considered yet: (a), (b), (c), (d), (e), (f), (g).")),
        "{blockers:?}"
    );
    // Notes on five inputs and a decision citing (f); (g) has nothing.
    for input in &Input::ALL[..5] {
        s.doc
            .splice_review_text(&id, input.notes_field(), 0, 0, "Discussed.", NOW + 1)
            .unwrap();
    }
    s.doc
        .add_decision(
            &id,
            &DecisionDraft {
                text: "Commission a risk assessment of the new office".into(),
                kind: DecisionKind::Change,
                inputs: vec!["f".into()],
            },
            NOW + 2,
        )
        .unwrap();
    // A note of blanks is no consideration.
    s.doc
        .splice_review_text(&id, "notes_g", 0, 0, "  \n", NOW + 3)
        .unwrap();
    conclude(&mut s, &id, NOW + 4);
    let ws = s.doc.read().unwrap();
    let summaries = summarise_inputs(&ws, &id, "2026-06-19");
    s.doc.prepare_review(&id, summaries, NOW + 5).unwrap();
    let message = not_allowed(s.doc.sign_off_review(&id, NOW + 6));
    assert!(message.contains("Not considered yet: (g)."), "{message}");
    assert!(s.doc.review(&id).unwrap().unwrap().signoff.is_none());
    // A decision citing (g) is a consideration: now it signs.
    s.doc
        .add_decision(
            &id,
            &DecisionDraft {
                text: "Fund the awareness programme".into(),
                kind: DecisionKind::Resources,
                inputs: vec!["g".into(), "z".into()],
            },
            NOW + 7,
        )
        .unwrap();
    s.doc.sign_off_review(&id, NOW + 8).unwrap();
    let ws = s.doc.read().unwrap();
    let review = &ws.reviews[&id];
    let signoff = review.signoff.as_ref().unwrap();
    assert_eq!(signoff.revision, 1);
    assert!(matches!(
        verify_signoff(&trust(&ws), &id, signoff),
        Verdict::Verified { ref person, .. } if *person == s.claire
    ));
    // The unknown letter was dropped from the decision.
    assert!(review.decisions.values().all(|d| d.inputs != ["g", "z"]));
}

#[test]
fn the_signed_version_stays_frozen_when_an_offline_edit_is_merged_and_the_edit_is_flagged() {
    let mut s = setup();
    let id = plan(&mut s, "2026-06-20", NOW);
    s.doc
        .splice_review_text(&id, "minutes", 0, 0, "Opened at 9:00.", NOW + 1)
        .unwrap();
    let raised = action(&mut s, &id, "Run a phishing drill", NOW + 2);
    complete(&mut s, &id, NOW + 3);
    // Martin's laptop has the review, goes offline and keeps typing.
    let bytes = s.doc.automerge().save();
    let mut martin = WorkspaceDoc::from_automerge(AutoCommit::load(&bytes).unwrap(), "Martin");
    martin
        .splice_review_text(&id, "minutes", 15, 0, " Martin joined late.", NOW + 4)
        .unwrap();
    // Claire signs meanwhile.
    s.doc.sign_off_review(&id, NOW + 5).unwrap();
    let signed = s.doc.read().unwrap().reviews[&id].clone();
    let signoff = signed.signoff.clone().unwrap();
    assert_eq!(signoff.content.minutes, "Opened at 9:00.");
    assert!(signoff.content.actions.contains_key(&raised));
    // Nothing differs yet.
    let ws = s.doc.read().unwrap();
    assert!(changed_after_signoff(&ws, &id, &signed).is_empty());
    // After sign-off this browser refuses edits.
    let refused = not_allowed(s.doc.splice_review_text(&id, "minutes", 0, 0, "x", NOW + 6));
    assert_eq!(
        refused,
        "MR-2026-01 is signed. Open a new revision to change it."
    );
    // The offline edit arrives.
    s.doc.automerge().merge(martin.automerge()).unwrap();
    let ws = s.doc.read().unwrap();
    let review = &ws.reviews[&id];
    assert_eq!(
        review.minutes.as_str(),
        "Opened at 9:00. Martin joined late.",
        "the late edit is kept"
    );
    let signoff = review.signoff.as_ref().unwrap();
    assert_eq!(
        signoff.content.minutes, "Opened at 9:00.",
        "the signed copy is not"
    );
    assert_eq!(changed_after_signoff(&ws, &id, review), ["The minutes"]);
    // The signature still verifies: it covers the signed copy.
    assert!(matches!(
        verify_signoff(&trust(&ws), &id, signoff),
        Verdict::Verified { .. }
    ));
    // A signed copy altered afterwards does not.
    let mut forged = signoff.clone();
    forged.content.minutes = "Nothing was discussed.".into();
    assert_eq!(
        verify_signoff(&trust(&ws), &id, &forged),
        Verdict::Unverified(Unverified::Altered)
    );
    forged.digest = content_digest(&forged.content);
    assert_eq!(
        verify_signoff(&trust(&ws), &id, &forged),
        Verdict::Unverified(Unverified::Altered),
        "a fresh digest does not match the signature"
    );
    // Changing an action as decided is flagged too; progress on it is not.
    close(&mut s, &raised, "2026-06-01", NOW + 7);
    let ws = s.doc.read().unwrap();
    assert_eq!(
        changed_after_signoff(&ws, &id, &ws.reviews[&id]),
        ["The minutes"]
    );
    // The Markdown export is the signed version, with the late change listed.
    let markdown = review_markdown(&ws, &id, "Signature verified", NOW + 8).unwrap();
    assert!(markdown.contains("Opened at 9:00.\n"));
    assert!(!markdown.contains("Martin joined late"));
    assert!(
        markdown.contains(
            "## Changed after sign-off (not part of the signed version)\n\n- The minutes"
        )
    );
    // A new revision is opened deliberately: the first stays with its signature.
    s.doc.open_revision(&id, NOW + 9).unwrap();
    let ws = s.doc.read().unwrap();
    let review = &ws.reviews[&id];
    assert!(review.signoff.is_none());
    assert_eq!(review.revision(), 2);
    assert_eq!(review.former[0].content.minutes, "Opened at 9:00.");
    assert!(matches!(
        verify_signoff(&trust(&ws), &id, &review.former[0]),
        Verdict::Verified { .. }
    ));
    s.doc
        .splice_review_text(&id, "minutes", 0, 0, "Revised. ", NOW + 10)
        .unwrap();
    s.doc.sign_off_review(&id, NOW + 11).unwrap();
    let ws = s.doc.read().unwrap();
    let signoff = ws.reviews[&id].signoff.clone().unwrap();
    assert_eq!(signoff.revision, 2);
    assert!(signoff.content.minutes.starts_with("Revised. Opened"));
    assert!(matches!(
        verify_signoff(&trust(&ws), &id, &signoff),
        Verdict::Verified { .. }
    ));
}

#[test]
fn a_chair_without_the_role_and_an_action_without_owner_or_due_date_get_clear_messages() {
    let mut s = setup();
    // No chair: not planned.
    let Err(CommandError::Invalid(errors)) = s.doc.plan_review(
        &ReviewDraft {
            date: "2026-06-20".into(),
            chair: String::new(),
            attendees: vec![s.martin.clone()],
        },
        NOW,
    ) else {
        panic!("planned without a chair");
    };
    assert_eq!(
        errors.message(Field::ReviewChair),
        Some("Choose who chairs the review: a review cannot be planned without a chair.")
    );
    // Priya chairs, with only Priya's team: planned, but it says why it
    // cannot be signed as it is.
    let id = s
        .doc
        .plan_review(
            &ReviewDraft {
                date: "2026-06-20".into(),
                chair: s.priya.clone(),
                attendees: vec![s.priya.clone()],
            },
            NOW,
        )
        .unwrap();
    let ws = s.doc.read().unwrap();
    assert_eq!(
        ws.reviews[&id].attendees,
        Vec::<String>::new(),
        "the chair is not an attendee"
    );
    assert_eq!(
        role_problems(&ws, &ws.reviews[&id]),
        [
            "Priya Raman chairs the review but does not hold the Top management role: the \
             chair must be a member of top management.",
            "No attendee holds the Top management role: at least one attendee besides the \
             chair must be a member of top management.",
        ]
    );
    complete(&mut s, &id, NOW + 1);
    let message = not_allowed(s.doc.sign_off_review(&id, NOW + 2));
    assert!(
        message.contains("Priya Raman chairs the review but does not hold"),
        "{message}"
    );
    // An action needs an owner and a due date.
    let Err(CommandError::Invalid(errors)) = s.doc.add_action(
        &id,
        &ActionDraft {
            title: "Test the backups".into(),
            owner: String::new(),
            due: String::new(),
            decision: String::new(),
        },
        NOW + 3,
    ) else {
        panic!("an action without owner or due date was raised");
    };
    assert_eq!(
        errors.message(Field::ActionOwner),
        Some("Choose who owns the action: every action needs an owner.")
    );
    assert_eq!(
        errors.message(Field::ActionDue),
        Some("Enter the due date: every action needs one (YYYY-MM-DD).")
    );
    let Err(CommandError::Invalid(errors)) = s.doc.add_action(
        &id,
        &ActionDraft {
            title: "Test the backups".into(),
            owner: s.priya.clone(),
            due: "next week".into(),
            decision: String::new(),
        },
        NOW + 3,
    ) else {
        panic!("a due date in words was accepted");
    };
    assert_eq!(
        errors.message(Field::ActionDue),
        Some("Enter the due date as YYYY-MM-DD.")
    );
    // Dropping an action needs a reason; a day in the future is refused.
    let raised = action(&mut s, &id, "Test the backups", NOW + 4);
    let Err(CommandError::Invalid(errors)) = s.doc.update_action(
        &raised,
        &ActionUpdateDraft {
            status: ActionStatus::Dropped,
            note: String::new(),
            date: "2026-07-01".into(),
        },
        "2026-06-01",
        NOW + 5,
    ) else {
        panic!("dropped without a reason");
    };
    assert_eq!(
        errors.message(Field::ActionNote),
        Some("Say why the action is dropped.")
    );
    assert_eq!(
        errors.message(Field::ActionUpdateDate),
        Some("The day cannot be in the future.")
    );
}

#[test]
fn only_the_chair_signs_and_only_from_a_key_recorded_for_them() {
    let mut s = setup();
    let id = s
        .doc
        .plan_review(
            &ReviewDraft {
                date: "2026-06-20".into(),
                chair: s.martin.clone(),
                attendees: vec![s.claire.clone()],
            },
            NOW,
        )
        .unwrap();
    complete(&mut s, &id, NOW + 1);
    let message = not_allowed(s.doc.sign_off_review(&id, NOW + 2));
    assert_eq!(
        message,
        "Only the chair, Martin Kessler, can sign this review; this browser's key is recorded \
         for Claire Hoffmann."
    );
    // Martin's browser has a key nobody recorded yet.
    let bytes = s.doc.automerge().save();
    let mut martin = WorkspaceDoc::from_automerge(AutoCommit::load(&bytes).unwrap(), "Martin");
    martin.set_device_key(Some(DeviceKey::from_seed([9; 32])));
    let message = not_allowed(martin.sign_off_review(&id, NOW + 3));
    assert!(
        message.contains("Record this browser's key for Martin Kessler"),
        "{message}"
    );
    // Recorded but not confirmed: it signs, and the signature says it is not verified.
    martin
        .put_forward_key(&s.martin, "Martin's laptop", NOW + 4)
        .unwrap();
    martin.sign_off_review(&id, NOW + 5).unwrap();
    let ws = martin.read().unwrap();
    assert_eq!(
        verify_signoff(&trust(&ws), &id, ws.reviews[&id].signoff.as_ref().unwrap()),
        Verdict::Unverified(Unverified::KeyNotConfirmed)
    );
}

#[test]
fn the_schedule_says_when_the_next_review_is_due_and_when_it_is_overdue() {
    let mut s = setup();
    let ws = s.doc.read().unwrap();
    let empty = schedule(&ws, "2026-06-01");
    assert_eq!(
        (empty.every_months, empty.due, empty.overdue),
        (None, None, false)
    );
    s.doc.set_review_interval(Some(12), NOW).unwrap();
    assert!(matches!(
        s.doc.set_review_interval(Some(0), NOW),
        Err(CommandError::Invalid(_))
    ));
    let created = charter::workspace::measurements::date_of(NOW);
    let ws = s.doc.read().unwrap();
    let first = schedule(&ws, "2026-06-01");
    let due = charter::workspace::assessment::add_months(&created, 12).unwrap();
    assert_eq!(first.due.as_deref(), Some(due.as_str()));
    assert!(!first.overdue);
    assert!(schedule(&ws, "2099-01-01").overdue);
    // A review planned for a day: that day is when it is due.
    let id = plan(&mut s, "2026-09-10", NOW + 1);
    let ws = s.doc.read().unwrap();
    let planned = schedule(&ws, "2026-06-01");
    assert_eq!(planned.planned, Some((id.clone(), "2026-09-10".to_owned())));
    assert_eq!(planned.due.as_deref(), Some("2026-09-10"));
    // Once its day has passed it counts as held (not signed yet): the next
    // is due a year on.
    let after = schedule(&ws, "2026-09-11");
    assert_eq!(after.last_held.as_deref(), Some("2026-09-10"));
    assert_eq!(after.due.as_deref(), Some("2027-09-10"));
    assert!(!after.overdue);
    assert!(schedule(&ws, "2027-09-11").overdue);
    // Once held (signed), the next is due a year after it.
    complete(&mut s, &id, NOW + 2);
    s.doc.sign_off_review(&id, NOW + 3).unwrap();
    let ws = s.doc.read().unwrap();
    let held = schedule(&ws, "2026-09-11");
    assert_eq!(held.last_held.as_deref(), Some("2026-09-10"));
    assert_eq!(held.due.as_deref(), Some("2027-09-10"));
    assert!(!held.overdue);
    assert!(held.planned.is_none());
}

#[test]
fn the_markdown_export_holds_every_section() {
    let mut s = setup();
    let id = plan(&mut s, "2026-06-20", NOW);
    s.doc
        .splice_review_text(&id, "minutes", 0, 0, "The board met | in full.", NOW + 1)
        .unwrap();
    let decision = s
        .doc
        .add_decision(
            &id,
            &DecisionDraft {
                text: "Adopt multi-factor sign-in everywhere".into(),
                kind: DecisionKind::Change,
                inputs: vec!["d".into()],
            },
            NOW + 2,
        )
        .unwrap();
    s.doc
        .add_action(
            &id,
            &ActionDraft {
                title: "Roll out MFA | phase 1".into(),
                owner: s.priya.clone(),
                due: "2026-09-30".into(),
                decision,
            },
            NOW + 3,
        )
        .unwrap();
    complete(&mut s, &id, NOW + 4);
    let ws = s.doc.read().unwrap();
    let markdown = review_markdown(&ws, &id, "", NOW + 5).unwrap();
    for heading in [
        "# Management review MR-2026-01 — Alder & Finch",
        "## Agenda",
        "## Inputs (clause 9.3.2)",
        "## Minutes",
        "## Decisions (clause 9.3.3)",
        "## Actions",
        "## Conclusion",
        "## What changed since the last review",
        "### Objectives",
        "### Policies",
        "### Budget",
        "### People in roles",
    ] {
        assert!(
            markdown.contains(&format!("{heading}\n")),
            "{heading} missing"
        );
    }
    for input in Input::ALL {
        assert!(markdown.contains(&format!("### ({}) {}\n", input.letter(), input.title())));
        assert!(markdown.contains(&format!("Considered ({})", input.letter())));
    }
    assert!(
        markdown.contains("- Chair: Claire Hoffmann\n- Attendees: Martin Kessler, Priya Raman\n")
    );
    assert!(markdown.contains("- Sign-off: not signed\n"));
    assert!(markdown.contains("The board met | in full."));
    assert!(markdown.contains(
        "- **Change to the ISMS**: Adopt multi-factor sign-in everywhere — considers input (d)"
    ));
    assert!(markdown.contains("| Roll out MFA \\| phase 1 | Priya Raman | 2026-09-30 | Open |"));
    assert!(markdown.contains("- The ISMS remains effective: No\n"));
    // The roles given since the workspace began are in the changes.
    assert!(markdown.contains("- Claire Hoffmann took on Top management on "));
}

#[test]
fn review_texts_are_live_texts_with_their_own_keys() {
    let mut s = setup();
    let id = plan(&mut s, "2026-06-20", NOW);
    for field in REVIEW_TEXTS {
        let text = LongText::ReviewText(id.clone(), field);
        assert_eq!(LongText::from_key(&text.key()), Some(text.clone()));
        s.doc.splice_long_text(&text, 0, 0, "ab", NOW + 1).unwrap();
        let cursor = s.doc.text_cursor(&text, 1, None).unwrap();
        assert_eq!(s.doc.text_cursor_position(&text, &cursor), Some(1));
    }
    assert_eq!(LongText::from_key(&format!("review:{id}:secrets")), None);
    let ws = s.doc.read().unwrap();
    let review = &ws.reviews[&id];
    assert_eq!(review.minutes.as_str(), "ab");
    assert!(Input::ALL.into_iter().all(|i| review.notes(i) == "ab"));
    // The digest covers the notes: one character more changes it.
    let before = content_digest(&current_content(&ws, &id, review));
    s.doc
        .splice_review_text(&id, "notes_c", 2, 0, "c", NOW + 2)
        .unwrap();
    let ws = s.doc.read().unwrap();
    let after = content_digest(&current_content(&ws, &id, &ws.reviews[&id]));
    assert_ne!(before, after);
    // An edit outside the text is refused and changes nothing.
    let message = not_allowed(s.doc.splice_review_text(&id, "minutes", 9, 1, "", NOW + 3));
    assert!(message.contains("falls outside the text"));
    let _ = DAY;
}

#[test]
fn a_duty_confirmation_holds_until_the_next_management_review() {
    use charter::workspace::commitment::{Duty, DutyState, duty_state};
    let mut s = setup();
    s.doc
        .set_duty_justification(
            Duty::A,
            "The policy and objectives are set by the board.",
            NOW,
        )
        .unwrap();
    s.doc.confirm_duty(Duty::A, true, NOW + 1).unwrap();
    let ws = s.doc.read().unwrap();
    assert_eq!(duty_state(&ws, Duty::A), DutyState::Confirmed);
    // A review planned, or held but not signed, changes nothing.
    let id = plan(&mut s, "2026-06-20", NOW + 2);
    complete(&mut s, &id, NOW + 3);
    assert_eq!(
        duty_state(&s.doc.read().unwrap(), Duty::A),
        DutyState::Confirmed
    );
    // Once the review is signed, the confirmation must be given again.
    s.doc.sign_off_review(&id, NOW + 4).unwrap();
    let ws = s.doc.read().unwrap();
    assert_eq!(duty_state(&ws, Duty::A), DutyState::Lapsed);
    assert_eq!(
        charter::workspace::commitment::review_signed_since(&ws, NOW + 1),
        Some("2026-06-20")
    );
    assert_eq!(
        charter::workspace::commitment::commitment_progress(&ws).confirmed,
        0
    );
    s.doc.confirm_duty(Duty::A, true, NOW + 5).unwrap();
    let ws = s.doc.read().unwrap();
    assert_eq!(duty_state(&ws, Duty::A), DutyState::Confirmed);
    assert!(matches!(
        charter::workspace::signing::Trust {
            founder: &ws.meta.founder,
            pinned: None,
            keys: &ws.keys,
            roles: &ws.roles,
        }
        .verify(
            &charter::workspace::signing::Act::DutyConfirmation { duty: "a" },
            ws.commitment["a"]
                .confirmation
                .as_ref()
                .unwrap()
                .signature
                .as_ref()
        ),
        Verdict::Verified { .. }
    ));
}

#[test]
fn the_performance_input_gives_each_objective_its_latest_value_target_and_trend() {
    use charter::workspace::ObjectiveDraft;
    use charter::workspace::measurements::{Direction, MeasurementDraft};
    let mut s = setup();
    let objective = s
        .doc
        .add_objective(
            &ObjectiveDraft {
                title: "Phishing click rate".into(),
                target: "5".into(),
                unit: "%".into(),
                direction: Some(Direction::AtMost),
                owner_id: s.priya.clone(),
                due: "2027-06-30".into(),
                ..Default::default()
            },
            NOW,
        )
        .unwrap();
    for (date, value) in [
        ("2026-03-31", "12"),
        ("2026-04-30", "9"),
        ("2026-05-31", "7"),
    ] {
        s.doc
            .add_measurement(
                &objective,
                &MeasurementDraft {
                    date: date.into(),
                    value: value.into(),
                    note: String::new(),
                },
                NOW,
            )
            .unwrap();
    }
    let id = plan(&mut s, "2026-06-20", NOW + 1);
    let ws = s.doc.read().unwrap();
    let d = &summarise_inputs(&ws, &id, "2026-06-19")["d"];
    let line = d
        .lines
        .iter()
        .find(|l| l.text.contains("Phishing click rate"))
        .unwrap();
    assert!(
        line.text.starts_with(
            "Monitoring and measurement: Phishing click rate: latest 7% on 2026-05-31, target 5%, improving;"
        ),
        "{}",
        line.text
    );
    assert_eq!(line.link, format!("objectives#record-{objective}"));
    // Where Charter holds nothing, the input says so and asks for notes.
    let f = &summarise_inputs(&ws, &id, "2026-06-19")["f"];
    assert!(!f.known);
    assert!(
        f.lines[0]
            .text
            .starts_with("Charter does not hold the risk assessment")
    );
    let _ = DAY;
}

#[test]
fn the_risk_input_names_the_risks_above_the_threshold_and_the_treatment_plan() {
    use charter::workspace::risks::{Property, RiskDraft, TreatmentOption};
    let mut s = setup();
    let id = plan(&mut s, "2026-06-20", NOW);
    let ws = s.doc.read().unwrap();
    assert!(!summarise_inputs(&ws, &id, "2026-06-19")["f"].known);
    s.doc
        .add_risk(
            &RiskDraft {
                title: "Ransomware on the booking platform".into(),
                asset: "Booking platform".into(),
                threat: "Ransomware".into(),
                vulnerability: "Unpatched servers".into(),
                properties: vec![Property::Availability],
                owner: s.priya.clone(),
                inherent_likelihood: "4".into(),
                inherent_consequence: "5".into(),
                residual_likelihood: "3".into(),
                residual_consequence: "3".into(),
                treatment: TreatmentOption::Modify,
                controls: vec!["8.7".into()],
                reassess_by: String::new(),
            },
            NOW + 1,
        )
        .unwrap();
    let ws = s.doc.read().unwrap();
    let f = &summarise_inputs(&ws, &id, "2026-06-19")["f"];
    assert!(f.known);
    let text: Vec<&str> = f.lines.iter().map(|l| l.text.as_str()).collect();
    assert!(
        text[0].starts_with("1 risks in the register; 1 above the acceptance threshold (6)"),
        "{text:?}"
    );
    assert!(text.iter().any(|l| l.starts_with(
        "Above the threshold: Ransomware on the booking platform (residual level 9, owner Priya Raman"
    )), "{text:?}");
    assert!(
        text.iter()
            .any(|l| l.contains("1 risks whose acceptance is missing")),
        "{text:?}"
    );
    // The overview counts it, and the Statement of Applicability's progress.
    let overview = charter::workspace::overview::Overview::of(&ws, "2026-06-19");
    assert_eq!(overview.risks_above, 1);
    assert_eq!((overview.controls, overview.controls_decided), (93, 0));
    assert!(overview.needs_attention());
}

#[test]
fn the_three_year_workspace_has_a_review_each_year_whose_open_actions_carry_forward() {
    let doc = charter::workspace::generate::three_year_workspace(7, 0.1, NOW).unwrap();
    let ws = doc.read().unwrap();
    let reviews = charter::workspace::reviews::reviews_in_order(&ws);
    assert_eq!(reviews.len(), 3);
    let (last, _) = reviews[2];
    let carried = carried_actions(&ws, last);
    // The open action of each earlier year, and the two closed since the review before.
    let open = carried.iter().filter(|c| c.action.status.is_open()).count();
    assert_eq!(open, 2, "{carried:?}");
    assert_eq!(carried.len(), 4, "{carried:?}");
    assert!(
        signoff_blockers(&ws, &ws.reviews[last])
            .iter()
            .any(|b| b.contains("Prepare the pack"))
    );
}

/// Two people plan a review apart (Martin's laptop offline): both take
/// MR-2026-01. Once the copies merge, the shared reference is found; the
/// signed review keeps it (its signature covers it) and the other takes the
/// next free number. Nothing is renumbered while its reference is its own.
#[test]
fn reviews_planned_apart_with_one_reference_are_found_and_one_is_renumbered() {
    let mut s = setup();
    let bytes = s.doc.automerge().save();
    let mut martin = WorkspaceDoc::from_automerge(AutoCommit::load(&bytes).unwrap(), "Martin");
    let ours = plan(&mut s, "2026-06-20", NOW + 1);
    let theirs = martin
        .plan_review(
            &ReviewDraft {
                date: "2026-07-04".into(),
                chair: s.martin.clone(),
                attendees: Vec::new(),
            },
            NOW + 2,
        )
        .unwrap();
    assert!(shared_references(&s.doc.read().unwrap()).is_empty());
    assert_eq!(
        not_allowed(s.doc.renumber_review(&ours, NOW + 3).map(|_| ())),
        "No other review has the reference MR-2026-01: it stays."
    );
    complete(&mut s, &ours, NOW + 4);
    s.doc.sign_off_review(&ours, NOW + 5).unwrap();

    s.doc.automerge().merge(martin.automerge()).unwrap();
    let ws = s.doc.read().unwrap();
    assert_eq!(ws.reviews[&ours].reference, "MR-2026-01");
    assert_eq!(ws.reviews[&theirs].reference, "MR-2026-01");
    assert_eq!(
        shared_references(&ws).into_iter().collect::<Vec<_>>(),
        vec!["MR-2026-01".to_owned()]
    );
    assert_eq!(
        not_allowed(s.doc.renumber_review(&ours, NOW + 6).map(|_| ())),
        "MR-2026-01 is signed. Open a new revision to change it."
    );
    assert_eq!(
        s.doc.renumber_review(&theirs, NOW + 7).unwrap(),
        "MR-2026-02"
    );
    let ws = s.doc.read().unwrap();
    assert_eq!(ws.reviews[&ours].reference, "MR-2026-01");
    assert_eq!(ws.reviews[&theirs].reference, "MR-2026-02");
    assert!(shared_references(&ws).is_empty());
    // The signature still holds, and the next review takes the next number.
    let signoff = ws.reviews[&ours].signoff.as_ref().unwrap();
    assert!(matches!(
        verify_signoff(&trust(&ws), &ours, signoff),
        Verdict::Verified { .. }
    ));
    let next = plan(&mut s, "2026-12-01", NOW + 8);
    assert_eq!(s.doc.read().unwrap().reviews[&next].reference, "MR-2026-03");
}
