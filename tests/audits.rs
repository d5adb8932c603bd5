//! Native tests of internal audits, nonconformities and improvement
//! (issue 14, points 1–3): the programme's three-year coverage warning, the
//! auditor's impartiality warning, findings against a clause or a control,
//! a nonconformity that refuses to close without an effective check of its
//! corrective action, the trend counts by quarter, and the improvement log.
#![cfg(not(target_arch = "wasm32"))]

use charter::workspace::audits::{
    AuditDraft, AuditProgramme, CLAUSES, FindingDraft, FindingKind, coverage, findings_between,
    impartiality,
};
use charter::workspace::history::{HistoryArea, HistoryWalk};
use charter::workspace::nonconformities::{
    EffectivenessCheck, ImprovementDraft, ImprovementStatus, NonconformityDraft, Source,
    improvement_from, logged_from_findings, nonconformity_from, overdue_corrective_actions,
    raised_from_findings, trend,
};
use charter::workspace::overview::Overview;
use charter::workspace::roles::{PersonDraft, Raci, RoleDraft, RoleKind};
use charter::workspace::soa::{Reason, SoaDraft};
use charter::workspace::{CommandError, Field, WorkspaceDoc};

const NOW: i64 = 1_780_000_000_000;

struct Org {
    doc: WorkspaceDoc,
    tomasz: String,
    jonas: String,
    ciso: String,
}

fn organisation() -> Org {
    let mut doc = WorkspaceDoc::create("Alder & Finch", "All offices", "Priya", NOW).unwrap();
    let person = |name: &str| PersonDraft {
        name: name.into(),
        title: String::new(),
        email: String::new(),
    };
    let tomasz = doc.add_person(&person("Tomasz Zieliński"), NOW).unwrap();
    let jonas = doc.add_person(&person("Jonas Weber"), NOW).unwrap();
    let ciso = doc
        .add_role(
            &RoleDraft {
                kind: RoleKind::Ciso,
                ..Default::default()
            },
            NOW,
        )
        .unwrap();
    doc.set_role_holder(&ciso, &jonas, true, NOW).unwrap();
    Org {
        doc,
        tomasz,
        jonas,
        ciso,
    }
}

fn audit(auditor: &str, start: &str, clauses: &[&str], controls: &str) -> AuditDraft {
    AuditDraft {
        title: format!("Internal audit {start}"),
        criteria: "ISO/IEC 27001:2022 and the ISMS's policies".into(),
        scope: "Hamburg office".into(),
        auditor: auditor.into(),
        start: start.into(),
        end: String::new(),
        clauses: clauses.iter().map(|c| (*c).to_owned()).collect(),
        controls: controls.into(),
    }
}

fn invalid(result: Result<impl std::fmt::Debug, CommandError>) -> Vec<(Field, String)> {
    match result {
        Err(CommandError::Invalid(errors)) => {
            errors.0.into_iter().map(|e| (e.field, e.message)).collect()
        }
        other => panic!("expected field errors, got {other:?}"),
    }
}

fn idea(text: &str, source: &str) -> ImprovementDraft {
    ImprovementDraft {
        text: text.into(),
        source: source.into(),
        suggested_by: String::new(),
    }
}

#[test]
fn an_audit_needs_criteria_an_auditor_real_days_and_what_it_covers() {
    let Org {
        mut doc, tomasz, ..
    } = organisation();
    let errors = invalid(doc.add_audit(
        &AuditDraft {
            start: "2026-02-30".into(),
            end: "2026-01-01".into(),
            controls: "5.15, 9.9".into(),
            ..Default::default()
        },
        NOW,
    ));
    let fields: Vec<Field> = errors.iter().map(|(f, _)| *f).collect();
    for field in [
        Field::AuditTitle,
        Field::AuditCriteria,
        Field::AuditAuditor,
        Field::AuditStart,
        Field::AuditControls,
    ] {
        assert!(fields.contains(&field), "{field:?} in {errors:?}");
    }
    assert!(errors.iter().any(
        |(_, m)| m == "9.9 is not a control of Annex A or of your Statement of Applicability."
    ));
    // The last day before the first, and nothing covered.
    let errors = invalid(doc.add_audit(
        &AuditDraft {
            end: "2026-03-01".into(),
            clauses: vec![],
            controls: String::new(),
            ..audit(&tomasz, "2026-03-02", &[], "")
        },
        NOW,
    ));
    assert!(errors.contains(&(
        Field::AuditEnd,
        "The last day cannot come before the first.".into()
    )));
    assert!(errors.contains(&(
        Field::AuditClauses,
        "Choose the clauses or the controls the audit covers.".into()
    )));
    assert!(doc.read().unwrap().audits.is_empty(), "nothing stored");

    let id = doc
        .add_audit(
            &audit(&tomasz, "2026-03-02", &["9", "4"], "8.13 5.15, 8.13"),
            NOW,
        )
        .unwrap();
    let stored = &doc.read().unwrap().audits[&id];
    assert_eq!(stored.clauses, ["4", "9"], "in the standard's order");
    assert_eq!(stored.controls, ["8.13", "5.15"], "without repeats");
    assert_eq!(
        stored.end, "2026-03-02",
        "one day when no last day is given"
    );
}

