from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kilde.records import Article, Entity, Place, PlaceMention, Quote, Source, Speaker
from kilde.store import Filters, StoreError
from kilde.store.ingest import content_hash
from kilde.store.migrations import migrations
from kilde.store.sqlite import SqliteStore
from kilde.stories import DuplicateGroup, Story, StoryArticle, StoryDoc
from tests.store.conftest import Backend

# Our own short Danish texts.
TEXTS = {
    "a1": "Færgen til Bornholm aflyst\n\nFærgen mellem Ystad og Rønne sejler ikke i dag, oplyser rederiet.",
    "a2": "Storm: ingen færger til Rønne\n\nFærgen mellem Ystad og Rønne sejler ikke i dag, oplyser rederiet.",
    "a3": "Færgerne sejler igen\n\nEfter to dage med storm sejler færgen til Rønne igen, siger havnefoged Lis Dam.",
    "b1": "Byrådet i Odense vedtager budget\n\nEt flertal stemte for flere penge til ældreplejen.",
}


def make(aid: str, *, published: str | None, outlet: str | None, speaker: str | None = None, place: str | None = None) -> Article:
    text = TEXTS[aid]
    fields: dict[str, Any] = {}
    if place:
        at = text.index(place)
        fields["places"] = [Place(name=place, lat=55.1, lon=14.7, mentions=[PlaceMention(text=place, start=at, end=at + len(place))])]
        fields["entities"] = [Entity(text=place, label="LOC", start=at, end=at + len(place))]
    if speaker:
        at = text.index(speaker)
        who = Speaker(name=speaker, mention=speaker, mention_start=at, mention_end=at + len(speaker), type="person")
        fields["quotes"] = [Quote(text="sejler igen", kind="indirect", start=0, end=5, speaker=who, confidence=0.8)]
    return Article(
        id=aid,
        content_hash=content_hash(text),
        source=Source(format="text", url=f"https://example.dk/{aid}", outlet=outlet),
        title=text.split("\n")[0],
        published=published,
        text=text,
        raw=text,
        **fields,
    )


@pytest.fixture
def store(backend: Backend) -> Iterator[Any]:  # each test runs on SQLite and on PostgreSQL (tests/store/conftest.py)
    with backend.open() as s:
        s.add(make("a1", published="2024-03-01T08:00:00", outlet="Ritzau", place="Rønne"))
        s.add(make("a2", published="2024-03-01T09:30:00", outlet="Bornholms Avis", place="Rønne"))
        s.add(make("a3", published="2024-03-03", outlet="Bornholms Avis", speaker="Lis Dam", place="Rønne"))
        s.add(make("b1", published="2024-02-20", outlet="Fyns Avis"))
        yield s


GROUP = DuplicateGroup(id="d1", original="a1", members=("a1", "a2"), similarity=0.83)
FERRY = Story(
    id="s1",
    title="Færgen til Bornholm aflyst",
    first="2024-03-01",
    last="2024-03-03",
    size=3,
    articles=(
        StoryArticle(id="a1", title="Færgen til Bornholm aflyst", published="2024-03-01T08:00:00", outlet="Ritzau"),
        StoryArticle(id="a2", title="Storm: ingen færger til Rønne", published="2024-03-01T09:30:00", outlet="Bornholms Avis", duplicate_of="a1"),
        StoryArticle(id="a3", title="Færgerne sejler igen", published="2024-03-03", outlet="Bornholms Avis"),
    ),
    places=("Rønne", "Ystad"),
    speakers=(("Lis Dam", 1),),
    timeline=(("2024-03-01", 2), ("2024-03-03", 1)),
)
BUDGET = Story(
    id="s2",
    title="Byrådet i Odense vedtager budget",
    first="2024-02-20",
    last="2024-02-20",
    size=1,
    articles=(StoryArticle(id="b1", title="Byrådet i Odense vedtager budget", published="2024-02-20", outlet="Fyns Avis"),),
    timeline=(("2024-02-20", 1),),
)


def test_the_migration_exists_for_both_dialects_and_is_applied() -> None:
    assert "0002_stories" in [m.name for m in migrations("sqlite")]
    assert "0002_stories" in [m.name for m in migrations("postgresql")]
    with SqliteStore(":memory:") as s:
        assert s.applied_migrations()[:2] == ["0001_initial", "0002_stories"]
        assert s.dialect == "sqlite"


def test_story_docs_give_text_names_and_counts(store: SqliteStore) -> None:
    docs = {d.id: d for d in store.story_docs()}
    assert sorted(docs) == ["a1", "a2", "a3", "b1"]
    a3 = docs["a3"]
    assert a3 == StoryDoc(
        id="a3",
        title="Færgerne sejler igen",
        published="2024-03-03",
        outlet="Bornholms Avis",
        text=TEXTS["a3"],
        entities=("Rønne",),
        places=(("Rønne", 1),),
        speakers=(("Lis Dam", 1),),
    )
    assert a3.day == "2024-03-03" and docs["a1"].day == "2024-03-01"
    assert docs["b1"].places == () and docs["b1"].speakers == ()


def test_story_docs_read_in_pages(store: SqliteStore, monkeypatch: pytest.MonkeyPatch) -> None:
    import kilde.store.story_tables as tables

    monkeypatch.setattr(tables, "DOCS_PER_QUERY", 3)
    assert [d.id for d in store.story_docs()] == ["a1", "a2", "a3", "b1"]


