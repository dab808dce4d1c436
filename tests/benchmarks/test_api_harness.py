"""The API benchmark harness itself, on a tiny store and short runs (the full benchmark is `python benchmarks/api.py`)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_harness_serves_and_measures_a_tiny_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))
    for name in ("api", "store", "results_file"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    import api

    monkeypatch.setattr(api, "RESULTS_JSON", tmp_path / "api.json")
    db = tmp_path / "bench.db"
    # no cdt_ddt under --data: the generator fills with its own sentences
    args = ["--records", "60", "--db", str(db), "--seconds", "0.3", "--clients", "1,2", "--warmup", "1", "--data", str(tmp_path), "--no-write"]
    assert api.main(args) == 0
    out = capsys.readouterr().out
    assert "<!-- api:start -->" in out and "requests/s" in out
    rows = [line for line in out.splitlines() if line.startswith("| ") and "`{" in line]
    assert len(rows) == 2 * len(api.QUERIES)
    again = ["--records", "60", "--db", str(db), "--seconds", "0.1", "--clients", "1", "--warmup", "1", "--data", str(tmp_path), "--no-write"]
    assert api.main(again) == 0  # the store is reused, not rebuilt
    assert "reusing" in capsys.readouterr().err
    assert not (tmp_path / "api.json").exists()  # --no-write
