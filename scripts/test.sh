#!/usr/bin/env bash
# Install what the tests need and run them (the README's test command; .ci/run runs it in a fresh virtualenv):
#   - Debian's PostgreSQL server (team-store tests) and chromium (web UI tests in a real browser), with apt-get
#     when missing (sudo when not root) — scripts/postgres.sh and scripts/chromium.sh;
#   - Kilde with its test extras (pytest, hypothesis, the web extra, playwright, psycopg) and the distributed extra;
#   - pytest, with any arguments given here.
# The tests start their own throwaway PostgreSQL cluster and browser. With KILDE_REQUIRE_SERVICES=1 (CI sets it)
# a missing service fails the run instead of skipping those tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/postgres.sh install
bash scripts/chromium.sh
python -m pip install ".[test,distributed]"
python -m pytest "$@"
