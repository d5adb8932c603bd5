//! Native tests of the certification cycle's date rules (issue 14, point 4):
//! expiry with 29 February and month ends, the first surveillance counted
//! from the decision, one surveillance each calendar year except the
//! recertification year (and one held in the decision's own year), early,
//! restored and lapsed recertifications, stage 1 to stage 2, the body's
//! expiry winning over the expected one, the 90- and 30-day warnings and
//! the what-if of moving an audit.
#![cfg(not(target_arch = "wasm32"))]

use charter::workspace::certification::{
    Cycle, Renewal, Standing, Urgency, expected_expiry, first_surveillance_by, urgency, what_if,
};

fn cycle(decision: &str, surveillance: &[&str]) -> Cycle {
    Cycle {
        decision: decision.to_owned(),
        surveillance: surveillance.iter().map(|d| (*d).to_owned()).collect(),
        ..Cycle::default()
    }
}

/// The milestone called `what` and where it stands.
fn standing(cycle: &Cycle, today: &str, what: &str) -> Standing {
    cycle
        .milestones(today)
        .into_iter()
        .find(|m| m.what == what)
        .unwrap_or_else(|| panic!("no milestone “{what}” in {:#?}", cycle.milestones(today)))
        .standing
}

fn whats(cycle: &Cycle, today: &str) -> Vec<String> {
    cycle
        .milestones(today)
        .into_iter()
        .map(|m| m.what)
        .collect()
}

const FIRST: &str = "First surveillance audit, within 12 months of the certification decision";

#[test]
fn expiry_is_the_day_before_the_third_anniversary_with_29_february_and_month_ends() {
    assert_eq!(expected_expiry("2024-03-15").as_deref(), Some("2027-03-14"));
    // 29 February's anniversary in 2027 is 1 March: the cycle ends the day before.
    assert_eq!(expected_expiry("2024-02-29").as_deref(), Some("2027-02-28"));
    assert_eq!(expected_expiry("2023-03-01").as_deref(), Some("2026-02-28"));
    // Into a leap year: 1 March 2025 + 3 years is 1 March 2028, so 29 February.
    assert_eq!(expected_expiry("2025-03-01").as_deref(), Some("2028-02-29"));
    assert_eq!(expected_expiry("2024-01-01").as_deref(), Some("2026-12-31"));
    assert_eq!(expected_expiry("2024-01-31").as_deref(), Some("2027-01-30"));
    assert_eq!(expected_expiry("2024-12-31").as_deref(), Some("2027-12-30"));
    assert_eq!(expected_expiry("not a date"), None);

    // The first surveillance: 12 months from the decision, a shorter month
    // ending on its last day.
    assert_eq!(
        first_surveillance_by("2024-02-29").as_deref(),
        Some("2025-02-28")
    );
    assert_eq!(
        first_surveillance_by("2023-08-31").as_deref(),
        Some("2024-08-31")
    );
    assert_eq!(
        first_surveillance_by("2024-01-31").as_deref(),
        Some("2025-01-31")
    );
}

#[test]
fn the_certificates_stated_expiry_wins_and_a_different_one_is_flagged() {
    let mut c = cycle("2024-03-15", &[]);
    assert_eq!(c.expiry().as_deref(), Some("2027-03-14"));
    assert!(c.warnings().is_empty());
    c.expiry = "2027-03-31".to_owned();
    assert_eq!(c.expiry().as_deref(), Some("2027-03-31"));
    let warnings = c.warnings();
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0].contains("2027-03-31") && warnings[0].contains("2027-03-14"),
        "{warnings:?}"
    );
    // The recertification windows close at the stated expiry.
    let recert = c
        .milestones("2025-01-01")
        .into_iter()
        .find(|m| m.what == "Recertification decision before expiry")
        .unwrap();
    assert_eq!(recert.closes, "2027-03-31");
}

