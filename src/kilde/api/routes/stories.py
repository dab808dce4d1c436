"""Stories: articles about one thing over days and outlets, with their near-duplicates marked (built by the stories stage)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from kilde.api.deps import FilterParams, Limit, Offset, get_store
from kilde.api.errors import ERROR_RESPONSES, ApiError, ErrorResponse
from kilde.api.models import StoryOut, StoryPage
from kilde.store import Store
from kilde.store.story_tables import StoryTables

router = APIRouter(tags=["stories"])


def get_stories(request: Request) -> StoryTables:
    store: Store = get_store(request)
    if not isinstance(store, StoryTables):
        raise ApiError(501, "not_implemented", f"the store {store.location} keeps no stories")
    return store


@router.get("/stories", response_model=StoryPage, responses=ERROR_RESPONSES)
def stories(tables: Annotated[StoryTables, Depends(get_stories)], filters: FilterParams, limit: Limit = 20, offset: Offset = 0) -> StoryPage:
    """Stories, the latest first; with filters, those with an article that passes them."""
    page = tables.stories(filters=filters, limit=limit, offset=offset)
    return StoryPage(items=[StoryOut.of(s) for s in page.items], total=page.total, offset=page.offset, limit=limit)


@router.get("/stories/{story_id}", response_model=StoryOut, responses={404: {"model": ErrorResponse}})
def story(story_id: str, tables: Annotated[StoryTables, Depends(get_stories)]) -> StoryOut:
    """One story: its articles (copies marked), places, most quoted speakers and articles per day."""
    found = tables.story(story_id)
    if found is None:
        raise ApiError(404, "not_found", f"no story with id {story_id!r}")
    return StoryOut.of(found)
