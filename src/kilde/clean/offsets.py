"""Offset maps: how each stretch of cleaned text relates to the raw input.

Cleaning never edits strings in place. It builds the cleaned text from slices
of the raw text, recording for each produced stretch the raw stretch it came
from. Copied stretches have equal lengths and map character by character;
edited stretches (a run of whitespace collapsed to one space, a decomposed
character composed, an inserted paragraph break) map as a whole.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from kilde.records import OffsetSegment

# Characters dropped outright: soft hyphen, zero-width space/joiners, BOM.
_DROP = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
_DROP_RE = re.compile("[" + "".join(sorted(_DROP)) + "]")
# Whitespace runs that are not exactly one plain space.
_WS_RUN = re.compile(r" \s+|[^\S ]\s*")


@dataclass(frozen=True, slots=True)
class _Seg:
    start: int
    end: int
    raw_start: int
    raw_end: int

    @property
    def is_copy(self) -> bool:
        return self.end - self.start == self.raw_end - self.raw_start


class OffsetMap:
    """Maps spans of cleaned text back to spans of the raw text."""

    def __init__(self, segments: Iterable[OffsetSegment | _Seg]) -> None:
        self._segs = [_Seg(s.start, s.end, s.raw_start, s.raw_end) for s in segments]
        self._starts = [s.start for s in self._segs]

    def _find(self, pos: int) -> _Seg:
        i = bisect.bisect_right(self._starts, pos) - 1
        if i < 0 or not self._segs:
            raise ValueError(f"offset {pos} is outside the mapped text")
        seg = self._segs[i]
        if pos >= seg.end:
            raise ValueError(f"offset {pos} is outside the mapped text")
        return seg

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Raw ``(start, end)`` for the cleaned span ``[start, end)``."""
        if end <= start:
            seg = self._find(start)
            pos = seg.raw_start + (start - seg.start) if seg.is_copy else seg.raw_start
            return pos, pos
        first = self._find(start)
        last = self._find(end - 1)
        raw_start = first.raw_start + (start - first.start) if first.is_copy else first.raw_start
        raw_end = last.raw_start + (end - last.start) if last.is_copy else last.raw_end
        return raw_start, raw_end

    def segments(self) -> list[OffsetSegment]:
        return [OffsetSegment(start=s.start, end=s.end, raw_start=s.raw_start, raw_end=s.raw_end) for s in self._segs]


class TextBuilder:
    """Builds cleaned text from raw slices, recording an offset map as it goes."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self._parts: list[str] = []
        self._segs: list[_Seg] = []
        self._length = 0

    @property
    def length(self) -> int:
        return self._length

    def _emit(self, text: str, raw_start: int, raw_end: int) -> None:
        if not text:
            return
        start, end = self._length, self._length + len(text)
        last = self._segs[-1] if self._segs else None
        is_copy = len(text) == raw_end - raw_start
        if last is not None and is_copy and last.is_copy and last.end == start and last.raw_end == raw_start:
            self._segs[-1] = _Seg(last.start, end, last.raw_start, raw_end)
        else:
            self._segs.append(_Seg(start, end, raw_start, raw_end))
        self._parts.append(text)
        self._length = end

    def separator(self, text: str, raw_pos: int) -> None:
        """Insert text that has no raw counterpart (a paragraph break) at ``raw_pos``."""
        self._emit(text, raw_pos, raw_pos)

    def copy(self, raw_start: int, raw_end: int) -> None:
        """Append ``raw[raw_start:raw_end]`` normalised: NFC, one space per whitespace run,
        invisible characters dropped. Leading/trailing whitespace is the caller's job."""
        raw = self.raw
        if not _DROP_RE.search(raw, raw_start, raw_end) and unicodedata.is_normalized("NFC", raw[raw_start:raw_end]):
            # Fast path for the usual case: only whitespace runs to collapse.
            pos = raw_start
            for match in _WS_RUN.finditer(raw, raw_start, raw_end):
                self._emit(raw[pos : match.start()], pos, match.start())
                self._emit(" ", match.start(), match.end())
                pos = match.end()
            self._emit(raw[pos:raw_end], pos, raw_end)
            return
        i = raw_start
        run_start = i  # start of the pending verbatim run
        while i < raw_end:
            ch = raw[i]
            if ch in _DROP:
                self._emit(raw[run_start:i], run_start, i)
                i += 1
                run_start = i
                continue
            if ch.isspace():
                j = i
                while j < raw_end and (raw[j].isspace() or raw[j] in _DROP):
                    j += 1
                if ch == " " and j == i + 1:
                    i = j
                    continue
                self._emit(raw[run_start:i], run_start, i)
                self._emit(" ", i, j)
                i = run_start = j
                continue
            j = i + 1
            while j < raw_end and raw[j] in _DROP:
                j += 1
            if j < raw_end and unicodedata.combining(raw[j]):
                # A base character with combining marks (invisibles between them dropped) is composed.
                while j < raw_end and (unicodedata.combining(raw[j]) or raw[j] in _DROP):
                    j += 1
                cluster = "".join(c for c in raw[i:j] if c not in _DROP)
                self._emit(raw[run_start:i], run_start, i)
                self._emit(unicodedata.normalize("NFC", cluster), i, j)
                i = run_start = j
                continue
            if not unicodedata.is_normalized("NFC", ch):
                self._emit(raw[run_start:i], run_start, i)
                self._emit(unicodedata.normalize("NFC", ch), i, i + 1)
                i += 1
                run_start = i
                continue
            i += 1
        self._emit(raw[run_start:raw_end], run_start, raw_end)

    def text(self) -> str:
        return "".join(self._parts)

    def offset_map(self) -> OffsetMap:
        return OffsetMap(self._segs)


def strip_span(text: str, start: int, end: int, *, chars: str | None = None) -> tuple[int, int]:
    """Shrink ``[start, end)`` so it neither starts nor ends with whitespace (or ``chars``)."""

    def strip(ch: str) -> bool:
        return ch.isspace() or ch in _DROP or (chars is not None and ch in chars)

    while start < end and strip(text[start]):
        start += 1
    while end > start and strip(text[end - 1]):
        end -= 1
    return start, end