#[test]
fn the_first_surveillance_is_counted_from_the_decision_not_from_stage_2() {
    let mut c = cycle("2024-01-15", &["2025-01-10"]);
    c.stage2 = "2023-10-01".to_owned();
    // 12 months after stage 2 would have closed on 1 October 2024.
    assert_eq!(
        standing(&c, "2025-06-01", FIRST),
        Standing::Met("2025-01-10".to_owned())
    );
    // A day after the window closes is too late.
    c.surveillance = vec!["2025-01-16".to_owned()];
    assert_eq!(
        standing(&c, "2025-06-01", FIRST),
        Standing::Missed(Some("2025-01-16".to_owned()))
    );
    // Nothing held and the window closed.
    c.surveillance.clear();
    assert_eq!(standing(&c, "2025-01-16", FIRST), Standing::Missed(None));
    // Before it closes it is open; a future audit in the window is planned.
    assert_eq!(standing(&c, "2025-01-15", FIRST), Standing::Open);
    c.surveillance = vec!["2024-12-01".to_owned()];
    assert_eq!(
        standing(&c, "2024-06-01", FIRST),
        Standing::Planned("2024-12-01".to_owned())
    );
}

#[test]
fn a_surveillance_audit_each_calendar_year_except_the_recertification_year() {
    // Decided in January 2024, expiring in January 2027: 2025 and 2026
    // need a surveillance audit while the recertification is not planned.
    let mut c = cycle("2024-01-15", &["2024-11-20"]);
    let years: Vec<String> = whats(&c, "2024-02-01")
        .into_iter()
        .filter(|w| w.starts_with("Surveillance audit in"))
        .collect();
    assert_eq!(
        years,
        ["Surveillance audit in 2025", "Surveillance audit in 2026"]
    );
    // The recertification audit planned in November 2026: 2026 is the
    // recertification year and needs no surveillance audit.
    c.recert_audit = "2026-11-10".to_owned();
    let years: Vec<String> = whats(&c, "2024-02-01")
        .into_iter()
        .filter(|w| w.starts_with("Surveillance audit in"))
        .collect();
    assert_eq!(years, ["Surveillance audit in 2025"]);

    // One held in the decision's own year is the first surveillance audit,
    // but 2025 still needs its own.
    assert_eq!(
        standing(&c, "2025-06-01", FIRST),
        Standing::Met("2024-11-20".to_owned())
    );
    assert_eq!(
        standing(&c, "2025-06-01", "Surveillance audit in 2025"),
        Standing::Open
    );
    assert_eq!(
        c.next_milestone("2025-06-01").map(|m| m.what).as_deref(),
        Some("Surveillance audit in 2025")
    );
    assert_eq!(
        standing(&c, "2026-01-05", "Surveillance audit in 2025"),
        Standing::Missed(None)
    );
    c.surveillance.push("2025-09-30".to_owned());
    assert_eq!(
        standing(&c, "2026-01-05", "Surveillance audit in 2025"),
        Standing::Met("2025-09-30".to_owned())
    );
    assert!(c.milestones("2026-01-05").iter().all(|m| !m.is_missed()));
}

#[test]
fn an_early_recertification_keeps_the_old_expiry_plus_three_years() {
    let mut c = cycle("2024-01-15", &["2024-11-20", "2025-10-01"]);
    c.recert_audit = "2026-10-20".to_owned();
    c.recert_decision = "2026-12-01".to_owned();
    assert_eq!(
        c.renewal(),
        Some(Renewal::InTime {
            next_expiry: "2030-01-14".to_owned()
        })
    );
    assert_eq!(
        standing(&c, "2027-01-01", "Recertification decision before expiry"),
        Standing::Met("2026-12-01".to_owned())
    );
    assert!(c.warnings().is_empty());
}

