"""Build the lemma layer's tables next to the shipped model, and measure each of its steps on UD dev.

    pip download spacy-lookups-data==1.0.5 --no-deps -d /tmp/lookups
    python training/build_lemma_table.py --wheel /tmp/lookups/spacy_lookups_data-1.0.5-py2.py3-none-any.whl

Writes, into src/kilde/models/da_kilde/:
- ``kilde_lemmas.tsv``: (form, UPOS, PronType) → most frequent lemma of the converted training
  treebank (training/corpus/ddt-ud-train.conllu, made by training/ddt2ud.py; UD dev/test excluded);
- ``kilde_lexicon.tsv.gz``: the Danish full-form lemma list of spacy-lookups-data 1.0.5
  (``da_lemma_lookup.json.gz``, from STO, the SprogTeknologisk Ordbase of the Centre for Language
  Technology, University of Copenhagen; not derived from any treebank), lower-case forms only (the
  component looks forms up lower-cased), grouped by lemma.

Then (unless ``--no-ablation``) runs the shipped pipeline once over gold UD Danish-DDT **dev** and
scores lemma accuracy with each step of ``kilde_lemma_lookup`` switched on in turn; the table is
logged to training/logs/build_lemma_table.log. The test set is never read here.
Nothing is fetched: the wheel is a file given on the command line.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import hashlib
import io
import json
import logging
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import spacy
from spacy.scorer import Scorer
from spacy.tokens import Doc
from spacy.training import Example

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from conllu import read_conllu, to_doc  # noqa: E402
from kilde.nlp import load_pipeline  # noqa: E402
from kilde.nlp.components import (  # noqa: E402
    LEMMA_LEXICON,
    LEMMA_TABLE,
    LEXICON_POS,
    LemmaLookup,
    closed_class_lemmas,
    read_lemma_lexicon,
    read_lemma_table,
)
from train import write_lemma_table  # noqa: E402

MODEL_DIR = ROOT / "src" / "kilde" / "models" / "da_kilde"
LOOKUP_MEMBER = "spacy_lookups_data/data/da_lemma_lookup.json.gz"
log = logging.getLogger("build_lemma_table")


def write_lexicon(wheel: Path, out: Path) -> int:
    """The wheel's Danish form → lemma list as ``lemma<TAB>form form …`` lines, gzipped reproducibly."""
    try:
        with zipfile.ZipFile(wheel) as archive:
            raw = archive.read(LOOKUP_MEMBER)
    except (OSError, KeyError, zipfile.BadZipFile) as exc:
        raise SystemExit(f"{wheel}: not a spacy-lookups-data wheel with {LOOKUP_MEMBER} ({exc})") from exc
    table: dict[str, str] = json.loads(gzip.decompress(raw))
    by_lemma: dict[str, list[str]] = collections.defaultdict(list)
    for form, lemma in table.items():
        # Forms with capitals are never looked up (the component lower-cases), nor are forms with spaces.
        if form == form.lower() and " " not in form and "\t" not in lemma:
            by_lemma[lemma].append(form)
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    header = (
        f"# Danish form -> lemma list from {wheel.name} (sha256 {digest}), member {LOOKUP_MEMBER}.\n"
        "# Source: STO (SprogTeknologisk Ordbase), Centre for Language Technology, University of Copenhagen,\n"
        "# contributed to spaCy in 2018 (explosion/spaCy#2184); the package is distributed under the MIT licence.\n"
        "# Written by training/build_lemma_table.py; lower-case forms only. lemma <TAB> forms separated by spaces.\n"
    )
    text = header + "".join(f"{lemma}\t{' '.join(sorted(forms))}\n" for lemma, forms in sorted(by_lemma.items()))
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as handle:
        handle.write(text.encode("utf-8"))
    out.write_bytes(buffer.getvalue())
    return sum(len(forms) for forms in by_lemma.values())


def dev_examples(data: Path) -> tuple[list[Doc], list[Doc]]:
    """The shipped pipeline's analysis of each gold dev sentence's raw text (lemma layer off), and the gold."""
    nlp = load_pipeline(str(MODEL_DIR))
    sentences = list(read_conllu(data / "dane" / "derived" / "da_ddt-dane-dev.conllu"))
    golds = [to_doc(sentence, nlp.vocab) for sentence in sentences]
    texts = [sentence.comments.get("text") or gold.text for sentence, gold in zip(sentences, golds, strict=True)]
    disabled = [name for name in ("kilde_lemma_lookup", "ner", "kilde_entity_lexicon") if name in nlp.pipe_names]
    with nlp.select_pipes(disable=disabled):
        predicted = list(nlp.pipe(texts, batch_size=64))
    return predicted, golds


def lemma_accuracy(predicted: list[Doc], golds: list[Doc], layer: Callable[[Doc], Doc] | None) -> float:
    """Lemma accuracy as the benchmark scores it (spaCy's scorer over aligned tokens)."""
    examples = []
    for doc, gold in zip(predicted, golds, strict=True):
        doc = doc.copy()
        if layer is not None:
            layer(doc)
        examples.append(Example(doc, gold))
    return 100 * float(Scorer.score_token_attr(examples, "lemma")["lemma_acc"] or 0.0)


