"""Quotes, speakers and sources on hand-written Danish cases (our own sentences), one per form."""

from __future__ import annotations

import pytest
from spacy.language import Language

from kilde.extract.lexicons import outlets, source_nouns, speech_verbs
from kilde.extract.quotes import extract_quotes
from kilde.records import Quote, SourceRef


def run(nlp: Language, text: str) -> tuple[list[Quote], list[SourceRef]]:
    doc = nlp(text)
    quotes, sources = extract_quotes(doc)
    for q in quotes:  # every span is an exact slice of the text
        assert doc.text[q.start : q.end] == q.text
        if q.cue_start is not None:
            assert doc.text[q.cue_start : q.cue_start + len(q.cue or "")] == q.cue
        assert 0.0 < q.confidence <= 1.0
    return quotes, sources


def only(quotes: list[Quote], kind: str | None = None) -> Quote:
    chosen = [q for q in quotes if kind is None or q.kind == kind]
    assert len(chosen) == 1, [(q.kind, q.text) for q in quotes]
    return chosen[0]


# ----- direct quotes in every Danish form -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "»Vi åbner broen igen i morgen tidlig,« siger havnefoged Lone Dahl.",
        "«Vi åbner broen igen i morgen tidlig,» siger havnefoged Lone Dahl.",
        '"Vi åbner broen igen i morgen tidlig," siger havnefoged Lone Dahl.',
        "„Vi åbner broen igen i morgen tidlig,“ siger havnefoged Lone Dahl.",
        "”Vi åbner broen igen i morgen tidlig,” siger havnefoged Lone Dahl.",
    ],
    ids=["guillemets", "reversed-guillemets", "straight", "low-high", "swedish"],
)
def test_direct_quote_marks_and_postposed_attribution(rules_nlp: Language, text: str) -> None:
    quote = only(run(rules_nlp, text)[0])
    assert quote.kind == "direct"
    assert quote.text == "Vi åbner broen igen i morgen tidlig"  # no marks, no trailing comma
    assert quote.cue == "siger"
    assert quote.speaker.name == "Lone Dahl"
    assert quote.speaker.type == "person"


def test_question_quote_with_inverted_cue(rules_nlp: Language) -> None:
    quote = only(run(rules_nlp, "»Hvem skal betale for det?« spørger Niels Vang.")[0])
    assert quote.text == "Hvem skal betale for det?"
    assert (quote.cue, quote.speaker.name) == ("spørger", "Niels Vang")


def test_attribution_before_with_colon(rules_nlp: Language) -> None:
    text = "Skoleleder Birthe Kold siger: »Eleverne har klaret det flot, og vi er stolte.«"
    quote = only(run(rules_nlp, text)[0])
    assert quote.text == "Eleverne har klaret det flot, og vi er stolte."
    assert (quote.cue, quote.speaker.name) == ("siger", "Birthe Kold")


def test_colon_quote_with_speaker_in_previous_paragraph(rules_nlp: Language) -> None:
    text = "Færgen ligger stille i havnen.\n\nSøfartsstyrelsen skriver i en meddelelse:\n\n»Skibet må ikke sejle, før skaden på roret er udbedret.«"
    quote = only(run(rules_nlp, text)[0])
    assert quote.text.startswith("Skibet må ikke sejle")
    assert quote.cue == "skriver"
    assert quote.speaker.name == "Søfartsstyrelsen"
    assert quote.speaker.type == "organisation"


def test_quote_broken_by_attribution_gives_two_items_with_one_speaker(rules_nlp: Language) -> None:
    text = "»Det er for sent,« siger formand Karl Bech, »men vi prøver alligevel at redde sæsonen.«"
    quotes = run(rules_nlp, text)[0]
    assert [q.text for q in quotes] == ["Det er for sent", "men vi prøver alligevel at redde sæsonen."]
    assert {q.speaker.name for q in quotes} == {"Karl Bech"}
    assert {q.cue for q in quotes} == {"siger"}


def test_multi_paragraph_quote_reopened_at_each_paragraph_is_one_item(rules_nlp: Language) -> None:
    text = "Til lokalradioen siger han:\n\n»Vi har ventet på det her i ti år.\n\n»Nu skal vi bare have pengene på plads.«"
    quote = only(run(rules_nlp, text)[0])
    assert quote.text == "Vi har ventet på det her i ti år.\n\n»Nu skal vi bare have pengene på plads."
    assert quote.cue == "siger"


