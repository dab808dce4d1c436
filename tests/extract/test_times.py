"""Time expressions: Danish forms, TIMEX3-style values, anchoring on the publication date."""

from __future__ import annotations

import pytest
from spacy.language import Language

from kilde.extract.times import times
from kilde.records import TimeExpression

PUBLISHED = "2022-10-26"  # a Wednesday


def one(nlp: Language, text: str, published: str | None = PUBLISHED) -> TimeExpression:
    found = times(nlp(text), published=published)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("sentence", "span", "value", "kind"),
    [
        ("Krigen begyndte den 24. februar 2022 om morgenen.", "den 24. februar 2022", "2022-02-24", "date"),
        ("Mødet blev holdt d. 3/4 i Odense.", "d. 3/4", "2022-04-03", "date"),
        ("Toget kørte kl. 14.30 fra stationen.", "kl. 14.30", "2022-10-26T14:30", "time"),
        ("Han flyttede hertil i 1992 med familien.", "1992", "1992", "date"),
        ("Festivalen ligger i uge 12 som altid.", "uge 12", "2022-W12", "date"),
        ("Arbejdet går i gang primo marts.", "primo marts", "2023-03", "date"),
        ("Hun kom hjem i går efter turen.", "i går", "2022-10-25", "date"),
        ("De mødtes i forgårs på kontoret.", "i forgårs", "2022-10-24", "date"),
        ("Der var uro i nat ved havnen.", "i nat", "2022-10-25TNI", "time"),
        ("Sagen skal behandles på mandag.", "på mandag", "2022-10-31", "date"),
        ("Han var syg i lørdags.", "i lørdags", "2022-10-22", "date"),
        ("Huset blev solgt sidste uge.", "sidste uge", "2022-W42", "date"),
        ("Regnen er faldet de seneste dage.", "de seneste dage", "PXD", "duration"),
        ("Byen er beskudt de foregående 48 timer.", "de foregående 48 timer", "PT48H", "duration"),
        ("Det skete for otte måneder siden.", "for otte måneder siden", "2022-02", "date"),
        ("Kampene har varet i otte måneder.", "otte måneder", "P8M", "duration"),
        ("Bunkeren er fra Anden Verdenskrig.", "Anden Verdenskrig", "1939/1945", "interval"),
        ("Han boede der i 1960'erne.", "1960'erne", "196", "date"),
        ("De byggede huset 1965-67.", "1965-67", "1965/1967", "interval"),
        ("Hun har været formand i halvandet år.", "halvandet år", "P18M", "duration"),
        ("Bunkerne har stået der næsten 80 år.", "næsten 80 år", "P80Y", "duration"),
        ("Butikken holder åbent hver fredag.", "hver fredag", "XXXX-WXX-5", "set"),
        ("Prisen stiger årligt med tre procent.", "årligt", "P1Y", "set"),
        ("Planen er klar til foråret.", "til foråret", "2023-SP", "date"),
        ("Resultatet kom sommeren 2021.", "sommeren 2021", "2021-SU", "date"),
        ("Det var 2. kvartal 1987 en succes.", "2. kvartal 1987", "1987-Q2", "date"),
        ("Vi ses søndag aften.", "søndag aften", "2022-10-23TEV", "time"),
    ],
)
def test_forms(rules_nlp: Language, sentence: str, span: str, value: str, kind: str) -> None:
    found = one(rules_nlp, sentence)
    assert (found.text, found.value, found.type) == (span, value, kind)
    assert sentence[found.start : found.end] == span


def test_relative_without_publication_date_says_what_it_is_relative_to(rules_nlp: Language) -> None:
    found = one(rules_nlp, "Hun kom hjem i går efter turen.", published=None)
    assert found.value is None and found.anchor == "DCT-1D"
    assert one(rules_nlp, "Sagen skal behandles på mandag.", published=None).anchor == "DCT>WD1"
    assert one(rules_nlp, "Det skete for otte måneder siden.", published=None).anchor == "DCT-P8M"
    absolute = one(rules_nlp, "Krigen begyndte den 24. februar 2022 om morgenen.", published=None)
    assert absolute.value == "2022-02-24" and absolute.anchor is None


def test_anchor_records_the_publication_date(rules_nlp: Language) -> None:
    assert one(rules_nlp, "Hun kom hjem i går efter turen.").anchor == PUBLISHED


def test_clock_time_takes_the_day_named_before_it(rules_nlp: Language) -> None:
    found = times(rules_nlp("Politiet kom i går kl. 16.15. Søndag aften var der uro, og kl. 23.30 blev to anholdt."), published=PUBLISHED)
    assert [(t.text, t.value) for t in found] == [
        ("i går kl. 16.15", "2022-10-25T16:15"),
        ("Søndag aften", "2022-10-23TEV"),
        ("kl. 23.30", "2022-10-23T23:30"),
    ]


def test_interval_between_clock_times(rules_nlp: Language) -> None:
    found = one(rules_nlp, "Vejen var spærret mellem kl. 22 og kl. 6.")
    assert found.type == "interval" and found.value == "2022-10-26T22:00/2022-10-27T06:00"


def test_year_of_a_day_without_year_follows_tense(rules_nlp: Language) -> None:
    assert one(rules_nlp, "Kontrakten blev underskrevet den 2. juni.", published="1992-12-14").value == "1992-06-02"
    assert one(rules_nlp, "Valget skal holdes den 2. juni.", published="1992-12-14").value == "1993-06-02"


def test_vague_references(rules_nlp: Language) -> None:
    found = times(rules_nlp("Nu er det slut. Tidligere har han sagt nej, men han kommer snart."), published=PUBLISHED)
    assert [(t.text, t.value, t.vague) for t in found] == [("Nu", "PRESENT_REF", True), ("Tidligere", "PAST_REF", True), ("snart", "FUTURE_REF", True)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Han er tidligere minister og tidligere formand.",  # former, not earlier
        "Hvad det nu hedder, ved jeg ikke.",  # particle
        "Drengen er 16 år gammel.",  # an age
        "Billetten koster 1992 kroner.",  # an amount
        "Hun drikker en kop kaffe på terrassen.",
        "Han er daglig leder af firmaet.",  # an adjective, not a frequency
    ],
)
def test_not_time_expressions(rules_nlp: Language, sentence: str) -> None:
    assert times(rules_nlp(sentence), published=PUBLISHED) == []


def test_reference_article_times(rules_nlp: Language, reference_text: str) -> None:
    found = {t.text: t for t in times(rules_nlp(reference_text), published="2023-03-06")}
    assert found["de foregående 48 timer"].value == "PT48H"
    assert found["otte måneder"].value == "P8M"
    assert found["Anden Verdenskrig"].value == "1939/1945"
    assert found["de seneste dage"].vague
