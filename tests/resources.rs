//! Native tests of resources (clause 7.1): budget lines, their approval,
//! totals and variance, people time, bad input and concurrent edits.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use automerge::AutoCommit;
use charter::workspace::resources::{
    AmountError, BudgetApproval, BudgetApprovalDraft, BudgetLine, BudgetLineDraft, BudgetTotal,
    FteDraft, budget_in_order, budget_totals, format_amount, format_fte, money_label, parse_amount,
    parse_fte, total_fte,
};
use charter::workspace::{CommandError, Field, ValidationErrors, WorkspaceDoc};

const NOW: i64 = 1_780_000_000_000;

fn workspace() -> WorkspaceDoc {
    WorkspaceDoc::create("Acme Ltd", "All offices", "Ada", NOW).unwrap()
}

/// Adds a budget line as someone else (another device), so that this
/// session may approve it: whoever asks for money cannot approve it.
fn requested_by_another(ws: &mut WorkspaceDoc, draft: &BudgetLineDraft, now: i64) -> String {
    let own = ws.automerge().get_actor().clone();
    ws.automerge()
        .set_actor(automerge::ActorId::from(&[0xB0, 0xB0][..]));
    let id = ws.add_budget_line(draft, now).unwrap();
    ws.automerge().set_actor(own);
    id
}

fn fork(ws: &mut WorkspaceDoc, author: &str) -> WorkspaceDoc {
    let bytes = ws.automerge().save();
    WorkspaceDoc::from_automerge(AutoCommit::load(&bytes).unwrap(), author)
}

fn line(
    category: &str,
    year: &str,
    currency: &str,
    requested: &str,
    spent: &str,
) -> BudgetLineDraft {
    BudgetLineDraft {
        category: category.into(),
        description: String::new(),
        year: year.into(),
        currency: currency.into(),
        requested: requested.into(),
        spent: spent.into(),
    }
}

fn approval(amount: &str, date: &str) -> BudgetApprovalDraft {
    BudgetApprovalDraft {
        amount: amount.into(),
        date: date.into(),
    }
}

