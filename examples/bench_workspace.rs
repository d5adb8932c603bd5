//! Native benchmarks of the workspace at three-year size (a measurement, not
//! a test): `cargo run --release --example bench_workspace [scales…]`.
//!
//! For each size of the generated three-year workspace (×0.1, ×1, ×5 by
//! default): load, whole read, save, incremental save, the merge of two
//! peers' 2,000 offline edits each, and the cost of one command and of the
//! state update it causes (median of many). Prints a table and writes it,
//! with the machine, date and build, to `docs/benchmarks/native.md`.
//! Generated documents are cached in `target/charter-bench/`.
#![allow(clippy::print_stdout)]

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use automerge::AutoCommit;
use charter::workspace::changes::Touched;
use charter::workspace::generate::three_year_workspace;
use charter::workspace::measurements::{Direction, MeasurementDraft};
use charter::workspace::risks::{Property, RiskDraft, TreatmentOption};
use charter::workspace::roles::PersonDraft;
use charter::workspace::soa::{Implementation, Reason, SoaDraft};
use charter::workspace::{Health, ObjectiveDraft, Workspace, WorkspaceDoc};

/// The generated workspaces end at this time, so cached documents stay valid.
const NOW: i64 = 1_780_000_000_000;
const SEED: u64 = 7;
const OFFLINE_EDITS: usize = 2_000;
const REPEAT: usize = 200;

fn main() {
    let scales: Vec<f64> = {
        let given: Vec<f64> = std::env::args()
            .skip(1)
            .filter_map(|a| a.trim_start_matches('x').parse().ok())
            .collect();
        if given.is_empty() {
            vec![0.1, 1.0, 5.0]
        } else {
            given
        }
    };
    let mut rows = Vec::new();
    for scale in scales {
        eprintln!("× {scale}: preparing…");
        rows.push(measure(scale));
    }
    let report = report(&rows);
    print!("{report}");
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/benchmarks/native.md");
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    match std::fs::write(&path, &report) {
        Ok(()) => eprintln!("written to {}", path.display()),
        Err(e) => eprintln!("could not write {}: {e}", path.display()),
    }
}

struct Row {
    scale: f64,
    changes: usize,
    ops: usize,
    saved_bytes: usize,
    generate: Option<Duration>,
    load: Duration,
    whole_read: Duration,
    save: Duration,
    incremental_save: Duration,
    merge: Duration,
    merge_state: Duration,
    keystroke: Costs,
    measurement: Costs,
    objective_edit: Costs,
    risk_edit: Costs,
    soa_decision: Costs,
}

/// Medians of one command: the command itself, the patches, the re-read.
#[derive(Default)]
struct Costs {
    command: Duration,
    patches: Duration,
    read: Duration,
    /// Records re-read per command (median).
    records: usize,
}

fn cached_document(scale: f64) -> (Vec<u8>, Option<Duration>) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/charter-bench");
    let path = dir.join(format!("three-year-{SEED}-{scale}-{NOW}.automerge"));
    if let Ok(bytes) = std::fs::read(&path)
        && AutoCommit::load(&bytes).is_ok()
    {
        return (bytes, None);
    }
    let started = Instant::now();
    let mut generated = three_year_workspace(SEED, scale, NOW).expect("the generator runs");
    let took = started.elapsed();
    let bytes = generated.automerge().save();
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::write(&path, &bytes);
    (bytes, Some(took))
}

