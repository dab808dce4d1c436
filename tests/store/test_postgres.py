"""What is particular to the PostgreSQL store: connecting, migrating (also concurrently), the tsvector index, parity with SQLite.

Runs against the server of the ``postgres_server`` fixture (tests/conftest.py): KILDE_TEST_POSTGRES_URL, or a
throwaway cluster from scripts/postgres.sh; skipped when there is neither (a failure under KILDE_REQUIRE_SERVICES=1).
"""

from __future__ import annotations

import random
import re
import socket
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from kilde.pipeline import analyze
from kilde.records import Article, Entity, Event, Place, Quote, Source, Span, Speaker
from kilde.store import Filters, StoreError, open_store
from kilde.store.ingest import content_hash
from kilde.store.migrations import Migration, migrations
from kilde.store.sqlite import SqliteStore
from tests.conftest import PostgresDatabases
from tests.store.test_contract import BUDGET, FERRY, RETREAT

psycopg = pytest.importorskip("psycopg")
from kilde.store.postgres import PostgresStore  # noqa: E402
from kilde.store.query import lexeme  # noqa: E402


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # free now, and nothing listens on it


def with_password(url: str, password: str) -> str:
    scheme, rest = url.split("://", 1)
    user = rest.split("@", 1)[0].split(":", 1)[0]
    return f"{scheme}://{user}:{password}@{rest.split('@', 1)[1]}"


# -- opening --------------------------------------------------------------------------------


def test_open_store_gives_the_postgres_store(postgres: PostgresDatabases) -> None:
    url = postgres.url()
    with open_store(url) as store:
        assert isinstance(store, PostgresStore) and store.dialect == "postgresql"
        password = url.split("://", 1)[1].split("@", 1)[0].split(":", 1)[1]
        assert password not in store.location and "***" in store.location and repr(store) == f"PostgresStore({store.location!r})"
    with open_store(url.replace("postgresql://", "postgres://", 1)) as store:  # libpq's other spelling
        assert store.count() == 0


@pytest.mark.parametrize("problem", ["refused", "wrong_password", "no_database", "bad_port"])
def test_connection_problems_are_store_errors_without_the_password(postgres: PostgresDatabases, problem: str) -> None:
    server = postgres.server
    secret = "hemmelig-Kode_42"
    url = {
        "refused": f"postgresql://kilde:{secret}@127.0.0.1:{closed_port()}/kilde",
        "wrong_password": with_password(server, secret),
        "no_database": with_password(server, secret).rsplit("/", 1)[0] + "/findes_ikke",
        "bad_port": f"postgresql://kilde:{secret}@127.0.0.1:ikkeenport/kilde",
    }[problem]
    expected = {"refused": "refused", "wrong_password": "password authentication failed", "no_database": "findes_ikke", "bad_port": "port"}[problem]
    with pytest.raises(StoreError, match=expected) as info:
        open_store(url)
    message = str(info.value)
    assert secret not in message and "cannot connect" in message and message.startswith("postgresql://kilde:***@")


def test_the_password_is_redacted_from_query_parameters_too(postgres: PostgresDatabases) -> None:
    url = f"postgresql://kilde@127.0.0.1:{closed_port()}/kilde?password=hemmelig&sslmode=disable"
    with pytest.raises(StoreError) as info:
        open_store(url)
    assert "hemmelig" not in str(info.value) and "password=***" in str(info.value)


def test_without_psycopg_the_message_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "kilde.store.postgres")
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if not installed
    with pytest.raises(StoreError, match=r"kilde\[postgres\]") as info:
        open_store("postgresql://kilde:hemmelig@db.example.dk/kilde")
    assert "hemmelig" not in str(info.value)


# -- migrations -----------------------------------------------------------------------------


