"""Near-duplicate groups and stories in the store: the tables of migration ``0002_stories``.

:class:`StoryTables` is mixed into every backend and written only against the
executor hooks they share (``_query``, ``_transaction``, ``_articles_where``,
``dialect``; ``?`` placeholders), in SQL that SQLite ≥ 3.40 and PostgreSQL 15
both accept. The stories are derived data: :meth:`StoryTables.replace_stories`
swaps the whole result in one transaction, and reading joins ``articles`` for
titles, dates and outlets rather than keeping copies of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any

from kilde.store import Filters, Page
from kilde.store.errors import StoreError
from kilde.stories.records import DuplicateGroup, Story, StoryArticle, StoryDoc

__all__ = ["StoryTables"]

DOCS_PER_QUERY = 500  # story_docs reads this many articles at a time: memory stays flat, round trips stay few
STORIES_LOCK = 0x4B696C6465  # PostgreSQL advisory lock key of story rebuilds ("Kilde")
_STORY_TABLES = ("story_timeline", "story_speakers", "story_places", "story_articles", "stories", "duplicate_members", "duplicate_groups")


def _marks(n: int) -> str:
    return ", ".join("?" * n)


class StoryTables:
    """Store methods for near-duplicates and stories (see :mod:`kilde.stories`)."""

    # provided by the backend (store contract §1)
    location: str
    dialect: str
    _query: Callable[..., list[Any]]
    _transaction: Callable[[], AbstractContextManager[Any]]
    _articles_where: Callable[[Filters], tuple[str, list[Any]]]

    # -- what the clustering reads -------------------------------------------------------------

    def story_docs(self) -> Iterator[StoryDoc]:
        """Every stored article as the clustering needs it, by id, read a few hundred at a time."""
        after = ""
        while True:
            rows = self._query("SELECT id, title, published, outlet, text FROM articles WHERE id > ? ORDER BY id LIMIT ?", (after, DOCS_PER_QUERY))
            if not rows:
                return
            ids = [row["id"] for row in rows]
            marks = _marks(len(ids))
            entities: dict[str, list[str]] = defaultdict(list)
            for row in self._query(f"SELECT article_id, text FROM entities WHERE article_id IN ({marks}) ORDER BY article_id, seq", ids):
                entities[row[0]].append(row[1])
            places: dict[str, list[tuple[str, int]]] = defaultdict(list)
            for row in self._query(
                f"SELECT article_id, COALESCE(label, name), mentions FROM places WHERE article_id IN ({marks}) ORDER BY article_id, seq", ids
            ):
                places[row[0]].append((row[1], int(row[2])))
            speakers: dict[str, list[tuple[str, int]]] = defaultdict(list)
            for row in self._query(f"SELECT article_id, name, quotes FROM speakers WHERE article_id IN ({marks}) ORDER BY article_id, name", ids):
                speakers[row[0]].append((row[1], int(row[2])))
            for row in rows:
                aid = row["id"]
                yield StoryDoc(
                    id=aid,
                    title=row["title"],
                    published=row["published"],
                    outlet=row["outlet"],
                    text=row["text"],
                    entities=tuple(entities.get(aid, ())),
                    places=tuple(places.get(aid, ())),
                    speakers=tuple(speakers.get(aid, ())),
                )
            after = ids[-1]

    # -- writing -------------------------------------------------------------------------------

    def replace_stories(self, groups: Sequence[DuplicateGroup], stories: Sequence[Story], *, place_mentions: dict[str, dict[str, int]] | None = None) -> None:
        """Replace all near-duplicate groups and stories with these, in one transaction.

        Raises :class:`ValueError` for records that contradict each other (an article in
        two groups or two stories, an original that is not its group's first member) and
        :class:`StoreError` when the store refuses them (an article id it does not hold);
        either way the previous result stays as it was. ``place_mentions`` (story id →
        place → mentions) fills ``story_places.mentions``; without it, places count 0.
        """
        group_rows, member_rows = _group_rows(groups)
        story_rows, article_rows, place_rows, speaker_rows, day_rows = _story_rows(stories, place_mentions or {})
        try:
            with self._transaction() as tx:
                if self.dialect == "postgresql":
                    # two rebuilds at once (team members ingesting together) take turns; SQLite's BEGIN IMMEDIATE already does
                    tx.execute("SELECT pg_advisory_xact_lock(?)", (STORIES_LOCK,))
                for table in _STORY_TABLES:  # children first: no foreign key is ever left dangling
                    tx.execute(f"DELETE FROM {table}")
                tx.executemany("INSERT INTO duplicate_groups (id, original, size, similarity) VALUES (?, ?, ?, ?)", group_rows)
                tx.executemany("INSERT INTO duplicate_members (article_id, group_id, seq) VALUES (?, ?, ?)", member_rows)
                tx.executemany("INSERT INTO stories (id, title, first_day, last_day, size, outlets) VALUES (?, ?, ?, ?, ?, ?)", story_rows)
                tx.executemany("INSERT INTO story_articles (article_id, story_id, seq, duplicate_of) VALUES (?, ?, ?, ?)", article_rows)
                tx.executemany("INSERT INTO story_places (story_id, seq, name, mentions) VALUES (?, ?, ?, ?)", place_rows)
                tx.executemany("INSERT INTO story_speakers (story_id, seq, name, quotes) VALUES (?, ?, ?, ?)", speaker_rows)
                tx.executemany("INSERT INTO story_timeline (story_id, day, articles) VALUES (?, ?, ?)", day_rows)
        except StoreError:
            raise
        except Exception as exc:  # the driver's error (sqlite3, psycopg): named as the store's
            raise StoreError(f"{self.location}: cannot save the stories: {exc}") from exc

    # -- reading -------------------------------------------------------------------------------

    def stories(self, *, filters: Filters | None = None, limit: int = 20, offset: int = 0) -> Page[Story]:
        """Stories, latest last day first (then biggest); with ``filters``, those with an article that passes them."""
        where = "1 = 1"
        params: list[Any] = []
        if filters is not None and filters != Filters():
            condition, params = self._articles_where(filters)
            where = f"id IN (SELECT story_id FROM story_articles WHERE article_id IN (SELECT id FROM articles WHERE {condition}))"
        total = int(self._query(f"SELECT count(*) FROM stories WHERE {where}", params)[0][0])
        # COALESCE: SQLite sorts NULLs last in DESC, PostgreSQL first; '' sorts last in both
        rows = self._query(
            f"SELECT id, title, first_day, last_day, size FROM stories WHERE {where} ORDER BY COALESCE(last_day, '') DESC, size DESC, id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return Page(items=self._stories(rows), total=total, offset=offset)

    def story(self, story_id: str) -> Story | None:
        """One story by id, or ``None``."""
        rows = self._query("SELECT id, title, first_day, last_day, size FROM stories WHERE id = ?", (story_id,))
        return self._stories(rows)[0] if rows else None

    def story_of(self, article_id: str) -> str | None:
        """The id of the story an article belongs to, or ``None``."""
        rows = self._query("SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,))
        return str(rows[0][0]) if rows else None

    def duplicates_of(self, article_id: str) -> DuplicateGroup | None:
        """The near-duplicate group an article is in (as original or copy), or ``None``."""
        rows = self._query(
            "SELECT g.id, g.original, g.similarity FROM duplicate_groups g JOIN duplicate_members m ON m.group_id = g.id WHERE m.article_id = ?", (article_id,)
        )
        if not rows:
            return None
        group_id = rows[0][0]
        members = self._query("SELECT article_id FROM duplicate_members WHERE group_id = ? ORDER BY seq", (group_id,))
        return DuplicateGroup(id=group_id, original=rows[0][1], members=tuple(m[0] for m in members), similarity=float(rows[0][2]))

    def _stories(self, rows: Sequence[Any]) -> list[Story]:
        """Stories for rows of ``stories``, their parts read in one query per table."""
        if not rows:
            return []
        ids = [row[0] for row in rows]
        marks = _marks(len(ids))
        articles: dict[str, list[StoryArticle]] = defaultdict(list)
        for r in self._query(
            "SELECT sa.story_id, sa.article_id, a.title, a.published, a.outlet, sa.duplicate_of FROM story_articles sa JOIN articles a ON a.id = sa.article_id"
            f" WHERE sa.story_id IN ({marks}) ORDER BY sa.story_id, sa.seq",
            ids,
        ):
            articles[r[0]].append(StoryArticle(id=r[1], title=r[2], published=r[3], outlet=r[4], duplicate_of=r[5]))
        places: dict[str, list[str]] = defaultdict(list)
        for r in self._query(f"SELECT story_id, name FROM story_places WHERE story_id IN ({marks}) ORDER BY story_id, seq", ids):
            places[r[0]].append(r[1])
        speakers: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for r in self._query(f"SELECT story_id, name, quotes FROM story_speakers WHERE story_id IN ({marks}) ORDER BY story_id, seq", ids):
            speakers[r[0]].append((r[1], int(r[2])))
        timeline: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for r in self._query(f"SELECT story_id, day, articles FROM story_timeline WHERE story_id IN ({marks}) ORDER BY story_id, day", ids):
            timeline[r[0]].append((r[1], int(r[2])))
        return [
            Story(
                id=row[0],
                title=row[1],
                first=row[2],
                last=row[3],
                size=int(row[4]),
                articles=tuple(articles.get(row[0], ())),
                places=tuple(places.get(row[0], ())),
                speakers=tuple(speakers.get(row[0], ())),
                timeline=tuple(timeline.get(row[0], ())),
            )
            for row in rows
        ]


def _group_rows(groups: Sequence[DuplicateGroup]) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    group_rows: list[tuple[Any, ...]] = []
    member_rows: list[tuple[Any, ...]] = []
    seen: dict[str, str] = {}
    for g in groups:
        if not g.members or g.members[0] != g.original:
            raise ValueError(f"duplicate group {g.id}: the original {g.original} must be its first member")
        for seq, aid in enumerate(g.members):
            if aid in seen:
                raise ValueError(f"article {aid} is in two duplicate groups ({seen[aid]} and {g.id})")
            seen[aid] = g.id
            member_rows.append((aid, g.id, seq))
        group_rows.append((g.id, g.original, len(g.members), float(g.similarity)))
    return group_rows, member_rows


def _story_rows(stories: Sequence[Story], place_mentions: dict[str, dict[str, int]]) -> tuple[list[tuple[Any, ...]], ...]:
    story_rows: list[tuple[Any, ...]] = []
    article_rows: list[tuple[Any, ...]] = []
    place_rows: list[tuple[Any, ...]] = []
    speaker_rows: list[tuple[Any, ...]] = []
    day_rows: list[tuple[Any, ...]] = []
    seen: dict[str, str] = {}
    for s in stories:
        for seq, a in enumerate(s.articles):
            if a.id in seen:
                raise ValueError(f"article {a.id} is in two stories ({seen[a.id]} and {s.id})")
            seen[a.id] = s.id
            article_rows.append((a.id, s.id, seq, a.duplicate_of))
        outlets = len({a.outlet for a in s.articles if a.outlet})
        story_rows.append((s.id, s.title, s.first, s.last, s.size, outlets))
        mentions = place_mentions.get(s.id, {})
        place_rows += [(s.id, seq, name, mentions.get(name, 0)) for seq, name in enumerate(s.places)]
        speaker_rows += [(s.id, seq, name, quotes) for seq, (name, quotes) in enumerate(s.speakers)]
        day_rows += [(s.id, day, n) for day, n in s.timeline]
    return story_rows, article_rows, place_rows, speaker_rows, day_rows
