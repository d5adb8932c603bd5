//! Native tests of who signed what (issue 9, point 7): device keys confirmed
//! by top management from the founding key on, approvals and confirmations
//! that verify only when the right person's confirmed key signed them while
//! they held Top management, and every way of forging one shown unverified.
#![cfg(not(target_arch = "wasm32"))]

use automerge::{AutoCommit, ROOT, ReadDoc};
use autosurgeon::{hydrate_prop, reconcile_prop};
use charter::workspace::commitment::Duty;
use charter::workspace::policies::{Approval, PolicyDraft, PolicyKind};
use charter::workspace::resources::{BudgetApprovalDraft, BudgetLineDraft};
use charter::workspace::roles::{PersonDraft, RoleDraft, RoleKind};
use charter::workspace::signing::{
    Act, DeviceKey, KeyStatus, Trust, Unverified, Verdict, fingerprint,
};
use charter::workspace::{CommandError, Workspace, WorkspaceDoc};

const NOW: i64 = 1_780_000_000_000;
const DAY: i64 = 86_400_000;

/// A workspace created in Ada's browser, with Ada (CEO, Top management),
/// Bob (CISO) and Carol; Ada's key is the founding key, confirmed by itself.
struct Setup {
    ada: WorkspaceDoc,
    ada_id: String,
    bob_id: String,
    carol_id: String,
    top: String,
}

fn key(seed: u8) -> DeviceKey {
    DeviceKey::from_seed([seed; 32])
}

fn setup() -> Setup {
    let mut ada = WorkspaceDoc::create("Acme Ltd", "All offices", "Ada Lovelace", NOW).unwrap();
    ada.set_device_key(Some(key(1)));
    ada.claim_founder(NOW).unwrap();
    let person = |name: &str| PersonDraft {
        name: name.into(),
        title: String::new(),
        email: String::new(),
    };
    let ada_id = ada.add_person(&person("Ada Lovelace"), NOW).unwrap();
    let bob_id = ada.add_person(&person("Bob Stone"), NOW).unwrap();
    let carol_id = ada.add_person(&person("Carol Diaz"), NOW).unwrap();
    let top = ada
        .add_role(
            &RoleDraft {
                kind: RoleKind::TopManagement,
                ..Default::default()
            },
            NOW,
        )
        .unwrap();
    ada.set_role_holder(&top, &ada_id, true, NOW).unwrap();
    ada.put_forward_key(&ada_id, "Ada's laptop", NOW).unwrap();
    Setup {
        ada,
        ada_id,
        bob_id,
        carol_id,
        top,
    }
}

/// Another browser with the same document and its own key.
fn browser(from: &mut WorkspaceDoc, author: &str, seed: u8) -> WorkspaceDoc {
    let bytes = from.automerge().save();
    let mut doc = WorkspaceDoc::from_automerge(AutoCommit::load(&bytes).unwrap(), author);
    doc.set_device_key(Some(key(seed)));
    doc
}

fn sync(a: &mut WorkspaceDoc, b: &mut WorkspaceDoc) {
    a.automerge().merge(b.automerge()).unwrap();
    b.automerge().merge(a.automerge()).unwrap();
}

fn trust(ws: &Workspace) -> Trust<'_> {
    Trust {
        founder: &ws.meta.founder,
        pinned: Some(&ws.meta.founder),
        keys: &ws.keys,
        roles: &ws.roles,
    }
}

fn policy_in_review(doc: &mut WorkspaceDoc) -> String {
    let id = doc
        .add_policy(
            &PolicyDraft {
                title: "Information security policy".into(),
                kind: PolicyKind::InformationSecurity,
                owner: "Ada".into(),
                review_due: String::new(),
            },
            "We protect information.",
            NOW,
        )
        .unwrap();
    doc.set_policy_status(
        &id,
        charter::workspace::policies::PolicyStatus::InReview,
        NOW,
    )
    .unwrap();
    id
}

fn policy_verdict(doc: &WorkspaceDoc, id: &str, index: usize) -> Verdict {
    let ws = doc.read().unwrap();
    let approval = &ws.policies[id].approvals[index];
    trust(&ws).verify(
        &Act::PolicyApproval {
            policy: id,
            version: index + 1,
        },
        approval.signature.as_ref(),
    )
}

