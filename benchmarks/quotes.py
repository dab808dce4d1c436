"""Quote extraction benchmark on the Kilde quote dev set (eval/quotes/dev.jsonl).

    .venv/bin/python benchmarks/quotes.py [--model PATH|rules] [--split tune|check|all] [--no-write] [--show N]

Runs the whole Kilde pipeline (read → clean → nlp → extract) on each dev document and compares the
predicted quotes with the gold ones. Predicted spans are offsets into ``Article.text`` (the cleaned body);
they are mapped back to the raw file with ``Article.raw_span`` before comparing, because gold offsets are
into the raw file.

Matching (as GenderGapTracker and BBC Citron report it):

* **overlap**: a predicted quote matches a gold quote if their character spans overlap; pairs are made
  one-to-one, greedily, largest overlap first. Precision = matched / predicted, recall = matched / gold.
* **exact**: the spans are identical after stripping surrounding whitespace and punctuation from both.
* Figures are given for all quotes and for direct and indirect separately; for a kind, predicted and
  gold quotes of that kind are matched among themselves.
* **speaker accuracy**: over overlap-matched pairs (all kinds matched together), the share whose
  speaker name matches. Names match if, case-insensitively and ignoring punctuation, they are equal or one
  is contained in the other as whole words ("Hauth" ~ "Lars Hauth"); two empty names (no speaker) match.
  A name of function words only ("den", "han") is not contained in anything, and a group ("Lise Berg og
  Ole Mørk", GUIDELINE §5) matches only a group with as many members, member by member.

Split (fixed, to keep tuning honest): ``tune`` = the first 40 cdt documents in file order plus own-01 to
own-05; ``check`` = the rest (20 cdt documents and own-06 to own-10). Rules were developed on tune only.

Results go to ``benchmarks/results/quotes.json`` and a section of ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import string
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "eval" / "quotes" / "dev.jsonl"
RESULTS_JSON = ROOT / "benchmarks" / "results" / "quotes.json"
RESULTS_MD = ROOT / "benchmarks" / "RESULTS.md"
DATA_ROOT = Path(os.environ.get("KILDE_DATA", ROOT.parent / "shared" / "data"))
STRIP = string.whitespace + string.punctuation + "»«„“”‘’›‹–—…"


@dataclass(frozen=True, slots=True)
class Item:
    start: int
    end: int
    kind: str
    speaker: str | None
    text: str


def load_dev(split: str) -> list[dict[str, Any]]:
    docs = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    cdt = [d for d in docs if not d["doc"].startswith("own-")]
    own = [d for d in docs if d["doc"].startswith("own-")]
    tune_ids = {d["doc"] for d in cdt[:40]} | {f"own-{k:02d}" for k in range(1, 6)}
    if split == "tune":
        return [d for d in docs if d["doc"] in tune_ids]
    if split == "check":
        return [d for d in docs if d["doc"] not in tune_ids]
    return cdt + own


def doc_path(doc: dict[str, Any]) -> Path:
    return (ROOT / doc["path"]) if doc["doc"].startswith("own-") else (DATA_ROOT / doc["path"])


def _norm_span(raw: str, start: int, end: int) -> tuple[int, int]:
    while start < end and raw[start] in STRIP:
        start += 1
    while end > start and raw[end - 1] in STRIP:
        end -= 1
    return start, end


def _words(name: str | None) -> list[str]:
    return re.findall(r"\w+", (name or "").lower())


# Danish function words (closed class): a name made only of these ("den", "de", "han") names nobody, so it
# cannot match a longer name by containment.
FUNCTION_WORDS = frozenset(
    {"en", "et", "den", "det", "de", "der", "som", "og", "eller", "i", "på", "af", "til", "fra", "med", "for", "om"}
    | {"hans", "hendes", "deres", "dens", "dets", "sin", "sit", "sine", "han", "hun", "man"}
)


def _members(name: str | None) -> list[str]:
    """The members of a group as written ("Hansen, Holm og Krag" → three names); one member otherwise.

    Only a coordination makes a group: a comma alone separates adjectives ("en velinformeret, unavngiven kilde").
    """
    text = (name or "").strip()
    if not re.search(r"\s(?:og|samt|&)\s", text):
        return [text] if text else []
    return [m for m in re.split(r",\s*|\s+(?:og|samt|&)\s+", text) if m.strip()]


def _same_name(gold: str | None, pred: str | None) -> bool:
    g, p = _words(gold), _words(pred)
    if not g or not p:
        return not g and not p
    short, long = (g, p) if len(g) <= len(p) else (p, g)
    if short != long and all(w in FUNCTION_WORDS for w in short):
        return False
    return any(long[i : i + len(short)] == short for i in range(len(long) - len(short) + 1))


def same_speaker(gold: str | None, pred: str | None) -> bool:
    """Equal, or one name's words a contiguous run of the other's (case-insensitive).

    A group of speakers (GUIDELINE §5: "Hansen, Holm og Krag") matches only a group with the same
    number of members, member by member: one member alone is a different speaker.
    """
    gm, pm = _members(gold), _members(pred)
    if len(gm) > 1 or len(pm) > 1:
        return len(gm) == len(pm) and all(_same_name(a, b) for a, b in zip(gm, pm, strict=True))
    return _same_name(gold, pred)


def match(gold: list[Item], pred: list[Item]) -> list[tuple[Item, Item]]:
    """One-to-one greedy matching by overlap size."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            overlap = min(g.end, p.end) - max(g.start, p.start)
            if overlap > 0:
                pairs.append((overlap, gi, pi))
    used_g, used_p, result = set(), set(), []
    for _, gi, pi in sorted(pairs, key=lambda x: -x[0]):
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        result.append((gold[gi], pred[pi]))
    return result


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "tp": tp, "pred": n_pred, "gold": n_gold}


