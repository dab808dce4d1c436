"""The article record: the contract between stages and what users read.

Every span is a pair of character offsets into ``Article.text`` (the cleaned
body). ``Article.raw`` keeps the text cleaning started from and
``Article.offset_map`` maps any span of ``text`` back into it, so every output
can be traced to its source. Field names follow ``DESIGN.md`` and are stable
within a schema version; new fields may be added, existing ones never renamed.

The JSON Schema of the record is generated from these models
(:func:`json_schema`) and committed as ``kilde/schema/article-1.json``; a test
checks the two agree.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA = "kilde.article/1"

ParagraphKind = Literal["headline", "lead", "body", "subheading"]
EntityLabel = Literal["PER", "ORG", "LOC", "MISC"]
QuoteKind = Literal["direct", "indirect"]
SpeakerType = Literal["person", "organisation", "outlet", "document", "unnamed", "unknown"]
RemovedKind = Literal[
    "caption",
    "duplicate",
    "credit",
    "byline",
    "dateline",
    "read_more",
    "advert",
    "share",
    "comment",
    "newsletter",
    "ui",
    "empty",
]


class Record(BaseModel):
    """Base for all record parts: immutable, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Span(Record):
    start: int = Field(ge=0, description="offset into Article.text (inclusive)")
    end: int = Field(ge=0, description="offset into Article.text (exclusive)")


class Source(Record):
    """Where the article came from."""

    path: str | None = None
    url: str | None = None
    outlet: str | None = None
    format: str = Field(description="reader that produced it: text, html, json, feed, warc")
    index: int | None = Field(default=None, description="position inside a multi-article file")


class Paragraph(Span):
    kind: ParagraphKind


class Caption(Record):
    """An image caption, kept out of the body, de-duplicated."""

    text: str
    credit: str | None = Field(default=None, description="photographer/agency, normalised")
    credit_raw: str | None = Field(default=None, description="the credit as written")
    agency: str | None = Field(default=None, description="agency after a slash, e.g. Ritzau Scanpix")
    marker: str | None = Field(default=None, description="credit marker as written: Foto, Arkivfoto, Grafik …")
    raw_start: int = Field(ge=0, description="offset into Article.raw")
    raw_end: int = Field(ge=0)


class Removed(Record):
    """Something cleaning took out of the body, with the reason."""

    kind: RemovedKind
    text: str
    raw_start: int = Field(ge=0, description="offset into Article.raw")
    raw_end: int = Field(ge=0)


class Sentence(Span):
    pass


class Entity(Span):
    text: str
    label: EntityLabel
    link: str | None = Field(default=None, description="knowledge-base id where known")


class Speaker(Record):
    name: str | None = Field(description="most specific name for the speaker in the article")
    mention: str | None = Field(default=None, description="the words that point to the speaker here")
    mention_start: int | None = None
    mention_end: int | None = None
    type: SpeakerType = "unknown"


class Quote(Span):
    text: str
    kind: QuoteKind
    cue: str | None = None
    cue_start: int | None = None
    speaker: Speaker
    confidence: float = Field(ge=0.0, le=1.0)


class SourceRef(Record):
    """A source the article relies on, aggregated over its mentions."""

    name: str
    type: SpeakerType
    mentions: int = Field(ge=1)


class PlaceMention(Span):
    text: str
    demonym: bool = Field(default=False, description="an inhabitant noun or place adjective (ukrainske, københavnsk)")


class PlaceAlternative(Record):
    """Another place the same name could mean, with its share of the resolution score."""

    name: str
    geonameid: int | None = None
    country: str | None = None
    feature: str | None = None
    lat: float
    lon: float
    score: float = Field(ge=0.0, le=1.0)


class Place(Record):
    name: str
    label: str | None = Field(
        default=None, description="the name as a Danish reader knows it: as the article writes it, else CLDR's Danish name (Storbritannien)"
    )
    lat: float
    lon: float
    geonameid: int | None = None
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2 of the present-day country")
    feature: str | None = Field(default=None, description="country | region | city | other")
    mentions: list[PlaceMention] = Field(default_factory=list)
    score: float | None = Field(default=None, ge=0.0, le=1.0, description="share of the resolution score the chosen place got")
    alternatives: list[PlaceAlternative] = Field(default_factory=list, description="other readings of an ambiguous name")
    source: str | None = Field(default=None, description="gazetteer the record came from: geonames, geonames+cldr, curated")


