"""Train Kilde's Danish pipeline from ../shared/data into src/kilde/models/da_kilde.

    python training/train.py [--data ../shared/data] [--config training/configs/da_kilde.cfg]

Steps (each logged to training/runs/<name>/train.log):
1. convert the original DDT to UD (training/ddt2ud.py) unless the converted corpus is there;
2. build spaCy DocBins: train = converted DDT minus every UD dev/test sentence, with DaNE NER;
   dev = the gold UD Danish-DDT dev file with DaNE NER (``da_ddt-dane-dev.conllu``);
3. ``spacy train`` with the config in the repo and fixed seeds;
4. copy model-best into the package with meta and the model card's figures.

Test data is never read here; the benchmark (benchmarks/nlp.py) reports on it.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from conllu import read_conllu, to_doc  # noqa: E402
from kilde.nlp.components import LEMMA_LEXICON, LEMMA_TABLE, lemma_key  # noqa: E402

MODEL_DIR = ROOT / "src" / "kilde" / "models" / "da_kilde"
log = logging.getLogger("train")


def build_docbin(path: Path, out: Path, *, group: int = 10) -> int:
    """Sentences of ``path`` as Docs of up to ``group`` consecutive sentences of one document."""
    nlp = spacy.blank("da")
    bin_ = DocBin(store_user_data=False)
    batch: list[Doc] = []
    batch_doc: str | None = None
    count = 0

    def flush() -> None:
        if batch:
            bin_.add(Doc.from_docs(batch, ensure_whitespace=True))
            batch.clear()

    for sentence in read_conllu(path):
        doc_id = sentence.comments.get("doc_id") or sentence.comments.get("sent_id", "").rsplit("-", 1)[0]
        if batch and (doc_id != batch_doc or len(batch) >= group):
            flush()
        batch_doc = doc_id
        batch.append(to_doc(sentence, nlp.vocab))
        count += 1
    flush()
    out.parent.mkdir(parents=True, exist_ok=True)
    bin_.to_disk(out)
    return count


def write_lemma_table(converted: Path, out: Path) -> int:
    """(form, UPOS, PronType) → most frequent lemma in the training treebank, for kilde_lemma_lookup."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for sentence in read_conllu(converted):
        for word, lemma, pos, morph in zip(sentence.words, sentence.lemmas, sentence.pos, sentence.morphs, strict=True):
            pron_type = next((f.split("=", 1)[1] for f in morph.split("|") if f.startswith("PronType=")), "")
            counts[lemma_key(word, pos, pron_type)][lemma] += 1
    with out.open("w", encoding="utf-8") as handle:
        for key in sorted(counts):
            handle.write(f"{key}\t{counts[key].most_common(1)[0][0]}\n")
    return len(counts)


def install(best: Path) -> None:
    """Copy a trained pipeline into the package with Kilde's meta, keeping the model card."""
    nlp = spacy.load(best)
    nlp.meta.update(
        name="kilde",
        version="0.1.0",
        description=(
            "Kilde's Danish news pipeline: tokenizer, morphologizer (UPOS+features), lemmatizer, UD parser, NER (DaNE). "
            "Trained from DDT/DaNE; see MODEL_CARD.md."
        ),
        license="CC BY-SA 4.0",
        sources=[
            {"name": "Danish Dependency Treebank (DDT), converted to UD by training/ddt2ud.py", "license": "CC BY-SA 4.0"},
            {"name": "DaNE (Hvingelby et al. 2020)", "license": "CC BY-SA 4.0"},
            {"name": "UD Danish-DDT r2.17 dev (model selection)", "license": "CC BY-SA 4.0"},
        ],
    )
    card = MODEL_DIR / "MODEL_CARD.md"
    kept_card = card.read_text(encoding="utf-8") if card.is_file() else None
    # The lemma lexicon is built from a wheel by training/build_lemma_table.py, not from the training data: keep it.
    lexicon = MODEL_DIR / LEMMA_LEXICON
    kept_lexicon = lexicon.read_bytes() if lexicon.is_file() else None
    if MODEL_DIR.exists():
        shutil.rmtree(MODEL_DIR)
    nlp.to_disk(MODEL_DIR)
    if kept_card is not None:
        card.write_text(kept_card, encoding="utf-8")
    if kept_lexicon is not None:
        lexicon.write_bytes(kept_lexicon)
    else:
        log.info("no %s: run training/build_lemma_table.py --wheel ... to add the lemma lexicon", LEMMA_LEXICON)
    entries = write_lemma_table(HERE / "corpus" / "ddt-ud-train.conllu", MODEL_DIR / LEMMA_TABLE)
    log.info("lemma table: %d forms", entries)
    size = sum(p.stat().st_size for p in MODEL_DIR.rglob("*") if p.is_file()) / 1e6
    log.info("installed %s (%.1f MB)", MODEL_DIR, size)


def run(cmd: list[str], log_path: Path) -> None:
    log.info("$ %s", " ".join(cmd))
    with log_path.open("a", encoding="utf-8") as handle:
        subprocess.run(cmd, check=True, stdout=handle, stderr=subprocess.STDOUT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data", help="the shared data folder")
    parser.add_argument("--config", type=Path, default=HERE / "configs" / "da_kilde.cfg")
    parser.add_argument("--name", default="da_kilde", help="run name under training/runs/")
    parser.add_argument("--install", action=argparse.BooleanOptionalAction, default=True, help="copy model-best into the package")
    parser.add_argument("--install-only", action="store_true", help="skip training; install model-best of an existing run")
    parser.add_argument("--override", action="append", default=[], metavar="SECTION.KEY=VALUE", help="config override, e.g. training.max_steps=2000")
    args = parser.parse_args()

    run_dir = HERE / "runs" / args.name
    run_dir.mkdir(parents=True, exist_ok=True)
    log_path = run_dir / "train.log"
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", handlers=[logging.FileHandler(log_path), logging.StreamHandler()])
    started = time.time()

    if args.install_only:
        install(run_dir / "model-best")
        return
    corpus = HERE / "corpus"
    converted = corpus / "ddt-ud-train.conllu"
    if not converted.is_file():
        run([sys.executable, str(HERE / "ddt2ud.py"), "--data", str(args.data), "--out", str(corpus)], log_path)
    n_train = build_docbin(converted, corpus / "train.spacy")
    n_dev = build_docbin(args.data / "dane" / "derived" / "da_ddt-dane-dev.conllu", corpus / "dev.spacy")
    log.info("train sentences %d (converted DDT, UD dev/test excluded), dev sentences %d (gold UD dev)", n_train, n_dev)

    cmd = [
        sys.executable,
        "-m",
        "spacy",
        "train",
        str(args.config),
        "--output",
        str(run_dir),
        "--paths.train",
        str(corpus / "train.spacy"),
        "--paths.dev",
        str(corpus / "dev.spacy"),
    ]
    for override in args.override:
        key, _, value = override.partition("=")
        cmd += [f"--{key}", value]
    run(cmd, log_path)
    log.info("trained in %.1f min", (time.time() - started) / 60)

    if args.install:
        install(run_dir / "model-best")


if __name__ == "__main__":
    main()
