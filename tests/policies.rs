//! Native tests of policies: lifecycle, approval freezing (also across a merge
//! with a concurrent offline edit), diffs and acknowledgements.
#![cfg(not(target_arch = "wasm32"))]

use automerge::{AutoCommit, ReadDoc};
use charter::workspace::policies::{
    DiffLine, PolicyDraft, PolicyKind, PolicyStatus, policies_due_for_review, policy_diff,
};
use charter::workspace::roles::PersonDraft;
use charter::workspace::{CommandError, Field, WorkspaceDoc};

const NOW: i64 = 1_780_000_000_000;
const BODY: &str =
    "# Information security policy\n\nWe protect our information.\nEveryone reports incidents.\n";

fn workspace() -> WorkspaceDoc {
    WorkspaceDoc::create("Acme Ltd", "All offices", "Ada", NOW).unwrap()
}

fn draft(title: &str) -> PolicyDraft {
    PolicyDraft {
        title: title.into(),
        kind: PolicyKind::InformationSecurity,
        owner: "CISO".into(),
        review_due: "2027-03-31".into(),
    }
}

fn fork(ws: &mut WorkspaceDoc, author: &str) -> WorkspaceDoc {
    let bytes = ws.automerge().save();
    WorkspaceDoc::from_automerge(AutoCommit::load(&bytes).unwrap(), author)
}

/// A policy taken through review and approval; returns its id.
fn approved_policy(ws: &mut WorkspaceDoc) -> String {
    let id = ws
        .add_policy(&draft("Security policy"), BODY, NOW + 1)
        .unwrap();
    ws.set_policy_status(&id, PolicyStatus::InReview, NOW + 2)
        .unwrap();
    assert_eq!(
        ws.approve_policy(&id, &charter::workspace::policies::ATTESTS_5_2, NOW + 3)
            .unwrap(),
        0
    );
    id
}

fn body(ws: &WorkspaceDoc, id: &str) -> String {
    ws.policy(id).unwrap().unwrap().body.as_str().to_owned()
}

#[test]
fn add_policy_validates_fields() {
    let mut ws = workspace();
    let bad = PolicyDraft {
        title: "  ".into(),
        review_due: "next year".into(),
        ..Default::default()
    };
    let Err(CommandError::Invalid(errors)) = ws.add_policy(&bad, "", NOW) else {
        panic!("expected validation errors")
    };
    assert_eq!(errors.message(Field::Title), Some("Enter a title."));
    assert_eq!(
        errors.message(Field::ReviewDue),
        Some("Enter a real date as YYYY-MM-DD.")
    );
    assert!(ws.read().unwrap().policies.is_empty());

    let id = ws
        .add_policy(&draft(" Security policy "), BODY, NOW)
        .unwrap();
    let policy = ws.policy(&id).unwrap().unwrap();
    assert_eq!(policy.title, "Security policy");
    assert_eq!(policy.status, PolicyStatus::Draft);
    assert_eq!(policy.review_due.as_deref(), Some("2027-03-31"));
    assert_eq!(policy.body.as_str(), BODY);
}

