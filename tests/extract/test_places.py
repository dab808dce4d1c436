"""Places: gazetteer matching, demonyms, filters and context disambiguation (hand-written Danish)."""

from __future__ import annotations

import time

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from kilde.extract.gazetteer import distance_km, gazetteer
from kilde.extract.places import places
from kilde.records import Place


def found(nlp: Language, text: str) -> dict[str, Place]:
    return {p.name: p for p in places(nlp(text))}


def test_gazetteer_is_built_once_and_quickly() -> None:
    gazetteer.cache_clear()
    started = time.perf_counter()
    first = gazetteer()
    assert time.perf_counter() - started < 3.0  # ~0.3 s on a quiet machine
    assert gazetteer() is first


def test_city_country_and_demonym(rules_nlp: Language) -> None:
    result = found(rules_nlp, "Angrebet på Bakhmut fortsætter, og de ukrainske styrker holder stillingerne.")
    bakhmut = result["Bakhmut"]
    assert distance_km(bakhmut.lat, bakhmut.lon, 48.59, 38.00) < 25
    assert bakhmut.country == "UA" and bakhmut.feature == "city"
    ukraine = result["Ukraine"]
    assert ukraine.geonameid == 690791 and ukraine.feature == "country"
    assert [(m.text, m.demonym) for m in ukraine.mentions] == [("ukrainske", True)]


@pytest.mark.parametrize(
    ("word", "country"),
    [("russerne", "RU"), ("Ukrainerne", "UA"), ("polakken", "PL"), ("svenskerne", "SE"), ("KINESERNE", "CN"), ("britiske", "GB"), ("franskmændene", "FR")],
)
def test_demonym_inflections(rules_nlp: Language, word: str, country: str) -> None:
    result = places(rules_nlp(f"I går mødte {word} op."))
    assert [p.country for p in result] == [country]


def test_regional_demonyms_and_cities(rules_nlp: Language) -> None:
    result = found(rules_nlp, "Der er københavnsk trafik og sønderjyske traditioner.")
    assert result["Copenhagen"].mentions[0].demonym
    assert "Sønderjylland (Southern Jutland)" in result


def test_genitive_and_exonyms(rules_nlp: Language) -> None:
    result = found(rules_nlp, "Mødet mellem Danmarks og USAs udsendinge blev holdt i Kairo, ikke i Hamborg.")
    assert {"Denmark", "United States", "Cairo", "Hamburg"} <= set(result)
    assert result["Denmark"].mentions[0].text == "Danmarks"


def test_curated_regions_and_seas(rules_nlp: Language) -> None:
    result = found(rules_nlp, "Stormen ramte Sønderjylland, Nordsjælland og Vestbredden, mens skibet lå i Østersøen ud for Krim.")
    for name in ("Sønderjylland (Southern Jutland)", "Nordsjælland (North Zealand)", "West Bank (Vestbredden)", "Baltic Sea (Østersøen)", "Crimea (Krim)"):
        assert result[name].source == "curated"
        assert result[name].geonameid is None


def test_hyphen_compounds(rules_nlp: Language) -> None:
    result = found(rules_nlp, "Efter Kina-kampen kørte holdet til Donbas-regionen og Donetsk-regionen.")
    assert {"China", "Donbas", "Donetsk Oblast"} <= set(result)
    assert result["China"].mentions[0].text == "Kina"


def test_language_names_are_not_places(rules_nlp: Language) -> None:
    assert places(rules_nlp("Hun taler dansk og tyrkisk på arbejdet, og han kan engelsk.")) == []
    assert [p.name for p in places(rules_nlp("Han så tyrkisk fjernsyn og læste en dansk avis."))] == ["Turkey", "Denmark"]


def test_organisation_names_are_not_places(rules_nlp: Language) -> None:
    assert places(rules_nlp("Hun arbejder i Danske Bank og stemmer på Dansk Folkeparti.")) == []


def tagged(nlp: Language, text: str, entities: list[tuple[str, str, int]]) -> Doc:
    """``text`` with hand-set entities: (surface, label, which occurrence)."""
    doc = nlp(text)
    spans = []
    for surface, label, nth in entities:
        start = -1
        for _ in range(nth + 1):
            start = text.index(surface, start + 1)
        span = doc.char_span(start, start + len(surface), label=label)
        assert span is not None
        spans.append(span)
    doc.ents = spans
    return doc