def test_migrations_are_applied_once_and_recorded(postgres: PostgresDatabases) -> None:
    url = postgres.url()
    names = [m.name for m in migrations("postgresql")]
    assert names[:2] == ["0001_initial", "0002_stories"] and names == [m.name for m in migrations("sqlite")]
    with PostgresStore(url) as store:
        assert store.applied_migrations() == names
    with PostgresStore(url) as store:  # again: nothing to do, nothing breaks
        assert store.applied_migrations() == names
        tables = {r[0] for r in store._query("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")}
        assert store._query("SELECT count(*) FROM migrations")[0][0] == len(names)
    expected = {"articles", "records", "paragraphs", "captions", "entities", "quotes", "speakers", "sources", "places", "times", "events", "migrations"}
    assert expected | {"articles_fts", "names_fts", "stories", "story_articles", "duplicate_groups"} <= tables


def test_the_same_tables_and_columns_as_sqlite(postgres: PostgresDatabases, tmp_path: Path) -> None:
    with PostgresStore(postgres.url()) as pg, SqliteStore(tmp_path / "k.db") as lite:
        for table in ("articles", "records", "paragraphs", "captions", "entities", "quotes", "speakers", "sources", "places", "times", "events"):
            columns = "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position"
            pg_columns = [r[0] for r in pg._query(columns, [table])]
            lite_columns = [r[1] for r in lite._query(f"PRAGMA table_info({table})")]
            assert pg_columns == lite_columns, table


def test_concurrent_openers_do_not_double_migrate(postgres: PostgresDatabases) -> None:
    url = postgres.url()
    start = threading.Barrier(6)
    outcomes: list[object] = []

    def open_it() -> None:
        start.wait()
        try:
            with PostgresStore(url) as store:  # each its own connection, all racing to create the schema
                outcomes.append(store.applied_migrations())
        except Exception as exc:  # collected: an assertion in a thread would be lost
            outcomes.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    names = [m.name for m in migrations("postgresql")]
    assert outcomes == [names] * 6
    with PostgresStore(url) as store:
        assert sorted(store._query("SELECT name, count(*) FROM migrations GROUP BY name")) == [(name, 1) for name in names]


def test_a_failing_migration_leaves_nothing_behind(postgres: PostgresDatabases) -> None:
    url = postgres.url()
    good = migrations("postgresql")
    bad = Migration("9999_broken", "CREATE TABLE half_done (x INTEGER);\nINSERT INTO no_such_table VALUES (1);\n")
    with pytest.raises(StoreError, match="no_such_table"):
        PostgresStore(url, schema=[*good, bad])
    with PostgresStore(url) as store:
        assert store.applied_migrations() == [m.name for m in good]
        assert store._query("SELECT to_regclass('half_done')")[0][0] is None
    with PostgresStore(url, schema=[*good, Migration("9999_fixed", "CREATE TABLE half_done (x INTEGER);")]) as store:
        assert store.applied_migrations() == [*(m.name for m in good), "9999_fixed"]


def test_foreign_newer_and_missing_stores_are_refused(postgres: PostgresDatabases) -> None:
    with pytest.raises(StoreError, match="no store here"):
        PostgresStore(postgres.url("empty"), create=False)
    foreign = postgres.url("foreign")
    with psycopg.connect(foreign, autocommit=True) as conn:
        conn.execute("CREATE TABLE customers (name TEXT)")
    with pytest.raises(StoreError, match="not a Kilde store"):
        PostgresStore(foreign)
    newer = postgres.url("newer")
    PostgresStore(newer).close()
    with psycopg.connect(newer, autocommit=True) as conn:
        conn.execute("INSERT INTO migrations (name) VALUES ('0099_future')")
    with pytest.raises(StoreError, match="newer Kilde"):
        PostgresStore(newer)
    nowhere = f"{postgres.server}{'&' if '?' in postgres.server else '?'}options=-csearch_path%3Dno_such_schema"
    with pytest.raises(StoreError, match="no schema to create the tables in"):
        PostgresStore(nowhere)


# -- writing and reading --------------------------------------------------------------------


