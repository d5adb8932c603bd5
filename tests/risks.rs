//! Native tests of risk assessment and treatment (issue 13): the criteria
//! and their approval by top management, levels and bands at the
//! acceptance threshold, the heat map, the register's validation, the risk
//! owner's signed acceptance within their authority, and the flag for
//! re-approval after each kind of change.
#![cfg(not(target_arch = "wasm32"))]

use automerge::{AutoCommit, ROOT};
use charter::workspace::risks::{
    Band, CriteriaDraft, Property, Rating, RiskDraft, TreatmentActionDraft, TreatmentOption, Which,
    acceptance_refusal, band, cell_of, criteria_digest, criteria_in_force, default_consequence,
    default_likelihood, heatmap, overdue_treatment_actions, reapproval_reasons,
    reassessment_overdue, risks_citing, top_risks, verify_acceptance, verify_criteria_approval,
};
use charter::workspace::roles::{PersonDraft, RoleDraft, RoleKind};
use charter::workspace::signing::{DeviceKey, Trust, Unverified, Verdict};
use charter::workspace::soa::{AddedControl, SoaEntry};
use charter::workspace::{CommandError, Field, ValidationErrors, Workspace, WorkspaceDoc};

const NOW: i64 = 1_780_000_000_000;

/// Claire (CEO, Top management) in her own browser, with the founding key
/// recorded for her; Martin (CFO, Top management) and Priya (CISO).
struct Setup {
    doc: WorkspaceDoc,
    claire: String,
    martin: String,
    priya: String,
    top: String,
    ciso: String,
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
    let martin = doc.add_person(&person("Martin Kessler"), NOW).unwrap();
    let priya = doc.add_person(&person("Priya Raman"), NOW).unwrap();
    let role = |kind: RoleKind| RoleDraft {
        kind,
        ..Default::default()
    };
    let top = doc.add_role(&role(RoleKind::TopManagement), NOW).unwrap();
    let ciso = doc.add_role(&role(RoleKind::Ciso), NOW).unwrap();
    doc.set_role_holder(&top, &claire, true, NOW).unwrap();
    doc.set_role_holder(&top, &martin, true, NOW).unwrap();
    doc.set_role_holder(&ciso, &priya, true, NOW).unwrap();
    doc.put_forward_key(&claire, "Claire's laptop", NOW)
        .unwrap();
    Setup {
        doc,
        claire,
        martin,
        priya,
        top,
        ciso,
    }
}

/// Another browser (key from `seed`) whose key is recorded for `person`
/// and, when `confirmed`, confirmed by Claire; both documents in step.
fn browser(s: &mut Setup, seed: u8, person: &str, confirmed: bool, now: i64) -> WorkspaceDoc {
    let bytes = s.doc.automerge().save();
    let mut other = WorkspaceDoc::from_automerge(AutoCommit::load(&bytes).unwrap(), "Other");
    let key = DeviceKey::from_seed([seed; 32]);
    let public = key.public_hex();
    other.set_device_key(Some(key));
    other.put_forward_key(person, "Laptop", now).unwrap();
    s.doc.automerge().merge(other.automerge()).unwrap();
    if confirmed {
        s.doc.confirm_key(&public, now + 1).unwrap();
        other.automerge().merge(s.doc.automerge()).unwrap();
    }
    other
}

fn draft(owner: &str, inherent: (u32, u32), residual: (u32, u32)) -> RiskDraft {
    RiskDraft {
        title: "Ransomware on the booking platform".into(),
        asset: "Booking platform".into(),
        threat: "Ransomware".into(),
        vulnerability: "Unpatched servers".into(),
        properties: vec![Property::Availability, Property::Confidentiality],
        owner: owner.into(),
        inherent_likelihood: inherent.0.to_string(),
        inherent_consequence: inherent.1.to_string(),
        residual_likelihood: residual.0.to_string(),
        residual_consequence: residual.1.to_string(),
        treatment: TreatmentOption::Modify,
        controls: vec!["8.7".into(), "8.13".into()],
        reassess_by: "2027-06-30".into(),
    }
}

fn criteria(threshold: u32, authority: &[(&str, u32)]) -> CriteriaDraft {
    CriteriaDraft {
        threshold: threshold.to_string(),
        authority: authority
            .iter()
            .map(|(role, up_to)| ((*role).to_owned(), up_to.to_string()))
            .collect(),
        ..CriteriaDraft::defaults()
    }
}

/// Drafts and approves (as Claire) a criteria version; returns its id.
fn in_force(s: &mut Setup, draft: &CriteriaDraft, now: i64) -> String {
    let id = s.doc.add_criteria_version(draft, now).unwrap();
    s.doc.approve_criteria(&id, now + 1).unwrap();
    id
}

fn trust(ws: &Workspace) -> Trust<'_> {
    Trust {
        founder: &ws.meta.founder,
        pinned: None,
        keys: &ws.keys,
        roles: &ws.roles,
    }
}

