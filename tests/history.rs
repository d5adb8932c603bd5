//! Native tests of the history (issue 10, point 2): who changed what and when,
//! newest first a page at a time, the workspace as of a change, and a deleted
//! record restored with its fields.
#![cfg(not(target_arch = "wasm32"))]

use automerge::{ActorId, AutoCommit};
use charter::workspace::history::{HistoryArea, HistoryEntry, HistoryWalk};
use charter::workspace::{ObjectiveDraft, WorkspaceDoc};

const NOW: i64 = 1_780_000_000_000;

fn draft(title: &str, target: &str) -> ObjectiveDraft {
    ObjectiveDraft {
        title: title.into(),
        target: target.into(),
        unit: "%".into(),
        direction: Some(charter::workspace::measurements::Direction::AtLeast),
        ..Default::default()
    }
}

fn all(doc: &mut AutoCommit) -> Vec<HistoryEntry> {
    let mut walk = HistoryWalk::new(doc);
    let mut entries = Vec::new();
    while !walk.is_done() {
        entries.extend(walk.next_page(doc, 10, 1_000, |_| true));
    }
    entries
}

#[test]
fn changes_by_two_people_read_newest_first_with_names_and_values() {
    let mut ada =
        WorkspaceDoc::create_as(ActorId::from([1; 16]), "Acme", "", "Ada Lovelace", NOW).unwrap();
    let id = ada
        .add_objective(&draft("Phishing click rate", "5"), NOW + 1_000)
        .unwrap();
    let mut bob =
        WorkspaceDoc::with_actor(ada.automerge().fork(), ActorId::from([2; 16]), "Bob Stone");
    bob.edit_objective(&id, &draft("Phishing click rate", "3"), NOW + 2_000)
        .unwrap();
    ada.automerge().merge(bob.automerge()).unwrap();

    let entries = all(ada.automerge());
    let messages: Vec<&str> = entries.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "Changed objective “Phishing click rate”: target 5% → 3%",
            "Added objective “Phishing click rate”",
            "Created the workspace of Acme",
        ]
    );
    assert_eq!(entries[0].actor, ActorId::from([2; 16]).to_hex_string());
    assert_eq!(entries[1].actor, ActorId::from([1; 16]).to_hex_string());
    assert_eq!(entries[0].time, NOW + 2_000);
    assert_eq!(entries[0].area, HistoryArea::Objectives);
    assert_eq!(entries[2].area, HistoryArea::Workspace);
    // The members map names the people behind the actors.
    let ws = ada.read().unwrap();
    assert_eq!(ws.members[&entries[0].actor].name, "Bob Stone");
    assert_eq!(ws.members[&entries[1].actor].name, "Ada Lovelace");

    // As of Ada's change, the target was still 5.
    let before = ada.as_of(&entries[1].hash).unwrap();
    assert_eq!(before.objectives[&id].target, Some(5.0));
    assert_eq!(ada.read().unwrap().objectives[&id].target, Some(3.0));
    assert!(ada.as_of("not a hash").is_err());
}

#[test]
fn a_deleted_record_comes_back_with_its_fields_from_the_history() {
    let mut ws = WorkspaceDoc::create("Acme", "", "Ada", NOW).unwrap();
    let id = ws
        .add_objective(&draft("Encrypt laptops", "100"), NOW)
        .unwrap();
    ws.delete_objective(&id, NOW + 1).unwrap();
    let entries = all(ws.automerge());
    assert_eq!(entries[0].message, "Deleted objective “Encrypt laptops”");
    let then = ws.as_of(&entries[1].hash).unwrap();
    let objective = then.objectives[&id].clone();
    ws.restore_objective(&id, &objective, NOW + 2).unwrap();
    let now = ws.read().unwrap();
    assert_eq!(now.objectives[&id].title, "Encrypt laptops");
    assert_eq!(now.objectives[&id].target, Some(100.0));
}

