#!/usr/bin/env bash
# Installs what building and testing Charter needs, skipping what is already there.
#
#   bash scripts/setup.sh      install; then put .tools/node_modules/.bin on your PATH
#   source scripts/setup.sh    same, and keeps that PATH (run.sh and test.sh do this)
#
# Pinned versions: trunk 0.21.14 (0.22 needs a newer rustc); wasm-bindgen-cli =
# Cargo.lock's wasm-bindgen (= Trunk.toml's [tools] wasm_bindgen); wasm-opt from
# npm binaryen 132 (Debian's 108 breaks the page); Debian's chromium and
# chromium-driver (Playwright's own browser download cannot work here).
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CHARTER_TRUNK_VERSION="0.21.14"
CHARTER_BINARYEN_VERSION="132.0.0"
CHARTER_APT_PACKAGES=(chromium chromium-driver brotli)
CHARTER_SETUP_LOGS="$CHARTER_ROOT/.tools/logs"

# Runs an install command with its output in a log, which is shown if it fails.
charter_install() {
  local name=$1
  shift
  mkdir -p "$CHARTER_SETUP_LOGS"
  local log="$CHARTER_SETUP_LOGS/$name.log"
  if ! "$@" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    charter_die "installing $name failed: $* (full log: $log)"
  fi
}

# Prints the version of a Debian package, or nothing when it is not installed.
charter_deb_version() {
  # dpkg-query fails for a package it has never heard of: that is "not installed" too.
  { dpkg-query -W -f='${Status} ${Version}\n' "$1" 2>/dev/null || true; } |
    awk '$1 == "install" && $3 == "installed" { print $4 }'
}

charter_setup_rust() {
  command -v cargo >/dev/null && command -v rustup >/dev/null ||
    charter_die "cargo and rustup are needed (the machine's Rust toolchain); neither was found on PATH"

  local targets
  targets="$(rustup target list --installed)"
  if grep -qx 'wasm32-unknown-unknown' <<<"$targets"; then
    charter_ok "rust target wasm32-unknown-unknown"
  else
    charter_doing "installing rust target wasm32-unknown-unknown"
    charter_install rustup-target rustup target add wasm32-unknown-unknown
  fi

  local installed component
  installed="$(rustup component list --installed)"
  for component in rustfmt clippy; do
    if grep -q "^$component" <<<"$installed"; then
      charter_ok "rust component $component"
    else
      charter_doing "installing rust component $component"
      charter_install "rustup-$component" rustup component add "$component"
    fi
  done
}

charter_setup_trunk() {
  local have
  have="$(trunk --version 2>/dev/null | awk '{ print $2 }' || true)"
  if [[ "$have" == "$CHARTER_TRUNK_VERSION" ]]; then
    charter_ok "trunk $have"
  else
    charter_doing "installing trunk $CHARTER_TRUNK_VERSION${have:+ (found $have)} (8 to 16 minutes the first time)"
    charter_install trunk cargo install --locked --force trunk --version "$CHARTER_TRUNK_VERSION"
    have="$(trunk --version | awk '{ print $2 }')"
    [[ "$have" == "$CHARTER_TRUNK_VERSION" ]] ||
      charter_die "trunk $CHARTER_TRUNK_VERSION was installed but \`trunk --version\` says $have: is another trunk earlier on PATH ($(command -v trunk))?"
    charter_ok "trunk $have"
  fi
}

charter_setup_wasm_bindgen() {
  local want pinned have runner
  want="$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/"/, "", $3); print $3; exit }' \
    "$CHARTER_ROOT/Cargo.lock")"
  [[ -n "$want" ]] || charter_die "Cargo.lock names no wasm-bindgen version: run \`cargo generate-lockfile\`"
  pinned="$(sed -n 's/^wasm_bindgen *= *"\(.*\)".*/\1/p' "$CHARTER_ROOT/Trunk.toml")"
  [[ "$pinned" == "$want" ]] ||
    charter_die "Trunk.toml pins wasm_bindgen = \"$pinned\" but Cargo.lock has wasm-bindgen $want: make them equal"

  have="$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)"
  runner="$(wasm-bindgen-test-runner --version 2>/dev/null | awk '{ print $2 }' || true)"
  if [[ "$have" == "$want" && "$runner" == "$want" ]]; then
    charter_ok "wasm-bindgen-cli $have"
  else
    charter_doing "installing wasm-bindgen-cli $want${have:+ (found $have)} (about 3 minutes)"
    # Without --locked: its lock file pins a webpki-roots that the registry here lacks.
    charter_install wasm-bindgen-cli cargo install --force wasm-bindgen-cli --version "$want"
    have="$(wasm-bindgen --version | awk '{ print $2 }')"
    [[ "$have" == "$want" ]] ||
      charter_die "wasm-bindgen-cli $want was installed but \`wasm-bindgen --version\` says $have: is another one earlier on PATH ($(command -v wasm-bindgen))?"
    charter_ok "wasm-bindgen-cli $have"
  fi
}