#[test]
fn only_allowed_transitions_happen() {
    let mut ws = workspace();
    let id = ws.add_policy(&draft("Security policy"), BODY, NOW).unwrap();
    let err = ws
        .set_policy_status(&id, PolicyStatus::Published, NOW + 1)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "A policy that is draft cannot become published."
    );
    // Approval from draft is refused too, and recorded nowhere.
    assert!(matches!(
        ws.approve_policy(&id, &charter::workspace::policies::ATTESTS_5_2, NOW + 1),
        Err(CommandError::NotAllowed(_))
    ));
    assert!(matches!(
        ws.set_policy_status(&id, PolicyStatus::Approved, NOW + 1),
        Err(CommandError::NotAllowed(_))
    ));
    let policy = ws.policy(&id).unwrap().unwrap();
    assert_eq!(policy.status, PolicyStatus::Draft);
    assert!(policy.approvals.is_empty());

    ws.set_policy_status(&id, PolicyStatus::InReview, NOW + 2)
        .unwrap();
    ws.approve_policy(&id, &charter::workspace::policies::ATTESTS_5_2, NOW + 3)
        .unwrap();
    ws.set_policy_status(&id, PolicyStatus::Published, NOW + 4)
        .unwrap();
    ws.set_policy_status(&id, PolicyStatus::Retired, NOW + 5)
        .unwrap();
    assert_eq!(
        ws.policy(&id).unwrap().unwrap().status,
        PolicyStatus::Retired
    );
    // A retired policy's text is frozen.
    assert!(matches!(
        ws.set_policy_body(&id, "new", NOW + 6),
        Err(CommandError::NotAllowed(_))
    ));
    let messages: Vec<_> = ws
        .automerge()
        .get_changes(&[])
        .iter()
        .map(|c| c.message().unwrap().to_owned())
        .collect();
    assert!(messages.contains(&"Approved policy “Security policy” (version 1)".to_owned()));
    assert!(
        messages.contains(&"Moved policy “Security policy” from published to retired".to_owned())
    );
}

#[test]
fn approval_records_approver_time_and_heads() {
    let mut ws = workspace();
    let id = approved_policy(&mut ws);
    let policy = ws.policy(&id).unwrap().unwrap();
    assert_eq!(policy.status, PolicyStatus::Approved);
    let approval = &policy.approvals[0];
    assert_eq!(approval.approver, ws.actor());
    assert_eq!(approval.approver_name, "Ada");
    assert_eq!(approval.at, NOW + 3);
    assert!(!approval.heads.is_empty());
    assert!(approval.heads.iter().all(|h| h.len() == 64));
}

#[test]
fn approved_text_stays_frozen_after_later_edits() {
    let mut ws = workspace();
    let id = approved_policy(&mut ws);
    ws.set_policy_body(
        &id,
        &BODY.replace("incidents", "incidents at once"),
        NOW + 4,
    )
    .unwrap();
    ws.splice_policy_body(&id, 0, 1, "##", NOW + 5).unwrap();
    assert!(body(&ws, &id).starts_with("## Information"));
    assert_eq!(ws.approved_version(&id, 0).unwrap(), BODY);
    assert!(matches!(
        ws.approved_version(&id, 1),
        Err(CommandError::NotFound(_))
    ));
}

#[test]
fn approved_text_survives_a_merge_with_a_concurrent_offline_edit() {
    let mut ws = workspace();
    let id = approved_policy(&mut ws);
    let mut offline = fork(&mut ws, "Bob");
    // Both edit the body concurrently: Ada at the end, Bob at the start.
    let len = BODY.chars().count();
    ws.splice_policy_body(&id, len, 0, "Ada's line.\n", NOW + 4)
        .unwrap();
    offline
        .set_policy_body(&id, &format!("Preamble.\n{BODY}"), NOW + 5)
        .unwrap();
    ws.automerge().merge(offline.automerge()).unwrap();
    offline.automerge().merge(ws.automerge()).unwrap();

    let merged = format!("Preamble.\n{BODY}Ada's line.\n");
    assert_eq!(body(&ws, &id), merged);
    assert_eq!(body(&offline, &id), merged);
    assert_eq!(ws.approved_version(&id, 0).unwrap(), BODY);
    assert_eq!(offline.approved_version(&id, 0).unwrap(), BODY);
    // Both edits sent the approved policy back to draft.
    assert_eq!(ws.policy(&id).unwrap().unwrap().status, PolicyStatus::Draft);

    // A second approval freezes the merged text; the first stays as it was.
    ws.set_policy_status(&id, PolicyStatus::InReview, NOW + 6)
        .unwrap();
    assert_eq!(
        ws.approve_policy(&id, &charter::workspace::policies::ATTESTS_5_2, NOW + 7)
            .unwrap(),
        1
    );
    ws.splice_policy_body(&id, 0, 9, "Foreword", NOW + 8)
        .unwrap();
    assert_eq!(ws.approved_version(&id, 1).unwrap(), merged);
    assert_eq!(ws.approved_version(&id, 0).unwrap(), BODY);
}

