"""Article text as pieces to show: paragraphs, quotes, and marks for entities, places, times and speakers, from the record's offsets.

Everything here is plain data; the templates escape every piece of text as they print it, so an
article that contains markup or scripts shows them as text. Marks may overlap (a place that is also a
LOC entity, an entity inside a quote): the text is cut at every span boundary and each cut piece carries
the set of marks that cover it; quotes are the outer layer (they never overlap each other).
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar
from urllib.parse import quote, urlencode, urlsplit

from kilde.records import Article

T = TypeVar("T")

__all__ = ["Block", "Mark", "Piece", "QuoteRef", "Run", "article_blocks", "article_id", "safe_url", "snippet_pieces", "speaker_href"]

ENTITY_NAMES = {"PER": "person", "ORG": "organisation", "LOC": "sted", "MISC": "andet navn"}


def speaker_href(name: str) -> str:
    return "/speakers/" + quote(name, safe="")


def article_id(article_id: str) -> str:
    """An article id as one path segment (ids of posted records are free text: /, ?, # and spaces included)."""
    return quote(article_id, safe="")


def safe_url(url: str | None) -> str | None:
    """An article's own URL as a link only when it is http(s): a ``javascript:`` or ``data:`` URL from a scraped record is no link."""
    if url and urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return url.strip()
    return None


def search_href(**params: str) -> str:
    return "/?" + urlencode(params)


@dataclass(frozen=True)
class Mark:
    kind: str  # entity | place | time | mention
    css: str
    label: str
    href: str | None = None


@dataclass(frozen=True)
class Piece:
    text: str
    marks: tuple[Mark, ...] = ()

    @property
    def css(self) -> str:
        return " ".join(dict.fromkeys(m.css for m in self.marks))

    @property
    def label(self) -> str:
        return " · ".join(dict.fromkeys(m.label for m in self.marks))

    @property
    def href(self) -> str | None:
        # a speaker mention leads to the speaker, else the most specific thing marked
        for kind in ("mention", "place", "entity"):
            for m in self.marks:
                if m.kind == kind and m.href:
                    return m.href
        return None


@dataclass(frozen=True)
class QuoteRef:
    index: int
    kind: str
    speaker: str | None
    speaker_type: str
    cue: str | None
    confidence: float


@dataclass
class Run:
    quote: QuoteRef | None
    pieces: list[Piece] = field(default_factory=list)
    quote_ends: bool = False  # the quote's last run: the speaker is shown after it


@dataclass
class Block:
    kind: str  # headline | lead | body | subheading
    runs: list[Run]


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    mark: Mark


def _spans(article: Article) -> list[_Span]:
    spans: list[_Span] = []
    for e in article.entities:
        spans.append(_Span(e.start, e.end, Mark("entity", f"ent ent-{e.label.lower()}", f"{ENTITY_NAMES.get(e.label, e.label)}: {e.text}",
                                                search_href(entity=e.text))))  # fmt: skip
    for p in article.places:
        where = ", ".join(x for x in (p.country, p.feature) if x)
        mark = Mark("place", "place", f"sted: {p.label or p.name}" + (f" ({where})" if where else ""), search_href(place=p.name))
        for m in p.mentions:
            spans.append(_Span(m.start, m.end, mark))
    for t in article.times:
        spans.append(_Span(t.start, t.end, Mark("time", "time", f"tid: {t.value or t.text} ({t.type})")))
    for q in article.quotes:
        s = q.speaker
        if s.name and s.mention_start is not None and s.mention_end is not None:
            spans.append(_Span(s.mention_start, s.mention_end, Mark("mention", "mention", f"kilde: {s.name} ({s.type})", speaker_href(s.name))))
    return [s for s in spans if 0 <= s.start < s.end <= len(article.text)]


def _paragraphs(article: Article) -> list[tuple[str, int, int]]:
    if article.paragraphs:
        return [(p.kind, p.start, p.end) for p in article.paragraphs if p.end > p.start]
    return [("body", 0, len(article.text))] if article.text else []


class _Overlaps(Generic[T]):
    """Items sorted by start, answering "which overlap [start, end)" by bisection, not by a scan of them all."""

    def __init__(self, items: list[T], bounds: Callable[[T], tuple[int, int]]) -> None:
        self.items = items
        self._bounds = bounds
        self._starts = [bounds(item)[0] for item in items]
        self._longest = max((b - a for a, b in map(bounds, items)), default=0)

    def within(self, start: int, end: int) -> list[T]:
        # an item that overlaps starts before `end` and, being at most `_longest` long, after `start - _longest`
        lo, hi = bisect.bisect_right(self._starts, start - self._longest - 1), bisect.bisect_left(self._starts, end)
        return [item for item in self.items[lo:hi] if self._bounds(item)[1] > start]


def article_blocks(article: Article) -> list[Block]:
    """The article's text as blocks of runs of marked pieces."""
    text = article.text
    all_spans = _Overlaps(sorted(_spans(article), key=lambda s: s.start), lambda s: (s.start, s.end))
    all_quotes = _Overlaps(
        sorted(((q.start, q.end, i, q) for i, q in enumerate(article.quotes) if 0 <= q.start < q.end <= len(text)), key=lambda t: t[0]), lambda t: (t[0], t[1])
    )
    refs = {i: QuoteRef(i, q.kind, q.speaker.name, q.speaker.type, q.cue, q.confidence) for _, _, i, q in all_quotes.items}
    blocks: list[Block] = []
    for kind, start, end in _paragraphs(article):
        # only what overlaps this paragraph: a long article with thousands of marks must not cost marks × paragraphs
        spans, quotes = all_spans.within(start, end), all_quotes.within(start, end)
        cuts = {start, end}
        for s in spans:
            cuts.update(c for c in (s.start, s.end) if start < c < end)
        for qs, qe, _, _ in quotes:
            cuts.update(c for c in (qs, qe) if start < c < end)
        points = sorted(cuts)
        runs: list[Run] = []
        for a, b in itertools.pairwise(points):
            quote_index = next((i for qs, qe, i, _ in quotes if qs <= a and b <= qe), None)
            ref = refs[quote_index] if quote_index is not None else None
            marks = tuple(s.mark for s in spans if s.start <= a and b <= s.end)
            if not runs or runs[-1].quote != ref:
                runs.append(Run(ref))
            run = runs[-1]
            if run.pieces and run.pieces[-1].marks == marks:
                run.pieces[-1] = Piece(run.pieces[-1].text + text[a:b], marks)
            else:
                run.pieces.append(Piece(text[a:b], marks))
        for run in runs:
            if run.quote is not None:
                q = article.quotes[run.quote.index]
                last = max((i for i, r in enumerate(runs) if r.quote == run.quote), default=-1)
                run.quote_ends = runs[last] is run and q.end <= end
        blocks.append(Block(kind, runs))
    return blocks


def snippet_pieces(snippet: str, highlights: Sequence[Sequence[int]]) -> list[tuple[str, bool]]:
    """A search snippet cut into (text, matched) pieces at its highlight offsets."""
    pieces: list[tuple[str, bool]] = []
    pos = 0
    for start, end in sorted((int(s), int(e)) for s, e in highlights):
        if start < pos or end > len(snippet) or start >= end:
            continue
        if start > pos:
            pieces.append((snippet[pos:start], False))
        pieces.append((snippet[start:end], True))
        pos = end
    if pos < len(snippet):
        pieces.append((snippet[pos:], False))
    return pieces
