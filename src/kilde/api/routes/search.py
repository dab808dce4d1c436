"""Full-text search."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from kilde.api.deps import FilterParams, Limit, Offset, get_store
from kilde.api.errors import ERROR_RESPONSES
from kilde.api.models import HitOut, SearchOut
from kilde.store import Store

router = APIRouter(tags=["search"])


@router.get("/search", response_model=SearchOut, responses=ERROR_RESPONSES)
def search(
    store: Annotated[Store, Depends(get_store)],
    filters: FilterParams,
    q: Annotated[str, Query(max_length=1000, description='words (any inflection), "a phrase", A OR B, -not, prefix*; empty lists by date')] = "",
    limit: Limit = 10,
    offset: Offset = 0,
) -> SearchOut:
    """Ranked full-text search over text, quotes and captions (Danish stemming), each hit with its best snippet and the matched words."""
    results = store.search(q, filters=filters, limit=limit, offset=offset)
    return SearchOut(query=results.query, total=results.total, offset=results.offset, limit=limit,
                     hits=[HitOut.model_validate(h) for h in results.hits])  # fmt: skip
