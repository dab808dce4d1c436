#!/usr/bin/env python3
"""Validate the hand-annotated quote development set (eval/quotes/dev.jsonl).

Checks every annotation against its source text and prints summary counts.

    python eval/quotes/validate.py [--data-root /work/shared/data] [--dev eval/quotes/dev.jsonl]

cdt_ddt paths in dev.jsonl are relative to the data root (default: $KILDE_DATA or
/work/shared/data); own-article paths (eval/quotes/articles/...) are relative to the repository root.
Exit status 0 = all checks passed, 1 = errors.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

CDT_IDS = (
    "0120 0132 0133 0134 0138 0140 0141 0187 0188 0190 0191 0211 0258 0273 0294 0366 0376 0378 0465 0468 "
    "0473 0475 0479 0483 0486 0488 0496 0644 0645 0652 0654 0656 0667 0671 0674 0675 0680 0683 0688 0690 "
    "0697 0700 0704 0705 0708 0713 0715 0720 0729 0730 0733 0735 0736 0738 0741 0742 0752 0754 0770 0771"
).split()
OWN_IDS = [f"own-{i:02d}" for i in range(1, 11)]
KINDS = {"direct", "indirect"}
TYPES = {"person", "organisation", "outlet", "document", "unnamed", "unknown"}
OPEN_MARKS = set('"»«„”“\'’‚›‹–-')  # characters that may precede a direct quote span
CLOSE_MARKS = set('"«»”“’‘‹›')


def load_metadata(data_root: Path) -> dict[str, dict]:
    meta = {}
    with open(data_root / "cdt_ddt" / "metadata.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            meta[row["id"]] = row
    return meta


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-root", default=os.environ.get("KILDE_DATA", "/work/shared/data"))
    ap.add_argument("--dev", default=str(REPO_ROOT / "eval" / "quotes" / "dev.jsonl"))
    ap.add_argument("-v", "--verbose", action="store_true", help="also print warnings")
    args = ap.parse_args()
    data_root = Path(args.data_root)

    errors: list[str] = []
    warnings: list[str] = []

    def err(msg: str) -> None:
        errors.append(msg)

    meta = load_metadata(data_root)
    seen: list[str] = []
    kinds, types, cue_null, mention_null, why = Counter(), Counter(), Counter(), Counter(), Counter()
    n_quotes = n_not = n_docs_with_quotes = 0
    multi_para = nested = 0

    with open(args.dev, encoding="utf-8") as f:
        lines = [ln for ln in f if ln.strip()]
    for lineno, line in enumerate(lines, 1):
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            err(f"line {lineno}: invalid JSON: {e}")
            continue
        for key in ("doc", "path", "outlet", "published", "quotes", "not_quotes"):
            if key not in rec:
                err(f"line {lineno}: missing key {key!r}")
        doc = rec.get("doc")
        seen.append(doc)
        where = f"{doc}"

        # --- source file -------------------------------------------------------------------
        if doc in CDT_IDS:
            m = meta.get(doc)
            if m is None:
                err(f"{where}: not in metadata.tsv")
                continue
            if m["ud_split_status"] == "test-only":
                err(f"{where}: TEST-ONLY document must not be in the dev set")
            if m["medium"] != "newspaper":
                err(f"{where}: medium is {m['medium']!r}, expected newspaper")
            if rec.get("path") != f"cdt_ddt/txt/{doc}-da.txt":
                err(f"{where}: unexpected path {rec.get('path')!r}")
            if rec.get("outlet") != (m["publisher"] or None):
                err(f"{where}: outlet {rec.get('outlet')!r} != metadata {m['publisher']!r}")
            if rec.get("published") != (m["date"] or None):
                err(f"{where}: published {rec.get('published')!r} != metadata {m['date']!r}")
            src = data_root / rec["path"]
        elif doc in OWN_IDS:
            if rec.get("path") != f"eval/quotes/articles/{doc}.txt":
                err(f"{where}: unexpected path {rec.get('path')!r}")
            src = REPO_ROOT / rec["path"]
        else:
            err(f"{where}: unknown document id")
            continue
        if not src.exists():
            err(f"{where}: source file missing: {src}")
            continue
        content = src.read_text(encoding="utf-8")
        if doc in OWN_IDS:
            nw = len(content.split())
            if not 150 <= nw <= 300:
                err(f"{where}: own article has {nw} words (expected 150-300)")

        def check_span(obj: dict, label: str) -> bool:
            s, e, t = obj.get("start"), obj.get("end"), obj.get("text")
            if not (isinstance(s, int) and isinstance(e, int) and isinstance(t, str)):
                err(f"{label}: start/end/text missing or wrong type")
                return False
            if not 0 <= s < e <= len(content):
                err(f"{label}: offsets out of range ({s}, {e})")
                return False
            if content[s:e] != t:
                err(f"{label}: text does not match content[{s}:{e}] = {content[s:e]!r}")
                return False
            if t != t.strip():
                err(f"{label}: span has leading/trailing whitespace")
            return True

        # --- quotes --------------------------------------------------------------------------
        quotes = rec.get("quotes", [])
        if quotes:
            n_docs_with_quotes += 1
        spans = []
        for i, q in enumerate(quotes):
            label = f"{where} quote[{i}]"
            n_quotes += 1
            if not check_span(q, label):
                continue
            s, e, t = q["start"], q["end"], q["text"]
            spans.append((s, e))
            kind = q.get("kind")
            if kind not in KINDS:
                err(f"{label}: bad kind {kind!r}")
            kinds[kind] += 1
            if "\n" in t:
                multi_para += 1
            if t.endswith(","):
                err(f"{label}: span ends with a comma")
            if kind == "direct":
                if s > 0 and content[s - 1] not in OPEN_MARKS and content[s - 1] not in " \n":
                    warnings.append(f"{label}: direct quote not preceded by a quote mark/dash/space")
                if e < len(content) and content[e] not in CLOSE_MARKS and content[e] not in ",\n ":
                    warnings.append(f"{label}: direct quote not followed by a closing mark ({content[e]!r})")
            else:
                if t.startswith("at ") and content[max(0, s - 1)] not in OPEN_MARKS:
                    warnings.append(f"{label}: indirect span starts with 'at'")
                if t.endswith("."):
                    warnings.append(f"{label}: indirect span ends with a period")
            cue, cs = q.get("cue"), q.get("cue_start")
            if cue is None:
                cue_null[kind] += 1
                if cs is not None:
                    err(f"{label}: cue_start without cue")
            elif not isinstance(cs, int) or content[cs:cs + len(cue)] != cue:
                err(f"{label}: cue {cue!r} not found at cue_start {cs}")
            sp = q.get("speaker")
            if not isinstance(sp, dict):
                err(f"{label}: speaker missing")
                continue
            for key in ("name", "mention", "mention_start", "type"):
                if key not in sp:
                    err(f"{label}: speaker.{key} missing")
            st = sp.get("type")
            if st not in TYPES:
                err(f"{label}: bad speaker type {st!r}")
            types[st] += 1
            if sp.get("name") is None and st not in ("unknown", "unnamed"):
                err(f"{label}: speaker name is null but type is {st!r}")
            men, ms = sp.get("mention"), sp.get("mention_start")
            if men is None:
                mention_null[kind] += 1
                if ms is not None:
                    err(f"{label}: mention_start without mention")
            elif not isinstance(ms, int) or content[ms:ms + len(men)] != men:
                err(f"{label}: mention {men!r} not found at mention_start {ms}")
        for i, (s, e) in enumerate(spans):
            if any(j != i and s2 <= s and e <= e2 and (s2, e2) != (s, e) for j, (s2, e2) in enumerate(spans)):
                nested += 1
        if len(set(spans)) != len(spans):
            err(f"{where}: duplicate quote spans")

        # --- not_quotes ------------------------------------------------------------------------
        for i, nq in enumerate(rec.get("not_quotes", [])):
            label = f"{where} not_quote[{i}]"
            n_not += 1
            if not check_span(nq, label):
                continue
            if not nq.get("why"):
                err(f"{label}: missing 'why'")
            why[nq.get("why", "").split(" (")[0]] += 1
            if (nq["start"], nq["end"]) in spans:
                err(f"{label}: same span is also annotated as a quote")

    # --- document coverage ---------------------------------------------------------------------
    expected = CDT_IDS + OWN_IDS
    dup = [d for d, c in Counter(seen).items() if c > 1]
    if dup:
        err(f"duplicate documents: {dup}")
    missing = [d for d in expected if d not in seen]
    if missing:
        err(f"missing documents: {missing}")

    # --- report --------------------------------------------------------------------------------
    n_cdt = sum(1 for d in seen if d in CDT_IDS)
    n_own = sum(1 for d in seen if d in OWN_IDS)
    print(f"documents: {len(seen)} ({n_cdt} cdt_ddt + {n_own} own articles), {n_docs_with_quotes} with quotes")
    print(f"quotes: {n_quotes} (direct {kinds['direct']}, indirect {kinds['indirect']}); "
          f"spanning paragraphs {multi_para}; nested inside another quote {nested}")
    print(f"cue null: direct {cue_null['direct']}, indirect {cue_null['indirect']}; "
          f"mention null: direct {mention_null['direct']}, indirect {mention_null['indirect']}")
    print("speaker types: " + ", ".join(f"{t} {types[t]}" for t in sorted(TYPES, key=lambda t: -types[t])))
    print(f"not_quotes: {n_not} (" + ", ".join(f"{k} {v}" for k, v in why.most_common()) + ")")
    if args.verbose:
        for w in warnings:
            print("WARNING", w)
    elif warnings:
        print(f"{len(warnings)} warnings (run with -v to list; warnings are expected for known text irregularities)")
    for e in errors:
        print("ERROR", e)
    print("OK" if not errors else f"FAILED: {len(errors)} errors")
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
