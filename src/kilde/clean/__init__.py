"""Cleaning Danish news as scraped: raw text in, body text out, nothing lost.

:func:`clean` splits the raw text into blocks, takes captions, credits,
bylines, datelines and page furniture out of the body into ``captions`` and
``removed`` (each with its raw offsets and kind), normalises Unicode and
whitespace, assigns paragraph kinds, and returns the body text with an
:class:`~kilde.clean.offsets.OffsetMap` back to the raw text. Quotation marks
and dashes are kept exactly as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kilde.clean.captions import find_caption
from kilde.clean.furniture import boilerplate_kind, byline_names, dateline, find_inline
from kilde.clean.offsets import OffsetMap, TextBuilder, strip_span
from kilde.read.document import Block, BlockHint, RawDocument
from kilde.records import Caption, Paragraph, ParagraphKind, Removed, RemovedKind

__all__ = ["Cleaned", "clean", "split_blocks"]

_BLANK_LINE = re.compile(r"\n[ \t\r\f\v\u00a0]*\n\s*")
_TERMINAL = ".!?:;,»«\"”“'’)"


@dataclass(frozen=True, kw_only=True)
class Cleaned:
    text: str
    paragraphs: list[Paragraph]
    captions: list[Caption]
    removed: list[Removed]
    offset_map: OffsetMap
    byline: str | None = None
    title: str | None = None
    dateline_agency: str | None = None
    warnings: list[str] = field(default_factory=list)


def normal_form(text: str) -> str:
    """``text`` as cleaning writes it: NFC, invisibles dropped, one space per whitespace run."""
    builder = TextBuilder(text)
    start, end = strip_span(text, 0, len(text))
    builder.copy(start, end)
    return builder.text()


def split_blocks(raw: str) -> tuple[Block, ...]:
    """Paragraph blocks of plain text: blank-line separated, or one per line if there are no blank lines."""
    if _BLANK_LINE.search(raw.strip()):
        bounds = []
        pos = 0
        for match in _BLANK_LINE.finditer(raw):
            bounds.append((pos, match.start()))
            pos = match.end()
        bounds.append((pos, len(raw)))
    else:
        bounds = []
        pos = 0
        for line in raw.split("\n"):
            bounds.append((pos, pos + len(line)))
            pos += len(line) + 1
    blocks = []
    for start, end in bounds:
        start, end = strip_span(raw, start, end)
        if start < end:
            blocks.append(Block(start, end))
    return tuple(blocks)


@dataclass(slots=True)
class _Piece:
    start: int
    end: int
    hint: BlockHint | None
    block: int  # index of the block it came from, so pieces of one block rejoin


class _Cleaner:
    def __init__(self, doc: RawDocument) -> None:
        self.raw = doc.text
        self.doc = doc
        self.captions: list[Caption] = []
        self.removed: list[Removed] = []
        self.byline: str | None = None
        self._caption_keys: set[str] = set()

    def remove(self, kind: RemovedKind, start: int, end: int) -> None:
        start, end = strip_span(self.raw, start, end)
        if start < end:
            self.removed.append(Removed(kind=kind, text=self.raw[start:end], raw_start=start, raw_end=end))

    def take_caption(self, start: int, end: int, *, hinted: bool) -> bool:
        """Record ``raw[start:end]`` as a caption if it is one; True if it was taken."""
        chunk = normal_form(self.raw[start:end])
        match = find_caption(chunk)
        if match is None and not hinted:
            return False
        text = chunk[: match.text_end].strip() if match else chunk
        if not text:
            # A bare credit ("Foto: Ritzau Scanpix") with no caption text.
            self.remove("credit", start, end)
            return True
        key = text.casefold()
        if key in self._caption_keys:
            self.remove("duplicate", start, end)
            return True
        self._caption_keys.add(key)
        credit = match.credit if match else None
        self.captions.append(
            Caption(
                text=text,
                credit=credit.display if credit else None,
                credit_raw=credit.raw if credit else None,
                agency=credit.agency if credit else None,
                marker=credit.marker if credit else None,
                raw_start=start,
                raw_end=end,
            )
        )
        self.remove("caption", start, end)
        return True

    def pieces(self, blocks: tuple[Block, ...]) -> list[_Piece]:
        kept: list[_Piece] = []
        for index, block in enumerate(blocks):
            # Inline UI phrases cut a block into chunks ("<caption> Vis mere <caption>").
            chunks = []
            pos = block.start
            for start, end, kind in find_inline(self.raw[block.start : block.end]):
                chunks.append((pos, block.start + start))
                self.remove(kind, block.start + start, block.start + end)  # type: ignore[arg-type]
                pos = block.start + end
            chunks.append((pos, block.end))
            for chunk_start, chunk_end in chunks:
                start, end = strip_span(self.raw, chunk_start, chunk_end)
                if start >= end:
                    continue
                if self.classify(start, end, block.hint):
                    kept.append(_Piece(start, end, block.hint, index))
        return kept

    def classify(self, start: int, end: int, hint: BlockHint | None) -> bool:
        """Move the chunk out of the body if it is furniture; True if it stays."""
        if hint == "caption":
            self.take_caption(start, end, hinted=True)
            return False
        if self.take_caption(start, end, hinted=False):
            return False
        text = normal_form(self.raw[start:end])
        kind = boilerplate_kind(text)
        if kind is not None:
            self.remove(kind, start, end)  # type: ignore[arg-type]
            return False
        if hint not in ("headline", "subheading"):
            names = byline_names(text)
            if names is not None:
                self.byline = self.byline or names
                self.remove("byline", start, end)
                return False
        if not any(ch.isalnum() for ch in text):
            self.remove("empty", start, end)
            return False
        return True


def _looks_like_heading(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 20 and text[-1] not in _TERMINAL and text[0].isupper()


def _kinds(pieces: list[_Piece], texts: list[str], hinted: bool) -> list[ParagraphKind]:
    """Paragraph kinds: the reader's hints where it had them, else the plain-text shape."""
    if hinted:
        hint_kinds: dict[str | None, ParagraphKind] = {"headline": "headline", "lead": "lead", "subheading": "subheading"}
        return [hint_kinds.get(p.hint, "body") for p in pieces]
    kinds: list[ParagraphKind] = ["body"] * len(pieces)
    if len(pieces) > 1 and _looks_like_heading(texts[0]):
        kinds[0] = "headline"
        if len(pieces) > 2:
            kinds[1] = "lead"
    for i in range(2, len(pieces) - 1):
        if len(texts[i].split()) <= 10 and _looks_like_heading(texts[i]):
            kinds[i] = "subheading"
    return kinds


