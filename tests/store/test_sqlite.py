"""What is particular to the SQLite store: the file, WAL, its migrations. Shared behaviour: test_contract.py."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from kilde.pipeline import analyze
from kilde.records import Article
from kilde.settings import Settings
from kilde.store import Filters, QueryError, StoreError, open_store
from kilde.store.ingest import content_hash
from kilde.store.migrations import Migration, migrations
from kilde.store.sqlite import SqliteStore

# Our own Danish news-like texts.
RETREAT = (
    "Regeringen udskyder tilbagetrækningen af soldater\n\n"
    "Tilbagetrækningen af de danske soldater fra Irak bliver udskudt til foråret, oplyser Forsvarsministeriet.\n\n"
    "»Vi skal sikre, at overdragelsen sker ordentligt,« siger forsvarsminister Anne Holm."
)


@pytest.fixture
def store() -> Iterator[SqliteStore]:
    with SqliteStore(":memory:") as s:
        yield s


def article(nlp: Language, text: str, **metadata: Any) -> Article:
    return analyze(text, nlp=nlp, **metadata)


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


# -- migrations and opening -----------------------------------------------------------------


def test_migrations_are_recorded_and_rerun_safely(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    with SqliteStore(path) as store:
        assert store.applied_migrations() == [m.name for m in migrations("sqlite")] == ["0001_initial", "0002_stories", "0003_place_labels"]
    with SqliteStore(path) as store:  # again: nothing to do, nothing breaks
        assert store.applied_migrations() == ["0001_initial", "0002_stories", "0003_place_labels"]
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
    with pytest.raises(StoreError, match="unknown kind of store 'mysql'") as info:
        open_store("mysql://kilde:hemmelig@db.example.dk/kilde")
    assert "hemmelig" not in str(info.value)


def test_content_hash_is_the_pipelines(rules_nlp: Language) -> None:
    a = article(rules_nlp, RETREAT)
    assert content_hash(a.text) == a.content_hash


def test_bad_dates_are_query_errors() -> None:
    with pytest.raises(QueryError, match="YYYY-MM-DD"):
        Filters(date_from="1. marts")
