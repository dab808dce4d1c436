"""The corpus store: analysed articles kept for SQL, search and later stages.

:class:`Store` is what every backend provides; :func:`open_store` picks one
from a path or URL. The embedded default is SQLite (:mod:`kilde.store.sqlite`:
one file, WAL, FTS5 with Danish stemming), at ``kilde.db`` in the user's data
directory unless told otherwise. ``postgresql://`` URLs open the team store
(:mod:`kilde.store.postgres`, same tables; needs ``kilde[postgres]``).

Adding is idempotent: an article is the same article when its content hash
(of the cleaned text) and URL are, whatever file it was read from. Each
article is written in one transaction, so a store never holds half of one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import Generic, Protocol, Self, TypeVar, runtime_checkable

from kilde.records import Article
from kilde.settings import Settings
from kilde.store.errors import QueryError, StoreError

__all__ = ["DEFAULT_NAME", "AddResult", "Filters", "Hit", "Page", "QueryError", "SearchResults", "Store", "StoreError", "default_path", "open_store"]

DEFAULT_NAME = "kilde.db"


@dataclass(frozen=True, slots=True)
class AddResult:
    inserted: int = 0
    skipped: int = 0  # already in the store


def add_in_batches(articles: Iterable[Article], per_transaction: int, write: Callable[[list[Article]], list[bool]]) -> AddResult:
    """Hand ``articles`` to ``write`` ``per_transaction`` at a time (one transaction each); ``write`` says which were new."""
    done: list[bool] = []
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) >= per_transaction:
            done += write(batch)
            batch = []
    if batch:
        done += write(batch)
    inserted = sum(done)
    skipped = len(done) - inserted
    return AddResult(inserted=inserted, skipped=skipped)


def _iso_day(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        raise QueryError(f"{name} must be a date as YYYY-MM-DD, got {value!r}") from None


@dataclass(frozen=True, kw_only=True)
class Filters:
    """What a result must also satisfy.

    Dates are inclusive ISO days compared with the article's publication day
    (articles without a date are left out when one is given). Names match
    case-insensitively, as the whole name or whole words of it, in order
    ("Frederiksen" finds "Mette Frederiksen"; "Wagner" finds "Wagner-gruppen").
    ``event_type`` is a type (ASSAULT) or an ACLED subtype (Armed clash).
    """

    date_from: str | None = None
    date_to: str | None = None
    outlet: str | None = None
    speaker: str | None = None
    place: str | None = None
    entity: str | None = None
    event_type: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "date_from", _iso_day(self.date_from, "the start date"))
        object.__setattr__(self, "date_to", _iso_day(self.date_to, "the end date"))


@dataclass(frozen=True, kw_only=True)
class Hit:
    """One search result: which article, how well it matched, and the passage that matched."""

    id: str
    title: str | None
    published: str | None
    outlet: str | None
    url: str | None
    path: str | None
    score: float  # higher is better; comparable within one search only
    snippet: str
    highlights: tuple[tuple[int, int], ...] = ()  # offsets into snippet of the matched words
    field: str = "text"  # where the snippet is from: text | quote | caption


@dataclass(frozen=True, kw_only=True)
class SearchResults:
    query: str
    total: int  # all matches, not just this page
    hits: list[Hit] = field(default_factory=list)
    offset: int = 0


T = TypeVar("T")


@dataclass(frozen=True, kw_only=True)
class Page(Generic[T]):
    """One page of a listing: its items, how many there are in all, and where the page starts."""

    items: list[T]
    total: int
    offset: int = 0


@runtime_checkable
class Store(Protocol):
    """A corpus of analysed articles. Backends: :class:`kilde.store.sqlite.SqliteStore`, :class:`kilde.store.postgres.PostgresStore`."""

    location: str  # how messages name the store: a path or a URL without the password

    def add(self, article: Article) -> bool:
        """Store one article in one transaction; ``False`` if it was already there."""
        ...

    def add_many(self, articles: Iterable[Article], *, per_transaction: int = 1) -> AddResult:
        """Store many articles, each whole or not at all; committed as it goes, ``per_transaction`` articles at a time."""
        ...

    def contains(self, *, content_hash: str, url: str | None) -> bool:
        """Whether this article (content hash of the cleaned text + URL) is stored: lets ingest skip the NLP."""
        ...

    def get(self, article_id: str) -> Article | None:
        """The stored record, exactly as added."""
        ...

    def search(self, query: str, *, filters: Filters | None = None, limit: int = 10, offset: int = 0) -> SearchResults:
        """Ranked full-text search over text, quotes and captions (Danish stemming); an empty query lists by date."""
        ...

    def count(self, filters: Filters | None = None) -> int:
        """How many articles (that pass ``filters``) are stored."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None) -> None: ...


def default_path(settings: Settings) -> Path:
    """Where the embedded store lives unless ``--db`` says otherwise."""
    return settings.data_dir / DEFAULT_NAME


_URL = re.compile(r"^(?P<scheme>[a-z][a-z0-9+.-]*)://", re.IGNORECASE)


def open_store(url_or_path: str | Path | None = None, *, settings: Settings | None = None, create: bool = True) -> Store:
    """Open (and with ``create``, create and migrate) the store at a path or URL; ``None`` is the default store.

    Paths and ``sqlite:///path`` URLs open SQLite; ``postgresql://`` is for the team store.
    Raises :class:`StoreError` naming the location when it cannot be opened.
    """
    from kilde.store.sqlite import SqliteStore

    if url_or_path is None:
        path = default_path(settings or Settings.from_env())
        if create:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{path.parent}: cannot create the data directory: {exc.strerror or exc}") from None
        return SqliteStore(path, create=create)
    text = str(url_or_path)
    match = _URL.match(text)
    if match is None:
        return SqliteStore(Path(text).expanduser() if text != ":memory:" else text, create=create)
    scheme = match["scheme"].lower()
    if scheme == "sqlite":
        return SqliteStore(text[len("sqlite:///") :] if text.startswith("sqlite:///") else text[len("sqlite://") :] or ":memory:", create=create)
    if scheme in ("postgresql", "postgres"):
        try:
            from kilde.store.postgres import PostgresStore
        except ImportError as exc:
            if not (exc.name or "").startswith("psycopg"):
                raise
            raise StoreError(f"{_redact(text)}: the PostgreSQL store needs psycopg: pip install 'kilde[postgres]'") from None
        return PostgresStore(text, create=create)
    raise StoreError(f"{_redact(text)}: unknown kind of store {scheme!r}; give a file path, sqlite:///PATH or postgresql://…")


def _redact(url: str) -> str:
    """The URL without its password (user:password@ or ?password=), for messages."""
    # greedy, to the last @ of the whole URL: an unencoded / or @ in the password must not end the match early
    url = re.sub(r"(://[^/:@]*):.*@", r"\1:***@", url)
    return re.sub(r"([?&]password=)[^&#]*", r"\1***", url, flags=re.IGNORECASE)
