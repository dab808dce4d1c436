"""Pieces of the places/times/events benchmark (`python benchmarks/geo.py`) that can be checked without its data."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_harness():
    sys.path.insert(0, str(ROOT / "benchmarks"))  # geo.py imports results_file from beside it
    spec = importlib.util.spec_from_file_location("kilde_bench_geo", ROOT / "benchmarks" / "geo.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bootstrap_interval_of_pooled_f1() -> None:
    geo = load_harness()
    assert geo.bootstrap_f1([]) == [0.0, 0.0]
    assert geo.bootstrap_f1([(2, 4, 4)] * 10) == [0.5, 0.5]  # every resample is the same: no spread
    documents = [(1, 2, 2), (0, 3, 1), (3, 3, 4), (0, 0, 2), (2, 2, 2)] * 4
    low, high = geo.bootstrap_f1(documents)
    pooled = 2 * sum(m for m, _, _ in documents) / sum(p + g for _, p, g in documents)
    assert low < pooled < high and high - low < 0.5
    assert geo.bootstrap_f1(documents) == [low, high]  # a fixed seed: the same interval every run


def test_heldout_pools_the_three_held_out_splits() -> None:
    geo = load_harness()
    pooled = [d["doc"] for d in geo.load_dev("heldout")]
    assert pooled == [d["doc"] for split in ("check", "check2", "check3") for d in geo.load_dev(split)]
    assert len(pooled) == len(set(pooled)) == 70
    assert not set(pooled) & {d["doc"] for split in ("tune", "tune2", "train") for d in geo.load_dev(split)}
