"""The embedded store: one SQLite file, WAL mode, one writer, FTS5 with Danish stemming.

Tables (``migrations/sqlite/``): ``articles`` (one row per article),
``records`` (its full record as JSON), ``paragraphs``, ``captions``,
``entities``, ``quotes``, ``speakers``, ``sources``, ``places``, ``times``,
``events``; ``articles_fts``, the full-text index over the Danish-stemmed
title, text, quotes and captions, and ``names_fts``, the index the filters
use; the near-duplicate groups and stories of :mod:`kilde.stories`
(``duplicate_groups``, ``stories``, … : :mod:`kilde.store.story_tables`). Browse it with any SQLite client::

    sqlite3 ~/.local/share/kilde/kilde.db "SELECT speaker, count(*) FROM quotes GROUP BY 1 ORDER BY 2 DESC LIMIT 20"

One :class:`SqliteStore` owns one connection and a lock around it, so its
writes are serialised (datasette's one-writer rule); other processes may read
the file at the same time (WAL), and a second writer waits for the first
(``busy_timeout``) rather than failing.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from kilde.records import Article
from kilde.store import AddResult, Filters, Hit, SearchResults, add_in_batches
from kilde.store.errors import QueryError, StoreError
from kilde.store.migrations import Migration, migrations
from kilde.store.query import Query, parse_query
from kilde.store.reads import SqlReads
from kilde.store.rows import INSERTS, article_rows, filter_names
from kilde.store.snippets import hit
from kilde.store.stemming import WORD, stem_text
from kilde.store.story_tables import StoryTables

__all__ = ["SqliteStore"]

_MIGRATION_NAME = re.compile(r"^\d{4}_[a-z0-9_]+$")
_MIGRATIONS_TABLE = "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))"
BUSY_TIMEOUT_MS = 10_000


def _statements(sql: str) -> Iterator[str]:
    """The statements of a migration, one by one (``executescript`` would commit halfway: it cannot run in our transaction)."""
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                yield buffer
            buffer = ""
    if re.sub(r"--[^\n]*", "", buffer).strip():
        raise StoreError(f"migration ends in an incomplete statement: {buffer.strip()[:80]!r}")


class SqliteStore(SqlReads, StoryTables):
    """A Kilde store in one SQLite file (or ``":memory:"``). Opening it creates and migrates the schema."""

    dialect = "sqlite"  # for SQL shared with the PostgreSQL store (the executor hooks: _query, _transaction, _articles_where)

    def __init__(self, path: str | Path, *, create: bool = True, schema: Sequence[Migration] | None = None) -> None:
        self.path = path
        self.location = str(path)
        self._lock = threading.RLock()
        memory = str(path) == ":memory:"
        if not memory:
            file = Path(path)
            if file.is_dir():
                raise StoreError(f"{file}: is a directory; give the database file, e.g. {file / 'kilde.db'}")
            if not file.exists():
                if not create:
                    raise StoreError(f"{file}: no store here (`kilde ingest --db {file} …` creates one)")
                if not file.parent.is_dir():
                    raise StoreError(f"{file}: the directory {file.parent} does not exist")
        try:
            # isolation_level=None: transactions are ours (BEGIN IMMEDIATE … COMMIT), never implicit
            self._conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.location}: cannot open the database: {exc}") from None
        try:
            self._configure(memory=memory)
            self._migrate(list(schema) if schema is not None else migrations("sqlite"))
        except BaseException:
            self._conn.close()
            raise

    # -- opening -------------------------------------------------------------------------------

    def _configure(self, *, memory: bool) -> None:
        try:
            mode = self._conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.location}: not an SQLite database ({exc})") from None
        if not memory and str(mode).lower() != "wal":
            raise StoreError(f"{self.location}: cannot switch the database to WAL mode (journal mode is {mode!r})")
        # NORMAL is durable across application crashes in WAL mode; only a power cut can lose the last commits
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        self._conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        # SQLite's lower() folds ASCII only; the read views compare Danish text (Æ, Ø, Å) case-insensitively
        self._conn.create_function("kilde_fold", 1, _fold, deterministic=True)

    def applied_migrations(self) -> list[str]:
        """Names of the migrations this database has had, in the order applied."""
        with self._lock:
            return [r[0] for r in self._conn.execute("SELECT name FROM migrations ORDER BY rowid")]

    def _migrate(self, schema: list[Migration]) -> None:
        known = [m.name for m in schema]
        for name in known:
            if not _MIGRATION_NAME.match(name):
                raise StoreError(f"bad migration name {name!r}: expected NNNN_lower_case")
        try:
            tables = {r[0] for r in self._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if tables and "migrations" not in tables:
                raise StoreError(f"{self.location}: an SQLite database, but not a Kilde store (it has tables and no migrations table)")
            self._conn.execute(_MIGRATIONS_TABLE)
            applied = self.applied_migrations()
            unknown = [name for name in applied if name not in known]
            if unknown:
                raise StoreError(f"{self.location}: made by a newer Kilde (migrations {', '.join(unknown)} are unknown here); upgrade Kilde")
            for migration in schema:
                if migration.name not in applied:
                    self._apply(migration)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.location}: cannot prepare the database: {exc}") from None

    def _apply(self, migration: Migration) -> None:
        with self._transaction() as conn:
            # another process may have applied it while we waited for the write lock
            if conn.execute("SELECT 1 FROM migrations WHERE name = ?", (migration.name,)).fetchone():
                return
            for statement in _statements(migration.sql):
                conn.execute(statement)
            conn.execute("INSERT INTO migrations (name) VALUES (?)", (migration.name,))

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed whole, or rolled back whole (also on KeyboardInterrupt)."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")  # take the write lock now, not at the first write
            try:
                yield self._conn
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    # -- writing -------------------------------------------------------------------------------

    def add(self, article: Article) -> bool:
        """Store one article in one transaction; ``False`` if it was already there."""
        try:
            with self._transaction() as conn:
                return self._insert(conn, article)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.location}: cannot store article {article.id}: {exc}") from None

    def add_many(self, articles: Iterable[Article], *, per_transaction: int = 1) -> AddResult:
        """Store many articles, ``per_transaction`` to a transaction (each article is whole or absent)."""

        def write(batch: list[Article]) -> list[bool]:
            try:
                with self._transaction() as conn:
                    return [self._insert(conn, a) for a in batch]
            except sqlite3.Error as exc:
                raise StoreError(f"{self.location}: cannot store articles ({batch[0].id} …): {exc}") from None

        return add_in_batches(articles, per_transaction, write)

    def _insert(self, conn: sqlite3.Connection, a: Article) -> bool:
        src = a.source
        cursor = conn.execute(
            # ON CONFLICT DO NOTHING, not OR IGNORE: only a uniqueness conflict means "already stored", a NOT NULL one is an error
            "INSERT INTO articles (id, content_hash, url, url_key, path, outlet, format, title, published, language, byline,"
            " text, summary, keywords) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (a.id, a.content_hash, src.url, src.url or "", src.path, src.outlet, src.format, a.title, a.published, a.language,
             a.byline, a.text, a.summary, json.dumps(a.keywords, ensure_ascii=False)),
        )  # fmt: skip
        if cursor.rowcount == 0:  # same content hash and URL (or same id): already stored
            return False
        rowid = cursor.lastrowid
        for table, rows in article_rows(a).items():
            if rows:
                conn.executemany(INSERTS[table], rows)
        quotes, captions = "\n".join(q.text for q in a.quotes), "\n".join(c.text for c in a.captions)
        conn.execute(
            "INSERT INTO articles_fts (rowid, title, text, quotes, captions) VALUES (?, ?, ?, ?, ?)",
            (rowid, stem_text(a.title or ""), stem_text(a.text), stem_text(quotes), stem_text(captions)),
        )
        conn.execute(
            "INSERT INTO names_fts (rowid, outlet, speaker, place, entity, event) VALUES (?, ?, ?, ?, ?, ?)",
            (rowid, *(" | ".join(values) for values in filter_names(a).values())),
        )
        return True

    # -- reading -------------------------------------------------------------------------------

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                cursor = self._conn.execute(sql, params)
                cursor.row_factory = sqlite3.Row
                return cursor.fetchall()
            except sqlite3.Error as exc:
                raise StoreError(f"{self.location}: {exc}") from None

    def _articles_where(self, filters: Filters) -> tuple[str, list[Any]]:
        """The filters as a condition over ``articles`` (unqualified columns) and its parameters (store contract §1)."""
        return _filter_sql(filters, on_index=False)

    def _fold(self, column: str) -> str:
        return f"kilde_fold({column})"

    def contains(self, *, content_hash: str, url: str | None) -> bool:
        rows = self._query("SELECT 1 FROM articles WHERE content_hash = ? AND url_key = ?", (content_hash, url or ""))
        return bool(rows)

    def get(self, article_id: str) -> Article | None:
        rows = self._query("SELECT record FROM records WHERE article_id = ?", (article_id,))
        return Article.model_validate_json(rows[0]["record"]) if rows else None

    def count(self, filters: Filters | None = None) -> int:
        filters = filters or Filters()
        names = _names_match(filters)
        if names and not (filters.date_from or filters.date_to):
            return int(self._query("SELECT count(*) FROM names_fts WHERE names_fts MATCH ?", [names])[0][0])  # one row per article
        where, params = _filter_sql(filters, on_index=False)
        return int(self._query(f"SELECT count(*) FROM articles WHERE {where}", params)[0][0])

    def search(self, query: str, *, filters: Filters | None = None, limit: int = 10, offset: int = 0) -> SearchResults:
        """Ranked full-text search (bm25 over the stemmed index); an empty query lists the filtered articles, newest first."""
        parsed = parse_query(query)
        filters = filters or Filters()
        if parsed.empty:
            where, params = _filter_sql(filters, on_index=False)
            total = self.count(filters)
            ranked = self._query(
                f"SELECT rowid, 0.0 FROM articles WHERE {where} ORDER BY published DESC, rowid DESC LIMIT ? OFFSET ?", [*params, limit, offset]
            )
        else:
            # the index alone ranks and counts: joining the articles table for every match would read a row per match
            where, params = _filter_sql(filters, on_index=True)
            source = f"articles_fts WHERE articles_fts MATCH ? AND {where}"
            total = int(self._query(f"SELECT count(*) FROM {source}", [parsed.fts5(), *params])[0][0])
            ranked = self._query(f"SELECT rowid, -rank FROM {source} ORDER BY rank LIMIT ? OFFSET ?", [parsed.fts5(), *params, limit, offset])
        scores = {row[0]: float(row[1]) for row in ranked}
        rows = self._query(
            f"SELECT rowid, id, title, published, outlet, url, path, text FROM articles WHERE rowid IN ({', '.join('?' * len(scores))})", list(scores)
        )
        by_rowid = {row["rowid"]: row for row in rows}
        hits = [self._hit(by_rowid[rowid], score, parsed) for rowid, score in scores.items()]
        return SearchResults(query=query, total=total, offset=offset, hits=hits)

    def _hit(self, row: sqlite3.Row, score: float, query: Query) -> Hit:
        quotes = (
            [(r[0], r[1]) for r in self._query("SELECT text, speaker FROM quotes WHERE article_id = ? ORDER BY seq", (row["id"],))] if not query.empty else []
        )
        captions = [r[0] for r in self._query("SELECT text FROM captions WHERE article_id = ? ORDER BY seq", (row["id"],))] if not query.empty else []
        return hit(row, score, query, quotes=quotes, captions=captions)

    # -- closing -------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection (an open transaction is rolled back by SQLite)."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SqliteStore({self.location!r})"


def _fold(value: str | None) -> str | None:
    return None if value is None else value.lower()  # as PostgreSQL's lower(): the two stores must answer alike


def _name_match(column: str, value: str) -> str:
    """An FTS5 phrase of the value's words in one column: a name with these words, in this order, matches."""
    words = WORD.findall(value.casefold())
    if not words:
        raise QueryError(f"the {column} filter {value!r} has no words to match")
    return f'{column} : "' + " ".join(words) + '"'


