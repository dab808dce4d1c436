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

import gzip
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
        trimmed = [_trimmed(e) for e in doc.ents]
        if any(t is not e for t, e in zip(trimmed, doc.ents, strict=True)):
            doc.ents = trimmed  # setting doc.ents is not free: only when a name lost a tail
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


def _trimmed(ent: Span) -> Span:
    """A name without the lower-case abbreviations the NER sometimes runs on into ("Vejle Havn kl. 04.30"): no entity
    of DaNE's 4,483 in train and dev ends in one."""
    end = ent.end
    while end - ent.start > 1 and ent.doc[end - 1].text.endswith(".") and ent.doc[end - 1].text[:1].islower():
        end -= 1
    return ent if end == ent.end else Span(ent.doc, ent.start, end, label=ent.label_)


@Language.factory("kilde_entity_lexicon", assigns=["doc.ents"], requires=["doc.ents"])
def make_entity_lexicon(nlp: Language, name: str) -> EntityLexicon:
    return EntityLexicon(nlp)


LEMMA_TABLE = "kilde_lemmas.tsv"
LEMMA_LEXICON = "kilde_lexicon.tsv.gz"
# UPOS whose unseen forms are looked up in the lexicon (chosen on UD dev: ADV and the closed classes gain nothing).
LEXICON_POS = ("NOUN", "VERB", "ADJ")
CLOSED_CLASS_POS = frozenset({"DET", "PRON", "ADJ"})
SENTENCE_PUNCT = frozenset({".", "!", "?", ":"})
# Compound splitting: a known word of at least this many letters after a first part of at least this many.
MIN_COMPOUND_HEAD = 4
MIN_COMPOUND_MODIFIER = 3


def lemma_key(form: str, pos: str, pron_type: str) -> str:
    return f"{form.lower()}\t{pos}\t{pron_type}"


def _sentence_initial(token: Token) -> bool:
    """First word of its sentence, after any opening punctuation (quotes, dashes)."""
    doc = token.doc
    i = token.i
    while i > 0 and not doc[i].is_sent_start:
        prev = doc[i - 1]
        if prev.text in SENTENCE_PUNCT:
            return True
        if not prev.is_punct:
            return False
        i -= 1
    return True


def _restore_case(form: str, lemma: str) -> str:
    """The lemma with the form's capitals on their shared prefix: "KTAS-ledelsen", "ktas-ledelse" → "KTAS-ledelse"."""
    for i, char in enumerate(lemma):
        if i >= len(form) or form[i].lower() != char:
            return form[:i] + lemma[i:]
    return form[: len(lemma)]