#[test]
fn the_founding_key_confirms_itself_and_an_approval_by_top_management_verifies() {
    let mut s = setup();
    let ws = s.ada.read().unwrap();
    let ada_key = key(1).public_hex();
    assert_eq!(ws.meta.founder, ada_key);
    assert_eq!(trust(&ws).key_status(&ada_key), KeyStatus::Founder);
    assert_eq!(trust(&ws).key_owner(&ada_key), Ok(s.ada_id.as_str()));

    let id = policy_in_review(&mut s.ada);
    s.ada
        .approve_policy(&id, &charter::workspace::policies::ATTESTS_5_2, NOW + 1)
        .unwrap();
    assert_eq!(
        policy_verdict(&s.ada, &id, 0),
        Verdict::Verified {
            person: s.ada_id.clone(),
            role: s.top.clone(),
            key: ada_key,
        }
    );
}

#[test]
fn a_key_counts_once_top_management_confirms_it_and_only_then() {
    let mut s = setup();
    let mut bob = browser(&mut s.ada, "Bob Stone", 2);
    let bob_key = key(2).public_hex();
    bob.put_forward_key(&s.bob_id, "Bob's phone", NOW + DAY)
        .unwrap();
    sync(&mut s.ada, &mut bob);
    let ws = s.ada.read().unwrap();
    assert_eq!(trust(&ws).key_status(&bob_key), KeyStatus::Waiting);
    assert_eq!(
        trust(&ws).key_owner(&bob_key),
        Err(Unverified::KeyNotConfirmed)
    );

    // Bob does not hold Top management: he can confirm nobody, himself included.
    let mut carol = browser(&mut s.ada, "Carol Diaz", 3);
    carol
        .put_forward_key(&s.carol_id, "Carol's laptop", NOW + DAY)
        .unwrap();
    sync(&mut bob, &mut carol);
    assert!(matches!(
        bob.confirm_key(&key(3).public_hex(), NOW + DAY),
        Err(CommandError::NotAllowed(_))
    ));
    assert!(matches!(
        bob.confirm_key(&bob_key, NOW + DAY),
        Err(CommandError::NotAllowed(_))
    ));

    // Ada does.
    sync(&mut s.ada, &mut carol);
    s.ada.confirm_key(&bob_key, NOW + 2 * DAY).unwrap();
    let ws = s.ada.read().unwrap();
    assert_eq!(
        trust(&ws).key_status(&bob_key),
        KeyStatus::Confirmed {
            by: key(1).public_hex(),
            at: NOW + 2 * DAY,
        }
    );
    assert_eq!(trust(&ws).key_owner(&bob_key), Ok(s.bob_id.as_str()));
    let messages: Vec<String> = s
        .ada
        .automerge()
        .get_changes(&[])
        .iter()
        .filter_map(|c| c.message().map(str::to_owned))
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("Confirmed the signing key") && m.contains("Bob Stone")),
        "{messages:?}"
    );
    assert!(fingerprint(&bob_key).len() == 24);
}

#[test]
fn a_confirmation_forged_by_someone_outside_top_management_does_not_count() {
    let mut s = setup();
    let mut bob = browser(&mut s.ada, "Bob Stone", 2);
    bob.put_forward_key(&s.bob_id, "Bob's phone", NOW).unwrap();
    sync(&mut s.ada, &mut bob);
    s.ada.confirm_key(&key(2).public_hex(), NOW + 1).unwrap();
    sync(&mut s.ada, &mut bob);
    // Carol's key, "confirmed" by Bob's (confirmed, but not Top management)
    // key, written straight into the document as a hostile editor could.
    let mut carol = browser(&mut bob, "Carol Diaz", 3);
    carol
        .put_forward_key(&s.carol_id, "Carol", NOW + 2)
        .unwrap();
    let carol_key = key(3).public_hex();
    let doc = carol.automerge();
    let keys = doc.get(ROOT, "keys").unwrap().unwrap().1;
    let record = doc.get(&keys, &carol_key).unwrap().unwrap().1;
    let forged = charter::workspace::signing::KeyBinding {
        by: key(2).public_hex(),
        role: s.top.clone(),
        at: NOW + 3,
        sig: "00".repeat(64),
    };
    reconcile_prop(doc, &record, "binding", Some(forged)).unwrap();
    doc.commit();
    let ws = carol.read().unwrap();
    assert_eq!(
        trust(&ws).key_status(&carol_key),
        KeyStatus::Invalid(Unverified::BadConfirmation)
    );
}