#[test]
fn a_nonconformity_names_its_clause_or_control_and_results_are_reported_after_the_audit() {
    let Org {
        mut doc, tomasz, ..
    } = organisation();
    let id = doc
        .add_audit(&audit(&tomasz, "2026-03-02", &["9"], ""), NOW)
        .unwrap();
    let errors = invalid(doc.add_finding(
        &id,
        &FindingDraft {
            kind: FindingKind::Major,
            text: "No management review in 18 months.".into(),
            ..Default::default()
        },
        NOW,
    ));
    assert_eq!(
        errors,
        [(
            Field::FindingClause,
            "Name the clause or the control this nonconformity is against.".into()
        )]
    );
    let errors = invalid(doc.add_finding(
        &id,
        &FindingDraft {
            kind: FindingKind::Minor,
            text: "x".into(),
            clause: "11.2".into(),
            control: "5.99".into(),
        },
        NOW,
    ));
    assert_eq!(errors.len(), 2, "{errors:?}");
    // An observation needs no requirement.
    doc.add_finding(
        &id,
        &FindingDraft {
            kind: FindingKind::Observation,
            text: "Minutes are kept in two places.".into(),
            ..Default::default()
        },
        NOW,
    )
    .unwrap();
    doc.add_finding(
        &id,
        &FindingDraft {
            kind: FindingKind::Major,
            text: "No management review in 18 months.".into(),
            clause: "9.3".into(),
            ..Default::default()
        },
        NOW,
    )
    .unwrap();
    let ws = doc.read().unwrap();
    assert_eq!(
        findings_between(&ws, "2026-01-01", "2026-06-30"),
        [1, 0, 1, 0]
    );
    assert_eq!(
        findings_between(&ws, "2026-03-02", "2026-06-30"),
        [0, 0, 0, 0],
        "since is exclusive"
    );

    let errors = invalid(doc.report_audit(&id, "2026-03-01", "", "2026-04-01", NOW));
    assert_eq!(errors.len(), 2);
    assert!(errors.contains(&(
        Field::AuditReportDate,
        "Results are reported after the audit's last day.".into()
    )));
    doc.report_audit(&id, "2026-03-10", "the management team", "2026-04-01", NOW)
        .unwrap();
    let reported = doc.read().unwrap().audits[&id].reported.clone().unwrap();
    assert_eq!(
        (
            reported.date.as_str(),
            reported.to.as_str(),
            reported.by.as_str()
        ),
        ("2026-03-10", "the management team", "Priya")
    );
}

