"""Accuracy and speed of Kilde's Danish pipeline on the standard test sets.

    python benchmarks/nlp.py [--model PATH] [--data ../shared/data] [--split test|dev] [--limit N] [--no-write]

Protocols (so the figures compare with the published ones):
- UPOS, lemma, UAS, LAS, NER: raw sentence text (``# text``) in, Kilde's own
  tokenisation, aligned to the gold tokens by spaCy's scorer (``Language.evaluate``
  on ``Example(make_doc(text), gold)``), one sentence per doc, on UD Danish-DDT
  r2.17 test with DaNE tags (da_ddt-dane-test.conllu). NER is micro F1 over
  (span, label), the protocol of DaCy's published table.
- Robustness: NER on DaN+ Arto (forum) and Twitter test sets, tokens joined with
  Danish spacing rules; DaN+ ``-deriv`` tags map to MISC (DaNE tags "russiske"
  MISC), ``-part`` tags to O (DaNE does not tag "EU-landene").
- Speed: words per second on ONE core (BLAS/OpenMP threads pinned to 1), whole
  spaCy pipeline over the 536 DDT documents, and the whole Kilde pipeline
  (read → clean → nlp → extract → record) over the same texts; median of 3 runs.

Results are printed with the anchors' published figures and written to
benchmarks/results/nlp.json and the "nlp" section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from spacy.language import Language  # noqa: E402
from spacy.tokens import Doc  # noqa: E402
from spacy.training import Example  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "training"))

import kilde  # noqa: E402
from conllu import read_conllu, to_doc  # noqa: E402
from dane import guess_spaces  # noqa: E402
from kilde.nlp import load_pipeline  # noqa: E402

ANCHORS = {
    "ner_f": "ScandiNER 86.3 · DaCy large 85.4 · DaCy small 82.7 · spaCy lg 74.6 · spaCy sm 64.4",
    "pos_acc": "DaCy large 98.4 · spaCy lg 3.8 96.4",
    "dep_uas": "DaCy large 90.9 · spaCy lg 3.8 82.9",
    "dep_las": "DaCy large 88.4 · spaCy lg 3.8 78.8",
    "lemma_acc": "UDPipe 1: 94.7",
    "words_per_s": "spaCy lg ~11–31k · DaCy small ~2k",
    "arto_ner_f": "DaCy large ~67 out of domain",
    "twitter_ner_f": "DaCy large ~67 out of domain",
}
TARGETS = {"ner_f": 80.0, "pos_acc": 97.0, "dep_uas": 85.0, "dep_las": 82.0, "lemma_acc": 95.0, "words_per_s": 10000.0}


def gold_examples(nlp: Language, path: Path, limit: int | None) -> list[Example]:
    examples = []
    for sentence in read_conllu(path):
        gold = to_doc(sentence, nlp.vocab)
        text = sentence.comments.get("text") or gold.text
        examples.append(Example(nlp.make_doc(text), _retext(gold, text)))
        if limit and len(examples) >= limit:
            break
    return examples


def _retext(gold: Doc, text: str) -> Doc:
    """Gold tokens with spacing taken from the raw sentence text, so char offsets agree."""
    if gold.text == text:
        return gold
    spaces, pos = [], 0
    for token in gold:
        start = text.find(token.text, pos)
        if start < 0:
            return gold
        pos = start + len(token.text)
        spaces.append(pos < len(text) and text[pos] == " ")
    words = [t.text for t in gold]
    doc = Doc(gold.vocab, words=words, spaces=spaces, lemmas=[t.lemma_ for t in gold], pos=[t.pos_ for t in gold],
              morphs=[str(t.morph) for t in gold], heads=[t.head.i for t in gold], deps=[t.dep_ for t in gold],
              sent_starts=[True] + [False] * (len(words) - 1))  # fmt: skip
    doc.ents = [doc.char_span(e.start_char, e.end_char, label=e.label_) or doc[e.start : e.end] for e in gold.ents]
    return doc


def org_loc_confusion(nlp: Language, examples: list[Example]) -> dict[str, int]:
    """Gold entities whose exact span was predicted with the other of ORG/LOC."""
    counts: Counter[str] = Counter()
    for doc, example in zip(nlp.pipe(ex.reference.text for ex in examples), examples, strict=True):
        predicted = {(e.start_char, e.end_char): e.label_ for e in doc.ents}
        for ent in example.reference.ents:
            label = predicted.get((ent.start_char, ent.end_char))
            if label and label != ent.label_:
                counts[f"{ent.label_}->{label}"] += 1
    return {key: counts[key] for key in ("ORG->LOC", "LOC->ORG", "ORG->PER", "PER->ORG", "MISC->LOC", "LOC->MISC")}


def danplus_examples(nlp: Language, path: Path, limit: int | None) -> list[Example]:
    examples = []
    words: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        if not words:
            return
        spaces = guess_spaces(words)
        gold = Doc(nlp.vocab, words=list(words), spaces=spaces)
        spans, start, label = [], None, None
        for i, tag in enumerate([*tags, "O"]):
            if tag.startswith(("B-", "O")) or (tag.startswith("I-") and tag[2:] != label):
                if start is not None and label:
                    spans.append(gold[start:i])
                    spans[-1].label_ = label
                start, label = (i, tag[2:]) if tag.startswith(("B-", "I-")) else (None, None)
        gold.ents = [gold.char_span(s.start_char, s.end_char, label=s.label_) for s in spans]
        examples.append(Example(nlp.make_doc(gold.text), gold))
        words.clear()
        tags.clear()

    with path.open(encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if not line.strip():
                flush()
                if limit and len(examples) >= limit:
                    break
                continue
            cols = line.split("\t")
            tag = cols[1] if len(cols) > 1 else "O"
            if tag.endswith("deriv"):
                tag = tag[:2] + "MISC"
            elif tag.endswith("part"):
                tag = "O"
            words.append(cols[0])
            tags.append(tag)
    flush()
    return examples


def speed(nlp: Language, texts: list[str], runs: int = 3) -> dict[str, float]:
    words = sum(len(t.split()) for t in texts)
    spacy_times, kilde_times = [], []
    for _ in range(runs):
        started = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=64):
            pass
        spacy_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        for _article in kilde.analyze_many(texts, nlp=nlp):
            pass
        kilde_times.append(time.perf_counter() - started)
    spacy_s, kilde_s = statistics.median(spacy_times), statistics.median(kilde_times)
    return {
        "words": words,
        "documents": len(texts),
        "words_per_s": round(words / spacy_s),
        "kilde_words_per_s": round(words / kilde_s),
        "kilde_articles_per_s": round(len(texts) / kilde_s, 1),
        "kilde_overhead_ratio": round(kilde_s / spacy_s, 2),
    }


def pct(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 2)


def run(args: argparse.Namespace) -> dict[str, Any]:
    nlp = load_pipeline(args.model)
    data: Path = args.data
    conllu = data / "dane" / "derived" / f"da_ddt-dane-{args.split}.conllu"
    examples = gold_examples(nlp, conllu, args.limit)
    scores = nlp.evaluate(examples)
    per_type = {label: round(100 * v["f"], 2) for label, v in (scores.get("ents_per_type") or {}).items()}
    result: dict[str, Any] = {
        "split": args.split,
        "sentences": len(examples),
        "token_acc": pct(scores.get("token_acc")),
        "pos_acc": pct(scores.get("pos_acc")),
        "morph_acc": pct(scores.get("morph_acc")),
        "lemma_acc": pct(scores.get("lemma_acc")),
        "dep_uas": pct(scores.get("dep_uas")),
        "dep_las": pct(scores.get("dep_las")),
        "sents_f": pct(scores.get("sents_f")),
        "ner_f": pct(scores.get("ents_f")),
        "ner_p": pct(scores.get("ents_p")),
        "ner_r": pct(scores.get("ents_r")),
        "ner_per_type": per_type,
        "ner_confusion": org_loc_confusion(nlp, examples),
    }
    for name in ("arto", "twitter"):
        path = data / "danplus" / f"da_{name}_{args.split}.tsv"
        if path.is_file():
            dp = nlp.evaluate(danplus_examples(nlp, path, args.limit))
            result[f"{name}_ner_f"] = pct(dp.get("ents_f"))
    texts = [p.read_text(encoding="utf-8") for p in sorted((data / "cdt_ddt" / "txt").glob("*.txt"))]
    if args.limit:
        texts = texts[: max(2, args.limit // 10)]
    result["speed"] = speed(nlp, texts, runs=1 if args.limit else 3)
    result["words_per_s"] = result["speed"]["words_per_s"]
    return result


def table(result: dict[str, Any]) -> str:
    rows = [
        ("NER micro F1 (DaNE)", "ner_f"),
        ("UPOS accuracy", "pos_acc"),
        ("UAS", "dep_uas"),
        ("LAS", "dep_las"),
        ("lemma accuracy", "lemma_acc"),
        ("words/s, spaCy pipeline, 1 core", "words_per_s"),
        ("NER F1, DaN+ Arto (forum)", "arto_ner_f"),
        ("NER F1, DaN+ Twitter", "twitter_ner_f"),
    ]
    lines = [f"| measure ({result['split']}) | Kilde | target | anchors (published) |", "|---|---|---|---|"]
    for label, key in rows:
        target = TARGETS.get(key)
        lines.append(f"| {label} | {result.get(key)} | {'≥ ' + format(target, 'g') if target else 'report'} | {ANCHORS.get(key, '')} |")
    speed_info = result["speed"]
    lines += [
        "",
        f"Per-label NER F1: {', '.join(f'{k} {v}' for k, v in sorted(result['ner_per_type'].items()))}; "
        f"NER P/R {result['ner_p']}/{result['ner_r']}; confusions (same span, other label): {result['ner_confusion']}.",
        f"Morph (UFeats) accuracy {result['morph_acc']}; token accuracy {result['token_acc']}; sentence F1 {result['sents_f']}.",
        f"Whole Kilde pipeline (read → clean → nlp → extract → record): {speed_info['kilde_words_per_s']} words/s, "
        f"{speed_info['kilde_articles_per_s']} articles/s ({speed_info['documents']} DDT documents, {speed_info['words']} words; "
        f"{speed_info['kilde_overhead_ratio']}× the spaCy pipeline alone), one core, median of runs.",
    ]
    return "\n".join(lines)


def write_results(result: dict[str, Any], model: str) -> None:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    result = {"date": dt.date.today().isoformat(), "commit": commit, "model": model, "load_average_1min": round(os.getloadavg()[0], 2), **result}
    out_dir = ROOT / "benchmarks" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "nlp.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    section = (
        f"<!-- nlp:start -->\n## Danish pipeline (`python benchmarks/nlp.py`)\n\n"
        f"{result['date']}, commit {commit}, model `{model}`, this machine (2 cores; 1 used; 1-min load average at the end "
        f"{result['load_average_1min']}).\n\n{table(result)}\n<!-- nlp:end -->"
    )
    results_md = ROOT / "benchmarks" / "RESULTS.md"
    text = results_md.read_text(encoding="utf-8") if results_md.is_file() else "# Benchmark results\n\nLatest figures, newest run per section.\n"
    if "<!-- nlp:start -->" in text:
        head, _, rest = text.partition("<!-- nlp:start -->")
        _, _, tail = rest.partition("<!-- nlp:end -->")
        text = head + section + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    results_md.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=None, help="path to a trained pipeline (default: the shipped one)")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--split", choices=("test", "dev"), default="test")
    parser.add_argument("--limit", type=int, default=None, help="only the first N sentences (a smoke test of the harness)")
    parser.add_argument("--write", action=argparse.BooleanOptionalAction, default=True, help="write results files")
    args = parser.parse_args(argv)
    result = run(args)
    print(table(result))
    if args.write and not args.limit:
        write_results(result, args.model or "kilde/models/da_kilde")
    return result


if __name__ == "__main__":
    main()
