"""Planning an archive into partitions of articles, and reading one partition back.

The plan is deterministic: the same inputs and partition size give the same
partitions with the same ids, so a rerun into the same output directory finds
the partitions it already finished. Ids hash what a partition *is* (absolute
paths, byte ranges of JSON lines, row ranges of Parquet files), never the order
of a run or the worker that ran it.

    text, html, json, feed files   consecutive files in sorted order, ``partition_size`` at a time
    JSON lines                     byte ranges starting at line starts, ``partition_size`` non-empty lines each
    Parquet                        row ranges of ``partition_size`` rows (column ``text`` or ``html``)
    WARC                           one partition per file (gzip members cannot be found without decompressing)

Planning reads file sizes, the first bytes of each file, JSON-lines files once
(to find line starts) and Parquet footers; it never parses an article.
"""

from __future__ import annotations

import dataclasses
import glob
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from kilde.errors import InputError, UnsupportedInputError
from kilde.read import RawDocument, expand_path, read_path, sniff
from kilde.read.decode import decode
from kilde.read.parquet import MAGIC as PARQUET_MAGIC
from kilde.read.parquet import parquet_rows, read_parquet
from kilde.read.records import read_jsonl
from kilde.settings import Settings

__all__ = ["Partition", "Plan", "plan_partitions", "read_partition"]

PartitionKind = Literal["files", "jsonl", "parquet", "warc"]

DEFAULT_PARTITION_SIZE = 200
#: Suffixes from which kilde.read.sniff takes the format without looking at the content.
_NAMED_BY_SUFFIX = frozenset((".txt", ".text", ".md", ".html", ".htm", ".xhtml", ".json", ".jsonl", ".ndjson", ".rss", ".atom", ".xml", ".warc"))
#: A group of single-article files is also cut at this many bytes, so one partition's inputs stay small in memory.
MAX_GROUP_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, kw_only=True)
class Partition:
    """One unit of work: what to read, and a stable id derived from it.

    ``start``/``end`` are byte offsets for ``jsonl`` (``first_line`` numbers
    the line at ``start``) and row numbers for ``parquet``.
    """

    id: str
    kind: PartitionKind
    paths: tuple[str, ...]
    format: str | None = None
    start: int | None = None
    end: int | None = None
    first_line: int | None = None
    estimate: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Partition:
        return cls(**{**data, "paths": tuple(data["paths"])})


@dataclass(frozen=True, kw_only=True)
class Plan:
    """All partitions of a run, in input order."""

    partitions: tuple[Partition, ...]
    partition_size: int

    @property
    def estimate(self) -> int:
        """Articles expected (exact for JSON lines and Parquet, one per file otherwise, 0 for WARC)."""
        return sum(p.estimate for p in self.partitions)


def _partition(kind: PartitionKind, paths: Iterable[str], *, format: str | None = None, **span: int | None) -> Partition:
    paths = tuple(paths)
    start, end, first_line = span.get("start"), span.get("end"), span.get("first_line")
    # The estimate is left out of the id: it is a hint, and must not change what a rerun considers the same partition.
    identity = json.dumps({"kind": kind, "paths": paths, "format": format, "start": start, "end": end}, sort_keys=True)
    digest = hashlib.sha256(identity.encode()).hexdigest()[:16]
    return Partition(id=f"p{digest}", kind=kind, paths=paths, format=format, start=start, end=end, first_line=first_line, estimate=span.get("estimate") or 0)


def input_format(path: Path, forced: str | None = None) -> str:
    """The format of one input file: ``forced``, ``parquet`` by suffix or magic bytes, else what :func:`kilde.read.sniff` says."""
    if forced:
        return forced
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        return "parquet"
    if suffix in _NAMED_BY_SUFFIX:
        return sniff(b"", str(path))  # the name decides: no need to open each of a million files on shared storage
    with path.open("rb") as stream:
        head = stream.read(2048)
    if head.startswith(PARQUET_MAGIC):
        return "parquet"
    return sniff(head, str(path))


