"""RSS and Atom feed files: one article per entry, via feedparser."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import feedparser

from kilde.errors import InputError, MalformedRecordError, NoArticleError
from kilde.read.document import RawDocument
from kilde.read.html import read_html
from kilde.read.text import read_text


def _published(entry: Any) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed)
    return entry.get("published") or entry.get("updated")


def _fragment(html: str, title: str | None) -> str:
    """Wrap an entry's HTML fragment into a page trafilatura can read."""
    head = f"<title>{title}</title>" if title else ""
    return f"<html><head>{head}</head><body><article>{html}</article></body></html>"


def read_feed(text: str, *, path: str) -> Iterator[RawDocument | InputError]:
    parsed = feedparser.parse(text)
    if parsed.bozo and not parsed.entries:
        raise MalformedRecordError(path, f"not a readable RSS/Atom feed ({parsed.bozo_exception})")
    outlet = parsed.feed.get("title")
    for i, entry in enumerate(parsed.entries):
        where = f"{path} [entry {i}]"
        content = entry.get("content")
        html = content[0].get("value") if content else entry.get("summary") or entry.get("description")
        if not html or not html.strip():
            yield NoArticleError(where, "feed entry without content or summary")
            continue
        metadata = {
            "path": path,
            "index": i,
            "url": entry.get("link"),
            "title": entry.get("title"),
            "published": _published(entry),
            "outlet": outlet,
            "byline": entry.get("author"),
            "format": "feed",
        }
        if "<" not in html:
            yield read_text(html, **metadata)
            continue
        try:
            yield read_html(_fragment(html, entry.get("title")), where=where, **metadata)
        except InputError as exc:
            yield exc
