"""HTML pages: main text and metadata via trafilatura, captions from ``<figcaption>``."""

from __future__ import annotations

import warnings

import trafilatura
from lxml import html as lxml_html

from kilde.errors import NoArticleError
from kilde.read.document import BlockHint, RawDocument, join_blocks

_HEAD_HINTS: dict[str, BlockHint] = {"h1": "headline"}
_CAPTION_XPATH = "//figcaption | //*[contains(concat(' ', normalize-space(@class), ' '), ' caption ')]"


def _captions(markup: str) -> list[str]:
    try:
        tree = lxml_html.fromstring(markup)
    except (ValueError, lxml_html.etree.ParserError):
        return []
    seen: list[str] = []
    for node in tree.xpath(_CAPTION_XPATH):
        text = " ".join(node.text_content().split())
        if text and text not in seen:
            seen.append(text)
    return seen


def read_html(markup: str, *, where: str, **metadata: str | int | None) -> RawDocument:
    """Extract the article of an HTML page, with paragraph kinds and captions as hints."""
    with warnings.catch_warnings():
        # trafilatura/lxml emit FutureWarnings about element truth-testing on some pages.
        warnings.simplefilter("ignore", FutureWarning)
        extracted = trafilatura.bare_extraction(markup, with_metadata=True, include_images=True, include_comments=False)
    if isinstance(extracted, dict):  # only with as_dict=True, which is not used; narrows the type
        raise TypeError("trafilatura returned a dict")
    if extracted is None or extracted.body is None or not extracted.text or not extracted.text.strip():
        raise NoArticleError(where, "HTML without article text (trafilatura found no main content)")

    parts: list[tuple[str, BlockHint | None]] = []
    for element in extracted.body.iterchildren():
        text = " ".join(element.itertext()).strip()
        if not text:
            continue
        if element.tag == "head":
            hint: BlockHint = _HEAD_HINTS.get(element.get("rend", ""), "subheading")
        elif element.tag == "p" and "lead" in (element.get("class") or ""):
            hint = "lead"
        elif element.tag == "graphic":
            continue
        else:
            hint = "body"
        parts.append((text, hint))
    if not any(hint != "headline" for _, hint in parts):
        raise NoArticleError(where, "HTML without article text (trafilatura found no main content)")
    parts.extend((caption, "caption") for caption in _captions(markup))
    text, blocks = join_blocks(parts)

    def meta(key: str) -> str | None:
        value = metadata.get(key)
        return str(value) if value is not None else None

    return RawDocument(
        text=text,
        format=str(metadata.get("format") or "html"),
        blocks=blocks,
        html=markup,
        path=meta("path"),
        url=meta("url") or extracted.url,
        title=meta("title") or extracted.title,
        published=meta("published") or extracted.date,
        outlet=meta("outlet") or extracted.sitename,
        byline=meta("byline") or extracted.author,
        index=metadata.get("index"),  # type: ignore[arg-type]
    )
