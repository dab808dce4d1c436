from __future__ import annotations

import pytest

import kilde
from kilde.errors import EmptyInputError, NoArticleError
from kilde.records import Article, Rejection

TEXT = "Regeringen fremlægger plan\n\nStatsministeren siger, at planen koster 2,5 mia. kr.\n\n»Vi er klar,« siger hun. Det sker bl.a. i København.\n"


def test_analyze_plain_text(rules_nlp) -> None:
    article = kilde.analyze(TEXT, nlp=rules_nlp, url="https://example.dk/plan", outlet="Avisen", published="2026-03-10")
    assert article.title == "Regeringen fremlægger plan"
    assert article.source.url == "https://example.dk/plan" and article.source.outlet == "Avisen"
    assert article.published == "2026-03-10"
    assert article.language == "da"
    assert [article.text[s.start : s.end] for s in article.sentences] == [
        "Regeringen fremlægger plan",
        "Statsministeren siger, at planen koster 2,5 mia. kr.",
        "»Vi er klar,« siger hun.",
        "Det sker bl.a. i København.",
    ]


def test_sentence_spans_map_back_to_raw(rules_nlp) -> None:
    article = kilde.analyze(TEXT, nlp=rules_nlp)
    for sentence in article.sentences:
        start, end = article.raw_span(sentence.start, sentence.end)
        assert article.raw[start:end] == article.text[sentence.start : sentence.end]


def test_id_is_stable_and_depends_on_url(rules_nlp) -> None:
    a = kilde.analyze(TEXT, nlp=rules_nlp)
    b = kilde.analyze(TEXT, nlp=rules_nlp)
    c = kilde.analyze(TEXT, nlp=rules_nlp, url="https://example.dk/andet")
    assert a.id == b.id != c.id
    assert a.content_hash == c.content_hash


def test_analyze_html(rules_nlp) -> None:
    paragraph = "<p>Et afsnit om byrådets beslutning i går aftes, som vakte debat.</p>"
    html = "<html><head><title>Titel</title></head><body><article><h1>Titel</h1>" + paragraph * 3 + "</article></body></html>"
    article = kilde.analyze(html, nlp=rules_nlp)
    assert article.source.format == "html" and article.raw_html == html
    assert article.paragraphs[0].kind == "headline"


def test_non_danish_is_processed_and_flagged(rules_nlp) -> None:
    article = kilde.analyze("The government said on Tuesday that the plan would cost more than expected.", nlp=rules_nlp)
    assert article.language == "en"
    assert any("not Danish" in w for w in article.warnings)
    assert article.sentences


def test_empty_and_furniture_only_inputs_raise(rules_nlp) -> None:
    with pytest.raises(EmptyInputError):
        kilde.analyze("   \n ", nlp=rules_nlp)
    with pytest.raises(NoArticleError, match="only captions"):
        kilde.analyze("Vis mere\n\nDel artiklen", nlp=rules_nlp)


def test_analyze_many_keeps_order_and_rejects_bad_items(rules_nlp) -> None:
    items = ["Første artikel.", {"title": "uden tekst"}, {"text": "Anden artikel.", "url": "https://x.dk"}, ""]
    results = list(kilde.analyze_many(items, nlp=rules_nlp))
    assert [type(r) for r in results] == [Article, Rejection, Article, Rejection]
    assert results[2].source.url == "https://x.dk"  # type: ignore[union-attr]
    assert "neither a 'text' nor an 'html'" in results[1].message  # type: ignore[union-attr]


def test_skip_is_asked_after_cleaning_with_the_content_hash_and_leaves_the_document_out(rules_nlp, monkeypatch) -> None:
    import hashlib

    import kilde.pipeline as pipeline
    from kilde.read import from_string

    cleanings = []
    real_clean = pipeline.clean
    monkeypatch.setattr(pipeline, "clean", lambda doc: cleanings.append(doc) or real_clean(doc))
    docs = [from_string(f"Nyhed nummer {n}.\n\nDen handler om havnen i Esbjerg.", url=f"https://example.dk/{n}") for n in range(3)]
    asked = []

    def skip(doc, digest):
        asked.append((doc.url, digest))
        return doc.url.endswith("/1")

    results = list(pipeline.analyze_documents(docs, nlp=rules_nlp, skip=skip))
    assert [r.source.url for r in results] == ["https://example.dk/0", "https://example.dk/2"]
    assert len(cleanings) == 3  # once each: the hash the skip sees is the record's
    assert asked[0][1] == hashlib.sha256(results[0].text.encode()).hexdigest() == results[0].content_hash


def test_the_public_api_opens_a_corpus(rules_nlp, tmp_path) -> None:
    article = kilde.analyze(TEXT, nlp=rules_nlp, url="https://example.dk/plan", outlet="Avisen")
    with kilde.open_corpus(tmp_path / "corpus.db") as corpus:
        assert corpus.add(article)
        results = corpus.search("planerne", filters=kilde.Filters(outlet="Avisen"))
    assert [hit.id for hit in results.hits] == [article.id]
    assert set(kilde.__all__) >= {"analyze", "analyze_many", "open_corpus", "load_pipeline", "Filters", "StoreError"}
