"""Request bodies to articles: text, HTML, ``{text|html, url, title, …}`` objects, or stored records as they are."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from kilde.api.deps import Body, Kilde
from kilde.api.errors import ApiError
from kilde.errors import InputError, MalformedRecordError
from kilde.pipeline import analyze_documents
from kilde.read import RawDocument
from kilde.read.records import from_mapping
from kilde.records import Article, Rejection, Source

__all__ = ["analyze_items", "body_items"]

WHERE = "<request>"
MAX_ITEMS = 1000  # one request; more is what `kilde ingest` is for
ANALYZE_WAIT_SECONDS = 2.0  # how long a request waits for its turn at the pipeline before it gets 503 busy


def _is_record(item: Any) -> bool:
    """A whole article record (as GET /api/articles/{id} or `kilde analyze` gives it), not an input to analyse."""
    return isinstance(item, dict) and "content_hash" in item and "id" in item


def body_items(body: Body, *, many: bool) -> list[Any]:
    """The items of a body: one string (text/plain, text/html) or JSON objects (one, or a list when ``many``)."""
    if body.media_type == "text/plain":
        return [{"text": body.text}]
    if body.media_type == "text/html":
        return [{"html": body.text}]
    data = body.json()
    if isinstance(data, list):
        if not many:
            raise ApiError(422, "invalid", "send one article (a JSON object), not a list; POST /api/articles takes lists")
        if not data:
            raise ApiError(422, "invalid", "the list is empty")
        if len(data) > MAX_ITEMS:
            raise ApiError(413, "too_large", f"at most {MAX_ITEMS} articles in one request, got {len(data)}")
        return data
    if not isinstance(data, dict):
        raise ApiError(422, "invalid", f"expected a JSON object with 'text' or 'html', got {type(data).__name__}")
    return [data]


def _document(item: Any, index: int, *, many: bool) -> RawDocument | InputError:
    where = f"{WHERE} [item {index}]" if many else WHERE
    if isinstance(item, dict):
        unknown = sorted(set(item) - {"text", "html", "url", "title", "published", "outlet", "byline"})
        if unknown:
            return MalformedRecordError(
                where, f"unknown field(s) {', '.join(map(repr, unknown))}; expected text or html, url, title, published, outlet, byline"
            )
        if "text" in item and "html" in item:
            return MalformedRecordError(where, "give either 'text' or 'html', not both")
    fmt = "html" if isinstance(item, dict) and item.get("html") else "text"  # what the record's source.format will say
    try:
        return from_mapping(item, where=where, path=None, index=index if many else None, format=fmt)
    except InputError as exc:
        return exc


def analyze_items(kilde: Kilde, items: list[Any], *, many: bool) -> list[Article | Rejection]:
    """Each item as an Article (records are validated, inputs analysed) or a Rejection, in order."""
    results: list[Article | Rejection | None] = [None] * len(items)
    to_analyze: list[tuple[int, RawDocument | InputError]] = []
    for i, item in enumerate(items):
        if _is_record(item):
            try:
                results[i] = Article.model_validate(item)
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first.get("loc", ()))
                results[i] = _rejection(f"{WHERE} [item {i}]", "MalformedRecordError", f"not a valid article record: {where}: {first.get('msg')}")
        else:
            to_analyze.append((i, _document(item, i, many=many)))
    if to_analyze:
        nlp = kilde.nlp()
        # one analysis at a time (one pipeline, one core's worth); a request that cannot get a turn soon is
        # told to come back rather than holding a server thread, so a queue of analyses never starves reads
        if not kilde.analyze_lock.acquire(timeout=ANALYZE_WAIT_SECONDS):
            raise ApiError(503, "busy", f"the server is analysing other articles; try again in a few seconds (waited {ANALYZE_WAIT_SECONDS:g} s)",
                           headers={"Retry-After": "5"})  # fmt: skip
        try:
            analysed = list(analyze_documents((doc for _, doc in to_analyze), nlp=nlp))
        finally:
            kilde.analyze_lock.release()
        for (i, _), result in zip(to_analyze, analysed, strict=True):
            results[i] = result
    return [r for r in results if r is not None]


def _rejection(where: str, error: str, message: str) -> Rejection:
    return Rejection(source=Source(path=where, format="json"), error=error, message=f"{where}: {message}")
