"""The NLP benchmark harness itself, on a tiny slice (the full benchmark is `python benchmarks/nlp.py`)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tests.conftest import SHARED

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.model


def load_harness():
    spec = importlib.util.spec_from_file_location("kilde_bench_nlp", ROOT / "benchmarks" / "nlp.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_harness_on_a_tiny_slice(model_nlp, capsys: pytest.CaptureFixture[str]) -> None:
    if not (SHARED / "data" / "dane").is_dir():
        pytest.skip(f"benchmark data not found under {SHARED / 'data'}")
    result = load_harness().main(["--split", "dev", "--limit", "20", "--no-write"])
    assert result["sentences"] == 20
    for key in ("pos_acc", "dep_uas", "dep_las", "lemma_acc", "ner_f"):
        assert 0 < result[key] <= 100, key
    assert result["speed"]["words_per_s"] > 0
    printed = capsys.readouterr().out
    assert "| NER micro F1 (DaNE) |" in printed and "DaCy large" in printed
