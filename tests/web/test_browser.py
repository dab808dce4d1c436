"""The web UI in a real browser (Debian's chromium through Playwright): search, article, speaker, map; hostile articles stay text."""

from __future__ import annotations

from typing import Any

import pytest

from kilde.records import Article
from kilde.store.sqlite import SqliteStore

pytestmark = pytest.mark.model


def test_search_article_speaker_and_map(page: Any, live_server: str, web_corpus: tuple[SqliteStore, dict[str, Article]]) -> None:
    ferry = web_corpus[1]["ferry"]
    page.goto(live_server + "/")
    page.fill("input[name=q]", "færgerne")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("ol.hits li.hit")
    assert page.locator("ol.hits li.hit").count() == 3  # the ferry article, its wire copy, the budget article
    assert page.locator("li.hit .snippet mark").first.inner_text().lower().startswith("færge")

    page.click(f"a.title[href='/articles/{ferry.id}']")
    page.wait_for_selector("article.article")
    assert page.locator("h1.article-title").inner_text() == ferry.title
    # the text with its quotes, speakers, entities and places marked from the record's offsets
    quote = page.locator(".text .quote[data-quote='1']").first
    assert "Vi beklager over for vores passagerer" in quote.inner_text()
    assert page.locator(".text mark.ent-per", has_text="Mette Lund").count() >= 1
    assert page.locator(".text mark.place", has_text="Rønne").count() >= 1
    # the caption and its credit apart from the text
    assert page.locator(".captions .caption-text").inner_text() == "Passagerer venter i terminalen i Rønne."
    assert "Jens Hansen" in page.locator(".captions .credit").inner_text() and "Ritzau Scanpix" in page.locator(".captions .credit").inner_text()
    assert "Passagerer venter" not in page.locator("#text").inner_text()
    assert page.locator("details.removed").get_attribute("open") is None  # collapsed
    # the page's script switches the highlight layers
    page.uncheck("input[data-layer=ent]")
    assert "hide-ent" in (page.locator("body").get_attribute("class") or "")

    page.click(".said-by >> text=Mette Lund")
    page.wait_for_selector("h1.speaker-name")
    assert page.locator("h1.speaker-name").inner_text() == "Mette Lund"
    assert page.locator("ol.said > li").count() == 5
    assert page.locator("figure.chart svg rect").count() >= 2

    page.click("nav >> text=Kort")
    page.wait_for_selector("svg#map")
    assert len(page.locator("svg#map path.land").get_attribute("d") or "") > 10_000  # the shipped world outline
    names = set(page.locator("svg#map .marker-place circle").evaluate_all("els => els.map(e => e.dataset.name)"))
    assert {"Rønne", "Ystad", "Odense", "København"} <= names  # Danish labels, not GeoNames names (Copenhagen)
    assert page.locator("svg#map .marker-event rect").count() >= 1
    box = page.locator("svg#map").bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 150

    page.goto(f"{live_server}/articles/{ferry.id}")
    page.click(".story-link a")
    page.wait_for_selector("h1.story-title")
    assert page.locator("h1.story-title").inner_text() == ferry.title
    assert page.locator("table.story-articles tbody tr").count() == 3
    copy = web_corpus[1]["copy"]
    marked = page.locator("table.story-articles tr.dup")
    assert marked.count() == 1 and marked.get_attribute("data-id") == copy.id
    assert "kopi af" in marked.inner_text()
    assert page.locator(".story-speakers li").first.inner_text().startswith("Mette Lund")
    assert "Rønne" in page.locator(".story-places").inner_text()
    assert page.locator("figure.chart svg rect").count() >= 2
    marked.locator("a").first.click()
    page.wait_for_selector("p.duplicates")
    assert "Dublet af" in page.locator("p.duplicates").inner_text()
    assert page.dialogs == []


def test_hostile_article_shows_its_markup_as_text(page: Any, live_server: str, web_corpus: tuple[SqliteStore, dict[str, Article]]) -> None:
    xss = web_corpus[1]["xss"]
    blocked: list[str] = []
    page.on("console", lambda message: blocked.append(message.text) if message.type == "error" else None)
    page.goto(f"{live_server}/articles/{xss.id}")
    page.wait_for_selector("article.article")
    assert page.locator("h1.article-title").inner_text() == xss.title
    assert "<script>window.__kilde_xss = 'text'</script>" in page.locator("#text").inner_text()
    assert "<script>window.__kilde_xss='quote'</script>" in page.locator(".text .quote").last.inner_text()
    assert "<script>window.__kilde_xss='caption'</script>" in page.locator(".captions .caption-text").inner_text()
    page.goto(f"{live_server}/?q=angreb")
    page.wait_for_selector("ol.hits")
    assert page.locator("a.title").first.inner_text() == xss.title
    page.goto(f"{live_server}/speakers/Anne%20Holm")
    assert "<script>" in page.locator("ol.said q").first.inner_text()
    assert page.evaluate("typeof window.__kilde_xss") == "undefined"
    assert page.locator("script").count() == 1  # ours, /static/kilde.js
    assert page.locator("article img, ol img, main img").count() == 0
    assert page.dialogs == [] and blocked == []
