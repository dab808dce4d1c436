"""Read DaNE (tokens + UPOS + IOB2 NER) into spaCy Docs.

DaNE ships as JSON lines without spacing information, so whitespace between
tokens is reconstructed with the usual Danish typographic rules: no space
before closing punctuation, none after opening brackets/quotes. The result is
only used for training; evaluation reads the raw ``# text`` of the UD files.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from spacy.tokens import Doc
from spacy.training import biluo_tags_to_spans, iob_to_biluo
from spacy.vocab import Vocab

NO_SPACE_BEFORE = {".", ",", ":", ";", "!", "?", ")", "]", "}", "%", "«", "'s", "…"}
NO_SPACE_AFTER = {"(", "[", "{", "»", "„"}


def guess_spaces(words: list[str]) -> list[bool]:
    """Return spaCy ``spaces`` for ``words`` joined with Danish typography."""
    spaces = [True] * len(words)
    quote_open = False
    for i, word in enumerate(words):
        if word == '"':
            # A straight quote alternates between opening and closing.
            if quote_open:
                if i > 0:
                    spaces[i - 1] = False
            else:
                spaces[i] = False
            quote_open = not quote_open
        if word in NO_SPACE_AFTER:
            spaces[i] = False
        if i > 0 and word in NO_SPACE_BEFORE:
            spaces[i - 1] = False
    spaces[-1] = False
    return spaces


def read_dane(path: Path, vocab: Vocab) -> Iterator[Doc]:
    """Yield one annotated Doc per DaNE sentence in ``path``."""
    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, start=1):
            row = json.loads(line)
            words = row["tokens"]
            doc = Doc(vocab, words=words, spaces=guess_spaces(words), pos=row["pos_tags"])
            tags = iob_to_biluo(row["ner_tags"])
            doc.ents = biluo_tags_to_spans(doc, tags)
            doc.user_data["source_line"] = line_no
            yield doc
