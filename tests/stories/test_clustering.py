from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from kilde.stories import DuplicateGroup, StoryDoc
from kilde.stories.clustering import StoryParams, StoryVectors, cluster_stories, stories_of

# Our own short Danish news texts: a ferry story told over several days, and unrelated news around it that shares
# no content word with it (in a corpus this small, one shared word would weigh as much as a name).
FERRY = [
    (
        "Storm lukker færgerne til Bornholm",
        "Færgerne mellem Ystad og Rønne sejler ikke på grund af storm, oplyser Bornholmslinjen. Passagererne får pengene tilbage.",
    ),
    (
        "Stormen holder færgerne i havn",
        "Bornholmslinjen aflyser også i dag færgerne mellem Rønne og Ystad. Stormen ventes at løje af i nat, siger pressechef Lis Dam.",
    ),
    (
        "Færgerne sejler igen til Bornholm",
        "Færgerne mellem Ystad og Rønne sejler igen efter stormen. Der er lange køer, siger pressechef Lis Dam fra Bornholmslinjen.",
    ),
]
OTHER = [
    ("Byrådet i Odense vedtager budget", "Et flertal i byrådet i Odense stemte for et budget med flere midler til ældreplejen og skolerne."),
    ("Ny direktør for Aarhus Teater", "Aarhus Teater har ansat en ny direktør, der kommer fra Det Kongelige Teater i København."),
    ("Rekordhøst af æbler på Fyn", "Æbleavlerne på Fyn regner med den største høst i tyve år efter et varmt forår."),
    ("Skybrud i Vejle", "Et skybrud satte natten til mandag flere veje i Vejle under vand, og beredskabet pumpede kældre tomme."),
    ("Ulv set i Thy", "En ulv er set nær Vestervig i Thy, meddeler Naturstyrelsen, der beder folk gå uden om dyret."),
]
START = date(2024, 3, 1)


def doc(
    aid: str, title: str, text: str, day: int | None, *, hour: int = 8, outlet: str = "Avis", places: tuple[tuple[str, int], ...] = (), **kw: object
) -> StoryDoc:
    published = (START + timedelta(days=day)).isoformat() + f"T{hour:02d}:00" if day is not None else None
    return StoryDoc(id=aid, title=title, published=published, outlet=outlet, text=f"{title}\n\n{text}", places=places, **kw)  # type: ignore[arg-type]


def corpus(ferry_days: tuple[int, ...]) -> list[StoryDoc]:
    docs = [doc(f"f{k}", *FERRY[k % 3], day, places=(("Rønne", 1), ("Ystad", 1))) for k, day in enumerate(ferry_days)]
    docs += [doc(f"o{k}", title, text, k % 3) for k, (title, text) in enumerate(OTHER)]
    return docs


def members(stories: list, prefix: str = "f") -> list[list[str]]:
    return sorted(sorted(a.id for a in s.articles if a.id.startswith(prefix)) for s in stories if any(a.id.startswith(prefix) for a in s.articles))


def test_a_story_is_linked_across_days_within_the_window() -> None:
    stories = stories_of(corpus((0, 2, 7)), [])
    assert members(stories) == [["f0", "f1", "f2"]]  # day 7 is five days after the story's last article
    [ferry] = [s for s in stories if s.articles[0].id == "f0"]
    assert (ferry.first, ferry.last) == ("2024-03-01", "2024-03-08")
    assert ferry.timeline == (("2024-03-01", 1), ("2024-03-03", 1), ("2024-03-08", 1))
    assert all(not a.id.startswith("o") for a in ferry.articles)  # unrelated news of the same days stays out


def test_a_story_is_not_linked_beyond_the_window() -> None:
    stories = stories_of(corpus((0, 1, 10)), [])  # nine days without an article: the story closed
    assert members(stories) == [["f0", "f1"]]
    assert stories_of(corpus((0, 1, 10)), [], params=StoryParams(window_days=10)) != stories
    assert members(stories_of(corpus((0, 1, 10)), [], params=StoryParams(window_days=10))) == [["f0", "f1", "f2"]]