def test_foreign_keys_hold_and_a_failed_transaction_is_rolled_back(postgres: PostgresDatabases, rules_nlp: Language) -> None:
    with PostgresStore(postgres.url()) as store:
        store.add(analyze(RETREAT, nlp=rules_nlp))
        with pytest.raises(psycopg.errors.ForeignKeyViolation), store._transaction() as tx:
            tx.execute("INSERT INTO migrations (name) VALUES ('9999_probe')")  # a row that is fine …
            tx.execute("INSERT INTO quotes VALUES ('missing', 0, 'x', 'direct', 0, 1, NULL, NULL, NULL, 'unknown', 1.0)")
        assert store._query("SELECT count(*) FROM migrations WHERE name = '9999_probe'")[0][0] == 0  # … goes with the rest
        assert store._query("SELECT count(*) FROM quotes WHERE article_id = 'missing'")[0][0] == 0


def test_rows_read_by_name_and_position_and_percent_signs_are_literal(postgres: PostgresDatabases, rules_nlp: Language) -> None:
    with PostgresStore(postgres.url()) as store:
        store.add(analyze(BUDGET, nlp=rules_nlp, url="https://example.dk/100%25"))
        row = store._query("SELECT title, url FROM articles WHERE url LIKE '%100\\%25' AND title LIKE ?", ["Byrådet%"])[0]
        assert row[0] == row["title"] == "Byrådet i Odense vedtager nyt budget" and row["url"].endswith("%25")
        assert row.keys() == ["title", "url"] and tuple(row) == (row[0], row[1])


def test_text_with_a_nul_character_is_stored_and_returned_exactly(postgres: PostgresDatabases, rules_nlp: Language) -> None:
    a = analyze("Storm i Rønne\n\nFærgerne sejler a\x00b ikke i dag, oplyser rederiet.", nlp=rules_nlp)  # PostgreSQL TEXT cannot hold NUL
    with PostgresStore(postgres.url()) as store:
        assert store.add(a)
        assert store.get(a.id) == a and "\x00" in a.text
        assert store.search("færgerne").total == 1


def test_the_index_holds_danish_stems_weighted_by_field(postgres: PostgresDatabases, rules_nlp: Language) -> None:
    with PostgresStore(postgres.url()) as store:
        store.add(analyze(RETREAT, nlp=rules_nlp, url="https://example.dk/1"))
        document = store._query("SELECT CAST(document AS text) FROM articles_fts")[0][0]
        assert "'tilbagetrækning':3A," in document  # "tilbagetrækningen" in the headline, as its stem
        assert store.search("tilbagetrækning").total == store.search("Tilbagetrækningen").total == 1
        assert store.search("tilbagetræk*").total == 1


def test_a_long_article_is_searchable_to_its_end(postgres: PostgresDatabases) -> None:
    text = "Lang artikel\n\n" + " ".join(f"ord{i}" for i in range(20_000)) + " slutord."  # past PostgreSQL's last word position (16,383)
    a = Article(id="lang", content_hash=content_hash(text), source=Source(format="text"), text=text, raw=text)
    with PostgresStore(postgres.url()) as store:
        assert store.add(a)
        # every word stays findable; phrases only within the first 16,383 words (later words share the last position)
        assert [h.id for h in store.search("slutord").hits] == ["lang"] and store.search('"ord100 ord101"').total == 1


# -- the same answers as SQLite -------------------------------------------------------------

SPEAKERS = ["Mette Frederiksen", "Lars Løkke Rasmussen", "Anne Holm", "Ærø Kommune", "Peter Skov-Hansen", "Frederiksen"]
PLACES = ["Aarhus", "Ny Ellebjerg", "København", "Aarhus Ø", "Kyiv"]
ENTITIES = ["Wagner-gruppen", "Novo Nordisk", "FN", "Dansk Folkeparti", "Folkeparti"]
EVENTS = [("PROTEST", "Peaceful protest"), ("ASSAULT", None), ("AGREE", None), ("PROTEST", "Protest with intervention")]
OUTLETS = ["Dagbladet Øst", "Fyns Avis", None, "Øst Avis"]
WORDS = ["tilbagetrækningen", "færgerne", "budgettet", "soldater", "storm", "ældreplejen", "regeringen", "byrådet", "Rønne", "Bornholm"]


