"""Kilde's HTTP API (FastAPI) and, with it, the web UI: :func:`create_app`, served by ``kilde serve``.

Every endpoint is under ``/api``; the pages of :mod:`kilde.web` are at ``/``.
Reads are open; writes (``POST /api/articles``, ``POST /api/analyze?store=true``)
need ``Authorization: Bearer TOKEN`` with the token the server was started
with, and a server started without one is read-only. Errors all have one
shape (:mod:`kilde.api.errors`). Endpoints are plain ``def`` functions, so
FastAPI runs the blocking store and pipeline calls in its threadpool; the
store's lock keeps SQLite to one writer.

The interactive ``/docs`` is off: FastAPI's Swagger UI and ReDoc load their
JavaScript from a CDN, which an offline server cannot reach and the web UI's
content security policy forbids. ``/openapi.json`` documents the API and
``GET /api`` links to it.
"""

from __future__ import annotations

from kilde.api.app import create_app

__all__ = ["create_app"]