class LemmaLookup:
    """Kilde's lemma layer after the edit-tree lemmatizer: tables and UD Danish-DDT conventions first.

    For each token, the first of these that applies gives the lemma:

    1. closed-class forms (``nlp/data/closed_class_lemmas.tsv``): the UD Danish-DDT lemma of a
       pronoun or determiner form, whatever the tagger's DET/PRON choice ("hvert" → "hver");
       "de"/"det" attached as ``det`` are the article "den", otherwise the personal pronoun;
    2. the treebank table (form, UPOS, PronType → most frequent lemma in the training treebank);
    3. for NOUN/VERB/ADJ, and a PROPN that starts a sentence (often a capitalised common word),
       the lexicon (a full-form list, form → lemma; ``training/build_lemma_table.py``): the
       lower-cased form, so a capitalised "Husene" is found; a hyphenated form by its last part
       ("Scania-lastbiler" → "Scania-lastbil"); an unknown noun by its longest known head
       ("fodboldmillionærer" → "fodbold" + "millionær");
    4. the edit-tree lemmatizer, lower-cased for a capitalised sentence-initial non-PROPN word.

    A hyphenated non-name whose first part has capitals keeps them ("FN-operation"), as UD does.
    Each step can be switched off, for the dev ablation in training/build_lemma_table.py.
    """

    def __init__(
        self,
        table: dict[str, str],
        lexicon: dict[str, str] | None = None,
        closed_class: dict[str, str] | None = None,
        *,
        determiner_rule: bool = True,
        lexicon_pos: tuple[str, ...] = LEXICON_POS,
        initial_propn: bool = True,
        hyphen_parts: bool = True,
        compounds: bool = True,
        lower_initial_only: bool = True,
        hyphen_case: bool = True,
    ) -> None:
        self.table = table
        self.lexicon = lexicon or {}
        self.closed_class = closed_class or {}
        self.determiner_rule = determiner_rule
        self.lexicon_pos = frozenset(lexicon_pos)
        self.initial_propn = initial_propn
        self.hyphen_parts = hyphen_parts
        self.compounds = compounds
        self.lower_initial_only = lower_initial_only
        self.hyphen_case = hyphen_case
        # The treebank table by (form, UPOS) alone, for the last part of a hyphenated word.
        self.by_form_pos: dict[tuple[str, str], str] = {}
        for key, lemma in table.items():
            form, pos, _ = key.split("\t")
            self.by_form_pos.setdefault((form, pos), lemma)

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            token.lemma_ = self.lemma(token)
        return doc

    def lemma(self, token: Token) -> str:
        form = token.text
        low = form.lower()
        pos = token.pos_
        if pos in CLOSED_CLASS_POS:
            closed = self._closed_class(token, low)
            if closed is not None:
                return closed
        pron_type = token.morph.get("PronType", [])
        lemma = self.table.get(lemma_key(form, pos, pron_type[0] if pron_type else ""))
        initial = _sentence_initial(token) if form[:1].isupper() else False
        if lemma is None and self.lexicon and (pos in self.lexicon_pos or (self.initial_propn and pos == "PROPN" and initial)):
            lemma = self._from_lexicon(low, pos)
        if lemma is None:
            lemma = token.lemma_
            if pos != "PROPN" and form[:1].isupper() and lemma[:1].isupper() and (initial or not self.lower_initial_only):
                lemma = lemma.lower()
        if self.hyphen_case and pos != "PROPN" and "-" in form and lemma.islower():
            first = form.split("-", 1)[0]
            if any(char.isupper() for char in first):
                lemma = _restore_case(form, lemma)
        return lemma

    def _closed_class(self, token: Token, low: str) -> str | None:
        lemma = self.closed_class.get(low)
        if lemma is not None:
            return lemma
        if self.determiner_rule and low in ("de", "det") and token.pos_ in ("DET", "PRON"):
            # UD DDT: the article/demonstrative "de"/"det" has lemma "den", the pronoun its own form;
            # the parser's det attachment tells them apart better than the tagger's DET/PRON.
            if token.dep_ == "det":
                return "den"
            if token.pos_ == "DET":
                return low
        return None

    def _from_lexicon(self, low: str, pos: str) -> str | None:
        lemma = self.lexicon.get(low)
        if lemma is not None:
            return lemma
        if self.hyphen_parts and "-" in low.strip("-"):
            head, _, last = low.rpartition("-")
            last_lemma = self.lexicon.get(last) or self.by_form_pos.get((last, pos))
            if last_lemma is not None:
                return f"{head}-{last_lemma}"
            return None
        if self.compounds and pos == "NOUN" and "-" not in low:
            for i in range(MIN_COMPOUND_MODIFIER, len(low) - MIN_COMPOUND_HEAD + 1):
                head_lemma = self.lexicon.get(low[i:])
                if head_lemma is not None and head_lemma[:1] == low[i]:
                    return low[:i] + head_lemma
        return None


def read_lemma_table(path: Path) -> dict[str, str]:
    table = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            form, pos, pron_type, lemma = line.rstrip("\n").split("\t")
            table[f"{form}\t{pos}\t{pron_type}"] = lemma
    return table


def read_lemma_lexicon(path: Path) -> dict[str, str]:
    """form → lemma from a gzipped ``lemma<TAB>form form …`` file (``#`` lines are comments)."""
    lexicon: dict[str, str] = {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            lemma, _, forms = line.rstrip("\n").partition("\t")
            for form in forms.split(" "):
                lexicon[form] = lemma
    return lexicon


@cache
def closed_class_lemmas() -> dict[str, str]:
    """UD Danish-DDT lemmas of pronoun/determiner forms (``nlp/data/closed_class_lemmas.tsv``)."""
    text = resources.files("kilde.nlp").joinpath("data", "closed_class_lemmas.tsv").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return {form: lemma for form, lemma, *_ in rows}


@Language.factory(
    "kilde_lemma_lookup",
    assigns=["token.lemma"],
    requires=["token.pos", "token.lemma"],
    default_config={"path": None, "lexicon_path": None},
)
def make_lemma_lookup(nlp: Language, name: str, path: str | None, lexicon_path: str | None) -> LemmaLookup:
    return LemmaLookup(
        read_lemma_table(Path(path)) if path else {},
        read_lemma_lexicon(Path(lexicon_path)) if lexicon_path else None,
        closed_class_lemmas(),
    )