#[test]
fn editing_the_body_sends_an_approved_or_published_policy_back_to_draft() {
    let mut ws = workspace();
    let id = approved_policy(&mut ws);
    ws.set_policy_status(&id, PolicyStatus::Published, NOW + 4)
        .unwrap();
    // Writing the same text is no change and keeps it published.
    ws.set_policy_body(&id, BODY, NOW + 5).unwrap();
    assert_eq!(
        ws.policy(&id).unwrap().unwrap().status,
        PolicyStatus::Published
    );
    ws.splice_policy_body(&id, BODY.len(), 0, "New rule.\n", NOW + 6)
        .unwrap();
    assert_eq!(ws.policy(&id).unwrap().unwrap().status, PolicyStatus::Draft);
    // Editing in review keeps it in review.
    ws.set_policy_status(&id, PolicyStatus::InReview, NOW + 7)
        .unwrap();
    ws.splice_policy_body(&id, 0, 0, "x", NOW + 8).unwrap();
    assert_eq!(
        ws.policy(&id).unwrap().unwrap().status,
        PolicyStatus::InReview
    );
}

#[test]
fn splices_outside_the_text_are_refused_and_change_nothing() {
    let mut ws = workspace();
    let id = ws.add_policy(&draft("P"), "abc", NOW).unwrap();
    let heads = ws.automerge().get_heads();
    assert!(matches!(
        ws.splice_policy_body(&id, 2, 5, "x", NOW + 1),
        Err(CommandError::NotAllowed(_))
    ));
    assert!(matches!(
        ws.splice_policy_body("missing", 0, 0, "x", NOW + 1),
        Err(CommandError::NotFound("policy"))
    ));
    assert_eq!(ws.automerge().get_heads(), heads);
    ws.splice_policy_body(&id, 1, 1, "XY", NOW + 2).unwrap();
    assert_eq!(body(&ws, &id), "aXYc");
}

#[test]
fn diff_against_the_approved_version() {
    let old = "one\ntwo\nthree\n";
    let new = "one\n2\nthree\nfour\n";
    assert_eq!(
        policy_diff(old, new),
        vec![
            DiffLine::Same("one".into()),
            DiffLine::Removed("two".into()),
            DiffLine::Added("2".into()),
            DiffLine::Same("three".into()),
            DiffLine::Added("four".into()),
        ]
    );
    assert!(policy_diff("", "").is_empty());

    let mut ws = workspace();
    let id = approved_policy(&mut ws);
    ws.set_policy_body(&id, &BODY.replace("We protect", "We guard"), NOW + 4)
        .unwrap();
    let diff = policy_diff(&ws.approved_version(&id, 0).unwrap(), &body(&ws, &id));
    let changed: Vec<_> = diff
        .iter()
        .filter(|l| !matches!(l, DiffLine::Same(_)))
        .collect();
    assert_eq!(
        changed,
        vec![
            &DiffLine::Removed("We protect our information.".into()),
            &DiffLine::Added("We guard our information.".into()),
        ]
    );
}

#[test]
fn people_acknowledge_an_approved_version() {
    let mut ws = workspace();
    let id = approved_policy(&mut ws);
    let person = ws
        .add_person(
            &PersonDraft {
                name: "Carol".into(),
                ..Default::default()
            },
            NOW + 4,
        )
        .unwrap();
    ws.acknowledge_policy(&id, 0, &person, NOW + 5).unwrap();
    // Acknowledging twice keeps the first time.
    ws.acknowledge_policy(&id, 0, &person, NOW + 6).unwrap();
    let policy = ws.policy(&id).unwrap().unwrap();
    assert_eq!(
        policy.approvals[0].acknowledgements.get(&person),
        Some(&(NOW + 5))
    );
    assert!(matches!(
        ws.acknowledge_policy(&id, 1, &person, NOW + 7),
        Err(CommandError::NotFound("approved version"))
    ));
    assert!(matches!(
        ws.acknowledge_policy(&id, 0, "nobody", NOW + 7),
        Err(CommandError::NotFound("person"))
    ));
}

