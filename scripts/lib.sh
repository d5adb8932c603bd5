# Shared by setup.sh, run.sh and test.sh; sourced, never run.

# The repository root, whatever the caller's working directory.
CHARTER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CHARTER_ROOT

# Tools that setup.sh installs into the project, and cargo's own bin folder on
# machines whose login shell never sourced ~/.cargo/env.
case ":$PATH:" in
  *":$CHARTER_ROOT/.tools/node_modules/.bin:"*) ;;
  *) PATH="$CHARTER_ROOT/.tools/node_modules/.bin:$PATH" ;;
esac
if [[ -d "$HOME/.cargo/bin" ]]; then
  case ":$PATH:" in
    *":$HOME/.cargo/bin:"*) ;;
    *) PATH="$PATH:$HOME/.cargo/bin" ;;
  esac
fi
export PATH

# Playwright's browser download cannot work here: Debian's Chromium is used instead.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

charter_ok() { printf '✓ %s\n' "$*"; }
charter_doing() { printf '… %s\n' "$*"; }
charter_die() {
  printf '✗ %s\n' "$*" >&2
  exit 1
}

# Cargo's target directory: target/ unless CARGO_TARGET_DIR or Cargo's own
# configuration (build.target-dir) puts it elsewhere. Cargo says where.
charter_target_dir() {
  local json
  json="$(cd "$CHARTER_ROOT" && cargo metadata --format-version 1 --no-deps)" ||
    charter_die "cargo metadata failed: cannot tell where Cargo puts what it builds"
  node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).target_directory)' <<<"$json"
}