def test_multi_sentence_quote_and_continuation_paragraph(rules_nlp: Language) -> None:
    text = (
        "Træner Bo Skov var tilfreds efter kampen.\n\n"
        '"Vi spillede godt. Vi scorede på de rigtige tidspunkter," siger han.\n\n'
        '"Nu venter en hård kamp i Aalborg på søndag."'
    )
    quotes = run(rules_nlp, text)[0]
    assert [q.text for q in quotes] == ["Vi spillede godt. Vi scorede på de rigtige tidspunkter", "Nu venter en hård kamp i Aalborg på søndag."]
    assert [q.speaker.name for q in quotes] == ["Bo Skov", "Bo Skov"]
    assert quotes[1].cue is None  # a continuation has no cue of its own


def test_dialogue_dashes_with_and_without_attribution(rules_nlp: Language) -> None:
    text = "Efter sejren var målmand Anna Krogh glad.\n\n– Vi troede på det hele vejen, siger hun.\n\n-Nu skal vi bare holde fast i førstepladsen."
    quotes = run(rules_nlp, text)[0]
    assert [q.text for q in quotes] == ["Vi troede på det hele vejen", "Nu skal vi bare holde fast i førstepladsen."]
    assert quotes[0].cue == "siger"
    assert [q.speaker.name for q in quotes] == ["Anna Krogh", "Anna Krogh"]


def test_partial_quote_with_wording_verb(rules_nlp: Language) -> None:
    quote = only(run(rules_nlp, 'Økonom Jens Ravn kalder tallene "et vendepunkt for branchen".')[0])
    assert (quote.kind, quote.text, quote.cue, quote.speaker.name) == ("direct", "et vendepunkt for branchen", "kalder", "Jens Ravn")


def test_pronoun_resolved_to_person_of_matching_gender(rules_nlp: Language) -> None:
    text = "Borgmester Hanne Berg mødte direktør Peter Lund i går.\n\n»Vi fandt en løsning til sidst,« siger hun."
    quote = only(run(rules_nlp, text)[0])
    assert quote.speaker.mention == "hun"
    assert quote.speaker.name == "Hanne Berg"


def test_definite_description_resolved_to_the_named_organisation(rules_nlp: Language) -> None:
    text = "Den danske efterretningstjeneste har udsendt en ny vurdering.\n\n»Truslen mod landet er fortsat alvorlig,« konstaterer efterretningstjenesten."
    quote = only(run(rules_nlp, text)[0])
    assert quote.speaker.mention == "efterretningstjenesten"
    assert quote.speaker.name == "Den danske efterretningstjeneste"
    assert quote.speaker.type == "organisation"


# ----- speaker resolution: mention chains --------------------------------------------------------------


def test_group_of_named_people_is_one_speaker_and_de_refers_to_it(rules_nlp: Language) -> None:
    text = "Kaffe er sundere end sit rygte, mener forskerne Anne Lund, Per Holt og Mia Ravn. De siger, at tre kopper om dagen er passende."
    quotes = run(rules_nlp, text)[0]
    assert [q.speaker.name for q in quotes] == ["Anne Lund, Per Holt og Mia Ravn"] * 2
    assert quotes[1].speaker.mention == "De"


def test_de_refers_to_the_last_plural_description(rules_nlp: Language) -> None:
    text = "Flere naboer har klaget til kommunen over larmen. De mener, at støjen er blevet værre om natten."
    quote = only(run(rules_nlp, text)[0])
    assert (quote.speaker.mention, quote.speaker.name, quote.speaker.type) == ("De", "Flere naboer", "unnamed")


def test_den_refers_to_the_last_organisation(rules_nlp: Language) -> None:
    text = "I går kritiserede Konkurrencerådet bankerne. Den konstaterer, at gebyrerne er alt for høje."
    quote = only(run(rules_nlp, text)[0])
    assert (quote.speaker.mention, quote.speaker.name, quote.speaker.type) == ("Den", "Konkurrencerådet", "organisation")


def test_pronoun_with_nobody_named_resolves_to_a_described_person_of_its_gender(rules_nlp: Language) -> None:
    text = "Et tv-klip viste en mor, der græd på trappen.\n\n»Jeg har mistet alt,« sagde hun."
    quote = only(run(rules_nlp, text)[0])
    assert (quote.speaker.mention, quote.speaker.name, quote.speaker.type) == ("hun", "en mor", "unnamed")