#[test]
fn review_due_dates() {
    let mut ws = workspace();
    let due = ws.add_policy(&draft("Old"), "", NOW).unwrap();
    let mut later = draft("New");
    later.review_due = "2030-01-01".into();
    ws.add_policy(&later, "", NOW + 1).unwrap();
    let state = ws.read().unwrap();
    let list: Vec<_> = policies_due_for_review(&state.policies, "2027-04-01")
        .into_iter()
        .map(|(id, _)| id.clone())
        .collect();
    assert_eq!(list, vec![due.clone()]);
    assert!(policies_due_for_review(&state.policies, "2027-03-31").is_empty());
}

#[test]
fn non_ascii_text_is_spliced_by_character() {
    let mut ws = workspace();
    let id = ws
        .add_policy(&draft("P"), "Grüße ☃ an alle\n", NOW)
        .unwrap();
    ws.set_policy_body(&id, "Grüße ☃☃ an alle Mitarbeiter\n", NOW + 1)
        .unwrap();
    assert_eq!(body(&ws, &id), "Grüße ☃☃ an alle Mitarbeiter\n");
    // Positions count characters (Unicode code points), not bytes.
    ws.splice_policy_body(&id, 2, 1, "ue", NOW + 2).unwrap();
    assert_eq!(body(&ws, &id), "Grueße ☃☃ an alle Mitarbeiter\n");
    assert_eq!(
        ws.automerge().text_encoding(),
        automerge::TextEncoding::UnicodeCodePoint
    );
}

#[test]
fn text_splices_count_in_the_documents_encoding() {
    use automerge::TextEncoding;
    use charter::workspace::policies::text_splices;
    let (old, new) = ("a☃b😀c\nline\n", "a☃X😀😀c\nline two\n");
    let apply = |encoding: TextEncoding,
                 to_units: fn(&str) -> Vec<u32>,
                 from_units: fn(&[u32]) -> String| {
        let mut units = to_units(old);
        for s in text_splices(old, new, encoding) {
            units.splice(s.pos..s.pos + s.del, to_units(&s.insert));
        }
        from_units(&units)
    };
    let utf16 = apply(
        TextEncoding::Utf16CodeUnit,
        |s| s.encode_utf16().map(u32::from).collect(),
        |u| String::from_utf16(&u.iter().map(|&x| x as u16).collect::<Vec<_>>()).unwrap(),
    );
    let utf8 = apply(
        TextEncoding::Utf8CodeUnit,
        |s| s.bytes().map(u32::from).collect(),
        |u| String::from_utf8(u.iter().map(|&x| x as u8).collect()).unwrap(),
    );
    let chars = apply(
        TextEncoding::UnicodeCodePoint,
        |s| s.chars().map(u32::from).collect(),
        |u| u.iter().map(|&x| char::from_u32(x).unwrap()).collect(),
    );
    assert_eq!(
        (utf16.as_str(), utf8.as_str(), chars.as_str()),
        (new, new, new)
    );
    assert!(text_splices(old, old, TextEncoding::Utf16CodeUnit).is_empty());
}

