from __future__ import annotations

from pathlib import Path

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
