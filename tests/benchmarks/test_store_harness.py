"""The store benchmark harness on a tiny PostgreSQL store (the full benchmark: `python benchmarks/store.py --backend postgresql`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_harness_measures_the_postgres_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], postgres: Any) -> None:
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))
    for name in ("store", "results_file"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    import results_file
    import store

    monkeypatch.setattr(store, "PG_RESULTS_JSON", tmp_path / "store-postgres.json")
    monkeypatch.setattr(store, "RESULTS_JSON", tmp_path / "store.json")  # no SQLite results to compare with
    monkeypatch.setattr(results_file, "RESULTS_MD", tmp_path / "RESULTS.md")  # the committed RESULTS.md stays as it is
    # no cdt_ddt under --data: the generator fills with its own sentences
    prefix = postgres.schemas[0]  # the test's own schema names, dropped after it
    postgres.schemas.append(f"{prefix}_search")
    args = ["--backend", "postgresql", "--db", postgres.server, "--schema", prefix, "--records", "40", "--rounds", "1", "--texts", "0", "--data", str(tmp_path)]
    assert store.main(args) == 0
    out = capsys.readouterr().out
    assert "<!-- store-postgres:start -->" in out and "| **all** | 36 |" in out and "PostgreSQL 1" in out
    result = json.loads((tmp_path / "store-postgres.json").read_text(encoding="utf-8"))
    assert result["backend"] == "postgresql" and result["build"]["records"] == 40 and result["same_totals_as_sqlite"] is None
    assert result["search"]["matches"]["{}"] == 40  # the listing of everything counts every record
