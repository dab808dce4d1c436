"""Kilde's registered spaCy components.

``kilde_sentence_hints`` runs before the parser (or after the rule-based
sentencizer) and fixes what Danish news typography makes certain:

* a paragraph break starts a sentence;
* a closing quotation mark after ``?`` or ``!`` or ``.`` followed by a
  lower-case word does not end the sentence: ``»Hvad nu?« spørger han.`` is one
  sentence, the quote and its speech verb together;
* a sentence never starts right after an opening quotation mark, nor at a
  closing one, nor after a word or comma (only after . ! ? : … or a quote mark).

The parser respects boundaries set before it, so these hints hold in the
trained pipeline too.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

QUOTES = frozenset({"«", "»", "”", '"', "’", "“", "„"})
SENTENCE_END = frozenset({".", "?", "!", "…", "?!"})


def _starts_lower(text: str) -> bool:
    return bool(text) and text[0].isalpha() and text[0].islower()


def _is_opening(doc: Doc, i: int) -> bool:
    """A quotation mark glued to the word after it and not to the one before: »Ja."""
    token = doc[i]
    glued_right = not token.whitespace_ and i + 1 < len(doc) and not doc[i + 1].is_space
    glued_left = i > 0 and not doc[i - 1].whitespace_ and not doc[i - 1].is_space
    return glued_right and not glued_left


@Language.component("kilde_sentence_hints", assigns=["token.is_sent_start"])
def sentence_hints(doc: Doc) -> Doc:
    """Set certain sentence starts (paragraphs) and forbid false ones (inside quote marks, quote + speech verb)."""
    for i, token in enumerate(doc):
        if i == 0:
            continue
        prev = doc[i - 1]
        if prev.is_space and "\n" in prev.text:
            token.is_sent_start = True
            continue
        if not prev.is_space and prev.text not in SENTENCE_END and prev.text not in QUOTES and prev.text != ":":
            # News sentences end in punctuation: no split mid-clause, nor before a comma or full stop.
            token.is_sent_start = False
        elif prev.text in QUOTES and _is_opening(doc, i - 1):
            # Never split between an opening quotation mark and the quote's first word.
            token.is_sent_start = False
        elif token.text in QUOTES and not _is_opening(doc, i) and not prev.is_space:
            # A closing quotation mark belongs to the sentence it closes.
            token.is_sent_start = False
            if prev.text in SENTENCE_END and i + 1 < len(doc) and _starts_lower(doc[i + 1].text):
                # »Hvad nu?« spørger han: the speech verb continues the sentence.
                doc[i + 1].is_sent_start = False
    return doc
