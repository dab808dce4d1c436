"""read → clean → nlp → extract → record.

:func:`analyze` and :func:`analyze_many` are the public entry points;
:func:`analyze_documents` is what they and the CLI share: it takes raw
documents (or the input errors readers yielded in their place) and yields an
:class:`Article` or a :class:`Rejection` for each, in order, running the spaCy
pipeline in batches.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from spacy.language import Language

from kilde.clean import Cleaned, clean
from kilde.errors import EmptyInputError, InputError, NoArticleError
from kilde.extract import Context, extract
from kilde.nlp import load_pipeline
from kilde.read import RawDocument, from_string
from kilde.read.records import from_mapping
from kilde.records import Article, Rejection, Source
from kilde.settings import Settings

__all__ = ["analyze", "analyze_documents", "analyze_many"]

BATCH_SIZE = 32


@cache
def _language_identifier() -> Any:
    import py3langid.langid as langid

    return langid.LanguageIdentifier.from_modelpath(langid.MODEL_DIR / langid.MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str, float]:
    code, score = _language_identifier().classify(text[:20000])
    return str(code), round(float(score), 4)


def article_id(text: str, url: str | None) -> str:
    """Stable id: the same text from the same URL (or none) is the same article."""
    return hashlib.sha256(f"{url or ''}\n{text}".encode()).hexdigest()[:20]


def _source(doc: RawDocument) -> Source:
    return Source(path=doc.path, url=doc.url, outlet=doc.outlet, format=doc.format, index=doc.index)


@dataclass(frozen=True, slots=True)
class _Prepared:
    raw: RawDocument
    cleaned: Cleaned


def _content_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _prepare(doc: RawDocument) -> _Prepared:
    cleaned = clean(doc)
    if not cleaned.text.strip():
        if cleaned.removed or cleaned.captions:
            raise NoArticleError(doc.where, "nothing left after cleaning: the input is only captions, credits and page furniture")
        raise EmptyInputError(doc.where, "no text")
    return _Prepared(doc, cleaned)


def _record(prepared: _Prepared, nlp_doc: Any) -> Article:
    raw, cleaned = prepared.raw, prepared.cleaned
    language, score = detect_language(cleaned.text)
    warnings = list(raw.warnings) + cleaned.warnings
    if language != "da":
        warnings.append(f"language detected as {language!r} (score {score}), not Danish; analysed with the Danish pipeline anyway")
    found = extract(nlp_doc, Context(published=raw.published, outlet=raw.outlet))
    return Article(
        id=article_id(cleaned.text, raw.url),
        content_hash=_content_hash(cleaned.text),
        source=_source(raw),
        title=cleaned.title,
        published=raw.published,
        language=language,
        language_score=score,
        byline=cleaned.byline,
        text=cleaned.text,
        paragraphs=cleaned.paragraphs,
        captions=cleaned.captions,
        removed=cleaned.removed,
        sentences=found.sentences,
        entities=found.entities,
        quotes=found.quotes,
        sources=found.sources,
        places=found.places,
        times=found.times,
        events=found.events,
        keywords=found.keywords,
        summary=None,
        warnings=warnings,
        raw=raw.text,
        raw_html=raw.html,
        offset_map=cleaned.offset_map.segments(),
    )


def _rejection(error: InputError, doc: RawDocument | None = None) -> Rejection:
    source = _source(doc) if doc else Source(path=error.where, format="unknown")
    return Rejection(source=source, error=type(error).__name__, message=str(error))


def analyze_documents(
    items: Iterable[RawDocument | InputError],
    *,
    nlp: Language | None = None,
    batch_size: int = BATCH_SIZE,
    skip: Callable[[RawDocument, str], bool] | None = None,
) -> Iterator[Article | Rejection]:
    """An Article or a Rejection for each item, in input order.

    ``skip(document, content_hash)`` is asked after cleaning, before the NLP (the costly part): a
    document it answers ``True`` for is left out of the results; the caller knows why (an ingest
    leaves out what its store already holds).
    """
    pipeline = nlp if nlp is not None else load_pipeline(Settings.from_env().model)
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, batch_size)):
        results: list[Article | Rejection | _Prepared] = []
        for item in batch:
            if isinstance(item, InputError):
                results.append(_rejection(item))
                continue
            try:
                prepared = _prepare(item)
            except InputError as exc:
                results.append(_rejection(exc, item))
                continue
            if skip is None or not skip(item, _content_hash(prepared.cleaned.text)):
                results.append(prepared)
        docs = iter(pipeline.pipe(r.cleaned.text for r in results if isinstance(r, _Prepared)))
        for result in results:
            yield _record(result, next(docs)) if isinstance(result, _Prepared) else result


def analyze(text_or_html: str, *, nlp: Language | None = None, **metadata: str | None) -> Article:
    """Analyse one article given as plain text or HTML; metadata: url, title, published, outlet, byline.

    Raises :class:`~kilde.errors.InputError` when there is no article in it.
    """
    if not text_or_html.strip():
        raise EmptyInputError(metadata.get("path") or "<string>", "no text")
    prepared = _prepare(from_string(text_or_html, **metadata))
    pipeline = nlp if nlp is not None else load_pipeline(Settings.from_env().model)
    return _record(prepared, pipeline(prepared.cleaned.text))


def _as_document(item: str | dict[str, Any] | RawDocument, index: int) -> RawDocument | InputError:
    if isinstance(item, RawDocument):
        return item
    if isinstance(item, str):
        return from_string(item, index=index)  # type: ignore[arg-type]
    try:
        return from_mapping(item, where=f"<item {index}>", path=None, index=index, format="json")
    except InputError as exc:
        return exc


def analyze_many(items: Iterable[str | dict[str, Any] | RawDocument], *, nlp: Language | None = None) -> Iterator[Article | Rejection]:
    """Analyse many articles (strings, ``{"text"|"html": …, "url": …}`` dicts or raw documents), in order.

    A bad item becomes a :class:`Rejection` with its reason; the rest carry on.
    """
    return analyze_documents((_as_document(item, i) for i, item in enumerate(items)), nlp=nlp)
