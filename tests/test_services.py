"""The test services: scripts/postgres.sh, and tests/conftest.py skipping the PostgreSQL tests without a server unless the run requires it (CI)."""

from __future__ import annotations

import glob
import os
import subprocess
import tempfile

import pytest

from tests.conftest import POSTGRES_SCRIPT, _missing_service


def test_a_missing_service_skips_unless_the_run_requires_services(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KILDE_REQUIRE_SERVICES", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no PostgreSQL server"):
        _missing_service("no PostgreSQL server")
    monkeypatch.setenv("KILDE_REQUIRE_SERVICES", "1")
    with pytest.raises(pytest.fail.Exception, match=r"no PostgreSQL server.*KILDE_REQUIRE_SERVICES=1"):
        _missing_service("no PostgreSQL server")


def test_the_postgres_script_starts_once_and_stops() -> None:
    """scripts/postgres.sh: a second start finds the running server (same URL), url prints it, stop stops it."""
    if not glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"):
        _missing_service("no PostgreSQL server binaries (scripts/postgres.sh installs them with apt-get)")
    psycopg = pytest.importorskip("psycopg")
    directory = tempfile.mkdtemp(prefix="kilde-pg-script-", dir="/tmp" if os.geteuid() == 0 else None)

    def script(*args: str) -> str:
        done = subprocess.run(["bash", str(POSTGRES_SCRIPT), *args, directory], capture_output=True, text=True, timeout=300, check=True)
        return done.stdout.strip()

    try:
        url = script("start")
        assert url.startswith("postgresql://kilde:") and url.endswith("/kilde")
        assert script("start") == script("url") == url  # already running: the same server
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT current_user, current_database()").fetchone() == ("kilde", "kilde")
        no_password = url.split(":", 2)[0] + "://kilde:wrong@" + url.split("@", 1)[1]
        with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
            psycopg.connect(no_password)
        script("stop")
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(url, connect_timeout=5)
    finally:
        subprocess.run(["bash", str(POSTGRES_SCRIPT), "stop", directory], capture_output=True, timeout=120, check=False)
        subprocess.run(["rm", "-rf", directory], check=False)