fn measure(scale: f64) -> Row {
    let (bytes, generate) = cached_document(scale);

    let started = Instant::now();
    let mut loaded = AutoCommit::load(&bytes).expect("the document loads");
    let load = started.elapsed();
    let changes = loaded.get_changes(&[]);
    let ops = changes.iter().map(|c| c.len()).sum();
    let change_count = changes.len();
    drop(changes);

    let mut ws = WorkspaceDoc::from_automerge(loaded, "Bench");
    let started = Instant::now();
    let mut state = ws.read().expect("the workspace reads");
    let whole_read = started.elapsed();
    ws.track_changes();

    let started = Instant::now();
    let saved = ws.automerge().save();
    let save = started.elapsed();
    let heads = ws.automerge().get_heads();

    let policy = state.policies.keys().next().cloned().expect("policies");
    let objective = state.objectives.keys().next().cloned().expect("objectives");

    let keystroke = costs(&mut ws, &mut state, |doc, i| {
        doc.splice_policy_body(&policy, 10 + i % 50, 0, "a", NOW + i as i64)
    });
    let measurement = costs(&mut ws, &mut state, |doc, i| {
        let draft = MeasurementDraft {
            date: "2029-01-15".to_owned(),
            value: (i % 40).to_string(),
            note: String::new(),
        };
        doc.add_measurement(&objective, &draft, NOW + i as i64)
            .map(drop)
    });
    let objective_edit = costs(&mut ws, &mut state, |doc, i| {
        let draft = ObjectiveDraft {
            title: format!("Phishing click rate {i}"),
            description: "Fewer people fall for phishing.".to_owned(),
            target: "3".to_owned(),
            unit: "%".to_owned(),
            direction: Some(Direction::AtMost),
            due: "2029-12-31".to_owned(),
            health: Health::AtRisk,
            health_reason: "The last two simulations went the wrong way.".to_owned(),
            ..Default::default()
        };
        doc.edit_objective(&objective, &draft, NOW + i as i64)
    });

    // A register of 25 risks (the three-year generator writes none), then
    // a risk's likelihood changed and a control of the SoA decided.
    let owner = ws
        .add_person(
            &PersonDraft {
                name: "Risk Owner".to_owned(),
                title: String::new(),
                email: String::new(),
            },
            NOW,
        )
        .expect("a person");
    let risk_draft = |i: usize| RiskDraft {
        title: format!("Risk {i}"),
        asset: "Booking platform".to_owned(),
        threat: "Ransomware".to_owned(),
        vulnerability: String::new(),
        properties: vec![Property::Availability],
        owner: owner.clone(),
        inherent_likelihood: "4".to_owned(),
        inherent_consequence: "4".to_owned(),
        residual_likelihood: (1 + i % 3).to_string(),
        residual_consequence: "3".to_owned(),
        treatment: TreatmentOption::Modify,
        controls: vec!["8.13".to_owned(), format!("5.{}", 1 + i % 30)],
        reassess_by: String::new(),
    };
    let risks: Vec<String> = (0..25)
        .map(|i| ws.add_risk(&risk_draft(i), NOW + i as i64).expect("a risk"))
        .collect();
    let touched = ws.take_changes();
    ws.read_touched(&mut state, &touched).expect("reads");
    let risk_edit = costs(&mut ws, &mut state, |doc, i| {
        doc.edit_risk(&risks[0], &risk_draft(i), NOW + i as i64)
    });
    let soa_decision = costs(&mut ws, &mut state, |doc, i| {
        let draft = SoaDraft {
            applicable: Some(true),
            reasons: vec![Reason::Business],
            status: Implementation::ALL[i % 4],
            ..SoaDraft::default()
        };
        doc.set_soa_entry("5.31", &draft, NOW + i as i64)
    });

    let started = Instant::now();
    let incremental = ws.automerge().save_after(&heads);
    let incremental_save = started.elapsed();
    assert!(!incremental.is_empty());

    // Two peers each make 2,000 edits offline, then one merges the other's.
    let mut ada = WorkspaceDoc::from_automerge(AutoCommit::load(&saved).expect("loads"), "Ada");
    let mut bob = WorkspaceDoc::from_automerge(AutoCommit::load(&saved).expect("loads"), "Bob");
    offline_edits(&mut ada, &state, 0);
    offline_edits(&mut bob, &state, 1);
    let mut ada_state = ada.read().expect("reads");
    ada.track_changes();
    let started = Instant::now();
    ada.automerge()
        .merge(bob.automerge())
        .expect("the peers merge");
    let merge = started.elapsed();
    let started = Instant::now();
    let touched = ada.take_changes();
    ada.read_touched(&mut ada_state, &touched).expect("reads");
    let merge_state = started.elapsed();

    Row {
        scale,
        changes: change_count,
        ops,
        saved_bytes: bytes.len(),
        generate,
        load,
        whole_read,
        save,
        incremental_save,
        merge,
        merge_state,
        keystroke,
        measurement,
        objective_edit,
        risk_edit,
        soa_decision,
    }
}

