//! Native tests of training programmes, sessions, completion figures and
//! evidence of competence, and of the leadership commitment checklist.
#![cfg(not(target_arch = "wasm32"))]

use charter::workspace::commitment::{Duty, commitment_progress};
use charter::workspace::roles::{PersonDraft, RoleDraft, RoleKind};
use charter::workspace::training::{
    Audience, ProgrammeDraft, SessionDraft, months_before, overall_completion, percent,
    person_completion, programme_completion,
};
use charter::workspace::{CommandError, Field, WorkspaceDoc};

const NOW: i64 = 1_780_000_000_000;
const TODAY: &str = "2026-06-15";

fn workspace() -> WorkspaceDoc {
    WorkspaceDoc::create("Acme Ltd", "All offices", "Ada", NOW).unwrap()
}

fn programme(topic: &str, audience: Audience, recurrence: &str) -> ProgrammeDraft {
    ProgrammeDraft {
        topic: topic.into(),
        audience,
        recurrence_months: recurrence.into(),
        mandatory: true,
        completion_target: "90".into(),
        ..ProgrammeDraft::default()
    }
}

fn session(date: &str, attendees: &[&String]) -> SessionDraft {
    SessionDraft {
        date: date.into(),
        end: String::new(),
        attendees: attendees.iter().map(|p| (*p).clone()).collect(),
    }
}

fn add_people(ws: &mut WorkspaceDoc, names: &[&str]) -> Vec<String> {
    names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let draft = PersonDraft {
                name: (*name).into(),
                ..Default::default()
            };
            ws.add_person(&draft, NOW + i as i64).unwrap()
        })
        .collect()
}

#[test]
fn bad_programme_and_session_input_is_reported_per_field() {
    let mut ws = workspace();
    let bad = ProgrammeDraft {
        topic: " ".into(),
        recurrence_months: "0".into(),
        completion_target: "120".into(),
        ..Default::default()
    };
    let Err(CommandError::Invalid(errors)) = ws.add_programme(&bad, NOW) else {
        panic!("expected validation errors")
    };
    assert_eq!(errors.message(Field::Topic), Some("Enter the topic."));
    assert!(errors.message(Field::Recurrence).is_some());
    assert_eq!(
        errors.message(Field::CompletionTarget),
        Some("Enter a percentage from 0 to 100.")
    );
    for bad in ["-5", "abc"] {
        let draft = ProgrammeDraft {
            completion_target: bad.into(),
            ..programme("Phishing", Audience::Everyone, "")
        };
        let errors = draft.validate().unwrap_err();
        assert!(errors.message(Field::CompletionTarget).is_some(), "{bad}");
    }
    assert!(ws.read().unwrap().trainings.is_empty());

    let id = ws
        .add_programme(&programme("Phishing", Audience::Everyone, "12"), NOW)
        .unwrap();
    let mut backwards = session("2026-05-10", &[]);
    backwards.end = "2026-05-09".into();
    let Err(CommandError::Invalid(errors)) = ws.add_session(&id, &backwards, NOW + 1) else {
        panic!("expected validation errors")
    };
    assert_eq!(
        errors.message(Field::SessionEnd),
        Some("The end cannot be before the start.")
    );
    let Err(CommandError::Invalid(errors)) = ws.add_session(&id, &session("soon", &[]), NOW + 1)
    else {
        panic!("expected validation errors")
    };
    assert!(errors.message(Field::SessionDate).is_some());
    assert!(ws.programme(&id).unwrap().unwrap().sessions.is_empty());
}

#[test]
fn completion_per_programme_person_and_overall() {
    let mut ws = workspace();
    let people = add_people(&mut ws, &["Ann", "Ben", "Cat", "Dev"]);
    let (ann, ben, cat, dev) = (&people[0], &people[1], &people[2], &people[3]);
    let ciso = ws
        .add_role(
            &RoleDraft {
                kind: RoleKind::Ciso,
                ..Default::default()
            },
            NOW,
        )
        .unwrap();
    ws.set_role_holder(&ciso, cat, true, NOW).unwrap();
    ws.set_role_holder(&ciso, dev, true, NOW).unwrap();

    // Everyone, yearly: Ann this year, Ben 13 months ago (lapsed), Cat in
    // the future (does not count yet).
    let awareness = ws
        .add_programme(&programme("Awareness", Audience::Everyone, "12"), NOW)
        .unwrap();
    ws.add_session(&awareness, &session("2026-01-10", &[ann]), NOW)
        .unwrap();
    ws.add_session(&awareness, &session("2025-05-14", &[ben]), NOW)
        .unwrap();
    ws.add_session(&awareness, &session("2026-07-01", &[cat]), NOW)
        .unwrap();
    // CISO role only, once: Cat attended.
    let incident = ws
        .add_programme(
            &programme("Incident handling", Audience::Roles(vec![ciso.clone()]), ""),
            NOW,
        )
        .unwrap();
    let s = ws
        .add_session(&incident, &session("2024-03-01", &[cat]), NOW)
        .unwrap();

    let state = ws.read().unwrap();
    let p = |id: &str| state.trainings.get(id).unwrap();
    assert_eq!(
        programme_completion(&state, p(&awareness), TODAY),
        Some(25.0)
    );
    assert_eq!(
        programme_completion(&state, p(&incident), TODAY),
        Some(50.0)
    );
    assert_eq!(person_completion(&state, ann, TODAY), Some(100.0));
    assert_eq!(person_completion(&state, ben, TODAY), Some(0.0));
    assert_eq!(person_completion(&state, cat, TODAY), Some(50.0));
    // 2 of 6 (person, programme) pairs.
    let overall = overall_completion(&state, TODAY).unwrap();
    assert!((overall - 100.0 / 3.0).abs() < 1e-9);

    // Dev attends later; attendance can also be withdrawn.
    ws.set_attendance(&incident, &s, dev, true, NOW + 1)
        .unwrap();
    let state = ws.read().unwrap();
    assert_eq!(
        programme_completion(&state, state.trainings.get(&incident).unwrap(), TODAY),
        Some(100.0)
    );
    ws.set_attendance(&incident, &s, dev, false, NOW + 2)
        .unwrap();
    let state = ws.read().unwrap();
    assert_eq!(
        programme_completion(&state, state.trainings.get(&incident).unwrap(), TODAY),
        Some(50.0)
    );
}

