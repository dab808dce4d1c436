"""The lemma lexicon build step (training/build_lemma_table.py) on a small hand-made stand-in for the wheel."""

from __future__ import annotations

import gzip
import importlib.util
import json
import sys
import zipfile
from pathlib import Path

import pytest

from kilde.nlp.components import read_lemma_lexicon

_PATH = Path(__file__).resolve().parents[2] / "training" / "build_lemma_table.py"
_spec = importlib.util.spec_from_file_location("build_lemma_table", _PATH)
assert _spec and _spec.loader
build = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("build_lemma_table", build)
_spec.loader.exec_module(build)


def fake_wheel(path: Path, table: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(build.LOOKUP_MEMBER, gzip.compress(json.dumps(table).encode("utf-8")))
    return path


def test_lexicon_keeps_lower_case_forms_grouped_by_lemma_and_is_reproducible(tmp_path: Path) -> None:
    wheel = fake_wheel(tmp_path / "lookups.whl", {"huse": "hus", "husene": "hus", "hus": "hus", "Danmarks": "Danmark", "gik": "gå"})
    out = tmp_path / "lexicon.tsv.gz"
    assert build.write_lexicon(wheel, out) == 4
    assert read_lemma_lexicon(out) == {"huse": "hus", "husene": "hus", "hus": "hus", "gik": "gå"}
    first = out.read_bytes()
    build.write_lexicon(wheel, out)
    assert out.read_bytes() == first
    assert "STO" in gzip.decompress(first).decode("utf-8").splitlines()[1]


def test_a_file_that_is_not_the_wheel_is_refused_by_name(tmp_path: Path) -> None:
    bogus = tmp_path / "not-a-wheel.whl"
    bogus.write_text("hello", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"not-a-wheel\.whl"):
        build.write_lexicon(bogus, tmp_path / "out.tsv.gz")
