from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from spacy.language import Language

from kilde.errors import InputError
from kilde.pipeline import analyze
from kilde.read import from_string
from kilde.records import Article, Entity, Event, Place, PlaceMention, Quote, Source, Span, Speaker
from kilde.settings import Settings
from kilde.store import Filters, QueryError, Store, StoreError, open_store
from kilde.store.ingest import content_hash, ingest_documents
from kilde.store.migrations import Migration, migrations
from kilde.store.sqlite import SqliteStore

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


@pytest.fixture
def store() -> Iterator[SqliteStore]:
    with SqliteStore(":memory:") as s:
        yield s


def article(nlp: Language, text: str, **metadata: Any) -> Article:
    return analyze(text, nlp=nlp, **metadata)


def hand_made(aid: str, text: str, **fields: Any) -> Article:
    """A record built by hand, for filters the rule pipeline does not fill (entities, events)."""
    return Article(id=aid, content_hash=content_hash(text), source=Source(format="text", url=f"https://example.dk/{aid}"), text=text, raw=text, **fields)


# -- round trip and idempotence -------------------------------------------------------------


def test_a_record_survives_a_database_round_trip_exactly(rules_nlp: Language, tmp_path: Path) -> None:
    a = article(rules_nlp, RETREAT, url="https://example.dk/1", published="2024-03-01", outlet="Dagbladet")
    with SqliteStore(tmp_path / "k.db") as store:
        assert store.add(a)
    with SqliteStore(tmp_path / "k.db") as store:
        assert store.get(a.id) == a
        assert store.get("no-such-id") is None
    db = sqlite3.connect(tmp_path / "k.db")
    stored_json = db.execute("SELECT record FROM records WHERE article_id = ?", (a.id,)).fetchone()[0]
    assert Article.model_validate_json(stored_json) == a
    assert db.execute("SELECT json_extract(record, '$.source.outlet') FROM records").fetchone()[0] == "Dagbladet"


DANISH = st.text(alphabet=st.sampled_from(list("abcdefghijklmnoprstuvyæøåABDEFHKLMNPRSTÆØÅ  .,:;!?»«\"'–-\n0123456789")), min_size=1, max_size=300)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=DANISH, url=st.one_of(st.none(), st.just("https://example.dk/x")))
def test_any_record_survives_the_round_trip(rules_nlp: Language, text: str, url: str | None) -> None:
    assume(text.strip())
    try:
        a = analyze(text, nlp=rules_nlp, url=url)
    except InputError:  # only page furniture, nothing to store
        assume(False)
        return
    with SqliteStore(":memory:") as store:
        assert store.add(a) and not store.add(a)
        assert store.get(a.id) == a
        assert store.search(text).total <= 1  # any text is a query that never raises


def test_parts_are_in_plain_tables(rules_nlp: Language, tmp_path: Path) -> None:
    a = article(rules_nlp, RETREAT, url="https://example.dk/1")
    with SqliteStore(tmp_path / "k.db") as store:
        store.add(a)
    db = sqlite3.connect(tmp_path / "k.db")
    assert db.execute("SELECT id, title, url FROM articles").fetchall() == [(a.id, a.title, "https://example.dk/1")]
    assert db.execute("SELECT count(*) FROM paragraphs").fetchone()[0] == len(a.paragraphs) == 3
    quotes = db.execute("SELECT text, kind, speaker, start_char, end_char FROM quotes ORDER BY seq").fetchall()
    assert [(q.text, q.kind, q.speaker.name, q.start, q.end) for q in a.quotes] == quotes
    assert any(text == a.text[s:e] for text, _, _, s, e in quotes)


def test_adding_is_idempotent_by_content_and_url(rules_nlp: Language, store: SqliteStore) -> None:
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


def test_the_same_text_from_two_files_without_url_is_one_article(rules_nlp: Language, store: SqliteStore) -> None:
    one = analyze(BUDGET, nlp=rules_nlp, path="a.txt")
    two = analyze(BUDGET, nlp=rules_nlp, path="kopi/a.txt")
    assert store.add_many([one, two]).inserted == 1