#[test]
fn no_people_means_no_figure_rather_than_a_division_by_zero() {
    let mut ws = workspace();
    let id = ws
        .add_programme(&programme("Awareness", Audience::Everyone, ""), NOW)
        .unwrap();
    let state = ws.read().unwrap();
    assert_eq!(
        programme_completion(&state, state.trainings.get(&id).unwrap(), TODAY),
        None
    );
    assert_eq!(overall_completion(&state, TODAY), None);
    assert_eq!(person_completion(&state, "nobody", TODAY), None);
    assert_eq!(percent(0, 0), None);
    assert_eq!(percent(1, 3).map(|p| (p * 100.0).round()), Some(3333.0));
}

#[test]
fn months_before_clamps_the_day() {
    assert_eq!(
        months_before("2026-03-31", 1).as_deref(),
        Some("2026-02-28")
    );
    assert_eq!(
        months_before("2026-01-15", 12).as_deref(),
        Some("2025-01-15")
    );
    assert_eq!(
        months_before("2026-01-15", 1).as_deref(),
        Some("2025-12-15")
    );
    assert_eq!(
        months_before("2028-03-30", 1).as_deref(),
        Some("2028-02-29")
    );
    assert_eq!(months_before("nonsense", 1), None);
}

#[test]
fn evidence_of_competence_per_person_and_programme() {
    let mut ws = workspace();
    let people = add_people(&mut ws, &["Ann"]);
    let id = ws
        .add_programme(&programme("Secure coding", Audience::Everyone, ""), NOW)
        .unwrap();
    ws.set_competence_evidence(&id, &people[0], " https://certs.example/ann ", NOW + 1)
        .unwrap();
    let edited = ProgrammeDraft {
        mandatory: false,
        ..programme("Secure coding (OWASP)", Audience::Everyone, "24")
    };
    ws.edit_programme(&id, &edited, NOW + 2).unwrap();
    let programme = ws.programme(&id).unwrap().unwrap();
    assert_eq!(programme.topic, "Secure coding (OWASP)");
    assert_eq!(programme.recurrence_months, Some(24));
    assert_eq!(
        programme.evidence.get(&people[0]).map(String::as_str),
        Some("https://certs.example/ann")
    );
    ws.set_competence_evidence(&id, &people[0], "", NOW + 3)
        .unwrap();
    assert!(ws.programme(&id).unwrap().unwrap().evidence.is_empty());
    assert!(matches!(
        ws.set_competence_evidence(&id, "nobody", "x", NOW + 4),
        Err(CommandError::NotFound("person"))
    ));
}

