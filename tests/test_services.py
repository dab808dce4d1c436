"""The test services of tests/conftest.py: a missing PostgreSQL server skips its tests, unless the run requires it (CI)."""

from __future__ import annotations

import pytest

from tests.conftest import _missing_service


def test_a_missing_service_skips_unless_the_run_requires_services(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KILDE_REQUIRE_SERVICES", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no PostgreSQL server"):
        _missing_service("no PostgreSQL server")
    monkeypatch.setenv("KILDE_REQUIRE_SERVICES", "1")
    with pytest.raises(pytest.fail.Exception, match=r"no PostgreSQL server.*KILDE_REQUIRE_SERVICES=1"):
        _missing_service("no PostgreSQL server")
