"""Who said what: quotes, speakers, sources."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from kilde.api.deps import FilterParams, Limit, Offset, get_reads
from kilde.api.errors import ERROR_RESPONSES, ApiError, ErrorResponse
from kilde.api.models import QuoteOut, QuotePage, SourceOut, SourcePage, SpeakerDetail, SpeakerOut, SpeakerPage, TimelinePointOut
from kilde.store import Filters
from kilde.store.reads import SqlReads

router = APIRouter(tags=["quotes"])

Kind = Annotated[str | None, Query(pattern="^(direct|indirect)$", description="direct or indirect")]
SpeakerType = Annotated[str | None, Query(description="person, organisation, outlet, document, unnamed")]


@router.get("/quotes", response_model=QuotePage, responses=ERROR_RESPONSES)
def quotes(
    reads: Annotated[SqlReads, Depends(get_reads)],
    filters: FilterParams,
    q: Annotated[str | None, Query(max_length=500, description="words the quote contains (case-insensitive substring)")] = None,
    kind: Kind = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> QuotePage:
    """Who said what, newest first. ``speaker`` is the speaker's resolved name as GET /api/speakers lists it: only that speaker's quotes."""
    # the article filter's speaker (words of a name) holds for every article the exact name is quoted in, so it narrows nothing more
    page = reads.quotes(speaker=filters.speaker, contains=q or None, kind=kind, filters=filters, limit=limit, offset=offset)
    return QuotePage(items=[QuoteOut.model_validate(i) for i in page.items], total=page.total, offset=page.offset, limit=limit)


@router.get("/speakers", response_model=SpeakerPage, responses=ERROR_RESPONSES)
def speakers(
    reads: Annotated[SqlReads, Depends(get_reads)], filters: FilterParams, type: SpeakerType = None, limit: Limit = 50, offset: Offset = 0
) -> SpeakerPage:
    """Named speakers, most quoted first."""
    page = reads.speakers(filters=filters, type=type, limit=limit, offset=offset)
    return SpeakerPage(items=[SpeakerOut.model_validate(i) for i in page.items], total=page.total, offset=page.offset, limit=limit)


def speaker_detail(reads: SqlReads, name: str, *, filters: FilterParams, limit: int, offset: int) -> SpeakerDetail:
    """One speaker's quotes and counts over time (shared with the speaker page)."""
    page = reads.quotes(speaker=name, filters=filters, limit=limit, offset=offset)
    if page.total == 0:
        raise ApiError(404, "not_found", f"no quotes by {name!r}" + (" with these filters" if filters != Filters() else ""))
    resolved = page.items[0].speaker if page.items and page.items[0].speaker else name
    timeline = reads.speaker_timeline(resolved, filters=filters)
    # the per-speaker counts, from the listing narrowed to articles quoting this name (one row per name and type)
    counts = [s for s in reads.speakers(filters=replace(filters, speaker=name), limit=1000).items if s.name.casefold() == name.casefold()]
    first = page.items[0] if page.items else None
    return SpeakerDetail(
        name=resolved,
        type=first.speaker_type if first else (counts[0].type if counts else "unknown"),
        quotes=page.total,
        articles=sum(s.articles for s in counts),
        timeline=[TimelinePointOut.model_validate(p) for p in timeline],
        items=[QuoteOut.model_validate(i) for i in page.items],
        offset=offset,
        limit=limit,
    )


@router.get("/speakers/{name:path}", response_model=SpeakerDetail, responses={**ERROR_RESPONSES, 404: {"model": ErrorResponse}})
def speaker(name: str, reads: Annotated[SqlReads, Depends(get_reads)], filters: FilterParams, limit: Limit = 50, offset: Offset = 0) -> SpeakerDetail:
    """Everything one speaker said (newest first), with quotes per day."""
    return speaker_detail(reads, name, filters=filters, limit=limit, offset=offset)


@router.get("/sources", response_model=SourcePage, responses=ERROR_RESPONSES)
def sources(
    reads: Annotated[SqlReads, Depends(get_reads)], filters: FilterParams, type: SpeakerType = None, limit: Limit = 50, offset: Offset = 0
) -> SourcePage:
    """The sources articles rely on (speakers, outlets, documents, unnamed sources), in most articles first."""
    page = reads.sources(filters=filters, type=type, limit=limit, offset=offset)
    return SourcePage(items=[SourceOut.model_validate(i) for i in page.items], total=page.total, offset=page.offset, limit=limit)
