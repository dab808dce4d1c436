"""Rebuild a store's near-duplicate groups and stories from its articles."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from kilde.stories.clustering import StoryParams, StoryVectors, cluster_stories
from kilde.stories.duplicates import DEFAULT_THRESHOLD, DuplicateFinder
from kilde.stories.records import DuplicateGroup, Story, StoryDoc

__all__ = ["StoriesSummary", "StoryStore", "build_stories"]


class StoryStore(Protocol):
    """What :func:`build_stories` needs of a store (:class:`kilde.store.story_tables.StoryTables` provides it)."""

    location: str

    def story_docs(self) -> Iterator[StoryDoc]: ...

    def replace_stories(
        self, groups: Sequence[DuplicateGroup], stories: Sequence[Story], *, place_mentions: dict[str, dict[str, int]] | None = None
    ) -> None: ...


@dataclass(frozen=True, kw_only=True)
class StoriesSummary:
    articles: int  # read from the store
    duplicate_groups: int
    copies: int  # articles that are a near-duplicate of an earlier one
    stories: int
    in_stories: int  # articles in some story
    seconds: float


def build_stories(store: StoryStore, *, threshold: float = DEFAULT_THRESHOLD, params: StoryParams | None = None) -> StoriesSummary:
    """Find the near-duplicates and stories of every stored article and replace the stored ones, in one transaction.

    Reads the articles once, keeping only their signatures and term counts, not their texts.
    """
    started = time.perf_counter()
    finder = DuplicateFinder(threshold=threshold)
    vectors = StoryVectors(params=params or StoryParams())
    for doc in store.story_docs():
        finder.add(doc.id, published=doc.published, text=doc.text, title=doc.title)
        vectors.add(doc)
    groups = finder.groups()
    stories, place_mentions = cluster_stories(vectors, groups)
    store.replace_stories(groups, stories, place_mentions=place_mentions)
    return StoriesSummary(
        articles=len(finder),
        duplicate_groups=len(groups),
        copies=sum(len(g.members) - 1 for g in groups),
        stories=len(stories),
        in_stories=sum(s.size for s in stories),
        seconds=round(time.perf_counter() - started, 3),
    )
