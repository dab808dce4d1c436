"""Kilde's exceptions.

The library raises; the CLI turns these into messages and exit codes, and a
batch turns them into :class:`kilde.records.Rejection` rows and carries on.

    KildeError                  base of everything Kilde raises on purpose
    ├── InputError              an input cannot become an article (names the file)
    │   ├── EmptyInputError         nothing but whitespace
    │   ├── BinaryInputError        bytes that are not text (NUL bytes, images …)
    │   ├── InputTooLargeError      over Settings.max_input_bytes
    │   ├── MalformedRecordError    a JSON line or feed/WARC record that does not parse
    │   ├── NoArticleError          HTML (or a record) with no article text in it
    │   └── UnsupportedInputError   a path that is neither a file nor a directory, or an unknown format
    ├── ModelError              the Danish pipeline cannot be loaded
    ├── StoreError              the store cannot be opened, migrated, read or written (names the database,
    │   │                       never its password)
    │   └── QueryError              a search, filter or page that cannot be run (a date that is not a date)
    └── OutputDirError          a batch output directory that cannot take this run (holds another plan,
                                or is not writable)

Exit codes of the CLI: 0 all good, 1 some inputs were rejected (the rest were
written), 2 usage error, 3 nothing could be read at all, 4 model error.
"""

from __future__ import annotations


class KildeError(Exception):
    """Base class of all errors Kilde raises on purpose."""


class InputError(KildeError):
    """An input cannot become an article. ``where`` names the file (and item)."""

    def __init__(self, where: str, problem: str) -> None:
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}")


class EmptyInputError(InputError):
    pass


class BinaryInputError(InputError):
    pass


class InputTooLargeError(InputError):
    pass


class MalformedRecordError(InputError):
    pass


class NoArticleError(InputError):
    pass


class UnsupportedInputError(InputError):
    pass


class ModelError(KildeError):
    """The Danish pipeline could not be loaded."""


class StoreError(KildeError):
    """The store cannot be opened, migrated, read or written. The message names the database."""


class QueryError(StoreError):
    """A search query or filter that cannot be run (e.g. a date that is not a date)."""


class OutputDirError(KildeError):
    """The output directory cannot take this run (it holds a different plan, or is not writable)."""
