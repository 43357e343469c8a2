#!/usr/bin/env bash
# `npm run bench`: micro-benchmarks of the pack's hot paths on the compiled modules in dist/.
# Prints figures only (never asserts timings). Node 24 comes from scripts/with-node24.sh (see package.json).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/ensure-deps.sh
echo "› build"; npm run --silent build
echo "› bench (Node $(node --version))"
node scripts/bench.js
