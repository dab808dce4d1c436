"""Ingest: analyse documents and store them, skipping the ones already stored.

An article already in the store (same content hash of the cleaned text, same
URL) is recognised after cleaning, which is cheap, and never reaches the spaCy
pipeline (``analyze_documents(skip=…)``), so re-running an interrupted ingest over the same inputs redoes only
what was not committed. Every article is committed as soon as it is analysed,
in its own transaction.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from spacy.language import Language

from kilde.errors import InputError
from kilde.pipeline import analyze_documents
from kilde.read import RawDocument
from kilde.records import Article, Rejection, Source
from kilde.store import Store

__all__ = ["Ingested", "content_hash", "ingest_documents"]


def content_hash(text: str) -> str:
    """The content hash of a cleaned text, as :mod:`kilde.pipeline` puts it in ``Article.content_hash``."""
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Ingested:
    """What happened to one input: stored, skipped (already stored) or rejected."""

    status: Literal["stored", "skipped", "rejected"]
    where: str
    article: Article | None = None
    rejection: Rejection | None = None


def _where(source: Source) -> str:
    base = source.path or source.url or "<input>"
    return f"{base} [item {source.index}]" if source.index is not None else base


def ingest_documents(store: Store, items: Iterable[RawDocument | InputError], *, nlp: Language | None = None) -> Iterator[Ingested]:
    """Analyse and store ``items``, yielding what became of each (skips are reported when they are read)."""
    skipped: deque[Ingested] = deque()

    def stored(doc: RawDocument, digest: str) -> bool:
        if store.contains(content_hash=digest, url=doc.url):
            skipped.append(Ingested("skipped", doc.where))
            return True
        return False

    for result in analyze_documents(items, nlp=nlp, skip=stored):
        while skipped:
            yield skipped.popleft()
        if isinstance(result, Rejection):
            yield Ingested("rejected", _where(result.source), rejection=result)
        elif store.add(result):
            yield Ingested("stored", _where(result.source), article=result)
        else:  # the same article twice in one run: analysed twice, stored once
            yield Ingested("skipped", _where(result.source), article=result)
    while skipped:
        yield skipped.popleft()
