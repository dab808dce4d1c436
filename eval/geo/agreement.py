"""Agreement between two independent event annotations of the same documents.

    python eval/geo/agreement.py [--first eval/geo/check3.jsonl] [--second eval/geo/check3-second.jsonl]

Scores the second annotation against the first exactly as ``benchmarks/geo.py`` scores the extractor against
gold: per document, one-to-one, (type, place) and (type, actor, place), places equal when both are empty or they
resolve to the same place (same GeoNames id, or within 25 km). With two annotators F1 is symmetric, so it reads as
the agreement a system could be expected to reach against either. Also given: agreement on the trigger alone
(same token start, any type) and on (trigger, type).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "benchmarks"))

from geo import match_events, prf  # noqa: E402


def _read(path: Path) -> dict[str, dict[str, Any]]:
    return {r["doc"]: r for r in (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())}


def _events(record: dict[str, Any]) -> list[dict[str, Any]]:
    places = {p["name"]: p for p in record["places"]}
    return [{"type": e["type"], "actor": e["actor"], "place": places.get(e["place"]) if e["place"] else None} for e in record["events"]]


def _triggers(record: dict[str, Any], *, typed: bool) -> set[tuple[Any, ...]]:
    return {(e["trigger_start"], e["type"]) if typed else (e["trigger_start"],) for e in record["events"]}


def agreement(first: dict[str, dict[str, Any]], second: dict[str, dict[str, Any]]) -> dict[str, Any]:
    docs = sorted(set(first) & set(second))
    counts = {"n_first": 0, "n_second": 0, "type_place": 0, "type_actor_place": 0, "trigger": 0, "trigger_type": 0}
    for doc in docs:
        a, b = first[doc], second[doc]
        counts["n_first"] += len(a["events"])
        counts["n_second"] += len(b["events"])
        counts["type_place"] += match_events(_events(a), _events(b), actor=False)
        counts["type_actor_place"] += match_events(_events(a), _events(b), actor=True)
        counts["trigger"] += len(_triggers(a, typed=False) & _triggers(b, typed=False))
        counts["trigger_type"] += len(_triggers(a, typed=True) & _triggers(b, typed=True))
    # the second annotation plays the system: precision over its events, recall over the first's
    scores = {key: prf(counts[key], counts["n_second"], counts["n_first"]) for key in ("type_place", "type_actor_place", "trigger", "trigger_type")}
    return {"documents": len(docs), "events_first": counts["n_first"], "events_second": counts["n_second"], **scores}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--first", type=Path, default=HERE / "check3.jsonl")
    parser.add_argument("--second", type=Path, default=HERE / "check3-second.jsonl")
    args = parser.parse_args(argv)
    result = agreement(_read(args.first), _read(args.second))
    print(f"{result['documents']} documents; events: first {result['events_first']}, second {result['events_second']}")
    for key in ("type_place", "type_actor_place", "trigger", "trigger_type"):
        r = result[key]
        print(f"{key:<17} P/R/F1 {r['p']:.3f} / {r['r']:.3f} / {r['f1']:.3f}  (matched {r['tp']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
