"""The team store: PostgreSQL, the same tables and behaviour as the SQLite store.

Open it with a URL (``kilde ingest --db postgresql://user:password@host/db``);
the schema is created and migrated on first use (``migrations/postgresql/``),
each migration in one transaction under an advisory lock, so several
processes may open a new database at once. Tables and columns are those of
:mod:`kilde.store.sqlite`, so the same SQL reads both; full-text search is a
``tsvector`` of the same Danish Snowball stems (:mod:`kilde.store.stemming`)
with a GIN index, ranked with ``ts_rank_cd``, and the name filters are phrase
queries on a second ``tsvector`` of case-folded name words. Kilde writes both
vectors and every query lexeme by lexeme, so no text search configuration of
the server is involved and results equal SQLite's. The read views
(:class:`~kilde.store.reads.SqlReads`) and story tables
(:class:`~kilde.store.story_tables.StoryTables`) are the SQLite store's, run
on the executor hooks here (``_query``, ``_transaction``, ``_articles_where``,
``_fold``).

One :class:`PostgresStore` holds one connection (a lock serialises its
users, as in the SQLite store); many processes may write at once, since an
article already stored is skipped by its unique key, and a lost connection is
made again on the next call.

Needs psycopg 3 (``pip install 'kilde[postgres]'``); this module is imported
only when a ``postgresql://`` URL is opened.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from types import TracebackType
from typing import Any, Self
from urllib.parse import unquote, urlsplit

import psycopg
from psycopg.rows import RowMaker

from kilde.records import Article
from kilde.store import AddResult, Filters, Hit, SearchResults, _redact, add_in_batches
from kilde.store.errors import QueryError, StoreError
from kilde.store.migrations import Migration, migrations
from kilde.store.query import MAX_LEXEME_BYTES, Query, lexeme, parse_query
from kilde.store.reads import SqlReads
from kilde.store.rows import INSERTS, article_rows, filter_names
from kilde.store.snippets import hit
from kilde.store.stemming import WORD, stem_text
from kilde.store.story_tables import StoryTables

__all__ = ["PostgresStore", "Row"]

_MIGRATION_NAME = re.compile(r"^\d{4}_[a-z0-9_]+$")
_MIGRATIONS_TABLE = (
    "CREATE TABLE migrations (name TEXT PRIMARY KEY,"
    " applied_at TEXT NOT NULL DEFAULT (to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')))"
)
# pg_advisory_xact_lock key for "this database is being migrated": the bytes of "kilde" (any constant would do)
MIGRATION_LOCK = 0x6B696C6465
CONNECT_TIMEOUT_S = 10
DEADLOCK_RETRIES = 3
# PostgreSQL keeps word positions up to here; later words share the last position, so they are found as words but
# not as phrases (an article of more than 16,383 words: rare in news)
MAX_POSITION = 16383
MAX_POSITIONS = 256  # positions kept per lexeme
# ts_rank_cd weights {D, C, B, A}: captions, text, quotes, title, in the ratios of SQLite's bm25(4, 1, 1, 0.5)
RANK_WEIGHTS = "{0.125, 0.25, 0.25, 1.0}"
RANK_NORMALISATION = 1  # divide by 1 + log(document length): long articles do not win by length alone
_CHILD_INSERTS = {  # what _insert writes for a new article, table by table: the parts of the record (kilde.store.rows), then the two indexes
    **INSERTS,
    "articles_fts": "INSERT INTO articles_fts (rowid, document) VALUES (?, CAST(? AS tsvector))",
    "names_fts": "INSERT INTO names_fts (rowid, names) VALUES (?, CAST(? AS tsvector))",
}


class Row(tuple[Any, ...]):
    """A result row, read by position (``row[0]``) or by column name (``row["title"]``)."""

    _index: dict[str, int]

    def __new__(cls, values: Sequence[Any], index: dict[str, int]) -> Row:
        row = super().__new__(cls, values)
        row._index = index
        return row

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return super().__getitem__(self._index[key])
        return super().__getitem__(key)

    def keys(self) -> list[str]:
        return list(self._index)


def _rows(cursor: Any) -> RowMaker[Row]:
    index = {column.name: i for i, column in enumerate(cursor.description or ())}

    def make(values: Sequence[Any]) -> Row:
        return Row(values, index)

    return make


def _sql(sql: str) -> str:
    """Kilde's ``?`` placeholders as psycopg's ``%s`` (a literal ``%`` doubled; Kilde's SQL has no literal ``?``)."""
    return sql.replace("%", "%%").replace("?", "%s")


def _text(value: Any) -> Any:
    """A string PostgreSQL can hold: NUL, which TEXT refuses, as U+FFFD (same length, so offsets still hold; the record keeps it)."""
    return value.replace("\x00", "\ufffd") if isinstance(value, str) and "\x00" in value else value


def _clean(row: Sequence[Any]) -> tuple[Any, ...]:
    return tuple(_text(v) for v in row)


class _Transaction:
    """What ``_transaction()`` yields: ``execute`` and ``executemany`` with ``?`` placeholders."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> psycopg.Cursor[Row]:
        cursor = self._conn.cursor(row_factory=_rows)
        cursor.execute(_sql(sql), _clean(params))
        return cursor

    def executemany(self, sql: str, seq_of_params: Iterable[Sequence[Any]]) -> psycopg.Cursor[Row]:
        cursor = self._conn.cursor(row_factory=_rows)
        rows = [_clean(p) for p in seq_of_params]
        if rows:
            cursor.executemany(_sql(sql), rows)
        return cursor


def _vector(fields: Iterable[tuple[str, Iterable[str]]]) -> str:
    """tsvector text of weighted word lists: each field's words at consecutive positions, the fields a position apart."""
    positions: dict[str, list[str]] = {}
    pos = 0
    for weight, words in fields:
        for word in words:
            pos += 1
            at = positions.get(word)
            if at is None:
                at = positions[word] = []
            if len(at) < MAX_POSITIONS:  # later ones would be dropped by PostgreSQL
                at.append(f"{min(pos, MAX_POSITION)}{weight}")  # repeats at the last position are merged by the server
        pos += 1  # a gap: no phrase runs from one field (or name) into the next
    return " ".join(
        f"{lexeme(word)}:{','.join(at)}"
        for word, at in positions.items()
        if len(word) * 4 <= MAX_LEXEME_BYTES or len(word.encode()) <= MAX_LEXEME_BYTES  # too long to index: skipped, as PostgreSQL's parser does
    )


def _document(a: Article) -> str:
    """The searchable text as a tsvector: title A, quotes B, text C, captions D (weighted by RANK_WEIGHTS)."""
    quotes, captions = "\n".join(q.text for q in a.quotes), "\n".join(c.text for c in a.captions)
    return _vector((weight, stem_text(text).split()) for weight, text in (("A", a.title or ""), ("B", quotes), ("D", captions), ("C", a.text)))


def _names(a: Article) -> str:
    """The names the filters match as a tsvector of ``kind:word`` lexemes, each name's words in order, the names apart."""
    names = filter_names(a)
    return _vector(("D", [f"{kind}:{word}" for word in WORD.findall(name.casefold())]) for kind, values in names.items() for name in values)


def _names_query(filters: Filters) -> str:
    """The name filters as one tsquery on ``names_fts``, or ``""``: each is a phrase of the value's words."""
    values = {"outlet": filters.outlet, "speaker": filters.speaker, "place": filters.place, "entity": filters.entity, "event": filters.event_type}
    phrases = []
    for kind, value in values.items():
        if not value:
            continue
        words = WORD.findall(value.casefold())
        if not words:
            raise QueryError(f"the {kind} filter {value!r} has no words to match")
        phrases.append("(" + " <-> ".join(lexeme(f"{kind}:{word}") for word in words) + ")")
    return " & ".join(phrases)


def _dates(filters: Filters) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if filters.date_from:
        clauses.append("published >= ?")
        params.append(filters.date_from)
    if filters.date_to:
        # ISO strings sort as dates (published is COLLATE "C"): a datetime on the last day sorts before the next day
        clauses.append("published < ?")
        params.append((date.fromisoformat(filters.date_to) + timedelta(days=1)).isoformat())
    return clauses, params


def _password(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        password = parts.password
        query = dict(p.split("=", 1) for p in parts.query.split("&") if "=" in p)
    except ValueError:
        return None
    return unquote(password) if password else (unquote(query["password"]) if query.get("password") else None)


def _secrets(url: str) -> list[str]:
    """The password as parsed, and as written between the user and the last @ (an unencoded / or @ splits it
    differently for libpq, whose messages may then quote the pieces: each piece of 3 or more characters)."""
    found = {p for p in (_password(url),) if p}
    written = re.match(r"[a-z][a-z0-9+.-]*://[^/:@]*:(.*)@", url, re.IGNORECASE)
    if written:
        found |= {written[1], unquote(written[1])} | {piece for piece in re.split(r"[@/:?#]", written[1]) if len(piece) >= 3}
    return sorted(found, key=len, reverse=True)


class PostgresStore(SqlReads, StoryTables):
    """A Kilde store in a PostgreSQL database (in the first schema of its ``search_path``). Opening it migrates the schema."""

    dialect = "postgresql"

    def __init__(self, url: str, *, create: bool = True, schema: Sequence[Migration] | None = None) -> None:
        self._url = url  # with the password: never shown (location is what messages name)
        self.location = _redact(url)
        self._secrets = _secrets(url)
        self._lock = threading.RLock()
        self._closed = False
        self._conn = self._connect()
        try:
            self._migrate(list(schema) if schema is not None else migrations("postgresql"), create=create)
            # lower() folds as the database's locale does (ASCII only under "C"); ICU's root locale folds Æ, Ø, Å whatever it is
            self._icu = bool(self._query("SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu'"))
        except BaseException:
            self._conn.close()
            raise

    def _connect(self) -> psycopg.Connection[Any]:
        options: dict[str, Any] = {"autocommit": True}  # transactions are ours (_transaction), never implicit
        if "connect_timeout" not in self._url:
            options["connect_timeout"] = CONNECT_TIMEOUT_S
        if "application_name" not in self._url:
            options["application_name"] = "kilde"
        try:
            return psycopg.connect(self._url, **options)
        except psycopg.Error as exc:
            raise StoreError(f"{self.location}: cannot connect: {self._message(exc)}") from None

    def _alive(self) -> None:
        """Connect again if the connection was lost (a server restart, a dropped network): a long-running ``kilde serve`` carries on."""
        if self._closed:
            raise StoreError(f"{self.location}: the store is closed")
        if self._conn.broken or self._conn.closed:
            self._conn.close()
            self._conn = self._connect()

    def _message(self, exc: BaseException) -> str:
        """An error's text on one line, without the password."""
        text = " ".join(str(exc).split()) or type(exc).__name__
        for secret in self._secrets:  # longest first: a part never unmasks the rest of the whole
            text = text.replace(secret, "***")
        return text

    def _error(self, exc: BaseException, doing: str = "") -> StoreError:
        return StoreError(f"{self.location}: {doing}{': ' if doing else ''}{self._message(exc)}")

    # -- opening -------------------------------------------------------------------------------

    def applied_migrations(self) -> list[str]:
        """Names of the migrations this database has had, in the order applied."""
        return [r[0] for r in self._query("SELECT name FROM migrations ORDER BY applied_at, name")]

    def _migrate(self, schema: list[Migration], *, create: bool) -> None:
        known = [m.name for m in schema]
        for name in known:
            if not _MIGRATION_NAME.match(name):
                raise StoreError(f"bad migration name {name!r}: expected NNNN_lower_case")
        try:
            with self._tx() as tx:
                tx.execute("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))  # one migrator at a time; others wait, then find it done
                where = tx.execute("SELECT current_schema()").fetchone()
                current = where[0] if where else None
                if current is None:
                    raise StoreError(f"{self.location}: no schema to create the tables in (none of the search_path exists)")
                tables = {r[0] for r in tx.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = ?", (current,)).fetchall()}
                if tables and "migrations" not in tables:
                    raise StoreError(f"{self.location}: a PostgreSQL database, but not a Kilde store (schema {current} has tables and no migrations table)")
                if not tables:
                    if not create:
                        raise StoreError(f"{self.location}: no store here (`kilde ingest --db URL …` creates one)")
                    tx.execute(_MIGRATIONS_TABLE)
            applied = self.applied_migrations()
            unknown = [name for name in applied if name not in known]
            if unknown:
                raise StoreError(f"{self.location}: made by a newer Kilde (migrations {', '.join(unknown)} are unknown here); upgrade Kilde")
            for migration in schema:
                if migration.name not in applied:
                    self._apply(migration)
        except psycopg.Error as exc:
            raise self._error(exc, "cannot prepare the database") from None

    def _apply(self, migration: Migration) -> None:
        with self._tx() as tx:
            tx.execute("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))
            # another process may have applied it while we waited for the lock
            if tx.execute("SELECT 1 FROM migrations WHERE name = ?", (migration.name,)).fetchone():
                return
            self._conn.execute(migration.sql)  # no parameters: the file's statements run as written, in this transaction
            tx.execute("INSERT INTO migrations (name) VALUES (?)", (migration.name,))

    @contextmanager
    def _tx(self, *, pipeline: bool = False) -> Iterator[_Transaction]:
        """A transaction, committed on leaving and rolled back on any exception (also KeyboardInterrupt).

        With ``pipeline``, statements are sent without waiting for each one's answer (psycopg's pipeline mode): an
        article's dozen inserts cost one round trip to the server, not twelve. Errors then surface at the next read.
        """
        with self._lock:
            self._alive()
        with self._lock, self._conn.transaction():
            if not pipeline:
                yield _Transaction(self._conn)
                return
            with self._conn.pipeline():
                yield _Transaction(self._conn)

    @contextmanager
    def _transaction(self) -> Iterator[_Transaction]:
        """One write transaction: committed whole, or rolled back whole. Database errors are psycopg's, as SQLite's store raises sqlite3's."""
        with self._tx() as tx:
            yield tx

    # -- writing -------------------------------------------------------------------------------

    def add(self, article: Article) -> bool:
        """Store one article in one transaction; ``False`` if it was already there."""
        try:
            return self._write([article])[0]
        except psycopg.Error as exc:
            raise self._error(exc, f"cannot store article {article.id}") from None

    def _write(self, articles: Sequence[Article]) -> list[bool]:
        """Insert ``articles`` in one transaction, again if it lost a deadlock to another writer (it was rolled back whole)."""
        for attempt in range(1, DEADLOCK_RETRIES + 1):
            try:
                with self._tx(pipeline=True) as tx:
                    return self._insert(tx, articles)
            except psycopg.errors.DeadlockDetected:  # two writers inserting the same articles in another order
                if attempt == DEADLOCK_RETRIES:
                    raise
        raise AssertionError("unreachable")

    def add_many(self, articles: Iterable[Article], *, per_transaction: int = 1) -> AddResult:
        """Store many articles, ``per_transaction`` to a transaction (each article is whole or absent)."""

        def write(batch: list[Article]) -> list[bool]:
            try:
                return self._write(batch)
            except psycopg.Error as exc:
                raise self._error(exc, f"cannot store articles ({batch[0].id} …)") from None

        return add_in_batches(articles, per_transaction, write)

    def _insert(self, tx: _Transaction, articles: Sequence[Article]) -> list[bool]:
        """Insert articles in the open transaction; for each, whether it was new. One statement per table for them all."""
        cursor = self._conn.cursor()
        cursor.executemany(
            # ON CONFLICT DO NOTHING: a uniqueness conflict means "already stored" (a concurrent writer's insert is waited for)
            "INSERT INTO articles (id, content_hash, url, url_key, path, outlet, format, title, published, language, byline,"
            " text, summary, keywords) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING RETURNING rowid",
            [_clean((a.id, a.content_hash, a.source.url, a.source.url or "", a.source.path, a.source.outlet, a.source.format, a.title,
                     a.published, a.language, a.byline, a.text, a.summary, json.dumps(a.keywords, ensure_ascii=False))) for a in articles],
            returning=True,
        )  # fmt: skip
        rowids: list[int | None] = []
        for _ in articles:  # one result per article, in order: its rowid, or no row when it was already stored
            row = cursor.fetchone()
            rowids.append(row[0] if row else None)
            cursor.nextset()
        new = [(rowid, a) for rowid, a in zip(rowids, articles, strict=True) if rowid is not None]
        if not new:
            return [False] * len(articles)
        tables: dict[str, list[tuple[Any, ...]]] = {name: [] for name in _CHILD_INSERTS}
        for rowid, a in new:
            for table, rows in article_rows(a).items():
                tables[table] += rows
            tables["articles_fts"].append((rowid, _document(a)))
            tables["names_fts"].append((rowid, _names(a)))
        for name, rows in tables.items():
            tx.executemany(_CHILD_INSERTS[name], rows)
        return [rowid is not None for rowid in rowids]

    # -- reading -------------------------------------------------------------------------------

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with self._lock:
            for attempt in (1, 2):
                self._alive()
                try:
                    cursor = self._conn.cursor(row_factory=_rows)
                    cursor.execute(_sql(sql), _clean(params))
                    return cursor.fetchall() if cursor.description else []
                except psycopg.Error as exc:
                    if attempt == 1 and self._conn.broken:  # the connection died under this read: once more on a new one
                        continue
                    raise self._error(exc) from None
            raise AssertionError("unreachable")

    def _articles_where(self, filters: Filters) -> tuple[str, list[Any]]:
        """A condition on ``articles`` (unqualified columns) for the date and name filters, and its parameters."""
        clauses, params = _dates(filters)
        names = _names_query(filters)
        if names:
            clauses.append("rowid IN (SELECT rowid FROM names_fts WHERE names @@ CAST(? AS tsquery))")
            params.append(names)
        return " AND ".join(clauses) or "TRUE", params

    def _fold(self, column: str) -> str:
        """SQL that lower-cases ``column`` for comparing with ``str.lower()`` text (Danish letters included)."""
        return f'lower({column} COLLATE "und-x-icu")' if self._icu else f"lower({column})"

    def _index_where(self, filters: Filters) -> tuple[str, list[Any]]:
        """The same condition on ``articles_fts``: dates through the articles table."""
        dates, params = _dates(filters)
        clauses = [f"rowid IN (SELECT rowid FROM articles WHERE {' AND '.join(dates)})"] if dates else []
        names = _names_query(filters)
        if names:
            clauses.append("rowid IN (SELECT rowid FROM names_fts WHERE names @@ CAST(? AS tsquery))")
            params.append(names)
        return " AND ".join(clauses) or "TRUE", params

    def contains(self, *, content_hash: str, url: str | None) -> bool:
        return bool(self._query("SELECT 1 FROM articles WHERE content_hash = ? AND url_key = ?", (content_hash, url or "")))

    def get(self, article_id: str) -> Article | None:
        rows = self._query("SELECT record FROM records WHERE article_id = ?", (article_id,))
        return Article.model_validate_json(rows[0]["record"]) if rows else None

    def count(self, filters: Filters | None = None) -> int:
        filters = filters or Filters()
        names = _names_query(filters)
        if names and not (filters.date_from or filters.date_to):
            return int(self._query("SELECT count(*) FROM names_fts WHERE names @@ CAST(? AS tsquery)", [names])[0][0])  # one row per article
        where, params = self._articles_where(filters)
        return int(self._query(f"SELECT count(*) FROM articles WHERE {where}", params)[0][0])

    def search(self, query: str, *, filters: Filters | None = None, limit: int = 10, offset: int = 0) -> SearchResults:
        """Ranked full-text search (ts_rank_cd over the stemmed tsvector); an empty query lists the filtered articles, newest first."""
        parsed = parse_query(query)
        filters = filters or Filters()
        total: int | None
        if parsed.empty:
            where, params = self._articles_where(filters)
            total = self.count(filters)
            ranked = self._query(
                f"SELECT rowid, 0.0 FROM articles WHERE {where} ORDER BY published DESC NULLS LAST, rowid DESC LIMIT ? OFFSET ?", [*params, limit, offset]
            )
        else:
            where, params = self._index_where(filters)
            tsquery = parsed.tsquery()
            # Every match is ranked to order them, so the total comes with the page (count(*) OVER ()) at no extra scan.
            # OFFSET 0 keeps the ranking inside the subquery: flattened, the window would buffer each match's whole
            # document before ranking it (4x slower on common words).
            ranked = self._query(
                f"SELECT rowid, score, count(*) OVER () FROM (SELECT rowid, ts_rank_cd(CAST(? AS real[]), document, q, ?) AS score"
                f" FROM articles_fts, CAST(? AS tsquery) AS q WHERE document @@ q AND {where} OFFSET 0) AS matches"
                " ORDER BY score DESC, rowid LIMIT ? OFFSET ?",
                [RANK_WEIGHTS, RANK_NORMALISATION, tsquery, *params, limit, offset],
            )
            total = int(ranked[0][2]) if ranked else None
            if total is None:  # past the last page (or nothing matched): count alone
                source = f"articles_fts WHERE document @@ CAST(? AS tsquery) AND {where}"
                total = int(self._query(f"SELECT count(*) FROM {source}", [tsquery, *params])[0][0])
        scores = {int(row[0]): float(row[1]) for row in ranked}
        hits = self._hits(scores, parsed)
        return SearchResults(query=query, total=total, offset=offset, hits=hits)

    def _hits(self, scores: dict[int, float], query: Query) -> list[Hit]:
        if not scores:
            return []
        marks = ", ".join("?" * len(scores))
        rows = self._query(f"SELECT rowid, id, title, published, outlet, url, path, text FROM articles WHERE rowid IN ({marks})", list(scores))
        by_rowid = {int(row["rowid"]): row for row in rows}
        quotes: dict[str, list[tuple[str, str | None]]] = {}
        captions: dict[str, list[str]] = {}
        if not query.empty:  # one query each for all hits: a round trip to the server costs more than SQLite's call
            ids = [row["id"] for row in rows]
            id_marks = ", ".join("?" * len(ids))
            for r in self._query(f"SELECT article_id, text, speaker FROM quotes WHERE article_id IN ({id_marks}) ORDER BY article_id, seq", ids):
                quotes.setdefault(r[0], []).append((r[1], r[2]))
            for r in self._query(f"SELECT article_id, text FROM captions WHERE article_id IN ({id_marks}) ORDER BY article_id, seq", ids):
                captions.setdefault(r[0], []).append(r[1])
        return [
            hit(by_rowid[rowid], score, query, quotes=quotes.get(by_rowid[rowid]["id"], []), captions=captions.get(by_rowid[rowid]["id"], []))
            for rowid, score in scores.items()
        ]

    # -- closing -------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection (an open transaction is rolled back by the server)."""
        with self._lock:
            self._closed = True
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"PostgresStore({self.location!r})"