#[test]
fn a_late_recertification_lapses_and_is_restored_within_six_months_or_not_after() {
    let mut c = cycle("2024-01-15", &["2024-11-20", "2025-10-01", "2026-06-01"]);
    c.recert_audit = "2027-02-10".to_owned();
    // Decided after expiry (14 January 2027), within 6 months: restored,
    // the gap shown, the old cycle's expiry kept.
    c.recert_decision = "2027-04-01".to_owned();
    assert_eq!(
        c.renewal(),
        Some(Renewal::Restored {
            lapsed: "2027-01-15".to_owned(),
            restored: "2027-04-01".to_owned(),
            gap_days: 76,
            next_expiry: "2030-01-14".to_owned(),
        })
    );
    assert_eq!(
        standing(&c, "2027-04-02", "Recertification decision before expiry"),
        Standing::Missed(Some("2027-04-01".to_owned()))
    );
    // The last day of the 6 months still restores it.
    c.recert_decision = "2027-07-14".to_owned();
    assert!(matches!(c.renewal(), Some(Renewal::Restored { .. })));
    // A day later it has lapsed for good: a new certification needs a stage 2.
    c.recert_decision = "2027-07-15".to_owned();
    assert_eq!(
        c.renewal(),
        Some(Renewal::Lapsed {
            lapsed: "2027-01-15".to_owned(),
            restore_by: "2027-07-14".to_owned(),
            gap_days: 181,
        })
    );
    // A decision before its audit is flagged.
    c.recert_decision = "2027-02-01".to_owned();
    assert!(
        c.warnings()
            .iter()
            .any(|w| w.contains("before the recertification audit"))
    );
}

#[test]
fn stage_2_within_six_months_of_stage_1_and_its_majors_verified_within_six_months() {
    let mut c = cycle("2023-11-01", &[]);
    c.stage1 = "2023-03-01".to_owned();
    c.stage2 = "2023-09-01".to_owned();
    let stage2 = "Stage 2 audit within 6 months of stage 1";
    assert_eq!(
        standing(&c, "2023-12-01", stage2),
        Standing::Met("2023-09-01".to_owned())
    );
    c.stage2 = "2023-09-02".to_owned();
    assert_eq!(
        standing(&c, "2023-12-01", stage2),
        Standing::Missed(Some("2023-09-02".to_owned()))
    );

    let majors = "Major nonconformities of stage 2 verified within 6 months";
    assert!(
        !whats(&c, "2023-12-01").iter().any(|w| w == majors),
        "no majors, no window"
    );
    c.stage2_majors = true;
    assert_eq!(standing(&c, "2023-12-01", majors), Standing::Open);
    c.majors_verified = "2024-03-02".to_owned();
    assert_eq!(
        standing(&c, "2024-04-01", majors),
        Standing::Met("2024-03-02".to_owned())
    );
    c.majors_verified = "2024-03-03".to_owned();
    assert_eq!(
        standing(&c, "2024-04-01", majors),
        Standing::Missed(Some("2024-03-03".to_owned()))
    );
    // A decision before stage 2 is flagged.
    c.decision = "2023-08-01".to_owned();
    assert!(
        c.warnings()
            .iter()
            .any(|w| w.contains("before the stage 2 audit"))
    );
}

#[test]
fn the_overview_warns_90_and_30_days_before_a_window_closes() {
    let c = cycle("2024-03-15", &[]);
    let next = |today: &str| c.next_milestone(today).unwrap();
    assert_eq!(next("2024-06-01").what, FIRST);
    assert_eq!(next("2024-06-01").closes, "2025-03-15");
    assert_eq!(urgency(&next("2024-12-14"), "2024-12-14"), None);
    assert_eq!(
        urgency(&next("2024-12-15"), "2024-12-15"),
        Some(Urgency::Soon)
    );
    assert_eq!(
        urgency(&next("2025-02-12"), "2025-02-12"),
        Some(Urgency::Soon)
    );
    assert_eq!(
        urgency(&next("2025-02-13"), "2025-02-13"),
        Some(Urgency::Urgent)
    );
    assert_eq!(
        urgency(&next("2025-03-15"), "2025-03-15"),
        Some(Urgency::Urgent)
    );
    // Once it closed unmet, the next open one is the calendar year's.
    assert_eq!(next("2025-03-16").what, "Surveillance audit in 2025");
}

