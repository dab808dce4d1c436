"""Learn the event trigger lexicon's additions and drops from annotated documents.

    python training/build_event_lexicon.py [--data ../shared/data] [--min-hits 2] [--min-fires 4] [--dry-run] [--report]

writes ``src/kilde/extract/data/event_triggers_learned.tsv`` (rows to add) and ``event_triggers_dropped.tsv``
(hand-written rows to leave out). The hand-written lexicon (``event_triggers.tsv``) knows the triggers its
authors thought of; on held-out documents most missed events are words it lacks, and some of its words fire
far more often than annotators see an event in them ("sælge" in every sale). This script measures both on
training documents the lexicon was not written from.

Training documents: ``eval/geo/train.jsonl`` (192 newspaper documents annotated for events only, without the
extractor) and the tune documents (``tune``: the first 28 CDT documents of ``dev.jsonl`` and own-01..04;
``tune2.jsonl``). The held-out splits (check, check2, check3) are never read.

1. Each document is cleaned and parsed by the shipped pipeline, as ``kilde.analyze`` does.
2. Candidates: each gold trigger's token gives a row (its lemma, V or N, the gold type most often given to that
   lemma) unless the hand lexicon has that lemma and part of speech already.
3. The extractor runs with the candidate rows alone, then with the hand rows alone. Every event it finds is
   credited to the row that fired it: a hit when a gold event of the same type has its trigger on that token,
   else a false alarm.
4. A row adds to F1 = 2·TP / (predicted + gold) exactly when its precision exceeds TP / (predicted + gold), half
   the hand lexicon's F1 on these documents. So that threshold, computed here and not chosen, decides: a
   candidate with at least ``--min-hits`` hits and precision above it is added; a hand row that fired at least
   ``--min-fires`` times with precision below it is dropped. The minimum counts keep one-off rows out of both
   lists; they were fixed before any held-out figure was looked at.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GEO = ROOT / "eval" / "geo"
DATA = ROOT / "src" / "kilde" / "extract" / "data"
OUT = DATA / "event_triggers_learned.tsv"
DROPPED = DATA / "event_triggers_dropped.tsv"
TUNE_CDT_DOCS = 28  # the first 28 CDT documents of dev.jsonl are tune (benchmarks/geo.py); the rest is held out


def training_documents() -> list[dict[str, Any]]:
    """train.jsonl, tune2.jsonl and the tune part of dev.jsonl; never check, check2 or check3."""

    def read(name: str) -> list[dict[str, Any]]:
        return [json.loads(line) for line in (GEO / name).read_text(encoding="utf-8").splitlines() if line.strip()]

    dev = read("dev.jsonl")
    cdt = [d for d in dev if not d["doc"].startswith("own-")]
    tune = {d["doc"] for d in cdt[:TUNE_CDT_DOCS]} | {f"own-{k:02d}" for k in range(1, 5)}
    return read("train.jsonl") + read("tune2.jsonl") + [d for d in dev if d["doc"] in tune]


@dataclass
class Parsed:
    """One training document: the spaCy doc, what events() needs, and its gold triggers by token."""

    name: str
    doc: Any
    places: list[Any]
    times: list[Any]
    quotes: list[Any]
    published: str | None
    gold: dict[int, set[str]] = field(default_factory=dict)  # token index → gold event types triggered there


def parse(records: list[dict[str, Any]], data: Path) -> list[Parsed]:
    from kilde.clean import clean
    from kilde.extract import Context
    from kilde.extract.places import places
    from kilde.extract.quotes import extract_quotes
    from kilde.extract.times import times
    from kilde.nlp import load_pipeline
    from kilde.read.document import RawDocument

    nlp = load_pipeline()
    parsed = []
    for record in records:
        path = (GEO / record["path"]) if record["doc"].startswith("own-") else data / record["path"]
        raw = path.read_text(encoding="utf-8")
        cleaned = clean(RawDocument(text=raw, format="text", path=str(path)))
        doc = nlp(cleaned.text)
        raw_start = {cleaned.offset_map.to_raw(t.idx, t.idx + len(t))[0]: t.i for t in doc}
        published = record.get("published")
        quotes, _ = extract_quotes(doc, Context(published=published))
        item = Parsed(record["doc"], doc, places(doc), times(doc, published=published), quotes, published)
        for event in record["events"]:
            token = raw_start.get(event["trigger_start"])
            if token is None:  # the trigger starts inside a token (a hyphenated compound's part): take that token
                token = max((s for s in raw_start if s <= event["trigger_start"]), default=None)
                token = raw_start[token] if token is not None else None
            if token is not None:
                item.gold.setdefault(token, set()).add(event["type"])
        parsed.append(item)
    return parsed


def _pos(token: Any) -> str | None:
    if token.pos_ in ("VERB", "AUX", "ADJ"):
        return "V"
    if token.pos_ in ("NOUN", "PROPN", "X"):
        return "N"
    return None


def _lemma(token: Any) -> str:
    lemma = token.lemma_.lower() if token.pos_ != "PROPN" else token.lower_
    return lemma.rsplit("-", 1)[-1]  # Kina-kampen counts as a kamp


def candidates(parsed: list[Parsed], hand: Any) -> dict[tuple[str, str], str]:
    """(lemma, V|N) → the type annotators gave it most often, for gold triggers the hand lexicon lacks."""
    types: dict[tuple[str, str], collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for item in parsed:
        for index, kinds in item.gold.items():
            token = item.doc[index]
            pos = _pos(token)
            lemma = _lemma(token)
            if pos is None or not lemma.isalpha() or len(lemma) < 3:
                continue
            known = hand.verb_lemmas.get(lemma) if pos == "V" else hand.nouns.get(lemma)
            if known:
                continue
            for kind in kinds:
                types[(lemma, pos)][kind] += 1
    return {key: counts.most_common(1)[0][0] for key, counts in types.items()}


def rows_text(rows: dict[tuple[str, str], str], source: dict[tuple[str, str], str] | None = None) -> str:
    return "\n".join(f"{lemma}\t{pos}\t{kind}\t-\t-\t-\t{(source or {}).get((lemma, pos), 'candidate')}" for (lemma, pos), kind in sorted(rows.items()))


def score_rows(parsed: list[Parsed], lexicon: Any) -> dict[tuple[str, str, str], list[int]]:
    """(lemma, V|N, type) of the row that fired → [hits, false alarms], running the extractor with ``lexicon``."""
    from kilde.extract.events import _match, events

    scores: dict[tuple[str, str, str], list[int]] = collections.defaultdict(lambda: [0, 0])
    for item in parsed:
        doc = item.doc
        lowered = [t.lower_ for t in doc]
        at = {t.idx: t for t in doc}
        for event in events(doc, item.places, item.times, quotes=item.quotes, published=item.published, lexicon=lexicon):
            token = at.get(event.trigger_start) if event.trigger_start is not None else None
            if token is None:
                continue
            sent = token.sent
            trigger = _match(token, lexicon, lowered[max(sent.start, token.i - 8) : min(sent.end, token.i + 9)])
            if trigger is None:
                continue
            key = (trigger.lemma, trigger.pos, trigger.type)
            scores[key][0 if event.type in item.gold.get(token.i, ()) else 1] += 1
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data", help="the shared data root holding cdt_ddt/")
    parser.add_argument("--min-hits", type=int, default=2, help="hits a candidate row needs to be added")
    parser.add_argument("--min-fires", type=int, default=4, help="events a hand row must have fired to be dropped")
    parser.add_argument("--report", action="store_true", help="also print every row's hits and false alarms")
    parser.add_argument("--dry-run", action="store_true", help="print the rows; do not write the data files")
    args = parser.parse_args(argv)
    if not (args.data / "cdt_ddt" / "txt").is_dir():
        print(f"error: {args.data / 'cdt_ddt' / 'txt'} not found (give --data)", file=sys.stderr)
        return 2

    from kilde.extract.events import lexicon_from_rows, lexicon_rows

    records = training_documents()
    parsed = parse(records, args.data)
    n_gold = sum(len(kinds) for item in parsed for kinds in item.gold.values())
    hand = lexicon_from_rows(lexicon_rows(learned=False))
    hand_scores = score_rows(parsed, hand)
    tp = sum(hits for hits, _ in hand_scores.values())
    predicted = sum(hits + false_alarms for hits, false_alarms in hand_scores.values())
    threshold = tp / (predicted + n_gold)
    print(
        f"{len(records)} training documents, {n_gold} gold triggers; hand lexicon: {tp} hits, {predicted - tp} false alarms,"
        f" trigger F1 {2 * threshold:.3f}; a row's precision must exceed {threshold:.3f}",
        file=sys.stderr,
    )

    proposed = candidates(parsed, hand)
    scores = score_rows(parsed, lexicon_from_rows(rows_text(proposed)))
    kept: dict[tuple[str, str], str] = {}
    source: dict[tuple[str, str], str] = {}
    for (lemma, pos), kind in proposed.items():
        hits, false_alarms = scores.get((lemma, pos, kind), [0, 0])
        if hits >= args.min_hits and hits / (hits + false_alarms) > threshold:
            kept[(lemma, pos)] = kind
            source[(lemma, pos)] = f"learned ({hits} hits, {false_alarms} false alarms)"
    dropped = {key: value for key, value in hand_scores.items() if sum(value) >= args.min_fires and value[0] / sum(value) < threshold}
    print(f"{len(proposed)} candidate rows, {len(kept)} added; {len(dropped)} hand rows dropped", file=sys.stderr)
    if args.report:
        for (lemma, pos, kind), (hits, false_alarms) in sorted(hand_scores.items(), key=lambda kv: kv[1][0] - kv[1][1]):
            mark = "drop" if (lemma, pos, kind) in dropped else "hand"
            print(f"{mark}\t{lemma}\t{pos}\t{kind}\t{hits}\t{false_alarms}", file=sys.stderr)
        for (lemma, pos), kind in sorted(proposed.items()):
            hits, false_alarms = scores.get((lemma, pos, kind), [0, 0])
            print(f"{'add' if (lemma, pos) in kept else 'skip'}\t{lemma}\t{pos}\t{kind}\t{hits}\t{false_alarms}", file=sys.stderr)

    provenance = (
        f"# Written {dt.date.today().isoformat()} by training/build_event_lexicon.py from {len(records)} documents (eval/geo/train.jsonl,\n"
        f"# tune2.jsonl, the tune part of dev.jsonl; never check, check2, check3) with {n_gold} gold triggers. Do not edit by hand.\n"
        f"# Threshold: precision above {threshold:.3f} (half the hand lexicon's trigger F1 there, where a row starts to add to F1).\n"
    )
    added = (
        "# Event triggers learned from annotated training documents: candidates from the gold triggers the hand lexicon lacks,\n"
        f"# kept with at least {args.min_hits} hits. Same columns as event_triggers.tsv, which is read first.\n" + provenance + rows_text(kept, source) + "\n"
    )
    removed = (
        f"# Hand-written rows of event_triggers.tsv left out: fired at least {args.min_fires} times on the training documents\n"
        "# with precision below the threshold. Columns: lemma, pos, type, hits, false alarms.\n"
        + provenance
        + "".join(f"{lemma}\t{pos}\t{kind}\t{hits}\t{fa}\n" for (lemma, pos, kind), (hits, fa) in sorted(dropped.items()))
    )
    if args.dry_run:
        print(added + "\n" + removed)
    else:
        OUT.write_text(added, encoding="utf-8")
        DROPPED.write_text(removed, encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)} and {DROPPED.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
