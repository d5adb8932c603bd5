//! Native tests of workspace files (issue 10, point 3): what an import accepts,
//! what it refuses with a clear message, and that a merge unites both sides.
#![cfg(not(target_arch = "wasm32"))]

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ROOT};
use charter::storage::backup::{BackupError, kind_of, read_workspace, same_workspace};
use charter::workspace::{ObjectiveDraft, WorkspaceDoc};

const NOW: i64 = 1_780_000_000_000;

fn objective(title: &str) -> ObjectiveDraft {
    ObjectiveDraft {
        title: title.into(),
        ..Default::default()
    }
}

fn titles(doc: AutoCommit) -> Vec<String> {
    let ws = WorkspaceDoc::from_automerge(doc, "").read().unwrap();
    let mut titles: Vec<String> = ws.objectives.values().map(|o| o.title.clone()).collect();
    titles.sort();
    titles
}

#[test]
fn an_exported_workspace_reads_back_with_the_same_heads() {
    let mut ws = WorkspaceDoc::create("Acme Ltd", "All offices", "Ada", NOW).unwrap();
    ws.add_objective(&objective("Encrypt laptops"), NOW)
        .unwrap();
    let bytes = ws.automerge().save();
    let mut back = read_workspace(&bytes).unwrap();
    assert_eq!(back.get_heads(), ws.automerge().get_heads());
    assert_eq!(titles(back), ["Encrypt laptops"]);
}

#[test]
fn bad_files_are_refused_each_with_its_own_message() {
    // Random bytes.
    let random: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    assert_eq!(kind_of(&random), Err(BackupError::NotAWorkspace));
    // A truncated export.
    let mut ws = WorkspaceDoc::create("Acme Ltd", "", "Ada", NOW).unwrap();
    ws.add_objective(&objective("Encrypt laptops"), NOW)
        .unwrap();
    let bytes = ws.automerge().save();
    let cut = read_workspace(&bytes[..bytes.len() / 2]).unwrap_err();
    assert!(matches!(cut, BackupError::Damaged(_)), "{cut:?}");
    assert!(cut.to_string().contains("damaged or incomplete"));
    // A valid Automerge document of another application.
    let mut foreign = AutoCommit::new();
    foreign.put(ROOT, "title", "My shopping list").unwrap();
    foreign.put(ROOT, "items", 3).unwrap();
    let foreign = read_workspace(&foreign.save()).unwrap_err();
    assert!(
        matches!(foreign, BackupError::ForeignSchema(_)),
        "{foreign:?}"
    );
    // A file far too large is refused before it is read.
    let huge = vec![0x85u8; 200 << 20];
    assert_eq!(kind_of(&huge), Err(BackupError::TooLarge));
    assert_eq!(read_workspace(&huge).unwrap_err(), BackupError::TooLarge);
}

#[test]
fn a_diverged_copy_merges_into_the_union_and_another_workspace_does_not() {
    let mut ada = WorkspaceDoc::create("Acme Ltd", "", "Ada", NOW).unwrap();
    ada.add_objective(&objective("Shared start"), NOW).unwrap();
    // Bob takes a copy on a USB stick; both go on working apart.
    let mut bob =
        WorkspaceDoc::from_automerge(read_workspace(&ada.automerge().save()).unwrap(), "Bob");
    ada.add_objective(&objective("Ada's later work"), NOW + 1)
        .unwrap();
    bob.add_objective(&objective("Bob's later work"), NOW + 2)
        .unwrap();
    let mut imported = read_workspace(&bob.automerge().save()).unwrap();
    same_workspace(ada.automerge(), &imported).unwrap();
    ada.automerge().merge(&mut imported).unwrap();
    assert_eq!(
        titles(ada.automerge().clone()),
        ["Ada's later work", "Bob's later work", "Shared start"]
    );
    // Another organisation's workspace is never merged in.
    let mut other = WorkspaceDoc::create("Acme Ltd", "", "Ada", NOW).unwrap();
    assert_eq!(
        same_workspace(ada.automerge(), other.automerge()),
        Err(BackupError::OtherWorkspace)
    );
}

#[test]
fn the_json_export_is_valid_json_with_every_record() {
    use charter::workspace::policies::{PolicyDraft, PolicyKind};
    let mut ws =
        WorkspaceDoc::create("Acme \"Quoted\" Ltd", "Line one\nline two", "Ada", NOW).unwrap();
    let id = ws
        .add_objective(&objective("Encrypt laptops"), NOW)
        .unwrap();
    let policy = ws
        .add_policy(
            &PolicyDraft {
                title: "Access".into(),
                kind: PolicyKind::InformationSecurity,
                owner: String::new(),
                review_due: String::new(),
            },
            "Need to know.\tAlways.",
            NOW,
        )
        .unwrap();
    let json = charter::storage::backup::to_json(ws.automerge());
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(value["meta"]["organisation"], "Acme \"Quoted\" Ltd");
    assert_eq!(value["meta"]["scope"], "Line one\nline two");
    assert_eq!(value["meta"]["created_at"], NOW);
    assert_eq!(value["objectives"][&id]["title"], "Encrypt laptops");
    assert_eq!(value["policies"][&policy]["body"], "Need to know.\tAlways.");
    assert!(
        value["members"]
            .as_object()
            .unwrap()
            .values()
            .any(|m| m["name"] == "Ada")
    );
}
