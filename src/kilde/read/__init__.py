"""Reading inputs: files, directories, globs, stdin, strings → :class:`RawDocument`.

Readers never raise for one bad item inside a batch: they yield the
:class:`~kilde.errors.InputError` in its place, so a batch carries on and the
caller decides (the CLI reports it and exits non-zero at the end).
"""

from __future__ import annotations

import dataclasses
import glob
import io
from collections.abc import Iterable, Iterator
from pathlib import Path

from kilde.errors import InputError, InputTooLargeError, UnsupportedInputError
from kilde.read.decode import decode
from kilde.read.document import Block, RawDocument
from kilde.read.feeds import read_feed
from kilde.read.html import read_html
from kilde.read.parquet import MAGIC as PARQUET_MAGIC
from kilde.read.parquet import read_parquet
from kilde.read.records import read_json, read_jsonl
from kilde.read.text import read_text
from kilde.read.warc import read_warc
from kilde.settings import Settings

__all__ = ["Block", "RawDocument", "expand_path", "from_string", "read_bytes", "read_path", "read_paths"]

FORMATS = ("text", "html", "json", "jsonl", "feed", "warc", "parquet")
_SUFFIXES = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
    ".warc": "warc", ".gz": "warc",
    ".parquet": "parquet", ".pq": "parquet",
}  # fmt: skip


def sniff(data: bytes, name: str = "") -> str:
    """The input format, from the file name where it says, else from the first bytes."""
    suffix = Path(name).suffix.lower()
    if suffix == ".gz" and not name.lower().endswith((".warc.gz", ".arc.gz")):
        suffix = ""
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    if data.startswith(PARQUET_MAGIC):
        return "parquet"
    head = data[:2048].lstrip().lower()
    if head.startswith(b"warc/"):
        return "warc"
    if head.startswith((b"{", b"[")):
        first_line = data.lstrip().split(b"\n", 1)[0].strip()
        return "jsonl" if first_line.startswith(b"{") and first_line.endswith(b"}") and data.strip().count(b"\n") else "json"
    if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
        return "feed"
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head or b"<article" in head:
        return "html"
    return "text"


def _with_warnings(doc: RawDocument, warnings: list[str]) -> RawDocument:
    return dataclasses.replace(doc, warnings=doc.warnings + tuple(warnings)) if warnings else doc


def read_bytes(data: bytes, *, name: str, format: str | None = None, settings: Settings | None = None) -> Iterator[RawDocument | InputError]:
    """Articles in ``data`` (the contents of the file ``name``)."""
    settings = settings or Settings.from_env()
    fmt = format or sniff(data, name)
    if fmt not in FORMATS:
        raise UnsupportedInputError(name, f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if fmt == "warc":
        yield from read_warc(io.BytesIO(data), path=name, max_bytes=settings.max_input_bytes)
        return
    if fmt == "parquet":
        yield from read_parquet(name, data=data)
        return
    if fmt in ("text", "html") and len(data) > settings.max_input_bytes:
        raise InputTooLargeError(name, f"{len(data):,} bytes is over the {settings.max_input_bytes:,}-byte limit for one article (KILDE_MAX_INPUT_BYTES)")
    text, warnings = decode(data, name)
    if fmt == "text":
        yield _with_warnings(read_text(text, path=name), warnings)
    elif fmt == "html":
        yield _with_warnings(read_html(text, where=name, path=name), warnings)
    else:
        reader = {"json": read_json, "jsonl": read_jsonl, "feed": read_feed}[fmt]
        for item in reader(text, path=name):
            yield item if isinstance(item, InputError) else _with_warnings(item, warnings)


def _read_file(path: Path, format: str | None, settings: Settings) -> Iterator[RawDocument | InputError]:
    name = str(path)
    try:
        size = path.stat().st_size
        if format is None:
            with path.open("rb") as stream:
                fmt = sniff(stream.read(2048), name)
        else:
            fmt = format
        if fmt in ("text", "html") and size > settings.max_input_bytes:
            raise InputTooLargeError(name, f"{size:,} bytes is over the {settings.max_input_bytes:,}-byte limit for one article (KILDE_MAX_INPUT_BYTES)")
        if fmt == "warc":
            with path.open("rb") as stream:
                yield from read_warc(stream, path=name, max_bytes=settings.max_input_bytes)
            return
        if fmt == "parquet":  # read by row groups from the file, never whole into memory
            yield from read_parquet(name)
            return
        data = path.read_bytes()
    except OSError as exc:
        yield UnsupportedInputError(name, f"cannot read file ({exc.strerror or exc})")
        return
    except InputError as exc:
        yield exc
        return
    try:
        yield from read_bytes(data, name=name, format=fmt, settings=settings)
    except InputError as exc:
        yield exc


def expand_path(path: str) -> list[Path]:
    """The files ``path`` names: itself, every file under a directory (recursively, hidden names skipped), or a glob's matches; sorted."""
    candidate = Path(path)
    if candidate.is_dir():
        return sorted(p for p in candidate.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(candidate).parts))
    if candidate.exists():
        return [candidate]
    if glob.has_magic(path):
        return sorted(Path(p) for p in glob.glob(path, recursive=True) if Path(p).is_file())
    return []


def read_path(path: str, *, format: str | None = None, settings: Settings | None = None) -> Iterator[RawDocument | InputError]:
    """Articles at ``path``: a file, a directory (recursively), or a glob."""
    settings = settings or Settings.from_env()
    files = expand_path(path)
    if not files:
        yield UnsupportedInputError(path, "no such file or directory" if not glob.has_magic(path) else "the pattern matches no files")
        return
    for file in files:
        yield from _read_file(file, format, settings)


def read_paths(paths: Iterable[str], *, format: str | None = None, settings: Settings | None = None) -> Iterator[RawDocument | InputError]:
    settings = settings or Settings.from_env()
    for path in paths:
        yield from read_path(path, format=format, settings=settings)


def from_string(text_or_html: str, **metadata: str | None) -> RawDocument:
    """One article from a string: HTML if it looks like a page, plain text otherwise."""
    head = text_or_html[:2048].lstrip().lower()
    if head.startswith(("<!doctype html", "<html")) or "<body" in head or "<article" in head or "<p>" in head:
        return read_html(text_or_html, where=metadata.get("path") or metadata.get("url") or "<string>", **metadata)
    return read_text(text_or_html, **metadata)
