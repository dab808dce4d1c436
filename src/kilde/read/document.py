"""The typed record readers hand to cleaning."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockHint = Literal["headline", "lead", "body", "subheading", "caption"]


@dataclass(frozen=True, slots=True)
class Block:
    """``text[start:end]`` is one paragraph-like block the reader saw, with what it knows of it."""

    start: int
    end: int
    hint: BlockHint | None = None


@dataclass(frozen=True, kw_only=True)
class RawDocument:
    """One article as read, before cleaning.

    ``text`` is what cleaning starts from. Readers of structured inputs (HTML,
    feeds, WARC) also give ``blocks``; for plain text cleaning finds them.
    """

    text: str
    format: str
    blocks: tuple[Block, ...] = ()
    html: str | None = None
    path: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    byline: str | None = None
    index: int | None = None
    warnings: tuple[str, ...] = field(default=())

    @property
    def where(self) -> str:
        """How error messages name this document."""
        base = self.path or self.url or "<input>"
        return f"{base} [item {self.index}]" if self.index is not None else base


def join_blocks(parts: list[tuple[str, BlockHint | None]]) -> tuple[str, tuple[Block, ...]]:
    """Join block texts with blank lines, remembering where each block sits."""
    pieces: list[str] = []
    blocks: list[Block] = []
    pos = 0
    for text, hint in parts:
        text = text.strip()
        if not text:
            continue
        if pieces:
            pieces.append("\n\n")
            pos += 2
        pieces.append(text)
        blocks.append(Block(pos, pos + len(text), hint))
        pos += len(text)
    return "".join(pieces), tuple(blocks)