#[test]
fn the_programme_warns_of_clauses_and_applicable_controls_left_unaudited_over_three_years() {
    let Org {
        mut doc, tomasz, ..
    } = organisation();
    let empty = coverage(&doc.read().unwrap(), "2026-06-01");
    assert_eq!(empty.clauses.len(), CLAUSES.len());
    assert!(empty.controls.is_empty(), "no control is applicable yet");
    for control in ["5.15", "8.13"] {
        let draft = SoaDraft {
            applicable: Some(true),
            reasons: vec![Reason::Business],
            ..SoaDraft::default()
        };
        doc.set_soa_entry(control, &draft, NOW).unwrap();
    }
    // An audit of clauses 4 to 7 three years and a day ago no longer counts.
    doc.add_audit(
        &audit(&tomasz, "2023-05-31", &["4", "5", "6", "7"], "5.15"),
        NOW,
    )
    .unwrap();
    doc.add_audit(&audit(&tomasz, "2025-11-10", &["8", "9", "10"], ""), NOW)
        .unwrap();
    let gaps = coverage(&doc.read().unwrap(), "2026-06-01");
    assert_eq!(gaps.clauses, ["4", "5", "6", "7"]);
    assert_eq!(gaps.controls, ["5.15", "8.13"]);
    assert_eq!(
        gaps.in_words(),
        "Over three years, clauses 4, 5, 6 and 7 and 2 applicable controls are not audited: \
         5.15, 8.13."
    );
    // A planned audit counts: the programme covers it in the cycle.
    doc.add_audit(
        &audit(&tomasz, "2026-09-15", &["4", "5", "6", "7"], "5.15 8.13"),
        NOW,
    )
    .unwrap();
    let gaps = coverage(&doc.read().unwrap(), "2026-06-01");
    assert!(gaps.is_complete(), "{gaps:?}");
    assert_eq!(
        gaps.in_words(),
        "Every clause and applicable control is covered within three years."
    );

    let programme = AuditProgramme {
        frequency: " ".into(),
        ..Default::default()
    };
    let errors = invalid(doc.set_audit_programme(&programme, NOW));
    assert_eq!(errors.len(), 2);
    let programme = AuditProgramme {
        frequency: "Clauses 4–10 every year; the applicable controls over three years.".into(),
        methods: "Interviews, samples of records, observation.".into(),
        responsibilities: "The internal auditor plans and audits; the CISO follows up.".into(),
        reporting: "A report to the management team within two weeks.".into(),
    };
    doc.set_audit_programme(&programme, NOW).unwrap();
    assert_eq!(doc.read().unwrap().meta.audit_programme, programme);
}

#[test]
fn an_auditor_accountable_for_what_they_audit_or_owning_a_control_is_warned() {
    let Org {
        mut doc,
        tomasz,
        jonas,
        ciso,
    } = organisation();
    doc.set_raci("risk-assessment", &ciso, Some(Raci::Accountable), NOW)
        .unwrap();
    let owned = SoaDraft {
        applicable: Some(true),
        reasons: vec![Reason::Business],
        owner: jonas.clone(),
        ..SoaDraft::default()
    };
    doc.set_soa_entry("8.13", &owned, NOW).unwrap();
    let by_jonas = doc
        .add_audit(&audit(&jonas, "2026-06-15", &["6"], "8.13"), NOW)
        .unwrap();
    let by_tomasz = doc
        .add_audit(&audit(&tomasz, "2026-06-15", &["6"], "8.13"), NOW)
        .unwrap();
    let of_support = doc
        .add_audit(&audit(&jonas, "2026-06-15", &["7"], ""), NOW)
        .unwrap();
    let ws = doc.read().unwrap();
    let warnings = impartiality(&ws, &ws.audits[&by_jonas]);
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[0].starts_with("Jonas Weber holds the role"),
        "{warnings:?}"
    );
    assert!(
        warnings[0].contains("accountable for “Risk assessment”"),
        "{warnings:?}"
    );
    assert!(warnings[1].contains("owns control 8.13"), "{warnings:?}");
    assert!(impartiality(&ws, &ws.audits[&by_tomasz]).is_empty());
    assert!(
        impartiality(&ws, &ws.audits[&of_support]).is_empty(),
        "not accountable for awareness"
    );
    // Someone who left the role before the audit is not accountable then.
    doc.set_role_holder(&ciso, &jonas, false, NOW).unwrap();
    let ws = doc.read().unwrap();
    let later = ws.audits[&by_jonas].clone();
    let warnings = impartiality(&ws, &later);
    assert_eq!(warnings.len(), 1, "still the owner of 8.13: {warnings:?}");
}

fn nonconformity(owner: &str, source: &str) -> NonconformityDraft {
    NonconformityDraft {
        title: "Management review overdue".into(),
        raised: "2026-03-03".into(),
        major: true,
        source: source.into(),
        what_happened: "No management review was held for 18 months (9.3).".into(),
        correction: "A review is planned for 20 March.".into(),
        consequences: "Top management did not see the audit results.".into(),
        root_cause: "Nobody owned the review schedule.".into(),
        similar: "The same could happen to the internal audit: it has no owner either.".into(),
        action: "The CISO owns both schedules; the overview warns 30 days ahead.".into(),
        owner: owner.into(),
        due: "2026-04-30".into(),
    }
}