# -- migrations and opening -----------------------------------------------------------------


def test_migrations_are_recorded_and_rerun_safely(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    with SqliteStore(path) as store:
        assert store.applied_migrations() == [m.name for m in migrations("sqlite")] == ["0001_initial", "0002_stories"]
    with SqliteStore(path) as store:  # again: nothing to do, nothing breaks
        assert store.applied_migrations() == ["0001_initial", "0002_stories"]
    db = sqlite3.connect(path)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"articles", "records", "paragraphs", "captions", "entities", "quotes", "speakers", "sources", "places", "times", "events", "migrations"} <= tables
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_failing_migration_leaves_nothing_behind(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    good = migrations("sqlite")[:1]
    bad = Migration("0002_broken", "CREATE TABLE half_done (x INTEGER);\nINSERT INTO no_such_table VALUES (1);\n")
    with pytest.raises(StoreError, match="no such table"):
        SqliteStore(path, schema=[*good, bad])
    db = sqlite3.connect(path)
    assert [r[0] for r in db.execute("SELECT name FROM migrations")] == ["0001_initial"]
    assert db.execute("SELECT name FROM sqlite_master WHERE name = 'half_done'").fetchone() is None
    fixed = Migration("0002_broken", "CREATE TABLE half_done (x INTEGER);")
    with SqliteStore(path, schema=[*good, fixed]) as store:
        assert store.applied_migrations() == ["0001_initial", "0002_broken"]


def test_foreign_keys_are_on(store: SqliteStore, rules_nlp: Language) -> None:
    store.add(article(rules_nlp, RETREAT))
    with pytest.raises(sqlite3.IntegrityError), store._transaction() as conn:
        conn.execute("INSERT INTO quotes VALUES ('missing', 0, 'x', 'direct', 0, 1, NULL, NULL, NULL, 'unknown', 1.0)")


def test_a_store_from_a_newer_kilde_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    SqliteStore(path).close()
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO migrations (name) VALUES ('0099_future')")
    with pytest.raises(StoreError, match="newer Kilde"):
        SqliteStore(path)


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("directory", "is a directory"),
        ("missing_dir", "does not exist"),
        ("not_sqlite", "not an SQLite database"),
        ("foreign_sqlite", "not a Kilde store"),
    ],
)
def test_bad_database_paths_say_what_is_wrong(tmp_path: Path, setup: str, message: str) -> None:
    path = {"directory": tmp_path, "missing_dir": tmp_path / "nope" / "k.db"}.get(setup, tmp_path / "k.db")
    if setup == "not_sqlite":
        path.write_text("Dette er ikke en database, men en indkøbsseddel.\n" * 100, encoding="utf-8")
    if setup == "foreign_sqlite":
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE customers (name TEXT)")
    with pytest.raises(StoreError, match=message) as info:
        open_store(path)
    assert str(path) in str(info.value)


