#!/usr/bin/env bash
# `npm run bench`: micro-benchmarks of the pack's hot paths on the compiled modules in dist/, then the pack
# inside a real n8n (scripts/bench-n8n.js: ingress, conversation capacity, burst, footprint; about an hour on 2 cores,
# writes bench/results/latest.{json,md}). Prints figures only (never asserts timings).
# Node 24 comes from scripts/with-node24.sh (see package.json).
#   BENCH_N8N=0      micro-benchmarks only
#   BENCH_QUICK=1    real-n8n part with short rounds, steps and bursts (not the reference figures)
#   BENCH_SECTIONS=ingress,capacity,burst,footprint   (see the top of scripts/bench-n8n.js for the rest)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/ensure-deps.sh
echo "› build"; npm run --silent build
echo "› bench (Node $(node --version))"
node scripts/bench.js
if [ "${BENCH_N8N:-1}" != "0" ]; then
  echo "› bench in a real n8n (installs n8n into .n8n-runtime on the first run)"
  node scripts/bench-n8n.js
fi