#[test]
fn a_nonconformity_closes_only_after_an_effective_check_of_its_corrective_action() {
    let Org {
        mut doc,
        tomasz,
        jonas,
        ..
    } = organisation();
    let audit_id = doc
        .add_audit(&audit(&tomasz, "2026-03-02", &["9"], ""), NOW)
        .unwrap();
    let finding = doc
        .add_finding(
            &audit_id,
            &FindingDraft {
                kind: FindingKind::Major,
                text: "No management review in 18 months.".into(),
                clause: "9.3".into(),
                ..Default::default()
            },
            NOW,
        )
        .unwrap();
    // Every point of 10.2 a–c is required, nothing stored without them.
    let errors = invalid(doc.add_nonconformity(&NonconformityDraft::default(), "2026-03-05", NOW));
    let fields: Vec<Field> = errors.iter().map(|(f, _)| *f).collect();
    for field in [
        Field::NcTitle,
        Field::NcRaised,
        Field::NcWhatHappened,
        Field::NcCorrection,
        Field::NcRootCause,
        Field::NcSimilar,
        Field::NcAction,
        Field::NcOwner,
        Field::NcDue,
    ] {
        assert!(fields.contains(&field), "{field:?} in {errors:?}");
    }
    let errors = invalid(doc.add_nonconformity(
        &nonconformity(&jonas, "finding:nope/none"),
        "2026-03-05",
        NOW,
    ));
    assert_eq!(
        errors,
        [(
            Field::NcSource,
            "The audit finding it comes from no longer exists.".into()
        )]
    );
    assert!(doc.read().unwrap().nonconformities.is_empty());

    let source = format!("finding:{audit_id}/{finding}");
    let id = doc
        .add_nonconformity(&nonconformity(&jonas, &source), "2026-03-05", NOW)
        .unwrap();
    let ws = doc.read().unwrap();
    assert_eq!(
        raised_from_findings(&ws, &audit_id),
        [(finding.as_str(), &id)]
    );
    assert!(ws.nonconformities[&id].overdue("2026-05-01"));

    // No check: refused, with the reason.
    let Err(CommandError::NotAllowed(why)) =
        doc.close_nonconformity(&id, "2026-05-02", "2026-05-02", NOW)
    else {
        panic!("closed without a check");
    };
    assert!(why.contains("checked for effectiveness"), "{why}");
    // A check that found the action not effective: still refused.
    let check = |effective: bool, date: &str| EffectivenessCheck {
        date: date.into(),
        by: tomasz.clone(),
        effective,
        evidence: "The review of 20 March was held; the overview warned 30 days before.".into(),
    };
    let errors =
        invalid(doc.check_effectiveness(&id, &check(true, "2026-03-01"), "2026-05-02", NOW));
    assert_eq!(
        errors,
        [(
            Field::NcCheckDate,
            "The check comes after the nonconformity was raised.".into()
        )]
    );
    doc.check_effectiveness(&id, &check(false, "2026-05-01"), "2026-05-02", NOW)
        .unwrap();
    assert!(
        !doc.read().unwrap().nonconformities[&id].overdue("2026-05-02"),
        "checked: not overdue"
    );
    let Err(CommandError::NotAllowed(why)) =
        doc.close_nonconformity(&id, "2026-05-02", "2026-05-02", NOW)
    else {
        panic!("closed after an ineffective check");
    };
    assert!(why.contains("not effective"), "{why}");
    assert!(doc.read().unwrap().nonconformities[&id].is_open());
    // Effective: it closes, and says who closed it.
    doc.check_effectiveness(&id, &check(true, "2026-06-01"), "2026-06-02", NOW)
        .unwrap();
    let errors = invalid(doc.close_nonconformity(&id, "2026-07-01", "2026-06-02", NOW));
    assert_eq!(
        errors,
        [(Field::NcClosed, "The day cannot be in the future.".into())]
    );
    doc.close_nonconformity(&id, "2026-06-02", "2026-06-02", NOW)
        .unwrap();
    let closed = doc.read().unwrap().nonconformities[&id]
        .closed
        .clone()
        .unwrap();
    assert_eq!(
        (closed.date.as_str(), closed.by.as_str()),
        ("2026-06-02", "Priya")
    );
    let Err(CommandError::NotAllowed(_)) =
        doc.check_effectiveness(&id, &check(true, "2026-06-02"), "2026-06-02", NOW)
    else {
        panic!("a closed nonconformity was checked again");
    };
    // The history files every one of these changes under Audits and improvement.
    let mut walk = HistoryWalk::new(doc.automerge());
    let entries = walk.next_page(doc.automerge(), 100, 1_000, |_| true);
    let ours: Vec<_> = entries
        .iter()
        .filter(|e| {
            let m = e.message.to_lowercase();
            m.contains("audit") || m.contains("nonconformity") || m.contains("corrective")
        })
        .collect();
    assert_eq!(ours.len(), 6, "{entries:#?}");
    for entry in ours {
        assert_eq!(entry.area, HistoryArea::Audits, "{}", entry.message);
    }
}

