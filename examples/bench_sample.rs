//! Native benchmark of "Open a sample workspace" (a measurement, not a test):
//! `cargo run --release --example bench_sample [runs]`.
//!
//! Times what the start page does before it shows the sample's overview —
//! building the one-year sample, saving it as the first stored chunk — and
//! what opening it then costs — loading the bytes and reading the whole
//! workspace. Prints the median and the slowest of `runs` (20 by default).
//! The budget (issue 11, point 16) is 300 ms in the browser, click to
//! overview; the browser runs the same code some three to five times slower
//! than this, so the native total should stay well under 60 ms.
#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use automerge::AutoCommit;
use charter::workspace::WorkspaceDoc;
use charter::workspace::sample::sample_workspace;

/// Dates in the sample are relative to this time, so every run builds the same.
const NOW: i64 = 1_795_000_000_000;

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20)
        .max(1);
    let mut build = Vec::new();
    let mut save = Vec::new();
    let mut load = Vec::new();
    let mut read = Vec::new();
    let mut facts = (0, 0, 0);
    for _ in 0..runs {
        let started = Instant::now();
        let mut doc = sample_workspace("Ada Lovelace", NOW).expect("the sample builds");
        build.push(started.elapsed());

        let started = Instant::now();
        let bytes = doc.automerge().save();
        save.push(started.elapsed());

        let started = Instant::now();
        let loaded = AutoCommit::load(&bytes).expect("the sample loads");
        load.push(started.elapsed());

        let ws = WorkspaceDoc::from_automerge(loaded, "Ada Lovelace");
        let started = Instant::now();
        let state = ws.read().expect("the sample reads");
        read.push(started.elapsed());

        let changes = doc.automerge().get_changes(&[]);
        let ops = changes.iter().map(|c| c.len()).sum();
        facts = (changes.len(), ops, bytes.len());
        assert_eq!(state.objectives.len(), 9);
    }
    let (changes, ops, bytes) = facts;
    println!("The one-year sample: {changes} changes, {ops} operations, {bytes} bytes saved.");
    println!("{runs} runs, native release build:\n");
    println!("| step | median | slowest |");
    println!("|---|---:|---:|");
    let mut total = Duration::ZERO;
    for (step, times) in [
        ("build the sample", &mut build),
        ("save it", &mut save),
        ("load the bytes", &mut load),
        ("read the workspace", &mut read),
    ] {
        times.sort();
        let median = times[times.len() / 2];
        total += median;
        println!(
            "| {step} | {} | {} |",
            millis(median),
            millis(times[times.len() - 1])
        );
    }
    println!("| **total (medians)** | **{}** | |", millis(total));
}

/// A duration in milliseconds with one decimal.
fn millis(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}
