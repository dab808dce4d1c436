"""Learn the event trigger lexicon's additions and drops from annotated documents.

    python training/build_event_lexicon.py [--data ../shared/data] [--min-hits 2] [--min-fires 4] [--install]

writes ``training/runs/event_lexicon/event_triggers_learned.tsv`` (rows to add) and ``event_triggers_dropped.tsv``
(hand-written rows to leave out), and a log of every row's counts to ``training/logs/build_event_lexicon.log``;
``--install`` also copies the two files into ``src/kilde/extract/data/``, where the extractor reads them. Once
installed, ``train`` is no longer a held-out split for the events benchmark.

The hand-written lexicon (``event_triggers.tsv``) knows the triggers its authors thought of; on held-out
documents most missed events are words it lacks, and some of its words fire far more often than annotators see
an event in them ("sælge" in every sale). This script measures both.

Training documents: the ``train``, ``tune`` and ``tune2`` splits of ``benchmarks/geo.py`` (its ``load_dev``, so the
splits cannot drift apart). The held-out splits (check, check2, check3) are never read.

1. Each document is cleaned and parsed by the shipped pipeline, as ``kilde.analyze`` does.
2. Cross-fitted candidates: the documents fall into two halves. Each gold trigger's token in one half gives a row
   (its lemma, V or N, the gold type most often given to that lemma in that half) unless the hand lexicon has
   that lemma and part of speech already; the rows are scored on the other half only, so no row is credited
   with the very mentions it was taken from.
3. Scoring: the extractor runs with the rows alone; every event it finds is credited to the row that fired it,
   a hit when a gold event of the same type has its trigger on that token, else a false alarm.
4. Threshold: adding a row with precision p to a lexicon with TP hits, P predictions and G gold triggers raises
   trigger F1 = 2·TP / (P + G) when p > TP / (P + G), half that F1. It is computed for the hand lexicon on the
   ``train`` documents only (the rules were developed on tune and tune2, where they score higher), and not
   chosen. It is an approximation: the extractor keeps one event per type and sentence, so rows interact, and
   the benchmark scores (type, place), not triggers.
5. A candidate is added with at least ``--min-hits`` hits in at least two documents and precision above the
   threshold; a hand row is dropped when it fired at least ``--min-fires`` times on the ``train`` documents with
   precision below it. The minimum counts were fixed before any held-out figure was looked at.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from geo import DATA_ROOT, load_dev  # noqa: E402

GEO = ROOT / "eval" / "geo"
RUN = ROOT / "training" / "runs" / "event_lexicon"
LOG = ROOT / "training" / "logs" / "build_event_lexicon.log"
PACKAGE_DATA = ROOT / "src" / "kilde" / "extract" / "data"
LEARNED, DROPPED = "event_triggers_learned.tsv", "event_triggers_dropped.tsv"
SPLITS = ("train", "tune", "tune2")


@dataclass
class Parsed:
    """One training document: the spaCy doc, what events() needs, and its gold triggers by token."""

    name: str
    split: str
    doc: Any
    places: list[Any]
    times: list[Any]
    quotes: list[Any]
    published: str | None
    gold: dict[int, set[str]] = field(default_factory=dict)  # token index → gold event types triggered there
    unmapped: int = 0  # gold triggers in text that cleaning removed (no token)


def parse(data: Path) -> list[Parsed]:
    from kilde.clean import clean
    from kilde.extract import Context
    from kilde.extract.places import places
    from kilde.extract.quotes import extract_quotes
    from kilde.extract.times import times
    from kilde.nlp import load_pipeline
    from kilde.read.document import RawDocument

    nlp = load_pipeline()
    parsed = []
    for split in SPLITS:
        for record in load_dev(split):
            path = (GEO / record["path"]) if record["doc"].startswith("own-") else data / record["path"]
            raw = path.read_text(encoding="utf-8")
            cleaned = clean(RawDocument(text=raw, format="text", path=str(path)))
            doc = nlp(cleaned.text)
            spans = [(*cleaned.offset_map.to_raw(t.idx, t.idx + len(t)), t.i) for t in doc]
            published = record.get("published")
            quotes, _ = extract_quotes(doc, Context(published=published))
            item = Parsed(record["doc"], split, doc, places(doc), times(doc, published=published), quotes, published)
            for event in record["events"]:
                # the token whose raw span holds the trigger's first character (a hyphenated compound's part counts)
                token = next((i for start, end, i in spans if start <= event["trigger_start"] < end), None)
                if token is None:
                    item.unmapped += 1
                else:
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


@dataclass
class Score:
    hits: int = 0
    false_alarms: int = 0
    hit_documents: set[str] = field(default_factory=set)

    @property
    def fired(self) -> int:
        return self.hits + self.false_alarms

    @property
    def precision(self) -> float:
        return self.hits / self.fired if self.fired else 0.0


def score_rows(parsed: list[Parsed], lexicon: Any, scores: dict[tuple[str, str, str], Score] | None = None) -> dict[tuple[str, str, str], Score]:
    """(lemma, V|N, type) of the row that fired → its score, running the extractor with ``lexicon`` on ``parsed``.

    Which row fired is found again with the extractor's own matcher on the trigger token and its window."""
    from kilde.extract.events import _match, events

    scores = scores if scores is not None else collections.defaultdict(Score)
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
            score = scores[(trigger.lemma, trigger.pos, trigger.type)]
            if event.type in item.gold.get(token.i, ()):
                score.hits += 1
                score.hit_documents.add(item.name)
            else:
                score.false_alarms += 1
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA_ROOT, help="the shared data root holding cdt_ddt/ (default: $KILDE_DATA or ../shared/data)")
    parser.add_argument("--min-hits", type=int, default=2, help="hits (in at least two documents) a candidate row needs to be added")
    parser.add_argument("--min-fires", type=int, default=4, help="events a hand row must have fired on the train documents to be dropped")
    parser.add_argument("--install", action="store_true", help="also copy the two files into src/kilde/extract/data (the extractor then reads them)")
    args = parser.parse_args(argv)
    if not (args.data / "cdt_ddt" / "txt").is_dir():
        print(f"error: {args.data / 'cdt_ddt' / 'txt'} not found (give --data)", file=sys.stderr)
        return 2

    from kilde.extract.events import lexicon_from_rows, lexicon_rows

    parsed = parse(args.data)
    n_gold = sum(len(kinds) for item in parsed for kinds in item.gold.values())
    unmapped = sum(item.unmapped for item in parsed)
    hand = lexicon_from_rows(lexicon_rows(learned=False))
    train = [item for item in parsed if item.split == "train"]
    hand_scores = score_rows(train, hand)
    tp = sum(score.hits for score in hand_scores.values())
    predicted = sum(score.fired for score in hand_scores.values())
    train_gold = sum(len(kinds) for item in train for kinds in item.gold.values())
    threshold = tp / (predicted + train_gold)
    log = [
        f"# {dt.date.today().isoformat()}: {len(parsed)} documents ({', '.join(f'{s} {sum(i.split == s for i in parsed)}' for s in SPLITS)}),"
        f" {n_gold} gold triggers on tokens ({unmapped} in removed text, left out)",
        f"# hand lexicon on train: {tp} hits, {predicted - tp} false alarms, {train_gold} gold; trigger F1 {2 * threshold:.3f};"
        f" threshold (precision a row must exceed) {threshold:.3f}",
    ]

    halves = (parsed[0::2], parsed[1::2])
    proposed: dict[tuple[str, str], str] = {}
    scores: dict[tuple[str, str, str], Score] = collections.defaultdict(Score)
    for source_half, scored_half in (halves, halves[::-1]):
        rows = candidates(source_half, hand)
        proposed.update(rows)
        score_rows(scored_half, lexicon_from_rows(rows_text(rows)), scores)
    kept: dict[tuple[str, str], str] = {}
    source: dict[tuple[str, str], str] = {}
    for (lemma, pos), kind in proposed.items():
        score = scores.get((lemma, pos, kind), Score())
        if score.hits >= args.min_hits and len(score.hit_documents) >= 2 and score.precision > threshold:
            kept[(lemma, pos)] = kind
            source[(lemma, pos)] = f"learned ({score.hits} hits in {len(score.hit_documents)} documents, {score.false_alarms} false alarms)"
    dropped = {key: score for key, score in hand_scores.items() if score.fired >= args.min_fires and score.precision < threshold}
    log.append(f"# {len(proposed)} candidate rows, {len(kept)} added; {len(dropped)} hand rows dropped")
    log.append("# row\tlemma\tpos\ttype\thits\tfalse alarms\tdocuments with hits")
    for (lemma, pos, kind), score in sorted(hand_scores.items()):
        mark = "drop" if (lemma, pos, kind) in dropped else "hand"
        log.append(f"{mark}\t{lemma}\t{pos}\t{kind}\t{score.hits}\t{score.false_alarms}\t{len(score.hit_documents)}")
    for (lemma, pos), kind in sorted(proposed.items()):
        score = scores.get((lemma, pos, kind), Score())
        log.append(f"{'add' if (lemma, pos) in kept else 'skip'}\t{lemma}\t{pos}\t{kind}\t{score.hits}\t{score.false_alarms}\t{len(score.hit_documents)}")

    provenance = (
        f"# Written {dt.date.today().isoformat()} by training/build_event_lexicon.py from the train, tune and tune2 documents of eval/geo\n"
        f"# (never check, check2, check3); {n_gold} gold triggers. Do not edit by hand. Threshold: precision above {threshold:.3f},\n"
        "# half the hand lexicon's trigger F1 on the train documents (about where a row starts to add to F1).\n"
    )
    added = (
        "# Event triggers learned from annotated documents: candidates from the gold triggers the hand lexicon lacks in one half\n"
        f"# of the documents, scored on the other half; kept with at least {args.min_hits} hits in two documents. Same columns as\n"
        "# event_triggers.tsv, which is read first.\n" + provenance + rows_text(kept, source) + "\n"
    )
    removed = (
        f"# Hand-written rows of event_triggers.tsv left out: fired at least {args.min_fires} times on the train documents with\n"
        "# precision below the threshold. Columns: lemma, pos, type, hits, false alarms.\n"
        + provenance
        + "".join(f"{lemma}\t{pos}\t{kind}\t{score.hits}\t{score.false_alarms}\n" for (lemma, pos, kind), score in sorted(dropped.items()))
    )
    RUN.mkdir(parents=True, exist_ok=True)
    (RUN / LEARNED).write_text(added, encoding="utf-8")
    (RUN / DROPPED).write_text(removed, encoding="utf-8")
    LOG.write_text("\n".join(log) + "\n", encoding="utf-8")
    print("\n".join(log[:3]), file=sys.stderr)
    print(f"wrote {RUN.relative_to(ROOT)}/{{{LEARNED},{DROPPED}}} and {LOG.relative_to(ROOT)}", file=sys.stderr)
    if args.install:
        for name in (LEARNED, DROPPED):
            shutil.copyfile(RUN / name, PACKAGE_DATA / name)
        print(f"installed both into {PACKAGE_DATA.relative_to(ROOT)}: the train split is no longer held out", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
