"""Articles: read one record, analyse without storing, store records or texts."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Header, Query, Response

from kilde.api.analysis import analyze_items, body_items
from kilde.api.deps import Body, Kilde, check_writer, get_kilde, get_store, read_body
from kilde.api.errors import ERROR_RESPONSES, ApiError, ErrorResponse
from kilde.api.models import Rejected, StoreResult
from kilde.records import Article, Rejection
from kilde.store import Store

router = APIRouter(tags=["articles"])

_BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/AnalyzeRequest"}},
            "text/plain": {"schema": {"type": "string"}, "example": "Overskrift\n\nFørste afsnit …"},
            "text/html": {"schema": {"type": "string"}},
        },
    }
}
_WRITE_ERRORS: dict[int | str, dict[str, object]] = {
    **ERROR_RESPONSES,
    401: {"model": ErrorResponse, "description": "No token"},
    403: {"model": ErrorResponse, "description": "Wrong token, or the server is read-only"},
    413: {"model": ErrorResponse, "description": "The body is over the limit"},
    415: {"model": ErrorResponse, "description": "Not JSON, plain text or HTML"},
}


@router.get("/articles/{article_id:path}", response_model=Article, responses={404: {"model": ErrorResponse}})
def get_article(article_id: str, store: Annotated[Store, Depends(get_store)]) -> Article:
    """The stored record, exactly as it was added."""
    article = store.get(article_id)
    if article is None:
        raise ApiError(404, "not_found", f"no article with id {article_id!r}")
    return article


@router.post("/analyze", response_model=Article, responses=_WRITE_ERRORS, openapi_extra=_BODY_DOC)
def analyze(
    response: Response,
    body: Annotated[Body, Depends(read_body)],
    kilde: Annotated[Kilde, Depends(get_kilde)],
    store: Annotated[bool, Query(description="also keep it in the store (needs the token)")] = False,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Article:
    """Analyse one article (plain text, HTML, or a JSON object with ``text`` or ``html`` and its metadata) and return its record.

    Nothing is stored unless ``?store=true`` and the request carries the server's token.
    """
    if store:
        check_writer(kilde, authorization)
    (result,) = analyze_items(kilde, body_items(body, many=False), many=False)
    if isinstance(result, Rejection):
        raise ApiError(422, "invalid", result.message)
    if store:
        added = kilde.store.add(result)
        response.headers["Location"] = f"/api/articles/{quote(result.id, safe='')}"
        response.headers["X-Kilde-Stored"] = "new" if added else "already-stored"
    return result


@router.post("/articles", response_model=StoreResult, responses=_WRITE_ERRORS, openapi_extra={
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"oneOf": [
                {"$ref": "#/components/schemas/AnalyzeRequest"},
                {"type": "array", "items": {"anyOf": [
                    {"$ref": "#/components/schemas/AnalyzeRequest"}, {"type": "object", "description": "an article record"},
                ]}},
                {"type": "object", "description": "an article record (kilde.article/1), stored as it is"},
            ]}},
            "text/plain": {"schema": {"type": "string"}},
            "text/html": {"schema": {"type": "string"}},
        },
    }
})  # fmt: skip
def store_articles(
    body: Annotated[Body, Depends(read_body)],
    kilde: Annotated[Kilde, Depends(get_kilde)],
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> StoreResult:
    """Store articles: records as they are, texts and ``{text|html, …}`` objects after analysis. Needs the token.

    Each article is stored whole or not at all; one that is rejected does not stop the others.
    When every one is rejected the answer is 422 with the reasons.
    """
    check_writer(kilde, authorization)
    items = body_items(body, many=True)
    results = analyze_items(kilde, items, many=True)
    articles = [r for r in results if isinstance(r, Article)]
    rejected = [Rejected(index=i, error=r.error, message=r.message) for i, r in enumerate(results) if isinstance(r, Rejection)]
    if not articles:
        raise ApiError(422, "invalid", "nothing stored: " + "; ".join(r.message for r in rejected[:5]))
    inserted = sum(kilde.store.add(a) for a in articles)
    return StoreResult(inserted=inserted, skipped=len(articles) - inserted, ids=[a.id for a in articles], rejected=rejected)
