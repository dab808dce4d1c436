"""The extract stage: from a parsed spaCy ``Doc`` to the record's analysis fields.

Each extractor is a function ``(doc, context) -> list[record part]``; this
module runs them in order and is the only place (with ``kilde.nlp``) that
touches spaCy objects. Extractors that later issues deepen (quotes, sources,
places, times, events) plug in here without changing the record.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from kilde.extract.basic import entities, keywords, sentences
from kilde.extract.events import events
from kilde.extract.places import places
from kilde.extract.quotes import extract_quotes
from kilde.extract.times import times
from kilde.records import Entity, Event, Place, Quote, Sentence, SourceRef, TimeExpression


@dataclass(frozen=True, kw_only=True)
class Extraction:
    sentences: list[Sentence]
    entities: list[Entity]
    keywords: list[str]
    quotes: list[Quote]
    sources: list[SourceRef]
    places: list[Place]
    times: list[TimeExpression]
    events: list[Event]


@dataclass(frozen=True, kw_only=True)
class Context:
    """What extractors may know beyond the text: publication date, outlet."""

    published: str | None = None
    outlet: str | None = None


def extract(doc: Doc, context: Context) -> Extraction:
    """Run every extractor; events see the quotes (for attribution), places and times just found."""
    quotes, sources = extract_quotes(doc, context)
    found_places = places(doc)
    found_times = times(doc, published=context.published)
    return Extraction(
        sentences=sentences(doc),
        entities=entities(doc),
        keywords=keywords(doc),
        quotes=quotes,
        sources=sources,
        places=found_places,
        times=found_times,
        events=events(doc, found_places, found_times, quotes=quotes, published=context.published),
    )
