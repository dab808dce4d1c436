"""Sentences, entities and keywords straight from the parsed Doc."""

from __future__ import annotations

from collections import Counter

from spacy.lang.da.stop_words import STOP_WORDS
from spacy.tokens import Doc

from kilde.records import Entity, EntityLabel, Sentence


def sentences(doc: Doc) -> list[Sentence]:
    """Sentence spans without surrounding whitespace."""
    result = []
    for sent in doc.sents:
        tokens = [t for t in sent if not t.is_space]
        if tokens:
            result.append(Sentence(start=tokens[0].idx, end=tokens[-1].idx + len(tokens[-1].text)))
    return result


def entities(doc: Doc) -> list[Entity]:
    labels: dict[str, EntityLabel] = {"PER": "PER", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC"}
    return [Entity(text=ent.text, label=labels[ent.label_], start=ent.start_char, end=ent.end_char) for ent in doc.ents if ent.label_ in labels]


def keywords(doc: Doc, *, limit: int = 10) -> list[str]:
    """The article's most frequent content words and names (lemmas where the model gives them)."""
    counts: Counter[str] = Counter()
    has_pos = doc.has_annotation("POS")
    for token in doc:
        if token.is_space or token.is_punct or token.like_num or len(token.text) < 3:
            continue
        if has_pos and token.pos_ not in ("NOUN", "PROPN"):
            continue
        lemma = (token.lemma_ or token.text) if has_pos else token.text
        if lemma.lower() in STOP_WORDS:
            continue
        counts[lemma if token.pos_ == "PROPN" else lemma.lower()] += 1
    for ent in doc.ents:
        counts[ent.text] += 2
    return [word for word, n in counts.most_common(limit) if n > 1] or [word for word, _ in counts.most_common(min(limit, 5))]