/// 2,000 edits of one peer: keystrokes in a policy, measurements, edits.
fn offline_edits(doc: &mut WorkspaceDoc, state: &Workspace, peer: usize) {
    let policies: Vec<&String> = state.policies.keys().collect();
    let objectives: Vec<&String> = state.objectives.keys().collect();
    for i in 0..OFFLINE_EDITS {
        let now = NOW + (peer * OFFLINE_EDITS + i) as i64;
        let result = match i % 10 {
            0 => {
                let draft = MeasurementDraft {
                    date: "2029-02-01".to_owned(),
                    value: (i % 30).to_string(),
                    note: String::new(),
                };
                doc.add_measurement(objectives[(i + peer) % objectives.len()], &draft, now)
                    .map(drop)
            }
            _ => doc.splice_policy_body(policies[peer % policies.len()], 20 + i % 40, 0, "x", now),
        };
        result.expect("offline edit");
    }
}

fn costs(
    ws: &mut WorkspaceDoc,
    state: &mut Workspace,
    mut command: impl FnMut(&mut WorkspaceDoc, usize) -> Result<(), charter::workspace::CommandError>,
) -> Costs {
    let (mut commands, mut patches, mut reads) = (Vec::new(), Vec::new(), Vec::new());
    let mut records = Vec::new();
    for i in 0..REPEAT {
        let started = Instant::now();
        command(ws, i).expect("the command runs");
        commands.push(started.elapsed());
        let started = Instant::now();
        let touched: Touched = ws.take_changes();
        patches.push(started.elapsed());
        let started = Instant::now();
        ws.read_touched(state, &touched).expect("reads");
        reads.push(started.elapsed());
        records.push(touched.record_count());
    }
    Costs {
        command: median(commands),
        patches: median(patches),
        read: median(reads),
        records: {
            records.sort_unstable();
            records[records.len() / 2]
        },
    }
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1_000.0)
}

fn report(rows: &[Row]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Native benchmarks: the three-year workspace\n");
    let _ = writeln!(
        out,
        "`cargo run --release --example bench_workspace` — {} · {} · release profile (opt-level \"z\", fat LTO, as shipped) · commit {}\n",
        machine(),
        command_output("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
        command_output("git", &["rev-parse", "--short", "HEAD"]),
    );
    let _ = writeln!(
        out,
        "Times in milliseconds; one-command costs are medians of {REPEAT}.\n"
    );
    let mut header = String::from("| | ");
    let mut rule = String::from("|---|");
    for row in rows {
        let _ = write!(header, "×{} | ", row.scale);
        rule.push_str("---:|");
    }
    let _ = writeln!(out, "{}\n{rule}", header.trim_end());
    let line = |out: &mut String, label: &str, cell: &dyn Fn(&Row) -> String| {
        let cells: Vec<String> = rows.iter().map(cell).collect();
        let _ = writeln!(out, "| {label} | {} |", cells.join(" | "));
    };
    line(&mut out, "changes", &|r| r.changes.to_string());
    line(&mut out, "operations", &|r| r.ops.to_string());
    line(&mut out, "saved size (bytes)", &|r| {
        r.saved_bytes.to_string()
    });
    line(&mut out, "generate (this run, if not cached)", &|r| {
        r.generate.map_or_else(|| "cached".to_owned(), ms)
    });
    line(&mut out, "load (Automerge)", &|r| ms(r.load));
    line(&mut out, "whole read (first render's state)", &|r| {
        ms(r.whole_read)
    });
    line(&mut out, "save (whole)", &|r| ms(r.save));
    line(&mut out, "incremental save (1,025 commands)", &|r| {
        ms(r.incremental_save)
    });
    line(&mut out, "merge 2 × 2,000 offline edits", &|r| ms(r.merge));
    line(&mut out, "… then the state update", &|r| ms(r.merge_state));
    for (label, pick) in [
        (
            "keystroke in a policy",
            (|r: &Row| &r.keystroke) as fn(&Row) -> &Costs,
        ),
        ("add a measurement", |r: &Row| &r.measurement),
        ("edit an objective", |r: &Row| &r.objective_edit),
        ("change a risk's likelihood (25 risks)", |r: &Row| {
            &r.risk_edit
        }),
        ("decide a control of the SoA", |r: &Row| &r.soa_decision),
    ] {
        line(&mut out, &format!("{label}: command"), &|r| {
            ms(pick(r).command)
        });
        line(&mut out, &format!("{label}: patches"), &|r| {
            ms(pick(r).patches)
        });
        line(&mut out, &format!("{label}: state update"), &|r| {
            format!("{} ({} record read)", ms(pick(r).read), pick(r).records)
        });
    }
    out
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{cpu}, {cores} cores")
}

fn command_output(program: &str, args: &[&str]) -> String {
    std::process::Command::new(program)
        .args(args)
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}