def many_articles() -> list[Article]:
    """Hand-made records whose names overlap in the ways the filters must tell apart (our own texts)."""
    articles = []
    for i in range(40):
        words = " ".join(WORDS[(i * k) % len(WORDS)] for k in range(1, 6))
        speaker = SPEAKERS[i % len(SPEAKERS)]
        text = f"Nyhed nummer {i} om {words}\n\n»Vi tager det alvorligt,« siger {speaker}. Det handler om {WORDS[i % len(WORDS)]}."
        kind, subtype = EVENTS[i % len(EVENTS)]
        articles.append(
            Article(
                id=f"n{i:03}",
                content_hash=content_hash(text),
                source=Source(format="text", url=f"https://example.dk/n/{i}", outlet=OUTLETS[i % len(OUTLETS)]),
                title=text.split("\n\n")[0],
                published=None if i % 9 == 0 else f"2024-{1 + i % 12:02}-{1 + i % 27:02}" + ("T23:30:00+01:00" if i % 5 == 0 else ""),
                text=text,
                raw=text,
                quotes=[Quote(text="Vi tager det alvorligt", start=0, end=1, kind="direct", speaker=Speaker(name=speaker, type="person"), confidence=0.9)],
                places=[Place(name=PLACES[(i + j) % len(PLACES)], lat=56.0, lon=10.0) for j in range(i % 3)],
                entities=[Entity(text=ENTITIES[(i + j) % len(ENTITIES)], label="ORG", start=0, end=1) for j in range(1 + i % 2)],
                events=[Event(type=kind, subtype=subtype, trigger="x", sentence=Span(start=0, end=1))],
            )
        )
    return articles


FILTERS = [
    Filters(),
    Filters(speaker="Frederiksen"),
    Filters(speaker="mette frederiksen"),
    Filters(speaker="frederiksen mette"),
    Filters(speaker="Løkke"),
    Filters(speaker="løkke rasmussen"),
    Filters(speaker="ÆRØ KOMMUNE"),
    Filters(speaker="skov"),
    Filters(speaker="Skov-Hansen"),
    Filters(speaker="hansen peter"),
    Filters(place="aarhus"),
    Filters(place="Aarhus Ø"),
    Filters(place="ø"),
    Filters(place="ellebjerg"),
    Filters(entity="wagner"),
    Filters(entity="gruppen"),
    Filters(entity="folkeparti"),
    Filters(entity="dansk folkeparti"),
    Filters(entity="nordisk novo"),
    Filters(event_type="protest"),
    Filters(event_type="peaceful protest"),
    Filters(event_type="protest with"),
    Filters(event_type="ASSAULT"),
    Filters(outlet="øst"),
    Filters(outlet="Dagbladet"),
    Filters(outlet="avis"),
    Filters(outlet="dag"),
    Filters(date_from="2024-03-01"),
    Filters(date_to="2024-02-02"),
    Filters(date_from="2024-06-06", date_to="2024-06-06"),
    Filters(date_from="2024-05-01", date_to="2024-08-31", speaker="holm"),
    Filters(speaker="frederiksen", place="aarhus", entity="FN"),
    Filters(outlet="Fyns Avis", event_type="AGREE", date_to="2024-12-31"),
]
QUERIES = ["", "tilbagetrækning", "færge", "storm -regeringen", '"siger mette"', "budget OR ældrepleje", "sold*", "nyhed alvor"]


