"""Learn the event gate: a logistic model that keeps or drops the candidate events the trigger lexicon proposes.

    python training/train_event_gate.py [--data ../shared/data] [--folds 5] [--install]

The lexicon proposes an event wherever one of its words is used in an event sense it can check (a context word,
an argument, a date); annotators see an event in fewer of them ("sælge" in a price list, "støtte" as a
standing attitude). The gate weighs what the rules already know of each candidate — which lexicon row fired, how
the trigger sits in the parse, whether it has an actor, a place, a time, its modality (``gate_features`` in
``kilde.extract.events``) — against the annotated documents.

Documents: the ``train``, ``tune`` and ``tune2`` splits of ``benchmarks/geo.py`` (through
``build_event_lexicon.parse``). The held-out splits (check, check2, check3) are never read.

1. Every document is parsed once; the extractor runs with a recording gate that keeps everything, so each
   candidate is seen with its features. A candidate is positive when an annotator put an event of the same type
   on its trigger token.
2. Model selection by document-level cross-fitting (``--folds``): for each regularisation strength, every
   document's candidates are scored by a model fitted on the other folds; the strength and threshold kept are
   those with the best trigger F1 = 2·kept positives / (kept + gold triggers) over those out-of-fold scores. The
   figure is reported next to the same F1 with every candidate kept (no gate).
3. The final model is fitted on all documents with that strength and written, with its threshold and the
   cross-fitted figures, to ``training/runs/event_gate/event_gate.json``; ``--install`` copies it into
   ``src/kilde/extract/data/``, where the extractor reads it. A log goes to ``training/logs/train_event_gate.log``.

Caveat: the recording gate keeps every candidate, so the extractor's later steps (one event per type and sentence,
the same actor at the same place once) see them all; a gate that drops some changes what those steps see, so at run
time it meets a few candidates it was not trained on.

To see what a gate would do on the held-out documents at a given threshold (docs/EVENTS.md quotes 0.5 and 0.6):
``python training/train_event_gate.py --threshold 0.5 --install && python benchmarks/geo.py --split heldout
--no-write``, then delete ``src/kilde/extract/data/event_gate.json``.

Needs scikit-learn (the ``train`` extra); the extractor itself only reads the weights.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "training"))

from build_event_lexicon import parse  # noqa: E402
from geo import DATA_ROOT  # noqa: E402

RUN = ROOT / "training" / "runs" / "event_gate"
LOG = ROOT / "training" / "logs" / "train_event_gate.log"
PACKAGE_DATA = ROOT / "src" / "kilde" / "extract" / "data"
GATE = "event_gate.json"
STRENGTHS = (0.03, 0.1, 0.3, 1.0, 3.0)
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(1, 19))


@dataclass
class Example:
    document: str
    features: list[str]
    positive: bool


class Recorder:
    """A gate that keeps every candidate and remembers what it saw."""

    def __init__(self) -> None:
        self.seen: list[tuple[int, str, list[str]]] = []

    def keep(self, candidate: Any) -> bool:
        self.seen.append((candidate.token.i, candidate.kind, candidate.features))
        return True


def examples(parsed: list[Any]) -> tuple[list[Example], dict[str, int]]:
    """Every candidate of every document, labelled; and each document's number of gold triggers (on a token)."""
    from kilde.extract.events import events

    out: list[Example] = []
    gold: dict[str, int] = {}
    for item in parsed:
        recorder = Recorder()
        events(item.doc, item.places, item.times, quotes=item.quotes, published=item.published, gate=recorder)
        out += [Example(item.name, features, kind in item.gold.get(index, ())) for index, kind, features in recorder.seen]
        gold[item.name] = sum(len(kinds) for kinds in item.gold.values())
    return out, gold


def _vectors(examples: list[Example]) -> list[dict[str, int]]:
    """Binary features as the DictVectorizer reads them."""
    return [dict.fromkeys(e.features, 1) for e in examples]


def _fit(train: list[Example], strength: float) -> Any:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    model = make_pipeline(DictVectorizer(), LogisticRegression(C=strength, max_iter=2000))
    model.fit(_vectors(train), [e.positive for e in train])
    return model


def f1(kept: list[Example], gold: int) -> float:
    return 2 * sum(e.positive for e in kept) / (len(kept) + gold) if kept or gold else 0.0


def _folds(documents: list[str], folds: int) -> dict[str, int]:
    return {name: i % folds for i, name in enumerate(sorted(documents))}


