#!/usr/bin/env bash
# The README's main job (`npm start`): install if needed, build, then run the sandbox (scripts/sandbox.js).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/ensure-deps.sh
echo "› build"; npm run --silent build
exec node scripts/sandbox.js "$@"