def evaluate(model: str, split: str, *, show: int = 0) -> dict[str, Any]:
    from kilde.nlp import load_pipeline
    from kilde.pipeline import analyze_documents
    from kilde.read import read_path
    from kilde.records import Article

    nlp = load_pipeline(model)
    docs = load_dev(split)
    totals: dict[str, dict[str, int]] = {k: {"tp_overlap": 0, "tp_exact": 0, "pred": 0, "gold": 0} for k in ("all", "direct", "indirect")}
    speaker_ok = speaker_n = 0
    speaker_by_kind = {"direct": [0, 0], "indirect": [0, 0]}
    errors: list[str] = []
    started = time.perf_counter()
    for doc in docs:
        path = doc_path(doc)
        raw = path.read_text(encoding="utf-8")
        articles = [a for a in analyze_documents(read_path(str(path)), nlp=nlp) if isinstance(a, Article)]
        pred: list[Item] = []
        if articles:
            article = articles[0]
            if article.raw != raw:
                raise SystemExit(f"{path}: the reader changed the raw text; cannot map offsets")
            for q in article.quotes:
                rs, re_ = article.raw_span(q.start, q.end)
                pred.append(Item(rs, re_, q.kind, q.speaker.name, raw[rs:re_]))
        gold = [Item(q["start"], q["end"], q["kind"], q["speaker"]["name"], q["text"]) for q in doc["quotes"]]
        for kind in ("all", "direct", "indirect"):
            g = gold if kind == "all" else [x for x in gold if x.kind == kind]
            p = pred if kind == "all" else [x for x in pred if x.kind == kind]
            pairs = match(g, p)
            t = totals[kind]
            t["pred"] += len(p)
            t["gold"] += len(g)
            t["tp_overlap"] += len(pairs)
            t["tp_exact"] += sum(1 for a, b in pairs if _norm_span(raw, a.start, a.end) == _norm_span(raw, b.start, b.end))
            if kind == "all":
                for a, b in pairs:
                    ok = same_speaker(a.speaker, b.speaker)
                    speaker_ok += ok
                    speaker_n += 1
                    speaker_by_kind[a.kind][0] += ok
                    speaker_by_kind[a.kind][1] += 1
                    if not ok:
                        errors.append(f"{doc['doc']} SPEAKER gold={a.speaker!r} pred={b.speaker!r} | {a.text[:70]!r}")
                matched_g = {id(a) for a, _ in pairs}
                matched_p = {id(b) for _, b in pairs}
                errors += [f"{doc['doc']} MISSED [{x.kind}] {x.speaker!r} | {x.text[:90]!r}" for x in gold if id(x) not in matched_g]
                errors += [f"{doc['doc']} SPURIOUS [{x.kind}] {x.speaker!r} | {x.text[:90]!r}" for x in pred if id(x) not in matched_p]
    elapsed = time.perf_counter() - started
    result: dict[str, Any] = {"model": model, "split": split, "documents": len(docs), "seconds": round(elapsed, 1)}
    for kind, t in totals.items():
        result[kind] = {"overlap": prf(t["tp_overlap"], t["pred"], t["gold"]), "exact": prf(t["tp_exact"], t["pred"], t["gold"])}
    result["speaker_accuracy"] = round(speaker_ok / speaker_n, 4) if speaker_n else 0.0
    result["speaker_accuracy_direct"] = round(speaker_by_kind["direct"][0] / speaker_by_kind["direct"][1], 4) if speaker_by_kind["direct"][1] else 0.0
    result["speaker_accuracy_indirect"] = round(speaker_by_kind["indirect"][0] / speaker_by_kind["indirect"][1], 4) if speaker_by_kind["indirect"][1] else 0.0
    result["speaker_matched"] = speaker_n
    if show:
        for line in errors[:show]:
            print(line, file=sys.stderr)
    return result


