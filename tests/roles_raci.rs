//! Native tests of people, roles, role holders and the RACI matrix warnings.
#![cfg(not(target_arch = "wasm32"))]

use automerge::AutoCommit;
use charter::workspace::roles::{
    PersonDraft, Raci, RaciWarning, RoleDraft, RoleKind, STANDARD_ACTIVITIES, looks_like_email,
    raci_activities, raci_warnings, role_holders,
};
use charter::workspace::{CommandError, Field, WorkspaceDoc};

const NOW: i64 = 1_780_000_000_000;

fn workspace() -> WorkspaceDoc {
    WorkspaceDoc::create("Acme Ltd", "All offices", "Ada", NOW).unwrap()
}

fn person(name: &str) -> PersonDraft {
    PersonDraft {
        name: name.into(),
        title: "Manager".into(),
        email: String::new(),
    }
}

fn role(kind: RoleKind) -> RoleDraft {
    RoleDraft {
        kind,
        responsibilities: "Owns the ISMS".into(),
        authorities: "Signs off budgets".into(),
        competence: String::new(),
    }
}

#[test]
fn people_need_a_name_and_a_plausible_email() {
    let mut ws = workspace();
    let bad = PersonDraft {
        name: " ".into(),
        title: String::new(),
        email: "carol at acme".into(),
    };
    let Err(CommandError::Invalid(errors)) = ws.add_person(&bad, NOW) else {
        panic!("expected validation errors")
    };
    assert_eq!(
        errors.message(Field::PersonName),
        Some("Enter the person's name.")
    );
    assert!(errors.message(Field::Email).is_some());
    assert!(ws.read().unwrap().people.is_empty());

    for good in ["carol@acme.example", "c.o+x@sub.acme.co.uk"] {
        assert!(looks_like_email(good), "{good}");
    }
    for bad in [
        "carol",
        "@acme.com",
        "carol@acme",
        "a@b@c.d",
        "carol @acme.com",
        "carol@.com",
    ] {
        assert!(!looks_like_email(bad), "{bad}");
    }

    let id = ws
        .add_person(
            &PersonDraft {
                name: " Carol ".into(),
                title: "CFO".into(),
                email: " carol@acme.example ".into(),
            },
            NOW + 1,
        )
        .unwrap();
    let carol = ws.person(&id).unwrap().unwrap();
    assert_eq!(carol.name, "Carol");
    assert_eq!(carol.email.as_deref(), Some("carol@acme.example"));
    ws.edit_person(&id, &person("Carol Smith"), NOW + 2)
        .unwrap();
    assert_eq!(ws.person(&id).unwrap().unwrap().name, "Carol Smith");
    assert_eq!(ws.person(&id).unwrap().unwrap().email, None);
}

#[test]
fn roles_and_holders() {
    let mut ws = workspace();
    let Err(CommandError::Invalid(errors)) = ws.add_role(&role(RoleKind::Custom("  ".into())), NOW)
    else {
        panic!("expected validation errors")
    };
    assert_eq!(
        errors.message(Field::RoleName),
        Some("Enter the role's name.")
    );

    let ciso = ws.add_role(&role(RoleKind::Ciso), NOW + 1).unwrap();
    let dpo = ws
        .add_role(
            &role(RoleKind::Custom(" Data protection officer ".into())),
            NOW + 2,
        )
        .unwrap();
    assert_eq!(
        ws.role(&dpo).unwrap().unwrap().kind.label(),
        "Data protection officer"
    );
    let carol = ws.add_person(&person("Carol"), NOW + 3).unwrap();
    let dan = ws.add_person(&person("Dan"), NOW + 4).unwrap();
    ws.set_role_holder(&ciso, &carol, true, NOW + 5).unwrap();
    ws.set_role_holder(&ciso, &dan, true, NOW + 6).unwrap();
    ws.set_role_holder(&ciso, &dan, false, NOW + 7).unwrap();
    let state = ws.read().unwrap();
    let holders: Vec<_> = role_holders(&state, &ciso)
        .into_iter()
        .map(|(_, p)| p.name.clone())
        .collect();
    assert_eq!(holders, vec!["Carol"]);
    assert!(matches!(
        ws.set_role_holder(&ciso, "nobody", true, NOW + 8),
        Err(CommandError::NotFound("person"))
    ));

    // Deleting a person takes away their roles.
    ws.delete_person(&carol, NOW + 9).unwrap();
    assert!(ws.role(&ciso).unwrap().unwrap().holders.is_empty());

    let mut edited = role(RoleKind::Ciso);
    edited.authorities = "Stops releases".into();
    ws.edit_role(&ciso, &edited, NOW + 10).unwrap();
    assert_eq!(
        ws.role(&ciso).unwrap().unwrap().authorities,
        "Stops releases"
    );
}