#[test]
fn an_approval_under_someone_elses_name_or_changed_after_signing_is_unverified() {
    let mut s = setup();
    let id = policy_in_review(&mut s.ada);
    s.ada
        .approve_policy(&id, &charter::workspace::policies::ATTESTS_5_2, NOW + 1)
        .unwrap();
    let mut bob = browser(&mut s.ada, "Bob Stone", 2);
    bob.put_forward_key(&s.bob_id, "Bob's phone", NOW).unwrap();
    sync(&mut s.ada, &mut bob);
    s.ada.confirm_key(&key(2).public_hex(), NOW + 2).unwrap();
    sync(&mut s.ada, &mut bob);

    // Bob approves as himself: his key is confirmed, but he is not top management.
    bob.set_policy_status(
        &id,
        charter::workspace::policies::PolicyStatus::Draft,
        NOW + 3,
    )
    .unwrap();
    bob.set_policy_status(
        &id,
        charter::workspace::policies::PolicyStatus::InReview,
        NOW + 3,
    )
    .unwrap();
    bob.approve_policy(&id, &charter::workspace::policies::ATTESTS_5_2, NOW + 4)
        .unwrap();
    assert_eq!(
        policy_verdict(&bob, &id, 1),
        Verdict::Unverified(Unverified::NoRole)
    );

    // Bob rewrites version 2 under Ada's actor id and name, signing as Ada
    // with his own key: the key is not hers.
    let ada_actor = s.ada.actor();
    let mut approvals = approvals_of(&mut bob, &id);
    let mut forged = approvals[1].clone();
    forged.approver = ada_actor.clone();
    forged.approver_name = "Ada Lovelace".into();
    let mut signature = forged.signature.clone().unwrap();
    signature.person = s.ada_id.clone();
    signature.role = s.top.clone();
    signature.sig = sign_with(
        &key(2),
        &bob,
        &Act::PolicyApproval {
            policy: &id,
            version: 2,
        },
        &signature,
    );
    forged.signature = Some(signature);
    approvals[1] = forged;
    write_approvals(&mut bob, &id, &approvals);
    assert_eq!(
        policy_verdict(&bob, &id, 1),
        Verdict::Unverified(Unverified::OtherPerson)
    );

    // Ada's real signature of version 1 copied onto version 2: it signs
    // another act, so it does not check.
    approvals[1].signature = approvals[0].signature.clone();
    write_approvals(&mut bob, &id, &approvals);
    assert_eq!(
        policy_verdict(&bob, &id, 1),
        Verdict::Unverified(Unverified::Altered)
    );

    // A name and an actor id without any signature.
    approvals[1].signature = None;
    write_approvals(&mut bob, &id, &approvals);
    assert_eq!(
        policy_verdict(&bob, &id, 1),
        Verdict::Unverified(Unverified::NotSigned)
    );

    // Version 1, untouched, still verifies.
    assert!(matches!(
        policy_verdict(&bob, &id, 0),
        Verdict::Verified { .. }
    ));
}

fn approvals_of(doc: &mut WorkspaceDoc, id: &str) -> Vec<Approval> {
    let am = doc.automerge();
    let policies = am.get(ROOT, "policies").unwrap().unwrap().1;
    let policy = am.get(&policies, id).unwrap().unwrap().1;
    hydrate_prop(am, &policy, "approvals").unwrap()
}

fn write_approvals(doc: &mut WorkspaceDoc, id: &str, approvals: &[Approval]) {
    let am = doc.automerge();
    let policies = am.get(ROOT, "policies").unwrap().unwrap().1;
    let policy = am.get(&policies, id).unwrap().unwrap().1;
    reconcile_prop(am, &policy, "approvals", approvals).unwrap();
    am.commit();
}

