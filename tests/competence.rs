//! Native tests of competence (7.2), awareness (7.3) and communication
//! (7.4): the rules each record is checked against, the role × person gap
//! view, training effectiveness, awareness evidence (acknowledgements
//! included) and a policy's availability to interested parties.
#![cfg(not(target_arch = "wasm32"))]

use charter::workspace::communication::{Channel, CommunicationDraft};
use charter::workspace::competence::{
    AwarenessEvidence, CompetenceDraft, CompetenceKind, Standing, awareness_coverage, awareness_of,
    competence_gaps,
};
use charter::workspace::measurements::date_of;
use charter::workspace::roles::{PersonDraft, RoleDraft, RoleKind};
use charter::workspace::sample::sample_workspace;
use charter::workspace::training::{Audience, ProgrammeDraft, SessionDraft};
use charter::workspace::{CommandError, Field, WorkspaceDoc};

const NOW: i64 = 1_780_000_000_000;

fn today() -> String {
    date_of(NOW)
}

/// A workspace with two people and a CISO role held by the first.
fn workspace() -> (WorkspaceDoc, [String; 2], String) {
    let mut ws = WorkspaceDoc::create("Acme Ltd", "All offices", "Ada", NOW).unwrap();
    let person = |name: &str| PersonDraft {
        name: name.into(),
        ..Default::default()
    };
    let ada = ws.add_person(&person("Ada Lovelace"), NOW).unwrap();
    let bob = ws.add_person(&person("Bob Byte"), NOW + 1).unwrap();
    let role = ws
        .add_role(
            &RoleDraft {
                kind: RoleKind::Ciso,
                competence: "CISSP or CISM".into(),
                ..Default::default()
            },
            NOW,
        )
        .unwrap();
    ws.set_role_holder(&role, &ada, true, NOW).unwrap();
    (ws, [ada, bob], role)
}

fn record(person: &str, verified_by: &str, role: &str) -> CompetenceDraft {
    CompetenceDraft {
        person: person.into(),
        kind: CompetenceKind::Certification,
        summary: "CISSP".into(),
        evidence: "Certificate 123 in the HR file".into(),
        date: "2025-01-10".into(),
        verified_by: verified_by.into(),
        roles: vec![role.into()],
    }
}

