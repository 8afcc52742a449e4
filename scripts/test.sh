#!/usr/bin/env bash
# Install everything the tests need (system packages when run as root, then Python packages) and run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
command -v ssh >/dev/null 2>&1 || missing+=(openssh-client)
command -v ssh-keygen >/dev/null 2>&1 || missing+=(openssh-client)
command -v whiptail >/dev/null 2>&1 || missing+=(whiptail)
command -v dialog >/dev/null 2>&1 || missing+=(dialog)
# The SSH kiosk test runs the guide's `python3 -m venv` with the system's Python (as `sudo python3` would).
if [ -x /usr/bin/python3 ] && ! /usr/bin/python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  missing+=(python3-venv)
fi
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing system packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "warning: missing ${missing[*]} (not root or no apt-get): the real-terminal and browser tests will be skipped" >&2
  fi
fi

python3 -m pip install -q --disable-pip-version-check -e '.[test]'
# The SSH kiosk test runs docs/ssh-kiosk.md's `pip install` offline from these wheels: the runtime dependencies
# and the build backend (the tests themselves never reach the network).
python3 -m pip download -q --disable-pip-version-check --only-binary=:all: -d .wheelhouse \
  'attrs>=23.1' 'textual==8.2.8' 'rich==15.0.0' 'hatchling>=1.25'
python3 -m ruff check .
python3 -m mypy
python3 -m pytest -n auto "$@"