def test_pronoun_after_an_inverted_verb_is_the_mention(rules_nlp: Language) -> None:
    text = "Da han bliver spurgt hvorfor, tøver han ikke med svaret:\n\n»Der er alt for langt til byen.«"
    quote = only(run(rules_nlp, text)[0])
    assert quote.speaker.mention == "han"
    assert quote.speaker.name is None  # only pronouns in the text: no name (GUIDELINE §5)


def test_epithet_refers_back_to_the_person_the_article_is_about(rules_nlp: Language) -> None:
    text = "Ole Bak har altid sommerfugle i maven før en udsendelse.\n\n»Jeg bliver nervøs hver eneste gang,« siger den erfarne vært."
    quote = only(run(rules_nlp, text)[0])
    assert (quote.speaker.mention, quote.speaker.name, quote.speaker.type) == ("den erfarne vært", "Ole Bak", "person")


def test_epithet_with_nobody_named_before_refers_forward(rules_nlp: Language) -> None:
    text = "»Vi holder fast i planen,« siger ministeren.\n\nSenere på dagen gentog Eva Lund budskabet over for pressen."
    quote = only(run(rules_nlp, text)[0])
    assert quote.speaker.name == "Eva Lund"


def test_someone_elses_role_is_not_an_epithet(rules_nlp: Language) -> None:
    text = "Ole Bak blev anholdt i går. Hans advokat siger, at klienten er helt uskyldig."
    quote = only(run(rules_nlp, text)[0])
    assert (quote.speaker.name, quote.speaker.type) == ("Hans advokat", "unnamed")


def test_name_in_apposition_after_an_adjective_wins(rules_nlp: Language) -> None:
    text = "Selskabet bag projektet, danske Nordvind Energy, fastholder, at møllerne bliver bygget næste år."
    quote = only(run(rules_nlp, text)[0])
    assert quote.speaker.name == "Nordvind Energy"


def test_relay_with_a_manner_adverb(rules_nlp: Language) -> None:
    text = "Vejen blev endelig asfalteret i går.\n\n»Endelig sker der noget,« lyder det kort fra naboen Birgit Skov."
    quote = only(run(rules_nlp, text)[0])
    assert (quote.cue, quote.speaker.name) == ("lyder", "Birgit Skov")


def test_wording_noun_with_a_genitive_speaker(rules_nlp: Language) -> None:
    text = "Et OL er med Brian Lentz' ord »enhver sportsmands drøm«."
    quote = only(run(rules_nlp, text)[0])
    assert (quote.text, quote.speaker.name) == ("enhver sportsmands drøm", "Brian Lentz")


def test_pronoun_inside_a_quote_can_refer_to_a_name_in_the_same_quote(rules_nlp: Language) -> None:
    text = (
        "Politimester Hans Dahl forklarede sig i retten.\n\n"
        "»På mødet sagde Ole Lundbæk, at sagen var lukket. Han har senere sagt, at han ville tale med ministeren,« forklarede Hans Dahl."
    )
    quotes = run(rules_nlp, text)[0]
    nested = [q for q in quotes if q.kind == "indirect" and q.speaker.mention == "Han"]
    assert [q.speaker.name for q in nested] == ["Ole Lundbæk"]


@pytest.mark.slow
def test_model_name_without_title_or_genitive(model_nlp: Language) -> None:
    text = "Regionsrådsformand Anders Bøgh afviser kritikken. Han siger, at vagten kun har fire patienter om natten."
    quote = only(run(model_nlp, text)[0])
    assert quote.speaker.name == "Anders Bøgh"


@pytest.mark.slow
def test_model_object_controls_an_infinitive_cue(model_nlp: Language) -> None:
    text = "Sejren fik Frank Olsen til at bebude, at han vil vinde mesterskabet næste år."
    quote = only(run(model_nlp, text)[0])
    assert quote.speaker.name == "Frank Olsen"


# ----- indirect speech -----------------------------------------------------------------------------------


def test_indirect_at_clause_with_role_resolved_to_name(rules_nlp: Language) -> None:
    text = "Transportminister Eva Holm besøgte havnen mandag. Ministeren siger, at broen bliver bygget inden 2030."
    quote = only(run(rules_nlp, text)[0])
    assert quote.kind == "indirect"
    assert quote.text == "broen bliver bygget inden 2030"  # after "at", without the full stop
    assert quote.cue == "siger"
    assert quote.speaker.name == "Eva Holm"


