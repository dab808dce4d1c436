#!/usr/bin/env bash
# Install Debian's chromium for the browser tests of the web UI (tests/web/test_browser.py), when it is missing.
# Playwright drives it through executable_path=/usr/bin/chromium; `playwright install` (which downloads its own
# browser builds) is never used. Non-interactive; uses sudo when not root. Exit 0 when chromium is there afterwards.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
    echo "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo present) at /usr/bin/chromium"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "chromium.sh: no apt-get here; install chromium at /usr/bin/chromium by other means (the browser tests skip without it)" >&2
    exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "chromium.sh: not root and no sudo: cannot install chromium" >&2
        exit 1
    fi
    SUDO="sudo -n"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
echo "chromium: $(/usr/bin/chromium --version 2>/dev/null) installed at /usr/bin/chromium"
