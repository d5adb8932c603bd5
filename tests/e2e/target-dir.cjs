// Where Cargo puts what it builds (target/ unless CARGO_TARGET_DIR or build.target-dir says
// otherwise), so the relay the journeys and benchmarks start is the one just built.
// CHARTER_TARGET_DIR, set by scripts/test.sh and scripts/bench-browser.sh, saves asking Cargo again.
'use strict';
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');

/** Cargo's target directory, absolute. */
function targetDir() {
  if (process.env.CHARTER_TARGET_DIR) {
    return path.resolve(ROOT, process.env.CHARTER_TARGET_DIR);
  }
  const metadata = execFileSync('cargo', ['metadata', '--format-version', '1', '--no-deps'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(metadata).target_directory;
}

/** The release build of the relay. */
function relayBinary() {
  return path.join(targetDir(), 'release', 'charter-relay');
}

exports.targetDir = targetDir;
exports.relayBinary = relayBinary;
