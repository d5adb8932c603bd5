# Makes the three-year sample the start page offers (examples/three_year_sample.rs)
# in sample/three-year.automerge, which the app build copies to dist/samples/.
# Sourced by run.sh and test.sh after setup.sh; regenerates only when the
# generator's sources (src/workspace, the example, Cargo.lock) changed.

charter_sample() {
  local dir="$CHARTER_ROOT/sample" stamp_file="$CHARTER_ROOT/target/three-year-sample.stamp" stamp
  stamp="$(cat "$CHARTER_ROOT"/src/workspace/*.rs "$CHARTER_ROOT/examples/three_year_sample.rs" \
    "$CHARTER_ROOT/Cargo.lock" | sha256sum | cut -c1-16)"
  if [[ -f "$dir/three-year.automerge" && "$(cat "$stamp_file" 2>/dev/null)" == "$stamp" ]]; then
    charter_ok "three-year sample up to date"
    return
  fi
  charter_doing "generating the three-year sample (about two minutes the first time)"
  mkdir -p "$dir" "$(dirname "$stamp_file")"
  cargo run --quiet --release --example three_year_sample -- "$dir/three-year.automerge"
  echo "$stamp" >"$stamp_file"
}
