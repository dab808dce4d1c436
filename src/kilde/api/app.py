"""The app factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kilde import __version__
from kilde.api.deps import Kilde
from kilde.api.errors import install_handlers
from kilde.api.limits import DEFAULT_MAX_BODY_BYTES, BodyLimit
from kilde.api.models import AnalyzeRequest
from kilde.api.routes import articles, geo, people, search, stories
from kilde.store import Store, open_store

__all__ = ["create_app"]

# Nothing the pages load comes from elsewhere, and no inline script runs: defence in depth under the templates' escaping.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    """ASGI middleware adding the headers above to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, with_headers)


def _document_request_bodies(app: FastAPI) -> None:
    """Put AnalyzeRequest into the OpenAPI components: the write endpoints read their bodies themselves (JSON, text or HTML), so FastAPI cannot see it."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = build()
            schema = AnalyzeRequest.model_json_schema(ref_template="#/components/schemas/{model}")
            spec.setdefault("components", {}).setdefault("schemas", {})["AnalyzeRequest"] = schema
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(
    *,
    store: Store | None = None,
    db: str | None = None,
    token: str | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    model: str | None = None,
    web: bool = True,
) -> FastAPI:
    """The API (and, with ``web``, the pages) over ``store``, or over the store at ``db`` (default: the user's store).

    ``token``: the bearer token writes need; ``None`` makes the server read-only. ``model``: the pipeline
    POST /api/analyze uses ("rules", a path; default the shipped one), loaded on first use.
    A store opened here from ``db`` is closed when the app shuts down; a store passed in is the caller's.
    """
    if max_body_bytes < 1:
        raise ValueError("max_body_bytes must be positive")
    if token is not None and not token.strip():
        raise ValueError("the token must not be empty (give none for a read-only server)")
    owned = store is None
    the_store = store if store is not None else open_store(db)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if owned:
            the_store.close()

    app = FastAPI(
        lifespan=lifespan,
        title="Kilde",
        version=__version__,
        summary="Danish news articles as source-attributed records: who said what, about whom, where and when.",
        docs_url=None,  # Swagger UI and ReDoc need a CDN: see kilde.api's docstring
        redoc_url=None,
    )
    app.state.kilde = Kilde(store=the_store, token=token, model=model)
    install_handlers(app)

    api = APIRouter(prefix="/api")

    @api.get("", tags=["meta"], summary="What this API offers")
    def index() -> dict[str, Any]:
        return {
            "name": "kilde",
            "version": __version__,
            "openapi": "/openapi.json",
            "store": the_store.location,
            "articles": the_store.count(),
            "writable": app.state.kilde.token is not None,
            "endpoints": [f"{method.upper()} {path}" for path, ops in app.openapi()["paths"].items() for method in ops],
        }

    for module in (articles, search, people, geo, stories):
        api.include_router(module.router)
    app.include_router(api)

    if web:
        from kilde.web import install as install_web

        install_web(app)

    _document_request_bodies(app)
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    app.add_middleware(SecurityHeaders)
    return app