fn invalid<T: std::fmt::Debug>(result: Result<T, CommandError>) -> ValidationErrors {
    match result {
        Err(CommandError::Invalid(errors)) => errors,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn messages(ws: &mut WorkspaceDoc) -> Vec<String> {
    ws.automerge()
        .get_changes(&[])
        .iter()
        .map(|c| c.message().unwrap().to_owned())
        .collect()
}

/// A budget line built directly, for the pure computations.
fn budget_line(
    year: i64,
    currency: &str,
    requested: i64,
    approved: Option<i64>,
    spent: i64,
) -> BudgetLine {
    BudgetLine {
        category: "Tools".into(),
        year,
        currency: currency.into(),
        requested,
        spent,
        approval: approved.map(|amount| BudgetApproval {
            amount,
            ..Default::default()
        }),
        ..Default::default()
    }
}

#[test]
fn amounts_are_read_as_people_type_them() {
    for (input, minor) in [
        ("12500", 1_250_000),
        ("12,500.50", 1_250_050),
        ("12500,50", 1_250_050),
        ("12500.5", 1_250_050),
        ("12500,5", 1_250_050),
        ("12.500,50", 1_250_050),
        ("12 500,50", 1_250_050),
        ("12'500.50", 1_250_050),
        ("12,500", 1_250_000),
        ("12.500", 1_250_000),
        ("1,234,567.89", 123_456_789),
        ("1.234.567", 123_456_700),
        ("0.05", 5),
        (".5", 50),
        ("+3", 300),
        ("  0 ", 0),
    ] {
        assert_eq!(parse_amount(input), Ok(Some(minor)), "{input}");
    }
    assert_eq!(parse_amount("   "), Ok(None));
    for (input, error) in [
        ("-5", AmountError::Negative),
        ("-12,500.50", AmountError::Negative),
        ("−5", AmountError::Negative),
        ("abc", AmountError::NotANumber),
        ("-abc", AmountError::NotANumber),
        ("12a", AmountError::NotANumber),
        ("5%", AmountError::NotANumber),
        ("1e5", AmountError::NotANumber),
        ("12.", AmountError::NotANumber),
        ("1,2,3", AmountError::NotANumber),
        ("12.34.56", AmountError::NotANumber),
        ("1.234,5.6", AmountError::NotANumber),
        ("1.2345", AmountError::TooManyDecimals),
        ("1.234,567", AmountError::TooManyDecimals),
        ("99999999999999", AmountError::TooLarge),
    ] {
        assert_eq!(parse_amount(input), Err(error), "{input}");
    }
}

#[test]
fn amounts_are_shown_with_grouping_and_two_decimals() {
    assert_eq!(format_amount(1_250_050), "12,500.50");
    assert_eq!(format_amount(5), "0.05");
    assert_eq!(format_amount(0), "0.00");
    assert_eq!(format_amount(100_000_000), "1,000,000.00");
    assert_eq!(format_amount(-100_000), "-1,000.00");
    assert_eq!(money_label(99_900, "EUR"), "EUR 999.00");
}

#[test]
fn line_variance_is_approved_minus_spent_and_requested_minus_approved() {
    let approved = budget_line(2026, "EUR", 1_000_000, Some(800_000), 300_050);
    assert_eq!(approved.approved(), 800_000);
    assert_eq!(approved.approved_minus_spent(), 499_950);
    assert_eq!(approved.requested_minus_approved(), 200_000);
    let overspent = budget_line(2026, "USD", 100_000, Some(100_000), 120_000);
    assert_eq!(overspent.approved_minus_spent(), -20_000);
    assert_eq!(overspent.requested_minus_approved(), 0);
    let pending = budget_line(2026, "EUR", 250_000, None, 0);
    assert_eq!(pending.approved(), 0);
    assert_eq!(pending.requested_minus_approved(), 250_000);
}

#[test]
fn totals_are_per_year_and_currency() {
    let budget: BTreeMap<String, BudgetLine> = [
        budget_line(2026, "EUR", 1_000_000, Some(800_000), 300_050),
        budget_line(2026, "EUR", 250_000, None, 0),
        budget_line(2026, "USD", 100_000, Some(100_000), 120_000),
        budget_line(2025, "EUR", 500_000, Some(500_000), 499_999),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, line)| (format!("b{i}"), line))
    .collect();
    let totals = budget_totals(&budget);
    assert_eq!(
        totals,
        vec![
            BudgetTotal {
                year: 2025,
                currency: "EUR".into(),
                lines: 1,
                requested: 500_000,
                approved: 500_000,
                spent: 499_999,
            },
            BudgetTotal {
                year: 2026,
                currency: "EUR".into(),
                lines: 2,
                requested: 1_250_000,
                approved: 800_000,
                spent: 300_050,
            },
            BudgetTotal {
                year: 2026,
                currency: "USD".into(),
                lines: 1,
                requested: 100_000,
                approved: 100_000,
                spent: 120_000,
            },
        ]
    );
    assert_eq!(totals[1].approved_minus_spent(), 499_950);
    assert_eq!(totals[1].requested_minus_approved(), 450_000);
    assert_eq!(totals[2].approved_minus_spent(), -20_000);
    assert_eq!(totals[0].approved_minus_spent(), 1);
    assert!(budget_totals(&BTreeMap::new()).is_empty());
    let order: Vec<&str> = budget_in_order(&budget)
        .iter()
        .map(|(id, _)| id.as_str())
        .collect();
    assert_eq!(order, vec!["b3", "b0", "b1", "b2"]);
}

#[test]
fn budget_lines_are_added_edited_approved_and_deleted() {
    let mut ws = workspace();
    let id = requested_by_another(
        &mut ws,
        &line(" Tools and licences ", "2026", "eur", "12,500.50", ""),
        NOW + 1,
    );
    let stored = ws.budget_line(&id).unwrap().unwrap();
    assert_eq!(stored.category, "Tools and licences");
    assert_eq!(stored.year, 2026);
    assert_eq!(stored.currency, "EUR");
    assert_eq!(stored.requested, 1_250_050);
    assert_eq!(stored.spent, 0);
    assert_eq!(stored.approval, None);

    ws.edit_budget_line(
        &id,
        &line("Tools and licences", "2026", "EUR", "12500.50", "1.000"),
        NOW + 2,
    )
    .unwrap();
    let heads = ws.automerge().get_heads();
    ws.edit_budget_line(
        &id,
        &line("Tools and licences", "2026", "EUR", "12500.50", "1000"),
        NOW + 3,
    )
    .unwrap();
    assert_eq!(
        ws.automerge().get_heads(),
        heads,
        "an unchanged edit commits nothing"
    );

    ws.approve_budget_line(&id, &approval("10000", "2026-02-01"), NOW + 4)
        .unwrap();
    let approved = ws.budget_line(&id).unwrap().unwrap();
    let recorded = approved.approval.clone().unwrap();
    assert_eq!(recorded.amount, 1_000_000);
    assert_eq!(recorded.date, "2026-02-01");
    assert_eq!(recorded.by_actor, ws.actor());
    assert_eq!(recorded.by_name, "Ada");
    assert_eq!(recorded.recorded_at, NOW + 4);
    assert_eq!(approved.approved_minus_spent(), 900_000);
    assert_eq!(approved.requested_minus_approved(), 250_050);
    let state = ws.read().unwrap();
    assert!(
        state.members.contains_key(&recorded.by_actor),
        "the approver is a member"
    );

    ws.withdraw_budget_approval(&id, NOW + 5).unwrap();
    assert_eq!(ws.budget_line(&id).unwrap().unwrap().approval, None);

    let deleted = ws.delete_budget_line(&id, NOW + 6).unwrap();
    assert!(ws.budget_line(&id).unwrap().is_none());
    assert!(matches!(
        ws.delete_budget_line(&id, NOW + 7),
        Err(CommandError::NotFound("budget line"))
    ));
    ws.restore_budget_line(&id, &deleted, NOW + 7).unwrap();
    assert_eq!(ws.budget_line(&id).unwrap().unwrap(), deleted);

    assert_eq!(
        messages(&mut ws)[1..],
        [
            "Added budget line “Tools and licences” 2026: requested EUR 12,500.50",
            "Changed budget line “Tools and licences” 2026: spent 0.00 → 1,000.00",
            "Approved EUR 10,000.00 of budget line “Tools and licences” 2026 on 2026-02-01",
            "Withdrew the approval of budget line “Tools and licences” 2026",
            "Deleted budget line “Tools and licences” 2026",
            "Restored budget line “Tools and licences” 2026",
        ]
    );
    let times: Vec<i64> = ws
        .automerge()
        .get_changes(&[])
        .iter()
        .map(|c| c.timestamp())
        .collect();
    assert_eq!(
        times,
        vec![NOW, NOW + 1, NOW + 2, NOW + 4, NOW + 5, NOW + 6, NOW + 7]
    );
}

#[test]
fn bad_budget_input_gives_field_messages_and_stores_nothing() {
    let mut ws = workspace();
    let heads = ws.automerge().get_heads();

    let errors = invalid(ws.add_budget_line(&line(" ", "", "", "", ""), NOW + 1));
    assert_eq!(
        errors.message(Field::BudgetCategory),
        Some("Enter a category, such as Tools and licences.")
    );
    assert_eq!(
        errors.message(Field::BudgetYear),
        Some("Enter a year such as 2026.")
    );
    assert_eq!(
        errors.message(Field::BudgetCurrency),
        Some("Enter a three-letter currency code such as EUR.")
    );
    assert_eq!(
        errors.message(Field::BudgetRequested),
        Some("Enter the amount requested.")
    );
    assert_eq!(
        errors.message(Field::BudgetSpent),
        None,
        "spent may be empty"
    );
    assert_eq!(errors.0.len(), 4);

    let errors = invalid(ws.add_budget_line(&line("Tools", "26", "E1R", "-500", "lots"), NOW + 1));
    assert_eq!(
        errors.message(Field::BudgetRequested),
        Some("Enter an amount of zero or more.")
    );
    assert_eq!(
        errors.message(Field::BudgetSpent),
        Some("Enter an amount such as 12500 or 12,500.50.")
    );
    assert_eq!(
        errors.message(Field::BudgetYear),
        Some("Enter a year such as 2026.")
    );
    assert!(errors.message(Field::BudgetCurrency).is_some());
    let errors =
        invalid(ws.add_budget_line(&line("Tools", "2026", "EUR", "1.005,001", "0"), NOW + 1));
    assert_eq!(
        errors.message(Field::BudgetRequested),
        Some("Use at most two decimal places.")
    );
    assert_eq!(ws.automerge().get_heads(), heads);
    assert!(ws.read().unwrap().budget.is_empty());

    let id = ws
        .add_budget_line(&line("Tools", "2026", "EUR", "100", ""), NOW + 2)
        .unwrap();
    let heads = ws.automerge().get_heads();
    invalid(ws.edit_budget_line(&id, &line("Tools", "2026", "EUR", "100", "-1"), NOW + 3));
    let errors = invalid(ws.approve_budget_line(&id, &approval("", "1/2/2026"), NOW + 3));
    assert_eq!(
        errors.message(Field::BudgetApproved),
        Some("Enter the amount approved.")
    );
    assert_eq!(
        errors.message(Field::BudgetApprovalDate),
        Some("Enter a real date as YYYY-MM-DD.")
    );
    let errors = invalid(ws.approve_budget_line(&id, &approval("-1", ""), NOW + 3));
    assert_eq!(
        errors.message(Field::BudgetApproved),
        Some("Enter an amount of zero or more.")
    );
    assert_eq!(
        errors.message(Field::BudgetApprovalDate),
        Some("Enter the day it was approved.")
    );
    assert_eq!(ws.automerge().get_heads(), heads);
    let stored = ws.budget_line(&id).unwrap().unwrap();
    assert_eq!((stored.spent, stored.approval), (0, None));
    assert!(matches!(
        ws.approve_budget_line("nope", &approval("1", "2026-01-01"), NOW + 4),
        Err(CommandError::NotFound("budget line"))
    ));
}

#[test]
fn people_time_is_parsed_in_hundredths_from_0_to_10() {
    for (input, hundredths) in [
        ("0.5", 50),
        ("1,25", 125),
        ("10", 1000),
        ("0", 0),
        (" 2 ", 200),
        (".75", 75),
    ] {
        assert_eq!(parse_fte(input), Ok(hundredths), "{input}");
    }
    for (input, message) in [
        ("", "Enter the people time in FTE, such as 0.5."),
        ("10.01", "Enter between 0 and 10 FTE."),
        ("11", "Enter between 0 and 10 FTE."),
        ("-1", "Enter between 0 and 10 FTE."),
        ("0.125", "Use at most two decimal places."),
        ("half", "Enter a number such as 0.5 or 1.25."),
        ("1.", "Enter a number such as 0.5 or 1.25."),
        ("1.2.3", "Enter a number such as 0.5 or 1.25."),
    ] {
        assert_eq!(parse_fte(input), Err(message), "{input}");
    }
    assert_eq!(format_fte(150), "1.5");
    assert_eq!(format_fte(125), "1.25");
    assert_eq!(format_fte(200), "2");
    assert_eq!(format_fte(5), "0.05");
    assert_eq!(format_fte(0), "0");
}

#[test]
fn people_time_is_set_per_role_and_totalled() {
    let mut ws = workspace();
    let fte = |value: &str| FteDraft {
        fte: value.into(),
        note: String::new(),
    };
    ws.set_fte("role-ciso", "CISO", &fte("1"), NOW + 1).unwrap();
    ws.set_fte("role-officer", "Security officer", &fte("0,5"), NOW + 2)
        .unwrap();
    ws.set_fte("role-ciso", "CISO", &fte("0.75"), NOW + 3)
        .unwrap();
    let heads = ws.automerge().get_heads();
    ws.set_fte("role-ciso", "CISO", &fte("0.75"), NOW + 4)
        .unwrap();
    assert_eq!(
        ws.automerge().get_heads(),
        heads,
        "an unchanged value commits nothing"
    );

    let errors = invalid(ws.set_fte("role-ciso", "CISO", &fte("12"), NOW + 4));
    assert_eq!(
        errors.message(Field::Fte),
        Some("Enter between 0 and 10 FTE.")
    );
    let errors = invalid(ws.set_fte(" ", "", &fte("1"), NOW + 4));
    assert_eq!(errors.message(Field::FteRole), Some("Choose a role."));
    assert_eq!(ws.automerge().get_heads(), heads);

    let state = ws.read().unwrap();
    assert_eq!(state.fte["role-ciso"].hundredths, 75);
    assert_eq!(state.fte["role-ciso"].updated_by, "Ada");
    assert_eq!(total_fte(&state.fte), 125);
    assert_eq!(format_fte(total_fte(&state.fte)), "1.25");

    let removed = ws
        .remove_fte("role-officer", "Security officer", NOW + 5)
        .unwrap();
    assert_eq!(removed.hundredths, 50);
    assert!(matches!(
        ws.remove_fte("role-officer", "Security officer", NOW + 6),
        Err(CommandError::NotFound(_))
    ));
    assert_eq!(
        messages(&mut ws)[1..],
        [
            "Set the people time of role “CISO” to 1 FTE",
            "Set the people time of role “Security officer” to 0.5 FTE",
            "Changed the people time of role “CISO”: 1 → 0.75 FTE",
            "Removed the people time of role “Security officer”",
        ]
    );
}

#[test]
fn concurrent_edits_of_different_fields_of_one_budget_line_merge() {
    let mut ada = workspace();
    let id = ada
        .add_budget_line(&line("Tools", "2026", "EUR", "10000", "0"), NOW + 1)
        .unwrap();
    let other = ada
        .add_budget_line(&line("Training", "2026", "EUR", "5000", "0"), NOW + 2)
        .unwrap();
    let mut bob = fork(&mut ada, "Bob");

    ada.edit_budget_line(&id, &line("Tools", "2026", "EUR", "12000", "0"), NOW + 3)
        .unwrap();
    bob.edit_budget_line(&id, &line("Tools", "2026", "EUR", "10000", "2500"), NOW + 4)
        .unwrap();
    bob.approve_budget_line(&id, &approval("9000", "2026-02-01"), NOW + 5)
        .unwrap();
    ada.edit_budget_line(
        &other,
        &line("Training and awareness", "2026", "EUR", "5000", "0"),
        NOW + 6,
    )
    .unwrap();
    let added = bob
        .add_budget_line(&line("Consulting", "2026", "EUR", "3000", ""), NOW + 7)
        .unwrap();

    ada.automerge().merge(bob.automerge()).unwrap();
    bob.automerge().merge(ada.automerge()).unwrap();
    let (left, right) = (ada.read().unwrap(), bob.read().unwrap());
    assert_eq!(left, right);
    let merged = &left.budget[&id];
    assert_eq!(merged.requested, 1_200_000, "Ada's request survives");
    assert_eq!(merged.spent, 250_000, "Bob's spending survives");
    assert_eq!(merged.approved(), 900_000, "Bob's approval survives");
    assert_eq!(merged.approval.as_ref().unwrap().by_name, "Bob");
    assert_eq!(left.budget[&other].category, "Training and awareness");
    assert_eq!(left.budget[&added].requested, 300_000);
    assert_eq!(
        budget_totals(&left.budget),
        vec![BudgetTotal {
            year: 2026,
            currency: "EUR".into(),
            lines: 3,
            requested: 2_000_000,
            approved: 900_000,
            spent: 250_000,
        }]
    );
}

#[test]
fn concurrent_people_time_for_different_roles_merges() {
    let mut ada = workspace();
    let mut bob = fork(&mut ada, "Bob");
    let fte = |value: &str| FteDraft {
        fte: value.into(),
        note: String::new(),
    };
    ada.set_fte("role-ciso", "CISO", &fte("1"), NOW + 1)
        .unwrap();
    bob.set_fte("role-auditor", "Internal auditor", &fte("0.2"), NOW + 2)
        .unwrap();
    ada.automerge().merge(bob.automerge()).unwrap();
    assert_eq!(total_fte(&ada.read().unwrap().fte), 120);
}

#[test]
fn an_approval_does_not_survive_a_new_year_or_currency_and_cannot_be_dated_ahead() {
    let mut ws = workspace();
    let id = requested_by_another(&mut ws, &line("Tools", "2026", "EUR", "12000", "0"), NOW);
    // A day of the decision in the future is refused, with the field named.
    let ahead = invalid(ws.approve_budget_line(&id, &approval("10000", "2099-01-01"), NOW));
    assert_eq!(
        ahead.message(Field::BudgetApprovalDate),
        Some("The day of the approval cannot be in the future.")
    );
    assert!(ws.budget_line(&id).unwrap().unwrap().approval.is_none());
    ws.approve_budget_line(&id, &approval("10000", "2026-05-01"), NOW)
        .unwrap();
    // Another description keeps the approval; another year or currency withdraws it.
    ws.edit_budget_line(
        &id,
        &line("Tools and licences", "2026", "EUR", "12000", "0"),
        NOW + 1,
    )
    .unwrap();
    assert!(ws.budget_line(&id).unwrap().unwrap().approval.is_some());
    ws.edit_budget_line(
        &id,
        &line("Tools and licences", "2027", "EUR", "12000", "0"),
        NOW + 2,
    )
    .unwrap();
    assert!(ws.budget_line(&id).unwrap().unwrap().approval.is_none());
    assert!(
        messages(&mut ws)
            .last()
            .unwrap()
            .contains("approval withdrawn, as the year or currency changed")
    );
    ws.approve_budget_line(&id, &approval("10000", "2026-05-01"), NOW + 3)
        .unwrap();
    ws.edit_budget_line(
        &id,
        &line("Tools and licences", "2027", "GBP", "12000", "0"),
        NOW + 4,
    )
    .unwrap();
    assert!(ws.budget_line(&id).unwrap().unwrap().approval.is_none());
}

/// Separation of duties: whoever asked for a budget line cannot approve it,
/// from the same device or from another device that speaks for the same
/// person; someone else can.
#[test]
fn whoever_requested_a_budget_line_cannot_approve_it() {
    use charter::workspace::roles::PersonDraft;
    use charter::workspace::signing::DeviceKey;
    let mut ada = workspace();
    ada.set_device_key(Some(DeviceKey::from_seed([1; 32])));
    ada.claim_founder(NOW).unwrap();
    let person = |name: &str| PersonDraft {
        name: name.into(),
        title: String::new(),
        email: String::new(),
    };
    let ada_person = ada.add_person(&person("Ada Lovelace"), NOW).unwrap();
    ada.put_forward_key(&ada_person, "Laptop", NOW).unwrap();
    let id = ada
        .add_budget_line(&line("Consulting", "2026", "EUR", "3000", ""), NOW + 1)
        .unwrap();
    let requester = ada.budget_line(&id).unwrap().unwrap().requested_by.unwrap();
    assert_eq!(requester.name, "Ada");
    assert_eq!(requester.person, ada_person);
    assert_eq!(requester.actor, ada.automerge().get_actor().to_hex_string());

    let refused = ada.approve_budget_line(&id, &approval("3000", "2026-02-01"), NOW + 2);
    assert!(
        matches!(&refused, Err(CommandError::NotAllowed(m)) if m == "You asked for this money, so another member of top management approves it."),
        "{refused:?}"
    );
    assert!(ada.budget_line(&id).unwrap().unwrap().approval.is_none());

    // Ada's phone: another device, the same person.
    let mut phone = fork(&mut ada, "Ada on her phone");
    phone.set_device_key(Some(DeviceKey::from_seed([2; 32])));
    phone
        .put_forward_key(&ada_person, "Phone", NOW + 3)
        .unwrap();
    assert!(
        phone
            .is_requester(&phone.budget_line(&id).unwrap().unwrap())
            .unwrap()
    );
    assert!(matches!(
        phone.approve_budget_line(&id, &approval("3000", "2026-02-01"), NOW + 4),
        Err(CommandError::NotAllowed(_))
    ));

    // Grace, on her own device, may.
    let mut grace = fork(&mut ada, "Grace Hopper");
    grace
        .approve_budget_line(&id, &approval("2500", "2026-02-01"), NOW + 5)
        .unwrap();
    let approved = grace.budget_line(&id).unwrap().unwrap().approval.unwrap();
    assert_eq!(
        (approved.amount, approved.by_name.as_str()),
        (250_000, "Grace Hopper")
    );
}