def lookup(
    table: dict[str, str], lexicon: dict[str, str] | None, closed: dict[str, str] | None, on: set[str], lexicon_pos: tuple[str, ...] = LEXICON_POS
) -> LemmaLookup:
    """The lemma layer with only the named optional steps switched on."""
    return LemmaLookup(
        table,
        lexicon,
        closed,
        determiner_rule="determiner_rule" in on,
        lexicon_pos=lexicon_pos,
        initial_propn="initial_propn" in on,
        hyphen_parts="hyphen_parts" in on,
        compounds="compounds" in on,
        lower_initial_only="lower_initial_only" in on,
        hyphen_case="hyphen_case" in on,
    )


# Each step adds one option to the ones before it; the last of these is what ships.
STEPS = (
    ("+ de/det by their det attachment", "determiner_rule"),
    ("+ lexicon also for a sentence-initial PROPN", "initial_propn"),
    ("+ hyphenated words by their last part", "hyphen_parts"),
    ("+ unknown nouns by their longest known head", "compounds"),
    ("+ edit-tree lemmas of capitalised words lower-cased only sentence-initially", "lower_initial_only"),
    ("+ capitals of a hyphenated word's first part kept (= shipped)", "hyphen_case"),
)
EVERY_STEP = {flag for _, flag in STEPS}


def ablation(data: Path) -> list[tuple[str, float]]:
    table = read_lemma_table(MODEL_DIR / LEMMA_TABLE)
    lexicon = read_lemma_lexicon(MODEL_DIR / LEMMA_LEXICON)
    closed = closed_class_lemmas()
    predicted, golds = dev_examples(data)
    rows = [
        ("edit-tree lemmatizer alone", lemma_accuracy(predicted, golds, None)),
        ("+ treebank table (what shipped before)", lemma_accuracy(predicted, golds, lookup(table, None, None, set()))),
        ("+ closed-class table (hvert → hver, andre → anden, …)", lemma_accuracy(predicted, golds, lookup(table, None, closed, set()))),
    ]
    on: set[str] = set()
    for name, flag in STEPS[:1]:
        on.add(flag)
        rows.append((name, lemma_accuracy(predicted, golds, lookup(table, None, closed, on))))
    rows.append(("+ lexicon for NOUN/VERB/ADJ (lower-cased form)", lemma_accuracy(predicted, golds, lookup(table, lexicon, closed, on))))
    for name, flag in STEPS[1:]:
        on.add(flag)
        rows.append((name, lemma_accuracy(predicted, golds, lookup(table, lexicon, closed, on))))
    rows.append(("shipped without the lexicon", lemma_accuracy(predicted, golds, lookup(table, None, closed, EVERY_STEP))))
    for name, extra in (("ADV", ("ADV",)), ("every UPOS", ("ADV", "PRON", "DET", "AUX", "ADP", "NUM", "X"))):
        layer = lookup(table, lexicon, closed, EVERY_STEP, (*LEXICON_POS, *extra))
        rows.append((f"shipped, {name} also looked up in the lexicon (not kept)", lemma_accuracy(predicted, golds, layer)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wheel", type=Path, required=True, help="the spacy-lookups-data 1.0.5 wheel (pip download spacy-lookups-data==1.0.5 --no-deps)")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data", help="the shared data folder (UD dev, for the ablation)")
    parser.add_argument("--corpus", type=Path, default=HERE / "corpus" / "ddt-ud-train.conllu", help="converted training treebank (training/ddt2ud.py)")
    parser.add_argument("--ablation", action=argparse.BooleanOptionalAction, default=True, help="score each step on UD dev")
    parser.add_argument("--log", type=Path, default=HERE / "logs" / "build_lemma_table.log")
    args = parser.parse_args()

    args.log.parent.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.INFO, format="%(message)s", handlers=[logging.FileHandler(args.log, mode="w"), logging.StreamHandler()])
    log.info("$ python training/build_lemma_table.py --wheel %s (spaCy %s)", args.wheel.name, spacy.__version__)
    if args.corpus.is_file():
        log.info("treebank table: %d (form, UPOS, PronType) keys from %s", write_lemma_table(args.corpus, MODEL_DIR / LEMMA_TABLE), args.corpus.name)
    else:
        log.info("treebank table kept as shipped (%s not found; run training/ddt2ud.py to rebuild it)", args.corpus)
    forms = write_lexicon(args.wheel, MODEL_DIR / LEMMA_LEXICON)
    size = (MODEL_DIR / LEMMA_LEXICON).stat().st_size / 1e6
    log.info("lexicon: %d forms, %s %.2f MB", forms, LEMMA_LEXICON, size)
    if args.ablation:
        log.info("\nlemma accuracy on gold UD Danish-DDT dev (raw text in, Kilde's tokenisation):")
        log.info("| step | dev lemma accuracy |\n|---|---|")
        for name, accuracy in ablation(args.data):
            log.info("| %s | %.2f |", name, accuracy)


if __name__ == "__main__":
    main()
