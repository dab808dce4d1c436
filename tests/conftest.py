from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest
from spacy.language import Language

from kilde.nlp import load_pipeline, model_path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REFERENCE = SHARED / "examples" / "bakhmut-da.txt"
HERE = Path(__file__).parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/*.expected.json from current output")


@pytest.fixture(scope="session")
def rules_nlp() -> Language:
    return load_pipeline("rules")


@pytest.fixture(scope="session")
def model_nlp() -> Language:
    if not (model_path() / "config.cfg").is_file():
        pytest.skip("the trained Danish pipeline is not in kilde/models (run training/train.py)")
    return load_pipeline()


@pytest.fixture(scope="session")
def reference_text() -> str:
    if not REFERENCE.is_file():
        pytest.skip(f"reference article not found at {REFERENCE} (../shared is not beside the checkout)")
    return REFERENCE.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test writes the user's data directory (the default store lives there)."""
    monkeypatch.setenv("KILDE_DATA_DIR", str(tmp_path / "kilde-data"))


# -- services: a PostgreSQL server for the team store's tests ---------------------------------

POSTGRES_SCRIPT = HERE.parent / "scripts" / "postgres.sh"


def _missing_service(reason: str) -> NoReturn:
    """Skip, or fail when the run requires its services (KILDE_REQUIRE_SERVICES=1, as CI sets it)."""
    if os.environ.get("KILDE_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason} (KILDE_REQUIRE_SERVICES=1: a missing service is a failure)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The URL of a PostgreSQL server to test against: KILDE_TEST_POSTGRES_URL, else a throwaway one from scripts/postgres.sh.

    The tests create (and drop) a schema each, so the URL's user needs CREATE on its database.
    """
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _missing_service("psycopg is not installed (pip install 'kilde[postgres]')")
    url = os.environ.get("KILDE_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    if not glob.glob("/usr/lib/postgresql/*/bin/pg_ctl") and os.environ.get("KILDE_REQUIRE_SERVICES") != "1":
        _missing_service("no PostgreSQL server: set KILDE_TEST_POSTGRES_URL, or install one (scripts/postgres.sh DIR does, with apt-get)")
    # as root, the cluster belongs to the postgres user, who must reach the directory: /tmp, whatever TMPDIR says
    directory = tempfile.mkdtemp(prefix="kilde-pg-", dir="/tmp" if os.geteuid() == 0 and os.path.isdir("/tmp") else None)
    try:
        started = subprocess.run(["bash", str(POSTGRES_SCRIPT), "start", directory], capture_output=True, text=True, timeout=600, check=False)
        if started.returncode != 0:
            _missing_service(f"scripts/postgres.sh could not start a server: {started.stderr.strip()[-800:]}")
        yield started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run(["bash", str(POSTGRES_SCRIPT), "stop", directory], capture_output=True, timeout=120, check=False)
        shutil.rmtree(directory, ignore_errors=True)


class PostgresDatabases:
    """Fresh, empty places for stores on the test server: one schema per name, dropped after the test."""

    def __init__(self, server: str) -> None:
        self.server, self.schemas = server, [f"t_{uuid.uuid4().hex[:12]}"]

    def url(self, name: str = "main") -> str:
        """The URL of the store called ``name`` in this test (created empty on first use)."""
        import psycopg

        schema = f"{self.schemas[0]}_{name}"
        if schema not in self.schemas:
            with psycopg.connect(self.server, autocommit=True) as conn:
                conn.execute(f'CREATE SCHEMA "{schema}"')
            self.schemas.append(schema)
        return f"{self.server}{'&' if '?' in self.server else '?'}options=-csearch_path%3D{schema}"

    def drop(self) -> None:
        import psycopg

        with psycopg.connect(self.server, autocommit=True) as conn:
            for schema in self.schemas[1:]:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def postgres(postgres_server: str) -> Iterator[PostgresDatabases]:
    """Per-test stores on the PostgreSQL server (each its own schema), so tests never see each other's rows."""
    databases = PostgresDatabases(postgres_server)
    yield databases
    databases.drop()