/// A signature made outside the commands, as a hostile editor's own code would.
fn sign_with(
    key: &DeviceKey,
    doc: &WorkspaceDoc,
    act: &Act<'_>,
    signature: &charter::workspace::signing::ActSignature,
) -> String {
    let founder = doc.read().unwrap().meta.founder;
    key.sign_hex(&charter::workspace::signing::act_statement(
        &founder, act, signature,
    ))
}

#[test]
fn a_budget_approval_with_its_amount_changed_later_no_longer_verifies() {
    let mut s = setup();
    // Carol asks for the money on her own device; Ada approves it.
    let mut carol = WorkspaceDoc::from_automerge(
        AutoCommit::load(&s.ada.automerge().save()).unwrap(),
        "Carol Diaz",
    );
    let line = carol
        .add_budget_line(
            &BudgetLineDraft {
                category: "Training".into(),
                description: String::new(),
                year: "2026".into(),
                currency: "EUR".into(),
                requested: "12000".into(),
                spent: "0".into(),
            },
            NOW,
        )
        .unwrap();
    s.ada.automerge().merge(carol.automerge()).unwrap();
    s.ada
        .approve_budget_line(
            &line,
            &BudgetApprovalDraft {
                amount: "10000".into(),
                date: "2026-05-01".into(),
            },
            NOW + 1,
        )
        .unwrap();
    let verdict = |doc: &WorkspaceDoc| {
        let ws = doc.read().unwrap();
        let l = &ws.budget[&line];
        let a = l.approval.as_ref().unwrap();
        trust(&ws).verify(
            &Act::BudgetApproval {
                line: &line,
                amount: a.amount,
                currency: &l.currency,
                date: &a.date,
            },
            a.signature.as_ref(),
        )
    };
    assert!(matches!(verdict(&s.ada), Verdict::Verified { .. }));
    // Someone raises the approved amount in the document afterwards.
    let am = s.ada.automerge();
    let budget = am.get(ROOT, "budget").unwrap().unwrap().1;
    let record = am.get(&budget, &line).unwrap().unwrap().1;
    let approval = am.get(&record, "approval").unwrap().unwrap().1;
    reconcile_prop(am, &approval, "amount", 5_000_000_i64).unwrap();
    am.commit();
    assert_eq!(verdict(&s.ada), Verdict::Unverified(Unverified::Altered));
}

