#!/usr/bin/env bash
# `npm test`: typecheck, lint and format check (any finding fails), build the renderer, then every Vitest suite (unit,
# integration, Chromium end to end, Electron wiring). On Linux the suites run
# inside a private D-Bus session with a fresh, unlocked GNOME Keyring, so the
# keychain tests use a real Secret Service and never touch the user's own.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "$(uname -s)" == "Linux" && -z "${VTD_KEYRING_READY:-}" ]]; then
  if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
    exec dbus-run-session -- bash test/with-keyring.sh bash test/run.sh "$@"
  fi
  echo "note: dbus-run-session or gnome-keyring-daemon is missing; keychain suites will report themselves skipped (apt-get install gnome-keyring dbus libsecret-tools)." >&2
fi

echo "== typecheck"
npx tsc -b

echo "== lint"
npm run --silent lint

echo "== build renderer"
npx vite build -c renderer/vite.config.mts --logLevel warn

echo "== tests"
mkdir -p test-results
status=0
npx vitest run -c test/vitest.config.mts --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@" || status=$?
node test/summary.mjs test-results/vitest.json || status=1
exit "$status"
