"""Kilde's registered spaCy components.

``kilde_sentence_hints`` runs before the parser (or after the rule-based
sentencizer) and fixes what Danish news typography makes certain:

* a paragraph break starts a sentence;
* a closing quotation mark after ``?`` or ``!`` or ``.`` followed by a
  lower-case word does not end the sentence: ``»Hvad nu?« spørger han.`` is one
  sentence, the quote and its speech verb together;
* the same for a dialogue quote ending ``,«`` or ``,”`` (never a boundary).

The parser respects boundaries set before it, so these hints hold in the
trained pipeline too.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

CLOSING_QUOTES = frozenset({"«", "»", "”", '"', "’", "“"})
SENTENCE_END = frozenset({".", "?", "!", "…", "?!"})


def _starts_lower(text: str) -> bool:
    return bool(text) and text[0].isalpha() and text[0].islower()


@Language.component("kilde_sentence_hints", assigns=["token.is_sent_start"])
def sentence_hints(doc: Doc) -> Doc:
    """Set certain sentence starts (paragraphs) and forbid false ones (quote + speech verb)."""
    for i, token in enumerate(doc):
        if i == 0:
            continue
        prev = doc[i - 1]
        if prev.is_space and "\n" in prev.text:
            token.is_sent_start = True
            continue
        if prev.text in CLOSING_QUOTES and i >= 2 and doc[i - 2].text in SENTENCE_END and _starts_lower(token.text):
            prev.is_sent_start = False
            token.is_sent_start = False
        elif token.text in CLOSING_QUOTES and prev.text in SENTENCE_END and i + 1 < len(doc) and _starts_lower(doc[i + 1].text):
            token.is_sent_start = False
    return doc
