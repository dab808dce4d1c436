"""CoNLL-U files → spaCy Docs with POS, morphology, lemmas, heads, labels and (where present) NER.

NER tags are read from MISC ``name=B-PER`` (the DaNE/danlp convention). A
sentence without any ``name=`` key gets no NER annotation at all (missing,
not "O"), so sentences the DaNE alignment did not cover do not teach the
entity recogniser that they contain no names.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc
from spacy.training import biluo_tags_to_spans, iob_to_biluo
from spacy.vocab import Vocab


@dataclass
class Sentence:
    comments: dict[str, str] = field(default_factory=dict)
    words: list[str] = field(default_factory=list)
    spaces: list[bool] = field(default_factory=list)
    lemmas: list[str] = field(default_factory=list)
    pos: list[str] = field(default_factory=list)
    morphs: list[str] = field(default_factory=list)
    heads: list[int] = field(default_factory=list)
    deps: list[str] = field(default_factory=list)
    ner: list[str | None] = field(default_factory=list)


def read_conllu(path: Path) -> Iterator[Sentence]:
    sentence = Sentence()
    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, start=1):
            line = line.rstrip("\n")
            if not line:
                if sentence.words:
                    yield sentence
                sentence = Sentence()
                continue
            if line.startswith("#"):
                key, _, value = line[1:].partition("=")
                sentence.comments[key.strip()] = value.strip()
                continue
            cols = line.split("\t")
            if len(cols) != 10:
                raise ValueError(f"{path}:{line_no}: expected 10 tab-separated columns, got {len(cols)}")
            if "-" in cols[0] or "." in cols[0]:
                continue  # multiword ranges and empty nodes (none in Danish-DDT)
            misc = dict(part.split("=", 1) for part in cols[9].split("|") if "=" in part)
            sentence.words.append(cols[1])
            sentence.lemmas.append(cols[2])
            sentence.pos.append(cols[3])
            sentence.morphs.append("" if cols[5] == "_" else cols[5])
            sentence.heads.append(int(cols[6]))
            sentence.deps.append(cols[7])
            sentence.spaces.append(misc.get("SpaceAfter") != "No")
            sentence.ner.append(misc.get("name"))
    if sentence.words:
        yield sentence


def to_doc(sentence: Sentence, vocab: Vocab) -> Doc:
    n = len(sentence.words)
    spaces = list(sentence.spaces)
    spaces[-1] = False
    heads = [h - 1 if h > 0 else i for i, h in enumerate(sentence.heads)]
    doc = Doc(
        vocab,
        words=sentence.words,
        spaces=spaces,
        lemmas=sentence.lemmas,
        pos=sentence.pos,
        morphs=sentence.morphs,
        heads=heads,
        deps=sentence.deps,
        sent_starts=[True] + [False] * (n - 1),
    )
    if all(tag is not None for tag in sentence.ner):
        doc.ents = biluo_tags_to_spans(doc, iob_to_biluo([tag for tag in sentence.ner if tag is not None]))
    return doc