#[test]
fn moving_an_audit_shows_which_windows_break() {
    let c = cycle("2024-01-15", &["2024-12-20", "2025-11-03", "2026-06-10"]);
    assert!(c.milestones("2024-02-01").iter().all(|m| !m.is_missed()));
    // Moved into February 2025: the first surveillance is late.
    let moved = Cycle {
        surveillance: vec![
            "2025-02-01".to_owned(),
            "2025-11-03".to_owned(),
            "2026-06-10".to_owned(),
        ],
        ..c.clone()
    };
    let broken: Vec<String> = what_if(&c, &moved, "2024-02-01")
        .into_iter()
        .map(|m| m.what)
        .collect();
    assert_eq!(broken, [FIRST]);
    // Moving the 2026 audit into 2027 leaves 2026 without one.
    let moved = Cycle {
        surveillance: vec![
            "2024-12-20".to_owned(),
            "2025-11-03".to_owned(),
            "2027-01-05".to_owned(),
        ],
        ..c.clone()
    };
    let broken: Vec<String> = what_if(&c, &moved, "2024-02-01")
        .into_iter()
        .map(|m| m.what)
        .collect();
    assert_eq!(broken, ["Surveillance audit in 2026"]);
    // Within its year: nothing breaks.
    let moved = Cycle {
        surveillance: vec![
            "2024-12-20".to_owned(),
            "2025-03-03".to_owned(),
            "2026-06-10".to_owned(),
        ],
        ..c.clone()
    };
    assert!(what_if(&c, &moved, "2024-02-01").is_empty());
}

// --- The certificate as recorded (issue 14, point 5) ---

mod recorded {
    use charter::workspace::certification::{CertificateDraft, current_certificate};
    use charter::workspace::history::HistoryArea;
    use charter::workspace::measurements::date_of;
    use charter::workspace::overview::Overview;
    use charter::workspace::validate::Field;
    use charter::workspace::{CommandError, WorkspaceDoc};

    const NOW: i64 = 1_780_000_000_000;

    fn draft() -> CertificateDraft {
        CertificateDraft {
            body: "Nordic Certification AB".into(),
            number: "ISMS-2026-0042".into(),
            scope: "Booking platform and the Hamburg and Rotterdam offices".into(),
            decision: "2026-03-10".into(),
            issued: "2026-03-12".into(),
            stage1: "2025-11-03".into(),
            stage2: "2026-02-05".into(),
            surveillance: vec!["2027-02-15".into(), " ".into()],
            ..Default::default()
        }
    }

    #[test]
    fn a_stored_certificate_gives_its_cycle_and_files_under_audits() {
        let mut doc = WorkspaceDoc::create("Alder & Finch", "All offices", "Claire", NOW).unwrap();
        let id = doc.add_certificate(&draft(), NOW).unwrap();
        let ws = doc.read().unwrap();
        let (current, certificate) = current_certificate(&ws).unwrap();
        assert_eq!(current, &id);
        let cycle = certificate.cycle();
        assert_eq!(cycle.decision, "2026-03-10");
        assert_eq!(cycle.stage2, "2026-02-05");
        // The empty line is dropped.
        assert_eq!(cycle.surveillance, vec!["2027-02-15".to_owned()]);
        assert_eq!(cycle.expiry().as_deref(), Some("2029-03-09"));
        let next = cycle.next_milestone("2026-06-01").unwrap();
        assert_eq!(next.what, "Surveillance audit in 2028");
        assert_eq!(
            HistoryArea::of_message(
                "Recorded the certificate ISMS-2026-0042 of Nordic Certification AB"
            ),
            HistoryArea::Audits
        );

        // An edit keeps when it was recorded and replaces the audits.
        let mut changed = certificate.draft();
        changed.surveillance = vec!["2027-02-15".into(), "2028-02-20".into()];
        changed.expiry = "2029-03-31".into();
        doc.edit_certificate(&id, &changed, NOW + 1000).unwrap();
        let ws = doc.read().unwrap();
        let (_, certificate) = current_certificate(&ws).unwrap();
        assert_eq!(certificate.created_at, NOW);
        let cycle = certificate.cycle();
        assert_eq!(cycle.expiry().as_deref(), Some("2029-03-31"));
        assert_eq!(cycle.warnings().len(), 1);
        assert_eq!(
            cycle.next_milestone("2026-06-01").unwrap().what,
            "Recertification audit before expiry"
        );
    }

