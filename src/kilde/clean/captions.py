"""Photo captions and credits as Danish outlets write them.

A caption is a chunk of text that ends with a credit: a marker from
``data/credit_markers.txt`` ("Foto", "Arkivfoto", "Grafik" …) followed by ":" or
"/" and a name, optionally with an agency after a slash
("Foto: Mads Nissen/Ritzau Scanpix"). Names written in capitals by the
outlet's CMS ("KAI PFAFFENBACH") are normalised to "Kai Pfaffenbach"; the
credit as written is kept beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from kilde.clean.lexicons import credit_markers

# A name word: capitalised or all-caps, with the letters Danish names use.
_WORD = r"[A-ZÆØÅÄÖÜÉ0-9][\w.'’\-]*"
_PARTICLE = r"(?:af|van|von|de|der|den|da|di|du|la|le|el|al|bin|ibn)"
_NAME = rf"{_WORD}(?:\s+(?:{_WORD}|{_PARTICLE}))*"
_PARTICLES = frozenset(_PARTICLE[3:-1].split("|"))


@dataclass(frozen=True, slots=True)
class Credit:
    marker: str
    raw: str
    name: str | None
    agency: str | None

    @property
    def display(self) -> str:
        return self.name or self.agency or self.raw


@dataclass(frozen=True, slots=True)
class CaptionMatch:
    """Offsets are relative to the chunk that was searched."""

    text_end: int  # the caption text is chunk[:text_end]
    credit_start: int
    credit: Credit


@cache
def _credit_re() -> re.Pattern[str]:
    markers = "|".join(sorted((re.escape(m) for m in credit_markers()), key=len, reverse=True))
    return re.compile(
        rf"(?:^|(?<=[\s(.,;–—-]))\(?(?P<marker>{markers})\s*[:/]\s*"
        rf"(?P<credit>{_NAME}(?:\s*/\s*{_NAME})*)\s*\)?\.?\s*$",
    )


def _is_shouting(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


def normalise_name(name: str) -> str:
    """'KAI PFAFFENBACH' -> 'Kai Pfaffenbach'; mixed-case names are left as written."""
    if not _is_shouting(name):
        return name
    parts = name.split()
    if len(parts) == 1 and len(name) <= 4:
        # A lone short all-caps credit is an acronym: AFP, EPA, NTB.
        return name
    words = []
    for i, word in enumerate(parts):
        lower = word.lower()
        if i > 0 and lower in _PARTICLES:
            words.append(lower)
        else:
            words.append("-".join(part[:1].upper() + part[1:].lower() for part in word.split("-")))
    return " ".join(words)


def parse_credit(marker: str, raw: str) -> Credit:
    parts = [p.strip() for p in raw.split("/") if p.strip()]
    if len(parts) >= 2:
        name, agency = normalise_name(parts[0]), " / ".join(parts[1:])
    else:
        name, agency = normalise_name(parts[0]), None
    return Credit(marker=marker, raw=raw, name=name, agency=agency)


def find_caption(chunk: str) -> CaptionMatch | None:
    """The credit at the end of ``chunk``, if ``chunk`` is a caption."""
    match = _credit_re().search(chunk)
    if match is None:
        return None
    raw_credit = match.group("credit")
    if len(raw_credit.split()) > 8:
        return None
    credit = parse_credit(match.group("marker"), raw_credit)
    return CaptionMatch(text_end=match.start(), credit_start=match.start("marker"), credit=credit)
