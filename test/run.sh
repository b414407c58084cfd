#!/usr/bin/env bash
# `npm test`: typecheck, lint and format check (any finding fails), build the app (main, preload, renderer), then
# every Vitest suite (unit, integration, the shell smoke suite, Chromium end to end, Electron wiring, Electronegativity). On Linux the suites run
# inside a private D-Bus session with a fresh, unlocked GNOME Keyring, so the
# keychain tests use a real Secret Service and never touch the user's own.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "$(uname -s)" == "Linux" && -z "${VTD_KEYRING_READY:-}" ]]; then
  if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
    exec dbus-run-session --config-file="$PWD/test/dbus-session.conf" -- bash test/with-keyring.sh bash test/run.sh "$@"
  fi
  echo "note: dbus-run-session or gnome-keyring-daemon is missing; keychain suites will report themselves skipped (apt-get install gnome-keyring dbus libsecret-tools)." >&2
fi

# better-sqlite3 and @napi-rs/keyring are Node-API 10 addons; an older Node crashes on them mid-suite.
if ! node -e 'process.exit(Number(process.versions.napi) >= 10 ? 0 : 1)'; then
  echo "error: the tests need Node.js 22.14 or later; this is $(node --version). Use Node 24 (.nvmrc), the major Electron embeds." >&2
  exit 1
fi

echo "== typecheck"
npx tsc -b

echo "== lint"
npm run --silent lint

echo "== build main, preload and renderer (electron-vite, as npm start and the packaged app do)"
npx electron-vite build -c electron/electron.vite.config.ts --logLevel warn

echo "== tests"
mkdir -p test-results
status=0
npx vitest run -c test/vitest.config.mts --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@" || status=$?
node test/summary.mjs test-results/vitest.json || status=1
exit "$status"
