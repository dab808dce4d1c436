"""What every store backend does, run against SQLite and PostgreSQL alike (the ``backend``/``store`` fixtures).

Backend-specific behaviour (files, WAL, connections, migrations) is in test_sqlite.py and test_postgres.py.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from spacy.language import Language

from kilde.errors import InputError
from kilde.pipeline import analyze
from kilde.read import from_string
from kilde.records import Article, Entity, Event, Place, PlaceMention, Quote, Source, Span, Speaker
from kilde.store import Filters, Store, StoreError
from kilde.store.ingest import content_hash, ingest_documents
from tests.store.conftest import Backend

# Our own Danish news-like texts.
RETREAT = (
    "Regeringen udskyder tilbagetrækningen af soldater\n\n"
    "Tilbagetrækningen af de danske soldater fra Irak bliver udskudt til foråret, oplyser Forsvarsministeriet.\n\n"
    "»Vi skal sikre, at overdragelsen sker ordentligt,« siger forsvarsminister Anne Holm."
)
FERRY = (
    "Storm lukker færgerne til Bornholm\n\n"
    "Færgerne mellem Ystad og Rønne sejler ikke i dag på grund af kraftig storm, oplyser rederiet.\n\n"
    "En talsmand siger, at passagererne får pengene tilbage."
)
BUDGET = (
    "Byrådet i Odense vedtager nyt budget\n\n"
    "Et flertal i byrådet stemte torsdag for et budget med flere penge til ældreplejen.\n\n"
    "»Det er en god dag for byens ældre,« siger rådmand Peter Skov."
)


def article(nlp: Language, text: str, **metadata: Any) -> Article:
    return analyze(text, nlp=nlp, **metadata)


def hand_made(aid: str, text: str, **fields: Any) -> Article:
    """A record built by hand, for filters the rule pipeline does not fill (entities, events)."""
    return Article(id=aid, content_hash=content_hash(text), source=Source(format="text", url=f"https://example.dk/{aid}"), text=text, raw=text, **fields)


# -- round trip and idempotence -------------------------------------------------------------


def test_a_record_survives_a_database_round_trip_exactly(rules_nlp: Language, backend: Backend) -> None:
    a = article(rules_nlp, RETREAT, url="https://example.dk/1", published="2024-03-01", outlet="Dagbladet")
    with backend.open() as store:
        assert store.add(a)
    with backend.open() as store:  # a new connection: nothing is cached
        assert store.get(a.id) == a
        assert store.get("no-such-id") is None
        stored_json = store._query("SELECT record FROM records WHERE article_id = ?", (a.id,))[0]["record"]  # type: ignore[attr-defined]
        assert Article.model_validate_json(stored_json) == a


DANISH = st.text(alphabet=st.sampled_from(list("abcdefghijklmnoprstuvyæøåABDEFHKLMNPRSTÆØÅ  .,:;!?»«\"'–-\n0123456789")), min_size=1, max_size=300)
_examples = itertools.count()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=DANISH, url=st.one_of(st.none(), st.just("https://example.dk/x")))
def test_any_record_survives_the_round_trip(rules_nlp: Language, backend: Backend, text: str, url: str | None) -> None:
    assume(text.strip())
    try:
        a = analyze(text, nlp=rules_nlp, url=url)
    except InputError:  # only page furniture, nothing to store
        assume(False)
        return
    with backend.open(f"example{next(_examples)}") as store:  # an empty store per example
        assert store.add(a) and not store.add(a)
        assert store.get(a.id) == a
        assert store.search(text).total <= 1  # any text is a query that never raises


def test_parts_are_in_plain_tables(rules_nlp: Language, store: Any) -> None:
    a = article(rules_nlp, RETREAT, url="https://example.dk/1")
    store.add(a)
    assert [tuple(r) for r in store._query("SELECT id, title, url FROM articles")] == [(a.id, a.title, "https://example.dk/1")]
    assert store._query("SELECT count(*) FROM paragraphs")[0][0] == len(a.paragraphs) == 3
    quotes = [tuple(r) for r in store._query("SELECT text, kind, speaker, start_char, end_char FROM quotes ORDER BY seq")]
    assert [(q.text, q.kind, q.speaker.name, q.start, q.end) for q in a.quotes] == quotes
    assert any(text == a.text[s:e] for text, _, _, s, e in quotes)
    speakers = store._query("SELECT name, type, quotes FROM speakers WHERE article_id = ? ORDER BY name", (a.id,))
    assert [(r["name"], r[1], r["quotes"]) for r in speakers] == [("Anne Holm", "person", 1), ("Forsvarsministeriet", "organisation", 1)]


def test_adding_is_idempotent_by_content_and_url(rules_nlp: Language, store: Store) -> None:
    a = article(rules_nlp, RETREAT, url="https://example.dk/1")
    same_elsewhere = article(rules_nlp, RETREAT, url="https://example.dk/other")
    b = article(rules_nlp, FERRY, url="https://example.dk/2")
    assert store.add(a) is True
    assert store.add(a) is False
    result = store.add_many([a, b, b, same_elsewhere])
    assert (result.inserted, result.skipped) == (2, 2)
    assert store.count() == 3
    assert store.contains(content_hash=a.content_hash, url="https://example.dk/1")
    assert not store.contains(content_hash=a.content_hash, url=None)


def test_the_same_text_from_two_files_without_url_is_one_article(rules_nlp: Language, store: Store) -> None:
    one = analyze(BUDGET, nlp=rules_nlp, path="a.txt")
    two = analyze(BUDGET, nlp=rules_nlp, path="kopi/a.txt")
    assert store.add_many([one, two]).inserted == 1


def test_the_store_is_a_store_with_the_sql_hooks(store: Any) -> None:
    assert isinstance(store, Store)
    assert store.dialect in ("sqlite", "postgresql")
    where, params = store._articles_where(Filters(speaker="Anne Holm", date_from="2024-01-01"))
    assert store._query(f"SELECT count(*) FROM articles WHERE {where}", params)[0][0] == 0
    with store._transaction() as tx:
        tx.executemany("INSERT INTO migrations (name) VALUES (?)", [("9998_probe",), ("9999_probe",)])
        assert tx.execute("DELETE FROM migrations WHERE name LIKE '999%'").rowcount == 2
    with pytest.raises(KeyboardInterrupt), store._transaction() as tx:
        tx.execute("INSERT INTO migrations (name) VALUES (?)", ("9999_probe",))
        raise KeyboardInterrupt
    assert store._query("SELECT count(*) AS n FROM migrations WHERE name = ?", ["9999_probe"])[0]["n"] == 0


# -- interrupted ingest ---------------------------------------------------------------------


def test_an_interrupted_batch_keeps_what_was_committed_and_resumes(rules_nlp: Language, backend: Backend) -> None:
    articles = [article(rules_nlp, text, url=f"https://example.dk/{i}") for i, text in enumerate((RETREAT, FERRY, BUDGET))]

    def crashing() -> Iterator[Article]:
        yield articles[0]
        yield articles[1]
        raise KeyboardInterrupt

    with backend.open() as store, pytest.raises(KeyboardInterrupt):
        store.add_many(crashing())
    with backend.open() as store:
        assert store.count() == 2
        result = store.add_many(articles)
        assert (result.inserted, result.skipped) == (1, 2)
        assert store.count() == 3


def test_a_batch_transaction_is_rolled_back_whole(rules_nlp: Language, store: Any) -> None:
    articles = [article(rules_nlp, text) for text in (RETREAT, FERRY, BUDGET)]

    def crashing() -> Iterator[Article]:
        yield from articles
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        store.add_many(crashing(), per_transaction=2)
    assert store.count() == 2  # the first pair was committed; the third article's open batch was not
    assert store.add_many(articles, per_transaction=2).inserted == 1


def test_a_failure_inside_an_article_leaves_no_part_of_it(rules_nlp: Language, backend: Backend, store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    good, doomed = article(rules_nlp, RETREAT), article(rules_nlp, FERRY)
    store.add(good)

    def broken_stemmer(text: str) -> str:  # fails after the article's row and child rows are written
        raise backend.error("disk I/O error")

    monkeypatch.setattr(f"{backend.module}.stem_text", broken_stemmer)
    with pytest.raises(StoreError, match="disk I/O error"):
        store.add(doomed)
    monkeypatch.undo()
    counts = {t: store._query(f"SELECT count(*) FROM {t} WHERE article_id = ?", (doomed.id,))[0][0] for t in ("paragraphs", "quotes", "records")}
    assert store.count() == 1 and counts == {"paragraphs": 0, "quotes": 0, "records": 0}
    assert store.add(doomed) and store.count() == 2


class CountingPipeline:
    """Wraps a pipeline to count the texts it is asked to analyse."""

    def __init__(self, nlp: Language) -> None:
        self.nlp, self.texts = nlp, 0

    def pipe(self, texts: Iterator[str]) -> Iterator[Any]:
        for text in texts:
            self.texts += 1
            yield self.nlp(text)


def test_ingest_resumes_without_running_the_nlp_on_stored_articles(rules_nlp: Language, backend: Backend) -> None:
    docs = [from_string(text, url=f"https://example.dk/{i}") for i, text in enumerate((RETREAT, FERRY, BUDGET))]
    with backend.open() as store:
        events = ingest_documents(store, docs, nlp=rules_nlp)
        assert next(events).status == "stored"
        events.close()  # the run stops after the first article
    counting = CountingPipeline(rules_nlp)
    with backend.open() as store:
        statuses = [e.status for e in ingest_documents(store, docs, nlp=counting)]  # type: ignore[arg-type]
        assert sorted(statuses) == ["skipped", "stored", "stored"]
        assert counting.texts == 2
        assert store.count() == 3
        again = [e.status for e in ingest_documents(store, [*docs, from_string("   ")], nlp=counting)]  # type: ignore[arg-type]
        assert again == ["skipped", "skipped", "skipped", "rejected"] and counting.texts == 2


# -- search ---------------------------------------------------------------------------------


@pytest.fixture
def corpus(rules_nlp: Language, store: Store) -> Store:
    store.add(article(rules_nlp, RETREAT, url="https://example.dk/1", published="2024-03-01", outlet="Dagbladet Øst"))
    store.add(article(rules_nlp, FERRY, url="https://example.dk/2", published="2024-01-15T08:30:00+01:00", outlet="Bornholms Avis"))
    store.add(article(rules_nlp, BUDGET, url="https://example.dk/3", published="2023-11-30", outlet="Fyns Tidende"))
    return store


def test_search_with_danish_stemming(corpus: Store) -> None:
    results = corpus.search("tilbagetrækning")
    assert results.total == 1 and results.hits[0].title == "Regeringen udskyder tilbagetrækningen af soldater"
    assert [h.title for h in corpus.search("færge").hits] == ["Storm lukker færgerne til Bornholm"]
    assert corpus.search("ældrepleje").total == 1  # the text has "ældreplejen"
    assert corpus.search("xylofon").total == 0
    assert corpus.search("tilbagetr*").total == 1 and corpus.search("tilbagetrækningens").total == 1


def test_search_ranks_and_pages(corpus: Store) -> None:
    results = corpus.search("siger OR storm")  # all three say something; only the ferry story has storm (twice, once in the title)
    assert results.total == 3 and results.hits[0].title == "Storm lukker færgerne til Bornholm"
    assert results.hits[0].score > results.hits[1].score >= results.hits[2].score
    page = corpus.search("siger", limit=1, offset=1)
    assert page.total == 3 and len(page.hits) == 1 and page.offset == 1
    beyond = corpus.search("siger", offset=5)
    assert beyond.total == 3 and beyond.hits == []


def test_snippets_highlight_unstemmed_words(corpus: Store) -> None:
    hit = corpus.search("tilbagetrækning soldat").hits[0]
    assert {hit.snippet[s:e] for s, e in hit.highlights} == {"tilbagetrækningen", "soldater", "Tilbagetrækningen"}
    quote_hit = corpus.search("overdragelsen").hits[0]
    assert quote_hit.field == "quote" and quote_hit.snippet.endswith("ordentligt — Anne Holm")


def test_search_phrases_and_exclusions(corpus: Store) -> None:
    assert corpus.search('"danske soldater"').total == 1
    assert corpus.search('"soldater danske"').total == 0
    assert corpus.search('"soldater udskyder"').total == 0  # the end of the title and the start of the body are not a phrase
    assert corpus.search("siger -storm").total == 2


def test_filters(corpus: Store) -> None:
    def titles(query: str = "", **filters: str) -> set[str]:
        return {h.title or "" for h in corpus.search(query, filters=Filters(**filters)).hits}

    assert titles(date_from="2024-01-01") == {"Regeringen udskyder tilbagetrækningen af soldater", "Storm lukker færgerne til Bornholm"}
    assert titles(date_from="2024-01-15", date_to="2024-01-15") == {"Storm lukker færgerne til Bornholm"}
    assert titles("siger", date_to="2023-12-31") == {"Byrådet i Odense vedtager nyt budget"}
    assert titles(outlet="dagbladet øst") == titles(outlet="ØST") == {"Regeringen udskyder tilbagetrækningen af soldater"}
    assert titles(outlet="dag") == set()  # whole words, not any substring
    assert titles(speaker="Peter Skov") == titles(speaker="skov") == {"Byrådet i Odense vedtager nyt budget"}
    assert titles(speaker="skov peter") == set()  # in order
    assert corpus.count(Filters(outlet="Fyns Tidende")) == 1
    assert corpus.count(Filters(outlet="Fyns Tidende", date_from="2024-01-01")) == 0


def test_entity_place_and_event_filters(store: Store) -> None:
    text = "Demonstranter samledes i Aarhus mod Wagner-gruppen."
    store.add(
        hand_made(
            "a1",
            text,
            entities=[Entity(text="Wagner-gruppen", label="ORG", start=36, end=50)],
            places=[Place(name="Aarhus", lat=56.16, lon=10.21, country="DK", mentions=[PlaceMention(text="Aarhus", start=25, end=31)])],
            events=[Event(type="PROTEST", subtype="Peaceful protest", trigger="samledes", sentence=Span(start=0, end=len(text)))],
            quotes=[Quote(text="x", start=0, end=1, kind="direct", speaker=Speaker(name="Ærø Kommune", type="organisation"), confidence=0.5)],
        )
    )
    store.add(hand_made("a2", "Intet at se her."))
    assert [h.id for h in store.search("", filters=Filters(entity="wagner-gruppen")).hits] == ["a1"]
    assert [h.id for h in store.search("", filters=Filters(entity="Wagner")).hits] == ["a1"]
    assert [h.id for h in store.search("", filters=Filters(place="aarhus")).hits] == ["a1"]
    assert [h.id for h in store.search("", filters=Filters(event_type="protest")).hits] == ["a1"]
    assert [h.id for h in store.search("", filters=Filters(event_type="peaceful protest")).hits] == ["a1"]
    assert [h.id for h in store.search("", filters=Filters(speaker="ÆRØ")).hits] == ["a1"]  # not only ASCII case
    assert store.search("", filters=Filters(event_type="ASSAULT")).total == 0
    assert store.count() == 2


def test_empty_query_lists_newest_first(corpus: Store, rules_nlp: Language) -> None:
    corpus.add(article(rules_nlp, "Uden dato\n\nDenne artikel har ingen dato, siger redaktionen.", url="https://example.dk/4"))
    results = corpus.search("")
    assert [h.published[:4] if h.published else "" for h in results.hits] == ["2024", "2024", "2023", ""]  # undated last
    assert results.hits[0].snippet.startswith("Regeringen udskyder")
