//! Native tests of the CSV exports (issue 13): RFC 4180 quoting, the byte
//! order mark, formula neutralisation, the strict reader, and the
//! Statement of Applicability, risk register and plan as spreadsheets.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use automerge::{ObjType, ROOT, ReadDoc, Value};
use autosurgeon::{Reconcile, reconcile_prop};
use charter::workspace::WorkspaceDoc;
use charter::workspace::csv::{
    BOM, CsvError, PLAN_HEADER, RISKS_HEADER, SOA_HEADER, neutralise, parse_csv, plan_csv,
    risks_csv, soa_csv, write_csv,
};
use charter::workspace::plan::{Stage, StageStatus};
use charter::workspace::risks::{Acceptance, Property, Rating, Risk, TreatmentOption};
use charter::workspace::roles::PersonDraft;
use charter::workspace::soa::{Implementation, Reason, SoaDraft};
use proptest::prelude::*;

const NOW: i64 = 1_780_000_000_000;

fn cells(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
        .collect()
}

/// Writes `value` at `area[id]` straight into the document (the risk and
/// plan commands are not what is tested here).
fn put<T: Reconcile>(doc: &mut WorkspaceDoc, area: &str, id: &str, value: &T) {
    let am = doc.automerge();
    let map = match am.get(ROOT, area).unwrap() {
        Some((Value::Object(ObjType::Map), obj)) => obj,
        _ => {
            automerge::transaction::Transactable::put_object(am, ROOT, area, ObjType::Map).unwrap()
        }
    };
    reconcile_prop(am, &map, id, value).unwrap();
    am.commit();
}

fn person(doc: &mut WorkspaceDoc, name: &str) -> String {
    doc.add_person(
        &PersonDraft {
            name: name.into(),
            title: String::new(),
            email: String::new(),
        },
        NOW,
    )
    .unwrap()
}

#[test]
fn fields_with_commas_quotes_and_line_breaks_are_quoted() {
    let rows = cells(&[
        &["Access control, logical", "The “policy” says \"no\""],
        &["two\r\nlines", "one\nline feed"],
        &["a bare\rcarriage return", ""],
        &["plain", "Ünïcode ☃"],
    ]);
    let text = write_csv(&["Control", "Note"], &rows);
    assert_eq!(
        text,
        "\u{feff}Control,Note\r\n\
         \"Access control, logical\",\"The “policy” says \"\"no\"\"\"\r\n\
         \"two\r\nlines\",\"one\nline feed\"\r\n\
         \"a bare\rcarriage return\",\r\n\
         plain,Ünïcode ☃\r\n"
    );
    assert!(text.starts_with(BOM));
    let mut expected = cells(&[&["Control", "Note"]]);
    expected.extend(rows);
    assert_eq!(parse_csv(&text).unwrap(), expected);
}

#[test]
fn formula_prefixes_are_neutralised_with_a_quote() {
    let rows = cells(&[
        &["=HYPERLINK(\"http://evil\",\"x\")", "+1", "-2", "@SUM(A1)"],
        &["\tTab", "\rCR", "\nLF", "safe = 1"],
    ]);
    let text = write_csv(&["a", "b", "c", "d"], &rows);
    assert_eq!(
        text,
        "\u{feff}a,b,c,d\r\n\
         \"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",\"'+1\",\"'-2\",\"'@SUM(A1)\"\r\n\
         \"'\tTab\",\"'\rCR\",\"'\nLF\",safe = 1\r\n"
    );
    // Read back, a neutralised cell keeps its quote: nothing else changes.
    let back = parse_csv(&text).unwrap();
    for (row, read) in rows.iter().zip(&back[1..]) {
        let expected: Vec<String> = row.iter().map(|c| neutralise(c).into_owned()).collect();
        assert_eq!(read, &expected);
    }
    assert_eq!(back[1][1], "'+1");
    assert_eq!(back[2][3], "safe = 1");
    // A cell that starts with a quote of its own is quoted and kept as it is.
    let text = write_csv(&["q"], &cells(&[&["'quoted"]]));
    assert_eq!(text, "\u{feff}q\r\n\"'quoted\"\r\n");
    assert_eq!(parse_csv(&text).unwrap()[1], ["'quoted"]);
}

