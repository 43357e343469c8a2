#!/usr/bin/env bash
# Installs the two servers n8n's queue mode needs (and openssl), from Debian's packages, when missing:
# PostgreSQL (n8n's database, so also its Data Tables) and Redis (the job queue). Neither is started
# here: the queue harness (tools/n8n/queue/) starts a throwaway cluster and a throwaway Redis on
# free loopback ports and stops them again. A fresh CI machine has neither, so `.ci/run` → `npm test`
# reaches this script before the queue-mode tests.
set -euo pipefail
need=()
pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ] || [ ! -x "$pg_bin/pg_ctl" ]; then need+=(postgresql); fi
if ! command -v redis-server >/dev/null 2>&1; then need+=(redis-server); fi
# The unit tests of the pack's Redis claims make a throwaway TLS certificate with it.
if ! command -v openssl >/dev/null 2>&1; then need+=(openssl); fi
if [ "${#need[@]}" -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "queue mode needs ${need[*]} (Debian packages); install them (sudo apt-get install -y ${need[*]}) and re-run." >&2
  exit 1
fi
echo "› installing ${need[*]} from Debian's packages (once) …" >&2
# Another apt run on the machine holds the lock for a while: wait for it instead of failing.
apt_get() { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@"; }
if ! apt_get install -y --no-install-recommends "${need[@]}" >/dev/null; then
  apt_get update >/dev/null
  apt_get install -y --no-install-recommends "${need[@]}" >/dev/null
fi
# Debian's postinst may start a default cluster/server where an init system exists; this harness
# never uses them (own clusters on own ports), so nothing else is touched.