@pytest.mark.parametrize("verb", ["mener", "skriver", "oplyser", "understreger", "vurderer", "erkender", "påpeger", "advarer", "fastslår"])
def test_indirect_speech_verbs(rules_nlp: Language, verb: str) -> None:
    quote = only(run(rules_nlp, f"Professor Lise Moe {verb}, at priserne vil stige resten af året.")[0])
    assert (quote.kind, quote.cue, quote.speaker.name) == ("indirect", verb, "Lise Moe")
    assert quote.text == "priserne vil stige resten af året"


def test_postposed_attribution(rules_nlp: Language) -> None:
    quote = only(run(rules_nlp, "Færgen sejler igen fra klokken seks i morgen, oplyser rederiet.")[0])
    assert quote.text == "Færgen sejler igen fra klokken seks i morgen"
    assert (quote.cue, quote.speaker.mention, quote.speaker.type) == ("oplyser", "rederiet", "organisation")


def test_anaphoric_det_mener_picks_up_the_previous_sentence(rules_nlp: Language) -> None:
    text = "Nedlukningen vil ramme de ældre hårdest. Det mener formanden for ældrerådet, Tove Bak."
    quote = only(run(rules_nlp, text)[0])
    assert quote.text == "Nedlukningen vil ramme de ældre hårdest"
    assert (quote.cue, quote.speaker.name) == ("mener", "Tove Bak")


@pytest.mark.parametrize(
    ("text", "content", "speaker"),
    [
        ("Ifølge politiet blev tre personer anholdt natten til søndag.", "blev tre personer anholdt natten til søndag", "politiet"),
        ("Tre personer blev anholdt natten til søndag, ifølge politiet.", "Tre personer blev anholdt natten til søndag", "politiet"),
        ("Efter borgmesterens opfattelse er planen urealistisk og for dyr.", "er planen urealistisk og for dyr", "borgmesteren"),
    ],
    ids=["ifølge-first", "ifølge-last", "efter-opfattelse"],
)
def test_ifolge_and_opinion(rules_nlp: Language, text: str, content: str, speaker: str) -> None:
    quote = only(run(rules_nlp, text)[0])
    assert quote.kind == "indirect"
    assert quote.text == content
    assert speaker in (quote.speaker.name or "")


def test_hedder_det_i_document(rules_nlp: Language) -> None:
    text = "Kommunen har lavet en rapport om skolerne. Skolen i Ry skal lukke næste sommer, hedder det i rapporten."
    quote = only(run(rules_nlp, text)[0])
    assert quote.text == "Skolen i Ry skal lukke næste sommer"
    assert (quote.cue, quote.speaker.type) == ("hedder", "document")


def test_headline_speaker_colon(rules_nlp: Language) -> None:
    text = "Borgmester: Vi lukker ikke biblioteket\n\nEfter et langt møde afviser borgmester Ole Friis planerne."
    quote = only(run(rules_nlp, text)[0])
    assert (quote.kind, quote.text, quote.cue) == ("indirect", "Vi lukker ikke biblioteket", None)
    assert quote.speaker.name == "Ole Friis"


def test_unnamed_sources(rules_nlp: Language) -> None:
    text = "En kilde i ministeriet oplyser, at loven bliver trukket tilbage. Angrebet er ifølge flere eksperter det største i årevis."
    quotes = run(rules_nlp, text)[0]
    assert [q.speaker.type for q in quotes] == ["unnamed", "unnamed"]
    assert quotes[0].speaker.name == "En kilde i ministeriet"
    assert quotes[1].speaker.name == "flere eksperter"


def test_outlet_as_speaker_and_as_cited_source(rules_nlp: Language) -> None:
    text = "Ritzau skriver, at togene kører igen. »Det har været en lang nat,« siger stationsforstander Mads Eriksen til DR."
    quotes, sources = run(rules_nlp, text)
    assert (quotes[0].speaker.name, quotes[0].speaker.type) == ("Ritzau", "outlet")
    assert quotes[1].speaker.name == "Mads Eriksen"  # DR is the addressee, not the speaker
    by_name = {s.name: s for s in sources}
    assert by_name["Ritzau"].type == "outlet"
    assert by_name["DR"].type == "outlet"  # cited: the interview was given to DR
    assert by_name["Mads Eriksen"].mentions == 1


def test_sources_count_quotes_per_speaker(rules_nlp: Language) -> None:
    text = "»Vi har travlt,« siger Tina Holm. »Men vi når det,« siger hun. Ifølge Reuters er prisen steget."
    sources = run(rules_nlp, text)[1]
    assert [(s.name, s.type, s.mentions) for s in sources] == [("Tina Holm", "person", 2), ("Reuters", "outlet", 1)]


