# Checks that the scripts and the journeys find Cargo's target directory wherever a
# person's configuration puts it (CARGO_TARGET_DIR, build.target-dir): sourced by test.sh
# in its first step, after setup.sh.

charter_check_target_dir() {
  local custom got expected
  custom="$(mktemp -d)"
  got="$(CARGO_TARGET_DIR="$custom" charter_target_dir)"
  [[ "$got" == "$custom" ]] ||
    charter_die "with CARGO_TARGET_DIR=$custom the scripts looked in $got"
  got="$(CARGO_BUILD_TARGET_DIR="$custom/from-config" charter_target_dir)"
  [[ "$got" == "$custom/from-config" ]] ||
    charter_die "with build.target-dir=$custom/from-config the scripts looked in $got"
  expected="$custom/release/charter-relay"
  got="$(cd "$CHARTER_ROOT/tests/e2e" && CHARTER_TARGET_DIR='' CARGO_TARGET_DIR="$custom" \
    node -e 'import("./target-dir.cjs").then((m) => process.stdout.write(m.relayBinary()))')"
  [[ "$got" == "$expected" ]] ||
    charter_die "with CARGO_TARGET_DIR=$custom the journeys would start $got, not $expected"
  rmdir "$custom"
  charter_ok "a custom Cargo target directory is found by the scripts and the journeys"
}