#[test]
fn pages_cover_every_change_once_and_filters_look_no_further_than_asked() {
    let mut ws = WorkspaceDoc::create("Acme", "", "Ada", NOW).unwrap();
    for i in 0..45 {
        ws.add_objective(&draft(&format!("Objective {i}"), "1"), NOW + i)
            .unwrap();
    }
    let total = ws.automerge().get_changes(&[]).len();
    let entries = all(ws.automerge());
    assert_eq!(entries.len(), total);
    let mut hashes: Vec<&str> = entries.iter().map(|e| e.hash.as_str()).collect();
    hashes.dedup();
    assert_eq!(hashes.len(), total);
    assert!(entries.windows(2).all(|w| w[0].time >= w[1].time));
    // A filter that matches nothing stops at the scan bound.
    let mut walk = HistoryWalk::new(ws.automerge());
    assert!(
        walk.next_page(ws.automerge(), 10, 20, |e| e.area == HistoryArea::Training)
            .is_empty()
    );
    assert!(!walk.is_done());
    assert_eq!(
        HistoryArea::of_message("Approved policy “Access” (version 2)"),
        HistoryArea::Policies
    );
    assert_eq!(
        HistoryArea::of_message("Approved EUR 1.00 of budget line Tools 2026 on 2026-01-01"),
        HistoryArea::Resources
    );
    assert_eq!(
        HistoryArea::of_message("Confirmed the signing key 3F2A as Ada’s (laptop)"),
        HistoryArea::Signing
    );
    assert_eq!(
        HistoryArea::of_message("Gave Ada the role Top management"),
        HistoryArea::PeopleAndRoles
    );
    for message in [
        "Recorded a decision in management review MR-2026-01: “Update the access control policy”",
        "Action “Review the objective on phishing”: Open → Done on 2026-03-01",
        "Changed action “Patch policy”: due 2026-01-01 → 2026-02-01",
        "Noted progress on action “Patch policy”",
        "Set management reviews to every 6 months",
    ] {
        assert_eq!(
            HistoryArea::of_message(message),
            HistoryArea::Reviews,
            "{message}"
        );
    }
}

#[test]
fn a_message_splits_into_text_dates_and_amounts() {
    use charter::workspace::history::{MessagePiece as P, message_pieces};
    assert_eq!(
        message_pieces("Recorded 96.5% on 2026-11-30 for objective “Patches”"),
        vec![
            P::Text("Recorded 96.5% on "),
            P::Date("2026-11-30"),
            P::Text(" for objective “Patches”"),
        ]
    );
    assert_eq!(
        message_pieces("Approved EUR 12,000.00 of “Tools” 2026, then EUR -5,000.50."),
        vec![
            P::Text("Approved "),
            P::Money {
                minor: 1_200_000,
                currency: "EUR"
            },
            P::Text(" of “Tools” 2026, then "),
            P::Money {
                minor: -500_050,
                currency: "EUR"
            },
            P::Text("."),
        ]
    );
    assert_eq!(
        message_pieces("due 2026-12-31 → 2027-03-31"),
        vec![
            P::Text("due "),
            P::Date("2026-12-31"),
            P::Text(" → "),
            P::Date("2027-03-31"),
        ]
    );
    // Not dates or amounts: a day that does not exist, a date inside a word, a
    // clause number, a lower-case or unspaced code, an amount without cents.
    for text in [
        "on 2026-02-30",
        "ref x2026-11-30 and 2026-11-30b",
        "clause 5.1 a",
        "eur 12.00, EUR12.00, EUR 12, EUR .50, EUR 12.5",
        "",
    ] {
        let pieces = message_pieces(text);
        assert!(
            pieces.iter().all(|p| matches!(p, P::Text(_))),
            "{text}: {pieces:?}"
        );
        assert_eq!(pieces.len(), usize::from(!text.is_empty()), "{text}");
    }
}

#[test]
fn every_amount_the_model_writes_reads_back() {
    use charter::workspace::history::{MessagePiece, message_pieces};
    use charter::workspace::resources::money_label;
    for minor in [0, 5, 99, 100, 1_250_050, -500_050, 123_456_789_012] {
        let text = format!("spent {}", money_label(minor, "USD"));
        assert_eq!(
            message_pieces(&text).last(),
            Some(&MessagePiece::Money {
                minor,
                currency: "USD"
            }),
            "{text}"
        );
    }
}