def test_open_store_default_and_urls(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    with open_store(None, settings=settings) as store:
        assert store.location == str(tmp_path / "data" / "kilde.db")
    with open_store(f"sqlite:///{tmp_path / 'u.db'}") as store:
        assert store.location == str(tmp_path / "u.db")
    with pytest.raises(StoreError, match="no store here"):
        open_store(tmp_path / "absent.db", create=False)
    with pytest.raises(StoreError, match=r"PostgreSQL.*not available") as info:
        open_store("postgresql://kilde:hemmelig@db.example.dk/kilde")
    assert "hemmelig" not in str(info.value)


# -- interrupted ingest ---------------------------------------------------------------------


def test_an_interrupted_batch_keeps_what_was_committed_and_resumes(rules_nlp: Language, tmp_path: Path) -> None:
    articles = [article(rules_nlp, text, url=f"https://example.dk/{i}") for i, text in enumerate((RETREAT, FERRY, BUDGET))]

    def crashing() -> Iterator[Article]:
        yield articles[0]
        yield articles[1]
        raise KeyboardInterrupt

    path = tmp_path / "k.db"
    with SqliteStore(path) as store, pytest.raises(KeyboardInterrupt):
        store.add_many(crashing())
    with SqliteStore(path) as store:
        assert store.count() == 2
        result = store.add_many(articles)
        assert (result.inserted, result.skipped) == (1, 2)
        assert store.count() == 3


def test_a_batch_transaction_is_rolled_back_whole(rules_nlp: Language, store: SqliteStore) -> None:
    articles = [article(rules_nlp, text) for text in (RETREAT, FERRY, BUDGET)]

    def crashing() -> Iterator[Article]:
        yield from articles
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        store.add_many(crashing(), per_transaction=2)
    assert store.count() == 2  # the first pair was committed; the third article's open batch was not
    assert store.add_many(articles, per_transaction=2).inserted == 1


def test_sqlite_store_is_a_store(store: SqliteStore) -> None:
    assert isinstance(store, Store)


def test_a_failure_inside_an_article_leaves_no_part_of_it(rules_nlp: Language, store: SqliteStore, monkeypatch: pytest.MonkeyPatch) -> None:
    good, doomed = article(rules_nlp, RETREAT), article(rules_nlp, FERRY)
    store.add(good)

    def broken_stemmer(text: str) -> str:  # fails after the article's row and child rows are written
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr("kilde.store.sqlite.stem_text", broken_stemmer)
    with pytest.raises(StoreError, match="disk I/O error"):
        store.add(doomed)
    monkeypatch.undo()
    counts = {t: store._query(f"SELECT count(*) FROM {t} WHERE article_id = ?", (doomed.id,))[0][0] for t in ("paragraphs", "quotes")}
    assert store.count() == 1 and counts == {"paragraphs": 0, "quotes": 0}
    assert store.add(doomed) and store.count() == 2


class CountingPipeline:
    """Wraps a pipeline to count the texts it is asked to analyse."""

    def __init__(self, nlp: Language) -> None:
        self.nlp, self.texts = nlp, 0

    def pipe(self, texts: Iterator[str]) -> Iterator[Any]:
        for text in texts:
            self.texts += 1
            yield self.nlp(text)


def test_ingest_resumes_without_running_the_nlp_on_stored_articles(rules_nlp: Language, tmp_path: Path) -> None:
    docs = [from_string(text, url=f"https://example.dk/{i}") for i, text in enumerate((RETREAT, FERRY, BUDGET))]
    path = tmp_path / "k.db"
    with SqliteStore(path) as store:
        events = ingest_documents(store, docs, nlp=rules_nlp)
        assert next(events).status == "stored"
        events.close()  # the run stops after the first article
    counting = CountingPipeline(rules_nlp)
    with SqliteStore(path) as store:
        statuses = [e.status for e in ingest_documents(store, docs, nlp=counting)]  # type: ignore[arg-type]
        assert sorted(statuses) == ["skipped", "stored", "stored"]
        assert counting.texts == 2
        assert store.count() == 3
        again = [e.status for e in ingest_documents(store, [*docs, from_string("   ")], nlp=counting)]  # type: ignore[arg-type]
        assert again == ["skipped", "skipped", "skipped", "rejected"] and counting.texts == 2


def test_content_hash_is_the_pipelines(rules_nlp: Language) -> None:
    a = article(rules_nlp, RETREAT)
    assert content_hash(a.text) == a.content_hash


# -- search ---------------------------------------------------------------------------------


@pytest.fixture
def corpus(rules_nlp: Language, store: SqliteStore) -> SqliteStore:
    store.add(article(rules_nlp, RETREAT, url="https://example.dk/1", published="2024-03-01", outlet="Dagbladet Øst"))
    store.add(article(rules_nlp, FERRY, url="https://example.dk/2", published="2024-01-15T08:30:00+01:00", outlet="Bornholms Avis"))
    store.add(article(rules_nlp, BUDGET, url="https://example.dk/3", published="2023-11-30", outlet="Fyns Tidende"))
    return store


def test_search_with_danish_stemming(corpus: SqliteStore) -> None:
    results = corpus.search("tilbagetrækning")
    assert results.total == 1 and results.hits[0].title == "Regeringen udskyder tilbagetrækningen af soldater"
    assert [h.title for h in corpus.search("færge").hits] == ["Storm lukker færgerne til Bornholm"]
    assert corpus.search("ældrepleje").total == 1  # the text has "ældreplejen"
    assert corpus.search("xylofon").total == 0


def test_search_ranks_and_pages(corpus: SqliteStore) -> None:
    results = corpus.search("siger OR storm")  # all three say something; only the ferry story has storm (twice, once in the title)
    assert results.total == 3 and results.hits[0].title == "Storm lukker færgerne til Bornholm"
    assert results.hits[0].score > results.hits[1].score >= results.hits[2].score
    page = corpus.search("siger", limit=1, offset=1)
    assert page.total == 3 and len(page.hits) == 1 and page.offset == 1


def test_snippets_highlight_unstemmed_words(corpus: SqliteStore) -> None:
    hit = corpus.search("tilbagetrækning soldat").hits[0]
    assert {hit.snippet[s:e] for s, e in hit.highlights} == {"tilbagetrækningen", "soldater", "Tilbagetrækningen"}
    quote_hit = corpus.search("overdragelsen").hits[0]
    assert quote_hit.field == "quote" and quote_hit.snippet.endswith("ordentligt — Anne Holm")


def test_search_phrases_and_exclusions(corpus: SqliteStore) -> None:
    assert corpus.search('"danske soldater"').total == 1
    assert corpus.search('"soldater danske"').total == 0
    assert corpus.search("siger -storm").total == 2


def test_filters(corpus: SqliteStore) -> None:
    def titles(query: str = "", **filters: str) -> set[str]:
        return {h.title or "" for h in corpus.search(query, filters=Filters(**filters)).hits}

    assert titles(date_from="2024-01-01") == {"Regeringen udskyder tilbagetrækningen af soldater", "Storm lukker færgerne til Bornholm"}
    assert titles(date_from="2024-01-15", date_to="2024-01-15") == {"Storm lukker færgerne til Bornholm"}
    assert titles("siger", date_to="2023-12-31") == {"Byrådet i Odense vedtager nyt budget"}
    assert titles(outlet="dagbladet øst") == titles(outlet="ØST") == {"Regeringen udskyder tilbagetrækningen af soldater"}
    assert titles(outlet="dag") == set()  # whole words, not any substring
    assert titles(speaker="Peter Skov") == titles(speaker="skov") == {"Byrådet i Odense vedtager nyt budget"}
    assert corpus.count(Filters(outlet="Fyns Tidende")) == 1


def test_entity_place_and_event_filters(store: SqliteStore) -> None:
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
    assert [h.id for h in store.search("", filters=Filters(place="aarhus")).hits] == ["a1"]
    assert [h.id for h in store.search("", filters=Filters(event_type="protest")).hits] == ["a1"]
    assert [h.id for h in store.search("", filters=Filters(event_type="peaceful protest")).hits] == ["a1"]
    assert [h.id for h in store.search("", filters=Filters(speaker="ÆRØ")).hits] == ["a1"]  # not only ASCII case
    assert store.search("", filters=Filters(event_type="ASSAULT")).total == 0
    assert store.count() == 2


def test_empty_query_lists_newest_first(corpus: SqliteStore) -> None:
    results = corpus.search("")
    assert [h.published[:4] if h.published else "" for h in results.hits] == ["2024", "2024", "2023"]
    assert results.hits[0].snippet.startswith("Regeringen udskyder")


def test_bad_dates_are_query_errors() -> None:
    with pytest.raises(QueryError, match="YYYY-MM-DD"):
        Filters(date_from="1. marts")
