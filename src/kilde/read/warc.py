"""WARC archives: every HTML response record is an article (warcio)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from kilde.errors import InputError, MalformedRecordError
from kilde.read.decode import decode
from kilde.read.document import RawDocument
from kilde.read.html import read_html


def read_warc(stream: BinaryIO, *, path: str, max_bytes: int) -> Iterator[RawDocument | InputError]:
    index = 0
    try:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            content_type = record.http_headers.get_header("Content-Type") or ""
            if "html" not in content_type:
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            where = f"{path} [{url or index}]"
            data = record.content_stream().read(max_bytes + 1)
            index += 1
            try:
                if len(data) > max_bytes:
                    raise MalformedRecordError(where, f"response larger than {max_bytes} bytes")
                markup, warnings = decode(data, where)
                doc = read_html(markup, where=where, path=path, url=url, index=index - 1, format="warc")
            except InputError as exc:
                yield exc
                continue
            yield dataclasses.replace(doc, warnings=tuple(warnings))
    except ArchiveLoadFailed as exc:
        yield MalformedRecordError(path, f"not a readable WARC file ({exc})")