def test_a_city_name_used_for_a_person_is_not_a_place(rules_nlp: Language) -> None:
    text = "Leoluca Orlando talte i Palermo. Orlando sagde nej."
    doc = tagged(rules_nlp, text, [("Leoluca Orlando", "PER", 0), ("Palermo", "LOC", 0)])  # the second Orlando untagged
    assert [p.name for p in places(doc)] == ["Palermo"]  # the surname is the man
    alone = tagged(rules_nlp, "Orlando har skabt en revolution i Palermo.", [("Orlando", "PER", 0), ("Palermo", "LOC", 0)])
    assert [p.name for p in places(alone)] == ["Palermo"]  # a big city's name tagged as a person, never used as a place


def test_a_place_named_like_a_person_stays_a_place(rules_nlp: Language) -> None:
    text = "Jack London skrev om Klondike. Han boede i London, og London sender nu tropper."
    doc = tagged(rules_nlp, text, [("Jack London", "PER", 0), ("London", "PER", 2)])
    london = {p.name: p for p in places(doc)}["London"]
    assert len(london.mentions) == 2  # "i London" makes the name a place in this article, so the third is one too
    houston = tagged(rules_nlp, "Whitney Houston døde. Houston er ramt af en orkan.", [("Whitney Houston", "PER", 0), ("Houston", "LOC", 1)])
    assert [p.name for p in places(houston)] == ["Houston"]  # the NER calls the second a place
    jordan = tagged(rules_nlp, "Michael Jordan spillede. Jordan og Israel underskrev en aftale.", [("Michael Jordan", "PER", 0), ("Jordan", "PER", 1)])
    assert "Jordan" in {p.name for p in places(jordan)}  # a country acting
    country = tagged(rules_nlp, "Danmark kræver svar fra Rusland.", [("Danmark", "PER", 0), ("Rusland", "LOC", 0)])
    assert {p.name for p in places(country)} == {"Denmark", "Russia"}


def test_sentence_initial_common_words_are_not_places(rules_nlp: Language) -> None:
    assert places(rules_nlp("Give op er ikke en mulighed. Ringe kan det blive.")) == []


def test_context_decides_an_ambiguous_name(rules_nlp: Language) -> None:
    (lille,) = [p for p in places(rules_nlp("Den danske angriber spiller nu i Lille i den franske liga.")) if p.name == "Lille"]
    assert lille.country == "FR"
    assert lille.alternatives and lille.alternatives[0].country == "BE"
    assert lille.score is not None and lille.score > lille.alternatives[0].score
    texas = {p.name: p for p in places(rules_nlp("Filmen foregår i Paris i Texas, langt fra Europa."))}
    assert texas["Paris"].country == "US"


def test_no_places_in_plain_text(rules_nlp: Language) -> None:
    assert places(rules_nlp("Vejret var godt, og alle gik tidligt hjem.")) == []


def test_reference_article_places(rules_nlp: Language, reference_text: str) -> None:
    result = found(rules_nlp, reference_text)
    bakhmut = result["Bakhmut"]
    assert distance_km(bakhmut.lat, bakhmut.lon, 48.59, 38.00) < 25
    assert {"Donbas", "Ukraine", "Russia", "United Kingdom"} <= set(result)
    assert any(m.demonym for m in result["Ukraine"].mentions)
    assert any(m.demonym for m in result["Russia"].mentions)


@pytest.mark.model
def test_reference_article_places_with_model(model_nlp: Language, reference_text: str) -> None:
    result = found(model_nlp, reference_text)
    assert {"Bakhmut", "Donbas", "Ukraine", "Russia", "United Kingdom"} <= set(result)


def test_label_is_the_danish_name_as_written_or_cldrs_for_a_country_named_by_adjective(rules_nlp: Language) -> None:
    result = found(rules_nlp, "Ruslands præsident talte i København. Rusland svarede de britiske krav fra Berlin, skriver Berlingske.")
    assert (result["Copenhagen"].label, result["Russia"].label) == ("København", "Rusland")  # not the genitive "Ruslands"
    assert result["United Kingdom"].label == "Storbritannien"  # only "britiske" in the text
    assert result["Berlin"].label == "Berlin"
