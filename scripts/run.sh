#!/usr/bin/env bash
# Builds Charter and serves it: bash scripts/run.sh
# CHARTER_PORT (default 8080) and CHARTER_BIND (default 127.0.0.1) choose the address.
set -euo pipefail

# shellcheck source=scripts/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$CHARTER_ROOT"

source scripts/sample.sh
charter_sample
echo "▶ building the app (trunk build --release)"
trunk build --release
echo "▶ building the relay (cargo build --release -p charter-relay)"
cargo build --release -p charter-relay

export CHARTER_PORT="${CHARTER_PORT:-8080}"
echo "▶ serving dist/ on port $CHARTER_PORT (Ctrl-C stops it)"
exec "$(charter_target_dir)/release/charter-relay" --port "$CHARTER_PORT" --dist dist