#[test]
fn the_reader_is_strict() {
    assert_eq!(parse_csv("").unwrap(), Vec::<Vec<String>>::new());
    assert_eq!(parse_csv("\u{feff}").unwrap(), Vec::<Vec<String>>::new());
    // The last line end is optional; a bare LF ends a record too.
    assert_eq!(
        parse_csv("a,b\r\nc,d").unwrap(),
        cells(&[&["a", "b"], &["c", "d"]])
    );
    assert_eq!(
        parse_csv("a,b\nc,\n").unwrap(),
        cells(&[&["a", "b"], &["c", ""]])
    );
    assert_eq!(parse_csv("\"\"\r\n").unwrap(), cells(&[&[""]]));
    assert_eq!(parse_csv("\"a\"\"\"").unwrap(), cells(&[&["a\""]]));
    assert_eq!(
        parse_csv("a\r\n\"open\r\nnever closed"),
        Err(CsvError::UnclosedQuote(2))
    );
    assert_eq!(parse_csv("a,b\"c"), Err(CsvError::StrayQuote(1)));
    assert_eq!(parse_csv("\"a\"b,c"), Err(CsvError::AfterQuote(1)));
    assert_eq!(parse_csv("a\rb"), Err(CsvError::BareCarriageReturn(1)));
    assert_eq!(
        parse_csv("a,b\r\n\"x\ny\"\r\nc,d,e\r\n"),
        Err(CsvError::Ragged {
            line: 2,
            expected: 2,
            found: 1
        })
    );
    assert_eq!(
        parse_csv("a,b\r\n\"x\ny\",z\r\nc,d,e\r\n"),
        Err(CsvError::Ragged {
            line: 4,
            expected: 2,
            found: 3
        })
    );
    assert_eq!(
        CsvError::Ragged {
            line: 4,
            expected: 2,
            found: 3
        }
        .to_string(),
        "Line 4: 3 fields where the first record has 2."
    );
}

proptest! {
    /// Whatever the cells hold, writing then reading gives them back, each
    /// with the quote a neutralised one was given.
    #[test]
    fn any_cells_round_trip(
        rows in proptest::collection::vec(
            proptest::collection::vec("[a-z,\"'=+@\\- \t\r\n☃é]{0,8}", 3),
            0..6,
        )
    ) {
        let text = write_csv(&["one", "two", "three"], &rows);
        let back = parse_csv(&text).unwrap();
        prop_assert_eq!(back.len(), rows.len() + 1);
        prop_assert_eq!(&back[0], &["one", "two", "three"]);
        for (row, read) in rows.iter().zip(&back[1..]) {
            let expected: Vec<String> = row.iter().map(|c| neutralise(c).into_owned()).collect();
            prop_assert_eq!(read, &expected);
        }
    }
}

#[test]
fn a_fresh_workspace_exports_93_controls() {
    let mut doc = WorkspaceDoc::create("Alder & Finch", "", "Claire", NOW).unwrap();
    let text = soa_csv(&doc.read().unwrap());
    assert!(text.starts_with(BOM));
    let records = parse_csv(&text).unwrap();
    assert_eq!(records.len(), 94, "a header and 93 rows");
    assert_eq!(records[0], SOA_HEADER);
    assert_eq!(
        records[1],
        [
            "5.1",
            "Organizational controls",
            "Policies for information security",
            "Not decided",
            "",
            "",
            "Not started",
            "",
            "",
            ""
        ]
    );
    let row = records.iter().find(|r| r[0] == "5.22").unwrap();
    assert_eq!(
        row[2],
        "Monitoring, review and change management of supplier services"
    );
    assert_eq!(records[93][0], "8.34");
    // Nothing in the document changes by exporting.
    let heads = doc.automerge().get_heads();
    let _ = soa_csv(&doc.read().unwrap());
    assert_eq!(doc.automerge().get_heads(), heads);
}

#[test]
fn the_soa_export_names_owners_reasons_and_linked_risks() {
    let mut doc = WorkspaceDoc::create("Alder & Finch", "", "Claire", NOW).unwrap();
    let priya = person(&mut doc, "Priya Raman");
    for (id, title) in [("R1", "Ransomware"), ("R2", "=cmd|' /C calc'!A0")] {
        let risk = Risk {
            title: title.into(),
            controls: vec!["8.13".into()],
            ..Default::default()
        };
        put(&mut doc, "risks", id, &risk);
    }
    doc.set_soa_entry(
        "8.13",
        &SoaDraft {
            applicable: Some(true),
            reasons: vec![Reason::Legal],
            justification: "GDPR, art. 32".into(),
            status: Implementation::Partial,
            owner: priya,
            evidence: "Backup report, \"Q3\"".into(),
        },
        NOW,
    )
    .unwrap();
    doc.set_soa_entry(
        "7.4",
        &SoaDraft {
            applicable: Some(false),
            justification: "No premises:\nwe work remotely.".into(),
            ..Default::default()
        },
        NOW,
    )
    .unwrap();
    let added = doc
        .add_control("Customer questionnaires", "organizational", NOW)
        .unwrap();
    let records = parse_csv(&soa_csv(&doc.read().unwrap())).unwrap();
    assert_eq!(records.len(), 95);
    let row = |id: &str| records.iter().find(|r| r[0] == id).unwrap().clone();
    assert_eq!(
        row("8.13"),
        [
            "8.13",
            "Technological controls",
            "Information backup",
            "Yes",
            "Risk treatment; Legal or regulatory requirement",
            "GDPR, art. 32",
            "Partly implemented",
            "Priya Raman",
            "Backup report, \"Q3\"",
            // By title; the cell starts with "=", so it is neutralised.
            "'=cmd|' /C calc'!A0; Ransomware"
        ]
    );
    assert_eq!(row("7.4")[3], "No");
    assert_eq!(row("7.4")[5], "No premises:\nwe work remotely.");
    assert_eq!(records[94][0], added);
    assert_eq!(records[94][2], "Customer questionnaires");
}