def test_filters_and_searches_give_the_same_articles_as_sqlite(postgres: PostgresDatabases, tmp_path: Path) -> None:
    articles = many_articles()
    with PostgresStore(postgres.url()) as pg, SqliteStore(tmp_path / "k.db") as lite:
        assert pg.add_many(articles).inserted == lite.add_many(articles).inserted == len(articles)
        checked = 0
        for filters in FILTERS:
            assert pg.count(filters) == lite.count(filters), filters
            for query in QUERIES:
                ours, theirs = pg.search(query, filters=filters, limit=100), lite.search(query, filters=filters, limit=100)
                assert ours.total == theirs.total, (query, filters)
                if query:  # rankings differ (ts_rank_cd, bm25); the matches may not
                    assert {h.id for h in ours.hits} == {h.id for h in theirs.hits}, (query, filters)
                else:  # a listing is in the same order
                    assert [h.id for h in ours.hits] == [h.id for h in theirs.hits], filters
                assert {h.id: (h.snippet, h.highlights, h.field) for h in ours.hits} == {h.id: (h.snippet, h.highlights, h.field) for h in theirs.hits}
                checked += ours.total
        assert checked > 500  # the filters and queries do select articles, not only nothing
        assert pg.count(Filters(speaker="frederiksen")) == 13 and pg.count(Filters(speaker="frederiksen mette")) == 0


def test_a_record_round_trips_like_in_sqlite(postgres: PostgresDatabases, rules_nlp: Language) -> None:
    records: list[Any] = [analyze(text, nlp=rules_nlp, url=f"https://example.dk/{i}", outlet="Ritzau") for i, text in enumerate((RETREAT, FERRY))]
    with PostgresStore(postgres.url()) as store:
        store.add_many(records, per_transaction=2)
        assert [store.get(a.id) for a in records] == records
        assert store._query("SELECT CAST(record AS jsonb) -> 'source' ->> 'outlet' FROM records")[0][0] == "Ritzau"  # JSON as text, usable as jsonb


def test_read_views_give_the_same_answers_as_sqlite(postgres: PostgresDatabases, tmp_path: Path) -> None:
    articles = many_articles()
    with PostgresStore(postgres.url()) as pg, SqliteStore(tmp_path / "k.db") as lite:
        pg.add_many(articles, per_transaction=7)
        lite.add_many(articles)
        for filters in (None, Filters(speaker="frederiksen"), Filters(date_from="2024-03-01", outlet="avis"), Filters(place="aarhus")):
            assert pg.quotes(filters=filters, limit=100) == lite.quotes(filters=filters, limit=100), filters
            assert pg.quotes(contains="ALVORLIGT", filters=filters) == lite.quotes(contains="ALVORLIGT", filters=filters)
            assert pg.speakers(filters=filters) == lite.speakers(filters=filters)
            assert pg.sources(filters=filters) == lite.sources(filters=filters)
            assert pg.places(filters=filters) == lite.places(filters=filters)
            assert pg.events(filters=filters, limit=100) == lite.events(filters=filters, limit=100)
            assert pg.events(filters=filters, type="Peaceful protest") == lite.events(filters=filters, type="Peaceful protest")
            assert pg.timeline(filters=filters) == lite.timeline(filters=filters)
            assert pg.speaker_timeline("Mette Frederiksen", filters=filters) == lite.speaker_timeline("Mette Frederiksen", filters=filters)
        assert pg.outlets() == lite.outlets() and pg.quotes(speaker="Ærø Kommune").total == 7


