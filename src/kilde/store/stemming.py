"""Danish Snowball stemming for the full-text index and for queries.

SQLite's FTS5 has no Danish stemmer, and Python's ``sqlite3`` cannot register
a custom FTS5 tokenizer, so the store indexes a *stemmed shadow* of each text:
:func:`stem_text` turns "Tilbagetrækningen blev udskudt" into
"tilbagetrækning blev udskud". Queries go through the same function, so any
inflected form finds any other. Snippets are cut from the unstemmed text by
:func:`tokens`, which gives each word's offsets and stem.

Words are maximal runs of letters and digits (``[^\\W_]+``): the same split
FTS5's ``unicode61`` tokenizer makes, so the shadow text tokenizes one word to
one stem. PyStemmer is the C build of the Snowball stemmers (the same
algorithm as the pure-Python ``snowballstemmer``, ~50x faster).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import NamedTuple

import Stemmer

__all__ = ["WORD", "Token", "stem", "stem_text", "tokens"]

WORD = re.compile(r"[^\W_]+")


class Token(NamedTuple):
    start: int
    end: int
    stem: str


@cache
def _stemmer() -> Stemmer.Stemmer:
    # one stemmer per process; PyStemmer keeps a word cache inside it
    return Stemmer.Stemmer("danish")


def stem(word: str) -> str:
    """The Danish Snowball stem of one word, case-folded."""
    return str(_stemmer().stemWord(word.casefold()))


def stem_text(text: str) -> str:
    """The text as space-separated stems, for the FTS index and for queries."""
    words = WORD.findall(text.casefold())
    return " ".join(_stemmer().stemWords(words))


def tokens(text: str) -> Iterator[Token]:
    """Each word of ``text`` with its offsets and stem."""
    matches = list(WORD.finditer(text))
    stems = _stemmer().stemWords([m.group().casefold() for m in matches])
    for match, word_stem in zip(matches, stems, strict=True):
        yield Token(match.start(), match.end(), word_stem)