def clean(doc: RawDocument) -> Cleaned:
    """Clean one raw document into body text, captions and removed furniture."""
    cleaner = _Cleaner(doc)
    hinted = bool(doc.blocks) and any(b.hint is not None for b in doc.blocks)
    blocks = doc.blocks or split_blocks(doc.text)
    pieces = cleaner.pieces(blocks)

    # Pieces of one block (split around an inline phrase) rejoin as one paragraph.
    groups: list[list[_Piece]] = []
    for piece in pieces:
        if groups and groups[-1][-1].block == piece.block:
            groups[-1].append(piece)
        else:
            groups.append([piece])

    heads = [g[0] for g in groups]
    texts = [normal_form(" ".join(cleaner.raw[p.start : p.end] for p in g)) for g in groups]
    kinds = _kinds(heads, texts, hinted)

    # A dateline opens the lead or the first body paragraph: "BRUXELLES (Ritzau): …".
    agency = None
    candidates = [next((i for i, k in enumerate(kinds) if k == kind), None) for kind in ("lead", "body")]
    for index in (i for i in candidates if i is not None):
        piece = groups[index][0]
        match = dateline(cleaner.raw[piece.start : piece.end])
        if match is not None:
            cleaner.remove("dateline", piece.start, piece.start + match.end())
            agency = match.group("agency")
            piece.start += match.end()
            break

    builder = TextBuilder(cleaner.raw)
    paragraphs: list[Paragraph] = []
    for group, kind in zip(groups, kinds, strict=True):
        if paragraphs:
            builder.separator("\n\n", group[0].start)
        start = builder.length
        for j, piece in enumerate(group):
            if j:
                builder.separator(" ", piece.start)
            builder.copy(piece.start, piece.end)
        paragraphs.append(Paragraph(start=start, end=builder.length, kind=kind))

    text = builder.text()
    title = doc.title
    if title is None and paragraphs and paragraphs[0].kind == "headline":
        title = text[paragraphs[0].start : paragraphs[0].end]
    cleaner.removed.sort(key=lambda r: r.raw_start)
    return Cleaned(
        text=text,
        paragraphs=paragraphs,
        captions=cleaner.captions,
        removed=cleaner.removed,
        offset_map=builder.offset_map(),
        byline=doc.byline or cleaner.byline,
        title=title,
        dateline_agency=agency,
    )