#[test]
fn the_risk_register_export() {
    let mut doc = WorkspaceDoc::create("Alder & Finch", "", "Claire", NOW).unwrap();
    let owner = person(&mut doc, "Martin Kessler");
    let accepted = Risk {
        title: "Ransomware on the booking platform".into(),
        asset: "Booking platform".into(),
        threat: "Ransomware".into(),
        vulnerability: "Unpatched servers, flat network".into(),
        properties: vec![Property::Availability, Property::Confidentiality],
        owner: owner.clone(),
        inherent: Rating {
            likelihood: 4,
            consequence: 5,
        },
        residual: Rating {
            likelihood: 2,
            consequence: 3,
        },
        treatment: TreatmentOption::Modify,
        controls: vec!["8.7".into(), "8.13".into()],
        reassess_by: "2027-06-30".into(),
        acceptance: Some(Acceptance {
            person: owner,
            at: NOW,
            ..Default::default()
        }),
        created_at: NOW,
        ..Default::default()
    };
    put(&mut doc, "risks", "R1", &accepted);
    let fresh = Risk {
        title: "-1 for formulas".into(),
        created_at: NOW + 1,
        ..Default::default()
    };
    put(&mut doc, "risks", "R0", &fresh);
    let records = parse_csv(&risks_csv(&doc.read().unwrap())).unwrap();
    assert_eq!(records.len(), 3);
    assert_eq!(records[0], RISKS_HEADER);
    assert_eq!(
        records[1],
        [
            "Ransomware on the booking platform",
            "Booking platform",
            "Ransomware",
            "Unpatched servers, flat network",
            "C/A",
            "Martin Kessler",
            "4",
            "5",
            "20",
            "2",
            "3",
            "6",
            "Modify",
            "8.7; 8.13",
            "2027-06-30",
            "Martin Kessler",
            "2026-05-28"
        ]
    );
    let mut unrated = vec![String::new(); 17];
    unrated[0] = "'-1 for formulas".into();
    unrated[12] = "Not decided".into();
    assert_eq!(records[2], unrated);
}

#[test]
fn the_plan_export() {
    let mut doc = WorkspaceDoc::create("Alder & Finch", "", "Claire", NOW).unwrap();
    let owner = person(&mut doc, "Priya Raman");
    let stages: BTreeMap<&str, Stage> = BTreeMap::from([
        (
            "S2",
            Stage {
                title: "Statement of Applicability".into(),
                owner: owner.clone(),
                start: "2026-07-01".into(),
                deadline: "2026-08-31".into(),
                status: StageStatus::InProgress,
                depends_on: vec!["S1".into()],
                produces: "soa:version".into(),
                order: 2,
                created_at: NOW,
            },
        ),
        (
            "S1",
            Stage {
                title: "Risk assessment".into(),
                owner,
                start: "2026-05-01".into(),
                deadline: "2026-06-30".into(),
                status: StageStatus::Finished,
                produces: "criteria:GONE".into(),
                order: 1,
                created_at: NOW,
                ..Default::default()
            },
        ),
    ]);
    for (id, stage) in &stages {
        put(&mut doc, "stages", id, stage);
    }
    let records = parse_csv(&plan_csv(&doc.read().unwrap())).unwrap();
    assert_eq!(
        records,
        [
            PLAN_HEADER.to_vec(),
            vec![
                "Risk assessment",
                "Priya Raman",
                "2026-05-01",
                "2026-06-30",
                "Finished",
                "",
                "criteria:GONE"
            ],
            vec![
                "Statement of Applicability",
                "Priya Raman",
                "2026-07-01",
                "2026-08-31",
                "In progress",
                "Risk assessment",
                "Statement of Applicability"
            ],
        ]
    );
}
