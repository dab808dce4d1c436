"""Build articles.jsonl from sources.txt: each base article, its copies and edits, with gold groups and stories.

    .venv/bin/python eval/duplicates/make.py        (deterministic: the same file every time)

For each base article (our own writing, sources.txt) a seeded random choice of:
  exact  the same headline and text in another outlet, hours later
  wire   the same text under another headline (sources.txt "alt:"), a wire credit line added, another outlet
  edit   light edits: a sentence dropped, two sentences or paragraphs swapped, a few words changed
         (EDITS below), sometimes a paragraph added (ADDED below), another outlet, hours later
  heavy edit  the same, harder: two sentences dropped, four to six words changed, two paragraphs added
Every base article gets at least one. Gold: ``group`` (the near-duplicate group: the base article's key, the
same for its copies), ``story`` (the developing story, S1…S8, or the key for an article on its own),
``split`` (dev: choose thresholds; test: report), ``kind`` and ``original`` (the base article's id).
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20261125

OUTLETS = ["Dagbladet Øst", "Vestkystens Blad", "Nordjysk Aften", "Fyns Morgenavis", "Jyllands Dagblad", "Sjællandske Tidende", "Bornholms Tidende",
           "Midtjyllands Avis", "Kolding Posten", "Netavisen Nu"]  # fmt: skip
WIRE_LINES = ["/ritzau/", "(Ritzau)", "Kilde: Ritzau", "/ritzau/fbb"]
# word changes an editor makes (our own list): whole words, first letter's case kept
EDITS = {
    "siger": "udtaler", "oplyser": "meddeler", "fortæller": "forklarer", "mener": "vurderer", "kræver": "forlanger",
    "begynde": "starte", "flere": "adskillige", "store": "betydelige", "også": "ligeledes", "dog": "imidlertid",
    "alvorligt": "seriøst", "penge": "midler", "bekræfter": "fastslår", "ansatte": "medarbejdere", "kalder": "betegner",
}  # fmt: skip
ADDED = [  # paragraphs an outlet adds to wire copy (our own writing)
    "Sagen bliver opdateret, når der kommer nyt.",
    "Avisen har forsøgt at få en kommentar fra de involverede parter, men ingen har ønsket at udtale sig til denne artikel.",
    "Det er ikke første gang, emnet skaber debat i lokalområdet. Også sidste år var der stor opmærksomhed om lignende sager.",
    "Følg med i udviklingen her på siden og i vores nyhedsbrev, som udkommer hver morgen.",
    "Læserne kan skrive til redaktionen, hvis de har oplysninger om sagen.",
]


@dataclass
class Base:
    key: str
    story: str
    published: datetime
    outlet: str
    split: str
    title: str
    alt: str
    paragraphs: list[str]


def parse(path: Path) -> list[Base]:
    bases: list[Base] = []
    for block in re.split(r"^=== ", path.read_text(encoding="utf-8"), flags=re.M)[1:]:
        header, _, rest = block.partition("\n")
        key, story, when, outlet, split = (part.strip() for part in header.split("|"))
        lines = rest.strip("\n").split("\n")
        if not lines[0].startswith("alt: "):
            raise ValueError(f"{path}: {key}: the line after the header must be 'alt: …'")
        alt, title = lines[0][len("alt: ") :].strip(), lines[1].strip()
        paragraphs = [p.strip().replace("\n", " ") for p in "\n".join(lines[2:]).split("\n\n") if p.strip()]
        bases.append(Base(key, key if story == "-" else story, datetime.fromisoformat(when), outlet, split, title, alt, paragraphs))
    return bases


def sentences(paragraph: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?«])\s+(?=[A-ZÆØÅ»])", paragraph) if s]


def edit(paragraphs: list[str], rng: random.Random, *, add: bool, heavy: bool = False) -> list[str]:
    """Light edits: drop a sentence, swap two sentences or two body paragraphs, change a few words, maybe add a paragraph.

    ``heavy``: two sentences dropped, four to six words changed and two paragraphs added (the edge of "lightly").
    """
    paras = [sentences(p) for p in paragraphs]
    body = [i for i in range(1, len(paras))]
    for _ in range(2 if heavy else 1):
        droppable = [(i, j) for i in range(len(paras)) for j in range(len(paras[i])) if len(paras[i]) > 1 and not (i == 0 and j == 0)]
        if droppable and (heavy or rng.random() < 0.7):
            i, j = rng.choice(droppable)
            del paras[i][j]
    if len(body) >= 2 and rng.random() < 0.5:
        a = rng.randrange(1, len(paras) - 1)
        paras[a], paras[a + 1] = paras[a + 1], paras[a]
    else:
        swappable = [i for i, p in enumerate(paras) if len(p) >= 2]
        if swappable:
            i = rng.choice(swappable)
            paras[i][0], paras[i][1] = paras[i][1], paras[i][0]
    text = "\n\n".join(" ".join(p) for p in paras)
    words = [w for w in EDITS if re.search(rf"\b{w}\b", text, flags=re.I)]
    for word in rng.sample(words, k=min(len(words), rng.randint(4, 6) if heavy else rng.randint(2, 4))):
        text = re.sub(rf"\b{word}\b", lambda m, w=word: EDITS[w] if m.group()[0].islower() else EDITS[w].capitalize(), text, count=1, flags=re.I)
    out = text.split("\n\n")
    for extra in rng.sample(ADDED, k=2 if heavy else int(add)):
        out.insert(rng.randint(1, len(out)), extra)
    return out


def article(base: Base, *, suffix: str, kind: str, title: str, paragraphs: list[str], outlet: str, published: datetime) -> dict[str, str]:
    aid = base.key + suffix
    slug = re.sub(r"[^a-z]+", "-", outlet.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")).strip("-")
    return {
        "id": aid,
        "url": f"https://{slug}.example.dk/nyheder/{aid}",
        "title": title,
        "published": published.isoformat(timespec="minutes"),
        "outlet": outlet,
        "text": "\n\n".join(paragraphs),
        "group": base.key,
        "story": base.story,
        "split": base.split,
        "kind": kind,
        "original": base.key,
    }


def variants(base: Base, rng: random.Random) -> list[dict[str, str]]:
    out = [article(base, suffix="", kind="base", title=base.title, paragraphs=base.paragraphs, outlet=base.outlet, published=base.published)]
    others = [o for o in OUTLETS if o != base.outlet]
    kinds = [k for k, p in (("exact", 0.4), ("wire", 0.8), ("edit", 0.8), ("edit+", 0.4), ("heavy", 0.4)) if rng.random() < p] or ["wire"]
    for n, kind in enumerate(kinds, start=1):
        later = base.published + timedelta(minutes=rng.randint(20, 600))
        outlet = rng.choice(others)
        if kind == "exact":
            out.append(article(base, suffix=f"-x{n}", kind=kind, title=base.title, paragraphs=base.paragraphs, outlet=outlet, published=later))
        elif kind == "wire":
            paragraphs = [*base.paragraphs, rng.choice(WIRE_LINES)]
            out.append(article(base, suffix=f"-w{n}", kind=kind, title=base.alt, paragraphs=paragraphs, outlet=outlet, published=later))
        else:
            title = rng.choice([base.title, base.alt])
            paragraphs = edit(base.paragraphs, rng, add=kind == "edit+", heavy=kind == "heavy")
            out.append(article(base, suffix=f"-e{n}", kind="heavy edit" if kind == "heavy" else "edit", title=title, paragraphs=paragraphs,
                               outlet=outlet, published=later))  # fmt: skip
    return out


def main() -> None:
    rng = random.Random(SEED)
    rows = [row for base in parse(HERE / "sources.txt") for row in variants(base, rng)]
    rows.sort(key=lambda r: (r["published"], r["id"]))
    with (HERE / "articles.jsonl").open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    kinds: dict[str, int] = {}
    for row in rows:
        kinds[row["kind"]] = kinds.get(row["kind"], 0) + 1
    print(f"{len(rows)} articles: {kinds}")


if __name__ == "__main__":
    main()