# ----- negative cases -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Filmen »Havets sang« har premiere i næste uge i hele landet.",
        "Regeringen kalder det en del af den såkaldte »grønne pakke« for landbruget.",
        "Han var en ægte »jernnæve« i sin tid som leder af klubben.",
        "Skibet »Karen Marie« lagde til kaj i Skagen i morges.",
        "Hun læser tidsskriftet «Natur og Miljø» hver måned.",
        "Hun siger ikke noget.",
        "Regionen foreslår at lukke fødegangen i Holbæk.",
        "Det har politiet ikke ønsket at kommentere.",
        "Ingen har påstået, at cykelstien er farlig for børn.",
        "Jeg mener, at byen trænger til et nyt bibliotek.",
        "Konkurrencen - mellem to store kæder - er hård i år.",
    ],
    ids=[
        "film-title",
        "so-called-term",
        "scare-quote",
        "ship-name",
        "journal",
        "siger-without-content",
        "infinitive",
        "refusal",
        "negated",
        "author-voice",
        "parenthetical-dash",
    ],
)
def test_not_quotes(rules_nlp: Language, text: str) -> None:
    assert run(rules_nlp, text)[0] == []


def test_scare_quote_inside_a_real_quote_is_not_a_second_quote(rules_nlp: Language) -> None:
    text = "»Det var ikke nogen »fest«, det var en katastrofe,« siger Per Holm."
    quote = only(run(rules_nlp, text)[0])
    assert quote.text == "Det var ikke nogen »fest«, det var en katastrofe"


def test_empty_document(rules_nlp: Language) -> None:
    assert extract_quotes(rules_nlp("")) == ([], [])


# ----- lexicons ---------------------------------------------------------------------------------------------


def test_lexicons_load_with_expected_entries() -> None:
    assert "siger" in speech_verbs() and "konstaterer" in speech_verbs()
    assert {"Reuters", "Ritzau", "AFP", "AP", "DR", "TV 2"} <= set(outlets())
    assert ("efterretningstjeneste", "organisation") in source_nouns()


# ----- with the trained pipeline ----------------------------------------------------------------------------


@pytest.mark.slow
def test_model_resolves_subject_after_adverbial(model_nlp: Language) -> None:
    text = "Sundhedsminister Ida Bro besøgte sygehuset. I dag siger ministeren, at ventetiderne skal ned."
    quote = only(run(model_nlp, text)[0])
    assert (quote.text, quote.speaker.name) == ("ventetiderne skal ned", "Ida Bro")


@pytest.mark.slow
def test_model_pronoun_and_apposition(model_nlp: Language) -> None:
    text = "Hans advokat, Tine Mørk, siger, at klienten er uskyldig. »Han var der slet ikke,« siger hun."
    quotes = run(model_nlp, text)[0]
    assert [q.speaker.name for q in quotes] == ["Tine Mørk", "Tine Mørk"]


# ----- the reference article ----------------------------------------------------------------------------------


@pytest.fixture(params=["rules", "model"])
def any_nlp(request: pytest.FixtureRequest) -> Language:
    return request.getfixturevalue("rules_nlp" if request.param == "rules" else "model_nlp")


def test_reference_article(any_nlp: Language, reference_text: str) -> None:
    from kilde import analyze

    article = analyze(reference_text, nlp=any_nlp)
    direct = [q for q in article.quotes if q.kind == "direct"]
    assert len(direct) == 3
    assert all(q.text.startswith(("Rusland", "Ukrainske", "Det ukrainske")) for q in direct)
    assert {q.speaker.name for q in direct} == {"Den britiske efterretningstjeneste"}
    assert [q.cue for q in direct] == ["konstaterer", "skriver", "hedder"]
    reuters = [q for q in article.quotes if q.kind == "indirect" and q.speaker.name == "Reuters"]
    assert len(reuters) == 1 and reuters[0].speaker.type == "outlet"
    experts = [q for q in article.quotes if q.speaker.name == "flere militære eksperter"]
    assert len(experts) == 1 and experts[0].speaker.type == "unnamed"
    sources = {s.name: s for s in article.sources}
    assert sources["Den britiske efterretningstjeneste"].mentions == 3
    assert sources["Reuters"].type == "outlet"
    assert sources["flere militære eksperter"].type == "unnamed"
