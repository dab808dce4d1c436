"""The pages as HTML (no browser): every page renders, article text is escaped everywhere, errors are pages for browsers."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kilde.api import create_app
from kilde.records import Article
from kilde.store.sqlite import SqliteStore
from kilde.web.render import article_blocks, snippet_pieces
from tests.api.corpus import STORY_ID

pytestmark = pytest.mark.model

HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def client(web_corpus: tuple[SqliteStore, dict[str, Article]]) -> Iterator[TestClient]:
    with TestClient(create_app(store=web_corpus[0])) as c:
        yield c


def page(client: TestClient, url: str, status: int = 200) -> str:
    response = client.get(url, headers=HTML)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def test_every_page_renders(client: TestClient, web_corpus: tuple[SqliteStore, dict[str, Article]]) -> None:
    records = web_corpus[1]
    for url in ("/", "/?q=færge", "/?outlet=Fyns+Avis", "/speakers", "/speakers?type=person", "/speakers/Mette%20Lund", "/map", "/map?world=1",
                "/timeline", "/timeline?event=PROTEST", "/stories", f"/stories/{STORY_ID}", *(f"/articles/{a.id}" for a in records.values())):  # fmt: skip
        assert "<main>" in page(client, url)


def test_no_article_text_is_markup_on_any_page(client: TestClient, web_corpus: tuple[SqliteStore, dict[str, Article]]) -> None:
    xss = web_corpus[1]["xss"]
    for url in (f"/articles/{xss.id}", "/?q=angreb", "/", "/speakers/Anne%20Holm", "/speakers", "/map", "/timeline"):
        html = page(client, url)
        scripts = re.findall(r"<script\b[^>]*>", html)
        assert scripts == ['<script src="/static/kilde.js" defer>'], url
        assert "<img" not in html and "onerror=" not in html.replace("onerror=&#34;", "").replace("onerror=&quot;", ""), url
        assert "<i>Hackerbladet</i>" not in html, url
        assert 'href="javascript:' not in html.lower(), url
    article = page(client, f"/articles/{xss.id}")
    assert '<h1 class="article-title">&lt;script&gt;window.__kilde_xss = &#34;title&#34;&lt;/script&gt;Angreb &lt;img src=x' in article


def test_the_article_page_marks_quotes_speakers_and_places(client: TestClient, web_corpus: tuple[SqliteStore, dict[str, Article]]) -> None:
    html = page(client, f"/articles/{web_corpus[1]['ferry'].id}")
    assert re.search(r'<span class="quote quote-direct" data-quote="1"[^>]*>Vi beklager', html)
    assert '<a class="said-by" href="/speakers/Mette%20Lund"' in html
    assert re.search(r'<mark class="[^"]*place[^"]*" title="sted: Rønne', html)
    assert '<span class="credit">Foto: Jens Hansen / Ritzau Scanpix</span>' in html
    assert '<details class="removed"><summary>Fjernet ved rensning (1)</summary>' in html


def test_errors_are_pages_for_browsers_and_json_for_the_api(client: TestClient) -> None:
    html = page(client, "/articles/nope", status=404)
    assert "no article with id &#39;nope&#39;" in html
    assert page(client, "/no/such/page", status=404)
    assert client.get("/api/articles/nope", headers=HTML).json()["error"]["code"] == "not_found"
    assert client.get("/articles/nope").json()["error"]["status"] == 404  # a client that does not ask for HTML
    assert "YYYY-MM-DD" in page(client, "/?from=igår", status=400)
    assert page(client, "/speakers/Ingen%20Sådan", status=404)
    assert page(client, "/stories/nope", status=404)


def test_the_map_draws_every_place(client: TestClient, web_corpus: tuple[SqliteStore, dict[str, Article]]) -> None:
    html = page(client, "/map")
    drawn = set(re.findall(r'<circle [^>]*data-name="([^"]+)"', html))
    stored = {p.label or p.name for a in web_corpus[1].values() for p in a.places}  # drawn under their Danish labels
    assert drawn == stored
    assert 'class="marker marker-event"' in html
    narrowed = page(client, "/map?place=Rønne")
    assert set(re.findall(r'<circle [^>]*data-name="([^"]+)"', narrowed)) == {"Bornholm", "Ystad", "Rønne"}


def test_article_blocks_cover_the_text_exactly(web_corpus: tuple[SqliteStore, dict[str, Article]]) -> None:
    for article in web_corpus[1].values():
        for block, paragraph in zip(article_blocks(article), article.paragraphs, strict=True):
            assert "".join(p.text for run in block.runs for p in run.pieces) == article.text[paragraph.start : paragraph.end]
            for run in block.runs:
                if run.quote is not None:
                    quote = article.quotes[run.quote.index]
                    assert "".join(p.text for p in run.pieces) in quote.text


def test_snippet_pieces() -> None:
    assert snippet_pieces("Færgerne sejler ikke", [(0, 8)]) == [("Færgerne", True), (" sejler ikke", False)]
    assert snippet_pieces("abc", [(1, 2), (0, 3)]) == [("abc", True)]  # overlapping highlights: the first one wins, nothing doubled
    assert snippet_pieces("abc", [(2, 9)]) == [("abc", False)]  # out of range is ignored


def test_day_bars_fill_gaps_and_share_a_span() -> None:
    from kilde.store.reads import TimelinePoint
    from kilde.web.pages import bars

    chart = bars([TimelinePoint(day="2024-03-01", count=2), TimelinePoint(day="2024-03-04", count=1)], span=["2024-02-28"])
    assert [b.day for b in chart.bars] == ["2024-02-28", "2024-02-29", "2024-03-01", "2024-03-02", "2024-03-03", "2024-03-04"]
    assert [b.count for b in chart.bars] == [0, 0, 2, 0, 0, 1]
    assert chart.top == 2 and chart.bars[2].h == chart.height and chart.bars[5].h == chart.height / 2
    assert bars([]).bars == []
