"""GeoJSON export: the places and events of article records as one FeatureCollection (RFC 7946).

Reads only the record (no spaCy), so it works on stored articles too. Every feature is a Point at
``[lon, lat]`` with ``properties.kind`` = ``"place"`` or ``"event"`` and the article's id, title and
publication date; an event sits at the place it is linked to. Events without a place have no coordinates:
they are left out unless ``unlocated=True``, which gives them ``"geometry": null`` as RFC 7946 allows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kilde.records import Article, Place

__all__ = ["to_geojson"]


def _point(place: Place) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [round(place.lon, 5), round(place.lat, 5)]}


def _article_properties(article: Article) -> dict[str, Any]:
    return {"article_id": article.id, "title": article.title, "published": article.published, "url": article.source.url}


def to_geojson(articles: Iterable[Article], *, unlocated: bool = False) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the articles' places and events."""
    features: list[dict[str, Any]] = []
    for article in articles:
        common = _article_properties(article)
        by_name = {p.name: p for p in article.places}
        for place in article.places:
            features.append(
                {
                    "type": "Feature",
                    "geometry": _point(place),
                    "properties": {
                        **common,
                        "kind": "place",
                        "name": place.name,
                        "label": place.label or place.name,
                        "geonameid": place.geonameid,
                        "country": place.country,
                        "feature": place.feature,
                        "score": place.score,
                        "mentions": len(place.mentions),
                        "mention_texts": sorted({m.text for m in place.mentions}),
                        "demonym_mentions": sum(1 for m in place.mentions if m.demonym),
                    },
                }
            )
        for event in article.events:
            at = by_name.get(event.place) if event.place else None
            if at is None and not unlocated:
                continue
            features.append(
                {
                    "type": "Feature",
                    "geometry": _point(at) if at else None,
                    "properties": {
                        **common,
                        "kind": "event",
                        "type": event.type,
                        "subtype": event.subtype,
                        "trigger": event.trigger,
                        "actor": event.actor,
                        "target": event.target,
                        "place": event.place,
                        "geonameid": at.geonameid if at else None,
                        "time": event.time,
                        "modality": event.modality,
                        "negated": event.negated,
                        "attributed_to": event.attributed_to,
                        "quantities": [q.model_dump() for q in event.quantities],
                        "sentence": article.text[event.sentence.start : event.sentence.end],
                    },
                }
            )
    return {"type": "FeatureCollection", "features": features}
