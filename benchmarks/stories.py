"""Near-duplicates and stories: accuracy on our evaluation set, throughput on a large synthetic store.

    .venv/bin/python benchmarks/stories.py [--model PATH|rules] [--background 300] [--records 100000] [--days 100] [--no-write]

1. **Near-duplicates** on ``eval/duplicates/articles.jsonl`` (our own base articles with exact copies, wire
   copies under other headlines, light edits; hard negatives: follow-ups of the same story sharing names,
   formulaic reports of different events): pairwise precision/recall/F1 of the groups over pairs of
   articles within one split, for a range of Jaccard thresholds. The threshold is chosen on **dev** (best
   F1; of equal F1, the one whose neighbours in the grid do best, then the middle one) and reported on **test**. "originals" = the share of gold groups whose
   predicted original is the gold one (the base article, always the earliest). ``--background`` newspaper
   texts of ../shared/data/cdt_ddt (read at run time, never stored) are mixed in as unrelated news of the same
   days: scored against our articles (they must join none of our groups or stories), not against each other.
2. **Stories** on the same set: each article is analysed with the Kilde pipeline (``--model``) and stored,
   so entities, places and speakers come from the pipeline as in use; then pairwise and B-cubed P/R/F1 of
   the stories against the gold stories, over a grid of (day threshold, link threshold, name weight)
   chosen on dev, reported on test. An article in no story counts as a story of its own.
3. **Throughput** on ``--records`` synthetic records (benchmarks/store.py's generator; every tenth record is
   an edited copy of a recent one, so there are near-duplicates to find), spread over ``--days`` days:
   ``build_stories`` on the store (read, near-duplicates, clustering, write) in a fresh process, with each
   phase timed, and the peak resident memory of that process (``ru_maxrss``).

Results go to ``benchmarks/results/stories.json`` and the stories section of ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import itertools
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from kilde.records import Article, Source
from kilde.store.ingest import content_hash
from kilde.store.sqlite import SqliteStore
from kilde.stories import DuplicateGroup, Story, StoryDoc
from kilde.stories.clustering import StoryParams, StoryVectors, cluster_stories
from kilde.stories.duplicates import DEFAULT_THRESHOLD, DuplicateFinder
from results_file import git_commit, save_results

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "eval" / "duplicates" / "articles.jsonl"
RESULTS_JSON = ROOT / "benchmarks" / "results" / "stories.json"
START, END = "<!-- stories:start -->", "<!-- stories:end -->"
HEADING = "## Near-duplicates and stories"
DATE = "2026-11-25"
THRESHOLDS = [round(0.2 + 0.05 * k, 2) for k in range(15)]  # 0.2 … 0.9
DAY_THRESHOLDS = [0.2, 0.3, 0.4, 0.5, 0.6]
LINK_THRESHOLDS = [0.1, 0.15, 0.2, 0.25, 0.3, 0.35]
NAME_WEIGHTS = [1.0, 2.0, 3.0]


# -- metrics --------------------------------------------------------------------------------


def pairwise(gold: dict[str, str], predicted: dict[str, str], items: list[str], *, unknown: frozenset[str] = frozenset()) -> dict[str, float]:
    """Precision/recall/F1 over the pairs of ``items`` put together by ``predicted`` vs ``gold`` (cluster labels).

    Pairs of two ``unknown`` items are not scored (background texts: whether two of them are one story is not known).
    """
    tp = fp = fn = 0
    for a, b in itertools.combinations(items, 2):
        if a in unknown and b in unknown:
            continue
        same_gold, same_pred = gold[a] == gold[b], predicted[a] == predicted[b]
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"p": round(p, 3), "r": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0, "gold_pairs": tp + fn}


def bcubed(gold: dict[str, str], predicted: dict[str, str], items: list[str]) -> dict[str, float]:
    """B-cubed precision/recall/F1 over ``items`` (each item's cluster compared within the items; give it our own articles only)."""
    by_gold, by_pred = defaultdict(set), defaultdict(set)
    for i in items:
        by_gold[gold[i]].add(i)
        by_pred[predicted[i]].add(i)
    p = sum(len(by_pred[predicted[i]] & by_gold[gold[i]]) / len(by_pred[predicted[i]]) for i in items) / len(items)
    r = sum(len(by_pred[predicted[i]] & by_gold[gold[i]]) / len(by_gold[gold[i]]) for i in items) / len(items)
    return {"p": round(p, 3), "r": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


def labels_of_groups(groups: Iterable[DuplicateGroup], ids: Iterable[str]) -> dict[str, str]:
    labels = {i: i for i in ids}
    for g in groups:
        for m in g.members:
            labels[m] = g.id
    return labels


def labels_of_stories(stories: Iterable[Story], ids: Iterable[str]) -> dict[str, str]:
    labels = {i: "alone:" + i for i in ids}
    for s in stories:
        for a in s.articles:
            labels[a.id] = s.id
    return labels


def choose(results: dict[Any, dict[str, Any]], axes: list[list[Any]]) -> Any:
    """The setting with the best dev F1; of equal ones, the one whose grid neighbours do best (the most robust),
    then the middle one in the order given. ``axes`` are the values of each coordinate of the (tuple) keys."""

    def key(k: Any) -> tuple[Any, ...]:
        return k if isinstance(k, tuple) else (k,)

    def neighbours(k: Any) -> list[float]:
        out = []
        for axis, values in enumerate(axes):
            i = values.index(key(k)[axis])
            for j in (i - 1, i + 1):
                if 0 <= j < len(values):
                    other = (*key(k)[:axis], values[j], *key(k)[axis + 1 :])
                    r = results.get(other if isinstance(k, tuple) else other[0])
                    if r is not None:
                        out.append(r["dev"]["f1"])
        return out

    best = max(r["dev"]["f1"] for r in results.values())
    tied = [k for k, r in results.items() if r["dev"]["f1"] == best]
    robustness = {k: sum(neighbours(k)) / max(1, len(neighbours(k))) for k in tied}
    most = max(robustness.values())
    tied = [k for k in tied if robustness[k] == most]
    return tied[len(tied) // 2]


# -- 1. near-duplicates -----------------------------------------------------------------------


def load_eval() -> list[dict[str, str]]:
    return [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines() if line.strip()]


def background(data: Path, count: int, seed: int, rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """``count`` cdt_ddt newspaper texts (read here, never stored) as distractors: each a story and a group of its own.

    They are dated at random within the days of the evaluation set and alternate between dev and test, so the
    thresholds are chosen among unrelated news of the same days, with document frequencies like a real store's.
    """
    meta = data / "cdt_ddt" / "metadata.tsv"
    if not count or not meta.is_file():
        return []
    rng = random.Random(seed)
    days = sorted({r["published"][:10] for r in rows})
    out = []
    texts = [r for r in csv.DictReader(meta.open(encoding="utf-8"), delimiter="\t") if r["medium"] == "newspaper" and r["ud_split_status"] != "test-only"]
    for n, row in enumerate(texts):
        if n == count:
            break
        text = (data / "cdt_ddt" / "txt" / f"{row['id']}-da.txt").read_text(encoding="utf-8")
        key = f"bg{row['id']}"
        published = f"{rng.choice(days)}T{rng.randrange(6, 22):02d}:{rng.randrange(60):02d}"
        out.append({"id": key, "url": f"https://baggrund.example.dk/{key}", "title": row["title"], "published": published, "outlet": row["publisher"],
                    "text": text, "group": key, "story": key, "split": ("dev", "test")[n % 2], "kind": "background", "original": key})  # fmt: skip
    return out


def duplicates(rows: list[dict[str, str]]) -> dict[str, Any]:
    gold = {r["id"]: r["group"] for r in rows}
    splits = {s: [r["id"] for r in rows if r["split"] == s] for s in ("dev", "test")}
    # background texts are scored against ours (never a copy of one), not against each other (the corpus may hold copies)
    unknown = frozenset(r["id"] for r in rows if r["kind"] == "background")
    by_threshold: dict[float, dict[str, Any]] = {}
    for threshold in THRESHOLDS:
        finder = DuplicateFinder(threshold=threshold)
        for r in rows:
            finder.add(r["id"], published=r["published"], text=r["text"], title=r["title"])
        groups = finder.groups()
        predicted = labels_of_groups(groups, gold)
        original_of = {m: g.original for g in groups for m in g.members}
        result: dict[str, Any] = {s: pairwise(gold, predicted, ids, unknown=unknown) for s, ids in splits.items()}
        for s, ids in splits.items():
            bases = [r for r in rows if r["id"] in ids and r["kind"] == "base"]
            result[s]["originals"] = round(sum(original_of.get(b["id"], b["id"]) == b["id"] for b in bases) / len(bases), 3)
        by_threshold[threshold] = result
    chosen = choose(by_threshold, [THRESHOLDS])
    kinds = defaultdict(lambda: [0, 0])  # recall of each kind of copy at the chosen threshold: found with its base / all
    finder = DuplicateFinder(threshold=chosen)
    for r in rows:
        finder.add(r["id"], published=r["published"], text=r["text"], title=r["title"])
    predicted = labels_of_groups(finder.groups(), gold)
    for r in rows:
        if r["kind"] not in ("base", "background"):
            kinds[r["kind"]][0] += predicted[r["id"]] == predicted[r["original"]]
            kinds[r["kind"]][1] += 1
    return {
        "articles": len(rows),
        "groups": len(set(gold.values())),
        "by_threshold": {str(k): v for k, v in by_threshold.items()},
        "chosen": chosen,
        "default": DEFAULT_THRESHOLD,
        "dev": by_threshold[chosen]["dev"],
        "test": by_threshold[chosen]["test"],
        "recall_by_kind": {k: f"{v[0]}/{v[1]}" for k, v in sorted(kinds.items())},
    }


# -- 2. stories ---------------------------------------------------------------------------------


def analysed_docs(rows: list[dict[str, str]], model: str | None, work: Path) -> tuple[list[StoryDoc], dict[str, str]]:
    """The eval articles through the Kilde pipeline into a store; their StoryDocs, and article id → eval id."""
    from kilde.nlp import load_pipeline
    from kilde.pipeline import analyze_many

    nlp = load_pipeline(model)
    items = [{k: r[k] for k in ("text", "title", "url", "published", "outlet")} for r in rows]
    eval_id = {}
    with SqliteStore(work / "eval.db") as store:
        for r, article in zip(rows, analyze_many(items, nlp=nlp), strict=True):
            if not isinstance(article, Article):
                raise SystemExit(f"{EVAL}: {r['id']} was rejected: {article.message}")
            store.add(article)
            eval_id[article.id] = r["id"]
        docs = [dataclasses.replace(d, id=eval_id[d.id]) for d in store.story_docs()]
    return docs, eval_id


def stories(rows: list[dict[str, str]], model: str | None, work: Path) -> dict[str, Any]:
    docs, _ = analysed_docs(rows, model, work)
    gold = {r["id"]: r["story"] for r in rows}
    splits = {s: [r["id"] for r in rows if r["split"] == s] for s in ("dev", "test")}
    unknown = frozenset(r["id"] for r in rows if r["kind"] == "background")
    own = {s: [i for i in ids if i not in unknown] for s, ids in splits.items()}
    finder = DuplicateFinder()
    for d in docs:
        finder.add(d.id, published=d.published, text=d.text, title=d.title)
    groups = finder.groups()
    grid: dict[tuple[float, float, float], dict[str, Any]] = {}
    for weight in NAME_WEIGHTS:
        vectors = StoryVectors(params=StoryParams(name_weight=weight))
        for d in docs:
            vectors.add(d)
        for day, link in itertools.product(DAY_THRESHOLDS, LINK_THRESHOLDS):
            found, _ = cluster_stories(vectors, groups, params=StoryParams(name_weight=weight, day_threshold=day, link_threshold=link))
            predicted = labels_of_stories(found, gold)
            grid[(day, link, weight)] = {
                **{s: pairwise(gold, predicted, ids, unknown=unknown) for s, ids in splits.items()},
                **{f"{s}_bcubed": bcubed(gold, predicted, ids) for s, ids in own.items()},
                "stories": len(found),
            }
    chosen = choose(grid, [DAY_THRESHOLDS, LINK_THRESHOLDS, NAME_WEIGHTS])
    default = StoryParams()
    default_key = (default.day_threshold, default.link_threshold, default.name_weight)
    return {
        "model": model or "da_kilde",
        "gold_stories": len({gold[i] for ids in own.values() for i in ids}),
        "background": len(unknown),
        "chosen": {"day_threshold": chosen[0], "link_threshold": chosen[1], "name_weight": chosen[2]},
        "dev": grid[chosen]["dev"],
        "test": grid[chosen]["test"],
        "dev_bcubed": grid[chosen]["dev_bcubed"],
        "test_bcubed": grid[chosen]["test_bcubed"],
        "stories": grid[chosen]["stories"],
        "default": {"params": list(default_key), **{k: v for k, v in grid.get(default_key, {}).items()}},
        "grid_size": len(grid),
        "by_link": {str(link): [grid[(chosen[0], link, chosen[2])]["dev"]["f1"], grid[(chosen[0], link, chosen[2])]["test"]["f1"]] for link in LINK_THRESHOLDS},
        "by_day": {str(day): [grid[(day, chosen[1], chosen[2])]["dev"]["f1"], grid[(day, chosen[1], chosen[2])]["test"]["f1"]] for day in DAY_THRESHOLDS},
    }


# -- 3. throughput --------------------------------------------------------------------------------


def synthetic_records(records: int, days: int, seed: int) -> Iterator[Article]:
    """benchmarks/store.py's synthetic records over ``days`` days; every tenth an edited copy of a recent one."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from store import DATA, OUTLETS, _sentences, synthetic

    sentences = _sentences(DATA)
    rng = random.Random(seed)
    recent: list[Article] = []
    start = time.mktime((2024, 1, 1, 0, 0, 0, 0, 0, 0))
    for i in range(records):
        day = i * days // records
        published = time.strftime("%Y-%m-%dT%H:%M", time.localtime(start + day * 86400 + rng.randrange(86400)))
        if i % 10 == 9 and recent:
            base = rng.choice(recent)
            words = base.text.split(" ")
            for _ in range(3):
                k = rng.randrange(len(words))
                words[k] = rng.choice(["også", "nu", "dog", "igen", "straks"])
            text = " ".join(words)
            url = f"https://kopi.example.dk/{i}"
            yield base.model_copy(
                update={"id": f"syn{i:08d}", "content_hash": content_hash(text), "text": text, "raw": text, "published": published,
                        "source": Source(url=url, outlet=rng.choice(OUTLETS), format="json", index=i)}
            )  # fmt: skip
            continue
        article = synthetic(i, rng, sentences).model_copy(update={"published": published})
        recent = [*recent[-49:], article]
        yield article


def build_synthetic(path: Path, records: int, days: int, seed: int) -> float:
    started = time.perf_counter()
    with SqliteStore(path) as store:
        store.add_many(synthetic_records(records, days, seed), per_transaction=1000)
    return time.perf_counter() - started


def measure(path: Path) -> dict[str, Any]:
    """build_stories on the store at ``path``, phase by phase (run in a fresh process for an honest peak memory)."""
    timings: dict[str, float] = {}
    with SqliteStore(path, create=False) as store:
        started = time.perf_counter()
        docs = 0
        finder = DuplicateFinder()
        vectors = StoryVectors()
        t_dup = t_vec = 0.0
        for doc in store.story_docs():
            docs += 1
            t0 = time.perf_counter()
            finder.add(doc.id, published=doc.published, text=doc.text, title=doc.title)
            t1 = time.perf_counter()
            vectors.add(doc)
            t_vec += time.perf_counter() - t1
            t_dup += t1 - t0
        timings["read_and_prepare"] = time.perf_counter() - started
        t0 = time.perf_counter()
        groups = finder.groups()
        timings["duplicates_signatures"] = t_dup
        timings["duplicates_grouping"] = time.perf_counter() - t0
        timings["duplicates"] = t_dup + timings["duplicates_grouping"]
        t0 = time.perf_counter()
        found, mentions = cluster_stories(vectors, groups)
        timings["stories_clustering"] = time.perf_counter() - t0
        timings["stories"] = t_vec + timings["stories_clustering"]
        t0 = time.perf_counter()
        store.replace_stories(groups, found, place_mentions=mentions)
        timings["write"] = time.perf_counter() - t0
        timings["total"] = time.perf_counter() - started
        timings["read"] = timings["read_and_prepare"] - t_dup - t_vec
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "articles": docs,
        "duplicate_groups": len(groups),
        "copies": sum(len(g.members) - 1 for g in groups),
        "stories": len(found),
        "in_stories": sum(s.size for s in found),
        "seconds": {k: round(v, 1) for k, v in timings.items()},
        "duplicates_per_s": round(docs / timings["duplicates"]),
        "stories_per_s": round(docs / timings["stories"]),
        "build_stories_per_s": round(docs / timings["total"]),
        "peak_rss_mb": round(peak_kb / 1024),
    }


def throughput(records: int, days: int, seed: int, keep: Path | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="kilde-stories-bench-") as tmp:
        path = keep or Path(tmp) / "synthetic.db"
        if not path.exists():
            print(f"building {records:,} synthetic records over {days} days …", file=sys.stderr)
            build_synthetic(path, records, days, seed)
        print("timing build_stories in a fresh process …", file=sys.stderr)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT / "benchmarks"), os.environ.get("PYTHONPATH", "")])}
        out = subprocess.run([sys.executable, __file__, "--measure", str(path)], capture_output=True, text=True, env=env, check=True)
        result = json.loads(out.stdout)
    return {"records": records, "days": days, **result}


# -- report ---------------------------------------------------------------------------------------


def markdown(result: dict[str, Any]) -> str:
    d, s = result["duplicates"], result["stories"]
    lines = [
        START,
        f"{result['date']}, commit `{result['commit']}`. Command: `.venv/bin/python benchmarks/stories.py`. One process, load average before"
        f" {result['load_before']}. Gold: `eval/duplicates/articles.jsonl` ({d['articles'] - result['background']} articles: our own 34 base articles,"
        " their exact copies, wire copies, light and heavier edits; hard negatives are follow-ups sharing names and formulaic reports of other events),"
        f" plus {result['background']} cdt_ddt newspaper texts read at run time as unrelated news of the same days (scored against ours, not"
        " against each other). Thresholds chosen on **dev**, reported on **test** (pairs within a split).",
        "",
        f"**Near-duplicates** (MinHash, 128 permutations, word 3-shingles, LSH + estimated Jaccard ≥ {d['chosen']}; shipped default {d['default']}):",
        "",
        "| split | pairwise P | R | F1 | gold pairs | originals right |",
        "|---|---|---|---|---|---|",
    ]
    lines += [f"| {k} | {d[k]['p']} | {d[k]['r']} | {d[k]['f1']} | {d[k]['gold_pairs']} | {d[k]['originals']} |" for k in ("dev", "test")]
    lines += [
        "",
        f"Recall by kind of copy at {d['chosen']} (found with their base / all): "
        + ", ".join(f"{k} {v}" for k, v in d["recall_by_kind"].items())
        + ". F1 by threshold (dev / test): "
        + ", ".join(f"{k}: {v['dev']['f1']}/{v['test']['f1']}" for k, v in d["by_threshold"].items())
        + ".",
        "",
        f"**Stories** (articles analysed with `{s['model']}`; chosen on dev: day threshold {s['chosen']['day_threshold']}, link threshold"
        f" {s['chosen']['link_threshold']}, name weight {s['chosen']['name_weight']}; {s['grid_size']} settings tried):",
        "",
        "| split | pairwise P | R | F1 | B-cubed P | R | F1 |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {k} | {s[k]['p']} | {s[k]['r']} | {s[k]['f1']} | {s[k + '_bcubed']['p']} | {s[k + '_bcubed']['r']} | {s[k + '_bcubed']['f1']} |"
        for k in ("dev", "test")
    ]
    lines += [
        "",
        "Pairwise F1 (dev/test) by link threshold at the chosen day threshold: "
        + ", ".join(f"{k}: {v[0]}/{v[1]}" for k, v in s["by_link"].items())
        + "; by day threshold at the chosen link threshold: "
        + ", ".join(f"{k}: {v[0]}/{v[1]}" for k, v in s["by_day"].items())
        + ".",
    ]
    if "dev" in s["default"]:
        dd = s["default"]
        lines += ["", f"Shipped defaults {tuple(dd['params'])}: pairwise F1 dev {dd['dev']['f1']}, test {dd['test']['f1']}."]
    t = result.get("throughput")
    if t:
        sec = t["seconds"]
        lines += [
            "",
            f"**Throughput** of `build_stories` on {t['articles']:,} synthetic records over {t['days']} days (every tenth an edited copy), fresh process:"
            f" **{t['build_stories_per_s']:,} articles/s** in all ({sec['total']} s: read {sec['read']} s, near-duplicates {sec['duplicates']} s"
            f" = **{t['duplicates_per_s']:,} articles/s**, stories {sec['stories']} s = **{t['stories_per_s']:,} articles/s**, write {sec['write']} s);"
            f" peak memory (max RSS) {t['peak_rss_mb']:,} MB. Found {t['copies']:,} copies in {t['duplicate_groups']:,} groups,"
            f" {t['stories']:,} stories holding {t['in_stories']:,} articles.",
        ]
    lines.append(END)
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", help="'rules' or a pipeline path for the story evaluation (default: the shipped model)")
    parser.add_argument("--records", type=int, default=100_000, help="synthetic records for the throughput (0: skip)")
    parser.add_argument("--days", type=int, default=100, help="days the synthetic records are spread over")
    parser.add_argument("--background", type=int, default=300, help="cdt_ddt newspaper texts added as unrelated news of the same days (0: none)")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data", help="where cdt_ddt is (for the background texts)")
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--keep", type=Path, help="build the synthetic store at this path and keep it (reused when it exists)")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child process of the throughput run
    parser.add_argument("--no-write", action="store_true", help="print only; do not update the results files")
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return 0
    load_before = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    rows = load_eval()
    rows += background(args.data, args.background, args.seed, rows)
    print("near-duplicates …", file=sys.stderr)
    dup = duplicates(rows)
    print("stories …", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="kilde-stories-eval-") as tmp:
        story = stories(rows, args.model, Path(tmp))
    result: dict[str, Any] = {"date": DATE, "commit": git_commit(), "load_before": load_before, "duplicates": dup, "stories": story}
    result["background"] = sum(r["kind"] == "background" for r in rows)
    if args.records:
        result["throughput"] = throughput(args.records, args.days, args.seed, args.keep)
    print(markdown(result))
    if not args.no_write:
        save_results(result, markdown(result), json_path=RESULTS_JSON, start=START, end=END, heading=HEADING)
    return 0


if __name__ == "__main__":
    sys.exit(main())
