"""Invariants of cleaning, checked on generated input."""

from __future__ import annotations

import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from kilde.clean import clean
from kilde.clean.furniture import inline_phrases
from kilde.read.document import RawDocument

WORDS = [
    "Bakhmut",
    "siger",
    "han",
    "»Vi",
    "går,«",
    "Foto:",
    "KAI",
    "PFAFFENBACH",
    "Vis",
    "mere",
    "Af",
    "Mette",
    "Holm",
    "Læs",
    "også:",
    "Annonce",
    "70.000",
    "bl.a.",
    "–",
    "„nej“",
    "de",
    "russiske",
    "tropper",
    ".",
    "Opdateret",
    "kl.",
    "14.05",
]
# what cleaning may take out of the middle of a paragraph: the inline phrases of clean/data (the rest goes whole)
INLINE_FURNITURE = frozenset({kind for kind, _ in inline_phrases()})
SPACES = st.sampled_from([" ", "  ", "\n", "\n\n", "\u00a0", " \n \n", "\t"])
TOKENS = st.one_of(st.sampled_from(WORDS), st.text(alphabet="abcæøåABCÆØÅ.,»«\u0301\u00ad", min_size=1, max_size=6))
TEXTS = st.lists(st.tuples(TOKENS, SPACES), max_size=60).map(lambda parts: "".join(w + s for w, s in parts))


def _normalise(text: str) -> str:
    """Compare texts up to what cleaning normalises: whitespace, invisible characters, NFC."""
    return unicodedata.normalize("NFC", "".join(text.split()).replace("\u00ad", ""))


def run(text: str):
    return clean(RawDocument(text=text, format="text"))


@settings(max_examples=300, deadline=None)
@given(TEXTS)
@example("Bakhmut Vis mere Bakhmut ")  # found by hypothesis: inline furniture inside one paragraph
def test_every_paragraph_maps_back_to_raw(raw: str) -> None:
    result = run(raw)
    for paragraph in result.paragraphs:
        start, end = result.offset_map.to_raw(paragraph.start, paragraph.end)
        # Inline furniture removed from inside the paragraph ("… Vis mere …") lies within its raw span:
        # the raw span less what cleaning recorded as removed there is the paragraph's text.
        kept = [True] * (end - start)
        for removed in result.removed:
            if removed.raw_end <= start or removed.raw_start >= end:
                continue
            # only page furniture may be cut from inside a paragraph, and what was cut is recorded as it stood
            assert removed.kind in INLINE_FURNITURE and removed.text == raw[removed.raw_start : removed.raw_end]
            for i in range(max(removed.raw_start, start), min(removed.raw_end, end)):
                kept[i - start] = False
        mapped = "".join(ch for ch, keep in zip(raw[start:end], kept, strict=True) if keep)
        # Equal up to the whitespace/Unicode normalisation cleaning does.
        assert _normalise(mapped) == _normalise(result.text[paragraph.start : paragraph.end])


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_every_word_span_maps_back(raw: str) -> None:
    result = run(raw)
    pos = 0
    for word in result.text.split():
        start = result.text.index(word, pos)
        pos = start + len(word)
        s, e = result.offset_map.to_raw(start, pos)
        assert 0 <= s <= e <= len(raw)
        if word.isascii() and word.isalnum():
            assert raw[s:e].replace("\u00ad", "") == word


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_cleaning_twice_changes_nothing(raw: str) -> None:
    once = run(raw)
    twice = run(once.text)
    assert twice.text == once.text


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_nothing_is_lost(raw: str) -> None:
    """Every non-space character of the raw text is in the body, a caption or a removed item."""
    result = run(raw)
    kept = sum(len("".join(result.text[p.start : p.end].split())) for p in result.paragraphs)
    removed = sum(len("".join(r.text.split())) for r in result.removed)
    raw_chars = len("".join(raw.split()).replace("\u00ad", ""))
    # NFC composition can only shorten text; removed items hold raw text verbatim.
    assert kept + removed >= raw_chars - raw.count("\u0301") - raw.count("\u00ad")
