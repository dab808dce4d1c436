"""JSON and JSON-lines records: ``text`` or ``html`` plus optional metadata."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from kilde.errors import EmptyInputError, MalformedRecordError
from kilde.read.document import RawDocument
from kilde.read.html import read_html
from kilde.read.text import read_text

METADATA_KEYS = ("url", "title", "published", "outlet", "byline")


def from_mapping(record: Any, *, where: str, path: str | None, index: int | None, format: str) -> RawDocument:
    """One article from a decoded JSON object."""
    if not isinstance(record, dict):
        raise MalformedRecordError(where, f"expected a JSON object, got {type(record).__name__}")
    metadata = {key: record[key] for key in METADATA_KEYS if record.get(key) not in (None, "")}
    for key, value in metadata.items():
        if not isinstance(value, str):
            raise MalformedRecordError(where, f"field {key!r} must be a string, got {type(value).__name__}")
    if isinstance(record.get("html"), str) and record["html"].strip():
        return read_html(record["html"], where=where, path=path, index=index, format=format, **metadata)
    if isinstance(record.get("text"), str):
        if not record["text"].strip():
            raise EmptyInputError(where, "the record's 'text' is empty")
        return read_text(record["text"], path=path, index=index, format=format, **metadata)
    raise MalformedRecordError(where, "the record has neither a 'text' nor an 'html' string field")


def read_json(text: str, *, path: str) -> Iterator[RawDocument | MalformedRecordError | EmptyInputError]:
    """A JSON file holding one record or a list of records."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedRecordError(path, f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    items = data if isinstance(data, list) else [data]
    for i, item in enumerate(items):
        index = i if isinstance(data, list) else None
        where = f"{path} [item {i}]" if index is not None else path
        try:
            yield from_mapping(item, where=where, path=path, index=index, format="json")
        except (MalformedRecordError, EmptyInputError) as exc:
            yield exc


def read_jsonl(text: str, *, path: str, first_line: int = 1) -> Iterator[RawDocument | MalformedRecordError | EmptyInputError]:
    """A JSON-lines file (or a run of its lines starting at ``first_line``): one record per line; a bad line is reported and skipped."""
    for line_no, line in enumerate(text.splitlines(), start=first_line):
        if not line.strip():
            continue
        where = f"{path}:{line_no}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            yield MalformedRecordError(where, f"invalid JSON line (column {exc.colno}: {exc.msg}); truncated?")
            continue
        try:
            yield from_mapping(item, where=where, path=path, index=line_no, format="jsonl")
        except (MalformedRecordError, EmptyInputError) as exc:
            yield exc