/// The overview's "in force" is derived: an information security policy that
/// was approved and is approved or published; two in force, or none, is
/// flagged, and so is a text changed since its approval.
#[test]
fn the_policy_in_force_is_derived_from_the_records() {
    use charter::workspace::overview::Overview;
    use charter::workspace::policies::{PolicyInForce, policy_in_force};
    let mut ws = workspace();
    let in_force = |ws: &WorkspaceDoc| policy_in_force(&ws.read().unwrap().policies);
    assert_eq!(in_force(&ws), PolicyInForce::None);
    assert!(Overview::of(&ws.read().unwrap(), "2026-06-01").needs_attention());

    // A topic-specific policy, even approved, is not the policy of 5.2.
    let topic = ws
        .add_policy(
            &PolicyDraft {
                kind: PolicyKind::TopicSpecific,
                ..draft("Backup policy")
            },
            BODY,
            NOW,
        )
        .unwrap();
    ws.set_policy_status(&topic, PolicyStatus::InReview, NOW)
        .unwrap();
    ws.approve_policy(&topic, &charter::workspace::policies::ATTESTS_5_2, NOW)
        .unwrap();
    assert_eq!(in_force(&ws), PolicyInForce::None);

    let id = approved_policy(&mut ws);
    let one = |changed| PolicyInForce::One {
        id: id.clone(),
        title: "Security policy".into(),
        version: 1,
        changed,
    };
    assert_eq!(in_force(&ws), one(Some(false)));
    assert!(!in_force(&ws).needs_attention());

    // A revision drafted after approval: version 1 stays in force, and the
    // text is said to differ from it.
    ws.set_policy_body(&id, &format!("{BODY}Changed after approval.\n"), NOW + 10)
        .unwrap();
    assert_eq!(ws.policy(&id).unwrap().unwrap().status, PolicyStatus::Draft);
    assert_eq!(in_force(&ws), one(Some(true)));
    assert!(in_force(&ws).needs_attention());
    ws.set_policy_body(&id, BODY, NOW + 11).unwrap();
    assert_eq!(in_force(&ws), one(Some(false)), "the same text again");

    // A second one approved: which applies is unclear.
    let second = ws
        .add_policy(&draft("ISMS policy 2027"), BODY, NOW + 12)
        .unwrap();
    ws.set_policy_status(&second, PolicyStatus::InReview, NOW + 13)
        .unwrap();
    ws.approve_policy(
        &second,
        &charter::workspace::policies::ATTESTS_5_2,
        NOW + 14,
    )
    .unwrap();
    assert_eq!(
        in_force(&ws),
        PolicyInForce::Several(vec!["ISMS policy 2027".into(), "Security policy".into()])
    );
    // Retiring the old one leaves the new one in force.
    ws.set_policy_status(&id, PolicyStatus::Retired, NOW + 15)
        .unwrap();
    assert!(
        matches!(in_force(&ws), PolicyInForce::One { title, .. } if title == "ISMS policy 2027")
    );
}

/// An edit made offline while the policy was in review, merged after the
/// approval: the status still says Approved, but the text is not the one
/// approved, and the overview says so.
#[test]
fn an_offline_edit_merged_after_approval_shows_as_a_changed_text() {
    use charter::workspace::policies::{PolicyInForce, policy_in_force};
    let mut ada = workspace();
    let id = ada
        .add_policy(&draft("Security policy"), BODY, NOW)
        .unwrap();
    ada.set_policy_status(&id, PolicyStatus::InReview, NOW + 1)
        .unwrap();
    let mut bob = fork(&mut ada, "Bob");
    bob.set_policy_body(&id, &format!("{BODY}Bob's offline line.\n"), NOW + 2)
        .unwrap();
    ada.approve_policy(&id, &charter::workspace::policies::ATTESTS_5_2, NOW + 3)
        .unwrap();
    ada.automerge().merge(bob.automerge()).unwrap();
    let state = ada.read().unwrap();
    assert_eq!(state.policies[&id].status, PolicyStatus::Approved);
    assert!(matches!(
        policy_in_force(&state.policies),
        PolicyInForce::One {
            changed: Some(true),
            version: 1,
            ..
        }
    ));
}

