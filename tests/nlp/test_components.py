"""Kilde's own spaCy components, on hand-built docs (no trained model needed)."""

from __future__ import annotations

import spacy
from spacy.tokens import Span

from kilde.nlp.components import EntityLexicon


def test_entity_loses_trailing_lowercase_abbreviations() -> None:
    nlp = spacy.blank("da")
    doc = nlp.make_doc("Vandet stod højt ved Vejle Havn kl. 04.30 , sagde Vejle bl.a. i går .")
    words = [t.text for t in doc]
    havn = Span(doc, words.index("Vejle"), words.index("kl.") + 1, label="LOC")  # "Vejle Havn kl."
    alone = Span(doc, words.index("bl.a.") - 1, words.index("bl.a.") + 1, label="LOC")  # "Vejle bl.a."
    doc.ents = [havn, alone]
    assert [(e.text, e.label_) for e in EntityLexicon(nlp)(doc).ents] == [("Vejle Havn", "LOC"), ("Vejle", "LOC")]


def test_names_and_one_token_entities_keep_their_span() -> None:
    nlp = spacy.blank("da")
    doc = nlp.make_doc("De danske soldater og H.C. Andersen Jr. kom hjem .")
    words = [t.text for t in doc]
    doc.ents = [Span(doc, 1, 2, label="MISC"), Span(doc, words.index("H.C."), words.index("Jr.") + 1, label="PER")]
    assert [e.text for e in EntityLexicon(nlp)(doc).ents] == ["danske", "H.C. Andersen Jr."]