#[test]
fn concurrent_role_assignments_merge() {
    let mut ws = workspace();
    let ciso = ws.add_role(&role(RoleKind::Ciso), NOW).unwrap();
    let carol = ws.add_person(&person("Carol"), NOW + 1).unwrap();
    let dan = ws.add_person(&person("Dan"), NOW + 2).unwrap();
    let bytes = ws.automerge().save();
    let mut other = WorkspaceDoc::from_automerge(AutoCommit::load(&bytes).unwrap(), "Bob");
    ws.set_role_holder(&ciso, &carol, true, NOW + 3).unwrap();
    other.set_role_holder(&ciso, &dan, true, NOW + 4).unwrap();
    ws.automerge().merge(other.automerge()).unwrap();
    assert_eq!(ws.role(&ciso).unwrap().unwrap().holders.len(), 2);
}

#[test]
fn the_matrix_has_the_ten_standard_activities_and_custom_ones() {
    let mut ws = workspace();
    let state = ws.read().unwrap();
    let names: Vec<_> = raci_activities(&state)
        .into_iter()
        .map(|(_, a)| a.name)
        .collect();
    assert_eq!(names.len(), 10);
    // Clause 5.3's own two assignments come first.
    assert_eq!(
        names[0],
        "Ensuring the ISMS conforms to ISO/IEC 27001 (5.3 a)"
    );
    assert_eq!(
        names[1],
        "Reporting on the ISMS's performance to top management (5.3 b)"
    );
    assert_eq!(names[2], "Information security policy");
    assert_eq!(names[9], "Management review");
    // With no roles yet, every activity lacks an Accountable.
    assert_eq!(raci_warnings(&state).len(), 10);

    let custom = ws.add_activity(" Supplier security ", NOW + 1).unwrap();
    assert!(matches!(
        ws.add_activity("  ", NOW + 2),
        Err(CommandError::Invalid(_))
    ));
    let state = ws.read().unwrap();
    let rows = raci_activities(&state);
    assert_eq!(rows.len(), 11);
    assert_eq!(rows[10].0, custom);
    assert_eq!(rows[10].1.name, "Supplier security");
    for fixed in ["policy", "conformity", "performance-reporting"] {
        assert!(matches!(
            ws.delete_activity(fixed, NOW + 3),
            Err(CommandError::NotAllowed(_))
        ));
    }
    ws.delete_activity(&custom, NOW + 4).unwrap();
    assert_eq!(raci_activities(&ws.read().unwrap()).len(), 10);
}

