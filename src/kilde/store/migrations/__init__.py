"""Named schema migrations, applied in order, each in one transaction.

A migration is a SQL file ``NNNN_name.sql`` in the folder of its dialect
(``sqlite/``; ``postgresql/`` when that store exists). The store records each
applied migration's name in a ``migrations`` table, so opening a database
applies exactly the ones it has not seen, and opening it again changes
nothing. Never edit a released migration: add the next one.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

__all__ = ["Migration", "migrations"]


@dataclass(frozen=True, slots=True)
class Migration:
    name: str
    sql: str


def migrations(dialect: str) -> list[Migration]:
    """The migrations of ``dialect``, in the order they apply."""
    folder = resources.files(__name__).joinpath(dialect)
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".sql")), key=lambda f: f.name)
    return [Migration(f.name.removesuffix(".sql"), f.read_text(encoding="utf-8")) for f in files]
