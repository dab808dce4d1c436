"""Read views over the stored tables: who said what, who is quoted, where and what happened, and when.

These are what the API, the web UI and analysts ask a corpus: the quotes of a
speaker, the most quoted speakers and cited sources with counts over time,
the places on a map, the events, articles per day. They are written once, in
SQL that both SQLite and PostgreSQL run, against a few hooks every backend
provides (:class:`SqlBackend`): ``_query`` with ``?`` placeholders, rows
readable by name, ``_articles_where`` for the article :class:`Filters`, and
``_fold``, the SQL that case-folds a column the way Python's
``str.lower`` does (SQLite's own ``lower`` only knows ASCII; PostgreSQL's knows
Unicode but, like ``str.lower``, leaves ß as it is, where ``casefold`` would not).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from kilde.store import Filters, Page
from kilde.store.errors import QueryError

__all__ = ["EventRow", "PlaceCount", "QuoteHit", "SourceCount", "SpeakerCount", "SqlBackend", "SqlReads", "TimelinePoint"]

MAX_LIMIT = 10_000  # one page; more is a bulk export, which plain SQL on the store does better


@dataclass(frozen=True, kw_only=True)
class QuoteHit:
    """One stored quote with the article it is from; ``start``/``end`` are offsets into that article's text."""

    article_id: str
    title: str | None
    published: str | None
    outlet: str | None
    url: str | None
    seq: int
    text: str
    kind: str
    cue: str | None
    speaker: str | None
    speaker_type: str
    mention: str | None
    start: int
    end: int


@dataclass(frozen=True, kw_only=True)
class SpeakerCount:
    """A named speaker across the corpus: how many quotes, in how many articles, first and last day."""

    name: str
    type: str
    quotes: int
    articles: int
    first: str | None
    last: str | None


@dataclass(frozen=True, kw_only=True)
class SourceCount:
    """A cited source (outlet, agency, official, unnamed) across the corpus."""

    name: str
    type: str
    articles: int
    mentions: int
    first: str | None
    last: str | None


@dataclass(frozen=True, kw_only=True)
class PlaceCount:
    """A resolved place across the corpus, for a map."""

    name: str
    label: str  # the Danish name as articles write it (København), else the GeoNames name
    lat: float
    lon: float
    geonameid: int | None
    country: str | None
    feature: str | None
    articles: int
    mentions: int


@dataclass(frozen=True, kw_only=True)
class EventRow:
    """One stored event, located where its place was resolved, with its evidence sentence."""

    article_id: str
    title: str | None
    published: str | None
    seq: int
    type: str
    subtype: str | None
    trigger: str
    actor: str | None
    target: str | None
    place: str | None
    place_label: str | None  # its Danish name as the article writes it (København), else the GeoNames name
    lat: float | None
    lon: float | None
    geonameid: int | None
    time: str | None
    modality: str
    negated: bool
    attributed_to: str | None
    sentence: str


@dataclass(frozen=True, kw_only=True)
class TimelinePoint:
    day: str  # YYYY-MM-DD
    count: int


class SqlBackend(Protocol):
    """The hooks a store backend gives the read views."""

    dialect: str

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]: ...

    def _articles_where(self, filters: Filters) -> tuple[str, list[Any]]: ...

    def _fold(self, column: str) -> str: ...


def _page(limit: int, offset: int) -> tuple[int, int]:
    if limit < 1 or limit > MAX_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
    if offset < 0:
        raise QueryError(f"offset must be 0 or more, got {offset}")
    return limit, offset


def _day(value: str | None) -> str | None:
    return value[:10] if value else None