def table(result: dict[str, Any]) -> str:
    lines = [
        f"model={result['model']} split={result['split']} documents={result['documents']} ({result['seconds']} s)",
        f"{'':9} {'overlap P':>9} {'R':>6} {'F1':>6}   {'exact P':>7} {'R':>6} {'F1':>6}   {'pred':>5} {'gold':>5}",
    ]
    for kind in ("all", "direct", "indirect"):
        o, e = result[kind]["overlap"], result[kind]["exact"]
        lines.append(f"{kind:9} {o['p']:9.3f} {o['r']:6.3f} {o['f1']:6.3f}   {e['p']:7.3f} {e['r']:6.3f} {e['f1']:6.3f}   {o['pred']:5d} {o['gold']:5d}")
    lines.append(
        f"speaker accuracy on matched quotes: {result['speaker_accuracy']:.3f} (n={result['speaker_matched']}; "
        f"direct {result['speaker_accuracy_direct']:.3f}, indirect {result['speaker_accuracy_indirect']:.3f})"
    )
    return "\n".join(lines)


def _markdown(runs: list[dict[str, Any]], date: str, commit: str) -> str:
    out = [
        "## Quotes (who said what)",
        "",
        f"{date}, commit `{commit}`. Command: `.venv/bin/python benchmarks/quotes.py --model MODEL --split all`. "
        "Gold: `eval/quotes/dev.jsonl` (70 documents, 244 quotes); tune = first 40 cdt documents + own-01..05, "
        "check = the rest. Overlap = spans overlap, one-to-one greedy by overlap size; exact = identical spans "
        "after stripping whitespace and punctuation; speaker accuracy over overlap-matched quotes (names equal or "
        "one contained in the other as whole words, case-insensitive; groups member by member). Reference: GenderGapTracker quote F1 83.7, "
        "correct speaker 86.0 %.",
        "",
        "| model | split | all P/R/F1 (overlap) | all F1 exact | direct F1 overlap / exact | indirect F1 overlap / exact | speaker acc. |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        a, d, i = r["all"], r["direct"], r["indirect"]
        out.append(
            f"| {r['model']} | {r['split']} | {a['overlap']['p']:.3f} / {a['overlap']['r']:.3f} / {a['overlap']['f1']:.3f} | {a['exact']['f1']:.3f} "
            f"| {d['overlap']['f1']:.3f} / {d['exact']['f1']:.3f} | {i['overlap']['f1']:.3f} / {i['exact']['f1']:.3f} | {r['speaker_accuracy']:.3f} |"
        )
    return "\n".join(out) + "\n"


def write_results(runs: list[dict[str, Any]]) -> None:
    date = dt.date.today().isoformat()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip() or "unknown"
    RESULTS_JSON.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(RESULTS_JSON.read_text(encoding="utf-8")) if RESULTS_JSON.is_file() else {}
    keyed = {(r["model"], r["split"]): r for r in previous.get("runs", [])}
    keyed.update({(r["model"], r["split"]): r for r in runs})
    merged = sorted(keyed.values(), key=lambda r: (r["model"], ["tune", "check", "all"].index(r["split"])))
    RESULTS_JSON.write_text(json.dumps({"date": date, "commit": commit, "runs": merged}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    section = _markdown(merged, date, commit)
    text = RESULTS_MD.read_text(encoding="utf-8") if RESULTS_MD.is_file() else "# Benchmark results\n\n"
    pattern = re.compile(r"## Quotes \(who said what\)\n.*?(?=\n## |\Z)", re.DOTALL)
    text = pattern.sub(lambda _: section.rstrip("\n") + "\n", text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
    RESULTS_MD.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default=None, help="'rules', a path to a trained pipeline, or the shipped model (default)")
    parser.add_argument("--split", choices=("tune", "check", "all"), default="all", help="'all' reports tune and check too")
    parser.add_argument("--no-write", action="store_true", help="print only; do not update the results files")
    parser.add_argument("--show", type=int, default=0, help="print up to N errors (missed, spurious, wrong speaker) to stderr")
    args = parser.parse_args(argv)
    model = args.model or "da_kilde"
    splits = ["tune", "check", "all"] if args.split == "all" else [args.split]
    runs = []
    for split in splits:
        result = evaluate(model, split, show=args.show if split != "all" else 0)
        print(table(result))
        print()
        runs.append(result)
    if not args.no_write:
        write_results(runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
