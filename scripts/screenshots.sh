#!/usr/bin/env bash
# `npm run screenshots`: the README's pictures (docs/images/*.png) from a fresh sandbox in Debian's Chromium.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/ensure-deps.sh
echo "› build"; npm run --silent build
bash scripts/ensure-chromium.sh
exec node scripts/screenshots.js
