"""Errors of the corpus store (to be folded into :mod:`kilde.errors`).

KildeError
└── StoreError              the store cannot be opened, migrated, read or written
    └── QueryError          a search filter that cannot be run (a date that is not a date)
"""

from __future__ import annotations

from kilde.errors import KildeError

__all__ = ["QueryError", "StoreError"]


class StoreError(KildeError):
    """The store cannot be opened, migrated, read or written. The message names the database."""


class QueryError(StoreError):
    """A search query or filter that cannot be run (e.g. a date that is not a date)."""
