"""GET /api/stories and /api/stories/{id} over a store whose story tables hold one story with a wire copy."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from spacy.language import Language

from kilde.api import create_app
from kilde.records import Article
from tests.api.corpus import STORY_ID, build
from tests.api.test_api import error_of

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def story_client(model_nlp: Language) -> Iterator[tuple[TestClient, dict[str, Article]]]:
    store, records = build(model_nlp, stories=True)
    with TestClient(create_app(store=store, web=False)) as c:
        yield c, records
    store.close()


def test_stories_are_listed_with_their_parts(story_client: tuple[TestClient, dict[str, Article]]) -> None:
    client, records = story_client
    body = client.get("/api/stories").json()
    assert body["total"] == 1 and body["offset"] == 0
    story = body["items"][0]
    assert story["id"] == STORY_ID and story["size"] == 3
    assert story["first"] == "2024-03-01" and story["last"] == "2024-03-04"
    assert story["timeline"] == [{"day": "2024-03-01", "count": 2}, {"day": "2024-03-04", "count": 1}]
    assert story["speakers"][0] == {"name": "Mette Lund", "quotes": 5}
    assert set(story["outlets"]) == {"Dagbladet Øst", "Vestkysten Nu", "Fyns Avis"}
    copies = {a["id"]: a["duplicate_of"] for a in story["articles"]}
    assert copies == {records["ferry"].id: None, records["copy"].id: records["ferry"].id, records["budget"].id: None}


def test_stories_follow_the_article_filters(story_client: tuple[TestClient, dict[str, Article]]) -> None:
    client, _ = story_client
    assert client.get("/api/stories", params={"outlet": "Fyns Avis"}).json()["total"] == 1
    assert client.get("/api/stories", params={"place": "Copenhagen"}).json()["total"] == 0
    error_of(client.get("/api/stories", params={"to": "soon"}), 400, "bad_request")


def test_one_story_and_an_unknown_one(story_client: tuple[TestClient, dict[str, Article]]) -> None:
    client, _ = story_client
    assert client.get(f"/api/stories/{STORY_ID}").json()["title"] == "Storm lukker færgerne til Bornholm"
    error_of(client.get("/api/stories/nope"), 404, "not_found")


def test_stories_built_by_the_stories_stage_are_served(model_nlp: Language) -> None:
    from kilde.pipeline import analyze
    from kilde.stories.build import build_stories
    from tests.api.corpus import FERRY_COPY

    store, records = build(model_nlp)
    copy = analyze(FERRY_COPY, nlp=model_nlp, url="https://example.dk/wire/ferry", published="2024-03-01T15:00", outlet="Vestkysten Nu")
    store.add(copy)
    build_stories(store)
    with TestClient(create_app(store=store, web=False)) as client:
        stories = client.get("/api/stories", params={"limit": 100}).json()["items"]
        ferry_story = next(s for s in stories if any(a["id"] == records["ferry"].id for a in s["articles"]))
        marks = {a["id"]: a["duplicate_of"] for a in ferry_story["articles"]}
        assert marks[copy.id] == records["ferry"].id and marks[records["ferry"].id] is None
        assert client.get(f"/api/stories/{ferry_story['id']}").json()["size"] == ferry_story["size"]
    store.close()