class TimeExpression(Span):
    text: str
    value: str | None = Field(description="ISO 8601 date, datetime, duration or interval")
    type: Literal["date", "time", "datetime", "duration", "interval", "set"]
    anchor: str | None = Field(default=None, description="what a relative value is relative to")
    vague: bool = Field(default=False, description="PRESENT_REF/PAST_REF/FUTURE_REF or an unspecified quantity (PXY)")
    mod: str | None = Field(default=None, description="TIMEX3 modifier not encoded in the value: START, MID, END, APPROX, MORE_THAN, LESS_THAN")


class Quantity(Record):
    """A number the event sentence gives about the event: killed, wounded, arrested, size."""

    kind: str = Field(description="killed | wounded | arrested | missing | size | amount")
    value: float | None = None
    text: str


class Event(Record):
    type: str
    trigger: str
    trigger_start: int | None = None
    actor: str | None = None
    target: str | None = None
    place: str | None = Field(default=None, description="name of one of the article's places")
    time: str | None = Field(default=None, description="value of one of the article's time expressions")
    sentence: Span
    subtype: str | None = Field(default=None, description="ACLED sub-event type where one fits")
    modality: Literal["asserted", "reported", "planned", "denied", "hypothetical"] = "asserted"
    negated: bool = False
    attributed_to: str | None = Field(default=None, description="the source that reports it (Reuters skriver, at …)")
    quantities: list[Quantity] = Field(default_factory=list)
    place_geonameid: int | None = None


class OffsetSegment(Record):
    """``text[start:end]`` came from ``raw[raw_start:raw_end]``.

    Copied runs have equal lengths; normalisation edits (a collapsed run of
    whitespace, a composed character, an inserted paragraph break) may not.
    """

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    raw_start: int = Field(ge=0)
    raw_end: int = Field(ge=0)


class Article(Record):
    """One analysed article: the record of ``DESIGN.md``."""

    schema_: Literal["kilde.article/1"] = Field(default="kilde.article/1", alias="schema")
    id: str
    content_hash: str
    source: Source
    title: str | None = None
    published: str | None = Field(default=None, description="ISO 8601 date or datetime")
    language: str | None = Field(default=None, description="ISO 639-1 code of the detected language")
    language_score: float | None = None
    byline: str | None = None
    text: str
    paragraphs: list[Paragraph] = Field(default_factory=list)
    captions: list[Caption] = Field(default_factory=list)
    removed: list[Removed] = Field(default_factory=list)
    sentences: list[Sentence] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    sources: list[SourceRef] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    times: list[TimeExpression] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    summary: str | None = None
    warnings: list[str] = Field(default_factory=list, description="problems noticed while reading")
    raw: str = Field(description="the text cleaning started from")
    raw_html: str | None = Field(default=None, description="the markup, when the input was HTML")
    offset_map: list[OffsetSegment] = Field(default_factory=list)

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    def to_dict(self) -> dict[str, Any]:
        """The record as plain JSON-ready data."""
        return self.model_dump(mode="json", by_alias=True)

    def to_json(self, *, indent: int | None = None) -> str:
        """The record as a JSON string (UTF-8 characters kept as written)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_json(cls, data: str | bytes) -> Article:
        return cls.model_validate_json(data)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map ``text[start:end]`` back to offsets in ``raw``."""
        from kilde.clean.offsets import OffsetMap

        return OffsetMap(self.offset_map).to_raw(start, end)


class Rejection(Record):
    """An input that could not become an article, and why."""

    source: Source
    error: str = Field(description="exception class name, e.g. EmptyInputError")
    message: str


def json_schema() -> dict[str, Any]:
    """The JSON Schema of :class:`Article`, as committed in the package."""
    schema = Article.model_json_schema(by_alias=True)
    schema["$id"] = "https://kilde.dev/schema/article-1.json"
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
