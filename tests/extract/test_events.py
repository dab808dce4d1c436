"""Events: triggers, arguments from the dependency tree, place/time links, modality.

The parses are written by hand (spaCy ``Doc`` with heads, relations and tags), so the rules are tested
without the trained model; the reference-article expectations need the model and skip without it.
"""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from kilde.extract.events import events
from kilde.extract.places import places
from kilde.extract.times import times
from kilde.records import Event

# token, POS, head (0-based index; a token pointing to itself is the root), relation
Parse = list[tuple[str, str, int, str]]


def parsed(nlp: Language, rows: Parse) -> Doc:
    words = [w for w, _, _, _ in rows]
    spaces = [i + 1 < len(rows) and rows[i + 1][1] != "PUNCT" for i in range(len(rows))]
    return Doc(nlp.vocab, words=words, spaces=spaces, pos=[p for _, p, _, _ in rows], heads=[h for _, _, h, _ in rows], deps=[d for _, _, _, d in rows])


def run(nlp: Language, rows: Parse, published: str = "2022-10-26") -> list[Event]:
    doc = parsed(nlp, rows)
    return events(doc, places(doc), times(doc, published=published), published=published)


SHELLING: Parse = [
    ("Russiske", "ADJ", 1, "amod"),
    ("styrker", "NOUN", 2, "nsubj"),
    ("beskød", "VERB", 2, "ROOT"),
    ("i", "ADP", 2, "advmod"),
    ("nat", "NOUN", 3, "fixed"),
    ("Kharkiv", "PROPN", 2, "obj"),
    ("med", "ADP", 7, "case"),
    ("artilleri", "NOUN", 2, "obl"),
    (".", "PUNCT", 2, "punct"),
]

REPORTED_RETREAT: Parse = [
    ("Reuters", "PROPN", 1, "nsubj"),
    ("skriver", "VERB", 1, "ROOT"),
    (",", "PUNCT", 6, "punct"),
    ("at", "SCONJ", 6, "mark"),
    ("ukrainske", "ADJ", 5, "amod"),
    ("soldater", "NOUN", 6, "nsubj"),
    ("trækker", "VERB", 1, "ccomp"),
    ("sig", "PRON", 6, "obj"),
    ("tilbage", "ADV", 6, "advmod"),
    ("fra", "ADP", 10, "case"),
    ("Bakhmut", "PROPN", 6, "obl"),
    (".", "PUNCT", 1, "punct"),
]

NEGATED_ARREST: Parse = [
    ("Politiet", "NOUN", 1, "nsubj"),
    ("anholdt", "VERB", 1, "ROOT"),
    ("ikke", "ADV", 1, "advmod"),
    ("de", "DET", 5, "det"),
    ("to", "NUM", 5, "nummod"),
    ("mænd", "NOUN", 1, "obj"),
    ("i", "ADP", 7, "case"),
    ("Padborg", "PROPN", 1, "obl"),
    (".", "PUNCT", 1, "punct"),
]

PLANNED_DECISION: Parse = [
    ("Byrådet", "NOUN", 2, "nsubj"),
    ("skal", "AUX", 2, "aux"),
    ("godkende", "VERB", 2, "ROOT"),
    ("planen", "NOUN", 2, "obj"),
    ("på", "ADP", 5, "case"),
    ("mandag", "NOUN", 2, "obl"),
    (".", "PUNCT", 2, "punct"),
]

PASSIVE_CUSTODY: Parse = [
    ("De", "DET", 2, "det"),
    ("to", "NUM", 2, "nummod"),
    ("mænd", "NOUN", 3, "nsubj"),
    ("blev", "AUX", 4, "aux"),
    ("varetægtsfængslet", "VERB", 4, "ROOT"),
    ("af", "ADP", 6, "case"),
    ("retten", "NOUN", 4, "obl"),
    ("i", "ADP", 8, "case"),
    ("Sønderborg", "PROPN", 6, "nmod"),
    (".", "PUNCT", 4, "punct"),
]

NO_EVENT: Parse = [
    ("Han", "PRON", 1, "nsubj"),
    ("trækker", "VERB", 1, "ROOT"),
    ("vejret", "NOUN", 1, "obj"),
    ("i", "ADP", 4, "case"),
    ("Aarhus", "PROPN", 1, "obl"),
    (".", "PUNCT", 1, "punct"),
]


def test_shelling_with_actor_target_place_time(rules_nlp: Language) -> None:
    (event,) = run(rules_nlp, SHELLING)
    assert (event.type, event.subtype, event.trigger) == ("FIGHT", "Shelling/artillery/missile attack", "beskød")
    assert event.actor == "Russiske styrker" and event.target == "Kharkiv"
    assert event.place == "Kharkiv" and event.place_geonameid is not None
    assert event.time == "2022-10-25TNI"
    assert (event.modality, event.negated, event.attributed_to) == ("asserted", False, None)
    assert (event.sentence.start, event.sentence.end) == (0, len("Russiske styrker beskød i nat Kharkiv med artilleri."))


def test_reported_retreat_is_attributed(rules_nlp: Language) -> None:
    (event,) = run(rules_nlp, REPORTED_RETREAT)
    assert event.type == "RETREAT" and event.place == "Bakhmut"
    assert event.actor == "ukrainske soldater"
    assert event.modality == "reported" and event.attributed_to == "Reuters"


def test_negation(rules_nlp: Language) -> None:
    (event,) = run(rules_nlp, NEGATED_ARREST)
    assert event.type == "ARREST" and event.subtype == "Arrests"
    assert event.negated and event.place == "Padborg" and event.target == "de to mænd"


def test_planned(rules_nlp: Language) -> None:
    (event,) = run(rules_nlp, PLANNED_DECISION)
    assert event.type == "POLITICAL_DECISION" and event.modality == "planned"
    assert event.actor == "Byrådet" and event.time == "2022-10-31"


def test_passive_agent_is_the_actor(rules_nlp: Language) -> None:
    (event,) = run(rules_nlp, PASSIVE_CUSTODY)
    assert event.type == "LEGAL_ACTION"
    assert event.actor == "retten i Sønderborg" and event.target == "De to mænd"
    assert event.place == "Sønderborg"


def test_trigger_needs_its_context_word(rules_nlp: Language) -> None:
    assert run(rules_nlp, NO_EVENT) == []


def test_no_events_without_a_parse(rules_nlp: Language) -> None:
    doc = rules_nlp("Russiske styrker beskød i nat Kharkiv med artilleri.")
    assert events(doc, places(doc), times(doc)) == []


@pytest.mark.model
def test_reference_article_events(model_nlp: Language, reference_text: str) -> None:
    doc = model_nlp(reference_text)
    found = events(doc, places(doc), times(doc, published="2023-03-06"), published="2023-03-06")
    sentence = {id(e): doc.text[e.sentence.start : e.sentence.end] for e in found}

    def having(kind: str, place: str | None = "Bakhmut") -> list[Event]:
        return [e for e in found if e.type == kind and (place is None or e.place == place)]

    retreats = having("RETREAT")
    assert any("ukrain" in (e.actor or "").lower() for e in retreats)
    assert any(e.attributed_to == "Reuters" and e.modality == "reported" for e in retreats)
    shelling = having("FIGHT")
    assert any(
        e.subtype == "Shelling/artillery/missile attack" and ("russ" in (e.actor or "").lower() or "rusland" in (e.actor or "").lower()) for e in shelling
    )
    assert any("skyttegrave" in sentence[id(e)] for e in having("FORTIFY"))
    assert any("Wagner" in sentence[id(e)] for e in having("COOPERATE", None))
