//! Native tests of the workspace commands and of how concurrent edits merge.
#![cfg(not(target_arch = "wasm32"))]

use automerge::AutoCommit;
use charter::workspace::{
    CommandError, Field, Health, ObjectiveDraft, WorkspaceDoc, validate::workspace_meta,
};

const NOW: i64 = 1_780_000_000_000;

fn draft(title: &str, target: &str) -> ObjectiveDraft {
    ObjectiveDraft {
        title: title.into(),
        target: target.into(),
        unit: "%".into(),
        direction: Some(charter::workspace::measurements::Direction::AtLeast),
        due: "2026-12-31".into(),
        ..Default::default()
    }
}

fn workspace() -> WorkspaceDoc {
    WorkspaceDoc::create("Acme Ltd", "All offices", "Ada", NOW).unwrap()
}

/// A second participant's copy: loaded from the first one's bytes.
fn fork(ws: &mut WorkspaceDoc, author: &str) -> WorkspaceDoc {
    let bytes = ws.automerge().save();
    WorkspaceDoc::from_automerge(AutoCommit::load(&bytes).unwrap(), author)
}

fn merge(into: &mut WorkspaceDoc, from: &mut WorkspaceDoc) {
    into.automerge().merge(from.automerge()).unwrap();
}

#[test]
fn create_records_meta_and_author() {
    let ws = workspace();
    let state = ws.read().unwrap();
    assert_eq!(state.meta.organisation, "Acme Ltd");
    assert_eq!(state.meta.scope, "All offices");
    assert_eq!(state.members.get(&ws.actor()).unwrap().name, "Ada");
    assert!(state.objectives.is_empty());
}

#[test]
fn create_requires_an_organisation_name() {
    let err = WorkspaceDoc::create("  ", "", "Ada", NOW).unwrap_err();
    let CommandError::Invalid(errors) = err else {
        panic!("expected a validation error")
    };
    assert_eq!(
        errors.message(Field::Organisation),
        Some("Enter the organisation's name.")
    );
}

#[test]
fn add_edit_delete_objectives() {
    let mut ws = workspace();
    let a = ws
        .add_objective(&draft("Phishing click rate", "5"), NOW + 1)
        .unwrap();
    let b = ws
        .add_objective(&draft("Patch latency", "14"), NOW + 2)
        .unwrap();
    let state = ws.read().unwrap();
    assert_eq!(state.objectives.len(), 2);
    assert_eq!(state.objectives[&a].target, Some(5.0));
    assert_eq!(state.objectives[&a].due.as_deref(), Some("2026-12-31"));
    let order: Vec<_> = state
        .objectives_in_order()
        .into_iter()
        .map(|(id, _)| id.clone())
        .collect();
    assert_eq!(order, vec![a.clone(), b.clone()]);

    let mut edited = draft("Phishing click rate below target", "3");
    edited.health = Health::AtRisk;
    edited.health_reason = "Two campaigns behind plan".into();
    edited.description = "Quarterly simulated campaigns".into();
    ws.edit_objective(&a, &edited, NOW + 3).unwrap();
    let objective = ws.objective(&a).unwrap().unwrap();
    assert_eq!(objective.title, "Phishing click rate below target");
    assert_eq!(objective.target, Some(3.0));
    assert_eq!(objective.health, Health::AtRisk);
    assert_eq!(
        objective.description.as_str(),
        "Quarterly simulated campaigns"
    );
    assert_eq!(objective.created_at, NOW + 1);

    let deleted = ws.delete_objective(&b, NOW + 4).unwrap();
    assert_eq!(deleted.title, "Patch latency");
    assert!(ws.objective(&b).unwrap().is_none());
    assert!(matches!(
        ws.delete_objective(&b, NOW + 5),
        Err(CommandError::ObjectiveNotFound)
    ));

    ws.restore_objective(&b, &deleted, NOW + 6).unwrap();
    assert_eq!(ws.objective(&b).unwrap().unwrap(), deleted);
}

#[test]
fn every_change_has_a_message_and_time() {
    let mut ws = workspace();
    let id = ws
        .add_objective(&draft("Phishing click rate", "5"), NOW + 1)
        .unwrap();
    ws.edit_objective(&id, &draft("Phishing click rate", "3"), NOW + 2)
        .unwrap();
    let changes = ws.automerge().get_changes(&[]);
    let messages: Vec<_> = changes
        .iter()
        .map(|c| c.message().unwrap().to_owned())
        .collect();
    assert_eq!(
        messages,
        vec![
            "Created the workspace of Acme Ltd",
            "Added objective “Phishing click rate”",
            "Changed objective “Phishing click rate”: target 5% → 3%",
        ]
    );
    let times: Vec<_> = changes.iter().map(|c| c.timestamp()).collect();
    assert_eq!(times, vec![NOW, NOW + 1, NOW + 2]);
}

