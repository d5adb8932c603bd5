#!/usr/bin/env bash
# Runs every test of Charter, stopping at the first failure: bash scripts/test.sh
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CHARTER_ROOT"

CHARTER_STEPS=(
  "setup (and a custom Cargo target directory is found)"
  "format (cargo fmt --check)"
  "lint native (cargo clippy)"
  "lint wasm (cargo clippy --target wasm32)"
  "native tests (cargo test)"
  "browser tests (wasm-bindgen-test in headless Chromium)"
  "app build (three-year sample, trunk build --release)"
  "relay build (cargo build --release)"
  "end-to-end tests (Playwright)"
)
charter_step=0
charter_step_started=$SECONDS
charter_durations=()

charter_begin() {
  charter_step=$((charter_step + 1))
  charter_step_started=$SECONDS
  printf '\n━━ %d/%d %s ━━\n' "$charter_step" "${#CHARTER_STEPS[@]}" "${CHARTER_STEPS[charter_step - 1]}"
}

charter_end() {
  charter_durations+=("$((SECONDS - charter_step_started))")
}

charter_summary() {
  local i
  echo
  echo "Step durations:"
  for i in "${!charter_durations[@]}"; do
    printf '  %5ss  %s\n' "${charter_durations[i]}" "${CHARTER_STEPS[i]}"
  done
  printf '  %5ss  total\n' "$SECONDS"
}

charter_on_exit() {
  local rc=$?
  if ((rc != 0)); then
    if ((charter_step > ${#charter_durations[@]})); then
      charter_durations+=("$((SECONDS - charter_step_started))")
    fi
    charter_summary
    printf '\n✗ FAILED at step %d/%d: %s (exit code %d)\n' "$charter_step" "${#CHARTER_STEPS[@]}" \
      "${CHARTER_STEPS[charter_step - 1]:-before the first step}" "$rc" >&2
  fi
}
trap charter_on_exit EXIT

# Raw, gzip -9 and brotli sizes of what the browser downloads.
charter_report_sizes() {
  local file
  printf '\n%-40s %12s %12s %12s\n' "dist/" "raw" "gzip -9" "brotli"
  for file in dist/*.wasm dist/*.js dist/*.css; do
    [[ -f "$file" ]] || continue
    printf '%-40s %12d %12d %12d\n' "${file#dist/}" "$(stat -c %s "$file")" \
      "$(gzip -9 -c "$file" | wc -c)" "$(brotli -q 11 -c "$file" | wc -c)"
  done
}

charter_begin
# shellcheck source=scripts/setup.sh
source scripts/setup.sh
source scripts/check-target-dir.sh
charter_check_target_dir
# The journeys start the relay from Cargo's target directory (tests/e2e/target-dir.cjs).
CHARTER_TARGET_DIR="$(charter_target_dir)"
export CHARTER_TARGET_DIR
charter_end

charter_begin
cargo fmt --all --check
charter_end

charter_begin
cargo clippy --workspace --all-targets -- -D warnings
charter_end

charter_begin
cargo clippy -p charter --target wasm32-unknown-unknown --all-targets -- -D warnings
charter_end

charter_begin
cargo test --workspace
charter_end

charter_begin
# The runner (.cargo/config.toml) drives Debian's chromedriver and Chromium with the
# flags in webdriver.json; a loaded 2-core machine needs more than its 5 s/20 s defaults.
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="$CHARTER_ROOT/webdriver.json"
export WASM_BINDGEN_TEST_DRIVER_TIMEOUT="${WASM_BINDGEN_TEST_DRIVER_TIMEOUT:-30}"
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"
cargo test -p charter --target wasm32-unknown-unknown
charter_end

charter_begin
source scripts/sample.sh
charter_sample
trunk build --release
charter_report_sizes
charter_end

charter_begin
cargo build --release -p charter-relay
charter_end

charter_begin
(
  cd tests/e2e
  npx --no-install tsc --noEmit
  npx --no-install playwright test
)
charter_end

charter_summary
printf '\n✓ all %d steps passed\n' "${#CHARTER_STEPS[@]}"