/// An approval, a confirmation or an acknowledgement names who gave it, so
/// none is accepted before the person has given a name; an acknowledgement
/// recorded for someone else says who recorded it.
#[test]
fn nothing_that_names_its_author_is_recorded_without_a_name() {
    use charter::workspace::commands::UNNAMED;
    use charter::workspace::commitment::Duty;
    let mut ws = WorkspaceDoc::create("Acme Ltd", "", UNNAMED, NOW).unwrap();
    let id = ws.add_policy(&draft("Security policy"), BODY, NOW).unwrap();
    ws.set_policy_status(&id, PolicyStatus::InReview, NOW)
        .unwrap();
    let refused = ws.approve_policy(&id, &charter::workspace::policies::ATTESTS_5_2, NOW + 1);
    assert!(
        matches!(&refused, Err(CommandError::NotAllowed(m)) if m == "Add your name in your profile first: an approval names who gave it."),
        "{refused:?}"
    );
    assert!(matches!(
        ws.confirm_duty(Duty::A, true, NOW + 1),
        Err(CommandError::NotAllowed(_))
    ));

    ws.set_author("Ada Lovelace");
    ws.approve_policy(&id, &charter::workspace::policies::ATTESTS_5_2, NOW + 2)
        .unwrap();
    let grace = ws
        .add_person(
            &PersonDraft {
                name: "Grace Hopper".into(),
                title: String::new(),
                email: String::new(),
            },
            NOW + 3,
        )
        .unwrap();
    ws.acknowledge_policy(&id, 0, &grace, NOW + 4).unwrap();
    let approval = &ws.policy(&id).unwrap().unwrap().approvals[0];
    assert_eq!(approval.acknowledgements.get(&grace), Some(&(NOW + 4)));
    assert_eq!(
        approval.recorded_by.get(&grace).map(String::as_str),
        Some("Ada Lovelace")
    );
    let last = ws
        .automerge()
        .get_last_local_change()
        .unwrap()
        .message()
        .map(str::to_owned);
    assert_eq!(
        last.as_deref(),
        Some(
            "Grace Hopper acknowledged policy “Security policy” version 1 (recorded by Ada Lovelace)"
        )
    );
}

/// Approving the information security policy attests what clause 5.2 a–d
/// requires of it: all four, or no approval; a topic-specific policy needs none.
#[test]
fn the_information_security_policy_is_approved_with_5_2_a_to_d_attested() {
    let mut ws = workspace();
    let id = ws.add_policy(&draft("Security policy"), BODY, NOW).unwrap();
    ws.set_policy_status(&id, PolicyStatus::InReview, NOW)
        .unwrap();
    let heads = ws.automerge().get_heads();
    let refused = ws.approve_policy(&id, &["a", "c"], NOW + 1);
    assert!(
        matches!(&refused, Err(CommandError::NotAllowed(m)) if m == "Approving the information security policy attests what clause 5.2 requires of it: confirm 5.2 b, 5.2 d as well."),
        "{refused:?}"
    );
    assert!(ws.approve_policy(&id, &[], NOW + 1).is_err());
    assert_eq!(ws.automerge().get_heads(), heads, "nothing was written");

    ws.approve_policy(&id, &["d", "c", "b", "a"], NOW + 2)
        .unwrap();
    let approval = &ws.policy(&id).unwrap().unwrap().approvals[0];
    assert_eq!(approval.attested, ["a", "b", "c", "d"]);

    let topic = ws
        .add_policy(
            &PolicyDraft {
                kind: PolicyKind::TopicSpecific,
                ..draft("Backup policy")
            },
            BODY,
            NOW + 3,
        )
        .unwrap();
    ws.set_policy_status(&topic, PolicyStatus::InReview, NOW + 3)
        .unwrap();
    ws.approve_policy(&topic, &[], NOW + 4).unwrap();
    assert!(
        ws.policy(&topic).unwrap().unwrap().approvals[0]
            .attested
            .is_empty()
    );
}