def _jsonl_ranges(path: Path, size: int) -> Iterator[tuple[int, int, int, int]]:
    """(start byte, end byte, first line number, non-empty lines) of each run of ``size`` non-empty lines."""
    start = offset = 0
    first_line = line_no = 1
    count = 0
    with path.open("rb") as stream:
        for line in stream:
            if count == size:
                yield start, offset, first_line, count
                start, first_line, count = offset, line_no, 0
            offset += len(line)
            line_no += 1
            if line.strip():
                count += 1
    if count:
        yield start, offset, first_line, count


def plan_partitions(inputs: Iterable[str], *, partition_size: int = DEFAULT_PARTITION_SIZE, format: str | None = None) -> Plan:
    """Partitions of up to ``partition_size`` articles covering every file under ``inputs``.

    ``inputs`` are files, directories (recursively; hidden names are skipped, as
    ``kilde analyze`` does) or globs. Raises :class:`~kilde.errors.UnsupportedInputError`
    for an input that matches no file or a Parquet file without a text column.
    """
    if partition_size < 1:
        raise ValueError("partition_size must be at least 1")
    files: list[Path] = []
    for raw in inputs:
        found = expand_path(raw)
        if not found:
            raise UnsupportedInputError(raw, "the pattern matches no files" if glob.has_magic(raw) else "no such file or directory")
        if irregular := next((p for p in found if not p.is_file()), None):
            # Partitions are byte ranges and file lists read again by the workers: a pipe or device can be read only once.
            raise UnsupportedInputError(str(irregular), "not a regular file (kilde batch reads its inputs more than once; save a stream to a file first)")
        files.extend(found)
    partitions: list[Partition] = []
    group: list[str] = []
    group_bytes = 0

    def flush() -> None:
        nonlocal group, group_bytes
        if group:
            partitions.append(_partition("files", group, format=format, estimate=len(group)))
        group, group_bytes = [], 0

    seen: set[Path] = set()
    for file in files:
        path = file.resolve()
        if path in seen:  # an input named twice (a directory and a glob inside it) is still read once
            continue
        seen.add(path)
        fmt = input_format(path, format)
        if fmt == "jsonl":
            flush()
            for start, end, first_line, count in _jsonl_ranges(path, partition_size):
                partitions.append(_partition("jsonl", [str(path)], start=start, end=end, first_line=first_line, estimate=count))
        elif fmt == "parquet":
            flush()
            rows = parquet_rows(str(path))
            for start in range(0, rows, partition_size):
                end = min(start + partition_size, rows)
                partitions.append(_partition("parquet", [str(path)], start=start, end=end, estimate=end - start))
        elif fmt == "warc":
            flush()
            partitions.append(_partition("warc", [str(path)]))
        else:
            size = path.stat().st_size
            if group and (len(group) >= partition_size or group_bytes + size > MAX_GROUP_BYTES):
                flush()
            group.append(str(path))
            group_bytes += size
    flush()
    return Plan(partitions=tuple(partitions), partition_size=partition_size)


def _jsonl_documents(partition: Partition) -> Iterator[RawDocument | InputError]:
    assert partition.start is not None and partition.end is not None and partition.first_line is not None
    name = partition.paths[0]
    try:
        with open(name, "rb") as stream:
            stream.seek(partition.start)
            data = stream.read(partition.end - partition.start)
    except OSError as exc:
        yield UnsupportedInputError(name, f"cannot read file ({exc.strerror or exc})")
        return
    text, warnings = decode(data, name)
    # Same records, line numbers and messages as read_jsonl on the whole file.
    for doc in read_jsonl(text, path=name, first_line=partition.first_line):
        if isinstance(doc, InputError):
            yield doc
            continue
        yield dataclasses.replace(doc, warnings=doc.warnings + tuple(warnings)) if warnings else doc


def read_partition(partition: Partition, *, settings: Settings | None = None) -> Iterator[RawDocument | InputError]:
    """The articles of one partition (or the input errors in their place), in plan order."""
    settings = settings or Settings.from_env()
    if partition.kind == "jsonl":
        yield from _jsonl_documents(partition)
    elif partition.kind == "parquet":
        assert partition.start is not None and partition.end is not None
        yield from read_parquet(partition.paths[0], start=partition.start, end=partition.end)
    elif partition.kind == "warc":
        yield from read_path(partition.paths[0], format="warc", settings=settings)
    else:
        for path in partition.paths:
            yield from read_path(path, format=partition.format, settings=settings)
