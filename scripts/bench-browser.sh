#!/usr/bin/env bash
# Charter's browser benchmarks (issue 8): bash scripts/bench-browser.sh
#
# Measurements, not tests. Builds what is missing or older than its sources (the app with
# `trunk build --release`, the relay, the benchmark exports, the pre-wasm-opt wasm for twiggy,
# the comparison page), then tests/e2e/bench/browser.mjs drives headless Chromium against the
# relay on a free port with a temporary data directory, prints a Markdown report and writes it
# to docs/benchmarks/browser.md.
#
#   RELOADS=5 KEYSTROKES=200 SYNC_KEYS=100 SYNC_EDITS=100 REPS=3   how much to measure
#   BENCH_REBUILD=1                                                 rebuild dist/ even if fresh
#   BENCH_ONLY=5,6                                                  only those sections
#   BENCH_TRACE=/tmp/keys.json                                      a Chromium trace of section 2
#   BENCH_PROFILE=/tmp/keys.cpuprofile                              a V8 CPU profile of section 2
#   BENCH_OUT=path                                                  where the report goes
set -euo pipefail

# shellcheck source=scripts/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$CHARTER_ROOT"

# Cargo's target directory, wherever the person's configuration puts it.
TARGET_DIR="$(charter_target_dir)"
export CHARTER_TARGET_DIR="$TARGET_DIR"
WASM_TARGET="$TARGET_DIR/wasm32-unknown-unknown/release"
BENCH_DIST="$TARGET_DIR/bench-dist"
BENCH_BUILD="$TARGET_DIR/bench-build"
TWIGGY_DIR="$TARGET_DIR/twiggy"
PEERS=tests/e2e/bench
mkdir -p "$BENCH_DIST" "$BENCH_BUILD" "$TWIGGY_DIR"

# True when `$1` is missing or any of the other paths holds a file newer than it.
stale() {
  local built=$1
  shift
  [[ ! -e "$built" ]] && return 0
  [[ -n "$(find "$@" -newer "$built" -type f ! -name 'bench_exports.rs' -print -quit 2>/dev/null)" ]]
}

APP_SOURCES=(src Cargo.toml Cargo.lock index.html style public)
if [[ -f scripts/sample.sh ]]; then
  # shellcheck source=/dev/null
  source scripts/sample.sh
  charter_sample
  APP_SOURCES+=(sample)
fi

app_wasm="$(ls dist/*.wasm 2>/dev/null | head -n 1 || true)"
if [[ "${BENCH_REBUILD:-}" == 1 || ! -f dist/index.html || -z "$app_wasm" ]] || stale "$app_wasm" "${APP_SOURCES[@]}"; then
  charter_doing "building the app (trunk build --release)"
  trunk build --release
else
  charter_ok "dist/ is newer than its sources (BENCH_REBUILD=1 rebuilds it)"
fi
charter_doing "building the relay (cargo build --release -p charter-relay)"
cargo build --release -p charter-relay

# Cargo copies (hard-links) each wasm it builds to $WASM_TARGET/charter.wasm, where Trunk reads
# the app's: keep that file as it was, and take ours from that path at once.
keep_uplift() { [[ -e "$WASM_TARGET/charter.wasm" ]] && ln -f "$WASM_TARGET/charter.wasm" "$BENCH_BUILD/uplift.wasm" || true; }
restore_uplift() { [[ -e "$BENCH_BUILD/uplift.wasm" ]] && ln -f "$BENCH_BUILD/uplift.wasm" "$WASM_TARGET/charter.wasm" || true; }

# The benchmark exports: the library alone (no UI) as a cdylib, the release profile.
charter_doing "building the benchmark exports (cargo rustc --lib --crate-type cdylib --features bench-exports)"
keep_uplift
cargo rustc --release --target wasm32-unknown-unknown --lib -p charter \
  --features bench-exports --crate-type cdylib