#[test]
fn the_trend_counts_nonconformities_raised_closed_and_open_by_quarter() {
    let Org {
        mut doc,
        tomasz,
        jonas,
        ..
    } = organisation();
    let mut raise = |raised: &str| {
        let draft = NonconformityDraft {
            raised: raised.into(),
            ..nonconformity(&jonas, "")
        };
        doc.add_nonconformity(&draft, "2026-12-31", NOW).unwrap()
    };
    let a = raise("2026-01-15");
    let b = raise("2026-02-20");
    let _c = raise("2026-05-02");
    let d = raise("2026-08-31");
    let check = EffectivenessCheck {
        date: "2026-09-01".into(),
        by: tomasz.clone(),
        effective: true,
        evidence: "Checked.".into(),
    };
    for (id, closed) in [(&a, "2026-04-10"), (&b, "2026-09-30"), (&d, "2026-09-02")] {
        let check = EffectivenessCheck {
            date: closed.into(),
            ..check.clone()
        };
        doc.check_effectiveness(id, &check, "2026-12-31", NOW)
            .unwrap();
        doc.close_nonconformity(id, closed, "2026-12-31", NOW)
            .unwrap();
    }
    let ws = doc.read().unwrap();
    let rows: Vec<(String, usize, usize, usize)> = trend(&ws, 5, "2026-11-20")
        .into_iter()
        .map(|p| (p.label, p.raised, p.closed, p.open_at_end))
        .collect();
    assert_eq!(
        rows,
        [
            ("2025 Q4".to_owned(), 0, 0, 0),
            ("2026 Q1".to_owned(), 2, 0, 2),
            ("2026 Q2".to_owned(), 1, 1, 2),
            ("2026 Q3".to_owned(), 1, 2, 1),
            ("2026 Q4".to_owned(), 0, 0, 1),
        ]
    );
}

#[test]
fn the_improvement_log_takes_proposals_from_anyone_and_records_what_came_of_them() {
    let Org { mut doc, .. } = organisation();
    let errors = invalid(doc.add_improvement(&idea("  ", ""), NOW));
    assert_eq!(
        errors,
        [(
            Field::ImprovementText,
            "Say what could be better, and how.".into()
        )]
    );
    let id = doc
        .add_improvement(
            &idea(
                "A report button for phishing e-mails in the mail client.",
                "",
            ),
            NOW,
        )
        .unwrap();
    let errors = invalid(doc.set_improvement_status(&id, ImprovementStatus::Done, "", NOW));
    assert_eq!(
        errors,
        [(Field::ImprovementOutcome, "Say what came of it.".into())]
    );
    let errors = invalid(doc.set_improvement_status(&id, ImprovementStatus::Declined, "", NOW));
    assert_eq!(
        errors,
        [(
            Field::ImprovementOutcome,
            "Say why it is not taken up.".into()
        )]
    );
    doc.set_improvement_status(&id, ImprovementStatus::UnderWay, "", NOW)
        .unwrap();
    doc.set_improvement_status(
        &id,
        ImprovementStatus::Done,
        "A third of simulated phishing is now reported.",
        NOW,
    )
    .unwrap();
    let ws = doc.read().unwrap();
    let entry = &ws.improvements[&id];
    assert_eq!(entry.status, ImprovementStatus::Done);
    assert_eq!(entry.by, "Priya");
    assert!(!entry.status.is_open());
}

