"""The read views (kilde.store.reads) over records built by hand, so every count below is known."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from kilde.records import Article, Event, Place, PlaceMention, Quote, Source, SourceRef, Span, Speaker
from kilde.store import Filters, QueryError
from kilde.store.ingest import content_hash
from kilde.store.sqlite import SqliteStore
from tests.store.conftest import Backend

# Our own short texts; offsets below point into them.
HARBOUR = "Øresund lukker havnen. »Vi åbner igen i morgen,« siger Ærø Havns direktør Søren Ørsted. Ifølge Ritzau blev havnen i Aarhus beskudt."
FERRY = "Færgen til Ærø sejler ikke. »Det er for farligt,« siger Søren Ørsted. Ritzau oplyser, at vejret bedres."
BUDGET = "Byrådet vedtog budgettet. »En god dag,« siger borgmester Anne Holm."


def quote(text: str, container: str, speaker: str, kind: str = "direct", stype: str = "person") -> Quote:
    start = container.index(text)
    return Quote(
        start=start, end=start + len(text), text=text, kind=kind, cue="siger", speaker=Speaker(name=speaker, mention=speaker, type=stype), confidence=0.9
    )


def record(aid: str, text: str, *, published: str | None, outlet: str, **fields: Any) -> Article:
    source = Source(format="text", url=f"https://example.dk/{aid}", outlet=outlet)
    return Article(id=aid, content_hash=content_hash(text), source=source, text=text, raw=text, published=published, title=f"Titel {aid}", **fields)


def aarhus(mentions: int = 1) -> Place:
    return Place(name="Aarhus", lat=56.1567, lon=10.2108, geonameid=2624652, country="DK", feature="city",
                 mentions=[PlaceMention(start=0, end=6, text="Aarhus")] * mentions)  # fmt: skip


@pytest.fixture
def store(backend: Backend) -> Iterator[Any]:  # each test runs on SQLite and on PostgreSQL (tests/store/conftest.py)
    harbour_sentence = Span(start=HARBOUR.index("Ifølge"), end=len(HARBOUR))
    articles = [
        record(
            "a1", HARBOUR, published="2024-03-01T08:00:00", outlet="DR",
            quotes=[quote("Vi åbner igen i morgen,", HARBOUR, "Søren Ørsted")],
            sources=[SourceRef(name="Søren Ørsted", type="person", mentions=1), SourceRef(name="Ritzau", type="outlet", mentions=1)],
            places=[aarhus(2)],
            events=[Event(type="ASSAULT", subtype="Shelling/artillery/missile attack", trigger="beskudt", place="Aarhus", place_geonameid=2624652,
                          sentence=harbour_sentence)],
        ),
        record(
            "a2", FERRY, published="2024-03-02", outlet="TV 2",
            quotes=[quote("Det er for farligt,", FERRY, "Søren Ørsted"), quote("vejret bedres", FERRY, "Ritzau", kind="indirect", stype="outlet")],
            sources=[SourceRef(name="Søren Ørsted", type="person", mentions=1), SourceRef(name="Ritzau", type="outlet", mentions=1)],
            places=[aarhus()],
        ),
        record(
            "a3", BUDGET, published=None, outlet="DR",
            quotes=[quote("En god dag,", BUDGET, "Anne Holm")],
            events=[Event(type="DECIDE", trigger="vedtog", sentence=Span(start=0, end=BUDGET.index(".") + 1))],
        ),
    ]  # fmt: skip
    with backend.open() as s:
        s.add_many(articles)
        yield s


def test_quotes_of_a_speaker_newest_first_with_their_article(store: SqliteStore) -> None:
    page = store.quotes(speaker="Søren Ørsted")
    assert page.total == 2
    assert [(q.article_id, q.text, q.outlet) for q in page.items] == [("a2", "Det er for farligt,", "TV 2"), ("a1", "Vi åbner igen i morgen,", "DR")]
    hit = page.items[1]
    assert HARBOUR[hit.start : hit.end] == hit.text
    assert store.quotes(speaker="søren ørsted").total == 0  # the resolved name, exactly: names come from the speaker list


def test_quote_text_search_folds_danish_capitals(store: SqliteStore) -> None:
    assert [q.article_id for q in store.quotes(contains="VI ÅBNER").items] == ["a1"]
    assert store.quotes(contains="100%").total == 0  # LIKE wildcards in the query are literal
    assert store.quotes(kind="indirect").total == 1
    with pytest.raises(QueryError, match="direct or indirect"):
        store.quotes(kind="both")


def test_filters_apply_to_every_view(store: SqliteStore) -> None:
    dr = Filters(outlet="DR")
    assert store.quotes(filters=dr).total == 2
    assert [s.name for s in store.speakers(filters=dr).items] == ["Anne Holm", "Søren Ørsted"]
    assert store.events(filters=Filters(date_from="2024-03-01", date_to="2024-03-01")).total == 1
    assert store.places(filters=Filters(outlet="TV 2"))[0].mentions == 1
    assert store.timeline(filters=dr) == [store.timeline()[0]]


def test_speakers_are_counted_by_quotes_then_articles_with_first_and_last_day(store: SqliteStore) -> None:
    page = store.speakers()
    assert page.total == 3
    top = page.items[0]
    assert (top.name, top.type, top.quotes, top.articles, top.first, top.last) == ("Søren Ørsted", "person", 2, 2, "2024-03-01", "2024-03-02")
    assert [s.name for s in store.speakers(type="outlet").items] == ["Ritzau"]
    assert [(p.day, p.count) for p in store.speaker_timeline("Søren Ørsted")] == [("2024-03-01", 1), ("2024-03-02", 1)]
    assert store.speakers(limit=1, offset=1).items[0].name in {"Anne Holm", "Ritzau"}


def test_sources_count_articles(store: SqliteStore) -> None:
    ritzau = next(s for s in store.sources().items if s.name == "Ritzau")
    assert (ritzau.articles, ritzau.mentions, ritzau.first, ritzau.last) == (2, 2, "2024-03-01", "2024-03-02")
    assert [(p.day, p.count) for p in store.source_timeline("Ritzau")] == [("2024-03-01", 1), ("2024-03-02", 1)]


def test_places_are_one_point_per_geonames_record(store: SqliteStore) -> None:
    (place,) = store.places()
    assert (place.name, place.geonameid, place.articles, place.mentions) == ("Aarhus", 2624652, 2, 3)
    assert place.lat == pytest.approx(56.1567)


def test_events_carry_their_place_coordinates_and_evidence_sentence(store: SqliteStore) -> None:
    page = store.events()
    assert page.total == 2
    shelling = store.events(type="Shelling/artillery/missile attack").items[0]
    assert (shelling.type, shelling.place, shelling.lat, shelling.lon) == ("ASSAULT", "Aarhus", pytest.approx(56.1567), pytest.approx(10.2108))
    assert shelling.sentence == "Ifølge Ritzau blev havnen i Aarhus beskudt."
    decide = store.events(type="DECIDE").items[0]
    assert (decide.lat, decide.sentence) == (None, "Byrådet vedtog budgettet.")


def test_timeline_and_outlets(store: SqliteStore) -> None:
    assert [(p.day, p.count) for p in store.timeline()] == [("2024-03-01", 1), ("2024-03-02", 1)]
    assert store.outlets() == [("DR", 2), ("TV 2", 1)]


@pytest.mark.parametrize(("limit", "offset"), [(0, 0), (10_001, 0), (10, -1)])
def test_bad_paging_is_a_query_error(store: SqliteStore, limit: int, offset: int) -> None:
    with pytest.raises(QueryError):
        store.speakers(limit=limit, offset=offset)


def test_places_and_events_carry_the_danish_label_and_the_place_filter_finds_it(backend: Backend) -> None:
    text = "Mødet i København blev aflyst."
    copenhagen = Place(name="Copenhagen", label="København", lat=55.6759, lon=12.5655, geonameid=2618425, country="DK", feature="city",
                       mentions=[PlaceMention(start=8, end=17, text="København")])  # fmt: skip
    meeting = Event(type="CONSULT", trigger="Mødet", place="Copenhagen", place_geonameid=2618425, sentence=Span(start=0, end=len(text)))
    with backend.open() as s:
        s.add(record("k1", text, published="2024-03-03", outlet="DR", places=[copenhagen], events=[meeting]))
        (place,) = s.places()
        assert (place.name, place.label) == ("Copenhagen", "København")
        assert s.events().items[0].place_label == "København"
        assert s.count(Filters(place="København")) == s.count(Filters(place="Copenhagen")) == 1


def test_quote_text_search_answers_alike_on_both_stores(backend: Backend) -> None:
    text = "»Die Straße ist zu,« siger Jens Ørum."
    q = quote("Die Straße ist zu,", text, "Jens Ørum")
    with backend.open() as s:
        s.add(record("g1", text, published="2024-03-03", outlet="DR", quotes=[q]))
        assert s.quotes(contains="STRAßE").total == 1 and s.quotes(contains="ørum").total == 0  # the quote's text, not its speaker