cp "$WASM_TARGET/deps/charter.wasm" "$BENCH_BUILD/charter_bench.new.wasm"
restore_uplift
if ! cmp -s "$BENCH_BUILD/charter_bench.new.wasm" "$BENCH_BUILD/charter_bench.wasm" ||
  [[ ! -f "$BENCH_DIST/charter_bench_bg.wasm" ]]; then
  mv "$BENCH_BUILD/charter_bench.new.wasm" "$BENCH_BUILD/charter_bench.wasm"
  wasm-bindgen --target web --out-dir "$BENCH_DIST" --out-name charter_bench "$BENCH_BUILD/charter_bench.wasm"
  grep -q 'bench_charter_keystrokes' "$BENCH_DIST/charter_bench.js" ||
    charter_die "the benchmark wasm has no bench exports: was $WASM_TARGET/deps/charter.wasm overwritten meanwhile?"
  charter_doing "wasm-opt -O1 on the benchmark wasm (as Trunk does for the app)"
  wasm-opt -O1 --enable-bulk-memory --enable-nontrapping-float-to-int --enable-reference-types \
    --enable-sign-ext --enable-mutable-globals \
    -o "$BENCH_DIST/charter_bench_bg.wasm" "$BENCH_DIST/charter_bench_bg.wasm"
else
  rm -f "$BENCH_BUILD/charter_bench.new.wasm"
  charter_ok "benchmark wasm unchanged"
fi

# The app's wasm before wasm-opt, names kept, for twiggy.
charter_doing "building the app's wasm for twiggy (cargo build --release --target wasm32-unknown-unknown --bin charter)"
cargo build --release --target wasm32-unknown-unknown --bin charter
cp "$WASM_TARGET/charter.wasm" "$TWIGGY_DIR/charter.wasm"
wasm-bindgen --target web --out-dir "$TWIGGY_DIR" "$TWIGGY_DIR/charter.wasm"

# The peers (npm @automerge/automerge, yjs) and the comparison page.
if [[ ! -f "$PEERS/node_modules/.package-lock.json" || "$PEERS/package-lock.json" -nt "$PEERS/node_modules/.package-lock.json" ]]; then
  charter_doing "installing the benchmark's npm packages ($PEERS: npm ci)"
  npm ci --prefix "$PEERS" --no-audit --no-fund
fi
"$PEERS/node_modules/.bin/esbuild" "$PEERS/compare-page.mjs" --bundle --format=esm \
  --external:./charter_bench.js --log-level=warning --outfile="$BENCH_DIST/compare.js"
cp "$PEERS/compare.html" "$BENCH_DIST/compare.html"
cp "$PEERS/node_modules/@automerge/automerge/dist/automerge.wasm" "$BENCH_DIST/automerge.wasm"
workspace=""
for candidate in sample/three-year.automerge dist/samples/three-year.automerge \
  "$TARGET_DIR/charter-bench/three-year-7-1-1780000000000.automerge"; do
  if [[ -f "$candidate" ]]; then
    workspace=$candidate
    break
  fi
done
rm -f "$BENCH_DIST/three-year.automerge"
if [[ -n "$workspace" ]]; then
  cp "$workspace" "$BENCH_DIST/three-year.automerge"
  charter_ok "comparison page uses $workspace"
else
  charter_doing "no three-year workspace file: the comparison skips its load (cargo run --release --example bench_workspace 1 makes one)"
fi

# The run serves and measures a copy of dist/, so a build meanwhile cannot mix two builds.
rm -rf "$TARGET_DIR/bench-app-dist"
cp -a dist "$TARGET_DIR/bench-app-dist"

charter_doing "measuring (a few minutes)"
BENCH_APP_DIST="$TARGET_DIR/bench-app-dist" BENCH_COMPARE_DIR="$BENCH_DIST" BENCH_TWIGGY_WASM="$TWIGGY_DIR/charter_bg.wasm" \
  BENCH_OUT="${BENCH_OUT:-docs/benchmarks/browser.md}" node "$PEERS/browser.mjs"