#[test]
fn audit_results_nonconformities_and_improvements_fill_review_inputs_d_and_g() {
    use charter::workspace::reviews::{ReviewDraft, summarise_inputs};
    let Org {
        mut doc,
        tomasz,
        jonas,
        ..
    } = organisation();
    let text = |summary: &charter::workspace::reviews::Summary| -> String {
        summary
            .lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let review = doc
        .plan_review(
            &ReviewDraft {
                date: "2026-07-01".into(),
                chair: jonas.clone(),
                attendees: vec![],
            },
            NOW,
        )
        .unwrap();
    let empty = summarise_inputs(&doc.read().unwrap(), &review, "2026-06-20");
    assert!(text(&empty["d"]).contains("Nonconformities and corrective actions: none recorded."));
    assert!(text(&empty["d"]).contains("Audit results: no internal audit recorded yet."));

    let audit_id = doc
        .add_audit(&audit(&tomasz, "2026-03-02", &["9"], ""), NOW)
        .unwrap();
    let finding = doc
        .add_finding(
            &audit_id,
            &FindingDraft {
                kind: FindingKind::Major,
                text: "No management review in 18 months.".into(),
                clause: "9.3".into(),
                ..Default::default()
            },
            NOW,
        )
        .unwrap();
    doc.report_audit(
        &audit_id,
        "2026-03-10",
        "the management team",
        "2026-06-20",
        NOW,
    )
    .unwrap();
    let source = format!("finding:{audit_id}/{finding}");
    doc.add_nonconformity(&nonconformity(&jonas, &source), "2026-06-20", NOW)
        .unwrap();
    doc.add_improvement(&idea("Report phishing with one button.", ""), NOW)
        .unwrap();
    let summaries = summarise_inputs(&doc.read().unwrap(), &review, "2026-06-20");
    let d = text(&summaries["d"]);
    assert!(
        d.contains("Nonconformities: 1 open (1 major, 1 with the corrective action overdue); in all 1 raised and 0 closed."),
        "{d}"
    );
    assert!(d.contains("Nonconformities by quarter: 2025 Q3 0 raised, 0 closed; 2025 Q4 0 raised, 0 closed; 2026 Q1 1 raised, 0 closed; 2026 Q2 0 raised, 0 closed."), "{d}");
    assert!(
        d.contains("Audit results: Internal audit 2026-03-02 (2026-03-02, Tomasz Zieliński): 1 major nonconformity, 0 minor nonconformity, 0 observation, 0 opportunity for improvement; reported to the management team on 2026-03-10."),
        "{d}"
    );
    assert!(d.contains("Audit programme: over three years, 6 clause(s) and 0 applicable control(s) not audited."), "{d}");
    let g = text(&summaries["g"]);
    assert!(
        g.contains("Improvement log: 1 open (1 proposed, 0 under way)."),
        "{g}"
    );
}

#[test]
fn the_coverage_warning_reads_as_a_sentence_for_one_clause_or_one_control() {
    use charter::workspace::audits::{Coverage, and_list};
    let one_clause = Coverage {
        clauses: vec!["9"],
        controls: vec![],
    };
    assert_eq!(
        one_clause.in_words(),
        "Over three years, clause 9 is not audited."
    );
    let one_control = Coverage {
        clauses: vec![],
        controls: vec!["8.13".to_owned()],
    };
    assert_eq!(
        one_control.in_words(),
        "Over three years, 1 applicable control is not audited: 8.13."
    );
    assert_eq!(and_list(&["4"]), "4");
    assert_eq!(and_list(&["4", "5"]), "4 and 5");
    assert_eq!(and_list(&[] as &[&str]), "");
}

/// A review with one decision about continual improvement: (review, decision).
fn review_with_decision(doc: &mut WorkspaceDoc, chair: &str) -> (String, String) {
    use charter::workspace::reviews::{DecisionDraft, DecisionKind, ReviewDraft};
    let review = doc
        .plan_review(
            &ReviewDraft {
                date: "2026-02-20".into(),
                chair: chair.into(),
                attendees: vec![],
            },
            NOW,
        )
        .unwrap();
    let decision = doc
        .add_decision(
            &review,
            &DecisionDraft {
                text: "Restore tests fail too often: find out why and fix it.\nReport at the next review."
                    .into(),
                kind: DecisionKind::Improvement,
                inputs: vec!["d".into()],
            },
            NOW,
        )
        .unwrap();
    (review, decision)
}

#[test]
fn a_nonconformity_links_an_incident_or_a_review_decision_and_changes_until_it_is_closed() {
    let Org {
        mut doc,
        tomasz,
        jonas,
        ..
    } = organisation();
    // An incident must be named; an old bare "incident" is refused alike.
    for source in ["incident:  ", "incident"] {
        let errors =
            invalid(doc.add_nonconformity(&nonconformity(&jonas, source), "2026-03-05", NOW));
        assert_eq!(
            errors,
            [(
                Field::NcIncident,
                "Name the incident: its reference in the incident log, or what and when.".into()
            )]
        );
    }
    let incident = doc
        .add_nonconformity(
            &nonconformity(
                &jonas,
                " incident: INC-0142, 12 March: manifest to the wrong customer ",
            ),
            "2026-03-05",
            NOW,
        )
        .unwrap();
    let ws = doc.read().unwrap();
    assert_eq!(
        ws.nonconformities[&incident].source,
        "incident:INC-0142, 12 March: manifest to the wrong customer"
    );
    assert_eq!(
        Source::parse(&ws.nonconformities[&incident].source),
        Source::Incident("INC-0142, 12 March: manifest to the wrong customer")
    );

    // A decision that does not exist is refused; one that does is linked.
    let (review, decision) = review_with_decision(&mut doc, &jonas);
    let missing = Source::Decision {
        review: &review,
        decision: "gone",
    }
    .field();
    let errors =
        invalid(doc.add_nonconformity(&nonconformity(&jonas, &missing), "2026-03-05", NOW));
    assert_eq!(
        errors,
        [(
            Field::NcSource,
            "The review decision it comes from no longer exists.".into()
        )]
    );
    let ws = doc.read().unwrap();
    let draft = NonconformityDraft::from_decision(&ws, &review, &decision, "2026-03-05").unwrap();
    assert_eq!(
        draft.title,
        "Restore tests fail too often: find out why and fix it."
    );
    assert_eq!(draft.raised, "2026-03-05");
    assert!(draft.what_happened.contains("Report at the next review."));
    let from_decision = doc
        .add_nonconformity(
            &NonconformityDraft {
                owner: jonas.clone(),
                ..nonconformity(&jonas, &draft.source)
            },
            "2026-03-05",
            NOW,
        )
        .unwrap();
    let ws = doc.read().unwrap();
    assert_eq!(nonconformity_from(&ws, &draft.source), Some(&from_decision));
    assert_eq!(
        NonconformityDraft::from_decision(&ws, &review, "gone", "2026-03-05"),
        None
    );
    assert_eq!(overdue_corrective_actions(&ws, "2026-05-01"), 2);
    assert_eq!(overdue_corrective_actions(&ws, "2026-04-30"), 0);
    // The overview asks for attention once they are late.
    let late = Overview::of(&ws, "2026-05-01");
    assert_eq!(late.corrective_overdue, 2);
    assert!(late.needs_attention());
    assert_eq!(Overview::of(&ws, "2026-04-30").corrective_overdue, 0);

    // Changing it: the check stays while the action stays…
    let check = EffectivenessCheck {
        date: "2026-05-01".into(),
        by: tomasz.clone(),
        effective: true,
        evidence: "Six restore tests in a row succeeded.".into(),
    };
    doc.check_effectiveness(&incident, &check, "2026-05-02", NOW)
        .unwrap();
    let mut edited = NonconformityDraft::of(&doc.nonconformity(&incident).unwrap().unwrap());
    edited.root_cause = "The customer's address book was not synchronised.".into();
    doc.update_nonconformity(&incident, &edited, "2026-05-02", NOW)
        .unwrap();
    let nc = doc.nonconformity(&incident).unwrap().unwrap();
    assert_eq!(
        nc.root_cause,
        "The customer's address book was not synchronised."
    );
    assert_eq!(nc.effectiveness.as_ref(), Some(&check));
    // …and goes once the action changes: a new action needs its own check.
    edited.action = "Addresses come from the CRM only.".into();
    doc.update_nonconformity(&incident, &edited, "2026-05-02", NOW)
        .unwrap();
    let nc = doc.nonconformity(&incident).unwrap().unwrap();
    assert_eq!(nc.effectiveness, None);
    let Err(CommandError::NotAllowed(_)) =
        doc.close_nonconformity(&incident, "2026-05-02", "2026-05-02", NOW)
    else {
        panic!("closed on the old action's check");
    };
    // Invalid changes are refused and store nothing.
    let errors = invalid(doc.update_nonconformity(
        &incident,
        &NonconformityDraft {
            action: String::new(),
            ..edited.clone()
        },
        "2026-05-02",
        NOW,
    ));
    assert_eq!(errors[0].0, Field::NcAction);
    assert_eq!(
        doc.nonconformity(&incident).unwrap().unwrap().action.text,
        "Addresses come from the CRM only."
    );
    // Closed on a chosen day, not before the check, not after today.
    doc.check_effectiveness(
        &incident,
        &EffectivenessCheck {
            date: "2026-05-10".into(),
            ..check
        },
        "2026-05-20",
        NOW,
    )
    .unwrap();
    let errors = invalid(doc.close_nonconformity(&incident, "2026-05-09", "2026-05-20", NOW));
    assert_eq!(
        errors,
        [(
            Field::NcClosed,
            "It closes on or after the day its corrective action was checked.".into()
        )]
    );
    doc.close_nonconformity(&incident, "2026-05-12", "2026-05-20", NOW)
        .unwrap();
    let nc = doc.nonconformity(&incident).unwrap().unwrap();
    assert_eq!(nc.closed.unwrap().date, "2026-05-12");
    // A closed one stays as it was closed.
    let Err(CommandError::NotAllowed(why)) =
        doc.update_nonconformity(&incident, &edited, "2026-05-20", NOW)
    else {
        panic!("a closed nonconformity was changed");
    };
    assert!(why.contains("closed"), "{why}");
}

#[test]
fn an_improvement_links_the_finding_review_or_decision_it_comes_from_and_can_be_changed() {
    let Org {
        mut doc,
        tomasz,
        jonas,
        ..
    } = organisation();
    let audit_id = doc
        .add_audit(&audit(&tomasz, "2026-03-02", &["8"], ""), NOW)
        .unwrap();
    let finding = doc
        .add_finding(
            &audit_id,
            &FindingDraft {
                kind: FindingKind::Opportunity,
                text: "Keep the restore test results next to the backup policy.".into(),
                ..Default::default()
            },
            NOW,
        )
        .unwrap();
    let (review, decision) = review_with_decision(&mut doc, &jonas);
    // Links to nothing that exists are refused, and so is an incident.
    for (source, message) in [
        (
            "finding:nope/none".to_owned(),
            "The audit finding it comes from no longer exists.",
        ),
        (
            "review:nope".to_owned(),
            "The management review it comes from no longer exists.",
        ),
        (
            format!("decision:{review}/nope"),
            "The review decision it comes from no longer exists.",
        ),
        (
            "incident:INC-1".to_owned(),
            "Choose a finding, a review or a decision, or nothing.",
        ),
    ] {
        let errors = invalid(doc.add_improvement(&idea("Better restore tests", &source), NOW));
        assert_eq!(
            errors,
            [(Field::ImprovementSource, message.into())],
            "{source}"
        );
    }
    let too_long = ImprovementDraft {
        suggested_by: "x".repeat(121),
        ..idea("Better restore tests", "")
    };
    assert_eq!(
        invalid(doc.add_improvement(&too_long, NOW))[0].0,
        Field::ImprovementSuggestedBy
    );
    assert!(doc.read().unwrap().improvements.is_empty());

    let from_finding = Source::Finding {
        audit: &audit_id,
        finding: &finding,
    }
    .field();
    let logged = doc
        .add_improvement(
            &idea(
                "Keep the restore test results next to the policy.",
                &from_finding,
            ),
            NOW,
        )
        .unwrap();
    let from_decision = Source::Decision {
        review: &review,
        decision: &decision,
    }
    .field();
    let decided = doc
        .add_improvement(
            &idea("Find out why restore tests fail.", &from_decision),
            NOW,
        )
        .unwrap();
    let anyone = doc
        .add_improvement(
            &ImprovementDraft {
                suggested_by: "  The warehouse team ".into(),
                ..idea("Badge readers at the loading bay.", "")
            },
            NOW,
        )
        .unwrap();
    let ws = doc.read().unwrap();
    assert_eq!(
        logged_from_findings(&ws, &audit_id),
        [(finding.as_str(), &logged)]
    );
    assert_eq!(improvement_from(&ws, &from_decision), Some(&decided));
    assert_eq!(ws.improvements[&anyone].suggested_by, "The warehouse team");
    assert_eq!(ws.improvements[&anyone].by, "Priya");

    // Changing one keeps its status and outcome.
    doc.set_improvement_status(&decided, ImprovementStatus::UnderWay, "", NOW)
        .unwrap();
    let changed = ImprovementDraft {
        text: "Find out why restore tests fail, and fix the retention.".into(),
        source: Source::Review(&review).field(),
        suggested_by: String::new(),
    };
    doc.update_improvement(&decided, &changed, NOW).unwrap();
    let entry = doc.read().unwrap().improvements[&decided].clone();
    assert_eq!(entry.text, changed.text);
    assert_eq!(entry.source, format!("review:{review}"));
    assert_eq!(entry.status, ImprovementStatus::UnderWay);
    let errors = invalid(doc.update_improvement(&decided, &idea(" ", ""), NOW));
    assert_eq!(errors[0].0, Field::ImprovementText);
    assert_eq!(
        doc.read().unwrap().improvements[&decided].text,
        changed.text
    );
}