#[test]
fn invalid_input_changes_nothing() {
    let mut ws = workspace();
    let heads = ws.automerge().get_heads();
    for bad in [
        draft("", "5"),
        draft("T", "five"),
        ObjectiveDraft {
            due: "31/12/2026".into(),
            ..draft("T", "")
        },
    ] {
        assert!(matches!(
            ws.add_objective(&bad, NOW + 1),
            Err(CommandError::Invalid(_))
        ));
    }
    let id = ws.add_objective(&draft("T", "1"), NOW + 1).unwrap();
    let heads_after_add = ws.automerge().get_heads();
    assert_ne!(heads, heads_after_add);
    assert!(ws.edit_objective(&id, &draft("T", "x"), NOW + 2).is_err());
    assert_eq!(ws.automerge().get_heads(), heads_after_add);
    assert_eq!(ws.objective(&id).unwrap().unwrap().target, Some(1.0));
}

#[test]
fn an_unchanged_edit_makes_no_change() {
    let mut ws = workspace();
    let id = ws.add_objective(&draft("T", "1"), NOW + 1).unwrap();
    let heads = ws.automerge().get_heads();
    ws.edit_objective(&id, &draft("T", "1"), NOW + 2).unwrap();
    assert_eq!(ws.automerge().get_heads(), heads);
}

#[test]
fn concurrent_edits_of_different_objectives_merge() {
    let mut ada = workspace();
    let a = ada
        .add_objective(&draft("Phishing click rate", "5"), NOW + 1)
        .unwrap();
    let b = ada
        .add_objective(&draft("Patch latency", "14"), NOW + 2)
        .unwrap();
    let mut bob = fork(&mut ada, "Bob");

    ada.edit_objective(&a, &draft("Phishing click rate", "3"), NOW + 3)
        .unwrap();
    bob.edit_objective(&b, &draft("Patch latency", "7"), NOW + 4)
        .unwrap();
    let c = bob
        .add_objective(&draft("Backups tested", "100"), NOW + 5)
        .unwrap();

    merge(&mut ada, &mut bob);
    merge(&mut bob, &mut ada);
    let (left, right) = (ada.read().unwrap(), bob.read().unwrap());
    assert_eq!(left, right);
    assert_eq!(left.objectives[&a].target, Some(3.0));
    assert_eq!(left.objectives[&b].target, Some(7.0));
    assert_eq!(left.objectives[&c].title, "Backups tested");
    assert_eq!(left.members.len(), 2, "both authors are members");
}

#[test]
fn concurrent_edits_of_different_fields_of_one_objective_merge() {
    let mut ada = workspace();
    let id = ada
        .add_objective(&draft("Phishing click rate", "5"), NOW + 1)
        .unwrap();
    let mut bob = fork(&mut ada, "Bob");

    ada.edit_objective(&id, &draft("Phishing click rate", "3"), NOW + 2)
        .unwrap();
    let mut bobs = draft("Phishing click rate (all staff)", "5");
    bobs.health = Health::OffTrack;
    bobs.health_reason = "No budget for the simulations".into();
    bobs.description = "Includes contractors".into();
    bob.edit_objective(&id, &bobs, NOW + 3).unwrap();

    merge(&mut ada, &mut bob);
    let merged = ada.objective(&id).unwrap().unwrap();
    assert_eq!(merged.target, Some(3.0), "Ada's target survives");
    assert_eq!(
        merged.title, "Phishing click rate (all staff)",
        "Bob's title survives"
    );
    assert_eq!(merged.health, Health::OffTrack);
    assert_eq!(merged.description.as_str(), "Includes contractors");
}