def test_round_trip(store: Any) -> None:
    store.replace_stories([GROUP], [FERRY, BUDGET], place_mentions={"s1": {"Rønne": 3, "Ystad": 2}})
    assert store.story("s1") == FERRY
    assert store.story("s2") == BUDGET
    assert store.story("nope") is None
    assert store.duplicates_of("a1") == GROUP and store.duplicates_of("a2") == GROUP
    assert store.duplicates_of("a3") is None
    assert store.story_of("a2") == "s1" and store.story_of("b1") == "s2" and store.story_of("zz") is None
    assert FERRY.outlets == ("Bornholms Avis", "Ritzau")
    # plain SQL for users
    assert [tuple(r) for r in store._query("SELECT title, first_day, last_day, size, outlets FROM stories ORDER BY id")] == [
        ("Færgen til Bornholm aflyst", "2024-03-01", "2024-03-03", 3, 2),
        ("Byrådet i Odense vedtager budget", "2024-02-20", "2024-02-20", 1, 1),
    ]
    assert [tuple(r) for r in store._query("SELECT name, mentions FROM story_places WHERE story_id = 's1' ORDER BY seq")] == [("Rønne", 3), ("Ystad", 2)]


def test_listing_is_latest_first_paged_and_filtered(store: SqliteStore) -> None:
    store.replace_stories([GROUP], [BUDGET, FERRY])
    page = store.stories()
    assert [s.id for s in page.items] == ["s1", "s2"] and page.total == 2 and page.offset == 0
    second = store.stories(limit=1, offset=1)
    assert [s.id for s in second.items] == ["s2"] and second.total == 2
    assert [s.id for s in store.stories(filters=Filters(outlet="Fyns Avis")).items] == ["s2"]
    assert [s.id for s in store.stories(filters=Filters(date_from="2024-03-02")).items] == ["s1"]
    assert [s.id for s in store.stories(filters=Filters(place="Rønne")).items] == ["s1"]
    nothing = store.stories(filters=Filters(date_from="2025-01-01"))
    assert nothing.items == [] and nothing.total == 0


def test_replace_is_idempotent_and_replaces_everything(store: SqliteStore) -> None:
    store.replace_stories([GROUP], [FERRY, BUDGET])
    store.replace_stories([GROUP], [FERRY, BUDGET])
    assert store.stories().total == 2 and store.story("s1") == FERRY
    alone = Story(id="s9", title="Alene", first=None, last=None, size=1, articles=(StoryArticle(id="a3", title=None, published=None, outlet=None),))
    store.replace_stories([], [alone])
    assert store.stories().total == 1
    assert store.duplicates_of("a1") is None and store.story_of("a1") is None and store.story("s1") is None
    only = store.story("s9")
    assert only is not None and only.articles[0].title == "Færgerne sejler igen"  # read from articles, not kept twice


def test_a_failed_replace_leaves_the_previous_result(store: SqliteStore) -> None:
    store.replace_stories([GROUP], [FERRY, BUDGET])
    ghost = Story(id="s3", title="Spøgelse", first=None, last=None, size=1, articles=(StoryArticle(id="not-stored", title=None, published=None, outlet=None),))
    with pytest.raises(StoreError, match="cannot save the stories"):
        store.replace_stories([], [BUDGET, ghost])  # the unknown article fails after the old rows were deleted
    assert store.story("s1") == FERRY and store.duplicates_of("a2") == GROUP and store.stories().total == 2


@pytest.mark.parametrize(
    ("groups", "stories", "message"),
    [
        ([DuplicateGroup(id="d", original="a2", members=("a1", "a2"), similarity=1.0)], [], "must be its first member"),
        ([GROUP, DuplicateGroup(id="d2", original="a2", members=("a2", "a3"), similarity=1.0)], [], "in two duplicate groups"),
        ([], [FERRY, Story(id="s5", title="x", first=None, last=None, size=1, articles=FERRY.articles[:1])], "in two stories"),
    ],
)
def test_contradictory_records_are_refused_before_writing(store: SqliteStore, groups: list[DuplicateGroup], stories: list[Story], message: str) -> None:
    store.replace_stories([GROUP], [BUDGET])
    with pytest.raises(ValueError, match=message):
        store.replace_stories(groups, stories)
    assert store.story("s2") == BUDGET and store.duplicates_of("a1") == GROUP


def test_a_store_made_before_stories_gets_the_tables_and_keeps_its_articles(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    # without the stories tables (this code writes place labels, so the old store has that later migration)
    with SqliteStore(path, schema=[m for m in migrations("sqlite") if m.name != "0002_stories"]) as old:
        old.add(make("b1", published="2024-02-20", outlet="Fyns Avis"))
        assert old.applied_migrations() == ["0001_initial", "0003_place_labels"]
    with SqliteStore(path) as store:
        assert store.applied_migrations() == ["0001_initial", "0003_place_labels", "0002_stories"]
        assert store.stories().total == 0
        store.replace_stories([], [BUDGET])
        assert store.story("s2") == BUDGET


def test_two_rebuilds_at_once_take_turns(store: Any, backend: Backend) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with backend.open() as other:  # a second connection to the same database, as a second `kilde ingest` has
        stores = [store, other] * 3
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(lambda s: s.replace_stories([GROUP], [FERRY, BUDGET]), stores))  # raises if one rebuild trips over the other
    assert store.stories().total == 2 and store.story("s1") == FERRY
