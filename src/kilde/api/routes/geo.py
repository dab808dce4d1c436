"""Where and when: places (GeoJSON), events (JSON or GeoJSON), articles per day, outlets."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from kilde.api.deps import FilterParams, Limit, Offset, get_reads
from kilde.api.errors import ERROR_RESPONSES
from kilde.api.models import EventOut, EventPage, Feature, FeatureCollection, PlaceProperties, Point, TimelinePointOut
from kilde.store.reads import EventRow, SqlReads

router = APIRouter(tags=["places and events"])


@router.get("/places", response_model=FeatureCollection, responses=ERROR_RESPONSES)
def places(
    reads: Annotated[SqlReads, Depends(get_reads)],
    filters: FilterParams,
    limit: Annotated[int, Query(ge=1, le=10_000, description="at most this many places, in most articles first")] = 1000,
) -> FeatureCollection:
    """The resolved places of the (filtered) articles as a GeoJSON FeatureCollection, with how many articles name each."""
    features = [
        Feature(geometry=Point(coordinates=(round(p.lon, 5), round(p.lat, 5))), properties=PlaceProperties.model_validate(p).model_dump())
        for p in reads.places(filters=filters, limit=limit)
    ]
    return FeatureCollection(features=features)


def event_feature(e: EventRow) -> Feature:
    point = Point(coordinates=(round(e.lon, 5), round(e.lat, 5))) if e.lon is not None and e.lat is not None else None
    properties = EventOut.model_validate(e).model_dump(exclude={"lat", "lon"})
    return Feature(geometry=point, properties={"kind": "event", **properties})


@router.get("/events", response_model=EventPage | FeatureCollection, responses=ERROR_RESPONSES)
def events(
    reads: Annotated[SqlReads, Depends(get_reads)],
    filters: FilterParams,
    type: Annotated[str | None, Query(description="event type (ASSAULT, PROTEST …) or ACLED subtype")] = None,
    format: Annotated[Literal["json", "geojson"], Query(description="json: a page of events; geojson: the located ones as a FeatureCollection")] = "json",
    limit: Limit = 100,
    offset: Offset = 0,
) -> EventPage | FeatureCollection:
    """Events with their evidence sentence, newest first; ``format=geojson`` gives those with a place as map points."""
    page = reads.events(filters=filters, type=type, limit=limit, offset=offset)
    if format == "geojson":
        return FeatureCollection(features=[event_feature(e) for e in page.items if e.lat is not None and e.lon is not None])
    return EventPage(items=[EventOut.model_validate(e) for e in page.items], total=page.total, offset=page.offset, limit=limit)


@router.get("/timeline", response_model=list[TimelinePointOut], responses=ERROR_RESPONSES)
def timeline(reads: Annotated[SqlReads, Depends(get_reads)], filters: FilterParams) -> list[TimelinePointOut]:
    """Articles per publication day (articles without a date are left out)."""
    return [TimelinePointOut.model_validate(p) for p in reads.timeline(filters=filters)]


@router.get("/outlets", response_model=list[tuple[str, int]])
def outlets(reads: Annotated[SqlReads, Depends(get_reads)]) -> list[tuple[str, int]]:
    """Outlets and their number of articles, most first."""
    return reads.outlets()
