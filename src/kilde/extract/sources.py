"""The article's sources: everyone and everything it quotes or cites, with counts.

Sources are the speakers of its quotes (people, organisations, outlets, documents, unnamed sources),
aggregated by name, plus news outlets and agencies the text cites without quoting them: "ifølge
Reuters", "siger … til DR", "oplyser politiet ifølge nyhedsbureauet TT", "(Ritzau)". ``mentions``
counts quotes attributed to a source plus its citations that are not already a quote's speaker mention.
"""

from __future__ import annotations

from collections import Counter

from spacy.tokens import Doc

from kilde.extract.lexicons import speech_verbs
from kilde.extract.speakers import Resolver
from kilde.records import Quote, SourceRef, SpeakerType

# Words that make an outlet name a citation: "til Ritzau", "ifølge Reuters", "over for TV 2", "via AFP".
CITING_BEFORE = frozenset({"til", "ifølge", "for", "via", "af", "fra", "i", "hos", "(", "/"})
CITING_AFTER = frozenset({")", "/"})


def _cited_outlets(doc: Doc, resolver: Resolver) -> list[tuple[str, int]]:
    """(outlet name, offset) for each outlet mention that cites it as a source."""
    cited = []
    for name in resolver.names:
        if name.kind != "outlet":
            continue
        span = doc.char_span(name.start, name.end, alignment_mode="expand")
        if span is None:
            continue
        before = doc[span.start - 1] if span.start > 0 else None
        after = doc[span.end] if span.end < len(doc) else None
        # "i Politiken" is citing only next to a reporting verb ("skriver i Politiken"); a bare "i" is a place
        near_verb = any(t.lower_ in speech_verbs() for t in doc[max(0, span.start - 4) : min(len(doc), span.end + 2)])
        if (
            (before is not None and before.lower_ in CITING_BEFORE and (before.lower_ not in ("i", "af", "fra", "for", "hos") or near_verb))
            or (after is not None and (after.lower_ in speech_verbs() or after.text in CITING_AFTER))
            or near_verb
        ):
            cited.append((name.text, name.start))
    return cited


def aggregate_sources(doc: Doc, quotes: list[Quote], *, resolver: Resolver | None = None) -> list[SourceRef]:
    """Sources by name, most mentioned first; each quote's speaker counts once per quote.

    ``resolver`` is the quote extractor's index of the same doc, passed on so it is not built twice.
    """
    counts: Counter[str] = Counter()
    types: dict[str, Counter[SpeakerType]] = {}
    display: dict[str, str] = {}
    speaker_mentions: set[int] = set()
    for quote in quotes:
        name = quote.speaker.name
        if not name:
            continue
        key = name.lower()
        counts[key] += 1
        types.setdefault(key, Counter())[quote.speaker.type] += 1
        display.setdefault(key, name)
        if quote.speaker.mention_start is not None:
            speaker_mentions.add(quote.speaker.mention_start)
    resolver = resolver or Resolver(doc)
    seen: set[int] = set()
    for name, offset in _cited_outlets(doc, resolver):
        if offset in speaker_mentions or offset in seen:
            continue
        seen.add(offset)
        key = name.lower()
        counts[key] += 1
        types.setdefault(key, Counter())["outlet"] += 1
        display.setdefault(key, name)
    result = []
    for key, n in counts.most_common():
        kinds = types[key]
        kind: SpeakerType = next((k for k, _ in kinds.most_common() if k != "unknown"), "unknown")
        result.append(SourceRef(name=display[key], type=kind, mentions=n))
    return result
