#!/usr/bin/env bash
# What `npm test` needs from Debian besides the program toolchain: Chromium for the dashboard's
# browser tests (playwright-core drives Debian's build, not a downloaded one) and PostgreSQL
# for the settler's multi-instance store. Idempotent: returns at once when both are present.
set -euo pipefail

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
[ ${#need_apt[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null; then
  echo "install-test-deps: missing ${need_apt[*]} and no apt-get here; install them with your package manager" >&2
  exit 1
fi
echo "install-test-deps: apt-get install ${need_apt[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