def cross_fitted(data: list[Example], gold: dict[str, int], folds: int) -> dict[str, Any]:
    """Out-of-fold probabilities for every strength over the documents in ``gold``, and the best (strength,
    threshold) by trigger F1 on them."""
    fold_of = _folds(list(gold), folds)
    total = sum(gold.values())
    mine = [e for e in data if e.document in gold]
    results = []
    for strength in STRENGTHS:
        scored: list[tuple[float, Example]] = []
        for k in range(folds):
            held = [e for e in mine if fold_of[e.document] == k]
            rest = [e for e in mine if fold_of[e.document] != k]
            if not held or not rest:
                continue
            probabilities = _fit(rest, strength).predict_proba(_vectors(held))[:, 1]
            scored += list(zip(probabilities, held, strict=True))
        for threshold in THRESHOLDS:
            results.append((f1([e for p, e in scored if p >= threshold], total), strength, threshold))
    best = max(results)
    return {"f1": round(best[0], 4), "C": best[1], "threshold": best[2], "f1_no_gate": round(f1(mine, total), 4), "grid": results}


def nested(data: list[Example], gold: dict[str, int], folds: int) -> dict[str, float]:
    """The gate's trigger F1 without the optimism of choosing its strength and threshold on the same scores: each
    outer fold is kept or dropped by a gate whose strength and threshold were chosen by cross-fitting on the others."""
    fold_of = _folds(list(gold), folds)
    kept: list[Example] = []
    for k in range(folds):
        inner = {name: n for name, n in gold.items() if fold_of[name] != k}
        chosen = cross_fitted(data, inner, folds)
        model = _fit([e for e in data if e.document in inner], chosen["C"])
        held = [e for e in data if fold_of[e.document] == k]
        if held:
            probabilities = model.predict_proba(_vectors(held))[:, 1]
            kept += [e for p, e in zip(probabilities, held, strict=True) if p >= chosen["threshold"]]
    total = sum(gold.values())
    return {"f1": round(f1(kept, total), 4), "f1_no_gate": round(f1(data, total), 4)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA_ROOT, help="the shared data root holding cdt_ddt/ (default: $KILDE_DATA or ../shared/data)")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--threshold", type=float, default=None, help="write this threshold instead of the chosen one (to measure a gate at it)")
    parser.add_argument("--install", action="store_true", help="copy the gate into the package, where the extractor reads it")
    args = parser.parse_args(argv)
    try:
        import sklearn  # noqa: F401
    except ImportError:
        print("train_event_gate.py needs scikit-learn: pip install -e '.[train]'", file=sys.stderr)
        return 2
    parsed = parse(args.data)
    data, gold = examples(parsed)
    chosen = cross_fitted(data, gold, args.folds)
    honest = nested(data, gold, args.folds)
    model = _fit(data, chosen["C"])
    vectorizer, regression = model.steps[0][1], model.steps[1][1]
    weights = {name: round(float(w), 5) for name, w in zip(vectorizer.get_feature_names_out(), regression.coef_[0], strict=True) if abs(w) >= 1e-4}
    gate = {
        "about": "kilde event gate: logistic model over gate_features (kilde.extract.events); training/train_event_gate.py",
        "trained": dt.date.today().isoformat(),
        "documents": len(parsed),
        "candidates": len(data),
        "positives": sum(e.positive for e in data),
        "gold_triggers": sum(gold.values()),
        "cross_fitted": {k: chosen[k] for k in ("f1", "f1_no_gate", "C", "threshold")} | {"folds": args.folds, "nested_f1": honest["f1"]},
        "bias": round(float(regression.intercept_[0]), 5),
        "threshold": chosen["threshold"] if args.threshold is None else args.threshold,
        "weights": dict(sorted(weights.items())),
    }
    RUN.mkdir(parents=True, exist_ok=True)
    out = RUN / GATE
    out.write_text(json.dumps(gate, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    top = sorted(weights.items(), key=lambda kv: kv[1])
    lines = [
        f"# train_event_gate.py, {dt.datetime.now().isoformat(timespec='seconds')}",
        f"documents {len(parsed)}, candidates {len(data)}, positives {gate['positives']}, gold triggers {gate['gold_triggers']}",
        f"cross-fitted trigger F1 ({args.folds} folds by document): no gate {chosen['f1_no_gate']}, gate {chosen['f1']} "
        f"(C={chosen['C']}, threshold {chosen['threshold']}, chosen on these scores)",
        f"nested (strength and threshold chosen on the other folds): no gate {honest['f1_no_gate']}, gate {honest['f1']}",
        "grid (f1, C, threshold):",
        *(f"  {r[0]:.4f} {r[1]} {r[2]}" for r in chosen["grid"]),
        "most negative weights:",
        *(f"  {w:+.3f} {name}" for name, w in top[:25]),
        "most positive weights:",
        *(f"  {w:+.3f} {name}" for name, w in top[-25:]),
    ]
    LOG.parent.mkdir(parents=True, exist_ok=True)
    LOG.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines[:4]))
    print(f"wrote {out}")
    if args.install:
        from kilde.extract.events import LinearGate

        LinearGate.from_json(out.read_text(encoding="utf-8"), name=str(out))  # what the extractor will read, checked first
        shutil.copy(out, PACKAGE_DATA / GATE)
        print(f"installed {PACKAGE_DATA / GATE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
