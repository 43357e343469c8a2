#!/usr/bin/env bash
# `npm run start:queue`: install if needed, build, make sure PostgreSQL and Redis are installed, then the
# queue-mode sandbox (scripts/queue/start-queue.js).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bash scripts/ensure-deps.sh
echo "› build"; npm run --silent build
bash scripts/queue/ensure-services.sh
exec node scripts/queue/start-queue.js
