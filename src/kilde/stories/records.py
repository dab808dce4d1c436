"""The records of near-duplicates and stories, shared by the clustering and the store.

Plain frozen dataclasses: the store builds them from rows, the clustering builds
them from :class:`StoryDoc` inputs, the API serialises them with ``dataclasses.asdict``.
Days are ISO dates (``YYYY-MM-DD``), the publication day of an article.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DuplicateGroup", "Story", "StoryArticle", "StoryDoc"]


@dataclass(frozen=True)
class DuplicateGroup:
    """Articles that are copies of one text (wire copies, light edits) across outlets.

    ``members`` are article ids, the original first: the earliest published, then the
    smallest id. ``similarity`` is the lowest estimated Jaccard similarity of a member's
    word shingles to the original's.
    """

    id: str
    original: str
    members: tuple[str, ...]
    similarity: float


@dataclass(frozen=True)
class StoryArticle:
    """One article of a story; ``duplicate_of`` is the original it copies, if it is a copy."""

    id: str
    title: str | None
    published: str | None
    outlet: str | None
    duplicate_of: str | None = None


@dataclass(frozen=True)
class Story:
    """A developing story: articles about the same thing over days, across outlets.

    ``first``/``last`` are its first and last publication day; ``size`` counts its
    articles, copies included; ``places`` are the most mentioned first; ``speakers``
    are (name, quotes), most quoted first; ``timeline`` is (day, articles) by day.
    """

    id: str
    title: str
    first: str | None
    last: str | None
    size: int
    articles: tuple[StoryArticle, ...]
    places: tuple[str, ...] = ()
    speakers: tuple[tuple[str, int], ...] = ()
    timeline: tuple[tuple[str, int], ...] = ()

    @property
    def outlets(self) -> tuple[str, ...]:
        """The outlets that carried it, by number of articles (then name)."""
        counts: dict[str, int] = {}
        for a in self.articles:
            if a.outlet:
                counts[a.outlet] = counts.get(a.outlet, 0) + 1
        return tuple(sorted(counts, key=lambda o: (-counts[o], o)))


@dataclass(frozen=True)
class StoryDoc:
    """What the clustering needs of one stored article.

    ``entities`` are the names of its entity mentions (repeated as often as mentioned);
    ``places`` and ``speakers`` are (name, mentions) and (name, quotes).
    """

    id: str
    title: str | None
    published: str | None
    outlet: str | None
    text: str
    entities: tuple[str, ...] = ()
    places: tuple[tuple[str, int], ...] = ()
    speakers: tuple[tuple[str, int], ...] = ()

    @property
    def day(self) -> str | None:
        """The publication day (the first ten characters of an ISO date or datetime)."""
        return self.published[:10] if self.published else None
