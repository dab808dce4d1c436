"""Places: names and demonyms in the text, resolved to gazetteer records by the article's context.

Finding: every capitalised word sequence that is a gazetteer name (longest match,
genitive ``-s`` allowed, parts of hyphenated tokens such as ``Kina-kampen``), and
every Danish demonym or place adjective (``ukrainske``, ``russerne``, ``københavnsk``).
With NER, names inside PER/ORG entities are dropped and LOC/MISC confirm a name; a
city's name tagged as a person, or untagged but ending a full person name of the article
(Orlando after Leoluca Orlando), is a place only after a locative preposition or if the
article uses it as a place elsewhere (countries and regions acting are tagged PER or ORG
and stay places);
without it, sentence-initial words and words inside a run of capitalised words
(person names) must be strong names (countries, curated places, big cities).

Resolving: one sense per name per article. Candidates are scored by population,
kind (country, curated), whether the name is the place's own or an alternate
name, the countries the article mentions elsewhere, proximity to the other places
it names, and the outlet's country; the best wins and the rest are reported as
alternatives with their share of the score.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from spacy.tokens import Doc, Span, Token

from kilde.extract.gazetteer import GazEntry, Gazetteer, distance_km, gazetteer, normalise
from kilde.records import Place, PlaceAlternative, PlaceMention

__all__ = ["find_mentions", "places", "resolve"]

HOME_COUNTRY = "DK"  # Kilde reads Danish news: a small prior for Danish places (Lille Skensved before Lille?)
_PIECE = re.compile(r"\w+")
_COORDINATED = re.compile(r"^(?:,| og| eller| samt| og til| og i)? ?$")
_GAP = re.compile(r"^(?:[ .'’\-]|\. |\.-)$")
# words before a bare adjective that make it a language name ("taler dansk", "på engelsk"), not a place
_LANGUAGE_CUES = frozenset(
    [
        "på",
        "tale",
        "taler",
        "talte",
        "talt",
        "kan",
        "kunne",
        "lære",
        "lærer",
        "lærte",
        "forstå",
        "forstår",
        "forstod",
        "snakke",
        "snakker",
        "snakkede",
        "oversat",
        "oversætte",
        "oversatte",
        "skrive",
        "skriver",
    ]
)
# words after a bare adjective that show it is not attributive ("taler tyrkisk på arbejdet")
_FUNCTION_WORDS = frozenset(
    [
        "på",
        "i",
        "til",
        "med",
        "af",
        "for",
        "om",
        "fra",
        "her",
        "der",
        "nu",
        "og",
        "eller",
        "men",
        "som",
        "at",
        "end",
        "igen",
        "også",
        "godt",
        "flydende",
        "perfekt",
    ]
)
_STRONG_POPULATION = 100_000
_LOCATIVES = frozenset(["i", "fra", "til", "ved", "nær", "mod", "omkring", "udenfor", "uden", "for", "over", "gennem", "nord", "syd", "øst", "vest"])


@dataclass(slots=True)
class Mention:
    """A place mention before resolution."""

    start: int
    end: int
    text: str
    key: str
    candidates: list[GazEntry]
    demonym: bool = False
    confirmed: bool = False  # NER says LOC (or MISC for demonyms)


@dataclass(slots=True)
class _Tokens:
    doc: Doc
    starts: list[int] = field(default_factory=list)
    has_ner: bool = False
    has_pos: bool = False

    ents: list[Span] = field(default_factory=list)
    ent_starts: list[int] = field(default_factory=list)
    surnames: frozenset[str] = frozenset()  # last words of the article's full person names (Leoluca Orlando → orlando)

    def at(self, char: int) -> Token:
        return self.doc[max(0, bisect.bisect_right(self.starts, char) - 1)]

    def entity_at(self, char: int) -> Span | None:
        i = bisect.bisect_right(self.ent_starts, char) - 1
        return self.ents[i] if i >= 0 and self.ents[i].end_char > char else None


def _strong(entry: GazEntry) -> bool:
    return entry.feature in ("country", "region", "other") or entry.source != "geonames" or entry.population >= _STRONG_POPULATION


def _capitalised_word_before(text: str, start: int) -> bool:
    m = re.search(r"(\w+)[ ]$", text[max(0, start - 40) : start])
    return bool(m and m.group(1)[0].isupper() and not text[max(0, start - 42) : start - len(m.group(0))].rstrip().endswith((".", "!", "?", ":", "»", "«")))


def _capitalised_word_after(text: str, end: int) -> bool:
    m = re.match(r" (\w+)", text[end : end + 40])
    return bool(m and m.group(1)[0].isupper())


def find_mentions(doc: Doc, gaz: Gazetteer | None = None) -> list[Mention]:
    """All place-name and demonym mentions in ``doc``, unresolved, in text order."""
    gaz = gaz or gazetteer()
    text = doc.text
    has_ner = doc.has_annotation("ENT_IOB")
    ents = list(doc.ents) if has_ner else []
    surnames = frozenset(
        v.casefold() for e in ents if e.label_ == "PER" and len(e) > 1 and e[-1].text[:1].isupper() for v in _variants(e[-1].text)
    )  # Jack Londons → london
    tokens = _Tokens(doc, [t.idx for t in doc], has_ner, doc.has_annotation("POS"), ents, [e.start_char for e in ents], surnames)
    pieces = [(m.start(), m.end()) for m in _PIECE.finditer(text)]
    mentions: list[Mention] = []
    doubtful: list[Mention] = []  # rejected for weak evidence only: kept if the article uses the name as a place elsewhere
    i = 0
    while i < len(pieces):
        start, end = pieces[i]
        word = text[start:end]
        if not word[0].isalpha():
            i += 1
            continue
        found = _match_name(text, pieces, i, gaz) if word[0].isupper() else None
        if found:
            j, key, candidates = found
            # the span keeps a genitive -s that the key lacks, as the guideline does (Kroatiens)
            mention = Mention(start, pieces[j][1], text[start : pieces[j][1]], key, candidates)
            verdict = _accept_name(mention, tokens, text)
            if verdict is True:
                mentions.append(mention)
            elif verdict is None and mentions and _COORDINATED.match(text[mentions[-1].end : mention.start]):
                mentions.append(mention)  # "i Bakhmut og Soledar": coordinated with a place
            elif verdict is None:
                doubtful.append(mention)
            i = j + 1
            continue
        entry = gaz.demonym(word)
        if entry is not None and _accept_demonym(word, start, end, entry, tokens, text):
            mentions.append(Mention(start, end, word, word.casefold(), [entry], demonym=True, confirmed=True))
        i += 1
    if doubtful:
        # one sense per discourse: "Esbjerg freder …" (tagged PER) is the Esbjerg that "i Esbjerg" names
        accepted = {m.key for m in mentions if not m.demonym}
        mentions = sorted(mentions + [m for m in doubtful if m.key in accepted], key=lambda m: m.start)
    return mentions


def _match_name(text: str, pieces: list[tuple[int, int]], i: int, gaz: Gazetteer) -> tuple[int, str, list[GazEntry]] | None:
    """Longest gazetteer name starting at piece ``i``: (last piece, key, candidates)."""
    start = pieces[i][0]
    first = text[start : pieces[i][1]].casefold()
    last = i
    if first in gaz.first_words:
        # extend over pieces joined by a space, hyphen or abbreviation dot, up to the longest name's length
        while last + 1 < len(pieces) and last - i < gaz.max_words + 2 and _GAP.match(text[pieces[last][1] : pieces[last + 1][0]]):
            last += 1
    for j in range(last, i - 1, -1):
        surface = text[start : pieces[j][1]]
        for variant in _variants(surface):
            key = normalise(variant)
            candidates = gaz.names.get(key)
            if candidates:
                return j, key, [gaz.entries[c] for c in candidates]
    return None


def _variants(surface: str) -> tuple[str, ...]:
    # the name as written, then without a genitive -s (Kroatiens, USAs, Vest-Berlins, Bonn's)
    if surface.endswith(("'s", "’s")):
        return surface, surface[:-2]
    if surface.endswith("s") and len(surface) > 3:
        return surface, surface[:-1]
    return (surface,)


def _part_of_larger_name(mention_start: int, mention_end: int, tokens: _Tokens, text: str) -> str | None:
    """The label of a PER/ORG entity that holds the mention plus other capitalised words (Århus Universitet, Danske Bank).

    The NER is not trusted on single words (it tags countries as ORG or PER when they act); a longer name is
    better evidence, and Danish capitalises only names, so extra capitalised words mean a larger name.
    """
    ent = tokens.entity_at(mention_start)
    if ent is None or ent.label_ not in ("PER", "ORG"):
        return None
    outside = text[ent.start_char : mention_start] + " " + text[mention_end : ent.end_char]
    return ent.label_ if any(w[0].isupper() for w in _PIECE.findall(outside)) else None


def _locative_before(text: str, start: int) -> bool:
    return text[max(0, start - 12) : start].rstrip().rsplit(" ", 1)[-1].lower() in _LOCATIVES


def _accept_name(mention: Mention, tokens: _Tokens, text: str) -> bool | None:
    """True: a place mention; False: not one; None: doubtful (accepted only if the name is a place elsewhere)."""
    token = tokens.at(mention.start)
    strong = any(_strong(c) for c in mention.candidates)
    country = any(c.feature == "country" or c.source != "geonames" for c in mention.candidates)
    locative = _locative_before(text, mention.start)
    if tokens.has_ner:
        if _part_of_larger_name(mention.start, mention.end, tokens, text):
            return False
        ent = tokens.entity_at(mention.start)
        # a city's name that the NER calls a person, or that ends a person's full name ("Orlando" after "Leoluca
        # Orlando"), is a place only if the article uses it as one elsewhere ("i Orlando"); a country or region
        # acting ("Jordan og Israel underskrev") is tagged PER or ORG too and stays a place
        person = (ent is not None and ent.label_ == "PER") or (ent is None and any(v.casefold() in tokens.surnames for v in _variants(mention.text)))
        if person and not locative and not any(_strong(c) and c.feature != "city" for c in mention.candidates):
            return None
        if ent is not None:
            mention.confirmed = ent.label_ == "LOC"
            return True
    sentence_initial = token.i == 0 or token.is_sent_start
    if sentence_initial and not strong and not (tokens.has_pos and token.pos_ == "PROPN"):
        return None
    if _capitalised_word_before(text, mention.start) or _capitalised_word_after(text, mention.end):
        # inside a run of names (a person, an organisation) only countries and curated names count
        return True if country else None
    return True


def _accept_demonym(word: str, start: int, end: int, entry: GazEntry, tokens: _Tokens, text: str) -> bool:
    token = tokens.at(start)
    if tokens.has_ner:
        if _part_of_larger_name(start, end, tokens, text):
            return False  # Danske Bank, Dansk Folkeparti
    elif word[0].isupper() and not token.is_sent_start and _capitalised_word_after(text, end):
        return False
    if word.casefold().endswith("sk"):
        # a bare adjective after a language cue is a language: "taler dansk", "på engelsk"
        prev = token.nbor(-1) if token.i > 0 else None
        # skip spaces and coordinated languages: "taler dansk og tyrkisk"
        while prev is not None and prev.i > 0 and (prev.is_space or prev.lower_ in ("og", "eller", ",") or prev.lower_.endswith("sk")):
            prev = prev.nbor(-1)
        nxt = token.nbor(1) if token.i + 1 < len(tokens.doc) else None
        if tokens.has_pos:
            noun_follows = nxt is not None and nxt.pos_ in ("NOUN", "ADJ", "PROPN")
        else:
            noun_follows = nxt is not None and nxt.text[:1].isalpha() and nxt.text[:1].islower() and nxt.lower_ not in _FUNCTION_WORDS
        if prev is not None and prev.lower_ in _LANGUAGE_CUES and not noun_follows:
            return False
    return True


def resolve(mentions: list[Mention], *, home: str | None = HOME_COUNTRY) -> list[Place]:
    """Choose one gazetteer entry per distinct name and group the mentions into places."""
    gaz = gazetteer()
    # evidence from unambiguous mentions: which countries the article is about, and where it is
    countries: Counter[str] = Counter()
    anchors: list[GazEntry] = []
    for m in mentions:
        if len(m.candidates) == 1:
            only = m.candidates[0]
            if only.country:
                countries[only.country] += 1
            if (only.feature != "country" and only.source.startswith("geonames")) or only.feature == "city":
                anchors.append(only)
    chosen: dict[str, tuple[GazEntry, float, list[PlaceAlternative]]] = {}
    for m in mentions:
        if m.key in chosen:
            continue
        scored = sorted(((_score(c, m, gaz, countries, anchors, home), c) for c in m.candidates), key=lambda x: -x[0])
        top = max(s for s, _ in scored)
        weights = [math.exp(2.0 * (s - top)) for s, _ in scored]
        total = sum(weights)
        best = scored[0][1]
        alternatives = [
            PlaceAlternative(name=c.name, geonameid=c.geonameid, country=c.country, feature=c.feature, lat=c.lat, lon=c.lon, score=round(w / total, 3))
            for (_, c), w in zip(scored[1:4], weights[1:4], strict=False)
            if w / total >= 0.01
        ]
        chosen[m.key] = (best, round(weights[0] / total, 3), alternatives)
    grouped: dict[int, list[Mention]] = {}
    scores: dict[int, tuple[float, list[PlaceAlternative]]] = {}
    for m in mentions:
        entry, score, alternatives = chosen[m.key]
        grouped.setdefault(entry.index, []).append(m)
        if entry.index not in scores or score < scores[entry.index][0]:
            scores[entry.index] = (score, alternatives)
    result = []
    for index, group in grouped.items():
        e = gaz.entries[index]
        score, alternatives = scores[index]
        result.append(
            Place(
                name=e.name,
                label=_label(e, group),
                lat=e.lat,
                lon=e.lon,
                geonameid=e.geonameid,
                country=e.country,
                feature=e.feature,
                source=e.source,
                score=score,
                alternatives=alternatives,
                mentions=[PlaceMention(start=m.start, end=m.end, text=m.text, demonym=m.demonym) for m in group],
            )
        )
    return result


def _label(entry: GazEntry, mentions: list[Mention]) -> str:
    """The place's name as a Danish reader knows it: the form the article writes most (uninflected), else the
    Danish CLDR name of a country it only names by adjective ("britiske" → Storbritannien), else the GeoNames name."""
    written = Counter(m.text for m in mentions if not m.demonym and normalise(m.text) == m.key)
    if written:
        return written.most_common(1)[0][0]  # ties: the first mention (Counter keeps insertion order)
    if entry.feature == "country" and entry.country:
        return _danish_territories().get(entry.country, entry.name)
    return entry.name


@cache
def _danish_territories() -> dict[str, str]:
    from babel import Locale

    return dict(Locale("da").territories)


def _score(c: GazEntry, m: Mention, gaz: Gazetteer, countries: Counter[str], anchors: list[GazEntry], home: str | None) -> float:
    score = math.log10(max(c.population, 1)) / 8
    if c.feature == "country":
        score += 1.0
    if c.source != "geonames":
        score += 1.0  # curated: chosen by hand for exactly this name (Gaza = the Strip)
    if gaz.is_primary(m.key, c):
        score += 0.5  # the place's own name beats an alternate spelling of another place
    if c.country and countries[c.country] - (1 if len(m.candidates) == 1 else 0) > 0:
        score += 1.0
    if home and c.country == home:
        score += 0.3
    if c.feature != "country" and any(a.index != c.index and distance_km(a.lat, a.lon, c.lat, c.lon) < 250 for a in anchors):
        score += 0.7
    return score


def places(doc: Doc, *, home: str | None = HOME_COUNTRY) -> list[Place]:
    """Places mentioned in ``doc``, resolved, in order of first mention."""
    return resolve(find_mentions(doc), home=home)