def test_copies_join_their_originals_story_and_count() -> None:
    docs = corpus((0, 2))
    docs.append(doc("copy", FERRY[0][0], FERRY[0][1], 0, hour=9, outlet="Ritzau", places=(("Rønne", 2),)))
    docs.append(doc("alone", OTHER[1][0], OTHER[1][1], 4))
    docs.append(doc("undated", OTHER[3][0], OTHER[3][1], None))
    groups = [
        DuplicateGroup(id="d1", original="f0", members=("f0", "copy"), similarity=1.0),
        DuplicateGroup(id="d2", original="o1", members=("o1", "alone"), similarity=1.0),
    ]
    stories, mentions = cluster_stories(_vectors(docs), groups)
    ferry = next(s for s in stories if s.articles[0].id == "f0")
    assert [(a.id, a.duplicate_of) for a in ferry.articles] == [("f0", None), ("copy", "f0"), ("f1", None)]
    assert ferry.size == 3 and ferry.timeline == (("2024-03-01", 2), ("2024-03-03", 1))
    assert ferry.places == ("Rønne", "Ystad") and mentions[ferry.id] == {"Rønne": 4, "Ystad": 2}
    assert set(ferry.outlets) == {"Avis", "Ritzau"}
    theatre = next(s for s in stories if s.articles[0].id == "o1")  # an article and its copy four days later: a story
    assert [a.id for a in theatre.articles] == ["o1", "alone"]
    assert all(a.id != "undated" for s in stories for a in s.articles)  # no date and no original: no story
    assert all(s.size >= 2 for s in stories)


def test_the_title_is_the_most_central_headline_and_speakers_are_counted() -> None:
    docs = corpus((0, 1, 2))
    docs = [d if d.id != "f1" else StoryDoc(**{**d.__dict__, "speakers": (("Lis Dam", 2),)}) for d in docs]
    docs = [d if d.id != "f2" else StoryDoc(**{**d.__dict__, "speakers": (("Lis Dam", 1), ("Ole Holm", 1))}) for d in docs]
    [ferry] = [s for s in stories_of(docs, []) if s.articles[0].id == "f0"]
    assert ferry.title in {t for t, _ in FERRY}
    assert ferry.speakers == (("Lis Dam", 3), ("Ole Holm", 1))
    untitled = [StoryDoc(**{**d.__dict__, "title": None}) for d in docs]
    [bare] = [s for s in stories_of(untitled, []) if s.articles[0].id == "f0"]
    assert bare.title not in {t for t, _ in FERRY} and " · " in bare.title  # top terms instead
    assert {"færgerne", "ystad", "rønne", "stormen", "bornholmslinjen"} & set(bare.title.casefold().split(" · "))


def test_nothing_links_when_the_threshold_cannot_be_reached() -> None:
    assert stories_of(corpus((0, 1, 2)), [], params=StoryParams(day_threshold=1.0, link_threshold=1.01)) == []


def test_the_matrix_is_the_same_every_time_it_is_built() -> None:
    vectors = _vectors(corpus((0, 1, 2)))
    first, second = vectors.matrix(), vectors.matrix()
    assert (first != second).nnz == 0
    norms = np.sqrt(np.asarray(first.multiply(first).sum(axis=1)).ravel())
    assert np.allclose(norms[norms > 0], 1.0)


def test_stories_are_deterministic() -> None:
    docs = corpus((0, 2, 3))
    assert stories_of(docs, []) == stories_of(list(reversed(docs)), [])


def _vectors(docs: list[StoryDoc]) -> StoryVectors:
    vectors = StoryVectors()
    for d in docs:
        vectors.add(d)
    return vectors


def test_the_window_is_seven_days_after_the_last_article() -> None:
    assert members(stories_of(corpus((0, 7)), [])) == [["f0", "f1"]]
    assert members(stories_of(corpus((0, 8)), [])) == []  # two one-article stories: neither is kept
