#!/usr/bin/env bash
# `npm run bench`. On Linux inside a private D-Bus session with a throwaway GNOME Keyring, as `npm test`
# runs (test/run.sh), so that the CLI benchmark reads its passwords from a real keychain.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ "$(uname -s)" == "Linux" && -z "${VTD_KEYRING_READY:-}" ]]; then
  exec dbus-run-session --config-file="$PWD/test/dbus-session.conf" -- bash test/with-keyring.sh bash test/bench/run.sh "$@"
fi
npx electron-vite build -c electron/electron.vite.config.ts --logLevel warn
npm run --silent build:cli
exec npx tsx test/bench/run.ts "$@"