def test_concurrent_writers_store_each_article_once(postgres: PostgresDatabases) -> None:
    """Two batch loads of the same articles at once, in opposite orders (which can deadlock): both finish, each article is stored once."""
    articles = many_articles()
    url = postgres.url()
    PostgresStore(url).close()
    start = threading.Barrier(2)
    results: list[object] = []

    def load(order: list[Article]) -> None:
        with PostgresStore(url) as store:
            start.wait()
            try:
                results.append(store.add_many(order, per_transaction=len(order)))
            except Exception as exc:
                results.append(exc)

    threads = [threading.Thread(target=load, args=(order,)) for order in (articles, articles[::-1])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert all(not isinstance(r, Exception) for r in results) and len(results) == 2, results
    assert sum(r.inserted for r in results) == len(articles) and sum(r.skipped for r in results) == len(articles)  # type: ignore[attr-defined]
    with PostgresStore(url) as store:
        assert store.count() == len(articles) and store._query("SELECT count(*) FROM records")[0][0] == len(articles)


def test_a_lost_connection_is_made_again(postgres: PostgresDatabases, rules_nlp: Language) -> None:
    """A server restart or a dropped network under a long-running `kilde serve`: the next call connects again."""
    with PostgresStore(postgres.url()) as store:
        store.add(analyze(RETREAT, nlp=rules_nlp, url="https://example.dk/1"))
        pid = store._query("SELECT pg_backend_pid()")[0][0]
        with psycopg.connect(postgres.server, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        assert store.count() == 1 and store.search("tilbagetrækning").total == 1
        assert store.add(analyze(FERRY, nlp=rules_nlp, url="https://example.dk/2")) and store.count() == 2
    with pytest.raises(StoreError, match="closed"):
        store.count()


@pytest.mark.parametrize("word", ["o'neil", "back\\slash", "a:b", "x&y|z", "!ikke", "(parentes)", "<->", "æøå'\\'"])
def test_lexemes_are_quoted_so_no_tsquery_syntax_leaks_in(postgres: PostgresDatabases, word: str) -> None:
    with PostgresStore(postgres.url()) as store:
        assert store._query("SELECT CAST(CAST(? AS tsquery) AS text)", [lexeme(word)])[0][0] == lexeme(word)  # one lexeme, as written
        for query in (word, f'"{word} storm"', f"{word}*", f"-{word} storm", f"{word} OR storm"):
            assert store.search(query).total == 0
        assert store.search("", filters=Filters(speaker=word if any(c.isalnum() for c in word) else "x")).total == 0


def test_random_queries_match_the_same_articles_as_in_sqlite(postgres: PostgresDatabases, tmp_path: Path) -> None:
    """Queries put together at random from the corpus's words and the query syntax: the same matches in both stores."""

    articles = many_articles()
    vocabulary = sorted({w for a in articles for w in re.findall(r"\w+", a.text)})
    rng = random.Random(20261125)
    shapes = ["{a}", "{a} {b}", '"{a} {b}"', "{a} OR {b}", "{a} -{b}", "{p}*", "{a} {p}*", '-{a} "{b} {c}"', "{a} OR {b} {c}"]
    with PostgresStore(postgres.url()) as pg, SqliteStore(tmp_path / "k.db") as lite:
        pg.add_many(articles, per_transaction=10)
        lite.add_many(articles)
        matched = 0
        for _ in range(150):
            a, b, c = (rng.choice(vocabulary) for _ in range(3))
            query = rng.choice(shapes).format(a=a, b=b, c=c, p=a[: rng.randint(1, max(1, len(a) - 1))].lower())
            ours, theirs = pg.search(query, limit=100), lite.search(query, limit=100)
            assert (ours.total, {h.id for h in ours.hits}) == (theirs.total, {h.id for h in theirs.hits}), query
            matched += bool(ours.total)
        assert matched > 50  # most queries find something: the comparison is not of empty results


@pytest.mark.parametrize("password", ["hem/melig", "hem@melig", "hem:mel/ig@x"])
def test_a_password_with_url_characters_is_still_redacted(postgres: PostgresDatabases, password: str) -> None:
    with pytest.raises(StoreError) as info:
        open_store(f"postgresql://kilde:{password}@127.0.0.1:{closed_port()}/kilde")
    message = str(info.value)
    assert password not in message and "melig" not in message and "mel/ig" not in message
