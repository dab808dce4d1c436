"""Recognising page furniture: boilerplate paragraphs, UI phrases, bylines, datelines."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from kilde.clean.lexicons import boilerplate_patterns, byline_roles, inline_phrases

_NAME_WORD = r"[A-ZÆØÅÄÖÜÉ][\wæøåäöüé.'’\-]*"
_NAME = rf"{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|af|van|von|de|der|la))" + "{0,4}"
_NAMES = rf"{_NAME}(?:\s*(?:,|og|&)\s*{_NAME})*"

# "BRUXELLES (Ritzau):" or "KØBENHAVN –" at the start of the first body paragraph.
_DATELINE = re.compile(r"^(?P<place>[A-ZÆØÅ]{2,}(?:[ /-][A-ZÆØÅ]{2,})*)\s*(?:\((?P<agency>[^)]{1,40})\))?\s*[:–—-]\s+(?=\S)")


@cache
def _byline_res() -> tuple[re.Pattern[str], re.Pattern[str]]:
    roles = "|".join(sorted((re.escape(r) for r in byline_roles()), key=len, reverse=True))
    lead_in = re.compile(rf"(?:Af|Tekst:?|Skrevet af|Tekst og foto:?)\s+(?P<names>{_NAMES})(?:\s*,\s*(?P<role>{roles}))?\.?", re.UNICODE)
    trailing = re.compile(rf"(?P<names>{_NAMES})\s*,\s*(?P<role>{roles})\.?", re.IGNORECASE)
    return lead_in, trailing


def boilerplate_kind(paragraph: str) -> str | None:
    """The kind of page furniture ``paragraph`` is, or None for article text."""
    if len(paragraph) > 300:
        return None
    for kind, pattern in boilerplate_patterns():
        if pattern.fullmatch(paragraph):
            return kind
    return None


def byline_names(paragraph: str) -> str | None:
    """The names of a byline paragraph ("Af Mette Holm", "Mette Holm, journalist")."""
    if len(paragraph.split()) > 14:
        return None
    lead_in, trailing = _byline_res()
    match = lead_in.fullmatch(paragraph) or trailing.fullmatch(paragraph)
    return match.group("names") if match else None


def find_inline(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, kind) of UI phrases glued into ``text``, in order."""
    hits = []
    for kind, phrase in inline_phrases():
        # UI text is followed by the next caption or sentence (capitalised), or by nothing.
        # any run of whitespace between its words: scraped pages write "Vis  mere" and "Vis\u00a0mere" too, and
        # cleaning collapses them to "Vis mere", which must not then be found on a second pass (cleaning is idempotent)
        words = r"\s+".join(re.escape(word) for word in phrase.split())
        for match in re.finditer(rf"(?<!\w){words}(?=\s*(?:$|[^\w\s]|[A-ZÆØÅ0-9]))", text):
            hits.append((match.start(), match.end(), kind))
    hits.sort()
    last_end = -1
    for start, end, kind in hits:
        if start >= last_end:
            yield start, end, kind
            last_end = end


def dateline(paragraph: str) -> re.Match[str] | None:
    """A dateline prefix such as "BRUXELLES (Ritzau): ", if the paragraph starts with one."""
    return _DATELINE.match(paragraph)
