from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from pydantic import ValidationError

import kilde
from kilde.records import SCHEMA, Article, json_schema

COMMITTED = Path(kilde.__file__).parent / "schema" / "article-1.json"


def test_committed_schema_matches_code() -> None:
    """The shipped JSON Schema is generated from the records; regenerate with `kilde schema > src/kilde/schema/article-1.json`."""
    assert json.loads(COMMITTED.read_text(encoding="utf-8")) == json_schema()


def test_schema_is_versioned() -> None:
    assert json_schema()["properties"]["schema"]["const"] == SCHEMA == "kilde.article/1"


def test_record_validates_against_schema_and_round_trips(rules_nlp) -> None:
    article = kilde.analyze("Overskrift her\n\nFørste afsnit.\n\nAndet afsnit med »citat«, siger hun.", nlp=rules_nlp, url="https://example.dk/x")
    data = json.loads(article.to_json())
    jsonschema.validate(data, json_schema())
    assert data["schema"] == "kilde.article/1"
    assert Article.from_json(article.to_json()) == article


def test_records_are_frozen_and_strict(rules_nlp) -> None:
    article = kilde.analyze("Et afsnit.", nlp=rules_nlp)
    with pytest.raises(ValidationError):
        article.text = "ændret"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        Article.model_validate({**article.to_dict(), "unknown_field": 1})


def test_public_api() -> None:
    assert set(kilde.__all__) >= {"analyze", "analyze_many", "load_pipeline", "Article", "json_schema"}
    for name in kilde.__all__:
        assert hasattr(kilde, name)
