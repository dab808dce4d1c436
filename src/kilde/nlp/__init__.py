"""The Danish NLP stage: loading the pipeline and running it over cleaned text.

``load_pipeline()`` returns the Danish pipeline shipped in ``kilde/models``
(trained here by ``training/``). ``load_pipeline("rules")`` returns a light
rule-based pipeline (tokenizer + sentence rules, no tagger, parser or NER) for
when speed matters more than analysis. Loading never touches the network.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import spacy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokenizer import Tokenizer

from kilde.errors import ModelError
from kilde.nlp.components import LEMMA_LEXICON, LEMMA_TABLE

DEFAULT_MODEL = "da_kilde"

__all__ = ["DEFAULT_MODEL", "load_pipeline", "model_path"]


def model_path(name: str = DEFAULT_MODEL) -> Path:
    """Where the shipped model ``name`` lives inside the package."""
    return Path(str(resources.files("kilde.models").joinpath(name)))


def _add_abbreviations(nlp: Language) -> None:
    """Tokenizer special cases for Danish abbreviations spaCy splits (``nlp/data/abbreviations.txt``)."""
    text = resources.files("kilde.nlp").joinpath("data", "abbreviations.txt").read_text(encoding="utf-8")
    tokenizer = nlp.tokenizer
    if not isinstance(tokenizer, Tokenizer):
        raise ModelError(f"the pipeline's tokenizer is {type(tokenizer).__name__}, not a spaCy Tokenizer")
    for line in text.splitlines():
        abbreviation = line.strip()
        if abbreviation and not abbreviation.startswith("#"):
            for form in {abbreviation, abbreviation[0].upper() + abbreviation[1:]}:
                tokenizer.add_special_case(form, [{ORTH: form}])


def _rules() -> Language:
    nlp = spacy.blank("da")
    _add_abbreviations(nlp)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kilde_sentence_hints")
    return nlp


@lru_cache(maxsize=4)
def load_pipeline(name: str | None = None) -> Language:
    """The Danish spaCy pipeline: the shipped model by default, ``"rules"``, or a path to a trained pipeline."""
    if name == "rules":
        return _rules()
    path = Path(name) if name and name != DEFAULT_MODEL else model_path()
    if not (path / "config.cfg").is_file():
        raise ModelError(f"no trained Danish pipeline at {path}; train one with `python training/train.py` or use the 'rules' pipeline")
    try:
        nlp = spacy.load(path)
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot load the Danish pipeline at {path}: {exc}") from exc
    return _with_kilde_components(nlp, path)


def _with_kilde_components(nlp: Language, path: Path) -> Language:
    """Add Kilde's rule components to a trained pipeline (kept out of the saved model so it loads as plain spaCy)."""
    _add_abbreviations(nlp)
    if "kilde_sentence_hints" not in nlp.pipe_names:
        if "parser" in nlp.pipe_names:
            nlp.add_pipe("kilde_sentence_hints", before="parser")
        else:
            nlp.add_pipe("kilde_sentence_hints", first=True)
    table = path / LEMMA_TABLE
    if table.is_file() and "trainable_lemmatizer" in nlp.pipe_names and "kilde_lemma_lookup" not in nlp.pipe_names:
        lexicon = path / LEMMA_LEXICON
        config = {"path": str(table), "lexicon_path": str(lexicon) if lexicon.is_file() else None}
        # After the parser: "de"/"det" are told apart by their det attachment.
        after = "parser" if "parser" in nlp.pipe_names else "trainable_lemmatizer"
        nlp.add_pipe("kilde_lemma_lookup", after=after, config=config)
    if "ner" in nlp.pipe_names and "kilde_entity_lexicon" not in nlp.pipe_names:
        nlp.add_pipe("kilde_entity_lexicon", after="ner")
    return nlp
