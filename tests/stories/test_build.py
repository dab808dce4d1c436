from __future__ import annotations

from pathlib import Path

from kilde.records import Article, Source
from kilde.store.ingest import content_hash
from kilde.store.sqlite import SqliteStore
from kilde.stories.build import build_stories

# Our own short Danish texts: a ferry story over two days (the first article copied by a second outlet), and a budget.
FERRY_1 = (
    "Færgen mellem Ystad og Rønne sejler ikke i dag på grund af kraftig storm, oplyser rederiet Bornholmslinjen. "
    "Passagerer med billetter kan få pengene tilbage eller flytte rejsen til en senere afgang. "
    "Rederiet venter at sejle igen i morgen tidlig, hvis vinden løjer af som ventet."
)
FERRY_2 = (
    "Færgerne mellem Ystad og Rønne sejler igen efter stormen, oplyser Bornholmslinjen. "
    "Der er lange køer ved havnen i Ystad, hvor flere hundrede biler venter på at komme med færgen til Rønne."
)
BUDGET = "Et flertal i byrådet i Odense stemte torsdag for et budget med flere midler til ældreplejen og til skolerne i kommunen."


def article(aid: str, text: str, published: str, outlet: str) -> Article:
    return Article(
        id=aid, content_hash=content_hash(text), source=Source(format="json", url=f"https://example.dk/{aid}", outlet=outlet),
        title=None, published=published, text=text, raw=text,
    )  # fmt: skip


def test_build_stories_finds_copies_and_stories_and_replaces_them(tmp_path: Path) -> None:
    with SqliteStore(tmp_path / "k.db") as store:
        store.add(article("a", FERRY_1, "2024-03-01T08:00", "Ritzau"))
        store.add(article("b", FERRY_1, "2024-03-01T09:00", "Bornholms Avis"))
        store.add(article("c", FERRY_2, "2024-03-02T10:00", "Bornholms Avis"))
        store.add(article("d", BUDGET, "2024-03-01T11:00", "Fyns Avis"))
        summary = build_stories(store)
        assert (summary.articles, summary.duplicate_groups, summary.copies) == (4, 1, 1)
        assert (summary.stories, summary.in_stories) == (1, 3)
        group = store.duplicates_of("b")
        assert group is not None and group.members == ("a", "b") and group.original == "a"
        story_id = store.story_of("c")
        assert story_id is not None and store.story_of("a") == story_id and store.story_of("d") is None
        story = store.story(story_id)
        assert story is not None and [(x.id, x.duplicate_of) for x in story.articles] == [("a", None), ("b", "a"), ("c", None)]
        assert story.title  # no headlines: its top terms
        again = build_stories(store)
        assert (again.stories, again.copies) == (1, 1) and store.story(story_id) == story  # the same ids again


def test_an_empty_store_has_no_stories(tmp_path: Path) -> None:
    with SqliteStore(tmp_path / "k.db") as store:
        summary = build_stories(store)
        assert (summary.articles, summary.stories, summary.duplicate_groups) == (0, 0, 0)
        assert store.stories().total == 0
