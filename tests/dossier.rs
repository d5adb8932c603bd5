//! Native tests of the stage 1 dossier (issue 14, point 5): an empty
//! workspace lists every item as a gap; the sample lists only what it
//! lacks (nothing is signed), not its scope, its policy or its audits.
#![cfg(not(target_arch = "wasm32"))]

use charter::workspace::WorkspaceDoc;
use charter::workspace::dossier::{DossierItem, dossier};
use charter::workspace::sample::sample_workspace;

const NOW: i64 = 1_780_000_000_000;

#[test]
fn an_empty_workspace_lists_every_item_as_a_gap() {
    let doc = WorkspaceDoc::create("Alder & Finch", "All offices", "Claire", NOW).unwrap();
    let rows = dossier(&doc.read().unwrap());
    assert_eq!(rows.len(), DossierItem::ALL.len());
    for row in &rows {
        assert!(row.record.is_none(), "{:?} has a record", row.item);
        assert!(
            row.gaps.iter().all(|g| g.starts_with("Missing: ")) && row.has_gaps(),
            "{:?}: {:?}",
            row.item,
            row.gaps
        );
    }
}

#[test]
fn the_sample_lists_only_what_it_lacks() {
    let doc = sample_workspace("Ada", NOW).unwrap();
    let rows = dossier(&doc.read().unwrap());
    let gap = |item: DossierItem| rows.iter().find(|r| r.item == item).unwrap().has_gaps();
    // What the sample holds.
    for item in [
        DossierItem::Scope,
        DossierItem::Policy,
        DossierItem::RiskAssessment,
        DossierItem::Objectives,
        DossierItem::Competence,
        DossierItem::Monitoring,
        DossierItem::Audits,
        DossierItem::Nonconformities,
    ] {
        assert!(!gap(item), "{item:?} is listed as a gap");
    }
    // Nothing signed: no review signed by its chair, no approved SoA version.
    for item in [DossierItem::ManagementReview, DossierItem::Soa] {
        assert!(gap(item), "{item:?} is not listed as a gap");
    }
    let policy = rows.iter().find(|r| r.item == DossierItem::Policy).unwrap();
    let record = policy.record.as_ref().unwrap();
    assert!(record.fresh.is_some());
    assert!(record.approved_by.is_some());
    assert!(record.link.starts_with("policies"));
    let scope = rows.iter().find(|r| r.item == DossierItem::Scope).unwrap();
    assert!(
        scope
            .record
            .as_ref()
            .unwrap()
            .title
            .contains("not approved")
    );
}
