"""The store's errors, defined in :mod:`kilde.errors` with the rest of the tree and re-exported here."""

from __future__ import annotations

from kilde.errors import QueryError, StoreError

__all__ = ["QueryError", "StoreError"]
