"""Kilde: Danish news articles in, source-attributed knowledge out.

>>> import kilde
>>> article = kilde.analyze("»Vi trækker os tilbage,« siger general Hansen.")
>>> article.to_json()
"""

from __future__ import annotations

from kilde.errors import InputError, KildeError, ModelError
from kilde.nlp import load_pipeline
from kilde.pipeline import analyze, analyze_many
from kilde.records import SCHEMA, Article, Rejection, json_schema

__version__ = "0.1.0"

__all__ = [
    "SCHEMA",
    "Article",
    "InputError",
    "KildeError",
    "ModelError",
    "Rejection",
    "__version__",
    "analyze",
    "analyze_many",
    "json_schema",
    "load_pipeline",
]
