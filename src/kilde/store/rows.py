"""The rows an article adds to the plain tables, the same for every backend.

Both stores write these with the statements in :data:`INSERTS` (``?``
placeholders) and add their own full-text rows; keeping the rows here keeps
the two schemas' contents in step (a column added once is added for both).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from kilde.records import Article

__all__ = ["INSERTS", "Rows", "article_rows", "filter_names"]

Rows = dict[str, list[tuple[Any, ...]]]

#: The insert of each plain table an article's parts go to, in the order they are written.
INSERTS = {
    "records": "INSERT INTO records VALUES (?, ?)",
    "paragraphs": "INSERT INTO paragraphs VALUES (?, ?, ?, ?, ?)",
    "captions": "INSERT INTO captions VALUES (?, ?, ?, ?, ?)",
    "entities": "INSERT INTO entities VALUES (?, ?, ?, ?, ?, ?, ?)",
    "quotes": "INSERT INTO quotes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "speakers": "INSERT INTO speakers VALUES (?, ?, ?, ?)",
    "sources": "INSERT INTO sources VALUES (?, ?, ?, ?, ?)",
    "places": "INSERT INTO places (article_id, seq, name, lat, lon, geonameid, country, feature, mentions, score, label)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "times": "INSERT INTO times VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    "events": "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
}


def article_rows(a: Article) -> Rows:
    """The rows of each table in :data:`INSERTS` for one article (its record as JSON included)."""
    aid = a.id
    speakers = Counter((q.speaker.name, q.speaker.type) for q in a.quotes if q.speaker.name)
    return {
        "records": [(aid, a.to_json())],
        "paragraphs": [(aid, i, p.kind, p.start, p.end) for i, p in enumerate(a.paragraphs)],
        "captions": [(aid, i, c.text, c.credit, c.agency) for i, c in enumerate(a.captions)],
        "entities": [(aid, i, e.text, e.label, e.start, e.end, e.link) for i, e in enumerate(a.entities)],
        "quotes": [(aid, i, q.text, q.kind, q.start, q.end, q.cue, q.speaker.name, q.speaker.mention, q.speaker.type, q.confidence)
                   for i, q in enumerate(a.quotes)],
        "speakers": [(aid, name, kind, n) for (name, kind), n in speakers.items()],
        "sources": [(aid, i, s.name, s.type, s.mentions) for i, s in enumerate(a.sources)],
        "places": [(aid, i, p.name, p.lat, p.lon, p.geonameid, p.country, p.feature, len(p.mentions), p.score, p.label) for i, p in enumerate(a.places)],
        "times": [(aid, i, t.text, t.value, t.type, t.start, t.end, t.anchor) for i, t in enumerate(a.times)],
        "events": [(aid, i, e.type, e.subtype, e.trigger, e.actor, e.target, e.place, e.place_geonameid, e.time, e.modality, int(e.negated),
                    e.attributed_to, e.sentence.start, e.sentence.end) for i, e in enumerate(a.events)],
    }  # fmt: skip


def filter_names(a: Article) -> dict[str, list[str]]:
    """The names each filter (outlet, speaker, place, entity, event) finds this article by, in order, without repeats.

    A place is found by its GeoNames name and by its Danish label (Russia and Rusland).
    """
    return {
        "outlet": [a.source.outlet] if a.source.outlet else [],
        "speaker": list(dict.fromkeys(q.speaker.name for q in a.quotes if q.speaker.name)),
        "place": list(dict.fromkeys(name for p in a.places for name in (p.name, p.label) if name)),
        "entity": list(dict.fromkeys(e.text for e in a.entities)),
        "event": list(dict.fromkeys([e.type for e in a.events] + [e.subtype for e in a.events if e.subtype])),
    }
