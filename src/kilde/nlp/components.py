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

from functools import cache
from importlib import resources
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

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


@cache
def _entity_lexicon() -> tuple[tuple[str, str], ...]:
    text = resources.files("kilde.nlp").joinpath("data", "entity_lexicon.tsv").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return tuple((label, name) for label, name, *_ in rows)


@cache
def _compound_heads() -> dict[str, str]:
    text = resources.files("kilde.nlp").joinpath("data", "compound_heads.tsv").read_text(encoding="utf-8")
    heads = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            label, head = line.split("\t")[:2]
            heads[head] = label
            heads[head + "s"] = label
    return heads


def _compound_label(token: Token) -> str | None:
    """The label of a name compound like "Wagner-gruppen" from its head, if the head names an entity."""
    text = token.text
    if "-" not in text or not text[:1].isupper() or text.isupper():
        return None
    return _compound_heads().get(text.rsplit("-", 1)[1].lower())


class EntityLexicon:
    """Names whose DaNE label is not in doubt (countries LOC, nationality adjectives MISC, agencies ORG).

    Runs after the NER: adds a lexicon name the model missed, and relabels an
    entity with exactly the lexicon name's span; a longer entity containing the
    name ("Danmarks Radio") is left alone. Name compounds whose head names an
    entity of its own ("Wagner-gruppen", "Donbas-regionen") get the head's label
    the same way. Data: ``nlp/data/entity_lexicon.tsv``, ``nlp/data/compound_heads.tsv``.
    """

    def __init__(self, nlp: Language) -> None:
        self.cased = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        for label, name in _entity_lexicon():
            matcher = self.lower if label == "MISC" else self.cased
            matcher.add(label, [nlp.make_doc(name)])

    def __call__(self, doc: Doc) -> Doc:
        matches = [*self.cased(doc), *self.lower(doc)]
        for token in doc:
            label = _compound_label(token)
            if label is not None:
                matches.append((doc.vocab.strings.add(label), token.i, token.i + 1))
        if not matches:
            return doc
        ents = list(doc.ents)
        by_span = {(e.start, e.end): i for i, e in enumerate(ents)}
        covered = {i for e in ents for i in range(e.start, e.end)}
        for match_id, start, end in sorted(matches, key=lambda m: (m[1], -m[2])):
            label = doc.vocab.strings[match_id]
            if (start, end) in by_span:
                ents[by_span[(start, end)]] = Span(doc, start, end, label=label)
            elif not covered.intersection(range(start, end)):
                ents.append(Span(doc, start, end, label=label))
                covered.update(range(start, end))
        doc.ents = sorted(ents, key=lambda e: e.start)
        return doc


@Language.factory("kilde_entity_lexicon", assigns=["doc.ents"], requires=["doc.ents"])
def make_entity_lexicon(nlp: Language, name: str) -> EntityLexicon:
    return EntityLexicon(nlp)


LEMMA_TABLE = "kilde_lemmas.tsv"


def lemma_key(form: str, pos: str, pron_type: str) -> str:
    return f"{form.lower()}\t{pos}\t{pron_type}"


class LemmaLookup:
    """Lemmas of words seen in training, looked up before trusting the edit-tree lemmatizer.

    The trainable lemmatizer generalises well to unseen words but errs on frequent
    irregular and ambiguous ones, and on capitalised sentence-initial words (its
    edit trees are case-sensitive). The table (form, UPOS, PronType → most
    frequent lemma in the training treebank) is written next to the model by
    training/train.py; on dev it adds about half a point of lemma accuracy.
    """

    def __init__(self, table: dict[str, str]) -> None:
        self.table = table

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            pron_type = token.morph.get("PronType", [])
            lemma = self.table.get(lemma_key(token.text, token.pos_, pron_type[0] if pron_type else ""))
            if lemma is not None:
                token.lemma_ = lemma
            elif token.pos_ != "PROPN" and token.text[:1].isupper() and token.lemma_[:1].isupper():
                token.lemma_ = token.lemma_.lower()
        return doc


def read_lemma_table(path: Path) -> dict[str, str]:
    table = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            form, pos, pron_type, lemma = line.rstrip("\n").split("\t")
            table[f"{form}\t{pos}\t{pron_type}"] = lemma
    return table


@Language.factory("kilde_lemma_lookup", assigns=["token.lemma"], requires=["token.pos", "token.lemma"], default_config={"path": None})
def make_lemma_lookup(nlp: Language, name: str, path: str | None) -> LemmaLookup:
    return LemmaLookup(read_lemma_table(Path(path)) if path else {})