/// A duty is confirmed on live evidence or a written justification; the
/// evidence deleted later reopens it; progress counts only what is supported.
#[test]
fn commitment_checklist_progress() {
    use charter::workspace::commitment::{DutyState, duty_state};
    use charter::workspace::{Health, ObjectiveDraft};
    let mut ws = workspace();
    let progress = commitment_progress(&ws.read().unwrap());
    assert_eq!(
        (progress.confirmed, progress.evidenced, progress.total),
        (0, 0, 8)
    );
    assert_eq!(progress.percent(), 0.0);

    // Nothing to rest on: refused.
    let refused = ws.confirm_duty(Duty::A, true, NOW);
    assert!(
        matches!(&refused, Err(CommandError::NotAllowed(m)) if m.starts_with("Link a record that shows this duty is met")),
        "{refused:?}"
    );
    // A link to a record that does not exist is no evidence either.
    ws.set_duty_evidence(Duty::A, "01GONE", true, NOW).unwrap();
    assert!(ws.confirm_duty(Duty::A, true, NOW).is_err());

    let objective = ws
        .add_objective(
            &ObjectiveDraft {
                title: "Patch within 14 days".into(),
                health: Health::NotAssessed,
                ..Default::default()
            },
            NOW,
        )
        .unwrap();
    ws.set_duty_evidence(Duty::A, &objective, true, NOW + 1)
        .unwrap();
    ws.confirm_duty(Duty::A, true, NOW + 2).unwrap();
    // C rests on a written justification instead.
    ws.set_duty_justification(
        Duty::C,
        "  Budget approved in the board meeting of 3 March.  ",
        NOW + 3,
    )
    .unwrap();
    ws.confirm_duty(Duty::C, true, NOW + 3).unwrap();
    let state = ws.read().unwrap();
    let a = state.commitment.get("a").unwrap();
    assert_eq!(a.evidence.len(), 2);
    let confirmation = a.confirmation.as_ref().unwrap();
    assert_eq!(confirmation.name, "Ada");
    assert_eq!(confirmation.by, ws.actor());
    assert_eq!(confirmation.at, NOW + 2);
    assert_eq!(
        state.commitment["c"].justification,
        "Budget approved in the board meeting of 3 March."
    );
    let progress = commitment_progress(&state);
    assert_eq!((progress.confirmed, progress.evidenced), (2, 1));
    assert_eq!(progress.percent(), 25.0);

    // The objective is deleted: duty a has nothing left to rest on and reopens.
    ws.delete_objective(&objective, NOW + 4).unwrap();
    let state = ws.read().unwrap();
    assert_eq!(duty_state(&state, Duty::A), DutyState::Reopened);
    assert_eq!(duty_state(&state, Duty::C), DutyState::Confirmed);
    assert_eq!(duty_state(&state, Duty::B), DutyState::Open);
    assert_eq!(commitment_progress(&state).confirmed, 1);

    ws.confirm_duty(Duty::C, false, NOW + 5).unwrap();
    assert_eq!(commitment_progress(&ws.read().unwrap()).confirmed, 0);
    assert_eq!(Duty::from_letter("h"), Some(Duty::H));
    assert_eq!(Duty::from_letter("i"), None);
}

/// Records that evidence things are archived, not destroyed: an archived
/// programme keeps its sessions but leaves the completion figures; an
/// archived person leaves the audiences; both come back on restore.
#[test]
fn archived_programmes_and_people_keep_their_records_and_leave_the_figures() {
    let mut ws = workspace();
    let people = add_people(&mut ws, &["Ann", "Ben"]);
    let (ann, ben) = (&people[0], &people[1]);
    let awareness = ws
        .add_programme(&programme("Awareness", Audience::Everyone, ""), NOW)
        .unwrap();
    ws.add_session(&awareness, &session("2026-01-10", &[ann]), NOW)
        .unwrap();
    let drill = ws
        .add_programme(&programme("Drill", Audience::Everyone, ""), NOW)
        .unwrap();
    ws.add_session(&drill, &session("2026-01-11", &[ann, ben]), NOW)
        .unwrap();
    assert_eq!(overall_completion(&ws.read().unwrap(), TODAY), Some(75.0));

    // Ben left: archived, he is no longer due anything.
    ws.archive_person(ben, NOW + 1).unwrap();
    let state = ws.read().unwrap();
    assert_eq!(state.people[ben].archived.as_ref().unwrap().by, "Ada");
    assert_eq!(overall_completion(&state, TODAY), Some(100.0));
    assert_eq!(person_completion(&state, ben, TODAY), None);

    // The awareness programme is archived: its sessions stay, it no longer counts.
    ws.archive_programme(&awareness, NOW + 2).unwrap();
    let state = ws.read().unwrap();
    let archived = &state.trainings[&awareness];
    assert!(archived.archived.is_some());
    assert_eq!(archived.sessions.len(), 1);
    assert_eq!(overall_completion(&state, TODAY), Some(100.0));
    assert_eq!(
        charter::workspace::overview::Overview::of(&state, TODAY).programmes,
        1
    );

    // Editing an archived record keeps it archived.
    ws.edit_programme(
        &awareness,
        &programme("Awareness 2026", Audience::Everyone, ""),
        NOW + 3,
    )
    .unwrap();
    ws.edit_person(
        ben,
        &PersonDraft {
            name: "Ben Okoro".into(),
            ..Default::default()
        },
        NOW + 3,
    )
    .unwrap();
    let state = ws.read().unwrap();
    assert!(state.trainings[&awareness].archived.is_some());
    assert!(state.people[ben].archived.is_some());

    ws.restore_programme(&awareness, NOW + 3).unwrap();
    ws.restore_person(ben, NOW + 4).unwrap();
    let state = ws.read().unwrap();
    assert!(state.trainings[&awareness].archived.is_none());
    assert!(state.people[ben].archived.is_none());
    assert_eq!(overall_completion(&state, TODAY), Some(75.0));
}