fn invalid_fields(outcome: Result<impl std::fmt::Debug, CommandError>) -> Vec<Field> {
    match outcome {
        Err(CommandError::Invalid(errors)) => errors.0.iter().map(|e| e.field).collect(),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

#[test]
fn a_role_keeps_the_competence_it_needs() {
    let (ws, _, role) = workspace();
    let state = ws.read().unwrap();
    assert_eq!(state.roles[&role].competence, "CISSP or CISM");
}

#[test]
fn a_holder_without_a_record_is_a_gap_until_a_verified_record_meets_the_role() {
    let (mut ws, [ada, bob], role) = workspace();
    let gaps = competence_gaps(&ws.read().unwrap());
    assert_eq!(gaps.len(), 1);
    assert_eq!(
        (gaps[0].person.as_str(), &gaps[0].standing),
        (ada.as_str(), &Standing::Gap)
    );

    let unverified = ws.add_competence(&record(&ada, "", &role), NOW).unwrap();
    let gaps = competence_gaps(&ws.read().unwrap());
    assert_eq!(
        gaps[0].standing,
        Standing::NotVerified {
            record: unverified.clone()
        }
    );

    let verified = ws
        .add_competence(&record(&ada, &bob, &role), NOW + 1)
        .unwrap();
    let state = ws.read().unwrap();
    assert_eq!(state.competence[&verified].verified_by, bob);
    assert_eq!(
        competence_gaps(&state)[0].standing,
        Standing::Verified {
            record: verified.clone()
        }
    );

    // An archived record is kept, with who archived it, but no longer counts.
    ws.archive_competence(&verified, NOW + 2).unwrap();
    let state = ws.read().unwrap();
    assert_eq!(
        state.competence[&verified].archived.as_ref().unwrap().by,
        "Ada"
    );
    assert_eq!(
        competence_gaps(&state)[0].standing,
        Standing::NotVerified { record: unverified }
    );
    ws.restore_competence(&verified, NOW + 3).unwrap();
    assert!(matches!(
        competence_gaps(&ws.read().unwrap())[0].standing,
        Standing::Verified { .. }
    ));
}

#[test]
fn a_role_that_states_no_competence_says_so_instead_of_a_gap() {
    let (mut ws, [ada, _], _) = workspace();
    let officer = ws
        .add_role(
            &RoleDraft {
                kind: RoleKind::SecurityOfficer,
                ..Default::default()
            },
            NOW,
        )
        .unwrap();
    ws.set_role_holder(&officer, &ada, true, NOW).unwrap();
    let gaps = competence_gaps(&ws.read().unwrap());
    let row = gaps.iter().find(|g| g.role == officer).unwrap();
    assert_eq!(row.standing, Standing::NotStated);
}

#[test]
fn a_competence_record_needs_its_person_what_evidence_and_a_past_date() {
    let (mut ws, [ada, _], role) = workspace();
    let empty = CompetenceDraft {
        date: "not a date".into(),
        ..Default::default()
    };
    assert_eq!(
        invalid_fields(ws.add_competence(&empty, NOW)),
        vec![
            Field::CompetencePerson,
            Field::CompetenceSummary,
            Field::Evidence,
            Field::CompetenceDate
        ]
    );
    let future = CompetenceDraft {
        date: "2099-01-01".into(),
        ..record(&ada, "", &role)
    };
    assert_eq!(
        invalid_fields(ws.add_competence(&future, NOW)),
        vec![Field::CompetenceDate]
    );
    // Nobody verifies their own evidence.
    assert_eq!(
        invalid_fields(ws.add_competence(&record(&ada, &ada, &role), NOW)),
        vec![Field::VerifiedBy]
    );
    assert!(
        ws.read().unwrap().competence.is_empty(),
        "nothing was stored"
    );
}

#[test]
fn a_verified_record_names_who_recorded_it() {
    let (mut unnamed, [ada, bob], role) = workspace();
    unnamed.set_author("");
    let refused = unnamed.add_competence(&record(&ada, &bob, &role), NOW);
    assert!(
        matches!(refused, Err(CommandError::NotAllowed(_))),
        "{refused:?}"
    );
    // An unverified record may be noted by anyone.
    unnamed
        .add_competence(&record(&ada, "", &role), NOW)
        .unwrap();
}

#[test]
fn a_programme_records_how_its_effectiveness_is_evaluated_and_the_result() {
    let (mut ws, _, _) = workspace();
    let draft = ProgrammeDraft {
        topic: "Awareness".into(),
        effectiveness_method: "Quiz, pass mark 80%".into(),
        effectiveness_result: "Average 88%".into(),
        effectiveness_checked: "2026-05-01".into(),
        ..Default::default()
    };
    let id = ws.add_programme(&draft, NOW).unwrap();
    let programme = ws.programme(&id).unwrap().unwrap();
    assert_eq!(programme.effectiveness_method, "Quiz, pass mark 80%");
    assert_eq!(programme.effectiveness_result, "Average 88%");
    assert_eq!(
        programme.effectiveness_checked.as_deref(),
        Some("2026-05-01")
    );

    // A result needs its method and its date; the date cannot be in the future.
    let bare = ProgrammeDraft {
        topic: "Awareness".into(),
        effectiveness_result: "Fine".into(),
        ..Default::default()
    };
    assert_eq!(
        invalid_fields(ws.add_programme(&bare, NOW)),
        vec![Field::EffectivenessDate, Field::EffectivenessMethod]
    );
    let future = ProgrammeDraft {
        effectiveness_checked: "2099-01-01".into(),
        ..draft
    };
    assert_eq!(
        invalid_fields(ws.edit_programme(&id, &future, NOW)),
        vec![Field::EffectivenessDate]
    );
}

#[test]
fn awareness_comes_from_programmes_that_cover_each_point_and_from_acknowledgements() {
    let (mut ws, [ada, bob], _) = workspace();
    let id = ws
        .add_programme(
            &ProgrammeDraft {
                topic: "Induction".into(),
                audience: Audience::Everyone,
                mandatory: true,
                covers_contribution: true,
                ..Default::default()
            },
            NOW,
        )
        .unwrap();
    ws.add_session(
        &id,
        &SessionDraft {
            date: "2026-01-10".into(),
            end: String::new(),
            attendees: vec![ada.clone()],
        },
        NOW,
    )
    .unwrap();
    let state = ws.read().unwrap();
    let [policy, contribution, consequences] = awareness_of(&state, &ada, &today());
    assert_eq!(policy, None);
    assert_eq!(
        contribution,
        Some(AwarenessEvidence::Programme("Induction".into()))
    );
    assert_eq!(consequences, None);
    assert_eq!(awareness_of(&state, &bob, &today()), [None, None, None]);
    assert_eq!(awareness_coverage(&state, &today()), ([0, 1, 0], 2));
}

#[test]
fn in_the_sample_an_acknowledgement_of_the_policy_in_force_counts_for_7_3_a() {
    let doc = sample_workspace("Visitor", NOW).unwrap();
    let state = doc.read().unwrap();
    let today = today();
    let aware: Vec<_> = state
        .people
        .keys()
        .map(|id| awareness_of(&state, id, &today))
        .collect();
    assert!(aware.iter().any(|[policy, ..]| matches!(
        policy,
        Some(AwarenessEvidence::Acknowledged { version: 1, .. })
    )));
    let (covered, people) = awareness_coverage(&state, &today);
    assert_eq!(people, 12);
    assert!(covered.iter().all(|&c| c > 0 && c <= people), "{covered:?}");
    // The sample's roles state what they need, and its gap view has all three standings.
    let gaps = competence_gaps(&state);
    assert!(
        gaps.iter()
            .any(|g| matches!(g.standing, Standing::Verified { .. }))
    );
    assert!(
        gaps.iter()
            .any(|g| matches!(g.standing, Standing::NotVerified { .. }))
    );
    assert!(gaps.iter().any(|g| g.standing == Standing::Gap));
    assert!(!state.communications.is_empty());
}

#[test]
fn a_communication_says_what_when_to_whom_how_and_by_whom() {
    let (mut ws, [ada, _], role) = workspace();
    let draft = CommunicationDraft {
        subject: "New password rules".into(),
        message: "Twelve characters from March.".into(),
        date: "2026-03-01".into(),
        audience: "All staff".into(),
        channel: Channel::Intranet,
        by: ada.clone(),
        policies: vec!["no-such-policy".into()],
        roles: vec![role.clone(), role.clone()],
        objectives: vec![],
    };
    let id = ws.add_communication(&draft, NOW).unwrap();
    let stored = ws.communication(&id).unwrap().unwrap();
    assert_eq!(stored.subject, "New password rules");
    assert_eq!(stored.channel, Channel::Intranet);
    assert_eq!(stored.by, ada);
    assert!(stored.policies.is_empty(), "a link to nothing is dropped");
    assert_eq!(stored.roles, vec![role], "a link is kept once");
    assert!(!stored.planned("2026-03-01"));
    assert!(stored.planned("2026-02-28"));

    let empty = CommunicationDraft::default();
    assert_eq!(
        invalid_fields(ws.add_communication(&empty, NOW)),
        vec![
            Field::Subject,
            Field::CommunicationDate,
            Field::CommunicationAudience,
            Field::CommunicatedBy
        ]
    );
    ws.archive_communication(&id, NOW + 1).unwrap();
    assert!(ws.communication(&id).unwrap().unwrap().archived.is_some());
    ws.restore_communication(&id, NOW + 2).unwrap();
    assert!(ws.communication(&id).unwrap().unwrap().archived.is_none());
}

#[test]
fn a_policy_says_whether_interested_parties_can_see_it_and_where() {
    let doc = sample_workspace("Visitor", NOW).unwrap();
    let state = doc.read().unwrap();
    let available: Vec<_> = state
        .policies
        .values()
        .filter_map(|p| p.availability.as_ref())
        .collect();
    assert_eq!(available.len(), 1);
    assert!(available[0].available);

    let mut doc = doc;
    let id = state.policies.keys().next().unwrap().clone();
    assert_eq!(
        invalid_fields(doc.set_policy_availability(&id, false, "  ", NOW)),
        vec![Field::AvailabilityNote]
    );
    doc.set_policy_availability(&id, false, "Internal: names our suppliers", NOW)
        .unwrap();
    let availability = doc.policy(&id).unwrap().unwrap().availability.unwrap();
    assert!(!availability.available);
    assert_eq!(availability.note, "Internal: names our suppliers");
}