class SqlReads:
    """The read views, mixed into every SQL store (:class:`kilde.store.sqlite.SqliteStore`, the PostgreSQL store)."""

    if TYPE_CHECKING:  # the SqlBackend hooks, provided by the store this is mixed into
        dialect: str

        def _query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]: ...

        def _articles_where(self, filters: Filters) -> tuple[str, list[Any]]: ...

        def _fold(self, column: str) -> str: ...

    def _in_articles(self, filters: Filters | None, column: str = "article_id") -> tuple[str, list[Any]]:
        """`` AND column IN (articles passing the filters)``, or nothing when there are no filters."""
        if filters is None or filters == Filters():
            return "", []
        where, params = self._articles_where(filters)
        return f" AND {column} IN (SELECT id FROM articles WHERE {where})", params

    # -- quotes -----------------------------------------------------------------------------

    def quotes(
        self,
        *,
        speaker: str | None = None,
        contains: str | None = None,
        kind: str | None = None,
        filters: Filters | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> Page[QuoteHit]:
        """Who said what: quotes, newest article first; ``speaker`` is the resolved name exactly, ``contains`` a case-insensitive substring."""
        limit, offset = _page(limit, offset)
        where, params = self._in_articles(filters, "q.article_id")
        if speaker is not None:
            where += " AND q.speaker = ?"
            params.append(speaker)
        if contains:
            where += f" AND {self._fold('q.text')} LIKE ? ESCAPE '\\'"
            params.append("%" + _like_escape(contains.lower()) + "%")
        if kind is not None:
            if kind not in ("direct", "indirect"):
                raise QueryError(f"quote kind must be direct or indirect, got {kind!r}")
            where += " AND q.kind = ?"
            params.append(kind)
        # "published IS NULL" first in ORDER BY: undated articles last in both databases (PostgreSQL sorts NULL first in DESC, SQLite last)
        source = f"quotes q JOIN articles a ON a.id = q.article_id WHERE 1 = 1{where}"
        total = int(self._query(f"SELECT count(*) FROM {source}", params)[0][0])
        rows = self._query(
            "SELECT q.article_id, a.title, a.published, a.outlet, a.url, q.seq, q.text, q.kind, q.cue, q.speaker, q.speaker_type,"
            f" q.speaker_mention, q.start_char, q.end_char FROM {source}"
            " ORDER BY a.published IS NULL, a.published DESC, q.article_id, q.seq LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        items = [
            QuoteHit(article_id=r[0], title=r[1], published=r[2], outlet=r[3], url=r[4], seq=int(r[5]), text=r[6], kind=r[7], cue=r[8],
                     speaker=r[9], speaker_type=r[10], mention=r[11], start=int(r[12]), end=int(r[13]))
            for r in rows
        ]  # fmt: skip
        return Page(items=items, total=total, offset=offset)

    # -- speakers and sources -----------------------------------------------------------------

    def speakers(self, *, filters: Filters | None = None, type: str | None = None, limit: int = 50, offset: int = 0) -> Page[SpeakerCount]:
        """Named speakers, most quoted first, with the days of their first and last quote."""
        limit, offset = _page(limit, offset)
        where, params = self._in_articles(filters, "s.article_id")
        if type is not None:
            where += " AND s.type = ?"
            params.append(type)
        source = f"speakers s JOIN articles a ON a.id = s.article_id WHERE 1 = 1{where}"
        total = int(self._query(f"SELECT count(*) FROM (SELECT 1 FROM {source} GROUP BY s.name, s.type) AS t", params)[0][0])
        rows = self._query(
            f"SELECT s.name, s.type, sum(s.quotes), count(*), min(a.published), max(a.published) FROM {source}"
            " GROUP BY s.name, s.type ORDER BY sum(s.quotes) DESC, count(*) DESC, s.name LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        items = [SpeakerCount(name=r[0], type=r[1], quotes=int(r[2]), articles=int(r[3]), first=_day(r[4]), last=_day(r[5])) for r in rows]
        return Page(items=items, total=total, offset=offset)

    def speaker_timeline(self, name: str, *, filters: Filters | None = None) -> list[TimelinePoint]:
        """Quotes by ``name`` per publication day (articles without a date left out)."""
        where, params = self._in_articles(filters, "s.article_id")
        rows = self._query(
            "SELECT substr(a.published, 1, 10) AS day, sum(s.quotes) FROM speakers s JOIN articles a ON a.id = s.article_id"
            f" WHERE s.name = ? AND a.published IS NOT NULL{where} GROUP BY substr(a.published, 1, 10) ORDER BY day",
            [name, *params],
        )
        return [TimelinePoint(day=r[0], count=int(r[1])) for r in rows]

    def sources(self, *, filters: Filters | None = None, type: str | None = None, limit: int = 50, offset: int = 0) -> Page[SourceCount]:
        """Cited sources, in most articles first."""
        limit, offset = _page(limit, offset)
        where, params = self._in_articles(filters, "s.article_id")
        if type is not None:
            where += " AND s.type = ?"
            params.append(type)
        source = f"sources s JOIN articles a ON a.id = s.article_id WHERE 1 = 1{where}"
        total = int(self._query(f"SELECT count(*) FROM (SELECT 1 FROM {source} GROUP BY s.name, s.type) AS t", params)[0][0])
        rows = self._query(
            f"SELECT s.name, s.type, count(DISTINCT s.article_id), sum(s.mentions), min(a.published), max(a.published) FROM {source}"
            " GROUP BY s.name, s.type ORDER BY count(DISTINCT s.article_id) DESC, sum(s.mentions) DESC, s.name LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        items = [SourceCount(name=r[0], type=r[1], articles=int(r[2]), mentions=int(r[3]), first=_day(r[4]), last=_day(r[5])) for r in rows]
        return Page(items=items, total=total, offset=offset)

    def source_timeline(self, name: str, *, filters: Filters | None = None) -> list[TimelinePoint]:
        """Articles citing ``name`` per publication day."""
        where, params = self._in_articles(filters, "s.article_id")
        rows = self._query(
            "SELECT substr(a.published, 1, 10) AS day, count(DISTINCT s.article_id) FROM sources s JOIN articles a ON a.id = s.article_id"
            f" WHERE s.name = ? AND a.published IS NOT NULL{where} GROUP BY substr(a.published, 1, 10) ORDER BY day",
            [name, *params],
        )
        return [TimelinePoint(day=r[0], count=int(r[1])) for r in rows]

    # -- places, events, days -----------------------------------------------------------------

    def places(self, *, filters: Filters | None = None, limit: int = 1000) -> list[PlaceCount]:
        """Resolved places, in most articles first; one row per GeoNames record (or per name and point without one)."""
        limit, _ = _page(limit, 0)
        where, params = self._in_articles(filters, "p.article_id")
        rows = self._query(
            "SELECT min(p.name), min(COALESCE(p.label, p.name)), avg(p.lat), avg(p.lon), p.geonameid, min(p.country), min(p.feature),"
            " count(DISTINCT p.article_id), sum(p.mentions)"
            f" FROM places p WHERE 1 = 1{where}"
            " GROUP BY p.geonameid, CASE WHEN p.geonameid IS NULL THEN p.name END,"
            # round(NUMERIC, 2): PostgreSQL has no round(double precision, integer)
            " CASE WHEN p.geonameid IS NULL THEN round(CAST(p.lat AS NUMERIC), 2) END, CASE WHEN p.geonameid IS NULL THEN round(CAST(p.lon AS NUMERIC), 2) END"
            " ORDER BY count(DISTINCT p.article_id) DESC, sum(p.mentions) DESC, min(p.name) LIMIT ?",
            [*params, limit],
        )
        return [
            PlaceCount(name=r[0], label=r[1], lat=float(r[2]), lon=float(r[3]), geonameid=None if r[4] is None else int(r[4]), country=r[5], feature=r[6],
                       articles=int(r[7]), mentions=int(r[8]))
            for r in rows
        ]  # fmt: skip

    def events(self, *, filters: Filters | None = None, type: str | None = None, limit: int = 500, offset: int = 0) -> Page[EventRow]:
        """Events, newest article first; ``type`` is an event type (ASSAULT) or an ACLED subtype."""
        limit, offset = _page(limit, offset)
        where, params = self._in_articles(filters, "e.article_id")
        if type is not None:
            where += " AND (e.type = ? OR e.subtype = ?)"
            params += [type, type]
        source = f"events e JOIN articles a ON a.id = e.article_id WHERE 1 = 1{where}"
        total = int(self._query(f"SELECT count(*) FROM {source}", params)[0][0])
        # the event's place is one of the article's resolved places: its coordinates are on that row
        located = "(SELECT {col} FROM places p WHERE p.article_id = e.article_id AND p.geonameid = e.place_geonameid ORDER BY p.seq LIMIT 1)"
        rows = self._query(
            "SELECT e.article_id, a.title, a.published, e.seq, e.type, e.subtype, e.trigger, e.actor, e.target, e.place,"
            f" {located.format(col='p.lat')}, {located.format(col='p.lon')}, {located.format(col='COALESCE(p.label, p.name)')},"
            " e.place_geonameid, e.time, e.modality, e.negated, e.attributed_to,"
            f" substr(a.text, e.sentence_start + 1, e.sentence_end - e.sentence_start) FROM {source}"
            " ORDER BY a.published IS NULL, a.published DESC, e.article_id, e.seq LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        items = [
            EventRow(article_id=r[0], title=r[1], published=r[2], seq=int(r[3]), type=r[4], subtype=r[5], trigger=r[6], actor=r[7], target=r[8],
                     place=r[9], lat=None if r[10] is None else float(r[10]), lon=None if r[11] is None else float(r[11]),
                     place_label=r[12] if r[12] is not None else r[9],
                     geonameid=None if r[13] is None else int(r[13]), time=r[14], modality=r[15], negated=bool(r[16]), attributed_to=r[17],
                     sentence=r[18])
            for r in rows
        ]  # fmt: skip
        return Page(items=items, total=total, offset=offset)

    def timeline(self, *, filters: Filters | None = None) -> list[TimelinePoint]:
        """Articles per publication day (articles without a date left out)."""
        where, params = self._in_articles(filters, "id")
        rows = self._query(
            f"SELECT substr(published, 1, 10) AS day, count(*) FROM articles WHERE published IS NOT NULL{where} GROUP BY substr(published, 1, 10) ORDER BY day",
            params,
        )
        return [TimelinePoint(day=r[0], count=int(r[1])) for r in rows]

    def outlets(self) -> list[tuple[str, int]]:
        """Outlets and how many articles each has, most first."""
        rows = self._query("SELECT outlet, count(*) FROM articles WHERE outlet IS NOT NULL GROUP BY outlet ORDER BY count(*) DESC, outlet")
        return [(r[0], int(r[1])) for r in rows]


def _like_escape(text: str) -> str:
    """``text`` as a literal inside a LIKE pattern (with ``ESCAPE '\\'``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
