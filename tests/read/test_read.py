from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from kilde.errors import (
    BinaryInputError,
    EmptyInputError,
    InputTooLargeError,
    MalformedRecordError,
    NoArticleError,
    UnsupportedInputError,
)
from kilde.read import RawDocument, from_string, read_path, sniff
from kilde.settings import Settings

GOLDEN = Path(__file__).parents[1] / "golden"
ARTICLE = "Regeringen fremlægger i dag sin plan.\n\n»Vi er klar,« siger ministeren.\n"
FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Testavisen</title>
<item><title>Første nyhed</title><link>https://example.dk/1</link><pubDate>Tue, 10 Mar 2026 08:00:00 +0100</pubDate>
<description><![CDATA[<p>Byrådet har vedtaget budgettet efter lange forhandlinger om skoler og veje i kommunen.</p>
<p>»Det er en god dag,« siger borgmesteren om aftalen, som blev indgået sent i aftes.</p>]]></description></item>
<item><title>Anden nyhed</title><link>https://example.dk/2</link><description></description></item>
</channel></rss>"""


def docs(path: Path, **kwargs) -> list[RawDocument | Exception]:
    return list(read_path(str(path), **kwargs))


def test_plain_text(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    (doc,) = docs(path)
    assert isinstance(doc, RawDocument)
    assert doc.text == ARTICLE and doc.format == "text" and doc.path == str(path)


def test_html_page_metadata_and_captions() -> None:
    (doc,) = docs(GOLDEN / "valg-aarhus.html")
    assert isinstance(doc, RawDocument)
    assert doc.title == "Ny borgmester i Aarhus efter dramatisk valgnat"
    assert doc.published == "2025-11-19"
    assert doc.byline == "Karen Mølgaard"
    assert doc.outlet == "Østjyllands Tidende"
    assert [b.hint for b in doc.blocks].count("caption") == 1
    assert "Forside" not in doc.text and "Banegårdspladsen" not in doc.text


def test_json_and_jsonl_records(tmp_path: Path) -> None:
    record = {"text": ARTICLE, "url": "https://example.dk/a", "title": "Plan", "published": "2026-03-10", "outlet": "Avisen"}
    single = tmp_path / "one.json"
    single.write_text(json.dumps(record), encoding="utf-8")
    (doc,) = docs(single)
    assert (doc.url, doc.title, doc.published, doc.outlet) == ("https://example.dk/a", "Plan", "2026-03-10", "Avisen")
    lines = tmp_path / "many.jsonl"
    html = {"html": (GOLDEN / "valg-aarhus.html").read_text(encoding="utf-8"), "url": "https://example.dk/b"}
    lines.write_text(json.dumps(record) + "\n" + json.dumps(html) + "\n" + '{"text": "afkortet', encoding="utf-8")
    first, second, third = docs(lines)
    assert isinstance(first, RawDocument) and first.index == 1
    assert isinstance(second, RawDocument) and second.html is not None and second.url == "https://example.dk/b"
    assert isinstance(third, MalformedRecordError)
    assert f"{lines}:3" in str(third) and "truncated" in str(third)


def test_json_record_without_text(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"title": "kun titel"}', encoding="utf-8")
    (error,) = docs(path)
    assert isinstance(error, MalformedRecordError) and "neither a 'text' nor an 'html'" in str(error)


def test_feed_entries(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(FEED, encoding="utf-8")
    first, second = docs(path)
    assert isinstance(first, RawDocument)
    assert first.url == "https://example.dk/1" and first.outlet == "Testavisen" and first.published == "2026-03-10T07:00:00Z"
    assert "budgettet" in first.text
    assert isinstance(second, NoArticleError) and "[entry 1]" in str(second)


def _warc(records: list[tuple[str, bytes]]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for url, body in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.0")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
    return buffer.getvalue()


# warcio's WARCWriter (used here only to build the fixture) leaves SpooledTemporaryFiles for GC to close.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_warc_responses(tmp_path: Path) -> None:
    page = (GOLDEN / "valg-aarhus.html").read_bytes()
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(_warc([("https://example.dk/valg", page), ("https://example.dk/tom", b"<html><body></body></html>")]))
    first, second = docs(path)
    assert isinstance(first, RawDocument) and first.url == "https://example.dk/valg" and first.format == "warc"
    assert isinstance(second, NoArticleError)


def test_directory_with_one_bad_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(ARTICLE, encoding="utf-8")
    results = docs(tmp_path)
    assert [type(r).__name__ for r in results] == ["RawDocument", "EmptyInputError", "RawDocument"]
    assert str(tmp_path / "b.txt") in str(results[1])


def test_glob(tmp_path: Path) -> None:
    for name in ("x1.txt", "x2.txt", "y.txt"):
        (tmp_path / name).write_text(ARTICLE, encoding="utf-8")
    assert len(docs(Path(f"{tmp_path}/x*.txt"))) == 2


@pytest.mark.parametrize(
    ("content", "error", "message"),
    [
        (b"", EmptyInputError, "empty"),
        (b"  \n\n \t", EmptyInputError, "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", BinaryInputError, "binary"),
        (b"tekst\x00med\x00nul", BinaryInputError, "binary"),
    ],
)
def test_bad_files_name_file_and_problem(tmp_path: Path, content: bytes, error: type, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    (result,) = docs(path)
    assert isinstance(result, error)
    assert str(path) in str(result) and message in str(result)


def test_cp1252_is_decoded_with_warning(tmp_path: Path) -> None:
    path = tmp_path / "gammel.txt"
    path.write_bytes("Søren Ærø så en blå bil – »flot«, sagde han.".encode("cp1252"))
    (doc,) = docs(path)
    assert isinstance(doc, RawDocument)
    assert doc.text == "Søren Ærø så en blå bil – »flot«, sagde han."
    assert doc.warnings and "cp1252" in doc.warnings[0] and str(path) in doc.warnings[0]


def test_too_large_file(tmp_path: Path) -> None:
    path = tmp_path / "stor.txt"
    path.write_bytes(b"ord " * 1000)
    (result,) = docs(path, settings=Settings(max_input_bytes=1000))
    assert isinstance(result, InputTooLargeError) and "1,000-byte limit" in str(result)


def test_missing_path() -> None:
    (result,) = list(read_path("/nonexistent/kilde/article.txt"))
    assert isinstance(result, UnsupportedInputError) and "no such file" in str(result)


def test_html_without_article(tmp_path: Path) -> None:
    path = tmp_path / "tom.html"
    path.write_text("<html><head><title>x</title></head><body><nav>Menu</nav></body></html>", encoding="utf-8")
    (result,) = docs(path)
    assert isinstance(result, NoArticleError) and str(path) in str(result)


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"WARC/1.0\r\n", "x", "warc"),
        (b'{"text": "a"}\n{"text": "b"}\n', "x", "jsonl"),
        (b'[{"text": "a"}]', "x", "json"),
        (b"<?xml version='1.0'?><rss>", "x", "feed"),
        (b"<!DOCTYPE html><html>", "x", "html"),
        (b"Almindelig tekst.", "x", "text"),
        (gzip.compress(b"x"), "crawl.warc.gz", "warc"),
        (b"x", "a.htm", "html"),
    ],
)
def test_sniff(data: bytes, name: str, expected: str) -> None:
    assert sniff(data, name) == expected


def test_from_string_detects_html() -> None:
    assert from_string("<html><body><p>Hej</p></body></html>".replace("Hej", "Hej " * 40)).format == "html"
    assert from_string("Bare tekst.").format == "text"
