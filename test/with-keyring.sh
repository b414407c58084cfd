#!/usr/bin/env bash
# Starts a throwaway GNOME Keyring inside the current D-Bus session (fresh HOME and XDG_DATA_HOME,
# one daemon that is unlocked with a password on stdin and serves the secrets component), proves
# it stores and reads back a secret, then runs "$@".
#
# One daemon, not "--unlock" then "--start": with two, the locked one sometimes served the Secret
# Service and every keychain write of the run failed (about 1 fresh session in 4).
set -euo pipefail
keyring_home="$(mktemp -d)"
trap 'rm -rf "$keyring_home"' EXIT
mkdir -p "$keyring_home/data"
(
  export HOME="$keyring_home" XDG_DATA_HOME="$keyring_home/data"
  printf 'vtd-test-keyring' | gnome-keyring-daemon --daemonize --unlock --components=secrets >/dev/null 2>&1
)
# Probe only once our daemon owns the Secret Service name: a request before that could start
# another daemon on demand (where the bus allows activation), a locked one.
for _ in $(seq 1 50); do
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
    break
  fi
  sleep 0.2
done
if command -v secret-tool >/dev/null; then
  ready=""
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    if printf 'probe' | secret-tool store --label='vault-token-desk test probe' vtd-probe ready 2>/dev/null &&
      [ "$(secret-tool lookup vtd-probe ready 2>/dev/null)" = probe ]; then
      secret-tool clear vtd-probe ready 2>/dev/null || true
      ready=1
      break
    fi
    sleep 0.3
  done
  [ -n "$ready" ] || echo "note: the test keyring did not answer a store/lookup probe; keychain suites will say why they fail." >&2
fi
export VTD_KEYRING_READY=1
"$@"
