"""Kilde: Danish news articles in, source-attributed knowledge out.

>>> import kilde
>>> article = kilde.analyze("»Vi trækker os tilbage,« siger general Hansen.")
>>> article.to_json()
>>> with kilde.open_corpus("corpus.db") as corpus:   # SQLite file, or a postgresql:// URL
...     corpus.add(article)
...     corpus.search("tilbage", filters=kilde.Filters(speaker="Hansen"))
"""

from __future__ import annotations

from kilde.errors import InputError, KildeError, ModelError, QueryError, StoreError
from kilde.nlp import load_pipeline
from kilde.pipeline import analyze, analyze_many
from kilde.records import SCHEMA, Article, Rejection, json_schema
from kilde.store import Filters
from kilde.store import open_store as open_corpus

__version__ = "0.1.0"

__all__ = [
    "SCHEMA",
    "Article",
    "Filters",
    "InputError",
    "KildeError",
    "ModelError",
    "QueryError",
    "Rejection",
    "StoreError",
    "__version__",
    "analyze",
    "analyze_many",
    "json_schema",
    "load_pipeline",
    "open_corpus",
]
