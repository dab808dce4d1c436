"""Kilde's lemma layer (kilde_lemma_lookup): rules on hand-built Docs, and the shipped tables on Danish sentences."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

from kilde.nlp import model_path
from kilde.nlp.components import LEMMA_LEXICON, LemmaLookup, closed_class_lemmas, lemma_key, read_lemma_lexicon

VOCAB = spacy.blank("da").vocab


def doc(words: list[str], pos: list[str], lemmas: list[str], deps: list[str] | None = None, heads: list[int] | None = None) -> Doc:
    """A parsed one-sentence Doc as the pipeline leaves it before the lemma layer (edit-tree lemmas)."""
    n = len(words)
    return Doc(VOCAB, words=words, pos=pos, lemmas=lemmas, deps=deps or ["dep"] * n, heads=heads or [0] * n, sent_starts=[True] + [False] * (n - 1))


TABLE = {lemma_key("husene", "NOUN", ""): "hus", lemma_key("hvert", "DET", ""): "hvert", lemma_key("motoren", "NOUN", ""): "motor"}
LEXICON = {"meddelelser": "meddelelse", "millionærer": "millionær", "lastbiler": "lastbil", "rom": "rom", "banker": "bank"}


def lemmas(d: Doc, **options: object) -> list[str]:
    LemmaLookup(TABLE, LEXICON, closed_class_lemmas(), **options)(d)  # type: ignore[arg-type]
    return [t.lemma_ for t in d]


def test_treebank_table_wins_and_capitalised_forms_are_found() -> None:
    d = doc(["Husene", "brændte", "."], ["NOUN", "VERB", "PUNCT"], ["Husene", "brænde", "."])
    assert lemmas(d) == ["hus", "brænde", "."]


def test_closed_class_forms_get_the_ud_lemma_whatever_the_tag() -> None:
    d = doc(["hvert", "andet", "år", "fik", "intet"], ["DET", "PRON", "NOUN", "VERB", "PRON"], ["hvert", "andet", "år", "få", "intet"])
    # "hvert" is in the treebank table as "hvert" (a conversion artefact): the closed-class table overrides it.
    assert lemmas(d) == ["hver", "anden", "år", "få", "ingen"]


def test_de_and_det_follow_the_det_attachment() -> None:
    # "de store huse": article (det of "huse") → "den"; "de kom": pronoun → "de", even if tagged DET.
    article = doc(["de", "store", "huse"], ["PRON", "ADJ", "NOUN"], ["de", "stor", "hus"], deps=["det", "amod", "ROOT"], heads=[2, 2, 2])
    pronoun = doc(["de", "kom"], ["DET", "VERB"], ["den", "komme"], deps=["nsubj", "ROOT"], heads=[1, 1])
    assert lemmas(article)[0] == "den"
    assert lemmas(pronoun)[0] == "de"
    assert lemmas(doc(["de", "kom"], ["DET", "VERB"], ["den", "komme"], deps=["nsubj", "ROOT"], heads=[1, 1]), determiner_rule=False)[0] == "den"


def test_lexicon_only_for_open_classes_unseen_in_the_table() -> None:
    d = doc(["Meddelelser", "om", "banker"], ["NOUN", "ADP", "ADV"], ["Meddelelser", "om", "banker"])
    # NOUN looked up lower-cased; ADV is not looked up (no gain on dev).
    assert lemmas(d) == ["meddelelse", "om", "banker"]


def test_hyphenated_words_by_their_last_part_keep_the_capitals_of_the_first() -> None:
    d = doc(["Nye", "Scania-lastbiler", "og", "Volvo-motoren"], ["ADJ", "NOUN", "CCONJ", "NOUN"], ["ny", "scania-lastbiler", "og", "volvo-motoren"])
    assert lemmas(d) == ["ny", "Scania-lastbil", "og", "Volvo-motor"]
    assert lemmas(doc(["Scania-lastbiler"], ["NOUN"], ["Scania-lastbiler"]), hyphen_parts=False, hyphen_case=False)[0] == "scania-lastbiler"


def test_unknown_nouns_by_their_longest_known_head() -> None:
    d = doc(["fodboldmillionærer", "sov"], ["NOUN", "VERB"], ["fodboldmillionære", "sove"])
    assert lemmas(d)[0] == "fodboldmillionær"
    assert lemmas(doc(["fodboldmillionærer"], ["NOUN"], ["fodboldmillionære"]), compounds=False)[0] == "fodboldmillionære"
    # Too short a head or modifier is not split: "banker" alone is a word, "xbanker" has a 1-letter modifier.
    assert lemmas(doc(["xbanker"], ["NOUN"], ["xbanker"]))[0] == "xbanker"


def test_sentence_initial_propn_may_be_a_capitalised_common_word_but_names_elsewhere_stay() -> None:
    assert lemmas(doc(["Meddelelser", "kom"], ["PROPN", "VERB"], ["Meddelelser", "komme"]))[0] == "meddelelse"
    d = doc(["Han", "drak", "Rom"], ["PRON", "VERB", "PROPN"], ["han", "drikke", "Rom"])
    assert lemmas(d)[2] == "Rom"


def test_capitalised_edit_tree_lemmas_are_lower_cased_only_at_sentence_start() -> None:
    d = doc(["Brandbilerne", "kørte", "til", "Kongens", "Nytorv"], ["NOUN", "VERB", "ADP", "NOUN", "PROPN"], ["Brandbil", "køre", "til", "Konge", "Nytorv"])
    assert lemmas(d) == ["brandbil", "køre", "til", "Konge", "Nytorv"]
    quoted = doc(["»", "Brandbilerne", "kom"], ["PUNCT", "NOUN", "VERB"], ["»", "Brandbil", "komme"])
    assert lemmas(quoted)[1] == "brandbil"


def test_lexicon_file_reads_grouped_forms(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write("# a comment\nhus\thus huse husene huset\nbank\tbank banker\n")
    assert read_lemma_lexicon(path) == {"hus": "hus", "huse": "hus", "husene": "hus", "huset": "hus", "bank": "bank", "banker": "bank"}


@pytest.mark.model
@pytest.mark.parametrize(
    ("sentence", "word", "lemma"),
    [
        # Forms the training treebank never showed: only the lexicon knows them (the edit trees leave them as they are).
        ("Overskridelsen af budgettet kom bag på alle.", "Overskridelsen", "overskridelse"),
        ("Overskridelsen af budgettet kom bag på alle.", "budgettet", "budget"),
        ("Kommunen sendte meddelelser til alle borgere.", "meddelelser", "meddelelse"),
        ("Sygeplejerskerne strejkede hele ugen.", "Sygeplejerskerne", "sygeplejerske"),
        ("Fodboldmillionærerne købte nye huse.", "Fodboldmillionærerne", "fodboldmillionær"),
        ("De gamle Scania-lastbiler kørte ind i FN-lejren.", "Scania-lastbiler", "Scania-lastbil"),
        # Closed classes in UD Danish-DDT's convention.
        ("Hvert barn fik sit eget værelse.", "Hvert", "hver"),
        ("Hvert barn fik sit eget værelse.", "sit", "sin"),
        ("Hvert barn fik sit eget værelse.", "eget", "egen"),
        ("De andre fik intet at spise.", "andre", "anden"),
        ("De andre fik intet at spise.", "intet", "ingen"),
        ("Disse regler gælder for alle.", "Disse", "denne"),
    ],
)
def test_shipped_lemma_layer(model_nlp, sentence: str, word: str, lemma: str) -> None:
    if not (model_path() / LEMMA_LEXICON).is_file():
        pytest.skip(f"no {LEMMA_LEXICON} next to the model (training/build_lemma_table.py)")
    token = next(t for t in model_nlp(sentence) if t.text == word)
    assert token.lemma_ == lemma
