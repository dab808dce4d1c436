"""Mention-replacement augmentation for NER (Dai & Adel 2020, "An Analysis of Simple Data Augmentation for NER").

Each augmented copy of a training doc replaces every entity with another
entity of the same label drawn from the training set's own inventory, so the
model learns context cues ("siger X", "i X") rather than memorising the few
thousand names DaNE contains. Only the NER annotation is carried over (POS,
lemmas and heads of a replaced span would be wrong), so augmented docs train
the entity recogniser alone; the other components see missing values there.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Iterator

from spacy.tokens import Doc, Span


def inventory(docs: Iterable[Doc]) -> dict[str, list[list[str]]]:
    names: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for doc in docs:
        for ent in doc.ents:
            names[ent.label_].add(tuple(t.text for t in ent))
    return {label: [list(n) for n in sorted(found)] for label, found in names.items()}


def replace_mentions(doc: Doc, names: dict[str, list[list[str]]], rng: random.Random) -> Doc | None:
    """A copy of ``doc`` with each entity replaced by a random same-label name; None if it has no entities."""
    if not doc.ents or not doc.has_annotation("ENT_IOB"):
        return None
    words: list[str] = []
    spaces: list[bool] = []
    spans: list[tuple[int, int, str]] = []
    i = 0
    for ent in doc.ents:
        for token in doc[i : ent.start]:
            words.append(token.text)
            spaces.append(bool(token.whitespace_))
        replacement = rng.choice(names[ent.label_])
        start = len(words)
        words.extend(replacement)
        spaces.extend([True] * (len(replacement) - 1) + [bool(doc[ent.end - 1].whitespace_)])
        spans.append((start, len(words), ent.label_))
        i = ent.end
    for token in doc[i:]:
        words.append(token.text)
        spaces.append(bool(token.whitespace_))
    new = Doc(doc.vocab, words=words, spaces=spaces)
    new.ents = [Span(new, s, e, label=label) for s, e, label in spans]
    return new


def augment(docs: list[Doc], *, copies: int, seed: int) -> Iterator[Doc]:
    rng = random.Random(seed)
    names = inventory(docs)
    for _ in range(copies):
        for doc in docs:
            new = replace_mentions(doc, names, rng)
            if new is not None:
                yield new
