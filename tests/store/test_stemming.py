from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kilde.store.query import parse_query
from kilde.store.snippets import best_snippet
from kilde.store.stemming import stem, stem_text, tokens


def test_inflected_forms_share_a_stem() -> None:
    assert stem("tilbagetrækningen") == stem("tilbagetrækning") == stem("tilbagetrækninger")
    assert stem("Regeringens") == stem("regeringen") == stem("regering")
    assert stem("Færgerne") == stem("færgen")


def test_stem_text_folds_case_drops_punctuation_keeps_danish_letters() -> None:
    assert stem_text("Tilbagetrækningen, sagde hun.") == f"{stem('tilbagetrækning')} {stem('sagde')} hun"
    assert stem_text("Ærø og Åbenrå") == "ærø og åbenrå"
    assert stem_text("Wagner-gruppen_x") == " ".join(stem(w) for w in ("wagner", "gruppen", "x"))
    assert stem_text("»…« – ") == ""


def test_tokens_point_back_into_the_text() -> None:
    text = "»Vi trækker os tilbage,« siger ministeren."
    words = list(tokens(text))
    assert [text[t.start : t.end] for t in words] == ["Vi", "trækker", "os", "tilbage", "siger", "ministeren"]
    assert words[-1].stem == stem("ministeren")


@given(st.text(max_size=200))
def test_stem_text_has_one_stem_per_token(text: str) -> None:
    assert stem_text(text).split() == [t.stem for t in tokens(text.casefold())]


def test_query_syntax() -> None:
    query = parse_query('tilbagetrækningen "danske soldater" Irak OR Afghanistan -Rusland minist*')
    assert query.fts5() == '(("tilbagetrækning") AND ("dansk soldat") AND ("irak" OR "afghanistan") AND ("minist"*)) NOT ("rusland")'
    assert query.matches(stem("tilbagetrækning")) and query.matches("ministerie") and not query.matches("rusland")


def test_odd_queries_never_leak_fts_syntax() -> None:
    for text in ["NEAR(a b)", 'a "b', "-", "OR", "a OR", "col:word", "^start", "*", '""', "-alene"]:
        query = parse_query(text)
        assert query.empty or query.fts5().count('"') % 2 == 0
    assert parse_query("-alene").empty  # an exclusion alone cannot be searched
    assert parse_query("OR").fts5() == '("or")'  # a lone OR is a word


def test_snippet_highlights_the_matched_words_in_unstemmed_text() -> None:
    text = "Regeringen udskyder planen.\n\n" + "Der er mange ord her. " * 10 + "Tilbagetrækningen af soldaterne venter til foråret."
    query = parse_query("tilbagetrækning soldat")
    snippet = best_snippet(query, text=text, quotes=[("Vi trækker soldaterne hjem.", "Anne Holm")], captions=[])
    assert snippet.field == "text" and snippet.text.startswith("… ")
    assert [snippet.text[s:e] for s, e in snippet.highlights] == ["Tilbagetrækningen", "soldaterne"]


def test_snippet_from_a_quote_or_caption_when_they_match_better() -> None:
    query = parse_query("sandsække")
    snippet = best_snippet(query, text="Vandet steg i nat.", quotes=[], captions=["Frivillige lægger sandsække ud."])
    assert snippet.field == "caption" and snippet.text == "Frivillige lægger sandsække ud."
    assert [snippet.text[s:e] for s, e in snippet.highlights] == ["sandsække"]
    said = best_snippet(parse_query("hjem"), text="Hun siger: Vi trækker soldaterne hjem.", quotes=[("Vi trækker soldaterne hjem.", "Anne Holm")], captions=[])
    assert said.field == "quote" and said.text == "Vi trækker soldaterne hjem. — Anne Holm"
    nothing = best_snippet(parse_query("xyz"), text="Første afsnit.\n\nAndet afsnit.", quotes=[], captions=[])
    assert nothing.text == "Første afsnit. ¶ Andet afsnit." and nothing.highlights == ()
