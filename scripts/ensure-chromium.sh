#!/usr/bin/env bash
# Makes Debian's Chromium available for the browser tests and `npm run screenshots` (playwright-core drives it;
# no browser is downloaded from anywhere else). Installs it with apt-get when missing and this user may (root,
# or password-less sudo). Exits non-zero, saying why, when it cannot: the browser suite then skips itself.
set -uo pipefail
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$chromium" ] && exit 0
if [ -n "${CHROMIUM_PATH:-}" ]; then
  echo "› CHROMIUM_PATH=$chromium is not an executable file" >&2
  exit 1
fi
if command -v apt-get >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; fi
  if [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; then
    echo "› installing Chromium from Debian's packages (apt-get install chromium; once) …"
    if $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null; then
      [ -x "$chromium" ] && exit 0
    fi
  fi
fi
echo "› Chromium is not installed and could not be installed here (it needs Debian's apt-get as root): install the chromium package, or set CHROMIUM_PATH" >&2
exit 1
