"""The web UI: server-rendered pages for journalists over the same store as the API (``kilde serve``).

Pages: search with filters and highlighted snippets (``/``), an article with its quotes, speakers,
entities, places and times marked in the text (``/articles/{id}``), speakers and sources
(``/speakers``, ``/speakers/{name}``), a map of places and events drawn from a world outline shipped
in the package (``/map``), articles and events per day (``/timeline``), and stories when the store has
them. Jinja2 templates with autoescaping, one CSS file and a little vanilla JS in ``static/``; nothing
is loaded from anywhere else, and the content security policy (:mod:`kilde.api.app`) forbids it.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

__all__ = ["install"]


def install(app: FastAPI) -> None:
    """Add the pages and their static files to ``app``."""
    from importlib import resources

    from kilde.web.pages import html_error, router

    app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(resources.files("kilde.web").joinpath("static"))), name="static")
    app.state.html_error = html_error
