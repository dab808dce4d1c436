"""Typed response (and request) bodies of the API, so /openapi.json documents every answer.

The article record itself is :class:`kilde.records.Article`; the rest mirror the
store's dataclasses (:mod:`kilde.store`, :mod:`kilde.store.reads`) field for field,
built from them with ``from_attributes``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from kilde.records import Article

__all__ = [
    "AnalyzeRequest",
    "EventOut",
    "EventPage",
    "Feature",
    "FeatureCollection",
    "HitOut",
    "PlaceProperties",
    "QuoteOut",
    "QuotePage",
    "SearchOut",
    "SourceOut",
    "SourcePage",
    "SpeakerDetail",
    "SpeakerOut",
    "SpeakerPage",
    "StoreResult",
    "TimelinePointOut",
]


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class HitOut(Out):
    id: str
    title: str | None
    published: str | None
    outlet: str | None
    url: str | None
    path: str | None
    score: float = Field(description="higher is better; comparable within one search only")
    snippet: str = Field(description="the passage that matched best, as plain text")
    highlights: list[tuple[int, int]] = Field(description="[start, end) offsets into snippet of the matched words")
    field: str = Field(description="where the snippet is from: text | quote | caption")


class SearchOut(Out):
    query: str
    total: int = Field(description="all matches, not just this page")
    offset: int
    limit: int
    hits: list[HitOut]


class QuoteOut(Out):
    article_id: str
    title: str | None
    published: str | None
    outlet: str | None
    url: str | None
    seq: int = Field(description="position among the article's quotes")
    text: str
    kind: str = Field(description="direct | indirect")
    cue: str | None
    speaker: str | None = Field(description="the speaker's name resolved in the article")
    speaker_type: str
    mention: str | None = Field(description="the words that point to the speaker where the quote is")
    start: int = Field(description="offset into the article's text")
    end: int


class Paged(Out):
    total: int
    offset: int
    limit: int


class QuotePage(Paged):
    items: list[QuoteOut]


class SpeakerOut(Out):
    name: str
    type: str
    quotes: int
    articles: int
    first: str | None = Field(description="day of the first quote (YYYY-MM-DD)")
    last: str | None


class SpeakerPage(Paged):
    items: list[SpeakerOut]


class TimelinePointOut(Out):
    day: str = Field(description="YYYY-MM-DD")
    count: int


class SpeakerDetail(Out):
    name: str
    type: str = Field(description="person, organisation, outlet, document, unnamed, unknown (from the latest quote)")
    quotes: int = Field(description="quotes in all (with the filters)")
    articles: int
    timeline: list[TimelinePointOut] = Field(description="quotes per publication day")
    items: list[QuoteOut] = Field(description="this page of the quotes, newest first")
    offset: int
    limit: int


class SourceOut(Out):
    name: str
    type: str
    articles: int
    mentions: int
    first: str | None
    last: str | None


class SourcePage(Paged):
    items: list[SourceOut]


class EventOut(Out):
    article_id: str
    title: str | None
    published: str | None
    seq: int
    type: str = Field(description="PLOVER type (ASSAULT, PROTEST …)")
    subtype: str | None = Field(description="ACLED sub-event type")
    trigger: str
    actor: str | None
    target: str | None
    place: str | None
    place_label: str | None = Field(description="the place's Danish name as the article writes it")
    lat: float | None
    lon: float | None
    geonameid: int | None
    time: str | None
    modality: str
    negated: bool
    attributed_to: str | None
    sentence: str = Field(description="the evidence sentence")


class EventPage(Paged):
    items: list[EventOut]


class Point(BaseModel):
    type: Literal["Point"] = "Point"
    coordinates: tuple[float, float] = Field(description="[longitude, latitude] (RFC 7946)")


class Feature(BaseModel):
    type: Literal["Feature"] = "Feature"
    geometry: Point | None
    properties: dict[str, Any]


class FeatureCollection(BaseModel):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[Feature]


class PlaceProperties(Out):
    """The properties of a place feature in GET /api/places."""

    kind: Literal["place"] = "place"
    name: str = Field(description="GeoNames name (Copenhagen)")
    label: str = Field(description="the Danish name as the articles write it (København)")
    geonameid: int | None
    country: str | None
    feature: str | None
    articles: int
    mentions: int


class AnalyzeRequest(BaseModel):
    """An article to analyse: ``text`` or ``html`` and what is known about it."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(default=None, description="plain text (paragraphs separated by blank lines)")
    html: str | None = Field(default=None, description="an HTML page; main text, title, date and captions are extracted")
    url: str | None = None
    title: str | None = None
    published: str | None = Field(default=None, description="ISO 8601 date or datetime")
    outlet: str | None = None
    byline: str | None = None


class Rejected(BaseModel):
    index: int = Field(description="position in the request")
    error: str
    message: str


class StoreResult(BaseModel):
    inserted: int
    skipped: int = Field(description="already in the store (same text and URL)")
    ids: list[str] = Field(description="ids of the stored (or already stored) articles, in request order")
    rejected: list[Rejected] = Field(default_factory=list)


ArticleOut = Article


class StoryArticleOut(Out):
    id: str
    title: str | None
    published: str | None
    outlet: str | None
    duplicate_of: str | None = Field(description="the original this article copies (a wire copy, a light edit), if it is a copy")


class NameCount(BaseModel):
    name: str
    quotes: int


class StoryOut(BaseModel):
    id: str
    title: str
    first: str | None = Field(description="first publication day")
    last: str | None
    size: int = Field(description="articles, copies included")
    outlets: list[str] = Field(description="outlets that carried it, most articles first")
    articles: list[StoryArticleOut]
    places: list[str] = Field(description="most mentioned first")
    speakers: list[NameCount] = Field(description="most quoted first")
    timeline: list[TimelinePointOut] = Field(description="articles per day")

    @classmethod
    def of(cls, story: Any) -> StoryOut:
        return cls(
            id=story.id,
            title=story.title,
            first=story.first,
            last=story.last,
            size=story.size,
            outlets=list(story.outlets),
            articles=[StoryArticleOut.model_validate(a) for a in story.articles],
            places=list(story.places),
            speakers=[NameCount(name=n, quotes=q) for n, q in story.speakers],
            timeline=[TimelinePointOut(day=d, count=n) for d, n in story.timeline],
        )


class StoryPage(Paged):
    items: list[StoryOut]
