"""The pages."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from kilde.api.deps import get_reads, get_store
from kilde.api.errors import ApiError
from kilde.records import Article
from kilde.store import Filters, Store
from kilde.store.errors import QueryError
from kilde.store.reads import SqlReads, TimelinePoint
from kilde.store.story_tables import StoryTables
from kilde.web.render import article_blocks, article_id, safe_url, search_href, snippet_pieces, speaker_href
from kilde.web.worldmap import MapMarker, fit, world_path

__all__ = ["html_error", "router"]

router = APIRouter(include_in_schema=False)

templates = Environment(
    loader=PackageLoader("kilde.web", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),  # every {{ value }} is HTML-escaped
    trim_blocks=True,
    lstrip_blocks=True,
)
templates.filters["speaker_href"] = speaker_href
templates.filters["segment"] = article_id
templates.filters["safe_url"] = safe_url
templates.globals["search_href"] = search_href

PAGE = 20
FILTER_NAMES = ("from", "to", "outlet", "speaker", "place", "entity", "event")
KINDS = {"caption": "billedtekst", "duplicate": "dublet", "credit": "fotokredit", "byline": "byline", "dateline": "dateline", "read_more": "læs også",
         "advert": "annonce", "share": "del-knap", "comment": "kommentarer", "newsletter": "nyhedsbrev", "ui": "sidetekst", "empty": "tom"}  # fmt: skip
SPEAKER_TYPES = {"person": "person", "organisation": "organisation", "outlet": "medie", "document": "dokument", "unnamed": "unavngivet", "unknown": "ukendt"}
templates.globals["SPEAKER_TYPES"] = SPEAKER_TYPES


def render(request: Request, name: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    html = templates.get_template(name).render(request=request, path=request.url.path, **context)
    return HTMLResponse(html, status_code=status)


def html_error(request: Request, status: int, code: str, message: str) -> HTMLResponse:
    """An error as a page, for a browser (the API answers JSON)."""
    return render(request, "error.html", status=status, status_code=status, code=code, message=message, title=f"Fejl {status}")


@dataclass(frozen=True)
class FilterForm:
    values: dict[str, str]
    filters: Filters
    error: str | None

    def query(self, **more: Any) -> str:
        params = {**{k: v for k, v in self.values.items() if v}, **{k: str(v) for k, v in more.items() if v not in (None, "")}}
        return urlencode(params)

    @property
    def active(self) -> bool:
        return any(self.values.get(k) for k in FILTER_NAMES)


def filter_form(request: Request) -> FilterForm:
    """The filters of the query string; a bad one is reported on the page, not as an error page."""
    values = {k: request.query_params.get(k, "").strip()[:200] for k in ("q", *FILTER_NAMES)}
    try:
        filters = Filters(date_from=values["from"] or None, date_to=values["to"] or None, outlet=values["outlet"] or None,
                          speaker=values["speaker"] or None, place=values["place"] or None, entity=values["entity"] or None,
                          event_type=values["event"] or None)  # fmt: skip
        return FilterForm(values, filters, None)
    except QueryError as exc:
        return FilterForm(values, Filters(), str(exc))


Form = Annotated[FilterForm, Depends(filter_form)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


def _pages(total: int, offset: int, size: int) -> dict[str, int | None]:
    return {"prev": max(0, offset - size) if offset > 0 else None, "next": offset + size if offset + size < total else None,
            "first": offset + 1, "last": min(total, offset + size)}  # fmt: skip


@router.get("/", response_class=HTMLResponse)
def search_page(request: Request, store: Annotated[Store, Depends(get_store)], form: Form, offset: Offset = 0) -> HTMLResponse:
    results, error = None, form.error
    if error is None:
        try:
            results = store.search(form.values["q"], filters=form.filters, limit=PAGE, offset=offset)
        except QueryError as exc:
            error = str(exc)
    hits = [(hit, snippet_pieces(hit.snippet, hit.highlights)) for hit in results.hits] if results else []
    landing = not form.values["q"] and not form.active and offset == 0  # the outlet list only on the landing page: it counts every article
    outlets = store.outlets() if landing and isinstance(store, SqlReads) else []
    return render(request, "search.html", status=400 if error else 200, title="Søg", form=form, results=results, hits=hits, error=error,
                  pages=_pages(results.total, offset, PAGE) if results else None, outlets=outlets, total_articles=store.count())  # fmt: skip


@router.get("/articles/{article_id:path}", response_class=HTMLResponse)  # :path: ids of posted records may hold a /
def article_page(request: Request, article_id: str, store: Annotated[Store, Depends(get_store)]) -> HTMLResponse:
    article = store.get(article_id)
    if article is None:
        raise ApiError(404, "not_found", f"no article with id {article_id!r}")
    story_id = store.story_of(article_id) if isinstance(store, StoryTables) else None
    story = store.story(story_id) if story_id and isinstance(store, StoryTables) else None
    duplicates = store.duplicates_of(article_id) if isinstance(store, StoryTables) else None
    return render(request, "article.html", title=article.title or "Artikel", a=article, blocks=article_blocks(article),
                  removed=[(KINDS.get(r.kind, r.kind), r) for r in article.removed], quotes=_quotes(article), events=_events(article),
                  story=story_id, story_title=story.title if story else None, duplicates=duplicates)  # fmt: skip


def _quotes(article: Article) -> list[dict[str, Any]]:
    return [{"i": i, "q": q, "href": speaker_href(q.speaker.name) if q.speaker.name else None} for i, q in enumerate(article.quotes)]


def _events(article: Article) -> list[dict[str, Any]]:
    return [{"e": e, "sentence": article.text[e.sentence.start : e.sentence.end]} for e in article.events]


@router.get("/speakers", response_class=HTMLResponse)
def speakers_page(request: Request, reads: Annotated[SqlReads, Depends(get_reads)], form: Form, offset: Offset = 0, type: str | None = None) -> HTMLResponse:
    kind = type if type in SPEAKER_TYPES else None
    speakers = reads.speakers(filters=form.filters, type=kind, limit=50, offset=offset)
    sources = reads.sources(filters=form.filters, limit=25)
    return render(request, "speakers.html", title="Kilder og citerede", form=form, speakers=speakers, sources=sources, kind=kind,
                  pages=_pages(speakers.total, offset, 50), error=form.error)  # fmt: skip


@router.get("/speakers/{name:path}", response_class=HTMLResponse)
def speaker_page(request: Request, name: str, reads: Annotated[SqlReads, Depends(get_reads)], form: Form, offset: Offset = 0) -> HTMLResponse:
    from kilde.api.routes.people import speaker_detail

    detail = speaker_detail(reads, name, filters=form.filters, limit=PAGE, offset=offset)
    return render(request, "speaker.html", title=detail.name, form=form, s=detail, chart=bars(detail.timeline),
                  pages=_pages(detail.quotes, offset, PAGE))  # fmt: skip


# -- charts ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    day: str
    count: int
    x: float
    h: float


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    width: float
    height: float
    bar_width: float
    top: int
    ticks: list[tuple[float, str]]


CHART_WIDTH = 800.0  # view units; the SVG scales to the page's width
TICK_SPACE = 80.0  # a day label is about 60 units wide at the axis font size


def bars(points: Iterable[Any], *, height: float = 120.0, max_days: int = 732, span: Sequence[str] = ()) -> Chart:
    """Per-day counts as SVG bars; days in between are filled with zeros (up to two years), so gaps show as gaps.

    ``span``: days the axis must cover too (charts drawn one above the other share their days).
    """
    counts = {p.day: p.count for p in points}
    days = sorted({*counts, *span})
    if days:
        first, last = dt.date.fromisoformat(days[0]), dt.date.fromisoformat(days[-1])
        if (last - first).days < max_days:
            days = [(first + dt.timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]
    top = max(counts.values(), default=0)
    step = CHART_WIDTH / max(len(days), 1)
    bar_width = round(min(step * 0.8, 40.0), 2)
    chart_bars = [Bar(d, counts.get(d, 0), round(i * step, 2), round(height * counts.get(d, 0) / top, 2) if top else 0) for i, d in enumerate(days)]
    every = max(1, math.ceil(len(days) / (CHART_WIDTH / TICK_SPACE)))
    ticks = [(b.x, b.day) for b in chart_bars[::every]]
    return Chart(chart_bars, CHART_WIDTH, height, bar_width, top, ticks)


@router.get("/timeline", response_class=HTMLResponse)
def timeline_page(request: Request, reads: Annotated[SqlReads, Depends(get_reads)], form: Form) -> HTMLResponse:
    articles = reads.timeline(filters=form.filters)
    events = reads.events(filters=form.filters, limit=10_000)
    per_day = Counter(e.published[:10] for e in events.items if e.published)
    types = Counter(e.type for e in events.items)
    days = [p.day for p in articles] + list(per_day)
    span = [min(days), max(days)] if days else []  # both charts over the same days
    return render(request, "timeline.html", title="Tidslinje", form=form, articles=bars(articles, span=span),
                  events=bars((TimelinePoint(day=d, count=n) for d, n in per_day.items()), span=span), event_total=events.total,
                  events_shown=len(events.items), types=types.most_common(), error=form.error)  # fmt: skip


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request, reads: Annotated[SqlReads, Depends(get_reads)], form: Form, world: bool = False) -> HTMLResponse:
    places = reads.places(filters=form.filters, limit=500)
    events = reads.events(filters=form.filters, limit=2000)
    markers = [MapMarker(kind="place", name=p.label, lat=p.lat, lon=p.lon, weight=p.articles,
                         label=f"{p.label}: {p.articles} artikler, {p.mentions} omtaler", href=search_href(place=p.name)) for p in places]  # fmt: skip
    located: dict[tuple[float, float], list[Any]] = {}
    for e in events.items:
        if e.lat is not None and e.lon is not None:
            located.setdefault((round(e.lat, 3), round(e.lon, 3)), []).append(e)
    for (lat, lon), group in located.items():
        kinds = Counter(e.type for e in group)
        place, label = group[0].place or "", group[0].place_label or group[0].place or ""
        markers.append(MapMarker(kind="event", name=label, lat=lat, lon=lon, weight=len(group),
                                 label=f"{label}: " + ", ".join(f"{n} × {t}" for t, n in kinds.most_common()),
                                 href=search_href(place=place) if place else "/timeline"))  # fmt: skip
    view = fit(markers, world=world)
    return render(request, "map.html", title="Kort", form=form, view=view, world_path=world_path(), places=places[:30],
                  events=[e for e in events.items if e.lat is not None][:50], world=world, error=form.error)  # fmt: skip


def get_stories(request: Request) -> StoryTables:
    from kilde.api.routes.stories import get_stories as tables

    return tables(request)


@router.get("/stories", response_class=HTMLResponse)
def stories_page(request: Request, tables: Annotated[StoryTables, Depends(get_stories)], form: Form, offset: Offset = 0) -> HTMLResponse:
    page = tables.stories(filters=form.filters, limit=PAGE, offset=offset)
    return render(request, "stories.html", title="Historier", form=form, stories=page, pages=_pages(page.total, offset, PAGE), error=form.error)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str, tables: Annotated[StoryTables, Depends(get_stories)]) -> HTMLResponse:
    story = tables.story(story_id)
    if story is None:
        raise ApiError(404, "not_found", f"no story with id {story_id!r}")
    titles = {a.id: a.title for a in story.articles}
    chart = bars(TimelinePoint(day=d, count=n) for d, n in story.timeline)
    return render(request, "story.html", title=story.title, s=story, chart=chart, titles=titles)


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> Response:
    return Response(status_code=204)