#[test]
fn concurrent_description_edits_interleave_as_text() {
    let mut ada = workspace();
    let mut first = draft("T", "");
    first.description = "Run campaigns.".into();
    let id = ada.add_objective(&first, NOW + 1).unwrap();
    let mut bob = fork(&mut ada, "Bob");

    let mut a = first.clone();
    a.description = "Run quarterly campaigns.".into();
    ada.edit_objective(&id, &a, NOW + 2).unwrap();
    let mut b = first.clone();
    b.description = "Run campaigns. Report to the board.".into();
    bob.edit_objective(&id, &b, NOW + 3).unwrap();

    merge(&mut ada, &mut bob);
    let text = ada
        .objective(&id)
        .unwrap()
        .unwrap()
        .description
        .as_str()
        .to_owned();
    assert_eq!(text, "Run quarterly campaigns. Report to the board.");
}

#[test]
fn an_edit_of_a_concurrently_deleted_objective_is_reported() {
    let mut ada = workspace();
    let id = ada.add_objective(&draft("T", "1"), NOW + 1).unwrap();
    ada.delete_objective(&id, NOW + 2).unwrap();
    let result = ada.edit_objective(&id, &draft("T", "2"), NOW + 3);
    assert!(matches!(result, Err(CommandError::ObjectiveNotFound)));
}

#[test]
fn meta_edits_are_validated() {
    let mut ws = workspace();
    assert!(ws.edit_meta("", "x", NOW + 1).is_err());
    ws.edit_meta("Acme Group", "All offices and the cloud platform", NOW + 1)
        .unwrap();
    let meta = ws.read().unwrap().meta;
    assert_eq!(meta.organisation, "Acme Group");
    assert_eq!(meta.created_at, NOW);
    assert!(workspace_meta("Acme", "").is_ok());
}

#[test]
fn a_saved_workspace_reloads_identically() {
    let mut ws = workspace();
    ws.add_objective(&draft("T", "1"), NOW + 1).unwrap();
    let bytes = ws.automerge().save();
    let mut reloaded = WorkspaceDoc::from_automerge(AutoCommit::load(&bytes).unwrap(), "Ada");
    assert_eq!(reloaded.read().unwrap(), ws.read().unwrap());
    assert_ne!(
        reloaded.actor(),
        ws.actor(),
        "each session edits under its own actor id"
    );
    assert!(reloaded.automerge().get_heads().len() == 1);
}

/// Guards the bug where autosurgeon's `Text::update` spliced at byte offsets
/// and broke descriptions with umlauts or emoji.
#[test]
fn descriptions_with_non_ascii_text_edit_and_merge() {
    let mut ada = workspace();
    let mut first = draft("Grüße", "");
    first.description = "Schulung für alle ☃ Mitarbeitenden".into();
    let id = ada.add_objective(&first, NOW + 1).unwrap();
    let mut bob = fork(&mut ada, "Bob");

    let mut a = first.clone();
    a.description = "Schulung für alle ☃ Mitarbeitenden – jährlich".into();
    ada.edit_objective(&id, &a, NOW + 2).unwrap();
    let mut b = first.clone();
    b.description = "Pflicht-Schulung für alle ☃ Mitarbeitenden".into();
    bob.edit_objective(&id, &b, NOW + 3).unwrap();
    assert_eq!(
        ada.objective(&id).unwrap().unwrap().description.as_str(),
        "Schulung für alle ☃ Mitarbeitenden – jährlich"
    );

    merge(&mut ada, &mut bob);
    let merged = ada
        .objective(&id)
        .unwrap()
        .unwrap()
        .description
        .as_str()
        .to_owned();
    assert_eq!(
        merged,
        "Pflicht-Schulung für alle ☃ Mitarbeitenden – jährlich"
    );
}

#[test]
fn an_assessment_can_be_dropped_to_follow_the_measurements() {
    let mut ws = workspace();
    let mut judged = draft("Patch latency", "14");
    judged.health = Health::AtRisk;
    judged.health_reason = "The patch tool is being replaced".into();
    let id = ws.add_objective(&judged, NOW + 1).unwrap();
    ws.follow_measurements(&id, NOW + 2).unwrap();
    let objective = ws.objective(&id).unwrap().unwrap();
    assert_eq!(objective.health, Health::NotAssessed);
    assert_eq!(objective.health_reason, "");
    assert_eq!(objective.target, Some(14.0));
    let last = ws
        .automerge()
        .get_changes(&[])
        .last()
        .unwrap()
        .message()
        .unwrap()
        .to_owned();
    assert_eq!(
        last,
        "“Patch latency” follows its measurements again (was assessed at risk)"
    );
    let heads = ws.automerge().get_heads();
    ws.follow_measurements(&id, NOW + 3).unwrap();
    assert_eq!(ws.automerge().get_heads(), heads, "no change, no commit");
}
