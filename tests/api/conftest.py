from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from spacy.language import Language

from kilde.api import create_app
from kilde.records import Article
from kilde.store.sqlite import SqliteStore
from tests.api.corpus import build

TOKEN = "s3cret-token"


@pytest.fixture(scope="module")
def corpus(model_nlp: Language) -> Iterator[tuple[SqliteStore, dict[str, Article]]]:
    store, records = build(model_nlp)
    yield store, records
    store.close()


@pytest.fixture(scope="module")
def records(corpus: tuple[SqliteStore, dict[str, Article]]) -> dict[str, Article]:
    return corpus[1]


@pytest.fixture(scope="module")
def client(corpus: tuple[SqliteStore, dict[str, Article]]) -> Iterator[TestClient]:
    """A read-only server (no token) over the shared corpus: nothing a test does through it can change the store."""
    with TestClient(create_app(store=corpus[0], model="rules")) as c:
        yield c


@pytest.fixture
def writable(model_nlp: Language) -> Iterator[tuple[TestClient, SqliteStore]]:
    """A server with a token over a fresh copy of the corpus, for the tests that write."""
    store, _ = build(model_nlp)
    with TestClient(create_app(store=store, token=TOKEN, model="rules", max_body_bytes=64 * 1024)) as c:
        yield c, store
    store.close()
