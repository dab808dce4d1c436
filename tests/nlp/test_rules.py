"""Token and sentence boundaries for Danish news, with the rule pipeline."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "token",
    ["bl.a.", "f.eks.", "ca.", "kl.", "hhv.", "mio.", "mia.", "pct.", "nr.", "jf.", "70.000", "2,5", "24.", "14.30", "H.C.", "J.", "f.Kr.", "skt.", "iflg."],
)
def test_abbreviations_numbers_and_initials_are_one_token(rules_nlp, token: str) -> None:
    text = f"Det var {token} noget med tallet, sagde J. Jensen og H.C. Hansen kl. 14.30 den 24. februar 2022."
    assert token in [t.text for t in rules_nlp(text)]


def sents(nlp, text: str) -> list[str]:
    return [s.text.strip() for s in nlp(text).sents if s.text.strip()]


def test_abbreviations_do_not_end_sentences(rules_nlp) -> None:
    text = "Prisen steg bl.a. med ca. 2,5 pct. i alt. Det skete f.eks. i Aarhus kl. 14.30 den 24. februar 2022."
    assert sents(rules_nlp, text) == ["Prisen steg bl.a. med ca. 2,5 pct. i alt.", "Det skete f.eks. i Aarhus kl. 14.30 den 24. februar 2022."]


def test_quote_ending_with_comma_before_speech_verb_is_one_sentence(rules_nlp) -> None:
    text = "»Rusland har genoptaget sit angreb,« konstaterer tjenesten. Han går."
    assert sents(rules_nlp, text) == ["»Rusland har genoptaget sit angreb,« konstaterer tjenesten.", "Han går."]


@pytest.mark.parametrize("mark", ["?", "!"])
def test_question_in_quote_before_speech_verb_is_one_sentence(rules_nlp, mark: str) -> None:
    text = f"»Hvad skal vi nu{mark}« spørger hun. Ingen svarer."
    assert sents(rules_nlp, text) == [f"»Hvad skal vi nu{mark}« spørger hun.", "Ingen svarer."]


def test_colon_introduced_quote_in_next_paragraph_is_its_own_sentence(rules_nlp) -> None:
    text = "Ministeriet skriver:\n\n»Vi har ingen kommentarer.«"
    assert sents(rules_nlp, text) == ["Ministeriet skriver:", "»Vi har ingen kommentarer.«"]


def test_paragraph_break_always_ends_a_sentence(rules_nlp) -> None:
    assert sents(rules_nlp, "En overskrift uden punktum\n\nBrødtekst her.") == ["En overskrift uden punktum", "Brødtekst her."]
