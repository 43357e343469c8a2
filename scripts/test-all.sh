#!/usr/bin/env bash
# The README's test command (`npm test`): install if needed, build, lint, unit tests, then the
# end-to-end suite against a real n8n, then the browser suite (Debian's Chromium, installed when missing). Runs under Node 24 (scripts/with-node24.sh brings it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/ensure-deps.sh
# The n8n runtimes install in the background meanwhile: 2.40 (every e2e file needs it; ~4–7 min from an empty
# folder) and, at the lowest CPU priority, 1.x (only test/e2e/n8n1x.test.ts, which runs late), so that 1.x neither
# delays 2.40 nor slows the first e2e files. Measured on a clean clone: both at normal priority at once, the first
# e2e files waited ~9 min for 2.40 (CI 26 min); one after the other, 1.x ran beside the heaviest e2e files and CI
# was no shorter. Each e2e file waits for its runtime (the installer's lock) and installs it itself if this failed.
mkdir -p .n8n-runtime-1x
setsid bash -c 'node scripts/install-n8n.js 2x > .n8n-runtime-1x/prefetch-2x.log 2>&1 & nice -n 19 node scripts/install-n8n.js 1x > .n8n-runtime-1x/prefetch.log 2>&1 & wait' &
prefetch=$!
trap 'kill -- -"$prefetch" 2>/dev/null || true' EXIT
echo "› build"; npm run --silent build
echo "› the built pack loads"; node scripts/check-pack-loads.js
if [ -n "${CHAT_CHECKOUT_HOST_NODE:-}" ] && [ "$CHAT_CHECKOUT_HOST_NODE" != "$(command -v node)" ]; then
  "$CHAT_CHECKOUT_HOST_NODE" scripts/check-pack-loads.js
fi
echo "› lint"; npm run --silent lint
# PostgreSQL and Redis (Debian packages): the unit tests of the Redis claims and the queue-mode e2e use them.
bash scripts/queue/ensure-services.sh
echo "› unit tests"; npx jest --ci
if [ -d test/e2e ] && ls test/e2e/*.test.* >/dev/null 2>&1; then
  echo "› end-to-end tests (real n8n)"; npx jest --ci --config test/e2e/jest.config.js
fi
echo "› browser tests (the sandbox's chat page in Chromium, against a real n8n)"
bash scripts/ensure-chromium.sh || echo "  continuing: the browser suite skips itself and says why"
npx jest --ci --config test/browser/jest.config.js
