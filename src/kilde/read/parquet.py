"""Parquet tables of articles: one row per article, a ``text`` or ``html`` column plus optional metadata.

The columns are those of a JSON record (``url``, ``title``, ``published``,
``outlet``, ``byline``); others are ignored. Dates and timestamps become ISO
8601 strings. Only the row groups that hold the rows asked for are read, a
small batch of rows at a time, so a cluster can split one large file into row
ranges (:mod:`kilde.batch`) and no file is ever held whole in memory.
Needs pyarrow (``pip install 'kilde[distributed]'``).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

from kilde.errors import EmptyInputError, InputError, MalformedRecordError, UnsupportedInputError
from kilde.read.document import RawDocument
from kilde.read.records import METADATA_KEYS, from_mapping

__all__ = ["COLUMNS", "MAGIC", "parquet_rows", "read_parquet"]

#: Columns a Parquet input may have; ``text`` or ``html`` is required.
COLUMNS = ("text", "html", *METADATA_KEYS)
MAGIC = b"PAR1"
BATCH_ROWS = 64  # rows converted to Python at a time (articles are large: a few MB at most per batch)


def _open(path: str, data: bytes | None = None) -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise UnsupportedInputError(path, "reading Parquet needs pyarrow: pip install 'kilde[distributed]'") from None
    try:
        parquet = pq.ParquetFile(path if data is None else io.BytesIO(data))
    except (OSError, ValueError) as exc:
        raise UnsupportedInputError(path, f"not a readable Parquet file ({exc})") from None
    names = set(parquet.schema_arrow.names)
    if not names & {"text", "html"}:
        raise UnsupportedInputError(path, f"a Parquet input needs a 'text' or 'html' column; it has {', '.join(sorted(names))}")
    return parquet


def parquet_rows(path: str) -> int:
    """How many rows (articles) the file has, from its footer. Raises :class:`UnsupportedInputError`."""
    return int(_open(path).metadata.num_rows)


def _plain(value: Any) -> Any:
    """Parquet timestamps and dates as ISO 8601 strings, the form the record keeps."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def read_parquet(path: str, *, data: bytes | None = None, start: int = 0, end: int | None = None) -> Iterator[RawDocument | InputError]:
    """The articles in rows ``start``…``end`` (all rows by default) of the file ``path`` (or of ``data``, its bytes); a bad row yields its error.

    Streams: one batch of rows at a time from the row groups that overlap the range, so memory stays
    that of a batch, whatever the size of the file or of its row groups.
    """
    try:
        parquet = _open(path, data)
    except UnsupportedInputError as exc:
        yield exc
        return
    end = int(parquet.metadata.num_rows) if end is None else end
    columns = [c for c in COLUMNS if c in parquet.schema_arrow.names]
    groups, first_row, row = [], None, 0
    for i in range(parquet.metadata.num_row_groups):
        rows = parquet.metadata.row_group(i).num_rows
        if row < end and row + rows > start:
            groups.append(i)
            first_row = row if first_row is None else first_row
        row += rows
    if not groups:
        return
    index = first_row or 0
    try:
        for batch in parquet.iter_batches(batch_size=BATCH_ROWS, row_groups=groups, columns=columns):
            if index + batch.num_rows <= start:  # a batch before the range: skipped without converting it
                index += batch.num_rows
                continue
            for record in batch.to_pylist():
                if start <= index < end:
                    where = f"{path} [row {index}]"
                    try:
                        yield from_mapping({k: _plain(v) for k, v in record.items() if v is not None}, where=where, path=path, index=index, format="parquet")
                    except (MalformedRecordError, EmptyInputError) as exc:
                        yield exc
                index += 1
            if index >= end:
                return
    except (OSError, ValueError) as exc:
        yield UnsupportedInputError(path, f"cannot read Parquet rows from {index} ({exc})")