def _names_match(filters: Filters) -> str:
    """The name filters as one FTS5 query on ``names_fts``, or ``""``."""
    names = {"outlet": filters.outlet, "speaker": filters.speaker, "place": filters.place, "entity": filters.entity, "event": filters.event_type}
    return " AND ".join(_name_match(column, value) for column, value in names.items() if value)


def _filter_sql(filters: Filters, *, on_index: bool) -> tuple[str, list[Any]]:
    """A WHERE clause for ``articles`` (or, ``on_index``, for ``articles_fts``) and its parameters.

    Name filters are a set of rowids read once from the name index, not a condition checked row by row. The
    unary ``+`` keeps SQLite from driving the query by that set: on the full-text index it would run the MATCH
    once per rowid (seconds), on articles it would give up the publication-date index that orders the listing.
    """
    clauses: list[str] = ["1"]
    params: list[Any] = []
    dates: list[str] = []
    if filters.date_from:
        dates.append("published >= ?")
        params.append(filters.date_from)
    if filters.date_to:
        # ISO strings sort as dates: a datetime on the last day sorts before the next day
        dates.append("published < ?")
        params.append((date.fromisoformat(filters.date_to) + timedelta(days=1)).isoformat())
    if dates and on_index:
        clauses.append(f"+articles_fts.rowid IN (SELECT rowid FROM articles WHERE {' AND '.join(dates)})")
    else:
        clauses += dates
    names = _names_match(filters)
    if names:
        clauses.append(f"+{'articles_fts.' if on_index else ''}rowid IN (SELECT rowid FROM names_fts WHERE names_fts MATCH ?)")
        params.append(names)
    return " AND ".join(clauses), params
