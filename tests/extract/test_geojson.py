"""GeoJSON export of places and events."""

from __future__ import annotations

import json

from spacy.language import Language

from kilde import analyze
from kilde.extract.geojson import to_geojson
from kilde.records import Event, Span

TEXT = "Stormen ramte Esbjerg i nat.\n\nI Aarhus og i Esbjerg blev veje lukket, og danske beredskaber rykkede ud."


def test_places_and_events_are_point_features(rules_nlp: Language) -> None:
    article = analyze(TEXT, nlp=rules_nlp, published="2023-03-22")
    esbjerg = next(p for p in article.places if p.name == "Esbjerg")
    storm = Event(type="DISASTER", trigger="Stormen", trigger_start=0, place="Esbjerg", place_geonameid=esbjerg.geonameid, sentence=Span(start=0, end=28))
    unplaced = Event(type="CONSULT", trigger="møde", sentence=Span(start=0, end=28))
    article = article.model_copy(update={"events": [storm, unplaced]})

    collection = to_geojson([article])
    json.dumps(collection)  # plain JSON data
    assert collection["type"] == "FeatureCollection"
    kinds = [f["properties"]["kind"] for f in collection["features"]]
    assert kinds.count("place") == len(article.places) and kinds.count("event") == 1
    for feature in collection["features"]:
        assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert feature["properties"]["article_id"] == article.id
    event = next(f for f in collection["features"] if f["properties"]["kind"] == "event")
    assert event["geometry"]["coordinates"] == [round(esbjerg.lon, 5), round(esbjerg.lat, 5)]
    assert event["properties"]["type"] == "DISASTER" and event["properties"]["sentence"] == "Stormen ramte Esbjerg i nat."
    denmark = next(f for f in collection["features"] if f["properties"].get("name") == "Denmark")
    assert denmark["properties"]["demonym_mentions"] == 1


def test_unlocated_events_on_request(rules_nlp: Language) -> None:
    article = analyze("Ministrene holdt møde i går.", nlp=rules_nlp)
    article = article.model_copy(update={"events": [Event(type="CONSULT", trigger="møde", sentence=Span(start=0, end=28))]})
    assert to_geojson([article])["features"] == []
    (feature,) = to_geojson([article], unlocated=True)["features"]
    assert feature["geometry"] is None and feature["properties"]["type"] == "CONSULT"


def test_empty() -> None:
    assert to_geojson([]) == {"type": "FeatureCollection", "features": []}
