//! Writes the three-year sample that the start page's "Open a three-year
//! sample" fetches: `cargo run --release --example three_year_sample -- OUT`.
//!
//! It is the ×1 workspace of [`charter::workspace::generate`] (about 228,000
//! changes, typed keystroke by keystroke by four people), ending today, saved
//! as one Automerge document. `scripts/sample.sh` runs it when the
//! generator's sources change and the build copies the file to
//! `dist/samples/`. Generating takes about a minute and a half natively; the
//! browser only loads it.
#![allow(clippy::print_stdout)]

use std::path::PathBuf;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use charter::workspace::generate::three_year_workspace;

/// The seed of the published sample (the benchmarks use their own).
const SEED: u64 = 2026;

fn main() {
    let Some(out) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: three_year_sample OUT");
        std::process::exit(2);
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    // Whole days, so the same day's runs give the same document.
    let today = now - now.rem_euclid(86_400_000);
    let started = Instant::now();
    let mut doc = match three_year_workspace(SEED, 1.0, today) {
        Ok(doc) => doc,
        Err(e) => {
            eprintln!("the generator failed: {e}");
            std::process::exit(1);
        }
    };
    let bytes = doc.automerge().save();
    if let Some(dir) = out.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if let Err(e) = std::fs::write(&out, &bytes) {
        eprintln!("cannot write {}: {e}", out.display());
        std::process::exit(1);
    }
    println!(
        "three-year sample: {} bytes in {:.1} s → {}",
        bytes.len(),
        started.elapsed().as_secs_f64(),
        out.display()
    );
}
