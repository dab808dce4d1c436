"""What endpoints share: the server's state (store, token, pipeline), filters from the query string, the write guard, the body."""

from __future__ import annotations

import hmac
import json
import threading
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Header, Query, Request
from spacy.language import Language

from kilde.api.errors import ApiError
from kilde.nlp import load_pipeline
from kilde.settings import Settings
from kilde.store import Filters, Store
from kilde.store.reads import SqlReads

__all__ = ["FilterParams", "Kilde", "Limit", "Offset", "check_writer", "get_kilde", "get_reads", "get_store", "read_body", "require_writer"]


@dataclass
class Kilde:
    """One server's state: the store it reads (one connection, serialised by the store's lock), its token, its pipeline."""

    store: Store
    token: str | None
    model: str | None = None
    nlp_: Language | None = None
    _load_lock: threading.Lock = field(default_factory=threading.Lock)
    # spaCy pipelines are not documented as thread-safe: one analysis at a time (the threadpool may run several requests)
    analyze_lock: threading.Lock = field(default_factory=threading.Lock)

    def nlp(self) -> Language:
        """The pipeline, loaded on first use (the server starts fast and read-only users never pay for it)."""
        with self._load_lock:
            if self.nlp_ is None:
                self.nlp_ = load_pipeline(self.model or Settings.from_env().model)
            return self.nlp_


def get_kilde(request: Request) -> Kilde:
    kilde: Kilde = request.app.state.kilde
    return kilde


def get_store(request: Request) -> Store:
    return get_kilde(request).store


def get_reads(request: Request) -> SqlReads:
    store = get_store(request)
    if not isinstance(store, SqlReads):
        raise ApiError(501, "not_implemented", f"the store {store.location} has no read views (quotes, speakers, places, events)")
    return store


def _filters(
    date_from: Annotated[str | None, Query(alias="from", description="published on or after this day (YYYY-MM-DD)")] = None,
    date_to: Annotated[str | None, Query(alias="to", description="published on or before this day (YYYY-MM-DD)")] = None,
    outlet: Annotated[str | None, Query(description="outlet name or words of it")] = None,
    speaker: Annotated[str | None, Query(description="an article quoting this speaker (name or words of it)")] = None,
    place: Annotated[str | None, Query(description="an article naming this place")] = None,
    entity: Annotated[str | None, Query(description="an article naming this person, organisation or other entity")] = None,
    event: Annotated[str | None, Query(description="an article with an event of this type (ASSAULT, PROTEST …) or ACLED subtype")] = None,
) -> Filters:
    # QueryError (a date that is not a date) becomes a 400 in the error handler
    return Filters(date_from=date_from, date_to=date_to, outlet=outlet or None, speaker=speaker or None, place=place or None,
                   entity=entity or None, event_type=event or None)  # fmt: skip


FilterParams = Annotated[Filters, Depends(_filters)]
Limit = Annotated[int, Query(ge=1, le=1000, description="items per page")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="skip this many (paging)")]


def check_writer(kilde: Kilde, authorization: str | None) -> None:
    """401 without a bearer token, 403 with a wrong one or on a read-only server."""
    if kilde.token is None:
        raise ApiError(403, "read_only", "this server is read-only: start it with --token (or KILDE_API_TOKEN) to allow writes")
    if not authorization:
        raise ApiError(401, "unauthorized", "writing needs a token: send 'Authorization: Bearer TOKEN'", headers={"WWW-Authenticate": "Bearer"})
    scheme, _, given = authorization.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise ApiError(401, "unauthorized", "the Authorization header must be 'Bearer TOKEN'", headers={"WWW-Authenticate": "Bearer"})
    # constant time: the comparison does not tell how much of a guess was right
    if not hmac.compare_digest(given.strip().encode(), kilde.token.encode()):
        raise ApiError(403, "forbidden", "wrong token")


def require_writer(request: Request, authorization: Annotated[str | None, Header(include_in_schema=False)] = None) -> None:
    check_writer(get_kilde(request), authorization)


@dataclass(frozen=True)
class Body:
    """A request body: its media type (lower case, no parameters), and its text (UTF-8)."""

    media_type: str
    text: str

    def json(self) -> Any:
        try:
            return json.loads(self.text)
        except json.JSONDecodeError as exc:
            raise ApiError(422, "invalid", f"the body is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None


TEXT_TYPES = ("application/json", "text/plain", "text/html")


async def read_body(request: Request) -> Body:
    """The body (read here, under the size limit of :class:`kilde.api.limits.BodyLimit`), as UTF-8 text."""
    media_type = request.headers.get("content-type", "application/json").split(";")[0].strip().lower() or "application/json"
    if media_type not in TEXT_TYPES:
        raise ApiError(415, "unsupported_media_type", f"send application/json, text/plain or text/html, not {media_type}")
    data = await request.body()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError(422, "invalid", f"the body is not UTF-8 (byte {exc.start})") from None
    if not text.strip():
        raise ApiError(422, "invalid", "the body is empty")
    return Body(media_type, text)