charter_setup_wasm_opt() {
  local want="${CHARTER_BINARYEN_VERSION%%.*}" wasm_opt="$CHARTER_ROOT/.tools/node_modules/.bin/wasm-opt" have
  have="$("$wasm_opt" --version 2>/dev/null | awk '{ print $3 }' || true)"
  if [[ "$have" == "$want" ]]; then
    charter_ok "wasm-opt $have (npm binaryen, in .tools/)"
  else
    charter_doing "installing wasm-opt $want (npm binaryen $CHARTER_BINARYEN_VERSION) into .tools/"
    mkdir -p "$CHARTER_ROOT/.tools"
    charter_install binaryen npm install --prefix "$CHARTER_ROOT/.tools" --no-save --no-package-lock \
      --no-audit --no-fund "binaryen@$CHARTER_BINARYEN_VERSION"
    have="$("$wasm_opt" --version | awk '{ print $3 }')"
    [[ "$have" == "$want" ]] || charter_die "npm binaryen installed a wasm-opt that says version $have, not $want"
    charter_ok "wasm-opt $have (npm binaryen, in .tools/)"
  fi
  [[ "$(command -v wasm-opt)" == "$wasm_opt" ]] ||
    charter_die "another wasm-opt comes first on PATH: $(command -v wasm-opt)"
}

charter_setup_debian() {
  local missing=() pkg version
  for pkg in "${CHARTER_APT_PACKAGES[@]}"; do
    version="$(charter_deb_version "$pkg")"
    if [[ -n "$version" ]]; then
      charter_ok "$pkg $version"
    else
      missing+=("$pkg")
    fi
  done
  ((${#missing[@]} == 0)) && return 0

  local sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null || charter_die "installing ${missing[*]} needs root: run \`apt-get install ${missing[*]}\` as root"
    sudo=(sudo)
  fi
  charter_doing "installing ${missing[*]} with apt-get (a minute or two)"
  local apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600)
  charter_install apt-update "${apt[@]}" update
  charter_install apt-install "${apt[@]}" install -y "${missing[@]}"
  for pkg in "${missing[@]}"; do
    version="$(charter_deb_version "$pkg")"
    [[ -n "$version" ]] || charter_die "apt-get finished but $pkg is not installed"
    charter_ok "$pkg $version"
  done
}

charter_setup_e2e() {
  command -v npm >/dev/null || charter_die "npm is needed (Node.js 20 or newer) and was not found on PATH"
  local node_major
  node_major="$(node --version | sed 's/^v\([0-9]*\).*/\1/')"
  ((node_major >= 20)) || charter_die "Playwright needs Node.js 20 or newer; this is $(node --version)"

  local e2e="$CHARTER_ROOT/tests/e2e"
  local stamp="$e2e/node_modules/.package-lock.json"
  if [[ -f "$stamp" && ! "$e2e/package-lock.json" -nt "$stamp" && ! "$e2e/package.json" -nt "$stamp" ]]; then
    charter_ok "tests/e2e npm packages (Playwright $(charter_playwright_version "$e2e"))"
  else
    charter_doing "installing tests/e2e npm packages (npm ci)"
    charter_install e2e-npm-ci npm ci --prefix "$e2e" --no-audit --no-fund
    charter_ok "tests/e2e npm packages (Playwright $(charter_playwright_version "$e2e"))"
  fi
}

charter_playwright_version() {
  sed -n 's/^ *"version": *"\(.*\)".*/\1/p' "$1/node_modules/@playwright/test/package.json" | head -n 1
}

charter_setup_rust
charter_setup_trunk
charter_setup_wasm_bindgen
charter_setup_wasm_opt
charter_setup_debian
charter_setup_e2e

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  printf 'Ready. For trunk by hand, first: export PATH="%s:$PATH"\n' "$CHARTER_ROOT/.tools/node_modules/.bin"
fi
