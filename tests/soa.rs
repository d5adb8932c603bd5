//! Native tests of the Statement of Applicability (issue 13): the Annex A
//! catalogue shipped with the app, the rows' rules (an exclusion needs a
//! justification, a control a risk treatment cites cannot be excluded),
//! added controls, the views, and the signed, kept approvals.
#![cfg(not(target_arch = "wasm32"))]

use automerge::transaction::Transactable;
use automerge::{ObjType, ROOT, ReadDoc, Value};
use autosurgeon::reconcile_prop;
use charter::workspace::risks::Risk;
use charter::workspace::roles::{PersonDraft, RoleDraft, RoleKind};
use charter::workspace::signing::{DeviceKey, Trust, Unverified, Verdict};
use charter::workspace::soa::{
    Applicability, Implementation, Reason, SoaDraft, SoaFilter, Theme, annex_a, changed_since,
    matches, progress, risks_citing, soa_rows, verify_soa_version, versions_in_order,
};
use charter::workspace::{CommandError, Field, WorkspaceDoc};

const NOW: i64 = 1_780_000_000_000;

/// Claire (CEO, Top management) in her own browser, with the founding key
/// recorded for her; Priya (CISO) holds no Top management role.
struct Setup {
    doc: WorkspaceDoc,
    claire: String,
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
    doc.put_forward_key(&claire, "Claire's laptop", NOW)
        .unwrap();
    Setup { doc, claire, priya }
}

/// Writes a risk straight into the register (the risk commands are not
/// what is tested here).
fn add_risk(doc: &mut WorkspaceDoc, id: &str, title: &str, controls: &[&str]) {
    let risk = Risk {
        title: title.into(),
        controls: controls.iter().map(|c| (*c).to_owned()).collect(),
        created_at: NOW,
        ..Default::default()
    };
    let am = doc.automerge();
    let risks = match am.get(ROOT, "risks").unwrap() {
        Some((Value::Object(ObjType::Map), obj)) => obj,
        _ => am.put_object(ROOT, "risks", ObjType::Map).unwrap(),
    };
    reconcile_prop(am, &risks, id, &risk).unwrap();
    am.commit();
}

fn applies(reasons: &[Reason]) -> SoaDraft {
    SoaDraft {
        applicable: Some(true),
        reasons: reasons.to_vec(),
        ..Default::default()
    }
}

fn excluded(justification: &str) -> SoaDraft {
    SoaDraft {
        applicable: Some(false),
        justification: justification.into(),
        ..Default::default()
    }
}

