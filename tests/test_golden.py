"""Golden files: real-world cleaning behaviour, updated only with --update-golden."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kilde.clean import clean
from kilde.read import read_path

GOLDEN = Path(__file__).parent / "golden"
INPUTS = sorted(p for p in GOLDEN.iterdir() if p.suffix in (".txt", ".html", ".jsonl"))
EXAMPLE = Path(__file__).parents[1] / "src" / "kilde" / "examples" / "stormflod-da.txt"


def cleaned_view(path: Path) -> list[dict[str, Any]]:
    views = []
    for doc in read_path(str(path)):
        assert not isinstance(doc, Exception), doc
        result = clean(doc)
        views.append(
            {
                "title": result.title,
                "byline": result.byline,
                "published": doc.published,
                "outlet": doc.outlet,
                "paragraphs": [{"kind": p.kind, "text": result.text[p.start : p.end]} for p in result.paragraphs],
                "captions": [c.model_dump(exclude={"raw_start", "raw_end"}) for c in result.captions],
                "removed": [{"kind": r.kind, "text": r.text} for r in result.removed],
            }
        )
    return views


@pytest.mark.parametrize("path", [*INPUTS, EXAMPLE], ids=lambda p: p.name)
def test_golden(path: Path, request: pytest.FixtureRequest) -> None:
    expected_path = GOLDEN / f"{path.name}.expected.json"
    actual = cleaned_view(path)
    if request.config.getoption("--update-golden") or not expected_path.exists():
        expected_path.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        if not request.config.getoption("--update-golden"):
            pytest.fail(f"{expected_path.name} did not exist; written now, review and commit it")
    assert actual == json.loads(expected_path.read_text(encoding="utf-8"))
