"""Agreement between two independent event annotations of the same documents.

    python eval/geo/agreement.py [--first eval/geo/check3.jsonl] [--second eval/geo/check3-second.jsonl]

Scores the second annotation against the first exactly as ``benchmarks/geo.py`` scores the extractor against
gold: per document, one-to-one, (type, place) and (type, actor, place), places equal when both are empty or they
resolve to the same place (same GeoNames id, or within 25 km). That matching is greedy and reads GeoNames ids from
the side taken as gold, so F1 differs a little with the direction: both directions are given, and their mean.
Also given: agreement on the trigger alone (same token start, any type) and on (trigger, type).
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
        events_a, events_b = _events(a), _events(b)
        counts["n_first"] += len(a["events"])
        counts["n_second"] += len(b["events"])
        counts["type_place"] += match_events(events_a, events_b, actor=False)
        counts["type_actor_place"] += match_events(events_a, events_b, actor=True)
        for key, typed in (("trigger", False), ("trigger_type", True)):
            counts[key] += len(_triggers(a, typed=typed) & _triggers(b, typed=typed))
    # the second annotation plays the system: precision over its events, recall over the first's
    scores = {key: prf(counts[key], counts["n_second"], counts["n_first"]) for key in ("type_place", "type_actor_place", "trigger", "trigger_type")}
    return {"documents": len(docs), "events_first": counts["n_first"], "events_second": counts["n_second"], **scores}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--first", type=Path, default=HERE / "check3.jsonl")
    parser.add_argument("--second", type=Path, default=HERE / "check3-second.jsonl")
    args = parser.parse_args(argv)
    first, second = _read(args.first), _read(args.second)
    forward, backward = agreement(first, second), agreement(second, first)
    print(f"{forward['documents']} documents; events: {args.first.name} {forward['events_first']}, {args.second.name} {forward['events_second']}")
    for key in ("type_place", "type_actor_place", "trigger", "trigger_type"):
        a, b = forward[key], backward[key]
        print(
            f"{key:<17} F1 {a['f1']:.3f} ({args.first.name} as gold: P/R {a['p']:.3f} / {a['r']:.3f}), {b['f1']:.3f} (the other way),"
            f" mean {(a['f1'] + b['f1']) / 2:.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
