"""Both store backends behind one fixture, so the behaviour tests (test_contract.py) run against each."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kilde.store import Store
from kilde.store.sqlite import SqliteStore


class Backend:
    """Opens stores of one kind by name: the same name is the same database, a new name a new empty one."""

    name: str
    module: str  # where the store's code lives (for monkeypatching inside it)
    error: type[Exception]  # what its database driver raises

    def open(self, key: str = "main", **options: Any) -> Store:
        raise NotImplementedError


class SqliteBackend(Backend):
    name, module, error = "sqlite", "kilde.store.sqlite", sqlite3.OperationalError

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def open(self, key: str = "main", **options: Any) -> Store:
        return SqliteStore(self.folder / f"{key}.db", **options)


class PostgresBackend(Backend):
    name, module = "postgresql", "kilde.store.postgres"

    def __init__(self, databases: Any) -> None:
        import psycopg

        from kilde.store.postgres import PostgresStore

        self.databases, self.error, self._store = databases, psycopg.OperationalError, PostgresStore

    def url(self, key: str = "main") -> str:
        return str(self.databases.url(key))

    def open(self, key: str = "main", **options: Any) -> Store:
        return self._store(self.url(key), **options)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    if request.param == "sqlite":
        return SqliteBackend(tmp_path)
    return PostgresBackend(request.getfixturevalue("postgres"))


@pytest.fixture
def store(backend: Backend) -> Iterator[Store]:
    with backend.open() as s:
        yield s
