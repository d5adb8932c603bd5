//! Native tests of concurrent edits of one field: both values are found,
//! with who wrote each, and the one a person keeps supersedes the others.
#![cfg(not(target_arch = "wasm32"))]

use automerge::AutoCommit;
use charter::workspace::measurements::Direction;
use charter::workspace::{ObjectiveDraft, WorkspaceDoc};

const NOW: i64 = 1_780_000_000_000;

fn draft(title: &str, target: &str) -> ObjectiveDraft {
    ObjectiveDraft {
        title: title.into(),
        target: target.into(),
        unit: "%".into(),
        direction: Some(Direction::AtMost),
        ..Default::default()
    }
}

fn fork(ws: &mut WorkspaceDoc, author: &str) -> WorkspaceDoc {
    WorkspaceDoc::from_automerge(AutoCommit::load(&ws.automerge().save()).unwrap(), author)
}

fn sync(a: &mut WorkspaceDoc, b: &mut WorkspaceDoc) {
    a.automerge().merge(b.automerge()).unwrap();
    b.automerge().merge(a.automerge()).unwrap();
}

#[test]
fn two_offline_renames_are_both_kept_shown_and_one_is_chosen() {
    let mut ada = WorkspaceDoc::create("Acme Ltd", "", "Ada", NOW).unwrap();
    let id = ada.add_objective(&draft("Phishing", "5"), NOW).unwrap();
    let mut bob = fork(&mut ada, "Bob");
    assert!(ada.objective_conflicts(&id).unwrap().is_empty());

    // Offline, both rename it; Bob also changes the target, Ada does not.
    ada.edit_objective(&id, &draft("Phishing click rate", "5"), NOW + 1)
        .unwrap();
    bob.edit_objective(&id, &draft("Phishing clicks", "3"), NOW + 2)
        .unwrap();
    sync(&mut ada, &mut bob);

    for doc in [&ada, &bob] {
        let conflicts = doc.objective_conflicts(&id).unwrap();
        assert_eq!(conflicts.len(), 1, "only the title was changed by both");
        let title = &conflicts[0];
        assert_eq!((title.field, title.label), ("title", "title"));
        let mut values: Vec<(String, String)> = title
            .values
            .iter()
            .map(|v| (v.value.clone().unwrap(), v.actor.clone()))
            .collect();
        values.sort();
        let mut expected = vec![
            ("Phishing click rate".to_owned(), ada.actor()),
            ("Phishing clicks".to_owned(), bob.actor()),
        ];
        expected.sort();
        assert_eq!(values, expected);
        // The first listed is the one shown.
        let shown = doc.objective(&id).unwrap().unwrap().title;
        assert_eq!(title.values[0].value.as_deref(), Some(shown.as_str()));
    }
    assert_eq!(ada.objective(&id).unwrap().unwrap().target, Some(3.0));

    // Ada keeps Bob's title; once synced, the conflict is gone for both.
    let shown = ada.objective(&id).unwrap().unwrap().title;
    let bobs = ada.objective_conflicts(&id).unwrap()[0]
        .values
        .iter()
        .position(|v| v.value.as_deref() == Some("Phishing clicks"))
        .unwrap();
    ada.resolve_objective_conflict(&id, "title", bobs, NOW + 3)
        .unwrap();
    sync(&mut ada, &mut bob);
    for doc in [&ada, &bob] {
        assert!(doc.objective_conflicts(&id).unwrap().is_empty());
        assert_eq!(
            doc.objective(&id).unwrap().unwrap().title,
            "Phishing clicks"
        );
    }
    let message = ada
        .automerge()
        .get_last_local_change()
        .unwrap()
        .message()
        .map(str::to_owned);
    assert_eq!(
        message,
        Some(format!(
            "Kept “Phishing clicks” as the title of objective “{shown}” (it had been changed at the same time by more than one person)"
        ))
    );
    // Nothing left to choose: a second choice changes nothing.
    let heads = ada.automerge().get_heads();
    ada.resolve_objective_conflict(&id, "title", 0, NOW + 4)
        .unwrap();
    assert_eq!(ada.automerge().get_heads(), heads);
}

#[test]
fn a_number_changed_by_both_is_found_too() {
    let mut ada = WorkspaceDoc::create("Acme Ltd", "", "Ada", NOW).unwrap();
    let id = ada
        .add_objective(&draft("Patch latency", "14"), NOW)
        .unwrap();
    let mut bob = fork(&mut ada, "Bob");
    ada.edit_objective(&id, &draft("Patch latency", "10"), NOW + 1)
        .unwrap();
    bob.edit_objective(&id, &draft("Patch latency", "7"), NOW + 2)
        .unwrap();
    sync(&mut ada, &mut bob);
    let conflicts = ada.objective_conflicts(&id).unwrap();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].label, "target");
    let mut numbers: Vec<String> = conflicts[0]
        .values
        .iter()
        .filter_map(|v| v.value.clone())
        .collect();
    numbers.sort();
    assert_eq!(numbers, ["10", "7"]);
}