#[test]
fn a_confirmation_needs_the_role_at_the_time_and_a_founder_this_browser_knows() {
    let mut s = setup();
    s.ada
        .set_duty_justification(Duty::A, "Board minutes of 4 May", NOW + 1)
        .unwrap();
    s.ada.confirm_duty(Duty::A, true, NOW + 1).unwrap();
    let verdict = |doc: &WorkspaceDoc, pinned: Option<&str>| {
        let ws = doc.read().unwrap();
        let c = ws.commitment["a"].confirmation.clone().unwrap();
        Trust {
            pinned,
            ..trust(&ws)
        }
        .verify(&Act::DutyConfirmation { duty: "a" }, c.signature.as_ref())
    };
    let founder = key(1).public_hex();
    assert!(matches!(
        verdict(&s.ada, Some(&founder)),
        Verdict::Verified { .. }
    ));

    // Another founder written into the document: this browser pinned Ada's.
    let mut mallory = browser(&mut s.ada, "Mallory", 9);
    let mut meta = mallory.meta().unwrap();
    meta.founder = key(9).public_hex();
    reconcile_prop(mallory.automerge(), ROOT, "meta", &meta).unwrap();
    mallory.automerge().commit();
    assert_eq!(
        verdict(&mallory, Some(&founder)),
        Verdict::Unverified(Unverified::FounderChanged)
    );
    // Even where nothing was pinned, Ada signed under the old founder.
    assert_eq!(
        verdict(&mallory, None),
        Verdict::Unverified(Unverified::Altered)
    );

    // Ada leaves Top management: what she confirmed while she held the role
    // still verifies, since the role keeps its history (since, until).
    s.ada
        .set_role_holder(&s.top, &s.ada_id, false, NOW + 2)
        .unwrap();
    assert!(matches!(
        verdict(&s.ada, Some(&founder)),
        Verdict::Verified { .. }
    ));
    let role = s.ada.role(&s.top).unwrap().unwrap();
    let holding = role.former.values().next().unwrap();
    assert_eq!(
        (holding.person.as_str(), holding.until),
        (s.ada_id.as_str(), NOW + 2)
    );
    // What she confirms after leaving does not verify: she no longer holds it.
    s.ada
        .set_duty_justification(Duty::B, "Process owners' sign-off", NOW + 3)
        .unwrap();
    s.ada.confirm_duty(Duty::B, true, NOW + 3).unwrap();
    let after = {
        let ws = s.ada.read().unwrap();
        let c = ws.commitment["b"].confirmation.clone().unwrap();
        Trust {
            pinned: Some(&founder),
            ..trust(&ws)
        }
        .verify(&Act::DutyConfirmation { duty: "b" }, c.signature.as_ref())
    };
    assert_eq!(after, Verdict::Unverified(Unverified::NoRole));
    // Given the role again later: the earlier holding still counts, the gap does not.
    s.ada
        .set_role_holder(&s.top, &s.ada_id, true, NOW + 4)
        .unwrap();
    assert!(matches!(
        verdict(&s.ada, Some(&founder)),
        Verdict::Verified { .. }
    ));
    // An archived role gives no authority from then on, and keeps what it gave.
    s.ada.archive_role(&s.top, NOW + 5).unwrap();
    let ws = s.ada.read().unwrap();
    assert!(ws.roles[&s.top].held_by_at(&s.ada_id, NOW + 1));
    assert!(!ws.roles[&s.top].held_by_at(&s.ada_id, NOW + 3));
    assert!(ws.roles[&s.top].held_by_at(&s.ada_id, NOW + 4));
    assert!(!ws.roles[&s.top].held_by_at(&s.ada_id, NOW + 5));
}

#[test]
fn the_private_key_never_enters_the_document_and_waiting_keys_can_be_withdrawn() {
    let mut s = setup();
    let mut bob = browser(&mut s.ada, "Bob Stone", 2);
    bob.put_forward_key(&s.bob_id, "Bob's phone", NOW).unwrap();
    let bob_key = key(2).public_hex();
    let saved = bob.automerge().save();
    for secret in [key(1).secret_hex(), key(2).secret_hex()] {
        assert!(!contains(&saved, secret.as_bytes()));
        let raw: Vec<u8> = (0..32)
            .map(|i| u8::from_str_radix(&secret[i * 2..i * 2 + 2], 16).unwrap())
            .collect();
        assert!(!contains(&saved, &raw));
    }
    // A confirmed key cannot be put forward again for someone else.
    assert!(matches!(
        s.ada.put_forward_key(&s.bob_id, "Ada's laptop", NOW),
        Err(CommandError::NotAllowed(_))
    ));
    // A confirmed key stays on record; a waiting key can be withdrawn;
    // unknown people are refused.
    assert!(matches!(
        s.ada.withdraw_key(&key(1).public_hex(), NOW + 1),
        Err(CommandError::NotAllowed(_))
    ));
    bob.withdraw_key(&bob_key, NOW + 1).unwrap();
    assert!(!bob.read().unwrap().keys.contains_key(&bob_key));
    assert!(matches!(
        bob.put_forward_key("no-such-person", "", NOW),
        Err(CommandError::NotFound(_))
    ));
    // A workspace without a founder verifies nothing, and a browser without
    // a key signs nothing.
    let mut plain = WorkspaceDoc::create("Old Ltd", "", "Ada", NOW).unwrap();
    let id = policy_in_review(&mut plain);
    plain
        .approve_policy(&id, &charter::workspace::policies::ATTESTS_5_2, NOW)
        .unwrap();
    assert_eq!(
        policy_verdict(&plain, &id, 0),
        Verdict::Unverified(Unverified::NotSigned)
    );
    plain.set_device_key(Some(key(4)));
    assert!(plain.claim_founder(NOW).is_ok());
    assert!(matches!(
        plain.claim_founder(NOW),
        Err(CommandError::NotAllowed(_))
    ));
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