fn invalid(result: Result<(), CommandError>, field: Field) -> String {
    match result {
        Err(CommandError::Invalid(errors)) => errors
            .message(field)
            .unwrap_or_else(|| panic!("no message for {field:?} in {errors:?}"))
            .to_owned(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn not_allowed(result: Result<String, CommandError>) -> String {
    match result {
        Err(CommandError::NotAllowed(message)) => message,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn annex_a_has_93_controls_37_8_14_34_per_theme() {
    let controls = annex_a();
    assert_eq!(controls.len(), 93);
    let count = |theme| controls.iter().filter(|c| c.theme == theme).count();
    assert_eq!(
        Theme::ALL.map(count),
        [37, 8, 14, 34],
        "organizational, people, physical, technological"
    );
    // In the standard's order, numbered without gaps within each theme.
    for (theme, prefix) in Theme::ALL.into_iter().zip(["5", "6", "7", "8"]) {
        let ids: Vec<&str> = controls
            .iter()
            .filter(|c| c.theme == theme)
            .map(|c| c.id)
            .collect();
        let expected: Vec<String> = (1..=ids.len()).map(|n| format!("{prefix}.{n}")).collect();
        assert_eq!(ids, expected);
    }
    // Titles with commas are read whole.
    let find = |id: &str| controls.iter().find(|c| c.id == id).unwrap().title;
    assert_eq!(
        find("5.22"),
        "Monitoring, review and change management of supplier services"
    );
    assert_eq!(find("5.15"), "Access control");
    assert_eq!(
        find("8.34"),
        "Protection of information systems during audit testing"
    );
    assert!(
        controls
            .iter()
            .all(|c| !c.title.is_empty() && !c.title.contains('"'))
    );
}

#[test]
fn a_fresh_workspace_lists_every_control_undecided() {
    let s = setup();
    let ws = s.doc.read().unwrap();
    let rows = soa_rows(&ws);
    assert_eq!(rows.len(), 93);
    assert_eq!(rows[0].id, "5.1");
    assert_eq!(rows[92].id, "8.34");
    assert!(
        rows.iter()
            .all(|r| r.entry.applicable.is_none() && r.risks.is_empty())
    );
    let p = progress(&ws);
    assert_eq!(
        p.iter().map(|t| t.undecided).collect::<Vec<_>>(),
        [37, 8, 14, 34]
    );
    assert!(
        p.iter()
            .all(|t| t.applicable + t.excluded + t.implemented == 0)
    );
}

#[test]
fn an_exclusion_needs_a_justification() {
    let mut s = setup();
    let message = invalid(
        s.doc.set_soa_entry("7.4", &excluded("   "), NOW),
        Field::SoaJustification,
    );
    assert_eq!(
        message,
        "Say why this control is excluded: the justification is required."
    );
    s.doc
        .set_soa_entry(
            "7.4",
            &excluded(" No premises of our own: we work remotely. "),
            NOW,
        )
        .unwrap();
    let ws = s.doc.read().unwrap();
    let entry = &ws.soa["7.4"];
    assert_eq!(entry.applicable, Some(false));
    assert_eq!(
        entry.justification,
        "No premises of our own: we work remotely."
    );
    assert!(entry.added.is_none());
    let message = s
        .doc
        .automerge()
        .get_last_local_change()
        .unwrap()
        .message()
        .map(str::to_owned);
    assert_eq!(
        message.as_deref(),
        Some(
            "Statement of Applicability, 7.4 Physical security monitoring: excluded: No \
             premises of our own: we work remotely."
        )
    );
}

#[test]
fn a_control_a_risk_treatment_cites_cannot_be_excluded() {
    let mut s = setup();
    add_risk(
        &mut s.doc,
        "R1",
        "Ransomware on the booking platform",
        &["8.7", "8.13"],
    );
    let message = invalid(
        s.doc
            .set_soa_entry("8.13", &excluded("We trust our disks."), NOW),
        Field::SoaApplicable,
    );
    assert_eq!(
        message,
        "Risk “Ransomware on the booking platform” is treated with this control, so it cannot \
         be excluded."
    );
    add_risk(&mut s.doc, "R2", "Lost laptop", &["8.13"]);
    let message = invalid(
        s.doc.set_soa_entry("8.13", &excluded(""), NOW),
        Field::SoaApplicable,
    );
    assert_eq!(
        message,
        "Risks “Lost laptop” and “Ransomware on the booking platform” are treated with this \
         control, so it cannot be excluded."
    );
    // Applicable without a reason chosen: the risk treatment is the reason.
    s.doc.set_soa_entry("8.13", &applies(&[]), NOW).unwrap();
    let ws = s.doc.read().unwrap();
    assert_eq!(ws.soa["8.13"].reasons, [Reason::RiskTreatment]);
    let titles: Vec<&str> = risks_citing(&ws, "8.13")
        .into_iter()
        .map(|(_, r)| r.title.as_str())
        .collect();
    assert_eq!(
        titles,
        ["Lost laptop", "Ransomware on the booking platform"]
    );
    let row = soa_rows(&ws).into_iter().find(|r| r.id == "8.13").unwrap();
    assert_eq!(row.risks, ["R2", "R1"]);
    // Reasons are kept in the standard order, without repeats.
    s.doc
        .set_soa_entry(
            "8.7",
            &applies(&[Reason::Business, Reason::Legal, Reason::Business]),
            NOW,
        )
        .unwrap();
    let ws = s.doc.read().unwrap();
    assert_eq!(
        ws.soa["8.7"].reasons,
        [Reason::RiskTreatment, Reason::Legal, Reason::Business]
    );
}

#[test]
fn an_applicable_control_says_why() {
    let mut s = setup();
    let message = invalid(
        s.doc
            .set_soa_entry("5.31", &applies(&[Reason::RiskTreatment]), NOW),
        Field::SoaReasons,
    );
    assert_eq!(
        message,
        "No risk's treatment uses this control yet: choose the control in the risk's treatment \
         first, or give another reason."
    );
    let message = invalid(
        s.doc.set_soa_entry("5.31", &applies(&[]), NOW),
        Field::SoaReasons,
    );
    assert_eq!(
        message,
        "Say why this control applies: a risk treatment, a law or regulation, a contract or a \
         business need."
    );
    s.doc
        .set_soa_entry("5.31", &applies(&[Reason::Legal]), NOW)
        .unwrap();
    // Reasons belong to an applicable control only.
    s.doc
        .set_soa_entry(
            "5.31",
            &SoaDraft {
                applicable: None,
                reasons: vec![Reason::Legal],
                ..Default::default()
            },
            NOW,
        )
        .unwrap();
    assert!(s.doc.read().unwrap().soa["5.31"].reasons.is_empty());
}

#[test]
fn the_owner_is_a_current_person() {
    let mut s = setup();
    let draft = |owner: &str| SoaDraft {
        owner: owner.into(),
        status: Implementation::Planned,
        evidence: "ISMS/Access-control-procedure.pdf".into(),
        ..applies(&[Reason::Business])
    };
    let message = invalid(
        s.doc.set_soa_entry("5.15", &draft("nobody"), NOW),
        Field::SoaOwner,
    );
    assert_eq!(message, "Choose the owner from People.");
    s.doc.set_soa_entry("5.15", &draft(&s.priya), NOW).unwrap();
    let ws = s.doc.read().unwrap();
    assert_eq!(ws.soa["5.15"].owner, s.priya);
    assert_eq!(ws.soa["5.15"].status, Implementation::Planned);
    assert_eq!(SoaDraft::of(&ws.soa["5.15"]), draft(&s.priya));
    // An unchanged row records nothing.
    let heads = s.doc.automerge().get_heads();
    s.doc.set_soa_entry("5.15", &draft(&s.priya), NOW).unwrap();
    assert_eq!(s.doc.automerge().get_heads(), heads);
    // Someone who left is no longer offered.
    let claire = s.claire.clone();
    s.doc.archive_person(&claire, NOW).unwrap();
    let message = invalid(
        s.doc.set_soa_entry("5.15", &draft(&claire), NOW),
        Field::SoaOwner,
    );
    assert_eq!(message, "Choose the owner from People.");
    let many = SoaDraft {
        evidence: "x".repeat(20_001),
        ..draft("")
    };
    let message = invalid(s.doc.set_soa_entry("5.15", &many, NOW), Field::SoaEvidence);
    assert_eq!(message, "This text is too long.");
}

#[test]
fn only_annex_a_and_added_controls_have_rows() {
    let mut s = setup();
    for id in ["9.1", "A-1", "5.38", ""] {
        let result = s.doc.set_soa_entry(id, &applies(&[Reason::Business]), NOW);
        assert!(
            matches!(result, Err(CommandError::NotFound("control"))),
            "{id}: {result:?}"
        );
    }
}

#[test]
fn added_controls_are_numbered_after_annex_a() {
    let mut s = setup();
    let first = s
        .doc
        .add_control(" Customer security questionnaires ", "organizational", NOW)
        .unwrap();
    let second = s.doc.add_control("Badge audits", "physical", NOW).unwrap();
    assert_eq!((first.as_str(), second.as_str()), ("A-1", "A-2"));
    match s.doc.add_control("  ", "kitchen", NOW) {
        Err(CommandError::Invalid(errors)) => {
            assert_eq!(
                errors.message(Field::SoaControlTitle),
                Some("Enter the control's title.")
            );
            assert_eq!(
                errors.message(Field::SoaControlTheme),
                Some("Choose the theme: organizational, people, physical or technological.")
            );
        }
        other => panic!("{other:?}"),
    }
    s.doc
        .set_soa_entry(&first, &applies(&[Reason::Contractual]), NOW)
        .unwrap();
    let ws = s.doc.read().unwrap();
    let rows = soa_rows(&ws);
    assert_eq!(rows.len(), 95);
    assert_eq!(rows[93].id, "A-1");
    assert_eq!(rows[93].title, "Customer security questionnaires");
    assert_eq!(rows[93].theme, Theme::Organizational);
    assert_eq!(rows[93].entry.applicable, Some(true));
    assert!(rows[93].is_added());
    assert_eq!(rows[94].theme, Theme::Physical);
    let p = progress(&ws);
    assert_eq!((p[0].total, p[0].applicable), (38, 1));
    assert_eq!((p[2].total, p[2].undecided), (15, 15));
    // The next one takes the next number.
    assert_eq!(s.doc.add_control("Third", "people", NOW).unwrap(), "A-3");
}

#[test]
fn progress_counts_applicable_implemented_undecided_and_excluded() {
    let mut s = setup();
    let done = SoaDraft {
        status: Implementation::Implemented,
        ..applies(&[Reason::Business])
    };
    s.doc.set_soa_entry("6.3", &done, NOW).unwrap();
    s.doc
        .set_soa_entry("6.4", &applies(&[Reason::Legal]), NOW)
        .unwrap();
    s.doc
        .set_soa_entry("6.7", &excluded("Nobody works remotely."), NOW)
        .unwrap();
    let p = progress(&s.doc.read().unwrap());
    let people = p.iter().find(|t| t.theme == Theme::People).unwrap();
    assert_eq!(
        (
            people.total,
            people.applicable,
            people.implemented,
            people.undecided,
            people.excluded
        ),
        (8, 2, 1, 5, 1)
    );
}

#[test]
fn search_and_filters() {
    let mut s = setup();
    s.doc
        .set_soa_entry(
            "8.5",
            &SoaDraft {
                status: Implementation::Partial,
                ..applies(&[Reason::Business])
            },
            NOW,
        )
        .unwrap();
    s.doc
        .set_soa_entry("7.4", &excluded("Remote only."), NOW)
        .unwrap();
    let ws = s.doc.read().unwrap();
    let rows = soa_rows(&ws);
    let found = |query: &str, filter: SoaFilter| -> Vec<String> {
        rows.iter()
            .filter(|r| matches(r, query, &filter))
            .map(|r| r.id.clone())
            .collect()
    };
    let all = SoaFilter::default();
    assert_eq!(found("", all).len(), 93);
    assert_eq!(found("  ACCESS control ", all), ["5.15"]);
    assert_eq!(
        found("8.3", all),
        ["8.3", "8.30", "8.31", "8.32", "8.33", "8.34"]
    );
    let people = SoaFilter {
        theme: Some(Theme::People),
        ..all
    };
    assert_eq!(found("", people).len(), 8);
    assert_eq!(found("remote", people), ["6.7"]);
    let excluded = SoaFilter {
        applicability: Some(Applicability::Excluded),
        ..all
    };
    assert_eq!(found("", excluded), ["7.4"]);
    let partial = SoaFilter {
        applicability: Some(Applicability::Applicable),
        status: Some(Implementation::Partial),
        ..all
    };
    assert_eq!(found("", partial), ["8.5"]);
    let undecided = SoaFilter {
        applicability: Some(Applicability::Undecided),
        ..all
    };
    assert_eq!(found("", undecided).len(), 91);
}

#[test]
fn an_approval_keeps_every_row_signed_and_later_ones_never_change_it() {
    let mut s = setup();
    add_risk(&mut s.doc, "R1", "Ransomware", &["8.13"]);
    s.doc.set_soa_entry("8.13", &applies(&[]), NOW).unwrap();
    s.doc
        .set_soa_entry("7.4", &excluded("Remote only."), NOW)
        .unwrap();
    let added = s.doc.add_control("Badge audits", "physical", NOW).unwrap();
    let first = s.doc.approve_soa(NOW + 1).unwrap();
    let ws = s.doc.read().unwrap();
    let v1 = ws.soa_versions[&first].clone();
    assert_eq!(v1.number, 1);
    assert_eq!(v1.rows.len(), 94, "93 Annex A controls and the added one");
    assert_eq!(v1.undecided(), 92);
    assert_eq!(v1.rows["5.1"], Default::default());
    assert_eq!(v1.rows["8.13"].reasons, [Reason::RiskTreatment]);
    assert_eq!(
        v1.rows[&added].added.as_ref().unwrap().title,
        "Badge audits"
    );
    assert_eq!(v1.risks.len(), 1);
    assert_eq!(v1.risks["8.13"], ["R1"]);
    assert_eq!(v1.person, s.claire);
    assert_eq!(v1.at, NOW + 1);
    let message = s
        .doc
        .automerge()
        .get_last_local_change()
        .unwrap()
        .message()
        .map(str::to_owned);
    assert_eq!(
        message.as_deref(),
        Some("Approved version 1 of the Statement of Applicability, 92 controls not decided yet")
    );
    let trust = Trust {
        founder: &ws.meta.founder,
        pinned: None,
        keys: &ws.keys,
        roles: &ws.roles,
    };
    assert!(matches!(
        verify_soa_version(&trust, &first, &v1),
        Verdict::Verified { ref person, .. } if *person == s.claire
    ));
    assert!(changed_since(&ws, &v1).is_empty());

    // The register moves on: the version keeps what was linked then.
    add_risk(&mut s.doc, "R2", "Burglary", &["7.4", "7.1"]);
    let ws = s.doc.read().unwrap();
    let row = |id: &str| soa_rows(&ws).into_iter().find(|r| r.id == id).unwrap();
    assert_eq!(
        row("7.4").warnings(),
        [
            "It is excluded, but a risk treatment uses it: include it, or take it out of the \
          risk's treatment."
        ]
    );
    assert!(row("8.13").warnings().is_empty());
    s.doc.set_soa_entry("7.4", &applies(&[]), NOW + 2).unwrap();
    let ws = s.doc.read().unwrap();
    assert_eq!(changed_since(&ws, &v1), ["7.1", "7.4"]);
    let second = s.doc.approve_soa(NOW + 3).unwrap();
    let ws = s.doc.read().unwrap();
    assert_eq!(ws.soa_versions[&first], v1, "version 1 is kept as it was");
    // A risk that stops citing a control leaves its reason unsupported.
    add_risk(&mut s.doc, "R1", "Ransomware", &[]);
    let later = s.doc.read().unwrap();
    let row = soa_rows(&later)
        .into_iter()
        .find(|r| r.id == "8.13")
        .unwrap();
    assert_eq!(
        row.warnings(),
        ["Risk treatment is given as a reason, but no risk's treatment uses it any more."]
    );
    let v2 = &ws.soa_versions[&second];
    assert_eq!(v2.number, 2);
    assert_eq!(v2.rows["7.4"].applicable, Some(true));
    assert_ne!(v2.digest, v1.digest);
    let order: Vec<u32> = versions_in_order(&ws)
        .iter()
        .map(|(_, v)| v.number)
        .collect();
    assert_eq!(order, [1, 2]);
    let trust = Trust {
        founder: &ws.meta.founder,
        pinned: None,
        keys: &ws.keys,
        roles: &ws.roles,
    };
    assert!(matches!(
        verify_soa_version(&trust, &second, v2),
        Verdict::Verified { .. }
    ));

    // A version altered afterwards no longer verifies.
    let mut altered = v1.clone();
    altered.rows.get_mut("7.4").unwrap().justification = "Changed later".into();
    assert_eq!(
        verify_soa_version(&trust, &first, &altered),
        Verdict::Unverified(Unverified::Altered)
    );
    let mut moved = v1.clone();
    moved.number = 2;
    assert_eq!(
        verify_soa_version(&trust, &first, &moved),
        Verdict::Unverified(Unverified::Altered)
    );
    let mut renamed = v1.clone();
    renamed.person = s.priya.clone();
    assert_eq!(
        verify_soa_version(&trust, &first, &renamed),
        Verdict::Unverified(Unverified::OtherPerson)
    );
    let unsigned = charter::workspace::soa::SoaVersion {
        signature: None,
        ..v1.clone()
    };
    assert_eq!(
        verify_soa_version(&trust, &first, &unsigned),
        Verdict::Unverified(Unverified::NotSigned)
    );
}

#[test]
fn only_top_management_with_this_browsers_key_approves() {
    let mut s = setup();
    // Another browser whose key nobody recorded.
    let copy = s.doc.automerge().fork();
    let mut other = WorkspaceDoc::from_automerge(copy, "Priya");
    let message = not_allowed(other.approve_soa(NOW));
    assert_eq!(
        message,
        "This browser has no signing key for this workspace. Reload the page and try again."
    );
    other.set_device_key(Some(DeviceKey::from_seed([9; 32])));
    let message = not_allowed(other.approve_soa(NOW));
    assert_eq!(
        message,
        "Only a member of top management can approve the Statement of Applicability. Record \
         this browser's key for yourself on the Participants page first."
    );
    // Priya's key is recorded, but she holds no Top management role.
    other
        .put_forward_key(&s.priya, "Priya's laptop", NOW)
        .unwrap();
    let message = not_allowed(other.approve_soa(NOW));
    assert_eq!(
        message,
        "Only a member of top management can approve the Statement of Applicability; Priya \
         Raman does not hold the Top management role."
    );
    assert!(other.read().unwrap().soa_versions.is_empty());
    // Claire can.
    assert!(s.doc.approve_soa(NOW).is_ok());
}

#[test]
fn concurrent_rows_merge() {
    let mut s = setup();
    let copy = s.doc.automerge().fork();
    let mut other = WorkspaceDoc::from_automerge(copy, "Priya");
    s.doc
        .set_soa_entry("5.1", &applies(&[Reason::Legal]), NOW)
        .unwrap();
    other
        .set_soa_entry("5.2", &excluded("Not yet."), NOW)
        .unwrap();
    s.doc.automerge().merge(other.automerge()).unwrap();
    let ws = s.doc.read().unwrap();
    assert_eq!(ws.soa["5.1"].applicable, Some(true));
    assert_eq!(ws.soa["5.2"].applicable, Some(false));
}
