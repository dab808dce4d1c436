"""Parquet tables of articles: one row per article, a ``text`` or ``html`` column plus optional metadata.

The columns are those of a JSON record (``url``, ``title``, ``published``,
``outlet``, ``byline``); others are ignored. Dates and timestamps become ISO
8601 strings. Only the row groups that hold the rows asked for are read, so
a cluster can split one large file into row ranges (:mod:`kilde.batch`).
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
    """The articles in rows ``start``…``end`` (all rows by default) of the file ``path`` (or of ``data``, its bytes); a bad row yields its error."""
    try:
        parquet = _open(path, data)
        end = int(parquet.metadata.num_rows) if end is None else end
        columns = [c for c in COLUMNS if c in parquet.schema_arrow.names]
        # read only the row groups that overlap [start, end), then cut the rows out of them
        groups, first_row, row = [], None, 0
        for i in range(parquet.metadata.num_row_groups):
            rows = parquet.metadata.row_group(i).num_rows
            if row < end and row + rows > start:
                groups.append(i)
                first_row = row if first_row is None else first_row
            row += rows
        table = parquet.read_row_groups(groups, columns=columns)
    except UnsupportedInputError as exc:
        yield exc
        return
    except (OSError, ValueError) as exc:
        yield UnsupportedInputError(path, f"cannot read Parquet rows {start}–{end} ({exc})")
        return
    offset = start - (first_row or 0)
    for i, record in enumerate(table.slice(offset, end - start).to_pylist(), start=start):
        try:
            yield from_mapping({k: _plain(v) for k, v in record.items() if v is not None}, where=f"{path} [row {i}]", path=path, index=i, format="parquet")
        except (MalformedRecordError, EmptyInputError) as exc:
            yield exc
