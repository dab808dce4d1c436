"""Plain text: paragraphs separated by blank lines."""

from __future__ import annotations

from kilde.read.document import RawDocument


def read_text(text: str, **metadata: str | int | None) -> RawDocument:
    """A plain-text article; cleaning finds its paragraphs."""
    return RawDocument(
        text=text,
        format=str(metadata.pop("format", None) or "text"),
        path=metadata.get("path"),  # type: ignore[arg-type]
        url=metadata.get("url"),  # type: ignore[arg-type]
        title=metadata.get("title"),  # type: ignore[arg-type]
        published=metadata.get("published"),  # type: ignore[arg-type]
        outlet=metadata.get("outlet"),  # type: ignore[arg-type]
        byline=metadata.get("byline"),  # type: ignore[arg-type]
        index=metadata.get("index"),  # type: ignore[arg-type]
    )