/// A workspace written before the two rows of clause 5.3 existed has no
/// record of them: they still show, still warn, and can be assigned.
#[test]
fn workspaces_made_before_the_5_3_rows_get_them_too() {
    use automerge::transaction::Transactable;
    use automerge::{ObjType, ROOT, ReadDoc, Value};
    let mut ws = workspace();
    let ceo = ws.add_role(&role(RoleKind::TopManagement), NOW).unwrap();
    {
        let doc = ws.automerge();
        let raci = match doc.get(ROOT, "raci").unwrap() {
            Some((Value::Object(ObjType::Map), id)) => id,
            other => panic!("no raci map: {other:?}"),
        };
        doc.delete(&raci, "conformity").unwrap();
        doc.delete(&raci, "performance-reporting").unwrap();
        doc.commit();
    }
    let mut old =
        WorkspaceDoc::from_automerge(AutoCommit::load(&ws.automerge().save()).unwrap(), "Ada");
    let state = old.read().unwrap();
    assert!(!state.raci.contains_key("conformity"));
    let rows = raci_activities(&state);
    assert_eq!(rows[0].0, "conformity");
    assert_eq!(rows[1].0, "performance-reporting");
    let warnings = raci_warnings(&state);
    assert!(warnings.contains(&RaciWarning::NoAccountable("conformity".into())));
    assert!(warnings.contains(&RaciWarning::NoAccountable("performance-reporting".into())));

    old.set_raci("conformity", &ceo, Some(Raci::Accountable), NOW + 1)
        .unwrap();
    let state = old.read().unwrap();
    assert_eq!(
        state.raci["conformity"].assignments.get(&ceo),
        Some(&Raci::Accountable)
    );
    assert!(!raci_warnings(&state).contains(&RaciWarning::NoAccountable("conformity".into())));
    assert!(
        raci_warnings(&state).contains(&RaciWarning::NoAccountable("performance-reporting".into()))
    );
}

#[test]
fn raci_warns_about_no_or_several_accountable_roles() {
    let mut ws = workspace();
    let ceo = ws.add_role(&role(RoleKind::TopManagement), NOW).unwrap();
    let ciso = ws.add_role(&role(RoleKind::Ciso), NOW + 1).unwrap();
    for (i, (activity, _)) in STANDARD_ACTIVITIES.iter().enumerate() {
        ws.set_raci(activity, &ceo, Some(Raci::Accountable), NOW + 2 + i as i64)
            .unwrap();
    }
    assert!(raci_warnings(&ws.read().unwrap()).is_empty());

    // Two Accountables for the policy.
    ws.set_raci("policy", &ciso, Some(Raci::Accountable), NOW + 20)
        .unwrap();
    // No Accountable for the internal audit: only a Responsible.
    ws.set_raci("internal-audit", &ceo, None, NOW + 21).unwrap();
    ws.set_raci("internal-audit", &ciso, Some(Raci::Responsible), NOW + 22)
        .unwrap();
    let mut both = vec![ceo.clone(), ciso.clone()];
    both.sort();
    assert_eq!(
        raci_warnings(&ws.read().unwrap()),
        vec![
            RaciWarning::SeveralAccountable("policy".into(), both),
            RaciWarning::NoAccountable("internal-audit".into()),
        ]
    );

    // A deleted role's letter stops counting.
    ws.delete_role(&ciso, NOW + 23).unwrap();
    assert_eq!(
        raci_warnings(&ws.read().unwrap()),
        vec![RaciWarning::NoAccountable("internal-audit".into())]
    );
    assert!(matches!(
        ws.set_raci("no-such-activity", &ceo, Some(Raci::Informed), NOW + 24),
        Err(CommandError::NotFound("activity"))
    ));
    let messages: Vec<_> = ws
        .automerge()
        .get_changes(&[])
        .iter()
        .map(|c| c.message().unwrap().to_owned())
        .collect();
    assert!(messages.contains(&"Set CISO to R for “Internal audit”".to_owned()));
}

