#!/usr/bin/env bash
# Installs the dev dependencies from the lockfile when they are missing or older than it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
marker=node_modules/.package-lock.json
if [ ! -f "$marker" ] || [ package-lock.json -nt "$marker" ]; then
  echo "› npm ci (dev dependencies, Node $(node --version))"
  npm ci --no-audit --no-fund --loglevel=error
fi