    #[test]
    fn a_bad_certificate_is_refused_field_by_field_and_nothing_is_stored() {
        let mut doc = WorkspaceDoc::create("Alder & Finch", "All offices", "Claire", NOW).unwrap();
        let bad = CertificateDraft {
            body: " ".into(),
            decision: "2026-3-10".into(),
            issued: "2026-03-01".into(),
            soa_version: "no-such-version".into(),
            surveillance: vec!["next spring".into()],
            majors_verified: "2026-04-01".into(),
            ..draft()
        };
        let Err(CommandError::Invalid(errors)) = doc.add_certificate(&bad, NOW) else {
            panic!("a bad certificate was stored");
        };
        assert_eq!(
            errors.message(Field::CertBody),
            Some("Name the certification body.")
        );
        assert_eq!(
            errors.message(Field::CertDecision),
            Some("Enter the day as YYYY-MM-DD.")
        );
        assert_eq!(
            errors.message(Field::CertSoaVersion),
            Some("Choose an approved version of the Statement of Applicability.")
        );
        assert_eq!(
            errors.message(Field::CertSurveillance),
            Some("Enter each surveillance audit's day as YYYY-MM-DD.")
        );
        assert!(errors.message(Field::CertMajorsVerified).is_some());
        assert!(doc.read().unwrap().certificates.is_empty());

        let early = CertificateDraft {
            issued: "2026-03-01".into(),
            expiry: "2026-03-10".into(),
            stage2: "2025-10-01".into(),
            ..draft()
        };
        let Err(CommandError::Invalid(errors)) = doc.add_certificate(&early, NOW) else {
            panic!("dates out of order were stored");
        };
        assert_eq!(
            errors.message(Field::CertIssued),
            Some("A certificate is issued on or after the certification decision.")
        );
        assert_eq!(
            errors.message(Field::CertExpiry),
            Some("The expiry comes after the certification decision.")
        );
        assert_eq!(
            errors.message(Field::CertStage2),
            Some("Stage 2 comes after stage 1.")
        );
        assert!(doc.read().unwrap().certificates.is_empty());
    }

    #[test]
    fn the_overview_names_the_next_milestone_and_its_urgency() {
        use charter::workspace::certification::Urgency;
        let mut doc = WorkspaceDoc::create("Alder & Finch", "All offices", "Claire", NOW).unwrap();
        let ws = doc.read().unwrap();
        assert_eq!(Overview::of(&ws, &date_of(NOW)).certification, None);
        doc.add_certificate(
            &CertificateDraft {
                surveillance: Vec::new(),
                ..draft()
            },
            NOW,
        )
        .unwrap();
        let ws = doc.read().unwrap();
        // The first surveillance audit closes on 2027-03-10.
        let far = Overview::of(&ws, "2026-06-01").certification.unwrap();
        let next = far.next.unwrap();
        assert_eq!(
            next.what,
            "First surveillance audit, within 12 months of the certification decision"
        );
        assert_eq!(next.closes, "2027-03-10");
        assert_eq!(far.urgency, None);
        let soon = Overview::of(&ws, "2026-12-20").certification.unwrap();
        assert_eq!(soon.urgency, Some(Urgency::Soon));
        let urgent = Overview::of(&ws, "2027-02-20").certification.unwrap();
        assert_eq!(urgent.urgency, Some(Urgency::Urgent));
    }
}