/// Guards against lazily created rows: two people giving the first letters of
/// a standard activity, or the first evidence of a duty, at the same time must
/// both keep theirs (the rows exist from the workspace's creation).
#[test]
fn first_raci_letters_and_duty_evidence_given_concurrently_both_survive() {
    use charter::workspace::commitment::Duty;
    let mut ada = WorkspaceDoc::create("Acme", "", "Ada", 1).unwrap();
    let role = |kind: RoleKind| RoleDraft {
        kind,
        responsibilities: String::new(),
        authorities: String::new(),
        competence: String::new(),
    };
    let ceo = ada.add_role(&role(RoleKind::TopManagement), 2).unwrap();
    let ciso = ada.add_role(&role(RoleKind::Ciso), 3).unwrap();
    let bytes = ada.automerge().save();
    let mut bob = WorkspaceDoc::from_automerge(AutoCommit::load(&bytes).unwrap(), "Bob");

    ada.set_raci("policy", &ceo, Some(Raci::Accountable), 4)
        .unwrap();
    bob.set_raci("policy", &ciso, Some(Raci::Responsible), 5)
        .unwrap();
    ada.set_duty_evidence(Duty::A, "objective-1", true, 6)
        .unwrap();
    bob.set_duty_evidence(Duty::A, "policy-1", true, 7).unwrap();
    ada.automerge().merge(bob.automerge()).unwrap();

    let state = ada.read().unwrap();
    let assignments = &state.raci["policy"].assignments;
    assert_eq!(assignments.get(&ceo), Some(&Raci::Accountable));
    assert_eq!(assignments.get(&ciso), Some(&Raci::Responsible));
    let evidence = &state.commitment["a"].evidence;
    assert!(evidence.contains_key("objective-1") && evidence.contains_key("policy-1"));
}

/// A person who leaves is archived: their roles end and the roles keep
/// since and until; an archived role no longer counts in the matrix.
#[test]
fn archiving_a_person_ends_their_roles_and_keeps_the_history() {
    let mut ws = workspace();
    let ceo = ws.add_role(&role(RoleKind::TopManagement), NOW).unwrap();
    let ciso = ws.add_role(&role(RoleKind::Ciso), NOW).unwrap();
    let grace = ws.add_person(&person("Grace"), NOW).unwrap();
    ws.set_role_holder(&ceo, &grace, true, NOW + 1).unwrap();
    ws.set_role_holder(&ciso, &grace, true, NOW + 2).unwrap();

    ws.archive_person(&grace, NOW + 10).unwrap();
    let state = ws.read().unwrap();
    assert!(state.people[&grace].archived.is_some(), "kept, marked");
    for (role, since) in [(&ceo, NOW + 1), (&ciso, NOW + 2)] {
        let r = &state.roles[role];
        assert!(r.holders.is_empty());
        let history = r.former_in_order();
        assert_eq!(history.len(), 1);
        assert_eq!(
            (
                history[0].person.as_str(),
                history[0].since,
                history[0].until
            ),
            (grace.as_str(), since, NOW + 10)
        );
        assert!(r.held_by_at(&grace, NOW + 5));
        assert!(!r.held_by_at(&grace, NOW + 10));
    }
    assert!(role_holders(&state, &ceo).is_empty());
    let last = ws
        .automerge()
        .get_last_local_change()
        .unwrap()
        .message()
        .map(str::to_owned);
    assert_eq!(
        last.as_deref(),
        Some("Archived person Grace (no longer holds: CISO, Top management)")
    );

    // Restored, she is back in the lists but holds nothing until given a role again.
    ws.restore_person(&grace, NOW + 11).unwrap();
    let state = ws.read().unwrap();
    assert!(state.people[&grace].archived.is_none());
    assert!(state.roles[&ceo].holders.is_empty());

    // An archived role's letters no longer count: the activity warns again.
    ws.set_raci("policy", &ciso, Some(Raci::Accountable), NOW + 12)
        .unwrap();
    assert!(
        !raci_warnings(&ws.read().unwrap()).contains(&RaciWarning::NoAccountable("policy".into()))
    );
    ws.archive_role(&ciso, NOW + 13).unwrap();
    assert!(
        raci_warnings(&ws.read().unwrap()).contains(&RaciWarning::NoAccountable("policy".into()))
    );
    ws.restore_role(&ciso, NOW + 14).unwrap();
    assert!(
        !raci_warnings(&ws.read().unwrap()).contains(&RaciWarning::NoAccountable("policy".into()))
    );
}