fn not_allowed<T: std::fmt::Debug>(result: Result<T, CommandError>) -> String {
    match result {
        Err(CommandError::NotAllowed(message)) => message,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn invalid<T: std::fmt::Debug>(result: Result<T, CommandError>) -> ValidationErrors {
    match result {
        Err(CommandError::Invalid(errors)) => errors,
        other => panic!("expected invalid input, got {other:?}"),
    }
}

#[test]
fn the_defaults_are_five_plain_words_each_and_a_level_is_their_product() {
    assert_eq!(
        default_likelihood(),
        ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"]
    );
    assert_eq!(
        default_consequence(),
        ["Negligible", "Minor", "Moderate", "Major", "Severe"]
    );
    let rating = Rating {
        likelihood: 4,
        consequence: 3,
    };
    assert_eq!(rating.level(), 12);
    assert_eq!(cell_of(rating), Some((3, 2)));
    assert_eq!(cell_of(Rating::default()), None);
}

#[test]
fn a_level_equal_to_the_threshold_is_acceptable_and_one_above_is_not() {
    for threshold in 1..=48 {
        assert_eq!(band(threshold, threshold), Band::Acceptable, "{threshold}");
        assert_eq!(band(threshold - 1, threshold), Band::Acceptable);
        assert_eq!(
            band(threshold + 1, threshold),
            Band::AboveThreshold,
            "{threshold}"
        );
    }
}

#[test]
fn the_heat_map_buckets_every_cell_and_the_threshold_splits_it_at_each_boundary() {
    let mut s = setup();
    // One risk in every cell of the default 5 × 5 matrix.
    let mut at = std::collections::BTreeMap::new();
    for l in 1..=5 {
        for c in 1..=5 {
            let id = s
                .doc
                .add_risk(&draft(&s.priya, (l, c), (l, c)), NOW + 1)
                .unwrap();
            at.insert(id, (l, c));
        }
    }
    let ws = s.doc.read().unwrap();
    for which in [Which::Inherent, Which::Residual] {
        let grid = heatmap(&ws, which);
        assert_eq!((grid.len(), grid[0].len()), (5, 5));
        for (id, (l, c)) in &at {
            assert_eq!(
                grid[*l as usize - 1][*c as usize - 1],
                std::slice::from_ref(id)
            );
        }
    }
    // Under the defaults (threshold 6) and under approved criteria at
    // several thresholds, the risks at the threshold are acceptable and
    // those above are the top risks; only a holder of authority may accept
    // the ones above.
    let mut now = NOW + 10;
    for threshold in [6, 3, 4, 8, 9, 12, 15, 20, 24] {
        if threshold != 6 {
            in_force(&mut s, &criteria(threshold, &[]), now);
            now += 10;
        }
        let ws = s.doc.read().unwrap();
        let top: Vec<&String> = top_risks(&ws, "2026-01-01")
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        let expected: Vec<&String> = at
            .iter()
            .filter(|(_, (l, c))| l * c > threshold)
            .map(|(id, _)| id)
            .collect();
        assert_eq!(top.len(), expected.len(), "threshold {threshold}");
        assert!(expected.iter().all(|id| top.contains(id)));
        // Highest first.
        let levels: Vec<u32> = top
            .iter()
            .map(|id| ws.risks[*id].residual.level())
            .collect();
        assert!(levels.windows(2).all(|w| w[0] >= w[1]), "{levels:?}");
        for level in [threshold, threshold + 1] {
            let refusal = acceptance_refusal(&ws, &s.priya, level, now);
            assert_eq!(
                refusal.is_none(),
                level == threshold,
                "{threshold}: {level}"
            );
        }
    }
}

#[test]
fn the_heat_map_takes_the_size_of_the_scales_in_force() {
    let mut s = setup();
    let big = s
        .doc
        .add_risk(&draft(&s.priya, (5, 5), (5, 4)), NOW)
        .unwrap();
    let small = s
        .doc
        .add_risk(&draft(&s.priya, (2, 6 - 1), (1, 1)), NOW)
        .unwrap();
    let shape = CriteriaDraft {
        likelihood: vec![
            "Low".into(),
            "Medium".into(),
            "High".into(),
            "Very high".into(),
        ],
        consequence: (1..=6).map(|n| format!("C{n}")).collect(),
        ..criteria(8, &[])
    };
    in_force(&mut s, &shape, NOW + 1);
    let ws = s.doc.read().unwrap();
    let grid = heatmap(&ws, Which::Inherent);
    assert_eq!((grid.len(), grid[0].len()), (4, 6));
    // The risk rated 5 on the old likelihood scale is off the new one.
    assert!(grid.iter().flatten().flatten().all(|id| *id != big));
    assert_eq!(grid[1][4], std::slice::from_ref(&small));
    assert_eq!(heatmap(&ws, Which::Residual)[0][0], [small]);
}

#[test]
fn a_likelihood_of_0_or_6_is_refused_with_its_message_and_nothing_is_stored() {
    let mut s = setup();
    for bad in ["0", "6", "", "2.5", "-1", "three"] {
        let mut d = draft(&s.priya, (3, 3), (2, 2));
        d.inherent_likelihood = bad.into();
        d.residual_consequence = bad.into();
        let errors = invalid(s.doc.add_risk(&d, NOW));
        assert_eq!(
            errors.message(Field::RiskInherentLikelihood),
            Some("Choose a likelihood from 1 to 5."),
            "{bad:?}"
        );
        assert_eq!(
            errors.message(Field::RiskResidualConsequence),
            Some("Choose a consequence from 1 to 5."),
            "{bad:?}"
        );
    }
    assert!(s.doc.read().unwrap().risks.is_empty());
    // An edit to 6 is refused too, and leaves the risk as it was.
    let id = s
        .doc
        .add_risk(&draft(&s.priya, (3, 3), (2, 2)), NOW)
        .unwrap();
    let mut d = draft(&s.priya, (6, 3), (2, 2));
    let errors = invalid(s.doc.edit_risk(&id, &d, NOW + 1));
    assert_eq!(
        errors.message(Field::RiskInherentLikelihood),
        Some("Choose a likelihood from 1 to 5.")
    );
    assert_eq!(s.doc.read().unwrap().risks[&id].inherent.likelihood, 3);
    // On a seven-level scale, 6 and 7 are fine and 8 is refused.
    let seven = CriteriaDraft {
        likelihood: (1..=7).map(|n| format!("L{n}")).collect(),
        ..criteria(10, &[])
    };
    in_force(&mut s, &seven, NOW + 2);
    d.inherent_likelihood = "7".into();
    s.doc.edit_risk(&id, &d, NOW + 3).unwrap();
    d.inherent_likelihood = "8".into();
    let errors = invalid(s.doc.edit_risk(&id, &d, NOW + 4));
    assert_eq!(
        errors.message(Field::RiskInherentLikelihood),
        Some("Choose a likelihood from 1 to 7.")
    );
}

#[test]
fn a_risk_needs_a_title_an_owner_a_property_known_controls_and_no_worse_residual() {
    let mut s = setup();
    let d = RiskDraft {
        title: "  ".into(),
        owner: "nobody".into(),
        properties: Vec::new(),
        controls: vec!["5.15".into(), "9.99".into(), "X-1".into()],
        reassess_by: "2027-02-30".into(),
        ..draft(&s.priya, (2, 2), (3, 3))
    };
    let errors = invalid(s.doc.add_risk(&d, NOW));
    assert_eq!(
        errors.message(Field::RiskTitle),
        Some("Enter a title for the risk.")
    );
    assert_eq!(
        errors.message(Field::RiskOwner),
        Some("Choose the risk owner from People.")
    );
    assert_eq!(
        errors.message(Field::RiskProperties),
        Some("Choose at least one of confidentiality, integrity and availability.")
    );
    assert_eq!(
        errors.message(Field::RiskControls),
        Some("Choose controls from Annex A or the added controls; not found: 9.99, X-1.")
    );
    assert_eq!(
        errors.message(Field::RiskResidual),
        Some(
            "The residual level (9) cannot be above the inherent level (4): treatment does \
             not make a risk worse."
        )
    );
    assert_eq!(
        errors.message(Field::RiskReassessBy),
        Some("Enter the reassessment date as YYYY-MM-DD.")
    );
    assert!(s.doc.read().unwrap().risks.is_empty());
    // A control added to the Statement of Applicability may be chosen.
    {
        let doc = s.doc.automerge();
        let soa = match automerge::ReadDoc::get(doc, ROOT, "soa").unwrap() {
            Some((_, soa)) => soa,
            None => panic!("no soa area"),
        };
        let entry = SoaEntry {
            added: Some(AddedControl {
                title: "Tabletop exercises".into(),
                theme: "organizational".into(),
            }),
            ..Default::default()
        };
        autosurgeon::reconcile_prop(doc, &soa, "X-1", &entry).unwrap();
        doc.commit();
    }
    let d = RiskDraft {
        controls: vec![" 5.15 ".into(), "X-1".into(), "5.15".into()],
        properties: vec![
            Property::Integrity,
            Property::Confidentiality,
            Property::Integrity,
        ],
        ..draft(&s.priya, (3, 3), (3, 3))
    };
    let id = s.doc.add_risk(&d, NOW + 1).unwrap();
    let ws = s.doc.read().unwrap();
    let risk = &ws.risks[&id];
    assert_eq!(risk.controls, ["5.15", "X-1"]);
    assert_eq!(
        risk.properties,
        [Property::Confidentiality, Property::Integrity]
    );
    assert_eq!(risk.criteria, "", "assessed under the defaults");
    // An archived person cannot own a risk.
    s.doc.archive_person(&s.martin, NOW + 2).unwrap();
    let errors = invalid(s.doc.add_risk(&draft(&s.martin, (2, 2), (1, 1)), NOW + 3));
    assert_eq!(
        errors.message(Field::RiskOwner),
        Some("Choose the risk owner from People.")
    );
}

#[test]
fn criteria_versions_are_validated_numbered_and_frozen_once_approved() {
    let mut s = setup();
    let bad = CriteriaDraft {
        likelihood: vec!["Low".into(), "High".into()],
        consequence: vec!["A".into(), " ".into(), "C".into()],
        threshold: "0".into(),
        authority: vec![("no-such-role".into(), "5".into())],
    };
    let errors = invalid(s.doc.add_criteria_version(&bad, NOW));
    assert_eq!(
        errors.message(Field::CriteriaLikelihood),
        Some("Give the likelihood scale from 3 to 7 levels.")
    );
    assert_eq!(
        errors.message(Field::CriteriaConsequence),
        Some("Name every level of the consequence scale.")
    );
    assert_eq!(
        errors.message(Field::CriteriaThreshold),
        Some("Enter the acceptance threshold as a whole number.")
    );
    assert_eq!(
        errors.message(Field::CriteriaAuthority),
        Some("Choose each role that may accept risks from Roles.")
    );
    let eight = CriteriaDraft {
        consequence: (1..=8).map(|n| format!("C{n}")).collect(),
        ..criteria(6, &[])
    };
    assert_eq!(
        invalid(s.doc.add_criteria_version(&eight, NOW)).message(Field::CriteriaConsequence),
        Some("Give the consequence scale from 3 to 7 levels.")
    );
    for threshold in ["0", "26", "x", "2.5"] {
        let d = CriteriaDraft {
            threshold: threshold.into(),
            ..criteria(6, &[])
        };
        assert_eq!(
            invalid(s.doc.add_criteria_version(&d, NOW)).message(Field::CriteriaThreshold),
            Some("Enter the acceptance threshold as a whole number from 1 to 25."),
            "{threshold}"
        );
    }
    let top = s.top.clone();
    assert_eq!(
        invalid(s.doc.add_criteria_version(&criteria(6, &[(&top, 26)]), NOW))
            .message(Field::CriteriaAuthority),
        Some("Enter the highest level each role may accept as a whole number from 1 to 25.")
    );
    assert!(s.doc.read().unwrap().criteria.is_empty());
    // Versions are numbered; a draft can be changed until it is approved.
    let first = s.doc.add_criteria_version(&criteria(6, &[]), NOW).unwrap();
    let second = s
        .doc
        .add_criteria_version(&criteria(8, &[]), NOW + 1)
        .unwrap();
    let ws = s.doc.read().unwrap();
    assert_eq!(
        (ws.criteria[&first].number, ws.criteria[&second].number),
        (1, 2)
    );
    assert!(criteria_in_force(&ws).is_none(), "nothing approved yet");
    s.doc
        .edit_criteria_version(&first, &criteria(5, &[(&top, 25)]), NOW + 2)
        .unwrap();
    s.doc.approve_criteria(&first, NOW + 3).unwrap();
    let ws = s.doc.read().unwrap();
    let (id, version) = criteria_in_force(&ws).unwrap();
    assert_eq!((id, version.threshold), (&first, 5));
    let message = not_allowed(
        s.doc
            .edit_criteria_version(&first, &criteria(9, &[]), NOW + 4),
    );
    assert_eq!(
        message,
        "Version 1 of the risk criteria is approved and stays as it was: make a new version \
         to change the criteria."
    );
    assert_eq!(
        not_allowed(s.doc.approve_criteria(&first, NOW + 4)),
        "Version 1 of the risk criteria is already approved."
    );
    // The newest approved version is the one in force.
    s.doc.approve_criteria(&second, NOW + 5).unwrap();
    let third = s
        .doc
        .add_criteria_version(&criteria(12, &[]), NOW + 6)
        .unwrap();
    let ws = s.doc.read().unwrap();
    assert_eq!(criteria_in_force(&ws).unwrap().0, &second);
    assert_eq!(ws.criteria[&third].number, 3);
    // A draft can be discarded; an approved version cannot.
    s.doc.delete_criteria_version(&third, NOW + 7).unwrap();
    assert_eq!(
        not_allowed(s.doc.delete_criteria_version(&second, NOW + 8)),
        "Version 2 of the risk criteria is approved and stays on record."
    );
    let ws = s.doc.read().unwrap();
    assert_eq!(ws.criteria.len(), 2);
}

#[test]
fn approving_the_criteria_takes_a_member_of_top_management_and_the_signature_verifies() {
    let mut s = setup();
    let id = s.doc.add_criteria_version(&criteria(6, &[]), NOW).unwrap();
    // Priya's browser, her key confirmed: she is not in top management.
    let priya_id = s.priya.clone();
    let mut priya = browser(&mut s, 9, &priya_id, true, NOW + 1);
    assert_eq!(
        not_allowed(priya.approve_criteria(&id, NOW + 3)),
        "Only a member of top management can approve the risk criteria; Priya Raman does not \
         hold the Top management role."
    );
    // A browser whose key is recorded for nobody.
    let bytes = s.doc.automerge().save();
    let mut stranger = WorkspaceDoc::from_automerge(AutoCommit::load(&bytes).unwrap(), "Stranger");
    stranger.set_device_key(Some(DeviceKey::from_seed([11; 32])));
    assert_eq!(
        not_allowed(stranger.approve_criteria(&id, NOW + 3)),
        "Only a member of top management can approve the risk criteria. Record this \
         browser's key for yourself on the Participants page first."
    );
    assert!(s.doc.read().unwrap().criteria[&id].approval.is_none());
    // Claire may, and her signature checks out.
    s.doc.approve_criteria(&id, NOW + 4).unwrap();
    let ws = s.doc.read().unwrap();
    let version = &ws.criteria[&id];
    assert_eq!(version.approval.as_ref().unwrap().person, s.claire);
    match verify_criteria_approval(&trust(&ws), &id, version) {
        Verdict::Verified { person, role, .. } => {
            assert_eq!((person, role), (s.claire.clone(), s.top.clone()));
        }
        other => panic!("{other:?}"),
    }
    // Changed afterwards (an edit merged from elsewhere): no longer verified.
    let mut altered = version.clone();
    altered.threshold = 20;
    assert_ne!(criteria_digest(&altered), criteria_digest(version));
    assert_eq!(
        verify_criteria_approval(&trust(&ws), &id, &altered),
        Verdict::Unverified(Unverified::Altered)
    );
    // Martin approves from his browser once his key is recorded.
    let second = s
        .doc
        .add_criteria_version(&criteria(9, &[]), NOW + 5)
        .unwrap();
    let martin_id = s.martin.clone();
    let mut martin = browser(&mut s, 10, &martin_id, true, NOW + 6);
    martin.approve_criteria(&second, NOW + 8).unwrap();
    let ws = martin.read().unwrap();
    assert!(matches!(
        verify_criteria_approval(&trust(&ws), &second, &ws.criteria[&second]),
        Verdict::Verified { .. }
    ));
}

#[test]
fn acceptance_above_ones_authority_is_refused_and_given_by_someone_with_it() {
    let mut s = setup();
    let (top, ciso) = (s.top.clone(), s.ciso.clone());
    in_force(&mut s, &criteria(6, &[(&ciso, 12), (&top, 25)]), NOW);
    let priya_id = s.priya.clone();
    let high = s
        .doc
        .add_risk(&draft(&priya_id, (5, 4), (4, 4)), NOW + 2)
        .unwrap();
    let medium = s
        .doc
        .add_risk(&draft(&priya_id, (5, 4), (3, 4)), NOW + 2)
        .unwrap();
    let claires = s
        .doc
        .add_risk(&draft(&s.claire, (5, 4), (4, 4)), NOW + 2)
        .unwrap();
    let mut priya = browser(&mut s, 9, &priya_id, true, NOW + 3);
    // 16 is above what a CISO may accept.
    assert_eq!(
        not_allowed(priya.accept_risk(&high, NOW + 5)),
        "Residual level 16 is above the acceptance threshold of 6: only someone holding Top \
         management may accept it, and Priya Raman does not."
    );
    // 12 is within it.
    priya.accept_risk(&medium, NOW + 6).unwrap();
    // Only the owner accepts: Claire cannot accept Priya's risk, Priya not Claire's.
    assert_eq!(
        not_allowed(s.doc.accept_risk(&high, NOW + 7)),
        "Only the risk owner, Priya Raman, can accept this risk; this browser's key is \
         recorded for Claire Hoffmann."
    );
    assert_eq!(
        not_allowed(priya.accept_risk(&claires, NOW + 7)),
        "Only the risk owner, Claire Hoffmann, can accept this risk; this browser's key is \
         recorded for Priya Raman."
    );
    // Claire, in top management, may accept 16.
    s.doc.accept_risk(&claires, NOW + 8).unwrap();
    s.doc.automerge().merge(priya.automerge()).unwrap();
    let ws = s.doc.read().unwrap();
    assert!(ws.risks[&high].acceptance.is_none());
    assert!(reapproval_reasons(&ws, &ws.risks[&medium]).is_empty());
    assert!(reapproval_reasons(&ws, &ws.risks[&claires]).is_empty());
    // Above everyone's authority: nobody may accept it.
    in_force(&mut s, &criteria(6, &[(&ciso, 12)]), NOW + 9);
    s.doc
        .edit_risk(&claires, &draft(&s.claire, (5, 4), (4, 4)), NOW + 11)
        .unwrap();
    assert_eq!(
        not_allowed(s.doc.accept_risk(&claires, NOW + 12)),
        "Residual level 16 is above the acceptance threshold of 6, and the risk criteria let \
         no role accept it: treat the risk further, or change the criteria."
    );
    // Within the threshold anyone who owns the risk may accept it.
    let low = s.doc.add_risk(&draft(&priya_id, (2, 2), (2, 3)), NOW + 13);
    assert!(low.is_err(), "residual above inherent");
    let low = s
        .doc
        .add_risk(&draft(&priya_id, (2, 3), (2, 3)), NOW + 13)
        .unwrap();
    priya.automerge().merge(s.doc.automerge()).unwrap();
    priya.accept_risk(&low, NOW + 14).unwrap();
}

#[test]
fn acceptance_needs_a_treatment_the_criteria_in_force_and_the_owners_key() {
    let mut s = setup();
    let undecided = RiskDraft {
        treatment: TreatmentOption::Undecided,
        ..draft(&s.claire, (3, 3), (2, 2))
    };
    let id = s.doc.add_risk(&undecided, NOW).unwrap();
    assert_eq!(
        not_allowed(s.doc.accept_risk(&id, NOW + 1)),
        "Choose how the risk is treated before accepting it."
    );
    s.doc
        .edit_risk(&id, &draft(&s.claire, (3, 3), (2, 2)), NOW + 2)
        .unwrap();
    // New criteria since the assessment: assess it again first.
    in_force(&mut s, &criteria(8, &[]), NOW + 3);
    assert!(
        not_allowed(s.doc.accept_risk(&id, NOW + 5))
            .starts_with("This risk was assessed under other risk criteria than those in force")
    );
    s.doc
        .edit_risk(&id, &draft(&s.claire, (3, 3), (2, 2)), NOW + 6)
        .unwrap();
    // Martin's browser, his key not recorded yet; then the owner is Martin.
    let bytes = s.doc.automerge().save();
    let mut martin = WorkspaceDoc::from_automerge(AutoCommit::load(&bytes).unwrap(), "Martin");
    martin.set_device_key(Some(DeviceKey::from_seed([10; 32])));
    martin
        .edit_risk(&id, &draft(&s.martin, (3, 3), (2, 2)), NOW + 7)
        .unwrap();
    assert_eq!(
        not_allowed(martin.accept_risk(&id, NOW + 8)),
        "Only the risk owner, Martin Kessler, can accept this risk. Record this browser's key \
         for Martin Kessler on the Participants page first."
    );
    // Recorded but not confirmed: it is accepted, and shows as not verified.
    martin
        .put_forward_key(&s.martin, "Laptop", NOW + 9)
        .unwrap();
    martin.accept_risk(&id, NOW + 10).unwrap();
    let ws = martin.read().unwrap();
    let acceptance = ws.risks[&id].acceptance.as_ref().unwrap();
    assert_eq!(
        verify_acceptance(&trust(&ws), &id, acceptance),
        Verdict::Unverified(Unverified::KeyNotConfirmed)
    );
}

#[test]
fn the_acceptance_signature_verifies_and_a_tampered_basis_does_not() {
    let mut s = setup();
    let ciso = s.ciso.clone();
    in_force(&mut s, &criteria(6, &[(&ciso, 12)]), NOW);
    let priya_id = s.priya.clone();
    let theirs = s
        .doc
        .add_risk(&draft(&priya_id, (4, 4), (3, 4)), NOW + 2)
        .unwrap();
    let hers = s
        .doc
        .add_risk(&draft(&s.claire, (4, 4), (2, 3)), NOW + 2)
        .unwrap();
    s.doc.accept_risk(&hers, NOW + 3).unwrap();
    let mut priya = browser(&mut s, 9, &priya_id, true, NOW + 4);
    priya.accept_risk(&theirs, NOW + 6).unwrap();
    s.doc.automerge().merge(priya.automerge()).unwrap();
    let ws = s.doc.read().unwrap();
    // Claire's acceptance names her Top management role.
    let claires = ws.risks[&hers].acceptance.as_ref().unwrap();
    assert_eq!(claires.person, s.claire);
    assert_eq!(claires.basis.residual.level(), 6);
    assert_eq!(claires.basis.controls, ["8.7", "8.13"]);
    assert_eq!(
        verify_acceptance(&trust(&ws), &hers, claires),
        Verdict::Verified {
            person: s.claire.clone(),
            role: s.top.clone(),
            key: DeviceKey::from_seed([7; 32]).public_hex(),
        }
    );
    // Priya's: a risk owner outside top management, her key confirmed.
    let priyas = ws.risks[&theirs].acceptance.as_ref().unwrap();
    assert_eq!(
        verify_acceptance(&trust(&ws), &theirs, priyas),
        Verdict::Verified {
            person: priya_id.clone(),
            role: String::new(),
            key: DeviceKey::from_seed([9; 32]).public_hex(),
        }
    );
    // Any change to what was accepted breaks the signature.
    let mut tampered = priyas.clone();
    tampered.basis.residual.likelihood = 1;
    assert_eq!(
        verify_acceptance(&trust(&ws), &theirs, &tampered),
        Verdict::Unverified(Unverified::Altered)
    );
    let mut tampered = priyas.clone();
    tampered.basis.controls.push("5.1".into());
    assert_eq!(
        verify_acceptance(&trust(&ws), &theirs, &tampered),
        Verdict::Unverified(Unverified::Altered)
    );
    // Carried to another risk, it does not check either.
    assert_eq!(
        verify_acceptance(&trust(&ws), &hers, priyas),
        Verdict::Unverified(Unverified::Altered)
    );
    // Named for someone else than who signed.
    let mut other = claires.clone();
    other.person = priya_id.clone();
    assert_eq!(
        verify_acceptance(&trust(&ws), &hers, &other),
        Verdict::Unverified(Unverified::OtherPerson)
    );
    // Written into the document behind the app's back: the same.
    {
        let doc = s.doc.automerge();
        let (_, risks) = automerge::ReadDoc::get(doc, ROOT, "risks")
            .unwrap()
            .unwrap();
        let (_, risk) = automerge::ReadDoc::get(doc, &risks, theirs.as_str())
            .unwrap()
            .unwrap();
        let (_, acceptance) = automerge::ReadDoc::get(doc, &risk, "acceptance")
            .unwrap()
            .unwrap();
        let (_, basis) = automerge::ReadDoc::get(doc, &acceptance, "basis")
            .unwrap()
            .unwrap();
        autosurgeon::reconcile_prop(doc, &basis, "treatment", TreatmentOption::Retain).unwrap();
        doc.commit();
    }
    let ws = s.doc.read().unwrap();
    let acceptance = ws.risks[&theirs].acceptance.as_ref().unwrap();
    assert_eq!(acceptance.basis.treatment, TreatmentOption::Retain);
    assert_eq!(
        verify_acceptance(&trust(&ws), &theirs, acceptance),
        Verdict::Unverified(Unverified::Altered)
    );
}

#[test]
fn the_acceptance_is_flagged_for_reapproval_after_each_kind_of_change() {
    let mut s = setup();
    let claire = s.claire.clone();
    let id = s
        .doc
        .add_risk(&draft(&claire, (4, 4), (2, 3)), NOW)
        .unwrap();
    let reasons = |s: &mut Setup| {
        let ws = s.doc.read().unwrap();
        reapproval_reasons(&ws, &ws.risks[&id])
    };
    assert_eq!(reasons(&mut s), ["not accepted yet"]);
    s.doc.accept_risk(&id, NOW + 1).unwrap();
    assert!(reasons(&mut s).is_empty());
    // A change elsewhere in the risk (its title) flags nothing.
    let renamed = RiskDraft {
        title: "Ransomware".into(),
        ..draft(&claire, (4, 4), (2, 3))
    };
    s.doc.edit_risk(&id, &renamed, NOW + 2).unwrap();
    assert!(reasons(&mut s).is_empty());
    // A rating.
    let rated = RiskDraft {
        residual_likelihood: "1".into(),
        ..renamed.clone()
    };
    s.doc.edit_risk(&id, &rated, NOW + 3).unwrap();
    assert_eq!(reasons(&mut s), ["likelihood or consequence changed"]);
    let ws = s.doc.read().unwrap();
    let kept = ws.risks[&id].acceptance.as_ref().unwrap();
    assert_eq!(kept.at, NOW + 1, "the edit keeps the acceptance");
    assert_eq!(kept.basis.residual.likelihood, 2);
    s.doc.accept_risk(&id, NOW + 4).unwrap();
    assert!(reasons(&mut s).is_empty());
    // The treatment.
    let treated = RiskDraft {
        treatment: TreatmentOption::Share,
        ..rated.clone()
    };
    s.doc.edit_risk(&id, &treated, NOW + 5).unwrap();
    assert_eq!(reasons(&mut s), ["treatment changed"]);
    s.doc.accept_risk(&id, NOW + 6).unwrap();
    // The controls; the same controls in another order are no change.
    let reordered = RiskDraft {
        controls: vec!["8.13".into(), "8.7".into()],
        ..treated.clone()
    };
    s.doc.edit_risk(&id, &reordered, NOW + 7).unwrap();
    assert!(reasons(&mut s).is_empty());
    let controlled = RiskDraft {
        controls: vec!["8.13".into(), "8.7".into(), "5.30".into()],
        ..treated.clone()
    };
    s.doc.edit_risk(&id, &controlled, NOW + 8).unwrap();
    assert_eq!(reasons(&mut s), ["controls changed"]);
    s.doc.accept_risk(&id, NOW + 9).unwrap();
    assert!(reasons(&mut s).is_empty());
    // A new version of the criteria comes into force.
    let first = in_force(&mut s, &criteria(6, &[]), NOW + 10);
    assert_eq!(reasons(&mut s), ["criteria changed"]);
    // Assessed again under it: still to be accepted again.
    s.doc.edit_risk(&id, &controlled, NOW + 12).unwrap();
    let ws = s.doc.read().unwrap();
    assert_eq!(ws.risks[&id].criteria, first);
    assert_eq!(
        reapproval_reasons(&ws, &ws.risks[&id]),
        ["criteria changed"]
    );
    s.doc.accept_risk(&id, NOW + 13).unwrap();
    assert!(reasons(&mut s).is_empty());
    let ws = s.doc.read().unwrap();
    assert_eq!(
        ws.risks[&id].acceptance.as_ref().unwrap().basis.criteria,
        first
    );
    in_force(&mut s, &criteria(8, &[]), NOW + 14);
    assert_eq!(reasons(&mut s), ["criteria changed"]);
    // Several at once, and a new owner.
    let everything = RiskDraft {
        owner: s.martin.clone(),
        inherent_likelihood: "5".into(),
        treatment: TreatmentOption::Avoid,
        controls: vec!["5.1".into()],
        ..controlled.clone()
    };
    s.doc.edit_risk(&id, &everything, NOW + 16).unwrap();
    assert_eq!(
        reasons(&mut s),
        [
            "likelihood or consequence changed",
            "treatment changed",
            "controls changed",
            "criteria changed",
            "risk owner changed"
        ]
    );
}

#[test]
fn an_edit_writes_only_what_changed_so_concurrent_edits_merge() {
    let mut s = setup();
    let id = s
        .doc
        .add_risk(&draft(&s.priya, (4, 4), (2, 3)), NOW)
        .unwrap();
    let bytes = s.doc.automerge().save();
    let mut martin = WorkspaceDoc::from_automerge(AutoCommit::load(&bytes).unwrap(), "Martin");
    let retitled = RiskDraft {
        title: "Ransomware".into(),
        ..draft(&s.priya, (4, 4), (2, 3))
    };
    s.doc.edit_risk(&id, &retitled, NOW + 1).unwrap();
    let rerated = RiskDraft {
        residual_consequence: "2".into(),
        ..draft(&s.priya, (4, 4), (2, 3))
    };
    martin.edit_risk(&id, &rerated, NOW + 1).unwrap();
    s.doc.automerge().merge(martin.automerge()).unwrap();
    let ws = s.doc.read().unwrap();
    let risk = &ws.risks[&id];
    assert_eq!(risk.title, "Ransomware");
    assert_eq!(
        risk.residual,
        Rating {
            likelihood: 2,
            consequence: 2
        }
    );
    // Saving the same again records nothing.
    let heads = s.doc.automerge().get_heads();
    s.doc
        .edit_risk(&id, &RiskDraft::from_risk(risk), NOW + 2)
        .unwrap();
    assert_eq!(s.doc.automerge().get_heads(), heads);
}

#[test]
fn deleting_a_risk_removes_it_from_the_controls_it_cited() {
    let mut s = setup();
    let one = s
        .doc
        .add_risk(&draft(&s.priya, (4, 4), (2, 3)), NOW)
        .unwrap();
    let other = RiskDraft {
        title: "Laptop theft".into(),
        controls: vec!["8.13".into(), "7.9".into()],
        ..draft(&s.priya, (3, 3), (2, 2))
    };
    let two = s.doc.add_risk(&other, NOW).unwrap();
    let ws = s.doc.read().unwrap();
    let mut both = vec![&one, &two];
    both.sort();
    assert_eq!(risks_citing(&ws, "8.13"), both);
    assert_eq!(risks_citing(&ws, "8.7"), [&one]);
    assert_eq!(risks_citing(&ws, "7.9"), [&two]);
    assert!(risks_citing(&ws, "5.1").is_empty());
    let deleted = s.doc.delete_risk(&one, NOW + 1).unwrap();
    assert_eq!(deleted.title, "Ransomware on the booking platform");
    let ws = s.doc.read().unwrap();
    assert_eq!(risks_citing(&ws, "8.13"), [&two]);
    assert!(risks_citing(&ws, "8.7").is_empty());
    assert!(matches!(
        s.doc.delete_risk(&one, NOW + 2),
        Err(CommandError::NotFound("risk"))
    ));
    // Undone: the links come back with it.
    s.doc.restore_risk(&one, &deleted, NOW + 3).unwrap();
    let ws = s.doc.read().unwrap();
    assert_eq!(risks_citing(&ws, "8.7"), [&one]);
    assert_eq!(ws.risks[&one], deleted);
}

#[test]
fn treatment_actions_need_a_title_an_owner_and_a_due_date_and_overdue_ones_are_counted() {
    let mut s = setup();
    let id = s
        .doc
        .add_risk(&draft(&s.priya, (4, 4), (2, 3)), NOW)
        .unwrap();
    let errors = invalid(s.doc.add_treatment_action(
        &id,
        &TreatmentActionDraft {
            title: " ".into(),
            owner: String::new(),
            resources: String::new(),
            due: "soon".into(),
        },
        NOW,
    ));
    assert_eq!(
        errors.message(Field::TreatmentTitle),
        Some("Say what is to be done.")
    );
    assert_eq!(
        errors.message(Field::TreatmentOwner),
        Some("Choose who does it: every treatment action needs an owner.")
    );
    assert_eq!(
        errors.message(Field::TreatmentDue),
        Some("Enter the due date as YYYY-MM-DD.")
    );
    let errors = invalid(s.doc.add_treatment_action(
        &id,
        &TreatmentActionDraft {
            title: "Patch".into(),
            owner: s.priya.clone(),
            resources: String::new(),
            due: String::new(),
        },
        NOW,
    ));
    assert_eq!(
        errors.message(Field::TreatmentDue),
        Some("Enter the due date: every treatment action needs one (YYYY-MM-DD).")
    );
    let action = |title: &str, due: &str| TreatmentActionDraft {
        title: title.into(),
        owner: s.priya.clone(),
        resources: "Two days of an engineer".into(),
        due: due.into(),
    };
    let patch = s
        .doc
        .add_treatment_action(&id, &action("Patch the servers", "2026-03-01"), NOW)
        .unwrap();
    let backup = action("Offline backups", "2026-05-01");
    s.doc.add_treatment_action(&id, &backup, NOW).unwrap();
    assert!(matches!(
        s.doc.add_treatment_action("nope", &backup, NOW),
        Err(CommandError::NotFound("risk"))
    ));
    let ws = s.doc.read().unwrap();
    assert_eq!(ws.risks[&id].actions.len(), 2);
    assert_eq!(
        ws.risks[&id].actions[&patch].resources,
        "Two days of an engineer"
    );
    assert_eq!(overdue_treatment_actions(&ws, "2026-03-01"), 0);
    assert_eq!(overdue_treatment_actions(&ws, "2026-03-02"), 1);
    assert_eq!(overdue_treatment_actions(&ws, "2026-06-01"), 2);
    s.doc
        .set_treatment_action_done(&id, &patch, true, NOW + 1)
        .unwrap();
    let ws = s.doc.read().unwrap();
    assert!(ws.risks[&id].actions[&patch].done);
    assert_eq!(overdue_treatment_actions(&ws, "2026-06-01"), 1);
    assert!(matches!(
        s.doc.set_treatment_action_done(&id, "nope", true, NOW + 2),
        Err(CommandError::NotFound("treatment action"))
    ));
    // An edit of the risk keeps its actions.
    s.doc
        .edit_risk(&id, &draft(&s.priya, (4, 4), (1, 3)), NOW + 3)
        .unwrap();
    assert_eq!(s.doc.read().unwrap().risks[&id].actions.len(), 2);
}

#[test]
fn top_risks_come_highest_first_and_reassessment_dates_fall_due() {
    let mut s = setup();
    let named = |title: &str, residual: (u32, u32), reassess: &str| RiskDraft {
        title: title.into(),
        reassess_by: reassess.into(),
        ..draft(&s.priya, (5, 5), residual)
    };
    let a = s
        .doc
        .add_risk(&named("A", (3, 3), "2027-01-01"), NOW)
        .unwrap();
    let b = s.doc.add_risk(&named("B", (5, 5), ""), NOW).unwrap();
    let c = s
        .doc
        .add_risk(&named("C", (3, 3), "2026-01-01"), NOW)
        .unwrap();
    s.doc
        .add_risk(&named("D", (2, 3), "2026-01-01"), NOW)
        .unwrap();
    let ws = s.doc.read().unwrap();
    let top: Vec<&String> = top_risks(&ws, "2026-06-01")
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    // D (6) is at the default threshold: not a top risk. C's reassessment is
    // overdue, so it comes before A at the same level.
    assert_eq!(top, [&b, &c, &a]);
    assert!(reassessment_overdue(&ws.risks[&c], "2026-06-01"));
    assert!(!reassessment_overdue(&ws.risks[&c], "2026-01-01"));
    assert!(!reassessment_overdue(&ws.risks[&b], "2099-01-01"));
}

#[test]
fn the_reassessment_date_is_checked_and_changing_it_alone_asks_for_no_new_acceptance() {
    let mut s = setup();
    let claire = s.claire.clone();
    for typed in ["30/06/2027", "2027-13-01", "next spring"] {
        let errors = invalid(s.doc.add_risk(
            &RiskDraft {
                reassess_by: typed.into(),
                ..draft(&claire, (4, 4), (2, 3))
            },
            NOW,
        ));
        assert_eq!(
            errors.message(Field::RiskReassessBy),
            Some("Enter the reassessment date as YYYY-MM-DD."),
            "{typed}"
        );
    }
    assert!(s.doc.read().unwrap().risks.is_empty(), "nothing stored");
    // No date is allowed; one given later is stored trimmed.
    let id = s
        .doc
        .add_risk(
            &RiskDraft {
                reassess_by: "  ".into(),
                ..draft(&claire, (4, 4), (2, 3))
            },
            NOW,
        )
        .unwrap();
    assert_eq!(s.doc.read().unwrap().risks[&id].reassess_by, "");
    s.doc.accept_risk(&id, NOW + 1).unwrap();
    let ws = s.doc.read().unwrap();
    let dated = RiskDraft {
        reassess_by: " 2027-06-30 ".into(),
        ..RiskDraft::from_risk(&ws.risks[&id])
    };
    s.doc.edit_risk(&id, &dated, NOW + 2).unwrap();
    let ws = s.doc.read().unwrap();
    let risk = &ws.risks[&id];
    assert_eq!(risk.reassess_by, "2027-06-30");
    assert_eq!(RiskDraft::from_risk(risk).reassess_by, "2027-06-30");
    assert!(reapproval_reasons(&ws, risk).is_empty());
    assert!(!reassessment_overdue(risk, "2027-06-30"));
    assert!(reassessment_overdue(risk, "2027-07-01"));
    // A bad date in an edit changes nothing.
    let bad = RiskDraft {
        reassess_by: "2027-6-30".into(),
        residual_likelihood: "1".into(),
        ..RiskDraft::from_risk(risk)
    };
    let errors = invalid(s.doc.edit_risk(&id, &bad, NOW + 3));
    assert!(errors.message(Field::RiskReassessBy).is_some());
    assert_eq!(s.doc.read().unwrap().risks[&id].residual.likelihood, 2);
}

#[test]
fn an_edited_likelihood_flags_the_acceptance_until_the_owner_accepts_again() {
    let mut s = setup();
    let claire = s.claire.clone();
    let id = s
        .doc
        .add_risk(&draft(&claire, (4, 4), (2, 3)), NOW)
        .unwrap();
    s.doc.accept_risk(&id, NOW + 1).unwrap();
    let ws = s.doc.read().unwrap();
    let edited = RiskDraft {
        inherent_likelihood: "3".into(),
        ..RiskDraft::from_risk(&ws.risks[&id])
    };
    s.doc.edit_risk(&id, &edited, NOW + 2).unwrap();
    let ws = s.doc.read().unwrap();
    let risk = &ws.risks[&id];
    let kept = risk.acceptance.as_ref().unwrap();
    assert_eq!(
        kept.basis.inherent,
        Rating {
            likelihood: 4,
            consequence: 4
        }
    );
    // The old signature still verifies what it signed; the flag says it is out of date.
    assert!(matches!(
        verify_acceptance(&trust(&ws), &id, kept),
        Verdict::Verified { .. }
    ));
    assert_eq!(
        reapproval_reasons(&ws, risk),
        ["likelihood or consequence changed"]
    );
    s.doc.accept_risk(&id, NOW + 3).unwrap();
    let ws = s.doc.read().unwrap();
    let risk = &ws.risks[&id];
    let again = risk.acceptance.as_ref().unwrap();
    assert_eq!(again.at, NOW + 3);
    assert_eq!(
        again.basis.inherent,
        Rating {
            likelihood: 3,
            consequence: 4
        }
    );
    assert!(reapproval_reasons(&ws, risk).is_empty());
    assert!(matches!(
        verify_acceptance(&trust(&ws), &id, again),
        Verdict::Verified { .. }
    ));
}

#[test]
fn a_deleted_risk_comes_back_with_its_acceptance_and_actions_which_can_be_done_and_undone() {
    let mut s = setup();
    let claire = s.claire.clone();
    let id = s
        .doc
        .add_risk(&draft(&claire, (4, 4), (2, 3)), NOW)
        .unwrap();
    let action = s
        .doc
        .add_treatment_action(
            &id,
            &TreatmentActionDraft {
                title: "Patch the servers".into(),
                owner: claire.clone(),
                resources: String::new(),
                due: "2027-03-31".into(),
            },
            NOW,
        )
        .unwrap();
    s.doc.accept_risk(&id, NOW + 1).unwrap();
    let before = s.doc.read().unwrap().risks[&id].clone();
    let deleted = s.doc.delete_risk(&id, NOW + 2).unwrap();
    assert_eq!(deleted, before);
    assert!(s.doc.read().unwrap().risks.is_empty());
    s.doc.restore_risk(&id, &deleted, NOW + 3).unwrap();
    let ws = s.doc.read().unwrap();
    assert_eq!(ws.risks[&id], before);
    assert!(matches!(
        verify_acceptance(&trust(&ws), &id, ws.risks[&id].acceptance.as_ref().unwrap()),
        Verdict::Verified { .. }
    ));
    s.doc
        .set_treatment_action_done(&id, &action, true, NOW + 4)
        .unwrap();
    assert!(s.doc.read().unwrap().risks[&id].actions[&action].done);
    // Marking it done twice changes nothing; it can be reopened.
    let heads = s.doc.automerge().get_heads();
    s.doc
        .set_treatment_action_done(&id, &action, true, NOW + 5)
        .unwrap();
    assert_eq!(s.doc.automerge().get_heads(), heads);
    s.doc
        .set_treatment_action_done(&id, &action, false, NOW + 6)
        .unwrap();
    let ws = s.doc.read().unwrap();
    let patch = &ws.risks[&id].actions[&action];
    assert!(!patch.done);
    assert!(patch.overdue("2027-04-01"));
    assert!(!patch.overdue("2027-03-31"));
    // An action is no part of what the owner accepted.
    assert!(reapproval_reasons(&ws, &ws.risks[&id]).is_empty());
}
