#!/usr/bin/env bash
# Starts a throwaway GNOME Keyring inside the current D-Bus session (the
# recipe from DEVELOPERS.md: fresh HOME and XDG_DATA_HOME, unlock with a
# password on stdin, start the secrets component), then runs "$@".
set -euo pipefail
keyring_home="$(mktemp -d)"
trap 'rm -rf "$keyring_home"' EXIT
mkdir -p "$keyring_home/data"
(
  export HOME="$keyring_home" XDG_DATA_HOME="$keyring_home/data"
  printf 'vtd-test-keyring' | gnome-keyring-daemon --unlock >/dev/null
  gnome-keyring-daemon --start --components=secrets >/dev/null
)
export VTD_KEYRING_READY=1
"$@"
