"""The REST API over a small store of our own articles: every endpoint, the error shape, limits, auth, OpenAPI."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kilde.api import create_app
from kilde.records import Article
from kilde.store.sqlite import SqliteStore
from tests.api.conftest import TOKEN
from tests.api.corpus import FERRY

pytestmark = pytest.mark.model

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def error_of(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The response is an error in the one shape, with this status (and code)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert {"code", "message", "status"} <= set(error) <= {"code", "message", "status", "details"}
    assert error["status"] == status and error["message"]
    if code is not None:
        assert error["code"] == code
    return error


# -- articles ---------------------------------------------------------------------------------


def test_an_article_is_returned_exactly_as_stored(client: TestClient, records: dict[str, Article]) -> None:
    ferry = records["ferry"]
    response = client.get(f"/api/articles/{ferry.id}")
    assert response.status_code == 200
    assert response.json() == ferry.to_dict()
    assert Article.model_validate(response.json()) == ferry


def test_an_unknown_article_is_a_404_in_the_error_shape(client: TestClient) -> None:
    error = error_of(client.get("/api/articles/does-not-exist"), 404, "not_found")
    assert "does-not-exist" in error["message"]


def test_unknown_routes_and_methods_answer_in_the_error_shape(client: TestClient) -> None:
    assert "/api/nothing/here" in error_of(client.get("/api/nothing/here"), 404, "not_found")["message"]
    error_of(client.delete("/api/search"), 405, "method_not_allowed")
    error_of(client.get("/docs"), 404)  # off: Swagger UI would load its JavaScript from a CDN


# -- search -----------------------------------------------------------------------------------


def test_search_ranks_and_highlights_the_matched_words(client: TestClient, records: dict[str, Article]) -> None:
    body = client.get("/api/search", params={"q": "færge"}).json()
    assert body["total"] == 2 and body["query"] == "færge"
    assert {h["id"] for h in body["hits"]} == {records["ferry"].id, records["budget"].id}
    assert body["hits"][0]["id"] == records["ferry"].id  # the article about ferries ranks above the one that mentions them once
    for hit in body["hits"]:
        words = [hit["snippet"][s:e].casefold() for s, e in hit["highlights"]]
        assert words and all(w.startswith("færge") for w in words)


def test_search_filters_and_paging(client: TestClient, records: dict[str, Article]) -> None:
    listed = client.get("/api/search", params={"outlet": "Dagbladet Øst"}).json()
    assert [h["id"] for h in listed["hits"]] == [records["protest"].id, records["ferry"].id]  # empty query: newest first
    dated = client.get("/api/search", params={"from": "2024-03-02", "to": "2024-03-09"}).json()
    assert {h["id"] for h in dated["hits"]} == {records["budget"].id, records["protest"].id}
    spoken = client.get("/api/search", params={"speaker": "Lund"}).json()
    assert {h["id"] for h in spoken["hits"]} == {records["ferry"].id, records["budget"].id}
    assert client.get("/api/search", params={"place": "Rønne"}).json()["total"] == 1
    assert client.get("/api/search", params={"event": "PROTEST"}).json()["hits"][0]["id"] == records["protest"].id
    page = client.get("/api/search", params={"limit": 1, "offset": 1}).json()
    assert page["total"] == 4 and page["offset"] == 1 and page["limit"] == 1 and len(page["hits"]) == 1


def test_bad_filters_and_parameters_are_errors_in_the_shape(client: TestClient) -> None:
    assert "YYYY-MM-DD" in error_of(client.get("/api/search", params={"from": "last week"}), 400, "bad_request")["message"]
    error = error_of(client.get("/api/search", params={"limit": 0}), 422, "invalid")
    assert error["details"][0]["loc"] == ["query", "limit"]
    error_of(client.get("/api/search", params={"limit": "many"}), 422, "invalid")
    error_of(client.get("/api/quotes", params={"kind": "shouted"}), 422, "invalid")


# -- who said what ----------------------------------------------------------------------------


def test_quotes_by_speaker_and_by_words(client: TestClient, records: dict[str, Article]) -> None:
    body = client.get("/api/quotes", params={"speaker": "Mette Lund"}).json()
    assert body["total"] == 3
    assert {q["speaker"] for q in body["items"]} == {"Mette Lund"}
    assert body["items"][0]["article_id"] == records["budget"].id  # newest article first
    for q in body["items"]:
        article = records["budget"] if q["article_id"] == records["budget"].id else records["ferry"]
        assert article.text[q["start"] : q["end"]] == q["text"]
    found = client.get("/api/quotes", params={"q": "SIKKERHEDEN"}).json()
    assert found["total"] == 1 and "sikkerheden går forud" in found["items"][0]["text"]
    direct = client.get("/api/quotes", params={"kind": "direct", "speaker": "Mette Lund"}).json()
    assert direct["total"] == 1


def test_speakers_are_listed_most_quoted_first(client: TestClient) -> None:
    body = client.get("/api/speakers").json()
    first = body["items"][0]
    assert first == {"name": "Mette Lund", "type": "person", "quotes": 3, "articles": 2, "first": "2024-03-01", "last": "2024-03-04"}
    people = client.get("/api/speakers", params={"type": "person"}).json()["items"]
    assert people and all(s["type"] == "person" for s in people)


def test_a_speaker_has_quotes_and_counts_over_time(client: TestClient) -> None:
    body = client.get("/api/speakers/Mette Lund").json()
    assert body["name"] == "Mette Lund" and body["type"] == "person"
    assert body["quotes"] == 3 and body["articles"] == 2
    assert body["timeline"] == [{"day": "2024-03-01", "count": 2}, {"day": "2024-03-04", "count": 1}]
    assert len(body["items"]) == 3
    error_of(client.get("/api/speakers/Ingen Sådan Person"), 404, "not_found")


def test_sources_are_counted_per_article(client: TestClient) -> None:
    items = client.get("/api/sources").json()["items"]
    lund = next(s for s in items if s["name"] == "Mette Lund")
    assert lund["articles"] == 2 and lund["type"] == "person"


# -- places and events --------------------------------------------------------------------------


def test_places_are_a_geojson_feature_collection(client: TestClient) -> None:
    body = client.get("/api/places").json()
    assert body["type"] == "FeatureCollection"
    by_name = {f["properties"]["name"]: f for f in body["features"]}
    ronne = by_name["Rønne"]
    assert ronne["type"] == "Feature" and ronne["geometry"]["type"] == "Point"
    lon, lat = ronne["geometry"]["coordinates"]
    assert 14.5 < lon < 15.0 and 55.0 < lat < 55.2  # [lon, lat], as RFC 7946 has it
    assert ronne["properties"]["articles"] == 1
    only_ferry = client.get("/api/places", params={"outlet": "Fyns Avis"}).json()
    assert {f["properties"]["name"] for f in only_ferry["features"]} == {"Odense"}


def test_events_as_json_and_as_geojson(client: TestClient, records: dict[str, Article]) -> None:
    body = client.get("/api/events").json()
    protest = next(e for e in body["items"] if e["type"] == "PROTEST")
    assert protest["article_id"] == records["protest"].id and protest["place"] == "Copenhagen"
    assert "demonstrerede" in protest["sentence"]
    geo = client.get("/api/events", params={"format": "geojson"}).json()
    assert geo["type"] == "FeatureCollection"
    assert geo["features"] and all(f["geometry"]["type"] == "Point" for f in geo["features"])  # only the located ones
    assert len(geo["features"]) < body["total"]
    assert {e["type"] for e in client.get("/api/events", params={"type": "PROTEST"}).json()["items"]} == {"PROTEST"}
    error_of(client.get("/api/events", params={"format": "kml"}), 422, "invalid")


def test_timeline_and_outlets(client: TestClient) -> None:
    assert client.get("/api/timeline").json() == [{"day": d, "count": 1} for d in ("2024-03-01", "2024-03-04", "2024-03-09", "2024-03-10")]
    assert client.get("/api/outlets").json()[0] == ["Dagbladet Øst", 2]


# -- analyze and store ------------------------------------------------------------------------


def test_analyze_plain_text_returns_the_record_and_stores_nothing(writable: tuple[TestClient, SqliteStore]) -> None:
    client, store = writable
    before = store.count()
    response = client.post("/api/analyze", content=FERRY.replace("Rønne", "Nexø").encode(), headers={"content-type": "text/plain; charset=utf-8"})
    assert response.status_code == 200, response.text
    record = Article.model_validate(response.json())
    assert record.title == "Storm lukker færgerne til Bornholm"
    assert any(q.speaker.name == "Mette Lund" for q in record.quotes)
    assert store.count() == before and store.get(record.id) is None


def test_analyze_while_the_pipeline_is_busy_is_503_busy_not_a_held_thread(writable: tuple[TestClient, SqliteStore], monkeypatch: pytest.MonkeyPatch) -> None:
    import kilde.api.analysis

    client, _ = writable
    monkeypatch.setattr(kilde.api.analysis, "ANALYZE_WAIT_SECONDS", 0.05)
    lock = client.app.state.kilde.analyze_lock  # type: ignore[attr-defined]
    with lock:  # another request is analysing
        response = client.post("/api/analyze", content=FERRY.encode(), headers={"content-type": "text/plain; charset=utf-8"})
    assert response.status_code == 503 and response.headers["retry-after"] == "5"
    assert response.json()["error"]["code"] == "busy"
    assert client.post("/api/analyze", content=FERRY.encode(), headers={"content-type": "text/plain; charset=utf-8"}).status_code == 200


def test_analyze_json_keeps_the_metadata(writable: tuple[TestClient, SqliteStore]) -> None:
    client, _ = writable
    payload = {"text": FERRY, "url": "https://example.dk/x", "published": "2024-05-01", "outlet": "Testavisen", "title": "En anden titel"}
    record = client.post("/api/analyze", json=payload).json()
    assert record["source"]["url"] == "https://example.dk/x" and record["source"]["outlet"] == "Testavisen"
    assert record["published"] == "2024-05-01"
    html = "<html><body><article><h1>Færger aflyst</h1><p>Færgerne sejler ikke, oplyser rederiet Bornholmslinjen i dag.</p></article></body></html>"
    from_html = client.post("/api/analyze", json={"html": html}).json()
    assert from_html["source"]["format"] == "html" and "Færgerne sejler ikke" in from_html["text"]
    raw_html = client.post("/api/analyze", content=html.encode(), headers={"content-type": "text/html; charset=utf-8"}).json()
    assert raw_html["text"] == from_html["text"] and raw_html["title"] == "Færger aflyst"


def test_analyze_rejects_bad_bodies_in_the_error_shape(writable: tuple[TestClient, SqliteStore]) -> None:
    client, _ = writable
    error_of(client.post("/api/analyze", content=b"   ", headers={"content-type": "text/plain"}), 422, "invalid")
    assert "JSON" in error_of(client.post("/api/analyze", content=b"{not json", headers={"content-type": "application/json"}), 422)["message"]
    assert "'foo'" in error_of(client.post("/api/analyze", json={"text": "Hej", "foo": 1}), 422)["message"]
    error_of(client.post("/api/analyze", json={"title": "only a title"}), 422, "invalid")
    error_of(client.post("/api/analyze", json=[{"text": "a"}]), 422, "invalid")
    error_of(client.post("/api/analyze", content=b"\xff\xfe", headers={"content-type": "text/plain"}), 422, "invalid")
    error_of(client.post("/api/analyze", content=b"x", headers={"content-type": "image/png"}), 415, "unsupported_media_type")


def test_analyze_stores_only_with_the_token(writable: tuple[TestClient, SqliteStore]) -> None:
    client, store = writable
    text = FERRY.replace("Rønne", "Allinge")
    headers = {"content-type": "text/plain"}
    error = error_of(client.post("/api/analyze?store=true", content=text.encode(), headers=headers), 401, "unauthorized")
    assert "Bearer" in error["message"]
    error_of(client.post("/api/analyze?store=true", content=text.encode(), headers={**headers, "Authorization": "Bearer nope"}), 403, "forbidden")
    error_of(client.post("/api/analyze?store=true", content=text.encode(), headers={**headers, "Authorization": TOKEN}), 401)  # no scheme
    before = store.count()
    response = client.post("/api/analyze?store=true", content=text.encode(), headers={**headers, **AUTH})
    assert response.status_code == 200 and response.headers["x-kilde-stored"] == "new"
    assert store.count() == before + 1 and store.get(response.json()["id"]) is not None
    again = client.post("/api/analyze?store=true", content=text.encode(), headers={**headers, **AUTH})
    assert again.headers["x-kilde-stored"] == "already-stored" and store.count() == before + 1


def test_a_server_without_a_token_is_read_only(client: TestClient, corpus: tuple[SqliteStore, dict[str, Article]]) -> None:
    before = corpus[0].count()
    error = error_of(client.post("/api/articles", json={"text": FERRY}, headers=AUTH), 403, "read_only")
    assert "--token" in error["message"]
    error_of(client.post("/api/analyze?store=true", json={"text": FERRY}, headers=AUTH), 403, "read_only")
    assert client.post("/api/analyze", json={"text": FERRY}).status_code == 200  # analysing without storing is a read
    assert corpus[0].count() == before


def test_post_articles_stores_texts_and_records(writable: tuple[TestClient, SqliteStore], records: dict[str, Article]) -> None:
    client, store = writable
    error_of(client.post("/api/articles", json={"text": FERRY}), 401, "unauthorized")
    before = store.count()
    new_text = FERRY.replace("Rønne", "Svaneke")
    body = client.post("/api/articles", json=[{"text": new_text, "outlet": "Testavisen"}, records["ferry"].to_dict(), {"html": 3}], headers=AUTH).json()
    assert body["inserted"] == 1 and body["skipped"] == 1  # the ferry record is stored already
    assert body["ids"][1] == records["ferry"].id
    assert [r["index"] for r in body["rejected"]] == [2]
    assert store.count() == before + 1
    # a record is stored exactly as sent, into another store
    other = SqliteStore(":memory:")
    with TestClient(create_app(store=other, token=TOKEN, web=False)) as c:
        assert c.post("/api/articles", json=records["budget"].to_dict(), headers=AUTH).json()["inserted"] == 1
    assert other.get(records["budget"].id) == records["budget"]
    other.close()


def test_post_articles_with_nothing_storable_is_422_with_the_reasons(writable: tuple[TestClient, SqliteStore]) -> None:
    client, store = writable
    before = store.count()
    bad_record = {"id": "x", "content_hash": "y", "text": "t"}  # a record without its required fields
    error = error_of(client.post("/api/articles", json=[bad_record, {"text": "  "}], headers=AUTH), 422, "invalid")
    assert "not a valid article record" in error["message"] and "[item 1]" in error["message"]
    assert store.count() == before


# -- limits -----------------------------------------------------------------------------------


def test_bodies_over_the_limit_are_413(writable: tuple[TestClient, SqliteStore]) -> None:
    client, store = writable
    before = store.count()
    big = ("Færgerne sejler ikke. " * 4000).encode()  # 88 kB over a 64 kB limit
    error = error_of(client.post("/api/articles", content=big, headers={"content-type": "text/plain", **AUTH}), 413, "too_large")
    assert "65,536" in error["message"]
    error_of(client.post("/api/analyze", content=big, headers={"content-type": "text/plain"}), 413, "too_large")
    # without a Content-Length (chunked), counted as it arrives
    error_of(client.post("/api/analyze", content=iter([big[:40_000], big[40_000:]]), headers={"content-type": "text/plain"}), 413, "too_large")
    assert store.count() == before


# -- the document and the headers ---------------------------------------------------------------


def test_openapi_documents_every_endpoint_with_typed_responses(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.") and spec["info"]["title"] == "Kilde"
    paths = spec["paths"]
    for path in ("/api/articles/{article_id}", "/api/search", "/api/quotes", "/api/speakers", "/api/speakers/{name}", "/api/sources",
                 "/api/places", "/api/events", "/api/analyze", "/api/articles"):  # fmt: skip
        assert path in paths, path
    schemas = spec["components"]["schemas"]
    for name in ("Article", "SearchOut", "HitOut", "QuotePage", "SpeakerDetail", "FeatureCollection", "ErrorResponse", "StoreResult", "AnalyzeRequest"):
        assert name in schemas, name
    ok = paths["/api/search"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/SearchOut"}
    assert paths["/api/search"]["get"]["responses"]["400"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorResponse"}
    assert {"application/json", "text/plain", "text/html"} <= set(paths["/api/analyze"]["post"]["requestBody"]["content"])
    names = {p["name"] for p in paths["/api/search"]["get"]["parameters"]}
    assert {"q", "from", "to", "outlet", "speaker", "place", "entity", "event", "limit", "offset"} <= names
    # every $ref points at a schema that exists
    refs = {ref.rsplit("/", 1)[1] for ref in _refs(spec)}
    assert refs <= set(schemas)


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == "$ref" and isinstance(v, str)] + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def test_api_index_and_security_headers(client: TestClient) -> None:
    response = client.get("/api")
    body = response.json()
    assert body["openapi"] == "/openapi.json" and body["articles"] == 4 and body["writable"] is False
    assert "GET /api/search" in body["endpoints"]
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"


def test_hostile_text_comes_back_as_json_data(client: TestClient, records: dict[str, Article]) -> None:
    response = client.get(f"/api/articles/{records['xss'].id}")
    assert response.headers["content-type"] == "application/json"
    assert json.loads(response.text)["title"].startswith("<script>")  # data, for the client to escape where it shows it


def test_a_speaker_name_with_a_slash(writable: tuple[TestClient, SqliteStore], records: dict[str, Article]) -> None:
    client, _ = writable
    record = records["ferry"].to_dict()
    name = "Bornholms Trafik/Bornholmslinjen"
    record.update(id="slash-1", content_hash="0" * 64, source={**record["source"], "url": "https://example.dk/slash"})
    record["quotes"][0]["speaker"]["name"] = name
    assert client.post("/api/articles", json=record, headers=AUTH).json()["inserted"] == 1
    assert client.get(f"/api/speakers/{name}").json()["quotes"] == 1
    assert client.get("/api/speakers/Bornholms%20Trafik%2FBornholmslinjen").json()["name"] == name
    assert "/api/speakers/{name}" in client.get("/openapi.json").json()["paths"]


def test_a_free_text_article_id_is_one_path_segment_in_links_and_routes(writable: tuple[TestClient, SqliteStore], records: dict[str, Article]) -> None:
    from urllib.parse import quote

    client, _ = writable
    odd = next(iter(records.values())).model_copy(update={"id": "udland/2024 nr. 7?#x", "content_hash": "f" * 64})
    response = client.post("/api/articles", json=odd.model_dump(mode="json"), headers={"authorization": f"Bearer {TOKEN}"})
    assert response.status_code in (200, 201), response.text
    segment = quote(odd.id, safe="")
    assert client.get(f"/api/articles/{segment}").json()["id"] == odd.id
    page = client.get(f"/articles/{segment}", headers={"accept": "text/html"})
    assert page.status_code == 200 and f'href="/api/articles/{segment}"' in page.text
